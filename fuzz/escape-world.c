/* fuzz/escape-world.c - the escape fuzzer's host side: the work directory
 * with its canaries, the sentinel process, the listening sockets, and the
 * oracle that compares them before and after each run (escape-world.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "escape-world.h"

#define PING_TIMEOUT_MS 2000

static void die(const char *what)
{
	fprintf(stderr, "fuzz_escape: set-up: %s: %s\n", what,
		strerror(errno));
	exit(2);
}

static void random_hex(char *out, size_t len)
{
	unsigned char raw[64];

	if (len / 2 > sizeof(raw) ||
	    getrandom(raw, len / 2, 0) != (ssize_t)(len / 2))
		die("getrandom");
	for (size_t i = 0; i < len / 2; i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
	out[len] = '\0';
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		die(path);
	close(fd);
	if (chmod(path, mode) != 0)
		die(path);
}

static void make_dir(const char *path, mode_t mode)
{
	if (mkdir(path, mode) != 0 || chmod(path, mode) != 0)
		die(path);
}

/* ---- removing what a program left: never follows a link ------------------ */

static void remove_under(int dfd)
{
	DIR *d;
	struct dirent *e;

	d = fdopendir(dfd);
	if (d == NULL) {
		close(dfd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		int sub;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) == 0)
			continue;
		/* A directory: make it ours to empty (a jail as nobody may
		 * leave one with mode 0), empty it, remove it. */
		sub = openat(dirfd(d), e->d_name,
			     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0) {
			fchmodat(dirfd(d), e->d_name, 0700, 0);
			sub = openat(dirfd(d), e->d_name,
				     O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					     O_CLOEXEC);
		}
		if (sub >= 0) {
			fchmod(sub, 0700);
			remove_under(sub);
		}
		unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR);
	}
	closedir(d);
}

static void empty_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0)
		remove_under(fd);
}

/* ---- the sentinel: a host process that counts the signals it gets -------- */

static volatile sig_atomic_t caught;

static void count(int sig)
{
	(void)sig;
	caught++;
}

static void sentinel_main(int req, int rep)
{
	struct sigaction sa = { .sa_handler = count, .sa_flags = SA_RESTART };
	unsigned int msg[2];

	sigfillset(&sa.sa_mask);
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL); /* KILL, STOP and glibc's refuse */
	for (;;) {
		ssize_t n = read(req, &msg[0], sizeof(msg[0]));

		if (n == 0)
			_exit(0); /* the harness is gone */
		if (n != sizeof(msg[0]))
			continue;
		msg[1] = (unsigned int)caught;
		(void)!write(rep, msg, sizeof(msg));
	}
}

static void drop_to_nobody(void)
{
	gid_t g = 65534;

	if (setgroups(1, &g) != 0 || setresgid(g, g, g) != 0 ||
	    setresuid(65534, 65534, 65534) != 0)
		die("become nobody");
}

static void start_sentinel(struct world *w)
{
	int req[2], rep[2];
	pid_t parent = getpid(), p;

	if (pipe2(req, O_CLOEXEC) != 0 || pipe2(rep, O_CLOEXEC) != 0)
		die("sentinel pipes");
	p = fork();
	if (p < 0)
		die("fork sentinel");
	if (p == 0) {
		/* The jails' user: if a jail got out, it could signal it.
		 * Its own process group, so that kill(-pgrp) can be tried;
		 * dies with whoever started it (armed after the uid change,
		 * which clears it). */
		if (w->as_nobody)
			drop_to_nobody();
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (getppid() != parent)
			_exit(0);
		close(req[1]);
		close(rep[0]);
		sentinel_main(req[0], rep[1]);
	}
	close(req[0]);
	close(rep[1]);
	w->env.sentinel = p;
	w->sentinel_req = req[1];
	w->sentinel_rep = rep[0];
}

/* The number of signals the sentinel caught, or -1 if it does not answer
 * (stopped, dead). Signals sent before the question are handled before
 * the answer: the kernel runs a pending handler on the way back from the
 * read(2) that receives the question. */
static long sentinel_count(struct world *w)
{
	unsigned int seq = ++w->ping_seq, msg[2];
	struct pollfd pfd = { .fd = w->sentinel_rep, .events = POLLIN };

	if (write(w->sentinel_req, &seq, sizeof(seq)) != sizeof(seq))
		return -1;
	for (;;) {
		if (poll(&pfd, 1, PING_TIMEOUT_MS) <= 0)
			return -1;
		if (read(w->sentinel_rep, msg, sizeof(msg)) != sizeof(msg))
			return -1;
		if (msg[0] == seq) /* not an answer to a lost question */
			return msg[1];
	}
}

/* Stopped, traced or dead? From /proc/PID/stat's state letter. */
static char sentinel_state(const struct world *w)
{
	char path[64], buf[256] = "";
	char *paren;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)w->env.sentinel);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 'X';
	(void)!read(fd, buf, sizeof(buf) - 1);
	close(fd);
	paren = strrchr(buf, ')');
	return paren != NULL && paren[1] == ' ' ? paren[2] : '?';
}

/* ---- sockets ------------------------------------------------------------- */

static int listener(int type, const char *path, const char *abstract)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	socklen_t len = sizeof(a);
	int s = socket(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (s < 0)
		die("socket");
	if (abstract != NULL) {
		memcpy(a.sun_path + 1, abstract, strlen(abstract));
		len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
				  strlen(abstract));
	} else {
		snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	}
	if (bind(s, (struct sockaddr *)&a, len) != 0)
		die(path != NULL ? path : "abstract socket");
	if (type == SOCK_STREAM && listen(s, 16) != 0)
		die("listen");
	if (path != NULL && chmod(path, 0777) != 0)
		die(path);
	return s;
}

static int tcp_listener(unsigned short *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(s, 16) != 0 ||
	    getsockname(s, (struct sockaddr *)&a, &len) != 0)
		die("tcp listener");
	*port = ntohs(a.sin_port);
	return s;
}

/* Anything waiting on a host socket? Drains it. */
static int socket_got(int s, bool stream)
{
	char buf[256];
	int n = 0, c;

	if (stream) {
		while ((c = accept4(s, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
			close(c);
			n++;
		}
		return n;
	}
	while (recv(s, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		n++;
	return n;
}

/* ---- stamps -------------------------------------------------------------- */

static void take_stamp(const char *path, struct ew_stamp *s)
{
	struct stat st;

	memset(s, 0, sizeof(*s));
	if (lstat(path, &st) != 0)
		return;
	s->exists = true;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	s->mode = st.st_mode;
	s->uid = st.st_uid;
	s->gid = st.st_gid;
	s->nlink = st.st_nlink;
	s->size = st.st_size;
	s->mtim = st.st_mtim;
	s->ctim = st.st_ctim;
}

static bool same_stamp(const struct ew_stamp *a, const struct ew_stamp *b)
{
	return a->exists == b->exists && a->dev == b->dev &&
	       a->ino == b->ino && a->mode == b->mode && a->uid == b->uid &&
	       a->gid == b->gid && a->nlink == b->nlink &&
	       a->size == b->size && a->mtim.tv_sec == b->mtim.tv_sec &&
	       a->mtim.tv_nsec == b->mtim.tv_nsec &&
	       a->ctim.tv_sec == b->ctim.tv_sec &&
	       a->ctim.tv_nsec == b->ctim.tv_nsec;
}

static void take_stamps(struct world *w)
{
	for (size_t i = 0; i < EW_NSTAMPS && w->stamp_path[i] != NULL; i++)
		take_stamp(w->stamp_path[i], &w->stamp[i]);
}

/* ---- set-up -------------------------------------------------------------- */

static void make_root(struct world *w)
{
	static const char *const dirs[] = { "tmp", "data", "proc", "dev" };
	char path[160];

	make_dir(w->root, 0755);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", w->root, dirs[i]);
		make_dir(path, 0755);
	}
	snprintf(path, sizeof(path), "%s/inside.txt", w->root);
	write_file(path, "INSIDE\n", 0644);
	/* Planted links that point out of the root: they must resolve
	 * inside the jail, never on the host. */
	snprintf(path, sizeof(path), "%s/link", w->root);
	if (symlink("../canary", path) != 0)
		die(path);
	snprintf(path, sizeof(path), "%s/abs-link", w->root);
	if (symlink(w->canary, path) != 0)
		die(path);
}

static void write_canaries(struct world *w)
{
	char line[EW_SECRET_LEN + 2];

	write_file(w->canary, w->secret, 0666);
	snprintf(line, sizeof(line), "%s\n", w->log_secret);
	write_file(w->log, line, 0666);
}

/* Wait for the harness (our child), remove the directory, end as it
 * ended. */
static void janitor(struct world *w, pid_t harness)
{
	int st;

	while (waitpid(harness, &st, 0) < 0)
		if (errno != EINTR)
			die("wait for the harness");
	w->env.sentinel = 0; /* the harness's child, gone with it */
	rmdir(w->env.dir); /* the world was a tmpfs in the harness's cage */
	if (WIFSIGNALED(st)) {
		signal(WTERMSIG(st), SIG_DFL);
		kill(getpid(), WTERMSIG(st));
	}
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 1);
}

/*
 * The cage: the harness's own mount namespace, where every mount of the
 * host is read-only, /proc/sys too, /proc/sysrq-trigger is masked, and the
 * world is a tmpfs on @dir. A program that gets out of its jail (or runs
 * without one, in the control) lands here, not on the machine: it can
 * change the world, which the oracle watches, and nothing else on disk.
 * /proc stays writable (vjail writes its children's id maps there).
 * Escapes into another process's mount namespace, or into the kernel, are
 * not contained.
 */
static void cage(const char *dir)
{
	struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY };

	if (unshare(CLONE_NEWNS) != 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		die("cage: private mount namespace");
	if (mount_setattr(AT_FDCWD, "/", AT_RECURSIVE, &ro, sizeof(ro)) != 0)
		die("cage: read-only host");
	/* A procfs of its own with the pid directories only: no /proc/sys,
	 * no /proc/sysrq-trigger, and still /proc/PID/uid_map, where vjail
	 * writes its children's id maps. */
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "subset=pid") != 0)
		die("cage: /proc");
	if (mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV,
		  "size=64m,mode=0777") != 0)
		die("cage: tmpfs for the world");
}

static void read_names(char *host, char *domain)
{
	if (gethostname(host, 72) != 0 || getdomainname(domain, 72) != 0)
		die("host name");
}

void ew_setup(struct world *w, bool as_nobody, bool want_janitor)
{
	const char *tmp = getenv("VJ_FUZZ_TMPDIR");
	char tmpl[64];
	char name[17];

	memset(w, 0, sizeof(*w));
	/* Our own UTS namespace: a program that renames "the host" renames
	 * this one, not the shared machine. */
	if (unshare(CLONE_NEWUTS) != 0)
		die("unshare(CLONE_NEWUTS)");
	if (sethostname("vjail-fuzz-host", 15) != 0 ||
	    setdomainname("vjail-fuzz-domain", 17) != 0)
		die("name the host");
	w->as_nobody = as_nobody;
	w->owner = getpid();
	w->env.report_fd = EW_REPORT_FD;
	random_hex(w->secret, EW_SECRET_LEN);
	random_hex(w->log_secret, EW_SECRET_LEN);
	random_hex(name, 16);
	snprintf(w->env.abstract, sizeof(w->env.abstract), "vjail-fuzz-%s",
		 name);
	snprintf(w->env.abstract_dgram, sizeof(w->env.abstract_dgram),
		 "vjail-fuzz-%s-dgram", name);
	snprintf(tmpl, sizeof(tmpl), "%s/vjail-fuzz-XXXXXX",
		 tmp != NULL && tmp[0] == '/' ? tmp : "/tmp");
	if (mkdtemp(tmpl) == NULL)
		die("mkdtemp");
	snprintf(w->env.dir, sizeof(w->env.dir), "%s", tmpl);
	if (want_janitor) { /* outside the cage, to remove the directory */
		pid_t harness = fork();

		if (harness < 0)
			die("fork");
		if (harness > 0)
			janitor(w, harness);
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		w->owner = 0; /* the janitor removes it */
	}
	cage(w->env.dir);
#define AT(field, name) \
	snprintf(w->field, sizeof(w->field), "%s/%s", w->env.dir, name)
	AT(root, "root");
	AT(spool, "spool");
	AT(canary, "canary");
	AT(canary_dir, "canary-dir");
	AT(log, "log");
	AT(sock_path, "host.sock");
	AT(dgram_path, "host.dgram");
#undef AT
	write_canaries(w);
	make_dir(w->canary_dir, 0777);
	make_dir(w->spool, 0777);
	make_root(w);
	w->null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (w->null_fd < 0)
		die("/dev/null");
	w->env.harness = getpid();
	/* Reachable by the jail's user if it ever got out: the sentinel is
	 * its (start_sentinel()), the path sockets are 0777 and the others
	 * check no permission. The harness itself drops later, see
	 * ew_drop_privileges(). */
	start_sentinel(w);
	w->sock_listen = listener(SOCK_STREAM, w->sock_path, NULL);
	w->sock_dgram = listener(SOCK_DGRAM, w->dgram_path, NULL);
	w->abs_listen = listener(SOCK_STREAM, NULL, w->env.abstract);
	w->abs_dgram = listener(SOCK_DGRAM, NULL, w->env.abstract_dgram);
	w->tcp_listen = tcp_listener(&w->env.tcp_port);
	w->stamp_path[0] = w->canary;
	w->stamp_path[1] = w->canary_dir;
	w->stamp_path[2] = w->env.dir;
	w->stamp_path[3] = w->root;
	w->stamp_path[4] = w->sock_path;
	w->stamp_path[5] = w->dgram_path;
	w->stamp_path[6] = NULL;
	ew_restore(w);
}

/* ---- the oracle ---------------------------------------------------------- */

static void __attribute__((format(printf, 4, 5)))
add(char *why, size_t len, int *n, const char *fmt, ...)
{
	size_t used = strlen(why);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why + used, len - used, fmt, ap);
	va_end(ap);
	used = strlen(why);
	snprintf(why + used, len - used, "\n");
	(*n)++;
}

static int check_files(struct world *w, char *why, size_t len)
{
	char buf[EW_SECRET_LEN * 2 + 2];
	struct ew_stamp now;
	int n = 0, fd;
	ssize_t got;
	DIR *d;
	struct dirent *e;
	struct stat st;

	for (size_t i = 0; i < EW_NSTAMPS && w->stamp_path[i] != NULL; i++) {
		take_stamp(w->stamp_path[i], &now);
		if (!same_stamp(&now, &w->stamp[i]))
			add(why, len, &n, "host file %s was changed, created, "
				"renamed or deleted", w->stamp_path[i]);
	}
	fd = open(w->canary, O_RDONLY | O_CLOEXEC);
	got = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;
	if (fd >= 0)
		close(fd);
	if (got != EW_SECRET_LEN || memcmp(buf, w->secret, EW_SECRET_LEN))
		add(why, len, &n, "host file %s has other content", w->canary);
	explicit_bzero(buf, sizeof(buf));
	d = opendir(w->canary_dir);
	while (d != NULL && (e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			add(why, len, &n, "host directory %s got an entry",
			    w->canary_dir);
	if (d != NULL)
		closedir(d);
	/* The log may grow (it is the jail's stdout), never shrink or lose
	 * its first line. */
	fd = open(w->log, O_RDONLY | O_CLOEXEC);
	got = fd >= 0 ? read(fd, buf, EW_SECRET_LEN + 1) : -1;
	if (fd >= 0 && fstat(fd, &st) == 0 && st.st_ino != w->log_ino)
		got = -1;
	if (fd >= 0)
		close(fd);
	if (got != EW_SECRET_LEN + 1 ||
	    memcmp(buf, w->log_secret, EW_SECRET_LEN) != 0)
		add(why, len, &n, "host log %s was truncated, rewritten or "
			"replaced", w->log);
	explicit_bzero(buf, sizeof(buf));
	return n;
}

int ew_check(struct world *w, const char *stream, size_t len, char *why,
	     size_t whylen)
{
	char host[72], domain[72];
	long signals;
	char state;
	int n = 0;

	why[0] = '\0';
	if (memmem(stream, len, w->secret, EW_SECRET_LEN) != NULL)
		add(why, whylen, &n, "the jail read the secret of %s",
		    w->canary);
	if (memmem(stream, len, w->log_secret, EW_SECRET_LEN) != NULL)
		add(why, whylen, &n, "the jail read the secret of %s", w->log);
	n += check_files(w, why, whylen);
	if (socket_got(w->sock_listen, true) > 0)
		add(why, whylen, &n, "host socket %s got a connection",
		    w->sock_path);
	if (socket_got(w->sock_dgram, false) > 0)
		add(why, whylen, &n, "host socket %s got a datagram",
		    w->dgram_path);
	if (socket_got(w->abs_listen, true) > 0)
		add(why, whylen, &n, "host abstract socket @%s got a "
			"connection", w->env.abstract);
	if (socket_got(w->abs_dgram, false) > 0)
		add(why, whylen, &n, "host abstract socket @%s got a datagram",
		    w->env.abstract_dgram);
	if (socket_got(w->tcp_listen, true) > 0)
		add(why, whylen, &n, "host TCP listener 127.0.0.1:%u got a "
			"connection (no port was allowed)",
		    (unsigned)w->env.tcp_port);
	state = sentinel_state(w);
	if (state == 'T' || state == 't' || state == 'Z' || state == 'X')
		add(why, whylen, &n, "the host's sentinel process %d was "
			"stopped, traced or killed (state %c)",
		    (int)w->env.sentinel, state);
	else if ((signals = sentinel_count(w)) < 0)
		add(why, whylen, &n, "the host's sentinel process %d does not "
			"answer", (int)w->env.sentinel);
	else if ((unsigned long)signals != w->signals_seen)
		add(why, whylen, &n, "the host's sentinel process %d got %ld "
			"signal(s)", (int)w->env.sentinel,
		    signals - (long)w->signals_seen);
	read_names(host, domain);
	if (strcmp(host, w->hostname) != 0)
		add(why, whylen, &n, "the host name changed to \"%s\"", host);
	if (strcmp(domain, w->domainname) != 0)
		add(why, whylen, &n, "the domain name changed to \"%s\"",
		    domain);
	return n;
}

static int find_setid(int dfd, const char *at, char *why, size_t len)
{
	DIR *d = fdopendir(dfd);
	struct dirent *e;
	int n = 0;

	if (d == NULL) {
		close(dfd);
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		char sub[PATH_MAX];
		struct stat st;
		int fd;

		if (strcmp(e->d_name, ".") == 0 ||
		    strcmp(e->d_name, "..") == 0 ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", at, e->d_name);
		if (S_ISREG(st.st_mode) &&
		    ((st.st_mode & S_ISUID) ||
		     (st.st_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP)))
			add(why, len, &n, "the jail left %s mode %04o owned by "
				"uid %u gid %u in a read-write bind (a set-id "
				"file on the host)", sub,
			    (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid,
			    (unsigned)st.st_gid);
		if (S_ISDIR(st.st_mode) &&
		    (fd = openat(dirfd(d), e->d_name,
				 O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					 O_CLOEXEC)) >= 0)
			n += find_setid(fd, sub, why, len);
	}
	closedir(d);
	return n;
}

int ew_hazards(struct world *w, char *why, size_t whylen)
{
	int fd = open(w->spool,
		      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	why[0] = '\0';
	return fd < 0 ? 0 : find_setid(fd, w->spool, why, whylen);
}

void ew_tidy(struct world *w)
{
	struct stat st;

	empty_dir(w->spool);
	if (fstat(w->log_fd, &st) == 0 && st.st_size != EW_SECRET_LEN + 1)
		(void)!ftruncate(w->log_fd, EW_SECRET_LEN + 1);
}

/* Rewrite @path with @text, as whoever we are now (no chmod: as nobody
 * the canaries stay root's, only their content is ours to write). */
static void rewrite(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		die(path);
	close(fd);
}

void ew_restore(struct world *w)
{
	char line[EW_SECRET_LEN + 2];
	struct stat st;

	empty_dir(w->spool);
	empty_dir(w->canary_dir);
	rewrite(w->canary, w->secret);
	snprintf(line, sizeof(line), "%s\n", w->log_secret);
	rewrite(w->log, line);
	if (w->log_fd > 0)
		close(w->log_fd);
	w->log_fd = open(w->log, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (w->log_fd < 0 || fstat(w->log_fd, &st) != 0)
		die(w->log);
	w->log_ino = st.st_ino;
	if (geteuid() == 0) {
		sethostname("vjail-fuzz-host", 15);
		setdomainname("vjail-fuzz-domain", 17);
	}
	ew_baseline(w);
}

void ew_baseline(struct world *w)
{
	long signals;

	read_names(w->hostname, w->domainname);
	socket_got(w->sock_listen, true);
	socket_got(w->sock_dgram, false);
	socket_got(w->abs_listen, true);
	socket_got(w->abs_dgram, false);
	socket_got(w->tcp_listen, true);
	signals = sentinel_count(w);
	if (signals < 0) {
		fprintf(stderr, "fuzz_escape: the sentinel does not answer\n");
		exit(2);
	}
	w->signals_seen = (unsigned int)signals;
	take_stamps(w);
}

void ew_drop_privileges(struct world *w)
{
	if (w->as_nobody && geteuid() == 0)
		drop_to_nobody();
}

void ew_forget_secrets(struct world *w)
{
	explicit_bzero(w->secret, sizeof(w->secret));
	explicit_bzero(w->log_secret, sizeof(w->log_secret));
}

void ew_teardown(struct world *w)
{
	if (getpid() != w->owner)
		return;
	if (w->env.sentinel > 0) {
		kill(w->env.sentinel, SIGKILL);
		waitpid(w->env.sentinel, NULL, 0);
		w->env.sentinel = 0;
	}
	if (w->env.dir[0] != '\0') {
		empty_dir(w->env.dir);
		rmdir(w->env.dir);
		w->env.dir[0] = '\0';
	}
}
