# Sourced by the test steps (run-e2e.sh, run-hv-tests.sh, run-flow-tests.sh,
# run-vzsoak-tests.sh): the result lines of one step, which
# scripts/test-summary.sh reads.
#
#   results_begin STEP RESULTS   RESULTS/STEP.results, written under a
#                                temporary name until results_end
#   pass NAME / fail NAME REASON / skip NAME REASON
#   results_end                  puts the file in place; status 0 if
#                                nothing failed

results_begin() {
	results_step=$1
	results_dir=$2
	results_tmp="$2/.$1.results.tmp"
	: > "$results_tmp"
	failed=0
}

pass() { echo "pass $results_step.$1" >> "$results_tmp"; }

skip() { echo "skip $results_step.$1 $2" >> "$results_tmp"; }

fail() {
	echo "fail $results_step.$1 $2" >> "$results_tmp"
	echo "---- $results_step.$1: $2"
	failed=$((failed + 1))
}

results_end() {
	mv "$results_tmp" "$results_dir/$results_step.results"
	[ "$failed" -eq 0 ]
}
