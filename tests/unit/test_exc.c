/*
 * Exceptions and interrupts: syscall/break/traps, reserved instructions,
 * nested exceptions, BEV and EBase vectors, eret with EXL and ERL, address
 * errors by mode, software and timer interrupts with their masks, di/ei,
 * vectored interrupts, and wait.
 *
 * Architecture facts (MIPS32 PRA r5, exceptions chapter, and Vol. II):
 * - With EXL = 0 an exception writes EPC (the branch if in a delay slot,
 *   with Cause.BD); with EXL = 1 EPC and BD are left alone and every
 *   exception, TLB refill included, uses offset 0x180.
 * - Vector base: 0xBFC00200 when Status.BEV = 1, else EBase[31:12];
 *   refill +0x000, general +0x180, interrupt +0x200 when Cause.IV = 1 and
 *   +0x200 + n * spacing in vectored mode (IntCtl.VS != 0, BEV = 0), where
 *   spacing = VS * 32 bytes and n is the IP line (IP7 highest priority).
 * - ERET: ERL set -> pc = ErrorEPC, ERL cleared; else pc = EPC, EXL
 *   cleared.  No delay slot.
 * - Interrupts are taken when IE = 1, EXL = ERL = 0 and IP & IM != 0.
 *   The timer raises IP7 here (IntCtl.IPTI = 7).
 * - After an interrupt that ends a WAIT, EPC is the instruction after it.
 * - User mode reaches kuseg only; supervisor mode kuseg and sseg
 *   (0xC0000000-0xDFFFFFFF); anything else is an address error (AdEL for
 *   loads and fetches, AdES for stores) with BadVAddr.
 * - DI/EI write the old Status to rt.
 */
#include "sim_harness.h"

#define RUN(sim, ...) h_run_to_end((sim), h_prog((sim), PROG(__VA_ARGS__)))

static uint32_t nops[128];

/* ------------------------------------------------------------ synchronous */

static void expect_exc_at(vzsim *sim, uint32_t vector, unsigned code, uint32_t epc)
{
	h_run_to_stub(sim, vector);
	if (h_exc(sim) != code)
		fail_msg("ExcCode %u (%s), expected %u (%s)", h_exc(sim),
			 vzsim_exc_name(h_exc(sim)), code, vzsim_exc_name(code));
	assert_int_equal(h_cp0(sim, C0_EPC, 0), epc);
}

static void test_syscall(void **state)
{
	vzsim *sim = *state;
	uint32_t w = enc_syscall(0x12345);
	h_prog(sim, PROG(enc_nop(), enc_nop(), w, enc_nop()));
	expect_exc_at(sim, H_VEC_GEN, EXC_SYS, H_CODE + 8);
	assert_int_equal(h_cause(sim) & CR_BD, 0);
	assert_int_equal(h_status(sim), SR_EXL);
	assert_int_equal(h_cp0(sim, 8, 1), w);
	assert_int_equal(h_insns(sim), 3 + 1); /* incl. the stub's wait */
}

static void test_break(void **state)
{
	vzsim *sim = *state;
	h_prog(sim, PROG(enc_break(0x3ff)));
	expect_exc_at(sim, H_VEC_GEN, EXC_BP, H_CODE);
	assert_int_equal(h_cp0(sim, 8, 1), enc_break(0x3ff));
}

static void test_exception_names(void **state)
{
	(void)state;
	assert_string_equal(vzsim_exc_name(EXC_SYS), "Sys");
	assert_string_equal(vzsim_exc_name(EXC_TLBL), "TLBL");
	assert_string_equal(vzsim_exc_name(EXC_MCHECK), "MCheck");
	assert_string_equal(vzsim_exc_name(31), "?");
	assert_string_equal(vzsim_exc_name(99), "?");
}

struct trap_case {
	const char *name;
	uint32_t word; /* compares t0 with t1 or an immediate */
	uint32_t t0, t1;
	bool traps;
};

static void test_traps_taken_and_not(void **state)
{
	vzsim *sim = *state;
	const struct trap_case cases[] = {
		{"teq eq", enc_teq(T0, T1), 5, 5, true},
		{"teq ne", enc_teq(T0, T1), 5, 6, false},
		{"tne ne", enc_tne(T0, T1), 5, 6, true},
		{"tne eq", enc_tne(T0, T1), 5, 5, false},
		{"tge signed", enc_tge(T0, T1), 1, 0xffffffffu, true},
		{"tge lt", enc_tge(T0, T1), 0xffffffffu, 1, false},
		{"tge eq", enc_tge(T0, T1), 7, 7, true},
		{"tgeu unsigned", enc_tgeu(T0, T1), 0xffffffffu, 1, true},
		{"tgeu lt", enc_tgeu(T0, T1), 1, 0xffffffffu, false},
		{"tlt signed", enc_tlt(T0, T1), 0x80000000u, 0, true},
		{"tlt ge", enc_tlt(T0, T1), 0, 0x80000000u, false},
		{"tltu", enc_tltu(T0, T1), 0, 0x80000000u, true},
		{"tltu ge", enc_tltu(T0, T1), 0x80000000u, 0, false},
		{"teqi", enc_teqi(T0, -1), 0xffffffffu, 0, true},
		{"teqi ne", enc_teqi(T0, -1), 0xfffffffeu, 0, false},
		{"tnei", enc_tnei(T0, 3), 4, 0, true},
		{"tnei eq", enc_tnei(T0, 3), 3, 0, false},
		{"tgei", enc_tgei(T0, -5), 0xfffffffbu, 0, true},
		{"tgei lt", enc_tgei(T0, -5), 0xfffffffau, 0, false},
		{"tgeiu sext", enc_tgeiu(T0, -1), 0xffffffffu, 0, true},
		{"tgeiu lt", enc_tgeiu(T0, -1), 0xfffffffeu, 0, false},
		{"tlti", enc_tlti(T0, 0), 0xffffffffu, 0, true},
		{"tlti ge", enc_tlti(T0, 0), 0, 0, false},
		{"tltiu sext", enc_tltiu(T0, -2), 5, 0, true},
		{"tltiu ge", enc_tltiu(T0, -2), 0xfffffffeu, 0, false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct trap_case *c = &cases[i];
		h_setup(sim);
		h_set_gpr(sim, T0, c->t0);
		h_set_gpr(sim, T1, c->t1);
		uint32_t end = h_prog(sim, PROG(enc_nop(), c->word));
		enum vzsim_stop s = h_run(sim, 1000);
		uint32_t want_pc = c->traps ? H_VEC_GEN + 4 : end;
		if (s != VZSIM_STOP_DEADLOCK || vzsim_pc(sim) != want_pc)
			fail_msg("%s: stopped at 0x%08x, expected 0x%08x", c->name,
				 vzsim_pc(sim), want_pc);
		if (c->traps) {
			assert_int_equal(h_exc(sim), EXC_TR);
			assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 4);
		}
	}
}

/* Each word alone at H_CODE must raise RI with EPC and BadInstr on it. */
static void check_reserved(vzsim *sim, const uint32_t *words, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h_setup(sim);
		h_prog(sim, &words[i], 1);
		enum vzsim_stop s = h_run(sim, 1000);
		if (s != VZSIM_STOP_DEADLOCK || vzsim_pc(sim) != H_VEC_GEN + 4 ||
		    h_exc(sim) != EXC_RI)
			fail_msg("0x%08x: stop at 0x%08x with ExcCode %u, expected RI", words[i],
				 vzsim_pc(sim), h_exc(sim));
		assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE);
		assert_int_equal(h_cp0(sim, 8, 1), words[i]);
	}
}

static void test_reserved_instructions(void **state)
{
	vzsim *sim = *state;
	const uint32_t words[] = {
		0xfc000000u, /* opcode 63 (MIPS64 SD) */
		0xdc000000u, /* opcode 55 (MIPS64 LD) */
		0x60000000u, /* opcode 24 (MIPS64 DADDI) */
		0x00000005u, /* SPECIAL funct 5 */
		0x0000000eu, /* SPECIAL funct 14 */
		0x0000002cu, /* SPECIAL funct 44 (DADD) */
		0x0000003fu, /* SPECIAL funct 63 (DSRA32) */
		0x04040000u, /* REGIMM rt 4 */
		0x70000003u, /* SPECIAL2 funct 3 */
		0x7c000001u, /* SPECIAL3 funct 1 (DEXTM) */
		0x42000005u, /* COP0 CO funct 5 */
		0x7000003fu, /* sdbbp: no EJTAG here (Config1.EP = 0) */
		0x4200001fu, /* deret: no EJTAG */
	};
	check_reserved(sim, words, sizeof words / sizeof words[0]);
}

/* Without the VZ module (board option vz=off) its instructions are reserved. */
static void test_vz_instructions_reserved_without_vz(void **state)
{
	(void)state;
	vzsim *sim = h_new();
	assert_int_equal(vzsim_board_opt(sim, "vz", "off", NULL, 0), 0);
	assert_int_equal(h_cp0(sim, 16, 3) & (1u << 23), 0); /* Config3.VZ */
	const uint32_t words[] = {
		0x40600000u, /* mfgc0 */
		0x40600200u, /* mtgc0 */
		0x42000028u, /* hypcall */
		0x42000010u, /* tlbgp */
		0x42000009u, /* tlbgr */
	};
	check_reserved(sim, words, sizeof words / sizeof words[0]);
	vzsim_free(sim);
}

/* ------------------------------------------------------------ nesting */

static void test_nested_exception_keeps_epc(void **state)
{
	vzsim *sim = *state;
	h_set_status(sim, SR_EXL);
	h_set_cp0(sim, C0_EPC, 0, 0x0badc0deu);
	h_prog(sim, PROG(enc_nop(), enc_syscall(0)));
	expect_exc_at(sim, H_VEC_GEN, EXC_SYS, 0x0badc0deu);
	assert_int_equal(h_cp0(sim, 8, 1), enc_syscall(0));
}

static void test_nested_exception_keeps_bd(void **state)
{
	vzsim *sim = *state;
	h_prog(sim, PROG(enc_nop(), enc_b(1), enc_syscall(0), enc_nop()));
	expect_exc_at(sim, H_VEC_GEN, EXC_SYS, H_CODE + 4);
	assert_true(h_cause(sim) & CR_BD);
	/* Still at EXL: a second exception, outside any slot. */
	h_prog(sim, PROG(enc_break(0)));
	expect_exc_at(sim, H_VEC_GEN, EXC_BP, H_CODE + 4);
	assert_true(h_cause(sim) & CR_BD);
}

static void test_exception_with_erl_writes_epc(void **state)
{
	vzsim *sim = *state;
	/* EXL clear, ERL set: EPC is written, EXL set, ERL kept. */
	h_set_status(sim, SR_ERL);
	h_prog(sim, PROG(enc_nop(), enc_syscall(0)));
	expect_exc_at(sim, H_VEC_GEN, EXC_SYS, H_CODE + 4);
	assert_int_equal(h_status(sim), SR_ERL | SR_EXL);
}

/* ------------------------------------------------------------ vectors */

static void test_bev_general_vector(void **state)
{
	vzsim *sim = *state;
	h_set_status(sim, SR_BEV);
	h_prog(sim, PROG(enc_syscall(0)));
	expect_exc_at(sim, H_BEV_GEN, EXC_SYS, H_CODE);
	assert_int_equal(h_status(sim), SR_BEV | SR_EXL);
}

static void test_bev_refill_vector(void **state)
{
	vzsim *sim = *state;
	h_set_status(sim, SR_BEV);
	h_set_gpr(sim, T0, 0x00003000u);
	h_prog(sim, PROG(enc_lw(T1, 0, T0)));
	expect_exc_at(sim, H_BEV_REFILL, EXC_TLBL, H_CODE);
	assert_int_equal(h_cp0(sim, C0_BADVADDR, 0), 0x00003000u);
}

static void test_bev_interrupt_vector_with_iv(void **state)
{
	vzsim *sim = *state;
	/* Vectored mode needs BEV = 0: with BEV the IV vector is +0x200. */
	h_set_cp0(sim, C0_STATUS, 1, 1u << 5); /* IntCtl.VS = 1 */
	h_set_status(sim, SR_BEV | SR_IE | SR_IM(1));
	h_set_cp0(sim, C0_CAUSE, 0, CR_IV);
	h_set_gpr(sim, T0, CR_IV | CR_IP(1));
	h_prog(sim, PROG(enc_mtc0(T0, C0_CAUSE, 0), enc_nop(), enc_nop()));
	h_step_to(sim, H_BEV_INT, 10);
	assert_int_equal(h_exc(sim), EXC_INT);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 4);
}

static void test_ebase_relocates_vectors(void **state)
{
	vzsim *sim = *state;
	const uint32_t base = 0x80040000u;
	h_stub(sim, base + 0x000);
	h_stub(sim, base + 0x180);
	h_set_cp0(sim, C0_PRID, 1, base);
	assert_int_equal(h_cp0(sim, C0_PRID, 1), base);
	h_prog(sim, PROG(enc_syscall(0)));
	expect_exc_at(sim, base + 0x180, EXC_SYS, H_CODE);
	/* Refill goes to the new base too. */
	h_set_status(sim, 0);
	h_set_gpr(sim, T0, 0x00005000u);
	h_prog(sim, PROG(enc_sw(T0, 0, T0)));
	expect_exc_at(sim, base + 0x000, EXC_TLBS, H_CODE);
}

static void test_ebase_interrupt_vector(void **state)
{
	vzsim *sim = *state;
	const uint32_t base = 0x80040000u;
	h_stub(sim, base + 0x200);
	h_set_cp0(sim, C0_PRID, 1, base);
	h_set_cp0(sim, C0_CAUSE, 0, CR_IV);
	h_set_status(sim, SR_IE | SR_IM(0));
	h_set_gpr(sim, T0, CR_IV | CR_IP(0));
	h_prog(sim, PROG(enc_nop(), enc_mtc0(T0, C0_CAUSE, 0), enc_nop()));
	h_step_to(sim, base + 0x200, 10);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 8);
}

/* ------------------------------------------------------------ eret */

static void test_eret_returns_to_epc_and_clears_exl(void **state)
{
	vzsim *sim = *state;
	h_set_status(sim, SR_EXL | SR_IM(3));
	h_set_cp0(sim, C0_EPC, 0, H_CODE + 0x40);
	h_prog_at(sim, H_CODE + 0x40, PROG(enc_addiu(S1, ZERO, 1)));
	h_set_gpr(sim, S0, 0);
	h_set_gpr(sim, S1, 0);
	h_prog(sim, PROG(enc_eret(), enc_addiu(S0, ZERO, 1)));
	h_run_to_end(sim, H_CODE + 0x48);
	assert_int_equal(h_gpr(sim, S0), 0); /* eret has no delay slot */
	assert_int_equal(h_gpr(sim, S1), 1);
	assert_int_equal(h_status(sim), SR_IM(3));
}

static void test_eret_with_erl_uses_errorepc(void **state)
{
	vzsim *sim = *state;
	h_set_status(sim, SR_ERL | SR_EXL);
	h_set_cp0(sim, C0_EPC, 0, H_CODE + 0x80);
	h_set_cp0(sim, C0_ERROREPC, 0, H_CODE + 0x40);
	h_prog_at(sim, H_CODE + 0x40, PROG(enc_addiu(S1, ZERO, 1)));
	h_prog_at(sim, H_CODE + 0x80, PROG(enc_addiu(S2, ZERO, 1)));
	h_set_gpr(sim, S1, 0);
	h_set_gpr(sim, S2, 0);
	h_prog(sim, PROG(enc_eret()));
	h_run_to_end(sim, H_CODE + 0x48);
	assert_int_equal(h_gpr(sim, S1), 1);
	assert_int_equal(h_gpr(sim, S2), 0);
	assert_int_equal(h_status(sim), SR_EXL); /* only ERL cleared */
}

static void test_eret_to_user_mode_and_back(void **state)
{
	vzsim *sim = *state;
	/*
	 * Handler: skip a syscall and return; stop on anything else.
	 *   mfc0 k0, Cause; andi k0, 0x7c; addiu k1, zero, 8<<2;
	 *   bne k0, k1, stop; nop; mfc0 k0, EPC; addiu k0, 4; mtc0 k0, EPC;
	 *   ehb; eret; stop: wait
	 */
	const uint32_t handler[] = {
		enc_mfc0(K0, C0_CAUSE, 0), enc_andi(K0, K0, 0x7c),
		enc_addiu(K1, ZERO, EXC_SYS << 2), enc_bne(K0, K1, 6), enc_nop(),
		enc_mfc0(K0, C0_EPC, 0), enc_addiu(K0, K0, 4), enc_mtc0(K0, C0_EPC, 0),
		enc_ehb(), enc_eret(), enc_wait(),
	};
	h_load(sim, H_VEC_GEN, handler, sizeof handler / 4);
	h_set_gpr(sim, S0, 0);
	h_set_gpr(sim, S1, 0);
	h_user_prog(sim, SR_KSU_USER, PROG(enc_addiu(S0, S0, 1), enc_syscall(0),
					     enc_addiu(S1, S1, 1), enc_syscall(0),
					     enc_break(0)));
	enum vzsim_stop s = h_run(sim, 1000);
	assert_int_equal(s, VZSIM_STOP_DEADLOCK);
	assert_int_equal(vzsim_pc(sim), H_VEC_GEN + 4 * 11);
	assert_int_equal(h_exc(sim), EXC_BP);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_USER_VA + 16);
	assert_int_equal(h_gpr(sim, S0), 1);
	assert_int_equal(h_gpr(sim, S1), 1);
	assert_int_equal(h_status(sim), SR_KSU_USER | SR_EXL);
}

/* ------------------------------------------------------------ modes and segments */

struct seg_case {
	uint32_t word; /* base T0 */
	uint32_t va;
	unsigned code; /* or ~0u: allowed */
};

static void run_seg_cases(vzsim *sim, uint32_t status, const struct seg_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h_setup(sim);
		/* sseg page (supervisor) and kseg2 page, global. */
		h_tlbwi(sim, 20, 0xc0000000u, LO_RAM(0x00300000u) | LO_G,
			LO_RAM(0x00301000u) | LO_G, PM_4K);
		h_tlbwi(sim, 21, 0xe0000000u, LO_RAM(0x00300000u) | LO_G,
			LO_RAM(0x00301000u) | LO_G, PM_4K);
		h_set_gpr(sim, T0, c[i].va);
		uint32_t sys = h_user_prog(sim, status, &c[i].word, 1);
		h_run_to_stub(sim, H_VEC_GEN);
		if (c[i].code == ~0u) {
			if (h_exc(sim) != EXC_SYS || h_cp0(sim, C0_EPC, 0) != sys)
				fail_msg("status 0x%08x, 0x%08x at 0x%08x: ExcCode %u, expected "
					 "it to complete", status, c[i].word, c[i].va, h_exc(sim));
			continue;
		}
		if (h_exc(sim) != c[i].code || h_cp0(sim, C0_BADVADDR, 0) != c[i].va ||
		    h_cp0(sim, C0_EPC, 0) != H_USER_VA)
			fail_msg("status 0x%08x, 0x%08x at 0x%08x: ExcCode %u BadVAddr 0x%08x, "
				 "expected %u", status, c[i].word, c[i].va, h_exc(sim),
				 h_cp0(sim, C0_BADVADDR, 0), c[i].code);
	}
}

static void test_user_mode_segments(void **state)
{
	vzsim *sim = *state;
	const struct seg_case cases[] = {
		{enc_lw(T1, 0, T0), H_USER_DATA, ~0u},
		{enc_lw(T1, 0, T0), 0x80100000u, EXC_ADEL},
		{enc_sw(T1, 0, T0), 0x80100000u, EXC_ADES},
		{enc_lb(T1, 0, T0), 0xa0100000u, EXC_ADEL},
		{enc_sb(T1, 0, T0), 0xa0100001u, EXC_ADES},
		{enc_lw(T1, 0, T0), 0xc0000000u, EXC_ADEL},
		{enc_sw(T1, 0, T0), 0xc0000004u, EXC_ADES},
		{enc_lw(T1, 0, T0), 0xe0000000u, EXC_ADEL},
		{enc_lhu(T1, 0, T0), 0xfffffffeu, EXC_ADEL},
	};
	run_seg_cases(sim, SR_KSU_USER, cases, sizeof cases / sizeof cases[0]);
}

static void test_supervisor_mode_segments(void **state)
{
	vzsim *sim = *state;
	const struct seg_case cases[] = {
		{enc_lw(T1, 0, T0), H_USER_DATA, ~0u},
		{enc_lw(T1, 0, T0), 0xc0000000u, ~0u},
		{enc_sw(T1, 0, T0), 0xc0001004u, ~0u},
		{enc_lw(T1, 0, T0), 0x80100000u, EXC_ADEL},
		{enc_sw(T1, 0, T0), 0xa0100000u, EXC_ADES},
		{enc_lw(T1, 0, T0), 0xe0000000u, EXC_ADEL},
		{enc_sw(T1, 0, T0), 0xe0000000u, EXC_ADES},
	};
	run_seg_cases(sim, SR_KSU_SUPER, cases, sizeof cases / sizeof cases[0]);
}

static void test_kernel_mode_reaches_every_segment(void **state)
{
	vzsim *sim = *state;
	const struct seg_case cases[] = {
		{enc_lw(T1, 0, T0), 0x80100000u, ~0u},
		{enc_lw(T1, 0, T0), 0xa0100000u, ~0u},
		{enc_lw(T1, 0, T0), 0xc0000000u, ~0u},
		{enc_lw(T1, 0, T0), 0xe0000000u, ~0u},
	};
	/* Kernel mode with the code in kuseg: Status 0. */
	run_seg_cases(sim, 0, cases, sizeof cases / sizeof cases[0]);
}

static void test_user_fetch_from_kseg0_is_adel(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, H_CODE);
	h_user_prog(sim, SR_KSU_USER, PROG(enc_jr(T0), enc_nop()));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_ADEL);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE);
	assert_int_equal(h_cp0(sim, C0_BADVADDR, 0), H_CODE);
	assert_int_equal(h_status(sim), SR_KSU_USER | SR_EXL);
}

/* ------------------------------------------------------------ interrupts */

static void test_software_interrupt_taken_after_mtc0(void **state)
{
	vzsim *sim = *state;
	h_set_status(sim, SR_IE | SR_IM(0));
	h_set_gpr(sim, T0, CR_IP(0));
	h_prog(sim, PROG(enc_nop(), enc_mtc0(T0, C0_CAUSE, 0), enc_nop(), enc_nop()));
	h_step_to(sim, H_VEC_GEN, 10);
	assert_int_equal(h_exc(sim), EXC_INT);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 8);
	assert_int_equal(h_cause(sim) & (CR_IP(0) | CR_BD), CR_IP(0));
	assert_int_equal(h_status(sim), SR_IE | SR_IM(0) | SR_EXL);
}

static void test_software_interrupt_ip1_free_running(void **state)
{
	vzsim *sim = *state;
	/* The same through a plain run (the interpreter's fast path). */
	h_set_status(sim, SR_IE | SR_IM(1));
	h_set_gpr(sim, T0, CR_IP(1));
	h_prog(sim, PROG(enc_nop(), enc_nop(), enc_mtc0(T0, C0_CAUSE, 0), enc_nop(), enc_nop()));
	assert_int_equal(h_run(sim, 50), VZSIM_STOP_BUDGET);
	uint32_t pc = vzsim_pc(sim);
	assert_true(pc >= H_VEC_GEN && pc < H_VEC_GEN + 12);
	assert_int_equal(h_exc(sim), EXC_INT);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 12);
}

static void test_pending_interrupt_taken_when_enabled(void **state)
{
	vzsim *sim = *state;
	/* IP0 already pending; ei and mtc0 Status each open the gate. */
	h_set_cp0(sim, C0_CAUSE, 0, CR_IP(0));
	h_set_status(sim, SR_IM(0));
	h_prog(sim, PROG(enc_nop(), enc_ei(T1), enc_nop(), enc_nop()));
	h_step_to(sim, H_VEC_GEN, 10);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 8);
	assert_int_equal(h_gpr(sim, T1), SR_IM(0));

	h_set_status(sim, SR_IM(0));
	h_set_gpr(sim, T0, SR_IM(0) | SR_IE);
	h_prog(sim, PROG(enc_mtc0(T0, C0_STATUS, 0), enc_nop(), enc_nop()));
	h_step_to(sim, H_VEC_GEN, 10);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 4);
}

/* Runs n instructions of nops with a pending software interrupt and checks
 * none was taken. */
static void expect_no_interrupt(vzsim *sim, uint32_t status)
{
	h_setup(sim);
	h_set_cp0(sim, C0_CAUSE, 0, CR_IP(0));
	h_set_status(sim, status);
	h_set_cp0(sim, C0_EPC, 0, 0x1234u);
	h_prog(sim, nops, 64);
	assert_int_equal(h_run(sim, 20), VZSIM_STOP_BUDGET);
	if (vzsim_pc(sim) != H_CODE + 80 || h_cp0(sim, C0_EPC, 0) != 0x1234u)
		fail_msg("Status 0x%08x: interrupt taken (pc 0x%08x EPC 0x%08x)", status,
			 vzsim_pc(sim), h_cp0(sim, C0_EPC, 0));
	assert_int_equal(h_status(sim), status);
}

static void test_interrupt_masked_by_exl_erl_ie_im(void **state)
{
	vzsim *sim = *state;
	expect_no_interrupt(sim, SR_IM(0));                    /* IE clear */
	expect_no_interrupt(sim, SR_IE | SR_IM(0) | SR_EXL);   /* EXL */
	expect_no_interrupt(sim, SR_IE | SR_IM(0) | SR_ERL);   /* ERL */
	expect_no_interrupt(sim, SR_IE | SR_IM(1) | SR_IM(7)); /* IM0 clear */
	/* Clearing EXL from the host lets it in before the next instruction. */
	h_set_status(sim, SR_IE | SR_IM(0));
	h_step_to(sim, H_VEC_GEN, 2);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 80);
}

static void test_timer_interrupt_on_ip7(void **state)
{
	vzsim *sim = *state;
	h_prog(sim, nops, 100);
	h_set_cp0(sim, C0_COUNT, 0, 0);
	h_set_cp0(sim, C0_COMPARE, 0, 20);
	h_set_status(sim, SR_IE | SR_IM(7));
	/* Count reaches 20 after 40 instructions (count-div 2). */
	uint64_t steps = h_step_to(sim, H_VEC_GEN, 200);
	assert_int_equal(steps, 40);
	assert_int_equal(h_exc(sim), EXC_INT);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 4 * 40);
	assert_int_equal(h_cause(sim) & (CR_TI | CR_IP(7)), CR_TI | CR_IP(7));
	assert_int_equal(h_cp0(sim, C0_COUNT, 0), 20);
}

static void test_timer_interrupt_free_running(void **state)
{
	vzsim *sim = *state;
	h_prog(sim, nops, 100);
	h_set_cp0(sim, C0_COUNT, 0, 0);
	h_set_cp0(sim, C0_COMPARE, 0, 20);
	h_set_status(sim, SR_IE | SR_IM(7));
	assert_int_equal(h_run(sim, 60), VZSIM_STOP_BUDGET);
	assert_int_equal(h_exc(sim), EXC_INT);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 4 * 40);
}

static void test_timer_interrupt_masked_by_im7(void **state)
{
	vzsim *sim = *state;
	h_prog(sim, nops, 100);
	h_set_cp0(sim, C0_COUNT, 0, 0);
	h_set_cp0(sim, C0_COMPARE, 0, 5);
	h_set_status(sim, SR_IE | SR_IM(0) | SR_IM(6));
	assert_int_equal(h_run(sim, 40), VZSIM_STOP_BUDGET);
	assert_int_equal(vzsim_pc(sim), H_CODE + 160);
	assert_true(h_cause(sim) & CR_TI);
}

static void test_interrupt_in_delay_slot_reports_branch(void **state)
{
	vzsim *sim = *state;
	h_opt(sim, "count-div", "1");
	/* Fires after 5 instructions: before the slot at index 5. */
	h_set_cp0(sim, C0_COUNT, 0, 0);
	h_set_cp0(sim, C0_COMPARE, 0, 5);
	h_set_status(sim, SR_IE | SR_IM(7));
	h_prog(sim, PROG(enc_nop(), enc_nop(), enc_nop(), enc_nop(), enc_b(2),
			 enc_nop(), enc_nop(), enc_nop()));
	h_step_to(sim, H_VEC_GEN, 20);
	assert_int_equal(h_exc(sim), EXC_INT);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 16);
	assert_true(h_cause(sim) & CR_BD);
}

static void test_di_ei_return_old_status(void **state)
{
	vzsim *sim = *state;
	h_set_status(sim, SR_IE | SR_IM(5) | SR_CU0);
	RUN(sim, enc_di(T0), enc_mfc0(T1, C0_STATUS, 0), enc_ei(T2),
	    enc_mfc0(T3, C0_STATUS, 0), enc_di(ZERO), enc_mfc0(T4, C0_STATUS, 0));
	assert_int_equal(h_gpr(sim, T0), SR_IE | SR_IM(5) | SR_CU0);
	assert_int_equal(h_gpr(sim, T1), SR_IM(5) | SR_CU0);
	assert_int_equal(h_gpr(sim, T2), SR_IM(5) | SR_CU0);
	assert_int_equal(h_gpr(sim, T3), SR_IE | SR_IM(5) | SR_CU0);
	assert_int_equal(h_gpr(sim, T4), SR_IM(5) | SR_CU0);
	assert_int_equal(h_gpr(sim, ZERO), 0);
}

static void test_vectored_interrupt_spacing(void **state)
{
	vzsim *sim = *state;
	struct { unsigned vs, line; } cases[] = {{1, 1}, {1, 0}, {2, 1}, {4, 1}, {16, 1}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		h_setup(sim);
		uint32_t vec = H_EBASE + 0x200 + cases[i].line * cases[i].vs * 32;
		h_stub(sim, vec);
		h_set_cp0(sim, C0_STATUS, 1, cases[i].vs << 5);
		h_set_cp0(sim, C0_CAUSE, 0, CR_IV);
		h_set_status(sim, SR_IE | SR_IM(cases[i].line));
		h_set_gpr(sim, T0, CR_IV | CR_IP(cases[i].line));
		h_prog(sim, PROG(enc_mtc0(T0, C0_CAUSE, 0), enc_nop(), enc_nop()));
		h_step_to(sim, vec, 10);
		assert_int_equal(h_exc(sim), EXC_INT);
		assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 4);
	}
}

static void test_vectored_timer_has_priority(void **state)
{
	vzsim *sim = *state;
	/* IP7 (timer) and IP0 both pending: vector 7 first. VS = 2 (64 B). */
	const uint32_t vec7 = H_EBASE + 0x200 + 7 * 64;
	h_stub(sim, vec7);
	h_stub(sim, H_EBASE + 0x200);
	h_opt(sim, "count-div", "1");
	h_set_cp0(sim, C0_STATUS, 1, 2u << 5);
	h_set_cp0(sim, C0_COUNT, 0, 0);
	h_set_cp0(sim, C0_COMPARE, 0, 2);
	h_set_cp0(sim, C0_CAUSE, 0, CR_IV | CR_IP(0));
	h_prog(sim, nops, 20);
	/* Let the timer fire with interrupts off, then open them. */
	assert_int_equal(h_run(sim, 4), VZSIM_STOP_BUDGET);
	h_set_status(sim, SR_IE | SR_IM(0) | SR_IM(7));
	h_step_to(sim, vec7, 2);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 16);
}

static void test_non_vectored_when_vs_zero(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_STATUS, 1, 0);
	h_set_cp0(sim, C0_CAUSE, 0, CR_IV);
	h_set_status(sim, SR_IE | SR_IM(1));
	h_set_gpr(sim, T0, CR_IV | CR_IP(1));
	h_prog(sim, PROG(enc_mtc0(T0, C0_CAUSE, 0), enc_nop()));
	h_step_to(sim, H_VEC_INT, 10);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 4);
}

/* ------------------------------------------------------------ wait */

static void test_wait_resumes_on_timer_interrupt(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_COUNT, 0, 0);
	h_set_cp0(sim, C0_COMPARE, 0, 100);
	h_set_status(sim, SR_IE | SR_IM(7));
	h_prog(sim, PROG(enc_nop(), enc_wait(), enc_nop(), enc_nop()));
	h_step_to(sim, H_VEC_GEN, 1000);
	assert_int_equal(h_exc(sim), EXC_INT);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 8);
	assert_int_equal(h_cp0(sim, C0_COUNT, 0), 100);
	assert_true(h_cause(sim) & CR_TI);
}

static void test_wait_resumes_on_timer_free_running(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_COUNT, 0, 0);
	h_set_cp0(sim, C0_COMPARE, 0, 1000);
	h_set_status(sim, SR_IE | SR_IM(7));
	h_prog(sim, PROG(enc_wait(), enc_nop()));
	/* The wait skips ahead to the match: 2000 instruction times. */
	assert_int_equal(h_run(sim, 2010), VZSIM_STOP_BUDGET);
	assert_int_equal(h_exc(sim), EXC_INT);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 4);
	uint32_t pc = vzsim_pc(sim);
	assert_true(pc >= H_VEC_GEN && pc < H_VEC_GEN + 12);
}

static void test_wait_with_no_wakeup_deadlocks(void **state)
{
	vzsim *sim = *state;
	/* IM all clear. */
	uint32_t end = h_prog(sim, PROG(enc_nop()));
	assert_int_equal(h_run(sim, 1000), VZSIM_STOP_DEADLOCK);
	assert_int_equal(vzsim_pc(sim), end);
	assert_int_equal(h_insns(sim), 2);
	/* Software interrupt lines enabled but nothing pending and no timer. */
	h_setup(sim);
	h_set_status(sim, SR_IE | SR_IM(0) | SR_IM(1));
	end = h_prog(sim, PROG(enc_nop()));
	assert_int_equal(h_run(sim, 1000), VZSIM_STOP_DEADLOCK);
	assert_int_equal(vzsim_pc(sim), end);
}

static void test_wait_with_timer_stopped_deadlocks(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_CAUSE, 0, CR_DC);
	h_set_cp0(sim, C0_COMPARE, 0, 50);
	h_set_status(sim, SR_IE | SR_IM(7));
	uint32_t end = h_prog(sim, PROG(enc_nop()));
	assert_int_equal(h_run(sim, 100000), VZSIM_STOP_DEADLOCK);
	assert_int_equal(vzsim_pc(sim), end);
}

static void test_wait_deadlock_then_resume_after_host_change(void **state)
{
	vzsim *sim = *state;
	uint32_t end = h_prog(sim, PROG(enc_nop()));
	assert_int_equal(h_run(sim, 1000), VZSIM_STOP_DEADLOCK);
	/* The host raises a software interrupt and enables it: the CPU
	 * leaves the wait through the interrupt, EPC after the wait. */
	h_set_cp0(sim, C0_CAUSE, 0, CR_IP(0));
	h_set_status(sim, SR_IE | SR_IM(0));
	h_step_to(sim, H_VEC_GEN, 5);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), end);
}

static void test_wait_with_ie_clear_goes_on_after_wait(void **state)
{
	vzsim *sim = *state;
	/*
	 * docs/vzsim.md: wait idles until Cause.IP & Status.IM is non-zero,
	 * even with IE = 0, and then execution goes on after the wait
	 * without an exception.
	 */
	h_set_cp0(sim, C0_COUNT, 0, 0);
	h_set_cp0(sim, C0_COMPARE, 0, 50);
	h_set_status(sim, SR_IM(7));
	h_set_gpr(sim, S0, 0);
	/* The timer wakes the first wait; the second (IM7 masked) stops. */
	RUN(sim, enc_wait(), enc_addiu(S0, ZERO, 1), enc_mtc0(ZERO, C0_STATUS, 0),
	    enc_ehb());
	assert_int_equal(h_gpr(sim, S0), 1);
	assert_true(h_cp0(sim, C0_COUNT, 0) >= 50);
	assert_int_equal(h_cause(sim) & (31u << 2), 0);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), 0);
}

static void test_eret_into_user_mode_at_kseg0_is_adel(void **state)
{
	vzsim *sim = *state;
	h_set_status(sim, SR_KSU_USER | SR_EXL);
	h_set_cp0(sim, C0_EPC, 0, H_CODE + 0x40);
	h_prog(sim, PROG(enc_eret()));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_ADEL);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 0x40);
	assert_int_equal(h_cp0(sim, C0_BADVADDR, 0), H_CODE + 0x40);
	assert_int_equal(h_status(sim), SR_KSU_USER | SR_EXL);
}

static void test_badinstr_not_written_by_fetch_faults_or_interrupts(void **state)
{
	vzsim *sim = *state;
	/* docs/vzsim.md: BadInstr is not written for interrupts or fetch
	 * faults (there is no instruction word). */
	uint32_t sys = enc_syscall(0x55);
	h_prog(sim, PROG(sys));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_int_equal(h_cp0(sim, 8, 1), sys);
	/* Fetch refill. */
	h_set_status(sim, 0);
	h_set_gpr(sim, T0, 0x00700000u);
	h_prog(sim, PROG(enc_jr(T0), enc_nop()));
	h_run_to_stub(sim, H_VEC_REFILL);
	assert_exc(sim, EXC_TLBL);
	assert_int_equal(h_cp0(sim, 8, 1), sys);
	/* Interrupt. */
	h_set_status(sim, SR_IE | SR_IM(0));
	h_set_gpr(sim, T0, CR_IP(0));
	h_prog(sim, PROG(enc_mtc0(T0, C0_CAUSE, 0), enc_nop()));
	h_step_to(sim, H_VEC_GEN, 10);
	assert_exc(sim, EXC_INT);
	assert_int_equal(h_cp0(sim, 8, 1), sys);
}

/* An unaligned jump target right after the fetch page was dropped (an
 * ASID change in the delay slot flushes the soft TLB): pc - 1 is aligned
 * and below 4K, which once passed the "same fetch page" check against
 * the no-page marker and ran off a NULL page (crashme found it). */
static void test_unaligned_jump_after_fetch_flush(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, 0x00000105u);
	h_set_gpr(sim, T1, 0x00000005u);
	h_prog(sim, PROG(enc_jr(T0), enc_mtc0(T1, C0_ENTRYHI, 0)));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_ADEL);
	assert_int_equal(h_cp0(sim, C0_BADVADDR, 0), 0x00000105u);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), 0x00000105u);
}

struct ev_log {
	struct vzsim_insn_event ev[16];
	unsigned n;
};

static void log_sink(void *ctx, const struct vzsim_insn_event *ev)
{
	struct ev_log *l = ctx;
	if (l->n < 16)
		l->ev[l->n] = *ev;
	l->n++;
}

static void test_insn_events_report_mode_and_exceptions(void **state)
{
	vzsim *sim = *state;
	struct ev_log log = {0};
	h_set_cp0(sim, C0_ENTRYHI, 0, 0);
	uint32_t sys = h_user_prog(sim, SR_KSU_USER, PROG(enc_addiu(S0, ZERO, 1)));
	vzsim_set_insn_sink(sim, log_sink, &log);
	h_run_to_stub(sim, H_VEC_GEN);
	vzsim_set_insn_sink(sim, NULL, NULL);
	/* addiu (user), syscall (user, exc Sys), the stub's wait (kernel, exl). */
	assert_int_equal(log.n, 3);
	assert_int_equal(log.ev[0].pc, H_USER_VA);
	assert_int_equal(log.ev[0].word, enc_addiu(S0, ZERO, 1));
	assert_int_equal(log.ev[0].mode, VZSIM_MODE_USER);
	assert_int_equal(log.ev[0].exc, -1);
	assert_false(log.ev[0].exl);
	assert_int_equal(log.ev[1].pc, sys);
	assert_int_equal(log.ev[1].exc, EXC_SYS);
	assert_int_equal(log.ev[1].mode, VZSIM_MODE_USER);
	assert_int_equal(log.ev[2].pc, H_VEC_GEN);
	assert_int_equal(log.ev[2].mode, VZSIM_MODE_KERNEL);
	assert_true(log.ev[2].exl);
	assert_int_equal(log.ev[2].index, log.ev[0].index + 2);

	/* A faulting fetch is reported with word 0. */
	h_set_status(sim, 0);
	h_set_gpr(sim, T0, 0x00700000u);
	h_prog(sim, PROG(enc_jr(T0), enc_nop()));
	log.n = 0;
	vzsim_set_insn_sink(sim, log_sink, &log);
	h_run_to_stub(sim, H_VEC_REFILL);
	vzsim_set_insn_sink(sim, NULL, NULL);
	assert_int_equal(log.n, 4);
	assert_int_equal(log.ev[2].pc, 0x00700000u);
	assert_int_equal(log.ev[2].word, 0);
	assert_int_equal(log.ev[2].exc, EXC_TLBL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_syscall),
		T(test_break),
		T(test_exception_names),
		T(test_traps_taken_and_not),
		T(test_reserved_instructions),
		T(test_vz_instructions_reserved_without_vz),
		T(test_nested_exception_keeps_epc),
		T(test_nested_exception_keeps_bd),
		T(test_exception_with_erl_writes_epc),
		T(test_bev_general_vector),
		T(test_bev_refill_vector),
		T(test_bev_interrupt_vector_with_iv),
		T(test_ebase_relocates_vectors),
		T(test_ebase_interrupt_vector),
		T(test_eret_returns_to_epc_and_clears_exl),
		T(test_eret_with_erl_uses_errorepc),
		T(test_eret_to_user_mode_and_back),
		T(test_user_mode_segments),
		T(test_supervisor_mode_segments),
		T(test_kernel_mode_reaches_every_segment),
		T(test_user_fetch_from_kseg0_is_adel),
		T(test_software_interrupt_taken_after_mtc0),
		T(test_software_interrupt_ip1_free_running),
		T(test_pending_interrupt_taken_when_enabled),
		T(test_interrupt_masked_by_exl_erl_ie_im),
		T(test_timer_interrupt_on_ip7),
		T(test_timer_interrupt_free_running),
		T(test_timer_interrupt_masked_by_im7),
		T(test_interrupt_in_delay_slot_reports_branch),
		T(test_di_ei_return_old_status),
		T(test_vectored_interrupt_spacing),
		T(test_vectored_timer_has_priority),
		T(test_non_vectored_when_vs_zero),
		T(test_wait_resumes_on_timer_interrupt),
		T(test_wait_resumes_on_timer_free_running),
		T(test_wait_with_no_wakeup_deadlocks),
		T(test_wait_with_timer_stopped_deadlocks),
		T(test_wait_deadlock_then_resume_after_host_change),
		T(test_wait_with_ie_clear_goes_on_after_wait),
		T(test_eret_into_user_mode_at_kseg0_is_adel),
		T(test_badinstr_not_written_by_fetch_faults_or_interrupts),
		T(test_unaligned_jump_after_fetch_flush),
		T(test_insn_events_report_mode_and_exceptions),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
