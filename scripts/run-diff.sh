#!/bin/bash
# Differential test: random diffgen programs on QEMU Malta (24Kc) and vzsim
# must print the same final state.
#
#   scripts/run-diff.sh VZSIM DIFFGEN WORKDIR RESULTS SEED...
#
# VZSIM may be the word "qemu": QEMU is then compared with a second QEMU run,
# which checks that the generated programs are deterministic.
# Writes RESULTS/diff.results (scripts/results.sh), one line per seed:
#   pass diff.seedN | fail diff.seedN <first differing line> | skip diff.qemu REASON
# Files of failing seeds stay in WORKDIR (seedN.S/.elf/.qemu.out/.vzsim.out/
# .vzsim.err); those of passing seeds are removed.
#
# Environment: DIFF_LEN (units per program, diffgen's default if unset),
# DIFF_JOBS (parallel seeds, default 2), QEMU, CROSS_CC.
set -u

if [ $# -lt 5 ]; then
	echo "usage: $0 VZSIM DIFFGEN WORKDIR RESULTS SEED..." >&2
	exit 2
fi
VZSIM=$1 DIFFGEN=$2 WORK=$3 RESULTS=$4
shift 4

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LDSCRIPT=$ROOT/tests/diff/link.ld
QEMU=${QEMU:-qemu-system-mipsel}
CROSS_CC=${CROSS_CC:-mipsel-linux-gnu-gcc}
JOBS=${DIFF_JOBS:-2}
LEN_ARGS=()
[ -n "${DIFF_LEN:-}" ] && LEN_ARGS=(--len "$DIFF_LEN")
TIMEOUT=20
MAX_INSNS=5000000

mkdir -p "$WORK" || exit 1
# shellcheck source=scripts/results.sh
. "$(dirname "$0")/results.sh"
results_begin diff "$RESULTS"

if ! command -v "$QEMU" > /dev/null 2>&1; then
	echo "*** difftest: QEMU not found, skipped ***"
	skip qemu "$QEMU not found"
	results_end
	exit 0
fi
for tool in "$DIFFGEN" "$CROSS_CC"; do
	if ! command -v "$tool" > /dev/null 2>&1; then
		fail setup "$tool not found"
		results_end
		exit 1
	fi
done
if [ "$VZSIM" != qemu ] && [ ! -x "$VZSIM" ]; then
	fail setup "$VZSIM not found"
	results_end
	exit 1
fi

# QEMU_BOARD (also scripts/bench.sh): Malta without its network card and
# VGA, whose option ROMs (efi-pcnet.rom, vgabios-cirrus.bin) are in
# packages that a --no-install-recommends QEMU lacks; the tests use the
# UART only.  QEMU's own messages go to the third argument, so a failure
# can say why.
QEMU_BOARD=(-M malta -cpu 24Kc -m 256 -nic none -vga none -nographic -no-reboot -monitor none)
run_qemu() { # ELF UART-OUT ERR-OUT
	rm -f "$2"
	timeout "$TIMEOUT" "$QEMU" "${QEMU_BOARD[@]}" \
		-serial "file:$2" -kernel "$1" < /dev/null > "$3" 2>&1
}

# First line where two files differ, as one line of text.
first_diff() { # A B NAME-A NAME-B
	awk -v na="$3" -v nb="$4" -v fb="$2" '
		{ if ((getline lb < fb) <= 0) lb = "<EOF>"
		  if ($0 != lb) { printf "line %d: %s \"%s\" %s \"%s\"\n", NR, na, $0, nb, lb; found = 1; exit } }
		END { if (!found) {
			if ((getline lb < fb) > 0) printf "line %d: %s \"<EOF>\" %s \"%s\"\n", NR + 1, na, nb, lb
			else print "outputs differ" } }' "$1"
}

# Runs one seed and leaves its result in $WORK/seedN.res: "pass" or
# "fail REASON" (the seeds run in parallel; the results are written in
# seed order at the end).
one_seed() {
	local seed=$1 b=$WORK/seed$1 msg="" rc
	local res=$b.res
	rm -f "$b".S "$b".elf "$b".qemu.out "$b".qemu.err "$b".vzsim.out "$b".vzsim.err
	if ! "$DIFFGEN" "$seed" "${LEN_ARGS[@]}" > "$b.S" 2> "$b.vzsim.err"; then
		echo "fail diffgen failed" > "$res"; return
	fi
	if ! "$CROSS_CC" -march=24kc -EL -mno-abicalls -fno-pic -G0 -nostdlib -static \
		-Wl,--build-id=none -Wl,-z,noexecstack -T "$LDSCRIPT" \
		"$b.S" -o "$b.elf" 2> "$b.vzsim.err"; then
		echo "fail assembler failed: $(head -n 1 "$b.vzsim.err")" > "$res"; return
	fi
	run_qemu "$b.elf" "$b.qemu.out" "$b.qemu.err"
	rc=$?
	if [ $rc -ne 0 ] || [ "$(tail -n 1 "$b.qemu.out" 2> /dev/null)" != end ]; then
		echo "fail qemu did not finish (exit $rc): $(head -n 1 "$b.qemu.err" 2> /dev/null)" > "$res"; return
	fi
	if [ "$VZSIM" = qemu ]; then
		run_qemu "$b.elf" "$b.vzsim.out" "$b.vzsim.err"
		rc=$?
	else
		rm -f "$b.vzsim.out"
		# --jit 1: every block compiled (on hosts with the compiler) at its
		# first start, so QEMU checks the compiled code as well.
		timeout "$TIMEOUT" "$VZSIM" --jit 1 --max-insns "$MAX_INSNS" --uart-out "$b.vzsim.out" \
			"$b.elf" < /dev/null > /dev/null 2> "$b.vzsim.err"
		rc=$?
	fi
	[ -e "$b.vzsim.out" ] || : > "$b.vzsim.out"
	if [ $rc -ne 0 ]; then
		case $rc in
		3) msg="vzsim exit 3 (--max-insns reached); " ;;
		124) msg="vzsim timeout; " ;;
		*) msg="vzsim exit $rc; " ;;
		esac
	fi
	if [ -z "$msg" ] && cmp -s "$b.qemu.out" "$b.vzsim.out"; then
		echo pass > "$res"
		rm -f "$b".S "$b".elf "$b".qemu.out "$b".qemu.err "$b".vzsim.out "$b".vzsim.err
		return
	fi
	if cmp -s "$b.qemu.out" "$b.vzsim.out"; then
		msg="${msg}output identical"
	else
		msg="$msg$(first_diff "$b.qemu.out" "$b.vzsim.out" qemu vzsim)"
	fi
	echo "fail $msg" > "$res"
}

seeds=("$@")
running=0
for seed in "${seeds[@]}"; do
	if ! [[ $seed =~ ^[0-9]+$ ]]; then
		fail "seed$seed" "bad seed"
		continue
	fi
	one_seed "$seed" &
	running=$((running + 1))
	if [ $running -ge "$JOBS" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

# Collect in seed order so the results file does not depend on scheduling.
n=0
for seed in "${seeds[@]}"; do
	res=$WORK/seed$seed.res
	[[ $seed =~ ^[0-9]+$ ]] || continue
	word="" reason="it left no result"
	[ -e "$res" ] && read -r word reason < "$res"
	rm -f "$res"
	n=$((n + 1))
	case $word in
	pass) pass "seed$seed" ;;
	*) fail "seed$seed" "$reason" ;;
	esac
done
echo "diff: $n seeds, $failed mismatches"
results_end
