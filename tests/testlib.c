/* tests/testlib.c - helpers shared by the Check suites. */
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"

void vj_test_become_nobody(void)
{
	gid_t g = 65534;

	if (geteuid() != 0)
		return; /* already unprivileged */
	ck_assert_int_eq(setgroups(1, &g), 0);
	ck_assert_int_eq(setresgid(65534, 65534, 65534), 0);
	ck_assert_int_eq(setresuid(65534, 65534, 65534), 0);
	ck_assert_int_eq(geteuid(), 65534);
}

bool vj_test_unpriv(void)
{
	const char *v = getenv("VJ_TEST_UNPRIV");

	return v != NULL && strcmp(v, "1") == 0;
}

/* A daemon that dropped root is not dumpable (the kernel clears the flag
 * on the uid change); one that never was root is. The two cases set the
 * flag themselves, so that each takes its path whether the suite starts
 * as root or as nobody (VJ_TEST_UNPRIV=1). */
static void become_nobody_not_dumpable(void)
{
	vj_test_become_nobody();
	ck_assert_int_eq(prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), 0);
}

static void become_nobody_dumpable(void)
{
	vj_test_become_nobody();
	ck_assert_int_eq(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0), 0);
}

Suite *vj_test_suite_callers(const char *name, void (*add)(TCase *),
			     void (*setup)(void), void (*teardown)(void),
			     double timeout, TCase **root)
{
	static const struct {
		const char *name;
		void (*become)(void);
	} callers[] = {
		{ "root", NULL },
		{ "nobody", become_nobody_not_dumpable },
		{ "nobody-dumpable", become_nobody_dumpable },
	};
	Suite *s = suite_create(name);

	for (size_t i = 0; i < sizeof(callers) / sizeof(callers[0]); i++) {
		TCase *tc = tcase_create(callers[i].name);

		tcase_add_unchecked_fixture(tc, setup, teardown);
		if (callers[i].become != NULL)
			tcase_add_checked_fixture(tc, callers[i].become, NULL);
		tcase_set_timeout(tc, timeout);
		add(tc);
		suite_add_tcase(s, tc);
		if (i == 0 && root != NULL)
			*root = tc;
	}
	return s;
}

int vj_test_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	/* Fork mode always: vjail_enter() cannot be undone, so each test
	 * must live in a process of its own. */
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

void vj_test_keep_harness_fds(struct vjail *j)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int self = d ? dirfd(d) : -1;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		int fd = atoi(e->d_name);

		if (e->d_name[0] == '.' || fd < 3 || fd == self)
			continue;
		/* Check's channel may be a file in /tmp: outside any root. */
		ck_assert_msg(vjail_keep_fd(j, fd, VJAIL_KEEP_FD_UNSAFE) == 0,
			      "keep fd %d: %s", fd,
			      vjail_strerror(j));
	}
	closedir(d);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	chmod(path, mode);
}

char *vj_test_make_root(void)
{
	static const char *const dirs[] = { "proc", "dev", "usr", "data",
					    "tmp", "etc" };
	static const char *const links[][2] = { { "usr/bin", "bin" },
						{ "usr/lib", "lib" },
						{ "usr/lib64", "lib64" },
						{ "usr/sbin", "sbin" } };
	char tmpl[] = "/tmp/vjail-root-XXXXXX";
	char *root = strdup(mkdtemp(tmpl));
	char path[512];

	ck_assert_ptr_nonnull(root);
	chmod(root, 0755);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		ck_assert_int_eq(mkdir(path, 0755), 0);
	}
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, links[i][1]);
		ck_assert_int_eq(symlink(links[i][0], path), 0);
	}
	snprintf(path, sizeof(path), "%s/inside.txt", root);
	write_file(path, "INSIDE", 0644);
	snprintf(path, sizeof(path), "%s/data", root);
	chmod(path, 0777);
	return root;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void vj_test_remove_tree(const char *path)
{
	if (path != NULL)
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
