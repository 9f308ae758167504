/*
 * Branches and jumps: every conditional branch taken and not taken, the
 * delay slot, branch-likely nullification, link values, jr/jalr, the j/jal
 * 256 MB region, and exceptions raised in a delay slot.
 *
 * Architecture facts used (MIPS32 Vol. II and PRA):
 * - The delay slot of a branch or jump always executes, whether or not the
 *   branch is taken; a branch-likely that is not taken nullifies its slot.
 * - Branch targets are relative to the delay slot: pc + 4 + (offset << 2).
 * - BLTZAL/BGEZAL/BLTZALL/BGEZALL and JAL/JALR write pc + 8 to the link
 *   register whether or not the branch is taken.
 * - J/JAL take bits 31:28 of the target from the delay slot's address.
 * - An exception in a delay slot sets Cause.BD and EPC to the branch;
 *   BadInstr holds the slot's word and BadInstrP the branch's.
 */
#include "sim_harness.h"

#define RUN(sim, ...) h_run_to_end((sim), h_prog((sim), PROG(__VA_ARGS__)))

/*
 * The shape every conditional-branch case runs:
 *   0: branch  +2          (to 3)
 *   1: addiu s0, zero, 1   delay slot
 *   2: addiu s1, zero, 1   fall-through only
 *   3: addiu s2, zero, 1   target, and where fall-through ends up too
 */
struct bcase {
	const char *name;
	uint32_t word;
	uint32_t t0, t1;
	bool taken, likely, link;
};

static void run_bcase(vzsim *sim, const struct bcase *c)
{
	h_setup(sim);
	h_set_gpr(sim, T0, c->t0);
	h_set_gpr(sim, T1, c->t1);
	h_set_gpr(sim, S0, 0);
	h_set_gpr(sim, S1, 0);
	h_set_gpr(sim, S2, 0);
	h_set_gpr(sim, RA, 0xdead0000u);
	uint32_t end = h_prog(sim, PROG(c->word, enc_addiu(S0, ZERO, 1),
					enc_addiu(S1, ZERO, 1), enc_addiu(S2, ZERO, 1)));
	enum vzsim_stop s = h_run(sim, 1000);
	if (s != VZSIM_STOP_DEADLOCK || vzsim_pc(sim) != end)
		fail_msg("%s: did not run to its end (pc 0x%08x, Cause 0x%08x)", c->name,
			 vzsim_pc(sim), h_cause(sim));
	uint32_t slot = (c->likely && !c->taken) ? 0 : 1;
	uint32_t fall = c->taken ? 0 : 1;
	if (h_gpr(sim, S0) != slot)
		fail_msg("%s: delay slot executed=%u, expected %u", c->name,
			 h_gpr(sim, S0), slot);
	if (h_gpr(sim, S1) != fall)
		fail_msg("%s: fall-through executed=%u, expected %u (taken=%d)",
			 c->name, h_gpr(sim, S1), fall, c->taken);
	if (h_gpr(sim, S2) != 1)
		fail_msg("%s: target not executed", c->name);
	uint32_t ra = c->link ? H_CODE + 8 : 0xdead0000u;
	if (h_gpr(sim, RA) != ra)
		fail_msg("%s: ra 0x%08x, expected 0x%08x", c->name, h_gpr(sim, RA), ra);
}

#define NEG 0xfffffff0u
#define POS 0x00000010u

static void test_conditional_branches_taken_and_not(void **state)
{
	vzsim *sim = *state;
	const struct bcase cases[] = {
		{"beq equal", enc_beq(T0, T1, 2), 5, 5, true, false, false},
		{"beq differ", enc_beq(T0, T1, 2), 5, 6, false, false, false},
		{"beq zero,zero", enc_beq(ZERO, ZERO, 2), 1, 2, true, false, false},
		{"bne differ", enc_bne(T0, T1, 2), 5, 6, true, false, false},
		{"bne equal", enc_bne(T0, T1, 2), 7, 7, false, false, false},
		{"blez neg", enc_blez(T0, 2), NEG, 0, true, false, false},
		{"blez zero", enc_blez(T0, 2), 0, 0, true, false, false},
		{"blez pos", enc_blez(T0, 2), POS, 0, false, false, false},
		{"bgtz pos", enc_bgtz(T0, 2), POS, 0, true, false, false},
		{"bgtz zero", enc_bgtz(T0, 2), 0, 0, false, false, false},
		{"bgtz neg", enc_bgtz(T0, 2), NEG, 0, false, false, false},
		{"bgtz int_min", enc_bgtz(T0, 2), 0x80000000u, 0, false, false, false},
		{"bltz neg", enc_bltz(T0, 2), NEG, 0, true, false, false},
		{"bltz zero", enc_bltz(T0, 2), 0, 0, false, false, false},
		{"bltz pos", enc_bltz(T0, 2), POS, 0, false, false, false},
		{"bgez pos", enc_bgez(T0, 2), POS, 0, true, false, false},
		{"bgez zero", enc_bgez(T0, 2), 0, 0, true, false, false},
		{"bgez neg", enc_bgez(T0, 2), NEG, 0, false, false, false},
		{"bltzal neg", enc_bltzal(T0, 2), NEG, 0, true, false, true},
		{"bltzal pos", enc_bltzal(T0, 2), POS, 0, false, false, true},
		{"bgezal zero", enc_bgezal(T0, 2), 0, 0, true, false, true},
		{"bgezal neg", enc_bgezal(T0, 2), NEG, 0, false, false, true},
		{"beql equal", enc_beql(T0, T1, 2), 3, 3, true, true, false},
		{"beql differ", enc_beql(T0, T1, 2), 3, 4, false, true, false},
		{"bnel differ", enc_bnel(T0, T1, 2), 3, 4, true, true, false},
		{"bnel equal", enc_bnel(T0, T1, 2), 3, 3, false, true, false},
		{"blezl zero", enc_blezl(T0, 2), 0, 0, true, true, false},
		{"blezl pos", enc_blezl(T0, 2), POS, 0, false, true, false},
		{"bgtzl pos", enc_bgtzl(T0, 2), POS, 0, true, true, false},
		{"bgtzl zero", enc_bgtzl(T0, 2), 0, 0, false, true, false},
		{"bltzl neg", enc_bltzl(T0, 2), NEG, 0, true, true, false},
		{"bltzl zero", enc_bltzl(T0, 2), 0, 0, false, true, false},
		{"bgezl zero", enc_bgezl(T0, 2), 0, 0, true, true, false},
		{"bgezl neg", enc_bgezl(T0, 2), NEG, 0, false, true, false},
		{"bltzall neg", enc_bltzall(T0, 2), NEG, 0, true, true, true},
		{"bltzall pos", enc_bltzall(T0, 2), POS, 0, false, true, true},
		{"bgezall pos", enc_bgezall(T0, 2), POS, 0, true, true, true},
		{"bgezall neg", enc_bgezall(T0, 2), NEG, 0, false, true, true},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		run_bcase(sim, &cases[i]);
}

static void test_branch_likely_not_taken_skips_slot_side_effects(void **state)
{
	vzsim *sim = *state;
	/* A nullified store must not reach memory. */
	h_write32(sim, H_DATA, 0x11111111u);
	h_set_gpr(sim, T0, 1);
	h_set_gpr(sim, T2, H_DATA);
	h_set_gpr(sim, T3, 0x22222222u);
	RUN(sim, enc_beql(T0, ZERO, 2), enc_sw(T3, 0, T2), enc_nop(), enc_nop());
	assert_int_equal(h_read32(sim, H_DATA), 0x11111111u);
}

static void test_branch_likely_nullified_slot_cannot_fault(void **state)
{
	vzsim *sim = *state;
	/* The slot would raise Ov if it executed. */
	h_set_gpr(sim, T0, 1);
	h_set_gpr(sim, T1, 0x7fffffffu);
	RUN(sim, enc_bnel(T0, T0, 2), enc_add(T2, T1, T1), enc_nop(), enc_nop());
	assert_int_equal(h_cause(sim) & (31u << 2), 0);
}

static void test_branch_condition_read_before_slot(void **state)
{
	vzsim *sim = *state;
	/* The slot changes the compared register: the branch already decided. */
	h_set_gpr(sim, T0, 0);
	h_set_gpr(sim, S1, 0);
	RUN(sim, enc_beq(T0, ZERO, 2), enc_addiu(T0, ZERO, 9),
	    enc_addiu(S1, ZERO, 1), enc_nop());
	assert_int_equal(h_gpr(sim, T0), 9);
	assert_int_equal(h_gpr(sim, S1), 0);
}

static void test_backward_branch_loop(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, 5);
	h_set_gpr(sim, S0, 0);
	RUN(sim, enc_addiu(T0, T0, -1),     /* 0: loop */
	    enc_bne(T0, ZERO, -2),          /* 1: to 0 */
	    enc_addiu(S0, S0, 1));          /* 2: slot, 5 times */
	assert_int_equal(h_gpr(sim, T0), 0);
	assert_int_equal(h_gpr(sim, S0), 5);
	assert_int_equal(h_insns(sim), 16); /* 5 * 3 + wait */
}

static void test_branch_instruction_counts(void **state)
{
	vzsim *sim = *state;
	/* Taken: branch, slot, target, wait. */
	RUN(sim, enc_b(2), enc_nop(), enc_nop(), enc_nop());
	assert_int_equal(h_insns(sim), 4);
}

/* ------------------------------------------------------------ links */

static void test_bal_link_and_slot_sees_ra(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, S0, 0);
	RUN(sim, enc_nop(), enc_bgezal(ZERO, 2), enc_move(S0, RA), enc_nop(), enc_nop());
	assert_int_equal(h_gpr(sim, RA), H_CODE + 12);
	assert_int_equal(h_gpr(sim, S0), H_CODE + 12);
}

static void test_jal_target_and_link(void **state)
{
	vzsim *sim = *state;
	/* 0: jal 5; 1: slot; 2..4 skipped; 5: target. */
	h_set_gpr(sim, S1, 0);
	RUN(sim, enc_jal(H_CODE + 20), enc_addiu(S0, ZERO, 1),
	    enc_addiu(S1, ZERO, 1), enc_nop(), enc_nop(), enc_addiu(S2, ZERO, 1));
	assert_int_equal(h_gpr(sim, RA), H_CODE + 8);
	assert_int_equal(h_gpr(sim, S0), 1);
	assert_int_equal(h_gpr(sim, S1), 0);
	assert_int_equal(h_gpr(sim, S2), 1);
}

static void test_j_target_in_kseg0_region(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, RA, 0x1234u);
	h_set_gpr(sim, S1, 0);
	RUN(sim, enc_j(H_CODE + 12), enc_nop(), enc_addiu(S1, ZERO, 1), enc_nop());
	assert_int_equal(h_gpr(sim, S1), 0);
	assert_int_equal(h_gpr(sim, RA), 0x1234u); /* j does not link */
}

static void test_j_region_comes_from_delay_slot(void **state)
{
	vzsim *sim = *state;
	/*
	 * j at 0x0ffffffc: its slot is at 0x10000000, so the target's top
	 * bits are 0x1 (0x10000040), not 0x0 (0x00000040, unmapped).
	 * Entry 0 maps the odd page 0x0ffff000 -> 0x00200000,
	 * entry 1 the even page 0x10000000 -> 0x00201000.
	 */
	h_tlbwi(sim, 0, 0x0fffe000u, 0, LO_RAM(0x00200000u), PM_4K);
	h_tlbwi(sim, 1, 0x10000000u, LO_RAM(0x00201000u), 0, PM_4K);
	h_write32(sim, 0x80200ffcu, enc_j(0x10000040u));
	h_write32(sim, 0x80201000u, enc_addiu(S0, ZERO, 1)); /* slot */
	h_write32(sim, 0x80201004u, enc_addiu(S1, ZERO, 1)); /* skipped */
	h_prog_at(sim, 0x80201040u, PROG(enc_addiu(S2, ZERO, 1)));
	vzsim_set_pc(sim, 0x0ffffffcu);
	h_set_gpr(sim, S0, 0);
	h_set_gpr(sim, S1, 0);
	h_set_gpr(sim, S2, 0);
	h_run_to_end(sim, 0x10000048u);
	assert_int_equal(h_gpr(sim, S0), 1);
	assert_int_equal(h_gpr(sim, S1), 0);
	assert_int_equal(h_gpr(sim, S2), 1);
}

static void test_jr_and_jr_hb(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, H_CODE + 16);
	h_set_gpr(sim, T1, H_CODE + 28);
	h_set_gpr(sim, S1, 0);
	h_set_gpr(sim, S3, 0);
	RUN(sim, enc_jr(T0), enc_addiu(S0, ZERO, 1),      /* 0,1 */
	    enc_addiu(S1, ZERO, 1), enc_nop(),            /* 2,3 skipped */
	    enc_jr_hb(T1), enc_addiu(S2, ZERO, 1),        /* 4,5 */
	    enc_addiu(S3, ZERO, 1));                      /* 6 skipped; 7 = wait */
	assert_int_equal(h_gpr(sim, S0), 1);
	assert_int_equal(h_gpr(sim, S1), 0);
	assert_int_equal(h_gpr(sim, S2), 1);
	assert_int_equal(h_gpr(sim, S3), 0);
}

static void test_jalr_link_register_choice(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, H_CODE + 12);
	h_set_gpr(sim, T1, H_CODE + 24);
	h_set_gpr(sim, RA, 0);
	RUN(sim, enc_jalr(RA, T0), enc_nop(), enc_nop(),   /* 0..2; to 3 */
	    enc_jalr(T5, T1), enc_nop(), enc_nop(),        /* 3..5; to 6 */
	    enc_nop());
	assert_int_equal(h_gpr(sim, RA), H_CODE + 8);
	assert_int_equal(h_gpr(sim, T5), H_CODE + 20);
}

static void test_jalr_hb_links(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, H_CODE + 12);
	RUN(sim, enc_jalr_hb(T6, T0), enc_nop(), enc_nop());
	assert_int_equal(h_gpr(sim, T6), H_CODE + 8);
}

static void test_jalr_rd_equals_rs_jumps_to_old_value(void **state)
{
	vzsim *sim = *state;
	/* UNPREDICTABLE in the architecture; vzsim reads rs first (exec.c). */
	h_set_gpr(sim, T0, H_CODE + 16);
	h_set_gpr(sim, S1, 0);
	RUN(sim, enc_jalr(T0, T0), enc_nop(), enc_addiu(S1, ZERO, 1), enc_nop());
	assert_int_equal(h_gpr(sim, T0), H_CODE + 8);
	assert_int_equal(h_gpr(sim, S1), 0);
}

static void test_jalr_rd_zero_does_not_link(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, H_CODE + 12);
	RUN(sim, enc_jalr(ZERO, T0), enc_nop(), enc_nop());
	assert_int_equal(h_gpr(sim, ZERO), 0);
}

/* ------------------------------------------------------------ exceptions in slots */

static void test_exception_in_taken_branch_slot(void **state)
{
	vzsim *sim = *state;
	uint32_t br = enc_beq(ZERO, ZERO, 2);
	uint32_t slot = enc_add(T2, T1, T1);
	h_set_gpr(sim, T1, 0x7fffffffu);
	h_set_gpr(sim, T2, 0x5555u);
	h_prog(sim, PROG(enc_nop(), br, slot, enc_nop(), enc_nop()));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_OV);
	assert_true(h_cause(sim) & CR_BD);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 4);
	assert_int_equal(h_cp0(sim, 8, 1), slot); /* BadInstr */
	assert_int_equal(h_cp0(sim, 8, 2), br);   /* BadInstrP */
	assert_int_equal(h_gpr(sim, T2), 0x5555u);
}

static void test_exception_in_not_taken_branch_slot(void **state)
{
	vzsim *sim = *state;
	uint32_t br = enc_bne(ZERO, ZERO, 2);
	uint32_t slot = enc_syscall(0);
	h_prog(sim, PROG(br, slot, enc_nop(), enc_nop()));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_SYS);
	assert_true(h_cause(sim) & CR_BD);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE);
	assert_int_equal(h_cp0(sim, 8, 1), slot);
	assert_int_equal(h_cp0(sim, 8, 2), br);
}

static void test_exception_in_jr_slot(void **state)
{
	vzsim *sim = *state;
	uint32_t br = enc_jr(T0);
	uint32_t slot = enc_lw(T1, 2, T3); /* misaligned: AdEL */
	h_set_gpr(sim, T0, H_CODE + 16);
	h_set_gpr(sim, T3, H_DATA);
	h_prog(sim, PROG(enc_nop(), enc_nop(), br, slot, enc_nop()));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_ADEL);
	assert_true(h_cause(sim) & CR_BD);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 8);
	assert_int_equal(h_cp0(sim, C0_BADVADDR, 0), H_DATA + 2);
	assert_int_equal(h_cp0(sim, 8, 1), slot);
	assert_int_equal(h_cp0(sim, 8, 2), br);
}

static void test_exception_in_jal_slot_keeps_link(void **state)
{
	vzsim *sim = *state;
	/* The jal completed before its slot faulted: ra is written. */
	h_set_gpr(sim, RA, 0);
	h_prog(sim, PROG(enc_jal(H_CODE + 16), enc_break(0), enc_nop(), enc_nop(), enc_nop()));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_BP);
	assert_true(h_cause(sim) & CR_BD);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE);
	assert_int_equal(h_gpr(sim, RA), H_CODE + 8);
}

static void test_exception_in_branch_likely_taken_slot(void **state)
{
	vzsim *sim = *state;
	uint32_t br = enc_beql(ZERO, ZERO, 2);
	h_prog(sim, PROG(br, enc_syscall(0), enc_nop(), enc_nop()));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_SYS);
	assert_true(h_cause(sim) & CR_BD);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE);
	assert_int_equal(h_cp0(sim, 8, 2), br);
}

static void test_bd_cleared_by_later_exception_outside_slot(void **state)
{
	vzsim *sim = *state;
	h_prog(sim, PROG(enc_b(1), enc_syscall(0), enc_nop()));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_true(h_cause(sim) & CR_BD);
	/* Leave the handler state and fault again, outside a slot. */
	h_set_status(sim, 0);
	h_prog(sim, PROG(enc_nop(), enc_syscall(0)));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_SYS);
	assert_int_equal(h_cause(sim) & CR_BD, 0);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 4);
	assert_int_equal(h_cp0(sim, 8, 1), enc_syscall(0));
}

static void test_refill_in_slot_sets_bd(void **state)
{
	vzsim *sim = *state;
	/* kuseg is mapped (ERL clear) and the TLB is empty: refill. */
	h_set_gpr(sim, T3, 0x00001000u);
	h_prog(sim, PROG(enc_b(1), enc_lw(T1, 0, T3), enc_nop()));
	h_run_to_stub(sim, H_VEC_REFILL);
	assert_exc(sim, EXC_TLBL);
	assert_true(h_cause(sim) & CR_BD);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE);
	assert_int_equal(h_cp0(sim, C0_BADVADDR, 0), 0x00001000u);
}

static void test_eret_to_branch_reexecutes_it(void **state)
{
	vzsim *sim = *state;
	/*
	 * A handler at the general vector that counts in s7 and, the first
	 * time, returns to EPC (the branch).  The slot raises a trap only
	 * while s6 == 0; the handler sets s6 = 1, so on re-execution the
	 * branch runs again, then its slot, then the target.
	 */
	const uint32_t handler[] = {
		enc_addiu(S7, S7, 1),
		enc_addiu(S6, ZERO, 1),
		enc_eret(),
		enc_nop(),
	};
	h_load(sim, H_VEC_GEN, handler, 4);
	h_set_gpr(sim, S5, 0);
	h_set_gpr(sim, S6, 0);
	h_set_gpr(sim, S7, 0);
	RUN(sim, enc_addiu(S5, S5, 1),   /* 0: runs once */
	    enc_b(2),                    /* 1: branch, re-executed */
	    enc_teq(S6, ZERO),           /* 2: slot traps the first time */
	    enc_nop(),                   /* 3: skipped */
	    enc_nop());                  /* 4: target */
	assert_int_equal(h_gpr(sim, S5), 1);
	assert_int_equal(h_gpr(sim, S7), 1);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 4);
	assert_true(h_cause(sim) & CR_BD);
	assert_int_equal(h_status(sim) & SR_EXL, 0);
}

static void test_branch_in_delay_slot_documented_choice(void **state)
{
	vzsim *sim = *state;
	/*
	 * UNPREDICTABLE in the architecture; vzsim documents that the first
	 * branch's target becomes the second branch's delay slot.
	 */
	h_set_gpr(sim, S0, 0);
	h_set_gpr(sim, S1, 0);
	h_set_gpr(sim, S2, 0);
	h_set_gpr(sim, S3, 0);
	RUN(sim, enc_b(3),                 /* 0: to 4 */
	    enc_b(5),                      /* 1: its slot, to 7 */
	    enc_addiu(S0, ZERO, 1),        /* 2 */
	    enc_nop(),                     /* 3 */
	    enc_addiu(S1, ZERO, 1),        /* 4: slot of the second */
	    enc_addiu(S2, ZERO, 1),        /* 5 */
	    enc_nop(),                     /* 6 */
	    enc_addiu(S3, ZERO, 1));       /* 7 */
	assert_int_equal(h_gpr(sim, S0), 0);
	assert_int_equal(h_gpr(sim, S1), 1);
	assert_int_equal(h_gpr(sim, S2), 0);
	assert_int_equal(h_gpr(sim, S3), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_conditional_branches_taken_and_not),
		T(test_branch_likely_not_taken_skips_slot_side_effects),
		T(test_branch_likely_nullified_slot_cannot_fault),
		T(test_branch_condition_read_before_slot),
		T(test_backward_branch_loop),
		T(test_branch_instruction_counts),
		T(test_bal_link_and_slot_sees_ra),
		T(test_jal_target_and_link),
		T(test_j_target_in_kseg0_region),
		T(test_j_region_comes_from_delay_slot),
		T(test_jr_and_jr_hb),
		T(test_jalr_link_register_choice),
		T(test_jalr_hb_links),
		T(test_jalr_rd_equals_rs_jumps_to_old_value),
		T(test_jalr_rd_zero_does_not_link),
		T(test_exception_in_taken_branch_slot),
		T(test_exception_in_not_taken_branch_slot),
		T(test_exception_in_jr_slot),
		T(test_exception_in_jal_slot_keeps_link),
		T(test_exception_in_branch_likely_taken_slot),
		T(test_bd_cleared_by_later_exception_outside_slot),
		T(test_refill_in_slot_sets_bd),
		T(test_eret_to_branch_reexecutes_it),
		T(test_branch_in_delay_slot_documented_choice),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
