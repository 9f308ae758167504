#!/bin/bash
# The `pdtrace` command line (docs/pdtrace.md): dump output of the
# hand-made vectors against tests/pdtrace/expected/, JSON shape, the
# exit-2 cases (one line on stderr naming the file and offset, or the
# option), the boot arguments from vzsim to a trace header, and pdtrace
# diff on captures of the shrinking page made by vzsoak.
#
#   scripts/run-pdtrace-tests.sh BUILD RESULTS
#
# Needs BUILD/san/bin/pdtrace and BUILD/bin/pdt-mkvectors
# (tests/pdtrace/mkvectors.c), which writes the trace files into
# RESULTS/pdtrace/, where the tests run; the boot-argument test also needs
# BUILD/san/bin/vzsim and BUILD/target/hypervisor.elf, the diff tests
# BUILD/san/bin/vzsoak and the same hypervisor.  Writes
# RESULTS/pdtrace.results (scripts/results.sh).
set -u
# shellcheck source=scripts/results.sh
. "$(dirname "$0")/results.sh"
results_args 2 "BUILD RESULTS" "$@"
# Absolute paths: the tests run inside RESULTS/pdtrace.
BUILD=$(realpath "$1")
PDTRACE=$BUILD/san/bin/pdtrace MKVECTORS=$BUILD/bin/pdt-mkvectors
VZSIM=$BUILD/san/bin/vzsim HV=$BUILD/target/hypervisor.elf
VZSOAK=$BUILD/san/bin/vzsoak
SHRINK=$(realpath "$(dirname "$0")/../stress/scenarios/shrinking-page.scn")
EXPECTED=$(realpath "$(dirname "$0")/../tests/pdtrace/expected")
OUT=$2/pdtrace
rm -rf "$OUT"
mkdir -p "$OUT"
results_begin pdtrace "$2"
if ! "$MKVECTORS" "$OUT" 2> "$OUT/mkvectors.err"; then
	fail mkvectors "$(head -n 1 "$OUT/mkvectors.err")"
	results_end
	exit 1
fi
cd "$OUT" || exit 1

# run NAME ARGS...: runs pdtrace, keeping NAME.out, NAME.err and $rc.
run() {
	local name=$1
	shift
	timeout 60 "$PDTRACE" "$@" > "$name.out" 2> "$name.err"
	rc=$?
}

# expect_output NAME EXPECTED_FILE ARGS...: exit 0, stdout as expected,
# nothing on stderr.
expect_output() {
	local name=$1 want=$2
	shift 2
	run "$name" "$@"
	if [ $rc -ne 0 ]; then
		fail "$name" "exit $rc: $(head -n 1 "$name.err")"
	elif ! cmp -s "$name.out" "$EXPECTED/$want"; then
		fail "$name" "output differs from expected/$want"
		diff -u "$EXPECTED/$want" "$name.out" | head -n 20 >&2
	elif [ -s "$name.err" ]; then
		fail "$name" "stderr: $(head -n 1 "$name.err")"
	else
		pass "$name"
	fi
}

# expect_error NAME PATTERN ARGS...: exit 2, exactly one line on stderr,
# matching PATTERN (grep -E).
expect_error() {
	local name=$1 pattern=$2
	shift 2
	run "$name" "$@"
	local lines
	lines=$(wc -l < "$name.err")
	if [ $rc -ne 2 ]; then
		fail "$name" "exit $rc, want 2"
	elif [ "$lines" -ne 1 ]; then
		fail "$name" "$lines lines on stderr, want 1"
	elif ! grep -qE "$pattern" "$name.err"; then
		fail "$name" "stderr '$(cat "$name.err")' does not match '$pattern'"
	else
		pass "$name"
	fi
}

# ------------------------------------------------------------ output
expect_output dump.text small.dump dump small.vzt
expect_output dump.json small.json dump --json small.vzt
expect_output dump.header small.header dump --header small.vzt
expect_output dump.stats small.stats dump --stats small.vzt
expect_output dump.unsynced unsynced.dump dump unsynced.vzt
expect_output dump.options-after-file small.dump dump small.vzt --records

# Header and stats and records together: the three sections in order.
run dump.all dump --header --stats --records small.vzt
if [ $rc -eq 0 ] && cat "$EXPECTED/small.header" <(echo) "$EXPECTED/small.dump" <(echo) \
	"$EXPECTED/small.stats" | cmp -s - dump.all.out; then
	pass dump.all
else
	fail dump.all "exit $rc or sections differ"
fi

# Every JSON line has the shape of one flat object (the header's images
# list aside), whatever the section.
json_shape() {
	local value='("([^"\\]|\\.)*"|[0-9]+|true|false)'
	local member="\"[a-z_]+\":$value"
	grep -vE "^\{\"offset\":[0-9]+,\"type\":\"[A-Z]+\"(,$member)*\}$" "$1" |
		grep -vE "^\{\"header\":\{.*\}\}$" |
		grep -vE "^\{\"stats\":\{\"records\":\{(\"[A-Z]+\":[0-9]+,?)+\},\"gap_bytes\":\{.*\}(,$member)*\}\}$"
}
for f in small damaged truncated unsynced; do
	run "json.$f" dump --json --header --stats --records "$f.vzt"
	bad=$(json_shape "json.$f.out")
	n=$(grep -c '"type"' "json.$f.out")
	want=$(grep -c . "$EXPECTED/$f.dump")
	if [ -n "$bad" ]; then
		fail "json.$f" "not JSON-shaped: $(echo "$bad" | head -n 1)"
	elif [ "$n" -ne "$want" ]; then
		fail "json.$f" "$n records, want $want"
	elif [ "$(grep -c '^{"header"' "json.$f.out")" -ne 1 ] ||
		[ "$(grep -c '^{"stats"' "json.$f.out")" -ne 1 ]; then
		fail "json.$f" "no header or stats line"
	else
		pass "json.$f"
	fi
done
# A quote in a path is escaped.
if grep -q '"path":"guest \\"1\\".elf"' json.small.out; then
	pass json.escape
else
	fail json.escape "image path not escaped"
fi

# ------------------------------------------------------------ damage
# Damaged traces are dumped whole (GAP records), then exit 1 (a finding,
# docs/cli.md) naming the first damage.
for f in damaged truncated; do
	run "dump.$f" dump "$f.vzt"
	if [ $rc -ne 1 ]; then
		fail "dump.$f" "exit $rc, want 1"
	elif ! cmp -s "dump.$f.out" "$EXPECTED/$f.dump"; then
		fail "dump.$f" "output differs from expected/$f.dump"
	elif [ "$(wc -l < "dump.$f.err")" -ne 1 ]; then
		fail "dump.$f" "want one line on stderr"
	else
		pass "dump.$f"
	fi
done
grep -qE '^pdtrace: damaged\.vzt: trace offset 0x1e \(file offset 0x[0-9a-f]+\): corrupt trace: 2 gaps, 14 bytes skipped$' dump.damaged.err \
	&& pass dump.damaged.message || fail dump.damaged.message "$(cat dump.damaged.err)"
grep -qE '^pdtrace: truncated\.vzt: trace offset 0x20 .*: truncated trace' dump.truncated.err \
	&& pass dump.truncated.message || fail dump.truncated.message "$(cat dump.truncated.err)"

# ------------------------------------------------------------ errors
expect_error err.no-command 'pdtrace: no command'
expect_error err.unknown-command "unknown command 'flo'" flo small.vzt
expect_error err.no-file 'dump: no FILE' dump
expect_error err.unknown-option "dump: unknown option '--jsn'" dump --jsn small.vzt
expect_error err.two-files "one FILE only: 'small.vzt'" dump small.vzt small.vzt
expect_error err.missing-file '^pdtrace: nothere\.vzt: No such file' dump nothere.vzt
expect_error err.directory '^pdtrace: corpus: Is a directory' dump corpus
expect_error err.bad-magic '^pdtrace: bad-magic\.vzt: offset 0: not a trace file' dump bad-magic.vzt
expect_error err.bad-version '^pdtrace: bad-version\.vzt: offset 8: unsupported format version' dump bad-version.vzt
expect_error err.bad-hsize '^pdtrace: bad-hsize\.vzt: offset 10: bad header size' dump bad-hsize.vzt
# A header size past the properties and their padding (docs/trace-format.md):
# refused by dump and flow alike, not read as an unsynced gap.
expect_error err.bad-hsize-big '^pdtrace: bad-hsize-big\.vzt: offset 10: bad header size$' dump bad-hsize-big.vzt
expect_error err.bad-hsize-big-flow '^pdtrace: bad-hsize-big\.vzt: file offset 0xa: ' flow bad-hsize-big.vzt
expect_error err.bad-order '^pdtrace: bad-order\.vzt: offset 12: unsupported byte order' dump bad-order.vzt
expect_error err.bad-codec '^pdtrace: bad-codec\.vzt: offset 13: unsupported codec' dump bad-codec.vzt
expect_error err.bad-prop '^pdtrace: bad-prop\.vzt: offset 32: bad header property' dump bad-prop.vzt
expect_error err.bad-short '^pdtrace: bad-short\.vzt: offset 20: file ends inside the header' dump bad-short.vzt
expect_error err.bad-empty '^pdtrace: bad-empty\.vzt: offset 0: file ends inside the header' dump --stats bad-empty.vzt
# --before and --after size --around's window: alone they are refused, not ignored.
expect_error err.flow-before-alone '^pdtrace: --before: only with --around' flow --before 5 small.vzt
expect_error err.flow-after-alone '^pdtrace: --after: only with --around' flow small.vzt --after 3
# Nothing on stdout when the header is bad.
[ ! -s err.bad-magic.out ] && pass err.no-output || fail err.no-output "stdout not empty"

# ------------------------------------------------------------ help
for args in "--help" "-h" "help" "dump --help"; do
	name="help.$(echo "$args" | tr -d ' -')"
	run "$name" $args
	if [ $rc -eq 0 ] && grep -q '^usage: pdtrace' "$name.out" && grep -q 'dump FILE' "$name.out"; then
		pass "$name"
	else
		fail "$name" "exit $rc or no usage"
	fi
done

# ------------------------------------------------------------ boot arguments
# A capture carries the boot arguments vzsim was given (the flow decoder
# finds the guests' images and crashme's seed there).
vzt=bootargs.vzt
args="guests=2 image=stress"
if [ ! -x "$VZSIM" ] || [ ! -f "$HV" ]; then
	skip bootargs "$VZSIM or $HV not built"
elif ! "$VZSIM" --bootargs "$args" --trace "$vzt" --max-insns 100000 "$HV" \
	> /dev/null 2> "$vzt.err" && [ ! -f "$vzt" ]; then
	fail bootargs "vzsim: $(head -n 1 "$vzt.err")"
elif "$PDTRACE" dump --header "$vzt" | grep -qx "bootargs       $args" &&
	"$PDTRACE" dump --header --json "$vzt" | grep -qF "\"bootargs\":\"$args\""; then
	pass bootargs
else
	fail bootargs "not in the header of $OUT/$vzt"
fi

# ------------------------------------------------------------ diff
# The shrinking page (stress/scenarios/shrinking-page.scn) made twice by
# vzsoak with the same seed: BAD with both fixes off, GOOD with the
# hypervisor's (preserve = on).  vzsim is deterministic, so the guests'
# flows are the same up to where the bad PageMask makes one branch the
# other way: the diff must name that divergence (exit 1).  A capture
# against itself and a --trace-window capture against the whole capture
# of the same run are the same (exit 0; the window aligned at anchors).
# shrink NAME ARGS...: a capture of the scenario, 4M instructions at most.
shrink() {
	local name=$1
	shift
	timeout 300 "$VZSOAK" run "$SHRINK" --hv "$HV" --set duration=4M --out "$name.run" \
		--trace "$name.vzt" --quiet "$@" > "$name.run.out" 2>&1
}
if [ ! -x "$VZSOAK" ] || [ ! -f "$HV" ]; then
	skip diff "$VZSOAK or $HV not built"
else
	shrink bad
	shrink good --set preserve=on
	shrink badwin --trace-window 256K
	if [ ! -f bad.vzt ] || [ ! -f good.vzt ] || [ ! -f badwin.vzt ]; then
		fail diff.captures "vzsoak made no capture: $(head -n 1 bad.run.out)"
	else
		pass diff.captures
	fi

	run diff.shrinking diff bad.vzt good.vzt
	div=$(grep -E '^g[1-8]: diverged at BAD [0-9]+ / GOOD [0-9]+, its instruction [0-9]+ from ' \
		diff.shrinking.out | head -n 1)
	g=${div%%:*}
	if [ $rc -ne 1 ]; then
		fail diff.shrinking "exit $rc, want 1: $(head -n 1 diff.shrinking.err)"
	elif [ -z "$div" ]; then
		fail diff.shrinking "no 'gN: diverged at BAD I / GOOD J' line"
	elif ! grep -qE "^  > +[0-9]+  $g [ku] [0-9a-f]{8}  .* \| +[0-9]+  $g [ku] " diff.shrinking.out; then
		fail diff.shrinking "no marked row of $g side by side"
	elif ! grep -q "^  events of $g in GOOD:" diff.shrinking.out; then
		fail diff.shrinking "no events of $g"
	elif [ -s diff.shrinking.err ]; then
		fail diff.shrinking "stderr: $(head -n 1 diff.shrinking.err)"
	else
		echo "pdtrace: diff of the shrinking page: $div"
		pass diff.shrinking
	fi

	# JSON: one object per guest; the diverged guest with both indexes,
	# the pairs before it and the events.
	run diff.json diff --json bad.vzt good.vzt
	n=$(grep -c . diff.json.out)
	if [ $rc -ne 1 ]; then
		fail diff.json "exit $rc, want 1"
	elif [ "$n" -ne "$(grep -c '^g[1-8]: ' diff.shrinking.out)" ] ||
		grep -vqE '^\{"guest":[1-8],"status":"(same|diverged|not-aligned|no-anchor)",.*\}$' diff.json.out; then
		fail diff.json "not one object per guest: $(head -c 100 diff.json.out)"
	elif ! grep -qE "^\{\"guest\":${g#g},\"status\":\"diverged\",.*\"bad\":[0-9]+,\"good\":[0-9]+,\"local\":[0-9]+,.*\"before\":\[\{\"bad\":\{\"index\":.*\"events\":\{\"bad\":\[" diff.json.out; then
		fail diff.json "no diverged object for $g with bad, good, before, events"
	else
		pass diff.json
	fi

	run diff.self diff bad.vzt bad.vzt
	if [ $rc -ne 0 ]; then
		fail diff.self "exit $rc, want 0: $(head -n 1 diff.self.err)"
	elif grep -vqE '^g[1-8]: same for [0-9]+ instructions, from the start of both captures, to the end of both streams$' diff.self.out ||
		[ "$(grep -c . diff.self.out)" -ne 4 ]; then
		fail diff.self "not 4 guests the same: $(head -n 1 diff.self.out)"
	else
		pass diff.self
	fi

	# The window starts mid-run: each guest compared from an anchor both
	# hold, to the end of both.
	run diff.window diff badwin.vzt bad.vzt
	if [ $rc -ne 0 ]; then
		fail diff.window "exit $rc, want 0: $(head -n 1 diff.window.out)"
	elif grep -vqE '^g[1-8]: same for [0-9]+ instructions, from (crashme block [0-9]+|marker 0x[0-9a-f]+) \(BAD ([0-9]+), GOOD \2\), to the end of both streams$' diff.window.out; then
		fail diff.window "a guest not aligned at an anchor: $(grep -v ' same for ' diff.window.out | head -n 1)"
	elif [ "$(grep -c . diff.window.out)" -ne 4 ]; then
		fail diff.window "not 4 guests"
	elif ! grep -q "window: the first [0-9]* bytes" diff.window.err; then
		fail diff.window "no window note"
	else
		pass diff.window
	fi

	run diff.context diff bad.vzt good.vzt --context "$g" --before 3
	if [ $rc -ne 1 ] || [ "$(grep -c '^g[1-8]: ' diff.context.out)" -ne 1 ] ||
		! grep -q "^$g: diverged" diff.context.out ||
		[ "$(grep -c '^     ' diff.context.out | head -n 1)" -lt 3 ]; then
		fail diff.context "exit $rc or not $g alone: $(head -n 1 diff.context.out)"
	else
		pass diff.context
	fi
	# A queue too small for how the hypervisors interleave the guests.
	run diff.queue diff bad.vzt good.vzt --queue 1
	if [ $rc -ne 1 ] || ! grep -qE '^g[1-8]: not aligned within 1 items: (BAD|GOOD) ran ahead' diff.queue.out; then
		fail diff.queue "exit $rc or no 'not aligned within 1': $(head -n 1 diff.queue.out)"
	else
		pass diff.queue
	fi
fi
expect_error err.diff-one-file '^pdtrace: diff: want two trace files' diff small.vzt
expect_error err.diff-three-files "^pdtrace: diff: two trace files only, BAD and GOOD \('small.vzt'\)$" \
	diff small.vzt small.vzt small.vzt
expect_error err.diff-missing '^pdtrace: nothere\.vzt: No such file' diff small.vzt nothere.vzt
expect_error err.diff-bad-magic '^pdtrace: bad-magic\.vzt: file offset 0x0: ' diff bad-magic.vzt small.vzt
expect_error err.diff-before "^pdtrace: --before: 'x' is not a count" diff --before x small.vzt small.vzt
expect_error err.diff-context "^pdtrace: --context: 'root' is not a guest" diff --context root small.vzt small.vzt
expect_error err.diff-queue "^pdtrace: --queue: '0': at least 1" diff --queue 0 small.vzt small.vzt
expect_error err.diff-option "^pdtrace: diff: unknown option '--bfore'" diff --bfore 3 small.vzt small.vzt

results_end
