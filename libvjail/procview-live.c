/* libvjail/procview-live.c - the live /proc views kept current: the
 * jail's /proc/meminfo made from the memory cgroup's figures, in prepare
 * (procview.c) and every VJ_PV_REFRESH_MS in the library's init
 * (vjail-init), which has no handle: everything it needs is in struct
 * vj_pv_live. No allocation, async-signal-safe.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "procgen.h"
#include "procview.h"

/* The whole of @fd from offset 0 (a seq_file: a fresh text each time),
 * NUL-terminated; its length, 0 when there is nothing. */
static size_t read_at0(int fd, char *buf, size_t size)
{
	ssize_t n = fd >= 0 ? pread(fd, buf, size - 1, 0) : -1;

	buf[n > 0 ? n : 0] = '\0';
	return n > 0 ? (size_t)n : 0;
}

/* A number file of a cgroup ("max" is no limit), or @dflt. */
static uint64_t read_num(int fd, uint64_t dflt)
{
	char buf[32];
	uint64_t v = 0;

	if (read_at0(fd, buf, sizeof(buf)) == 0 || buf[0] < '0' ||
	    buf[0] > '9')
		return dflt;
	for (const char *p = buf; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	return v;
}

/*
 * Read what the view is made of into @in (2 * VJ_PV_LIVE_MAX bytes): the
 * host's text, then memory.stat right after it, so that only as many
 * pages are touched as the texts fill (a few KiB), not one per 8 KiB
 * buffer: in vjail-init they stay dirty for the jail's life. The figures
 * go into @m. Returns the bytes of @in used, 0 on failure.
 */
static size_t read_inputs(const struct vj_pv_mem *pm, char *in,
			  struct vj_memcg *m)
{
	size_t host = read_at0(pm->host, in, VJ_PV_LIVE_MAX), stat;

	if (host == 0)
		return 0;
	stat = read_at0(pm->stat, in + host + 1, VJ_PV_LIVE_MAX);
	if (stat == 0)
		return 0;
	m->usage = read_num(pm->usage, 0);
	m->limit = read_num(pm->limit, UINT64_MAX);
	m->swap_limit = read_num(pm->swap_limit, UINT64_MAX);
	m->swap_usage = read_num(pm->swap_usage, 0);
	vj_gen_memcg_stat(m, pm->version, in + host + 1);
	return host + 1 + stat + 1;
}

size_t vj_pv_meminfo(const struct vj_pv_mem *pm, char *out, size_t size)
{
	char in[2 * VJ_PV_LIVE_MAX];
	struct vj_memcg m = { .limit = UINT64_MAX,
			      .swap_limit = UINT64_MAX };

	if (read_inputs(pm, in, &m) == 0)
		return 0;
	return vj_gen_meminfo(out, size, in, &m);
}

int vj_pv_timer(const struct vj_pv_live *l, int *fd)
{
	const struct itimerspec every = {
		.it_interval = { VJ_PV_REFRESH_MS / 1000,
				 (VJ_PV_REFRESH_MS % 1000) * 1000000 },
		.it_value = { VJ_PV_REFRESH_MS / 1000,
			      (VJ_PV_REFRESH_MS % 1000) * 1000000 },
	};

	*fd = -1;
	if (l->n == 0)
		return 0;
	*fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	if (*fd < 0)
		return -errno;
	if (timerfd_settime(*fd, 0, &every, NULL) != 0) {
		int err = errno;

		close(*fd);
		*fd = -1;
		return -err;
	}
	return 0;
}

void vj_pv_refresh(struct vj_pv_live *l, char *work)
{
	for (size_t i = 0; i < l->n; i++) {
		struct vj_memcg m = { .limit = UINT64_MAX,
				      .swap_limit = UINT64_MAX };
		size_t used = read_inputs(&l->mem, work, &m), len = 0;
		char *text = work + used; /* right after what it is made of */

		if (used > 0)
			len = vj_gen_meminfo(text, VJ_PV_LIVE_MAX, work, &m);

		/* A failed read keeps the last good text. One write of
		 * the whole, in place: the length does not change (see
		 * vj_gen_meminfo()), unless the host's file did. */
		if (len == 0 || pwrite(l->fd[i], text, len, 0) != (ssize_t)len)
			continue;
		if (len < l->len[i])
			(void)!ftruncate(l->fd[i], (off_t)len);
		l->len[i] = len;
	}
}
