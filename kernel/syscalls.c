/* kernel/syscalls.c - raw syscall wrappers, libc convention (-1, errno).
 *
 * The only file of the project that calls syscall(2). Each wrapper is one
 * line on purpose: policy belongs above this layer.
 */
#include <unistd.h>

#include "compat.h"
#include "syscalls.h"

#ifndef __NR_pidfd_send_signal
#define __NR_pidfd_send_signal 424
#endif

int vj_sys_pivot_root(const char *new_root, const char *put_old)
{
	return (int)syscall(SYS_pivot_root, new_root, put_old);
}

int vj_sys_landlock_create_ruleset(const struct vj_landlock_ruleset_attr *attr,
				   size_t size, uint32_t flags)
{
	return (int)syscall(__NR_landlock_create_ruleset, attr, size, flags);
}

int vj_sys_landlock_add_rule(int ruleset_fd, int rule_type,
			     const void *rule_attr, uint32_t flags)
{
	return (int)syscall(__NR_landlock_add_rule, ruleset_fd, rule_type,
			    rule_attr, flags);
}

int vj_sys_landlock_restrict_self(int ruleset_fd, uint32_t flags)
{
	return (int)syscall(__NR_landlock_restrict_self, ruleset_fd, flags);
}

pid_t vj_sys_clone3(struct vj_clone_args *args, size_t size)
{
	return (pid_t)syscall(__NR_clone3, args, size);
}

int vj_sys_pidfd_open(pid_t pid, unsigned int flags)
{
	return (int)syscall(__NR_pidfd_open, pid, flags);
}

int vj_sys_pidfd_send_signal(int pidfd, int sig, unsigned int flags)
{
	return (int)syscall(__NR_pidfd_send_signal, pidfd, sig, NULL, flags);
}

int vj_sys_mount_setattr(int dirfd, const char *path, unsigned int flags,
			 struct vj_mount_attr *attr, size_t size)
{
	return (int)syscall(__NR_mount_setattr, dirfd, path, flags, attr, size);
}

int vj_sys_open_tree(int dirfd, const char *path, unsigned int flags)
{
	return (int)syscall(__NR_open_tree, dirfd, path, flags);
}

int vj_sys_openat2(int dirfd, const char *path, struct open_how *how,
		   size_t size)
{
	return (int)syscall(__NR_openat2, dirfd, path, how, size);
}

int vj_sys_statmount(const struct vj_mnt_id_req *req, struct vj_statmount *buf,
		     size_t bufsize, unsigned int flags)
{
	return (int)syscall(__NR_statmount, req, buf, bufsize, flags);
}

int vj_sys_move_mount(int from_dirfd, const char *from_path, int to_dirfd,
		      const char *to_path, unsigned int flags)
{
	return (int)syscall(__NR_move_mount, from_dirfd, from_path, to_dirfd,
			    to_path, flags);
}

int vj_sys_seccomp(unsigned int op, unsigned int flags, void *args)
{
	return (int)syscall(SYS_seccomp, op, flags, args);
}

int vj_sys_execveat(int dirfd, const char *path, char *const argv[],
		    char *const envp[], int flags)
{
	return (int)syscall(SYS_execveat, dirfd, path, argv, envp, flags);
}

int vj_sys_setresuid(uid_t r, uid_t e, uid_t s)
{
	return (int)syscall(SYS_setresuid, r, e, s);
}

int vj_sys_setresgid(gid_t r, gid_t e, gid_t s)
{
	return (int)syscall(SYS_setresgid, r, e, s);
}

int vj_sys_setgroups(size_t n, const gid_t *groups)
{
	return (int)syscall(SYS_setgroups, n, groups);
}

int vj_sys_rseq(void *area, uint32_t len, int flags, uint32_t sig)
{
	return (int)syscall(SYS_rseq, area, len, flags, sig);
}

int vj_sys_uname(struct utsname *buf)
{
	return (int)syscall(SYS_uname, buf);
}

int vj_sys_rt_sigprocmask(int how, const void *set, void *oldset, size_t size)
{
	return (int)syscall(SYS_rt_sigprocmask, how, set, oldset, size);
}

int vj_sys_capget(void *hdr, void *data)
{
	return (int)syscall(SYS_capget, hdr, data);
}
