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

struct flow_block {
	const struct pdt_code *src; /* the image; NULL: an empty slot */
	uint32_t pc;                /* of the first instruction */
	uint16_t nplain;            /* ordinary instructions from pc on */
	bool has_control;           /* a control instruction follows them */
	bool slot_plain;            /* ... and its slot is ordinary, in the image */
	uint32_t control;           /* the control instruction's ISA_F_* flags */
	uint32_t target;            /* a branch's or a jump's target */
	const uint8_t *bytes;       /* the words (nplain, control, slot): the image's */
};

struct block_cache {
	struct flow_block *slot;
	uint32_t mask;              /* slots - 1 */
	uint64_t built;             /* blocks decoded (tests: hits are the rest) */
};

/* A cache of 2^log2_slots blocks: 0, or PDT_E_NOMEM. */
int blocks_init(struct block_cache *bc, unsigned log2_slots);
void blocks_free(struct block_cache *bc);

/* The block at pc in src, decoded now unless cached; NULL if src has no
 * whole word at pc. */
const struct flow_block *blocks_get(struct block_cache *bc, const struct pdt_code *src,
				    uint32_t pc);

#endif
