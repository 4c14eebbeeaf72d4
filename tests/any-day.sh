#!/bin/sh
# any-day.sh: runs the tests whose outcome could depend on the date, the time of day, the
# weekday, the machine's time zone or a change of the clocks, at fixed instants, under
# libfaketime (Debian's faketime). Every process of a run (the test scripts, confabd,
# confab, tmux) sees the same clock, moved by a whole number of seconds to the instant
# chosen; it then runs on normally. The monotonic clock is left alone (DONT_FAKE_MONOTONIC=1:
# Python's timed waits use it through a call libfaketime does not intercept, see
# tests/lib/anyday.py); nothing in confab reads the date from it.
#
#   tests/any-day.sh [-b BUILDDIR] [INSTANT...]   named instants (default: all of them)
#   tests/any-day.sh [-b BUILDDIR] --at 'YYYY-MM-DD HH:MM:SS' [--tz ZONE]   any instant (UTC)
#   tests/any-day.sh --ci        the instant of the day (one of the list, chosen by the date
#                                of the run) and ny-2350, as .ci/run does
#   tests/any-day.sh --list      the named instants
#
# BUILDDIR (default build-check, else build) must hold a built tree (make, and the test
# programs: make check TESTS=). Results go to BUILDDIR/any-day/INSTANT/ as TAP .log/.trs
# files, which tests/summary.sh counts; the last line is "N passed, N failed, N skipped".
#
# What libfaketime cannot reach: statically linked programs and raw system calls (none in
# this suite); the hub's and the client's own clock arithmetic is covered by unit tests on
# an injected clock (tests/unit), which need no preload.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)

# name | UTC instant | TZ of the run ("-": the machine's) | what it is
INSTANTS='monday|2027-01-04 13:30:00|America/New_York|a Monday morning in New York (08:30)
thursday|2026-12-03 15:00:00|-|a Thursday afternoon, UTC
ny-2350|2026-12-04 04:50:00|America/New_York|23:50 in New York, 04:50 UTC the next day
us-dst|2027-03-14 06:30:00|America/New_York|the Sunday the US switches to summer time (01:30 EST)
eu-dst|2027-10-31 00:45:00|Europe/Berlin|the last Sunday of October in Europe (02:45 CEST, before the switch)
leap|2028-02-29 12:00:00|-|29 February 2028
kiritimati|2027-01-01 10:30:00|Pacific/Kiritimati|UTC+14: already 2 January, 00:30
pago-pago|2027-01-01 10:30:00|Pacific/Pago_Pago|UTC-11: still 31 December, 23:30'

# The tests that read the wall clock, the zone or the date (directly or through the demo
# program, which is shifted to the current hour), or do clock arithmetic.
UNIT_TESTS="test_util test_program test_model test_proto test_hub test_hub_resume \
test_client test_client_resume test_clocksync test_config"
INTEGRATION_TESTS="test_e2e.py test_plain.py test_client_resume.py test_timers.py \
test_lineup.py test_hub_resume.py test_hub_raw.py test_confabd_cli.py test_i18n.py \
test_curses.py test_curses_i18n.py test_resilience.py test_demo.py test_habits.py \
test_curses_habits.py test_agenda.py"

say() { printf 'any-day: %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }

build=""
at=""
tz="-"
mode=names
names=""
while [ $# -gt 0 ]; do
	case "$1" in
	-b) [ $# -ge 2 ] || die "-b needs a build directory"; build=$2; shift ;;
	--at) [ $# -ge 2 ] || die "--at needs 'YYYY-MM-DD HH:MM:SS' (UTC)"; at=$2; mode=at; shift ;;
	--tz) [ $# -ge 2 ] || die "--tz needs a zone name"; tz=$2; shift ;;
	--ci) mode=ci ;;
	--list) printf '%s\n' "$INSTANTS" | awk -F'|' '{ printf "%-11s %s UTC  TZ=%s  %s\n", $1, $2, $3, $4 }'; exit 0 ;;
	-h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) die "unknown option '$1' (try --help)" ;;
	*) names="$names $1" ;;
	esac
	shift
done

if [ -z "$build" ]; then
	if [ -f "$top/build-check/Makefile" ]; then build=$top/build-check; else build=$top/build; fi
fi
build=$(cd "$build" 2>/dev/null && pwd) || die "no build directory '$build'"
[ -x "$build/confabd" ] && [ -x "$build/confab" ] || die "$build has no confabd/confab: build first"
command -v faketime >/dev/null 2>&1 || die "faketime is not installed (Debian: apt-get install faketime; ./setup installs it)"
command -v python3 >/dev/null 2>&1 || die "python3 is not installed"

# The chosen instants as lines "name|instant|tz|what".
case "$mode" in
at)
	chosen="custom|$at|$tz|--at $at"
	;;
ci)
	n=$(printf '%s\n' "$INSTANTS" | grep -vc '^ny-2350|')
	doy=$(date -u +%j | sed 's/^0*//')
	pick=$(( (${doy:-0} % n) + 1 ))
	chosen="$(printf '%s\n' "$INSTANTS" | grep -v '^ny-2350|' | sed -n "${pick}p")
$(printf '%s\n' "$INSTANTS" | grep '^ny-2350|')"
	;;
*)
	if [ -z "$names" ]; then
		chosen=$INSTANTS
	else
		chosen=""
		for n in $names; do
			line=$(printf '%s\n' "$INSTANTS" | grep "^$n|") || die "no instant named '$n' (see --list)"
			chosen="$chosen${chosen:+
}$line"
		done
	fi
	;;
esac

# Seconds from now to a UTC instant "YYYY-MM-DD HH:MM:SS".
offset_to() {
	python3 -c 'import sys, datetime, time
t = datetime.datetime.strptime(sys.argv[1], "%Y-%m-%d %H:%M:%S").replace(tzinfo=datetime.timezone.utc)
print("%+d" % int(round(t.timestamp() - time.time())))' "$1"
}

awk_bin=$(command -v gawk || command -v mawk || command -v awk)
results="$build/any-day"

# Runs one test (program or script path) at the offset, as the TAP driver of make check.
run_one() {
	dir=$1; name=$2; off=$3; zone=$4; shift 4
	if [ "$zone" = "-" ]; then zone_env=""; else zone_env="TZ=$zone"; fi
	env AM_TAP_AWK="$awk_bin" sh "$top/build-aux/tap-driver.sh" --test-name "$name" \
	    --log-file "$dir/$name.log" --trs-file "$dir/$name.trs" \
	    --color-tests no --enable-hard-errors yes --expect-failure no -- \
	    env CMOCKA_MESSAGE_OUTPUT=TAP CONFAB="$build/confab" CONFABD="$build/confabd" \
	    CONFAB_SRCDIR="$top" PYTHONPATH="$top/tests/lib" PYTHONDONTWRITEBYTECODE=1 \
	    LC_ALL=C.UTF-8 ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	    DONT_FAKE_MONOTONIC=1 $zone_env faketime -f "${off}s" "$@" >/dev/null 2>&1
	sed -n 's/^:test-result: //p' "$dir/$name.trs" | sort | uniq -c | \
	    awk -v n="$name" '{ r = r sprintf(" %s %s", $1, $2) } END { printf "  %-24s%s\n", n, r }' >&2
}

printf '%s\n' "$chosen" | while IFS='|' read -r name instant zone what; do
	[ -n "$name" ] || continue
	dir="$results/$name"
	rm -rf "$dir"
	mkdir -p "$dir"
	off=$(offset_to "$instant")
	say "$name: $instant UTC, TZ=$zone ($what)"
	# The preload must take: the faked clock reads the instant's date.
	got=$(DONT_FAKE_MONOTONIC=1 faketime -f "${off}s" date -u +%F)
	if [ "$got" != "${instant%% *}" ]; then
		say "libfaketime did not move the clock (date says $got): stopped"
		printf 'not ok 1 - libfaketime moves the clock to %s\n1..1\n' "$instant" > "$dir/faketime.log"
		printf ':test-result: FAIL libfaketime moves the clock\n' > "$dir/faketime.trs"
		continue
	fi
	for u in $UNIT_TESTS; do
		[ -x "$build/tests/unit/$u" ] || { say "  $u: not built (make check TESTS=), skipped"; continue; }
		run_one "$dir" "$u" "$off" "$zone" "$build/tests/unit/$u"
	done
	for i in $INTEGRATION_TESTS; do
		run_one "$dir" "$i" "$off" "$zone" python3 "$top/tests/integration/$i"
	done
done
summary=$("$top/tests/summary.sh" "$results")
printf '%s\n' "$summary"
case "$summary" in
*", 0 failed, "*) exit 0 ;;
*) exit 1 ;;
esac
