/* fuzz/fuzz_config.c - the policy-file parser fuzzer: arbitrary bytes as a
 * vjail.conf(5) file. No crash, no leak, no hang (the ASan+UBSan build of
 * `make check` replays the corpus), and the contract of
 * vjail_load_config():
 *   - the return value is in its documented list, and a failure leaves a
 *     message on the handle;
 *   - all or nothing: after a failed load, the settings a file can make
 *     are all still unset on the handle (each setter still succeeds);
 *   - a loaded file dumps (vjail_dump_config()) to a file that loads
 *     again and dumps to the same text ("loading it gives the same jail").
 *
 * The target is the public call, through a memfd named by
 * /proc/self/fd/N: it covers the parser (vj_config_parse() in
 * libvjail/config.c) and the all-or-nothing application through the
 * setters, whose errnos must stay within the documented list.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "vjail.h"
#include "fuzz.h"

static int file_fd = -1, dump_fd[1] = { -1 };
static char file_path[64];
static size_t loaded, refused;

static void __attribute__((noreturn, format(printf, 1, 2)))
bug(const char *fmt, ...);

static void bug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("fuzz_config: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

/* Make @fd hold exactly @data. */
static void fill(int fd, const void *data, size_t size)
{
	/* Back to offset 0 as well: vjail_dump_config() writes where the
	 * fd stands, as write(2) does. */
	if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0 ||
	    (size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size))
		bug("memfd: %s", strerror(errno));
}

static int load(struct vjail *j)
{
	/* The closed list of vjail_load_config() in include/vjail.h; the
	 * "other" errnos it passes through from stat(2) and getpwnam_r(3)
	 * that a file's bytes can provoke here are listed after it. */
	static const int ok[] = { EINVAL,  ENOENT, ENOTDIR, EEXIST, EBADF,
				  EFBIG,   ENOMEM, EALREADY, EACCES, ELOOP,
				  ENAMETOOLONG, 0 };
	int rc = vjail_load_config(j, file_path);

	if (rc > 0)
		bug("vjail_load_config = %d", rc);
	if (rc < 0) {
		bool listed = false;

		for (const int *e = ok; *e != 0; e++)
			listed |= rc == -*e;
		if (!listed) /* the file is a memfd: open(2) cannot fail */
			bug("vjail_load_config = %d (%s): not documented", rc,
			    strerror(-rc));
		if (vjail_strerror(j)[0] == '\0')
			bug("vjail_load_config = %d without a message", rc);
	}
	return rc;
}

/* All or nothing: a failed load set nothing a file can set. */
static void check_untouched(struct vjail *j)
{
	struct {
		const char *what;
		int rc;
	} set[] = {
		{ "namespaces", vjail_namespaces(j, VJAIL_NS_DEFAULT) },
		{ "hostname", vjail_set_hostname(j, "fuzz") },
		{ "domainname", vjail_set_domainname(j, "fuzz") },
		{ "uptime", vjail_set_uptime(j, 1) },
		{ "user", vjail_set_user(j, 65534, 65534) },
		{ "seccomp profile",
		  vjail_seccomp_profile(j, VJAIL_PROFILE_DAEMON) },
		{ "seccomp default action",
		  vjail_seccomp_default_action(j, VJAIL_ACTION_ERRNO, 1) },
		{ "limit", vjail_limit(j, VJAIL_LIMIT_NOFILE, 64, 64) },
		{ "tmpfs", vjail_tmpfs(j, "/fuzz-config-probe", 4096) },
	};

	for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		if (set[i].rc != 0)
			bug("a failed load left the %s set (the setter now "
			    "says %d): not all or nothing", set[i].what,
			    set[i].rc);
}

/* The dump of @j as text; NULL if dumping is not implemented. */
static char *dump(struct vjail *j, size_t *len)
{
	char *text;
	ssize_t n;
	int rc;

	fill(dump_fd[0], "", 0);
	rc = vjail_dump_config(j, dump_fd[0]);
	if (rc == -ENOSYS)
		return NULL;
	if (rc != 0)
		bug("vjail_dump_config of a loaded handle = %d", rc);
	*len = (size_t)lseek(dump_fd[0], 0, SEEK_END);
	text = malloc(*len + 1);
	if (text == NULL)
		bug("out of memory");
	n = pread(dump_fd[0], text, *len, 0);
	if (n != (ssize_t)*len)
		bug("reading the dump: %s", strerror(errno));
	text[*len] = '\0';
	return text;
}

/* Loading the dump gives the same jail: the same dump again. */
static void check_round_trip(struct vjail *j)
{
	struct vjail *again;
	size_t len1, len2;
	char *first = dump(j, &len1), *second;

	if (first == NULL)
		return;
	if (vjail_create(&again, NULL, 0) != 0)
		bug("vjail_create");
	fill(file_fd, first, len1);
	if (load(again) != 0)
		bug("the dump of a loaded file does not load: %s\n%s",
		    vjail_strerror(again), first);
	second = dump(again, &len2);
	if (second == NULL || len1 != len2 || memcmp(first, second, len1))
		bug("dump, load, dump differs:\n%s\n----\n%s", first,
		    second ? second : "(none)");
	free(first);
	free(second);
	vjail_destroy(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vjail *j;

	if (vjail_create(&j, NULL, 0) != 0)
		bug("vjail_create");
	fill(file_fd, data, size);
	if (load(j) == 0) {
		loaded++;
		check_round_trip(j);
	} else {
		refused++;
		check_untouched(j);
	}
	vjail_destroy(j);
	return 0;
}

int vj_fuzz_replay_done(void)
{
	printf("fuzz_config: %zu files loaded, %zu refused\n", loaded,
	       refused);
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	file_fd = memfd_create("vjail.conf", MFD_CLOEXEC);
	dump_fd[0] = memfd_create("vjail.conf.dump", MFD_CLOEXEC);
	if (file_fd < 0 || dump_fd[0] < 0) {
		perror("fuzz_config: memfd_create");
		exit(2);
	}
	snprintf(file_path, sizeof(file_path), "/proc/self/fd/%d", file_fd);
	return 0;
}
