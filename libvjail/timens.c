/* libvjail/timens.c - virtual uptime: the boottime and monotonic offsets of
 * the jail's time namespace.
 */
#include <errno.h>
#include <inttypes.h>

#include "error.h"
#include "jail.h"

/* Documented in include/vjail.h. */
VJAIL_API int vjail_set_uptime(struct vjail *j, int64_t seconds)
{
	int rc = vj_check_new(j, "uptime");

	if (rc < 0)
		return rc;
	if (seconds < 0 || seconds > VJ_UPTIME_MAX)
		return vj_fail_msg(j, EINVAL,
				   "uptime: %" PRId64
				   " seconds, want 0 to %" PRId64,
				   seconds, VJ_UPTIME_MAX);
	if (j->timens.set)
		return vj_fail_msg(j, EEXIST, "uptime: already set");
	j->timens.uptime = seconds;
	j->timens.set = true;
	return 0;
}
