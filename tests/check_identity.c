/* tests/check_identity.c - what a jail says about itself, in a real kernel:
 * host and domain name, the virtual uname(2) (the real coreutils uname,
 * a static binary with its own syscall instruction, a forked grandchild,
 * the entering process and its forks), the /proc files that spell the
 * release, and the uptime of the time namespace. Every test runs three
 * times: as root, as nobody not dumpable and as nobody dumpable
 * (testlib.h).
 *
 * Jails that need the time namespace are spawned (Check times the test
 * process with CLOCK_MONOTONIC); the others are entered by the test
 * process itself, which keeps Check's channel.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
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

#include "kernel/cgroupfs.h"
#include "kernel/probe.h"
#include "libvjail/procgen.h"
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

/* cgroup v1 children made per TCase, which a test joins: a memory cgroup
 * limited to MEM_LIMIT and a cpuset of CPU 0 only; NULL when this machine
 * cannot have them, and cg_skip says why. */
#define MEM_LIMIT (UINT64_C(256) << 20)
static char *mem_cg, *cpu_cg;
static const char *cg_skip = "";

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

static void write_text(const char *dir, const char *file, const char *text)
{
	char path[4200];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
	ck_assert_msg(write(fd, text, strlen(text)) == (ssize_t)strlen(text),
		      "write %s to %s: %s", text, path, strerror(errno));
	close(fd);
}

/* A child of our own cgroup of @controller (v1 only: this machine's v2 has
 * no controllers, MACHINE.md), which nobody may join too. */
static char *make_cgroup(const char *controller)
{
	char dir[4096], path[4200], *out;
	enum vj_cg_version v = vj_cgroup_dir(controller, dir, sizeof(dir));

	if (v != VJ_CG_V1) {
		cg_skip = v == VJ_CG_V2 ? "cgroup v2: tested only where v1 "
					  "controllers are mounted"
					: "no such cgroup controller";
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/vjail-identity-%d-%s", dir,
		 (int)getpid(), controller);
	ck_assert_msg(mkdir(path, 0755) == 0, "mkdir %s: %s", path,
		      strerror(errno));
	out = strdup(path);
	snprintf(path, sizeof(path), "%s/cgroup.procs", out);
	ck_assert_int_eq(chown(path, 65534, 65534), 0);
	return out;
}

static void make_cgroups(void)
{
	char text[64];

	if (geteuid() != 0) {
		cg_skip = "not root: cannot make the test's cgroups";
		return;
	}
	mem_cg = make_cgroup("memory");
	if (mem_cg != NULL) {
		snprintf(text, sizeof(text), "%" PRIu64, MEM_LIMIT);
		write_text(mem_cg, "memory.limit_in_bytes", text);
	}
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		cg_skip = "one CPU: no smaller cpuset to show";
		return;
	}
	cpu_cg = make_cgroup("cpuset");
	if (cpu_cg != NULL) {
		write_text(cpu_cg, "cpuset.cpus", "0");
		write_text(cpu_cg, "cpuset.mems", "0");
	}
}

static void remove_cgroups(void)
{
	/* Empty by now: the test processes that joined have ended. */
	if (mem_cg != NULL && rmdir(mem_cg) != 0)
		fprintf(stderr, "rmdir %s: %s\n", mem_cg, strerror(errno));
	if (cpu_cg != NULL && rmdir(cpu_cg) != 0)
		fprintf(stderr, "rmdir %s: %s\n", cpu_cg, strerror(errno));
	free(mem_cg);
	free(cpu_cg);
	mem_cg = cpu_cg = NULL;
}

/* Move this (forked) test process into @dir; the jail it spawns is born
 * there. */
static void join_cgroup(const char *dir)
{
	char pid[24];

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	write_text(dir, "cgroup.procs", pid);
}

static void make_world(void)
{
	char path[512];

	make_cgroups();
	root = vj_test_make_root();
	/* Inside the root, world-readable: nobody may not reach the build
	 * directory (MACHINE.md). */
	snprintf(path, sizeof(path), "%s/idprobe", root);
	copy_file(VJ_IDPROBE, path, 0755);
}

static void remove_world(void)
{
	remove_cgroups();
	vj_test_remove_tree(root);
	free(root);
	root = NULL;
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

/* ---- resources ------------------------------------------------------------ */

START_TEST(meminfo_shows_the_limit_and_follows_use)
{
	uint64_t total[2] = { 0, 0 }, used[2] = { 0, 0 };
	struct vjail *j;
	char out[4096];
	const char *p = out;

	if (mem_cg == NULL) {
		fprintf(stderr, "skipped: %s\n", cg_skip);
		return;
	}
	join_cgroup(mem_cg);
	j = new_jail(false);
	/* free(1) before, and while the jail holds 64 MiB more: the view
	 * is rewritten every second. */
	assert_exit0(spawn_sh(j, "free -b; /idprobe hold 64 4 & sleep 2.5; "
				 "free -b; echo x 2>/dev/null >/proc/meminfo "
				 "&& echo WROTE; wait",
			      out, sizeof(out)),
		     out);
	for (int i = 0; i < 2; i++) {
		p = strstr(p, "Mem:");
		ck_assert_msg(p != NULL, "no Mem: line %d in:\n%s", i, out);
		ck_assert_int_eq(sscanf(p, "Mem: %" SCNu64 " %" SCNu64,
					&total[i], &used[i]),
				 2);
		p++;
	}
	ck_assert_msg(total[0] == MEM_LIMIT && total[1] == MEM_LIMIT,
		      "total %" PRIu64 " then %" PRIu64 ":\n%s", total[0],
		      total[1], out);
	ck_assert_msg(used[1] >= used[0] + (60 << 20),
		      "used %" PRIu64 " then %" PRIu64 ":\n%s", used[0], used[1],
		      out);
	assert_has(out, "held 64");
	assert_lacks(out, "WROTE");
	ck_assert(vjail_enforced(j) & VJAIL_FEAT_PROCVIEW);
	vjail_destroy(j);
}
END_TEST

START_TEST(cpuinfo_and_nproc_follow_the_cpuset)
{
	struct vjail *j;
	char out[1024];

	if (cpu_cg == NULL) {
		fprintf(stderr, "skipped: %s\n", cg_skip);
		return;
	}
	join_cgroup(cpu_cg);
	j = new_jail(false);
	assert_exit0(spawn_sh(j, "nproc; grep -c ^processor /proc/cpuinfo; "
				 "grep ^processor /proc/cpuinfo",
			      out, sizeof(out)),
		     out);
	ck_assert_str_eq(out, "1\n1\nprocessor\t: 0\n");
	vjail_destroy(j);
}
END_TEST

START_TEST(df_shows_the_tmpfs_cap)
{
	struct vjail *j = new_jail(false);
	char out[512];

	ck_assert_int_eq(vjail_tmpfs(j, "/data", 8 << 20), 0);
	assert_exit0(spawn_sh(j, "df -B1 --output=size /data | tail -1", out,
			      sizeof(out)),
		     out);
	ck_assert_uint_eq(strtoull(out, NULL, 10), 8 << 20);
	vjail_destroy(j);
}
END_TEST

/* ---- the view texts (procgen.c), from samples ----------------------------- */

static const char host_meminfo[] =
	"MemTotal:       24684084 kB\n"
	"MemFree:        23006388 kB\n"
	"MemAvailable:   23940048 kB\n"
	"Buffers:           84092 kB\n"
	"Cached:           769184 kB\n"
	"SwapTotal:       1048572 kB\n"
	"SwapFree:        1048572 kB\n"
	"Committed_AS:     998700 kB\n"
	"HugePages_Total:       0\n"
	"Hugepagesize:       2048 kB\n"
	"DirectMap4k:      147328 kB\n";

START_TEST(meminfo_text_from_a_v1_cgroup)
{
	struct vj_memcg m = { .limit = UINT64_MAX, .swap_limit = UINT64_MAX,
			      .usage = 100 << 20 };
	char a[2048], b[2048];
	size_t la, lb;

	vj_gen_memcg_stat(&m, 1,
			  "cache 1\ntotal_cache 41943040\ntotal_rss 62914560\n"
			  "total_active_file 20971520\n"
			  "total_inactive_file 10485760\n"
			  "hierarchical_memory_limit 268435456\n"
			  "hierarchical_memsw_limit 335544320\n");
	ck_assert_uint_eq(m.limit, MEM_LIMIT);
	ck_assert_uint_eq(m.swap_limit, 64 << 20);
	ck_assert_uint_eq(m.cache, 40 << 20); /* total_, not the local one */
	la = vj_gen_meminfo(a, sizeof(a), host_meminfo, &m);
	ck_assert_uint_gt(la, 0);
	assert_has(a, "MemTotal:         262144 kB\n");
	assert_has(a, "MemFree:          159744 kB\n");   /* 256 - 100 MiB */
	assert_has(a, "MemAvailable:     190464 kB\n");   /* + 30 MiB file */
	assert_has(a, "Buffers:               0 kB\n");
	assert_has(a, "Cached:            40960 kB\n");
	assert_has(a, "SwapTotal:         65536 kB\n");   /* memsw - mem */
	assert_has(a, "Committed_AS:          0 kB\n");  /* not the host's */
	assert_has(a, "Hugepagesize:       2048 kB\n");   /* the machine's */
	assert_has(a, "DirectMap4k:      147328 kB\n");
	/* Other figures, same length: init rewrites it in place. */
	m.usage = 1;
	lb = vj_gen_meminfo(b, sizeof(b), host_meminfo, &m);
	ck_assert_uint_eq(lb, la);
	assert_has(b, "MemFree:          262143 kB\n");
	/* Too small a buffer: 0, not a cut text. */
	ck_assert_uint_eq(vj_gen_meminfo(b, 100, host_meminfo, &m), 0);
}
END_TEST

START_TEST(meminfo_text_from_a_v2_cgroup)
{
	struct vj_memcg m = { .limit = 1ULL << 40, /* above the host's */
			      .swap_limit = 0, .usage = 10 << 20 };
	char a[2048];

	vj_gen_memcg_stat(&m, 2,
			  "anon 4194304\nfile 6291456\nfile_mapped 1048576\n"
			  "shmem 4096\nactive_file 2097152\n"
			  "inactive_file 1048576\nslab_reclaimable 1048576\n"
			  "slab_unreclaimable 524288\n");
	ck_assert_uint_eq(m.anon, 4 << 20);
	ck_assert_uint_eq(m.cache, 6 << 20);
	ck_assert_uint_gt(vj_gen_meminfo(a, sizeof(a), host_meminfo, &m), 0);
	/* The host's total bounds a larger limit; no swap allowed. */
	assert_has(a, "MemTotal:       24684084 kB\n");
	assert_has(a, "SwapTotal:             0 kB\n");
	assert_has(a, "SwapFree:              0 kB\n");
}
END_TEST

START_TEST(cpuinfo_text_and_cpu_lists)
{
	static const char host[] =
		"processor\t: 0\nmodel name\t: A\n\n"
		"processor\t: 1\nmodel name\t: B\n\n"
		"processor\t: 2\nmodel name\t: C\n\n"
		"processor\t: 3\nmodel name\t: D\n\n";
	uint8_t cpus[2];
	char out[512];

	ck_assert_int_eq(vj_gen_cpulist("1,3\n", cpus, 16), 2);
	ck_assert_uint_gt(vj_gen_cpuinfo(out, sizeof(out), host, cpus, 16), 0);
	ck_assert_str_eq(out, "processor\t: 0\nmodel name\t: B\n\n"
			      "processor\t: 1\nmodel name\t: D\n\n");
	ck_assert_int_eq(vj_gen_cpulist("0-2,5", cpus, 16), 4);
	ck_assert_int_eq(cpus[0], 0x27);
	ck_assert_int_eq(vj_gen_cpulist("0-16", cpus, 16), -1); /* too high */
	ck_assert_int_eq(vj_gen_cpulist("3-1", cpus, 16), -1);
	ck_assert_int_eq(vj_gen_cpulist("x", cpus, 16), -1);
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
	tcase_add_test(tc, meminfo_shows_the_limit_and_follows_use);
	tcase_add_test(tc, cpuinfo_and_nproc_follow_the_cpuset);
	tcase_add_test(tc, df_shows_the_tmpfs_cap);
	tcase_add_test(tc, meminfo_text_from_a_v1_cgroup);
	tcase_add_test(tc, meminfo_text_from_a_v2_cgroup);
	tcase_add_test(tc, cpuinfo_text_and_cpu_lists);
}

int main(void)
{
	return vj_test_run(vj_test_suite_callers("identity", add_tests,
						 make_world, remove_world, 20,
						 NULL));
}
