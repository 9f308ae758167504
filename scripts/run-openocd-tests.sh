#!/bin/bash
# Tests of vzsoak's OpenOCD side (docs/boards.md) with the real OpenOCD
# (Debian's 0.12, or $VZSOAK_OPENOCD) and no board:
#
#   scripts/run-openocd-tests.sh OCDCHECK RESULTS
#
# - the shipped configurations parse: boards/openocd/vzsim.cfg with
#   tcb.tcl; p5600-template.cfg refused until its IDCODE is filled in,
#   and accepted once it is (on the dummy adapter);
# - OCDCHECK (tests/vzsoak/ocdcheck.c, sanitizers on) drives OpenOCD through
#   harness/openocd/: start, commands and their errors, join, stop; tcb.tcl
#   on a Tcl model of the TCB; a program that cannot run, a configuration
#   that fails, a Tcl port someone else holds, OpenOCD killed between and
#   during commands, a stop of a busy OpenOCD.  One result per case.
#
# OpenOCD that is missing is a failure, not a skip: `make deps` installs it.
# Writes RESULTS/openocd.results and keeps OpenOCD's logs in RESULTS/openocd/.
set -u

# shellcheck source=scripts/results.sh
. "$(dirname "$0")/results.sh"
results_args 2 "OCDCHECK RESULTS" "$@"
OCDCHECK=$1 RESULTS=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OPENOCD=${VZSOAK_OPENOCD:-/usr/bin/openocd}
# Every case is bounded inside ocdcheck; this is for one that is not.
TIMEOUT=${OPENOCD_TIMEOUT:-300}
OUT=$RESULTS/openocd
rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
results_begin openocd "$RESULTS"

if [ ! -x "$OPENOCD" ]; then
	fail installed "$OPENOCD is not installed (make deps installs it)"
	results_end
	exit
fi
version=$("$OPENOCD" --version 2>&1 | head -n 1)
case $version in
*" 0.12."*) pass version ;;
*) fail version "'$version': vzsoak reads OpenOCD 0.12's replies" ;;
esac

# cfg_check NAME EXPECT LOG OPENOCD-ARGS...: OpenOCD reads the
# configuration and stops before init; EXPECT ok: it must exit 0; any
# other EXPECT: it must fail with that text in its output.
cfg_check() {
	local name=$1 expect=$2 log=$OUT/$3
	shift 3
	timeout 30 "$OPENOCD" "$@" -c shutdown > "$log" 2>&1
	local rc=$?
	if [ "$expect" = ok ]; then
		if [ $rc -eq 0 ]; then
			pass "$name"
		else
			fail "$name" "openocd exited with status $rc: $(grep -m 1 Error: "$log")"
		fi
	elif [ $rc -ne 0 ] && grep -qF -- "$expect" "$log"; then
		pass "$name"
	else
		fail "$name" "openocd exited with status $rc without '$expect': $log"
	fi
}

CFG=$ROOT/boards/openocd
cfg_check cfg.vzsim ok vzsim-cfg.log -f "$CFG/vzsim.cfg" -f "$CFG/tcb.tcl"
cfg_check cfg.template-unfilled "-expected-id bad parameter" template-unfilled.log \
	-c 'adapter driver dummy' -f "$CFG/p5600-template.cfg"
sed 's/0xFILL_IN/0x00000001/' "$CFG/p5600-template.cfg" > "$OUT/p5600-filled.cfg"
cfg_check cfg.template-filled ok template-filled.log \
	-c 'adapter driver dummy' -f "$OUT/p5600-filled.cfg" -f "$CFG/tcb.tcl"

# ocdcheck's cases: "plan N", then a pass or fail line each.
if [ ! -x "$OCDCHECK" ]; then
	fail ocdcheck "$OCDCHECK is missing (make test builds it)"
	results_end
	exit
fi
VZSOAK_OPENOCD=$OPENOCD timeout "$TIMEOUT" "$OCDCHECK" "$ROOT" "$OUT" > "$OUT/ocdcheck.out" 2> "$OUT/ocdcheck.stderr"
rc=$?
planned=0 ran=0
while read -r word name reason; do
	case $word in
	plan) planned=$name ;;
	pass) pass "$name"; ran=$((ran + 1)) ;;
	fail) fail "$name" "$reason"; ran=$((ran + 1)) ;;
	*) fail ocdcheck "a line that is not a result: $word $name $reason" ;;
	esac
done < "$OUT/ocdcheck.out"
if [ $rc -eq 124 ]; then
	fail ocdcheck "timed out after ${TIMEOUT}s after $ran cases"
elif [ "$planned" -eq 0 ] || [ "$ran" -ne "$planned" ]; then
	fail ocdcheck "exit status $rc after $ran of $planned cases: $(grep -m 1 -E 'ERROR|runtime error' "$OUT/ocdcheck.stderr")"
elif [ $rc -ne 0 ] && [ "$failed" -eq 0 ]; then
	fail ocdcheck "exit status $rc with every case passed: $(tail -n 1 "$OUT/ocdcheck.stderr")"
fi

results_end
