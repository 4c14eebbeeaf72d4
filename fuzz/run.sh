#!/bin/sh
# run.sh: runs one libFuzzer target for a bounded time on a copy of its seed corpus, in
# the build tree (never writing into the source tree), and reports in TAP: "ok" with the
# runs, the speed and the coverage, or "not ok" with the path of the reproducer.
#
#   run.sh TARGET SEEDS DICT WORKDIR SECONDS [--keep]
#
# TARGET: the fuzzer binary; SEEDS: its seed corpus (fuzz/corpus/NAME); DICT: its
# dictionary ("" for none); WORKDIR: where the corpus copy, the log and any crash go;
# SECONDS: how long to fuzz. Without --keep WORKDIR starts empty (make fuzz-smoke); with
# it the corpus grown by earlier runs is kept and the seeds are added (make fuzz).
# FUZZ_FLAGS may add libFuzzer options (e.g. FUZZ_FLAGS=-jobs=2).
set -u

target=$1 seeds=$2 dict=$3 work=$4 seconds=$5
keep=${6:-}
name=$(basename "$target")

echo "1..1"
if [ "$keep" != --keep ]; then
	rm -rf "$work"
fi
mkdir -p "$work/corpus" || exit 1
# absolute paths, so that the reproducer's command works from anywhere
work=$(cd "$work" && pwd)
target=$(cd "$(dirname "$target")" && pwd)/$(basename "$target")
if [ -d "$seeds" ]; then
	for f in "$seeds"/*; do
		[ -f "$f" ] && cp "$f" "$work/corpus/seed-$(basename "$f")"
	done
fi
log=$work/fuzz.log
# -timeout: an input that runs 25 s is a hang (a loaded machine can stretch a normal one
# to several seconds: too short a limit reports hangs that are not)
set -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=25 \
    -print_final_stats=1 -artifact_prefix="$work/"
[ -n "$dict" ] && set -- "$@" -dict="$dict"
# UBSan findings stop the run (the build has -fno-sanitize-recover) with a stack trace.
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export UBSAN_OPTIONS
# shellcheck disable=SC2086
"$target" "$@" ${FUZZ_FLAGS:-} "$work/corpus" >"$log" 2>&1
status=$?

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
cov=$(sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\).*/\1 \2 \3/p' "$log" | tail -n 1)
# shellcheck disable=SC2086
set -- $cov
# a slow-unit- file is libFuzzer's note of an input that ran over 10 s, not a finding: on a
# loaded machine (a load of 16 on 2 cores) fuzz_hub's start alone takes 3 s of waiting
artifact=$(sed -n 's/.*Test unit written to //p' "$log" | grep -v '/slow-unit-' | tail -n 1)
if [ "$status" -eq 0 ] && [ -z "$artifact" ]; then
	echo "ok 1 - $name: ${runs:-?} runs in ${seconds} s (${speed:-?} exec/s)," \
	    "coverage ${1:-?}, features ${2:-?}, corpus ${3:-?}"
	exit 0
fi
echo "not ok 1 - $name: exit status $status${artifact:+, reproducer $artifact}"
# what went wrong, and where in confab's own code
grep -aE '^(==[0-9]+==ERROR|SUMMARY|ALARM|.*runtime error|.*invariant broken)' "$log" |
    head -n 10 | sed 's/^/# /'
grep -aE '^ +#[0-9]+ .* /.*/(src|hub|ui|fuzz)/' "$log" | head -n 12 | sed 's/^/# /'
[ -n "$artifact" ] && echo "# reproduce: $target $artifact"
echo "# log: $log"
exit 1
