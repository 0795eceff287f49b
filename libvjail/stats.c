/* libvjail/stats.c - vjail_stats(): usage of a running jail, read by its
 * supervisor from the jail's cgroup (CPU time, memory, processes; see
 * cgroup.c) and from /proc of the jail's processes (descriptors, sockets,
 * and the network counters of the jail's network namespace).
 *
 * The struct is versioned by its size: the caller says how much of it it
 * knows, and nothing past that is written, so an old program keeps working
 * with a newer, larger struct.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bsd/string.h>

#include "error.h"
#include "jail.h"

#define MAX_PIDS 4096

/* The jail's processes without a cgroup: the tree below its outermost
 * process, through /proc/PID/task/TID/children (Linux 3.5). */
static long tree_pids(pid_t top, pid_t *out, size_t max)
{
	size_t n = 0;

	if (top <= 0)
		return -1;
	out[n++] = top;
	for (size_t i = 0; i < n; i++) {
		char path[64], tid[32];
		DIR *d;
		struct dirent *e;

		snprintf(path, sizeof(path), "/proc/%d/task", (int)out[i]);
		d = opendir(path);
		if (d == NULL)
			continue;
		while ((e = readdir(d)) != NULL && n < max) {
			char file[128], *buf = NULL, *p;
			size_t cap = 0;
			FILE *f;

			if (e->d_name[0] == '.')
				continue;
			strlcpy(tid, e->d_name, sizeof(tid));
			snprintf(file, sizeof(file), "%s/%s/children", path,
				 tid);
			f = fopen(file, "re");
			if (f == NULL)
				continue;
			if (getline(&buf, &cap, f) > 0)
				for (p = buf; *p != '\0' && n < max;) {
					long pid = strtol(p, &p, 10);

					if (pid <= 0)
						break;
					out[n++] = (pid_t)pid;
				}
			free(buf);
			fclose(f);
		}
		closedir(d);
	}
	return (long)n;
}

/* Descriptors and sockets of @pid. False when /proc refuses (a jail
 * process that is not dumpable, read by a supervisor without
 * CAP_SYS_PTRACE over it). A process that is gone counts as none. */
static bool count_fds(pid_t pid, uint64_t *fds, uint64_t *socks)
{
	char path[64];
	DIR *d;
	struct dirent *e;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	if (d == NULL)
		return errno == ENOENT || errno == ESRCH;
	while ((e = readdir(d)) != NULL) {
		char link[64];
		ssize_t n;

		if (e->d_name[0] == '.')
			continue;
		(*fds)++;
		n = readlinkat(dirfd(d), e->d_name, link, sizeof(link) - 1);
		if (n > 0 && (link[n] = '\0', strncmp(link, "socket:", 7) == 0))
			(*socks)++;
	}
	closedir(d);
	return true;
}

/* Bytes in and out on every interface of the namespace of @pid. */
static bool net_bytes(pid_t pid, uint64_t *rx, uint64_t *tx)
{
	char path[64], line[512];
	FILE *f;
	bool ok = false;

	snprintf(path, sizeof(path), "/proc/%d/net/dev", (int)pid);
	f = fopen(path, "re");
	if (f == NULL)
		return false;
	*rx = *tx = 0;
	/* "  lo: rxbytes packets errs drop fifo frame compressed multicast
	 *  txbytes ..." after two header lines. */
	while (fgets(line, sizeof(line), f) != NULL) {
		char *colon = strchr(line, ':');
		unsigned long long r, t;

		if (colon == NULL ||
		    sscanf(colon + 1, "%llu %*u %*u %*u %*u %*u %*u %*u %llu",
			   &r, &t) != 2)
			continue;
		*rx += r;
		*tx += t;
		ok = true;
	}
	fclose(f);
	return ok;
}

static void read_live(struct vjail *j, struct vjail_stats *st)
{
	pid_t *pids = calloc(MAX_PIDS, sizeof(pid_t));
	long n;
	bool all = true;

	vj_cg_read_stats(j, st);
	if (pids == NULL)
		return;
	n = vj_cg_pids(j, pids, MAX_PIDS);
	if (n < 0)
		n = tree_pids(j->run.child, pids, MAX_PIDS);
	for (long i = 0; i < n; i++)
		all &= count_fds(pids[i], &st->open_fds, &st->sockets);
	if (n >= 0 && all)
		st->valid |= VJAIL_STAT_FDS;
	if (!(st->valid & VJAIL_STAT_PROCESSES) && n >= 0) {
		st->processes = (uint64_t)n; /* processes, not threads */
		st->valid |= VJAIL_STAT_PROCESSES;
	}
	free(pids);
	if ((j->run.ns & VJAIL_NS_NET) &&
	    net_bytes(j->run.child, &st->net_rx_bytes, &st->net_tx_bytes))
		st->valid |= VJAIL_STAT_NET;
}

/* The VJAIL_STAT_* bits whose fields end within @size bytes. */
static uint32_t fits(uint32_t size)
{
	static const struct {
		uint32_t bit;
		size_t end;
	} f[] = {
		{ VJAIL_STAT_CPU, offsetof(struct vjail_stats, cpu_system_us) +
					  sizeof(uint64_t) },
		{ VJAIL_STAT_MEMORY, offsetof(struct vjail_stats,
					      memory_current) +
					     sizeof(uint64_t) },
		{ VJAIL_STAT_MEMORY_PEAK, offsetof(struct vjail_stats,
						   memory_peak) +
						  sizeof(uint64_t) },
		{ VJAIL_STAT_PROCESSES, offsetof(struct vjail_stats,
						 processes) +
						sizeof(uint64_t) },
		{ VJAIL_STAT_FDS, offsetof(struct vjail_stats, sockets) +
					  sizeof(uint64_t) },
		{ VJAIL_STAT_NET, offsetof(struct vjail_stats, net_tx_bytes) +
					  sizeof(uint64_t) },
	};
	uint32_t bits = 0;

	for (size_t i = 0; i < ARRAY_SIZE(f); i++)
		if (f[i].end <= size)
			bits |= f[i].bit;
	return bits;
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_stats(struct vjail *j, struct vjail_stats *st)
{
	struct vjail_stats all = { 0 };
	uint32_t size;

	if (st == NULL)
		return vj_fail_msg(j, EINVAL, "stats: NULL struct");
	size = st->size;
	if (size < offsetof(struct vjail_stats, cpu_user_us))
		return vj_fail_msg(j, EINVAL, "stats: size %u too small",
				   size);
	if (j->state != VJ_STATE_SPAWNED)
		return vj_fail_msg(j, ESRCH,
				   "stats: no jail is running on this handle");
	if (j->run.have_status) {
		/* Ended: the figures read just before its cgroup went. */
		if (!j->cg.have_final)
			return vj_fail_msg(j, ESRCH,
					   "stats: the jail ended and had no "
					   "cgroup to keep figures from");
		all = j->cg.final;
	} else {
		read_live(j, &all);
	}
	all.size = size;
	all.valid &= fits(size);
	memcpy(st, &all, size < sizeof(all) ? size : sizeof(all));
	return 0;
}
