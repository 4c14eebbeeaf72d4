#!/bin/sh
# summary.sh DIR: counts the test cases recorded by the TAP driver in DIR's *.trs files,
# lists the failures, and prints "N passed, N failed, N skipped" as the last line.
set -eu
dir=${1:-.}
pass=0; fail=0; skip=0
for trs in $(find "$dir" -name '*.trs' | sort); do
	p=$(grep -c '^:test-result: PASS' "$trs" || true)
	x=$(grep -c '^:test-result: XFAIL' "$trs" || true)
	f=$(grep -c '^:test-result: \(FAIL\|XPASS\|ERROR\)' "$trs" || true)
	s=$(grep -c '^:test-result: SKIP' "$trs" || true)
	pass=$((pass + p + x)); fail=$((fail + f)); skip=$((skip + s))
	if [ "$f" -gt 0 ]; then
		log=${trs%.trs}.log
		echo "FAILED in ${log#"$dir"/}:"
		grep -E '^(not ok|ERROR|# )' "$log" 2>/dev/null | head -40 | sed 's/^/  /'
	fi
done
if [ $((pass + fail + skip)) -eq 0 ]; then
	echo "no test results found under $dir" >&2
	fail=1
fi
echo "$pass passed, $fail failed, $skip skipped"
