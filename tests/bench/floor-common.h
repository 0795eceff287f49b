/* tests/bench/floor-common.h - the steps the two hand-written references
 * (bench-floor: enter; floor-spawn: spawn) share. Kernel calls only. */
#ifndef VJ_BENCH_FLOOR_COMMON_H
#define VJ_BENCH_FLOOR_COMMON_H

#include <sys/types.h>

/* Write @text into /proc/PID/@file. 0, or -1 with errno set. */
int floor_write_map(pid_t pid, const char *file, const char *text);

/* A Landlock ruleset that handles reading and writing files and reading
 * directories, with one rule: read below "/"; then restrict this process
 * to it (no_new_privs must be set). 0, or -1 with errno set. */
int floor_landlock_one_rule(void);

#endif
