#!/bin/sh
# fuzz/escape-check.sh - the escape fuzzer's seed corpus, the ways `make
# check` does not already run it (fuzz/fuzz_escape alone replays it as root):
#   1. corpus/escape/ is what escape-seeds.txt assembles to;
#   2. every program, in a jail made by nobody: no escape;
#   3. the control: every escape-* program without a jail must be caught.
#      This is the test that the oracle can fail at all: if it stops seeing
#      one kind of escape, this fails.
# Needs root (the world's canaries are root's; it drops to nobody itself).
set -eu
bin="${top_builddir:-.}/fuzz/fuzz_escape"
src="${top_srcdir:-.}/fuzz"
if [ "$(id -u)" -ne 0 ]; then
	echo "escape-check: SKIP: needs root (builds the world, then drops to nobody)"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" --asm "$src/escape-seeds.txt" "$tmp"
if ! diff -r "$tmp" "$src/corpus/escape" >/dev/null; then
	echo "escape-check: corpus/escape differs from escape-seeds.txt;"
	echo "  re-assemble: fuzz_escape --asm fuzz/escape-seeds.txt fuzz/corpus/escape"
	diff -r "$tmp" "$src/corpus/escape" || true
	exit 1
fi
echo "escape-check: corpus/escape matches escape-seeds.txt"

"$bin" --as-nobody "$src/corpus/escape"
"$bin" --no-jail "$src"/corpus/escape/escape-*
