#!/bin/bash
# Runs the end-to-end programs on vzsim and checks their UART transcripts.
#
#   scripts/run-e2e.sh VZSIM ELFDIR SRCDIR RESULTS
#
# Every ELFDIR/NAME.elf runs on VZSIM with an instruction budget and a
# wall-clock limit; it passes when vzsim exits 0 (the program wrote 0x42 to
# the reset register) and the UART output equals SRCDIR/NAME.expected byte
# for byte.  If ELFDIR/../demo.elf exists (the `make run` image) it is run
# too, as a smoke test: exit 0 and its banner, nothing more.
#
# Writes RESULTS/e2e.results ("pass e2e.NAME" / "fail e2e.NAME REASON") and
# keeps each run's output in RESULTS/e2e/.  Exit status: 0 if all passed.
set -u

# shellcheck source=scripts/results.sh
. "$(dirname "$0")/results.sh"
results_args 4 "VZSIM ELFDIR SRCDIR RESULTS" "$@"
VZSIM=$1 ELFDIR=$2 SRCDIR=$3 RESULTS=$4
MAX_INSNS=${E2E_MAX_INSNS:-20000000}
# Far above what any program needs, even under the sanitizers.
TIMEOUT=${E2E_TIMEOUT:-120}
BANNER="vzsim demo: MIPS32r5 on a simulated Malta board"

if [ ! -x "$VZSIM" ]; then
	echo "run-e2e: $VZSIM: not an executable" >&2
	exit 2
fi
mkdir -p "$RESULTS/e2e"
results_begin e2e "$RESULTS"

# Why a run ended, from vzsim's exit status (see `vzsim --help`).
exit_reason() {
	case $1 in
	3) echo "instruction budget ($MAX_INSNS) exhausted" ;;
	4) echo "deadlock (wait with no interrupt able to wake the CPU)" ;;
	2) echo "vzsim rejected the image or the options" ;;
	124) echo "timeout after ${TIMEOUT}s" ;;
	*) echo "vzsim exit status $1" ;;
	esac
}

# run NAME ELF: runs one image; leaves its UART output in $out, stderr in
# $err, and vzsim's exit status in $rc.
run() {
	out="$RESULTS/e2e/$1.uart"
	err="$RESULTS/e2e/$1.stderr"
	timeout "$TIMEOUT" "$VZSIM" --max-insns "$MAX_INSNS" --uart-out "$out" \
		"$2" > /dev/null 2> "$err"
	rc=$?
	[ -e "$out" ] || : > "$out"
}


shopt -s nullglob
elfs=("$ELFDIR"/*.elf)
if [ ${#elfs[@]} -eq 0 ]; then
	fail none "no ELF images in $ELFDIR"
fi

for elf in "${elfs[@]}"; do
	name=$(basename "$elf" .elf)
	expected="$SRCDIR/$name.expected"
	if [ ! -f "$expected" ]; then
		fail "$name" "no $expected"
		continue
	fi
	run "$name" "$elf"
	if [ $rc -ne 0 ]; then
		fail "$name" "$(exit_reason $rc)"
		tail -n 20 "$err"
		echo "last UART lines:"
		tail -n 10 "$out"
		echo
	elif ! cmp -s "$expected" "$out"; then
		fail "$name" "transcript differs from $expected"
		diff -u "$expected" "$out" | head -n 40
	else
		pass "$name"
	fi
done

demo="$ELFDIR/../demo.elf"
if [ -f "$demo" ]; then
	run demo-smoke "$demo"
	if [ $rc -ne 0 ]; then
		fail demo-smoke "$(exit_reason $rc)"
		tail -n 20 "$err"
	elif ! grep -qF "$BANNER" "$out"; then
		fail demo-smoke "no banner in the UART output"
		head -n 5 "$out"
	else
		pass demo-smoke
	fi
fi

results_end
