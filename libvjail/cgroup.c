/* libvjail/cgroup.c - the jail's cgroup: where it is created (and, with the
 * limits work, its v2 or v1 limits, placement and removal).
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/compat.h"
#include "args.h"
#include "error.h"
#include "jail.h"

/* Documented in include/vjail.h. */
VJAIL_API int vjail_cgroup_parent(struct vjail *j, const char *path)
{
	int rc = vj_check_new(j, "cgroup parent");

	if (rc < 0)
		return rc;
	if (path == NULL || path[0] == '\0')
		return vj_fail_msg(j, EINVAL, "cgroup parent: empty path");
	if (path[0] == '/')
		rc = vj_check_abs_path(j, "cgroup parent", path, true);
	else if (strstr(path, "..") != NULL)
		rc = vj_fail_msg(j, EINVAL, "cgroup parent \"%s\": \"..\" "
				 "not allowed", path);
	if (rc < 0)
		return rc;
	if (j->cg.parent != NULL)
		return vj_fail_msg(j, EEXIST, "cgroup parent: already set");
	return vj_strdup(j, &j->cg.parent, path);
}

int vj_cg_prepare(struct vjail *j)
{
	(void)j;
	return 0;
}

int vj_cg_commit(struct vjail *j)
{
	if (!(j->run.ns & VJAIL_NS_CGROUP))
		return 0;
	j->run.fail_object = "cgroup namespace";
	return unshare(CLONE_NEWCGROUP) == 0 ? 0 : -errno;
}

void vj_cg_cleanup(struct vjail *j)
{
	(void)j;
}

void vj_cg_free(struct vjail *j)
{
	free(j->cg.parent);
	j->cg.parent = NULL;
}
