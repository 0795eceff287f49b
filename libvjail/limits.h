/* libvjail/limits.h - resource limits recorded by vjail_limit(). */
#ifndef VJ_LIMITS_H
#define VJ_LIMITS_H

#include <stdbool.h>
#include <stdint.h>

#define VJ_LIMIT_SLOTS 27 /* entries of the table in limits.c */

struct vj_limit_val {
	bool set;
	uint64_t soft, hard;
};

struct vj_limits {
	struct vj_limit_val v[VJ_LIMIT_SLOTS]; /* indexed like the table */
};

#endif
