	mkdir -p "$D"/{state,spool,log} || die "$D: cannot create"
#!/bin/bash
# A one-node Slurm cluster on this machine, in a folder of its own, without
# systemd: to try scripts/slurm-soak.sh before a real cluster, and for the
# `slurm` test step.  Needs root (the daemons), Debian's slurm-wlm and munge
# (make deps).
#
#   scripts/slurm-local.sh start DIR [--cpus N]   starts munged, slurmctld and
#                                                 slurmd; prints the
#                                                 `export SLURM_CONF=...` line
#   scripts/slurm-local.sh stop DIR               stops them (by their PIDs)
#
# Everything lives in DIR (config, state, spool, logs) but munged's socket,
# log and pid, in a folder of the munge user's under /tmp (DIR/munge.dir
# names it; removed at stop), and munge's key, /etc/munge/munge.key, made
# (and removed again at stop) only if the machine has none.  The ports are free
# ones found at start, so this cluster never clashes with another one.
# docs/soak.md, "Slurm", has the details.
set -u

die() {
	echo "slurm-local: $*" >&2
	exit 2
}

usage() {
	echo "usage: $0 start DIR [--cpus N] | stop DIR" >&2
	exit 2
}

KEY=/etc/munge/munge.key

# wait_for SECONDS CMD...: polls CMD every 0.2 s; 0 once it succeeds.
wait_for() {
	local n=$(($1 * 5))
	shift
	while [ $n -gt 0 ]; do
		"$@" > /dev/null 2>&1 && return 0
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}

# port_free PORT: nothing listens on 127.0.0.1:PORT.
port_free() {
	! (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null
}

# free_port FROM: the first free port at FROM or above.
free_port() {
	local p=$1
	while ! port_free "$p"; do
		p=$((p + 1))
	done
	echo "$p"
}

# stop_pid FILE NAME: SIGTERM to the PID in FILE, SIGKILL after 10 s.
stop_pid() {
	local pid
	[ -s "$1" ] || return 0
	pid=$(cat "$1")
	if kill -0 "$pid" 2> /dev/null; then
		kill -TERM "$pid" 2> /dev/null
		if ! wait_for 10 sh -c "! kill -0 $pid"; then
			echo "slurm-local: $2 (pid $pid) ignored SIGTERM: killed" >&2
			kill -KILL "$pid" 2> /dev/null
		fi
	fi
	rm -f "$1"
}

cmd_stop() {
	local d=$1
	[ -d "$d" ] || die "$d: no such folder"
	stop_pid "$d/slurmd.run" slurmd
	stop_pid "$d/slurmctld.run" slurmctld
	local m
	m=$(cat "$d/munge.dir" 2> /dev/null)
	if [ -n "$m" ]; then
		stop_pid "$m/munged.pid" munged
		rm -rf "$m"
		rm -f "$d/munge.dir"
	fi
	if [ -f "$d/made-munge-key" ]; then
		rm -f "$KEY" "$d/made-munge-key"
	fi
}

# started NAME PID LOG: the daemon is still running, or its log's last lines.
started() {
	kill -0 "$2" 2> /dev/null && return 0
	echo "slurm-local: $1 exited at start; $3 says:" >&2
	tail -5 "$3" >&2
	cmd_stop "$D"
	exit 1
}

cmd_start() {
	local cpus host sock ctld_port slurmd_port
	cpus=$(nproc)
	while [ $# -gt 0 ]; do
		case $1 in
		--cpus)
			[ $# -ge 2 ] || die "--cpus needs a value"
			case $2 in '' | *[!0-9]* | 0) die "--cpus '$2': want a count of CPUs" ;; esac
			cpus=$2
			shift 2
			;;
		*) die "unknown option '$1'" ;;
		esac
	done
	[ "$(id -u)" -eq 0 ] || die "must run as root (it starts the Slurm daemons)"
	for t in munged mungekey munge unmunge slurmctld slurmd scontrol sinfo runuser; do
		command -v "$t" > /dev/null || die "$t: not found (make deps installs slurm-wlm and munge)"
	done
	getent passwd munge > /dev/null || die "no user 'munge' (is the munge package installed?)"
	[ -e "$D/slurm.conf" ] && die "$D: holds a cluster already (stop it, or another folder)"
	mkdir -p "$D"/{state,spool,log} || die "$D: cannot create"
	D=$(cd "$D" && pwd)
	# munged runs as munge: its socket, log, pid and seed go in a folder
	# munge owns under /tmp, which it can reach wherever D is (a folder
	# under /root is closed to it).
	M=$(mktemp -d /tmp/vzsoak-munge.XXXXXX) || die "/tmp: cannot make a folder for munged"
	echo "$M" > "$D/munge.dir"
	chmod 0755 "$M"
	chown munge:munge "$M"
	if [ ! -e "$KEY" ]; then
		mkdir -p "$(dirname "$KEY")"
		mungekey --create --keyfile="$KEY" || die "$KEY: cannot create"
		chown munge:munge "$KEY"
		chmod 0400 "$KEY"
		: > "$D/made-munge-key"
	fi
	sock=$M/munge.socket
	runuser -u munge -- munged --socket="$sock" --key-file="$KEY" \
		--pid-file="$M/munged.pid" --log-file="$M/munged.log" \
		--seed-file="$M/munged.seed" ||
		{ cmd_stop "$D"; die "munged did not start: $(tail -1 "$M/munged.log" 2> /dev/null)"; }
	wait_for 10 sh -c "munge -n --socket='$sock' | unmunge --socket='$sock'" ||
		{ cmd_stop "$D"; die "munged does not answer on $sock"; }

	host=$(hostname -s)
	ctld_port=$(free_port 16817)
	slurmd_port=$(free_port $((ctld_port + 1)))
	# proctrack/linuxproc and task/none: no cgroups (a container has none to
	# give); 127.0.0.1 everywhere: the host name need not resolve.
	cat > "$D/slurm.conf" << EOF
ClusterName=vzsoak-local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
MaxArraySize=1001
MailProg=/bin/true
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Default=YES Nodes=ALL MaxTime=INFINITE State=UP
EOF
	export SLURM_CONF=$D/slurm.conf
	# In the foreground, started in the background: their real PIDs.
	slurmctld -D -c -f "$SLURM_CONF" > "$D/log/slurmctld.out" 2>&1 < /dev/null &
	echo $! > "$D/slurmctld.run"
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		started slurmctld "$(cat "$D/slurmctld.run")" "$D/log/slurmctld.log"
		scontrol ping 2> /dev/null | grep -q UP && break
		sleep 0.5
	done
	scontrol ping 2> /dev/null | grep -q UP ||
		{ cmd_stop "$D"; die "slurmctld does not answer ($D/log/slurmctld.log)"; }
	slurmd -D -N "$host" -f "$SLURM_CONF" > "$D/log/slurmd.out" 2>&1 < /dev/null &
	echo $! > "$D/slurmd.run"
	for _ in $(seq 40); do
		started slurmd "$(cat "$D/slurmd.run")" "$D/log/slurmd.log"
		[ "$(sinfo -h -N -o %t 2> /dev/null)" = idle ] && break
		sleep 0.25
	done
	[ "$(sinfo -h -N -o %t 2> /dev/null)" = idle ] ||
		{ cmd_stop "$D"; die "the node is not idle: $(sinfo -h -N -o '%t %E' 2>&1)"; }
	echo "export SLURM_CONF=$SLURM_CONF"
}

[ $# -ge 2 ] || usage
CMD=$1 D=$2
shift 2
case $CMD in
start) cmd_start "$@" ;;
stop)
	[ $# -eq 0 ] || usage
	cmd_stop "$D"
	;;
*) usage ;;
esac
