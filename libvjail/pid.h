/* libvjail/pid.h - the jail's first process, the pid-1 init, and the
 * outside process that waits for them. */
#ifndef VJ_PID_H
#define VJ_PID_H

#include <stdbool.h>
#include <sys/types.h>

struct vjail;

/* Prepare: the pipes between outside and the jail; with a pid namespace
 * the init program (vjail-init) opened; for vjail_spawn() the stacks. */
int vj_pid_prepare(struct vjail *j);

/* Outside: clone the jail's first process into the new namespaces and map
 * its ids. Returns 1 in the parent (j->run.child set), 0 in the child, or
 * a recorded -errno in the parent (no child left behind). vjail_spawn():
 * the child shares the caller's memory and runs j->run.entry on a stack
 * of its own instead of returning; 1 comes once the jail's processes have
 * exec'd or died. */
int vj_pid_clone(struct vjail *j);

/* Outside, enter without VJAIL_ENTER_SUPERVISE: forward signals to the
 * jail, wait, and end this process as the jail's main process ended. */
void vj_pid_wait_and_exit(struct vjail *j) __attribute__((noreturn));

/* Outside: wait for the jail; store main's wait status. 0 or -errno. */
int vj_pid_wait(struct vjail *j, int *status);

/* Commit, first step in a cloned child: wait until the ids are mapped. */
int vj_pid_commit_sync(struct vjail *j);

/* Commit, with a pid namespace: fork the main process (vjail_spawn():
 * clone it, CLONE_VM, to run j->run.entry from the next step); this
 * process execs vjail-init and never returns. In main, returns 0. */
int vj_pid_commit_init(struct vjail *j);

/* Commit, in main before its seccomp filter: unless its Landlock domain
 * keeps it apart from pid 1 already, wait until vjail-init is no longer
 * dumpable. */
int vj_pid_commit_ready(struct vjail *j);

/* Commit, in main: the caller's signal mask back, the pipes closed. */
int vj_pid_commit_main(struct vjail *j);

/* Close whatever pipe ends are still open. */
void vj_pid_close(struct vjail *j);

#endif
