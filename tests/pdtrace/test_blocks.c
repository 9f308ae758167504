/*
 * The flow decoder's cache of decoded blocks (pdtrace/flow/blocks.h), on
 * the flow fixture (tests/pdtrace/flow_fixture.S, whose comments give each
 * offset): what a block holds, that a cached block is not decoded again,
 * that a block that collides replaces the one in its slot and comes back
 * right, and that blocks of two images at one address stay apart.  How
 * the walk replays them is test_flow.c's (every trace there is walked
 * with and without the cache, and through a cache of two blocks).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include <mips/isa.h>
#include <pdtrace/flow.h>

#include "pdtrace/flow/blocks.h"

#ifndef CODE_FIXTURE_DIR
#define CODE_FIXTURE_DIR "build/target/pdtrace"
#endif
#define FIXTURE CODE_FIXTURE_DIR "/flow_fixture.elf"

/* flow_fixture.S */
#define VEC 0x80000180u
#define T(off) (0x80001000u + (off))

static struct pdt_code *img, *img2; /* the fixture, loaded twice */

static int setup(void **state)
{
	(void)state;
	char err[256];
	if (pdt_code_load(&img, FIXTURE, err, sizeof err) != 0 ||
	    pdt_code_load(&img2, FIXTURE, err, sizeof err) != 0) {
		fprintf(stderr, "test_blocks: %s (built by make)\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pdt_code_free(img);
	pdt_code_free(img2);
	return 0;
}

static uint32_t word_at(uint32_t pc)
{
	uint32_t w;
	assert_int_equal(pdt_code_word(img, pc, &w), 0);
	return w;
}

/* The block at pc holds nplain ordinary instructions, then a control
 * instruction with those flags (0: none) and that target, its slot
 * ordinary or not; its words are the image's. */
static void expect_block(const struct flow_block *b, uint32_t pc, unsigned nplain,
			 unsigned control, uint32_t target, bool slot_plain)
{
	assert_non_null(b);
	assert_ptr_equal(b->src, img);
	assert_int_equal(b->pc, pc);
	assert_int_equal(b->nplain, nplain);
	assert_int_equal(b->control, control);
	if (control & (ISA_F_BRANCH | ISA_F_JUMP))
		assert_int_equal(b->target, target);
	assert_int_equal(b->slot_plain, slot_plain);
	assert_int_equal(b->word, word_at(pc));
	unsigned words = nplain + (control ? 1 : 0) + (slot_plain ? 1 : 0);
	for (unsigned k = 0; k < words; k++) {
		const uint8_t *p = b->bytes + 4 * k;
		uint32_t w = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			     (uint32_t)p[3] << 24;
		assert_int_equal(w, word_at(pc + 4 * k));
	}
}

static void test_shapes(void **state)
{
	(void)state;
	struct block_cache bc;
	assert_int_equal(blocks_init(&bc, 13), 0);
	/* addiu x3, then beq (taken or not, the walk's bits say), its slot. */
	expect_block(blocks_get(&bc, img, T(0x00)), T(0x00), 3, ISA_F_BRANCH, T(0x18), true);
	/* Entered in the middle: a block of its own from there. */
	expect_block(blocks_get(&bc, img, T(0x08)), T(0x08), 1, ISA_F_BRANCH, T(0x18), true);
	/* bne at once; beql (a likely's slot is nullified when not taken). */
	expect_block(blocks_get(&bc, img, T(0x18)), T(0x18), 0, ISA_F_BRANCH, T(0x50), true);
	expect_block(blocks_get(&bc, img, T(0x20)), T(0x20), 0, ISA_F_BRANCH | ISA_F_LIKELY,
		     T(0x50), true);
	/* j, jal: the target in the word. */
	expect_block(blocks_get(&bc, img, T(0x28)), T(0x28), 1, ISA_F_JUMP, T(0x38), true);
	expect_block(blocks_get(&bc, img, T(0x38)), T(0x38), 0, ISA_F_JUMP, T(0x58), true);
	/* jr: its target comes from a TARGET record. */
	expect_block(blocks_get(&bc, img, T(0x40)), T(0x40), 2, ISA_F_JREG, 0, true);
	expect_block(blocks_get(&bc, img, T(0x4c)), T(0x4c), 4, ISA_F_JREG, 0, true);
	/* eret, the vector segment's last word: no slot in the image. */
	expect_block(blocks_get(&bc, img, VEC), VEC, 3, ISA_F_ERET, 0, false);
	/* The end of .text's segment: no control instruction before it. */
	expect_block(blocks_get(&bc, img, T(0x64)), T(0x64), 3, 0, 0, false);
	/* No code there, or not a word's address: no block. */
	assert_null(blocks_get(&bc, img, T(0x70)));
	assert_null(blocks_get(&bc, img, 0x90000000u));
	assert_null(blocks_get(&bc, img, T(0x02)));
	blocks_free(&bc);
}

/* A block found again is the one decoded before. */
static void test_cached(void **state)
{
	(void)state;
	struct block_cache bc;
	assert_int_equal(blocks_init(&bc, 13), 0);
	const struct flow_block *a = blocks_get(&bc, img, T(0x00));
	const struct flow_block *b = blocks_get(&bc, img, T(0x58));
	assert_int_equal(bc.built, 2);
	assert_ptr_equal(blocks_get(&bc, img, T(0x00)), a);
	assert_ptr_equal(blocks_get(&bc, img, T(0x58)), b);
	assert_int_equal(bc.built, 2);
	/* A miss where no code is decodes nothing, and keeps what is there. */
	assert_null(blocks_get(&bc, img, 0x90000000u));
	assert_int_equal(bc.built, 2);
	blocks_free(&bc);
}

/* More blocks than slots: each replaces the last and comes back right. */
static void test_replaced(void **state)
{
	(void)state;
	struct block_cache bc;
	assert_int_equal(blocks_init(&bc, 0), 0); /* one slot */
	for (unsigned round = 0; round < 3; round++) {
		expect_block(blocks_get(&bc, img, T(0x00)), T(0x00), 3, ISA_F_BRANCH, T(0x18),
			     true);
		expect_block(blocks_get(&bc, img, T(0x58)), T(0x58), 1, ISA_F_JREG, 0, true);
		expect_block(blocks_get(&bc, img, VEC), VEC, 3, ISA_F_ERET, 0, false);
	}
	assert_int_equal(bc.built, 9);
	/* A miss where no code is leaves the slot's block as it was. */
	assert_null(blocks_get(&bc, img, 0x90000000u));
	expect_block(blocks_get(&bc, img, VEC), VEC, 3, ISA_F_ERET, 0, false);
	assert_int_equal(bc.built, 9);
	blocks_free(&bc);
}

/* The same address in two images: two blocks, each its image's. */
static void test_two_images(void **state)
{
	(void)state;
	struct block_cache bc;
	assert_int_equal(blocks_init(&bc, 13), 0);
	const struct flow_block *a = blocks_get(&bc, img, T(0x00));
	const struct flow_block *b = blocks_get(&bc, img2, T(0x00));
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_equal(b->src, img2);
	assert_ptr_equal(a->src, img);
	assert_int_equal(bc.built, 2);
	assert_ptr_equal(blocks_get(&bc, img, T(0x00)), a);
	assert_int_equal(bc.built, 2);
	blocks_free(&bc);

	/* In one slot they take turns. */
	assert_int_equal(blocks_init(&bc, 0), 0);
	for (unsigned round = 0; round < 2; round++) {
		assert_ptr_equal(blocks_get(&bc, img, T(0x00))->src, img);
		assert_ptr_equal(blocks_get(&bc, img2, T(0x00))->src, img2);
	}
	assert_int_equal(bc.built, 4);
	blocks_free(&bc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_cached),
		cmocka_unit_test(test_replaced),
		cmocka_unit_test(test_two_images),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
