/* kernel/probe.c - feature probes behind vjail_features().
 *
 * Namespaces are probed by trying them, in a forked child that dies right
 * after: /proc/self/ns/ lists what the kernel was built with, not what this
 * caller may create (user.max_user_namespaces=0, an outer seccomp filter, a
 * distribution's unprivileged_userns_clone=0 all say no only at unshare
 * time). ENOSYS, EOPNOTSUPP, EINVAL and EPERM from any probe mean "absent":
 * an outer sandbox's refusal is as final for us as a missing kernel option.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vjail.h"
#include "cgroupfs.h"
#include "compat.h"
#include "probe.h"
#include "syscalls.h"

#define PROBED (UINT64_C(1) << 63) /* marks the cache as filled */

static uint64_t cached_features;
static int cached_abi = -1;

static const struct {
	int clone_flag;
	uint64_t bit;
} ns_kinds[] = {
	{ CLONE_NEWPID, VJAIL_NS_PID },   { CLONE_NEWNS, VJAIL_NS_MOUNT },
	{ CLONE_NEWIPC, VJAIL_NS_IPC },   { CLONE_NEWUTS, VJAIL_NS_UTS },
	{ CLONE_NEWNET, VJAIL_NS_NET },   { CLONE_NEWCGROUP, VJAIL_NS_CGROUP },
	{ CLONE_NEWTIME, VJAIL_NS_TIME },
};

/* Try the namespace kinds in @want (the user namespace always); runs in a
 * disposable child. Kinds refused for lack of privilege are tried again
 * inside a new user namespace, which is how an unprivileged jail will
 * create them. */
static uint64_t try_namespaces(uint64_t want)
{
	uint64_t ok = 0;
	bool retry = false;

	for (size_t i = 0; i < sizeof(ns_kinds) / sizeof(ns_kinds[0]); i++) {
		if (!(want & ns_kinds[i].bit))
			continue;
		if (unshare(ns_kinds[i].clone_flag) == 0)
			ok |= ns_kinds[i].bit;
		else if (errno == EPERM)
			retry = true;
	}
	if (unshare(CLONE_NEWUSER) != 0)
		return ok;
	ok |= VJAIL_NS_USER;
	for (size_t i = 0; retry && i < sizeof(ns_kinds) / sizeof(ns_kinds[0]);
	     i++) {
		if ((want & ns_kinds[i].bit) && !(ok & ns_kinds[i].bit) &&
		    unshare(ns_kinds[i].clone_flag) == 0)
			ok |= ns_kinds[i].bit;
	}
	return ok;
}

/* May an unprivileged user create a user namespace? Asked as nobody when
 * we are root, since root's answer says nothing about it. */
static bool try_unpriv_userns(void)
{
	if (geteuid() == 0) {
		gid_t nogroup = 65534;

		if (setgroups(1, &nogroup) != 0 ||
		    setresgid(65534, 65534, 65534) != 0 ||
		    setresuid(65534, 65534, 65534) != 0)
			return false;
	}
	return unshare(CLONE_NEWUSER) == 0;
}

/* Run @fn in a forked child and collect its 64-bit answer through a pipe.
 * Only async-signal-safe calls in the child: the caller may have threads. */
static uint64_t in_child(uint64_t (*fn)(uint64_t), uint64_t arg)
{
	int p[2];
	uint64_t answer = 0;
	pid_t pid;
	int status;

	if (pipe2(p, O_CLOEXEC) != 0)
		return 0;
	pid = fork();
	if (pid == 0) {
		uint64_t v = fn(arg);

		close(p[0]);
		_exit(write(p[1], &v, sizeof(v)) == sizeof(v) ? 0 : 1);
	}
	close(p[1]);
	if (pid > 0) {
		if (read(p[0], &answer, sizeof(answer)) != sizeof(answer))
			answer = 0;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	close(p[0]);
	return answer;
}

/* Everything that needs a disposable process, in one child: the caller
 * sees a single SIGCHLD. The unprivileged test needs a process of its own
 * (it drops to nobody), so it runs in a grandchild first. */
static uint64_t probe_in_child(uint64_t unused)
{
	uint64_t bits = 0;
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(try_unpriv_userns() ? 0 : 1);
	if (pid > 0 && waitpid(pid, &status, 0) == pid &&
	    WIFEXITED(status) && WEXITSTATUS(status) == 0)
		bits |= VJAIL_FEAT_USERNS_UNPRIV;
	(void)unused;
	return bits | try_namespaces(VJAIL_NS_ALL);
}

static bool seccomp_action_avail(uint32_t action)
{
	return vj_sys_seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
}

static uint64_t probe_seccomp(void)
{
	uint64_t f = 0;

	/* SECCOMP_RET_ERRNO is as old as filter mode itself (Linux 3.5). */
	if (seccomp_action_avail(0x00050000U /* SECCOMP_RET_ERRNO */))
		f |= VJAIL_FEAT_SECCOMP;
	if (f && seccomp_action_avail(SECCOMP_RET_USER_NOTIF))
		f |= VJAIL_FEAT_SECCOMP_NOTIF;
	if (f && seccomp_action_avail(SECCOMP_RET_LOG))
		f |= VJAIL_FEAT_SECCOMP_LOG;
	return f;
}

static uint64_t probe_landlock(int abi)
{
	uint64_t f = 0;

	/* The full filesystem set this library handles needs IOCTL_DEV. */
	if (abi >= 5)
		f |= VJAIL_FEAT_LANDLOCK;
	if (abi >= 4)
		f |= VJAIL_FEAT_LANDLOCK_NET;
	if (abi >= 6)
		f |= VJAIL_FEAT_LANDLOCK_SCOPE;
	return f;
}

static uint64_t probe_cgroups(void)
{
	static const struct {
		const char *name;
		uint64_t bit;
	} ctl[] = {
		{ "memory", VJAIL_FEAT_CGROUP_MEMORY },
		{ "pids", VJAIL_FEAT_CGROUP_PIDS },
		{ "cpu", VJAIL_FEAT_CGROUP_CPU },
		{ "io", VJAIL_FEAT_CGROUP_IO },
	};
	uint64_t f = 0;
	char dir[4096];
	struct vj_cgroupfs fs;

	vj_cgroupfs_read(&fs); /* once for the four lookups */
	for (size_t i = 0; i < sizeof(ctl) / sizeof(ctl[0]); i++) {
		enum vj_cg_version v = vj_cgroupfs_dir(&fs, ctl[i].name, dir,
						       sizeof(dir));

		if (v == VJ_CG_NONE)
			continue;
		f |= v == VJ_CG_V2 ? VJAIL_FEAT_CGROUP_V2 : VJAIL_FEAT_CGROUP_V1;
		/* Writable by us: we can make the jail's child cgroup here. */
		if (access(dir, W_OK) == 0)
			f |= ctl[i].bit;
	}
	vj_cgroupfs_free(&fs);
	return f;
}

/* The virtual uname (libvjail/uname.c): its filters and SIGSYS handler
 * are written for x86_64; init answers through user notification; and
 * init, an ancestor without capabilities, must be allowed to write to the
 * jail's processes, which Yama's ptrace_scope 2 and 3 forbid. */
static uint64_t probe_uname(uint64_t f)
{
#if defined(__x86_64__)
	char scope = '0'; /* no Yama: the classic ptrace rules only */
	int fd;

	if (!(f & VJAIL_FEAT_SECCOMP_NOTIF))
		return 0;
	fd = open("/proc/sys/kernel/yama/ptrace_scope", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, &scope, 1) != 1)
			scope = '3';
		close(fd);
	}
	return scope == '0' || scope == '1' ? VJAIL_FEAT_UNAME : 0;
#else
	(void)f;
	return 0;
#endif
}

/* Per-jail /proc files (libvjail/procview.c) are mounted over the jail's
 * own /proc, which needs a mount and a pid namespace. */
static uint64_t probe_procview(uint64_t f)
{
	return (f & VJAIL_NS_MOUNT) && (f & VJAIL_NS_PID) ? VJAIL_FEAT_PROCVIEW
							 : 0;
}

int vj_probe_landlock_abi(void)
{
	int abi = __atomic_load_n(&cached_abi, __ATOMIC_RELAXED);

	if (abi >= 0)
		return abi;
	abi = vj_sys_landlock_create_ruleset(
		NULL, 0, VJ_LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 0) {
		/* ENOSYS: Linux < 5.13 or CONFIG_SECURITY_LANDLOCK=n.
		 * EOPNOTSUPP: built in but not in lsm= at boot.
		 * EPERM: an outer seccomp filter refuses it. */
		abi = 0;
	}
	__atomic_store_n(&cached_abi, abi, __ATOMIC_RELAXED);
	return abi;
}

uint64_t vj_probe_features(void)
{
	uint64_t f = __atomic_load_n(&cached_features, __ATOMIC_RELAXED);

	if (f & PROBED)
		return f & ~PROBED;
	f = in_child(probe_in_child, 0) | probe_seccomp() | probe_landlock(vj_probe_landlock_abi()) |
	    probe_cgroups();
	f |= probe_uname(f) | probe_procview(f);
	__atomic_store_n(&cached_features, f | PROBED, __ATOMIC_RELAXED);
	return f;
}

/* What vjail_enter() needs on its fast path: only the namespace kinds the
 * jail asks for, in a child that tries nothing else (the full probe also
 * asks, as nobody, about unprivileged user namespaces, and reads the cgroup
 * mounts: about 1 ms that enter does not need; and a network namespace
 * costs 0.5 ms to make and more to tear down, so it is tried only when
 * wanted). Kinds already tried are cached, as the full probe is. */
static uint64_t ns_known, ns_have;

uint64_t vj_probe_namespaces(uint64_t want)
{
	uint64_t f = __atomic_load_n(&cached_features, __ATOMIC_ACQUIRE);
	uint64_t todo;

	if (f & PROBED)
		return f & VJAIL_NS_ALL;
	want = (want & VJAIL_NS_ALL) | VJAIL_NS_USER;
	todo = want & ~__atomic_load_n(&ns_known, __ATOMIC_ACQUIRE);
	if (todo != 0) {
		/* racing callers probe the same facts: OR-ing is safe */
		__atomic_fetch_or(&ns_have, in_child(try_namespaces, todo),
				  __ATOMIC_RELEASE);
		__atomic_fetch_or(&ns_known, todo, __ATOMIC_RELEASE);
	}
	return __atomic_load_n(&ns_have, __ATOMIC_ACQUIRE) & want;
}

bool vj_probe_namespaces_cached(uint64_t want)
{
	uint64_t known = __atomic_load_n(&ns_known, __ATOMIC_ACQUIRE);

	want = (want & VJAIL_NS_ALL) | VJAIL_NS_USER;
	return (__atomic_load_n(&cached_features, __ATOMIC_ACQUIRE) &
		PROBED) ||
	       (want & ~known) == 0;
}

uint64_t vj_probe_seccomp(void)
{
	uint64_t f = __atomic_load_n(&cached_features, __ATOMIC_ACQUIRE);

	if (f & PROBED)
		return f & (VJAIL_FEAT_SECCOMP | VJAIL_FEAT_SECCOMP_NOTIF |
			    VJAIL_FEAT_SECCOMP_LOG);
	return probe_seccomp(); /* three cheap system calls */
}

#ifdef VJ_TESTING
void vj_probe_override(uint64_t features, int abi)
{
	if (abi < 0) {
		__atomic_store_n(&cached_features, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&cached_abi, -1, __ATOMIC_RELAXED);
		return;
	}
	__atomic_store_n(&cached_features, features | PROBED,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&cached_abi, abi, __ATOMIC_RELAXED);
}
#endif
