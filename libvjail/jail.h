/* libvjail/jail.h - the private layout of struct vjail.
 *
 * Each module owns its slice of the handle (j->fs belongs to fs.c, j->sc to
 * seccomp.c, ...): only the owner writes it. jail.c owns the rest: the
 * state machine, flags, waivers and the record of what was enforced.
 */
#ifndef VJ_JAIL_H
#define VJ_JAIL_H

#include <stdbool.h>
#include <stdint.h>

#include "vjail.h"
#include "caps.h"
#include "cgroup.h"
#include "fds.h"
#include "fs.h"
#include "landlock.h"
#include "limits.h"
#include "ns.h"
#include "seccomp.h"
#include "timens.h"
#include "uts.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum vj_state {
	VJ_STATE_NEW = 0,    /* recording intent */
	VJ_STATE_COMMITTING, /* commit started: failures end the process */
	VJ_STATE_ENTERED,    /* this process is inside the jail */
	VJ_STATE_SPAWNED,    /* a child runs in the jail; we supervise */
};

struct vjail {
	enum vj_state state;
	unsigned int flags;   /* VJAIL_CREATE_* */
	uint64_t waived;      /* features the caller accepts to miss */
	uint64_t enforced;    /* what enter really applied */
	char errmsg[512];     /* last failure, "<step> <object>: <reason>" */

	struct vj_ns ns;
	struct vj_uts uts;
	struct vj_timens timens;
	struct vj_creds creds;
	struct vj_fs fs;
	struct vj_fds fds;
	struct vj_ll ll;
	struct vj_sc sc;
	struct vj_limits limits;
	struct vj_cg cg;
};

/* Is @feature waived (by vjail_waive() or VJAIL_CREATE_BEST_EFFORT)? */
static inline bool vj_waived(const struct vjail *j, uint64_t feature)
{
	return (j->flags & VJAIL_CREATE_BEST_EFFORT) ||
	       (j->waived & feature) == feature;
}

#endif /* VJ_JAIL_H */
