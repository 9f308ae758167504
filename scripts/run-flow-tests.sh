#!/bin/bash
# End-to-end tests of `pdtrace flow` (docs/pdtrace.md, "The flow"):
#
#   scripts/run-flow-tests.sh VZSIM PDTRACE HV_ELF RESULTS
#
# The ground truth is vzsim's --log-insns: for a run of the reference
# hypervisor with 4 stress guests (crashme and the memory worker, under
# sched=aim so world switches land inside TLB handlers), the decoded
# instruction sequence must equal the executed one, index for index, PC
# for PC, context for context (root or guest N, kernel or user), with no
# gap; and a capture's boot arguments are read as the hypervisor read
# them.  Then damaged traces: cut short, and with bytes overwritten in the
# middle: the flow decodes up to the damage, says so in a gap line, and
# goes on after it.  Writes RESULTS/flow.results ("pass flow.NAME" /
# "fail flow.NAME REASON").
set -u

# shellcheck source=scripts/results.sh
. "$(dirname "$0")/results.sh"
results_args 4 "VZSIM PDTRACE HV_ELF RESULTS" "$@"
VZSIM=$1 PDTRACE=$2 HV=$3 RESULTS=$4
INSNS=${FLOW_INSNS:-3000000}
OUT=$RESULTS/flow
mkdir -p "$OUT"
results_begin flow "$RESULTS"

# "INDEX CTX PC" lines from --log-insns (CTX: root, gNk, gNu).
truth() {
	awk '{ g = "root"; m = $4
	       for (i = 5; i <= NF; i++) if ($i ~ /^guest=/) g = "g" substr($i, 7)
	       if (g != "root") g = g (m == "u" ? "u" : m == "s" ? "s" : "k")
	       print $1, g, $2 }' "$1"
}
# The same from pdtrace flow's text (instructions only; "g1 k" -> g1k).
decoded() {
	awk '$1 ~ /^[0-9]+$/ { if ($2 == "root") print $1, "root", $3
			       else print $1, $2 $3, $4 }' "$1"
}

# ------------------------------------------------------------ ground truth
ARGS="guests=4 image=stress sched=aim seed=5 quantum=8000 preserve=on tlbp-check=off"
"$VZSIM" --max-insns "$INSNS" --bootargs "$ARGS" --trace "$OUT/run.vzt" \
	--log-insns "$OUT/run.log" "$HV" > "$OUT/run.uart" 2> "$OUT/run.stderr"
rc=$?
# 3: stopped at --max-insns, as asked
[ $rc -eq 3 ] || fail ground-truth "vzsim exit status $rc: $(tail -1 "$OUT/run.stderr")"
"$PDTRACE" flow "$OUT/run.vzt" > "$OUT/run.flow" 2> "$OUT/run.flow.stderr"
rc=$?
truth "$OUT/run.log" > "$OUT/truth.txt"
decoded "$OUT/run.flow" > "$OUT/decoded.txt"
if [ $rc -ne 0 ]; then
	fail ground-truth "pdtrace flow exit status $rc: $(head -1 "$OUT/run.flow.stderr")"
elif grep -q -- '-- gap' "$OUT/run.flow"; then
	fail ground-truth "gaps in an undamaged trace: $(grep -m1 -- '-- gap' "$OUT/run.flow")"
elif ! cmp -s "$OUT/truth.txt" "$OUT/decoded.txt"; then
	first=$(diff "$OUT/truth.txt" "$OUT/decoded.txt" | head -3 | tr '\n' ' ')
	fail ground-truth "decoded != executed ($(wc -l < "$OUT/decoded.txt") vs $(wc -l < "$OUT/truth.txt") lines): $first"
else
	n=$(wc -l < "$OUT/truth.txt")
	u=$(grep -c ' g[1-8]u ' "$OUT/truth.txt")
	echo "flow: $n instructions decoded = executed ($u in guest user mode)"
	pass ground-truth
fi

# A window (vzsim --trace-window 64K) of the same run, far longer than
# the window: the file stays about the window's size, starts at a SYNC
# (no unsynced or damage gap), says what it dropped, and what it decodes
# is the tail of what ran, index for index.  The one thing a window cannot
# show: a crashme block whose marker (its number) fell before the window
# is "no code" until that guest's next block; those instructions are
# counted as not shown, so decoded + not shown = the tail exactly.
WIN=65536
"$VZSIM" --max-insns "$INSNS" --bootargs "$ARGS" --trace "$OUT/win.vzt" --trace-window 64K \
	"$HV" > /dev/null 2> "$OUT/win.stderr"
rc=$?
"$PDTRACE" flow "$OUT/win.vzt" > "$OUT/win.flow" 2> "$OUT/win.flow.stderr"
frc=$?
decoded "$OUT/win.flow" > "$OUT/win.decoded"
wsize=$(stat -c %s "$OUT/win.vzt" 2>/dev/null || echo 0)
first=$("$PDTRACE" dump --header "$OUT/win.vzt" 2>/dev/null |
	sed -n 's/^window .* from instruction \([0-9]*\)$/\1/p')
# truth.txt's line N is instruction N-1; from the window's first on.
tail -n +"$((${first:-0} + 1))" "$OUT/truth.txt" > "$OUT/win.truth"
hidden=$(sed -n 's/.*-- gap: no code at .*, \([0-9]*\) instructions\{0,1\} not shown.*/\1/p' \
	"$OUT/win.flow" | awk '{ n += $1 } END { print n + 0 }')
wrong=$(awk 'NR == FNR { d[$1] = $0; next } ($1 in d) && d[$1] != $0 { print; exit }' \
	"$OUT/win.decoded" "$OUT/win.truth")
if [ $rc -ne 3 ]; then
	fail window "vzsim exit status $rc: $(tail -1 "$OUT/win.stderr")"
elif [ "$wsize" -gt $((WIN + 4096)) ] || [ "$wsize" -lt $((WIN / 2)) ]; then
	fail window "a $wsize-byte file for a $WIN-byte window"
elif [ $frc -ne 0 ]; then
	fail window "pdtrace flow exit status $frc: $(head -1 "$OUT/win.flow.stderr")"
elif ! grep -q "window: the first [0-9]* bytes of the run's trace are not here" \
	"$OUT/win.flow.stderr"; then
	fail window "no window note: $(head -1 "$OUT/win.flow.stderr")"
elif [ -z "$first" ] || [ "$(head -1 "$OUT/win.decoded" | cut -d' ' -f1)" != "$first" ]; then
	fail window "the first instruction decoded is not the header's ($first)"
elif grep -- '-- gap' "$OUT/win.flow" | grep -vq 'gap: no code at 001'; then
	fail window "a gap: $(grep -- '-- gap' "$OUT/win.flow" | grep -v -m1 'gap: no code at 001')"
elif [ -n "$wrong" ]; then
	fail window "decoded != executed at: $wrong"
elif [ $(($(wc -l < "$OUT/win.decoded") + hidden)) -ne "$(wc -l < "$OUT/win.truth")" ]; then
	fail window "$(wc -l < "$OUT/win.decoded") decoded + $hidden not shown != $(wc -l < "$OUT/win.truth") run"
else
	echo "flow: a $wsize-byte window: instructions $first.. ($(wc -l < "$OUT/win.decoded") decoded, $hidden in crashme blocks before their marker)"
	pass window
fi

# Every context is there: root, every guest's kernel and user code, and
# crashme blocks regenerated on the host.
missing=""
for c in root g1k g2k g3k g4k g1u g4u; do
	grep -q " $c " "$OUT/truth.txt" || continue
	grep -q " $c " "$OUT/decoded.txt" || missing="$missing [$c]"
done
if [ -n "$missing" ]; then
	fail contexts "no instructions for$missing"
elif ! grep -q 'crashme#[0-9]*+0x' "$OUT/run.flow"; then
	fail contexts "no crashme block instruction"
elif ! grep -q -- '-- g[1-4] crashme block [0-9]' "$OUT/run.flow"; then
	fail contexts "no crashme block event"
else
	pass contexts
fi

# Events decoded by meaning.
ev_missing=""
for re in -- '-- exception TLBL' '-- eret ' 'guest exit HC' 'preempt g[1-4] -> g[1-4]' \
	'-- g[1-4] heartbeat' 'guest_tlb_refill\+0x0 '; do
	[ "$re" = "--" ] && continue
	grep -Eq -- "$re" "$OUT/run.flow" || ev_missing="$ev_missing [$re]"
done
if [ -n "$ev_missing" ]; then
	fail events "no line matches$ev_missing"
else
	pass events
fi

# JSON: one object a line; instructions with pc (hex string), context,
# insn; events with event.
"$PDTRACE" flow "$OUT/run.vzt" --json --to 200000 > "$OUT/run.json" 2>/dev/null
if ! awk '!/^\{"(index|event)"/ { bad++ } END { exit bad > 0 }' "$OUT/run.json"; then
	fail json "a line is not an object: $(grep -v -m1 '^{"' "$OUT/run.json")"
elif ! grep -Eq '^\{"index":[0-9]+,"context":"[^"]+","pc":"[0-9a-f]{8}".*"insn":"' "$OUT/run.json"; then
	fail json "no instruction object with index, context, pc and insn"
elif ! grep -q '^{"event":"' "$OUT/run.json"; then
	fail json "no event object"
else
	pass json
fi

# --context and --from/--to select.
"$PDTRACE" flow "$OUT/run.vzt" --context g2u --no-events --from 100000 --to 2000000 \
	> "$OUT/g2u.flow" 2>/dev/null
if [ ! -s "$OUT/g2u.flow" ]; then
	fail select "--context g2u: no output"
elif awk '$2 != "g2" || $3 != "u" || $1 < 100000 || $1 > 2000000 { bad = 1 } END { exit !bad }' \
	"$OUT/g2u.flow"; then
	fail select "a line outside g2 user or 100000..2000000: $(awk '$2 != "g2" || $3 != "u"' "$OUT/g2u.flow" | head -1)"
else
	pass select
fi

# --around pagemask on a shrinking page (both fixes off): the failing
# guest's handler, its tlbr, the 4K PageMask the hypervisor saw.
"$VZSIM" --max-insns 3000000 --board-opt tlbr-bad-index=invalid --trace "$OUT/shrink.vzt" \
	--bootargs "guests=4 image=stress sched=aim seed=5 quantum=8000 preserve=off tlbp-check=off" \
	"$HV" > /dev/null 2>&1
"$PDTRACE" flow "$OUT/shrink.vzt" --around pagemask --before 100 --after 5 \
	> "$OUT/around.flow" 2> "$OUT/around.stderr"
rc=$?
g=$(sed -n 's/.*the first PageMask shrink of \(g[1-8]\)$/\1/p' "$OUT/around.flow")
if [ $rc -ne 0 ]; then
	fail around "exit status $rc: $(head -1 "$OUT/around.stderr")"
elif [ -z "$g" ]; then
	fail around "no 'the first PageMask shrink of gN' line"
elif ! grep -q "^ *[0-9]*  $g k .*handle_tlbl_0+0x[0-9a-f]* *tlbr$" "$OUT/around.flow"; then
	fail around "no tlbr of $g's TLBL handler before the shrink"
elif ! grep -q -- "-- $g PageMask 16K -> 4K" "$OUT/around.flow"; then
	fail around "no '$g PageMask 16K -> 4K' line"
elif awk -v g="$g" '$1 ~ /^[0-9]+$/ && $2 != g { bad = 1 } END { exit !bad }' "$OUT/around.flow"; then
	fail around "an instruction of another context than $g"
else
	pass around
fi


# pdtrace detect on the same shrinking page: the trace alone proves it
# (docs/pdtrace.md, "pdtrace detect").  With the hypervisor's messages:
# the PageMask that shrank after a tlbr in a preempted handler; from
# control flow only (trace=off: no messages): the tlbr after the tlbp that
# missed, and the livelock.  The same run with the hypervisor's fix on
# has no bug; the guests of the ground-truth run neither.
SHRINK_ARGS="guests=4 image=stress sched=aim seed=5 quantum=8000 tlbp-check=off"
"$PDTRACE" detect "$OUT/shrink.vzt" > "$OUT/detect.txt" 2> "$OUT/detect.stderr"
rc=$?
if [ $rc -ne 1 ]; then
	fail detect "exit status $rc, want 1: $(head -1 "$OUT/detect.stderr")"
elif ! grep -q "^bug .*shrinking page: PageMask 16K -> 4K after a tlbr in a preempted TLB handler$" "$OUT/detect.txt"; then
	fail detect "no shrinking-page finding: $(head -3 "$OUT/detect.txt")"
elif ! grep -qE "^(bug|warning) .*TLB handler: tlbr (after a tlbp that missed, in a preempted handler|read a replaced entry after a world switch)$" "$OUT/detect.txt"; then
	fail detect "no finding of a tlbr that read a foreign entry"
elif ! grep -q "^bug .*livelock: the same TLB exception repeats with no progress$" "$OUT/detect.txt"; then
	fail detect "no livelock finding"
elif grep -q '0x[0-9a-f]\|[0-9]\{4,\}' <(grep -E '^(bug|warning|note) ' "$OUT/detect.txt" | sed 's/^[a-z]* *g[1-8]  insn [0-9]* *//'); then
	fail detect "a title with an address or a count: $(grep -E '^(bug|warning|note) ' "$OUT/detect.txt" | head -1)"
else
	pass detect
fi
"$PDTRACE" detect "$OUT/shrink.vzt" --json > "$OUT/detect.json" 2> "$OUT/detect-json.stderr"
rc=$?
n=$(grep -cE '^(bug|warning|note) ' "$OUT/detect.txt")
if [ $rc -ne 1 ]; then
	fail detect-json "exit status $rc, want 1"
elif [ "$(wc -l < "$OUT/detect.json")" -ne "$n" ] ||
	grep -v '^{"severity":"[a-z]*","detector":"[a-z-]*","needs":"[a-z ]*","title":"[^"]*","guest":[1-8],"index":[0-9]*,"pc":"[0-9a-f]\{8\}","evidence":"[^"]*","count":[0-9]*,"last_index":[0-9]*}$' "$OUT/detect.json" | grep -q .; then
	fail detect-json "not one object a finding ($n): $(head -1 "$OUT/detect.json")"
else
	pass detect-json
fi
"$VZSIM" --max-insns 3000000 --board-opt tlbr-bad-index=invalid --trace "$OUT/shrink-noutm.vzt" \
	--bootargs "$SHRINK_ARGS preserve=off trace=off" "$HV" > /dev/null 2>&1
"$PDTRACE" detect "$OUT/shrink-noutm.vzt" > "$OUT/detect-cf.txt" 2>&1
rc=$?
if [ $rc -ne 1 ]; then
	fail detect-control-flow "exit status $rc, want 1: $(head -1 "$OUT/detect-cf.txt")"
elif ! grep -qE "TLB handler: tlbr (after a tlbp that missed, in a preempted handler|read a replaced entry after a world switch)$" "$OUT/detect-cf.txt"; then
	fail detect-control-flow "no finding of a tlbr that read a foreign entry, without messages"
elif ! grep -q "^bug .*livelock: the same TLB exception repeats with no progress$" "$OUT/detect-cf.txt"; then
	fail detect-control-flow "no livelock without messages"
elif grep -q "PageMask" "$OUT/detect-cf.txt"; then
	fail detect-control-flow "a PageMask finding without the hypervisor's messages"
else
	pass detect-control-flow
fi
"$VZSIM" --max-insns 3000000 --board-opt tlbr-bad-index=invalid --trace "$OUT/fixed.vzt" \
	--bootargs "$SHRINK_ARGS preserve=on" "$HV" > /dev/null 2>&1
bad=""
for t in fixed run; do
	"$PDTRACE" detect "$OUT/$t.vzt" --bugs > "$OUT/detect-$t.txt" 2>&1
	rc=$?
	[ $rc -eq 0 ] && grep -q '^0 findings, 0 bugs' "$OUT/detect-$t.txt" ||
		bad+=" $t.vzt: exit status $rc: $(head -1 "$OUT/detect-$t.txt");"
done
if [ -n "$bad" ]; then
	fail detect-clean "$bad"
else
	pass detect-clean
fi
bad=""
for args in "|detect: no trace file" "$OUT/none.vzt|none.vzt: No such file" \
	"$OUT/run.vzt --repeat-limit 1|--repeat-limit: '1'" "$OUT/run.vzt --frob|unknown option '--frob'" \
	"$OUT/run.vzt $OUT/run.vzt|one trace file only"; do
	# shellcheck disable=SC2086 # the arguments are words
	"$PDTRACE" detect ${args%%|*} > /dev/null 2> "$OUT/detect-bad.stderr"
	rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l < "$OUT/detect-bad.stderr")" -eq 1 ] &&
		grep -qF -- "${args#*|}" "$OUT/detect-bad.stderr" ||
		bad+=" '${args%%|*}': exit status $rc, $(head -1 "$OUT/detect-bad.stderr");"
done
if [ -n "$bad" ]; then
	fail detect-bad "$bad"
else
	pass detect-bad
fi
# The capture's boot arguments are read as the hypervisor reads them
# (its parser, its defaults): "crashme=010" is ten words to the hypervisor
# (decimal, not octal), and the blocks decode only with the same count.
"$VZSIM" --max-insns 2000000 --trace "$OUT/args.vzt" --log-insns "$OUT/args.log" \
	--bootargs "guests=2 image=stress seed=3 quantum=8000 crashme=010" \
	"$HV" > /dev/null 2>&1
"$PDTRACE" flow "$OUT/args.vzt" > "$OUT/args.flow" 2> "$OUT/args.stderr"
rc=$?
truth "$OUT/args.log" > "$OUT/args.truth"
decoded "$OUT/args.flow" > "$OUT/args.decoded"
if [ $rc -ne 0 ]; then
	fail bootargs "exit status $rc: $(head -1 "$OUT/args.stderr")"
elif ! grep -q 'crashme#[0-9]*+0x' "$OUT/args.flow"; then
	fail bootargs "no crashme block instruction"
elif ! cmp -s "$OUT/args.truth" "$OUT/args.decoded"; then
	fail bootargs "decoded != executed: $(diff "$OUT/args.truth" "$OUT/args.decoded" | head -3 | tr '\n' ' ')"
else
	pass bootargs
fi
# Boot arguments the hypervisor refused: a note with its parser's reason.
"$VZSIM" --max-insns 200000 --trace "$OUT/badargs.vzt" --bootargs "guests=2 crashme=5000" \
	"$HV" > /dev/null 2>&1
"$PDTRACE" flow "$OUT/badargs.vzt" > /dev/null 2> "$OUT/badargs.stderr"
rc=$?
want="pdtrace: note: the capture's boot arguments: crashme=5000: want 0..4096 words"
if [ $rc -ne 0 ]; then
	fail bootargs-refused "exit status $rc: $(head -1 "$OUT/badargs.stderr")"
elif ! grep -qF "$want" "$OUT/badargs.stderr"; then
	fail bootargs-refused "no '$want' note: $(head -1 "$OUT/badargs.stderr")"
else
	pass bootargs-refused
fi

# ------------------------------------------------------------ damage
hsize=$(( $(stat -c %s "$OUT/run.vzt") - $(cat "$OUT/run.vzt" | tail -c +1 | wc -c) ))
size=$(stat -c %s "$OUT/run.vzt")
# Cut short (not on a word boundary): decodes up to the cut.
head -c $((size / 2 + 3)) "$OUT/run.vzt" > "$OUT/cut.vzt"
"$PDTRACE" flow "$OUT/cut.vzt" > "$OUT/cut.flow" 2> "$OUT/cut.stderr"
rc=$?
decoded "$OUT/cut.flow" > "$OUT/cut.txt"
n=$(wc -l < "$OUT/cut.txt")
if [ $rc -ne 0 ]; then
	fail truncated "exit status $rc: $(head -1 "$OUT/cut.stderr")"
elif [ "$n" -lt 1000 ]; then
	fail truncated "only $n instructions before the cut"
elif ! head -n "$n" "$OUT/truth.txt" | cmp -s - "$OUT/cut.txt"; then
	fail truncated "what was decoded before the cut is not what ran"
elif ! grep -q -- '-- gap: damaged trace' "$OUT/cut.flow"; then
	fail truncated "no gap line for the cut"
else
	pass truncated
fi
# The detectors on the same cut: they run to the end, and say on stderr
# that the flow was lost there (they claim nothing about it).
"$PDTRACE" detect "$OUT/cut.vzt" > "$OUT/cut.detect" 2> "$OUT/cut.detect.stderr"
rc=$?
if [ $rc -ne 0 ]; then
	fail detect-truncated "exit status $rc: $(head -1 "$OUT/cut.detect.stderr")"
elif ! grep -Eqx 'pdtrace: detect: [1-9][0-9]* gaps? in the flow \(pdtrace flow shows them\): nothing is claimed about what ran there' "$OUT/cut.detect.stderr"; then
	fail detect-truncated "no note of the gap: $(head -1 "$OUT/cut.detect.stderr")"
else
	pass detect-truncated
fi

# 64 bytes overwritten in the middle: a gap, then decoding goes on, and
# what is decoded after it is still what ran.
cp "$OUT/run.vzt" "$OUT/corrupt.vzt"
printf '\xb7%.0s' $(seq 64) | dd of="$OUT/corrupt.vzt" bs=1 seek=$((size / 3)) conv=notrunc status=none
"$PDTRACE" flow "$OUT/corrupt.vzt" > "$OUT/corrupt.flow" 2> "$OUT/corrupt.stderr"
rc=$?
decoded "$OUT/corrupt.flow" > "$OUT/corrupt.txt"
after=$(awk '/-- gap/ { g = 1; next } g && $1 ~ /^[0-9]+$/ { n++ } END { print n + 0 }' "$OUT/corrupt.flow")
if [ $rc -ne 0 ]; then
	fail corrupt "exit status $rc: $(head -1 "$OUT/corrupt.stderr")"
elif ! grep -q -- '-- gap' "$OUT/corrupt.flow"; then
	fail corrupt "no gap line"
elif [ "$after" -lt 1000 ]; then
	fail corrupt "only $after instructions after the gap"
elif [ -n "$(join -j1 <(sort -k1,1 "$OUT/corrupt.txt") <(sort -k1,1 "$OUT/truth.txt") |
	awk '$2 != $4 || $3 != $5 { print; exit }')" ]; then
	fail corrupt "an instruction decoded after the damage is not what ran"
else
	pass corrupt
fi

# The block walk against the reference walk (--per-insn: one instruction
# at a time, no block cache): the same listing, line for line, and the
# same findings and the same capture diff, on every capture above
# (damaged ones included).
bad=""
for t in run win shrink args cut corrupt; do
	"$PDTRACE" flow "$OUT/$t.vzt" > "$OUT/$t.blocks.flow" 2> "$OUT/$t.blocks.stderr"
	"$PDTRACE" flow "$OUT/$t.vzt" --per-insn > "$OUT/$t.insn.flow" 2> "$OUT/$t.insn.stderr"
	if ! cmp -s "$OUT/$t.blocks.flow" "$OUT/$t.insn.flow"; then
		bad+=" $t.vzt: flow differs: $(diff "$OUT/$t.blocks.flow" "$OUT/$t.insn.flow" | head -3 | tr '\n' ' ');"
	elif ! cmp -s "$OUT/$t.blocks.stderr" "$OUT/$t.insn.stderr"; then
		bad+=" $t.vzt: flow's stderr differs;"
	fi
done
"$PDTRACE" detect "$OUT/shrink.vzt" --per-insn > "$OUT/detect-insn.txt" 2> /dev/null
cmp -s "$OUT/detect.txt" "$OUT/detect-insn.txt" || bad+=" shrink.vzt: detect differs;"
"$PDTRACE" diff "$OUT/shrink.vzt" "$OUT/fixed.vzt" > "$OUT/diff-blocks.txt" 2>&1
"$PDTRACE" diff "$OUT/shrink.vzt" "$OUT/fixed.vzt" --per-insn > "$OUT/diff-insn.txt" 2>&1
cmp -s "$OUT/diff-blocks.txt" "$OUT/diff-insn.txt" || bad+=" shrink.vzt fixed.vzt: diff differs;"
if [ -n "$bad" ]; then
	fail per-insn "$bad"
else
	pass per-insn
fi
rm -f "$OUT"/*.blocks.flow "$OUT"/*.insn.flow

# Bad usage: one line, status 2.
for bad in "--context g9" "--from x" "--image g1" "--image x=y" "--crashme 1" \
	"--around pagemask --to 5" "--around x1"; do
	# shellcheck disable=SC2086
	"$PDTRACE" flow "$OUT/run.vzt" $bad > /dev/null 2> "$OUT/bad.stderr"
	rc=$?
	if [ $rc -ne 2 ] || [ "$(wc -l < "$OUT/bad.stderr")" -ne 1 ]; then
		fail "usage" "'$bad': exit status $rc, $(wc -l < "$OUT/bad.stderr") stderr lines"
		break
	fi
done
[ $rc -eq 2 ] && pass usage
: "$hsize"

# The big intermediates (instruction logs and listings, about 1 GB) go
# when every case passed; a failure keeps them for whoever looks into it.
[ "$failed" -eq 0 ] && rm -f "$OUT"/*.log "$OUT"/*.flow "$OUT"/*.txt "$OUT"/*.decoded "$OUT"/win.truth
results_end
