/* crashme block generation (block.h): target and host share this file. */
#include <crashme/block.h>

static inline uint32_t rotl(uint32_t x, unsigned k)
{
	return (x << k) | (x >> (32 - k));
}

/* splitmix32: spreads the seed words over the state. */
static uint32_t splitmix32(uint32_t *x)
{
	uint32_t z = (*x += 0x9e3779b9u);
	z = (z ^ (z >> 16)) * 0x85ebca6bu;
	z = (z ^ (z >> 13)) * 0xc2b2ae35u;
	return z ^ (z >> 16);
}

void crashme_rng_init(struct crashme_rng *r, uint32_t seed, uint32_t guest,
		      uint32_t block)
{
	uint32_t x = seed ^ rotl(guest, 24) ^ rotl(block * 0x2545f491u, 7);
	for (unsigned i = 0; i < 4; i++)
		r->s[i] = splitmix32(&x);
	if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
		r->s[0] = 1; /* the all-zero state would stay zero */
}

uint32_t crashme_rng_next(struct crashme_rng *r)
{
	uint32_t *s = r->s;
	uint32_t out = rotl(s[1] * 5u, 7) * 9u;
	uint32_t t = s[1] << 9;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 11);
	return out;
}

/* The match/mask pairs of the shared instruction table. */
static const struct {
	uint32_t match, mask;
} rows[] = {
#define INSN(id, mn, match, mask, ops, flags) {match, mask},
#include <mips/mips32.def>
#undef INSN
};
#define NROWS (sizeof rows / sizeof rows[0])

/* 0..n-1 without division: the top 16 bits scaled by n (n < 65536). */
static unsigned below(struct crashme_rng *r, unsigned n)
{
	return (unsigned)((crashme_rng_next(r) >> 16) * n >> 16);
}

void crashme_block(uint32_t seed, uint32_t guest, uint32_t block,
		   uint32_t *words, unsigned n)
{
	struct crashme_rng r;
	crashme_rng_init(&r, seed, guest, block);
	if (n == 0)
		return;
	for (unsigned i = 0; i + 1 < n; i++) {
		uint32_t w = crashme_rng_next(&r);
		/* Three in four decode; the rest are raw words, as crashme's. */
		if (below(&r, 4) != 0) {
			unsigned k = below(&r, NROWS);
			w = rows[k].match | (w & ~rows[k].mask);
		}
		/* Never sdbbp: on a core with EJTAG (a board behind a probe)
		 * it halts the core in debug mode, where the probe, not the
		 * guest, gets it.  With function 0x3e in place of 0x3f the
		 * word is a reserved instruction on every core, which is what
		 * sdbbp is on one without EJTAG: the run is the same on every
		 * board. */
		if ((w & 0xfc00003fu) == 0x7000003fu)
			w ^= 1u;
		words[i] = w;
	}
	words[n - 1] = CRASHME_BLOCK_END;
}

void crashme_block_regs(uint32_t seed, uint32_t guest, uint32_t block,
			uint32_t regs[32])
{
	struct crashme_rng r;
	/* A stream of its own: the words of the block do not shift it. */
	crashme_rng_init(&r, seed ^ 0x52454753u /* "REGS" */, guest, block);
	regs[0] = 0;
	for (unsigned i = 1; i < 32; i++) {
		uint32_t w = crashme_rng_next(&r);
		switch (below(&r, 4)) {
		case 0:
		case 1:
			regs[i] = CRASHME_SCRATCH_VA +
				  (w & (CRASHME_SCRATCH_PAGES * CRASHME_PAGE_SIZE - 4));
			break;
		case 2:
			regs[i] = w & 0xff;
			break;
		default:
			regs[i] = w;
			break;
		}
	}
	regs[29] = CRASHME_SCRATCH_VA + CRASHME_SCRATCH_PAGES * CRASHME_PAGE_SIZE - 16;
}
