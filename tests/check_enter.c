/* tests/check_enter.c - vjail_enter() and vjail_spawn() in a real kernel:
 * each test enters a jail in its own forked process, tries an escape, and
 * checks that it failed. Every test runs three times: as root, as nobody
 * not dumpable (a daemon that dropped root) and as nobody dumpable (one
 * started unprivileged): the library takes another path for each
 * (testlib.h).
 *
 * Which layer stops what (see vjail_enter(3)): the mount barrier (pivot_root
 * + detached old root) hides host paths; the pid namespace hides host
 * processes; Landlock stops a kept outside fd, TCP ports and abstract unix
 * sockets; dropped capabilities and no_new_privs stop mount, chroot,
 * setuid and set-uid binaries. Namespace creation from inside is closed by
 * the seccomp profile (check_seccomp.c), not by this layer.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "testlib.h"

/* LeakSanitizer stops the world through /proc/self/task and ptrace, which
 * a jailed process no longer has: it cannot run inside a jail. Leaks of
 * the library are checked by the suites that do not enter (check_api). */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "detect_leaks=0";
}

static char *root;        /* a scratch jail root, made per TCase */
static char rootlink[64]; /* a symlink to it: the root spelled otherwise */
static char sockdir[64];  /* host unix sockets, removed with the world */
static char canary[64];   /* a file outside the root with a secret */
static const char secret[] = "HOST-SECRET";

/* ---- fixtures ------------------------------------------------------------- */

/* /suid-id in the root: a copy of id(1), set-uid root. */
static void copy_suid_id(void)
{
	char path[512], buf[1 << 16];
	int in = open("/usr/bin/id", O_RDONLY | O_CLOEXEC), out;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/suid-id", root);
	out = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0755);
	ck_assert(in >= 0 && out >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ck_assert_int_eq(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
	ck_assert_int_eq(chown(path, 0, 0), 0);
	ck_assert_int_eq(chmod(path, 04755), 0);
}

static void make_world(void)
{
	int fd;

	root = vj_test_make_root();
	snprintf(canary, sizeof(canary), "/tmp/vjail-canary-%d", getpid());
	fd = open(canary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, secret, sizeof(secret)), sizeof(secret));
	close(fd);
	chmod(canary, 0644);
	copy_suid_id();
	snprintf(rootlink, sizeof(rootlink), "/tmp/vjail-rootlink-%d",
		 getpid());
	unlink(rootlink);
	ck_assert_int_eq(symlink(root, rootlink), 0);
	snprintf(sockdir, sizeof(sockdir), "/tmp/vjail-socks-%d", getpid());
	ck_assert_int_eq(mkdir(sockdir, 0777), 0);
	chmod(sockdir, 0777);
}

static void remove_world(void)
{
	unlink(rootlink);
	unlink(canary);
	vj_test_remove_tree(sockdir);
	vj_test_remove_tree(root);
	free(root);
	root = NULL;
}

/* Every namespace but net and time: Check times each test with
 * CLOCK_MONOTONIC in the test's process, and a time namespace started
 * mid-test would make that duration negative. The time namespace has
 * tests of its own that report through exit codes. */
#define TEST_NS (VJAIL_NS_DEFAULT & ~VJAIL_NS_TIME)

/* A handle on the scratch root that keeps Check's channel open. */
static struct vjail *new_jail(unsigned int flags)
{
	struct vjail *j;

	ck_assert_int_eq(vjail_create(&j, root, flags), 0);
	ck_assert_int_eq(vjail_namespaces(j, TEST_NS), 0);
	vj_test_keep_harness_fds(j);
	return j;
}

static void enter_ok(struct vjail *j)
{
	int rc = vjail_enter(j, 0);

	ck_assert_msg(rc == 0, "enter: %d %s", rc, vjail_strerror(j));
}

static bool canary_readable(const char *path)
{
	char buf[64] = "";
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	return n > 0 && strstr(buf, secret) != NULL;
}

/* ---- filesystem barrier --------------------------------------------------- */

START_TEST(canary_reachable_before_enter)
{
	/* The control: without the jail the same open succeeds, so the
	 * tests below would fail if the barrier were missing. */
	ck_assert(canary_readable(canary));
}
END_TEST

START_TEST(host_path_unreachable)
{
	enter_ok(new_jail(0));
	ck_assert(!canary_readable(canary));
	ck_assert(canary_readable("/inside.txt") == false); /* not the secret */
	ck_assert_int_eq(access("/inside.txt", R_OK), 0);
	ck_assert_int_eq(access("/etc/passwd", F_OK), -1);
}
END_TEST

START_TEST(classic_chroot_escape_fails)
{
	enter_ok(new_jail(VJAIL_CREATE_ROOT_RW));
	/* mkdir x; chroot x; cd ../../..; chroot . : the escape of a plain
	 * chroot. Here chroot needs a capability the jail lacks, and the
	 * old root is detached anyway: whichever step fails, the canary
	 * must stay out of reach. */
	mkdir("/data/x", 0755);
	(void)!chroot("/data/x");
	for (int i = 0; i < 64; i++)
		(void)!chdir("..");
	(void)!chroot(".");
	ck_assert(!canary_readable(canary));
	ck_assert_int_eq(chroot("/data"), -1);
	ck_assert_int_eq(errno, EPERM);
}
END_TEST

START_TEST(host_device_nodes_unchangeable)
{
	struct stat before, after;

	ck_assert_int_eq(stat("/dev/null", &before), 0);
	enter_ok(new_jail(0));
	/* The jail's /dev/null is the host's inode: usable, not changeable,
	 * even by a jail whose uid owns it (root mapped to root). */
	ck_assert_int_eq(write(open("/dev/null", O_WRONLY | O_CLOEXEC), "x", 1),
			 1);
	/* Same mode: if the protection regressed, the test fails without
	 * damaging the host's /dev/null. */
	ck_assert_int_eq(chmod("/dev/null", before.st_mode & 07777), -1);
	ck_assert_int_eq(errno, EROFS);
	ck_assert_int_eq(stat("/dev/null", &after), 0);
	ck_assert_uint_eq(after.st_mode, before.st_mode);
	ck_assert_int_eq(utimensat(AT_FDCWD, "/dev/null", NULL, 0), -1);
}
END_TEST

START_TEST(single_file_bind_works)
{
	struct vjail *j = new_jail(0);
	char buf[16] = "";
	int fd;

	ck_assert_int_eq(vjail_bind(j, canary, "/inside.txt", 0), 0);
	enter_ok(j);
	/* Bound read-only onto a file of the root: readable there only. */
	fd = open("/inside.txt", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_gt(read(fd, buf, sizeof(buf) - 1), 0);
	ck_assert_str_eq(buf, secret);
	ck_assert_int_eq(open("/inside.txt", O_WRONLY | O_CLOEXEC), -1);
}
END_TEST

/* The jail's /dev is built after the caller's mounts: one below it goes
 * on top of it, not under it (where it was hidden before). */
START_TEST(mounts_below_dev_are_seen)
{
	struct vjail *j = new_jail(0);
	char buf[16] = "";
	int fd;

	ck_assert_int_eq(vjail_bind(j, canary, "/dev/vj/canary", 0), 0);
	ck_assert_int_eq(vjail_tmpfs(j, "/dev/vj-tmp", 65536), 0);
	enter_ok(j);
	fd = open("/dev/vj/canary", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_gt(read(fd, buf, sizeof(buf) - 1), 0);
	close(fd);
	ck_assert_str_eq(buf, secret);
	ck_assert_int_eq(open("/dev/vj/canary", O_WRONLY | O_CLOEXEC), -1);
	fd = open("/dev/vj-tmp/f", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(open("/dev/new", O_WRONLY | O_CREAT | O_CLOEXEC, 0600),
			 -1);
}
END_TEST

/* ... and one the jail's own /dev or /proc would cover is refused in
 * prepare, the caller still outside. */
START_TEST(mounts_the_jail_covers_are_refused)
{
	static const char *const targets[] = { "/proc/cpuinfo", "/dev",
					       "//dev/", "/dev/./null",
					       "/dev/shm/x", "/dev/pts" };

	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		struct vjail *j = new_jail(0);

		ck_assert_int_eq(vjail_bind(j, canary, targets[i], 0), 0);
		ck_assert_fails(j, vjail_enter(j, 0), EINVAL, targets[i]);
		vjail_destroy(j);
	}
	ck_assert(canary_readable(canary));
}
END_TEST

START_TEST(root_is_read_only_by_default)
{
	enter_ok(new_jail(0));
	ck_assert_int_eq(open("/new-file", O_WRONLY | O_CREAT, 0644), -1);
	ck_assert(errno == EROFS || errno == EACCES);
}
END_TEST

START_TEST(rw_bind_and_tmpfs_are_writable)
{
	struct vjail *j = new_jail(0);
	int fd;

	ck_assert_int_eq(vjail_tmpfs(j, "/tmp", 1 << 20), 0);
	enter_ok(j);
	fd = open("/tmp/f", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	close(fd);
	/* The tmpfs cap holds: 2 MiB do not fit in 1 MiB. */
	fd = open("/tmp/big", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	{
		static char block[1 << 16];
		ssize_t total = 0, n = 1;

		while (n > 0 && total < (2 << 20))
			total += (n = write(fd, block, sizeof(block))) > 0 ? n : 0;
		ck_assert_int_lt(total, 2 << 20);
		ck_assert_int_eq(errno, ENOSPC);
	}
	close(fd);
}
END_TEST

/* A target below another bind has its mount point in that bind's source,
 * a host directory, which is never written to: prepare refuses a missing
 * one (the host stays as it was, even under a writable bind) rather than
 * commit creating it there or failing on a read-only bind. One that
 * exists takes the mount; below a tmpfs, the point is made, even in a
 * given root. */
START_TEST(nested_mount_points_come_from_the_holder)
{
	char data[96], sub[128], target[64];
	struct vjail *j;
	struct stat st;

	snprintf(data, sizeof(data), "%s/data", root);
	snprintf(sub, sizeof(sub), "%s/data/sub-%d", root, getpid());
	snprintf(target, sizeof(target), "/d/sub-%d", getpid());
	for (unsigned int rw = 0; rw <= VJAIL_BIND_RW; rw += VJAIL_BIND_RW) {
		ck_assert_int_eq(vjail_create(&j, NULL, 0), 0);
		ck_assert_int_eq(vjail_namespaces(j, TEST_NS), 0);
		ck_assert_int_eq(vjail_bind(j, data, "/d", rw), 0);
		ck_assert_int_eq(vjail_bind(j, "/usr", target, 0), 0);
		ck_assert_int_eq(vjail_enter(j, 0), -ENOENT);
		ck_assert_msg(strstr(vjail_strerror(j), "bind source") != NULL,
			      "%s", vjail_strerror(j));
		vjail_destroy(j);
		ck_assert_int_eq(stat(sub, &st), -1); /* nothing made there */
	}
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	ck_assert_int_eq(vjail_create(&j, root, 0), 0);
	ck_assert_int_eq(vjail_namespaces(j, TEST_NS), 0);
	vj_test_keep_harness_fds(j);
	ck_assert_int_eq(vjail_bind(j, data, "/data", 0), 0);
	ck_assert_int_eq(vjail_bind(j, "/usr", sub + strlen(root), 0), 0);
	ck_assert_int_eq(vjail_tmpfs(j, "/tmp", 1 << 20), 0);
	ck_assert_int_eq(vjail_bind(j, "/usr", "/tmp/usr", 0), 0);
	enter_ok(j);
	snprintf(data, sizeof(data), "%s/bin/sh", sub + strlen(root));
	ck_assert_int_eq(access(data, X_OK), 0);
	ck_assert_int_eq(access("/tmp/usr/bin/sh", X_OK), 0);
}
END_TEST

/* The bind is made in the jail's new mount namespace, where a source
 * reached through a /proc magic link leads back to the caller's (or to no
 * mount: a pipe): prepare refuses it by name, before anything is
 * applied, rather than commit failing. */
START_TEST(bind_source_through_magic_link_refused)
{
	char src[64], file[96];
	struct vjail *j;
	int p[2], fd;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	snprintf(file, sizeof(file), "%s/inside.txt", root);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	for (int k = 0; k < 2; k++) {
		ck_assert_int_eq(vjail_create(&j, NULL, 0), 0);
		ck_assert_int_eq(vjail_namespaces(j, TEST_NS), 0);
		snprintf(src, sizeof(src), "/proc/self/fd/%d", k ? fd : p[0]);
		ck_assert_int_eq(vjail_bind(j, src, "/x", 0), 0);
		ck_assert_int_eq(vjail_enter(j, 0), -EINVAL);
		ck_assert_msg(strstr(vjail_strerror(j), "magic link") != NULL,
			      "%s", vjail_strerror(j));
		vjail_destroy(j);
	}
	ck_assert(canary_readable(canary)); /* nothing was applied */
}
END_TEST

START_TEST(missing_target_fails_prepare_untouched)
{
	struct vjail *j = new_jail(0);
	struct stat before, after;

	ck_assert_int_eq(stat("/proc/self/ns/mnt", &before), 0);
	ck_assert_int_eq(vjail_bind(j, "/usr", "/no/such/dir", 0), 0);
	ck_assert_int_eq(vjail_enter(j, 0), -ENOENT);
	ck_assert_msg(strstr(vjail_strerror(j), "/no/such/dir") != NULL, "%s",
		      vjail_strerror(j));
	/* Prepare failed: still outside, same mount namespace, same pid. */
	ck_assert_int_eq(stat("/proc/self/ns/mnt", &after), 0);
	ck_assert_uint_eq(before.st_ino, after.st_ino);
	ck_assert(canary_readable(canary));
	vjail_destroy(j);
}
END_TEST

START_TEST(bind_target_through_symlink_refused)
{
	struct vjail *j = new_jail(0);

	/* /lib is a symlink in the test root: mounting on /lib/x would
	 * follow it at commit time. */
	ck_assert_int_eq(vjail_bind(j, "/usr/lib", "/lib/x86_64-linux-gnu", 0),
			 0);
	ck_assert_int_eq(vjail_enter(j, 0), -ELOOP);
	ck_assert_msg(strstr(vjail_strerror(j), "symbolic link") != NULL, "%s",
		      vjail_strerror(j));
	vjail_destroy(j);
}
END_TEST

START_TEST(empty_root_writable_only_when_asked)
{
	struct vjail *j;
	int fd;

	ck_assert_int_eq(vjail_create(&j, NULL, VJAIL_CREATE_ROOT_RW), 0);
	ck_assert_int_eq(vjail_namespaces(j, TEST_NS), 0);
	vj_test_keep_harness_fds(j);
	enter_ok(j);
	fd = open("/made-inside", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	close(fd);
}
END_TEST

START_TEST(empty_root_read_only_by_default)
{
	struct vjail *j;

	ck_assert_int_eq(vjail_create(&j, NULL, 0), 0);
	ck_assert_int_eq(vjail_namespaces(j, TEST_NS), 0);
	vj_test_keep_harness_fds(j);
	enter_ok(j);
	ck_assert_int_eq(open("/made-inside", O_WRONLY | O_CREAT | O_CLOEXEC,
			      0644), -1);
	ck_assert_int_eq(errno, EROFS);
}
END_TEST

/* ---- kept descriptors ----------------------------------------------------- */

START_TEST(kept_file_inside_root_spelled_via_symlink)
{
	char path[512], buf[8] = "";
	struct vjail *j;
	int fd;

	ck_assert_int_eq(vjail_create(&j, rootlink, 0), 0);
	ck_assert_int_eq(vjail_namespaces(j, TEST_NS), 0);
	vj_test_keep_harness_fds(j);
	snprintf(path, sizeof(path), "%s/inside.txt", root);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vjail_keep_fd(j, fd, 0), 0);
	enter_ok(j); /* strict: the file is inside the root */
	ck_assert_int_eq(read(fd, buf, 6), 6);
	ck_assert_str_eq(buf, "INSIDE");
}
END_TEST


START_TEST(kept_dirfd_refused_when_strict)
{
	struct vjail *j = new_jail(0);
	int dfd = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	ck_assert_int_ge(dfd, 0);
	ck_assert_int_eq(vjail_keep_fd(j, dfd, 0), 0);
	ck_assert_int_eq(vjail_enter(j, 0), -EPERM);
	ck_assert_msg(strstr(vjail_strerror(j), "directory fd") != NULL, "%s",
		      vjail_strerror(j));
	ck_assert(canary_readable(canary)); /* untouched */
	vjail_destroy(j);
}
END_TEST

START_TEST(kept_outside_file_refused_when_strict)
{
	struct vjail *j = new_jail(0);
	int fd = open(canary, O_RDONLY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vjail_keep_fd(j, fd, 0), 0);
	ck_assert_int_eq(vjail_enter(j, 0), -EPERM);
	ck_assert_msg(strstr(vjail_strerror(j), "outside") != NULL, "%s",
		      vjail_strerror(j));
	vjail_destroy(j);
}
END_TEST

START_TEST(kept_dirfd_waived_landlock_stops_openat)
{
	struct vjail *j = new_jail(0);
	int dfd = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int fd;

	ck_assert_int_ge(dfd, 0);
	/* The control: through the dirfd, the canary is readable now. */
	fd = openat(dfd, canary + 5, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(vjail_keep_fd(j, dfd, VJAIL_KEEP_FD_UNSAFE), 0);
	enter_ok(j);
	ck_assert(vjail_enforced(j) & VJAIL_FEAT_LANDLOCK);
	ck_assert_int_eq(openat(dfd, canary + 5, O_RDONLY | O_CLOEXEC), -1);
	ck_assert_int_eq(errno, EACCES);
	ck_assert_int_eq(openat(dfd, "..", O_RDONLY | O_CLOEXEC), -1);
}
END_TEST

/* A file of the jail's uid below the root on the host, open read-only
 * before enter and kept: inside, truncate(2) through /proc/self/fd
 * reaches it on the host's writable mount. */
static int kept_victim(char *path, size_t size)
{
	int fd;

	snprintf(path, size, "%s/data/victim-%d", root, getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "0123456789", 10), 10);
	close(fd);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	return fd;
}

static void truncate_refused(int fd, const char *inside, int inside_err)
{
	char link[64];
	struct stat st;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ck_assert_int_eq(truncate(link, 0), -1);
	ck_assert_int_eq(errno, EACCES);
	ck_assert_int_eq(truncate(inside, 0), -1);
	ck_assert_int_eq(errno, inside_err);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_eq(st.st_size, 10);
}

/* Truncating by path takes Landlock's truncate right, which the jail's
 * read-only rules never grant, and a writable mount. A file reached
 * through a magic link of /proc is checked on its own path, on the host's
 * writable mount: it stays whole as long as no rule on that path grants
 * the right (landlock.c, above allow_tree(): why the root's rule does
 * not, though it would make every open in the jail cheaper). */
START_TEST(truncate_refused_under_own_root)
{
	char path[128], dir[128];
	struct vjail *j;
	int fd;

	ck_assert_int_eq(vjail_create(&j, NULL, 0), 0);
	ck_assert_int_eq(vjail_namespaces(j, TEST_NS), 0);
	vj_test_keep_harness_fds(j);
	fd = kept_victim(path, sizeof(path));
	snprintf(dir, sizeof(dir), "%s/data", root);
	ck_assert_int_eq(vjail_bind(j, dir, "/data", 0), 0);
	ck_assert_int_eq(vjail_keep_fd(j, fd, VJAIL_KEEP_FD_UNSAFE), 0);
	enter_ok(j);
	ck_assert(vjail_enforced(j) & VJAIL_FEAT_LANDLOCK);
	truncate_refused(fd, path + strlen(root), EROFS);
}
END_TEST

/* A root the caller gives is a host directory, and a file reached through
 * a magic link may lie below it on a writable mount: fails if the root's
 * rule granted the truncate right. */
START_TEST(truncate_refused_under_callers_root)
{
	char path[128];
	struct vjail *j = new_jail(0);
	int fd = kept_victim(path, sizeof(path));

	ck_assert_int_eq(vjail_keep_fd(j, fd, 0), 0);
	enter_ok(j);
	ck_assert(vjail_enforced(j) & VJAIL_FEAT_LANDLOCK);
	truncate_refused(fd, path + strlen(root), EROFS);
}
END_TEST

START_TEST(unkept_fds_are_closed)
{
	struct vjail *j = new_jail(0);
	int fd = open("/dev/null", O_RDONLY); /* no O_CLOEXEC: still closed */

	ck_assert_int_ge(fd, 0);
	enter_ok(j);
	ck_assert_int_eq(fcntl(fd, F_GETFD), -1);
	ck_assert_int_eq(errno, EBADF);
}
END_TEST

/* Main owns the handle after enter; destroying it there closes nothing
 * of main's: the fds the library used (the outside's ends of its pipes
 * among them) are gone already, and their numbers may be the program's
 * now. */
START_TEST(destroy_in_main_closes_no_fd_of_main)
{
	struct vjail *j = new_jail(0);
	int fds[32];

	enter_ok(j);
	for (size_t i = 0; i < 32; i++)
		ck_assert_int_ge(fds[i] = open("/dev/null", O_RDONLY |
								O_CLOEXEC),
				 0);
	vjail_destroy(j);
	for (size_t i = 0; i < 32; i++)
		ck_assert_msg(fcntl(fds[i], F_GETFD) >= 0,
			      "fd %d closed by vjail_destroy()", fds[i]);
}
END_TEST

/* ---- processes -------------------------------------------------------------- */

START_TEST(host_processes_invisible)
{
	pid_t host = getppid(); /* Check's runner, outside the jail */
	DIR *d;
	struct dirent *e;
	int n = 0;
	char link[128];

	enter_ok(new_jail(0));
	ck_assert_int_eq(kill(host, 0), -1);
	ck_assert_int_eq(errno, ESRCH);
	ck_assert_int_eq(ptrace(PTRACE_ATTACH, host, NULL, NULL), -1);
	ck_assert_int_le(getpid(), 2);
	d = opendir("/proc");
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9') {
			ck_assert_int_le(atoi(e->d_name), 10);
			n++;
		}
	closedir(d);
	ck_assert_int_ge(n, 1);
	/* /proc/1/root and /proc/self/root lead to the jail's root. */
	snprintf(link, sizeof(link), "/proc/self/root%s", canary);
	ck_assert(!canary_readable(link));
	snprintf(link, sizeof(link), "/proc/1/root%s", canary);
	ck_assert(!canary_readable(link));
}
END_TEST

START_TEST(proc_sensitive_paths_masked)
{
	char buf[16];
	int fd;

	enter_ok(new_jail(0));
	fd = open("/proc/kcore", O_RDONLY | O_CLOEXEC);
	ck_assert(fd < 0 || read(fd, buf, sizeof(buf)) == 0);
	ck_assert_int_eq(open("/proc/sysrq-trigger", O_WRONLY | O_CLOEXEC), -1);
	ck_assert_int_eq(open("/proc/sys/kernel/hostname", O_WRONLY | O_CLOEXEC),
			 -1);
	ck_assert(errno == EROFS || errno == EACCES || errno == EPERM);
}
END_TEST

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* fs.c's list: files masked by /dev/null, directories by an empty one. */
static const char *const masked_files[] = {
	"kcore",      "kmsg",	     "keys",	    "key-users",
	"timer_list", "sched_debug", "sysrq-trigger", "kpagecount",
	"kpageflags", "kpagecgroup", "latency_stats", "config.gz",
	"kallsyms",   "vmallocinfo",
};
static const char *const masked_dirs[] = { "acpi", "scsi", "firmware",
					   "driver" };

/* Is the entry at @path empty and closed to writes, whatever its kind? */
static void assert_masked(const char *path, bool dir)
{
	char buf[64];
	struct stat st;
	int fd;

	ck_assert_msg(lstat(path, &st) == 0, "%s vanished", path);
	if (dir) {
		DIR *d = opendir(path);
		struct dirent *e;
		char sub[256];

		struct stat proc;
		struct statvfs vfs;

		/* a mount of its own (the host may have it empty too), and
		 * a read-only one */
		ck_assert_msg(S_ISDIR(st.st_mode), "%s: not a directory", path);
		ck_assert_int_eq(stat("/proc", &proc), 0);
		ck_assert_msg(st.st_dev != proc.st_dev, "%s: not masked", path);
		ck_assert_int_eq(statvfs(path, &vfs), 0);
		ck_assert(vfs.f_flag & ST_RDONLY);
		ck_assert_ptr_nonnull(d);
		while ((e = readdir(d)) != NULL)
			ck_assert_msg(strcmp(e->d_name, ".") == 0 ||
					      strcmp(e->d_name, "..") == 0,
				      "%s shows %s", path, e->d_name);
		closedir(d);
		snprintf(sub, sizeof(sub), "%s/x", path);
		ck_assert_int_eq(mkdir(sub, 0755), -1);
		return;
	}
	/* /dev/null itself (char 1:3) on a nodev mount: unopenable, or
	 * empty; never writable */
	ck_assert_msg(S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3),
		      "%s: not masked (mode %o)", path, st.st_mode);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert(fd < 0 || read(fd, buf, sizeof(buf)) == 0);
	if (fd >= 0)
		close(fd);
	ck_assert_int_eq(open(path, O_WRONLY | O_CLOEXEC), -1);
}

START_TEST(proc_masks_cover_every_existing_entry)
{
	bool file_there[ARRAY_SIZE(masked_files)];
	bool dir_there[ARRAY_SIZE(masked_dirs)];
	char path[128];
	struct stat st;
	int n = 0;

	/* The host's /proc says which entries this kernel has. */
	for (size_t i = 0; i < ARRAY_SIZE(masked_files); i++) {
		snprintf(path, sizeof(path), "/proc/%s", masked_files[i]);
		file_there[i] = lstat(path, &st) == 0;
		n += file_there[i];
	}
	for (size_t i = 0; i < ARRAY_SIZE(masked_dirs); i++) {
		snprintf(path, sizeof(path), "/proc/%s", masked_dirs[i]);
		dir_there[i] = lstat(path, &st) == 0;
	}
	/* The control: kallsyms and kmsg are in every kernel that boots a
	 * distribution, and not /dev/null outside. */
	ck_assert_int_ge(n, 2);
	ck_assert_int_eq(lstat("/proc/kallsyms", &st), 0);
	ck_assert(!S_ISCHR(st.st_mode));
	enter_ok(new_jail(0));
	for (size_t i = 0; i < ARRAY_SIZE(masked_files); i++) {
		snprintf(path, sizeof(path), "/proc/%s", masked_files[i]);
		if (file_there[i])
			assert_masked(path, false);
	}
	for (size_t i = 0; i < ARRAY_SIZE(masked_dirs); i++) {
		snprintf(path, sizeof(path), "/proc/%s", masked_dirs[i]);
		if (dir_there[i])
			assert_masked(path, true);
	}
}
END_TEST

/* The empty root's /dev: the nodes, links and two mounts, nothing else
 * (no scratch file left behind), and nothing can be added. */
START_TEST(dev_holds_only_its_entries)
{
	static const char *const allowed[] = {
		".",   "..",	 "null",   "zero",   "full", "random",
		"urandom", "tty", "ptmx", "fd",	     "stdin", "stdout",
		"stderr",  "pts", "shm",
	};
	struct vjail *j;
	struct dirent *e;
	struct stat st;
	struct statvfs vfs;
	bool driver = lstat("/proc/driver", &st) == 0;
	DIR *d;
	int fd, n = 0;

	ck_assert_int_eq(vjail_create(&j, NULL, 0), 0);
	ck_assert_int_eq(vjail_namespaces(j, TEST_NS), 0);
	vj_test_keep_harness_fds(j);
	enter_ok(j);
	d = opendir("/dev");
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		bool ok = false;

		for (size_t i = 0; i < ARRAY_SIZE(allowed); i++)
			ok = ok || strcmp(e->d_name, allowed[i]) == 0;
		ck_assert_msg(ok, "/dev/%s in the jail", e->d_name);
		n++;
	}
	closedir(d);
	ck_assert_int_ge(n, 2 + 4 + 5 + 2); /* null zero full urandom... */
	ck_assert_int_eq(mknod("/dev/x", S_IFREG | 0644, 0), -1);
	ck_assert_int_eq(statvfs("/dev", &vfs), 0);
	ck_assert(vfs.f_flag & ST_RDONLY);
	ck_assert_int_eq(statvfs("/dev/shm", &vfs), 0);
	ck_assert(!(vfs.f_flag & ST_RDONLY));
	/* pts and shm are their own mounts, shm writable */
	ck_assert_int_eq(access("/dev/pts/ptmx", F_OK), 0);
	fd = open("/dev/shm/x", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	/* the directory masks in /proc borrow pts' mount point: it stays
	 * empty under devpts, and devpts does not show through them */
	if (driver)
		assert_masked("/proc/driver", true);
}
END_TEST

START_TEST(exit_status_passes_through)
{
	enter_ok(new_jail(0));
	exit(42);
}
END_TEST

START_TEST(death_signal_passes_through)
{
	enter_ok(new_jail(0));
	signal(SIGTERM, SIG_DFL); /* Check's runner left its handler here */
	kill(getpid(), SIGTERM);
	pause();
}
END_TEST

START_TEST(supervisor_forwards_signals)
{
	struct vjail *j = new_jail(0);
	int ready[2], status;
	char c;
	int rc;

	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(vjail_keep_fd(j, ready[1], 0), 0);
	rc = vjail_enter(j, VJAIL_ENTER_SUPERVISE);
	if (rc == 0) { /* main, inside */
		sigset_t usr1;
		int sig;

		sigemptyset(&usr1);
		sigaddset(&usr1, SIGUSR1);
		sigprocmask(SIG_BLOCK, &usr1, NULL);
		(void)!write(ready[1], "r", 1);
		sigwait(&usr1, &sig);
		_exit(sig == SIGUSR1 ? 5 : 6);
	}
	ck_assert_int_eq(rc, VJAIL_SUPERVISOR);
	close(ready[1]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	/* To the jail's outermost process: init forwards it to main. */
	ck_assert_int_gt(vjail_pid(j), 0);
	ck_assert_int_eq(kill(vjail_pid(j), SIGUSR1), 0);
	ck_assert_int_eq(vjail_wait(j, &status), 0);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 5);
	vjail_destroy(j);
}
END_TEST

START_TEST(orphans_are_reaped)
{
	DIR *d;
	struct dirent *e;
	pid_t child;
	struct timespec nap = { 0, 300 * 1000 * 1000 };

	enter_ok(new_jail(0));
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		/* The grandchild outlives its parent: an orphan for init. */
		if (fork() == 0) {
			struct timespec t = { 0, 100 * 1000 * 1000 };

			nanosleep(&t, NULL);
			_exit(0);
		}
		_exit(0);
	}
	ck_assert_int_eq(waitpid(child, NULL, 0), child);
	nanosleep(&nap, NULL);
	d = opendir("/proc");
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		char path[300], stat_line[256] = "";
		int fd;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		(void)!read(fd, stat_line, sizeof(stat_line) - 1);
		close(fd);
		ck_assert_msg(strstr(stat_line, ") Z ") == NULL,
			      "zombie left: %s", stat_line);
	}
	closedir(d);
}
END_TEST

/* ---- identity and privilege ------------------------------------------------ */

static uint64_t status_hex(const char *key)
{
	char line[256];
	uint64_t v = UINT64_MAX;
	FILE *f = fopen("/proc/self/status", "re");

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, strlen(key)) == 0)
			v = strtoull(line + strlen(key), NULL, 16);
	fclose(f);
	return v;
}

START_TEST(no_capabilities_inside)
{
	enter_ok(new_jail(0));
	ck_assert_uint_eq(status_hex("CapEff:"), 0);
	ck_assert_uint_eq(status_hex("CapPrm:"), 0);
	ck_assert_uint_eq(status_hex("CapInh:"), 0);
	ck_assert_uint_eq(status_hex("CapBnd:"), 0);
	ck_assert_uint_eq(status_hex("CapAmb:"), 0);
	ck_assert_int_eq(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 1);
	ck_assert_int_eq(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
	ck_assert_int_eq(setuid(0) == 0 && getuid() != 0, 0);
	ck_assert_int_eq(mount("none", "/data", "tmpfs", 0, NULL), -1);
	ck_assert_int_eq(umount2("/proc", MNT_DETACH), -1);
	ck_assert_int_eq(syscall(SYS_pivot_root, "/data", "/data"), -1);
}
END_TEST

/* Main is the caller going on: its stack, signal handlers and mask, fork
 * handlers (main is a fork), and glibc's thread data, whose rseq area must
 * still be the kernel's (sched_getcpu(3) reads the CPU from it). */
static volatile sig_atomic_t usr1_seen;
static volatile int atfork_child_ran;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_seen = 1;
}

static void atfork_child(void)
{
	atfork_child_ran++;
}

START_TEST(main_carries_on_the_callers_process_state)
{
	struct vjail *j = new_jail(0);
	struct sigaction sa = { .sa_handler = on_usr1 };
	volatile int local = 42;
	sigset_t block, now;
	cpu_set_t one;

	ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR2);
	ck_assert_int_eq(sigprocmask(SIG_BLOCK, &block, NULL), 0);
	ck_assert_int_eq(pthread_atfork(NULL, NULL, atfork_child), 0);
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	ck_assert_int_eq(sched_setaffinity(0, sizeof(one), &one), 0);
	enter_ok(j);
	ck_assert_int_eq(local, 42);
	ck_assert_int_ge(atfork_child_ran, 1);
	ck_assert_int_eq(raise(SIGUSR1), 0);
	ck_assert_int_eq(usr1_seen, 1);
	ck_assert_int_eq(sigprocmask(SIG_SETMASK, NULL, &now), 0);
	ck_assert(sigismember(&now, SIGUSR2));
	ck_assert(!sigismember(&now, SIGUSR1));
	if (sysconf(_SC_NPROCESSORS_ONLN) > 1) {
		CPU_ZERO(&one);
		CPU_SET(1, &one);
		ck_assert_int_eq(sched_setaffinity(0, sizeof(one), &one), 0);
		ck_assert_int_eq(sched_getcpu(), 1);
	}
}
END_TEST

START_TEST(kept_capability_stays)
{
	struct vjail *j = new_jail(0);

	ck_assert_int_eq(vjail_keep_cap(j, CAP_NET_BIND_SERVICE), 0);
	enter_ok(j);
	ck_assert_uint_eq(status_hex("CapEff:"),
			  UINT64_C(1) << CAP_NET_BIND_SERVICE);
	ck_assert_uint_eq(status_hex("CapBnd:"),
			  UINT64_C(1) << CAP_NET_BIND_SERVICE);
}
END_TEST

/* Without a user namespace nothing can give the jail a capability the
 * caller lacks: prepare refuses to keep one, before anything is applied
 * (in place, a failing commit would leave the caller half jailed). The
 * capability is one the caller does not hold; root here holds them all
 * but CAP_SYS_RESOURCE (MACHINE.md), nobody none. */
START_TEST(keeping_a_capability_not_held_is_refused)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { { 0 } };
	struct vjail *j;
	int cap = 0;

	ck_assert_int_eq(syscall(SYS_capget, &hdr, data), 0);
	while (cap <= CAP_LAST_CAP &&
	       (data[CAP_TO_INDEX(cap)].permitted & CAP_TO_MASK(cap)))
		cap++;
	if (cap > CAP_LAST_CAP)
		return; /* a caller that holds every one: nothing to refuse */
	ck_assert_int_eq(vjail_create(&j, NULL, 0), 0);
	ck_assert_int_eq(vjail_namespaces(j, 0), 0);
	ck_assert_int_eq(vjail_keep_cap(j, cap), 0);
	ck_assert_int_eq(vjail_enter(j, 0), -EPERM);
	ck_assert_msg(strstr(vjail_strerror(j), "keep capability") != NULL,
		      "%s", vjail_strerror(j));
	ck_assert(canary_readable(canary)); /* nothing was applied */
	ck_assert_int_eq(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 0);
	vjail_destroy(j);
}
END_TEST

START_TEST(user_switch_as_root)
{
	struct vjail *j = new_jail(0);

	if (geteuid() != 0) { /* nobody may not switch: prepare says so */
		ck_assert_int_eq(vjail_set_user(j, 1, 1), 0);
		ck_assert_int_eq(vjail_enter(j, 0), -EPERM);
		ck_assert(strstr(vjail_strerror(j), "only run the jail as "
				 "itself") != NULL);
		return;
	}
	ck_assert_int_eq(vjail_set_user_name(j, "nobody"), 0);
	enter_ok(j);
	ck_assert_int_eq(getuid(), 65534);
	ck_assert_int_eq(geteuid(), 65534);
	ck_assert_int_eq(getgid(), 65534);
	ck_assert_int_eq(setuid(0), -1);
	ck_assert_int_eq(setgid(0), -1);
}
END_TEST

static void *block_on_pipe(void *arg)
{
	char c;

	(void)!read(*(int *)arg, &c, 1);
	return NULL;
}

START_TEST(in_place_user_namespace_with_other_user)
{
	struct vjail *j;
	uid_t want = getuid() == 0 ? 65534 : getuid();

	/* No pid namespace: the caller itself unshares; as root, the map of
	 * another uid needs a helper left in the parent namespace. */
	ck_assert_int_eq(vjail_create(&j, NULL, 0), 0);
	ck_assert_int_eq(vjail_namespaces(j, VJAIL_NS_USER | VJAIL_NS_IPC), 0);
	ck_assert_int_eq(vjail_set_user(j, want, want), 0);
	vj_test_keep_harness_fds(j);
	enter_ok(j);
	ck_assert_uint_eq(getuid(), want);
	ck_assert_uint_eq(status_hex("CapEff:"), 0);
	ck_assert_int_eq(setuid(0), -1);
}
END_TEST

START_TEST(multithreaded_caller_gets_ebusy)
{
	struct vjail *j = new_jail(0);
	pthread_t t;
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(pthread_create(&t, NULL, block_on_pipe, &p[0]), 0);
	ck_assert_int_eq(vjail_enter(j, 0), -EBUSY);
	ck_assert_msg(strstr(vjail_strerror(j), "threads") != NULL, "%s",
		      vjail_strerror(j));
	ck_assert(canary_readable(canary)); /* untouched */
	ck_assert_int_eq(write(p[1], "x", 1), 1);
	pthread_join(t, NULL);
	vjail_destroy(j);
}
END_TEST

/* An outer sandbox that refuses user namespaces, as some container
 * runtimes do: clone and unshare with CLONE_NEWUSER, and clone3 whole
 * (its flags sit in memory, where seccomp cannot read them). */
static void refuse_user_namespaces(void)
{
#if defined(__x86_64__)
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_unshare, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 3),
		/* the flags: the low half of args[0] (little-endian) */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_NEWUSER, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]),
				   .filter = f };

	ck_assert_int_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	ck_assert_int_eq(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog),
			 0);
	ck_assert_int_eq(unshare(CLONE_NEWUSER), -1);
#endif
}

/* Prepare does not probe the namespaces when none may be dropped: the
 * jail's own clone is the test. When the kernel refuses it, the failure
 * still names the missing namespace, with the errno of a probing
 * prepare, and nothing was entered. */
START_TEST(refused_user_namespace_is_named)
{
	char true_path[] = "/bin/true", *argv[] = { true_path, NULL };
	struct vjail *j = new_jail(0);
	pid_t pid = 0;

	refuse_user_namespaces();
	ck_assert_fails(j, vjail_enter(j, 0), EOPNOTSUPP, "namespace ns-user");
	vjail_destroy(j);
	j = new_jail(0);
	ck_assert_fails(j, vjail_spawn(j, argv, NULL, &pid), EOPNOTSUPP,
			"namespace ns-user");
	ck_assert_int_eq(pid, 0);
	ck_assert(canary_readable(canary)); /* still outside */
	vjail_destroy(j);
}
END_TEST

/* ---- network ------------------------------------------------------------------ */

/* A host-side TCP listener on 127.0.0.1, in a child that accepts one
 * connection, writes "hi" and exits. Returns its port. */
static unsigned short host_listener(pid_t *pid)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(s, 4), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&a, &len), 0);
	*pid = fork();
	ck_assert_int_ge(*pid, 0);
	if (*pid == 0) {
		int c = accept(s, NULL, NULL);

		if (c >= 0)
			(void)!write(c, "hi", 2);
		_exit(0);
	}
	close(s);
	return ntohs(a.sin_port);
}

static int connect_port(unsigned short port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int rc;

	ck_assert_int_ge(s, 0);
	rc = connect(s, (struct sockaddr *)&a, sizeof(a));
	if (rc != 0) {
		int err = errno;

		close(s);
		errno = err;
		return -1;
	}
	return s;
}

START_TEST(tcp_connect_refused_unless_allowed)
{
	pid_t l;
	unsigned short port = host_listener(&l);

	enter_ok(new_jail(0));
	ck_assert_int_eq(connect_port(port), -1);
	ck_assert_int_eq(errno, EACCES);
	kill(l, SIGKILL);
}
END_TEST

START_TEST(tcp_connect_allowed_port_works)
{
	pid_t l;
	unsigned short port = host_listener(&l);
	struct vjail *j = new_jail(0);
	char buf[4] = "";
	int s;

	ck_assert_int_eq(vjail_net_allow(j, VJAIL_NET_CONNECT, port), 0);
	enter_ok(j);
	s = connect_port(port);
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(read(s, buf, 2), 2);
	ck_assert_str_eq(buf, "hi");
}
END_TEST

START_TEST(bound_socket_accepts_inside_new_netns)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	struct vjail *j;
	char buf[8] = "";
	pid_t client;
	int s, c;

	ck_assert_int_eq(vjail_create(&j, root, 0), 0);
	ck_assert_int_eq(vjail_namespaces(j, TEST_NS | VJAIL_NS_NET), 0);
	vj_test_keep_harness_fds(j);
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(s, 4), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&a, &len), 0);
	client = fork(); /* a host process that connects after enter */
	if (client == 0) {
		struct timespec t = { 0, 200 * 1000 * 1000 };
		int cs;

		nanosleep(&t, NULL);
		cs = connect_port(ntohs(a.sin_port));
		if (cs >= 0)
			(void)!write(cs, "ping", 4);
		_exit(cs >= 0 ? 0 : 1);
	}
	ck_assert_int_eq(vjail_keep_fd(j, s, 0), 0);
	enter_ok(j);
	ck_assert(vjail_enforced(j) & VJAIL_NS_NET);
	/* Inside a new net ns: the host's 127.0.0.1 listener is not here... */
	ck_assert_int_eq(connect_port(ntohs(a.sin_port)), -1);
	/* ...but the socket bound before enter still accepts host clients. */
	c = accept(s, NULL, NULL);
	ck_assert_int_ge(c, 0);
	ck_assert_int_eq(read(c, buf, 4), 4);
	ck_assert_str_eq(buf, "ping");
}
END_TEST

/* A host unix listener (abstract and pathname) in a child. */
static pid_t unix_listener(const char *name, bool abstract)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	socklen_t len;
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	pid_t pid;

	ck_assert_int_ge(s, 0);
	strncpy(a.sun_path + (abstract ? 1 : 0), name,
		sizeof(a.sun_path) - 2);
	len = offsetof(struct sockaddr_un, sun_path) + (abstract ? 1 : 0) +
	      strlen(name);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&a, len), 0);
	ck_assert_int_eq(listen(s, 4), 0);
	pid = fork();
	if (pid == 0) {
		int c = accept(s, NULL, NULL);

		_exit(c >= 0 ? 0 : 1);
	}
	close(s);
	return pid;
}

static int connect_unix(const char *name, bool abstract)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	socklen_t len;

	strncpy(a.sun_path + (abstract ? 1 : 0), name,
		sizeof(a.sun_path) - 2);
	len = offsetof(struct sockaddr_un, sun_path) + (abstract ? 1 : 0) +
	      strlen(name);
	return connect(s, (struct sockaddr *)&a, len);
}

START_TEST(host_unix_sockets_unreachable)
{
	char name[64], path[160];
	pid_t l1, l2;

	snprintf(name, sizeof(name), "vjail-test-%d", getpid());
	snprintf(path, sizeof(path), "%s/%s.sock", sockdir, name);
	l1 = unix_listener(name, true);
	l2 = unix_listener(path, false);
	chmod(path, 0777);
	enter_ok(new_jail(0));
	/* Abstract: same network namespace, stopped by Landlock's scope. */
	ck_assert_int_eq(connect_unix(name, true), -1);
	ck_assert_int_eq(errno, EPERM);
	/* Pathname: the path does not exist in the jail. */
	ck_assert_int_eq(connect_unix(path, false), -1);
	ck_assert_int_eq(errno, ENOENT);
	kill(l1, SIGKILL);
	kill(l2, SIGKILL);
}
END_TEST

/* The reverse: a name the jail binds must not be one the host's clients
 * reach. Landlock's scope stops connect(2) only, not bind(2), so without a
 * network namespace a jail could take a host service's abstract name
 * first (vjail_namespaces(3) says so); with one, abstract names are the
 * namespace's own. A host process tries the jail's name once the jail
 * listens. */
START_TEST(abstract_name_bound_in_jail_unseen_by_host)
{
	struct vjail *j;
	char name[64];
	int go[2], res[2], err = -1;
	pid_t host;

	snprintf(name, sizeof(name), "vjail-test-squat-%d", getpid());
	ck_assert_int_eq(pipe(go), 0);
	ck_assert_int_eq(pipe(res), 0);
	host = fork();
	ck_assert_int_ge(host, 0);
	if (host == 0) {
		char c;

		close(go[1]);
		close(res[0]);
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		err = connect_unix(name, true) == 0 ? 0 : errno;
		_exit(write(res[1], &err, sizeof(err)) == sizeof(err) ? 0 : 3);
	}
	close(go[0]);
	close(res[1]);
	ck_assert_int_eq(vjail_create(&j, root, 0), 0);
	ck_assert_int_eq(vjail_namespaces(j, TEST_NS | VJAIL_NS_NET), 0);
	vj_test_keep_harness_fds(j); /* go[1] and res[0] too */
	enter_ok(j);
	{
		struct sockaddr_un a = { .sun_family = AF_UNIX };
		int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		socklen_t len = offsetof(struct sockaddr_un, sun_path) + 1 +
				strlen(name);

		ck_assert_int_ge(s, 0);
		strncpy(a.sun_path + 1, name, sizeof(a.sun_path) - 2);
		ck_assert_int_eq(bind(s, (struct sockaddr *)&a, len), 0);
		ck_assert_int_eq(listen(s, 4), 0);
	}
	ck_assert_int_eq(write(go[1], "g", 1), 1);
	ck_assert_int_eq(read(res[0], &err, sizeof(err)), sizeof(err));
	ck_assert_msg(err == ECONNREFUSED,
		      "host connect to the jail's abstract name: %s",
		      err == 0 ? "connected" : strerror(err));
}
END_TEST

/* ---- spawn -------------------------------------------------------------------- */

START_TEST(spawn_runs_a_program_inside)
{
	struct vjail *j;
	char *argv[] = { (char *)"/bin/sh", (char *)"-c",
			 (char *)"echo $$ $(id -u) $(cat /inside.txt); "
				 "test -e /etc/passwd && echo LEAK; exit 3",
			 NULL };
	char *envp[] = { (char *)"PATH=/usr/bin:/bin", NULL };
	char out[128] = "";
	int p[2], status;
	pid_t pid;
	ssize_t n;

	ck_assert_int_eq(vjail_create(&j, root, 0), 0);
	ck_assert_int_eq(vjail_bind(j, "/usr", "/usr", 0), 0);
	ck_assert_int_eq(pipe(p), 0);
	/* The program's stdout is our pipe: dup it onto 1 in a child of
	 * ours would change our own stdout, so keep it as fd 1 here. */
	ck_assert_int_eq(dup2(p[1], 1), 1);
	close(p[1]);
	ck_assert_int_eq(vjail_spawn(j, argv, envp, &pid), 0);
	ck_assert_int_gt(pid, 0);
	close(1);
	n = read(p[0], out, sizeof(out) - 1);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(vjail_wait(j, &status), 0);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 3);
	ck_assert_msg(strncmp(out, "2 ", 2) == 0, "pid inside: %s", out);
	ck_assert_msg(strstr(out, "INSIDE") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "LEAK") == NULL, "%s", out);
	/* The supervisor itself is untouched. */
	ck_assert(canary_readable(canary));
	vjail_destroy(j);
}
END_TEST

/* Spawn @argv in @j with /usr bound and PATH set, its stdout on a pipe:
 * returns the pipe's read end, the jail's pid in *@pid. */
static int spawn_piped(struct vjail *j, char *const argv[], pid_t *pid)
{
	char *envp[] = { (char *)"PATH=/usr/bin:/bin", NULL };
	int p[2], saved = dup(1);

	ck_assert_int_eq(vjail_bind(j, "/usr", "/usr", 0), 0);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(dup2(p[1], 1), 1);
	close(p[1]);
	ck_assert_msg(vjail_spawn(j, argv, envp, pid) == 0, "%s",
		      vjail_strerror(j));
	dup2(saved, 1);
	close(saved);
	return p[0];
}

/* The testing library's probe override (kernel/probe.h, VJ_TESTING). */
void vj_probe_override(uint64_t features, int abi);

/* Pid 1 is the small exec'd vjail-init, not a copy of the caller, and
 * fresh from its exec it does not open its fds (the status pipe to the
 * outside among them) to the jail's processes of the same uid: with
 * Landlock (main's domain, which pid 1 is outside of), and without (@no_landlock: a kernel
 * without it pretended; then init's not-dumpable flag, which main waits
 * for). */
static void check_init_sealed(bool no_landlock)
{
	struct vjail *j;
	char *argv[] = { (char *)"/bin/sh", (char *)"-c",
			 (char *)"for f in /proc/1/fd/*; do readlink $f "
				 ">/dev/null 2>&1 && echo FDS; done; "
				 "cat /proc/1/environ >/dev/null 2>&1 && "
				 "echo ENV; echo done; exec sleep 10",
			 NULL };
	char out[128] = "", path[64], cmd[64] = "";
	int rd, status, fd;
	pid_t pid;
	ssize_t n, total = 0;

	if (no_landlock)
		vj_probe_override(vjail_features() &
					  ~(VJAIL_FEAT_LANDLOCK |
					    VJAIL_FEAT_LANDLOCK_NET |
					    VJAIL_FEAT_LANDLOCK_SCOPE),
				  0);
	ck_assert_int_eq(vjail_create(&j, root, no_landlock ?
				      VJAIL_CREATE_BEST_EFFORT : 0), 0);
	ck_assert_int_eq(vjail_namespaces(j, TEST_NS), 0);
	rd = spawn_piped(j, argv, &pid);
	while (strstr(out, "done") == NULL &&
	       (n = read(rd, out + total, sizeof(out) - 1 - (size_t)total)) > 0)
		out[total += n] = '\0';
	/* Main need not wait for pid 1's exec (its Landlock domain keeps pid
	 * 1 out of reach): until the exec is through, the command line is
	 * the caller's, or empty. */
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	for (int i = 0; i < 200 && strcmp(cmd, "vjail-init") != 0; i++) {
		if (i > 0)
			usleep(10000);
		memset(cmd, 0, sizeof(cmd));
		fd = open(path, O_RDONLY | O_CLOEXEC);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_ge(read(fd, cmd, sizeof(cmd) - 1), 0);
		close(fd);
	}
	ck_assert_int_eq(kill(pid, SIGTERM), 0);
	ck_assert_int_eq(vjail_wait(j, &status), 0);
	close(rd);
	ck_assert_msg(strstr(out, "done") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "FDS") == NULL, "init's fds: %s", out);
	ck_assert_msg(strstr(out, "ENV") == NULL, "init's environ: %s", out);
	ck_assert_str_eq(cmd, "vjail-init");
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	ck_assert_int_eq(!!(vjail_enforced(j) & VJAIL_FEAT_LANDLOCK),
			 !no_landlock);
	vjail_destroy(j);
	if (no_landlock)
		vj_probe_override(0, -1);
}

START_TEST(init_is_exec_d_and_sealed)
{
	check_init_sealed(false);
}
END_TEST

START_TEST(init_sealed_without_landlock)
{
	check_init_sealed(true);
}
END_TEST

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

/* The jail's processes share the spawner's memory until they exec: what
 * they change in the handle (fds closed in the jail) must not change the
 * spawner's, which still closes every fd of its own. */
START_TEST(spawn_leaves_the_spawner_whole)
{
	char *argv[] = { (char *)"/bin/true", NULL };
	int before = count_fds(), status;
	struct vjail *j;
	pid_t pid;

	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(vjail_create(&j, root, 0), 0);
		ck_assert_int_eq(vjail_namespaces(j, TEST_NS), 0);
		ck_assert_int_eq(vjail_bind(j, "/usr", "/usr", 0), 0);
		ck_assert_msg(vjail_spawn(j, argv, NULL, &pid) == 0, "%s",
			      vjail_strerror(j));
		ck_assert_int_eq(vjail_wait(j, &status), 0);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			      "status %#x", status);
		vjail_destroy(j);
	}
	ck_assert_int_eq(count_fds(), before);
}
END_TEST

/* Run @script in a spawned jail with every default namespace (time
 * included) and return its stdout. */
static void spawn_sh(struct vjail *j, const char *script, char *out,
		     size_t size, int *status)
{
	char *argv[] = { (char *)"/bin/sh", (char *)"-c", (char *)script,
			 NULL };
	ssize_t n, total = 0;
	pid_t pid;
	int fd = spawn_piped(j, argv, &pid);

	while ((n = read(fd, out + total, size - 1 - (size_t)total)) > 0)
		total += n;
	out[total] = '\0';
	close(fd);
	ck_assert_int_eq(vjail_wait(j, status), 0);
}

/* No process of the jail reaches pid 1 with a signal: Landlock's signal
 * scope, pid 1 being outside main's domain. (Without it the kernel would
 * queue the signal, pid 1 blocking it to read it from its signalfd, and
 * vjail-init would pass it on to main.) */
START_TEST(jail_cannot_signal_pid_1)
{
	struct vjail *j;
	char out[64];
	int status;

	if (!(vjail_features() & VJAIL_FEAT_LANDLOCK_SCOPE))
		return; /* no signal scope on this kernel: nothing to try */
	ck_assert_int_eq(vjail_create(&j, root, 0), 0);
	ck_assert_int_eq(vjail_namespaces(j, TEST_NS), 0);
	spawn_sh(j, "kill -USR1 1 2>/dev/null && echo SENT; echo done", out,
		 sizeof(out), &status);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "status %#x, output %s", status, out);
	ck_assert_msg(strstr(out, "done") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "SENT") == NULL, "pid 1 took a signal");
	vjail_destroy(j);
}
END_TEST

START_TEST(spawn_default_namespaces_as_other_user)
{
	struct vjail *j;
	char out[256];
	int status;
	double up = -1;
	unsigned int uid = 0;

	ck_assert_int_eq(vjail_create(&j, root, 0), 0);
	if (getuid() == 0)
		ck_assert_int_eq(vjail_set_user_name(j, "nobody"), 0);
	spawn_sh(j, "cat /proc/uptime; id -u; hostname", out, sizeof(out),
		 &status);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "status %#x: %s", status, out);
	ck_assert_int_eq(sscanf(out, "%lf %*f %u", &up, &uid), 2);
	/* The time namespace starts the jail's uptime at 0. */
	ck_assert_msg(up >= 0 && up < 5, "uptime %f", up);
	ck_assert_uint_eq(uid, 65534);
	ck_assert_msg(strstr(out, "vjail") != NULL, "%s", out);
	ck_assert(vjail_enforced(j) & VJAIL_NS_TIME);
	vjail_destroy(j);
}
END_TEST

START_TEST(spawn_setuid_binary_gains_nothing)
{
	struct vjail *j;
	char path[512];
	char *argv[] = { (char *)"/suid-id", (char *)"-u", NULL };
	char out[32] = "";
	int p[2], status;
	pid_t pid;

	ck_assert_int_eq(vjail_create(&j, root, 0), 0);
	ck_assert_int_eq(vjail_bind(j, "/usr", "/usr", 0), 0);
	snprintf(path, sizeof(path), "%s/suid-id", root);
	ck_assert_int_eq(access(path, X_OK), 0); /* made by the fixture */
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(dup2(p[1], 1), 1);
	close(p[1]);
	ck_assert_int_eq(vjail_spawn(j, argv, NULL, &pid), 0);
	close(1);
	ck_assert_int_gt(read(p[0], out, sizeof(out) - 1), 0);
	ck_assert_int_eq(vjail_wait(j, &status), 0);
	/* nosuid on every mount and no_new_privs: the set-uid root bit
	 * of /suid-id gives nothing; euid stays the jail's. */
	ck_assert_int_eq(atoi(out), (int)getuid());
	vjail_destroy(j);
}
END_TEST

static bool process_alive(pid_t pid)
{
	char path[64], line[256] = "";
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	(void)!read(fd, line, sizeof(line) - 1);
	close(fd);
	return strstr(line, ") Z ") == NULL && strstr(line, ") X ") == NULL;
}

/* Does @pid (init of a spawned jail) have sleep(1) running as its child? */
static bool runs_sleep(pid_t pid)
{
	for (int i = 0; i < 200; i++) {
		char path[96], buf[64] = "";
		struct timespec t = { 0, 10 * 1000 * 1000 };
		int fd;

		snprintf(path, sizeof(path), "/proc/%d/task/%d/children",
			 (int)pid, (int)pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			(void)!read(fd, buf, sizeof(buf) - 1);
			close(fd);
		}
		if (atoi(buf) > 0) {
			snprintf(path, sizeof(path), "/proc/%d/comm", atoi(buf));
			fd = open(path, O_RDONLY | O_CLOEXEC);
			memset(buf, 0, sizeof(buf));
			if (fd >= 0) {
				(void)!read(fd, buf, sizeof(buf) - 1);
				close(fd);
			}
			if (strncmp(buf, "sleep", 5) == 0)
				return true;
		}
		nanosleep(&t, NULL);
	}
	return false;
}

/* "Dumpable" belongs to the memory, which vjail_spawn()'s jail processes
 * share with the caller until they exec. A thread watches the caller's
 * flag all through the spawn: it must never rise (a caller that dropped
 * root, as the nobody run does, is not dumpable: dumpable, its uid could
 * ptrace it), and the caller must end as it began (a dumpable one keeps
 * its core dumps and its debugger). */
static volatile bool watching;
static volatile int dumpable_seen; /* bit 1 << value */

static void *watch_dumpable(void *arg)
{
	(void)arg;
	while (watching)
		dumpable_seen |= 1 << prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
	return NULL;
}

START_TEST(spawn_keeps_the_callers_dumpable_flag)
{
	char *argv[] = { (char *)"/bin/true", NULL };
	int before = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), status;
	struct vjail *j;
	pthread_t t;
	pid_t pid;

	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(vjail_create(&j, root, 0), 0);
		ck_assert_int_eq(vjail_bind(j, "/usr", "/usr", 0), 0);
		/* The second time as another user: the kernel lowers the
		 * flag itself on a uid switch. */
		if (i == 1 && geteuid() == 0)
			ck_assert_int_eq(vjail_set_user_name(j, "nobody"), 0);
		watching = true;
		dumpable_seen = 0;
		ck_assert_int_eq(pthread_create(&t, NULL, watch_dumpable, NULL),
				 0);
		ck_assert_msg(vjail_spawn(j, argv, NULL, &pid) == 0, "%s",
			      vjail_strerror(j));
		ck_assert_int_eq(vjail_wait(j, &status), 0);
		watching = false;
		pthread_join(t, NULL);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			      "status %#x", status);
		ck_assert_int_eq(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), before);
		if (before == 0)
			ck_assert_msg(!(dumpable_seen & 2),
				      "a caller that is not dumpable was "
				      "dumpable during the spawn");
		vjail_destroy(j);
	}
}
END_TEST

/* The same for vjail_enter(): its first process runs on the caller's
 * memory too; a supervising caller goes on as it was. */
START_TEST(enter_keeps_the_supervisors_dumpable_flag)
{
	int before = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), status, rc;
	struct vjail *j = new_jail(0);

	rc = vjail_enter(j, VJAIL_ENTER_SUPERVISE);
	if (rc == 0)
		_exit(0); /* main */
	ck_assert_msg(rc == VJAIL_SUPERVISOR, "enter: %d %s", rc,
		      vjail_strerror(j));
	ck_assert_int_eq(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), before);
	ck_assert_int_eq(vjail_wait(j, &status), 0);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "status %#x", status);
	vjail_destroy(j);
}
END_TEST

START_TEST(spawned_jail_dies_with_supervisor)
{
	int p[2];
	pid_t sup, jail = 0;

	ck_assert_int_eq(pipe(p), 0);
	sup = fork();
	ck_assert_int_ge(sup, 0);
	if (sup == 0) { /* the supervisor: spawns a long sleeper, then waits */
		struct vjail *j;
		char *argv[] = { (char *)"/bin/sleep", (char *)"30", NULL };
		pid_t pid = 0;

		/* As root, switch user: the uid change clears the parent
		 * death signal, which the library must arm again. */
		if (vjail_create(&j, root, 0) == 0 &&
		    vjail_bind(j, "/usr", "/usr", 0) == 0 &&
		    (getuid() != 0 || vjail_set_user_name(j, "nobody") == 0) &&
		    vjail_spawn(j, argv, NULL, &pid) == 0)
			(void)!write(p[1], &pid, sizeof(pid));
		pause();
		_exit(0);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &jail, sizeof(jail)), sizeof(jail));
	/* The control: the jail is up and runs sleep before we strike. */
	ck_assert_msg(runs_sleep(jail), "jail %d never ran sleep", (int)jail);
	kill(sup, SIGKILL);
	waitpid(sup, NULL, 0);
	for (int i = 0; i < 100 && process_alive(jail); i++) {
		struct timespec t = { 0, 10 * 1000 * 1000 };

		nanosleep(&t, NULL);
	}
	ck_assert_msg(!process_alive(jail), "jail %d outlived its supervisor",
		      (int)jail);
}
END_TEST

static void add_tests(TCase *tc)
{
	tcase_add_test(tc, canary_reachable_before_enter);
	tcase_add_test(tc, host_path_unreachable);
	tcase_add_test(tc, classic_chroot_escape_fails);
	tcase_add_test(tc, root_is_read_only_by_default);
	tcase_add_test(tc, host_device_nodes_unchangeable);
	tcase_add_test(tc, single_file_bind_works);
	tcase_add_test(tc, mounts_below_dev_are_seen);
	tcase_add_test(tc, mounts_the_jail_covers_are_refused);
	tcase_add_test(tc, rw_bind_and_tmpfs_are_writable);
	tcase_add_test(tc, nested_mount_points_come_from_the_holder);
	tcase_add_test(tc, bind_source_through_magic_link_refused);
	tcase_add_test(tc, missing_target_fails_prepare_untouched);
	tcase_add_test(tc, bind_target_through_symlink_refused);
	tcase_add_test(tc, empty_root_writable_only_when_asked);
	tcase_add_test(tc, empty_root_read_only_by_default);
	tcase_add_test(tc, kept_file_inside_root_spelled_via_symlink);
	tcase_add_test(tc, kept_dirfd_refused_when_strict);
	tcase_add_test(tc, kept_outside_file_refused_when_strict);
	tcase_add_test(tc, kept_dirfd_waived_landlock_stops_openat);
	tcase_add_test(tc, truncate_refused_under_own_root);
	tcase_add_test(tc, truncate_refused_under_callers_root);
	tcase_add_test(tc, unkept_fds_are_closed);
	tcase_add_test(tc, destroy_in_main_closes_no_fd_of_main);
	tcase_add_test(tc, host_processes_invisible);
	tcase_add_test(tc, proc_sensitive_paths_masked);
	tcase_add_test(tc, proc_masks_cover_every_existing_entry);
	tcase_add_test(tc, dev_holds_only_its_entries);
	tcase_add_exit_test(tc, exit_status_passes_through, 42);
	tcase_add_test_raise_signal(tc, death_signal_passes_through, SIGTERM);
	tcase_add_test(tc, supervisor_forwards_signals);
	tcase_add_test(tc, orphans_are_reaped);
	tcase_add_test(tc, no_capabilities_inside);
	tcase_add_test(tc, kept_capability_stays);
	tcase_add_test(tc, keeping_a_capability_not_held_is_refused);
	tcase_add_test(tc, main_carries_on_the_callers_process_state);
	tcase_add_test(tc, user_switch_as_root);
	tcase_add_test(tc, multithreaded_caller_gets_ebusy);
	tcase_add_test(tc, refused_user_namespace_is_named);
	tcase_add_test(tc, in_place_user_namespace_with_other_user);
	tcase_add_test(tc, tcp_connect_refused_unless_allowed);
	tcase_add_test(tc, tcp_connect_allowed_port_works);
	tcase_add_test(tc, bound_socket_accepts_inside_new_netns);
	tcase_add_test(tc, host_unix_sockets_unreachable);
	tcase_add_test(tc, abstract_name_bound_in_jail_unseen_by_host);
	tcase_add_test(tc, spawn_runs_a_program_inside);
	tcase_add_test(tc, init_is_exec_d_and_sealed);
	tcase_add_test(tc, jail_cannot_signal_pid_1);
	tcase_add_test(tc, init_sealed_without_landlock);
	tcase_add_test(tc, spawn_leaves_the_spawner_whole);
	tcase_add_test(tc, spawn_setuid_binary_gains_nothing);
	tcase_add_test(tc, spawn_default_namespaces_as_other_user);
	tcase_add_test(tc, spawned_jail_dies_with_supervisor);
	tcase_add_test(tc, spawn_keeps_the_callers_dumpable_flag);
	tcase_add_test(tc, enter_keeps_the_supervisors_dumpable_flag);
}

int main(void)
{
	return vj_test_run(vj_test_suite_callers("enter", add_tests,
						 make_world, remove_world, 20,
						 NULL));
}
