/* libvjail/pid.c - processes: the clone into the new namespaces, the
 * jail's pid 1, and the outside process that waits for it.
 *
 *   outside (the caller)      clone3(CLONE_NEW*) -> jail's first process
 *     writes the id maps, then one byte on the sync pipe: "go on"
 *     waits, forwarding SIGTERM/INT/HUP/QUIT/USR1/USR2, and ends as main
 *     ended (same exit code, or the same signal), or supervises
 *   first process             commit steps (new root, credentials, ...)
 *     with a pid namespace it is pid 1: forks main, then execs the
 *     library's init, vjail-init (init.c), from the fd prepare opened,
 *     handing it its state in a pipe (initstate.h). vjail-init only
 *     reaps orphans, forwards signals to main, answers the jail's
 *     uname(2) calls for a virtual uname (uname-serve.c) and rewrites
 *     the live /proc views every second (procview-live.c); when main
 *     ends it writes main's wait status on the status pipe and exits,
 *     which makes the kernel kill whatever is left in the jail
 *   main                      the caller's code (enter) or the program
 *                             (spawn), last step: the seccomp filter
 *
 * Why exec an init rather than keep the fork: pid 1 lives as long as the
 * jail, and a fork keeps a copy-on-write image of the whole caller (heap,
 * libraries, page tables), a private copy of every page either side
 * writes later. A small static program keeps a few pages.
 *
 * vjail_enter(): main must go on with the caller's code in a copy of the
 * caller's memory, so one copy is unavoidable; the first process need not
 * be one. It is made like vjail_spawn()'s (below): on the caller's memory,
 * on a stack of its own, born in the namespaces. At the "init" step it
 * fork()s main, the one copy, and execs vjail-init; main, in its copy,
 * jumps back to where the caller called the clone (jail.c,
 * clone_and_commit(): sigsetjmp), with the handle as the first process
 * left it, and runs the rest of the table on the caller's stack. A fork
 * of the first process copies the caller's memory as it is at that
 * moment; the outside is blocked reading exec_fd then, below the frame
 * main returns to, holding no lock. Without that sharing (a caller that
 * is not dumpable, or an ASan build, whose stack bookkeeping a jump
 * between stacks would confuse) the first process is a raw clone3 copy
 * of the caller that runs only library code, async-signal-safe, never
 * using glibc's thread data, which a raw clone leaves stale, and main is
 * a fork() of it that simply returns.
 *
 * vjail_spawn(): nothing of the caller's memory is needed in the jail
 * past the exec of the program, and a fork copies the page tables of all
 * of it (tens of ms for a caller of a GiB). So the first process is a
 * clone(CLONE_VM) on a stack of its own, and with a pid namespace it
 * makes main the same way; each runs on a copy of the handle in the
 * area mmap'd in prepare (struct spawn_area), and writes nothing the
 * caller reads (the commit steps write only the handle; errno, which is
 * the caller's thread's, is read right after each failing call). The
 * outside writes the id maps, says go, and then touches no memory until
 * both have exec'd or died: EOF on exec_fd, close-on-exec, which only
 * they hold. No CLONE_VFORK: the outside must run to write the maps.
 * A caller that is not dumpable gets a copy instead (shares_memory()).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/filter.h>
#ifdef HAVE_SYS_RSEQ_H
#include <sys/rseq.h>
#endif
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

#include "kernel/compat.h"
#include "kernel/syscalls.h"
#include "asyncsafe.h"
#include "error.h"
#include "initstate.h"
#include "jail.h"
#include "pid.h"
#include "procview.h"
#include "uname.h"

/* vjail_spawn(): what the jail's processes run on until they exec. The
 * first process's copy of the handle (and of its mount list, which the
 * commit steps write), main's copy, then two stacks with a guard page
 * below each. */
struct spawn_area {
	struct vjail first;
	struct vjail main;
	struct vj_mount_req mounts[];
};

#define SPAWN_STACK (256 << 10) /* the deepest commit step uses ~20 KiB */

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
	close_fd(&j->run.init_fd);
	close_fd(&j->run.ready_fd);
	close_fd(&j->run.ready_w);
	close_fd(&j->run.state_fd[0]);
	close_fd(&j->run.state_fd[1]);
	close_fd(&j->run.exec_fd[0]);
	close_fd(&j->run.exec_fd[1]);
	if (j->run.area != NULL)
		munmap(j->run.area, j->run.area_size);
	j->run.area = NULL;
}

static size_t page_size(void)
{
	long p = sysconf(_SC_PAGESIZE);

	return p > 0 ? (size_t)p : 4096;
}

static size_t area_head(const struct vjail *j)
{
	size_t page = page_size();
	size_t head = sizeof(struct spawn_area) +
		      j->fs.nmounts * sizeof(struct vj_mount_req);

	return (head + page - 1) / page * page;
}

/* The top of stack @n (0: the first process, 1: main). */
static void *stack_top(const struct vjail *j, int n)
{
	return (char *)j->run.area + area_head(j) +
	       (size_t)(n + 1) * (page_size() + SPAWN_STACK);
}

/* Does the first process share the caller's memory? Only while the
 * caller is dumpable: "dumpable" belongs to the memory, not the process,
 * so what the jail's processes set (dumpable for the id maps of a user
 * namespace, pid.c's sync; not dumpable, caps.c; a uid switch, by the
 * kernel) lands on the caller too. Lowering it for a moment is harmless
 * and undone once they have exec'd (restore_dumpable()); raising it would
 * let the caller's uid attach to a caller that made itself not dumpable
 * (one that dropped root), so such a caller's jail gets a copy instead. */
static bool shares_memory(void)
{
	return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1; /* SUID_DUMP_USER */
}

/* vjail_enter() on the caller's memory (the top of this file)? */
static bool enter_shares(const struct vjail *j)
{
#if defined(__SANITIZE_ADDRESS__)
	(void)j;
	return false;
#else
	return !j->run.spawning && !j->run.in_place && j->run.shares_vm;
#endif
}

/* The area and the pipe that says the jail's processes have exec'd. */
static int prepare_area(struct vjail *j)
{
	size_t page = page_size(), head = area_head(j);
	char *a;

	j->run.area_size = head + 2 * (page + SPAWN_STACK);
	a = mmap(NULL, j->run.area_size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1,
		 0);
	if (a == MAP_FAILED)
		return vj_fail(j, errno, "spawn: map %zu bytes of stacks",
			       j->run.area_size);
	j->run.area = a;
#if defined(__SANITIZE_ADDRESS__)
	/* The jail's processes leave their frames poisoned in the shadow
	 * (they exec, no function returns); a new mapping at the same
	 * address must not inherit that. */
	__asan_unpoison_memory_region(a, j->run.area_size);
#endif
	if (mprotect(a + head, page, PROT_NONE) != 0 ||
	    mprotect(a + head + page + SPAWN_STACK, page, PROT_NONE) != 0)
		return vj_fail(j, errno, "spawn: stack guard pages");
	if (pipe2(j->run.exec_fd, O_CLOEXEC) != 0)
		return vj_fail(j, errno, "pipe");
	return 0;
}

/* Where vjail-init is: the installed one, or for the tests and an
 * uninstalled build the one $VJAIL_INIT names (never for a set-uid or
 * set-gid caller: secure_getenv()). */
static const char *init_path(void)
{
	const char *p = secure_getenv("VJAIL_INIT");

	return p != NULL && p[0] != '\0' ? p : VJ_INIT_PATH;
}

/* Opened now, run after pivot_root, where no path of the host is left. */
static int open_init(struct vjail *j)
{
	const char *path = init_path();
	struct stat st;

	j->run.init_fd = open(path, O_PATH | O_CLOEXEC);
	if (j->run.init_fd < 0)
		return vj_fail(j, errno, "init: open %s (the library's init "
			       "program; VJAIL_INIT names another)", path);
	if (fstat(j->run.init_fd, &st) != 0)
		return vj_fail(j, errno, "init: stat %s", path);
	if (!S_ISREG(st.st_mode))
		return vj_fail_msg(j, EACCES, "init: %s is not a regular file",
				   path);
	return 0;
}

int vj_pid_prepare(struct vjail *j)
{
	int rc, ready[2];

	if (j->run.in_place && !j->run.spawning)
		return 0; /* the caller itself becomes the jail */
	if (pipe2(j->run.sync_fd, O_CLOEXEC) != 0 ||
	    pipe2(j->run.status_fd, O_CLOEXEC) != 0)
		return vj_fail(j, errno, "pipe");
	j->run.shares_vm = shares_memory();
	if ((j->run.spawning || enter_shares(j)) && (rc = prepare_area(j)) < 0)
		return rc;
	if (j->run.in_place)
		return 0;
	/* Init's pipes now, not in commit: the jail's rlimits (a low
	 * RLIMIT_NOFILE) apply there already. */
	if (pipe2(j->run.state_fd, O_CLOEXEC) != 0)
		return vj_fail(j, errno, "init: state pipe");
	if (pipe2(ready, O_CLOEXEC) != 0)
		return vj_fail(j, errno, "init: ready pipe");
	j->run.ready_fd = ready[0];
	j->run.ready_w = ready[1];
	return open_init(j);
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

/* vjail_spawn(): the first process, on its stack and its copy of the
 * handle, runs j->run.entry. */
static pid_t clone_first(struct vjail *j, unsigned long ns_flags)
{
	struct spawn_area *a = j->run.area;
	int vm = j->run.shares_vm ? CLONE_VM : 0;

	a->first = *j;
	if (j->fs.nmounts > 0)
		memcpy(a->mounts, j->fs.mounts,
		       j->fs.nmounts * sizeof(a->mounts[0]));
	a->first.fs.mounts = a->mounts;
	a->first.run.step = 0;
	return clone(j->run.entry, stack_top(j, 0),
		     vm | (int)ns_flags | SIGCHLD, &a->first);
}

/* The jail's processes have left the caller's memory: what they did to
 * its dumpable flag is undone. */
static void restore_dumpable(struct vjail *j)
{
	if (j->run.shares_vm)
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

/* vjail_spawn(): wait until the jail's processes have left the caller's
 * memory (exec'd or died), then drop their area. */
static void wait_exec(struct vjail *j)
{
	char c;

	while (read(j->run.exec_fd[0], &c, 1) < 0 && errno == EINTR)
		;
	close_fd(&j->run.exec_fd[0]);
	munmap(j->run.area, j->run.area_size);
	j->run.area = NULL;
}

int vj_pid_clone(struct vjail *j)
{
	struct vj_clone_args args = {
		.flags = vj_ns_clone_flags(j),
		.exit_signal = SIGCHLD,
	};
	sigset_t all, before;
	pid_t pid;
	int rc;

	/* No handler of the caller's may run in a process on its memory:
	 * all blocked from birth; main restores the caller's mask. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &before);
	j->run.caller = j;
	pid = j->run.area != NULL ? clone_first(j, args.flags)
				  : vj_sys_clone3(&args, sizeof(args));
	if (pid != 0)
		sigprocmask(SIG_SETMASK, &before, NULL);

	if (pid < 0)
		return vj_ns_clone_failed(j, errno);
	if (pid == 0)
		return 0;
	j->run.child = pid;
	close_fd(&j->run.sync_fd[0]);
	close_fd(&j->run.status_fd[1]);
	close_fd(&j->run.init_fd);
	close_fd(&j->run.exec_fd[1]);
	close_fd(&j->run.ready_fd);
	close_fd(&j->run.ready_w);
	close_fd(&j->run.state_fd[0]);
	close_fd(&j->run.state_fd[1]);
	rc = wait_ready(j);
	if (rc == 0)
		rc = vj_ns_map_child(j, pid);
	if (rc == 0 && write(j->run.sync_fd[1], "g", 1) != 1)
		rc = vj_fail(j, errno, "sync with the jail's first process");
	close_fd(&j->run.sync_fd[1]);
	if (rc < 0) {
		kill(pid, SIGKILL);
		reap(pid);
		restore_dumpable(j);
		close_fd(&j->run.status_fd[0]);
		j->run.child = 0;
		return rc;
	}
	if (j->run.area != NULL) {
		wait_exec(j);
		restore_dumpable(j);
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

/* vjail_spawn(): a caller's signal handler must not run in the jail's
 * processes, on the caller's memory; the exec would reset them anyway. */
static int default_handlers(struct vjail *j)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL }, old;

	for (int sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP ||
		    sigaction(sig, NULL, &old) != 0)
			continue; /* glibc's own (SIGCANCEL...) say EINVAL */
		if (old.sa_handler == SIG_DFL || old.sa_handler == SIG_IGN)
			continue;
		if (sigaction(sig, &dfl, NULL) != 0)
			return vj_commit_fail(j, "signal handlers", -errno);
	}
	return 0;
}

int vj_pid_commit_sync(struct vjail *j)
{
	char go;
	int rc;

	if (j->run.in_place && !j->run.spawning)
		return 0;
	/* The outside's ends: the "close fds" step closes them here, and
	 * main, which keeps this handle, must not close their numbers
	 * again (vjail_destroy()), which may be its own fds by then. */
	j->run.sync_fd[1] = j->run.status_fd[0] = j->run.exec_fd[0] = -1;
	if (j->run.spawning && (rc = default_handlers(j)) < 0)
		return rc;
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

/* Pid 1 keeps nothing of the caller's into vjail-init: only stderr, the
 * state pipe, the status pipe, the ready pipe, the uname listener and what
 * the /proc views need, all without close-on-exec; and, close-on-exec, the
 * program's own fd and (spawn) its end of exec_fd, which must stay open
 * until the exec itself: until then this process still runs on the
 * caller's memory, which the outside may unmap or reuse on EOF. */
static int init_close_fds(struct vjail *j, int state_fd, int ready_fd)
{
	int keep[7 + VJ_PV_FDS + VJ_PV_MAX] = {
		STDERR_FILENO,	     state_fd,	      ready_fd,
		j->run.status_fd[1], j->uts.listener, j->run.init_fd,
		j->run.exec_fd[1],
	};
	size_t nkeep = 7 + vj_procview_init_fds(j, keep + 7,
						 ARRAY_SIZE(keep) - 7);
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
		if (keep[i] != j->run.init_fd && keep[i] != j->run.exec_fd[1] &&
		    fcntl(keep[i], F_SETFD, 0) != 0)
			return -errno;
		next = (unsigned int)keep[i] + 1;
	}
	return close_range(next, ~0U, 0) == 0 ? 0 : -errno;
}

/* Write vjail-init's state into the state pipe: one write of at most
 * PIPE_BUF bytes, which never blocks on an empty pipe (even one the kernel
 * shrank to a page, past the user's pipe quota) and arrives whole. */
static int init_state(struct vjail *j, pid_t main_pid)
{
	union {
		struct vj_init_state st;
		unsigned char raw[PIPE_BUF];
	} buf;
	struct vj_init_state *st = &buf.st;
	size_t prog = (size_t)j->sc.init_prog_len * sizeof(struct sock_filter);
	int rc;

	_Static_assert(sizeof(struct vj_init_state) < PIPE_BUF,
		       "vjail-init's state must fit one pipe write");
	if (prog > sizeof(buf) - sizeof(*st))
		return -E2BIG;
	memset(st, 0, sizeof(*st));
	st->magic = VJ_INIT_MAGIC;
	st->size = sizeof(*st);
	st->main_pid = main_pid;
	st->status_fd = j->run.status_fd[1];
	st->ready_fd = j->run.ready_w;
	st->uname.listener = j->uts.listener;
	st->uname.view = j->uts.view;
	vj_procview_live(j, &st->pv);
	st->prog_len = j->sc.init_prog_len;
	if (prog > 0)
		memcpy(buf.raw + sizeof(*st), j->sc.init_prog, prog);
	rc = vj_as_write_all(j->run.state_fd[1], (const char *)buf.raw,
			     sizeof(*st) + prog);
	close_fd(&j->run.state_fd[1]);
	return rc;
}

/* Pid 1, once main is forked: become vjail-init. Never returns. */
static void exec_init(struct vjail *j, pid_t main_pid)
	__attribute__((noreturn));
static void exec_init(struct vjail *j, pid_t main_pid)
{
	char num[16] = "";
	char *argv[] = { (char *)"vjail-init", num, NULL };
	char *envp[] = { NULL };
	sigset_t set;
	int rc;

	if ((rc = init_state(j, main_pid)) < 0)
		vj_commit_die("init", "state", -rc);
	if ((rc = init_close_fds(j, j->run.state_fd[0], j->run.ready_w)) < 0)
		vj_commit_die("init", "close fds", -rc);
	vj_as_append_i64(num, sizeof(num), j->run.state_fd[0]);
	/* vjail-init blocks the forwarded signals (it reads them from a
	 * signalfd) and nothing else of what this process blocked. */
	forward_set(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	vj_sys_execveat(j->run.init_fd, "", argv, envp, AT_EMPTY_PATH);
	vj_commit_die("init", "exec vjail-init", errno);
}

/* Main (vjail_enter() on the caller's memory), fresh from the fork, in its
 * own copy of everything: the caller's handle takes the first process's
 * copy (and mount list), then back to the caller's stack, into
 * clone_and_commit(), which goes on with the next step. */
static void resume_caller(struct vjail *j) __attribute__((noreturn));
static void resume_caller(struct vjail *j)
{
	struct vjail *caller = j->run.caller;
	struct vj_mount_req *mounts = caller->fs.mounts;

	if (j->fs.nmounts > 0)
		memcpy(mounts, j->fs.mounts, j->fs.nmounts * sizeof(*mounts));
	*caller = *j;
	caller->fs.mounts = mounts;
	siglongjmp(caller->run.resume, 1);
}

int vj_pid_commit_init(struct vjail *j)
{
	sigset_t set;
	pid_t main_pid;
	int rc;

	if (j->run.in_place)
		return 0;
	/* Blocked before fork, so no signal falls between fork and loop;
	 * the mask survives the exec. */
	forward_set(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
	/* Loaded here, so that main and all it starts inherit it. */
	rc = vj_uname_commit_init(j);
	if (rc < 0)
		return rc;
	if (j->run.spawning) {
		/* Main on the other stack, with a copy of the handle as it
		 * is now, from the next step on. */
		struct spawn_area *a = j->run.area;

		a->main = *j;
		a->main.run.step = j->run.step + 1;
		main_pid = clone(j->run.entry, stack_top(j, 1),
				 CLONE_VM | SIGCHLD, &a->main);
	} else {
		main_pid = fork();
	}
	if (main_pid < 0)
		return vj_commit_fail(j, "main process", -errno);
	if (main_pid == 0 && j->run.area != NULL)
		resume_caller(j); /* main (enter, on the caller's memory) */
	if (main_pid == 0)
		return 0; /* main (enter) */
	close_fd(&j->run.ready_fd);
	exec_init(j, main_pid);
}

/* Fresh from its exec, vjail-init is dumpable until it says otherwise:
 * until then any process of the jail with its uid could read its fds
 * through /proc/1/fd (the status pipe to the outside among them). With
 * Landlock, main's domain, which pid 1 is outside of, keeps it out of
 * reach (landlock.c vj_ll_commit_main()); without, main waits until
 * vjail-init has made itself not dumpable: EOF comes from its close, or
 * from its death, after which the kernel kills the whole pid namespace
 * anyway. */
int vj_pid_commit_ready(struct vjail *j)
{
	char c;
	ssize_t n;

	if (j->run.ready_fd < 0)
		return 0;
	if (!j->ll.nested) {
		do
			n = read(j->run.ready_fd, &c, 1);
		while (n < 0 && errno == EINTR);
		j->run.fail_object = "wait for init";
		if (n < 0)
			return -errno;
	}
	close_fd(&j->run.ready_fd);
	return 0;
}

/* Main of vjail_enter() on the caller's memory, back on its stack: the
 * outside waits for EOF on exec_fd, the stacks are the first process's
 * and nobody's now, and the kernel dropped the restartable-sequences
 * registration of glibc's thread data, which a clone(CLONE_VM) does not
 * inherit: registered again, sched_getcpu(3) tells the truth. */
static int main_back(struct vjail *j)
{
	close_fd(&j->run.exec_fd[1]);
	j->run.fail_object = "stacks";
	if (munmap(j->run.area, j->run.area_size) != 0)
		return -errno;
	j->run.area = NULL;
#ifdef HAVE_SYS_RSEQ_H
	/* __rseq_size is what glibc uses of the area (20 in 2.36), not its
	 * size, which is sizeof(struct rseq) at least, and what it gave
	 * the kernel. */
	if (__rseq_size > 0) {
		j->run.fail_object = "rseq";
		if (vj_sys_rseq((char *)__builtin_thread_pointer() +
					__rseq_offset,
				sizeof(struct rseq), 0, RSEQ_SIG) != 0)
			return -errno;
	}
#endif
	return 0;
}

int vj_pid_commit_main(struct vjail *j)
{
	int rc;

	if (!j->run.spawning && j->run.area != NULL &&
	    (rc = main_back(j)) < 0)
		return rc;
	close_fd(&j->run.status_fd[1]);
	close_fd(&j->run.sync_fd[0]);
	close_fd(&j->run.init_fd);
	close_fd(&j->run.ready_w);
	close_fd(&j->run.state_fd[0]);
	close_fd(&j->run.state_fd[1]);
	j->run.fail_object = "signal mask";
	if (sigprocmask(SIG_SETMASK, &j->run.saved_mask, NULL) != 0)
		return -errno;
	return 0;
}
