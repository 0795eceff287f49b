# mk/fuzz.mk - build rules of the fuzz area, included by Makefile.am.
#
# Each harness fuzz/fuzz_<target>.c builds here as a replay program: a check
# program, so `make check` runs it on its whole seed corpus
# fuzz/corpus/<target>/ (and the ASan+UBSan build of scripts/test.sh does it
# with sanitizers). `make fuzz` builds the same harnesses with afl-clang-fast
# in a directory of its own and runs afl-fuzz on each (fuzz/run.sh; see
# fuzz/README.md).

fuzz_cppflags = $(AM_CPPFLAGS) -I$(top_srcdir)/fuzz
fuzz_ldadd = libvjail-testing.la
fuzz_common = fuzz/driver.c fuzz/fuzz.h

# Escape fuzzer: programs of syscalls in a jail, an oracle outside.
check_PROGRAMS += fuzz/fuzz_escape
fuzz_fuzz_escape_SOURCES = fuzz/fuzz_escape.c $(fuzz_common) \
	fuzz/escape-prog.c fuzz/escape-prog.h \
	fuzz/escape-exec.c fuzz/escape-exec.h \
	fuzz/escape-world.c fuzz/escape-world.h
fuzz_fuzz_escape_CPPFLAGS = $(fuzz_cppflags) \
	-DVJ_FUZZ_CORPUS='"$(abs_top_srcdir)/fuzz/corpus/escape"'
fuzz_fuzz_escape_LDADD = $(fuzz_ldadd)

# API fuzzer: sequences of public calls, enter and spawn in a child.
check_PROGRAMS += fuzz/fuzz_api
fuzz_fuzz_api_SOURCES = fuzz/fuzz_api.c $(fuzz_common)
fuzz_fuzz_api_CPPFLAGS = $(fuzz_cppflags) \
	-DVJ_FUZZ_CORPUS='"$(abs_top_srcdir)/fuzz/corpus/api"'
fuzz_fuzz_api_LDADD = $(fuzz_ldadd)

# Policy-file fuzzer: bytes into vjail_load_config().
check_PROGRAMS += fuzz/fuzz_config
fuzz_fuzz_config_SOURCES = fuzz/fuzz_config.c $(fuzz_common)
fuzz_fuzz_config_CPPFLAGS = $(fuzz_cppflags) \
	-DVJ_FUZZ_CORPUS='"$(abs_top_srcdir)/fuzz/corpus/config"'
fuzz_fuzz_config_LDADD = $(fuzz_ldadd)

# The escape corpus as nobody, its control without a jail (the oracle must
# see every escape-* program), the seeds' text against their bytes, and the
# API corpus as nobody.
TESTS += fuzz/check.sh

EXTRA_DIST += fuzz/README.md fuzz/run.sh fuzz/check.sh \
	fuzz/escape-seeds.txt fuzz/escape.dict fuzz/config.dict fuzz/corpus \
	fuzz/records

# make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="escape api config"]
#           [FUZZ_FLAGS="--record FILE --as-nobody"]
# Builds with afl-clang-fast in ./build-afl, writes AFL++'s output to
# ./fuzz-out, fails if a target crashed.
FUZZ_SECONDS = 60
FUZZ_TARGETS = escape api config
FUZZ_FLAGS =
fuzz:
	$(SHELL) $(abs_top_srcdir)/fuzz/run.sh --seconds $(FUZZ_SECONDS) \
		--build $(abs_top_builddir)/build-afl \
		--out $(abs_top_builddir)/fuzz-out $(FUZZ_FLAGS) $(FUZZ_TARGETS)
fuzz-smoke:
	$(SHELL) $(abs_top_srcdir)/fuzz/run.sh --smoke \
		--build $(abs_top_builddir)/build-afl \
		--out $(abs_top_builddir)/fuzz-out $(FUZZ_FLAGS)
clean-fuzz:
	-rm -rf $(abs_top_builddir)/build-afl $(abs_top_builddir)/fuzz-out
.PHONY: fuzz fuzz-smoke clean-fuzz
