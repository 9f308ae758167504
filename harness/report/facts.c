/*
 * What report.md and report.html both say (report.h): the title, the
 * verdict, the run's table, the registers' notes, the GPRs an excerpt
 * names, the TLB table's cells.  One definition here, so the two files
 * cannot tell different stories; each writer adds only its markup.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <mips/isa.h>

#include "report.h"

const char *report_title(const struct report *r)
{
	if (r->have_story)
		return r->story.finding->title;
	return r->in.title[0] ? r->in.title : "clean run";
}

void report_verdict(const struct report *r, char *buf, size_t len)
{
	const struct report_input *in = &r->in;
	if (r->have_story)
		snprintf(buf, len, "a bug in g%u, proven by the trace at instruction %" PRIu64
			 " (%s). The run's own first flag: %s.", r->story.guest,
			 r->story.finding->index, pdt_detector_name(r->story.finding->det),
			 in->title[0] ? in->title : "none");
	else if (in->title[0])
		snprintf(buf, len, "flagged by the runner (%s); the trace detectors found no "
			 "bug to tell the story of.", in->title);
	else
		snprintf(buf, len, "clean: no flag, no bug in the trace.");
}

void report_scenario_text(const struct scenario *scn, char *buf, size_t len)
{
	snprintf(buf, len, "%s, seed %" PRIu32 ", %" PRIu32 " guests, sched %s, quantum %"
		 PRIu32 ", preserve %s, tlbp-check %s", scn->name, scn->seed, scn->guests,
		 scn->sched == SCN_SCHED_AIM ? "aim" : "rr", scn->quantum,
		 scn->preserve ? "on" : "off",
		 scn->tlbp_check == 0 ? "off" : scn->tlbp_check == 1 ? "index" : "on");
}

void report_board_text(const struct scenario *scn, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "vzsim");
	for (unsigned i = 0; i < scn->nboard && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, ", %s=%s", scn->board[i].name,
				      scn->board[i].value);
}

void report_flag_text(const struct flag *fl, char *buf, size_t len)
{
	char who[16];
	if (fl->guest)
		snprintf(who, sizeof who, "g%u", fl->guest);
	else
		snprintf(who, sizeof who, "hv");
	snprintf(buf, len, "%s %s at instruction %" PRIu64 ": %s (%s)", who,
		 flag_kind_name(fl->kind), fl->insns, flag_title(fl), fl->msg);
}

bool report_failure_index(const struct report *r, uint64_t *at)
{
	if (r->have_story) {
		*at = r->story.finding->index;
		return true;
	}
	for (size_t i = 0; i < r->nfindings; i++)
		if (r->findings[i].sev == PDT_SEV_BUG) {
			*at = r->findings[i].index;
			return true;
		}
	if (r->in.title[0] && r->in.ttf) {
		*at = r->in.ttf;
		return true;
	}
	return false;
}

int report_failing_step(const struct report *r)
{
	if (!r->have_story)
		return -1;
	const struct story *s = &r->story;
	for (unsigned k = 0; k < s->nsteps; k++)
		if (s->step[k].guest == s->guest && s->step[k].index >= s->finding->index)
			return (int)k;
	return -1;
}

void report_reg_note(enum story_reg r, const struct replay_state *st, char *buf, size_t len)
{
	uint32_t v = st->cp0[r];
	char tmp[16];
	buf[0] = 0;
	switch (r) {
	case SR_INDEX:
		if (v & 0x80000000u)
			snprintf(buf, len, "P set: the last tlbp found no entry");
		else
			/* The guest's Index counts its part of the TLB, which the
			 * tables number among all the entries. */
			snprintf(buf, len, "guest entry %" PRIu32 " (TLB entry %" PRIu32 ")", v & 0xffu,
				 st->guest_base + (v & 0xffu));
		break;
	case SR_PAGEMASK:
		pdt_page_size_text(v, tmp, sizeof tmp);
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

uint32_t report_gprs_used(const struct story_step *st)
{
	if (!st->st.in_guest)
		return 0; /* the GPRs read back are the hypervisor's, not the guest's */
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

const char *report_gpr_name(unsigned r)
{
	static const char *const names[32] = {
		"zero", "at", "v0", "v1", "a0", "a1", "a2", "a3", "t0", "t1", "t2", "t3", "t4",
		"t5", "t6", "t7", "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "t8", "t9",
		"k0", "k1", "gp", "sp", "fp", "ra",
	};
	return names[r & 31];
}

const char *const report_tlb_header[REPORT_TLB_COLS] = {
	"entry", "GuestID", "VPN2", "ASID", "page", "PFN0", "V0 D0", "PFN1", "V1 D1",
	"written by",
};

void report_tlb_cells(unsigned entry, const struct vzsim_tlb_entry *e,
		      const struct tlb_writer *by, char cell[REPORT_TLB_COLS][REPORT_CELL])
{
	snprintf(cell[0], REPORT_CELL, "%u", entry);
	snprintf(cell[1], REPORT_CELL, "%u", e->guestid);
	snprintf(cell[2], REPORT_CELL, "0x%08" PRIx32, e->entryhi & 0xffffe000u);
	snprintf(cell[3], REPORT_CELL, "0x%02" PRIx32, e->entryhi & 0xffu);
	pdt_page_size_text(e->pagemask, cell[4], REPORT_CELL);
	snprintf(cell[5], REPORT_CELL, "0x%05" PRIx32, (e->entrylo0 >> 6) & 0xfffffu);
	snprintf(cell[6], REPORT_CELL, "%u %u", (e->entrylo0 >> 1) & 1, (e->entrylo0 >> 2) & 1);
	snprintf(cell[7], REPORT_CELL, "0x%05" PRIx32, (e->entrylo1 >> 6) & 0xfffffu);
	snprintf(cell[8], REPORT_CELL, "%u %u", (e->entrylo1 >> 1) & 1, (e->entrylo1 >> 2) & 1);
	if (!by->known)
		snprintf(cell[9], REPORT_CELL, "-");
	else if (by->guest)
		snprintf(cell[9], REPORT_CELL, "g%u %s at %" PRIu64, by->guestid,
			 tlb_how_name(by->how), by->index);
	else
		snprintf(cell[9], REPORT_CELL, "hv %s at %" PRIu64, tlb_how_name(by->how), by->index);
}

void report_images_text(const struct report_input *in, char *hv, size_t hvlen, char *guest,
			size_t guestlen)
{
	snprintf(hv, hvlen, "%s (sha256 %s)", in->hv, in->hv_sha256[0] ? in->hv_sha256 : "unreadable");
	snprintf(guest, guestlen, "%s: %s (sha256 %s)", in->scn.image, in->guest_image,
		 in->guest_sha256[0] ? in->guest_sha256 : "unreadable");
}

const char *report_no_state(bool no_replay)
{
	return no_replay ? "not replayed: no registers or TLB entries; the capture shows the "
			   "control flow and the hypervisor's messages"
			 : "the replay ended before this instruction: no state";
}
