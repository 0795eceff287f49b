/* libvjail/config.c - policy files (vjail.conf(5)): a pure parser that will
 * fill a handle all or nothing, and the dump of a handle in the same format.
 */
#include <errno.h>
#include <fcntl.h>

#include "args.h"
#include "error.h"
#include "jail.h"

/* Documented in include/vjail.h. */
VJAIL_API int vjail_load_config(struct vjail *j, const char *path)
{
	int rc = vj_check_new(j, "load config");

	if (rc == 0)
		rc = vj_check_abs_path(j, "config file", path, false);
	if (rc < 0)
		return rc;
	return vj_fail_msg(j, ENOSYS, "load config %s: not implemented in "
			   "libvjail %s", path, PACKAGE_VERSION);
}

/* Documented in include/vjail.h. */
VJAIL_API int vjail_dump_config(const struct vjail *j, int fd)
{
	(void)j;
	if (fd < 0 || fcntl(fd, F_GETFD) < 0)
		return -EBADF;
	return -ENOSYS;
}
