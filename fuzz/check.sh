#!/bin/sh
# fuzz/check.sh - what `make check` runs of the fuzz corpora beyond the
# replay programs themselves (each of fuzz_escape, fuzz_api and fuzz_config
# replays its corpus as root on its own):
#   1. corpus/escape/ is what escape-seeds.txt assembles to;
#   2. the escape corpus in jails made by nobody: no escape;
#   3. the control: every escape-* program without a jail must be caught.
#      This is the test that the oracle can fail at all: if it stops seeing
#      one kind of escape, this fails;
#   4. the API corpus as nobody (a daemon that dropped root itself).
# Needs root (the worlds are made as root; the harnesses drop to nobody).
set -eu
build="${top_builddir:-.}/fuzz"
src="${top_srcdir:-.}/fuzz"
if [ "$(id -u)" -ne 0 ]; then
	echo "fuzz/check.sh: SKIP: needs root (makes the worlds, then drops to nobody)"
	exit 77
fi
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
VJ_FUZZ_TMPDIR=$tmp
export VJ_FUZZ_TMPDIR

mkdir "$tmp/seeds"
"$build/fuzz_escape" --asm "$src/escape-seeds.txt" "$tmp/seeds"
if ! diff -r "$tmp/seeds" "$src/corpus/escape" >/dev/null; then
	echo "fuzz/check.sh: corpus/escape differs from escape-seeds.txt;"
	echo "  re-assemble: fuzz_escape --asm fuzz/escape-seeds.txt fuzz/corpus/escape"
	diff -r "$tmp/seeds" "$src/corpus/escape" || true
	exit 1
fi
echo "fuzz/check.sh: corpus/escape matches escape-seeds.txt"

"$build/fuzz_escape" --as-nobody "$src/corpus/escape"
"$build/fuzz_escape" --no-jail "$src"/corpus/escape/escape-*
"$build/fuzz_api" --as-nobody "$src/corpus/api"
