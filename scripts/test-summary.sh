#!/bin/bash
# Prints the per-step counts and the closing "N passed, N failed" line of
# `make test`; exits 1 if anything failed or nothing ran.
RESULTS=${1:-build/test-results}
tp=0; tf=0; ts=0
for f in "$RESULTS"/*.results; do
	[ -e "$f" ] || continue
	p=$(grep -c '^pass ' "$f"); fl=$(grep -c '^fail ' "$f"); s=$(grep -c '^skip ' "$f")
	printf '%-12s %4d passed, %d failed, %d skipped\n' "$(basename "$f" .results):" "$p" "$fl" "$s"
	grep '^fail ' "$f" | sed 's/^/  /'
	grep '^skip ' "$f" | sed 's/^/  /'
	tp=$((tp + p)); tf=$((tf + fl)); ts=$((ts + s))
done
echo "$tp passed, $tf failed, $ts skipped"
[ "$tf" -eq 0 ] && [ "$tp" -gt 0 ]
