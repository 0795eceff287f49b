/* tests/bench/bench-syscalls.c - what a seccomp profile costs per syscall.
 *
 * Four worker processes, forked before any filter exists: unconfined, the
 * floor (a one-rule allow-all libseccomp filter: on Linux any filter sends
 * syscall entry down the slow path), the daemon profile and the minimal
 * profile, the last two compiled and loaded exactly as vjail_enter() does
 * (vj_sc_prepare, then the raw program in vj_sc_commit). The parent sends
 * each worker a batch of N calls in turn, rotating the order every round,
 * so that all four see the same machine at nearly the same time; ratios are
 * taken per round (paired) and the median over rounds is reported.
 *
 * Also reported: the cost of loading the daemon filter as raw BPF (what
 * commit does) against libseccomp's seccomp_load(), which regenerates the
 * program first; and what vj_sc_prepare() costs for the daemon profile
 * when it is stock (precompiled, one program) and when it is not (deny
 * action EACCES, or one syscall rule: compiled at each prepare, main
 * filter plus argument filter).
 *
 * Target (issue 4): every measured call under daemon <= 1.05x the floor.
 * Exit status 0 either way: a benchmark informs, the test suite decides.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>

#include "libvjail/jail.h"
#include "libvjail/seccomp-profiles.h"

#define ROUNDS 61  /* odd: the median is one round */
#define WARMUP 3   /* rounds run and thrown away */
#define LOADS 25   /* samples of the load comparison */
#define PREPS 31   /* samples of the prepare timings */

enum variant { UNCONFINED, FLOOR, DAEMON, MINIMAL, NVARIANTS };
static const char *const variant_name[] = { "unconfined", "floor", "daemon",
					    "minimal" };

enum op { OP_GETPID, OP_OPEN_CLOSE, OP_STAT, OP_READ4K, NOPS, OP_QUIT };
static const char *const op_name[] = { "getpid", "open+close", "stat",
				       "read 4 KiB" };
/* calls per batch: a few milliseconds each, far above timer resolution */
static const uint32_t op_iters[] = { 20000, 2000, 4000, 10000 };

struct cmd {
	int op;
	uint32_t iters;
};

struct reply {
	uint64_t ns;
	int err; /* errno of the last call, 0 if it succeeded */
};

struct worker {
	pid_t pid;
	int to, from; /* pipe ends: commands out, replies in */
};

static char file_path[] = "/tmp/vjail-bench-XXXXXX";
static int zero_fd = -1;

static void die(const char *what)
{
	fprintf(stderr, "bench-syscalls: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	/* vDSO: not a syscall, so the filters do not touch the clock */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int run_op(int op, uint32_t n, uint64_t *ns)
{
	static char buf[4096];
	struct stat st;
	uint64_t t0;
	int err = 0;

	t0 = now_ns();
	switch (op) {
	case OP_GETPID:
		for (uint32_t i = 0; i < n; i++)
			syscall(SYS_getpid); /* never a cached value */
		break;
	case OP_OPEN_CLOSE:
		for (uint32_t i = 0; i < n; i++) {
			int fd = open(file_path, O_RDONLY | O_CLOEXEC);

			err = fd < 0 ? errno : 0;
			close(fd);
		}
		break;
	case OP_STAT:
		for (uint32_t i = 0; i < n; i++)
			err = stat(file_path, &st) != 0 ? errno : 0;
		break;
	case OP_READ4K:
		for (uint32_t i = 0; i < n; i++)
			err = read(zero_fd, buf, sizeof(buf)) != sizeof(buf)
				      ? errno
				      : 0;
		break;
	}
	*ns = now_ns() - t0;
	return err;
}

/* The floor: libseccomp's smallest filter, allow everything (an arch check
 * and one return), exported and loaded raw like the real ones. */
static int load_floor(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	struct sock_filter prog[64];
	struct sock_fprog fprog;
	struct stat st;
	int fd, rc = -1;

	if (ctx == NULL)
		return -1;
	fd = memfd_create("floor", MFD_CLOEXEC);
	if (fd >= 0 && seccomp_export_bpf(ctx, fd) == 0 &&
	    fstat(fd, &st) == 0 && (size_t)st.st_size <= sizeof(prog) &&
	    pread(fd, prog, (size_t)st.st_size, 0) == st.st_size) {
		fprog.len = (unsigned short)(st.st_size / sizeof(prog[0]));
		fprog.filter = prog;
		rc = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0,
				  &fprog);
	}
	if (fd >= 0)
		close(fd);
	seccomp_release(ctx);
	return rc;
}

static void worker_main(enum variant v, struct vjail *j, int in, int out)
{
	struct cmd c;
	struct reply r;
	int rc = 0;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		_exit(2);
	if (v == FLOOR)
		rc = load_floor();
	else if (v == DAEMON || v == MINIMAL)
		rc = vj_sc_commit(j);
	if (rc != 0)
		_exit(3);
	while (read(in, &c, sizeof(c)) == sizeof(c) && c.op != OP_QUIT) {
		r.err = run_op(c.op, c.iters, &r.ns);
		if (write(out, &r, sizeof(r)) != sizeof(r))
			_exit(4);
	}
	_exit(0);
}

static struct worker w[NVARIANTS];

static void start(enum variant v, struct vjail *j)
{
	int to[2], from[2];

	if (pipe2(to, O_CLOEXEC) != 0 || pipe2(from, O_CLOEXEC) != 0)
		die("pipe2");
	w[v].pid = fork();
	if (w[v].pid < 0)
		die("fork");
	if (w[v].pid == 0) {
		/* hold no other worker's command pipe: each must see EOF,
		 * and leave, when the parent goes away */
		for (int k = 0; k < (int)v; k++) {
			close(w[k].to);
			close(w[k].from);
		}
		close(to[1]);
		close(from[0]);
		worker_main(v, j, to[0], from[1]);
	}
	close(to[0]);
	close(from[1]);
	w[v].to = to[1];
	w[v].from = from[0];
}

static struct reply ask(enum variant v, int op, uint32_t iters)
{
	struct cmd c = { op, iters };
	struct reply r;

	if (write(w[v].to, &c, sizeof(c)) != sizeof(c) ||
	    read(w[v].from, &r, sizeof(r)) != sizeof(r))
		die("worker");
	return r;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/* ---- loading: raw program (commit) against seccomp_load() ------------- */

static double time_load(struct vjail *j, bool libseccomp_load)
{
	double samples[LOADS];

	for (int s = 0; s < LOADS; s++) {
		int p[2], status;
		uint64_t ns = 0;
		pid_t pid;

		if (pipe(p) != 0)
			die("pipe");
		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			struct vj_sc_build b = {
				.deny = SCMP_ACT_ERRNO(EPERM)
			};
			uint64_t t0;
			int rc;

			if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
				_exit(2);
			if (libseccomp_load) {
				/* the same rules, as a libseccomp context */
				b.main = seccomp_init(b.deny);
				if (b.main == NULL ||
				    seccomp_attr_set(b.main,
						     SCMP_FLTATR_CTL_OPTIMIZE,
						     2) != 0 ||
				    vj_sc_build_profile(&vj_sc_daemon, &b) != 0)
					_exit(3);
				t0 = now_ns();
				rc = seccomp_load(b.main);
			} else {
				t0 = now_ns();
				rc = vj_sc_commit(j);
			}
			ns = now_ns() - t0;
			if (rc != 0 ||
			    write(p[1], &ns, sizeof(ns)) != sizeof(ns))
				_exit(4);
			_exit(0);
		}
		close(p[1]);
		if (read(p[0], &ns, sizeof(ns)) != sizeof(ns))
			die("load worker");
		close(p[0]);
		if (waitpid(pid, &status, 0) != pid || status != 0)
			die("load worker status");
		samples[s] = (double)ns / 1000.0;
	}
	return median(samples, LOADS);
}

/* vj_sc_prepare() of a daemon-profile handle: deny action ERRNO(@err)
 * (EPERM: stock), plus a rule allowing @rule if not NULL. Median in us;
 * the handle's instruction counts in @len and @arglen. */
static double time_prepare(int err, const char *rule, unsigned int *len,
			   unsigned int *arglen)
{
	double samples[PREPS];
	struct vjail *j;

	if (vjail_create(&j, NULL, 0) != 0 ||
	    vjail_seccomp_default_action(j, VJAIL_ACTION_ERRNO, err) != 0 ||
	    (rule != NULL &&
	     vjail_syscall_rule(j, rule, VJAIL_ACTION_ALLOW, 0) != 0))
		die("prepare handle");
	for (int s = 0; s < PREPS; s++) {
		uint64_t t0 = now_ns();

		if (vj_sc_prepare(j) != 0)
			die("vj_sc_prepare");
		samples[s] = (double)(now_ns() - t0) / 1000.0;
	}
	*len = j->sc.prog_len;
	*arglen = j->sc.argprog_len;
	vjail_destroy(j);
	return median(samples, PREPS);
}

int main(void)
{
	static double ns[NOPS][NVARIANTS][ROUNDS];
	static double vs_unc[NOPS][NVARIANTS][ROUNDS];
	static double vs_floor[NOPS][NVARIANTS][ROUNDS];
	int err[NOPS][NVARIANTS] = { { 0 } };
	struct vjail *jd, *jm;
	cpu_set_t cpu;
	bool met = true;
	char buf[4096] = { 0 };
	int fd;

	/* One CPU for everyone: no migrations, the same cache and clock
	 * for every variant, and the idle parent out of the way. */
	CPU_ZERO(&cpu);
	CPU_SET(sysconf(_SC_NPROCESSORS_ONLN) - 1, &cpu);
	if (sched_setaffinity(0, sizeof(cpu), &cpu) != 0)
		die("sched_setaffinity");

	fd = mkstemp(file_path);
	if (fd < 0 || write(fd, buf, sizeof(buf)) != sizeof(buf) || close(fd))
		die("test file");
	zero_fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	if (zero_fd < 0)
		die("/dev/zero");

	if (vjail_create(&jd, NULL, 0) || vjail_create(&jm, NULL, 0) ||
	    vjail_seccomp_profile(jm, VJAIL_PROFILE_MINIMAL))
		die("vjail_create");
	if (vj_sc_prepare(jd) != 0 || vj_sc_prepare(jm) != 0) {
		fprintf(stderr, "bench-syscalls: prepare: %s%s\n",
			vjail_strerror(jd), vjail_strerror(jm));
		return 1;
	}
	start(UNCONFINED, NULL);
	start(FLOOR, NULL);
	start(DAEMON, jd);
	start(MINIMAL, jm);

	for (int r = -WARMUP; r < ROUNDS; r++) {
		for (int op = 0; op < NOPS; op++) {
			double t[NVARIANTS];

			/* rotate who goes first, round after round */
			for (int k = 0; k < NVARIANTS; k++) {
				int v = (k + (r + WARMUP) + op) % NVARIANTS;
				struct reply rep = ask(v, op, op_iters[op]);

				t[v] = (double)rep.ns / op_iters[op];
				err[op][v] = rep.err;
			}
			if (r < 0)
				continue;
			for (int v = 0; v < NVARIANTS; v++) {
				ns[op][v][r] = t[v];
				vs_unc[op][v][r] = t[v] / t[UNCONFINED];
				vs_floor[op][v][r] = t[v] / t[FLOOR];
			}
		}
	}
	for (int v = 0; v < NVARIANTS; v++) {
		struct cmd quit = { OP_QUIT, 0 };
		int status;

		if (write(w[v].to, &quit, sizeof(quit)) != sizeof(quit) ||
		    waitpid(w[v].pid, &status, 0) != w[v].pid || status != 0)
			die("worker exit");
	}

	printf("bench-syscalls: ns per call, median of %d rounds (%d warm-up "
	       "rounds dropped); the four run alternating batches in every "
	       "round, in an order that rotates; ratios are the median of the "
	       "per-round ratios (paired)\n",
	       ROUNDS, WARMUP);
	printf("%-11s %10s %10s %10s %10s | %8s %8s %8s | %12s %s\n", "call",
	       "unconfined", "floor", "daemon", "minimal", "floor/u",
	       "daemon/u", "minim/u", "daemon/floor", "(target <= 1.05)");
	for (int op = 0; op < NOPS; op++) {
		double m[NVARIANTS], ru[NVARIANTS], rf;

		for (int v = 0; v < NVARIANTS; v++) {
			m[v] = median(ns[op][v], ROUNDS);
			ru[v] = median(vs_unc[op][v], ROUNDS);
		}
		rf = median(vs_floor[op][DAEMON], ROUNDS);
		if (rf > 1.05 || err[op][DAEMON] != 0)
			met = false;
		printf("%-11s %10.1f %10.1f %10.1f %10.1f | "
		       "%8.3f %8.3f %8.3f | %12.3f %s\n",
		       op_name[op], m[UNCONFINED], m[FLOOR], m[DAEMON],
		       m[MINIMAL], ru[FLOOR], ru[DAEMON], ru[MINIMAL], rf,
		       err[op][DAEMON] ? "denied!"
		       : rf <= 1.05    ? "met"
				       : "NOT met");
	}
	for (int op = 0; op < NOPS; op++)
		for (int v = 0; v < NVARIANTS; v++)
			if (err[op][v] != 0)
				printf("note: %s under %s fails with %s: the "
				       "time is that of a denied call\n",
				       op_name[op], variant_name[v],
				       strerrorname_np(err[op][v]));
	printf("target (every call under daemon <= 1.05x floor): %s\n",
	       met ? "met" : "NOT met");
	printf("daemon filter: %u BPF instructions; minimal: %u\n",
	       jd->sc.prog_len, jm->sc.prog_len);
	printf("load, median of %d: raw program (commit) %.1f us, "
	       "seccomp_load() %.1f us\n",
	       LOADS, time_load(jd, false), time_load(jd, true));
	for (int c = 0; c < 3; c++) {
		static const char *const what[] = { "stock", "deny EACCES",
						     "one rule (mbind)" };
		unsigned int len, arglen;
		double us = time_prepare(c == 1 ? EACCES : EPERM,
					 c == 2 ? "mbind" : NULL, &len,
					 &arglen);

		printf("prepare, daemon, %s, median of %d: %.1f us (%u + %u "
		       "BPF instructions)\n",
		       what[c], PREPS, us, len, arglen);
	}

	unlink(file_path);
	vjail_destroy(jd);
	vjail_destroy(jm);
	return 0;
}
