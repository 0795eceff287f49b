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
};

#endif
