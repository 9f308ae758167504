#!/bin/bash
# Instruction-for-instruction identity: a run of a given seed is the same
# run after any change to how vzsim executes it (tests/README.md,
# identity/).  Each case runs the release build of vzsim or vzsoak and
# reduces what the run did to a SHA-256:
#
#   trace     the trace words of a PDtrace capture (the file after its
#             header, which holds paths and the command line), every
#             branch, exception, mode change and data access of the run
#             (run_pdt, the traced loop);
#   run       the run's summary (wall times and the reproduce line
#             dropped) and the guests' console (vzsoak with trace = on
#             is a different run: the hypervisor writes trace messages);
#   stats     vzsim --stats (less wall time, trace and host counters) and the
#             console, untraced (run_fast) and traced (run_pdt) with the
#             hypervisor unaware of the trace: the two must also agree,
#             as the trace unit watches and never changes what runs;
#             and so must runs with the block compiler off (--jit 0) and
#             compiling every block at its first start (--jit 1);
#   insns     vzsim --log-insns, one line per instruction (run_sink).
#
# and compares it with tests/identity/expected.
#
#   scripts/run-identity-tests.sh BUILD RESULTS [--update]
#
# --update writes tests/identity/expected from this tree instead: only
# for a change meant to alter runs (a new hypervisor feature, a fixed
# simulator bug), and its commit says why.  Step identity.
set -u
# shellcheck source=scripts/results.sh
. "$(dirname "$0")/results.sh"
UPDATE=0
if [ "${3:-}" = --update ]; then
	UPDATE=1
	set -- "$1" "$2"
fi
results_args 2 "BUILD RESULTS [--update]" "$@"
BUILD=$1 RESULTS=$2
EXPECTED=tests/identity/expected
VZSIM=$BUILD/bin/vzsim VZSOAK=$BUILD/bin/vzsoak HV=$BUILD/target/hypervisor.elf
WORK=$BUILD/identity
rm -rf "$WORK"
mkdir -p "$WORK"
results_begin identity "$RESULTS"

declare -A got
# trace_hash FILE: the SHA-256 of the trace words (after the header, whose
# size is the 16-bit field at offset 10).
trace_hash() {
	local hs
	hs=$(od -An -tu2 -j10 -N2 "$1" | tr -d ' ')
	[ -n "$hs" ] || return 1
	tail -c +$((hs + 1)) "$1" | sha256sum | cut -d' ' -f1
}
# run_hash DIR: the summary without what differs from one run to the next
# of the same seed (wall time, the command line), and the console.
run_hash() {
	{
		sed -e 's/, [0-9.]* s wall//' -e '/^reproduce:/d' "$1/summary.txt"
		cat "$1/console.log"
	} | sha256sum | cut -d' ' -f1
}

# scenario NAME SCN ARGS...: a vzsoak run, traced and untraced.
scenario() {
	local name=$1 scn=$2
	shift 2
	"$VZSOAK" run "$scn" "$@" --quiet --out "$WORK/$name-traced" \
		--trace "$WORK/$name.vzt" > "$WORK/$name-traced.log" 2>&1
	"$VZSOAK" run "$scn" "$@" --quiet --out "$WORK/$name" > "$WORK/$name.log" 2>&1
	if [ -f "$WORK/$name/summary.txt" ]; then
		got[$name.run]=$(run_hash "$WORK/$name")
	fi
	if [ -f "$WORK/$name-traced/summary.txt" ] && [ -s "$WORK/$name.vzt" ]; then
		got[$name.run-traced]=$(run_hash "$WORK/$name-traced")
		got[$name.trace]=$(trace_hash "$WORK/$name.vzt")
	fi
}

# stats_hash STATS UART: vzsim's counters less what a trace or the host
# changes (wall time, trace words), and the console.
stats_hash() {
	{
		grep -v -e 'wall' -e 'trace' -e 'on-chip' -e 'predecoded' -e 'SMC' -e 'compiled' -e '^vzsim: stopped' "$1"
		cat "$2"
	} | sha256sum | cut -d' ' -f1
}

# board NAME BOOTARGS INSNS: vzsim alone, untraced then traced; the
# hypervisor is not told of the trace (trace=off), so both are one run.
board() {
	local name=$1 args=$2 insns=$3 u t
	"$VZSIM" --bootargs "$args trace=off" --max-insns "$insns" --stats \
		--uart-out "$WORK/$name.uart" "$HV" 2> "$WORK/$name.stats" > /dev/null
	"$VZSIM" --bootargs "$args trace=off" --max-insns "$insns" --stats \
		--uart-out "$WORK/$name-traced.uart" --trace "$WORK/$name.vzt" "$HV" \
		2> "$WORK/$name-traced.stats" > /dev/null
	u=$(stats_hash "$WORK/$name.stats" "$WORK/$name.uart")
	t=$(stats_hash "$WORK/$name-traced.stats" "$WORK/$name-traced.uart")
	if [ "$u" = "$t" ]; then
		pass "$name.traced-untraced"
	else
		fail "$name.traced-untraced" "the traced and untraced runs differ: diff $WORK/$name.stats $WORK/$name-traced.stats"
	fi
	got[$name.stats]=$u
	got[$name.trace]=$(trace_hash "$WORK/$name.vzt")
	# The block compiler (vzsim --jit): off, and every block compiled
	# at its first start, must run the same as the default.
	local hot j
	for hot in 0 1; do
		"$VZSIM" --bootargs "$args trace=off" --max-insns "$insns" --stats \
			--jit $hot --uart-out "$WORK/$name-jit$hot.uart" "$HV" \
			2> "$WORK/$name-jit$hot.stats" > /dev/null
		j=$(stats_hash "$WORK/$name-jit$hot.stats" "$WORK/$name-jit$hot.uart")
		if [ "$u" = "$j" ]; then
			pass "$name.jit-$hot"
		else
			fail "$name.jit-$hot" "vzsim --jit $hot runs differently: diff $WORK/$name.stats $WORK/$name-jit$hot.stats"
		fi
	done
	# ...and traced: compiled blocks call the trace hooks themselves.
	"$VZSIM" --bootargs "$args trace=off" --max-insns "$insns" --jit 1 \
		--uart-out /dev/null --trace "$WORK/$name-jit1.vzt" "$HV" > /dev/null 2>&1
	if [ "$(trace_hash "$WORK/$name-jit1.vzt")" = "${got[$name.trace]}" ]; then
		pass "$name.jit-1-trace"
	else
		fail "$name.jit-1-trace" "vzsim --jit 1 --trace writes another trace than the default: $WORK/$name-jit1.vzt"
	fi
}

# 4 stress guests with the hypervisor's fix: TLB exceptions, switches,
# ASID changes, crashme.  Then the bug itself (a flagged run, its end).
scenario shrink-fixed stress/scenarios/shrinking-page.scn --set preserve=on --set duration=20M
scenario shrink-bug stress/scenarios/shrinking-page.scn
# Every switch check of the stress kernel, doorbells, the moving page,
# wired entries, the timer path.
scenario soak stress/scenarios/soak.scn --set duration=20M
# The same kinds of guests on vzsim alone, the trace unit's loop against
# the plain one.
board board4 "guests=4 image=stress seed=3" 20000000
board board1 "guests=1 image=stress seed=7 rounds=0" 10000000
# Data tracing on: every load and store's address and value.
"$VZSIM" --bootargs "guests=2 image=stress rounds=4" --max-insns 5000000 \
	--trace "$WORK/data.vzt" --trace-data --uart-out /dev/null "$HV" > /dev/null 2>&1
got[data.trace]=$(trace_hash "$WORK/data.vzt")
# The sink: every instruction, in order, with its mode and context.
"$VZSIM" --bootargs "guests=2 image=stress rounds=2" --max-insns 300000 \
	--log-insns "$WORK/insns.log" --uart-out /dev/null "$HV" > /dev/null 2>&1
got[insns.log]=$(sha256sum < "$WORK/insns.log" | cut -d' ' -f1)

if [ $UPDATE = 1 ]; then
	{
		echo "# scripts/run-identity-tests.sh: what each run reduces to (SHA-256)."
		echo "# Regenerate with --update only for a change meant to alter runs."
		for k in $(printf '%s\n' "${!got[@]}" | sort); do
			echo "$k ${got[$k]}"
		done
	} > "$EXPECTED.tmp" && mv "$EXPECTED.tmp" "$EXPECTED"
	echo "identity: wrote $EXPECTED (${#got[@]} cases)"
fi

while read -r key want; do
	case $key in '#'* | '') continue ;; esac
	if [ -z "${got[$key]:-}" ]; then
		fail "$key" "no result (the run failed: see $WORK)"
	elif [ "${got[$key]}" = "$want" ]; then
		pass "$key"
	else
		fail "$key" "differs from $EXPECTED: this tree runs the seed differently (see $WORK)"
	fi
done < "$EXPECTED"
results_end
