#!/bin/bash
# Runs the fuzzer of the shared ELF reader (boards/mips/elf.c; build/fuzz/
# fuzz_elf) for FUZZ_SECONDS, seeded with the target images the build made
# and the code-image fixtures (symbols, big-endian, 64-bit, stripped);
# writes RESULTS/fuzz-elf.results.
#
#   scripts/run-fuzz-elf.sh BUILD RESULTS
BUILD=${1:-build}
RESULTS=${2:-$BUILD/test-results}
FUZZ=$BUILD/fuzz/fuzz_elf
out=$RESULTS/fuzz-elf.results
mkdir -p "$RESULTS"
if [ ! -x "$FUZZ" ]; then
	echo "skip fuzz.elf (no clang/libFuzzer: $FUZZ not built)" > "$out"
	exit 0
fi
work=$BUILD/fuzz/elf
mkdir -p "$work/corpus" "$work/seeds" "$work/crashes"
cp "$BUILD"/target/e2e/*.elf "$BUILD"/target/*.elf "$BUILD"/target/pdtrace/*.elf \
	"$work/seeds/" 2>/dev/null
log=$RESULTS/fuzz.elf.log
"$FUZZ" -max_total_time="${FUZZ_SECONDS:-20}" -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$work/crashes/" -print_final_stats=1 \
	"$work/corpus" "$work/seeds" > "$log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
if [ $rc -eq 0 ]; then
	echo "pass fuzz.elf" > "$out"
	echo "fuzz.elf: ${FUZZ_SECONDS:-20}s, ${runs:-?} inputs"
else
	echo "fail fuzz.elf (exit $rc, see $log; crash inputs in $work/crashes)" > "$out"
	grep -E 'ERROR|SUMMARY|runtime error|crash-|timeout-' "$log" | head -n 10
	exit 1
fi
