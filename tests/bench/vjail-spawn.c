/* tests/bench/vjail-spawn.c - the benchmark's tiny spawner: a program in a
 * new jail through the public API only (vjail_spawn(), then vjail_wait()),
 * the way a vjail-run command would do it. It is the libvjail entry of the
 * spawn-latency and scale tables, measured from outside like bwrap and
 * unshare(1): exec of this program to its exit.
 *
 * usage: vjail-spawn [-a] [-n] [-r ROOT] [-k FD] [-p FD] [--] PROG [ARG...]
 *   -a       with the accounting cgroup vjail_stats() reads (default:
 *            VJAIL_CREATE_NO_ACCOUNTING, as vjail-run without --stats, and
 *            as bwrap and unshare(1), which make no cgroup)
 *   -n       also a network namespace (default: VJAIL_NS_DEFAULT, which is
 *            every namespace but the network)
 *   -r ROOT  the jail's root (a directory with proc/ dev/ usr/ and the
 *            merged-usr symlinks bin lib lib64 sbin); /usr is bound
 *            read-only into it. Without -r: an empty tmpfs root with
 *            /usr, /bin, /lib and /lib64 bound into it.
 *   -k FD    keep FD open in the jail (a pipe the program reports on)
 *   -p FD    write "SPAWNER_PID INIT_PID\n" to FD once spawned (the scale
 *            benchmark reads the jail's processes' memory from it)
 *
 * Exit status: the program's, as vjail_wait() reports it; 125 when the
 * jail could not be made (the message is on stderr).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vjail.h"

static int fail(struct vjail *j, const char *what, int rc)
{
	fprintf(stderr, "vjail-spawn: %s: %s (%d)\n", what,
		j ? vjail_strerror(j) : "", rc);
	return 125;
}

/* The merged-usr links of Debian: bound as directories into a tmpfs root. */
static int bind_usr(struct vjail *j, const char *root)
{
	static const char *const dirs[] = { "/bin", "/lib", "/lib64" };
	struct stat st;
	int rc;

	rc = vjail_bind(j, "/usr", "/usr", 0);
	for (size_t i = 0; rc == 0 && root == NULL && i < 3; i++)
		if (stat(dirs[i], &st) == 0)
			rc = vjail_bind(j, dirs[i], dirs[i], 0);
	return rc;
}

int main(int argc, char **argv)
{
	const char *root = NULL;
	int keep = -1, report = -1, opt, rc, status;
	uint64_t ns = VJAIL_NS_DEFAULT;
	unsigned int flags = VJAIL_CREATE_NO_ACCOUNTING;
	struct vjail *j;
	pid_t pid;

	while ((opt = getopt(argc, argv, "+anr:k:p:")) != -1) {
		switch (opt) {
		case 'a':
			flags = 0;
			break;
		case 'n':
			ns |= VJAIL_NS_NET;
			break;
		case 'r':
			root = optarg;
			break;
		case 'k':
			keep = atoi(optarg);
			break;
		case 'p':
			report = atoi(optarg);
			break;
		default:
			return 125;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: vjail-spawn [-a] [-n] [-r ROOT] [-k FD] "
				"[-p FD] [--] PROG [ARG...]\n");
		return 125;
	}
	rc = vjail_create(&j, root, flags);
	if (rc < 0)
		return fail(NULL, "create", rc);
	if ((rc = vjail_namespaces(j, ns)) < 0)
		return fail(j, "namespaces", rc);
	if ((rc = bind_usr(j, root)) < 0)
		return fail(j, "bind", rc);
	if (keep >= 0 && (rc = vjail_keep_fd(j, keep, 0)) < 0)
		return fail(j, "keep fd", rc);
	if ((rc = vjail_spawn(j, argv + optind, NULL, &pid)) < 0)
		return fail(j, "spawn", rc);
	if (report >= 0) {
		dprintf(report, "%d %d\n", (int)getpid(), (int)pid);
		close(report);
	}
	if ((rc = vjail_wait(j, &status)) < 0)
		return fail(j, "wait", rc);
	vjail_destroy(j);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
