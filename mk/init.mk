# mk/init.mk - build rules of vjail-init, the library's init (pid 1 of a
# jail with a pid namespace; libvjail/init.c), included by Makefile.am.
#
# Installed in $(pkglibexecdir), whose path the library has compiled in;
# the tests and benchmarks of the build tree name theirs in $VJAIL_INIT.
# Static: after pivot_root the jail has no ld.so or C library of ours.
# Without sanitizers, which cannot link statically.
pkglibexec_PROGRAMS = libvjail/vjail-init
libvjail_vjail_init_SOURCES = libvjail/init.c libvjail/initstate.h \
	libvjail/uname-serve.c libvjail/procview-live.c libvjail/procgen.c
libvjail_vjail_init_CFLAGS = $(WARN_CFLAGS)
libvjail_vjail_init_LDFLAGS = -all-static

# The library: where vjail-init is, and the code it shares with it.
vjail_sources += libvjail/initstate.h libvjail/procview-live.c
vjail_cflags += -DVJ_INIT_PATH='"$(pkglibexecdir)/vjail-init$(EXEEXT)"'

# make installcheck (and so distcheck): the library finds it installed.
installcheck-local: installcheck-init
installcheck-init:
	test -x "$(DESTDIR)$(pkglibexecdir)/vjail-init$(EXEEXT)"
	@echo "installcheck: vjail-init installed OK"
.PHONY: installcheck-init
