/* libvjail/jail.c - the handle's life (create, destroy, last error,
 * waivers, what was enforced) and the enter sequence: vjail_enter() and
 * vjail_spawn() run the prepare table, then the commit table, top to
 * bottom. Each line says why it stands where it stands.
 */
#include <errno.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "error.h"
#include "jail.h"
#include "pid.h"
#include "procview.h"
#include "uname.h"

#define VJ_CREATE_ALL                                                          \
	(VJAIL_CREATE_BEST_EFFORT | VJAIL_CREATE_ROOT_RW |                     \
	 VJAIL_CREATE_NO_ACCOUNTING)
#define VJ_ENTER_ALL (VJAIL_ENTER_SUPERVISE)

static int prepare_caller(struct vjail *j);
static int commit_session(struct vjail *j);
static int commit_unshare(struct vjail *j);
static int commit_rearm(struct vjail *j);
static int commit_release(struct vjail *j);

/* Prepare: may allocate, open and probe; must not change the process. */
static const struct vj_step prepare_steps[] = {
	{ "caller", prepare_caller },	  /* one thread, flags */
	{ "namespaces", vj_ns_prepare },  /* first: the others depend on it */
	{ "names", vj_uts_prepare },	  /* settings need their namespace */
	{ "uptime", vj_timens_prepare },
	{ "limits", vj_limits_prepare },  /* refuse what commit could not do */
	{ "cgroup", vj_cg_prepare },	  /* made and limited before the jail */
	{ "proc views", vj_procview_prepare }, /* files generated outside */
	{ "filesystem", vj_fs_prepare },  /* open root and sources now */
	{ "landlock", vj_ll_prepare },	  /* ruleset fd + port rules */
	{ "seccomp", vj_sc_prepare },	  /* compile to BPF now: cheap load */
	{ "credentials", vj_caps_prepare }, /* libcap-ng state; saves caller's */
	{ "pipes", vj_pid_prepare },	  /* outside <-> jail */
	{ "fds", vj_fds_prepare },	  /* last: knows every fd opened above */
};

/* Commit: async-signal-safe system calls only; a failure ends the process. */
static const struct vj_step commit_steps[] = {
	{ "sync", vj_pid_commit_sync },	     /* ids mapped by the outside */
	{ "close fds", vj_fds_commit },	     /* before anything can leak in */
	{ "session", commit_session },	     /* no controlling tty: TIOCSTI */
	{ "unshare", commit_unshare },	     /* in place only: user ns first */
	{ "cgroup", vj_cg_commit },	     /* move in, then its namespace */
	{ "time ns", vj_timens_commit },     /* offsets before the first child */
	{ "loopback", vj_ns_commit_loopback }, /* needs CAP_NET_ADMIN */
	{ "ipc limits", vj_limits_commit_ipc }, /* before /proc/sys is ro */
	{ "file ids", vj_caps_commit_fsids }, /* after /proc writes above; */
	{ "new root", vj_fs_commit },	     /* what it creates is the jail's */
	{ "hostname", vj_uts_commit },	     /* needs CAP_SYS_ADMIN */
	{ "rlimits", vj_limits_commit },     /* while caps are still held */
	{ "credentials", vj_caps_commit },   /* ids, caps, bounding, NNP */
	{ "pdeathsig", commit_rearm },	     /* the uid switch cleared it */
	{ "landlock", vj_ll_commit },	     /* rules; the domain after NNP */
	{ "init", vj_pid_commit_init },	     /* pid ns: fork main; pid 1 execs
						vjail-init */
	{ "release", commit_release },	     /* main: fds, signal mask */
	{ "uname", vj_uname_commit_main },   /* main's trap, before seccomp */
	{ "proc views", vj_procview_commit_main }, /* init's fds out of main */
	{ "landlock", vj_ll_commit_main },   /* pid ns: main's, not pid 1's */
	{ "init ready", vj_pid_commit_ready }, /* or: init not dumpable */
	{ "seccomp", vj_sc_commit },	     /* last: need not allow the above */
};

static int check_root(const char *root)
{
	struct stat st;

	if (root == NULL)
		return 0;
	if (root[0] != '/' || strlen(root) >= PATH_MAX)
		return -EINVAL;
	if (stat(root, &st) != 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_create(struct vjail **jp, const char *root,
			   unsigned int flags)
{
	struct vjail *j;
	int rc;

	*jp = NULL;
	if (flags & ~VJ_CREATE_ALL)
		return -EINVAL; /* a newer caller's wish we cannot honour */
	rc = check_root(root);
	if (rc < 0)
		return rc;
	j = calloc(1, sizeof(*j));
	if (j == NULL)
		return -ENOMEM;
	j->flags = flags;
	/* Every fd starts at -1 so that destroy can close blindly. */
	j->fs.root_fd = j->ll.ruleset_fd = -1;
	j->run.sync_fd[0] = j->run.sync_fd[1] = -1;
	j->run.status_fd[0] = j->run.status_fd[1] = -1;
	j->run.init_fd = j->run.ready_fd = j->run.ready_w = -1;
	j->run.state_fd[0] = j->run.state_fd[1] = -1;
	j->run.exec_fd[0] = j->run.exec_fd[1] = -1;
	if (root != NULL && (j->fs.root = strdup(root)) == NULL) {
		free(j);
		return -ENOMEM;
	}
	*jp = j;
	return 0;
}

/* Everything prepare opened or allocated; prepare may run again after. */
static void undo_prepare(struct vjail *j)
{
	vj_cg_cleanup(j);
	vj_procview_close(j);
	vj_fs_close(j);
	vj_ll_close(j);
	vj_pid_close(j);
	vj_caps_restore(j);
	free(j->run.uid_map);
	free(j->run.gid_map);
	j->run.uid_map = j->run.gid_map = NULL;
	j->enforced = 0;
}

/* Documented in include/vjail.h. */
VJAIL_API void vjail_destroy(struct vjail *j)
{
	if (j == NULL)
		return;
	undo_prepare(j);
	vj_fs_free(j);
	vj_fds_free(j);
	vj_ll_free(j);
	vj_sc_free(j);
	vj_cg_free(j);
	free(j);
}

/* Documented in include/vjail.h. */
VJAIL_API const char *vjail_strerror(const struct vjail *j)
{
	return j->errmsg;
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_waive(struct vjail *j, uint64_t features)
{
	int rc = vj_check_new(j, "waive");

	if (rc < 0)
		return rc;
	if (features & ~VJAIL_FEAT_ALL)
		return vj_fail_msg(j, EINVAL, "waive: unknown bits %#llx",
				   (unsigned long long)(features &
							~VJAIL_FEAT_ALL));
	j->waived |= features;
	return 0;
}

/* Documented in include/vjail.h. */
VJAIL_API uint64_t vjail_enforced(const struct vjail *j)
{
	return j->enforced;
}

size_t vj_internal_fds(const struct vjail *j, int *out, size_t max)
{
	size_t n = 0;

#define ADD(fd)                                                                \
	do {                                                                   \
		if ((fd) >= 0 && n < max)                                      \
			out[n++] = (fd);                                       \
	} while (0)
	ADD(j->ll.ruleset_fd);
	ADD(j->run.sync_fd[0]);	  /* the jail's ends of the pipes */
	ADD(j->run.status_fd[1]);
	ADD(j->run.init_fd);	  /* pid 1 execs it */
	ADD(j->run.ready_fd);	  /* main waits for init on it */
	ADD(j->run.ready_w);
	ADD(j->run.state_fd[0]);  /* pid 1 -> vjail-init */
	ADD(j->run.state_fd[1]);
	ADD(j->run.exec_fd[1]);	  /* spawn: closed by the execs */
#undef ADD
	/* what init reads to keep the /proc views current */
	n += vj_procview_fds(j, out + n, max - n);
	n += vj_cg_internal_fds(j, out + n, max - n); /* moved in by commit */
	return n;
}

static int thread_count(void)
{
	char line[128];
	int n = -1;
	struct stat st;
	FILE *f;

	/* procfs counts each thread as a link of /proc/self/task, on top of
	 * "." and "..": one stat(2) instead of parsing the status file. A
	 * kernel that counts otherwise (fewer than 3 links) gets the parse. */
	if (stat("/proc/self/task", &st) == 0 && st.st_nlink >= 3)
		return (int)(st.st_nlink - 2);
	f = fopen("/proc/self/status", "re");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "Threads: %d", &n) == 1)
			break;
	fclose(f);
	return n;
}

static int prepare_caller(struct vjail *j)
{
	/* The caller's own process becomes the jail (directly, or as the
	 * fork that is main): its other threads would be left outside, or
	 * vanish in main, and unshare(CLONE_NEWUSER) refuses them. */
	if (!j->run.spawning && thread_count() > 1)
		return vj_fail_msg(j, EBUSY,
				   "enter: the caller has %d threads; call "
				   "vjail_enter() before starting threads, or "
				   "use vjail_spawn()",
				   thread_count());
	if (sigprocmask(SIG_SETMASK, NULL, &j->run.saved_mask) != 0)
		return vj_fail(j, errno, "read signal mask");
	return 0;
}

static int run_prepare(struct vjail *j)
{
	for (size_t i = 0; i < ARRAY_SIZE(prepare_steps); i++) {
		int rc = prepare_steps[i].run(j);

		if (rc < 0) {
			undo_prepare(j);
			return rc;
		}
	}
	return 0;
}

/* In the process that becomes the jail, from step @from on (0, or after
 * "init" in vjail_spawn()'s main). Returns in main. */
static void run_commit(struct vjail *j, size_t from)
{
	j->state = VJ_STATE_COMMITTING;
	for (size_t i = from; i < ARRAY_SIZE(commit_steps); i++) {
		int rc;

		j->run.fail_object = NULL;
		j->run.step = i;
		rc = commit_steps[i].run(j);
		if (rc < 0)
			vj_commit_die(commit_steps[i].name, j->run.fail_object,
				      -rc);
	}
	j->state = VJ_STATE_ENTERED;
}

static int commit_session(struct vjail *j)
{
	/* A new session has no controlling terminal, so the jail cannot
	 * push input into the caller's with TIOCSTI. In place, the caller
	 * may already lead a process group; the seccomp profile then stops
	 * TIOCSTI instead. */
	if (setsid() < 0 && !(j->run.in_place && errno == EPERM)) {
		j->run.fail_object = "setsid";
		return -errno;
	}
	return 0;
}

static int commit_unshare(struct vjail *j)
{
	if (!j->run.in_place || j->run.spawning)
		return 0; /* clone3 made the namespaces */
	return vj_ns_commit_unshare(j);
}

static int commit_rearm(struct vjail *j)
{
	if (j->run.in_place && !j->run.spawning)
		return 0;
	j->run.fail_object = "parent death signal";
	return prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) == 0 ? 0 : -errno;
}

static int commit_release(struct vjail *j)
{
	vj_fs_close(j);
	return vj_pid_commit_main(j);
}

/* vjail_spawn()'s processes in the jail: the first one, and with a pid
 * namespace main, each started by pid.c with CLONE_VM on a stack of its
 * own, with a copy of the handle. The commit table from j->run.step, then
 * the program (pid 1 leaves the table at "init" for vjail-init). */
static int spawn_commit(void *arg)
{
	struct vjail *j = arg;

	run_commit(j, j->run.step);
	execve(j->run.argv[0], j->run.argv, j->run.envp);
	vj_commit_die("exec", j->run.argv[0], errno);
}

/* Run the commit table in a clone (spawn, or enter with a pid ns). In the
 * parent: 1. In the jail (enter): 0, after the whole table. */
static int clone_and_commit(struct vjail *j)
{
	int rc;

	j->run.entry = spawn_commit;
#ifdef __GLIBC__
	/* Prepare's seccomp compile (libseccomp) leaves a few hundred KiB of
	 * freed nodes spread over the heap. The clone below copies the heap
	 * into the jail's init, which lives as long as the jail, and the first
	 * large free on either side consolidates those nodes, turning every
	 * page they touch into a private copy in both processes. Giving the
	 * free pages back first keeps them out of both: make bench measured
	 * 770 -> 310 KiB of PSS per jail (spawner + init). A spawn copies
	 * nothing (CLONE_VM, then exec), but the spawner itself keeps what
	 * is not given back: bench-scale N=100 measured 533 -> 269 KiB for
	 * the outside process with the trim. */
	malloc_trim(0);
#endif
	/* Main of vjail_enter() on the caller's memory comes back here,
	 * from the fork in the "init" step (pid.c), and goes on after it. */
	if (!j->run.spawning && sigsetjmp(j->run.resume, 0) != 0) {
		run_commit(j, j->run.step + 1);
		return 0;
	}
	rc = vj_pid_clone(j);

	if (rc < 0) {
		undo_prepare(j);
		return rc;
	}
	if (rc == 0) {
		run_commit(j, 0);
		return 0;
	}
	/* Outside: nothing of the jail's stays open here. */
	vj_fs_close(j);
	vj_ll_close(j);
	vj_procview_close(j);
	vj_caps_restore(j);
#ifdef __GLIBC__
	/* What prepare made for the jail is freed now: give the pages back,
	 * the outside lives as long as the jail (bench-scale N=1000: 211.9
	 * -> 203.7 KiB of PSS for the outside process). */
	malloc_trim(0);
#endif
	return 1;
}

static int enter_or_spawn(struct vjail *j, bool spawning, bool supervise)
{
	sigset_t block;
	int rc;

	j->run.spawning = spawning;
	j->run.supervising = supervise;
	rc = run_prepare(j);
	if (rc < 0)
		return rc;
	if (j->run.in_place && !spawning) {
		run_commit(j, 0);
		vj_caps_restore(j);
		return 0;
	}
	/* The jail's init and the outside wait both want the forwarded
	 * signals blocked from before the clone. */
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, NULL);
	rc = clone_and_commit(j);
	if (rc == 0)
		return 0; /* main, inside */
	if (rc < 0 || spawning || supervise) {
		sigprocmask(SIG_SETMASK, &j->run.saved_mask, NULL);
		if (rc > 0)
			j->state = VJ_STATE_SPAWNED;
		return rc < 0 ? rc : 1;
	}
	vj_pid_wait_and_exit(j);
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_enter(struct vjail *j, unsigned int flags)
{
	int rc = vj_check_new(j, "enter");

	if (rc < 0)
		return rc;
	if (flags & ~VJ_ENTER_ALL)
		return vj_fail_msg(j, EINVAL, "enter: unknown flags %#x",
				   flags & ~VJ_ENTER_ALL);
	rc = enter_or_spawn(j, false, flags & VJAIL_ENTER_SUPERVISE);
	return rc > 0 ? VJAIL_SUPERVISOR : rc;
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_spawn(struct vjail *j, char *const argv[],
			  char *const envp[], pid_t *pid)
{
	static char *const empty_env[] = { NULL };
	int rc = vj_check_new(j, "spawn");

	if (rc < 0)
		return rc;
	if (argv == NULL || argv[0] == NULL || argv[0][0] == '\0')
		return vj_fail_msg(j, EINVAL, "spawn: empty argv");
	if (pid == NULL)
		return vj_fail_msg(j, EINVAL, "spawn: pid pointer is NULL");
	j->run.argv = argv;
	j->run.envp = envp != NULL ? envp : empty_env;
	rc = enter_or_spawn(j, true, false);
	if (rc < 0)
		return rc;
	/* rc is 1: the jail's processes exec in spawn_commit(). */
	*pid = j->run.child;
	return 0;
}

/* Documented in include/vjail.h. */
VJAIL_API pid_t vjail_pid(const struct vjail *j)
{
	return j->run.have_status ? 0 : j->run.child;
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_wait(struct vjail *j, int *status)
{
	if (status == NULL)
		return vj_fail_msg(j, EINVAL, "wait: status pointer is NULL");
	return vj_pid_wait(j, status);
}
