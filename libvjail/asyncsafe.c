/* libvjail/asyncsafe.c - string and file helpers safe after fork.
 *
 * Only system calls and stack buffers: commit-phase code uses these instead
 * of stdio, which may allocate and takes locks another thread may hold.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <bsd/string.h>

#include "asyncsafe.h"

void vj_as_append_i64(char *buf, size_t size, int64_t v)
{
	char digits[24];
	size_t n = sizeof(digits) - 1;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	digits[n] = '\0';
	do {
		digits[--n] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		digits[--n] = '-';
	strlcat(buf, digits + n, size);
}

int vj_as_write_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

int vj_as_write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -errno;
	rc = vj_as_write_all(fd, s, strlen(s));
	if (close(fd) != 0 && rc == 0)
		rc = -errno;
	return rc;
}

void vj_as_defang(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}
