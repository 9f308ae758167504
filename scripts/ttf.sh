#!/bin/bash
# Time to failure of a soak scenario over many seeds: runs
#   vzsoak run SCENARIO --seed S --set check-every=STEP [vzsoak options...]
# for seeds FIRST..FIRST+N-1 and prints one row per seed: the result, the
# first flag (kind, guest, instruction count, simulated and wall seconds
# to it), the first lockup (the same TLB fault repeating: the livelock of
# the shrinking page) and the whole run's wall seconds; then how many seeds were
# flagged and had a lockup, and the minimum / median / maximum of each.
#
#   scripts/ttf.sh VZSOAK SCENARIO N [FIRST] [-- vzsoak options...]
#
# STEP (environment TTF_STEP, default 100k instructions) is the resolution
# of the instruction counts: the runner checks the board that often.  To
# see a lockup after the first flag, pass --set stop-on-anomaly=no (and a
# duration).
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

# stats FILE COLUMN TITLE: "TITLE min X  median Y  max Z" over a column.
stats() {
	sort -g -k"$2,$2" "$1" | awk -v c="$2" -v t="$3" '{ v[NR] = $c }
		END { if (NR) printf "%s min %s  median %s  max %s\n", t, v[1], v[int((NR + 1) / 2)], v[NR] }'
}

printf '%-5s %-8s %-14s %12s %10s %8s %12s %8s\n' seed result "first flag" insns "sim s" "wall s" "lockup at" "run s"
flagged=0 locked=0
: > "$out/first"
: > "$out/lock"
for ((s = FIRST; s < FIRST + N; s++)); do
	t0=$(date +%s.%N)
	"$VZSOAK" run "$SCN" --seed "$s" --set check-every="$STEP" --quiet \
		--out "$out/run-$s" "$@" > "$out/sum" 2>&1
	rc=$?
	t1=$(date +%s.%N)
	wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	case $rc in
	0)
		printf '%-5s %-8s %-14s %12s %10s %8s %12s %8s\n' "$s" clean - - - - - "$wall" ;;
	1)
		if grep -q '^result: FAILED' "$out/sum"; then
			printf '%-5s error: the run could not be judged: %s\n' "$s" "$(grep '^result:' "$out/sum")"
			exit 2
		fi
		flagged=$((flagged + 1))
		# "    g2 anomaly at 1200000 instructions (0.001200 s simulated, ...":
		# the first flag's details (its title is the line above)
		first=$(grep -E '^    g[0-9]+ [a-z]+ at [0-9]+ instructions' "$out/sum" | head -1)
		what=$(echo "$first" | awk '{ print $1, $2 }')
		insns=$(echo "$first" | awk '{ print $4 }')
		sim=$(echo "$first" | sed -E 's/.*\(([0-9.]+) s simulated.*/\1/')
		fwall=$(echo "$first" | sed -E 's/.* simulated, ([0-9.]+) s wall.*/\1/')
		lock=$(grep -E '^    g[0-9]+ lockup at [0-9]+ instructions' "$out/sum" |
			awk '{ print $4 }' | sort -n | head -1)
		echo "$insns $sim $fwall $wall" >> "$out/first"
		if [ -n "$lock" ]; then
			locked=$((locked + 1))
			echo "$lock" >> "$out/lock"
		fi
		printf '%-5s %-8s %-14s %12s %10s %8s %12s %8s\n' "$s" anomaly "$what" "$insns" "$sim" "$fwall" "${lock:--}" "$wall" ;;
	*)
		printf '%-5s error: exit status %s: %s\n' "$s" "$rc" "$(tail -1 "$out/sum")"
		exit 2 ;;
	esac
done
echo "flagged: $flagged of $N seeds; a lockup in $locked of $N"
stats "$out/first" 1 "first flag, instructions:"
stats "$out/first" 2 "first flag, simulated seconds:"
stats "$out/first" 3 "first flag, wall seconds:"
stats "$out/lock" 1 "lockup, instructions:"
stats "$out/first" 4 "wall seconds per run:"
