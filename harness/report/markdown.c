/*
 * report.md (report.h): what a kernel engineer pastes into a bug tracker.
 * Short at the top (the title, the verdict, the command that reproduces
 * it, the steps in one line each), the evidence below (each step with its
 * instructions, the guest's registers and TLB entries; the detectors'
 * findings; the runner's flags).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <mips/isa.h>

#include "report.h"

/* A cell without the '|' that would end it. */
static void cell(FILE *f, const char *s)
{
	for (; *s; s++)
		if (*s == '|')
			fputs("\\|", f);
		else
			fputc(*s, f);
}

static void page_size(uint32_t pm, char *buf, size_t len)
{
	pdt_page_size_text(pm, buf, len);
}

/* What a register's value says, where it says something at a glance. */
static void reg_note(enum story_reg r, uint32_t v, char *buf, size_t len)
{
	char tmp[16];
	buf[0] = 0;
	switch (r) {
	case SR_INDEX:
		if (v & 0x80000000u)
			snprintf(buf, len, "P set: the last tlbp found no entry");
		else
			snprintf(buf, len, "entry %" PRIu32, v & 0x3fu);
		break;
	case SR_PAGEMASK:
		page_size(v, tmp, sizeof tmp);
		snprintf(buf, len, "%s pages", tmp);
		break;
	case SR_ENTRYHI:
		snprintf(buf, len, "VPN2 0x%08" PRIx32 ", ASID 0x%02" PRIx32, v & 0xffffe000u,
			 v & 0xffu);
		break;
	case SR_ENTRYLO0:
	case SR_ENTRYLO1:
		snprintf(buf, len, "PFN 0x%05" PRIx32 "%s%s", (v >> 6) & 0xfffffu,
			 v & 2 ? ", valid" : ", not valid", v & 4 ? ", dirty" : "");
		break;
	case SR_CAUSE:
		snprintf(buf, len, "ExcCode %s", pdt_exc_text((v >> 2) & 0x1f, tmp, sizeof tmp));
		break;
	case SR_STATUS:
		snprintf(buf, len, "%s%s", v & 2 ? "EXL" : "EXL clear", v & 4 ? ", ERL" : "");
		break;
	default:
		break;
	}
}

/* The GPRs an excerpt's instructions name (rs, rt, rd of each). */
static uint32_t gprs_used(const struct story_step *st)
{
	uint32_t m = 0;
	for (unsigned i = 0; i < st->ninsn; i++) {
		uint32_t w = st->insn[i].word;
		if (!w)
			continue;
		m |= 1u << isa_rs(w) | 1u << isa_rt(w);
		if ((w >> 26) == 0)
			m |= 1u << isa_rd(w);
	}
	return m & ~1u; /* not $zero */
}

static const char *const gpr_names[32] = {
	"zero", "at", "v0", "v1", "a0", "a1", "a2", "a3", "t0", "t1", "t2", "t3", "t4",
	"t5", "t6", "t7", "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "t8", "t9",
	"k0", "k1", "gp", "sp", "fp", "ra",
};

static void tlb_table(FILE *f, const struct replay_state *st, unsigned guest)
{
	if (!st->ntlb) {
		fprintf(f, "g%u has no valid entry in the TLB here.\n\n", guest);
		return;
	}
	fprintf(f, "| entry | GuestID | VPN2 | ASID | page | PFN0 | V0 D0 | PFN1 | V1 D1 | written by |\n"
		   "|---:|---:|---|---|---|---|---|---|---|---|\n");
	for (unsigned i = 0; i < st->ntlb; i++) {
		const struct vzsim_tlb_entry *e = &st->tlb[i].e;
		char pm[16];
		page_size(e->pagemask, pm, sizeof pm);
		fprintf(f, "| %u | %u | 0x%08" PRIx32 " | 0x%02" PRIx32 " | %s | 0x%05" PRIx32
			" | %u %u | 0x%05" PRIx32 " | %u %u |", st->tlb[i].entry, e->guestid,
			e->entryhi & 0xffffe000u, e->entryhi & 0xffu, pm,
			(e->entrylo0 >> 6) & 0xfffffu, (e->entrylo0 >> 1) & 1, (e->entrylo0 >> 2) & 1,
			(e->entrylo1 >> 6) & 0xfffffu, (e->entrylo1 >> 1) & 1, (e->entrylo1 >> 2) & 1);
		const struct tlb_writer *by = &st->tlb[i].by;
		if (!by->known)
			fprintf(f, " - |\n");
		else if (by->guest)
			fprintf(f, " g%u %s at %" PRIu64 " |\n", by->guestid, tlb_how_name(by->how),
				by->index);
		else
			fprintf(f, " hv %s at %" PRIu64 " |\n", tlb_how_name(by->how), by->index);
	}
	fputc('\n', f);
}

static void step_detail(FILE *f, const struct story *s, unsigned k, bool r_no_replay)
{
	const struct story_step *st = &s->step[k];
	fprintf(f, "### %u. ", k + 1);
	cell(f, st->what);
	fprintf(f, "\n\nInstruction %" PRIu64 ", g%u.\n\n", st->index, st->guest);
	if (st->ninsn) {
		fprintf(f, "```\n");
		for (unsigned i = 0; i < st->ninsn; i++)
			fprintf(f, "%10" PRIu64 "  %s\n", st->insn[i].index, st->insn[i].text);
		fprintf(f, "```\n\n");
	}
	const struct replay_state *rs = &st->st;
	if (!rs->valid) {
		fprintf(f, "%s\n\n", r_no_replay ? "(not replayed: no registers or TLB entries; "
			"the capture shows the control flow and the hypervisor's messages)"
			: "(the replay ended before this instruction: no state)");
		return;
	}
	if (rs->guestid == s->guest) {
		fprintf(f, "g%u's registers after it%s:\n\n| register | value | |\n|---|---|---|\n",
			s->guest, rs->in_guest ? "" : " (the CPU is in root mode; the guest's CP0 "
						       "is still loaded)");
		for (unsigned r = 0; r < SR_COUNT; r++) {
			char note[96];
			reg_note(r, rs->cp0[r], note, sizeof note);
			fprintf(f, "| %s | 0x%08" PRIx32 " | %s |\n", story_reg_name(r), rs->cp0[r],
				note);
		}
		uint32_t used = rs->in_guest ? gprs_used(st) : 0;
		for (unsigned r = 0; r < 32; r++)
			if (used & (1u << r))
				fprintf(f, "| $%s | 0x%08" PRIx32 " | |\n", gpr_names[r], rs->gpr[r]);
		fputc('\n', f);
	} else {
		fprintf(f, "g%u's CP0 is not loaded here (GuestID %u is): the hypervisor keeps "
			"it until g%u runs again.\n\n", s->guest, rs->guestid, s->guest);
	}
	fprintf(f, "g%u's TLB entries (those mapping 0x%08" PRIx32 " first):\n\n", s->guest, s->va);
	tlb_table(f, rs, s->guest);
}

void report_markdown(FILE *f, const struct report *r)
{
	const struct report_input *in = &r->in;
	const struct scenario *scn = &in->scn;
	const char *title = r->have_story ? r->story.finding->title
			    : in->title[0] ? in->title : "clean run";
	fprintf(f, "# %s\n\n", title);
	if (r->have_story)
		fprintf(f, "**Verdict:** a bug in g%u, proven by the trace at instruction %" PRIu64
			" (%s). The run's own first flag: %s.\n\n", r->story.guest,
			r->story.finding->index, pdt_detector_name(r->story.finding->det),
			in->title[0] ? in->title : "none");
	else if (in->title[0])
		fprintf(f, "**Verdict:** flagged by the runner (%s); the trace detectors found no "
			"bug to tell the story of.\n\n", in->title);
	else
		fprintf(f, "**Verdict:** clean: no flag, no bug in the trace.\n\n");

	fprintf(f, "Reproduce:\n\n```sh\n%s\n```\n\n", in->repro ? in->repro : "?");
	fprintf(f, "| | |\n|---|---|\n");
	fprintf(f, "| run | `%s`%s%s%s |\n", in->run_dir, in->crash_dir ? " (of the crash folder `" : "",
		in->crash_dir ? in->crash_dir : "", in->crash_dir ? "`)" : "");
	fprintf(f, "| scenario | %s, seed %" PRIu32 ", %" PRIu32 " guests, sched %s, quantum %"
		PRIu32 ", preserve %s, tlbp-check %s |\n", scn->name, scn->seed, scn->guests,
		scn->sched == SCN_SCHED_AIM ? "aim" : "rr", scn->quantum,
		scn->preserve ? "on" : "off",
		scn->tlbp_check == 0 ? "off" : scn->tlbp_check == 1 ? "index" : "on");
	fprintf(f, "| board | vzsim");
	for (unsigned i = 0; i < scn->nboard; i++)
		fprintf(f, ", %s=%s", scn->board[i].name, scn->board[i].value);
	fprintf(f, " |\n| hypervisor | `%s` (sha256 %s) |\n| guest image | %s: `%s` (sha256 %s) |\n",
		in->hv, in->hv_sha256[0] ? in->hv_sha256 : "unreadable", scn->image,
		in->guest_image, in->guest_sha256[0] ? in->guest_sha256 : "unreadable");
	if (r->notes[0]) {
		fprintf(f, "| decoding | ");
		cell(f, r->notes);
		fprintf(f, " |\n");
	}
	fprintf(f, "| replay | %s |\n\n", r->replay_note);

	if (r->have_story) {
		const struct story *s = &r->story;
		fprintf(f, "## What happened\n\n");
		for (unsigned k = 0; k < s->nsteps; k++) {
			fprintf(f, "%u. ", k + 1);
			cell(f, s->step[k].what);
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
			cell(f, x->title);
			fprintf(f, " | %" PRIu64 " |\n", x->count);
		}
		fputc('\n', f);
	}
	if (r->no_replay)
		fprintf(f, "The runner's flags: see the run's summary.txt (not replayed).\n\n");
	else
		fprintf(f, "The runner's flags in the replay:");
	if (r->no_replay)
		;
	else if (!r->flags.nflags)
		fprintf(f, " none.\n\n");
	else
		fputs("\n\n", f);
	for (unsigned i = 0; i < r->flags.nflags; i++) {
		const struct flag *fl = &r->flags.flags[i];
		fprintf(f, "- ");
		if (fl->guest)
			fprintf(f, "g%u", fl->guest);
		else
			fprintf(f, "hv");
		fprintf(f, " %s at instruction %" PRIu64 ": %s (%s)\n", flag_kind_name(fl->kind),
			fl->insns, flag_title(fl), fl->msg);
	}
	if (r->flags.nflags)
		fputc('\n', f);

	if (r->have_story) {
		fprintf(f, "## The story, step by step\n\n");
		for (unsigned k = 0; k < r->story.nsteps; k++)
			step_detail(f, &r->story, k, r->no_replay);
		fprintf(f, "## Evidence\n\n");
		for (size_t i = 0; i < r->nfindings; i++)
			if (r->findings[i].sev == PDT_SEV_BUG)
				fprintf(f, "- %s: %s\n", r->findings[i].title, r->findings[i].evidence);
		fputc('\n', f);
	}
}
