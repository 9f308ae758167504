/*
 * The flow decoder's cache of decoded basic blocks (blocks.h).
 */
#include <stdint.h>
#include <stdlib.h>

#include <mips/isa.h>

#include "blocks.h"
#include "code.h"

int blocks_init(struct block_cache *bc, unsigned log2_slots)
{
	/* calloc: the table's pages are touched only as blocks land there. */
	bc->slot = calloc((size_t)1 << log2_slots, sizeof *bc->slot);
	bc->mask = (uint32_t)((1u << log2_slots) - 1);
	bc->built = 0;
	return bc->slot ? 0 : PDT_E_NOMEM;
}

void blocks_free(struct block_cache *bc)
{
	free(bc->slot);
	bc->slot = NULL;
}

static uint32_t flags_of(const uint8_t *p)
{
	return isa_describe(isa_decode(code_le32(p)))->flags;
}

/* Decodes the block at pc: the image's words there are span[0..n). */
static void decode(struct flow_block *b, const struct pdt_code *src, uint32_t pc,
		   const uint8_t *span, uint32_t n)
{
	uint32_t limit = n < BLOCK_MAX_PLAIN ? n : BLOCK_MAX_PLAIN;
	uint32_t k = 0, flags = 0;
	while (k < limit && !((flags = flags_of(span + 4 * k)) & BLOCK_CONTROL))
		k++;
	*b = (struct flow_block){
		.src = src, .bytes = span, .pc = pc, .word = code_le32(span), .nplain = (uint8_t)k,
	};
	if (k == limit)
		return; /* the limit, or the segment's end: the next block goes on */
	uint32_t cpc = pc + 4 * k;
	uint32_t word = code_le32(span + 4 * k);
	b->control = (uint16_t)(flags & (BLOCK_CONTROL | ISA_F_LIKELY));
	if (flags & ISA_F_BRANCH)
		b->target = isa_branch_target(cpc, word);
	else if (flags & ISA_F_JUMP)
		b->target = isa_jump_target(cpc, word);
	b->slot_plain = k + 1 < n && !(flags_of(span + 4 * (k + 1)) & BLOCK_CONTROL);
}

const struct flow_block *blocks_fill(struct block_cache *bc, struct flow_block *b,
				     const struct pdt_code *src, uint32_t pc)
{
	uint32_t n;
	const uint8_t *span = code_span(src, pc, &n);
	if (!span)
		return NULL;
	decode(b, src, pc, span, n);
	bc->built++;
	return b;
}
