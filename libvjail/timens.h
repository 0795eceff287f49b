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

#endif
