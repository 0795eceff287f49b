/* libvjail/uname-serve.c - the init's half of the virtual uname(2): take
 * one notification from the listener and write the jail's answer into the
 * caller (uname.c explains both halves). Linked into vjail-init, which
 * has no handle: everything it needs is in struct vj_uname_srv.
 * Async-signal-safe, no allocation.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "uname.h"
#include "uts.h"

#ifdef VJ_UNAME_ARCH
static int answer(const struct vj_uname_srv *s, const struct seccomp_notif *n)
{
	struct iovec local = { .iov_base = (void *)&s->view,
			       .iov_len = sizeof(s->view) };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)n->data.args[0],
				.iov_len = sizeof(s->view) };
	uint64_t id = n->id;
	ssize_t w;

	if (n->data.arch != VJ_UNAME_ARCH || n->data.nr != __NR_uname)
		return -EPERM; /* our filter sends nothing else */
	/*
	 * Is the caller still waiting? Then n->pid is still that process.
	 * process_vm_writev() cannot pin it, so a caller killed right after
	 * this check, reaped, and its pid reused inside the jail before the
	 * write would let the write reach the new process: it can only be a
	 * process that init may ptrace (same ids, dumpable), whose memory
	 * any process of the jail with those ids may already write through
	 * /proc/PID/mem, and what is written is the jail's own uname.
	 * Unlike /proc/PID/mem, process_vm_writev() respects page
	 * protections: a read-only buffer gets EFAULT, as from the kernel.
	 */
	if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) != 0)
		return -ESRCH;
	w = process_vm_writev((pid_t)n->pid, &local, 1, &remote, 1, 0);
	if (w == (ssize_t)sizeof(s->view))
		return 0;
	if (w >= 0 || errno == EFAULT)
		return -EFAULT;
	return -EPERM; /* not dumpable, other ids, Yama: never the host's */
}
#endif

void vj_uname_serve(const struct vj_uname_srv *s)
{
#ifdef VJ_UNAME_ARCH
	union {
		struct seccomp_notif n;
		unsigned char raw[VJ_NOTIF_MAX];
	} req;
	union {
		struct seccomp_notif_resp r;
		unsigned char raw[VJ_NOTIF_MAX];
	} resp;

	/* The kernel wants a zeroed buffer of its own size (checked in
	 * prepare to fit). */
	memset(&req, 0, sizeof(req));
	if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_RECV, &req) != 0)
		return; /* ENOENT: the caller died meanwhile */
	memset(&resp, 0, sizeof(resp));
	resp.r.id = req.n.id;
	resp.r.error = answer(s, &req.n);
	/* ENOENT: the caller died meanwhile; nobody to tell. */
	(void)ioctl(s->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
#else
	(void)s;
#endif
}
