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
#   pass disasm.MNEMONIC | fail disasm.MNEMONIC (N of M words differ)
#   skip disasm.objdump missing
# and prints up to 20 differing lines.  Work files: $RESULTS/disasm/.
BUILD=${1:?usage: run-disasm-check.sh BUILD RESULTS}
RESULTS=${2:?usage: run-disasm-check.sh BUILD RESULTS}
OBJDUMP=${OBJDUMP:-mipsel-linux-gnu-objdump}
BASE=0x80000000
GEN=$BUILD/bin/disasm-words
DIS=$BUILD/san/bin/mipsdis
OUT=$RESULTS/disasm.results
WORK=$RESULTS/disasm

mkdir -p "$WORK" || exit 2
: > "$OUT"

if ! command -v "$OBJDUMP" > /dev/null 2>&1; then
	echo "skip disasm.objdump missing" >> "$OUT"
	echo "disasm: $OBJDUMP not found, skipped"
	exit 0
fi
for tool in "$GEN" "$DIS"; do
	if [ ! -x "$tool" ]; then
		echo "fail disasm.setup ($tool not built)" >> "$OUT"
		echo "disasm: $tool not built"
		exit 1
	fi
done

if ! "$GEN" "$WORK/words.bin" "$WORK/words.map" > "$WORK/gen.out"; then
	echo "fail disasm.setup (disasm-words failed)" >> "$OUT"
	echo "disasm: $GEN failed"
	exit 1
fi

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
		echo "fail disasm.setup ($f printed $lines lines for $words words)" >> "$OUT"
		echo "disasm: $f printed $lines lines for $words words:"
		head -n 3 "$WORK/$f.err"
		exit 1
	fi
done

# Per group (row mnemonic), in table order: words compared and words differing.
# Fields are joined with \001, which neither listing contains, so the TABs
# inside each line are compared too.
SEP=$(printf '\001')
paste -d "$SEP$SEP" "$WORK/words.map" "$WORK/objdump.txt" "$WORK/mipsdis.txt" |
	awk -F "$SEP" -v out="$OUT" '
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
	for (k = 1; k <= ngroups; k++) {
		g = order[k]
		if (bad[g])
			printf "fail disasm.%s (%d of %d words differ)\n", g, bad[g], total[g] >> out
		else
			printf "pass disasm.%s\n", g >> out
	}
	if (shown > 20) print "disasm: " shown - 20 " more differing lines not shown"
}'
sed -n 's/^nowords \(.*\)$/fail disasm.\1 (no word decodes to this row)/p' "$WORK/gen.out" >> "$OUT"

pass=$(grep -c '^pass ' "$OUT")
fail=$(grep -c '^fail ' "$OUT")
echo "disasm: $pass rows match objdump, $fail differ"
[ "$fail" -eq 0 ]
