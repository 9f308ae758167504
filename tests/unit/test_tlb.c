/*
 * The TLB: tlbwi/tlbr/tlbp/tlbwr/tlbinv/tlbinvf, translation through pages
 * of several sizes, ASIDs and the G bit, the TLB exceptions (refill,
 * invalid, modified, RI/XI) and what they leave in BadVAddr, EntryHi and
 * Context, duplicate entries and Machine Check, and ERL's unmapped kuseg.
 *
 * Architecture facts (MIPS32 PRA r5 and the TLB instruction pages of
 * Vol. II):
 * - An entry maps a pair of pages; VA bit log2(pagesize) picks EntryLo0
 *   (even) or EntryLo1 (odd).  G is the AND of both EntryLo G bits, and
 *   tlbr returns it in both.
 * - TLBP: a hit writes the index with P clear, a miss sets Index.P.
 * - TLBR of an entry invalidated with EHINV returns EntryHi = EHINV only,
 *   EntryLo0/1 = 0 and PageMask = 0.  TLBR loads EntryHi.ASID, which is
 *   the ASID translation uses from then on.
 * - TLBINV invalidates the non-global entries whose ASID equals
 *   EntryHi.ASID; TLBINVF all entries (Config.MT = 1: the whole JTLB).
 * - No matching entry: TLB refill, at offset 0x000 when EXL = 0 and 0x180
 *   when EXL = 1.  Matching entry with V = 0: TLB invalid at 0x180.  Both
 *   set BadVAddr, EntryHi.VPN2 (ASID kept) and Context.BadVPN2.
 * - Store to a page with D = 0: TLB Modified (ExcCode 1).
 * - RI/XI (PageGrain RIE/XIE): TLBL when PageGrain.IEC = 0, TLBRI (19) /
 *   TLBXI (20) when IEC = 1.
 * - kuseg is unmapped (pa = va) while Status.ERL = 1.
 * Implementation choices tested as vzsim documents them (tlb.c): tlbr
 * returns the VPN2 masked by PageMask and EntryLo as written; tlbr with
 * Index.P set follows the tlbr-bad-index option; duplicates raise Machine
 * Check with Status.TS when tlb-mcheck is on.
 */
#include "sim_harness.h"

#define RUN(sim, ...) h_run_to_end((sim), h_prog((sim), PROG(__VA_ARGS__)))

#define VA   0x00200000u /* a kuseg page pair the tests map */
#define PA_A 0x00300000u
#define PA_B 0x00305000u

/* lw s0, 0(t0) with t0 = va, run to the end; returns s0. */
static uint32_t load_via(vzsim *sim, uint32_t va)
{
	h_set_gpr(sim, T0, va);
	h_set_gpr(sim, S0, 0xdeaddeadu);
	RUN(sim, enc_lw(S0, 0, T0));
	return h_gpr(sim, S0);
}

static void store_via(vzsim *sim, uint32_t va, uint32_t v)
{
	h_set_gpr(sim, T0, va);
	h_set_gpr(sim, T1, v);
	RUN(sim, enc_sw(T1, 0, T0));
}

/* Runs `word` (using t0 = va as its base) and expects an exception at
 * vector with ExcCode code, EPC at the word and BadVAddr = va. */
static void expect_fault(vzsim *sim, uint32_t word, uint32_t va,
			 uint32_t vector, unsigned code)
{
	h_set_gpr(sim, T0, va);
	h_set_gpr(sim, T1, 0x5555aaaau);
	h_prog(sim, PROG(enc_nop(), word));
	h_run_to_stub(sim, vector);
	if (h_exc(sim) != code)
		fail_msg("0x%08x at va 0x%08x: ExcCode %u (%s), expected %u (%s)", word, va,
			 h_exc(sim), vzsim_exc_name(h_exc(sim)), code, vzsim_exc_name(code));
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 4);
	assert_int_equal(h_cp0(sim, C0_BADVADDR, 0), va);
}

static void mark(vzsim *sim, uint32_t pa, uint32_t v)
{
	h_write32(sim, 0x80000000u | pa, v);
}

/* ------------------------------------------------------------ tlbwi/tlbr */

static void test_tlbwi_tlbr_round_trip_every_page_size(void **state)
{
	vzsim *sim = *state;
	const uint32_t masks[] = {PM_4K, PM_16K, PM_64K, PM_256K, PM_1M,
				  PM_4M, PM_16M, PM_64M, PM_256M};
	const uint32_t hi = 0x7fffe000u | 0x42u;
	const uint32_t lo0 = LO_PFN(0x00300000u) | LO_C(3) | LO_D | LO_V | LO_G;
	const uint32_t lo1 = LO_PFN(0x00400000u) | LO_C(2) | LO_V;
	for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++) {
		h_setup(sim);
		h_tlbwi(sim, 7, hi, lo0, lo1, masks[i]);
		h_set_cp0(sim, C0_ENTRYHI, 0, 0);
		h_set_cp0(sim, C0_PAGEMASK, 0, 0);
		h_tlbr(sim, 7);
		uint32_t want_hi = (hi & 0xffffe000u & ~masks[i]) | 0x42u;
		if (h_cp0(sim, C0_ENTRYHI, 0) != want_hi)
			fail_msg("mask 0x%08x: EntryHi 0x%08x, expected 0x%08x", masks[i],
				 h_cp0(sim, C0_ENTRYHI, 0), want_hi);
		assert_int_equal(h_cp0(sim, C0_PAGEMASK, 0), masks[i]);
		/* G = lo0.G AND lo1.G = 0, reported in both. */
		assert_int_equal(h_cp0(sim, C0_ENTRYLO0, 0), lo0 & ~LO_G);
		assert_int_equal(h_cp0(sim, C0_ENTRYLO1, 0), lo1);
	}
}

static void test_g_is_and_of_both_entrylo_g(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 1, VA | 5, LO_RAM(PA_A) | LO_G, LO_RAM(PA_B) | LO_G, PM_4K);
	h_tlbwi(sim, 2, 0x00400000u | 5, LO_RAM(PA_A), LO_RAM(PA_B) | LO_G, PM_4K);
	h_tlbr(sim, 1);
	assert_int_equal(h_cp0(sim, C0_ENTRYLO0, 0), LO_RAM(PA_A) | LO_G);
	assert_int_equal(h_cp0(sim, C0_ENTRYLO1, 0), LO_RAM(PA_B) | LO_G);
	h_tlbr(sim, 2);
	assert_int_equal(h_cp0(sim, C0_ENTRYLO0, 0), LO_RAM(PA_A));
	assert_int_equal(h_cp0(sim, C0_ENTRYLO1, 0), LO_RAM(PA_B));
	/* Under ASID 9, the global entry matches and the other does not. */
	mark(sim, PA_A, 0xa0a0a0a0u);
	h_set_cp0(sim, C0_ENTRYHI, 0, 9);
	assert_int_equal(load_via(sim, VA), 0xa0a0a0a0u);
	expect_fault(sim, enc_lw(T1, 0, T0), 0x00400000u, H_VEC_REFILL, EXC_TLBL);
}

/* ------------------------------------------------------------ tlbp */

static uint32_t probe(vzsim *sim, uint32_t hi)
{
	h_set_cp0(sim, C0_ENTRYHI, 0, hi);
	RUN(sim, enc_tlbp(), enc_ehb(), enc_mfc0(S0, C0_INDEX, 0));
	assert_int_equal(h_gpr(sim, S0), h_cp0(sim, C0_INDEX, 0));
	return h_cp0(sim, C0_INDEX, 0);
}

static void test_tlbp_hit_and_miss(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 11, VA | 3, LO_RAM(PA_A), LO_RAM(PA_B), PM_4K);
	h_tlbwi(sim, 12, 0x01000000u | 3, LO_RAM(PA_A), LO_RAM(PA_B), PM_1M);
	h_tlbwi(sim, 13, 0x40000000u | 7, LO_RAM(PA_A) | LO_G, LO_RAM(PA_B) | LO_G, PM_4K);
	h_set_cp0(sim, C0_INDEX, 0, 30);
	assert_int_equal(probe(sim, VA | 3), 11);
	/* Inside the 2 MB span of the 1M-page entry. */
	assert_int_equal(probe(sim, 0x011fe000u | 3), 12);
	/* Global entry: any ASID. */
	assert_int_equal(probe(sim, 0x40000000u | 0x99), 13);
	/* Wrong ASID: miss sets P (index bits unspecified). */
	assert_true(probe(sim, VA | 4) & INDEX_P);
	assert_true(probe(sim, 0x00600000u | 3) & INDEX_P);
	/* A following hit clears P. */
	assert_int_equal(probe(sim, VA | 3), 11);
}

static void test_tlbp_ignores_low_entryhi_bits(void **state)
{
	vzsim *sim = *state;
	/* The odd page's VPN (bit 12 set) still probes the pair's entry. */
	h_tlbwi(sim, 4, VA, LO_RAM(PA_A), LO_RAM(PA_B), PM_4K);
	assert_int_equal(probe(sim, VA + 0x1000u), 4);
}

/* ------------------------------------------------------------ invalidation */

static void expect_invalid_read(vzsim *sim, unsigned idx)
{
	h_set_cp0(sim, C0_ENTRYHI, 0, 0x12345000u);
	h_set_cp0(sim, C0_ENTRYLO0, 0, 0x55u);
	h_set_cp0(sim, C0_ENTRYLO1, 0, 0x66u);
	h_set_cp0(sim, C0_PAGEMASK, 0, PM_16K);
	h_tlbr(sim, idx);
	if (h_cp0(sim, C0_ENTRYHI, 0) != EHINV || h_cp0(sim, C0_ENTRYLO0, 0) != 0 ||
	    h_cp0(sim, C0_ENTRYLO1, 0) != 0 || h_cp0(sim, C0_PAGEMASK, 0) != 0)
		fail_msg("tlbr %u: EntryHi 0x%08x Lo0 0x%08x Lo1 0x%08x PageMask 0x%08x, "
			 "expected the invalid-entry values", idx,
			 h_cp0(sim, C0_ENTRYHI, 0), h_cp0(sim, C0_ENTRYLO0, 0),
			 h_cp0(sim, C0_ENTRYLO1, 0), h_cp0(sim, C0_PAGEMASK, 0));
}

static void test_tlbinv_by_asid(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 1, 0x00200000u | 5, LO_RAM(PA_A), LO_RAM(PA_B), PM_4K);
	h_tlbwi(sim, 2, 0x00400000u | 5, LO_RAM(PA_A) | LO_G, LO_RAM(PA_B) | LO_G, PM_4K);
	h_tlbwi(sim, 3, 0x00600000u | 6, LO_RAM(PA_A), LO_RAM(PA_B), PM_4K);
	h_tlbwi(sim, 40, 0x00800000u | 5, LO_RAM(PA_A), LO_RAM(PA_B), PM_16K);
	h_set_cp0(sim, C0_ENTRYHI, 0, 5);
	RUN(sim, enc_tlbinv());
	expect_invalid_read(sim, 1);
	expect_invalid_read(sim, 40);
	h_tlbr(sim, 2);
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), 0x00400000u | 5);
	h_tlbr(sim, 3);
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), 0x00600000u | 6);
	/* The invalidated entry no longer translates. */
	h_set_cp0(sim, C0_ENTRYHI, 0, 5);
	expect_fault(sim, enc_lw(T1, 0, T0), 0x00200000u, H_VEC_REFILL, EXC_TLBL);
}

static void test_tlbinvf_invalidates_everything(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 0, 0x00200000u, LO_RAM(PA_A), LO_RAM(PA_B), PM_4K);
	h_tlbwi(sim, 31, 0x00400000u, LO_RAM(PA_A) | LO_G, LO_RAM(PA_B) | LO_G, PM_4K);
	h_tlbwi(sim, 63, 0x00600000u | 9, LO_RAM(PA_A), LO_RAM(PA_B), PM_64K);
	h_set_cp0(sim, C0_WIRED, 0, 10); /* Wired does not protect entries */
	RUN(sim, enc_tlbinvf());
	expect_invalid_read(sim, 0);
	expect_invalid_read(sim, 31);
	expect_invalid_read(sim, 63);
	h_set_cp0(sim, C0_ENTRYHI, 0, 0);
	expect_fault(sim, enc_lw(T1, 0, T0), 0x00400000u, H_VEC_REFILL, EXC_TLBL);
}

static void test_tlbwi_with_ehinv_writes_invalid_entry(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 8, VA, LO_RAM(PA_A), LO_RAM(PA_B), PM_4K);
	h_tlbwi(sim, 8, VA | EHINV, LO_RAM(PA_A), LO_RAM(PA_B), PM_4K);
	expect_invalid_read(sim, 8);
	h_set_cp0(sim, C0_ENTRYHI, 0, 0);
	expect_fault(sim, enc_lw(T1, 0, T0), VA, H_VEC_REFILL, EXC_TLBL);
}

static void test_reset_entries_read_as_invalid(void **state)
{
	vzsim *sim = *state;
	expect_invalid_read(sim, 0);
	expect_invalid_read(sim, 63);
}

/* ------------------------------------------------------------ tlbr with Index.P */

/* Writes entry 3, then a missed tlbp sets Index.P over index 3. */
static void make_index_p(vzsim *sim)
{
	h_tlbwi(sim, 3, VA | 1, LO_RAM(PA_A), LO_RAM(PA_B), PM_4K);
	h_set_cp0(sim, C0_INDEX, 0, 3);
	h_set_cp0(sim, C0_ENTRYHI, 0, 0x00a00000u | 1);
	h_set_cp0(sim, C0_ENTRYLO0, 0, 0x11u);
	h_set_cp0(sim, C0_ENTRYLO1, 0, 0x22u);
	h_set_cp0(sim, C0_PAGEMASK, 0, PM_16K);
	RUN(sim, enc_tlbp(), enc_ehb(), enc_tlbr());
	assert_int_equal(h_cp0(sim, C0_INDEX, 0) & INDEX_P, INDEX_P);
}

static void test_tlbr_bad_index_wrap(void **state)
{
	vzsim *sim = *state;
	h_opt(sim, "tlbr-bad-index", "wrap");
	make_index_p(sim);
	/* Index modulo the entry count: entry 3. */
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), VA | 1);
	assert_int_equal(h_cp0(sim, C0_ENTRYLO0, 0), LO_RAM(PA_A));
	assert_int_equal(h_cp0(sim, C0_ENTRYLO1, 0), LO_RAM(PA_B));
	assert_int_equal(h_cp0(sim, C0_PAGEMASK, 0), PM_4K);
}

static void test_tlbr_bad_index_invalid(void **state)
{
	vzsim *sim = *state;
	h_opt(sim, "tlbr-bad-index", "invalid");
	make_index_p(sim);
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), EHINV);
	assert_int_equal(h_cp0(sim, C0_ENTRYLO0, 0), 0);
	assert_int_equal(h_cp0(sim, C0_ENTRYLO1, 0), 0);
	assert_int_equal(h_cp0(sim, C0_PAGEMASK, 0), 0);
}

static void test_tlbr_bad_index_unchanged(void **state)
{
	vzsim *sim = *state;
	h_opt(sim, "tlbr-bad-index", "unchanged");
	make_index_p(sim);
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), 0x00a00000u | 1);
	assert_int_equal(h_cp0(sim, C0_ENTRYLO0, 0), 0x11u);
	assert_int_equal(h_cp0(sim, C0_ENTRYLO1, 0), 0x22u);
	assert_int_equal(h_cp0(sim, C0_PAGEMASK, 0), PM_16K);
}

static void test_tlbr_bad_index_rejects_unknown_value(void **state)
{
	vzsim *sim = *state;
	char err[128] = "";
	assert_int_equal(vzsim_board_opt(sim, "tlbr-bad-index", "zero", err, sizeof err), -1);
	assert_true(err[0] != '\0');
}

/* ------------------------------------------------------------ translation */

static void test_translate_4k_even_odd(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 2, VA, LO_RAM(PA_A), LO_RAM(PA_B), PM_4K);
	mark(sim, PA_A + 0x10, 0xaaaa0010u);
	mark(sim, PA_B + 0x20, 0xbbbb0020u);
	mark(sim, PA_A + 0xffc, 0xaaaa0ffcu);
	assert_int_equal(load_via(sim, VA + 0x10), 0xaaaa0010u);
	assert_int_equal(load_via(sim, VA + 0x1020), 0xbbbb0020u);
	assert_int_equal(load_via(sim, VA + 0xffc), 0xaaaa0ffcu);
	store_via(sim, VA + 0x1ffc, 0x0ddba11u);
	assert_int_equal(h_read32(sim, 0x80000000u | (PA_B + 0xffc)), 0x0ddba11u);
}

static void test_translate_16k_even_odd(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 2, VA, LO_RAM(0x00300000u), LO_RAM(0x00308000u), PM_16K);
	mark(sim, 0x00302ff0u, 0x16e00000u);
	mark(sim, 0x0030a004u, 0x16d00000u);
	assert_int_equal(load_via(sim, VA + 0x2ff0), 0x16e00000u);
	assert_int_equal(load_via(sim, VA + 0x6004), 0x16d00000u);
}

static void test_translate_1m_even_odd(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 2, 0x00400000u, LO_RAM(0x00600000u), LO_RAM(0x00800000u), PM_1M);
	mark(sim, 0x006abcd0u, 0x1e000001u);
	mark(sim, 0x008abcd0u, 0x1d000001u);
	assert_int_equal(load_via(sim, 0x004abcd0u), 0x1e000001u);
	assert_int_equal(load_via(sim, 0x005abcd0u), 0x1d000001u);
}

static void test_translate_16m_even_odd(void **state)
{
	vzsim *old = *state;
	h_free(old);
	vzsim *sim = h_new_cfg(64u << 20, 1);
	*state = sim;
	h_setup(sim);
	h_tlbwi(sim, 2, 0x02000000u, LO_RAM(0x01000000u), LO_RAM(0x02000000u), PM_16M);
	mark(sim, 0x01123450u, 0x16e16e00u);
	mark(sim, 0x02123450u, 0x16d16d00u);
	assert_int_equal(load_via(sim, 0x02123450u), 0x16e16e00u);
	assert_int_equal(load_via(sim, 0x03123450u), 0x16d16d00u);
}

static void test_translate_256m_page(void **state)
{
	vzsim *sim = *state;
	/* Even half (0x00000000..0x0fffffff) -> pa 0; odd half invalid. */
	h_tlbwi(sim, 2, 0x00000000u, LO_RAM(0), 0, PM_256M);
	mark(sim, H_DATA_PA + 0x40, 0x256256u);
	assert_int_equal(load_via(sim, H_DATA_PA + 0x40), 0x256256u);
	expect_fault(sim, enc_lw(T1, 0, T0), 0x10000040u, H_VEC_GEN, EXC_TLBL);
}

static void test_translate_kseg2_global(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 9, 0xc0000000u, LO_RAM(PA_A) | LO_G, LO_RAM(PA_B) | LO_G, PM_4K);
	mark(sim, PA_B + 8, 0xc0c0c0c0u);
	h_set_cp0(sim, C0_ENTRYHI, 0, 0x77);
	assert_int_equal(load_via(sim, 0xc0001008u), 0xc0c0c0c0u);
}

static void test_new_mapping_replaces_cached_translation(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 2, VA, LO_RAM(PA_A), LO_RAM(PA_B), PM_4K);
	mark(sim, PA_A, 0x1);
	mark(sim, PA_B, 0x2);
	assert_int_equal(load_via(sim, VA), 0x1);
	/* Remap the even page in a program, then load again. */
	h_set_gpr(sim, T0, VA);
	h_set_gpr(sim, T2, 2);
	h_set_gpr(sim, T3, LO_RAM(PA_B));
	h_set_gpr(sim, T4, VA);
	RUN(sim, enc_lw(S0, 0, T0), enc_mtc0(T2, C0_INDEX, 0),
	    enc_mtc0(T4, C0_ENTRYHI, 0), enc_mtc0(T3, C0_ENTRYLO0, 0),
	    enc_mtc0(T3, C0_ENTRYLO1, 0), enc_mtc0(ZERO, C0_PAGEMASK, 0),
	    enc_ehb(), enc_tlbwi(), enc_ehb(), enc_lw(S1, 0, T0));
	assert_int_equal(h_gpr(sim, S0), 0x1);
	assert_int_equal(h_gpr(sim, S1), 0x2);
}

/* ------------------------------------------------------------ ASIDs */

static void test_asid_mismatch_refills(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 2, VA | 5, LO_RAM(PA_A), LO_RAM(PA_B), PM_4K);
	h_set_cp0(sim, C0_ENTRYHI, 0, 6);
	expect_fault(sim, enc_lw(T1, 0, T0), VA + 0x123 * 4, H_VEC_REFILL, EXC_TLBL);
	/* EntryHi: the faulting VPN2 with the current ASID kept. */
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), VA | 6);
	assert_int_equal(h_gpr(sim, T1), 0x5555aaaau);
}

static void test_changing_asid_switches_entries(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 0, VA | 1, LO_RAM(PA_A), 0, PM_4K);
	h_tlbwi(sim, 1, VA | 2, LO_RAM(PA_A + 0x1000), 0, PM_4K);
	mark(sim, PA_A, 0x11111111u);
	mark(sim, PA_A + 0x1000, 0x22222222u);
	h_set_cp0(sim, C0_ENTRYHI, 0, 1);
	h_set_gpr(sim, T0, VA);
	h_set_gpr(sim, T1, 2);
	h_set_gpr(sim, T2, 1);
	RUN(sim, enc_lw(S0, 0, T0), enc_mtc0(T1, C0_ENTRYHI, 0), enc_ehb(),
	    enc_lw(S1, 0, T0), enc_mtc0(T2, C0_ENTRYHI, 0), enc_ehb(),
	    enc_lw(S2, 0, T0), enc_sw(S1, 4, T0));
	assert_int_equal(h_gpr(sim, S0), 0x11111111u);
	assert_int_equal(h_gpr(sim, S1), 0x22222222u);
	assert_int_equal(h_gpr(sim, S2), 0x11111111u);
	assert_int_equal(h_read32(sim, 0x80000000u | (PA_A + 4)), 0x22222222u);
}

static void test_tlbr_changes_current_asid(void **state)
{
	vzsim *sim = *state;
	/*
	 * TLBR loads EntryHi, ASID included, and translation uses
	 * EntryHi.ASID: after reading entry 1 (ASID 2), VA must translate
	 * through entry 1 even though it was just used under ASID 1.
	 */
	h_tlbwi(sim, 0, VA | 1, LO_RAM(PA_A), 0, PM_4K);
	h_tlbwi(sim, 1, VA | 2, LO_RAM(PA_A + 0x1000), 0, PM_4K);
	mark(sim, PA_A, 0x11111111u);
	mark(sim, PA_A + 0x1000, 0x22222222u);
	h_set_cp0(sim, C0_ENTRYHI, 0, 1);
	h_set_gpr(sim, T0, VA);
	h_set_gpr(sim, T1, 1);
	RUN(sim, enc_lw(S0, 0, T0), enc_mtc0(T1, C0_INDEX, 0), enc_ehb(),
	    enc_tlbr(), enc_ehb(), enc_mfc0(S2, C0_ENTRYHI, 0), enc_lw(S1, 0, T0));
	assert_int_equal(h_gpr(sim, S0), 0x11111111u);
	assert_int_equal(h_gpr(sim, S2), VA | 2);
	assert_int_equal(h_gpr(sim, S1), 0x22222222u);
}

static void test_tlbr_of_invalid_entry_sets_asid_zero(void **state)
{
	vzsim *sim = *state;
	/* Reading an invalid entry leaves EntryHi = EHINV: ASID 0, which
	 * has no mapping for VA, so the second load refills. */
	h_tlbwi(sim, 0, VA | 1, LO_RAM(PA_A), 0, PM_4K);
	mark(sim, PA_A, 0x11111111u);
	h_set_cp0(sim, C0_ENTRYHI, 0, 1);
	h_set_gpr(sim, T0, VA);
	h_set_gpr(sim, T1, 5);
	h_set_gpr(sim, S1, 0x99u);
	h_prog(sim, PROG(enc_lw(S0, 0, T0), enc_mtc0(T1, C0_INDEX, 0), enc_ehb(),
			 enc_tlbr(), enc_ehb(), enc_lw(S1, 0, T0)));
	h_run_to_stub(sim, H_VEC_REFILL);
	assert_exc(sim, EXC_TLBL);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 20);
	assert_int_equal(h_gpr(sim, S0), 0x11111111u);
	assert_int_equal(h_gpr(sim, S1), 0x99u);
}

static void test_changing_asid_switches_code(void **state)
{
	vzsim *sim = *state;
	/* The same user VA holds different code under ASIDs 1 and 2. */
	const uint32_t va = 0x00600000u;
	h_tlbwi(sim, 0, va | 1, LO_RAM(0x00600000u), 0, PM_4K);
	h_tlbwi(sim, 1, va | 2, LO_RAM(0x00610000u), 0, PM_4K);
	const uint32_t f1[] = {enc_jr(RA), enc_addiu(S0, S0, 1)};
	const uint32_t f2[] = {enc_jr(RA), enc_addiu(S0, S0, 100)};
	h_load(sim, 0x80600000u, f1, 2);
	h_load(sim, 0x80610000u, f2, 2);
	h_set_cp0(sim, C0_ENTRYHI, 0, 1);
	h_set_gpr(sim, T0, va);
	h_set_gpr(sim, T1, 2);
	h_set_gpr(sim, S0, 0);
	RUN(sim, enc_jalr(RA, T0), enc_nop(),
	    enc_mtc0(T1, C0_ENTRYHI, 0), enc_ehb(),
	    enc_jalr_hb(RA, T0), enc_nop());
	assert_int_equal(h_gpr(sim, S0), 101);
}

/* ------------------------------------------------------------ exceptions */

static void test_invalid_entry_load_tlbl_at_general_vector(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_CONTEXT, 0, 0xff800000u); /* PTEBase */
	h_tlbwi(sim, 2, VA | 0x33, LO_RAM(PA_A) & ~LO_V, LO_RAM(PA_B), PM_4K);
	h_set_cp0(sim, C0_ENTRYHI, 0, 0x33);
	const uint32_t va = VA + 0x0abc;
	expect_fault(sim, enc_lw(T1, 0, T0), va, H_VEC_GEN, EXC_TLBL);
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), (va & 0xffffe000u) | 0x33);
	assert_int_equal(h_cp0(sim, C0_CONTEXT, 0), 0xff800000u | ((va >> 9) & 0x007ffff0u));
	assert_int_equal(h_gpr(sim, T1), 0x5555aaaau);
	/* The valid odd page of the same entry still works. */
	h_set_status(sim, 0);
	mark(sim, PA_B + 4, 0x0dd0dd0du);
	assert_int_equal(load_via(sim, VA + 0x1004), 0x0dd0dd0du);
}

static void test_invalid_entry_store_tlbs(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 2, VA, LO_RAM(PA_A), LO_RAM(PA_B) & ~LO_V, PM_4K);
	mark(sim, PA_B + 0x10, 0x12121212u);
	const uint32_t va = VA + 0x1010;
	expect_fault(sim, enc_sw(T1, 0, T0), va, H_VEC_GEN, EXC_TLBS);
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), va & 0xffffe000u);
	assert_int_equal(h_cp0(sim, C0_CONTEXT, 0), (va >> 9) & 0x007ffff0u);
	assert_int_equal(h_read32(sim, 0x80000000u | (PA_B + 0x10)), 0x12121212u);
}

static void test_refill_with_exl_clear_uses_offset_0(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_ENTRYHI, 0, 0x21);
	const uint32_t va = 0x7ffff00cu;
	expect_fault(sim, enc_sw(T1, 0, T0), va, H_VEC_REFILL, EXC_TLBS);
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), 0x7fffe000u | 0x21);
	assert_int_equal(h_cp0(sim, C0_CONTEXT, 0), (va >> 9) & 0x007ffff0u);
	assert_true(h_status(sim) & SR_EXL);
}

static void test_refill_with_exl_set_uses_general_vector(void **state)
{
	vzsim *sim = *state;
	h_set_status(sim, SR_EXL);
	h_set_cp0(sim, C0_EPC, 0, 0x12345678u);
	h_set_gpr(sim, T0, 0x00001000u);
	h_prog(sim, PROG(enc_lw(T1, 0, T0)));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_TLBL);
	assert_int_equal(h_cp0(sim, C0_BADVADDR, 0), 0x00001000u);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), 0x12345678u); /* kept */
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), 0x00000000u);
}

static void test_refill_on_fetch(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, 0x00700000u);
	h_prog(sim, PROG(enc_jr(T0), enc_nop()));
	h_run_to_stub(sim, H_VEC_REFILL);
	assert_exc(sim, EXC_TLBL);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), 0x00700000u);
	assert_int_equal(h_cp0(sim, C0_BADVADDR, 0), 0x00700000u);
	assert_int_equal(h_cause(sim) & CR_BD, 0);
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), 0x00700000u);
}

static void test_exception_clears_entryhi_ehinv(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_ENTRYHI, 0, EHINV | 3);
	expect_fault(sim, enc_lw(T1, 0, T0), 0x00402000u, H_VEC_REFILL, EXC_TLBL);
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), 0x00402000u | 3);
}

static void test_clean_page_store_raises_mod(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 2, VA | 4, LO_RAM(PA_A) & ~LO_D, LO_RAM(PA_B), PM_4K);
	h_set_cp0(sim, C0_ENTRYHI, 0, 4);
	mark(sim, PA_A + 0x40, 0x40404040u);
	/* Loads are fine. */
	assert_int_equal(load_via(sim, VA + 0x40), 0x40404040u);
	expect_fault(sim, enc_sb(T1, 0, T0), VA + 0x41, H_VEC_GEN, EXC_MOD);
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), VA | 4);
	assert_int_equal(h_cp0(sim, C0_CONTEXT, 0), ((VA + 0x41) >> 9) & 0x007ffff0u);
	assert_int_equal(h_read32(sim, 0x80000000u | (PA_A + 0x40)), 0x40404040u);
}

static void test_dirty_page_after_clean_page_store(void **state)
{
	vzsim *sim = *state;
	/* The dirty odd page of the same entry takes stores. */
	h_tlbwi(sim, 2, VA, LO_RAM(PA_A) & ~LO_D, LO_RAM(PA_B), PM_4K);
	store_via(sim, VA + 0x1000, 0xd1d1d1d1u);
	assert_int_equal(h_read32(sim, 0x80000000u | PA_B), 0xd1d1d1d1u);
}

/* ------------------------------------------------------------ RI/XI */

#define PG_RIE (1u << 31)
#define PG_XIE (1u << 30)
#define PG_IEC (1u << 27)

static void test_ri_page_load_tlbl_without_iec(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_PAGEMASK, 1, PG_RIE);
	h_tlbwi(sim, 2, VA, LO_RAM(PA_A) | LO_RI, LO_RAM(PA_B), PM_4K);
	expect_fault(sim, enc_lw(T1, 0, T0), VA + 8, H_VEC_GEN, EXC_TLBL);
	assert_int_equal(h_gpr(sim, T1), 0x5555aaaau);
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), VA);
}

static void test_ri_page_load_tlbri_with_iec(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_PAGEMASK, 1, PG_RIE | PG_IEC);
	h_tlbwi(sim, 2, VA, LO_RAM(PA_A) | LO_RI, LO_RAM(PA_B), PM_4K);
	expect_fault(sim, enc_lbu(T1, 0, T0), VA + 3, H_VEC_GEN, EXC_TLBRI);
	/* Twice: the first fault must not leave the page readable. */
	h_set_status(sim, 0);
	expect_fault(sim, enc_lw(T1, 0, T0), VA + 4, H_VEC_GEN, EXC_TLBRI);
}

static void test_ri_page_still_writable(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_PAGEMASK, 1, PG_RIE | PG_IEC);
	h_tlbwi(sim, 2, VA, LO_RAM(PA_A) | LO_RI, LO_RAM(PA_B), PM_4K);
	store_via(sim, VA + 0x30, 0x3030u);
	assert_int_equal(h_read32(sim, 0x80000000u | (PA_A + 0x30)), 0x3030u);
	/* And a load after that store still faults. */
	expect_fault(sim, enc_lw(T1, 0, T0), VA + 0x30, H_VEC_GEN, EXC_TLBRI);
}

static void test_ri_bit_ignored_without_rie(void **state)
{
	vzsim *sim = *state;
	/* PageGrain.RIE = 0: EntryLo.RI is not writable, the page reads. */
	h_tlbwi(sim, 2, VA, LO_RAM(PA_A) | LO_RI, LO_RAM(PA_B), PM_4K);
	mark(sim, PA_A, 0xfeedu);
	assert_int_equal(load_via(sim, VA), 0xfeedu);
}

static void setup_xi_code(vzsim *sim, uint32_t pagegrain)
{
	h_set_cp0(sim, C0_PAGEMASK, 1, pagegrain);
	h_tlbwi(sim, 2, VA, LO_RAM(PA_A) | LO_XI, LO_RAM(PA_B), PM_4K);
	const uint32_t code[] = {enc_jr(RA), enc_addiu(S0, ZERO, 1)};
	h_load(sim, 0x80000000u | PA_A, code, 2);
	h_load(sim, 0x80000000u | PA_B, code, 2);
	h_set_gpr(sim, S0, 0);
}

static void test_xi_page_fetch_tlbl_without_iec(void **state)
{
	vzsim *sim = *state;
	setup_xi_code(sim, PG_XIE);
	h_set_gpr(sim, T0, VA);
	h_prog(sim, PROG(enc_jalr(RA, T0), enc_nop()));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_TLBL);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), VA);
	assert_int_equal(h_cp0(sim, C0_BADVADDR, 0), VA);
	assert_int_equal(h_gpr(sim, S0), 0);
}

static void test_xi_page_fetch_tlbxi_with_iec(void **state)
{
	vzsim *sim = *state;
	setup_xi_code(sim, PG_XIE | PG_IEC);
	h_set_gpr(sim, T0, VA);
	h_prog(sim, PROG(enc_jalr(RA, T0), enc_nop()));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_TLBXI);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), VA);
	assert_int_equal(h_cp0(sim, C0_BADVADDR, 0), VA);
}

static void test_xi_page_readable_and_odd_page_executable(void **state)
{
	vzsim *sim = *state;
	setup_xi_code(sim, PG_XIE | PG_IEC);
	assert_int_equal(load_via(sim, VA), enc_jr(RA));
	h_set_gpr(sim, T0, VA + 0x1000);
	RUN(sim, enc_jalr(RA, T0), enc_nop());
	assert_int_equal(h_gpr(sim, S0), 1);
}

/* ------------------------------------------------------------ Machine Check */

static void set_entry_regs(vzsim *sim, unsigned idx, uint32_t hi, uint32_t lo0,
			   uint32_t lo1, uint32_t mask)
{
	h_set_cp0(sim, C0_INDEX, 0, idx);
	h_set_cp0(sim, C0_ENTRYHI, 0, hi);
	h_set_cp0(sim, C0_ENTRYLO0, 0, lo0);
	h_set_cp0(sim, C0_ENTRYLO1, 0, lo1);
	h_set_cp0(sim, C0_PAGEMASK, 0, mask);
}

static void expect_mcheck(vzsim *sim, uint32_t insn)
{
	h_prog(sim, PROG(insn));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_MCHECK);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE);
	assert_int_equal(h_status(sim) & (SR_TS | SR_EXL), SR_TS | SR_EXL);
}

static void test_duplicate_entry_raises_machine_check(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 1, VA | 3, LO_RAM(PA_A), LO_RAM(PA_B), PM_4K);
	set_entry_regs(sim, 2, VA | 3, LO_RAM(0x00500000u), 0, PM_4K);
	expect_mcheck(sim, enc_tlbwi());
	/* Entry 2 was not written. */
	h_set_status(sim, 0);
	expect_invalid_read(sim, 2);
	h_tlbr(sim, 1);
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), VA | 3);
}

static void test_overlapping_page_sizes_raise_machine_check(void **state)
{
	vzsim *sim = *state;
	/* A 16K pair at VA covers VA..VA+0x7fff, including VA+0x6000. */
	h_tlbwi(sim, 1, VA, LO_RAM(PA_A), LO_RAM(PA_B), PM_16K);
	set_entry_regs(sim, 2, (VA + 0x6000u), LO_RAM(0x00500000u), 0, PM_4K);
	expect_mcheck(sim, enc_tlbwi());
}

static void test_duplicate_with_global_raises_machine_check(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 1, VA | 3, LO_RAM(PA_A) | LO_G, LO_RAM(PA_B) | LO_G, PM_4K);
	set_entry_regs(sim, 2, VA | 4, LO_RAM(0x00500000u), 0, PM_4K);
	expect_mcheck(sim, enc_tlbwi());
}

static void test_duplicate_invalid_entries_still_match(void **state)
{
	vzsim *sim = *state;
	/* V = 0 does not take an entry out of matching. */
	h_tlbwi(sim, 1, VA, 0, 0, PM_4K);
	set_entry_regs(sim, 2, VA, 0, 0, PM_4K);
	expect_mcheck(sim, enc_tlbwi());
}

static void test_duplicate_via_tlbwr_raises_machine_check(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 1, VA | 3, LO_RAM(PA_A), LO_RAM(PA_B), PM_4K);
	set_entry_regs(sim, 0, VA | 3, LO_RAM(0x00500000u), 0, PM_4K);
	expect_mcheck(sim, enc_tlbwr());
}

static void test_no_machine_check_when_distinct(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 1, VA | 3, LO_RAM(PA_A), LO_RAM(PA_B), PM_4K);
	/* Different ASID, both non-global. */
	h_tlbwi(sim, 2, VA | 4, LO_RAM(PA_A), LO_RAM(PA_B), PM_4K);
	/* Next pair up. */
	h_tlbwi(sim, 3, (VA + 0x2000u) | 3, LO_RAM(PA_A), LO_RAM(PA_B), PM_4K);
	/* Rewriting the same index with the same VPN. */
	h_tlbwi(sim, 1, VA | 3, LO_RAM(0x00500000u), LO_RAM(PA_B), PM_4K);
	/* Same VPN as an entry invalidated by tlbinvf. */
	RUN(sim, enc_tlbinvf());
	h_tlbwi(sim, 5, VA | 3, LO_RAM(PA_A), LO_RAM(PA_B), PM_4K);
	assert_int_equal(h_status(sim) & SR_TS, 0);
}

static void test_duplicate_allowed_with_mcheck_off(void **state)
{
	vzsim *sim = *state;
	h_opt(sim, "tlb-mcheck", "off");
	h_tlbwi(sim, 1, VA | 3, LO_RAM(PA_A), LO_RAM(PA_B), PM_4K);
	h_tlbwi(sim, 2, VA | 3, LO_RAM(0x00500000u), 0, PM_4K);
	h_tlbr(sim, 2);
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), VA | 3);
	assert_int_equal(h_cp0(sim, C0_ENTRYLO0, 0), LO_RAM(0x00500000u));
	h_tlbr(sim, 1);
	assert_int_equal(h_cp0(sim, C0_ENTRYLO0, 0), LO_RAM(PA_A));
	assert_int_equal(h_status(sim) & SR_TS, 0);
}

/* ------------------------------------------------------------ ERL */

static void test_kuseg_unmapped_while_erl(void **state)
{
	vzsim *sim = *state;
	h_set_status(sim, SR_ERL);
	mark(sim, H_DATA_PA + 0x80, 0xe4e4e4e4u);
	assert_int_equal(load_via(sim, H_DATA_PA + 0x80), 0xe4e4e4e4u);
	store_via(sim, H_DATA_PA + 0x84, 0x5e5e5e5eu);
	assert_int_equal(h_read32(sim, H_DATA + 0x84), 0x5e5e5e5eu);
	/* Code runs from kuseg too. */
	const uint32_t f[] = {enc_jr(RA), enc_addiu(S3, ZERO, 33)};
	h_load(sim, H_DATA + 0x100, f, 2);
	h_set_gpr(sim, T0, H_DATA_PA + 0x100);
	RUN(sim, enc_jalr(RA, T0), enc_nop());
	assert_int_equal(h_gpr(sim, S3), 33);
}

static void test_kuseg_mapped_again_after_erl_clears(void **state)
{
	vzsim *sim = *state;
	h_set_status(sim, SR_ERL);
	mark(sim, H_DATA_PA, 0x1234u);
	assert_int_equal(load_via(sim, H_DATA_PA), 0x1234u);
	h_set_status(sim, 0);
	expect_fault(sim, enc_lw(T1, 0, T0), H_DATA_PA, H_VEC_REFILL, EXC_TLBL);
}

static void test_ri_enforced_again_after_pagegrain_rie_set(void **state)
{
	vzsim *sim = *state;
	/*
	 * The entry keeps its RI bit.  While PageGrain.RIE is clear RI is
	 * disabled and the page reads; once RIE is set again the same
	 * entry must inhibit reads (PRA PageGrain.RIE), even right after a
	 * successful read of that page.
	 */
	h_set_cp0(sim, C0_PAGEMASK, 1, PG_RIE | PG_IEC);
	h_tlbwi(sim, 2, VA, LO_RAM(PA_A) | LO_RI, LO_RAM(PA_B), PM_4K);
	h_set_cp0(sim, C0_PAGEMASK, 1, 0);
	mark(sim, PA_A + 0x50, 0x50505050u);
	h_set_gpr(sim, T0, VA + 0x50);
	h_set_gpr(sim, T2, PG_RIE | PG_IEC);
	h_set_gpr(sim, S1, 0x77u);
	h_prog(sim, PROG(enc_lw(S0, 0, T0), enc_mtc0(T2, C0_PAGEMASK, 1), enc_ehb(),
			 enc_lw(S1, 0, T0)));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_int_equal(h_gpr(sim, S0), 0x50505050u);
	assert_exc(sim, EXC_TLBRI);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 12);
	assert_int_equal(h_gpr(sim, S1), 0x77u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_tlbwi_tlbr_round_trip_every_page_size),
		T(test_g_is_and_of_both_entrylo_g),
		T(test_tlbp_hit_and_miss),
		T(test_tlbp_ignores_low_entryhi_bits),
		T(test_tlbinv_by_asid),
		T(test_tlbinvf_invalidates_everything),
		T(test_tlbwi_with_ehinv_writes_invalid_entry),
		T(test_reset_entries_read_as_invalid),
		T(test_tlbr_bad_index_wrap),
		T(test_tlbr_bad_index_invalid),
		T(test_tlbr_bad_index_unchanged),
		T(test_tlbr_bad_index_rejects_unknown_value),
		T(test_translate_4k_even_odd),
		T(test_translate_16k_even_odd),
		T(test_translate_1m_even_odd),
		T(test_translate_16m_even_odd),
		T(test_translate_256m_page),
		T(test_translate_kseg2_global),
		T(test_new_mapping_replaces_cached_translation),
		T(test_asid_mismatch_refills),
		T(test_changing_asid_switches_entries),
		T(test_tlbr_changes_current_asid),
		T(test_tlbr_of_invalid_entry_sets_asid_zero),
		T(test_changing_asid_switches_code),
		T(test_invalid_entry_load_tlbl_at_general_vector),
		T(test_invalid_entry_store_tlbs),
		T(test_refill_with_exl_clear_uses_offset_0),
		T(test_refill_with_exl_set_uses_general_vector),
		T(test_refill_on_fetch),
		T(test_exception_clears_entryhi_ehinv),
		T(test_clean_page_store_raises_mod),
		T(test_dirty_page_after_clean_page_store),
		T(test_ri_page_load_tlbl_without_iec),
		T(test_ri_page_load_tlbri_with_iec),
		T(test_ri_page_still_writable),
		T(test_ri_bit_ignored_without_rie),
		T(test_ri_enforced_again_after_pagegrain_rie_set),
		T(test_xi_page_fetch_tlbl_without_iec),
		T(test_xi_page_fetch_tlbxi_with_iec),
		T(test_xi_page_readable_and_odd_page_executable),
		T(test_duplicate_entry_raises_machine_check),
		T(test_overlapping_page_sizes_raise_machine_check),
		T(test_duplicate_with_global_raises_machine_check),
		T(test_duplicate_invalid_entries_still_match),
		T(test_duplicate_via_tlbwr_raises_machine_check),
		T(test_no_machine_check_when_distinct),
		T(test_duplicate_allowed_with_mcheck_off),
		T(test_kuseg_unmapped_while_erl),
		T(test_kuseg_mapped_again_after_erl_clears),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
