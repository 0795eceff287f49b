#!/bin/sh
# tests/unify.sh - the vjail-unify tool on real trees, as an admin uses it:
# dry run, unify, report, split, with du and checksums before and after.
# Root only (protection changes owners); skipped (77) otherwise.
# Each check is a string given to eval, hence single quotes throughout.
# shellcheck disable=SC2016,SC2034
set -eu

tool=${VJAIL_UNIFY:-${top_builddir:-.}/examples/vjail-unify}
[ "$(id -u)" = 0 ] || { echo "unify.sh: needs root"; exit 77; }
[ -x "$tool" ] || { echo "unify.sh: $tool not built"; exit 77; }
tool=$(cd "$(dirname "$tool")" && pwd)/$(basename "$tool")	# we cd below

dir=$(mktemp -d /tmp/vjail-unify-sh.XXXXXX)
trap 'rm -rf "$dir"' EXIT INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
ko() { fail=$((fail + 1)); echo "not ok - $1"; }
check() { if eval "$2"; then ok "$1"; else ko "$1"; fi; }

mkdir -p "$dir/base/usr/share" "$dir/base/usr/bin" "$dir/base/etc"
cp -a /usr/share/perl5 "$dir/base/usr/share/"
cp -a /usr/bin/true /usr/bin/ls "$dir/base/usr/bin/"
cp /etc/host.conf "$dir/base/etc/"
for j in j1 j2 j3; do cp -a "$dir/base" "$dir/$j"; done
cd "$dir"
sums() { (cd "$1" && find . -type f -exec md5sum {} + | sort -k2); }
du_set() { du -sc --block-size=1 j1 j2 j3 | tail -1 | cut -f1; }
sums base > base.sum
du0=$(du_set)

# --help fits a screen; bad usage exits 2
check "help fits 24 lines" '[ "$("$tool" --help | wc -l)" -le 24 ]'
check "bad option exits 2" '"$tool" --bogus j1 2>/dev/null; [ $? -eq 2 ]'

# dry run: a prediction, no change
"$tool" --dry-run j1 j2 j3 > dry.out
check "dry run predicts links" 'grep -q "^would link  [1-9]" dry.out'
check "dry run changes nothing" '[ "$(du_set)" = "$du0" ]'

# the real run, relative roots taken from the current directory
"$tool" j1 j2 j3 > run.out
saved=$(sed -n 's/^saved .* disk \([0-9]*\) bytes.*/\1/p' run.out)
du1=$(du_set)
check "du shrinks by the reported disk bytes" '[ $((du0 - du1)) -eq "$saved" ]'
check "du shrinks by two copies at least" '[ "$saved" -gt $(( (du0 / 3) * 3 / 2 )) ]'
check "dry run said the same" '[ "$(grep "^would link" dry.out | cut -c13-)" = "$(grep "^linked" run.out | cut -c13-)" ]'
for j in j1 j2 j3; do
	sums $j > $j.sum
	check "$j content unchanged" 'cmp -s base.sum $j.sum'
done
check "shared copy owned by the shared owner" '[ "$(stat -c %u:%g:%a j2/usr/bin/ls)" = 2147483646:2147483646:555 ]'
check "etc/ left alone" '[ "$(stat -c %h j1/etc/host.conf)" = 1 ]'

# accounting
"$tool" --report j1 j2 j3 > report.out
check "report shows j1 shared" 'grep "/j1 " report.out | awk "{ exit !(\$2 <= 2 && \$4 > 200) }"'

# split j1 back: its own copies, owner and mode as before
"$tool" --split j1 > split.out
check "split copies files" 'grep -q "^split  *[1-9]" split.out'
check "split restores owner and mode" '[ "$(stat -c %u:%g:%a j1/usr/bin/ls)" = "$(stat -c %u:%g:%a base/usr/bin/ls)" ]'
check "split j1 content unchanged" 'sums j1 | cmp -s base.sum -'
"$tool" --report j1 > report1.out
check "j1 shares nothing after split" 'grep "/j1 " report1.out | awk "{ exit !(\$4 == 0) }"'
check "j2 and j3 still share" '[ "$(stat -c %i j2/usr/bin/ls)" = "$(stat -c %i j3/usr/bin/ls)" ]'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
