/* libvjail/seccomp.c - the syscall policy: profile choice, the action on a
 * denied call, per-syscall rules resolved by libseccomp (and, with the
 * seccomp work, the profiles, the compiled filter and its load).
 */
#include <errno.h>
#include <stdlib.h>
#include <seccomp.h>

#include "args.h"
#include "error.h"
#include "jail.h"

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

void vj_sc_free(struct vjail *j)
{
	free(j->sc.rules);
	j->sc.rules = NULL;
	j->sc.nrules = 0;
}
