/* libvjail/timens.c - virtual uptime: the boottime and monotonic offsets of
 * the jail's time namespace (time_namespaces(7)).
 *
 * unshare(CLONE_NEWTIME) does not move the caller: its children are born in
 * the new namespace, and the offsets can be written only until the first
 * one is. So the offsets are written right after the unshare, and a caller
 * without a pid namespace (no child to carry on) joins its own
 * time_for_children namespace with setns(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bsd/string.h>

#include "kernel/compat.h"
#include "asyncsafe.h"
#include "error.h"
#include "jail.h"

/* Documented in include/vjail.h. */
VJAIL_API int vjail_set_uptime(struct vjail *j, int64_t seconds)
{
	int rc = vj_check_new(j, "uptime");

	if (rc < 0)
		return rc;
	if (seconds < 0 || seconds > VJ_UPTIME_MAX)
		return vj_fail_msg(j, EINVAL,
				   "uptime: %" PRId64
				   " seconds, want 0 to %" PRId64,
				   seconds, VJ_UPTIME_MAX);
	if (j->timens.set)
		return vj_fail_msg(j, EEXIST, "uptime: already set");
	j->timens.uptime = seconds;
	j->timens.set = true;
	return 0;
}

int vj_timens_prepare(struct vjail *j)
{
	if (j->timens.set && !vj_ns_requested(j, VJAIL_NS_TIME))
		return vj_fail_msg(j, EINVAL, "uptime: needs the time "
				   "namespace (VJAIL_NS_TIME)");
	return 0;
}

/* Append "<name> <sec> <nsec>\n" so that @clock reads @target seconds. */
static int append_offset(char *buf, size_t size, const char *name,
			 clockid_t clock, int64_t target)
{
	struct timespec now;
	int64_t sec, nsec;

	if (clock_gettime(clock, &now) != 0)
		return -errno;
	/* offset = target - now, with 0 <= nsec < 1e9 as the kernel wants */
	sec = target - now.tv_sec;
	nsec = -now.tv_nsec;
	if (nsec < 0) {
		sec -= 1;
		nsec += 1000000000;
	}
	strlcat(buf, name, size);
	strlcat(buf, " ", size);
	vj_as_append_i64(buf, size, sec);
	strlcat(buf, " ", size);
	vj_as_append_i64(buf, size, nsec);
	strlcat(buf, "\n", size);
	return 0;
}

int vj_timens_commit(struct vjail *j)
{
	char offsets[128] = "";
	int rc, fd;

	if (!(j->run.ns & VJAIL_NS_TIME))
		return 0;
	j->run.fail_object = "time";
	if (unshare(CLONE_NEWTIME) != 0)
		return -errno;
	rc = append_offset(offsets, sizeof(offsets), "monotonic",
			   CLOCK_MONOTONIC, j->timens.uptime);
	if (rc == 0)
		rc = append_offset(offsets, sizeof(offsets), "boottime",
				   CLOCK_BOOTTIME, j->timens.uptime);
	j->run.fail_object = "/proc/self/timens_offsets";
	if (rc == 0)
		rc = vj_as_write_file("/proc/self/timens_offsets", offsets);
	if (rc < 0 || !j->run.in_place)
		return rc;
	j->run.fail_object = "/proc/self/ns/time_for_children";
	fd = open("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = setns(fd, CLONE_NEWTIME) == 0 ? 0 : -errno;
	close(fd);
	return rc;
}
