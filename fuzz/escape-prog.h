/* fuzz/escape-prog.h - the language of the escape fuzzer: a byte string is
 * a short program of system calls whose arguments come from small tables
 * (paths with "..", /proc magic links and host paths, fd numbers, namespace
 * and mount flags, signals, socket addresses, ioctl codes, prctl options).
 *
 * Encoding: one byte per opcode (taken modulo the number of ops), then one
 * byte per argument, an index into the argument's table (modulo its size).
 * A path byte below 0xc0 picks a table entry; 0xc0 and above composes a path
 * of ((b & 3) + 1) components, absolute if b & 4, each picked by one more
 * byte. Missing bytes read as 0, so every byte string is a valid program.
 *
 * Text form (what ep_print() writes and ep_assemble() reads), one
 * instruction a line, "#" starts a comment:
 *
 *	open "@W/canary" O_RDONLY -> s0
 *	read s0
 *
 * "@W" in a path stands for the fuzzer's work directory on the host, which
 * holds the canaries and the jail's root (see escape-world.h).
 */
#ifndef VJ_ESCAPE_PROG_H
#define VJ_ESCAPE_PROG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define EP_MAX_OPS 24     /* longer inputs are cut: keeps one run short */
#define EP_MAX_ARGS 5
#define EP_SLOTS 8        /* fd registers s0..s7 */
#define EP_PATH_MAX 128
#define EP_MAX_COMPONENTS 4

/* Argument kinds; each has a table of named values (escape-prog.c). */
enum ep_kind {
	K_PATH,    /* a path, see above */
	K_FD,      /* a register s0..s7 or a fixed number (AT_FDCWD, 0, ...) */
	K_SLOT,    /* the register that receives a new fd ("-> sN") */
	K_OFLAGS,  /* open(2) flags */
	K_RESOLVE, /* openat2(2) resolve flags */
	K_ATFLAGS, /* AT_* flags of linkat, unlinkat */
	K_RENAME,  /* renameat2(2) flags */
	K_MODE,    /* permission bits */
	K_NODE,    /* mknod(2) type and device */
	K_UID,     /* a uid or gid */
	K_NS,      /* CLONE_* flags for unshare and clone */
	K_NSTYPE,  /* setns(2) type */
	K_FSTYPE,  /* filesystem type */
	K_MFLAGS,  /* mount(2) flags */
	K_UMOUNT,  /* umount2(2) flags */
	K_TREE,    /* open_tree(2) flags */
	K_MATTR,   /* mount_setattr(2) change */
	K_SOCK,    /* socket family, type and protocol */
	K_ADDR,    /* a socket address (host listeners among them) */
	K_PID,     /* a pid (the host sentinel among them) */
	K_SIG,     /* a signal */
	K_PTRACE,  /* a ptrace(2) request */
	K_IOCTL,   /* an ioctl(2) request */
	K_PRCTL,   /* a prctl(2) option with its arguments */
	K_NAME,    /* a host or domain name */
	K_DATA,    /* bytes to write */
	K_RAW,     /* a denied syscall with harmless arguments */
	K_HANDLE,  /* a file handle for open_by_handle_at(2) */
	K_NKINDS
};

/* One named value. What a, b, c mean depends on the kind. */
struct ep_sym {
	const char *name;
	long a, b, c;
};

struct ep_table {
	const struct ep_sym *sym;
	size_t n;
};

extern const struct ep_table ep_tables[K_NKINDS];

/* Path table entries and composable components. */
extern const char *const ep_paths[];
extern const size_t ep_npaths;
extern const char *const ep_components[];
extern const size_t ep_ncomponents;

enum ep_op {
	OP_OPEN, OP_OPENAT, OP_OPENAT2, OP_READ, OP_GETDENTS, OP_READLINK,
	OP_WRITE, OP_CLOSE, OP_DUP2, OP_MKDIR, OP_MKNOD, OP_RENAME, OP_LINK,
	OP_LINKAT, OP_SYMLINK, OP_UNLINK, OP_CHDIR, OP_FCHDIR, OP_CHROOT,
	OP_CHMOD, OP_CHOWN, OP_MOUNT, OP_UMOUNT, OP_PIVOT_ROOT, OP_OPEN_TREE,
	OP_MOVE_MOUNT, OP_FSMOUNT, OP_MOUNT_SETATTR, OP_UNSHARE, OP_SETNS,
	OP_CLONE, OP_SOCKET, OP_SOCKETPAIR, OP_CONNECT, OP_BIND, OP_LISTEN,
	OP_ACCEPT, OP_SENDTO, OP_SEND_FD, OP_RECV_FD, OP_KILL, OP_PTRACE,
	OP_PIDFD_OPEN, OP_PIDFD_SIGNAL, OP_PIDFD_GETFD, OP_IOCTL, OP_PRCTL,
	OP_SETHOSTNAME, OP_SETDOMAINNAME, OP_SETRESUID, OP_SETRESGID,
	OP_OPEN_BY_HANDLE, OP_SYSCALL,
	EP_NOPS
};

/* Values of the tables whose entries the executor builds itself. */
enum ep_addr_id {
	ADDR_HOST_PATH,      /* the host's unix stream listener, by path */
	ADDR_HOST_DGRAM,     /* the host's unix datagram socket, by path */
	ADDR_HOST_ABSTRACT,  /* the host's abstract unix stream listener */
	ADDR_HOST_ABS_DGRAM, /* the host's abstract unix datagram socket */
	ADDR_HOST_TCP,       /* the host's TCP listener on 127.0.0.1 */
	ADDR_HOST_PATH_PROC, /* the host's path listener via /proc/self/root */
	ADDR_HOST_PATH_REL,  /* "../host.sock" */
	ADDR_TCP_1,          /* 127.0.0.1:1 */
	ADDR_TCP_ANY,        /* 0.0.0.0:0 */
	ADDR_JAIL_PATH,      /* /data/sock, inside */
	ADDR_TMP_PATH,       /* /tmp/sock, inside */
	ADDR_JAIL_ABSTRACT,  /* an abstract name of the jail's own */
	ADDR_NETLINK,        /* the kernel, for netlink sockets */
};

enum ep_pid_id {
	PID_SENTINEL,     /* a host process that counts the signals it gets */
	PID_SENTINEL_PGRP,
	PID_HARNESS,      /* the fuzzer's own process, outside */
	PID_SELF,
	PID_PARENT,
	PID_CONST,        /* sym.b */
};

enum ep_name_id { NAME_PWNED, NAME_VJAIL, NAME_EMPTY, NAME_LONG };
enum ep_data_id { DATA_X, DATA_PWNED, DATA_NUL, DATA_A512, DATA_NL };
enum ep_handle_id {
	HANDLE_FROM_PATH, /* name_to_handle_at(2) of the path argument */
	HANDLE_INO2,      /* the root inode of an ext4 file system, the
			     handle "shocker" guessed */
	HANDLE_INO2_GEN0,
};

/* ioctl argument conventions (sym.b of K_IOCTL). */
enum ep_ioctl_arg { IOA_BUF, IOA_ZERO, IOA_FD_RESULT, IOA_INTPTR };

struct ep_opdef {
	const char *name;
	uint8_t nargs;
	uint8_t kind[EP_MAX_ARGS];
};

extern const struct ep_opdef ep_ops[EP_NOPS];

struct ep_insn {
	uint8_t op;
	uint8_t arg[EP_MAX_ARGS];             /* table index or register */
	char path[EP_MAX_ARGS][EP_PATH_MAX];  /* text of K_PATH arguments */
};

struct ep_prog {
	size_t n;
	struct ep_insn insn[EP_MAX_OPS];
};

/* Bytes -> program. Never fails. */
void ep_decode(const uint8_t *data, size_t size, struct ep_prog *p);

/* Program -> text, one instruction a line, each prefixed by @indent. */
void ep_print(FILE *f, const struct ep_prog *p, const char *indent);

/* Text -> bytes. Returns the length, or -1 with a message in @err naming
 * the line. */
long ep_assemble(const char *text, uint8_t *out, size_t max, char *err,
		 size_t errlen);

/* The encoding of instruction @i of @p alone (for dictionaries). */
size_t ep_encode_insn(const struct ep_insn *in, uint8_t *out, size_t max);

#endif /* VJ_ESCAPE_PROG_H */
