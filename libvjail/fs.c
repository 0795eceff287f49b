/* libvjail/fs.c - the filesystem barrier: the jail's root, the caller's
 * binds and tmpfs mounts (and, with the isolation work, propagation,
 * /proc, /dev, pivot_root and the detach of the old root).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "args.h"
#include "error.h"
#include "jail.h"

#define VJ_BIND_ALL                                                            \
	(VJAIL_BIND_RW | VJAIL_BIND_OPTIONAL | VJAIL_BIND_DEV |                \
	 VJAIL_BIND_EXEC_OFF)
#define VJ_TMPFS_MIN UINT64_C(4096)
#define VJ_TMPFS_MAX (UINT64_C(1) << 40)

/* Compare two absolute paths, ignoring repeated and trailing slashes. */
static bool same_path(const char *a, const char *b)
{
	for (;;) {
		while (*a == '/' && (a[1] == '/' || a[1] == '\0'))
			a++;
		while (*b == '/' && (b[1] == '/' || b[1] == '\0'))
			b++;
		if (*a != *b)
			return false;
		if (*a == '\0')
			return true;
		a++;
		b++;
	}
}

static int check_target_free(struct vjail *j, const char *target)
{
	for (size_t i = 0; i < j->fs.nmounts; i++)
		if (same_path(j->fs.mounts[i].target, target))
			return vj_fail_msg(j, EEXIST,
					   "mount on %s: already requested",
					   target);
	return 0;
}

static int add_mount(struct vjail *j, const char *source, const char *target,
		     unsigned int flags, uint64_t size)
{
	struct vj_mount_req m = { .flags = flags, .tmpfs_size = size };
	struct vj_mount_req *slot;

	if (vj_strdup(j, &m.target, target) < 0)
		return -ENOMEM;
	if (source != NULL && vj_strdup(j, &m.source, source) < 0) {
		free(m.target);
		return -ENOMEM;
	}
	slot = vj_push(j, (void **)&j->fs.mounts, &j->fs.nmounts, sizeof(m));
	if (slot == NULL) {
		free(m.source);
		free(m.target);
		return -ENOMEM;
	}
	*slot = m;
	return 0;
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_bind(struct vjail *j, const char *source,
			 const char *target, unsigned int flags)
{
	struct stat st;
	int rc = vj_check_new(j, "bind");

	if (rc == 0)
		rc = vj_check_abs_path(j, "bind source", source, true);
	if (rc == 0)
		rc = vj_check_abs_path(j, "bind target", target, false);
	if (rc < 0)
		return rc;
	if (flags & ~VJ_BIND_ALL)
		return vj_fail_msg(j, EINVAL, "bind %s: unknown flags %#x",
				   source, flags & ~VJ_BIND_ALL);
	if (stat(source, &st) != 0 &&
	    !(errno == ENOENT && (flags & VJAIL_BIND_OPTIONAL)))
		return vj_fail(j, errno, "bind source %s", source);
	rc = check_target_free(j, target);
	if (rc < 0)
		return rc;
	return add_mount(j, source, target, flags, 0);
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_tmpfs(struct vjail *j, const char *target, uint64_t size)
{
	int rc = vj_check_new(j, "tmpfs");

	if (rc == 0)
		rc = vj_check_abs_path(j, "tmpfs target", target, false);
	if (rc < 0)
		return rc;
	if (size < VJ_TMPFS_MIN || size > VJ_TMPFS_MAX)
		return vj_fail_msg(j, EINVAL,
				   "tmpfs %s: size %llu, want 4 KiB to 1 TiB",
				   target, (unsigned long long)size);
	rc = check_target_free(j, target);
	if (rc < 0)
		return rc;
	return add_mount(j, NULL, target, VJAIL_BIND_RW, size);
}

void vj_fs_free(struct vjail *j)
{
	for (size_t i = 0; i < j->fs.nmounts; i++) {
		free(j->fs.mounts[i].source);
		free(j->fs.mounts[i].target);
	}
	free(j->fs.mounts);
	free(j->fs.root);
	j->fs.mounts = NULL;
	j->fs.nmounts = 0;
	j->fs.root = NULL;
}
