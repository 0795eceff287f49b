/* kernel/syscalls.h - raw wrappers for the syscalls glibc 2.36 lacks.
 *
 * Every wrapper follows the libc convention: -1 and errno on failure, so
 * that the day glibc grows a wrapper the call sites do not change. Nothing
 * outside kernel/ calls syscall(2) directly.
 */
#ifndef VJ_KERNEL_SYSCALLS_H
#define VJ_KERNEL_SYSCALLS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "landlock.h"

struct sock_fprog;

/* struct clone_args of clone3(2), up to the cgroup field (Linux 5.7). */
struct vj_clone_args {
	uint64_t flags;
	uint64_t pidfd;
	uint64_t child_tid;
	uint64_t parent_tid;
	uint64_t exit_signal;
	uint64_t stack;
	uint64_t stack_size;
	uint64_t tls;
	uint64_t set_tid;
	uint64_t set_tid_size;
	uint64_t cgroup;
};

/* struct mnt_id_req of statmount(2), first version (Linux 6.8). */
struct vj_mnt_id_req {
	uint32_t size;
	uint32_t spare;
	uint64_t mnt_id;
	uint64_t param;  /* VJ_STATMOUNT_* wanted */
};

/* struct statmount of statmount(2): the fixed part is 520 bytes in every
 * kernel so far (new fields take spare room); only the fields up to
 * mnt_point are named. String fields are offsets into str[]. */
struct vj_statmount {
	uint32_t size;
	uint32_t mnt_opts; /* Linux 6.11 */
	uint64_t mask;     /* what was filled in */
	uint32_t sb_dev_major;
	uint32_t sb_dev_minor;
	uint64_t sb_magic;
	uint32_t sb_flags;
	uint32_t fs_type;
	uint64_t mnt_id;
	uint64_t mnt_parent_id;
	uint32_t mnt_id_old;
	uint32_t mnt_parent_id_old;
	uint64_t mnt_attr;
	uint64_t mnt_propagation;
	uint64_t mnt_peer_group;
	uint64_t mnt_master;
	uint64_t propagate_from;
	uint32_t mnt_root;
	uint32_t mnt_point;
	uint64_t spare[50];
	char str[];
};

/* struct mount_attr of mount_setattr(2). */
struct vj_mount_attr {
	uint64_t attr_set;
	uint64_t attr_clr;
	uint64_t propagation;
	uint64_t userns_fd;
};

int vj_sys_pivot_root(const char *new_root, const char *put_old);
int vj_sys_landlock_create_ruleset(const struct vj_landlock_ruleset_attr *attr,
				   size_t size, uint32_t flags);
int vj_sys_landlock_add_rule(int ruleset_fd, int rule_type,
			     const void *rule_attr, uint32_t flags);
int vj_sys_landlock_restrict_self(int ruleset_fd, uint32_t flags);
/* Like fork(2) when args->stack is 0: returns 0 in the child. */
pid_t vj_sys_clone3(struct vj_clone_args *args, size_t size);
int vj_sys_pidfd_open(pid_t pid, unsigned int flags);
int vj_sys_pidfd_send_signal(int pidfd, int sig, unsigned int flags);
int vj_sys_mount_setattr(int dirfd, const char *path, unsigned int flags,
			 struct vj_mount_attr *attr, size_t size);
int vj_sys_open_tree(int dirfd, const char *path, unsigned int flags);
struct open_how;
int vj_sys_openat2(int dirfd, const char *path, struct open_how *how,
		   size_t size);
int vj_sys_statmount(const struct vj_mnt_id_req *req, struct vj_statmount *buf,
		     size_t bufsize, unsigned int flags);
int vj_sys_move_mount(int from_dirfd, const char *from_path, int to_dirfd,
		      const char *to_path, unsigned int flags);
int vj_sys_seccomp(unsigned int op, unsigned int flags, void *args);
/* setresuid(2), setresgid(2), setgroups(2) of the calling thread alone.
 * glibc's wrappers change the ids of every thread glibc knows of; in a
 * process cloned from a multi-threaded caller (vjail_spawn()) those
 * threads are the caller's (on its memory, with CLONE_VM) or gone (in a
 * copy), and the wrapper signals them and waits for them, forever when
 * one was being created at the clone. */
int vj_sys_setresuid(uid_t r, uid_t e, uid_t s);
int vj_sys_setresgid(gid_t r, gid_t e, gid_t s);
int vj_sys_setgroups(size_t n, const gid_t *groups);

/* rseq(2): register @area (of @len bytes) as this thread's restartable
 * sequences area, @sig the abort signature. */
int vj_sys_rseq(void *area, uint32_t len, int flags, uint32_t sig);

/* execveat(2): with AT_EMPTY_PATH, the program behind @dirfd itself. */
int vj_sys_execveat(int dirfd, const char *path, char *const argv[],
		    char *const envp[], int flags);
/* uname(2) through the C library's syscall(), not its uname(). */
struct utsname;
int vj_sys_uname(struct utsname *buf);
/* capget(2) (glibc has no declaration): @hdr and @data are the kernel's
 * struct __user_cap_header_struct and __user_cap_data_struct[2]. */
int vj_sys_capget(void *hdr, void *data);
/* rt_sigprocmask(2) itself, with the kernel's @size (8 on x86_64). */
int vj_sys_rt_sigprocmask(int how, const void *set, void *oldset,
			  size_t size);

#endif /* VJ_KERNEL_SYSCALLS_H */
