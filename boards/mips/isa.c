/* The instruction table as data, and word -> row decoding. */
#include <mips/isa.h>

#include <threads.h>

const struct isa_desc isa_table[ISA_OP_COUNT] = {
	[ISA_OP_INVALID] = {"(reserved)", 0, 0, "W", 0},
#define INSN(id, mn, m, k, ops, fl) [ISA_OP_##id] = {mn, m, k, ops, fl},
#include <mips/mips32.def>
#undef INSN
};

/*
 * Rows bucketed by primary opcode (bits 31:26), in table order, so a decode
 * scans a handful of rows instead of the whole table.
 */
static uint8_t bucket_start[65];
static uint8_t bucket_rows[ISA_OP_COUNT];
static once_flag buckets_once = ONCE_FLAG_INIT;

static void build_buckets(void)
{
	unsigned n = 0;
	for (unsigned major = 0; major < 64; major++) {
		bucket_start[major] = (uint8_t)n;
		for (unsigned op = 1; op < ISA_OP_COUNT; op++) {
			const struct isa_desc *d = &isa_table[op];
			uint32_t word_major = major << 26;
			if (((word_major ^ d->match) & d->mask & 0xfc000000u) == 0)
				bucket_rows[n++] = (uint8_t)op;
		}
	}
	bucket_start[64] = (uint8_t)n;
}

_Static_assert(ISA_OP_COUNT < 256, "bucket_rows holds ops in a byte");

enum isa_op isa_decode(uint32_t word)
{
	call_once(&buckets_once, build_buckets);
	unsigned major = word >> 26;
	for (unsigned i = bucket_start[major]; i < bucket_start[major + 1]; i++) {
		const struct isa_desc *d = &isa_table[bucket_rows[i]];
		if ((word & d->mask) == d->match)
			return (enum isa_op)bucket_rows[i];
	}
	return ISA_OP_INVALID;
}
