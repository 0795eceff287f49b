/* kernel/compat.h - constants newer than Debian 12's linux-libc-dev 6.1.
 *
 * Each is a #ifndef backfill with the kernel's value, so a newer system
 * header wins and an older one still builds.
 */
#ifndef VJ_KERNEL_COMPAT_H
#define VJ_KERNEL_COMPAT_H

#include <sched.h>
#include <linux/ioctl.h>
#include <linux/types.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080 /* Linux 5.6 */
#endif
#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL /* Linux 5.7, clone3 only */
#endif

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif
#ifndef PR_SET_NO_NEW_PRIVS
#define PR_SET_NO_NEW_PRIVS 38
#endif

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif
#ifndef CGROUP_SUPER_MAGIC
#define CGROUP_SUPER_MAGIC 0x27e0eb
#endif

/* mount_setattr(2), Linux 5.12 */
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV 0x00000004
#define MOUNT_ATTR_NOEXEC 0x00000008
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC 02000000
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif

/* seccomp(2) */
#ifndef SECCOMP_SET_MODE_FILTER
#define SECCOMP_SET_MODE_FILTER 1
#endif
#ifndef SECCOMP_GET_ACTION_AVAIL
#define SECCOMP_GET_ACTION_AVAIL 2
#endif
#ifndef SECCOMP_GET_NOTIF_SIZES
#define SECCOMP_GET_NOTIF_SIZES 3
#endif
#ifndef SECCOMP_FILTER_FLAG_TSYNC
#define SECCOMP_FILTER_FLAG_TSYNC (1UL << 0)
#endif
#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif
#ifndef SECCOMP_RET_LOG
#define SECCOMP_RET_LOG 0x7ffc0000U
#endif
/* Linux 6.6; named here, not backfilled: older uapi headers have the
 * ioctl base but not this request. */
#define VJ_SECCOMP_IOCTL_NOTIF_SET_FLAGS _IOW('!', 4, __u64)
#define VJ_SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP 1UL
#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1 /* si_code of a seccomp SIGSYS; glibc lacks it */
#endif
#ifndef SECCOMP_RET_USER_NOTIF
#define SECCOMP_RET_USER_NOTIF 0x7fc00000U
#endif

/* The syscall numbers glibc 2.36 may not name (x86_64 values; other
 * architectures use the same numbers for these "new" syscalls). */
#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif
#ifndef __NR_clone3
#define __NR_clone3 435
#endif
#ifndef __NR_open_tree
#define __NR_open_tree 428
#endif
#ifndef __NR_move_mount
#define __NR_move_mount 429
#endif
#ifndef __NR_mount_setattr
#define __NR_mount_setattr 442
#endif
#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#define __NR_landlock_add_rule 445
#define __NR_landlock_restrict_self 446
#endif
#ifndef __NR_statmount
#define __NR_statmount 457 /* Linux 6.8 */
#endif

/* statx(2)'s 64-bit mount id, the one statmount(2) takes (Linux 6.8). */
#define VJ_STATX_MNT_ID_UNIQUE 0x00004000U
/* What statmount(2) is asked for (Linux 6.8; MNT_OPTS 6.11). */
#define VJ_STATMOUNT_MNT_ROOT 0x00000008U
#define VJ_STATMOUNT_MNT_POINT 0x00000010U
#define VJ_STATMOUNT_FS_TYPE 0x00000020U
#define VJ_STATMOUNT_MNT_OPTS 0x00000080U

#endif /* VJ_KERNEL_COMPAT_H */
