/* libvjail/cgroup.h - the jail's cgroup. */
#ifndef VJ_CGROUP_H
#define VJ_CGROUP_H

struct vj_cg {
	char *parent; /* NULL: under the caller's own cgroup */
};

struct vjail;
void vj_cg_free(struct vjail *j);

/* Prepare: the jail's cgroup, with its limits written (cgroup limits are
 * refused by vj_limits_prepare() until this does the work). */
int vj_cg_prepare(struct vjail *j);

/* Commit: move into the jail's cgroup, then unshare the cgroup namespace,
 * whose root is thereby the jail's cgroup. */
int vj_cg_commit(struct vjail *j);

/* Outside, once the jail ended (or prepare failed): remove the cgroup. */
void vj_cg_cleanup(struct vjail *j);

#endif
