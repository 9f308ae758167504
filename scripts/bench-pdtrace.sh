#!/bin/bash
# libpdtrace's speed: encodes a synthetic trace of PDT_BENCH_INSNS
# instructions (default 10^9) with pdt-bench-gen, then times the
# library's decoder alone (pdt-bench-dec, best of 5), `pdtrace dump
# --stats` and `pdtrace dump` (text to /dev/null), and prints MB/s and
# records/s.  Run at the end of `make bench` (scripts/bench.sh).
#
# Then the flow decoder on real captures: vzsim --trace of the bench's LCG
# loop (bench/lcg.S) stopped after PDT_FLOW_INSNS (default 10^8) and
# twice that many instructions, decoded to the end by the library alone
# (pdt-bench-flow: instructions/s and max RSS, which must not grow with
# the trace), a 4-guest stress capture of the hypervisor for a busier mix,
# and `pdtrace flow --no-events` (text to /dev/null) on the first
# PDT_FLOW_CLI_INSNS (default 10^7) instructions for comparison; and
# `pdtrace diff` of the stress capture against itself (M instructions/s,
# both sides counted).  The library rows walk runs of instructions
# (pdt_flow_next_run, the block cache replaying each block whole); the
# "one item an instruction" rows the same captures with pdt_flow_next, as
# a consumer that looks at every instruction does (pdt-bench-flow
# --items).  Goals: FLOW_GOAL M instructions/s on the loop, HV_GOAL on
# the 4-guest capture.
#
#   scripts/bench-pdtrace.sh BUILD
set -u
BUILD=${1:-build}
INSNS=${PDT_BENCH_INSNS:-1000000000}
OUT=$BUILD/bench
TRACE=$OUT/pdtrace-bench.vzt
PDTRACE=$BUILD/bin/pdtrace

die() { echo "bench-pdtrace: $*" >&2; exit 1; }
for t in "$PDTRACE" "$BUILD/bin/pdt-bench-gen" "$BUILD/bin/pdt-bench-dec"; do
	[ -x "$t" ] || die "$t not built"
done
mkdir -p "$OUT"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
rate() { awk -v n="$1" -v s="$2" -v d="$3" 'BEGIN { printf "%.1f", (s > 0 ? n / s / d : 0) }'; }

echo
echo "libpdtrace: a synthetic trace of $INSNS instructions"
"$BUILD/bin/pdt-bench-gen" "$TRACE" "$INSNS" | sed 's/^/  /' || die "generator failed"
bytes=$(( $(stat -c %s "$TRACE") ))

dec=$("$BUILD/bin/pdt-bench-dec" "$TRACE" 5) || die "pdt-bench-dec failed"
d_secs=$(echo "$dec" | sed -n 's/.*: \([0-9.]*\) s,.*/\1/p')

t0=$(now)
"$PDTRACE" dump --stats "$TRACE" > "$OUT/pdtrace-stats.txt" || die "pdtrace dump --stats failed"
t1=$(now)
s_secs=$(secs "$t0" "$t1")
records=$(awk '$1 == "total" { print $2 }' "$OUT/pdtrace-stats.txt")
insns=$(awk '$1 == "instructions" { print $2 }' "$OUT/pdtrace-stats.txt")
tbytes=$(awk '$1 == "trace" && $2 == "bytes" { print $3 }' "$OUT/pdtrace-stats.txt")
[ "$insns" = "$(echo "$dec" | sed -n 's/.* records, \([0-9]*\) instructions.*/\1/p')" ] \
	|| die "pdtrace and pdt-bench-dec disagree on the instruction count"

t0=$(now)
"$PDTRACE" dump "$TRACE" > /dev/null || die "pdtrace dump failed"
t1=$(now)
x_secs=$(secs "$t0" "$t1")

echo "  $records records, $insns instructions, $tbytes bytes of trace words ($bytes with the header)"
echo
printf '  %-34s %9s %10s %14s\n' "decoding" seconds "MB/s" "M records/s"
printf '  %-34s %9s %10s %14s\n' "library only (pdt-bench-dec, best)" "$d_secs" \
	"$(rate "$tbytes" "$d_secs" 1e6)" "$(rate "$records" "$d_secs" 1e6)"
printf '  %-34s %9s %10s %14s\n' "pdtrace dump --stats" "$s_secs" \
	"$(rate "$tbytes" "$s_secs" 1e6)" "$(rate "$records" "$s_secs" 1e6)"
printf '  %-34s %9s %10s %14s\n' "pdtrace dump (text, to /dev/null)" "$x_secs" \
	"$(rate "$tbytes" "$x_secs" 1e6)" "$(rate "$records" "$x_secs" 1e6)"
rm -f "$TRACE"

# ------------------------------------------------------------ flow decoder
FLOW_INSNS=${PDT_FLOW_INSNS:-100000000}
CLI_INSNS=${PDT_FLOW_CLI_INSNS:-10000000}
FLOW_GOAL=500
HV_GOAL=300
VZSIM=$BUILD/bin/vzsim
BENCH_FLOW=$BUILD/bin/pdt-bench-flow
HV=$BUILD/target/hypervisor.elf
for t in "$VZSIM" "$BENCH_FLOW"; do
	[ -x "$t" ] || die "$t not built"
done
LCG=$OUT/lcg.elf
if [ ! -f "$LCG" ]; then
	# bench.sh builds it; alone, build it the same way.
	CROSS=${CROSS:-mipsel-linux-gnu-}
	# shellcheck disable=SC2086
	${CROSS}gcc -Ibench -Iboards/mips/include -march=p5600 -mvirt -EL -ffreestanding -nostdlib -fno-pic \
		-mno-abicalls -G0 -O2 -Wall -Wextra -Werror -nostdlib -static \
		-Wl,--build-id=none -Wl,-z,noexecstack -T boards/sim/malta.ld bench/lcg.S -o "$LCG" \
		|| die "building $LCG failed"
fi

# capture N FILE ELF [vzsim options]: a trace of the first N instructions
# (vzsim stops with status 3 at --max-insns; 0 if the program ended).
capture() {
	local n=$1 file=$2 elf=$3
	shift 3
	"$VZSIM" "$@" --trace "$file" --max-insns "$n" "$elf" > /dev/null 2> "$file.err"
	local rc=$?
	[ $rc -eq 0 ] || [ $rc -eq 3 ] || die "vzsim --trace $elf failed: $(head -n 1 "$file.err")"
}
# field LINE NAME: a number out of pdt-bench-flow's line ("... 12.3 M insn/s ...").
field() {
	case $2 in
	insns) echo "$1" | sed -n 's/^flow: \([0-9]*\) insns shown.*/\1/p' ;;
	gaps) echo "$1" | sed -n 's/.* \([0-9]*\) gaps,.*/\1/p' ;;
	secs) echo "$1" | sed -n 's/.*items; \([0-9.]*\) s,.*/\1/p' ;;
	rate) echo "$1" | sed -n 's/.* s, \([0-9.]*\) M insn\/s.*/\1/p' ;;
	rss) echo "$1" | sed -n 's/.*max RSS \([0-9]*\) KiB.*/\1/p' ;;
	esac
}
# best_flow TRACE ELF...: pdt-bench-flow's line of the fastest of 3 runs
# (the machine is shared: one run can be slowed by anything).
best_flow() {
	local best="" l
	for _ in 1 2 3; do
		l=$("$BENCH_FLOW" "$@") || return 1
		if [ -z "$best" ] || awk -v a="$(field "$l" rate)" -v b="$(field "$best" rate)" \
			'BEGIN { exit !(a > b) }'; then
			best=$l
		fi
	done
	echo "$best"
}
row() {
	printf '  %-38s %11s %8s %7s %10s %12s\n' "$@"
}

echo
echo "libpdtrace flow decoder: vzsim captures decoded to instructions (library: best of 3)"
row "trace" instructions "MB" seconds "M insn/s" "max RSS KiB"
declare -A RATE RSS
for n in "$FLOW_INSNS" $((2 * FLOW_INSNS)); do
	t=$OUT/flow-lcg-$n.vzt
	capture "$n" "$t" "$LCG"
	line=$(best_flow "$t" "$LCG") || die "pdt-bench-flow $t failed"
	[ "$(field "$line" insns)" = "$n" ] && [ "$(field "$line" gaps)" = 0 ] \
		|| die "$t: want $n instructions and no gaps: $line"
	RATE[$n]=$(field "$line" rate) RSS[$n]=$(field "$line" rss)
	row "LCG loop, library (pdt-bench-flow)" "$n" \
		"$(awk -v b="$(stat -c %s "$t")" 'BEGIN { printf "%.1f", b / 1e6 }')" \
		"$(field "$line" secs)" "${RATE[$n]}" "${RSS[$n]}"
	if [ "$n" = "$FLOW_INSNS" ]; then
		line=$(best_flow --items "$t" "$LCG") || die "pdt-bench-flow --items $t failed"
		row "LCG loop, one item an instruction" "$(field "$line" insns)" "" \
			"$(field "$line" secs)" "$(field "$line" rate)" "$(field "$line" rss)"
	else
		rm -f "$t" "$t.err"
	fi
done
if [ -f "$HV" ] && [ -f "$BUILD/target/guests/stress.elf" ]; then
	hn=$((FLOW_INSNS / 5))
	t=$OUT/flow-hv.vzt
	capture "$hn" "$t" "$HV" --bootargs "guests=4 image=stress"
	line=$(best_flow "$t" "$HV" "$BUILD/target/guests/stress.elf") \
		|| die "pdt-bench-flow $t failed"
	row "4 stress guests, library" "$(field "$line" insns)" \
		"$(awk -v b="$(stat -c %s "$t")" 'BEGIN { printf "%.1f", b / 1e6 }')" \
		"$(field "$line" secs)" "$(field "$line" rate)" "$(field "$line" rss)"
	echo "    ($hn instructions run; gaps, where no image holds the code: $(field "$line" gaps))"
	HV_RATE=$(field "$line" rate)
	line=$(best_flow --items "$t" "$HV" "$BUILD/target/guests/stress.elf") \
		|| die "pdt-bench-flow --items $t failed"
	row "4 stress guests, one item an insn" "$(field "$line" insns)" "" \
		"$(field "$line" secs)" "$(field "$line" rate)" "$(field "$line" rss)"
	# The capture diff (pdtrace diff) of the same capture against itself:
	# every guest compared to the end; both walks' instructions counted.
	t0=$(now)
	"$PDTRACE" diff --image root="$HV" "$t" "$t" > "$OUT/diff-self.txt" 2> "$OUT/diff-self.err"
	drc=$?
	t1=$(now)
	[ $drc -eq 0 ] || die "pdtrace diff $t $t: exit $drc: $(head -n 1 "$OUT/diff-self.err")"
	df_secs=$(secs "$t0" "$t1")
	both=$((2 * $(field "$line" insns)))
	row "4 stress guests, pdtrace diff itself" "$both" "" "$df_secs" \
		"$(rate "$both" "$df_secs" 1e6)" ""
	echo "    (pdtrace diff of the capture against itself: $(grep -c ' same for ' "$OUT/diff-self.txt") guests the same;" \
		"instructions of both sides counted once each)"
	DIFF_RATE=$(rate "$both" "$df_secs" 1e6)
	rm -f "$t" "$t.err"
	# The trace detectors over the shrinking page (both fixes off), the
	# hypervisor's messages on: the flow decoder and every detector.
	t=$OUT/detect-hv.vzt
	capture "$FLOW_INSNS" "$t" "$HV" --board-opt tlbr-bad-index=invalid --bootargs \
		"guests=4 image=stress sched=aim seed=1 quantum=8000 preserve=off tlbp-check=off"
	line=$(best_flow --detect "$t" "$HV" "$BUILD/target/guests/stress.elf") \
		|| die "pdt-bench-flow --detect $t failed"
	row "shrinking page + trace detectors" "$(field "$line" insns)" \
		"$(awk -v b="$(stat -c %s "$t")" 'BEGIN { printf "%.1f", b / 1e6 }')" \
		"$(field "$line" secs)" "$(field "$line" rate)" "$(field "$line" rss)"
	echo "    ($(echo "$line" | sed -n 's/.*detect: \(.*\)/\1/p'); gaps: $(field "$line" gaps))"
	# The same capture against itself through the diff's library: both
	# walks, every guest compared to the end.
	dl=$("$BENCH_FLOW" --diff "$t" "$HV" "$BUILD/target/guests/stress.elf") \
		|| die "pdt-bench-flow --diff $t failed: $dl"
	row "shrinking page, diff against itself" \
		"$(echo "$dl" | sed -n 's/^diff: \([0-9]*\) insns.*/\1/p')" "" \
		"$(echo "$dl" | sed -n 's/^[^;]*; \([0-9.]*\) s,.*/\1/p')" \
		"$(echo "$dl" | sed -n 's/.* s, \([0-9.]*\) M insn\/s.*/\1/p')" \
		"$(echo "$dl" | sed -n 's/.*max RSS \([0-9]*\) KiB.*/\1/p')"
	echo "    (instructions of both walks; $(echo "$dl" | sed -n 's/.*KiB; //p'); the RSS holds the"\
		"capture's pages, which the diff does not hand back)"
	rm -f "$t" "$t.err"
fi
t=$OUT/flow-lcg-$FLOW_INSNS.vzt
t0=$(now)
"$PDTRACE" flow --no-events --image root="$LCG" --to $((CLI_INSNS - 1)) "$t" > /dev/null \
	|| die "pdtrace flow failed"
t1=$(now)
c_secs=$(secs "$t0" "$t1")
row "LCG loop, pdtrace flow --no-events" "$CLI_INSNS" "" "$c_secs" \
	"$(rate "$CLI_INSNS" "$c_secs" 1e6)" ""
echo "    (text to /dev/null: the first $CLI_INSNS instructions of the same capture)"
rm -f "$t" "$t.err"
echo
lo=${RSS[$FLOW_INSNS]} hi=${RSS[$((2 * FLOW_INSNS))]}
echo "flow decoder memory: max RSS $lo KiB at $FLOW_INSNS instructions, $hi KiB at twice that" \
	"($(awk -v a="$lo" -v b="$hi" 'BEGIN { d = b - a; printf "%+d KiB", d }');" \
	"pdt-bench-flow releases the trace's pages behind the decoder)"
[ -n "${DIFF_RATE:-}" ] && echo "capture diff speed: $DIFF_RATE M insn/s (pdtrace diff of a 4-guest capture against itself)"
# goal RATE GOAL: "met" or "NOT met".
goal() { awk -v r="$1" -v g="$2" 'BEGIN { print (r >= g) ? "met" : "NOT met" }'; }
r=${RATE[$FLOW_INSNS]}
echo "flow decoder speed: $r M insn/s on $FLOW_INSNS instructions of the loop" \
	"(goal >= $FLOW_GOAL: $(goal "$r" "$FLOW_GOAL"))"
[ -n "${HV_RATE:-}" ] && echo "flow decoder speed: $HV_RATE M insn/s on the 4-guest capture" \
	"(goal >= $HV_GOAL: $(goal "$HV_RATE" "$HV_GOAL"))"
exit 0
