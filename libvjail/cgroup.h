/* libvjail/cgroup.h - the jail's cgroup. */
#ifndef VJ_CGROUP_H
#define VJ_CGROUP_H

struct vj_cg {
	char *parent; /* NULL: under the caller's own cgroup */
};

struct vjail;
void vj_cg_free(struct vjail *j);

#endif
