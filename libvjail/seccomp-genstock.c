/* libvjail/seccomp-genstock.c - build-time generator of the stock seccomp
 * programs (seccomp-stock.h): compiles the init filter and the daemon and
 * minimal profiles (deny action ERRNO(EPERM), no caller rules) with the
 * library's own code (seccomp-bpf.c, seccomp-profiles.c) and prints
 * libvjail/seccomp-stock.c on stdout.
 *
 * It runs on the build machine, so the build skips it when
 * cross-compiling (mk/seccomp.mk). If it cannot compile here (libseccomp's
 * API level probes the running kernel, and a build sandbox may refuse
 * seccomp), it says why on stderr and prints the file without tables:
 * prepare then compiles at run time, as it did before the tables existed.
 * Exit status 0 either way, 1 only when stdout cannot be written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
#include <seccomp.h>

#include "seccomp-bpf.h"

struct gen {
	const char *name;                 /* the array's name */
	const struct vj_sc_profile *p;
	uint32_t deny;
	struct vj_sc_compiled c;
};

static void print_prog(const char *name, const void *prog, unsigned short len)
{
	const struct sock_filter *f = prog;

	printf("static const struct sock_filter %s[%u] = {\n", name, len);
	for (unsigned int i = 0; i < len; i++)
		printf("\t{ 0x%04x, %u, %u, 0x%08x },\n", f[i].code, f[i].jt,
		       f[i].jf, f[i].k);
	printf("};\n\n");
}

static void print_ref(const char *field, const char *name, const void *prog,
		      unsigned short len)
{
	if (prog == NULL)
		printf("\t.%s = { NULL, 0 },\n", field);
	else
		printf("\t.%s = { %s, %u },\n", field, name, len);
}

static const char head[] =
	"/* libvjail/seccomp-stock.c - GENERATED at build time by\n"
	" * libvjail/seccomp-genstock; do not edit, do not commit. The stock\n"
	" * seccomp programs, see libvjail/seccomp-stock.h. */\n"
	"#include <stddef.h>\n\n"
	"#include \"libvjail/seccomp-stock.h\"\n\n";

static int print_none(const char *why)
{
	fprintf(stderr,
		"seccomp-genstock: no precompiled seccomp programs (%s); "
		"vjail_enter() will compile them at run time\n",
		why);
	printf("%s/* none: %s */\n", head, why);
	printf("const struct vj_sc_stock *vj_sc_stock(void)\n{\n"
	       "\treturn NULL;\n}\n\n"
	       "const struct sock_filter *vj_sc_stock_init(unsigned short "
	       "*len)\n{\n\t*len = 0;\n\treturn NULL;\n}\n");
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}

int main(void)
{
	struct gen g[] = {
		{ "init", &vj_sc_init, SCMP_ACT_KILL_PROCESS, { 0 } },
		{ "daemon", &vj_sc_daemon, SCMP_ACT_ERRNO(EPERM), { 0 } },
		{ "minimal", &vj_sc_minimal, SCMP_ACT_ERRNO(EPERM), { 0 } },
	};
	const struct scmp_version *v = seccomp_version();
	char why[256];

	for (size_t i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		int rc = vj_sc_compile(g[i].p, g[i].name, g[i].deny, true,
				       NULL, 0, NULL, &g[i].c);

		if (rc < 0) {
			snprintf(why, sizeof(why), "%s filter: %s%s%s: %s",
				 g[i].c.what, g[i].c.step,
				 g[i].c.failed ? " " : "",
				 g[i].c.failed ? g[i].c.failed : "",
				 strerror(-rc));
			return print_none(why);
		}
	}
	printf("%s", head);
	for (size_t i = 0; i < sizeof(g) / sizeof(g[0]); i++)
		print_prog(g[i].name, g[i].c.prog, g[i].c.prog_len);
	printf("static const struct vj_sc_stock stock = {\n");
	printf("\t.scmp_major = %u,\n\t.scmp_minor = %u,\n\t.scmp_micro = %u,\n",
	       v->major, v->minor, v->micro);
	print_ref("init", "init", g[0].c.prog, g[0].c.prog_len);
	print_ref("daemon", "daemon", g[1].c.prog, g[1].c.prog_len);
	print_ref("minimal", "minimal", g[2].c.prog, g[2].c.prog_len);
	printf("};\n\n");
	printf("const struct vj_sc_stock *vj_sc_stock(void)\n{\n"
	       "\treturn &stock;\n}\n\n"
	       "const struct sock_filter *vj_sc_stock_init(unsigned short "
	       "*len)\n{\n\t*len = stock.init.len;\n\treturn stock.init.insns;"
	       "\n}\n");
	for (size_t i = 0; i < sizeof(g) / sizeof(g[0]); i++)
		free(g[i].c.prog);
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}
