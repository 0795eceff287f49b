/* libvjail/limits.h - resource limits recorded by vjail_limit(). */
#ifndef VJ_LIMITS_H
#define VJ_LIMITS_H

#include <stdbool.h>
#include <stdint.h>

#include "vjail.h"

#define VJ_LIMIT_SLOTS 27 /* entries of the table in limits.c */

struct vj_limit_val {
	bool set;
	uint64_t soft, hard;
};

struct vj_limits {
	struct vj_limit_val v[VJ_LIMIT_SLOTS]; /* indexed like the table */
};

struct vjail;

/* The limit recorded for @what: 1 with *@soft and *@hard set, 0 when not
 * set, -EINVAL for an unknown kind. For policy dumps (config-load.c). */
int vj_limit_get(const struct vjail *j, enum vjail_limit_kind what,
		 uint64_t *soft, uint64_t *hard);

/* The recorded value of @what, or NULL when it is not set. For cgroup.c. */
const struct vj_limit_val *vj_limit_find(const struct vjail *j,
					 enum vjail_limit_kind what);

/* Prepare: refuse rlimits and IPC limits the caller could not apply (a
 * hard rlimit above its own without CAP_SYS_RESOURCE, or above what the
 * kernel accepts; IPC limits without an IPC namespace). cgroup.c checks
 * and applies the cgroup rows. */
int vj_limits_prepare(struct vjail *j);

/* Commit: the IPC namespace's sysctls (before /proc turns read-only). */
int vj_limits_commit_ipc(struct vjail *j);

/* Commit: setrlimit() for every rlimit row set. */
int vj_limits_commit(struct vjail *j);

#endif
