/* tests/bench/bench-floor.c - the hand-written reference sequence,
 * measured on this machine: what entering a jail costs with nothing but the
 * kernel calls, no library, so that bench-enter's figures (and the issue's
 * targets) can be read against what the kernel itself takes here.
 *
 *   bench-floor [-s N] [-o RESULTS]
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

#include "kernel/landlock.h"
#include "kernel/syscalls.h"
#include "bench-util.h"

static struct sock_fprog prog;

/* A 150-rule allow-list (the first 149 x86-64 syscall numbers that exist,
 * plus exit_group), default EPERM, exported once as raw BPF. */
static void build_filter(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	int fd = memfd_create("bpf", 0), rules = 0;
	struct stat st;

	if (ctx == NULL || fd < 0)
		bench_die("seccomp_init/memfd");
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0);
	for (int nr = 0; rules < 149 && nr < 400; nr++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0) == 0)
			rules++;
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
	struct vj_landlock_ruleset_attr attr = {
		.handled_access_fs = VJ_LL_FS_READ_FILE | VJ_LL_FS_READ_DIR |
				     VJ_LL_FS_WRITE_FILE,
	};
	struct vj_landlock_path_beneath_attr rule = {
		.allowed_access = VJ_LL_FS_READ_FILE | VJ_LL_FS_READ_DIR,
	};
	uint64_t t;
	char c;
	int rs;

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
	rs = vj_sys_landlock_create_ruleset(&attr, sizeof(attr), 0);
	must(rs >= 0, "landlock ruleset");
	rule.parent_fd = open("/", O_PATH | O_CLOEXEC);
	must(rule.parent_fd >= 0 &&
	     vj_sys_landlock_add_rule(rs, VJ_LANDLOCK_RULE_PATH_BENEATH,
				      &rule, 0) == 0, "landlock rule");
	close(rule.parent_fd);
	must(vj_sys_landlock_restrict_self(rs, 0) == 0, "landlock");
	close(rs);
	must(vj_sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &prog) == 0,
	     "seccomp");
	t = bench_now_ns();
	must(write(report, &t, sizeof(t)) == sizeof(t), "report");
	_exit(0);
}

static void write_map(pid_t pid, const char *file, const char *text)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		bench_die("write %s", path);
	close(fd);
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
	write_map(pid, "uid_map", "0 0 1\n");
	write_map(pid, "gid_map", "0 0 1\n");
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
	const char *out = NULL;
	int n = 41, opt;
	double *with, *without, med_with, med_without;

	while ((opt = getopt(argc, argv, "s:o:")) != -1) {
		if (opt == 's')
			n = atoi(optarg);
		else if (opt == 'o')
			out = optarg;
		else
			bench_die("usage: bench-floor [-s N] [-o RESULTS]");
	}
	if (n < 1)
		bench_die("-s wants at least 1");
	build_filter();
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
