#!/bin/bash
# Time to failure of a soak scenario over many seeds: runs
#   vzsoak run SCENARIO --seed S --set check-every=STEP [--set k=v ...]
# for seeds FIRST..FIRST+N-1 and prints one row per seed (result, the
# first flag's instruction count, simulated and wall seconds), then how
# many seeds failed and the minimum / median / maximum time to failure.
#
#   scripts/ttf.sh VZSOAK SCENARIO N [FIRST] [-- --set k=v ...]
#
# STEP (environment TTF_STEP, default 100k instructions) is the resolution
# of the instruction count: the runner checks the board that often.
set -u
if [ $# -lt 3 ]; then
	echo "usage: $0 VZSOAK SCENARIO N [FIRST] [-- vzsoak options...]" >&2
	exit 2
fi
VZSOAK=$1 SCN=$2 N=$3
shift 3
FIRST=1
if [ $# -gt 0 ] && [ "$1" != "--" ]; then FIRST=$1; shift; fi
[ $# -gt 0 ] && [ "$1" = "--" ] && shift
STEP=${TTF_STEP:-100k}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

printf '%-6s %-8s %14s %12s %8s  %s\n' seed result insns "sim s" "wall s" "first flag"
fails=0
: > "$out/ttf"
for ((s = FIRST; s < FIRST + N; s++)); do
	t0=$(date +%s.%N)
	"$VZSOAK" run "$SCN" --seed "$s" --set check-every="$STEP" --quiet \
		--out "$out/run-$s" "$@" > "$out/sum" 2>&1
	rc=$?
	t1=$(date +%s.%N)
	wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	line=$(grep '^result:' "$out/sum")
	case $rc in
	1)
		fails=$((fails + 1))
		insns=$(echo "$line" | sed -E 's/.* at ([0-9]+) instructions.*/\1/')
		sim=$(echo "$line" | sed -E 's/.*\(([0-9.]+) s simulated.*/\1/')
		what=$(echo "$line" | sed -E 's/^result: ANOMALY (g[0-9]+ [a-z]+) .*/\1/')
		echo "$insns $sim $wall" >> "$out/ttf"
		printf '%-6s %-8s %14s %12s %8.2f  %s\n' "$s" anomaly "$insns" "$sim" "$wall" "$what" ;;
	0)
		printf '%-6s %-8s %14s %12s %8.2f  %s\n' "$s" clean - - "$wall" "${line#result: }" ;;
	*)
		printf '%-6s %-8s exit status %s: %s\n' "$s" error "$rc" "$(tail -1 "$out/sum")"
		exit 2 ;;
	esac
done
echo "flagged: $fails of $N seeds"
if [ "$fails" -gt 0 ]; then
	for col in 1 2 3; do
		sort -g -k$col,$col "$out/ttf" | awk -v c=$col '{ v[NR] = $c }
			END { printf "%s", (c == 1 ? "time to failure, instructions:" : c == 2 ? "simulated seconds:" : "wall seconds:");
			      printf " min %s  median %s  max %s\n", v[1], v[int((NR + 1) / 2)], v[NR] }'
	done
fi
