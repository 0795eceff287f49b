/* libvjail/cgroup.h - the jail's cgroup: creation, limits, placement,
 * accounting reads and removal, in cgroup v2 or v1. */
#ifndef VJ_CGROUP_H
#define VJ_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "vjail.h"

/* What one directory of the jail's cgroup carries. */
#define VJ_CTL_CORE (1u << 0)    /* v2 core files: procs, cpu.stat, kill */
#define VJ_CTL_MEMORY (1u << 1)
#define VJ_CTL_PIDS (1u << 2)
#define VJ_CTL_CPU (1u << 3)
#define VJ_CTL_CPUACCT (1u << 4) /* v1 only: CPU time by user/system */
#define VJ_CTL_IO (1u << 5)      /* v2 io, v1 blkio */

/* One hierarchy (v2 has one, hybrid v1 up to one per controller). */
#include "kernel/cgroupfs.h"

#define VJ_CG_MAX_DIRS 6

struct vj_cg_dir {
	int version;      /* 1 or 2 */
	unsigned int ctl; /* VJ_CTL_* this directory carries for the jail */
	char *path;       /* the jail's cgroup directory */
	int parent_fd;    /* its parent: the rmdir goes through it */
	int dir_fd;       /* the directory: limits and stats are read here */
	int procs_fd;     /* its cgroup.procs, write-only: commit moves in */
};

struct vj_cg {
	char *parent; /* vjail_cgroup_parent(); NULL: the caller's own */
	/* filled by prepare */
	struct vj_cg_dir dir[VJ_CG_MAX_DIRS];
	size_t ndirs;
	char name[48]; /* "vjail-<pid>-<n>", the same in every hierarchy */
	/* read just before removal, for vjail_stats() after vjail_wait() */
	bool have_final;
	struct vjail_stats final;
};

struct vjail;
void vj_cg_free(struct vjail *j);

/* The jail's own cgroup directory that carries the memory controller,
 * written to @dir: VJ_CG_V2 or VJ_CG_V1, or VJ_CG_NONE when the jail has
 * none of its own (no memory limit: it lives in the caller's). */
enum vj_cg_version vj_cg_memory_dir(const struct vjail *j, char *dir,
				    size_t size);

/* Prepare: make the jail's cgroup in each hierarchy it needs, write the
 * limits, open what commit needs. Strict: a cgroup limit that cannot be
 * applied fails here, unless its controller's feature bit is waived. */
int vj_cg_prepare(struct vjail *j);

/* Commit: move into the jail's cgroup, then unshare the cgroup namespace,
 * whose root is thereby the jail's cgroup. */
int vj_cg_commit(struct vjail *j);

/* Outside, once the jail ended (or prepare failed): keep the final figures,
 * kill what is left in the cgroup, remove it. On a jail still running
 * (vjail_destroy() before vjail_wait()) only closes the descriptors. */
void vj_cg_cleanup(struct vjail *j);

/* The library fds commit needs (the cgroup.procs files); returns how many
 * were stored in @out. */
size_t vj_cg_internal_fds(const struct vjail *j, int *out, size_t max);

/* Fill @st (every field) from the jail's cgroup; the pids of the jail's
 * processes are listed for stats.c. Returns 0 or -errno. */
int vj_cg_read_stats(struct vjail *j, struct vjail_stats *st);

/* The pids in the jail's cgroup, up to @max; -1 when the jail has none. */
long vj_cg_pids(const struct vjail *j, pid_t *out, size_t max);

#endif
