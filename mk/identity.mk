# mk/identity.mk - build rules of the identity area, included by Makefile.am.

# The virtual uname(2): filters, init's answers, main's trap (uname.c).
vjail_sources += libvjail/uname.c libvjail/uname.h
# The texts of the resource views in /proc (procgen.c).
vjail_sources += libvjail/procgen.c libvjail/procgen.h

# Tests of host and domain name, virtual uname, /proc views and uptime,
# each in a forked child, as root and as nobody.
check_PROGRAMS += tests/check_identity
tests_check_identity_SOURCES = tests/check_identity.c tests/testlib.c \
	tests/testlib.h
# VJ_TESTING: vj_probe_override(), to test a kernel without the mechanism.
tests_check_identity_CPPFLAGS = $(AM_CPPFLAGS) -DVJ_TESTING \
	-DVJ_IDPROBE='"$(abs_top_builddir)/tests/vjail-idprobe$(EXEEXT)"'
tests_check_identity_CFLAGS = $(tests_cflags)
tests_check_identity_LDADD = $(tests_ldadd)
EXTRA_tests_check_identity_DEPENDENCIES = tests/vjail-idprobe$(EXEEXT)

# A static program the tests run inside jails: its own syscall
# instruction, no C library wrapper in the way. Built for the tests only,
# and without sanitizers, which cannot link statically.
EXTRA_PROGRAMS += tests/vjail-idprobe
tests_vjail_idprobe_SOURCES = tests/vjail-idprobe.c
tests_vjail_idprobe_CFLAGS = $(WARN_CFLAGS)
tests_vjail_idprobe_LDFLAGS = -all-static
CLEANFILES += tests/vjail-idprobe$(EXEEXT)

# Per-call cost of uname(2) outside, in the entering process (trap) and in
# an exec'd program (init answers), built on demand only: `make bench` (or
# `make bench-uname`) builds and runs it.
EXTRA_PROGRAMS += tests/bench/bench-uname
tests_bench_bench_uname_SOURCES = tests/bench/bench-uname.c
tests_bench_bench_uname_CPPFLAGS = $(AM_CPPFLAGS) \
	-DVJ_IDPROBE_DIR='"$(abs_top_builddir)/tests"' \
	-DVJ_IDPROBE_NAME='"vjail-idprobe$(EXEEXT)"' \
	-DVJ_IDPROBE='"$(abs_top_builddir)/tests/vjail-idprobe$(EXEEXT)"'
tests_bench_bench_uname_LDADD = libvjail.la
EXTRA_tests_bench_bench_uname_DEPENDENCIES = tests/vjail-idprobe$(EXEEXT)
CLEANFILES += tests/bench/bench-uname$(EXEEXT)

bench: bench-uname
bench-uname: tests/bench/bench-uname$(EXEEXT) libvjail/vjail-init$(EXEEXT)
	$(vj_init_env) ./tests/bench/bench-uname$(EXEEXT)
.PHONY: bench-uname
