/* libvjail/seccomp.c - the syscall policy: profile choice, the action on a
 * denied call and per-syscall rules (the setters); compiling them with
 * libseccomp into raw BPF in prepare (or taking the precompiled stock
 * programs); loading that BPF in commit.
 *
 * Why raw BPF: seccomp_load() regenerates the program from libseccomp's
 * database every time and allocates (make bench: about 1 ms against 0.1 ms
 * for the raw load of the daemon filters); commit may run after fork and
 * must not allocate. So prepare exports the program once
 * (seccomp_export_bpf, in seccomp-bpf.c) and commit hands it to the kernel.
 *
 * Why precompiled programs: compiling costs about 1.4 ms per enter, most of
 * prepare. A stock profile (daemon or minimal, deny action ERRNO(EPERM), no
 * syscall rules) and the init filter were compiled at build time by the
 * same code (seccomp-stock.h); prepare points at those static arrays when
 * the running libseccomp is the one that built them, and compiles
 * otherwise.
 *
 * Why no TSYNC: vjail_enter() refuses a caller with more than one thread
 * (-EBUSY, DESIGN.md), so the filter is loaded into the only thread; every
 * thread or process created afterwards inherits it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/filter.h>
#include <seccomp.h>

#include "kernel/compat.h"
#include "kernel/probe.h"
#include "kernel/syscalls.h"
#include "args.h"
#include "error.h"
#include "jail.h"
#include "seccomp-bpf.h"
#include "seccomp-profiles.h"
#include "seccomp-stock.h"

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

/* The precompiled programs are static data (seccomp-stock.h): only what
 * vj_sc_compile() allocated is freed. */
static void free_progs(struct vj_sc *sc)
{
	if (!sc->progs_static)
		free((void *)sc->prog);
	if (!sc->init_static)
		free((void *)sc->init_prog);
	free((void *)sc->argprog);
	sc->prog = sc->init_prog = sc->argprog = NULL;
	sc->prog_len = sc->init_prog_len = sc->argprog_len = 0;
	sc->progs_static = sc->init_static = false;
}

static uint32_t rule_action(const struct vj_sc_rule *r)
{
	return scmp_action(r->action, r->err);
}

/* vj_sc_compile()'s failure as "<step> <object>: <reason>". */
static int compile_fail(struct vjail *j, int rc, const struct vj_sc_compiled *c)
{
	char *name;

	if (rc == -EOPNOTSUPP && strcmp(c->step, "seccomp_init") == 0)
		return vj_fail_msg(j, EOPNOTSUPP,
				   "seccomp %s filter: libseccomp API level "
				   "%u, need 3 (Linux 4.14)",
				   c->what, seccomp_api_get());
	if (rc == -E2BIG)
		return vj_fail_msg(j, E2BIG,
				   "seccomp %s filter: more than %d BPF "
				   "instructions",
				   c->what, BPF_MAXINSNS);
	if (strcmp(c->step, "rule") != 0)
		return vj_fail(j, -rc, "seccomp %s filter: %s", c->what,
			       c->step);
	if (c->failed != NULL)
		return vj_fail(j, -rc, "seccomp %s filter: rule for %s",
			       c->what, c->failed);
	name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE,
						c->failed_nr);
	rc = vj_fail(j, -rc, "seccomp syscall rule %s", name ? name : "?");
	free(name);
	return rc;
}

/*
 * The precompiled programs, when they are what libseccomp would produce
 * here: built by this libseccomp version (the generator and the library
 * share the compile code, so the version is what could still differ). NULL
 * otherwise: compile. KILL_PROCESS, which the stock programs use, needs
 * Linux 4.14; so does SECCOMP_GET_ACTION_AVAIL, with which the probe found
 * VJAIL_FEAT_SECCOMP, so the probe's answer covers it.
 */
static const struct vj_sc_stock *usable_stock(void)
{
	const struct vj_sc_stock *st = vj_sc_stock();
	const struct scmp_version *v;

	if (st == NULL)
		return NULL;
	v = seccomp_version();
	if (v == NULL || v->major != st->scmp_major ||
	    v->minor != st->scmp_minor || v->micro != st->scmp_micro)
		return NULL;
	return st;
}

/* The library's pid-1 init: a fixed list, everything else kills it. */
static int prepare_init(struct vjail *j, const struct vj_sc_stock *st)
{
	struct vj_sc_compiled c;
	int rc;

	if (st != NULL && st->init.insns != NULL) {
		j->sc.init_prog = st->init.insns;
		j->sc.init_prog_len = st->init.len;
		j->sc.init_static = true;
		return 0;
	}
	rc = vj_sc_compile(&vj_sc_init, "init", SCMP_ACT_KILL_PROCESS, true,
			   NULL, 0, NULL, &c);
	if (rc < 0)
		return compile_fail(j, rc, &c);
	j->sc.init_prog = c.prog;
	j->sc.init_prog_len = c.prog_len;
	return 0;
}

/*
 * The jail's filter: the profile's allowlist with its argument checks, the
 * caller's rules on top. A stock configuration (no rules, the default deny
 * action) gets one program: the precompiled one, or compiled alike when
 * this libseccomp is not the one that built them. Every other one compiles
 * here, into the main filter and the argument filter, the form that
 * compiles in 1.3 ms instead of 2.2 (seccomp-profiles.c says why).
 */
static int prepare_jail(struct vjail *j, enum vjail_profile profile,
			uint32_t deny, const struct vj_sc_stock *st)
{
	const struct vj_sc_profile *p = vj_sc_profile_of(profile);
	const struct vj_sc_stock_prog *sm = NULL;
	bool stock = j->sc.nrules == 0 && deny == SCMP_ACT_ERRNO(EPERM);
	struct vj_sc_compiled c;
	int rc;

	if (st != NULL && stock)
		sm = profile == VJAIL_PROFILE_DAEMON ? &st->daemon
						     : &st->minimal;
	if (sm != NULL && sm->insns != NULL) {
		j->sc.prog = sm->insns;
		j->sc.prog_len = sm->len;
		j->sc.progs_static = true;
		return 0;
	}
	rc = vj_sc_compile(p, p->name, deny, stock, j->sc.rules, j->sc.nrules,
			   rule_action, &c);
	if (rc < 0)
		return compile_fail(j, rc, &c);
	j->sc.prog = c.prog;
	j->sc.prog_len = c.prog_len;
	j->sc.argprog = c.argprog;
	j->sc.argprog_len = c.argprog_len;
	return 0;
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

static int prepare(struct vjail *j, bool stock_ok)
{
	enum vjail_profile profile = j->sc.profile ? j->sc.profile
						   : VJAIL_PROFILE_DAEMON;
	enum vjail_action action = j->sc.deny_action ? j->sc.deny_action
						     : VJAIL_ACTION_ERRNO;
	int err = j->sc.deny_action ? j->sc.deny_err : EPERM;
	uint64_t feat = vj_probe_seccomp(); /* not the full probe: enter's cost */
	const struct vj_sc_stock *st;
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
	st = stock_ok ? usable_stock() : NULL;
	rc = prepare_init(j, st);
	if (rc == 0 && profile != VJAIL_PROFILE_NONE)
		rc = prepare_jail(j, profile, scmp_action(action, err), st);
	if (rc < 0)
		free_progs(&j->sc);
	else if (j->sc.prog != NULL)
		j->enforced |= VJAIL_FEAT_SECCOMP;
	return rc;
}

int vj_sc_prepare(struct vjail *j)
{
	return prepare(j, true);
}

int vj_sc_prepare_compiled(struct vjail *j)
{
	return prepare(j, false);
}

/* ---- commit: load -------------------------------------------------------- */

/* Async-signal-safe: one system call on memory prepared earlier. */
static int load(const void *prog, unsigned short len)
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
