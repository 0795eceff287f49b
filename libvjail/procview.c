/* libvjail/procview.c - the jail's own view of /proc files: what the
 * kernel's identity and the machine's resources look like from inside.
 *
 * Identity, with a virtual uname (uname.c): the files that spell the
 * kernel's release and version say the jail's:
 *   /proc/sys/kernel/osrelease   the release            (uname -r)
 *   /proc/sys/kernel/version     the version            (uname -v)
 *   /proc/version                "Linux version <release> (...) <version>"
 *   /proc/cmdline                the boot line, whose BOOT_IMAGE usually
 *                                names the release
 * The host and domain name need no view: /proc/sys/kernel/hostname and
 * domainname show the jail's UTS namespace already. Uptime needs none
 * either: /proc/uptime follows the time namespace (timens.c).
 *
 * Resources, whenever the jail sits in a cgroup that says more than the
 * host (procgen.c makes the texts):
 *   /proc/meminfo    the memory cgroup's limit as MemTotal, its usage and
 *                    statistics (so free(1) tells the truth about the
 *                    jail), and 0 for what the jail has no figure of;
 *                    rewritten every second by the library's init
 *   /proc/cpuinfo    only the CPUs of the cpuset, renumbered from 0, as
 *                    nproc(1) and sched_getaffinity(2) see them
 * cgroup.c creates no cgroup of the jail's own yet, so "the jail's
 * cgroup" is the one it inherits from the caller; a jail in the root
 * cgroup shares the host's figures and gets no resource view.
 *
 * How: the texts are generated in prepare, from the host's files with the
 * host's figures replaced, so every other part stays real. Commit, in the
 * new mount namespace before pivot_root, writes them into a small tmpfs
 * mounted on a directory of the old root (no path of the jail) and binds
 * each file over its /proc entry read-only; the tmpfs goes with the old
 * root, which pivot_root detaches (fs.c): the binds keep the files, and
 * nothing else reaches them. A memfd would save
 * the tmpfs, but mount(2) refuses to bind a file that lives on a kernel
 * internal mount (EINVAL). The jail cannot write the files (read-only
 * mounts, no capability to remount).
 *
 * Why init rewrites /proc/meminfo rather than serve it through FUSE as
 * lxcfs does: /dev/fuse is often root's only (0600 here), so an
 * unprivileged jail could not have the view at all; and a FUSE read blocks
 * until the server answers, so a busy or stopped init would hang every
 * reader, where a rewritten file is always there to read. The price: the
 * figures are up to VJ_PV_REFRESH_MS old, and init wakes that often
 * (procview-live.c, linked into vjail-init). The
 * text keeps one length (procgen.c pads each number to a fixed width), so
 * each rewrite is one pwrite(2) of the whole file in place: no truncation,
 * no moment when the file is short.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <bsd/string.h>

#include "kernel/cgroupfs.h"
#include "kernel/compat.h"
#include "kernel/syscalls.h"
#include "asyncsafe.h"
#include "error.h"
#include "jail.h"
#include "procgen.h"
#include "procview.h"

#define VJ_PV_READ_MAX (4 << 20) /* /proc/cpuinfo of a very large host */
#define VJ_PV_NCPUS 8192          /* CPUs a cpuset may name */

/* ---- prepare ------------------------------------------------------------- */

/* Read a whole /proc file into a malloc'd string. */
static int read_text(struct vjail *j, const char *path, char **out)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	int fd;

	if (buf == NULL)
		return vj_fail(j, ENOMEM, "proc view: read %s", path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;

		free(buf);
		return vj_fail(j, err, "proc view: open %s", path);
	}
	for (;;) {
		ssize_t n = read(fd, buf + len, cap - len - 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = errno;

			close(fd);
			if (n < 0) {
				free(buf);
				return vj_fail(j, err, "proc view: read %s",
					       path);
			}
			break;
		}
		len += (size_t)n;
		if (len + 1 == cap) {
			char *more = cap < VJ_PV_READ_MAX ? realloc(buf, cap * 2)
							  : NULL;

			if (more == NULL) {
				close(fd);
				free(buf);
				return vj_fail(j, ENOMEM, "proc view: read %s",
					       path);
			}
			buf = more;
			cap *= 2;
		}
	}
	buf[len] = '\0';
	*out = buf;
	return 0;
}

/* A copy of @in with the @len bytes at @at replaced by @to, or NULL. */
static char *splice_at(const char *in, const char *at, size_t len,
		    const char *to)
{
	size_t head = (size_t)(at - in), tlen = strlen(to);
	char *out = malloc(strlen(in) - len + tlen + 1);

	if (out != NULL) {
		memcpy(out, in, head);
		memcpy(out + head, to, tlen);
		strcpy(out + head + tlen, at + len);
	}
	return out;
}

/* A copy of @in with every @from replaced by @to, or NULL. */
static char *replace_all(const char *in, const char *from, const char *to)
{
	size_t flen = strlen(from), off = 0;
	char *cur = strdup(in);

	while (cur != NULL && flen > 0) {
		char *hit = strstr(cur + off, from), *next;

		if (hit == NULL)
			break;
		off = (size_t)(hit - cur) + strlen(to);
		next = splice_at(cur, hit, flen, to);
		free(cur);
		cur = next;
	}
	return cur;
}

/* A copy of @in with its first (@last false) or last @from replaced. */
static char *replace_one(const char *in, const char *from, const char *to,
			 bool last)
{
	const char *hit = strstr(in, from);

	while (last && hit != NULL && strstr(hit + 1, from) != NULL)
		hit = strstr(hit + 1, from);
	return hit != NULL && from[0] != '\0'
		       ? splice_at(in, hit, strlen(from), to)
		       : strdup(in);
}

static int add_view(struct vjail *j, const char *name, char *text)
{
	if (text == NULL)
		return vj_fail(j, ENOMEM, "proc view %s", name);
	if (j->pv.n == VJ_PV_MAX) {
		free(text);
		return vj_fail_msg(j, E2BIG, "proc view %s: more than %d views",
				   name, VJ_PV_MAX);
	}
	j->pv.files[j->pv.n].name = name;
	j->pv.files[j->pv.n].kind = VJ_PV_FIXED;
	j->pv.files[j->pv.n].text = text;
	j->pv.files[j->pv.n].len = strlen(text);
	j->pv.files[j->pv.n].fd = -1;
	j->pv.n++;
	return 0;
}

static char *line_of(const char *s)
{
	char *out = malloc(strlen(s) + 2);

	if (out != NULL) {
		strcpy(out, s);
		strcat(out, "\n");
	}
	return out;
}

/* The files that spell the release and version. */
static int identity_views(struct vjail *j)
{
	struct utsname host;
	const char *rel, *ver;
	char *text, *tmp;
	int rc;

	if (uname(&host) != 0)
		return vj_fail(j, errno, "proc view: uname");
	rel = j->uts.release[0] ? j->uts.release : host.release;
	ver = j->uts.version[0] ? j->uts.version : host.version;
	if ((rc = add_view(j, "sys/kernel/osrelease", line_of(rel))) < 0 ||
	    (rc = add_view(j, "sys/kernel/version", line_of(ver))) < 0)
		return rc;
	/* "Linux version <release> (<builder>) (<compiler>) <version>" */
	if ((rc = read_text(j, "/proc/version", &text)) < 0)
		return rc;
	tmp = replace_one(text, host.release, rel, false);
	free(text);
	text = tmp ? replace_one(tmp, host.version, ver, true) : NULL;
	free(tmp);
	if ((rc = add_view(j, "version", text)) < 0)
		return rc;
	/* BOOT_IMAGE=/boot/vmlinuz-<release> and the like */
	if ((rc = read_text(j, "/proc/cmdline", &text)) < 0)
		return rc;
	tmp = replace_all(text, host.release, rel);
	free(text);
	return add_view(j, "cmdline", tmp);
}

/* ---- resources ----------------------------------------------------------- */

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* The directory of the jail's cgroup for @controller. cgroup.c creates no
 * cgroup of the jail's own yet: the jail lives in the caller's, whose
 * limits and figures are therefore the jail's. When cgroup.c makes one,
 * its directory belongs here. */
/* The cgroup whose figures the jail's views show: the jail's own memory
 * cgroup when vjail_limit() gave it one (cgroup.c made it in the step
 * before this one), else the caller's, which the jail then lives in. */
static enum vj_cg_version jail_cgroup(const struct vjail *j,
				      struct vj_cgroupfs *fs,
				      const char *controller, char *dir,
				      size_t size)
{
	if (strcmp(controller, "memory") == 0) {
		enum vj_cg_version v = vj_cg_memory_dir(j, dir, size);

		if (v != VJ_CG_NONE)
			return v;
	}
	return vj_cgroupfs_dir(fs, controller, dir, size);
}

static int open_in(struct vjail *j, const char *dir, const char *file,
		   bool optional, int *fd)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0 && !(optional && errno == ENOENT))
		return vj_fail(j, errno, "proc view: open %s", path);
	return 0;
}

/* Close what memory_view() opened: no view after all, or undo. */
static void close_memory(struct vj_pv_mem *pm)
{
	if (pm->version != 0) {
		close_fd(&pm->host);
		close_fd(&pm->stat);
		close_fd(&pm->usage);
		close_fd(&pm->limit);
		close_fd(&pm->swap_limit);
		close_fd(&pm->swap_usage);
	}
	pm->host = pm->stat = pm->usage = pm->limit = -1;
	pm->swap_limit = pm->swap_usage = -1;
	pm->version = 0;
}

static int memory_view(struct vjail *j, struct vj_cgroupfs *fs)
{
	struct vj_pv_mem *pm = &j->pv.mem;
	char dir[PATH_MAX], *text;
	enum vj_cg_version v = jail_cgroup(j, fs, "memory", dir, sizeof(dir));
	size_t len;
	int rc;

	if (v == VJ_CG_NONE)
		return 0; /* no memory cgroup: the host's figures are the jail's */
	/* A view, not a protection: with no host /proc/meminfo to start
	 * from (a caller whose own /proc is subset=pid), there is none, and
	 * vjail_enforced() does not claim one. (One open, not access(2)
	 * then open: each is a path walk of /proc.) */
	pm->host = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
	if (pm->host < 0) {
		int err = errno;

		pm->host = -1;
		if (err == ENOENT || err == EACCES)
			return 0;
		return vj_fail(j, err, "proc view: open /proc/meminfo");
	}
	pm->version = v == VJ_CG_V1 ? 1 : 2; /* close_memory() closes it */
	if ((rc = open_in(j, dir, "memory.stat", false, &pm->stat)) < 0)
		return rc;
	if (v == VJ_CG_V1) {
		rc = open_in(j, dir, "memory.usage_in_bytes", false,
			     &pm->usage);
	} else {
		/* The root cgroup has none of these: then the jail shares
		 * the host's figures (no view, below). */
		if ((rc = open_in(j, dir, "memory.current", true,
				  &pm->usage)) < 0 ||
		    (rc = open_in(j, dir, "memory.max", true, &pm->limit)) < 0 ||
		    (rc = open_in(j, dir, "memory.swap.max", true,
				  &pm->swap_limit)) < 0)
			return rc;
		rc = open_in(j, dir, "memory.swap.current", true,
			     &pm->swap_usage);
	}
	if (rc < 0)
		return rc;
	if (pm->usage < 0) {
		/* Nothing recorded stays open: commit closes by number. */
		close_memory(pm);
		return 0;
	}
	text = malloc(VJ_PV_LIVE_MAX);
	if (text == NULL)
		return vj_fail(j, ENOMEM, "proc view meminfo");
	len = vj_pv_meminfo(pm, text, VJ_PV_LIVE_MAX);
	if (len == 0) {
		free(text);
		return vj_fail_msg(j, EIO, "proc view meminfo: cannot read "
				   "/proc/meminfo and %s/memory.stat", dir);
	}
	if ((rc = add_view(j, "meminfo", text)) < 0)
		return rc;
	j->pv.files[j->pv.n - 1].kind = VJ_PV_MEMINFO;
	j->pv.live = true;
	return 0;
}

/* Does this thread's affinity span every online CPU? The kernel keeps a
 * task's affinity within its cpuset, and the cpuset within the online
 * CPUs: then the cpuset is every online CPU, known without a cgroup
 * lookup. False whenever something cannot be read: the full check runs. */
static bool affinity_is_all(void)
{
	uint8_t want[VJ_PV_NCPUS / 8] = { 0 };
	char online[4096];
	size_t size = CPU_ALLOC_SIZE(VJ_PV_NCPUS);
	cpu_set_t *have;
	bool all;
	ssize_t n;
	int fd = open("/sys/devices/system/cpu/online", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, online, sizeof(online) - 1);
	close(fd);
	if (n <= 0)
		return false;
	online[n] = '\0';
	have = CPU_ALLOC(VJ_PV_NCPUS);
	all = have != NULL && vj_gen_cpulist(online, want, VJ_PV_NCPUS) > 0 &&
	      sched_getaffinity(0, size, have) == 0;
	/* By bytes of the online list: most of its 8192 bits are 0. */
	for (unsigned int b = 0; all && b < VJ_PV_NCPUS / 8; b++)
		for (unsigned int c = b * 8; want[b] != 0 && c < b * 8 + 8; c++)
			if (((want[b] >> (c % 8)) & 1) &&
			    !CPU_ISSET_S(c, size, have))
				all = false;
	if (have != NULL)
		CPU_FREE(have);
	return all;
}

/* The jail's CPUs: its cpuset's. Without a cpuset, or one of every online
 * CPU, the host's /proc/cpuinfo is already the truth. */
static int cpu_view(struct vjail *j, struct vj_cgroupfs *fs)
{
	uint8_t cpus[VJ_PV_NCPUS / 8];
	char dir[PATH_MAX], *set = NULL, *online = NULL, *host = NULL, *text;
	enum vj_cg_version v;
	size_t size;
	int rc, n;

	if (affinity_is_all())
		return 0;
	v = jail_cgroup(j, fs, "cpuset", dir, sizeof(dir));
	if (v == VJ_CG_NONE)
		return 0;
	strlcat(dir, v == VJ_CG_V1 ? "/cpuset.effective_cpus"
				   : "/cpuset.cpus.effective",
		sizeof(dir));
	if ((rc = read_text(j, dir, &set)) < 0)
		return rc;
	rc = read_text(j, "/sys/devices/system/cpu/online", &online);
	if (rc < 0 || strcmp(set, online) == 0)
		goto out;
	n = vj_gen_cpulist(set, cpus, VJ_PV_NCPUS);
	if (n <= 0) {
		rc = vj_fail_msg(j, EINVAL, "proc view cpuinfo: cpu list "
				 "\"%.64s\" in %s", set, dir);
		goto out;
	}
	if ((rc = read_text(j, "/proc/cpuinfo", &host)) < 0)
		goto out;
	size = strlen(host) + 1; /* renumbered: never longer */
	text = malloc(size);
	if (text == NULL) {
		rc = vj_fail(j, ENOMEM, "proc view cpuinfo");
		goto out;
	}
	if (vj_gen_cpuinfo(text, size, host, cpus, VJ_PV_NCPUS) == 0) {
		free(text);
		rc = vj_fail_msg(j, EIO, "proc view cpuinfo: no CPU of the "
				 "cpuset in /proc/cpuinfo");
		goto out;
	}
	rc = add_view(j, "cpuinfo", text);
out:
	free(set);
	free(online);
	free(host);
	return rc;
}

int vj_procview_prepare(struct vjail *j)
{
	struct vj_cgroupfs fs;
	int rc;

	vj_procview_close(j); /* prepare may run again after a failure */
	/* The views sit on the jail's own /proc, which exists with a mount
	 * and a pid namespace only (fs.c); without it there is no /proc in
	 * the jail to show anything. */
	if (!(j->run.ns & VJAIL_NS_MOUNT) || !(j->run.ns & VJAIL_NS_PID))
		return 0;
	if (j->uts.virt && (rc = identity_views(j)) < 0)
		return rc;
	/* One read of /proc/self/{cgroup,mountinfo} for both lookups; a
	 * failed read fails them (no view), as it always did. */
	vj_cgroupfs_read(&fs);
	rc = memory_view(j, &fs);
	if (rc == 0)
		rc = cpu_view(j, &fs);
	vj_cgroupfs_free(&fs);
	if (rc < 0)
		return rc;
	if (j->pv.n > 0)
		j->enforced |= VJAIL_FEAT_PROCVIEW;
	return 0;
}

size_t vj_procview_fds(const struct vjail *j, int *out, size_t max)
{
	const struct vj_pv_mem *pm = &j->pv.mem;
	const int fds[] = { pm->host,  pm->stat,       pm->usage,
			    pm->limit, pm->swap_limit, pm->swap_usage };
	size_t n = 0;

	if (!j->pv.live)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(fds) && n < max; i++)
		if (fds[i] >= 0)
			out[n++] = fds[i];
	return n;
}

void vj_procview_close(struct vjail *j)
{
	struct vj_pv_mem *pm = &j->pv.mem;

	for (size_t i = 0; i < j->pv.n; i++) {
		free(j->pv.files[i].text);
		j->pv.files[i].text = NULL;
		close_fd(&j->pv.files[i].fd);
	}
	j->pv.n = 0;
	j->pv.live = false;
	/* A calloc'd handle starts with 0s: close_memory() closes only
	 * what was opened (version set). */
	close_memory(pm);
}

/* ---- commit: async-signal-safe ------------------------------------------- */

/* A directory of the old root for the scratch tmpfs: not the stage (the
 * new root sits there), gone with the old root after pivot_root. Every
 * bind of the jail is made by now, so covering it hides nothing the jail
 * still needs. */
static const char *pick_scratch(const char *stage)
{
	static const char *const candidates[] = { "/mnt", "/run", "/media",
						  "/srv", "/opt",  "/var",
						  "/home", "/tmp" };
	struct stat st;

	for (size_t i = 0; i < ARRAY_SIZE(candidates); i++)
		if (strcmp(candidates[i], stage) != 0 &&
		    lstat(candidates[i], &st) == 0 && S_ISDIR(st.st_mode))
			return candidates[i];
	return NULL;
}

static int put_view(struct vjail *j, const char *scratch, const char *proc,
		    size_t i)
{
	struct vj_pv_file *f = &j->pv.files[i];
	struct vj_mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY |
						MOUNT_ATTR_NOSUID |
						MOUNT_ATTR_NODEV |
						MOUNT_ATTR_NOEXEC };
	char src[PATH_MAX], dst[PATH_MAX], num[4] = { (char)('a' + i), '\0' };
	int fd, rc;

	strlcpy(src, scratch, sizeof(src));
	strlcat(src, "/", sizeof(src));
	strlcat(src, num, sizeof(src));
	strlcpy(dst, proc, sizeof(dst));
	strlcat(dst, "/", sizeof(dst));
	strlcat(dst, f->name, sizeof(dst));
	/* Read-write for us whatever the mode: the mode is for later opens,
	 * and the jail's own are refused by the read-only bind anyway. */
	fd = open(src, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	if (fd < 0)
		return vj_commit_fail(j, src, -errno);
	rc = vj_as_write_all(fd, f->text, f->len);
	if (rc == 0 && f->kind != VJ_PV_FIXED) {
		f->fd = fd; /* init rewrites it through this fd */
	} else if (close(fd) != 0 && rc == 0) {
		rc = -errno;
	}
	if (rc < 0)
		return vj_commit_fail(j, src, rc);
	if (mount(src, dst, NULL, MS_BIND, NULL) != 0 ||
	    vj_sys_mount_setattr(AT_FDCWD, dst, 0, &ro, sizeof(ro)) != 0)
		return vj_commit_fail(j, dst, -errno);
	return 0;
}

int vj_procview_commit(struct vjail *j, const char *proc)
{
	char options[64] = "mode=0700,size=";
	const char *scratch;
	size_t bytes = 0;
	int rc = 0;

	if (j->pv.n == 0)
		return 0;
	scratch = pick_scratch(j->fs.stage);
	if (scratch == NULL)
		return vj_commit_fail(j, "proc views (no scratch directory)",
				      -ENOENT);
	/* Room for every text, a page each at least, and growth. */
	for (size_t i = 0; i < j->pv.n; i++)
		bytes += j->pv.files[i].len + 8192;
	vj_as_append_i64(options, sizeof(options), (int64_t)bytes);
	if (mount("tmpfs", scratch, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  options) != 0)
		return vj_commit_fail(j, scratch, -errno);
	for (size_t i = 0; rc == 0 && i < j->pv.n; i++)
		rc = put_view(j, scratch, proc, i);
	/* No umount here: the tmpfs sits on the old root, which fs.c's pivot
	 * detaches whole a few steps later (an unmount of its own would wait
	 * for one more RCU grace period). Detached, it lives on in the binds
	 * and in init's fds. */
	return rc;
}

/* ---- init: keep the live views current ------------------------------------ */

size_t vj_procview_init_fds(const struct vjail *j, int *out, size_t max)
{
	size_t n = vj_procview_fds(j, out, max);

	for (size_t i = 0; i < j->pv.n && n < max; i++)
		if (j->pv.files[i].fd >= 0)
			out[n++] = j->pv.files[i].fd;
	return n;
}

void vj_procview_live(const struct vjail *j, struct vj_pv_live *l)
{
	l->mem = j->pv.mem;
	l->n = 0;
	if (!j->pv.live)
		return;
	for (size_t i = 0; i < j->pv.n; i++) {
		const struct vj_pv_file *f = &j->pv.files[i];

		if (f->fd < 0 || f->kind != VJ_PV_MEMINFO)
			continue;
		l->fd[l->n] = f->fd;
		l->len[l->n] = f->len;
		l->n++;
	}
}

int vj_procview_commit_main(struct vjail *j)
{
	struct vj_pv_mem *pm = &j->pv.mem;

	/* A process of the jail holding these could rewrite its views or
	 * read the caller's cgroup files. */
	for (size_t i = 0; i < j->pv.n; i++)
		close_fd(&j->pv.files[i].fd);
	close_memory(pm);
	return 0;
}
