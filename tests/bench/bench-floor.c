/* tests/bench/bench-floor.c - the hand-written reference sequence,
 * measured on this machine: what entering a jail costs with nothing but the
 * kernel calls, no library, so that bench-enter's figures (and the issue's
 * targets) can be read against what the kernel itself takes here.
 *
 *   bench-floor [-s N] [-o RESULTS]
 *   bench-floor -w BPF
 *     writes the spawn floor's program (floor-spawn.c) into BPF and exits
 *
 * Each sample, from before clone3() to the child's report:
 *   clone3 into user, pid, mount, ipc and uts namespaces (and net in every
 *   other sample), the id maps written from outside ("0 0 1", as a root
 *   caller's jail), then in the child: mount propagation private, a tmpfs
 *   root with a fresh /proc, pivot_root and the old root detached,
 *   no_new_privs, a one-rule Landlock ruleset, and a 150-rule seccomp
 *   allow-list compiled by libseccomp before the clock starts and loaded
 *   raw. No exec, no pid 1 / main split, no /dev, no masks, no time or
 *   cgroup namespace, no capability drop: a floor, not an equal.
 *
 * Runs as root (it writes "0 0 1" maps). Times are CLOCK_REALTIME.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>

#include "kernel/syscalls.h"
#include "bench-util.h"
#include "floor-common.h"

static struct sock_fprog prog;

/* What a dynamically linked /bin/true calls (strace -c, Debian 12), for
 * floor-spawn's program: its exec must get through. */
static const int spawn_needs[] = {
	SCMP_SYS(execve),	   SCMP_SYS(brk),	  SCMP_SYS(arch_prctl),
	SCMP_SYS(access),	   SCMP_SYS(openat),	  SCMP_SYS(newfstatat),
	SCMP_SYS(read),		   SCMP_SYS(pread64),	  SCMP_SYS(mmap),
	SCMP_SYS(mprotect),	   SCMP_SYS(munmap),	  SCMP_SYS(close),
	SCMP_SYS(set_tid_address), SCMP_SYS(set_robust_list), SCMP_SYS(rseq),
	SCMP_SYS(prlimit64), /* and exit_group, which every list has */
};

#define NNEEDS (sizeof(spawn_needs) / sizeof(spawn_needs[0]))

static bool needed(int nr)
{
	for (size_t i = 0; i < NNEEDS; i++)
		if (spawn_needs[i] == nr)
			return true;
	return false;
}

/* A 150-rule allow-list, default EPERM, exported once as raw BPF: for the
 * enter floor exit_group and the first 149 x86-64 syscall numbers that
 * exist; for the spawn floor (@spawn) what /bin/true needs, then the
 * lowest numbers up to 150 rules. */
static void build_filter(bool spawn)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	int fd = memfd_create("bpf", 0), rules = 0;
	struct stat st;

	if (ctx == NULL || fd < 0)
		bench_die("seccomp_init/memfd");
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0) == 0)
		rules++;
	for (size_t i = 0; spawn && i < NNEEDS; i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, spawn_needs[i],
				     0) == 0)
			rules++;
	for (int nr = 0; rules < 150 && nr < 400; nr++)
		if (!(spawn && needed(nr)) && nr != SCMP_SYS(exit_group) &&
		    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0) == 0)
			rules++; /* libseccomp says 0 to a rule twice: once */
	if (seccomp_export_bpf(ctx, fd) != 0 || fstat(fd, &st) != 0)
		bench_die("seccomp_export_bpf");
	prog.len = (unsigned short)(st.st_size / sizeof(struct sock_filter));
	prog.filter = malloc((size_t)st.st_size);
	if (prog.filter == NULL ||
	    pread(fd, prog.filter, (size_t)st.st_size, 0) != st.st_size)
		bench_die("read bpf");
	close(fd);
	seccomp_release(ctx);
}

/* floor-spawn's program, into @file. */
static void write_filter(const char *file)
{
	size_t size = prog.len * sizeof(struct sock_filter);
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, prog.filter, size) != (ssize_t)size ||
	    close(fd) != 0)
		bench_die("write %s: %s", file, strerror(errno));
}

static void must(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "bench-floor: child: %s: %s\n", what,
			strerror(errno));
		_exit(1);
	}
}

/* The child: everything after the maps. */
static void child(int sync, int report)
{
	uint64_t t;
	char c;

	must(read(sync, &c, 1) == 1, "sync");
	must(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0,
	     "private");
	must(mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV,
		   "size=1m,mode=0755") == 0, "tmpfs");
	must(mkdir("/tmp/proc", 0755) == 0, "mkdir proc");
	must(mount("proc", "/tmp/proc", "proc",
		   MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0, "proc");
	must(chdir("/tmp") == 0, "chdir");
	must(vj_sys_pivot_root(".", ".") == 0, "pivot_root");
	must(umount2(".", MNT_DETACH) == 0, "umount old root");
	must(chdir("/") == 0, "chdir /");
	must(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0, "no_new_privs");
	must(floor_landlock_one_rule() == 0, "landlock");
	must(vj_sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &prog) == 0,
	     "seccomp");
	t = bench_now_ns();
	must(write(report, &t, sizeof(t)) == sizeof(t), "report");
	_exit(0);
}

/* One sample: ms from before clone3 to the child's report. */
static double once(bool net)
{
	struct vj_clone_args args = {
		.flags = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS |
			 CLONE_NEWIPC | CLONE_NEWUTS | (net ? CLONE_NEWNET : 0),
		.exit_signal = SIGCHLD,
	};
	int sync[2], rep[2], status;
	uint64_t t0, t1 = 0;
	pid_t pid;

	if (pipe2(sync, O_CLOEXEC) != 0 || pipe2(rep, O_CLOEXEC) != 0)
		bench_die("pipe2");
	t0 = bench_now_ns();
	pid = vj_sys_clone3(&args, sizeof(args));
	if (pid < 0)
		bench_die("clone3: %s", strerror(errno));
	if (pid == 0)
		child(sync[0], rep[1]);
	if (floor_write_map(pid, "uid_map", "0 0 1\n") != 0 ||
	    floor_write_map(pid, "gid_map", "0 0 1\n") != 0)
		bench_die("id maps: %s", strerror(errno));
	if (write(sync[1], "g", 1) != 1)
		bench_die("sync");
	if (read(rep[0], &t1, sizeof(t1)) != sizeof(t1))
		bench_die("the child failed");
	waitpid(pid, &status, 0);
	close(sync[0]);
	close(sync[1]);
	close(rep[0]);
	close(rep[1]);
	return (double)(t1 - t0) / 1e6;
}

int main(int argc, char **argv)
{
	const char *out = NULL, *spawn_bpf = NULL;
	int n = 41, opt;
	double *with, *without, med_with, med_without;

	while ((opt = getopt(argc, argv, "s:o:w:")) != -1) {
		if (opt == 's')
			n = atoi(optarg);
		else if (opt == 'o')
			out = optarg;
		else if (opt == 'w')
			spawn_bpf = optarg;
		else
			bench_die("usage: bench-floor [-s N] [-o RESULTS] | "
				  "-w BPF");
	}
	if (spawn_bpf != NULL) {
		build_filter(true);
		write_filter(spawn_bpf);
		return 0;
	}
	if (n < 1)
		bench_die("-s wants at least 1");
	build_filter(false);
	with = calloc((size_t)n, sizeof(*with));
	without = calloc((size_t)n, sizeof(*without));
	if (with == NULL || without == NULL)
		bench_die("calloc");
	once(true); /* warm up */
	once(false);
	for (int i = 0; i < n; i++) {
		with[i] = once(true);
		without[i] = once(false);
	}
	/* The median sorts, which the p90 needs: one call after the other,
	 * not both in one argument list (unspecified order). */
	med_with = bench_median(with, (size_t)n);
	med_without = bench_median(without, (size_t)n);
	printf("  hand-written floor + net ns: median %.3f ms, p90 %.3f ms\n",
	       med_with, bench_p90_sorted(with, (size_t)n));
	printf("  hand-written floor (no net): median %.3f ms, p90 %.3f ms\n",
	       med_without, bench_p90_sorted(without, (size_t)n));
	printf("  (%d samples each, %u-instruction seccomp program; clone3 "
	       "to the child's report, no exec)\n", n, prog.len);
	bench_result(out, "floor.enter_net.ms", med_with, "ms");
	bench_result(out, "floor.enter_nonet.ms", med_without, "ms");
	return 0;
}
