#!/bin/sh
# summary.sh DIR...: counts the test cases recorded by the TAP driver in the *.trs files
# under each DIR (the test suite's build, the fuzzers' build), lists the failures, and
# prints "N passed, N failed, N skipped" as the last line. A DIR that does not exist is
# passed over.
set -eu
[ $# -gt 0 ] || set -- .
pass=0; fail=0; skip=0
for dir in "$@"; do
	[ -d "$dir" ] || continue
	for trs in $(find "$dir" -name '*.trs' | sort); do
		p=$(grep -c '^:test-result: PASS' "$trs" || true)
		x=$(grep -c '^:test-result: XFAIL' "$trs" || true)
		f=$(grep -c '^:test-result: \(FAIL\|XPASS\|ERROR\)' "$trs" || true)
		s=$(grep -c '^:test-result: SKIP' "$trs" || true)
		pass=$((pass + p + x)); fail=$((fail + f)); skip=$((skip + s))
		if [ "$f" -gt 0 ]; then
			log=${trs%.trs}.log
			echo "FAILED in $log:"
			grep -E '^(not ok|ERROR|# )' "$log" 2>/dev/null | head -40 | sed 's/^/  /'
		fi
	done
done
if [ $((pass + fail + skip)) -eq 0 ]; then
	echo "no test results found under $*" >&2
	fail=1
fi
echo "$pass passed, $fail failed, $skip skipped"
