#!/bin/bash
# Tests of vzsim's output files (docs/cli.md, "Output files"; util/outfile.c).
#
#   scripts/run-output-tests.sh VZSIM PDTRACE DEMO_ELF HV_ELF FAKEHV_ELF TESTDIR RESULTS
#
# What is never replaced (devices, FIFOs, links: the file a link leads to
# is), that no file is created but with O_EXCL, that every write error
# counts (stdout, a full device, a full file system; also after
# --max-insns, a deadlock or a signal: status 70), that bad outputs are
# refused before the first instruction (TESTDIR/refused), and that
# SIGHUP, SIGTERM, SIGINT and a closed stdout pipe stop a run with its
# outputs complete and no temporary left.
#
# Device nodes are the step's own (mknod in its folder, never /dev's);
# the file-system cases mount small tmpfs there and are skipped, each
# named, where mounting is not allowed.  Writes RESULTS/outputs.results,
# keeps its files in RESULTS/outputs/.
set -u

# shellcheck source=scripts/results.sh
. "$(dirname "$0")/results.sh"
results_args 7 "VZSIM PDTRACE DEMO_ELF HV_ELF FAKEHV_ELF TESTDIR RESULTS" "$@"
VZSIM=$1 PDTRACE=$2 DEMO=$3 HV=$4 FAKE=$5 DIR=$6 RESULTS=$7
TIMEOUT=${OUTPUT_TIMEOUT:-60}
results_begin outputs "$RESULTS"
OUT=$RESULTS/outputs
MOUNTS=()
unmount_all() {
	local m
	for m in "${MOUNTS[@]}"; do
		umount "$m" 2>/dev/null
	done
	MOUNTS=()
}
trap unmount_all EXIT
# A folder left mounted by a killed earlier run is unmounted before rm.
for m in $(awk -v o="$(realpath -m "$OUT")/" 'index($2, o) == 1 { print $2 }' /proc/mounts 2>/dev/null); do
	umount "$m" 2>/dev/null
done
rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# The hypervisor with two stress guests for ever: a run that only a
# signal, a closed pipe or --max-insns ends.
FOREVER=(--bootargs "guests=2 image=stress rounds=0" --max-insns 10000000000 "$HV")

# v NAME ARGS...: runs vzsim (time-limited), stdout to NAME.stdout unless
# the caller redirects, stderr to NAME.stderr; the status in $rc.
v() {
	local name=$1
	shift
	timeout "$TIMEOUT" "$VZSIM" "$@" 2> "$OUT/$name.stderr"
	rc=$?
}

# tmps DIR...: the temporaries left in DIRs (none may be).
tmps() {
	find "$@" -maxdepth 1 -name '*.tmp.*' 2>/dev/null | tr '\n' ' '
}

# mount_tmpfs DIR OPTIONS: a small tmpfs at DIR, unmounted on exit;
# false if mounting is not allowed here.
mount_tmpfs() {
	mkdir -p "$1"
	mount -t tmpfs -o "$2" vzsim-outputs "$1" 2>/dev/null || return 1
	MOUNTS+=("$1")
}

# The console the demo prints, written to a plain file: what every other
# way of writing it must give.
if ! "$VZSIM" --uart-out "$OUT/demo.console" "$DEMO" 2> "$OUT/demo.stderr" ||
	[ ! -s "$OUT/demo.console" ]; then
	fail reference "vzsim --uart-out FILE $DEMO failed: $(cat "$OUT/demo.stderr")"
	results_end
	exit
fi

# ------------------------------------------------------------ D1: what is never replaced

# A device: written in place, still the device afterwards.
mknod "$OUT/null" c 1 3
v null --uart-out "$OUT/null" --log-insns "$OUT/null" --tcb-out "$OUT/null" "$DEMO"
if [ $rc -ne 0 ]; then
	fail device "status $rc: $(cat "$OUT/null.stderr")"
elif [ ! -c "$OUT/null" ] || [ -n "$(tmps "$OUT")" ]; then
	fail device "$OUT/null replaced, or temporaries left: $(ls -l "$OUT/null") $(tmps "$OUT")"
else
	pass device
fi

# fifo_case NAME OPTION CHECK: a FIFO as OPTION's file, read by cat into
# NAME.read; CHECK is a command on NAME.read.
fifo_case() {
	local name=$1 opt=$2 check=$3 reader
	mkfifo "$OUT/$name.fifo"
	# Time-limited: a vzsim that replaced the FIFO never opens it.
	timeout "$TIMEOUT" cat "$OUT/$name.fifo" > "$OUT/$name.read" &
	reader=$!
	v "$name" "$opt" "$OUT/$name.fifo" "$DEMO" > /dev/null
	wait $reader
	if [ $rc -ne 0 ]; then
		fail "$name" "status $rc: $(cat "$OUT/$name.stderr")"
	elif [ ! -p "$OUT/$name.fifo" ] || [ -n "$(tmps "$OUT")" ]; then
		fail "$name" "the FIFO was replaced, or temporaries left: $(tmps "$OUT")"
	elif ! $check "$OUT/$name.read"; then
		fail "$name" "what came through the FIFO is wrong"
	else
		pass "$name"
	fi
}
same_console() { cmp -s "$1" "$OUT/demo.console"; }
a_trace() { "$PDTRACE" dump "$1" > /dev/null 2>&1; }
fifo_case fifo-uart-out --uart-out same_console
# --trace goes through libpdtrace's writer (pdt_file_create): same rule.
fifo_case fifo-trace --trace a_trace
fifo_case fifo-tcb-out --tcb-out a_trace

# link_case NAME OPTION CHECK: OPTION through a link in a/ to an existing
# file in b/: the file is replaced (CHECK on it), the link stays a link to
# it, no temporary in either folder.
link_case() {
	local name=$1 opt=$2 check=$3 d=$OUT/$1
	mkdir -p "$d/a" "$d/b"
	echo old > "$d/b/file"
	ln -s ../b/file "$d/a/link"
	v "$name" "$opt" "$d/a/link" "$DEMO" > /dev/null
	if [ $rc -ne 0 ]; then
		fail "$name" "status $rc: $(cat "$OUT/$name.stderr")"
	elif [ ! -L "$d/a/link" ] || [ "$(readlink "$d/a/link")" != ../b/file ]; then
		fail "$name" "the link was replaced: $(ls -l "$d/a")"
	elif [ -n "$(tmps "$d/a" "$d/b")" ]; then
		fail "$name" "temporaries left: $(tmps "$d/a" "$d/b")"
	elif ! $check "$d/b/file"; then
		fail "$name" "the file the link leads to was not written"
	else
		pass "$name"
	fi
}
link_case link-uart-out --uart-out same_console
link_case link-trace --trace a_trace
link_case link-tcb-out --tcb-out a_trace

# A dangling link (to a link to nothing) creates the file it ends at.
d=$OUT/dangling
mkdir -p "$d/a" "$d/b"
ln -s ../b/hop "$d/a/link"
ln -s new "$d/b/hop"
v dangling --uart-out "$d/a/link" "$DEMO"
if [ $rc -ne 0 ]; then
	fail dangling-link "status $rc: $(cat "$OUT/dangling.stderr")"
elif [ ! -L "$d/a/link" ] || [ ! -L "$d/b/hop" ] || ! same_console "$d/b/new" ||
	[ -n "$(tmps "$d/a" "$d/b")" ]; then
	fail dangling-link "links replaced or b/new not written: $(ls -l "$d/a" "$d/b" | tr '\n' ' ')"
else
	pass dangling-link
fi

# A link loop is refused, not followed for ever.
ln -s loop2 "$OUT/loop1"
ln -s loop1 "$OUT/loop2"
v loop --uart-out "$OUT/loop1" "$DEMO"
if [ $rc -ne 2 ] || ! grep -q 'Too many levels of symbolic links' "$OUT/loop.stderr"; then
	fail link-loop "status $rc: $(cat "$OUT/loop.stderr")"
else
	pass link-loop
fi

# ------------------------------------------------------------ D2: no file created another way

# Every file vzsim creates, whatever the output, is created with O_EXCL
# (mkstemp), so nothing planted at a temporary's name is followed or
# reused; the final name is only ever reached by rename.
if ! command -v strace > /dev/null; then
	skip o-excl "strace is not installed"
else
	d=$OUT/strace
	mkdir -p "$d"
	# LeakSanitizer cannot work under ptrace.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -qq -e trace=open,openat,openat2,creat -o "$d/calls" \
		"$VZSIM" --uart-out "$d/u" --log-insns "$d/l" --trace "$d/t" --tcb-out "$d/c" \
		--max-insns 100000 "${FOREVER[@]:0:2}" "$HV" > /dev/null 2> "$OUT/strace.stderr"
	rc=$?
	if [ ! -s "$d/calls" ] && grep -q 'ptrace' "$OUT/strace.stderr"; then
		skip o-excl "strace cannot trace here: $(head -n 1 "$OUT/strace.stderr")"
	elif [ $rc -ne 3 ]; then
		fail o-excl "status $rc, want 3: $(cat "$OUT/strace.stderr")"
	elif ! grep -q 'O_CREAT' "$d/calls"; then
		fail o-excl "strace saw no file created: $(head -c 300 "$d/calls")"
	elif grep 'O_CREAT' "$d/calls" | grep -v 'O_EXCL' | grep -q .; then
		fail o-excl "created without O_EXCL: $(grep 'O_CREAT' "$d/calls" | grep -v 'O_EXCL' | head -n 3)"
	elif grep -E 'open.*"'"$d"'/[ultc]"' "$d/calls" | grep -q .; then
		fail o-excl "a final name opened: $(grep -E 'open.*"'"$d"'/[ultc]"' "$d/calls" | head -n 1)"
	else
		pass o-excl
	fi
fi

# A link in a sticky world-writable folder (/tmp) that is neither ours
# nor the folder owner's is not followed: anyone may plant one there.
if [ "$(id -u)" -ne 0 ]; then
	skip sticky-link "needs root to give a link another owner"
else
	d=$OUT/sticky
	mkdir -p "$d/tmp"
	chmod 1777 "$d/tmp"
	echo victim > "$d/victim"
	ln -s ../victim "$d/tmp/out"
	chown -h 65534 "$d/tmp/out"
	v sticky --uart-out "$d/tmp/out" "$DEMO"
	if [ $rc -ne 2 ] || [ "$(wc -l < "$OUT/sticky.stderr")" -ne 1 ] ||
		! grep -q 'symbolic link in a sticky folder' "$OUT/sticky.stderr"; then
		fail sticky-link "status $rc: $(cat "$OUT/sticky.stderr")"
	elif [ "$(cat "$d/victim")" != victim ] || [ -n "$(tmps "$d" "$d/tmp")" ]; then
		fail sticky-link "the victim was written, or temporaries left"
	else
		# Ours, it is followed.
		chown -h 0 "$d/tmp/out"
		v sticky-own --uart-out "$d/tmp/out" "$DEMO"
		if [ $rc -ne 0 ] || ! same_console "$d/victim"; then
			fail sticky-link "our own link was not followed: status $rc: $(cat "$OUT/sticky-own.stderr")"
		else
			pass sticky-link
		fi
	fi
fi

# ------------------------------------------------------------ D3, D4: every write error counts

# lost NAME WANT_RE ARGS...: vzsim must exit 70 with a line matching
# WANT_RE on stderr, and leave no temporary in OUT.
lost() {
	local name=$1 want=$2
	shift 2
	v "$name" "$@"
	if [ $rc -ne 70 ]; then
		fail "$name" "status $rc, want 70: $(cat "$OUT/$name.stderr")"
	elif ! grep -Eq "$want" "$OUT/$name.stderr"; then
		fail "$name" "no '$want' on stderr: $(cat "$OUT/$name.stderr")"
	elif [ -n "$(tmps "$OUT")" ]; then
		fail "$name" "temporaries left: $(tmps "$OUT")"
	else
		pass "$name"
	fi
}

mknod "$OUT/full" c 1 7
# The console on stdout, no --uart-out.
lost stdout-full '^vzsim: stdout: write error' "$DEMO" > "$OUT/full"
lost uart-out-full '^vzsim: --uart-out: .*/full: write error' --uart-out "$OUT/full" "$DEMO"
lost log-full '^vzsim: --log-insns: .*/full: write error' --log-insns "$OUT/full" "$DEMO" \
	> "$OUT/null"
lost trace-full '^vzsim: --trace: .*/full: write error' --trace "$OUT/full" "$DEMO" > "$OUT/null"
# Not hidden behind how the run ended: 3, 4, 128+N.
lost max-insns-full '^vzsim: --uart-out: .*/full: write error' \
	--uart-out "$OUT/full" --max-insns 1000000 "$HV"
lost deadlock-full '^vzsim: stdout: write error' \
	--bootargs image=deadlock "$FAKE" > "$OUT/full"
if ! grep -q '^vzsim: deadlock' "$OUT/deadlock-full.stderr"; then
	fail deadlock-full-ran "the program did not deadlock: $(cat "$OUT/deadlock-full.stderr")"
else
	pass deadlock-full-ran
fi

# A small full file system: the files are lost (none left, no temporary),
# status 70 however the run ended.
if ! mount_tmpfs "$OUT/small" size=64k; then
	skip fs-full "cannot mount a tmpfs here"
	skip fs-full-max-insns "cannot mount a tmpfs here"
else
	lost fs-full '^vzsim: --log-insns: .*/small/log: write error: No space left on device' \
		--log-insns "$OUT/small/log" "$DEMO" > "$OUT/null"
	# --max-insns ends this run (status 3 without the write error).
	lost fs-full-max-insns '^vzsim: --trace: .*/small/t.vzt: write error: No space left on device' \
		--trace "$OUT/small/t.vzt" --uart-out "$OUT/small/u" --max-insns 3000000 \
		"${FOREVER[@]:0:2}" "$HV"
	if [ -n "$(ls "$OUT/small")" ]; then
		fail fs-full-clean "left on the full file system: $(ls "$OUT/small" | tr '\n' ' ')"
	else
		pass fs-full-clean
	fi
fi

# ------------------------------------------------------------ D6, D12, D14: refused before running

# Each line of DIR/refused (the format is there).
mkdir -p "$OUT/refused/dir"
echo file > "$OUT/refused/file"
ln -s s "$OUT/refused/link-s"
have_ro=true
mount_tmpfs "$OUT/refused/ro" ro,size=16k || have_ro=false
n=0
while IFS= read -r line; do
	[[ $line =~ ^[[:space:]]*(#|$) ]] && continue
	n=$((n + 1))
	if [[ ! $line =~ ^([^ |]+)[[:space:]]*\|[[:space:]]*(.*[^ ])[[:space:]]*\|[[:space:]]*(.*)$ ]]; then
		fail "refused-line$n" "$DIR/refused: not 'NAME | OPTIONS | STDERR-ERE': $line"
		continue
	fi
	name=${BASH_REMATCH[1]} opts=${BASH_REMATCH[2]//@T@/$OUT/refused}
	want=${BASH_REMATCH[3]//@T@/$OUT/refused}
	if [[ $name == rofs-* ]] && ! $have_ro; then
		skip "$name" "cannot mount a read-only tmpfs here"
		continue
	fi
	read -ra args <<< "$opts"
	start=$SECONDS
	v "$name" "${args[@]}" "${FOREVER[@]}" > /dev/null
	if [ $rc -eq 124 ]; then
		fail "$name" "ran until the time-out: found only after the run"
	elif [ $rc -ne 2 ]; then
		fail "$name" "status $rc, want 2: $(cat "$OUT/$name.stderr")"
	elif [ "$(wc -l < "$OUT/$name.stderr")" -ne 1 ]; then
		fail "$name" "want one line on stderr: $(cat "$OUT/$name.stderr")"
	elif ! grep -Eq -- "$want" "$OUT/$name.stderr"; then
		fail "$name" "stderr '$(cat "$OUT/$name.stderr")' does not match '$want'"
	elif [ $((SECONDS - start)) -gt 5 ]; then
		fail "$name" "took $((SECONDS - start)) s: it ran before refusing"
	elif [ -n "$(find "$OUT/refused" -name '*.tmp.*' -o -name s -o -name t.vzt)" ]; then
		fail "$name" "left behind: $(find "$OUT/refused" -name '*.tmp.*' -o -name s -o -name t.vzt)"
	else
		pass "$name"
	fi
done < "$DIR/refused"
[ $n -gt 0 ] || fail refused "$DIR/refused holds no case"

# What may be shared: stdout (the console's characters among the log's
# lines), and a device.
v shared-stdout --uart-out - --log-insns - "$DEMO" > "$OUT/shared-stdout.stdout"
if [ $rc -ne 0 ] || [ "$(grep -c ' asid=' "$OUT/shared-stdout.stdout")" -lt 1000 ]; then
	fail shared-stdout "status $rc: $(cat "$OUT/shared-stdout.stderr")"
else
	pass shared-stdout
fi
v shared-device --uart-out "$OUT/null" --log-insns "$OUT/null" --trace "$OUT/null" "$DEMO"
if [ $rc -ne 0 ]; then
	fail shared-device "status $rc: $(cat "$OUT/shared-device.stderr")"
else
	pass shared-device
fi

# ------------------------------------------------------------ D8: signals

# stop PID SIG: sends SIG to PID and waits for it, at most TIMEOUT
# seconds (a vzsim that ignores SIG is killed); its status in $rc, 124
# when it had to be killed.
stop() {
	local pid=$1 sig=$2 i
	kill -"$sig" "$pid"
	for ((i = 0; i < TIMEOUT * 10; i++)); do
		kill -0 "$pid" 2> /dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2> /dev/null; then
		kill -KILL "$pid"
		wait "$pid"
		rc=124
		return
	fi
	wait "$pid"
	rc=$?
}

# SIGHUP, SIGTERM, SIGINT to a run that would not end: 128+N, a line on
# stderr, every output complete (the trace files readable), no temporary.
for sig in HUP TERM INT; do
	name=signal-${sig,,}
	d=$OUT/$name
	mkdir -p "$d"
	"$VZSIM" --uart-out "$d/u" --log-insns "$d/l" --trace "$d/t" --tcb-out "$d/c" \
		"${FOREVER[@]}" 2> "$OUT/$name.stderr" &
	pid=$!
	# Until it has run a while (the log grows), then the signal by PID.
	for _ in $(seq 200); do
		[ -n "$(find "$d" -name 'l.tmp.*' -size +100k)" ] && break
		sleep 0.05
	done
	stop $pid "$sig"
	want=$((128 + $(kill -l "$sig")))
	if [ $rc -ne $want ]; then
		fail "$name" "status $rc, want $want: $(cat "$OUT/$name.stderr")"
	elif ! grep -q '^vzsim: interrupted' "$OUT/$name.stderr"; then
		fail "$name" "no 'interrupted' line: $(cat "$OUT/$name.stderr")"
	elif [ -n "$(tmps "$d")" ]; then
		fail "$name" "temporaries left: $(tmps "$d")"
	elif [ ! -s "$d/u" ] || [ ! -s "$d/l" ] || ! a_trace "$d/t" || ! a_trace "$d/c"; then
		fail "$name" "an output is missing or not whole: $(ls -l "$d" | tr '\n' ' ')"
	else
		pass "$name"
	fi
done

# A signal does not hide a lost output either: 70.
"$VZSIM" --uart-out "$OUT/full" --log-insns "$OUT/signal-lost.log" "${FOREVER[@]}" \
	2> "$OUT/signal-lost.stderr" &
pid=$!
for _ in $(seq 200); do
	[ -n "$(find "$OUT" -maxdepth 1 -name 'signal-lost.log.tmp.*' -size +100k)" ] && break
	sleep 0.05
done
stop $pid TERM
if [ $rc -ne 70 ] || ! grep -q 'full: write error' "$OUT/signal-lost.stderr"; then
	fail signal-lost "status $rc, want 70: $(cat "$OUT/signal-lost.stderr")"
elif [ -n "$(tmps "$OUT")" ] || [ ! -s "$OUT/signal-lost.log" ]; then
	fail signal-lost "temporaries left or the log lost: $(tmps "$OUT")"
else
	pass signal-lost
fi

# stdout closed early (`| head -1`): the run stops as SIGPIPE would stop
# it, status 141, the other outputs complete, no temporary.
d=$OUT/sigpipe
mkdir -p "$d"
timeout "$TIMEOUT" "$VZSIM" --log-insns - --trace "$d/t" --uart-out "$d/u" "${FOREVER[@]}" \
	2> "$OUT/sigpipe.stderr" | head -n 1 > "$d/head"
rc=${PIPESTATUS[0]}
if [ "$rc" -ne 141 ]; then
	fail sigpipe "status $rc, want 141: $(cat "$OUT/sigpipe.stderr")"
elif ! grep -q "stdout's reader has gone" "$OUT/sigpipe.stderr"; then
	fail sigpipe "no line saying why it stopped: $(cat "$OUT/sigpipe.stderr")"
elif [ -n "$(tmps "$d")" ] || ! a_trace "$d/t" || [ ! -s "$d/u" ] || [ ! -s "$d/head" ]; then
	fail sigpipe "temporaries left or an output lost: $(ls "$d" | tr '\n' ' ')"
else
	pass sigpipe
fi
# The console alone on a pipe whose reader has gone before vzsim starts
# (no --uart-out, a short program): its one write, at the end, fails.
mkfifo "$d/pipe"
exec 3<> "$d/pipe" 4> "$d/pipe" 3<&-
timeout "$TIMEOUT" "$VZSIM" --trace "$d/demo.vzt" "$DEMO" 2> "$OUT/sigpipe-console.stderr" >&4
rc=$?
exec 4>&-
if [ $rc -ne 141 ]; then
	fail sigpipe-console "status $rc, want 141: $(cat "$OUT/sigpipe-console.stderr")"
elif [ -n "$(tmps "$d")" ] || ! a_trace "$d/demo.vzt"; then
	fail sigpipe-console "temporaries left or the trace lost"
else
	pass sigpipe-console
fi

unmount_all
results_end
