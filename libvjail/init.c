/* libvjail/init.c - vjail-init, the library's init: pid 1 of a jail with
 * a pid namespace. The jail's first process execs it after forking main
 * (pid.c), so that pid 1, which lives as long as the jail, keeps no
 * copy-on-write image of the caller: a small static program (after
 * pivot_root the jail has no ld.so or C library of ours to load). On
 * x86_64 it links no C library at all (kernel/init-rt.c): one of it runs
 * per jail, and what it touches, not what it maps, is the jail's cost.
 *
 * It gets everything through the fd numbered argv[1], a pipe holding a
 * struct vj_init_state and the init's seccomp program (initstate.h); the
 * fds named there are inherited. Then it only reaps orphans, forwards
 * SIGTERM/INT/HUP/QUIT/USR1/USR2 to main, answers the jail's uname(2)
 * notifications (uname-serve.c), rewrites the live /proc views every
 * VJ_PV_REFRESH_MS (procview-live.c), and when main ends writes main's
 * wait status on the status pipe and exits with it: the kernel then kills
 * what is left of the jail.
 *
 * It runs inside the jail's namespaces, root, Landlock domain and
 * credentials, already with no_new_privs; it loads its own seccomp filter
 * (a fixed allowlist; anything else kills it) once its fds are set up.
 * An exec makes a process dumpable again, and its fds (the status pipe to
 * the outside above all) must not be open to the jail's processes through
 * /proc/1/fd: the first thing it does is to drop that. Main, meanwhile,
 * nests a Landlock domain of its own, which keeps every process of the
 * jail away from pid 1 anyway; without Landlock it waits for this (the
 * ready pipe) before running anything of its own.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "initstate.h"

static const int forwarded[] = { SIGTERM, SIGINT,  SIGHUP,
				 SIGQUIT, SIGUSR1, SIGUSR2 };

/* What pages vjail-init touches stay its own for the jail's life: its
 * state and, in the same pages, the filter until it is loaded, then the
 * work area of the /proc views' refresh (a few KiB of its 24 touched;
 * on the stack they would dirty pages of their own). */
static struct {
	struct vj_init_state st;
	union {
		struct sock_filter prog[VJ_INIT_PROG_MAX];
		char views[VJ_PV_WORK];
	} u;
} mem;

static void die(const char *what, int err) __attribute__((noreturn));
static void die(const char *what, int err)
{
	const char *reason = err ? strerror(err) : "bad state";

	(void)!write(STDERR_FILENO, "vjail-init: ", 12);
	(void)!write(STDERR_FILENO, what, strlen(what));
	(void)!write(STDERR_FILENO, ": ", 2);
	(void)!write(STDERR_FILENO, reason, strlen(reason));
	(void)!write(STDERR_FILENO, "\n", 1);
	_exit(127);
}

/* All of @len bytes from @fd, or die. */
static void read_all(int fd, void *buf, size_t len, const char *what)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die(what, n < 0 ? errno : 0);
		got += (size_t)n;
	}
}

static int parse_fd(const char *s)
{
	long v = 0;

	if (s == NULL || *s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 65536)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return (int)v;
}

static void load_state(int fd)
{
	read_all(fd, &mem.st, sizeof(mem.st), "read state");
	if (mem.st.magic != VJ_INIT_MAGIC || mem.st.size != sizeof(mem.st) ||
	    mem.st.prog_len > VJ_INIT_PROG_MAX || mem.st.pv.n > VJ_PV_MAX)
		die("state from another version of libvjail", 0);
	read_all(fd, mem.u.prog, mem.st.prog_len * sizeof(mem.u.prog[0]),
		 "read filter");
	if (close(fd) != 0)
		die("close state", errno);
}

static void init_exit(int status) __attribute__((noreturn));
static void init_exit(int status)
{
	(void)!write(mem.st.status_fd, &status, sizeof(status));
	_exit(WIFEXITED(status) ? WEXITSTATUS(status)
				: 128 + WTERMSIG(status));
}

/* Reap whatever has ended; end with main. */
static void reap(void)
{
	pid_t p;
	int status;

	while ((p = waitpid(-1, &status, WNOHANG)) > 0)
		if (p == mem.st.main_pid)
			init_exit(status);
}

/* The forwarded signals stay blocked and arrive on @sfd, so that one
 * poll(2) waits for them, for the uname listener and for the views' timer
 * @tfd (-1, which poll ignores, when there is none). */
static void loop(int sfd, int tfd) __attribute__((noreturn));
static void loop(int sfd, int tfd)
{
	struct pollfd pfd[3] = { { .fd = sfd, .events = POLLIN },
				 { .fd = mem.st.uname.listener,
				   .events = POLLIN },
				 { .fd = tfd, .events = POLLIN } };
	struct signalfd_siginfo si;
	uint64_t ticks;

	for (;;) {
		if (poll(pfd, 3, -1) < 0)
			continue;
		if (pfd[1].revents & POLLIN)
			vj_uname_serve(&mem.st.uname);
		else if (pfd[1].revents & (POLLHUP | POLLERR | POLLNVAL))
			pfd[1].fd = -1; /* no caller can be left */
		if ((pfd[2].revents & POLLIN) &&
		    read(tfd, &ticks, sizeof(ticks)) == sizeof(ticks))
			vj_pv_refresh(&mem.st.pv, mem.u.views);
		if (!(pfd[0].revents & POLLIN) ||
		    read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo != SIGCHLD) {
			kill(mem.st.main_pid, (int)si.ssi_signo);
			continue;
		}
		reap();
	}
}

int main(int argc, char **argv)
{
	struct sock_fprog f = { .filter = mem.u.prog };
	sigset_t set;
	int sfd, tfd, rc;

	/* First: no access to this process's fds and memory by the jail's
	 * processes of the same uid (see the header comment). */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		die("not dumpable", errno);
	/* Named by its exec from an fd, "ps" would show the fd's number. */
	if (prctl(PR_SET_NAME, "vjail-init", 0, 0, 0) != 0)
		die("name", errno);
	if (argc != 2 || parse_fd(argv[1]) < 0)
		die("usage: started by libvjail only, with a state fd", 0);
	load_state(parse_fd(argv[1]));
	if (close(mem.st.ready_fd) != 0)
		die("close ready pipe", errno);
	/* The mask came blocked across the exec; the dispositions may be
	 * the caller's SIG_IGN, which would drop them before the signalfd. */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(&set, forwarded[i]);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		die("signal mask", errno);
	if (signal(SIGCHLD, SIG_DFL) == SIG_ERR)
		die("SIGCHLD", errno);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		if (signal(forwarded[i], SIG_DFL) == SIG_ERR)
			die("signal", errno);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0)
		die("signalfd", errno);
	if ((rc = vj_pv_timer(&mem.st.pv, &tfd)) < 0)
		die("proc views timer", -rc);
	f.len = mem.st.prog_len;
	if (f.len > 0 && prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &f) != 0)
		die("seccomp", errno);
	reap(); /* main may have ended before the signalfd existed */
	loop(sfd, tfd);
}
