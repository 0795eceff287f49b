# mk/unify.mk - build rules of the unify area, included by Makefile.am.
# Unification (issue 10): the library calls vjail_unify() and
# vjail_unify_usage(), the vjail-unify tool, its tests, man pages and the
# comparison with util-linux hardlink, jdupes and rdfind.

vjail_sources += libvjail/unify.c libvjail/unify.h

bin_PROGRAMS += examples/vjail-unify
examples_vjail_unify_SOURCES = examples/vjail-unify.c
examples_vjail_unify_LDADD = libvjail.la

check_PROGRAMS += tests/check_unify
tests_check_unify_SOURCES = tests/check_unify.c tests/testlib.c \
	tests/testlib.h
tests_check_unify_CFLAGS = $(tests_cflags) $(CAPNG_CFLAGS)
tests_check_unify_LDADD = $(tests_ldadd) $(CAPNG_LIBS)

# The tool on real trees (copies of part of /usr): dry run, unify, report,
# split, du before and after. Needs the built tool, hence the variable.
TESTS += tests/unify.sh
AM_TESTS_ENVIRONMENT += VJAIL_UNIFY=$(abs_top_builddir)/examples/vjail-unify; \
	export VJAIL_UNIFY;

dist_man1_MANS += man/vjail-unify.1
dist_man3_MANS += man/vjail_unify.3 man/vjail_unify_usage.3
EXTRA_DIST += tests/unify.sh bench/unify-bench.sh

# make bench-unify: vjail-unify against hardlink, jdupes and rdfind on
# fresh copies of the same trees (root; installs the peers with apt-get
# when missing). BENCH_UNIFY_ARGS passes options to the script.
bench: bench-unify
bench-unify: examples/vjail-unify
	$(SHELL) $(srcdir)/bench/unify-bench.sh \
		--tool $(abs_top_builddir)/examples/vjail-unify \
		$(BENCH_UNIFY_ARGS)
.PHONY: bench-unify
