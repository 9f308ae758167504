#!/bin/bash
# Prints the per-step counts and the closing "N passed, N failed, N skipped"
# line of `make test`; exits 1 if anything failed or nothing ran.
#
# Every line of RESULTS/STEP.results must be "pass STEP.NAME", "fail
# STEP.NAME REASON" or "skip STEP.NAME REASON" (scripts/results.sh); any
# other line, or a step without a single line, counts as a failure, so a
# step whose output went wrong cannot pass for a clean one.
RESULTS=${1:-build/test-results}
tp=0; tf=0; ts=0
for f in "$RESULTS"/*.results; do
	[ -e "$f" ] || continue
	step=$(basename "$f" .results)
	name="${step//./\\.}\\.[^ ]+"
	pass_re="^pass $name\$" fail_re="^fail $name( .*)?\$" skip_re="^skip $name( .*)?\$"
	p=$(grep -cE "$pass_re" "$f"); fl=$(grep -cE "$fail_re" "$f"); s=$(grep -cE "$skip_re" "$f")
	malformed=$(grep -vE -e "$pass_re" -e "$fail_re" -e "$skip_re" "$f")
	[ -s "$f" ] || malformed="(no result lines)"
	[ -z "$malformed" ] || fl=$((fl + $(wc -l <<< "$malformed")))
	printf '%-12s %4d passed, %d failed, %d skipped\n' "$step:" "$p" "$fl" "$s"
	grep -E "$fail_re" "$f" | sed 's/^/  /'
	# A few are enough to see what went wrong.
	[ -z "$malformed" ] || head -n 10 <<< "$malformed" | sed "s/^/  malformed: /"
	grep -E "$skip_re" "$f" | sed 's/^/  /'
	tp=$((tp + p)); tf=$((tf + fl)); ts=$((ts + s))
done
echo "$tp passed, $tf failed, $ts skipped"
[ "$tf" -eq 0 ] && [ "$tp" -gt 0 ]
