/* tests/bench/bench-util.h - what the benchmark programs share: the clock,
 * medians, and dying with a message. Benchmarks inform; they never decide
 * a build: the test suite does.
 */
#ifndef VJ_BENCH_UTIL_H
#define VJ_BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* CLOCK_REALTIME in ns: a time namespace (the jail's default) offsets the
 * monotonic and boottime clocks only, so a time taken before enter and one
 * taken inside the jail can be subtracted. The vDSO serves it without a
 * system call, so seccomp filters do not touch it. */
uint64_t bench_now_ns(void);

/* Sorts @v in place and returns its median (upper middle for even @n). */
double bench_median(double *v, size_t n);

/* The 90th percentile of @v, which bench_median() sorted. */
double bench_p90_sorted(const double *v, size_t n);

/* Message on stderr, exit status 1. */
void bench_die(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

/* Append "metric<TAB>value<TAB>unit\n" to the results file @path (NULL: do
 * nothing). */
void bench_result(const char *path, const char *metric, double value,
		  const char *unit);

#endif
