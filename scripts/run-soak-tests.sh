#!/bin/bash
# Tests of `vzsoak soak` (harness/farm.c, harness/crashdb.c, docs/soak.md,
# "vzsoak soak"), all with the stand-in hypervisor (tests/vzsoak/fakehv.c):
# image=byseed flags seeds 1 and 5 (mod 4 = 1: pagemask) and 3 and 7
# (lockup); image=forever with a huge duration never ends (the watchdog,
# signals, a crashing child).
#
#   scripts/run-soak-tests.sh VZSOAK FAKEHV_ELF TESTDIR RESULTS
#
# Writes RESULTS/soak.results, keeps each soak folder in RESULTS/soak/.
set -u

# shellcheck source=scripts/results.sh
. "$(dirname "$0")/results.sh"
results_args 4 "VZSOAK FAKEHV_ELF TESTDIR RESULTS" "$@"
VZSOAK=$1 FAKE=$2 DIR=$3 RESULTS=$4
TIMEOUT=${VZSOAK_TIMEOUT:-120}
OUT=$RESULTS/soak
rm -rf "$OUT"
mkdir -p "$OUT"
results_begin soak "$RESULTS"

SCN=$DIR/fake.scn
FOREVER=(--set image=forever --set duration=100G)

# soak NAME ARGS...: vzsoak soak into OUT/NAME, stderr in OUT/NAME.stderr;
# its status in $rc.
soak() {
	local name=$1
	shift
	timeout "$TIMEOUT" "$VZSOAK" soak "$@" --hv "$FAKE" --out "$OUT/$name" \
		> "$OUT/$name.stdout" 2> "$OUT/$name.stderr"
	rc=$?
}

# ktap_ok FILE: KTAP version 1, a plan 1..N, N points "ok|not ok I NAME"
# numbered from 1 (comments allowed).
ktap_ok() {
	awk 'NR == 1 { if ($0 != "KTAP version 1") exit 1; next }
	     NR == 2 { if ($0 !~ /^1\.\.[0-9]+$/) exit 1; plan = substr($0, 4); next }
	     /^#/ { next }
	     /^(not )?ok [0-9]+ [^#]/ { n++; i = ($1 == "not") ? $3 : $2;
					if (i != n) exit 1; next }
	     { exit 1 }
	     END { if (NR < 2 || n != plan) exit 1 }' "$1"
}

# journal_seeds FOLDER: the journal's seeds, sorted, one line.
journal_seeds() {
	grep -v '^#' "$1/journal" | cut -f1 | sort -n | tr '\n' ' '
}

# leftovers FOLDER: temporaries or unfinished run folders left there.
leftovers() {
	find "$1" -name '*.tmp.*' -o -path "$1/runs/*" | head -3
}

# counts FOLDER: "COUNT TITLE" of every crash folder, sorted.
counts() {
	local d
	for d in "$1"/crashes/*/; do
		[ -f "$d/count" ] && echo "$(cat "$d/count") $(cat "$d/title")"
	done | sort
}

# ------------------------------------------------------------ a soak
soak basic "$SCN" --seeds 1-8 -j 2 --set image=byseed --quiet
B=$OUT/basic
want_counts=$'2 lockup: the same TLB fault repeats\n2 shrinking page: PageMask 16K -> 4K after a TLB handler'
if [ $rc -ne 1 ]; then
	fail basic "exit status $rc, want 1 ($(cat "$OUT/basic.stderr"))"
elif [ "$(journal_seeds "$B")" != "1 2 3 4 5 6 7 8 " ]; then
	fail basic "journal seeds '$(journal_seeds "$B")'"
elif [ "$(awk -F'\t' '!/^#/ && $3 == "flagged" { print $1 }' "$B/journal" | sort -n | tr '\n' ' ')" != "1 3 5 7 " ]; then
	fail basic "flagged seeds are not 1 3 5 7"
elif [ "$(counts "$B")" != "$want_counts" ]; then
	fail basic "crash counts '$(counts "$B")'"
elif [ -n "$(leftovers "$B")" ]; then
	fail basic "leftovers: $(leftovers "$B")"
else
	pass basic
fi

# Each reproducer: the run folder and repro.sh, which replays the flag.
ok=1
for r in "$B"/crashes/*/fake-s*; do
	for f in summary.txt console.log scenario.txt repro.sh; do
		[ -f "$r/$f" ] || { fail reproducers "$r: no $f"; ok=0; }
	done
done
r=$B/crashes/$(basename "$(dirname "$(grep -l lockup "$B"/crashes/*/title)")")/fake-s3
if [ $ok = 1 ]; then
	timeout "$TIMEOUT" sh "$r/repro.sh" --out "$OUT/replay" --quiet > "$OUT/replay.stdout" 2>&1
	rrc=$?
	if [ $rrc -ne 1 ]; then
		fail reproducers "repro.sh: exit status $rrc, want 1"
	elif [ "$(tail -1 "$OUT/replay.stdout" | sed 's/ [0-9.]* s wall//')" != "$(tail -1 "$r/summary.txt" | sed 's/ [0-9.]* s wall//')" ]; then
		fail reproducers "repro.sh: '$(tail -1 "$OUT/replay.stdout")', the soak's run '$(tail -1 "$r/summary.txt")'"
	else
		pass reproducers
	fi
fi

# The index files.
if ! grep -q '^| shrinking page: PageMask 16K -> 4K after a TLB handler | 2 | .* fake seed 1 | 300000 instructions (fake seed 1) | \[crashes/' "$B/index.md"; then
	fail index-md "no row for the pagemask title: $(cat "$B/index.md")"
elif ! grep -q '^8 runs, 4 clean, 4 flagged' "$B/index.md"; then
	fail index-md "no '8 runs, 4 clean, 4 flagged'"
else
	pass index-md
fi
if ! grep -q '"runs": 8,' "$B/soak.json" || ! grep -q '"title": "lockup: the same TLB fault repeats", .*"count": 2, .*"reproducers": \["fake-s3", "fake-s7"\]' "$B/soak.json"; then
	fail soak-json "$(cat "$B/soak.json")"
elif command -v python3 > /dev/null && ! python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$B/soak.json" 2> /dev/null; then
	fail soak-json "not JSON"
else
	pass soak-json
fi
if ! ktap_ok "$B/results.ktap"; then
	fail ktap "not KTAP: $(cat "$B/results.ktap")"
elif [ "$(grep -c '^not ok ' "$B/results.ktap")" != 2 ] || ! grep -q '^ok 3 clean runs$' "$B/results.ktap"; then
	fail ktap "want 2 'not ok' and 'ok 3 clean runs': $(cat "$B/results.ktap")"
else
	pass ktap
fi

# --keep 1: one reproducer per title, the shortest time to failure.
soak keep "$SCN" --seeds 1-8 -j 2 --set image=byseed --keep 1 --quiet
n=$(find "$OUT/keep/crashes" -mindepth 2 -maxdepth 2 -type d | wc -l)
if [ $rc -ne 1 ] || [ "$n" -ne 2 ]; then
	fail keep "exit status $rc, $n reproducers (want 1, 2)"
else
	pass keep
fi

# --shard 2/3: seeds 2, 5, 8 of 1-9, recorded in soak.conf.
soak shard "$SCN" --seeds 1-9 -j 2 --set image=clean --shard 2/3 --quiet
if [ $rc -ne 0 ] || [ "$(journal_seeds "$OUT/shard")" != "2 5 8 " ] ||
   ! grep -qx 'shard = 2/3' "$OUT/shard/soak.conf"; then
	fail shard "exit status $rc, seeds '$(journal_seeds "$OUT/shard")'"
else
	pass shard
fi

# Two scenarios: every seed with each, told apart by name.
soak two "$SCN" "$DIR/fake-lockup.scn" --seeds 1-3 -j 2 --quiet
got=$(grep -v '^#' "$OUT/two/journal" | cut -f1,2 | sort | tr '\t\n' ': ')
if [ $rc -ne 1 ] || [ "$got" != "1:fake 1:fake-lockup 2:fake 2:fake-lockup 3:fake 3:fake-lockup " ] ||
   [ "$(counts "$OUT/two")" != "3 lockup: the same TLB fault repeats" ]; then
	fail two-scenarios "exit status $rc, journal '$got', counts '$(counts "$OUT/two")'"
else
	pass two-scenarios
fi

# ------------------------------------------------- resume after SIGKILL
# Killed three times at random moments, resumed each time; at the end
# every seed once and the counts of an uninterrupted soak (basic's, twice
# over: 16 seeds).
K=$OUT/killed
want_counts=$'4 lockup: the same TLB fault repeats\n4 shrinking page: PageMask 16K -> 4K after a TLB handler'
ok=1
for i in 1 2 3; do
	# Killed before its soak.conf was in place, it is started afresh.
	if [ ! -f "$K/soak.conf" ]; then
		"$VZSOAK" soak "$SCN" --seeds 1-16 -j 2 --set image=byseed --hv "$FAKE" \
			--out "$K" --quiet 2> "$OUT/killed.$i.stderr" &
	else
		"$VZSOAK" soak --resume --out "$K" -j 2 --quiet 2> "$OUT/killed.$i.stderr" &
	fi
	pid=$!
	sleep "0.$((RANDOM % 9 + 1))$((RANDOM % 10))"
	kill -9 $pid 2> /dev/null
	wait $pid 2> /dev/null
	# The children die with the soak (PR_SET_PDEATHSIG); a moment for
	# them to be gone.
	sleep 0.2
done
# Killed each time before its soak.conf was in place (a loaded machine):
# this run starts it afresh, as the loop would have.
if [ -f "$K/soak.conf" ]; then
	timeout "$TIMEOUT" "$VZSOAK" soak --resume --out "$K" -j 2 --quiet 2> "$OUT/killed.end.stderr"
else
	timeout "$TIMEOUT" "$VZSOAK" soak "$SCN" --seeds 1-16 -j 2 --set image=byseed --hv "$FAKE" \
		--out "$K" --quiet 2> "$OUT/killed.end.stderr"
fi
rc=$?
if [ $rc -ne 1 ]; then
	fail resume-after-kill "exit status $rc, want 1 ($(cat "$OUT/killed.end.stderr"))"
elif [ "$(journal_seeds "$K")" != "$(seq -s ' ' 1 16) " ]; then
	fail resume-after-kill "journal seeds '$(journal_seeds "$K")'"
elif [ "$(counts "$K")" != "$want_counts" ]; then
	fail resume-after-kill "crash counts '$(counts "$K")'"
elif [ "$(find "$K/crashes" -mindepth 2 -maxdepth 2 -type d | wc -l)" -ne 8 ]; then
	fail resume-after-kill "$(find "$K/crashes" -mindepth 2 -maxdepth 2 -type d | wc -l) reproducers, want 8"
elif [ -n "$(leftovers "$K")" ]; then
	fail resume-after-kill "leftovers: $(leftovers "$K")"
elif ! grep -q '^16 runs, 8 clean, 8 flagged' "$K/index.md"; then
	fail resume-after-kill "index.md: $(head -3 "$K/index.md")"
else
	pass resume-after-kill
fi

# A torn last journal line (a kill in the middle of the append): cut off,
# that run redone.
cp -r "$B" "$OUT/torn"
rm -f "$OUT/torn/lock"
# Seed 8's line torn: half of it, no newline.
head -n -1 "$B/journal" > "$OUT/torn/journal"
tail -1 "$B/journal" | head -c 10 >> "$OUT/torn/journal"
timeout "$TIMEOUT" "$VZSOAK" soak --resume --out "$OUT/torn" -j 2 --quiet 2> "$OUT/torn.stderr"
rc=$?
if [ $rc -ne 1 ] || [ "$(journal_seeds "$OUT/torn")" != "1 2 3 4 5 6 7 8 " ] ||
   [ "$(grep -vc '^#' "$OUT/torn/journal")" != 8 ]; then
	fail torn-journal "exit status $rc, seeds '$(journal_seeds "$OUT/torn")'"
else
	pass torn-journal
fi

# ------------------------------------------------ runs that hang or crash
soak hung "$SCN" --seeds 1-1 -j 1 "${FOREVER[@]}" --timeout 1 --quiet
if [ $rc -ne 1 ] || ! grep -q $'\thung\t.*\tharness: run hung$' "$OUT/hung/journal" ||
   [ "$(counts "$OUT/hung")" != "1 harness: run hung" ] ||
   [ ! -f "$OUT/hung/crashes/$(ls "$OUT/hung/crashes")/fake-s1/repro.sh" ]; then
	fail hung "exit status $rc, counts '$(counts "$OUT/hung")'"
else
	pass hung
fi

# A child killed by a signal not the soak's: SIGSEGV and SIGKILL (the
# sanitizer catches SIGSEGV and exits: no summary is the crash's mark).
"$VZSOAK" soak "$SCN" --seeds 1-2 -j 2 "${FOREVER[@]}" --hv "$FAKE" --timeout 60 \
	--out "$OUT/crashed" --quiet 2> "$OUT/crashed.stderr" &
pid=$!
kids=()
for _ in $(seq 100); do
	mapfile -t kids < <(pgrep -P $pid)
	[ ${#kids[@]} -ge 2 ] && break
	sleep 0.1
done
sleep 0.3
if [ ${#kids[@]} -ge 2 ]; then
	kill -SEGV "${kids[0]}"
	kill -KILL "${kids[1]}"
else
	kill $pid
fi
wait $pid
rc=$?
if [ ${#kids[@]} -lt 2 ]; then
	fail crashed "the soak did not start 2 runs"
elif [ $rc -ne 1 ] || [ "$(counts "$OUT/crashed")" != "2 harness: run crashed" ]; then
	fail crashed "exit status $rc, counts '$(counts "$OUT/crashed")'"
else
	pass crashed
fi

# --mem-limit 64: a run over its limit (the sanitizer's shadow memory
# alone is more) is a finding of its own, not the end of the soak.
soak memlimit "$SCN" --seeds 1-2 -j 2 --mem-limit 64 --quiet
if [ $rc -ne 1 ] || [ "$(grep -v '^#' "$OUT/memlimit/journal" | cut -f3 | grep -Ec '^(crashed|failed)$')" != 2 ] ||
   ! grep -qx 'mem-limit = 64' "$OUT/memlimit/soak.conf"; then
	fail mem-limit "exit status $rc, journal: $(cut -f3 "$OUT/memlimit/journal" | tr '\n' ' ')"
else
	pass mem-limit
fi

# ---------------------------------------------------------- time, signals
# --hours 0.002 (7.2 s) of clean runs: it stops on time, every run it
# counted clean, the unfinished ones not counted.  (Long enough for a
# run to finish on a loaded machine; "on time" allows for one as slow.)
start=$SECONDS
soak hours "$SCN" --hours 0.002 -j 2 --set image=clean --quiet
took=$((SECONDS - start))
n=$(grep -vc '^#' "$OUT/hours/journal" 2> /dev/null)
if [ $rc -ne 0 ] || [ "$took" -gt 30 ] || [ "${n:-0}" -lt 1 ] || [ -n "$(leftovers "$OUT/hours")" ]; then
	fail hours "exit status $rc after $took s, ${n:-0} runs"
else
	pass hours
fi

# SIGINT to the soak's PID: 130, the running children stopped, the index
# written for the runs that finished.
"$VZSOAK" soak "$SCN" --seeds 1-1000 -j 2 --set image=byseed --hv "$FAKE" \
	--out "$OUT/sigint" --quiet 2> "$OUT/sigint.stderr" &
pid=$!
# Once a run has finished (a loaded machine may take a while), so that the
# index has something to count.
for _ in $(seq 600); do
	grep -qs '^[0-9]' "$OUT/sigint/journal" && break
	sleep 0.1
done
kill -INT $pid
wait $pid
rc=$?
# No journal yet: no run had finished (a loaded machine), and the index
# must say 0.
n=$(grep -vc '^#' "$OUT/sigint/journal" 2> /dev/null)
n=${n:-0}
if [ $rc -ne 130 ]; then
	fail sigint "exit status $rc, want 130"
elif ! grep -q "^$n runs, " "$OUT/sigint/index.md"; then
	fail sigint "index.md does not count the journal's $n runs"
elif [ -n "$(leftovers "$OUT/sigint")" ] || pgrep -P $pid > /dev/null; then
	fail sigint "leftovers: $(leftovers "$OUT/sigint")"
else
	pass sigint
fi

mkdir -p "$OUT/a-dir"
# ------------------------------------------------------------ vzsoak merge
# Seeds 1-8 as two shards, merged: the titles, counts and seeds of the
# one soak (basic, -j 2), and reproducers that replay.
soak shard-a "$SCN" --seeds 1-8 -j 2 --set image=byseed --shard 1/2 --quiet
soak shard-b "$SCN" --seeds 1-8 -j 2 --set image=byseed --shard 2/2 --quiet
M=$OUT/merged
timeout "$TIMEOUT" "$VZSOAK" merge --out "$M" "$OUT/shard-a" "$OUT/shard-b" \
	> "$OUT/merged.stdout" 2> "$OUT/merged.stderr"
rc=$?
mrepro=$(ls "$M"/crashes/*/*/repro.sh 2> /dev/null | wc -l)
if [ $rc -ne 1 ]; then
	fail merge "exit status $rc, want 1 ($(cat "$OUT/merged.stderr"))"
elif [ "$(journal_seeds "$M")" != "1 2 3 4 5 6 7 8 " ]; then
	fail merge "journal seeds '$(journal_seeds "$M")'"
elif [ "$(counts "$M")" != "$(counts "$B")" ]; then
	fail merge "crash counts '$(counts "$M")', the one soak's '$(counts "$B")'"
elif [ "$mrepro" -ne 4 ]; then
	fail merge "$mrepro reproducers, want 4"
elif ! ktap_ok "$M/results.ktap" ||
     [ "$(grep -v '^# .*first seen' "$M/results.ktap")" != "$(grep -v '^# .*first seen' "$B/results.ktap")" ] ||
     [ "$(grep -E '"(runs|clean|flagged|instructions)"' "$M/soak.json")" != "$(grep -E '"(runs|clean|flagged|instructions)"' "$B/soak.json")" ] ||
     [ "$(head -3 "$M/index.md")" != "$(head -3 "$B/index.md")" ]; then
	fail merge "index.md, soak.json or results.ktap differ from the one soak's"
elif ! grep -qx 'shard = 1/1' "$M/soak.conf" || [ -n "$(leftovers "$M")" ]; then
	fail merge "soak.conf's shard line, or leftovers: $(leftovers "$M")"
else
	pass merge
fi
# --keep 1 over three shards: each title's runs are in two shards (1 and
# 5, 7 and 3), with equal times to failure: as in the soak, the one that
# finished first stays (the shards ran in order: 1 and 7).
for k in 1 2 3; do
	soak shard-k$k "$SCN" --seeds 1-8 -j 2 --set image=byseed --shard $k/3 --keep 1 --quiet
done
"$VZSOAK" merge --out "$OUT/merged-k" "$OUT"/shard-k[123] > /dev/null 2>&1
rc=$?
kept=$(cd "$OUT/merged-k/crashes" 2> /dev/null && ls -d */*/ | sed 's,.*/\(.*\)/,\1,' | sort | tr '\n' ' ')
if [ $rc -ne 1 ] || [ "$kept" != "fake-s1 fake-s7 " ] ||
   [ "$(counts "$OUT/merged-k")" != "$(counts "$B")" ]; then
	fail merge-keep "exit status $rc, reproducers '$kept', want 1 and 'fake-s1 fake-s7 '"
else
	pass merge-keep
fi

# refused COMMAND NAME WANT ARGS...: vzsoak COMMAND (soak, merge) exits 2
# with the one line WANT on stderr.
refused() {
	local cmd=$1 name=$2 want=$3
	shift 3
	timeout "$TIMEOUT" "$VZSOAK" "$cmd" "$@" > /dev/null 2> "$OUT/$name.stderr"
	local rc=$?
	if [ $rc -ne 2 ]; then
		fail "$name" "exit status $rc, want 2"
	elif [ "$(cat "$OUT/$name.stderr")" != "$want" ]; then
		fail "$name" "stderr '$(cat "$OUT/$name.stderr")', want '$want'"
	else
		pass "$name"
	fi
}
refused merge bad-merge-overlap "vzsoak: fake seed 2 is in both $OUT/shard-b and $B" \
	--out "$OUT/merged-x" "$OUT/shard-b" "$B"
refused merge bad-merge-other "vzsoak: $OUT/shard-a and $OUT/shard-k2 are not shards of one soak: 'keep = 5' against 'keep = 1'" \
	--out "$OUT/merged-x" "$OUT/shard-a" "$OUT/shard-k2"
refused merge bad-merge-not-soak "vzsoak: $OUT/a-dir: not a soak folder (no soak.conf)" \
	--out "$OUT/merged-x" "$OUT/shard-a" "$OUT/a-dir"
refused merge bad-merge-again "vzsoak: --out $M: already a soak folder (it has a journal)" \
	--out "$M" "$OUT/shard-a" "$OUT/shard-b"
refused merge bad-merge-no-out "vzsoak: where to? (give --out DIR)" "$OUT/shard-a"
refused merge bad-merge-option "vzsoak: unknown option '-x' (try vzsoak merge --help)" \
	-x --out "$OUT/merged-x" "$OUT/shard-a"
refused merge bad-merge-out-value "vzsoak: --out needs a value (try vzsoak merge --help)" "$OUT/shard-a" --out
[ -e "$OUT/merged-x" ] && fail bad-merge-overlap "it created $OUT/merged-x"

# ------------------------------------------------------ --trace-window
# Each run traces its last 16K (the fake's runs make less than 64K of
# trace in all, so a 64K window would hold whole runs, not a window):
# the flagged runs' reproducers keep a trace.vzt of about the window
# that pdtrace reads whole; the clean runs leave none.
PDTRACE=$(dirname "$VZSOAK")/pdtrace
soak trace "$SCN" --seeds 1-4 -j 2 --set image=byseed --trace-window 16K --quiet
T=$OUT/trace
traces=$(find "$T" -name 'trace.vzt*' | sort)
want_traces=$(ls -d "$T"/crashes/*/*/ | sed 's,/$,/trace.vzt,' | sort)
bad_trace=
for f in $traces; do
	size=$(stat -c %s "$f")
	if [ "$size" -lt 16384 ] || [ "$size" -gt 20480 ]; then
		bad_trace="$f: $size bytes"
	elif ! "$PDTRACE" dump --stats "$f" > /dev/null 2>&1; then
		bad_trace="$f: pdtrace dump --stats exit status $?"
	fi
done
if [ $rc -ne 1 ]; then
	fail trace-window "exit status $rc, want 1 ($(cat "$OUT/trace.stderr"))"
elif [ -z "$traces" ] || [ "$traces" != "$want_traces" ]; then
	fail trace-window "traces '$traces', want '$want_traces'"
elif [ -n "$bad_trace" ]; then
	fail trace-window "$bad_trace"
elif ! grep -qx 'trace-window = 16K' "$T/soak.conf"; then
	fail trace-window "soak.conf has no trace-window line"
else
	pass trace-window
fi

# ---------------------------------------------------------- --check
# Says what the soak would run, writes nothing (a batch script checks its
# shards with it before it queues them).
# check NAME WANT ARGS...: vzsoak soak ARGS --check exits 0, prints WANT.
check() {
	local name=$1 want=$2 got rc
	shift 2
	got=$(timeout "$TIMEOUT" "$VZSOAK" soak "$@" --check 2> "$OUT/$name.stderr")
	rc=$?
	if [ $rc -ne 0 ]; then
		fail "$name" "exit status $rc, want 0: $(cat "$OUT/$name.stderr")"
	elif [ "$got" != "$want" ]; then
		fail "$name" "stdout '$got', want '$want'"
	else
		return 0
	fi
	return 1
}
if check check-new "vzsoak soak: ok: $OUT/chk/new, fake, seeds 1-8 shard 2/4: 2 runs" \
	"$SCN" --seeds 1-8 --shard 2/4 --hv "$FAKE" --out "$OUT/chk/new"; then
	if [ -e "$OUT/chk" ]; then
		fail check-new "it created $OUT/chk"
	else
		pass check-new
	fi
fi
before=$(find "$B" -printf '%p %s %T@\n' | sort | md5sum)
if check check-resume "vzsoak soak: ok: resumes $B, fake, seeds 1-8: 8 runs" --resume --out "$B"; then
	if [ "$(find "$B" -printf '%p %s %T@\n' | sort | md5sum)" != "$before" ]; then
		fail check-resume "it changed $B"
	else
		pass check-resume
	fi
fi
check check-hours "vzsoak soak: ok: $OUT/chk, fake, 0.5 hours" "$SCN" --hours 0.5 --hv "$FAKE" --out "$OUT/chk" &&
	pass check-hours
refused soak bad-check-again "vzsoak: --out $B: holds a soak already (--resume continues it)" \
	"$SCN" --seeds 1-8 --set image=byseed --hv "$FAKE" --out "$B" --check
refused soak bad-check-set "vzsoak: --set: seed: 'x' is not 0..4294967295" \
	"$SCN" --seeds 1-8 --set seed=x --hv "$FAKE" --out "$OUT/chk" --check

# vzsoak report into a crash folder (docs/report.md): the report's folder
# is no reproducer: a resumed soak keeps it and does not list it.
C=$(ls -d "$B"/crashes/*/ | head -1)
timeout "$TIMEOUT" "$VZSOAK" report "$C" --quiet > /dev/null 2> "$OUT/crash-report.stderr"
rrc=$?
timeout "$TIMEOUT" "$VZSOAK" soak --resume --out "$B" --quiet > /dev/null 2> "$OUT/crash-report-resume.stderr"
src=$?
if [ $rrc -ne 0 ]; then
	fail crash-report "vzsoak report: exit status $rrc: $(head -c 300 "$OUT/crash-report.stderr")"
elif [ $src -ne 1 ]; then
	fail crash-report "the resume: exit status $src, want 1: $(head -c 300 "$OUT/crash-report-resume.stderr")"
elif [ ! -s "$C/report/report.md" ]; then
	fail crash-report "no report.md in $C/report after a resume"
elif grep -q '"report"\|/report/' "$B/index.md" "$B/soak.json"; then
	fail crash-report "the index lists the report folder"
else
	pass crash-report
fi
# vzsoak report of the whole soak: its titles, runs and time to failure
# (from the journal), and the plot of it over the seeds (gnuplot; four
# points, axes and a key: at least 1% ink).
timeout "$TIMEOUT" "$VZSOAK" report "$B" --quiet > /dev/null 2> "$OUT/soak-report.stderr"
rc=$?
M=$B/report/report.md
if [ $rc -ne 0 ]; then
	fail soak-report "exit status $rc: $(head -c 300 "$OUT/soak-report.stderr")"
elif ! grep -qx '8 runs, 4 clean, 4 flagged, 2 distinct titles.' "$M"; then
	fail soak-report "no '8 runs, 4 clean, 4 flagged, 2 distinct titles.': $(sed -n 3p "$M")"
elif [ "$(grep -c '^| [a-z].* | 2 | [0-9]* | [0-9]* | [0-9]* |$' "$M")" != 2 ]; then
	fail soak-report "not two titles with 2 runs each: $(grep '^| ' "$M" | head -4)"
elif ! "$(dirname "$VZSOAK")/pngcheck" "$B/report/ttf.png" --size 1000x500 --min-ink 1 \
	> /dev/null 2> "$OUT/soak-report.png"; then
	fail soak-report "ttf.png: $(cat "$OUT/soak-report.png")"
else
	pass soak-report
fi
# ---------------------------------------------------------- bad input
# (A file where a folder must be: root may write anywhere.)
: > "$OUT/a-file"
refused soak bad-out-unwritable "vzsoak: --out: $OUT/a-file/soak: cannot create: Not a directory" \
	"$SCN" --seeds 1-2 --hv "$FAKE" --out "$OUT/a-file/soak"
refused soak bad-resume-other "vzsoak: --resume: $B was made by another soak: soak.conf: it has 'scenario = $SCN', this command 'scenario = $DIR/bad-value.scn'" \
	"$DIR/bad-value.scn" --resume --seeds 1-8 --set image=byseed --hv "$FAKE" --out "$B"
refused soak bad-resume-seeds "vzsoak: --resume: $B was made by another soak: soak.conf: it has 'seeds = 1-8', this command 'seeds = 1-9'" \
	"$SCN" --resume --seeds 1-9 --set image=byseed --hv "$FAKE" --out "$B"
refused soak bad-resume-none "vzsoak: --resume: $OUT/none: no soak there (no soak.conf)" \
	--resume --out "$OUT/none"
refused soak bad-soak-again "vzsoak: --out $B: holds a soak already (--resume continues it)" \
	"$SCN" --seeds 1-8 --set image=byseed --hv "$FAKE" --out "$B"
refused soak bad-resume-window "vzsoak: --resume: $OUT/trace was made by another soak: soak.conf: it has 'trace-window = 16K', this command 'trace-window = 32K'" \
	"$SCN" --resume --seeds 1-4 --set image=byseed --trace-window 32K --hv "$FAKE" --out "$OUT/trace"
[ -e "$OUT/none" ] && fail bad-resume-none "it created $OUT/none"

results_end
