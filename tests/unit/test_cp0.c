/*
 * CP0: reset values, writable and read-only fields, EBase's write gate,
 * Count/Compare timing, Wired/Random, rdhwr, and coprocessor-usable
 * checks (CU0 for user-mode CP0 access, CpU with CE for COP1/COP2).
 *
 * Reset and configuration values are the ones boards/sim/cpu/cp0.c
 * documents as vzsim's P5600-like core (PRId 0x0001A820, Config0..5); the
 * writable masks are the architecture's fields for such a core (MIPS32 PRA
 * r5: no FPU so CU1 is read-only zero, Index.P is read-only, BadVAddr,
 * PRId, Config1..5 are read-only, EntryLo RI/XI need PageGrain RIE/XIE,
 * EBase[31:30] need EBase.WG, Cause keeps ExcCode/BD/CE read-only).
 */
#include "sim_harness.h"

#include <stdlib.h>
#include <string.h>

#define RUN(sim, ...) h_run_to_end((sim), h_prog((sim), PROG(__VA_ARGS__)))

/* Expected configuration registers with the default 64 TLB entries. */
#define CONFIG0 0x80000482u /* M, AR=1, MT=1 (TLB), K0=2 */
#define CONFIG1 0xfee37180u /* M, MMUSize 63, 64 KB 4-way 32 B I$ and D$ */
#define CONFIG2 0x80000000u
#define CONFIG3 0x8c803221u /* M BP BI VZ ULRI RXI CTXTC VInt TL */
#define CONFIG4 0xc0fc4000u /* M, IE=2, KScrExist 2..7, MMUExtDef=1 */
#define CONFIG5 0x00000000u

/* ------------------------------------------------------------ reset */

static void test_reset_values_after_new(void **state)
{
	(void)state;
	vzsim *sim = h_new();
	assert_int_equal(vzsim_pc(sim), 0xbfc00000u);
	assert_int_equal(h_status(sim), SR_BEV | SR_ERL);
	assert_int_equal(h_cp0(sim, C0_PRID, 0), 0x0001a820u);
	assert_int_equal(h_cp0(sim, C0_PRID, 1), 0x80000000u); /* EBase */
	assert_int_equal(h_cp0(sim, C0_CONFIG, 0), CONFIG0);
	assert_int_equal(h_cp0(sim, C0_CONFIG, 1), CONFIG1);
	assert_int_equal(h_cp0(sim, C0_CONFIG, 2), CONFIG2);
	assert_int_equal(h_cp0(sim, C0_CONFIG, 3), CONFIG3);
	assert_int_equal(h_cp0(sim, C0_CONFIG, 4), CONFIG4);
	assert_int_equal(h_cp0(sim, C0_CONFIG, 5), CONFIG5);
	assert_int_equal(h_cp0(sim, C0_STATUS, 1), 0xe0000000u); /* IntCtl.IPTI = 7 */
	assert_int_equal(h_cp0(sim, C0_RANDOM, 0), 63);
	assert_int_equal(h_cp0(sim, C0_WIRED, 0), 0);
	assert_int_equal(h_cp0(sim, C0_CAUSE, 0), 0);
	assert_int_equal(h_cp0(sim, C0_CONTEXT, 1), 0x007ffff0u); /* ContextConfig */
	assert_int_equal(h_cp0(sim, C0_PAGEMASK, 1), 0);          /* PageGrain */
	assert_int_equal(h_cp0(sim, C0_HWRENA, 0), 0);
	assert_int_equal(h_cp0(sim, C0_PAGEMASK, 0), 0);
	h_free(sim);
}

static void test_status_after_vzsim_reset(void **state)
{
	vzsim *sim = *state;
	/*
	 * vzsim_reset starts a program the way QEMU's Malta does for
	 * -kernel: BEV set, ERL cleared (board.c).  Note that vzsim.h's
	 * comment on vzsim_reset says "Status.BEV and ERL set".
	 */
	vzsim_reset(sim, 0x80001234u);
	assert_int_equal(vzsim_pc(sim), 0x80001234u);
	assert_int_equal(h_status(sim), SR_BEV);
	assert_int_equal(h_cp0(sim, C0_RANDOM, 0), 63);
	assert_int_equal(h_cp0(sim, C0_PRID, 0), 0x0001a820u);
	assert_int_equal(h_cp0(sim, C0_CONFIG, 1), CONFIG1);
}

static void test_reset_invalidates_tlb(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 5, 0x00200000u, LO_RAM(0), LO_RAM(0x1000), PM_4K);
	vzsim_reset(sim, H_CODE);
	h_set_status(sim, 0);
	h_tlbr(sim, 5);
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), EHINV);
	assert_int_equal(h_cp0(sim, C0_ENTRYLO0, 0), 0);
	assert_int_equal(h_cp0(sim, C0_ENTRYLO1, 0), 0);
}

/* Total TLB entries as Config1.MMUSize and Config4.MMUSizeExt describe
 * them (Config4.MMUExtDef = 1: MMUSizeExt holds the bits above
 * MMUSize's six, PRA r5 Config4). */
static unsigned decoded_tlb_entries(vzsim *sim)
{
	uint32_t c1 = h_cp0(sim, C0_CONFIG, 1), c4 = h_cp0(sim, C0_CONFIG, 4);
	unsigned n = ((c1 >> 25) & 63u) + 1;
	if ((c1 >> 31) && ((c4 >> 14) & 3u) == 1)
		n += (c4 & 0xffu) * 64;
	return n;
}

static void test_config_describes_tlb_entries(void **state)
{
	vzsim *sim = *state;
	static const char *const sizes[] = {"1", "16", "64", "128", "256", "100", "65"};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		h_opt(sim, "tlb-entries", sizes[i]);
		h_setup(sim);
		unsigned n = (unsigned)atoi(sizes[i]);
		if (decoded_tlb_entries(sim) != n)
			fail_msg("tlb-entries %u: Config1 0x%08x Config4 0x%08x describe %u entries",
				 n, h_cp0(sim, C0_CONFIG, 1), h_cp0(sim, C0_CONFIG, 4),
				 decoded_tlb_entries(sim));
		assert_int_equal(h_cp0(sim, C0_RANDOM, 0), n - 1);
	}
}

/* ------------------------------------------------------------ writable fields */

static void test_status_writable_fields(void **state)
{
	vzsim *sim = *state;
	/* CU0 BEV TS SR NMI IM KSU ERL EXL IE; CU1..3, RP, FR, RE, MX and
	 * the 64-bit KX/SX/UX bits are read-only zero on this core. */
	h_set_status(sim, 0xffffffffu);
	assert_int_equal(h_status(sim), 0x1078ff1fu);
	assert_int_equal(h_status(sim) & SR_CU1, 0);
	h_set_status(sim, 0);
	assert_int_equal(h_status(sim), 0);
}

static void test_status_cu1_stays_clear_so_cop1_traps(void **state)
{
	vzsim *sim = *state;
	h_set_status(sim, SR_CU1 | SR_CU0);
	assert_int_equal(h_status(sim), SR_CU0);
	uint32_t w = enc_mfc1(T0, 1);
	h_prog(sim, PROG(w));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_CPU);
	assert_int_equal(h_cause(sim) & CR_CE(3), CR_CE(1));
	assert_int_equal(h_cp0(sim, 8, 1), w);
}

static void test_cause_writable_fields(void **state)
{
	vzsim *sim = *state;
	/* Only DC, IV and the software interrupt bits IP1..IP0. */
	h_set_cp0(sim, C0_CAUSE, 0, 0xffffffffu);
	assert_int_equal(h_cause(sim), CR_DC | CR_IV | CR_IP(1) | CR_IP(0));
	h_set_cp0(sim, C0_CAUSE, 0, 0);
	assert_int_equal(h_cause(sim), 0);
}

static void test_cause_exccode_and_bd_not_writable(void **state)
{
	vzsim *sim = *state;
	h_prog(sim, PROG(enc_b(1), enc_syscall(0), enc_nop()));
	h_run_to_stub(sim, H_VEC_GEN);
	uint32_t c = h_cause(sim);
	assert_int_equal(CR_EXC(c), EXC_SYS);
	assert_true(c & CR_BD);
	h_set_cp0(sim, C0_CAUSE, 0, 0);
	assert_int_equal(h_cause(sim), c);
	/* Through mtc0 as well. */
	h_set_status(sim, 0);
	RUN(sim, enc_mtc0(ZERO, C0_CAUSE, 0), enc_ehb(), enc_mfc0(T0, C0_CAUSE, 0));
	assert_int_equal(h_gpr(sim, T0), c);
}

static void test_entryhi_writable_fields(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_ENTRYHI, 0, 0xffffffffu);
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), 0xffffe000u | EHINV | 0xffu);
	h_set_cp0(sim, C0_ENTRYHI, 0, 0x12345a5au);
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), 0x1234405au);
}

static void test_pagemask_sizes_round_trip(void **state)
{
	vzsim *sim = *state;
	const uint32_t masks[] = {PM_4K, PM_16K, PM_64K, PM_256K, PM_1M,
				  PM_4M, PM_16M, PM_64M, PM_256M};
	for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++) {
		h_set_cp0(sim, C0_PAGEMASK, 0, masks[i]);
		assert_int_equal(h_cp0(sim, C0_PAGEMASK, 0), masks[i]);
	}
	/* Bits outside Mask[28:13] never stick. */
	h_set_cp0(sim, C0_PAGEMASK, 0, 0xffffffffu);
	assert_int_equal(h_cp0(sim, C0_PAGEMASK, 0), PM_256M);
}

static void test_entrylo_ri_xi_need_pagegrain(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_ENTRYLO0, 0, 0xffffffffu);
	assert_int_equal(h_cp0(sim, C0_ENTRYLO0, 0), 0x3fffffffu);
	h_set_cp0(sim, C0_PAGEMASK, 1, 0xffffffffu); /* PageGrain */
	assert_int_equal(h_cp0(sim, C0_PAGEMASK, 1), 0xc8000000u); /* RIE XIE IEC */
	h_set_cp0(sim, C0_ENTRYLO0, 0, 0xffffffffu);
	h_set_cp0(sim, C0_ENTRYLO1, 0, 0x80000002u);
	assert_int_equal(h_cp0(sim, C0_ENTRYLO0, 0), 0xffffffffu);
	assert_int_equal(h_cp0(sim, C0_ENTRYLO1, 0), 0x80000002u);
	h_set_cp0(sim, C0_PAGEMASK, 1, 1u << 30); /* XIE only */
	h_set_cp0(sim, C0_ENTRYLO1, 0, 0xc0000002u);
	assert_int_equal(h_cp0(sim, C0_ENTRYLO1, 0), 0x40000002u);
}

static void test_index_p_is_read_only(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_INDEX, 0, 0xffffffffu);
	assert_int_equal(h_cp0(sim, C0_INDEX, 0), 63);
	h_set_cp0(sim, C0_INDEX, 0, 17);
	assert_int_equal(h_cp0(sim, C0_INDEX, 0), 17);
}

static void test_hwrena_writable_fields(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_HWRENA, 0, 0xffffffffu);
	assert_int_equal(h_cp0(sim, C0_HWRENA, 0), 0x2000000fu);
}

static void test_intctl_only_vs_writable(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_STATUS, 1, 0xffffffffu);
	assert_int_equal(h_cp0(sim, C0_STATUS, 1), 0xe00003e0u);
	h_set_cp0(sim, C0_STATUS, 1, 0);
	assert_int_equal(h_cp0(sim, C0_STATUS, 1), 0xe0000000u);
}

static void test_config0_only_k0_writable(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_CONFIG, 0, 0xfffffffbu); /* K0 = 3 */
	assert_int_equal(h_cp0(sim, C0_CONFIG, 0), (CONFIG0 & ~7u) | 3u);
	h_set_cp0(sim, C0_CONFIG, 0, 0);
	assert_int_equal(h_cp0(sim, C0_CONFIG, 0), CONFIG0 & ~7u);
}

static void test_read_only_registers_ignore_writes(void **state)
{
	vzsim *sim = *state;
	const struct { unsigned reg, sel; } ro[] = {
		{C0_RANDOM, 0}, {C0_BADVADDR, 0}, {C0_BADVADDR, 1}, {C0_BADVADDR, 2},
		{C0_PRID, 0}, {C0_CONFIG, 1}, {C0_CONFIG, 2}, {C0_CONFIG, 3},
		{C0_CONFIG, 4}, {C0_CONFIG, 5}, {C0_LLADDR, 0},
	};
	for (size_t i = 0; i < sizeof ro / sizeof ro[0]; i++) {
		uint32_t before = h_cp0(sim, ro[i].reg, ro[i].sel);
		h_set_cp0(sim, ro[i].reg, ro[i].sel, ~before);
		if (h_cp0(sim, ro[i].reg, ro[i].sel) != before)
			fail_msg("CP0 %u.%u changed on write: 0x%08x -> 0x%08x",
				 ro[i].reg, ro[i].sel, before, h_cp0(sim, ro[i].reg, ro[i].sel));
	}
	/* And from a program. */
	h_set_gpr(sim, T0, 0x12345678u);
	RUN(sim, enc_mtc0(T0, C0_PRID, 0), enc_mtc0(T0, C0_CONFIG, 1),
	    enc_mtc0(T0, C0_BADVADDR, 0), enc_ehb(),
	    enc_mfc0(S0, C0_PRID, 0), enc_mfc0(S1, C0_CONFIG, 1));
	assert_int_equal(h_gpr(sim, S0), 0x0001a820u);
	assert_int_equal(h_gpr(sim, S1), CONFIG1);
}


/* Board option prid: what PRId reads, root and guest, from a program and
 * after a reset; nothing else of the core changes with it. */
static void test_prid_board_option(void **state)
{
	(void)state;
	vzsim *sim = h_new();
	char err[256];
	assert_int_equal(vzsim_board_opt(sim, "prid", "r4000", err, sizeof err), -1);
	assert_non_null(strstr(err, "p5600|proaptiv"));
	h_opt(sim, "prid", "proaptiv");
	assert_int_equal(h_cp0(sim, C0_PRID, 0), 0x0001a220u);
	uint32_t g = 0;
	assert_int_equal(vzsim_guest_cp0_read(sim, C0_PRID, 0, &g), 0);
	assert_int_equal(g, 0x0001a220u);
	assert_int_equal(h_cp0(sim, C0_CONFIG, 3), CONFIG3); /* VZ and the rest */
	vzsim_reset(sim, 0x80001000u);
	RUN(sim, enc_mfc0(S0, C0_PRID, 0));
	assert_int_equal(h_gpr(sim, S0), 0x0001a220u);
	h_opt(sim, "prid", "p5600");
	assert_int_equal(h_cp0(sim, C0_PRID, 0), 0x0001a820u);
	h_free(sim);
}
static void test_read_write_registers_round_trip(void **state)
{
	vzsim *sim = *state;
	const struct { unsigned reg, sel; } rw[] = {
		{C0_EPC, 0}, {C0_ERROREPC, 0}, {C0_CONTEXT, 2} /* UserLocal */,
		{C0_KSCRATCH, 2}, {C0_KSCRATCH, 3}, {C0_KSCRATCH, 4},
		{C0_KSCRATCH, 5}, {C0_KSCRATCH, 6}, {C0_KSCRATCH, 7},
	};
	for (size_t i = 0; i < sizeof rw / sizeof rw[0]; i++) {
		uint32_t v = 0x9e3779b9u * (uint32_t)(i + 1);
		h_set_cp0(sim, rw[i].reg, rw[i].sel, v);
		assert_int_equal(h_cp0(sim, rw[i].reg, rw[i].sel), v);
	}
	/* Through mtc0/mfc0. */
	h_set_gpr(sim, T0, 0xa5a55a5au);
	RUN(sim, enc_mtc0(T0, C0_KSCRATCH, 2), enc_mtc0(T0, C0_EPC, 0), enc_ehb(),
	    enc_mfc0(S0, C0_KSCRATCH, 2), enc_mfc0(S1, C0_EPC, 0));
	assert_int_equal(h_gpr(sim, S0), 0xa5a55a5au);
	assert_int_equal(h_gpr(sim, S1), 0xa5a55a5au);
}

static void test_unimplemented_registers_are_reported(void **state)
{
	vzsim *sim = *state;
	uint32_t v = 0x1234u;
	/* KScratch1 (31.1) does not exist: Config4.KScrExist has bits 2..7. */
	assert_int_equal(vzsim_cp0_read(sim, C0_KSCRATCH, 1, &v), -1);
	assert_int_equal(vzsim_cp0_read(sim, 23, 0, &v), -1); /* Debug: no EJTAG */
	assert_int_equal(vzsim_cp0_read(sim, 32, 0, &v), -1);
	assert_int_equal(vzsim_cp0_read(sim, 12, 8, &v), -1);
	assert_int_equal(vzsim_cp0_write(sim, 23, 0, 0), -1);
}

/* ------------------------------------------------------------ EBase */

static void test_ebase_write_gate(void **state)
{
	vzsim *sim = *state;
	/* WG clear: bits 31:30 keep their value, 29:12 are written. */
	h_set_cp0(sim, C0_PRID, 1, 0x40042000u);
	assert_int_equal(h_cp0(sim, C0_PRID, 1), 0x80042000u);
	/* Set WG (bit 11). */
	h_set_cp0(sim, C0_PRID, 1, 0x80000800u);
	assert_int_equal(h_cp0(sim, C0_PRID, 1), 0x80000800u);
	/* With WG set, bits 31:30 are writable. */
	h_set_cp0(sim, C0_PRID, 1, 0x40001800u);
	assert_int_equal(h_cp0(sim, C0_PRID, 1), 0x40001800u);
	/* CPUNum (9:0) is read-only; bit 10 reads zero. */
	h_set_cp0(sim, C0_PRID, 1, 0x40001fffu);
	assert_int_equal(h_cp0(sim, C0_PRID, 1), 0x40001800u);
}

/* ------------------------------------------------------------ Count/Compare */

static uint32_t nops[200];

/* Runs `n` instructions (n-1 nops and the final wait) from Count = 0. */
static void run_n_from_count_zero(vzsim *sim, unsigned n)
{
	uint32_t end = h_prog(sim, nops, n - 1);
	h_set_cp0(sim, C0_COUNT, 0, 0);
	h_run_to_end(sim, end);
}

static void test_count_default_rate_is_half(void **state)
{
	vzsim *sim = *state;
	run_n_from_count_zero(sim, 100);
	assert_int_equal(h_cp0(sim, C0_COUNT, 0), 50);
	run_n_from_count_zero(sim, 7);
	assert_int_equal(h_cp0(sim, C0_COUNT, 0), 3);
}

static void test_count_div_option_changes_rate(void **state)
{
	vzsim *sim = *state;
	h_opt(sim, "count-div", "1");
	run_n_from_count_zero(sim, 100);
	assert_int_equal(h_cp0(sim, C0_COUNT, 0), 100);
	h_opt(sim, "count-div", "3");
	run_n_from_count_zero(sim, 100);
	assert_int_equal(h_cp0(sim, C0_COUNT, 0), 33);
}

static void test_count_div_change_keeps_count(void **state)
{
	vzsim *sim = *state;
	run_n_from_count_zero(sim, 100); /* 50 */
	h_opt(sim, "count-div", "1");
	assert_int_equal(h_cp0(sim, C0_COUNT, 0), 50);
	uint32_t end = h_prog(sim, nops, 9);
	h_run_to_end(sim, end);
	assert_int_equal(h_cp0(sim, C0_COUNT, 0), 60);
}

static void test_count_write_sets_base(void **state)
{
	vzsim *sim = *state;
	uint32_t end = h_prog(sim, nops, 19);
	h_set_cp0(sim, C0_COUNT, 0, 0xfffffff0u);
	h_run_to_end(sim, end);
	assert_int_equal(h_cp0(sim, C0_COUNT, 0), 0xfffffffau);
	end = h_prog(sim, nops, 39);
	h_run_to_end(sim, end);
	assert_int_equal(h_cp0(sim, C0_COUNT, 0), 0x0000000eu); /* wrapped */
}

static void test_count_read_in_program(void **state)
{
	vzsim *sim = *state;
	h_opt(sim, "count-div", "1");
	h_set_cp0(sim, C0_COUNT, 0, 0);
	RUN(sim, enc_mfc0(S0, C0_COUNT, 0), enc_nop(), enc_nop(), enc_nop(),
	    enc_nop(), enc_nop(), enc_nop(), enc_nop(), enc_nop(), enc_nop(),
	    enc_nop(), enc_mfc0(S1, C0_COUNT, 0));
	assert_int_equal(h_gpr(sim, S1) - h_gpr(sim, S0), 11);
}

static void test_cause_dc_stops_count(void **state)
{
	vzsim *sim = *state;
	run_n_from_count_zero(sim, 20); /* 10 */
	h_set_cp0(sim, C0_CAUSE, 0, CR_DC);
	uint32_t end = h_prog(sim, nops, 49);
	h_run_to_end(sim, end);
	assert_int_equal(h_cp0(sim, C0_COUNT, 0), 10);
	h_set_cp0(sim, C0_CAUSE, 0, 0);
	end = h_prog(sim, nops, 9);
	h_run_to_end(sim, end);
	assert_int_equal(h_cp0(sim, C0_COUNT, 0), 15);
}

static void test_timer_sets_ti_when_count_reaches_compare(void **state)
{
	vzsim *sim = *state;
	h_prog(sim, nops, 60);
	h_set_cp0(sim, C0_COUNT, 0, 0);
	h_set_cp0(sim, C0_COMPARE, 0, 10);
	assert_int_equal(h_run(sim, 19), VZSIM_STOP_BUDGET);
	assert_int_equal(h_cp0(sim, C0_COUNT, 0), 9);
	assert_int_equal(h_cause(sim) & (CR_TI | CR_IP(7)), 0);
	assert_int_equal(h_run(sim, 1), VZSIM_STOP_BUDGET);
	assert_int_equal(h_cp0(sim, C0_COUNT, 0), 10);
	/* TI, and the timer interrupt on IP7 (IntCtl.IPTI = 7). */
	assert_int_equal(h_cause(sim) & (CR_TI | CR_IP(7)), CR_TI | CR_IP(7));
	/* Stays set as Count moves on; no interrupt with IE clear. */
	assert_int_equal(h_run(sim, 10), VZSIM_STOP_BUDGET);
	assert_true(h_cause(sim) & CR_TI);
	assert_int_equal(vzsim_pc(sim), H_CODE + 4 * 30);
}

static void test_compare_write_clears_ti(void **state)
{
	vzsim *sim = *state;
	h_prog(sim, nops, 60);
	h_set_cp0(sim, C0_COUNT, 0, 0);
	h_set_cp0(sim, C0_COMPARE, 0, 2);
	h_run(sim, 10);
	assert_true(h_cause(sim) & CR_TI);
	h_set_cp0(sim, C0_COMPARE, 0, 1000);
	assert_int_equal(h_cause(sim) & (CR_TI | CR_IP(7)), 0);
}

static void test_compare_write_in_program_clears_ti(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_COUNT, 0, 0);
	h_set_cp0(sim, C0_COMPARE, 0, 3);
	RUN(sim, enc_nop(), enc_nop(), enc_nop(), enc_nop(), enc_nop(), enc_nop(),
	    enc_nop(), enc_nop(), enc_mfc0(S0, C0_CAUSE, 0),
	    enc_mfc0(T0, C0_COUNT, 0), enc_mtc0(T0, C0_COMPARE, 0), enc_ehb(),
	    enc_mfc0(S1, C0_CAUSE, 0));
	assert_int_equal(h_gpr(sim, S0) & (CR_TI | CR_IP(7)), CR_TI | CR_IP(7));
	assert_int_equal(h_gpr(sim, S1) & (CR_TI | CR_IP(7)), 0);
}

static void test_timer_match_after_count_wraps(void **state)
{
	vzsim *sim = *state;
	h_opt(sim, "count-div", "1");
	h_prog(sim, nops, 60);
	h_set_cp0(sim, C0_COUNT, 0, 0xfffffffcu);
	h_set_cp0(sim, C0_COMPARE, 0, 3);
	h_run(sim, 6);
	assert_int_equal(h_cause(sim) & CR_TI, 0);
	h_run(sim, 1);
	assert_int_equal(h_cp0(sim, C0_COUNT, 0), 3);
	assert_true(h_cause(sim) & CR_TI);
}

/* ------------------------------------------------------------ Wired/Random */

static void run_tlbwr(vzsim *sim)
{
	uint32_t end = h_prog_at(sim, H_SCRATCH, PROG(enc_tlbwr()));
	h_run_to_end(sim, end);
}

static void test_wired_write_resets_random_to_top(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_PAGEMASK, 0, 0);
	h_set_cp0(sim, C0_ENTRYLO0, 0, 0);
	h_set_cp0(sim, C0_ENTRYLO1, 0, 0);
	for (unsigned i = 0; i < 8; i++) {
		h_set_cp0(sim, C0_ENTRYHI, 0, 0x10000000u + i * 0x2000u);
		run_tlbwr(sim);
	}
	h_set_cp0(sim, C0_WIRED, 0, 5);
	assert_int_equal(h_cp0(sim, C0_WIRED, 0), 5);
	assert_int_equal(h_cp0(sim, C0_RANDOM, 0), 63);
	/* From a program too. */
	h_set_cp0(sim, C0_ENTRYHI, 0, 0x20000000u);
	run_tlbwr(sim);
	h_set_gpr(sim, T0, 9);
	RUN(sim, enc_mtc0(T0, C0_WIRED, 0), enc_ehb(), enc_mfc0(S0, C0_RANDOM, 0));
	assert_int_equal(h_gpr(sim, S0), 63);
}

static void test_random_stays_in_wired_range_and_names_tlbwr_slot(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_WIRED, 0, 60);
	h_set_cp0(sim, C0_PAGEMASK, 0, 0);
	unsigned seen[64] = {0};
	for (unsigned i = 0; i < 60; i++) {
		uint32_t r = h_cp0(sim, C0_RANDOM, 0);
		if (r < 60 || r > 63)
			fail_msg("tlbwr %u: Random %u outside [60, 63]", i, r);
		seen[r]++;
		uint32_t hi = 0x10000000u + i * 0x2000u;
		h_set_cp0(sim, C0_ENTRYHI, 0, hi);
		h_set_cp0(sim, C0_ENTRYLO0, 0, LO_RAM(0x00300000u));
		h_set_cp0(sim, C0_ENTRYLO1, 0, 0);
		run_tlbwr(sim);
		/* The entry went where Random pointed. */
		h_tlbr(sim, r);
		assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), hi);
	}
	unsigned distinct = 0;
	for (unsigned r = 60; r < 64; r++)
		distinct += seen[r] != 0;
	assert_true(distinct >= 2);
}

static void test_random_is_read_only(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_RANDOM, 0, 3);
	assert_int_equal(h_cp0(sim, C0_RANDOM, 0), 63);
}

/* ------------------------------------------------------------ rdhwr */

static void test_rdhwr_in_kernel_mode(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_CONTEXT, 2, 0x0badcafeu); /* UserLocal */
	h_set_cp0(sim, C0_COUNT, 0, 1000);
	/* HWREna = 0 does not matter in kernel mode. */
	RUN(sim, enc_rdhwr(S0, 0), enc_rdhwr(S1, 1), enc_rdhwr(S2, 2),
	    enc_rdhwr(S3, 3), enc_rdhwr(S4, 29), enc_mfc0(S5, C0_COUNT, 0));
	assert_int_equal(h_gpr(sim, S0), 0);      /* CPUNum = EBase[9:0] */
	assert_int_equal(h_gpr(sim, S1), 32);     /* SYNCI_Step: 32-byte lines */
	assert_int_equal(h_gpr(sim, S2), 1001);   /* CC = Count after 3 insns (div 2) */
	assert_int_equal(h_gpr(sim, S3), 2);      /* CCRes = count-div */
	assert_int_equal(h_gpr(sim, S4), 0x0badcafeu);
	assert_int_equal(h_gpr(sim, S5), 1003);
}

static void test_rdhwr_ccres_follows_count_div(void **state)
{
	vzsim *sim = *state;
	h_opt(sim, "count-div", "1");
	RUN(sim, enc_rdhwr(S3, 3));
	assert_int_equal(h_gpr(sim, S3), 1);
}

static void test_rdhwr_unimplemented_register_is_ri(void **state)
{
	vzsim *sim = *state;
	uint32_t w = enc_rdhwr(S0, 4);
	h_prog(sim, PROG(w));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_RI);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE);
	assert_int_equal(h_cp0(sim, 8, 1), w);
}

static void test_rdhwr_user_without_hwrena_is_ri(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_HWRENA, 0, 0x0000000fu); /* not bit 29 */
	h_set_gpr(sim, S0, 0x77u);
	h_user_prog(sim, SR_KSU_USER, PROG(enc_nop(), enc_rdhwr(S0, 29)));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_RI);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_USER_VA + 4);
	assert_int_equal(h_gpr(sim, S0), 0x77u);
}

static void test_rdhwr_user_with_hwrena(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_HWRENA, 0, (1u << 29) | (1u << 1) | (1u << 3));
	h_set_cp0(sim, C0_CONTEXT, 2, 0x13579bdfu);
	uint32_t sys = h_user_prog(sim, SR_KSU_USER,
				   PROG(enc_rdhwr(S0, 29), enc_rdhwr(S1, 1), enc_rdhwr(S3, 3)));
	h_run_to_syscall(sim, sys);
	assert_int_equal(h_gpr(sim, S0), 0x13579bdfu);
	assert_int_equal(h_gpr(sim, S1), 32);
	assert_int_equal(h_gpr(sim, S3), 2);
}

static void test_rdhwr_user_cc_disabled_individually(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_HWRENA, 0, 1u << 3); /* CCRes yes, CC no */
	h_user_prog(sim, SR_KSU_USER, PROG(enc_rdhwr(S3, 3), enc_rdhwr(S2, 2)));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_RI);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_USER_VA + 4);
	assert_int_equal(h_gpr(sim, S3), 2);
}

/* ------------------------------------------------------------ coprocessor usable */

static void test_user_mfc0_without_cu0_is_cpu0(void **state)
{
	vzsim *sim = *state;
	uint32_t w = enc_mfc0(S0, C0_STATUS, 0);
	h_set_gpr(sim, S0, 0x99u);
	h_user_prog(sim, SR_KSU_USER, PROG(enc_nop(), w));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_CPU);
	assert_int_equal(h_cause(sim) & CR_CE(3), CR_CE(0));
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_USER_VA + 4);
	assert_int_equal(h_cp0(sim, 8, 1), w);
	assert_int_equal(h_gpr(sim, S0), 0x99u);
	/* The exception entered kernel mode with EXL; KSU is untouched. */
	assert_int_equal(h_status(sim), SR_KSU_USER | SR_EXL);
}

static void test_user_mfc0_with_cu0_works(void **state)
{
	vzsim *sim = *state;
	uint32_t sys = h_user_prog(sim, SR_KSU_USER | SR_CU0,
				   PROG(enc_mfc0(S0, C0_STATUS, 0), enc_mfc0(S1, C0_PRID, 0)));
	h_run_to_syscall(sim, sys);
	assert_int_equal(h_gpr(sim, S0), SR_KSU_USER | SR_CU0);
	assert_int_equal(h_gpr(sim, S1), 0x0001a820u);
}

static void test_supervisor_mfc0_without_cu0_is_cpu0(void **state)
{
	vzsim *sim = *state;
	h_user_prog(sim, SR_KSU_SUPER, PROG(enc_mfc0(S0, C0_STATUS, 0)));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_CPU);
	assert_int_equal(h_cause(sim) & CR_CE(3), CR_CE(0));
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_USER_VA);
}

static void test_user_privileged_instructions_are_cpu0(void **state)
{
	vzsim *sim = *state;
	const uint32_t words[] = {
		enc_mtc0(ZERO, C0_STATUS, 0), enc_tlbwi(), enc_tlbp(), enc_tlbr(),
		enc_tlbwr(), enc_eret(), enc_wait(), enc_di(ZERO), enc_ei(ZERO),
		enc_cache(0x14, 0, ZERO), enc_tlbinvf(),
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		h_setup(sim);
		h_user_prog(sim, SR_KSU_USER, &words[i], 1);
		h_run_to_stub(sim, H_VEC_GEN);
		if (h_exc(sim) != EXC_CPU || (h_cause(sim) & CR_CE(3)) != CR_CE(0) ||
		    h_cp0(sim, C0_EPC, 0) != H_USER_VA)
			fail_msg("user 0x%08x: Cause 0x%08x EPC 0x%08x, expected CpU CE=0",
				 words[i], h_cause(sim), h_cp0(sim, C0_EPC, 0));
	}
}

static void test_cache_in_kernel_and_with_cu0_is_allowed(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, H_DATA);
	RUN(sim, enc_cache(0x14, 0, T0), enc_cache(0x01, 0x20, T0));
	h_setup(sim);
	h_set_gpr(sim, T0, H_USER_DATA);
	uint32_t sys = h_user_prog(sim, SR_KSU_USER | SR_CU0, PROG(enc_cache(0x15, 0, T0)));
	h_run_to_syscall(sim, sys);
}

static void test_cop1_and_cop2_raise_cpu_with_ce(void **state)
{
	vzsim *sim = *state;
	const struct { uint32_t w; unsigned ce; } cases[] = {
		{enc_mfc1(T0, 2), 1},
		{enc_add_s(0, 1, 2), 1},
		{enc_lwc1(1, 0, ZERO), 1},
		{0x4c000000u, 1},          /* COP1X */
		{enc_mfc2(T0, 1), 2},
		{0xc8000000u, 2},          /* lwc2 */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		h_setup(sim);
		h_prog(sim, &cases[i].w, 1);
		h_run_to_stub(sim, H_VEC_GEN);
		if (h_exc(sim) != EXC_CPU ||
		    (h_cause(sim) & CR_CE(3)) != CR_CE(cases[i].ce))
			fail_msg("0x%08x: Cause 0x%08x, expected CpU CE=%u", cases[i].w,
				 h_cause(sim), cases[i].ce);
		assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE);
		assert_int_equal(h_cp0(sim, 8, 1), cases[i].w);
	}
}

static void test_kernel_mode_ignores_cu0(void **state)
{
	vzsim *sim = *state;
	/* CU0 clear in kernel mode: CP0 is always usable. */
	h_set_status(sim, 0);
	RUN(sim, enc_mfc0(S0, C0_PRID, 0));
	assert_int_equal(h_gpr(sim, S0), 0x0001a820u);
}

static void test_exl_is_kernel_mode_for_cp0(void **state)
{
	vzsim *sim = *state;
	/* KSU = user but EXL set: kernel mode (PRA, operating modes). */
	h_set_status(sim, SR_KSU_USER | SR_EXL);
	RUN(sim, enc_mfc0(S0, C0_STATUS, 0));
	assert_int_equal(h_gpr(sim, S0), SR_KSU_USER | SR_EXL);
}

static void test_unimplemented_registers_read_zero_in_programs(void **state)
{
	vzsim *sim = *state;
	/* docs/vzsim.md: unimplemented CP0 registers (Watch, PerfCnt, Debug,
	 * ...) read 0 and ignore writes; no exception. */
	h_set_gpr(sim, T0, 0xffffffffu);
	for (unsigned r = S0; r <= S3; r++)
		h_set_gpr(sim, r, 0x5au);
	RUN(sim, enc_mtc0(T0, 23, 0), enc_mtc0(T0, 18, 0), enc_mtc0(T0, 25, 0),
	    enc_ehb(), enc_mfc0(S0, 23, 0), enc_mfc0(S1, 18, 0), enc_mfc0(S2, 25, 0),
	    enc_mfc0(S3, 31, 0));
	assert_int_equal(h_gpr(sim, S0), 0);
	assert_int_equal(h_gpr(sim, S1), 0);
	assert_int_equal(h_gpr(sim, S2), 0);
	assert_int_equal(h_gpr(sim, S3), 0);
}

static void test_cache_tag_registers_are_storage(void **state)
{
	vzsim *sim = *state;
	const unsigned regs[][2] = {{28, 0}, {28, 1}, {29, 0}, {29, 1}};
	for (unsigned i = 0; i < 4; i++) {
		h_set_cp0(sim, regs[i][0], regs[i][1], 0x10203040u + i);
		assert_int_equal(h_cp0(sim, regs[i][0], regs[i][1]), 0x10203040u + i);
	}
}

static void test_illegal_pagemask_documented_choice(void **state)
{
	vzsim *sim = *state;
	/* docs/vzsim.md: the longest run of bit pairs from bit 13 is kept. */
	h_set_cp0(sim, C0_PAGEMASK, 0, 0x00002000u);
	assert_int_equal(h_cp0(sim, C0_PAGEMASK, 0), PM_4K);
	h_set_cp0(sim, C0_PAGEMASK, 0, 0x0000e000u);
	assert_int_equal(h_cp0(sim, C0_PAGEMASK, 0), PM_16K);
	h_set_cp0(sim, C0_PAGEMASK, 0, 0x0009e000u);
	assert_int_equal(h_cp0(sim, C0_PAGEMASK, 0), PM_64K);
}

static void test_contextconfig_writable_bits(void **state)
{
	vzsim *sim = *state;
	/* docs/vzsim.md: ContextConfig bits 22:2 are writable. */
	h_set_cp0(sim, C0_CONTEXT, 1, 0xffffffffu);
	assert_int_equal(h_cp0(sim, C0_CONTEXT, 1), 0x007ffffcu);
	h_set_cp0(sim, C0_CONTEXT, 1, 0x007ffff0u);
	assert_int_equal(h_cp0(sim, C0_CONTEXT, 1), 0x007ffff0u);
}

static void test_context_ptebase_writable_badvpn2_not(void **state)
{
	vzsim *sim = *state;
	/*
	 * With the reset ContextConfig (0x007ffff0) Context has the classic
	 * layout: PTEBase 31:23 read/write, BadVPN2 22:4 written only by TLB
	 * exceptions, and bits 3:0 zero ("must be written as zero; returns
	 * zero on read", PRA Context register fields).
	 */
	h_set_cp0(sim, C0_CONTEXT, 0, 0xffffffffu);
	assert_int_equal(h_cp0(sim, C0_CONTEXT, 0) & 0xfffffff0u, 0xff800000u);
	assert_int_equal(h_cp0(sim, C0_CONTEXT, 0), 0xff800000u);
	/* A refill fills BadVPN2 and keeps PTEBase. */
	h_set_gpr(sim, T0, 0x7fffe000u);
	h_prog(sim, PROG(enc_lw(T1, 0, T0)));
	h_run_to_stub(sim, H_VEC_REFILL);
	assert_int_equal(h_cp0(sim, C0_CONTEXT, 0) & 0xfffffff0u,
			 0xff800000u | (0x7fffe000u >> 9));
	/* Writing Context does not change BadVPN2. */
	h_set_cp0(sim, C0_CONTEXT, 0, 0x01000000u);
	assert_int_equal(h_cp0(sim, C0_CONTEXT, 0) & 0xfffffff0u,
			 0x01000000u | (0x7fffe000u >> 9));
}

static void test_rdpgpr_wrpgpr_use_the_only_register_set(void **state)
{
	vzsim *sim = *state;
	/* One shadow set (SRSCtl.HSS = 0): both move between current GPRs
	 * (docs/vzsim.md). */
	const uint32_t wrpgpr = 0x41c00000u | (T1 << 16) | (T0 << 11); /* wrpgpr t0, t1 */
	const uint32_t rdpgpr = 0x41400000u | (T3 << 16) | (T2 << 11); /* rdpgpr t2, t3 */
	h_set_gpr(sim, T1, 0x1111u);
	h_set_gpr(sim, T3, 0x3333u);
	RUN(sim, wrpgpr, rdpgpr, enc_mfc0(S0, C0_STATUS, 2)); /* SRSCtl */
	assert_int_equal(h_gpr(sim, T0), 0x1111u);
	assert_int_equal(h_gpr(sim, T2), 0x3333u);
	assert_int_equal(h_gpr(sim, S0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_reset_values_after_new),
		T(test_status_after_vzsim_reset),
		T(test_reset_invalidates_tlb),
		T(test_config_describes_tlb_entries),
		T(test_status_writable_fields),
		T(test_status_cu1_stays_clear_so_cop1_traps),
		T(test_cause_writable_fields),
		T(test_cause_exccode_and_bd_not_writable),
		T(test_entryhi_writable_fields),
		T(test_pagemask_sizes_round_trip),
		T(test_entrylo_ri_xi_need_pagegrain),
		T(test_index_p_is_read_only),
		T(test_hwrena_writable_fields),
		T(test_intctl_only_vs_writable),
		T(test_config0_only_k0_writable),
		T(test_read_only_registers_ignore_writes),
		cmocka_unit_test(test_prid_board_option),
		T(test_read_write_registers_round_trip),
		T(test_unimplemented_registers_are_reported),
		T(test_unimplemented_registers_read_zero_in_programs),
		T(test_cache_tag_registers_are_storage),
		T(test_illegal_pagemask_documented_choice),
		T(test_contextconfig_writable_bits),
		T(test_context_ptebase_writable_badvpn2_not),
		T(test_ebase_write_gate),
		T(test_count_default_rate_is_half),
		T(test_count_div_option_changes_rate),
		T(test_count_div_change_keeps_count),
		T(test_count_write_sets_base),
		T(test_count_read_in_program),
		T(test_cause_dc_stops_count),
		T(test_timer_sets_ti_when_count_reaches_compare),
		T(test_compare_write_clears_ti),
		T(test_compare_write_in_program_clears_ti),
		T(test_timer_match_after_count_wraps),
		T(test_wired_write_resets_random_to_top),
		T(test_random_stays_in_wired_range_and_names_tlbwr_slot),
		T(test_random_is_read_only),
		T(test_rdhwr_in_kernel_mode),
		T(test_rdhwr_ccres_follows_count_div),
		T(test_rdhwr_unimplemented_register_is_ri),
		T(test_rdhwr_user_without_hwrena_is_ri),
		T(test_rdhwr_user_with_hwrena),
		T(test_rdhwr_user_cc_disabled_individually),
		T(test_user_mfc0_without_cu0_is_cpu0),
		T(test_user_mfc0_with_cu0_works),
		T(test_supervisor_mfc0_without_cu0_is_cpu0),
		T(test_user_privileged_instructions_are_cpu0),
		T(test_cache_in_kernel_and_with_cu0_is_allowed),
		T(test_cop1_and_cop2_raise_cpu_with_ce),
		T(test_kernel_mode_ignores_cu0),
		T(test_exl_is_kernel_mode_for_cp0),
		T(test_rdpgpr_wrpgpr_use_the_only_register_set),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
