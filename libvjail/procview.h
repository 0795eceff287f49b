/* libvjail/procview.h - the jail's own view of /proc files (virtual
 * identity and resource views). */
#ifndef VJ_PROCVIEW_H
#define VJ_PROCVIEW_H

#include <stddef.h>

#define VJ_PV_MAX 8 /* files a jail may have views of */

/* One file of the jail's /proc, and what it shows instead. */
struct vj_pv_file {
	const char *name; /* below /proc, e.g. "sys/kernel/osrelease" */
	char *text;       /* generated in prepare (malloc'd) */
};

struct vj_pv {
	struct vj_pv_file files[VJ_PV_MAX];
	size_t n;
};

struct vjail;

/* Prepare: generate what the views show (outside the jail). */
int vj_procview_prepare(struct vjail *j);

/* Commit, from fs.c once the fresh /proc is mounted at @proc (a path in
 * the staging tree): put the views on top. */
int vj_procview_commit(struct vjail *j, const char *proc);

/* Close what prepare opened. */
void vj_procview_close(struct vjail *j);

#endif
