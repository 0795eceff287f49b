/* tests/check_api.c - the handle's lifecycle and every setter's handling of
 * bad input: the right negative errno, a message that names the setting,
 * and nothing recorded when a call fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <linux/capability.h>

#include "testlib.h"
#include "libvjail/jail.h"

static struct vjail *j;

static void setup(void)
{
	ck_assert_int_eq(vjail_create(&j, NULL, 0), 0);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(vjail_strerror(j), "");
}

static void teardown(void)
{
	vjail_destroy(j);
	j = NULL;
}

/* ---- lifecycle ------------------------------------------------------------ */

START_TEST(create_with_directory_root)
{
	struct vjail *h = (struct vjail *)1;

	ck_assert_int_eq(vjail_create(&h, "/tmp", 0), 0);
	ck_assert_ptr_nonnull(h);
	ck_assert_str_eq(h->fs.root, "/tmp");
	ck_assert_uint_eq(vjail_enforced(h), 0);
	vjail_destroy(h);
}
END_TEST

START_TEST(create_rejects_bad_roots)
{
	static const struct {
		const char *root;
		int err;
	} bad[] = {
		{ "", EINVAL },	{ "relative/dir", EINVAL },
		{ "/nonexistent-vjail-root", ENOENT },
		{ "/etc/passwd", ENOTDIR },
	};
	char longpath[PATH_MAX + 8];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vjail *h = (struct vjail *)1;

		ck_assert_int_eq(vjail_create(&h, bad[i].root, 0), -bad[i].err);
		ck_assert_ptr_null(h);
	}
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	ck_assert_int_eq(vjail_create(&j, longpath, 0), -EINVAL);
}
END_TEST

START_TEST(create_rejects_unknown_flags)
{
	struct vjail *h;

	ck_assert_int_eq(vjail_create(&h, NULL, 1u << 31), -EINVAL);
	ck_assert_ptr_null(h);
	ck_assert_int_eq(vjail_create(&h, NULL, VJAIL_CREATE_BEST_EFFORT), 0);
	vjail_destroy(h);
}
END_TEST

START_TEST(destroy_accepts_null)
{
	vjail_destroy(NULL);
}
END_TEST

START_TEST(destroy_frees_everything)
{
	/* Run under valgrind or ASan: any leak fails the suite there. */
	ck_assert_int_eq(vjail_bind(j, "/usr", "/usr", 0), 0);
	ck_assert_int_eq(vjail_tmpfs(j, "/tmp", 1 << 20), 0);
	ck_assert_int_eq(vjail_keep_fd(j, 0, 0), 0);
	ck_assert_int_eq(vjail_net_allow(j, VJAIL_NET_BIND, 80), 0);
	ck_assert_int_eq(vjail_syscall_rule(j, "getpid", VJAIL_ACTION_ALLOW,
					    0), 0);
	ck_assert_int_eq(vjail_cgroup_parent(j, "vjail"), 0);
}
END_TEST

START_TEST(version_string_matches_configure)
{
	ck_assert_str_eq(vjail_version_string(), PACKAGE_VERSION);
	ck_assert_int_eq(VJAIL_VERSION_HEX,
			 (VJAIL_VERSION_MAJOR << 16) |
				 (VJAIL_VERSION_MINOR << 8) |
				 VJAIL_VERSION_PATCH);
}
END_TEST

START_TEST(waive_rejects_unknown_bits)
{
	ck_assert_fails(j, vjail_waive(j, UINT64_C(1) << 40), EINVAL, "waive");
	ck_assert_int_eq(vjail_waive(j, VJAIL_FEAT_LANDLOCK), 0);
	ck_assert_uint_eq(j->waived, VJAIL_FEAT_LANDLOCK);
}
END_TEST

START_TEST(enter_rejects_unknown_flags)
{
	ck_assert_fails(j, vjail_enter(j, 1u << 30), EINVAL, "unknown flags");
}
END_TEST

START_TEST(spawn_rejects_empty_argv)
{
	char *empty[] = { NULL };
	char *blank[] = { (char *)"", NULL };
	pid_t pid;

	ck_assert_fails(j, vjail_spawn(j, empty, NULL, &pid), EINVAL, "argv");
	ck_assert_fails(j, vjail_spawn(j, blank, NULL, &pid), EINVAL, "argv");
}
END_TEST

START_TEST(setters_refuse_a_used_handle)
{
	/* Simulate an entered handle: every setter must say -EALREADY. */
	j->state = VJ_STATE_ENTERED;
	ck_assert_fails(j, vjail_set_hostname(j, "h"), EALREADY, "hostname");
	ck_assert_fails(j, vjail_limit(j, VJAIL_LIMIT_NOFILE, 8, 8), EALREADY,
			"limit");
	ck_assert_fails(j, vjail_bind(j, "/usr", "/usr", 0), EALREADY, "bind");
	ck_assert_fails(j, vjail_waive(j, 0), EALREADY, "waive");
	ck_assert_fails(j, vjail_enter(j, 0), EALREADY, "enter");
	ck_assert_fails(j, vjail_namespaces(j, VJAIL_NS_PID), EALREADY,
			"namespaces");
}
END_TEST

/* ---- namespaces and names ------------------------------------------------- */

START_TEST(namespaces_validates)
{
	ck_assert_fails(j, vjail_namespaces(j, UINT64_C(1) << 8), EINVAL,
			"unknown bits");
	ck_assert_int_eq(j->ns.chosen, 0);
	ck_assert_int_eq(vjail_namespaces(j, VJAIL_NS_PID | VJAIL_NS_MOUNT), 0);
	ck_assert_uint_eq(j->ns.want, VJAIL_NS_PID | VJAIL_NS_MOUNT);
	ck_assert_fails(j, vjail_namespaces(j, VJAIL_NS_NET), EEXIST,
			"already");
}
END_TEST

START_TEST(hostname_validates)
{
	char big[80];

	memset(big, 'h', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_fails(j, vjail_set_hostname(j, NULL), EINVAL, "hostname");
	ck_assert_fails(j, vjail_set_hostname(j, ""), EINVAL, "length 0");
	ck_assert_fails(j, vjail_set_hostname(j, big), EINVAL, "length 79");
	ck_assert_fails(j, vjail_set_hostname(j, "a/b"), EINVAL, "0x2f");
	ck_assert_fails(j, vjail_set_hostname(j, "a\nb"), EINVAL, "0x0a");
	ck_assert_str_eq(j->uts.hostname, "");
	ck_assert_int_eq(vjail_set_hostname(j, "ftp-jail"), 0);
	ck_assert_str_eq(j->uts.hostname, "ftp-jail");
	ck_assert_fails(j, vjail_set_hostname(j, "again"), EEXIST, "already");
	ck_assert_fails(j, vjail_set_domainname(j, ""), EINVAL, "domainname");
	ck_assert_int_eq(vjail_set_domainname(j, "example.org"), 0);
}
END_TEST

START_TEST(uname_is_all_or_nothing)
{
	ck_assert_fails(j, vjail_set_uname(j, NULL, NULL, NULL), EINVAL,
			"no field");
	/* A bad third field must not leave the first two recorded. */
	ck_assert_fails(j, vjail_set_uname(j, "2.6.22-vs2.2", "#1", "x\t86"),
			EINVAL, "machine");
	ck_assert_str_eq(j->uts.release, "");
	ck_assert_str_eq(j->uts.version, "");
	ck_assert_int_eq(vjail_set_uname(j, "2.6.22-vs2.2", NULL, "i686"), 0);
	ck_assert_str_eq(j->uts.release, "2.6.22-vs2.2");
	ck_assert_str_eq(j->uts.machine, "i686");
	ck_assert_str_eq(j->uts.version, "");
	ck_assert_fails(j, vjail_set_uname(j, "x", NULL, NULL), EEXIST,
			"already");
}
END_TEST

START_TEST(uptime_validates)
{
	ck_assert_fails(j, vjail_set_uptime(j, -1), EINVAL, "uptime");
	ck_assert_fails(j, vjail_set_uptime(j, INT64_MAX), EINVAL, "uptime");
	ck_assert_int_eq(vjail_set_uptime(j, 0), 0);
	ck_assert_fails(j, vjail_set_uptime(j, 5), EEXIST, "already");
}
END_TEST

/* ---- identity ------------------------------------------------------------- */

START_TEST(user_validates)
{
	ck_assert_fails(j, vjail_set_user(j, (uid_t)-1, 0), EINVAL, "-1");
	ck_assert_fails(j, vjail_set_user(j, 0, (gid_t)-1), EINVAL, "-1");
	ck_assert_int_eq(vjail_set_user(j, 65534, 65534), 0);
	ck_assert_fails(j, vjail_set_user(j, 1, 1), EEXIST, "already");
}
END_TEST

START_TEST(user_name_is_looked_up)
{
	ck_assert_fails(j, vjail_set_user_name(j, NULL), EINVAL, "user name");
	ck_assert_fails(j, vjail_set_user_name(j, ""), EINVAL, "user name");
	ck_assert_fails(j, vjail_set_user_name(j, "no-such-user-vjail"), ENOENT,
			"no such user");
	ck_assert_int_eq(j->creds.user_set, 0);
	ck_assert_int_eq(vjail_set_user_name(j, "nobody"), 0);
	ck_assert_uint_eq(j->creds.uid, 65534);
	ck_assert_uint_eq(j->creds.gid, 65534);
	ck_assert_uint_ge(j->creds.ngroups, 1);
}
END_TEST

START_TEST(groups_validate)
{
	gid_t ok[] = { 1, 2, 3 };
	gid_t bad[] = { 1, (gid_t)-1 };
	gid_t many[65] = { 0 };

	ck_assert_fails(j, vjail_set_groups(j, 2, NULL), EINVAL, "NULL");
	ck_assert_fails(j, vjail_set_groups(j, 2, bad), EINVAL, "entry 1");
	ck_assert_fails(j, vjail_set_groups(j, 65, many), EINVAL, "at most 64");
	ck_assert_int_eq(vjail_set_groups(j, 3, ok), 0);
	ck_assert_uint_eq(j->creds.ngroups, 3);
	ck_assert_fails(j, vjail_set_groups(j, 0, NULL), EEXIST, "already");
}
END_TEST

START_TEST(keep_cap_validates)
{
	ck_assert_fails(j, vjail_keep_cap(j, -1), EINVAL, "capability");
	ck_assert_fails(j, vjail_keep_cap(j, 64), EINVAL, "capability");
	ck_assert_fails(j, vjail_keep_cap(j, 1000), EINVAL, "capability");
	ck_assert_int_eq(vjail_keep_cap(j, CAP_NET_BIND_SERVICE), 0);
	ck_assert_uint_eq(j->creds.keep_caps,
			  UINT64_C(1) << CAP_NET_BIND_SERVICE);
}
END_TEST

/* ---- filesystem and fds --------------------------------------------------- */

START_TEST(bind_validates_paths)
{
	ck_assert_fails(j, vjail_bind(j, NULL, "/x", 0), EINVAL, "NULL");
	ck_assert_fails(j, vjail_bind(j, "/usr", NULL, 0), EINVAL, "NULL");
	ck_assert_fails(j, vjail_bind(j, "usr", "/usr", 0), EINVAL,
			"not an absolute path");
	ck_assert_fails(j, vjail_bind(j, "/usr", "usr", 0), EINVAL,
			"not an absolute path");
	ck_assert_fails(j, vjail_bind(j, "/usr", "/a/../b", 0), EINVAL, "..");
	ck_assert_fails(j, vjail_bind(j, "/usr", "/", 0), EINVAL, "\"/\"");
	ck_assert_fails(j, vjail_bind(j, "/usr", "//", 0), EINVAL, "\"/\"");
	ck_assert_fails(j, vjail_bind(j, "/nonexistent-vjail", "/x", 0), ENOENT,
			"/nonexistent-vjail");
	ck_assert_fails(j, vjail_bind(j, "/usr", "/usr", 1u << 20), EINVAL,
			"unknown flags");
	ck_assert_uint_eq(j->fs.nmounts, 0);
}
END_TEST

/* A path is any bytes but NUL; its echo in the error text must not carry a
 * forged log line or a terminal escape to whoever logs vjail_strerror(). */
START_TEST(error_text_has_no_control_bytes)
{
	const char *msg;

	ck_assert_fails(j, vjail_bind(j, "/nonexistent\n[ok] forged\033[2J",
				      "/x", 0),
			ENOENT, "/nonexistent?[ok] forged?[2J");
	msg = vjail_strerror(j);
	for (const char *c = msg; *c != '\0'; c++)
		ck_assert_msg((unsigned char)*c >= 0x20 && *c != 0x7f,
			      "control byte %#x in \"%s\"", *c, msg);
}
END_TEST

START_TEST(bind_records_and_refuses_duplicates)
{
	ck_assert_int_eq(vjail_bind(j, "/usr", "/usr", 0), 0);
	ck_assert_int_eq(vjail_bind(j, "/nonexistent-vjail", "/opt",
				    VJAIL_BIND_OPTIONAL), 0);
	ck_assert_int_eq(vjail_bind(j, "/a..b", "/a..b", VJAIL_BIND_OPTIONAL),
			 0); /* ".." inside a name is not a parent reference */
	ck_assert_fails(j, vjail_bind(j, "/etc", "/usr/", 0), EEXIST,
			"already");
	ck_assert_fails(j, vjail_tmpfs(j, "//usr", 1 << 20), EEXIST, "already");
	ck_assert_uint_eq(j->fs.nmounts, 3);
	ck_assert_str_eq(j->fs.mounts[0].source, "/usr");
	ck_assert_uint_eq(j->fs.mounts[0].flags, 0);
}
END_TEST

START_TEST(tmpfs_validates_size)
{
	ck_assert_fails(j, vjail_tmpfs(j, "/tmp", 0), EINVAL, "size 0");
	ck_assert_fails(j, vjail_tmpfs(j, "/tmp", 4095), EINVAL, "size");
	ck_assert_fails(j, vjail_tmpfs(j, "/tmp", UINT64_MAX), EINVAL, "size");
	ck_assert_fails(j, vjail_tmpfs(j, "tmp", 4096), EINVAL, "absolute");
	ck_assert_int_eq(vjail_tmpfs(j, "/tmp", 4096), 0);
}
END_TEST

START_TEST(keep_fd_validates)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	ck_assert_fails(j, vjail_keep_fd(j, -1, 0), EINVAL, "negative");
	ck_assert_fails(j, vjail_keep_fd(j, 999, 0), EBADF, "keep fd 999");
	ck_assert_fails(j, vjail_keep_fd(j, fd, 4), EINVAL, "unknown flags");
	ck_assert_int_eq(vjail_keep_fd(j, fd, 0), 0);
	ck_assert_fails(j, vjail_keep_fd(j, fd, 0), EEXIST, "already");
	close(fd);
}
END_TEST

/* ---- network and syscalls -------------------------------------------------- */

START_TEST(net_allow_validates)
{
	ck_assert_fails(j, vjail_net_allow(j, 0, 80), EINVAL, "bad kind");
	ck_assert_fails(j, vjail_net_allow(j, 4, 80), EINVAL, "bad kind");
	ck_assert_fails(j, vjail_net_allow(j, VJAIL_NET_BIND, 65536), EINVAL,
			"above 65535");
	ck_assert_int_eq(vjail_net_allow(j, VJAIL_NET_BIND, 21), 0);
	ck_assert_int_eq(vjail_net_allow(j, VJAIL_NET_CONNECT, 21), 0);
	ck_assert_uint_eq(j->ll.nports, 1);
	ck_assert_uint_eq(j->ll.ports[0].what,
			  VJAIL_NET_BIND | VJAIL_NET_CONNECT);
}
END_TEST

START_TEST(seccomp_profile_validates)
{
	ck_assert_fails(j, vjail_seccomp_profile(j, 0), EINVAL, "unknown");
	ck_assert_fails(j, vjail_seccomp_profile(j, 99), EINVAL, "unknown");
	ck_assert_int_eq(vjail_seccomp_profile(j, VJAIL_PROFILE_MINIMAL), 0);
	ck_assert_fails(j, vjail_seccomp_profile(j, VJAIL_PROFILE_NONE), EEXIST,
			"already");
}
END_TEST

START_TEST(seccomp_action_validates)
{
	ck_assert_fails(j, vjail_seccomp_default_action(j, VJAIL_ACTION_ERRNO,
							0), EINVAL, "errno 0");
	ck_assert_fails(j, vjail_seccomp_default_action(j, VJAIL_ACTION_ERRNO,
							4096), EINVAL,
			"errno 4096");
	ck_assert_fails(j, vjail_seccomp_default_action(j, VJAIL_ACTION_KILL,
							EPERM), EINVAL,
			"takes none");
	ck_assert_fails(j, vjail_seccomp_default_action(j, VJAIL_ACTION_ALLOW,
							0), EINVAL,
			"bad action");
	ck_assert_int_eq(vjail_seccomp_default_action(j, VJAIL_ACTION_ERRNO,
						      ENOSYS), 0);
	ck_assert_fails(j, vjail_seccomp_default_action(j, VJAIL_ACTION_KILL,
							0), EEXIST, "already");
}
END_TEST

START_TEST(syscall_rule_resolves_names)
{
	ck_assert_fails(j, vjail_syscall_rule(j, NULL, VJAIL_ACTION_ALLOW, 0),
			EINVAL, "NULL");
	ck_assert_fails(j, vjail_syscall_rule(j, "no_such_syscall",
					      VJAIL_ACTION_ALLOW, 0), EINVAL,
			"not a syscall");
	ck_assert_fails(j, vjail_syscall_rule(j, "getpid", 42, 0), EINVAL,
			"bad action");
	ck_assert_fails(j, vjail_syscall_rule(j, "getpid", VJAIL_ACTION_ERRNO,
					      0), EINVAL, "errno");
	ck_assert_uint_eq(j->sc.nrules, 0);
	ck_assert_int_eq(vjail_syscall_rule(j, "ptrace", VJAIL_ACTION_ERRNO,
					    EACCES), 0);
	ck_assert_fails(j, vjail_syscall_rule(j, "ptrace", VJAIL_ACTION_KILL,
					      0), EEXIST, "already");
	ck_assert_uint_eq(j->sc.nrules, 1);
}
END_TEST

/* ---- limits ---------------------------------------------------------------- */

START_TEST(limit_validates)
{
	ck_assert_fails(j, vjail_limit(j, 0, 1, 1), EINVAL, "unknown");
	ck_assert_fails(j, vjail_limit(j, 63, 1, 1), EINVAL, "unknown");
	ck_assert_fails(j, vjail_limit(j, VJAIL_LIMIT_NOFILE, 10, 5), EINVAL,
			"above hard");
	ck_assert_fails(j, vjail_limit(j, VJAIL_LIMIT_NOFILE, 0, 0), EINVAL,
			"out of range");
	ck_assert_fails(j, vjail_limit(j, VJAIL_LIMIT_NICE, 41, 41), EINVAL,
			"nice");
	ck_assert_fails(j, vjail_limit(j, VJAIL_LIMIT_PIDS, 0, 0), EINVAL,
			"pids");
	ck_assert_fails(j, vjail_limit(j, VJAIL_LIMIT_PIDS, 10, 64), EINVAL,
			"no soft form");
	ck_assert_fails(j, vjail_limit(j, VJAIL_LIMIT_MEMORY, 4096, 4096),
			EINVAL, "memory");
	ck_assert_fails(j, vjail_limit(j, VJAIL_LIMIT_CPU_WEIGHT, 10001,
				       10001), EINVAL, "cpu-weight");
	ck_assert_fails(j, vjail_limit(j, VJAIL_LIMIT_CPU_MAX, 1000 * 4097,
				       1000 * 4097), EINVAL, "cpu-max");
	ck_assert_int_eq(vjail_limit(j, VJAIL_LIMIT_CORE, 0, 0), 0);
	ck_assert_int_eq(vjail_limit(j, VJAIL_LIMIT_NOFILE, 64,
				     VJAIL_UNLIMITED), 0);
	ck_assert_int_eq(vjail_limit(j, VJAIL_LIMIT_PIDS, 64, 64), 0);
	ck_assert_int_eq(vjail_limit(j, VJAIL_LIMIT_MEMORY, 48 << 20, 64 << 20),
			 0);
	ck_assert_fails(j, vjail_limit(j, VJAIL_LIMIT_NOFILE, 8, 8), EEXIST,
			"already");
}
END_TEST

START_TEST(cgroup_parent_validates)
{
	ck_assert_fails(j, vjail_cgroup_parent(j, NULL), EINVAL, "empty");
	ck_assert_fails(j, vjail_cgroup_parent(j, ""), EINVAL, "empty");
	ck_assert_fails(j, vjail_cgroup_parent(j, "a/../b"), EINVAL, "..");
	ck_assert_fails(j, vjail_cgroup_parent(j, "/sys/../x"), EINVAL, "..");
	ck_assert_int_eq(vjail_cgroup_parent(j, "jails"), 0);
	ck_assert_fails(j, vjail_cgroup_parent(j, "other"), EEXIST, "already");
}
END_TEST

START_TEST(config_validates)
{
	ck_assert_fails(j, vjail_load_config(j, NULL), EINVAL, "config");
	ck_assert_fails(j, vjail_load_config(j, "rel.conf"), EINVAL,
			"absolute");
	ck_assert_int_eq(vjail_dump_config(j, -1), -EBADF);
	ck_assert_int_eq(vjail_dump_config(j, 999), -EBADF);
}
END_TEST

START_TEST(stats_validates)
{
	struct vjail_stats st = { .size = 4 };

	ck_assert_fails(j, vjail_stats(j, NULL), EINVAL, "NULL");
	ck_assert_fails(j, vjail_stats(j, &st), EINVAL, "too small");
	st.size = sizeof(st);
	ck_assert_fails(j, vjail_stats(j, &st), ESRCH, "no jail");
	ck_assert_fails(j, vjail_wait(j, NULL), EINVAL, "NULL");
}
END_TEST

/* Settings that cannot apply fail prepare: enter returns, untouched. */
START_TEST(enter_refuses_settings_without_their_namespace)
{
	struct vjail *h;

	ck_assert_int_eq(vjail_set_hostname(j, "h"), 0);
	ck_assert_int_eq(vjail_namespaces(j, VJAIL_NS_PID | VJAIL_NS_MOUNT), 0);
	ck_assert_fails(j, vjail_enter(j, 0), EINVAL, "VJAIL_NS_UTS");

	ck_assert_int_eq(vjail_create(&h, NULL, 0), 0);
	ck_assert_int_eq(vjail_set_uptime(h, 10), 0);
	ck_assert_int_eq(vjail_namespaces(h, VJAIL_NS_PID | VJAIL_NS_MOUNT), 0);
	ck_assert_fails(h, vjail_enter(h, 0), EINVAL, "VJAIL_NS_TIME");
	vjail_destroy(h);

	ck_assert_int_eq(vjail_create(&h, "/tmp", 0), 0);
	ck_assert_int_eq(vjail_namespaces(h, VJAIL_NS_PID), 0);
	ck_assert_fails(h, vjail_enter(h, 0), EINVAL, "VJAIL_NS_MOUNT");
	vjail_destroy(h);

	ck_assert_int_eq(vjail_create(&h, NULL, 0), 0);
	ck_assert_int_eq(vjail_bind(h, "/usr", "/usr", 0), 0);
	ck_assert_int_eq(vjail_namespaces(h, VJAIL_NS_PID), 0);
	ck_assert_fails(h, vjail_enter(h, 0), EINVAL, "VJAIL_NS_MOUNT");
	vjail_destroy(h);

	ck_assert_int_eq(vjail_create(&h, NULL, 0), 0);
	ck_assert_int_eq(vjail_limit(h, VJAIL_LIMIT_SHMMAX, 4096, 4096), 0);
	ck_assert_int_eq(vjail_namespaces(h, VJAIL_NS_PID | VJAIL_NS_MOUNT), 0);
	ck_assert_fails(h, vjail_enter(h, 0), EINVAL, "VJAIL_NS_IPC");
	vjail_destroy(h);
}
END_TEST

START_TEST(enter_refuses_a_hard_rlimit_above_the_callers)
{
	struct rlimit r;

	vj_test_become_nobody(); /* no CAP_SYS_RESOURCE, even as root */
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &r), 0);
	ck_assert_int_eq(vjail_limit(j, VJAIL_LIMIT_NOFILE, 16,
				     (uint64_t)r.rlim_max + 1), 0);
	ck_assert_fails(j, vjail_enter(j, 0), EPERM, "CAP_SYS_RESOURCE");
}
END_TEST

static Suite *api_suite(void)
{
	Suite *s = suite_create("api");
	TCase *life = tcase_create("lifecycle");
	TCase *set = tcase_create("setters");

	tcase_add_test(life, create_with_directory_root);
	tcase_add_test(life, create_rejects_bad_roots);
	tcase_add_test(life, create_rejects_unknown_flags);
	tcase_add_test(life, destroy_accepts_null);
	tcase_add_test(life, version_string_matches_configure);
	suite_add_tcase(s, life);

	tcase_add_checked_fixture(set, setup, teardown);
	tcase_add_test(set, destroy_frees_everything);
	tcase_add_test(set, waive_rejects_unknown_bits);
	tcase_add_test(set, enter_rejects_unknown_flags);
	tcase_add_test(set, spawn_rejects_empty_argv);
	tcase_add_test(set, setters_refuse_a_used_handle);
	tcase_add_test(set, namespaces_validates);
	tcase_add_test(set, hostname_validates);
	tcase_add_test(set, uname_is_all_or_nothing);
	tcase_add_test(set, uptime_validates);
	tcase_add_test(set, user_validates);
	tcase_add_test(set, user_name_is_looked_up);
	tcase_add_test(set, groups_validate);
	tcase_add_test(set, keep_cap_validates);
	tcase_add_test(set, bind_validates_paths);
	tcase_add_test(set, error_text_has_no_control_bytes);
	tcase_add_test(set, bind_records_and_refuses_duplicates);
	tcase_add_test(set, tmpfs_validates_size);
	tcase_add_test(set, keep_fd_validates);
	tcase_add_test(set, net_allow_validates);
	tcase_add_test(set, seccomp_profile_validates);
	tcase_add_test(set, seccomp_action_validates);
	tcase_add_test(set, syscall_rule_resolves_names);
	tcase_add_test(set, limit_validates);
	tcase_add_test(set, cgroup_parent_validates);
	tcase_add_test(set, config_validates);
	tcase_add_test(set, stats_validates);
	tcase_add_test(set, enter_refuses_settings_without_their_namespace);
	tcase_add_test(set, enter_refuses_a_hard_rlimit_above_the_callers);
	suite_add_tcase(s, set);
	return s;
}

int main(void)
{
	return vj_test_run(api_suite());
}
