/* fuzz/fuzz.h - the contract between a harness (fuzz_<target>.c) and the
 * driver (driver.c) that gives it a main().
 *
 * A harness defines LLVMFuzzerTestOneInput(), libFuzzer's entry point, so
 * the same file builds three ways: with afl-clang-fast (AFL++ persistent
 * mode), with -fsanitize=fuzzer -DVJ_LIBFUZZER, and with a plain compiler
 * as a replay program that `make check` runs on the seed corpus. Whatever
 * the harness judges to be a bug, it reports with abort(): AFL++ records a
 * crash, and the replay fails.
 */
#ifndef VJ_FUZZ_H
#define VJ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Run one input. Returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Optional, called once before the first input. May consume its own
 * options ("--name") from *argv: it removes them and lowers *argc. Returns
 * 0, or exits the process itself on a bad option. */
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Optional, replay mode only: called after the last input; its return
 * value becomes the exit status (a harness that expects something of the
 * whole set of inputs says here whether it happened). */
int vj_fuzz_replay_done(void);

/* The file being replayed, or NULL under a fuzzer. For messages. */
extern const char *vj_fuzz_input_name;

/* Remove argv[i] from the argument vector. */
void vj_fuzz_drop_arg(int *argc, char **argv, int i);

#endif /* VJ_FUZZ_H */
