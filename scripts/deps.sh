#!/bin/sh
# scripts/deps.sh - install with apt what building and testing libvjail
# needs, only the packages that are missing. Sourced by demo.sh and test.sh.
# Usage: deps.sh [extra-package...]
set -eu
need="autoconf automake libtool pkg-config make gcc libseccomp-dev libcap-ng-dev libbsd-dev check util-linux procps curl vsftpd ngircd opensmtpd $*"
missing=""
for p in $need; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: run as root (or install:$missing)" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
