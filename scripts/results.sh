# shellcheck shell=bash
# Sourced by every test step (scripts/run-*.sh): the result lines of one
# step, which scripts/test-summary.sh reads.  One format for all steps:
#
#   pass STEP.NAME
#   fail STEP.NAME REASON
#   skip STEP.NAME REASON
#
# in RESULTS/STEP.results; NAME has no spaces, REASON is one line.
#
#   results_args N USAGE "$@"    exits 2 with "usage: SCRIPT USAGE" unless
#                                there are N arguments
#   results_begin STEP RESULTS   RESULTS/STEP.results, written under a
#                                temporary name until results_end
#   pass NAME / fail NAME REASON / skip NAME REASON
#   results_end                  puts the file in place; status 0 if
#                                nothing failed
#
# A step that dies before results_end leaves no STEP.results, which
# scripts/run-tests.sh reports as a failure of the step.

results_args() {
	local n=$1 usage=$2
	shift 2
	if [ $# -ne "$n" ]; then
		echo "usage: $(basename "$0") $usage" >&2
		exit 2
	fi
}

results_begin() {
	results_step=$1
	mkdir -p "$2" || exit 2
	# Absolute, so that a step may cd into its work folder.
	results_dir=$(cd "$2" && pwd)
	results_tmp="$results_dir/.$1.results.tmp"
	: > "$results_tmp"
	failed=0
}

# results_line WORD NAME [REASON]: a reason on several lines (a tool's
# stderr) is joined into one, so every result stays one line.
results_line() {
	local reason=${3:-}
	reason=${reason//$'\n'/ | }
	echo "$1 $results_step.$2${reason:+ $reason}" >> "$results_tmp"
}

pass() { results_line pass "$1"; }

skip() { results_line skip "$1" "${2:-}"; }

fail() {
	results_line fail "$1" "${2:-}"
	echo "---- $results_step.$1: ${2:-}"
	failed=$((failed + 1))
}

results_end() {
	mv "$results_tmp" "$results_dir/$results_step.results"
	[ "$failed" -eq 0 ]
}
