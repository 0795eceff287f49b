/* libvjail/fds.h - descriptors kept across enter. */
#ifndef VJ_FDS_H
#define VJ_FDS_H

#include <stddef.h>

struct vj_keep {
	int fd;
	unsigned int flags; /* VJAIL_KEEP_FD_* */
};

struct vj_fds {
	struct vj_keep *keep;
	size_t n;
};

struct vjail;
void vj_fds_free(struct vjail *j);

#endif
