/* examples/vjail-echod.c - a small line-based chat server that jails
 * itself: the pattern libvjail is for.
 *
 *   1. as root, bind and listen on 127.0.0.1:PORT (a port below 1024 works
 *      too: the bind happens before the jail);
 *   2. vjail_enter() with the policy below: an empty read-only root, every
 *      namespace including the network (only the socket bound in step 1
 *      still reaches the host), the user nobody, no capabilities, no TCP
 *      bind or connect (Landlock), the daemon seccomp profile, small
 *      limits;
 *   3. serve: every line a client sends goes to every other client.
 *      "/jail" answers with what the jail sees, "/quit" disconnects.
 *
 * Usage: vjail-echod [-p PORT] [-f POLICY] [-d]
 *   -f POLICY  a policy file to use instead of the built-in one
 *   -d         print the effective policy and exit
 * SIGTERM or SIGINT stop it cleanly (exit 0).
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vjail.h"

#define MAX_CLIENTS 32
#define LINE_MAX_LEN 1024

/* The jail, as a policy (vjail.conf(5)). A daemon can ship this text in a
 * file instead, for the admin to change without a rebuild. */
static const char policy[] =
	"# vjail-echod: a network daemon that needs nothing but its socket\n"
	"namespaces = all      # net too: the bound socket is all it keeps\n"
	"hostname = echod\n"
	"seccomp-profile = daemon\n"
	"limit-nofile = 64     # 32 clients, the listener, stdio\n"
	"limit-core = 0\n"
	"limit-memlock = 0\n";

/* Root drops to nobody; an unprivileged caller stays itself. */
static const char policy_root[] = "user = nobody\n";

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

struct client {
	int fd;
	char buf[LINE_MAX_LEN];
	size_t len;
};

static struct client clients[MAX_CLIENTS];

static void send_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, s, len, MSG_NOSIGNAL);

		if (n <= 0)
			return; /* a slow or gone client loses the line */
		s += n;
		len -= (size_t)n;
	}
}

/* What the jail sees: the reply to "/jail". */
static void report(int fd)
{
	char out[1024], host[65] = "?", root[256] = "";
	size_t len = 0;
	int procs = 0;
	DIR *d;
	struct dirent *e;

	gethostname(host, sizeof(host) - 1);
	if ((d = opendir("/proc")) != NULL) {
		while ((e = readdir(d)) != NULL)
			procs += e->d_name[0] >= '1' && e->d_name[0] <= '9';
		closedir(d);
	}
	if ((d = opendir("/")) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			strncat(root, " ", sizeof(root) - strlen(root) - 1);
			strncat(root, e->d_name, sizeof(root) - strlen(root) - 1);
		}
		closedir(d);
	}
	len += (size_t)snprintf(out + len, sizeof(out) - len,
				"jail: uid %u, pid %d, hostname %s\n"
				"jail: processes in /proc: %d\n"
				"jail: / holds:%s\n"
				"jail: /etc/passwd %s\n",
				(unsigned int)getuid(), (int)getpid(), host,
				procs, root,
				access("/etc/passwd", F_OK) == 0 ? "visible"
								 : "absent");
	if (len < sizeof(out)) {
		int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		struct sockaddr_in a = { .sin_family = AF_INET,
					 .sin_port = htons(1) };
		int rc = -1;

		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (s >= 0)
			rc = connect(s, (struct sockaddr *)&a, sizeof(a));
		snprintf(out + len, sizeof(out) - len,
			 "jail: connect to 127.0.0.1:1 %s (%s)\n",
			 rc == 0 ? "succeeded" : "refused",
			 rc == 0 ? "open" : strerror(errno));
		if (s >= 0)
			close(s);
	}
	send_all(fd, out, strlen(out));
}

static void broadcast(int from, const char *line, size_t len)
{
	char msg[LINE_MAX_LEN + 32];
	int n = snprintf(msg, sizeof(msg), "%d: %.*s\n", from, (int)len, line);

	for (int i = 0; i < MAX_CLIENTS; i++)
		if (clients[i].fd >= 0 && clients[i].fd != from)
			send_all(clients[i].fd, msg, (size_t)n);
}

/* Returns 0, or -1 when the client is to be closed. */
static int handle_line(struct client *c, char *line, size_t len)
{
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len == 5 && memcmp(line, "/quit", 5) == 0)
		return -1;
	if (len == 5 && memcmp(line, "/jail", 5) == 0) {
		report(c->fd);
		return 0;
	}
	send_all(c->fd, "ok\n", 3);
	broadcast(c->fd, line, len);
	return 0;
}

static int read_client(struct client *c)
{
	ssize_t n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
	char *nl;

	if (n <= 0)
		return -1;
	c->len += (size_t)n;
	while ((nl = memchr(c->buf, '\n', c->len)) != NULL) {
		size_t l = (size_t)(nl - c->buf);

		if (handle_line(c, c->buf, l) < 0)
			return -1;
		memmove(c->buf, nl + 1, c->len - l - 1);
		c->len -= l + 1;
	}
	return c->len == sizeof(c->buf) ? -1 : 0; /* a line too long */
}

static void serve(int lfd)
{
	struct pollfd p[MAX_CLIENTS + 1];

	for (int i = 0; i < MAX_CLIENTS; i++)
		clients[i].fd = -1;
	while (!stop) {
		p[0] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		for (int i = 0; i < MAX_CLIENTS; i++)
			p[i + 1] = (struct pollfd){ .fd = clients[i].fd,
						    .events = POLLIN };
		if (poll(p, MAX_CLIENTS + 1, -1) < 0)
			continue; /* EINTR: look at stop */
		for (int i = 0; i < MAX_CLIENTS; i++) {
			if (clients[i].fd < 0 || !p[i + 1].revents)
				continue;
			if (read_client(&clients[i]) < 0) {
				close(clients[i].fd);
				clients[i].fd = -1;
			}
		}
		if (p[0].revents & POLLIN) {
			int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC), i;

			if (fd < 0)
				continue;
			for (i = 0; i < MAX_CLIENTS && clients[i].fd >= 0; i++)
				;
			if (i == MAX_CLIENTS) {
				send_all(fd, "busy\n", 5);
				close(fd);
				continue;
			}
			clients[i].fd = fd;
			clients[i].len = 0;
			send_all(fd, "welcome to vjail-echod; /jail, /quit\n",
				 37);
		}
	}
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (clients[i].fd >= 0)
			close(clients[i].fd);
}

static int listen_on(unsigned int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(fd, 16) < 0) {
		fprintf(stderr, "vjail-echod: 127.0.0.1:%u: %s\n", port,
			strerror(errno));
		exit(1);
	}
	return fd;
}

int main(int argc, char **argv)
{
	unsigned int port = 7777;
	const char *file = NULL;
	struct sigaction sa = { .sa_handler = on_stop };
	struct vjail *j;
	int opt, lfd, rc, dump = 0;

	while ((opt = getopt(argc, argv, "p:f:dh")) != -1) {
		switch (opt) {
		case 'p':
			port = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'f':
			file = optarg;
			break;
		case 'd':
			dump = 1;
			break;
		default:
			fprintf(stderr, "usage: vjail-echod [-p PORT] "
				"[-f POLICY] [-d]\n");
			return opt == 'h' ? 0 : 2;
		}
	}
	if (port == 0 || port > 65535) {
		fprintf(stderr, "vjail-echod: bad port\n");
		return 2;
	}
	rc = vjail_create(&j, NULL, 0);
	if (rc == 0 && file != NULL)
		rc = vjail_load_config(j, file);
	else if (rc == 0)
		rc = vjail_load_config_text(j, "built-in policy", policy,
					    strlen(policy));
	if (rc == 0 && file == NULL && geteuid() == 0)
		rc = vjail_load_config_text(j, "built-in policy", policy_root,
					    strlen(policy_root));
	if (rc < 0) {
		fprintf(stderr, "vjail-echod: %s\n",
			j ? vjail_strerror(j) : strerror(-rc));
		return 1;
	}
	if (dump)
		return vjail_dump_config(j, STDOUT_FILENO) < 0;
	lfd = listen_on(port);
	rc = vjail_keep_fd(j, lfd, 0);
	if (rc == 0)
		rc = vjail_enter(j, 0);
	if (rc < 0) {
		fprintf(stderr, "vjail-echod: jail: %s\n", vjail_strerror(j));
		return 1;
	}
	/* Inside, as main (pid 2; the library's init is pid 1). The
	 * original process waits outside and exits with our status. */
	vjail_destroy(j);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	fprintf(stderr, "vjail-echod: jailed, serving 127.0.0.1:%u\n", port);
	serve(lfd);
	fprintf(stderr, "vjail-echod: stopped\n");
	return 0;
}
