#!/bin/bash
# Runs every test step of `make test` (the Makefile has built what they need),
# keeps going past failures and ends with one summary line.
#
# Convention: each step writes $RESULTS/<step>.results, one line per test:
#   pass NAME | fail NAME | skip NAME [reason]
BUILD=${BUILD:-build}
RESULTS=$BUILD/test-results
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

# Unit tests (cmocka, sanitizers on).
: > "$RESULTS/unit.results"
for t in "$BUILD"/san/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	log="$RESULTS/unit.$name.log"
	"$t" > "$log" 2>&1
	rc=$?
	grep -E '^\[  (PASSED|FAILED|ERROR) *\]|^\[==========\]' "$log" | sed "s/^/$name: /"
	sed -n -E 's/^\[       OK \] (.*)$/pass '"$name"'.\1/p; s/^\[  (FAILED|ERROR) *\] ([^ ]+)$/fail '"$name"'.\2/p' "$log" \
		| grep -v ' test(s)' | sort -u >> "$RESULTS/unit.results"
	if [ $rc -ne 0 ]; then
		echo "---- $name failed (exit $rc):"
		tail -n 40 "$log"
		grep -q "^fail $name" "$RESULTS/unit.results" || echo "fail $name (exit $rc)" >> "$RESULTS/unit.results"
	fi
done

# pdtrace: CLI tests and a short decoder fuzz (the cmocka tests ran above).
[ -x scripts/run-pdtrace-tests.sh ] && scripts/run-pdtrace-tests.sh "$BUILD" "$RESULTS"
[ -x scripts/run-fuzz.sh ] && scripts/run-fuzz.sh "$BUILD" "$RESULTS"

# Disassembler against GNU objdump.
[ -x scripts/run-disasm-check.sh ] && scripts/run-disasm-check.sh "$BUILD" "$RESULTS"

# End-to-end programs on vzsim.
[ -x scripts/run-e2e.sh ] && scripts/run-e2e.sh "$BUILD/san/bin/vzsim" "$BUILD/target/e2e" tests/e2e "$RESULTS"

# The reference hypervisor on vzsim.
[ -x scripts/run-hv-tests.sh ] && scripts/run-hv-tests.sh "$BUILD/san/bin/vzsim" "$BUILD/target/hypervisor.elf" tests/hv "$RESULTS"

# pdtrace flow against vzsim's --log-insns, and on damaged traces.
[ -x scripts/run-flow-tests.sh ] && scripts/run-flow-tests.sh "$BUILD/san/bin/vzsim" \
	"$BUILD/san/bin/pdtrace" "$BUILD/target/hypervisor.elf" "$RESULTS"

# vzsoak run: bad input, the stand-in hypervisor, the real one.
[ -x scripts/run-vzsoak-tests.sh ] && scripts/run-vzsoak-tests.sh "$BUILD/san/bin/vzsoak" "$BUILD/target/hypervisor.elf" \
	"$BUILD/target/vzsoak/fakehv.elf" tests/vzsoak "$RESULTS"

# Differential tests against QEMU Malta.
[ -x scripts/run-diff.sh ] && scripts/run-diff.sh "$BUILD/san/bin/vzsim" "$BUILD/bin/diffgen" "$BUILD/diff" "$RESULTS" $DIFF_SEEDS

# The ELF loader fuzzer, briefly (make fuzz runs it longer).
FUZZ_SECONDS=$((${FUZZ_SECONDS:-20} / 2)) scripts/run-fuzz-elf.sh "$BUILD" "$RESULTS"

exec scripts/test-summary.sh "$RESULTS"
