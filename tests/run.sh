#!/bin/bash
# tests/run.sh - vjail-run and vjail-echod as a user meets them: the exit
# status passes through, signals are forwarded, options are checked like
# policy lines (bad ones exit 125 with a helpful message), --dump-config
# loads back, limits and isolation hold, --seccomp-learn logs instead of
# refusing; vjail-echod binds, jails itself and serves two clients. The
# jail tests run as root, then again as nobody (binaries copied to a
# world-readable directory first). Bounded in time, cleaned up.
set -u

top_builddir=${top_builddir:-.}
run="$top_builddir/examples/vjail-run"
# The library's init of this build, not an installed one (vjail(7)).
VJAIL_INIT=${VJAIL_INIT:-$top_builddir/libvjail/vjail-init}
export VJAIL_INIT
echod="$top_builddir/examples/vjail-echod"
# An empty root with the host's programs: enough for /usr/bin/sh.
base=(--bind /usr --bind /lib --bind /lib64)
# LeakSanitizer cannot run inside a jail.
export ASAN_OPTIONS=${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=0

scratch=$(mktemp -d /tmp/vjail-run-XXXXXX)
chmod 755 "$scratch"
canary="$scratch/canary"
echo "HOST-SECRET" > "$canary"
chmod 644 "$canary"
pids=""
passed=0
failed=0
as=""  # "" as root, or the setpriv prefix for nobody

cleanup() {
	for p in $pids; do kill -KILL "$p" 2>/dev/null; done
	rm -rf "$scratch"
}
trap cleanup EXIT

ok() { echo "ok: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
# A port nothing listens on yet, from a start that differs from run to run:
# two suites (or two engineers' runs) at once must not meet on one port.
free_port() {
	local p=$((20000 + ($$ * 13 + ${1:-0} * 101) % 30000))

	while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do
		p=$((p + 1))
	done
	echo "$p"
}
fails() { ! "$@"; }
check() { # description, command...
	local what=$1
	shift
	if "$@"; then ok "$what"; else fail "$what"; fi
}
who() { if [ -n "$as" ]; then echo nobody; else echo root; fi; }

# Run vjail-run (as the current identity); stdout+stderr in $out, status
# in $rc; 20 s at most.
vr() {
	out=$(timeout 20 $as "$run" "$@" 2>&1)
	rc=$?
}

status_and_isolation() {
	local u
	u=$(who)
	vr "${base[@]}" -- /usr/bin/sh -c 'exit 7'
	check "$u: the program's exit status passes through" test "$rc" = 7
	vr "${base[@]}" -- /usr/bin/sh -c 'kill -KILL $$'
	check "$u: a program killed by SIGKILL gives 137" test "$rc" = 137
	vr "${base[@]}" --hostname jailed -- /usr/bin/sh -c \
		'hostname; ls /proc | grep -c "^[0-9]"; cat '"$canary"' || echo unreachable'
	check "$u: --hostname is set in the jail" grep -qx jailed <<<"$out"
	check "$u: the jail's /proc holds its own few processes only" \
		test "$(sed -n 2p <<<"$out")" -ge 1 -a "$(sed -n 2p <<<"$out")" -le 4
	check "$u: the host's canary is out of reach" \
		grep -qx unreachable <<<"$out"
	check "$u: ...and its secret did not leak" fails grep -q HOST-SECRET <<<"$out"
	vr "${base[@]}" --limit-nofile 16 -- /usr/bin/sh -c 'ulimit -n'
	check "$u: --limit-nofile 16 is the jail's limit" test "$out" = 16
	vr "${base[@]}" -- /usr/bin/unshare -U true
	check "$u: the daemon profile refuses unshare(2)" test "$rc" != 0
	vr "${base[@]}" --seccomp-learn -- /usr/bin/unshare -U true
	check "$u: --seccomp-learn lets it through (and logs it)" \
		test "$rc" = 0 -a -n "$(grep -o 'seccomp-learn' <<<"$out")"
}

signals() {
	local u pid end
	u=$(who)
	timeout 20 $as "$run" "${base[@]}" -- /usr/bin/sleep 30 &
	pid=$!
	pids="$pids $pid"
	sleep 0.5
	# timeout(1) forwards TERM to vjail-run, which forwards it to the
	# jail's init, which forwards it to sleep.
	kill -TERM "$pid"
	end=$((SECONDS + 5))
	while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $end ]; do
		sleep 0.1
	done
	wait "$pid"
	rc=$?
	check "$u: SIGTERM reaches the program, vjail-run exits 143" test "$rc" = 143
}

options() {
	vr --hostnme x -- /usr/bin/true
	check "a misspelt option exits 125" test "$rc" = 125
	check "...and suggests the right one" grep -q 'did you mean "hostname"' <<<"$out"
	vr --limit-nofile 12Q -- /usr/bin/true
	check "a bad value exits 125 and says what was expected" \
		test "$rc" = 125 -a -n "$(grep 'expected a number' <<<"$out")"
	vr --bind '/usr /x rx' -- /usr/bin/true
	check "a bad bind option names the word" grep -q 'unknown bind option "rx"' <<<"$out"
	vr --hostname
	check "an option without its value says what the value looks like" \
		grep -q 'needs a value' <<<"$out"
	vr -c /no/such/policy.conf -- /usr/bin/true
	check "a missing policy file exits 125" test "$rc" = 125
	vr "${base[@]}"
	check "no PROGRAM exits 125" test "$rc" = 125
	vr --help
	check "--help fits a screen (at most 24 lines)" \
		test "$rc" = 0 -a "$(wc -l <<<"$out")" -le 24
	printf 'hostname = from-file\nlimit-nofile = 5O\n' > "$scratch/bad.conf"
	vr -c "$scratch/bad.conf" -- /usr/bin/true
	check "a policy error names file, line and column" \
		grep -q "$scratch/bad.conf:2:16: expected a number" <<<"$out"
	vr "${base[@]}" --stats -- /usr/bin/sh -c 'exit 3'
	check "--stats keeps the exit status and says why it has no numbers" \
		test "$rc" = 3 -a -n "$(grep -e 'stats' <<<"$out")"
	vr "${base[@]}" --hostname h --limit-nofile 64:128 --net-bind '80 443' \
		--syscall 'chroot allow' --tmpfs '/tmp 8M' --dump-config
	echo "$out" > "$scratch/dumped.conf"
	vr -c "$scratch/dumped.conf" --dump-config
	check "--dump-config output loads back to the same policy" \
		test "$rc" = 0 -a "$out" = "$(cat "$scratch/dumped.conf")"
}

echod_chat() {
	local u pid port=$1 a b
	u=$(who)
	timeout 30 $as "$echod" -p "$port" > "$scratch/echod.log" 2>&1 &
	pid=$!
	pids="$pids $pid"
	for _ in $(seq 50); do
		grep -q "jailed, serving" "$scratch/echod.log" && break
		sleep 0.1
	done
	if ! exec 3<>"/dev/tcp/127.0.0.1/$port" 4<>"/dev/tcp/127.0.0.1/$port"; then
		fail "$u: vjail-echod: cannot connect"; cat "$scratch/echod.log"; return
	fi
	IFS= read -r -t 5 a <&3
	IFS= read -r -t 5 b <&4
	check "$u: vjail-echod greets both clients" test "${a%% *}${b%% *}" = welcomewelcome
	printf 'hello from 3\n' >&3
	IFS= read -r -t 5 a <&3
	IFS= read -r -t 5 b <&4
	check "$u: a line from one client reaches the other" \
		test "$a" = ok -a "${b#*: }" = "hello from 3"
	printf '/jail\n' >&4
	b=""
	for _ in 1 2 3 4 5; do IFS= read -r -t 5 a <&4 && b="$b$a"$'\n'; done
	if [ -z "$as" ]; then
		check "$u: vjail-echod dropped to nobody" grep -q "uid 65534" <<<"$b"
	fi
	check "$u: vjail-echod's root is empty (no /etc/passwd)" \
		grep -q "/etc/passwd absent" <<<"$b"
	check "$u: vjail-echod cannot connect out (Landlock)" \
		grep -q "connect to 127.0.0.1:1 refused" <<<"$b"
	exec 3>&- 4>&-
	kill -TERM "$pid"
	wait "$pid"
	check "$u: vjail-echod stops cleanly on SIGTERM (exit 0)" test "$?" = 0
}

options
status_and_isolation
signals
echod_chat "$(free_port 1)"

# The same as nobody, from copies nobody can read (the build tree may sit
# in a directory nobody cannot enter).
if [ "$(id -u)" = 0 ] && [ -x "$top_builddir/examples/.libs/vjail-run" ]; then
	cp "$top_builddir/examples/.libs/vjail-run" "$top_builddir/examples/.libs/vjail-echod" \
		"$scratch/"
	cp -L "$top_builddir/.libs/libvjail.so.0" "$scratch/"
	cp "$VJAIL_INIT" "$scratch/vjail-init"
	chmod 755 "$scratch"/vjail-run "$scratch"/vjail-echod "$scratch"/vjail-init
	run="$scratch/vjail-run"
	echod="$scratch/vjail-echod"
	as="env LD_LIBRARY_PATH=$scratch VJAIL_INIT=$scratch/vjail-init setpriv --reuid=65534 --regid=65534 --clear-groups"
	status_and_isolation
	signals
	echod_chat "$(free_port 2)"
elif [ "$(id -u)" = 0 ]; then
	echo "note: no shared build, the nobody variant is skipped"
fi

echo "run: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
