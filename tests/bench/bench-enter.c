/* tests/bench/bench-enter.c - what entering a jail costs a process (bench
 * items 2 and 3), through the public API only.
 *
 *   bench-enter enter [-s N] [-o RESULTS]
 *     vjail_enter() with the default isolation (VJAIL_NS_DEFAULT, empty
 *     tmpfs root, daemon seccomp profile, Landlock), no exec: each sample
 *     is a fresh forked child that takes the time, calls vjail_create(),
 *     vjail_keep_fd() for its report pipe and vjail_enter(), and reports
 *     from inside (main, after the seccomp filter) how long that took.
 *     Samples with and without a network namespace alternate, so both see
 *     the same machine.
 *
 *   bench-enter bigspawn [-m MIB] [-s N] [-o RESULTS]
 *     vjail_spawn() of /bin/true, to its vjail_wait(), without and with
 *     the accounting cgroup (VJAIL_CREATE_NO_ACCOUNTING or not), from this process
 *     first as it is (small) and then with MIB (default 1024) of anonymous
 *     memory resident in small pages (MADV_NOHUGEPAGE: what a long-running
 *     daemon's heap looks like). posix_spawn() (CLONE_VM|CLONE_VFORK) and
 *     fork()+exec of the same /bin/true alternate with it, as references:
 *     a fork copies the page tables of every resident page, a vfork-style
 *     clone does not.
 *
 * Times are CLOCK_REALTIME (bench-util.h): the jail's time namespace moves
 * its monotonic clock, not this one.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vjail.h"
#include "bench-util.h"

extern char **environ;

/* ---- enter ----------------------------------------------------------------- */

/* One sample in a forked child; ms from before vjail_create() to main's
 * return from vjail_enter(). */
static double enter_once(uint64_t ns)
{
	uint64_t t0, dt = 0;
	int p[2], status;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0)
		bench_die("pipe2");
	pid = fork();
	if (pid < 0)
		bench_die("fork");
	if (pid == 0) {
		struct vjail *j;
		int rc;

		close(p[0]);
		t0 = bench_now_ns();
		rc = vjail_create(&j, NULL, 0);
		if (rc == 0)
			rc = vjail_namespaces(j, ns);
		if (rc == 0)
			rc = vjail_keep_fd(j, p[1], 0);
		if (rc == 0)
			rc = vjail_enter(j, 0);
		if (rc != 0) {
			fprintf(stderr, "bench-enter: enter: %d %s\n", rc,
				vjail_strerror(j));
			_exit(3);
		}
		dt = bench_now_ns() - t0;
		_exit(write(p[1], &dt, sizeof(dt)) == sizeof(dt) ? 0 : 4);
	}
	close(p[1]);
	if (read(p[0], &dt, sizeof(dt)) != sizeof(dt))
		dt = 0;
	close(p[0]);
	if (waitpid(pid, &status, 0) != pid || status != 0 || dt == 0)
		bench_die("enter sample failed (status %#x)", status);
	return (double)dt / 1e6;
}

static int do_enter(int samples, const char *out)
{
	double *with = calloc((size_t)samples, sizeof(double));
	double *without = calloc((size_t)samples, sizeof(double));
	double mw, mo;

	if (with == NULL || without == NULL)
		bench_die("calloc");
	for (int i = -5; i < samples; i++) {
		/* alternate which goes first */
		double a, b;

		if (i & 1) {
			a = enter_once(VJAIL_NS_DEFAULT | VJAIL_NS_NET);
			b = enter_once(VJAIL_NS_DEFAULT);
		} else {
			b = enter_once(VJAIL_NS_DEFAULT);
			a = enter_once(VJAIL_NS_DEFAULT | VJAIL_NS_NET);
		}
		if (i >= 0) {
			with[i] = a;
			without[i] = b;
		}
	}
	mw = bench_median(with, (size_t)samples);
	printf("  vjail_enter() default isolation + net ns: median %.3f ms, "
	       "p90 %.3f ms\n",
	       mw, bench_p90_sorted(with, (size_t)samples));
	mo = bench_median(without, (size_t)samples);
	printf("  vjail_enter() default isolation (no net): median %.3f ms, "
	       "p90 %.3f ms\n",
	       mo, bench_p90_sorted(without, (size_t)samples));
	printf("  (%d forked children each; time from vjail_create() to "
	       "vjail_enter() returning in main)\n",
	       samples);
	bench_result(out, "enter.net.ms", mw, "ms");
	bench_result(out, "enter.nonet.ms", mo, "ms");
	free(with);
	free(without);
	return 0;
}

/* ---- spawn from a big parent ----------------------------------------------- */

static char true_path[] = "/bin/true";
static char *true_argv[] = { true_path, NULL };

/* @flags 0: with the accounting cgroup that vjail_stats() reads;
 * VJAIL_CREATE_NO_ACCOUNTING: without, as vjail-run without --stats. */
static double spawn_vjail(unsigned int flags)
{
	static const char *const dirs[] = { "/bin", "/lib", "/lib64" };
	struct vjail *j;
	struct stat st;
	uint64_t t0;
	pid_t pid;
	int rc, status;

	t0 = bench_now_ns();
	rc = vjail_create(&j, NULL, flags);
	if (rc == 0)
		rc = vjail_bind(j, "/usr", "/usr", 0);
	for (size_t i = 0; rc == 0 && i < 3; i++)
		if (stat(dirs[i], &st) == 0)
			rc = vjail_bind(j, dirs[i], dirs[i], 0);
	if (rc == 0)
		rc = vjail_spawn(j, true_argv, NULL, &pid);
	if (rc == 0)
		rc = vjail_wait(j, &status);
	if (rc != 0 || status != 0)
		bench_die("vjail_spawn: %d status %#x %s", rc, status,
			  vjail_strerror(j));
	vjail_destroy(j);
	return (double)(bench_now_ns() - t0) / 1e6;
}

static double spawn_posix(void)
{
	uint64_t t0 = bench_now_ns();
	int status;
	pid_t pid;

	if (posix_spawn(&pid, true_argv[0], NULL, NULL, true_argv, environ) !=
		    0 ||
	    waitpid(pid, &status, 0) != pid || status != 0)
		bench_die("posix_spawn");
	return (double)(bench_now_ns() - t0) / 1e6;
}

static double spawn_fork(void)
{
	uint64_t t0 = bench_now_ns();
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execve(true_argv[0], true_argv, environ);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
		bench_die("fork+exec");
	return (double)(bench_now_ns() - t0) / 1e6;
}

static void spawn_round(int samples, const char *label, const char *key,
			const char *out)
{
	enum { N = 4 };
	double *v[N];
	static const char *const names[N] = { "vjail_spawn", "+accounting",
					      "posix_spawn", "fork+exec" };
	static const char *const keys[N] = { "vjail", "vjail_acct",
					     "posix_spawn", "fork" };
	char metric[96];

	for (int k = 0; k < N; k++)
		if ((v[k] = calloc((size_t)samples, sizeof(double))) == NULL)
			bench_die("calloc");
	for (int i = -3; i < samples; i++) {
		for (int k = 0; k < N; k++) {
			int which = (k + i + N) % N;
			double ms =
				which == 0   ? spawn_vjail(VJAIL_CREATE_NO_ACCOUNTING)
				: which == 1 ? spawn_vjail(0)
				: which == 2 ? spawn_posix()
					     : spawn_fork();

			if (i >= 0)
				v[which][i] = ms;
		}
	}
	for (int k = 0; k < N; k++) {
		double m = bench_median(v[k], (size_t)samples);

		printf("  %-10s parent: %-12s median %8.3f ms, p90 %8.3f ms\n",
		       label, names[k], m,
		       bench_p90_sorted(v[k], (size_t)samples));
		snprintf(metric, sizeof(metric), "bigspawn.%s.%s.ms", key,
			 keys[k]);
		bench_result(out, metric, m, "ms");
		free(v[k]);
	}
}

static long rss_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "re");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %ld", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static int do_bigspawn(int samples, long mib, const char *out)
{
	size_t size = (size_t)mib << 20;
	char *big;

	spawn_round(samples, "small", "small", out);
	big = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (big == MAP_FAILED)
		bench_die("mmap %ld MiB", mib);
	if (madvise(big, size, MADV_NOHUGEPAGE) != 0)
		bench_die("madvise");
	for (size_t off = 0; off < size; off += 4096)
		big[off] = 1; /* resident, one page at a time */
	printf("  big parent: %ld MiB resident (VmRSS %ld KiB), small pages\n",
	       mib, rss_kib());
	spawn_round(samples, "1 GiB", "big", out);
	munmap(big, size);
	return 0;
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	int samples = 0, opt;
	long mib = 1024;
	bool enter;

	if (argc < 2)
		bench_die("usage: bench-enter enter|bigspawn [-s N] [-m MIB] "
			  "[-o RESULTS]");
	enter = strcmp(argv[1], "enter") == 0;
	if (!enter && strcmp(argv[1], "bigspawn") != 0)
		bench_die("unknown mode %s", argv[1]);
	optind = 2;
	while ((opt = getopt(argc, argv, "s:m:o:")) != -1) {
		switch (opt) {
		case 's':
			samples = atoi(optarg);
			break;
		case 'm':
			mib = atol(optarg);
			break;
		case 'o':
			out = optarg;
			break;
		default:
			return 2;
		}
	}
	if (samples <= 0)
		samples = enter ? 201 : 41;
	return enter ? do_enter(samples, out) : do_bigspawn(samples, mib, out);
}
