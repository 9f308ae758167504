/*
 * Two captures, guest by guest (diff.h): the alignment core of
 * `pdtrace diff`.  Items of the two captures come in one at a time, from
 * whichever side is behind; each guest's items go through a small state
 * machine:
 *
 *   waiting    no common anchor yet: each side keeps its items from its
 *              oldest remembered anchor on, until the other side shows
 *              one of those anchors too;
 *   comparing  instruction k of one side against instruction k of the
 *              other; whatever one side runs ahead waits in its queue;
 *   collecting diverged: a few more items of each side for the excerpt;
 *   done       diverged (collected) or not aligned.
 *
 * Invariant while comparing: at most one side's queue holds
 * instructions (the side that is ahead); the other side's instructions
 * are compared as they come.
 */
#include <stdlib.h>
#include <string.h>

#include <mips/exc.h>
#include <mips/isa.h>
#include <pdtrace/diff.h>

#include "itemring.h"

#define NG PDT_FLOW_GUESTS

enum gstate { G_WAITING, G_COMPARING, G_COLLECTING, G_DONE };

/* An anchor held in a waiting queue: what it is, where (ring position). */
struct anchor_at {
	uint64_t key;
	uint64_t pos;
};

/* One guest in one capture. */
struct side {
	struct item_ring q;      /* waiting: from an anchor on; comparing: ahead */
	size_t qinsns;           /* instructions in q */
	bool open;               /* waiting: q is collecting (an anchor was seen) */
	struct anchor_at anchors[PDT_DIFF_ANCHORS]; /* in q, oldest first */
	size_t na;
	struct item_ring hist;   /* the last instructions found equal */
	struct item_ring evs;    /* the last events */
	struct item_ring after;  /* collecting: from the differing instruction on */
	size_t after_insns, after_events;
	bool after_done;
	uint64_t last_index;     /* of the guest's last item */
};

struct guest {
	enum gstate state;
	struct side s[2];
	struct pdt_diff_guest r;
	struct pdt_flow_item *excerpt; /* r's arrays, built at the end */
};

struct pdt_diff {
	struct pdt_diff_opts o;
	unsigned mask;
	struct guest g[NG + 1];
	int64_t offset;       /* GOOD's index - BAD's, of the last pair compared */
	uint64_t insns[2];
	bool walked;
	bool ended[2];       /* a side's items have all come */
	/* Per side and guest: its last instruction that counted, and a branch
	 * that will run again because its delay slot went to root (redo). */
	struct {
		uint32_t pc, word;
		bool have, redo;
	} last[2][NG + 1];
};

void pdt_diff_opts_default(struct pdt_diff_opts *o)
{
	memset(o, 0, sizeof *o);
	o->queue = PDT_DIFF_QUEUE;
	o->before = PDT_DIFF_BEFORE;
	o->after = PDT_DIFF_AFTER;
	o->events = PDT_DIFF_EVENTS;
}

int pdt_diff_new(struct pdt_diff **out, const struct pdt_diff_opts *o)
{
	struct pdt_diff *d = calloc(1, sizeof *d);
	if (!d)
		return PDT_E_NOMEM;
	d->o = *o;
	if (!d->o.queue)
		d->o.queue = PDT_DIFF_QUEUE;
	if (!d->o.after)
		d->o.after = 1;
	d->mask = (o->guests ? o->guests : ~0u) & (((1u << NG) - 1) << 1);
	bool start = o->whole[0] && o->whole[1];
	for (unsigned g = 1; g <= NG; g++) {
		struct guest *G = &d->g[g];
		G->r.guest = g;
		G->r.ended = -1;
		/* Two whole captures align at their start. */
		if (start) {
			G->state = G_COMPARING;
			G->r.anchor = PDT_DIFF_AT_START;
			G->r.anchors = 1;
		}
	}
	*out = d;
	return 0;
}

static void side_free(struct side *S)
{
	ring_free(&S->q);
	ring_free(&S->hist);
	ring_free(&S->evs);
	ring_free(&S->after);
}

void pdt_diff_free(struct pdt_diff *d)
{
	if (!d)
		return;
	for (unsigned g = 1; g <= NG; g++) {
		side_free(&d->g[g].s[0]);
		side_free(&d->g[g].s[1]);
		free(d->g[g].excerpt);
	}
	free(d);
}

/* ------------------------------------------------------------ items */

static unsigned bit(unsigned g)
{
	return g >= 1 && g <= NG ? 1u << g : 0;
}

/* The guests an item belongs to (bits); *loss when it is a gap, after
 * which their flow cannot be trusted to be complete. */
static unsigned concerns(const struct pdt_flow_item *it, bool *loss)
{
	unsigned own = it->ctx.guest ? bit(it->ctx.guestid) : 0;
	*loss = false;
	/* An instruction that an interrupt or a root TLB fault took to root did
	 * not run for the guest: it runs again when the guest resumes, at a
	 * point that depends on timing (the hypervisor's code, which the good
	 * run changes), not on the guest.  A guest exit (GE: a hypercall, an
	 * emulated instruction) is the guest's own doing. */
	if (it->is_insn)
		return own; /* (feed leaves out what went to root) */

	switch (it->ev.kind) {
	case PDT_EV_EXCEPTION:
	case PDT_EV_ERET:
		return own;
	case PDT_EV_GUEST_EXIT:
	case PDT_EV_GUEST_ENTRY:
		return bit(it->ev.guest.gid);
	case PDT_EV_SWITCH:
		return bit(it->ev.sw.from) | bit(it->ev.sw.to);
	case PDT_EV_PAGEMASK:
		return bit(it->ev.pagemask.gid);
	case PDT_EV_MARKER:
	case PDT_EV_ANOMALY:
	case PDT_EV_HEARTBEAT:
	case PDT_EV_VIRQ:
		return bit(it->ev.msg.gid);
	case PDT_EV_BLOCK:
		return bit(it->ev.block.gid);
	case PDT_EV_GAP:
		*loss = true;
		/* Lost records, or root's flow lost: any guest may have run. */
		if (own && it->ev.gap.why != PDT_FGAP_TRACE && it->ev.gap.why != PDT_FGAP_OVERFLOW &&
		    it->ev.gap.why != PDT_FGAP_UNSYNCED)
			return own;
		return ~0u;
	default:
		/* MODE, SYNC, UTM: how the trace says it, not what ran. */
		return 0;
	}
}

/* An anchor of guest g as a key (kind << 32 | value), or 0. */
static uint64_t anchor_key(const struct pdt_flow_item *it, unsigned g)
{
	if (it->is_insn)
		return 0;
	if (it->ev.kind == PDT_EV_BLOCK && it->ev.block.gid == g)
		return (uint64_t)PDT_DIFF_AT_BLOCK << 32 | it->ev.block.block;
	if (it->ev.kind == PDT_EV_MARKER && it->ev.msg.gid == g)
		return (uint64_t)PDT_DIFF_AT_MARKER << 32 | it->ev.msg.value;
	return 0;
}

static unsigned differs(const struct pdt_flow_item *a, const struct pdt_flow_item *b)
{
	unsigned m = 0;
	if (a->insn.pc != b->insn.pc)
		m |= PDT_DIFF_PC;
	if (a->insn.have_word && b->insn.have_word && a->insn.word != b->insn.word)
		m |= PDT_DIFF_WORD;
	if (pdt_flow_effective_ksu(&a->ctx) != pdt_flow_effective_ksu(&b->ctx))
		m |= PDT_DIFF_MODE;
	if (a->insn.exc != b->insn.exc)
		m |= PDT_DIFF_EXC;
	return m;
}

/* ------------------------------------------------------------ queues */

/* Drops the k oldest items of S's queue. */
static void qdrop(struct side *S, size_t k)
{
	for (size_t i = 0; i < k; i++)
		if (ring_at(&S->q, i)->is_insn)
			S->qinsns--;
	ring_drop(&S->q, k);
	size_t keep = 0;
	for (size_t i = 0; i < S->na; i++)
		if (S->anchors[i].pos >= S->q.popped)
			S->anchors[keep++] = S->anchors[i];
	S->na = keep;
}

static void qclear(struct side *S)
{
	qdrop(S, S->q.n);
	S->open = false;
}

static int qpush(struct guest *G, struct side *S, const struct pdt_flow_item *it)
{
	if (ring_push(&S->q, it) != 0)
		return PDT_E_NOMEM;
	if (it->is_insn)
		S->qinsns++;
	if (S->q.n > G->r.queue_max)
		G->r.queue_max = S->q.n;
	return 0;
}

static int keep_event(const struct pdt_diff *d, struct side *S, const struct pdt_flow_item *it)
{
	return d->o.events ? ring_push_keep(&S->evs, it, d->o.events) : 0;
}

/* The events at the front of S's queue happened before its next
 * instruction: into its history. */
static int flush_events(const struct pdt_diff *d, struct side *S)
{
	size_t k = 0;
	while (k < S->q.n && !ring_at(&S->q, k)->is_insn) {
		if (keep_event(d, S, ring_at(&S->q, k)) != 0) {
			qdrop(S, k);
			return PDT_E_NOMEM;
		}
		k++;
	}
	qdrop(S, k);
	return 0;
}

/* ------------------------------------------------------------ collecting */

static void check_done(const struct pdt_diff *d, struct guest *G)
{
	/* A side that has ended adds nothing: what it had is collected. */
	if (G->state == G_COLLECTING && (G->s[0].after_done || d->ended[0]) &&
	    (G->s[1].after_done || d->ended[1]))
		G->state = G_DONE;
}

/* An item after the divergence, for the excerpt. */
static int collect(const struct pdt_diff *d, struct guest *G, int s, const struct pdt_flow_item *it)
{
	struct side *S = &G->s[s];
	if (S->after_done)
		return 0;
	if (it->is_insn) {
		/* The events go on being kept for as many instructions as
		 * the excerpt shows before it. */
		size_t span = d->o.after > d->o.before ? d->o.after : d->o.before;
		if (S->after_insns >= span) {
			S->after_done = true;
			check_done(d, G);
			return 0;
		}
		if (S->after_insns++ >= d->o.after)
			return 0;
	} else if (S->after_events++ >= d->o.events) {
		return 0;
	}
	return ring_push(&S->after, it);
}

/* ------------------------------------------------------------ comparing */

static int diverge(struct pdt_diff *d, struct guest *G, const struct pdt_flow_item *a,
		   const struct pdt_flow_item *b, unsigned m, int lead)
{
	G->r.status = PDT_DIFF_DIVERGED;
	G->r.at[0] = a->index;
	G->r.at[1] = b->index;
	G->r.differs = m;
	G->state = G_COLLECTING;
	int rc = collect(d, G, 0, a);
	if (!rc)
		rc = collect(d, G, 1, b);
	/* What the side ahead still holds ran after its differing one. */
	struct side *L = &G->s[lead];
	for (size_t k = 0; !rc && k < L->q.n; k++)
		rc = collect(d, G, lead, ring_at(&L->q, k));
	qclear(&G->s[0]);
	qclear(&G->s[1]);
	return rc;
}

/* x (side s) against y (the other side's), two instructions. */
static int compare(struct pdt_diff *d, struct guest *G, int s, const struct pdt_flow_item *x,
		   const struct pdt_flow_item *y)
{
	const struct pdt_flow_item *a = s == PDT_DIFF_BAD ? x : y, *b = s == PDT_DIFF_BAD ? y : x;
	unsigned m = differs(a, b);
	if (m)
		return diverge(d, G, a, b, m, !s);
	if (d->o.before &&
	    (ring_push_keep(&G->s[0].hist, a, d->o.before) != 0 ||
	     ring_push_keep(&G->s[1].hist, b, d->o.before) != 0))
		return PDT_E_NOMEM;
	G->r.compared++;
	G->r.local++;
	d->offset = (int64_t)(b->index - a->index);
	return 0;
}

/* An item of side s beyond what the other side has shown. */
static int ahead(struct pdt_diff *d, struct guest *G, int s, const struct pdt_flow_item *it)
{
	struct side *S = &G->s[s];
	if (S->q.n >= d->o.queue) {
		G->r.status = PDT_DIFF_NOT_ALIGNED;
		G->r.lead = s;
		G->r.at[s] = it->index;
		G->r.at[!s] = G->s[!s].last_index;
		G->state = G_DONE;
		qclear(&G->s[0]);
		qclear(&G->s[1]);
		return 0;
	}
	return qpush(G, S, it);
}

static int comparing(struct pdt_diff *d, struct guest *G, int s, const struct pdt_flow_item *it)
{
	struct side *S = &G->s[s], *O = &G->s[!s];
	if (!it->is_insn)
		return S->q.n ? ahead(d, G, s, it) : keep_event(d, S, it);
	if (flush_events(d, O) != 0)
		return PDT_E_NOMEM;
	if (!O->qinsns)
		return ahead(d, G, s, it);
	struct pdt_flow_item y = *ring_at(&O->q, 0);
	qdrop(O, 1);
	return compare(d, G, s, it, &y);
}

/* ------------------------------------------------------------ waiting */

/* Makes room in a waiting queue: drops up to its second anchor (the
 * oldest is given up), or everything when it holds no other. */
static void slide(struct side *S)
{
	size_t next = S->na && S->anchors[0].pos == S->q.popped ? 1 : 0;
	if (next < S->na)
		qdrop(S, (size_t)(S->anchors[next].pos - S->q.popped));
	else
		qclear(S);
}

/* Anchor `key` seen on side s, held by the other side's queue at index
 * k of its anchors: both start comparing there. */
static int start(struct pdt_diff *d, struct guest *G, int s, const struct pdt_flow_item *it,
		 size_t k)
{
	struct side *S = &G->s[s], *O = &G->s[!s];
	uint64_t key = O->anchors[k].key;
	qdrop(O, (size_t)(O->anchors[k].pos - O->q.popped));
	qclear(S);
	G->r.anchor = (enum pdt_diff_anchor)(key >> 32);
	G->r.anchor_value = (uint32_t)key;
	G->r.anchor_index[s] = it->index;
	G->r.anchor_index[!s] = ring_at(&O->q, 0)->index;
	G->r.anchors++;
	G->r.local = 0;
	int rc = keep_event(d, S, it);
	if (!rc)
		rc = keep_event(d, O, ring_at(&O->q, 0));
	qdrop(O, 1);
	S->na = O->na = 0;
	S->open = O->open = false;
	G->state = G_COMPARING;
	/* What O holds after the anchor is what it ran ahead. */
	return rc;
}

static int waiting(struct pdt_diff *d, struct guest *G, unsigned g, int s,
		   const struct pdt_flow_item *it)
{
	struct side *S = &G->s[s], *O = &G->s[!s];
	uint64_t key = anchor_key(it, g);
	if (key) {
		for (size_t k = 0; k < O->na; k++)
			if (O->anchors[k].key == key)
				return start(d, G, s, it, k);
		if (S->na == PDT_DIFF_ANCHORS || (S->open && S->q.n >= d->o.queue))
			slide(S);
		S->open = true;
		S->anchors[S->na++] = (struct anchor_at){ key, S->q.popped + S->q.n };
		return qpush(G, S, it);
	}
	if (!S->open)
		return 0;
	if (S->q.n >= d->o.queue) {
		slide(S);
		if (!S->na)
			return 0;
	}
	return qpush(G, S, it);
}

/* ------------------------------------------------------------ feeding */

/* A queue of items run ahead as a waiting one: from its first anchor on,
 * its anchors noted (the oldest given up if there are too many). */
static void rewait(unsigned g, struct side *S)
{
	S->na = 0;
	S->open = false;
	for (uint64_t at = S->q.popped; at < S->q.popped + S->q.n; at++) {
		uint64_t key = anchor_key(ring_at(&S->q, (size_t)(at - S->q.popped)), g);
		if (!key)
			continue;
		if (S->na == PDT_DIFF_ANCHORS)
			slide(S); /* drops up to the second anchor: `at` stays held */
		S->anchors[S->na++] = (struct anchor_at){ key, at };
	}
	if (S->na) {
		qdrop(S, (size_t)(S->anchors[0].pos - S->q.popped));
		S->open = true;
	} else {
		qclear(S);
	}
}

/* A gap in guest G's flow on side s. */
static int lost(struct pdt_diff *d, struct guest *G, unsigned g, int s,
		const struct pdt_flow_item *it)
{
	switch (G->state) {
	case G_COMPARING:
		/* Compare again from the next common anchor; what the other
		 * side ran ahead may hold it. */
		rewait(g, &G->s[!s]);
		G->state = G_WAITING;
		/* fall through */
	case G_WAITING:
		qclear(&G->s[s]);
		return keep_event(d, &G->s[s], it);
	case G_COLLECTING: {
		int rc = collect(d, G, s, it);
		G->s[s].after_done = true;
		check_done(d, G);
		return rc;
	}
	case G_DONE:
		break;
	}
	return 0;
}

static int take(struct pdt_diff *d, unsigned g, int s, const struct pdt_flow_item *it)
{
	struct guest *G = &d->g[g];
	if (it->is_insn)
		G->r.insns[s]++;
	G->s[s].last_index = it->index;
	switch (G->state) {
	case G_WAITING:
		return waiting(d, G, g, s, it);
	case G_COMPARING:
		return comparing(d, G, s, it);
	case G_COLLECTING:
		return collect(d, G, s, it);
	case G_DONE:
		break;
	}
	return 0;
}

static int feed(struct pdt_diff *d, int s, const struct pdt_flow_item *it)
{
	/* An interrupt taken to root before a delay slot ran: the branch runs
	 * again too. */
	if (!it->is_insn && it->ev.kind == PDT_EV_EXCEPTION && it->ctx.guest &&
	    it->ctx.guestid >= 1 && it->ctx.guestid <= NG && it->ev.exc.root &&
	    it->ev.exc.code != EXC_GE) {
		__typeof__(d->last[0][0]) *L = &d->last[s][it->ctx.guestid];
		if (L->have && it->ev.exc.pc == L->pc + 4 &&
		    (isa_describe(isa_decode(L->word))->flags & ISA_F_DSLOT))
			L->redo = true;
	}
	if (it->is_insn && it->ctx.guest && it->ctx.guestid >= 1 && it->ctx.guestid <= NG) {
		__typeof__(d->last[0][0]) *L = &d->last[s][it->ctx.guestid];
		if (it->insn.exc >= 0 && it->insn.exc_root && it->insn.exc != EXC_GE) {
			/* Taken to root in a delay slot: the branch before it runs
			 * again when the guest resumes; count it once. */
			if (L->have && it->insn.pc == L->pc + 4 &&
			    (isa_describe(isa_decode(L->word))->flags & ISA_F_DSLOT))
				L->redo = true;
			return 0;
		}
		if (L->redo && it->insn.pc == L->pc && it->insn.word == L->word) {
			L->redo = false;
			return 0;
		}
		L->redo = false;
		L->have = it->insn.have_word;
		L->pc = it->insn.pc;
		L->word = it->insn.word;
	}
	bool loss;
	unsigned m = concerns(it, &loss) & d->mask;
	for (unsigned g = 1; m && g <= NG; g++) {
		if (!(m & bit(g)))
			continue;
		int rc = loss ? lost(d, &d->g[g], g, s, it) : take(d, g, s, it);
		if (rc)
			return rc;
	}
	return 0;
}

/* Side s ended. */
static void side_end(struct pdt_diff *d, int s)
{
	d->ended[s] = true;
	for (unsigned g = 1; g <= NG; g++) {
		check_done(d, &d->g[g]);
	}
}

/* The other side has ended: whether side s can still change a result. */
static bool needs_more(const struct pdt_diff *d, int s)
{
	for (unsigned g = 1; g <= NG; g++) {
		const struct guest *G = &d->g[g];
		if ((G->state == G_COMPARING && G->s[!s].qinsns) ||
		    (G->state == G_WAITING && G->s[!s].na) ||
		    (G->state == G_COLLECTING && !G->s[s].after_done))
			return true;
	}
	return false;
}

/* ------------------------------------------------------------ results */

/* The excerpt of a diverged guest as the result's arrays. */
static int excerpt(struct guest *G)
{
	size_t nb = G->s[0].hist.n < G->s[1].hist.n ? G->s[0].hist.n : G->s[1].hist.n;
	size_t total = 2 * nb;
	for (int s = 0; s < 2; s++)
		total += 2 * G->s[s].after.n + G->s[s].evs.n;
	struct pdt_flow_item *p = calloc(total ? total : 1, sizeof *p);
	if (!p)
		return PDT_E_NOMEM;
	G->excerpt = p;
	G->r.nbefore = nb;
	for (int s = 0; s < 2; s++) {
		struct side *S = &G->s[s];
		G->r.before[s] = p;
		for (size_t k = S->hist.n - nb; k < S->hist.n; k++)
			*p++ = *ring_at(&S->hist, k);
		G->r.after[s] = p;
		for (size_t k = 0; k < S->after.n; k++)
			if (ring_at(&S->after, k)->is_insn)
				*p++ = *ring_at(&S->after, k);
		G->r.nafter[s] = (size_t)(p - G->r.after[s]);
		G->r.events[s] = p;
		for (size_t k = 0; k < S->evs.n; k++)
			*p++ = *ring_at(&S->evs, k);
		for (size_t k = 0; k < S->after.n; k++)
			if (!ring_at(&S->after, k)->is_insn)
				*p++ = *ring_at(&S->after, k);
		G->r.nevents[s] = (size_t)(p - G->r.events[s]);
	}
	return 0;
}

static int finish(struct pdt_diff *d)
{
	for (unsigned g = 1; g <= NG; g++) {
		struct guest *G = &d->g[g];
		if (!(d->mask & bit(g)))
			continue;
		switch (G->state) {
		case G_COMPARING:
			G->r.status = PDT_DIFF_SAME;
			G->r.ended = G->s[0].qinsns ? PDT_DIFF_GOOD
				   : G->s[1].qinsns ? PDT_DIFF_BAD : -1;
			break;
		case G_WAITING:
			G->r.status = G->r.anchors ? PDT_DIFF_SAME
				    : G->r.insns[0] || G->r.insns[1] ? PDT_DIFF_NO_ANCHOR
								     : PDT_DIFF_ABSENT;
			break;
		case G_COLLECTING:
		case G_DONE:
			if (G->r.status == PDT_DIFF_DIVERGED && excerpt(G) != 0)
				return PDT_E_NOMEM;
			break;
		}
		if (G->r.status == PDT_DIFF_SAME && !G->r.insns[0] && !G->r.insns[1])
			G->r.status = PDT_DIFF_ABSENT;
		/* The queues are of no more use. */
		qclear(&G->s[0]);
		qclear(&G->s[1]);
	}
	return 0;
}

/* ------------------------------------------------------------ walks */

int pdt_diff_walk(struct pdt_diff *d,
		  int (*next)(void *priv, int side, struct pdt_flow_item *it), void *priv,
		  int *side_failed)
{
	uint64_t clock[2] = { 0, 0 };
	struct pdt_flow_item it;
	*side_failed = -1;
	if (d->walked)
		return PDT_E_INVAL;
	d->walked = true;
	while (!d->ended[0] || !d->ended[1]) {
		int s;
		if (d->ended[0] || d->ended[1]) {
			s = d->ended[0] ? PDT_DIFF_GOOD : PDT_DIFF_BAD;
			if (!needs_more(d, s))
				break;
		} else {
			/* The side behind, in the other's index corrected by
			 * the drift seen at the last pair compared. */
			s = (int64_t)(clock[0] - clock[1]) + d->offset <= 0 ? PDT_DIFF_BAD
									   : PDT_DIFF_GOOD;
		}
		int rc = next(priv, s, &it);
		if (rc == PDT_E_EOS) {
			side_end(d, s);
			continue;
		}
		if (rc) {
			*side_failed = s;
			return rc;
		}
		if (it.is_insn)
			d->insns[s]++;
		clock[s] = it.index;
		rc = feed(d, s, &it);
		if (rc)
			return rc;
	}
	return finish(d);
}

struct flow_pair {
	struct pdt_flow *f[2];
};

static int flow_next(void *priv, int side, struct pdt_flow_item *it)
{
	struct flow_pair *p = priv;
	return pdt_flow_next(p->f[side], it);
}

int pdt_diff_flows(struct pdt_diff *d, const struct pdt_flow_config *const cfg[2],
		   const uint8_t *const words[2], const uint64_t len[2], int *side_failed)
{
	struct flow_pair p = { { NULL, NULL } };
	*side_failed = -1;
	int rc = pdt_flow_new(&p.f[0], cfg[0], words[0], len[0]);
	if (!rc)
		rc = pdt_flow_new(&p.f[1], cfg[1], words[1], len[1]);
	if (!rc)
		rc = pdt_diff_walk(d, flow_next, &p, side_failed);
	pdt_flow_free(p.f[0]);
	pdt_flow_free(p.f[1]);
	return rc;
}

const struct pdt_diff_guest *pdt_diff_guest(const struct pdt_diff *d, unsigned g)
{
	return g >= 1 && g <= NG ? &d->g[g].r : NULL;
}

uint64_t pdt_diff_insns(const struct pdt_diff *d, int side)
{
	return d->insns[side & 1];
}

const char *pdt_diff_status_name(enum pdt_diff_status s)
{
	static const char *const names[] = {
		[PDT_DIFF_ABSENT] = "absent",
		[PDT_DIFF_NO_ANCHOR] = "no-anchor",
		[PDT_DIFF_SAME] = "same",
		[PDT_DIFF_DIVERGED] = "diverged",
		[PDT_DIFF_NOT_ALIGNED] = "not-aligned",
	};
	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

const char *pdt_diff_anchor_name(enum pdt_diff_anchor a)
{
	switch (a) {
	case PDT_DIFF_AT_START:
		return "start";
	case PDT_DIFF_AT_BLOCK:
		return "block";
	case PDT_DIFF_AT_MARKER:
		return "marker";
	}
	return "none";
}
