/*
 * The Virtualization ASE (VZ), outside the TLB (test_vz_tlb.c): the root
 * VZ registers, entering a guest, the guest exits (GPSI, GSFC, HC, GRR) and
 * what they leave in root CP0, guest exceptions delivered to the guest's
 * own vectors, MFGC0/MTGC0, two-stage translation and second-stage faults,
 * the guest timer, virtual interrupt injection, root interrupts while a
 * guest runs, and the guest fields of instruction events and statistics.
 *
 * The contract is vzsim's VZ specification (docs/vzsim.md, "Virtualization
 * (VZ)"); architecture facts from the VZ instruction pages and the MIPS32
 * PRA:
 * - The CPU is in guest mode when GuestCtl0.GM = 1 and root Status.EXL =
 *   ERL = 0; a hypervisor enters a guest by eret from an exception context
 *   with GM set, and the guest starts at root EPC.
 * - A guest exit is a root exception with Cause.ExcCode 27 and the reason
 *   in GuestCtl0.GExcCode; root EPC, Cause.BD, BadInstr and BadInstrP are
 *   written as for any root exception, EXL is set (root mode, GM stays 1),
 *   the vector is root EBase + 0x180, and guest CP0 is not touched.
 * - Exceptions a guest handles itself are delivered through guest EBase
 *   with guest EPC/Cause/BadVAddr/Status.EXL, exactly as on bare metal.
 * - A second-stage (GPA -> PA) fault is a root TLBL/TLBS/Mod with root
 *   BadVAddr = the GPA and GExcCode = GPA (10); a miss uses the refill
 *   vector (+0x000) since root EXL was 0.
 * - Guest Count = root Count + GTOffset; GuestCtl2.VIP[15:10] show in guest
 *   Cause.IP7..IP2.
 */
#include "vz_harness.h"

static int setup(void **state)
{
	*state = vz_board();
	return 0;
}

static int teardown(void **state)
{
	h_free(*state);
	return 0;
}

/* A guest program of guest 1 that must run to its end. */
#define GRUN(sim, ...) vz_run_to_end((sim), vz_gprog((sim), PROG(__VA_ARGS__)))
/* A root program that must run to its end. */
#define RUN(sim, ...) h_run_to_end((sim), h_prog((sim), PROG(__VA_ARGS__)))

static uint32_t nops[256];

/* ------------------------------------------------------------ configuration */

static void test_config3_vz_and_guest_config(void **state)
{
	vzsim *sim = *state;
	uint32_t c3 = h_cp0(sim, C0_CONFIG, 3);
	assert_true(c3 & CONFIG3_VZ);
	/* Guest configuration = root's, except VZ (and the root-only trace
	 * unit's TL) and the TLB size. */
	assert_int_equal(g_cp0(sim, C0_CONFIG, 3), GUEST_CONFIG3(c3));
	assert_int_equal(g_cp0(sim, C0_PRID, 0), h_cp0(sim, C0_PRID, 0));
	assert_int_equal(g_cp0(sim, C0_CONFIG, 0), h_cp0(sim, C0_CONFIG, 0));
	assert_int_equal(g_cp0(sim, C0_CONFIG, 2), h_cp0(sim, C0_CONFIG, 2));
	assert_int_equal(g_cp0(sim, C0_CONFIG, 5), h_cp0(sim, C0_CONFIG, 5));
	/* Default guest-tlb-entries 32: MMUSize-1 = 31, no MMUSizeExt. */
	uint32_t c1 = h_cp0(sim, C0_CONFIG, 1);
	assert_int_equal(g_cp0(sim, C0_CONFIG, 1), (c1 & ~(63u << 25)) | (31u << 25));
	assert_int_equal(g_cp0(sim, C0_CONFIG, 4), h_cp0(sim, C0_CONFIG, 4) & ~0xffu);
}

static void test_guest_reset_values(void **state)
{
	(void)state;
	vzsim *sim = h_board(); /* vzsim_reset only, no vz_setup */
	assert_false(vzsim_in_guest(sim));
	assert_int_equal(g_cp0(sim, C0_STATUS, 0), SR_ERL | SR_BEV);
	assert_int_equal(g_cp0(sim, C0_PRID, 1), 0x80000000u); /* EBase */
	assert_int_equal(g_cp0(sim, C0_STATUS, 1), 0xe0000000u); /* IntCtl IPTI 7 */
	assert_int_equal(g_cp0(sim, C0_CONTEXT, 1), 0x007ffff0u); /* ContextConfig */
	assert_int_equal(g_cp0(sim, C0_WIRED, 0), 0);
	h_free(sim);
}

static void test_root_vz_registers_reset_values(void **state)
{
	(void)state;
	vzsim *sim = h_board();
	assert_int_equal(vz_rd(sim, R_GUESTCTL0), GC0_RESET);
	assert_int_equal(vz_rd(sim, R_GUESTCTL0EXT), 0);
	assert_int_equal(vz_rd(sim, R_GUESTCTL1), 0);
	assert_int_equal(vz_rd(sim, R_GUESTCTL2), 0);
	assert_int_equal(vz_rd(sim, R_GTOFFSET), 0);
	/* The same through mfc0 in a root program (the (reg, sel) decode). */
	for (unsigned r = S0; r <= S4; r++)
		h_set_gpr(sim, r, 0x5a5a5a5au);
	RUN(sim, enc_mfc0(S0, R_GUESTCTL0), enc_mfc0(S1, R_GUESTCTL0EXT),
	    enc_mfc0(S2, R_GUESTCTL1), enc_mfc0(S3, R_GUESTCTL2),
	    enc_mfc0(S4, R_GTOFFSET));
	assert_int_equal(h_gpr(sim, S0), GC0_RESET);
	assert_int_equal(h_gpr(sim, S1), 0);
	assert_int_equal(h_gpr(sim, S2), 0);
	assert_int_equal(h_gpr(sim, S3), 0);
	assert_int_equal(h_gpr(sim, S4), 0);
	h_free(sim);
}

static void test_root_vz_registers_writable_fields(void **state)
{
	(void)state;
	vzsim *sim = h_board();
	/* EXL so that GM = 1 does not put the CPU in guest mode. */
	h_set_status(sim, SR_EXL);
	/* GM RI MC CP0 GT CG CF writable; AT = 3, G1, G0E, G2 read-only ones;
	 * GExcCode, PIP, RAD, DRG and the rest read-only zero. */
	vz_wr(sim, R_GUESTCTL0, 0xffffffffu);
	assert_int_equal(vz_rd(sim, R_GUESTCTL0), 0xffc80080u);
	vz_wr(sim, R_GUESTCTL0, 0);
	assert_int_equal(vz_rd(sim, R_GUESTCTL0), GC0_RESET);
	vz_wr(sim, R_GUESTCTL0EXT, 0xffffffffu);
	assert_int_equal(vz_rd(sim, R_GUESTCTL0EXT), GC0E_CGI | GC0E_FCD);
	vz_wr(sim, R_GUESTCTL0EXT, 0);
	assert_int_equal(vz_rd(sim, R_GUESTCTL0EXT), 0);
	vz_wr(sim, R_GUESTCTL1, 0xffffffffu);
	assert_int_equal(vz_rd(sim, R_GUESTCTL1), 0xffff00ffu);
	vz_wr(sim, R_GUESTCTL2, 0xffffffffu);
	assert_int_equal(vz_rd(sim, R_GUESTCTL2), 0x3f00fc00u);
	vz_wr(sim, R_GUESTCTL2, 0);
	vz_wr(sim, R_GTOFFSET, 0xffffffffu);
	assert_int_equal(vz_rd(sim, R_GTOFFSET), 0xffffffffu);
	/* And through mtc0/mfc0 in a root program. */
	h_set_status(sim, 0);
	h_set_gpr(sim, T0, 0x12345678u);
	h_set_gpr(sim, T1, 0x0a0b0c0du);
	RUN(sim, enc_mtc0(T0, R_GTOFFSET), enc_mtc0(T1, R_GUESTCTL1), enc_ehb(),
	    enc_mfc0(S0, R_GTOFFSET), enc_mfc0(S1, R_GUESTCTL1));
	assert_int_equal(h_gpr(sim, S0), 0x12345678u);
	assert_int_equal(h_gpr(sim, S1), 0x0a0b000du);
	h_free(sim);
}

/* ------------------------------------------------------------ guest mode */

static void test_guest_mode_predicate(void **state)
{
	vzsim *sim = *state;
	h_set_status(sim, SR_EXL);
	vz_wr(sim, R_GUESTCTL0, GC0_CP0 | GC0_GM);
	assert_false(vzsim_in_guest(sim)); /* GM, but EXL */
	h_set_status(sim, 0);
	assert_true(vzsim_in_guest(sim));
	h_set_status(sim, SR_ERL);
	assert_false(vzsim_in_guest(sim)); /* GM, but ERL */
	h_set_status(sim, SR_EXL | SR_ERL);
	assert_false(vzsim_in_guest(sim));
	vz_wr(sim, R_GUESTCTL0, GC0_CP0);
	h_set_status(sim, 0);
	assert_false(vzsim_in_guest(sim)); /* no GM */
}

static void test_eret_enters_guest_at_root_epc(void **state)
{
	vzsim *sim = *state;
	g_write32(sim, 1, G_DATA + 8, 0x600dcafeu);
	h_set_gpr(sim, S0, 0);
	h_set_gpr(sim, S1, 0);
	h_set_gpr(sim, T0, 0x11223344u);
	uint32_t end = vz_gprog(sim, PROG(enc_addiu(S0, ZERO, 0x1234),
					  ENC_LI(T1, G_DATA), enc_lw(S1, 8, T1),
					  enc_sw(T0, 12, T1)));
	assert_false(vzsim_in_guest(sim));
	assert_int_equal(h_run(sim, 1), VZSIM_STOP_BUDGET); /* the eret */
	assert_true(vzsim_in_guest(sim));
	assert_int_equal(vzsim_pc(sim), G_CODE);
	assert_int_equal(h_status(sim) & SR_EXL, 0);
	assert_true(vz_rd(sim, R_GUESTCTL0) & GC0_GM);
	vz_run_to_end(sim, end);
	/* GPRs are shared with root; guest kseg0 reaches its memory through
	 * the stage-2 entry of GuestID 1. */
	assert_int_equal(h_gpr(sim, S0), 0x1234);
	assert_int_equal(h_gpr(sim, S1), 0x600dcafeu);
	assert_int_equal(h_read32(sim, 0x80000000u | (G1_PA + 0x10000cu)), 0x11223344u);
	/* Root's own memory at the same physical offset is not what it saw. */
	assert_int_equal(h_read32(sim, H_DATA + 12), 0);
}

static void test_guest_kseg1_is_the_same_gpa(void **state)
{
	vzsim *sim = *state;
	g_write32(sim, 1, G_DATA + 0x20, 0x0badf00du);
	h_set_gpr(sim, T2, 0x5566u);
	GRUN(sim, ENC_LI(T0, 0xa0100020u), enc_lw(S0, 0, T0), enc_sw(T2, 4, T0));
	assert_int_equal(h_gpr(sim, S0), 0x0badf00du);
	assert_int_equal(g_read32(sim, 1, G_DATA + 0x24), 0x5566u);
}

/* ------------------------------------------------------------ exits: GPSI */

/*
 * Runs `word` as the second instruction of a guest program (t0 = G_DATA,
 * t1 = 0x5555aaaa) and expects a guest exit gexc there, with BadInstr, no
 * BD, the guest's CP0 left alone and t0/t1 unchanged.
 */
static void expect_exit_on(vzsim *sim, uint32_t word, unsigned gexc)
{
	g_set_cp0(sim, C0_EPC, 0, 0x80abc000u);
	g_set_cp0(sim, C0_STATUS, 0, SR_IM(3));
	g_set_cp0(sim, C0_ENTRYHI, 0, 0x00402021u);
	uint32_t gcause = g_cp0(sim, C0_CAUSE, 0);
	h_set_gpr(sim, T0, G_DATA);
	h_set_gpr(sim, T1, 0x5555aaaau);
	vz_gprog(sim, PROG(enc_nop(), word, enc_nop()));
	uint32_t before = vz_rd(sim, R_GUESTCTL0) & ~(31u << 2);
	vz_run_to_exit_word(sim, gexc, G_CODE + 4, word);
	if (vz_rd(sim, R_BADINSTR) != word)
		fail_msg("0x%08x: BadInstr 0x%08x", word, vz_rd(sim, R_BADINSTR));
	assert_int_equal(h_cause(sim) & CR_BD, 0);
	/* GuestCtl0 changed only in GExcCode. */
	assert_int_equal(vz_rd(sim, R_GUESTCTL0) & ~(31u << 2), before);
	assert_int_equal(g_cp0(sim, C0_EPC, 0), 0x80abc000u);
	assert_int_equal(g_cp0(sim, C0_STATUS, 0), SR_IM(3));
	assert_int_equal(g_cp0(sim, C0_ENTRYHI, 0), 0x00402021u);
	assert_int_equal(g_cp0(sim, C0_CAUSE, 0), gcause);
	assert_int_equal(h_gpr(sim, T0), G_DATA);
	assert_int_equal(h_gpr(sim, T1), 0x5555aaaau);
}

static void expect_no_exit_on(vzsim *sim, uint32_t word)
{
	h_set_gpr(sim, T0, G_DATA);
	uint32_t end = vz_gprog(sim, PROG(enc_nop(), word, enc_nop()));
	vz_run_to_end(sim, end);
}

static void test_gpsi_every_cp0_instruction_without_cp0(void **state)
{
	vzsim *sim = *state;
	const uint32_t words[] = {
		enc_mfc0(T1, C0_STATUS, 0), enc_mtc0(T1, C0_EPC, 0),
		enc_mfc0(T1, C0_EPC, 0), enc_mtc0(T1, 31, 2) /* KScratch1 */,
		enc_tlbp(), enc_tlbr(), enc_tlbwi(), enc_tlbwr(), enc_eret(),
		enc_di(T1), enc_ei(T1), enc_wait(),
		enc_rdpgpr(T1, T0), enc_wrpgpr(T1, T0),
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		vz_setup(sim);
		/* Everything delegated but CP0 itself. */
		vz_wr(sim, R_GUESTCTL0, GC0_GT | GC0_CG);
		vz_wr(sim, R_GUESTCTL0EXT, GC0E_CGI);
		expect_exit_on(sim, words[i], GEXC_GPSI);
	}
}

static void test_gpsi_cache_without_cp0_even_if_cg_cgi(void **state)
{
	vzsim *sim = *state;
	/* CACHE is in the list of CP0 instructions that CP0 = 0 keeps from
	 * the guest, whatever CG and CGI say. */
	const uint32_t words[] = {
		enc_cache(0x15, 0, T0) /* Hit WB Inv D */,
		enc_cache(0x01, 0, T0) /* Index WB Inv D */,
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		vz_setup(sim);
		vz_wr(sim, R_GUESTCTL0, GC0_GT | GC0_CG);
		vz_wr(sim, R_GUESTCTL0EXT, GC0E_CGI);
		expect_exit_on(sim, words[i], GEXC_GPSI);
	}
}

static void test_gpsi_wait_always(void **state)
{
	vzsim *sim = *state;
	vz_wr(sim, R_GUESTCTL0, GC0_CP0 | GC0_GT | GC0_CG);
	g_set_cp0(sim, C0_STATUS, 0, SR_IE | SR_IM(7));
	expect_exit_on(sim, enc_wait(), GEXC_GPSI);
	assert_int_equal(vz_rd(sim, R_BADINSTR), enc_wait());
}

static void test_gpsi_count_compare_without_gt(void **state)
{
	vzsim *sim = *state;
	const uint32_t words[] = {
		enc_mfc0(T1, C0_COUNT, 0), enc_mfc0(T1, C0_COMPARE, 0),
		enc_mtc0(T1, C0_COMPARE, 0), enc_mtc0(T1, C0_COUNT, 0),
		enc_rdhwr(T1, 2) /* CC */,
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		vz_setup(sim);
		vz_wr(sim, R_GUESTCTL0, GC0_CP0);
		expect_exit_on(sim, words[i], GEXC_GPSI);
		assert_int_equal(g_cp0(sim, C0_COMPARE, 0), 0x7fffffffu);
	}
}

static void test_count_compare_with_gt(void **state)
{
	vzsim *sim = *state;
	vz_wr(sim, R_GUESTCTL0, GC0_CP0 | GC0_GT);
	vz_wr(sim, C0_COUNT, 0, 0x100);
	vz_wr(sim, R_GTOFFSET, 0x40000);
	g_set_cp0(sim, C0_COMPARE, 0, 0x01234567u);
	h_set_gpr(sim, T1, 0x00abcdefu);
	GRUN(sim, enc_mfc0(S0, C0_COUNT, 0), enc_mfc0(S1, C0_COMPARE, 0),
	     enc_mtc0(T1, C0_COMPARE, 0), enc_ehb(), enc_rdhwr(S2, 2));
	/* Root Count is 0x100 at the eret and moves every 2 instructions. */
	uint32_t c = h_gpr(sim, S0) - 0x40000u;
	if (c < 0x100 || c > 0x102)
		fail_msg("guest Count 0x%08x, expected 0x40100 + about 1", h_gpr(sim, S0));
	assert_int_equal(h_gpr(sim, S1), 0x01234567u);
	assert_int_equal(g_cp0(sim, C0_COMPARE, 0), 0x00abcdefu);
	c = h_gpr(sim, S2) - h_gpr(sim, S0);
	assert_true(c <= 3);
	/* mtc0 Count stays an exit with GT set. */
	expect_exit_on(sim, enc_mtc0(T1, C0_COUNT, 0), GEXC_GPSI);
}

static void test_gpsi_mtc0_lladdr(void **state)
{
	vzsim *sim = *state;
	expect_exit_on(sim, enc_mtc0(T1, C0_LLADDR, 0), GEXC_GPSI);
	/* Reading it is the guest's own business. */
	vz_setup(sim);
	expect_no_exit_on(sim, enc_mfc0(T1, C0_LLADDR, 0));
}

static void test_gpsi_registers_the_guest_does_not_have(void **state)
{
	vzsim *sim = *state;
	/* GuestCtl0, GTOffset, GuestCtl1 are root's (guest Config3.VZ = 0). */
	const uint32_t words[] = {
		enc_mfc0(T1, R_GUESTCTL0), enc_mtc0(T1, R_GUESTCTL0),
		enc_mfc0(T1, R_GTOFFSET), enc_mfc0(T1, R_GUESTCTL1),
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		vz_setup(sim);
		expect_exit_on(sim, words[i], GEXC_GPSI);
	}
	uint32_t v;
	assert_int_equal(vzsim_guest_cp0_read(sim, R_GUESTCTL0, &v), -1);
	assert_int_equal(vzsim_guest_cp0_read(sim, R_GTOFFSET, &v), -1);
}

static void test_gpsi_cache_by_cg_and_cgi(void **state)
{
	vzsim *sim = *state;
	const uint32_t hit = enc_cache(0x15, 0, T0);   /* Hit WB Inv D */
	const uint32_t index = enc_cache(0x01, 0, T0); /* Index WB Inv D */
	/* CG = 0, CGI = 0: both exit. */
	vz_wr(sim, R_GUESTCTL0, GC0_CP0);
	expect_exit_on(sim, hit, GEXC_GPSI);
	vz_setup(sim);
	expect_exit_on(sim, index, GEXC_GPSI);
	/* CG = 1 only: Hit-type runs, Index-type exits. */
	vz_setup(sim);
	vz_wr(sim, R_GUESTCTL0, GC0_CP0 | GC0_CG);
	expect_no_exit_on(sim, hit);
	expect_exit_on(sim, index, GEXC_GPSI);
	/* CGI = 1 only: the other way round. */
	vz_setup(sim);
	vz_wr(sim, R_GUESTCTL0EXT, GC0E_CGI);
	expect_no_exit_on(sim, index);
	expect_exit_on(sim, hit, GEXC_GPSI);
	/* Both. */
	vz_setup(sim);
	vz_wr(sim, R_GUESTCTL0, GC0_CP0 | GC0_CG);
	vz_wr(sim, R_GUESTCTL0EXT, GC0E_CGI);
	expect_no_exit_on(sim, hit);
	expect_no_exit_on(sim, index);
}

static void test_exit_in_delay_slot_reports_the_branch(void **state)
{
	vzsim *sim = *state;
	vz_wr(sim, R_GUESTCTL0, 0); /* CP0 clear */
	const uint32_t br = enc_beq(ZERO, ZERO, 2);
	const uint32_t slot = enc_mfc0(T1, C0_STATUS, 0);
	vz_gprog(sim, PROG(enc_nop(), br, slot, enc_nop(), enc_nop()));
	vz_run_to_exit(sim, GEXC_GPSI, G_CODE + 4);
	assert_true(h_cause(sim) & CR_BD);
	assert_int_equal(vz_rd(sim, R_BADINSTR), slot);
	assert_int_equal(vz_rd(sim, R_BADINSTRP), br);
	assert_int_equal(h_exc(sim), EXC_GE);
}

static void test_root_exit_registers(void **state)
{
	vzsim *sim = *state;
	vz_wr(sim, R_GUESTCTL0, 0);
	vz_gprog(sim, PROG(enc_nop(), enc_nop(), enc_mfc0(T1, C0_CAUSE, 0)));
	vz_run_to_exit(sim, GEXC_GPSI, G_CODE + 8);
	/* Root kernel mode with EXL (root Status was 0 in the guest). */
	assert_int_equal(h_status(sim), SR_EXL);
	assert_int_equal(CR_EXC(h_cause(sim)), 27);
	assert_string_equal(vzsim_exc_name(27), "GE");
}

/* ------------------------------------------------------------ exits: GSFC */

static void test_gsfc_status_sensitive_fields(void **state)
{
	vzsim *sim = *state;
	/* CU1, CU2, FR, MX, RE. */
	const uint32_t bits[] = {1u << 29, 1u << 30, 1u << 26, 1u << 24, 1u << 25};
	for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++) {
		vz_setup(sim);
		h_set_gpr(sim, T2, bits[i] | SR_IM(2));
		g_set_cp0(sim, C0_STATUS, 0, 0);
		vz_gprog(sim, PROG(enc_nop(), enc_mtc0(T2, C0_STATUS, 0)));
		vz_run_to_exit(sim, GEXC_GSFC, G_CODE + 4);
		assert_int_equal(vz_rd(sim, R_BADINSTR), enc_mtc0(T2, C0_STATUS, 0));
		/* The instruction did not complete: nothing written. */
		assert_int_equal(g_cp0(sim, C0_STATUS, 0), 0);
	}
}

static void test_gsfc_not_raised_for_other_status_fields(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T2, SR_IM(2) | SR_IM(5));
	GRUN(sim, enc_mtc0(T2, C0_STATUS, 0), enc_ehb(), enc_mfc0(S0, C0_STATUS, 0));
	assert_int_equal(h_gpr(sim, S0), SR_IM(2) | SR_IM(5));
	assert_int_equal(g_cp0(sim, C0_STATUS, 0), SR_IM(2) | SR_IM(5));
}

static void test_gsfc_cause_dc(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T2, CR_DC | CR_IP(1));
	vz_gprog(sim, PROG(enc_mtc0(T2, C0_CAUSE, 0)));
	vz_run_to_exit(sim, GEXC_GSFC, G_CODE);
	assert_int_equal(g_cp0(sim, C0_CAUSE, 0) & (CR_DC | CR_IP(1)), 0);
	/* Cause.IV is not sensitive. */
	vz_setup(sim);
	h_set_gpr(sim, T2, CR_IV | CR_IP(1));
	GRUN(sim, enc_mtc0(T2, C0_CAUSE, 0));
	assert_int_equal(g_cp0(sim, C0_CAUSE, 0) & (CR_IV | CR_IP(1) | CR_DC),
			 CR_IV | CR_IP(1));
}

static void test_fcd_drops_the_change_and_does_the_rest(void **state)
{
	vzsim *sim = *state;
	vz_wr(sim, R_GUESTCTL0EXT, GC0E_FCD);
	h_set_gpr(sim, T2, SR_CU1 | SR_IM(2));
	h_set_gpr(sim, T3, CR_DC | CR_IP(0));
	GRUN(sim, enc_mtc0(T2, C0_STATUS, 0), enc_mtc0(T3, C0_CAUSE, 0), enc_ehb());
	assert_int_equal(g_cp0(sim, C0_STATUS, 0), SR_IM(2));
	assert_int_equal(g_cp0(sim, C0_CAUSE, 0) & (CR_DC | CR_IP(0)), CR_IP(0));
}

/* ------------------------------------------------------------ exits: HC, GRR */

static void test_hypcall_code_in_badinstr(void **state)
{
	vzsim *sim = *state;
	const uint32_t codes[] = {0x2a, 0, 0x3ff, 0x155};
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		vz_setup(sim);
		vz_wr(sim, R_GUESTCTL0, 0); /* hypcall needs no CP0 */
		vz_gprog(sim, PROG(enc_nop(), enc_hypcall(codes[i])));
		vz_run_to_exit(sim, GEXC_HC, G_CODE + 4);
		uint32_t bi = vz_rd(sim, R_BADINSTR);
		assert_int_equal(bi, enc_hypcall(codes[i]));
		assert_int_equal((bi >> 11) & 0x3ffu, codes[i]);
	}
}

static void test_hypcall_in_root_kernel_mode(void **state)
{
	vzsim *sim = *state;
	h_prog(sim, PROG(enc_nop(), enc_hypcall(0x155)));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_int_equal(h_exc(sim), EXC_GE);
	assert_int_equal(vz_gexc(sim), GEXC_HC);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 4);
	assert_int_equal(vz_rd(sim, R_BADINSTR), enc_hypcall(0x155));
	assert_int_equal(vz_rd(sim, R_GUESTCTL0) & GC0_GM, 0);
}

static void test_grr_with_guestctl0_ri(void **state)
{
	vzsim *sim = *state;
	const uint32_t words[] = {0x00000005u, 0x7c000001u, 0xfc000000u};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		vz_setup(sim);
		vz_wr(sim, R_GUESTCTL0, GC0_CP0 | GC0_RI);
		expect_exit_on(sim, words[i], GEXC_GRR);
	}
}

static void test_guest_ri_without_guestctl0_ri_goes_to_guest(void **state)
{
	vzsim *sim = *state;
	uint32_t rbv = h_cp0(sim, C0_BADVADDR, 0);
	vz_gprog(sim, PROG(enc_nop(), 0x00000005u));
	vz_run_to_guest_vec(sim, G_VEC_GEN);
	assert_int_equal(g_exc(sim), EXC_RI);
	assert_int_equal(g_cp0(sim, C0_EPC, 0), G_CODE + 4);
	assert_int_equal(g_cp0(sim, R_BADINSTR), 0x00000005u);
	assert_true(g_cp0(sim, C0_STATUS, 0) & SR_EXL);
	assert_int_equal(h_cp0(sim, C0_BADVADDR, 0), rbv);
}

/* ------------------------------------------------------------ guest exceptions */

static void test_guest_syscall_to_guest_vector(void **state)
{
	vzsim *sim = *state;
	struct vzsim_stats a, b;
	vzsim_get_stats(sim, &a);
	vz_gprog(sim, PROG(enc_nop(), enc_syscall(0x77)));
	vz_run_to_guest_vec(sim, G_VEC_GEN);
	vzsim_get_stats(sim, &b);
	assert_int_equal(g_exc(sim), EXC_SYS);
	assert_int_equal(g_cp0(sim, C0_EPC, 0), G_CODE + 4);
	assert_int_equal(g_cp0(sim, C0_CAUSE, 0) & CR_BD, 0);
	assert_int_equal(g_cp0(sim, C0_STATUS, 0), SR_EXL);
	assert_int_equal(g_cp0(sim, R_BADINSTR), enc_syscall(0x77));
	/* Root saw one thing only: the stub's hypcall. */
	assert_int_equal(b.guest_exceptions[EXC_SYS] - a.guest_exceptions[EXC_SYS], 1);
	assert_int_equal(b.guest_exits[GEXC_HC] - a.guest_exits[GEXC_HC], 1);
	assert_int_equal(b.exceptions[EXC_GE] - a.exceptions[EXC_GE], 1);
}

static void test_guest_exception_in_delay_slot(void **state)
{
	vzsim *sim = *state;
	const uint32_t br = enc_bne(ZERO, T0, 3);
	h_set_gpr(sim, T0, 1);
	vz_gprog(sim, PROG(enc_nop(), br, enc_break(3), enc_nop(), enc_nop()));
	vz_run_to_guest_vec(sim, G_VEC_GEN);
	assert_int_equal(g_exc(sim), EXC_BP);
	assert_int_equal(g_cp0(sim, C0_EPC, 0), G_CODE + 4);
	assert_true(g_cp0(sim, C0_CAUSE, 0) & CR_BD);
	assert_int_equal(g_cp0(sim, R_BADINSTRP), br);
}

static void test_guest_address_error(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, G_DATA + 2);
	vz_gprog(sim, PROG(enc_lw(T1, 0, T0)));
	vz_run_to_guest_vec(sim, G_VEC_GEN);
	assert_int_equal(g_exc(sim), EXC_ADEL);
	assert_int_equal(g_cp0(sim, C0_EPC, 0), G_CODE);
	assert_int_equal(g_cp0(sim, C0_BADVADDR, 0), G_DATA + 2);
	vz_setup(sim);
	h_set_gpr(sim, T0, G_DATA + 1);
	vz_gprog(sim, PROG(enc_nop(), enc_sh(T1, 0, T0)));
	vz_run_to_guest_vec(sim, G_VEC_GEN);
	assert_int_equal(g_exc(sim), EXC_ADES);
	assert_int_equal(g_cp0(sim, C0_EPC, 0), G_CODE + 4);
	assert_int_equal(g_cp0(sim, C0_BADVADDR, 0), G_DATA + 1);
}

static void test_guest_overflow_and_trap(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, 0x7fffffffu);
	vz_gprog(sim, PROG(enc_addi(T1, T0, 1)));
	vz_run_to_guest_vec(sim, G_VEC_GEN);
	assert_int_equal(g_exc(sim), EXC_OV);
	vz_setup(sim);
	vz_gprog(sim, PROG(enc_teq(ZERO, ZERO)));
	vz_run_to_guest_vec(sim, G_VEC_GEN);
	assert_int_equal(g_exc(sim), EXC_TR);
}

static void test_guest_cop1_is_guest_cpu(void **state)
{
	vzsim *sim = *state;
	/* No FPU: the guest's own CpU with CE = 1, not an exit. */
	vz_gprog(sim, PROG(enc_nop(), enc_mfc1(T0, 0)));
	vz_run_to_guest_vec(sim, G_VEC_GEN);
	assert_int_equal(g_exc(sim), EXC_CPU);
	assert_int_equal(g_cp0(sim, C0_CAUSE, 0) & CR_CE(3), CR_CE(1));
	assert_int_equal(g_cp0(sim, C0_EPC, 0), G_CODE + 4);
}

static void test_guest_writes_config0_k0_only(void **state)
{
	vzsim *sim = *state;
	vz_wr(sim, R_GUESTCTL0, GC0_CP0 | GC0_CF);
	uint32_t c0 = g_cp0(sim, C0_CONFIG, 0), c1 = g_cp0(sim, C0_CONFIG, 1);
	h_set_gpr(sim, T0, (c0 & ~7u) | 3u);
	GRUN(sim, enc_mtc0(T0, C0_CONFIG, 0), enc_mtc0(ZERO, C0_CONFIG, 1), enc_ehb(),
	     enc_mfc0(S0, C0_CONFIG, 0));
	assert_int_equal(h_gpr(sim, S0), (c0 & ~7u) | 3u);
	assert_int_equal(g_cp0(sim, C0_CONFIG, 1), c1);
	assert_int_equal(h_cp0(sim, C0_CONFIG, 0) & 7u, 2u);
}

static void test_guest_handler_eret_returns_to_guest(void **state)
{
	vzsim *sim = *state;
	/* A guest syscall handler that skips the syscall. */
	const uint32_t handler[] = {
		enc_mfc0(K0, C0_EPC, 0), enc_addiu(K0, K0, 4), enc_mtc0(K0, C0_EPC, 0),
		enc_ehb(), enc_eret(),
	};
	g_load(sim, 1, G_VEC_GEN, handler, 5);
	h_set_gpr(sim, S0, 0);
	GRUN(sim, enc_syscall(0), enc_addiu(S0, ZERO, 7));
	assert_int_equal(h_gpr(sim, S0), 7);
	assert_int_equal(g_exc(sim), EXC_SYS);
	assert_int_equal(g_cp0(sim, C0_STATUS, 0) & SR_EXL, 0);
	assert_true(vz_rd(sim, R_GUESTCTL0) & GC0_GM);
}

static void test_guest_vectors_follow_guest_ebase_and_bev(void **state)
{
	vzsim *sim = *state;
	/* Guest EBase moved: exceptions follow it. */
	const uint32_t stub[] = {enc_hypcall(0x111), enc_nop()};
	g_load(sim, 1, 0x80004180u, stub, 2);
	g_set_cp0(sim, C0_PRID, 1, 0x80004000u);
	assert_int_equal(g_cp0(sim, C0_PRID, 1), 0x80004000u);
	vz_gprog(sim, PROG(enc_syscall(0)));
	vz_run_to_exit(sim, GEXC_HC, 0x80004180u);
	assert_int_equal(vz_rd(sim, R_BADINSTR), enc_hypcall(0x111));
	assert_int_equal(g_exc(sim), EXC_SYS);
	/* Guest BEV: the guest's 0xBFC00380, GPA 0x1FC00380, which has no
	 * stage-2 mapping here: a root refill on that fetch. */
	vz_setup(sim);
	g_set_cp0(sim, C0_STATUS, 0, SR_BEV);
	vz_gprog(sim, PROG(enc_syscall(0)));
	vz_run_to_stage2(sim, H_VEC_REFILL, EXC_TLBL, 0xbfc00380u, 0x1fc00380u);
	assert_int_equal(g_exc(sim), EXC_SYS);
	assert_int_equal(g_cp0(sim, C0_EPC, 0), G_CODE);
}

/* ------------------------------------------------------------ MFGC0 / MTGC0 */

static void test_mtgc0_mfgc0_round_trip(void **state)
{
	vzsim *sim = *state;
	vz_wr(sim, C0_EPC, 0, 0x80001110u);
	h_set_gpr(sim, T0, 0x80012344u);
	h_set_gpr(sim, T1, 0xcafe0001u);
	h_set_gpr(sim, T2, 0x00ff2031u);
	h_set_gpr(sim, T3, 0x12340000u);
	RUN(sim, enc_mtgc0(T0, C0_EPC, 0), enc_mtgc0(T1, 31, 2), enc_mtgc0(T2, C0_ENTRYHI, 0),
	    enc_mtgc0(T3, C0_COMPARE, 0), enc_ehb(),
	    enc_mfgc0(S0, C0_EPC, 0), enc_mfgc0(S1, 31, 2), enc_mfgc0(S2, C0_ENTRYHI, 0),
	    enc_mfgc0(S3, C0_COMPARE, 0), enc_mfgc0(S4, C0_STATUS, 0),
	    enc_mfgc0(S5, C0_CONFIG, 3));
	assert_int_equal(h_gpr(sim, S0), 0x80012344u);
	assert_int_equal(h_gpr(sim, S1), 0xcafe0001u);
	/* EntryHi: VPN2 and ASID (bits 12:11 and 9:8 read 0). */
	assert_int_equal(h_gpr(sim, S2), 0x00ff2031u & 0xffffe0ffu);
	assert_int_equal(h_gpr(sim, S3), 0x12340000u);
	assert_int_equal(h_gpr(sim, S4), 0); /* vz_setup's guest Status */
	assert_int_equal(h_gpr(sim, S5), GUEST_CONFIG3(h_cp0(sim, C0_CONFIG, 3)));
	/* The guest copy, not root's. */
	assert_int_equal(g_cp0(sim, C0_EPC, 0), 0x80012344u);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), 0x80001110u);
	assert_int_not_equal(h_cp0(sim, 31, 2), 0xcafe0001u);
	/* The guest reads what root wrote, and root what the guest wrote. */
	h_set_gpr(sim, T4, 0x0f0f0f0fu);
	GRUN(sim, enc_mfc0(S0, C0_EPC, 0), enc_mfc0(S1, 31, 2), enc_mtc0(T4, 31, 3));
	assert_int_equal(h_gpr(sim, S0), 0x80012344u);
	assert_int_equal(h_gpr(sim, S1), 0xcafe0001u);
	/* Root (EXL set after the exit: root mode) reads it back. */
	RUN(sim, enc_mfgc0(S2, 31, 3));
	assert_int_equal(h_gpr(sim, S2), 0x0f0f0f0fu);
}

static void test_guest_config_is_read_only_but_k0(void **state)
{
	vzsim *sim = *state;
	uint32_t c1 = g_cp0(sim, C0_CONFIG, 1), prid = g_cp0(sim, C0_PRID, 0);
	uint32_t c0 = g_cp0(sim, C0_CONFIG, 0);
	h_set_gpr(sim, T0, 0);
	h_set_gpr(sim, T1, 0xffffffffu);
	RUN(sim, enc_mtgc0(T0, C0_CONFIG, 1), enc_mtgc0(T0, C0_PRID, 0),
	    enc_mtgc0(T1, C0_CONFIG, 3), enc_ori(T2, ZERO, 3), enc_mtgc0(T2, C0_CONFIG, 0),
	    enc_ehb());
	assert_int_equal(g_cp0(sim, C0_CONFIG, 1), c1);
	assert_int_equal(g_cp0(sim, C0_PRID, 0), prid);
	assert_int_equal(g_cp0(sim, C0_CONFIG, 3), GUEST_CONFIG3(h_cp0(sim, C0_CONFIG, 3)));
	assert_int_equal(g_cp0(sim, C0_CONFIG, 0), (c0 & ~7u) | 3u);
	/* Root's Config0 did not change. */
	assert_int_equal(h_cp0(sim, C0_CONFIG, 0) & 7u, 2u);
}

/*
 * What Linux 6.1 reads from the VZ ASE, in its order: the CPU probe
 * (arch/mips/kernel/cpu-probe.c: cpu_probe_guestctl0/1, cpu_probe_gtoffset,
 * decode_guest_configs) at boot, and KVM's kvm_vz_hardware_enable
 * (arch/mips/kvm/vz.c) when the first virtual machine is created: the
 * answers its own KVM boot on vzsim relies on (docs/linux-kvm.md).
 */
static void test_linux_kvm_vz_probe(void **state)
{
	(void)state;
	vzsim *sim = h_board();
	/* cpu_probe_guestctl0: G0E, G1, G2 present and RAD clear (GuestIDs);
	 * then GuestCtl1 = 0 and a DRG write probe, restored only if DRG
	 * stuck.  cpu_probe_guestctl1: ID written all ones, read back.
	 * cpu_probe_gtoffset: all ones, read back, 0. */
	RUN(sim, enc_mfc0(S0, R_GUESTCTL0), enc_mtc0(ZERO, R_GUESTCTL1), enc_ehb(),
	    enc_ori(T0, S0, 1u << 8), enc_mtc0(T0, R_GUESTCTL0), enc_ehb(),
	    enc_mfc0(S1, R_GUESTCTL0),
	    enc_ori(T1, ZERO, 0xff), enc_mtc0(T1, R_GUESTCTL1), enc_ehb(),
	    enc_mfc0(S2, R_GUESTCTL1), enc_mtc0(ZERO, R_GUESTCTL1),
	    enc_addiu(T2, ZERO, -1), enc_mtc0(T2, R_GTOFFSET), enc_ehb(),
	    enc_mfc0(S3, R_GTOFFSET), enc_mtc0(ZERO, R_GTOFFSET));
	uint32_t gc0 = h_gpr(sim, S0);
	assert_int_equal(gc0 & (GC0_G0E | GC0_G1 | GC0_G2), GC0_G0E | GC0_G1 | GC0_G2);
	assert_int_equal(gc0 & (1u << 9), 0);			/* RAD: GuestID mode */
	assert_int_equal(h_gpr(sim, S1) & (1u << 8), 0);	/* no DRG */
	assert_int_equal(h_gpr(sim, S2) & 0xffu, 0xffu);	/* guestid_mask 0xff */
	assert_int_equal(h_gpr(sim, S3), 0xffffffffu);		/* gtoffset_mask */
	assert_int_equal(vz_rd(sim, R_GTOFFSET), 0);

	/* decode_guest_configs: Config0..Config4 chain on M; which features
	 * root may switch (probe_gc0_config_dyn: a toggled bit that reads
	 * back toggled): none; guest KScratch 2..7. */
	uint32_t before[6];
	for (unsigned i = 0; i < 6; i++)
		before[i] = g_cp0(sim, C0_CONFIG, i);
	const uint32_t dyn1 = (1u << 31) | (1u << 4) | (1u << 3) | 1u; /* M PC WR FP */
	const uint32_t dyn3 = (1u << 31) | (1u << 28) | (1u << 13) | (1u << 9); /* M MSA ULRI CTXTC */
	const uint32_t dyn5 = (1u << 31) | (1u << 5) | (1u << 3); /* M MVH MRP */
	h_set_gpr(sim, T5, dyn1);
	h_set_gpr(sim, T6, dyn3);
	h_set_gpr(sim, T7, dyn5);
	RUN(sim, enc_mfgc0(T0, C0_CONFIG, 1), enc_xor(T1, T0, T5), enc_mtgc0(T1, C0_CONFIG, 1),
	    enc_ehb(), enc_mfgc0(S1, C0_CONFIG, 1), enc_mtgc0(T0, C0_CONFIG, 1),
	    enc_mfgc0(T0, C0_CONFIG, 3), enc_xor(T1, T0, T6), enc_mtgc0(T1, C0_CONFIG, 3),
	    enc_ehb(), enc_mfgc0(S3, C0_CONFIG, 3), enc_mtgc0(T0, C0_CONFIG, 3),
	    enc_mfgc0(T0, C0_CONFIG, 5), enc_xor(T1, T0, T7), enc_mtgc0(T1, C0_CONFIG, 5),
	    enc_ehb(), enc_mfgc0(S5, C0_CONFIG, 5), enc_mtgc0(T0, C0_CONFIG, 5));
	assert_int_equal(h_gpr(sim, S1), before[1]);
	assert_int_equal(h_gpr(sim, S3), before[3]);
	assert_int_equal(h_gpr(sim, S5), before[5]);
	for (unsigned i = 0; i < 5; i++)
		assert_true(before[i] & (1u << 31));
	assert_false(before[5] & (1u << 31));
	assert_int_equal((before[4] >> 16) & 0xffu, 0xfcu);
	for (unsigned i = 0; i < 6; i++)
		assert_int_equal(g_cp0(sim, C0_CONFIG, i), before[i]);

	/* kvm_vz_hardware_enable: the guest VTLB resized to the whole TLB
	 * (MMUSize - 1 = 63 into guest Config1; Config4.MMUExtDef = 1 takes
	 * MMUSizeExt), then to 64 - wired - 2: root's writes do not change
	 * the guest part, so KVM reads back guest-tlb-entries (32) both
	 * times.  Then GuestCtl0 = CP0, AT = 3, CG, CF; GuestCtl0Ext.CGI;
	 * GuestCtl1 = 0; GuestCtl2.VIP cleared. */
	assert_int_equal((before[4] >> 14) & 3u, 1u);
	const unsigned sizes[] = {64, 62};
	for (unsigned i = 0; i < 2; i++) {
		h_set_gpr(sim, T5, (sizes[i] - 1) << 25);
		h_set_gpr(sim, T6, (sizes[i] - 1) >> 6);
		h_set_gpr(sim, T7, ~(63u << 25));
		RUN(sim, enc_mfgc0(T0, C0_CONFIG, 1), enc_and(T0, T0, T7), enc_or(T0, T0, T5),
		    enc_mtgc0(T0, C0_CONFIG, 1), enc_mfgc0(T1, C0_CONFIG, 4),
		    enc_addiu(T2, ZERO, -256), enc_and(T1, T1, T2), enc_or(T1, T1, T6),
		    enc_mtgc0(T1, C0_CONFIG, 4), enc_ehb(), enc_mfgc0(S1, C0_CONFIG, 1),
		    enc_mfgc0(S4, C0_CONFIG, 4));
		unsigned got = ((h_gpr(sim, S1) >> 25) & 63u) | (h_gpr(sim, S4) & 0xffu) << 6;
		assert_int_equal(got + 1, 32);
	}
	h_set_gpr(sim, T0, GC0_CP0 | GC0_AT3 | GC0_CG | GC0_CF);
	RUN(sim, enc_mtc0(T0, R_GUESTCTL0), enc_mfc0(T1, R_GUESTCTL0EXT),
	    enc_ori(T1, T1, GC0E_CGI), enc_mtc0(T1, R_GUESTCTL0EXT),
	    enc_mtc0(ZERO, R_GUESTCTL1), enc_mfc0(T2, R_GUESTCTL2), enc_lui(T3, 0xffff),
	    enc_ori(T3, T3, 0x03ff), enc_and(T2, T2, T3), enc_mtc0(T2, R_GUESTCTL2), enc_ehb(),
	    enc_mfc0(S0, R_GUESTCTL0), enc_mfc0(S1, R_GUESTCTL0EXT));
	assert_int_equal(h_gpr(sim, S0), GC0_CP0 | GC0_AT3 | GC0_CG | GC0_CF | GC0_G1 |
						 GC0_G0E | GC0_G2);
	assert_int_equal(h_gpr(sim, S1), GC0E_CGI);
	assert_int_equal(vz_rd(sim, R_GUESTCTL2), 0);
	h_free(sim);
}

/* ------------------------------------------------------------ two stages */

static void test_stage2_uses_guestid_not_root_entries(void **state)
{
	vzsim *sim = *state;
	g_write32(sim, 1, G_DATA, 0x11111111u);
	g_write32(sim, 2, G_DATA, 0x22222222u);
	h_set_gpr(sim, T0, G_DATA);
	vz_run_to_end(sim, vz_gprog_gid(sim, 1, PROG(enc_lw(S0, 0, T0))));
	assert_int_equal(h_gpr(sim, S0), 0x11111111u);
	vz_setup(sim);
	h_set_gpr(sim, T0, G_DATA);
	vz_run_to_end(sim, vz_gprog_gid(sim, 2, PROG(enc_lw(S0, 0, T0))));
	assert_int_equal(h_gpr(sim, S0), 0x22222222u);
	assert_int_equal(vz_rd(sim, R_GUESTCTL1) & 0xffu, 2);
}

static void test_stage2_miss_with_only_other_guestids(void **state)
{
	vzsim *sim = *state;
	/* Guest 1's code fetch, with guest 1's entry retagged as root's own
	 * (GuestID 0): root entries serve stage 2 only for their GuestID. */
	vz_tlb_put(sim, VZ_S2_IDX1, false, 0, 0, PM_1M, LO_RAM(G1_PA) | LO_G,
		   LO_RAM(G1_PA + 0x100000u) | LO_G);
	vz_gprog(sim, PROG(enc_nop()));
	vz_run_to_stage2(sim, H_VEC_REFILL, EXC_TLBL, G_CODE, G_CODE & 0x1fffffffu);
	/* And GuestID 3 has no entry at all. */
	vz_setup(sim);
	vz_wr(sim, R_GUESTCTL1, GC1(3, 0));
	vz_enter(sim, G_CODE);
	vz_run_to_stage2(sim, H_VEC_REFILL, EXC_TLBL, G_CODE, G_CODE & 0x1fffffffu);
}

static void test_stage2_ignores_asid(void **state)
{
	vzsim *sim = *state;
	/* Not global, another ASID than root's EntryHi: still used. */
	vz_tlb_put(sim, VZ_S2_IDX1, false, 1, 0x00000033u, PM_1M, LO_RAM(G1_PA),
		   LO_RAM(G1_PA + 0x100000u));
	vz_wr(sim, C0_ENTRYHI, 0, 0x00000044u);
	g_set_cp0(sim, C0_ENTRYHI, 0, 0x00000055u);
	g_write32(sim, 1, G_DATA + 4, 0xa5a5a5a5u);
	h_set_gpr(sim, T0, G_DATA);
	GRUN(sim, enc_lw(S0, 4, T0));
	assert_int_equal(h_gpr(sim, S0), 0xa5a5a5a5u);
}

static void test_stage2_refill_root_registers(void **state)
{
	vzsim *sim = *state;
	struct vzsim_stats a, b;
	const uint32_t lw = enc_lw(T1, 8, T0);
	vz_wr(sim, C0_ENTRYHI, 0, 0x00000055u);
	vz_wr(sim, C0_CONTEXT, 0, 0);
	g_set_cp0(sim, C0_EPC, 0, 0x80abc000u);
	uint32_t gbv = g_cp0(sim, C0_BADVADDR, 0), gcause = g_cp0(sim, C0_CAUSE, 0);
	h_set_gpr(sim, T0, 0x80300000u); /* GPA 0x300000: no stage-2 entry */
	vzsim_get_stats(sim, &a);
	vz_gprog(sim, PROG(enc_nop(), lw));
	vz_run_to_stage2(sim, H_VEC_REFILL, EXC_TLBL, G_CODE + 4, 0x00300008u);
	vzsim_get_stats(sim, &b);
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), 0x00300000u | 0x55u);
	assert_int_equal(h_cp0(sim, C0_CONTEXT, 0), (0x00300008u >> 13) << 4);
	assert_int_equal(vz_rd(sim, R_BADINSTR), lw);
	assert_int_equal(h_cause(sim) & CR_BD, 0);
	/* The guest does not know. */
	assert_int_equal(g_cp0(sim, C0_EPC, 0), 0x80abc000u);
	assert_int_equal(g_cp0(sim, C0_BADVADDR, 0), gbv);
	assert_int_equal(g_cp0(sim, C0_CAUSE, 0), gcause);
	assert_int_equal(b.guest_root_tlb[EXC_TLBL] - a.guest_root_tlb[EXC_TLBL], 1);
	assert_int_equal(b.tlb_refills - a.tlb_refills, 1);
	/* Not a guest exit. */
	assert_int_equal(b.guest_exits[GEXC_GPA] - a.guest_exits[GEXC_GPA], 0);
	assert_int_equal(b.exceptions[EXC_GE] - a.exceptions[EXC_GE], 0);
	/* A store: TLBS. */
	vz_setup(sim);
	h_set_gpr(sim, T0, 0x80300000u);
	vz_gprog(sim, PROG(enc_sw(T1, 0x10, T0)));
	vz_run_to_stage2(sim, H_VEC_REFILL, EXC_TLBS, G_CODE, 0x00300010u);
}

static void test_stage2_refill_in_delay_slot_and_on_fetch(void **state)
{
	vzsim *sim = *state;
	const uint32_t br = enc_beq(ZERO, ZERO, 2);
	h_set_gpr(sim, T0, 0x80300000u);
	vz_gprog(sim, PROG(br, enc_lw(T1, 0, T0), enc_nop(), enc_nop()));
	vz_run_to_stage2(sim, H_VEC_REFILL, EXC_TLBL, G_CODE, 0x00300000u);
	assert_true(h_cause(sim) & CR_BD);
	assert_int_equal(vz_rd(sim, R_BADINSTRP), br);
	/* Jump to a GPA without a mapping: EPC the guest VA, BadVAddr the GPA. */
	vz_setup(sim);
	h_set_gpr(sim, T0, 0x80400010u);
	vz_gprog(sim, PROG(enc_jr(T0), enc_nop()));
	vz_run_to_stage2(sim, H_VEC_REFILL, EXC_TLBL, 0x80400010u, 0x00400010u);
}

static void test_stage2_invalid_and_modified(void **state)
{
	vzsim *sim = *state;
	/* GPA 0x400000: even page V = 0, odd page V = 1 D = 0. */
	vz_tlb_put(sim, 5, false, 1, 0x00400000u, PM_4K, LO_PFN(0x00d00000u) | LO_C(3) | LO_G,
		   LO_PFN(0x00d01000u) | LO_C(3) | LO_V | LO_G);
	h_write32(sim, 0x80d01010u, 0x01020304u);
	h_set_gpr(sim, T0, 0x80400000u);
	vz_gprog(sim, PROG(enc_lw(T1, 0x10, T0)));
	vz_run_to_stage2(sim, H_VEC_GEN, EXC_TLBL, G_CODE, 0x00400010u);
	vz_gprog(sim, PROG(enc_nop(), enc_sw(T1, 0x14, T0)));
	vz_run_to_stage2(sim, H_VEC_GEN, EXC_TLBS, G_CODE + 4, 0x00400014u);
	/* The clean page reads, and a store to it is Mod. */
	GRUN(sim, enc_lw(S0, 0x1010, T0));
	assert_int_equal(h_gpr(sim, S0), 0x01020304u);
	vz_gprog(sim, PROG(enc_sw(T1, 0x1010, T0)));
	vz_run_to_stage2(sim, H_VEC_GEN, EXC_MOD, G_CODE, 0x00401010u);
	assert_int_equal(h_read32(sim, 0x80d01010u), 0x01020304u);
}

static void test_guest_mapped_16k_over_stage2_1m(void **state)
{
	vzsim *sim = *state;
	/* Stage 1: GVA 0x00400000 pair of 16K pages -> GPA 0x108000/0x10c000;
	 * stage 2: vz_setup's 1M pages. */
	vz_tlb_put(sim, vz_gidx(sim, 2), true, 1, 0x00400000u, PM_16K,
		   LO_RAM(0x00108000u), LO_RAM(0x0010c000u));
	g_write32(sim, 1, 0x8010c010u, 0x0dd0f00du);
	h_set_gpr(sim, T0, 0x00404010u);
	h_set_gpr(sim, T1, 0x00400020u);
	h_set_gpr(sim, T2, 0x77665544u);
	GRUN(sim, enc_lw(S0, 0, T0), enc_sw(T2, 0, T1));
	assert_int_equal(h_gpr(sim, S0), 0x0dd0f00du);
	assert_int_equal(g_read32(sim, 1, 0x80108020u), 0x77665544u);
}

static void test_guest_mapped_1m_over_stage2_4k(void **state)
{
	vzsim *sim = *state;
	/* Stage 1: GVA 0x01000000 pair of 1M pages -> GPA 0x200000/0x300000;
	 * stage 2: GPA 0x200000/0x201000 4K pages -> PA 0xd00000/0xd05000. */
	vz_tlb_put(sim, vz_gidx(sim, 0), true, 1, 0x01000000u, PM_1M,
		   LO_RAM(0x00200000u), LO_RAM(0x00300000u));
	vz_tlb_put(sim, 6, false, 1, 0x00200000u, PM_4K, LO_RAM(0x00d00000u) | LO_G,
		   LO_RAM(0x00d05000u) | LO_G);
	h_write32(sim, 0x80d05008u, 0x5a5a0001u);
	h_write32(sim, 0x80d00ffcu, 0x5a5a0002u);
	h_set_gpr(sim, T0, 0x01001008u);
	h_set_gpr(sim, T1, 0x01000ffcu);
	GRUN(sim, enc_lw(S0, 0, T0), enc_lw(S1, 0, T1));
	assert_int_equal(h_gpr(sim, S0), 0x5a5a0001u);
	assert_int_equal(h_gpr(sim, S1), 0x5a5a0002u);
	/* Inside the 1M guest page but past the 4K pair: a stage-2 refill
	 * for the GPA, EPC the instruction. */
	h_set_gpr(sim, T0, 0x01002004u);
	vz_gprog(sim, PROG(enc_nop(), enc_lw(S0, 0, T0)));
	vz_run_to_stage2(sim, H_VEC_REFILL, EXC_TLBL, G_CODE + 4, 0x00202004u);
}

/* ------------------------------------------------------------ timer */

static void test_guest_count_is_root_count_plus_gtoffset(void **state)
{
	vzsim *sim = *state;
	vz_wr(sim, C0_COUNT, 0, 0x1000);
	vz_wr(sim, R_GTOFFSET, 0x10000);
	assert_int_equal(g_cp0(sim, C0_COUNT, 0), 0x11000);
	vz_wr(sim, C0_COUNT, 0, 0x2000);
	vz_wr(sim, R_GTOFFSET, 0xfffff000u);
	assert_int_equal(g_cp0(sim, C0_COUNT, 0), 0x1000); /* 32-bit wrap */
	/* Root's mfgc0 sees the same. */
	vz_wr(sim, C0_COUNT, 0, 0x3000);
	vz_wr(sim, R_GTOFFSET, 0x100);
	RUN(sim, enc_mfgc0(S0, C0_COUNT, 0), enc_mfc0(S1, C0_COUNT, 0));
	assert_true(h_gpr(sim, S0) - 0x3100u <= 1);
	assert_true(h_gpr(sim, S1) - (h_gpr(sim, S0) - 0x100u) <= 1);
}

static void test_guest_timer_interrupt(void **state)
{
	vzsim *sim = *state;
	vz_wr(sim, R_GUESTCTL0, GC0_CP0 | GC0_GT);
	vz_wr(sim, C0_COUNT, 0, 0);
	vz_wr(sim, R_GTOFFSET, 0x5000);
	g_set_cp0(sim, C0_COMPARE, 0, 0x5000 + 20);
	g_set_cp0(sim, C0_STATUS, 0, SR_IE | SR_IM(7));
	vz_gprog(sim, nops, 100);
	vz_run_to_guest_vec(sim, G_VEC_GEN);
	uint32_t gcause = g_cp0(sim, C0_CAUSE, 0);
	assert_int_equal(CR_EXC(gcause), EXC_INT);
	assert_int_equal(gcause & (CR_TI | CR_IP(7)), CR_TI | CR_IP(7));
	/* Count reaches 20 after 40 instructions: the eret and 39 guest
	 * nops; the interrupt is taken before the 40th. */
	assert_int_equal(g_cp0(sim, C0_EPC, 0), G_CODE + 4 * 39);
	/* Root's timer is not involved. */
	assert_int_equal(h_cause(sim) & (CR_TI | CR_IP(7)), 0);
}

static void test_guest_timer_masked_sets_ti_only(void **state)
{
	vzsim *sim = *state;
	vz_wr(sim, R_GUESTCTL0, GC0_CP0 | GC0_GT);
	vz_wr(sim, C0_COUNT, 0, 0);
	vz_wr(sim, R_GTOFFSET, 0x5000);
	g_set_cp0(sim, C0_COMPARE, 0, 0x5000 + 10);
	g_set_cp0(sim, C0_STATUS, 0, SR_IE | SR_IM(2));
	vz_run_to_end(sim, vz_gprog(sim, nops, 60));
	assert_int_equal(g_cp0(sim, C0_CAUSE, 0) & (CR_TI | CR_IP(7)), CR_TI | CR_IP(7));
	/* Writing guest Compare clears it. */
	g_set_cp0(sim, C0_COMPARE, 0, 0x7fffffffu);
	assert_int_equal(g_cp0(sim, C0_CAUSE, 0) & (CR_TI | CR_IP(7)), 0);
}

/*
 * The two timers share one Count, so a write that moves one match may come
 * on the very instruction at which the other is due.  vzsim schedules each
 * match as an icount and fires it after that instruction; a write that
 * recomputed both matches there found the other Compare equal to Count,
 * took it for a match 2^32 ticks away and lost it (the stress guest's timer
 * slices stopped ending).  With count-div 1, Count = n at the n-th
 * instruction after `mtc0 Count`, so the coincidence is exact.
 */
static void test_root_compare_write_keeps_guest_match(void **state)
{
	vzsim *sim = *state;
	h_opt(sim, "count-div", "1");
	h_set_gpr(sim, T0, 0x5000);         /* GTOffset */
	h_set_gpr(sim, T1, 0x5000 + 3);     /* guest Compare: due at Count 3 */
	h_set_gpr(sim, T2, 0x7fffffffu);    /* root Compare: far away */
	RUN(sim, enc_mtc0(ZERO, C0_COUNT, 0),  /* Count 0 */
	    enc_mtc0(T0, R_GTOFFSET),          /* Count 1 */
	    enc_mtgc0(T1, C0_COMPARE, 0),      /* Count 2 */
	    enc_mtc0(T2, C0_COMPARE, 0),       /* Count 3: guest Count = Compare */
	    enc_mfc0(S0, C0_COUNT, 0));
	/* The precondition: the root Compare write was at guest Count 0x5003. */
	assert_int_equal(h_gpr(sim, S0), 4);
	assert_int_equal(g_cp0(sim, C0_CAUSE, 0) & CR_TI, CR_TI);
	assert_int_equal(h_cause(sim) & CR_TI, 0);
}

/* The other way round: the guest's Compare, or GTOffset, written on the
 * tick the root timer matches. */
static void check_root_match_kept_by(vzsim *sim, uint32_t write)
{
	h_opt(sim, "count-div", "1");
	h_set_gpr(sim, T0, 0x5000);         /* GTOffset */
	h_set_gpr(sim, T1, 0x7fffffffu);    /* guest Compare: far away */
	h_set_gpr(sim, T2, 3);              /* root Compare: due at Count 3 */
	RUN(sim, enc_mtc0(ZERO, C0_COUNT, 0),  /* Count 0 */
	    enc_mtc0(T2, C0_COMPARE, 0),       /* Count 1 */
	    enc_nop(),                         /* Count 2 */
	    write,                             /* Count 3: root Count = Compare */
	    enc_mfc0(S0, C0_COUNT, 0));
	assert_int_equal(h_gpr(sim, S0), 4);
	assert_int_equal(h_cause(sim) & CR_TI, CR_TI);
	assert_int_equal(g_cp0(sim, C0_CAUSE, 0) & CR_TI, 0);
}

static void test_guest_compare_write_keeps_root_match(void **state)
{
	check_root_match_kept_by(*state, enc_mtgc0(T1, C0_COMPARE, 0));
}

static void test_gtoffset_write_keeps_root_match(void **state)
{
	check_root_match_kept_by(*state, enc_mtc0(T0, R_GTOFFSET));
}

static void test_vip_shows_in_guest_cause(void **state)
{
	vzsim *sim = *state;
	for (unsigned ip = 2; ip <= 7; ip++) {
		vz_wr(sim, R_GUESTCTL2, GC2_VIP(ip));
		assert_int_equal(g_cp0(sim, C0_CAUSE, 0) & 0xfc00u, CR_IP(ip));
	}
	vz_wr(sim, R_GUESTCTL2, 0x3fu << 10);
	assert_int_equal(g_cp0(sim, C0_CAUSE, 0) & 0xfc00u, 0xfc00u);
	vz_wr(sim, R_GUESTCTL2, 0);
	assert_int_equal(g_cp0(sim, C0_CAUSE, 0) & 0xfc00u, 0);
	/* Root's Cause does not see them. */
	vz_wr(sim, R_GUESTCTL2, 0x3fu << 10);
	assert_int_equal(h_cause(sim) & 0xfc00u, 0);
}

static void test_vip_interrupts_the_guest(void **state)
{
	vzsim *sim = *state;
	vz_wr(sim, R_GUESTCTL2, GC2_VIP(3));
	g_set_cp0(sim, C0_STATUS, 0, SR_IE | SR_IM(3));
	vz_gprog(sim, nops, 10);
	vz_run_to_guest_vec(sim, G_VEC_GEN);
	assert_int_equal(g_exc(sim), EXC_INT);
	assert_true(g_cp0(sim, C0_CAUSE, 0) & CR_IP(3));
	/* Pending before the first guest instruction. */
	assert_int_equal(g_cp0(sim, C0_EPC, 0), G_CODE);
	/* Masked by guest IM: nothing. */
	vz_setup(sim);
	vz_wr(sim, R_GUESTCTL2, GC2_VIP(3));
	g_set_cp0(sim, C0_STATUS, 0, SR_IE | SR_IM(4));
	vz_run_to_end(sim, vz_gprog(sim, nops, 10));
}

static void test_root_timer_interrupt_while_guest_runs(void **state)
{
	vzsim *sim = *state;
	struct vzsim_stats a, b;
	vz_wr(sim, C0_COUNT, 0, 0);
	vz_wr(sim, C0_COMPARE, 0, 30);
	g_set_cp0(sim, C0_EPC, 0, 0x80abc000u);
	vz_gprog(sim, nops, 200);
	vz_enter_status(sim, G_CODE, SR_IE | SR_IM(7));
	vzsim_get_stats(sim, &a);
	h_step_to(sim, H_VEC_GEN, 1000);
	vzsim_get_stats(sim, &b);
	assert_false(vzsim_in_guest(sim));
	assert_int_equal(h_exc(sim), EXC_INT);
	assert_true(h_cause(sim) & CR_TI);
	/* Count reaches 30 after 60 instructions: the eret and 59 nops. */
	assert_int_equal(h_cp0(sim, C0_EPC, 0), G_CODE + 4 * 59);
	assert_true(h_status(sim) & SR_EXL);
	assert_true(vz_rd(sim, R_GUESTCTL0) & GC0_GM);
	assert_int_equal(g_cp0(sim, C0_EPC, 0), 0x80abc000u);
	assert_int_equal(b.interrupts - a.interrupts, 1);
	for (unsigned i = 0; i < 32; i++)
		assert_int_equal(b.guest_exits[i], a.guest_exits[i]);
}

static void test_root_interrupt_needs_root_ie(void **state)
{
	vzsim *sim = *state;
	/* The guest's IE/IM do not let a root interrupt in. */
	vz_wr(sim, C0_COUNT, 0, 0);
	vz_wr(sim, C0_COMPARE, 0, 10);
	g_set_cp0(sim, C0_STATUS, 0, SR_IE | SR_IM(7));
	vz_run_to_end(sim, vz_gprog(sim, nops, 60));
	assert_true(h_cause(sim) & CR_TI);
	assert_int_equal(g_cp0(sim, C0_CAUSE, 0) & (CR_TI | CR_IP(7)), 0);
}

/* ------------------------------------------------------------ events, stats */

struct ev_log {
	struct vzsim_insn_event ev[32];
	unsigned n;
};

static void log_sink(void *ctx, const struct vzsim_insn_event *ev)
{
	struct ev_log *l = ctx;
	if (l->n < 32)
		l->ev[l->n] = *ev;
	l->n++;
}

static void test_insn_events_guest_fields(void **state)
{
	vzsim *sim = *state;
	struct ev_log log = {0};
	vz_wr(sim, C0_ENTRYHI, 0, 0x07);
	g_set_cp0(sim, C0_ENTRYHI, 0, 0x21);
	vz_gprog_gid(sim, 1, PROG(enc_nop(), enc_syscall(0)));
	vzsim_set_insn_sink(sim, log_sink, &log);
	vz_run_to_guest_vec(sim, G_VEC_GEN);
	vzsim_set_insn_sink(sim, NULL, NULL);
	/* eret (root), nop, syscall (guest), the stub's hypcall (guest, EXL),
	 * root's wait. */
	assert_int_equal(log.n, 5);
	const struct vzsim_insn_event *e = log.ev;
	assert_int_equal(e[0].pc, VZ_ENTRY);
	assert_false(e[0].guest);
	assert_true(e[0].exl);
	assert_int_equal(e[0].asid, 0x07);
	assert_int_equal(e[0].exc, -1);

	assert_int_equal(e[1].pc, G_CODE);
	assert_true(e[1].guest);
	assert_int_equal(e[1].guestid, 1);
	assert_int_equal(e[1].mode, VZSIM_MODE_KERNEL);
	assert_false(e[1].exl);
	assert_false(e[1].erl);
	assert_int_equal(e[1].asid, 0x21);
	assert_int_equal(e[1].exc, -1);

	assert_int_equal(e[2].pc, G_CODE + 4);
	assert_true(e[2].guest);
	assert_int_equal(e[2].exc, EXC_SYS);
	assert_false(e[2].root_exc);

	assert_int_equal(e[3].pc, G_VEC_GEN);
	assert_true(e[3].guest);
	assert_true(e[3].exl); /* the guest's EXL */
	assert_int_equal(e[3].word, enc_hypcall(G_HC_GEN));
	assert_int_equal(e[3].exc, EXC_GE);
	assert_true(e[3].root_exc);

	assert_int_equal(e[4].pc, H_VEC_GEN);
	assert_false(e[4].guest);
	assert_true(e[4].exl);
	assert_int_equal(e[4].asid, 0x07);
	assert_int_equal(e[4].index, e[0].index + 4);

	/* GuestID 2, and a second-stage fault reported as root's. */
	vz_setup(sim);
	log.n = 0;
	h_set_gpr(sim, T0, 0x80300000u);
	vz_gprog_gid(sim, 2, PROG(enc_lw(T1, 0, T0)));
	vzsim_set_insn_sink(sim, log_sink, &log);
	h_run(sim, 1000);
	vzsim_set_insn_sink(sim, NULL, NULL);
	assert_int_equal(log.n, 3);
	assert_true(log.ev[1].guest);
	assert_int_equal(log.ev[1].guestid, 2);
	assert_int_equal(log.ev[1].exc, EXC_TLBL);
	assert_true(log.ev[1].root_exc);
	assert_int_equal(log.ev[2].pc, H_VEC_REFILL);
	assert_false(log.ev[2].guest);
}

static unsigned count_guest(const struct ev_log *l, uint8_t gid)
{
	unsigned n = 0;
	for (unsigned i = 0; i < l->n && i < 32; i++)
		n += l->ev[i].guest && l->ev[i].guestid == gid;
	return n;
}

static void test_stats_guest_counters(void **state)
{
	vzsim *sim = *state;
	struct vzsim_stats a, b;
	struct ev_log log = {0};
	vzsim_get_stats(sim, &a);
	vzsim_set_insn_sink(sim, log_sink, &log);
	/* Guest 1: 5 instructions and the final hypcall. */
	vz_run_to_end(sim, vz_gprog_gid(sim, 1, nops, 5));
	/* Guest 2: 3 and the hypcall. */
	vz_run_to_end(sim, vz_gprog_gid(sim, 2, nops, 3));
	vzsim_set_insn_sink(sim, NULL, NULL);
	vzsim_get_stats(sim, &b);
	assert_int_equal(b.guest_insns[1] - a.guest_insns[1], 6);
	assert_int_equal(b.guest_insns[2] - a.guest_insns[2], 4);
	assert_int_equal(b.guest_insns[1] - a.guest_insns[1], count_guest(&log, 1));
	assert_int_equal(b.guest_insns[2] - a.guest_insns[2], count_guest(&log, 2));
	assert_int_equal(b.guest_insns[0], a.guest_insns[0]);
	assert_int_equal(b.guest_exits[GEXC_HC] - a.guest_exits[GEXC_HC], 2);
	assert_int_equal(b.insns - a.insns, log.n);
	/* A GPSI and a GSFC. */
	vz_setup(sim);
	vzsim_get_stats(sim, &a);
	vz_wr(sim, R_GUESTCTL0, 0);
	vz_gprog(sim, PROG(enc_mfc0(T0, C0_STATUS, 0)));
	vz_run_to_exit(sim, GEXC_GPSI, G_CODE);
	vz_wr(sim, R_GUESTCTL0, GC0_CP0);
	h_set_gpr(sim, T0, SR_CU1);
	vz_gprog(sim, PROG(enc_mtc0(T0, C0_STATUS, 0)));
	vz_run_to_exit(sim, GEXC_GSFC, G_CODE);
	vzsim_get_stats(sim, &b);
	assert_int_equal(b.guest_exits[GEXC_GPSI] - a.guest_exits[GEXC_GPSI], 1);
	assert_int_equal(b.guest_exits[GEXC_GSFC] - a.guest_exits[GEXC_GSFC], 1);
	assert_int_equal(b.exceptions[EXC_GE] - a.exceptions[EXC_GE], 2);
}

/* ------------------------------------------------------------ switches, modes */

static void test_world_switch_changes_translation(void **state)
{
	vzsim *sim = *state;
	/* No reset between the runs: whatever vzsim caches of a translation
	 * must follow GuestCtl1.ID and guest/root mode. */
	g_write32(sim, 1, G_DATA, 0x11111111u);
	g_write32(sim, 2, G_DATA, 0x22222222u);
	h_write32(sim, G_DATA, 0x33333333u); /* root's PA of the same address */
	const uint32_t words[] = {enc_lw(S0, 0, T0)};
	for (unsigned round = 0; round < 2; round++) {
		h_set_gpr(sim, T0, G_DATA);
		vz_run_to_end(sim, vz_gprog_gid(sim, 1, words, 1));
		assert_int_equal(h_gpr(sim, S0), 0x11111111u);
		h_set_gpr(sim, T0, G_DATA);
		vz_run_to_end(sim, vz_gprog_gid(sim, 2, words, 1));
		assert_int_equal(h_gpr(sim, S0), 0x22222222u);
		/* Root, same virtual address, its own memory. */
		vz_wr(sim, R_GUESTCTL0, vz_rd(sim, R_GUESTCTL0) & ~GC0_GM);
		h_set_status(sim, 0);
		h_set_gpr(sim, T0, G_DATA);
		h_run_to_end(sim, h_prog(sim, words, 1));
		assert_int_equal(h_gpr(sim, S0), 0x33333333u);
	}
}

static void test_stage2_rewrite_seen_by_the_guest(void **state)
{
	vzsim *sim = *state;
	g_write32(sim, 1, G_DATA, 0x11111111u);
	g_write32(sim, 2, G_DATA, 0x22222222u);
	h_set_gpr(sim, T0, G_DATA);
	GRUN(sim, enc_lw(S0, 0, T0));
	assert_int_equal(h_gpr(sim, S0), 0x11111111u);
	/* Root remaps GuestID 1's GPA 0-2M onto guest 2's memory with tlbwi
	 * (RID = 1), and the guest's next load goes there. */
	vz_wr(sim, R_GUESTCTL0, GC0_CP0);
	h_set_status(sim, 0);
	vz_wr(sim, R_GUESTCTL1, GC1(1, 1));
	h_tlbwi(sim, VZ_S2_IDX1, 0, LO_RAM(G2_PA), LO_RAM(G2_PA + 0x100000u), PM_1M);
	vz_wr(sim, R_GUESTCTL1, GC1(1, 0));
	/* The guest's code is now guest 2's copy: load it there too. */
	h_set_gpr(sim, T0, G_DATA);
	vz_run_to_end(sim, vz_gprog_gid(sim, 2, PROG(enc_lw(S0, 0, T0))) );
	assert_int_equal(h_gpr(sim, S0), 0x22222222u);
	h_set_gpr(sim, T0, G_DATA);
	h_set_gpr(sim, S0, 0);
	vz_wr(sim, R_GUESTCTL1, GC1(1, 0));
	vz_enter(sim, G_CODE);
	vz_run_to_end(sim, G_CODE + 4);
	assert_int_equal(h_gpr(sim, S0), 0x22222222u);
}

static void test_guest_user_mode_from_guest_status(void **state)
{
	vzsim *sim = *state;
	struct ev_log log = {0};
	/* Guest user code at GVA 0x00400000 (guest entry: even page -> the
	 * G_CODE page, odd page -> G_DATA); root stays in kernel mode. */
	vz_tlb_put(sim, vz_gidx(sim, 0), true, 1, 0x00400000u, PM_4K,
		   LO_RAM(G_CODE & 0x1fffffffu), LO_RAM(G_DATA & 0x1fffffffu));
	g_write32(sim, 1, G_DATA + 8, 0x0000beefu);
	g_load(sim, 1, G_CODE, PROG(enc_lw(S0, 0x1008, T0), enc_lw(S1, 0, T1)));
	h_set_gpr(sim, T0, 0x00400000u);
	h_set_gpr(sim, T1, G_DATA);
	g_set_cp0(sim, C0_STATUS, 0, SR_KSU_USER);
	vz_enter(sim, 0x00400000u);
	vzsim_set_insn_sink(sim, log_sink, &log);
	vz_run_to_guest_vec(sim, G_VEC_GEN);
	vzsim_set_insn_sink(sim, NULL, NULL);
	assert_int_equal(h_gpr(sim, S0), 0x0000beefu);
	/* Guest user mode may not reach guest kseg0: the guest's AdEL. */
	assert_int_equal(g_exc(sim), EXC_ADEL);
	assert_int_equal(g_cp0(sim, C0_EPC, 0), 0x00400004u);
	assert_int_equal(g_cp0(sim, C0_BADVADDR, 0), G_DATA);
	assert_int_equal(g_cp0(sim, C0_STATUS, 0), SR_KSU_USER | SR_EXL);
	assert_true(log.n >= 3);
	assert_true(log.ev[1].guest);
	assert_int_equal(log.ev[1].pc, 0x00400000u);
	assert_int_equal(log.ev[1].mode, VZSIM_MODE_USER);
	assert_int_equal(log.ev[2].exc, EXC_ADEL);
	assert_false(log.ev[2].root_exc);
	assert_int_equal(h_status(sim), SR_EXL); /* root: kernel all along */
}

static void test_guest_user_cp0_is_guest_cpu(void **state)
{
	vzsim *sim = *state;
	vz_tlb_put(sim, vz_gidx(sim, 0), true, 1, 0x00400000u, PM_4K,
		   LO_RAM(G_CODE & 0x1fffffffu), LO_RAM(G_DATA & 0x1fffffffu));
	g_load(sim, 1, G_CODE, PROG(enc_mfc0(T0, C0_STATUS, 0)));
	g_set_cp0(sim, C0_STATUS, 0, SR_KSU_USER);
	vz_enter(sim, 0x00400000u);
	vz_run_to_guest_vec(sim, G_VEC_GEN);
	assert_int_equal(g_exc(sim), EXC_CPU);
	assert_int_equal(g_cp0(sim, C0_CAUSE, 0) & CR_CE(3), CR_CE(0));
	assert_int_equal(g_cp0(sim, C0_EPC, 0), 0x00400000u);
}

static void test_guest_di_ei_change_guest_status(void **state)
{
	vzsim *sim = *state;
	g_set_cp0(sim, C0_STATUS, 0, SR_IM(2));
	GRUN(sim, enc_ei(S0), enc_ehb(), enc_mfc0(S1, C0_STATUS, 0), enc_di(S2), enc_ehb());
	assert_int_equal(h_gpr(sim, S0), SR_IM(2));
	assert_int_equal(h_gpr(sim, S1), SR_IM(2) | SR_IE);
	assert_int_equal(h_gpr(sim, S2), SR_IM(2) | SR_IE);
	assert_int_equal(g_cp0(sim, C0_STATUS, 0), SR_IM(2));
	assert_int_equal(h_status(sim), SR_EXL);
}

static void test_guest_self_modifying_code(void **state)
{
	vzsim *sim = *state;
	/* A subroutine at G_CODE + 0x100 that the guest runs, rewrites
	 * through its kseg0 view (a different PA than the same VA in root),
	 * and runs again. */
	g_load(sim, 1, G_CODE + 0x100, PROG(enc_jr(RA), enc_addiu(S0, ZERO, 0x11)));
	h_write32(sim, G_CODE + 0x104, enc_addiu(S0, ZERO, 0x55)); /* root's copy */
	h_set_gpr(sim, T1, enc_addiu(S0, ZERO, 0x77));
	GRUN(sim, enc_jal(G_CODE + 0x100), enc_nop(), enc_move(S1, S0),
	     ENC_LI(T2, G_CODE), enc_sw(T1, 0x104, T2),
	     enc_jal(G_CODE + 0x100), enc_nop());
	assert_int_equal(h_gpr(sim, S1), 0x11);
	assert_int_equal(h_gpr(sim, S0), 0x77);
	assert_int_equal(h_read32(sim, G_CODE + 0x104), enc_addiu(S0, ZERO, 0x55));
}

static void test_vz_off_board_option(void **state)
{
	(void)state;
	vzsim *sim = h_new();
	h_opt(sim, "vz", "off");
	h_setup(sim);
	assert_int_equal(h_cp0(sim, C0_CONFIG, 3) & CONFIG3_VZ, 0);
	const uint32_t words[] = {enc_mfgc0(T0, C0_STATUS, 0), enc_hypcall(1), enc_tlbgp()};
	for (unsigned i = 0; i < 3; i++) {
		h_setup(sim);
		h_prog(sim, &words[i], 1);
		h_run_to_stub(sim, H_VEC_GEN);
		assert_int_equal(h_exc(sim), EXC_RI);
	}
	h_free(sim);
}

/* Root restores what guest exceptions set (vcpu_load): MTGC0 reaches
 * BadVAddr, BadInstr, Cause.BD/ExcCode and Context.BadVPN2, which the
 * guest cannot write. */
static void test_mtgc0_restores_exception_state(void **state)
{
	vzsim *sim = *state;
	assert_int_equal(vzsim_guest_cp0_write(sim, 8, 0, 0x12345678u), 0);
	assert_int_equal(vzsim_guest_cp0_write(sim, 8, 1, 0x0badc0deu), 0);
	assert_int_equal(vzsim_guest_cp0_write(sim, 13, 0, 0x8000007cu), 0);
	uint32_t v;
	assert_int_equal(vzsim_guest_cp0_read(sim, 8, 0, &v), 0);
	assert_int_equal(v, 0x12345678u);
	assert_int_equal(vzsim_guest_cp0_read(sim, 8, 1, &v), 0);
	assert_int_equal(v, 0x0badc0deu);
	assert_int_equal(vzsim_guest_cp0_read(sim, 13, 0, &v), 0);
	assert_int_equal(v, 0x8000007cu);
	/* Context whole, BadVPN2 (22:4) included: a guest refill handler
	 * indexes its page table with it (the stress guest found it). */
	assert_int_equal(vzsim_guest_cp0_write(sim, 4, 0, 0x80123450u), 0);
	assert_int_equal(vzsim_guest_cp0_read(sim, 4, 0, &v), 0);
	assert_int_equal(v, 0x80123450u);
}

int main(void)
{
	for (size_t i = 0; i < sizeof nops / sizeof nops[0]; i++)
		nops[i] = enc_nop();
	const struct CMUnitTest tests[] = {
#define VZT(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		VZT(test_config3_vz_and_guest_config),
		VZT(test_mtgc0_restores_exception_state),
		VZT(test_guest_reset_values),
		VZT(test_root_vz_registers_reset_values),
		VZT(test_root_vz_registers_writable_fields),
		VZT(test_guest_mode_predicate),
		VZT(test_eret_enters_guest_at_root_epc),
		VZT(test_guest_kseg1_is_the_same_gpa),
		VZT(test_gpsi_every_cp0_instruction_without_cp0),
		VZT(test_gpsi_cache_without_cp0_even_if_cg_cgi),
		VZT(test_gpsi_wait_always),
		VZT(test_gpsi_count_compare_without_gt),
		VZT(test_count_compare_with_gt),
		VZT(test_gpsi_mtc0_lladdr),
		VZT(test_gpsi_registers_the_guest_does_not_have),
		VZT(test_gpsi_cache_by_cg_and_cgi),
		VZT(test_exit_in_delay_slot_reports_the_branch),
		VZT(test_root_exit_registers),
		VZT(test_gsfc_status_sensitive_fields),
		VZT(test_gsfc_not_raised_for_other_status_fields),
		VZT(test_gsfc_cause_dc),
		VZT(test_fcd_drops_the_change_and_does_the_rest),
		VZT(test_hypcall_code_in_badinstr),
		VZT(test_hypcall_in_root_kernel_mode),
		VZT(test_grr_with_guestctl0_ri),
		VZT(test_guest_ri_without_guestctl0_ri_goes_to_guest),
		VZT(test_guest_syscall_to_guest_vector),
		VZT(test_guest_exception_in_delay_slot),
		VZT(test_guest_address_error),
		VZT(test_guest_overflow_and_trap),
		VZT(test_guest_cop1_is_guest_cpu),
		VZT(test_guest_writes_config0_k0_only),
		VZT(test_guest_handler_eret_returns_to_guest),
		VZT(test_guest_vectors_follow_guest_ebase_and_bev),
		VZT(test_mtgc0_mfgc0_round_trip),
		VZT(test_guest_config_is_read_only_but_k0),
		VZT(test_linux_kvm_vz_probe),
		VZT(test_stage2_uses_guestid_not_root_entries),
		VZT(test_stage2_miss_with_only_other_guestids),
		VZT(test_stage2_ignores_asid),
		VZT(test_stage2_refill_root_registers),
		VZT(test_stage2_refill_in_delay_slot_and_on_fetch),
		VZT(test_stage2_invalid_and_modified),
		VZT(test_guest_mapped_16k_over_stage2_1m),
		VZT(test_guest_mapped_1m_over_stage2_4k),
		VZT(test_guest_count_is_root_count_plus_gtoffset),
		VZT(test_guest_timer_interrupt),
		VZT(test_guest_timer_masked_sets_ti_only),
		VZT(test_root_compare_write_keeps_guest_match),
		VZT(test_guest_compare_write_keeps_root_match),
		VZT(test_gtoffset_write_keeps_root_match),
		VZT(test_vip_shows_in_guest_cause),
		VZT(test_vip_interrupts_the_guest),
		VZT(test_root_timer_interrupt_while_guest_runs),
		VZT(test_root_interrupt_needs_root_ie),
		VZT(test_insn_events_guest_fields),
		VZT(test_stats_guest_counters),
		VZT(test_world_switch_changes_translation),
		VZT(test_stage2_rewrite_seen_by_the_guest),
		VZT(test_guest_user_mode_from_guest_status),
		VZT(test_guest_user_cp0_is_guest_cpu),
		VZT(test_guest_di_ei_change_guest_status),
		VZT(test_guest_self_modifying_code),
		VZT(test_vz_off_board_option),
#undef VZT
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
