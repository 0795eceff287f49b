/* tests/testlib.h - helpers shared by the Check suites. */
#ifndef VJ_TESTLIB_H
#define VJ_TESTLIB_H

#include <check.h>
#include <stdbool.h>

#include "vjail.h"

/* Assert a call failed with @err and left a non-empty message on @j that
 * contains @needle. */
#define ck_assert_fails(j, call, err, needle)                                  \
	do {                                                                   \
		int rc_ = (call);                                              \
		ck_assert_msg(rc_ == -(err), "%s: got %d, want %d (%s)",       \
			      #call, rc_, -(err), vjail_strerror(j));          \
		ck_assert_msg(strstr(vjail_strerror(j), (needle)) != NULL,     \
			      "%s: message \"%s\" lacks \"%s\"", #call,        \
			      vjail_strerror(j), (needle));                    \
	} while (0)

/* Become nobody/nogroup (65534) in this (forked) test process; used to run
 * the same test unprivileged. Aborts the test if it cannot. */
void vj_test_become_nobody(void);

/* Is this test run the unprivileged variant? (VJ_TEST_UNPRIV=1) */
bool vj_test_unpriv(void);

/* Run the suite in fork mode, return the process exit status for
 * automake (0 pass, 1 fail). */
int vj_test_run(Suite *s);

/* The suite @name of the jail suites: the tests @add adds, three times,
 * in a case "root", a case "nobody" whose every test first drops to
 * nobody and is not dumpable, as a daemon that drops root before enter
 * is, and a case "nobody-dumpable" that drops to nobody and is dumpable,
 * standing for a daemon started unprivileged: the library takes a
 * different path for each (pid.c, shares_memory()). Each case runs between @setup and @teardown
 * (unchecked fixtures), each test with @timeout seconds. *@root, if not
 * NULL, gets the root case. */
Suite *vj_test_suite_callers(const char *name, void (*add)(TCase *),
			     void (*setup)(void), void (*teardown)(void),
			     double timeout, TCase **root);


/* Keep every fd the test harness has open (Check's result channel) across
 * vjail_enter(), so assertions made inside the jail still reach Check.
 * Call before opening the test's own fds. */
void vj_test_keep_harness_fds(struct vjail *j);

/* A scratch jail root under /tmp: proc/ dev/ usr/ data/ tmp/, symlinks
 * bin lib lib64 -> usr/..., a file /inside.txt with "INSIDE", all
 * root-owned and world-readable. Returns a malloc'd path. */
char *vj_test_make_root(void);

/* rm -rf of a path made by the helpers above. */
void vj_test_remove_tree(const char *path);

#endif
