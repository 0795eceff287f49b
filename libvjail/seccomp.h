/* libvjail/seccomp.h - the jail's syscall policy. */
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
};

struct vjail;
void vj_sc_free(struct vjail *j);

#endif
