#!/bin/bash
# `make detect-power`: what vzsoak catches that nobody told it about.
#
#   scripts/detect-power.sh VZSOAK HV SCENARIO OUT
#
# Every hypervisor bug the reference hypervisor can inject (inject=, the
# names `vzsoak run --help` lists) is soaked over seeds 1..SEEDS of
# SCENARIO (both fixes on), one `vzsoak soak` per bug, and once more with
# the guests' own checks off (selfcheck=off), so that only the trace
# detectors and the hypervisor can flag it.  Then a clean soak of the
# same scenario with nothing injected, for CLEAN_HOURS hours (or the seeds
# CLEAN_SEEDS, A-B), must flag nothing.  Prints the table (also
# OUT/table.md) and exits 1 if a bug was missed on some seed, took longer
# than GOAL_S seconds, or the clean soak flagged anything.
#
# Environment: SEEDS (default 5), CLEAN_HOURS (default 0.05: 3 minutes) or
# CLEAN_SEEDS, CLEAN_DURATION (a clean run's instructions, default the
# scenario's), JOBS (-j, default 2), TRACE_DURATION (instructions of a
# selfcheck=off run, default 100M), GOAL_S (default 60).
#
# A scenario of Linux guests (image = linux: stress/scenarios/
# linux-crashme.scn, make linux-detect-power) reports nothing itself:
# selfcheck is off already, so each bug gets the one soak, and what flags
# it is the hypervisor's status and what the guests' consoles say.
set -u
VZSOAK=$1 HV=$2 SCN=$3 OUT=$4
SEEDS=${SEEDS:-5}
CLEAN_HOURS=${CLEAN_HOURS:-0.05}
CLEAN_SEEDS=${CLEAN_SEEDS:-}
CLEAN_DURATION=${CLEAN_DURATION:-}
JOBS=${JOBS:-2}
TRACE_DURATION=${TRACE_DURATION:-100M}
GOAL_S=${GOAL_S:-60}

die() { echo "detect-power: $*" >&2; exit 2; }
[ -x "$VZSOAK" ] || die "$VZSOAK: not built"
[ -f "$HV" ] || die "$HV: not built"
[ -f "$SCN" ] || die "$SCN: no such scenario"
LINUX=0
grep -Eq '^image *= *linux *$' "$SCN" && LINUX=1
case $SEEDS in ''|*[!0-9]*|0) die "SEEDS=$SEEDS: not a count of seeds" ;; esac

# The bugs, from the one table of boot arguments (bootargs.def), as the
# scenario help prints it: "  inject = none|a|b (default none)".
BUGS=$("$VZSOAK" run --help | sed -n 's/^  inject = none|\([^ ]*\) (default.*/\1/p' | tr '|' ' ')
[ -n "$BUGS" ] || die "vzsoak run --help lists no inject= names"

rm -rf "$OUT"
mkdir -p "$OUT" || die "$OUT: cannot make the folder"

# soak DIR ARGS...: a quiet soak into OUT/DIR; its status is the soak's.
soak() {
	local dir=$OUT/$1
	shift
	"$VZSOAK" soak "$SCN" --hv "$HV" --out "$dir" --quiet -j "$JOBS" "$@" \
		> "$dir.out" 2>&1
}

# journal_stats JOURNAL WHICH: "flagged median max title" of the flagged runs
# of a soak's journal (tab-separated: seed scenario outcome insns wall
# first when titles, the first flag's first, " | " between), the title
# the most runs gave: with WHICH "first", the first flag's; "all", all
# of them.
journal_stats() {
	awk -F'\t' -v which="$2" '
		/^#/ { next }
		$3 == "flagged" { n++; w[n] = $5; t[$8 == "" ? "?" : $8]++ }
		END {
			if (!n) { print "0 - - -"; exit }
			# insertion sort: a handful of seeds
			for (i = 2; i <= n; i++) {
				v = w[i]
				for (j = i - 1; j >= 1 && w[j] + 0 > v + 0; j--)
					w[j + 1] = w[j]
				w[j + 1] = v
			}
			med = n % 2 ? w[(n + 1) / 2] : (w[n / 2] + w[n / 2 + 1]) / 2
			best = ""; bc = 0
			for (k in t) if (t[k] > bc) { bc = t[k]; best = k }
			if (which == "first")
				split(best, first, " [|] ")
			else {
				first[1] = best
				gsub(/ [|] /, "; ", first[1]) # cells of the table are |-separated
			}
			printf "%d %.2f %.2f %s\n", n, med, w[n], first[1]
		}' "$1"
}

TABLE=$OUT/table.md
MISSED=0
if [ $LINUX = 1 ]; then
	{
		echo "| bug | flagged | median s | max s | title |"
		echo "|---|---|---|---|---|"
	} > "$TABLE"
else
	{
		echo "| bug | flagged | median s | max s | title | selfcheck=off (trace detectors, hypervisor) |"
		echo "|---|---|---|---|---|---|"
	} > "$TABLE"
fi
echo "detect-power: $(echo $BUGS | wc -w) bugs x $SEEDS seeds of $SCN" >&2
for bug in $BUGS; do
	soak "$bug" --seeds "1-$SEEDS" --set "inject=$bug"
	rc=$?
	[ "$rc" -le 1 ] || die "soak of inject=$bug failed (status $rc): $(tail -1 "$OUT/$bug.out")"
	read -r n med max title < <(journal_stats "$OUT/$bug/journal" first)
	if [ $LINUX = 1 ]; then
		echo "| $bug | $n/$SEEDS | $med | $max | $title |" >> "$TABLE"
		echo "detect-power: $bug: $n/$SEEDS flagged, max ${max}s: $title" >&2
		[ "$n" -eq "$SEEDS" ] || MISSED=$((MISSED + 1))
		continue
	fi
	# The guests told nothing: what the trace and the hypervisor see.
	soak "$bug-selfcheck-off" --seeds "1-$SEEDS" --set "inject=$bug" \
		--set selfcheck=off --set detect=trace --set "duration=$TRACE_DURATION" \
		--trace-window 16M
	rc=$?
	[ "$rc" -le 1 ] || die "soak of inject=$bug selfcheck=off failed (status $rc)"
	read -r tn _ _ ttitle < <(journal_stats "$OUT/$bug-selfcheck-off/journal" all)
	if [ "$tn" -gt 0 ]; then
		off="$tn/$SEEDS: $ttitle"
	else
		off="not flagged"
	fi
	echo "| $bug | $n/$SEEDS | $med | $max | $title | $off |" >> "$TABLE"
	echo "detect-power: $bug: $n/$SEEDS flagged, max ${max}s: $title" >&2
	if [ "$n" -ne "$SEEDS" ] ||
	   awk -v m="$max" -v g="$GOAL_S" 'BEGIN { exit !(m == "-" || m + 0 > g + 0) }'; then
		MISSED=$((MISSED + 1))
	fi
done

# The clean soak: nothing injected, nothing may be flagged.
clean_set=()
[ -z "$CLEAN_DURATION" ] || clean_set=(--set "duration=$CLEAN_DURATION")
if [ -n "$CLEAN_SEEDS" ]; then
	soak clean --seeds "$CLEAN_SEEDS" "${clean_set[@]}"
else
	soak clean --hours "$CLEAN_HOURS" "${clean_set[@]}"
fi
rc=$?
[ "$rc" -le 1 ] || die "clean soak failed (status $rc): $(tail -1 "$OUT/clean.out")"
runs=$(grep -vc '^#' "$OUT/clean/journal")
flagged=$(awk -F'\t' '!/^#/ && $3 != "clean"' "$OUT/clean/journal" | wc -l)
insns=$(awk -F'\t' '!/^#/ { s += $4 } END { printf "%.2f G", s / 1e9 }' "$OUT/clean/journal")
{
	echo
	echo "clean soak (nothing injected): $runs runs, $insns instructions, $flagged flagged"
} >> "$TABLE"
cat "$TABLE"
if [ "$MISSED" -ne 0 ] || [ "$flagged" -ne 0 ]; then
	echo "detect-power: $MISSED bugs missed or slow, $flagged clean runs flagged" >&2
	exit 1
fi
exit 0
