/* libvjail/ns.c - the jail's namespaces: which ones (strict unless
 * waived), the id maps of the user namespace, the unshare itself, and the
 * loopback interface of a new network namespace.
 *
 * Id maps are identity maps of the jail's own ids: uid 1000 outside is uid
 * 1000 inside, and every other id shows as the overflow id. An
 * unprivileged caller may only map itself (user_namespaces(7)), and must
 * deny setgroups(2) before writing its gid map, so its supplementary groups
 * stay as they were (they show as nogroup inside).
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bsd/string.h>
#include <linux/capability.h>

#include "kernel/compat.h"
#include "kernel/probe.h"
#include "kernel/syscalls.h"
#include "args.h"
#include "asyncsafe.h"
#include "error.h"
#include "jail.h"

static const struct {
	uint64_t bit;
	unsigned long clone_flag;
	const char *hint;
} kinds[] = {
	{ VJAIL_NS_USER, CLONE_NEWUSER,
	  "CONFIG_USER_NS, user.max_user_namespaces > 0" },
	{ VJAIL_NS_PID, CLONE_NEWPID, "CONFIG_PID_NS" },
	{ VJAIL_NS_MOUNT, CLONE_NEWNS, "mount namespaces" },
	{ VJAIL_NS_IPC, CLONE_NEWIPC, "CONFIG_IPC_NS" },
	{ VJAIL_NS_UTS, CLONE_NEWUTS, "CONFIG_UTS_NS" },
	{ VJAIL_NS_NET, CLONE_NEWNET, "CONFIG_NET_NS" },
	{ VJAIL_NS_CGROUP, CLONE_NEWCGROUP, "CONFIG_CGROUPS, Linux 4.6" },
	{ VJAIL_NS_TIME, CLONE_NEWTIME, "CONFIG_TIME_NS, Linux 5.6" },
};

/* Documented in include/vjail.h. */
VJAIL_API int vjail_namespaces(struct vjail *j, uint64_t ns)
{
	int rc = vj_check_new(j, "namespaces");

	if (rc < 0)
		return rc;
	if (ns & ~VJAIL_NS_ALL)
		return vj_fail_msg(j, EINVAL,
				   "namespaces: unknown bits %#llx",
				   (unsigned long long)(ns & ~VJAIL_NS_ALL));
	if (j->ns.chosen)
		return vj_fail_msg(j, EEXIST, "namespaces: already chosen");
	j->ns.want = ns;
	j->ns.chosen = true;
	return 0;
}

/* Does the caller hold CAP_SYS_ADMIN? Then it needs no user namespace to
 * create the others. Asked of the kernel rather than assumed from uid 0:
 * root in a container often lacks it. capget(2), not /proc/self/status:
 * one system call instead of a stdio parse (about 50 us). */
static bool has_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { { 0 } };

	if (vj_sys_capget(&hdr, data) != 0)
		return geteuid() == 0;
	return (data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &
		CAP_TO_MASK(CAP_SYS_ADMIN)) != 0;
}

/* Drop the kinds the kernel lacks if waived; fail on the others. */
static int fit_to_kernel(struct vjail *j)
{
	uint64_t have = vj_probe_namespaces(j->run.ns);

	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		uint64_t bit = kinds[i].bit;

		if (!(j->run.ns & bit) || (have & bit))
			continue;
		if (bit == VJAIL_NS_USER && !j->run.privileged)
			return vj_fail_msg(j, EOPNOTSUPP,
					   "namespace ns-user: not available to "
					   "this unprivileged caller (needs %s), "
					   "and every other namespace depends on "
					   "it",
					   kinds[i].hint);
		if (!vj_waived(j, bit))
			return vj_fail_msg(j, EOPNOTSUPP,
					   "namespace %s: not offered by this "
					   "kernel (needs %s; or waive it)",
					   vjail_feature_name(bit),
					   kinds[i].hint);
		j->run.ns &= ~bit;
	}
	return 0;
}

static int choose_ids(struct vjail *j)
{
	j->run.uid = j->creds.user_set ? j->creds.uid : geteuid();
	j->run.gid = j->creds.user_set ? j->creds.gid : getegid();
	if (j->run.privileged)
		return 0;
	if (j->run.uid != geteuid() || j->run.gid != getegid())
		return vj_fail_msg(j, EPERM,
				   "user %u:%u: an unprivileged caller can "
				   "only run the jail as itself (%u:%u)",
				   (unsigned)j->run.uid, (unsigned)j->run.gid,
				   (unsigned)geteuid(), (unsigned)getegid());
	if (j->creds.ngroups > 0)
		return vj_fail_msg(j, EPERM,
				   "groups: an unprivileged caller cannot set "
				   "supplementary groups (setgroups is denied "
				   "in its user namespace)");
	return 0;
}

/* "id id 1" for the jail's id and, as root, each supplementary group. */
static int build_maps(struct vjail *j)
{
	size_t cap = 32 * (j->creds.ngroups + 1);
	char *g;

	if (asprintf(&j->run.uid_map, "%u %u 1\n", (unsigned)j->run.uid,
		     (unsigned)j->run.uid) < 0)
		return vj_fail(j, ENOMEM, "uid map");
	g = j->run.gid_map = calloc(1, cap);
	if (g == NULL)
		return vj_fail(j, ENOMEM, "gid map");
	snprintf(g, cap, "%u %u 1\n", (unsigned)j->run.gid,
		 (unsigned)j->run.gid);
	for (size_t i = 0; i < j->creds.ngroups; i++) {
		gid_t id = j->creds.groups[i];
		char line[32];

		if (id == j->run.gid)
			continue;
		snprintf(line, sizeof(line), "\n%u %u 1\n", (unsigned)id,
			 (unsigned)id);
		if (strstr(g, line) != NULL) /* duplicate group */
			continue;
		strlcat(g, line + 1, cap);
	}
	return 0;
}

/* Must prepare ask the probe which kinds this caller can create (a forked
 * child that tries them: 0.4 ms, 0.8 ms with a network namespace)? Not
 * when nothing may be dropped: then the jail's own clone3 is the test,
 * and only its failure runs the probe, to name what is missing
 * (vj_ns_clone_failed()). Still needed when
 * - the answer is known already (cached, or vj_probe_override()): free;
 * - a kind may be waived (or best effort): the probe decides what to drop;
 * - the caller itself becomes the jail (no pid namespace, not spawning):
 *   its unshare comes in commit, where a failure ends the process instead
 *   of returning an error;
 * - the time or cgroup namespace is asked for and this kernel has none
 *   (no /proc/self/ns entry): those are unshared in commit, after the
 *   clone, so their absence must be known now. */
static bool must_probe(const struct vjail *j)
{
	static const struct {
		uint64_t bit;
		const char *path;
	} late[] = {
		{ VJAIL_NS_TIME, "/proc/self/ns/time" },
		{ VJAIL_NS_CGROUP, "/proc/self/ns/cgroup" },
	};

	if (j->run.ns == 0)
		return false; /* nothing to ask */
	if (vj_probe_namespaces_cached(j->run.ns) ||
	    (j->run.in_place && !j->run.spawning))
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if ((j->run.ns & kinds[i].bit) && vj_waived(j, kinds[i].bit))
			return true;
	for (size_t i = 0; i < ARRAY_SIZE(late); i++)
		if ((j->run.ns & late[i].bit) &&
		    access(late[i].path, F_OK) != 0)
			return true;
	return false;
}

int vj_ns_clone_failed(struct vjail *j, int err)
{
	/* The probe that prepare skipped names the kind the kernel refused,
	 * with the same message and errno a probing prepare gives. */
	if (j->ns.unprobed) {
		int rc;

		j->ns.unprobed = false;
		rc = fit_to_kernel(j);
		if (rc < 0)
			return rc;
	}
	return vj_fail(j, err, "clone into the jail's namespaces");
}

int vj_ns_prepare(struct vjail *j)
{
	int rc;

	j->run.ns = j->ns.chosen ? j->ns.want : VJAIL_NS_DEFAULT;
	j->run.privileged = has_sys_admin();
	j->run.in_place = !(j->run.ns & VJAIL_NS_PID);
	if (!j->run.privileged && j->run.ns != 0)
		j->run.ns |= VJAIL_NS_USER;
	if (j->fs.root != NULL && !(j->run.ns & VJAIL_NS_MOUNT))
		return vj_fail_msg(j, EINVAL,
				   "root %s: a new root needs the mount "
				   "namespace (VJAIL_NS_MOUNT)",
				   j->fs.root);
	j->ns.unprobed = !must_probe(j);
	rc = j->ns.unprobed ? 0 : fit_to_kernel(j);
	/* A waiver may not turn a jail root into the host's: fail closed. */
	if (rc == 0 && !(j->run.ns & VJAIL_NS_MOUNT) &&
	    (j->fs.root != NULL || j->fs.nmounts > 0))
		rc = vj_fail_msg(j, j->fs.root ? EOPNOTSUPP : EINVAL,
				 "%s: needs the mount namespace%s",
				 j->fs.root ? j->fs.root : j->fs.mounts[0].target,
				 j->fs.root ? ", which this kernel does not "
					      "offer (no waiver can drop a root)"
					    : " (VJAIL_NS_MOUNT)");
	if (rc == 0)
		rc = choose_ids(j);
	if (rc == 0 && (j->run.ns & VJAIL_NS_USER))
		rc = build_maps(j);
	/* A dumpable caller's child is dumpable from birth: its maps can be
	 * written as soon as clone3 returns, without a round trip. */
	j->ns.ready = (j->run.ns & VJAIL_NS_USER) &&
		      prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 1; /* SUID_DUMP_USER */
	if (rc == 0)
		j->enforced |= j->run.ns;
	return rc;
}

bool vj_ns_ready_needed(const struct vjail *j)
{
	return j->ns.ready;
}

bool vj_ns_requested(const struct vjail *j, uint64_t bit)
{
	return ((j->ns.chosen ? j->ns.want : VJAIL_NS_DEFAULT) & bit) != 0;
}

unsigned long vj_ns_clone_flags(const struct vjail *j)
{
	unsigned long flags = 0;

	/* Time and cgroup namespaces come later, from timens.c and
	 * cgroup.c: each must be made after something else (the offsets,
	 * the move into the jail's cgroup). */
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if ((j->run.ns & kinds[i].bit) &&
		    !(kinds[i].bit & (VJAIL_NS_TIME | VJAIL_NS_CGROUP)))
			flags |= kinds[i].clone_flag;
	return flags;
}

/* Write one map file below @dir, an fd of /proc/PID. Async-signal-safe. */
static int write_map(struct vjail *j, int dir, const char *file,
		     const char *content)
{
	int fd = openat(dir, file, O_WRONLY | O_CLOEXEC);
	int rc;

	j->run.fail_object = file;
	if (fd < 0)
		return -errno;
	rc = vj_as_write_all(fd, content, strlen(content));
	if (close(fd) != 0 && rc == 0)
		rc = -errno;
	return rc;
}

/* The maps of @pid ("self" or a number): /proc/PID is looked up once, the
 * files opened below it. Async-signal-safe. */
static int write_maps(struct vjail *j, const char *pid)
{
	char path[32] = "/proc/";
	int dir, rc = 0;

	strlcat(path, pid, sizeof(path));
	dir = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0) {
		j->run.fail_object = ".";
		return -errno;
	}
	/* An unprivileged writer must deny setgroups before the gid map
	 * (since Linux 3.19); root keeps it, to set the jail's groups. */
	if (!j->run.privileged)
		rc = write_map(j, dir, "setgroups", "deny");
	if (rc == 0)
		rc = write_map(j, dir, "uid_map", j->run.uid_map);
	if (rc == 0)
		rc = write_map(j, dir, "gid_map", j->run.gid_map);
	close(dir);
	return rc;
}

int vj_ns_map_child(struct vjail *j, pid_t child)
{
	char pid[24];
	int rc;

	if (!(j->run.ns & VJAIL_NS_USER))
		return 0;
	snprintf(pid, sizeof(pid), "%d", (int)child);
	rc = write_maps(j, pid);
	if (rc < 0)
		return vj_fail(j, -rc, "id map /proc/%s/%s", pid,
			       j->run.fail_object);
	return 0;
}

/* A privileged caller's maps name ids other than its own (the jail's user,
 * its groups), which only a process still in the parent namespace, with
 * CAP_SETUID there, may write: the caller loses that by unsharing. A forked
 * helper writes them once the caller is in. SIGCHLD stays blocked meanwhile
 * so that a daemon's own handler does not reap the helper. */
static int map_self_by_helper(struct vjail *j)
{
	sigset_t chld, old;
	int go[2], st, rc;
	pid_t helper;

	if (pipe2(go, O_CLOEXEC) != 0)
		return -errno;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	helper = fork();
	if (helper == 0) {
		char pid[24] = "", c;

		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		vj_as_append_i64(pid, sizeof(pid), getppid());
		_exit(write_maps(j, pid) == 0 ? 0 : 2);
	}
	close(go[0]);
	rc = helper < 0 ? -errno : 0;
	if (rc == 0 && unshare(CLONE_NEWUSER) != 0)
		rc = -errno;
	if (rc == 0 && write(go[1], "g", 1) != 1)
		rc = -errno;
	close(go[1]); /* on failure: EOF, the helper gives up */
	while (helper > 0 && waitpid(helper, &st, 0) < 0 && errno == EINTR)
		;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (rc == 0 && !(WIFEXITED(st) && WEXITSTATUS(st) == 0))
		rc = -EPERM;
	return rc;
}

int vj_ns_commit_unshare(struct vjail *j)
{
	unsigned long rest = vj_ns_clone_flags(j) & ~(unsigned long)CLONE_NEWUSER;
	int rc;

	if ((j->run.ns & VJAIL_NS_USER) && j->run.privileged) {
		j->run.fail_object = "user (ids mapped by a helper)";
		rc = map_self_by_helper(j);
		if (rc < 0)
			return rc;
	} else if (j->run.ns & VJAIL_NS_USER) {
		j->run.fail_object = "user";
		if (unshare(CLONE_NEWUSER) != 0)
			return -errno;
		/* A caller that dropped root (setresuid) is not dumpable, and
		 * its /proc/self files then belong to root, so it could not
		 * write its own maps; the credentials step makes it not
		 * dumpable again. The clone path does the same (pid.c). */
		j->run.fail_object = "dumpable";
		if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0)
			return -errno;
		rc = write_maps(j, "self");
		if (rc < 0)
			return rc;
	}
	j->run.fail_object = "namespaces";
	if (rest != 0 && unshare((int)rest) != 0)
		return -errno;
	return 0;
}

int vj_ns_commit_loopback(struct vjail *j)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd, rc = 0;

	if (!(j->run.ns & VJAIL_NS_NET))
		return 0;
	j->run.fail_object = "lo";
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) != 0)
		rc = -errno;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (rc == 0 && ioctl(fd, SIOCSIFFLAGS, &ifr) != 0)
		rc = -errno;
	close(fd);
	return rc;
}
