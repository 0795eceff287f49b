# mk/seccomp.mk - build rules of the seccomp area, included by Makefile.am.

# The profile tables and the function that turns them into rules; the
# compile-to-BPF sequence shared with the generator below.
vjail_sources += libvjail/seccomp-profiles.c libvjail/seccomp-profiles.h \
	libvjail/seccomp-bpf.c libvjail/seccomp-bpf.h \
	libvjail/seccomp-stock.h

# The stock programs, precompiled (libvjail/seccomp-stock.h): a generator
# built from the same sources runs on the build machine and writes
# libvjail/seccomp-stock.c into the build directory. Cross-compiling, it
# could not run: the file comes from seccomp-stock-none.c (no tables;
# prepare compiles at run time).
nodist_libvjail_la_SOURCES = libvjail/seccomp-stock.c
nodist_libvjail_testing_la_SOURCES = libvjail/seccomp-stock.c
BUILT_SOURCES += libvjail/seccomp-stock.c
CLEANFILES += libvjail/seccomp-stock.c libvjail/seccomp-stock.c.tmp
EXTRA_DIST += libvjail/seccomp-stock-none.c libvjail/seccomp-genstock.c
if VJ_STOCK_BPF
# An EXTRA_PROGRAMS: built only because the rule below needs it.
EXTRA_PROGRAMS += libvjail/seccomp-genstock
CLEANFILES += libvjail/seccomp-genstock$(EXEEXT)
libvjail_seccomp_genstock_SOURCES = libvjail/seccomp-genstock.c \
	libvjail/seccomp-bpf.c libvjail/seccomp-bpf.h \
	libvjail/seccomp-profiles.c libvjail/seccomp-profiles.h
libvjail_seccomp_genstock_CFLAGS = $(AM_CFLAGS) $(SECCOMP_CFLAGS)
libvjail_seccomp_genstock_LDADD = $(SECCOMP_LIBS)
libvjail/seccomp-stock.c: libvjail/seccomp-genstock$(EXEEXT)
	$(AM_V_GEN)$(MKDIR_P) libvjail && \
	./libvjail/seccomp-genstock$(EXEEXT) > $@.tmp && mv -f $@.tmp $@
else
libvjail/seccomp-stock.c: $(srcdir)/libvjail/seccomp-stock-none.c
	$(AM_V_GEN)$(MKDIR_P) libvjail && \
	cp $(srcdir)/libvjail/seccomp-stock-none.c $@
endif

# Unit and live tests of the filters (each test in a forked child).
check_PROGRAMS += tests/check_seccomp
tests_check_seccomp_SOURCES = tests/check_seccomp.c tests/testlib.c \
	tests/testlib.h
# VJ_TESTING: vj_probe_override(), to test a kernel without seccomp.
tests_check_seccomp_CPPFLAGS = $(AM_CPPFLAGS) -DVJ_TESTING \
	-DVJ_TOP_SRCDIR='"$(abs_top_srcdir)"'
tests_check_seccomp_CFLAGS = $(tests_cflags) $(SECCOMP_CFLAGS)
tests_check_seccomp_LDADD = $(tests_ldadd) $(SECCOMP_LIBS) -lpthread
# No "TESTS += tests/check_seccomp": Makefile.am sets TESTS to
# $(check_PROGRAMS) plus scripts, so it runs already; listing it twice would
# count it twice in test-suite.log.

dist_man7_MANS += man/vjail_syscalls.7

# Per-call cost of a few syscalls under each filter, built on demand only:
# `make bench` (or `make bench-syscalls`) builds and runs it.
EXTRA_PROGRAMS += tests/bench/bench-syscalls
tests_bench_bench_syscalls_SOURCES = tests/bench/bench-syscalls.c
tests_bench_bench_syscalls_CFLAGS = $(AM_CFLAGS) $(SECCOMP_CFLAGS)
tests_bench_bench_syscalls_LDADD = libvjail-testing.la $(SECCOMP_LIBS)

bench: bench-syscalls
bench-syscalls: tests/bench/bench-syscalls$(EXEEXT)
	./tests/bench/bench-syscalls$(EXEEXT)
.PHONY: bench-syscalls
