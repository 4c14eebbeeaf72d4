#!/bin/sh
# check-potfiles.sh: every source file with translatable strings is listed in
# po/POTFILES.in, and every listed file exists (TAP).
top=${CONFAB_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top" || exit 1
n=0
listed=$(grep -v '^#' po/POTFILES.in | grep -v '^$')
for f in $(grep -l '\b_(\|N_(\|P_(' src/*/*.c hub/*.c ui/*.c 2>/dev/null | sort); do
	n=$((n + 1))
	if printf '%s\n' "$listed" | grep -qx "$f"; then
		echo "ok $n - $f is in po/POTFILES.in"
	else
		echo "not ok $n - $f has translatable strings but is missing from po/POTFILES.in"
	fi
done
for f in $listed; do
	n=$((n + 1))
	if [ -f "$f" ]; then echo "ok $n - $f exists"; else echo "not ok $n - po/POTFILES.in lists missing $f"; fi
done
echo "1..$n"
