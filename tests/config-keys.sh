#!/bin/sh
# tests/config-keys.sh - every setter of include/vjail.h has a policy key:
# libvjail/config-load.c must call it (a load rebuilds the handle from what
# it can read back, so a setter it does not know would be dropped).
set -eu
hdr="${top_srcdir:-.}/include/vjail.h"
src="${top_srcdir:-.}/libvjail/config-load.c"
# Calls that act on a handle but set nothing a policy could hold.
not_setters="vjail_destroy vjail_enter vjail_spawn vjail_wait vjail_stats
vjail_load_config vjail_load_config_text"
setters=$(tr '\n' ' ' < "$hdr" | grep -o 'int vjail_[a-z0-9_]*( *struct vjail \*j' |
	sed 's/int \(vjail_[a-z0-9_]*\).*/\1/' | sort -u)
missing=""
for s in $setters; do
	echo "$not_setters" | tr ' ' '\n' | grep -qx "$s" && continue
	grep -q "$s(" "$src" || missing="$missing $s"
done
[ -n "$setters" ] || { echo "config-keys: no setter found in $hdr"; exit 1; }
if [ -n "$missing" ]; then
	echo "config-keys: setters without a policy key (config.c) and a line in"
	echo "from_handle() (config-load.c):$missing"
	exit 1
fi
echo "config-keys: $(echo "$setters" | wc -w) handle calls, every setter has a key"
