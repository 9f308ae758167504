/*
 * The flow decoder (flow.h): records in, instructions and events out.
 *
 * Records come in segments: the ICNT counts and BRANCH bits between two
 * event records (TARGET, EXCEPTION, MODE, UTM, SYNC...).  Within a segment
 * the two queues are independent (docs/trace-format.md), so a segment is
 * read whole before it is walked: each instruction of the program text
 * takes a bit if it is a conditional branch, a count otherwise, and the
 * segment must end exactly where the event happened.  Anything else means
 * the records and the code disagree (a wrong image): the flow is lost
 * until a record names a PC again.
 *
 * Delay slots: a taken branch or a jump runs its slot, then goes to its
 * target; a branch-likely not taken skips its slot (the core does not run
 * it, so it is not counted); jr/jalr are followed by a TARGET record
 * (written when the jump executes, before its slot runs); eret by a TARGET
 * and no slot.
 */
#include <stdlib.h>
#include <string.h>

#include <pdtrace/flow.h>

#include <crashme/block.h>
#include <mips/isa.h>
#include <vzsoak/utm.h>

/* Segments are bounded (flow.h): streaming, memory does not grow with
 * the trace, and damage cannot make the walk run for ever. */
#define MAX_SEG_BITS PDT_FLOW_MAX_SEG_BITS
#define MAX_SEG_INSNS PDT_FLOW_MAX_SEG_INSNS
/* The most one step queues: a refused hypervisor message's words, raw
 * (1 + UTM_MAX_PAYLOAD), and a few events besides. */
#define QUEUE (UTM_MAX_PAYLOAD + 8u)

enum state {
	ST_UNSYNCED, /* nothing known yet, or after damage: wait for a SYNC */
	ST_RUN,      /* following the program */
	ST_LOST,     /* counting, not following: until an EXCEPTION or SYNC */
};

struct guest_state {
	bool have_next;          /* a marker told the next block's number */
	uint32_t next_block;
	bool have_block;
	uint32_t block;
	uint8_t block_asid;
	uint32_t *words;         /* the current block's code */
	bool have_pagemask;
	uint32_t pagemask;
};

/* One decoded-instruction cache line: the program text rarely changes
 * under a trace, but looking a word up in an ELF and decoding it costs
 * more than the rest of the walk. */
struct icache {
	const void *src;         /* the code image (or a block's words) */
	uint32_t pc, word;
	uint32_t flags;
};
#define ICACHE 4096u

struct pdt_flow {
	struct pdt_flow_config cfg;
	struct pdt_decoder dec;
	enum state st;
	uint32_t pc;
	struct pdt_ctx ctx;
	uint64_t index;
	bool ds_pending;         /* the next instruction is a delay slot ... */
	uint32_t ds_target;      /* ... after which the flow goes here */
	int await;               /* 0, or the op that wants a TARGET next */
	uint32_t await_pc;

	/* The segment being walked. */
	uint64_t seg_icnt;
	uint8_t *bits;
	uint32_t nbits, bitpos;
	bool have_event;
	struct pdt_record event;
	bool eos;

	/* Lost: where, why, how many instructions went by uncounted. */
	enum pdt_flow_gap lost_why;
	uint32_t lost_pc;
	uint64_t lost_insns, lost_offset;
	uint64_t dropped;        /* a damaged segment's instructions, not shown */

	/* Items waiting to be returned. */
	struct pdt_flow_item q[QUEUE];
	unsigned qhead, qn;

	/* Hypervisor messages being assembled (UserTraceData1 words). */
	uint32_t utm[1 + UTM_MAX_PAYLOAD];
	unsigned utm_n, utm_want;
	uint64_t utm_offset;
	bool have_exit;
	unsigned exit_gid;
	uint32_t exit_code;

	struct guest_state g[PDT_FLOW_GUESTS + 1];
	struct icache *ic;
	uint64_t shown;
};

const char *pdt_flow_event_name(enum pdt_flow_event k)
{
	static const char *const names[PDT_EV_NKINDS] = {
		[PDT_EV_EXCEPTION] = "exception", [PDT_EV_ERET] = "eret",
		[PDT_EV_MODE] = "mode", [PDT_EV_SYNC] = "sync",
		[PDT_EV_GUEST_EXIT] = "guest-exit", [PDT_EV_GUEST_ENTRY] = "guest-entry",
		[PDT_EV_SWITCH] = "switch", [PDT_EV_PAGEMASK] = "pagemask",
		[PDT_EV_MARKER] = "marker", [PDT_EV_ANOMALY] = "anomaly",
		[PDT_EV_HEARTBEAT] = "heartbeat", [PDT_EV_BLOCK] = "crashme-block",
		[PDT_EV_UTM] = "utm", [PDT_EV_GAP] = "gap",
	};
	return (unsigned)k < PDT_EV_NKINDS && names[k] ? names[k] : "?";
}

const char *pdt_flow_gap_name(enum pdt_flow_gap g)
{
	switch (g) {
	case PDT_FGAP_TRACE: return "damaged trace";
	case PDT_FGAP_OVERFLOW: return "trace overflow";
	case PDT_FGAP_NO_CODE: return "no code";
	case PDT_FGAP_MISMATCH: return "records do not fit the code";
	case PDT_FGAP_UNSYNCED: return "before the first sync";
	}
	return "?";
}

int pdt_flow_new(struct pdt_flow **out, const struct pdt_flow_config *cfg,
		 const uint8_t *words, uint64_t len)
{
	struct pdt_flow *f = calloc(1, sizeof *f);
	if (!f)
		return PDT_E_NOMEM;
	f->bits = malloc(MAX_SEG_BITS);
	f->ic = calloc(ICACHE, sizeof *f->ic);
	if (!f->bits || !f->ic) {
		pdt_flow_free(f);
		return PDT_E_NOMEM;
	}
	f->cfg = *cfg;
	if (f->cfg.crashme_words > CRASHME_MAX_WORDS)
		f->cfg.crashme_words = CRASHME_MAX_WORDS;
	if (f->cfg.crashme_words == 0)
		f->cfg.crashme = false;
	pdt_dec_init(&f->dec, words, len);
	f->st = ST_UNSYNCED;
	*out = f;
	return 0;
}

void pdt_flow_free(struct pdt_flow *f)
{
	if (!f)
		return;
	for (unsigned i = 0; i <= PDT_FLOW_GUESTS; i++)
		free(f->g[i].words);
	free(f->bits);
	free(f->ic);
	free(f);
}

uint64_t pdt_flow_insns(const struct pdt_flow *f)
{
	return f->shown;
}

/* ------------------------------------------------------------ output */

static struct pdt_flow_item *push(struct pdt_flow *f, uint64_t offset)
{
	/* The queue only ever holds what one record makes (QUEUE at most). */
	struct pdt_flow_item *it = &f->q[(f->qhead + f->qn++) % QUEUE];
	memset(it, 0, sizeof *it);
	it->index = f->index;
	it->offset = offset;
	it->ctx = f->ctx;
	return it;
}

static struct pdt_flow_item *push_event(struct pdt_flow *f, enum pdt_flow_event k,
					uint64_t offset)
{
	struct pdt_flow_item *it = push(f, offset);
	it->ev.kind = k;
	return it;
}

/* ------------------------------------------------------------ code */

/* The crashme code page: the block's words, then zeros (nop) to the end
 * of the page, which the stress kernel never writes (every block has the
 * same length) and a block may branch into. */
static bool in_crashme(uint32_t pc)
{
	return pc >= CRASHME_CODE_VA && pc - CRASHME_CODE_VA < CRASHME_PAGE_SIZE;
}

/*
 * The crashme block a guest runs at pc: a new one each time user code
 * starts at the block's address under an ASID the last block did not
 * have (the stress kernel gives every block a fresh ASID); its number
 * counts on from the last "blocks from N follow" marker.
 */
static const uint32_t *crashme_code(struct pdt_flow *f, unsigned gid, int *block)
{
	struct guest_state *g = &f->g[gid];
	if (f->pc == CRASHME_CODE_VA && (!g->have_block || g->block_asid != f->ctx.asid)) {
		if (!g->have_next)
			return NULL;
		if (!g->words) {
			g->words = malloc(4 * CRASHME_MAX_WORDS);
			if (!g->words)
				return NULL;
		}
		g->block = g->next_block++;
		g->block_asid = f->ctx.asid;
		g->have_block = true;
		crashme_block(f->cfg.crashme_seed, gid, g->block, g->words,
			      f->cfg.crashme_words);
		struct pdt_flow_item *it = push_event(f, PDT_EV_BLOCK, f->dec.pos);
		it->ev.block.gid = gid;
		it->ev.block.block = g->block;
	}
	if (!g->have_block)
		return NULL;
	*block = (int)g->block;
	return g->words;
}

/* The word at the current pc in the current context; false if unknown. */
static bool fetch(struct pdt_flow *f, uint32_t *word, uint32_t *flags, int *block)
{
	const void *src;
	uint32_t pc = f->pc;
	*block = -1;
	if (!f->ctx.guest) {
		src = f->cfg.root;
	} else {
		unsigned gid = f->ctx.guestid;
		if (gid == 0 || gid > PDT_FLOW_GUESTS)
			return false;
		if (f->cfg.crashme && f->ctx.ksu == PDT_USER && in_crashme(pc)) {
			const uint32_t *w = crashme_code(f, gid, block);
			if (!w)
				return false;
			uint32_t i = (pc - CRASHME_CODE_VA) / 4;
			*word = i < f->cfg.crashme_words ? w[i] : 0;
			*flags = isa_describe(isa_decode(*word))->flags;
			return true;
		}
		src = f->cfg.guest[gid];
	}
	if (!src || (pc & 3))
		return false;
	struct icache *c = &f->ic[(pc >> 2) & (ICACHE - 1)];
	if (c->src == src && c->pc == pc) {
		*word = c->word;
		*flags = c->flags;
		return true;
	}
	if (pdt_code_word(src, pc, word) != 0)
		return false;
	*flags = isa_describe(isa_decode(*word))->flags;
	c->src = src;
	c->pc = pc;
	c->word = *word;
	c->flags = *flags;
	return true;
}

/* ------------------------------------------------------------ states */

static void lose(struct pdt_flow *f, enum pdt_flow_gap why, uint64_t offset)
{
	f->st = ST_LOST;
	f->lost_why = why;
	f->lost_pc = f->pc;
	f->lost_insns = 0;
	f->lost_offset = offset;
	f->ds_pending = false;
	f->await = 0;
}

/* Whatever is left of the segment went by without being shown. */
static void count_rest(struct pdt_flow *f)
{
	uint64_t n = f->seg_icnt + (f->nbits - f->bitpos);
	f->lost_insns += n;
	f->index += n;
	f->seg_icnt = 0;
	f->nbits = f->bitpos = 0;
}

/* The segment cannot be walked (the walk stops at the current pc): the
 * flow is lost, the rest of the segment counted as not shown. */
static int lose_segment(struct pdt_flow *f, enum pdt_flow_gap why)
{
	lose(f, why, f->event.offset);
	count_rest(f);
	return 0;
}

/* The flow is found again: say what was skipped. */
static void found(struct pdt_flow *f)
{
	if (f->st == ST_LOST) {
		struct pdt_flow_item *it = push_event(f, PDT_EV_GAP, f->lost_offset);
		it->ev.gap.why = f->lost_why;
		it->ev.gap.pc = f->lost_pc;
		it->ev.gap.insns = f->lost_insns;
	}
	f->st = ST_RUN;
	f->ds_pending = false;
	f->await = 0;
}

/* Damage or overflow: nothing can be followed until the next SYNC. */
static void unsync(struct pdt_flow *f, enum pdt_flow_gap why, const struct pdt_record *r)
{
	struct pdt_flow_item *it = push_event(f, PDT_EV_GAP, r->offset);
	it->ev.gap.why = why;
	it->ev.gap.pc = f->st == ST_RUN ? f->pc : 0;
	it->ev.gap.bytes = r->type == PDT_GAP ? r->gap.skipped : 0;
	it->ev.gap.insns = (f->st == ST_LOST ? f->lost_insns : 0) + f->dropped;
	f->dropped = 0;
	f->st = ST_UNSYNCED;
	f->seg_icnt = 0;
	f->nbits = f->bitpos = 0;
	f->ds_pending = false;
	f->await = 0;
	f->utm_n = 0;
	/* Records were dropped: any number of crashme blocks may have run,
	 * so block numbers are unknown until the next marker. */
	for (unsigned g = 1; g <= PDT_FLOW_GUESTS; g++)
		f->g[g].have_next = f->g[g].have_block = false;
}

/* ------------------------------------------------------------ walking */

/*
 * One instruction of the segment, written into *out (the caller's item:
 * the hot path copies nothing) unless an event must come before it, in
 * which case both are queued.  Returns 1 if *out holds the instruction,
 * 0 if it went to the queue or the segment could not be walked.
 */
static int walk_one(struct pdt_flow *f, struct pdt_flow_item *out)
{
	if (f->await) /* counts after a jr/eret before its TARGET: not this code */
		return lose_segment(f, PDT_FGAP_MISMATCH);
	uint32_t word, flags;
	int block;
	if (!fetch(f, &word, &flags, &block))
		return lose_segment(f, PDT_FGAP_NO_CODE);
	bool taken = false;
	if (flags & ISA_F_BRANCH) {
		if (f->bitpos == f->nbits)
			return lose_segment(f, PDT_FGAP_MISMATCH);
		taken = f->bits[f->bitpos++];
	} else {
		if (f->seg_icnt == 0)
			return lose_segment(f, PDT_FGAP_MISMATCH);
		f->seg_icnt--;
	}
	/* A crashme block's start was queued by fetch: the instruction
	 * follows it through the queue. */
	int direct = f->qn == 0;
	struct pdt_flow_item *it = direct ? out : push(f, f->event.offset);
	it->is_insn = true;
	it->index = f->index;
	it->offset = f->event.offset;
	it->ctx = f->ctx;
	it->insn.pc = f->pc;
	it->insn.word = word;
	it->insn.have_word = true;
	it->insn.exc = -1;
	it->insn.exc_root = false;
	it->insn.block = block;
	f->index++;
	f->shown++;

	uint32_t pc = f->pc;
	uint32_t next = pc + 4;
	if (f->ds_pending) {
		next = f->ds_target;
		f->ds_pending = false;
	}
	if (flags & ISA_F_BRANCH) {
		if (taken) {
			f->ds_pending = true;
			f->ds_target = isa_branch_target(pc, word);
		} else if (flags & ISA_F_LIKELY) {
			next += 4; /* the slot is nullified: not run, not counted */
		}
	} else if (flags & ISA_F_JUMP) {
		f->ds_pending = true;
		f->ds_target = isa_jump_target(pc, word);
	} else if (flags & (ISA_F_JREG | ISA_F_ERET)) {
		f->await = (flags & ISA_F_ERET) ? ISA_F_ERET : ISA_F_JREG;
		f->await_pc = pc;
	}
	f->pc = next;
	return direct;
}

/* ------------------------------------------------------------ messages */

static void vmexit_view(struct pdt_flow_item *it, const struct utm_msg *m)
{
	struct utm_vmexit e;
	utm_vmexit_from_words(m->payload, &e);
	it->ev.guest.gid = m->gid;
	it->ev.guest.st = (struct utm_vmexit_view){e.code, e.pc, e.epc, e.status, e.cause,
						     e.badvaddr, e.entryhi, e.pagemask, e.index};
}

static void pagemask_seen(struct pdt_flow *f, unsigned gid, uint32_t pm)
{
	if (gid == 0 || gid > PDT_FLOW_GUESTS)
		return;
	struct guest_state *g = &f->g[gid];
	if (g->have_pagemask && g->pagemask != pm) {
		struct pdt_flow_item *it = push_event(f, PDT_EV_PAGEMASK, f->utm_offset);
		it->ev.pagemask.gid = gid;
		it->ev.pagemask.from = g->pagemask;
		it->ev.pagemask.to = pm;
	}
	g->have_pagemask = true;
	g->pagemask = pm;
}

static void message(struct pdt_flow *f, const struct utm_msg *m)
{
	struct pdt_flow_item *it;
	switch (m->kind) {
	case UTM_EXIT:
		it = push_event(f, PDT_EV_GUEST_EXIT, f->utm_offset);
		vmexit_view(it, m);
		pagemask_seen(f, m->gid, it->ev.guest.st.pagemask);
		f->have_exit = true;
		f->exit_gid = m->gid;
		f->exit_code = it->ev.guest.st.code;
		break;
	case UTM_ENTRY:
		if (f->have_exit && f->exit_gid != m->gid) {
			it = push_event(f, PDT_EV_SWITCH, f->utm_offset);
			it->ev.sw.from = f->exit_gid;
			it->ev.sw.to = m->gid;
			it->ev.sw.code = f->exit_code;
		}
		f->have_exit = false;
		it = push_event(f, PDT_EV_GUEST_ENTRY, f->utm_offset);
		vmexit_view(it, m);
		pagemask_seen(f, m->gid, it->ev.guest.st.pagemask);
		break;
	case UTM_MARKER:
		if (CRASHME_IS_MARKER(m->payload[0]) && m->gid && m->gid <= PDT_FLOW_GUESTS) {
			f->g[m->gid].have_next = true;
			f->g[m->gid].next_block = CRASHME_MARKER_BLOCK(m->payload[0]);
		}
		it = push_event(f, PDT_EV_MARKER, f->utm_offset);
		it->ev.msg.gid = m->gid;
		it->ev.msg.value = m->payload[0];
		break;
	case UTM_ANOMALY:
		it = push_event(f, PDT_EV_ANOMALY, f->utm_offset);
		it->ev.msg.gid = m->gid;
		it->ev.msg.value = m->payload[0];
		it->ev.msg.detail = m->payload[1];
		break;
	case UTM_HEARTBEAT:
		it = push_event(f, PDT_EV_HEARTBEAT, f->utm_offset);
		it->ev.msg.gid = m->gid;
		it->ev.msg.value = m->payload[0];
		break;
	default:
		break;
	}
}

static void raw_utm(struct pdt_flow *f, uint8_t chan, uint32_t value, uint64_t offset)
{
	struct pdt_flow_item *it = push_event(f, PDT_EV_UTM, offset);
	it->ev.utm.chan = chan;
	it->ev.utm.value = value;
}

/* A UserTraceData write: a word of a hypervisor message, or a raw one. */
static void utm_word(struct pdt_flow *f, const struct pdt_record *r)
{
	uint32_t v = r->utm.value;
	if (r->utm.chan != 1) {
		raw_utm(f, r->utm.chan, v, r->offset);
		return;
	}
	if (f->utm_n == 0) {
		unsigned want = (v & 0xffu) + 1;
		if ((v >> 24) != UTM_MAGIC || want > 1 + UTM_MAX_PAYLOAD) {
			raw_utm(f, 1, v, r->offset);
			return;
		}
		f->utm_want = want;
		f->utm_offset = r->offset;
	}
	f->utm[f->utm_n++] = v;
	if (f->utm_n < f->utm_want)
		return;
	struct utm_msg m;
	int n = utm_decode(f->utm, f->utm_n, &m);
	if (n > 0)
		message(f, &m);
	else
		for (unsigned i = 0; i < f->utm_n; i++)
			raw_utm(f, 1, f->utm[i], f->utm_offset);
	f->utm_n = 0;
}

/* ------------------------------------------------------------ events */

static void on_target(struct pdt_flow *f, const struct pdt_record *r)
{
	if (f->st != ST_RUN)
		return; /* lost: a jr's slot or an eret? only the code knows */
	if (!f->await) {
		lose(f, PDT_FGAP_MISMATCH, r->offset);
		return;
	}
	if (f->await == ISA_F_ERET) {
		struct pdt_flow_item *it = push_event(f, PDT_EV_ERET, r->offset);
		it->ev.eret.from = f->await_pc;
		it->ev.eret.to = r->target.pc;
		f->pc = r->target.pc;
	} else {
		f->ds_pending = true; /* the slot (at f->pc) runs first */
		f->ds_target = r->target.pc;
	}
	f->await = 0;
}

static void on_exception(struct pdt_flow *f, const struct pdt_record *r)
{
	bool interrupt = r->exc.code == 0;
	if (f->st == ST_UNSYNCED)
		return;
	if (f->st == ST_LOST) {
		if (!interrupt) {
			f->index++; /* the faulting instruction, somewhere */
			f->lost_insns++;
		}
		found(f);
	} else if (!interrupt) {
		/* The next instruction started and faulted: shown, with it. */
		uint32_t word = 0, flags;
		int block = -1;
		bool known = !f->await && fetch(f, &word, &flags, &block);
		struct pdt_flow_item *it = push(f, r->offset);
		it->is_insn = true;
		it->insn.pc = f->pc;
		it->insn.word = word;
		it->insn.have_word = known;
		it->insn.exc = r->exc.code;
		it->insn.exc_root = r->exc.root;
		it->insn.block = block;
		f->index++;
		f->shown++;
	}
	struct pdt_flow_item *it = push_event(f, PDT_EV_EXCEPTION, r->offset);
	it->ev.exc.code = r->exc.code;
	it->ev.exc.root = r->exc.root;
	it->ev.exc.pc = f->pc;
	it->ev.exc.vector = r->exc.vector;
	f->pc = r->exc.vector;
	f->ds_pending = false;
	f->await = 0;
}

static void on_sync(struct pdt_flow *f, const struct pdt_record *r)
{
	bool fits = f->st == ST_RUN && f->pc == r->sync.pc && f->index == r->sync.index &&
		    !f->ds_pending && !f->await;
	if (f->st == ST_RUN && !fits)
		lose(f, PDT_FGAP_MISMATCH, r->offset);
	bool report = f->st != ST_RUN;
	if (f->st == ST_LOST)
		found(f);
	f->st = ST_RUN;
	f->pc = r->sync.pc;
	f->ctx = r->sync.ctx;
	f->index = r->sync.index;
	f->ds_pending = false;
	f->await = 0;
	if (report) {
		struct pdt_flow_item *it = push_event(f, PDT_EV_SYNC, r->offset);
		it->ev.sync.pc = r->sync.pc;
	}
}

static void on_event(struct pdt_flow *f, const struct pdt_record *r)
{
	switch (r->type) {
	case PDT_TARGET:
		on_target(f, r);
		break;
	case PDT_EXCEPTION:
		on_exception(f, r);
		break;
	case PDT_MODE:
		if (f->st == ST_UNSYNCED)
			break;
		if (f->st == ST_LOST && r->mode.guest && r->mode.ksu == PDT_USER &&
		    r->mode.guestid && r->mode.guestid <= PDT_FLOW_GUESTS &&
		    r->mode.asid != f->g[r->mode.guestid].block_asid) {
			/* User code under a new ASID while the flow was lost: a
			 * crashme block may have started unseen. */
			f->g[r->mode.guestid].have_next = false;
			f->g[r->mode.guestid].have_block = false;
		}
		f->ctx = r->mode;
		push_event(f, PDT_EV_MODE, r->offset);
		break;
	case PDT_SYNC:
		on_sync(f, r);
		break;
	case PDT_UTM:
		utm_word(f, r);
		break;
	case PDT_OVERFLOW:
		unsync(f, PDT_FGAP_OVERFLOW, r);
		break;
	case PDT_GAP:
		unsync(f, r->gap.why == PDT_GAP_UNSYNCED && f->st == ST_UNSYNCED &&
				  f->index == 0 ? PDT_FGAP_UNSYNCED : PDT_FGAP_TRACE, r);
		break;
	default: /* MEM and anything else: not flow */
		break;
	}
}

/* A segment far longer than any SYNC period: taken as damage (the
 * packet layer cannot tell a corrupt count from a real one). */
static void damage(struct pdt_flow *f, const struct pdt_record *r)
{
	f->event = *r;
	f->event.type = PDT_GAP;
	f->event.gap.why = PDT_GAP_CORRUPT;
	f->event.gap.skipped = 0;
	f->have_event = true;
	f->seg_icnt = 0;
	f->nbits = f->bitpos = 0;
}

/* Reads the next segment: counts and bits up to an event record. */
static void read_segment(struct pdt_flow *f)
{
	struct pdt_record r;
	f->seg_icnt = 0;
	f->nbits = f->bitpos = 0;
	for (;;) {
		int e = pdt_dec_next(&f->dec, &r);
		if (e == PDT_E_EOS) {
			f->eos = true;
			return;
		}
		if (r.type == PDT_ICNT) {
			if (r.icnt.n > MAX_SEG_INSNS - f->seg_icnt) {
				damage(f, &r);
				return;
			}
			f->seg_icnt += r.icnt.n;
		} else if (r.type == PDT_BRANCH) {
			if (f->nbits + r.branch.n > MAX_SEG_BITS) {
				damage(f, &r);
				return;
			}
			for (unsigned i = 0; i < r.branch.n; i++)
				f->bits[f->nbits++] = (r.branch.bits >> i) & 1;
		} else {
			f->event = r;
			f->have_event = true;
			return;
		}
	}
}

int pdt_flow_next(struct pdt_flow *f, struct pdt_flow_item *it)
{
	for (;;) {
		if (f->qn) {
			*it = f->q[f->qhead];
			f->qhead = (f->qhead + 1) % QUEUE;
			f->qn--;
			return 0;
		}
		if ((f->seg_icnt || f->bitpos < f->nbits) && f->have_event &&
		    f->event.type == PDT_GAP) {
			/* Damage ends this segment: its last records may be the
			 * damaged ones (a count's bytes can be anything, and
			 * the packet layer sees damage only at the first byte
			 * that cannot be a record), so none of it is shown: the
			 * gap counts it; decoding starts again at the next SYNC. */
			f->dropped = f->seg_icnt + (f->nbits - f->bitpos);
			f->seg_icnt = 0;
			f->nbits = f->bitpos = 0;
			continue;
		}
		if (f->seg_icnt || f->bitpos < f->nbits) {
			if (f->st == ST_RUN) {
				if (walk_one(f, it))
					return 0;
				continue; /* queued, or lost (the rest was counted) */
			}
			if (f->st == ST_LOST)
				count_rest(f);
			else
				f->seg_icnt = 0, f->nbits = f->bitpos = 0;
			continue;
		}
		if (f->have_event) {
			f->have_event = false;
			on_event(f, &f->event);
			continue;
		}
		if (f->eos) {
			if (f->st == ST_LOST) {
				/* The trace ends while lost: say so once. */
				found(f);
				f->st = ST_UNSYNCED;
				continue;
			}
			return PDT_E_EOS;
		}
		read_segment(f);
	}
}
