/* libvjail/seccomp-profiles.c - what each seccomp profile allows, what it
 * denies on purpose and why, and vj_sc_build_profile(), which turns a list
 * into libseccomp rules.
 *
 * Every profile is an allowlist: the filter's default action is the deny
 * action, so a syscall that is not listed here (including every syscall
 * newer than this file) is denied. The denied tables name the entries that
 * matter, with the reason; they are what tests/check_seccomp.c tries and
 * what man/vjail_syscalls.7 documents. Keep the three in step.
 *
 * Names are x86_64's. On another architecture libseccomp maps a name the
 * architecture lacks (open, stat, ...) to a pseudo number that adds no
 * rule, so the same tables serve aarch64.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "kernel/compat.h"
#include "seccomp-profiles.h"

#define A(n) { (n), VJ_SC_ALWAYS, 0 }
#define C(n, cond, arg) { (n), (cond), (arg) }

/* The namespace flags clone(2) accepts. CLONE_NEWTIME (0x80) is not here:
 * in clone(2) that bit belongs to the exit-signal byte (CSIGNAL), and only
 * clone3(2) and unshare(2), both denied, can ask for a time namespace. */
#define NS_CLONE_FLAGS                                                         \
	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC |         \
	 CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET)

/*
 * The kernel truncates these arguments to 32 bits (ioctl's request and
 * personality's persona are unsigned int, socket's family an int), so a
 * check must ignore the upper half: comparing all 64 bits lets a caller set
 * bit 32 and slip TIOCSTI past an equality test (flatpak's CVE-2019-10063).
 * A mask of 0xffffffff makes libseccomp test the lower word only.
 */
#define LOW32 UINT64_C(0xffffffff)

/* ---- daemon: what mail, IRC, FTP and HTTP servers call ------------------ */

static const struct vj_sc_entry daemon_allow[] = {
	/* file I/O */
	A("read"), A("write"), A("readv"), A("writev"), A("pread64"),
	A("pwrite64"), A("preadv"), A("pwritev"), A("preadv2"), A("pwritev2"),
	A("lseek"), A("sendfile"), A("splice"), A("tee"), A("copy_file_range"),
	A("fadvise64"), A("readahead"), A("fallocate"), A("truncate"),
	A("ftruncate"), A("fsync"), A("fdatasync"), A("sync_file_range"),
	A("syncfs"), A("sync"), A("flock"), A("fcntl"), A("dup"), A("dup2"),
	A("dup3"), A("close"), A("close_range"), A("pipe"), A("pipe2"),
	A("memfd_create"), A("cachestat"),
	C("ioctl", VJ_SC_NO_TTY_INJECT, 1),
	/* paths (confined by the mount namespace and Landlock, not here) */
	A("stat"),
	A("fstat"), A("lstat"), A("newfstatat"), A("statx"), A("statfs"),
	A("fstatfs"), A("access"), A("faccessat"), A("faccessat2"),
	A("readlink"), A("readlinkat"), A("getdents"), A("getdents64"),
	A("getcwd"), A("chdir"), A("fchdir"), A("umask"), A("rmdir"),
	A("unlink"), A("unlinkat"), A("rename"), A("renameat"),
	A("renameat2"), A("link"), A("linkat"), A("symlink"),
	A("symlinkat"),
	/* No set-uid or set-gid bit from a jail (RestrictSUIDSGID): the
	 * jail's files land on the host through read-write binds, owned by
	 * host root when root runs the jail (identity uid map, ns.c), and a
	 * host user who runs a planted set-uid file gains that owner's
	 * rights. These calls fail with EPERM when their mode (argument
	 * @arg; for open and openat, @arg is the flags and @arg + 1 the
	 * mode) carries S_ISUID or S_ISGID. */
	C("chmod", VJ_SC_NO_SETID, 1), C("fchmod", VJ_SC_NO_SETID, 1),
	C("fchmodat", VJ_SC_NO_SETID, 2), C("fchmodat2", VJ_SC_NO_SETID, 2),
	C("open", VJ_SC_NO_SETID_CREATE, 1),
	C("openat", VJ_SC_NO_SETID_CREATE, 2), C("creat", VJ_SC_NO_SETID, 1),
	C("mkdir", VJ_SC_NO_SETID, 1), C("mkdirat", VJ_SC_NO_SETID, 2),
	/* openat2(2) takes its flags and mode in a struct open_how, which a
	 * filter cannot read: ENOSYS, and a caller falls back to openat,
	 * which is checked (glibc's open(3) never uses openat2). */
	C("openat2", VJ_SC_ENOSYS, 0),
	/* Setting security.capability gives a file capabilities; in a user
	 * namespace whose root is host root (a root jail), they are
	 * effective on the host. A filter cannot read the attribute's name,
	 * so setting any extended attribute fails as on a filesystem
	 * without them: cp -a, tar and rsync go on without. Reading and
	 * removing stay allowed. */
	C("setxattr", VJ_SC_EOPNOTSUPP, 0), C("lsetxattr", VJ_SC_EOPNOTSUPP, 0),
	C("fsetxattr", VJ_SC_EOPNOTSUPP, 0),
	A("chown"), A("fchown"), A("lchown"), A("fchownat"),
	A("utime"), A("utimes"), A("utimensat"), A("futimesat"),
	A("getxattr"), A("lgetxattr"), A("fgetxattr"), A("listxattr"),
	A("llistxattr"), A("flistxattr"), A("removexattr"),
	A("lremovexattr"), A("fremovexattr"), A("inotify_init"),
	A("inotify_init1"),
	A("inotify_add_watch"), A("inotify_rm_watch"),
	/* FIFOs only, and without S_ISUID/S_ISGID (above) */
	C("mknod", VJ_SC_FIFO_ONLY, 1), C("mknodat", VJ_SC_FIFO_ONLY, 2),
	/* Linux AIO (nginx, databases); io_uring is denied below */
	A("io_setup"), A("io_destroy"), A("io_submit"), A("io_cancel"),
	A("io_getevents"), A("io_pgetevents"),
	/* sockets */
	C("socket", VJ_SC_NO_VSOCK, 0), A("socketpair"), A("bind"),
	A("listen"), A("accept"), A("accept4"), A("connect"),
	A("getsockname"), A("getpeername"), A("sendto"), A("recvfrom"),
	A("sendmsg"), A("recvmsg"), A("sendmmsg"), A("recvmmsg"),
	A("shutdown"), A("setsockopt"), A("getsockopt"),
	/* waiting for events */
	A("select"), A("pselect6"), A("poll"), A("ppoll"), A("epoll_create"),
	A("epoll_create1"), A("epoll_ctl"), A("epoll_wait"), A("epoll_pwait"),
	A("epoll_pwait2"), A("eventfd"), A("eventfd2"), A("timerfd_create"),
	A("timerfd_settime"), A("timerfd_gettime"), A("signalfd"),
	A("signalfd4"),
	/* processes and threads */
	A("fork"), A("vfork"), C("clone", VJ_SC_NO_NEW_NS, 0),
	C("clone3", VJ_SC_ENOSYS, 0), A("execve"), A("execveat"), A("exit"),
	A("exit_group"), A("wait4"), A("waitid"), A("kill"), A("tkill"),
	A("tgkill"), A("pidfd_open"), A("pidfd_send_signal"), A("getpid"),
	A("getppid"), A("gettid"), A("getpgid"), A("setpgid"), A("getpgrp"),
	A("getsid"), A("setsid"), A("set_tid_address"), A("set_robust_list"),
	A("get_robust_list"), A("rseq"), A("futex"), A("futex_waitv"),
	A("futex_wake"), A("futex_wait"), A("futex_requeue"),
	A("arch_prctl"), A("prctl"), A("map_shadow_stack"),
	C("personality", VJ_SC_PER_LINUX, 0),
	/* credentials: capabilities, not this filter, decide what a change
	 * may do; a daemon drops privileges after enter with these */
	A("getuid"), A("geteuid"), A("getgid"), A("getegid"), A("getresuid"),
	A("getresgid"), A("getgroups"), A("setuid"), A("setgid"),
	A("setreuid"), A("setregid"), A("setresuid"), A("setresgid"),
	A("setgroups"), A("setfsuid"), A("setfsgid"), A("capget"),
	A("capset"),
	/* scheduling and resources */
	A("sched_yield"), A("sched_getaffinity"), A("sched_setaffinity"),
	A("sched_getparam"), A("sched_setparam"), A("sched_getscheduler"),
	A("sched_setscheduler"), A("sched_get_priority_max"),
	A("sched_get_priority_min"), A("sched_rr_get_interval"),
	A("sched_getattr"), A("sched_setattr"), A("getcpu"),
	A("getpriority"), A("setpriority"), A("ioprio_get"), A("ioprio_set"),
	A("getrlimit"), A("setrlimit"), A("prlimit64"), A("getrusage"),
	A("times"),
	/* signals */
	A("rt_sigaction"), A("rt_sigprocmask"), A("rt_sigreturn"),
	A("rt_sigpending"), A("rt_sigtimedwait"), A("rt_sigsuspend"),
	A("rt_sigqueueinfo"), A("rt_tgsigqueueinfo"), A("sigaltstack"),
	A("pause"), A("restart_syscall"),
	/* time (reading it; setting it is denied) */
	A("gettimeofday"), A("time"), A("clock_gettime"), A("clock_getres"),
	A("nanosleep"), A("clock_nanosleep"), A("alarm"), A("getitimer"),
	A("setitimer"), A("timer_create"), A("timer_settime"),
	A("timer_gettime"), A("timer_getoverrun"), A("timer_delete"),
	/* memory */
	A("brk"), A("mmap"), A("munmap"), A("mremap"), A("mprotect"),
	A("madvise"), A("mincore"), A("msync"), A("mlock"), A("mlock2"),
	A("munlock"), A("mlockall"), A("munlockall"), A("membarrier"),
	A("pkey_alloc"), A("pkey_free"), A("pkey_mprotect"),
	/* System V and POSIX IPC (private to the jail's IPC namespace) */
	A("shmget"), A("shmat"), A("shmdt"), A("shmctl"), A("semget"),
	A("semop"), A("semtimedop"), A("semctl"), A("msgget"), A("msgsnd"),
	A("msgrcv"), A("msgctl"), A("mq_open"), A("mq_unlink"),
	A("mq_timedsend"), A("mq_timedreceive"), A("mq_notify"),
	A("mq_getsetattr"),
	/* the system, read-only */
	A("uname"), A("sysinfo"), A("getrandom"),
	/* restricting oneself further is always allowed */
	A("seccomp"), A("landlock_create_ruleset"), A("landlock_add_rule"),
	A("landlock_restrict_self"),
};

#define R_MOUNT "changes the mount tree: could undo the jail's new root " \
	"or mount a filesystem image into it"
#define R_NS "enters or creates namespaces: a new user namespace hands " \
	"out every capability inside it and opens kernel code written for root"
#define R_PROC "reads or changes the memory, descriptors or state of " \
	"another process"
#define R_MODULE "loads or unloads kernel code"
#define R_KEYS "kernel keyrings are not namespaced: the jail would share " \
	"keys with the host"
#define R_URING "runs I/O on a path that seccomp cannot see into; the " \
	"largest source of kernel exploits of recent years"
#define R_HANDLE "file handles open any inode of a mounted filesystem " \
	"without a path, bypassing the jail's root (the \"shocker\" escape)"
#define R_TIME "sets or tunes the clock of the whole host"
#define R_QUOTA "quota administration for a whole filesystem"
#define R_UTS "the library sets the host and domain name before enter; " \
	"a daemon has no reason to change them"
#define R_IOPORT "raw access to I/O ports"
#define R_FANOTIFY "filesystem-wide monitoring that can block other " \
	"processes' file access"
#define R_NUMA "NUMA placement: moves pages, also of other processes; " \
	"not needed by a daemon"
#define R_OLD "obsolete, removed or unimplemented on current kernels: " \
	"nothing calls it, and old paths are the least reviewed"
#define R_TLS32 "32-bit TLS descriptors; 64-bit code uses arch_prctl"
#define R_I386 "exists on i386 only: the whole i386 ABI is killed by " \
	"architecture"

static const struct vj_sc_denied daemon_denied[] = {
	{ "mount", R_MOUNT },
	{ "umount2", R_MOUNT },
	{ "fsopen", R_MOUNT " (new mount API)" },
	{ "fsconfig", R_MOUNT " (new mount API)" },
	{ "fsmount", R_MOUNT " (new mount API)" },
	{ "fspick", R_MOUNT " (new mount API)" },
	{ "open_tree", R_MOUNT " (new mount API)" },
	{ "move_mount", R_MOUNT " (new mount API)" },
	{ "mount_setattr", R_MOUNT " (clears read-only or noexec)" },
	{ "pivot_root", "replaces the root of the mount namespace" },
	{ "chroot", "the classic escape: chroot into a subdirectory while "
		    "holding a directory fd, then walk up from it" },
	{ "setns", R_NS },
	{ "unshare", R_NS },
	{ "ptrace", R_PROC "; the first step of most sandbox escapes" },
	{ "process_vm_readv", R_PROC },
	{ "process_vm_writev", R_PROC },
	{ "process_madvise", R_PROC },
	{ "process_mrelease", R_PROC },
	{ "pidfd_getfd", R_PROC " (copies a descriptor out of it)" },
	{ "kcmp", R_PROC "; also orders kernel pointers" },
	{ "kexec_load", "replaces the running kernel" },
	{ "kexec_file_load", "replaces the running kernel" },
	{ "init_module", R_MODULE },
	{ "finit_module", R_MODULE },
	{ "delete_module", R_MODULE },
	{ "bpf", "loads programs into the kernel; eBPF verifier bugs are "
		 "a steady source of kernel exploits" },
	{ "perf_event_open", "performance counters: side channels, kernel "
			     "addresses, a large and often exploited "
			     "interface" },
	{ "keyctl", R_KEYS },
	{ "add_key", R_KEYS },
	{ "request_key", R_KEYS " (and can run a helper as root)" },
	{ "userfaultfd", "pauses a kernel access to user memory at will, "
			 "which turns kernel races into reliable exploits" },
	{ "io_uring_setup", R_URING },
	{ "io_uring_enter", R_URING },
	{ "io_uring_register", R_URING },
	{ "open_by_handle_at", R_HANDLE },
	{ "name_to_handle_at", "produces the handles open_by_handle_at "
			       "takes, and leaks inode identities" },
	{ "acct", "process accounting of the whole host into a file of the "
		  "caller's choice" },
	{ "swapon", "adds swap space to the whole system" },
	{ "swapoff", "removes swap space from the whole system" },
	{ "reboot", "reboots, halts or kexecs the machine" },
	{ "settimeofday", R_TIME },
	{ "clock_settime", R_TIME },
	{ "adjtimex", R_TIME "; even the read-only form is for time daemons" },
	{ "clock_adjtime", R_TIME },
	{ "syslog", "reads or clears the kernel log: kernel addresses and "
		    "the host's messages" },
	{ "quotactl", R_QUOTA },
	{ "quotactl_fd", R_QUOTA },
	{ "sethostname", R_UTS },
	{ "setdomainname", R_UTS },
	{ "iopl", R_IOPORT },
	{ "ioperm", R_IOPORT },
	{ "modify_ldt", "x86 segment descriptors: only 16- and 32-bit code "
			"needs them, and they have a history of kernel bugs" },
	{ "vhangup", "revokes the controlling terminal of other processes" },
	{ "fanotify_init", R_FANOTIFY },
	{ "fanotify_mark", R_FANOTIFY },
	{ "vmsplice", "maps user pages into a pipe: the vector of several "
		      "local root exploits, and no daemon needs it" },
	{ "memfd_secret", "takes pages out of the kernel's direct map; "
			  "not needed, and unswappable" },
	{ "mbind", R_NUMA },
	{ "set_mempolicy", R_NUMA },
	{ "get_mempolicy", R_NUMA },
	{ "set_mempolicy_home_node", R_NUMA },
	{ "migrate_pages", R_NUMA },
	{ "move_pages", R_NUMA },
	{ "lookup_dcookie", R_OLD },
	{ "uselib", R_OLD },
	{ "ustat", R_OLD },
	{ "sysfs", R_OLD },
	{ "_sysctl", R_OLD },
	{ "nfsservctl", R_OLD },
	{ "create_module", R_OLD },
	{ "get_kernel_syms", R_OLD },
	{ "query_module", R_OLD },
	{ "remap_file_pages", R_OLD },
	{ "afs_syscall", R_OLD },
	{ "tuxcall", R_OLD },
	{ "security", R_OLD },
	{ "vserver", R_OLD },
	{ "getpmsg", R_OLD },
	{ "putpmsg", R_OLD },
	{ "epoll_ctl_old", R_OLD },
	{ "epoll_wait_old", R_OLD },
	{ "set_thread_area", R_TLS32 },
	{ "get_thread_area", R_TLS32 },
	{ "vm86", R_I386 },
	{ "vm86old", R_I386 },
};

/* ---- minimal: I/O on descriptors already open, memory, time, exit ------- */

static const struct vj_sc_entry minimal_allow[] = {
	A("read"), A("write"), A("readv"), A("writev"), A("pread64"),
	A("pwrite64"), A("preadv"), A("pwritev"), A("preadv2"), A("pwritev2"),
	A("lseek"), A("sendfile"), A("ftruncate"), A("fsync"),
	A("fdatasync"), A("fadvise64"), A("fcntl"), A("dup"), A("dup2"),
	A("dup3"), A("close"), A("pipe"), A("pipe2"),
	/* glibc 2.33+ implements fstat(3) with newfstatat(fd, "",
	 * AT_EMPTY_PATH); a filter cannot see the path, so the path form
	 * comes along. It reveals metadata, never contents. */
	A("fstat"), A("newfstatat"),
	C("ioctl", VJ_SC_NO_TTY_INJECT, 1),
	/* sockets that are already open, and connections accepted on them */
	A("accept"), A("accept4"), A("recvfrom"), A("sendto"), A("recvmsg"),
	A("sendmsg"), A("recvmmsg"), A("sendmmsg"), A("shutdown"),
	A("getsockname"), A("getpeername"), A("getsockopt"),
	A("setsockopt"),
	A("poll"), A("ppoll"), A("select"), A("pselect6"), A("epoll_create1"),
	A("epoll_ctl"), A("epoll_wait"), A("epoll_pwait"), A("epoll_pwait2"),
	A("eventfd2"), A("timerfd_create"), A("timerfd_settime"),
	A("timerfd_gettime"),
	A("brk"), A("mmap"), A("munmap"), A("mremap"), A("mprotect"),
	A("madvise"),
	A("clock_gettime"), A("clock_getres"), A("gettimeofday"), A("time"),
	A("nanosleep"), A("clock_nanosleep"),
	A("rt_sigaction"), A("rt_sigprocmask"), A("rt_sigreturn"),
	A("sigaltstack"), A("restart_syscall"),
	/* what libc calls on its own: locks, abort(3), ids, randomness */
	A("futex"), A("getpid"), A("gettid"), A("tgkill"), A("getuid"),
	A("geteuid"), A("getgid"), A("getegid"), A("getrandom"),
	A("sched_yield"), A("exit"), A("exit_group"),
};

/* Beyond the daemon's denials, minimal has no reason table: it denies
 * everything that creates a resource (open, socket, fork, exec, ...). */
#define minimal_denied daemon_denied

/* ---- init: the library's pid 1 (reap, forward signals, exit) ------------ */

static const struct vj_sc_entry init_allow[] = {
	A("rt_sigprocmask"), A("rt_sigtimedwait"), A("rt_sigaction"),
	A("wait4"), A("waitid"), A("kill"), A("write"), A("close"),
	A("read"), A("exit"), A("exit_group"), A("restart_syscall"),
	A("getpid"), A("prctl"),
	/* waiting on the signalfd and the uname listener (pid.c) */
	A("poll"), A("ppoll"),
	/* the virtual uname (uname.c): the listener's ioctls, and the write
	 * of the answer into the caller. ioctl without an argument check:
	 * init's only other fds are stderr, the status pipe and the
	 * signalfd, and it has no controlling terminal (setsid) and no
	 * capability, so TIOCSTI is refused anyway. */
	A("ioctl"), A("process_vm_writev"),
	/* the live /proc views (procview.c): read the cgroup's and the
	 * host's figures, rewrite the view in place */
	A("pread64"), A("pwrite64"), A("ftruncate"),
};

#define PROFILE(n, allow, denied)                                              \
	{ (n), (allow), sizeof(allow) / sizeof((allow)[0]), (denied),          \
	  sizeof(denied) / sizeof((denied)[0]) }

const struct vj_sc_profile vj_sc_daemon =
	PROFILE("daemon", daemon_allow, daemon_denied);
const struct vj_sc_profile vj_sc_minimal =
	PROFILE("minimal", minimal_allow, minimal_denied);
const struct vj_sc_profile vj_sc_init = { "init", init_allow,
					  sizeof(init_allow) /
						  sizeof(init_allow[0]),
					  NULL, 0 };

const struct vj_sc_profile *vj_sc_profile_of(enum vjail_profile p)
{
	switch (p) {
	case VJAIL_PROFILE_DAEMON:
		return &vj_sc_daemon;
	case VJAIL_PROFILE_MINIMAL:
		return &vj_sc_minimal;
	default:
		return NULL;
	}
}

/* ---- building ------------------------------------------------------------ */

static bool skipped(const struct vj_sc_build *b, int nr)
{
	for (size_t i = 0; i < b->nskip; i++)
		if (b->skip[i].nr == nr)
			return true;
	return false;
}

/* libseccomp refuses (-EACCES) a rule whose action is the filter's default
 * action; such a rule would change nothing, so it is not added. */
static int add(scmp_filter_ctx ctx, uint32_t dflt, uint32_t action, int nr,
	       unsigned int argc, const struct scmp_arg_cmp *argv)
{
	if (action == dflt)
		return 0;
	return seccomp_rule_add_array(ctx, action, nr, argc, argv);
}

/*
 * The set-id bits are refused with EPERM whatever the deny action: the call
 * itself is allowed, only this mode is not (as chmod(2) answers a caller
 * that may not set S_ISUID), so a daemon that copies modes gets an error it
 * handles rather than death under a KILL deny action. The kernel keeps 16
 * bits of a mode (umode_t) and 32 of the open flags; a mask ignores
 * whatever a caller puts in the upper bits.
 */
#define SETID_DENY SCMP_ACT_ERRNO(EPERM)
#define SETID_BITS (S_ISUID | S_ISGID)
/* open(2) and openat(2) use the mode only to create a file: with O_CREAT,
 * or with O_TMPFILE (a nameless file that linkat(2) may later name). The
 * O_TMPFILE bit alone is tested; O_TMPFILE includes O_DIRECTORY. */
#define CREATE_BITS (O_CREAT | (O_TMPFILE & ~O_DIRECTORY))

/*
 * Why these rules look the way they do: a stock profile is ONE filter, so
 * that an argument-checked call (open, openat, ioctl) runs one BPF program
 * and not two (the kernel's action cache cannot skip such a call, and every
 * attached program runs on it). libseccomp 2.5 cannot say "allow unless
 * the argument is X" in one filter: an unconditional rule replaces every
 * conditional rule of its syscall, whatever their actions, and a rule may
 * compare an argument only once. So the allowed arguments are spelt out
 * as allow rules, the refused ones as rules with their action (or left to
 * the default action, the deny action), and the two sets are disjoint: no
 * result depends on how libseccomp orders overlapping rules.
 *
 * That takes some 90 rules for "anything but TIOCSTI, TIOCLINUX or
 * AF_VSOCK" (allow_except()), and the program grows from 395 + 99
 * instructions (two filters) to 606; libseccomp's export time grows with
 * the square of a program's length, so compiling the daemon profile took
 * 2.2 ms at prepare instead of 1.3 ms (2.6 against 1.3 with the deny action
 * EACCES, whose set-id EPERM rules then count too). The stock programs are
 * compiled at build time and pay nothing for it. Every other configuration
 * compiles at each prepare, so it keeps the two filters of before
 * (vj_sc_build's @args set): the main filter allows the checked calls (mknod
 * a FIFO only) and the argument filter, default allow, denies the refused
 * arguments; the kernel takes the stricter answer of the two, which is the
 * one program's (tests/check_seccomp.c runs both forms against a model).
 * An open(2) then runs two programs, as it always did there.
 */

/* Allow @nr when the lower 32 bits of argument @arg (the kernel's width of
 * ioctl's request and socket's family) are none of @vals; those fall to
 * the default action, the deny action. The complement is a set of
 * suffixes: each rule fixes the bits from 0 up to the first one where the
 * argument leaves every value of @vals, so at most 32 rules per value.
 * libseccomp tests them in its own order (by value, highest first), so an
 * allowed call runs through most of them: about 100 instructions for
 * ioctl, no slower in the kernel than the second program it replaces
 * (measured). */
static int allow_except(struct vj_sc_build *b, int nr, unsigned int arg,
			const uint32_t *vals, size_t n, uint32_t mask,
			uint32_t value, int bit)
{
	struct scmp_arg_cmp cmp;
	size_t left = 0;
	int rc;

	for (size_t i = 0; i < n; i++)
		if ((vals[i] & mask) == value)
			left++;
	if (left == 0) {
		cmp = SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, mask, value);
		return add(b->main, b->deny, SCMP_ACT_ALLOW, nr, 1, &cmp);
	}
	if (bit > 31)
		return 0; /* one of @vals: the deny action */
	mask |= UINT32_C(1) << bit;
	rc = allow_except(b, nr, arg, vals, n, mask, value, bit + 1);
	if (rc < 0)
		return rc;
	return allow_except(b, nr, arg, vals, n, mask,
			    value | UINT32_C(1) << bit, bit + 1);
}

/* Allow @nr unless the lower 32 bits of argument @arg are one of @vals,
 * which take the deny action: in the one program (allow_except()), or an
 * allow rule in the main filter and the denials in the argument filter. */
static int allow_but(struct vj_sc_build *b, int nr, unsigned int arg,
		     const uint32_t *vals, size_t n)
{
	struct scmp_arg_cmp cmp;
	int rc;

	if (b->args == NULL)
		return allow_except(b, nr, arg, vals, n, 0, 0, 0);
	rc = add(b->main, b->deny, SCMP_ACT_ALLOW, nr, 0, NULL);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		cmp = SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, LOW32, vals[i]);
		b->nargs++;
		rc = add(b->args, SCMP_ACT_ALLOW, b->deny, nr, 1, &cmp);
	}
	return rc;
}

/* A set-id denial (EPERM when @argc comparisons @cmp hold): into the
 * argument filter if there is one, else into the one program. */
static int add_setid_deny(struct vj_sc_build *b, int nr, unsigned int argc,
			  const struct scmp_arg_cmp *cmp)
{
	if (b->args == NULL)
		return add(b->main, b->deny, SETID_DENY, nr, argc, cmp);
	b->nargs++;
	return add(b->args, SCMP_ACT_ALLOW, SETID_DENY, nr, argc, cmp);
}

/* The allow rule of a set-id check, whose condition @cmp (NULL: none) only
 * the one program needs: with an argument filter, the main filter allows
 * whatever that one does not deny. */
static int add_setid_allow(struct vj_sc_build *b, int nr,
			   const struct scmp_arg_cmp *cmp)
{
	if (b->args != NULL || cmp == NULL)
		return add(b->main, b->deny, SCMP_ACT_ALLOW, nr, 0, NULL);
	return add(b->main, b->deny, SCMP_ACT_ALLOW, nr, 1, cmp);
}

/* EPERM for @nr when argument @arg, masked with @mask | S_ISUID (then
 * S_ISGID), equals @value | that bit. */
static int deny_setid(struct vj_sc_build *b, int nr, unsigned int arg,
		      uint64_t mask, uint64_t value)
{
	static const uint64_t bits[] = { S_ISUID, S_ISGID };
	struct scmp_arg_cmp cmp;
	int rc;

	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		cmp = SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, mask | bits[i],
			       value | bits[i]);
		rc = add_setid_deny(b, nr, 1, &cmp);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* chmod(2) and the like: allowed without S_ISUID/S_ISGID in the mode
 * (argument @arg), EPERM with either. */
static int add_no_setid(struct vj_sc_build *b, int nr, unsigned int arg)
{
	struct scmp_arg_cmp cmp;
	int rc;

	cmp = SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, SETID_BITS, 0);
	rc = add_setid_allow(b, nr, &cmp);
	if (rc < 0)
		return rc;
	return deny_setid(b, nr, arg, 0, 0);
}

/* open(2)/openat(2): allowed when the flags (argument @arg) do not create
 * or the mode (@arg + 1) has no set-id bit; EPERM when both. */
static int add_no_setid_create(struct vj_sc_build *b, int nr,
			       unsigned int arg)
{
	static const uint64_t create[] = { O_CREAT, O_TMPFILE & ~O_DIRECTORY };
	static const uint64_t bits[] = { S_ISUID, S_ISGID };
	struct scmp_arg_cmp cmp[2];
	int rc;

	if (b->args != NULL) {
		rc = add_setid_allow(b, nr, NULL);
	} else {
		cmp[0] = SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, CREATE_BITS, 0);
		rc = add_setid_allow(b, nr, &cmp[0]);
		cmp[0] = SCMP_CMP(arg + 1, SCMP_CMP_MASKED_EQ, SETID_BITS, 0);
		if (rc == 0)
			rc = add_setid_allow(b, nr, &cmp[0]);
	}
	for (size_t c = 0; rc == 0 && c < sizeof(create) / sizeof(create[0]);
	     c++) {
		for (size_t i = 0; rc == 0 && i < sizeof(bits) / sizeof(bits[0]);
		     i++) {
			cmp[0] = SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, create[c],
					  create[c]);
			cmp[1] = SCMP_CMP(arg + 1, SCMP_CMP_MASKED_EQ, bits[i],
					  bits[i]);
			rc = add_setid_deny(b, nr, 2, cmp);
		}
	}
	return rc;
}

/*
 * mknod(2)/mknodat(2): a FIFO without set-id bits is allowed, a FIFO with
 * one gets EPERM, anything else the deny action. With an argument filter,
 * that is the stacked answer of the main filter's FIFO rule and the
 * argument filter's EPERM for any set-id mode. In the one program with
 * the deny action LOG, any type with a set-id bit gets EPERM: that is
 * what the two stacked filters answer (the kernel ranks ERRNO above LOG,
 * and a deny ERRNO of the later-loaded main filter above the argument
 * filter's EPERM), kept so that the answers do not depend on the form.
 */
static int add_fifo_only(struct vj_sc_build *b, int nr, unsigned int arg)
{
	struct scmp_arg_cmp cmp;
	int rc;

	cmp = SCMP_CMP(arg, SCMP_CMP_MASKED_EQ,
		       b->args ? S_IFMT : S_IFMT | SETID_BITS, S_IFIFO);
	rc = add(b->main, b->deny, SCMP_ACT_ALLOW, nr, 1, &cmp);
	if (rc < 0)
		return rc;
	if (b->args != NULL || b->deny == SCMP_ACT_LOG)
		return deny_setid(b, nr, arg, 0, 0);
	return deny_setid(b, nr, arg, S_IFMT, S_IFIFO);
}

/* One entry: its rules (see above for which filter gets them). */
static int add_entry(const struct vj_sc_entry *e, int nr,
		     struct vj_sc_build *b)
{
	static const uint32_t tty_inject[] = { TIOCSTI, TIOCLINUX };
	static const uint32_t vsock[] = { AF_VSOCK };
	struct scmp_arg_cmp cmp[1];
	int rc;

	switch (e->cond) {
	case VJ_SC_ALWAYS:
		return add(b->main, b->deny, SCMP_ACT_ALLOW, nr, 0, NULL);
	case VJ_SC_ENOSYS:
		return add(b->main, b->deny, SCMP_ACT_ERRNO(ENOSYS), nr, 0,
			   NULL);
	case VJ_SC_NO_NEW_NS:
		/* the upper word is masked out: clone(2) ignores it */
		cmp[0] = SCMP_CMP(e->arg, SCMP_CMP_MASKED_EQ, NS_CLONE_FLAGS,
				  0);
		return add(b->main, b->deny, SCMP_ACT_ALLOW, nr, 1, cmp);
	case VJ_SC_PER_LINUX:
		cmp[0] = SCMP_CMP(e->arg, SCMP_CMP_MASKED_EQ, LOW32, PER_LINUX);
		rc = add(b->main, b->deny, SCMP_ACT_ALLOW, nr, 1, cmp);
		if (rc < 0)
			return rc;
		cmp[0] = SCMP_CMP(e->arg, SCMP_CMP_MASKED_EQ, LOW32, LOW32);
		return add(b->main, b->deny, SCMP_ACT_ALLOW, nr, 1, cmp);
	case VJ_SC_EOPNOTSUPP:
		return add(b->main, b->deny, SCMP_ACT_ERRNO(EOPNOTSUPP), nr, 0,
			   NULL);
	case VJ_SC_FIFO_ONLY:
		return add_fifo_only(b, nr, e->arg);
	case VJ_SC_NO_SETID:
		return add_no_setid(b, nr, e->arg);
	case VJ_SC_NO_SETID_CREATE:
		return add_no_setid_create(b, nr, e->arg);
	case VJ_SC_NO_TTY_INJECT:
		return allow_but(b, nr, e->arg, tty_inject,
				 sizeof(tty_inject) / sizeof(tty_inject[0]));
	case VJ_SC_NO_VSOCK:
		return allow_but(b, nr, e->arg, vsock, 1);
	default:
		return -EINVAL;
	}
}

int vj_sc_build_profile(const struct vj_sc_profile *p, struct vj_sc_build *b)
{
	for (size_t i = 0; i < p->nallow; i++) {
		const struct vj_sc_entry *e = &p->allow[i];
		int rc, nr = seccomp_syscall_resolve_name(e->name);

		/* Unknown to this libseccomp (a syscall newer than its
		 * table): leaving it out of an allowlist only denies it. */
		if (nr == __NR_SCMP_ERROR)
			continue;
		if (skipped(b, nr))
			continue;
		rc = add_entry(e, nr, b);
		if (rc < 0) {
			b->failed = e->name;
			return rc;
		}
	}
	return 0;
}
