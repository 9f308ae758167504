#!/bin/bash
# Debian's OpenOCD against vzsim's EJTAG TAP (vzsim --jtag, docs/vzsim.md
# "EJTAG"), through OpenOCD's remote_bitbang adapter and the board config
# vzsoak ships (boards/openocd/vzsim.cfg), as a user drives a board:
#
#   scripts/run-ejtag-tests.sh VZSIM DEMO_ELF LOAD_ELF HV_ELF RESULTS
#
# - init: the IDCODE and the IMPCODE (EJTAG 5, DINT, 8-bit ASIDs, no DMA)
#   OpenOCD reports; the core found halted before its first instruction;
# - halt, register read, memory write and read, CP0 Debug and Config;
# - load_image of an ELF (FASTDATA through the work area) and verify_image
#   (an algorithm run in the work area, ending at sdbbp);
# - step (a branch and its delay slot are one step), a hardware and a
#   software breakpoint, resume, reset halt (ECR PrRst and SRST);
# - the TCB's registers read with raw irscan/drscan inside capture;
# - debug mode invisible to the program: the core halted by vzsim at
#   --max-insns has the same registers whether the probe halted it on the
#   way or not;
# - vzsim killed in the middle of a session: OpenOCD says so and ends, in
#   bounded time.
# Writes RESULTS/ejtag.results; its files go to RESULTS/ejtag/.
set -u

# shellcheck source=scripts/results.sh
. "$(dirname "$0")/results.sh"
results_args 5 "VZSIM DEMO_ELF LOAD_ELF HV_ELF RESULTS" "$@"
VZSIM=$1 DEMO=$2 LOADELF=$3 HV=$4 RESULTS=$5
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CFG=${OCD_CFG:-$ROOT/boards/openocd/vzsim.cfg}
OPENOCD=${VZSOAK_OPENOCD:-openocd}
TIMEOUT=${EJTAG_TIMEOUT:-60}
OUT=$RESULTS/ejtag
rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
results_begin ejtag "$RESULTS"

if ! command -v "$OPENOCD" >/dev/null; then
	fail openocd-present "no $OPENOCD on PATH (make deps installs Debian's openocd)"
	results_end
	exit
fi

VZPID=
# board NAME [VZSIM ARGS...]: starts vzsim --jtag on a free port; PORT.
board() {
	local name=$1
	shift
	rm -f "$OUT/$name.port"
	"$VZSIM" --jtag 0 --jtag-ready "$OUT/$name.port" --uart-out "$OUT/$name.console" \
		"$@" >"$OUT/$name.vzsim.out" 2>"$OUT/$name.vzsim.err" &
	VZPID=$!
	for _ in $(seq 100); do
		[ -s "$OUT/$name.port" ] && break
		sleep 0.05
	done
	PORT=$(cat "$OUT/$name.port" 2>/dev/null)
}

# session NAME COMMANDS...: OpenOCD on the board, the commands after init,
# its output in OUT/NAME.log; then the board is waited for.
session() {
	local name=$1
	shift
	local args=()
	for c in "$@"; do
		args+=(-c "$c")
	done
	timeout "$TIMEOUT" "$OPENOCD" -c "set VZSIM_PORT $PORT" -c "set VZSOAK_TCL_PORT disabled" \
		-f "$CFG" -c init "${args[@]}" -c shutdown >"$OUT/$name.log" 2>&1
	local rc=$?
	timeout 10 tail --pid="$VZPID" -f /dev/null 2>/dev/null || kill -9 "$VZPID" 2>/dev/null
	wait "$VZPID" 2>/dev/null
	return $rc
}

# has NAME TEST PATTERN REASON: TEST passes if NAME.log has PATTERN (ERE).
has() {
	if grep -Eq -- "$3" "$OUT/$1.log"; then
		pass "$2"
	else
		fail "$2" "$4 (OUT/$1.log: $(grep -E 'Error|halted' "$OUT/$1.log" | head -1))"
	fi
}

# ------------------------------------------------------------ init, halt, registers, memory

board basic "$DEMO"
session basic "halt" "reg pc" "mww 0x80001000 0x12345678" "mww 0x80001004 0xcafef00d" \
	"mdw 0x80001000 2" "mips32 cp0 23 0" "mips32 cp0 16 0" "mips32 cp0 16 1"
has basic init-idcode 'tap/device found: 0x0000a5a1' "OpenOCD did not find vzsim's IDCODE"
has basic init-halted-at-entry 'halted .* pc: 0x80100000' "the core was not found halted at the image's entry"
has basic reg-pc 'pc \(/32\): 0x80100000' "reg pc is not the entry point"
has basic mww-mdw '0x80001000: 12345678 cafef00d' "the words written did not read back"
has basic cp0-debug 'cp0 reg 23, select 0: 40028020' "Debug is not DM | EJTAGver 5 | DINT"
has basic cp0-config 'cp0 reg 16, select 0: 80000482' "Config read through debug mode is not the core's"
has basic config1-ep 'cp0 reg 16, select 1: [0-9a-f]*[89a-f]$' "Config1.EP (EJTAG present) is clear"

board impcode "$DEMO"
timeout "$TIMEOUT" "$OPENOCD" -d3 -c "set VZSIM_PORT $PORT" -c "set VZSOAK_TCL_PORT disabled" \
	-f "$CFG" -c init -c shutdown >"$OUT/impcode.log" 2>&1
wait "$VZPID" 2>/dev/null
has impcode impcode-version 'EJTAG: Version 5' "OpenOCD did not read EJTAG 5 from IMPCODE"
has impcode impcode-features 'features: ASID_8 noDMA MIPS32' "IMPCODE's ASID size, NoDMA or MIPS32 is not what OpenOCD reads"
has impcode impcode-dint 'features: .*DINT' "IMPCODE does not say DINT"

# ------------------------------------------------------------ load_image, verify_image

board load "$DEMO"
session load "halt" "load_image $LOADELF 0 elf" "verify_image $LOADELF 0 elf"
has load load-image 'downloaded [0-9]+ bytes' "load_image did not complete"
has load verify-image 'verified [0-9]+ bytes' "verify_image found the image not as loaded"

# ------------------------------------------------------------ step, breakpoints, resume, reset

# demo.elf: 0x80100018 beq, 0x8010001c its delay slot, 0x80100020 b, ...;
# main is called once the .bss is clear.
MAIN=0x$(nm "$DEMO" 2>/dev/null | awk '$3 == "main" { print $1 }')
[ "$MAIN" = 0x ] && MAIN=0x$(mipsel-linux-gnu-nm "$DEMO" | awk '$3 == "main" { print $1 }')
board run "$DEMO"
session run "halt" "step" "step" "reg pc" \
	"bp 0x80100018 4 hw" "resume" "sleep 200" "rbp 0x80100018" "step" "reg pc" \
	"bp $MAIN 4" "resume" "sleep 500" "reg pc" "rbp $MAIN" \
	"resume" "sleep 200" "halt" "reg pc" \
	"reset halt" "reg pc" "reset_config srst_only" "reset halt" "mips32 cp0 24 0"
has run step-two 'single-step, pc: 0x80100008' "two steps from the entry are not at 0x80100008"
has run bp-hw 'due to breakpoint, pc: 0x80100018' "the hardware breakpoint did not halt the core there"
has run step-branch-is-one 'single-step, pc: 0x80100028|single-step, pc: 0x80100020' \
	"a branch and its delay slot were not one step"
has run bp-sw "pc \\(/32\\): $MAIN" "the software breakpoint (sdbbp) did not halt the core there"
has run resume-halt 'debug-request, pc: 0x801' "halt after resume did not find the core running its program"
has run reset-halt-prrst 'debug-request, pc: 0xbfc00000' "reset halt did not halt at the reset vector"
has run reset-halt-srst 'cp0 reg 24, select 0: bfc00000' "reset halt through SRST did not leave DEPC at the reset vector"

# ------------------------------------------------------------ the TCB over JTAG

board tcb "$DEMO"
session tcb "halt" \
	'echo "config=[capture {irscan vz.cpu 0x11; drscan vz.cpu 32 0x80000000}][capture {irscan vz.cpu 0x12; drscan vz.cpu 32 0}]"' \
	'echo "b=[capture {irscan vz.cpu 0x11; drscan vz.cpu 32 0}]"' "reg pc"
# B written with WE and REG 0, then read back (REG 0, WE 0); TCBConfig for
# 32 KiB of trace memory: SZ 7, OnT, OfT, REV 7.
has tcb tcb-config 'config=[0-9a-f]{8}000e0037' "TCBDATA with REG 0 is not TCBConfig (SZ 7, OnT, OfT, REV 7)"
has tcb tcb-after 'pc \(/32\): 0x80100000' "OpenOCD lost the core after the raw TCB scans"

# ------------------------------------------------------------ debug mode is invisible

# The hypervisor with four stress guests (crashme, the TLB worker): root,
# guest mode, timers, world switches, TLB refills; halted by vzsim at N,
# with and without the probe halting, stepping and reading on the way.
N=20000000
ARGS="guests=4 seed=5 quantum=8000 sched=aim preserve=off image=stress crashme=64 worker-pages=64"
board quiet "$HV" --bootargs "$ARGS" --max-insns $N
session quiet "resume" "wait_halt 60000" "reg"
board busy "$HV" --bootargs "$ARGS" --max-insns $N
session busy "resume" "halt" "resume" "halt" "mdw 0x80100000 4" "step" "resume" "halt" \
	"resume" "wait_halt 60000" "reg"
regs() { sed -n '/^===== mips32 registers/,$p' "$OUT/$1.log" | grep -E '^\([0-9]+\) '; }
if [ "$(regs quiet | wc -l)" -ge 32 ] && [ "$(regs quiet)" = "$(regs busy)" ]; then
	pass invisible-registers
else
	fail invisible-registers "the registers at --max-insns differ with halts on the way (OUT/quiet.log, OUT/busy.log)"
fi

# ------------------------------------------------------------ the board dies

board killed "$DEMO"
( sleep 2; kill -9 "$VZPID" ) &
start=$(date +%s)
timeout "$TIMEOUT" "$OPENOCD" -c "set VZSIM_PORT $PORT" -c "set VZSOAK_TCL_PORT disabled" \
	-f "$CFG" -c init -c "resume" -c "sleep 4000" -c "halt" -c "reg pc" -c shutdown \
	>"$OUT/killed.log" 2>&1
rc=$?
took=$(($(date +%s) - start))
wait
if [ $rc -ne 124 ] && [ $took -lt 30 ] && grep -Eqi 'error' "$OUT/killed.log"; then
	pass board-killed
else
	fail board-killed "OpenOCD (status $rc, ${took}s) did not report the lost board and end"
fi

results_end
