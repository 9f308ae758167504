#!/bin/bash
# Runs every test step of `make test` (the Makefile has built what they need),
# keeps going past failures and ends with one summary line.
#
# Each step is a runner script that writes $RESULTS/<step>.results through
# scripts/results.sh (tests/README.md has the format).  A runner that is
# missing or not executable, or that ends without writing its results, is
# a failed step in the summary: a step never disappears from it silently.
BUILD=${BUILD:-build}
RESULTS=$BUILD/test-results
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

# step STEP RUNNER ARGS...: runs RUNNER, which writes RESULTS/STEP.results.
step() {
	local name=$1 runner=$2 out=$RESULTS/$1.results rc
	shift 2
	if [ ! -e "$runner" ]; then
		step_failed "$name" "$runner is missing"
	elif [ ! -x "$runner" ]; then
		step_failed "$name" "$runner is not executable"
	else
		"$runner" "$@"
		rc=$?
		if [ ! -f "$out" ]; then
			step_failed "$name" "$runner exited with status $rc and wrote no $name.results"
		elif [ $rc -ne 0 ] && ! grep -q '^fail ' "$out"; then
			# Failed without saying which test: the step itself did.
			step_failed "$name" "$runner exited with status $rc"
		fi
	fi
}

# step_failed STEP REASON: a failure of the step, not of one of its tests.
step_failed() {
	echo "fail $1.runner $2" >> "$RESULTS/$1.results"
	echo "---- $1.runner: $2"
}

# Unit tests (cmocka, sanitizers on), read from their TAP output.
step unit scripts/run-unit-tests.sh "$BUILD" "$RESULTS"

# pdtrace's command line, and a short decoder fuzz.
step pdtrace scripts/run-pdtrace-tests.sh "$BUILD" "$RESULTS"
FUZZ_RUNS=${FUZZ_RUNS:-4000} step fuzz scripts/run-fuzz.sh decoder "$BUILD" "$RESULTS"

# A seed runs instruction for instruction as it did: the trace words,
# the runs' summaries and counters against tests/identity/expected.
step identity scripts/run-identity-tests.sh "$BUILD" "$RESULTS"

# The layers: an upward include must not compile.
step layers scripts/run-layer-check.sh "$BUILD" "$RESULTS"

# Disassembler against GNU objdump.
step disasm scripts/run-disasm-check.sh "$BUILD" "$RESULTS"

# End-to-end programs on vzsim.
step e2e scripts/run-e2e.sh "$BUILD/san/bin/vzsim" "$BUILD/target/e2e" tests/e2e "$RESULTS"

# Debian's Linux on vzsim: boot, init, crashme, reset.
step linux scripts/run-linux-tests.sh "$BUILD/san/bin/vzsim" "$BUILD/san/bin/mkcpio" \
	"$BUILD/linux" "$RESULTS"

# The reference hypervisor on vzsim.
step hv scripts/run-hv-tests.sh "$BUILD/san/bin/vzsim" "$BUILD/target/hypervisor.elf" tests/hv "$RESULTS"

# vzsim's output files: what is never replaced, write errors, bad outputs
# refused before the run, signals and a closed stdout.
step outputs scripts/run-output-tests.sh "$BUILD/san/bin/vzsim" "$BUILD/san/bin/pdtrace" \
	"$BUILD/target/demo.elf" "$BUILD/target/hypervisor.elf" "$BUILD/target/vzsoak/fakehv.elf" \
	tests/outputs "$RESULTS"

# pdtrace flow against vzsim's --log-insns, and on damaged traces.
step flow scripts/run-flow-tests.sh "$BUILD/san/bin/vzsim" \
	"$BUILD/san/bin/pdtrace" "$BUILD/target/hypervisor.elf" "$RESULTS"

# vzsoak run: bad input, the stand-in hypervisor, the real one.
step vzsoak scripts/run-vzsoak-tests.sh "$BUILD/san/bin/vzsoak" "$BUILD/target/hypervisor.elf" \
	"$BUILD/target/vzsoak/fakehv.elf" tests/vzsoak "$RESULTS"

# The OpenOCD client (harness/openocd/) and boards/openocd/ against the
# real OpenOCD with no board: configurations, RPC, start, stop, deaths,
# tcb.tcl on a model of the TCB.
step openocd scripts/run-openocd-tests.sh "$BUILD/san/bin/ocdcheck" "$RESULTS"

# vzsoak soak: journal, crash folders, index, resume after SIGKILL, hung
# and crashed runs, --hours, SIGINT (the stand-in hypervisor).
step soak scripts/run-soak-tests.sh "$BUILD/san/bin/vzsoak" \
	"$BUILD/target/vzsoak/fakehv.elf" tests/vzsoak "$RESULTS"

# Detection power on one seed (make detect-power): every bug the hypervisor
# can inject flagged with its title, with and without the guests' checks,
# and a short clean soak unflagged (tests/detect/expected).
step detect scripts/run-detect-tests.sh "$BUILD/san/bin/vzsoak" "$BUILD/target/hypervisor.elf" \
	"$BUILD/test-detect" "$RESULTS"

# vzsoak report on a shrinking-page run of its own: report.md, the plots
# (gnuplot), report.html rendered by headless Chromium; without gnuplot.
step report scripts/run-report-tests.sh "$BUILD/san/bin/vzsoak" "$BUILD/target/hypervisor.elf" \
	"$RESULTS"

# scripts/slurm-soak.sh on a one-node Slurm cluster the step starts and
# stops: a 4-task array against the same seeds run locally, a cancelled
# array resumed, bad input.
step slurm scripts/run-slurm-tests.sh "$BUILD/san/bin/vzsoak" "$BUILD/target/hypervisor.elf" \
	stress/scenarios "$RESULTS"

# Debian's OpenOCD driving vzsim's EJTAG TAP (vzsim --jtag) over
# remote_bitbang: init, halt, memory, load_image, step, breakpoints, reset,
# the TCB over JTAG, debug mode invisible to the program, a board killed.
step ejtag scripts/run-ejtag-tests.sh "$BUILD/san/bin/vzsim" "$BUILD/target/demo.elf" \
	"$BUILD/target/e2e/misc.elf" "$BUILD/target/hypervisor.elf" "$RESULTS"

# vzsoak run --board openocd: the hypervisor on vzsim --jtag behind OpenOCD
# against the direct board (flags, clean with the fixes, the TCB's trace
# over JTAG), OpenOCD killed and the board hung mid-run, bad --board.
step board scripts/run-board-tests.sh "$BUILD/san/bin/vzsoak" "$BUILD/target/hypervisor.elf" \
	"$BUILD/san/bin/pdtrace" stress/scenarios/shrinking-page.scn "$RESULTS"

# Differential tests against QEMU Malta.
# shellcheck disable=SC2086 # DIFF_SEEDS is a list
step diff scripts/run-diff.sh "$BUILD/san/bin/vzsim" "$BUILD/bin/diffgen" "$BUILD/diff" "$RESULTS" $DIFF_SEEDS

# The ELF loader fuzzer, briefly (make fuzz runs it longer).
FUZZ_RUNS=${FUZZ_ELF_RUNS:-15000} step fuzz-elf scripts/run-fuzz.sh elf "$BUILD" "$RESULTS"

exec scripts/test-summary.sh "$RESULTS"
