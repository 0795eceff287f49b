/* fuzz/escape-exec.h - running an escape program, inside the jail.
 */
#ifndef VJ_ESCAPE_EXEC_H
#define VJ_ESCAPE_EXEC_H

#include <stdbool.h>

#include "escape-prog.h"
#include "escape-world.h"

/* Run @p with the world @env. Whatever a call reads (file contents, link
 * targets, directory entries, kernel log, received data) is written to
 * env->report_fd for the oracle. With @trace, one line per call ("#3 open:
 * 4" or "#3 open: -1 EACCES") goes there too.
 *
 * @control is the check of the oracle itself: the program runs without a
 * jail, so an escape program must be caught. To keep the shared machine
 * safe, calls that could harm it outside a jail are skipped there (mount
 * family, setns, ptrace, raw syscalls, ioctl, mknod, signals to anything
 * but the sentinel, and writes that resolve outside @W); they count as
 * failed with ECANCELED.
 *
 * Returns in every process that ran the program (clone makes more than
 * one); the caller ends them. */
void ep_run(const struct ep_prog *p, const struct ep_env *env, bool control,
	    bool trace);

#endif /* VJ_ESCAPE_EXEC_H */
