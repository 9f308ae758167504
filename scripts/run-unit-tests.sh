#!/bin/bash
# Runs the cmocka tests (BUILD/san/tests/test_*, sanitizers on; tests/tests.mk
# builds them from tests/*/test_*.c) and reads their TAP output
# (CMOCKA_MESSAGE_OUTPUT=TAP, cmocka >= 1.1):
#
#   1..N                  a group of N tests (a binary may run several)
#   ok I - NAME           pass unit.BINARY.NAME
#   not ok I - NAME       fail unit.BINARY.NAME, with the "# " lines after it
#   not ok I # SKIP NAME  skip unit.BINARY.NAME
#
# A binary that crashes, runs fewer tests than it planned, or exits
# non-zero without a "not ok" line fails as unit.BINARY.
#
#   scripts/run-unit-tests.sh BUILD RESULTS
#
# Writes RESULTS/unit.results; each binary's TAP output and stderr stay in
# RESULTS/unit/BINARY.tap and .stderr.  Prints one line per binary.
set -u
# shellcheck source=scripts/results.sh
. "$(dirname "$0")/results.sh"
results_args 2 "BUILD RESULTS" "$@"
BUILD=$1 RESULTS=$2
# A hung test is a failure, not a hung `make test`.
TIMEOUT=${UNIT_TIMEOUT:-600}
OUT=$RESULTS/unit
mkdir -p "$OUT"
results_begin unit "$RESULTS"

# tap_results TAP: "pass|fail|skip NAME [REASON]" lines, then
# "planned N" and "ran N".  A failure's reason is its "# " lines.
tap_results() {
	awk '
	function flush() { if (pending != "") print "fail " pending " " (why == "" ? "not ok" : why); pending = ""; why = "" }
	/^1\.\.[0-9]+/ { flush(); planned += substr($1, 4) ; next }
	/^ok [0-9]+ - / { flush(); sub(/^ok [0-9]+ - /, ""); print "pass " $0; ran++; next }
	/^not ok [0-9]+ # SKIP / { flush(); sub(/^not ok [0-9]+ # SKIP /, ""); print "skip " $0 " skipped by the test"; ran++; next }
	/^not ok [0-9]+ - / { flush(); sub(/^not ok [0-9]+ - /, ""); pending = $0; ran++; next }
	/^# / { if (pending != "") why = why (why == "" ? "" : " | ") substr($0, 3); next }
	{ flush() }
	END { flush(); print "planned " planned + 0; print "ran " ran + 0 }' "$1"
}

shopt -s nullglob
bins=("$BUILD"/san/tests/test_*)
[ ${#bins[@]} -gt 0 ] || fail none "no cmocka tests in $BUILD/san/tests"
for t in "${bins[@]}"; do
	bin=$(basename "$t")
	if [ ! -f "$t" ] || [ ! -x "$t" ]; then
		fail "$bin" "$t is not an executable"
		continue
	fi
	tap=$OUT/$bin.tap err=$OUT/$bin.stderr
	CMOCKA_MESSAGE_OUTPUT=TAP timeout "$TIMEOUT" "$t" > "$tap" 2> "$err"
	rc=$?
	np=0 nf=0 ns=0 planned=0 ran=0 failed_names=""
	while read -r word name reason; do
		case $word in
		pass) pass "$bin.$name"; np=$((np + 1)) ;;
		fail) fail "$bin.$name" "$reason"; nf=$((nf + 1)); failed_names+=" $name" ;;
		skip) skip "$bin.$name" "$reason"; ns=$((ns + 1)) ;;
		planned) planned=$name ;;
		ran) ran=$name ;;
		esac
	done < <(tap_results "$tap")
	line=$(printf '%-18s %3d passed' "$bin:" "$np")
	[ $nf -eq 0 ] || line+=", $nf failed:$failed_names"
	[ $ns -eq 0 ] || line+=", $ns skipped"
	# What TAP cannot say by itself: a crash, a hang, a short run.
	why=""
	if [ $rc -eq 124 ]; then
		why="timed out after ${TIMEOUT}s"
	elif [ "$planned" -eq 0 ]; then
		why="exit status $rc and no TAP plan (no tests, or it died first)"
	elif [ "$ran" -ne "$planned" ]; then
		why="exit status $rc after $ran of $planned tests"
	elif [ $rc -ne 0 ] && [ $nf -eq 0 ]; then
		why="exit status $rc with every test passed"
	fi
	if [ -n "$why" ]; then
		first=$(grep -m 1 -E "ERROR|runtime error|Assert|Abort|Segmentation" "$err")
		fail "$bin" "$why${first:+: $first}"
		line+=" -- $why"
	fi
	echo "$line"
	if [ $nf -ne 0 ] || [ -n "$why" ]; then
		echo "---- $bin (exit $rc), last lines of its output:"
		tail -n 20 "$tap"
		tail -n 20 "$err"
	fi
done

results_end
