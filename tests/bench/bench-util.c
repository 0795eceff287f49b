/* tests/bench/bench-util.c - clock, medians and errors of the benchmarks. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench-util.h"

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double bench_median(double *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

double bench_p90_sorted(const double *v, size_t n)
{
	return n == 0 ? 0 : v[n * 9 / 10];
}

void bench_die(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	fprintf(stderr, "bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, err ? ": %s\n" : "\n", strerror(err));
	exit(1);
}

void bench_result(const char *path, const char *metric, double value,
		  const char *unit)
{
	FILE *f;

	if (path == NULL)
		return;
	f = fopen(path, "ae");
	if (f == NULL)
		bench_die("open %s", path);
	fprintf(f, "%s\t%.6g\t%s\n", metric, value, unit);
	fclose(f);
}
