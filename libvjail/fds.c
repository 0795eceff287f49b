/* libvjail/fds.c - process hygiene for descriptors: the list of fds kept
 * across enter (and, with the isolation work, closefrom() of the rest and
 * the refusal of kept fds that are escape hatches).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

#include "args.h"
#include "error.h"
#include "jail.h"

/* Documented in include/vjail.h. */
VJAIL_API int vjail_keep_fd(struct vjail *j, int fd, unsigned int flags)
{
	struct vj_keep *k;
	int rc = vj_check_new(j, "keep fd");

	if (rc < 0)
		return rc;
	if (fd < 0)
		return vj_fail_msg(j, EINVAL, "keep fd %d: negative", fd);
	if (flags & ~VJAIL_KEEP_FD_UNSAFE)
		return vj_fail_msg(j, EINVAL, "keep fd %d: unknown flags %#x",
				   fd, flags & ~VJAIL_KEEP_FD_UNSAFE);
	if (fcntl(fd, F_GETFD) < 0)
		return vj_fail(j, errno, "keep fd %d", fd);
	for (size_t i = 0; i < j->fds.n; i++)
		if (j->fds.keep[i].fd == fd)
			return vj_fail_msg(j, EEXIST,
					   "keep fd %d: already kept", fd);
	k = vj_push(j, (void **)&j->fds.keep, &j->fds.n, sizeof(*k));
	if (k == NULL)
		return -ENOMEM;
	k->fd = fd;
	k->flags = flags;
	return 0;
}

void vj_fds_free(struct vjail *j)
{
	free(j->fds.keep);
	j->fds.keep = NULL;
	j->fds.n = 0;
}
