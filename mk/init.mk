# mk/init.mk - build rules of vjail-init, the library's init (pid 1 of a
# jail with a pid namespace; libvjail/init.c), included by Makefile.am.
#
# Installed in $(pkglibexecdir), whose path the library has compiled in;
# the tests and benchmarks of the build tree name theirs in $VJAIL_INIT.
# Static: after pivot_root the jail has no ld.so or C library of ours.
# Without sanitizers, which cannot link statically.
pkglibexec_PROGRAMS = libvjail/vjail-init
libvjail_vjail_init_SOURCES = $(vj_init_rt) libvjail/init.c \
	libvjail/initstate.h libvjail/uname-serve.c libvjail/procview-live.c \
	libvjail/procgen.c
libvjail_vjail_init_CFLAGS = $(WARN_CFLAGS)
libvjail_vjail_init_LDFLAGS = -all-static
# With no C library (kernel/init-rt.c says why): the runtime's own calls
# under the libc names; no fortified __*_chk variants, which it lacks.
# Its stack-protector canary is set up in case CFLAGS ask for one.
# Linked first, so that its few variables share init.c's first page of
# .bss instead of dirtying one of their own after it. Not position-
# independent (a static program at a fixed address, as with glibc): its
# constant tables of pointers then need no relocation and stay in
# .rodata, and it has no file-backed writable page, which the kernel's
# loader would copy on write to zero the .bss start in it.
if VJ_INIT_RT
vj_init_rt = kernel/init-rt.c
libvjail_vjail_init_CFLAGS += -U_FORTIFY_SOURCE -fno-builtin -fno-pie
libvjail_vjail_init_LDFLAGS += -nostdlib -nostartfiles
libvjail_vjail_init_LDADD = -lgcc
endif

# The library: where vjail-init is, and the code it shares with it.
vjail_sources += libvjail/initstate.h libvjail/procview-live.c
vjail_cflags += -DVJ_INIT_PATH='"$(pkglibexecdir)/vjail-init$(EXEEXT)"'

# The benchmarks run as root from the build tree: the build's own copy.
vj_init_env = VJAIL_INIT='$(abs_top_builddir)/libvjail/vjail-init$(EXEEXT)'

# The tests run jails as nobody too, who may not be able to enter the
# build tree (CI may build under root's home) to open vjail-init: they
# run a copy in a world-readable temporary directory of this build's,
# named in tests/vjail-init.path (see AM_TESTS_ENVIRONMENT), removed by
# make clean.
check_DATA = tests/vjail-init.path
tests/vjail-init.path: libvjail/vjail-init$(EXEEXT)
	@$(MAKE) $(AM_MAKEFLAGS) clean-init-copy
	@$(MKDIR_P) tests
	d=$$(mktemp -d "$${TMPDIR:-/tmp}/vjail-init-XXXXXX") && \
	chmod 755 "$$d" && cp libvjail/vjail-init$(EXEEXT) "$$d/vjail-init" && \
	chmod 755 "$$d/vjail-init" && echo "$$d/vjail-init" > $@
clean-local: clean-init-copy
# Only what the rule above made: a vjail-init in a vjail-init-* directory.
clean-init-copy:
	@p=$$(cat tests/vjail-init.path 2>/dev/null); \
	case "$$p" in */vjail-init-*/vjail-init) rm -rf "$${p%/vjail-init}" ;; esac
	rm -f tests/vjail-init.path
.PHONY: clean-init-copy

# make installcheck (and so distcheck): the library finds it installed,
# by its compiled-in path (no VJAIL_INIT), and a jail with a pid
# namespace runs on it (not under DESTDIR, which that path does not name).
installcheck-local: installcheck-init
installcheck-init:
	test -x "$(DESTDIR)$(pkglibexecdir)/vjail-init$(EXEEXT)"
	if [ -z "$(DESTDIR)" ]; then \
		env -u VJAIL_INIT LD_LIBRARY_PATH="$(libdir)" \
			"$(bindir)/vjail-run$(EXEEXT)" --bind /usr --bind /lib \
			--bind /lib64 -- /usr/bin/true; \
	fi
	@echo "installcheck: vjail-init installed and run OK"
.PHONY: installcheck-init
