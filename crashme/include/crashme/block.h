/*
 * crashme's instruction blocks: the words of block `block` of guest `guest`
 * in run `seed` come from one PRNG, implemented once here and compiled both
 * for the target (the guest's crashme process, freestanding) and for the
 * host (the trace decoder regenerates any block from the numbers the guest
 * announces).  Plain C with 32-bit arithmetic only: the target build links
 * no libgcc, so no 64-bit division or multiplication helpers.
 */
#ifndef VZSOAK_CRASHME_BLOCK_H
#define VZSOAK_CRASHME_BLOCK_H

#include <stdint.h>

/* xoshiro128** state. */
struct crashme_rng {
	uint32_t s[4];
};

/* Seeds the generator from the three numbers that name a block. */
void crashme_rng_init(struct crashme_rng *r, uint32_t seed, uint32_t guest,
		      uint32_t block);
uint32_t crashme_rng_next(struct crashme_rng *r);

/*
 * The block's words: n - 1 random instructions, then the `syscall` that
 * hands control back to the guest kernel when the block runs to its end.
 * Words are drawn as crashme draws bytes, but biased towards instructions
 * that decode (a row of the shared instruction table with its free bits
 * random), so a block gets further than its first reserved word.
 */
#define CRASHME_BLOCK_END 0x0000000cu /* syscall */
void crashme_block(uint32_t seed, uint32_t guest, uint32_t block,
		   uint32_t *words, unsigned n);

/*
 * Where a block runs, in its process's user address space (16K pages):
 * the block's words from CRASHME_CODE_VA (one read-only page), and
 * CRASHME_SCRATCH_PAGES writable pages from CRASHME_SCRATCH_VA that its
 * loads and stores can land in.  Nothing else is mapped.
 */
#define CRASHME_CODE_VA       0x00100000u
#define CRASHME_SCRATCH_VA    0x00200000u
#define CRASHME_SCRATCH_PAGES 4u
#define CRASHME_PAGE_SIZE     0x4000u
#define CRASHME_MAX_WORDS     4096u /* one page of code */

/*
 * The trace marker (hypercall 3) a guest writes before a run of blocks:
 * "blocks from number N follow", N in the low 30 bits.  A decoder numbers
 * the blocks after it by the fresh ASID each one starts under.
 */
#define CRASHME_MARKER_TAG      0xc0000000u
#define CRASHME_MARKER(n)       (CRASHME_MARKER_TAG | ((n) & ~CRASHME_MARKER_TAG))
#define CRASHME_IS_MARKER(v)    (((v) & CRASHME_MARKER_TAG) == CRASHME_MARKER_TAG)
#define CRASHME_MARKER_BLOCK(v) ((v) & ~CRASHME_MARKER_TAG)

/*
 * The registers a block starts with (regs[0] is 0): from their own PRNG
 * stream of the same three numbers, so the host can rebuild a block's
 * whole starting state.  Half of them point into the scratch pages (word
 * aligned), so that many loads and stores hit mapped memory and go
 * through the guest kernel's TLB handlers; a quarter are small numbers,
 * the rest raw.  sp is the top of the scratch pages.
 */
void crashme_block_regs(uint32_t seed, uint32_t guest, uint32_t block,
			uint32_t regs[32]);

#endif
