/* kernel/landlock.h - Landlock uapi for ABI 1..7 under our own names.
 *
 * Debian 12's <linux/landlock.h> stops at ABI 2, and a newer system header
 * must never collide with these copies, so nothing here shares a name with
 * the kernel's header and that header is never included. Values are the
 * kernel's (include/uapi/linux/landlock.h); the ABI that introduced each one
 * is noted beside it.
 */
#ifndef VJ_KERNEL_LANDLOCK_H
#define VJ_KERNEL_LANDLOCK_H

#include <stdint.h>

/* The newest ABI this library knows. ABI 8 (all-threads restrict) and 9
 * exist upstream: code must clamp to this, never assume it is the last. */
#define VJ_LANDLOCK_ABI_MAX 7

struct vj_landlock_ruleset_attr {
	uint64_t handled_access_fs;  /* ABI 1 */
	uint64_t handled_access_net; /* ABI 4 */
	uint64_t scoped;             /* ABI 6 */
};

/* Size of the attribute struct each ABI knows: pass no more than this, the
 * kernel answers E2BIG to a non-zero tail it does not know. */
#define VJ_LANDLOCK_ATTR_SIZE_ABI1 8
#define VJ_LANDLOCK_ATTR_SIZE_ABI4 16
#define VJ_LANDLOCK_ATTR_SIZE_ABI6 24

/* landlock_create_ruleset() flags */
#define VJ_LANDLOCK_CREATE_RULESET_VERSION (1u << 0) /* ABI 1 */
#define VJ_LANDLOCK_CREATE_RULESET_ERRATA (1u << 1)  /* ABI 7 */

/* landlock_add_rule() rule types */
#define VJ_LANDLOCK_RULE_PATH_BENEATH 1 /* ABI 1 */
#define VJ_LANDLOCK_RULE_NET_PORT 2     /* ABI 4 */

struct vj_landlock_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

struct vj_landlock_net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};

/* Filesystem rights */
#define VJ_LL_FS_EXECUTE (UINT64_C(1) << 0)      /* ABI 1 */
#define VJ_LL_FS_WRITE_FILE (UINT64_C(1) << 1)   /* ABI 1 */
#define VJ_LL_FS_READ_FILE (UINT64_C(1) << 2)    /* ABI 1 */
#define VJ_LL_FS_READ_DIR (UINT64_C(1) << 3)     /* ABI 1 */
#define VJ_LL_FS_REMOVE_DIR (UINT64_C(1) << 4)   /* ABI 1 */
#define VJ_LL_FS_REMOVE_FILE (UINT64_C(1) << 5)  /* ABI 1 */
#define VJ_LL_FS_MAKE_CHAR (UINT64_C(1) << 6)    /* ABI 1 */
#define VJ_LL_FS_MAKE_DIR (UINT64_C(1) << 7)     /* ABI 1 */
#define VJ_LL_FS_MAKE_REG (UINT64_C(1) << 8)     /* ABI 1 */
#define VJ_LL_FS_MAKE_SOCK (UINT64_C(1) << 9)    /* ABI 1 */
#define VJ_LL_FS_MAKE_FIFO (UINT64_C(1) << 10)   /* ABI 1 */
#define VJ_LL_FS_MAKE_BLOCK (UINT64_C(1) << 11)  /* ABI 1 */
#define VJ_LL_FS_MAKE_SYM (UINT64_C(1) << 12)    /* ABI 1 */
#define VJ_LL_FS_REFER (UINT64_C(1) << 13)       /* ABI 2, Linux 5.19 */
#define VJ_LL_FS_TRUNCATE (UINT64_C(1) << 14)    /* ABI 3, Linux 6.2 */
#define VJ_LL_FS_IOCTL_DEV (UINT64_C(1) << 15)   /* ABI 5, Linux 6.10 */

#define VJ_LL_FS_ABI1 ((UINT64_C(1) << 13) - 1)

/* Network rights (ABI 4, Linux 6.7) */
#define VJ_LL_NET_BIND_TCP (UINT64_C(1) << 0)
#define VJ_LL_NET_CONNECT_TCP (UINT64_C(1) << 1)

/* Scopes (ABI 6, Linux 6.12) */
#define VJ_LL_SCOPE_ABSTRACT_UNIX_SOCKET (UINT64_C(1) << 0)
#define VJ_LL_SCOPE_SIGNAL (UINT64_C(1) << 1)

/* landlock_restrict_self() flags (ABI 7, Linux 6.15): audit logging */
#define VJ_LL_RESTRICT_SELF_LOG_SAME_EXEC_OFF (1u << 0)
#define VJ_LL_RESTRICT_SELF_LOG_NEW_EXEC_ON (1u << 1)
#define VJ_LL_RESTRICT_SELF_LOG_SUBDOMAINS_OFF (1u << 2)

#endif /* VJ_KERNEL_LANDLOCK_H */
