/* libvjail/landlock.h - Landlock rules of the jail. */
#ifndef VJ_LANDLOCK_H
#define VJ_LANDLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vj_port_rule {
	uint16_t port;
	unsigned int what; /* VJAIL_NET_BIND | VJAIL_NET_CONNECT */
};

struct vj_ll {
	struct vj_port_rule *ports;
	size_t nports;
	/* filled by prepare */
	int ruleset_fd; /* -1: no Landlock (waived, or nothing to handle) */
	bool nested;    /* main has a domain that pid 1 is outside of */
	uint64_t handled_fs;
	int abi;
};

struct vjail;
void vj_ll_free(struct vjail *j);

/* Prepare: fit the wanted rights to the kernel's ABI (strict unless
 * waived), create the ruleset and add the port rules. */
int vj_ll_prepare(struct vjail *j);

/* Commit, after pivot_root: add the path rules of the new root, then
 * restrict the calling process (no_new_privs is set by then). */
int vj_ll_commit(struct vjail *j);

/* Commit, in main with a pid namespace: nest a domain of the same rules,
 * so that the jail's processes cannot reach pid 1 (see landlock.c). */
int vj_ll_commit_main(struct vjail *j);

/* Close the ruleset fd (outside the jail, or once restricted). */
void vj_ll_close(struct vjail *j);

#endif
