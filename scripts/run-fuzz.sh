#!/bin/bash
# A run of the trace decoder fuzzer (build/fuzz/fuzz_decoder,
# tests/fuzz/fuzz_decoder.c): the packet decoder, then the flow decoder
# over the same input, against build/target/pdtrace's fixture images.
# `make test` runs it briefly, `make fuzz` for longer.
#
#   scripts/run-fuzz.sh BUILD RESULTS
#
# FUZZ_SECONDS (default 20) is how long it runs.  Writes
# RESULTS/fuzz.results (scripts/results.sh):
#   pass fuzz.decoder | fail fuzz.decoder REASON | skip fuzz.decoder REASON
set -u
# shellcheck source=scripts/results.sh
. "$(dirname "$0")/results.sh"
results_args 2 "BUILD RESULTS" "$@"
BUILD=$1 RESULTS=$2
FUZZ_SECONDS=${FUZZ_SECONDS:-20}
FUZZ=$BUILD/fuzz/fuzz_decoder
MKVECTORS=$BUILD/bin/pdt-mkvectors
results_begin fuzz "$RESULTS"
if [ ! -x "$FUZZ" ]; then
	# Visible in the summary: the fuzzer did not run.
	skip decoder "no clang/libFuzzer: $FUZZ not built"
	results_end
	exit
fi
work=$BUILD/fuzz
rm -rf "$work/seeds"
mkdir -p "$work/corpus" "$work/crashes"
if ! "$MKVECTORS" "$work/seeds" > /dev/null; then
	fail decoder "$MKVECTORS could not write the seeds"
	results_end
	exit
fi
log=$RESULTS/fuzz.decoder.log
# The growing corpus is kept between runs (build/fuzz/corpus); the
# hand-made vectors seed it.
"$FUZZ" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$work/crashes/" -print_final_stats=1 \
	"$work/corpus" "$work/seeds" "$work/seeds/corpus" > "$log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1)
if [ $rc -eq 0 ]; then
	pass decoder
	echo "fuzz.decoder: ${FUZZ_SECONDS}s, ${runs:-?} inputs, ${cov:-cov: ?}, corpus $(ls "$work/corpus" | wc -l) files"
else
	fail decoder "exit $rc, see $log; crash inputs in $work/crashes"
	grep -E 'ERROR|SUMMARY|runtime error|crash-|timeout-|leak-' "$log" | head -n 10
fi
results_end
