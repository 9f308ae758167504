/*
 * The flow decoder's cache of decoded basic blocks (blocks.c).
 *
 * Walking instruction by instruction, the decoder would look every word
 * up in its image and decode it again each time round a loop.  A block is
 * that work done once: from a PC, the ordinary instructions (those the
 * walk only counts: no branch, jump, jr or eret), then the control
 * instruction that ends them and the facts about its delay slot.  The
 * walker (flow.c) then takes a whole block's counts and branch bit at
 * once and lays its instructions out as a run.
 *
 * Keyed by (image, PC): an image's bytes never change under a decoder,
 * so a block never goes stale; guests that share an image share its
 * blocks.  Code from a provider (crashme) is never cached: a provider's
 * answer depends on its state (the block it regenerated last).  The cache
 * is a fixed table, direct-mapped: a block that collides replaces the one
 * there, so memory stays flat whatever the code.
 */
#ifndef PDTRACE_BLOCKS_H
#define PDTRACE_BLOCKS_H

#include <stdbool.h>
#include <stdint.h>

#include <mips/isa.h>
#include <pdtrace/flow.h>

/* The most ordinary instructions one block holds: a longer straight run
 * is several blocks (bounds the decoding done when a walk enters code in
 * the middle of a long run and uses a few words of it). */
#define BLOCK_MAX_PLAIN 64u

/* The ISA flags that end a block: the instructions the walk follows. */
#define BLOCK_CONTROL (ISA_F_BRANCH | ISA_F_JUMP | ISA_F_JREG | ISA_F_ERET)

/* 32 bytes: two to a cache line. */
struct flow_block {
	const struct pdt_code *src; /* the image; NULL: an empty slot */
	const uint8_t *bytes;       /* the words (nplain, control, slot): the image's */
	uint32_t pc;                /* of the first instruction */
	uint32_t target;            /* a branch's or a jump's target */
	uint32_t word;              /* the first instruction's: a run's item carries
				       it, and the image's bytes stay untouched */
	uint16_t control;           /* the ISA_F_* flags the walk follows of the
				       control instruction after the ordinary ones;
				       0: none (the block stops at the limit or at
				       the end of the image's segment) */
	uint8_t nplain;             /* ordinary instructions from pc on */
	bool slot_plain;            /* the control instruction's slot is ordinary,
				       and in the image */
};
_Static_assert(((BLOCK_CONTROL | ISA_F_LIKELY) & ~0xffffu) == 0,
	       "flow_block.control holds the flags the walk follows");
_Static_assert(BLOCK_MAX_PLAIN <= UINT8_MAX, "flow_block.nplain holds BLOCK_MAX_PLAIN");

struct block_cache {
	struct flow_block *slot;
	uint32_t mask;              /* slots - 1 */
	uint64_t built;             /* blocks decoded (tests: hits are the rest) */
};

/* A cache of 2^log2_slots blocks: 0, or PDT_E_NOMEM. */
int blocks_init(struct block_cache *bc, unsigned log2_slots);
void blocks_free(struct block_cache *bc);

/* Decodes the block at pc in src into its slot: blocks_get's miss. */
const struct flow_block *blocks_fill(struct block_cache *bc, struct flow_block *slot,
				     const struct pdt_code *src, uint32_t pc);

/* The block at pc in src (not NULL), decoded now unless cached; NULL if
 * src has no whole word at pc.  Inline: the walker asks for one every few
 * instructions. */
static inline struct flow_block *blocks_slot(const struct block_cache *bc,
					     const struct pdt_code *src, uint32_t pc)
{
	/* The image's address mixed in: guests with images of their own run
	 * code at the same addresses. */
	uintptr_t img = (uintptr_t)src;
	uint32_t h = (pc >> 2) ^ (uint32_t)(img >> 4) ^ (uint32_t)(img >> 16);
	return &bc->slot[h & bc->mask];
}

static inline const struct flow_block *blocks_get(struct block_cache *bc,
						  const struct pdt_code *src, uint32_t pc)
{
	struct flow_block *b = blocks_slot(bc, src, pc);
	if (b->src == src && b->pc == pc)
		return b;
	return blocks_fill(bc, b, src, pc);
}

/* The block at pc will be asked for soon: its slot is brought towards the
 * CPU meanwhile (the table is larger than the first-level cache). */
static inline void blocks_prefetch(const struct block_cache *bc, const struct pdt_code *src,
				   uint32_t pc)
{
	__builtin_prefetch(blocks_slot(bc, src, pc));
}

#endif
