/* libvjail/seccomp-bpf.h - compiling a profile into raw BPF with
 * libseccomp: the one sequence that both the library (prepare, when it
 * cannot use the precompiled tables) and the build-time generator of those
 * tables (seccomp-genstock.c) run, so that both produce the same bytes.
 */
#ifndef VJ_SECCOMP_BPF_H
#define VJ_SECCOMP_BPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "seccomp-profiles.h"

/* What vj_sc_compile() produces: malloc'd programs, or why it failed. */
struct vj_sc_compiled {
	void *prog;               /* struct sock_filter[prog_len] */
	unsigned short prog_len;
	void *argprog;            /* the argument filter; NULL if none */
	unsigned short argprog_len;
	/* on failure: the filter ("init", "daemon", "argument"), the step
	 * ("seccomp_init", "attributes", "rule", "export"...), and for a
	 * rule, the syscall libseccomp refused (a profile entry's name, or
	 * NULL for a caller's rule, whose number is in @failed_nr) */
	const char *what;
	const char *step;
	const char *failed;
	int failed_nr;
};

/*
 * Compile profile @p into a filter whose default action is @deny, its
 * argument checks included if @one_program; else their denials go into a
 * second filter of default action allow, @out->argprog (NULL when the
 * profile has no argument check; seccomp-profiles.c says why; the two
 * answer as the one). The caller's @rules (@nrules of them, their
 * libseccomp actions given by @action_of) replace the profile's entries
 * for their syscalls; a rule whose action is @deny adds nothing. @what
 * names the filter in @out->what on failure.
 *
 * Context attributes (all the library's filters): bad architecture kills
 * the process (i386 and x32 on x86_64 are not added), no_new_privs is left
 * to the credentials step, binary-tree optimisation where libseccomp has
 * it.
 *
 * Returns 0 with @out's programs set (the caller frees them), or a
 * negative errno with @out->what/step/failed set and no program:
 *   -EOPNOTSUPP  libseccomp's API level is below 3 (KILL_PROCESS, LOG)
 *   -ENOMEM      out of memory
 *   -E2BIG       a program longer than BPF_MAXINSNS
 *   other        libseccomp's error, or the errno of memfd/fstat/pread
 */
int vj_sc_compile(const struct vj_sc_profile *p, const char *what,
		  uint32_t deny, bool one_program,
		  const struct vj_sc_rule *rules, size_t nrules,
		  uint32_t (*action_of)(const struct vj_sc_rule *),
		  struct vj_sc_compiled *out);

#endif /* VJ_SECCOMP_BPF_H */
