/* libvjail/procview.c - the jail's own view of /proc files: what the
 * kernel's identity looks like from inside.
 *
 * With a virtual uname (uname.c), the files that spell the kernel's
 * release and version say the jail's:
 *   /proc/sys/kernel/osrelease   the release            (uname -r)
 *   /proc/sys/kernel/version     the version            (uname -v)
 *   /proc/version                "Linux version <release> (...) <version>"
 *   /proc/cmdline                the boot line, whose BOOT_IMAGE usually
 *                                names the release
 * The host and domain name need no view: /proc/sys/kernel/hostname and
 * domainname show the jail's UTS namespace already. Uptime needs none
 * either: /proc/uptime follows the time namespace (timens.c).
 *
 * How: the texts are generated in prepare, from the host's files with the
 * host's strings replaced, so every other part stays real. Commit, in the
 * new mount namespace before pivot_root, writes them into a small tmpfs
 * mounted on a directory of the old root (no path of the jail), binds each
 * file over its /proc entry read-only, and detaches the tmpfs again: the
 * binds keep the files, and nothing else reaches them. A memfd would save
 * the tmpfs, but mount(2) refuses to bind a file that lives on a kernel
 * internal mount (EINVAL). The files are fixed at enter: the jail cannot
 * change its release or version afterwards, and cannot write the files
 * (read-only mounts, no capability to remount).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <bsd/string.h>

#include "kernel/compat.h"
#include "kernel/syscalls.h"
#include "asyncsafe.h"
#include "error.h"
#include "jail.h"
#include "procview.h"

#define VJ_PV_READ_MAX 65536 /* /proc/cmdline is at most a page or so */

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
	j->pv.files[j->pv.n].text = text;
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

int vj_procview_prepare(struct vjail *j)
{
	int rc;

	vj_procview_close(j); /* prepare may run again after a failure */
	/* The views sit on the jail's own /proc, which exists with a mount
	 * and a pid namespace only (fs.c); without it there is no /proc in
	 * the jail to show anything. */
	if (!(j->run.ns & VJAIL_NS_MOUNT) || !(j->run.ns & VJAIL_NS_PID))
		return 0;
	if (j->uts.virt && (rc = identity_views(j)) < 0)
		return rc;
	if (j->pv.n > 0)
		j->enforced |= VJAIL_FEAT_PROCVIEW;
	return 0;
}

void vj_procview_close(struct vjail *j)
{
	for (size_t i = 0; i < j->pv.n; i++) {
		free(j->pv.files[i].text);
		j->pv.files[i].text = NULL;
	}
	j->pv.n = 0;
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
	const struct vj_pv_file *f = &j->pv.files[i];
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
	fd = open(src, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	if (fd < 0)
		return vj_commit_fail(j, src, -errno);
	rc = vj_as_write_all(fd, f->text, strlen(f->text));
	if (close(fd) != 0 && rc == 0)
		rc = -errno;
	if (rc < 0)
		return vj_commit_fail(j, src, rc);
	if (mount(src, dst, NULL, MS_BIND, NULL) != 0 ||
	    vj_sys_mount_setattr(AT_FDCWD, dst, 0, &ro, sizeof(ro)) != 0)
		return vj_commit_fail(j, dst, -errno);
	return 0;
}

int vj_procview_commit(struct vjail *j, const char *proc)
{
	const char *scratch;
	int rc = 0;

	if (j->pv.n == 0)
		return 0;
	scratch = pick_scratch(j->fs.stage);
	if (scratch == NULL)
		return vj_commit_fail(j, "proc views (no scratch directory)",
				      -ENOENT);
	if (mount("tmpfs", scratch, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "size=256k,mode=0700") != 0)
		return vj_commit_fail(j, scratch, -errno);
	for (size_t i = 0; rc == 0 && i < j->pv.n; i++)
		rc = put_view(j, scratch, proc, i);
	if (umount2(scratch, MNT_DETACH) != 0 && rc == 0)
		rc = vj_commit_fail(j, scratch, -errno);
	return rc;
}
