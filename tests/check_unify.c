/* tests/check_unify.c - unification: vjail_unify() and vjail_unify_usage()
 * on real trees (copies of part of /usr), checked from outside (inodes,
 * owners, modes, content, du) and from inside a jail (what a confined,
 * unprivileged process can and cannot do to a shared file).
 *
 * Each test builds its own trees under a fresh mkdtemp directory in /tmp:
 * a few MB copied from /usr, so the whole suite takes seconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <cap-ng.h>
#include <linux/capability.h>

#include "testlib.h"
#define VJ_TESTING 1
#include "libvjail/unify.h"

#define SHARED VJAIL_UNIFY_OWNER_DEFAULT
#define JAIL_UID 54321	/* owns the jail's directories; runs the jail */
#define PERL "usr/share/perl5/Git.pm"	/* a real file, 48 KiB, 0644 */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static char top[64];	/* the test's directory */
static char base[128];	/* the tree every jail is a copy of */
static char j[3][128];	/* jail roots */
static const char *roots[3];

/* ---- helpers ------------------------------------------------------------- */

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	ck_assert_msg(rc == 0, "'%s' failed: %d", cmd, rc);
}

static const char *at(int jail, const char *rel)
{
	static char buf[4][512];
	static int n;
	char *p = buf[n++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", jail < 0 ? base : j[jail], rel);
	return p;
}

static struct stat st_of(const char *path)
{
	struct stat st;

	ck_assert_msg(lstat(path, &st) == 0, "lstat %s: %s", path,
		      strerror(errno));
	return st;
}

static uint64_t sum_of(const char *path)
{
	static unsigned char buf[1 << 20];
	uint64_t h = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		h = vj_unify_hash(buf, (size_t)n, h);
	ck_assert_int_eq(n, 0);
	close(fd);
	return h;
}

static void write_file(const char *path, const char *data, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	ck_assert_msg(fd >= 0, "create %s: %s", path, strerror(errno));
	ck_assert_int_eq(write(fd, data, strlen(data)), (ssize_t)strlen(data));
	ck_assert_int_eq(close(fd), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
}

static bool same_inode(const char *a, const char *b)
{
	struct stat x = st_of(a), y = st_of(b);

	return x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/* du(1) of the jails together: hard links count once, as they should. */
static uint64_t du_set(int n)
{
	char cmd[512], out[64] = "";
	FILE *p;

	snprintf(cmd, sizeof(cmd), "du -sc --block-size=1 %s %s %s | tail -1",
		 j[0], n > 1 ? j[1] : "", n > 2 ? j[2] : "");
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(out, sizeof(out), p));
	pclose(p);
	return strtoull(out, NULL, 10);
}

/* A snapshot of a tree: every entry's stat and, for files, a checksum. */
struct ent {
	char rel[256];
	struct stat st;
	uint64_t sum;
};

static struct ent *snap_v;
static size_t snap_n, snap_skip;

static int snap_one(const char *path, const struct stat *st, int type,
		    struct FTW *ftw)
{
	struct ent *e;

	(void)type;
	(void)ftw;
	snap_v = reallocarray(snap_v, snap_n + 1, sizeof(*snap_v));
	ck_assert_ptr_nonnull(snap_v);
	e = &snap_v[snap_n++];
	snprintf(e->rel, sizeof(e->rel), "%s", path + snap_skip);
	e->st = *st;
	e->sum = S_ISREG(st->st_mode) ? sum_of(path) : 0;
	return 0;
}

static struct ent *snap(const char *root, size_t *n)
{
	snap_v = NULL;
	snap_n = 0;
	snap_skip = strlen(root);
	ck_assert_int_eq(nftw(root, snap_one, 32, FTW_PHYS), 0);
	*n = snap_n;
	return snap_v;
}

/* Files eligible under protection in the base tree: what each extra copy
 * of it must give back (disk bytes), outside the default excludes. */
static uint64_t eligible_bytes(void)
{
	size_t n;
	struct ent *v = snap(base, &n);
	uint64_t sum = 0;

	for (size_t i = 0; i < n; i++) {
		mode_t m = v[i].st.st_mode;

		if (!S_ISREG(m) || v[i].st.st_size == 0 ||
		    strncmp(v[i].rel, "/etc/", 5) == 0 || (m & 06000) ||
		    ((m >> 6) & 5) != (m & 5) || ((m >> 3) & 5) != (m & 5) ||
		    v[i].st.st_nlink > 1)
			continue;
		sum += (uint64_t)v[i].st.st_blocks * 512;
	}
	free(v);
	return sum;
}

static int unify_n(int n, unsigned int flags, struct vjail_unify_report *r)
{
	struct vjail_unify_opts o = { .size = sizeof(o), .flags = flags };
	char err[512] = "";
	int rc;

	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	rc = vjail_unify(roots, (size_t)n, &o, r, err, sizeof(err));
	ck_assert_msg(rc == 0, "vjail_unify: %d %s", rc, err);
	return rc;
}

/* ---- fixture ------------------------------------------------------------- */

/* base/: a copy of /usr/share/perl5 (0644 modules), some binaries (0755),
 * an intra-tree hard link, a symlink, config under etc/. Jails: copies. */
static void make_trees(void)
{
	snprintf(top, sizeof(top), "/tmp/vjail-unify-test.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(top));
	ck_assert_int_eq(chmod(top, 0755), 0);	/* jails traverse it */
	snprintf(base, sizeof(base), "%s/base", top);
	sh("mkdir -p %s/usr/share %s/usr/bin %s/etc && "
	   "cp -a /usr/share/perl5 %s/usr/share/ && "
	   "cp -a /usr/bin/true /usr/bin/cat /usr/bin/ls /usr/bin/env "
	   "%s/usr/bin/ && ln %s/usr/bin/cat %s/usr/bin/cat2 && "
	   "ln -s ls %s/usr/bin/dir && "
	   "cp /etc/debian_version /etc/host.conf %s/etc/",
	   base, base, base, base, base, base, base, base, base);
	for (int i = 0; i < 3; i++) {
		snprintf(j[i], sizeof(j[i]), "%s/j%d", top, i + 1);
		roots[i] = j[i];
		sh("cp -a %s %s", base, j[i]);
	}
}

static void remove_trees(void)
{
	if (top[0] != '\0')
		sh("rm -rf %s", top);
}

/* ---- unify as root ------------------------------------------------------- */

START_TEST(shares_copies_of_a_real_tree)
{
	struct vjail_unify_report r;
	uint64_t du0 = du_set(3), du1, want = 2 * eligible_bytes();
	size_t nb, n1;
	struct ent *b = snap(base, &nb);
	struct ent *v;

	unify_n(3, 0, &r);
	du1 = du_set(3);
	/* du shrinks by at least the duplicated amount, and by what the
	 * report says (the base has a few duplicates of its own too). */
	ck_assert_msg(du0 - du1 >= want, "du shrank %lu, want >= %lu",
		      (unsigned long)(du0 - du1), (unsigned long)want);
	ck_assert_uint_eq(du0 - du1, r.disk_saved);
	ck_assert_uint_gt(r.files_linked, 400);
	ck_assert_uint_eq(r.files_changed + r.files_busy, 0);
	ck_assert_uint_gt(r.shared_copies, 200);

	for (int i = 0; i < 3; i++) {
		v = snap(j[i], &n1);
		ck_assert_uint_eq(n1, nb);
		for (size_t k = 0; k < nb; k++) {
			const struct stat *o = &b[k].st, *s = &v[k].st;

			ck_assert_str_eq(v[k].rel, b[k].rel);
			ck_assert_uint_eq(s->st_mode & S_IFMT,
					  o->st_mode & S_IFMT);
			if (!S_ISREG(o->st_mode))
				continue;
			/* content never changes */
			ck_assert_msg(v[k].sum == b[k].sum, "%s changed",
				      v[k].rel);
			if (s->st_uid == SHARED) {
				char mark[64];
				char want_mark[64];
				ssize_t ml = lgetxattr(at(i, v[k].rel + 1),
						       VJ_UNIFY_MARKER, mark,
						       sizeof(mark) - 1);

				/* protected: no write bits, marker holds
				 * the original owner and mode */
				ck_assert_uint_eq(s->st_gid, SHARED);
				ck_assert_uint_eq(s->st_mode & 07777,
						  o->st_mode & 0555);
				ck_assert_int_gt(ml, 0);
				mark[ml] = '\0';
				snprintf(want_mark, sizeof(want_mark),
					 "v1 %u %u %o", o->st_uid, o->st_gid,
					 o->st_mode & 07777);
				ck_assert_str_eq(mark, want_mark);
				ck_assert_msg(strncmp(v[k].rel, "/etc/", 5),
					      "%s: etc/ is excluded",
					      v[k].rel);
			} else {
				ck_assert_uint_eq(s->st_uid, o->st_uid);
				ck_assert_uint_eq(s->st_mode, o->st_mode);
			}
		}
		free(v);
	}
	free(b);
	/* the same file in each jail is one inode; etc/ is not shared */
	ck_assert(same_inode(at(0, PERL), at(1, PERL)));
	ck_assert(same_inode(at(0, PERL), at(2, PERL)));
	ck_assert(same_inode(at(0, "usr/bin/ls"), at(2, "usr/bin/ls")));
	ck_assert(!same_inode(at(0, "etc/host.conf"), at(1, "etc/host.conf")));
	/* intra-tree links stay together; symlinks are left alone */
	ck_assert(same_inode(at(1, "usr/bin/cat"), at(1, "usr/bin/cat2")));
	ck_assert(S_ISLNK(st_of(at(1, "usr/bin/dir")).st_mode));
	/* nothing left behind */
	sh("test -z \"$(find %s -name '.vjail-unify*')\"", top);
}
END_TEST

START_TEST(no_protect_keeps_owner_and_mode)
{
	struct vjail_unify_report r;
	struct stat o = st_of(at(-1, PERL)), s;

	sh("chown 1234:1234 %s/%s %s/%s %s/%s", j[0], PERL, j[1], PERL, j[2],
	   PERL);
	unify_n(3, VJAIL_UNIFY_NO_PROTECT, &r);
	s = st_of(at(0, PERL));
	ck_assert(same_inode(at(0, PERL), at(2, PERL)));
	ck_assert_uint_eq(s.st_uid, 1234);
	ck_assert_uint_eq(s.st_mode, o.st_mode);
	ck_assert_int_eq(getxattr(at(0, PERL), VJ_UNIFY_MARKER, NULL, 0), -1);
	ck_assert_uint_eq(sum_of(at(1, PERL)), sum_of(at(-1, PERL)));
}
END_TEST

/* ---- what is never linked ------------------------------------------------ */

START_TEST(never_links_files_that_differ)
{
	struct vjail_unify_report r;
	char big[10001];
	const char *name[] = { "same", "tail", "mode", "owner", "xattr" };

	/* 10000 bytes: past the 4 KiB head screen, so only the full compare
	 * can tell "tail" apart. */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (int i = 0; i < 3; i++)
		for (size_t k = 0; k < ARRAY_SIZE(name); k++) {
			char p[512];

			snprintf(p, sizeof(p), "%s/usr/%s", j[i], name[k]);
			write_file(p, big, 0644);
		}
	big[9999] = 'b';
	write_file(at(1, "usr/tail"), big, 0644);
	ck_assert_int_eq(chmod(at(1, "usr/mode"), 0755), 0);
	ck_assert_int_eq(chown(at(1, "usr/owner"), 1000, 1000), 0);
	ck_assert_int_eq(setxattr(at(1, "usr/xattr"), "user.test", "x", 1, 0),
			 0);
	/* five same-size files with equal heads (the hashed path), two of
	 * them equal */
	for (int k = 0; k < 5; k++) {
		char p[512];

		big[9999] = k == 4 ? 'c' : (char)('c' + k);
		snprintf(p, sizeof(p), "%s/usr/h%d", j[0], k);
		write_file(p, big, 0644);
	}
	unify_n(3, VJAIL_UNIFY_NO_DEFAULT_EXCLUDES, &r);
	ck_assert(same_inode(at(0, "usr/same"), at(1, "usr/same")));
	for (size_t k = 1; k < ARRAY_SIZE(name); k++) {
		char a[512], b[512], c[512];

		snprintf(a, sizeof(a), "%s/usr/%s", j[0], name[k]);
		snprintf(b, sizeof(b), "%s/usr/%s", j[1], name[k]);
		snprintf(c, sizeof(c), "%s/usr/%s", j[2], name[k]);
		ck_assert_msg(!same_inode(a, b), "%s linked", b);
		ck_assert_msg(same_inode(a, c), "%s not linked", c); /* twins */
	}
	ck_assert(same_inode(at(0, "usr/h0"), at(0, "usr/h4")));
	ck_assert(!same_inode(at(0, "usr/h0"), at(0, "usr/h1")));
	ck_assert(!same_inode(at(0, "usr/h1"), at(0, "usr/h2")));
	ck_assert_uint_ge(r.files_hashed, 5);
	ck_assert_uint_ne(sum_of(at(1, "usr/tail")),
			  sum_of(at(0, "usr/tail")));
}
END_TEST

START_TEST(leaves_special_and_ineligible_files_alone)
{
	struct vjail_unify_report r;
	const char *keep[] = { "usr/fifo", "usr/null", "usr/sock", "usr/suid",
			       "usr/private", "usr/outside", "usr/empty",
			       "usr/bin/dir" };
	struct stat before[3][ARRAY_SIZE(keep)];

	for (int i = 0; i < 3; i++) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		int s = socket(AF_UNIX, SOCK_STREAM, 0);
		char p[512];

		ck_assert_int_eq(mkfifo(at(i, "usr/fifo"), 0644), 0);
		ck_assert_int_eq(mknod(at(i, "usr/null"), S_IFCHR | 0644,
				       makedev(1, 3)), 0);
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s",
			 at(i, "usr/sock"));
		ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof(sa)),
				 0);
		close(s);
		write_file(at(i, "usr/suid"), "set-id program", 04755);
		write_file(at(i, "usr/private"), "key material", 0600);
		write_file(at(i, "usr/outside"), "linked from etc", 0644);
		/* a hard link from an excluded place: not every link seen */
		snprintf(p, sizeof(p), "%s/etc/outside-link", j[i]);
		ck_assert_int_eq(link(at(i, "usr/outside"), p), 0);
		write_file(at(i, "usr/empty"), "", 0644);
		for (size_t k = 0; k < ARRAY_SIZE(keep); k++)
			before[i][k] = st_of(at(i, keep[k]));
	}
	unify_n(3, 0, &r);
	for (int i = 0; i < 3; i++)
		for (size_t k = 0; k < ARRAY_SIZE(keep); k++) {
			struct stat s = st_of(at(i, keep[k]));

			ck_assert_msg(s.st_ino == before[i][k].st_ino &&
				      s.st_mode == before[i][k].st_mode &&
				      s.st_uid == before[i][k].st_uid,
				      "%s was touched", at(i, keep[k]));
		}
	/* the rest of the tree was still unified */
	ck_assert(same_inode(at(0, PERL), at(1, PERL)));
	ck_assert_uint_ge(r.files_skipped, 3 * 3);
}
END_TEST

/* Files on different filesystems are never linked; mounts inside a root
 * are not entered. A tmpfs in a mount namespace of this test only. */
START_TEST(never_links_across_filesystems)
{
	struct vjail_unify_report r;
	char mnt[128], inner[256], b1[256], b2[256];
	const char *rs[3];
	struct vjail_unify_opts o = { .size = sizeof(o) };
	char err[512];

	ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	snprintf(mnt, sizeof(mnt), "%s/tmpfs", top);
	ck_assert_int_eq(mkdir(mnt, 0755), 0);
	ck_assert_int_eq(mount("vjail-test", mnt, "tmpfs", 0, "size=64m"), 0);
	snprintf(b1, sizeof(b1), "%s/j2", mnt);
	snprintf(b2, sizeof(b2), "%s/j3", mnt);
	sh("cp -a %s %s && cp -a %s %s", base, b1, base, b2);
	/* a mount inside j1 holding twins of j1's files */
	snprintf(inner, sizeof(inner), "%s/usr/share/inner", j[0]);
	ck_assert_int_eq(mkdir(inner, 0755), 0);
	ck_assert_int_eq(mount(b1, inner, NULL, MS_BIND | MS_REC, NULL), 0);

	rs[0] = j[0];
	rs[1] = b1;
	rs[2] = b2;
	r = (struct vjail_unify_report){ .size = sizeof(r) };
	ck_assert_int_eq(vjail_unify(rs, 3, &o, &r, err, sizeof(err)), 0);
	/* on tmpfs: linked to each other; never to j1 on /tmp */
	snprintf(b1, sizeof(b1), "%s/j2/%s", mnt, PERL);
	snprintf(b2, sizeof(b2), "%s/j3/%s", mnt, PERL);
	ck_assert(same_inode(b1, b2));
	ck_assert(!same_inode(at(0, PERL), b1));
	ck_assert_uint_eq(st_of(at(0, PERL)).st_nlink, 1);
	ck_assert_uint_eq(st_of(at(0, PERL)).st_uid, 0);
	/* the inner mount was not walked: j1 counts as one base tree */
	{
		size_t nb;
		struct ent *v = snap(base, &nb);
		uint64_t files = 0;

		for (size_t k = 0; k < nb; k++)
			files += S_ISREG(v[k].st.st_mode) &&
				 strncmp(v[k].rel, "/etc/", 5) != 0;
		free(v);
		ck_assert_uint_eq(r.files_scanned, 3 * files);
	}
	ck_assert_int_eq(umount2(inner, MNT_DETACH), 0);
	ck_assert_int_eq(umount2(mnt, MNT_DETACH), 0);
}
END_TEST

/* ---- races --------------------------------------------------------------- */

static const char *hook_target;
static int hook_fired;

static void write_during_run(enum vj_unify_hook_point point, const char *path)
{
	int fd;

	if (point != VJ_UNIFY_HOOK_COMPARED || path == NULL ||
	    strcmp(path, hook_target) != 0 || hook_fired++)
		return;
	/* A jail writes to its copy after it was compared equal. */
	fd = open(path, O_WRONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pwrite(fd, "#", 1, 0), 1);
	close(fd);
}

static void write_after_walk(enum vj_unify_hook_point point, const char *path)
{
	int fd;

	(void)path;
	if (point != VJ_UNIFY_HOOK_WALKED)
		return;
	fd = open(hook_target, O_WRONLY | O_APPEND);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "\n", 1), 1);
	close(fd);
	hook_fired++;
}

START_TEST(file_changed_while_compared_is_not_linked)
{
	struct vjail_unify_report r;

	hook_target = at(1, PERL);
	vj_unify_test_hook = write_during_run;
	unify_n(3, 0, &r);
	vj_unify_test_hook = NULL;
	ck_assert_int_eq(hook_fired, 1);
	ck_assert(!same_inode(at(0, PERL), at(1, PERL)));
	ck_assert(same_inode(at(0, PERL), at(2, PERL)));
	ck_assert_uint_eq(r.files_changed, 1);
	/* the jail's write is kept */
	ck_assert_uint_ne(sum_of(at(1, PERL)), sum_of(at(-1, PERL)));
	ck_assert_uint_eq(st_of(at(1, PERL)).st_uid, 0);
}
END_TEST

START_TEST(file_changed_after_walk_is_not_linked)
{
	struct vjail_unify_report r;

	hook_target = at(2, PERL);
	vj_unify_test_hook = write_after_walk;
	unify_n(3, 0, &r);
	vj_unify_test_hook = NULL;
	ck_assert_int_eq(hook_fired, 1);
	ck_assert(same_inode(at(0, PERL), at(1, PERL)));
	ck_assert(!same_inode(at(0, PERL), at(2, PERL)));
	ck_assert_uint_eq(r.files_changed, 1);
}
END_TEST

/* A jail that holds its file open for writing cannot have it become the
 * shared copy: it could still write through that descriptor. */
START_TEST(file_open_for_writing_is_not_shared)
{
	struct vjail_unify_report r;
	struct stat s;
	int fd = open(at(0, PERL), O_RDWR);

	ck_assert_int_ge(fd, 0);
	unify_n(3, 0, &r);
	s = st_of(at(0, PERL));
	ck_assert_uint_eq(r.files_busy, 1);
	ck_assert_uint_eq(s.st_nlink, 1);
	ck_assert_uint_eq(s.st_uid, 0);		/* restored */
	ck_assert_uint_eq(s.st_mode & 07777, 0644);
	ck_assert_int_eq(getxattr(at(0, PERL), VJ_UNIFY_MARKER, NULL, 0), -1);
	ck_assert(same_inode(at(1, PERL), at(2, PERL)));	/* the others */
	close(fd);
}
END_TEST

/* ---- protection, from inside --------------------------------------------- */

/* Three adversaries. JAIL_VJAIL: a real libvjail jail (vjail_enter with a
 * user namespace mapping only JAIL_UID, capabilities dropped, seccomp and
 * Landlock on; no mount namespace, so the tree stays where the checks look).
 * JAIL_IDS: uid and gid JAIL_UID, no supplementary groups, no capabilities,
 * empty bounding set. JAIL_USERNS_ROOT: that, then a user namespace of its
 * own whose root is JAIL_UID (full capabilities inside it, and no map for
 * the shared owner): stronger than any libvjail jail. Returns the path
 * prefix under which the jail sees its root. */
enum jail_kind { JAIL_IDS, JAIL_USERNS_ROOT, JAIL_VJAIL };

static const char *enter_test_jail(const char *root, enum jail_kind how)
{
	bool userns = how == JAIL_USERNS_ROOT;
	char map[64];
	int fd;

	if (how == JAIL_VJAIL) {
		struct vjail *h;

		/* The daemon profile answers setxattr(2) with EOPNOTSUPP
		 * itself (no file capabilities from a jail); allowed here,
		 * so that the file's own protection is what is tested. */
		if (vjail_create(&h, NULL, 0) != 0 ||
		    vjail_namespaces(h, VJAIL_NS_USER | VJAIL_NS_IPC |
						VJAIL_NS_UTS) != 0 ||
		    vjail_set_user(h, JAIL_UID, JAIL_UID) != 0 ||
		    vjail_syscall_rule(h, "setxattr", VJAIL_ACTION_ALLOW,
				       0) != 0 ||
		    vjail_enter(h, 0) != 0) {
			fprintf(stderr, "jail: %s\n", vjail_strerror(h));
			_exit(89);
		}
		return root;
	}

	capng_clear(CAPNG_SELECT_BOTH);
	if (capng_change_id(JAIL_UID, JAIL_UID,
			    CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING) != 0)
		_exit(90);
	if (capng_apply(CAPNG_SELECT_CAPS) != 0 ||
	    prctl(PR_CAPBSET_READ, CAP_DAC_OVERRIDE) != 0 ||
	    getuid() != JAIL_UID)
		_exit(91);
	if (!userns)
		return root;
	/* The id change made us non-dumpable, which gives the files in
	 * /proc/self to root: the maps could not be written. */
	if (prctl(PR_SET_DUMPABLE, 1) != 0)
		_exit(97);
	if (unshare(CLONE_NEWUSER) != 0)
		_exit(92);
	snprintf(map, sizeof(map), "0 %d 1", JAIL_UID);
	fd = open("/proc/self/uid_map", O_WRONLY);
	if (fd < 0 || write(fd, map, strlen(map)) < 0 || close(fd) != 0)
		_exit(93);
	fd = open("/proc/self/setgroups", O_WRONLY);
	if (fd < 0 || write(fd, "deny", 4) < 0 || close(fd) != 0)
		_exit(94);
	fd = open("/proc/self/gid_map", O_WRONLY);
	if (fd < 0 || write(fd, map, strlen(map)) < 0 || close(fd) != 0)
		_exit(95);
	if (getuid() != 0)
		_exit(96);
	return root;
}

/* In the jail: expect @call to fail with @err, else exit with @code. */
#define MUST_FAIL(call, err, code)                                             \
	do {                                                                   \
		errno = 0;                                                     \
		if ((call) != -1 || errno != (err)) {                          \
			fprintf(stderr, "jail: %s: got errno %d (%s)\n",       \
				#call, errno, strerror(errno));                \
			_exit(code);                                           \
		}                                                              \
	} while (0)

static void jail_body(const char *root, enum jail_kind how)
{
	const char *p = enter_test_jail(root, how);
	struct timespec ts[2] = { { 1, 0 }, { 1, 0 } };
	char f[512], t[512], buf[64];
	pid_t pid;
	int fd, st;

	snprintf(f, sizeof(f), "%s/%s", p, PERL);
	snprintf(t, sizeof(t), "%s/usr/bin/true", p);
	/* cannot modify the shared copy in any way */
	MUST_FAIL(open(f, O_WRONLY), EACCES, 10);
	MUST_FAIL(open(f, O_RDWR), EACCES, 11);
	MUST_FAIL(open(f, O_WRONLY | O_TRUNC), EACCES, 12);
	MUST_FAIL(open(f, O_WRONLY | O_APPEND), EACCES, 13);
	MUST_FAIL(truncate(f, 0), EACCES, 14);
	MUST_FAIL(chmod(f, 0666), EPERM, 15);
	MUST_FAIL(chown(f, getuid(), getgid()), EPERM, 16);
	MUST_FAIL(utimensat(AT_FDCWD, f, ts, 0), EPERM, 17);
	MUST_FAIL(utimensat(AT_FDCWD, f, NULL, 0), EACCES, 18);
	MUST_FAIL(setxattr(f, "user.x", "1", 1, 0), EACCES, 19);
	MUST_FAIL(removexattr(f, VJ_UNIFY_MARKER), EPERM, 20);
	/* but reads it, and runs a shared binary */
	fd = open(f, O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf)) <= 0)
		_exit(30);
	close(fd);
	pid = fork();
	if (pid == 0) {
		execl(t, "true", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0)
		_exit(31);
	/* and replaces it, as a package manager would: the new file is the
	 * jail's own */
	if (unlink(f) != 0)
		_exit(40);
	fd = open(f, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0 || write(fd, "new", 3) != 3 || close(fd) != 0)
		_exit(41);
	_exit(0);
}

static void protection_holds(enum jail_kind how)
{
	struct vjail_unify_report r;
	uint64_t orig = sum_of(at(-1, PERL));
	pid_t pid;
	int st;

	/* the jail owns its directories, as a jail's root would */
	sh("find %s -type d -exec chown %d:%d {} +", j[0], JAIL_UID, JAIL_UID);
	unify_n(3, 0, &r);
	ck_assert(same_inode(at(0, PERL), at(1, PERL)));
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		jail_body(j[0], how);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "jail check failed with status %d (see stderr)",
		      WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));
	/* the jail's new file is its own; the other jails kept theirs */
	ck_assert_uint_eq(st_of(at(0, PERL)).st_uid, JAIL_UID);
	ck_assert_uint_eq(st_of(at(0, PERL)).st_size, 3);
	ck_assert_uint_eq(sum_of(at(1, PERL)), orig);
	ck_assert_uint_eq(sum_of(at(2, PERL)), orig);
	ck_assert(same_inode(at(1, PERL), at(2, PERL)));
	ck_assert_uint_eq(st_of(at(1, PERL)).st_uid, SHARED);
}

START_TEST(jail_can_unlink_but_not_modify)
{
	protection_holds(JAIL_IDS);
}
END_TEST

START_TEST(userns_root_can_unlink_but_not_modify)
{
	protection_holds(JAIL_USERNS_ROOT);
}
END_TEST

START_TEST(vjail_jail_can_unlink_but_not_modify)
{
	protection_holds(JAIL_VJAIL);
}
END_TEST

/* ---- split, dry run, accounting, options --------------------------------- */

START_TEST(split_gives_one_tree_its_own_copies)
{
	struct vjail_unify_report r;
	struct vjail_unify_opts o = { .size = sizeof(o),
				      .flags = VJAIL_UNIFY_SPLIT };
	struct vjail_unify_usage u = { .size = sizeof(u) };
	size_t nb, n1;
	struct ent *b = snap(base, &nb), *v;
	char err[512];

	unify_n(3, 0, &r);
	r = (struct vjail_unify_report){ .size = sizeof(r) };
	ck_assert_int_eq(vjail_unify(&roots[0], 1, &o, &r, err, sizeof(err)),
			 0);
	ck_assert_uint_gt(r.files_split, 200);
	v = snap(j[0], &n1);
	ck_assert_uint_eq(n1, nb);
	for (size_t k = 0; k < nb; k++) {
		ck_assert_str_eq(v[k].rel, b[k].rel);
		if (!S_ISREG(b[k].st.st_mode))
			continue;
		/* owner, mode, content and mtime as before unification */
		ck_assert_msg(v[k].st.st_uid == b[k].st.st_uid &&
			      v[k].st.st_gid == b[k].st.st_gid &&
			      v[k].st.st_mode == b[k].st.st_mode &&
			      v[k].sum == b[k].sum &&
			      v[k].st.st_mtim.tv_sec == b[k].st.st_mtim.tv_sec,
			      "%s not restored", v[k].rel);
	}
	free(v);
	free(b);
	ck_assert(same_inode(at(0, "usr/bin/cat"), at(0, "usr/bin/cat2")));
	ck_assert_int_eq(vjail_unify_usage(j[0], &u, err, sizeof(err)), 0);
	ck_assert_uint_eq(u.shared_files, 0);
	ck_assert_int_eq(vjail_unify_usage(j[1], &u, err, sizeof(err)), 0);
	ck_assert_uint_gt(u.shared_files, 200);
	ck_assert(same_inode(at(1, PERL), at(2, PERL)));
	/* split again: nothing left to do */
	ck_assert_int_eq(vjail_unify(&roots[0], 1, &o, &r, err, sizeof(err)),
			 0);
	ck_assert_uint_eq(r.files_split, 0);
}
END_TEST

START_TEST(dry_run_changes_nothing_and_predicts)
{
	struct vjail_unify_report dry, real;
	size_t n0, n1;
	struct ent *a = snap(top, &n0), *b;

	unify_n(3, VJAIL_UNIFY_DRY_RUN, &dry);
	b = snap(top, &n1);
	ck_assert_uint_eq(n0, n1);
	for (size_t k = 0; k < n0; k++)
		ck_assert_msg(a[k].st.st_ino == b[k].st.st_ino &&
			      a[k].st.st_mode == b[k].st.st_mode &&
			      a[k].st.st_uid == b[k].st.st_uid &&
			      a[k].st.st_ctim.tv_nsec ==
				      b[k].st.st_ctim.tv_nsec,
			      "%s changed", a[k].rel);
	free(a);
	free(b);
	unify_n(3, 0, &real);
	ck_assert_uint_eq(dry.files_linked, real.files_linked);
	ck_assert_uint_eq(dry.disk_saved, real.disk_saved);
	ck_assert_uint_eq(dry.shared_copies, real.shared_copies);
}
END_TEST

START_TEST(usage_splits_own_and_shared)
{
	struct vjail_unify_report r;
	struct vjail_unify_usage u0 = { .size = sizeof(u0) }, u1 = u0;
	char err[512];

	ck_assert_int_eq(vjail_unify_usage(j[0], &u0, err, sizeof(err)), 0);
	ck_assert_uint_eq(u0.shared_files, 0);
	ck_assert_uint_gt(u0.own_bytes, 1 << 20);
	unify_n(3, 0, &r);
	ck_assert_int_eq(vjail_unify_usage(j[0], &u1, err, sizeof(err)), 0);
	/* j1 keeps its inodes (the first root's copies are the shared
	 * ones), so its total stays; most of it is now shared */
	ck_assert_uint_eq(u1.own_bytes + u1.shared_bytes, u0.own_bytes);
	ck_assert_uint_eq(u1.own_files + u1.shared_files, u0.own_files);
	ck_assert_uint_gt(u1.shared_bytes, u1.own_bytes);
	ck_assert_uint_eq(u1.unified_files, u1.shared_files);
	ck_assert_uint_ge(u1.own_files, 2);	/* etc/ */
}
END_TEST

START_TEST(patterns_and_min_size_choose_files)
{
	struct vjail_unify_report r;
	const char *inc[] = { "etc/host.conf", NULL };
	const char *exc[] = { "usr/share/perl5/*", NULL };
	struct vjail_unify_opts o = { .size = sizeof(o), .include = inc,
				      .exclude = exc,
				      .min_size = 40000 };
	char err[512];

	r = (struct vjail_unify_report){ .size = sizeof(r) };
	ck_assert_int_eq(vjail_unify(roots, 3, &o, &r, err, sizeof(err)), 0);
	ck_assert(!same_inode(at(0, PERL), at(1, PERL)));	/* excluded */
	ck_assert(same_inode(at(0, "usr/bin/ls"), at(1, "usr/bin/ls")));
	ck_assert(!same_inode(at(0, "usr/bin/true"), at(1, "usr/bin/true")));
	/* included back, but below min_size */
	ck_assert(!same_inode(at(0, "etc/host.conf"), at(1, "etc/host.conf")));
	o.min_size = 0;
	o.exclude = NULL;
	ck_assert_int_eq(vjail_unify(roots, 3, &o, &r, err, sizeof(err)), 0);
	ck_assert(same_inode(at(0, "etc/host.conf"), at(1, "etc/host.conf")));
	ck_assert(!same_inode(at(0, "etc/debian_version"),
			      at(1, "etc/debian_version")));
	ck_assert(same_inode(at(0, PERL), at(1, PERL)));
}
END_TEST

START_TEST(later_runs_link_new_jails_to_shared_copies)
{
	struct vjail_unify_report r;
	struct stat s;

	unify_n(2, 0, &r);
	s = st_of(at(0, PERL));
	ck_assert_uint_eq(s.st_uid, SHARED);
	unify_n(3, 0, &r);	/* j3 is new: its copies join */
	ck_assert(same_inode(at(0, PERL), at(2, PERL)));
	ck_assert_uint_eq(st_of(at(0, PERL)).st_ino, s.st_ino);
	ck_assert_uint_eq(st_of(at(0, PERL)).st_nlink, 3);
	unify_n(3, 0, &r);	/* nothing more to do */
	ck_assert_uint_eq(r.files_linked, 0);
}
END_TEST

START_TEST(reference_copy_is_the_shared_one)
{
	struct vjail_unify_report r = { .size = sizeof(r) };
	struct vjail_unify_opts o = { .size = sizeof(o), .reference = base };
	ino_t ino = st_of(at(-1, PERL)).st_ino;
	char err[512];

	ck_assert_int_eq(vjail_unify(&roots[1], 2, &o, &r, err, sizeof(err)),
			 0);
	ck_assert_uint_eq(st_of(at(1, PERL)).st_ino, ino);
	ck_assert_uint_eq(st_of(at(2, PERL)).st_ino, ino);
}
END_TEST

START_TEST(validates_arguments)
{
	struct vjail_unify_opts o = { .size = sizeof(o) };
	struct vjail_unify_report r = { .size = 4 };
	struct vjail_unify_usage u = { .size = 2 };
	const char *bad[2];
	const char *empty[] = { "/", NULL };
	char err[512], inside[256];

#define FAILS(call, e, needle)                                                 \
	do {                                                                   \
		int rc_ = (call);                                              \
		ck_assert_msg(rc_ == -(e), "%s: %d (%s)", #call, rc_, err);    \
		ck_assert_msg(strstr(err, needle) != NULL,                     \
			      "%s: \"%s\" lacks \"%s\"", #call, err, needle);  \
	} while (0)
	FAILS(vjail_unify(NULL, 1, NULL, NULL, err, sizeof(err)), EINVAL,
	      "roots");
	FAILS(vjail_unify(roots, 0, NULL, NULL, err, sizeof(err)), EINVAL,
	      "0 roots");
	FAILS(vjail_unify(roots, 3, NULL, &r, err, sizeof(err)), EINVAL,
	      "report: size");
	bad[0] = "relative/root";
	FAILS(vjail_unify(bad, 1, NULL, NULL, err, sizeof(err)), EINVAL,
	      "absolute");
	bad[0] = "/nonexistent-vjail-root";
	FAILS(vjail_unify(bad, 1, NULL, NULL, err, sizeof(err)), ENOENT,
	      "/nonexistent-vjail-root");
	bad[0] = "/etc/passwd";
	FAILS(vjail_unify(bad, 1, NULL, NULL, err, sizeof(err)), ENOTDIR,
	      "/etc/passwd");
	bad[0] = j[0];
	bad[1] = j[0];
	FAILS(vjail_unify(bad, 2, NULL, NULL, err, sizeof(err)), EINVAL,
	      "same directory");
	snprintf(inside, sizeof(inside), "%s/usr", j[0]);
	bad[1] = inside;
	FAILS(vjail_unify(bad, 2, NULL, NULL, err, sizeof(err)), EINVAL,
	      "inside");
	o.flags = 1u << 30;
	FAILS(vjail_unify(roots, 3, &o, NULL, err, sizeof(err)), EINVAL,
	      "unknown flags");
	o.flags = VJAIL_UNIFY_SPLIT;
	FAILS(vjail_unify(roots, 2, &o, NULL, err, sizeof(err)), EINVAL,
	      "exactly one root");
	o.flags = 0;
	o.owner_uid = 65534;
	FAILS(vjail_unify(roots, 3, &o, NULL, err, sizeof(err)), EINVAL,
	      "65534");
	o.owner_uid = 0;
	o.exclude = empty;
	FAILS(vjail_unify(roots, 3, &o, NULL, err, sizeof(err)), EINVAL,
	      "empty");
	o.exclude = NULL;
	o.size = 4;
	FAILS(vjail_unify(roots, 3, &o, NULL, err, sizeof(err)), EINVAL,
	      "size 4");
	FAILS(vjail_unify_usage(j[0], &u, err, sizeof(err)), EINVAL, "size");
	u.size = sizeof(u);
	FAILS(vjail_unify_usage("rel", &u, err, sizeof(err)), EINVAL,
	      "absolute");
	FAILS(vjail_unify_usage("/nonexistent-vjail-root", &u, err,
				sizeof(err)), ENOENT, "nonexistent");
	/* nothing was changed by any of these */
	ck_assert(!same_inode(at(0, PERL), at(1, PERL)));
#undef FAILS
}
END_TEST

START_TEST(hash_is_keyed_and_spreads)
{
	char a[100] = "the same bytes", b[100] = "the same bytes";

	ck_assert_uint_eq(vj_unify_hash(a, sizeof(a), 1),
			  vj_unify_hash(b, sizeof(b), 1));
	ck_assert_uint_ne(vj_unify_hash(a, sizeof(a), 1),
			  vj_unify_hash(a, sizeof(a), 2));
	b[99] ^= 1;
	ck_assert_uint_ne(vj_unify_hash(a, sizeof(a), 1),
			  vj_unify_hash(b, sizeof(b), 1));
	ck_assert_uint_ne(vj_unify_hash(a, 64, 1), vj_unify_hash(a, 65, 1));
}
END_TEST

/* ---- unprivileged -------------------------------------------------------- */

/* As nobody: protection needs root and says so; linking without it and
 * the dry run work on the caller's own trees. */
START_TEST(nobody_may_link_own_trees_without_protection)
{
	struct vjail_unify_report r = { .size = sizeof(r) };
	struct vjail_unify_opts o = { .size = sizeof(o) };
	struct vjail_unify_usage u = { .size = sizeof(u) };
	char own[128], err[512];
	const char *rs[2];
	char r1[160], r2[160], f1[256], f2[256];

	snprintf(own, sizeof(own), "%s/nobody", top);
	ck_assert_int_eq(mkdir(own, 0755), 0);
	ck_assert_int_eq(chown(own, 65534, 65534), 0);
	vj_test_become_nobody();
	snprintf(r1, sizeof(r1), "%s/j1", own);
	snprintf(r2, sizeof(r2), "%s/j2", own);
	sh("cp -r --preserve=mode,timestamps %s %s && "
	   "cp -r --preserve=mode,timestamps %s %s", base, r1, base, r2);
	rs[0] = r1;
	rs[1] = r2;
	ck_assert_int_eq(vjail_unify(rs, 2, &o, &r, err, sizeof(err)), -EPERM);
	ck_assert_ptr_nonnull(strstr(err, "CAP_"));
	o.flags = VJAIL_UNIFY_DRY_RUN;
	ck_assert_int_eq(vjail_unify(rs, 2, &o, &r, err, sizeof(err)), 0);
	ck_assert_uint_gt(r.files_linked, 200);
	o.flags = VJAIL_UNIFY_NO_PROTECT;
	ck_assert_int_eq(vjail_unify(rs, 2, &o, &r, err, sizeof(err)), 0);
	snprintf(f1, sizeof(f1), "%s/%s", r1, PERL);
	snprintf(f2, sizeof(f2), "%s/%s", r2, PERL);
	ck_assert(same_inode(f1, f2));
	ck_assert_uint_eq(st_of(f1).st_uid, 65534);
	ck_assert_int_eq(vjail_unify_usage(r1, &u, err, sizeof(err)), 0);
	ck_assert_uint_gt(u.shared_files, 200);
	/* and split back */
	o.flags = VJAIL_UNIFY_SPLIT;
	ck_assert_int_eq(vjail_unify(rs, 1, &o, &r, err, sizeof(err)), 0);
	ck_assert(!same_inode(f1, f2));
	ck_assert_uint_eq(sum_of(f1), sum_of(f2));
}
END_TEST

static Suite *unify_suite(void)
{
	Suite *s = suite_create("unify");
	TCase *tc = tcase_create("root");
	TCase *un = tcase_create("nobody");

	tcase_add_checked_fixture(tc, make_trees, remove_trees);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, shares_copies_of_a_real_tree);
	tcase_add_test(tc, no_protect_keeps_owner_and_mode);
	tcase_add_test(tc, never_links_files_that_differ);
	tcase_add_test(tc, leaves_special_and_ineligible_files_alone);
	tcase_add_test(tc, never_links_across_filesystems);
	tcase_add_test(tc, file_changed_while_compared_is_not_linked);
	tcase_add_test(tc, file_changed_after_walk_is_not_linked);
	tcase_add_test(tc, file_open_for_writing_is_not_shared);
	tcase_add_test(tc, jail_can_unlink_but_not_modify);
	tcase_add_test(tc, userns_root_can_unlink_but_not_modify);
	tcase_add_test(tc, vjail_jail_can_unlink_but_not_modify);
	tcase_add_test(tc, split_gives_one_tree_its_own_copies);
	tcase_add_test(tc, dry_run_changes_nothing_and_predicts);
	tcase_add_test(tc, usage_splits_own_and_shared);
	tcase_add_test(tc, patterns_and_min_size_choose_files);
	tcase_add_test(tc, later_runs_link_new_jails_to_shared_copies);
	tcase_add_test(tc, reference_copy_is_the_shared_one);
	tcase_add_test(tc, validates_arguments);
	tcase_add_test(tc, hash_is_keyed_and_spreads);
	suite_add_tcase(s, tc);

	/* Unchecked: the test becomes nobody, and nobody could not remove
	 * the root-owned trees afterwards; this runs in the parent. */
	tcase_add_unchecked_fixture(un, make_trees, remove_trees);
	tcase_set_timeout(un, 30);
	tcase_add_test(un, nobody_may_link_own_trees_without_protection);
	suite_add_tcase(s, un);
	return s;
}

int main(void)
{
	if (geteuid() != 0) {
		/* Building trees with root-owned files, mount namespaces and
		 * chown need root; the unprivileged case drops to nobody
		 * itself. */
		printf("check_unify: needs root (make check as root)\n");
		return 77;
	}
	return vj_test_run(unify_suite());
}
