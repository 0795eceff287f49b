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

#endif /* VJ_KERNEL_CGROUPFS_H */
