/* libvjail/timens.h - the jail's uptime (time namespace offsets). */
#ifndef VJ_TIMENS_H
#define VJ_TIMENS_H

#include <stdbool.h>
#include <stdint.h>

#define VJ_UPTIME_MAX (INT64_C(10) * 366 * 24 * 3600) /* ten years */

struct vj_timens {
	int64_t uptime; /* seconds the jail's clocks start at */
	bool set;
};

struct vjail;

/* Prepare: an uptime needs the time namespace. */
int vj_timens_prepare(struct vjail *j);

/* Commit: a new time namespace whose boottime and monotonic clocks start
 * at the configured uptime. Processes created afterwards are inside; in
 * place (no pid namespace), the caller moves itself in too. */
int vj_timens_commit(struct vjail *j);

#endif
