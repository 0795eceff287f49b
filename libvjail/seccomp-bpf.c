/* libvjail/seccomp-bpf.c - turning a profile (plus the caller's rules)
 * into raw BPF with libseccomp (one program, or two): the context
 * attributes, the rules (vj_sc_build_profile()), and the export into
 * memory.
 *
 * Why a file of its own: the library compiles here at prepare when it
 * cannot use the precompiled stock programs, and the build-time generator
 * of those programs (seccomp-genstock.c) links this file and
 * seccomp-profiles.c, so that both run the same sequence and produce the
 * same bytes; tests/check_seccomp.c compares the two. Nothing here touches
 * the process or a struct vjail: errors are -errno plus what failed, and
 * seccomp.c turns them into messages.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <linux/filter.h>
#include <seccomp.h>

#include "seccomp-bpf.h"

/* A libseccomp context for the native architecture alone. i386 (int 0x80)
 * and x32 (syscall numbers with bit 30 set, which libseccomp checks for on
 * x86_64) are not added, so they take the bad-architecture action: kill. */
static int new_ctx(uint32_t dflt, scmp_filter_ctx *ctx, const char **step)
{
	int rc;

	*ctx = seccomp_init(dflt);
	if (*ctx == NULL) {
		/* seccomp_init() refuses an action the kernel or the
		 * library's API level lacks (KILL_PROCESS and LOG need
		 * level 3, Linux 4.14), else it ran out of memory. */
		*step = "seccomp_init";
		return seccomp_api_get() < 3 ? -EOPNOTSUPP : -ENOMEM;
	}
	rc = seccomp_attr_set(*ctx, SCMP_FLTATR_ACT_BADARCH,
			      SCMP_ACT_KILL_PROCESS);
	/* libvjail sets no_new_privs itself, in the credentials step. */
	if (rc == 0)
		rc = seccomp_attr_set(*ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (rc < 0) {
		*step = "attributes";
		goto fail;
	}
	/* Binary tree of syscall numbers (libseccomp 2.5+): O(log n) for
	 * what the kernel's action cache does not already skip. An older
	 * libseccomp keeps its linear, priority-ordered program. */
	rc = seccomp_attr_set(*ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (rc < 0 && rc != -EINVAL && rc != -EOPNOTSUPP) {
		*step = "optimize";
		goto fail;
	}
	return 0;
fail:
	seccomp_release(*ctx);
	*ctx = NULL;
	return rc;
}

/* Export @ctx as raw BPF into a malloc'd buffer. */
static int export_prog(scmp_filter_ctx ctx, void **prog, unsigned short *len,
		       const char **step)
{
	size_t size = 0;
	void *buf;
	int rc;

	*step = "export";
#if HAVE_DECL_SECCOMP_EXPORT_BPF_MEM
	/* libseccomp 2.6+: ask the size, then fill. */
	rc = seccomp_export_bpf_mem(ctx, NULL, &size);
	if (rc < 0)
		return rc;
	buf = malloc(size ? size : 1);
	if (buf == NULL)
		return -ENOMEM;
	rc = seccomp_export_bpf_mem(ctx, buf, &size);
	if (rc < 0) {
		free(buf);
		return rc;
	}
#else
	/* libseccomp 2.5 writes only to a descriptor. A memfd never blocks
	 * (a pipe would, past its capacity) and touches no filesystem. */
	struct stat st;
	ssize_t n;
	int fd;

	fd = memfd_create("vjail-seccomp", MFD_CLOEXEC);
	if (fd < 0) {
		*step = "memfd_create";
		return -errno;
	}
	rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	if (fstat(fd, &st) != 0) {
		rc = -errno;
		close(fd);
		*step = "fstat memfd";
		return rc;
	}
	size = (size_t)st.st_size;
	buf = malloc(size ? size : 1);
	if (buf == NULL) {
		close(fd);
		return -ENOMEM;
	}
	n = pread(fd, buf, size, 0);
	rc = errno;
	close(fd);
	if (n < 0 || (size_t)n != size) {
		free(buf);
		*step = "read back";
		return n < 0 ? -rc : -EIO;
	}
#endif
	/* The kernel's limits (BPF_MAXINSNS): check here, not in commit. */
	if (size == 0 || size % sizeof(struct sock_filter) != 0 ||
	    size / sizeof(struct sock_filter) > BPF_MAXINSNS) {
		free(buf);
		*step = "program size";
		return -E2BIG;
	}
	*prog = buf;
	*len = (unsigned short)(size / sizeof(struct sock_filter));
	return 0;
}

int vj_sc_compile(const struct vj_sc_profile *p, const char *what,
		  uint32_t deny, bool one_program,
		  const struct vj_sc_rule *rules, size_t nrules,
		  uint32_t (*action_of)(const struct vj_sc_rule *),
		  struct vj_sc_compiled *out)
{
	struct vj_sc_build b = { .deny = deny, .skip = rules, .nskip = nrules };
	int rc;

	*out = (struct vj_sc_compiled){ .what = what };
	rc = new_ctx(deny, &b.main, &out->step);
	if (rc < 0)
		return rc;
	if (!one_program) {
		rc = new_ctx(SCMP_ACT_ALLOW, &b.args, &out->step);
		if (rc < 0) {
			out->what = "argument";
			goto done;
		}
	}
	rc = vj_sc_build_profile(p, &b);
	if (rc < 0) {
		out->step = "rule";
		out->failed = b.failed;
		goto done;
	}
	/* The caller's rules replace the profile's entry for that syscall,
	 * argument checks included (vjail_syscall_rule() says so). A rule
	 * equal to the deny action is the default already. */
	for (size_t i = 0; i < nrules; i++) {
		uint32_t act = action_of(&rules[i]);

		if (act == deny)
			continue;
		rc = seccomp_rule_add(b.main, act, rules[i].nr, 0);
		if (rc < 0) {
			out->step = "rule";
			out->failed_nr = rules[i].nr;
			goto done;
		}
	}
	rc = export_prog(b.main, &out->prog, &out->prog_len, &out->step);
	if (rc == 0 && b.nargs > 0) {
		rc = export_prog(b.args, &out->argprog, &out->argprog_len,
				 &out->step);
		if (rc < 0) {
			out->what = "argument";
			free(out->prog);
			out->prog = NULL;
			out->prog_len = 0;
		}
	}
done:
	if (b.args != NULL)
		seccomp_release(b.args);
	seccomp_release(b.main);
	return rc;
}
