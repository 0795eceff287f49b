/* vjail.h - lock a daemon into a jail from inside its own process.
 *
 * libvjail brings Linux-VServer's "contexts" to one process with today's
 * kernel primitives: namespaces, pivot_root, Landlock, seccomp, capabilities,
 * rlimits and cgroups. A daemon binds its sockets, calls vjail_enter(), and
 * from then on cannot reach anything outside.
 *
 *   vjail_create()                 allocate a handle; nothing touches the
 *                                  process yet
 *   vjail_limit(), vjail_bind(),   record intent on the handle
 *   vjail_set_*(), ...
 *   vjail_enter()                  prepare (can fail cleanly), then commit
 *                                  (cannot return half-done)
 *   vjail_spawn()                  the same, for a new child program
 *   vjail_destroy()                release the handle; an entered jail stays
 *                                  in force
 *
 * Rules shared by every call:
 *   - Every call returns 0 (or a documented positive value) on success and a
 *     negative errno on failure. vjail_strerror() gives the text of the last
 *     failure on the handle: "<step> <object>: <reason>".
 *   - Reserved errno meanings, the same for every call:
 *       -EINVAL      bad argument, unknown flag bit, contradictory settings
 *       -ENOMEM      allocation failed
 *       -EEXIST      the same setting given twice
 *       -EALREADY    the handle was already entered or spawned
 *       -EOPNOTSUPP  a requested feature is missing and was not waived
 *       -EBUSY       the caller has threads where one thread is required
 *       -ENOSYS      not implemented by this version of the library
 *     Other values are the errno of the failing system call, passed through.
 *   - Strict by default: a requested protection the kernel cannot give is an
 *     error, unless waived with VJAIL_CREATE_BEST_EFFORT or vjail_waive().
 *     vjail_enforced() says afterwards what was really applied.
 *   - A handle belongs to one thread at a time. The library keeps no mutable
 *     global state except the read-only, once-computed feature probe.
 *
 * See vjail(7) for an overview and examples/ for programs using this header.
 */
#ifndef VJAIL_H
#define VJAIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define VJAIL_API __attribute__((visibility("default")))
#define VJAIL_NONNULL(...) __attribute__((nonnull(__VA_ARGS__)))
#define VJAIL_WUR __attribute__((warn_unused_result))
#else
#define VJAIL_API
#define VJAIL_NONNULL(...)
#define VJAIL_WUR
#endif

/* Version of this header. The library's own is vjail_version_string(). */
#define VJAIL_VERSION_MAJOR 0
#define VJAIL_VERSION_MINOR 1
#define VJAIL_VERSION_PATCH 0
#define VJAIL_VERSION_HEX                                                      \
	((VJAIL_VERSION_MAJOR << 16) | (VJAIL_VERSION_MINOR << 8) |            \
	 VJAIL_VERSION_PATCH)

/* Exit status of a process whose commit phase failed (see vjail_enter()). */
#define VJAIL_EXIT_COMMIT 250

/* The handle. Opaque: its layout may change between versions. */
struct vjail;

/* ------------------------------------------------------------------------
 * Features.
 *
 * One bit space serves three purposes: what the kernel offers
 * (vjail_features()), what the caller waives (vjail_waive()), and what enter
 * really applied (vjail_enforced()). The namespace bits double as the
 * selection given to vjail_namespaces().
 */
#define VJAIL_NS_USER (UINT64_C(1) << 0)   /* user namespace */
#define VJAIL_NS_PID (UINT64_C(1) << 1)    /* pid namespace + library init */
#define VJAIL_NS_MOUNT (UINT64_C(1) << 2)  /* mount namespace, new root */
#define VJAIL_NS_IPC (UINT64_C(1) << 3)    /* SysV IPC, POSIX mqueues */
#define VJAIL_NS_UTS (UINT64_C(1) << 4)    /* hostname, domainname */
#define VJAIL_NS_NET (UINT64_C(1) << 5)    /* network: loopback only */
#define VJAIL_NS_CGROUP (UINT64_C(1) << 6) /* cgroup view */
#define VJAIL_NS_TIME (UINT64_C(1) << 7)   /* boottime/monotonic clocks */
#define VJAIL_NS_ALL (UINT64_C(0xff))
/* Default selection: everything but the network (a daemon usually serves it). */
#define VJAIL_NS_DEFAULT (VJAIL_NS_ALL & ~VJAIL_NS_NET)

#define VJAIL_FEAT_USERNS_UNPRIV (UINT64_C(1) << 8) /* non-root may unshare
						       a user namespace */
#define VJAIL_FEAT_LANDLOCK (UINT64_C(1) << 9)      /* filesystem rules, all
						       rights of this library */
#define VJAIL_FEAT_LANDLOCK_NET (UINT64_C(1) << 10) /* TCP port rules (ABI 4) */
#define VJAIL_FEAT_LANDLOCK_SCOPE (UINT64_C(1) << 11) /* abstract unix and
							 signal scopes (ABI 6) */
#define VJAIL_FEAT_SECCOMP (UINT64_C(1) << 12)       /* seccomp filters */
#define VJAIL_FEAT_SECCOMP_NOTIF (UINT64_C(1) << 13) /* user notification */
#define VJAIL_FEAT_SECCOMP_LOG (UINT64_C(1) << 14)   /* SECCOMP_RET_LOG */
#define VJAIL_FEAT_CGROUP_V2 (UINT64_C(1) << 15) /* cgroup2 with controllers */
#define VJAIL_FEAT_CGROUP_V1 (UINT64_C(1) << 16) /* cgroup v1 controllers */
#define VJAIL_FEAT_CGROUP_MEMORY (UINT64_C(1) << 17) /* usable and writable */
#define VJAIL_FEAT_CGROUP_PIDS (UINT64_C(1) << 18)   /* by this caller, in */
#define VJAIL_FEAT_CGROUP_CPU (UINT64_C(1) << 19)    /* v2 or else v1 */
#define VJAIL_FEAT_CGROUP_IO (UINT64_C(1) << 20)
#define VJAIL_FEAT_UNAME (UINT64_C(1) << 21)  /* virtual uname(2) */
#define VJAIL_FEAT_PROCVIEW (UINT64_C(1) << 22) /* per-jail /proc files */
#define VJAIL_FEAT_ALL ((UINT64_C(1) << 23) - 1)

/**
 * vjail_features - what the running kernel offers this caller
 *
 * Probes once and caches the answer (the only global state of the library;
 * racing first calls compute the same value, so it is thread-safe). The
 * namespace probes run in one short-lived forked child: a caller with a
 * SIGCHLD handler sees one SIGCHLD on the first call (vjail_enter() and
 * vjail_spawn() call it). A feature refused by
 * an outer sandbox (EPERM from a container runtime's seccomp filter) counts
 * as absent. Never fails.
 *
 * Returns a mask of VJAIL_NS_* and VJAIL_FEAT_* bits.
 */
VJAIL_API uint64_t vjail_features(void);

/**
 * vjail_landlock_abi - the Landlock ABI version of the running kernel
 *
 * Returns 0 when Landlock is unavailable (not built, not enabled at boot,
 * or refused by an outer filter), else the ABI number (7 on Linux 6.15+).
 */
VJAIL_API int vjail_landlock_abi(void);

/**
 * vjail_feature_name - short stable name of one feature bit
 * @feature: exactly one VJAIL_NS_* or VJAIL_FEAT_* bit
 *
 * Returns a static string such as "ns-user" or "landlock-net", or NULL when
 * @feature is not exactly one known bit.
 */
VJAIL_API const char *vjail_feature_name(uint64_t feature);

/** vjail_version_string - the library's version, e.g. "0.1.0". */
VJAIL_API const char *vjail_version_string(void);

/* ------------------------------------------------------------------------
 * Lifecycle.
 */

/* Flags of vjail_create(). */
#define VJAIL_CREATE_BEST_EFFORT (1u << 0) /* waive every feature: apply what
					      the kernel can, report the rest
					      through vjail_enforced() */
#define VJAIL_CREATE_ROOT_RW (1u << 1)     /* the root is writable by the jail
					      (default: read-only; binds and
					      tmpfs say their own) */
#define VJAIL_CREATE_NO_ACCOUNTING (1u << 2) /* no cgroup of the jail's own
						just to count (see below) */

/**
 * vjail_create - allocate a jail handle
 * @jp:    where to store the handle; set to NULL on failure
 * @root:  absolute path of an existing directory that becomes "/" inside the
 *         jail (needs VJAIL_NS_MOUNT), or NULL: with a mount namespace an
 *         empty read-only tmpfs root holding only what binds add, without
 *         one no new root at all
 * @flags: VJAIL_CREATE_* bits
 *
 * Records intent only. The root is checked now (exists, is a directory) and
 * opened again at enter time. A given root is never written to by the
 * library: bind targets, /proc and /dev must exist in it.
 *
 * VJAIL_CREATE_NO_ACCOUNTING: a spawned or supervised jail normally gets a
 * cgroup of its own even without cgroup limits, so that vjail_stats() can
 * report its CPU time and memory. Moving a process into a cgroup costs a
 * kernel RCU grace period (several ms; make bench) where the hierarchies
 * are not mounted with favordynmods. With this flag the jail gets one only
 * if a cgroup limit needs it, or if it has no pid namespace (the cgroup is
 * then what finds, and kills, the processes that outlive main); without a
 * cgroup vjail_stats() reports processes, fds, sockets and network bytes,
 * not CPU or memory (its valid bits say so).
 *
 * Returns 0, or:
 *   -EINVAL   @root is empty, relative, longer than PATH_MAX, or unknown
 *             @flags bits
 *   -ENOENT   @root does not exist
 *   -ENOTDIR  @root is not a directory
 *   -ENOMEM   out of memory
 *   other     the errno of stat(2) on @root
 */
VJAIL_API int vjail_create(struct vjail **jp, const char *root,
			   unsigned int flags) VJAIL_NONNULL(1) VJAIL_WUR;

/**
 * vjail_destroy - release a handle
 *
 * Closes what the handle holds. An entered jail stays in force. NULL is
 * accepted, as by free(3).
 */
VJAIL_API void vjail_destroy(struct vjail *j);

/**
 * vjail_strerror - text of the last failure on @j
 *
 * "<step> <object>: <reason>", e.g. "pivot_root into /srv/ftp: Invalid
 * argument", or "" when no call on @j has failed. A later successful call
 * does not clear it. The text stays valid until the next call on @j.
 * Control bytes of echoed paths and names are shown as '?', so the text
 * is safe to log as one line.
 */
VJAIL_API const char *vjail_strerror(const struct vjail *j) VJAIL_NONNULL(1);

/**
 * vjail_waive - accept that the kernel may not give these features
 * @features: VJAIL_NS_* / VJAIL_FEAT_* bits
 *
 * A waived feature that the kernel lacks is skipped at enter instead of
 * failing it. vjail_enforced() then tells what was applied. Calls add up.
 * Some things cannot be waived, since the jail would then be something
 * else than asked: the user namespace for an unprivileged caller (nothing
 * could be isolated without it), the mount namespace when a root or binds
 * are given (the jail would see the host's files), and SECCOMP_RET_LOG for
 * the learn mode (VJAIL_ACTION_LOG).
 *
 * Returns 0, or -EINVAL (unknown bits), -EALREADY.
 */
VJAIL_API int vjail_waive(struct vjail *j, uint64_t features)
	VJAIL_NONNULL(1);

/**
 * vjail_enforced - what vjail_enter() or vjail_spawn() really applied
 *
 * Returns the VJAIL_NS_* / VJAIL_FEAT_* bits in force, 0 before enter. A
 * protection applied only in part (an older Landlock ABI) is not reported.
 * VJAIL_FEAT_CGROUP_MEMORY, _PIDS, _CPU and _IO mean the jail has a cgroup
 * of its own with that controller (so every limit set on it holds);
 * VJAIL_FEAT_CGROUP_V2 / _V1 which version carries them.
 */
VJAIL_API uint64_t vjail_enforced(const struct vjail *j) VJAIL_NONNULL(1);

/* ------------------------------------------------------------------------
 * Namespaces and identity.
 */

/**
 * vjail_namespaces - choose the namespaces of the jail
 * @ns: VJAIL_NS_* bits; the default is VJAIL_NS_DEFAULT
 *
 * An unprivileged caller (no CAP_SYS_ADMIN) always gets a user namespace
 * when @ns asks for any namespace: the others cannot be created without
 * one. With @ns 0 there is none at all (closed fds, credentials, Landlock's
 * TCP rules and scopes, and seccomp still apply). Its ids are
 * mapped one to one (uid 1000 outside is uid 1000 inside; every other id
 * shows as the overflow id).
 *
 * What each one isolates:
 *   VJAIL_NS_USER    capabilities held inside apply to the jail's own
 *                    namespaces only
 *   VJAIL_NS_PID     the jail sees its own processes only; the library's
 *                    init is pid 1 (see vjail_enter()); a fresh /proc
 *   VJAIL_NS_MOUNT   the new root: pivot_root, old root detached
 *   VJAIL_NS_IPC     SysV IPC and POSIX message queues
 *   VJAIL_NS_UTS     host and domain name
 *   VJAIL_NS_NET     only a loopback interface; sockets opened before enter
 *                    keep working (a daemon binds, then enters)
 *   VJAIL_NS_CGROUP  /proc/self/cgroup shows the jail's cgroup as "/" (the
 *                    caller's cgroup while the jail has none of its own)
 *   VJAIL_NS_TIME    CLOCK_MONOTONIC and CLOCK_BOOTTIME (and uptime) start
 *                    at the jail's start (vjail_set_uptime())
 *
 * Any subset is valid. Without VJAIL_NS_MOUNT there is no new root, so the
 * root given to vjail_create() must be NULL and no bind or tmpfs may be
 * given (enter fails with -EINVAL), and Landlock then restricts only TCP
 * ports and scopes, not the filesystem.
 * Without VJAIL_NS_PID there is no /proc in the jail (a fresh one would show
 * the host's processes).
 *
 * Returns 0, or -EINVAL (unknown bits), -EEXIST (already chosen), -EALREADY.
 */
VJAIL_API int vjail_namespaces(struct vjail *j, uint64_t ns) VJAIL_NONNULL(1);

/**
 * vjail_set_hostname, vjail_set_domainname - names inside the UTS namespace
 * @name: 1 to 64 bytes of printable ASCII, no '/'
 *
 * With a UTS namespace and no name set, the host name is "vjail" (never the
 * host's). A name without VJAIL_NS_UTS makes vjail_enter() fail with
 * -EINVAL.
 *
 * Returns 0, or -EINVAL (NULL, empty, too long, bad characters), -EEXIST
 * (already set), -EALREADY.
 */
VJAIL_API int vjail_set_hostname(struct vjail *j, const char *name)
	VJAIL_NONNULL(1);
VJAIL_API int vjail_set_domainname(struct vjail *j, const char *name)
	VJAIL_NONNULL(1);

/**
 * vjail_set_uname - what uname(2) reports inside the jail
 * @release: e.g. "5.10.0-vjail", or NULL to keep the host's
 * @version: e.g. "#1 SMP", or NULL to keep the host's
 * @machine: e.g. "x86_64", or NULL to keep the host's
 *
 * Each string 1 to 64 bytes with no control characters. At least one must
 * be given. Every process of the jail then gets these from uname(2),
 * across fork and exec, static binaries included, and sees them in the
 * jail's /proc (sys/kernel/osrelease, sys/kernel/version, version,
 * cmdline); the other fields stay real. Where the library cannot answer,
 * uname(2) fails with EPERM rather than tell the host's values: a raw
 * uname(2) from the entering process's own code, and, without
 * VJAIL_NS_PID, every program the jail executes. The entering process
 * answers its own calls from a SIGSYS handler: it must not replace that
 * handler, and a thread of it that blocks SIGSYS is killed by its first
 * uname(2) (or gethostname(3)). vjail_set_uname(3) says how it works and
 * what it costs. Needs VJAIL_FEAT_UNAME: vjail_enter()
 * fails with -EOPNOTSUPP without it, unless waived (the host's values
 * then show).
 *
 * Returns 0, or -EINVAL, -EEXIST, -EALREADY.
 */
VJAIL_API int vjail_set_uname(struct vjail *j, const char *release,
			      const char *version, const char *machine)
	VJAIL_NONNULL(1);

/**
 * vjail_set_uptime - uptime the jail starts with
 * @seconds: 0 to 10 years; the boottime and monotonic clocks of the jail's
 *           time namespace start at this value (0 without this call)
 *
 * Needs VJAIL_NS_TIME, else vjail_enter() fails with -EINVAL.
 *
 * Returns 0, or -EINVAL (out of range), -EEXIST, -EALREADY.
 */
VJAIL_API int vjail_set_uptime(struct vjail *j, int64_t seconds)
	VJAIL_NONNULL(1);

/**
 * vjail_set_user - the user the jail runs as
 * @uid, @gid: ids in the parent user namespace; root can pick any id but
 *             (uid_t)-1, an unprivileged caller only its own ids
 *
 * Without this call the jail keeps the caller's ids (uid 0 in the jail for a
 * root caller, with capabilities dropped). An unprivileged caller may only
 * name its own ids: vjail_enter() fails with -EPERM otherwise.
 *
 * Returns 0, or -EINVAL ((uid_t)-1 or (gid_t)-1), -EEXIST, -EALREADY.
 */
VJAIL_API int vjail_set_user(struct vjail *j, uid_t uid, gid_t gid)
	VJAIL_NONNULL(1);

/**
 * vjail_set_user_name - the user the jail runs as, by name
 * @name: a name from the passwd database; the gid is the user's primary group
 *        and the supplementary groups are the user's groups
 *
 * The lookup happens now, outside the jail. Since the user's groups are set
 * too, an unprivileged caller cannot use this (enter fails with -EPERM):
 * it uses vjail_set_user() with its own ids, or nothing.
 *
 * Returns 0, or -EINVAL (NULL, empty, over 256 bytes, a '/' or a
 * non-printable byte, or more than 64 groups), -ENOENT (no
 * such user), -EEXIST (user or groups already set), -EALREADY, or the errno
 * of getpwnam_r(3).
 */
VJAIL_API int vjail_set_user_name(struct vjail *j, const char *name)
	VJAIL_NONNULL(1);

/**
 * vjail_set_groups - supplementary groups of the jail
 * @n:      0 to 64 entries; 0 means no supplementary groups at all
 * @groups: the gids, none (gid_t)-1
 *
 * Without this call and without vjail_set_user_name(): a root caller that
 * names a user with vjail_set_user() gets no supplementary groups; one that
 * names no user keeps its own. An unprivileged caller cannot set groups
 * (setgroups(2) is denied in its user namespace): vjail_enter() fails with
 * -EPERM if @n > 0, and its own groups stay (shown as the overflow gid).
 *
 * Returns 0, or -EINVAL, -EEXIST, -EALREADY.
 */
VJAIL_API int vjail_set_groups(struct vjail *j, size_t n,
			       const gid_t *groups) VJAIL_NONNULL(1);

/**
 * vjail_keep_cap - keep one capability inside the jail
 * @cap: a CAP_* number (<linux/capability.h>) known to this kernel
 *
 * Every capability not kept is dropped from all sets, the bounding set
 * included. Keeping one makes sense for a root jail that must, say, bind a
 * low port after enter (CAP_NET_BIND_SERVICE; then without VJAIL_NS_USER,
 * since capabilities held in a user namespace reach only what that
 * namespace owns, and with vjail_net_allow() for the port). A kept
 * capability is also
 * raised in the ambient set, so a program run by vjail_spawn() keeps it
 * across execve(2). Keeping the same one twice is harmless. Without
 * VJAIL_NS_USER, a capability the caller does not hold cannot be kept:
 * vjail_enter() fails with -EPERM before applying anything.
 *
 * Returns 0, or -EINVAL (unknown capability), -EALREADY.
 */
VJAIL_API int vjail_keep_cap(struct vjail *j, int cap) VJAIL_NONNULL(1);

/* ------------------------------------------------------------------------
 * Filesystem and descriptors.
 */

/* Flags of vjail_bind(). */
#define VJAIL_BIND_RW (1u << 0)       /* writable (default: read-only) */
#define VJAIL_BIND_OPTIONAL (1u << 1) /* skip if @source is missing */
#define VJAIL_BIND_DEV (1u << 2)      /* allow device nodes (default: nodev) */
#define VJAIL_BIND_EXEC_OFF (1u << 3) /* noexec */

/**
 * vjail_bind - make a host path visible inside the jail
 * @source: absolute host path that exists (unless VJAIL_BIND_OPTIONAL)
 * @target: absolute path inside the jail, no ".." component, not "/"
 * @flags:  VJAIL_BIND_* bits
 *
 * Read-only, nosuid and nodev unless flags say otherwise. Landlock rules
 * follow the same read-only/read-write choice. With a given root, @target
 * must exist there, with no symbolic link on the way, and be of the same
 * kind as @source, directory or not (enter fails with -ENOENT, -ELOOP,
 * -ENOTDIR or -EISDIR otherwise); with a NULL root it is created. Nested targets are mounted
 * parents first, whatever the call order. A target below another bind
 * must exist in that bind's source instead, whatever the root (a host
 * directory is never written to: the same errors); one below a tmpfs is
 * created there. A target below /dev goes onto the
 * jail's own /dev, whatever the root; /dev itself, an entry the library
 * makes there, and a target below the fresh /proc would be covered: enter
 * fails with -EINVAL (the same for vjail_tmpfs()). So does a @source
 * reached through a /proc magic link (/proc/self/fd/N, /proc/PID/root...):
 * the bind is made in the jail's new mount namespace, where such a link
 * leads back to the caller's, or to no mount at all (a pipe).
 *
 * Returns 0, or -EINVAL (NULL, relative, "..", too long, unknown flags,
 * target "/"), -ENOENT (@source missing and not optional), -EEXIST (@target
 * already bound), -ENOMEM, -EALREADY, or another errno of stat(2) on
 * @source.
 */
VJAIL_API int vjail_bind(struct vjail *j, const char *source,
			 const char *target, unsigned int flags)
	VJAIL_NONNULL(1);

/**
 * vjail_tmpfs - mount a size-capped tmpfs inside the jail
 * @target: absolute path inside the jail, no "..", not "/"
 * @size:   bytes, 4 KiB to 1 TiB
 *
 * Writable by the jail (owned by its uid and gid); df(1) inside shows
 * @size. With a given root, @target must exist there as a directory, as
 * for vjail_bind().
 *
 * Returns 0, or -EINVAL, -EEXIST, -ENOMEM, -EALREADY.
 */
VJAIL_API int vjail_tmpfs(struct vjail *j, const char *target, uint64_t size)
	VJAIL_NONNULL(1);

/* Flags of vjail_keep_fd(). */
#define VJAIL_KEEP_FD_UNSAFE (1u << 0) /* allow a directory fd or an fd that
					  names a path outside the root */

/**
 * vjail_keep_fd - keep an open descriptor across enter
 * @fd:    0 or more; stdin, stdout and stderr are always kept when open
 *         (keep one explicitly with VJAIL_KEEP_FD_UNSAFE to allow a
 *         directory there)
 * @flags: VJAIL_KEEP_FD_* bits
 *
 * Every other descriptor is closed at enter. A directory fd, or an fd open on
 * a path outside the jail's root, is the classic escape: enter refuses it
 * unless @flags has VJAIL_KEEP_FD_UNSAFE (Landlock still confines it):
 * vjail_enter() fails with -EPERM. Sockets, pipes, unlinked files (memfd)
 * and files inside the root are fine. stdin, stdout and stderr are refused
 * only if they are directories.
 *
 * Returns 0, or -EINVAL (negative fd, unknown flags), -EBADF (@fd not open),
 * -EEXIST, -ENOMEM, -EALREADY.
 */
VJAIL_API int vjail_keep_fd(struct vjail *j, int fd, unsigned int flags)
	VJAIL_NONNULL(1);

/* ------------------------------------------------------------------------
 * Network.
 */

/* What vjail_net_allow() permits. */
#define VJAIL_NET_BIND (1u << 0)    /* bind(2) a TCP port */
#define VJAIL_NET_CONNECT (1u << 1) /* connect(2) to a TCP port */

/**
 * vjail_net_allow - allow a TCP port inside the jail
 * @what: VJAIL_NET_BIND and/or VJAIL_NET_CONNECT
 * @port: 0 to 65535 (bind to 0 lets the kernel pick a port)
 *
 * Whenever Landlock TCP rules are in force (ABI 4+, VJAIL_FEAT_LANDLOCK_NET
 * in vjail_enforced()), the jail may bind and connect TCP only on the ports
 * allowed here: with no call, on none. Sockets bound before enter keep
 * accepting. A second call for a port adds to its rights.
 *
 * Returns 0, or -EINVAL (unknown bits, @what 0, port > 65535), -ENOMEM,
 * -EALREADY.
 */
VJAIL_API int vjail_net_allow(struct vjail *j, unsigned int what,
			      unsigned int port) VJAIL_NONNULL(1);

/* ------------------------------------------------------------------------
 * System-call policy.
 */

enum vjail_profile {
	VJAIL_PROFILE_NONE = 1,    /* no syscall filter at all */
	VJAIL_PROFILE_DAEMON = 2,  /* default: what network daemons need */
	VJAIL_PROFILE_MINIMAL = 3, /* I/O on open fds, memory, time, exit */
};

enum vjail_action {
	VJAIL_ACTION_ERRNO = 1, /* fail with an errno (default EPERM) */
	VJAIL_ACTION_KILL = 2,  /* kill the process (SIGSYS) */
	VJAIL_ACTION_TRAP = 3,  /* deliver SIGSYS to the thread */
	VJAIL_ACTION_LOG = 4,   /* allow, but log to the kernel audit log */
	VJAIL_ACTION_ALLOW = 5, /* allow (only for vjail_syscall_rule()) */
};

/**
 * vjail_seccomp_profile - choose the syscall profile
 * @profile: enum vjail_profile; the default is VJAIL_PROFILE_DAEMON
 *
 * See vjail_syscalls(7) for each profile's list and the reason of each entry.
 *
 * Returns 0, or -EINVAL, -EEXIST, -EALREADY.
 */
VJAIL_API int vjail_seccomp_profile(struct vjail *j,
				    enum vjail_profile profile)
	VJAIL_NONNULL(1);

/**
 * vjail_seccomp_default_action - what happens on a denied syscall
 * @action: VJAIL_ACTION_ERRNO, _KILL, _TRAP or _LOG
 * @err:    errno for VJAIL_ACTION_ERRNO (1..4095), else 0
 *
 * The default is VJAIL_ACTION_ERRNO with EPERM. VJAIL_ACTION_LOG is the
 * learn mode (denied calls run, and the kernel logs them): enter fails with
 * -EOPNOTSUPP without SECCOMP_RET_LOG (Linux 4.14), waiver or not.
 *
 * Returns 0, or -EINVAL, -EEXIST, -EALREADY.
 */
VJAIL_API int vjail_seccomp_default_action(struct vjail *j,
					   enum vjail_action action, int err)
	VJAIL_NONNULL(1);

/**
 * vjail_syscall_rule - allow or deny one syscall by name
 * @name:   a syscall name known to libseccomp for this architecture
 * @action: VJAIL_ACTION_ALLOW, _ERRNO, _KILL, _TRAP or _LOG
 * @err:    errno for VJAIL_ACTION_ERRNO (1..4095), else 0
 *
 * A rule overrides the profile for that syscall, including the argument
 * checks of the profile (allowing "clone" allows every clone flag).
 *
 * Returns 0, or -EINVAL (NULL or unknown name, bad action or errno),
 * -EEXIST (a rule for @name exists), -ENOMEM, -EALREADY.
 */
VJAIL_API int vjail_syscall_rule(struct vjail *j, const char *name,
				 enum vjail_action action, int err)
	VJAIL_NONNULL(1);

/* ------------------------------------------------------------------------
 * Resource limits.
 */

#define VJAIL_UNLIMITED UINT64_MAX

enum vjail_limit_kind {
	/* rlimits, enforced per process by setrlimit(2) */
	VJAIL_LIMIT_AS = 1,
	VJAIL_LIMIT_DATA = 2,
	VJAIL_LIMIT_STACK = 3,
	VJAIL_LIMIT_RSS = 4, /* not enforced by Linux; see vjail_limit(3) */
	VJAIL_LIMIT_NPROC = 5,
	VJAIL_LIMIT_NOFILE = 6,
	VJAIL_LIMIT_LOCKS = 7, /* not enforced since Linux 2.4.25 */
	VJAIL_LIMIT_MEMLOCK = 8,
	VJAIL_LIMIT_MSGQUEUE = 9,
	VJAIL_LIMIT_SIGPENDING = 10,
	VJAIL_LIMIT_CPU = 11, /* seconds */
	VJAIL_LIMIT_FSIZE = 12,
	VJAIL_LIMIT_CORE = 13,
	VJAIL_LIMIT_NICE = 14,   /* 0..40, as RLIMIT_NICE */
	VJAIL_LIMIT_RTPRIO = 15, /* 0..99 */
	/* cgroup limits, for the jail as a whole; @soft is ignored for the
	 * ones without a soft form and must equal @hard */
	VJAIL_LIMIT_MEMORY = 64,      /* bytes: @soft = memory.high,
					 @hard = memory.max */
	VJAIL_LIMIT_MEMORY_SWAP = 65, /* bytes of swap */
	VJAIL_LIMIT_PIDS = 66,        /* processes and threads */
	VJAIL_LIMIT_CPU_MAX = 67,     /* per-mille of one CPU, 1..1000*ncpu:
					 the hard cap (cpu.max) */
	VJAIL_LIMIT_CPU_WEIGHT = 68,  /* 1..10000, default 100 */
	VJAIL_LIMIT_IO_READ_BPS = 69, /* bytes/s on every block device */
	VJAIL_LIMIT_IO_WRITE_BPS = 70,
	/* IPC namespace sysctls */
	VJAIL_LIMIT_MSGMNB = 96, /* kernel.msgmnb */
	VJAIL_LIMIT_MSGMAX = 97, /* kernel.msgmax */
	VJAIL_LIMIT_SHMMAX = 98, /* kernel.shmmax */
	VJAIL_LIMIT_SHMALL = 99, /* kernel.shmall (pages) */
	VJAIL_LIMIT_SEMMSL = 100, /* first field of kernel.sem */
};

/**
 * vjail_limit - record a resource limit that enter will apply
 * @what: one of enum vjail_limit_kind
 * @soft: soft limit, or VJAIL_UNLIMITED
 * @hard: hard limit, or VJAIL_UNLIMITED; must be >= @soft
 *
 * Nothing changes in the process until enter. For limits without a soft
 * form (the cgroup and IPC ones) @soft must equal @hard. vjail_limit(3)
 * names the mechanism of each resource in cgroup v2 and v1.
 *
 * Checked at enter, in prepare (the process is untouched on failure):
 *   - a hard rlimit above the caller's own: -EPERM, unless the caller holds
 *     CAP_SYS_RESOURCE; VJAIL_LIMIT_NOFILE above fs.nr_open or unlimited:
 *     -EINVAL; VJAIL_LIMIT_NPROC for a jail running as uid 0, which Linux
 *     never bounds by it: -EOPNOTSUPP (unless VJAIL_CREATE_BEST_EFFORT).
 *     VJAIL_LIMIT_RSS and VJAIL_LIMIT_LOCKS are set but Linux enforces
 *     neither (see vjail_limit(3));
 *   - IPC limits need VJAIL_NS_IPC (-EINVAL) and a caller with euid 0
 *     (-EPERM: the kernel lets only the namespace's uid 0 write them);
 *   - a cgroup limit needs its controller (v2, else v1; -EOPNOTSUPP) and a
 *     writable parent cgroup (vjail_cgroup_parent(); -EACCES, -ENOENT, or
 *     -EBUSY for a v2 parent that holds processes), unless its
 *     VJAIL_FEAT_CGROUP_* bit is waived: the limit is then dropped and
 *     vjail_enforced() lacks the bit.
 *
 * Returns 0, or:
 *   -EINVAL      unknown @what, @soft > @hard, @soft != @hard for a limit
 *                without a soft form, or a value out of the resource's
 *                range (VJAIL_UNLIMITED is always in range)
 *   -EEXIST      @what was already set on this handle
 *   -EALREADY    the jail was already entered
 */
VJAIL_API int vjail_limit(struct vjail *j, enum vjail_limit_kind what,
			  uint64_t soft, uint64_t hard) VJAIL_NONNULL(1);

/**
 * vjail_cgroup_parent - where the jail's cgroup is created
 * @path: an existing cgroup: absolute, below any cgroup mount (v2, or any
 *        v1 controller directory: "/sys/fs/cgroup/memory/jails" names
 *        "/jails" in every hierarchy), or relative to the caller's own
 *        cgroup in each hierarchy
 *
 * Default: a child of the caller's own cgroup, so that delegation works for
 * unprivileged callers. The jail's cgroup, "vjail-<pid>-<n>", is made at
 * enter when cgroup limits are set, and for accounting (vjail_stats())
 * whenever someone outside will remove it: with vjail_spawn() or a pid
 * namespace. It is removed once the jail has ended (vjail_wait(), or the
 * waiting outside process), and whatever is still in it killed. Without a
 * pid namespace, vjail_enter() makes the caller itself the jail: its cgroup
 * stays when it ends, empty, and the next jail made under the same parent
 * removes it (10 s or more later). In cgroup v2 the parent must not hold
 * processes when a controller is needed (the kernel's "no internal
 * processes" rule), and the caller must be allowed to move itself there.
 *
 * Returns 0, or -EINVAL (NULL, empty, ".."), -EEXIST, -EALREADY.
 */
VJAIL_API int vjail_cgroup_parent(struct vjail *j, const char *path)
	VJAIL_NONNULL(1);

/* ------------------------------------------------------------------------
 * Policy files.
 */

/**
 * vjail_load_config - apply a policy file to the handle
 * @path: an absolute path to a file in the format of vjail.conf(5), at most
 *        1 MiB
 *
 * Each line "key = value" calls the setter of the same name (vjail.conf(5)
 * lists them); "root", "root-rw" and "best-effort" stand for the arguments
 * of vjail_create(): a root or flag the handle lacks is added, one that
 * differs from the handle's is an error. Names (users, capabilities,
 * syscalls) are resolved now, outside the jail.
 *
 * All or nothing: the file is parsed and applied, together with what the
 * handle already holds, to a scratch handle first, and @j takes its
 * settings only if every line succeeded. On failure @j is unchanged and
 * vjail_strerror() reads "PATH:LINE:COLUMN: what was expected" (or the
 * setter's message after the position).
 *
 * Returns 0, or:
 *   -EINVAL   @path not absolute; a syntax or value error in the file
 *   -ENOENT   @path, or a root, bind source or user the file names, does
 *             not exist
 *   -ENOTDIR  the root the file names is not a directory
 *   -EEXIST   the file sets what the handle already has (a host name, a
 *             root or create flag that differs...)
 *   -EBADF    a kept descriptor the file names is not open
 *   -EFBIG    the file is larger than 1 MiB
 *   -ENOMEM   out of memory
 *   -EALREADY the handle was already entered or spawned
 *   other     the errno of open(2) or read(2) on @path, of stat(2) on a
 *             root or bind source, or of getpwnam_r(3)
 */
VJAIL_API int vjail_load_config(struct vjail *j, const char *path)
	VJAIL_NONNULL(1);

/**
 * vjail_load_config_text - apply a policy held in memory
 * @name: what messages call the text (e.g. "built-in policy"), or NULL
 *        for "policy"
 * @text: @len bytes in the format of vjail.conf(5); no NUL needed at the
 *        end, none allowed inside
 *
 * As vjail_load_config(), for a daemon that carries its policy in the
 * program or builds it: messages read "NAME:LINE:COLUMN: ...".
 *
 * Returns 0, or the errors of vjail_load_config() but those of open(2) and
 * read(2); -EINVAL also for a NULL @text.
 */
VJAIL_API int vjail_load_config_text(struct vjail *j, const char *name,
				     const char *text, size_t len)
	VJAIL_NONNULL(1);

/**
 * vjail_dump_config - write the effective policy of @j to @fd
 *
 * In the format of vjail.conf(5): every setting the handle holds, then the
 * defaults still in force as comments. Loading the text into a new handle
 * (vjail_create() with a NULL root) gives a handle with the same settings,
 * and dumping that one gives the same text. A short write is retried.
 * Leaves no text on @j.
 *
 * Returns 0, or -EBADF (@fd not open), -ENOMEM, or the errno of write(2).
 */
VJAIL_API int vjail_dump_config(const struct vjail *j, int fd)
	VJAIL_NONNULL(1);

/* ------------------------------------------------------------------------
 * Entering and spawning.
 */

/* Flags of vjail_enter(). */
#define VJAIL_ENTER_SUPERVISE (1u << 0) /* with a pid namespace: return
					   VJAIL_SUPERVISOR in the outside
					   process instead of waiting there */

/* Positive return of vjail_enter() in the outside process. */
#define VJAIL_SUPERVISOR 1

/**
 * vjail_enter - lock the calling process into the jail
 * @flags: VJAIL_ENTER_* bits
 *
 * Prepare: validate every setting, probe the kernel, check the root and
 * the binds, compile the seccomp filter, create the Landlock ruleset. Any
 * failure returns with the process untouched.
 *
 * Commit, in this order: close every fd not kept; new session; namespaces
 * (with a pid namespace, in a cloned child, see below); time offsets;
 * loopback up; IPC sysctls; the new root (private propagation, the root
 * read-only unless VJAIL_CREATE_ROOT_RW, binds, a fresh /proc with
 * hidepid=invisible and sensitive entries masked or read-only, and with
 * the jail's own meminfo and cpuinfo (from its cgroup) and, for a virtual
 * uname, release and version (vjail_set_hostname(3)), a minimal
 * /dev with null, zero, full, random, urandom, tty, a private devpts and a
 * 16 MiB /dev/shm, pivot_root, the old root detached); host name; rlimits;
 * credentials (securebits locked, bounding set, groups and ids, capability
 * sets, ambient set, no_new_privs, not dumpable, umask 077); Landlock; the
 * seccomp filter, last. A commit failure ends the process with status
 * VJAIL_EXIT_COMMIT and "libvjail: <step> <object>: <reason>" on stderr; it
 * never returns. (A program may exit with 250 itself: the message on stderr
 * is what tells the two apart.)
 *
 * With a pid namespace, the namespaces are made by a clone of the caller:
 * it becomes the jail's pid 1, an init owned by the library that reaps
 * orphans and forwards SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2
 * to main, and exits with main's status (the kernel then kills whatever is
 * left in the jail). Main, its child, continues the caller's code: this
 * call returns 0 there, with a new pid (2). The original process stays
 * outside: it forwards the same signals, waits, and ends as main ended
 * (same exit code, or killed by the same signal); or, with
 * VJAIL_ENTER_SUPERVISE, this call returns VJAIL_SUPERVISOR there, and the
 * caller supervises with vjail_pid(), vjail_stats() and vjail_wait().
 * Without a pid namespace the caller itself becomes the jail (no init, and
 * VJAIL_ENTER_SUPERVISE has no effect).
 *
 * What is not isolated: the network, unless VJAIL_NS_NET (TCP is still
 * limited by vjail_net_allow()); UDP and other socket types within the
 * network namespace; the kernel itself (the seccomp profile narrows it; see
 * vjail_syscalls(7)); resources (vjail_limit()).
 *
 * Returns 0 inside the jail, VJAIL_SUPERVISOR in a supervising outside
 * process, or:
 *   -EINVAL      unknown flags, or settings that contradict each other (a
 *                root, bind or tmpfs without VJAIL_NS_MOUNT, a host name
 *                without VJAIL_NS_UTS, an uptime without VJAIL_NS_TIME, an
 *                IPC limit without VJAIL_NS_IPC, seccomp rules or a default
 *                action with VJAIL_PROFILE_NONE)
 *   -EALREADY    already entered
 *   -EBUSY       the caller has several threads: enter before starting
 *                threads (or use vjail_spawn(), which allows them)
 *   -EOPNOTSUPP  a requested feature the kernel lacks and was not waived
 *   -EPERM       the caller lacks the privilege for a setting (another
 *                user without root, a hard rlimit above its own, IPC
 *                limits without root), or a kept fd is a directory or
 *                names a path outside the root
 *   -EACCES, -ENOENT, -EBUSY
 *                the parent cgroup is not writable, does not exist, or
 *                (v2) holds processes, and a cgroup limit needs it
 *   -ENOSYS      a setting this version does not implement
 *   other        the errno of the failing preparation step (-ENOENT for a
 *                bind target missing in the root, or with a pid namespace
 *                for the library's init program, vjail-init, missing:
 *                see vjail(7), VJAIL_INIT; ...)
 */
VJAIL_API int vjail_enter(struct vjail *j, unsigned int flags)
	VJAIL_NONNULL(1) VJAIL_WUR;

/**
 * vjail_spawn - run a program in a new jail
 * @argv: program and arguments; argv[0] is the path inside the jail
 * @envp: environment, or NULL for an empty one
 * @pid:  where to store the pid of the jail's outermost process (with a pid
 *        namespace, the library's init)
 *
 * The calling process is not changed and may have threads. The jail is
 * built as by vjail_enter() in a clone of the caller, which finally runs
 * execve(2); an exec failure ends the jail with VJAIL_EXIT_COMMIT. The jail
 * is killed if the thread that spawned it dies (PR_SET_PDEATHSIG). Wait
 * with vjail_wait(); signal it through vjail_pid().
 *
 * Returns 0, or the errors of vjail_enter() (prepare phase), -EINVAL (NULL
 * or empty @argv, NULL @pid, a virtual uname without VJAIL_NS_PID), or the
 * errno of clone3(2).
 */
VJAIL_API int vjail_spawn(struct vjail *j, char *const argv[],
			  char *const envp[], pid_t *pid)
	VJAIL_NONNULL(1) VJAIL_WUR;

/**
 * vjail_wait - wait for a spawned or supervised jail to end
 * @status: where to store the wait(2) status of the jail's main process
 *           (as main ended, not as the init that carried it)
 *
 * Can be called again: it returns the same status.
 *
 * Returns 0, or -EINVAL (@status NULL), -ECHILD (nothing to wait for),
 * -EINTR.
 */
VJAIL_API int vjail_wait(struct vjail *j, int *status) VJAIL_NONNULL(1);

/**
 * vjail_pid - pid of the jail's outermost process, seen from outside
 *
 * After vjail_spawn() or a supervising vjail_enter(): the process that
 * signals go to (with a pid namespace, the library's init, which forwards
 * SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 to main). 0 when no
 * jail runs on this handle, or after vjail_wait() returned.
 */
VJAIL_API pid_t vjail_pid(const struct vjail *j) VJAIL_NONNULL(1);

/* ------------------------------------------------------------------------
 * Unification.
 *
 * Linux-VServer's "unification" with today's kernel: jail trees that hold
 * the same files (libraries, binaries) share one inode per file through hard
 * links, saving disk, inode cache and page cache. These calls need no handle
 * and no jail; they work on directory trees, typically from an admin tool
 * (vjail-unify(1)) while the jails run or not.
 *
 * Protection: a shared copy is owned by a dedicated owner that no jail runs
 * as and no jail's user namespace maps, and has every write bit cleared,
 * while the directories stay the jail's. A jail can therefore unlink or
 * rename a shared file (a package manager replaces it as usual, and the new
 * file is the jail's own), but cannot write, truncate, chmod, chown or
 * utime it: not as the file's former owner, not as root without
 * capabilities, not as root of a user namespace (capabilities in a user
 * namespace do not reach an inode whose owner it does not map). The former
 * owner and mode are kept in a trusted.vjail.unify extended attribute on
 * the shared inode, which vjail_unify() with VJAIL_UNIFY_SPLIT restores.
 * vjail_unify(3) explains the choice against Landlock rules and reflinks.
 */

/* Flags of struct vjail_unify_opts. */
#define VJAIL_UNIFY_DRY_RUN (1u << 0)    /* find and count; change nothing */
#define VJAIL_UNIFY_SPLIT (1u << 1)      /* give the one root its own copies
					    of every shared file again */
#define VJAIL_UNIFY_NO_PROTECT (1u << 2) /* link only: keep owner and mode;
					    jails can then write to what
					    they share (trusted trees only) */
#define VJAIL_UNIFY_NO_DEFAULT_EXCLUDES (1u << 3) /* do not skip etc, var,
						     home, tmp, ... */

/* Default owner (uid and gid) of shared copies: 2^31 - 2. Outside the
 * ranges that Debian gives to users (up to 60000) and to system users,
 * outside the subordinate ranges that useradd(8) hands out (100000 up to
 * 600100000), outside systemd's container and "foreign" ranges, below 2^31
 * so that no tool treating uid_t as signed trips over it, and neither
 * 65534 (nobody, the id jails often run as and the overflow id unmapped
 * owners show as inside a user namespace) nor 2^32 - 2 (the old NFS
 * nobody). Change it when this id is mapped into a jail's user namespace. */
#define VJAIL_UNIFY_OWNER_DEFAULT 2147483646u

/* What a log callback is told about (struct vjail_unify_event.kind). */
enum vjail_unify_event_kind {
	VJAIL_UNIFY_EV_LINK = 1,    /* @path now links to @shared (dry run:
				       would) */
	VJAIL_UNIFY_EV_SPLIT = 2,   /* @path got a copy of its own */
	VJAIL_UNIFY_EV_CHANGED = 3, /* @path changed or moved during the run:
				       left alone */
	VJAIL_UNIFY_EV_BUSY = 4,    /* @path is open for writing by some
				       process: left alone */
};

struct vjail_unify_event {
	enum vjail_unify_event_kind kind;
	const char *path;   /* root as given, then the path inside it */
	const char *shared; /* the shared copy (VJAIL_UNIFY_EV_LINK), else
			       NULL */
	uint64_t size;      /* bytes */
	uid_t uid;          /* owner and permission bits of @path before */
	gid_t gid;          /* protection (for SPLIT: as restored) */
	mode_t mode;
};

/* A log callback: called from one thread at a time, not always the
 * caller's; the event and its strings are valid during the call only. */
typedef void (*vjail_unify_log_t)(const struct vjail_unify_event *ev,
				  void *arg);

struct vjail_unify_opts {
	uint32_t size;        /* sizeof(struct vjail_unify_opts), set by the
				 caller; fields past it take their defaults */
	unsigned int flags;   /* VJAIL_UNIFY_* bits */
	uint64_t min_size;    /* skip files smaller than this many bytes;
				 empty files are always skipped */
	const char *const *exclude; /* NULL-terminated fnmatch(3) patterns
				       added to the default excludes, or
				       NULL */
	const char *const *include; /* NULL-terminated patterns taken even
				       when excluded, or NULL */
	const char *reference; /* absolute path of a reference tree whose
				  copies become the shared ones, or NULL */
	uid_t owner_uid;      /* owner of shared copies; 0 means
				 VJAIL_UNIFY_OWNER_DEFAULT */
	gid_t owner_gid;      /* group of shared copies; 0 likewise */
	unsigned int threads; /* worker threads, 1 to 64; 0 picks 8 (4 on
				 one CPU): the work waits on the
				 filesystem more than on the CPU */
	vjail_unify_log_t log; /* one call per file linked, split, changed or
				  busy, or NULL */
	void *log_arg;
};

struct vjail_unify_report {
	uint32_t size;           /* sizeof(struct vjail_unify_report), set by
				    the caller; fields past it are left */
	uint32_t reserved;
	uint64_t files_scanned;  /* regular files (paths) not excluded */
	uint64_t bytes_scanned;  /* their sizes, each inode counted once */
	uint64_t files_skipped;  /* not eligible: set-id bits, a mode whose
				    read access depends on the owner, links
				    from outside the scanned paths, other
				    extended attributes, unreadable */
	uint64_t candidates;     /* paths with a twin of the same size,
				    owner, mode and filesystem */
	uint64_t files_hashed;   /* files read whole to split a group */
	uint64_t files_linked;   /* paths now linked to a shared copy (dry
				    run: would be) */
	uint64_t shared_copies;  /* inodes that are the shared copy of a
				    group that gained links in this run */
	uint64_t inodes_freed;   /* inodes whose last link was replaced */
	uint64_t bytes_saved;    /* their sizes */
	uint64_t disk_saved;     /* their disk usage (st_blocks * 512): what
				    du(1) of the set shrinks by */
	uint64_t files_changed;  /* left alone: changed during the run */
	uint64_t files_busy;     /* left alone: open for writing */
	uint64_t files_split;    /* split: paths given a copy of their own */
	uint64_t bytes_copied;   /* split: bytes written to those copies */
};

/**
 * vjail_unify - share identical files between jail trees, or split them again
 * @roots:  absolute paths of the jail roots, none inside another
 * @nroots: 1 to 4096; exactly 1 with VJAIL_UNIFY_SPLIT
 * @opts:   options, or NULL for the defaults
 * @report: filled with what was found and done, or NULL; @report->size must
 *          be set by the caller
 * @errbuf: receives "<step> <object>: <reason>" on failure, or NULL
 * @errlen: size of @errbuf
 *
 * Scans each root (and the reference tree) without crossing into other
 * mounts or below 64 directory levels, skipping what the exclude patterns name (by default the top-level
 * etc, var, home, root, tmp, run, srv, mnt, media, proc, sys, dev and
 * lost+found), and links together regular files that have the same size,
 * owner, mode, filesystem, extended attributes and content: size first,
 * then a 64-bit hash where a group is large, then a byte-by-byte compare
 * before every link. A file that changes during the run, or that some
 * process holds open for writing, is left alone. Each replacement is atomic
 * (RENAME_EXCHANGE of a fresh link, checked, then the old inode unlinked):
 * a path always names either its old file or the shared copy.
 *
 * Unless VJAIL_UNIFY_NO_PROTECT, only files whose read and execute bits are
 * the same for owner, group and others (0644, 0755, 0444...) are unified,
 * because the new owner changes who the owner bits apply to, and set-id
 * files are not: chown(2) drops the bit, and a root-owned copy would stay
 * writable by a jail running as uid 0 without capabilities. Protection needs CAP_CHOWN, CAP_FOWNER, CAP_SYS_ADMIN
 * and CAP_LEASE in the initial user namespace (root).
 *
 * With VJAIL_UNIFY_SPLIT, every file of the single root that shares its
 * inode with a path outside the root gets a copy of its own (owner and
 * mode restored from the trusted.vjail.unify attribute, times kept), and a
 * shared copy that is only linked from inside the root gets its owner and
 * mode back in place. Patterns and @opts->min_size do not apply to a split.
 *
 * Returns 0, or:
 *   -EINVAL      NULL or empty @roots, @nroots out of range, a relative,
 *                repeated or nested root, unknown flags, @opts->size or
 *                @report->size too small, an empty pattern, @owner_uid or
 *                @owner_gid (uid_t)-1 or the overflow id 65534
 *   -ENOENT      a root or the reference tree does not exist
 *   -ENOTDIR     a root or the reference tree is not a directory
 *   -EPERM       protection or a split was asked for without the
 *                capabilities above
 *   -EOPNOTSUPP  the filesystem of a file to protect lacks trusted extended
 *                attributes, leases or RENAME_EXCHANGE
 *   -ENOMEM      out of memory
 *   -EMFILE      out of file descriptors
 *   other        the errno of the failing system call (e.g. -EIO, -ENOSPC
 *                during a split)
 * On failure some files may already be linked; each one is whole, and the
 * report counts them.
 */
VJAIL_API int vjail_unify(const char *const roots[], size_t nroots,
			  const struct vjail_unify_opts *opts,
			  struct vjail_unify_report *report, char *errbuf,
			  size_t errlen);

struct vjail_unify_usage {
	uint32_t size;         /* sizeof(struct vjail_unify_usage), set by the
				  caller; fields past it are left */
	uint32_t reserved;
	uint64_t own_files;    /* inodes linked only from inside the root */
	uint64_t own_bytes;    /* their disk usage (st_blocks * 512) */
	uint64_t shared_files; /* inodes also linked from outside the root */
	uint64_t shared_bytes; /* their disk usage, paid once for all roots */
	uint64_t unified_files; /* of the shared ones, those protected by
				   vjail_unify() (seen only by a caller
				   with CAP_SYS_ADMIN; 0 otherwise) */
};

/**
 * vjail_unify_usage - disk accounting of one jail root
 * @root:   absolute path of a directory
 * @usage:  filled in; @usage->size must be set by the caller
 * @errbuf: receives "<step> <object>: <reason>" on failure, or NULL
 * @errlen: size of @errbuf
 *
 * Walks @root without crossing into other mounts and sorts every regular
 * file's inode into "own" (every hard link of it is inside @root) and
 * "shared" (some link is elsewhere: another jail, a reference tree).
 * Directories, symlinks and special files are not counted.
 *
 * Returns 0, or -EINVAL (NULL, relative or empty @root, @usage NULL or
 * @usage->size too small), -ENOENT, -ENOTDIR, -ENOMEM, -EMFILE, or the errno
 * of the failing system call (-EACCES for an unreadable directory).
 */
VJAIL_API int vjail_unify_usage(const char *root,
				struct vjail_unify_usage *usage, char *errbuf,
				size_t errlen);

/* ------------------------------------------------------------------------
 * Accounting.
 */

struct vjail_stats {
	uint32_t size;         /* set by the caller to sizeof(struct
				  vjail_stats); fields past it are left */
	uint32_t valid;        /* VJAIL_STAT_* bits of the fields filled */
	uint64_t cpu_user_us;  /* CPU time of the jail's processes */
	uint64_t cpu_system_us;
	uint64_t memory_current; /* bytes */
	uint64_t memory_peak;    /* bytes */
	uint64_t processes;      /* live processes and threads (pids
				    controller), else processes */
	uint64_t open_fds;       /* open descriptors of the jail's processes */
	uint64_t sockets;        /* of those, sockets */
	uint64_t net_rx_bytes;   /* with a network namespace */
	uint64_t net_tx_bytes;
};

#define VJAIL_STAT_CPU (1u << 0)
#define VJAIL_STAT_MEMORY (1u << 1)
#define VJAIL_STAT_MEMORY_PEAK (1u << 2)
#define VJAIL_STAT_PROCESSES (1u << 3)
#define VJAIL_STAT_FDS (1u << 4)
#define VJAIL_STAT_NET (1u << 5)

/**
 * vjail_stats - usage of a running jail, from its supervisor
 * @st: st->size must be set by the caller, at least 8 (size and valid)
 *
 * For a handle used with vjail_spawn() or a supervising vjail_enter().
 * Fills the fields that fit in st->size bytes and sets their bits in
 * st->valid; nothing past st->size is written. CPU time, memory and peak,
 * and processes come from the jail's cgroup (none without one: see
 * vjail_cgroup_parent()); fds and sockets from /proc of the jail's
 * processes (VJAIL_STAT_FDS only when every one was readable); network
 * bytes from the jail's network namespace (VJAIL_NS_NET). After
 * vjail_wait(), the CPU time and memory peak read just before the jail's
 * cgroup was removed.
 *
 * Returns 0, or -EINVAL (@st NULL or st->size below 8), -ESRCH (no jail
 * on this handle, or it ended without a cgroup).
 */
VJAIL_API int vjail_stats(struct vjail *j, struct vjail_stats *st)
	VJAIL_NONNULL(1);

#ifdef __cplusplus
}
#endif

#endif /* VJAIL_H */
