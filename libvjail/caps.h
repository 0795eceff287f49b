/* libvjail/caps.h - who the jail runs as, and with which capabilities. */
#ifndef VJ_CAPS_H
#define VJ_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define VJ_MAX_GROUPS 64

struct vj_creds {
	uid_t uid;
	gid_t gid;
	bool user_set;
	gid_t groups[VJ_MAX_GROUPS];
	size_t ngroups;
	bool groups_set;
	uint64_t keep_caps; /* bit n = keep capability n */
	int last_cap;       /* /proc/sys/kernel/cap_last_cap, read in prepare */
};


struct vjail;

/* Prepare: the capability sets to keep, in libcap-ng's per-thread state
 * (the caller's state is saved first; vj_caps_restore() puts it back). */
int vj_caps_prepare(struct vjail *j);

/* Commit: securebits, bounding set, groups and ids, capabilities,
 * ambient set, no_new_privs, not dumpable, umask. */
int vj_caps_commit(struct vjail *j);

/* Commit, first thing in a user namespace: file ids = the jail's ids, so
 * that what the setup creates is owned by an id the namespace maps (root
 * mapping only the jail's uid would otherwise get EOVERFLOW). */
int vj_caps_commit_fsids(struct vjail *j);

/* Put the caller's libcap-ng state back (outside the jail). */
void vj_caps_restore(struct vjail *j);

#endif
