#!/bin/sh
# fuzz/run.sh - build the harnesses with afl-clang-fast (Debian's afl++) and
# run each under afl-fuzz for a bounded time. `make fuzz` and the CI smoke
# run (scripts/test.sh) call it; see fuzz/README.md for the long run.
#
#   run.sh [--seconds N] [--smoke] [--build DIR] [--out DIR] [--record FILE]
#          [--as-nobody] [TARGET...]
#
# TARGET: escape, api, config (default: all three). --seconds: per target
# (default 60). --smoke: 40 s for escape, 25 s for api, 15 s for config,
# unless --seconds says otherwise. --build: the afl-clang-fast build
# directory (default ./build-afl, configured on first use). --out: AFL++'s
# output directories (default ./fuzz-out). --record: append the stats of
# the run (execs, execs/s, paths, crashes, hangs) to FILE. --as-nobody: the
# escape and API fuzzers' jails are nobody's.
#
# Exit status: 0 if no target crashed, 1 if one did (each crash is printed,
# as a program for the escape fuzzer), 2 on a set-up error, 77 if afl++ is
# not installed.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$PWD/build-afl
out=$PWD/fuzz-out
seconds=
smoke=no
record=
nobody=
targets=
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) seconds=$2; shift ;;
	--smoke) smoke=yes ;;
	--build) build=$2; shift ;;
	--out) out=$2; shift ;;
	--record) record=$2; shift ;;
	--as-nobody) nobody=--as-nobody ;;
	escape|api|config) targets="$targets $1" ;;
	*) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done
[ -n "$targets" ] || targets="escape api config"

if ! command -v afl-fuzz >/dev/null || ! command -v afl-clang-fast >/dev/null; then
	echo "fuzz: SKIP: afl-fuzz/afl-clang-fast not found (apt-get install afl++)"
	exit 77
fi

# The escape fuzzer builds its world as root (it drops to nobody itself).
if [ "$(id -u)" -ne 0 ]; then
	case " $targets " in *" escape "*)
		echo "fuzz: escape: SKIP: needs root"
		targets=$(echo "$targets" | sed 's/escape//') ;;
	esac
	[ -n "$(echo $targets)" ] || exit 77
fi

# What is built, for the record (before the build, not after the run).
rev=$(cd "$top" && git describe --always --dirty 2>/dev/null || echo unknown)

# The afl-clang-fast build: every file instrumented, the library included.
mkdir -p "$build" "$out"
if ! grep -q "afl-clang-fast" "$build/config.status" 2>/dev/null; then
	[ -x "$top/configure" ] || (cd "$top" && autoreconf -fi >/dev/null)
	(cd "$build" && "$top/configure" -q CC=afl-clang-fast \
		--disable-shared) || { echo "fuzz: configure failed"; exit 2; }
fi
# The harnesses' jails run the library's init of this build (vjail(7)).
bins=libvjail/vjail-init
for t in $targets; do bins="$bins fuzz/fuzz_$t"; done
VJAIL_INIT=$build/libvjail/vjail-init
export VJAIL_INIT
echo "fuzz: building$bins with afl-clang-fast in $build"
(cd "$build" && AFL_QUIET=1 make -s -j"$(nproc 2>/dev/null || echo 2)" $bins) \
	>"$build/fuzz-build.log" 2>&1 \
	|| { tail -30 "$build/fuzz-build.log"; echo "fuzz: build failed"; exit 2; }

# The escape fuzzer's worlds go here, removed at the end: afl-fuzz kills
# its fork server with SIGKILL, which leaves no chance to clean up.
VJ_FUZZ_TMPDIR=$(mktemp -d /tmp/vjail-fuzz-run.XXXXXX)
chmod 755 "$VJ_FUZZ_TMPDIR"
export VJ_FUZZ_TMPDIR
trap 'rm -rf "$VJ_FUZZ_TMPDIR"' EXIT
# As nobody, the jails open the init themselves: from the build tree of a
# clone that nobody may not enter (under root's home), they could not.
if [ -n "$nobody" ]; then
	cp "$VJAIL_INIT" "$VJ_FUZZ_TMPDIR/vjail-init"
	chmod 755 "$VJ_FUZZ_TMPDIR/vjail-init"
	VJAIL_INIT=$VJ_FUZZ_TMPDIR/vjail-init
fi

# Shared machine: no CPU binding (another afl-fuzz may hold a core), no UI,
# no core_pattern fuss (the harness's crashes are aborts we report).
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
	AFL_NO_UI=1 AFL_NO_AFFINITY=1
export VJ_FUZZ_DEADLINE_MS=500

stat_of() { # file key
	sed -n "s/^$2 *: *//p" "$1" | head -1
}

status=0
for t in $targets; do
	secs=$seconds
	if [ -z "$secs" ]; then
		case $smoke/$t in
		yes/escape) secs=40 ;; yes/api) secs=25 ;; yes/config) secs=15 ;;
		*) secs=60 ;;
		esac
	fi
	dict=
	[ -f "$top/fuzz/$t.dict" ] && dict="-x $top/fuzz/$t.dict"
	args=
	[ "$t" = config ] || args=$nobody
	rm -rf "$out/$t"
	echo "fuzz: $t for ${secs}s (afl-fuzz, output in $out/$t)"
	# -t: a run of the escape fuzzer forks a whole jail; 5 s covers a
	# loaded machine (the harness itself gives a program 0.5 s).
	afl-fuzz -i "$top/fuzz/corpus/$t" -o "$out/$t" $dict -V "$secs" \
		-t 5000 -m none -- "$build/fuzz/fuzz_$t" $args \
		>"$out/$t.log" 2>&1 || {
		echo "fuzz: afl-fuzz $t failed:"; tail -20 "$out/$t.log"; status=2
		continue
	}
	stats=$out/$t/default/fuzzer_stats
	execs=$(stat_of "$stats" execs_done)
	runtime=$(stat_of "$stats" run_time)
	crashes=$(stat_of "$stats" saved_crashes)
	hangs=$(stat_of "$stats" saved_hangs)
	paths=$(stat_of "$stats" corpus_count)
	rate=$(awk -v e="$execs" -v s="$runtime" 'BEGIN { printf "%.1f", (s > 0 ? e / s : 0) }')
	line="fuzz: $t: ${runtime}s, $execs execs, $rate execs/s, $paths paths, $crashes crashes, $hangs hangs"
	echo "$line"
	if [ -n "$record" ]; then
		{
			echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) built from $rev${nobody:+, as nobody}"
			echo "  $line"
			sed -n 's/^\(start_time\|last_update\|run_time\|execs_done\|execs_per_sec\|corpus_count\|corpus_found\|saved_crashes\|saved_hangs\|stability\|bitmap_cvg\|afl_version\|command_line\) *: */    \1: /p' "$stats"
		} >>"$record"
	fi
	if [ "${crashes:-0}" != 0 ]; then
		status=1
		for c in "$out/$t"/default/crashes/id:*; do
			echo "fuzz: $t crash $c:"
			if [ "$t" = escape ]; then
				"$build/fuzz/fuzz_escape" --print "$c" 2>&1 | sed 's/^/    /'
			else
				od -A d -t x1 "$c" | head -8 | sed 's/^/    /'
			fi
		done
		echo "fuzz: replay one with: $build/fuzz/fuzz_$t $args FILE"
	fi
done
exit $status
