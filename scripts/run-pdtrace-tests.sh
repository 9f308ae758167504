#!/bin/bash
# The pdtrace steps of `make test` that are not cmocka binaries: the CLI
# tests (and the boot arguments from vzsim to a trace header) and a short
# run of the decoder fuzzer (the packet decoder, then the flow decoder over
# the same input, against build/target/pdtrace's fixture images).  `make
# fuzz` runs the fuzzer alone, for longer.
#
#   scripts/run-pdtrace-tests.sh all|cli|fuzz BUILD RESULTS
#
# Writes RESULTS/pdtrace.results (cli) and RESULTS/fuzz.results (fuzz),
# one "pass NAME" / "fail NAME" / "skip NAME reason" line per test.
# FUZZ_SECONDS (default 20) is how long the fuzzer runs.
set -u
if [ $# -ne 3 ]; then
	echo "usage: $0 all|cli|fuzz BUILD RESULTS" >&2
	exit 2
fi
STEP=$1 BUILD=$2 RESULTS=$3
FUZZ_SECONDS=${FUZZ_SECONDS:-20}
MKVECTORS=$BUILD/bin/pdt-mkvectors
mkdir -p "$RESULTS"
status=0

if [ "$STEP" = all ] || [ "$STEP" = cli ]; then
	tests/pdtrace/cli.sh "$BUILD/san/bin/pdtrace" "$MKVECTORS" "$RESULTS/pdtrace" \
		"$RESULTS/pdtrace.results" || status=1
	# A capture carries the boot arguments vzsim was given (the flow
	# decoder finds the guests' images and crashme's seed there).
	VZSIM=$BUILD/san/bin/vzsim HV=$BUILD/target/hypervisor.elf
	vzt=$RESULTS/pdtrace/bootargs.vzt
	args="guests=2 image=stress"
	if [ ! -x "$VZSIM" ] || [ ! -f "$HV" ]; then
		echo "skip pdtrace.bootargs ($VZSIM or $HV not built)" >> "$RESULTS/pdtrace.results"
	elif ! "$VZSIM" --bootargs "$args" --trace "$vzt" --max-insns 100000 "$HV" \
		> /dev/null 2> "$vzt.err" && [ ! -f "$vzt" ]; then
		echo "fail pdtrace.bootargs (vzsim: $(head -n 1 "$vzt.err"))" >> "$RESULTS/pdtrace.results"
		status=1
	elif "$BUILD/san/bin/pdtrace" dump --header "$vzt" | grep -qx "bootargs       $args" &&
		"$BUILD/san/bin/pdtrace" dump --header --json "$vzt" | grep -qF "\"bootargs\":\"$args\""; then
		echo "pass pdtrace.bootargs" >> "$RESULTS/pdtrace.results"
	else
		echo "fail pdtrace.bootargs (not in the header of $vzt)" >> "$RESULTS/pdtrace.results"
		status=1
	fi
fi

if [ "$STEP" = all ] || [ "$STEP" = fuzz ]; then
	FUZZ=$BUILD/fuzz/fuzz_decoder
	out=$RESULTS/fuzz.results
	if [ ! -x "$FUZZ" ]; then
		# Visible in the summary: the fuzz step did not run.
		echo "skip fuzz.decoder (no clang/libFuzzer: $FUZZ not built)" > "$out"
	else
		work=$BUILD/fuzz
		rm -rf "$work/seeds"
		mkdir -p "$work/corpus" "$work/crashes"
		"$MKVECTORS" "$work/seeds" > /dev/null
		log=$RESULTS/fuzz.decoder.log
		# The growing corpus is kept between runs (build/fuzz/corpus);
		# the hand-made vectors seed it.
		"$FUZZ" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
			-artifact_prefix="$work/crashes/" -print_final_stats=1 \
			"$work/corpus" "$work/seeds" "$work/seeds/corpus" > "$log" 2>&1
		rc=$?
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1)
		if [ $rc -eq 0 ]; then
			echo "pass fuzz.decoder" > "$out"
			echo "fuzz.decoder: ${FUZZ_SECONDS}s, ${runs:-?} inputs, ${cov:-cov: ?}, corpus $(ls "$work/corpus" | wc -l) files"
		else
			echo "fail fuzz.decoder (exit $rc, see $log; crash inputs in $work/crashes)" > "$out"
			grep -E 'ERROR|SUMMARY|runtime error|crash-|timeout-|leak-' "$log" | head -n 10
			status=1
		fi
	fi
	if [ "$STEP" = fuzz ]; then
		cat "$out"
	fi
fi
exit $status
