/* libvjail/fds.c - process hygiene for descriptors: the fds kept across
 * enter, the refusal of kept fds that are escape hatches, and the close of
 * everything else (libbsd closefrom() for the tail).
 *
 * An inherited descriptor is the classic hole in a chroot: a directory fd
 * opened outside lets openat(fd, "..") walk the host, whatever the new root.
 * So a kept directory fd, or a kept fd open on a path outside the jail's
 * root, is refused unless the caller says VJAIL_KEEP_FD_UNSAFE (Landlock
 * still confines it). stdin, stdout and stderr stay open when they are
 * open, and are refused only if they are directories: pointing at a log
 * file or a terminal is their normal life.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bsd/unistd.h>

#include "args.h"
#include "error.h"
#include "jail.h"

#define VJ_MAX_INTERNAL_FDS 16

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

/* Is the path behind @fd outside the jail's root? Sockets, pipes and
 * anonymous inodes have no path; an unlinked file (a memfd) cannot be
 * reached by one either. */
static bool outside_root(const struct vjail *j, int fd, const struct stat *st)
{
	char link[32], target[PATH_MAX], root[PATH_MAX];
	size_t rlen;
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0 || target[0] != '/' || st->st_nlink == 0)
		return false;
	target[n] = '\0';
	if (j->fs.root == NULL || !(j->run.ns & VJAIL_NS_MOUNT))
		return j->run.ns & VJAIL_NS_MOUNT; /* tmpfs root: all outside */
	/* The kernel's link is canonical: compare with the canonical root,
	 * whatever symlinks or "//" the caller's spelling had. */
	if (realpath(j->fs.root, root) == NULL)
		return true;
	rlen = strlen(root);
	return !(strncmp(target, root, rlen) == 0 &&
		 (target[rlen] == '/' || target[rlen] == '\0' || rlen == 1));
}

static int check_kept(struct vjail *j, int fd, unsigned int flags, bool stdio)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return stdio && errno == EBADF ? 0 : vj_fail(j, errno,
							     "keep fd %d", fd);
	if (flags & VJAIL_KEEP_FD_UNSAFE)
		return 0;
	if (S_ISDIR(st.st_mode))
		return vj_fail_msg(j, EPERM,
				   "keep fd %d: a directory fd is a way out of "
				   "any root (close it, or VJAIL_KEEP_FD_UNSAFE)",
				   fd);
	if (!stdio && outside_root(j, fd, &st))
		return vj_fail_msg(j, EPERM,
				   "keep fd %d: open on a path outside the "
				   "jail's root (VJAIL_KEEP_FD_UNSAFE allows it)",
				   fd);
	return 0;
}

/* The flags @fd was kept with (stdio may be kept explicitly, UNSAFE). */
static unsigned int kept_flags(const struct vjail *j, int fd)
{
	for (size_t i = 0; i < j->fds.n; i++)
		if (j->fds.keep[i].fd == fd)
			return j->fds.keep[i].flags;
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

int vj_fds_prepare(struct vjail *j)
{
	size_t cap = j->fds.n + 3 + VJ_MAX_INTERNAL_FDS, n = 0;
	int rc;

	for (int fd = 0; fd < 3; fd++)
		if ((rc = check_kept(j, fd, kept_flags(j, fd), true)) < 0)
			return rc;
	for (size_t i = 0; i < j->fds.n; i++)
		if ((rc = check_kept(j, j->fds.keep[i].fd,
				     j->fds.keep[i].flags, false)) < 0)
			return rc;
	free(j->fds.open);
	j->fds.open = calloc(cap, sizeof(int));
	if (j->fds.open == NULL)
		return vj_fail(j, ENOMEM, "list of kept fds");
	for (int fd = 0; fd < 3; fd++)
		j->fds.open[n++] = fd;
	for (size_t i = 0; i < j->fds.n; i++)
		j->fds.open[n++] = j->fds.keep[i].fd;
	n += vj_internal_fds(j, j->fds.open + n, VJ_MAX_INTERNAL_FDS);
	qsort(j->fds.open, n, sizeof(int), cmp_int);
	j->fds.nopen = n;
	return 0;
}

/* close_range(2) over each gap between kept fds, closefrom() past the
 * last one. */
int vj_fds_commit(struct vjail *j)
{
	int next = 0;

	j->run.fail_object = "fds";
	for (size_t i = 0; i < j->fds.nopen; i++) {
		int fd = j->fds.open[i];

		if (fd > next && close_range((unsigned int)next,
					     (unsigned int)fd - 1, 0) != 0)
			return -errno;
		if (fd >= next)
			next = fd + 1;
	}
	closefrom(next);
	return 0;
}

void vj_fds_free(struct vjail *j)
{
	free(j->fds.keep);
	free(j->fds.open);
	j->fds.keep = NULL;
	j->fds.open = NULL;
	j->fds.n = j->fds.nopen = 0;
}
