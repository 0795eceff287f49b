/* libvjail/landlock.c - Landlock: the second barrier. The filesystem is
 * limited to the jail's own tree (read-only unless a bind says otherwise),
 * TCP bind and connect to the ports the caller allowed, and abstract unix
 * sockets and signals to the jail's own domain.
 *
 * The rights each ABI can handle are a table that grows by a row; the
 * running kernel's row is what we ask for. A right the kernel cannot handle
 * fails prepare unless its feature is waived, and vjail_enforced() reports
 * only what was fully applied. Path rules are added in commit, after
 * pivot_root, because the jail's mounts exist only then; the ruleset itself
 * and the port rules are made in prepare.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/landlock.h"
#include "kernel/probe.h"
#include "kernel/syscalls.h"
#include "args.h"
#include "error.h"
#include "jail.h"

#define VJ_NET_ALL (VJAIL_NET_BIND | VJAIL_NET_CONNECT)

/* Filesystem rights each Landlock ABI handles. Add a row per new ABI. */
static const uint64_t fs_rights_by_abi[] = {
	[0] = 0,
	[1] = VJ_LL_FS_ABI1,
	[2] = VJ_LL_FS_ABI1 | VJ_LL_FS_REFER,
	[3] = VJ_LL_FS_ABI1 | VJ_LL_FS_REFER | VJ_LL_FS_TRUNCATE,
	[4] = VJ_LL_FS_ABI1 | VJ_LL_FS_REFER | VJ_LL_FS_TRUNCATE,
	[5] = VJ_LL_FS_ABI1 | VJ_LL_FS_REFER | VJ_LL_FS_TRUNCATE |
	      VJ_LL_FS_IOCTL_DEV,
	[6] = VJ_LL_FS_ABI1 | VJ_LL_FS_REFER | VJ_LL_FS_TRUNCATE |
	      VJ_LL_FS_IOCTL_DEV,
	[7] = VJ_LL_FS_ABI1 | VJ_LL_FS_REFER | VJ_LL_FS_TRUNCATE |
	      VJ_LL_FS_IOCTL_DEV,
};
_Static_assert(ARRAY_SIZE(fs_rights_by_abi) == VJ_LANDLOCK_ABI_MAX + 1,
	       "one row per known Landlock ABI");

/* Everything this library wants handled: the newest row. */
#define WANT_FS fs_rights_by_abi[VJ_LANDLOCK_ABI_MAX]
#define RO_RIGHTS (VJ_LL_FS_EXECUTE | VJ_LL_FS_READ_FILE | VJ_LL_FS_READ_DIR)
/* Read-write: all but creating device nodes (nodev and no CAP_MKNOD make
 * them useless anyway; not handing them out costs nothing). */
#define RW_RIGHTS (WANT_FS & ~(VJ_LL_FS_MAKE_CHAR | VJ_LL_FS_MAKE_BLOCK))
#define DEV_RIGHTS                                                             \
	(VJ_LL_FS_READ_FILE | VJ_LL_FS_READ_DIR | VJ_LL_FS_WRITE_FILE |        \
	 VJ_LL_FS_IOCTL_DEV)
#define FILE_RIGHTS                                                            \
	(VJ_LL_FS_EXECUTE | VJ_LL_FS_WRITE_FILE | VJ_LL_FS_READ_FILE |         \
	 VJ_LL_FS_TRUNCATE | VJ_LL_FS_IOCTL_DEV)
#define PROC_RIGHTS (VJ_LL_FS_READ_FILE | VJ_LL_FS_READ_DIR | VJ_LL_FS_WRITE_FILE)

/* Documented in include/vjail.h. */
VJAIL_API int vjail_net_allow(struct vjail *j, unsigned int what,
			      unsigned int port)
{
	struct vj_port_rule *r;
	int rc = vj_check_new(j, "net allow");

	if (rc < 0)
		return rc;
	if (what == 0 || (what & ~VJ_NET_ALL))
		return vj_fail_msg(j, EINVAL,
				   "net allow port %u: bad kind %#x (want "
				   "VJAIL_NET_BIND and/or VJAIL_NET_CONNECT)",
				   port, what);
	if (port > 65535)
		return vj_fail_msg(j, EINVAL, "net allow port %u: above 65535",
				   port);
	/* One rule per port: a second call widens it. */
	for (size_t i = 0; i < j->ll.nports; i++) {
		if (j->ll.ports[i].port == port) {
			j->ll.ports[i].what |= what;
			return 0;
		}
	}
	r = vj_push(j, (void **)&j->ll.ports, &j->ll.nports, sizeof(*r));
	if (r == NULL)
		return -ENOMEM;
	r->port = (uint16_t)port;
	r->what = what;
	return 0;
}

/* Is a part the kernel lacks waived? Else fail with a hint. */
static int need(struct vjail *j, bool have, uint64_t feature, int abi,
		const char *what, int min_abi)
{
	if (have || vj_waived(j, feature))
		return 0;
	return vj_fail_msg(j, EOPNOTSUPP,
			   "landlock %s: kernel ABI %d, needs ABI %d (Linux "
			   "%s; or waive %s)",
			   what, abi, min_abi,
			   min_abi >= 6   ? "6.12"
			   : min_abi >= 5 ? "6.10"
			   : min_abi >= 4 ? "6.7"
					  : "5.13 with landlock in lsm=",
			   vjail_feature_name(feature));
}

static int add_port_rules(struct vjail *j)
{
	for (size_t i = 0; i < j->ll.nports; i++) {
		struct vj_landlock_net_port_attr a = {
			.port = j->ll.ports[i].port,
		};

		if (j->ll.ports[i].what & VJAIL_NET_BIND)
			a.allowed_access |= VJ_LL_NET_BIND_TCP;
		if (j->ll.ports[i].what & VJAIL_NET_CONNECT)
			a.allowed_access |= VJ_LL_NET_CONNECT_TCP;
		if (vj_sys_landlock_add_rule(j->ll.ruleset_fd,
					     VJ_LANDLOCK_RULE_NET_PORT, &a,
					     0) != 0)
			return vj_fail(j, errno, "landlock rule for port %u",
				       j->ll.ports[i].port);
	}
	return 0;
}

int vj_ll_prepare(struct vjail *j)
{
	int abi = vj_probe_landlock_abi();
	int row = abi < VJ_LANDLOCK_ABI_MAX ? abi : VJ_LANDLOCK_ABI_MAX;
	struct vj_landlock_ruleset_attr attr = { 0 };
	bool fs = (j->run.ns & VJAIL_NS_MOUNT) != 0;
	size_t size = VJ_LANDLOCK_ATTR_SIZE_ABI1;
	int rc;

	j->ll.ruleset_fd = -1;
	j->ll.abi = abi;
	/* Without a mount namespace there is no jail tree to allow, and
	 * handling the filesystem would deny all of it: only net and
	 * scopes apply then (vjail_namespaces(3)). */
	if (fs && (rc = need(j, (WANT_FS & ~fs_rights_by_abi[row]) == 0,
			     VJAIL_FEAT_LANDLOCK, abi, "filesystem rights",
			     5)) < 0)
		return rc;
	if ((rc = need(j, abi >= 4, VJAIL_FEAT_LANDLOCK_NET, abi,
		       "TCP port rules", 4)) < 0 ||
	    (rc = need(j, abi >= 6, VJAIL_FEAT_LANDLOCK_SCOPE, abi,
		       "scopes", 6)) < 0)
		return rc;
	if (abi == 0)
		return 0; /* every part waived: nothing to apply */
	if (fs)
		attr.handled_access_fs = WANT_FS & fs_rights_by_abi[row];
	if (abi >= 4) {
		attr.handled_access_net = VJ_LL_NET_BIND_TCP |
					  VJ_LL_NET_CONNECT_TCP;
		size = VJ_LANDLOCK_ATTR_SIZE_ABI4;
	}
	if (abi >= 6) {
		attr.scoped = VJ_LL_SCOPE_ABSTRACT_UNIX_SOCKET |
			      VJ_LL_SCOPE_SIGNAL;
		size = VJ_LANDLOCK_ATTR_SIZE_ABI6;
	}
	j->ll.handled_fs = attr.handled_access_fs;
	j->ll.ruleset_fd = vj_sys_landlock_create_ruleset(&attr, size, 0);
	if (j->ll.ruleset_fd < 0)
		return vj_fail(j, errno, "landlock ruleset (ABI %d)", abi);
	if (abi >= 4 && (rc = add_port_rules(j)) < 0)
		return rc;
	if (fs && attr.handled_access_fs == WANT_FS)
		j->enforced |= VJAIL_FEAT_LANDLOCK;
	if (abi >= 4)
		j->enforced |= VJAIL_FEAT_LANDLOCK_NET;
	if (abi >= 6)
		j->enforced |= VJAIL_FEAT_LANDLOCK_SCOPE;
	return 0;
}

/* ---- commit: async-signal-safe ------------------------------------------ */

static int allow_path(struct vjail *j, const char *path, uint64_t rights)
{
	struct vj_landlock_path_beneath_attr a = {
		.allowed_access = rights & j->ll.handled_fs,
	};
	struct stat st;
	int rc = 0;

	a.parent_fd = open(path, O_PATH | O_CLOEXEC);
	if (a.parent_fd < 0)
		return errno == ENOENT ? 0 : vj_commit_fail(j, path, -errno);
	/* A rule on a file (a single-file bind) may carry file rights only:
	 * the kernel refuses directory rights there with EINVAL. */
	if (fstat(a.parent_fd, &st) == 0 && !S_ISDIR(st.st_mode))
		a.allowed_access &= FILE_RIGHTS;
	if (vj_sys_landlock_add_rule(j->ll.ruleset_fd,
				     VJ_LANDLOCK_RULE_PATH_BENEATH, &a, 0) != 0)
		rc = vj_commit_fail(j, path, -errno);
	close(a.parent_fd);
	return rc;
}

/*
 * Read-only rules grant no truncate right, and that has a price. Landlock's
 * open check asks for the right in passing (to know whether a later
 * ftruncate(2) may succeed) and walks up the path until some rule grants
 * every right asked for: under read-only rules each open in the jail walks
 * all the way up to the mount namespace's root instead of stopping at the
 * first rule. make bench: open+close 1.07x the floor, whose one rule
 * grants everything; with truncate granted on a root of "/", 1.02x. It is
 * not granted: a file reached through a magic link of /proc (a kept fd,
 * /proc/self/exe) is checked on its host path, on a writable mount, and a
 * root the caller gives is a host directory such a file may lie below
 * (test truncate_refused_under_callers_root; the read-only rules of binds
 * are guarded the same way by truncate_refused_under_own_root). On the
 * library's own tmpfs root the right would be harmless, but granted there
 * it measured 1.063x and 1.048x (shallow, deep), no better than the "/"
 * root without it in the same run (1.060x, 1.051x): the walk still meets
 * the read-only rule of the bind the file is in, and crosses that mount,
 * before the root.
 */
static int allow_tree(struct vjail *j)
{
	int rc = allow_path(j, "/", (j->flags & VJAIL_CREATE_ROOT_RW)
					    ? RW_RIGHTS
					    : RO_RIGHTS);

	for (size_t i = 0; rc == 0 && i < j->fs.nmounts; i++) {
		const struct vj_mount_req *m = &j->fs.mounts[i];
		uint64_t r = (m->flags & VJAIL_BIND_RW) ? RW_RIGHTS : RO_RIGHTS;

		if (m->flags & VJAIL_BIND_EXEC_OFF)
			r &= ~VJ_LL_FS_EXECUTE;
		if (m->flags & VJAIL_BIND_DEV)
			r |= VJ_LL_FS_IOCTL_DEV;
		if (!m->skip)
			rc = allow_path(j, m->target, r);
	}
	if (rc == 0 && j->fs.dev)
		rc = allow_path(j, "/dev", DEV_RIGHTS);
	if (rc == 0 && j->fs.dev)
		rc = allow_path(j, "/dev/shm", RW_RIGHTS & ~VJ_LL_FS_EXECUTE);
	if (rc == 0 && j->fs.proc)
		rc = allow_path(j, "/proc", PROC_RIGHTS);
	return rc;
}

/* The rules of the jail's tree, then (without a pid namespace) the domain.
 * With one, only main takes it (vj_ll_commit_main()). */
int vj_ll_commit(struct vjail *j)
{
	int rc = 0;

	if (j->ll.ruleset_fd < 0)
		return 0;
	if (j->ll.handled_fs != 0)
		rc = allow_tree(j);
	if (rc < 0 || !j->run.in_place)
		return rc;
	j->run.fail_object = "restrict_self";
	if (vj_sys_landlock_restrict_self(j->ll.ruleset_fd, 0) != 0)
		return -errno;
	vj_ll_close(j);
	return 0;
}

/*
 * Main, with a pid namespace, takes the domain; pid 1 stays outside it.
 * Landlock lets a process ptrace, read the /proc/PID files of, and signal
 * only processes of its own domain or of nested ones: no process of the
 * jail reaches pid 1 (its fds in /proc/1/fd above all), dumpable or not,
 * while pid 1 (vjail-init) still reaches them all for the uname answers.
 * Pid 1 needs no domain of its own: until its exec it runs only this
 * library, and vjail-init's seccomp filter allows no open, exec or socket
 * call (seccomp-profiles.c). One layer for main rather than a second one
 * nested in pid 1's: every path lookup in the jail checks each layer, and
 * make bench measured open+close at 1.074-1.077x the floor (shallow) and
 * 1.055-1.057x (deep) with one, against 1.100-1.106x and 1.073-1.085x
 * with two. Without Landlock main waits for init to drop its dumpable
 * flag instead (pid.c).
 */
int vj_ll_commit_main(struct vjail *j)
{
	int rc = 0;

	j->ll.nested = false;
	if (j->ll.ruleset_fd < 0)
		return 0;
	j->run.fail_object = "restrict_self";
	if (vj_sys_landlock_restrict_self(j->ll.ruleset_fd, 0) != 0)
		rc = -errno;
	vj_ll_close(j);
	j->ll.nested = rc == 0;
	return rc;
}

void vj_ll_close(struct vjail *j)
{
	if (j->ll.ruleset_fd >= 0)
		close(j->ll.ruleset_fd);
	j->ll.ruleset_fd = -1;
}

void vj_ll_free(struct vjail *j)
{
	vj_ll_close(j);
	free(j->ll.ports);
	j->ll.ports = NULL;
	j->ll.nports = 0;
}
