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
	*b = (struct flow_block){ .src = src, .pc = pc, .nplain = (uint16_t)k, .bytes = span };
	if (k == limit)
		return; /* the limit, or the segment's end: the next block goes on */
	uint32_t cpc = pc + 4 * k;
	uint32_t word = code_le32(span + 4 * k);
	b->has_control = true;
	b->control = flags;
	if (flags & ISA_F_BRANCH)
		b->target = isa_branch_target(cpc, word);
	else if (flags & ISA_F_JUMP)
		b->target = isa_jump_target(cpc, word);
	b->slot_plain = k + 1 < n && !(flags_of(span + 4 * (k + 1)) & BLOCK_CONTROL);
}

const struct flow_block *blocks_get(struct block_cache *bc, const struct pdt_code *src,
				    uint32_t pc)
{
	if (!src)
		return NULL;
	/* The image's address mixed in: guests with images of their own run
	 * code at the same addresses. */
	uintptr_t img = (uintptr_t)src;
	uint32_t h = (pc >> 2) ^ (uint32_t)(img >> 4) ^ (uint32_t)(img >> 16);
	struct flow_block *b = &bc->slot[h & bc->mask];
	if (b->src == src && b->pc == pc)
		return b;
	uint32_t n;
	const uint8_t *span = code_span(src, pc, &n);
	if (!span)
		return NULL;
	decode(b, src, pc, span, n);
	bc->built++;
	return b;
}
