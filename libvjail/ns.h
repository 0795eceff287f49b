/* libvjail/ns.h - which namespaces the jail gets, and their creation. */
#ifndef VJ_NS_H
#define VJ_NS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct vj_ns {
	uint64_t want; /* VJAIL_NS_* */
	bool chosen;   /* vjail_namespaces() was called */
	bool unprobed; /* prepare skipped the probe: the clone will tell */
	bool ready;    /* the jail's first process says when its maps may
			* be written (the caller is not dumpable) */
};

struct vjail;

/* Prepare: the namespaces to create (strict unless waived), the jail's
 * ids and the id maps. */
int vj_ns_prepare(struct vjail *j);

/* Did the caller ask for namespace @bit (before any waiver dropped it)? */
bool vj_ns_requested(const struct vjail *j, uint64_t bit);

/* clone(2) flags for the jail's first process (all but time and cgroup). */
unsigned long vj_ns_clone_flags(const struct vjail *j);

/* Outside: the clone into the namespaces failed with @err. Records why
 * (naming the missing namespace when the probe finds one) and returns
 * -errno, as a failing prepare would. */
int vj_ns_clone_failed(struct vjail *j, int err);

/* Must the outside wait for the jail's first process to make itself
 * dumpable before writing its id maps (pid.c's "ready" byte)? Only a
 * caller that is not dumpable (it dropped root, or was set-uid) has a
 * child whose /proc/PID files belong to root. */
bool vj_ns_ready_needed(const struct vjail *j);

/* Outside, after clone: write the child's id maps. Not commit: may fail
 * back to the caller, who then kills the child. */
int vj_ns_map_child(struct vjail *j, pid_t child);

/* Commit, in place (no pid namespace): unshare into everything but time. */
int vj_ns_commit_unshare(struct vjail *j);

/* Commit: bring the loopback interface of a new network namespace up. */
int vj_ns_commit_loopback(struct vjail *j);

#endif
