/* tests/check_limits.c - vjail_limit() and vjail_stats() in a real kernel:
 * each test enters a jail (supervised, so that the outside can read its
 * usage), drives a resource into its limit from inside, and checks that
 * the limit held, the host survived, and the jail's cgroup is gone after.
 * Every test runs twice: as root and as nobody. The nobody run uses a
 * cgroup the fixture delegated to it (as a service manager would), the
 * root run the same parent, plus the default (the caller's own cgroup).
 *
 * Timing tests (cpu.max, weights) compare the jail's CPU time with its
 * wall time, and pin competing jails to one CPU, so that other load on
 * the machine changes neither result much.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kernel/cgroupfs.h"
#include "testlib.h"

/* LeakSanitizer cannot run inside a jail (see check_enter.c). */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "detect_leaks=0";
}

/* No time namespace: Check times each test with CLOCK_MONOTONIC. */
#define TEST_NS (VJAIL_NS_DEFAULT & ~VJAIL_NS_TIME)

static char *root;
static char deleg[64]; /* the delegated parent, below our own cgroups */

/* The hierarchies a jail's cgroup may live in, by v1 name (NULL: v2). */
static const char *const hier[] = { NULL,  "memory",  "pids",
				    "cpu", "cpuacct", "blkio" };
#define NHIER (sizeof(hier) / sizeof(hier[0]))

/* Our own cgroup in each hierarchy, and the delegated one below it, as
 * the fixture found them before any test moved ("" where absent). */
static char own_dir[NHIER][1024];
static char deleg_dir[NHIER][1100];

static void find_dirs(void)
{
	for (size_t i = 0; i < NHIER; i++) {
		char mnt[512], own[512];

		own_dir[i][0] = deleg_dir[i][0] = '\0';
		if (vj_cgroup_hierarchy(hier[i], mnt, sizeof(mnt), own,
					sizeof(own)) < 0)
			continue;
		snprintf(own_dir[i], sizeof(own_dir[i]), "%.511s%.511s", mnt,
			 own);
		snprintf(deleg_dir[i], sizeof(deleg_dir[i]), "%.1024s/%.63s",
			 own_dir[i], deleg);
	}
}

/* The delegated directory of hierarchy @name (NULL: v2). */
static const char *deleg_of(const char *name)
{
	for (size_t i = 0; i < NHIER; i++)
		if ((name == NULL) == (hier[i] == NULL) &&
		    (name == NULL || strcmp(name, hier[i]) == 0))
			return deleg_dir[i][0] ? deleg_dir[i] : NULL;
	return NULL;
}

static int put_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* ---- fixtures ------------------------------------------------------------ */

static void chown_cgroup(const char *dir)
{
	static const char *const files[] = { "", "/cgroup.procs", "/tasks",
					     "/cgroup.threads",
					     "/cgroup.subtree_control" };
	char path[4200];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", dir, files[i]);
		(void)!chown(path, 65534, 65534);
	}
}

/* A cgroup delegated to nobody in every hierarchy we are in, as systemd's
 * Delegate= would give a service. */
static void make_world(void)
{
	root = vj_test_make_root();
	snprintf(deleg, sizeof(deleg), "vjail-test-%d", getpid());
	find_dirs();
	for (size_t i = 0; i < NHIER; i++)
		if (deleg_dir[i][0] && mkdir(deleg_dir[i], 0755) == 0)
			chown_cgroup(deleg_dir[i]);
}

/* An in-place jail's cgroup stays when its process ends (vjail_limit(3)):
 * the empty ones go here, then the delegated parent. */
static void remove_world(void)
{
	for (size_t i = 0; i < NHIER; i++) {
		DIR *d = deleg_dir[i][0] ? opendir(deleg_dir[i]) : NULL;
		struct dirent *e;

		while (d != NULL && (e = readdir(d)) != NULL)
			if (strncmp(e->d_name, "vjail-", 6) == 0)
				unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR);
		if (d != NULL)
			closedir(d);
		if (deleg_dir[i][0])
			rmdir(deleg_dir[i]);
	}
	vj_test_remove_tree(root);
	free(root);
	root = NULL;
}

static void nap_ms(long ms);

/* Before each test: remove the cgroups of jails whose maker died (a test
 * that failed before its jail ended), so that one failure does not make
 * every later test fail too. Their processes may take a moment to die. */
static void sweep_dead_jails(void)
{
	for (size_t i = 0; i < NHIER; i++) {
		DIR *d = deleg_dir[i][0] ? opendir(deleg_dir[i]) : NULL;
		struct dirent *e;
		int pid;
		unsigned int n;

		while (d != NULL && (e = readdir(d)) != NULL) {
			if (sscanf(e->d_name, "vjail-%d-%u", &pid, &n) != 2 ||
			    kill(pid, 0) == 0)
				continue;
			for (int t = 0; t < 100; t++) {
				if (unlinkat(dirfd(d), e->d_name,
					     AT_REMOVEDIR) == 0 ||
				    errno != EBUSY)
					break;
				nap_ms(10);
			}
		}
		if (d != NULL)
			closedir(d);
	}
}

/* The nobody run sits in its delegated cgroup, as a service would: cgroup
 * v2 lets a process move only within a subtree whose top it may write. Its
 * jails then go below its own cgroup, the default. */
static void as_nobody(void)
{
	char file[1200];

	sweep_dead_jails();
	for (size_t i = 0; i < NHIER; i++) {
		if (!deleg_dir[i][0])
			continue;
		snprintf(file, sizeof(file), "%.1100s/cgroup.procs",
			 deleg_dir[i]);
		ck_assert_int_eq(put_file(file, "0"), 0);
	}
	vj_test_become_nobody();
}

/* ---- helpers ------------------------------------------------------------- */

static struct vjail *new_jail(unsigned int flags)
{
	struct vjail *j;

	ck_assert_int_eq(vjail_create(&j, root, flags), 0);
	ck_assert_int_eq(vjail_namespaces(j, TEST_NS), 0);
	if (geteuid() == 0) /* nobody's own cgroup is the delegated one */
		ck_assert_int_eq(vjail_cgroup_parent(j, deleg), 0);
	vj_test_keep_harness_fds(j);
	return j;
}

static void limit(struct vjail *j, enum vjail_limit_kind k, uint64_t v)
{
	ck_assert_msg(vjail_limit(j, k, v, v) == 0, "limit %d: %s", (int)k,
		      vjail_strerror(j));
}

/* Enter supervised: returns in the outside process; @fn runs as the
 * jail's main process, and its return value is main's exit status. */
static void supervise(struct vjail *j, int (*fn)(void *), void *arg)
{
	int rc = vjail_enter(j, VJAIL_ENTER_SUPERVISE);

	if (rc == 0)
		_exit(fn(arg));
	ck_assert_msg(rc == VJAIL_SUPERVISOR, "enter: %d %s", rc,
		      vjail_strerror(j));
}

static int wait_exit(struct vjail *j)
{
	int status;

	ck_assert_msg(vjail_wait(j, &status) == 0, "%s", vjail_strerror(j));
	ck_assert_msg(WIFEXITED(status), "main ended by signal %d",
		      WIFSIGNALED(status) ? WTERMSIG(status) : -1);
	return WEXITSTATUS(status);
}

static void nap_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000 * 1000 };

	nanosleep(&t, NULL);
}

static double now(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The jail cgroups below @dir whose name starts with @prefix (NULL: any
 * "vjail-<pid>-<n>"); the path of one of them goes to @one. */
static int count_jail_dirs_of(const char *dir, const char *prefix,
			      char *one, size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, "vjail-", 6) == 0 &&
		    strncmp(e->d_name, "vjail-test-", 11) != 0 &&
		    (prefix == NULL ||
		     strncmp(e->d_name, prefix, strlen(prefix)) == 0)) {
			if (one != NULL)
				snprintf(one, size, "%s/%s", dir, e->d_name);
			n++;
		}
	closedir(d);
	return n;
}

static int count_jail_dirs(const char *dir, char *one, size_t size)
{
	return count_jail_dirs_of(dir, NULL, one, size);
}

/* No jail cgroup left below the delegated parent, in any hierarchy. */
static void assert_no_jail_cgroups(void)
{
	char left[1400] = "";

	for (size_t i = 0; i < NHIER; i++)
		if (deleg_dir[i][0])
			ck_assert_msg(count_jail_dirs(deleg_dir[i], left,
						      sizeof(left)) == 0,
				      "left behind: %s", left);
}

/* A pipe: the jail reports on [1], the outside says "go" on [0]'s twin. */
struct chan {
	int up[2];   /* jail -> outside */
	int down[2]; /* outside -> jail */
};

static void chan_open(struct vjail *j, struct chan *c)
{
	ck_assert_int_eq(pipe(c->up), 0);
	ck_assert_int_eq(pipe(c->down), 0);
	ck_assert_int_eq(vjail_keep_fd(j, c->up[1], 0), 0);
	ck_assert_int_eq(vjail_keep_fd(j, c->down[0], 0), 0);
}

static void chan_outside(struct chan *c)
{
	close(c->up[1]);
	close(c->down[0]);
}

static void wait_go(struct chan *c)
{
	char b;

	(void)!read(c->down[0], &b, 1);
}

/* ---- processes ----------------------------------------------------------- */

struct bomb_report {
	int forks;  /* successful forks seen by main */
	int eagain; /* refused forks */
};

/* Every process forks as fast as it can until the kernel refuses it a few
 * times (or 5 s passed: the bound when no limit holds), then sleeps; main
 * reports and waits for "go": the outside looks at the jail meanwhile.
 * Not a fixed time window: fork is slow under ASan and load. */
static int fork_bomb(void *arg)
{
	struct chan *c = arg;
	struct bomb_report r = { 0, 0 };
	double end = now(CLOCK_MONOTONIC) + 5;
	pid_t main_pid = getpid();

	while (r.eagain < 3 && now(CLOCK_MONOTONIC) < end) {
		pid_t p = fork();

		if (p == 0) {
			r.eagain = 0; /* the child joins the bomb */
			continue;
		}
		if (p > 0)
			r.forks++;
		else if (errno == EAGAIN)
			r.eagain++;
		else
			_exit(3);
		nap_ms(1);
	}
	if (getpid() != main_pid)
		for (;;)
			pause(); /* killed when the jail ends */
	(void)!write(c->up[1], &r, sizeof(r));
	wait_go(c);
	return 0;
}

/* Host pids of the processes in the jail's pids cgroup. */
static int jail_pids(pid_t *out, int max)
{
	char one[1400], file[1500], line[32];
	FILE *f;
	int n = 0;

	ck_assert_ptr_nonnull(deleg_of("pids"));
	ck_assert_int_eq(count_jail_dirs(deleg_of("pids"), one, sizeof(one)),
			 1);
	snprintf(file, sizeof(file), "%s/cgroup.procs", one);
	f = fopen(file, "re");
	ck_assert_ptr_nonnull(f);
	while (n < max && fgets(line, sizeof(line), f) != NULL)
		out[n++] = atoi(line);
	fclose(f);
	return n;
}

static void bomb_and_check(struct vjail *j, struct chan *c, bool pids_stat)
{
	struct bomb_report r;
	struct vjail_stats st = { .size = sizeof(st) };
	pid_t pids[256], host;
	int n, status;

	supervise(j, fork_bomb, c);
	chan_outside(c);
	ck_assert_int_eq(read(c->up[0], &r, sizeof(r)), sizeof(r));
	ck_assert_msg(r.eagain > 0, "no fork was refused (%d forks)", r.forks);
	ck_assert_int_eq(vjail_stats(j, &st), 0);
	ck_assert(st.valid & VJAIL_STAT_PROCESSES);
	if (pids_stat)
		ck_assert_uint_le(st.processes, 64);
	/* The host stays responsive: we can still fork. */
	host = fork();
	if (host == 0)
		_exit(7);
	ck_assert_int_gt(host, 0);
	ck_assert_int_eq(waitpid(host, &status, 0), host);
	ck_assert_int_eq(WEXITSTATUS(status), 7);
	n = jail_pids(pids, 256);
	ck_assert_int_ge(n, 10); /* the bomb really went off */
	ck_assert_int_le(n, 64);
	ck_assert_int_eq(write(c->down[1], "g", 1), 1);
	ck_assert_int_eq(wait_exit(j), 0);
	/* Every process of the jail is gone, and so is its cgroup. */
	for (int i = 0; i < n; i++)
		ck_assert_msg(kill(pids[i], 0) == -1 && errno == ESRCH,
			      "jail process %d survived", (int)pids[i]);
	assert_no_jail_cgroups();
	vjail_destroy(j);
}

START_TEST(pids_limit_contains_a_fork_bomb)
{
	struct vjail *j = new_jail(0);
	struct chan c;

	limit(j, VJAIL_LIMIT_PIDS, 64);
	chan_open(j, &c);
	bomb_and_check(j, &c, true);
}
END_TEST

/* Without a pid namespace the test process itself becomes the jail and
 * moves into the jail's cgroup: it and its children count. */
START_TEST(in_place_jail_is_bounded_too)
{
	struct vjail *j;
	pid_t kids[16];
	int n = 0;

	ck_assert_int_eq(vjail_create(&j, root, 0), 0);
	ck_assert_int_eq(vjail_namespaces(j, TEST_NS & ~VJAIL_NS_PID), 0);
	if (geteuid() == 0)
		ck_assert_int_eq(vjail_cgroup_parent(j, deleg), 0);
	vj_test_keep_harness_fds(j);
	limit(j, VJAIL_LIMIT_PIDS, 8);
	ck_assert_msg(vjail_enter(j, 0) == 0, "%s", vjail_strerror(j));
	ck_assert(vjail_enforced(j) & VJAIL_FEAT_CGROUP_PIDS);
	while (n < 16) {
		pid_t p = fork();

		if (p == 0) {
			pause();
			_exit(0);
		}
		if (p < 0)
			break;
		kids[n++] = p;
	}
	ck_assert_int_eq(errno, EAGAIN);
	for (int i = 0; i < n; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
	ck_assert_int_eq(n, 7); /* 8 with this process */
}
END_TEST

START_TEST(nproc_limit_contains_a_fork_bomb)
{
	/* RLIMIT_NPROC alone: counted per uid in the jail's own user
	 * namespace, so it bounds the jail for root and nobody alike. */
	struct vjail *j = new_jail(0);
	struct chan c;

	if (geteuid() == 0) /* never bounds uid 0 (see the next test) */
		ck_assert_int_eq(vjail_set_user(j, 65534, 65534), 0);
	ck_assert_int_eq(vjail_limit(j, VJAIL_LIMIT_NPROC, 64, 64), 0);
	chan_open(j, &c);
	bomb_and_check(j, &c, false);
}
END_TEST

START_TEST(nproc_for_uid_0_is_refused)
{
	struct vjail *j;

	if (geteuid() != 0)
		return; /* nobody cannot run a jail as uid 0 */
	ck_assert_int_eq(vjail_create(&j, root, 0), 0);
	ck_assert_int_eq(vjail_namespaces(j, TEST_NS), 0);
	ck_assert_int_eq(vjail_limit(j, VJAIL_LIMIT_NPROC, 64, 64), 0);
	ck_assert_fails(j, vjail_enter(j, 0), EOPNOTSUPP, "RLIMIT_NPROC");
	vjail_destroy(j);
}
END_TEST

/* ---- memory -------------------------------------------------------------- */

/* A child touches memory 1 MiB at a time, up to 256 MiB. Main reports how
 * it ended: killed (the OOM killer) or exit 2 (malloc failed). */
static int memory_hog(void *arg)
{
	struct chan *c = arg;
	int status = -1;
	pid_t p = fork();

	if (p == 0) {
		for (int i = 0; i < 256; i++) {
			char *m = malloc(1 << 20);

			if (m == NULL)
				_exit(2);
			memset(m, i + 1, 1 << 20);
		}
		_exit(0); /* got it all: the limit failed */
	}
	if (p > 0)
		waitpid(p, &status, 0);
	(void)!write(c->up[1], &status, sizeof(status));
	wait_go(c);
	return 0;
}

START_TEST(memory_hog_is_stopped_and_peak_reported)
{
	struct vjail *j = new_jail(0);
	struct vjail_stats st = { .size = sizeof(st) };
	struct chan c;
	int status;

	limit(j, VJAIL_LIMIT_MEMORY, 64 << 20);
	limit(j, VJAIL_LIMIT_MEMORY_SWAP, 0); /* no swapping instead */
	chan_open(j, &c);
	supervise(j, memory_hog, &c);
	chan_outside(&c);
	ck_assert_int_eq(read(c.up[0], &status, sizeof(status)),
			 sizeof(status));
	ck_assert_msg((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) ||
			      (WIFEXITED(status) && WEXITSTATUS(status) == 2),
		      "hog status %#x", status);
	ck_assert_int_eq(vjail_stats(j, &st), 0);
	ck_assert(st.valid & VJAIL_STAT_MEMORY_PEAK);
	ck_assert_msg(st.memory_peak >= (48 << 20) &&
			      st.memory_peak <= (64 << 20),
		      "peak %llu", (unsigned long long)st.memory_peak);
	ck_assert_int_eq(write(c.down[1], "g", 1), 1);
	ck_assert_int_eq(wait_exit(j), 0);
	/* After the end, the final figures stay readable. */
	st = (struct vjail_stats){ .size = sizeof(st) };
	ck_assert_int_eq(vjail_stats(j, &st), 0);
	ck_assert(st.valid & VJAIL_STAT_MEMORY_PEAK);
	ck_assert_uint_ge(st.memory_peak, 48 << 20);
	assert_no_jail_cgroups();
	vjail_destroy(j);
}
END_TEST

/* ---- CPU ----------------------------------------------------------------- */

struct spin_arg {
	struct chan *c;
	double seconds;
};

/* Wait for "go", spin for @seconds of wall time, report the CPU time
 * used in per-mille of that wall time. */
static int spin(void *arg)
{
	struct spin_arg *a = arg;
	double t0, c0, end;
	int permille;

	wait_go(a->c);
	t0 = now(CLOCK_MONOTONIC);
	c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	end = t0 + a->seconds;
	while (now(CLOCK_MONOTONIC) < end)
		;
	permille = (int)(1000 * (now(CLOCK_PROCESS_CPUTIME_ID) - c0) /
			 (now(CLOCK_MONOTONIC) - t0));
	(void)!write(a->c->up[1], &permille, sizeof(permille));
	return 0;
}

START_TEST(cpu_max_caps_a_busy_loop)
{
	struct vjail *j = new_jail(0);
	struct vjail_stats st = { .size = sizeof(st) };
	struct chan c;
	struct spin_arg a = { &c, 2.0 };
	int permille;
	double t0;

	limit(j, VJAIL_LIMIT_CPU_MAX, 200); /* 20% of one CPU */
	chan_open(j, &c);
	supervise(j, spin, &a);
	chan_outside(&c);
	t0 = now(CLOCK_MONOTONIC);
	ck_assert_int_eq(write(c.down[1], "g", 1), 1);
	ck_assert_int_eq(read(c.up[0], &permille, sizeof(permille)),
			 sizeof(permille));
	/* The jail's own account, and the cgroup's, agree: 20% +- 10. */
	ck_assert_msg(permille >= 100 && permille <= 300,
		      "busy loop got %d per-mille of a CPU", permille);
	ck_assert_int_eq(vjail_stats(j, &st), 0);
	ck_assert(st.valid & VJAIL_STAT_CPU);
	{
		double used = (double)(st.cpu_user_us + st.cpu_system_us) /
			      1e6;
		double wall = now(CLOCK_MONOTONIC) - t0;

		ck_assert_msg(used / wall >= 0.10 && used / wall <= 0.30,
			      "cgroup counted %.2f s of CPU in %.2f s", used,
			      wall);
		fprintf(stderr, "cpu-max 200: %d per-mille inside, "
			"%.0f per-mille by the cgroup\n", permille,
			1000 * used / wall);
	}
	ck_assert_int_eq(wait_exit(j), 0);
	assert_no_jail_cgroups();
	vjail_destroy(j);
}
END_TEST

START_TEST(cpu_weights_split_one_to_four)
{
	struct vjail *j[2];
	struct chan c[2];
	struct spin_arg a[2] = { { &c[0], 2.0 }, { &c[1], 2.0 } };
	int permille[2];
	cpu_set_t one;
	double ratio;

	/* Both on one CPU: they contend with each other, whatever else
	 * runs on the machine. */
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() >= 0 ? sched_getcpu() : 0, &one);
	ck_assert_int_eq(sched_setaffinity(0, sizeof(one), &one), 0);
	for (int i = 0; i < 2; i++) {
		j[i] = new_jail(0);
		limit(j[i], VJAIL_LIMIT_CPU_WEIGHT, i == 0 ? 100 : 400);
		chan_open(j[i], &c[i]);
		supervise(j[i], spin, &a[i]);
		chan_outside(&c[i]);
	}
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(write(c[i].down[1], "g", 1), 1);
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(read(c[i].up[0], &permille[i],
				      sizeof(permille[i])),
				 sizeof(permille[i]));
	ratio = (double)permille[1] / (permille[0] > 0 ? permille[0] : 1);
	fprintf(stderr, "weights 100:400 on one CPU: %d:%d per-mille, "
		"ratio %.2f\n", permille[0], permille[1], ratio);
	ck_assert_msg(ratio >= 3.0 && ratio <= 5.3,
		      "weights 100:400 gave %d:%d per-mille", permille[0],
		      permille[1]);
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(wait_exit(j[i]), 0);
		vjail_destroy(j[i]);
	}
	assert_no_jail_cgroups();
}
END_TEST

/* ---- rlimits ------------------------------------------------------------- */

/* Open until EMFILE: exactly descriptors 0..15 are then in use. */
static int fill_fds(void *arg)
{
	int fd;

	(void)arg;
	while ((fd = open("/inside.txt", O_RDONLY)) >= 0)
		;
	if (errno != EMFILE)
		return 2;
	for (int i = 0; i < 16; i++)
		if (fcntl(i, F_GETFD) < 0)
			return 3;
	return fcntl(16, F_GETFD) < 0 && errno == EBADF ? 0 : 4;
}

START_TEST(nofile_limit_is_hit_exactly)
{
	struct vjail *j = new_jail(0);

	limit(j, VJAIL_LIMIT_NOFILE, 16);
	supervise(j, fill_fds, NULL);
	ck_assert_int_eq(wait_exit(j), 0);
	vjail_destroy(j);
}
END_TEST

/* Write one byte at a time until EFBIG: the file then holds the limit. */
static int fill_file(void *arg)
{
	static char block[4096];
	struct stat st;
	int fd;
	ssize_t n;

	(void)arg;
	signal(SIGXFSZ, SIG_IGN); /* EFBIG instead of a core dump */
	fd = open("/tmp/big", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return 2;
	while ((n = write(fd, block, sizeof(block))) == sizeof(block))
		;
	if (n != 100000 % 4096) /* the partial write up to the limit */
		return 3;
	if (write(fd, block, 1) != -1 || errno != EFBIG)
		return 4;
	if (fstat(fd, &st) != 0 || st.st_size != 100000)
		return 5;
	return 0;
}

START_TEST(fsize_limit_is_hit_exactly)
{
	struct vjail *j = new_jail(0);

	limit(j, VJAIL_LIMIT_FSIZE, 100000);
	ck_assert_int_eq(vjail_tmpfs(j, "/tmp", 1 << 20), 0);
	supervise(j, fill_file, NULL);
	ck_assert_int_eq(wait_exit(j), 0);
	vjail_destroy(j);
}
END_TEST

/* ---- I/O ----------------------------------------------------------------- */

struct disk_arg {
	struct chan *c;
	int fd; /* the disk, opened O_DIRECT before enter */
};

/* Read 2 MiB of the disk with O_DIRECT (past the page cache, so that the
 * block layer sees every byte); report the wall time in ms. */
static int read_disk(void *arg)
{
	struct chan *c = ((struct disk_arg *)arg)->c;
	int fd = ((struct disk_arg *)arg)->fd;
	void *buf = NULL;
	double t0 = now(CLOCK_MONOTONIC);
	int ms;

	if (fd < 0 || posix_memalign(&buf, 4096, 128 << 10) != 0)
		return 2;
	for (int i = 0; i < 16; i++)
		if (pread(fd, buf, 128 << 10, (off_t)i * (128 << 10)) !=
		    128 << 10)
			return 3;
	ms = (int)(1000 * (now(CLOCK_MONOTONIC) - t0));
	(void)!write(c->up[1], &ms, sizeof(ms));
	return 0;
}

/* A loop device over a 4 MiB file, read by a jail whose read rate is
 * capped at 1 MiB/s on every disk: 2 MiB take about 2 s. Root only (a
 * loop device needs it). The jail gets the disk as a kept fd. */
START_TEST(io_read_limit_throttles_direct_reads)
{
	char img[] = "/tmp/vjail-disk-XXXXXX", dev[64] = "", cmd[256];
	struct vjail *j;
	struct chan c;
	struct disk_arg a = { &c, -1 };
	FILE *p;
	int fd, ms;

	if (geteuid() != 0)
		return; /* losetup needs root */
	fd = mkstemp(img);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, 4 << 20), 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "losetup --find --show %s", img);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(dev, sizeof(dev), p));
	pclose(p);
	dev[strcspn(dev, "\n")] = '\0';
	unlink(img);
	j = new_jail(0);
	a.fd = open(dev, O_RDONLY | O_DIRECT | O_CLOEXEC);
	ck_assert_int_ge(a.fd, 0);
	ck_assert_int_eq(vjail_keep_fd(j, a.fd, VJAIL_KEEP_FD_UNSAFE), 0);
	limit(j, VJAIL_LIMIT_IO_READ_BPS, 1 << 20);
	chan_open(j, &c);
	supervise(j, read_disk, &a);
	chan_outside(&c);
	ms = -1;
	(void)!read(c.up[0], &ms, sizeof(ms));
	close(a.fd);
	snprintf(cmd, sizeof(cmd), "losetup -d %s", dev);
	(void)!system(cmd);
	fprintf(stderr, "io-read-bps 1 MiB/s: 2 MiB read in %d ms\n", ms);
	ck_assert_int_eq(wait_exit(j), 0);
	ck_assert_int_ge(ms, 1500);
	ck_assert_int_le(ms, 4000);
	vjail_destroy(j);
}
END_TEST

/* ---- IPC namespace sysctls ----------------------------------------------- */

static int try_ipc(void *arg)
{
	char msg[sizeof(long) + 2048] = { 0 };

	(void)arg;
	/* shmmax 1 MiB: 2 MiB refused, 512 KiB fine. */
	if (shmget(IPC_PRIVATE, 2 << 20, IPC_CREAT | 0600) != -1 ||
	    errno != EINVAL)
		return 2;
	if (shmget(IPC_PRIVATE, 512 << 10, IPC_CREAT | 0600) < 0)
		return 3;
	/* semmsl 10: a set of 11 refused. */
	if (semget(IPC_PRIVATE, 11, IPC_CREAT | 0600) != -1 || errno != EINVAL)
		return 4;
	if (semget(IPC_PRIVATE, 10, IPC_CREAT | 0600) < 0)
		return 5;
	/* msgmax 1024: a 2048-byte message refused, 1024 fine. */
	{
		int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);

		*(long *)msg = 1;
		if (q < 0)
			return 6;
		if (msgsnd(q, msg, 2048, IPC_NOWAIT) != -1 || errno != EINVAL)
			return 7;
		if (msgsnd(q, msg, 1024, IPC_NOWAIT) != 0)
			return 8;
	}
	return 0;
}

START_TEST(ipc_limits_bound_sysv_ipc)
{
	struct vjail *j = new_jail(0);

	limit(j, VJAIL_LIMIT_SHMMAX, 1 << 20);
	limit(j, VJAIL_LIMIT_SEMMSL, 10);
	limit(j, VJAIL_LIMIT_MSGMAX, 1024);
	if (geteuid() != 0) {
		/* Only uid 0 of the namespace's owner may write them. */
		ck_assert_fails(j, vjail_enter(j, 0), EPERM, "unprivileged");
		vjail_destroy(j);
		return;
	}
	supervise(j, try_ipc, NULL);
	ck_assert_int_eq(wait_exit(j), 0);
	vjail_destroy(j);
}
END_TEST

/* ---- the cgroup ---------------------------------------------------------- */

/* /proc/self/cgroup inside: every hierarchy at "/" (cgroup namespace). */
static int cgroup_view(void *arg)
{
	char line[512];
	FILE *f = fopen("/proc/self/cgroup", "re");
	int n = 0;

	(void)arg;
	if (f == NULL)
		return 2;
	while (fgets(line, sizeof(line), f) != NULL) {
		n++;
		if (strcmp(strrchr(line, ':'), ":/\n") != 0)
			return 3;
	}
	fclose(f);
	return n > 0 ? 0 : 4;
}

START_TEST(cgroup_namespace_hides_the_host_hierarchy)
{
	struct vjail *j = new_jail(0);

	limit(j, VJAIL_LIMIT_PIDS, 64);
	supervise(j, cgroup_view, NULL);
	ck_assert_int_eq(wait_exit(j), 0);
	vjail_destroy(j);
}
END_TEST

static int wait_for_go(void *arg)
{
	wait_go(arg);
	return 0;
}

/* With the default parent (our own cgroup), as root: one jail cgroup per
 * hierarchy while it runs, none after. */
START_TEST(cgroup_is_made_in_own_cgroup_and_removed)
{
	struct vjail *j;
	struct chan c;
	int found = 0;

	if (geteuid() != 0)
		return; /* nobody may not write its own cgroup here */
	ck_assert_int_eq(vjail_create(&j, root, 0), 0);
	ck_assert_int_eq(vjail_namespaces(j, TEST_NS), 0);
	vj_test_keep_harness_fds(j);
	limit(j, VJAIL_LIMIT_PIDS, 64);
	limit(j, VJAIL_LIMIT_MEMORY, 256 << 20);
	chan_open(j, &c);
	supervise(j, wait_for_go, &c);
	chan_outside(&c);
	for (size_t i = 0; i < NHIER; i++) {
		char want[64], one[1400] = "";

		if (!own_dir[i][0])
			continue;
		snprintf(want, sizeof(want), "vjail-%d-", getpid());
		found += count_jail_dirs_of(own_dir[i], want, one,
					    sizeof(one));
	}
	ck_assert_int_ge(found, 2); /* at least memory and pids */
	ck_assert(vjail_enforced(j) & VJAIL_FEAT_CGROUP_PIDS);
	ck_assert(vjail_enforced(j) & VJAIL_FEAT_CGROUP_MEMORY);
	ck_assert_int_eq(write(c.down[1], "g", 1), 1);
	ck_assert_int_eq(wait_exit(j), 0);
	for (size_t i = 0; i < NHIER; i++) {
		char want[64], one[1400] = "";

		if (!own_dir[i][0])
			continue;
		snprintf(want, sizeof(want), "vjail-%d-", getpid());
		ck_assert_msg(count_jail_dirs_of(own_dir[i], want, one,
						 sizeof(one)) == 0,
			      "left: %s", one);
	}
	vjail_destroy(j);
}
END_TEST

START_TEST(cgroup_limit_without_a_writable_cgroup_fails_clearly)
{
	struct vjail *j;

	ck_assert_int_eq(vjail_create(&j, root, 0), 0);
	ck_assert_int_eq(vjail_namespaces(j, TEST_NS), 0);
	limit(j, VJAIL_LIMIT_PIDS, 64);
	if (geteuid() == 0) {
		ck_assert_int_eq(vjail_cgroup_parent(j, "no-such-parent"), 0);
		ck_assert_fails(j, vjail_enter(j, 0), ENOENT,
				"no such parent cgroup");
	} else { /* the top of the hierarchy: not delegated to us */
		ck_assert_int_eq(vjail_cgroup_parent(j, "/sys/fs/cgroup/pids"),
				 0);
		ck_assert_fails(j, vjail_enter(j, 0), EACCES, "delegated");
	}
	vjail_destroy(j);
}
END_TEST

START_TEST(waived_cgroup_limit_is_reported_missing)
{
	struct vjail *j;

	if (geteuid() == 0)
		return; /* root can write every cgroup here */
	ck_assert_int_eq(vjail_create(&j, root, 0), 0);
	ck_assert_int_eq(vjail_namespaces(j, TEST_NS), 0);
	vj_test_keep_harness_fds(j);
	ck_assert_int_eq(vjail_cgroup_parent(j, "/sys/fs/cgroup/pids"), 0);
	limit(j, VJAIL_LIMIT_PIDS, 64);
	ck_assert_int_eq(vjail_waive(j, VJAIL_FEAT_CGROUP_PIDS), 0);
	ck_assert_int_eq(vjail_enter(j, 0), 0);
	ck_assert(!(vjail_enforced(j) & VJAIL_FEAT_CGROUP_PIDS));
}
END_TEST

/* ---- stats --------------------------------------------------------------- */

/* Open 5 sockets and push 10000 bytes over loopback, then wait. */
static int busy_with_sockets(void *arg)
{
	struct chan *c = arg;
	static char buf[10000];
	int sv[2], s[3];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return 2;
	for (int i = 0; i < 3; i++)
		s[i] = socket(AF_INET, SOCK_DGRAM, 0);
	{
		struct sockaddr_in a = { .sin_family = AF_INET,
					 .sin_addr.s_addr =
						 htonl(INADDR_LOOPBACK) };
		socklen_t len = sizeof(a);

		if (bind(s[0], (struct sockaddr *)&a, sizeof(a)) != 0 ||
		    getsockname(s[0], (struct sockaddr *)&a, &len) != 0 ||
		    sendto(s[1], buf, sizeof(buf), 0, (struct sockaddr *)&a,
			   len) != sizeof(buf))
			return 3;
	}
	(void)!write(c->up[1], "r", 1);
	wait_go(c);
	return 0;
}

START_TEST(stats_report_a_running_jail)
{
	struct vjail *j;
	struct vjail_stats st = { .size = sizeof(st) };
	struct chan c;
	char r;

	ck_assert_int_eq(vjail_create(&j, root, 0), 0);
	ck_assert_int_eq(vjail_namespaces(j, TEST_NS | VJAIL_NS_NET), 0);
	if (geteuid() == 0)
		ck_assert_int_eq(vjail_cgroup_parent(j, deleg), 0);
	vj_test_keep_harness_fds(j);
	chan_open(j, &c);
	supervise(j, busy_with_sockets, &c);
	chan_outside(&c);
	ck_assert_int_eq(read(c.up[0], &r, 1), 1);
	ck_assert_int_eq(vjail_stats(j, &st), 0);
	ck_assert_uint_eq(st.size, sizeof(st));
	ck_assert(st.valid & VJAIL_STAT_CPU);
	ck_assert(st.valid & VJAIL_STAT_MEMORY);
	ck_assert(st.valid & VJAIL_STAT_PROCESSES);
	ck_assert_uint_ge(st.processes, 2); /* init and main */
	ck_assert_uint_gt(st.memory_current, 0);
	ck_assert(st.valid & VJAIL_STAT_NET);
	ck_assert_uint_ge(st.net_rx_bytes, 10000);
	ck_assert_uint_ge(st.net_tx_bytes, 10000);
	fprintf(stderr, "stats as uid %d: valid %#x, %llu processes, %llu fds, "
		"%llu sockets, rx %llu tx %llu bytes\n", (int)geteuid(),
		st.valid, (unsigned long long)st.processes,
		(unsigned long long)st.open_fds,
		(unsigned long long)st.sockets,
		(unsigned long long)st.net_rx_bytes,
		(unsigned long long)st.net_tx_bytes);
	if (geteuid() == 0) /* CAP_SYS_PTRACE: the jail is not dumpable */
		ck_assert(st.valid & VJAIL_STAT_FDS);
	if (st.valid & VJAIL_STAT_FDS) {
		ck_assert_uint_ge(st.sockets, 5);
		ck_assert_uint_ge(st.open_fds, st.sockets + 3);
	}
	/* An older caller's smaller struct: nothing written past it. */
	{
		struct vjail_stats small;
		unsigned char *bytes = (unsigned char *)&small;
		uint32_t size = offsetof(struct vjail_stats, memory_current);

		memset(&small, 0xee, sizeof(small));
		small.size = size;
		ck_assert_int_eq(vjail_stats(j, &small), 0);
		ck_assert_uint_eq(small.valid & ~VJAIL_STAT_CPU, 0);
		for (size_t i = size; i < sizeof(small); i++)
			ck_assert_uint_eq(bytes[i], 0xee);
	}
	ck_assert_int_eq(write(c.down[1], "g", 1), 1);
	ck_assert_int_eq(wait_exit(j), 0);
	vjail_destroy(j);
}
END_TEST

/* The jail cgroups of this process below the delegated parent. */
static int own_jail_cgroups(char *one, size_t size)
{
	char want[64];
	int found = 0;

	snprintf(want, sizeof(want), "vjail-%d-", getpid());
	for (size_t i = 0; i < NHIER; i++)
		if (deleg_dir[i][0])
			found += count_jail_dirs_of(deleg_dir[i], want, one,
						    size);
	return found;
}

static int report_and_wait(void *arg)
{
	struct chan *c = arg;

	if (write(c->up[1], "r", 1) != 1)
		return 3;
	wait_go(c);
	return 0;
}

/* One supervised jail: how many jail cgroups it has while it runs (main
 * reported in), and its stats then. */
static int cgroups_of_a_jail(unsigned int flags, struct vjail_stats *st)
{
	struct vjail *j = new_jail(flags);
	struct chan c;
	char one[1400] = "", r;
	int found;

	chan_open(j, &c);
	supervise(j, report_and_wait, &c);
	chan_outside(&c);
	ck_assert_int_eq(read(c.up[0], &r, 1), 1);
	found = own_jail_cgroups(one, sizeof(one));
	ck_assert_int_eq(vjail_stats(j, st), 0);
	ck_assert_int_eq(write(c.down[1], "g", 1), 1);
	ck_assert_int_eq(wait_exit(j), 0);
	vjail_destroy(j);
	return found;
}

/* A jail whose stats nobody reads needs no cgroup (each move into one
 * waits for an RCU grace period): none is made, and the stats say what is
 * missing. Its twin without the flag shows the count can be seen. */
START_TEST(no_accounting_makes_no_cgroup)
{
	struct vjail_stats with = { .size = sizeof(with) };
	struct vjail_stats without = { .size = sizeof(without) };

	ck_assert_int_ge(cgroups_of_a_jail(0, &with), 1);
	ck_assert(with.valid & VJAIL_STAT_CPU);
	ck_assert_uint_ge(with.processes, 2);
	ck_assert_int_eq(
		cgroups_of_a_jail(VJAIL_CREATE_NO_ACCOUNTING, &without), 0);
	ck_assert(!(without.valid & (VJAIL_STAT_CPU | VJAIL_STAT_MEMORY)));
	ck_assert(without.valid & VJAIL_STAT_PROCESSES);
	ck_assert_uint_ge(without.processes, 2); /* init and main */
	assert_no_jail_cgroups();
}
END_TEST

/* ---- bad input ----------------------------------------------------------- */

START_TEST(absurd_limits_are_refused)
{
	struct vjail *j;

	ck_assert_int_eq(vjail_create(&j, root, 0), 0);
	ck_assert_fails(j, vjail_limit(j, 999, 1, 1), EINVAL, "unknown");
	ck_assert_fails(j, vjail_limit(j, VJAIL_LIMIT_MEMORY, (uint64_t)-5,
				       (uint64_t)-5),
			EINVAL, "out of range");
	ck_assert_fails(j, vjail_limit(j, VJAIL_LIMIT_CPU_MAX, 0, 0), EINVAL,
			"out of range");
	ck_assert_fails(j, vjail_limit(j, VJAIL_LIMIT_AS, 4096, 4096), EINVAL,
			"out of range");
	/* Above fs.nr_open: the kernel would refuse it at enter. */
	ck_assert_int_eq(vjail_limit(j, VJAIL_LIMIT_NOFILE, 64, 1 << 29), 0);
	ck_assert_fails(j, vjail_enter(j, 0), EINVAL, "nr_open");
	vjail_destroy(j);
}
END_TEST

START_TEST(swap_limit_needs_memory_limit_on_v1)
{
	struct vjail *j = new_jail(0);
	char dir[4096];

	if (vj_cgroup_dir("memory", dir, sizeof(dir)) != VJ_CG_V1)
		return; /* v2 has memory.swap.max of its own */
	limit(j, VJAIL_LIMIT_MEMORY_SWAP, 0);
	ck_assert_fails(j, vjail_enter(j, 0), EINVAL, "memory plus swap");
	assert_no_jail_cgroups(); /* prepare undid its cgroup */
	vjail_destroy(j);
}
END_TEST

static void add_tests(TCase *tc)
{
	tcase_add_test(tc, pids_limit_contains_a_fork_bomb);
	tcase_add_test(tc, nproc_limit_contains_a_fork_bomb);
	tcase_add_test(tc, nproc_for_uid_0_is_refused);
	tcase_add_test(tc, memory_hog_is_stopped_and_peak_reported);
	tcase_add_test(tc, cpu_max_caps_a_busy_loop);
	tcase_add_test(tc, cpu_weights_split_one_to_four);
	tcase_add_test(tc, nofile_limit_is_hit_exactly);
	tcase_add_test(tc, fsize_limit_is_hit_exactly);
	tcase_add_test(tc, io_read_limit_throttles_direct_reads);
	tcase_add_test(tc, ipc_limits_bound_sysv_ipc);
	tcase_add_test(tc, cgroup_namespace_hides_the_host_hierarchy);
	tcase_add_test(tc, cgroup_is_made_in_own_cgroup_and_removed);
	tcase_add_test(tc,
		       cgroup_limit_without_a_writable_cgroup_fails_clearly);
	tcase_add_test(tc, waived_cgroup_limit_is_reported_missing);
	tcase_add_test(tc, stats_report_a_running_jail);
	tcase_add_test(tc, no_accounting_makes_no_cgroup);
	tcase_add_test(tc, absurd_limits_are_refused);
	tcase_add_test(tc, swap_limit_needs_memory_limit_on_v1);
	/* Last: its cgroup stays until the teardown removes it. */
	tcase_add_test(tc, in_place_jail_is_bounded_too);
}

int main(void)
{
	Suite *s = suite_create("limits");
	TCase *as_root = tcase_create("root");
	TCase *unpriv = tcase_create("nobody");

	tcase_add_unchecked_fixture(as_root, make_world, remove_world);
	tcase_add_unchecked_fixture(unpriv, make_world, remove_world);
	tcase_add_checked_fixture(as_root, sweep_dead_jails, NULL);
	tcase_add_checked_fixture(unpriv, as_nobody, NULL);
	tcase_set_timeout(as_root, 30);
	tcase_set_timeout(unpriv, 30);
	add_tests(as_root);
	add_tests(unpriv);
	suite_add_tcase(s, as_root);
	suite_add_tcase(s, unpriv);
	return vj_test_run(s);
}
