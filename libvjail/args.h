/* libvjail/args.h - argument checks shared by the setters.
 */
#ifndef VJ_ARGS_H
#define VJ_ARGS_H

#include <stdbool.h>
#include <stddef.h>

struct vjail;

/* An absolute path, shorter than PATH_MAX, without ".." components; "/"
 * itself only if @allow_slash. Fails with -EINVAL and a message naming
 * @what. */
int vj_check_abs_path(struct vjail *j, const char *what, const char *path,
		      bool allow_slash);

/* A string of 1..@max bytes of printable ASCII; no '/' if @no_slash. */
int vj_check_text(struct vjail *j, const char *what, const char *s,
		  size_t max, bool no_slash);

/* strdup() that records -ENOMEM on the handle. */
int vj_strdup(struct vjail *j, char **dst, const char *src);



/* Append one zeroed element of @size bytes to the array *@arr of *@n
 * elements; returns it, or NULL with -ENOMEM recorded on the handle. */
void *vj_push(struct vjail *j, void **arr, size_t *n, size_t size);
#endif /* VJ_ARGS_H */
