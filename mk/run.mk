# mk/run.mk - build rules of the run area, included by Makefile.am:
# policy files (the parser and the load/dump calls), vjail-run, the
# example daemon vjail-echod, their tests and man pages.

# config.c (the pure parser) is in Makefile.am's list already.
vjail_sources += libvjail/config.h libvjail/config-load.c

# Every key, malformed input, dump/load round trips, enforcement.
check_PROGRAMS += tests/check_config
tests_check_config_SOURCES = tests/check_config.c tests/testlib.c \
	tests/testlib.h
tests_check_config_CFLAGS = $(tests_cflags)
tests_check_config_LDADD = $(tests_ldadd)

# Every setter of the public header has a policy key.
TESTS += tests/config-keys.sh
EXTRA_DIST += tests/config-keys.sh

# vjail-run: the command-line door, installed; public API only.
bin_PROGRAMS += examples/vjail-run
examples_vjail_run_SOURCES = examples/vjail-run.c
examples_vjail_run_LDADD = libvjail.la

# vjail-echod: the example of a daemon that binds, then jails itself.
# Built by make, not installed.
noinst_PROGRAMS = examples/vjail-echod
examples_vjail_echod_SOURCES = examples/vjail-echod.c
examples_vjail_echod_LDADD = libvjail.la

# Real daemons from Debian under vjail-run with the shipped policies, and
# real clients (root only; scripts/deps.sh installs the daemons).
TESTS += tests/daemons.sh
EXTRA_DIST += tests/daemons.sh \
	examples/policies/vsftpd.conf \
	examples/policies/ngircd.conf \
	examples/policies/opensmtpd.conf

# vjail-run and vjail-echod from the outside, as root and as nobody.
TESTS += tests/run.sh
EXTRA_DIST += tests/run.sh

# Man pages of this area (vjail_load_config.3 is listed in mk/man.mk).
dist_man1_MANS += man/vjail-run.1
dist_man3_MANS += man/vjail_load_config_text.3
dist_man5_MANS += man/vjail.conf.5
