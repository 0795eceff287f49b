/* libvjail/seccomp.c - the syscall policy: profile choice, the action on a
 * denied call and per-syscall rules (the setters); compiling them with
 * libseccomp into raw BPF in prepare; loading that BPF in commit.
 *
 * Why raw BPF: seccomp_load() regenerates the program from libseccomp's
 * database every time and allocates (make bench: about 1 ms against 0.1 ms
 * for the raw load of the daemon filters); commit may run after fork and
 * must not allocate. So prepare exports the program once
 * (seccomp_export_bpf) and commit hands it to the kernel.
 *
 * Why no TSYNC: vjail_enter() refuses a caller with more than one thread
 * (-EBUSY, DESIGN.md), so the filter is loaded into the only thread; every
 * thread or process created afterwards inherits it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <linux/filter.h>
#include <seccomp.h>

#include "kernel/compat.h"
#include "kernel/probe.h"
#include "kernel/syscalls.h"
#include "args.h"
#include "error.h"
#include "jail.h"
#include "seccomp-profiles.h"

#define VJ_ERRNO_MAX 4095 /* SECCOMP_RET_DATA holds it; MAX_ERRNO */

static int check_action(struct vjail *j, const char *what,
			enum vjail_action action, int err, bool allow_ok)
{
	if (action < VJAIL_ACTION_ERRNO || action > VJAIL_ACTION_ALLOW ||
	    (action == VJAIL_ACTION_ALLOW && !allow_ok))
		return vj_fail_msg(j, EINVAL, "%s: bad action %d", what,
				   (int)action);
	if (action == VJAIL_ACTION_ERRNO && (err < 1 || err > VJ_ERRNO_MAX))
		return vj_fail_msg(j, EINVAL, "%s: errno %d, want 1 to %d",
				   what, err, VJ_ERRNO_MAX);
	if (action != VJAIL_ACTION_ERRNO && err != 0)
		return vj_fail_msg(j, EINVAL,
				   "%s: errno %d given for an action that "
				   "takes none",
				   what, err);
	return 0;
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_seccomp_profile(struct vjail *j,
				    enum vjail_profile profile)
{
	int rc = vj_check_new(j, "seccomp profile");

	if (rc < 0)
		return rc;
	if (profile < VJAIL_PROFILE_NONE || profile > VJAIL_PROFILE_MINIMAL)
		return vj_fail_msg(j, EINVAL, "seccomp profile %d: unknown",
				   (int)profile);
	if (j->sc.profile != 0)
		return vj_fail_msg(j, EEXIST, "seccomp profile: already chosen");
	j->sc.profile = profile;
	return 0;
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_seccomp_default_action(struct vjail *j,
					   enum vjail_action action, int err)
{
	int rc = vj_check_new(j, "seccomp default action");

	if (rc == 0)
		rc = check_action(j, "seccomp default action", action, err,
				  false);
	if (rc < 0)
		return rc;
	if (j->sc.deny_action != 0)
		return vj_fail_msg(j, EEXIST,
				   "seccomp default action: already chosen");
	j->sc.deny_action = action;
	j->sc.deny_err = err;
	return 0;
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_syscall_rule(struct vjail *j, const char *name,
				 enum vjail_action action, int err)
{
	struct vj_sc_rule *r;
	int nr, rc = vj_check_new(j, "syscall rule");

	if (rc == 0)
		rc = vj_check_text(j, "syscall rule name", name, 64, true);
	if (rc < 0)
		return rc;
	/* A name libseccomp knows only for another architecture resolves
	 * to a negative pseudo number: refused as well, since the filter
	 * covers the native architecture alone. */
	nr = seccomp_syscall_resolve_name(name);
	if (nr == __NR_SCMP_ERROR || nr < 0)
		return vj_fail_msg(j, EINVAL,
				   "syscall rule %s: not a syscall of this "
				   "architecture",
				   name);
	rc = check_action(j, name, action, err, true);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < j->sc.nrules; i++)
		if (j->sc.rules[i].nr == nr)
			return vj_fail_msg(j, EEXIST,
					   "syscall rule %s: already given",
					   name);
	r = vj_push(j, (void **)&j->sc.rules, &j->sc.nrules, sizeof(*r));
	if (r == NULL)
		return -ENOMEM;
	r->nr = nr;
	r->action = action;
	r->err = err;
	return 0;
}

/* ---- prepare: compile -------------------------------------------------- */

static uint32_t scmp_action(enum vjail_action action, int err)
{
	switch (action) {
	case VJAIL_ACTION_ERRNO:
		return SCMP_ACT_ERRNO((uint32_t)err);
	case VJAIL_ACTION_KILL:
		/* the whole process, not the thread: a half-killed daemon
		 * holding locks is worse than a dead one */
		return SCMP_ACT_KILL_PROCESS;
	case VJAIL_ACTION_TRAP:
		return SCMP_ACT_TRAP;
	case VJAIL_ACTION_LOG:
		return SCMP_ACT_LOG;
	case VJAIL_ACTION_ALLOW:
	default:
		return SCMP_ACT_ALLOW;
	}
}

static void free_progs(struct vj_sc *sc)
{
	free(sc->prog);
	free(sc->argprog);
	free(sc->init_prog);
	sc->prog = sc->argprog = sc->init_prog = NULL;
	sc->prog_len = sc->argprog_len = sc->init_prog_len = 0;
}

/* A libseccomp context for the native architecture alone. i386 (int 0x80)
 * and x32 (syscall numbers with bit 30 set, which libseccomp checks for on
 * x86_64) are not added, so they take the bad-architecture action: kill. */
static int new_ctx(struct vjail *j, const char *what, uint32_t dflt,
		   scmp_filter_ctx *ctx)
{
	int rc;

	*ctx = seccomp_init(dflt);
	if (*ctx == NULL) {
		/* seccomp_init() refuses an action the kernel or the
		 * library's API level lacks (KILL_PROCESS and LOG need
		 * level 3, Linux 4.14), else it ran out of memory. */
		if (seccomp_api_get() < 3)
			return vj_fail_msg(j, EOPNOTSUPP,
					   "seccomp %s filter: libseccomp API "
					   "level %u, need 3 (Linux 4.14)",
					   what, seccomp_api_get());
		return vj_fail(j, ENOMEM, "seccomp %s filter: seccomp_init",
			       what);
	}
	rc = seccomp_attr_set(*ctx, SCMP_FLTATR_ACT_BADARCH,
			      SCMP_ACT_KILL_PROCESS);
	/* libvjail sets no_new_privs itself, in the credentials step. */
	if (rc == 0)
		rc = seccomp_attr_set(*ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (rc < 0) {
		seccomp_release(*ctx);
		*ctx = NULL;
		return vj_fail(j, -rc, "seccomp %s filter: attributes", what);
	}
	/* Binary tree of syscall numbers (libseccomp 2.5+): O(log n) for
	 * what the kernel's action cache does not already skip. An older
	 * libseccomp keeps its linear, priority-ordered program. */
	rc = seccomp_attr_set(*ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (rc < 0 && rc != -EINVAL && rc != -EOPNOTSUPP) {
		seccomp_release(*ctx);
		*ctx = NULL;
		return vj_fail(j, -rc, "seccomp %s filter: optimize", what);
	}
	return 0;
}

/* Export @ctx as raw BPF into a malloc'd buffer. */
static int export_prog(struct vjail *j, const char *what, scmp_filter_ctx ctx,
		       void **prog, unsigned short *len)
{
	size_t size = 0;
	void *buf;
	int rc;

#if HAVE_DECL_SECCOMP_EXPORT_BPF_MEM
	/* libseccomp 2.6+: ask the size, then fill. */
	rc = seccomp_export_bpf_mem(ctx, NULL, &size);
	if (rc < 0)
		return vj_fail(j, -rc, "seccomp %s filter: export", what);
	buf = malloc(size ? size : 1);
	if (buf == NULL)
		return vj_fail(j, ENOMEM, "seccomp %s filter: export", what);
	rc = seccomp_export_bpf_mem(ctx, buf, &size);
	if (rc < 0) {
		free(buf);
		return vj_fail(j, -rc, "seccomp %s filter: export", what);
	}
#else
	/* libseccomp 2.5 writes only to a descriptor. A memfd never blocks
	 * (a pipe would, past its capacity) and touches no filesystem. */
	struct stat st;
	ssize_t n;
	int fd;

	fd = memfd_create("vjail-seccomp", MFD_CLOEXEC);
	if (fd < 0)
		return vj_fail(j, errno, "seccomp %s filter: memfd_create",
			       what);
	rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0) {
		close(fd);
		return vj_fail(j, -rc, "seccomp %s filter: export", what);
	}
	if (fstat(fd, &st) != 0) {
		rc = errno;
		close(fd);
		return vj_fail(j, rc, "seccomp %s filter: fstat memfd", what);
	}
	size = (size_t)st.st_size;
	buf = malloc(size ? size : 1);
	if (buf == NULL) {
		close(fd);
		return vj_fail(j, ENOMEM, "seccomp %s filter: export", what);
	}
	n = pread(fd, buf, size, 0);
	rc = errno;
	close(fd);
	if (n < 0 || (size_t)n != size) {
		free(buf);
		return vj_fail(j, n < 0 ? rc : EIO,
			       "seccomp %s filter: read back %zu bytes", what,
			       size);
	}
#endif
	/* The kernel's limits (BPF_MAXINSNS): check here, not in commit. */
	if (size == 0 || size % sizeof(struct sock_filter) != 0 ||
	    size / sizeof(struct sock_filter) > BPF_MAXINSNS) {
		free(buf);
		return vj_fail_msg(j, E2BIG,
				   "seccomp %s filter: %zu bytes of BPF, want "
				   "1 to %d instructions",
				   what, size, BPF_MAXINSNS);
	}
	*prog = buf;
	*len = (unsigned short)(size / sizeof(struct sock_filter));
	return 0;
}

/* The library's pid-1 init: a fixed list, everything else kills it. */
static int prepare_init(struct vjail *j)
{
	struct vj_sc_build b = { .deny = SCMP_ACT_KILL_PROCESS };
	int rc;

	rc = new_ctx(j, "init", SCMP_ACT_KILL_PROCESS, &b.main);
	if (rc < 0)
		return rc;
	rc = vj_sc_build_profile(&vj_sc_init, &b);
	if (rc < 0)
		rc = vj_fail(j, -rc, "seccomp init filter: rule for %s",
			     b.failed);
	else
		rc = export_prog(j, "init", b.main, &j->sc.init_prog,
				 &j->sc.init_prog_len);
	seccomp_release(b.main);
	return rc;
}

/* The jail's filters: the profile's allowlist, the caller's rules on top,
 * and, if the profile needs one, the argument filter. */
static int prepare_jail(struct vjail *j, const struct vj_sc_profile *p,
			uint32_t deny)
{
	struct vj_sc_build b = { .deny = deny,
				 .skip = j->sc.rules,
				 .nskip = j->sc.nrules };
	int rc;

	rc = new_ctx(j, p->name, deny, &b.main);
	if (rc < 0)
		return rc;
	rc = new_ctx(j, "argument", SCMP_ACT_ALLOW, &b.args);
	if (rc < 0)
		goto out;
	rc = vj_sc_build_profile(p, &b);
	if (rc < 0) {
		rc = vj_fail(j, -rc, "seccomp %s profile: rule for %s",
			     p->name, b.failed);
		goto out;
	}
	/* The caller's rules replace the profile's entry for that syscall,
	 * argument checks included (vjail_syscall_rule() says so). A rule
	 * equal to the deny action is the default already. */
	for (size_t i = 0; i < j->sc.nrules; i++) {
		const struct vj_sc_rule *r = &j->sc.rules[i];
		uint32_t act = scmp_action(r->action, r->err);

		if (act == deny)
			continue;
		rc = seccomp_rule_add(b.main, act, r->nr, 0);
		if (rc < 0) {
			char *name = seccomp_syscall_resolve_num_arch(
				SCMP_ARCH_NATIVE, r->nr);

			rc = vj_fail(j, -rc, "seccomp syscall rule %s",
				     name ? name : "?");
			free(name);
			goto out;
		}
	}
	rc = export_prog(j, p->name, b.main, &j->sc.prog, &j->sc.prog_len);
	if (rc == 0 && b.nargs > 0)
		rc = export_prog(j, "argument", b.args, &j->sc.argprog,
				 &j->sc.argprog_len);
out:
	if (b.args != NULL)
		seccomp_release(b.args);
	seccomp_release(b.main);
	return rc;
}

static bool uses_log(const struct vj_sc *sc)
{
	if (sc->deny_action == VJAIL_ACTION_LOG)
		return true;
	for (size_t i = 0; i < sc->nrules; i++)
		if (sc->rules[i].action == VJAIL_ACTION_LOG)
			return true;
	return false;
}

int vj_sc_prepare(struct vjail *j)
{
	enum vjail_profile profile = j->sc.profile ? j->sc.profile
						   : VJAIL_PROFILE_DAEMON;
	enum vjail_action action = j->sc.deny_action ? j->sc.deny_action
						     : VJAIL_ACTION_ERRNO;
	int err = j->sc.deny_action ? j->sc.deny_err : EPERM;
	uint64_t feat = vj_probe_seccomp(); /* not the full probe: enter's cost */
	int rc;

	free_progs(&j->sc); /* prepare may run again after a failure */
	if (profile == VJAIL_PROFILE_NONE &&
	    (j->sc.nrules > 0 || j->sc.deny_action != 0))
		return vj_fail_msg(j, EINVAL,
				   "seccomp profile none: %s given, but this "
				   "profile loads no filter; choose daemon or "
				   "minimal",
				   j->sc.nrules > 0 ? "syscall rules"
						    : "a default action");
	/* Learn mode is the whole point of LOG: never degrade it silently,
	 * waiver or not. */
	if (uses_log(&j->sc) && !(feat & VJAIL_FEAT_SECCOMP_LOG))
		return vj_fail_msg(j, EOPNOTSUPP,
				   "seccomp action log: the kernel lacks "
				   "SECCOMP_RET_LOG (Linux 4.14)");
	if (!(feat & VJAIL_FEAT_SECCOMP)) {
		if (profile == VJAIL_PROFILE_NONE ||
		    vj_waived(j, VJAIL_FEAT_SECCOMP))
			return 0; /* nothing enforced; vjail_enforced() says */
		return vj_fail_msg(j, EOPNOTSUPP,
				   "seccomp filter: the kernel offers none "
				   "(CONFIG_SECCOMP_FILTER, or an outer "
				   "sandbox refuses seccomp(2))");
	}
	rc = prepare_init(j);
	if (rc == 0 && profile != VJAIL_PROFILE_NONE)
		rc = prepare_jail(j, vj_sc_profile_of(profile),
				  scmp_action(action, err));
	if (rc < 0)
		free_progs(&j->sc);
	else if (j->sc.prog != NULL)
		j->enforced |= VJAIL_FEAT_SECCOMP;
	return rc;
}

/* ---- commit: load -------------------------------------------------------- */

/* Async-signal-safe: one system call on memory prepared earlier. */
static int load(void *prog, unsigned short len)
{
	struct sock_fprog fprog = { .len = len,
				    .filter = (struct sock_filter *)prog };

	if (vj_sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &fprog) != 0)
		return -errno;
	return 0;
}

int vj_sc_commit(struct vjail *j)
{
	int rc;

	/* The argument filter first: the main filter, once loaded, may deny
	 * seccomp(2) itself (the minimal profile does). */
	if (j->sc.argprog != NULL) {
		rc = load(j->sc.argprog, j->sc.argprog_len);
		if (rc < 0)
			return rc;
	}
	if (j->sc.prog != NULL)
		return load(j->sc.prog, j->sc.prog_len);
	return 0;
}

void vj_sc_free(struct vjail *j)
{
	free(j->sc.rules);
	j->sc.rules = NULL;
	j->sc.nrules = 0;
	free_progs(&j->sc);
}
