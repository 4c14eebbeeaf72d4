#!/bin/sh
# report.sh DIR: after make fuzz-smoke (DIR/NAME.trs from the TAP driver) or make fuzz
# (DIR/NAME.tap): says which targets found a crash and where the reproducer is, and
# exits 1 when any did.
set -u
dir=$1
bad=0
for f in "$dir"/*.trs "$dir"/*.tap; do
	[ -f "$f" ] || continue
	case $f in
	*.trs) grep -q '^:test-result: \(FAIL\|ERROR\|XPASS\)' "$f" || continue
	       out=${f%.trs}.log ;;
	*) grep -q '^not ok' "$f" || continue
	   out=$f ;;
	esac
	bad=$((bad + 1))
	echo "fuzz: $(basename "${f%.*}") found a bug:"
	grep -E '^(not ok|# )' "$out" | sed 's/^/  /'
done
if [ "$bad" -gt 0 ]; then
	echo "fuzz: $bad target(s) found a bug; fuzz/README says how to reproduce and fix"
	exit 1
fi
exit 0
