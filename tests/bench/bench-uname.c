/* tests/bench/bench-uname.c - what the virtual uname costs per call.
 *
 * uname(2) is timed in six places, each as the median of ROUNDS rounds:
 *   outside        the C library's uname(); a static program's own
 *                  syscall instruction (vjail-idprobe bench)
 *   entering       the process that called vjail_enter(): with a virtual
 *                  uname its C library's call traps to the SIGSYS handler;
 *                  without one, the daemon profile lets it through
 *   exec'd         vjail-idprobe in a spawned jail: with a virtual uname
 *                  the library's init answers through seccomp user
 *                  notification (two context switches and a
 *                  process_vm_writev); without one, the daemon profile
 * The jails are the library's defaults with a tmpfs root holding only
 * the build's tests directory, for vjail-idprobe. Run as root or not; exit status 0 either way: a
 * benchmark informs, the test suite decides.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vjail.h"

#define ROUNDS 11
#define CALLS_FAST 200000 /* per round, plain and trapped calls */
#define CALLS_SLOW 20000  /* per round, calls answered by init */

static void die(const char *what, const char *why)
{
	fprintf(stderr, "bench-uname: %s: %s\n", what, why);
	exit(1);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(v[0]), by_value);
	return v[n / 2];
}

/* ns per call of the C library's uname(), @calls times. */
static double time_libc(long calls)
{
	struct utsname u;
	double t0 = now();

	for (long i = 0; i < calls; i++)
		if (uname(&u) != 0)
			die("uname", strerror(errno));
	return (now() - t0) / (double)calls;
}

static struct vjail *new_jail(bool virt)
{
	struct vjail *j;

	if (vjail_create(&j, NULL, 0) != 0)
		die("vjail_create", "failed");
	/* The directory: Landlock refuses directory rights on a file bind
	 * (landlock.c; reported). */
	if (vjail_bind(j, VJ_IDPROBE_DIR, "/t", 0) != 0 ||
	    (virt && vjail_set_uname(j, "2.6.22-vs2.2", "#1", "i686") != 0))
		die("settings", vjail_strerror(j));
	return j;
}

/* Rounds of the C library's uname() in a process that entered a jail. */
static double entering(bool virt)
{
	double v[ROUNDS];
	int p[2], status;
	pid_t pid;

	if (pipe(p) != 0)
		die("pipe", strerror(errno));
	pid = fork();
	if (pid == 0) {
		struct vjail *j = new_jail(virt);
		int rc;

		close(p[0]);
		vjail_keep_fd(j, p[1], 0);
		rc = vjail_enter(j, 0);
		if (rc != 0)
			die("vjail_enter", vjail_strerror(j));
		time_libc(CALLS_FAST / 10); /* warm up */
		for (int r = 0; r < ROUNDS; r++)
			v[r] = time_libc(CALLS_FAST);
		_exit(write(p[1], v, sizeof(v)) == sizeof(v) ? 0 : 1);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], v, sizeof(v)) != sizeof(v))
		die("entered jail", "no result");
	close(p[0]);
	waitpid(pid, &status, 0);
	return median(v, ROUNDS);
}

/* "ns_per_call X" of vjail-idprobe bench @calls, run by @j (NULL: here). */
static double idprobe(struct vjail *j, long calls)
{
	char n[24], out[128] = "";
	char *argv[] = { (char *)(j ? "/t/" VJ_IDPROBE_NAME : VJ_IDPROBE),
			 (char *)"bench", n, NULL };
	int p[2], saved = dup(1), status;
	const char *hit;
	pid_t pid;
	ssize_t len;

	snprintf(n, sizeof(n), "%ld", calls);
	if (pipe(p) != 0)
		die("pipe", strerror(errno));
	dup2(p[1], 1);
	close(p[1]);
	if (j != NULL) {
		if (vjail_spawn(j, argv, NULL, &pid) != 0)
			die("vjail_spawn", vjail_strerror(j));
	} else if ((pid = fork()) == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	dup2(saved, 1);
	close(saved);
	len = read(p[0], out, sizeof(out) - 1);
	close(p[0]);
	if (j != NULL)
		vjail_wait(j, &status);
	else
		waitpid(pid, &status, 0);
	hit = len > 0 ? strstr(out, "ns_per_call ") : NULL;
	if (hit == NULL)
		die(argv[0], "no result");
	return atof(hit + strlen("ns_per_call "));
}

static double exec_rounds(bool in_jail, bool virt, long calls)
{
	double v[ROUNDS];

	for (int r = 0; r < ROUNDS; r++) {
		struct vjail *j = in_jail ? new_jail(virt) : NULL;

		v[r] = idprobe(j, calls);
		vjail_destroy(j);
	}
	return median(v, ROUNDS);
}

static void row(const char *what, double ns, double base)
{
	printf("  %-44s %9.0f %8.1fx\n", what, ns, ns / base);
}

int main(void)
{
	double v[ROUNDS], libc, raw;

	if (!(vjail_features() & VJAIL_FEAT_UNAME))
		die("virtual uname", "not available on this system");
	time_libc(CALLS_FAST / 10);
	for (int r = 0; r < ROUNDS; r++)
		v[r] = time_libc(CALLS_FAST);
	libc = median(v, ROUNDS);
	raw = exec_rounds(false, false, CALLS_FAST);
	printf("bench-uname: ns per uname(2) call, median of %d rounds\n",
	       ROUNDS);
	printf("  %-44s %9s %9s\n", "", "ns/call", "vs libc");
	row("outside: C library uname()", libc, libc);
	row("outside: static program, raw syscall", raw, libc);
	row("entering process, no virtual uname", entering(false), libc);
	row("entering process, virtual (SIGSYS trap)", entering(true), libc);
	row("exec'd static program, no virtual uname",
	    exec_rounds(true, false, CALLS_FAST), libc);
	row("exec'd static program, virtual (init answers)",
	    exec_rounds(true, true, CALLS_SLOW), libc);
	return 0;
}
