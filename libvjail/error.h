/* libvjail/error.h - the two ways to fail: prepare (return) and commit (die).
 */
#ifndef VJ_ERROR_H
#define VJ_ERROR_H

struct vjail;

/* Record "<step> <object>: <strerror(err)>" on the handle and return -err.
 * Prepare phase and setters only: it formats with vsnprintf. */
int vj_fail(struct vjail *j, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record "<text>" (no errno reason appended) and return -err. For bad
 * arguments where strerror(EINVAL) would add nothing. */
int vj_fail_msg(struct vjail *j, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Commit phase: write "libvjail: <step> <object>: <reason>" to stderr and
 * _exit(VJAIL_EXIT_COMMIT). Async-signal-safe; never returns. */
void vj_commit_die(const char *step, const char *object, int err)
	__attribute__((noreturn));

/* Commit: name @object (copied: it may live on the stack) as the object of
 * the failing step and return @rc. */
int vj_commit_fail(struct vjail *j, const char *object, int rc);

/* Common preamble of every setter: -EALREADY once the handle was used. */
int vj_check_new(struct vjail *j, const char *what);

#endif /* VJ_ERROR_H */
