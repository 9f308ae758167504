#!/bin/bash
# `make bench`: vzsim against QEMU on bench/lcg.S, about 10^9 instructions.
#
#   scripts/bench.sh BUILD
#
# Builds BUILD/bench/lcg.elf (and lcg-long.elf, three times as long), runs
# it on BUILD/bin/vzsim --stats, then both lengths as whole processes on
# vzsim and, if installed, on qemu-system-mipsel -M malta -cpu 24Kc, a few
# times each; checks that they print the same checksum, and prints the
# machine, its load, each side's median speed and spread and their ratio
# against the goal.
# Then the same with the trace on, in guest mode, a 4-guest `vzsoak run`
# (REPS times, against the loop's speed),
# `vzsoak soak` over 8 seeds at -j 1 and -j 2 (runs a minute, their ratio,
# the harness's fixed cost per run), libpdtrace's own benchmark and the
# JTAG path through OpenOCD (scripts/bench-jtag.sh).
# Speed never fails the build: only a broken run does.
set -u
BUILD=${1:-build}
CROSS=${CROSS:-mipsel-linux-gnu-}
VZSIM=$BUILD/bin/vzsim
OUT=$BUILD/bench
SRC=bench/lcg.S
LD=boards/sim/malta.ld
GOAL=0.33
# The Makefile's TARGET_CFLAGS and TARGET_LDFLAGS.
CFLAGS="-Ibench -Iboards/mips/include -march=p5600 -mvirt -EL -ffreestanding -nostdlib -fno-pic \
-mno-abicalls -G0 -O2 -Wall -Wextra -Werror"
LDFLAGS="-nostdlib -static -Wl,--build-id=none -Wl,-z,noexecstack"

die() { echo "bench: $*" >&2; exit 1; }

[ -x "$VZSIM" ] || die "$VZSIM not built"
mkdir -p "$OUT"
# shellcheck disable=SC2086
${CROSS}gcc $CFLAGS $LDFLAGS -T $LD $SRC -o "$OUT/lcg.elf" || die "build failed"

# Instructions per iteration: the words from lcg_loop up to lcg_loop_end.
addr() { ${CROSS}nm "$OUT/lcg.elf" | awk -v s="$1" '$3 == s { print $1 }'; }
lo=$(addr lcg_loop) hi=$(addr lcg_loop_end)
[ -n "$lo" ] && [ -n "$hi" ] || die "no lcg_loop/lcg_loop_end in lcg.elf"
loop_len=$(( (16#$hi - 16#$lo) / 4 ))
iters=$(sed -n 's/^#define[ \t]*ITERATIONS[ \t]*\([0-9]*\).*/\1/p' $SRC)
[ -n "$iters" ] || die "no ITERATIONS in $SRC"
insns=$((loop_len * iters))

now() { date +%s.%N; }
# secs START END: elapsed seconds, 3 decimals.
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
checksum() { sed -n 's/^lcg checksum \([0-9a-f]*\).*/\1/p' "$1"; }

# ----------------------------------------------------------------- vzsim
echo "bench: $iters iterations x $loop_len instructions = $insns instructions"
"$VZSIM" --stats "$OUT/lcg.elf" > "$OUT/vzsim.uart" 2> "$OUT/vzsim.stats"
rc=$?
[ $rc -eq 0 ] || { cat "$OUT/vzsim.stats" >&2; die "vzsim exited with status $rc"; }
vz_sum=$(checksum "$OUT/vzsim.uart")
vz_mips=$(awk '/MIPS \(wall\)/ { print $NF }' "$OUT/vzsim.stats")
vz_secs=$(awk '/wall time/ { print $(NF-1) }' "$OUT/vzsim.stats")
vz_insns=$(awk '$1 == "instructions" { print $2 }' "$OUT/vzsim.stats")
[ -n "$vz_sum" ] && [ -n "$vz_mips" ] || die "no checksum or MIPS from vzsim"

# ------------------------------------------------------------------ QEMU
# vzsim against QEMU, both timed the same way: whole processes, wall
# clock, over two lengths of the loop (ITERATIONS and LONG_FACTOR times
# that), and the speed is the difference of the instructions over the
# difference of the times, so that each side's start-up (process, image
# load, QEMU's machine set-up) cancels out instead of being measured once
# and subtracted.  REPS pairs, vzsim then QEMU back to back; the medians
# and spreads are shown, and the ratio is the median of the pairs'.
QEMU=qemu-system-mipsel
REPS=${BENCH_REPS:-5}
LONG_FACTOR=3
# shellcheck disable=SC2086
${CROSS}gcc $CFLAGS $LDFLAGS -DITERATIONS=$((iters * LONG_FACTOR)) -T $LD $SRC \
	-o "$OUT/lcg-long.elf" || die "build failed"
long_insns=$((loop_len * iters * LONG_FACTOR))
qemu_run() {
	# -nic none -vga none: no option ROMs needed (see scripts/run-diff.sh).
	timeout 600 $QEMU -M malta -cpu 24Kc -m 256 -nic none -vga none -display none -no-reboot \
		-monitor none -serial stdio -kernel "$1" < /dev/null > "$2" 2>&1
}
vzsim_run() { "$VZSIM" "$1" > "$2" 2>&1; }
# wall RUNNER ELF UART: seconds of one whole run, or dies.
wall() {
	local t0 t1
	t0=$(now)
	"$1" "$2" "$3" || die "$1 $2 exited with status $?: $(tail -1 "$3")"
	t1=$(now)
	secs "$t0" "$t1"
}
# rate RUNNER NAME: one speed in M insn/s; checks the checksum against
# vzsim's.
rate() {
	local short long
	short=$(wall "$1" "$OUT/lcg.elf" "$OUT/$2-short.uart") || exit 1
	long=$(wall "$1" "$OUT/lcg-long.elf" "$OUT/$2-long.uart") || exit 1
	[ "$(checksum "$OUT/$2-short.uart")" = "$vz_sum" ] ||
		die "$2: checksum $(checksum "$OUT/$2-short.uart"), vzsim's $vz_sum"
	awk -v n=$((long_insns - insns)) -v s="$short" -v l="$long" \
		'BEGIN { d = l - s; printf "%.1f\n", (d > 0.001 ? n / d / 1e6 : 0) }'
}
# pairs: REPS lines "VZSIM QEMU RATIO", vzsim and QEMU measured one
# right after the other each time, so that a machine whose speed drifts
# (a shared host) moves both sides of a pair alike.
pairs() {
	local i v q
	for i in $(seq "$REPS"); do
		v=$(rate vzsim_run vzsim) || exit 1
		q=$(rate qemu_run qemu) || exit 1
		awk -v v="$v" -v q="$q" 'BEGIN { printf "%s %s %.3f\n", v, q, (q > 0 ? v / q : 0) }'
	done
}
# stats: "median min max" of numbers, one a line.
stats() { sort -n | awk '{ v[NR] = $1 } END { printf "%s %s %s\n", v[int((NR + 1) / 2)], v[1], v[NR] }'; }

have_qemu=0
if command -v $QEMU > /dev/null; then
	have_qemu=1
	pairs > "$OUT/pairs.txt" || exit 1
	read -r v_med v_min v_max < <(cut -d' ' -f1 "$OUT/pairs.txt" | stats)
	read -r q_med q_min q_max < <(cut -d' ' -f2 "$OUT/pairs.txt" | stats)
	read -r r_med r_min r_max < <(cut -d' ' -f3 "$OUT/pairs.txt" | stats)
	[ -n "$q_med" ] && [ -n "$v_med" ] || die "no speeds measured"
	[ "$(checksum "$OUT/qemu-long.uart")" = "$(checksum "$OUT/vzsim-long.uart")" ] ||
		die "the long runs' checksums differ: QEMU $(checksum "$OUT/qemu-long.uart"), vzsim $(checksum "$OUT/vzsim-long.uart")"
fi

# ----------------------------------------------------------------- table
echo
printf '%-22s %14s %9s %10s  %s\n' simulator instructions seconds "M insn/s" checksum
printf '%-22s %14s %9s %10s  %s\n' "vzsim" "$vz_insns" "$vz_secs" "$vz_mips" "$vz_sum"
echo "(vzsim --stats: its own run loop, start-up left out)"
echo "machine: $(nproc) cores, $(sed -n 's/^model name[ \t]*: //p' /proc/cpuinfo | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ $have_qemu -eq 1 ]; then
	echo
	echo "whole processes, $insns and $long_insns instructions, speed from the difference; $REPS times:"
	printf '%-22s %10s %21s\n' simulator "M insn/s" "spread (min..max)"
	printf '%-22s %10s %21s\n' "vzsim" "$v_med" "$v_min..$v_max"
	printf '%-22s %10s %21s\n' "QEMU 7 (malta, 24Kc)" "$q_med" "$q_min..$q_max"
	# The ratio of each pair, measured back to back: its median, and
	# its spread, which says how steady the machine was.
	ratio=$(awk -v r="$r_med" 'BEGIN { printf "%.2f", r }')
	spread=$(awk -v a="$r_min" -v b="$r_max" 'BEGIN { printf "%.2f..%.2f", a, b }')
	verdict=$(awk -v r="$ratio" -v g="$GOAL" 'BEGIN { print (r >= g) ? "met" : "NOT met" }')
	echo
	echo "vzsim/QEMU speed ratio: $ratio, the median of $REPS back-to-back pairs (spread $spread; goal >= $GOAL: $verdict)"
else
	echo
	echo "QEMU not installed: no ratio (goal: vzsim/QEMU >= $GOAL)"
fi

# ------------------------------------------------------------ trace on
# The same run with the PDtrace unit on, streaming to a trace file.
"$VZSIM" --stats --trace "$OUT/lcg.vzt" "$OUT/lcg.elf" > "$OUT/trace.uart" 2> "$OUT/trace.stats" \
	|| die "vzsim (trace on) failed: $(cat "$OUT/trace.stats")"
t_mips=$(awk '/MIPS \(wall\)/ { print $NF }' "$OUT/trace.stats")
t_secs=$(awk '/wall time/ { print $(NF-1) }' "$OUT/trace.stats")
t_words=$(awk '$1 == "trace" && $2 == "words" { print $3 }' "$OUT/trace.stats")
tr=$(awk -v t="$t_mips" -v r="$vz_mips" 'BEGIN { printf "%.2f", t / r }')
tverdict=$(awk -v r="$tr" 'BEGIN { print (r >= 0.5) ? "met" : "NOT met" }')
echo
printf '%-22s %14s %9s %10s  %s\n' "vzsim, trace on" "$vz_insns" "$t_secs" "$t_mips" "$t_words words"
echo "trace on/off speed ratio: $tr (goal >= 0.5: $tverdict); $(awk -v w="$t_words" -v n="$vz_insns" 'BEGIN { printf "%.3f", w * 64 / n }') trace bits per instruction"

# ------------------------------------------------------------ guest mode (VZ)
# The same loop in guest user mode, through both translation stages, and
# the cost of a hypercall round trip in simulated instructions.
GSRC=bench/lcg_guest.S
GLD=bench/guest.ld
# shellcheck disable=SC2086
${CROSS}gcc $CFLAGS $LDFLAGS -T $GLD $GSRC -o "$OUT/lcg_guest.elf" || die "build failed"
"$VZSIM" --stats "$OUT/lcg_guest.elf" > "$OUT/guest.uart" 2> "$OUT/guest.stats" \
	|| die "vzsim (guest) failed: $(cat "$OUT/guest.stats")"
g_sum=$(checksum "$OUT/guest.uart")
g_mips=$(awk '/MIPS \(wall\)/ { print $NF }' "$OUT/guest.stats")
g_secs=$(awk '/wall time/ { print $(NF-1) }' "$OUT/guest.stats")
g_insns=$(awk '$1 == "guest" && $2 == "instructions" { print $3 }' "$OUT/guest.stats")
[ "$g_sum" = "$vz_sum" ] || die "guest checksum $g_sum differs from root's $vz_sum"
pings() {
	# shellcheck disable=SC2086
	${CROSS}gcc $CFLAGS $LDFLAGS -T $GLD $GSRC -DITERATIONS=1 -DPINGS=$1 \
		-o "$OUT/ping-$1.elf" || die "build failed"
	"$VZSIM" --stats "$OUT/ping-$1.elf" 2>&1 >/dev/null | awk '$1 == "instructions" { print $2 }'
}
p1=$(pings 1000) p2=$(pings 101000)
rt=$(awk -v a="$p1" -v b="$p2" 'BEGIN { printf "%.1f", (b - a) / 100000 }')
gr=$(awk -v g="$g_mips" -v r="$vz_mips" 'BEGIN { printf "%.2f", g / r }')
gverdict=$(awk -v r="$gr" 'BEGIN { print (r >= 0.8) ? "met" : "NOT met" }')
echo
printf '%-22s %14s %9s %10s  %s\n' "vzsim, guest user (VZ)" "$g_insns" "$g_secs" "$g_mips" "$g_sum"
echo "guest/root speed ratio: $gr (goal >= 0.8: $gverdict)"
echo "hypercall round trip: $rt simulated instructions (guest hypcall loop + root exit handler + eret)"
# A soak: the shrinking-page scenario with the hypervisor's fix on, so it
# runs its whole length: four stress guests (crashme, the memory worker),
# TLB exceptions, world switches and ASID changes every few hundred
# instructions, the other end of the spectrum from the loop above.
SOAK_INSNS=500M
# soak_rate: M insn/s of one run, timed as a whole process (the summary's
# own wall time has a tenth of a second's resolution).
soak_rate() {
	local t0 t1 n
	t0=$(now)
	"$BUILD/bin/vzsoak" run stress/scenarios/shrinking-page.scn --set preserve=on \
		--set duration=$SOAK_INSNS --quiet --out "$OUT/soak" > "$OUT/soak.sum" 2>&1 ||
		die "vzsoak failed: $(tail -1 "$OUT/soak.sum")"
	t1=$(now)
	n=$(sed -n -E 's/^result: clean \(([0-9]+) instructions.*/\1/p' "$OUT/soak.sum")
	awk -v n="$n" -v s="$(secs "$t0" "$t1")" 'BEGIN { printf "%.1f\n", (s > 0 ? n / s / 1e6 : 0) }'
}
read -r soak_med soak_min soak_max < <(for i in $(seq "$REPS"); do soak_rate || exit 1; done | stats)
[ -n "$soak_med" ] || exit 1
soak_insns=$(sed -n -E 's/^result: clean \(([0-9]+) instructions.*/\1/p' "$OUT/soak.sum")
soak_exc=$(awk '$1 ~ /^g[0-9]$/ && $2 == "stress" { n += $8 + $9 + $10 + $11 } END { print n }' "$OUT/soak.sum")
echo
printf '%-22s %14s %10s %21s  %s\n' "vzsoak, 4-guest soak" "$soak_insns" "$soak_med" "$soak_min..$soak_max" \
	"$soak_exc guest TLB exceptions; $REPS runs, median and spread"
# Against the loop in the same run: whole-process vzsim speed with QEMU
# there, else vzsim's own figure.
loop_rate=${v_med:-$vz_mips}
sl=$(awk -v s="$soak_med" -v l="$loop_rate" 'BEGIN { printf "%.2f", (l > 0 ? s / l : 0) }')
slverdict=$(awk -v r="$sl" -v s="$soak_med" 'BEGIN { print (r >= 0.6 && s >= 320) ? "met" : "NOT met" }')
echo "soak/loop speed ratio: $sl (goal >= 0.6 and soak >= 320 M insn/s: $slverdict)"
# ------------------------------------------------------------ vzsoak soak
# Many seeds as child processes, the way an overnight soak runs them: the
# same scenario and fix over a fixed set of seeds and a fixed duration, so
# every run does the same amount of work and -j 1 against -j 2 measures
# the farm's scaling, not the seeds'.  Figures come from the soak's own
# soak.json (runs, instructions) and the wall time around the command.
SOAK_SEEDS=1-8
# Runs long enough that the farm's scaling, not one run's start-up or
# the machine's moment, is what -j 2 against -j 1 measures.
SOAK_RUN=300M
SOAK_TINY=1M
# soak_time J DURATION DIR: runs the soak, prints "WALL RUNS INSTRUCTIONS".
soak_time() {
	local t0 t1 js runs ins
	rm -rf "$3"
	t0=$(now)
	"$BUILD/bin/vzsoak" soak stress/scenarios/shrinking-page.scn --seeds $SOAK_SEEDS \
		-j "$1" --set preserve=on --set duration="$2" --quiet --out "$3" \
		> "$3.log" 2>&1 || die "vzsoak soak -j $1 failed: $(tail -1 "$3.log")"
	t1=$(now)
	js=$3/soak.json
	runs=$(sed -n 's/^ *"runs": \([0-9]*\).*/\1/p' "$js")
	ins=$(sed -n 's/^ *"instructions": \([0-9]*\).*/\1/p' "$js")
	[ -n "$runs" ] && [ -n "$ins" ] || die "no runs or instructions in $js"
	echo "$(secs "$t0" "$t1") $runs $ins"
}
# soak_row LABEL WALL RUNS INSTRUCTIONS: a table row, runs a minute last.
soak_row() {
	printf '%-22s %14s %9s %10s  %s\n' "$1" "$4" "$2" \
		"$(awk -v n="$4" -v s="$2" 'BEGIN { printf "%.1f", n / s / 1e6 }')" \
		"$(awk -v r="$3" -v s="$2" 'BEGIN { printf "%.1f", r * 60 / s }') runs/min"
}
# die in soak_time ends only its subshell: an empty answer ends the bench.
soak1=$(soak_time 1 $SOAK_RUN "$OUT/soak-j1") && [ -n "$soak1" ] || exit 1
soak2=$(soak_time 2 $SOAK_RUN "$OUT/soak-j2") && [ -n "$soak2" ] || exit 1
soakt=$(soak_time 1 $SOAK_TINY "$OUT/soak-tiny") && [ -n "$soakt" ] || exit 1
read -r s1_secs s1_runs s1_ins <<< "$soak1"
read -r s2_secs s2_runs s2_ins <<< "$soak2"
read -r st_secs st_runs st_ins <<< "$soakt"
echo
soak_row "vzsoak soak -j 1" "$s1_secs" "$s1_runs" "$s1_ins"
soak_row "vzsoak soak -j 2" "$s2_secs" "$s2_runs" "$s2_ins"
echo "(seeds $SOAK_SEEDS of shrinking-page.scn, preserve=on, $SOAK_RUN instructions a run)"
# Scaling: -j 2 should nearly halve the wall time, but only where there
# are two cores to run on; on one core the goal is not to lose ground.
cores=$(nproc)
sj=$(awk -v a="$s1_secs" -v b="$s2_secs" 'BEGIN { printf "%.2f", a / b }')
if [ "$cores" -ge 2 ]; then sgoal=1.6 sgtext="goal >= 1.6 on $cores cores"
else sgoal=0.9 sgtext="goal >= 0.9 on 1 core"; fi
sverdict=$(awk -v r="$sj" -v g="$sgoal" 'BEGIN { print (r >= g) ? "met" : "NOT met" }')
echo "soak -j 2 / -j 1: ${sj}x ($sgtext: $sverdict)"
# Harness overhead: a run of $SOAK_TINY instructions is almost all fixed
# cost (fork and exec, scenario and image load, the run folder, the
# journal and index rewrite), less its own simulated instructions at the
# -j 1 speed; compared with a whole $SOAK_RUN-instruction run at -j 1.
read -r ov_ms ov_pct <<< "$(awk -v ts="$st_secs" -v tr="$st_runs" -v ti="$st_ins" \
	-v s="$s1_secs" -v r="$s1_runs" -v i="$s1_ins" 'BEGIN {
	per_run = s / r; sim = ti / (i / s); fixed = (ts - sim) / tr
	if (fixed < 0) fixed = 0
	printf "%.0f %.1f", fixed * 1000, fixed / per_run * 100 }')"
echo "harness overhead per run: $ov_ms ms ($ov_pct% of a $SOAK_RUN-instruction run)"
rm -rf "$OUT/soak-j1" "$OUT/soak-j2" "$OUT/soak-tiny" "$OUT"/soak-*.log
# vzsoak report: the bug report of a flagged shrinking-page run (both
# fixes off, seed 5), its replays, the detectors and the story
# included; the run itself is not counted.
"$BUILD/bin/vzsoak" run stress/scenarios/shrinking-page.scn --quiet --out "$OUT/report-run" \
	> /dev/null 2>&1
[ $? -eq 1 ] || die "the shrinking-page run was not flagged"
t0=$(now)
"$BUILD/bin/vzsoak" report "$OUT/report-run" --quiet || die "vzsoak report failed"
t1=$(now)
echo "vzsoak report of a flagged shrinking-page run: $(secs "$t0" "$t1") s (the replays to $(sed -n 's/^run: \([0-9]*\) instructions.*/\1/p' "$OUT/report-run/summary.txt") instructions included)"
rm -rf "$OUT/report-run"
# libpdtrace: encoder and decoder speed on a synthetic 10^9-instruction trace.
scripts/bench-pdtrace.sh "$BUILD"
# JTAG through Debian's OpenOCD: scans, memory and TCB reads, status checks.
scripts/bench-jtag.sh "$BUILD"
exit 0
