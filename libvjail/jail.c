/* libvjail/jail.c - the handle's life: create, destroy, the last error,
 * waivers and the record of what was enforced; and vjail_enter(), which
 * will read top to bottom as two tables, prepare then commit.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "args.h"
#include "error.h"
#include "jail.h"

#define VJ_CREATE_ALL (VJAIL_CREATE_BEST_EFFORT)
#define VJ_ENTER_ALL (VJAIL_ENTER_SUPERVISE)

static int check_root(const char *root)
{
	struct stat st;

	if (root == NULL)
		return 0;
	if (root[0] != '/' || strlen(root) >= PATH_MAX)
		return -EINVAL;
	if (stat(root, &st) != 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_create(struct vjail **jp, const char *root,
			   unsigned int flags)
{
	struct vjail *j;
	int rc;

	*jp = NULL;
	if (flags & ~VJ_CREATE_ALL)
		return -EINVAL; /* a newer caller's wish we cannot honour */
	rc = check_root(root);
	if (rc < 0)
		return rc;
	j = calloc(1, sizeof(*j));
	if (j == NULL)
		return -ENOMEM;
	j->flags = flags;
	if (root != NULL && (j->fs.root = strdup(root)) == NULL) {
		free(j);
		return -ENOMEM;
	}
	*jp = j;
	return 0;
}

/* Documented in include/vjail.h. */
VJAIL_API void vjail_destroy(struct vjail *j)
{
	if (j == NULL)
		return;
	vj_fs_free(j);
	vj_fds_free(j);
	vj_ll_free(j);
	vj_sc_free(j);
	vj_cg_free(j);
	free(j);
}

/* Documented in include/vjail.h. */
VJAIL_API const char *vjail_strerror(const struct vjail *j)
{
	return j->errmsg;
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_waive(struct vjail *j, uint64_t features)
{
	int rc = vj_check_new(j, "waive");

	if (rc < 0)
		return rc;
	if (features & ~VJAIL_FEAT_ALL)
		return vj_fail_msg(j, EINVAL, "waive: unknown bits %#llx",
				   (unsigned long long)(features &
							~VJAIL_FEAT_ALL));
	j->waived |= features;
	return 0;
}

/* Documented in include/vjail.h. */
VJAIL_API uint64_t vjail_enforced(const struct vjail *j)
{
	return j->enforced;
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_enter(struct vjail *j, unsigned int flags)
{
	int rc = vj_check_new(j, "enter");

	if (rc < 0)
		return rc;
	if (flags & ~VJ_ENTER_ALL)
		return vj_fail_msg(j, EINVAL, "enter: unknown flags %#x",
				   flags & ~VJ_ENTER_ALL);
	return vj_fail_msg(j, ENOSYS,
			   "enter: not implemented in libvjail %s",
			   PACKAGE_VERSION);
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_spawn(struct vjail *j, char *const argv[],
			  char *const envp[], pid_t *pid)
{
	int rc = vj_check_new(j, "spawn");

	(void)envp;
	if (rc < 0)
		return rc;
	if (argv == NULL || argv[0] == NULL || argv[0][0] == '\0')
		return vj_fail_msg(j, EINVAL, "spawn: empty argv");
	if (pid == NULL)
		return vj_fail_msg(j, EINVAL, "spawn: pid pointer is NULL");
	return vj_fail_msg(j, ENOSYS,
			   "spawn %s: not implemented in libvjail %s",
			   argv[0], PACKAGE_VERSION);
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_wait(struct vjail *j, int *status)
{
	if (status == NULL)
		return vj_fail_msg(j, EINVAL, "wait: status pointer is NULL");
	return vj_fail_msg(j, ECHILD, "wait: no jail was spawned or "
			   "supervised on this handle");
}
