/* libvjail/seccomp-stock.h - the stock seccomp programs, compiled at build
 * time: the init filter, and the daemon and minimal profiles (one program
 * each) with the default deny action ERRNO(EPERM) and no caller rules.
 *
 * Why: compiling the three filters with libseccomp costs about 1.4 ms of
 * every vjail_enter(); most jails use a stock profile unchanged. The build
 * runs libvjail/seccomp-genstock, which compiles them with the same code as
 * prepare (seccomp-bpf.c, seccomp-profiles.c) and writes the programs as
 * static arrays into libvjail/seccomp-stock.c in the build directory
 * (never in the source tree). When cross-compiling, or when the generator
 * cannot compile on the build machine, that file comes from
 * seccomp-stock-none.c instead: no tables, and prepare compiles as before.
 *
 * Staleness: the tables record the libseccomp version that produced them;
 * prepare uses them only when the running libseccomp has the same version
 * (seccomp_version()), and tests/check_seccomp.c compiles each stock filter
 * at run time and compares it byte for byte.
 *
 * The generated file depends on nothing but <linux/filter.h>, so that a
 * small static program (an exec'd init) can link it for the init filter.
 */
#ifndef VJ_SECCOMP_STOCK_H
#define VJ_SECCOMP_STOCK_H

#include <linux/filter.h>

struct vj_sc_stock_prog {
	const struct sock_filter *insns; /* NULL: not available */
	unsigned short len;              /* in instructions */
};

struct vj_sc_stock {
	/* seccomp_version() of the libseccomp that compiled them */
	unsigned int scmp_major, scmp_minor, scmp_micro;
	struct vj_sc_stock_prog init;
	struct vj_sc_stock_prog daemon;
	struct vj_sc_stock_prog minimal;
};

/* The tables, or NULL when this build has none. */
const struct vj_sc_stock *vj_sc_stock(void);

/* The init filter alone (pid 1 of a jail: reap, forward signals, exit), for
 * an init that cannot run libseccomp: its program and length, or NULL. */
const struct sock_filter *vj_sc_stock_init(unsigned short *len);

#endif /* VJ_SECCOMP_STOCK_H */
