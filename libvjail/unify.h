/* libvjail/unify.h - internals of unification that the unit tests reach:
 * the content hash and, in the testing build only, a hook that runs at
 * chosen points of a run so a test can change a file at the worst moment.
 */
#ifndef VJ_UNIFY_H
#define VJ_UNIFY_H

#include <stddef.h>
#include <stdint.h>

/* Name of the extended attribute that marks a shared copy and keeps the
 * owner and mode it had before protection: "v1 <uid> <gid> <octal mode>".
 * In the trusted namespace so that only CAP_SYS_ADMIN can set or read it:
 * a jail cannot forge one to be "restored" to another owner by a split. */
#define VJ_UNIFY_MARKER "trusted.vjail.unify"

/* 64-bit non-cryptographic hash of @len bytes, keyed by @seed. Used only
 * to split large groups of same-size files; every link is confirmed by a
 * byte compare. */
uint64_t vj_unify_hash(const void *data, size_t len, uint64_t seed);

#ifdef VJ_TESTING
enum vj_unify_hook_point {
	VJ_UNIFY_HOOK_COMPARED = 1, /* a duplicate was compared equal and is
				       about to be replaced; @path is it */
	VJ_UNIFY_HOOK_WALKED = 2,   /* the walk is done; @path is NULL */
};

/* Called, when set, at each hook point; from a worker thread. */
extern void (*vj_unify_test_hook)(enum vj_unify_hook_point point,
				  const char *path);
#endif

#endif /* VJ_UNIFY_H */
