#!/bin/sh
# scripts/demo.sh - the README's demo command: install what is missing,
# build, then run the example daemon vjail-echod jailed, talk to it, show
# what the jail sees next to what the host sees, and stop it cleanly.
# Port: $VJAIL_DEMO_PORT, default 7777 (127.0.0.1 only).
set -eu
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@" # for /dev/tcp
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh scripts/deps.sh
[ -x configure ] && [ configure -nt configure.ac ] && [ Makefile.in -nt Makefile.am ] || autoreconf -fi >/dev/null
mkdir -p build-demo
cd build-demo
[ -f Makefile ] || "$top/configure" -q
make -s -j"$(nproc 2>/dev/null || echo 2)"
# The library's init of this build, not an installed one (vjail(7)).
VJAIL_INIT="$PWD/libvjail/vjail-init"
export VJAIL_INIT

port=${VJAIL_DEMO_PORT:-7777}
log=$(mktemp /tmp/vjail-demo-XXXXXX)
echod=""
cleanup() {
	[ -n "$echod" ] && kill -TERM "$echod" 2>/dev/null || true
	rm -f "$log"
}
trap cleanup EXIT

echo "== what this kernel offers libvjail (as $(id -un)) =="
./examples/vjail-features | paste - - - - | column -t | head -8
echo
echo "== the policy vjail-echod enters with (vjail-echod -d) =="
./examples/vjail-echod -d
echo
echo "== start vjail-echod: it binds 127.0.0.1:$port, then calls vjail_enter() =="
./examples/vjail-echod -p "$port" 2>"$log" &
echod=$!
for _ in $(seq 50); do
	grep -q "jailed" "$log" && break
	sleep 0.1
done
cat "$log"
exec 3<>"/dev/tcp/127.0.0.1/$port" 4<>"/dev/tcp/127.0.0.1/$port"
IFS= read -r -t 5 line <&3 && echo "client A <- $line"
IFS= read -r -t 5 line <&4 && echo "client B <- $line"
echo "client A -> hello from A"
printf 'hello from A\n' >&3
IFS= read -r -t 5 line <&3 && echo "client A <- $line"
IFS= read -r -t 5 line <&4 && echo "client B <- $line"
echo
echo "== what the jail sees (client B -> /jail) =="
printf '/jail\n' >&4
for _ in 1 2 3 4 5; do IFS= read -r -t 5 line <&4 && echo "$line"; done
echo
echo "== what the host sees (this shell) =="
procs=$(ls /proc | grep -c '^[0-9]')
echo "host: uid $(id -u), pid $$, hostname $(hostname)"
echo "host: processes in /proc: $procs"
echo "host: / holds: $(ls / | tr '\n' ' ')"
echo "host: /etc/passwd $( [ -e /etc/passwd ] && echo visible || echo absent)"
echo "host: the daemon, seen from here: pid $(pgrep -n -f "vjail-echod -p $port" || echo ?)," \
	"user $(ps -o user= -p "$(pgrep -n -f "vjail-echod -p $port" || echo 1)" 2>/dev/null || echo ?)"
exec 3>&- 4>&-
echo
echo "== stop it: SIGTERM to the process outside, forwarded into the jail =="
kill -TERM "$echod"
status=0
wait "$echod" || status=$?
echod=""
cat "$log" | tail -1
echo "vjail-echod exited with status $status"
