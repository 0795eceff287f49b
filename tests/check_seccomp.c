/* tests/check_seccomp.c - the seccomp module: its tables, the programs it
 * compiles (read by a small BPF emulator), and, in forked children that
 * load them, every denial of the daemon profile under each deny action, a
 * daemon's ordinary work, threads, namespaces, the i386 and x32 ABIs,
 * learn mode and the caller's rules.
 *
 * Every live test runs twice: in the "root" case as the invoking user and
 * in the "nobody" case after dropping to uid/gid 65534 in the test's own
 * process (MACHINE.md: the CI tree may be closed to nobody).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <seccomp.h>

#include "testlib.h"
#include "libvjail/jail.h"
#include "libvjail/seccomp-bpf.h"
#include "libvjail/seccomp-profiles.h"
#include "libvjail/seccomp-stock.h"
#include "kernel/probe.h"
#include "kernel/syscalls.h"

#ifndef VJ_TOP_SRCDIR
#define VJ_TOP_SRCDIR "."
#endif
#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1 /* si_code of a seccomp SIGSYS */
#endif
#define X32_SYSCALL_BIT 0x40000000

/*
 * LeakSanitizer (the ASan build of scripts/test.sh) checks for leaks at exit
 * by stopping the world with ptrace(2), which every profile denies; it then
 * fails the process. A process that entered a filter skips the check: the
 * same code paths are leak-checked by the tests that never enter.
 */
int __lsan_is_turned_off(void);
static volatile int entered;

int __lsan_is_turned_off(void)
{
	return entered;
}

/*
 * The one way these tests enter a jail: vjail_enter() with no namespace and
 * a NULL root, so the filesystem the tests use (/tmp, /bin/sh) stays, and
 * every other layer (closed fds, credentials, Landlock's TCP rules and
 * scopes, then the filter) applies as in any jail. Check's result channel
 * is kept open.
 */
static void enter_seccomp_only(struct vjail *j)
{
	int rc;

	ck_assert_int_eq(vjail_namespaces(j, 0), 0);
	vj_test_keep_harness_fds(j);
	entered = 1;
	rc = vjail_enter(j, 0);
	ck_assert_msg(rc == 0, "enter: %d (%s)", rc, vjail_strerror(j));
	if (j->sc.profile != VJAIL_PROFILE_NONE)
		ck_assert(vjail_enforced(j) & VJAIL_FEAT_SECCOMP);
}

static struct vjail *new_jail(enum vjail_profile p, enum vjail_action a,
			      int err)
{
	struct vjail *j;

	ck_assert_int_eq(vjail_create(&j, NULL, 0), 0);
	if (p != 0)
		ck_assert_int_eq(vjail_seccomp_profile(j, p), 0);
	if (a != 0)
		ck_assert_int_eq(vjail_seccomp_default_action(j, a, err), 0);
	return j;
}

static void become_nobody(void)
{
	vj_test_become_nobody();
}

/* A syscall by number with every argument -1: a bad pointer (EFAULT), a
 * bad descriptor (EBADF) or bad flags (EINVAL) for each denied syscall, so
 * that even a broken filter would let nothing happen. */
static long call_bad_args(int nr)
{
	return syscall(nr, -1L, -1L, -1L, -1L, -1L, -1L);
}

static int nr_of(const char *name)
{
	int nr = seccomp_syscall_resolve_name(name);

	ck_assert_msg(nr != __NR_SCMP_ERROR, "%s: unknown to libseccomp", name);
	return nr;
}

/* ---- the tables ---------------------------------------------------------- */

static bool in_allow(const struct vj_sc_profile *p, const char *name)
{
	for (size_t i = 0; i < p->nallow; i++)
		if (strcmp(p->allow[i].name, name) == 0)
			return true;
	return false;
}

static void check_names(const struct vj_sc_profile *p)
{
	for (size_t i = 0; i < p->nallow; i++) {
		const char *n = p->allow[i].name;

		/* allowed entries are x86_64 syscalls: a typo or an i386
		 * name would be a silent hole in the allowlist */
		ck_assert_msg(seccomp_syscall_resolve_name(n) >= 0,
			      "%s allow %s: not an x86_64 syscall", p->name, n);
		for (size_t k = i + 1; k < p->nallow; k++)
			ck_assert_msg(strcmp(n, p->allow[k].name) != 0,
				      "%s allow %s: listed twice", p->name, n);
	}
	for (size_t i = 0; i < p->ndenied; i++) {
		const char *n = p->denied[i].name;

		ck_assert_msg(seccomp_syscall_resolve_name(n) !=
				      __NR_SCMP_ERROR,
			      "%s denied %s: unknown to libseccomp", p->name,
			      n);
		ck_assert_msg(!in_allow(p, n), "%s: %s both allowed and denied",
			      p->name, n);
		ck_assert_msg(p->denied[i].why != NULL &&
				      strlen(p->denied[i].why) > 10,
			      "%s denied %s: no reason", p->name, n);
	}
}

START_TEST(tables_are_consistent)
{
	/* The list: each must be denied by the daemon profile. */
	static const char *const must_deny[] = {
		"mount", "umount2", "fsopen", "fsconfig", "fsmount", "fspick",
		"open_tree", "move_mount", "mount_setattr", "pivot_root",
		"chroot", "ptrace", "process_vm_readv", "process_vm_writev",
		"kexec_load", "kexec_file_load", "init_module",
		"finit_module", "delete_module", "bpf", "perf_event_open",
		"keyctl", "add_key", "request_key", "userfaultfd",
		"io_uring_setup", "io_uring_enter", "io_uring_register",
		"open_by_handle_at", "name_to_handle_at", "setns", "unshare",
		"acct", "swapon", "swapoff", "reboot", "settimeofday",
		"clock_settime", "adjtimex", "syslog", "quotactl",
		"lookup_dcookie", "vm86", "iopl", "ioperm", "fanotify_init",
	};
	bool seen = false;

	check_names(&vj_sc_daemon);
	check_names(&vj_sc_minimal);
	check_names(&vj_sc_init);
	for (size_t i = 0; i < ARRAY_SIZE(must_deny); i++) {
		bool found = false;

		for (size_t k = 0; k < vj_sc_daemon.ndenied; k++)
			found |= strcmp(vj_sc_daemon.denied[k].name,
					must_deny[i]) == 0;
		ck_assert_msg(found, "daemon: %s not in the denied table",
			      must_deny[i]);
	}
	/* minimal is a subset of daemon, init a subset of minimal's
	 * spirit: nothing that creates a resource */
	for (size_t i = 0; i < vj_sc_minimal.nallow; i++)
		ck_assert_msg(in_allow(&vj_sc_daemon,
				       vj_sc_minimal.allow[i].name),
			      "minimal allows %s, daemon does not",
			      vj_sc_minimal.allow[i].name);
	for (size_t i = 0; i < vj_sc_daemon.nallow; i++)
		seen |= vj_sc_daemon.allow[i].cond == VJ_SC_ENOSYS;
	ck_assert_msg(seen, "daemon: clone3 must fail with ENOSYS");
}
END_TEST

/* Is @name a word of @text (not part of a longer identifier)? */
static bool has_word(const char *text, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = strstr(text, name); p != NULL;
	     p = strstr(p + 1, name)) {
		char before = p == text ? ' ' : p[-1];
		char after = p[len];

		if (before != '_' && !(before >= 'a' && before <= 'z') &&
		    !(before >= '0' && before <= '9') && after != '_' &&
		    !(after >= 'a' && after <= 'z') &&
		    !(after >= '0' && after <= '9'))
			return true;
	}
	return false;
}

START_TEST(man_page_names_every_entry)
{
	const char *dir = getenv("top_srcdir");
	const struct vj_sc_profile *ps[] = { &vj_sc_daemon, &vj_sc_minimal,
					     &vj_sc_init };
	char path[4096], *text;
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/man/vjail_syscalls.7",
		 dir ? dir : VJ_TOP_SRCDIR);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
	ck_assert_int_eq(fstat(fd, &st), 0);
	text = calloc(1, (size_t)st.st_size + 1);
	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(read(fd, text, (size_t)st.st_size), st.st_size);
	close(fd);
	for (size_t p = 0; p < ARRAY_SIZE(ps); p++) {
		for (size_t i = 0; i < ps[p]->nallow; i++)
			ck_assert_msg(has_word(text, ps[p]->allow[i].name),
				      "vjail_syscalls.7 lacks %s (%s)",
				      ps[p]->allow[i].name, ps[p]->name);
		for (size_t i = 0; i < ps[p]->ndenied; i++)
			ck_assert_msg(has_word(text, ps[p]->denied[i].name),
				      "vjail_syscalls.7 lacks denied %s",
				      ps[p]->denied[i].name);
	}
	free(text);
}
END_TEST

/* ---- the compiled programs -------------------------------------------- */

/*
 * Run @prog on @d as the kernel would; with @const_only as the kernel's
 * seccomp_is_const_allow() (kernel/seccomp.c, Linux 5.11) does, made to
 * return the action: -1 as soon as the program reads anything but the
 * arch and the syscall number (then the kernel cannot cache the action).
 * -1 too for an instruction this interpreter does not know, or a program
 * that runs off its end.
 */
static int64_t bpf_run(const void *prog, unsigned short len,
		       const struct seccomp_data *d, bool const_only)
{
	const struct sock_filter *f = prog;
	uint32_t a = 0;

	for (unsigned int pc = 0; pc < len; pc++) {
		const struct sock_filter *i = &f[pc];

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (i->k > sizeof(*d) - 4 ||
			    (const_only &&
			     i->k != offsetof(struct seccomp_data, nr) &&
			     i->k != offsetof(struct seccomp_data, arch)))
				return -1;
			memcpy(&a, (const char *)d + i->k, 4);
			break;
		case BPF_RET | BPF_K:
			return i->k;
		case BPF_JMP | BPF_JA:
			pc += i->k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == i->k ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += a >= i->k ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
			pc += a > i->k ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
			pc += (a & i->k) ? i->jt : i->jf;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= i->k;
			break;
		default:
			return -1;
		}
	}
	return -1;
}

static int64_t const_action(const void *prog, unsigned short len,
			    uint32_t arch, uint32_t nr)
{
	struct seccomp_data d = { .nr = (int)nr, .arch = arch };

	return bpf_run(prog, len, &d, true);
}

/* The kernel's precedence of stacked filters (ACTION_ONLY in
 * kernel/seccomp.c): the lowest value, read as signed, wins, so that
 * KILL_PROCESS (0x80000000) beats everything. */
static int32_t precedence(int64_t ret)
{
	return (int32_t)((uint32_t)ret & SECCOMP_RET_ACTION_FULL);
}

/* What the kernel answers for @nr with the jail's filter, when that does
 * not depend on the arguments; -1 when it does. */
static int64_t jail_action(const struct vjail *j, uint32_t arch, uint32_t nr)
{
	return const_action(j->sc.prog, j->sc.prog_len, arch, nr);
}

static void check_constant(const struct vj_sc_profile *p, enum vjail_profile id)
{
	struct vjail *j = new_jail(id, 0, 0);
	const uint32_t eperm = SECCOMP_RET_ERRNO | EPERM;

	ck_assert_msg(vj_sc_prepare(j) == 0, "%s", vjail_strerror(j));
	ck_assert_ptr_nonnull(j->sc.prog);
	ck_assert_ptr_nonnull(j->sc.init_prog);
	for (size_t i = 0; i < p->nallow; i++) {
		int nr = nr_of(p->allow[i].name);
		int64_t act = jail_action(j, AUDIT_ARCH_X86_64, (uint32_t)nr);

		switch (p->allow[i].cond) {
		case VJ_SC_ALWAYS:
			/* cached by the kernel: no filter run at all */
			ck_assert_msg(act == SECCOMP_RET_ALLOW,
				      "%s: %s is not a constant allow (%lld)",
				      p->name, p->allow[i].name,
				      (long long)act);
			break;
		case VJ_SC_ENOSYS:
			ck_assert_msg(act == (SECCOMP_RET_ERRNO | ENOSYS),
				      "%s: %s not ENOSYS", p->name,
				      p->allow[i].name);
			break;
		case VJ_SC_EOPNOTSUPP:
			ck_assert_msg(act == (SECCOMP_RET_ERRNO | EOPNOTSUPP),
				      "%s: %s not EOPNOTSUPP", p->name,
				      p->allow[i].name);
			break;
		default:
			ck_assert_msg(act == -1,
				      "%s: %s has an argument check, but the "
				      "filter does not read arguments",
				      p->name, p->allow[i].name);
		}
	}
	for (size_t i = 0; i < p->ndenied; i++) {
		int nr = nr_of(p->denied[i].name);

		if (nr < 0)
			continue; /* i386-only name: see the i386 test */
		ck_assert_msg(jail_action(j, AUDIT_ARCH_X86_64, (uint32_t)nr) ==
				      eperm,
			      "%s: %s is not denied with EPERM", p->name,
			      p->denied[i].name);
	}
	/* the other ABIs of x86_64 kill, whatever the number */
	ck_assert_uint_eq(jail_action(j, AUDIT_ARCH_I386, 20),
			  SECCOMP_RET_KILL_PROCESS);
	ck_assert_uint_eq(jail_action(j, AUDIT_ARCH_X86_64,
				      X32_SYSCALL_BIT | 39),
			  SECCOMP_RET_KILL_PROCESS);
	/* the init filter: its list allowed, the rest kills */
	for (size_t i = 0; i < vj_sc_init.nallow; i++)
		ck_assert_uint_eq(const_action(j->sc.init_prog,
					       j->sc.init_prog_len,
					       AUDIT_ARCH_X86_64,
					       nr_of(vj_sc_init.allow[i].name)),
				  SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(const_action(j->sc.init_prog, j->sc.init_prog_len,
				       AUDIT_ARCH_X86_64, SYS_getppid),
			  SECCOMP_RET_KILL_PROCESS);
	vjail_destroy(j);
}

START_TEST(allowed_syscalls_are_constant_actions)
{
	check_constant(&vj_sc_daemon, VJAIL_PROFILE_DAEMON);
	check_constant(&vj_sc_minimal, VJAIL_PROFILE_MINIMAL);
}
END_TEST

START_TEST(default_is_daemon_with_eperm)
{
	struct vjail *j = new_jail(0, 0, 0);

	ck_assert_int_eq(vj_sc_prepare(j), 0);
	ck_assert_int_eq(jail_action(j, AUDIT_ARCH_X86_64, SYS_mount),
			 SECCOMP_RET_ERRNO | EPERM);
	ck_assert_int_eq(jail_action(j, AUDIT_ARCH_X86_64, SYS_socketpair),
			 SECCOMP_RET_ALLOW); /* daemon, not minimal */
	vjail_destroy(j);
}
END_TEST

/* ---- argument checks: one program or two, the answers of two ------------ */

/* Run @prog on a whole struct seccomp_data (x86_64, syscall @nr, @args). */
static uint32_t run_prog(const void *prog, unsigned short len, uint32_t nr,
			 const uint64_t *args)
{
	struct seccomp_data d = { .nr = (int)nr, .arch = AUDIT_ARCH_X86_64 };
	int64_t ret;

	memcpy(d.args, args, sizeof(d.args));
	ret = bpf_run(prog, len, &d, false);
	ck_assert_msg(ret >= 0, "syscall %u: the program runs off its end or "
		      "has an instruction the test does not know", nr);
	return (uint32_t)ret;
}

/*
 * What the two stacked filters of libvjail 0.x answered (the main filter:
 * the allow rule, else the deny action @deny; the argument filter, loaded
 * first: EPERM for a set-id mode, @deny for TIOCSTI, TIOCLINUX and
 * AF_VSOCK), combined as the kernel does: the lower precedence wins, and
 * on a tie the later-loaded main filter. The one program must answer the
 * same for every argument.
 */
static uint32_t two_filter_answer(const struct vj_sc_entry *e, uint32_t deny,
				  const uint64_t *args)
{
	const uint32_t eperm = SECCOMP_RET_ERRNO | EPERM;
	uint64_t v = args[e->arg], lo = v & 0xffffffff;
	uint32_t main = SECCOMP_RET_ALLOW, arg = SECCOMP_RET_ALLOW;

	switch (e->cond) {
	case VJ_SC_NO_SETID:
		if (v & (S_ISUID | S_ISGID))
			arg = eperm;
		break;
	case VJ_SC_NO_SETID_CREATE:
		if ((v & (O_CREAT | (O_TMPFILE & ~O_DIRECTORY))) &&
		    (args[e->arg + 1] & (S_ISUID | S_ISGID)))
			arg = eperm;
		break;
	case VJ_SC_FIFO_ONLY:
		if ((v & S_IFMT) != S_IFIFO)
			main = deny;
		if (v & (S_ISUID | S_ISGID))
			arg = eperm;
		break;
	case VJ_SC_NO_TTY_INJECT:
		if (lo == TIOCSTI || lo == TIOCLINUX)
			arg = deny;
		break;
	case VJ_SC_NO_VSOCK:
		if (lo == AF_VSOCK)
			arg = deny;
		break;
	default:
		ck_abort_msg("no model for condition %d", e->cond);
	}
	return precedence(arg) < precedence(main) ? arg : main;
}

/* Values around every bit the checks look at, the same with upper bits
 * set (the kernel truncates; the filter must too), and pseudo-random
 * ones. */
static uint64_t probe_value(unsigned int k)
{
	static const uint64_t fixed[] = {
		0, 0644, 04755, 02755, 06755, 01777, S_IFIFO | 0644,
		S_IFIFO | 04644, S_IFIFO | 02600, S_IFREG | 0644,
		S_IFREG | 04755, S_IFCHR | 0600, S_IFDIR | 02775,
		S_IFSOCK | 0600, O_RDONLY, O_WRONLY | O_CREAT,
		O_RDWR | O_CREAT | O_EXCL, O_RDWR | O_TMPFILE, O_DIRECTORY,
		O_PATH, TIOCSTI, TIOCLINUX, TCGETS, FIONREAD, FIONBIO,
		TIOCSTI ^ 1, TIOCLINUX ^ 0x100, 0x5410, 0x541f, AF_VSOCK,
		AF_VSOCK + 1, AF_VSOCK - 8, AF_INET, AF_INET6, AF_UNIX,
		AF_NETLINK, 0x7fffffff, 0x80000000, 0xffffffff,
		TIOCSTI | 0x10000, TIOCLINUX | 0x80000000, AF_VSOCK | 0x100,
		AF_VSOCK | 0x40000000,
	};
	static const uint64_t upper[] = { 0, UINT64_C(1) << 32,
					  UINT64_C(0xffffffff) << 32 };
	/* and each of these with one of its 32 bits flipped: the nearest
	 * neighbours of a refused value, where a rule set that spells out
	 * the complement bit by bit would go wrong */
	static const uint64_t refused[] = { TIOCSTI, TIOCLINUX, AF_VSOCK };
	const size_t nf = ARRAY_SIZE(fixed) * ARRAY_SIZE(upper);
	const size_t nflip = ARRAY_SIZE(refused) * 32;
	uint64_t x;

	if (k < nf)
		return fixed[k % ARRAY_SIZE(fixed)] |
		       upper[k / ARRAY_SIZE(fixed)];
	if (k < nf + nflip)
		return refused[(k - nf) / 32] ^ (UINT64_C(1) << ((k - nf) % 32));
	/* splitmix64 of k: any bit pattern, reproducible */
	x = (uint64_t)k * UINT64_C(0x9e3779b97f4a7c15);
	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	x ^= x >> 31;
	/* half of them keep only the bits the checks test, so that random
	 * values also hit the refused ones */
	if (k & 1)
		x &= UINT64_C(0xffffffff0000ffff);
	return x;
}

/* What the kernel answers with the programs of @c: the argument filter,
 * if any, loaded first; the lower precedence wins, on a tie the main
 * filter, which runs first (the later-loaded one). */
static uint32_t run_compiled(const struct vj_sc_compiled *c, uint32_t nr,
			     const uint64_t *args)
{
	uint32_t main = run_prog(c->prog, c->prog_len, nr, args), arg;

	if (c->argprog == NULL)
		return main;
	arg = run_prog(c->argprog, c->argprog_len, nr, args);
	return precedence(arg) < precedence(main) ? arg : main;
}

/* The program(s) @c for entry @e (syscall @nr) with the @k-th probe in the
 * checked argument and another in the next one. */
static void ck_answer(const char *profile, uint32_t deny,
		      const struct vj_sc_entry *e, int nr,
		      const struct vj_sc_compiled *c, unsigned int k)
{
	uint64_t args[6] = { 0 };
	uint32_t want, got;

	args[e->arg] = probe_value(k);
	if (e->arg < 5)
		args[e->arg + 1] = probe_value(k * 7 + 3);
	want = two_filter_answer(e, deny, args);
	got = run_compiled(c, (uint32_t)nr, args);
	ck_assert_msg(got == want,
		      "%s, deny 0x%x, %s: %s(arg%u 0x%llx, 0x%llx) gives "
		      "0x%x, two filters 0x%x",
		      profile, deny, c->argprog ? "two programs" : "one",
		      e->name, e->arg,
		      (unsigned long long)args[e->arg],
		      (unsigned long long)(e->arg < 5 ? args[e->arg + 1] : 0),
		      got, want);
}

/*
 * Both forms vj_sc_compile() produces, the one program (stock
 * configurations) and the main filter plus the argument filter (the rest),
 * answer every argument as the two filters of libvjail 0.x did.
 */
START_TEST(each_form_answers_as_two_filters)
{
	const uint32_t denies[] = { SCMP_ACT_ERRNO(EPERM),
				    SCMP_ACT_ERRNO(EACCES),
				    SCMP_ACT_KILL_PROCESS, SCMP_ACT_TRAP,
				    SCMP_ACT_LOG };
	const struct vj_sc_profile *ps[] = { &vj_sc_daemon, &vj_sc_minimal };
	/* 129 fixed, 96 bit flips of the refused values, then random */
	const unsigned int nprobe = 700;

	for (size_t n = 0; n < 2 * ARRAY_SIZE(ps) * ARRAY_SIZE(denies); n++) {
		const struct vj_sc_profile *p = ps[n / 2 % ARRAY_SIZE(ps)];
		uint32_t deny = denies[n / 2 / ARRAY_SIZE(ps)];
		bool one = n % 2 == 0;
		struct vj_sc_compiled c;

		ck_assert_int_eq(vj_sc_compile(p, p->name, deny, one, NULL, 0,
					       NULL, &c),
				 0);
		/* the argument filter exactly when asked for */
		ck_assert(one == (c.argprog == NULL));
		for (size_t i = 0; i < p->nallow; i++) {
			const struct vj_sc_entry *e = &p->allow[i];
			int nr = nr_of(e->name);

			if (e->cond == VJ_SC_ALWAYS ||
			    e->cond == VJ_SC_ENOSYS ||
			    e->cond == VJ_SC_EOPNOTSUPP ||
			    e->cond == VJ_SC_NO_NEW_NS ||
			    e->cond == VJ_SC_PER_LINUX)
				continue; /* main filter only, as before */
			for (unsigned int k = 0; k < nprobe; k++)
				ck_answer(p->name, deny, e, nr, &c, k);
		}
		free(c.prog);
		free(c.argprog);
	}
}
END_TEST

/* ---- the precompiled stock programs -------------------------------------- */

/* Same length, same bytes. */
static void ck_same_prog(const char *what, const void *a, unsigned short alen,
			 const void *b, unsigned short blen)
{
	ck_assert_msg(a != NULL && b != NULL, "%s: missing program", what);
	ck_assert_msg(alen == blen, "%s: %u instructions precompiled, %u "
		      "compiled now", what, alen, blen);
	ck_assert_msg(memcmp(a, b, alen * sizeof(struct sock_filter)) == 0,
		      "%s: precompiled program differs from libseccomp's",
		      what);
}

/*
 * Staleness guard: each stock program, compiled now with this libseccomp by
 * the code prepare runs when it cannot use them, equals the precompiled one
 * byte for byte; so does the result of prepare itself, with and without the
 * tables. A profile edit that did not regenerate the tables, or a generator
 * that drifted from prepare, fails here.
 */
START_TEST(stock_programs_match_libseccomp)
{
	const struct vj_sc_stock *st = vj_sc_stock();
	const struct scmp_version *v = seccomp_version();
	const struct {
		enum vjail_profile id;
		const struct vj_sc_profile *p;
		const struct vj_sc_stock_prog *main;
	} ps[] = {
		{ VJAIL_PROFILE_DAEMON, &vj_sc_daemon, &st->daemon },
		{ VJAIL_PROFILE_MINIMAL, &vj_sc_minimal, &st->minimal },
	};
	struct vj_sc_compiled c;
	unsigned short len;

	/* this build is native: the generator ran and must have compiled */
	ck_assert_msg(st != NULL, "no precompiled seccomp programs (see the "
		      "build log for seccomp-genstock)");
	ck_assert_uint_eq(st->scmp_major, v->major);
	ck_assert_uint_eq(st->scmp_minor, v->minor);
	ck_assert_uint_eq(st->scmp_micro, v->micro);
	ck_assert_int_eq(vj_sc_compile(&vj_sc_init, "init",
				       SCMP_ACT_KILL_PROCESS, true, NULL, 0,
				       NULL, &c),
			 0);
	ck_same_prog("init", st->init.insns, st->init.len, c.prog,
		     c.prog_len);
	free(c.prog);
	ck_assert_ptr_eq(vj_sc_stock_init(&len), st->init.insns);
	ck_assert_uint_eq(len, st->init.len);
	for (size_t i = 0; i < ARRAY_SIZE(ps); i++) {
		struct vjail *a = new_jail(ps[i].id, 0, 0);
		struct vjail *b = new_jail(ps[i].id, 0, 0);

		ck_assert_int_eq(vj_sc_compile(ps[i].p, ps[i].p->name,
					       SCMP_ACT_ERRNO(EPERM), true,
					       NULL, 0, NULL, &c),
				 0);
		ck_same_prog(ps[i].p->name, ps[i].main->insns,
			     ps[i].main->len, c.prog, c.prog_len);
		free(c.prog);
		/* prepare: the tables, and compiled, give the same */
		ck_assert_int_eq(vj_sc_prepare(a), 0);
		ck_assert_int_eq(vj_sc_prepare_compiled(b), 0);
		ck_assert(a->sc.progs_static && a->sc.init_static);
		ck_assert(!b->sc.progs_static && !b->sc.init_static);
		ck_same_prog(ps[i].p->name, a->sc.prog, a->sc.prog_len,
			     b->sc.prog, b->sc.prog_len);
		ck_same_prog("init", a->sc.init_prog, a->sc.init_prog_len,
			     b->sc.init_prog, b->sc.init_prog_len);
		vjail_destroy(a);
		vjail_destroy(b);
	}
}
END_TEST

/* prepare takes the tables exactly when they are what it would compile:
 * a stock profile, deny action ERRNO(EPERM) (given or by default), no
 * rules; the init filter always. Anything else compiles, into two
 * programs (seccomp-profiles.c says why). Destroying
 * either kind frees only what was allocated (ASan checks). */
START_TEST(stock_programs_only_for_stock_handles)
{
	const struct vj_sc_stock *st = vj_sc_stock();
	struct vjail *j;

	ck_assert_ptr_nonnull(st);
	j = new_jail(0, 0, 0);
	ck_assert_int_eq(vj_sc_prepare(j), 0);
	ck_assert_ptr_eq(j->sc.prog, st->daemon.insns);
	ck_assert_ptr_null(j->sc.argprog); /* one program */
	ck_assert_ptr_eq(j->sc.init_prog, st->init.insns);
	ck_assert(vjail_enforced(j) & VJAIL_FEAT_SECCOMP);
	/* again, as after a failed prepare: nothing static is freed */
	ck_assert_int_eq(vj_sc_prepare(j), 0);
	ck_assert_ptr_eq(j->sc.prog, st->daemon.insns);
	vjail_destroy(j);

	j = new_jail(VJAIL_PROFILE_MINIMAL, VJAIL_ACTION_ERRNO, EPERM);
	ck_assert_int_eq(vj_sc_prepare(j), 0);
	ck_assert_ptr_eq(j->sc.prog, st->minimal.insns);
	vjail_destroy(j);

	j = new_jail(0, VJAIL_ACTION_ERRNO, EACCES);
	ck_assert_int_eq(vj_sc_prepare(j), 0);
	ck_assert(!j->sc.progs_static);
	ck_assert_ptr_ne(j->sc.prog, st->daemon.insns);
	ck_assert_ptr_nonnull(j->sc.argprog); /* compiled: two programs */
	ck_assert_ptr_eq(j->sc.init_prog, st->init.insns);
	ck_assert_int_eq(jail_action(j, AUDIT_ARCH_X86_64, SYS_mount),
			 SECCOMP_RET_ERRNO | EACCES);
	vjail_destroy(j);

	j = new_jail(0, VJAIL_ACTION_KILL, 0);
	ck_assert_int_eq(vj_sc_prepare(j), 0);
	ck_assert(!j->sc.progs_static);
	vjail_destroy(j);

	j = new_jail(0, 0, 0);
	ck_assert_int_eq(vjail_syscall_rule(j, "getppid", VJAIL_ACTION_ERRNO,
					    EACCES),
			 0);
	ck_assert_int_eq(vj_sc_prepare(j), 0);
	ck_assert(!j->sc.progs_static);
	ck_assert_ptr_nonnull(j->sc.argprog);
	ck_assert_int_eq(jail_action(j, AUDIT_ARCH_X86_64, SYS_getppid),
			 SECCOMP_RET_ERRNO | EACCES);
	/* then a failing prepare (a kernel without seccomp) frees the
	 * compiled programs and leaves none */
	vj_probe_override(vj_probe_features() & ~VJAIL_FEAT_SECCOMP,
			  vj_probe_landlock_abi());
	ck_assert_int_lt(vj_sc_prepare(j), 0);
	ck_assert_ptr_null(j->sc.prog);
	ck_assert_ptr_null(j->sc.argprog);
	vj_probe_override(0, -1);
	vjail_destroy(j);
}
END_TEST

START_TEST(profile_none_loads_nothing)
{
	struct vjail *j = new_jail(VJAIL_PROFILE_NONE, 0, 0);
	char buf[4096];
	ssize_t n;
	int fd;

	enter_seccomp_only(j);
	ck_assert_ptr_null(j->sc.prog);
	ck_assert_ptr_nonnull(j->sc.init_prog); /* the library's pid 1 */
	ck_assert_uint_eq(vjail_enforced(j) & VJAIL_FEAT_SECCOMP, 0);
	fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof(buf) - 1);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_ptr_nonnull(strstr(buf, "\nSeccomp:\t0\n"));
	close(fd);
	vjail_destroy(j);
}
END_TEST

START_TEST(profile_none_refuses_rules)
{
	struct vjail *j = new_jail(VJAIL_PROFILE_NONE, 0, 0);

	ck_assert_int_eq(vjail_syscall_rule(j, "mount", VJAIL_ACTION_KILL, 0),
			 0);
	ck_assert_fails(j, vj_sc_prepare(j), EINVAL, "profile none");
	vjail_destroy(j);
	j = new_jail(VJAIL_PROFILE_NONE, VJAIL_ACTION_KILL, 0);
	ck_assert_fails(j, vj_sc_prepare(j), EINVAL, "default action");
	vjail_destroy(j);
}
END_TEST

START_TEST(unknown_names_fail_cleanly)
{
	struct vjail *j = new_jail(0, 0, 0);

	ck_assert_fails(j, vjail_syscall_rule(j, "no_such_syscall",
					      VJAIL_ACTION_ALLOW, 0),
			EINVAL, "syscall rule no_such_syscall: not a syscall");
	/* known to libseccomp, but only on i386 */
	ck_assert_fails(j, vjail_syscall_rule(j, "socketcall",
					      VJAIL_ACTION_ALLOW, 0),
			EINVAL, "socketcall");
	ck_assert_fails(j, vjail_syscall_rule(j, "", VJAIL_ACTION_ALLOW, 0),
			EINVAL, "syscall rule name");
	ck_assert_uint_eq(j->sc.nrules, 0);
	ck_assert_int_eq(vjail_syscall_rule(j, "mount", VJAIL_ACTION_KILL, 0),
			 0);
	ck_assert_fails(j, vjail_syscall_rule(j, "mount", VJAIL_ACTION_ALLOW,
					      0),
			EEXIST, "already");
	ck_assert_int_eq(vj_sc_prepare(j), 0);
	vjail_destroy(j);
}
END_TEST

START_TEST(missing_kernel_support_is_an_error)
{
	struct vjail *j = new_jail(0, 0, 0);
	uint64_t real = vj_probe_features();

	int abi = vj_probe_landlock_abi();

	vj_probe_override(real & ~(VJAIL_FEAT_SECCOMP |
				   VJAIL_FEAT_SECCOMP_LOG),
			  abi);
	ck_assert_fails(j, vj_sc_prepare(j), EOPNOTSUPP, "seccomp filter");
	ck_assert_int_eq(vjail_waive(j, VJAIL_FEAT_SECCOMP), 0);
	ck_assert_int_eq(vj_sc_prepare(j), 0);
	ck_assert_ptr_null(j->sc.prog);
	ck_assert_ptr_null(j->sc.init_prog);
	vjail_destroy(j);

	/* learn mode without SECCOMP_RET_LOG: never silently degraded */
	vj_probe_override(real & ~VJAIL_FEAT_SECCOMP_LOG, abi);
	j = new_jail(0, VJAIL_ACTION_LOG, 0);
	ck_assert_int_eq(vjail_waive(j, VJAIL_FEAT_SECCOMP_LOG), 0);
	ck_assert_fails(j, vj_sc_prepare(j), EOPNOTSUPP, "SECCOMP_RET_LOG");
	vjail_destroy(j);
	vj_probe_override(0, -1); /* back to the real probe */
}
END_TEST

/* ---- denials, live ------------------------------------------------------ */

/* Before vhangup(2) can be tried: without a controlling terminal it has
 * nothing to hang up, should the filter ever let it through. (Check makes
 * each test a process group leader, so setsid(2) is not an option.) */
static void detach_tty(void)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return; /* no controlling terminal */
	ck_assert_int_eq(ioctl(fd, TIOCNOTTY), 0);
	close(fd);
}

/* Errno no syscall here returns by itself, so that only the filter can
 * have produced it (EPERM would be ambiguous for nobody). */
#define MARK_ERRNO EHWPOISON

START_TEST(every_denial_returns_the_errno)
{
	struct vjail *j = new_jail(0, VJAIL_ACTION_ERRNO, MARK_ERRNO);
	size_t tried = 0;

	detach_tty();
	enter_seccomp_only(j);
	for (size_t i = 0; i < vj_sc_daemon.ndenied; i++) {
		int nr = nr_of(vj_sc_daemon.denied[i].name);
		long rc;

		if (nr < 0)
			continue; /* i386-only */
		errno = 0;
		rc = call_bad_args(nr);
		ck_assert_msg(rc == -1 && errno == MARK_ERRNO,
			      "%s: rc %ld errno %d",
			      vj_sc_daemon.denied[i].name, rc, errno);
		tried++;
	}
	ck_assert_uint_ge(tried, vj_sc_daemon.ndenied - 2);
	vjail_destroy(j);
}
END_TEST

START_TEST(default_action_is_eperm)
{
	struct vjail *j = new_jail(0, 0, 0);

	enter_seccomp_only(j);
	/* natively EBADF and EINVAL: EPERM can only come from the filter */
	errno = 0;
	ck_assert_int_eq(syscall(SYS_setns, -1, 0), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(syscall(SYS_umount2, "/nonexistent", -1), -1);
	ck_assert_int_eq(errno, EPERM);
	vjail_destroy(j);
}
END_TEST

/* The argument-checked denials and clone3, with the marker errno. */
static void check_argument_denials(int want)
{
	struct vj_clone_args ca = { .flags = CLONE_NEWUSER,
				    .exit_signal = SIGCHLD };

	errno = 0;
	ck_assert_int_eq(syscall(SYS_unshare, CLONE_NEWUSER), -1);
	ck_assert_int_eq(errno, want);
	ck_assert_int_eq(personality(PER_LINUX | ADDR_NO_RANDOMIZE), -1);
	ck_assert_int_eq(errno, want);
	ck_assert_int_eq(personality(PER_LINUX32), -1);
	ck_assert_int_eq(errno, want);
	ck_assert_int_eq(ioctl(-1, TIOCSTI, "x"), -1);
	ck_assert_int_eq(errno, want);
	ck_assert_int_eq(ioctl(-1, TIOCLINUX, "x"), -1);
	ck_assert_int_eq(errno, want);
	/* the kernel reads only 32 bits of the request: so must the check */
	ck_assert_int_eq(syscall(SYS_ioctl, -1, 0x100000000UL | TIOCSTI, "x"),
			 -1);
	ck_assert_int_eq(errno, want);
	ck_assert_int_eq(syscall(SYS_socket, 0x100000000UL | AF_VSOCK,
				 SOCK_STREAM, 0),
			 -1);
	ck_assert_int_eq(errno, want);
	ck_assert_int_eq(socket(AF_VSOCK, SOCK_STREAM, 0), -1);
	ck_assert_int_eq(errno, want);
	ck_assert_int_eq(mknod("/tmp/vjail-sc-null", S_IFCHR | 0600,
			       makedev(1, 3)),
			 -1);
	ck_assert_int_eq(errno, want);
	/* clone3 always says ENOSYS: glibc then falls back to clone */
	ck_assert_int_eq(syscall(SYS_clone3, &ca, sizeof(ca)), -1);
	ck_assert_int_eq(errno, ENOSYS);
	/* the allowed values of the same calls still work */
	ck_assert_int_eq(personality(0xffffffff), PER_LINUX);
	ck_assert_int_eq(personality(PER_LINUX), PER_LINUX);
	ck_assert_int_eq(ioctl(-1, FIONREAD, &(int){ 0 }), -1);
	ck_assert_int_eq(errno, EBADF);
}

START_TEST(argument_checks_deny)
{
	struct vjail *j = new_jail(0, VJAIL_ACTION_ERRNO, MARK_ERRNO);

	enter_seccomp_only(j);
	check_argument_denials(MARK_ERRNO);
	vjail_destroy(j);
}
END_TEST

/* clone(2) by hand: a namespace flag must be refused; should it pass, the
 * child leaves at once. */
static long raw_clone(unsigned long flags)
{
	long rc = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);

	if (rc == 0)
		_exit(0);
	if (rc > 0)
		waitpid((pid_t)rc, NULL, 0);
	return rc;
}

START_TEST(namespace_clones_fail)
{
	static const unsigned long flags[] = {
		CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWNET,
		CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWCGROUP,
		CLONE_NEWUSER | CLONE_NEWNS,
	};
	struct vjail *j = new_jail(0, 0, 0);

	enter_seccomp_only(j);
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
		errno = 0;
		ck_assert_msg(raw_clone(flags[i]) == -1 && errno == EPERM,
			      "clone %#lx: errno %d", flags[i], errno);
	}
	/* bits above 32 are ignored by clone(2), and by the check */
	ck_assert_int_eq(raw_clone(0x100000000UL | CLONE_NEWUSER), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(syscall(SYS_unshare, CLONE_NEWNS), -1);
	ck_assert_int_eq(errno, EPERM);
	/* and plain clone still works */
	ck_assert_int_gt(raw_clone(0), 0);
	vjail_destroy(j);
}
END_TEST

START_TEST(every_denial_kills)
{
	struct vjail *j = new_jail(0, VJAIL_ACTION_KILL, 0);

	detach_tty();
	enter_seccomp_only(j);
	for (size_t i = 0; i < vj_sc_daemon.ndenied; i++) {
		int nr = nr_of(vj_sc_daemon.denied[i].name), status;
		pid_t pid;

		if (nr < 0)
			continue;
		pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			call_bad_args(nr);
			_exit(0);
		}
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert_msg(WIFSIGNALED(status) &&
				      WTERMSIG(status) == SIGSYS,
			      "%s: status %#x, want death by SIGSYS",
			      vj_sc_daemon.denied[i].name, status);
	}
	vjail_destroy(j);
}
END_TEST

static volatile sig_atomic_t trap_nr, trap_code, trap_arch;

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	trap_nr = si->si_syscall;
	trap_code = si->si_code;
	trap_arch = (sig_atomic_t)si->si_arch;
}

static void catch_sigsys(void)
{
	struct sigaction sa = { .sa_sigaction = on_sigsys,
				.sa_flags = SA_SIGINFO };

	ck_assert_int_eq(sigaction(SIGSYS, &sa, NULL), 0);
}

START_TEST(every_denial_traps)
{
	struct vjail *j = new_jail(0, VJAIL_ACTION_TRAP, 0);

	detach_tty();
	catch_sigsys();
	enter_seccomp_only(j);
	for (size_t i = 0; i < vj_sc_daemon.ndenied; i++) {
		int nr = nr_of(vj_sc_daemon.denied[i].name);

		if (nr < 0)
			continue;
		trap_nr = -1;
		call_bad_args(nr);
		ck_assert_msg(trap_nr == nr && trap_code == SYS_SECCOMP &&
				      (uint32_t)trap_arch == AUDIT_ARCH_X86_64,
			      "%s: SIGSYS for %d, code %d",
			      vj_sc_daemon.denied[i].name, (int)trap_nr,
			      (int)trap_code);
	}
	vjail_destroy(j);
}
END_TEST

/* Learn mode: the denied calls run, with their own native errors, and the
 * filter's answer for them is SECCOMP_RET_LOG, which the kernel logs. The
 * log itself is not read here: without auditd the kernel prints audit
 * records through printk_ratelimit(), and the KILL tests above use up its
 * burst; vjail_syscalls(7) tells the admin what to run. */
START_TEST(learn_mode_allows_and_logs)
{
	struct vjail *j = new_jail(0, VJAIL_ACTION_LOG, 0);

	ck_assert_int_eq(vj_sc_prepare(j), 0);
	ck_assert_int_eq(jail_action(j, AUDIT_ARCH_X86_64, SYS_setns),
			 SECCOMP_RET_LOG);
	ck_assert_int_eq(jail_action(j, AUDIT_ARCH_X86_64, SYS_getpid),
			 SECCOMP_RET_ALLOW); /* allowed calls are not logged */
	enter_seccomp_only(j);
	errno = 0;
	ck_assert_int_eq(syscall(SYS_setns, -1, 0), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(syscall(SYS_umount2, "/nonexistent", -1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(ioctl(-1, TIOCSTI, "x"), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_ge(personality(PER_LINUX | ADDR_NO_RANDOMIZE), 0);
	/* fixed answers stay: clone3 ENOSYS (libc's fallback) */
	ck_assert_int_eq(syscall(SYS_clone3, NULL, 0), -1);
	ck_assert_int_eq(errno, ENOSYS);
	vjail_destroy(j);
}
END_TEST

/* ---- what stays allowed ---------------------------------------------- */

static void client(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = port,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	char buf[4];
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    write(s, "ping", 4) != 4 || read(s, buf, 4) != 4 ||
	    memcmp(buf, "pong", 4) != 0)
		_exit(1);
	_exit(0);
}

/* A free TCP port on 127.0.0.1, found before enter: Landlock's TCP rules
 * (on in every jail) allow only the ports the jail was given. */
static unsigned short free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&a, &alen), 0);
	close(s);
	return ntohs(a.sin_port);
}

static void serve_one(unsigned short port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	struct epoll_event ev = { .events = EPOLLIN }, got;
	int ls, ep, c, status, one = 1;
	char buf[4];
	pid_t pid;

	ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(ls, 0);
	ck_assert_int_eq(setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one,
				    sizeof(one)),
			 0);
	ck_assert_int_eq(bind(ls, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(ls, 4), 0);
	ck_assert_int_eq(getsockname(ls, (struct sockaddr *)&a, &alen), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		client(a.sin_port);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ck_assert_int_ge(ep, 0);
	ck_assert_int_eq(epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev), 0);
	ck_assert_int_eq(epoll_wait(ep, &got, 1, 3000), 1);
	c = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
	ck_assert_int_ge(c, 0);
	ck_assert_int_eq(read(c, buf, 4), 4);
	ck_assert_int_eq(memcmp(buf, "ping", 4), 0);
	ck_assert_int_eq(write(c, "pong", 4), 4);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "client status %#x", status);
	close(c);
	close(ep);
	close(ls);
}

static void fork_exec_wait(void)
{
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "echo $$ >/dev/null; exit 7",
		      (char *)NULL);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 7,
		      "sh status %#x", status);
}

static void files(void)
{
	char path[] = "/tmp/vjail-sc-XXXXXX", moved[64], fifo[64];
	struct stat st;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "data", 4), 4);
	ck_assert_int_eq(fsync(fd), 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_eq(st.st_size, 4);
	ck_assert_int_eq(close(fd), 0);
	snprintf(moved, sizeof(moved), "%s.moved", path);
	ck_assert_int_eq(rename(path, moved), 0);
	ck_assert_int_eq(stat(moved, &st), 0);
	ck_assert_int_eq(unlink(moved), 0);
	/* FIFOs are the one kind of node mknod may make */
	snprintf(fifo, sizeof(fifo), "%s.fifo", path);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(unlink(fifo), 0);
}

static void events(void)
{
	struct itimerspec its = { .it_value.tv_nsec = 1000000 };
	struct timespec ts;
	uint64_t v;
	char rnd[16];
	int p[2], tfd, efd, n = -1;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	ck_assert_int_eq(write(p[1], "x", 1), 1);
	ck_assert_int_eq(ioctl(p[0], FIONREAD, &n), 0);
	ck_assert_int_eq(n, 1);
	ck_assert_int_ge(dup2(p[0], 100), 0);
	close(100);
	close(p[0]);
	close(p[1]);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	ck_assert_int_ge(tfd, 0);
	ck_assert_int_eq(timerfd_settime(tfd, 0, &its, NULL), 0);
	ck_assert_int_eq(read(tfd, &v, sizeof(v)), sizeof(v));
	close(tfd);
	efd = eventfd(0, EFD_CLOEXEC);
	ck_assert_int_ge(efd, 0);
	close(efd);
	ck_assert_int_eq(getrandom(rnd, sizeof(rnd), 0), sizeof(rnd));
	ck_assert_int_eq(clock_gettime(CLOCK_REALTIME, &ts), 0);
	ck_assert_int_eq(kill(getpid(), 0), 0);
	ck_assert_ptr_ne(mmap(NULL, 4096, PROT_READ,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
			 MAP_FAILED);
}

START_TEST(daemon_work_is_allowed)
{
	struct vjail *j = new_jail(0, VJAIL_ACTION_KILL, 0);
	unsigned short port = free_port();

	ck_assert_int_eq(vjail_net_allow(j, VJAIL_NET_BIND | VJAIL_NET_CONNECT,
					 port),
			 0);
	/* with KILL, any denial of ordinary work ends the test at once */
	enter_seccomp_only(j);
	serve_one(port);
	fork_exec_wait();
	files();
	events();
	vjail_destroy(j);
}
END_TEST

static void *thread_main(void *arg)
{
	(void)arg;
	errno = 0;
	if (syscall(SYS_setns, -1, 0) != -1 || errno != EPERM)
		return (void *)1; /* the filter did not follow the thread */
	return NULL;
}

START_TEST(threads_and_fork_work)
{
	struct vjail *j = new_jail(0, 0, 0);
	pthread_t t;
	void *ret = (void *)2;
	int status;
	pid_t pid;

	enter_seccomp_only(j);
	/* glibc tries clone3 (ENOSYS), then clone without namespace flags */
	ck_assert_int_eq(pthread_create(&t, NULL, thread_main, NULL), 0);
	ck_assert_int_eq(pthread_join(t, &ret), 0);
	ck_assert_ptr_null(ret);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(syscall(SYS_setns, -1, 0) == -1 && errno == EPERM ? 0
									: 1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(status, 0);
	vjail_destroy(j);
}
END_TEST

START_TEST(minimal_allows_io_only)
{
	struct vjail *j = new_jail(VJAIL_PROFILE_MINIMAL, 0, 0);
	struct timespec ts;
	struct stat st;
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	enter_seccomp_only(j);
	ck_assert_int_eq(write(p[1], "x", 1), 1);
	ck_assert_int_eq(read(p[0], &(char){ 0 }, 1), 1);
	ck_assert_int_eq(fstat(p[0], &st), 0);
	ck_assert_int_eq(clock_gettime(CLOCK_MONOTONIC, &ts), 0);
	ck_assert_ptr_ne(mmap(NULL, 4096, PROT_READ,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
			 MAP_FAILED);
	errno = 0;
	ck_assert_int_eq(open("/dev/null", O_RDONLY), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(socket(AF_UNIX, SOCK_STREAM, 0), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(raw_clone(0), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(syscall(SYS_execve, "/bin/true", NULL, NULL), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(syscall(SYS_kill, getpid(), 0), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(syscall(SYS_mount, NULL, NULL, NULL, 0, NULL), -1);
	ck_assert_int_eq(errno, EPERM);
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(init_filter_kills_the_rest)
{
	struct vjail *j = new_jail(0, 0, 0);
	struct sock_fprog f;

	ck_assert_int_eq(vj_sc_prepare(j), 0);
	ck_assert_int_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	entered = 1;
	/* As vjail-init loads it (libvjail/init.c). */
	f.len = j->sc.init_prog_len;
	/* the kernel's struct has no const; the kernel only reads it */
	f.filter = (struct sock_filter *)(uintptr_t)j->sc.init_prog;
	ck_assert_int_eq(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &f), 0);
	/* From here no ck_assert: Check's own calls are not on init's list,
	 * and a SIGSYS from one of them would pass this test for nothing.
	 * A failing allowed call exits 3 instead. */
	if (kill(getpid(), 0) != 0 || syscall(SYS_getpid) < 1 ||
	    write(-1, "", 0) != -1 || errno != EBADF)
		_exit(3);
	syscall(SYS_getppid); /* not on the list: SIGSYS */
	_exit(4);
}
END_TEST

/* ---- the other ABIs of x86_64 ---------------------------------------- */

/* getpid through the i386 entry point (int 0x80, number 20). */
static long int80_getpid(void)
{
	long ret = 20;

	__asm__ volatile("int $0x80"
			 : "+a"(ret)
			 :
			 : "r8", "r9", "r10", "r11", "memory", "cc");
	return ret;
}

START_TEST(i386_abi_is_killed)
{
	struct vjail *j = new_jail(0, 0, 0);

	enter_seccomp_only(j);
	int80_getpid();
}
END_TEST

START_TEST(i386_abi_is_killed_in_learn_mode)
{
	struct vjail *j = new_jail(0, VJAIL_ACTION_LOG, 0);

	enter_seccomp_only(j);
	int80_getpid();
}
END_TEST

START_TEST(x32_abi_is_killed)
{
	struct vjail *j = new_jail(0, 0, 0);

	enter_seccomp_only(j);
	syscall(X32_SYSCALL_BIT | SYS_getpid);
}
END_TEST

/* ---- no set-uid or set-gid file planted from a jail ---------------------- */

/*
 * The escape: a jail writes a file into a read-write bind, makes it set-uid
 * (or set-gid), and a host user who runs it later gains the file owner's
 * uid: host root when root runs the jail (identity uid map). Every way to
 * give a file those bits must fail inside a real jail, the file on the host
 * must not have them, and running it as host nobody must not raise the
 * effective uid or gid.
 */
static char setid_dir[64];

static void setid_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", setid_dir, name);
}

/* A copy of id(1) in the scratch directory, made by the test's user: the
 * jail (identity map) sees it as its own file. */
static void copy_id(const char *to)
{
	char buf[1 << 16];
	int in = open("/usr/bin/id", O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	ssize_t n;

	ck_assert(in >= 0 && out >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ck_assert_int_eq(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
	ck_assert_int_eq(chmod(to, 0755), 0);
}

#define SETID_DENIED(call)                                                     \
	do {                                                                   \
		errno = 0;                                                     \
		ck_assert_msg((call) == -1 && errno == EPERM,                 \
			      "%s: not refused with EPERM (errno %d)", #call,  \
			      errno);                                          \
	} while (0)

/* In the jail: every set-id mode refused, the ordinary modes allowed. */
static void try_setid_plants(void)
{
	struct open_how how = { .flags = O_WRONLY | O_CREAT,
				.mode = 04755 };
	int fd;

	ck_assert_int_eq(chdir("/data"), 0);
	fd = open("id", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	SETID_DENIED(syscall(SYS_chmod, "id", 04755));
	SETID_DENIED(syscall(SYS_chmod, "id", 02755));
	/* the kernel keeps 16 bits of a mode: so does the check */
	SETID_DENIED(syscall(SYS_chmod, "id", 0x100000000UL | 04755));
	SETID_DENIED(syscall(SYS_fchmod, fd, 06755));
	SETID_DENIED(syscall(SYS_fchmodat, AT_FDCWD, "id", 04755));
	SETID_DENIED(syscall(nr_of("fchmodat2"), AT_FDCWD, "id", 02755, 0));
	SETID_DENIED(syscall(SYS_open, "o-suid", O_WRONLY | O_CREAT, 04755));
	SETID_DENIED(syscall(SYS_openat, AT_FDCWD, "o-sgid",
			     O_WRONLY | O_CREAT | O_EXCL, 02755));
	SETID_DENIED(syscall(SYS_openat, AT_FDCWD, ".",
			     O_WRONLY | O_TMPFILE, 04755));
	SETID_DENIED(syscall(SYS_creat, "c-suid", 04755));
	SETID_DENIED(syscall(SYS_mkdir, "d-sgid", 02755));
	SETID_DENIED(syscall(SYS_mkdirat, AT_FDCWD, "d-suid", 04755));
	SETID_DENIED(syscall(SYS_mknod, "p-suid", S_IFIFO | 04644, 0));
	SETID_DENIED(syscall(SYS_mknodat, AT_FDCWD, "p-sgid", S_IFIFO | 02644,
			     0));
	/* openat2's mode is in memory: ENOSYS, libc falls back to openat */
	errno = 0;
	ck_assert_int_eq(syscall(SYS_openat2, AT_FDCWD, "o2", &how,
				 sizeof(how)),
			 -1);
	ck_assert_int_eq(errno, ENOSYS);
	/* file capabilities: no extended attribute may be set */
	ck_assert_int_eq(syscall(SYS_setxattr, "id", "security.capability",
				 "x", 1, 0),
			 -1);
	ck_assert_int_eq(errno, EOPNOTSUPP);
	ck_assert_int_eq(syscall(SYS_lsetxattr, "id", "user.x", "x", 1, 0),
			 -1);
	ck_assert_int_eq(errno, EOPNOTSUPP);
	ck_assert_int_eq(syscall(SYS_fsetxattr, fd, "security.capability",
				 "x", 1, 0),
			 -1);
	ck_assert_int_eq(errno, EOPNOTSUPP);
	close(fd);
	/* nothing was created by the refused calls */
	ck_assert_int_eq(access("o-suid", F_OK), -1);
	ck_assert_int_eq(access("c-suid", F_OK), -1);
	ck_assert_int_eq(access("d-sgid", F_OK), -1);
	ck_assert_int_eq(access("p-suid", F_OK), -1);
	/* the ordinary modes work (on another file: should a plant above
	 * have worked, the host side of the test must see it) */
	fd = (int)syscall(SYS_open, "ok", O_WRONLY | O_CREAT | O_CLOEXEC,
			  0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(syscall(SYS_fchmod, fd, 0640), 0);
	close(fd);
	ck_assert_int_eq(syscall(SYS_chmod, "ok", 0644), 0);
	ck_assert_int_eq(syscall(SYS_fchmodat, AT_FDCWD, "ok", 0755), 0);
	fd = (int)syscall(SYS_openat, AT_FDCWD, ".",
			  O_WRONLY | O_TMPFILE | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	/* without O_CREAT the mode is unused and not checked */
	fd = (int)syscall(SYS_openat, AT_FDCWD, "ok", O_RDONLY | O_CLOEXEC,
			  04755);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(syscall(SYS_mkdir, "d-ok", 0755), 0);
	ck_assert_int_eq(mkfifo("p-ok", 0600), 0);
}

/* As host nobody, run the id(1) at @path: does it run with another
 * effective uid or gid? id prints "euid=" and "egid=" only then. Returns
 * 1 if so, 0 if not, -1 if it did not run. */
static int id_gains_ids(const char *path)
{
	char out[512] = "";
	int p[2], st;
	pid_t pid;
	ssize_t n;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		gid_t g = 65534;

		if (dup2(p[1], STDOUT_FILENO) < 0 ||
		    (geteuid() == 0 &&
		     (setgroups(1, &g) != 0 ||
		      setresgid(65534, 65534, 65534) != 0 ||
		      setresuid(65534, 65534, 65534) != 0)))
			_exit(126);
		execl(path, path, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	n = read(p[0], out, sizeof(out) - 1);
	close(p[0]);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0 || n <= 0)
		return -1;
	return strstr(out, "euid=") != NULL || strstr(out, "egid=") != NULL;
}

START_TEST(setid_files_cannot_be_planted)
{
	static const char *const absent[] = { "o-suid", "o-sgid", "c-suid",
					      "d-sgid", "d-suid", "p-suid",
					      "p-sgid", "o2" };
	static const char *const present[] = { "id", "ok", "d-ok", "p-ok" };
	char tmpl[] = "/tmp/vjail-setid-XXXXXX", path[128], bad[256] = "";
	char *root = vj_test_make_root();
	struct stat st;
	int status, gains;
	pid_t pid;

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	snprintf(setid_dir, sizeof(setid_dir), "%s", tmpl);
	ck_assert_int_eq(chmod(setid_dir, 0755), 0); /* nobody runs id */
	setid_path(path, sizeof(path), "id");
	copy_id(path);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct vjail *j;
		int rc;

		ck_assert_int_eq(vjail_create(&j, root, 0), 0);
		ck_assert_int_eq(vjail_namespaces(j, VJAIL_NS_DEFAULT &
							     ~VJAIL_NS_TIME),
				 0);
		ck_assert_int_eq(vjail_bind(j, setid_dir, "/data",
					    VJAIL_BIND_RW),
				 0);
		vj_test_keep_harness_fds(j);
		entered = 1;
		rc = vjail_enter(j, 0);
		ck_assert_msg(rc == 0, "enter: %d (%s)", rc,
			      vjail_strerror(j));
		try_setid_plants();
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	/* on the host: the refused files do not exist, the others carry
	 * no set-id bit; and the escape itself, the jail's id(1) run as
	 * host nobody. Collected first, so that a failure cleans up too. */
	for (size_t i = 0; i < ARRAY_SIZE(absent) && bad[0] == '\0'; i++) {
		setid_path(path, sizeof(path), absent[i]);
		if (lstat(path, &st) == 0)
			snprintf(bad, sizeof(bad), "%s exists on the host, "
				 "mode %o", path, (unsigned int)st.st_mode);
	}
	for (size_t i = 0; i < ARRAY_SIZE(present) && bad[0] == '\0'; i++) {
		setid_path(path, sizeof(path), present[i]);
		if (lstat(path, &st) != 0)
			snprintf(bad, sizeof(bad), "%s missing", path);
		else if (st.st_mode & (S_ISUID | S_ISGID))
			snprintf(bad, sizeof(bad), "%s has mode %o on the host",
				 path, (unsigned int)st.st_mode);
	}
	setid_path(path, sizeof(path), "id");
	gains = id_gains_ids(path);
	vj_test_remove_tree(setid_dir);
	vj_test_remove_tree(root);
	free(root);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "jail status %#x", status);
	ck_assert_msg(bad[0] == '\0', "%s", bad);
	ck_assert_msg(gains == 0, "%s as host nobody: %s", path,
		      gains < 0 ? "did not run" : "other effective ids");
}
END_TEST

/* ---- the caller's rules -------------------------------------------------- */

START_TEST(rules_override_the_profile)
{
	struct vjail *j = new_jail(0, 0, 0);

	/* deny what the profile allows, with another errno */
	ck_assert_int_eq(vjail_syscall_rule(j, "getppid", VJAIL_ACTION_ERRNO,
					    EACCES),
			 0);
	/* allow what it denies */
	ck_assert_int_eq(vjail_syscall_rule(j, "setns", VJAIL_ACTION_ALLOW, 0),
			 0);
	/* replace an argument check: every persona, every ioctl */
	ck_assert_int_eq(vjail_syscall_rule(j, "personality",
					    VJAIL_ACTION_ALLOW, 0),
			 0);
	ck_assert_int_eq(vjail_syscall_rule(j, "ioctl", VJAIL_ACTION_ALLOW, 0),
			 0);
	ck_assert_int_eq(vjail_syscall_rule(j, "clone3", VJAIL_ACTION_ALLOW, 0),
			 0);
	/* log one denied call; deny one with the default action itself */
	ck_assert_int_eq(vjail_syscall_rule(j, "umount2", VJAIL_ACTION_LOG, 0),
			 0);
	ck_assert_int_eq(vjail_syscall_rule(j, "mount", VJAIL_ACTION_ERRNO,
					    EPERM),
			 0);
	enter_seccomp_only(j);
	errno = 0; /* glibc's getppid() cannot fail, so it sets no errno */
	ck_assert_int_eq(syscall(SYS_getppid), -1);
	ck_assert_int_eq(errno, EACCES);
	ck_assert_int_eq(syscall(SYS_setns, -1, 0), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_ge(personality(PER_LINUX | ADDR_NO_RANDOMIZE), 0);
	ck_assert_int_eq(ioctl(-1, TIOCSTI, "x"), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(syscall(SYS_clone3, NULL, 0), -1);
	ck_assert_int_eq(errno, EINVAL); /* the kernel's own answer */
	ck_assert_int_eq(syscall(SYS_umount2, "/nonexistent", -1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(syscall(SYS_mount, NULL, NULL, NULL, 0, NULL), -1);
	ck_assert_int_eq(errno, EPERM);
	/* socket's AF_VSOCK check is still there */
	ck_assert_int_eq(socket(AF_VSOCK, SOCK_STREAM, 0), -1);
	ck_assert_int_eq(errno, EPERM);
	vjail_destroy(j);
}
END_TEST

START_TEST(rule_kills)
{
	struct vjail *j = new_jail(0, 0, 0);

	ck_assert_int_eq(vjail_syscall_rule(j, "getppid", VJAIL_ACTION_KILL, 0),
			 0);
	enter_seccomp_only(j);
	syscall(SYS_getppid);
}
END_TEST

START_TEST(rule_traps)
{
	struct vjail *j = new_jail(0, 0, 0);

	ck_assert_int_eq(vjail_syscall_rule(j, "getppid", VJAIL_ACTION_TRAP, 0),
			 0);
	catch_sigsys();
	enter_seccomp_only(j);
	trap_nr = -1;
	syscall(SYS_getppid);
	ck_assert_int_eq(trap_nr, SYS_getppid);
	ck_assert_int_eq(trap_code, SYS_SECCOMP);
	vjail_destroy(j);
}
END_TEST

START_TEST(rule_opens_minimal)
{
	struct vjail *j = new_jail(VJAIL_PROFILE_MINIMAL, 0, 0);
	int fd;

	ck_assert_int_eq(vjail_syscall_rule(j, "openat", VJAIL_ACTION_ALLOW, 0),
			 0);
	enter_seccomp_only(j);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	close(fd);
}
END_TEST

/* ---- the suite --------------------------------------------------------- */

static void add_live(TCase *tc)
{
	tcase_add_test(tc, profile_none_loads_nothing);
	tcase_add_test(tc, every_denial_returns_the_errno);
	tcase_add_test(tc, default_action_is_eperm);
	tcase_add_test(tc, argument_checks_deny);
	tcase_add_test(tc, namespace_clones_fail);
	tcase_add_test(tc, every_denial_kills);
	tcase_add_test(tc, every_denial_traps);
	tcase_add_test(tc, learn_mode_allows_and_logs);
	tcase_add_test(tc, daemon_work_is_allowed);
	tcase_add_test(tc, threads_and_fork_work);
	tcase_add_test(tc, minimal_allows_io_only);
	tcase_add_test_raise_signal(tc, init_filter_kills_the_rest, SIGSYS);
	tcase_add_test_raise_signal(tc, i386_abi_is_killed, SIGSYS);
	tcase_add_test_raise_signal(tc, i386_abi_is_killed_in_learn_mode,
				    SIGSYS);
	tcase_add_test_raise_signal(tc, x32_abi_is_killed, SIGSYS);
	tcase_add_test(tc, rules_override_the_profile);
	tcase_add_test_raise_signal(tc, rule_kills, SIGSYS);
	tcase_add_test(tc, rule_traps);
	tcase_add_test(tc, rule_opens_minimal);
	tcase_add_test(tc, setid_files_cannot_be_planted);
}

/* The nobody case must really run without privilege. */
START_TEST(nobody_is_unprivileged)
{
	ck_assert_uint_ne(geteuid(), 0);
	ck_assert_uint_ne(getegid(), 0);
}
END_TEST

static Suite *seccomp_suite(void)
{
	Suite *s = suite_create("seccomp");
	TCase *tables = tcase_create("tables");
	TCase *root = tcase_create("root");
	TCase *nobody = tcase_create("nobody");

	tcase_add_test(tables, tables_are_consistent);
	tcase_add_test(tables, man_page_names_every_entry);
	tcase_add_test(tables, allowed_syscalls_are_constant_actions);
	tcase_add_test(tables, default_is_daemon_with_eperm);
	tcase_add_test(tables, profile_none_refuses_rules);
	tcase_add_test(tables, unknown_names_fail_cleanly);
	tcase_add_test(tables, missing_kernel_support_is_an_error);
	tcase_add_test(tables, each_form_answers_as_two_filters);
	tcase_add_test(tables, stock_programs_match_libseccomp);
	tcase_add_test(tables, stock_programs_only_for_stock_handles);
	suite_add_tcase(s, tables);

	add_live(root);
	suite_add_tcase(s, root);
	/* a checked fixture runs in each test's own (forked) process */
	tcase_add_checked_fixture(nobody, become_nobody, NULL);
	tcase_add_test(nobody, nobody_is_unprivileged);
	add_live(nobody);
	suite_add_tcase(s, nobody);
	return s;
}

int main(void)
{
	struct rlimit no_core = { 0, 0 };

	/* tests that end in SIGSYS must not leave core files behind */
	if (setrlimit(RLIMIT_CORE, &no_core) != 0) {
		perror("setrlimit RLIMIT_CORE");
		return 99;
	}
	return vj_test_run(seccomp_suite());
}
