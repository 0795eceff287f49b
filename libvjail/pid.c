/* libvjail/pid.c - processes: the clone into the new namespaces, the
 * library-owned init that is pid 1 of the jail, and the outside process
 * that waits for it.
 *
 *   outside (the caller)      clone3(CLONE_NEW*) -> jail's first process
 *     writes the id maps, then one byte on the sync pipe: "go on"
 *     waits, forwarding SIGTERM/INT/HUP/QUIT/USR1/USR2, and ends as main
 *     ended (same exit code, or the same signal), or supervises
 *   first process             commit steps (new root, credentials, ...)
 *     with a pid namespace it is pid 1: forks main, then only reaps
 *     orphans, forwards signals to main, answers the jail's uname(2)
 *     calls for a virtual uname (uname.c) and rewrites the live /proc
 *     views every second (procview.c); when main ends it writes
 *     main's wait status on the status pipe and exits, which makes the
 *     kernel kill whatever is left in the jail
 *   main                      the caller's code (enter) or the program
 *                             (spawn), last step: the seccomp filter
 *
 * The first process is made with a raw clone3 so that it is born in the
 * namespaces (a user namespace needs its maps written from outside). It runs
 * only library code, async-signal-safe, and never uses glibc's thread data,
 * which a raw clone leaves stale; main is a glibc fork() of it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel/compat.h"
#include "kernel/syscalls.h"
#include "error.h"
#include "jail.h"
#include "pid.h"
#include "procview.h"
#include "uname.h"

static const int forwarded[] = { SIGTERM, SIGINT,  SIGHUP,
				 SIGQUIT, SIGUSR1, SIGUSR2 };

static void forward_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	for (size_t i = 0; i < ARRAY_SIZE(forwarded); i++)
		sigaddset(set, forwarded[i]);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void vj_pid_close(struct vjail *j)
{
	close_fd(&j->run.sync_fd[0]);
	close_fd(&j->run.sync_fd[1]);
	close_fd(&j->run.status_fd[0]);
	close_fd(&j->run.status_fd[1]);
}

int vj_pid_prepare(struct vjail *j)
{
	if (j->run.in_place && !j->run.spawning)
		return 0; /* the caller itself becomes the jail */
	if (pipe2(j->run.sync_fd, O_CLOEXEC) != 0 ||
	    pipe2(j->run.status_fd, O_CLOEXEC) != 0)
		return vj_fail(j, errno, "pipe");
	return 0;
}

/* ---- outside ------------------------------------------------------------- */

static void reap(pid_t pid)
{
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* With a user namespace and a caller that is not dumpable (it dropped
 * root: its child's /proc/PID/uid_map would belong to root), the child
 * first makes itself dumpable and says "ready" on the status pipe. */
static int wait_ready(struct vjail *j)
{
	char c;

	if (!vj_ns_ready_needed(j))
		return 0;
	if (read(j->run.status_fd[0], &c, 1) != 1)
		return vj_fail(j, ECHILD, "jail's first process died before "
			       "its ids were mapped");
	return 0;
}

int vj_pid_clone(struct vjail *j)
{
	struct vj_clone_args args = {
		.flags = vj_ns_clone_flags(j),
		.exit_signal = SIGCHLD,
	};
	pid_t pid = vj_sys_clone3(&args, sizeof(args));
	int rc;

	if (pid < 0)
		return vj_ns_clone_failed(j, errno);
	if (pid == 0)
		return 0;
	j->run.child = pid;
	close_fd(&j->run.sync_fd[0]);
	close_fd(&j->run.status_fd[1]);
	rc = wait_ready(j);
	if (rc == 0)
		rc = vj_ns_map_child(j, pid);
	if (rc == 0 && write(j->run.sync_fd[1], "g", 1) != 1)
		rc = vj_fail(j, errno, "sync with the jail's first process");
	close_fd(&j->run.sync_fd[1]);
	if (rc < 0) {
		kill(pid, SIGKILL);
		reap(pid);
		close_fd(&j->run.status_fd[0]);
		j->run.child = 0;
		return rc;
	}
	return 1;
}

/* The status of main as init reported it, else the first process's own. */
static int final_status(struct vjail *j, int child_status)
{
	int st;

	if (j->run.status_fd[0] >= 0 &&
	    read(j->run.status_fd[0], &st, sizeof(st)) == sizeof(st))
		child_status = st;
	close_fd(&j->run.status_fd[0]);
	return child_status;
}

int vj_pid_wait(struct vjail *j, int *status)
{
	int st;

	if (j->run.have_status) {
		*status = j->run.main_status;
		return 0;
	}
	if (j->run.child <= 0)
		return vj_fail_msg(j, ECHILD, "wait: no jail was spawned or "
				   "supervised on this handle");
	if (waitpid(j->run.child, &st, 0) < 0)
		return vj_fail(j, errno, "wait for jail pid %d",
			       (int)j->run.child);
	j->run.main_status = final_status(j, st);
	j->run.have_status = true;
	vj_cg_cleanup(j);
	*status = j->run.main_status;
	return 0;
}

/* End this process the way @st says main ended. */
static void exit_like(int st)
{
	if (WIFSIGNALED(st)) {
		int sig = WTERMSIG(st);
		sigset_t one;

		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); /* no second core */
		signal(sig, SIG_DFL);
		sigemptyset(&one);
		sigaddset(&one, sig);
		sigprocmask(SIG_UNBLOCK, &one, NULL);
		kill(getpid(), sig);
		_exit(128 + sig);
	}
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 1);
}

void vj_pid_wait_and_exit(struct vjail *j)
{
	sigset_t set;
	siginfo_t si;
	int st;

	forward_set(&set);
	for (;;) {
		int sig = sigwaitinfo(&set, &si);

		if (sig < 0)
			continue;
		if (sig != SIGCHLD) {
			kill(j->run.child, sig);
			continue;
		}
		if (waitpid(j->run.child, &st, WNOHANG) == j->run.child) {
			st = final_status(j, st);
			vj_cg_cleanup(j);
			exit_like(st);
		}
	}
}

/* ---- commit: async-signal-safe ------------------------------------------- */

int vj_pid_commit_sync(struct vjail *j)
{
	char go;

	if (j->run.in_place && !j->run.spawning)
		return 0;
	/* If the outside dies, so does the jail (re-armed after the uid
	 * switch, which clears it). EOF instead of a byte: it died before
	 * we could arm this. */
	j->run.fail_object = "parent death signal";
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0)
		return -errno;
	if (vj_ns_ready_needed(j)) {
		j->run.fail_object = "ready";
		if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0 ||
		    write(j->run.status_fd[1], "r", 1) != 1)
			return -errno;
	}
	j->run.fail_object = "sync with outside";
	if (read(j->run.sync_fd[0], &go, 1) != 1)
		return -ECANCELED;
	close_fd(&j->run.sync_fd[0]);
	return 0;
}

static void init_exit(struct vjail *j, int st) __attribute__((noreturn));
static void init_exit(struct vjail *j, int st)
{
	(void)!write(j->run.status_fd[1], &st, sizeof(st));
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

/* Pid 1: reap every orphan, forward signals to main, answer uname(2),
 * keep the live /proc views current, end with main. The forwarded signals
 * stay blocked and arrive on @sfd, so that one poll(2) waits for them, for
 * the uname listener and for the views' timer @tfd (-1, which poll
 * ignores, when there is none). */
static void init_loop(struct vjail *j, pid_t main_pid, int sfd, int tfd)
	__attribute__((noreturn));
static void init_loop(struct vjail *j, pid_t main_pid, int sfd, int tfd)
{
	struct pollfd pfd[3] = { { .fd = sfd, .events = POLLIN },
				 { .fd = j->uts.listener, .events = POLLIN },
				 { .fd = tfd, .events = POLLIN } };
	struct signalfd_siginfo si;
	uint64_t ticks;
	int st;

	for (;;) {
		pid_t p;

		if (poll(pfd, 3, -1) < 0)
			continue;
		if (pfd[1].revents & POLLIN)
			vj_uname_serve(j);
		else if (pfd[1].revents & (POLLHUP | POLLERR | POLLNVAL))
			pfd[1].fd = -1; /* no caller can be left */
		if ((pfd[2].revents & POLLIN) &&
		    read(tfd, &ticks, sizeof(ticks)) == sizeof(ticks))
			vj_procview_refresh(j);
		if (!(pfd[0].revents & POLLIN) ||
		    read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo != SIGCHLD) {
			kill(main_pid, (int)si.ssi_signo);
			continue;
		}
		while ((p = waitpid(-1, &st, WNOHANG)) > 0)
			if (p == main_pid)
				init_exit(j, st);
	}
}

/* Init keeps nothing of the caller's: only stderr, the status pipe, the
 * uname listener and what the /proc views need. */
static int init_close_fds(struct vjail *j)
{
	int keep[3 + VJ_PV_FDS + VJ_PV_MAX] = { STDERR_FILENO,
						j->run.status_fd[1],
						j->uts.listener };
	size_t nkeep = 3 + vj_procview_init_fds(j, keep + 3,
						 ARRAY_SIZE(keep) - 3);
	unsigned int next = 0;

	/* In order (insertion sort: qsort is not async-signal-safe). */
	for (size_t i = 1; i < nkeep; i++)
		for (size_t k = i; k > 0 && keep[k - 1] > keep[k]; k--) {
			int t = keep[k];

			keep[k] = keep[k - 1];
			keep[k - 1] = t;
		}
	for (size_t i = 0; i < nkeep; i++) {
		if (keep[i] < 0 || (unsigned int)keep[i] < next)
			continue;
		if ((unsigned int)keep[i] > next &&
		    close_range(next, (unsigned int)keep[i] - 1, 0) != 0)
			return -errno;
		next = (unsigned int)keep[i] + 1;
	}
	return close_range(next, ~0U, 0) == 0 ? 0 : -errno;
}

int vj_pid_commit_init(struct vjail *j)
{
	sigset_t set;
	pid_t main_pid;
	int rc, sfd, tfd;

	if (j->run.in_place)
		return 0;
	/* Blocked before fork, so no signal falls between fork and loop. */
	forward_set(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
	/* Loaded here, so that main and all it starts inherit it. */
	rc = vj_uname_commit_init(j);
	if (rc < 0)
		return rc;
	main_pid = fork();
	if (main_pid < 0)
		return vj_commit_fail(j, "main process", -errno);
	if (main_pid == 0)
		return 0;
	if ((rc = init_close_fds(j)) < 0)
		vj_commit_die("init", "close fds", -rc);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0)
		vj_commit_die("init", "signalfd", errno);
	if ((rc = vj_procview_timer(j, &tfd)) < 0)
		vj_commit_die("init", "proc views timer", -rc);
	if ((rc = vj_sc_commit_init(j)) < 0)
		vj_commit_die("init", "seccomp", -rc);
	init_loop(j, main_pid, sfd, tfd);
}

int vj_pid_commit_main(struct vjail *j)
{
	close_fd(&j->run.status_fd[1]);
	close_fd(&j->run.sync_fd[0]);
	j->run.fail_object = "signal mask";
	if (sigprocmask(SIG_SETMASK, &j->run.saved_mask, NULL) != 0)
		return -errno;
	return 0;
}
