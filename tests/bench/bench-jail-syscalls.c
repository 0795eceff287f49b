/* tests/bench/bench-jail-syscalls.c - what a whole jail costs per syscall
 * (bench item 4): the default profile with Landlock, entered through the
 * public API, against an unconfined process and against the floor.
 *
 * Three worker processes, pinned to one CPU and forked before anything is
 * restricted:
 *   unconfined  nothing
 *   floor       the bare cost of the kernel mechanisms: no_new_privs, a
 *               one-instruction allow-all seccomp filter (any filter sends
 *               syscall entry down the slow path) and a one-rule Landlock
 *               ruleset (every filesystem right this kernel handles,
 *               allowed beneath "/": each path walk still visits Landlock)
 *   jail        vjail_enter() with the defaults: VJAIL_NS_DEFAULT, the
 *               daemon seccomp profile, Landlock, capabilities dropped. Its
 *               root is "/" (read-only), so that every worker opens the
 *               same paths through the same mounts: Landlock's cost grows
 *               with the depth of the path it walks.
 * The parent sends each worker a batch of calls in turn, in an order that
 * rotates every round (paired, alternating batches: drift on a shared
 * machine hits all three alike); ratios are per round, and the median over
 * rounds is reported, with the jail's overhead over unconfined in ns.
 *
 * usage: bench-jail-syscalls [-r ROUNDS] [-o RESULTS] [-p PREFIX] [-q]
 *   -p PREFIX  metric names start with PREFIX (default "sys"); the scale
 *              benchmark runs this once per N with its own prefix
 *   -q         only the results file, no table
 *
 * Target (issue 9): every call in the jail <= 1.05x the floor.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "kernel/landlock.h"
#include "kernel/syscalls.h"
#include "vjail.h"
#include "bench-util.h"

enum variant { UNCONFINED, FLOOR, JAIL, NVARIANTS };
static const char *const variant_name[] = { "unconfined", "floor", "jail" };

enum op {
	OP_GETPID,
	OP_OPEN_SHALLOW,
	OP_OPEN_DEEP,
	OP_STAT,
	OP_READ4K,
	OP_UNAME,
	NOPS,
	OP_QUIT
};
static const char *const op_name[] = { "getpid",     "open+close /2",
				       "open+close /12", "stat",
				       "read 4 KiB", "uname" };
static const char *const op_key[] = { "getpid", "open_shallow", "open_deep",
				      "stat",	"read4k",	"uname" };
/* calls per batch: a few milliseconds each, well above timer resolution */
static const uint32_t op_iters[] = { 20000, 2000, 1000, 4000, 10000, 20000 };

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
	int to, from;
};

static char dir[] = "/tmp/vjail-bench-sys-XXXXXX";
static char shallow[64], deep[256];
static struct worker w[NVARIANTS];

static int run_op(int op, uint32_t n, int zero_fd, uint64_t *ns)
{
	static char buf[4096];
	struct utsname u;
	struct stat st;
	uint64_t t0;
	int err = 0;

	t0 = bench_now_ns();
	switch (op) {
	case OP_GETPID:
		for (uint32_t i = 0; i < n; i++)
			err = getpid() > 0 ? 0 : errno; /* glibc: no cache */
		break;
	case OP_OPEN_SHALLOW:
	case OP_OPEN_DEEP:
		for (uint32_t i = 0; i < n; i++) {
			int fd = open(op == OP_OPEN_DEEP ? deep : shallow,
				      O_RDONLY | O_CLOEXEC);

			err = fd < 0 ? errno : 0;
			if (fd >= 0)
				close(fd);
		}
		break;
	case OP_STAT:
		for (uint32_t i = 0; i < n; i++)
			err = stat(shallow, &st) != 0 ? errno : 0;
		break;
	case OP_READ4K:
		for (uint32_t i = 0; i < n; i++)
			err = read(zero_fd, buf, sizeof(buf)) != sizeof(buf)
				      ? errno
				      : 0;
		break;
	case OP_UNAME:
		for (uint32_t i = 0; i < n; i++)
			err = uname(&u) != 0 ? errno : 0;
		break;
	}
	*ns = bench_now_ns() - t0;
	return err;
}

/* The floor: no_new_privs, allow-all seccomp, one-rule Landlock. */
static int restrict_floor(void)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { .len = 1, .filter = &allow };
	struct vj_landlock_ruleset_attr attr = { 0 };
	struct vj_landlock_path_beneath_attr rule;
	int abi, fd;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -1;
	abi = vj_sys_landlock_create_ruleset(
		NULL, 0, VJ_LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1)
		return -1;
	attr.handled_access_fs = VJ_LL_FS_ABI1;
	if (abi >= 2)
		attr.handled_access_fs |= VJ_LL_FS_REFER;
	if (abi >= 3)
		attr.handled_access_fs |= VJ_LL_FS_TRUNCATE;
	if (abi >= 5)
		attr.handled_access_fs |= VJ_LL_FS_IOCTL_DEV;
	fd = vj_sys_landlock_create_ruleset(&attr, VJ_LANDLOCK_ATTR_SIZE_ABI1,
					    0);
	if (fd < 0)
		return -1;
	rule.allowed_access = attr.handled_access_fs;
	rule.parent_fd = open("/", O_PATH | O_CLOEXEC);
	if (rule.parent_fd < 0 ||
	    vj_sys_landlock_add_rule(fd, VJ_LANDLOCK_RULE_PATH_BENEATH, &rule,
				     0) != 0 ||
	    vj_sys_landlock_restrict_self(fd, 0) != 0)
		return -1;
	close(rule.parent_fd);
	close(fd);
	return vj_sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &prog);
}

/* The jail: the defaults, root "/", the two pipe ends kept. Returns in
 * main, inside (the outside process waits for it and exits with it). */
static int enter_jail(int in, int out)
{
	struct vjail *j;
	int rc = vjail_create(&j, "/", 0);

	if (rc == 0)
		rc = vjail_keep_fd(j, in, 0);
	if (rc == 0)
		rc = vjail_keep_fd(j, out, 0);
	if (rc == 0)
		rc = vjail_enter(j, 0);
	if (rc != 0)
		fprintf(stderr, "bench-jail-syscalls: enter: %d %s\n", rc,
			vjail_strerror(j));
	return rc;
}

static void worker_main(enum variant v, int in, int out)
{
	struct cmd c;
	struct reply r;
	int zero_fd;

	if (v == FLOOR && restrict_floor() != 0)
		_exit(3);
	if (v == JAIL && enter_jail(in, out) != 0)
		_exit(3);
	zero_fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	if (zero_fd < 0)
		_exit(5);
	while (read(in, &c, sizeof(c)) == sizeof(c) && c.op != OP_QUIT) {
		r.err = run_op(c.op, c.iters, zero_fd, &r.ns);
		if (write(out, &r, sizeof(r)) != sizeof(r))
			_exit(4);
	}
	_exit(0);
}

static void start(enum variant v)
{
	int to[2], from[2];

	if (pipe2(to, O_CLOEXEC) != 0 || pipe2(from, O_CLOEXEC) != 0)
		bench_die("pipe2");
	w[v].pid = fork();
	if (w[v].pid < 0)
		bench_die("fork");
	if (w[v].pid == 0) {
		for (int k = 0; k < (int)v; k++) {
			close(w[k].to);
			close(w[k].from);
		}
		close(to[1]);
		close(from[0]);
		worker_main(v, to[0], from[1]);
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
		bench_die("worker %s died", variant_name[v]);
	return r;
}

static void make_files(void)
{
	char path[256];
	int fd;

	if (mkdtemp(dir) == NULL || chmod(dir, 0755) != 0)
		bench_die("mkdtemp");
	snprintf(shallow, sizeof(shallow), "%s/f", dir);
	snprintf(path, sizeof(path), "%s", dir);
	/* /tmp/DIR + 9 directories + the file: 12 components */
	for (int i = 0; i < 9; i++) {
		size_t len = strlen(path);

		snprintf(path + len, sizeof(path) - len, "/%c", 'a' + i);
		if (mkdir(path, 0755) != 0)
			bench_die("mkdir %s", path);
	}
	snprintf(deep, sizeof(deep), "%s/f", path);
	for (int k = 0; k < 2; k++) {
		fd = open(k ? deep : shallow, O_WRONLY | O_CREAT | O_CLOEXEC,
			  0644);
		if (fd < 0 || write(fd, "x", 1) != 1 || close(fd) != 0)
			bench_die("create test file");
	}
}

static void remove_files(void)
{
	char path[256];

	unlink(deep);
	unlink(shallow);
	snprintf(path, sizeof(path), "%s", deep);
	for (int i = 0; i < 10; i++) {
		*strrchr(path, '/') = '\0';
		rmdir(path);
	}
}

int main(int argc, char **argv)
{
	static double t[NOPS][NVARIANTS][1001], rf[NOPS][1001],
		ru[NOPS][1001], dn[NOPS][1001];
	const char *out = NULL, *prefix = "sys";
	int rounds = 31, warmup = 3, opt, err[NOPS][NVARIANTS];
	bool quiet = false, met = true;
	char metric[128];
	cpu_set_t cpu;

	while ((opt = getopt(argc, argv, "r:o:p:q")) != -1) {
		switch (opt) {
		case 'r':
			rounds = atoi(optarg);
			break;
		case 'o':
			out = optarg;
			break;
		case 'p':
			prefix = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		default:
			return 2;
		}
	}
	if (rounds < 1 || rounds > 1001)
		bench_die("rounds: 1 to 1001");
	/* One CPU for all: the same cache and clock, no migrations. */
	CPU_ZERO(&cpu);
	CPU_SET(sysconf(_SC_NPROCESSORS_ONLN) - 1, &cpu);
	if (sched_setaffinity(0, sizeof(cpu), &cpu) != 0)
		bench_die("sched_setaffinity");
	make_files();
	for (int v = 0; v < NVARIANTS; v++)
		start(v);
	for (int r = -warmup; r < rounds; r++) {
		for (int op = 0; op < NOPS; op++) {
			double x[NVARIANTS];

			for (int k = 0; k < NVARIANTS; k++) {
				int v = (k + r + warmup + op) % NVARIANTS;
				struct reply rep = ask(v, op, op_iters[op]);

				x[v] = (double)rep.ns / op_iters[op];
				err[op][v] = rep.err;
			}
			if (r < 0)
				continue;
			for (int v = 0; v < NVARIANTS; v++)
				t[op][v][r] = x[v];
			rf[op][r] = x[JAIL] / x[FLOOR];
			ru[op][r] = x[JAIL] / x[UNCONFINED];
			dn[op][r] = x[JAIL] - x[UNCONFINED];
		}
	}
	for (int v = 0; v < NVARIANTS; v++) {
		struct cmd quit = { OP_QUIT, 0 };
		int status;

		if (write(w[v].to, &quit, sizeof(quit)) != sizeof(quit) ||
		    waitpid(w[v].pid, &status, 0) != w[v].pid || status != 0)
			bench_die("worker %s exit status %#x", variant_name[v],
				  status);
	}
	remove_files();

	if (!quiet)
		printf("  %-15s %10s %10s %10s | %9s %9s %12s  %s\n", "call",
		       "unconfined", "floor", "jail", "jail/unc", "jail/floor",
		       "jail-unc ns", "(target jail/floor <= 1.05)");
	for (int op = 0; op < NOPS; op++) {
		double m[NVARIANTS], mf, mu, md;
		bool ok;

		for (int v = 0; v < NVARIANTS; v++)
			m[v] = bench_median(t[op][v], (size_t)rounds);
		mf = bench_median(rf[op], (size_t)rounds);
		mu = bench_median(ru[op], (size_t)rounds);
		md = bench_median(dn[op], (size_t)rounds);
		ok = mf <= 1.05 && err[op][JAIL] == 0;
		met = met && ok;
		if (!quiet)
			printf("  %-15s %10.1f %10.1f %10.1f | %9.3f %9.3f "
			       "%12.1f  %s\n",
			       op_name[op], m[UNCONFINED], m[FLOOR], m[JAIL],
			       mu, mf, md,
			       err[op][JAIL] ? "denied!" : ok ? "met" : "NOT met");
		for (int v = 0; v < NVARIANTS; v++) {
			snprintf(metric, sizeof(metric), "%s.%s.%s.ns", prefix,
				 op_key[op], variant_name[v]);
			bench_result(out, metric, m[v], "ns");
		}
		snprintf(metric, sizeof(metric), "%s.%s.jail_vs_floor",
			 prefix, op_key[op]);
		bench_result(out, metric, mf, "ratio");
		snprintf(metric, sizeof(metric), "%s.%s.jail_vs_unconfined",
			 prefix, op_key[op]);
		bench_result(out, metric, mu, "ratio");
		snprintf(metric, sizeof(metric), "%s.%s.jail_minus_unconfined",
			 prefix, op_key[op]);
		bench_result(out, metric, md, "ns");
		for (int v = 0; v < NVARIANTS; v++)
			if (err[op][v] != 0)
				fprintf(stderr,
					"bench-jail-syscalls: %s in %s fails "
					"with %s: its time is that of a "
					"refused call\n",
					op_name[op], variant_name[v],
					strerror(err[op][v]));
	}
	if (!quiet)
		printf("  (%d rounds after %d warm-up; ns per call, medians; "
		       "ratios and differences are medians of per-round "
		       "values; target %s)\n",
		       rounds, warmup, met ? "met" : "NOT met");
	return 0;
}
