#!/bin/sh
# scripts/demo.sh - the README's demo command: install what is missing,
# build, and show libvjail at work. For now it prints what this kernel
# offers a jail (vjail-features); the jailed-daemon demo replaces it when
# vjail_enter() lands.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh scripts/deps.sh
[ -x configure ] && [ configure -nt configure.ac ] && [ Makefile.in -nt Makefile.am ] || autoreconf -fi >/dev/null
mkdir -p build-demo
cd build-demo
[ -f Makefile ] || "$top/configure" -q
make -s -j"$(nproc 2>/dev/null || echo 2)"
echo "== what this kernel offers libvjail (as $(id -un)) =="
./examples/vjail-features
