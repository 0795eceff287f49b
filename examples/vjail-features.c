/* vjail-features - print what this kernel offers libvjail, one line each.
 *
 * The first program on the public API: a daemon can log the same before it
 * calls vjail_enter(). Exit status 0 whatever the kernel offers.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <vjail.h>

/* What each bit gives a jail, and how (-v); indexed by bit number. */
static const char *const how[] = {
	"user namespace: root inside, no privilege outside",
	"pid namespace: the jail sees its own processes; library init is pid 1",
	"mount namespace: new root by pivot_root, old root detached",
	"ipc namespace: private System V IPC and POSIX message queues",
	"uts namespace: the jail's host and domain name, set at enter",
	"network namespace: loopback only",
	"cgroup namespace: the jail's cgroup shows as /",
	"time namespace: boottime and monotonic clocks (uptime) start at 0",
	"unprivileged callers may create a user namespace",
	"Landlock filesystem rules: the jail's tree only",
	"Landlock TCP rules: bind and connect on allowed ports only",
	"Landlock scopes: abstract unix sockets and signals",
	"seccomp filters: the syscall profiles",
	"seccomp user notification",
	"seccomp log action: learn mode",
	"cgroup v2 with controllers",
	"cgroup v1 controllers",
	"memory controller, writable here",
	"pids controller, writable here",
	"cpu controller, writable here",
	"io controller, writable here",
	"virtual uname: init answers exec'd programs (user notification), "
	"the entering process traps its own calls (SIGSYS)",
	"per-jail /proc files bound read-only: osrelease, version, cmdline",
};

int main(int argc, char **argv)
{
	uint64_t have = vjail_features();
	int verbose = 0;

	if (argc > 1 && (strcmp(argv[1], "-h") == 0 ||
			 strcmp(argv[1], "--help") == 0)) {
		printf("usage: %s [-v]\nPrint the kernel features libvjail can "
		       "use, one per line: NAME yes|no;\nwith -v, also what "
		       "each gives a jail and how.\n", argv[0]);
		return 0;
	}
	if (argc > 1 && (strcmp(argv[1], "-v") == 0 ||
			 strcmp(argv[1], "--verbose") == 0))
		verbose = 1;
	printf("libvjail %s\n", vjail_version_string());
	for (unsigned int bit = 0; bit < 64; bit++) {
		const char *name = vjail_feature_name(UINT64_C(1) << bit);

		if (name == NULL)
			continue;
		printf(verbose ? "%-16s %-3s" : "%-16s %s", name,
		       (have >> bit) & 1 ? "yes" : "no");
		if (verbose && bit < sizeof(how) / sizeof(how[0]))
			printf("  %s", how[bit]);
		printf("\n");
	}
	printf("%-16s %d\n", "landlock-abi", vjail_landlock_abi());
	return 0;
}
