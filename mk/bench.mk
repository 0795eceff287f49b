# mk/bench.mk - build rules of the bench area, included by Makefile.am.
#
# `make bench` builds the benchmark programs (EXTRA_PROGRAMS: never built by
# `make` or `make check`) and runs tests/bench/run-bench.sh, which installs
# the peers it compares with (bubblewrap, firejail, hyperfine, gnuplot) when
# they are missing, runs every measurement, prints the table with met / not
# met per target, and writes bench-results.{txt,csv,json} and
# bench-results.png into the build directory. Other fragments hang their
# own benchmarks on it with `bench: bench-X`.

bench_programs = \
	tests/bench/vjail-spawn \
	tests/bench/vjail-spawn-dyn \
	tests/bench/bench-cmds \
	tests/bench/bench-enter \
	tests/bench/bench-jail-syscalls \
	tests/bench/bench-scale \
	tests/bench/bench-floor \
	tests/bench/floor-spawn
EXTRA_PROGRAMS += $(bench_programs)
CLEANFILES += $(bench_programs) bench-results.txt bench-results.csv \
	bench-results.json bench-results.png bench-results.tsv
EXTRA_DIST += tests/bench/run-bench.sh tests/bench/bench-util.h

bench_util = tests/bench/bench-util.c tests/bench/bench-util.h

# The tiny spawner: public API only. Linked statically where configure
# found the static archives (VJ_STATIC_SPAWNER), as a jail launcher built
# for speed would be: the start of a dynamic one (ld.so loading libvjail,
# libseccomp, libcap-ng, libbsd, libmd and libc, then relocating them)
# measured 0.4 to 0.7 ms of the ~5 ms spawn here. vjail-spawn-dyn is the
# same program linked like an ordinary outside program (and like the
# installed vjail-run), so the table shows both. -no-install: a real
# executable that runs from the build tree, not libtool's shell wrapper
# (whose own start-up would be measured). The static link warns that
# getpwnam_r() and initgroups() want glibc's NSS modules at run time: the
# spawner never looks a user up by name.
tests_bench_vjail_spawn_SOURCES = tests/bench/vjail-spawn.c
tests_bench_vjail_spawn_dyn_SOURCES = tests/bench/vjail-spawn.c
tests_bench_vjail_spawn_dyn_LDADD = libvjail.la
tests_bench_vjail_spawn_dyn_LDFLAGS = -no-install
if VJ_STATIC_SPAWNER
tests_bench_vjail_spawn_LDADD = libvjail.la $(VJ_STATIC_LIBS)
tests_bench_vjail_spawn_LDFLAGS = -no-install -all-static
vj_spawner_link = static
else
tests_bench_vjail_spawn_LDADD = libvjail.la
tests_bench_vjail_spawn_LDFLAGS = -no-install
vj_spawner_link = dynamic
endif

tests_bench_bench_cmds_SOURCES = tests/bench/bench-cmds.c $(bench_util)

tests_bench_bench_enter_SOURCES = tests/bench/bench-enter.c $(bench_util)
tests_bench_bench_enter_LDADD = libvjail.la
tests_bench_bench_enter_LDFLAGS = -no-install

tests_bench_bench_jail_syscalls_SOURCES = \
	tests/bench/bench-jail-syscalls.c $(bench_util)
# The floor's seccomp and Landlock calls go through the kernel layer.
tests_bench_bench_jail_syscalls_LDADD = libvjail.la kernel/libvjkernel.la
tests_bench_bench_jail_syscalls_LDFLAGS = -no-install

tests_bench_bench_scale_SOURCES = tests/bench/bench-scale.c $(bench_util)
# Its vjail-lib row spawns the jails itself, through the public API.
tests_bench_bench_scale_LDADD = libvjail.la
tests_bench_bench_scale_LDFLAGS = -no-install

# The issue's hand-written reference: kernel calls only, no libvjail.
floor_common = tests/bench/floor-common.c tests/bench/floor-common.h
tests_bench_bench_floor_SOURCES = tests/bench/bench-floor.c $(bench_util) \
	$(floor_common)
tests_bench_bench_floor_CFLAGS = $(AM_CFLAGS) $(SECCOMP_CFLAGS)
tests_bench_bench_floor_LDADD = kernel/libvjkernel.la $(SECCOMP_LIBS)
# ... and as a spawner in the spawn table (floor-spawn.c), linked like
# vjail-spawn, loading the program bench-floor -w exported.
tests_bench_floor_spawn_SOURCES = tests/bench/floor-spawn.c $(floor_common)
tests_bench_floor_spawn_LDADD = kernel/libvjkernel.la
if VJ_STATIC_SPAWNER
tests_bench_floor_spawn_LDFLAGS = -no-install -all-static
else
tests_bench_floor_spawn_LDFLAGS = -no-install
endif

bench: bench-all
bench-all: $(bench_programs) libvjail/vjail-init$(EXEEXT)
	top_srcdir='$(abs_top_srcdir)' builddir='$(abs_builddir)' \
		spawner_link='$(vj_spawner_link)' \
		$(SHELL) $(srcdir)/tests/bench/run-bench.sh
.PHONY: bench bench-all
