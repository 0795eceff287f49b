/* libvjail/args.c - argument checks shared by the setters.
 *
 * Setters validate everything at once so that a mistake is reported where
 * the caller made it, not later inside vjail_enter().
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "error.h"
#include "jail.h"

static bool has_dotdot(const char *path)
{
	for (const char *p = path; (p = strstr(p, "..")) != NULL; p += 2) {
		bool starts = p == path || p[-1] == '/';
		bool ends = p[2] == '\0' || p[2] == '/';

		if (starts && ends)
			return true;
	}
	return false;
}

int vj_check_abs_path(struct vjail *j, const char *what, const char *path,
		      bool allow_slash)
{
	if (path == NULL)
		return vj_fail_msg(j, EINVAL, "%s: path is NULL", what);
	if (path[0] != '/')
		return vj_fail_msg(j, EINVAL, "%s \"%s\": not an absolute path",
				   what, path);
	if (strlen(path) >= PATH_MAX)
		return vj_fail_msg(j, EINVAL, "%s: path longer than %d bytes",
				   what, PATH_MAX - 1);
	if (has_dotdot(path))
		return vj_fail_msg(j, EINVAL, "%s \"%s\": \"..\" not allowed",
				   what, path);
	if (!allow_slash && path[strspn(path, "/")] == '\0')
		return vj_fail_msg(j, EINVAL, "%s: \"/\" not allowed", what);
	return 0;
}

int vj_check_text(struct vjail *j, const char *what, const char *s,
		  size_t max, bool no_slash)
{
	size_t len;

	if (s == NULL)
		return vj_fail_msg(j, EINVAL, "%s: NULL", what);
	len = strlen(s);
	if (len == 0 || len > max)
		return vj_fail_msg(j, EINVAL, "%s: length %zu, want 1 to %zu",
				   what, len, max);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c > 0x7e || (no_slash && c == '/'))
			return vj_fail_msg(j, EINVAL,
					   "%s: byte 0x%02x at %zu not allowed",
					   what, c, i);
	}
	return 0;
}

int vj_strdup(struct vjail *j, char **dst, const char *src)
{
	*dst = strdup(src);
	if (*dst == NULL)
		return vj_fail(j, ENOMEM, "copy of \"%.64s\"", src);
	return 0;
}

void *vj_push(struct vjail *j, void **arr, size_t *n, size_t size)
{
	char *grown = reallocarray(*arr, *n + 1, size);

	if (grown == NULL) {
		vj_fail(j, ENOMEM, "growing a list of %zu", *n);
		return NULL;
	}
	*arr = grown;
	memset(grown + *n * size, 0, size);
	return grown + (*n)++ * size;
}
