/* libvjail/uts.h - host and domain name, virtual uname. */
#ifndef VJ_UTS_H
#define VJ_UTS_H

#include <stdbool.h>

#define VJ_UTS_LEN 64 /* __NEW_UTS_LEN */

struct vj_uts {
	char hostname[VJ_UTS_LEN + 1];  /* "" = not set */
	char domainname[VJ_UTS_LEN + 1];
	char release[VJ_UTS_LEN + 1];   /* "" = the host's */
	char version[VJ_UTS_LEN + 1];
	char machine[VJ_UTS_LEN + 1];
	bool uname_set;
};


struct vjail;

/* Prepare: names need the UTS namespace they live in. */
int vj_uts_prepare(struct vjail *j);

/* Commit: set host and domain name in the jail's UTS namespace. */
int vj_uts_commit(struct vjail *j);

#endif
