/*
 * crashme's block generator (crashme/block.c) on the host: the same words
 * for the same (seed, guest, block) — the property the trace decoder relies
 * on to regenerate blocks — different words otherwise, the syscall at the
 * end, and the mix of decodable and raw words.  The golden words pin the
 * generator: a target build that disagreed with them would make traces
 * undecodable.
 */
#include "sim_harness.h"

#include <crashme/block.h>
#include <mips/isa.h>

#define N 64

static void test_same_numbers_same_block(void **state)
{
	(void)state;
	uint32_t a[N], b[N];
	crashme_block(7, 2, 1234, a, N);
	crashme_block(7, 2, 1234, b, N);
	assert_memory_equal(a, b, sizeof a);
}

static void test_each_number_changes_the_block(void **state)
{
	(void)state;
	uint32_t base[N], other[N];
	crashme_block(7, 2, 1234, base, N);
	const uint32_t variants[][3] = {{8, 2, 1234}, {7, 3, 1234}, {7, 2, 1235}};
	for (size_t v = 0; v < 3; v++) {
		crashme_block(variants[v][0], variants[v][1], variants[v][2], other, N);
		unsigned same = 0;
		for (unsigned i = 0; i + 1 < N; i++)
			same += base[i] == other[i];
		assert_true(same < 4);
	}
}

static void test_block_ends_with_syscall(void **state)
{
	(void)state;
	uint32_t w[N];
	for (uint32_t b = 0; b < 100; b++) {
		crashme_block(1, 1, b, w, N);
		assert_int_equal(w[N - 1], CRASHME_BLOCK_END);
	}
	crashme_block(1, 1, 1, w, 1);
	assert_int_equal(w[0], CRASHME_BLOCK_END);
}

static void test_most_words_decode(void **state)
{
	(void)state;
	uint32_t w[N];
	unsigned decoded = 0, total = 0;
	for (uint32_t b = 0; b < 200; b++) {
		crashme_block(99, 4, b, w, N);
		for (unsigned i = 0; i + 1 < N; i++, total++)
			decoded += isa_decode(w[i]) != ISA_OP_INVALID;
	}
	/* Three in four are drawn from the table; some raw words decode too. */
	assert_true(decoded * 100 >= total * 75);
	assert_true(decoded * 100 <= total * 92);
}

static void test_golden_words(void **state)
{
	(void)state;
	uint32_t w[8];
	crashme_block(1, 1, 0, w, 8);
	const uint32_t golden[8] = {0x42000058u, 0x42000006u, 0x04c29f90u, 0x42000001u,
				    0x7c14be20u, 0xa7dbb18au, 0xc989f745u, 0x0000000cu};
	assert_memory_equal(w, golden, sizeof w);
}

/* The starting registers: the same for the same numbers (the host
 * rebuilds them), zero in r0, sp at the top of the scratch pages, and
 * about half of them pointing into the scratch pages, word aligned. */
static void test_block_regs(void **state)
{
	(void)state;
	uint32_t a[32], b[32];
	unsigned into_scratch = 0, total = 0;
	const uint32_t top = CRASHME_SCRATCH_VA + CRASHME_SCRATCH_PAGES * CRASHME_PAGE_SIZE;

	crashme_block_regs(7, 2, 1234, a);
	crashme_block_regs(7, 2, 1234, b);
	assert_memory_equal(a, b, sizeof a);
	crashme_block_regs(7, 2, 1235, b);
	assert_memory_not_equal(a, b, sizeof a);
	for (uint32_t blk = 0; blk < 200; blk++) {
		crashme_block_regs(3, 1, blk, a);
		assert_int_equal(a[0], 0);
		assert_int_equal(a[29], top - 16);
		for (unsigned r = 1; r < 32; r++, total++)
			if (a[r] >= CRASHME_SCRATCH_VA && a[r] < top && !(a[r] & 3))
				into_scratch++;
	}
	assert_in_range(into_scratch * 100 / total, 40, 65);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_numbers_same_block),
		cmocka_unit_test(test_each_number_changes_the_block),
		cmocka_unit_test(test_block_ends_with_syscall),
		cmocka_unit_test(test_most_words_decode),
		cmocka_unit_test(test_golden_words),
		cmocka_unit_test(test_block_regs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
