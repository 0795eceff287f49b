#!/bin/sh
# tests/abi-check.sh - the library exports exactly the symbols listed in
# libvjail/libvjail.map, and each of them is declared in include/vjail.h.
set -eu
lib="${top_builddir:-.}/.libs/libvjail.so"
map="${top_srcdir:-.}/libvjail/libvjail.map"
hdr="${top_srcdir:-.}/include/vjail.h"
[ -f "$lib" ] || { echo "abi-check: $lib not built (static-only build?)"; exit 77; }

exported=$(nm -D --defined-only "$lib" | awk '$2 == "T" { print $3 }' | sed 's/@.*//' | sort -u)
listed=$(sed -n 's/^[[:space:]]*\(vjail_[a-z0-9_]*\);.*/\1/p' "$map" | sort -u)
declared=$(grep -o 'vjail_[a-z0-9_]* *(' "$hdr" | tr -d ' (' | sort -u)

if [ "$exported" != "$listed" ]; then
	echo "abi-check: exported symbols differ from $map:"
	echo "listed:   " $listed
	echo "exported: " $exported
	exit 1
fi
for s in $exported; do
	echo "$declared" | grep -qx "$s" || { echo "abi-check: $s not declared in vjail.h"; exit 1; }
done
# Everything exported carries the version node.
if nm -D --defined-only "$lib" | awk '$2 == "T"' | grep -v '@@LIBVJAIL_' | grep -q .; then
	echo "abi-check: an export lacks a LIBVJAIL_ version node"; exit 1
fi
echo "abi-check: $(echo "$exported" | wc -l) exports, all in the map and the header"
