/* libvjail/uts.h - host and domain name, virtual uname. */
#ifndef VJ_UTS_H
#define VJ_UTS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/utsname.h>
#include <linux/filter.h>

#define VJ_UTS_LEN 64 /* __NEW_UTS_LEN */

/* Call sites of uname(2) in the caller's C library (see uname.c). */
#define VJ_UNAME_SITES 8
/* Instructions of the largest uname filter: 4 + 5 per site + 8. */
#define VJ_UNAME_PROG_MAX (12 + 5 * VJ_UNAME_SITES)
/* Largest seccomp notification structure this library accepts. */
#define VJ_NOTIF_MAX 256

struct vj_uts {
	char hostname[VJ_UTS_LEN + 1];  /* "" = not set */
	char domainname[VJ_UTS_LEN + 1];
	char release[VJ_UTS_LEN + 1];   /* "" = the host's */
	char version[VJ_UTS_LEN + 1];
	char machine[VJ_UTS_LEN + 1];
	bool uname_set;

	/* Filled by prepare (uname.c): how uname(2) is answered. */
	bool virt;            /* a virtual uname is applied */
	bool serve;           /* init answers notifications (pid ns) */
	bool trap;            /* main traps the C library's calls (enter) */
	unsigned int nsites;  /* return addresses of those calls */
	uint64_t sites[VJ_UNAME_SITES];
	uint16_t notif_size;  /* SECCOMP_GET_NOTIF_SIZES */
	uint16_t resp_size;
	unsigned short notif_len; /* init's filter: uname -> user notif */
	struct sock_filter notif_prog[VJ_UNAME_PROG_MAX];
	unsigned short trap_len;  /* main's filter: uname at a site -> trap */
	struct sock_filter trap_prog[VJ_UNAME_PROG_MAX];
	/* Filled by commit. */
	int listener;         /* init: the notification fd, else -1 */
	struct utsname view;  /* what uname(2) returns in the jail */
	bool have_view;
};

struct vjail;

/* Prepare: names need the UTS namespace they live in; a virtual uname
 * needs what uname.c says (vj_uname_prepare()). */
int vj_uts_prepare(struct vjail *j);

/* Commit: set host and domain name in the jail's UTS namespace. */
int vj_uts_commit(struct vjail *j);

#endif
