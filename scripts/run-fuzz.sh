#!/bin/bash
# A run of one libFuzzer target for FUZZ_SECONDS (default 20); `make
# test` runs each briefly, `make fuzz` for longer.
#
#   scripts/run-fuzz.sh decoder|elf BUILD RESULTS
#
# decoder: build/fuzz/fuzz_decoder (tests/fuzz/fuzz_decoder.c), the packet
#   decoder, then the flow decoder over the same input, against
#   build/target/pdtrace's fixture images; seeded with the hand-made
#   vectors (pdt-mkvectors).  Step fuzz, test fuzz.decoder.
# elf: build/fuzz/fuzz_elf (tests/fuzz/fuzz_elf.c), vzsim's ELF loader;
#   seeded with the target images the build made.  Step fuzz-elf, test
#   fuzz-elf.loader.
#
# Writes RESULTS/STEP.results (scripts/results.sh); skip when clang was
# not there to build the fuzzer.  The growing corpus is kept between runs
# (build/fuzz/corpus, build/fuzz/elf/corpus), crash inputs land in
# crashes/ beside it.
#
# With FUZZ_RUNS set (`make test`) the run is the same on every machine
# instead: FUZZ_RUNS inputs from libFuzzer's seed FUZZ_SEED (default 1),
# starting from the seeds alone in a corpus of its own (test-corpus/), so
# what passes here passes in CI; the time-bounded runs of `make fuzz`
# explore on from the kept corpus.
set -u
# shellcheck source=scripts/results.sh
. "$(dirname "$0")/results.sh"
results_args 3 "decoder|elf BUILD RESULTS" "$@"
TARGET=$1 BUILD=$2 RESULTS=$3
FUZZ_SECONDS=${FUZZ_SECONDS:-20}

case $TARGET in
decoder) step=fuzz name=decoder fuzz=$BUILD/fuzz/fuzz_decoder work=$BUILD/fuzz ;;
elf) step=fuzz-elf name=loader fuzz=$BUILD/fuzz/fuzz_elf work=$BUILD/fuzz/elf ;;
*) echo "run-fuzz.sh: unknown target '$TARGET'" >&2; exit 2 ;;
esac
results_begin "$step" "$RESULTS"
if [ ! -x "$fuzz" ]; then
	# Visible in the summary: the fuzzer did not run.
	skip "$name" "no clang/libFuzzer: $fuzz not built"
	results_end
	exit
fi

if [ -n "${FUZZ_RUNS:-}" ]; then
	corpus=$work/test-corpus
	rm -rf "$corpus"
	budget=(-seed="${FUZZ_SEED:-1}" -runs="$FUZZ_RUNS")
	what="$FUZZ_RUNS inputs from seed ${FUZZ_SEED:-1}"
else
	corpus=$work/corpus
	budget=(-max_total_time="$FUZZ_SECONDS")
	what="${FUZZ_SECONDS}s"
fi
mkdir -p "$corpus" "$work/crashes"
rm -rf "$work/seeds"
mkdir -p "$work/seeds"
dirs=("$corpus" "$work/seeds")
if [ "$TARGET" = decoder ]; then
	if ! "$BUILD/bin/pdt-mkvectors" "$work/seeds" > /dev/null; then
		fail "$name" "$BUILD/bin/pdt-mkvectors could not write the seeds"
		results_end
		exit
	fi
	dirs+=("$work/seeds/corpus")
else
	cp "$BUILD"/target/e2e/*.elf "$BUILD"/target/*.elf "$BUILD"/target/pdtrace/*.elf \
		"$work/seeds/" 2>/dev/null
fi

log=$RESULTS/$step.$name.log
"$fuzz" "${budget[@]}" -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$work/crashes/" -print_final_stats=1 "${dirs[@]}" > "$log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1)
if [ $rc -eq 0 ]; then
	pass "$name"
	echo "$step.$name: $what, ${runs:-?} inputs, ${cov:-cov: ?}, corpus $(ls "$corpus" | wc -l) files"
else
	# What libFuzzer said, in the one line a summary keeps.
	why=$(grep -E '^==[0-9]+== ?ERROR|^SUMMARY|runtime error|^artifact_prefix|Test unit written' "$log" | head -n 4 | tr '\n' ' ')
	fail "$name" "exit $rc ($what): ${why:-no error line} -- see $log; crash inputs in $work/crashes"
	grep -E 'ERROR|SUMMARY|runtime error|crash-|timeout-|leak-' "$log" | head -n 10
fi
results_end
