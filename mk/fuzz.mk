# mk/fuzz.mk - build rules of the fuzz area, included by Makefile.am.
#
# Each harness fuzz/fuzz_<target>.c builds as a replay program here (a check
# program: `make check` runs it on its seed corpus fuzz/corpus/<target>/),
# and with afl-clang-fast under `make fuzz` (fuzz/run.sh, a separate build
# directory). See fuzz/README.md.

fuzz_cppflags = $(AM_CPPFLAGS) -I$(top_srcdir)/fuzz
fuzz_ldadd = libvjail-testing.la

check_PROGRAMS += fuzz/fuzz_escape
fuzz_fuzz_escape_SOURCES = fuzz/fuzz_escape.c fuzz/driver.c fuzz/fuzz.h \
	fuzz/escape-prog.c fuzz/escape-prog.h \
	fuzz/escape-exec.c fuzz/escape-exec.h \
	fuzz/escape-world.c fuzz/escape-world.h
fuzz_fuzz_escape_CPPFLAGS = $(fuzz_cppflags) \
	-DVJ_FUZZ_CORPUS='"$(abs_top_srcdir)/fuzz/corpus/escape"'
fuzz_fuzz_escape_LDADD = $(fuzz_ldadd)

# The corpus as nobody, the control without a jail, and the seeds' text
# against their bytes (a script, so not a check program).
TESTS += fuzz/escape-check.sh

EXTRA_DIST += fuzz/README.md fuzz/escape-check.sh fuzz/escape-seeds.txt \
	fuzz/escape.dict fuzz/corpus
