/* fuzz/escape-prog.c - the escape fuzzer's vocabulary (the tables) and the
 * three translations of a program: decode (bytes to program), print
 * (program to text) and assemble (text to bytes), so that seeds are
 * written, and crashes read, as programs rather than bytes.
 *
 * The tables are the point of the fuzzer: each entry is there because it
 * is a known way out of a chroot or a container, or a step of one. Adding
 * an entry at the end of a table keeps every existing input meaning what
 * it meant; reordering changes the corpus (re-assemble it from
 * escape-seeds.txt).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/nsfs.h>
#include <linux/openat2.h>

#include "escape-prog.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Not in Debian 12's headers without pulling in <linux/fs.h>, which
 * collides with glibc's <sys/mount.h>. */
#define EP_FS_IOC_GETFLAGS _IOR('f', 1, long)
#define EP_BLKGETSIZE64 _IOR(0x12, 114, size_t)

/* ---- paths --------------------------------------------------------------- */

/* "@W" is the work directory on the host: it holds canary, canary-dir/,
 * log, host.sock, spool/ (bound read-write at /data) and root/ (the
 * jail's root, read-only, with inside.txt, tmp/ (a tmpfs in the jail),
 * data/, proc/, dev/). At most 191 entries (0xc0 and above compose). */
const char *const ep_paths[] = {
	"/", ".", "..", "../..", "/..", "/../../../../../../../..",
	"inside.txt", "/inside.txt",
	/* the canaries, by the host's paths and relative to the root */
	"@W/canary", "../canary", "../../canary", "/../canary",
	"/../../../../../../../..@W/canary", "@W/canary-dir/new",
	"../canary-dir/new", "@W/canary-dir", "@W", "@W/root", "@W/spool",
	"@W/log", "../log",
	/* /proc magic links */
	"/proc/self/root", "/proc/self/root@W/canary", "/proc/1/root",
	"/proc/1/root@W/canary", "/proc/self/cwd", "/proc/self/cwd/../canary",
	"/proc/self/fd/0", "/proc/self/fd/1", "/proc/self/fd/2",
	"/proc/self/fd/3", "/proc/self/fd/4", "/proc/self/exe",
	"/proc/self/mem", "/proc/self/environ", "/proc/self/mountinfo",
	"/proc/self/status", "/proc/self/ns/mnt", "/proc/self/ns/user",
	"/proc/self/ns/pid", "/proc/1/ns/mnt", "/proc/1/ns/user",
	"/proc/self/ns/uts", "/proc/sys/kernel/hostname",
	"/proc/sys/kernel/core_pattern", "/proc/sysrq-trigger", "/proc/kcore",
	"/proc/kmsg", "/proc/self/setgroups", "/proc/self/uid_map",
	"/proc/1/environ", "/proc/2/root", "/proc/self/task",
	/* what the jail may or may not have */
	"/sys", "/sys/fs/cgroup", "/dev", "/dev/null", "/dev/pts/ptmx",
	"/dev/ptmx", "/dev/shm", "/dev/tty", "/dev/shm/x", "/dev/fd/1",
	/* writable places: the tmpfs and the read-write bind */
	"/tmp", "/tmp/a", "/tmp/a/b", "/tmp/link", "tmp/a", "tmp/a/b",
	"tmp/link", "/data", "/data/a", "/data/a/b", "/data/link",
	"/data/..", "/data/../..", "/data/sock", "data", "data/a",
	"data/link", "data/../..", "/data/a/../../..",
	/* relative to wherever the program is */
	"a", "a/b", "a/../..", "link", "link/..", "link/../canary", "",
	/* host files that must not exist inside */
	"/etc/passwd", "/etc/hostname", "/proc/self/root/etc/passwd",
};
const size_t ep_npaths = N(ep_paths);
_Static_assert(N(ep_paths) < 0xc0, "path bytes 0xc0+ compose paths");

const char *const ep_components[] = {
	"..", ".", "a", "b", "link", "proc", "self", "root", "fd", "1", "cwd",
	"canary", "data", "tmp", "0", "ns", "mnt", "user", "exe", "dev",
	"shm", "pts", "ptmx", "x", "inside.txt", "log", "spool", "2", "task",
	"abs-link", "sys",
};
const size_t ep_ncomponents = N(ep_components);

/* ---- value tables -------------------------------------------------------- */

#define S(x) { #x, (long)(x), 0, 0 }

static const struct ep_sym fds[] = {
	{ "s0", 0, 1, 0 }, { "s1", 1, 1, 0 }, { "s2", 2, 1, 0 },
	{ "s3", 3, 1, 0 }, { "s4", 4, 1, 0 }, { "s5", 5, 1, 0 },
	{ "s6", 6, 1, 0 }, { "s7", 7, 1, 0 },
	{ "AT_FDCWD", AT_FDCWD, 0, 0 }, { "0", 0, 0, 0 }, { "1", 1, 0, 0 },
	{ "2", 2, 0, 0 }, { "3", 3, 0, 0 }, { "4", 4, 0, 0 },
	{ "5", 5, 0, 0 }, { "-1", -1, 0, 0 }, { "255", 255, 0, 0 },
	{ "1023", 1023, 0, 0 },
};

static const struct ep_sym slots[] = {
	{ "s0", 0, 0, 0 }, { "s1", 1, 0, 0 }, { "s2", 2, 0, 0 },
	{ "s3", 3, 0, 0 }, { "s4", 4, 0, 0 }, { "s5", 5, 0, 0 },
	{ "s6", 6, 0, 0 }, { "s7", 7, 0, 0 },
};

static const struct ep_sym oflags[] = {
	S(O_RDONLY), S(O_WRONLY|O_CREAT), S(O_RDWR),
	S(O_RDONLY|O_DIRECTORY), S(O_PATH), S(O_PATH|O_NOFOLLOW),
	S(O_WRONLY|O_TRUNC), S(O_RDWR|O_CREAT|O_EXCL),
	S(O_TMPFILE|O_RDWR), S(O_RDONLY|O_NOFOLLOW),
	S(O_WRONLY|O_APPEND), S(O_WRONLY|O_CREAT|O_NOFOLLOW),
	S(O_PATH|O_DIRECTORY),
};

static const struct ep_sym resolve[] = {
	{ "0", 0, 0, 0 }, S(RESOLVE_BENEATH), S(RESOLVE_IN_ROOT),
	S(RESOLVE_NO_MAGICLINKS), S(RESOLVE_NO_SYMLINKS), S(RESOLVE_NO_XDEV),
};

static const struct ep_sym atflags[] = {
	{ "0", 0, 0, 0 }, S(AT_SYMLINK_NOFOLLOW), S(AT_SYMLINK_FOLLOW),
	S(AT_EMPTY_PATH), S(AT_REMOVEDIR), S(AT_EMPTY_PATH|AT_SYMLINK_FOLLOW),
};

static const struct ep_sym renames[] = {
	{ "0", 0, 0, 0 }, S(RENAME_NOREPLACE), S(RENAME_EXCHANGE),
	S(RENAME_WHITEOUT),
};

static const struct ep_sym modes[] = {
	{ "0755", 0755, 0, 0 }, { "0777", 0777, 0, 0 },
	{ "04755", 04755, 0, 0 }, { "06777", 06777, 0, 0 },
	{ "0000", 0, 0, 0 }, { "01777", 01777, 0, 0 },
};

static const struct ep_sym nodes[] = {
	{ "fifo", S_IFIFO | 0666, 0, 0 },
	{ "chr-1:3", S_IFCHR | 0666, 1, 3 },  /* /dev/null */
	{ "chr-1:1", S_IFCHR | 0666, 1, 1 },  /* /dev/mem */
	{ "blk-8:0", S_IFBLK | 0666, 8, 0 },  /* the first disk */
	{ "chr-5:1", S_IFCHR | 0666, 5, 1 },  /* /dev/console */
	{ "sock", S_IFSOCK | 0666, 0, 0 },
	{ "reg", S_IFREG | 0666, 0, 0 },
};

static const struct ep_sym uids[] = {
	{ "0", 0, 0, 0 }, { "65534", 65534, 0, 0 }, { "1", 1, 0, 0 },
	{ "-1", -1, 0, 0 }, { "1000", 1000, 0, 0 },
};

static const struct ep_sym ns[] = {
	{ "0", 0, 0, 0 }, S(CLONE_NEWUSER), S(CLONE_NEWNS),
	S(CLONE_NEWUSER|CLONE_NEWNS), S(CLONE_NEWPID), S(CLONE_NEWNET),
	S(CLONE_NEWUTS), S(CLONE_NEWUSER|CLONE_NEWUTS), S(CLONE_NEWIPC),
	S(CLONE_NEWCGROUP), { "CLONE_NEWTIME", 0x80, 0, 0 }, S(CLONE_FS),
	S(CLONE_FILES), S(CLONE_NEWUSER|CLONE_NEWNS|CLONE_NEWPID),
};

static const struct ep_sym nstypes[] = {
	{ "0", 0, 0, 0 }, S(CLONE_NEWNS), S(CLONE_NEWUSER), S(CLONE_NEWPID),
	S(CLONE_NEWNET), S(CLONE_NEWUTS), S(CLONE_NEWCGROUP),
};

static const struct ep_sym fstypes[] = {
	{ "none", 0, 0, 0 }, { "tmpfs", 0, 0, 0 }, { "proc", 0, 0, 0 },
	{ "sysfs", 0, 0, 0 }, { "devpts", 0, 0, 0 }, { "cgroup2", 0, 0, 0 },
	{ "overlay", 0, 0, 0 }, { "ramfs", 0, 0, 0 }, { "bpf", 0, 0, 0 },
	{ "mqueue", 0, 0, 0 },
};

static const struct ep_sym mflags[] = {
	S(MS_BIND), S(MS_BIND|MS_REC), S(MS_REMOUNT|MS_BIND),
	S(MS_REMOUNT), S(MS_MOVE), S(MS_REC|MS_SHARED),
	S(MS_REC|MS_PRIVATE), S(MS_REC|MS_SLAVE), { "0", 0, 0, 0 },
	S(MS_RDONLY),
};

static const struct ep_sym umounts[] = {
	{ "0", 0, 0, 0 }, S(MNT_DETACH), S(MNT_FORCE), S(MNT_EXPIRE),
};

static const struct ep_sym trees[] = {
	{ "0", 0, 0, 0 }, S(OPEN_TREE_CLONE),
	S(OPEN_TREE_CLONE|AT_RECURSIVE),
};

/* a = attr_set, b = attr_clr, c = flags | propagation << 32 */
static const struct ep_sym mattrs[] = {
	{ "clr-RDONLY", 0, MOUNT_ATTR_RDONLY, 0 },
	{ "clr-RDONLY-recursive", 0, MOUNT_ATTR_RDONLY, AT_RECURSIVE },
	{ "clr-NOSUID", 0, MOUNT_ATTR_NOSUID, AT_RECURSIVE },
	{ "clr-NODEV-NOEXEC", 0, MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
	  AT_RECURSIVE },
	{ "prop-shared", 0, 0, (long)((unsigned long)MS_SHARED << 32) },
	{ "set-RDONLY", MOUNT_ATTR_RDONLY, 0, 0 },
};

static const struct ep_sym socks[] = {
	{ "unix-stream", AF_UNIX, SOCK_STREAM, 0 },
	{ "unix-dgram", AF_UNIX, SOCK_DGRAM, 0 },
	{ "unix-seqpacket", AF_UNIX, SOCK_SEQPACKET, 0 },
	{ "inet-stream", AF_INET, SOCK_STREAM, 0 },
	{ "inet-dgram", AF_INET, SOCK_DGRAM, 0 },
	{ "inet6-stream", AF_INET6, SOCK_STREAM, 0 },
	{ "inet-raw-icmp", AF_INET, SOCK_RAW, 1 },
	{ "packet-raw", AF_PACKET, SOCK_RAW, 0x0300 }, /* ETH_P_ALL, BE */
	{ "netlink-route", AF_NETLINK, SOCK_RAW, 0 },
	{ "netlink-audit", AF_NETLINK, SOCK_RAW, 9 },
	{ "vsock-stream", AF_VSOCK, SOCK_STREAM, 0 },
	{ "alg-seqpacket", AF_ALG, SOCK_SEQPACKET, 0 },
	{ "netlink-uevent", AF_NETLINK, SOCK_DGRAM, 15 },
};

static const struct ep_sym addrs[] = {
	{ "host.sock", ADDR_HOST_PATH, 0, 0 },
	{ "host.dgram", ADDR_HOST_DGRAM, 0, 0 },
	{ "@host", ADDR_HOST_ABSTRACT, 0, 0 },
	{ "@host-dgram", ADDR_HOST_ABS_DGRAM, 0, 0 },
	{ "tcp-host", ADDR_HOST_TCP, 0, 0 },
	{ "proc-root-host.sock", ADDR_HOST_PATH_PROC, 0, 0 },
	{ "../host.sock", ADDR_HOST_PATH_REL, 0, 0 },
	{ "tcp-1", ADDR_TCP_1, 0, 0 },
	{ "tcp-any", ADDR_TCP_ANY, 0, 0 },
	{ "/data/sock", ADDR_JAIL_PATH, 0, 0 },
	{ "/tmp/sock", ADDR_TMP_PATH, 0, 0 },
	{ "@jail", ADDR_JAIL_ABSTRACT, 0, 0 },
	{ "netlink-kernel", ADDR_NETLINK, 0, 0 },
};

static const struct ep_sym pids[] = {
	{ "sentinel", PID_SENTINEL, 0, 0 },
	{ "-sentinel", PID_SENTINEL_PGRP, 0, 0 },
	{ "harness", PID_HARNESS, 0, 0 },
	{ "1", PID_CONST, 1, 0 }, { "2", PID_CONST, 2, 0 },
	{ "3", PID_CONST, 3, 0 }, { "0", PID_CONST, 0, 0 },
	{ "-1", PID_CONST, -1, 0 }, { "self", PID_SELF, 0, 0 },
	{ "parent", PID_PARENT, 0, 0 }, { "9999", PID_CONST, 9999, 0 },
};

static const struct ep_sym sigs[] = {
	{ "0", 0, 0, 0 }, S(SIGKILL), S(SIGTERM), S(SIGUSR1), S(SIGSTOP),
	S(SIGCONT), S(SIGHUP), { "SIGRTMIN+2", 36, 0, 0 },
};

static const struct ep_sym ptraces[] = {
	S(PTRACE_ATTACH), S(PTRACE_SEIZE), S(PTRACE_INTERRUPT),
	S(PTRACE_PEEKDATA), S(PTRACE_TRACEME), S(PTRACE_DETACH),
};

static const struct ep_sym ioctls[] = {
	{ "TIOCSTI", TIOCSTI, IOA_BUF, 0 },
	/* the upper half ignored by the kernel: flatpak's CVE-2019-10063 */
	{ "TIOCSTI|1<<32", (long)(TIOCSTI | (1UL << 32)), IOA_BUF, 0 },
	{ "TIOCLINUX", TIOCLINUX, IOA_BUF, 0 },
	{ "FIONREAD", FIONREAD, IOA_INTPTR, 0 },
	{ "TIOCGPTN", TIOCGPTN, IOA_INTPTR, 0 },
	{ "TIOCSPTLCK", TIOCSPTLCK, IOA_INTPTR, 0 },
	{ "TIOCGPTPEER", TIOCGPTPEER, IOA_FD_RESULT, 0 },
	{ "TIOCNOTTY", TIOCNOTTY, IOA_ZERO, 0 },
	{ "TIOCSCTTY", TIOCSCTTY, IOA_ZERO, 0 },
	{ "NS_GET_USERNS", NS_GET_USERNS, IOA_FD_RESULT, 0 },
	{ "NS_GET_PARENT", NS_GET_PARENT, IOA_FD_RESULT, 0 },
	{ "NS_GET_NSTYPE", NS_GET_NSTYPE, IOA_ZERO, 0 },
	{ "FS_IOC_GETFLAGS", (long)EP_FS_IOC_GETFLAGS, IOA_INTPTR, 0 },
	{ "TCGETS", TCGETS, IOA_BUF, 0 },
	{ "BLKGETSIZE64", (long)EP_BLKGETSIZE64, IOA_BUF, 0 },
	{ "TIOCCONS", TIOCCONS, IOA_ZERO, 0 },
	{ "TIOCSETD", TIOCSETD, IOA_INTPTR, 0 },
};

/* a = option, b = arg2, c = arg3 */
static const struct ep_sym prctls[] = {
	{ "PR_SET_DUMPABLE:1", PR_SET_DUMPABLE, 1, 0 },
	{ "PR_SET_NO_NEW_PRIVS:0", PR_SET_NO_NEW_PRIVS, 0, 0 },
	{ "PR_CAP_AMBIENT_RAISE:SYS_ADMIN", PR_CAP_AMBIENT,
	  PR_CAP_AMBIENT_RAISE, 21 },
	{ "PR_SET_SECUREBITS:0", PR_SET_SECUREBITS, 0, 0 },
	{ "PR_SET_KEEPCAPS:1", PR_SET_KEEPCAPS, 1, 0 },
	{ "PR_SET_CHILD_SUBREAPER:1", PR_SET_CHILD_SUBREAPER, 1, 0 },
	{ "PR_SET_PDEATHSIG:SIGKILL", PR_SET_PDEATHSIG, SIGKILL, 0 },
	{ "PR_SET_PTRACER:ANY", PR_SET_PTRACER, (long)PR_SET_PTRACER_ANY, 0 },
	{ "PR_SET_SECCOMP:STRICT", PR_SET_SECCOMP, 1, 0 },
	{ "PR_SET_MM:EXE_FILE:s0", PR_SET_MM, PR_SET_MM_EXE_FILE, 0 },
	{ "PR_CAPBSET_DROP:0", PR_CAPBSET_DROP, 0, 0 },
};

static const struct ep_sym names[] = {
	{ "pwned", NAME_PWNED, 0, 0 }, { "vjail", NAME_VJAIL, 0, 0 },
	{ "empty", NAME_EMPTY, 0, 0 }, { "long", NAME_LONG, 0, 0 },
};

static const struct ep_sym datas[] = {
	{ "x", DATA_X, 0, 0 }, { "PWNED", DATA_PWNED, 0, 0 },
	{ "NUL", DATA_NUL, 0, 0 }, { "A512", DATA_A512, 0, 0 },
	{ "NL", DATA_NL, 0, 0 },
};

/* Denied by the daemon profile; harmless arguments (NULL pointers, zero
 * lengths) so that the call says yes or no and does nothing. Never run
 * outside a jail (see escape-exec.c). */
static const struct ep_sym raws[] = {
	{ "userfaultfd", SYS_userfaultfd, 0, 0 },
	{ "bpf", SYS_bpf, 0, 0 },
	{ "perf_event_open", SYS_perf_event_open, 0, 0 },
	{ "io_uring_setup", SYS_io_uring_setup, 0, 0 },
	{ "keyctl", SYS_keyctl, 0, 0 },
	{ "add_key", SYS_add_key, 0, 0 },
	{ "init_module", SYS_init_module, 0, 0 },
	{ "syslog", SYS_syslog, 0, 0 },
	{ "iopl", SYS_iopl, 0, 0 },
	{ "ioperm", SYS_ioperm, 0, 0 },
	{ "vhangup", SYS_vhangup, 0, 0 },
	{ "personality", SYS_personality, 0, 0 },
	{ "modify_ldt", SYS_modify_ldt, 0, 0 },
	{ "kcmp", SYS_kcmp, 0, 0 },
	{ "fanotify_init", SYS_fanotify_init, 0, 0 },
	{ "process_vm_readv", SYS_process_vm_readv, 0, 0 },
	{ "clone3", SYS_clone3, 0, 0 },
	{ "x32-getpid", 0x40000000 | 39, 0, 0 },
	{ "memfd_secret", 447, 0, 0 },
	{ "quotactl", SYS_quotactl, 0, 0 },
};

static const struct ep_sym handles[] = {
	{ "from-path", HANDLE_FROM_PATH, 0, 0 },
	{ "ino2", HANDLE_INO2, 0, 0 },
	{ "ino2-gen0", HANDLE_INO2_GEN0, 0, 0 },
};

#define T(a) { (a), N(a) }
const struct ep_table ep_tables[K_NKINDS] = {
	[K_PATH] = { NULL, 0 },	  [K_FD] = T(fds),
	[K_SLOT] = T(slots),	  [K_OFLAGS] = T(oflags),
	[K_RESOLVE] = T(resolve), [K_ATFLAGS] = T(atflags),
	[K_RENAME] = T(renames),  [K_MODE] = T(modes),
	[K_NODE] = T(nodes),	  [K_UID] = T(uids),
	[K_NS] = T(ns),		  [K_NSTYPE] = T(nstypes),
	[K_FSTYPE] = T(fstypes),  [K_MFLAGS] = T(mflags),
	[K_UMOUNT] = T(umounts),  [K_TREE] = T(trees),
	[K_MATTR] = T(mattrs),	  [K_SOCK] = T(socks),
	[K_ADDR] = T(addrs),	  [K_PID] = T(pids),
	[K_SIG] = T(sigs),	  [K_PTRACE] = T(ptraces),
	[K_IOCTL] = T(ioctls),	  [K_PRCTL] = T(prctls),
	[K_NAME] = T(names),	  [K_DATA] = T(datas),
	[K_RAW] = T(raws),	  [K_HANDLE] = T(handles),
};

/* ---- operations ---------------------------------------------------------- */

#define OP(name, ...)                                                          \
	{ name, sizeof((uint8_t[]){ __VA_ARGS__ }), { __VA_ARGS__ } }
#define OP0(name) { name, 0, { 0 } }

const struct ep_opdef ep_ops[EP_NOPS] = {
	[OP_OPEN] = OP("open", K_PATH, K_OFLAGS, K_SLOT),
	[OP_OPENAT] = OP("openat", K_FD, K_PATH, K_OFLAGS, K_SLOT),
	[OP_OPENAT2] = OP("openat2", K_FD, K_PATH, K_OFLAGS, K_RESOLVE,
			  K_SLOT),
	[OP_READ] = OP("read", K_FD),
	[OP_GETDENTS] = OP("getdents", K_FD),
	[OP_READLINK] = OP("readlink", K_PATH),
	[OP_WRITE] = OP("write", K_FD, K_DATA),
	[OP_CLOSE] = OP("close", K_FD),
	[OP_DUP2] = OP("dup2", K_FD, K_FD),
	[OP_MKDIR] = OP("mkdir", K_PATH, K_MODE),
	[OP_MKNOD] = OP("mknod", K_PATH, K_NODE),
	[OP_RENAME] = OP("rename", K_PATH, K_PATH, K_RENAME),
	[OP_LINK] = OP("link", K_PATH, K_PATH, K_ATFLAGS),
	[OP_LINKAT] = OP("linkat", K_FD, K_PATH, K_PATH, K_ATFLAGS),
	[OP_SYMLINK] = OP("symlink", K_PATH, K_PATH),
	[OP_UNLINK] = OP("unlink", K_PATH, K_ATFLAGS),
	[OP_CHDIR] = OP("chdir", K_PATH),
	[OP_FCHDIR] = OP("fchdir", K_FD),
	[OP_CHROOT] = OP("chroot", K_PATH),
	[OP_CHMOD] = OP("chmod", K_PATH, K_MODE),
	[OP_CHOWN] = OP("chown", K_PATH, K_UID),
	[OP_MOUNT] = OP("mount", K_PATH, K_PATH, K_FSTYPE, K_MFLAGS),
	[OP_UMOUNT] = OP("umount", K_PATH, K_UMOUNT),
	[OP_PIVOT_ROOT] = OP("pivot_root", K_PATH, K_PATH),
	[OP_OPEN_TREE] = OP("open_tree", K_FD, K_PATH, K_TREE, K_SLOT),
	[OP_MOVE_MOUNT] = OP("move_mount", K_FD, K_PATH),
	[OP_FSMOUNT] = OP("fsmount", K_FSTYPE, K_SLOT),
	[OP_MOUNT_SETATTR] = OP("mount_setattr", K_PATH, K_MATTR),
	[OP_UNSHARE] = OP("unshare", K_NS),
	[OP_SETNS] = OP("setns", K_FD, K_NSTYPE),
	[OP_CLONE] = OP("clone", K_NS),
	[OP_SOCKET] = OP("socket", K_SOCK, K_SLOT),
	[OP_SOCKETPAIR] = OP("socketpair", K_SLOT),
	[OP_CONNECT] = OP("connect", K_FD, K_ADDR),
	[OP_BIND] = OP("bind", K_FD, K_ADDR),
	[OP_LISTEN] = OP("listen", K_FD),
	[OP_ACCEPT] = OP("accept", K_FD, K_SLOT),
	[OP_SENDTO] = OP("sendto", K_FD, K_ADDR, K_DATA),
	[OP_SEND_FD] = OP("send_fd", K_FD, K_FD),
	[OP_RECV_FD] = OP("recv_fd", K_FD, K_SLOT),
	[OP_KILL] = OP("kill", K_PID, K_SIG),
	[OP_PTRACE] = OP("ptrace", K_PTRACE, K_PID),
	[OP_PIDFD_OPEN] = OP("pidfd_open", K_PID, K_SLOT),
	[OP_PIDFD_SIGNAL] = OP("pidfd_signal", K_FD, K_SIG),
	[OP_PIDFD_GETFD] = OP("pidfd_getfd", K_FD, K_FD, K_SLOT),
	[OP_IOCTL] = OP("ioctl", K_FD, K_IOCTL, K_SLOT),
	[OP_PRCTL] = OP("prctl", K_PRCTL),
	[OP_SETHOSTNAME] = OP("sethostname", K_NAME),
	[OP_SETDOMAINNAME] = OP("setdomainname", K_NAME),
	[OP_SETRESUID] = OP("setresuid", K_UID),
	[OP_SETRESGID] = OP("setresgid", K_UID),
	[OP_OPEN_BY_HANDLE] = OP("open_by_handle", K_FD, K_PATH, K_HANDLE,
				 K_SLOT),
	[OP_SYSCALL] = OP("syscall", K_RAW),
};

/* ---- decode -------------------------------------------------------------- */

struct reader {
	const uint8_t *data;
	size_t size, pos;
};

static uint8_t next(struct reader *r)
{
	return r->pos < r->size ? r->data[r->pos++] : 0;
}

static void decode_path(struct reader *r, uint8_t b, char *out)
{
	size_t n;

	if (b < 0xc0) {
		snprintf(out, EP_PATH_MAX, "%s", ep_paths[b % ep_npaths]);
		return;
	}
	n = (size_t)(b & 3) + 1;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const char *c = ep_components[next(r) % ep_ncomponents];
		size_t len = strlen(out);

		snprintf(out + len, EP_PATH_MAX - len, "%s%s",
			 (i > 0 || (b & 4)) ? "/" : "", c);
	}
}

void ep_decode(const uint8_t *data, size_t size, struct ep_prog *p)
{
	struct reader r = { data, size, 0 };

	p->n = 0;
	while (r.pos < r.size && p->n < EP_MAX_OPS) {
		struct ep_insn *in = &p->insn[p->n++];
		const struct ep_opdef *d;

		in->op = (uint8_t)(next(&r) % EP_NOPS);
		d = &ep_ops[in->op];
		for (size_t a = 0; a < d->nargs; a++) {
			uint8_t b = next(&r);

			if (d->kind[a] == K_PATH) {
				in->arg[a] = b;
				decode_path(&r, b, in->path[a]);
			} else {
				in->arg[a] =
					(uint8_t)(b % ep_tables[d->kind[a]].n);
			}
		}
	}
}

/* ---- print --------------------------------------------------------------- */

static void print_path(FILE *f, const char *path)
{
	fputc('"', f);
	for (const char *c = path; *c != '\0'; c++) {
		if (*c == '"' || *c == '\\')
			fputc('\\', f);
		fputc(*c, f);
	}
	fputc('"', f);
}

void ep_print(FILE *f, const struct ep_prog *p, const char *indent)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct ep_insn *in = &p->insn[i];
		const struct ep_opdef *d = &ep_ops[in->op];

		fprintf(f, "%s%s", indent, d->name);
		for (size_t a = 0; a < d->nargs; a++) {
			fputc(' ', f);
			if (d->kind[a] == K_PATH) {
				print_path(f, in->path[a]);
				continue;
			}
			if (d->kind[a] == K_SLOT)
				fputs("-> ", f);
			fputs(ep_tables[d->kind[a]].sym[in->arg[a]].name, f);
		}
		fputc('\n', f);
	}
}

/* ---- encode, assemble ---------------------------------------------------- */

static int find_in(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return (int)i;
	return -1;
}

/* Bytes of a path: its table index, or a composition. -1 if neither. */
static int encode_path(const char *path, uint8_t *out)
{
	char buf[EP_PATH_MAX], *save = NULL;
	int i = find_in(ep_paths, ep_npaths, path);
	size_t n = 0;

	if (i >= 0) {
		out[0] = (uint8_t)i;
		return 1;
	}
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *c = strtok_r(buf, "/", &save); c != NULL;
	     c = strtok_r(NULL, "/", &save)) {
		int k = find_in(ep_components, ep_ncomponents, c);

		if (k < 0 || n == EP_MAX_COMPONENTS)
			return -1;
		out[1 + n++] = (uint8_t)k;
	}
	if (n == 0)
		return -1;
	out[0] = (uint8_t)(0xc0 | (path[0] == '/' ? 4 : 0) | (n - 1));
	return (int)n + 1;
}

size_t ep_encode_insn(const struct ep_insn *in, uint8_t *out, size_t max)
{
	const struct ep_opdef *d = &ep_ops[in->op];
	uint8_t buf[1 + EP_MAX_ARGS * (1 + EP_MAX_COMPONENTS)];
	size_t n = 0;

	buf[n++] = in->op;
	for (size_t a = 0; a < d->nargs; a++) {
		int k;

		if (d->kind[a] != K_PATH) {
			buf[n++] = in->arg[a];
			continue;
		}
		k = encode_path(in->path[a], buf + n);
		if (k < 0) { /* cannot happen for a decoded path */
			buf[n] = in->arg[a];
			k = 1;
		}
		n += (size_t)k;
	}
	if (n > max)
		return 0;
	memcpy(out, buf, n);
	return n;
}

static int find_sym(enum ep_kind kind, const char *name)
{
	const struct ep_table *t = &ep_tables[kind];

	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->sym[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Next token of @line at *@pos: a word, or a quoted string (unescaped). */
static int token(const char *line, size_t *pos, char *out, size_t max,
		 bool *quoted)
{
	size_t n = 0, i = *pos;

	while (line[i] == ' ' || line[i] == '\t')
		i++;
	if (line[i] == '\0' || line[i] == '#')
		return 0;
	*quoted = line[i] == '"';
	if (*quoted) {
		for (i++; line[i] != '"'; i++) {
			if (line[i] == '\0')
				return -1;
			if (line[i] == '\\' && line[i + 1] != '\0')
				i++;
			if (n + 1 < max)
				out[n++] = line[i];
		}
		i++;
	} else {
		while (line[i] != '\0' && !isspace((unsigned char)line[i]) &&
		       line[i] != '#')
			if (n + 1 < max)
				out[n++] = line[i++];
			else
				i++;
	}
	out[n] = '\0';
	*pos = i;
	return 1;
}

#define ASM_ERR(...)                                                           \
	do {                                                                   \
		int len_ = snprintf(err, errlen, "line %zu: ", lineno);        \
		snprintf(err + len_, errlen - (size_t)len_, __VA_ARGS__);      \
		return -1;                                                     \
	} while (0)

long ep_assemble(const char *text, uint8_t *out, size_t max, char *err,
		 size_t errlen)
{
	size_t len = 0, lineno = 0, ops = 0;
	const char *line = text;

	while (*line != '\0') {
		const char *end = strchr(line, '\n');
		size_t ll = end ? (size_t)(end - line) : strlen(line);
		char buf[512], tok[EP_PATH_MAX];
		size_t pos = 0;
		bool quoted;
		int rc, op;
		const struct ep_opdef *d;

		lineno++;
		snprintf(buf, sizeof(buf), "%.*s", (int)ll, line);
		line = end ? end + 1 : line + ll;
		rc = token(buf, &pos, tok, sizeof(tok), &quoted);
		if (rc == 0)
			continue;
		for (op = 0; op < EP_NOPS; op++)
			if (strcmp(ep_ops[op].name, tok) == 0)
				break;
		if (rc < 0 || quoted || op == EP_NOPS)
			ASM_ERR("unknown operation \"%s\"", tok);
		if (++ops > EP_MAX_OPS)
			ASM_ERR("more than %d operations", EP_MAX_OPS);
		d = &ep_ops[op];
		if (len >= max)
			ASM_ERR("program too long");
		out[len++] = (uint8_t)op;
		for (size_t a = 0; a < d->nargs; a++) {
			uint8_t pb[1 + EP_MAX_COMPONENTS];
			int k;

			rc = token(buf, &pos, tok, sizeof(tok), &quoted);
			if (rc > 0 && !quoted && strcmp(tok, "->") == 0 &&
			    d->kind[a] == K_SLOT)
				rc = token(buf, &pos, tok, sizeof(tok),
					   &quoted);
			if (rc <= 0)
				ASM_ERR("%s: argument %zu missing", d->name,
					a + 1);
			if (d->kind[a] == K_PATH) {
				if (!quoted)
					ASM_ERR("%s: path \"%s\" not quoted",
						d->name, tok);
				k = encode_path(tok, pb);
				if (k < 0)
					ASM_ERR("%s: path \"%s\" is neither in "
						"the table nor made of its "
						"components",
						d->name, tok);
			} else {
				k = find_sym(d->kind[a], tok);
				if (k < 0)
					ASM_ERR("%s: argument %zu: unknown "
						"value \"%s\"",
						d->name, a + 1, tok);
				pb[0] = (uint8_t)k;
				k = 1;
			}
			if (len + (size_t)k > max)
				ASM_ERR("program too long");
			memcpy(out + len, pb, (size_t)k);
			len += (size_t)k;
		}
		if (token(buf, &pos, tok, sizeof(tok), &quoted) != 0)
			ASM_ERR("%s: extra argument \"%s\"", d->name, tok);
	}
	return (long)len;
}
