#!/bin/bash
# libpdtrace's speed: encodes a synthetic trace of PDT_BENCH_INSNS
# instructions (default 10^9) with pdt-bench-gen, then times the
# library's decoder alone (pdt-bench-dec, best of 5), `pdtrace dump
# --stats` and `pdtrace dump` (text to /dev/null), and prints MB/s and
# records/s.  Run at the end of `make bench` (scripts/bench.sh).
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
exit 0
