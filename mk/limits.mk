# mk/limits.mk - build rules of the limits area, included by Makefile.am.
# rlimits, cgroup limits (v2 or v1), IPC sysctls and vjail_stats().

# Real-kernel tests: each limit is hit, each cgroup removed; as root and as
# nobody (a delegated cgroup made by the fixture).
check_PROGRAMS += tests/check_limits
tests_check_limits_SOURCES = tests/check_limits.c tests/testlib.c \
	tests/testlib.h
tests_check_limits_CFLAGS = $(tests_cflags)
tests_check_limits_LDADD = $(tests_ldadd)

# cgroup v2 in a test-only mount namespace (a fresh cgroup2 mount over
# /sys/fs/cgroup); the v2 limit tests skip, with the reason printed, where
# the controllers are bound to v1 (hybrid hosts such as our CI).
check_PROGRAMS += tests/check_cgroup2
tests_check_cgroup2_SOURCES = tests/check_cgroup2.c tests/testlib.c \
	tests/testlib.h
tests_check_cgroup2_CFLAGS = $(tests_cflags)
tests_check_cgroup2_LDADD = $(tests_ldadd)
