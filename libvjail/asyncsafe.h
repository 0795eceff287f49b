/* libvjail/asyncsafe.h - string helpers for the commit phase.
 *
 * Commit may run in a child forked from a multi-threaded supervisor, where
 * snprintf() and malloc() can deadlock. These helpers touch only the
 * buffers they are given.
 */
#ifndef VJ_ASYNCSAFE_H
#define VJ_ASYNCSAFE_H

#include <stddef.h>
#include <stdint.h>

/* Append the decimal form of @v to the NUL-terminated @buf of @size. */
void vj_as_append_i64(char *buf, size_t size, int64_t v);

/* Write all of @len bytes of @s to @fd; 0 or -errno. */
int vj_as_write_all(int fd, const char *s, size_t len);

/* Open @path for writing, write @s, close; 0 or -errno. */
int vj_as_write_file(const char *path, const char *s);

/* Replace every control byte (below 0x20, and DEL) of the NUL-terminated @s
 * with '?': error texts echo paths and names the caller got from elsewhere,
 * and a daemon that logs them must not be made to log a forged line or a
 * terminal escape. */
void vj_as_defang(char *s);

#endif
