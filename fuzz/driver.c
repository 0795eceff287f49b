/* fuzz/driver.c - the main() of every harness, in one of three builds:
 *
 *   afl-clang-fast   AFL++ persistent mode: LLVMFuzzerInitialize() runs once,
 *                    then the deferred fork server starts (so a harness's
 *                    set-up is shared by every fork), then up to 1000 inputs
 *                    per process from shared memory. Run by hand (not under
 *                    afl-fuzz) with file arguments, it replays them instead.
 *   -DVJ_LIBFUZZER   nothing here: libFuzzer brings its own main().
 *   plain cc         replay: every file named on the command line (a
 *                    directory means each file in it, in name order), or,
 *                    with no argument, the target's seed corpus
 *                    (VJ_FUZZ_CORPUS). `make check` runs it that way, so
 *                    every input that once crashed stays a regression test.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

#pragma weak LLVMFuzzerInitialize
#pragma weak vj_fuzz_replay_done

#define REPLAY_MAX (1 << 20) /* AFL++ and our corpora stay far below */

const char *vj_fuzz_input_name;

void vj_fuzz_drop_arg(int *argc, char **argv, int i)
{
	memmove(&argv[i], &argv[i + 1], (size_t)(*argc - i) * sizeof(*argv));
	(*argc)--;
}

#ifndef VJ_LIBFUZZER

static int replay_file(const char *path, size_t *count)
{
	static uint8_t buf[REPLAY_MAX];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t n;

	if (fd < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (len < sizeof(buf) &&
	       (n = read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += (size_t)n;
	close(fd);
	vj_fuzz_input_name = path;
	LLVMFuzzerTestOneInput(buf, len);
	vj_fuzz_input_name = NULL;
	(*count)++;
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int skip_entry(const struct dirent *e)
{
	return e->d_name[0] != '.' && strncmp(e->d_name, "README", 6) != 0;
}

static int replay_path(const char *path, size_t *count)
{
	struct dirent **list;
	struct stat st;
	char file[4096];
	int n, rc = 0;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path, count);
	n = scandir(path, &list, skip_entry, by_name);
	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		snprintf(file, sizeof(file), "%s/%s", path, list[i]->d_name);
		if (rc == 0 && stat(file, &st) == 0 && S_ISREG(st.st_mode))
			rc = replay_file(file, count);
		free(list[i]);
	}
	free(list);
	return rc;
}

static int replay(int argc, char **argv)
{
	size_t count = 0;
	int rc = 0;

	if (argc < 2) {
#ifdef VJ_FUZZ_CORPUS
		rc = replay_path(VJ_FUZZ_CORPUS, &count);
#else
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
#endif
	}
	for (int i = 1; rc == 0 && i < argc; i++)
		rc = replay_path(argv[i], &count);
	if (rc < 0)
		return 2;
	printf("%s: replayed %zu inputs\n", argv[0], count);
	if (count == 0)
		return 1; /* an empty corpus tests nothing */
	return vj_fuzz_replay_done ? vj_fuzz_replay_done() : 0;
}

#ifdef __AFL_FUZZ_TESTCASE_LEN
__AFL_FUZZ_INIT();

int main(int argc, char **argv)
{
	unsigned char *buf;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	if (getenv("__AFL_SHM_ID") == NULL && argc > 1)
		return replay(argc, argv);
	__AFL_INIT();
	buf = __AFL_FUZZ_TESTCASE_BUF;
	while (__AFL_LOOP(1000))
		LLVMFuzzerTestOneInput(buf, (size_t)__AFL_FUZZ_TESTCASE_LEN);
	return 0;
}
#else
int main(int argc, char **argv)
{
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	return replay(argc, argv);
}
#endif /* __AFL_FUZZ_TESTCASE_LEN */
#endif /* !VJ_LIBFUZZER */
