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

/* The whole of @fd from offset 0 (a seq_file: a fresh text each time). */
static bool read_at0(int fd, char *buf, size_t size)
{
	ssize_t n = fd >= 0 ? pread(fd, buf, size - 1, 0) : -1;

	buf[n > 0 ? n : 0] = '\0';
	return n > 0;
}

/* A number file of a cgroup ("max" is no limit), or @dflt. */
static uint64_t read_num(int fd, uint64_t dflt)
{
	char buf[32];
	uint64_t v = 0;

	if (!read_at0(fd, buf, sizeof(buf)) || buf[0] < '0' || buf[0] > '9')
		return dflt;
	for (const char *p = buf; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	return v;
}

size_t vj_pv_meminfo(const struct vj_pv_mem *pm, char *out, size_t size)
{
	char host[VJ_PV_LIVE_MAX], stat[VJ_PV_LIVE_MAX];
	struct vj_memcg m = { .limit = UINT64_MAX,
			      .swap_limit = UINT64_MAX };

	if (!read_at0(pm->host, host, sizeof(host)) ||
	    !read_at0(pm->stat, stat, sizeof(stat)))
		return 0;
	m.usage = read_num(pm->usage, 0);
	m.limit = read_num(pm->limit, UINT64_MAX);
	m.swap_limit = read_num(pm->swap_limit, UINT64_MAX);
	m.swap_usage = read_num(pm->swap_usage, 0);
	vj_gen_memcg_stat(&m, pm->version, stat);
	return vj_gen_meminfo(out, size, host, &m);
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

void vj_pv_refresh(struct vj_pv_live *l)
{
	char text[VJ_PV_LIVE_MAX];

	for (size_t i = 0; i < l->n; i++) {
		size_t len = vj_pv_meminfo(&l->mem, text, sizeof(text));

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
