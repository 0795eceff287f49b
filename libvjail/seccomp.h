/* libvjail/seccomp.h - the jail's syscall policy: the setters' record, the
 * compiled filters, and the prepare/commit entry points. The profile lists
 * live in seccomp-profiles.{c,h}; vjail_syscalls(7) documents them.
 */
#ifndef VJ_SECCOMP_H
#define VJ_SECCOMP_H

#include <stdbool.h>
#include <stddef.h>

#include "vjail.h"

struct vj_sc_rule {
	int nr;                  /* native syscall number */
	enum vjail_action action;
	int err;
};

struct vj_sc {
	enum vjail_profile profile; /* 0 = not chosen: DAEMON */
	enum vjail_action deny_action; /* 0 = not chosen: ERRNO EPERM */
	int deny_err;
	struct vj_sc_rule *rules;
	size_t nrules;
	/* Compiled in prepare, loaded in commit (struct sock_fprog layout:
	 * length in instructions, then the program). NULL/0 when unused.
	 * Either malloc'd, or the static precompiled programs of
	 * seccomp-stock.h (progs_static: prog; init_static),
	 * which must not be freed. */
	bool progs_static;
	bool init_static;
	unsigned short prog_len;
	const void *prog;       /* struct sock_filter[prog_len] */
	unsigned short init_prog_len;
	const void *init_prog;
	/* The argument filter of a configuration that is not stock (caller
	 * rules, another deny action): default allow, denies the refused
	 * arguments (set-id modes, TIOCSTI, AF_VSOCK; seccomp-profiles.c
	 * says why not in prog). Loaded before prog; always malloc'd; NULL
	 * for a stock configuration, whose prog has the checks. */
	unsigned short argprog_len;
	const void *argprog;
};

struct vjail;
void vj_sc_free(struct vjail *j);

/*
 * Prepare: compile the jail's filter (profile + rules + default action)
 * with libseccomp and export it as raw BPF into j->sc.prog (and
 * j->sc.argprog), and the small fixed filter of the library's pid-1 init
 * into j->sc.init_prog; or, for a stock profile and the init filter, point
 * at the programs precompiled at build time (seccomp-stock.h). May
 * allocate; records the failure on the handle and returns -errno. With
 * VJAIL_PROFILE_NONE, j->sc.prog stays empty.
 */
int vj_sc_prepare(struct vjail *j);

/* The same, always compiling with libseccomp: for the tests that compare
 * the precompiled programs with what this libseccomp produces. */
int vj_sc_prepare_compiled(struct vjail *j);

/*
 * Commit: load j->sc.argprog if any, then j->sc.prog, into the calling
 * thread (seccomp(2) with SECCOMP_SET_MODE_FILTER, no TSYNC: vjail_enter()
 * refuses a multi-threaded caller with -EBUSY, and threads created later
 * inherit the filters; no_new_privs is already set by then). No allocation,
 * async-signal-safe. Returns 0 or -errno; the caller dies.
 */
int vj_sc_commit(struct vjail *j);

/* j->sc.init_prog is loaded by vjail-init itself (init.c), which pid 1
 * hands it across its exec (pid.c). */

#endif
