/* libvjail/error.c - error text on the handle, and the commit-phase death.
 *
 * Prepare-phase failures write "<step> <object>: <reason>" into a fixed
 * buffer inside the handle: no allocation on an error path, no global
 * last-error state. Commit-phase failures may happen after fork, so
 * vj_commit_die() uses only write(2), strlcat and _exit.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bsd/string.h>

#include "asyncsafe.h"
#include "error.h"
#include "jail.h"

/* strerrordesc_np(): constant English text, no locale, no allocation. */
static const char *reason(int err)
{
	const char *s = strerrordesc_np(err);

	return s != NULL ? s : "Unknown error";
}

int vj_fail(struct vjail *j, int err, const char *fmt, ...)
{
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	vsnprintf(j->errmsg, sizeof(j->errmsg), fmt, ap);
	va_end(ap);
	vj_as_defang(j->errmsg);
	len = strlen(j->errmsg);
	snprintf(j->errmsg + len, sizeof(j->errmsg) - len, ": %s",
		 reason(err));
	return -err;
}

int vj_fail_msg(struct vjail *j, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(j->errmsg, sizeof(j->errmsg), fmt, ap);
	va_end(ap);
	vj_as_defang(j->errmsg);
	return -err;
}

void vj_commit_die(const char *step, const char *object, int err)
{
	char msg[512] = "libvjail: ";

	strlcat(msg, step, sizeof(msg));
	if (object != NULL && object[0] != '\0') {
		strlcat(msg, " ", sizeof(msg));
		strlcat(msg, object, sizeof(msg));
	}
	strlcat(msg, ": ", sizeof(msg));
	strlcat(msg, reason(err), sizeof(msg));
	vj_as_defang(msg);
	strlcat(msg, "\n", sizeof(msg));
	(void)!write(STDERR_FILENO, msg, strlen(msg));
	_exit(VJAIL_EXIT_COMMIT);
}

int vj_commit_fail(struct vjail *j, const char *object, int rc)
{
	strlcpy(j->run.fail_buf, object, sizeof(j->run.fail_buf));
	j->run.fail_object = j->run.fail_buf;
	return rc;
}

int vj_check_new(struct vjail *j, const char *what)
{
	if (j->state == VJ_STATE_NEW)
		return 0;
	return vj_fail_msg(j, EALREADY,
			   "%s: the jail was already entered or spawned", what);
}
