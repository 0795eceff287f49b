/* tests/check_cgroup2.c - the jail's cgroup on a pure cgroup v2 view.
 *
 * main() makes a test-only mount namespace in which /sys/fs/cgroup is a
 * fresh cgroup2 mount and no v1 hierarchy is mounted: what a current
 * distribution shows. The library then finds only v2. Two groups of tests:
 *
 *   core     the jail's v2 cgroup (cgroup.procs, cpu.stat, cgroup.kill)
 *            and the strict refusal of a limit whose controller v2 lacks;
 *            they run wherever cgroup2 is mounted, as root and as nobody
 *            (nobody in a cgroup delegated to it).
 *   limits   pids.max, memory.max, cpu.max through v2's own files; only
 *            where the controllers are free for cgroup2 (not bound to v1),
 *            as root. On a hybrid host (our CI: memory, pids and cpu are
 *            v1's) they are skipped, and the reason is printed.
 *
 * Exit 77 when the kernel has no cgroup2 at all or we cannot make the
 * namespace (not root).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "detect_leaks=0"; /* see check_enter.c */
}

#define TEST_NS (VJAIL_NS_DEFAULT & ~VJAIL_NS_TIME)
#define CG "/sys/fs/cgroup"

static char *root;
static char deleg[64];    /* "vjail-test2-PID" below the cgroup2 root */
static char deleg_dir[128];
static bool have_ctl;     /* memory, pids and cpu are v2's */

static int put_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -errno;
}

static bool read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, size - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n > 0;
}

static bool has_word(const char *list, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = strstr(list, w); p; p = strstr(p + 1, w))
		if ((p == list || p[-1] == ' ') &&
		    (p[n] == '\0' || p[n] == ' ' || p[n] == '\n'))
			return true;
	return false;
}

/* ---- fixtures ------------------------------------------------------------ */

/* A parent for the jails, directly below the cgroup2 root: the root is
 * exempt from the no-internal-process rule, so the controllers can be
 * enabled for its children, and ours (v2) may sit anywhere. Delegated to
 * nobody, as a service manager would. */
static void make_world(void)
{
	static const char *const files[] = { "", "/cgroup.procs",
					     "/cgroup.threads",
					     "/cgroup.subtree_control" };
	char path[256];

	root = vj_test_make_root();
	snprintf(deleg, sizeof(deleg), "vjail-test2-%d", getpid());
	snprintf(deleg_dir, sizeof(deleg_dir), CG "/%s", deleg);
	if (mkdir(deleg_dir, 0755) != 0 && errno != EEXIST)
		return;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", deleg_dir, files[i]);
		(void)!chown(path, 65534, 65534);
	}
}

static void remove_world(void)
{
	rmdir(deleg_dir);
	vj_test_remove_tree(root);
	free(root);
	root = NULL;
}

/* nobody sits in its delegated cgroup and makes jails below it. */
static void as_nobody(void)
{
	char file[200];

	snprintf(file, sizeof(file), "%s/cgroup.procs", deleg_dir);
	ck_assert_int_eq(put_file(file, "0"), 0);
	vj_test_become_nobody();
}

/* ---- helpers ------------------------------------------------------------- */

static struct vjail *new_jail(uint64_t ns)
{
	struct vjail *j;

	ck_assert_int_eq(vjail_create(&j, root, 0), 0);
	ck_assert_int_eq(vjail_namespaces(j, ns), 0);
	if (geteuid() == 0)
		ck_assert_int_eq(vjail_cgroup_parent(j, deleg_dir), 0);
	vj_test_keep_harness_fds(j);
	return j;
}

static void limit(struct vjail *j, enum vjail_limit_kind k, uint64_t v)
{
	ck_assert_msg(vjail_limit(j, k, v, v) == 0, "%s", vjail_strerror(j));
}

/* The one jail cgroup below the delegated parent, or "" */
static int jail_dir(char *out, size_t size)
{
	DIR *d = opendir(deleg_dir);
	struct dirent *e;
	int n = 0;

	out[0] = '\0';
	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, "vjail-", 6) == 0) {
			snprintf(out, size, "%.120s/%.100s", deleg_dir,
				 e->d_name);
			n++;
		}
	closedir(d);
	return n;
}

/* The jail's cgroup is gone; else say what is still in it. */
static void assert_no_jail_dir(void)
{
	char dir[256], file[300], procs[256] = "", events[256] = "";

	if (jail_dir(dir, sizeof(dir)) == 0)
		return;
	snprintf(file, sizeof(file), "%s/cgroup.procs", dir);
	read_text(file, procs, sizeof(procs));
	snprintf(file, sizeof(file), "%s/cgroup.events", dir);
	read_text(file, events, sizeof(events));
	ck_abort_msg("%s left, procs [%s] events [%s]", dir, procs, events);
}

struct chan {
	int up[2], down[2];
};

static void chan_open(struct vjail *j, struct chan *c)
{
	ck_assert_int_eq(pipe(c->up), 0);
	ck_assert_int_eq(pipe(c->down), 0);
	ck_assert_int_eq(vjail_keep_fd(j, c->up[1], 0), 0);
	ck_assert_int_eq(vjail_keep_fd(j, c->down[0], 0), 0);
}

static void supervise(struct vjail *j, struct chan *c, int (*fn)(struct chan *))
{
	int rc = vjail_enter(j, VJAIL_ENTER_SUPERVISE);

	if (rc == 0)
		_exit(fn(c));
	ck_assert_msg(rc == VJAIL_SUPERVISOR, "enter: %d %s", rc,
		      vjail_strerror(j));
	close(c->up[1]);
	close(c->down[0]);
}

static int wait_exit(struct vjail *j)
{
	int status;

	ck_assert_int_eq(vjail_wait(j, &status), 0);
	ck_assert_msg(WIFEXITED(status), "status %#x", status);
	return WEXITSTATUS(status);
}

static void nap_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&t, NULL);
}

static double now(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Spin 0.2 s of CPU time (however long that takes on a loaded machine),
 * report "r", wait for "go". */
static int spin_and_wait(struct chan *c)
{
	char b;

	while (now(CLOCK_PROCESS_CPUTIME_ID) < 0.2)
		;
	(void)!write(c->up[1], "r", 1);
	(void)!read(c->down[0], &b, 1);
	return 0;
}

/* ---- core: every cgroup2 host -------------------------------------------- */

START_TEST(jail_gets_a_v2_cgroup_with_accounting)
{
	struct vjail *j = new_jail(TEST_NS);
	struct vjail_stats st = { .size = sizeof(st) };
	struct chan c;
	char dir[256], file[300], text[256], b;

	chan_open(j, &c);
	supervise(j, &c, spin_and_wait);
	ck_assert_int_eq(read(c.up[0], &b, 1), 1);
	ck_assert_int_eq(jail_dir(dir, sizeof(dir)), 1);
	snprintf(file, sizeof(file), "%s/cgroup.procs", dir);
	ck_assert(read_text(file, text, sizeof(text))); /* init, main */
	ck_assert_int_eq(vjail_stats(j, &st), 0);
	ck_assert(st.valid & VJAIL_STAT_CPU);        /* cpu.stat */
	ck_assert(st.valid & VJAIL_STAT_PROCESSES); /* cgroup.procs */
	ck_assert_uint_ge(st.cpu_user_us + st.cpu_system_us, 200000);
	ck_assert_uint_ge(st.processes, 2);
	ck_assert_int_eq(write(c.down[1], "g", 1), 1);
	ck_assert_int_eq(wait_exit(j), 0);
	assert_no_jail_dir();
	vjail_destroy(j);
}
END_TEST

START_TEST(limit_without_its_v2_controller_is_refused)
{
	struct vjail *j;

	if (have_ctl)
		return; /* nothing is missing here */
	ck_assert_int_eq(vjail_create(&j, root, 0), 0);
	ck_assert_int_eq(vjail_namespaces(j, TEST_NS), 0);
	limit(j, VJAIL_LIMIT_PIDS, 64);
	ck_assert_fails(j, vjail_enter(j, 0), EOPNOTSUPP,
			"controller not available");
	vjail_destroy(j);
}
END_TEST

/* Running (a zombie waiting for its new parent to reap it is dead). */
static bool alive(pid_t pid)
{
	char path[64], line[256];

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (!read_text(path, line, sizeof(line)))
		return false;
	return strstr(line, ") Z ") == NULL && strstr(line, ") X ") == NULL;
}

/* A jail without a pid namespace whose program leaves a daemon behind:
 * the outside kills it through cgroup.kill, then removes the cgroup. */
START_TEST(leftover_processes_are_killed_and_cgroup_removed)
{
	struct vjail *j = new_jail(TEST_NS & ~VJAIL_NS_PID);
	char *argv[] = { (char *)"/bin/sh", (char *)"-c",
			 (char *)"sleep 30 & echo $! >&9; exit 0", NULL };
	char *envp[] = { (char *)"PATH=/usr/bin:/bin", NULL };
	char buf[32] = "";
	int p[2], status;
	pid_t pid, daemon;

	ck_assert_int_eq(vjail_bind(j, "/usr", "/usr", 0), 0);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(dup2(p[1], 9), 9); /* sh names fds 0 to 9 */
	ck_assert_int_eq(vjail_keep_fd(j, 9, 0), 0);
	ck_assert_msg(vjail_spawn(j, argv, envp, &pid) == 0, "%s",
		      vjail_strerror(j));
	close(9);
	close(p[1]);
	ck_assert_int_gt(read(p[0], buf, sizeof(buf) - 1), 0);
	daemon = atoi(buf); /* the same pid outside: no pid namespace */
	ck_assert_int_gt(daemon, 0);
	ck_assert_int_eq(kill(daemon, 0), 0);
	ck_assert_int_eq(vjail_wait(j, &status), 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	for (int i = 0; i < 100 && alive(daemon); i++)
		nap_ms(10);
	ck_assert_msg(!alive(daemon), "daemon %d survived the jail",
		      (int)daemon);
	assert_no_jail_dir();
	vjail_destroy(j);
}
END_TEST

/* ---- limits: where the controllers are v2's ------------------------------ */

static int fork_until_refused(struct chan *c)
{
	int forks = 0;
	char b;

	for (int i = 0; i < 200; i++) {
		pid_t p = fork();

		if (p == 0) {
			pause();
			_exit(0);
		}
		if (p < 0) {
			if (errno != EAGAIN)
				return 2;
			break;
		}
		forks++;
	}
	(void)!write(c->up[1], &forks, sizeof(forks));
	(void)!read(c->down[0], &b, 1);
	return 0;
}

START_TEST(pids_max_bounds_the_jail)
{
	struct vjail *j;
	struct chan c;
	char dir[256], file[300], text[64];
	int forks;

	if (!have_ctl || geteuid() != 0)
		return;
	j = new_jail(TEST_NS);
	limit(j, VJAIL_LIMIT_PIDS, 16);
	chan_open(j, &c);
	supervise(j, &c, fork_until_refused);
	ck_assert_int_eq(read(c.up[0], &forks, sizeof(forks)), sizeof(forks));
	/* init and main count: 14 more. */
	ck_assert_int_eq(forks, 14);
	ck_assert_int_eq(jail_dir(dir, sizeof(dir)), 1);
	snprintf(file, sizeof(file), "%s/pids.max", dir);
	ck_assert(read_text(file, text, sizeof(text)));
	ck_assert_str_eq(text, "16\n");
	ck_assert_int_eq(write(c.down[1], "g", 1), 1);
	ck_assert_int_eq(wait_exit(j), 0);
	assert_no_jail_dir();
	vjail_destroy(j);
}
END_TEST

static int hog(struct chan *c)
{
	int status = -1;
	char b;
	pid_t p = fork();

	if (p == 0) {
		for (int i = 0; i < 256; i++) {
			char *m = malloc(1 << 20);

			if (m == NULL)
				_exit(2);
			memset(m, 1, 1 << 20);
		}
		_exit(0);
	}
	waitpid(p, &status, 0);
	(void)!write(c->up[1], &status, sizeof(status));
	(void)!read(c->down[0], &b, 1);
	return 0;
}

START_TEST(memory_max_stops_a_hog_and_peak_is_read)
{
	struct vjail *j;
	struct vjail_stats st = { .size = sizeof(st) };
	struct chan c;
	int status;

	if (!have_ctl || geteuid() != 0)
		return;
	j = new_jail(TEST_NS);
	limit(j, VJAIL_LIMIT_MEMORY, 64 << 20);
	limit(j, VJAIL_LIMIT_MEMORY_SWAP, 0);
	chan_open(j, &c);
	supervise(j, &c, hog);
	ck_assert_int_eq(read(c.up[0], &status, sizeof(status)),
			 sizeof(status));
	ck_assert_msg((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) ||
			      (WIFEXITED(status) && WEXITSTATUS(status) == 2),
		      "hog status %#x", status);
	ck_assert_int_eq(vjail_stats(j, &st), 0);
	if (st.valid & VJAIL_STAT_MEMORY_PEAK) /* memory.peak: Linux 5.19 */
		ck_assert_uint_ge(st.memory_peak, 48 << 20);
	ck_assert_int_eq(write(c.down[1], "g", 1), 1);
	ck_assert_int_eq(wait_exit(j), 0);
	vjail_destroy(j);
}
END_TEST

static int spin_2s(struct chan *c)
{
	double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	int permille;

	while (now(CLOCK_MONOTONIC) < t0 + 2)
		;
	permille = (int)(1000 * (now(CLOCK_PROCESS_CPUTIME_ID) - c0) /
			 (now(CLOCK_MONOTONIC) - t0));
	(void)!write(c->up[1], &permille, sizeof(permille));
	return 0;
}

START_TEST(cpu_max_caps_a_busy_loop)
{
	struct vjail *j;
	struct chan c;
	char dir[256], file[300], text[64];
	int permille;

	if (!have_ctl || geteuid() != 0)
		return;
	j = new_jail(TEST_NS);
	limit(j, VJAIL_LIMIT_CPU_MAX, 200);
	chan_open(j, &c);
	supervise(j, &c, spin_2s);
	ck_assert_int_eq(jail_dir(dir, sizeof(dir)), 1);
	snprintf(file, sizeof(file), "%s/cpu.max", dir);
	ck_assert(read_text(file, text, sizeof(text)));
	ck_assert_str_eq(text, "20000 100000\n");
	ck_assert_int_eq(read(c.up[0], &permille, sizeof(permille)),
			 sizeof(permille));
	ck_assert_msg(permille >= 100 && permille <= 300, "%d per-mille",
		      permille);
	ck_assert_int_eq(wait_exit(j), 0);
	vjail_destroy(j);
}
END_TEST

/* ---- main ---------------------------------------------------------------- */

/* A private mount namespace where /sys/fs/cgroup is a fresh cgroup2 mount
 * alone. Returns false (with the reason printed) when that cannot be. */
static bool v2_only_view(void)
{
	char list[512] = "";

	if (geteuid() != 0) {
		printf("check_cgroup2: SKIP: needs root to make a mount "
		       "namespace\n");
		return false;
	}
	if (unshare(CLONE_NEWNS) != 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
		printf("check_cgroup2: SKIP: mount namespace: %s\n",
		       strerror(errno));
		return false;
	}
	/* Drop whatever is at /sys/fs/cgroup (v1 mounts included), then
	 * the fresh cgroup2 mount. */
	(void)umount2(CG, MNT_DETACH);
	if (mount("cgroup2", CG, "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) != 0) {
		printf("check_cgroup2: SKIP: mount cgroup2: %s\n",
		       strerror(errno));
		return false;
	}
	read_text(CG "/cgroup.controllers", list, sizeof(list));
	have_ctl = has_word(list, "memory") && has_word(list, "pids") &&
		   has_word(list, "cpu");
	if (have_ctl) {
		/* The root may enable them for its children. */
		(void)put_file(CG "/cgroup.subtree_control", "+memory");
		(void)put_file(CG "/cgroup.subtree_control", "+pids");
		(void)put_file(CG "/cgroup.subtree_control", "+cpu");
	} else {
		printf("check_cgroup2: cgroup2 offers \"%s\": memory, pids "
		       "and cpu are bound to cgroup v1 on this host, so the "
		       "v2 limit tests are skipped (the core v2 tests run)\n",
		       strtok(list, "\n") ? list : "");
	}
	return true;
}

int main(void)
{
	Suite *s = suite_create("cgroup2");
	TCase *as_root = tcase_create("root");
	TCase *unpriv = tcase_create("nobody");

	setvbuf(stdout, NULL, _IONBF, 0);
	if (!v2_only_view())
		return 77;
	tcase_add_unchecked_fixture(as_root, make_world, remove_world);
	tcase_add_unchecked_fixture(unpriv, make_world, remove_world);
	tcase_add_checked_fixture(unpriv, as_nobody, NULL);
	tcase_set_timeout(as_root, 30);
	tcase_set_timeout(unpriv, 30);
	for (int i = 0; i < 2; i++) {
		TCase *tc = i == 0 ? as_root : unpriv;

		tcase_add_test(tc, jail_gets_a_v2_cgroup_with_accounting);
		tcase_add_test(tc, limit_without_its_v2_controller_is_refused);
		tcase_add_test(
			tc, leftover_processes_are_killed_and_cgroup_removed);
	}
	/* The limit tests exist only where they can fail: with the v2
	 * controllers free on this host, and as root (who writes them). */
	if (have_ctl) {
		tcase_add_test(as_root, pids_max_bounds_the_jail);
		tcase_add_test(as_root, memory_max_stops_a_hog_and_peak_is_read);
		tcase_add_test(as_root, cpu_max_caps_a_busy_loop);
	}
	suite_add_tcase(s, as_root);
	suite_add_tcase(s, unpriv);
	return vj_test_run(s);
}
