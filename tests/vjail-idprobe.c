/* tests/vjail-idprobe.c - a statically linked program that the identity
 * tests (check_identity.c) and the uname benchmark run inside a jail. It
 * asks the kernel itself, with a raw syscall instruction of its own, so
 * that no C library function can be what answers.
 *
 *   vjail-idprobe uname      "uname RC SYSNAME|NODENAME|RELEASE|VERSION|MACHINE"
 *                            for itself, then "grandchild ..." from a fork
 *   vjail-idprobe badptr     "badptr RC": uname(2) on an unmapped address
 *   vjail-idprobe clocks     "sysinfo S", "boottime S", "monotonic S",
 *                            "realtime S" (seconds)
 *   vjail-idprobe bench N    "ns_per_call X" for N raw uname(2) calls
 *   vjail-idprobe hold M S   allocate and touch M MiB, print "held M",
 *                            keep them S seconds
 *
 * Exit status 0, or 2 on a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* uname(2) by a syscall instruction in this program's own text. */
static long raw_uname(void *buf)
{
	long ret;

#if defined(__x86_64__)
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"((long)SYS_uname), "D"(buf)
			 : "rcx", "r11", "memory");
#else
	ret = syscall(SYS_uname, buf);
#endif
	return ret;
}

static void print_uname(const char *tag)
{
	struct utsname u;
	long rc;

	memset(&u, 0, sizeof(u));
	rc = raw_uname(&u);
	printf("%s %ld %s|%s|%s|%s|%s\n", tag, rc, u.sysname, u.nodename,
	       u.release, u.version, u.machine);
	fflush(stdout);
}

static double seconds(clockid_t clock)
{
	struct timespec t;

	if (clock_gettime(clock, &t) != 0)
		return -1;
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "uname") == 0) {
		pid_t pid;

		print_uname("uname");
		pid = fork();
		if (pid == 0) {
			print_uname("grandchild");
			_exit(0);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "badptr") == 0) {
		printf("badptr %ld\n", raw_uname((void *)8));
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "clocks") == 0) {
		struct sysinfo si;

		if (sysinfo(&si) != 0)
			si.uptime = -1;
		printf("sysinfo %ld\nboottime %.3f\nmonotonic %.3f\n"
		       "realtime %.3f\n",
		       (long)si.uptime, seconds(CLOCK_BOOTTIME),
		       seconds(CLOCK_MONOTONIC), seconds(CLOCK_REALTIME));
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "bench") == 0) {
		long n = atol(argv[2]);
		struct utsname u;
		double t0;

		if (n <= 0)
			return 2;
		t0 = seconds(CLOCK_MONOTONIC);
		for (long i = 0; i < n; i++)
			raw_uname(&u);
		printf("ns_per_call %.1f\n",
		       (seconds(CLOCK_MONOTONIC) - t0) * 1e9 / (double)n);
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "hold") == 0) {
		size_t bytes = (size_t)atol(argv[2]) << 20;
		volatile char *p = malloc(bytes);

		if (p == NULL)
			return 1;
		/* Every page touched, through volatile so that the compiler
		 * keeps the stores: charged to the cgroup. */
		for (size_t i = 0; i < bytes; i += 4096)
			p[i] = 1;
		printf("held %s\n", argv[2]);
		fflush(stdout);
		sleep((unsigned int)atoi(argv[3]));
		return p[0] == 1 ? 0 : 1;
	}
	fprintf(stderr, "usage: %s uname|badptr|clocks|bench N|hold M S\n",
		argv[0]);
	return 2;
}
