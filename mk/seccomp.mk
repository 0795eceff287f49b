# mk/seccomp.mk - build rules of the seccomp area, included by Makefile.am.

# The profile tables and the function that turns them into rules.
vjail_sources += libvjail/seccomp-profiles.c libvjail/seccomp-profiles.h

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
