/*
 * The story of a failure (report.h), as the shrinking-page slides tell
 * it: the failing guest's TLB handler invocation from the exception that
 * started it (its last good state) to a little past the instruction the
 * trace detectors proved the failure at.  Steps: the exception, each time
 * the guest is switched out and back in, the other guests' TLB writes
 * while it was out, its own TLB instructions (tlbp, tlbr, tlbwi, tlbwr,
 * mtc0 to the TLB registers), its eret, and the hypervisor's exit message
 * after the failure.  Built in one pass over the capture; the registers
 * and TLB entries of each step come from the second replay (cmd.c).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <mips/isa.h>

#include "report.h"

/* Instructions after the failure the story may still look at. */
#define AFTER_LIMIT 4000

struct ring {
	struct story_insn insn[STORY_EXCERPT];
	unsigned n, next;
};

struct walk {
	struct story *s;
	const struct pdt_flow_config *cfg;
	struct ring ring[PDT_FLOW_GUESTS + 1];
	bool in_handler, out, past;
	unsigned last_guest;
	uint64_t done_at; /* past the failure: stop at the eret or here */
	bool exit_told, finding_told;
};

static void ring_add(struct walk *w, const struct pdt_flow_item *it)
{
	struct ring *r = &w->ring[it->ctx.guestid];
	struct story_insn *si = &r->insn[r->next];
	si->index = it->index;
	si->pc = it->insn.pc;
	si->word = it->insn.word;
	char sym[96], dis[96];
	pdt_flow_symbol(w->cfg, it, sym, sizeof sym);
	if (it->insn.have_word)
		isa_disasm(it->insn.pc, it->insn.word, dis, sizeof dis);
	else
		snprintf(dis, sizeof dis, "?");
	snprintf(si->text, sizeof si->text, "%08" PRIx32 "  %-24s %s", it->insn.pc, sym, dis);
	r->next = (r->next + 1) % STORY_EXCERPT;
	if (r->n < STORY_EXCERPT)
		r->n++;
}

/* A new step of guest g at index, with g's last instructions. */
static struct story_step *add(struct walk *w, unsigned g, uint64_t index, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static struct story_step *add(struct walk *w, unsigned g, uint64_t index, const char *fmt, ...)
{
	struct story *s = w->s;
	if (s->nsteps == STORY_MAX_STEPS) {
		/* Keep the start (the exception) and the latest steps. */
		memmove(&s->step[1], &s->step[2], (STORY_MAX_STEPS - 2) * sizeof s->step[0]);
		s->nsteps--;
		s->truncated = true;
	}
	struct story_step *st = &s->step[s->nsteps++];
	memset(st, 0, sizeof *st);
	st->index = index;
	st->guest = g;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(st->what, sizeof st->what, fmt, ap);
	va_end(ap);
	const struct ring *r = &w->ring[g <= PDT_FLOW_GUESTS ? g : 0];
	for (unsigned i = 0; i < r->n; i++)
		st->insn[st->ninsn++] = r->insn[(r->next + STORY_EXCERPT - r->n + i) % STORY_EXCERPT];
	return st;
}

void story_insert(struct story *s, const struct story_step *st)
{
	unsigned at = s->nsteps;
	while (at > 0 && s->step[at - 1].index > st->index)
		at--;
	if (s->nsteps == STORY_MAX_STEPS) {
		s->truncated = true;
		if (at <= 1)
			return; /* before the second step: the story has enough */
		/* Make room by dropping the second step (the start stays). */
		memmove(&s->step[1], &s->step[2], (STORY_MAX_STEPS - 2) * sizeof s->step[0]);
		s->nsteps--;
		at--;
	}
	memmove(&s->step[at + 1], &s->step[at], (s->nsteps - at) * sizeof s->step[0]);
	s->step[at] = *st;
	s->nsteps++;
}

/* Whether the instruction is one a TLB story shows, and its name. */
static const char *tlb_op(uint32_t word)
{
	switch (isa_decode(word)) {
	case ISA_OP_TLBP: return "tlbp";
	case ISA_OP_TLBR: return "tlbr";
	case ISA_OP_TLBWI: return "tlbwi";
	case ISA_OP_TLBWR: return "tlbwr";
	case ISA_OP_TLBGWI: return "tlbgwi";
	case ISA_OP_TLBGWR: return "tlbgwr";
	case ISA_OP_MTC0:
		switch (isa_rd(word) * 8 + isa_sel(word)) {
		case 0 * 8: return "mtc0 Index";
		case 2 * 8: return "mtc0 EntryLo0";
		case 3 * 8: return "mtc0 EntryLo1";
		case 5 * 8: return "mtc0 PageMask";
		case 10 * 8: return "mtc0 EntryHi";
		default: return NULL;
		}
	default: return NULL;
	}
}

static void finding_mark(struct walk *w, struct story_step *st)
{
	size_t n = strlen(st->what);
	snprintf(st->what + n, sizeof st->what - n, ": the trace proves \"%s\"",
		 w->s->finding->title);
	w->finding_told = true;
}

static void insn(struct walk *w, const struct pdt_flow_item *it)
{
	struct story *s = w->s;
	if (!it->ctx.guest || !it->ctx.guestid || it->ctx.guestid > PDT_FLOW_GUESTS)
		return;
	unsigned h = it->ctx.guestid, g = s->guest;
	ring_add(w, it);
	if (h != g) {
		if (w->in_handler && !w->out && w->last_guest == g) {
			w->out = true;
			add(w, g, it->index, "g%u is switched out inside its TLB handler; g%u runs "
			    "from instruction %" PRIu64, g, h, it->index);
		}
		w->last_guest = h;
		return;
	}
	if (w->out) {
		w->out = false;
		add(w, g, it->index, "g%u resumes at instruction %" PRIu64 ", inside its TLB handler",
		    g, it->index);
	}
	w->last_guest = g;
	const char *op = it->insn.have_word && it->insn.exc < 0 ? tlb_op(it->insn.word) : NULL;
	struct story_step *st = NULL;
	if (w->in_handler && op)
		st = add(w, g, it->index, "g%u: %s", g, op);
	if (!w->finding_told && it->index >= s->finding->index) {
		if (!st)
			st = add(w, g, it->index, "g%u at instruction %" PRIu64, g, it->index);
		finding_mark(w, st);
	}
}

static void event(struct walk *w, const struct pdt_flow_item *it)
{
	struct story *s = w->s;
	unsigned g = s->guest;
	bool mine = it->ctx.guest && it->ctx.guestid == g;
	char tmp[16];
	switch (it->ev.kind) {
	case PDT_EV_EXCEPTION:
		if (!mine || it->ev.exc.root)
			return;
		if (it->ev.exc.code != 1 && it->ev.exc.code != 2 && it->ev.exc.code != 3)
			return;
		if (!w->past) {
			/* A new invocation before the failure: the story starts
			 * again from its last good state. */
			s->nsteps = 0;
			s->truncated = false;
			w->in_handler = true;
			w->out = false;
			add(w, g, it->index, "g%u takes %s at %08" PRIx32 ": its TLB handler starts",
			    g, pdt_exc_text(it->ev.exc.code, tmp, sizeof tmp), it->ev.exc.pc);
		} else {
			add(w, g, it->index, "g%u takes %s at %08" PRIx32 " again", g,
			    pdt_exc_text(it->ev.exc.code, tmp, sizeof tmp), it->ev.exc.pc);
			w->done_at = it->index; /* the next try: enough told */
		}
		return;
	case PDT_EV_ERET:
		if (!mine || !w->in_handler)
			return;
		add(w, g, it->index, "g%u: eret to %08" PRIx32, g, it->ev.eret.to);
		if (!w->past)
			w->in_handler = false;
		return;
	case PDT_EV_GUEST_EXIT:
		if (w->past && !w->exit_told && it->ev.guest.gid == g) {
			char pm[16], code[24];
			pdt_page_size_text(it->ev.guest.st.pagemask, pm, sizeof pm);
			pdt_exit_text(it->ev.guest.st.code, code, sizeof code);
			add(w, g, it->index, "g%u exits to the hypervisor (%s): its message says "
			    "PageMask %s, Index 0x%08" PRIx32 ", EntryHi 0x%08" PRIx32, g, code, pm,
			    it->ev.guest.st.index, it->ev.guest.st.entryhi);
			w->exit_told = true;
		}
		return;
	default:
		return;
	}
}

int story_build(struct story *s, const struct pdt_finding *f, const struct pdt_flow_config *cfg,
		const uint8_t *words, uint64_t len, char *err, size_t errlen)
{
	memset(s, 0, sizeof *s);
	s->finding = f;
	s->guest = f->guest;
	struct walk w = {.s = s, .cfg = cfg, .done_at = UINT64_MAX};
	struct pdt_flow *flow;
	int rc = pdt_flow_new(&flow, cfg, words, len);
	if (rc) {
		snprintf(err, errlen, "%s", pdt_errstr(rc));
		return -1;
	}
	struct pdt_flow_item it;
	while ((rc = pdt_flow_next(flow, &it)) == 0) {
		if (!w.past && it.index > f->index) {
			w.past = true;
			w.done_at = f->index + AFTER_LIMIT;
		}
		if (w.past && it.index > w.done_at)
			break;
		if (it.is_insn)
			insn(&w, &it);
		else
			event(&w, &it);
		if (w.past && w.exit_told)
			break;
	}
	pdt_flow_free(flow);
	if (rc < 0 && rc != PDT_E_EOS) {
		snprintf(err, errlen, "%s", pdt_errstr(rc));
		return -1;
	}
	if (!s->nsteps) {
		snprintf(err, errlen, "no TLB handler of g%u before instruction %" PRIu64
			 " in the capture", f->guest, f->index);
		return -1;
	}
	return 0;
}
