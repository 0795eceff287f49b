/* libvjail/fds.h - descriptors kept across enter, the rest closed. */
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
	/* filled by prepare: every fd commit keeps, ascending */
	int *open;
	size_t nopen;
};

struct vjail;
void vj_fds_free(struct vjail *j);

/* Prepare, after every other step has opened its fds: refuse kept fds that
 * are escape hatches (strict), and list what commit keeps. */
int vj_fds_prepare(struct vjail *j);

/* Commit: close every fd not listed. */
int vj_fds_commit(struct vjail *j);

/* Collect the library's own fds (fs, landlock, pipes) into @out; returns
 * how many. Defined in jail.c, which knows every module. */
size_t vj_internal_fds(const struct vjail *j, int *out, size_t max);

#endif
