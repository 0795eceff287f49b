/* kernel/init-rt.c - the C runtime of vjail-init on x86_64: its entry
 * point and the few C library calls it makes (init.c, uname-serve.c,
 * procview-live.c, procgen.c), as raw system calls under their libc
 * names and conventions (-1 and errno), so that vjail-init links without
 * a C library (mk/init.mk).
 *
 * Why: vjail-init lives as long as its jail, one per jail. A static
 * glibc costs every process 48 KiB of private memory before main() (its
 * data, TLS, heap, stdio and locale state, the relocated GOT, start-up
 * stack; measured on a static "pause()" program), which vjail-init needs
 * none of. Without it vjail-init keeps what it uses itself.
 *
 * What it does not have: threads, TLS beyond the stack protector's
 * canary, signal handlers (signal() takes SIG_DFL and SIG_IGN only),
 * stdio, locales. Anything else that vjail-init would call fails to link.
 * System calls are the ones glibc makes for the same calls, so the init's
 * seccomp allowlist (seccomp-profiles.c) is the same with either.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <elf.h>
#include <sys/mman.h>
#include <asm/prctl.h>
#include <linux/auxvec.h>

#if !defined(__x86_64__)
#error "kernel/init-rt.c is the x86_64 runtime; elsewhere vjail-init links glibc"
#endif

#if defined(__has_attribute)
#if __has_attribute(no_stack_protector)
#define VJ_NO_SSP __attribute__((no_stack_protector))
#endif
#endif
#ifndef VJ_NO_SSP
#define VJ_NO_SSP __attribute__((optimize("no-stack-protector")))
#endif

#define KSIGSET 8 /* the kernel's sigset_t: 64 signals */

int main(int argc, char **argv);

static int err_value;

int *__errno_location(void)
{
	return &err_value;
}

static long raw6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8),
			   "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#define SC(nr, ...) sc_args((nr), __VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define sc_args(nr, a, b, c, d, e, f, ...)                                     \
	libc_ret(raw6((nr), (long)(a), (long)(b), (long)(c), (long)(d),        \
		      (long)(e), (long)(f)))

/* The kernel's -errno to libc's -1 and errno. */
static long libc_ret(long r)
{
	if (r < 0 && r > -4096) {
		err_value = (int)-r;
		return -1;
	}
	return r;
}

/* ---- entry ---------------------------------------------------------------- */

/* The stack protector's canary lives at %fs:0x28, as with glibc: a
 * thread block of our own, its canary from the kernel's AT_RANDOM. */
static struct {
	void *self;
	uint64_t pad[4];
	uintptr_t canary; /* offset 0x28 */
} tcb;

/* Also the runtime's last word when its start-up fails. */
void __stack_chk_fail(void) __attribute__((noreturn));
VJ_NO_SSP void __stack_chk_fail(void)
{
	static const char msg[] = "vjail-init: stack smashed or bad start\n";

	raw6(__NR_write, STDERR_FILENO, (long)msg, sizeof(msg) - 1, 0, 0, 0);
	for (;;)
		raw6(__NR_exit_group, 127, 0, 0, 0, 0, 0);
}

/* What glibc's static start-up does for relro: built with -fno-pie
 * (mk/init.mk) vjail-init has nothing there, its constant tables of
 * pointers are in .rodata; CFLAGS with -fPIE would put them back. */
VJ_NO_SSP static long protect_relro(const Elf64_Phdr *ph, long n)
{
	for (long i = 0; i < n; i++) {
		uintptr_t lo, hi;

		if (ph[i].p_type != PT_GNU_RELRO)
			continue;
		lo = ph[i].p_vaddr & ~(uintptr_t)4095;
		hi = (ph[i].p_vaddr + ph[i].p_memsz) & ~(uintptr_t)4095;
		if (hi > lo)
			return raw6(__NR_mprotect, (long)lo, (long)(hi - lo),
				    PROT_READ, 0, 0, 0);
	}
	return 0;
}

void vj_rt_start(long *sp) __attribute__((noreturn, used));
VJ_NO_SSP void vj_rt_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	long *aux = sp + 1 + argc + 1, phnum = 0;
	const Elf64_Phdr *phdr = NULL;

	while (*aux != 0) /* past the environment */
		aux++;
	/* No call before %fs is set: a callee could check the canary. */
	for (aux++; aux[0] != AT_NULL; aux += 2)
		if (aux[0] == AT_RANDOM)
			__builtin_memcpy(&tcb.canary, (const void *)aux[1],
					 sizeof(tcb.canary));
		else if (aux[0] == AT_PHDR)
			phdr = (const Elf64_Phdr *)aux[1];
		else if (aux[0] == AT_PHNUM)
			phnum = aux[1];
	tcb.self = &tcb;
	/* Either cannot fail: say something and end, fail closed. */
	if (raw6(__NR_arch_prctl, ARCH_SET_FS, (long)&tcb, 0, 0, 0, 0) != 0 ||
	    (phdr != NULL && protect_relro(phdr, phnum) != 0))
		__stack_chk_fail();
	for (int rc = main(argc, argv);;)
		raw6(__NR_exit_group, rc, 0, 0, 0, 0, 0);
}

/* The ABI's entry state: %rsp at argc, 16-byte aligned; nothing to
 * return to. */
__asm__(".text\n"
	".global _start\n"
	".type _start, @function\n"
	"_start:\n"
	"	xor %ebp, %ebp\n"
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call vj_rt_start\n"
	"	hlt\n");

void _exit(int status)
{
	for (;;)
		raw6(__NR_exit_group, status, 0, 0, 0, 0, 0);
}

/* ---- system calls ----------------------------------------------------------- */

ssize_t read(int fd, void *buf, size_t len)
{
	return SC(__NR_read, fd, buf, len);
}

ssize_t write(int fd, const void *buf, size_t len)
{
	return SC(__NR_write, fd, buf, len);
}

ssize_t pread(int fd, void *buf, size_t len, off_t off)
{
	return SC(__NR_pread64, fd, buf, len, off);
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
	return SC(__NR_pwrite64, fd, buf, len, off);
}

int close(int fd)
{
	return (int)SC(__NR_close, fd);
}

int ftruncate(int fd, off_t len)
{
	return (int)SC(__NR_ftruncate, fd, len);
}

int ioctl(int fd, unsigned long req, ...)
{
	__builtin_va_list ap;
	void *arg;

	__builtin_va_start(ap, req);
	arg = __builtin_va_arg(ap, void *);
	__builtin_va_end(ap);
	return (int)SC(__NR_ioctl, fd, req, arg);
}

int prctl(int op, ...)
{
	__builtin_va_list ap;
	unsigned long a[4];

	__builtin_va_start(ap, op);
	for (int i = 0; i < 4; i++)
		a[i] = __builtin_va_arg(ap, unsigned long);
	__builtin_va_end(ap);
	return (int)SC(__NR_prctl, op, a[0], a[1], a[2], a[3]);
}

int kill(pid_t pid, int sig)
{
	return (int)SC(__NR_kill, pid, sig);
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return (pid_t)SC(__NR_wait4, pid, status, options, NULL);
}

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	return (int)SC(__NR_poll, fds, n, timeout);
}

ssize_t process_vm_writev(pid_t pid, const struct iovec *local,
			  unsigned long nlocal, const struct iovec *remote,
			  unsigned long nremote, unsigned long flags)
{
	return SC(__NR_process_vm_writev, pid, local, nlocal, remote, nremote,
		  flags);
}

int timerfd_create(clockid_t clock, int flags)
{
	return (int)SC(__NR_timerfd_create, clock, flags);
}

int timerfd_settime(int fd, int flags, const struct itimerspec *value,
		    struct itimerspec *old)
{
	return (int)SC(__NR_timerfd_settime, fd, flags, value, old);
}

/* ---- signals: the kernel's 64-bit mask is the first word of libc's ---- */

int sigemptyset(sigset_t *set)
{
	memset(set, 0, sizeof(*set));
	return 0;
}

int sigaddset(sigset_t *set, int sig)
{
	if (sig < 1 || sig > 8 * KSIGSET) {
		err_value = EINVAL;
		return -1;
	}
	((unsigned long *)set)[0] |= 1UL << (sig - 1);
	return 0;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	return (int)SC(__NR_rt_sigprocmask, how, set, old, KSIGSET);
}

int signalfd(int fd, const sigset_t *mask, int flags)
{
	return (int)SC(__NR_signalfd4, fd, mask, KSIGSET, flags);
}

/* SIG_DFL and SIG_IGN only: a handler would need a restorer. */
__sighandler_t signal(int sig, __sighandler_t handler)
{
	struct {
		__sighandler_t handler;
		unsigned long flags;
		void (*restorer)(void);
		unsigned long mask;
	} act = { .handler = handler }, old = { 0 };

	if (handler != SIG_DFL && handler != SIG_IGN) {
		err_value = EINVAL;
		return SIG_ERR;
	}
	if (SC(__NR_rt_sigaction, sig, &act, &old, KSIGSET) != 0)
		return SIG_ERR;
	return old.handler;
}

/* ---- strings: volatile, so that the compiler makes no call to these
 * very functions out of their loops ---- */

void *memset(void *s, int c, size_t n)
{
	volatile unsigned char *d = s;

	while (n-- > 0)
		*d++ = (unsigned char)c;
	return s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	volatile unsigned char *d = dst;
	const unsigned char *s = src;

	while (n-- > 0)
		*d++ = *s++;
	return dst;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n > 0; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}

size_t strlen(const char *s)
{
	const volatile char *p = s;

	while (*p != '\0')
		p++;
	return (size_t)(p - s);
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (*a == '\0')
			return 0;
	}
	return 0;
}

/* Only for vjail-init's last words: the errors its calls can give. */
char *strerror(int e)
{
	static const struct {
		int e;
		const char *text;
	} t[] = {
		{ EPERM, "Operation not permitted" },
		{ ENOENT, "No such file or directory" },
		{ EINTR, "Interrupted system call" },
		{ EBADF, "Bad file descriptor" },
		{ ECHILD, "No child processes" },
		{ EAGAIN, "Resource temporarily unavailable" },
		{ ENOMEM, "Cannot allocate memory" },
		{ EACCES, "Permission denied" },
		{ EFAULT, "Bad address" },
		{ EINVAL, "Invalid argument" },
		{ EMFILE, "Too many open files" },
		{ ENOSYS, "Function not implemented" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].e == e)
			return (char *)t[i].text;
	return (char *)"Unknown error";
}
