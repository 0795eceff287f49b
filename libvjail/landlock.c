/* libvjail/landlock.c - Landlock: the jail's TCP port rules (and, with the
 * isolation work, the ruleset for the best ABI the kernel offers, path
 * rules for the root and binds, scopes, restrict_self).
 */
#include <errno.h>
#include <stdlib.h>

#include "args.h"
#include "error.h"
#include "jail.h"

#define VJ_NET_ALL (VJAIL_NET_BIND | VJAIL_NET_CONNECT)

/* Documented in include/vjail.h. */
VJAIL_API int vjail_net_allow(struct vjail *j, unsigned int what,
			      unsigned int port)
{
	struct vj_port_rule *r;
	int rc = vj_check_new(j, "net allow");

	if (rc < 0)
		return rc;
	if (what == 0 || (what & ~VJ_NET_ALL))
		return vj_fail_msg(j, EINVAL,
				   "net allow port %u: bad kind %#x (want "
				   "VJAIL_NET_BIND and/or VJAIL_NET_CONNECT)",
				   port, what);
	if (port > 65535)
		return vj_fail_msg(j, EINVAL, "net allow port %u: above 65535",
				   port);
	/* One rule per port: a second call widens it. */
	for (size_t i = 0; i < j->ll.nports; i++) {
		if (j->ll.ports[i].port == port) {
			j->ll.ports[i].what |= what;
			return 0;
		}
	}
	r = vj_push(j, (void **)&j->ll.ports, &j->ll.nports, sizeof(*r));
	if (r == NULL)
		return -ENOMEM;
	r->port = (uint16_t)port;
	r->what = what;
	return 0;
}

void vj_ll_free(struct vjail *j)
{
	free(j->ll.ports);
	j->ll.ports = NULL;
	j->ll.nports = 0;
}
