#!/bin/bash
# `vzsoak run --board openocd` (harness/target_ocd.c, docs/boards.md): the
# hypervisor on vzsim --jtag behind Debian's OpenOCD, driven as a real
# board is (reset halt, load_image, the boot arguments over JTAG, checks
# at halts, the TCB read over JTAG), against the direct board:
#
#   scripts/run-board-tests.sh VZSOAK HV_ELF PDTRACE SCENARIO RESULTS
#
# - the shrinking page with the fixes off: flagged, with the direct
#   board's title, guest, instruction count and report count;
# - clean with either fix on (preserve, tlbp-check), as the direct board;
# - the trace read out of the TCB over JTAG decodes (pdtrace flow) and is,
#   instruction for instruction, the end of the direct run's trace;
# - OpenOCD killed in the middle of a run, and a board that stops
#   answering (vzsim stopped): a one-line reason, status 2, the run folder,
#   in bounded time; nothing left running;
# - bad --board values refused with status 2.
# Writes RESULTS/board.results; its files go to RESULTS/board/.
set -u

# shellcheck source=scripts/results.sh
. "$(dirname "$0")/results.sh"
results_args 5 "VZSOAK HV_ELF PDTRACE SCENARIO RESULTS" "$@"
VZSOAK=$1 HV=$2 PDTRACE=$3 SCN=$4 RESULTS=$5
TIMEOUT=${BOARD_TIMEOUT:-300}
OUT=$RESULTS/board
rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
results_begin board "$RESULTS"

# Checks every 10M instructions: a check through OpenOCD reads about 400
# words over JTAG; the direct runs use the same points.  128 KiB of
# on-chip trace (16384 words) to read out at the end.
SET=(--set check-every=10M --set duration=60M --set board.tcb-size=131072)

# run NAME [ARGS...]: vzsoak run of the scenario; status in NAME.status.
run() {
	local name=$1
	shift
	timeout "$TIMEOUT" "$VZSOAK" run "$SCN" --hv "$HV" --quiet "${SET[@]}" --out "$OUT/$name" \
		"$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
	echo $? >"$OUT/$name.status"
}

# The flags of a summary found at checks (not the trace detectors', which
# read a capture: the TCB's window on one board, the whole run on the
# other), without the wall clock.
flags() {
	grep -E '^    (g[0-9]|hv) [a-z-]+ at ' "$OUT/$1.out" | grep -v ' trace at ' |
		sed 's/, [0-9.]* s wall//'
}

# same NAME DIRECT OCD: the two runs flagged the same, by the same status.
same() {
	local name=$1 a=$2 b=$3
	if [ "$(cat "$OUT/$a.status")" = "$(cat "$OUT/$b.status")" ] &&
		[ "$(flags "$a")" = "$(flags "$b")" ] &&
		[ "$(grep -c . <<<"$(flags "$a")")" -ge "${4:-0}" ]; then
		pass "$name"
	else
		fail "$name" "status $(cat "$OUT/$a.status") / $(cat "$OUT/$b.status"), flags differ (OUT/$a.out, OUT/$b.out)"
	fi
}

# ------------------------------------------------------------ the shrinking page

run off-direct --trace "$OUT/off-direct.vzt"
run off-ocd --board openocd --trace "$OUT/off-ocd.vzt"
same shrinking-page-flagged off-direct off-ocd 3
if grep -q 'shrinking page: PageMask 16K -> 4K' "$OUT/off-ocd.out" &&
	[ "$(cat "$OUT/off-ocd.status")" = 1 ]; then
	pass shrinking-page-title
else
	fail shrinking-page-title "no shrinking-page flag with status 1 (OUT/off-ocd.out)"
fi
for fix in preserve=on tlbp-check=on; do
	run "${fix%%=*}-direct" --set "$fix"
	run "${fix%%=*}-ocd" --board openocd --set "$fix"
	same "clean-with-$fix" "${fix%%=*}-direct" "${fix%%=*}-ocd"
	if grep -q '^result: clean' "$OUT/${fix%%=*}-ocd.out"; then
		pass "clean-with-$fix-result"
	else
		fail "clean-with-$fix-result" "not clean with $fix (OUT/${fix%%=*}-ocd.out)"
	fi
done

# ------------------------------------------------------------ the TCB over JTAG

# The TCB holds the run's last words: decoded, they are the direct run's
# instructions over the same stretch, index for index (the on-chip
# capture starts at a SYNC somewhere inside the run).
if "$PDTRACE" flow "$OUT/off-ocd.vzt" >"$OUT/off-ocd.flow" 2>"$OUT/off-ocd.flow.err" &&
	"$PDTRACE" flow "$OUT/off-direct.vzt" >"$OUT/off-direct.flow" 2>"$OUT/off-direct.flow.err"; then
	# Both without the crashme blocks whose marker came before the window
	# (no code to show there: "?"), by instruction index.
	grep -E '^ *[0-9]+ ' "$OUT/off-ocd.flow" | grep -v '   ?  ' >"$OUT/ocd.lines"
	first=$(head -1 "$OUT/ocd.lines" | awk '{print $1}')
	last=$(tail -1 "$OUT/ocd.lines" | awk '{print $1}')
	awk -v a="$first" -v b="$last" '$1 ~ /^[0-9]+$/ && $1 >= a && $1 <= b' \
		"$OUT/off-direct.flow" | grep -v '   ?  ' >"$OUT/direct.lines.all"
	# The indices the window shows (the others are its "no code" gaps).
	awk 'NR == FNR { want[$1] = 1; next } want[$1]' "$OUT/ocd.lines" \
		"$OUT/direct.lines.all" >"$OUT/direct.lines"
	n=$(grep -c . "$OUT/ocd.lines")
	if [ "$n" -gt 100000 ] && cmp -s "$OUT/ocd.lines" "$OUT/direct.lines" &&
		! grep -q 'damaged' "$OUT/off-ocd.flow"; then
		pass tcb-trace-matches
	else
		fail tcb-trace-matches "the TCB's $n instructions ($first..$last) are not the direct run's, or the capture is damaged (OUT/off-ocd.flow)"
	fi
else
	fail tcb-trace-matches "pdtrace flow failed (OUT/off-ocd.flow.err: $(head -1 "$OUT/off-ocd.flow.err"))"
fi

# ------------------------------------------------------------ real parts failing

# ended NAME STATUS SECONDS PATTERN: the run ended with STATUS within
# SECONDS, its stderr matching PATTERN, its folder there, nothing left.
ended() {
	local name=$1 want=$2 secs=$3 pattern=$4 took=$5
	local st
	st=$(cat "$OUT/$name.status")
	if [ "$st" = "$want" ] && [ "$took" -le "$secs" ] && grep -Eq "$pattern" "$OUT/$name.err" &&
		[ -f "$OUT/$name/summary.txt" ] && [ -f "$OUT/$name/scenario.txt" ]; then
		pass "$name"
	else
		fail "$name" "status $st in ${took}s (want $want within ${secs}s), stderr: $(head -1 "$OUT/$name.err")"
	fi
}

# children PID: the processes whose parent is PID.
children() { ps -o pid= --ppid "$1" 2>/dev/null; }

SET=(--set check-every=10M --set duration=2000M --set preserve=on)
for victim in openocd vzsim; do
	start=$(date +%s)
	run "killed-$victim" --board openocd &
	runner=$!
	# Wait for the run to be checking, then take the part away.
	for _ in $(seq 200); do
		grep -q 'insns' "$OUT/killed-$victim.err" 2>/dev/null && break
		sleep 0.1
	done
	sleep 1
	vz=$(pgrep -f -- "--out $OUT/killed-$victim" | while read -r p; do
		[ "$(ps -o comm= -p "$p")" = vzsoak ] && echo "$p"; done | head -1)
	pid=$(pgrep -P "$vz" -x "$victim" | head -1)
	if [ "$victim" = openocd ]; then
		kill -9 "$pid" 2>/dev/null
	else
		kill -STOP "$pid" 2>/dev/null # the TAP stops answering
	fi
	wait "$runner"
	took=$(($(date +%s) - start))
	[ "$victim" = vzsim ] && kill -CONT "$pid" 2>/dev/null
	ended "killed-$victim" 2 120 '^vzsoak: board: ' "$took"
done
sleep 1
if pgrep -f "$OUT/killed-" >/dev/null; then
	fail nothing-left "processes of the killed runs still run: $(pgrep -af "$OUT/killed-" | head -2 | tr '\n' ' ')"
	pkill -9 -f "$OUT/killed-"
else
	pass nothing-left
fi

# ------------------------------------------------------------ bad input

for bad in openocd: openocd:host openocd:host:0 openocd:host:99999 jtag; do
	"$VZSOAK" run "$SCN" --hv "$HV" --board "$bad" --out "$OUT/bad" >/dev/null 2>"$OUT/bad.err"
	st=$?
	if [ $st = 2 ] && grep -q -- "--board" "$OUT/bad.err" && [ ! -e "$OUT/bad" ]; then
		pass "bad-board-$bad"
	else
		fail "bad-board-$bad" "status $st, $(head -1 "$OUT/bad.err")"
	fi
done

results_end
