#!/bin/bash
# Tests of scripts/slurm-soak.sh on a real one-node Slurm cluster that this
# script starts (scripts/slurm-local.sh) and stops: a 4-task array of the
# shrinking-page scenario (and a clean one), merged, must give the same
# runs, titles and counts as the same seeds run by one `vzsoak soak -j`;
# a cancelled array, merged as far as it got, then finished by --resume;
# bad input refused before anything is queued.
#
#   scripts/run-slurm-tests.sh VZSOAK HV_ELF SCENARIO_DIR RESULTS
#
# Needs root and Debian's slurm-wlm and munge (make deps); without them
# every test is a skip that says why (make test-fresh fails on skips).
set -u

# shellcheck source=scripts/results.sh
. "$(dirname "$0")/results.sh"
results_args 4 "VZSOAK HV_ELF SCENARIO_DIR RESULTS" "$@"
VZSOAK=$1 HV=$2 SCNDIR=$3 RESULTS=$4
SCRIPTS=$(cd "$(dirname "$0")" && pwd)
results_begin slurm "$RESULTS"
T=$results_dir/slurm
TESTS="array resume cancelled bad cluster"

# skip_all REASON: every test skipped, the step ends.
skip_all() {
	local t
	for t in $TESTS; do skip "$t" "$1"; done
	results_end
	exit $?
}

[ "$(id -u)" -eq 0 ] || skip_all "needs root (it starts the Slurm daemons)"
for tool in slurmctld slurmd munged sbatch squeue scancel; do
	command -v $tool > /dev/null || skip_all "$tool not found (make deps installs slurm-wlm and munge)"
done

rm -rf "$T"
mkdir -p "$T"
VZSOAK=$(realpath "$VZSOAK") HV=$(realpath "$HV")
SOAK=("$SCNDIR/shrinking-page.scn" "$SCNDIR/soak.scn" --seeds 1-8
	--set duration=20M --hv "$HV")

if ! conf=$("$SCRIPTS/slurm-local.sh" start "$T/cluster" 2> "$T/cluster.stderr"); then
	fail cluster "slurm-local.sh start: $(cat "$T/cluster.stderr")"
	for t in $TESTS; do [ "$t" = cluster ] || skip "$t" "no cluster"; done
	results_end
	exit $?
fi
eval "$conf"
trap '"$SCRIPTS/slurm-local.sh" stop "$T/cluster"' EXIT

# runs FOLDER: each run of the soak's journal without its times (seed,
# scenario, outcome, instructions, instructions to the first flag,
# titles), sorted.
runs() {
	grep -v '^#' "$1/journal" | cut -f1-4,6,8 | sort
}

# counts FOLDER: "COUNT TITLE" of every crash folder, sorted.
counts() {
	local d
	for d in "$1"/crashes/*/; do
		[ -f "$d/count" ] && echo "$(cat "$d/count") $(cat "$d/title")"
	done | sort
}

# same_soak NAME GOT WANT: the soak folder GOT has WANT's runs and crashes.
same_soak() {
	if [ ! -f "$2/journal" ]; then
		fail "$1" "no merged soak in $2"
	elif [ "$(runs "$2")" != "$(runs "$3")" ]; then
		fail "$1" "runs differ from the local soak: $(diff <(runs "$2") <(runs "$3") | head -4)"
	elif [ "$(counts "$2")" != "$(counts "$3")" ]; then
		fail "$1" "crash counts '$(counts "$2")', local '$(counts "$3")'"
	elif ! grep -qx 'shard = 1/1' "$2/soak.conf"; then
		fail "$1" "the merged soak.conf is not shard 1/1"
	else
		return 0
	fi
	return 1
}

# idle SECONDS: nothing queued or running within SECONDS.
idle() {
	local n=$(($1 * 4))
	while [ -n "$(squeue -h 2> /dev/null)" ] && [ $n -gt 0 ]; do
		sleep 0.25
		n=$((n - 1))
	done
	[ -z "$(squeue -h 2> /dev/null)" ]
}

# ------------------------------------------------------------ the same seeds locally
L=$T/local
"$VZSOAK" soak "${SOAK[@]}" -j 2 --quiet --out "$L" > "$T/local.stdout" 2> "$T/local.stderr"
lrc=$?

# ------------------------------------------------------------ a 4-task array
S=$T/array
timeout 300 "$SCRIPTS/slurm-soak.sh" --out "$S" --tasks 4 --vzsoak "$VZSOAK" --wait -- \
	"${SOAK[@]}" > "$T/array.stdout" 2> "$T/array.stderr"
rc=$?
if [ $lrc -ne 1 ]; then
	fail array "the local soak: exit status $lrc, want 1 ($(cat "$T/local.stderr"))"
elif [ $rc -ne 1 ]; then
	fail array "exit status $rc, want 1 (some runs flagged): $(cat "$T/array.stderr" "$S/slurm/merge.out" 2> /dev/null)"
elif ! grep -q 'shrinking page' "$S/soak/index.md"; then
	fail array "the merged index has no shrinking page"
elif same_soak array "$S/soak" "$L"; then
	bad=""
	for k in 1 2 3 4; do
		seeds=$(grep -v '^#' "$S/shard-$k/journal" | cut -f1 | sort -nu | tr '\n' ' ')
		want="$k $((k + 4)) "
		[ $k -eq 4 ] && want="4 8 "
		[ "$seeds" = "$want" ] || bad+=" shard-$k has seeds '$seeds', want '$want';"
		[ "$(cat "$S/slurm/shard-$k.status" 2> /dev/null)" = 1 ] ||
			bad+=" shard-$k.status '$(cat "$S/slurm/shard-$k.status" 2> /dev/null)';"
	done
	if [ -n "$bad" ]; then
		fail array "$bad"
	elif ! grep -q '^array [0-9]' "$S/slurm/jobs" || ! grep -q '^merge [0-9]' "$S/slurm/jobs"; then
		fail array "slurm/jobs: '$(cat "$S/slurm/jobs")'"
	else
		pass array
	fi
fi

# ------------------------------------------------------------ --resume of a finished soak
before=$(cat "$S"/shard-*/journal | md5sum)
timeout 300 "$SCRIPTS/slurm-soak.sh" --resume --out "$S" --tasks 4 --vzsoak "$VZSOAK" --wait -- \
	"${SOAK[@]}" > "$T/resume.stdout" 2> "$T/resume.stderr"
rc=$?
if [ $rc -ne 1 ]; then
	fail resume "exit status $rc, want 1: $(cat "$T/resume.stderr")"
elif [ "$(cat "$S"/shard-*/journal | md5sum)" != "$before" ]; then
	fail resume "a finished shard ran again"
elif [ -e "$S/soak.new" ] || [ -e "$S/soak.old" ]; then
	fail resume "the merge left soak.new or soak.old"
elif same_soak resume "$S/soak" "$L"; then
	pass resume
fi

# ------------------------------------------------------------ cancelled, then resumed
# As an array that hits its time limit: the merge takes what the shards
# finished and says which did not; --resume finishes them.
C=$T/cancelled
"$SCRIPTS/slurm-soak.sh" --out "$C" --tasks 4 --vzsoak "$VZSOAK" -- "${SOAK[@]}" \
	> "$T/cancelled.stdout" 2> "$T/cancelled.stderr"
rc=$?
array=$(sed -n 's/^array //p' "$C/slurm/jobs" 2> /dev/null)
n=0
while [ $n -lt 600 ] && ! grep -qs '^[0-9]' "$C"/shard-*/journal; do
	sleep 0.1
	n=$((n + 1))
done
[ -n "$array" ] && scancel "$array"
if [ $rc -ne 0 ] || [ -z "$array" ]; then
	fail cancelled "submit: exit status $rc: $(cat "$T/cancelled.stderr")"
elif ! idle 120; then
	fail cancelled "jobs still queued 120 s after scancel: $(squeue -h | head -3)"
elif ! grep -q 'not finished: shard-' "$C/slurm/merge.out"; then
	fail cancelled "the merge does not say which shards did not finish: $(cat "$C/slurm/merge.out")"
elif [ "$(cat "$C/slurm/merge.status" 2> /dev/null)" != 5 ]; then
	fail cancelled "merge.status '$(cat "$C/slurm/merge.status" 2> /dev/null)', want 5 (incomplete)"
else
	timeout 300 "$SCRIPTS/slurm-soak.sh" --resume --out "$C" --tasks 4 --vzsoak "$VZSOAK" --wait -- \
		"${SOAK[@]}" > "$T/cancelled-resume.stdout" 2> "$T/cancelled-resume.stderr"
	rc=$?
	if [ $rc -ne 1 ]; then
		fail cancelled "--resume: exit status $rc, want 1: $(cat "$T/cancelled-resume.stderr" "$C/slurm/merge.out")"
	elif same_soak cancelled "$C/soak" "$L"; then
		pass cancelled
	fi
fi

# ------------------------------------------------------------ bad input: nothing queued
# bad NAME WANT-STDERR ARGS...: exit status 2, one line containing
# WANT-STDERR, no job queued, no folder made.
badfail=""
bad() {
	local name=$1 want=$2 out=$T/bad-$1
	shift 2
	"$SCRIPTS/slurm-soak.sh" "$@" > "$out.stdout" 2> "$out.stderr"
	local rc=$? err
	err=$(cat "$out.stderr")
	if [ $rc -ne 2 ]; then
		badfail+=" $name: exit status $rc, want 2 ($err);"
	elif [ "$(wc -l < "$out.stderr")" -ne 1 ] || [[ $err != *"$want"* ]]; then
		badfail+=" $name: stderr '$err', want one line with '$want';"
	elif [ -n "$(squeue -h)" ]; then
		badfail+=" $name: a job was queued;"
	elif [ -e "$T/bad" ]; then
		badfail+=" $name: made $T/bad;"
	fi
}
V=(--vzsoak "$VZSOAK")
bad no-out "give --out" "${V[@]}" -- "${SOAK[@]}"
bad shard "'--shard': this script sets it" --out "$T/bad" "${V[@]}" -- "${SOAK[@]}" --shard 1/2
bad jobs "'-j2': this script sets it" --out "$T/bad" "${V[@]}" -- "${SOAK[@]}" -j2
bad tasks "--tasks '0'" --out "$T/bad" --tasks 0 "${V[@]}" -- "${SOAK[@]}"
bad no-soak "no soak to run" --out "$T/bad" "${V[@]}"
bad option "unknown option '--seeds'" --out "$T/bad" "${V[@]}" --seeds 1-8
bad vzsoak "not an executable" --out "$T/bad" --vzsoak "$T/none" -- "${SOAK[@]}"
bad resume-none "no soak there" --resume --out "$T/bad" "${V[@]}" -- "${SOAK[@]}"
bad again "holds a soak already" --out "$S" "${V[@]}" -- "${SOAK[@]}"
# vzsoak's own refusal is its line, then the script's: two lines.
"$SCRIPTS/slurm-soak.sh" --out "$T/bad" "${V[@]}" -- "${SOAK[@]}" --set duration=x \
	> "$T/bad-set.stdout" 2> "$T/bad-set.stderr"
rc=$?
if [ $rc -ne 2 ] || ! grep -q "duration: 'x'" "$T/bad-set.stderr" ||
	! grep -q 'nothing queued' "$T/bad-set.stderr" || [ -e "$T/bad" ]; then
	badfail+=" set: exit status $rc: $(cat "$T/bad-set.stderr");"
fi
# --resume with other options than the shards': vzsoak --check refuses.
"$SCRIPTS/slurm-soak.sh" --resume --out "$S" --tasks 4 "${V[@]}" -- "${SOAK[@]}" --set seed=3 \
	> "$T/bad-other.stdout" 2> "$T/bad-other.stderr"
rc=$?
if [ $rc -ne 2 ] || ! grep -q 'made by another soak' "$T/bad-other.stderr"; then
	badfail+=" other: exit status $rc: $(cat "$T/bad-other.stderr");"
fi
if [ -n "$badfail" ]; then
	fail bad "$badfail"
else
	pass bad
fi

# ------------------------------------------------------------ the cluster stops
trap - EXIT
mdir=$(cat "$T/cluster/munge.dir" 2> /dev/null)
pids=$(cat "$T"/cluster/slurmd.run "$T"/cluster/slurmctld.run "$mdir/munged.pid" 2> /dev/null)
"$SCRIPTS/slurm-local.sh" stop "$T/cluster" 2> "$T/stop.stderr"
alive=""
for p in $pids; do
	kill -0 "$p" 2> /dev/null && alive+=" $p"
done
if [ -z "$pids" ]; then
	fail cluster "no daemon PIDs recorded"
elif [ -n "$alive" ]; then
	fail cluster "still running after stop:$alive"
else
	pass cluster
fi
results_end
