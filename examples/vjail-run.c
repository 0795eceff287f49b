/* examples/vjail-run.c - run a program in a jail from the command line:
 * vjail-run(1). Every policy key of vjail.conf(5) is an option of the same
 * name, so a policy can be tried on the command line and then written to a
 * file. Uses the public API only (linked against the installed library).
 *
 * Options and --config files are applied in the order given, each one all
 * or nothing; a key set twice is an error, never a silent override. The
 * program's exit status passes through; vjail-run's own failures exit 125.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vjail.h"

#define EXIT_RUN_FAILED 125 /* vjail-run itself, before the program ran */
#define MAX_ENV 256

extern char **environ;

static const char usage[] =
	"usage: vjail-run [-c FILE] [--KEY VALUE]... [--] PROGRAM [ARG]...\n"
	"Run PROGRAM in a jail (pid, mount, ipc, uts, cgroup, time namespaces,\n"
	"a read-only empty root, Landlock, the daemon seccomp profile) and exit\n"
	"with its status. Every key of vjail.conf(5) is an option, applied in\n"
	"order; a value of several words is one argument: --bind '/srv /data rw'\n"
	"  -c, --config FILE     load a policy file (repeatable)\n"
	"  --root DIR            jail root (default: empty; add --bind /usr ...)\n"
	"  --bind 'SRC [DST] [rw] [optional] [dev] [noexec]'   --tmpfs 'DST SIZE'\n"
	"  --user NAME|UID:GID   --hostname NAME   --namespaces 'default net'\n"
	"  --net-bind PORTS      --net-connect PORTS   --keep-cap CAP\n"
	"  --limit-NAME [SOFT:]HARD   nofile, nproc, as, cpu, fsize, memory...\n"
	"  --seccomp-profile daemon|minimal|none   --syscall 'NAME ACTION'\n"
	"  --root-rw, --best-effort, --no-accounting\n"
	"                        flags of vjail_create(3) (no-accounting is\n"
	"                        the default without --stats)\n"
	"  --seccomp-learn       allow and log what the filter would deny\n"
	"  --stats               print the jail's usage when it ends\n"
	"  --setenv NAME=VALUE   add to the environment (default: PATH, HOME=/,\n"
	"                        TERM); --keep-env passes the whole environment\n"
	"  --dump-config         print the effective policy and exit\n"
	"  -h, --help            this text;  --version\n"
	"PROGRAM without '/' is looked up in the host's PATH: the jail must hold\n"
	"the same path. Exit: the program's status, 128+N if killed by signal\n"
	"N, 125 if vjail-run failed. See vjail-run(1) and vjail.conf(5).\n";

static volatile pid_t jail_pid; /* where forwarded signals go */

static void forward(int sig)
{
	pid_t pid = jail_pid;

	if (pid > 0)
		kill(pid, sig);
}

static void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("vjail-run: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_RUN_FAILED);
}

/* "option:1:7: text" -> "text": the position inside the one-line policy
 * made of an option says nothing the option itself does not. */
static const char *strip_position(const char *msg)
{
	unsigned int line, col;
	int skip = 0;

	if (sscanf(msg, "option:%u:%u: %n", &line, &col, &skip) == 2 &&
	    skip > 0)
		return msg + skip;
	return msg;
}

/* Apply --KEY VALUE as the policy line "KEY = VALUE". */
static void apply_option(struct vjail *j, const char *key, const char *value)
{
	size_t len = strlen(key) + strlen(value) + 4;
	char *line = malloc(len);
	int rc;

	if (line == NULL)
		die("out of memory");
	if (strchr(value, '\n') != NULL)
		die("--%s: the value has a newline", key);
	snprintf(line, len, "%s = %s", key, value);
	rc = vjail_load_config_text(j, "option", line, strlen(line));
	if (rc < 0) {
		fprintf(stderr, "vjail-run: --%s%s%s: %s\n", key,
			value[0] ? " " : "", value,
			strip_position(vjail_strerror(j)));
		if (strstr(vjail_strerror(j), "unknown key") != NULL)
			fprintf(stderr, "vjail-run: try vjail-run --help\n");
		exit(EXIT_RUN_FAILED);
	}
	free(line);
}

/* PROGRAM without a slash: the first executable in the host's PATH. */
static char *find_program(const char *name)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL;

	if (strchr(name, '/') != NULL)
		return strdup(name);
	if (path == NULL || path[0] == '\0')
		path = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
	copy = strdup(path);
	for (dir = strtok_r(copy, ":", &save); dir != NULL;
	     dir = strtok_r(NULL, ":", &save)) {
		char full[4096];
		struct stat st;

		if (dir[0] != '/')
			continue; /* a relative PATH entry means nothing inside */
		snprintf(full, sizeof(full), "%s/%s", dir, name);
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(full, X_OK) == 0) {
			free(copy);
			return strdup(full);
		}
	}
	free(copy);
	die("%s: not found in PATH (give the path inside the jail)", name);
}

struct env {
	char *v[MAX_ENV + 1];
	size_t n;
};

static void env_set(struct env *e, const char *kv)
{
	size_t klen = strcspn(kv, "=");

	if (kv[klen] != '=' || klen == 0)
		die("--setenv %s: expected NAME=VALUE", kv);
	for (size_t i = 0; i < e->n; i++) {
		if (strncmp(e->v[i], kv, klen + 1) == 0) {
			e->v[i] = (char *)kv;
			return;
		}
	}
	if (e->n == MAX_ENV)
		die("--setenv %s: more than %d variables", kv, MAX_ENV);
	e->v[e->n++] = (char *)kv;
	e->v[e->n] = NULL;
}

static void print_stats(struct vjail *j)
{
	struct vjail_stats st = { .size = sizeof(st) };
	int rc = vjail_stats(j, &st);

	if (rc == -ENOSYS) {
		fprintf(stderr, "vjail-run: --stats: libvjail %s does not "
			"report usage yet (%s)\n", vjail_version_string(),
			vjail_strerror(j));
		return;
	}
	if (rc < 0) {
		fprintf(stderr, "vjail-run: --stats: %s\n", vjail_strerror(j));
		return;
	}
	if (st.valid & VJAIL_STAT_CPU)
		fprintf(stderr, "vjail-run: stats: cpu user %.3f s, system "
			"%.3f s\n", st.cpu_user_us / 1e6,
			st.cpu_system_us / 1e6);
	if (st.valid & VJAIL_STAT_MEMORY_PEAK)
		fprintf(stderr, "vjail-run: stats: memory peak %llu bytes\n",
			(unsigned long long)st.memory_peak);
	if (st.valid & VJAIL_STAT_MEMORY)
		fprintf(stderr, "vjail-run: stats: memory %llu bytes\n",
			(unsigned long long)st.memory_current);
	if (st.valid & VJAIL_STAT_PROCESSES)
		fprintf(stderr, "vjail-run: stats: processes %llu\n",
			(unsigned long long)st.processes);
	if (st.valid & VJAIL_STAT_NET)
		fprintf(stderr, "vjail-run: stats: net rx %llu tx %llu "
			"bytes\n", (unsigned long long)st.net_rx_bytes,
			(unsigned long long)st.net_tx_bytes);
}

static int run(struct vjail *j, char **argv, struct env *env, bool stats)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT,
				    SIGUSR1, SIGUSR2 };
	struct sigaction sa = { .sa_handler = forward };
	siginfo_t si;
	pid_t pid;
	int status, rc;

	/* No SA_RESTART: the wait below wakes up, then waits again. */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	rc = vjail_spawn(j, argv, env->v, &pid);
	if (rc < 0)
		die("%s", vjail_strerror(j));
	jail_pid = pid;
	/* Learn that the jail ended without reaping it, so that its usage
	 * can still be read; vjail_wait() reaps it afterwards. */
	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0 &&
	       errno == EINTR)
		;
	if (stats)
		print_stats(j);
	while ((rc = vjail_wait(j, &status)) == -EINTR)
		;
	jail_pid = 0;
	if (rc < 0)
		die("%s", vjail_strerror(j));
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WIFEXITED(status) ? WEXITSTATUS(status) : EXIT_RUN_FAILED;
}

/* Is --@name a flag of vjail_create() that may come without a value? */
static bool is_flag_key(const char *name)
{
	return strcmp(name, "root-rw") == 0 ||
	       strcmp(name, "best-effort") == 0 ||
	       strcmp(name, "no-accounting") == 0;
}

int main(int argc, char **argv)
{
	struct env env = { .n = 0 };
	bool stats = false, learn = false, dump = false, keep_env = false;
	struct vjail *j;
	int i, rc;

	rc = vjail_create(&j, NULL, 0);
	if (rc < 0)
		die("create: %s", strerror(-rc));
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		char *name, *value, *eq;

		if (strcmp(arg, "--") == 0) {
			i++;
			break;
		}
		if (arg[0] != '-')
			break; /* PROGRAM */
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			fputs(usage, stdout);
			return 0;
		}
		if (strcmp(arg, "--version") == 0) {
			printf("vjail-run (libvjail) %s\n",
			       vjail_version_string());
			return 0;
		}
		if (strcmp(arg, "-c") == 0)
			arg = "--config";
		if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0')
			die("unknown option %s (try vjail-run --help)", arg);
		name = strdup(arg + 2);
		eq = strchr(name, '=');
		value = NULL;
		if (eq != NULL) {
			*eq = '\0';
			value = eq + 1;
		}
		if (strcmp(name, "stats") == 0 && !value) {
			stats = true;
		} else if (strcmp(name, "seccomp-learn") == 0 && !value) {
			learn = true;
		} else if (strcmp(name, "dump-config") == 0 && !value) {
			dump = true;
		} else if (strcmp(name, "keep-env") == 0 && !value) {
			keep_env = true;
		} else if (is_flag_key(name) && !value) {
			apply_option(j, name, "yes");
		} else {
			if (value == NULL) {
				/* The library says whether the key is
				 * unknown or what its value looks like. */
				if ((i + 1 >= argc ||
				     strcmp(argv[i + 1], "--") == 0) &&
				    (strcmp(name, "config") == 0 ||
				     strcmp(name, "setenv") == 0))
					die("option --%s needs a value", name);
				if (i + 1 >= argc || strcmp(argv[i + 1], "--") == 0)
					apply_option(j, name, "");
				value = argv[++i];
			}
			if (strcmp(name, "config") == 0) {
				if (vjail_load_config(j, value) < 0)
					die("%s", vjail_strerror(j));
			} else if (strcmp(name, "setenv") == 0) {
				env_set(&env, value);
			} else {
				apply_option(j, name, value);
			}
		}
		free(name);
	}
	if (learn) {
		rc = vjail_seccomp_default_action(j, VJAIL_ACTION_LOG, 0);
		if (rc < 0)
			die("--seccomp-learn: %s", vjail_strerror(j));
		fprintf(stderr, "vjail-run: --seccomp-learn: what the filter "
			"would deny is allowed and logged by the kernel "
			"(dmesg: \"audit: type=1326\")\n");
	}
	if (dump) {
		rc = vjail_dump_config(j, STDOUT_FILENO);
		vjail_destroy(j);
		return rc < 0 ? EXIT_RUN_FAILED : 0;
	}
	if (i >= argc)
		die("no PROGRAM to run (try vjail-run --help)");
	/* Only --stats reads the jail's accounting cgroup: without it, spare
	 * the jail the move into one (VJAIL_CREATE_NO_ACCOUNTING). */
	if (!stats)
		apply_option(j, "no-accounting", "yes");
	argv[i] = find_program(argv[i]);
	if (keep_env) {
		for (char **e = environ; *e != NULL; e++)
			env_set(&env, *e);
	} else {
		const char *term = getenv("TERM");
		static char term_kv[256];

		env_set(&env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"
			"/usr/bin:/sbin:/bin");
		env_set(&env, "HOME=/");
		if (term != NULL) {
			snprintf(term_kv, sizeof(term_kv), "TERM=%s", term);
			env_set(&env, term_kv);
		}
	}
	/* --setenv wins over the defaults and --keep-env. */
	for (int k = 1; k < i; k++)
		if (strcmp(argv[k], "--setenv") == 0 && k + 1 < i)
			env_set(&env, argv[k + 1]);
		else if (strncmp(argv[k], "--setenv=", 9) == 0)
			env_set(&env, argv[k] + 9);
	rc = run(j, argv + i, &env, stats);
	vjail_destroy(j);
	return rc;
}
