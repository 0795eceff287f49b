/* fuzz/fuzz_api.c - the API fuzzer: random sequences of public calls with
 * random arguments on one handle, then vjail_destroy(). An enter (or a
 * spawn) in the sequence runs in a forked child, so the harness itself is
 * never jailed.
 *
 * What counts as a bug (abort):
 *   - a crash, a sanitizer report, a hang (an enter that takes over 5 s);
 *   - a return value outside the closed errno list that include/vjail.h
 *     documents for the call (a few calls pass through the errno of a
 *     system call; their lists say which);
 *   - a failure without a message: vjail_strerror() empty, or not
 *     NUL-terminated within its buffer (vjail_dump_config() is documented
 *     to leave no text, and is exempt);
 *   - in the ASan build, a leak after a failed enter (checked in the child)
 *     or after destroy (checked by LeakSanitizer at exit);
 *   - a jail that dies by a signal other than SIGSYS (the caller's own
 *     syscall rules may kill it) or, once an rlimit is set, the limits';
 *   - a commit that fails (VJAIL_EXIT_COMMIT): prepare validates every
 *     setting, so a setting that makes commit fail is one prepare should
 *     have refused. (This found an in-place user namespace that could not
 *     write its id maps, and Landlock rules that refused single-file
 *     binds.) VJ_FUZZ_LENIENT_COMMIT=1 counts such failures instead, as
 *     long as they come with their "libvjail: <step>: <reason>" line.
 *
 * Options: --trace prints each call; --as-nobody drops to nobody after
 * making the scratch root (as root).
 *
 * Input: byte 0 picks the root and byte 1 the flags of vjail_create(); then
 * one byte per call (modulo the number of calls) and its arguments. An
 * integer is one byte, an index into a table of edge values, or, if 0xf0 or
 * above, the next 8 bytes raw; a string is one byte, an index into a table
 * (NULL, "", paths with "..", names too long, control characters, ...), or,
 * if 0xe0 or above, a length byte and that many raw bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "vjail.h"
#include "fuzz.h"

#if defined(__SANITIZE_ADDRESS__)
#define VJ_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VJ_ASAN 1
#endif
#endif
#ifdef VJ_ASAN
#include <sanitizer/lsan_interface.h>
#endif

#define MAX_CALLS 48
#define ENTER_DEADLINE_MS 5000

/* LeakSanitizer cannot run inside a jail; the jailed processes end with
 * _exit(), and leaks are checked where no jail is: in the harness at exit,
 * and explicitly in a child whose enter failed (see enter_in_child()). */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "detect_leaks=1";
}

static char root[64];           /* a scratch jail root */
static char root_file[96];      /* a file in it */
static int fds[10];             /* descriptors to offer vjail_keep_fd() */
static pid_t owner;
static size_t commit_failures, enters, entered, refused;
static bool lenient_commit;

/* ---- the input ----------------------------------------------------------- */

struct in {
	const uint8_t *p;
	size_t n, pos;
	bool rlimits;        /* an rlimit was set on the handle */
	char strbuf[4][256]; /* raw strings, a few alive at once */
	int nextbuf;
};

static uint8_t byte(struct in *in)
{
	return in->pos < in->n ? in->p[in->pos++] : 0;
}

static uint64_t raw64(struct in *in)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v |= (uint64_t)byte(in) << (8 * i);
	return v;
}

static const uint64_t edge[] = {
	0, 1, 2, 3, 7, 8, 15, 16, 63, 64, 65, 100, 255, 256, 1000, 4095,
	4096, 65534, 65535, 65536, 0x7fffffff, 0x80000000u, 0xffffffffu,
	UINT64_C(1) << 32, UINT64_C(1) << 40, (UINT64_C(1) << 40) + 1,
	UINT64_C(315360000), UINT64_C(315360001), INT64_MAX,
	(uint64_t)INT64_MIN, UINT64_MAX - 1, UINT64_MAX, (uint64_t)-2,
	VJAIL_NS_DEFAULT, VJAIL_NS_ALL, VJAIL_NS_ALL + 1, VJAIL_FEAT_ALL,
	VJAIL_FEAT_ALL + 1, VJAIL_NS_NET, VJAIL_NS_PID, VJAIL_NS_MOUNT,
	VJAIL_NS_USER | VJAIL_NS_MOUNT, VJAIL_NS_TIME, VJAIL_NS_UTS,
	VJAIL_NS_DEFAULT & ~VJAIL_NS_PID, VJAIL_FEAT_LANDLOCK,
};

static uint64_t u64(struct in *in)
{
	uint8_t b = byte(in);

	if (b >= 0xf0)
		return raw64(in);
	return edge[b % (sizeof(edge) / sizeof(edge[0]))];
}

static const char *const strings[] = {
	NULL, "", "/", "/tmp", "/usr", "/etc", "/nonexistent", "/dev/null",
	"relative", "/a/../b", "/..", "/tmp/..", "/proc/self/fd/0", "/proc",
	"/dev", "/data", "/tmp/", "//tmp//", "/inside.txt", "vjail",
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	"bad/name", "with space", "tab\there", "new\nline", "del\x7f",
	"\xc3\xa9t\xc3\xa9", "nobody", "root", "no-such-user-xyz", "read",
	"ptrace", "openat", "exit_group", "not_a_syscall", "clone3",
	"/sys/fs/cgroup", "..", "-", "@R", "@R/inside.txt", "@R/data",
	"5.10.0-vjail", "#1 SMP", "x86_64", "/proc/self/fd/1",
	"/etc/passwd", "/dev/shm", "/tmp/vjail-no-such-dir", "@LONG",
};

static char long_path[PATH_MAX + 64]; /* "/aaa...": longer than PATH_MAX */

static const char *str(struct in *in)
{
	uint8_t b = byte(in);
	const char *s;

	if (b >= 0xe0) {
		char *buf = in->strbuf[in->nextbuf++ % 4];
		size_t len = byte(in) % 200;

		for (size_t i = 0; i < len; i++)
			buf[i] = (char)byte(in);
		buf[len] = '\0';
		return buf;
	}
	s = strings[b % (sizeof(strings) / sizeof(strings[0]))];
	if (s != NULL && strcmp(s, "@R") == 0)
		return root;
	if (s != NULL && strcmp(s, "@R/inside.txt") == 0)
		return root_file;
	if (s != NULL && strcmp(s, "@LONG") == 0)
		return long_path;
	if (s != NULL && strcmp(s, "@R/data") == 0) {
		char *buf = in->strbuf[in->nextbuf++ % 4];

		snprintf(buf, 256, "%s/data", root);
		return buf;
	}
	return s;
}

/* ---- --trace: each call as it was made ----------------------------------- */

static bool tracing, nobody;

/* @s as a C literal, into one of a few rotating buffers. */
static const char *q(const char *s)
{
	static char bufs[4][96];
	static int next;
	char *b = bufs[next++ % 4], *o = b;

	if (s == NULL)
		return "NULL";
	*o++ = '"';
	for (; *s != '\0' && o < b + sizeof(bufs[0]) - 8; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			*o++ = (char)c;
		else
			o += sprintf(o, "\\x%02x", c);
	}
	if (*s != '\0')
		o += sprintf(o, "...");
	*o++ = '"';
	*o = '\0';
	return b;
}

static void __attribute__((format(printf, 1, 2))) tr(const char *fmt, ...)
{
	va_list ap;

	if (!tracing)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- the checks ---------------------------------------------------------- */

/* -errno values a call may return; 0 ends the list. */
#define E(...) ((const int[]){ __VA_ARGS__, 0 })
#define STAT_ERRS EACCES, ELOOP, ENAMETOOLONG, ENOTDIR, EOVERFLOW
#define OPEN_ERRS STAT_ERRS, ENOENT, EISDIR, EMFILE, ENFILE, ENXIO, EPERM
#define PWNAM_ERRS ENOMEM, ERANGE, EIO, EMFILE, ENFILE, EINTR
/* vjail_load_config(): its own list, then what it passes through from
 * stat(2) on a root or bind source, and getpwnam_r(3). */
#define CONFIG_ERRS EINVAL, ENOENT, ENOTDIR, EEXIST, EBADF, EFBIG, ENOMEM, \
	EALREADY, STAT_ERRS, PWNAM_ERRS
#define WRITE_ERRS EAGAIN, EPIPE, ENOSPC, EIO, EINVAL, EFBIG, EDQUOT, \
	EISDIR, EINTR

static void teardown(void);

static void __attribute__((noreturn, format(printf, 1, 2)))
bug(const char *fmt, ...);

static void bug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("fuzz_api: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	teardown(); /* abort() skips atexit */
	abort();
}

static bool listed(int rc, const int *ok)
{
	for (; *ok != 0; ok++)
		if (rc == -*ok)
			return true;
	return false;
}

/* The message on @j after a failure: there, and a C string. */
static void check_message(struct vjail *j, const char *call, int rc)
{
	const char *m = vjail_strerror(j);

	if (m == NULL || memchr(m, '\0', 512) == NULL)
		bug("%s = %d: vjail_strerror() is not a string", call, rc);
	if (m[0] == '\0')
		bug("%s = %d (%s): no message from vjail_strerror()", call, rc,
		    strerror(-rc));
}

static void check(struct vjail *j, const char *call, int rc, const int *ok)
{
	if (rc == 0)
		return;
	if (rc > 0 || !listed(rc, ok))
		bug("%s = %d (%s): not in the documented list", call, rc,
		    rc < 0 ? strerror(-rc) : "positive");
	check_message(j, call, rc);
}

/* ---- enter and spawn, in a child ----------------------------------------- */

static void leak_check_or_exit(void)
{
#ifdef VJ_ASAN
	if (__lsan_do_recoverable_leak_check() != 0)
		_exit(4);
#endif
}

/* In the child: 0 entered (or spawned), 6 refused by prepare with a
 * message, 250 commit failure (from the library), 1 a sanitizer report,
 * 3 no message, 4 a leak, 5 a bad return value. */
static void __attribute__((noreturn))
enter_or_spawn(struct vjail *j, unsigned int flags, bool spawn)
{
	char *argv[] = { (char *)"/inside.txt", NULL };
	int rc, st;
	pid_t pid;

	if (spawn) {
		rc = vjail_spawn(j, argv, NULL, &pid);
		if (rc == 0 && vjail_wait(j, &st) != 0)
			_exit(5);
	} else {
		rc = vjail_enter(j, flags);
		if (rc == 0)
			_exit(0); /* inside: nothing to do but leave */
		if (rc == VJAIL_SUPERVISOR && vjail_wait(j, &st) != 0)
			_exit(5);
	}
	if (rc < 0) {
		const char *m = vjail_strerror(j);

		if (tracing)
			dprintf(2, "  enter/spawn = %d: %s\n", rc, m);
		if (m[0] == '\0') {
			dprintf(2, "fuzz_api: %s = %d (%s) without a message\n",
				spawn ? "vjail_spawn" : "vjail_enter", rc,
				strerror(-rc));
			_exit(3);
		}
		if (rc < -4095)
			_exit(5);
	}
	vjail_destroy(j);
	leak_check_or_exit();
	_exit(rc < 0 ? 6 : 0);
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Signals a jail may die of by its own settings: its syscall rules
 * (SIGSYS) and, once an rlimit is set, the limits (a stack or address
 * space too small for commit's last steps, CPU time, file size). */
static bool own_death(int sig, bool rlimits)
{
	if (sig == SIGSYS)
		return true;
	return rlimits && (sig == SIGKILL || sig == SIGSEGV || sig == SIGBUS ||
			   sig == SIGXCPU || sig == SIGXFSZ);
}

static void run_in_child(struct vjail *j, unsigned int flags, bool spawn,
			 bool rlimits)
{
	char err[1024];
	size_t len = 0;
	int p[2], st;
	long until;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0)
		bug("pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		bug("fork: %s", strerror(errno));
	if (pid == 0) {
		setpgid(0, 0);
		dup2(p[1], 2); /* the library's commit message, if any */
		enter_or_spawn(j, flags, spawn);
	}
	close(p[1]);
	until = now_ms() + ENTER_DEADLINE_MS;
	for (;;) {
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };
		long left = until - now_ms();
		ssize_t n;

		if (left <= 0) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			bug("%s still running after %d ms",
			    spawn ? "vjail_spawn" : "vjail_enter",
			    ENTER_DEADLINE_MS);
		}
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = read(p[0], err + len, sizeof(err) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == sizeof(err) - 1)
			break;
	}
	close(p[0]);
	err[len] = '\0';
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			bug("waitpid: %s", strerror(errno));
	enters++;
	if (WIFSIGNALED(st) && !own_death(WTERMSIG(st), rlimits))
		bug("the child of %s died by signal %d; stderr: %s",
		    spawn ? "vjail_spawn" : "vjail_enter", WTERMSIG(st), err);
	if (!WIFEXITED(st))
		return; /* by its own rules or limits */
	tr("  -> exit %d%s%s", WEXITSTATUS(st), len ? ", stderr: " : "", err);
	switch (WEXITSTATUS(st)) {
	case 0:
		entered++;
		return;
	case 6:
		refused++;
		return;
	case VJAIL_EXIT_COMMIT:
		commit_failures++;
		if (strstr(err, "libvjail: ") == NULL)
			bug("commit failed (status %d) without its message; "
			    "stderr: \"%s\"", VJAIL_EXIT_COMMIT, err);
		if (!lenient_commit)
			bug("commit failed: %s", err);
		return;
	default:
		bug("the child of %s ended with %d: %s",
		    spawn ? "vjail_spawn" : "vjail_enter", WEXITSTATUS(st),
		    err);
	}
}

/* ---- the calls ----------------------------------------------------------- */

enum call {
	C_NAMESPACES, C_WAIVE, C_HOSTNAME, C_DOMAINNAME, C_UNAME, C_UPTIME,
	C_USER, C_USER_NAME, C_GROUPS, C_KEEP_CAP, C_BIND, C_TMPFS, C_KEEP_FD,
	C_NET_ALLOW, C_PROFILE, C_DEFAULT_ACTION, C_SYSCALL_RULE, C_LIMIT,
	C_CGROUP_PARENT, C_LOAD_CONFIG, C_DUMP_CONFIG, C_QUERIES, C_STATS,
	C_WAIT, C_ENTER, C_SPAWN, C_RECREATE, C_LOAD_TEXT,
	NCALLS /* vjail_unify*() are left out: they change the host's
		  files, under whatever roots they are given */
};

static int keep_fd_of(uint8_t b)
{
	return fds[b % (sizeof(fds) / sizeof(fds[0]))];
}

static struct vjail *create(struct in *in)
{
	static const int ok[] = { EINVAL, ENOENT, ENOTDIR, ENOMEM, STAT_ERRS,
				  0 };
	const char *r = str(in);
	unsigned int flags = byte(in);
	struct vjail *j = (struct vjail *)&j; /* must be set to NULL */
	int rc;

	/* Mostly the flags the library knows, sometimes an unknown bit. */
	flags = (flags & 0x80) ? flags : (flags & 7);
	rc = vjail_create(&j, r, flags);
	tr("vjail_create(%s, %#x) = %d", q(r), flags, rc);
	if (rc == 0 && j == NULL)
		bug("vjail_create = 0 without a handle");
	if (rc < 0 && j != NULL)
		bug("vjail_create = %d left *jp set", rc);
	if (rc < 0 && !listed(rc, ok))
		bug("vjail_create(\"%s\", %#x) = %d: not documented",
		    r ? r : "(null)", flags, rc);
	if (rc == 0)
		return j;
	rc = vjail_create(&j, NULL, 0); /* go on with a default handle */
	if (rc < 0)
		bug("vjail_create(NULL, 0) = %d", rc);
	return j;
}

static void queries(struct vjail *j, struct in *in)
{
	uint64_t f = u64(in);
	const char *name = vjail_feature_name(f);
	int abi = vjail_landlock_abi();

	if (name != NULL && (f == 0 || (f & (f - 1)) != 0))
		bug("vjail_feature_name(%#llx) named several bits",
		    (unsigned long long)f);
	if ((vjail_features() & ~VJAIL_FEAT_ALL) != 0)
		bug("vjail_features() outside VJAIL_FEAT_ALL");
	if ((vjail_enforced(j) & ~VJAIL_FEAT_ALL) != 0)
		bug("vjail_enforced() outside VJAIL_FEAT_ALL");
	if (abi < 0)
		bug("vjail_landlock_abi() = %d", abi);
	if (vjail_version_string() == NULL || vjail_pid(j) < 0)
		bug("vjail_version_string() or vjail_pid()");
}

static void call(struct vjail **jp, struct in *in)
{
	struct vjail *j = *jp;
	uint8_t op = byte(in) % NCALLS;
	const char *s, *t, *u;
	uint64_t a, b;
	int rc;

	switch (op) {
	case C_NAMESPACES:
		a = u64(in);
		rc = vjail_namespaces(j, a);
		tr("vjail_namespaces(%#llx) = %d", (unsigned long long)a, rc);
		check(j, "vjail_namespaces", rc, E(EINVAL, EEXIST, EALREADY));
		break;
	case C_WAIVE:
		a = u64(in);
		rc = vjail_waive(j, a);
		tr("vjail_waive(%#llx) = %d", (unsigned long long)a, rc);
		check(j, "vjail_waive", rc, E(EINVAL, EALREADY));
		break;
	case C_HOSTNAME:
		s = str(in);
		rc = vjail_set_hostname(j, s);
		tr("vjail_set_hostname(%s) = %d", q(s), rc);
		check(j, "vjail_set_hostname", rc, E(EINVAL, EEXIST, EALREADY));
		break;
	case C_DOMAINNAME:
		s = str(in);
		rc = vjail_set_domainname(j, s);
		tr("vjail_set_domainname(%s) = %d", q(s), rc);
		check(j, "vjail_set_domainname", rc,
		      E(EINVAL, EEXIST, EALREADY));
		break;
	case C_UNAME:
		s = str(in);
		t = str(in);
		u = str(in);
		rc = vjail_set_uname(j, s, t, u);
		tr("vjail_set_uname(%s, %s, %s) = %d", q(s), q(t), q(u), rc);
		check(j, "vjail_set_uname", rc, E(EINVAL, EEXIST, EALREADY));
		break;
	case C_UPTIME:
		a = u64(in);
		rc = vjail_set_uptime(j, (int64_t)a);
		tr("vjail_set_uptime(%lld) = %d", (long long)a, rc);
		check(j, "vjail_set_uptime", rc, E(EINVAL, EEXIST, EALREADY));
		break;
	case C_USER:
		a = u64(in);
		b = u64(in);
		rc = vjail_set_user(j, (uid_t)a, (gid_t)b);
		tr("vjail_set_user(%u, %u) = %d", (unsigned)a, (unsigned)b, rc);
		check(j, "vjail_set_user", rc, E(EINVAL, EEXIST, EALREADY));
		break;
	case C_USER_NAME:
		s = str(in);
		rc = vjail_set_user_name(j, s);
		tr("vjail_set_user_name(%s) = %d", q(s), rc);
		check(j, "vjail_set_user_name", rc,
		      E(EINVAL, ENOENT, EEXIST, EALREADY, PWNAM_ERRS));
		break;
	case C_GROUPS: {
		gid_t g[80];
		size_t n = byte(in) % 80;

		for (size_t i = 0; i < n; i++)
			g[i] = (gid_t)u64(in);
		a = byte(in) & 1;
		rc = vjail_set_groups(j, n, a ? NULL : g);
		tr("vjail_set_groups(%zu, %s) = %d", n, a ? "NULL" : "{...}",
		   rc);
		check(j, "vjail_set_groups", rc, E(EINVAL, EEXIST, EALREADY));
		break;
	}
	case C_KEEP_CAP:
		a = u64(in);
		rc = vjail_keep_cap(j, (int)a);
		tr("vjail_keep_cap(%d) = %d", (int)a, rc);
		check(j, "vjail_keep_cap", rc, E(EINVAL, EALREADY));
		break;
	case C_BIND:
		s = str(in);
		t = str(in);
		a = u64(in) & 0x1f;
		rc = vjail_bind(j, s, t, (unsigned int)a);
		tr("vjail_bind(%s, %s, %#x) = %d", q(s), q(t), (unsigned)a, rc);
		check(j, "vjail_bind", rc,
		      E(EINVAL, ENOENT, EEXIST, ENOMEM, EALREADY, STAT_ERRS));
		break;
	case C_TMPFS:
		s = str(in);
		a = u64(in);
		rc = vjail_tmpfs(j, s, a);
		tr("vjail_tmpfs(%s, %llu) = %d", q(s), (unsigned long long)a,
		   rc);
		check(j, "vjail_tmpfs", rc,
		      E(EINVAL, EEXIST, ENOMEM, EALREADY));
		break;
	case C_KEEP_FD:
		a = byte(in);
		b = u64(in) & 3;
		rc = vjail_keep_fd(j, keep_fd_of((uint8_t)a), (unsigned int)b);
		tr("vjail_keep_fd(%d, %#x) = %d", keep_fd_of((uint8_t)a),
		   (unsigned)b, rc);
		check(j, "vjail_keep_fd", rc,
		      E(EINVAL, EBADF, EEXIST, ENOMEM, EALREADY));
		break;
	case C_NET_ALLOW:
		a = u64(in);
		b = u64(in);
		rc = vjail_net_allow(j, (unsigned int)a, (unsigned int)b);
		tr("vjail_net_allow(%#x, %u) = %d", (unsigned)a, (unsigned)b,
		   rc);
		check(j, "vjail_net_allow", rc, E(EINVAL, ENOMEM, EALREADY));
		break;
	case C_PROFILE:
		a = u64(in);
		rc = vjail_seccomp_profile(j, (enum vjail_profile)a);
		tr("vjail_seccomp_profile(%d) = %d", (int)a, rc);
		check(j, "vjail_seccomp_profile", rc,
		      E(EINVAL, EEXIST, EALREADY));
		break;
	case C_DEFAULT_ACTION:
		a = u64(in);
		b = u64(in);
		rc = vjail_seccomp_default_action(j, (enum vjail_action)a,
						  (int)b);
		tr("vjail_seccomp_default_action(%d, %d) = %d", (int)a, (int)b,
		   rc);
		check(j, "vjail_seccomp_default_action", rc,
		      E(EINVAL, EEXIST, EALREADY));
		break;
	case C_SYSCALL_RULE:
		s = str(in);
		a = u64(in);
		b = u64(in);
		rc = vjail_syscall_rule(j, s, (enum vjail_action)a, (int)b);
		tr("vjail_syscall_rule(%s, %d, %d) = %d", q(s), (int)a, (int)b,
		   rc);
		check(j, "vjail_syscall_rule", rc,
		      E(EINVAL, EEXIST, ENOMEM, EALREADY));
		break;
	case C_LIMIT: {
		uint64_t what = u64(in), soft = u64(in), hard = u64(in);

		rc = vjail_limit(j, (enum vjail_limit_kind)what, soft, hard);
		tr("vjail_limit(%d, %llu, %llu) = %d", (int)what,
		   (unsigned long long)soft, (unsigned long long)hard, rc);
		check(j, "vjail_limit", rc, E(EINVAL, EEXIST, EALREADY));
		if (rc == 0 && what < VJAIL_LIMIT_MEMORY)
			in->rlimits = true;
		break;
	}
	case C_CGROUP_PARENT:
		s = str(in);
		rc = vjail_cgroup_parent(j, s);
		tr("vjail_cgroup_parent(%s) = %d", q(s), rc);
		check(j, "vjail_cgroup_parent", rc,
		      E(EINVAL, EEXIST, EALREADY));
		break;
	case C_LOAD_CONFIG:
		s = str(in);
		rc = vjail_load_config(j, s);
		tr("vjail_load_config(%s) = %d", q(s), rc);
		check(j, "vjail_load_config", rc, E(CONFIG_ERRS, OPEN_ERRS));
		break;
	case C_DUMP_CONFIG:
		/* Documented to leave no text on @j: only the errno. */
		a = (uint64_t)keep_fd_of(byte(in));
		rc = vjail_dump_config(j, (int)a);
		tr("vjail_dump_config(%d) = %d", (int)a, rc);
		if (rc > 0 ||
		    (rc < 0 && !listed(rc, E(EBADF, ENOMEM, WRITE_ERRS))))
			bug("vjail_dump_config = %d: not documented", rc);
		break;
	case C_QUERIES:
		queries(j, in);
		break;
	case C_STATS: {
		uint64_t buf[32] = { 0 };
		struct vjail_stats *st = (struct vjail_stats *)buf;

		st->size = (uint32_t)u64(in) % sizeof(buf);
		a = byte(in) == 0;
		rc = vjail_stats(j, a ? NULL : st);
		tr("vjail_stats(%s size %u) = %d", a ? "NULL" : "st", st->size,
		   rc);
		check(j, "vjail_stats", rc, E(EINVAL, ESRCH));
		break;
	}
	case C_WAIT: {
		int st;

		a = byte(in) & 1;
		rc = vjail_wait(j, a ? NULL : &st);
		tr("vjail_wait(%s) = %d", a ? "NULL" : "&st", rc);
		check(j, "vjail_wait", rc, E(EINVAL, ECHILD, EINTR));
		break;
	}
	case C_ENTER:
		a = byte(in) & 0x81;
		tr("vjail_enter(%#x) in a child", (unsigned)a);
		run_in_child(j, (unsigned int)a, false, in->rlimits);
		break;
	case C_SPAWN:
		tr("vjail_spawn(/inside.txt) in a child");
		run_in_child(j, 0, true, in->rlimits);
		break;
	case C_LOAD_TEXT: {
		/* A policy in memory: the input's own next bytes, up to 510,
		 * or a NULL text. */
		const char *text;
		size_t len;

		s = str(in);
		a = byte(in) == 0;
		len = byte(in) * 2u;
		if (len > in->n - in->pos)
			len = in->n - in->pos;
		text = a ? NULL : (const char *)in->p + in->pos;
		in->pos += len;
		rc = vjail_load_config_text(j, s, text, len);
		tr("vjail_load_config_text(%s, %zu bytes%s) = %d", q(s), len,
		   a ? ", NULL" : "", rc);
		check(j, "vjail_load_config_text", rc, E(CONFIG_ERRS));
		break;
	}
	case C_RECREATE:
	default:
		vjail_destroy(j);
		*jp = create(in);
		in->rlimits = false;
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct in in;
	struct vjail *j;

	/* As a daemon does: made its world as root, then dropped; on the
	 * first input, not in set-up, because AFL++'s fork server attaches
	 * afl-fuzz's shared memory (root's, mode 0600) after set-up, and
	 * each process it forks starts as root again. */
	if (nobody && geteuid() == 0) {
		gid_t g = 65534;

		if (setgroups(1, &g) != 0 || setresgid(g, g, g) != 0 ||
		    setresuid(65534, 65534, 65534) != 0)
			bug("become nobody: %s", strerror(errno));
	}
	in = (struct in){ .p = data, .n = size };
	if (ftruncate(fds[6], 0) != 0) /* the memfd: dumps pile up there */
		bug("ftruncate: %s", strerror(errno));
	j = create(&in);
	for (int i = 0; i < MAX_CALLS && in.pos < in.n; i++)
		call(&j, &in);
	vjail_destroy(j);
	return 0;
}

/* ---- set-up -------------------------------------------------------------- */

static void teardown(void)
{
	char cmd[128];

	if (getpid() != owner || root[0] == '\0')
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz_api: could not remove %s\n", root);
}

int vj_fuzz_replay_done(void)
{
	printf("fuzz_api: %zu enters or spawns: %zu entered, %zu refused "
	       "in prepare, %zu commit failures with their message\n",
	       enters, entered, refused, commit_failures);
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const dirs[] = { "proc", "dev", "tmp", "data",
					    "usr", "etc" };
	const char *tmp = getenv("VJ_FUZZ_TMPDIR");
	char path[128];
	int fd, sv[2];

	for (int i = 1; i < *argc;) {
		if (strcmp((*argv)[i], "--trace") == 0)
			tracing = true;
		else if (strcmp((*argv)[i], "--as-nobody") == 0)
			nobody = true;
		else {
			i++;
			continue;
		}
		vj_fuzz_drop_arg(argc, *argv, i);
	}
	lenient_commit = getenv("VJ_FUZZ_LENIENT_COMMIT") != NULL;
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[0] = '/';
	snprintf(root, sizeof(root), "%s/vjail-fuzz-api-XXXXXX",
		 tmp != NULL && tmp[0] == '/' && strlen(tmp) < 32 ? tmp
								   : "/tmp");
	if (mkdtemp(root) == NULL || chmod(root, 0755) != 0) {
		perror("fuzz_api: scratch root");
		exit(2);
	}
	owner = getpid();
	atexit(teardown);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		if (mkdir(path, 0755) != 0) {
			perror(path);
			exit(2);
		}
	}
	snprintf(root_file, sizeof(root_file), "%s/inside.txt", root);
	fd = open(root_file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror(root_file);
		exit(2);
	}
	close(fd);
	/* What a caller may try to keep, or dump to: stdin, /dev/null,
	 * nonsense, a pipe, a directory (refused unless unsafe), a file
	 * outside the root, a memfd, a socket, a file inside the root. The
	 * pipe and the socket are non-blocking: nothing reads them, and
	 * under AFL++ thousands of dumps would fill them and block. */
	fds[0] = 0;
	fds[1] = open("/dev/null", O_WRONLY | O_CLOEXEC);
	fds[2] = -1;
	fds[3] = 1000;
	if (pipe(sv) != 0 || (fds[4] = open("/tmp", O_RDONLY | O_DIRECTORY))
	    < 0 || (fds[5] = open("/etc/passwd", O_RDONLY)) < 0 ||
	    (fds[6] = memfd_create("fuzz", 0)) < 0 ||
	    (fds[8] = open(root_file, O_RDONLY)) < 0) {
		perror("fuzz_api: descriptors");
		exit(2);
	}
	fds[7] = sv[1];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) != 0 ||
	    fcntl(fds[7], F_SETFL, O_NONBLOCK) != 0 || fds[1] < 0) {
		perror("fuzz_api: socketpair");
		exit(2);
	}
	fds[9] = sv[0];
	/* As nobody, the scratch root is nobody's, so that nobody can
	 * remove it at exit. */
	if (nobody && (chown(root, 65534, 65534) != 0 ||
		       chown(root_file, 65534, 65534) != 0)) {
		perror("fuzz_api: chown scratch root");
		exit(2);
	}
	(void)vjail_features(); /* probe once, before any fork */
	return 0;
}
