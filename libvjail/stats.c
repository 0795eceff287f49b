/* libvjail/stats.c - vjail_stats(): usage of a running jail, read by its
 * supervisor from the jail's cgroup and /proc.
 */
#include <errno.h>
#include <stddef.h>

#include "error.h"
#include "jail.h"

/* Documented in include/vjail.h. */
VJAIL_API int vjail_stats(struct vjail *j, struct vjail_stats *st)
{
	if (st == NULL)
		return vj_fail_msg(j, EINVAL, "stats: NULL struct");
	if (st->size < offsetof(struct vjail_stats, cpu_user_us))
		return vj_fail_msg(j, EINVAL, "stats: size %u too small",
				   st->size);
	if (j->state != VJ_STATE_SPAWNED)
		return vj_fail_msg(j, ESRCH,
				   "stats: no jail is running on this handle");
	return vj_fail_msg(j, ENOSYS, "stats: not implemented in libvjail %s",
			   PACKAGE_VERSION);
}
