#!/bin/bash
# A vzsoak soak as a Slurm job array: task K of N runs
#   vzsoak soak SOAK-ARGS --shard K/N -j CPUS --out DIR/shard-K
# and a last job, queued behind the array, merges the shards into DIR/soak
# (vzsoak merge): the folder to read in the morning.  docs/soak.md, "Slurm".
#
#   scripts/slurm-soak.sh --out DIR [options] -- SCENARIO... (--seeds A-B | --hours H) [soak options]
#
# options (before the --):
#   --out DIR       the soak's folder, on a file system every node sees
#   --tasks N       array tasks, one shard each (default 4)
#   --cpus C        CPUs per task: each shard runs -j C (default 1)
#   --vzsoak FILE   the vzsoak executable (default build/bin/vzsoak beside
#                   this script); every node must be able to run it
#   --resume        submit again: shards that exist continue (--resume), the
#                   merge is made anew; the soak options must be the same
#   --wait          wait for the merge and exit with its status
#   --sbatch ARG    pass ARG to both sbatch commands (repeatable), e.g.
#                   --sbatch --partition=soak --sbatch --time=9:00:00
#
# The soak options are vzsoak soak's, less those this script sets (--out,
# --shard, --resume, -j, --quiet).  Before anything is queued, every
# shard's options are checked on this machine with `vzsoak soak --check`,
# so bad input is one line and exit status 2 here, not N failed tasks.
#
# DIR/slurm/ holds the two batch scripts, the job IDs (jobs), one log per
# task (shard-K.out) and its vzsoak status (shard-K.status), merge.out.
# Exit status: 0 queued (with --wait: the merge's status, 0 clean, 1 some
# run flagged; 5 when a shard did not finish: its runs so far are merged,
# --resume finishes it); 2 bad input; 69 sbatch failed.
set -u

me=slurm-soak
die() {
	echo "$me: $*" >&2
	exit 2
}

# quote ARG...: the arguments as one line of shell words.
quote() {
	local out="" a
	for a in "$@"; do
		out+=" $(printf '%q' "$a")"
	done
	echo "${out# }"
}

OUT="" TASKS=4 CPUS=1 RESUME=0 WAIT=0
VZSOAK=$(cd "$(dirname "$0")/.." && pwd)/build/bin/vzsoak
SBATCH=()
while [ $# -gt 0 ]; do
	case $1 in
	--out | --tasks | --cpus | --vzsoak | --sbatch)
		[ $# -ge 2 ] || die "option '$1' needs a value (see the top of $0)"
		case $1 in
		--out) OUT=$2 ;;
		--tasks) TASKS=$2 ;;
		--cpus) CPUS=$2 ;;
		--vzsoak) VZSOAK=$2 ;;
		--sbatch) SBATCH+=("$2") ;;
		esac
		shift 2
		;;
	--resume) RESUME=1 && shift ;;
	--wait) WAIT=1 && shift ;;
	--) shift && break ;;
	*) die "unknown option '$1' (the soak's own go after --)" ;;
	esac
done
SOAK=("$@")
[ -n "$OUT" ] || die "where to? (give --out DIR)"
case $TASKS in '' | *[!0-9]* | 0) die "--tasks '$TASKS': want 1 to 1000 tasks" ;; esac
[ "$TASKS" -le 1000 ] || die "--tasks '$TASKS': want 1 to 1000 tasks"
case $CPUS in '' | *[!0-9]* | 0) die "--cpus '$CPUS': want a count of CPUs" ;; esac
[ ${#SOAK[@]} -gt 0 ] || die "no soak to run (give the scenarios and --seeds or --hours after --)"
for a in "${SOAK[@]}"; do
	case $a in
	--out | --out=* | --shard | --shard=* | --resume | -j* | --quiet | --check)
		die "soak option '$a': this script sets it (per shard)" ;;
	esac
done
[ -x "$VZSOAK" ] || die "--vzsoak $VZSOAK: not an executable (make builds build/bin/vzsoak)"
VZSOAK=$(cd "$(dirname "$VZSOAK")" && pwd)/$(basename "$VZSOAK")
for t in sbatch; do
	command -v $t > /dev/null || die "$t: not found (is this a Slurm submit host?)"
done
if [ -e "$OUT/slurm/jobs" ] && [ $RESUME -eq 0 ]; then
	die "--out $OUT: holds a soak already (--resume submits it again)"
fi
if [ $RESUME -eq 1 ] && [ ! -e "$OUT/slurm/jobs" ]; then
	die "--resume: $OUT: no soak there (no slurm/jobs)"
fi
OUT=$(realpath -m "$OUT")

# Every shard as its task will run it, checked here.
runs=""
for k in $(seq "$TASKS"); do
	args=("${SOAK[@]}" --shard "$k/$TASKS" --out "$OUT/shard-$k")
	[ -e "$OUT/shard-$k/soak.conf" ] && args+=(--resume)
	if ! msg=$("$VZSOAK" soak "${args[@]}" --check 2>&1); then
		echo "$msg" >&2
		die "shard $k/$TASKS: the soak options above were refused; nothing queued"
	fi
	if [[ $msg =~ :\ ([0-9]+)\ runs$ ]]; then
		runs=$((runs + BASH_REMATCH[1]))
	fi
done
if [ -n "$runs" ]; then
	echo "$me: checked: $runs runs in $TASKS shards"
else
	echo "$me: checked: $TASKS shards"
fi

mkdir -p "$OUT/slurm" || die "--out $OUT: cannot create"

# With --hours H, a time limit a little over H (unless one is given): the
# soak stops itself at H hours; the limit lets the scheduler plan.
TIME=()
for ((i = 0; i < ${#SOAK[@]}; i++)); do
	if [ "${SOAK[$i]}" = --hours ] && [ $((i + 1)) -lt ${#SOAK[@]} ]; then
		case " ${SBATCH[*]} " in
		*" --time="* | *" -t"*) ;;
		*) TIME=(--time="$(awk -v h="${SOAK[$((i + 1))]}" 'BEGIN { printf "%d", h * 60 + 15.999 }')") ;;
		esac
	fi
done

# The task: its shard, resumed when it is there (a requeued task, or
# --resume), its status kept for the merge.
cat > "$OUT/slurm/shard.sbatch" << EOF
#!/bin/bash
# Task K of the array: shard K/$TASKS of the soak (scripts/slurm-soak.sh).
k=\$SLURM_ARRAY_TASK_ID
shard=$(printf '%q' "$OUT")/shard-\$k
resume=()
[ -e "\$shard/soak.conf" ] && resume=(--resume)
rm -f $(printf '%q' "$OUT")/slurm/shard-\$k.status
$(quote "$VZSOAK") soak $(quote "${SOAK[@]}") --shard "\$k/$TASKS" --out "\$shard" \\
	-j "\${SLURM_CPUS_PER_TASK:-$CPUS}" --quiet "\${resume[@]}"
rc=\$?
echo \$rc > $(printf '%q' "$OUT")/slurm/shard-\$k.status
exit \$rc
EOF

# The merge: every shard that has a soak, into DIR/soak.new, then in place
# of DIR/soak; 5 when a shard is missing or did not finish.  Its status
# goes to slurm/merge.status (what --wait reads: Slurm forgets a job's
# exit code a few minutes after it ends).
cat > "$OUT/slurm/merge.sbatch" << EOF
#!/bin/bash
# Merges the $TASKS shards into $(printf '%q' "$OUT")/soak (scripts/slurm-soak.sh).
cd $(printf '%q' "$OUT") || exit 70
merge() {
	local shards=() missing=() k st rc
	for k in \$(seq $TASKS); do
		st=\$(cat slurm/shard-\$k.status 2> /dev/null)
		case \$st in
		0 | 1) ;;
		*) missing+=("shard-\$k (\${st:+vzsoak status \$st, }see slurm/shard-\$k.out)") ;;
		esac
		[ -e shard-\$k/soak.conf ] && shards+=(shard-\$k)
	done
	if [ \${#shards[@]} -eq 0 ]; then
		echo "merge: no shard has a soak: \${missing[*]}" >&2
		return 5
	fi
	rm -rf soak.new
	$(quote "$VZSOAK") merge --out soak.new "\${shards[@]}"
	rc=\$?
	case \$rc in
	0 | 1) ;;
	*) return \$rc ;;
	esac
	rm -rf soak.old
	[ -e soak ] && mv soak soak.old
	mv soak.new soak && rm -rf soak.old
	echo "merge: \${#shards[@]} of $TASKS shards into $(printf '%q' "$OUT")/soak (index.md)"
	if [ \${#missing[@]} -gt 0 ]; then
		echo "merge: not finished: \${missing[*]}; scripts/slurm-soak.sh --resume finishes them" >&2
		return 5
	fi
	return \$rc
}
rm -f slurm/merge.status
merge
rc=\$?
echo \$rc > slurm/merge.status.tmp && mv slurm/merge.status.tmp slurm/merge.status
exit \$rc
EOF

array=$(sbatch --parsable "${SBATCH[@]}" "${TIME[@]}" --job-name=vzsoak-soak \
	--array="1-$TASKS" --cpus-per-task="$CPUS" --chdir="$PWD" \
	--output="$OUT/slurm/shard-%a.out" "$OUT/slurm/shard.sbatch") ||
	{ echo "$me: sbatch of the array failed" >&2; exit 69; }
array=${array%%;*}
rm -f "$OUT/slurm/merge.status"
merge=$(sbatch --parsable "${SBATCH[@]}" --job-name=vzsoak-merge \
	--dependency="afterany:$array" --chdir="$PWD" \
	--output="$OUT/slurm/merge.out" "$OUT/slurm/merge.sbatch") ||
	{ echo "$me: sbatch of the merge failed (scancel $array?)" >&2; exit 69; }
merge=${merge%%;*}
printf 'array %s\nmerge %s\n' "$array" "$merge" > "$OUT/slurm/jobs.tmp"
mv "$OUT/slurm/jobs.tmp" "$OUT/slurm/jobs"
echo "$me: array job $array ($TASKS tasks, logs in $OUT/slurm/shard-K.out), merge job $merge after it"
if [ $WAIT -eq 0 ]; then
	echo "$me: the soak will be in $OUT/soak (index.md); squeue -j $array,$merge"
	exit 0
fi
# --wait: until the merge has written its status, or its job has left the
# queue without (cancelled); a controller that does not answer for a
# while is waited for.
while [ ! -s "$OUT/slurm/merge.status" ]; do
	q=$(squeue -h -j "$merge" -o %T 2>&1)
	if [ $? -eq 0 ] && [ -z "$q" ]; then
		break
	elif [[ $q == *"Invalid job id"* ]]; then
		break
	fi
	sleep 1
done
cat "$OUT/slurm/merge.out" 2> /dev/null
if [ ! -s "$OUT/slurm/merge.status" ]; then
	echo "$me: the merge job $merge ended without a status (cancelled?): $OUT/slurm/merge.out" >&2
	exit 5
fi
exit "$(cat "$OUT/slurm/merge.status")"
