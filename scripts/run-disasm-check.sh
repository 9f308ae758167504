#!/bin/bash
# Checks the disassembler against GNU objdump, one result per mips32.def row.
#
#   scripts/run-disasm-check.sh BUILD RESULTS
#
# Builds nothing: needs $BUILD/bin/disasm-words (tests/disasm/gen_words.c)
# and $BUILD/san/bin/mipsdis.  The words (every row, varied fields; see
# gen_words.c) go through
#   mipsel-linux-gnu-objdump -z -D -b binary -m mips:isa32r5 -EL --adjust-vma=0x80000000
# and `mipsdis --base 0x80000000`; both listings are reduced to
# "ADDR WORD TEXT" (objdump's " <symbol+off>" suffixes dropped) and compared
# line by line.  Writes $RESULTS/disasm.results:
#   pass disasm.MNEMONIC | fail disasm.MNEMONIC N of M words differ
#   skip disasm.objdump REASON
# and prints up to 20 differing lines.  Work files: $RESULTS/disasm/.
set -u
# shellcheck source=scripts/results.sh
. "$(dirname "$0")/results.sh"
results_args 2 "BUILD RESULTS" "$@"
BUILD=$1 RESULTS=$2
OBJDUMP=${OBJDUMP:-mipsel-linux-gnu-objdump}
BASE=0x80000000
GEN=$BUILD/bin/disasm-words
DIS=$BUILD/san/bin/mipsdis
WORK=$RESULTS/disasm

mkdir -p "$WORK" || exit 2
results_begin disasm "$RESULTS"

# setup_failed REASON: the comparison cannot be made at all.
setup_failed() {
	fail setup "$1"
	results_end
	exit 1
}

if ! command -v "$OBJDUMP" > /dev/null 2>&1; then
	skip objdump "$OBJDUMP not found"
	echo "disasm: $OBJDUMP not found, skipped"
	results_end
	exit 0
fi
for tool in "$GEN" "$DIS"; do
	[ -x "$tool" ] || setup_failed "$tool not built"
done

"$GEN" "$WORK/words.bin" "$WORK/words.map" > "$WORK/gen.out" || setup_failed "$GEN failed"

# objdump: "80000000:\t00801021 \tmove\tv0,a0" -> "80000000\t00801021\tmove\tv0,a0"
"$OBJDUMP" -z -D -b binary -m mips:isa32r5 -EL --adjust-vma=$BASE "$WORK/words.bin" \
	2> "$WORK/objdump.err" |
	sed -n -E 's/^ *([0-9a-f]+):\t([0-9a-f]{8}) *\t(.*)$/\1\t\2\t\3/p' |
	sed -E 's/ <[^>]*>$//; s/[ \t]+$//' > "$WORK/objdump.txt"
"$DIS" --base $BASE "$WORK/words.bin" 2> "$WORK/mipsdis.err" |
	sed -E 's/^([0-9a-f]+):\t/\1\t/; s/[ \t]+$//' > "$WORK/mipsdis.txt"

words=$(wc -l < "$WORK/words.map")
for f in objdump mipsdis; do
	lines=$(wc -l < "$WORK/$f.txt")
	if [ "$lines" -ne "$words" ]; then
		head -n 3 "$WORK/$f.err"
		setup_failed "$f printed $lines lines for $words words"
	fi
done

# Per group (row mnemonic), in table order: words compared and words
# differing, as "GROUP BAD TOTAL" lines.  Fields are joined with \001,
# which neither listing contains, so the TABs inside each line are
# compared too.
SEP=$(printf '\001')
paste -d "$SEP$SEP" "$WORK/words.map" "$WORK/objdump.txt" "$WORK/mipsdis.txt" |
	awk -F "$SEP" -v counts="$WORK/counts" '
{
	g = $1; od = $2; us = $3
	if (!(g in total)) order[++ngroups] = g
	total[g]++
	if (od != us) {
		bad[g]++
		if (++shown <= 20) {
			print "disasm mismatch (" g "):"
			print "  objdump: " od
			print "  mipsdis: " us
		}
	}
}
END {
	for (k = 1; k <= ngroups; k++)
		print order[k], bad[order[k]] + 0, total[order[k]] > counts
	if (shown > 20) print "disasm: " shown - 20 " more differing lines not shown"
}'
np=0 nf=0
while read -r g bad total; do
	if [ "$bad" -eq 0 ]; then
		pass "$g"; np=$((np + 1))
	else
		fail "$g" "$bad of $total words differ"; nf=$((nf + 1))
	fi
done < "$WORK/counts"
# Rows no generated word decodes to (gen_words.c says which).
while read -r g; do
	fail "$g" "no word decodes to this row"; nf=$((nf + 1))
done < <(sed -n 's/^nowords //p' "$WORK/gen.out")

echo "disasm: $np rows match objdump, $nf differ"
results_end
