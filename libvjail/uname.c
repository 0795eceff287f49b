/* libvjail/uname.c - the virtual uname(2): the release, version and
 * machine that vjail_set_uname() gives, for every process of the jail,
 * across fork and exec, static binaries included; every other field real.
 *
 * The kernel keeps release, version and machine per boot, not per UTS
 * namespace, so the answer is made in user space, by two paths, because no
 * single one reaches every process of a jail:
 *
 *  exec'd programs (uname -a, a static binary, their children)
 *	The jail's first process loads a filter returning
 *	SECCOMP_RET_USER_NOTIF for uname(2) just before it forks main, so
 *	every process of the jail inherits it, across fork and exec. It keeps
 *	the listener when it becomes the library's init (vjail-init), which
 *	writes the answer into the caller's buffer with process_vm_writev(2)
 *	(uname-serve.c). That
 *	needs ptrace-level access, which init has without any capability: the
 *	same uid, the same Landlock domain, an ancestor of every process in
 *	the jail (Yama ptrace_scope 1 allows that), and a program is dumpable
 *	again after execve(2).
 *
 *  main (the process that called vjail_enter()) and its forks
 *	are not dumpable, on purpose (caps.c: no other process of the jail
 *	may read or write the daemon's memory), so init may not write them.
 *	CAP_SYS_PTRACE for init would not help an unprivileged jail either:
 *	main's memory belongs to the caller's user namespace. So main answers
 *	itself: a second filter, loaded in main, returns SECCOMP_RET_TRAP for
 *	uname(2) made from the C library's own call sites (uname(),
 *	gethostname(), getdomainname(), syscall()), which prepare finds by
 *	trapping them once in a forked child; a SIGSYS handler writes the
 *	answer. TRAP takes precedence over USER_NOTIF. An exec'd program
 *	inherits this filter too, but it matches exact return addresses, and
 *	ASLR puts a new program's C library elsewhere; at worst a program
 *	that maps code there on purpose gets a SIGSYS of its own.
 *
 * What neither path can answer gets EPERM, never the host's values: a raw
 * uname(2) from main's own code or from a library loaded after enter, a
 * program that is not dumpable (not readable by its user), a process that
 * changed its ids; without a pid namespace (no init), every exec'd
 * program. The i386 and x32 entry points of uname get EPERM as well (the
 * seccomp profiles kill those ABIs anyway, except VJAIL_PROFILE_NONE).
 *
 * The jail's seccomp policy comes first: a profile or rule that denies
 * uname(2) still denies it (ERRNO and KILL outrank USER_NOTIF), and the
 * trap, which would outrank ERRNO, is loaded only when the policy allows
 * uname.
 *
 * The signal handler has no handle to read, so the trap path keeps its
 * answer in a static variable: the one piece of process-wide state of the
 * library besides the feature probe, written once, in the process that
 * enters (a process is in one jail only).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <bsd/string.h>

#include "kernel/compat.h"
#include "kernel/probe.h"
#include "kernel/syscalls.h"
#include "error.h"
#include "jail.h"
#include "seccomp-profiles.h"
#include "uname.h"

/* The kernel's struct new_utsname: six fields of 65 bytes, as glibc's. */
_Static_assert(sizeof(struct utsname) == 6 * (VJ_UTS_LEN + 1),
	       "struct utsname must match the kernel's new_utsname");

#if defined(__x86_64__)
#define VJ_X32_BIT 0x40000000U    /* __X32_SYSCALL_BIT */
#define VJ_I386_UNAME 122U        /* newuname */
#define VJ_I386_OLDUNAME 109U
#define VJ_I386_OLDOLDUNAME 59U
#endif

#define DATA_NR offsetof(struct seccomp_data, nr)
#define DATA_ARCH offsetof(struct seccomp_data, arch)
/* Little endian: the low word of the instruction pointer comes first. */
#define DATA_IP_LO offsetof(struct seccomp_data, instruction_pointer)
#define DATA_IP_HI (DATA_IP_LO + 4)

/* ---- the filters ---------------------------------------------------------- */

#ifdef VJ_UNAME_ARCH
/*
 * Native uname(2) made from one of @sites returns TRAP; any other native
 * uname(2) returns @other; the x32 and i386 forms of uname return EPERM;
 * everything else is allowed (the jail's own filters decide). Returns the
 * length. Jump offsets are forward and below 256 for up to
 * VJ_UNAME_SITES sites.
 */
static unsigned short build_prog(struct sock_filter *p, const uint64_t *sites,
				 unsigned int n, uint32_t other)
{
	const unsigned int x32 = 4 + 5 * n + 1; /* after the sites + other */
	const unsigned int foreign = x32 + 1;
	const unsigned int deny = foreign + 5, allow = deny + 1;
	unsigned int i = 0;

	p[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      DATA_ARCH);
	p[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
					    VJ_UNAME_ARCH, 0,
					    (uint8_t)(foreign - i - 1));
	i++;
	p[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, DATA_NR);
	p[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
					    __NR_uname, 0, (uint8_t)(x32 - i - 1));
	i++;
	for (unsigned int s = 0; s < n; s++) {
		p[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						      DATA_IP_LO);
		p[i++] = (struct sock_filter)BPF_JUMP(
			BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)sites[s], 0, 3);
		p[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						      DATA_IP_HI);
		p[i++] = (struct sock_filter)BPF_JUMP(
			BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(sites[s] >> 32),
			0, 1);
		p[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						      SECCOMP_RET_TRAP);
	}
	p[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, other);
	/* x32: the accumulator still holds the number */
	p[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
					    VJ_X32_BIT | __NR_uname,
					    (uint8_t)(deny - i - 1),
					    (uint8_t)(allow - i - 1));
	i++;
	/* foreign: the accumulator holds the architecture */
	p[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
					    AUDIT_ARCH_I386, 0,
					    (uint8_t)(allow - i - 1));
	i++;
	p[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, DATA_NR);
	p[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
					      VJ_I386_UNAME, 2, 0);
	p[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
					      VJ_I386_OLDUNAME, 1, 0);
	p[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
					      VJ_I386_OLDOLDUNAME, 0, 1);
	p[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
					      SECCOMP_RET_ERRNO | EPERM);
	p[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
					      SECCOMP_RET_ALLOW);
	return (unsigned short)i;
}

/* ---- prepare: where the C library calls uname ----------------------------- */

/* The probe child's record; only ever written in that child. */
static uint64_t probe_sites[VJ_UNAME_SITES];
static volatile sig_atomic_t probe_n;

static void probe_sigsys(int sig, siginfo_t *si, void *ctx)
{
	greg_t *regs = ((ucontext_t *)ctx)->uc_mcontext.gregs;
	uint64_t ip = (uint64_t)(uintptr_t)si->si_call_addr;
	int n = probe_n;

	(void)sig;
	for (int i = 0; i < n; i++)
		if (probe_sites[i] == ip)
			goto answer;
	if (n < VJ_UNAME_SITES) {
		probe_sites[n] = ip;
		probe_n = n + 1;
	}
answer:
	/* Zeros, so the caller copies no stack garbage; then success. */
	memset((void *)regs[REG_RDI], 0, sizeof(struct utsname));
	regs[REG_RAX] = 0;
}

/* In the forked child: trap every uname(2), call the C library's functions
 * that use it, send the return addresses seen to @fd. Never returns. */
static void probe_child(int fd) __attribute__((noreturn));
static void probe_child(int fd)
{
	struct sock_filter prog[VJ_UNAME_PROG_MAX];
	struct sock_fprog f = { .filter = prog };
	struct sigaction sa = { .sa_sigaction = probe_sigsys,
				.sa_flags = SA_SIGINFO };
	struct utsname u;
	sigset_t sys;
	char name[256];
	ssize_t len;

	f.len = build_prog(prog, NULL, 0, SECCOMP_RET_TRAP);
	sigemptyset(&sys);
	sigaddset(&sys, SIGSYS);
	if (sigaction(SIGSYS, &sa, NULL) != 0 ||
	    sigprocmask(SIG_UNBLOCK, &sys, NULL) != 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    vj_sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &f) != 0)
		_exit(2);
	(void)!uname(&u);
	(void)!gethostname(name, sizeof(name));
	(void)!getdomainname(name, sizeof(name));
	(void)!vj_sys_uname(&u); /* the C library's syscall() */
	len = (ssize_t)((size_t)probe_n * sizeof(probe_sites[0]));
	_exit(write(fd, probe_sites, (size_t)len) == len ? 0 : 3);
}

static int find_sites(struct vjail *j)
{
	int p[2], status = 0;
	ssize_t n;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0)
		return vj_fail(j, errno, "uname: pipe");
	pid = fork();
	if (pid < 0) {
		int err = errno;

		close(p[0]);
		close(p[1]);
		return vj_fail(j, err, "uname: fork to find the C library's "
			       "uname calls");
	}
	if (pid == 0) {
		close(p[0]);
		probe_child(p[1]);
	}
	close(p[1]);
	do
		n = read(p[0], j->uts.sites, sizeof(j->uts.sites));
	while (n < 0 && errno == EINTR);
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (n <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return vj_fail_msg(j, EOPNOTSUPP,
				   "uname: could not find where the C library "
				   "calls uname(2) (probe status %#x)",
				   (unsigned)status);
	j->uts.nsites = (unsigned int)((size_t)n / sizeof(j->uts.sites[0]));
	return 0;
}

/* Does the jail's syscall policy let uname(2) through (allow or log)? Only
 * then may the trap answer it: TRAP would outrank a denial. */
static bool policy_allows_uname(const struct vjail *j)
{
	enum vjail_profile profile = j->sc.profile ? j->sc.profile
						   : VJAIL_PROFILE_DAEMON;
	const struct vj_sc_profile *p = vj_sc_profile_of(profile);

	if (p == NULL)
		return true; /* VJAIL_PROFILE_NONE */
	for (size_t i = 0; i < j->sc.nrules; i++)
		if (j->sc.rules[i].nr == __NR_uname)
			return j->sc.rules[i].action == VJAIL_ACTION_ALLOW ||
			       j->sc.rules[i].action == VJAIL_ACTION_LOG;
	for (size_t i = 0; i < p->nallow; i++)
		if (strcmp(p->allow[i].name, "uname") == 0)
			return p->allow[i].cond == VJ_SC_ALWAYS;
	return j->sc.deny_action == VJAIL_ACTION_LOG;
}

static int notif_sizes(struct vjail *j)
{
	struct seccomp_notif_sizes s;

	if (vj_sys_seccomp(SECCOMP_GET_NOTIF_SIZES, 0, &s) != 0)
		return vj_fail(j, errno, "uname: seccomp notification sizes");
	if (s.seccomp_notif > VJ_NOTIF_MAX ||
	    s.seccomp_notif_resp > VJ_NOTIF_MAX ||
	    s.seccomp_notif < sizeof(struct seccomp_notif) ||
	    s.seccomp_notif_resp < sizeof(struct seccomp_notif_resp))
		return vj_fail_msg(j, EOPNOTSUPP,
				   "uname: seccomp notification of %u bytes, "
				   "response of %u: not what this library "
				   "knows",
				   s.seccomp_notif, s.seccomp_notif_resp);
	j->uts.notif_size = s.seccomp_notif;
	j->uts.resp_size = s.seccomp_notif_resp;
	return 0;
}
#endif /* VJ_UNAME_ARCH */

int vj_uname_prepare(struct vjail *j)
{
	struct vj_uts *u = &j->uts;
	int rc;

	u->virt = u->serve = u->trap = u->have_view = false;
	u->nsites = 0;
	u->notif_len = u->trap_len = 0;
	u->listener = -1;
	if (!u->uname_set)
		return 0;
	if (!(vj_probe_features() & VJAIL_FEAT_UNAME)) {
		if (vj_waived(j, VJAIL_FEAT_UNAME))
			return 0; /* the caller accepts the host's values */
		return vj_fail_msg(j, EOPNOTSUPP,
				   "uname: no virtual uname on this system "
				   "(needs x86_64, seccomp user notification, "
				   "Linux 5.0, and Yama ptrace_scope 0 or 1; "
				   "or waive VJAIL_FEAT_UNAME)");
	}
	if (j->run.in_place && j->run.spawning)
		return vj_fail_msg(j, EINVAL,
				   "uname: vjail_spawn() needs the pid namespace "
				   "(VJAIL_NS_PID) for a virtual uname: the "
				   "library's init answers the program's "
				   "uname(2)");
#ifdef VJ_UNAME_ARCH
	u->serve = !j->run.in_place;
	u->trap = !j->run.spawning && policy_allows_uname(j);
	if (u->serve && (rc = notif_sizes(j)) < 0)
		return rc;
	if (u->trap && (rc = find_sites(j)) < 0)
		return rc;
	if (u->serve)
		u->notif_len = build_prog(u->notif_prog, NULL, 0,
					  SECCOMP_RET_USER_NOTIF);
	/* With init, a uname(2) from elsewhere goes on to init's filter,
	 * which answers it or says EPERM; without init, EPERM here. */
	if (u->trap)
		u->trap_len = build_prog(u->trap_prog, u->sites, u->nsites,
					 u->serve ? SECCOMP_RET_ALLOW
						  : SECCOMP_RET_ERRNO | EPERM);
	u->virt = true;
	j->enforced |= VJAIL_FEAT_UNAME;
	return 0;
#else
	(void)rc;
	return vj_fail_msg(j, EOPNOTSUPP, "uname: not on this architecture");
#endif
}

/* ---- commit: async-signal-safe -------------------------------------------- */

/* The jail's answer: the kernel's, as the jail's UTS namespace gives it
 * (so host and domain name are the jail's), with the configured fields.
 * Taken before any filter of ours is loaded. */
static int fill_view(struct vjail *j)
{
	struct vj_uts *u = &j->uts;

	if (u->have_view)
		return 0;
	if (uname(&u->view) != 0) {
		j->run.fail_object = "uname";
		return -errno;
	}
	if (u->release[0])
		strlcpy(u->view.release, u->release, sizeof(u->view.release));
	if (u->version[0])
		strlcpy(u->view.version, u->version, sizeof(u->view.version));
	if (u->machine[0])
		strlcpy(u->view.machine, u->machine, sizeof(u->view.machine));
	u->have_view = true;
	return 0;
}

int vj_uname_commit_init(struct vjail *j)
{
	struct sock_fprog f = { .len = j->uts.notif_len,
				.filter = j->uts.notif_prog };
	int rc, fd;

	if (!j->uts.virt || !j->uts.serve)
		return 0;
	/* Before the filter: from then on our own uname(2) would wait for
	 * an answer from ourselves. Main inherits the view by the fork. */
	rc = fill_view(j);
	if (rc < 0)
		return rc;
	fd = vj_sys_seccomp(SECCOMP_SET_MODE_FILTER,
			    SECCOMP_FILTER_FLAG_NEW_LISTENER, &f);
	if (fd < 0) {
		j->run.fail_object = "uname notification filter";
		return -errno;
	}
	j->uts.listener = fd;
	/* Linux 6.6+: wake the caller on init's CPU right away, as a
	 * synchronous call would; older kernels say EINVAL or ENOTTY, and
	 * answers only take longer. */
	(void)ioctl(fd, VJ_SECCOMP_IOCTL_NOTIF_SET_FLAGS,
		    VJ_SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
	return 0;
}

/* ---- main: the trap and its handler --------------------------------------- */

#ifdef VJ_UNAME_ARCH
static struct utsname main_view;   /* see the header comment */
static struct sigaction main_prev; /* SIGSYS as the caller had it */

/* May the kernel write @len bytes at @p? rt_sigprocmask(2) copies the old
 * mask (8 bytes) out as any system call does, and says EFAULT where
 * uname(2) would; the bytes are overwritten right after. One probe per
 * page the buffer touches (it is smaller than a page). Raw, so that no
 * sanitizer checks the object size of a pointer it cannot know. */
static bool user_writable(char *p, size_t len)
{
	uintptr_t first = (uintptr_t)p / 4096;
	uintptr_t last = ((uintptr_t)p + len - 1) / 4096;

	/* NULL would only mean "no old mask wanted" to rt_sigprocmask. */
	if (p == NULL || vj_sys_rt_sigprocmask(SIG_BLOCK, NULL, p, 8) != 0)
		return false;
	return first == last ||
	       vj_sys_rt_sigprocmask(SIG_BLOCK, NULL, p + len - 8, 8) == 0;
}

/* A SIGSYS that is not our uname: what it would have been without us. */
static void pass_on(int sig, siginfo_t *si, void *ctx)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	if ((main_prev.sa_flags & SA_SIGINFO) &&
	    main_prev.sa_sigaction != NULL) {
		main_prev.sa_sigaction(sig, si, ctx);
		return;
	}
	if (!(main_prev.sa_flags & SA_SIGINFO) &&
	    main_prev.sa_handler != SIG_DFL && main_prev.sa_handler != SIG_IGN) {
		main_prev.sa_handler(sig);
		return;
	}
	/* A seccomp SIGSYS cannot be ignored: the kernel kills. Pending
	 * until this handler returns, then the default action. */
	sigaction(sig, &dfl, NULL);
	raise(sig);
}

static void main_sigsys(int sig, siginfo_t *si, void *ctx)
{
	greg_t *regs = ((ucontext_t *)ctx)->uc_mcontext.gregs;
	char *buf = (char *)regs[REG_RDI];
	int saved = errno;

	if (si->si_code != SYS_SECCOMP || si->si_arch != VJ_UNAME_ARCH ||
	    si->si_syscall != __NR_uname) {
		pass_on(sig, si, ctx);
		errno = saved;
		return;
	}
	if (user_writable(buf, sizeof(main_view))) {
		memcpy(buf, &main_view, sizeof(main_view));
		regs[REG_RAX] = 0;
	} else {
		regs[REG_RAX] = -EFAULT;
	}
	errno = saved;
}
#endif

int vj_uname_commit_main(struct vjail *j)
{
	int rc;

	/* Only init answers: a process of the jail holding the listener
	 * could answer other processes' calls. */
	if (j->uts.listener >= 0) {
		close(j->uts.listener);
		j->uts.listener = -1;
	}
	if (!j->uts.virt || !j->uts.trap)
		return 0;
#ifdef VJ_UNAME_ARCH
	{
		struct sock_fprog f = { .len = j->uts.trap_len,
					.filter = j->uts.trap_prog };
		struct sigaction sa = { .sa_sigaction = main_sigsys,
					.sa_flags = SA_SIGINFO | SA_ONSTACK };

		rc = fill_view(j); /* in place; with init, the fork copied it */
		if (rc < 0)
			return rc;
		memcpy(&main_view, &j->uts.view, sizeof(main_view));
		sigfillset(&sa.sa_mask);
		j->run.fail_object = "SIGSYS handler";
		if (sigaction(SIGSYS, &sa, &main_prev) != 0)
			return -errno;
		j->run.fail_object = "uname trap filter";
		if (vj_sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &f) != 0)
			return -errno;
	}
	return 0;
#else
	(void)rc;
	return -EOPNOTSUPP;
#endif
}
