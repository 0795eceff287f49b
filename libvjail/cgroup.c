/* libvjail/cgroup.c - the jail's cgroup: where it is made, its limits in
 * cgroup v2 or v1, the move into it, the reads behind vjail_stats(), and
 * its removal when the jail has ended.
 *
 * One name ("vjail-<pid>-<n>") in every hierarchy the jail needs: on a
 * cgroup2-only system that is one directory; on a hybrid one (our CI: v1
 * memory, pids, cpu, cpuacct, blkio, plus a cgroup2 mount without
 * controllers) one per v1 hierarchy, plus one in cgroup2 for its core files
 * (cgroup.procs, cpu.stat, cgroup.kill). A controller is taken from v2 when
 * the parent's cgroup.controllers lists it, else from the v1 hierarchy that
 * carries it: a controller is bound to one of the two, never both.
 *
 * The parent is the caller's own cgroup (or vjail_cgroup_parent()), so an
 * unprivileged caller works in the subtree delegated to it. In v2, the
 * parent must have the controllers in cgroup.subtree_control; we enable
 * them there, which the kernel refuses (EBUSY) while the parent itself
 * holds processes (the "no internal processes" rule): such a caller must
 * name a parent without processes.
 *
 * Everything is made and limited in prepare, outside and before the jail
 * exists: commit only writes "0" to the cgroup.procs fds opened here (the
 * kernel checks the opener's credentials, so this works after the user
 * namespace and before pivot_root hides /sys). The jail's cgroup is only
 * made when cgroup limits are asked for, or for vjail_stats() when someone
 * outside can read them and remove it afterwards (spawn, supervised
 * enter): a plain enter without limits makes none (its mkdirs, one per
 * hierarchy, and their lookups cost 0.45 ms).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <bsd/string.h>

#include "kernel/cgroupfs.h"
#include "kernel/compat.h"
#include "kernel/syscalls.h"
#include "args.h"
#include "error.h"
#include "jail.h"

/* Controllers, in the order they are looked up. */
static const struct ctl_def {
	unsigned int bit;
	const char *v1;   /* name of the v1 hierarchy that carries it */
	const char *v2;   /* name in cgroup.controllers; NULL: v1 only */
	uint64_t feature; /* VJAIL_FEAT_CGROUP_* (waiver, enforced) */
} ctls[] = {
	{ VJ_CTL_MEMORY, "memory", "memory", VJAIL_FEAT_CGROUP_MEMORY },
	{ VJ_CTL_PIDS, "pids", "pids", VJAIL_FEAT_CGROUP_PIDS },
	{ VJ_CTL_CPU, "cpu", "cpu", VJAIL_FEAT_CGROUP_CPU },
	{ VJ_CTL_IO, "blkio", "io", VJAIL_FEAT_CGROUP_IO },
	/* v1 only: v2's core cpu.stat gives the same, so it is skipped
	 * when the jail has a cgroup2 directory. */
	{ VJ_CTL_CPUACCT, "cpuacct", NULL, 0 },
};

/* Which controller applies each cgroup limit. */
static const struct {
	enum vjail_limit_kind kind;
	unsigned int ctl;
} limit_ctl[] = {
	{ VJAIL_LIMIT_MEMORY, VJ_CTL_MEMORY },
	{ VJAIL_LIMIT_MEMORY_SWAP, VJ_CTL_MEMORY },
	{ VJAIL_LIMIT_PIDS, VJ_CTL_PIDS },
	{ VJAIL_LIMIT_CPU_MAX, VJ_CTL_CPU },
	{ VJAIL_LIMIT_CPU_WEIGHT, VJ_CTL_CPU },
	{ VJAIL_LIMIT_IO_READ_BPS, VJ_CTL_IO },
	{ VJAIL_LIMIT_IO_WRITE_BPS, VJ_CTL_IO },
};

/* Documented in include/vjail.h. */
VJAIL_API int vjail_cgroup_parent(struct vjail *j, const char *path)
{
	int rc = vj_check_new(j, "cgroup parent");

	if (rc < 0)
		return rc;
	if (path == NULL || path[0] == '\0')
		return vj_fail_msg(j, EINVAL, "cgroup parent: empty path");
	if (path[0] == '/')
		rc = vj_check_abs_path(j, "cgroup parent", path, true);
	else if (strstr(path, "..") != NULL)
		rc = vj_fail_msg(j, EINVAL, "cgroup parent \"%s\": \"..\" "
				 "not allowed", path);
	if (rc < 0)
		return rc;
	if (j->cg.parent != NULL)
		return vj_fail_msg(j, EEXIST, "cgroup parent: already set");
	return vj_strdup(j, &j->cg.parent, path);
}

/* ---- prepare: where ------------------------------------------------------ */

/* Will anyone read the jail's figures (vjail_stats())? Only the caller of
 * vjail_spawn() or of a supervised enter: after a plain enter the outside
 * process only waits and exits as main did, and in place (the caller is
 * the jail) nobody is left outside, not even to remove the cgroup. A
 * caller who said it will not (VJAIL_CREATE_NO_ACCOUNTING) saves the move
 * into it, unless the jail has no pid namespace: then the cgroup is how
 * the outside finds what outlives main. */
static bool stats_readable(const struct vjail *j)
{
	if ((j->flags & VJAIL_CREATE_NO_ACCOUNTING) &&
	    (j->run.ns & VJAIL_NS_PID))
		return false;
	return j->run.spawning || j->run.supervising;
}

static unsigned int needed_ctls(const struct vjail *j)
{
	unsigned int need = 0;

	for (size_t i = 0; i < ARRAY_SIZE(limit_ctl); i++)
		if (vj_limit_find(j, limit_ctl[i].kind) != NULL)
			need |= limit_ctl[i].ctl;
	return need;
}

static bool list_has(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; *p != '\0';) {
		size_t len = strcspn(p, " \n");

		if (len == n && strncmp(p, word, n) == 0)
			return true;
		p += len;
		p += strspn(p, " \n");
	}
	return false;
}

/* Read a small file below @dirfd (or a path, with AT_FDCWD), NUL-ended.
 * Returns its length or -errno. */
static ssize_t read_at(int dirfd, const char *file, char *buf, size_t size)
{
	int fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC);
	ssize_t n, total = 0;

	if (fd < 0)
		return -errno;
	while ((size_t)total < size - 1 &&
	       (n = read(fd, buf + total, size - 1 - (size_t)total)) != 0) {
		if (n < 0) {
			n = -errno;
			close(fd);
			buf[0] = '\0';
			return n;
		}
		total += n;
	}
	close(fd);
	buf[total] = '\0';
	return total;
}

/* Write @val into @file below @dirfd. 0 or -errno. */
static int write_at(int dirfd, const char *file, const char *val)
{
	int fd = openat(dirfd, file, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int rc = 0;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		rc = -errno;
	else if ((size_t)n != strlen(val))
		rc = -EIO;
	close(fd);
	return rc;
}

/* The parent directory in the hierarchy mounted at @mnt, where the caller
 * sits at @own: the caller's own cgroup, a path relative to it, or an
 * absolute path below any cgroup mount (the same cgroup in every
 * hierarchy). */
static int parent_dir(struct vjail *j, const char *mnt, const char *own,
		      char *out, size_t size)
{
	const char *p = j->cg.parent;
	char rel[PATH_MAX];
	int n, rc;

	if (p == NULL) {
		n = snprintf(out, size, "%s%s", mnt, own);
	} else if (p[0] != '/') {
		n = snprintf(out, size, "%s%s/%s", mnt, own, p);
	} else {
		rc = vj_cgroup_strip_mount(p, rel, sizeof(rel));
		if (rc < 0)
			return vj_fail(j, -rc, "cgroup parent %s: not below a "
				       "cgroup mount", p);
		n = snprintf(out, size, "%s%s", mnt, rel);
	}
	if (n < 0 || (size_t)n >= size)
		return vj_fail(j, ENAMETOOLONG, "cgroup parent in %s", mnt);
	return 0;
}

/* A directory to make, while planning. */
struct plan {
	int version;
	unsigned int ctl;
	char parent[PATH_MAX];
};

struct planner {
	struct plan p[VJ_CG_MAX_DIRS];
	size_t n;
	unsigned int need;  /* controllers a limit needs */
	unsigned int want;  /* those plus the ones for accounting */
	int v2;             /* index of the cgroup2 plan, or -1 */
	char v2_list[1024]; /* cgroup.controllers of the v2 parent */
	int v2_err;         /* why the v2 parent is unusable, or 0 */
	const char *v2_why;
	char v2_parent[PATH_MAX];
	struct vj_cgroupfs fs; /* /proc/self/{cgroup,mountinfo}, read once */
};

/* A limit needs @c and cannot have it: fail, unless its feature is
 * waived, in which case the limit is dropped. Accounting alone: skip. */
static int missing(struct vjail *j, struct planner *pl,
		   const struct ctl_def *c, int err, const char *why,
		   const char *where)
{
	if (!(pl->need & c->bit) || (c->feature && vj_waived(j, c->feature)))
		return 0;
	return vj_fail_msg(j, err,
			   "cgroup %s: %s%s%s (waive %s to run without this "
			   "limit)",
			   c->v2 ? c->v2 : c->v1, why, where ? " " : "",
			   where ? where : "", vjail_feature_name(c->feature));
}

/* Is @dir an existing directory this caller may make cgroups in? */
static int usable_dir(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) != 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (faccessat(AT_FDCWD, dir, W_OK, AT_EACCESS) != 0)
		return -errno;
	return 0;
}

static const char *usable_why(int rc)
{
	switch (rc) {
	case -ENOENT:
		return "no such parent cgroup";
	case -EACCES:
	case -EPERM:
		return "parent not writable by this caller (an unprivileged "
		       "caller needs a delegated cgroup: vjail_cgroup_parent())"
		       " at";
	default:
		return "parent unusable";
	}
}

/* cgroup v2 lets a process move itself only where it may write the
 * cgroup.procs of the common ancestor of where it is and where it goes
 * (cgroup-v2.rst, "Delegation Containment"): checked now, not by a dying
 * commit. @own is our cgroup below the mount @mnt, @parent a full path. */
static bool may_migrate(const char *mnt, const char *own, const char *parent)
{
	char anc[PATH_MAX + 32];
	const char *rel = parent + strlen(mnt); /* "" or "/a/b" */
	size_t n = 0;

	/* The longest common prefix of @own and @rel, at a '/'. */
	for (size_t i = 0;; i++) {
		bool end_own = own[i] == '\0' || own[i] == '/';
		bool end_rel = rel[i] == '\0' || rel[i] == '/';

		if (end_own && end_rel)
			n = i;
		if (own[i] != rel[i] || own[i] == '\0')
			break;
	}
	snprintf(anc, sizeof(anc), "%s%.*s/cgroup.procs", mnt, (int)n, own);
	return faccessat(AT_FDCWD, anc, W_OK, AT_EACCESS) == 0;
}

/* The cgroup2 hierarchy: its parent directory and what it offers. */
static int plan_v2(struct vjail *j, struct planner *pl)
{
	char mnt[PATH_MAX], own[PATH_MAX];
	struct plan *p = &pl->p[pl->n];
	char file[PATH_MAX + 32];
	int rc;

	pl->v2 = -1;
	if (vj_cgroupfs_hierarchy(&pl->fs, NULL, mnt, sizeof(mnt), own,
				  sizeof(own)) < 0)
		return 0; /* no cgroup2 mount: v1 alone */
	rc = parent_dir(j, mnt, own, p->parent, sizeof(p->parent));
	if (rc < 0)
		return rc;
	snprintf(file, sizeof(file), "%s/cgroup.controllers", p->parent);
	if (read_at(AT_FDCWD, file, pl->v2_list, sizeof(pl->v2_list)) < 0)
		pl->v2_list[0] = '\0';
	/* Unusable: kept to explain a controller that only v2 has. */
	strlcpy(pl->v2_parent, p->parent, sizeof(pl->v2_parent));
	rc = usable_dir(p->parent);
	if (rc < 0) {
		pl->v2_err = -rc;
		pl->v2_why = usable_why(rc);
		return 0;
	}
	if (!may_migrate(mnt, own, p->parent)) {
		pl->v2_err = EACCES;
		pl->v2_why = "cgroup v2 lets this caller move itself only "
			     "where it may write the cgroup.procs of the "
			     "common ancestor, not below";
		return 0;
	}
	p->version = 2;
	p->ctl = pl->want & VJ_CTL_CORE;
	pl->v2 = (int)pl->n++;
	return 0;
}

/* Make @c available to children of the v2 parent (cgroup.subtree_control).
 * Refused with EBUSY while the parent holds processes. */
static int enable_v2(struct plan *p, const struct ctl_def *c)
{
	char file[PATH_MAX + 32], cur[1024], val[64];

	snprintf(file, sizeof(file), "%s/cgroup.subtree_control", p->parent);
	if (read_at(AT_FDCWD, file, cur, sizeof(cur)) >= 0 &&
	    list_has(cur, c->v2))
		return 0;
	snprintf(val, sizeof(val), "+%s", c->v2);
	return write_at(AT_FDCWD, file, val);
}

static int plan_ctl(struct vjail *j, struct planner *pl,
		    const struct ctl_def *c)
{
	char mnt[PATH_MAX], own[PATH_MAX], parent[PATH_MAX];
	int rc;

	if (c->v2 != NULL && pl->v2 >= 0 && list_has(pl->v2_list, c->v2)) {
		struct plan *p = &pl->p[pl->v2];

		rc = enable_v2(p, c);
		if (rc == -EBUSY)
			return missing(j, pl, c, EBUSY,
				       "cannot enable the controller for "
				       "children of a cgroup that holds "
				       "processes (cgroup v2); name a parent "
				       "without processes with "
				       "vjail_cgroup_parent(), not",
				       p->parent);
		if (rc < 0)
			return missing(j, pl, c, -rc,
				       "cannot enable the controller in "
				       "cgroup.subtree_control of",
				       p->parent);
		p->ctl |= c->bit;
		return 0;
	}
	if (c->bit == VJ_CTL_CPUACCT && pl->v2 >= 0)
		return 0; /* cgroup2's cpu.stat counts CPU time */
	rc = vj_cgroupfs_hierarchy(&pl->fs, c->v1, mnt, sizeof(mnt), own,
				   sizeof(own));
	if (rc < 0 && pl->v2_err != 0 && c->v2 != NULL &&
	    (pl->v2_list[0] == '\0' || list_has(pl->v2_list, c->v2)))
		return missing(j, pl, c, pl->v2_err, pl->v2_why,
			       pl->v2_parent);
	if (rc < 0)
		return missing(j, pl, c, EOPNOTSUPP,
			       "controller not available, neither in cgroup "
			       "v2 nor as a cgroup v1 hierarchy",
			       NULL);
	rc = parent_dir(j, mnt, own, parent, sizeof(parent));
	if (rc < 0)
		return rc;
	rc = usable_dir(parent);
	if (rc < 0)
		return missing(j, pl, c, -rc, usable_why(rc), parent);
	for (size_t i = 0; i < pl->n; i++) {
		if (strcmp(pl->p[i].parent, parent) == 0) { /* co-mounted */
			pl->p[i].ctl |= c->bit;
			return 0;
		}
	}
	if (pl->n == VJ_CG_MAX_DIRS)
		return vj_fail_msg(j, E2BIG, "cgroup: too many hierarchies");
	pl->p[pl->n].version = 1;
	pl->p[pl->n].ctl = c->bit;
	strlcpy(pl->p[pl->n].parent, parent, sizeof(pl->p[pl->n].parent));
	pl->n++;
	return 0;
}

/* ---- prepare: make ------------------------------------------------------- */

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Jail cgroups whose maker is gone are removed later under the same parent:
 * an in-place jail has nobody outside to remove its cgroup, and a
 * supervisor killed by SIGKILL cannot. The sweep reads every sibling, so it
 * runs where its cost is not on a jail's start: when a jail's outside
 * removes its own cgroup at the end, and at the start only of an in-place
 * jail, which has no end outside (make bench: with 870 live siblings, a
 * sweep at every start added 1.9 ms to each spawn). Such a cgroup is an
 * empty "vjail-<pid>-<n>" whose <pid> no longer exists; rmdir refuses a
 * cgroup with processes, so nothing running is touched. The age check
 * spares a cgroup just made by a maker we cannot see (another pid
 * namespace) that has not moved in yet. */
#define STALE_SECONDS 10

static void sweep_stale(int parent_fd)
{
	int fd = openat(parent_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	time_t now = time(NULL);

	if (dir == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(dir)) != NULL) {
		struct stat st;
		unsigned int n;
		int pid;
		char extra;

		if (sscanf(e->d_name, "vjail-%d-%u%c", &pid, &n, &extra) != 2 ||
		    pid <= 0 || kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		if (fstatat(dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) ==
			    0 &&
		    S_ISDIR(st.st_mode) && now - st.st_ctime >= STALE_SECONDS)
			unlinkat(dirfd(dir), e->d_name, AT_REMOVEDIR);
	}
	closedir(dir);
}

/* mkdir in every planned parent under one name; the next name if any
 * hierarchy already has it (a leftover not yet swept). */
static int make_dirs(struct vjail *j, struct planner *pl)
{
	for (unsigned int k = 1; k <= 64; k++) {
		bool clash = false;

		snprintf(j->cg.name, sizeof(j->cg.name), "vjail-%d-%u",
			 (int)getpid(), k);
		for (size_t i = 0; i < pl->n && !clash; i++) {
			struct vj_cg_dir *d = &j->cg.dir[j->cg.ndirs];

			if (pl->p[i].ctl == 0)
				continue;
			*d = (struct vj_cg_dir){ .version = pl->p[i].version,
						 .ctl = pl->p[i].ctl,
						 .dir_fd = -1,
						 .procs_fd = -1 };
			d->parent_fd = open(pl->p[i].parent,
					    O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (d->parent_fd < 0)
				return vj_fail(j, errno, "cgroup parent %s",
					       pl->p[i].parent);
			if (k == 1 && j->run.in_place && !j->run.spawning)
				sweep_stale(d->parent_fd);
			if (asprintf(&d->path, "%s/%s", pl->p[i].parent,
				     j->cg.name) < 0) {
				d->path = NULL;
				close_fd(&d->parent_fd);
				return vj_fail(j, ENOMEM, "cgroup path");
			}
			if (mkdirat(d->parent_fd, j->cg.name, 0755) != 0) {
				int err = errno;

				close_fd(&d->parent_fd);
				free(d->path);
				d->path = NULL;
				if (err == EEXIST) {
					clash = true;
					break;
				}
				return vj_fail(j, err, "cgroup mkdir %s/%s",
					       pl->p[i].parent, j->cg.name);
			}
			j->cg.ndirs++;
			d->dir_fd = openat(d->parent_fd, j->cg.name,
					   O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (d->dir_fd < 0)
				return vj_fail(j, errno, "cgroup %s", d->path);
			d->procs_fd = openat(d->dir_fd, "cgroup.procs",
					     O_WRONLY | O_CLOEXEC);
			if (d->procs_fd < 0)
				return vj_fail(j, errno,
					       "cgroup %s/cgroup.procs",
					       d->path);
		}
		if (!clash)
			return 0;
		vj_cg_cleanup(j); /* the ones made under this name */
	}
	return vj_fail_msg(j, EEXIST, "cgroup: no free name vjail-%d-N",
			   (int)getpid());
}

static struct vj_cg_dir *dir_with(struct vjail *j, unsigned int ctl)
{
	for (size_t i = 0; i < j->cg.ndirs; i++)
		if (j->cg.dir[i].ctl & ctl)
			return &j->cg.dir[i];
	return NULL;
}

/* "max" (v2) or "-1" (v1) for unlimited, else the number. */
static void fmt_val(char *buf, size_t size, const struct vj_cg_dir *d,
		    uint64_t v)
{
	if (v == VJAIL_UNLIMITED)
		snprintf(buf, size, "%s", d->version == 2 ? "max" : "-1");
	else
		snprintf(buf, size, "%llu", (unsigned long long)v);
}

static int put(struct vjail *j, struct vj_cg_dir *d, const char *file,
	       const char *val, uint64_t feature)
{
	int rc = write_at(d->dir_fd, file, val);

	if (rc == -ENOENT) {
		/* The controller is there, this knob is not (swap accounting
		 * off, an older kernel): the kernel cannot give it. */
		if (vj_waived(j, feature))
			return 0;
		return vj_fail_msg(j, EOPNOTSUPP,
				   "cgroup %s/%s: not offered by this kernel "
				   "(waive %s to run without it)",
				   d->path, file, vjail_feature_name(feature));
	}
	if (rc < 0)
		return vj_fail(j, -rc, "cgroup %s/%s: write \"%s\"", d->path,
			       file, val);
	return 0;
}

static int limit_memory(struct vjail *j, struct vj_cg_dir *d)
{
	const struct vj_limit_val *m, *s;
	uint64_t f = VJAIL_FEAT_CGROUP_MEMORY;
	char val[32];
	int rc = 0;

	m = vj_limit_find(j, VJAIL_LIMIT_MEMORY);
	s = vj_limit_find(j, VJAIL_LIMIT_MEMORY_SWAP);
	if (m != NULL) {
		/* @soft is the throttling point (v2 memory.high); v1 has
		 * only a reclaim target under contention. */
		fmt_val(val, sizeof(val), d, m->hard);
		rc = put(j, d, d->version == 2 ? "memory.max"
					       : "memory.limit_in_bytes",
			 val, f);
		if (rc == 0 && m->soft < m->hard) {
			fmt_val(val, sizeof(val), d, m->soft);
			rc = put(j, d, d->version == 2
					       ? "memory.high"
					       : "memory.soft_limit_in_bytes",
				 val, f);
		}
	}
	if (rc < 0 || s == NULL)
		return rc;
	if (d->version == 2) {
		fmt_val(val, sizeof(val), d, s->hard);
		return put(j, d, "memory.swap.max", val, f);
	}
	/* v1 counts memory and swap together in memsw. */
	if (m == NULL || m->hard == VJAIL_UNLIMITED)
		return vj_fail_msg(j, EINVAL,
				   "limit memory-swap: cgroup v1 (%s) limits "
				   "memory plus swap: set VJAIL_LIMIT_MEMORY "
				   "too",
				   d->path);
	fmt_val(val, sizeof(val), d,
		s->hard == VJAIL_UNLIMITED ? VJAIL_UNLIMITED
					   : m->hard + s->hard);
	return put(j, d, "memory.memsw.limit_in_bytes", val, f);
}

static int limit_cpu(struct vjail *j, struct vj_cg_dir *d)
{
	const struct vj_limit_val *mx = vj_limit_find(j, VJAIL_LIMIT_CPU_MAX);
	const struct vj_limit_val *w = vj_limit_find(j, VJAIL_LIMIT_CPU_WEIGHT);
	uint64_t f = VJAIL_FEAT_CGROUP_CPU;
	char val[64];
	int rc = 0;

	if (mx != NULL) {
		/* Per-mille of one CPU as quota/period. The kernel wants a
		 * quota of 1 ms at least: below 1% the period is 1 s. */
		uint64_t period = mx->hard >= 10 ? 100000 : 1000000;
		uint64_t quota = mx->hard == VJAIL_UNLIMITED
					 ? VJAIL_UNLIMITED
					 : mx->hard * period / 1000;

		if (d->version == 2) {
			if (quota == VJAIL_UNLIMITED)
				snprintf(val, sizeof(val), "max %llu",
					 (unsigned long long)period);
			else
				snprintf(val, sizeof(val), "%llu %llu",
					 (unsigned long long)quota,
					 (unsigned long long)period);
			rc = put(j, d, "cpu.max", val, f);
		} else {
			snprintf(val, sizeof(val), "%llu",
				 (unsigned long long)period);
			rc = put(j, d, "cpu.cfs_period_us", val, f);
			fmt_val(val, sizeof(val), d, quota);
			if (rc == 0)
				rc = put(j, d, "cpu.cfs_quota_us", val, f);
		}
	}
	if (rc < 0 || w == NULL)
		return rc;
	if (d->version == 2) {
		fmt_val(val, sizeof(val), d,
			w->hard == VJAIL_UNLIMITED ? 10000 : w->hard);
		return put(j, d, "cpu.weight", val, f);
	}
	/* v2 weight 100 is v1's 1024 shares (the kernel's own mapping). */
	{
		uint64_t wt = w->hard == VJAIL_UNLIMITED ? 10000 : w->hard;
		uint64_t shares = wt * 1024 / 100;

		snprintf(val, sizeof(val), "%llu",
			 (unsigned long long)(shares < 2 ? 2 : shares));
	}
	return put(j, d, "cpu.shares", val, f);
}

/* Bytes per second on every whole disk (/sys/block): partitions share
 * their disk's throttle. Devices that refuse (ENODEV) cannot carry I/O. */
static int limit_io(struct vjail *j, struct vj_cg_dir *d)
{
	static const struct {
		enum vjail_limit_kind kind;
		const char *v2_key, *v1_file;
	} io[] = {
		{ VJAIL_LIMIT_IO_READ_BPS, "rbps",
		  "blkio.throttle.read_bps_device" },
		{ VJAIL_LIMIT_IO_WRITE_BPS, "wbps",
		  "blkio.throttle.write_bps_device" },
	};
	DIR *dir = opendir("/sys/block");
	struct dirent *e;
	int rc = 0;

	if (dir == NULL)
		return vj_fail(j, errno, "cgroup io: /sys/block");
	while (rc == 0 && (e = readdir(dir)) != NULL) {
		char file[PATH_MAX], dev[32], val[96];

		if (e->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "/sys/block/%s/dev", e->d_name);
		if (read_at(AT_FDCWD, file, dev, sizeof(dev)) <= 0)
			continue;
		dev[strcspn(dev, "\n")] = '\0';
		for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(io); i++) {
			const struct vj_limit_val *v;
			const char *f = d->version == 2 ? "io.max"
							: io[i].v1_file;

			v = vj_limit_find(j, io[i].kind);

			if (v == NULL || v->hard == VJAIL_UNLIMITED)
				continue;
			if (d->version == 2)
				snprintf(val, sizeof(val), "%s %s=%llu", dev,
					 io[i].v2_key,
					 (unsigned long long)v->hard);
			else
				snprintf(val, sizeof(val), "%s %llu", dev,
					 (unsigned long long)v->hard);
			rc = write_at(d->dir_fd, f, val);
			if (rc == -ENODEV)
				rc = 0;
			else if (rc < 0)
				rc = vj_fail(j, -rc, "cgroup %s/%s: write "
					     "\"%s\" (%s)", d->path, f, val,
					     e->d_name);
		}
	}
	closedir(dir);
	return rc;
}

static int apply_limits(struct vjail *j)
{
	struct vj_cg_dir *d;
	const struct vj_limit_val *v;
	char val[32];
	int rc = 0;

	if ((d = dir_with(j, VJ_CTL_MEMORY)) != NULL)
		rc = limit_memory(j, d);
	if (rc == 0 && (d = dir_with(j, VJ_CTL_PIDS)) != NULL &&
	    (v = vj_limit_find(j, VJAIL_LIMIT_PIDS)) != NULL) {
		if (v->hard == VJAIL_UNLIMITED)
			strlcpy(val, "max", sizeof(val));
		else
			fmt_val(val, sizeof(val), d, v->hard);
		rc = put(j, d, "pids.max", val, VJAIL_FEAT_CGROUP_PIDS);
	}
	if (rc == 0 && (d = dir_with(j, VJ_CTL_CPU)) != NULL)
		rc = limit_cpu(j, d);
	if (rc == 0 && (d = dir_with(j, VJ_CTL_IO)) != NULL)
		rc = limit_io(j, d);
	return rc;
}

int vj_cg_prepare(struct vjail *j)
{
	struct planner *pl;
	unsigned int need = needed_ctls(j), want = need;
	int rc = 0;

	j->cg.ndirs = 0;
	j->cg.have_final = false;
	/* Accounting for vjail_stats(), where someone outside will read it;
	 * else only what the limits need, and with no limit nothing at all
	 * (the cgroup namespace needs no cgroup of the jail's own: its root
	 * is then the caller's cgroup, as it is in place). CPU time comes
	 * from v2's core cpu.stat or v1's cpuacct, not from the cpu
	 * controller: a v1 cpu hierarchy only when a limit needs it (each
	 * hierarchy costs a migration at commit). */
	if (stats_readable(j))
		want |= VJ_CTL_CORE | VJ_CTL_MEMORY | VJ_CTL_PIDS |
			VJ_CTL_CPUACCT;
	/* Nothing to make: no planner either (~30 KiB to zero, ~15 us of
	 * page faults in a fresh process). */
	if (want == 0)
		return 0;
	pl = calloc(1, sizeof(*pl));
	if (pl == NULL)
		return vj_fail(j, ENOMEM, "cgroup plan");
	pl->need = need;
	pl->want = want;
	vj_cgroupfs_read(&pl->fs); /* a failure fails each lookup */
	rc = plan_v2(j, pl);
	for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(ctls); i++)
		if (pl->want & ctls[i].bit)
			rc = plan_ctl(j, pl, &ctls[i]);
	vj_cgroupfs_free(&pl->fs);
	if (rc == 0)
		rc = make_dirs(j, pl);
	free(pl);
	if (rc == 0)
		rc = apply_limits(j);
	if (rc < 0)
		return rc; /* undo_prepare() removes what was made */
	for (size_t i = 0; i < j->cg.ndirs; i++) {
		const struct vj_cg_dir *d = &j->cg.dir[i];

		for (size_t k = 0; k < ARRAY_SIZE(ctls); k++)
			if (d->ctl & ctls[k].bit)
				j->enforced |= ctls[k].feature;
		if (d->ctl & ~VJ_CTL_CORE)
			j->enforced |= d->version == 2 ? VJAIL_FEAT_CGROUP_V2
						       : VJAIL_FEAT_CGROUP_V1;
	}
	return 0;
}

size_t vj_cg_internal_fds(const struct vjail *j, int *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < j->cg.ndirs && n < max; i++)
		if (j->cg.dir[i].procs_fd >= 0)
			out[n++] = j->cg.dir[i].procs_fd;
	return n;
}

/* ---- commit: async-signal-safe ------------------------------------------ */

int vj_cg_commit(struct vjail *j)
{
	/* "0" is the writing process itself, whatever pid namespace it is
	 * in. Every hierarchy, before anything of the jail forks. */
	for (size_t i = 0; i < j->cg.ndirs; i++) {
		struct vj_cg_dir *d = &j->cg.dir[i];

		if (write(d->procs_fd, "0", 1) != 1)
			return vj_commit_fail(j, d->path, -errno);
	}
	/* The jail keeps none of the cgroup fds (the close-fds step closed
	 * all but procs_fd already): a cgroupfs directory fd would let it
	 * reach its siblings. The outside keeps its own copies. */
	for (size_t i = 0; i < j->cg.ndirs; i++) {
		close_fd(&j->cg.dir[i].procs_fd);
		j->cg.dir[i].dir_fd = j->cg.dir[i].parent_fd = -1;
	}
	j->cg.ndirs = 0;
	if (!(j->run.ns & VJAIL_NS_CGROUP))
		return 0;
	j->run.fail_object = "cgroup namespace";
	return unshare(CLONE_NEWCGROUP) == 0 ? 0 : -errno;
}

/* ---- outside: reads and removal ------------------------------------------ */

static uint64_t key_value(const char *text, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = text; p != NULL && *p != '\0';) {
		if (strncmp(p, key, n) == 0 && p[n] == ' ')
			return strtoull(p + n + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return UINT64_MAX;
}

static bool read_u64(int dirfd, const char *file, uint64_t *v)
{
	char buf[64];

	if (read_at(dirfd, file, buf, sizeof(buf)) <= 0)
		return false;
	*v = strtoull(buf, NULL, 10);
	return true;
}

int vj_cg_read_stats(struct vjail *j, struct vjail_stats *st)
{
	struct vj_cg_dir *d;
	char buf[1024];

	if (j->cg.ndirs == 0)
		return -ENOENT;
	if ((d = dir_with(j, VJ_CTL_CORE)) != NULL &&
	    read_at(d->dir_fd, "cpu.stat", buf, sizeof(buf)) > 0 &&
	    key_value(buf, "user_usec") != UINT64_MAX) {
		st->cpu_user_us = key_value(buf, "user_usec");
		st->cpu_system_us = key_value(buf, "system_usec");
		st->valid |= VJAIL_STAT_CPU;
	} else if ((d = dir_with(j, VJ_CTL_CPUACCT)) != NULL &&
		   read_u64(d->dir_fd, "cpuacct.usage_user",
			    &st->cpu_user_us) &&
		   read_u64(d->dir_fd, "cpuacct.usage_sys",
			    &st->cpu_system_us)) {
		st->cpu_user_us /= 1000; /* ns */
		st->cpu_system_us /= 1000;
		st->valid |= VJAIL_STAT_CPU;
	}
	if ((d = dir_with(j, VJ_CTL_MEMORY)) != NULL) {
		bool v2 = d->version == 2;

		if (read_u64(d->dir_fd,
			     v2 ? "memory.current" : "memory.usage_in_bytes",
			     &st->memory_current))
			st->valid |= VJAIL_STAT_MEMORY;
		/* memory.peak: Linux 5.19 */
		if (read_u64(d->dir_fd,
			     v2 ? "memory.peak" : "memory.max_usage_in_bytes",
			     &st->memory_peak))
			st->valid |= VJAIL_STAT_MEMORY_PEAK;
	}
	if ((d = dir_with(j, VJ_CTL_PIDS)) != NULL &&
	    read_u64(d->dir_fd, "pids.current", &st->processes))
		st->valid |= VJAIL_STAT_PROCESSES;
	return 0;
}

long vj_cg_pids(const struct vjail *j, pid_t *out, size_t max)
{
	char *buf;
	long n = 0;
	ssize_t len;

	if (j->cg.ndirs == 0)
		return -1;
	buf = malloc(1 << 16);
	if (buf == NULL)
		return -1;
	len = read_at(j->cg.dir[0].dir_fd, "cgroup.procs", buf, 1 << 16);
	for (char *p = buf; len > 0 && *p != '\0' && (size_t)n < max;) {
		out[n++] = (pid_t)strtol(p, &p, 10);
		p += strspn(p, "\n");
	}
	free(buf);
	return len < 0 ? -1 : n;
}

static void nap_ms(long ms)
{
	struct timespec t = { 0, ms * 1000 * 1000 };

	nanosleep(&t, NULL);
}

/* Kill what is left in the jail's cgroup: processes that outlived the
 * jail's main process (no pid namespace to take them along). cgroup.kill
 * (Linux 5.14, v2) does it at once; else each listed pid through a pidfd,
 * after checking that it is still listed, so that a recycled pid is never
 * hit. */
static void kill_leftovers(struct vjail *j)
{
	struct vj_cg_dir *core = dir_with(j, VJ_CTL_CORE);
	pid_t pids[256];

	if (core != NULL && write_at(core->dir_fd, "cgroup.kill", "1") == 0)
		return;
	for (int round = 0; round < 50; round++) {
		long n = vj_cg_pids(j, pids, ARRAY_SIZE(pids));

		if (n <= 0)
			return;
		for (long i = 0; i < n; i++) {
			int pfd = vj_sys_pidfd_open(pids[i], 0);
			pid_t again[256];
			long m;
			bool listed = false;

			if (pfd < 0)
				continue;
			m = vj_cg_pids(j, again, ARRAY_SIZE(again));
			for (long k = 0; k < m; k++)
				listed |= again[k] == pids[i];
			if (listed)
				vj_sys_pidfd_send_signal(pfd, SIGKILL, 0);
			close(pfd);
		}
		nap_ms(2);
	}
}

/* Has the jail ended (or never started)? A handle destroyed before
 * vjail_wait() leaves a running jail alone. */
static bool jail_running(const struct vjail *j)
{
	return j->state == VJ_STATE_SPAWNED && !j->run.have_status &&
	       j->run.child > 0;
}

void vj_cg_cleanup(struct vjail *j)
{
	bool remove = !jail_running(j);

	if (remove && j->run.child > 0 && j->cg.ndirs > 0) {
		struct vjail_stats st = { .size = sizeof(st) };

		vj_cg_read_stats(j, &st);
		st.valid &= VJAIL_STAT_CPU | VJAIL_STAT_MEMORY_PEAK;
		j->cg.final = st;
		j->cg.have_final = true;
		kill_leftovers(j);
	}
	for (size_t i = 0; i < j->cg.ndirs; i++) {
		struct vj_cg_dir *d = &j->cg.dir[i];

		close_fd(&d->procs_fd);
		close_fd(&d->dir_fd);
		/* A dead task leaves its cgroup a moment after it is reaped:
		 * EBUSY for a few ms. */
		for (int tries = 0; remove && d->parent_fd >= 0; tries++) {
			if (unlinkat(d->parent_fd, j->cg.name,
				     AT_REMOVEDIR) == 0 ||
			    errno != EBUSY || tries == 500)
				break;
			nap_ms(1);
		}
		if (remove && d->parent_fd >= 0)
			sweep_stale(d->parent_fd);
		close_fd(&d->parent_fd);
		free(d->path);
		d->path = NULL;
	}
	j->cg.ndirs = 0;
}

enum vj_cg_version vj_cg_memory_dir(const struct vjail *j, char *dir,
				    size_t size)
{
	for (size_t i = 0; i < j->cg.ndirs; i++) {
		const struct vj_cg_dir *d = &j->cg.dir[i];

		if (!(d->ctl & VJ_CTL_MEMORY) ||
		    (size_t)snprintf(dir, size, "%s", d->path) >= size)
			continue;
		return d->version == 2 ? VJ_CG_V2 : VJ_CG_V1;
	}
	return VJ_CG_NONE;
}

void vj_cg_free(struct vjail *j)
{
	free(j->cg.parent);
	j->cg.parent = NULL;
}
