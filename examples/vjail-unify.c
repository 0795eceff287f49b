/* vjail-unify - share identical files between jail trees, split them again,
 * or show each tree's own and shared disk usage.
 *
 * A thin front end to vjail_unify() and vjail_unify_usage(), on the public
 * header only. Exit status: 0 done, 1 failure, 2 bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vjail.h>

#define MAX_PATTERNS 256

static const char usage_text[] =
	"usage: vjail-unify [OPTION]... ROOT...\n"
	"       vjail-unify --split ROOT\n"
	"       vjail-unify --report ROOT...\n"
	"Share identical files of jail trees as hard links to one copy that\n"
	"no jail can modify but every jail can unlink (vjail-unify(1)).\n"
	"\n"
	"  -n, --dry-run            find and count, change nothing\n"
	"  -r, --reference DIR      prefer DIR's copies as the shared ones\n"
	"  -s, --min-size SIZE      skip files smaller than SIZE (K, M, G)\n"
	"  -x, --exclude GLOB       also skip paths matching GLOB\n"
	"  -i, --include GLOB       take paths matching GLOB even if excluded\n"
	"      --no-default-excludes  do not skip etc var home root tmp run\n"
	"                           srv mnt media proc sys dev lost+found\n"
	"  -o, --owner UID[:GID]    owner of shared copies (default "
	"2147483646)\n"
	"      --no-protect         link only, keep owner and mode (jails\n"
	"                           can then write what they share)\n"
	"  -j, --threads N          worker threads (default 8; 4 on 1 CPU)\n"
	"  -S, --split ROOT         give ROOT its own copies again\n"
	"  -R, --report             own and shared bytes of each ROOT\n"
	"  -v, --verbose            one line per file linked, split or left\n"
	"  -h, --help               this text\n"
	"Protecting shared copies needs root.\n";

enum {
	OPT_NO_DEFAULT_EXCLUDES = 256,
	OPT_NO_PROTECT,
};

static const struct option long_opts[] = {
	{ "dry-run", no_argument, NULL, 'n' },
	{ "reference", required_argument, NULL, 'r' },
	{ "min-size", required_argument, NULL, 's' },
	{ "exclude", required_argument, NULL, 'x' },
	{ "include", required_argument, NULL, 'i' },
	{ "no-default-excludes", no_argument, NULL, OPT_NO_DEFAULT_EXCLUDES },
	{ "owner", required_argument, NULL, 'o' },
	{ "no-protect", no_argument, NULL, OPT_NO_PROTECT },
	{ "threads", required_argument, NULL, 'j' },
	{ "split", required_argument, NULL, 'S' },
	{ "report", no_argument, NULL, 'R' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int __attribute__((format(printf, 1, 2)))
bad_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vjail-unify: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'vjail-unify --help'.\n");
	return 2;
}

/* "123", "4K", "1.5M" is not accepted: whole numbers with an optional
 * binary suffix only. */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned int shift = 0;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || s[0] == '-')
		return -1;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default:
		return -1;
	}
	if (*end != '\0' || (shift && v > (UINT64_MAX >> shift)))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

static int parse_id(const char *s, char **end, unsigned int *out)
{
	unsigned long v;

	errno = 0;
	v = strtoul(s, end, 10);
	if (errno != 0 || *end == s || s[0] == '-' || v > UINT32_MAX)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

static const char *human(uint64_t b, char *buf, size_t len)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)b;
	int u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
	return buf;
}

static void log_event(const struct vjail_unify_event *ev, void *arg)
{
	static const char *const what[] = {
		[VJAIL_UNIFY_EV_LINK] = "link",
		[VJAIL_UNIFY_EV_SPLIT] = "split",
		[VJAIL_UNIFY_EV_CHANGED] = "changed",
		[VJAIL_UNIFY_EV_BUSY] = "busy",
	};
	const char *w = (unsigned int)ev->kind < 5 ? what[ev->kind] : "?";

	(void)arg;
	if (ev->kind == VJAIL_UNIFY_EV_LINK)
		printf("%-7s %s (%u:%u %04o) => %s\n", w, ev->path,
		       (unsigned int)ev->uid, (unsigned int)ev->gid,
		       (unsigned int)ev->mode, ev->shared);
	else
		printf("%-7s %s (%u:%u %04o)\n", w, ev->path,
		       (unsigned int)ev->uid, (unsigned int)ev->gid,
		       (unsigned int)ev->mode);
}

static int report_usage(char *const *roots, int n)
{
	char e[512], b1[32], b2[32];
	uint64_t own = 0, shared = 0;
	int rc = 0;

	printf("%-32s %10s %14s %10s %14s %8s\n", "ROOT", "OWN FILES",
	       "OWN BYTES", "SHARED", "SHARED BYTES", "UNIFIED");
	for (int i = 0; i < n; i++) {
		struct vjail_unify_usage u = { .size = sizeof(u) };
		int r = vjail_unify_usage(roots[i], &u, e, sizeof(e));

		if (r < 0) {
			fprintf(stderr, "vjail-unify: %s\n", e);
			rc = 1;
			continue;
		}
		/* whole numbers: the table is read by scripts too */
		printf("%-32s %10" PRIu64 " %14" PRIu64 " %10" PRIu64
		       " %14" PRIu64 " %8" PRIu64 "\n", roots[i], u.own_files,
		       u.own_bytes, u.shared_files, u.shared_bytes,
		       u.unified_files);
		own += u.own_bytes;
		shared += u.shared_bytes;
	}
	printf("own %" PRIu64 " bytes (%s), shared %" PRIu64
	       " bytes (%s) counted once per root\n", own,
	       human(own, b1, sizeof(b1)), shared,
	       human(shared, b2, sizeof(b2)));
	return rc;
}

static void print_report(const struct vjail_unify_report *r, unsigned int fl)
{
	char b1[32], b2[32];
	bool dry = fl & VJAIL_UNIFY_DRY_RUN;

	printf("scanned     %" PRIu64 " files, %" PRIu64 " bytes (%s)\n",
	       r->files_scanned, r->bytes_scanned,
	       human(r->bytes_scanned, b1, sizeof(b1)));
	if (fl & VJAIL_UNIFY_SPLIT) {
		printf("%-11s %" PRIu64 " files, %" PRIu64 " bytes copied "
		       "(%s)\n", dry ? "would split" : "split",
		       r->files_split, r->bytes_copied,
		       human(r->bytes_copied, b1, sizeof(b1)));
	} else {
		printf("candidates  %" PRIu64 " files, %" PRIu64 " hashed\n",
		       r->candidates, r->files_hashed);
		printf("%-11s %" PRIu64 " files to %" PRIu64
		       " shared copies\n", dry ? "would link" : "linked",
		       r->files_linked, r->shared_copies);
		printf("saved       %" PRIu64 " bytes (%s), disk %" PRIu64
		       " bytes (%s), %" PRIu64 " inodes\n", r->bytes_saved,
		       human(r->bytes_saved, b1, sizeof(b1)), r->disk_saved,
		       human(r->disk_saved, b2, sizeof(b2)), r->inodes_freed);
	}
	printf("left alone  %" PRIu64 " changed, %" PRIu64 " busy, %" PRIu64
	       " not eligible\n", r->files_changed, r->files_busy,
	       r->files_skipped);
}

/* The library wants absolute paths; a relative one is taken from the
 * current directory, as the user meant. */
static const char *absolute(const char *p)
{
	static char cwd[PATH_MAX];
	char *abs;

	if (p[0] == '/')
		return p;
	if (cwd[0] == '\0' && getcwd(cwd, sizeof(cwd)) == NULL) {
		perror("vjail-unify: getcwd");
		exit(1);
	}
	if (asprintf(&abs, "%s/%s", cwd, p) < 0) {
		perror("vjail-unify");
		exit(1);
	}
	return abs;	/* lives until exit */
}

int main(int argc, char **argv)
{
	const char *excl[MAX_PATTERNS + 1] = { NULL };
	const char *incl[MAX_PATTERNS + 1] = { NULL };
	/* static: they keep the paths absolute() made until exit */
	static struct vjail_unify_opts o = { .size = sizeof(o) };
	static const char *split;
	struct vjail_unify_report r = { .size = sizeof(r) };
	int nexcl = 0, nincl = 0, opt, rc;
	bool report = false, verbose = false;
	char err[1024];

	while ((opt = getopt_long(argc, argv, "nr:s:x:i:o:j:S:Rvh", long_opts,
				  NULL)) != -1) {
		switch (opt) {
		case 'n':
			o.flags |= VJAIL_UNIFY_DRY_RUN;
			break;
		case 'r':
			o.reference = absolute(optarg);
			break;
		case 's':
			if (parse_size(optarg, &o.min_size) < 0)
				return bad_usage("bad size '%s'", optarg);
			break;
		case 'x':
			if (nexcl == MAX_PATTERNS)
				return bad_usage("more than 256 %ss",
						 "exclude");
			excl[nexcl++] = optarg;
			break;
		case 'i':
			if (nincl == MAX_PATTERNS)
				return bad_usage("more than 256 %ss",
						 "include");
			incl[nincl++] = optarg;
			break;
		case OPT_NO_DEFAULT_EXCLUDES:
			o.flags |= VJAIL_UNIFY_NO_DEFAULT_EXCLUDES;
			break;
		case 'o': {
			unsigned int u, g;
			char *end;

			if (parse_id(optarg, &end, &u) < 0)
				return bad_usage("bad owner '%s'", optarg);
			g = u;
			if (*end == ':' && parse_id(end + 1, &end, &g) < 0)
				return bad_usage("bad owner '%s'", optarg);
			if (*end != '\0' || u == 0 || g == 0)
				return bad_usage("bad owner '%s' (root cannot "
						 "be the shared owner)",
						 optarg);
			o.owner_uid = u;
			o.owner_gid = g;
			break;
		}
		case OPT_NO_PROTECT:
			o.flags |= VJAIL_UNIFY_NO_PROTECT;
			break;
		case 'j': {
			uint64_t n;

			if (parse_size(optarg, &n) < 0 || n == 0 || n > 64)
				return bad_usage("bad thread count '%s'",
						 optarg);
			o.threads = (unsigned int)n;
			break;
		}
		case 'S':
			split = absolute(optarg);
			break;
		case 'R':
			report = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			return bad_usage("%s", "bad option");
		}
	}
	for (int i = optind; i < argc; i++)
		argv[i] = (char *)absolute(argv[i]);
	if (report) {
		if (optind == argc || split != NULL)
			return bad_usage("%s", "--report needs ROOTs, alone");
		return report_usage(argv + optind, argc - optind);
	}
	if (split != NULL) {
		if (optind != argc)
			return bad_usage("%s", "--split takes one ROOT only");
		o.flags |= VJAIL_UNIFY_SPLIT;
	} else if (optind == argc) {
		return bad_usage("%s", "no ROOT given");
	}
	o.exclude = nexcl ? excl : NULL;
	o.include = nincl ? incl : NULL;
	if (verbose)
		o.log = log_event;
	if (split != NULL)
		rc = vjail_unify(&split, 1, &o, &r, err, sizeof(err));
	else
		rc = vjail_unify((const char *const *)argv + optind,
				 (size_t)(argc - optind), &o, &r, err,
				 sizeof(err));
	print_report(&r, o.flags);
	if (rc < 0) {
		fprintf(stderr, "vjail-unify: %s\n", err);
		return 1;
	}
	return 0;
}
