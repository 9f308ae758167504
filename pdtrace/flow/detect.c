/*
 * Trace detectors (detect.h): one pass over the flow decoder's items,
 * with a little state per guest.
 *
 * What "inside its TLB handler" means here: from a TLB exception the guest
 * takes itself (TLB Modified, TLBL, TLBS: refills included) to the guest's
 * next eret.  "Preempted": an instruction of another guest ran in that
 * time (control flow alone: the hypervisor's messages are not needed).
 * "Progress": an instruction that completed with EXL and ERL clear.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mips/cp0.h>
#include <mips/exc.h>
#include <mips/isa.h>
#include <pdtrace/detect.h>
#include <util/json.h>
#include <vzsoak/bootargs_parse.h>
#include <vzsoak/hypercall.h>
#include <vzsoak/utm.h>

#define MAX_FINDINGS 1024u
#define AFTER_LEN 80 /* the TLB instructions a resumed handler ran, as words */

struct guest {
	/* The TLB handler now running. */
	bool in_handler;
	uint8_t h_code;
	uint32_t h_epc;
	uint64_t h_index;
	bool h_preempted;          /* another guest ran since it began */
	uint64_t h_preempt_index;  /* that guest's first instruction */
	unsigned h_preempted_by;
	uint64_t h_resume_index;   /* this guest's first instruction after */
	char h_after[AFTER_LEN];   /* its TLB instructions from then on */
	bool h_tlbp;               /* a tlbp ran in it */
	uint64_t h_tlbp_index;
	uint32_t h_tlbp_pc;
	bool h_split;              /* another guest ran since that tlbp */
	uint64_t h_split_index;
	unsigned h_split_by;
	bool h_general;            /* a TLB exception from EXL 0 to the general
				      vector: an entry matched (invalid, Mod, RI/XI) */

	/* The handler's own check of its tlbp (preserve-miss): where it is
	 * in "tlbp; (nop)* mfc0 R, Index; (nop)* bltz/bgez R", the register,
	 * the branch, and which way of it means the probe missed. */
	enum { PROBE_NONE, PROBE_TLBP, PROBE_INDEX, PROBE_BRANCH } probe;
	unsigned probe_reg;
	uint32_t probe_br_pc, probe_br_word;
	uint64_t probe_br_index;
	bool probe_taken_misses;

	/* A tlbr whose EntryHi (ASID) shows at the guest's next instruction. */
	bool tlbr_pending;
	uint8_t tlbr_asid;
	uint64_t tlbr_index;
	uint32_t tlbr_pc;
	bool tlbr_after_tlbp, tlbr_preempted, tlbr_split;
	uint64_t tlbr_tlbp_index, tlbr_other_index; /* the tlbp; the other guest's run */
	unsigned tlbr_other;                         /* that guest */

	/* The livelock: the last TLB exception and its repeats. */
	bool exc_valid;
	uint8_t exc_code;
	uint32_t exc_pc;
	uint64_t repeats, repeat_first;
	bool progress, livelock_told;

	/* The hypervisor's messages: PageMask at entry and exit, and what the
	 * guest did to PageMask in between. */
	bool running, have_entry_pm;
	uint32_t entry_pm;
	uint64_t entry_index;
	bool wrote_pm;     /* mtc0 to PageMask */
	bool tlbr;         /* any tlbr */
	bool tlbr_bad;     /* a tlbr in a preempted handler */
	uint64_t tlbr_bad_index;
	uint32_t tlbr_bad_pc;
	bool unknown;      /* a gap: the guest ran code we did not see */

	/* Its CP0 at its last exit, for its next entry to be compared with
	 * (PageMask, EPC, ...): what root did to them while it was out. */
	bool have_exit;
	struct pdt_flow_vmexit exit_st;
	uint64_t exit_index;
	unsigned out_other; /* the first other guest entered since; 0 none */

	/* Its last two instructions since its last entry ([1] the newest):
	 * what its next exit's PC holds (dslot-resume). */
	unsigned recent_n;
	struct { uint32_t pc, word; uint64_t index; bool done; } recent[2];
	/* An exit in a branch's delay slot: the branch, its target, and
	 * where the guest must not resume (the slot). */
	bool ds_exit;
	uint32_t ds_pc, ds_word, ds_target, ds_code;
	uint64_t ds_index;

	/* Virtual interrupt lines (Cause IP bits) its next entry must show:
	 * raised for it (a VIRQ message) or pending at its exit, and not
	 * acknowledged since (virq-lost). */
	uint32_t virq_due;
	bool virq_rung;     /* by a VIRQ message (else pending at an exit) */
	uint64_t virq_index;
	uint32_t virq_known; /* lines the hypervisor has raised for it */
};

struct pdt_detect {
	struct pdt_detect_config cfg;
	struct guest g[PDT_FLOW_GUESTS + 1];
	unsigned last_guest; /* the guest whose instruction came last; 0 none */
	/* The guest of the last entry message whose first guest instruction
	 * has not come yet (0: none), and where that message was. */
	unsigned entered;
	uint64_t entered_index;
	uint64_t gaps;       /* where the flow was lost (no claim is made there) */
	struct pdt_finding *f;
	size_t n, cap;
	struct pdt_finding *sorted;
};

static const char *const names[PDT_DET_COUNT] = {
	[PDT_DET_LIVELOCK] = "livelock",
	[PDT_DET_PREEMPTED_TLB] = "preempted-tlb-handler",
	[PDT_DET_TLBP_SPLIT] = "tlbp-split",
	[PDT_DET_TLBR_FOREIGN] = "tlbr-foreign-entry",
	[PDT_DET_PAGEMASK_RUN] = "pagemask-while-running",
	[PDT_DET_PAGEMASK_OUT] = "pagemask-while-out",
	[PDT_DET_CP0_OUT] = "cp0-not-restored",
	[PDT_DET_GUESTID] = "guestid-mismatch",
	[PDT_DET_DSLOT_RESUME] = "dslot-resume",
	[PDT_DET_VIRQ_LOST] = "virq-lost",
	[PDT_DET_PRESERVE_MISS] = "preserve-miss",
};

const char *pdt_detector_name(enum pdt_detector det)
{
	return det < PDT_DET_COUNT ? names[det] : "?";
}

bool pdt_detector_needs_messages(enum pdt_detector det)
{
	return det == PDT_DET_PAGEMASK_RUN || det == PDT_DET_PAGEMASK_OUT ||
	       det == PDT_DET_CP0_OUT || det == PDT_DET_GUESTID ||
	       det == PDT_DET_DSLOT_RESUME || det == PDT_DET_VIRQ_LOST;
}

const char *pdt_severity_name(enum pdt_severity sev)
{
	switch (sev) {
	case PDT_SEV_NOTE: return "note";
	case PDT_SEV_WARNING: return "warning";
	case PDT_SEV_BUG: return "bug";
	}
	return "?";
}

int pdt_detect_new(struct pdt_detect **out, const struct pdt_detect_config *cfg)
{
	struct pdt_detect *d = calloc(1, sizeof *d);
	if (!d)
		return PDT_E_NOMEM;
	if (cfg)
		d->cfg = *cfg;
	if (!d->cfg.repeat_limit)
		d->cfg.repeat_limit = 100;
	*out = d;
	return 0;
}

void pdt_detect_config_header(struct pdt_detect_config *dc, const struct pdt_file_info *info)
{
	/* A capture without boot arguments ran no hypervisor: nothing was
	 * promised.  Else what the hypervisor made of them, its defaults
	 * for a key left out. */
	dc->hv_preserves = false;
	if (!info->bootargs[0])
		return;
	struct hv_args hv;
	char why[96];
	hv_args_defaults(&hv);
	if (hv_args_parse(&hv, info->bootargs, sizeof info->bootargs, why, sizeof why) != 0)
		return; /* it would have stopped at boot on them */
	dc->hv_preserves = hv.preserve != 0;
}

void pdt_detect_free(struct pdt_detect *d)
{
	if (!d)
		return;
	free(d->f);
	free(d->sorted);
	free(d);
}

/* ------------------------------------------------------------ findings */

static void report(struct pdt_detect *d, enum pdt_detector det, enum pdt_severity sev,
		   unsigned guest, uint64_t index, uint32_t pc, const char *title,
		   const char *fmt, ...) __attribute__((format(printf, 8, 9)));

static void report(struct pdt_detect *d, enum pdt_detector det, enum pdt_severity sev,
		   unsigned guest, uint64_t index, uint32_t pc, const char *title,
		   const char *fmt, ...)
{
	for (size_t i = 0; i < d->n; i++) {
		struct pdt_finding *f = &d->f[i];
		if (f->det == det && f->guest == guest && !strcmp(f->title, title)) {
			f->count++;
			f->last_index = index;
			return;
		}
	}
	if (d->n == d->cap) {
		if (d->cap == MAX_FINDINGS)
			return; /* a flood of distinct titles: the first ones tell */
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct pdt_finding *f = realloc(d->f, cap * sizeof *f);
		if (!f)
			return;
		d->f = f;
		d->cap = cap;
	}
	struct pdt_finding *f = &d->f[d->n++];
	memset(f, 0, sizeof *f);
	f->det = det;
	f->sev = sev;
	snprintf(f->title, sizeof f->title, "%s", title);
	f->guest = guest;
	f->index = f->last_index = index;
	f->pc = pc;
	f->count = 1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->evidence, sizeof f->evidence, fmt, ap);
	va_end(ap);
}

/* Of findings proven at one instruction, the one that names what went
 * wrong (a guest on another's GuestID, a PageMask that shrank) before the
 * one that says how. */
static int rank(enum pdt_detector det)
{
	static const int r[PDT_DET_COUNT] = {
		[PDT_DET_GUESTID] = 0, [PDT_DET_PAGEMASK_RUN] = 1, [PDT_DET_PAGEMASK_OUT] = 2,
		[PDT_DET_CP0_OUT] = 3, [PDT_DET_VIRQ_LOST] = 4, [PDT_DET_DSLOT_RESUME] = 5,
		[PDT_DET_PRESERVE_MISS] = 6, [PDT_DET_LIVELOCK] = 7, [PDT_DET_TLBR_FOREIGN] = 8,
		[PDT_DET_TLBP_SPLIT] = 9, [PDT_DET_PREEMPTED_TLB] = 10,
	};
	return det < PDT_DET_COUNT ? r[det] : PDT_DET_COUNT;
}

static int by_severity(const void *a, const void *b)
{
	const struct pdt_finding *x = a, *y = b;
	if (x->sev != y->sev)
		return x->sev > y->sev ? -1 : 1;
	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	return rank(x->det) - rank(y->det);
}

size_t pdt_detect_findings(struct pdt_detect *d, const struct pdt_finding **list)
{
	free(d->sorted);
	d->sorted = NULL;
	*list = NULL;
	if (!d->n)
		return 0;
	d->sorted = malloc(d->n * sizeof *d->sorted);
	if (!d->sorted) {
		*list = d->f; /* unsorted beats none */
		return d->n;
	}
	memcpy(d->sorted, d->f, d->n * sizeof *d->sorted);
	qsort(d->sorted, d->n, sizeof *d->sorted, by_severity);
	*list = d->sorted;
	return d->n;
}

/* ------------------------------------------------------------ the handler */

static bool is_tlb_exception(unsigned code)
{
	return code == EXC_MOD || code == EXC_TLBL || code == EXC_TLBS;
}

/* The general exception vector (EBase + 0x180, 4K-aligned EBase; or the
 * boot one), not the refill vector (EBase + 0, 0xbfc00200): a TLB
 * exception there from EXL 0 had an entry that matched. */
static bool is_general_vector(uint32_t vector)
{
	return (vector & 0xfffu) == 0x180u || vector == 0xbfc00380u;
}

static void after_add(struct guest *g, const char *op)
{
	size_t n = strlen(g->h_after);
	if (n + strlen(op) + 2 < sizeof g->h_after)
		snprintf(g->h_after + n, sizeof g->h_after - n, "%s%s", n ? " " : "", op);
}

static void handler_end(struct pdt_detect *d, unsigned gid, uint64_t index)
{
	struct guest *g = &d->g[gid];
	if (g->in_handler && g->h_preempted) {
		char tmp[16];
		report(d, PDT_DET_PREEMPTED_TLB, PDT_SEV_NOTE, gid, g->h_preempt_index, g->h_epc,
		       "guest preempted inside its TLB handler",
		       "g%u took %s at epc %08" PRIx32 " (insn %" PRIu64 "); g%u ran from insn %"
		       PRIu64 "; g%u resumed at insn %" PRIu64 " and then ran: %s (eret at insn %"
		       PRIu64 ")", gid, pdt_exc_text(g->h_code, tmp, sizeof tmp), g->h_epc,
		       g->h_index, g->h_preempted_by, g->h_preempt_index, gid, g->h_resume_index,
		       g->h_after[0] ? g->h_after : "no TLB instruction", index);
	}
	g->in_handler = false;
	g->h_preempted = false;
	g->h_tlbp = false;
	g->h_split = false;
	g->probe = PROBE_NONE;
}

static void handler_begin(struct pdt_detect *d, unsigned gid, const struct pdt_flow_item *it)
{
	struct guest *g = &d->g[gid];
	handler_end(d, gid, it->index); /* nested: the outer one is over */
	g->in_handler = true;
	g->h_code = it->ev.exc.code;
	g->h_epc = it->ev.exc.pc;
	g->h_index = it->index;
	g->h_after[0] = 0;
	g->h_general = !it->ctx.exl && is_general_vector(it->ev.exc.vector);

	/* The livelock: the same exception at the same PC with nothing done
	 * outside the handler since the last one. */
	if (g->exc_valid && g->exc_code == it->ev.exc.code && g->exc_pc == it->ev.exc.pc &&
	    !g->progress) {
		g->repeats++;
	} else {
		g->repeats = 1;
		g->repeat_first = it->index;
		g->livelock_told = false;
	}
	g->exc_valid = true;
	g->exc_code = it->ev.exc.code;
	g->exc_pc = it->ev.exc.pc;
	g->progress = false;
	if (g->repeats >= d->cfg.repeat_limit && !g->livelock_told) {
		char tmp[16];
		g->livelock_told = true;
		report(d, PDT_DET_LIVELOCK, PDT_SEV_BUG, gid, it->index, it->ev.exc.pc,
		       "livelock: the same TLB exception repeats with no progress",
		       "g%u took %s at pc %08" PRIx32 " %" PRIu64 " times in a row from insn %"
		       PRIu64 " to insn %" PRIu64 ", with no instruction completed outside the "
		       "handler in between", gid, pdt_exc_text(it->ev.exc.code, tmp, sizeof tmp),
		       it->ev.exc.pc, g->repeats, g->repeat_first, it->index);
	}
}

/* Whatever a guest did in a gap is unknown: forget what it was doing. */
static void forget(struct pdt_detect *d, unsigned gid)
{
	struct guest *g = &d->g[gid];
	g->in_handler = false;
	g->h_preempted = g->h_tlbp = g->h_split = false;
	g->probe = PROBE_NONE;
	g->tlbr_pending = false;
	g->exc_valid = false;
	g->unknown = true;
	g->recent_n = 0;
}

/* ------------------------------------------------------------ instructions */

/* Another guest than the last one runs: every guest inside its handler
 * (other than this one) is preempted there. */
static void guest_runs(struct pdt_detect *d, unsigned gid, uint64_t index)
{
	if (gid == d->last_guest)
		return;
	for (unsigned o = 1; o <= PDT_FLOW_GUESTS; o++) {
		struct guest *g = &d->g[o];
		if (o == gid || !g->in_handler)
			continue;
		if (!g->h_preempted) {
			g->h_preempted = true;
			g->h_preempt_index = index;
			g->h_preempted_by = gid;
			g->h_resume_index = 0;
		}
		if (g->h_tlbp && !g->h_split) {
			g->h_split = true;
			g->h_split_index = index;
			g->h_split_by = gid;
		}
	}
	struct guest *me = &d->g[gid];
	if (me->in_handler && me->h_preempted && !me->h_resume_index)
		me->h_resume_index = index;
	d->last_guest = gid;
}

static void tlb_split(struct pdt_detect *d, unsigned gid, const struct pdt_flow_item *it,
		      const char *op)
{
	struct guest *g = &d->g[gid];
	char title[PDT_FINDING_TITLE];
	snprintf(title, sizeof title, "TLB handler: tlbp and %s split by a world switch", op);
	report(d, PDT_DET_TLBP_SPLIT, PDT_SEV_WARNING, gid, it->index, it->insn.pc, title,
	       "g%u: tlbp at %08" PRIx32 " (insn %" PRIu64 "), g%u ran from insn %" PRIu64
	       ", then %s at %08" PRIx32 " (insn %" PRIu64 ") uses the probe's Index", gid,
	       g->h_tlbp_pc, g->h_tlbp_index, g->h_split_by, g->h_split_index, op,
	       it->insn.pc, it->index);
}

/* The tlbr one instruction back loaded EntryHi: another ASID than the one
 * it probed for means the tlbp missed and tlbr read a foreign entry. */
static void tlbr_check(struct pdt_detect *d, unsigned gid, const struct pdt_flow_item *it)
{
	struct guest *g = &d->g[gid];
	if (!g->tlbr_pending)
		return;
	g->tlbr_pending = false;
	if (!g->tlbr_after_tlbp || it->ctx.asid == g->tlbr_asid)
		return;
	if (g->tlbr_split) {
		/* The probe found its entry; another guest replaced it before
		 * the tlbr read it back.  A warning: a kernel that puts EntryHi
		 * and PageMask back after tlbr (tlbp-check=on) makes it
		 * harmless; when it is not, the PageMask detector proves it. */
		report(d, PDT_DET_TLBR_FOREIGN, PDT_SEV_WARNING, gid, g->tlbr_index, g->tlbr_pc,
		       "TLB handler: tlbr read a replaced entry after a world switch",
		       "g%u: tlbp at insn %" PRIu64 ", g%u ran from insn %" PRIu64 ", tlbr at %08"
		       PRIx32 " (insn %" PRIu64 ") changed EntryHi's ASID %02x -> %02x: the "
		       "entry at the probed Index was no longer the one the tlbp found", gid,
		       g->tlbr_tlbp_index, g->tlbr_other, g->tlbr_other_index, g->tlbr_pc, g->tlbr_index,
		       g->tlbr_asid, it->ctx.asid);
		return;
	}
	char why[96] = "";
	if (g->tlbr_preempted)
		snprintf(why, sizeof why, "; g%u had run in the handler (from insn %" PRIu64
			 ") before the tlbp", g->tlbr_other, g->tlbr_other_index);
	report(d, PDT_DET_TLBR_FOREIGN, g->tlbr_preempted ? PDT_SEV_BUG : PDT_SEV_WARNING, gid,
	       g->tlbr_index, g->tlbr_pc,
	       g->tlbr_preempted ? "TLB handler: tlbr after a tlbp that missed, in a preempted handler"
				 : "TLB handler: tlbr after a tlbp that missed",
	       "g%u: tlbr at %08" PRIx32 " (insn %" PRIu64 ") after the tlbp at insn %" PRIu64
	       " changed EntryHi's ASID %02x -> %02x: the probe found no entry and tlbr read "
	       "the one Index named%s", gid, g->tlbr_pc, g->tlbr_index, g->tlbr_tlbp_index,
	       g->tlbr_asid, it->ctx.asid, why);
}

/*
 * The first guest instruction after an entry message for guest g: the
 * GuestID it ran with (GuestCtl1.ID, from the trace unit's SYNC and MODE
 * records, which always carry it) must be g's, which the reference
 * hypervisor makes g itself.  Any other means the guest's TLB entries are
 * tagged as another guest's (or, with 0, as root's): each can hit and
 * evict the other's.  Root's instructions between the message and the
 * eret that enters the guest are not the guest's: the check waits for
 * the first one in guest mode.
 */
static void guestid_check(struct pdt_detect *d, const struct pdt_flow_item *it)
{
	unsigned want = d->entered;
	if (!want || !it->ctx.guest)
		return;
	d->entered = 0;
	if (it->ctx.guestid == want)
		return;
	if (it->ctx.guestid)
		report(d, PDT_DET_GUESTID, PDT_SEV_BUG, want, it->index, it->insn.pc,
		       "two guests share a GuestID: a guest ran with another guest's GuestID",
		       "g%u was entered at insn %" PRIu64 " and its first instruction, at %08"
		       PRIx32 " (insn %" PRIu64 "), ran with GuestID %u: its TLB entries are "
		       "g%u's", want, d->entered_index, it->insn.pc, it->index,
		       (unsigned)it->ctx.guestid, (unsigned)it->ctx.guestid);
	else
		report(d, PDT_DET_GUESTID, PDT_SEV_BUG, want, it->index, it->insn.pc,
		       "a guest ran with GuestID 0, root's",
		       "g%u was entered at insn %" PRIu64 " and its first instruction, at %08"
		       PRIx32 " (insn %" PRIu64 "), ran with GuestID 0: its TLB entries are "
		       "tagged as root's", want, d->entered_index, it->insn.pc, it->index);
}

/* nop, ssnop, ehb: sll $0, $0, n. */
static bool is_nop(uint32_t w)
{
	return (w & 0xffe0f83fu) == 0;
}

/*
 * preserve-miss: a TLB handler's own check of its tlbp, "tlbp; mfc0 R,
 * Index; bltz R, miss" (Linux's, on cores where the probe can race) or
 * "bgez R, hit" (the stress kernel's), with only nops between: the branch's
 * way, which the trace shows, says whether Index.P was set, that is
 * whether the probe missed.  Followed only after a tlbp that came after
 * the handler was switched out (PROBE_TLBP set in insn()) and only while
 * no other guest runs (a switch after the tlbp and a hypervisor that does
 * not give Index back would make the check read something else).
 */
static void probe_step(struct pdt_detect *d, unsigned gid, const struct pdt_flow_item *it)
{
	struct guest *g = &d->g[gid];
	if (g->probe == PROBE_NONE)
		return;
	uint32_t w = it->insn.word, pc = it->insn.pc;
	if (!g->in_handler || g->h_split || !it->insn.have_word || it->insn.exc >= 0) {
		g->probe = PROBE_NONE; /* over, or a way it cannot be followed */
		return;
	}
	switch (g->probe) {
	case PROBE_TLBP:
		if (is_nop(w))
			return;
		if ((w >> 26) == 0x10 && isa_decode(w) == ISA_OP_MFC0 && isa_rd(w) == 0 &&
		    isa_sel(w) == 0 && isa_rt(w) != 0) {
			g->probe = PROBE_INDEX;
			g->probe_reg = isa_rt(w);
			return;
		}
		break;
	case PROBE_INDEX: {
		if (is_nop(w))
			return;
		enum isa_op op = isa_decode(w);
		bool ltz = op == ISA_OP_BLTZ || op == ISA_OP_BLTZL;
		bool gez = op == ISA_OP_BGEZ || op == ISA_OP_BGEZL;
		uint32_t target = isa_branch_target(pc, w);
		if ((ltz || gez) && isa_rs(w) == g->probe_reg && target != pc + 4 &&
		    target != pc + 8) {
			g->probe = PROBE_BRANCH;
			g->probe_br_pc = pc;
			g->probe_br_word = w;
			g->probe_br_index = it->index;
			g->probe_taken_misses = ltz; /* Index < 0: P set */
			return;
		}
		break;
	}
	case PROBE_BRANCH: {
		uint32_t br = g->probe_br_pc;
		if (pc == br || pc == br + 4)
			return; /* its slot, or the branch again after an exit there */
		uint32_t target = isa_branch_target(br, g->probe_br_word);
		if (pc != target && pc != br + 8)
			break; /* neither way: not ours to read */
		bool taken = pc == target;
		char exc[16];
		if (taken == g->probe_taken_misses)
			report(d, PDT_DET_PRESERVE_MISS, PDT_SEV_BUG, gid, it->index, g->h_tlbp_pc,
			       "TLB handler's entry evicted while the guest was switched out, "
			       "despite preserve=on",
			       "g%u took %s at epc %08" PRIx32 " (insn %" PRIu64 "); g%u ran from insn %"
			       PRIu64 ", before the handler's tlbp; g%u resumed, ran tlbp at %08"
			       PRIx32 " (insn %" PRIu64 "), and its check of Index at %08" PRIx32
			       " (insn %" PRIu64 ") went the way of a miss, to %08" PRIx32 ": the "
			       "entry the exception matched was gone, though the hypervisor keeps "
			       "it (preserve=on)", gid,
			       pdt_exc_text(g->h_code, exc, sizeof exc), g->h_epc, g->h_index,
			       g->h_preempted_by, g->h_preempt_index, gid, g->h_tlbp_pc,
			       g->h_tlbp_index, br, g->probe_br_index, pc);
		break;
	}
	case PROBE_NONE:
		break;
	}
	g->probe = PROBE_NONE;
}

/* dslot-resume: the guest's last instructions, for its next exit. */
static void recent_add(struct guest *g, const struct pdt_flow_item *it)
{
	if (!it->insn.have_word) {
		g->recent_n = 0;
		return;
	}
	g->recent[0] = g->recent[1];
	g->recent[1].pc = it->insn.pc;
	g->recent[1].word = it->insn.word;
	g->recent[1].index = it->index;
	g->recent[1].done = it->insn.exc < 0;
	if (g->recent_n < 2)
		g->recent_n++;
}

static void insn(struct pdt_detect *d, const struct pdt_flow_item *it)
{
	guestid_check(d, it);
	if (!it->ctx.guest || !it->ctx.guestid || it->ctx.guestid > PDT_FLOW_GUESTS)
		return;
	unsigned gid = it->ctx.guestid;
	struct guest *g = &d->g[gid];
	guest_runs(d, gid, it->index);
	tlbr_check(d, gid, it);
	recent_add(g, it);
	probe_step(d, gid, it);
	if (!it->insn.have_word || it->insn.exc >= 0)
		return; /* unknown, or it did not complete */
	if (!it->ctx.exl && !it->ctx.erl)
		g->progress = true;
	/* Every instruction the detectors act on is a COP0 one (major opcode
	 * 0x10): the others need no decoding. */
	if ((it->insn.word >> 26) != 0x10)
		return;
	enum isa_op op = isa_decode(it->insn.word);
	switch (op) {
	case ISA_OP_TLBP:
		if (g->in_handler) {
			g->h_tlbp = true;
			g->h_tlbp_index = it->index;
			g->h_tlbp_pc = it->insn.pc;
			g->h_split = false;
			/* Switched out before it: the hypervisor kept its entry
			 * (preserve=on), so its own check must find it hit. */
			g->probe = d->cfg.hv_preserves && g->h_general && g->h_preempted
					   ? PROBE_TLBP : PROBE_NONE;
		}
		break;
	case ISA_OP_TLBR:
		if (g->in_handler && g->h_tlbp && g->h_split)
			tlb_split(d, gid, it, "tlbr");
		g->tlbr_pending = true;
		g->tlbr_asid = it->ctx.asid;
		g->tlbr_index = it->index;
		g->tlbr_pc = it->insn.pc;
		g->tlbr_after_tlbp = g->in_handler && g->h_tlbp;
		g->tlbr_preempted = g->in_handler && g->h_preempted;
		g->tlbr_split = g->in_handler && g->h_tlbp && g->h_split;
		g->tlbr_tlbp_index = g->h_tlbp_index;
		g->tlbr_other = g->tlbr_split ? g->h_split_by : g->h_preempted_by;
		g->tlbr_other_index = g->tlbr_split ? g->h_split_index : g->h_preempt_index;
		g->tlbr = true;
		if (g->tlbr_preempted && !g->tlbr_bad) {
			g->tlbr_bad = true;
			g->tlbr_bad_index = it->index;
			g->tlbr_bad_pc = it->insn.pc;
		}
		break;
	case ISA_OP_TLBWI:
		if (g->in_handler && g->h_tlbp && g->h_split)
			tlb_split(d, gid, it, "tlbwi");
		break;
	case ISA_OP_MTC0:
		if (isa_rd(it->insn.word) == 5 && isa_sel(it->insn.word) == 0)
			g->wrote_pm = true;
		/* Index written: a tlbr or tlbwi from now on does not use the
		 * probe's (Linux's slow path writes a wired entry of its own). */
		if (isa_rd(it->insn.word) == 0 && isa_sel(it->insn.word) == 0)
			g->h_tlbp = false;
		break;
	default:
		break;
	}
	if (g->in_handler && g->h_preempted && g->h_resume_index) {
		switch (op) {
		case ISA_OP_TLBP: after_add(g, "tlbp"); break;
		case ISA_OP_TLBR: after_add(g, "tlbr"); break;
		case ISA_OP_TLBWI: after_add(g, "tlbwi"); break;
		case ISA_OP_TLBWR: after_add(g, "tlbwr"); break;
		case ISA_OP_MTC0:
			if (isa_rd(it->insn.word) == 5 && isa_sel(it->insn.word) == 0)
				after_add(g, "mtc0-pagemask");
			break;
		default: break;
		}
	}
}

/* ------------------------------------------------------------ messages */

/*
 * The guest CP0 registers of the messages that root has no business
 * changing between a guest's exit and its next entry: the hypervisor
 * saves them at the switch and writes them back (vcpu_put/vcpu_load), and
 * no exit's handling writes them.  Status and Cause are not among them:
 * the hypervisor completes a guest's mtc0 to them (GSFC) and injects
 * interrupts there.  PageMask is PDT_DET_PAGEMASK_OUT's, titled with its
 * page sizes.  Index's P bit is read-only to mtc0 (only tlbp writes it):
 * no hypervisor can give it back, so it is not compared.
 */

static const struct cp0_reg {
	const char *name;
	size_t off; /* in struct pdt_flow_vmexit */
	uint32_t mask;
} cp0_out_regs[] = {
	{ "EPC", offsetof(struct pdt_flow_vmexit, epc), 0xffffffffu },
	{ "BadVAddr", offsetof(struct pdt_flow_vmexit, badvaddr), 0xffffffffu },
	{ "EntryHi", offsetof(struct pdt_flow_vmexit, entryhi), 0xffffffffu },
	{ "Index", offsetof(struct pdt_flow_vmexit, index), ~INDEX_P },
};

static uint32_t cp0_field(const struct pdt_flow_vmexit *st, const struct cp0_reg *r)
{
	uint32_t v;
	memcpy(&v, (const char *)st + r->off, sizeof v);
	return v;
}

/* Guest gid is entered: what it finds in CP0 must be what it left. */
static void cp0_out(struct pdt_detect *d, unsigned gid, const struct pdt_flow_item *it)
{
	struct guest *g = &d->g[gid];
	const struct pdt_flow_vmexit *now = &it->ev.guest.st;
	uint32_t pm = now->pagemask;
	if (pm != g->exit_st.pagemask) {
		char a[12], b[12], title[PDT_FINDING_TITLE];
		pdt_page_size_text(g->exit_st.pagemask, a, sizeof a);
		pdt_page_size_text(pm, b, sizeof b);
		snprintf(title, sizeof title, "PageMask %s -> %s while the guest was switched out",
			 a, b);
		report(d, PDT_DET_PAGEMASK_OUT, PDT_SEV_BUG, gid, it->index, now->pc, title,
		       "g%u left with PageMask 0x%08" PRIx32 " and is entered at insn %" PRIu64
		       " with 0x%08" PRIx32 ": the hypervisor did not give its PageMask back",
		       gid, g->exit_st.pagemask, it->index, pm);
	}
	for (size_t i = 0; i < sizeof cp0_out_regs / sizeof cp0_out_regs[0]; i++) {
		const struct cp0_reg *r = &cp0_out_regs[i];
		uint32_t was = cp0_field(&g->exit_st, r), is = cp0_field(now, r);
		if (!((was ^ is) & r->mask))
			continue;
		/* Whether another guest ran in between says where to look: the
		 * switch (vcpu_put/vcpu_load), or the handling of the exit.  It
		 * is evidence, not title: a hypervisor also puts and loads a
		 * guest that is the only one left to run, so one bug would
		 * have two titles. */
		char title[PDT_FINDING_TITLE], who[48];
		snprintf(title, sizeof title, "guest %s not restored across an exit", r->name);
		if (g->out_other)
			snprintf(who, sizeof who, "g%u was entered in between", g->out_other);
		else
			snprintf(who, sizeof who, "no other guest was entered in between");
		report(d, PDT_DET_CP0_OUT, PDT_SEV_BUG, gid, it->index, now->pc, title,
		       "g%u left at insn %" PRIu64 " with %s 0x%08" PRIx32 " and is entered at insn %"
		       PRIu64 " with 0x%08" PRIx32 " (%s): the hypervisor did not give its %s back",
		       gid, g->exit_index, r->name, was, it->index, is, who, r->name);
	}
	/* A timer interrupt pending at the exit (Cause.TI) cannot have been
	 * served while the guest was out, and only the guest's own write to
	 * Compare takes it away: it must still be pending at the entry. */
	if ((g->exit_st.cause & CAUSE_TI) && !(now->cause & CAUSE_TI))
		report(d, PDT_DET_CP0_OUT, PDT_SEV_BUG, gid, it->index, now->pc,
		       "guest timer interrupt (Cause.TI) dropped across an exit",
		       "g%u left at insn %" PRIu64 " with Cause 0x%08" PRIx32 ", its timer "
		       "interrupt pending, and is entered at insn %" PRIu64 " with Cause 0x%08"
		       PRIx32 ": the hypervisor lost the interrupt", gid, g->exit_index,
		       g->exit_st.cause, it->index, now->cause);
}

/*
 * dslot-resume.  An exit whose PC (root EPC) is a branch or jump that the
 * guest just ran (its last instruction, or the one before its delay slot,
 * which raised the exit) was taken in the delay slot: the guest must go on
 * at the branch again (an interrupt, a fault: nothing emulated), at its
 * target or after its slot (the slot's instruction emulated), never in
 * the slot itself, which would run the slot again without its branch.
 * jr/jalr are left out (their target was in a register), and so is a
 * branch to its own slot.
 */
static void dslot_exit(struct pdt_detect *d, unsigned gid, const struct pdt_flow_item *it)
{
	struct guest *g = &d->g[gid];
	uint32_t pc = it->ev.guest.st.pc;
	g->ds_exit = false;
	/* The branch, completed, as its last instruction (an interrupt came
	 * before the slot ran), or just before its slot, which raised the
	 * exit. */
	const uint32_t *word = NULL;
	if (g->recent_n >= 1 && g->recent[1].pc == pc && g->recent[1].done)
		word = &g->recent[1].word;
	else if (g->recent_n == 2 && g->recent[0].pc == pc && g->recent[0].done &&
		 g->recent[1].pc == pc + 4 && !g->recent[1].done &&
		 g->recent[1].index == g->recent[0].index + 1)
		word = &g->recent[0].word;
	if (!word)
		return;
	uint32_t flags = isa_describe(isa_decode(*word))->flags, target;
	if (!(flags & ISA_F_DSLOT))
		return;
	if (flags & ISA_F_BRANCH)
		target = isa_branch_target(pc, *word);
	else if (flags & ISA_F_JUMP)
		target = isa_jump_target(pc, *word);
	else
		return;
	if (target == pc + 4)
		return;
	g->ds_exit = true;
	g->ds_pc = pc;
	g->ds_word = *word;
	g->ds_target = target;
	g->ds_code = it->ev.guest.st.code;
	g->ds_index = it->index;
}

static void dslot_entry(struct pdt_detect *d, unsigned gid, const struct pdt_flow_item *it)
{
	struct guest *g = &d->g[gid];
	if (!g->ds_exit)
		return;
	g->ds_exit = false;
	uint32_t at = it->ev.guest.st.pc;
	if (at != g->ds_pc + 4)
		return;
	char why[24], insn[64];
	pdt_exit_text(g->ds_code, why, sizeof why);
	isa_disasm(g->ds_pc, g->ds_word, insn, sizeof insn);
	for (char *c = insn; *c; c++)
		if (*c == '\t')
			*c = ' ';
	report(d, PDT_DET_DSLOT_RESUME, PDT_SEV_BUG, gid, it->index, at,
	       "exit in a branch delay slot resumed in the slot: the branch was lost",
	       "g%u left at insn %" PRIu64 " (%s) with its PC at %08" PRIx32 ", \"%s\", the "
	       "exit in its delay slot; it is entered at insn %" PRIu64 " at %08" PRIx32
	       ", the slot itself, not at the branch, its target %08" PRIx32 " or %08" PRIx32
	       " after the slot: the slot runs again and the branch is lost", gid, g->ds_index,
	       why, g->ds_pc, insn, it->index, at, g->ds_target, g->ds_pc + 8);
}

/*
 * virq-lost.  The reference hypervisor's virtual interrupt (the doorbell,
 * GuestCtl2.VIP) stays pending until the guest acknowledges it with
 * hypercall HC_DOORBELL_ACK: once raised for a guest (its VIRQ message,
 * written at a timer exit or as the guest is loaded, before its entry
 * message) or seen pending in Cause at the guest's exit, it must show in
 * Cause at the guest's next entry, unless that exit was the
 * acknowledgement.  Only lines the hypervisor has raised for the guest
 * are followed: other interrupt lines are not its to keep.
 */
#define CAUSE_IP_MASK 0x0000fc00u /* Cause.IP7..IP2, GuestCtl2.VIP's lines */
#define DOORBELL_LINE (1u << (8 + HC_DOORBELL_IP))

static void virq_rung(struct pdt_detect *d, const struct pdt_flow_item *it)
{
	unsigned gid = it->ev.msg.gid;
	if (!gid || gid > PDT_FLOW_GUESTS)
		return;
	struct guest *g = &d->g[gid];
	uint32_t lines = it->ev.msg.value & CAUSE_IP_MASK;
	if (!lines)
		return;
	g->virq_known |= lines;
	if (!g->virq_due) {
		g->virq_rung = true;
		g->virq_index = it->index;
	}
	g->virq_due |= lines;
}

static void virq_exit(struct pdt_detect *d, unsigned gid, const struct pdt_flow_item *it)
{
	struct guest *g = &d->g[gid];
	const struct pdt_flow_vmexit *st = &it->ev.guest.st;
	bool ack = UTM_CODE_EXC(st->code) == EXC_GE && UTM_CODE_GEXC(st->code) == GEXC_HC &&
		   UTM_CODE_HC(st->code) == HC_DOORBELL_ACK;
	if (ack) {
		g->virq_due &= ~DOORBELL_LINE;
		return;
	}
	uint32_t pending = st->cause & g->virq_known & ~g->virq_due;
	if (pending) {
		if (!g->virq_due) {
			g->virq_rung = false;
			g->virq_index = it->index;
		}
		g->virq_due |= pending;
	}
}

static void virq_entry(struct pdt_detect *d, unsigned gid, const struct pdt_flow_item *it)
{
	struct guest *g = &d->g[gid];
	uint32_t due = g->virq_due, cause = it->ev.guest.st.cause;
	g->virq_due = 0;
	if (!(due & ~cause))
		return;
	char how[96];
	if (g->virq_rung)
		snprintf(how, sizeof how, "the hypervisor raised it for g%u at insn %" PRIu64, gid,
			 g->virq_index);
	else
		snprintf(how, sizeof how, "it was pending when g%u left at insn %" PRIu64, gid,
			 g->virq_index);
	char who[48];
	if (g->out_other)
		snprintf(who, sizeof who, "g%u was entered in between", g->out_other);
	else
		snprintf(who, sizeof who, "no other guest was entered in between");
	report(d, PDT_DET_VIRQ_LOST, PDT_SEV_BUG, gid, it->index, it->ev.guest.st.pc,
	       "virtual interrupt (GuestCtl2.VIP) dropped across an exit",
	       "virtual interrupt lines 0x%08" PRIx32 " (Cause IP bits): %s, and g%u is entered at "
	       "insn %" PRIu64 " with Cause 0x%08" PRIx32 ", not acknowledged in between (%s): "
	       "the hypervisor lost the interrupt", due & ~cause, how, gid, it->index, cause, who);
}

static void entry(struct pdt_detect *d, const struct pdt_flow_item *it)
{
	unsigned gid = it->ev.guest.gid;
	if (!gid || gid > PDT_FLOW_GUESTS)
		return;
	struct guest *g = &d->g[gid];
	uint32_t pm = it->ev.guest.st.pagemask;
	if (g->have_exit)
		cp0_out(d, gid, it);
	g->have_exit = false;
	dslot_entry(d, gid, it);
	virq_entry(d, gid, it);
	g->recent_n = 0;
	/* Every guest switched out now has had another one entered. */
	for (unsigned o = 1; o <= PDT_FLOW_GUESTS; o++)
		if (o != gid && d->g[o].have_exit && !d->g[o].out_other)
			d->g[o].out_other = gid;
	d->entered = gid;
	d->entered_index = it->index;
	g->running = true;
	g->have_entry_pm = true;
	g->entry_pm = pm;
	g->entry_index = it->index;
	g->wrote_pm = g->tlbr = g->tlbr_bad = g->unknown = false;
}

static void leave(struct pdt_detect *d, const struct pdt_flow_item *it)
{
	unsigned gid = it->ev.guest.gid;
	if (!gid || gid > PDT_FLOW_GUESTS)
		return;
	struct guest *g = &d->g[gid];
	uint32_t pm = it->ev.guest.st.pagemask;
	if (g->running && g->have_entry_pm && pm != g->entry_pm && !g->unknown && !g->wrote_pm) {
		char a[12], b[12], title[PDT_FINDING_TITLE];
		pdt_page_size_text(g->entry_pm, a, sizeof a);
		pdt_page_size_text(pm, b, sizeof b);
		if (g->tlbr_bad) {
			snprintf(title, sizeof title, "shrinking page: PageMask %s -> %s after a "
				 "tlbr in a preempted TLB handler", a, b);
			if (pm < g->entry_pm)
				report(d, PDT_DET_PAGEMASK_RUN, PDT_SEV_BUG, gid, g->tlbr_bad_index,
				       g->tlbr_bad_pc, title,
				       "g%u entered at insn %" PRIu64 " with PageMask 0x%08" PRIx32
				       "; its TLB handler, preempted, ran tlbr at %08" PRIx32
				       " (insn %" PRIu64 "); it left at insn %" PRIu64
				       " with PageMask 0x%08" PRIx32 ", and no mtc0 to PageMask",
				       gid, g->entry_index, g->entry_pm, g->tlbr_bad_pc,
				       g->tlbr_bad_index, it->index, pm);
			else
				report(d, PDT_DET_PAGEMASK_RUN, PDT_SEV_BUG, gid, g->tlbr_bad_index,
				       g->tlbr_bad_pc, title + strlen("shrinking page: "),
				       "g%u entered at insn %" PRIu64 " with PageMask 0x%08" PRIx32
				       "; its preempted TLB handler ran tlbr at insn %" PRIu64
				       "; it left at insn %" PRIu64 " with 0x%08" PRIx32, gid,
				       g->entry_index, g->entry_pm, g->tlbr_bad_index, it->index, pm);
		} else if (g->tlbr) {
			report(d, PDT_DET_PAGEMASK_RUN, PDT_SEV_NOTE, gid, it->index,
			       it->ev.guest.st.pc, "PageMask changed by a tlbr",
			       "g%u entered at insn %" PRIu64 " with PageMask 0x%08" PRIx32
			       " and left at insn %" PRIu64 " with 0x%08" PRIx32
			       ": a tlbr read an entry of another page size", gid, g->entry_index,
			       g->entry_pm, it->index, pm);
		} else {
			snprintf(title, sizeof title, "PageMask %s -> %s with no guest write", a, b);
			report(d, PDT_DET_PAGEMASK_RUN, PDT_SEV_BUG, gid, it->index,
			       it->ev.guest.st.pc, title,
			       "g%u entered at insn %" PRIu64 " with PageMask 0x%08" PRIx32
			       " and left at insn %" PRIu64 " with 0x%08" PRIx32
			       ", with no mtc0 to PageMask and no tlbr in between", gid,
			       g->entry_index, g->entry_pm, it->index, pm);
		}
	}
	dslot_exit(d, gid, it);
	virq_exit(d, gid, it);
	g->running = false;
	g->have_exit = true;
	g->exit_st = it->ev.guest.st;
	g->exit_index = it->index;
	g->out_other = 0;
	/* Its run is over: an entry's first guest instruction not seen by
	 * now ran untraced (trace-guests=), or not at all. */
	if (d->entered == gid)
		d->entered = 0;
}

/* Records were lost: messages may have been among them (an exit and an
 * entry, a switch).  A saved exit is no longer the last, and the next
 * guest instruction may belong to an entry we did not see. */
static void lose_messages(struct pdt_detect *d)
{
	for (unsigned g = 1; g <= PDT_FLOW_GUESTS; g++) {
		d->g[g].have_exit = false;
		d->g[g].ds_exit = false;
		d->g[g].virq_due = 0;
	}
	d->entered = 0;
}

/* ------------------------------------------------------------ items */

void pdt_detect_feed(struct pdt_detect *d, const struct pdt_flow_item *it)
{
	if (it->is_insn) {
		insn(d, it);
		return;
	}
	unsigned gid = it->ctx.guest ? it->ctx.guestid : 0;
	switch (it->ev.kind) {
	case PDT_EV_EXCEPTION:
		if (gid && gid <= PDT_FLOW_GUESTS && !it->ev.exc.root &&
		    is_tlb_exception(it->ev.exc.code))
			handler_begin(d, gid, it);
		break;
	case PDT_EV_ERET:
		if (gid && gid <= PDT_FLOW_GUESTS)
			handler_end(d, gid, it->index);
		break;
	case PDT_EV_GUEST_ENTRY:
		entry(d, it);
		break;
	case PDT_EV_GUEST_EXIT:
		leave(d, it);
		break;
	case PDT_EV_VIRQ:
		virq_rung(d, it);
		break;
	case PDT_EV_GAP:
		if (it->ev.gap.why != PDT_FGAP_UNSYNCED)
			d->gaps++;
		if (it->ev.gap.why == PDT_FGAP_NO_CODE || it->ev.gap.why == PDT_FGAP_MISMATCH) {
			if (gid && gid <= PDT_FLOW_GUESTS)
				forget(d, gid);
		} else {
			/* Records were lost (before the first SYNC: skipped):
			 * any guest may have run anything.  A gap of code (the
			 * two above) loses no record: the messages and the
			 * GuestIDs of the MODE records still all came. */
			if (it->ev.gap.why != PDT_FGAP_UNSYNCED) {
				for (unsigned g = 1; g <= PDT_FLOW_GUESTS; g++)
					forget(d, g);
				d->last_guest = 0;
			}
			lose_messages(d);
		}
		break;
	default:
		break;
	}
}

int pdt_detect_capture(const struct pdt_flow_config *cfg, const uint8_t *words, uint64_t len,
		       const struct pdt_detect_config *dc, struct pdt_detect **out)
{
	struct pdt_detect *d;
	int rc = pdt_detect_new(&d, dc);
	if (rc)
		return rc;
	struct pdt_flow *flow;
	rc = pdt_flow_new(&flow, cfg, words, len);
	if (rc) {
		pdt_detect_free(d);
		return rc;
	}
	struct pdt_flow_item it;
	while ((rc = pdt_flow_next(flow, &it)) == 0)
		pdt_detect_feed(d, &it);
	pdt_flow_free(flow);
	if (rc != PDT_E_EOS) {
		pdt_detect_free(d);
		return rc;
	}
	*out = d;
	return 0;
}

/* ------------------------------------------------------------ output */

void pdt_finding_print(FILE *out, const struct pdt_finding *f, bool json)
{
	bool msgs = pdt_detector_needs_messages(f->det);
	if (json) {
		fprintf(out, "{\"severity\":\"%s\",\"detector\":\"%s\",\"needs\":\"%s\",\"title\":",
			pdt_severity_name(f->sev), pdt_detector_name(f->det),
			msgs ? "hypervisor messages" : "control flow");
		json_string(out, f->title);
		fprintf(out, ",\"guest\":%u,\"index\":%" PRIu64 ",\"pc\":\"%08" PRIx32
			"\",\"evidence\":", f->guest, f->index, f->pc);
		json_string(out, f->evidence);
		fprintf(out, ",\"count\":%" PRIu64 ",\"last_index\":%" PRIu64 "}\n", f->count,
			f->last_index);
		return;
	}
	fprintf(out, "%-7s g%u  insn %-10" PRIu64 " %s\n", pdt_severity_name(f->sev), f->guest,
		f->index, f->title);
	fprintf(out, "        %s\n", f->evidence);
	fprintf(out, "        detector %s (%s)", pdt_detector_name(f->det),
		msgs ? "needs the hypervisor's messages" : "control flow only");
	if (f->count > 1)
		fprintf(out, "; seen %" PRIu64 " times, the last at insn %" PRIu64, f->count,
			f->last_index);
	fputc('\n', out);
}

uint64_t pdt_detect_gaps(const struct pdt_detect *d)
{
	return d->gaps;
}
