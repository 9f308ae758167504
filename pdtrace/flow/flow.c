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
 *
 * The walk goes a block at a time where it can (lay_run, over the cache
 * of decoded blocks, blocks.h): a block's counts and branch bit are taken
 * at once and its instructions laid out as a run, whose items are made
 * only as they are returned.  walk_one, one instruction at a time, takes
 * everything else (code from a provider, a slot that is a branch, counts
 * or bits that do not fit) and is the whole walk with cfg.per_insn; the
 * two must move the walk's state alike, instruction for instruction.
 */
#include <stdlib.h>
#include <string.h>

#include <pdtrace/flow.h>

#include <mips/isa.h>

#include "blocks.h"
#include "code.h"
#include "hvmsg.h"

/* Segments are bounded (flow.h): streaming, memory does not grow with
 * the trace, and damage cannot make the walk run for ever. */
#define MAX_SEG_BITS PDT_FLOW_MAX_SEG_BITS
#define MAX_SEG_INSNS PDT_FLOW_MAX_SEG_INSNS
/* The most one step queues: a refused hypervisor message's words, raw,
 * and a few events besides. */
#define QUEUE (HVMSG_MAX_EVENTS + 8u)

enum state {
	ST_UNSYNCED, /* nothing known yet, or after damage: wait for a SYNC */
	ST_RUN,      /* following the program */
	ST_LOST,     /* counting, not following: until an EXCEPTION or SYNC */
};

/* What the next record must be: after a jr/jalr or an eret, a TARGET. */
enum await {
	AWAIT_NONE,
	AWAIT_JREG, /* then the delay slot, then the target */
	AWAIT_ERET, /* straight to the target */
};

/* One decoded-instruction cache line: the program text rarely changes
 * under a trace, but looking a word up in an ELF and decoding it costs
 * more than the rest of the walk.  Only with cfg.per_insn: the block
 * walk leaves walk_one the odd instruction. */
struct icache {
	const void *src;         /* the code image */
	uint32_t pc, word;
	uint32_t flags;
};
#define ICACHE 4096u

/* The block cache's size: 2^13 blocks of 32 bytes (256 KiB), enough for
 * the hot code of a hypervisor and its guests (a 4-guest stress soak
 * runs some 2400 blocks; at 2^12 their slots collide and blocks are
 * decoded again and again). */
#define BLOCKS_LOG2 13u
#define BLOCKS_MAX_LOG2 20u

/*
 * Instructions replayed from a block, returned one a call: their counts
 * and bit were taken, and the walk's state (index, shown) moved past
 * them, when the run was laid out (lay_run); each item is made as it goes
 * out.  Only `left` changes as they do: each item is found from the run's
 * end, so that a call stores nothing the next one has to read back
 * whole (a wider load over a fresh store stalls the CPU).
 */
struct run {
	uint32_t left;           /* items still to return */
	uint32_t end_pc;         /* the pc past the last one */
	const uint8_t *end;      /* the image's bytes past its word */
	uint64_t end_index;      /* the index past it */
	uint64_t offset;         /* the record behind them all */
	uint32_t first_word;     /* the word of the run's first */
};

struct pdt_flow {
	struct pdt_flow_config cfg;
	struct pdt_decoder dec;
	enum state st;
	uint32_t pc;
	struct pdt_ctx ctx;
	uint64_t index;
	bool ds_pending;         /* the next instruction is a delay slot ... */
	uint32_t ds_target;      /* ... after which the flow goes here */
	enum await await;
	uint32_t await_pc;

	/* The segment being walked. */
	uint64_t seg_icnt;
	uint8_t *bits;
	uint32_t nbits, bitpos;
	bool have_event;
	struct pdt_record event;
	/* The trace offset the segment's instructions carry: its event's, or
	 * at the end of the trace the last event's. */
	uint64_t seg_offset;
	bool eos;

	/* Lost: where, why, how many instructions went by uncounted. */
	enum pdt_flow_gap lost_why;
	uint32_t lost_pc;
	uint64_t lost_insns, lost_offset;
	uint64_t dropped;        /* a damaged segment's instructions, not shown */

	/* Items waiting to be returned. */
	struct pdt_flow_item q[QUEUE];
	unsigned qhead, qn;
	/* While a record is handled: the caller's item, where the first item
	 * it makes goes (then `direct` is NULL and `direct_made` set) when
	 * the queue is empty.  Made in the queue and copied out at once, an
	 * item's wide loads would wait for its narrow stores to retire. */
	struct pdt_flow_item *direct;
	bool direct_made;

	struct hvmsg hv;         /* the hypervisor's messages */
	struct icache *ic;         /* NULL unless cfg.per_insn */
	struct block_cache blocks; /* none (slot NULL) with cfg.per_insn */
	struct run run;
	/* The words of what pdt_flow_next_run returned last: its first, and
	 * all of a run's in the image (NULL: one instruction). */
	uint32_t ret_word;
	const uint8_t *ret_words;
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
		[PDT_EV_HEARTBEAT] = "heartbeat", [PDT_EV_VIRQ] = "virq",
		[PDT_EV_BLOCK] = "crashme-block",
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
	f->ic = cfg->per_insn ? calloc(ICACHE, sizeof *f->ic) : NULL;
	unsigned log2 = !cfg->block_cache_log2 ? BLOCKS_LOG2
			: cfg->block_cache_log2 < BLOCKS_MAX_LOG2 ? cfg->block_cache_log2
			: BLOCKS_MAX_LOG2;
	if (!f->bits || (cfg->per_insn ? !f->ic : blocks_init(&f->blocks, log2) != 0)) {
		pdt_flow_free(f);
		return PDT_E_NOMEM;
	}
	f->cfg = *cfg;
	if (f->cfg.code.read && f->cfg.code.start)
		f->cfg.code.start(f->cfg.code.priv);
	pdt_dec_init(&f->dec, words, len);
	f->st = ST_UNSYNCED;
	*out = f;
	return 0;
}

void pdt_flow_free(struct pdt_flow *f)
{
	if (!f)
		return;
	free(f->bits);
	free(f->ic);
	blocks_free(&f->blocks);
	free(f);
}

uint64_t pdt_flow_insns(const struct pdt_flow *f)
{
	return f->shown - f->run.left; /* a run's are counted when laid out */
}

/* ------------------------------------------------------------ output */

static struct pdt_flow_item *push(struct pdt_flow *f, uint64_t offset)
{
	struct pdt_flow_item *it;
	if (f->direct && !f->qn) {
		it = f->direct;
		f->direct = NULL;
		f->direct_made = true;
	} else {
		/* The queue only ever holds what one record makes (QUEUE at
		 * most). */
		it = &f->q[(f->qhead + f->qn++) % QUEUE];
	}
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

/* What fetch found (the provider's PDT_E_NOMEM aside). */
enum { CODE_OK = 0, CODE_NONE = 1 };

/* The code provider's word at the current pc: code no image holds. */
static int provided(struct pdt_flow *f, uint32_t *word, uint32_t *flags, int *block)
{
	if (!f->cfg.code.read)
		return CODE_NONE;
	int unit = -1;
	int rc = f->cfg.code.read(f->cfg.code.priv, &f->ctx, f->pc, word, &unit);
	if (rc < 0)
		return rc;
	if (rc != PDT_OK && rc != PDT_FLOW_CODE_NEW)
		return CODE_NONE;
	if (rc == PDT_FLOW_CODE_NEW) {
		struct pdt_flow_item *it = push_event(f, PDT_EV_BLOCK, f->dec.pos);
		it->ev.block.gid = f->ctx.guest ? f->ctx.guestid : 0;
		it->ev.block.block = (uint32_t)unit;
	}
	*block = unit;
	*flags = isa_describe(isa_decode(*word))->flags;
	return CODE_OK;
}

/* The word at the current pc in the current context: CODE_OK, CODE_NONE
 * if nothing holds it, or PDT_E_NOMEM. */
static int fetch(struct pdt_flow *f, uint32_t *word, uint32_t *flags, int *block)
{
	const struct pdt_code *src;
	uint32_t pc = f->pc;
	*block = -1;
	if (!f->ctx.guest) {
		src = f->cfg.root;
	} else {
		unsigned gid = f->ctx.guestid;
		if (gid == 0 || gid > PDT_FLOW_GUESTS)
			return CODE_NONE;
		src = f->cfg.guest[gid];
	}
	if (pc & 3)
		return CODE_NONE;
	struct icache *c = f->ic ? &f->ic[(pc >> 2) & (ICACHE - 1)] : NULL;
	if (c && src && c->src == src && c->pc == pc) {
		*word = c->word;
		*flags = c->flags;
		return CODE_OK;
	}
	if (!src || pdt_code_word(src, pc, word) != 0)
		return provided(f, word, flags, block);
	*flags = isa_describe(isa_decode(*word))->flags;
	if (c)
		*c = (struct icache){ .src = src, .pc = pc, .word = *word, .flags = *flags };
	return CODE_OK;
}

/* ------------------------------------------------------------ states */

/* The segment is done with: nothing left to walk. */
static void seg_clear(struct pdt_flow *f)
{
	f->seg_icnt = 0;
	f->nbits = f->bitpos = 0;
}

static void lose(struct pdt_flow *f, enum pdt_flow_gap why, uint64_t offset)
{
	f->st = ST_LOST;
	f->lost_why = why;
	f->lost_pc = f->pc;
	f->lost_insns = 0;
	f->lost_offset = offset;
	f->ds_pending = false;
	f->await = AWAIT_NONE;
}

/* Whatever is left of the segment went by without being shown. */
static void count_rest(struct pdt_flow *f)
{
	uint64_t n = f->seg_icnt + (f->nbits - f->bitpos);
	f->lost_insns += n;
	f->index += n;
	seg_clear(f);
}

/* The segment cannot be walked (the walk stops at the current pc): the
 * flow is lost, the rest of the segment counted as not shown. */
static int lose_segment(struct pdt_flow *f, enum pdt_flow_gap why)
{
	lose(f, why, f->seg_offset);
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
	f->await = AWAIT_NONE;
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
	seg_clear(f);
	f->ds_pending = false;
	f->await = AWAIT_NONE;
	/* Records were dropped (the code provider learns it from the gap). */
	hvmsg_drop(&f->hv);
}

/* ------------------------------------------------------------ walking */

/* An instruction item for the current pc, in *it. */
static void emit_insn(struct pdt_flow *f, struct pdt_flow_item *it, uint64_t offset,
		      uint32_t word, bool known, int exc, bool exc_root, int block)
{
	it->is_insn = true;
	it->index = f->index;
	it->offset = offset;
	it->ctx = f->ctx;
	it->insn.pc = f->pc;
	it->insn.word = word;
	it->insn.have_word = known;
	it->insn.exc = exc;
	it->insn.exc_root = exc_root;
	it->insn.block = block;
	f->index++;
	f->shown++;
}

/*
 * One instruction of the segment, written into *out (the caller's item:
 * the hot path copies nothing) unless an event must come before it, in
 * which case both are queued.  Returns 1 if *out holds the instruction,
 * 0 if it went to the queue or the segment could not be walked, or
 * PDT_E_NOMEM (nothing consumed).
 */
static int walk_one(struct pdt_flow *f, struct pdt_flow_item *out)
{
	if (f->await) /* counts after a jr/eret before its TARGET: not this code */
		return lose_segment(f, PDT_FGAP_MISMATCH);
	uint32_t word, flags;
	int block;
	int rc = fetch(f, &word, &flags, &block);
	if (rc < 0)
		return rc;
	if (rc)
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
	/* A provided block's start (PDT_EV_BLOCK) was queued by fetch: the
	 * instruction follows it through the queue. */
	int direct = f->qn == 0;
	struct pdt_flow_item *it = direct ? out : push(f, f->seg_offset);
	uint32_t pc = f->pc;
	emit_insn(f, it, f->seg_offset, word, true, -1, false, block);

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
		f->await = (flags & ISA_F_ERET) ? AWAIT_ERET : AWAIT_JREG;
		f->await_pc = pc;
	}
	f->pc = next;
	return direct;
}

/* ------------------------------------------------------------ replaying blocks */

/* The image the current context runs, or NULL (none, or a GuestID out of
 * range: walk_one says which). */
static const struct pdt_code *context_image(const struct pdt_flow *f)
{
	if (!f->ctx.guest)
		return f->cfg.root;
	unsigned gid = f->ctx.guestid;
	return gid && gid <= PDT_FLOW_GUESTS ? f->cfg.guest[gid] : NULL;
}

/*
 * Block b replayed from its start, as far as the segment's counts (*icnt,
 * taken) and bits take it: its ordinary instructions, then its control
 * instruction and the delay slot, the walk's state (bits, slot, TARGET
 * awaited) moved past them exactly as walk_one would move it, one
 * instruction at a time.  Returns how many instructions ran, *next the pc
 * after them.
 */
static inline uint32_t replay_block(struct pdt_flow *f, const struct flow_block *b,
				    uint64_t *icnt, uint32_t *next)
{
	uint32_t len = b->nplain <= *icnt ? b->nplain : (uint32_t)*icnt;
	*icnt -= len;
	*next = b->pc + 4 * len;
	if (len < b->nplain || !b->control)
		return len;
	uint32_t cpc = *next, fl = b->control;
	bool slot_next = false; /* the slot is the next instruction to run */
	if (fl & ISA_F_BRANCH) {
		if (f->bitpos == f->nbits)
			return len;
		len++;
		*next = cpc + 4;
		slot_next = true;
		if (f->bits[f->bitpos++]) {
			f->ds_pending = true;
			f->ds_target = b->target;
		} else if (fl & ISA_F_LIKELY) {
			*next = cpc + 8; /* the slot is nullified */
			slot_next = false;
		}
	} else {
		if (!*icnt)
			return len;
		--*icnt;
		len++;
		*next = cpc + 4;
		if (fl & ISA_F_JUMP) {
			slot_next = true;
			f->ds_pending = true;
			f->ds_target = b->target;
		} else {
			/* The segment must end here: the TARGET comes next. */
			f->await = (fl & ISA_F_ERET) ? AWAIT_ERET : AWAIT_JREG;
			f->await_pc = cpc;
		}
	}
	if (slot_next && b->slot_plain && *icnt) {
		--*icnt;
		len++;
		*next = f->ds_pending ? f->ds_target : cpc + 8;
		f->ds_pending = false;
	}
	return len;
}

/*
 * The blocks from the current pc replayed (replay_block) for as long as
 * each goes on where the last one ended, in the same stretch of the
 * image's bytes (a branch not taken: one run of straight code), and laid
 * out as a run for pdt_flow_next and pdt_flow_next_run.  A pending delay
 * slot (a jr's, after its TARGET) is a run of its own: the flow jumps
 * after it.  Returns false, nothing changed, where walk_one must take the
 * next instruction: a TARGET pending, code no image holds (a provider's,
 * or none), a slot that is a control instruction itself, or a first
 * instruction the records do not cover (a mismatch walk_one reports).
 */
static inline __attribute__((always_inline)) bool lay_run(struct pdt_flow *f, struct run *r)
{
	if (f->await)
		return false;
	const struct pdt_code *src = context_image(f);
	const struct flow_block *first = src ? blocks_get(&f->blocks, src, f->pc) : NULL;
	if (!first)
		return false;
	uint64_t icnt = f->seg_icnt;
	uint32_t next, len;
	if (f->ds_pending) {
		if (!first->nplain || !icnt)
			return false;
		icnt--;
		len = 1;
		next = f->ds_target;
		f->ds_pending = false;
	} else {
		len = replay_block(f, first, &icnt, &next);
		if (!len)
			return false;
	}
	/* What the run needs of its first block, kept: the next block may
	 * take its slot. */
	const uint32_t pc = first->pc, word = first->word;
	const uint8_t *end = first->bytes + 4 * len;
	while (next == pc + 4 * len && !f->ds_pending && !f->await &&
	       (icnt || f->bitpos < f->nbits)) {
		const struct flow_block *b = blocks_get(&f->blocks, src, next);
		if (!b || b->bytes != end)
			break;
		uint32_t more = replay_block(f, b, &icnt, &next);
		if (!more)
			break;
		len += more;
		end += 4 * more;
	}
	/* The next run most likely starts there, in the same image. */
	blocks_prefetch(&f->blocks, src, next);
	f->seg_icnt = icnt;
	f->index += len;
	f->shown += len;
	*r = (struct run){
		.left = len, .end_pc = pc + 4 * len, .end = end,
		.end_index = f->index, .offset = f->seg_offset, .first_word = word,
	};
	f->pc = next;
	return true;
}

/* The first of the run's instructions left, into *it (as emit_insn would
 * make it); the caller counts it out of the run. */
static inline void run_emit(const struct pdt_flow *f, const struct run *r,
			    struct pdt_flow_item *it, uint32_t word)
{
	uint32_t k = r->left;
	it->is_insn = true;
	it->index = r->end_index - k;
	it->offset = r->offset;
	it->ctx = f->ctx;
	it->insn.pc = r->end_pc - 4 * k;
	it->insn.word = word;
	it->insn.have_word = true;
	it->insn.exc = -1;
	it->insn.exc_root = false;
	it->insn.block = -1;
}

/*
 * Whether next_item would go straight to the walk: nothing queued, the
 * code followed, counts or bits left, and no damage ending the segment
 * (its first steps, in their order).  There a run can be laid out
 * without a call.
 */
static inline bool at_walk(const struct pdt_flow *f)
{
	return !f->qn && (f->seg_icnt || f->bitpos < f->nbits) &&
	       !(f->have_event && f->event.type == PDT_GAP) && f->st == ST_RUN;
}

/* ------------------------------------------------------------ messages */

/* hvmsg's way to queue an event. */
static struct pdt_flow_item *emit_event(void *to, enum pdt_flow_event k, uint64_t offset)
{
	return push_event(to, k, offset);
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
	if (f->await == AWAIT_ERET) {
		struct pdt_flow_item *it = push_event(f, PDT_EV_ERET, r->offset);
		it->ev.eret.from = f->await_pc;
		it->ev.eret.to = r->target.pc;
		f->pc = r->target.pc;
	} else {
		f->ds_pending = true; /* the slot (at f->pc) runs first */
		f->ds_target = r->target.pc;
	}
	f->await = AWAIT_NONE;
}

/* PDT_E_NOMEM before anything changed, or 0. */
static int on_exception(struct pdt_flow *f, const struct pdt_record *r)
{
	bool interrupt = r->exc.code == 0;
	if (f->st == ST_UNSYNCED)
		return 0;
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
		int rc = f->await ? CODE_NONE : fetch(f, &word, &flags, &block);
		if (rc < 0)
			return rc;
		if (rc)
			word = 0;
		emit_insn(f, push(f, r->offset), r->offset, word, rc == CODE_OK, r->exc.code,
			  r->exc.root, block);
	}
	struct pdt_flow_item *it = push_event(f, PDT_EV_EXCEPTION, r->offset);
	it->ev.exc.code = r->exc.code;
	it->ev.exc.root = r->exc.root;
	it->ev.exc.pc = f->pc;
	it->ev.exc.vector = r->exc.vector;
	f->pc = r->exc.vector;
	f->ds_pending = false;
	f->await = AWAIT_NONE;
	return 0;
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
	f->await = AWAIT_NONE;
	if (report) {
		struct pdt_flow_item *it = push_event(f, PDT_EV_SYNC, r->offset);
		it->ev.sync.pc = r->sync.pc;
	}
}

/* 0, or PDT_E_NOMEM before anything changed. */
static int on_event(struct pdt_flow *f, const struct pdt_record *r)
{
	switch (r->type) {
	case PDT_TARGET:
		on_target(f, r);
		break;
	case PDT_EXCEPTION:
		return on_exception(f, r);
	case PDT_MODE:
		if (f->st == ST_UNSYNCED)
			break;
		f->ctx = r->mode;
		push_event(f, PDT_EV_MODE, r->offset);
		break;
	case PDT_SYNC:
		on_sync(f, r);
		break;
	case PDT_UTM:
		hvmsg_word(&f->hv, r->utm.chan, r->utm.value, r->offset, emit_event, f);
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
	return 0;
}

/* The segment ends at f->event, the record just read. */
static void seg_end(struct pdt_flow *f)
{
	f->have_event = true;
	f->seg_offset = f->event.offset;
}

/* A segment far longer than any SYNC period: taken as damage (the
 * packet layer cannot tell a corrupt count from a real one).  f->event
 * is the count or bits that made it too long. */
static void damage(struct pdt_flow *f)
{
	f->event.type = PDT_GAP;
	f->event.gap.why = PDT_GAP_CORRUPT;
	f->event.gap.skipped = 0;
	seg_end(f);
	seg_clear(f);
}

/*
 * Reads the next segment: counts and bits up to an event record.  Each
 * record is decoded into f->event itself, not into a local copied there
 * after: the copy's wide loads would wait for the decoder's narrow stores
 * to retire, once for every event.  Only have_event says f->event holds
 * one (seg_offset keeps what items need of the last).
 */
static void read_segment(struct pdt_flow *f)
{
	struct pdt_record *r = &f->event;
	seg_clear(f);
	for (;;) {
		int e = pdt_dec_next(&f->dec, r);
		if (e == PDT_E_EOS) {
			f->eos = true;
			return;
		}
		if (r->type == PDT_ICNT) {
			if (r->icnt.n > MAX_SEG_INSNS - f->seg_icnt) {
				damage(f);
				return;
			}
			f->seg_icnt += r->icnt.n;
		} else if (r->type == PDT_BRANCH) {
			if (f->nbits + r->branch.n > MAX_SEG_BITS) {
				damage(f);
				return;
			}
			for (unsigned i = 0; i < r->branch.n; i++)
				f->bits[f->nbits++] = (r->branch.bits >> i) & 1;
		} else {
			seg_end(f);
			return;
		}
	}
}

/* An item is returned: the code provider sees each event first. */
static int handed(struct pdt_flow *f, const struct pdt_flow_item *it)
{
	if (!it->is_insn && f->cfg.code.event)
		f->cfg.code.event(f->cfg.code.priv, it, f->st == ST_LOST);
	return 0;
}

/* The next item; where a run is laid out, its first, the rest left in
 * f->run.  Not inlined in pdt_flow_next, whose hot path then saves no
 * registers. */
static __attribute__((noinline)) int next_item(struct pdt_flow *f, struct pdt_flow_item *it)
{
	for (;;) {
		if (f->qn) {
			*it = f->q[f->qhead];
			f->qhead = (f->qhead + 1) % QUEUE;
			f->qn--;
			return handed(f, it);
		}
		if ((f->seg_icnt || f->bitpos < f->nbits) && f->have_event &&
		    f->event.type == PDT_GAP) {
			/* Damage ends this segment: its last records may be the
			 * damaged ones (a count's bytes can be anything, and
			 * the packet layer sees damage only at the first byte
			 * that cannot be a record), so none of it is shown: the
			 * gap counts it; decoding starts again at the next SYNC. */
			f->dropped = f->seg_icnt + (f->nbits - f->bitpos);
			seg_clear(f);
			continue;
		}
		if (f->seg_icnt || f->bitpos < f->nbits) {
			if (f->st == ST_RUN) {
				/* The first item is made from the run as
				 * laid out, not read back from f->run: a wide
				 * load over its fresh stores would wait. */
				struct run r;
				if (f->blocks.slot && lay_run(f, &r)) {
					run_emit(f, &r, it, r.first_word);
					r.left--;
					f->run = r;
					return 0;
				}
				int w = walk_one(f, it);
				if (w > 0)
					return 0;
				if (w < 0)
					return w;
				continue; /* queued, or lost (the rest was counted) */
			}
			if (f->st == ST_LOST)
				count_rest(f);
			else
				seg_clear(f);
			continue;
		}
		if (f->have_event) {
			f->have_event = false;
			f->direct = it;
			int e = on_event(f, &f->event);
			f->direct = NULL;
			if (e < 0) {
				f->have_event = true; /* not handled: again next call */
				return e;
			}
			if (f->direct_made) {
				f->direct_made = false;
				return handed(f, it);
			}
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

int pdt_flow_next(struct pdt_flow *f, struct pdt_flow_item *it)
{
	struct run *r = &f->run;
	if (!r->left)
		return next_item(f, it);
	run_emit(f, r, it, code_le32(r->end - 4 * (size_t)r->left));
	r->left--;
	return 0;
}

/* A run's instructions left, whole, as pdt_flow_next_run returns them;
 * word: the first's. */
static inline void take_run(struct pdt_flow *f, const struct run *r, struct pdt_flow_item *it,
			    uint32_t *n, uint32_t word)
{
	run_emit(f, r, it, word);
	f->ret_word = word;
	f->ret_words = r->end - 4 * (size_t)r->left;
	*n = r->left;
}

int pdt_flow_next_run(struct pdt_flow *f, struct pdt_flow_item *it, uint32_t *n)
{
	if (!f->run.left) {
		/* The hot path: the run laid out here is returned at once,
		 * and never stored in f. */
		struct run r;
		if (f->blocks.slot && at_walk(f) && lay_run(f, &r)) {
			take_run(f, &r, it, n, r.first_word);
			return 0;
		}
		int rc = next_item(f, it);
		if (rc || !it->is_insn) {
			*n = 0;
			return rc;
		}
		/* An instruction alone, or the first of a run next_item laid
		 * out (the rest in f->run, right after it in the image). */
		uint32_t rest = f->run.left;
		*n = 1 + rest;
		f->ret_word = it->insn.word;
		f->ret_words = rest ? f->run.end - 4 * ((size_t)rest + 1) : NULL;
		f->run.left = 0;
		return 0;
	}
	/* The rest of a run pdt_flow_next began. */
	const struct run *r = &f->run;
	take_run(f, r, it, n, code_le32(r->end - 4 * (size_t)r->left));
	f->run.left = 0;
	return 0;
}

uint32_t pdt_flow_run_word(const struct pdt_flow *f, uint32_t k)
{
	return f->ret_words ? code_le32(f->ret_words + 4 * (size_t)k) : f->ret_word;
}
