/* kernel/cgroupfs.h - where the caller's cgroups live, v2 and v1.
 *
 * Reads /proc/self/cgroup and /proc/self/mountinfo (the kernel's own
 * description) to find, for a controller, the directory of the cgroup the
 * calling process sits in. Used by the feature probe and by cgroup.c.
 */
#ifndef VJ_KERNEL_CGROUPFS_H
#define VJ_KERNEL_CGROUPFS_H

#include <stddef.h>

enum vj_cg_version {
	VJ_CG_NONE = 0,
	VJ_CG_V1 = 1,
	VJ_CG_V2 = 2,
};

/*
 * What /proc/self/cgroup and /proc/self/mountinfo said, for several
 * lookups: reading mountinfo is the expensive part (50 to 250 us), so it
 * is read only when a lookup finds no hierarchy where distributions mount
 * them (cgroupfs.c), once, and kept for the next lookups: the lookups
 * change the snapshot. vj_cgroupfs_read() reads /proc/self/cgroup and
 * returns 0 or -errno; on failure the lookups below fail with that same
 * -errno, as the single-lookup calls do; a failed read of mountinfo fails
 * the lookups that need it. vj_cgroupfs_free() may be called on a failed
 * snapshot.
 */
struct vj_cgroupfs {
	char *cgroup;    /* the files, each line NUL-ended */
	size_t cgroup_len;
	char *mountinfo; /* NULL until a lookup needs it */
	size_t mountinfo_len;
	int err;         /* -errno of the read of /proc/self/cgroup, or 0 */
	int mountinfo_err; /* -errno of the read of mountinfo, or 0 */
};

int vj_cgroupfs_read(struct vj_cgroupfs *fs);
void vj_cgroupfs_free(struct vj_cgroupfs *fs);

/* vj_cgroup_dir() and vj_cgroup_hierarchy() on a snapshot. */
enum vj_cg_version vj_cgroupfs_dir(struct vj_cgroupfs *fs,
				   const char *controller, char *dir,
				   size_t size);
int vj_cgroupfs_hierarchy(struct vj_cgroupfs *fs, const char *v1_name,
			  char *mnt, size_t msize, char *own, size_t osize);

/*
 * Directory of the caller's cgroup that carries @controller ("memory",
 * "pids", "cpu", "io" or "blkio"; NULL for the cgroup2 hierarchy itself),
 * written to @dir. A v2 answer is preferred: it is returned when the
 * controller is listed in the cgroup2 cgroup.controllers of the caller's
 * cgroup; else the v1 hierarchy that carries the controller.
 *
 * Returns VJ_CG_V2 or VJ_CG_V1, or VJ_CG_NONE with errno set (ENOENT: no
 * such controller mounted; ENAMETOOLONG; the errno of reading /proc).
 */
enum vj_cg_version vj_cgroup_dir(const char *controller, char *dir,
				 size_t size);

/*
 * One hierarchy, for cgroup.c: the mount point of the cgroup2 hierarchy
 * (@v1_name NULL) or of the v1 hierarchy carrying controller @v1_name, and
 * the caller's own cgroup in it as a path below that mount point ("" for
 * its root, else starting with '/'). No check of cgroup.controllers here.
 *
 * Returns 0, or -ENOENT (no such hierarchy mounted), -ENAMETOOLONG, or the
 * -errno of reading /proc.
 */
int vj_cgroup_hierarchy(const char *v1_name, char *mnt, size_t msize,
			char *own, size_t osize);

/*
 * @path, an absolute path below some cgroup mount point (v1 or v2), minus
 * that mount point: "/sys/fs/cgroup/memory/jails" gives "/jails", so that
 * one parent given by the caller names the same cgroup in every hierarchy.
 *
 * Returns 0, or -EINVAL (@path is below no cgroup mount), -ENAMETOOLONG, or
 * the -errno of reading /proc.
 */
int vj_cgroup_strip_mount(const char *path, char *rel, size_t size);

#endif /* VJ_KERNEL_CGROUPFS_H */
