#!/bin/bash
# Tests of `vzsoak report`'s outputs (harness/report/, docs/report.md):
# report.md, report.html and the plots, as a person would see them.
#
#   scripts/run-report-tests.sh VZSOAK HV_ELF RESULTS
#
# It makes a shrinking-page run of its own with VZSOAK (the sanitized one)
# and HV_ELF, runs `vzsoak report` on it and checks:
# - report.md as text: the title line, "What happened" and its numbered
#   steps, the step tables' headers, the plots linked;
# - the plots: each plot-gN.png decodes, has the size plot.c draws and is
#   not blank (pngcheck, beside VZSOAK: tests/vzsoak/pngcheck.c);
# - report.html: self-contained (no file or URL it loads), the same title,
#   steps and plots; rendered by headless Chromium to a screenshot that
#   must not be blank.  Chromium that cannot run is a failure, not a skip:
#   `make deps` installs it, and CI runs as root (--no-sandbox);
# - the report without gnuplot, and with a gnuplot that fails: written all
#   the same, with one line saying why the plots are missing; text from the
#   run (its folder's name) escaped in report.html.
#
# Writes RESULTS/report.results and keeps its files in RESULTS/report/.
set -u

# shellcheck source=scripts/results.sh
. "$(dirname "$0")/results.sh"
results_args 3 "VZSOAK HV_ELF RESULTS" "$@"
VZSOAK=$1 HV=$2 RESULTS=$3
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PNGCHECK=$(dirname "$VZSOAK")/pngcheck
TIMEOUT=${VZSOAK_TIMEOUT:-120}
# A cold Chromium takes 7 to 9 s for a report on a 2-core machine; the
# limit is for one that hangs.
CHROMIUM_TIMEOUT=${CHROMIUM_TIMEOUT:-120}
# The report runs without gnuplot on its PATH: timeout is found before.
TIMEOUT_BIN=$(command -v timeout)
# What plot.c draws (REPORT_PLOT_WIDTH x HEIGHT) and the screenshot's size.
PLOT_SIZE=1000x800
SHOT_W=1200 SHOT_H=3000
OUT=$RESULTS/report
rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
results_begin report "$RESULTS"

# expect NAME REASON COMMAND...: NAME passes if COMMAND succeeds.
expect() {
	local name=$1 reason=$2
	shift 2
	if "$@"; then
		pass "$name"
	else
		fail "$name" "$reason"
	fi
}

RUN=$OUT/sp
REPORT=$RUN/report

# ------------------------------------------------------------ the run and its report

timeout "$TIMEOUT" "$VZSOAK" run "$ROOT/stress/scenarios/shrinking-page.scn" --hv "$HV" \
	--trace "$OUT/sp.vzt" --out "$RUN" > "$OUT/run.log" 2>&1
rc=$?
if [ $rc -eq 1 ]; then
	pass run
else
	fail run "vzsoak run exited with status $rc, not 1 (flagged): $OUT/run.log"
fi

timeout "$TIMEOUT" "$VZSOAK" report "$RUN" > "$OUT/report.log" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
	fail report "vzsoak report exited with status $rc: $(tail -n 1 "$OUT/report.log")"
elif grep -q 'plots missing' "$OUT/report.log"; then
	fail report "$(grep 'plots missing' "$OUT/report.log" | head -n 1)"
elif [ ! -s "$REPORT/report.md" ] || [ ! -s "$REPORT/report.html" ]; then
	fail report "no report.md or report.html in $REPORT"
else
	pass report
fi

# ------------------------------------------------------------ report.md

MD=$REPORT/report.md
# md_check NAME ERE REASON: a line of report.md must match.
md_check() {
	if grep -Eq -- "$2" "$MD" 2> /dev/null; then
		pass "md.$1"
	else
		fail "md.$1" "$3"
	fi
}
md_check title '^# shrinking page: ' "no title line '# shrinking page: ...'"
# "What happened", then its steps numbered from 1 without a gap.
steps=$(sed -n '/^## What happened$/,/^## /p' "$MD" 2> /dev/null | grep -E '^[0-9]+\. ' | cut -d. -f1)
if [ -z "$steps" ]; then
	fail md.what-happened "no '## What happened' with numbered steps"
elif [ "$steps" != "$(seq 1 "$(echo "$steps" | wc -l)")" ]; then
	fail md.what-happened "its steps are not numbered 1, 2, 3...: $(echo "$steps" | tr '\n' ' ')"
else
	pass md.what-happened
fi
md_check register-table '^\| register \| value \| \|$' "no register table header"
md_check tlb-table '^\| entry \| GuestID \| VPN2 \| ASID \| page \| PFN0 \| V0 D0 \| PFN1 \| V1 D1 \| written by \|$' \
	"no TLB table header"
md_check failing-step '^\*\*The failure\.\*\* Instruction [0-9]+' "no step marked as the failure"
md_check plots '^!\[g1 over the trace\]\(plot-g1\.png\)$' "plot-g1.png is not linked"

# ------------------------------------------------------------ the plots

plots=("$REPORT"/plot-g*.png)
if [ ! -e "${plots[0]}" ]; then
	fail plots "no plot-g*.png in $REPORT"
else
	# The scenario's four guests all ran.
	expect plots.count "${#plots[@]} plots, not 4" [ ${#plots[@]} -eq 4 ]
	for png in "${plots[@]}"; do
		name=$(basename "$png" .png)
		if why=$("$PNGCHECK" "$png" --size "$PLOT_SIZE" 2>&1 > /dev/null); then
			pass "plots.$name"
		else
			fail "plots.$name" "$why"
		fi
		grep -qF "]($name.png)" "$MD" || fail "plots.$name-linked" "report.md does not link $name.png"
	done
fi

# ------------------------------------------------------------ report.html

HTML=$REPORT/report.html
# Self-contained: everything it shows is inside it.
if grep -Eiq '<(link|script|iframe)|src="[^d]|url\(' "$HTML"; then
	fail html.self-contained "it loads something: $(grep -Eio '<(link|script|iframe)[^>]*|src="[^d][^"]*|url\([^)]*' "$HTML" | head -n 1)"
else
	pass html.self-contained
fi
title=$(sed -n '1s/^# //p' "$MD")
if [ -n "$title" ] && grep -qF "<h1>$(echo "$title" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g')</h1>" "$HTML"; then
	pass html.title
else
	fail html.title "its <h1> is not report.md's title"
fi
nsteps=$(echo "$steps" | grep -c .)
nli=$(sed -n '/<h2>What happened<\/h2>/,/<\/ol>/p' "$HTML" | grep -c '^<li')
expect html.steps "$nli steps, report.md has $nsteps" [ "$nli" -eq "$nsteps" ]
expect html.failing-step "no step highlighted as the failure" grep -q 'class="step failing"' "$HTML"
nimg=$(grep -c 'src="data:image/png;base64,' "$HTML")
expect html.plots "$nimg images embedded, ${#plots[@]} plots" [ "$nimg" -eq ${#plots[@]} ]

# The screenshot: a page a person can read, not a blank one.
shot=$OUT/report-html.png
if ! command -v chromium > /dev/null 2>&1; then
	fail html.chromium "chromium is not installed (make deps installs it)"
else
	start=$(date +%s%N)
	# Its own profile and home: nothing of the user's is read or written.
	HOME=$OUT/chromium-home timeout "$CHROMIUM_TIMEOUT" chromium --headless --no-sandbox \
		--disable-gpu --disable-dev-shm-usage --no-first-run \
		--user-data-dir="$OUT/chromium-profile" --screenshot="$shot" \
		--window-size=$SHOT_W,$SHOT_H "file://$HTML" > "$OUT/chromium.log" 2>&1
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	echo "report: chromium rendered report.html in $ms ms (exit status $rc)" >> "$OUT/chromium.log"
	if [ $rc -eq 124 ]; then
		fail html.chromium "chromium ran over ${CHROMIUM_TIMEOUT} s: $OUT/chromium.log"
	elif [ $rc -ne 0 ] || [ ! -s "$shot" ]; then
		fail html.chromium "chromium exited with status $rc and no screenshot: $(grep -v dbus "$OUT/chromium.log" | tail -n 1)"
	elif why=$("$PNGCHECK" "$shot" --size ${SHOT_W}x$SHOT_H 2>&1 > /dev/null); then
		pass html.chromium
	else
		fail html.chromium "$why"
	fi
fi

# ------------------------------------------------------------ without the plots

# report_without NAME PATH: the report of a copy of the run, in a folder
# whose name needs escaping in HTML, with PATH as the only search path.
report_without() {
	local dir=$OUT/$1'-<&>"'\'
	rm -rf "$dir"
	cp -r "$RUN" "$dir" && rm -rf "$dir/report"
	PATH=$2 "$TIMEOUT_BIN" "$TIMEOUT" "$VZSOAK" report "$dir" --quiet > "$OUT/$1.log" 2>&1
	rc=$?
	WHERE=$dir/report
}

# check_missing NAME WHY: the report was written, both files say the plots
# are missing and why, and the run's folder name is escaped.
check_missing() {
	local name=$1 why=$2
	if [ $rc -ne 0 ]; then
		fail "$name" "vzsoak report exited with status $rc: $(tail -n 1 "$OUT/$name.log")"
	elif ! grep -qF "The plots are missing: $why" "$WHERE/report.md"; then
		fail "$name" "report.md does not say 'The plots are missing: $why'"
	elif ! grep -qF "<p class=\"note\">The plots are missing: $why" "$WHERE/report.html"; then
		fail "$name" "report.html does not say 'The plots are missing: $why'"
	elif compgen -G "$WHERE/plot-g*.png" > /dev/null; then
		fail "$name" "a plot-g*.png was left in $WHERE"
	else
		pass "$name"
	fi
}

report_without no-gnuplot "$OUT/empty-path"
check_missing no-gnuplot "gnuplot is not installed"
# The folder's name: in a <code>, escaped.
if grep -qF 'no-gnuplot-&lt;&amp;&gt;&quot;&#39;</code>' "$WHERE/report.html" 2> /dev/null &&
	! grep -qF 'no-gnuplot-<' "$WHERE/report.html"; then
	pass html.escaped
else
	fail html.escaped "the run folder's name is not escaped in report.html"
fi

mkdir -p "$OUT/bad-gnuplot"
printf '#!/bin/sh\necho "line 3: this gnuplot is broken" >&2\nexit 1\n' > "$OUT/bad-gnuplot/gnuplot"
chmod +x "$OUT/bad-gnuplot/gnuplot"
report_without gnuplot-fails "$OUT/bad-gnuplot:/usr/bin:/bin"
check_missing gnuplot-fails "gnuplot failed (exit status 1): line 3: this gnuplot is broken"

results_end
