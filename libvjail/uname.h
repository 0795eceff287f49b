/* libvjail/uname.h - the virtual uname(2): release, version and machine
 * as vjail_set_uname() says, for every process of the jail. */
#ifndef VJ_UNAME_H
#define VJ_UNAME_H

#include <sys/utsname.h>
#include <linux/audit.h>

#if defined(__x86_64__)
#define VJ_UNAME_ARCH AUDIT_ARCH_X86_64 /* where a virtual uname works */
#endif

struct vjail;

/* What the library's init needs to answer the jail's uname(2) calls: a
 * plain struct, handed to vjail-init across its exec (initstate.h). */
struct vj_uname_srv {
	int listener;         /* the notification fd, or -1: nothing to do */
	struct utsname view;  /* the jail's answer */
};

/* Prepare (from vj_uts_prepare()): decide how uname(2) is answered, find
 * the C library's call sites (in a forked child), compile the filters. */
int vj_uname_prepare(struct vjail *j);

/* Commit, in the jail's first process just before it forks main (pid
 * namespace only): load the user-notification filter, which every process
 * of the jail inherits; the listener stays with init. */
int vj_uname_commit_init(struct vjail *j);

/* Init (uname-serve.c, linked into vjail-init): answer one pending
 * notification (the listener is readable). */
void vj_uname_serve(const struct vj_uname_srv *s);

/* Commit, in main: close the listener; with vjail_enter(), install the
 * SIGSYS handler and the trap filter for the C library's uname calls. */
int vj_uname_commit_main(struct vjail *j);

#endif
