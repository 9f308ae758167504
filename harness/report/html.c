/*
 * report.html (report.h): report.md's content in the same order, for a
 * browser, in one file a reader can mail or attach: the style inline, the
 * plots embedded as data: URIs.  Sans-serif text, monospace for code and
 * for the tables of hex values, the failing step highlighted, the plots
 * below the findings.  Every text from the run is escaped; what is said
 * comes from facts.c, shared with report.md.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "report.h"

/* A plot larger than this is not one of ours: left out, not embedded. */
#define PLOT_MAX_BYTES (32u << 20)

static const char style[] =
	"body{font-family:sans-serif;max-width:1100px;margin:1.5em auto;padding:0 1em;"
	"color:#1a1a1a;background:#fff;line-height:1.45}\n"
	"h1{font-size:1.6em;border-bottom:2px solid #d00000;padding-bottom:.2em}\n"
	"h2{margin-top:1.6em;border-bottom:1px solid #ccc}\n"
	"code,pre,.mono{font-family:monospace}\n"
	"pre{background:#f4f4f4;border:1px solid #ddd;padding:.6em;overflow-x:auto}\n"
	"table{border-collapse:collapse;margin:.5em 0 1em}\n"
	"th,td{border:1px solid #ccc;padding:.2em .6em;text-align:left;vertical-align:top}\n"
	"th{background:#eef1f8}\n"
	"table.hex td{font-family:monospace}\n"
	"td.num{text-align:right}\n"
	".verdict{background:#fff6e0;border:1px solid #e0c080;padding:.5em .8em}\n"
	"section.step{margin:1em 0;padding:.1em 1em}\n"
	"section.failing{border-left:6px solid #d00000;background:#fff0f0}\n"
	"li.failing{font-weight:bold;color:#a00000}\n"
	".tag{background:#d00000;color:#fff;padding:0 .4em;border-radius:3px}\n"
	".note{color:#8a4b00}\n"
	"img.plot{max-width:100%;border:1px solid #ddd;margin:.5em 0}\n";

/* Text from the run, safe in an element or an attribute. */
static void text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* <tag>text</tag> */
static void element(FILE *f, const char *tag, const char *s)
{
	fprintf(f, "<%s>", tag);
	text(f, s);
	fprintf(f, "</%s>", tag);
}

static void run_row(FILE *f, const char *name, const char *value, bool code)
{
	fprintf(f, "<tr><th>%s</th><td>", name);
	if (code)
		element(f, "code", value);
	else
		text(f, value);
	fputs("</td></tr>\n", f);
}

static void run_table(FILE *f, const struct report *r)
{
	const struct report_input *in = &r->in;
	char buf[1024];
	fputs("<table>\n<tr><th>run</th><td>", f);
	element(f, "code", in->run_dir);
	if (in->crash_dir) {
		fputs(" (of the crash folder ", f);
		element(f, "code", in->crash_dir);
		fputs(")", f);
	}
	fputs("</td></tr>\n", f);
	report_scenario_text(&in->scn, buf, sizeof buf);
	run_row(f, "scenario", buf, false);
	report_board_text(&in->scn, buf, sizeof buf);
	run_row(f, "board", buf, false);
	char hv[4200], guest[4300];
	report_images_text(in, hv, sizeof hv, guest, sizeof guest);
	run_row(f, "hypervisor", hv, true);
	run_row(f, "guest image", guest, false);
	if (r->notes[0])
		run_row(f, "decoding", r->notes, false);
	run_row(f, "replay", r->replay_note, false);
	fputs("</table>\n", f);
}

static void what_happened(FILE *f, const struct report *r)
{
	const struct story *s = &r->story;
	int failing = report_failing_step(r);
	fputs("<h2>What happened</h2>\n<ol>\n", f);
	for (unsigned k = 0; k < s->nsteps; k++) {
		fprintf(f, "<li%s><a href=\"#step-%u\">", (int)k == failing ? " class=\"failing\"" : "",
			k + 1);
		text(f, s->step[k].what);
		fprintf(f, "</a> (instruction %" PRIu64 ")</li>\n", s->step[k].index);
	}
	fputs("</ol>\n", f);
	if (s->truncated)
		fputs("<p>(steps in the middle left out: the handler ran long)</p>\n", f);
}

static void findings(FILE *f, const struct report *r)
{
	fputs("<h2>Findings</h2>\n", f);
	if (!r->nfindings) {
		fputs("<p>The trace detectors found nothing.</p>\n", f);
	} else {
		fputs("<p>The trace detectors (<code>pdtrace detect ", f);
		text(f, r->trace);
		fprintf(f, "</code>): %zu findings, %u bugs.</p>\n", r->nfindings, r->bugs);
		fputs("<table>\n<tr><th>severity</th><th>guest</th><th>instruction</th><th>title</th>"
		      "<th>seen</th></tr>\n", f);
		for (size_t i = 0; i < r->nfindings; i++) {
			const struct pdt_finding *x = &r->findings[i];
			fprintf(f, "<tr><td>%s</td><td>g%u</td><td class=\"num\">%" PRIu64 "</td><td>",
				pdt_severity_name(x->sev), x->guest, x->index);
			text(f, x->title);
			fprintf(f, "</td><td class=\"num\">%" PRIu64 "</td></tr>\n", x->count);
		}
		fputs("</table>\n", f);
	}
	if (r->no_replay) {
		fputs("<p>The runner's flags: see the run's summary.txt (not replayed).</p>\n", f);
		return;
	}
	if (!r->flags.nflags) {
		fputs("<p>The runner's flags in the replay: none.</p>\n", f);
		return;
	}
	fputs("<p>The runner's flags in the replay:</p>\n<ul>\n", f);
	for (unsigned i = 0; i < r->flags.nflags; i++) {
		char buf[1024];
		report_flag_text(&r->flags.flags[i], buf, sizeof buf);
		element(f, "li", buf);
		fputc('\n', f);
	}
	fputs("</ul>\n", f);
}

/* The PNG at dir/name as a data: URI image; false if it cannot be read. */
static bool embed_png(FILE *f, const char *dir, const char *name, const char *alt, char *why,
		      size_t whylen)
{
	char *path;
	if (asprintf(&path, "%s/%s", dir, name) < 0) {
		snprintf(why, whylen, "out of memory");
		return false;
	}
	FILE *in = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t n = 0;
	bool ok = false;
	if (!in) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
	} else if (!(buf = malloc(PLOT_MAX_BYTES + 1))) {
		snprintf(why, whylen, "out of memory");
	} else {
		n = fread(buf, 1, PLOT_MAX_BYTES + 1, in);
		if (ferror(in))
			snprintf(why, whylen, "%s: read error", path);
		else if (n > PLOT_MAX_BYTES)
			snprintf(why, whylen, "%s: larger than %u MiB", path, PLOT_MAX_BYTES >> 20);
		else
			ok = true;
	}
	if (in)
		fclose(in);
	if (ok) {
		fputs("<img class=\"plot\" alt=\"", f);
		text(f, alt);
		fputs("\" src=\"data:image/png;base64,", f);
		base64_write(f, buf, n);
		fputs("\">\n", f);
	}
	free(buf);
	free(path);
	return ok;
}

static void plots(FILE *f, const struct report *r)
{
	const struct report_plots *p = &r->plots;
	fputs("<h2>Plots</h2>\n", f);
	if (!p->n) {
		fputs("<p class=\"note\">The plots are missing: ", f);
		text(f, p->missing);
		fputs(".</p>\n", f);
		return;
	}
	fputs("<p>Per guest over the trace: TLB exceptions it took, its entries, its heartbeats "
	      "and its PageMask at its exits; the red line is the failure.</p>\n", f);
	if (p->missing[0]) {
		fputs("<p class=\"note\">Some plots are missing: ", f);
		text(f, p->missing);
		fputs(".</p>\n", f);
	}
	for (unsigned i = 0; i < p->n; i++) {
		char alt[64], why[512];
		snprintf(alt, sizeof alt, "g%u over the trace", p->plot[i].guest);
		if (!embed_png(f, r->out_dir, p->plot[i].file, alt, why, sizeof why)) {
			fprintf(f, "<p class=\"note\">The plot of g%u is missing: ", p->plot[i].guest);
			text(f, why);
			fputs(".</p>\n", f);
		}
	}
}

static void registers(FILE *f, const struct story *s, const struct story_step *st)
{
	const struct replay_state *rs = &st->st;
	fprintf(f, "<p>g%u's registers after it%s:</p>\n", s->guest,
		rs->in_guest ? "" : " (the CPU is in root mode; the guest's CP0 is still loaded)");
	fputs("<table class=\"hex\">\n<tr><th>register</th><th>value</th><th>note</th></tr>\n", f);
	for (unsigned r = 0; r < SR_COUNT; r++) {
		char note[96];
		report_reg_note(r, rs, note, sizeof note);
		fprintf(f, "<tr><td>%s</td><td>0x%08" PRIx32 "</td><td>", story_reg_name(r),
			rs->cp0[r]);
		text(f, note);
		fputs("</td></tr>\n", f);
	}
	uint32_t used = report_gprs_used(st);
	for (unsigned r = 0; r < 32; r++)
		if (used & (1u << r))
			fprintf(f, "<tr><td>$%s</td><td>0x%08" PRIx32 "</td><td></td></tr>\n",
				report_gpr_name(r), rs->gpr[r]);
	fputs("</table>\n", f);
}

static void tlb_table(FILE *f, const struct replay_state *st, unsigned guest)
{
	if (!st->ntlb) {
		fprintf(f, "<p>g%u has no valid entry in the TLB here.</p>\n", guest);
		return;
	}
	fputs("<table class=\"hex\">\n<tr>", f);
	for (unsigned c = 0; c < REPORT_TLB_COLS; c++)
		fprintf(f, "<th>%s</th>", report_tlb_header[c]);
	fputs("</tr>\n", f);
	for (unsigned i = 0; i < st->ntlb; i++) {
		char cells[REPORT_TLB_COLS][REPORT_CELL];
		report_tlb_cells(st->tlb[i].entry, &st->tlb[i].e, &st->tlb[i].by, cells);
		fputs("<tr>", f);
		for (unsigned c = 0; c < REPORT_TLB_COLS; c++)
			element(f, "td", cells[c]);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void step_detail(FILE *f, const struct story *s, unsigned k, bool failing,
			bool no_replay)
{
	const struct story_step *st = &s->step[k];
	fprintf(f, "<section class=\"step%s\" id=\"step-%u\">\n<h3>%u. ", failing ? " failing" : "",
		k + 1, k + 1);
	text(f, st->what);
	fprintf(f, "</h3>\n<p>%sInstruction %" PRIu64 ", g%u.</p>\n",
		failing ? "<span class=\"tag\">the failure</span> " : "", st->index, st->guest);
	if (st->ninsn) {
		fputs("<pre>", f);
		for (unsigned i = 0; i < st->ninsn; i++) {
			fprintf(f, "%10" PRIu64 "  ", st->insn[i].index);
			text(f, st->insn[i].text);
			fputc('\n', f);
		}
		fputs("</pre>\n", f);
	}
	const struct replay_state *rs = &st->st;
	if (!rs->valid) {
		fprintf(f, "<p>(%s)</p>\n</section>\n", report_no_state(no_replay));
		return;
	}
	if (rs->guestid == s->guest)
		registers(f, s, st);
	else
		fprintf(f, "<p>g%u's CP0 is not loaded here (GuestID %u is): the hypervisor keeps "
			"it until g%u runs again.</p>\n", s->guest, rs->guestid, s->guest);
	fprintf(f, "<p>g%u's TLB entries (those mapping <code>0x%08" PRIx32 "</code> first):</p>\n",
		s->guest, s->va);
	tlb_table(f, rs, s->guest);
	fputs("</section>\n", f);
}

void report_html(FILE *f, const struct report *r)
{
	const struct report_input *in = &r->in;
	char buf[1024];
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", f);
	text(f, report_title(r));
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
	element(f, "h1", report_title(r));
	report_verdict(r, buf, sizeof buf);
	fputs("\n<p class=\"verdict\"><strong>Verdict:</strong> ", f);
	text(f, buf);
	fputs("</p>\n<p>Reproduce:</p>\n<pre>", f);
	text(f, in->repro ? in->repro : "?");
	fputs("</pre>\n", f);
	run_table(f, r);
	if (r->have_story)
		what_happened(f, r);
	findings(f, r);
	if (r->console) {
		fprintf(f, "<h2>g%u's console</h2>\n<p>What its kernel printed up to the failure "
			"(console.log, the last lines):</p>\n<pre>", r->console_guest);
		text(f, r->console);
		fputs("</pre>\n", f);
	}
	plots(f, r);
	fputs("<h2>The trace diff against a good run</h2>\n<p>Good run: ", f);
	text(f, r->good_note);
	fputs(".</p>\n", f);
	if (r->diff_text) {
		fprintf(f, "<p>Where g%u's flow in this run parts from the good run's "
			"(<code>pdtrace diff</code>):</p>\n<pre class=\"diff\">", r->story.guest);
		text(f, r->diff_text);
		fputs("</pre>\n", f);
	}
	if (r->have_story) {
		int failing = report_failing_step(r);
		fputs("<h2>The story, step by step</h2>\n", f);
		for (unsigned k = 0; k < r->story.nsteps; k++)
			step_detail(f, &r->story, k, (int)k == failing, r->no_replay);
		fputs("<h2>Evidence</h2>\n<ul>\n", f);
		for (size_t i = 0; i < r->nfindings; i++)
			if (r->findings[i].sev == PDT_SEV_BUG) {
				fputs("<li>", f);
				text(f, r->findings[i].title);
				fputs(": ", f);
				text(f, r->findings[i].evidence);
				fputs("</li>\n", f);
			}
		fputs("</ul>\n", f);
	}
	fputs("</body>\n</html>\n", f);
}
