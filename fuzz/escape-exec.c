/* fuzz/escape-exec.c - the escape program's interpreter: one system call
 * per instruction, arguments from the tables of escape-prog.c, results
 * into fd registers, and everything read reported to the oracle.
 *
 * Runs inside the jail, in the process that vjail_enter() returned 0 in.
 * Sockets and opens are non-blocking, so a program rarely waits; the
 * harness kills the jail at its deadline anyway.
 *
 * Each instruction ends in OUTCOME(): a switch on the errno, written out in
 * every case of the interpreter, so that AFL++ sees a distinct edge for
 * each (operation, result) pair and keeps inputs that make a call answer
 * differently (EPERM from seccomp, EACCES from Landlock, ENOENT from the
 * mount barrier, or success).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <linux/netlink.h>
#include <linux/openat2.h>

#include "escape-exec.h"

#define MAX_FORKS 3 /* clone per path: at most 8 processes run a program */

struct state {
	const struct ep_env *env;
	int slot[EP_SLOTS];
	bool control, trace;
	int forks;
};

static volatile unsigned long outcome_sink;

/* A call AFL++ cannot fold into a table: one basic block per use. */
static void __attribute__((noinline)) hit(unsigned long v)
{
	outcome_sink += v;
}

#define OUTCOME(rc)                                                            \
	do {                                                                   \
		switch ((rc) < 0 ? errno : 0) {                                \
		case 0: hit(1); break;                                         \
		case EPERM: hit(2); break;                                     \
		case EACCES: hit(3); break;                                    \
		case ENOENT: hit(4); break;                                    \
		case EINVAL: hit(5); break;                                    \
		case EBADF: hit(6); break;                                     \
		case ENOSYS: hit(7); break;                                    \
		case EROFS: hit(8); break;                                     \
		case EXDEV: hit(9); break;                                     \
		case EEXIST: hit(10); break;                                   \
		case ENOTDIR: hit(11); break;                                  \
		case ELOOP: hit(12); break;                                    \
		case ESRCH: hit(13); break;                                    \
		case EOPNOTSUPP: hit(14); break;                               \
		case EFAULT: hit(15); break;                                   \
		case ECONNREFUSED: hit(16); break;                             \
		default: hit(17); break;                                       \
		}                                                              \
	} while (0)

static void report(const struct state *s, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(s->env->report_fd, p, len);

		if (n <= 0)
			return; /* the program closed or replaced it */
		p += n;
		len -= (size_t)n;
	}
}

/* ---- arguments ----------------------------------------------------------- */

static const struct ep_sym *sym(const struct ep_insn *in, int a)
{
	return &ep_tables[ep_ops[in->op].kind[a]].sym[in->arg[a]];
}

static void path(const struct state *s, const struct ep_insn *in, int a,
		 char *out)
{
	const char *p = in->path[a], *w = strstr(p, "@W");

	if (w == NULL)
		snprintf(out, PATH_MAX, "%s", p);
	else
		snprintf(out, PATH_MAX, "%.*s%s%s", (int)(w - p), p,
			 s->env->dir, w + 2);
}

static int fd(const struct state *s, const struct ep_insn *in, int a)
{
	const struct ep_sym *f = sym(in, a);

	return f->b ? s->slot[f->a] : (int)f->a;
}

static int slot_of(const struct ep_insn *in, int a)
{
	return in->arg[a] % EP_SLOTS;
}

static pid_t pid(const struct state *s, const struct ep_insn *in, int a)
{
	const struct ep_sym *p = sym(in, a);

	switch (p->a) {
	case PID_SENTINEL:
		return s->env->sentinel;
	case PID_SENTINEL_PGRP:
		return -s->env->sentinel;
	case PID_HARNESS:
		return s->env->harness;
	case PID_SELF:
		return getpid();
	case PID_PARENT:
		return getppid();
	default:
		return (pid_t)p->b;
	}
}

static void data(const struct ep_insn *in, int a, char *buf, size_t *len)
{
	switch (sym(in, a)->a) {
	case DATA_PWNED:
		memcpy(buf, "PWNED\n", 6);
		*len = 6;
		break;
	case DATA_NUL:
		buf[0] = '\0';
		*len = 1;
		break;
	case DATA_A512:
		memset(buf, 'A', 512);
		*len = 512;
		break;
	case DATA_NL:
		buf[0] = '\n';
		*len = 1;
		break;
	default:
		buf[0] = 'x';
		*len = 1;
		break;
	}
}

static socklen_t addr(const struct state *s, const struct ep_insn *in, int a,
		      struct sockaddr_storage *ss)
{
	struct sockaddr_un *un = (struct sockaddr_un *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_nl *nl = (struct sockaddr_nl *)ss;
	const char *name = NULL, *abstract = NULL;
	char buf[PATH_MAX];

	memset(ss, 0, sizeof(*ss));
	switch (sym(in, a)->a) {
	case ADDR_HOST_PATH:
		snprintf(buf, sizeof(buf), "%s/host.sock", s->env->dir);
		name = buf;
		break;
	case ADDR_HOST_DGRAM:
		snprintf(buf, sizeof(buf), "%s/host.dgram", s->env->dir);
		name = buf;
		break;
	case ADDR_HOST_PATH_PROC:
		snprintf(buf, sizeof(buf), "/proc/self/root%s/host.sock",
			 s->env->dir);
		name = buf;
		break;
	case ADDR_HOST_PATH_REL:
		name = "../host.sock";
		break;
	case ADDR_JAIL_PATH:
		name = "/data/sock";
		break;
	case ADDR_TMP_PATH:
		name = "/tmp/sock";
		break;
	case ADDR_HOST_ABSTRACT:
		abstract = s->env->abstract;
		break;
	case ADDR_HOST_ABS_DGRAM:
		abstract = s->env->abstract_dgram;
		break;
	case ADDR_JAIL_ABSTRACT:
		abstract = "vjail-fuzz-jail";
		break;
	case ADDR_NETLINK:
		nl->nl_family = AF_NETLINK;
		return sizeof(*nl);
	default: /* TCP */
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (sym(in, a)->a == ADDR_HOST_TCP)
			sin->sin_port = htons(s->env->tcp_port);
		else if (sym(in, a)->a == ADDR_TCP_1)
			sin->sin_port = htons(1);
		else
			sin->sin_addr.s_addr = htonl(INADDR_ANY);
		return sizeof(*sin);
	}
	un->sun_family = AF_UNIX;
	if (abstract != NULL) {
		size_t n = strlen(abstract);

		memcpy(un->sun_path + 1, abstract, n);
		return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
				   n);
	}
	snprintf(un->sun_path, sizeof(un->sun_path), "%.107s", name);
	return sizeof(*un);
}

/* A new fd in a register. A regular file is read at once: whatever way a
 * program found to a file, its content goes to the oracle. */
static long got_fd(struct state *s, int slot, long nfd)
{
	char buf[4096];
	struct stat st;
	ssize_t n;

	if (nfd < 0)
		return nfd;
	s->slot[slot] = (int)nfd;
	if (fstat((int)nfd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (n = pread((int)nfd, buf, sizeof(buf), 0)) > 0)
		report(s, buf, (size_t)n);
	return nfd;
}

/* ---- the control mode's safety net --------------------------------------- */

/* Is @p, or its parent if it does not exist, inside the work directory? */
static bool inside_dir(const struct state *s, const char *p)
{
	char real[PATH_MAX], parent[PATH_MAX], *slash;
	size_t n = strlen(s->env->dir);

	if (realpath(p, real) == NULL) {
		snprintf(parent, sizeof(parent), "%s", p);
		slash = strrchr(parent, '/');
		if (slash == NULL)
			snprintf(parent, sizeof(parent), ".");
		else if (slash == parent)
			parent[1] = '\0';
		else
			*slash = '\0';
		if (realpath(parent, real) == NULL)
			return false;
	}
	return strncmp(real, s->env->dir, n) == 0 &&
	       (real[n] == '/' || real[n] == '\0');
}

/* Outside a jail, skip what could harm the machine (escape-exec.h). */
static bool unsafe_outside(const struct state *s, const struct ep_insn *in)
{
	char p[PATH_MAX];
	int flags;

	switch (in->op) {
	case OP_MOUNT: case OP_UMOUNT: case OP_PIVOT_ROOT: case OP_OPEN_TREE:
	case OP_MOVE_MOUNT: case OP_FSMOUNT: case OP_MOUNT_SETATTR:
	case OP_SETNS: case OP_PTRACE: case OP_SYSCALL: case OP_IOCTL:
	case OP_MKNOD: case OP_OPEN_BY_HANDLE: case OP_PIDFD_GETFD:
		return true;
	case OP_KILL: case OP_PIDFD_OPEN: {
		long id = sym(in, 0)->a;

		return id != PID_SENTINEL && id != PID_SENTINEL_PGRP &&
		       id != PID_SELF;
	}
	case OP_OPEN: case OP_OPENAT: case OP_OPENAT2:
		flags = (int)sym(in, in->op == OP_OPEN ? 1 : 2)->a;
		if ((flags & O_ACCMODE) == O_RDONLY && !(flags & O_CREAT) &&
		    !(flags & O_TRUNC))
			return false;
		if (in->op != OP_OPEN && fd(s, in, 0) != AT_FDCWD)
			return true;
		path(s, in, in->op == OP_OPEN ? 0 : 1, p);
		return !inside_dir(s, p);
	case OP_MKDIR: case OP_UNLINK: case OP_CHMOD: case OP_CHOWN:
	case OP_RENAME: case OP_LINK: case OP_SYMLINK: case OP_LINKAT:
		for (int a = 0; a < ep_ops[in->op].nargs; a++) {
			if (ep_ops[in->op].kind[a] != K_PATH)
				continue;
			if (in->op == OP_SYMLINK && a == 0)
				continue; /* the link's text, not a place */
			path(s, in, a, p);
			if (!inside_dir(s, p))
				return true;
		}
		return in->op == OP_LINKAT && fd(s, in, 0) != AT_FDCWD;
	default:
		return false;
	}
}

/* ---- the operations ------------------------------------------------------ */

static long do_open(struct state *s, const struct ep_insn *in, int dirfd,
		    int pa, long resolve, bool two)
{
	int fa = pa + 1, flags = (int)sym(in, fa)->a | O_NONBLOCK;
	char p[PATH_MAX];

	path(s, in, pa, p);
	if (two) {
		struct open_how how = {
			.flags = (unsigned long long)flags,
			.mode = (flags & (O_CREAT | O_TMPFILE)) ? 0666 : 0,
			.resolve = (unsigned long long)resolve,
		};

		return got_fd(s, slot_of(in, pa + 3),
			      syscall(SYS_openat2, dirfd, p, &how,
				      sizeof(how)));
	}
	return got_fd(s, slot_of(in, pa + 2), openat(dirfd, p, flags, 0666));
}

static long do_read(struct state *s, int rfd, bool dents)
{
	char buf[4096];
	long n;

	if (rfd == s->env->report_fd)
		return errno = EBADF, -1;
	n = dents ? syscall(SYS_getdents64, rfd, buf, sizeof(buf))
		  : read(rfd, buf, sizeof(buf));
	if (n > 0)
		report(s, buf, (size_t)n);
	return n;
}

static long do_readlink(struct state *s, const char *p)
{
	char buf[PATH_MAX];
	ssize_t n = readlink(p, buf, sizeof(buf));

	if (n > 0)
		report(s, buf, (size_t)n);
	return n;
}

static long do_fsmount(struct state *s, const struct ep_insn *in)
{
	const char *type = sym(in, 0)->name;
	int fs = fsopen(strcmp(type, "none") == 0 ? NULL : type, 0), m;

	if (fs < 0)
		return -1;
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) != 0) {
		int err = errno;

		close(fs);
		return errno = err, -1;
	}
	m = fsmount(fs, 0, 0);
	close(fs);
	return got_fd(s, slot_of(in, 1), m);
}

static long do_mount_setattr(struct state *s, const struct ep_insn *in)
{
	const struct ep_sym *m = sym(in, 1);
	struct mount_attr a = {
		.attr_set = (unsigned long long)m->a,
		.attr_clr = (unsigned long long)m->b,
		.propagation = (unsigned long long)((unsigned long)m->c >> 32),
	};
	char p[PATH_MAX];

	path(s, in, 0, p);
	return mount_setattr(AT_FDCWD, p, (unsigned int)(m->c & 0xffffffff),
			     &a, sizeof(a));
}

/* clone: the child runs the rest of the program, the parent waits for it
 * and then runs the rest too. */
static long do_clone(struct state *s, unsigned long flags)
{
	long child;
	int st;

	if (s->forks >= MAX_FORKS)
		return errno = EAGAIN, -1;
	child = syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, 0);
	if (child == 0) {
		s->forks++;
		return 0;
	}
	if (child > 0)
		while (waitpid((pid_t)child, &st, __WALL) < 0 && errno == EINTR)
			;
	return child;
}

static long do_socketpair(struct state *s, const struct ep_insn *in)
{
	int sv[2], a = slot_of(in, 0);

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
		       sv) != 0)
		return -1;
	s->slot[a] = sv[0];
	s->slot[(a + 1) % EP_SLOTS] = sv[1];
	return 0;
}

static long do_send_fd(int sock, int payload)
{
	char c = 'x', ctl[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { &c, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &payload, sizeof(int));
	return sendmsg(sock, &m, MSG_DONTWAIT | MSG_NOSIGNAL);
}

static long do_recv_fd(struct state *s, const struct ep_insn *in, int sock)
{
	char buf[512], ctl[CMSG_SPACE(sizeof(int) * 4)];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	ssize_t n = recvmsg(sock, &m, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);

	if (n < 0)
		return -1;
	report(s, buf, (size_t)n);
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&m); cm != NULL;
	     cm = CMSG_NXTHDR(&m, cm)) {
		int got;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		memcpy(&got, CMSG_DATA(cm), sizeof(int));
		return got_fd(s, slot_of(in, 1), got);
	}
	return n;
}

static long do_ioctl(struct state *s, const struct ep_insn *in)
{
	const struct ep_sym *c = sym(in, 1);
	unsigned long req = (unsigned long)c->a;
	char buf[64] = "x";
	int v = 0, f = fd(s, in, 0);

	switch (c->b) {
	case IOA_BUF:
		return ioctl(f, req, buf);
	case IOA_INTPTR:
		return ioctl(f, req, &v);
	case IOA_FD_RESULT:
		return got_fd(s, slot_of(in, 2), ioctl(f, req, 0));
	default:
		return ioctl(f, req, 0);
	}
}

static long do_prctl(struct state *s, const struct ep_insn *in)
{
	const struct ep_sym *p = sym(in, 0);
	unsigned long arg3 = (unsigned long)p->c;

	if (p->a == PR_SET_MM)
		arg3 = (unsigned long)s->slot[0];
	return prctl((int)p->a, (unsigned long)p->b, arg3, 0UL, 0UL);
}

static long do_name(const struct ep_insn *in, bool host)
{
	char longname[65];
	const char *n = "pwned";
	size_t len;

	switch (sym(in, 0)->a) {
	case NAME_VJAIL:
		n = "vjail";
		break;
	case NAME_EMPTY:
		n = "";
		break;
	case NAME_LONG:
		memset(longname, 'x', 64);
		longname[64] = '\0';
		n = longname;
		break;
	}
	len = strlen(n);
	return host ? sethostname(n, len) : setdomainname(n, len);
}

static long do_open_by_handle(struct state *s, const struct ep_insn *in)
{
	struct {
		struct file_handle fh;
		unsigned char bytes[128];
	} h = { .fh.handle_bytes = 128 };
	char p[PATH_MAX];
	int mount_id;

	switch (sym(in, 2)->a) {
	case HANDLE_FROM_PATH:
		path(s, in, 1, p);
		if (name_to_handle_at(AT_FDCWD, p, &h.fh, &mount_id, 0) != 0)
			return -1;
		break;
	default: /* what "shocker" tried: ext4's root, inode 2 */
		h.fh.handle_bytes = 8;
		h.fh.handle_type = 1; /* FILEID_INO32_GEN */
		memset(h.bytes, 0, 8); /* f_handle: ino 2, generation 0 */
		h.bytes[0] = 2;
		break;
	}
	return got_fd(s, slot_of(in, 3),
		      open_by_handle_at(fd(s, in, 0), &h.fh,
					O_RDONLY | O_NONBLOCK));
}

static long do_raw(struct state *s, long nr)
{
	char buf[4096];
	long rc;

	switch (nr) {
	case SYS_syslog: /* SYSLOG_ACTION_READ_ALL: the host's kernel log */
		rc = syscall(nr, 3, buf, (long)sizeof(buf));
		if (rc > 0)
			report(s, buf, (size_t)rc);
		return rc;
	case SYS_perf_event_open:
		return syscall(nr, NULL, 0, -1, -1, 0);
	case SYS_io_uring_setup:
		return syscall(nr, 1, NULL);
	case SYS_keyctl: /* KEYCTL_GET_KEYRING_ID of the user keyring */
		return syscall(nr, 0, -4, 0);
	case SYS_iopl:
		return syscall(nr, 0);
	case SYS_ioperm: /* turn port 0x80 off: a no-op if allowed */
		return syscall(nr, 0x80, 1, 0);
	case SYS_personality:
		return syscall(nr, 0xffffffffUL);
	case SYS_modify_ldt:
		return syscall(nr, 0, buf, 16);
	case SYS_kcmp:
		return syscall(nr, getpid(), getpid(), 0, 0, 0);
	case SYS_process_vm_readv:
		return syscall(nr, getpid(), NULL, 0, NULL, 0, 0);
	default: /* zero arguments: EFAULT or EINVAL if it ever got through */
		return syscall(nr, 0, 0, 0, 0, 0, 0);
	}
}

/* ---- the interpreter ----------------------------------------------------- */

static long run_one(struct state *s, const struct ep_insn *in)
{
	char p[PATH_MAX], q[PATH_MAX], d[512];
	struct sockaddr_storage ss;
	socklen_t sl;
	size_t dl;
	long rc;

#define PATHS()                                                                \
	do {                                                                   \
		path(s, in, 0, p);                                             \
		path(s, in, 1, q);                                             \
	} while (0)

	switch (in->op) {
	case OP_OPEN:
		rc = do_open(s, in, AT_FDCWD, 0, 0, false);
		OUTCOME(rc);
		break;
	case OP_OPENAT:
		rc = do_open(s, in, fd(s, in, 0), 1, 0, false);
		OUTCOME(rc);
		break;
	case OP_OPENAT2:
		rc = do_open(s, in, fd(s, in, 0), 1, sym(in, 3)->a, true);
		OUTCOME(rc);
		break;
	case OP_READ:
		rc = do_read(s, fd(s, in, 0), false);
		OUTCOME(rc);
		break;
	case OP_GETDENTS:
		rc = do_read(s, fd(s, in, 0), true);
		OUTCOME(rc);
		break;
	case OP_READLINK:
		path(s, in, 0, p);
		rc = do_readlink(s, p);
		OUTCOME(rc);
		break;
	case OP_WRITE:
		data(in, 1, d, &dl);
		rc = fd(s, in, 0) == s->env->report_fd
			     ? (errno = EBADF, -1)
			     : write(fd(s, in, 0), d, dl);
		OUTCOME(rc);
		break;
	case OP_CLOSE:
		rc = fd(s, in, 0) == s->env->report_fd ? (errno = EBADF, -1)
						       : close(fd(s, in, 0));
		OUTCOME(rc);
		break;
	case OP_DUP2:
		rc = fd(s, in, 1) == s->env->report_fd
			     ? (errno = EBADF, -1)
			     : dup2(fd(s, in, 0), fd(s, in, 1));
		OUTCOME(rc);
		break;
	case OP_MKDIR:
		path(s, in, 0, p);
		rc = mkdir(p, (mode_t)sym(in, 1)->a);
		OUTCOME(rc);
		break;
	case OP_MKNOD:
		path(s, in, 0, p);
		rc = mknod(p, (mode_t)sym(in, 1)->a,
			   makedev((unsigned)sym(in, 1)->b,
				   (unsigned)sym(in, 1)->c));
		OUTCOME(rc);
		break;
	case OP_RENAME:
		PATHS();
		rc = renameat2(AT_FDCWD, p, AT_FDCWD, q,
			       (unsigned int)sym(in, 2)->a);
		OUTCOME(rc);
		break;
	case OP_LINK:
		PATHS();
		rc = linkat(AT_FDCWD, p, AT_FDCWD, q, (int)sym(in, 2)->a);
		OUTCOME(rc);
		break;
	case OP_LINKAT:
		path(s, in, 1, p);
		path(s, in, 2, q);
		rc = linkat(fd(s, in, 0), p, AT_FDCWD, q, (int)sym(in, 3)->a);
		OUTCOME(rc);
		break;
	case OP_SYMLINK:
		PATHS();
		rc = symlink(p, q);
		OUTCOME(rc);
		break;
	case OP_UNLINK:
		path(s, in, 0, p);
		rc = unlinkat(AT_FDCWD, p, (int)sym(in, 1)->a & AT_REMOVEDIR);
		OUTCOME(rc);
		break;
	case OP_CHDIR:
		path(s, in, 0, p);
		rc = chdir(p);
		OUTCOME(rc);
		break;
	case OP_FCHDIR:
		rc = fchdir(fd(s, in, 0));
		OUTCOME(rc);
		break;
	case OP_CHROOT:
		path(s, in, 0, p);
		rc = chroot(p);
		OUTCOME(rc);
		break;
	case OP_CHMOD:
		path(s, in, 0, p);
		rc = chmod(p, (mode_t)sym(in, 1)->a);
		OUTCOME(rc);
		break;
	case OP_CHOWN:
		path(s, in, 0, p);
		rc = chown(p, (uid_t)sym(in, 1)->a, (gid_t)sym(in, 1)->a);
		OUTCOME(rc);
		break;
	case OP_MOUNT: {
		const char *type = sym(in, 2)->name;
		bool none = strcmp(type, "none") == 0;

		PATHS();
		rc = mount(none ? p : type, q, none ? NULL : type,
			   (unsigned long)sym(in, 3)->a, NULL);
		OUTCOME(rc);
		break;
	}
	case OP_UMOUNT:
		path(s, in, 0, p);
		rc = umount2(p, (int)sym(in, 1)->a);
		OUTCOME(rc);
		break;
	case OP_PIVOT_ROOT:
		PATHS();
		rc = syscall(SYS_pivot_root, p, q);
		OUTCOME(rc);
		break;
	case OP_OPEN_TREE:
		path(s, in, 1, p);
		rc = got_fd(s, slot_of(in, 3),
			    open_tree(fd(s, in, 0), p,
				      (unsigned int)sym(in, 2)->a));
		OUTCOME(rc);
		break;
	case OP_MOVE_MOUNT:
		path(s, in, 1, p);
		rc = move_mount(fd(s, in, 0), "", AT_FDCWD, p,
				MOVE_MOUNT_F_EMPTY_PATH);
		OUTCOME(rc);
		break;
	case OP_FSMOUNT:
		rc = do_fsmount(s, in);
		OUTCOME(rc);
		break;
	case OP_MOUNT_SETATTR:
		rc = do_mount_setattr(s, in);
		OUTCOME(rc);
		break;
	case OP_UNSHARE:
		rc = unshare((int)sym(in, 0)->a);
		OUTCOME(rc);
		break;
	case OP_SETNS:
		rc = setns(fd(s, in, 0), (int)sym(in, 1)->a);
		OUTCOME(rc);
		break;
	case OP_CLONE:
		rc = do_clone(s, (unsigned long)sym(in, 0)->a);
		OUTCOME(rc);
		break;
	case OP_SOCKET:
		rc = got_fd(s, slot_of(in, 1),
			    socket((int)sym(in, 0)->a,
				   (int)sym(in, 0)->b | SOCK_NONBLOCK |
					   SOCK_CLOEXEC,
				   (int)sym(in, 0)->c));
		OUTCOME(rc);
		break;
	case OP_SOCKETPAIR:
		rc = do_socketpair(s, in);
		OUTCOME(rc);
		break;
	case OP_CONNECT:
		sl = addr(s, in, 1, &ss);
		rc = connect(fd(s, in, 0), (struct sockaddr *)&ss, sl);
		OUTCOME(rc);
		break;
	case OP_BIND:
		sl = addr(s, in, 1, &ss);
		rc = bind(fd(s, in, 0), (struct sockaddr *)&ss, sl);
		OUTCOME(rc);
		break;
	case OP_LISTEN:
		rc = listen(fd(s, in, 0), 4);
		OUTCOME(rc);
		break;
	case OP_ACCEPT:
		rc = got_fd(s, slot_of(in, 1),
			    accept4(fd(s, in, 0), NULL, NULL,
				    SOCK_NONBLOCK | SOCK_CLOEXEC));
		OUTCOME(rc);
		break;
	case OP_SENDTO:
		sl = addr(s, in, 1, &ss);
		data(in, 2, d, &dl);
		rc = sendto(fd(s, in, 0), d, dl, MSG_DONTWAIT | MSG_NOSIGNAL,
			    (struct sockaddr *)&ss, sl);
		OUTCOME(rc);
		break;
	case OP_SEND_FD:
		rc = do_send_fd(fd(s, in, 0), fd(s, in, 1));
		OUTCOME(rc);
		break;
	case OP_RECV_FD:
		rc = do_recv_fd(s, in, fd(s, in, 0));
		OUTCOME(rc);
		break;
	case OP_KILL:
		rc = kill(pid(s, in, 0), (int)sym(in, 1)->a);
		OUTCOME(rc);
		break;
	case OP_PTRACE:
		rc = ptrace((enum __ptrace_request)sym(in, 0)->a,
			    pid(s, in, 1), NULL, NULL);
		OUTCOME(rc);
		break;
	case OP_PIDFD_OPEN:
		rc = got_fd(s, slot_of(in, 1), pidfd_open(pid(s, in, 0), 0));
		OUTCOME(rc);
		break;
	case OP_PIDFD_SIGNAL:
		rc = pidfd_send_signal(fd(s, in, 0), (int)sym(in, 1)->a, NULL,
				       0);
		OUTCOME(rc);
		break;
	case OP_PIDFD_GETFD:
		rc = got_fd(s, slot_of(in, 2),
			    pidfd_getfd(fd(s, in, 0), fd(s, in, 1), 0));
		OUTCOME(rc);
		break;
	case OP_IOCTL:
		rc = do_ioctl(s, in);
		OUTCOME(rc);
		break;
	case OP_PRCTL:
		rc = do_prctl(s, in);
		OUTCOME(rc);
		break;
	case OP_SETHOSTNAME:
		rc = do_name(in, true);
		OUTCOME(rc);
		break;
	case OP_SETDOMAINNAME:
		rc = do_name(in, false);
		OUTCOME(rc);
		break;
	case OP_SETRESUID:
		rc = setresuid((uid_t)sym(in, 0)->a, (uid_t)sym(in, 0)->a,
			       (uid_t)sym(in, 0)->a);
		OUTCOME(rc);
		break;
	case OP_SETRESGID:
		rc = setresgid((gid_t)sym(in, 0)->a, (gid_t)sym(in, 0)->a,
			       (gid_t)sym(in, 0)->a);
		OUTCOME(rc);
		break;
	case OP_OPEN_BY_HANDLE:
		rc = do_open_by_handle(s, in);
		OUTCOME(rc);
		break;
	case OP_SYSCALL:
	default:
		rc = do_raw(s, sym(in, 0)->a);
		OUTCOME(rc);
		break;
	}
#undef PATHS
	return rc;
}

void ep_run(const struct ep_prog *p, const struct ep_env *env, bool control,
	    bool trace)
{
	struct state s = { .env = env, .control = control, .trace = trace };

	for (size_t i = 0; i < EP_SLOTS; i++)
		s.slot[i] = -1;
	for (size_t i = 0; i < p->n; i++) {
		const struct ep_insn *in = &p->insn[i];
		char line[160];
		long rc;
		int err;

		if (control && unsafe_outside(&s, in)) {
			rc = -1;
			errno = ECANCELED;
		} else {
			errno = 0;
			rc = run_one(&s, in);
		}
		err = errno;
		if (!trace)
			continue;
		if (rc < 0)
			snprintf(line, sizeof(line), "#%zu %s: %ld %s\n", i,
				 ep_ops[in->op].name, rc,
				 err == ECANCELED && control
					 ? "skipped outside a jail"
					 : strerrorname_np(err));
		else
			snprintf(line, sizeof(line), "#%zu %s: %ld [pid %d]\n",
				 i, ep_ops[in->op].name, rc, (int)getpid());
		report(&s, line, strlen(line));
	}
}
