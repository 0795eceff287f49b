/* libvjail/procview.h - the jail's own view of /proc files (virtual
 * identity and resource views). */
#ifndef VJ_PROCVIEW_H
#define VJ_PROCVIEW_H

struct vjail;

/* Prepare: generate what the views show (outside the jail). */
int vj_procview_prepare(struct vjail *j);

/* Commit, from fs.c once the fresh /proc is mounted at @proc (a path in
 * the staging tree): put the views on top. */
int vj_procview_commit(struct vjail *j, const char *proc);

/* Close what prepare opened. */
void vj_procview_close(struct vjail *j);

#endif
