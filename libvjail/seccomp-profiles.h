/* libvjail/seccomp-profiles.h - the syscall lists of each seccomp profile
 * (daemon, minimal, and the library's own pid-1 init), and the one function
 * that turns a list into libseccomp rules.
 *
 * The lists are data so that tests can walk them: every denied entry is
 * tried inside a jail, every allowed entry is checked to stay a constant
 * action, and man/vjail_syscalls.7 must name each of them.
 */
#ifndef VJ_SECCOMP_PROFILES_H
#define VJ_SECCOMP_PROFILES_H

#include <stddef.h>
#include <stdint.h>
#include <seccomp.h>

#include "seccomp.h"

/* How a profile allows one syscall. */
enum vj_sc_cond {
	/* Whatever the arguments. The only kind the kernel's seccomp action
	 * cache (Linux 5.11) can prove constant, so these cost no filter run
	 * at all; keep every hot syscall here. */
	VJ_SC_ALWAYS = 0,
	/* clone(2) without a CLONE_NEW* flag in argument @arg. */
	VJ_SC_NO_NEW_NS,
	/* personality(2) only for PER_LINUX and the 0xffffffff query. */
	VJ_SC_PER_LINUX,
	/* mknod(2)/mknodat(2) only for a FIFO (mode in argument @arg), and
	 * not with S_ISUID or S_ISGID (EPERM). */
	VJ_SC_FIFO_ONLY,
	/* ioctl(2) except TIOCSTI and TIOCLINUX (request in argument @arg),
	 * which take the deny action. */
	VJ_SC_NO_TTY_INJECT,
	/* socket(2) except AF_VSOCK (family in argument @arg); likewise. */
	VJ_SC_NO_VSOCK,
	/* Always fails with ENOSYS: clone3(2), whose flags live in memory a
	 * filter cannot read; glibc then falls back to clone(2). */
	VJ_SC_ENOSYS,
	/* Allowed unless the mode in argument @arg has S_ISUID or S_ISGID;
	 * those fail with EPERM: chmod, mkdir, creat... */
	VJ_SC_NO_SETID,
	/* open(2)/openat(2): flags in @arg, mode in @arg + 1; fails with
	 * EPERM when it creates (O_CREAT, O_TMPFILE) with S_ISUID/S_ISGID. */
	VJ_SC_NO_SETID_CREATE,
	/* Always fails with EOPNOTSUPP, as on a filesystem without extended
	 * attributes: set*xattr(2), whose name a filter cannot read. */
	VJ_SC_EOPNOTSUPP,
};

struct vj_sc_entry {
	const char *name;   /* libseccomp's name */
	uint8_t cond;       /* enum vj_sc_cond */
	uint8_t arg;        /* argument the condition looks at */
};

/* A syscall a profile leaves to the deny action on purpose, and why. */
struct vj_sc_denied {
	const char *name;
	const char *why;
};

struct vj_sc_profile {
	const char *name;                 /* "daemon", for messages */
	const struct vj_sc_entry *allow;
	size_t nallow;
	/* Documentation and tests only: the filter denies everything that
	 * is not in @allow, these are the entries worth a reason. */
	const struct vj_sc_denied *denied;
	size_t ndenied;
};

extern const struct vj_sc_profile vj_sc_daemon;
extern const struct vj_sc_profile vj_sc_minimal;
extern const struct vj_sc_profile vj_sc_init; /* the library's pid 1 */

/* The table of a public profile; NULL for VJAIL_PROFILE_NONE. */
const struct vj_sc_profile *vj_sc_profile_of(enum vjail_profile p);

/* Where vj_sc_build() puts its rules. */
struct vj_sc_build {
	scmp_filter_ctx main;  /* default action: the deny action */
	/* NULL: one program. Else a filter of default action allow, which
	 * gets the denials of the argument checks (set-id modes, TIOCSTI,
	 * AF_VSOCK...); seccomp-profiles.c says when and why. */
	scmp_filter_ctx args;
	uint32_t deny;         /* libseccomp action of a denied call */
	const struct vj_sc_rule *skip; /* the caller's rules: these syscalls */
	size_t nskip;                  /* are left out of the profile */
	size_t nargs;          /* out: rules added to @args */
	const char *failed;    /* out: the entry libseccomp refused */
};

/*
 * Add the rules of profile @p to @b->main, argument checks included, or
 * with the denials of the argument checks in @b->args when that is set.
 * A syscall that the caller has a rule for is left out entirely (the
 * caller's rule replaces the profile's, argument checks included). Names
 * this libseccomp does not know are skipped: an allowlist that misses a
 * syscall only denies it.
 *
 * Returns 0 or the negative errno of libseccomp, with @b->failed set.
 */
int vj_sc_build_profile(const struct vj_sc_profile *p, struct vj_sc_build *b);

#endif /* VJ_SECCOMP_PROFILES_H */
