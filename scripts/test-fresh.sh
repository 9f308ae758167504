#!/bin/bash
# make test-fresh: the README's two commands on a fresh Debian 12.
#
#   scripts/test-fresh.sh            (as root; BUILD=build by default)
#
# The README promises that `make run` and `make test` do all their set-up
# on a fresh Debian 12 through `make deps`.  A developer's machine or a CI
# runner already has most packages, which hides a missing install step, so
# this builds a minimal Debian 12 root (debootstrap --variant=minbase plus
# only git and make, the README's premise), clones the checkout's HEAD
# into it and runs the two commands there, as the README states them.
# Nothing the project needs is installed in the root beforehand: if
# something is missing, scripts/deps.sh (or the script that needs it) is
# what must change.  docs/testing-fresh.md says how to read the output.
#
# Exit status: 0 both commands passed, 1 one failed (or make test skipped
# tests, which on a fresh machine means something was not installed),
# 2 the root could not be set up, 130 and up interrupted.
#
# Files, in $BUILD/fresh/: root/ (removed at the end, also when
# interrupted), setup.log, make-run.log, make-test.log, test-results/
# (make test's results inside the root, without files of 1 MB or more).  $BUILD/fresh-cache/ keeps a
# tarball of the pristine root (minbase + git + make, nothing of the
# project), keyed by the day and what goes into it, and the .debs apt
# downloaded, so that a second run the same day skips debootstrap and the
# downloads; every run still unpacks a new root from the pristine tarball.
#
# Environment: FRESH_MIRROR (default: the host apt's Debian mirror),
# FRESH_TIMEOUT (minutes each command may take, default 60),
# FRESH_NO_CACHE=1 (build the root from scratch).
set -u

SUITE=bookworm
# What a user of a fresh machine has besides minbase.
BASE_PKGS="git make"
# The README's two commands, in its order.
COMMANDS=("make run" "make test")

REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$REPO/$BUILD ;; esac
WORK=$BUILD/fresh
ROOTFS=$WORK/root
CACHE=$BUILD/fresh-cache
LOCK=$BUILD/.fresh.lock
TIMEOUT_MIN=${FRESH_TIMEOUT:-60}
# Where the clone lives inside the root.
SRC=/root/vzsoak

say() { echo "test-fresh: $*"; }
die() { echo "test-fresh: $*" >&2; exit 2; }

# mmss SECONDS: "12m05s".
mmss() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

# ------------------------------------------------------------ preconditions
[ "$(id -u)" -eq 0 ] || die "must run as root (it mounts and chroots); try: sudo make test-fresh"
for tool in debootstrap unshare setpriv chroot findmnt mount umount git tar flock; do
	command -v "$tool" > /dev/null 2>&1 ||
		die "$tool not found (make deps installs debootstrap; the others are in Debian's base)"
done
# Paths are compared with findmnt's output, which escapes blanks.
case $ROOTFS in *[[:space:]]*) die "the build folder's path has blanks: $ROOTFS" ;; esac
git -C "$REPO" rev-parse --verify -q HEAD > /dev/null || die "$REPO has no commit to test"

mkdir -p "$WORK" "$CACHE" || die "cannot create $WORK"
# Two runs in one build folder would unmount each other's root.
exec 9> "$LOCK" || die "cannot open $LOCK"
flock -n 9 || die "another make test-fresh is running in $BUILD (lock $LOCK)"

# ------------------------------------------------------------ mounts, processes
# mounts_under DIR: the mount points at or below DIR, deepest first.
mounts_under() {
	findmnt -rn -o TARGET | while IFS= read -r m; do
		m=$(printf '%b' "$m")	# findmnt -r writes a blank as \x20
		case $m in "$1" | "$1"/*) echo "$m" ;; esac
	done | sort -r
}

# kill_rooted DIR: kills every process whose root is DIR or below it (the
# chroot's processes); they keep mounts busy.  Normally none is left: each
# command runs as PID 1 of its own PID namespace, which dies with it.
kill_rooted() {
	local p r _
	for _ in 1 2 3 4 5; do
		local found=0
		for p in /proc/[0-9]*; do
			r=$(readlink "$p/root" 2>/dev/null) || continue
			case $r in "$1" | "$1"/*) kill -KILL "${p#/proc/}" 2>/dev/null && found=1 ;; esac
		done
		[ $found -eq 0 ] && return 0
		sleep 1
	done
}

# unmount_under DIR: unmounts everything at or below DIR; 0 if none is left.
unmount_under() {
	local m _
	for _ in 1 2 3 4 5; do
		[ -z "$(mounts_under "$1")" ] && return 0
		while IFS= read -r m; do
			umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
		done < <(mounts_under "$1")
	done
	[ -z "$(mounts_under "$1")" ]
}

# remove_root: the root, only once nothing is mounted in it (rm must never
# reach the host's /dev or /sys through a bind mount; --one-file-system is
# the second guard).
remove_root() {
	[ -e "$ROOTFS" ] || return 0
	if [ -n "$(mounts_under "$ROOTFS")" ]; then
		echo "test-fresh: still mounted, $ROOTFS NOT removed:" >&2
		mounts_under "$ROOTFS" | sed 's/^/  /' >&2
		return 1
	fi
	rm -rf --one-file-system "$ROOTFS"
}

# A previous run killed before its clean-up (SIGKILL, power loss) may have
# left its mounts and root; the lock says it is not running any more.
leftover=$(mounts_under "$WORK")
if [ -n "$leftover" ]; then
	say "a previous run left mounts under $WORK; unmounting them:"
	mounts_under "$WORK" | sed 's/^/  /'
	kill_rooted "$ROOTFS"
	unmount_under "$WORK" ||
		die "could not unmount them; see docs/testing-fresh.md (cleaning up by hand)"
fi
remove_root || exit 2

# ------------------------------------------------------------ clean-up trap
CHILD=""	# the running command (its PID namespace's parent)
SLEEPER=""
# shellcheck disable=SC2317 # cleanup and interrupted run from the traps
cleanup() {
	local rc=$?
	trap '' INT TERM HUP
	[ -n "$SLEEPER" ] && kill "$SLEEPER" 2>/dev/null
	# SIGKILL: the command is PID 1 of its namespace, which ignores
	# other signals; unshare's --kill-child then kills the namespace.
	if [ -n "$CHILD" ] && kill -0 "$CHILD" 2>/dev/null; then
		kill -KILL "$CHILD" 2>/dev/null
		wait "$CHILD" 2>/dev/null
	fi
	kill_rooted "$ROOTFS"
	local clean=1
	if ! unmount_under "$ROOTFS"; then
		echo "test-fresh: could not unmount:" >&2
		mounts_under "$ROOTFS" | sed 's/^/  /' >&2
		clean=0
	fi
	remove_root || clean=0
	[ -n "$(mounts_under "$WORK")" ] && clean=0
	if [ "$clean" -eq 1 ]; then
		say "cleaned up: no mounts left under $WORK, root removed"
	else
		echo "test-fresh: NOT cleaned up; docs/testing-fresh.md says how to by hand" >&2
		rc=2
	fi
	exit "$rc"
}
# shellcheck disable=SC2317
interrupted() {
	trap '' INT TERM HUP
	echo >&2
	echo "test-fresh: interrupted (SIG$1); stopping and cleaning up" >&2
	case $1 in INT) exit 130 ;; HUP) exit 129 ;; *) exit 143 ;; esac
}
trap cleanup EXIT
trap 'interrupted INT' INT
trap 'interrupted TERM' TERM
trap 'interrupted HUP' HUP

# ------------------------------------------------------------ running commands
# wait_child LABEL LOG: waits for $CHILD, saying every two minutes what it
# is doing (CI cuts silent jobs), killing it after TIMEOUT_MIN minutes.
# `wait` in the loop lets a signal's trap run at once: a foreground
# command would delay it until the command ended.
wait_child() {
	local label=$1 log=$2 start=$SECONDS next=120 rc last
	while kill -0 "$CHILD" 2>/dev/null; do
		sleep 2 &
		SLEEPER=$!
		wait "$SLEEPER"
		SLEEPER=""
		if [ $((SECONDS - start)) -ge $((TIMEOUT_MIN * 60)) ]; then
			echo "test-fresh: $label: no end after $TIMEOUT_MIN minutes, stopped" | tee -a "$log"
			kill -KILL "$CHILD" 2>/dev/null
			wait "$CHILD"
			CHILD=""
			return 124
		fi
		if [ $((SECONDS - start)) -ge $next ]; then
			next=$((next + 120))
			last=$(tail -n 1 "$log" 2>/dev/null | cut -c1-100)
			say "$label: running for $(mmss $((SECONDS - start))); last line: $last"
		fi
	done
	wait "$CHILD"
	rc=$?
	CHILD=""
	return $rc
}

# in_root LABEL LOG CMD: runs the bash command CMD in the root as root, in a
# login's environment (nothing of this shell's: no MAKEFLAGS, no CI), with
# no stdin, output appended to LOG.  It is PID 1 of a new PID namespace
# with its own /proc: when it ends or is killed, every process it started
# dies with it; and setpriv makes it die with this script, even when this
# script is killed with SIGKILL and cannot clean up.
in_root() {
	local label=$1 log=$2 cmd=$3
	cp -L /etc/resolv.conf "$ROOTFS/etc/resolv.conf" 2>/dev/null
	setpriv --pdeathsig KILL unshare --pid --fork --kill-child --mount-proc="$ROOTFS/proc" \
		chroot "$ROOTFS" /usr/bin/env -i HOME=/root USER=root LOGNAME=root \
		SHELL=/bin/bash TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/bash -c "$cmd" < /dev/null >> "$log" 2>&1 &
	CHILD=$!
	wait_child "$label" "$log"
}

# mount_root: what a running machine has and a chroot lacks.  /proc is
# each command's own (in_root); /dev is a small private one, not the
# host's, so nothing done in the root reaches the host's devices, but it
# has every node a machine has and the tests may use (/dev/full for write
# errors, /dev/shm, ptys); the apt cache is the project's own.
mount_root() {
	local d=$ROOTFS/dev
	mount -t tmpfs -o mode=0755,nosuid,size=64m fresh-dev "$d" || return 1
	mknod -m 666 "$d/null" c 1 3 && mknod -m 666 "$d/zero" c 1 5 &&
		mknod -m 666 "$d/full" c 1 7 && mknod -m 666 "$d/random" c 1 8 &&
		mknod -m 666 "$d/urandom" c 1 9 && mknod -m 666 "$d/tty" c 5 0 || return 1
	mkdir -p "$d/pts" "$d/shm"
	mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 fresh-devpts "$d/pts" || return 1
	ln -s pts/ptmx "$d/ptmx"
	mount -t tmpfs -o mode=1777,nosuid,nodev fresh-shm "$d/shm" || return 1
	ln -s /proc/self/fd "$d/fd"
	ln -s /proc/self/fd/0 "$d/stdin"
	ln -s /proc/self/fd/1 "$d/stdout"
	ln -s /proc/self/fd/2 "$d/stderr"
	# /sys with what is mounted under it (/sys/fs/cgroup: slurmd will not
	# start without it, as on a real machine), none of it coming back out.
	mkdir -p "$ROOTFS/sys" && mount --rbind /sys "$ROOTFS/sys" &&
		mount --make-rslave "$ROOTFS/sys" &&
		mount -o remount,bind,ro "$ROOTFS/sys" || return 1
	mkdir -p "$CACHE/apt-archives/partial" "$ROOTFS/var/cache/apt/archives" &&
		mount --bind "$CACHE/apt-archives" "$ROOTFS/var/cache/apt/archives"
}

# ------------------------------------------------------------ the mirror
# host_mirror: the Debian mirror the host's apt uses for $SUITE (deb822
# .sources first, then one-line .list), deb.debian.org if none.
host_mirror() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v suite="$SUITE" 'BEGIN { RS = ""; FS = "\n" }
			{ uri = ""; ok = 0; deb = 0; off = 0
			  for (i = 1; i <= NF; i++) {
				if ($i ~ /^URIs:/) { split($i, a, /[ \t]+/); uri = a[2] }
				if ($i ~ /^Suites:/ && (" " $i " ") ~ (" " suite " ")) ok = 1
				if ($i ~ /^Types:/ && $i ~ /[ \t]deb([ \t]|$)/) deb = 1
				if ($i ~ /^Enabled:[ \t]*no/) off = 1
			  }
			  if (uri != "" && ok && deb && !off) { print uri; exit } }' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk -v suite="$SUITE" '$1 == "deb" {
			n = 2; if ($2 ~ /^\[/) while (n <= NF && $n !~ /\]$/) n++
			if ($2 ~ /^\[/) n++
			if ($(n + 1) == suite) { print $n; exit } }' "$f"
	done
	echo http://deb.debian.org/debian
}
MIRROR=${FRESH_MIRROR:-$(host_mirror | head -n 1)}

# ------------------------------------------------------------ the root
SETUP_LOG=$WORK/setup.log
: > "$SETUP_LOG"
rm -rf "$WORK/test-results" "$WORK"/make-*.log

HEAD_SHA=$(git -C "$REPO" rev-parse HEAD)
say "testing commit $(git -C "$REPO" log -1 --format='%h %s' HEAD | cut -c1-90)"
# A new file not yet added is the classic case: it works here, not in a clone.
dirty=$(git -C "$REPO" status --porcelain | wc -l)
if [ "$dirty" -gt 0 ]; then
	say "note: $dirty uncommitted or untracked file(s) in $REPO are NOT part of this test (it clones HEAD)"
else
	say "the root gets a clone of HEAD; uncommitted changes would not be part of it"
fi

# The pristine root's key: the day, so that the root follows the mirror's
# updates, and everything that goes into it (the apt sources it is given).
KEY=$(printf '%s\n' "$SUITE minbase $MIRROR $BASE_PKGS" "$(debootstrap --version 2>/dev/null)" |
	cat - /etc/apt/sources.list.d/debian.sources 2>/dev/null | sha256sum | cut -c1-12)
PRISTINE=$CACHE/root-$SUITE-$(date -u +%Y%m%d)-$KEY.tar

root_start=$SECONDS
if [ -f "$PRISTINE" ] && [ "${FRESH_NO_CACHE:-0}" != 1 ]; then
	say "root: unpacking the pristine root ($(basename "$PRISTINE"), minbase + $BASE_PKGS)"
	mkdir -p "$ROOTFS"
	tar -C "$ROOTFS" --numeric-owner -xpf "$PRISTINE" >> "$SETUP_LOG" 2>&1 ||
		die "root: cannot unpack $PRISTINE (remove it to rebuild); $SETUP_LOG"
	mount_root >> "$SETUP_LOG" 2>&1 || die "root: mounting failed; $SETUP_LOG"
else
	say "root: debootstrap --variant=minbase $SUITE from $MIRROR (a few minutes)"
	mkdir -p "$ROOTFS" "$CACHE/debootstrap"
	# Its own mount namespace: the /proc and /sys it mounts in the root go
	# when it ends, however it ends.
	setpriv --pdeathsig KILL unshare --pid --fork --kill-child --mount --propagation private \
		debootstrap --variant=minbase --cache-dir="$CACHE/debootstrap" \
		"$SUITE" "$ROOTFS" "$MIRROR" < /dev/null >> "$SETUP_LOG" 2>&1 &
	CHILD=$!
	wait_child "debootstrap" "$SETUP_LOG" ||
		{ tail -n 20 "$SETUP_LOG" >&2; die "root: debootstrap failed; $SETUP_LOG"; }
	# The host's Debian sources (same mirror, suites and keyring), which a
	# machine installed from that mirror has; debootstrap writes only the
	# release itself.
	if [ -f /etc/apt/sources.list.d/debian.sources ] && [ -z "${FRESH_MIRROR:-}" ]; then
		cp /etc/apt/sources.list.d/debian.sources "$ROOTFS/etc/apt/sources.list.d/" &&
			rm -f "$ROOTFS/etc/apt/sources.list"
	fi
	mount_root >> "$SETUP_LOG" 2>&1 || die "root: mounting failed; $SETUP_LOG"
	say "root: installing $BASE_PKGS (all a fresh machine has besides minbase)"
	in_root "root" "$SETUP_LOG" "set -e; export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends $BASE_PKGS
		rm -rf /var/lib/apt/lists/*" ||
		{ tail -n 20 "$SETUP_LOG" >&2; die "root: installing $BASE_PKGS failed; $SETUP_LOG"; }
	# Saved with nothing mounted, so the tarball holds only the root's files.
	kill_rooted "$ROOTFS"
	unmount_under "$ROOTFS" || die "root: cannot unmount before saving it"
	rm -f "$CACHE"/root-*.tar
	if tar -C "$ROOTFS" --numeric-owner -cpf "$PRISTINE.tmp" . >> "$SETUP_LOG" 2>&1; then
		mv "$PRISTINE.tmp" "$PRISTINE"
	else
		rm -f "$PRISTINE.tmp"
		say "root: not cached (tar failed, $SETUP_LOG)"
	fi
	mount_root >> "$SETUP_LOG" 2>&1 || die "root: mounting failed; $SETUP_LOG"
fi
ROOT_TIME=$((SECONDS - root_start))
say "root: ready in $(mmss $ROOT_TIME)"

# The clone: through a bundle of HEAD, with the root's own git, as a user
# would clone the project.
git -C "$REPO" bundle create "$ROOTFS/root/vzsoak.bundle" HEAD >> "$SETUP_LOG" 2>&1 ||
	die "cannot bundle HEAD; $SETUP_LOG"
in_root "clone" "$SETUP_LOG" "git -c advice.detachedHead=false clone -q /root/vzsoak.bundle $SRC &&
	rm /root/vzsoak.bundle && test \"\$(git -C $SRC rev-parse HEAD)\" = $HEAD_SHA" ||
	die "git clone in the root failed; $SETUP_LOG"

# ------------------------------------------------------------ the two commands
RESULT_LINES=()
FAILED_LOGS=()
fails=0
for cmd in "${COMMANDS[@]}"; do
	log=$WORK/${cmd// /-}.log
	say "$cmd: running in the root (log: ${log#"$REPO"/})"
	start=$SECONDS
	in_root "$cmd" "$log" "cd $SRC && $cmd"
	rc=$?
	took=$(mmss $((SECONDS - start)))
	verdict=pass note=""
	[ $rc -ne 0 ] && verdict=FAIL
	if [ "$cmd" = "make test" ]; then
		res=$ROOTFS$SRC/build/test-results
		# The results and the steps' small work files (consoles, logs);
		# not the flow step's instruction logs, over a gigabyte.
		if [ -d "$res" ]; then
			mkdir -p "$WORK/test-results"
			(cd "$res" && find . -type f -size -1024k -print0 | tar --null -cf - -T -) |
				tar -C "$WORK/test-results" -xf -
		fi
		summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
		[ -n "$summary" ] && note="  ($summary)"
		# The host's make test skips nothing; a skip in a fresh root is a
		# tool that was not installed (QEMU, objdump, clang...).
		skips=$(cat "$res"/*.results 2>/dev/null | grep -c '^skip ')
		if [ "$skips" -gt 0 ]; then
			verdict=FAIL
			note="$note  $skips skipped, on a fresh machine a missing install step:"
			note="$note $(grep -h '^skip ' "$res"/*.results | cut -c6- | head -n 5 | paste -sd ';' -)"
		fi
	fi
	line=$(printf '%-10s %-4s  status %-3s %8s%s' "$cmd" "$verdict" "$rc" "$took" "$note")
	RESULT_LINES+=("$line")
	say "$line"
	if [ $verdict = FAIL ]; then
		fails=$((fails + 1))
		FAILED_LOGS+=("$log")
	fi
done

echo
echo "==== test-fresh: Debian 12 minbase + $BASE_PKGS, commit ${HEAD_SHA:0:12}, root $(mmss $ROOT_TIME)"
for line in "${RESULT_LINES[@]}"; do echo "  $line"; done
for log in "${FAILED_LOGS[@]}"; do
	echo
	echo "---- last 40 lines of ${log#"$REPO"/}"
	tail -n 40 "$log"
done
echo "---- logs in ${WORK#"$REPO"/}/ (setup.log, make-run.log, make-test.log, test-results/)"
[ $fails -eq 0 ] && exit 0
exit 1
