/* libvjail/caps.c - identity and privilege: the uid/gid switch,
 * supplementary groups, and the capabilities kept (everything else is
 * dropped with libcap-ng at enter).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>

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
