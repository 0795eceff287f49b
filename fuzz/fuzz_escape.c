/* fuzz/fuzz_escape.c - the escape fuzzer. Each input is a program of
 * system calls (escape-prog.h), run inside a fresh jail, one per input:
 * vjail_create() on the world's root with the default profile (every
 * default namespace, the daemon seccomp profile, Landlock, a read-only
 * root), a 1 MiB tmpfs at /tmp and the spool bound read-write at /data,
 * entered with VJAIL_ENTER_SUPERVISE so that the harness stays outside as
 * the supervisor. The oracle outside (escape-world.h) then compares the
 * host with what it was. An escape aborts, with the program printed: under
 * AFL++ that is a crash, in `make check` a failed test.
 *
 * Options, before the inputs:
 *   --as-nobody      the harness drops to nobody after building the world,
 *                    so the jails are a nobody's (default: root's)
 *   --no-jail        the control: run each program without the jail (in a
 *                    private mount namespace with the same /data and /tmp,
 *                    see escape-exec.h for what is skipped); each input
 *                    must then be caught, else the exit status is 1. This
 *                    is what shows that the oracle can fail at all.
 *   --trace          print what each call returned
 *   --print          print each input as a program, run nothing
 *   --asm SRC DIR    assemble the programs of SRC into DIR (a line "## name"
 *                    starts each; it becomes the file DIR/name), then exit
 *   --dict SRC       print an AFL++ dictionary of the instructions of SRC
 * Environment: VJ_FUZZ_DEADLINE_MS (default 1000), the time a program has
 * after the jail is up; VJ_FUZZ_TMPDIR, where the world is made.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "vjail.h"
#include "fuzz.h"
#include "escape-exec.h"
#include "escape-prog.h"
#include "escape-world.h"

#define STREAM_MAX (2u << 20)   /* 8 processes x 24 calls x 4 KiB, and more */
#define START_DEADLINE_MS 10000 /* for the jail to come up */

static struct world world;

static void teardown(void)
{
	ew_teardown(&world); /* only in the process that made it */
}
static bool as_nobody, control, trace, print_only;
static long deadline_ms = 1000;
static size_t runs, timeouts, missed;

static void __attribute__((noreturn, format(printf, 1, 2)))
fatal(const char *fmt, ...);

static void fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("fuzz_escape: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	teardown(); /* abort() skips atexit */
	abort();
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* ---- tools: assemble, dictionary ----------------------------------------- */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	struct stat st;
	char *text;

	if (f == NULL || fstat(fileno(f), &st) != 0 ||
	    (text = calloc(1, (size_t)st.st_size + 1)) == NULL ||
	    fread(text, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		fprintf(stderr, "fuzz_escape: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	fclose(f);
	return text;
}

/* Call @fn for each "## name" program of @src. */
static int each_program(const char *src,
			int (*fn)(const char *name, const uint8_t *code,
				  size_t len, void *arg),
			void *arg)
{
	char *text = slurp(src);
	char *hit = strstr(text, "\n## ");
	size_t pos = hit != NULL ? (size_t)(hit - text) : strlen(text);
	int rc = 0;

	while (rc == 0 && text[pos] != '\0') {
		char name[128], err[256];
		uint8_t code[1024];
		size_t body, stop;
		long len;

		pos += 4; /* "\n## " */
		body = pos + strcspn(text + pos, "\n");
		snprintf(name, sizeof(name), "%.*s", (int)(body - pos),
			 text + pos);
		hit = strstr(text + body, "\n## ");
		stop = hit != NULL ? (size_t)(hit - text) : strlen(text);
		text[stop] = '\0';
		len = ep_assemble(text + body, code, sizeof(code), err,
				  sizeof(err));
		if (hit != NULL)
			text[stop] = '\n';
		if (len < 0) {
			fprintf(stderr, "fuzz_escape: %s: program %s: %s\n",
				src, name, err);
			rc = 1;
			break;
		}
		rc = fn(name, code, (size_t)len, arg);
		pos = stop;
	}
	free(text);
	return rc;
}

static int write_program(const char *name, const uint8_t *code, size_t len,
			 void *arg)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", (const char *)arg, name);
	f = fopen(path, "we");
	if (f == NULL || fwrite(code, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "fuzz_escape: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

struct dict {
	char *seen;
	size_t len;
};

static int dict_program(const char *name, const uint8_t *code, size_t len,
			void *arg)
{
	struct dict *d = arg;
	struct ep_prog *p = malloc(sizeof(*p));

	(void)name;
	if (p == NULL)
		return 1;
	ep_decode(code, len, p);
	for (size_t i = 0; i < p->n; i++) {
		uint8_t insn[64];
		char entry[300] = "\"";
		size_t n = ep_encode_insn(&p->insn[i], insn, sizeof(insn));

		for (size_t k = 0; k < n; k++)
			snprintf(entry + strlen(entry), 5, "\\x%02x", insn[k]);
		strcat(entry, "\"\n");
		if (n < 2 || (d->seen != NULL && strstr(d->seen, entry)))
			continue;
		d->seen = realloc(d->seen, d->len + strlen(entry) + 1);
		if (d->seen == NULL)
			break;
		strcpy(d->seen + d->len, entry);
		d->len += strlen(entry);
	}
	free(p);
	return 0;
}

/* ---- one run ------------------------------------------------------------- */

/* In the jailed process (or the control's): never returns. */
static void __attribute__((noreturn)) run_program(const struct ep_prog *p)
{
	ew_forget_secrets(&world);
	(void)!write(EW_REPORT_FD, "E", 1); /* the oracle's "I am in" */
	ep_run(p, &world.env, control, trace);
	_exit(0);
}

static void swap_stdio(int saved[3])
{
	for (int i = 0; i < 3; i++)
		saved[i] = fcntl(i, F_DUPFD_CLOEXEC, 100);
	/* The jail's stdio: nothing in, the log canary out (a daemon's log
	 * file outside its root), and the oracle's pipe for stderr. */
	dup2(world.null_fd, 0);
	dup2(world.log_fd, 1);
	dup2(EW_REPORT_FD, 2);
}

static void restore_stdio(const int saved[3])
{
	for (int i = 0; i < 3; i++) {
		if (saved[i] >= 0) {
			dup2(saved[i], i);
			close(saved[i]);
		} else {
			close(i);
		}
	}
}

/* Start @p in a jail; returns the pid to kill at the deadline. */
static pid_t start_jailed(const struct ep_prog *p, struct vjail **jp)
{
	struct vjail *j;
	int saved[3], rc;

	rc = vjail_create(&j, world.root, 0);
	if (rc < 0)
		fatal("vjail_create %s: %s", world.root, strerror(-rc));
	if ((rc = vjail_tmpfs(j, "/tmp", 1 << 20)) < 0 ||
	    (rc = vjail_bind(j, world.spool, "/data", VJAIL_BIND_RW)) < 0 ||
	    (rc = vjail_keep_fd(j, EW_REPORT_FD, 0)) < 0)
		fatal("set-up: %s", vjail_strerror(j));
	swap_stdio(saved);
	rc = vjail_enter(j, VJAIL_ENTER_SUPERVISE);
	if (rc == 0)
		run_program(p);
	restore_stdio(saved);
	if (rc != VJAIL_SUPERVISOR)
		fatal("vjail_enter: %d: %s", rc, vjail_strerror(j));
	*jp = j;
	return vjail_pid(j);
}

/* The control: the same world without the jail (escape-exec.h). */
static pid_t start_unjailed(const struct ep_prog *p)
{
	char data[128], tmp[128];
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	dup2(world.null_fd, 0);
	dup2(world.log_fd, 1);
	dup2(EW_REPORT_FD, 2);
	snprintf(data, sizeof(data), "%s/data", world.root);
	snprintf(tmp, sizeof(tmp), "%s/tmp", world.root);
	if (unshare(CLONE_NEWNS) != 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount(world.spool, data, NULL, MS_BIND, NULL) != 0 ||
	    mount("tmpfs", tmp, "tmpfs", 0, "size=1m") != 0 ||
	    chdir(world.root) != 0) {
		dprintf(2, "control set-up: %s\n", strerror(errno));
		_exit(VJAIL_EXIT_COMMIT);
	}
	close_range(3, EW_REPORT_FD - 1, 0);
	close_range(EW_REPORT_FD + 1, ~0U, 0);
	run_program(p);
}

/* Read everything the run reports until every writer is gone. */
static size_t drain(int fd, char *buf, pid_t victim, bool *timed_out)
{
	long start = now_ms(), until = start + START_DEADLINE_MS;
	bool killed = false, up = false;
	size_t len = 0;

	*timed_out = false;
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long left = until - now_ms();
		char scratch[4096];
		ssize_t n;

		if (left <= 0) {
			if (killed)
				break; /* a writer survived SIGKILL? give up */
			kill(victim, SIGKILL);
			*timed_out = killed = true;
			until = now_ms() + START_DEADLINE_MS;
			continue;
		}
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		if (len < STREAM_MAX)
			n = read(fd, buf + len, STREAM_MAX - len);
		else
			n = read(fd, scratch, sizeof(scratch));
		if (n == 0)
			break;
		if (n < 0)
			continue;
		if (len < STREAM_MAX)
			len += (size_t)n;
		if (!up) { /* the jail is up: the program's time starts */
			up = true;
			until = now_ms() + deadline_ms;
		}
	}
	return len;
}

static void print_stream(const char *stream, size_t len)
{
	fputs("  what the jail reported (stderr, trace, data it read):\n",
	      stderr);
	if (len > 0 && stream[0] == 'E') { /* the marker, not output */
		stream++;
		len--;
	}
	fwrite(stream, 1, len > 4096 ? 4096 : len, stderr);
	if (len > 4096)
		fprintf(stderr, "\n  ... (%zu bytes in all)", len);
	fputc('\n', stderr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ep_prog prog;
	static char stream[STREAM_MAX];
	char why[2048];
	struct vjail *j = NULL;
	int pfd[2], status = 0;
	bool timed_out;
	size_t len;
	pid_t pid;
	int found;

	if (!print_only) {
		ew_drop_privileges(&world);
		world.env.harness = getpid(); /* a fork server's child */
	}
	ep_decode(data, size, &prog);
	if (print_only) {
		printf("# %s\n", vj_fuzz_input_name ? vj_fuzz_input_name : "");
		ep_print(stdout, &prog, "");
		return 0;
	}
	ew_baseline(&world);
	if (pipe2(pfd, O_CLOEXEC) != 0 || dup2(pfd[1], EW_REPORT_FD) < 0)
		fatal("pipe: %s", strerror(errno));
	close(pfd[1]);
	pid = control ? start_unjailed(&prog) : start_jailed(&prog, &j);
	close(EW_REPORT_FD);
	if (pid < 0)
		fatal("fork: %s", strerror(errno));
	len = drain(pfd[0], stream, control ? -pid : pid, &timed_out);
	close(pfd[0]);
	if (j != NULL) {
		if (vjail_wait(j, &status) < 0)
			fatal("vjail_wait: %s", vjail_strerror(j));
		vjail_destroy(j);
	} else {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	runs++;
	timeouts += timed_out;
	if (len == 0 || stream[0] != 'E') {
		fprintf(stderr, "fuzz_escape: the %s did not start (status "
			"%#x)\n", control ? "control" : "jail", status);
		print_stream(stream, len);
		teardown();
		abort();
	}
	found = ew_check(&world, stream, len, why, sizeof(why));
	if (trace || (found > 0 && !control) || (found == 0 && control)) {
		fprintf(stderr, "%s%s:\n", vj_fuzz_input_name ?
			vj_fuzz_input_name : "input",
			found == 0 && control ? ": NOT CAUGHT without a jail"
					      : "");
		ep_print(stderr, &prog, "  ");
		print_stream(stream, len);
	}
	if (found > 0 && !control) {
		fprintf(stderr, "fuzz_escape: ESCAPE from the jail%s:\n%s",
			as_nobody ? " (as nobody)" : "", why);
		ew_restore(&world); /* for AFL++'s next process */
		teardown();
		abort();
	}
	if (control) {
		if (found == 0)
			missed++;
		else if (trace)
			fprintf(stderr, "caught:\n%s", why);
		ew_restore(&world);
	}
	/* A set-id file left on the host was a hazard until the profiles
	 * refused the set-id bits (2026-11-27); now it is an escape. */
	if (!control && ew_hazards(&world, why, sizeof(why)) > 0) {
		fprintf(stderr, "fuzz_escape: ESCAPE: a set-id file planted "
			"from the jail%s:\n%s",
			as_nobody ? " (as nobody)" : "", why);
		ew_restore(&world);
		teardown();
		abort();
	}
	if (vj_fuzz_input_name != NULL && !trace)
		printf("%s: %s%s\n", vj_fuzz_input_name,
		       control ? (found ? "caught without a jail" : "MISSED")
			       : "no escape",
		       timed_out ? " (deadline: killed)" : "");
	ew_tidy(&world);
	return 0;
}

int vj_fuzz_replay_done(void)
{
	if (print_only)
		return 0;
	printf("fuzz_escape: %zu programs%s, %zu hit the deadline%s", runs,
	       as_nobody ? " as nobody" : control ? " without a jail" : "",
	       timeouts, control ? "\n" : ", 0 escapes\n");
	if (control && missed > 0) {
		printf("fuzz_escape: %zu escape programs were not caught "
		       "without a jail: the oracle is blind to them\n", missed);
		return 1;
	}
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char **av = *argv;
	const char *env = getenv("VJ_FUZZ_DEADLINE_MS");

	for (int i = 1; i < *argc;) {
		if (strcmp(av[i], "--as-nobody") == 0)
			as_nobody = true;
		else if (strcmp(av[i], "--no-jail") == 0)
			control = true;
		else if (strcmp(av[i], "--trace") == 0)
			trace = true;
		else if (strcmp(av[i], "--print") == 0)
			print_only = true;
		else if (strcmp(av[i], "--asm") == 0 && i + 2 < *argc)
			exit(each_program(av[i + 1], write_program, av[i + 2]));
		else if (strcmp(av[i], "--dict") == 0 && i + 1 < *argc) {
			struct dict d = { NULL, 0 };
			int rc = each_program(av[i + 1], dict_program, &d);

			printf("# AFL++ dictionary of fuzz_escape: one entry "
			       "per instruction of\n# %s (fuzz_escape "
			       "--dict)\n%s",
			       "fuzz/escape-seeds.txt", d.seen ? d.seen : "");
			free(d.seen);
			exit(rc);
		} else if (strncmp(av[i], "--", 2) == 0) {
			fprintf(stderr, "fuzz_escape: unknown option %s\n",
				av[i]);
			exit(2);
		} else {
			i++;
			continue;
		}
		vj_fuzz_drop_arg(argc, av, i);
	}
	if (print_only)
		return 0;
	if (geteuid() != 0) {
		/* 77: automake's SKIP, for a make check run by a user */
		printf("fuzz_escape: SKIP: needs root (builds its world and "
		       "cage as root, drops to nobody with --as-nobody)\n");
		exit(77);
	}
	if (control && as_nobody) {
		fprintf(stderr, "fuzz_escape: --no-jail runs as root only\n");
		exit(2);
	}
	if (env != NULL && atol(env) > 0)
		deadline_ms = atol(env);
	/* Probe once here: every run's prepare then reads the cache. */
	(void)vjail_features();
	/* Under afl-fuzz, the fork server is killed with SIGKILL and no
	 * janitor could run: fuzz/run.sh removes the directory. Otherwise
	 * (a replay, also of the AFL++ build by hand) a janitor does. */
	ew_setup(&world, as_nobody, getenv("__AFL_SHM_ID") == NULL);
	atexit(teardown);
	return 0;
}
