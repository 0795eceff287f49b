/* tests/testlib.c - helpers shared by the Check suites. */
#include <grp.h>
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
