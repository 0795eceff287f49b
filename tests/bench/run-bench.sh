#!/bin/sh
# tests/bench/run-bench.sh - `make bench`: libvjail against the jails users
# would otherwise pick, in one run on this machine, as ratios.
#
# Installs what it compares with when missing (bubblewrap, firejail,
# hyperfine, gnuplot; apt, as root), runs the five measurements of issue 9,
# prints the table with met / not met per target, and writes into the build
# directory:
#   bench-results.txt   what was printed
#   bench-results.csv   metric,value,unit (every figure measured)
#   bench-results.json  the same, and the targets with their verdicts
#   bench-results.png   spawn latency per tool; per-jail memory and creation
#                       time against N
#   bench-spawn.csv     every spawn-latency sample (name,round,ms)
#
# Environment: top_srcdir and builddir (set by make); BENCH_QUICK=1 for a
# short run (fewer rounds, N up to 100) that checks the plumbing only.
# Run it alone (`make bench`, not `make -j bench`): two benchmarks at once
# measure each other.
set -eu
: "${top_srcdir:?run through make bench}" "${builddir:?run through make bench}"
b="$builddir/tests/bench"
# The library's init of this build, not an installed one (vjail(7)).
VJAIL_INIT="$builddir/libvjail/vjail-init"
export VJAIL_INIT
tsv="$builddir/bench-results.tsv"
txt="$builddir/bench-results.txt"
quick=${BENCH_QUICK:-0}
if [ "$quick" = 1 ]; then
	rounds=21 enter_n=41 big_n=11 sys_r=9 scale_n="1 10 100"
else
	rounds=101 enter_n=201 big_n=41 sys_r=31 scale_n="1 10 100 1000"
fi

# ---- peers --------------------------------------------------------------
missing=""
for p in bubblewrap:bwrap firejail:firejail hyperfine:hyperfine \
	gnuplot-nox:gnuplot; do
	command -v "${p#*:}" >/dev/null 2>&1 || missing="$missing ${p%%:*}"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "bench: installing$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing >/dev/null
	else
		echo "bench: missing$missing (install them as root); going on without"
	fi
fi
have() { command -v "$1" >/dev/null 2>&1; }

: >"$tsv"
# Everything below goes to the screen and to bench-results.txt.
log() { printf '%s\n' "$*" | tee -a "$txt"; }
run() { "$@" 2>&1 | tee -a "$txt"; }
: >"$txt"

log "libvjail bench $(date -u +%Y-%m-%dT%H:%MZ) - $(uname -sr), $(nproc) CPUs, $(id -un)"
log "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine adds noise: ratios below are paired)"

# A minimal root like bubblewrap's: /usr bound in, merged-usr symlinks.
root="$builddir/bench-root"
mkdir -p "$root/proc" "$root/dev" "$root/usr" "$root/tmp"
for l in bin lib lib64 sbin; do
	[ -L "$root/$l" ] || ln -s "usr/$l" "$root/$l"
done
chmod 755 "$root"

# ---- 1. spawn latency -------------------------------------------------------
spec="$builddir/bench-spawn.spec"
# The hand-written floor as a spawner loads a program exported beforehand.
floor_bpf="$builddir/floor-spawn.bpf"
"$b/bench-floor" -w "$floor_bpf" # not through run(): its tee hides a failure
bw="--ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 --proc /proc --dev /dev"
{
	printf 'plain\t/bin/true\n'
	printf 'vjail\t%s -r %s /bin/true\n' "$b/vjail-spawn" "$root"
	printf 'vjail-net\t%s -n -r %s /bin/true\n' "$b/vjail-spawn" "$root"
	printf 'vjail-net-acct\t%s -a -n -r %s /bin/true\n' "$b/vjail-spawn" "$root"
	printf 'vjail-net-dyn\t%s -n -r %s /bin/true\n' "$b/vjail-spawn-dyn" "$root"
	printf 'floor\t%s -f %s -r %s /bin/true\n' "$b/floor-spawn" "$floor_bpf" "$root"
	printf 'floor-net\t%s -n -f %s -r %s /bin/true\n' "$b/floor-spawn" "$floor_bpf" "$root"
	printf 'unshare\t%s -Urpfmiu --mount-proc /bin/true\n' "$(command -v unshare)"
	printf 'unshare-net\t%s -Urpfmiun --mount-proc /bin/true\n' "$(command -v unshare)"
	if have bwrap; then
		printf 'bwrap\t%s --unshare-all --share-net %s /bin/true\n' "$(command -v bwrap)" "$bw"
		printf 'bwrap-net\t%s --unshare-all %s /bin/true\n' "$(command -v bwrap)" "$bw"
	fi
	if have firejail; then
		printf 'firejail\t%s --quiet --noprofile /bin/true\n' "$(command -v firejail)"
		printf 'firejail-net\t%s --quiet --noprofile --net=none /bin/true\n' "$(command -v firejail)"
	fi
	if have minijail0; then
		printf 'minijail0-net\t%s -U -m -M -p -I -v -l -e --uts -- /bin/true\n' "$(command -v minijail0)"
	fi
	if have nsjail; then
		printf 'nsjail-net\t%s -Mo -q --chroot / -- /bin/true\n' "$(command -v nsjail)"
	fi
} >"$spec"
log ""
log "== 1. spawn latency of /bin/true (posix_spawn of the tool to its exit) =="
log "   vjail = tests/bench/vjail-spawn on vjail_spawn(): VJAIL_NS_DEFAULT (user pid mount ipc uts cgroup time),"
log "   linked ${spawner_link:-dynamic}ally (libvjail, libseccomp, libcap-ng, libbsd, libmd, glibc);"
log "   vjail-net-dyn: the same program linked dynamically, like the installed vjail-run;"
log "   no accounting cgroup (VJAIL_CREATE_NO_ACCOUNTING, as vjail-run without --stats; bwrap and unshare make none);"
log "   vjail-net-acct: with the cgroup vjail_stats() reads (a cgroup move waits for an RCU grace period here)."
log "   floor[-net]: the issue's hand-written sequence as a spawner (floor-spawn, linked like vjail-spawn): clone3"
log "   into user pid mount ipc uts [net], maps, ROOT bound + /usr read-only + /proc, pivot_root, no_new_privs,"
log "   one Landlock rule, a 150-rule seccomp allow-list loaded raw, exec; no init, /dev, masks, caps drop."
log "   minimal root, Landlock, daemon seccomp profile, caps dropped; -net: + network namespace."
log "   unshare -Urpfmiu[n] --mount-proc; bwrap --unshare-all [--share-net] with /usr bound and /proc /dev;"
log "   firejail --noprofile [--net=none]."
have minijail0 || log "   minijail0: not on PATH (not packaged in Debian 12): skipped"
have nsjail || log "   nsjail: not on PATH (not packaged in Debian 12): skipped"
refs="-b plain"
have bwrap && refs="$refs -b bwrap -b bwrap-net"
refs="$refs -b unshare -b unshare-net"
# shellcheck disable=SC2086
run "$b/bench-cmds" -r "$rounds" -w 5 $refs -o "$tsv" \
	-c "$builddir/bench-spawn.csv" "$spec"
if have hyperfine && have bwrap; then
	log "   cross-check with hyperfine (not paired: consecutive runs):"
	hyperfine -N --style basic --warmup 5 --runs 50 \
		"$b/vjail-spawn -n -r $root /bin/true" \
		"$(command -v bwrap) --unshare-all $bw /bin/true" 2>&1 |
		grep -E 'Time|faster|±' | sed 's/^/   /' | tee -a "$txt" || true
fi

# ---- 2. in-process enter --------------------------------------------------------
log ""
log "== 2. in-process vjail_enter(), default isolation, no exec =="
run "$b/bench-enter" enter -s "$enter_n" -o "$tsv"
log "   the issue's hand-written reference on this machine (bench-floor: clone3 into"
log "   user pid mount ipc uts [net], maps, tmpfs root + /proc, pivot_root, no_new_privs,"
log "   one Landlock rule, a 150-rule seccomp allow-list; no exec, no pid 1/main split):"
run "$b/bench-floor" -s "$enter_n" -o "$tsv"

# ---- 3. spawn from a big parent ------------------------------------------------
log ""
log "== 3. vjail_spawn() of /bin/true from a parent with 1 GiB resident =="
run "$b/bench-enter" bigspawn -s "$big_n" -o "$tsv"

# ---- 4. per-syscall cost -------------------------------------------------------
log ""
log "== 4. per-syscall cost in the jail (default profile, Landlock, root \"/\") =="
run "$b/bench-jail-syscalls" -r "$sys_r" -o "$tsv"

# ---- 5. scale ---------------------------------------------------------------------
log ""
log "== 5. N concurrent sleeping jails (N = $scale_n) =="
log "   vjail: tests/bench/vjail-spawn (linked ${spawner_link:-dynamic}ally: its outside process is in the PSS)"
bwflag=""
have bwrap && bwflag="-b"
log "   vjail: one vjail-spawn process per jail (spawner outside + init); vjail-lib: one process linked"
log "   with libvjail calls vjail_spawn() N times and keeps the handles (its growth + the inits)"
# shellcheck disable=SC2086
run "$b/bench-scale" -S "$b/vjail-spawn" -R "$root" \
	-s "$b/bench-jail-syscalls" -l $bwflag -n "$scale_n" -o "$tsv"
log "   (syscall cost in one more jail at each N: see the table below)"

log ""
log "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- targets ---------------------------------------------------------------------
awk -F'\t' -v big="${scale_n##* }" '
function v(k) { return (k in m) ? m[k] : "" }
function row(name, val, op, lim, unit, fmt,   ok, s) {
	if (val == "") { printf "  %-66s %12s   %s\n", name, "-", "not measured"; nt++; json_t = json_t sep(nt) sprintf("{\"target\":\"%s\",\"value\":null,\"limit\":%s,\"met\":null}", name, lim); return }
	ok = (op == "<=") ? (val + 0 <= lim + 0) : (val + 0 >= lim + 0)
	s = sprintf(fmt, val)
	printf "  %-66s %12s   %s %s%s -> %s\n", name, s, op, lim, unit, ok ? "met" : "NOT met"
	nt++; json_t = json_t sep(nt) sprintf("{\"target\":\"%s\",\"value\":%s,\"limit\":%s,\"met\":%s}", name, val, lim, ok ? "true" : "false")
}
function info(name, val, fmt) {
	printf "  %-66s %12s   (informative)\n", name, val == "" ? "-" : sprintf(fmt, val)
}
function sep(n) { return n > 1 ? "," : "" }
{ m[$1] = $2; u[$1] = $3; order[++n] = $1 }
END {
	print ""
	print "== targets (issue 9) =="
	row("vjail-run true / bwrap, with net ns (equal isolation)", v("spawn.vjail-net.vs.bwrap-net"), "<=", 0.35, "x", "%.3fx")
	row("vjail-run true / unshare -Urpfmiun --mount-proc", v("spawn.vjail-net.vs.unshare-net"), "<=", 0.6, "x", "%.3fx")
	row("  (informative) without net ns / bwrap --share-net", v("spawn.vjail.vs.bwrap"), "<=", 0.35, "x", "%.3fx")
	info("  hand-written floor spawner (floor-spawn) / bwrap, with net ns", v("spawn.floor-net.vs.bwrap-net"), "%.3fx")
	info("  hand-written floor spawner / unshare -Urpfmiun --mount-proc", v("spawn.floor-net.vs.unshare-net"), "%.3fx")
	row("vjail_enter() in process, with net ns", v("enter.net.ms"), "<=", 1.5, " ms", "%.3f ms")
	row("vjail_enter() in process, without net ns", v("enter.nonet.ms"), "<=", 0.8, " ms", "%.3f ms")
	info("  hand-written kernel floor (bench-floor), with net ns", v("floor.enter_net.ms"), "%.3f ms")
	info("  hand-written kernel floor (bench-floor), without net ns", v("floor.enter_nonet.ms"), "%.3f ms")
	row("vjail_spawn() from a 1 GiB parent", v("bigspawn.big.vjail.ms"), "<=", 3, " ms", "%.3f ms")
	row("  (informative) the same with the accounting cgroup", v("bigspawn.big.vjail_acct.ms"), "<=", 3, " ms", "%.3f ms")
	split("getpid open_shallow open_deep stat read4k uname", ops, " ")
	for (i = 1; i <= 6; i++)
		row("syscall " ops[i] " in jail / floor (overhead " sprintf("%+.0f", v("sys." ops[i] ".jail_minus_unconfined")) " ns vs unconfined)", v("sys." ops[i] ".jail_vs_floor"), "<=", 1.05, "x", "%.3fx")
	row("per-jail PSS at N=" big ", library use (vjail-lib: caller + init)", v("scale.vjail-lib." big ".pss_kib"), "<=", 150, " KiB", "%.1f KiB")
	row("  (informative) one vjail-spawn process per jail (spawner + init)", v("scale.vjail." big ".pss_kib"), "<=", 150, " KiB", "%.1f KiB")
	c1 = v("scale.vjail." big ".create_ms"); c0 = v("scale.vjail.10.create_ms")
	row("creation per jail, N=" big " / N=10", (c1 != "" && c0 != "") ? c1 / c0 : "", "<=", 1.2, "x", "%.3fx")
	c1 = v("scale.vjail-lib." big ".create_ms"); c0 = v("scale.vjail-lib.10.create_ms")
	row("  (informative) the same, library use (vjail-lib)", (c1 != "" && c0 != "") ? c1 / c0 : "", "<=", 1.2, "x", "%.3fx")
	worst = ""
	for (i = 1; i <= 6; i++) {
		a = v("scale.vjail." big ".sys." ops[i] ".jail_vs_unconfined"); z = v("scale.vjail.1.sys." ops[i] ".jail_vs_unconfined")
		if (a != "" && z != "" && (worst == "" || a / z > worst)) { worst = a / z; wop = ops[i] }
	}
	row("syscall cost flat in N: worst (jail/unc at N=" big ")/(at N=1)" (wop != "" ? " [" wop "]" : ""), worst, "<=", 1.05, "x", "%.3fx")
	# csv and json
	csv = ENVIRON["builddir"] "/bench-results.csv"; js = ENVIRON["builddir"] "/bench-results.json"
	print "metric,value,unit" > csv
	printf "{\n  \"metrics\": {" > js
	for (i = 1; i <= n; i++) {
		k = order[i]; if (k in done) continue; done[k] = 1
		print k "," m[k] "," u[k] > csv
		printf "%s\n    \"%s\": {\"value\": %s, \"unit\": \"%s\"}", (i > 1 ? "," : ""), k, m[k], u[k] > js
	}
	printf "\n  },\n  \"targets\": [%s]\n}\n", json_t > js
}' "$tsv" | tee -a "$txt"

# ---- plot -------------------------------------------------------------------------
if have gnuplot; then
	dat="$builddir/bench-plot"
	awk -F'\t' '$1 ~ /^spawn\..*\.ms$/ { n = $1; sub(/^spawn\./, "", n); sub(/\.ms$/, "", n); print n, $2 }' \
		"$tsv" >"$dat-spawn.dat"
	awk -F'\t' '$1 ~ /^scale\.(vjail|vjail-lib|bwrap)\.[0-9]+\.(create_ms|pss_kib)$/ {
		split($1, p, "."); val[p[3] " " p[2] " " p[4]] = $2; ns[p[3]] = 1 }
		END { for (n in ns) print n, val[n " vjail create_ms"], val[n " bwrap create_ms"], val[n " vjail pss_kib"], val[n " bwrap pss_kib"], val[n " vjail-lib create_ms"], val[n " vjail-lib pss_kib"] }' \
		"$tsv" | sort -n >"$dat-scale.dat"
	gnuplot <<EOF 2>&1 | grep -v '^$' || true
set terminal pngcairo size 1200,900 font "sans,10"
set output "$builddir/bench-results.png"
set multiplot layout 3,1 title "libvjail bench, $(uname -r), $(nproc) CPUs (medians; load avg $(cut -d' ' -f1 /proc/loadavg))"
set style fill solid 0.6
set boxwidth 0.6
set ylabel "ms"
set title "spawn latency of /bin/true"
set grid ytics
set xtics rotate by -30
plot "$dat-spawn.dat" using 0:2:xtic(1) with boxes notitle, "" using 0:2:(sprintf("%.2f",\$2)) with labels offset 0,0.7 notitle
set xtics norotate
set logscale x
set xlabel "concurrent jails N"
set yrange [0:*]
set title "creation time per jail"
plot "$dat-scale.dat" using 1:2 with linespoints title "vjail (vjail-spawn)", "" using 1:6 with linespoints title "vjail-lib", "" using 1:3 with linespoints title "bwrap"
set title "PSS per jail (the tool's own processes, not the program)"
set ylabel "KiB"
plot "$dat-scale.dat" using 1:4 with linespoints title "vjail (vjail-spawn)", "" using 1:7 with linespoints title "vjail-lib", "" using 1:5 with linespoints title "bwrap", 150 with lines dashtype 2 title "target 150 KiB"
unset multiplot
EOF
	rm -f "$dat-spawn.dat" "$dat-scale.dat"
	[ -f "$builddir/bench-results.png" ] && log "plot: $builddir/bench-results.png"
fi
log "results: $builddir/bench-results.{txt,csv,json}"
