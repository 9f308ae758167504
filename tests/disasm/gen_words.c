/*
 * disasm-words: the instruction words scripts/run-disasm-check.sh feeds to
 * both GNU objdump and mipsdis.  Deterministic (fixed seed), so a failure
 * reproduces.
 *
 *   disasm-words WORDS.bin WORDS.map
 *
 * WORDS.bin: little-endian words.  WORDS.map: one line per word, the name
 * of the group it tests: the mnemonic of its mips32.def row, or "reserved"
 * for words that are reserved both here and for objdump.  A row no word
 * decodes to is reported on stdout as "nowords MNEMONIC".
 *
 * Every row gets its all-zero and all-ones free fields plus pseudo-random
 * fills of the bits its mask leaves free (registers, immediates, negative
 * branch offsets...), keeping only words that still decode to that row
 * (earlier rows such as nop win over sll).  The coprocessor rows, which
 * cover whole opcodes, get every (rs, function) pair instead, so the FPU,
 * MIPS-3D, MSA-branch and COP2 forms are all exercised.
 */
#include <mips/isa.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORDS_PER_ROW 32
#define ATTEMPTS_PER_ROW 4000

static uint32_t rng_state = 0x2545f491u;

/* xorshift32: tiny, deterministic, good enough to vary fields. */
static uint32_t rng(void)
{
	uint32_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rng_state = x;
}

/*
 * Random fields rarely hit the special cases objdump prints differently
 * ($zero operands: move, li, beqz, b, bal; rd = ra: jalr; rt = rd: clz),
 * so a quarter of the fills get such a field forced.
 */
static uint32_t alias_bias(uint32_t fill)
{
	uint32_t r = rng();
	uint32_t rs = (fill >> 21) & 31, rt = (fill >> 16) & 31;
	if ((r & 3) == 0) rs = 0;
	if (((r >> 2) & 3) == 0) rt = 0;
	if (((r >> 4) & 7) == 0) rt = rs;
	fill = (fill & ~(0x3ffu << 16)) | rs << 21 | rt << 16;
	if (((r >> 7) & 7) == 0) fill |= 31u << 11;
	if (((r >> 10) & 7) == 0) fill = (fill & ~(31u << 11)) | rt << 11;
	return fill;
}

static FILE *bin, *map;
static const char *bin_path, *map_path;

static void emit(uint32_t w, const char *group)
{
	unsigned char b[4] = {w & 0xff, (w >> 8) & 0xff, (w >> 16) & 0xff, w >> 24};
	if (fwrite(b, 1, 4, bin) != 4 || fprintf(map, "%s\n", group) < 0) {
		fprintf(stderr, "disasm-words: writing %s / %s: %s\n", bin_path,
			map_path, strerror(errno));
		exit(2);
	}
}

/* Random fills of the row's free bits; distinct words that decode to op. */
static void gen_row(enum isa_op op)
{
	const struct isa_desc *d = isa_describe(op);
	uint32_t free_bits = ~d->mask;
	uint32_t seen[WORDS_PER_ROW];
	unsigned n = 0;
	for (unsigned i = 0; i < ATTEMPTS_PER_ROW && n < WORDS_PER_ROW; i++) {
		uint32_t fill;
		switch (i) {
		case 0: fill = 0; break;
		case 1: fill = ~0u; break;
		case 2: fill = 0x55555555u; break;
		case 3: fill = 0xaaaaaaaau; break;
		default: fill = alias_bias(rng()); break;
		}
		uint32_t w = d->match | (fill & free_bits);
		if (isa_decode(w) != op)
			continue;
		unsigned j = 0;
		while (j < n && seen[j] != w)
			j++;
		if (j < n)
			continue;
		seen[n++] = w;
		emit(w, d->mnemonic);
	}
	if (n == 0) /* shadowed by earlier rows: the check reports it as a failure */
		printf("nowords %s\n", d->mnemonic);
}

/* Whole-opcode coprocessor rows: every rs x function, zero and random fields. */
static void gen_cop_row(enum isa_op op)
{
	const struct isa_desc *d = isa_describe(op);
	for (uint32_t rs = 0; rs < 32; rs++)
		for (uint32_t fn = 0; fn < 64; fn++) {
			uint32_t base = d->match | rs << 21 | fn;
			emit(base, d->mnemonic);
			emit(base | (rng() & 0x001fffc0u), d->mnemonic);
		}
}

/*
 * Reserved words objdump (mips:isa32r5) also rejects: opcodes no MIPS32
 * ASE uses, and lui with a nonzero rs field.
 */
static void gen_reserved(void)
{
	static const uint8_t empty_opcodes[] = {
		0x18, 0x19, 0x1a, 0x1b, 0x27, 0x2c, 0x2d, 0x34, 0x37, 0x3b, 0x3c, 0x3f,
	};
	for (size_t i = 0; i < sizeof empty_opcodes; i++)
		for (unsigned k = 0; k < 4; k++) {
			uint32_t w = (uint32_t)empty_opcodes[i] << 26 | (rng() & 0x03ffffffu);
			if (isa_decode(w) == ISA_OP_INVALID)
				emit(w, "reserved");
		}
	for (unsigned k = 0; k < 8; k++) {
		uint32_t w = 0x3c000000u | ((rng() % 31 + 1) << 21) | (rng() & 0xffff);
		if (isa_decode(w) == ISA_OP_INVALID)
			emit(w, "reserved");
	}
}

int main(int argc, char **argv)
{
	if (argc != 3 || argv[1][0] == '-') {
		fprintf(stderr, "usage: disasm-words WORDS.bin WORDS.map\n");
		return 2;
	}
	bin_path = argv[1];
	map_path = argv[2];
	bin = fopen(bin_path, "wb");
	if (!bin) {
		fprintf(stderr, "disasm-words: %s: %s\n", bin_path, strerror(errno));
		return 2;
	}
	map = fopen(map_path, "w");
	if (!map) {
		fprintf(stderr, "disasm-words: %s: %s\n", map_path, strerror(errno));
		return 2;
	}
	for (unsigned op = 1; op < ISA_OP_COUNT; op++) {
		if (isa_describe((enum isa_op)op)->operands[0] == 'W')
			gen_cop_row((enum isa_op)op);
		else
			gen_row((enum isa_op)op);
	}
	gen_reserved();
	if (fclose(bin) != 0 || fclose(map) != 0) {
		fprintf(stderr, "disasm-words: closing %s / %s: %s\n", bin_path,
			map_path, strerror(errno));
		return 2;
	}
	return 0;
}
