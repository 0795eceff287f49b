/* libvjail/fs.h - the jail's filesystem: root, binds, tmpfs. */
#ifndef VJ_FS_H
#define VJ_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vj_mount_req {
	char *source;       /* host path; NULL for a tmpfs */
	char *target;       /* path inside the jail */
	unsigned int flags; /* VJAIL_BIND_* */
	uint64_t tmpfs_size; /* bytes, for a tmpfs */
};

struct vj_fs {
	char *root; /* NULL: an empty tmpfs root */
	struct vj_mount_req *mounts;
	size_t nmounts;
};

struct vjail;
void vj_fs_free(struct vjail *j);

#endif
