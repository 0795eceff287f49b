/* libvjail/limits.c - vjail_limit(): the table of every resource the
 * library limits, with its mechanism and valid range (and, with the limits
 * work, the rlimits applied at enter). cgroup.c applies the cgroup rows.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <unistd.h>

#include "error.h"
#include "jail.h"

enum mech { RLIM, CGROUP, IPC_SYSCTL };

struct limit_def {
	enum vjail_limit_kind kind;
	const char *name;
	enum mech mech;
	int resource;     /* RLIMIT_* for RLIM rows */
	uint64_t min;     /* smallest valid hard value */
	uint64_t max;     /* largest valid value other than unlimited */
	bool soft_form;   /* does @soft mean something apart from @hard? */
};

#define BIG (UINT64_C(1) << 62)

/* min 0 means 0 is a meaningful limit (no core files, no locks...). Values
 * that make a process unable to run at all (no fds, no stack) start at 1. */
static const struct limit_def defs[VJ_LIMIT_SLOTS] = {
	{ VJAIL_LIMIT_AS, "as", RLIM, RLIMIT_AS, 1 << 20, BIG, true },
	{ VJAIL_LIMIT_DATA, "data", RLIM, RLIMIT_DATA, 1 << 16, BIG, true },
	{ VJAIL_LIMIT_STACK, "stack", RLIM, RLIMIT_STACK, 1 << 14, BIG, true },
	{ VJAIL_LIMIT_RSS, "rss", RLIM, RLIMIT_RSS, 0, BIG, true },
	{ VJAIL_LIMIT_NPROC, "nproc", RLIM, RLIMIT_NPROC, 1, 1 << 22, true },
	{ VJAIL_LIMIT_NOFILE, "nofile", RLIM, RLIMIT_NOFILE, 3, 1 << 30, true },
	{ VJAIL_LIMIT_LOCKS, "locks", RLIM, RLIMIT_LOCKS, 0, BIG, true },
	{ VJAIL_LIMIT_MEMLOCK, "memlock", RLIM, RLIMIT_MEMLOCK, 0, BIG, true },
	{ VJAIL_LIMIT_MSGQUEUE, "msgqueue", RLIM, RLIMIT_MSGQUEUE, 0, BIG,
	  true },
	{ VJAIL_LIMIT_SIGPENDING, "sigpending", RLIM, RLIMIT_SIGPENDING, 0,
	  1 << 30, true },
	{ VJAIL_LIMIT_CPU, "cpu", RLIM, RLIMIT_CPU, 1, BIG, true },
	{ VJAIL_LIMIT_FSIZE, "fsize", RLIM, RLIMIT_FSIZE, 0, BIG, true },
	{ VJAIL_LIMIT_CORE, "core", RLIM, RLIMIT_CORE, 0, BIG, true },
	{ VJAIL_LIMIT_NICE, "nice", RLIM, RLIMIT_NICE, 0, 40, true },
	{ VJAIL_LIMIT_RTPRIO, "rtprio", RLIM, RLIMIT_RTPRIO, 0, 99, true },
	{ VJAIL_LIMIT_MEMORY, "memory", CGROUP, 0, 1 << 20, BIG, true },
	{ VJAIL_LIMIT_MEMORY_SWAP, "memory-swap", CGROUP, 0, 0, BIG, false },
	{ VJAIL_LIMIT_PIDS, "pids", CGROUP, 0, 1, 1 << 22, false },
	{ VJAIL_LIMIT_CPU_MAX, "cpu-max", CGROUP, 0, 1, 1000 * 4096, false },
	{ VJAIL_LIMIT_CPU_WEIGHT, "cpu-weight", CGROUP, 0, 1, 10000, false },
	{ VJAIL_LIMIT_IO_READ_BPS, "io-read-bps", CGROUP, 0, 1, BIG, false },
	{ VJAIL_LIMIT_IO_WRITE_BPS, "io-write-bps", CGROUP, 0, 1, BIG, false },
	{ VJAIL_LIMIT_MSGMNB, "msgmnb", IPC_SYSCTL, 0, 0, INT32_MAX, false },
	{ VJAIL_LIMIT_MSGMAX, "msgmax", IPC_SYSCTL, 0, 1, INT32_MAX, false },
	{ VJAIL_LIMIT_SHMMAX, "shmmax", IPC_SYSCTL, 0, 1, BIG, false },
	{ VJAIL_LIMIT_SHMALL, "shmall", IPC_SYSCTL, 0, 1, BIG, false },
	{ VJAIL_LIMIT_SEMMSL, "semmsl", IPC_SYSCTL, 0, 1, 65536, false },
};

static int find_def(enum vjail_limit_kind kind)
{
	for (size_t i = 0; i < ARRAY_SIZE(defs); i++)
		if (defs[i].kind == kind)
			return (int)i;
	return -1;
}

static int check_value(struct vjail *j, const struct limit_def *d,
		       const char *which, uint64_t v)
{
	if (v == VJAIL_UNLIMITED)
		return 0;
	if (v < d->min || v > d->max)
		return vj_fail_msg(j, EINVAL,
				   "limit %s: %s %llu out of range %llu to "
				   "%llu (or VJAIL_UNLIMITED)",
				   d->name, which, (unsigned long long)v,
				   (unsigned long long)d->min,
				   (unsigned long long)d->max);
	return 0;
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_limit(struct vjail *j, enum vjail_limit_kind what,
			  uint64_t soft, uint64_t hard)
{
	const struct limit_def *d;
	int i, rc = vj_check_new(j, "limit");

	if (rc < 0)
		return rc;
	i = find_def(what);
	if (i < 0)
		return vj_fail_msg(j, EINVAL, "limit %d: unknown resource",
				   (int)what);
	d = &defs[i];
	if (soft > hard)
		return vj_fail_msg(j, EINVAL,
				   "limit %s: soft %llu above hard %llu",
				   d->name, (unsigned long long)soft,
				   (unsigned long long)hard);
	if (!d->soft_form && soft != hard)
		return vj_fail_msg(j, EINVAL,
				   "limit %s: has no soft form; give soft == "
				   "hard",
				   d->name);
	rc = check_value(j, d, "hard", hard);
	if (rc == 0 && d->soft_form)
		rc = check_value(j, d, "soft", soft);
	if (rc < 0)
		return rc;
	if (d->kind == VJAIL_LIMIT_CPU_MAX && hard != VJAIL_UNLIMITED &&
	    hard > 1000 * (uint64_t)sysconf(_SC_NPROCESSORS_CONF))
		return vj_fail_msg(j, EINVAL,
				   "limit cpu-max: %llu per-mille is more than "
				   "the %ld CPUs of this machine",
				   (unsigned long long)hard,
				   sysconf(_SC_NPROCESSORS_CONF));
	if (j->limits.v[i].set)
		return vj_fail_msg(j, EEXIST, "limit %s: already set", d->name);
	j->limits.v[i] = (struct vj_limit_val){ true, soft, hard };
	return 0;
}
