#!/bin/bash
# End-to-end tests of the reference hypervisor on vzsim.
#
#   scripts/run-hv-tests.sh VZSIM HV_ELF TESTDIR RESULTS
#
# Each TESTDIR/NAME.args holds the boot arguments of one run of HV_ELF
# (and TESTDIR/NAME.opts, if there, extra vzsim options such as
# --board-opt tlbr-bad-index=invalid); the run passes when vzsim exits 0
# (the hypervisor reset the board) and its console, normalised, equals
# TESTDIR/NAME.expected, or, for a run whose full console is not worth
# pinning down (a bug reproduction), matches TESTDIR/NAME.match: extended
# regular expressions, one a line, each of which must match some line of
# the console.  Normalised: the
# statistics table ("stats:") and register dumps ("hv:   ") are left out
# (their numbers move with any code change), so are the stress kernel's
# counts ("stress: tlb ...", "stress: worker ...", "crashme: ..."), and lines are sorted stably
# by their prefix (g1:, g2:, hv:), so each guest's own lines and the
# hypervisor's keep their order but the interleaving between guests,
# which depends on instruction counts, does not matter; the hypervisor's
# "gN stopped" lines, whose order depends on them too, come last, sorted.  A few runs also
# check the statistics table (check_stats below).
#
# Writes RESULTS/hv.results ("pass hv.NAME" / "fail hv.NAME REASON"),
# keeps each run's console in RESULTS/hv/.  Exit status 0 if all passed.
set -u

# shellcheck source=scripts/results.sh
. "$(dirname "$0")/results.sh"
results_args 4 "VZSIM HV_ELF TESTDIR RESULTS" "$@"
VZSIM=$1 HV=$2 DIR=$3 RESULTS=$4
MAX_INSNS=${HV_MAX_INSNS:-50000000}
TIMEOUT=${HV_TIMEOUT:-120}

mkdir -p "$RESULTS/hv"
results_begin hv "$RESULTS"


normalise() {
	grep -v -e '^stats:' -e '^hv:   ' -e '^hv: g[0-9]* stopped' "$1" |
		sed -E 's/^(g[0-9]+: (stress: tlb|stress: worker|crashme:)) .*/\1 .../' | sort -s -k1,1
	# Which guest stops first depends on instruction counts too: sorted.
	grep -e '^hv: g[0-9]* stopped' "$1" | sort
}

# match_all OUT PATTERNS: every pattern (ERE, one a line) matches a line.
match_all() {
	local re
	while IFS= read -r re; do
		[ -n "$re" ] || continue
		grep -Eq -e "$re" "$1" || { echo "no console line matches: $re"; return 1; }
	done < "$2"
	return 0
}

# stats_field OUT GUEST COLUMN: a column of a guest's statistics line.
stats_field() {
	awk -v g="$2" -v col="$3" '
		/^stats: guest/ { for (i = 1; i <= NF; i++) name[i] = $i }
		$1 == "stats:" && $2 == g { for (i = 1; i <= NF; i++) if (name[i] == col) print $i }' "$1"
}

# Extra checks on the statistics table; prints a reason on failure.
check_stats() {
	local name=$1 out=$2 c
	case $name in
	exits)	# one exit of each kind from the exits guest, timer for g2
		for c in gpsi gsfc hc grr gpa; do
			[ "$(stats_field "$out" g1 $c)" -ge 1 ] 2>/dev/null || { echo "g1 has no $c exit"; return 1; }
		done
		[ "$(stats_field "$out" g2 timer)" -ge 1 ] 2>/dev/null || { echo "g2 has no timer exit"; return 1; } ;;
	loop)	# the looping guest was preempted, repeatedly
		[ "$(stats_field "$out" g2 preempt)" -ge 3 ] 2>/dev/null || { echo "g2 was not preempted"; return 1; } ;;
	dslot)	# every case exited in a delay slot and was resumed
		[ "$(stats_field "$out" g1 dslot)" = 10 ] || { echo "g1: dslot != 10"; return 1; } ;;
	wired)	# flood evicted g1's wired entry; the hypervisor put it back
		[ "$(stats_field "$out" g1 wired)" -ge 1 ] 2>/dev/null || { echo "g1: no wired entry written back"; return 1; } ;;
	storm-aim)	# aimed: most switches of the storm guest land in its TLB handler
		local t p
		t=$(stats_field "$out" g1 tlbh) p=$(stats_field "$out" g1 preempt)
		[ "$t" -ge 8 ] 2>/dev/null && [ $((t * 2)) -gt "$p" ] ||
			{ echo "g1: only $t of $p preemptions inside the TLB handler"; return 1; } ;;
	preserve-on)
		[ "$(stats_field "$out" g1 restored)" = 1 ] || { echo "g1: restored != 1"; return 1; } ;;
	stress-aim)	# the fix was exercised: entries evicted inside handlers were put back
		local g r=0
		for g in g1 g2 g3 g4; do r=$((r + $(stats_field "$out" $g restored))); done
		[ "$r" -ge 10 ] || { echo "only $r entries restored"; return 1; } ;;
	stress-repro|stress-index-off)	# preserve=off: switched out inside handlers, nothing kept
		local g t=0
		for g in g1 g2 g3 g4; do
			t=$((t + $(stats_field "$out" $g tlbh)))
			[ "$(stats_field "$out" $g saved)" = 0 ] || { echo "$g: saved != 0"; return 1; }
		done
		[ "$t" -ge 10 ] || { echo "only $t switches inside TLB handlers"; return 1; } ;;
	preserve-off)
		[ "$(stats_field "$out" g1 tlbh)" = 1 ] || { echo "g1: tlbh != 1"; return 1; }
		[ "$(stats_field "$out" g1 saved)" = 0 ] || { echo "g1: saved != 0"; return 1; } ;;
	guests*|aim)
		grep -q '^stats: total exits' "$out" || { echo "no statistics table"; return 1; }
		# the exit-cost table has a timer row and the rates line
		grep -q '^stats: timer  *[1-9][0-9]*  *[1-9]' "$out" || { echo "no timer exit cost"; return 1; }
		grep -q '^stats: per simulated second: [1-9]' "$out" || { echo "no rates"; return 1; } ;;
	esac
	return 0
}

shopt -s nullglob
for args in "$DIR"/*.args; do
	name=$(basename "$args" .args)
	out="$RESULTS/hv/$name.uart"
	err="$RESULTS/hv/$name.stderr"
	expected="$DIR/$name.expected"
	match="$DIR/$name.match"
	if [ ! -f "$expected" ] && [ ! -f "$match" ]; then
		fail "$name" "no $expected"
		continue
	fi
	opts=()
	[ -f "$DIR/$name.opts" ] && read -r -a opts < "$DIR/$name.opts"
	timeout "$TIMEOUT" "$VZSIM" ${opts[@]+"${opts[@]}"} --max-insns "$MAX_INSNS" --uart-out "$out" \
		--bootargs "$(cat "$args")" "$HV" > /dev/null 2> "$err"
	rc=$?
	[ -e "$out" ] || : > "$out"
	if [ $rc -ne 0 ]; then
		fail "$name" "vzsim exit status $rc"
		tail -n 5 "$err"; tail -n 10 "$out"
	elif [ ! -f "$expected" ] && ! why=$(match_all "$out" "$match"); then
		fail "$name" "$why"
	elif [ -f "$expected" ] && ! diff -u "$expected" <(normalise "$out") > "$RESULTS/hv/$name.diff"; then
		fail "$name" "console differs from $expected"
		head -n 30 "$RESULTS/hv/$name.diff"
	elif ! why=$(check_stats "$name" "$out"); then
		fail "$name" "$why"
	else
		pass "$name"
	fi
done

# trace-guests: with a mask, guest-mode execution is traced only for the
# guests in it, while the hypervisor's world-switch messages (UTMs,
# written in root) still cover every guest.  Three guests, mask 0x4
# (GuestID 2): pdtrace dump must show guest context (MODE/SYNC
# "guest=N") for guest 2 only, and UTM entry/exit headers for 1, 2, 3.
PDTRACE=${PDTRACE:-$(dirname "$VZSIM")/pdtrace}
trace_guests_check() {
	local vzt="$RESULTS/hv/trace-guests.vzt" dump="$RESULTS/hv/trace-guests.dump" got
	timeout "$TIMEOUT" "$VZSIM" --max-insns "$MAX_INSNS" --uart-out "$RESULTS/hv/trace-guests.uart" \
		--trace "$vzt" --bootargs "guests=3 trace-guests=0x4" "$HV" > /dev/null 2>&1 \
		|| { echo "vzsim failed"; return 1; }
	"$PDTRACE" dump "$vzt" > "$dump" || { echo "pdtrace dump failed"; return 1; }
	got=$(grep -o 'guest=[0-9]*' "$dump" | sort -u | tr '\n' ' ')
	[ "$got" = "guest=2 " ] || { echo "guest-mode trace for: $got(want guest=2 only)"; return 1; }
	# UTM messages: a header (magic 0xd7, kind 23:20, GuestID 15:8,
	# payload count 7:0) and its payload; list the GuestIDs of entry (1)
	# and exit (2) headers.
	got=$(awk '
		function hex(s,   i, n) { n = 0; s = tolower(substr(s, 3))
			for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
			return n }
		$2 == "UTM" { v = $4; sub(/^value=/, "", v)
			if (skip > 0) { skip--; next }
			if (substr(v, 1, 4) != "0xd7") next
			skip = hex("0x" substr(v, 9, 2))
			kind = substr(v, 5, 1)
			if (kind == "1" || kind == "2") print hex("0x" substr(v, 7, 2)) }' "$dump" | sort -u | tr '\n' ' ')
	[ "$got" = "1 2 3 " ] || { echo "UTM entry/exit messages for guests: $got(want 1 2 3)"; return 1; }
	return 0
}
if [ ! -x "$PDTRACE" ]; then
	skip trace-guests "no $PDTRACE"
elif why=$(trace_guests_check); then
	pass trace-guests
else
	fail trace-guests "$why"
fi

results_end
