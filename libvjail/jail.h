/* libvjail/jail.h - the private layout of struct vjail.
 *
 * Each module owns its slice of the handle (j->fs belongs to fs.c, j->sc to
 * seccomp.c, ...): only the owner writes it. jail.c owns the rest: the
 * state machine, flags, waivers and the record of what was enforced.
 */
#ifndef VJ_JAIL_H
#define VJ_JAIL_H

#include <signal.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "vjail.h"
#include "caps.h"
#include "cgroup.h"
#include "fds.h"
#include "fs.h"
#include "landlock.h"
#include "limits.h"
#include "ns.h"
#include "procview.h"
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

/* What prepare decided and what commit needs: owned by jail.c and pid.c. */
struct vj_run {
	uint64_t ns;          /* namespaces to create, VJAIL_NS_* */
	bool privileged;      /* CAP_SYS_ADMIN at prepare: no user ns needed */
	bool in_place;        /* no pid namespace: commit runs in the caller */
	bool spawning;        /* vjail_spawn(): exec at the end */
	bool supervising;     /* VJAIL_ENTER_SUPERVISE: the caller stays out */
	uid_t uid;            /* the jail's ids (identity-mapped in a user ns) */
	gid_t gid;
	char *uid_map;        /* contents for /proc/PID/uid_map, gid_map */
	char *gid_map;
	int sync_fd[2];       /* outer -> jail: ids are mapped, go on */
	int status_fd[2];     /* init -> outer: main's wait status */
	int init_fd;          /* the vjail-init program, opened in prepare */
	int ready_fd;         /* main: EOF once init is not dumpable */
	int ready_w;          /* its write end, which init takes along */
	int state_fd[2];      /* pid 1 -> vjail-init: its state */
	/* vjail_spawn(): the jail's processes share the caller's memory
	 * until they exec (pid.c) */
	int exec_fd[2];       /* close-on-exec: EOF once all have exec'd */
	bool shares_vm;       /* ... unless the caller is not dumpable */
	struct vjail *caller; /* vjail_enter(): main's way back (pid.c) */
	sigjmp_buf resume;
	void *area;           /* handle copies and stacks, mmap'd in prepare */
	size_t area_size;
	int (*entry)(void *); /* what they run: the table from step, exec */
	size_t step;          /* the commit step running */
	pid_t child;          /* the jail's outermost process, seen outside */
	int main_status;      /* wait status of main, once known */
	bool have_status;
	const char *fail_object; /* object of a failing commit step */
	char fail_buf[256];   /* storage for a fail_object built on the fly */
	char *const *argv;    /* vjail_spawn() */
	char *const *envp;
	sigset_t saved_mask;  /* the caller's mask, restored in main */
	void *capng_saved;    /* the caller's libcap-ng state */
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
	struct vj_pv pv;
	struct vj_run run;
};

/* One step of prepare or commit: 0 or -errno. */
struct vj_step {
	const char *name;
	int (*run)(struct vjail *j);
};

/* Is @feature waived (by vjail_waive() or VJAIL_CREATE_BEST_EFFORT)? */
static inline bool vj_waived(const struct vjail *j, uint64_t feature)
{
	return (j->flags & VJAIL_CREATE_BEST_EFFORT) ||
	       (j->waived & feature) == feature;
}

#endif /* VJ_JAIL_H */
