/* tests/bench/floor-spawn.c - the hand-written reference sequence as
 * a spawner: what a jailed /bin/true costs with nothing but the kernel calls,
 * measured from outside exactly like vjail-spawn, bwrap and unshare(1) in
 * the spawn-latency table (exec of this program to its exit). It answers
 * "how far below bwrap can a spawn get on this machine at all".
 *
 * usage: floor-spawn [-n] -f BPF -r ROOT PROG [ARG...]
 *   -n       also a network namespace
 *   -f BPF   the seccomp program, raw struct sock_filter[], as bench-floor
 *            -w writes it (compiled by libseccomp beforehand: the spawn
 *            only loads it, as libvjail loads its precompiled profile)
 *   -r ROOT  the new root: a directory with proc/ usr/ and the merged-usr
 *            links (run-bench.sh's bench-root); /usr is bound read-only
 *
 * The sequence: clone3 into user, pid, mount, ipc and uts namespaces (and
 * net), "0 0 1" id maps written from outside; in the child: mount
 * propagation private, ROOT bound on itself, /usr bound read-only, a fresh
 * /proc, pivot_root and the old root detached, no_new_privs, a one-rule
 * Landlock ruleset, the seccomp program, exec. The outside waits and exits
 * as the program did. No pid 1 / program split (the program is pid 1), no
 * /dev, no masks, no time or cgroup namespace, no capability drop, no
 * signal forwarding: a floor, not an equal.
 *
 * Runs as root (it writes "0 0 1" maps). Linked statically when configure
 * found the static archives, like vjail-spawn.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "kernel/landlock.h"
#include "kernel/syscalls.h"
#include "floor-common.h"

static pid_t child_pid; /* the outside's child, once there is one */

/* The outside kills the child with it: pid 1 of its own pid namespace,
 * it would not end on an ordinary signal. */
static void die(const char *what)
{
	fprintf(stderr, "floor-spawn: %s: %s\n", what, strerror(errno));
	if (child_pid > 0)
		kill(child_pid, SIGKILL);
	_exit(125);
}

static void must(int ok, const char *what)
{
	if (!ok)
		die(what);
}

static void load_program(const char *file, struct sock_fprog *prog)
{
	/* one more than the kernel takes: a longer file is refused whole */
	static struct sock_filter insns[BPF_MAXINSNS + 1];
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	must(fd >= 0, file);
	n = read(fd, insns, sizeof(insns));
	must(n >= 0, file);
	if (n == 0 || n % (ssize_t)sizeof(insns[0]) != 0 ||
	    n > (ssize_t)(BPF_MAXINSNS * sizeof(insns[0])))
		errno = EINVAL; /* not a program bench-floor -w wrote */
	must(n > 0 && n % (ssize_t)sizeof(insns[0]) == 0 &&
		     n <= (ssize_t)(BPF_MAXINSNS * sizeof(insns[0])),
	     file);
	must(close(fd) == 0, file);
	prog->len = (unsigned short)(n / (ssize_t)sizeof(insns[0]));
	prog->filter = insns;
}

static void join(char *out, const char *root, const char *rel)
{
	if ((size_t)snprintf(out, PATH_MAX, "%s%s", root, rel) >= PATH_MAX) {
		errno = ENAMETOOLONG;
		die(root);
	}
}

/* The child: everything after the maps, then the program. */
static void child(int sync, int sync_w, const char *root,
		  struct sock_fprog *prog, char **argv)
{
	char usr[PATH_MAX], proc[PATH_MAX], c;

	must(close(sync_w) == 0, "sync");
	join(usr, root, "/usr");
	join(proc, root, "/proc");
	/* EOF, not a hang, if the outside dies before it says go */
	must(read(sync, &c, 1) == 1, "sync");
	must(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0,
	     "private");
	must(mount(root, root, NULL, MS_BIND, NULL) == 0, "bind root");
	must(mount("/usr", usr, NULL, MS_BIND | MS_REC, NULL) == 0,
	     "bind /usr");
	must(mount(NULL, usr, NULL,
		   MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV,
		   NULL) == 0, "/usr read-only");
	must(mount("proc", proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		   NULL) == 0, "proc");
	must(chdir(root) == 0, "chdir");
	must(vj_sys_pivot_root(".", ".") == 0, "pivot_root");
	must(umount2(".", MNT_DETACH) == 0, "umount old root");
	must(chdir("/") == 0, "chdir /");
	must(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0, "no_new_privs");
	must(floor_landlock_one_rule() == 0, "landlock");
	must(vj_sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, prog) == 0,
	     "seccomp");
	execv(argv[0], argv);
	die(argv[0]);
}

int main(int argc, char **argv)
{
	struct vj_clone_args args = {
		.flags = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS |
			 CLONE_NEWIPC | CLONE_NEWUTS,
		.exit_signal = SIGCHLD,
	};
	const char *bpf = NULL, *root = NULL;
	struct sock_fprog prog;
	int sync[2], status, opt;
	pid_t pid;

	while ((opt = getopt(argc, argv, "+nf:r:")) != -1) {
		if (opt == 'n')
			args.flags |= CLONE_NEWNET;
		else if (opt == 'f')
			bpf = optarg;
		else if (opt == 'r')
			root = optarg;
		else
			break;
	}
	if (bpf == NULL || root == NULL || optind >= argc) {
		fprintf(stderr, "usage: floor-spawn [-n] -f BPF -r ROOT PROG "
				"[ARG...]\n");
		return 125;
	}
	load_program(bpf, &prog);
	must(pipe2(sync, O_CLOEXEC) == 0, "pipe2");
	pid = vj_sys_clone3(&args, sizeof(args));
	must(pid >= 0, "clone3");
	if (pid == 0)
		child(sync[0], sync[1], root, &prog, argv + optind);
	child_pid = pid; /* die() kills it from here on */
	must(close(sync[0]) == 0, "sync");
	must(floor_write_map(pid, "uid_map", "0 0 1\n") == 0, "uid_map");
	must(floor_write_map(pid, "gid_map", "0 0 1\n") == 0, "gid_map");
	must(write(sync[1], "g", 1) == 1, "sync");
	while (waitpid(pid, &status, 0) < 0)
		must(errno == EINTR, "waitpid");
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
