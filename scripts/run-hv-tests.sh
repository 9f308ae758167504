#!/bin/bash
# End-to-end tests of the reference hypervisor on vzsim.
#
#   scripts/run-hv-tests.sh VZSIM HV_ELF TESTDIR RESULTS
#
# Each TESTDIR/NAME.args holds the boot arguments of one run of HV_ELF
# (and TESTDIR/NAME.opts, if there, extra vzsim options such as
# --board-opt tlbr-bad-index=invalid, or --max-insns, or --load
# @BUILD@/linux/vmlinuz@0x400000 with @BUILD@ the build folder, $BUILD or
# build: a Linux guest's files, make linux); the run passes when vzsim exits 0
# (the hypervisor reset the board) and its console, normalised, equals
# TESTDIR/NAME.expected, or, for a run whose full console is not worth
# pinning down (a bug reproduction), matches TESTDIR/NAME.match: extended
# regular expressions, one a line, each of which must match some line of
# the console.  Normalised: the
# statistics table ("stats:") and register dumps ("hv:   ") are left out
# (their numbers move with any code change), so are the stress kernel's
# counts ("stress: tlb ...", "stress: worker ...", "stress: checks ...",
# "crashme: ..."), and lines are sorted stably by their prefix (g1:, g2:, hv:), so each guest's own lines and the
# hypervisor's keep their order but the interleaving between guests,
# which depends on instruction counts, does not matter; the hypervisor's
# "gN stopped" lines, whose order depends on them too, come last, sorted.  A few runs also
# check the statistics table: TESTDIR/NAME.stats (the format is below).
#
# Writes RESULTS/hv.results ("pass hv.NAME" / "fail hv.NAME REASON"),
# keeps each run's console in RESULTS/hv/.  Exit status 0 if all passed.
set -u

# shellcheck source=scripts/results.sh
. "$(dirname "$0")/results.sh"
results_args 4 "VZSIM HV_ELF TESTDIR RESULTS" "$@"
VZSIM=$1 HV=$2 DIR=$3 RESULTS=$4
MAX_INSNS=${HV_MAX_INSNS:-50000000}
BUILD=${BUILD:-build}
TIMEOUT=${HV_TIMEOUT:-120}

mkdir -p "$RESULTS/hv"
results_begin hv "$RESULTS"


normalise() {
	grep -v -e '^stats:' -e '^hv:   ' -e '^hv: g[0-9]* stopped' "$1" |
		sed -E 's/^(g[0-9]+: (stress: tlb|stress: worker|stress: checks|crashme:)) .*/\1 .../' | sort -s -k1,1
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

# The checks of TESTDIR/NAME.stats on the statistics table, one a line
# ("#" starts a comment):
#   SUM OP SUM    OP one of = >= > <= <; a SUM is terms joined by "+",
#                 a term N, GUEST.COLUMN or N*GUEST.COLUMN (g1.tlbh is
#                 the tlbh column of g1's row)
#   line ERE      some console line matches ERE
# A term whose guest or column is not in the table fails the check.

# stats_term OUT TERM: the value of one term, or a reason (status 1).
stats_term() {
	local k=1 term=$2 v
	if [[ $term =~ ^[0-9]+$ ]]; then
		echo "$term"
		return 0
	fi
	if [[ $term =~ ^([0-9]+)\*(.+)$ ]]; then
		k=${BASH_REMATCH[1]} term=${BASH_REMATCH[2]}
	fi
	[[ $term =~ ^(g[0-9]+)\.([a-z0-9]+)$ ]] || { echo "bad term '$term'"; return 1; }
	v=$(stats_field "$1" "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}")
	[[ $v =~ ^[0-9]+$ ]] || { echo "$term is not one number in the table ('$v')"; return 1; }
	echo $((k * v))
}

# stats_sum OUT SUM: the value of a sum, or a reason (status 1).
stats_sum() {
	local t v s=0 terms
	IFS=+ read -r -a terms <<< "$2"
	[ ${#terms[@]} -gt 0 ] || { echo "empty sum"; return 1; }
	for t in "${terms[@]}"; do
		v=$(stats_term "$1" "$t") || { echo "$v"; return 1; }
		s=$((s + v))
	done
	echo $s
}

# check_stats OUT STATS: every check holds; prints a reason if not.
check_stats() {
	local out=$1 check lhs op rhs extra l r ok
	while IFS= read -r check; do
		case $check in
		'' | '#'*) continue ;;
		'line '*)
			grep -Eq -e "${check#line }" "$out" || { echo "no console line matches: ${check#line }"; return 1; }
			continue ;;
		esac
		read -r lhs op rhs extra <<< "$check"
		[ -n "$rhs" ] && [ -z "$extra" ] || { echo "$2: bad check '$check'"; return 1; }
		l=$(stats_sum "$out" "$lhs") || { echo "$l"; return 1; }
		r=$(stats_sum "$out" "$rhs") || { echo "$r"; return 1; }
		case $op in
		=) ok=$((l == r)) ;;
		'>=') ok=$((l >= r)) ;;
		'>') ok=$((l > r)) ;;
		'<=') ok=$((l <= r)) ;;
		'<') ok=$((l < r)) ;;
		*) echo "$2: bad operator in '$check'"; return 1 ;;
		esac
		[ $ok -eq 1 ] || { echo "$check does not hold: $l $op $r"; return 1; }
	done < "$2"
	return 0
}

shopt -s nullglob
cases=("$DIR"/*.args)
[ ${#cases[@]} -gt 0 ] || fail none "no cases in $DIR"
for args in "${cases[@]}"; do
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
	# @BUILD@ in them: the build folder (the Linux guest's files).
	opts=(${opts[@]+"${opts[@]//@BUILD@/$BUILD}"})
	# A case's own --max-insns, later, overrides this one.
	timeout "$TIMEOUT" "$VZSIM" --max-insns "$MAX_INSNS" ${opts[@]+"${opts[@]}"} --uart-out "$out" \
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
	elif [ -f "$DIR/$name.stats" ] && ! why=$(check_stats "$out" "$DIR/$name.stats"); then
		fail "$name" "$why"
	else
		pass "$name"
	fi
done
# Data without its .args would be dropped silently.
for f in "$DIR"/*.expected "$DIR"/*.match "$DIR"/*.opts "$DIR"/*.stats; do
	name=$(basename "${f%.*}")
	[ -f "$DIR/$name.args" ] || fail "$name" "$f without $DIR/$name.args"
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
