#!/bin/bash
# tests/daemons.sh - real daemons from Debian under vjail-run, each with the
# policy of examples/policies/, each talked to by a real client on
# 127.0.0.1:
#   vsftpd     curl ftp:// lists and downloads a file of the jail's root; an
#              upload lands in the jail's incoming/ and one to pub/ is
#              refused;
#   ngircd     two scripted IRC clients register, join #jail and exchange a
#              message;
#   opensmtpd  curl smtp:// delivers a message that lands in a Maildir
#              inside the jail.
# And for each, a look from inside the running jail (nsenter into the
# daemon's mount and pid namespaces, at its root): /proc shows only the
# jail's processes, its pid 1 is libvjail's init, the host's canary file is
# out of reach, /etc is the jail's own.
#
# Root only: the daemons switch users themselves, which needs root (exit
# 77 otherwise). A missing daemon is a failure, not a skip: scripts/deps.sh
# installs them. Bounded: every wait has a timeout; the daemons are stopped
# and the scratch directory removed whatever happens.
set -u

top_builddir=${top_builddir:-.}
top_srcdir=${top_srcdir:-.}
run="$top_builddir/examples/vjail-run"
policies="$top_srcdir/examples/policies"

if [ "$(id -u)" -ne 0 ]; then
	echo "daemons: SKIP: needs root (the daemons switch users)"
	exit 77
fi
for prog in /usr/sbin/vsftpd /usr/sbin/ngircd /usr/sbin/smtpd curl nsenter flock; do
	if ! command -v "$prog" >/dev/null; then
		echo "daemons: FAIL: $prog missing (sh scripts/deps.sh installs it)"
		exit 1
	fi
done
# The daemons listen on fixed ports of the host's 127.0.0.1 (the policies
# of examples/policies/ allow those ports only): two runs of this test at
# once (make check and distcheck's copy, or two engineers' trees) would
# take each other's ports. They take turns instead; 10 min at most. The
# lock lives in /run, which only root may write: in /tmp any user could
# plant a symlink there for root to open, or hold the lock.
lock=/run/vjail-daemons.lock
exec 9>>"$lock"
if ! flock -w 600 9; then
	echo "daemons: FAIL: another run held $lock for 10 min"
	exit 1
fi
# LeakSanitizer cannot run inside a jail (a sanitized build's vjail-run is
# fine outside, but its clone carries the runtime into the jail).
export ASAN_OPTIONS=${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=0

scratch=$(mktemp -d /tmp/vjail-daemons-XXXXXX)
chmod 755 "$scratch"
canary="$scratch/canary"
echo "HOST-SECRET" > "$canary"
pids=""
failed=0
passed=0

cleanup() {
	for p in $pids; do
		kill -TERM "$p" 2>/dev/null
	done
	sleep 0.2
	for p in $pids; do
		kill -KILL "$p" 2>/dev/null
	done
	rm -rf "$scratch"
}
trap cleanup EXIT

fails() { ! "$@"; }
ok() { echo "ok: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
check() { # description, command...
	local what=$1
	shift
	if "$@"; then ok "$what"; else fail "$what"; fi
}

# A jail root: usr/ (for the /usr bind), proc/ dev/ etc/ tmp/ run/,
# symlinks bin lib lib64 sbin -> usr/..., and passwd/group from stdin
# lines "user:uid:gid:home".
make_root() { # dir
	local r=$1 name uid gid home
	case $r in
	"$scratch"/?*) ;;
	*) echo "make_root: $r is not under $scratch"; exit 1 ;;
	esac
	mkdir -p "$r"/usr "$r"/proc "$r"/dev "$r"/etc "$r"/tmp "$r"/run
	for l in bin lib lib64 sbin; do ln -s "usr/$l" "$r/$l"; done
	echo "root:x:0:0:root:/root:/bin/sh" > "$r/etc/passwd"
	echo "root:x:0:" > "$r/etc/group"
	while IFS=: read -r name uid gid home; do
		echo "$name:x:$uid:$gid:$name:$home:/usr/sbin/nologin" >> "$r/etc/passwd"
		echo "$name:x:$gid:" >> "$r/etc/group"
	done
	printf 'passwd: files\ngroup: files\nhosts: files\n' > "$r/etc/nsswitch.conf"
	printf '127.0.0.1 localhost\n' > "$r/etc/hosts"
}

# Wait up to 10 s for a TCP port on 127.0.0.1 to accept.
wait_port() { # port
	for _ in $(seq 100); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# The daemon's main process: the child of the jail's init, which is the
# child of vjail-run.
main_pid() { # vjail-run pid
	local init
	for _ in $(seq 50); do
		init=$(pgrep -o -P "$1") && pgrep -o -P "$init" && return 0
		sleep 0.1
	done
	return 1
}

# Run a command inside the jail of @pid (its mount and pid namespaces, its
# root); print its output.
inside() { # pid command...
	local pid=$1
	shift
	timeout 5 nsenter -t "$pid" -m -p -r -w -- "$@"
}

# What every jail must show from inside.
check_host_invisible() { # name pid passwd-line-only-the-jail-has
	local name=$1 pid=$2 own=$3 jail_procs host_procs init_cmd
	jail_procs=$(inside "$pid" /usr/bin/ls /proc | grep -c '^[0-9][0-9]*$')
	host_procs=$(ls /proc | grep -c '^[0-9][0-9]*$')
	check "$name: the jail's /proc shows its $jail_procs processes, not the host's $host_procs" \
		test "$jail_procs" -ge 2 -a "$jail_procs" -le 16 -a "$host_procs" -gt "$jail_procs"
	check "$name: this test's own process ($(cat /proc/$$/comm)) is not among them" \
		fails grep -qx "$(cat /proc/$$/comm)" \
			<(inside "$pid" /usr/bin/sh -c 'cat /proc/[0-9]*/comm')
	init_cmd=$(inside "$pid" /usr/bin/cat /proc/1/cmdline | tr '\0' ' ')
	check "$name: pid 1 in the jail is libvjail's init (${init_cmd%% *})" \
		grep -q vjail-init <<<"$init_cmd"
	check "$name: the host's canary $canary is out of reach" \
		test -z "$(inside "$pid" /usr/bin/cat "$canary" 2>/dev/null)"
	check "$name: /etc/passwd is the jail's own" \
		grep -q "^$own:" <(inside "$pid" /usr/bin/cat /etc/passwd)
	check "$name: the host's /etc/passwd differs" \
		test "$(inside "$pid" /usr/bin/cat /etc/passwd)" != "$(cat /etc/passwd)"
}

# Stop vjail-run with SIGTERM (forwarded to the daemon); 5 s at most.
stop() { # name vjail-run-pid
	local name=$1 pid=$2
	kill -TERM "$pid" 2>/dev/null
	for _ in $(seq 50); do
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid" 2>/dev/null
			ok "$name: stopped by SIGTERM"
			pids=${pids//$pid/}
			return 0
		fi
		sleep 0.1
	done
	fail "$name: still running 5 s after SIGTERM"
}

# ---- FTP: vsftpd ---------------------------------------------------------
test_vsftpd() {
	local r="$scratch/ftp" out pid main
	make_root "$r" <<-EOF
		ftp:20021:20021:/srv/ftp
		nobody:65534:65534:/nonexistent
	EOF
	mkdir -p "$r"/var/run/vsftpd/empty "$r"/srv/ftp/pub "$r"/srv/ftp/incoming
	echo "hello from the jail" > "$r/srv/ftp/pub/hello.txt"
	chown 20021:20021 "$r/srv/ftp/incoming"
	cat > "$r/etc/vsftpd.conf" <<-EOF
		listen=YES
		listen_address=127.0.0.1
		listen_port=2121
		background=NO
		anonymous_enable=YES
		anon_root=/srv/ftp
		no_anon_password=YES
		local_enable=NO
		write_enable=YES
		anon_upload_enable=YES
		ftp_username=ftp
		secure_chroot_dir=/var/run/vsftpd/empty
		seccomp_sandbox=NO
		isolate=NO
		isolate_network=NO
		pasv_min_port=2130
		pasv_max_port=2139
		xferlog_enable=NO
		dirmessage_enable=NO
	EOF
	"$run" -c "$(cd "$policies" && pwd)/vsftpd.conf" --root "$r" \
		--bind "$r/srv/ftp/incoming /srv/ftp/incoming rw" \
		-- /usr/sbin/vsftpd /etc/vsftpd.conf > "$scratch/ftp.log" 2>&1 9>&- &
	pid=$!
	pids="$pids $pid"
	if ! wait_port 2121; then
		fail "vsftpd: no answer on 127.0.0.1:2121"; cat "$scratch/ftp.log"; return
	fi
	out=$(curl -s --max-time 5 ftp://127.0.0.1:2121/pub/)
	check "vsftpd: curl lists pub/ of the jail root" grep -q "hello.txt" <<<"$out"
	out=$(curl -s --max-time 5 ftp://127.0.0.1:2121/pub/hello.txt)
	check "vsftpd: curl downloads a file of the jail root" test "$out" = "hello from the jail"
	echo "uploaded" > "$scratch/up.txt"
	check "vsftpd: an upload to incoming/ is accepted" \
		curl -s --max-time 5 -T "$scratch/up.txt" ftp://127.0.0.1:2121/incoming/
	check "vsftpd: ...and lands inside the jail, in srv/ftp/incoming" \
		test "$(cat "$r/srv/ftp/incoming/up.txt" 2>/dev/null)" = "uploaded"
	check "vsftpd: an upload to pub/ (read-only root) is refused" \
		fails curl -s --max-time 5 -T "$scratch/up.txt" ftp://127.0.0.1:2121/pub/
	check "vsftpd: ...and nothing landed in pub/" test ! -e "$r/srv/ftp/pub/up.txt"
	if main=$(main_pid "$pid"); then
		check_host_invisible vsftpd "$main" ftp
	else
		fail "vsftpd: no daemon process under vjail-run $pid"
	fi
	stop vsftpd "$pid"
}

# ---- IRC: ngircd ---------------------------------------------------------
# Log in as @nick on fd 3 or 4 and join #jail.
irc_login() { # fd nick
	printf 'NICK %s\r\nUSER %s 0 * :%s\r\nJOIN #jail\r\n' "$2" "$2" "$2" >&"$1"
}

# Read lines from @fd until one matches @pattern; 5 s at most.
irc_expect() { # fd pattern
	local line end=$((SECONDS + 5))
	while [ $SECONDS -lt $end ]; do
		IFS= read -r -t 1 line <&"$1" || continue
		case $line in *$2*) return 0 ;; esac
	done
	return 1
}

test_ngircd() {
	local r="$scratch/irc" pid main
	make_root "$r" <<-EOF
		irc:20039:20039:/nonexistent
	EOF
	mkdir -p "$r/etc/ngircd"
	cat > "$r/etc/ngircd/ngircd.conf" <<-EOF
		[Global]
		Name = irc.jail.test
		Info = ngIRCd in a vjail
		AdminInfo1 = vjail test
		AdminEMail = root@localhost
		Listen = 127.0.0.1
		Ports = 16667
		MotdPhrase = "jailed"
		PidFile =
		ServerUID = irc
		ServerGID = irc
		[Options]
		DNS = no
		Ident = no
		PAM = no
	EOF
	"$run" -c "$(cd "$policies" && pwd)/ngircd.conf" --root "$r" \
		-- /usr/sbin/ngircd -n -f /etc/ngircd/ngircd.conf > "$scratch/irc.log" 2>&1 9>&- &
	pid=$!
	pids="$pids $pid"
	if ! wait_port 16667; then
		fail "ngircd: no answer on 127.0.0.1:16667"; cat "$scratch/irc.log"; return
	fi
	exec 3<>/dev/tcp/127.0.0.1/16667 4<>/dev/tcp/127.0.0.1/16667
	irc_login 3 alice
	check "ngircd: alice registers and joins #jail" irc_expect 3 " 366 alice #jail"
	irc_login 4 bob
	check "ngircd: bob registers and joins #jail" irc_expect 4 " 366 bob #jail"
	printf 'PRIVMSG #jail :hello from alice\r\n' >&3
	check "ngircd: bob gets alice's message in #jail" \
		irc_expect 4 ":alice!~alice@127.0.0.1 PRIVMSG #jail :hello from alice"
	printf 'PRIVMSG alice :hi alice\r\n' >&4
	check "ngircd: alice gets bob's private message" \
		irc_expect 3 "PRIVMSG alice :hi alice"
	printf 'QUIT\r\n' >&3
	printf 'QUIT\r\n' >&4
	exec 3>&- 4>&-
	if main=$(main_pid "$pid"); then
		check "ngircd: runs as uid 20039 (the policy's user)" \
			test "$(stat -c %u /proc/"$main")" = 20039
		check_host_invisible ngircd "$main" irc
	else
		fail "ngircd: no daemon process under vjail-run $pid"
	fi
	stop ngircd "$pid"
}

# ---- SMTP: opensmtpd -----------------------------------------------------
test_smtpd() {
	local r="$scratch/mail" pid main f
	make_root "$r" <<-EOF
		opensmtpd:20025:20025:/var/lib/opensmtpd/empty
		opensmtpq:20026:20026:/var/lib/opensmtpd/empty
		bob:20100:20100:/home/bob
	EOF
	mkdir -p "$r"/var/spool/smtpd "$r"/var/lib/opensmtpd/empty "$r"/home/bob
	ln -s ../run "$r/var/run"
	chmod 711 "$r/var/spool/smtpd"
	chmod 1777 "$r/tmp"
	chown 20100:20100 "$r/home/bob"
	echo "mail.jail.test" > "$r/etc/mailname"
	: > "$r/etc/aliases"
	cat > "$r/etc/smtpd.conf" <<-EOF
		listen on 127.0.0.1 port 2525
		action "local" maildir "/home/%{user.username}/Maildir"
		match from local for local action "local"
	EOF
	"$run" -c "$(cd "$policies" && pwd)/opensmtpd.conf" --root "$r" \
		--bind "$r/var/spool/smtpd /var/spool/smtpd rw" \
		--bind "$r/home /home rw" --bind "$r/tmp /tmp rw" \
		-- /usr/sbin/smtpd -d -f /etc/smtpd.conf > "$scratch/smtp.log" 2>&1 9>&- &
	pid=$!
	pids="$pids $pid"
	if ! wait_port 2525; then
		fail "smtpd: no answer on 127.0.0.1:2525"; cat "$scratch/smtp.log"; return
	fi
	printf 'From: alice@localhost\r\nSubject: jailed\r\n\r\nhello bob, from outside\r\n' \
		> "$scratch/mail.txt"
	check "smtpd: curl smtp:// delivers a message for bob" \
		curl -s --max-time 5 smtp://127.0.0.1:2525 --mail-from alice@localhost \
			--mail-rcpt bob@localhost -T "$scratch/mail.txt"
	for _ in $(seq 50); do
		f=$(ls "$r"/home/bob/Maildir/new/* 2>/dev/null | head -1)
		[ -n "$f" ] && break
		sleep 0.1
	done
	check "smtpd: the message lands in bob's Maildir inside the jail" \
		grep -q "hello bob, from outside" "${f:-/nonexistent}"
	if main=$(main_pid "$pid"); then
		check "smtpd: the jail sees the message at /home/bob/Maildir/new" \
			grep -q "hello bob" <(inside "$main" /usr/bin/sh -c 'cat /home/bob/Maildir/new/*')
		check_host_invisible smtpd "$main" bob
	else
		fail "smtpd: no daemon process under vjail-run $pid"
	fi
	stop smtpd "$pid"
}

test_vsftpd
test_ngircd
test_smtpd
echo "daemons: $passed passed, $failed failed"
if [ "$failed" -ne 0 ]; then
	for log in "$scratch"/*.log; do
		echo "---- $log"
		tail -20 "$log"
	done
	exit 1
fi
exit 0
