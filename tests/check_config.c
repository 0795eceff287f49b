/* tests/check_config.c - policy files (vjail.conf(5)): every key reaches
 * its setter, malformed input is refused with its line and column and
 * changes nothing, a dump loads back into the same handle, and a policy
 * loaded from a file is really enforced by a jail (run as root and as
 * nobody).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"
#include "libvjail/config.h"
#include "libvjail/jail.h"

/* LeakSanitizer cannot run inside a jail (see check_enter.c). */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "detect_leaks=0";
}

/* ---- helpers ---------------------------------------------------------------- */

static struct vjail *new_handle(void)
{
	struct vjail *j;

	ck_assert_int_eq(vjail_create(&j, NULL, 0), 0);
	return j;
}

static int load(struct vjail *j, const char *text)
{
	return vjail_load_config_text(j, "test", text, strlen(text));
}

/* The dump of @j, malloc'd. */
static char *dump(const struct vjail *j)
{
	int fd = memfd_create("dump", MFD_CLOEXEC);
	off_t len;
	char *s;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vjail_dump_config(j, fd), 0);
	len = lseek(fd, 0, SEEK_END);
	ck_assert_int_gt(len, 0);
	s = calloc(1, (size_t)len + 1);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(pread(fd, s, (size_t)len, 0), len);
	close(fd);
	return s;
}

static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)) != NULL; p++)
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return true;
	return false;
}

/* ---- every key -------------------------------------------------------------- */

/* A line of each key, and the line the dump shows for it afterwards (the
 * setter's effect, read back from the handle). */
static const struct {
	const char *in, *out;
} every_key[] = {
	{ "root = /tmp", "root = /tmp" },
	{ "root-rw = yes", "root-rw = yes" },
	{ "best-effort = on", "best-effort = yes" },
	{ "no-accounting = yes", "no-accounting = yes" },
	{ "waive = landlock-net ns-time", "waive = ns-time landlock-net" },
	{ "namespaces = default net -time",
	  "namespaces = user pid mount ipc uts net cgroup" },
	{ "hostname = web01", "hostname = web01" },
	{ "domainname = example.org", "domainname = example.org" },
	{ "uname-release = 5.10.0-vjail", "uname-release = 5.10.0-vjail" },
	{ "uname-version = \"#1 SMP\"", "uname-version = \"#1 SMP\"" },
	{ "uname-machine = x86_64", "uname-machine = x86_64" },
	{ "uptime = 1h30m", "uptime = 5400" },
	{ "user = nobody", "user = 65534:65534" },
	{ "groups = 100 200", "groups = 100 200" },
	{ "keep-cap = CAP_NET_BIND_SERVICE chown",
	  "keep-cap = chown net_bind_service" },
	{ "bind = /usr /host-usr optional noexec",
	  "bind = /usr /host-usr optional noexec" },
	{ "tmpfs = /tmp 64MiB", "tmpfs = /tmp 64M" },
	{ "keep-fd = 2 unsafe", "keep-fd = 2 unsafe" },
	{ "net-bind = 80 443", "net-bind = 80 443" },
	{ "net-connect = 25", "net-connect = 25" },
	{ "seccomp-profile = minimal", "seccomp-profile = minimal" },
	{ "seccomp-default = errno EACCES", "seccomp-default = errno EACCES" },
	{ "syscall = chroot allow", "syscall = chroot allow" },
	{ "cgroup-parent = vjail/jails", "cgroup-parent = vjail/jails" },
	{ "limit-as = 1G", "limit-as = 1G" },
	{ "limit-data = 512M:1G", "limit-data = 512M:1G" },
	{ "limit-stack = 8M", "limit-stack = 8M" },
	{ "limit-rss = unlimited", "limit-rss = unlimited" },
	{ "limit-nproc = 64", "limit-nproc = 64" },
	{ "limit-nofile = 256:1024", "limit-nofile = 256:1024" },
	{ "limit-locks = 0", "limit-locks = 0" },
	{ "limit-memlock = 64K", "limit-memlock = 64K" },
	{ "limit-msgqueue = 800K", "limit-msgqueue = 800K" },
	{ "limit-sigpending = 1000", "limit-sigpending = 1000" },
	{ "limit-cpu = 2m", "limit-cpu = 120" },
	{ "limit-fsize = 10G", "limit-fsize = 10G" },
	{ "limit-core = 0", "limit-core = 0" },
	{ "limit-nice = 10", "limit-nice = 10" },
	{ "limit-rtprio = 0", "limit-rtprio = 0" },
	{ "limit-memory = 256M", "limit-memory = 256M" },
	{ "limit-memory-swap = 0", "limit-memory-swap = 0" },
	{ "limit-pids = 32", "limit-pids = 32" },
	{ "limit-cpu-max = 50%", "limit-cpu-max = 50%" },
	{ "limit-cpu-weight = 100", "limit-cpu-weight = 100" },
	{ "limit-io-read-bps = 10M", "limit-io-read-bps = 10M" },
	{ "limit-io-write-bps = 1M", "limit-io-write-bps = 1M" },
	{ "limit-msgmnb = 16K", "limit-msgmnb = 16K" },
	{ "limit-msgmax = 8K", "limit-msgmax = 8K" },
	{ "limit-shmmax = 1G", "limit-shmmax = 1G" },
	{ "limit-shmall = 1000", "limit-shmall = 1000" },
	{ "limit-semmsl = 250", "limit-semmsl = 250" },
};

START_TEST(uname_fields_from_separate_loads_combine)
{
	struct vjail *j;
	const char *a = "uname-release = 2.6.22-vs2.2\n";
	const char *b = "uname-machine = i686\n";
	const char *c = "uname-release = 9.9\n";

	ck_assert_int_eq(vjail_create(&j, NULL, 0), 0);
	ck_assert_int_eq(vjail_load_config_text(j, "a", a, strlen(a)), 0);
	ck_assert_int_eq(vjail_load_config_text(j, "b", b, strlen(b)), 0);
	ck_assert_str_eq(j->uts.release, "2.6.22-vs2.2");
	ck_assert_str_eq(j->uts.machine, "i686");
	/* The same field twice is EEXIST, as vjail_set_uname() says. */
	ck_assert_int_eq(vjail_load_config_text(j, "c", c, strlen(c)), -EEXIST);
	ck_assert_str_eq(j->uts.release, "2.6.22-vs2.2");
	vjail_destroy(j);
}
END_TEST

START_TEST(every_key_reaches_its_setter)
{
	const char *in = every_key[_i].in, *out = every_key[_i].out;
	struct vjail *j = new_handle();
	char *before = dump(j), *after;
	int rc = load(j, in);

	ck_assert_msg(rc == 0, "%s: %d %s", in, rc, vjail_strerror(j));
	after = dump(j);
	ck_assert_msg(!has_line(before, out), "%s: set before loading", out);
	ck_assert_msg(has_line(after, out), "\"%s\": dump lacks \"%s\":\n%s",
		      in, out, after);
	free(before);
	free(after);
	vjail_destroy(j);
}
END_TEST

START_TEST(every_key_is_tested)
{
	/* A new key without a line in every_key[] fails here. */
	for (size_t k = 0; vj_config_key(k) != NULL; k++) {
		const char *name = vj_config_key(k);
		size_t n = strlen(name);
		bool found = false;

		for (size_t i = 0; i < sizeof(every_key) / sizeof(every_key[0]);
		     i++)
			if (strncmp(every_key[i].in, name, n) == 0 &&
			    every_key[i].in[n] == ' ')
				found = true;
		ck_assert_msg(found, "key %s has no test in every_key[]", name);
	}
}
END_TEST

START_TEST(numeric_user_and_user_name)
{
	struct vjail *j = new_handle();
	char *d;

	ck_assert_int_eq(load(j, "user = 1000:1001\ngroups = none\n"), 0);
	d = dump(j);
	ck_assert(has_line(d, "user = 1000:1001"));
	ck_assert(has_line(d, "groups = none"));
	free(d);
	vjail_destroy(j);
}
END_TEST

START_TEST(comments_quotes_and_crlf)
{
	struct vjail *j = new_handle();
	const char text[] = "# a policy\r\n"
			    "\r\n"
			    "   hostname   =   web   # the name\r\n"
			    "uname-version = \"#2 \\\"quoted\\\" \\x41\"\r\n"
			    "keep_cap = chown  # '_' reads as '-'\r\n";
	char *d;

	ck_assert_msg(load(j, text) == 0, "%s", vjail_strerror(j));
	d = dump(j);
	ck_assert(has_line(d, "hostname = web"));
	ck_assert(has_line(d, "uname-version = \"#2 \\\"quoted\\\" A\""));
	ck_assert(has_line(d, "keep-cap = chown"));
	free(d);
	vjail_destroy(j);
}
END_TEST

/* ---- malformed input: position, reason, nothing applied ------------------- */

static const struct {
	const char *text;
	const char *where; /* "test:LINE:COL:" */
	const char *why;
	int err;
} malformed[] = {
	{ "hostnme = web", "test:1:1:", "did you mean \"hostname\"", EINVAL },
	{ "hostname web", "test:1:10:", "expected '='", EINVAL },
	{ "= web", "test:1:1:", "expected a key", EINVAL },
	{ "Hostname = web", "test:1:1:", "expected a key", EINVAL },
	{ "hostname =", "test:1:1:", "needs a value", EINVAL },
	{ "hostname = a b", "test:1:14:", "unexpected \"b\"", EINVAL },
	{ "hostname = a/b", "test:1:12:", "without '/'", EINVAL },
	{ "hostname = \"web", "test:1:12:", "unterminated quote", EINVAL },
	{ "hostname = \"w\\qb\"", "test:1:14:", "unknown escape", EINVAL },
	{ "hostname = \"web\"x", "test:1:17:", "space after the closing",
	  EINVAL },
	{ "hostname = w\"b", "test:1:13:", "inside a word", EINVAL },
	{ "hostname = a\nhostname = b", "test:2:1:",
	  "given twice (first on line 1)", EINVAL },
	{ "\n\n   limit-nofile = 12Q", "test:3:19:", "expected a number",
	  EINVAL },
	{ "limit-nofile = 10:5", "test:1:16:", "soft limit above", EINVAL },
	{ "limit-nofile = 1\nlimit-nofile = 2", "test:2:1:", "given twice",
	  EINVAL },
	{ "limit-as = 64X", "test:1:14:", "unknown size unit", EINVAL },
	{ "limit-as = 99999999999999999999", "test:1:12:", "too large",
	  EINVAL },
	{ "limit-as = 32E", "test:1:12:", "too large", EINVAL },
	{ "limit-cpu = 5y", "test:1:14:", "unit s, m, h, d or w", EINVAL },
	{ "limit-memory = 150%", "test:1:16:", "1% to 100%", EINVAL },
	{ "limit-nofile = 50%", "test:1:16:", "expected a number", EINVAL },
	{ "uptime = soon", "test:1:10:", "expected a duration", EINVAL },
	{ "bind = usr", "test:1:8:", "absolute source path", EINVAL },
	{ "bind = /usr /x rx", "test:1:16:", "unknown bind option \"rx\"",
	  EINVAL },
	{ "tmpfs = /tmp", "test:1:9:", "needs a value: TARGET SIZE", EINVAL },
	{ "root = relative", "test:1:8:", "absolute root path", EINVAL },
	{ "root-rw = maybe", "test:1:11:", "expected yes or no", EINVAL },
	{ "namespaces = user nets", "test:1:19:", "unknown namespace",
	  EINVAL },
	{ "waive = landlok", "test:1:9:", "unknown feature", EINVAL },
	{ "user = 12", "test:1:8:", "UID:GID", EINVAL },
	{ "user = 1:x", "test:1:8:", "UID:GID", EINVAL },
	{ "groups = 1 none", "test:1:12:", "a group id", EINVAL },
	{ "keep-cap = net-admin", "test:1:12:", "expected a capability",
	  EINVAL },
	{ "keep-fd = -1", "test:1:11:", "descriptor number", EINVAL },
	{ "keep-fd = 3 safe", "test:1:13:", "\"unsafe\"", EINVAL },
	{ "net-bind = 70000", "test:1:12:", "too large", EINVAL },
	{ "seccomp-profile = strict", "test:1:19:", "expected none, daemon",
	  EINVAL },
	{ "seccomp-default = allow", "test:1:19:", "unknown action", EINVAL },
	{ "seccomp-default = kill 1", "test:1:24:", "takes no errno", EINVAL },
	{ "syscall = chroot", "test:1:11:", "NAME ACTION", EINVAL },
	{ "syscall = chroot errno EWHAT", "test:1:24:", "unknown errno",
	  EINVAL },
	{ "syscall = chroot errno 5000", "test:1:24:", "1 to 4095", EINVAL },
	{ "syscall = Chroot allow", "test:1:11:", "syscall name", EINVAL },
	{ "uname-machine = \"\"", "test:1:17:", "1 to 64", EINVAL },
	{ "hostname = a\x01", "test:1:13:", "control byte 0x01", EINVAL },
	{ "# fine\n#\x7f", "test:2:2:", "control byte 0x7f", EINVAL },
	/* Right syntax, refused by the setter or the system at load: the
	 * position is still the value's. */
	{ "user = no-such-user-here", "test:1:8:", "no such user", ENOENT },
	{ "syscall = not_a_syscall allow", "test:1:11:", "not a syscall",
	  EINVAL },
	{ "keep-cap = cap_flying", "test:1:12:", "unknown capability",
	  EINVAL },
	{ "bind = /no/such/dir", "test:1:8:", "No such file", ENOENT },
	{ "keep-fd = 999", "test:1:11:", "Bad file descriptor", EBADF },
	{ "root = /no/such/root", "test:1:8:", "No such file", ENOENT },
	{ "root = /etc/passwd", "test:1:8:", "Not a directory", ENOTDIR },
	{ "limit-nice = 41", "test:1:14:", "out of range", EINVAL },
	{ "tmpfs = /tmp 1K", "test:1:9:", "want 4 KiB", EINVAL },
};

START_TEST(malformed_input_is_refused_with_position)
{
	struct vjail *j = new_handle();
	char *before, *after;
	char text[256];
	int rc;

	/* Something the handle holds already, and a good first line, which
	 * must not be applied either. */
	ck_assert_int_eq(vjail_set_domainname(j, "before"), 0);
	before = dump(j);
	snprintf(text, sizeof(text), "%s", malformed[_i].text);
	rc = load(j, text);
	ck_assert_msg(rc == -malformed[_i].err, "\"%s\": rc %d, want %d (%s)",
		      text, rc, -malformed[_i].err, vjail_strerror(j));
	ck_assert_msg(strncmp(vjail_strerror(j), malformed[_i].where,
			      strlen(malformed[_i].where)) == 0,
		      "\"%s\": message \"%s\", want it to start \"%s\"", text,
		      vjail_strerror(j), malformed[_i].where);
	ck_assert_msg(strstr(vjail_strerror(j), malformed[_i].why) != NULL,
		      "\"%s\": message \"%s\" lacks \"%s\"", text,
		      vjail_strerror(j), malformed[_i].why);
	after = dump(j);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	vjail_destroy(j);
}
END_TEST

START_TEST(error_on_a_later_line_applies_nothing)
{
	struct vjail *j = new_handle();
	const char text[] = "hostname = web\n"
			    "limit-nofile = 64\n"
			    "bind = /usr\n"
			    "user = no-such-user-here\n";

	ck_assert_int_eq(load(j, text), -ENOENT);
	ck_assert_str_eq(vjail_strerror(j),
			 "test:4:8: user no-such-user-here: no such user");
	/* Nothing of lines 1 to 3 stuck: the same setters still succeed. */
	ck_assert_int_eq(vjail_set_hostname(j, "other"), 0);
	ck_assert_int_eq(vjail_limit(j, VJAIL_LIMIT_NOFILE, 32, 32), 0);
	ck_assert_int_eq(vjail_bind(j, "/usr", "/usr", 0), 0);
	vjail_destroy(j);
}
END_TEST

START_TEST(conflict_with_the_handle_applies_nothing)
{
	struct vjail *j = new_handle();
	char *before, *after;

	ck_assert_int_eq(vjail_set_hostname(j, "code"), 0);
	before = dump(j);
	ck_assert_fails(j, load(j, "tmpfs = /tmp 1M\nhostname = file\n"),
			EEXIST, "test:2:12: hostname: already set");
	after = dump(j);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	vjail_destroy(j);
}
END_TEST

START_TEST(root_and_create_flags_from_a_file)
{
	struct vjail *j;
	char *d;

	ck_assert_int_eq(vjail_create(&j, "/tmp", VJAIL_CREATE_ROOT_RW), 0);
	ck_assert_fails(j, load(j, "root = /usr"), EEXIST,
			"test:1:8: root /usr: the handle already has root /tmp");
	ck_assert_fails(j, load(j, "root-rw = no"), EEXIST,
			"created with VJAIL_CREATE_ROOT_RW");
	ck_assert_int_eq(load(j, "root = /tmp\nroot-rw = yes\n"), 0);
	vjail_destroy(j);

	j = new_handle();
	ck_assert_int_eq(load(j, "root = /usr\nbest-effort = yes\n"), 0);
	d = dump(j);
	ck_assert(has_line(d, "root = /usr"));
	ck_assert(has_line(d, "best-effort = yes"));
	ck_assert(!has_line(d, "root-rw = yes"));
	free(d);
	vjail_destroy(j);
}
END_TEST

/* ---- dump and load back -------------------------------------------------- */

static const char full_policy[] =
	"best-effort = yes\n"
	"waive = landlock-scope\n"
	"namespaces = all -time\n"
	"hostname = h\n"
	"domainname = d.example\n"
	"uname-release = \"6.0 with spaces\"\n"
	"uname-machine = m\n"
	"uptime = 3d\n"
	"user = nobody\n"
	"keep-cap = setuid setgid 10\n"
	"bind = /usr\n"
	"bind = /tmp \"/a dir/with \\\"quotes\\\"\" rw dev optional\n"
	"tmpfs = /run 5M\n"
	"tmpfs = /big 1073741825\n"
	"keep-fd = 0\n"
	"net-bind = 21 2121\n"
	"net-connect = 21 53\n"
	"seccomp-profile = daemon\n"
	"seccomp-default = trap\n"
	"syscall = chroot allow\n"
	"syscall = ptrace errno 13\n"
	"syscall = personality log\n"
	"limit-nofile = 64:128\n"
	"limit-cpu = unlimited\n"
	"limit-cpu-max = 333\n"
	"limit-memory = 1G:2G\n"
	"cgroup-parent = /sys/fs/cgroup/x\n";

START_TEST(dump_loads_back_to_the_same_handle)
{
	struct vjail *a = new_handle(), *b = new_handle();
	char *da, *db;

	ck_assert_msg(load(a, full_policy) == 0, "%s", vjail_strerror(a));
	da = dump(a);
	ck_assert_msg(load(b, da) == 0, "%s\n%s", vjail_strerror(b), da);
	db = dump(b);
	ck_assert_str_eq(da, db);
	/* and loading the dump on top of itself is a conflict, not a merge */
	ck_assert_int_eq(load(b, "hostname = h"), -EEXIST);
	free(da);
	free(db);
	vjail_destroy(a);
	vjail_destroy(b);
}
END_TEST

START_TEST(dump_of_setter_calls_loads_back)
{
	/* Settings made in code (not from a file) dump and load the same. */
	struct vjail *a, *b;
	gid_t groups[] = { 4, 24 };
	char *da, *db;

	ck_assert_int_eq(vjail_create(&a, "/tmp", 0), 0);
	ck_assert_int_eq(vjail_set_user(a, 33, 33), 0);
	ck_assert_int_eq(vjail_set_groups(a, 2, groups), 0);
	ck_assert_int_eq(vjail_net_allow(a, VJAIL_NET_BIND | VJAIL_NET_CONNECT,
					 8080), 0);
	ck_assert_int_eq(vjail_limit(a, VJAIL_LIMIT_FSIZE, 12345, 12345), 0);
	ck_assert_int_eq(vjail_set_uname(a, NULL, "#v", NULL), 0);
	ck_assert_int_eq(vjail_waive(a, VJAIL_FEAT_LANDLOCK_NET |
					    VJAIL_NS_CGROUP), 0);
	da = dump(a);
	ck_assert(has_line(da, "net-bind = 8080"));
	ck_assert(has_line(da, "net-connect = 8080"));
	ck_assert(has_line(da, "limit-fsize = 12345"));
	ck_assert(has_line(da, "uname-version = \"#v\""));
	b = new_handle();
	ck_assert_msg(load(b, da) == 0, "%s", vjail_strerror(b));
	db = dump(b);
	ck_assert_str_eq(da, db);
	free(da);
	free(db);
	vjail_destroy(a);
	vjail_destroy(b);
}
END_TEST

START_TEST(dump_shows_defaults_as_comments)
{
	struct vjail *j = new_handle();
	char *d = dump(j);

	ck_assert(has_line(d, "# namespaces = user pid mount ipc uts cgroup "
			      "time"));
	ck_assert(has_line(d, "# seccomp-profile = daemon"));
	ck_assert_int_eq(vjail_dump_config(j, -1), -EBADF);
	ck_assert_int_eq(vjail_dump_config(j, 999), -EBADF);
	free(d);
	vjail_destroy(j);
}
END_TEST

/* ---- files ------------------------------------------------------------------ */

static char tmpdir[64];

static void make_tmpdir(void)
{
	strcpy(tmpdir, "/tmp/vjail-config-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	chmod(tmpdir, 0755);
}

static void remove_tmpdir(void)
{
	vj_test_remove_tree(tmpdir);
}

static void write_file(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
}

START_TEST(load_config_from_a_file)
{
	struct vjail *j = new_handle();
	char path[128], msg[256];
	char *d;

	snprintf(path, sizeof(path), "%s/good.conf", tmpdir);
	write_file(path, "hostname = filed\n", 17);
	ck_assert_msg(vjail_load_config(j, path) == 0, "%s", vjail_strerror(j));
	d = dump(j);
	ck_assert(has_line(d, "hostname = filed"));
	free(d);

	snprintf(path, sizeof(path), "%s/bad.conf", tmpdir);
	write_file(path, "# ok\nlimit-nofile = ten\n", 24);
	snprintf(msg, sizeof(msg), "%s:2:16: expected a number", path);
	ck_assert_fails(j, vjail_load_config(j, path), EINVAL, msg);

	snprintf(path, sizeof(path), "%s/nul.conf", tmpdir);
	write_file(path, "hostname = a\0b\n", 15);
	snprintf(msg, sizeof(msg), "%s:1:13: NUL byte", path);
	ck_assert_fails(j, vjail_load_config(j, path), EINVAL, msg);

	ck_assert_fails(j, vjail_load_config(j, "relative.conf"), EINVAL,
			"not an absolute path");
	ck_assert_fails(j, vjail_load_config(j, "/no/such.conf"), ENOENT,
			"open config /no/such.conf");
	ck_assert_fails(j, vjail_load_config(j, tmpdir), EISDIR, tmpdir);
	vjail_destroy(j);
}
END_TEST

START_TEST(load_config_refuses_a_huge_file)
{
	struct vjail *j = new_handle();
	size_t len = (1u << 20) + 1;
	char *big = malloc(len), path[128];

	ck_assert_ptr_nonnull(big);
	memset(big, '#', len);
	snprintf(path, sizeof(path), "%s/big.conf", tmpdir);
	write_file(path, big, len);
	ck_assert_fails(j, vjail_load_config(j, path), EFBIG, "larger than");
	free(big);
	vjail_destroy(j);
}
END_TEST

START_TEST(load_after_enter_is_refused)
{
	struct vjail *j = new_handle();

	ck_assert_int_eq(vjail_namespaces(j, 0), 0);
	ck_assert_int_eq(vjail_seccomp_profile(j, VJAIL_PROFILE_NONE), 0);
	vj_test_keep_harness_fds(j);
	ck_assert_msg(vjail_enter(j, 0) == 0, "%s", vjail_strerror(j));
	ck_assert_fails(j, load(j, "hostname = x"), EALREADY, "already");
	ck_assert_int_eq(vjail_load_config_text(j, NULL, NULL, 0), -EALREADY);
}
END_TEST

/* ---- the parser alone --------------------------------------------------------- */

START_TEST(parser_survives_random_bytes)
{
	/* A short deterministic stand-in for the fuzzer: every input either
	 * parses or names a position inside the text. */
	static const char alphabet[] = "= #\"\\\n\tabcdefghijklmnopqrstuvwxyz"
				       "-_0123456789:/%KMG\x01\x80";
	unsigned int seed = 12345;
	char text[96], err[256];

	for (int round = 0; round < 20000; round++) {
		struct vj_config cfg;
		size_t len = (size_t)(rand_r(&seed) % (int)sizeof(text));
		int rc;

		for (size_t i = 0; i < len; i++)
			text[i] = round % 3 == 0
					  ? (char)rand_r(&seed)
					  : alphabet[rand_r(&seed) %
						     (int)(sizeof(alphabet) - 1)];
		rc = vj_config_parse(&cfg, text, len, err, sizeof(err));
		if (rc == 0) {
			char *out;

			ck_assert_int_eq(vj_config_format(&cfg, &out), 0);
			free(out);
			vj_config_free(&cfg);
			continue;
		}
		ck_assert_int_eq(rc, -EINVAL);
		ck_assert_int_ge(cfg.err_line, 1);
		ck_assert_int_ge(cfg.err_col, 1);
		ck_assert_ptr_null(cfg.entries);
	}
}
END_TEST

START_TEST(format_reads_back)
{
	struct vj_config a, b;
	char err[256], *ta, *tb;

	ck_assert_msg(vj_config_parse(&a, full_policy, strlen(full_policy),
				      err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(vj_config_format(&a, &ta), 0);
	ck_assert_msg(vj_config_parse(&b, ta, strlen(ta), err, sizeof(err)) ==
			      0, "%s\n%s", err, ta);
	ck_assert_int_eq(vj_config_format(&b, &tb), 0);
	ck_assert_str_eq(ta, tb);
	ck_assert_uint_eq(a.n, b.n);
	free(ta);
	free(tb);
	vj_config_free(&a);
	vj_config_free(&b);
}
END_TEST

/* ---- a loaded policy is enforced ------------------------------------------ */

static char *root;

static void make_root(void)
{
	root = vj_test_make_root();
}

static void remove_root(void)
{
	vj_test_remove_tree(root);
	free(root);
}

static void as_nobody(void)
{
	vj_test_become_nobody();
}

START_TEST(policy_file_is_enforced)
{
	char text[512], name[65] = "";
	struct vjail *j;
	struct rlimit rl;
	int fd, last = -1, rc;

	/* No time namespace: Check times the test with CLOCK_MONOTONIC. */
	snprintf(text, sizeof(text),
		 "root = %s\n"
		 "namespaces = default -time\n"
		 "hostname = from-policy\n"
		 "bind = /usr\n"
		 "limit-nofile = 24\n",
		 root);
	ck_assert_int_eq(vjail_create(&j, NULL, 0), 0);
	vj_test_keep_harness_fds(j);
	rc = load(j, text);
	ck_assert_msg(rc == 0, "%s", vjail_strerror(j));
	rc = vjail_enter(j, 0);
	ck_assert_msg(rc == 0, "enter: %d %s", rc, vjail_strerror(j));
	/* The host name, the root and the fd limit of the file hold. */
	ck_assert_int_eq(gethostname(name, sizeof(name) - 1), 0);
	ck_assert_str_eq(name, "from-policy");
	ck_assert_int_eq(access("/inside.txt", R_OK), 0);
	ck_assert_int_eq(access("/etc/passwd", F_OK), -1);
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	ck_assert_uint_eq(rl.rlim_cur, 24);
	while ((fd = open("/inside.txt", O_RDONLY | O_CLOEXEC)) >= 0)
		last = fd;
	ck_assert_int_eq(errno, EMFILE);
	ck_assert_int_eq(last, 23);
}
END_TEST

static Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("keys");
	size_t nkeys = sizeof(every_key) / sizeof(every_key[0]);
	size_t nbad = sizeof(malformed) / sizeof(malformed[0]);

	tcase_add_loop_test(tc, every_key_reaches_its_setter, 0, (int)nkeys);
	tcase_add_test(tc, uname_fields_from_separate_loads_combine);
	tcase_add_test(tc, every_key_is_tested);
	tcase_add_test(tc, numeric_user_and_user_name);
	tcase_add_test(tc, comments_quotes_and_crlf);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_add_loop_test(tc, malformed_input_is_refused_with_position, 0,
			    (int)nbad);
	tcase_add_test(tc, error_on_a_later_line_applies_nothing);
	tcase_add_test(tc, conflict_with_the_handle_applies_nothing);
	tcase_add_test(tc, root_and_create_flags_from_a_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("dump");
	tcase_add_test(tc, dump_loads_back_to_the_same_handle);
	tcase_add_test(tc, dump_of_setter_calls_loads_back);
	tcase_add_test(tc, dump_shows_defaults_as_comments);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_unchecked_fixture(tc, make_tmpdir, remove_tmpdir);
	tcase_add_test(tc, load_config_from_a_file);
	tcase_add_test(tc, load_config_refuses_a_huge_file);
	tcase_add_test(tc, load_after_enter_is_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("parser");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, parser_survives_random_bytes);
	tcase_add_test(tc, format_reads_back);
	suite_add_tcase(s, tc);

	/* The same jail test as root and as nobody. */
	tc = tcase_create("enforced-root");
	tcase_add_unchecked_fixture(tc, make_root, remove_root);
	tcase_add_test(tc, policy_file_is_enforced);
	suite_add_tcase(s, tc);
	tc = tcase_create("enforced-nobody");
	tcase_add_unchecked_fixture(tc, make_root, remove_root);
	tcase_add_checked_fixture(tc, as_nobody, NULL);
	tcase_add_test(tc, policy_file_is_enforced);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return vj_test_run(config_suite());
}
