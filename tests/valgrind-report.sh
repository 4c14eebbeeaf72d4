#!/bin/sh
# valgrind-report.sh: the end of make check-valgrind. Every confabd and confab that the
# integration suites ran under valgrind (CONFAB_VALGRIND) wrote its findings to a file of
# its own in DIR; valgrind -q writes nothing when there are none. One TAP point per
# process: ok when its file is empty, not ok with the findings otherwise.
#
#   valgrind-report.sh DIR
set -u
dir=${1:?usage: valgrind-report.sh DIR}
n=0
for f in "$dir"/*.log; do
	[ -f "$f" ] && n=$((n + 1))
done
if [ "$n" -eq 0 ]; then
	echo "1..1"
	echo "not ok 1 - no process ran under valgrind: nothing in $dir"
	exit 0
fi
echo "1..$n"
i=0
for f in "$dir"/*.log; do
	[ -f "$f" ] || continue
	i=$((i + 1))
	name=$(basename "$f" .log)
	if [ -s "$f" ]; then
		echo "not ok $i - $name: valgrind found problems (below, and in $f)"
		sed -n '1,60s/^/# /p' "$f"
	else
		echo "ok $i - $name: nothing found"
	fi
done
