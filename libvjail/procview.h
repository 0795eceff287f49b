/* libvjail/procview.h - the jail's own view of /proc files (virtual
 * identity and resource views). */
#ifndef VJ_PROCVIEW_H
#define VJ_PROCVIEW_H

#include <stdbool.h>
#include <stddef.h>

#define VJ_PV_MAX 8          /* files a jail may have views of */
#define VJ_PV_FDS 8          /* fds init keeps for the views, at most */
#define VJ_PV_REFRESH_MS 1000 /* how often init rewrites a live view */
#define VJ_PV_LIVE_MAX 8192   /* a live text, and what init reads */
#define VJ_PV_WORK (3 * VJ_PV_LIVE_MAX) /* what a refresh works in */

enum vj_pv_kind {
	VJ_PV_FIXED = 0, /* made in prepare, never changes */
	VJ_PV_MEMINFO,   /* rewritten by init from the memory cgroup */
};

/* One file of the jail's /proc, and what it shows instead. */
struct vj_pv_file {
	const char *name;      /* below /proc, e.g. "sys/kernel/osrelease" */
	enum vj_pv_kind kind;
	char *text;            /* generated in prepare (malloc'd) */
	size_t len;            /* of the text; live views: as last written */
	int fd;                /* live views, from commit: init's read-write
				  fd on the file; else -1 */
};

/* Where init reads the jail's memory figures: fds opened in prepare. */
struct vj_pv_mem {
	int version;    /* 1 or 2 (cgroup v1 or v2); 0: no memory view */
	int host;       /* the host's /proc/meminfo */
	int stat;       /* memory.stat */
	int usage;      /* memory.usage_in_bytes (v1), memory.current (v2) */
	int limit;      /* memory.max (v2); v1 reads memory.stat; or -1 */
	int swap_limit; /* memory.swap.max (v2), or -1 */
	int swap_usage; /* memory.swap.current (v2), or -1 */
};

struct vj_pv {
	struct vj_pv_file files[VJ_PV_MAX];
	size_t n;
	struct vj_pv_mem mem;
	bool live; /* some view needs init's refresh */
};

/* What the library's init needs to keep the live views current: a plain
 * struct, handed to vjail-init across its exec (initstate.h). */
struct vj_pv_live {
	struct vj_pv_mem mem;
	size_t n;                 /* live files; 0: nothing to refresh */
	int fd[VJ_PV_MAX];        /* read-write, on the jail's /proc file */
	size_t len[VJ_PV_MAX];    /* as last written */
};

struct vjail;

/* Prepare: generate what the views show (outside the jail), and open
 * what init reads to keep the live ones current. */
int vj_procview_prepare(struct vjail *j);

/* The fds prepare opened, which the close-fds step must keep. Returns
 * how many were stored in @out (at most @max). */
size_t vj_procview_fds(const struct vjail *j, int *out, size_t max);

/* Commit, from fs.c once the fresh /proc is mounted at @proc (a path in
 * the staging tree): put the views on top. */
int vj_procview_commit(struct vjail *j, const char *proc);

/* Init: the fds it keeps for the views (sources and live files). */
size_t vj_procview_init_fds(const struct vjail *j, int *out, size_t max);

/* Commit, in pid 1 before it execs vjail-init: the live views' state. */
void vj_procview_live(const struct vjail *j, struct vj_pv_live *l);

/* procview-live.c, in prepare and in vjail-init: the jail's /proc/meminfo
 * from what @pm reads now, into @out; its length, 0 on failure. No
 * allocation. */
size_t vj_pv_meminfo(const struct vj_pv_mem *pm, char *out, size_t size);

/* vjail-init: in *@fd a timerfd that fires every VJ_PV_REFRESH_MS while
 * @l has a live view, else -1. Returns 0 or -errno. */
int vj_pv_timer(const struct vj_pv_live *l, int *fd);

/* vjail-init: rewrite the live views (the timer fired), working in
 * @work, VJ_PV_WORK bytes of the caller's. */
void vj_pv_refresh(struct vj_pv_live *l, char *work);

/* Commit, in main: close what only init may hold. */
int vj_procview_commit_main(struct vjail *j);

/* Close what prepare opened, free what it made. */
void vj_procview_close(struct vjail *j);

#endif
