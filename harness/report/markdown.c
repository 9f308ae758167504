/*
 * report.md (report.h): what a kernel engineer pastes into a bug tracker.
 * Short at the top (the title, the verdict, the command that reproduces
 * it, the steps in one line each), the evidence below (the detectors'
 * findings; the runner's flags; the plots; each step with its
 * instructions, the guest's registers and TLB entries).  What it says is
 * facts.c's, shared with report.html; this file adds the Markdown.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../crashdb.h"
#include "report.h"


static void tlb_table(FILE *f, const struct replay_state *st, unsigned guest)
{
	if (!st->ntlb) {
		fprintf(f, "g%u has no valid entry in the TLB here.\n\n", guest);
		return;
	}
	fputc('|', f);
	for (unsigned c = 0; c < REPORT_TLB_COLS; c++)
		fprintf(f, " %s |", report_tlb_header[c]);
	fprintf(f, "\n|---:|---:|---|---|---|---|---|---|---|---|\n");
	for (unsigned i = 0; i < st->ntlb; i++) {
		char cells[REPORT_TLB_COLS][REPORT_CELL];
		report_tlb_cells(st->tlb[i].entry, &st->tlb[i].e, &st->tlb[i].by, cells);
		fputc('|', f);
		for (unsigned c = 0; c < REPORT_TLB_COLS; c++)
			fprintf(f, " %s |", cells[c]);
		fputc('\n', f);
	}
	fputc('\n', f);
}

static void step_detail(FILE *f, const struct story *s, unsigned k, bool failing,
			bool r_no_replay)
{
	const struct story_step *st = &s->step[k];
	fprintf(f, "### %u. ", k + 1);
	md_cell(f, st->what);
	fprintf(f, "\n\n%sInstruction %" PRIu64 ", g%u.\n\n",
		failing ? "**The failure.** " : "", st->index, st->guest);
	if (st->ninsn) {
		fprintf(f, "```\n");
		for (unsigned i = 0; i < st->ninsn; i++)
			fprintf(f, "%10" PRIu64 "  %s\n", st->insn[i].index, st->insn[i].text);
		fprintf(f, "```\n\n");
	}
	const struct replay_state *rs = &st->st;
	if (!rs->valid) {
		fprintf(f, "(%s)\n\n", report_no_state(r_no_replay));
		return;
	}
	if (rs->guestid == s->guest) {
		fprintf(f, "g%u's registers after it%s:\n\n| register | value | |\n|---|---|---|\n",
			s->guest, rs->in_guest ? "" : " (the CPU is in root mode; the guest's CP0 "
						       "is still loaded)");
		for (unsigned r = 0; r < SR_COUNT; r++) {
			char note[96];
			report_reg_note(r, rs, note, sizeof note);
			fprintf(f, "| %s | 0x%08" PRIx32 " | %s |\n", story_reg_name(r), rs->cp0[r],
				note);
		}
		uint32_t used = report_gprs_used(st);
		for (unsigned r = 0; r < 32; r++)
			if (used & (1u << r))
				fprintf(f, "| $%s | 0x%08" PRIx32 " | |\n", report_gpr_name(r),
					rs->gpr[r]);
		fputc('\n', f);
	} else {
		fprintf(f, "g%u's CP0 is not loaded here (GuestID %u is): the hypervisor keeps "
			"it until g%u runs again.\n\n", s->guest, rs->guestid, s->guest);
	}
	fprintf(f, "g%u's TLB entries (those mapping 0x%08" PRIx32 " first):\n\n", s->guest, s->va);
	tlb_table(f, rs, s->guest);
}

static void plots(FILE *f, const struct report *r)
{
	const struct report_plots *p = &r->plots;
	fprintf(f, "## Plots\n\n");
	if (!p->n) {
		fprintf(f, "The plots are missing: %s.\n\n", p->missing);
		return;
	}
	fprintf(f, "Per guest over the trace: TLB exceptions it took, its entries, its "
		"heartbeats and its PageMask at its exits; the red line is the failure.\n\n");
	if (p->missing[0])
		fprintf(f, "Some plots are missing: %s.\n\n", p->missing);
	for (unsigned i = 0; i < p->n; i++)
		fprintf(f, "![g%u over the trace](%s)\n\n", p->plot[i].guest, p->plot[i].file);
}

void report_markdown(FILE *f, const struct report *r)
{
	const struct report_input *in = &r->in;
	char text[1024];
	fprintf(f, "# %s\n\n", report_title(r));
	report_verdict(r, text, sizeof text);
	fprintf(f, "**Verdict:** %s\n\n", text);

	fprintf(f, "Reproduce:\n\n```sh\n%s\n```\n\n", in->repro ? in->repro : "?");
	fprintf(f, "| | |\n|---|---|\n");
	fprintf(f, "| run | `%s`%s%s%s |\n", in->run_dir, in->crash_dir ? " (of the crash folder `" : "",
		in->crash_dir ? in->crash_dir : "", in->crash_dir ? "`)" : "");
	report_scenario_text(&in->scn, text, sizeof text);
	fprintf(f, "| scenario | %s |\n", text);
	report_board_text(&in->scn, text, sizeof text);
	fprintf(f, "| board | ");
	md_cell(f, text);
	char hv[4200], guest[4300];
	report_images_text(in, hv, sizeof hv, guest, sizeof guest);
	fprintf(f, " |\n| hypervisor | ");
	md_cell(f, hv);
	fprintf(f, " |\n| guest image | ");
	md_cell(f, guest);
	fprintf(f, " |\n");
	if (r->notes[0]) {
		fprintf(f, "| decoding | ");
		md_cell(f, r->notes);
		fprintf(f, " |\n");
	}
	fprintf(f, "| replay | %s |\n\n", r->replay_note);

	if (r->have_story) {
		const struct story *s = &r->story;
		fprintf(f, "## What happened\n\n");
		for (unsigned k = 0; k < s->nsteps; k++) {
			fprintf(f, "%u. ", k + 1);
			md_cell(f, s->step[k].what);
			fprintf(f, " (instruction %" PRIu64 ")\n", s->step[k].index);
		}
		if (s->truncated)
			fprintf(f, "\n(steps in the middle left out: the handler ran long)\n");
		fputc('\n', f);
	}

	fprintf(f, "## Findings\n\n");
	if (!r->nfindings) {
		fprintf(f, "The trace detectors found nothing.\n\n");
	} else {
		fprintf(f, "The trace detectors (`pdtrace detect %s`): %zu findings, %u bugs.\n\n",
			r->trace, r->nfindings, r->bugs);
		fprintf(f, "| severity | guest | instruction | title | seen |\n|---|---|---:|---|---:|\n");
		for (size_t i = 0; i < r->nfindings; i++) {
			const struct pdt_finding *x = &r->findings[i];
			fprintf(f, "| %s | g%u | %" PRIu64 " | ", pdt_severity_name(x->sev), x->guest,
				x->index);
			md_cell(f, x->title);
			fprintf(f, " | %" PRIu64 " |\n", x->count);
		}
		fputc('\n', f);
	}
	if (r->no_replay)
		fprintf(f, "The runner's flags: see the run's summary.txt (not replayed).\n\n");
	else if (!r->flags.nflags)
		fprintf(f, "The runner's flags in the replay: none.\n\n");
	else
		fprintf(f, "The runner's flags in the replay:\n\n");
	for (unsigned i = 0; i < r->flags.nflags; i++) {
		report_flag_text(&r->flags.flags[i], text, sizeof text);
		fprintf(f, "- %s\n", text);
	}
	if (r->flags.nflags)
		fputc('\n', f);

	if (r->console)
		fprintf(f, "## g%u's console\n\nWhat its kernel printed up to the failure "
			"(console.log, the last lines):\n\n```\n%s```\n\n", r->console_guest,
			r->console);
	plots(f, r);
	fprintf(f, "## The trace diff against a good run\n\n");
	fprintf(f, "Good run: ");
	md_cell(f, r->good_note);
	fprintf(f, ".\n\n");
	if (r->diff_text) {
		fprintf(f, "Where g%u's flow in this run parts from the good run's (`pdtrace diff`):\n\n"
			"```\n%s```\n\n", r->story.guest, r->diff_text);
	}

	if (r->have_story) {
		int failing = report_failing_step(r);
		fprintf(f, "## The story, step by step\n\n");
		for (unsigned k = 0; k < r->story.nsteps; k++)
			step_detail(f, &r->story, k, (int)k == failing, r->no_replay);
		fprintf(f, "## Evidence\n\n");
		for (size_t i = 0; i < r->nfindings; i++)
			if (r->findings[i].sev == PDT_SEV_BUG)
				fprintf(f, "- %s: %s\n", r->findings[i].title, r->findings[i].evidence);
		fputc('\n', f);
	}
}
