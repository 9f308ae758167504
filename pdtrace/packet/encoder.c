/*
 * The VZT1 encoder: records become bytes, bytes fill 64-bit trace words
 * from the least significant byte up, and each full word goes to the
 * sink.  Instruction completions and branch outcomes are batched into
 * ICNT and BRANCH records as docs/trace-format.md allows ("How the records
 * follow execution"): the count stays pending until another record has to
 * be written, the branch bits until eight are pending.
 */
#include "vzt1.h"

void pdt_enc_init(struct pdt_encoder *e, pdt_word_sink sink, void *ctx)
{
	*e = (struct pdt_encoder){ .sink = sink, .sink_ctx = ctx };
}

static void put_word(struct pdt_encoder *e, uint64_t w)
{
	e->sink(e->sink_ctx, w);
	e->words++;
}

static inline void put8(struct pdt_encoder *e, uint8_t b)
{
	e->word |= (uint64_t)b << (8 * e->fill);
	if (++e->fill == 8) {
		put_word(e, e->word);
		e->word = 0;
		e->fill = 0;
	}
}

static void put32(struct pdt_encoder *e, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		put8(e, (uint8_t)(v >> (8 * i)));
}

/*
 * A decoder takes a sync marker at a word boundary for a SYNC, whatever
 * precedes it.  Only a 9-byte record (ICNT of 8 count bytes, LOAD/STORE
 * with data) can make one from its own bytes: when it starts at byte 7 of
 * a word and its last 8 bytes are the marker.  It then starts one PAD
 * later, where its header breaks the word.
 */
static void avoid_marker(struct pdt_encoder *e, uint64_t last8)
{
	if (e->fill == 7 && last8 == VZT1_MARKER)
		put8(e, VZT1_PAD);
}

/* The shortest little-endian count: n >= 1 always needs 1..8 bytes. */
static void put_icnt(struct pdt_encoder *e, uint64_t n)
{
	unsigned bytes = 1;
	while (bytes < 8 && n >> (8 * bytes))
		bytes++;
	if (bytes == 8)
		avoid_marker(e, n);
	put8(e, (uint8_t)(VZT1_ICNT | bytes));
	for (unsigned i = 0; i < bytes; i++)
		put8(e, (uint8_t)(n >> (8 * i)));
}

static void put_branch(struct pdt_encoder *e, uint8_t n, uint8_t bits)
{
	put8(e, (uint8_t)(VZT1_BRANCH | n));
	put8(e, bits);
}

void pdt_enc_flush_pending(struct pdt_encoder *e)
{
	if (e->pend_icnt) {
		put_icnt(e, e->pend_icnt);
		e->pend_icnt = 0;
	}
	if (e->pend_nbits) {
		put_branch(e, e->pend_nbits, e->pend_bits);
		e->pend_nbits = 0;
		e->pend_bits = 0;
	}
}

void pdt_enc_insns(struct pdt_encoder *e, uint64_t n)
{
	/* A count that would wrap is written out first (about 2^64
	   instructions: never, but the record must stay exact). */
	if (n > UINT64_MAX - e->pend_icnt) {
		put_icnt(e, e->pend_icnt);
		e->pend_icnt = 0;
	}
	e->pend_icnt += n;
}

void pdt_enc_branch(struct pdt_encoder *e, bool taken)
{
	e->pend_bits |= (uint8_t)((taken ? 1u : 0u) << e->pend_nbits);
	if (++e->pend_nbits == 8) {
		put_branch(e, 8, e->pend_bits);
		e->pend_nbits = 0;
		e->pend_bits = 0;
	}
}

void pdt_enc_flush(struct pdt_encoder *e)
{
	pdt_enc_flush_pending(e);
	while (e->fill)
		put8(e, VZT1_PAD);
}

/* What the decoder would accept: the encoder never writes damage. */
static bool record_ok(const struct pdt_record *r)
{
	switch (r->type) {
	case PDT_ICNT:
		return r->icnt.n != 0;
	case PDT_BRANCH:
		return r->branch.n >= 1 && r->branch.n <= 8 &&
		       (r->branch.n == 8 || r->branch.bits >> r->branch.n == 0);
	case PDT_TARGET:
	case PDT_EXCEPTION:
	case PDT_OVERFLOW:
		return true;
	case PDT_MODE: {
		const struct pdt_ctx *c = &r->mode;
		return c->ksu <= PDT_USER && (c->guest || c->guestid == 0);
	}
	case PDT_UTM:
		return r->utm.chan == 1 || r->utm.chan == 2;
	case PDT_MEM:
		return r->mem.size == 1 || r->mem.size == 2 || r->mem.size == 4;
	case PDT_SYNC: {
		const struct pdt_ctx *c = &r->sync.ctx;
		return c->ksu <= PDT_USER && (c->guest || c->guestid == 0);
	}
	default: /* PAD, GAP and anything else are not records one writes */
		return false;
	}
}

int pdt_enc_record(struct pdt_encoder *e, const struct pdt_record *r)
{
	if (!record_ok(r))
		return PDT_E_INVAL;
	pdt_enc_flush_pending(e);
	switch (r->type) {
	case PDT_ICNT:
		put_icnt(e, r->icnt.n);
		break;
	case PDT_BRANCH:
		put_branch(e, r->branch.n, r->branch.bits);
		break;
	case PDT_TARGET:
		put8(e, VZT1_TARGET);
		put32(e, r->target.pc);
		break;
	case PDT_EXCEPTION:
		put8(e, (uint8_t)(VZT1_EXC | (r->exc.root ? VZT1_EXC_ROOT : 0)));
		put8(e, r->exc.code);
		put32(e, r->exc.vector);
		break;
	case PDT_MODE:
		put8(e, VZT1_MODE);
		put8(e, pdt_ctx_pack(&r->mode));
		put8(e, r->mode.asid);
		put8(e, r->mode.guestid);
		break;
	case PDT_UTM:
		put8(e, (uint8_t)(VZT1_UTM | r->utm.chan));
		put32(e, r->utm.value);
		break;
	case PDT_MEM: {
		uint8_t lg = r->mem.size == 4 ? 2 : r->mem.size == 2 ? 1 : 0;
		if (r->mem.has_data)
			avoid_marker(e, (uint64_t)r->mem.addr | (uint64_t)r->mem.data << 32);
		put8(e, (uint8_t)(VZT1_MEM | (r->mem.store ? VZT1_MEM_STORE : 0) |
				  (r->mem.has_data ? VZT1_MEM_DATA : 0) | lg));
		put32(e, r->mem.addr);
		if (r->mem.has_data)
			put32(e, r->mem.data);
		break;
	}
	case PDT_OVERFLOW:
		put8(e, VZT1_OVERFLOW);
		put32(e, r->overflow.lost);
		break;
	case PDT_SYNC: {
		/* A SYNC owns three whole words: pad up to the boundary. */
		while (e->fill)
			put8(e, VZT1_PAD);
		const struct pdt_ctx *c = &r->sync.ctx;
		put_word(e, VZT1_MARKER);
		put_word(e, (uint64_t)r->sync.pc | (uint64_t)pdt_ctx_pack(c) << 32 |
				    (uint64_t)c->asid << 40 | (uint64_t)c->guestid << 48 |
				    (uint64_t)VZT1_SYNC << 56);
		put_word(e, r->sync.index);
		break;
	}
	default:
		return PDT_E_INVAL; /* not reached: record_ok said no */
	}
	return PDT_OK;
}
