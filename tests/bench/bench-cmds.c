/* tests/bench/bench-cmds.c - wall time of whole commands, run in paired,
 * alternating rounds: the spawn-latency table (bench item 1).
 *
 * Every round runs each command once, in an order that rotates from round
 * to round, so every command sees the same machine at nearly the same
 * moment; ratios to the reference commands are taken within each round and
 * the median over the rounds is reported. On a shared machine absolute
 * times drift (other builds, other tests); the paired ratios mostly do not.
 *
 * A run is posix_spawn(3) of the command (CLONE_VM|CLONE_VFORK in glibc,
 * the same cost for every command), stdin/stdout/stderr on /dev/null, until
 * waitpid(2) returns: the latency a user of the command sees.
 *
 * usage: bench-cmds [-r ROUNDS] [-w WARMUP] [-b REF]... [-o RESULTS]
 *                   [-c CSV] SPECFILE
 *   SPECFILE  one command a line: NAME<TAB>ARGV0 ARG... (split on spaces;
 *             '#' starts a comment line)
 *   -b REF    a reference: report every command's median ratio to REF
 *   -o FILE   append "metric<TAB>value<TAB>unit" lines (run-bench.sh reads
 *             them)
 *   -c FILE   write every sample: name,round,ms
 *
 * A command that does not exit 0 on a trial run is left out with a note
 * (a tool missing or refusing this machine); the others are measured.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench-util.h"

#define MAX_CMDS 32
#define MAX_ARGS 64
#define MAX_REFS 8

struct cmd {
	char name[64];
	char *argv[MAX_ARGS];
	bool ok;
	double *ms; /* per round */
};

static struct cmd cmds[MAX_CMDS];
static int ncmds;
static int devnull = -1;
extern char **environ;

static void parse(const char *path)
{
	FILE *f = fopen(path, "re");
	char line[4096];

	if (f == NULL)
		bench_die("open %s", path);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *tab = strchr(line, '\t'), *save = NULL, *w;
		struct cmd *c;
		int n = 0;

		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (tab == NULL || ncmds == MAX_CMDS)
			bench_die("%s: bad line \"%s\"", path, line);
		*tab = '\0';
		c = &cmds[ncmds++];
		snprintf(c->name, sizeof(c->name), "%.63s", line);
		for (w = strtok_r(tab + 1, " ", &save); w && n < MAX_ARGS - 1;
		     w = strtok_r(NULL, " ", &save))
			c->argv[n++] = strdup(w);
		c->argv[n] = NULL;
		if (n == 0)
			bench_die("%s: empty command for %s", path, c->name);
	}
	fclose(f);
}

/* One run: ms from spawn to reaped, or -1 if it did not exit 0. */
static double run(struct cmd *c, int *status)
{
	posix_spawn_file_actions_t fa;
	uint64_t t0;
	pid_t pid;
	int rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, devnull, 0);
	posix_spawn_file_actions_adddup2(&fa, devnull, 1);
	posix_spawn_file_actions_adddup2(&fa, devnull, 2);
	t0 = bench_now_ns();
	rc = posix_spawn(&pid, c->argv[0], &fa, NULL, c->argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		*status = -rc;
		return -1;
	}
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			bench_die("waitpid");
	if (*status != 0)
		return -1;
	return (double)(bench_now_ns() - t0) / 1e6;
}

int main(int argc, char **argv)
{
	const char *refs[MAX_REFS], *out = NULL, *csv = NULL;
	int rounds = 101, warmup = 5, nrefs = 0, opt;
	FILE *fo = NULL, *fc = NULL;
	double *ratio;

	while ((opt = getopt(argc, argv, "r:w:b:o:c:")) != -1) {
		switch (opt) {
		case 'r':
			rounds = atoi(optarg);
			break;
		case 'w':
			warmup = atoi(optarg);
			break;
		case 'b':
			if (nrefs < MAX_REFS)
				refs[nrefs++] = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'c':
			csv = optarg;
			break;
		default:
			return 2;
		}
	}
	if (optind != argc - 1 || rounds < 1)
		bench_die("usage: bench-cmds [-r N] [-w N] [-b REF] [-o FILE] "
			  "[-c FILE] SPECFILE");
	parse(argv[optind]);
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0)
		bench_die("/dev/null");
	if (out && (fo = fopen(out, "ae")) == NULL)
		bench_die("open %s", out);
	if (csv && (fc = fopen(csv, "we")) == NULL)
		bench_die("open %s", csv);
	if (fc)
		fprintf(fc, "name,round,ms\n");

	for (int i = 0; i < ncmds; i++) {
		int st;

		cmds[i].ok = run(&cmds[i], &st) >= 0;
		if (!cmds[i].ok) {
			printf("  skip %-22s (trial run: %s %d)\n", cmds[i].name,
			       st < 0 ? "spawn error" : "wait status", st);
			if (fo)
				fprintf(fo, "spawn.%s.skipped\t1\tflag\n",
					cmds[i].name);
		}
		cmds[i].ms = calloc((size_t)rounds, sizeof(double));
		if (cmds[i].ms == NULL)
			bench_die("calloc");
	}
	for (int r = -warmup; r < rounds; r++) {
		for (int k = 0; k < ncmds; k++) {
			struct cmd *c = &cmds[(k + r + warmup) % ncmds];
			int st;
			double ms;

			if (!c->ok)
				continue;
			ms = run(c, &st);
			if (ms < 0)
				bench_die("%s failed in round %d (status %d)",
					  c->name, r, st);
			if (r >= 0)
				c->ms[r] = ms;
		}
	}
	ratio = calloc((size_t)rounds, sizeof(double));
	if (ratio == NULL)
		bench_die("calloc");
	printf("  %-24s %9s %9s", "command", "median ms", "p90 ms");
	for (int b = 0; b < nrefs; b++)
		printf("  %10.10s/x", refs[b]);
	printf("\n");
	for (int i = 0; i < ncmds; i++) {
		struct cmd *c = &cmds[i];
		double med, p90;

		if (!c->ok)
			continue;
		if (fc)
			for (int r = 0; r < rounds; r++)
				fprintf(fc, "%s,%d,%.4f\n", c->name, r,
					c->ms[r]);
		for (int r = 0; r < rounds; r++)
			ratio[r] = c->ms[r];
		med = bench_median(ratio, (size_t)rounds);
		p90 = ratio[(size_t)rounds * 9 / 10];
		printf("  %-24s %9.3f %9.3f", c->name, med, p90);
		if (fo)
			fprintf(fo, "spawn.%s.ms\t%.4f\tms\n", c->name, med);
		for (int b = 0; b < nrefs; b++) {
			struct cmd *ref = NULL;

			for (int k = 0; k < ncmds; k++)
				if (strcmp(cmds[k].name, refs[b]) == 0 &&
				    cmds[k].ok)
					ref = &cmds[k];
			if (ref == NULL) {
				printf("  %12s", "-");
				continue;
			}
			for (int r = 0; r < rounds; r++)
				ratio[r] = c->ms[r] / ref->ms[r];
			med = bench_median(ratio, (size_t)rounds);
			printf("  %12.3f", med);
			if (fo)
				fprintf(fo, "spawn.%s.vs.%s\t%.4f\tratio\n",
					c->name, refs[b], med);
		}
		printf("\n");
	}
	printf("  (%d rounds after %d warm-up rounds; ratios are medians of "
	       "per-round ratios)\n",
	       rounds, warmup);
	if (fo)
		fclose(fo);
	if (fc)
		fclose(fc);
	return 0;
}
