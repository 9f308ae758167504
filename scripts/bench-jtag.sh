#!/bin/bash
# `make bench`, the JTAG part: Debian's OpenOCD driving vzsim --jtag over
# remote_bitbang (docs/boards.md), on the hypervisor with four stress
# guests, halted:
#
#   scripts/bench-jtag.sh BUILD
#
# - raw scans: bits per second through remote_bitbang (32-bit IDCODE scans);
# - memory reads (mdw, OpenOCD's processor-access programs): words per second;
# - the TCB's on-chip trace read (boards/openocd/tcb.tcl): words per second;
# - a status check of `vzsoak run --board openocd` (resume to the next
#   check point, halt, Count, Debug and DEPC, the status and statistics
#   blocks): milliseconds each, against the direct board's.
# Speed never fails the build: only a broken run does.
set -u
BUILD=${1:-build}
OUT=$BUILD/bench/jtag
VZSIM=$BUILD/bin/vzsim
VZSOAK=$BUILD/bin/vzsoak
HV=$BUILD/target/hypervisor.elf
CFG=boards/openocd/vzsim.cfg
TCL=boards/openocd/tcb.tcl
die() { echo "bench: $*" >&2; exit 1; }
command -v openocd >/dev/null || die "no openocd (make deps installs it)"
rm -rf "$OUT"
mkdir -p "$OUT"
ARGS="guests=4 seed=5 quantum=8000 sched=aim preserve=on image=stress crashme=64 worker-pages=64"

"$VZSIM" --jtag 0 --jtag-ready "$OUT/port" --bootargs "$ARGS" --max-insns 20000000 \
	--board-opt tcb-size=131072 "$HV" >"$OUT/console" 2>"$OUT/vzsim.err" &
vz=$!
for _ in $(seq 100); do [ -s "$OUT/port" ] && break; sleep 0.05; done
[ -s "$OUT/port" ] || die "vzsim --jtag did not listen"
# Each measure prints "NAME COUNT MS".
timeout 300 openocd -c "set VZSIM_PORT $(cat "$OUT/port")" -c "set VZSOAK_TCL_PORT disabled" \
	-f "$CFG" -f "$TCL" -c init \
	-c 'resume; wait_halt 60000' \
	-c 'proc idscans {n} { irscan vz.cpu 0x01; for {set i 0} {$i < $n} {incr i} { drscan vz.cpu 32 0 } }' \
	-c 'set t [clock milliseconds]; capture {idscans 2000}; echo "scan-bits 64000 [expr {[clock milliseconds] - $t}]"' \
	-c 'set t [clock milliseconds]; mdw 0xa0100000 4096; echo "mdw-words 4096 [expr {[clock milliseconds] - $t}]"' \
	-c 'set t [clock milliseconds]; set w [vz_tcb_words 0 16384]; echo "tcb-words [llength $w] [expr {[clock milliseconds] - $t}]"' \
	-c shutdown >"$OUT/openocd.log" 2>&1 || die "OpenOCD failed (see $OUT/openocd.log)"
wait "$vz"
rate() { awk -v n="$2" -v ms="$3" -v u="$4" 'BEGIN { printf "%s: %.0f %s/s (%d in %d ms)\n", "'"$1"'", n / (ms / 1000), u, n, ms }'; }
read -r _ bits bms <<<"$(grep '^scan-bits' "$OUT/openocd.log")"
read -r _ words wms <<<"$(grep '^mdw-words' "$OUT/openocd.log")"
read -r _ tw tms <<<"$(grep '^tcb-words' "$OUT/openocd.log")"
[ -n "${bms:-}" ] && [ -n "${wms:-}" ] && [ -n "${tms:-}" ] || die "a JTAG measure is missing (see $OUT/openocd.log)"
echo
echo "JTAG through OpenOCD 0.12's remote_bitbang, vzsim --jtag halted:"
rate "raw scans (32-bit IDCODE)" "$bits" "$bms" "bits"
rate "memory reads (mdw, processor accesses)" "$words" "$wms" "words"
rate "TCB reads (tcb.tcl, 64-bit TCBTW)" "$tw" "$tms" "words"

# Status checks: a 30M-instruction clean run checked every 1M, through
# OpenOCD and directly; the difference per check is the probe's cost.
S=stress/scenarios/shrinking-page.scn
SET=(--set preserve=on --set duration=30M --set check-every=1M --quiet)
t0=$(date +%s.%N)
"$VZSOAK" run "$S" "${SET[@]}" --board openocd --out "$OUT/ocd" >/dev/null 2>&1 || die "the run through OpenOCD failed"
t1=$(date +%s.%N)
"$VZSOAK" run "$S" "${SET[@]}" --out "$OUT/direct" >/dev/null 2>&1 || die "the direct run failed"
t2=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
	o = b - a; d = c - b
	printf "status check through OpenOCD: %.0f ms each (30 checks: %.1f s a run, %.2f s directly)\n", (o - d) / 30 * 1000, o, d }'
rm -rf "$OUT/ocd" "$OUT/direct"
exit 0
