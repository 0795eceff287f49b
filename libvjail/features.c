/* libvjail/features.c - the public face of the kernel feature probe, and
 * the library's version.
 */
#include <stddef.h>

#include "jail.h"
#include "kernel/probe.h"

static const char *const feature_names[] = {
	"ns-user",       "ns-pid",          "ns-mount",       "ns-ipc",
	"ns-uts",        "ns-net",          "ns-cgroup",      "ns-time",
	"userns-unpriv", "landlock",        "landlock-net",   "landlock-scope",
	"seccomp",       "seccomp-notif",   "seccomp-log",    "cgroup-v2",
	"cgroup-v1",     "cgroup-memory",   "cgroup-pids",    "cgroup-cpu",
	"cgroup-io",     "uname",           "procview",
};
_Static_assert(ARRAY_SIZE(feature_names) == 23,
	       "one name per VJAIL_FEAT_* bit; update VJAIL_FEAT_ALL too");

/* Documented in include/vjail.h. */
VJAIL_API uint64_t vjail_features(void)
{
	return vj_probe_features();
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_landlock_abi(void)
{
	return vj_probe_landlock_abi();
}

/* Documented in include/vjail.h. */
VJAIL_API const char *vjail_feature_name(uint64_t feature)
{
	if (feature == 0 || (feature & (feature - 1)) != 0 ||
	    (feature & ~VJAIL_FEAT_ALL) != 0)
		return NULL;
	return feature_names[__builtin_ctzll(feature)];
}

/* Documented in include/vjail.h. */
VJAIL_API const char *vjail_version_string(void)
{
	return PACKAGE_VERSION;
}
