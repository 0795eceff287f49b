/* kernel/cgroupfs.c - find the caller's cgroup directories.
 *
 * Hybrid hierarchies are common (our CI: v1 controllers plus a cgroup2 mount
 * without them), so a controller is looked up in v2 first, by its presence in
 * cgroup.controllers, and then in the v1 mount that names it in its super
 * options. Paths come from /proc/self/cgroup, relative to the root of the
 * mount (field 4 of mountinfo), which is not "/" inside a cgroup namespace.
 *
 * Both files are read at most once per snapshot (struct vj_cgroupfs), whole,
 * with read(2): a read of /proc/self/mountinfo costs 50 to 250 us on our
 * machines, and a prepare asks several lookups of it. Most lookups need no
 * mountinfo at all: where the hierarchy is mounted where distributions
 * mount it (/sys/fs/cgroup, /sys/fs/cgroup/unified, /sys/fs/cgroup/<ctl>),
 * statx(2) gives that mount's id and statmount(2) (Linux 6.8; options
 * 6.11) its type, root, mount point and options: the fields of its
 * mountinfo line, for ~13 us instead of ~55 to 100 us in a fresh process.
 * Anything else (an older kernel, a seccomp filter that refuses it, a
 * hierarchy mounted elsewhere, a mount of another type there) falls back
 * to the mountinfo scan, read then and kept for the next lookup.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroupfs.h"
#include "compat.h"
#include "syscalls.h"

/* Does the comma-separated @list contain @word? */
static bool list_has(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p != NULL && *p != '\0';) {
		const char *end = strpbrk(p, ", \n");
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == n && strncmp(p, word, n) == 0)
			return true;
		if (end == NULL)
			break;
		p = end + 1;
	}
	return false;
}

/* The whole of @path, its lines NUL-ended in place, in a malloc'd buffer.
 * Returns its length or -errno. */
static ssize_t read_lines(const char *path, char **out)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*out = NULL;
	if (fd < 0 || buf == NULL) {
		int err = fd < 0 ? errno : ENOMEM;

		if (fd >= 0)
			close(fd);
		free(buf);
		return -err;
	}
	for (;;) {
		ssize_t n = read(fd, buf + len, cap - len - 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;

			close(fd);
			free(buf);
			return -err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len + 1 == cap) {
			char *more = realloc(buf, cap * 2);

			if (more == NULL) {
				close(fd);
				free(buf);
				return -ENOMEM;
			}
			buf = more;
			cap *= 2;
		}
	}
	close(fd);
	buf[len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\n')
			buf[i] = '\0';
	*out = buf;
	return (ssize_t)len;
}

int vj_cgroupfs_read(struct vj_cgroupfs *fs)
{
	ssize_t n;

	*fs = (struct vj_cgroupfs){ 0 };
	n = read_lines("/proc/self/cgroup", &fs->cgroup);
	if (n < 0) {
		vj_cgroupfs_free(fs);
		fs->err = (int)n;
		return fs->err;
	}
	fs->cgroup_len = (size_t)n;
	return 0;
}

/* /proc/self/mountinfo into the snapshot, on the first lookup that needs
 * it; a failed read fails that lookup and every later one. */
static int load_mountinfo(struct vj_cgroupfs *fs)
{
	ssize_t n;

	if (fs->mountinfo != NULL || fs->mountinfo_err != 0)
		return fs->mountinfo_err;
	n = read_lines("/proc/self/mountinfo", &fs->mountinfo);
	if (n < 0) {
		fs->mountinfo_err = (int)n;
		return fs->mountinfo_err;
	}
	fs->mountinfo_len = (size_t)n;
	return 0;
}

void vj_cgroupfs_free(struct vj_cgroupfs *fs)
{
	free(fs->cgroup);
	free(fs->mountinfo);
	*fs = (struct vj_cgroupfs){ .err = -ENOENT };
}

/* Each NUL-ended line of @buf (@len bytes), in turn. */
#define for_each_line(p, buf, len)                                             \
	for (const char *p = (buf); p != NULL && p < (buf) + (len);            \
	     p += strlen(p) + 1)

/* The path of our cgroup in the hierarchy whose /proc/self/cgroup line has
 * controllers @ctl ("" for cgroup2): "N:ctl,ctl:/path". */
static int own_path(const struct vj_cgroupfs *fs, const char *ctl,
		    char *path, size_t size)
{
	if (fs->err != 0)
		return fs->err;
	for_each_line(l, fs->cgroup, fs->cgroup_len) {
		char line[4096];
		char *c1, *c2;

		if ((size_t)snprintf(line, sizeof(line), "%s", l) >=
		    sizeof(line))
			continue; /* no path we could use */
		c1 = strchr(line, ':');
		c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (c2 == NULL)
			continue;
		*c2 = '\0';
		if (ctl[0] == '\0' ? c1[1] != '\0' : !list_has(c1 + 1, ctl))
			continue;
		return (size_t)snprintf(path, size, "%s", c2 + 1) < size
			       ? 0
			       : -ENAMETOOLONG;
	}
	return -ENOENT;
}

/* Field @n (from 0) of the space-separated @line, its length in @len;
 * NULL when the line is shorter. What sscanf("%s") would take. */
static const char *field(const char *line, int n, size_t *len)
{
	const char *p = line + strspn(line, " ");

	for (; n > 0 && *p != '\0'; n--) {
		p += strcspn(p, " ");
		p += strspn(p, " ");
	}
	if (*p == '\0')
		return NULL;
	*len = strcspn(p, " ");
	return p;
}

/* Copy @len bytes of @src into @dst of @size; false when too long. */
static bool copy_field(char *dst, size_t size, const char *src, size_t len)
{
	if (len >= size)
		return false;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return true;
}

/* The string at offset @off of statmount's str[], or NULL when the kernel
 * said it is out of the @size bytes of @sm. */
static const char *sm_string(const struct vj_statmount *sm, size_t size,
			     uint32_t off)
{
	size_t room = size - offsetof(struct vj_statmount, str);

	if (off >= room || memchr(sm->str + off, '\0', room - off) == NULL)
		return NULL;
	return sm->str + off;
}

/* The mount at @path, when it is of type @fstype and carries @ctl in its
 * options (v1; "" for cgroup2): its mount point and root, as its
 * mountinfo line has them (unescaped). 0, -ENAMETOOLONG, or -ENOENT for
 * "not known this way": the caller scans mountinfo. */
static int mount_at(const char *path, const char *fstype, const char *ctl,
		    char *mnt, size_t msize, char *root, size_t rsize)
{
	union {
		struct vj_statmount sm;
		char raw[2048]; /* cgroup mount points are short */
	} buf;
	struct vj_mnt_id_req req = { .size = sizeof(req) };
	uint64_t want = VJ_STATMOUNT_MNT_ROOT | VJ_STATMOUNT_MNT_POINT |
			VJ_STATMOUNT_FS_TYPE;
	const char *type, *point, *mroot, *opts = "";
	struct statx st;

	if (ctl[0] != '\0')
		want |= VJ_STATMOUNT_MNT_OPTS;
	if (statx(AT_FDCWD, path, AT_NO_AUTOMOUNT, VJ_STATX_MNT_ID_UNIQUE,
		  &st) != 0 ||
	    !(st.stx_mask & VJ_STATX_MNT_ID_UNIQUE))
		return -ENOENT;
	req.mnt_id = st.stx_mnt_id;
	req.param = want;
	if (vj_sys_statmount(&req, &buf.sm, sizeof(buf), 0) != 0 ||
	    (buf.sm.mask & want) != want)
		return -ENOENT;
	type = sm_string(&buf.sm, sizeof(buf), buf.sm.fs_type);
	point = sm_string(&buf.sm, sizeof(buf), buf.sm.mnt_point);
	mroot = sm_string(&buf.sm, sizeof(buf), buf.sm.mnt_root);
	if (ctl[0] != '\0')
		opts = sm_string(&buf.sm, sizeof(buf), buf.sm.mnt_opts);
	if (type == NULL || point == NULL || mroot == NULL || opts == NULL ||
	    strcmp(type, fstype) != 0 ||
	    (ctl[0] != '\0' && !list_has(opts, ctl)))
		return -ENOENT;
	if (!copy_field(mnt, msize, point, strlen(point)) ||
	    !copy_field(root, rsize, mroot, strlen(mroot)))
		return -ENAMETOOLONG;
	return 0;
}

/* Where distributions mount the hierarchy: 0 and the mount, or -ENOENT
 * (not there, or not known this way), or -ENAMETOOLONG. */
static int mount_where_usual(const char *fstype, const char *ctl, char *mnt,
			     size_t msize, char *root, size_t rsize)
{
	char path[64];
	int rc;

	if (ctl[0] == '\0') {
		/* Beside v1 (hybrid), then alone (current distributions):
		 * where "unified" is missing, statx(2) says so cheaply; where
		 * it is a cgroup of a cgroup2 /sys/fs/cgroup, the mount found
		 * is that one. Hybrid first saves a statmount(2) of the tmpfs
		 * at /sys/fs/cgroup. */
		rc = mount_at("/sys/fs/cgroup/unified", fstype, ctl, mnt,
			      msize, root, rsize);
		if (rc != -ENOENT)
			return rc;
		return mount_at("/sys/fs/cgroup", fstype, ctl, mnt, msize, root,
				rsize);
	}
	if ((size_t)snprintf(path, sizeof(path), "/sys/fs/cgroup/%s", ctl) >=
	    sizeof(path))
		return -ENOENT;
	return mount_at(path, fstype, ctl, mnt, msize, root, rsize);
}

/* Mount point and mount root of the hierarchy of type @fstype that carries
 * @ctl in its super options (cgroup v1), or any cgroup2 mount. First where
 * distributions mount it; else the first such line of mountinfo. Fields are
 * found by hand, not with sscanf(): mountinfo has a few dozen lines, and
 * most are not cgroup mounts. */
static int find_mount(struct vj_cgroupfs *fs, const char *fstype,
		      const char *ctl, char *mnt, size_t msize, char *root,
		      size_t rsize)
{
	int rc;

	if (fs->err != 0)
		return fs->err;
	rc = mount_where_usual(fstype, ctl, mnt, msize, root, rsize);
	if (rc != -ENOENT)
		return rc;
	rc = load_mountinfo(fs);
	if (rc < 0)
		return rc;
	for_each_line(line, fs->mountinfo, fs->mountinfo_len) {
		const char *sep = strstr(line, " - "), *type, *opts, *r, *m;
		size_t tlen, olen, rlen, mlen;
		char list[1024];

		if (sep == NULL ||
		    (type = field(sep + 3, 0, &tlen)) == NULL ||
		    (opts = field(sep + 3, 2, &olen)) == NULL ||
		    (r = field(line, 3, &rlen)) == NULL ||
		    (m = field(line, 4, &mlen)) == NULL || r >= sep || m >= sep)
			continue;
		if (tlen != strlen(fstype) || strncmp(type, fstype, tlen) != 0)
			continue;
		/* cut where sscanf's widths (%1023s, %4095s) cut */
		olen = olen < sizeof(list) ? olen : sizeof(list) - 1;
		rlen = rlen < 4096 ? rlen : 4095;
		mlen = mlen < 4096 ? mlen : 4095;
		if (ctl[0] != '\0' &&
		    (!copy_field(list, sizeof(list), opts, olen) ||
		     !list_has(list, ctl)))
			continue;
		if (!copy_field(mnt, msize, m, mlen) ||
		    !copy_field(root, rsize, r, rlen))
			return -ENAMETOOLONG;
		return 0;
	}
	return -ENOENT;
}

/* Our path below the mount whose root (field 4 of mountinfo) is @root. */
static const char *below_root(const char *root, const char *path)
{
	size_t rlen = strlen(root);

	if (strcmp(root, "/") != 0 && strncmp(path, root, rlen) == 0)
		path += rlen;
	return strcmp(path, "/") == 0 ? "" : path;
}

/* Join a mount point, its root and our path below it into @dir. */
static int join_dir(const char *mnt, const char *root, const char *path,
		    char *dir, size_t size)
{
	if ((size_t)snprintf(dir, size, "%s%s", mnt, below_root(root, path)) >=
	    size)
		return -ENAMETOOLONG;
	return 0;
}

static int v2_dir(struct vj_cgroupfs *fs, const char *controller,
		  char *dir, size_t size)
{
	char mnt[4096], root[4096], path[4096], file[4200], list[1024];
	ssize_t n;
	int fd, rc;

	rc = own_path(fs, "", path, sizeof(path));
	if (rc == 0)
		rc = find_mount(fs, "cgroup2", "", mnt, sizeof(mnt), root,
				sizeof(root));
	if (rc == 0)
		rc = join_dir(mnt, root, path, dir, size);
	if (rc < 0 || controller == NULL)
		return rc;
	snprintf(file, sizeof(file), "%s/cgroup.controllers", dir);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, list, sizeof(list) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	list[n] = '\0';
	return list_has(list, controller) ? 0 : -ENOENT;
}

static int v1_dir(struct vj_cgroupfs *fs, const char *controller,
		  char *dir, size_t size)
{
	char mnt[4096], root[4096], path[4096];
	int rc;

	rc = own_path(fs, controller, path, sizeof(path));
	if (rc == 0)
		rc = find_mount(fs, "cgroup", controller, mnt, sizeof(mnt),
				root, sizeof(root));
	if (rc == 0)
		rc = join_dir(mnt, root, path, dir, size);
	return rc;
}

enum vj_cg_version vj_cgroupfs_dir(struct vj_cgroupfs *fs,
				   const char *controller, char *dir,
				   size_t size)
{
	int rc = v2_dir(fs, controller, dir, size);

	if (rc == 0)
		return VJ_CG_V2;
	if (controller != NULL) {
		/* v1 calls the io controller blkio */
		rc = v1_dir(fs,
			    strcmp(controller, "io") == 0 ? "blkio"
							  : controller,
			    dir, size);
		if (rc == 0)
			return VJ_CG_V1;
	}
	errno = -rc;
	return VJ_CG_NONE;
}

enum vj_cg_version vj_cgroup_dir(const char *controller, char *dir,
				 size_t size)
{
	struct vj_cgroupfs fs;
	enum vj_cg_version v;
	int err;

	vj_cgroupfs_read(&fs);
	v = vj_cgroupfs_dir(&fs, controller, dir, size);
	err = errno;
	vj_cgroupfs_free(&fs);
	errno = err;
	return v;
}

int vj_cgroupfs_hierarchy(struct vj_cgroupfs *fs, const char *v1_name,
			  char *mnt, size_t msize, char *own, size_t osize)
{
	char root[4096], path[4096];
	int rc;

	rc = own_path(fs, v1_name ? v1_name : "", path, sizeof(path));
	if (rc == 0)
		rc = find_mount(fs, v1_name ? "cgroup" : "cgroup2",
				v1_name ? v1_name : "", mnt, msize, root,
				sizeof(root));
	if (rc == 0 && (size_t)snprintf(own, osize, "%s",
					below_root(root, path)) >= osize)
		rc = -ENAMETOOLONG;
	return rc;
}

int vj_cgroup_hierarchy(const char *v1_name, char *mnt, size_t msize,
			char *own, size_t osize)
{
	struct vj_cgroupfs fs;
	int rc;

	vj_cgroupfs_read(&fs);
	rc = vj_cgroupfs_hierarchy(&fs, v1_name, mnt, msize, own, osize);
	vj_cgroupfs_free(&fs);
	return rc;
}

int vj_cgroup_strip_mount(const char *path, char *rel, size_t size)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL, best[4096] = "";
	size_t cap = 0, blen = 0;

	if (f == NULL)
		return -errno;
	/* The longest cgroup mount point that is a prefix of @path at a
	 * component boundary. */
	while (getline(&line, &cap, f) > 0) {
		char m[4096], type[64];
		char *sep = strstr(line, " - ");
		size_t n;

		if (sep == NULL ||
		    sscanf(line, "%*s %*s %*s %*s %4095s", m) != 1 ||
		    sscanf(sep + 3, "%63s", type) != 1 ||
		    (strcmp(type, "cgroup") != 0 &&
		     strcmp(type, "cgroup2") != 0))
			continue;
		n = strlen(m);
		if (n > blen && strncmp(path, m, n) == 0 &&
		    (path[n] == '/' || path[n] == '\0')) {
			memcpy(best, m, n + 1);
			blen = n;
		}
	}
	free(line);
	fclose(f);
	if (blen == 0)
		return -EINVAL;
	if ((size_t)snprintf(rel, size, "%s", path + blen) >= size)
		return -ENAMETOOLONG;
	return 0;
}
