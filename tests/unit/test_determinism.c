/*
 * Determinism: the same program with the same seed ends in the same state
 * after the same number of instructions, however the run is sliced, with
 * or without an instruction sink, on a fresh board or after vzsim_reset;
 * a different seed changes the sequence Random walks through.
 *
 * The workload mixes what could make a simulator nondeterministic: tlbwr
 * (Random from the seeded PRNG), timer interrupts whose handler moves
 * Compare, loads/stores, and a final wait.
 */
#include "sim_harness.h"

#include <string.h>

#define ITERS   200u
#define RECORDS H_DATA /* one word of Random per iteration */

static void load_workload(vzsim *sim)
{
	/* Timer handler: Compare += 50, count in s5, return. */
	const uint32_t handler[] = {
		enc_mfc0(K0, C0_COMPARE, 0), enc_addiu(K0, K0, 50),
		enc_mtc0(K0, C0_COMPARE, 0), enc_addiu(S5, S5, 1),
		enc_ehb(), enc_eret(),
	};
	h_load(sim, H_VEC_GEN, handler, sizeof handler / 4);
	h_set_cp0(sim, C0_PAGEMASK, 0, 0);
	h_set_cp0(sim, C0_ENTRYLO0, 0, LO_RAM(0x00300000u));
	h_set_cp0(sim, C0_ENTRYLO1, 0, 0);
	h_set_cp0(sim, C0_COUNT, 0, 0);
	h_set_cp0(sim, C0_COMPARE, 0, 30);
	h_set_status(sim, SR_IE | SR_IM(7));
	for (unsigned r = 1; r < 32; r++)
		h_set_gpr(sim, r, 0);
	h_set_gpr(sim, S1, ITERS);
	h_set_gpr(sim, S2, RECORDS);
	h_set_gpr(sim, S3, 0x10000000u);
	h_prog(sim, PROG(
		enc_mfc0(T0, C0_RANDOM, 0),     /*  0: loop */
		enc_sw(T0, 0, S2),              /*  1 */
		enc_addiu(S2, S2, 4),           /*  2 */
		enc_sll(T1, S0, 5),             /*  3 */
		enc_xor(S0, T1, T0),            /*  4 */
		enc_multu(S0, S1),              /*  5 */
		enc_mtc0(S3, C0_ENTRYHI, 0),    /*  6 */
		enc_ehb(),                      /*  7 */
		enc_tlbwr(),                    /*  8 */
		enc_addiu(S3, S3, 0x2000),      /*  9 */
		enc_addiu(S1, S1, -1),          /* 10 */
		enc_bne(S1, ZERO, -12),         /* 11: to 0 */
		enc_lw(T2, -4, S2),             /* 12: slot */
		enc_mtc0(ZERO, C0_STATUS, 0),   /* 13: interrupts off */
		enc_ehb(),                      /* 14 */
		enc_mfc0(S4, C0_COUNT, 0)));    /* 15; then the final wait */
}

#define PROG_END (H_CODE + 4 * 17)

struct snapshot {
	uint32_t gpr[32], hi, lo, pc;
	uint32_t cp0[12];
	uint64_t insns;
	uint64_t exceptions[32];
	uint64_t time_ns;
	uint32_t records[ITERS];
};

static void take(vzsim *sim, struct snapshot *s, uint64_t insns_base)
{
	memset(s, 0, sizeof *s);
	for (unsigned r = 0; r < 32; r++)
		s->gpr[r] = h_gpr(sim, r);
	s->hi = vzsim_hi(sim);
	s->lo = vzsim_lo(sim);
	s->pc = vzsim_pc(sim);
	const unsigned regs[][2] = {
		{C0_RANDOM, 0}, {C0_COUNT, 0}, {C0_COMPARE, 0}, {C0_STATUS, 0},
		{C0_CAUSE, 0}, {C0_EPC, 0}, {C0_ENTRYHI, 0}, {C0_BADVADDR, 0},
		{C0_INDEX, 0}, {C0_CONTEXT, 0}, {C0_ENTRYLO0, 0}, {C0_WIRED, 0},
	};
	for (unsigned i = 0; i < 12; i++)
		s->cp0[i] = h_cp0(sim, regs[i][0], regs[i][1]);
	struct vzsim_stats st;
	vzsim_get_stats(sim, &st);
	s->insns = st.insns - insns_base;
	memcpy(s->exceptions, st.exceptions, sizeof s->exceptions);
	s->time_ns = vzsim_sim_time_ns(sim);
	for (unsigned i = 0; i < ITERS; i++)
		s->records[i] = h_read32(sim, RECORDS + 4 * i);
}

/* Runs the workload to its end in slices of `slice` instructions (0: one
 * vzsim_run call). */
static void run_workload(vzsim *sim, uint64_t slice)
{
	load_workload(sim);
	if (slice == 0) {
		h_run_to_end(sim, PROG_END);
		return;
	}
	for (unsigned n = 0; n < 200000; n++) {
		enum vzsim_stop s = h_run(sim, slice);
		if (s == VZSIM_STOP_DEADLOCK)
			break;
		assert_int_equal(s, VZSIM_STOP_BUDGET);
	}
	assert_int_equal(vzsim_pc(sim), PROG_END);
}

static void snapshot_fresh(uint64_t seed, uint64_t slice, struct snapshot *s)
{
	vzsim *sim = h_new_seed(seed);
	h_setup(sim);
	run_workload(sim, slice);
	take(sim, s, 0);
	h_free(sim);
}

static void assert_same(const struct snapshot *a, const struct snapshot *b)
{
	for (unsigned r = 0; r < 32; r++)
		if (a->gpr[r] != b->gpr[r])
			fail_msg("gpr %u: 0x%08x vs 0x%08x", r, a->gpr[r], b->gpr[r]);
	for (unsigned i = 0; i < 12; i++)
		if (a->cp0[i] != b->cp0[i])
			fail_msg("cp0 item %u: 0x%08x vs 0x%08x", i, a->cp0[i], b->cp0[i]);
	assert_int_equal(a->hi, b->hi);
	assert_int_equal(a->lo, b->lo);
	assert_int_equal(a->pc, b->pc);
	assert_int_equal(a->insns, b->insns);
	assert_memory_equal(a->exceptions, b->exceptions, sizeof a->exceptions);
	assert_memory_equal(a->records, b->records, sizeof a->records);
}

static void test_workload_sanity(void **state)
{
	(void)state;
	struct snapshot s;
	snapshot_fresh(7, 0, &s);
	/* The workload did what it says: all iterations, some interrupts. */
	assert_int_equal(s.gpr[S1], 0);
	assert_int_equal(s.gpr[S2], RECORDS + 4 * ITERS);
	assert_true(s.gpr[S5] > 10);
	assert_int_equal(s.exceptions[0], s.gpr[S5]);
	assert_int_equal(s.exceptions[EXC_MCHECK], 0);
	for (unsigned i = 0; i < ITERS; i++)
		if (s.records[i] > 63)
			fail_msg("record %u: Random %u out of range", i, s.records[i]);
	/* Simulated time follows the instruction count (1000 MHz default). */
	assert_int_equal(s.time_ns, s.insns);
}

static void test_same_seed_same_state(void **state)
{
	(void)state;
	struct snapshot a, b;
	snapshot_fresh(7, 0, &a);
	snapshot_fresh(7, 0, &b);
	assert_same(&a, &b);
}

static void test_slicing_does_not_change_the_result(void **state)
{
	(void)state;
	struct snapshot whole, ones, odd;
	snapshot_fresh(7, 0, &whole);
	snapshot_fresh(7, 1, &ones);
	snapshot_fresh(7, 37, &odd);
	assert_same(&whole, &ones);
	assert_same(&whole, &odd);
}

static void count_sink(void *ctx, const struct vzsim_insn_event *ev)
{
	uint64_t *n = ctx;
	assert_int_equal(ev->index, *n);
	(*n)++;
}

static void test_sink_does_not_change_the_result(void **state)
{
	(void)state;
	struct snapshot plain, traced;
	snapshot_fresh(7, 0, &plain);
	vzsim *sim = h_new_seed(7);
	h_setup(sim);
	uint64_t events = 0;
	vzsim_set_insn_sink(sim, count_sink, &events);
	run_workload(sim, 0);
	vzsim_set_insn_sink(sim, NULL, NULL);
	take(sim, &traced, 0);
	h_free(sim);
	assert_same(&plain, &traced);
	assert_int_equal(events, traced.insns);
}

static void test_different_seed_changes_random_sequence(void **state)
{
	(void)state;
	struct snapshot a, b;
	snapshot_fresh(1, 0, &a);
	snapshot_fresh(2, 0, &b);
	assert_int_equal(a.records[0], 63); /* both start at the top */
	assert_int_equal(b.records[0], 63);
	unsigned differ = 0;
	for (unsigned i = 0; i < ITERS; i++)
		differ += a.records[i] != b.records[i];
	assert_true(differ > ITERS / 2);
}

static void test_reset_board_repeats_fresh_board(void **state)
{
	(void)state;
	/*
	 * vzsim_reset "puts the CPU in its reset state": a board that ran
	 * the workload once and is reset must run it again exactly like a
	 * fresh board with the same seed (Random's walk included).
	 */
	struct snapshot fresh, again;
	snapshot_fresh(7, 0, &fresh);
	vzsim *sim = h_new_seed(7);
	h_setup(sim);
	run_workload(sim, 0);
	h_setup(sim);
	memset(&again, 0, sizeof again);
	for (unsigned i = 0; i < ITERS; i++)
		h_write32(sim, RECORDS + 4 * i, 0);
	struct vzsim_stats st;
	vzsim_get_stats(sim, &st);
	run_workload(sim, 0);
	take(sim, &again, st.insns);
	h_free(sim);
	/* Stats count since creation: compare exception counts as deltas. */
	memcpy(again.exceptions, fresh.exceptions, sizeof again.exceptions);
	assert_same(&fresh, &again);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_workload_sanity),
		cmocka_unit_test(test_same_seed_same_state),
		cmocka_unit_test(test_slicing_does_not_change_the_result),
		cmocka_unit_test(test_sink_does_not_change_the_result),
		cmocka_unit_test(test_different_seed_changes_random_sequence),
		cmocka_unit_test(test_reset_board_repeats_fresh_board),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
