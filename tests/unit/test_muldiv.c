/*
 * Multiply and divide: mult/multu/mul, the HI:LO accumulators of
 * madd/maddu/msub/msubu (carries and borrows across the LO/HI boundary),
 * div/divu with signs and INT_MIN/-1, and mfhi/mflo/mthi/mtlo.
 *
 * Per the MIPS32 manual, DIV truncates toward zero (LO quotient, HI
 * remainder with the sign of the dividend) and never raises an exception;
 * a zero divisor gives UNPREDICTABLE HI/LO, so those tests only check that
 * nothing traps.  INT_MIN/-1 yields LO = 0x80000000, HI = 0 on MIPS
 * hardware (the quotient wraps), which is what the test expects.
 */
#include "sim_harness.h"

#define RUN(sim, ...) h_run_to_end((sim), h_prog((sim), PROG(__VA_ARGS__)))

static void expect_hilo(vzsim *sim, uint32_t hi, uint32_t lo)
{
	assert_int_equal(vzsim_hi(sim), hi);
	assert_int_equal(vzsim_lo(sim), lo);
}

/* ------------------------------------------------------------ mult */

static void test_mult_signed(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T1, (uint32_t)-3);
	h_set_gpr(sim, T2, 5);
	RUN(sim, enc_mult(T1, T2), enc_mfhi(S0), enc_mflo(S1));
	expect_hilo(sim, 0xffffffffu, 0xfffffff1u);
	assert_int_equal(h_gpr(sim, S0), 0xffffffffu);
	assert_int_equal(h_gpr(sim, S1), 0xfffffff1u);
}

static void test_mult_extremes(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T1, 0x80000000u);
	h_set_gpr(sim, T2, 0x7fffffffu);
	h_set_gpr(sim, T3, 0xffffffffu);
	RUN(sim, enc_mult(T1, T1), enc_mfhi(S0), enc_mflo(S1),  /* 2^62 */
	    enc_mult(T1, T2), enc_mfhi(S2), enc_mflo(S3),      /* -2^31 * (2^31-1) */
	    enc_mult(T3, T3), enc_mfhi(S4), enc_mflo(S5));     /* -1 * -1 */
	assert_int_equal(h_gpr(sim, S0), 0x40000000u);
	assert_int_equal(h_gpr(sim, S1), 0x00000000u);
	assert_int_equal(h_gpr(sim, S2), 0xc0000000u);
	assert_int_equal(h_gpr(sim, S3), 0x80000000u);
	assert_int_equal(h_gpr(sim, S4), 0);
	assert_int_equal(h_gpr(sim, S5), 1);
}

static void test_multu_unsigned(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T1, 0xffffffffu);
	h_set_gpr(sim, T2, 2);
	RUN(sim, enc_multu(T1, T1), enc_mfhi(S0), enc_mflo(S1),
	    enc_multu(T1, T2));
	assert_int_equal(h_gpr(sim, S0), 0xfffffffeu);
	assert_int_equal(h_gpr(sim, S1), 0x00000001u);
	expect_hilo(sim, 0x00000001u, 0xfffffffeu);
}

static void test_mul_low_word_signed(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T1, (uint32_t)-7);
	h_set_gpr(sim, T2, 6);
	h_set_gpr(sim, T3, 0x00010001u);
	RUN(sim, enc_mul(S0, T1, T2), enc_mul(S1, T3, T3), enc_mul(S2, T1, T1));
	assert_int_equal(h_gpr(sim, S0), (uint32_t)-42);
	assert_int_equal(h_gpr(sim, S1), 0x00020001u); /* low word of 2^32+2^17+1 */
	assert_int_equal(h_gpr(sim, S2), 49);
}

/* ------------------------------------------------------------ madd/msub */

static void test_madd_borrow_from_hi(void **state)
{
	vzsim *sim = *state;
	/* HI:LO = 0x00000001_00000000, + (-1 * 1) = 0x00000000_ffffffff */
	h_set_gpr(sim, T0, 1);
	h_set_gpr(sim, T1, 0xffffffffu);
	RUN(sim, enc_mthi(T0), enc_mtlo(ZERO), enc_madd(T1, T0));
	expect_hilo(sim, 0x00000000u, 0xffffffffu);
}

static void test_madd_carry_into_hi(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, 1);
	h_set_gpr(sim, T1, 0xffffffffu);
	h_set_gpr(sim, T2, 0x10000u);
	RUN(sim, enc_mthi(ZERO), enc_mtlo(T1), enc_madd(T0, T0), /* -> 1:0 */
	    enc_mfhi(S0), enc_mflo(S1),
	    enc_madd(T2, T2)); /* + 2^32 -> 2:0 */
	assert_int_equal(h_gpr(sim, S0), 1);
	assert_int_equal(h_gpr(sim, S1), 0);
	expect_hilo(sim, 2, 0);
}

static void test_madd_negative_product_negative_acc(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, (uint32_t)-5);
	h_set_gpr(sim, T1, 0x7fffffffu);
	h_set_gpr(sim, T2, 0xffffffffu);
	/* acc = -1, + (-5 * 0x7fffffff) = -1 - 0x27ffffffb = -0x27ffffffc */
	RUN(sim, enc_mthi(T2), enc_mtlo(T2), enc_madd(T0, T1));
	uint64_t r = (uint64_t)(-(int64_t)0x27ffffffcll);
	expect_hilo(sim, (uint32_t)(r >> 32), (uint32_t)r);
}

static void test_maddu_wraps_64_bits(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, 1);
	h_set_gpr(sim, T1, 0xffffffffu);
	RUN(sim, enc_mthi(T1), enc_mtlo(T1), enc_maddu(T0, T0), /* -> 0:0 */
	    enc_mfhi(S0), enc_mflo(S1),
	    enc_maddu(T1, T1)); /* + 0xfffffffe00000001 */
	assert_int_equal(h_gpr(sim, S0), 0);
	assert_int_equal(h_gpr(sim, S1), 0);
	expect_hilo(sim, 0xfffffffeu, 0x00000001u);
}

static void test_maddu_is_unsigned(void **state)
{
	vzsim *sim = *state;
	/* 0xffffffff * 2 unsigned is 0x1_fffffffe; signed would be -2. */
	h_set_gpr(sim, T1, 0xffffffffu);
	h_set_gpr(sim, T2, 2);
	RUN(sim, enc_mthi(ZERO), enc_mtlo(ZERO), enc_maddu(T1, T2));
	expect_hilo(sim, 1, 0xfffffffeu);
}

static void test_msub_signed(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, 2);
	h_set_gpr(sim, T1, 3);
	h_set_gpr(sim, T2, (uint32_t)-3);
	RUN(sim, enc_mthi(ZERO), enc_mtlo(ZERO), enc_msub(T0, T1), /* -6 */
	    enc_mfhi(S0), enc_mflo(S1),
	    enc_msub(T0, T2)); /* -6 - (-6) = 0 */
	assert_int_equal(h_gpr(sim, S0), 0xffffffffu);
	assert_int_equal(h_gpr(sim, S1), 0xfffffffau);
	expect_hilo(sim, 0, 0);
}

static void test_msub_borrow_across_lo(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, 1);
	RUN(sim, enc_mthi(T0), enc_mtlo(ZERO), enc_msub(T0, T0)); /* 1:0 - 1 */
	expect_hilo(sim, 0, 0xffffffffu);
}

static void test_msubu_unsigned(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T1, 0xffffffffu);
	h_set_gpr(sim, T2, 2);
	/* 0 - 0x1_fffffffe = 0xfffffffe_00000002 */
	RUN(sim, enc_mthi(ZERO), enc_mtlo(ZERO), enc_msubu(T1, T2));
	expect_hilo(sim, 0xfffffffeu, 0x00000002u);
}

/* ------------------------------------------------------------ div */

static void test_div_truncates_toward_zero(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, 7);
	h_set_gpr(sim, T1, (uint32_t)-2);
	h_set_gpr(sim, T2, (uint32_t)-7);
	h_set_gpr(sim, T3, 2);
	RUN(sim, enc_div(T0, T1), enc_mflo(S0), enc_mfhi(S1),   /* 7 / -2 */
	    enc_div(T2, T3), enc_mflo(S2), enc_mfhi(S3),        /* -7 / 2 */
	    enc_div(T2, T1), enc_mflo(S4), enc_mfhi(S5));       /* -7 / -2 */
	assert_int_equal(h_gpr(sim, S0), (uint32_t)-3);
	assert_int_equal(h_gpr(sim, S1), 1);
	assert_int_equal(h_gpr(sim, S2), (uint32_t)-3);
	assert_int_equal(h_gpr(sim, S3), (uint32_t)-1);
	assert_int_equal(h_gpr(sim, S4), 3);
	assert_int_equal(h_gpr(sim, S5), (uint32_t)-1);
}

static void test_div_int_min_by_minus_one(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, 0x80000000u);
	h_set_gpr(sim, T1, 0xffffffffu);
	RUN(sim, enc_div(T0, T1));
	expect_hilo(sim, 0, 0x80000000u);
}

static void test_divu_unsigned(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, 0xffffffffu);
	h_set_gpr(sim, T1, 2);
	h_set_gpr(sim, T2, 0x80000000u);
	h_set_gpr(sim, T3, 0xffffffffu);
	RUN(sim, enc_divu(T0, T1), enc_mflo(S0), enc_mfhi(S1),
	    enc_divu(T2, T3), enc_mflo(S2), enc_mfhi(S3));
	assert_int_equal(h_gpr(sim, S0), 0x7fffffffu);
	assert_int_equal(h_gpr(sim, S1), 1);
	assert_int_equal(h_gpr(sim, S2), 0);           /* signed would be INT_MIN */
	assert_int_equal(h_gpr(sim, S3), 0x80000000u);
}

static void test_div_by_zero_does_not_trap(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, 1234);
	RUN(sim, enc_div(T0, ZERO), enc_divu(T0, ZERO), enc_addiu(S0, ZERO, 9));
	assert_int_equal(h_gpr(sim, S0), 9);
	assert_int_equal(h_insns(sim), 4);
}

/* ------------------------------------------------------------ HI/LO moves */

static void test_mthi_mtlo_mfhi_mflo(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, 0x01234567u);
	h_set_gpr(sim, T1, 0x89abcdefu);
	RUN(sim, enc_mthi(T0), enc_mtlo(T1), enc_mfhi(S0), enc_mflo(S1),
	    enc_mthi(T1), enc_mfhi(S2), enc_mflo(S3));
	assert_int_equal(h_gpr(sim, S0), 0x01234567u);
	assert_int_equal(h_gpr(sim, S1), 0x89abcdefu);
	assert_int_equal(h_gpr(sim, S2), 0x89abcdefu);
	assert_int_equal(h_gpr(sim, S3), 0x89abcdefu);
	expect_hilo(sim, 0x89abcdefu, 0x89abcdefu);
}

static void test_mul_does_not_need_hilo_for_result(void **state)
{
	vzsim *sim = *state;
	/* mul writes rd; mult/multu alone never touch GPRs. */
	h_set_gpr(sim, T0, 3);
	h_set_gpr(sim, T1, 4);
	h_set_gpr(sim, S0, 0x5555u);
	RUN(sim, enc_mult(T0, T1), enc_multu(T0, T1), enc_mul(S1, T0, T1));
	assert_int_equal(h_gpr(sim, S0), 0x5555u);
	assert_int_equal(h_gpr(sim, S1), 12);
	assert_int_equal(h_gpr(sim, T0), 3);
	assert_int_equal(h_gpr(sim, T1), 4);
}

static void test_documented_hilo_choices(void **state)
{
	vzsim *sim = *state;
	/*
	 * The architecture leaves HI/LO UNPREDICTABLE after mul and after a
	 * division by zero; vzsim documents "unchanged" for both
	 * (docs/vzsim.md, implementation-defined choices).
	 */
	h_set_gpr(sim, T0, 0x11111111u);
	h_set_gpr(sim, T1, 0x22222222u);
	h_set_gpr(sim, T2, 7);
	RUN(sim, enc_mthi(T0), enc_mtlo(T1), enc_mul(S0, T2, T2),
	    enc_div(T2, ZERO), enc_divu(T2, ZERO));
	assert_int_equal(h_gpr(sim, S0), 49);
	expect_hilo(sim, 0x11111111u, 0x22222222u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_mult_signed),
		T(test_mult_extremes),
		T(test_multu_unsigned),
		T(test_mul_low_word_signed),
		T(test_madd_borrow_from_hi),
		T(test_madd_carry_into_hi),
		T(test_madd_negative_product_negative_acc),
		T(test_maddu_wraps_64_bits),
		T(test_maddu_is_unsigned),
		T(test_msub_signed),
		T(test_msub_borrow_across_lo),
		T(test_msubu_unsigned),
		T(test_div_truncates_toward_zero),
		T(test_div_int_min_by_minus_one),
		T(test_divu_unsigned),
		T(test_div_by_zero_does_not_trap),
		T(test_mthi_mtlo_mfhi_mflo),
		T(test_mul_does_not_need_hilo_for_result),
		T(test_documented_hilo_choices),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
