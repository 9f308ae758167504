#!/bin/bash
# Runs the ELF loader fuzzer (build/fuzz/fuzz_elf, tests/fuzz/fuzz_elf.c)
# for FUZZ_SECONDS (default 20), seeded with the target images the build
# made; writes RESULTS/fuzz-elf.results (scripts/results.sh):
#   pass fuzz-elf.loader | fail fuzz-elf.loader REASON | skip fuzz-elf.loader REASON
#
#   scripts/run-fuzz-elf.sh BUILD RESULTS
set -u
# shellcheck source=scripts/results.sh
. "$(dirname "$0")/results.sh"
results_args 2 "BUILD RESULTS" "$@"
BUILD=$1 RESULTS=$2
FUZZ_SECONDS=${FUZZ_SECONDS:-20}
FUZZ=$BUILD/fuzz/fuzz_elf
results_begin fuzz-elf "$RESULTS"
if [ ! -x "$FUZZ" ]; then
	# Visible in the summary: the fuzzer did not run.
	skip loader "no clang/libFuzzer: $FUZZ not built"
	results_end
	exit
fi
work=$BUILD/fuzz/elf
mkdir -p "$work/corpus" "$work/seeds" "$work/crashes"
cp "$BUILD"/target/e2e/*.elf "$BUILD"/target/*.elf "$work/seeds/" 2>/dev/null
log=$RESULTS/fuzz-elf.loader.log
"$FUZZ" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$work/crashes/" -print_final_stats=1 \
	"$work/corpus" "$work/seeds" > "$log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
if [ $rc -eq 0 ]; then
	pass loader
	echo "fuzz-elf.loader: ${FUZZ_SECONDS}s, ${runs:-?} inputs"
else
	fail loader "exit $rc, see $log; crash inputs in $work/crashes"
	grep -E 'ERROR|SUMMARY|runtime error|crash-|timeout-' "$log" | head -n 10
fi
results_end
