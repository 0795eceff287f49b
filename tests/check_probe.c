/* tests/check_probe.c - the feature probe agrees with the kernel.
 *
 * Each bit is checked against an independent attempt made here, the way a
 * daemon would find out the hard way: unshare() in a forked child, the raw
 * Landlock syscall, mkdir in the cgroup directory. Run as root and as
 * nobody, since the answers differ.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "testlib.h"
#include "kernel/cgroupfs.h"
#include "kernel/compat.h"
#include "kernel/probe.h"

static const struct {
	int flag;
	uint64_t bit;
} kinds[] = {
	{ CLONE_NEWPID, VJAIL_NS_PID },	  { CLONE_NEWNS, VJAIL_NS_MOUNT },
	{ CLONE_NEWIPC, VJAIL_NS_IPC },	  { CLONE_NEWUTS, VJAIL_NS_UTS },
	{ CLONE_NEWNET, VJAIL_NS_NET },	  { CLONE_NEWCGROUP, VJAIL_NS_CGROUP },
	{ CLONE_NEWTIME, VJAIL_NS_TIME },
};

/* Can this process create namespace @flag, the way a jail would (inside a
 * user namespace when not root)? Tried in a child. */
static bool can_unshare(int flag)
{
	pid_t pid = fork();
	int status;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (geteuid() != 0 && flag != CLONE_NEWUSER &&
		    unshare(CLONE_NEWUSER) != 0)
			_exit(1);
		_exit(unshare(flag) == 0 ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void check_namespaces(void)
{
	uint64_t f = vjail_features();

	ck_assert_msg(!!(f & VJAIL_NS_USER) == can_unshare(CLONE_NEWUSER),
		      "ns-user bit disagrees with unshare()");
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		ck_assert_msg(!!(f & kinds[i].bit) == can_unshare(kinds[i].flag),
			      "%s bit disagrees with unshare()",
			      vjail_feature_name(kinds[i].bit));
}

/* The namespace-only probe of enter's fast path, asked one kind at a time
 * before any full probe: each answer matches unshare(), and nothing but
 * the asked kind (and the user namespace) is reported. */
static void check_namespace_probe(void)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		uint64_t got = vj_probe_namespaces(kinds[i].bit);

		ck_assert_msg((got & ~(kinds[i].bit | VJAIL_NS_USER)) == 0,
			      "asked for %s, got bits %#llx",
			      vjail_feature_name(kinds[i].bit),
			      (unsigned long long)got);
		ck_assert_msg(!!(got & kinds[i].bit) ==
				      can_unshare(kinds[i].flag),
			      "%s: namespace probe disagrees with unshare()",
			      vjail_feature_name(kinds[i].bit));
	}
	ck_assert_int_eq(!!(vj_probe_namespaces(0) & VJAIL_NS_USER),
			 can_unshare(CLONE_NEWUSER));
}

START_TEST(namespace_probe_matches_unshare_as_root)
{
	if (geteuid() != 0)
		return; /* covered by the unprivileged variant */
	check_namespace_probe();
}
END_TEST

START_TEST(namespace_probe_matches_unshare_as_nobody)
{
	vj_test_become_nobody();
	check_namespace_probe();
}
END_TEST

START_TEST(namespaces_match_unshare_as_root)
{
	if (geteuid() != 0)
		return; /* covered by the unprivileged variant */
	check_namespaces();
}
END_TEST

START_TEST(namespaces_match_unshare_as_nobody)
{
	vj_test_become_nobody();
	check_namespaces();
	/* As nobody, the user-namespace answer is the unprivileged one. */
	ck_assert_int_eq(!!(vjail_features() & VJAIL_NS_USER),
			 !!(vjail_features() & VJAIL_FEAT_USERNS_UNPRIV));
}
END_TEST

START_TEST(landlock_abi_matches_syscall)
{
	long abi = syscall(__NR_landlock_create_ruleset, NULL, 0, 1u);
	uint64_t f = vjail_features();

	if (abi < 0)
		abi = 0;
	ck_assert_int_eq(vjail_landlock_abi(), abi);
	ck_assert_int_eq(!!(f & VJAIL_FEAT_LANDLOCK_NET), abi >= 4);
	ck_assert_int_eq(!!(f & VJAIL_FEAT_LANDLOCK_SCOPE), abi >= 6);
	ck_assert_int_eq(!!(f & VJAIL_FEAT_LANDLOCK), abi >= 5);
}
END_TEST

START_TEST(seccomp_bits_match_kernel)
{
	uint32_t act = SECCOMP_RET_USER_NOTIF;
	long notif = syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &act);
	uint64_t f = vjail_features();

	act = SECCOMP_RET_LOG;
	ck_assert_int_eq(!!(f & VJAIL_FEAT_SECCOMP_NOTIF), notif == 0);
	ck_assert_int_eq(!!(f & VJAIL_FEAT_SECCOMP_LOG),
			 syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0,
				 &act) == 0);
	/* A kernel with filter mode accepts a PR_GET_SECCOMP query. */
	ck_assert_int_eq(!!(f & VJAIL_FEAT_SECCOMP),
			 prctl(PR_GET_SECCOMP) >= 0);
}
END_TEST

/* Can this process create a child cgroup for @ctl? Tried for real. */
static bool can_mkdir_cgroup(const char *ctl)
{
	char dir[4096], child[4200];

	if (vj_cgroup_dir(ctl, dir, sizeof(dir)) == VJ_CG_NONE)
		return false;
	snprintf(child, sizeof(child), "%s/vjail-probe-test-%d", dir, getpid());
	if (mkdir(child, 0755) != 0)
		return false;
	ck_assert_int_eq(rmdir(child), 0);
	return true;
}

static void check_cgroups(void)
{
	static const struct {
		const char *name;
		uint64_t bit;
	} ctl[] = {
		{ "memory", VJAIL_FEAT_CGROUP_MEMORY },
		{ "pids", VJAIL_FEAT_CGROUP_PIDS },
		{ "cpu", VJAIL_FEAT_CGROUP_CPU },
		{ "io", VJAIL_FEAT_CGROUP_IO },
	};
	uint64_t f = vjail_features();

	for (size_t i = 0; i < sizeof(ctl) / sizeof(ctl[0]); i++)
		ck_assert_msg(!!(f & ctl[i].bit) == can_mkdir_cgroup(ctl[i].name),
			      "cgroup %s bit disagrees with mkdir",
			      ctl[i].name);
}

START_TEST(cgroup_bits_match_mkdir_as_root)
{
	check_cgroups();
}
END_TEST

START_TEST(cgroup_bits_match_mkdir_as_nobody)
{
	vj_test_become_nobody();
	check_cgroups();
}
END_TEST

/* Does the directory @dir list our pid in its cgroup.procs? */
static bool procs_has_us(const char *dir)
{
	char file[4200], line[64];
	bool found = false;
	FILE *f;

	snprintf(file, sizeof(file), "%s/cgroup.procs", dir);
	f = fopen(file, "re");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL)
		found |= atoi(line) == getpid();
	fclose(f);
	return found;
}

START_TEST(cgroup_v1_memory_dir_is_ours)
{
	/* The directory found for memory must list our pid in its procs:
	 * proves the mountinfo/cgroup join, including a non-root path. */
	char dir[4096];
	enum vj_cg_version v = vj_cgroup_dir("memory", dir, sizeof(dir));

	if (v == VJ_CG_NONE)
		return; /* no memory controller on this machine */
	ck_assert_msg(procs_has_us(dir), "pid %d not in %s/cgroup.procs",
		      getpid(), dir);
}
END_TEST

START_TEST(cgroup_v1_memory_dir_found_off_the_usual_path)
{
	/* The lookup asks statmount(2) about /sys/fs/cgroup/memory first;
	 * with the hierarchy mounted elsewhere (and a plain directory
	 * left there), it must fall back to mountinfo and find it. */
	char tmp[] = "/tmp/vjail-cgmount-XXXXXX", dir[4096], own[4096];
	struct statfs st;

	if (geteuid() != 0 ||
	    statfs("/sys/fs/cgroup/memory", &st) != 0 ||
	    st.f_type != CGROUP_SUPER_MAGIC)
		return; /* needs root and a v1 memory hierarchy there */
	ck_assert_int_eq(vj_cgroup_hierarchy("memory", dir, sizeof(dir), own,
					     sizeof(own)), 0);
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	ck_assert_int_eq(umount2("/sys/fs/cgroup/memory", MNT_DETACH), 0);
	ck_assert_int_eq(mount("none", tmp, "cgroup", 0, "memory"), 0);
	ck_assert_int_eq(vj_cgroup_dir("memory", dir, sizeof(dir)), VJ_CG_V1);
	ck_assert_int_eq(strncmp(dir, tmp, strlen(tmp)), 0);
	ck_assert_str_eq(dir + strlen(tmp), own);
	ck_assert_msg(procs_has_us(dir), "pid %d not in %s", getpid(), dir);
	ck_assert_int_eq(umount2(tmp, MNT_DETACH), 0);
	ck_assert_int_eq(rmdir(tmp), 0);
}
END_TEST

START_TEST(feature_names_are_unique_and_total)
{
	for (unsigned int a = 0; a < 64; a++) {
		uint64_t bit = UINT64_C(1) << a;
		const char *na = vjail_feature_name(bit);

		ck_assert_int_eq(na != NULL, (bit & VJAIL_FEAT_ALL) != 0);
		for (unsigned int b = 0; na != NULL && b < a; b++) {
			const char *nb = vjail_feature_name(UINT64_C(1) << b);

			ck_assert_str_ne(na, nb);
		}
	}
	ck_assert_ptr_null(vjail_feature_name(0));
	ck_assert_ptr_null(vjail_feature_name(VJAIL_NS_PID | VJAIL_NS_USER));
	ck_assert_str_eq(vjail_feature_name(VJAIL_NS_TIME), "ns-time");
}
END_TEST

START_TEST(probe_is_cached)
{
	uint64_t first = vjail_features();

	/* Becoming nobody changes the real answer (cgroup writability), but
	 * the cached probe must not change within a process. */
	vj_test_become_nobody();
	ck_assert_uint_eq(vjail_features(), first);
}
END_TEST

static volatile int chld;

static void count_chld(int sig)
{
	(void)sig;
	chld++;
}

START_TEST(probe_forks_one_child)
{
	struct sigaction sa = { .sa_handler = count_chld };

	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGCHLD, &sa, NULL), 0);
	(void)vjail_features();
	(void)vjail_features(); /* cached: no second child */
	ck_assert_int_eq(chld, 1);
}
END_TEST

START_TEST(features_has_no_unknown_bits)
{
	ck_assert_uint_eq(vjail_features() & ~VJAIL_FEAT_ALL, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("probe");
	TCase *tc = tcase_create("probe");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, namespaces_match_unshare_as_root);
	tcase_add_test(tc, namespaces_match_unshare_as_nobody);
	tcase_add_test(tc, namespace_probe_matches_unshare_as_root);
	tcase_add_test(tc, namespace_probe_matches_unshare_as_nobody);
	tcase_add_test(tc, landlock_abi_matches_syscall);
	tcase_add_test(tc, seccomp_bits_match_kernel);
	tcase_add_test(tc, cgroup_bits_match_mkdir_as_root);
	tcase_add_test(tc, cgroup_bits_match_mkdir_as_nobody);
	tcase_add_test(tc, cgroup_v1_memory_dir_is_ours);
	tcase_add_test(tc, cgroup_v1_memory_dir_found_off_the_usual_path);
	tcase_add_test(tc, feature_names_are_unique_and_total);
	tcase_add_test(tc, probe_is_cached);
	tcase_add_test(tc, features_has_no_unknown_bits);
	tcase_add_test(tc, probe_forks_one_child);
	suite_add_tcase(s, tc);
	return vj_test_run(s);
}
