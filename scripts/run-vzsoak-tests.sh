#!/bin/bash
# Tests of `vzsoak run` (harness/, docs/soak.md).
#
#   scripts/run-vzsoak-tests.sh VZSOAK HV_ELF FAKEHV_ELF TESTDIR RESULTS
#
# 1. Bad input, one case per TESTDIR/bad/NAME.args (the data format is
#    below): each must exit 2 with exactly one line on stderr, equal to
#    the expected one (it names the file and line, or the option), and
#    leave no run folder behind.
# 2. Runs of FAKEHV_ELF (tests/vzsoak/fakehv.c), a stand-in hypervisor
#    that writes the status and statistics blocks and misbehaves on demand:
#    each kind of flag, its instruction count, the exit status, the run
#    folder, determinism, stop-on-anomaly = no, the duration, SIGINT,
#    --trace.  It reports back the tlbp-check= it is given, as the stress
#    kernel does, so only the config cases can be flagged config.
# 3. Runs of the real hypervisor and stress kernel (HV_ELF): see the
#    marked place at the end.
#
# Writes RESULTS/vzsoak.results ("pass vzsoak.NAME" / "fail vzsoak.NAME
# REASON"), keeps each run in RESULTS/vzsoak/.  Exit status 0 if all passed.
set -u

# shellcheck source=scripts/results.sh
. "$(dirname "$0")/results.sh"
results_args 5 "VZSOAK HV_ELF FAKEHV_ELF TESTDIR RESULTS" "$@"
VZSOAK=$1 HV=$2 FAKE=$3 DIR=$4 RESULTS=$5
TIMEOUT=${VZSOAK_TIMEOUT:-120}
OUT=$RESULTS/vzsoak
rm -rf "$OUT"
mkdir -p "$OUT"
results_begin vzsoak "$RESULTS"


# ------------------------------------------------------------ bad input
#
# DIR/bad/NAME.args: the arguments of one vzsoak command line that must
# be refused; NAME.stderr: the one line it must print (file and line, or
# the option); NAME.status, if there, the exit status (else 2).  No run
# folder may be left behind.  In both files @DIR@ stands for DIR, @FAKE@
# for FAKEHV_ELF and @OUT@ for RESULTS/vzsoak.

# subst TEXT: TEXT with the placeholders replaced.
subst() {
	local t=${1//@DIR@/$DIR}
	t=${t//@FAKE@/$FAKE}
	echo "${t//@OUT@/$OUT}"
}

# bad NAME: runs DIR/bad/NAME.args and checks what it must do.
bad() {
	local name=$1 case=$DIR/bad/$1 want_status=2 want words=() args=() w rc got lines
	if [ ! -f "$case.stderr" ]; then
		fail "$name" "no $case.stderr"
		return
	fi
	if [ -f "$case.status" ]; then
		want_status=$(cat "$case.status")
		[[ $want_status =~ ^[0-9]+$ ]] || { fail "$name" "$case.status: '$want_status' is not a status"; return; }
	fi
	want=$(subst "$(cat "$case.stderr")")
	read -r -a words < "$case.args"
	# Split first, then substituted: a path with spaces stays one word.
	for w in ${words[@]+"${words[@]}"}; do
		args+=("$(subst "$w")")
	done
	timeout "$TIMEOUT" "$VZSOAK" ${args[@]+"${args[@]}"} --out "$OUT/$name.run" \
		> "$OUT/$name.stdout" 2> "$OUT/$name.stderr"
	rc=$?
	got=$(cat "$OUT/$name.stderr")
	lines=$(wc -l < "$OUT/$name.stderr")
	if [ $rc -ne "$want_status" ]; then
		fail "$name" "exit status $rc, want $want_status ($got)"
	elif [ "$lines" -ne 1 ]; then
		fail "$name" "$lines lines on stderr, want 1"
	elif [ "$got" != "$want" ]; then
		fail "$name" "stderr '$got', want '$want'"
	elif [ -e "$OUT/$name.run" ]; then
		fail "$name" "a run folder was created"
	else
		pass "$name"
	fi
}

shopt -s nullglob
cases=("$DIR"/bad/*.args)
[ ${#cases[@]} -gt 0 ] || fail bad-input "no cases in $DIR/bad"
for f in "${cases[@]}"; do
	bad "$(basename "$f" .args)"
done
# Expectations without a command line would be dropped silently.
for f in "$DIR"/bad/*.stderr "$DIR"/bad/*.status; do
	name=$(basename "${f%.*}")
	[ -f "$DIR/bad/$name.args" ] || fail "$name" "$f without $DIR/bad/$name.args"
done
shopt -u nullglob
S=$DIR/fake.scn

for args in "--help" "run --help"; do
	name=help-${args// /-}
	name=${name//--/}
	if "$VZSOAK" $args > "$OUT/$name.stdout" 2>&1 && grep -q '^usage: vzsoak' "$OUT/$name.stdout"; then
		pass "$name"
	else
		fail "$name" "vzsoak $args: no usage text or a non-zero exit"
	fi
done

# ------------------------------------------------------------ the fake hypervisor

# fake NAME WANT_STATUS RESULT_ERE [ARGS...]: a run of the fake hypervisor
# whose exit status and summary's last line are as given, with the run
# folder complete (no temporary files left) and summary.txt = stdout.
fake() {
	local name=$1 want=$2 re=$3 rc last
	shift 3
	timeout "$TIMEOUT" "$VZSOAK" run "$S" --hv "$FAKE" --out "$OUT/$name" --quiet "$@" \
		> "$OUT/$name.stdout" 2> "$OUT/$name.stderr"
	rc=$?
	last=$(tail -n 1 "$OUT/$name.stdout")
	if [ $rc -ne "$want" ]; then
		fail "$name" "exit status $rc, want $want: $last $(head -c 300 "$OUT/$name.stderr")"
		return 1
	elif ! grep -Eq -e "$re" <<< "$last"; then
		fail "$name" "last line '$last' does not match '$re'"
		return 1
	elif [ -s "$OUT/$name.stderr" ]; then
		fail "$name" "stderr: $(head -n 3 "$OUT/$name.stderr")"
		return 1
	fi
	local f
	for f in console.log summary.txt scenario.txt; do
		[ -f "$OUT/$name/$f" ] || { fail "$name" "no $f in the run folder"; return 1; }
	done
	if ls "$OUT/$name" | grep -q '\.tmp'; then
		fail "$name" "temporary files left: $(ls "$OUT/$name" | tr '\n' ' ')"
		return 1
	fi
	cmp -s "$OUT/$name/summary.txt" "$OUT/$name.stdout" ||
		{ fail "$name" "summary.txt differs from stdout"; return 1; }
	pass "$name"
}

fake fake-clean 0 '^result: clean \(8[0-9]{5} instructions, [0-9.]+ s simulated, [0-9.]+ s wall\)$'
fake fake-pagemask 1 '^result: ANOMALY g2 anomaly at 300000 instructions .*: PageMask 16K -> 4K \(shrinking page\): PageMask 0x00000000, left by a TLB handler at EPC 0x0040404c BadVAddr 0x00481000 \(1 time\)$' \
	--set image=pagemask
fake fake-lockup 1 '^result: ANOMALY g2 lockup at 450000 instructions .*: repeats the same TLB fault 120 times: EPC 0x0040404c BadVAddr 0x00481000$' \
	--set image=lockup
fake fake-silent 1 '^result: ANOMALY g3 heartbeat at 600000 instructions .*: no heartbeat for 300000 instructions' \
	--set image=silent
fake fake-exit 1 '^result: ANOMALY g1 exit at 300000 instructions .*: stopped with exit status 3$' \
	--set image=exit
fake fake-killed 1 '^result: ANOMALY g4 killed at 300000 instructions' --set image=killed
# A kernel that runs another tlbp-check than the scenario's: flagged at
# the first check; asked for what it runs, the same image is clean.
fake fake-config 1 '^result: FAILED g3 config at 50000 instructions .*: runs tlbp-check=off, the scenario asks for on$' \
	--set image=oldkernel
fake fake-config-match 0 '^result: clean' --set image=oldkernel --set tlbp-check=off
fake fake-deadlock 1 '^result: FAILED hv deadlock at [0-9]+ instructions' --set image=deadlock
fake fake-reset 1 '^result: FAILED hv reset at [0-9]+ instructions .*status state 1\)$' --set image=reset
fake fake-failed 1 '^result: FAILED hv hv-failed at [0-9]+ instructions' --set image=failed
fake fake-nostatus 1 '^result: FAILED hv no-status at [0-9]+ instructions .*console: "hv: bad boot arguments: nostatus asked for"$' \
	--set image=nostatus

# Tables: the guest row of a flagged guest, crashme's columns (only the
# exception kinds that ended blocks: AdEL and RI), the worker.
if [ -f "$OUT/fake-pagemask.stdout" ]; then
	s=$OUT/fake-pagemask.stdout
	if ! grep -Eq '^g2 +pagemask +running +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ .* 4K x1 +anomaly$' "$s"; then
		fail fake-tables "no g2 row with PageMask 4K x1 and the anomaly flag"
	elif ! grep -Eq '^crashme +blocks +completed +timeout +AdEL +RI$' "$s"; then
		fail fake-tables "crashme header: $(grep '^crashme' "$s")"
	elif ! grep -Eq '^worker +passes +pages touched +bad words$' "$s"; then
		fail fake-tables "no worker table"
	elif ! grep -q '^reproduce: .* run .*fake.scn --set image=pagemask --hv .* --seed 1$' "$s"; then
		fail fake-tables "reproduce line: $(grep '^reproduce' "$s")"
	else
		pass fake-tables
	fi
fi

# Determinism: the same run twice flags the same guest at the same count.
fake fake-pagemask-again 1 '^result: ANOMALY g2 anomaly' --set image=pagemask &&
if diff <(grep '^  g' "$OUT/fake-pagemask.stdout" | sed 's/, [0-9.]* s wall//') \
	<(grep '^  g' "$OUT/fake-pagemask-again.stdout" | sed 's/, [0-9.]* s wall//') > /dev/null; then
	pass determinism
else
	fail determinism "the flags of two identical runs differ"
fi

# The resolved scenario reads back as a scenario and gives the same run.
fake fake-readback 1 '^result: ANOMALY g2 anomaly at 300000 instructions' --set image=pagemask --seed 9 &&
if timeout "$TIMEOUT" "$VZSOAK" run "$OUT/fake-readback/scenario.txt" --hv "$FAKE" --quiet \
	--out "$OUT/fake-readback-2" > "$OUT/fake-readback-2.stdout" 2>&1; [ $? -eq 1 ] &&
	grep -q '^result: ANOMALY g2 anomaly at 300000 instructions' "$OUT/fake-readback-2.stdout" &&
	grep -q '^scenario: fake, seed 9: 4 x pagemask' "$OUT/fake-readback-2.stdout"; then
	pass scenario-readback
else
	fail scenario-readback "scenario.txt did not reproduce the run"
fi

# stop-on-anomaly = no: every flag, up to the fake's own end.
fake fake-no-stop 1 '^result: ANOMALY g2 lockup at 450000 instructions' \
	--set image=lockup --set stop-on-anomaly=no &&
if grep -q '^run: .*; the hypervisor reset the board$' "$OUT/fake-no-stop.stdout"; then
	pass no-stop-runs-on
else
	fail no-stop-runs-on "the run did not go on to the reset: $(grep '^run:' "$OUT/fake-no-stop.stdout")"
fi

# The duration ends a run that would go on forever; without crashme and
# the worker, their tables are one line each.
fake fake-duration 0 '^result: clean \(2000000 instructions' --set image=forever --set duration=2M \
	--set crashme=0 --set worker-pages=0 &&
if grep -q '^crashme: off (crashme = 0)$' "$OUT/fake-duration.stdout" &&
	grep -q '^worker: off (worker-pages = 0)$' "$OUT/fake-duration.stdout"; then
	pass tables-off
else
	fail tables-off "no 'crashme: off' or 'worker: off' line"
fi

# --trace: the capture is written and trace = on goes to the hypervisor.
fake fake-trace 0 '^result: clean' --trace "$OUT/fake-trace.vzt" &&
if [ -s "$OUT/fake-trace.vzt" ] && grep -q '^trace = on$' "$OUT/fake-trace/scenario.txt" &&
	grep -q 'trace=on' "$OUT/fake-trace/scenario.txt"; then
	pass trace-capture
else
	fail trace-capture "no capture, or trace = on missing from scenario.txt"
fi

# SIGINT: status 130, the summary still written, the run folder complete.
timeout "$TIMEOUT" "$VZSOAK" run "$S" --hv "$FAKE" --out "$OUT/sigint" --quiet \
	--set image=forever --set duration=1000G > "$OUT/sigint.stdout" 2> "$OUT/sigint.stderr" &
pid=$!
for _ in $(seq 100); do
	[ -e "$OUT/sigint/scenario.txt" ] && break
	sleep 0.1
done
sleep 0.5
kill -INT $pid
wait $pid
rc=$?
if [ $rc -ne 130 ]; then
	fail sigint "exit status $rc, want 130"
elif ! tail -n 1 "$OUT/sigint.stdout" | grep -q '^result: interrupted ('; then
	fail sigint "last line: $(tail -n 1 "$OUT/sigint.stdout")"
elif [ ! -f "$OUT/sigint/summary.txt" ] || [ ! -f "$OUT/sigint/console.log" ] ||
	ls "$OUT/sigint" | grep -q '\.tmp'; then
	fail sigint "the run folder is not complete: $(ls "$OUT/sigint" | tr '\n' ' ')"
else
	pass sigint
fi

# ------------------------------------------------------------ the real hypervisor
#
# The shrinking page end to end (docs/soak.md, docs/stress.md): the
# scenario of stress/scenarios/ with both fixes off on a seed known to
# fail must be flagged, naming the guest whose PageMask shrank; the same
# seed with the hypervisor's fix, or with the guest kernel's, must run
# clean.  Durations are cut to what `make test` can afford; the runs
# are deterministic, so this seed fails at the same instruction each time.
SCN=stress/scenarios/shrinking-page.scn

# real NAME WANT_STATUS RESULT_ERE [SUMMARY_ERE...] -- ARGS...
real() {
	local name=$1 want=$2 re=$3 rc last
	shift 3
	local extra=()
	while [ "$1" != "--" ]; do extra+=("$1"); shift; done
	shift
	timeout "$TIMEOUT" "$VZSOAK" run "$SCN" --hv "$HV" --quiet --out "$OUT/$name.run" "$@" \
		> "$OUT/$name.stdout" 2> "$OUT/$name.stderr"
	rc=$?
	last=$(tail -n 1 "$OUT/$name.stdout")
	if [ $rc -ne "$want" ]; then
		fail "$name" "exit status $rc, want $want: $last $(head -c 300 "$OUT/$name.stderr")"
		return
	fi
	if ! [[ $last =~ $re ]]; then
		fail "$name" "last line '$last' does not match '$re'"
		return
	fi
	for re in "${extra[@]}"; do
		if ! grep -Eq -e "$re" "$OUT/$name.stdout"; then
			fail "$name" "no summary line matches '$re'"
			return
		fi
	done
	pass "$name"
}

real shrinking-page 1 '^result: ANOMALY g[1-4] anomaly at [0-9]+ instructions' \
	'^  g[1-4] anomaly at [0-9]+ instructions .*PageMask 16K -> 4K \(shrinking page\): PageMask 0x00000000' \
	'^  g[1-4] lockup at [0-9]+ instructions .*repeats the same TLB fault' \
	'^g[1-4] +stress +running .* 4K x[0-9]+ +anomaly' \
	-- --seed 5 --set duration=20M
real shrinking-page-preserve 0 '^result: clean \(20000000 instructions' \
	'^flags: none$' '^g1 +stress +running .* 16K +-$' \
	-- --seed 5 --set duration=20M --set preserve=on
real shrinking-page-guest-fix 0 '^result: clean \(20000000 instructions' \
	'^flags: none$' \
	-- --seed 5 --set duration=20M --set tlbp-check=on
real shrinking-page-index-only 1 '^result: ANOMALY g[1-4] anomaly .*PageMask 16K -> 4K' \
	-- --seed 5 --set duration=20M --set tlbp-check=index

results_end
