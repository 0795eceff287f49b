/* libvjail/uts.c - the jail's names: hostname and domainname in the UTS
 * namespace, and the setter of the uname(2) release, version and machine
 * (uname.c makes uname(2) report them).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <bsd/string.h>

#include "args.h"
#include "error.h"
#include "jail.h"
#include "uname.h"

static int set_name(struct vjail *j, const char *what, char *slot,
		    const char *name)
{
	int rc = vj_check_new(j, what);

	if (rc == 0)
		rc = vj_check_text(j, what, name, VJ_UTS_LEN, true);
	if (rc < 0)
		return rc;
	if (slot[0] != '\0')
		return vj_fail_msg(j, EEXIST, "%s: already set", what);
	strlcpy(slot, name, VJ_UTS_LEN + 1);
	return 0;
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_set_hostname(struct vjail *j, const char *name)
{
	return set_name(j, "hostname", j->uts.hostname, name);
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_set_domainname(struct vjail *j, const char *name)
{
	return set_name(j, "domainname", j->uts.domainname, name);
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_set_uname(struct vjail *j, const char *release,
			      const char *version, const char *machine)
{
	const char *field[] = { release, version, machine };
	const char *what[] = { "uname release", "uname version",
			       "uname machine" };
	char *slot[] = { j->uts.release, j->uts.version, j->uts.machine };
	int rc = vj_check_new(j, "uname");

	if (rc < 0)
		return rc;
	if (!release && !version && !machine)
		return vj_fail_msg(j, EINVAL, "uname: no field given");
	if (j->uts.uname_set)
		return vj_fail_msg(j, EEXIST, "uname: already set");
	/* Check all three before copying any: nothing half-applied. */
	for (size_t i = 0; i < ARRAY_SIZE(field); i++) {
		if (field[i] == NULL)
			continue;
		rc = vj_check_text(j, what[i], field[i], VJ_UTS_LEN, false);
		if (rc < 0)
			return rc;
	}
	for (size_t i = 0; i < ARRAY_SIZE(field); i++)
		if (field[i] != NULL)
			strlcpy(slot[i], field[i], VJ_UTS_LEN + 1);
	j->uts.uname_set = true;
	return 0;
}

int vj_uts_prepare(struct vjail *j)
{
	bool named = j->uts.hostname[0] || j->uts.domainname[0];

	/* Waived and missing: the names cannot apply, as the caller
	 * accepted. Not asked for: the names would silently do nothing. */
	if (named && !vj_ns_requested(j, VJAIL_NS_UTS))
		return vj_fail_msg(j, EINVAL,
				   "hostname: needs the UTS namespace "
				   "(VJAIL_NS_UTS)");
	return vj_uname_prepare(j);
}

int vj_uts_commit(struct vjail *j)
{
	/* Without a name of its own the jail must not show the host's. */
	const char *host = j->uts.hostname[0] ? j->uts.hostname : "vjail";

	if (!(j->run.ns & VJAIL_NS_UTS))
		return 0;
	j->run.fail_object = host;
	if (sethostname(host, strlen(host)) != 0)
		return -errno;
	j->run.fail_object = "(none)";
	if (setdomainname(j->uts.domainname, strlen(j->uts.domainname)) != 0)
		return -errno;
	return 0;
}
