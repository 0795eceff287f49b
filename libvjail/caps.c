/* libvjail/caps.c - identity and privilege: the uid/gid switch,
 * supplementary groups, the capabilities kept (everything else is dropped
 * with libcap-ng, bounding set included), securebits, no_new_privs.
 *
 * libcap-ng keeps per-thread state shared with the host daemon: prepare
 * saves it, sets up the jail's sets, and vj_caps_restore() puts the
 * caller's state back, so a daemon that uses libcap-ng itself sees no
 * change. Commit only applies what prepare computed (capng_apply of the
 * capability sets is one capset(2)).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cap-ng.h>
#include <linux/capability.h>
#include <linux/securebits.h>

#include "kernel/compat.h"
#include "kernel/syscalls.h"

#include "args.h"
#include "error.h"
#include "jail.h"

/* The highest capability this kernel knows; CAP_LAST_CAP of our headers if
 * /proc is not readable. */
static int cap_last(void)
{
	char buf[16] = "";
	int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return CAP_LAST_CAP;
	buf[n] = '\0';
	return atoi(buf);
}

static int store_user(struct vjail *j, uid_t uid, gid_t gid)
{
	if (j->creds.user_set)
		return vj_fail_msg(j, EEXIST, "user: already set");
	j->creds.uid = uid;
	j->creds.gid = gid;
	j->creds.user_set = true;
	return 0;
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_set_user(struct vjail *j, uid_t uid, gid_t gid)
{
	int rc = vj_check_new(j, "user");

	if (rc < 0)
		return rc;
	if (uid == (uid_t)-1 || gid == (gid_t)-1)
		return vj_fail_msg(j, EINVAL, "user: uid or gid is -1");
	return store_user(j, uid, gid);
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_set_user_name(struct vjail *j, const char *name)
{
	struct passwd pw, *found = NULL;
	gid_t groups[VJ_MAX_GROUPS];
	int ngroups = VJ_MAX_GROUPS;
	char buf[4096];
	int rc = vj_check_new(j, "user");

	if (rc == 0)
		rc = vj_check_text(j, "user name", name, 256, true);
	if (rc < 0)
		return rc;
	rc = getpwnam_r(name, &pw, buf, sizeof(buf), &found);
	if (rc != 0)
		return vj_fail(j, rc, "user lookup %s", name);
	if (found == NULL)
		return vj_fail_msg(j, ENOENT, "user %s: no such user", name);
	if (getgrouplist(name, pw.pw_gid, groups, &ngroups) < 0)
		return vj_fail_msg(j, EINVAL, "user %s: more than %d groups",
				   name, VJ_MAX_GROUPS);
	if (j->creds.user_set || j->creds.groups_set)
		return vj_fail_msg(j, EEXIST, "user %s: user or groups already set",
				   name);
	store_user(j, pw.pw_uid, pw.pw_gid);
	memcpy(j->creds.groups, groups, (size_t)ngroups * sizeof(gid_t));
	j->creds.ngroups = (size_t)ngroups;
	j->creds.groups_set = true;
	return 0;
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_set_groups(struct vjail *j, size_t n, const gid_t *groups)
{
	int rc = vj_check_new(j, "groups");

	if (rc < 0)
		return rc;
	if (n > VJ_MAX_GROUPS)
		return vj_fail_msg(j, EINVAL, "groups: %zu given, at most %d",
				   n, VJ_MAX_GROUPS);
	if (n > 0 && groups == NULL)
		return vj_fail_msg(j, EINVAL, "groups: NULL list of %zu", n);
	for (size_t i = 0; i < n; i++)
		if (groups[i] == (gid_t)-1)
			return vj_fail_msg(j, EINVAL, "groups: entry %zu is -1",
					   i);
	if (j->creds.groups_set)
		return vj_fail_msg(j, EEXIST, "groups: already set");
	if (n > 0)
		memcpy(j->creds.groups, groups, n * sizeof(gid_t));
	j->creds.ngroups = n;
	j->creds.groups_set = true;
	return 0;
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_keep_cap(struct vjail *j, int cap)
{
	int rc = vj_check_new(j, "keep capability");
	int last = cap_last();

	if (rc < 0)
		return rc;
	if (cap < 0 || cap > last || cap > 63)
		return vj_fail_msg(j, EINVAL,
				   "keep capability %d: not a capability of "
				   "this kernel (0 to %d)",
				   cap, last);
	j->creds.keep_caps |= UINT64_C(1) << cap;
	return 0;
}

/* ---- prepare ------------------------------------------------------------ */

/* Without a user namespace a kept capability must be one the caller
 * holds: commit could not raise it (capset(2) refuses) and would fail
 * after the fork, or, in place, with the caller half jailed. With one,
 * the jail's first process holds every capability of its namespace. */
static int check_keepable(struct vjail *j)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { { 0 } };

	if (j->creds.keep_caps == 0 || (j->run.ns & VJAIL_NS_USER))
		return 0;
	if (vj_sys_capget(&hdr, data) != 0)
		return vj_fail(j, errno, "capget");
	for (int cap = 0; cap <= j->creds.last_cap && cap < 64; cap++)
		if (((j->creds.keep_caps >> cap) & 1) &&
		    !(data[CAP_TO_INDEX(cap)].permitted & CAP_TO_MASK(cap)))
			return vj_fail_msg(j, EPERM,
					   "keep capability %d: the caller does "
					   "not hold it, and without a user "
					   "namespace nothing gives it",
					   cap);
	return 0;
}

int vj_caps_prepare(struct vjail *j)
{
	int rc;

	j->creds.last_cap = cap_last();
	if ((rc = check_keepable(j)) < 0)
		return rc;
	j->run.capng_saved = capng_save_state();
	if (j->run.capng_saved == NULL)
		return vj_fail(j, ENOMEM, "saving libcap-ng state");
	capng_clear(CAPNG_SELECT_BOTH);
	for (int cap = 0; cap <= j->creds.last_cap && cap < 64; cap++)
		if ((j->creds.keep_caps >> cap) & 1)
			capng_update(CAPNG_ADD,
				     CAPNG_EFFECTIVE | CAPNG_PERMITTED |
					     CAPNG_INHERITABLE |
					     CAPNG_BOUNDING_SET,
				     (unsigned int)cap);
	return 0;
}

void vj_caps_restore(struct vjail *j)
{
	if (j->run.capng_saved != NULL)
		capng_restore_state(&j->run.capng_saved);
}

/* ---- commit: async-signal-safe ------------------------------------------ */

static bool keeps(const struct vjail *j, int cap)
{
	return cap < 64 && ((j->creds.keep_caps >> cap) & 1);
}

/* Root gains nothing from exec (NOROOT) or from a uid change
 * (NO_SETUID_FIXUP: we set the sets ourselves), and nobody in the jail
 * may undo it (the _LOCKED bits). */
static int lock_securebits(struct vjail *j)
{
	unsigned long bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
			     SECBIT_NO_SETUID_FIXUP |
			     SECBIT_NO_SETUID_FIXUP_LOCKED |
			     SECBIT_KEEP_CAPS_LOCKED;

	j->run.fail_object = "securebits";
	return prctl(PR_SET_SECUREBITS, bits, 0, 0, 0) == 0 ? 0 : -errno;
}

/* libcap-ng's CAPNG_SELECT_BOUNDS re-reads /proc/PID/status to check
 * CAP_SETPCAP, which allocates: not allowed here, so the drop is done with
 * the prctl it would have called. */
static int drop_bounding(struct vjail *j)
{
	j->run.fail_object = "bounding set";
	for (int cap = 0; cap <= j->creds.last_cap; cap++)
		if (!keeps(j, cap) &&
		    prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL)
			return -errno;
	return 0;
}

/* Raw system calls (kernel/syscalls.h says why not glibc's): this process
 * is the only thread that must change. */
static int switch_ids(struct vjail *j)
{
	/* setgroups is denied in an unprivileged user namespace. */
	if (j->run.privileged && (j->creds.groups_set || j->creds.user_set)) {
		j->run.fail_object = "setgroups";
		if (vj_sys_setgroups(j->creds.ngroups, j->creds.groups) != 0)
			return -errno;
	}
	j->run.fail_object = "setresgid";
	if (vj_sys_setresgid(j->run.gid, j->run.gid, j->run.gid) != 0)
		return -errno;
	j->run.fail_object = "setresuid";
	if (vj_sys_setresuid(j->run.uid, j->run.uid, j->run.uid) != 0)
		return -errno;
	return 0;
}

static int apply_caps(struct vjail *j)
{
	j->run.fail_object = "capabilities";
	capng_setpid(0); /* this process, whatever pid libcap-ng recorded */
	if (capng_apply(CAPNG_SELECT_CAPS) != 0)
		return -EPERM;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 &&
	    errno != EINVAL)
		return -errno;
	/* Kept capabilities survive an exec of the jail's program only in
	 * the ambient set (vjail_spawn()). */
	for (int cap = 0; cap <= j->creds.last_cap; cap++)
		if (keeps(j, cap) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) != 0)
			return -errno;
	return 0;
}

int vj_caps_commit_fsids(struct vjail *j)
{
	if (!(j->run.ns & VJAIL_NS_USER))
		return 0;
	/* setfsuid() reports no error: ask again and compare. */
	j->run.fail_object = "setfsgid";
	setfsgid(j->run.gid);
	if ((gid_t)setfsgid((gid_t)-1) != j->run.gid)
		return -EPERM;
	j->run.fail_object = "setfsuid";
	setfsuid(j->run.uid);
	if ((uid_t)setfsuid((uid_t)-1) != j->run.uid)
		return -EPERM;
	return 0;
}

int vj_caps_commit(struct vjail *j)
{
	/* Capabilities are held in a user namespace or by a privileged
	 * caller; a plain unprivileged process has none to drop. */
	bool held = j->run.privileged || (j->run.ns & VJAIL_NS_USER);
	int rc = 0;

	if (held && (rc = lock_securebits(j)) == 0)
		rc = drop_bounding(j);
	if (rc == 0 && (held || j->creds.user_set))
		rc = switch_ids(j);
	if (rc == 0)
		rc = apply_caps(j);
	if (rc < 0)
		return rc;
	j->run.fail_object = "no_new_privs";
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -errno;
	/* Not dumpable: no core with the jail's memory, and no ptrace
	 * attach by the jail's other processes of the same uid. */
	j->run.fail_object = "dumpable";
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return -errno;
	umask(077);
	return 0;
}
