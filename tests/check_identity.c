/* tests/check_identity.c - what a jail says about itself, in a real kernel:
 * host and domain name, the virtual uname(2) (the real coreutils uname,
 * a static binary with its own syscall instruction, a forked grandchild,
 * the entering process and its forks), the /proc files that spell the
 * release, and the uptime of the time namespace. Every test runs twice: as
 * root and as nobody.
 *
 * Jails that need the time namespace are spawned (Check times the test
 * process with CLOCK_MONOTONIC); the others are entered by the test
 * process itself, which keeps Check's channel.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kernel/probe.h"
#include "testlib.h"

/* LeakSanitizer cannot run inside a jail (no /proc/self/task, no
 * ptrace): see check_enter.c. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "detect_leaks=0";
}

#define REL "2.6.22-vs2.2"
#define VER "#1 SMP VSERVER"
#define MACH "i686"
#define HOST "vhost"
#define DOMAIN "vdomain"

/* Every namespace but time: see check_enter.c. */
#define TEST_NS (VJAIL_NS_DEFAULT & ~VJAIL_NS_TIME)

static char *root; /* scratch jail root with /idprobe, made per TCase */

/* ---- fixtures ------------------------------------------------------------- */

static void copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[1 << 16];
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	ssize_t n;

	ck_assert_msg(in >= 0, "open %s: %s", from, strerror(errno));
	ck_assert_int_ge(out, 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ck_assert_int_eq(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
	ck_assert_int_eq(chmod(to, mode), 0);
}

static void make_world(void)
{
	char path[512];

	root = vj_test_make_root();
	/* Inside the root, world-readable: nobody may not reach the build
	 * directory (MACHINE.md). */
	snprintf(path, sizeof(path), "%s/idprobe", root);
	copy_file(VJ_IDPROBE, path, 0755);
}

static void remove_world(void)
{
	vj_test_remove_tree(root);
	free(root);
	root = NULL;
}

static void as_nobody(void)
{
	vj_test_become_nobody();
}

/* ---- helpers -------------------------------------------------------------- */

/* A handle on the scratch root, /usr bound, names set, and with @virt the
 * virtual uname. */
static struct vjail *new_jail(bool virt)
{
	struct vjail *j;

	ck_assert_int_eq(vjail_create(&j, root, 0), 0);
	ck_assert_int_eq(vjail_bind(j, "/usr", "/usr", 0), 0);
	ck_assert_int_eq(vjail_set_hostname(j, HOST), 0);
	ck_assert_int_eq(vjail_set_domainname(j, DOMAIN), 0);
	if (virt)
		ck_assert_int_eq(vjail_set_uname(j, REL, VER, MACH), 0);
	return j;
}

/* The same, to be entered by the test process itself. */
static struct vjail *new_entered_jail(uint64_t ns)
{
	struct vjail *j = new_jail(true);
	int rc;

	ck_assert_int_eq(vjail_namespaces(j, ns), 0);
	vj_test_keep_harness_fds(j);
	rc = vjail_enter(j, 0);
	ck_assert_msg(rc == 0, "enter: %d %s", rc, vjail_strerror(j));
	return j;
}

static void read_all(int fd, char *out, size_t size)
{
	size_t total = 0;
	ssize_t n;

	while (total + 1 < size &&
	       (n = read(fd, out + total, size - 1 - total)) > 0)
		total += (size_t)n;
	out[total] = '\0';
}

/* Run @script with /bin/sh in a spawned jail (every default namespace,
 * time included); its stdout into @out. Returns the wait status. */
static int spawn_sh(struct vjail *j, const char *script, char *out,
		    size_t size)
{
	char *argv[] = { (char *)"/bin/sh", (char *)"-c", (char *)script,
			 NULL };
	char *envp[] = { (char *)"PATH=/usr/bin:/bin", (char *)"LC_ALL=C",
			 NULL };
	int p[2], saved = dup(1), status, rc;
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(dup2(p[1], 1), 1);
	close(p[1]);
	rc = vjail_spawn(j, argv, envp, &pid);
	dup2(saved, 1);
	close(saved);
	ck_assert_msg(rc == 0, "spawn: %d %s", rc, vjail_strerror(j));
	read_all(p[0], out, size);
	close(p[0]);
	ck_assert_int_eq(vjail_wait(j, &status), 0);
	return status;
}

/* In an entered jail: run @argv in a child, its stdout into @out. Returns
 * the wait status. */
static int run_child(char *const argv[], char *out, size_t size)
{
	int p[2], status;
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(p[1], 1);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	read_all(p[0], out, size);
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return status;
}

static void assert_exit0(int status, const char *out)
{
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "status %#x, output: %s", status, out);
}

static void assert_has(const char *text, const char *what)
{
	ck_assert_msg(strstr(text, what) != NULL, "\"%s\" not in:\n%s", what,
		      text);
}

static void assert_lacks(const char *text, const char *what)
{
	ck_assert_msg(strstr(text, what) == NULL, "\"%s\" found in:\n%s", what,
		      text);
}

/* A uname(2) done with a syscall instruction of this test's own code. */
static long raw_uname(void *buf)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"((long)SYS_uname), "D"(buf)
			 : "rcx", "r11", "memory");
	return ret;
}

static double host_uptime(void)
{
	char buf[64] = "";
	int fd = open("/proc/uptime", O_RDONLY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_gt(read(fd, buf, sizeof(buf) - 1), 0);
	close(fd);
	return atof(buf);
}

/* The number after "@key " in @text. */
static double value_of(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	ck_assert_msg(p != NULL, "no \"%s\" in:\n%s", key, text);
	return atof(p + strlen(key));
}

/* ---- uname ------------------------------------------------------------------ */

START_TEST(host_values_differ)
{
	/* The control: outside, none of the jail's values show, so the
	 * tests below would fail without the virtual uname. */
	struct utsname u;
	char h[HOST_NAME_MAX + 1] = "";

	ck_assert_int_eq(uname(&u), 0);
	ck_assert_str_ne(u.release, REL);
	ck_assert_str_ne(u.version, VER);
	ck_assert_str_ne(u.machine, MACH);
	ck_assert_int_eq(gethostname(h, sizeof(h)), 0);
	ck_assert_str_ne(h, HOST);
	ck_assert(vjail_features() & VJAIL_FEAT_UNAME);
	ck_assert(vjail_features() & VJAIL_FEAT_PROCVIEW);
}
END_TEST

START_TEST(uname_of_exec_static_and_grandchild)
{
	struct vjail *j = new_jail(true);
	struct utsname host;
	char out[2048];

	ck_assert_int_eq(uname(&host), 0);
	/* coreutils' uname(1); the static probe's own syscall instruction,
	 * then its fork's; a buffer the kernel cannot write. */
	assert_exit0(spawn_sh(j, "uname -a; uname -srvmno; /idprobe uname; "
				 "/idprobe badptr",
			      out, sizeof(out)),
		     out);
	assert_has(out, "Linux " HOST " " REL " " VER " " MACH);
	assert_has(out, "Linux " HOST " " REL " " VER " " MACH " GNU/Linux\n");
	assert_has(out, "uname 0 Linux|" HOST "|" REL "|" VER "|" MACH "\n");
	assert_has(out, "grandchild 0 Linux|" HOST "|" REL "|" VER "|" MACH
			"\n");
	assert_has(out, "badptr -14\n"); /* EFAULT, as from the kernel */
	assert_lacks(out, host.release);
	ck_assert(vjail_enforced(j) & VJAIL_FEAT_UNAME);
	vjail_destroy(j);
}
END_TEST

START_TEST(uname_of_entering_process_and_forks)
{
	char *uname_rvm[] = { (char *)"/usr/bin/uname", (char *)"-rvmn", NULL };
	char *probe[] = { (char *)"/idprobe", (char *)"uname", NULL };
	char h[HOST_NAME_MAX + 1] = "", out[1024], *two;
	struct utsname u, raw;
	int status;
	pid_t pid;

	new_entered_jail(TEST_NS);
	/* The C library's uname(), gethostname(), syscall(): the trap. */
	ck_assert_int_eq(uname(&u), 0);
	ck_assert_str_eq(u.sysname, "Linux");
	ck_assert_str_eq(u.nodename, HOST);
	ck_assert_str_eq(u.release, REL);
	ck_assert_str_eq(u.version, VER);
	ck_assert_str_eq(u.machine, MACH);
	ck_assert_str_eq(u.domainname, DOMAIN);
	ck_assert_int_eq(gethostname(h, sizeof(h)), 0);
	ck_assert_str_eq(h, HOST);
	memset(&u, 0, sizeof(u));
	ck_assert_int_eq(syscall(SYS_uname, &u), 0);
	ck_assert_str_eq(u.release, REL);
	ck_assert_int_eq(uname(NULL), -1);
	ck_assert_int_eq(errno, EFAULT);
	/* A buffer running into a page it may not write: EFAULT, as from
	 * the kernel; ending right before that page: fine. */
	two = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert(two != MAP_FAILED);
	ck_assert_int_eq(mprotect(two + 4096, 4096, PROT_READ), 0);
	ck_assert_int_eq(uname((struct utsname *)(two + 4096 - 100)), -1);
	ck_assert_int_eq(errno, EFAULT);
	ck_assert_int_eq(uname((struct utsname *)(two + 4096 - sizeof(u))), 0);
	ck_assert_str_eq(((struct utsname *)(two + 4096 - sizeof(u)))->release,
			 REL);
	/* A raw syscall from this program's own code cannot be answered
	 * (this process is not dumpable): EPERM, never the host's. */
	memset(&raw, 0, sizeof(raw));
	ck_assert_int_eq(raw_uname(&raw), -EPERM);
	ck_assert_str_eq(raw.release, "");
	/* A fork: same code, same trap. */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct utsname c;

		_exit(uname(&c) == 0 && strcmp(c.release, REL) == 0 ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	assert_exit0(status, "fork");
	/* Programs it executes: init answers. */
	assert_exit0(run_child(uname_rvm, out, sizeof(out)), out);
	ck_assert_str_eq(out, HOST " " REL " " VER " " MACH "\n");
	assert_exit0(run_child(probe, out, sizeof(out)), out);
	assert_has(out, "uname 0 Linux|" HOST "|" REL "|" VER "|" MACH "\n");
	assert_has(out, "grandchild 0 Linux|" HOST "|" REL "|");
}
END_TEST

START_TEST(uname_in_place_execs_get_eperm)
{
	/* No pid namespace, so no init to answer: the entering process
	 * still gets the jail's values, a program it executes gets EPERM.
	 * Root goes without a user namespace here: in place, writing its
	 * own gid_map fails (ns.c), whatever the uname. */
	char *probe[] = { (char *)"/idprobe", (char *)"uname", NULL };
	char *uname_r[] = { (char *)"/usr/bin/uname", (char *)"-r", NULL };
	struct utsname u;
	char out[512];
	int status;

	new_entered_jail(TEST_NS & ~VJAIL_NS_PID & ~VJAIL_NS_USER);
	ck_assert_int_eq(uname(&u), 0);
	ck_assert_str_eq(u.release, REL);
	assert_exit0(run_child(probe, out, sizeof(out)), out);
	assert_has(out, "uname -1 ||||\n");
	status = run_child(uname_r, out, sizeof(out));
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 1,
		      "status %#x: %s", status, out);
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(uname_denied_by_policy_stays_denied)
{
	char *probe[] = { (char *)"/idprobe", (char *)"uname", NULL };
	struct vjail *j = new_jail(true);
	struct utsname u;
	char out[512];
	int rc;

	/* The caller's rule outranks the virtual uname, in the entering
	 * process (no trap) and in a program it executes. */
	ck_assert_int_eq(vjail_syscall_rule(j, "uname", VJAIL_ACTION_ERRNO,
					    ENOSYS),
			 0);
	ck_assert_int_eq(vjail_namespaces(j, TEST_NS), 0);
	vj_test_keep_harness_fds(j);
	rc = vjail_enter(j, 0);
	ck_assert_msg(rc == 0, "enter: %d %s", rc, vjail_strerror(j));
	ck_assert_int_eq(uname(&u), -1);
	ck_assert_int_eq(errno, ENOSYS);
	assert_exit0(run_child(probe, out, sizeof(out)), out);
	assert_has(out, "uname -38 ");
}
END_TEST

START_TEST(uname_spawn_needs_pid_namespace)
{
	char *argv[] = { (char *)"/usr/bin/true", NULL };
	struct vjail *j = new_jail(true);
	pid_t pid;

	ck_assert_int_eq(vjail_namespaces(j, VJAIL_NS_DEFAULT & ~VJAIL_NS_PID),
			 0);
	ck_assert_fails(j, vjail_spawn(j, argv, NULL, &pid), EINVAL,
			"VJAIL_NS_PID");
	vjail_destroy(j);
}
END_TEST

START_TEST(uname_strict_unless_waived)
{
	struct vjail *j = new_jail(true);
	struct utsname host;
	char out[512];

	ck_assert_int_eq(uname(&host), 0);
	/* A kernel without the mechanism: refused in prepare... */
	vj_probe_override(vjail_features() & ~VJAIL_FEAT_UNAME,
			  vjail_landlock_abi());
	ck_assert_int_eq(vjail_namespaces(j, TEST_NS), 0);
	ck_assert_fails(j, vjail_enter(j, 0), EOPNOTSUPP, "VJAIL_FEAT_UNAME");
	vjail_destroy(j);
	/* ...and when waived, the host's values, said by vjail_enforced(). */
	j = new_jail(true);
	ck_assert_int_eq(vjail_waive(j, VJAIL_FEAT_UNAME), 0);
	assert_exit0(spawn_sh(j, "uname -r", out, sizeof(out)), out);
	assert_has(out, host.release);
	ck_assert(!(vjail_enforced(j) & VJAIL_FEAT_UNAME));
	vjail_destroy(j);
	vj_probe_override(0, -1);
}
END_TEST

/* ---- /proc ------------------------------------------------------------------ */

START_TEST(proc_files_spell_the_jails_release)
{
	struct vjail *j = new_jail(true);
	struct utsname host;
	char out[8192];

	ck_assert_int_eq(uname(&host), 0);
	assert_exit0(
		spawn_sh(j,
			 "cat /proc/sys/kernel/osrelease /proc/sys/kernel/version "
			 "/proc/version /proc/cmdline /proc/sys/kernel/hostname "
			 "/proc/sys/kernel/domainname; "
			 "for f in sys/kernel/osrelease sys/kernel/version "
			 "version cmdline; do echo x 2>/dev/null >/proc/$f && "
			 "echo WROTE $f; done; true",
			 out, sizeof(out)),
		out);
	ck_assert_msg(strncmp(out, REL "\n" VER "\nLinux version " REL " (",
			      strlen(REL VER "Linux version  (") + 2) == 0,
		      "%s", out);
	assert_has(out, ") " VER "\n");
	assert_has(out, "\n" HOST "\n" DOMAIN "\n");
	assert_lacks(out, host.release);
	assert_lacks(out, "WROTE");
	ck_assert(vjail_enforced(j) & VJAIL_FEAT_PROCVIEW);
	vjail_destroy(j);
}
END_TEST

START_TEST(proc_files_real_without_uname)
{
	/* The control of the test above: without vjail_set_uname() the
	 * files are the kernel's own. */
	struct vjail *j = new_jail(false);
	struct utsname host;
	char out[1024], want[256];

	ck_assert_int_eq(uname(&host), 0);
	assert_exit0(spawn_sh(j, "cat /proc/sys/kernel/osrelease", out,
			      sizeof(out)),
		     out);
	snprintf(want, sizeof(want), "%s\n", host.release);
	ck_assert_str_eq(out, want);
	ck_assert(!(vjail_enforced(j) & VJAIL_FEAT_PROCVIEW));
	vjail_destroy(j);
}
END_TEST

/* ---- names ------------------------------------------------------------------ */

START_TEST(names_inside_and_host_unchanged)
{
	char host_before[HOST_NAME_MAX + 1], dom_before[256];
	char host_after[HOST_NAME_MAX + 1], dom_after[256], out[512];
	struct vjail *j = new_jail(false);

	ck_assert_int_eq(gethostname(host_before, sizeof(host_before)), 0);
	ck_assert_int_eq(getdomainname(dom_before, sizeof(dom_before)), 0);
	assert_exit0(spawn_sh(j, "hostname; domainname; uname -n", out,
			      sizeof(out)),
		     out);
	ck_assert_str_eq(out, HOST "\n" DOMAIN "\n" HOST "\n");
	vjail_destroy(j);
	ck_assert_int_eq(gethostname(host_after, sizeof(host_after)), 0);
	ck_assert_int_eq(getdomainname(dom_after, sizeof(dom_after)), 0);
	ck_assert_str_eq(host_after, host_before);
	ck_assert_str_eq(dom_after, dom_before);
}
END_TEST

START_TEST(hostname_cannot_be_changed_inside)
{
	char h[HOST_NAME_MAX + 1] = "";

	new_entered_jail(TEST_NS);
	ck_assert_int_eq(sethostname("evil", 4), -1);
	ck_assert_int_eq(gethostname(h, sizeof(h)), 0);
	ck_assert_str_eq(h, HOST);
}
END_TEST

/* ---- uptime ----------------------------------------------------------------- */

START_TEST(uptime_starts_at_zero_and_grows)
{
	struct vjail *j = new_jail(false);
	double first, last, host_before, host_after, real;
	char out[2048];

	host_before = host_uptime();
	assert_exit0(spawn_sh(j, "cat /proc/uptime; uptime; /idprobe clocks; "
				 "sleep 1.2; echo; cat /proc/uptime",
			      out, sizeof(out)),
		     out);
	host_after = host_uptime();
	first = atof(out);
	ck_assert_ptr_nonnull(strstr(out, "\n\n"));
	last = atof(strstr(out, "\n\n") + 2); /* after the empty line */
	/* Right after start, and growing with real time. */
	ck_assert_msg(first >= 0 && first < 5, "uptime %f:\n%s", first, out);
	ck_assert_msg(last >= first + 1.1 && last < first + 5,
		      "uptime %f then %f", first, last);
	assert_has(out, " up 0 min, ");
	ck_assert_double_lt(value_of(out, "sysinfo "), 5);
	ck_assert_double_lt(value_of(out, "boottime "), 5);
	ck_assert_double_lt(value_of(out, "monotonic "), 5);
	/* The wall clock stays the host's. */
	real = value_of(out, "realtime ");
	ck_assert_msg(real > (double)time(NULL) - 10 && real <= (double)time(NULL),
		      "realtime %f vs %ld", real, (long)time(NULL));
	/* The host's uptime is its own, and went on as before. */
	ck_assert_double_ge(host_after - host_before, last - first - 0.5);
	ck_assert(vjail_enforced(j) & VJAIL_NS_TIME);
	vjail_destroy(j);
}
END_TEST

START_TEST(uptime_configured)
{
	struct vjail *j = new_jail(false);
	char out[1024];
	double up;

	ck_assert_int_eq(vjail_set_uptime(j, 86400), 0);
	assert_exit0(spawn_sh(j, "cat /proc/uptime; /idprobe clocks", out,
			      sizeof(out)),
		     out);
	up = atof(out);
	ck_assert_msg(up >= 86400 && up < 86405, "uptime %f", up);
	ck_assert_double_ge(value_of(out, "sysinfo "), 86400);
	ck_assert_double_lt(value_of(out, "sysinfo "), 86405);
	ck_assert_double_ge(value_of(out, "boottime "), 86400);
	ck_assert_double_lt(value_of(out, "monotonic "), 86405);
	vjail_destroy(j);
}
END_TEST

static void add_tests(TCase *tc)
{
	tcase_add_test(tc, host_values_differ);
	tcase_add_test(tc, uname_of_exec_static_and_grandchild);
	tcase_add_test(tc, uname_of_entering_process_and_forks);
	tcase_add_test(tc, uname_in_place_execs_get_eperm);
	tcase_add_test(tc, uname_denied_by_policy_stays_denied);
	tcase_add_test(tc, uname_spawn_needs_pid_namespace);
	tcase_add_test(tc, uname_strict_unless_waived);
	tcase_add_test(tc, proc_files_spell_the_jails_release);
	tcase_add_test(tc, proc_files_real_without_uname);
	tcase_add_test(tc, names_inside_and_host_unchanged);
	tcase_add_test(tc, hostname_cannot_be_changed_inside);
	tcase_add_test(tc, uptime_starts_at_zero_and_grows);
	tcase_add_test(tc, uptime_configured);
}

int main(void)
{
	Suite *s = suite_create("identity");
	TCase *as_root = tcase_create("root");
	TCase *unpriv = tcase_create("nobody");

	tcase_add_unchecked_fixture(as_root, make_world, remove_world);
	tcase_add_unchecked_fixture(unpriv, make_world, remove_world);
	tcase_add_checked_fixture(unpriv, as_nobody, NULL);
	tcase_set_timeout(as_root, 20);
	tcase_set_timeout(unpriv, 20);
	add_tests(as_root);
	add_tests(unpriv);
	suite_add_tcase(s, as_root);
	suite_add_tcase(s, unpriv);
	return vj_test_run(s);
}
