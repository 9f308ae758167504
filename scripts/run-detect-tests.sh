#!/bin/bash
# The `detect` step: `make detect-power` on one seed per bug and a short
# clean soak (scripts/detect-power.sh), its table checked against
# tests/detect/expected: every injected bug flagged on its seed with the
# title expected, what selfcheck=off flags as expected, every injectable
# bug listed there, and the clean soak unflagged.
#
#   scripts/run-detect-tests.sh VZSOAK HV WORK RESULTS
. "$(dirname "$0")/results.sh"
results_args 4 "VZSOAK HV WORK RESULTS" "$@"
VZSOAK=$1 HV=$2 WORK=$3
EXPECTED=tests/detect/expected
results_begin detect "$4"

SEEDS=1 CLEAN_SEEDS=1-2 CLEAN_DURATION=200M TRACE_DURATION=50M \
	scripts/detect-power.sh "$VZSOAK" "$HV" stress/scenarios/soak.scn "$WORK" \
	> "$WORK.stdout" 2> "$WORK.stderr"
rc=$?
TABLE=$WORK/table.md
if [ ! -f "$TABLE" ]; then
	fail table "detect-power.sh ended with status $rc and no table: $(tail -1 "$WORK.stderr")"
	results_end
	exit
fi

# row BUG: the table's cells of BUG's row, '|'-separated, trimmed.
row() {
	awk -F'|' -v b="$1" '{ gsub(/^ +| +$/, "", $2) } $2 == b {
		for (i = 3; i <= 7; i++) { gsub(/^ +| +$/, "", $i); printf "%s%s", $i, i < 7 ? "|" : "\n" } }' "$TABLE"
}
while IFS=$'\t' read -r bug title off; do
	case $bug in '' | '#'*) continue ;; esac
	r=$(row "$bug")
	if [ -z "$r" ]; then
		fail "$bug" "not in the table"
		continue
	fi
	IFS='|' read -r flagged _ max got gotoff <<< "$r"
	want_off=$off
	[ "$off" = "not flagged" ] || want_off="1/1: $off"
	if [ "$flagged" != 1/1 ]; then
		fail "$bug" "flagged on $flagged seeds"
	elif [ "$got" != "$title" ]; then
		fail "$bug" "title '$got', want '$title'"
	elif [ "$gotoff" != "$want_off" ]; then
		fail "$bug" "with selfcheck=off '$gotoff', want '$want_off'"
	else
		pass "$bug"
	fi
done < "$EXPECTED"

# Every bug of the table (every injectable one) is expected.
n=0
while read -r bug; do
	n=$((n + 1))
	grep -q "^$bug	" "$EXPECTED" || fail "$bug" "in the table, not in $EXPECTED"
done < <(awk -F'|' 'NR > 2 && NF > 6 { gsub(/ /, "", $2); print $2 }' "$TABLE")
[ "$n" -ge 11 ] && pass table || fail table "$n bugs in the table, want 11 or more"

clean=$(grep '^clean soak' "$TABLE")
if [[ $clean =~ :\ 2\ runs,\ .*,\ 0\ flagged$ ]]; then
	pass clean
else
	fail clean "${clean:-no clean soak line}"
fi
results_end
