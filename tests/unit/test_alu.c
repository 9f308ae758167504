/*
 * ALU instructions: add/sub families and their overflow exception, logic,
 * set-on-less-than, lui, shifts and rotates, clz/clo, seb/seh/wsbh,
 * ext/ins, movz/movn, and $zero.
 *
 * Expected values come from the MIPS32 instruction set manual (Vol. II):
 * ADD/ADDI/SUB raise Integer Overflow (ExcCode 12) and leave rd/rt
 * unmodified; ADDIU/SLTI/SLTIU sign-extend the immediate, ANDI/ORI/XORI
 * zero-extend it; variable shifts use the low 5 bits of rs.
 */
#include "sim_harness.h"

/* Runs a program that must complete; registers are set by the caller. */
#define RUN(sim, ...) h_run_to_end((sim), h_prog((sim), PROG(__VA_ARGS__)))

/* ------------------------------------------------------------ add/sub */

static void test_addu_wraps_without_exception(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T1, 0x7fffffffu);
	h_set_gpr(sim, T2, 1);
	h_set_gpr(sim, T3, 0xffffffffu);
	RUN(sim, enc_addu(T0, T1, T2), enc_addu(T4, T3, T3));
	assert_int_equal(h_gpr(sim, T0), 0x80000000u);
	assert_int_equal(h_gpr(sim, T4), 0xfffffffeu);
}

static void test_add_no_overflow(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T1, 0x7fffffffu);
	h_set_gpr(sim, T2, 0xffffffffu);
	h_set_gpr(sim, T3, 0x80000000u);
	h_set_gpr(sim, T4, 0x7fffffffu);
	RUN(sim, enc_add(T0, T1, T2),  /* max + -1 */
	    enc_add(T5, T3, T4),       /* min + max = -1 */
	    enc_add(T6, T2, T2));      /* -1 + -1 */
	assert_int_equal(h_gpr(sim, T0), 0x7ffffffeu);
	assert_int_equal(h_gpr(sim, T5), 0xffffffffu);
	assert_int_equal(h_gpr(sim, T6), 0xfffffffeu);
}

/* Checks an Ov exception at H_CODE + 4*at: EPC, ExcCode, BadInstr. */
static void check_ov(vzsim *sim, unsigned at, uint32_t word)
{
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_OV);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 4 * at);
	assert_int_equal(h_cause(sim) & CR_BD, 0);
	assert_true(h_status(sim) & SR_EXL);
	assert_int_equal(h_cp0(sim, 8, 1), word); /* BadInstr */
}

static void test_add_positive_overflow_traps_rd_unchanged(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, 0xdeadbeefu);
	h_set_gpr(sim, T1, 0x7fffffffu);
	h_set_gpr(sim, T2, 1);
	h_prog(sim, PROG(enc_add(T0, T1, T2)));
	check_ov(sim, 0, enc_add(T0, T1, T2));
	assert_int_equal(h_gpr(sim, T0), 0xdeadbeefu);
}

static void test_add_negative_overflow_traps(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, 0x11111111u);
	h_set_gpr(sim, T1, 0x80000000u);
	h_set_gpr(sim, T2, 0xffffffffu);
	h_prog(sim, PROG(enc_nop(), enc_addiu(T3, ZERO, 7), enc_add(T0, T1, T2)));
	check_ov(sim, 2, enc_add(T0, T1, T2));
	assert_int_equal(h_gpr(sim, T0), 0x11111111u);
	assert_int_equal(h_gpr(sim, T3), 7); /* earlier instructions completed */
}

static void test_add_overflow_with_rd_zero_still_traps(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T1, 0x40000000u);
	h_prog(sim, PROG(enc_add(ZERO, T1, T1)));
	check_ov(sim, 0, enc_add(ZERO, T1, T1));
	assert_int_equal(h_gpr(sim, ZERO), 0);
}

static void test_sub_overflow_both_directions(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, 0x12345678u);
	h_set_gpr(sim, T1, 0x80000000u);
	h_set_gpr(sim, T2, 1);
	h_prog(sim, PROG(enc_sub(T0, T1, T2))); /* min - 1 */
	check_ov(sim, 0, enc_sub(T0, T1, T2));
	assert_int_equal(h_gpr(sim, T0), 0x12345678u);

	h_setup(sim);
	h_set_gpr(sim, T0, 0x12345678u);
	h_set_gpr(sim, T1, 0x7fffffffu);
	h_set_gpr(sim, T2, 0xffffffffu);
	h_prog(sim, PROG(enc_sub(T0, T1, T2))); /* max - (-1) */
	check_ov(sim, 0, enc_sub(T0, T1, T2));
	assert_int_equal(h_gpr(sim, T0), 0x12345678u);
}

static void test_sub_and_subu_results(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T1, 5);
	h_set_gpr(sim, T2, 7);
	h_set_gpr(sim, T3, 0x80000000u);
	RUN(sim, enc_sub(T0, T1, T2), enc_subu(T4, T3, T1), enc_sub(T5, T3, T3));
	assert_int_equal(h_gpr(sim, T0), 0xfffffffeu);
	assert_int_equal(h_gpr(sim, T4), 0x7ffffffbu); /* wraps, no exception */
	assert_int_equal(h_gpr(sim, T5), 0);
}

static void test_addi_overflow_traps_rt_unchanged(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, 0xcafef00du);
	h_set_gpr(sim, T1, 0x7fffffffu);
	h_prog(sim, PROG(enc_addi(T0, T1, 1)));
	check_ov(sim, 0, enc_addi(T0, T1, 1));
	assert_int_equal(h_gpr(sim, T0), 0xcafef00du);

	h_setup(sim);
	h_set_gpr(sim, T0, 0xcafef00du);
	h_set_gpr(sim, T1, 0x80000000u);
	h_prog(sim, PROG(enc_addi(T0, T1, -1)));
	check_ov(sim, 0, enc_addi(T0, T1, -1));
	assert_int_equal(h_gpr(sim, T0), 0xcafef00du);
}

static void test_addi_sign_extends(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T1, 5);
	h_set_gpr(sim, T2, 0x80000000u);
	RUN(sim, enc_addi(T0, T1, -7), enc_addi(T3, T2, 0x7fff),
	    enc_addi(T4, ZERO, -32768));
	assert_int_equal(h_gpr(sim, T0), 0xfffffffeu);
	assert_int_equal(h_gpr(sim, T3), 0x80007fffu);
	assert_int_equal(h_gpr(sim, T4), 0xffff8000u);
}

static void test_addiu_sign_extends_and_wraps(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T1, 0x7fffffffu);
	RUN(sim, enc_addiu(T0, ZERO, 0x8000 - 0x10000), /* imm 0x8000 */
	    enc_addiu(T2, T1, 1), enc_addiu(T3, ZERO, 0x7fff),
	    enc_addiu(T4, T1, -1));
	assert_int_equal(h_gpr(sim, T0), 0xffff8000u);
	assert_int_equal(h_gpr(sim, T2), 0x80000000u);
	assert_int_equal(h_gpr(sim, T3), 0x00007fffu);
	assert_int_equal(h_gpr(sim, T4), 0x7ffffffeu);
}

/* ------------------------------------------------------------ logic */

static void test_logic_register_ops(void **state)
{
	vzsim *sim = *state;
	const uint32_t a = 0xf0f0a5a5u, b = 0x0ff05a0fu;
	h_set_gpr(sim, T1, a);
	h_set_gpr(sim, T2, b);
	RUN(sim, enc_and(T3, T1, T2), enc_or(T4, T1, T2), enc_xor(T5, T1, T2),
	    enc_nor(T6, T1, T2), enc_nor(T7, ZERO, ZERO));
	assert_int_equal(h_gpr(sim, T3), a & b);
	assert_int_equal(h_gpr(sim, T4), a | b);
	assert_int_equal(h_gpr(sim, T5), a ^ b);
	assert_int_equal(h_gpr(sim, T6), ~(a | b));
	assert_int_equal(h_gpr(sim, T7), 0xffffffffu);
}

static void test_logic_immediates_zero_extend(void **state)
{
	vzsim *sim = *state;
	const uint32_t a = 0x12345678u;
	h_set_gpr(sim, T1, a);
	h_set_gpr(sim, T2, 0xffffffffu);
	RUN(sim, enc_andi(T3, T1, 0x8ff0), enc_ori(T4, T1, 0x8001),
	    enc_xori(T5, T1, 0xffff), enc_andi(T6, T2, 0x8000),
	    enc_ori(T7, ZERO, 0xffff), enc_xori(S0, T2, 0x8000));
	assert_int_equal(h_gpr(sim, T3), a & 0x8ff0u);
	assert_int_equal(h_gpr(sim, T4), a | 0x8001u);
	assert_int_equal(h_gpr(sim, T5), a ^ 0xffffu);
	assert_int_equal(h_gpr(sim, T6), 0x00008000u);
	assert_int_equal(h_gpr(sim, T7), 0x0000ffffu);
	assert_int_equal(h_gpr(sim, S0), 0xffff7fffu);
}

/* ------------------------------------------------------------ slt */

static void test_slt_sltu_sign_handling(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T1, 0xffffffffu); /* -1 */
	h_set_gpr(sim, T2, 1);
	h_set_gpr(sim, T3, 0x80000000u);
	h_set_gpr(sim, T4, 0x7fffffffu);
	RUN(sim, enc_slt(S0, T1, T2), enc_sltu(S1, T1, T2),
	    enc_slt(S2, T2, T1), enc_sltu(S3, T2, T1),
	    enc_slt(S4, T3, T4), enc_sltu(S5, T3, T4),
	    enc_slt(S6, T2, T2), enc_sltu(S7, T2, T2));
	assert_int_equal(h_gpr(sim, S0), 1);
	assert_int_equal(h_gpr(sim, S1), 0);
	assert_int_equal(h_gpr(sim, S2), 0);
	assert_int_equal(h_gpr(sim, S3), 1);
	assert_int_equal(h_gpr(sim, S4), 1);
	assert_int_equal(h_gpr(sim, S5), 0);
	assert_int_equal(h_gpr(sim, S6), 0);
	assert_int_equal(h_gpr(sim, S7), 0);
}

static void test_slti_sltiu_sign_extend_immediate(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T1, 0xfffffffeu); /* -2 */
	h_set_gpr(sim, T2, 0xffffffffu);
	h_set_gpr(sim, T3, 5);
	RUN(sim, enc_slti(S0, T1, -1),     /* -2 < -1 */
	    enc_sltiu(S1, T1, -1),         /* 0xfffffffe < 0xffffffff */
	    enc_sltiu(S2, T2, -1),         /* equal: 0 */
	    enc_slti(S3, T3, 5),           /* equal: 0 */
	    enc_slti(S4, T3, 6),
	    enc_sltiu(S5, T3, 0x8000 - 0x10000), /* 5 < 0xffff8000 */
	    enc_slti(S6, T3, 0x8000 - 0x10000),  /* 5 < -32768: 0 */
	    enc_sltiu(S7, ZERO, 0));
	assert_int_equal(h_gpr(sim, S0), 1);
	assert_int_equal(h_gpr(sim, S1), 1);
	assert_int_equal(h_gpr(sim, S2), 0);
	assert_int_equal(h_gpr(sim, S3), 0);
	assert_int_equal(h_gpr(sim, S4), 1);
	assert_int_equal(h_gpr(sim, S5), 1);
	assert_int_equal(h_gpr(sim, S6), 0);
	assert_int_equal(h_gpr(sim, S7), 0);
}

static void test_lui(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, 0xffffffffu);
	RUN(sim, enc_lui(T0, 0x8000), enc_lui(T1, 0xffff), enc_lui(T2, 0),
	    enc_lui(T3, 0x1234), enc_ori(T3, T3, 0x5678));
	assert_int_equal(h_gpr(sim, T0), 0x80000000u);
	assert_int_equal(h_gpr(sim, T1), 0xffff0000u);
	assert_int_equal(h_gpr(sim, T2), 0);
	assert_int_equal(h_gpr(sim, T3), 0x12345678u);
}

/* ------------------------------------------------------------ shifts */

static void test_immediate_shifts_edges(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T1, 0x80000001u);
	RUN(sim, enc_sll(S0, T1, 0), enc_sll(S1, T1, 31), enc_sll(S2, T1, 1),
	    enc_srl(S3, T1, 0), enc_srl(S4, T1, 31), enc_srl(S5, T1, 4),
	    enc_sra(S6, T1, 31), enc_sra(S7, T1, 4), enc_sra(T2, T1, 0));
	assert_int_equal(h_gpr(sim, S0), 0x80000001u);
	assert_int_equal(h_gpr(sim, S1), 0x80000000u);
	assert_int_equal(h_gpr(sim, S2), 0x00000002u);
	assert_int_equal(h_gpr(sim, S3), 0x80000001u);
	assert_int_equal(h_gpr(sim, S4), 0x00000001u);
	assert_int_equal(h_gpr(sim, S5), 0x08000000u);
	assert_int_equal(h_gpr(sim, S6), 0xffffffffu);
	assert_int_equal(h_gpr(sim, S7), 0xf8000000u);
	assert_int_equal(h_gpr(sim, T2), 0x80000001u);
}

static void test_sra_positive_fills_zero(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T1, 0x7fffffffu);
	RUN(sim, enc_sra(T0, T1, 31), enc_sra(T2, T1, 8));
	assert_int_equal(h_gpr(sim, T0), 0);
	assert_int_equal(h_gpr(sim, T2), 0x007fffffu);
}

static void test_variable_shifts_mask_to_5_bits(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T1, 0x80000001u);
	h_set_gpr(sim, T2, 33);          /* shift by 1 */
	h_set_gpr(sim, T3, 0xffffffe0u); /* shift by 0 */
	h_set_gpr(sim, T4, 63);          /* shift by 31 */
	RUN(sim, enc_sllv(S0, T1, T2), enc_srlv(S1, T1, T2), enc_srav(S2, T1, T2),
	    enc_sllv(S3, T1, T3), enc_srlv(S4, T1, T3), enc_srav(S5, T1, T3),
	    enc_sllv(S6, T1, T4), enc_srlv(S7, T1, T4), enc_srav(T5, T1, T4));
	assert_int_equal(h_gpr(sim, S0), 0x00000002u);
	assert_int_equal(h_gpr(sim, S1), 0x40000000u);
	assert_int_equal(h_gpr(sim, S2), 0xc0000000u);
	assert_int_equal(h_gpr(sim, S3), 0x80000001u);
	assert_int_equal(h_gpr(sim, S4), 0x80000001u);
	assert_int_equal(h_gpr(sim, S5), 0x80000001u);
	assert_int_equal(h_gpr(sim, S6), 0x80000000u);
	assert_int_equal(h_gpr(sim, S7), 0x00000001u);
	assert_int_equal(h_gpr(sim, T5), 0xffffffffu);
}

static void test_variable_shift_rd_equals_rs(void **state)
{
	vzsim *sim = *state;
	/* The shift amount is read before rd is written. */
	h_set_gpr(sim, T1, 0x00000100u);
	h_set_gpr(sim, T2, 4);
	RUN(sim, enc_sllv(T2, T1, T2));
	assert_int_equal(h_gpr(sim, T2), 0x00001000u);
}

static void test_rotr_rotrv(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T1, 0x12345678u);
	h_set_gpr(sim, T2, 36); /* rotrv uses rs[4:0] = 4 */
	h_set_gpr(sim, T3, 32); /* = 0 */
	RUN(sim, enc_rotr(S0, T1, 0), enc_rotr(S1, T1, 4), enc_rotr(S2, T1, 31),
	    enc_rotr(S3, T1, 1), enc_rotrv(S4, T1, T2), enc_rotrv(S5, T1, T3));
	assert_int_equal(h_gpr(sim, S0), 0x12345678u);
	assert_int_equal(h_gpr(sim, S1), 0x81234567u);
	assert_int_equal(h_gpr(sim, S2), 0x2468acf0u);
	assert_int_equal(h_gpr(sim, S3), 0x091a2b3cu);
	assert_int_equal(h_gpr(sim, S4), 0x81234567u);
	assert_int_equal(h_gpr(sim, S5), 0x12345678u);
}

/* ------------------------------------------------------------ clz/clo */

static void test_clz_clo(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T1, 0);
	h_set_gpr(sim, T2, 0xffffffffu);
	h_set_gpr(sim, T3, 1);
	h_set_gpr(sim, T4, 0xf0000000u);
	h_set_gpr(sim, T5, 0x00010000u);
	RUN(sim, enc_clz(S0, T1), enc_clz(S1, T2), enc_clo(S2, T1), enc_clo(S3, T2),
	    enc_clz(S4, T3), enc_clo(S5, T4), enc_clz(S6, T5), enc_clo(S7, T3));
	assert_int_equal(h_gpr(sim, S0), 32);
	assert_int_equal(h_gpr(sim, S1), 0);
	assert_int_equal(h_gpr(sim, S2), 0);
	assert_int_equal(h_gpr(sim, S3), 32);
	assert_int_equal(h_gpr(sim, S4), 31);
	assert_int_equal(h_gpr(sim, S5), 4);
	assert_int_equal(h_gpr(sim, S6), 15);
	assert_int_equal(h_gpr(sim, S7), 0);
}

/* ------------------------------------------------------------ seb/seh/wsbh */

static void test_seb_seh_wsbh(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T1, 0x00000080u);
	h_set_gpr(sim, T2, 0xffffff7fu);
	h_set_gpr(sim, T3, 0x12348000u);
	h_set_gpr(sim, T4, 0xabcd7fffu);
	h_set_gpr(sim, T5, 0x11223344u);
	RUN(sim, enc_seb(S0, T1), enc_seb(S1, T2), enc_seh(S2, T3), enc_seh(S3, T4),
	    enc_wsbh(S4, T5), enc_wsbh(S5, T3));
	assert_int_equal(h_gpr(sim, S0), 0xffffff80u);
	assert_int_equal(h_gpr(sim, S1), 0x0000007fu);
	assert_int_equal(h_gpr(sim, S2), 0xffff8000u);
	assert_int_equal(h_gpr(sim, S3), 0x00007fffu);
	assert_int_equal(h_gpr(sim, S4), 0x22114433u);
	assert_int_equal(h_gpr(sim, S5), 0x34120080u);
}

/* ------------------------------------------------------------ ext/ins */

static void test_ext_edges(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T1, 0x8badf00du);
	RUN(sim, enc_ext(S0, T1, 0, 32), enc_ext(S1, T1, 31, 1), enc_ext(S2, T1, 0, 1),
	    enc_ext(S3, T1, 4, 8), enc_ext(S4, T1, 16, 16), enc_ext(S5, T1, 1, 31));
	assert_int_equal(h_gpr(sim, S0), 0x8badf00du);
	assert_int_equal(h_gpr(sim, S1), 1);
	assert_int_equal(h_gpr(sim, S2), 1);
	assert_int_equal(h_gpr(sim, S3), 0x00u);
	assert_int_equal(h_gpr(sim, S4), 0x8badu);
	assert_int_equal(h_gpr(sim, S5), 0x8badf00du >> 1);
}

static void test_ins_edges(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T1, 0x12345679u); /* source; low bit 1 */
	h_set_gpr(sim, S0, 0xffffffffu);
	h_set_gpr(sim, S1, 0x00000000u);
	h_set_gpr(sim, S2, 0xaaaaaaaau);
	h_set_gpr(sim, S3, 0xffffffffu);
	h_set_gpr(sim, S4, 0xffffffffu);
	RUN(sim, enc_ins(S0, T1, 0, 32),  /* whole register */
	    enc_ins(S1, T1, 31, 1),       /* bit 0 of rs into bit 31 */
	    enc_ins(S2, T1, 8, 8),
	    enc_ins(S3, ZERO, 0, 1),
	    enc_ins(S4, ZERO, 4, 24));
	assert_int_equal(h_gpr(sim, S0), 0x12345679u);
	assert_int_equal(h_gpr(sim, S1), 0x80000000u);
	assert_int_equal(h_gpr(sim, S2), 0xaaaa79aau);
	assert_int_equal(h_gpr(sim, S3), 0xfffffffeu);
	assert_int_equal(h_gpr(sim, S4), 0xf000000fu);
}

/* ------------------------------------------------------------ movz/movn */

static void test_movz_movn(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T1, 0x11111111u);
	h_set_gpr(sim, T2, 0);
	h_set_gpr(sim, T3, 5);
	h_set_gpr(sim, S0, 0xaaaaaaaau);
	h_set_gpr(sim, S1, 0xaaaaaaaau);
	h_set_gpr(sim, S2, 0xaaaaaaaau);
	h_set_gpr(sim, S3, 0xaaaaaaaau);
	RUN(sim, enc_movz(S0, T1, T2),  /* t2 == 0: moves */
	    enc_movz(S1, T1, T3),       /* t3 != 0: keeps */
	    enc_movn(S2, T1, T3),       /* moves */
	    enc_movn(S3, T1, T2));      /* keeps */
	assert_int_equal(h_gpr(sim, S0), 0x11111111u);
	assert_int_equal(h_gpr(sim, S1), 0xaaaaaaaau);
	assert_int_equal(h_gpr(sim, S2), 0x11111111u);
	assert_int_equal(h_gpr(sim, S3), 0xaaaaaaaau);
}

/* ------------------------------------------------------------ $zero */

static void test_zero_register_never_written(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T1, 0x1234u);
	RUN(sim, enc_addiu(ZERO, ZERO, 5), enc_addu(T2, ZERO, ZERO),
	    enc_lui(ZERO, 0xffff), enc_or(T3, ZERO, ZERO),
	    enc_ori(ZERO, T1, 0xff), enc_movn(ZERO, T1, T1),
	    enc_sll(ZERO, T1, 4), enc_clo(ZERO, ZERO), enc_move(T4, ZERO));
	assert_int_equal(h_gpr(sim, ZERO), 0);
	assert_int_equal(h_gpr(sim, T2), 0);
	assert_int_equal(h_gpr(sim, T3), 0);
	assert_int_equal(h_gpr(sim, T4), 0);
}

static void test_zero_register_not_settable_from_host(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, ZERO, 0x55u);
	assert_int_equal(h_gpr(sim, ZERO), 0);
	RUN(sim, enc_move(T0, ZERO));
	assert_int_equal(h_gpr(sim, T0), 0);
}

static void test_nop_forms_change_nothing(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, 0x5a5a5a5au);
	uint32_t ssnop = enc_sll(ZERO, ZERO, 1);
	uint32_t end = h_prog(sim, PROG(enc_nop(), ssnop, enc_ehb(), enc_sync(0),
					enc_sll(ZERO, T0, 5), enc_pref(0, 0, T0)));
	h_set_gpr(sim, T0, H_DATA);
	h_run_to_end(sim, end);
	assert_int_equal(h_gpr(sim, T0), H_DATA);
	assert_int_equal(h_insns(sim), 7); /* six + the final wait */
}

static void test_ins_msb_below_lsb_is_reserved(void **state)
{
	vzsim *sim = *state;
	/* msb < lsb is UNPREDICTABLE; vzsim documents Reserved Instruction
	 * (docs/vzsim.md, implementation-defined choices). */
	uint32_t w = enc_r(0x1f, T1, T0, 3, 8, 0x04); /* ins t0, t1, msb 3, lsb 8 */
	h_set_gpr(sim, T0, 0x1234u);
	h_prog(sim, PROG(w));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_RI);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE);
	assert_int_equal(h_gpr(sim, T0), 0x1234u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_addu_wraps_without_exception),
		T(test_add_no_overflow),
		T(test_add_positive_overflow_traps_rd_unchanged),
		T(test_add_negative_overflow_traps),
		T(test_add_overflow_with_rd_zero_still_traps),
		T(test_sub_overflow_both_directions),
		T(test_sub_and_subu_results),
		T(test_addi_overflow_traps_rt_unchanged),
		T(test_addi_sign_extends),
		T(test_addiu_sign_extends_and_wraps),
		T(test_logic_register_ops),
		T(test_logic_immediates_zero_extend),
		T(test_slt_sltu_sign_handling),
		T(test_slti_sltiu_sign_extend_immediate),
		T(test_lui),
		T(test_immediate_shifts_edges),
		T(test_sra_positive_fills_zero),
		T(test_variable_shifts_mask_to_5_bits),
		T(test_variable_shift_rd_equals_rs),
		T(test_rotr_rotrv),
		T(test_clz_clo),
		T(test_seb_seh_wsbh),
		T(test_ext_edges),
		T(test_ins_edges),
		T(test_movz_movn),
		T(test_zero_register_never_written),
		T(test_zero_register_not_settable_from_host),
		T(test_nop_forms_change_nothing),
		T(test_ins_msb_below_lsb_is_reserved),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
