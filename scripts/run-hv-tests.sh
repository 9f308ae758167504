#!/bin/bash
# End-to-end tests of the reference hypervisor on vzsim.
#
#   scripts/run-hv-tests.sh VZSIM HV_ELF TESTDIR RESULTS
#
# Each TESTDIR/NAME.args holds the boot arguments of one run of HV_ELF;
# the run passes when vzsim exits 0 (the hypervisor reset the board) and
# its console, normalised, equals TESTDIR/NAME.expected.  Normalised: the
# statistics table ("stats:") and register dumps ("hv:   ") are left out
# (their numbers move with any code change), and lines are sorted stably
# by their prefix (g1:, g2:, hv:), so each guest's own lines and the
# hypervisor's keep their order but the interleaving between guests,
# which depends on instruction counts, does not matter.  A few runs also
# check the statistics table (check_stats below).
#
# Writes RESULTS/hv.results ("pass hv.NAME" / "fail hv.NAME REASON"),
# keeps each run's console in RESULTS/hv/.  Exit status 0 if all passed.
set -u

if [ $# -ne 4 ]; then
	echo "usage: $0 VZSIM HV_ELF TESTDIR RESULTS" >&2
	exit 2
fi
VZSIM=$1 HV=$2 DIR=$3 RESULTS=$4
MAX_INSNS=${HV_MAX_INSNS:-50000000}
TIMEOUT=${HV_TIMEOUT:-120}

mkdir -p "$RESULTS/hv"
tmp="$RESULTS/.hv.results.tmp"
: > "$tmp"
failed=0

fail() {
	echo "fail hv.$1 $2" >> "$tmp"
	echo "---- hv.$1: $2"
	failed=$((failed + 1))
}

normalise() {
	grep -v -e '^stats:' -e '^hv:   ' "$1" | sort -s -k1,1
}

# stats_field OUT GUEST COLUMN: a column of a guest's statistics line.
stats_field() {
	awk -v g="$2" -v col="$3" '
		/^stats: guest/ { for (i = 1; i <= NF; i++) name[i] = $i }
		$1 == "stats:" && $2 == g { for (i = 1; i <= NF; i++) if (name[i] == col) print $i }' "$1"
}

# Extra checks on the statistics table; prints a reason on failure.
check_stats() {
	local name=$1 out=$2 c
	case $name in
	exits)	# one exit of each kind from the exits guest, timer for g2
		for c in gpsi gsfc hc grr gpa; do
			[ "$(stats_field "$out" g1 $c)" -ge 1 ] 2>/dev/null || { echo "g1 has no $c exit"; return 1; }
		done
		[ "$(stats_field "$out" g2 timer)" -ge 1 ] 2>/dev/null || { echo "g2 has no timer exit"; return 1; } ;;
	loop)	# the looping guest was preempted, repeatedly
		[ "$(stats_field "$out" g2 preempt)" -ge 3 ] 2>/dev/null || { echo "g2 was not preempted"; return 1; } ;;
	preserve-on)
		[ "$(stats_field "$out" g1 restored)" = 1 ] || { echo "g1: restored != 1"; return 1; } ;;
	preserve-off)
		[ "$(stats_field "$out" g1 tlbh)" = 1 ] || { echo "g1: tlbh != 1"; return 1; }
		[ "$(stats_field "$out" g1 saved)" = 0 ] || { echo "g1: saved != 0"; return 1; } ;;
	guests*|aim)
		grep -q '^stats: total exits' "$out" || { echo "no statistics table"; return 1; } ;;
	esac
	return 0
}

shopt -s nullglob
for args in "$DIR"/*.args; do
	name=$(basename "$args" .args)
	out="$RESULTS/hv/$name.uart"
	err="$RESULTS/hv/$name.stderr"
	expected="$DIR/$name.expected"
	if [ ! -f "$expected" ]; then
		fail "$name" "no $expected"
		continue
	fi
	timeout "$TIMEOUT" "$VZSIM" --max-insns "$MAX_INSNS" --uart-out "$out" \
		--bootargs "$(cat "$args")" "$HV" > /dev/null 2> "$err"
	rc=$?
	[ -e "$out" ] || : > "$out"
	if [ $rc -ne 0 ]; then
		fail "$name" "vzsim exit status $rc"
		tail -n 5 "$err"; tail -n 10 "$out"
	elif ! diff -u "$expected" <(normalise "$out") > "$RESULTS/hv/$name.diff"; then
		fail "$name" "console differs from $expected"
		head -n 30 "$RESULTS/hv/$name.diff"
	elif ! why=$(check_stats "$name" "$out"); then
		fail "$name" "$why"
	else
		echo "pass hv.$name" >> "$tmp"
	fi
done

mv "$tmp" "$RESULTS/hv.results"
[ $failed -eq 0 ]
