/* tests/bench/floor-common.c - the steps the two hand-written references
 * share (floor-common.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kernel/landlock.h"
#include "kernel/syscalls.h"
#include "floor-common.h"

int floor_write_map(pid_t pid, const char *file, const char *text)
{
	char path[64];
	ssize_t len = (ssize_t)strlen(text), n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, text, (size_t)len);
	if (close(fd) != 0 || n != len) {
		if (n >= 0 && n != len)
			errno = EIO;
		return -1;
	}
	return 0;
}

int floor_landlock_one_rule(void)
{
	struct vj_landlock_ruleset_attr attr = {
		.handled_access_fs = VJ_LL_FS_READ_FILE | VJ_LL_FS_READ_DIR |
				     VJ_LL_FS_WRITE_FILE,
	};
	struct vj_landlock_path_beneath_attr rule = {
		.allowed_access = VJ_LL_FS_READ_FILE | VJ_LL_FS_READ_DIR,
	};
	int rs = vj_sys_landlock_create_ruleset(&attr, sizeof(attr), 0);
	int rc = -1, err;

	if (rs < 0)
		return -1;
	rule.parent_fd = open("/", O_PATH | O_CLOEXEC);
	if (rule.parent_fd >= 0 &&
	    vj_sys_landlock_add_rule(rs, VJ_LANDLOCK_RULE_PATH_BENEATH, &rule,
				     0) == 0 &&
	    vj_sys_landlock_restrict_self(rs, 0) == 0)
		rc = 0;
	err = errno;
	if (rule.parent_fd >= 0 && close(rule.parent_fd) != 0 && rc == 0)
		return -1;
	if (close(rs) != 0 && rc == 0)
		return -1;
	errno = err;
	return rc;
}
