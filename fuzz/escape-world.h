/* fuzz/escape-world.h - the host around the escape fuzzer's jail, and the
 * oracle that tells, from outside, whether a program got out.
 *
 * The world is a work directory @W on the host:
 *
 *	@W/canary        a secret, outside the root; must not be read,
 *	                 changed, renamed or deleted
 *	@W/canary-dir/   an empty directory; must stay empty
 *	@W/log           the jail's stdout, opened O_WRONLY|O_APPEND outside,
 *	                 as a daemon's log would be: appending is fine, reading
 *	                 its secret or truncating it is not
 *	@W/host.sock     a host unix stream listener; @W/host.dgram a datagram
 *	                 socket; both must get nothing
 *	@W/spool/        bound read-write at /data in the jail (emptied after
 *	                 each run)
 *	@W/root/         the jail's root: read-only, must not change
 *
 * and, outside the directory: abstract unix sockets and a TCP listener on
 * 127.0.0.1 that must get no connection, a sentinel process that must get
 * no signal (it counts them), and the host and domain name, which must not
 * change. The harness first moves into a UTS namespace and a cage of its
 * own (a mount namespace where the host is read-only and the world is a
 * tmpfs; see cage() in escape-world.c), so that an escape that renames
 * "the host" or writes to "its" files does so only there: the machine is
 * shared.
 *
 * The secrets are random per run of the harness, so a program cannot know
 * them; the jailed process wipes its copy of them right after enter.
 */
#ifndef VJ_ESCAPE_WORLD_H
#define VJ_ESCAPE_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#define EW_REPORT_FD 63 /* the pipe to the oracle, kept across enter */
#define EW_SECRET_LEN 32

/* What the program inside needs to know of the world (escape-exec.c). */
struct ep_env {
	char dir[64];            /* @W */
	pid_t sentinel;
	pid_t harness;
	unsigned short tcp_port;
	char abstract[48];       /* abstract names, without the NUL byte */
	char abstract_dgram[48];
	int report_fd;
};

/* A file's identity and the times that change when it is touched. */
struct ew_stamp {
	bool exists;
	dev_t dev;
	ino_t ino;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	nlink_t nlink;
	off_t size;
	struct timespec mtim, ctim;
};

#define EW_NSTAMPS 8

struct world {
	struct ep_env env;
	bool as_nobody;
	char root[96], spool[96], canary[96], canary_dir[96], log[96];
	char sock_path[96], dgram_path[96];
	char secret[EW_SECRET_LEN + 1];     /* in @W/canary */
	char log_secret[EW_SECRET_LEN + 1]; /* first line of @W/log */
	int log_fd, null_fd;
	int sock_listen, sock_dgram, abs_listen, abs_dgram, tcp_listen;
	int sentinel_req, sentinel_rep;
	unsigned int ping_seq, signals_seen;
	char hostname[72], domainname[72];
	ino_t log_ino;
	pid_t owner;                        /* the process that set it up */
	const char *stamp_path[EW_NSTAMPS];
	struct ew_stamp stamp[EW_NSTAMPS];
};

/* Build the world in a directory under $VJ_FUZZ_TMPDIR, else /tmp, with a
 * tmpfs on it in the cage (as root: the canaries and the root are root's).
 * With @as_nobody, the sentinel is nobody's and ew_drop_privileges() makes
 * the harness nobody. With @janitor, a process stays outside the cage to
 * remove the directory when the harness ends, and ends as the harness
 * ended (without one, whoever set VJ_FUZZ_TMPDIR removes it). Exits on
 * failure. */
void ew_setup(struct world *w, bool as_nobody, bool janitor);

/* With as_nobody, become nobody (once; later calls do nothing). Called on
 * the first input rather than in ew_setup(): AFL++'s fork server attaches
 * afl-fuzz's shared memory (root's, mode 0600) only after set-up, in
 * __AFL_INIT, and each process it forks starts as root again. */
void ew_drop_privileges(struct world *w);

/* Before a run: the baseline the next ew_check() compares with (times and
 * identities of the host files, the sentinel's count, the names), taken
 * afresh each run so that one escape does not make every later run look
 * like one. */
void ew_baseline(struct world *w);

/* After a run: did anything outside change? Writes one line per finding
 * into @why (empty if none) and returns the number of findings. @stream
 * is everything the program reported (what it read) and wrote to stderr. */
int ew_check(struct world *w, const char *stream, size_t len, char *why,
	     size_t whylen);

/* After a run, before ew_tidy(): set-uid or set-gid files the jail left in
 * the read-write bind (the host's spool), one line each into @why; returns
 * their number. Not an escape by itself (nosuid holds inside the jail), but
 * a root jail that plants a set-uid-root executable on the host hands root
 * to any host user who runs it: a hazard the harness reports. */
int ew_hazards(struct world *w, char *why, size_t whylen);

/* After a run: empty the spool, cut the log back to its secret line. After
 * findings (expected ones in the control mode, or before aborting on an
 * escape, for the fuzzer's next process): put every canary back and take
 * the baseline again. */
void ew_tidy(struct world *w);
void ew_restore(struct world *w);

/* In the jailed process: forget the secrets (a program that reads its own
 * memory must not find them there). */
void ew_forget_secrets(struct world *w);

/* Remove the work directory, stop the sentinel. Only in the process that
 * set the world up (under AFL++, the fork server; its forks do nothing). */
void ew_teardown(struct world *w);

#endif /* VJ_ESCAPE_WORLD_H */
