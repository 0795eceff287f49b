/* libvjail/ns.c - namespace selection (and, with the isolation work, the
 * unshare sequence, uid/gid maps and loopback).
 */
#include <errno.h>

#include "args.h"
#include "error.h"
#include "jail.h"

/* Documented in include/vjail.h. */
VJAIL_API int vjail_namespaces(struct vjail *j, uint64_t ns)
{
	int rc = vj_check_new(j, "namespaces");

	if (rc < 0)
		return rc;
	if (ns & ~VJAIL_NS_ALL)
		return vj_fail_msg(j, EINVAL,
				   "namespaces: unknown bits %#llx",
				   (unsigned long long)(ns & ~VJAIL_NS_ALL));
	if (j->ns.chosen)
		return vj_fail_msg(j, EEXIST, "namespaces: already chosen");
	j->ns.want = ns;
	j->ns.chosen = true;
	return 0;
}
