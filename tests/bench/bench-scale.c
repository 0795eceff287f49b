/* tests/bench/bench-scale.c - many concurrent jails (bench item 5): for each
 * N, make N sleeping jails one after the other, then measure and end them.
 *
 * Per N and per tool:
 *   vjail      the vjail-spawn spawner: one outside process per jail, as
 *              a vjail-run command gives
 *   vjail-lib  the library's own use for many jails (a test harness, a
 *              daemon): one process linked with libvjail (this program,
 *              re-executed, see lib_child()) calls vjail_spawn() N times
 *              and keeps the N handles to vjail_wait() on; no process per
 *              jail outside, only the jail's pid 1
 *   bwrap      with the same namespaces: --unshare-all --share-net, a
 *              minimal root, /proc and /dev
 * and per row:
 *   creation   ms per jail: from posix_spawn(3) of the tool (vjail-lib:
 *              from the word go to the spawning process) to the jail's
 *              program saying it runs (a byte on a shared pipe, fd 3, from
 *              "sh -c 'echo >&3; exec sleep'"); the mean over the N
 *   memory     PSS (smaps_rollup) of the jail's own processes, i.e. not the
 *              program: vjail's spawner (the supervisor outside) and the
 *              library's init; bwrap's outer monitor and its pid 1;
 *              vjail-lib: the inits, and the spawning process's growth
 *              from before its first jail to after its last. Their sum
 *              over the N jails / N. Plus the kernel's side, which PSS
 *              does not show: the growth of Slab, KernelStack and
 *              PageTables in /proc/meminfo / N (machine-wide: other work on
 *              the machine adds noise to these)
 *   syscalls   with the N jails alive, bench-jail-syscalls (-s PATH) in one
 *              more jail: ratio of the jail's per-call cost to unconfined,
 *              paired as always (vjail only: the per-call cost in a bwrap
 *              sandbox is that of an unconfined process, it loads no filter)
 *
 * usage: bench-scale -S SPAWNER -R ROOT [-s SYSCALLS_BENCH] [-b] [-l]
 *                    [-n "1 10 100 1000"] [-o RESULTS]
 *   -b  also bwrap (from PATH)
 *   -l  also vjail-lib
 *
 * Ends every jail it made, with SIGKILL to its pid 1 and its outside
 * process, before the next N.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench-util.h"
#include "vjail.h"

#define MAX_N 4096
#define READY_MS 20000 /* a jail that takes longer is a failure */

extern char **environ;

enum tool { T_VJAIL, T_LIB, T_BWRAP };
static const char *const tool_name[] = { "vjail", "vjail-lib", "bwrap" };

struct jail {
	pid_t outer; /* our child: the spawner, bwrap's monitor, or (lib)
			the one spawning process of all N */
	pid_t init;  /* the jail's pid 1, as seen from here */
};

static struct jail jails[MAX_N];
static const char *spawner, *root, *sysbench, *out;
static int devnull;

static char sh_prog[] = "/bin/sh", sh_c[] = "-c",
	    sh_script[] = "echo >&3; exec sleep 100000";

static int build_argv(bool bwrap, char **argv)
{
	static const char *const bw[] = {
		"bwrap", "--unshare-all", "--share-net", "--die-with-parent",
		"--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin",
		"--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64",
		"/lib64", "--proc", "/proc", "--dev", "/dev", "--info-fd", "4",
	};
	int n = 0;

	if (bwrap) {
		for (size_t i = 0; i < sizeof(bw) / sizeof(bw[0]); i++)
			argv[n++] = (char *)bw[i];
	} else {
		argv[n++] = (char *)spawner;
		argv[n++] = (char *)"-r";
		argv[n++] = (char *)root;
		argv[n++] = (char *)"-k";
		argv[n++] = (char *)"3";
		argv[n++] = (char *)"-p";
		argv[n++] = (char *)"4";
	}
	argv[n++] = sh_prog;
	argv[n++] = sh_c;
	argv[n++] = sh_script;
	argv[n] = NULL;
	return n;
}

/* pid 1 of the jail from the report: "SPAWNER INIT" or bwrap's JSON. */
static pid_t parse_init(bool bwrap, int fd)
{
	char buf[512];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	int a, b;
	char *p;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (!bwrap)
		return sscanf(buf, "%d %d", &a, &b) == 2 ? b : -1;
	p = strstr(buf, "\"child-pid\":");
	return p ? atoi(p + 12) : -1;
}

static bool wait_ready(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;

	return poll(&p, 1, READY_MS) == 1 && read(fd, &c, 1) == 1;
}

static long pss_kib(pid_t pid, long *anon);

static double create(bool bwrap, int n, int ready_r, int ready_w)
{
	char *argv[40];
	uint64_t t0 = bench_now_ns();

	build_argv(bwrap, argv);
	for (int i = 0; i < n; i++) {
		posix_spawn_file_actions_t fa;
		int rep[2], rc;
		char bwpath[] = "/usr/bin/bwrap";

		if (pipe2(rep, O_CLOEXEC) != 0)
			bench_die("pipe2");
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_adddup2(&fa, devnull, 0);
		posix_spawn_file_actions_adddup2(&fa, devnull, 1);
		posix_spawn_file_actions_adddup2(&fa, ready_w, 3);
		posix_spawn_file_actions_adddup2(&fa, rep[1], 4);
		rc = posix_spawn(&jails[i].outer, bwrap ? bwpath : spawner,
				 &fa, NULL, argv, environ);
		posix_spawn_file_actions_destroy(&fa);
		close(rep[1]);
		if (rc != 0) {
			errno = rc;
			bench_die("spawn jail %d", i);
		}
		if (!wait_ready(ready_r))
			bench_die("jail %d (%s) not ready after %d ms", i,
				  bwrap ? "bwrap" : "vjail", READY_MS);
		jails[i].init = parse_init(bwrap, rep[0]);
		close(rep[0]);
		if (jails[i].init <= 0)
			bench_die("jail %d: no pid 1 reported", i);
	}
	return (double)(bench_now_ns() - t0) / 1e6 / n;
}

/*
 * vjail-lib: the spawning process, this program re-executed (a fresh
 * image, so that its memory shares nothing copy-on-write with ours and
 * its growth is its own). fd 0: the word go; 3: the ready pipe, kept in
 * every jail; 4: its report (a byte once it stands still, then each
 * jail's pid 1 as an int once the jail's program runs); 5: the ready
 * pipe's read end. The same jail as "vjail-spawn -r ROOT -k 3": every
 * namespace of VJAIL_NS_DEFAULT, no accounting cgroup, /usr bound. It
 * keeps the N handles, as a harness that vjail_wait()s on them would,
 * and lives until killed: its jails die with it (PR_SET_PDEATHSIG).
 */
static struct vjail *handles[MAX_N];

static int lib_child(const char *jail_root, int n)
{
	char *argv[] = { sh_prog, sh_c, sh_script, NULL };
	struct rlimit rl;
	char c;

	/* Each kept handle holds the read end of its jail's status pipe. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (n < 1 || n > MAX_N || write(4, "r", 1) != 1 ||
	    read(0, &c, 1) != 1)
		return 1;
	for (int i = 0; i < n; i++) {
		struct vjail *j;
		pid_t pid;
		int rc = vjail_create(&j, jail_root, VJAIL_CREATE_NO_ACCOUNTING);

		if (rc == 0 && (rc = vjail_namespaces(j, VJAIL_NS_DEFAULT)) == 0 &&
		    (rc = vjail_bind(j, "/usr", "/usr", 0)) == 0 &&
		    (rc = vjail_keep_fd(j, 3, 0)) == 0)
			rc = vjail_spawn(j, argv, NULL, &pid);
		if (rc < 0)
			bench_die("vjail-lib jail %d: %s (%d)", i,
				  j != NULL ? vjail_strerror(j) : "create", rc);
		handles[i] = j;
		if (!wait_ready(5))
			bench_die("vjail-lib jail %d not ready after %d ms", i,
				  READY_MS);
		if (write(4, &pid, sizeof(pid)) != sizeof(pid))
			return 1;
	}
	while (read(0, &c, 1) < 0 && errno == EINTR)
		;
	return 0;
}

/* All of an int from @fd within READY_MS. */
static bool read_pid(int fd, pid_t *pid)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, READY_MS) == 1 &&
	       read(fd, pid, sizeof(*pid)) == sizeof(*pid);
}

static int lib_go = -1; /* the spawning process waits on it till killed */

/* vjail-lib: start the spawning process, take its PSS (and anonymous
 * part) before its first jail into @base (@base_anon), then time the N. */
static double create_lib(int n, int ready_r, int ready_w, long *base,
			 long *base_anon)
{
	posix_spawn_file_actions_t fa;
	char nbuf[16], *argv[] = { (char *)"bench-scale", (char *)"--lib-child",
				   (char *)root, nbuf, NULL };
	static const int dst[5] = { 0, 1, 3, 4, 5 };
	int go[2], rep[2], src[5], rc;
	pid_t child, pid;
	uint64_t t0;

	snprintf(nbuf, sizeof(nbuf), "%d", n);
	if (pipe2(go, O_CLOEXEC) != 0 || pipe2(rep, O_CLOEXEC) != 0)
		bench_die("pipe2");
	src[0] = go[0];
	src[1] = devnull;
	src[2] = ready_w;
	src[3] = rep[1];
	src[4] = ready_r;
	/* The dup2s run in order: sources above the targets, so that none
	 * is overwritten before it is copied. */
	for (size_t i = 0; i < 5; i++)
		if ((src[i] = fcntl(src[i], F_DUPFD_CLOEXEC, 10)) < 0)
			bench_die("dup");
	posix_spawn_file_actions_init(&fa);
	for (int i = 0; i < 5; i++)
		posix_spawn_file_actions_adddup2(&fa, src[i], dst[i]);
	rc = posix_spawn(&child, "/proc/self/exe", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	for (size_t i = 0; i < 5; i++)
		close(src[i]);
	close(go[0]);
	close(rep[1]);
	if (rc != 0) {
		errno = rc;
		bench_die("spawn the vjail-lib process");
	}
	if (!wait_ready(rep[0]))
		bench_die("vjail-lib process not ready");
	*base = pss_kib(child, base_anon);
	t0 = bench_now_ns();
	if (write(go[1], "g", 1) != 1)
		bench_die("vjail-lib go");
	for (int i = 0; i < n; i++) {
		if (!read_pid(rep[0], &pid))
			bench_die("vjail-lib jail %d: no pid 1 reported", i);
		jails[i].outer = child;
		jails[i].init = pid;
	}
	t0 = bench_now_ns() - t0;
	close(rep[0]);
	lib_go = go[1];
	return (double)t0 / 1e6 / n;
}

/* Pss of @pid in KiB, or -1 if it is gone; its anonymous part in @anon. */
static long pss_kib(pid_t pid, long *anon)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	f = fopen(path, "re");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "Pss: %ld", &kib) == 1 ||
		    sscanf(line, "Pss_Anon: %ld", anon) == 1)
			continue;
	fclose(f);
	return kib;
}

/* Slab + KernelStack + PageTables, KiB. */
static long kernel_kib(void)
{
	char line[256];
	long v, sum = 0;
	FILE *f = fopen("/proc/meminfo", "re");

	if (f == NULL)
		bench_die("/proc/meminfo");
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "Slab: %ld", &v) == 1 ||
		    sscanf(line, "KernelStack: %ld", &v) == 1 ||
		    sscanf(line, "PageTables: %ld", &v) == 1)
			sum += v;
	fclose(f);
	return sum;
}

static void end_all(int n)
{
	for (int i = 0; i < n; i++) {
		kill(jails[i].init, SIGKILL);
		kill(jails[i].outer, SIGKILL);
	}
	/* vjail-lib: one outer for all, reaped once (then ECHILD). */
	for (int i = 0; i < n; i++)
		while (waitpid(jails[i].outer, NULL, 0) < 0 && errno == EINTR)
			;
	if (lib_go >= 0)
		close(lib_go);
	lib_go = -1;
}

static void run_syscalls(int n)
{
	char prefix[64], *argv[10];
	pid_t pid;
	int st, k = 0;

	snprintf(prefix, sizeof(prefix), "scale.vjail.%d.sys", n);
	argv[k++] = (char *)sysbench;
	argv[k++] = (char *)"-q";
	argv[k++] = (char *)"-r";
	argv[k++] = (char *)"15";
	argv[k++] = (char *)"-p";
	argv[k++] = prefix;
	if (out != NULL) {
		argv[k++] = (char *)"-o";
		argv[k++] = (char *)out;
	}
	argv[k] = NULL;
	if (posix_spawn(&pid, sysbench, NULL, NULL, argv, environ) != 0 ||
	    waitpid(pid, &st, 0) != pid || st != 0)
		bench_die("%s at N=%d", sysbench, n);
}

static void one(enum tool t, int n)
{
	const char *tool = tool_name[t];
	int ready[2];
	long k0, k1, pss = 0, pss_outer = 0, anon = 0, base = 0, base_anon = 0;
	double per;
	char metric[96];

	if (pipe2(ready, O_CLOEXEC) != 0)
		bench_die("pipe2");
	sleep(1); /* let the last round's namespaces be freed */
	k0 = kernel_kib();
	if (t == T_LIB)
		per = create_lib(n, ready[0], ready[1], &base, &base_anon);
	else
		per = create(t == T_BWRAP, n, ready[0], ready[1]);
	/* Measured settled: vjail-init first rewrites the live /proc views
	 * VJ_PV_REFRESH_MS (1 s) after it starts, and what that touches
	 * stays. */
	sleep(2);
	for (int i = 0; i < n; i++) {
		long an = 0, bn = 0, a = 0, b = pss_kib(jails[i].init, &bn);

		/* vjail-lib: the one spawning process, counted once, by
		 * its growth */
		if (t != T_LIB || i == 0)
			a = pss_kib(jails[i].outer, &an);
		if (a < 0 || b < 0)
			bench_die("%s jail %d vanished", tool, i);
		if (t == T_LIB && i == 0) {
			a -= base;
			an -= base_anon;
		}
		pss += a + b;
		pss_outer += a;
		anon += an + bn;
	}
	k1 = kernel_kib();
	printf("  %-9s N=%-5d create %7.3f ms/jail   PSS %7.1f KiB/jail   "
	       "kernel (slab+stacks+page tables) %+7.1f KiB/jail\n",
	       tool, n, per, (double)pss / n, (double)(k1 - k0) / n);
	printf("  %-9s %7s   PSS: %s %.1f + pid 1 %.1f KiB; "
	       "anonymous %.1f KiB of it\n", "", "",
	       t == T_LIB ? "the spawning process's growth"
			  : "outside process",
	       (double)pss_outer / n, (double)(pss - pss_outer) / n,
	       (double)anon / n);
	fflush(stdout);
	snprintf(metric, sizeof(metric), "scale.%s.%d.create_ms", tool, n);
	bench_result(out, metric, per, "ms");
	snprintf(metric, sizeof(metric), "scale.%s.%d.pss_kib", tool, n);
	bench_result(out, metric, (double)pss / n, "KiB");
	snprintf(metric, sizeof(metric), "scale.%s.%d.kernel_kib", tool, n);
	bench_result(out, metric, (double)(k1 - k0) / n, "KiB");
	if (t == T_VJAIL && sysbench != NULL)
		run_syscalls(n);
	end_all(n);
	close(ready[0]);
	close(ready[1]);
}

int main(int argc, char **argv)
{
	char ns_list[256] = "1 10 100 1000", *save = NULL;
	bool with_bwrap = false, with_lib = false;
	struct rlimit rl;
	int opt;

	if (argc == 4 && strcmp(argv[1], "--lib-child") == 0)
		return lib_child(argv[2], atoi(argv[3]));
	while ((opt = getopt(argc, argv, "S:R:s:bln:o:")) != -1) {
		switch (opt) {
		case 'S':
			spawner = optarg;
			break;
		case 'R':
			root = optarg;
			break;
		case 's':
			sysbench = optarg;
			break;
		case 'b':
			with_bwrap = true;
			break;
		case 'l':
			with_lib = true;
			break;
		case 'n':
			snprintf(ns_list, sizeof(ns_list), "%s", optarg);
			break;
		case 'o':
			out = optarg;
			break;
		default:
			return 2;
		}
	}
	if (spawner == NULL || root == NULL)
		bench_die("usage: bench-scale -S SPAWNER -R ROOT [-s SYSBENCH] "
			  "[-b] [-l] [-n LIST] [-o RESULTS]");
	/* 1000 jails are 3000 processes of this user (vjail: spawner, init,
	 * program): the soft limits must allow them. */
	if (getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NPROC, &rl);
	}
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0)
		bench_die("/dev/null");
	signal(SIGPIPE, SIG_IGN);
	for (char *w = strtok_r(ns_list, " ", &save); w != NULL;
	     w = strtok_r(NULL, " ", &save)) {
		int n = atoi(w);

		if (n < 1 || n > MAX_N)
			bench_die("N=%s: want 1 to %d", w, MAX_N);
		one(T_VJAIL, n);
		if (with_lib)
			one(T_LIB, n);
		if (with_bwrap)
			one(T_BWRAP, n);
	}
	return 0;
}
