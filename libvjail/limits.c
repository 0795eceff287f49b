/* libvjail/limits.c - vjail_limit(): the table of every resource the
 * library limits, with its mechanism and valid range; the rlimits and the
 * IPC namespace's sysctls applied at enter. cgroup.c applies the cgroup
 * rows.
 *
 * What really bounds what (see vjail_limit(3)): RLIMIT_NPROC counts the
 * processes of a uid in each user namespace up to the host's, so in a jail
 * with its own user namespace it bounds the jail's processes of its user;
 * it never bounds the host's uid 0; RLIMIT_RSS and
 * RLIMIT_LOCKS are accepted and set, but Linux enforces neither (RSS never,
 * LOCKS not since 2.4.25): the memory cgroup bounds memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <bsd/string.h>

#include "asyncsafe.h"

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

/* Documented in limits.h. */
int vj_limit_get(const struct vjail *j, enum vjail_limit_kind what,
		 uint64_t *soft, uint64_t *hard)
{
	int i = find_def(what);

	if (i < 0)
		return -EINVAL;
	if (!j->limits.v[i].set)
		return 0;
	*soft = j->limits.v[i].soft;
	*hard = j->limits.v[i].hard;
	return 1;
}

const struct vj_limit_val *vj_limit_find(const struct vjail *j,
					 enum vjail_limit_kind what)
{
	int i = find_def(what);

	return i >= 0 && j->limits.v[i].set ? &j->limits.v[i] : NULL;
}

/* ---- prepare ------------------------------------------------------------ */

static rlim_t to_rlim(uint64_t v)
{
	return v == VJAIL_UNLIMITED ? RLIM_INFINITY : (rlim_t)v;
}

/* Linux lets only CAP_SYS_RESOURCE raise a hard limit. Say so now, not
 * with a dead process at commit. (CapEff bit 24.) */
static bool may_raise_hard(void)
{
	char line[256];
	bool yes = false;
	FILE *f = fopen("/proc/self/status", "re");

	if (f == NULL)
		return false;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "CapEff:", 7) == 0)
			yes = (strtoull(line + 7, NULL, 16) >> 24) & 1;
	fclose(f);
	return yes;
}

/* fs.nr_open: the most a process may have open, and so the highest
 * RLIMIT_NOFILE setrlimit(2) accepts (EPERM above it, even for root). */
static uint64_t nr_open(void)
{
	uint64_t v = 1 << 20; /* the kernel's default */
	FILE *f = fopen("/proc/sys/fs/nr_open", "re");

	if (f != NULL) {
		unsigned long long n;

		if (fscanf(f, "%llu", &n) == 1)
			v = n;
		fclose(f);
	}
	return v;
}

static int check_rlimit(struct vjail *j, const struct limit_def *d,
			const struct vj_limit_val *v, bool raise_ok)
{
	struct rlimit cur;

	if (d->kind == VJAIL_LIMIT_NOFILE && v->hard != VJAIL_UNLIMITED &&
	    v->hard > nr_open())
		return vj_fail_msg(j, EINVAL,
				   "limit nofile: hard %llu above fs.nr_open "
				   "%llu, the most the kernel accepts",
				   (unsigned long long)v->hard,
				   (unsigned long long)nr_open());
	if (d->kind == VJAIL_LIMIT_NOFILE && v->hard == VJAIL_UNLIMITED)
		return vj_fail_msg(j, EINVAL,
				   "limit nofile: cannot be unlimited (the "
				   "kernel caps it at fs.nr_open %llu)",
				   (unsigned long long)nr_open());
	/* Linux exempts the host's uid 0 from RLIMIT_NPROC (fork(2) checks
	 * the user, INIT_USER, not the namespace), in a user namespace or
	 * not: the limit would be a silent no-op. */
	if (d->kind == VJAIL_LIMIT_NPROC && j->run.uid == 0 &&
	    !(j->flags & VJAIL_CREATE_BEST_EFFORT))
		return vj_fail_msg(j, EOPNOTSUPP,
				   "limit nproc: Linux does not enforce "
				   "RLIMIT_NPROC on uid 0 (use "
				   "VJAIL_LIMIT_PIDS, or run the jail as "
				   "another user)");
	if (getrlimit(d->resource, &cur) != 0)
		return vj_fail(j, errno, "limit %s: getrlimit", d->name);
	if (!raise_ok && cur.rlim_max != RLIM_INFINITY &&
	    (v->hard == VJAIL_UNLIMITED || to_rlim(v->hard) > cur.rlim_max))
		return vj_fail_msg(j, EPERM,
				   "limit %s: hard %llu above the "
				   "caller's hard limit %llu (raising it "
				   "needs CAP_SYS_RESOURCE)",
				   d->name, (unsigned long long)v->hard,
				   (unsigned long long)cur.rlim_max);
	return 0;
}

int vj_limits_prepare(struct vjail *j)
{
	int raise_ok = -1; /* asked at the first rlimit: most jails set none */

	for (size_t i = 0; i < ARRAY_SIZE(defs); i++) {
		const struct limit_def *d = &defs[i];
		const struct vj_limit_val *v = &j->limits.v[i];
		int rc;

		if (!v->set || d->mech == CGROUP)
			continue; /* cgroup rows: vj_cg_prepare() */
		if (d->mech == IPC_SYSCTL && !(j->run.ns & VJAIL_NS_IPC))
			return vj_fail_msg(j, EINVAL,
					   "limit %s: an IPC limit needs the IPC "
					   "namespace (VJAIL_NS_IPC)",
					   d->name);
		/* The kernel lets only the owner's uid 0 write an IPC
		 * namespace's sysctls (ipc_permissions()): for a jail whose
		 * user namespace maps only the caller's own uid, that is the
		 * host's root alone. */
		if (d->mech == IPC_SYSCTL && geteuid() != 0)
			return vj_fail_msg(j, EPERM,
					   "limit %s: an unprivileged caller "
					   "cannot set the IPC namespace's "
					   "sysctls (only its uid 0 may, and "
					   "the jail maps only uid %u)",
					   d->name, (unsigned)geteuid());
		if (d->mech == RLIM && raise_ok < 0)
			raise_ok = may_raise_hard();
		if (d->mech == RLIM &&
		    (rc = check_rlimit(j, d, v, raise_ok == 1)) < 0)
			return rc;
	}
	return 0;
}

/* ---- commit: async-signal-safe ------------------------------------------ */

static const char *const ipc_files[] = {
	[VJAIL_LIMIT_MSGMNB - VJAIL_LIMIT_MSGMNB] = "/proc/sys/kernel/msgmnb",
	[VJAIL_LIMIT_MSGMAX - VJAIL_LIMIT_MSGMNB] = "/proc/sys/kernel/msgmax",
	[VJAIL_LIMIT_SHMMAX - VJAIL_LIMIT_MSGMNB] = "/proc/sys/kernel/shmmax",
	[VJAIL_LIMIT_SHMALL - VJAIL_LIMIT_MSGMNB] = "/proc/sys/kernel/shmall",
};

/* kernel.sem is "SEMMSL SEMMNS SEMOPM SEMMNI": only the first changes. */
static int write_semmsl(struct vjail *j, uint64_t v)
{
	char cur[128], out[128] = "";
	int fd = open("/proc/sys/kernel/sem", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, cur, sizeof(cur) - 1) : -1;
	char *rest;

	if (fd >= 0)
		close(fd);
	j->run.fail_object = "/proc/sys/kernel/sem";
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	cur[n] = '\0';
	rest = cur + strcspn(cur, " \t");
	vj_as_append_i64(out, sizeof(out), (int64_t)v);
	strlcat(out, rest, sizeof(out));
	return vj_as_write_file("/proc/sys/kernel/sem", out);
}

int vj_limits_commit_ipc(struct vjail *j)
{
	for (size_t i = 0; i < ARRAY_SIZE(defs); i++) {
		const struct vj_limit_val *v = &j->limits.v[i];
		char num[24] = "";
		int rc;

		if (!v->set || defs[i].mech != IPC_SYSCTL)
			continue;
		if (defs[i].kind == VJAIL_LIMIT_SEMMSL) {
			rc = write_semmsl(j, v->hard);
		} else {
			const char *file =
				ipc_files[defs[i].kind - VJAIL_LIMIT_MSGMNB];

			vj_as_append_i64(num, sizeof(num), (int64_t)v->hard);
			j->run.fail_object = file;
			rc = vj_as_write_file(file, num);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

int vj_limits_commit(struct vjail *j)
{
	for (size_t i = 0; i < ARRAY_SIZE(defs); i++) {
		const struct vj_limit_val *v = &j->limits.v[i];
		struct rlimit r;

		if (!v->set || defs[i].mech != RLIM)
			continue;
		r.rlim_cur = to_rlim(v->soft);
		r.rlim_max = to_rlim(v->hard);
		j->run.fail_object = defs[i].name;
		if (setrlimit(defs[i].resource, &r) != 0)
			return -errno;
	}
	return 0;
}
