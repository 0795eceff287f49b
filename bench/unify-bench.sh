#!/bin/sh
# bench/unify-bench.sh - vjail-unify against util-linux hardlink, jdupes and
# rdfind on the same input, in one run.
#
# The input is N jail roots, each a copy of the same real tree (parts of
# /usr by default). Every round gives each tool fresh copies of that input
# (cp -a, then sync so write-back does not run during the timing), runs it
# once, and measures the wall time and what du(1) of the set shrank by. The
# tools take turns, and the order rotates each round. The table shows the
# median time, each tool's time divided by vjail-unify's (above 1: slower
# than vjail-unify), and the bytes saved.
#
# Options of each tool, chosen so that all of them link the same things:
#   vjail-unify  (defaults: same content, owner, mode; protects the copies,
#                so set-id files and modes like 0640 are not shared)
#   vjail-unify --no-protect  (shown as vjail-noprot: links like the
#                others do, set-id files included; owner and mode kept)
#   hardlink     (defaults: same content, owner, mode and mtime)
#   jdupes -r -L -p -q    (-p: same owner and mode too)
#   rdfind -makehardlinks true -makeresultsfile false  (content only; the
#                copies share owner and mode anyway)
#
# Usage: unify-bench.sh --tool PATH [--jails N] [--rounds R] [--dir DIR]
#                       [--cold] [--src "DIR DIR..."]
# Root only (vjail-unify protects shared copies by changing their owner).
# Word splitting of $(roots) and $need is meant: mktemp paths, package names.
# shellcheck disable=SC2046,SC2086
set -eu

tool=
jails=3
rounds=3
dir=/var/tmp
cold=0
src="/usr/bin /usr/sbin /usr/share/perl /usr/lib/python3 /usr/share/locale"

while [ $# -gt 0 ]; do
	case $1 in
	--tool) tool=$2; shift 2 ;;
	--jails) jails=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	--dir) dir=$2; shift 2 ;;
	--src) src=$2; shift 2 ;;
	--cold) cold=1; shift ;;
	*) echo "unify-bench: unknown option $1" >&2; exit 2 ;;
	esac
done
[ -x "$tool" ] || { echo "unify-bench: --tool PATH to vjail-unify needed" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "unify-bench: run as root" >&2; exit 2; }

# The peers come from Debian; install what is missing.
need=
command -v hardlink >/dev/null || need="$need util-linux"
command -v jdupes >/dev/null || need="$need jdupes"
command -v rdfind >/dev/null || need="$need rdfind"
if [ -n "$need" ]; then
	echo "unify-bench: installing$need"
	apt-get install -y -q $need >/dev/null
fi

work=$(mktemp -d "$dir/unify-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# The input, built once: each source directory under base/usr/.
mkdir -p "$work/base/usr"
for s in $src; do
	[ -d "$s" ] || continue
	mkdir -p "$work/base$(dirname "$s")"
	cp -a "$s" "$work/base$(dirname "$s")/"
done
files=$(find "$work/base" -type f | wc -l)
size=$(du -s --block-size=1 "$work/base" | cut -f1)

fresh() {
	rm -rf "$work/set"
	mkdir "$work/set"
	i=1
	while [ "$i" -le "$jails" ]; do
		cp -a "$work/base" "$work/set/j$i"
		i=$((i + 1))
	done
	sync
	if [ "$cold" = 1 ]; then
		echo 3 > /proc/sys/vm/drop_caches
	fi
}

roots() {
	i=1
	while [ "$i" -le "$jails" ]; do
		printf '%s ' "$work/set/j$i"
		i=$((i + 1))
	done
}

run_tool() {
	case $1 in
	vjail-unify) "$tool" $(roots) ;;
	vjail-noprot) "$tool" --no-protect $(roots) ;;
	hardlink) hardlink $(roots) ;;
	jdupes) jdupes -r -L -p -q $(roots) ;;
	rdfind) rdfind -makehardlinks true -makeresultsfile false $(roots) ;;
	esac
}

now() { date +%s.%N; }

tools="vjail-unify vjail-noprot hardlink jdupes rdfind"
echo "unify-bench: $jails roots, each a copy of $files files, $size bytes" \
	"($src); $rounds rounds; $( [ "$cold" = 1 ] && echo cold || echo hot) page cache"
: > "$work/results"
r=1
while [ "$r" -le "$rounds" ]; do
	# rotate the order so no tool always runs first
	order=$(echo $tools | awk -v r="$r" '{ for (i = 0; i < NF; i++)
		printf "%s ", $(((i + r - 1) % NF) + 1) }')
	for t in $order; do
		fresh
		before=$(du -sc --block-size=1 $(roots) | tail -1 | cut -f1)
		t0=$(now)
		run_tool "$t" > "$work/$t.log" 2>&1 || {
			echo "unify-bench: $t failed:"; cat "$work/$t.log"; exit 1; }
		t1=$(now)
		after=$(du -sc --block-size=1 $(roots) | tail -1 | cut -f1)
		echo "$t $(echo "$t1 - $t0" | bc -l) $((before - after))" >> "$work/results"
		printf '  round %d  %-12s %8.3f s  saved %d bytes\n' "$r" "$t" \
			"$(echo "$t1 - $t0" | bc -l)" $((before - after))
	done
	r=$((r + 1))
done

median() {
	grep "^$1 " "$work/results" | awk '{ print $2 }' | sort -n |
		awk '{ v[NR] = $1 }
		     END { if (NR % 2) print v[(NR + 1) / 2];
			   else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
saved() {
	grep "^$1 " "$work/results" | awk '{ print $3 }' | sort -n | head -1
}

base_t=$(median vjail-unify)
echo
printf '%-12s %10s %14s %16s %10s\n' tool "median s" "time / vjail" \
	"saved bytes" "saved MiB"
for t in $tools; do
	m=$(median "$t")
	s=$(saved "$t")
	printf '%-12s %10.3f %14.2f %16d %10.1f\n' "$t" "$m" \
		"$(echo "$m / $base_t" | bc -l)" "$s" "$(echo "$s / 1048576" | bc -l)"
done
