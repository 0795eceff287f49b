/* libvjail/fs.h - the jail's filesystem: root, binds, tmpfs, /proc, /dev. */
#ifndef VJ_FS_H
#define VJ_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vj_mount_req {
	char *source;        /* host path; NULL for a tmpfs */
	char *target;        /* path inside the jail */
	unsigned int flags;  /* VJAIL_BIND_* */
	uint64_t tmpfs_size; /* bytes, for a tmpfs */
	/* filled by prepare */
	int src_fd;          /* commit: O_PATH on the source, or -1 */
	bool skip;           /* optional source missing at prepare */
	bool is_dir;         /* the source (or the tmpfs) is a directory */
	char *options;       /* tmpfs mount options */
	bool in_dev;         /* below the jail's own /dev: mounted on it */
	bool make_point;     /* commit creates its mount point (in our tmpfs
				root or in a tmpfs mount that holds it) */
};

struct vj_fs {
	char *root;   /* NULL: an empty tmpfs root */
	struct vj_mount_req *mounts;
	size_t nmounts;
	/* filled by prepare */
	int root_fd;  /* O_PATH on the root (prepare checks, commit mount) */
	const char *stage; /* where the new root is assembled, in our ns */
	bool proc;    /* mount a fresh /proc (needs the pid namespace) */
	bool dev;     /* mount a minimal /dev */
};

struct vjail;
void vj_fs_free(struct vjail *j);

/* Prepare: check the root, the bind sources and the targets. */
int vj_fs_prepare(struct vjail *j);

/* Commit: build the new root and pivot into it; the old root is detached
 * and unreachable afterwards. */
int vj_fs_commit(struct vjail *j);

/* Close what prepare opened (outside the jail, or after commit). */
void vj_fs_close(struct vjail *j);

#endif
