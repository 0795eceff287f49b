/* libvjail/initstate.h - what the jail's first process hands to the
 * library's init, vjail-init, across its exec: one plain struct, then the
 * init's seccomp program, in a pipe whose number is vjail-init's argv[1]
 * (pid.c writes both in one write of at most PIPE_BUF bytes).
 *
 * Both sides come from the same build (the library opens the vjail-init of
 * its own $(pkglibexecdir), or the one VJAIL_INIT names for tests); the
 * magic and the size catch a vjail-init of another version, which then
 * refuses to run rather than misread the fds.
 */
#ifndef VJ_INITSTATE_H
#define VJ_INITSTATE_H

#include <stdint.h>
#include <sys/types.h>

#include "procview.h"
#include "uname.h"

#define VJ_INIT_MAGIC 0x766a6931U /* "vji1" */
#define VJ_INIT_PROG_MAX 4096     /* BPF_MAXINSNS */

struct vj_init_state {
	uint32_t magic;
	uint32_t size;          /* sizeof(struct vj_init_state) */
	pid_t main_pid;         /* the jail's main process, init's child */
	int status_fd;          /* main's wait status goes here, to outside */
	int ready_fd;           /* closed once init is not dumpable: main
				   waits for that before it goes on */
	struct vj_uname_srv uname;
	struct vj_pv_live pv;
	uint16_t prog_len;      /* init's seccomp filter, instructions that
				   follow this struct; 0: none */
};

#endif
