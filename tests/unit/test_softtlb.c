/*
 * What vzsim remembers of translations (the soft TLB of data pages and the
 * fetch TLB of code pages, boards/sim/cpu/softtlb.c) and what makes it
 * forget.  Every test first makes an access that translates and succeeds,
 * so that its page is remembered, then changes the translation the way
 * software does, then makes the same access again: it must see the new
 * translation (the value a load returns, where a store lands, which code
 * runs, which exception is taken), as a TLB with no such memory would.
 *
 * The changes, and what vzsim forgets for each (softtlb.c):
 * - a guest TLB entry written (guest tlbwi/tlbwr, root tlbgwi): the pages
 *   the old and the new entry span, in the guest's classes, or the whole
 *   guest scope past 256 pages (large pages);
 * - guest tlbinv/tlbinvf, root tlbginv/tlbginvf, a guest PageGrain write:
 *   the guest scope;
 * - a guest tlbr or EntryHi write that changes the guest ASID, a GuestID
 *   change: nothing, the guest context's key changes (test_softtlb_keys.c
 *   tests the keys);
 * - root anything (its TLB, second stage of every guest translation, its
 *   ASID, its PageGrain, tlbinv/tlbinvf) and EJTAG debug mode: everything.
 *
 * Architecture facts used (MIPS32 PRA r5, VZ ASE): a TLB write, an ASID
 * change, tlbinv/tlbinvf and PageGrain take effect for loads and stores
 * after an ehb, for fetches after a jr.hb/jalr.hb; guest translations go
 * through the guest's entries (tagged with GuestCtl1.ID) and then root
 * entries of that GuestID; root's tlbg* work on the guest's entries with
 * GuestCtl1.RID.
 *
 * Layout (vz_harness.h): guest kseg0 GPA 0-2M of guest 1 is PA 0x800000;
 * the tests map guest kuseg pairs GVA and GVB to guest-physical pairs
 * GPA_X and GPA_Y, root kuseg VA_R to PA_A / PA_B.
 */
#include "softtlb_harness.h"

#define GVA   0x00600000u /* a guest kuseg page pair */
#define GVB   0x00700000u /* another */
#define GPA_X 0x00140000u /* guest-physical pairs (in guest RAM, GPA 0-2M) */
#define GPA_Y 0x00150000u
#define GI    3u          /* the guest TLB index the tests rewrite */

#define VA_R  0x00600000u /* a root kuseg page pair */
#define PA_A  0x00300000u
#define PA_B  0x00310000u

/* A guest-physical page outside guest RAM, mapped by a root entry of its
 * own (RIDX) to PA_S1, then to PA_S2. */
#define GPA_S 0x00400000u
#define PA_S1 0x00c00000u
#define PA_S2 0x00c10000u
#define RIDX  4u

#define PG_RIE (1u << 31)
#define PG_XIE (1u << 30)
#define PG_IEC (1u << 27)
#define C0_PAGEGRAIN C0_PAGEMASK, 1
#define C0_DEPC 24

static int setup(void **state)
{
	vzsim *sim = vz_board();
	/* ASID 0 for root and guest: the tests' TLB writes keep it, so that
	 * only the change under test can make vzsim forget. */
	g_set_cp0(sim, C0_ENTRYHI, 0, 0);
	h_set_cp0(sim, C0_ENTRYHI, 0, 0);
	*state = sim;
	return 0;
}

/* ------------------------------------------------------------ helpers */

static uint32_t peek(vzsim *sim, uint32_t pa)
{
	return h_read32(sim, 0x80000000u | pa);
}

/* Guest entry GI: GVA (ASID 0, not global) -> the pair at gpa. */
static void map_gva(vzsim *sim, uint32_t gpa)
{
	put_guest(sim, GI, 1, GVA, PM_4K, LO_RAM(gpa), LO_RAM(gpa + 0x1000u));
}

/* Distinct words in both pages of the pairs X and Y of guest 1. */
#define VX0 0x11110000u
#define VX1 0x11111000u
#define VY0 0x22220000u
#define VY1 0x22221000u
static void mark_xy(vzsim *sim)
{
	gmark(sim, 1, GPA_X, VX0);
	gmark(sim, 1, GPA_X + 0x1000u, VX1);
	gmark(sim, 1, GPA_Y, VY0);
	gmark(sim, 1, GPA_Y + 0x1000u, VY1);
}

/* ------------------------------------------------------------ guest TLB writes: data */

/* Guest tlbwi over the entry that mapped a remembered page: both pages of
 * the pair read through the new entry. */
static void test_guest_tlbwi_remap_load(void **state)
{
	vzsim *sim = *state;
	map_gva(sim, GPA_X);
	mark_xy(sim);
	h_set_gpr(sim, T0, GVA);
	tlb_regs(sim, GI, GVA, LO_RAM(GPA_Y), LO_RAM(GPA_Y + 0x1000u), PM_4K);
	GRUN(sim, enc_lw(S0, 0, T0), enc_lw(S1, 0x1000, T0), TLBWI_SEQ,
	     enc_lw(S2, 0, T0), enc_lw(S3, 0x1000, T0));
	expect_gpr(sim, S0, VX0, "even page before");
	expect_gpr(sim, S1, VX1, "odd page before");
	expect_gpr(sim, S2, VY0, "even page after the tlbwi");
	expect_gpr(sim, S3, VY1, "odd page after the tlbwi");
}

/* The same across guest runs: the guest remembers the page in one run,
 * rewrites the entry in the next, loads in a third. */
static void test_guest_tlbwi_remap_load_across_runs(void **state)
{
	vzsim *sim = *state;
	map_gva(sim, GPA_X);
	mark_xy(sim);
	h_set_gpr(sim, T0, GVA);
	GRUN(sim, enc_lw(S0, 0, T0));
	expect_gpr(sim, S0, VX0, "before");
	tlb_regs(sim, GI, GVA, LO_RAM(GPA_Y), LO_RAM(GPA_Y + 0x1000u), PM_4K);
	GRUN(sim, TLBWI_SEQ);
	GRUN(sim, enc_lw(S1, 0, T0));
	expect_gpr(sim, S1, VY0, "after the tlbwi");
}

/* Guest tlbwr (Random at the top entry after a Wired write). */
static void test_guest_tlbwr_remap_load(void **state)
{
	vzsim *sim = *state;
	put_guest(sim, 31, 1, GVA, PM_4K, LO_RAM(GPA_X), LO_RAM(GPA_X + 0x1000u));
	mark_xy(sim);
	h_set_gpr(sim, T0, GVA);
	h_set_gpr(sim, T9, 31);
	tlb_regs(sim, 0, GVA, LO_RAM(GPA_Y), LO_RAM(GPA_Y + 0x1000u), PM_4K);
	GRUN(sim, enc_mtc0(T9, C0_WIRED, 0), enc_lw(S0, 0, T0), TLBWR_SEQ,
	     enc_lw(S1, 0, T0));
	expect_gpr(sim, S0, VX0, "before");
	expect_gpr(sim, S1, VY0, "after the tlbwr");
	/* It did write entry 31 (Random = Wired = 31). */
	struct vzsim_tlb_entry e = vz_tlb_get(sim, vz_gidx(sim, 31));
	assert_int_equal(e.entrylo0, LO_RAM(GPA_Y));
}

/* Entry GI mapped GVA; the guest writes an entry for GVB there: GVA is
 * not mapped any more, and its remembered page must not be read. */
static void test_guest_tlbwi_evicts_load(void **state)
{
	vzsim *sim = *state;
	map_gva(sim, GPA_X);
	mark_xy(sim);
	h_set_gpr(sim, T0, GVA);
	h_set_gpr(sim, S1, 0x5a5a5a5au);
	tlb_regs(sim, GI, GVB, LO_RAM(GPA_Y), LO_RAM(GPA_Y + 0x1000u), PM_4K);
	GSTART(sim, enc_lw(S0, 0, T0), TLBWI_SEQ, enc_lw(S1, 0, T0));
	expect_guest_exc(sim, G_VEC_REFILL, EXC_TLBL, G_CODE + 4 * (1 + TLBWI_SEQ_WORDS), GVA);
	expect_gpr(sim, S0, VX0, "before");
	expect_gpr(sim, S1, 0x5a5a5a5au, "the faulting load's target");
	/* And GVB reads through the new entry. */
	g_set_cp0(sim, C0_STATUS, 0, 0); /* out of the refill handler */
	h_set_gpr(sim, T1, GVB);
	GRUN(sim, enc_lw(S2, 0x1000, T1));
	expect_gpr(sim, S2, VY1, "GVB");
}

/*
 * A guest tlbwi that would leave two guest entries matching one address
 * (tlb-mcheck on): the guest takes the machine check in its own context,
 * and the TS bit that says why is set in the guest's Status, where its
 * handler reads it (Linux's do_mcheck), not in root's.
 */
static void test_guest_duplicate_entry_machine_check_sets_guest_ts(void **state)
{
	vzsim *sim = *state;
	put_guest(sim, 9, 1, GVA, PM_4K, LO_RAM(GPA_Y), LO_RAM(GPA_Y + 0x1000u));
	tlb_regs(sim, GI, GVA, LO_RAM(GPA_X), LO_RAM(GPA_X + 0x1000u), PM_4K);
	GSTART(sim, TLBWI_SEQ);
	expect_guest_exc(sim, G_VEC_GEN, EXC_MCHECK, G_CODE + 4 * (TLBWI_SEQ_WORDS - 2), 0);
	assert_int_equal(g_cp0(sim, C0_STATUS, 0) & SR_TS, SR_TS);
	assert_int_equal(h_status(sim) & SR_TS, 0);
	/* Entry GI was not written. */
	struct vzsim_tlb_entry e = vz_tlb_get(sim, vz_gidx(sim, GI));
	assert_int_not_equal(e.entrylo0, LO_RAM(GPA_X));
}

/*
 * A new entry that takes over a remembered page from another entry: with
 * tlb-mcheck off the guest may write a duplicate, and vzsim translates
 * through the lowest matching entry (tlb_lookup).  The remembered page
 * must give way to whatever a fresh translation gives.
 */
static void test_guest_new_entry_takes_over_remembered_page(void **state)
{
	vzsim *sim = *state;
	h_opt(sim, "tlb-mcheck", "off");
	mark_xy(sim);
	h_set_gpr(sim, T0, GVA);
	/* The premise, with nothing remembered: both entries, the lower wins. */
	put_guest(sim, 9, 1, GVA, PM_4K, LO_RAM(GPA_Y), LO_RAM(GPA_Y + 0x1000u));
	map_gva(sim, GPA_X);
	GRUN(sim, enc_lw(S0, 0, T0));
	if (h_gpr(sim, S0) != VX0)
		fail_msg("premise: with duplicates vzsim no longer translates through the "
			 "lowest entry (read 0x%08x); rewrite this test", h_gpr(sim, S0));
	/* Now the upper one alone, remembered, then the guest writes the lower. */
	struct vzsim_tlb_entry inv = {.entryhi = EHINV, .invalid = true};
	assert_int_equal(vzsim_tlb_write(sim, vz_gidx(sim, GI), &inv), 0);
	tlb_regs(sim, GI, GVA, LO_RAM(GPA_X), LO_RAM(GPA_X + 0x1000u), PM_4K);
	GRUN(sim, enc_lw(S1, 0, T0), TLBWI_SEQ, enc_lw(S2, 0, T0));
	expect_gpr(sim, S1, VY0, "through the upper entry");
	expect_gpr(sim, S2, VX0, "after the lower entry was written");
}

/* Stores: the first store makes the page writable directly; after the
 * remap the second store lands in Y and X keeps the first. */
static void test_guest_tlbwi_remap_store(void **state)
{
	vzsim *sim = *state;
	map_gva(sim, GPA_X);
	mark_xy(sim);
	h_set_gpr(sim, T0, GVA);
	h_set_gpr(sim, T1, 0xa1a1a1a1u);
	h_set_gpr(sim, T2, 0xb2b2b2b2u);
	tlb_regs(sim, GI, GVA, LO_RAM(GPA_Y), LO_RAM(GPA_Y + 0x1000u), PM_4K);
	GRUN(sim, enc_sw(T1, 0x10, T0), enc_sw(T1, 0x1010, T0), TLBWI_SEQ,
	     enc_sw(T2, 0x10, T0), enc_sw(T2, 0x1010, T0));
	assert_int_equal(gpeek(sim, 1, GPA_X + 0x10u), 0xa1a1a1a1u);
	assert_int_equal(gpeek(sim, 1, GPA_X + 0x1010u), 0xa1a1a1a1u);
	assert_int_equal(gpeek(sim, 1, GPA_Y + 0x10u), 0xb2b2b2b2u);
	assert_int_equal(gpeek(sim, 1, GPA_Y + 0x1010u), 0xb2b2b2b2u);
}

/* The same frame rewritten clean (D = 0): the next store is a TLB
 * Modified exception, not a write through the remembered page. */
static void test_guest_tlbwi_clean_page_store_mod(void **state)
{
	vzsim *sim = *state;
	map_gva(sim, GPA_X);
	mark_xy(sim);
	h_set_gpr(sim, T0, GVA);
	h_set_gpr(sim, T1, 0xa1a1a1a1u);
	h_set_gpr(sim, T2, 0xb2b2b2b2u);
	tlb_regs(sim, GI, GVA, LO_RAM(GPA_X) & ~LO_D, LO_RAM(GPA_X + 0x1000u), PM_4K);
	GSTART(sim, enc_sw(T1, 0x20, T0), TLBWI_SEQ, enc_sw(T2, 0x20, T0));
	expect_guest_exc(sim, G_VEC_GEN, EXC_MOD, G_CODE + 4 * (1 + TLBWI_SEQ_WORDS),
			 GVA + 0x20u);
	assert_int_equal(gpeek(sim, 1, GPA_X + 0x20u), 0xa1a1a1a1u);
}

/* ------------------------------------------------------------ guest TLB writes: fetch */

/* Code at GVA: X's function, then (remapped) Y's. */
static void test_guest_tlbwi_remap_fetch(void **state)
{
	vzsim *sim = *state;
	map_gva(sim, GPA_X);
	gput_code(sim, 1, GPA_X, 1);
	gput_code(sim, 1, GPA_Y, 2);
	h_set_gpr(sim, T0, GVA);
	h_set_gpr(sim, S0, 0);
	tlb_regs(sim, GI, GVA, LO_RAM(GPA_Y), LO_RAM(GPA_Y + 0x1000u), PM_4K);
	GRUN(sim, enc_jalr(RA, T0), enc_nop(), enc_move(S1, S0), TLBWI_SEQ,
	     enc_jalr_hb(RA, T0), enc_nop(), enc_move(S2, S0));
	expect_gpr(sim, S1, 1, "X's code");
	expect_gpr(sim, S2, 2, "Y's code after the tlbwi");
}

/* Code at GVA; the entry rewritten for GVB: the jump to GVA refills. */
static void test_guest_tlbwi_evicts_fetch(void **state)
{
	vzsim *sim = *state;
	map_gva(sim, GPA_X);
	gput_code(sim, 1, GPA_X, 1);
	gput_code(sim, 1, GPA_Y, 2);
	h_set_gpr(sim, T0, GVA);
	h_set_gpr(sim, S0, 0);
	tlb_regs(sim, GI, GVB, LO_RAM(GPA_Y), LO_RAM(GPA_Y + 0x1000u), PM_4K);
	GSTART(sim, enc_jalr(RA, T0), enc_nop(), enc_move(S1, S0), enc_move(S0, ZERO),
	       TLBWI_SEQ, enc_jalr_hb(RA, T0), enc_nop(), enc_move(S2, S0));
	expect_guest_exc(sim, G_VEC_REFILL, EXC_TLBL, GVA, GVA);
	expect_gpr(sim, S1, 1, "X's code");
	expect_gpr(sim, S0, 0, "nothing ran at GVA");
}

/*
 * The guest remaps the page it is running from: code at GVA (X and Y hold
 * the same words up to the jr.hb) rewrites its own entry to Y and jumps,
 * hazard-cleared, within the page: Y's word at +0x40 runs.
 */
static void test_guest_remaps_its_own_code_page(void **state)
{
	vzsim *sim = *state;
	map_gva(sim, GPA_X);
	const uint32_t head[] = {TLBWI_SEQ, enc_jr_hb(T3), enc_nop()};
	const uint32_t tail_x[] = {enc_addiu(S0, ZERO, 1), enc_hypcall(G_HC_END), enc_nop()};
	const uint32_t tail_y[] = {enc_addiu(S0, ZERO, 2), enc_hypcall(G_HC_END), enc_nop()};
	g_load(sim, 1, 0x80000000u | GPA_X, head, 10);
	g_load(sim, 1, 0x80000000u | GPA_Y, head, 10);
	g_load(sim, 1, 0x80000040u | GPA_X, tail_x, 3);
	g_load(sim, 1, 0x80000040u | GPA_Y, tail_y, 3);
	h_set_gpr(sim, T3, GVA + 0x40u);
	h_set_gpr(sim, S0, 0);
	tlb_regs(sim, GI, GVA, LO_RAM(GPA_Y), LO_RAM(GPA_Y + 0x1000u), PM_4K);
	vz_enter(sim, GVA);
	vz_run_to_end(sim, GVA + 0x44u);
	expect_gpr(sim, S0, 2, "Y's word after the jr.hb");
}

/* ------------------------------------------------------------ root's tlbg* */

/* Root rewrites the guest's entry with tlbgwi between two guest runs. */
static void test_root_tlbgwi_remap(void **state)
{
	vzsim *sim = *state;
	map_gva(sim, GPA_X);
	mark_xy(sim);
	h_set_gpr(sim, T0, GVA);
	GRUN(sim, enc_lw(S0, 0, T0), enc_lw(S1, 0x1000, T0));
	expect_gpr(sim, S0, VX0, "even before");
	expect_gpr(sim, S1, VX1, "odd before");
	vz_wr(sim, R_GUESTCTL1, GC1(1, 1));
	tlb_regs(sim, GI, GVA, LO_RAM(GPA_Y), LO_RAM(GPA_Y + 0x1000u), PM_4K);
	RUN(sim, TLBGWI_SEQ);
	GRUN(sim, enc_lw(S2, 0, T0), enc_lw(S3, 0x1000, T0));
	expect_gpr(sim, S2, VY0, "even after the tlbgwi");
	expect_gpr(sim, S3, VY1, "odd after the tlbgwi");
}

/* Root's tlbgwi evicting the entry of remembered code. */
static void test_root_tlbgwi_evicts_fetch(void **state)
{
	vzsim *sim = *state;
	map_gva(sim, GPA_X);
	gput_code(sim, 1, GPA_X, 1);
	h_set_gpr(sim, T0, GVA);
	h_set_gpr(sim, S0, 0);
	GRUN(sim, enc_jalr(RA, T0), enc_nop());
	expect_gpr(sim, S0, 1, "X's code");
	vz_wr(sim, R_GUESTCTL1, GC1(1, 1));
	tlb_regs(sim, GI, GVB, LO_RAM(GPA_Y), LO_RAM(GPA_Y + 0x1000u), PM_4K);
	RUN(sim, TLBGWI_SEQ);
	h_set_gpr(sim, S0, 0);
	GSTART(sim, enc_jalr(RA, T0), enc_nop());
	expect_guest_exc(sim, G_VEC_REFILL, EXC_TLBL, GVA, GVA);
	expect_gpr(sim, S0, 0, "nothing ran at GVA");
}

/* Root's tlbginvf / tlbginv: the guest's remembered page then refills. */
static void root_tlbginv_case(vzsim *sim, bool all)
{
	/* tlbginv: the non-global entries of the guest's ASID (0). */
	map_gva(sim, GPA_X);
	mark_xy(sim);
	h_set_gpr(sim, T0, GVA);
	GRUN(sim, enc_lw(S0, 0, T0));
	expect_gpr(sim, S0, VX0, "before");
	vz_wr(sim, R_GUESTCTL1, GC1(1, 1));
	RUN(sim, all ? enc_tlbginvf() : enc_tlbginv(), enc_ehb());
	GSTART(sim, enc_lw(S1, 0, T0));
	expect_guest_exc(sim, G_VEC_REFILL, EXC_TLBL, G_CODE, GVA);
}

static void test_root_tlbginv(void **state)
{
	root_tlbginv_case(*state, false);
}

static void test_root_tlbginvf(void **state)
{
	root_tlbginv_case(*state, true);
}

/* ------------------------------------------------------------ large pages */

/*
 * A 16M guest page pair (8192 4K pages, past what a range forgets one page
 * at a time) rewritten in place: three accesses far apart, in both halves,
 * read the new frames.  Every GPA the test touches has a 4K root entry of
 * its own.
 */
#define BIG16 0x02000000u
static void test_guest_large_page_remap(void **state)
{
	vzsim *sim = *state;
	const uint32_t va[3] = {BIG16 + 0x10u, BIG16 + 0xabc010u, BIG16 + 0x1f01020u};
	const uint32_t old_gpa[3] = {0x01000010u, 0x01abc010u, 0x02f01020u};
	const uint32_t new_gpa[3] = {0x05000010u, 0x05abc010u, 0x06f01020u};
	for (unsigned i = 0; i < 3; i++) {
		uint32_t pa_old = 0x00c00000u + 0x2000u * i, pa_new = 0x00c10000u + 0x2000u * i;
		vz_map_gpa_page(sim, 1, 4 + i, old_gpa[i], pa_old);
		vz_map_gpa_page(sim, 1, 8 + i, new_gpa[i], pa_new);
		mark(sim, pa_old + (old_gpa[i] & 0xfffu), 0x0d000000u + i);
		mark(sim, pa_new + (new_gpa[i] & 0xfffu), 0x0e000000u + i);
	}
	put_guest(sim, GI, 1, BIG16, PM_16M, LO_RAM(0x01000000u), LO_RAM(0x02000000u));
	h_set_gpr(sim, T0, va[0]);
	h_set_gpr(sim, T1, va[1]);
	h_set_gpr(sim, T2, va[2]);
	tlb_regs(sim, GI, BIG16, LO_RAM(0x05000000u), LO_RAM(0x06000000u), PM_16M);
	GRUN(sim, enc_lw(S0, 0, T0), enc_lw(S1, 0, T1), enc_lw(S2, 0, T2), TLBWI_SEQ,
	     enc_lw(S3, 0, T0), enc_lw(S4, 0, T1), enc_lw(S5, 0, T2));
	for (unsigned i = 0; i < 3; i++) {
		char what[64];
		snprintf(what, sizeof what, "access %u (0x%08x) before", i, va[i]);
		expect_gpr(sim, S0 + i, 0x0d000000u + i, what);
		snprintf(what, sizeof what, "access %u (0x%08x) after the tlbwi", i, va[i]);
		expect_gpr(sim, S3 + i, 0x0e000000u + i, what);
	}
}

/*
 * A 64M guest page pair replaced by a 4K entry elsewhere: every remembered
 * page of the old one, near or far from its start, refills.
 */
#define BIG64 0x08000000u
static void test_guest_large_page_evicted(void **state)
{
	vzsim *sim = *state;
	const uint32_t va[3] = {BIG64 + 0x10u, BIG64 + 0x3cde010u, BIG64 + 0x7123010u};
	const uint32_t gpa[3] = {0x04000010u, 0x07cde010u, 0x0b123010u};
	for (unsigned i = 0; i < 3; i++) {
		uint32_t pa = 0x00c00000u + 0x2000u * i;
		vz_map_gpa_page(sim, 1, 4 + i, gpa[i], pa);
		mark(sim, pa + (gpa[i] & 0xfffu), 0x0d000000u + i);
	}
	put_guest(sim, GI, 1, BIG64, PM_64M, LO_RAM(0x04000000u), LO_RAM(0x08000000u));
	h_set_gpr(sim, T0, va[0]);
	h_set_gpr(sim, T1, va[1]);
	h_set_gpr(sim, T2, va[2]);
	GRUN(sim, enc_lw(S0, 0, T0), enc_lw(S1, 0, T1), enc_lw(S2, 0, T2));
	for (unsigned i = 0; i < 3; i++)
		expect_gpr(sim, S0 + i, 0x0d000000u + i, "before");
	tlb_regs(sim, GI, GVB, LO_RAM(GPA_Y), LO_RAM(GPA_Y + 0x1000u), PM_4K);
	GRUN(sim, TLBWI_SEQ);
	for (unsigned i = 0; i < 3; i++) {
		g_set_cp0(sim, C0_STATUS, 0, 0); /* EXL = 0: refills at +0 */
		GSTART(sim, enc_lw(S3, 0, T0 + i));
		expect_guest_exc(sim, G_VEC_REFILL, EXC_TLBL, G_CODE, va[i]);
	}
}

/* ------------------------------------------------------------ guest tlbinv/tlbinvf */

static void test_guest_tlbinv(void **state)
{
	vzsim *sim = *state;
	map_gva(sim, GPA_X); /* ASID 0, not global */
	mark_xy(sim);
	h_set_gpr(sim, T0, GVA);
	GSTART(sim, enc_lw(S0, 0, T0), enc_tlbinv(), enc_ehb(), enc_lw(S1, 0, T0));
	expect_guest_exc(sim, G_VEC_REFILL, EXC_TLBL, G_CODE + 12, GVA);
	expect_gpr(sim, S0, VX0, "before");
}

static void test_guest_tlbinvf(void **state)
{
	vzsim *sim = *state;
	put_guest(sim, GI, 1, GVA, PM_4K, LO_RAM(GPA_X) | LO_G, LO_RAM(GPA_X + 0x1000u) | LO_G);
	mark_xy(sim);
	h_set_gpr(sim, T0, GVA);
	GSTART(sim, enc_lw(S0, 0x1000, T0), enc_tlbinvf(), enc_ehb(), enc_lw(S1, 0x1000, T0));
	expect_guest_exc(sim, G_VEC_REFILL, EXC_TLBL, G_CODE + 12, GVA + 0x1000u);
	expect_gpr(sim, S0, VX1, "before");
}

/* tlbinvf and remembered code. */
static void test_guest_tlbinvf_fetch(void **state)
{
	vzsim *sim = *state;
	put_guest(sim, GI, 1, GVA, PM_4K, LO_RAM(GPA_X) | LO_G, LO_RAM(GPA_X + 0x1000u) | LO_G);
	gput_code(sim, 1, GPA_X, 1);
	h_set_gpr(sim, T0, GVA);
	h_set_gpr(sim, S0, 0);
	GSTART(sim, enc_jalr(RA, T0), enc_nop(), enc_move(S1, S0), enc_move(S0, ZERO),
	       enc_tlbinvf(), enc_ehb(), enc_jalr_hb(RA, T0), enc_nop());
	expect_guest_exc(sim, G_VEC_REFILL, EXC_TLBL, GVA, GVA);
	expect_gpr(sim, S1, 1, "X's code");
	expect_gpr(sim, S0, 0, "nothing ran at GVA");
}

/* ------------------------------------------------------------ guest ASID */

/* Two entries for GVA, ASIDs 1 and 2 (not global), to X and Y. */
static void map_two_asids(vzsim *sim)
{
	put_guest(sim, GI, 1, GVA | 1, PM_4K, LO_RAM(GPA_X), LO_RAM(GPA_X + 0x1000u));
	put_guest(sim, GI + 1, 1, GVA | 2, PM_4K, LO_RAM(GPA_Y), LO_RAM(GPA_Y + 0x1000u));
	g_set_cp0(sim, C0_ENTRYHI, 0, 1);
}

static void test_guest_asid_change_load(void **state)
{
	vzsim *sim = *state;
	map_two_asids(sim);
	mark_xy(sim);
	h_set_gpr(sim, T0, GVA);
	h_set_gpr(sim, T1, 2);
	h_set_gpr(sim, T2, 1);
	GRUN(sim, enc_lw(S0, 0, T0), enc_mtc0(T1, C0_ENTRYHI, 0), enc_ehb(),
	     enc_lw(S1, 0, T0), enc_mtc0(T2, C0_ENTRYHI, 0), enc_ehb(), enc_lw(S2, 0, T0));
	expect_gpr(sim, S0, VX0, "ASID 1");
	expect_gpr(sim, S1, VY0, "ASID 2");
	expect_gpr(sim, S2, VX0, "ASID 1 again");
}

/* A store under ASID 1, then ASID 2: each lands in its own frame. */
static void test_guest_asid_change_store(void **state)
{
	vzsim *sim = *state;
	map_two_asids(sim);
	mark_xy(sim);
	h_set_gpr(sim, T0, GVA);
	h_set_gpr(sim, T1, 2);
	h_set_gpr(sim, T2, 0xa1a1a1a1u);
	h_set_gpr(sim, T3, 0xb2b2b2b2u);
	GRUN(sim, enc_sw(T2, 0x30, T0), enc_mtc0(T1, C0_ENTRYHI, 0), enc_ehb(),
	     enc_sw(T3, 0x30, T0));
	assert_int_equal(gpeek(sim, 1, GPA_X + 0x30u), 0xa1a1a1a1u);
	assert_int_equal(gpeek(sim, 1, GPA_Y + 0x30u), 0xb2b2b2b2u);
}

/* A tlbr of the ASID-2 entry loads EntryHi.ASID = 2. */
static void test_guest_tlbr_asid_change_load(void **state)
{
	vzsim *sim = *state;
	map_two_asids(sim);
	mark_xy(sim);
	h_set_gpr(sim, T0, GVA);
	h_set_gpr(sim, T4, GI + 1);
	GRUN(sim, enc_lw(S0, 0, T0), enc_mtc0(T4, C0_INDEX, 0), enc_ehb(), enc_tlbr(),
	     enc_ehb(), enc_mfc0(S2, C0_ENTRYHI, 0), enc_lw(S1, 0, T0));
	expect_gpr(sim, S0, VX0, "ASID 1");
	expect_gpr(sim, S2, GVA | 2, "EntryHi after the tlbr");
	expect_gpr(sim, S1, VY0, "ASID 2 after the tlbr");
}

/* The same code address under two ASIDs. */
static void test_guest_asid_change_fetch(void **state)
{
	vzsim *sim = *state;
	map_two_asids(sim);
	gput_code(sim, 1, GPA_X, 1);
	gput_code(sim, 1, GPA_Y, 2);
	h_set_gpr(sim, T0, GVA);
	h_set_gpr(sim, T1, 2);
	h_set_gpr(sim, S0, 0);
	GRUN(sim, enc_jalr(RA, T0), enc_nop(), enc_move(S1, S0), enc_mtc0(T1, C0_ENTRYHI, 0),
	     enc_ehb(), enc_jalr_hb(RA, T0), enc_nop(), enc_move(S2, S0));
	expect_gpr(sim, S1, 1, "ASID 1's code");
	expect_gpr(sim, S2, 2, "ASID 2's code");
}

/* Root changes the guest's ASID (mtgc0) between two guest runs. */
static void test_root_mtgc0_guest_asid(void **state)
{
	vzsim *sim = *state;
	map_two_asids(sim);
	mark_xy(sim);
	h_set_gpr(sim, T0, GVA);
	GRUN(sim, enc_lw(S0, 0, T0));
	expect_gpr(sim, S0, VX0, "ASID 1");
	h_set_gpr(sim, T1, 2);
	RUN(sim, enc_mtgc0(T1, C0_ENTRYHI, 0), enc_ehb());
	GRUN(sim, enc_lw(S1, 0, T0));
	expect_gpr(sim, S1, VY0, "ASID 2");
}

/* ------------------------------------------------------------ GuestID */

/*
 * Guests 1 and 2 map GVA to their own frames; guest 1 reads, root switches
 * GuestCtl1.ID to 2 (mtc0), guest 2 reads its own.  Guest 2's program at
 * G_CODE is in its own memory too: running guest 1's remembered code page
 * would show as well.
 */
static void test_guestid_change(void **state)
{
	vzsim *sim = *state;
	put_guest(sim, GI, 1, GVA, PM_4K, LO_RAM(GPA_X), LO_RAM(GPA_X + 0x1000u));
	put_guest(sim, GI + 1, 2, GVA, PM_4K, LO_RAM(GPA_Y), LO_RAM(GPA_Y + 0x1000u));
	gmark(sim, 1, GPA_X, 0x11111111u);
	gmark(sim, 1, GPA_Y, 0x1111eeeeu);
	gmark(sim, 2, GPA_X, 0x2222eeeeu);
	gmark(sim, 2, GPA_Y, 0x22222222u);
	h_set_gpr(sim, T0, GVA);
	GRUN_ID(sim, 1, enc_lw(S0, 0, T0));
	expect_gpr(sim, S0, 0x11111111u, "guest 1");
	h_set_gpr(sim, T1, GC1(2, 0));
	RUN(sim, enc_mtc0(T1, C0_GUESTCTL1), enc_ehb());
	assert_int_equal(vz_rd(sim, R_GUESTCTL1), GC1(2, 0));
	h_set_gpr(sim, S1, 0);
	GRUN_ID(sim, 2, enc_lw(S1, 0, T0), enc_addiu(S2, ZERO, 2));
	expect_gpr(sim, S1, 0x22222222u, "guest 2");
	expect_gpr(sim, S2, 2, "guest 2's own code");
}

/* GuestIDs and guest kseg0: the same GVA, through each guest's second
 * stage, in turn. */
static void test_guestid_change_kseg0(void **state)
{
	vzsim *sim = *state;
	g_write32(sim, 1, G_DATA, 0x11110001u);
	g_write32(sim, 2, G_DATA, 0x22220002u);
	h_set_gpr(sim, T0, G_DATA);
	GRUN_ID(sim, 1, enc_lw(S0, 0, T0));
	expect_gpr(sim, S0, 0x11110001u, "guest 1");
	h_set_gpr(sim, T1, GC1(2, 0));
	RUN(sim, enc_mtc0(T1, C0_GUESTCTL1), enc_ehb());
	GRUN_ID(sim, 2, enc_lw(S1, 0, T0));
	expect_gpr(sim, S1, 0x22220002u, "guest 2");
	h_set_gpr(sim, T1, GC1(1, 0));
	RUN(sim, enc_mtc0(T1, C0_GUESTCTL1), enc_ehb());
	GRUN_ID(sim, 1, enc_lw(S2, 0, T0));
	expect_gpr(sim, S2, 0x11110001u, "guest 1 again");
}

/* ------------------------------------------------------------ root: second stage */

/* Guest entry GI: GVA -> GPA_S (outside guest RAM), root entry RIDX:
 * GPA_S -> PA_S1 for GuestID 1. */
static void map_second_stage(vzsim *sim)
{
	map_gva(sim, GPA_S);
	vz_tlb_put(sim, RIDX, false, 1, GPA_S, PM_4K, LO_RAM(PA_S1) | LO_G,
		   LO_RAM(PA_S1 + 0x1000u) | LO_G);
}

/* Root's tlbwi (RID 1) of RIDX: GPA_S -> PA_S2. */
static void root_remap_second_stage(vzsim *sim)
{
	vz_wr(sim, R_GUESTCTL1, GC1(1, 1));
	tlb_regs(sim, RIDX, GPA_S, LO_RAM(PA_S2), LO_RAM(PA_S2 + 0x1000u), PM_4K);
	RUN(sim, TLBWI_SEQ);
}

static void test_root_tlbwi_second_stage_load(void **state)
{
	vzsim *sim = *state;
	map_second_stage(sim);
	mark(sim, PA_S1, 0x51515151u);
	mark(sim, PA_S1 + 0x1000u, 0x51511000u);
	mark(sim, PA_S2, 0x52525252u);
	mark(sim, PA_S2 + 0x1000u, 0x52521000u);
	h_set_gpr(sim, T0, GVA);
	GRUN(sim, enc_lw(S0, 0, T0), enc_lw(S1, 0x1000, T0));
	expect_gpr(sim, S0, 0x51515151u, "even page before");
	expect_gpr(sim, S1, 0x51511000u, "odd page before");
	root_remap_second_stage(sim);
	GRUN(sim, enc_lw(S2, 0, T0), enc_lw(S3, 0x1000, T0));
	expect_gpr(sim, S2, 0x52525252u, "even page after root's tlbwi");
	expect_gpr(sim, S3, 0x52521000u, "odd page after root's tlbwi");
}

static void test_root_tlbwi_second_stage_store(void **state)
{
	vzsim *sim = *state;
	map_second_stage(sim);
	h_set_gpr(sim, T0, GVA);
	h_set_gpr(sim, T1, 0xa1a1a1a1u);
	h_set_gpr(sim, T2, 0xb2b2b2b2u);
	GRUN(sim, enc_sw(T1, 0x40, T0));
	root_remap_second_stage(sim);
	GRUN(sim, enc_sw(T2, 0x40, T0));
	assert_int_equal(peek(sim, PA_S1 + 0x40u), 0xa1a1a1a1u);
	assert_int_equal(peek(sim, PA_S2 + 0x40u), 0xb2b2b2b2u);
}

static void test_root_tlbwi_second_stage_fetch(void **state)
{
	vzsim *sim = *state;
	map_second_stage(sim);
	put_code(sim, PA_S1, 1);
	put_code(sim, PA_S2, 2);
	h_set_gpr(sim, T0, GVA);
	h_set_gpr(sim, S0, 0);
	GRUN(sim, enc_jalr(RA, T0), enc_nop());
	expect_gpr(sim, S0, 1, "PA_S1's code");
	root_remap_second_stage(sim);
	GRUN(sim, enc_jalr(RA, T0), enc_nop());
	expect_gpr(sim, S0, 2, "PA_S2's code after root's tlbwi");
}

/* Root's tlbwi invalidating (EHINV) the second stage of a remembered
 * page: the guest's next load is a root TLB refill for its GPA. */
static void test_root_tlbwi_second_stage_evicted(void **state)
{
	vzsim *sim = *state;
	map_second_stage(sim);
	mark(sim, PA_S1, 0x51515151u);
	h_set_gpr(sim, T0, GVA);
	GRUN(sim, enc_lw(S0, 0, T0));
	expect_gpr(sim, S0, 0x51515151u, "before");
	vz_wr(sim, R_GUESTCTL1, GC1(1, 1));
	tlb_regs(sim, RIDX, EHINV, 0, 0, PM_4K);
	RUN(sim, TLBWI_SEQ);
	GSTART(sim, enc_lw(S1, 0, T0));
	vz_run_to_stage2(sim, H_VEC_REFILL, EXC_TLBL, G_CODE, GPA_S);
}

/* Root's tlbinvf with RID 1 drops guest 1's whole second stage: even the
 * guest's remembered code page (G_CODE) is a root refill on the way in. */
static void test_root_tlbinvf_second_stage_fetch(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, S0, 0);
	GRUN(sim, enc_addiu(S0, S0, 1));
	expect_gpr(sim, S0, 1, "the first run");
	vz_wr(sim, R_GUESTCTL1, GC1(1, 1));
	RUN(sim, enc_tlbinvf(), enc_ehb());
	GSTART(sim, enc_addiu(S0, S0, 1));
	vz_run_to_stage2(sim, H_VEC_REFILL, EXC_TLBL, G_CODE, G_CODE & 0x1fffffffu);
	expect_gpr(sim, S0, 1, "nothing ran");
}

/* Root's PageGrain.RIE enables the RI bit of the second-stage entry. */
static void test_root_pagegrain_second_stage(void **state)
{
	vzsim *sim = *state;
	map_gva(sim, GPA_S);
	vz_tlb_put(sim, RIDX, false, 1, GPA_S, PM_4K, LO_RAM(PA_S1) | LO_G | LO_RI,
		   LO_RAM(PA_S1 + 0x1000u) | LO_G);
	mark(sim, PA_S1, 0x51515151u);
	h_set_cp0(sim, C0_PAGEGRAIN, 0);
	h_set_gpr(sim, T0, GVA);
	GRUN(sim, enc_lw(S0, 0, T0));
	expect_gpr(sim, S0, 0x51515151u, "RIE clear");
	h_set_gpr(sim, T1, PG_RIE | PG_IEC);
	RUN(sim, enc_mtc0(T1, C0_PAGEGRAIN), enc_ehb());
	GSTART(sim, enc_lw(S1, 0, T0));
	vz_run_to_stage2(sim, H_VEC_GEN, EXC_TLBRI, G_CODE, GPA_S);
}

/* ------------------------------------------------------------ guest PageGrain */

/* RI set in the entry, guest PageGrain.RIE clear: the page reads; with
 * RIE set the same load faults, TLBRI with IEC, TLBL without. */
static void guest_rie_case(vzsim *sim, uint32_t pagegrain, unsigned code)
{
	put_guest(sim, GI, 1, GVA, PM_4K, LO_RAM(GPA_X) | LO_RI, LO_RAM(GPA_X + 0x1000u));
	mark_xy(sim);
	g_set_cp0(sim, C0_PAGEGRAIN, 0);
	h_set_gpr(sim, T0, GVA);
	h_set_gpr(sim, T1, pagegrain);
	h_set_gpr(sim, S1, 0x5a5a5a5au);
	GSTART(sim, enc_lw(S0, 0, T0), enc_mtc0(T1, C0_PAGEGRAIN), enc_ehb(),
	       enc_lw(S1, 0, T0));
	expect_guest_exc(sim, G_VEC_GEN, code, G_CODE + 12, GVA);
	expect_gpr(sim, S0, VX0, "RIE clear");
	expect_gpr(sim, S1, 0x5a5a5a5au, "the faulting load's target");
}

static void test_guest_pagegrain_rie_tlbri(void **state)
{
	guest_rie_case(*state, PG_RIE | PG_IEC, EXC_TLBRI);
}

static void test_guest_pagegrain_rie_tlbl(void **state)
{
	guest_rie_case(*state, PG_RIE, EXC_TLBL);
}

/* A core without PageGrain.IEC (board option rixi-exc=off): the guest's
 * write of IEC does not stick, and the RI violation is a TLBL, as Linux
 * then expects (it reads the entry back to tell RI/XI from invalid). */
static void test_guest_pagegrain_no_iec(void **state)
{
	vzsim *sim = *state;
	h_opt(sim, "rixi-exc", "off");
	guest_rie_case(sim, PG_RIE | PG_IEC, EXC_TLBL);
	assert_int_equal(g_cp0(sim, C0_PAGEGRAIN), PG_RIE);
}

/* XI and remembered code: XIE set, the jump to the page faults. */
static void test_guest_pagegrain_xie_fetch(void **state)
{
	vzsim *sim = *state;
	put_guest(sim, GI, 1, GVA, PM_4K, LO_RAM(GPA_X) | LO_XI, LO_RAM(GPA_X + 0x1000u));
	gput_code(sim, 1, GPA_X, 1);
	g_set_cp0(sim, C0_PAGEGRAIN, 0);
	h_set_gpr(sim, T0, GVA);
	h_set_gpr(sim, T1, PG_XIE | PG_IEC);
	h_set_gpr(sim, S0, 0);
	GSTART(sim, enc_jalr(RA, T0), enc_nop(), enc_move(S1, S0), enc_move(S0, ZERO),
	       enc_mtc0(T1, C0_PAGEGRAIN), enc_ehb(), enc_jalr_hb(RA, T0), enc_nop());
	expect_guest_exc(sim, G_VEC_GEN, EXC_TLBXI, GVA, GVA);
	expect_gpr(sim, S1, 1, "XIE clear");
	expect_gpr(sim, S0, 0, "nothing ran at GVA");
}

/* ------------------------------------------------------------ root alone */

/* Root entry 2: VA_R -> PA_A (ASID 0, not global). */
static void map_root(vzsim *sim)
{
	h_tlbwi(sim, 2, VA_R, LO_RAM(PA_A), LO_RAM(PA_A + 0x1000u), PM_4K);
	mark(sim, PA_A, 0xaaaa0000u);
	mark(sim, PA_A + 0x1000u, 0xaaaa1000u);
	mark(sim, PA_B, 0xbbbb0000u);
	mark(sim, PA_B + 0x1000u, 0xbbbb1000u);
}

static void test_root_tlbwi_remap_load(void **state)
{
	vzsim *sim = *state;
	map_root(sim);
	h_set_gpr(sim, T0, VA_R);
	tlb_regs(sim, 2, VA_R, LO_RAM(PA_B), LO_RAM(PA_B + 0x1000u), PM_4K);
	RUN(sim, enc_lw(S0, 0, T0), enc_lw(S1, 0x1000, T0), TLBWI_SEQ, enc_lw(S2, 0, T0),
	    enc_lw(S3, 0x1000, T0));
	expect_gpr(sim, S0, 0xaaaa0000u, "even before");
	expect_gpr(sim, S1, 0xaaaa1000u, "odd before");
	expect_gpr(sim, S2, 0xbbbb0000u, "even after the tlbwi");
	expect_gpr(sim, S3, 0xbbbb1000u, "odd after the tlbwi");
}

static void test_root_tlbwi_remap_store(void **state)
{
	vzsim *sim = *state;
	map_root(sim);
	h_set_gpr(sim, T0, VA_R);
	h_set_gpr(sim, T1, 0xa1a1a1a1u);
	h_set_gpr(sim, T2, 0xb2b2b2b2u);
	tlb_regs(sim, 2, VA_R, LO_RAM(PA_B), LO_RAM(PA_B + 0x1000u), PM_4K);
	RUN(sim, enc_sw(T1, 0x50, T0), TLBWI_SEQ, enc_sw(T2, 0x50, T0));
	assert_int_equal(peek(sim, PA_A + 0x50u), 0xa1a1a1a1u);
	assert_int_equal(peek(sim, PA_B + 0x50u), 0xb2b2b2b2u);
}

static void test_root_tlbwi_remap_fetch(void **state)
{
	vzsim *sim = *state;
	map_root(sim);
	put_code(sim, PA_A, 1);
	put_code(sim, PA_B, 2);
	h_set_gpr(sim, T0, VA_R);
	h_set_gpr(sim, S0, 0);
	tlb_regs(sim, 2, VA_R, LO_RAM(PA_B), LO_RAM(PA_B + 0x1000u), PM_4K);
	RUN(sim, enc_jalr(RA, T0), enc_nop(), enc_move(S1, S0), TLBWI_SEQ,
	    enc_jalr_hb(RA, T0), enc_nop(), enc_move(S2, S0));
	expect_gpr(sim, S1, 1, "PA_A's code");
	expect_gpr(sim, S2, 2, "PA_B's code after the tlbwi");
}

static void test_root_tlbwi_evicts_load(void **state)
{
	vzsim *sim = *state;
	map_root(sim);
	h_set_gpr(sim, T0, VA_R);
	tlb_regs(sim, 2, 0x00700000u, LO_RAM(PA_B), LO_RAM(PA_B + 0x1000u), PM_4K);
	h_prog(sim, PROG(enc_lw(S0, 0, T0), TLBWI_SEQ, enc_lw(S1, 0, T0)));
	expect_root_exc(sim, H_VEC_REFILL, EXC_TLBL, H_CODE + 4 * (1 + TLBWI_SEQ_WORDS), VA_R);
	expect_gpr(sim, S0, 0xaaaa0000u, "before");
}

static void test_root_asid_change_load(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 0, VA_R | 1, LO_RAM(PA_A), LO_RAM(PA_A + 0x1000u), PM_4K);
	h_tlbwi(sim, 1, VA_R | 2, LO_RAM(PA_B), LO_RAM(PA_B + 0x1000u), PM_4K);
	mark(sim, PA_A, 0xaaaa0000u);
	mark(sim, PA_B, 0xbbbb0000u);
	h_set_cp0(sim, C0_ENTRYHI, 0, 1);
	h_set_gpr(sim, T0, VA_R);
	h_set_gpr(sim, T1, 2);
	h_set_gpr(sim, T2, 1);
	RUN(sim, enc_lw(S0, 0, T0), enc_mtc0(T1, C0_ENTRYHI, 0), enc_ehb(), enc_lw(S1, 0, T0),
	    enc_mtc0(T2, C0_ENTRYHI, 0), enc_ehb(), enc_lw(S2, 0, T0));
	expect_gpr(sim, S0, 0xaaaa0000u, "ASID 1");
	expect_gpr(sim, S1, 0xbbbb0000u, "ASID 2");
	expect_gpr(sim, S2, 0xaaaa0000u, "ASID 1 again");
}

static void test_root_asid_change_fetch(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 0, VA_R | 1, LO_RAM(PA_A), LO_RAM(PA_A + 0x1000u), PM_4K);
	h_tlbwi(sim, 1, VA_R | 2, LO_RAM(PA_B), LO_RAM(PA_B + 0x1000u), PM_4K);
	put_code(sim, PA_A, 1);
	put_code(sim, PA_B, 2);
	h_set_cp0(sim, C0_ENTRYHI, 0, 1);
	h_set_gpr(sim, T0, VA_R);
	h_set_gpr(sim, T1, 2);
	h_set_gpr(sim, S0, 0);
	RUN(sim, enc_jalr(RA, T0), enc_nop(), enc_move(S1, S0), enc_mtc0(T1, C0_ENTRYHI, 0),
	    enc_ehb(), enc_jalr_hb(RA, T0), enc_nop(), enc_move(S2, S0));
	expect_gpr(sim, S1, 1, "ASID 1's code");
	expect_gpr(sim, S2, 2, "ASID 2's code");
}

static void test_root_tlbinv(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 2, VA_R | 1, LO_RAM(PA_A), LO_RAM(PA_A + 0x1000u), PM_4K);
	mark(sim, PA_A, 0xaaaa0000u);
	h_set_cp0(sim, C0_ENTRYHI, 0, 1);
	h_set_gpr(sim, T0, VA_R);
	h_prog(sim, PROG(enc_lw(S0, 0, T0), enc_tlbinv(), enc_ehb(), enc_lw(S1, 0, T0)));
	expect_root_exc(sim, H_VEC_REFILL, EXC_TLBL, H_CODE + 12, VA_R);
	expect_gpr(sim, S0, 0xaaaa0000u, "before");
}

static void test_root_pagegrain_rie(void **state)
{
	vzsim *sim = *state;
	h_set_cp0(sim, C0_PAGEGRAIN, PG_RIE);
	h_tlbwi(sim, 2, VA_R, LO_RAM(PA_A) | LO_RI, LO_RAM(PA_A + 0x1000u), PM_4K);
	h_set_cp0(sim, C0_PAGEGRAIN, 0);
	mark(sim, PA_A, 0xaaaa0000u);
	h_set_gpr(sim, T0, VA_R);
	h_set_gpr(sim, T1, PG_RIE | PG_IEC);
	h_prog(sim, PROG(enc_lw(S0, 0, T0), enc_mtc0(T1, C0_PAGEGRAIN), enc_ehb(),
			 enc_lw(S1, 0, T0)));
	expect_root_exc(sim, H_VEC_GEN, EXC_TLBRI, H_CODE + 12, VA_R);
	expect_gpr(sim, S0, 0xaaaa0000u, "RIE clear");
}

/* ------------------------------------------------------------ with a TLB write hook */

/* A TLB write hook (vzsim_set_tlb_hook) makes vzsim take another path
 * through the same writes and invalidations: it must forget the same. */
static void count_writes(void *ctx, const struct vzsim_tlb_write_event *ev)
{
	(void)ev;
	(*(unsigned *)ctx)++;
}

static void test_hooked_guest_tlbwi_remap_load(void **state)
{
	vzsim *sim = *state;
	unsigned n = 0;
	map_gva(sim, GPA_X);
	mark_xy(sim);
	vzsim_set_tlb_hook(sim, count_writes, &n);
	h_set_gpr(sim, T0, GVA);
	tlb_regs(sim, GI, GVA, LO_RAM(GPA_Y), LO_RAM(GPA_Y + 0x1000u), PM_4K);
	GRUN(sim, enc_lw(S0, 0, T0), TLBWI_SEQ, enc_lw(S1, 0, T0));
	vzsim_set_tlb_hook(sim, NULL, NULL);
	assert_int_equal(n, 1);
	expect_gpr(sim, S0, VX0, "before");
	expect_gpr(sim, S1, VY0, "after the tlbwi");
}

static void test_hooked_guest_tlbinvf(void **state)
{
	vzsim *sim = *state;
	unsigned n = 0;
	put_guest(sim, GI, 1, GVA, PM_4K, LO_RAM(GPA_X) | LO_G, LO_RAM(GPA_X + 0x1000u) | LO_G);
	mark_xy(sim);
	vzsim_set_tlb_hook(sim, count_writes, &n);
	h_set_gpr(sim, T0, GVA);
	GSTART(sim, enc_lw(S0, 0, T0), enc_tlbinvf(), enc_ehb(), enc_lw(S1, 0, T0));
	expect_guest_exc(sim, G_VEC_REFILL, EXC_TLBL, G_CODE + 12, GVA);
	vzsim_set_tlb_hook(sim, NULL, NULL);
	assert_int_equal(n, 1);
	expect_gpr(sim, S0, VX0, "before");
}

static void test_hooked_root_tlbinv(void **state)
{
	vzsim *sim = *state;
	unsigned n = 0;
	h_tlbwi(sim, 2, VA_R | 1, LO_RAM(PA_A), LO_RAM(PA_A + 0x1000u), PM_4K);
	mark(sim, PA_A, 0xaaaa0000u);
	h_set_cp0(sim, C0_ENTRYHI, 0, 1);
	vzsim_set_tlb_hook(sim, count_writes, &n);
	h_set_gpr(sim, T0, VA_R);
	h_prog(sim, PROG(enc_lw(S0, 0, T0), enc_tlbinv(), enc_ehb(), enc_lw(S1, 0, T0)));
	expect_root_exc(sim, H_VEC_REFILL, EXC_TLBL, H_CODE + 12, VA_R);
	vzsim_set_tlb_hook(sim, NULL, NULL);
	assert_int_equal(n, 1);
	expect_gpr(sim, S0, 0xaaaa0000u, "before");
}

/* ------------------------------------------------------------ EJTAG debug mode */

/*
 * Outside debug mode 0xFF300000 is kseg3, mapped here to RAM; in debug
 * mode it is drseg (DCR at its start).  A page remembered before an
 * SDBBP must not answer for it in debug mode.
 */
#define DRSEG_DCR 0xff300000u
#define DCR_RESET 0x0003001au /* INTE NMIE SRSTE InstBrk DataBrk, no probe */

static int ejtag_setup(void **state)
{
	vzsim *sim = h_new();
	h_opt(sim, "ejtag", "on");
	h_setup(sim);
	*state = sim;
	return 0;
}

static void test_debug_mode_forgets_kseg3(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 5, DRSEG_DCR, LO_RAM(PA_A) | LO_G, LO_RAM(PA_A + 0x1000u) | LO_G, PM_4K);
	mark(sim, PA_A, 0x12345678u);
	/* The handler at the ROM debug vector: DCR, then on past the SDBBP. */
	h_load(sim, 0xbfc00480u,
	       PROG(enc_lw(S1, 0, T0), enc_mfc0(K0, C0_DEPC, 0), enc_addiu(K0, K0, 4),
		    enc_mtc0(K0, C0_DEPC, 0), enc_ehb(), enc_deret(), enc_nop()));
	h_set_gpr(sim, T0, DRSEG_DCR);
	h_set_gpr(sim, S1, 0);
	RUN(sim, enc_lw(S0, 0, T0), enc_sdbbp(0), enc_lw(S2, 0, T0));
	expect_gpr(sim, S0, 0x12345678u, "kseg3 before");
	expect_gpr(sim, S1, DCR_RESET, "DCR in debug mode");
	expect_gpr(sim, S2, 0x12345678u, "kseg3 after DERET");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define VZT(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		VZT(test_guest_tlbwi_remap_load),
		VZT(test_guest_tlbwi_remap_load_across_runs),
		VZT(test_guest_tlbwr_remap_load),
		VZT(test_guest_tlbwi_evicts_load),
		VZT(test_guest_duplicate_entry_machine_check_sets_guest_ts),
		VZT(test_guest_new_entry_takes_over_remembered_page),
		VZT(test_guest_tlbwi_remap_store),
		VZT(test_guest_tlbwi_clean_page_store_mod),
		VZT(test_guest_tlbwi_remap_fetch),
		VZT(test_guest_tlbwi_evicts_fetch),
		VZT(test_guest_remaps_its_own_code_page),
		VZT(test_root_tlbgwi_remap),
		VZT(test_root_tlbgwi_evicts_fetch),
		VZT(test_root_tlbginv),
		VZT(test_root_tlbginvf),
		VZT(test_guest_large_page_remap),
		VZT(test_guest_large_page_evicted),
		VZT(test_guest_tlbinv),
		VZT(test_guest_tlbinvf),
		VZT(test_guest_tlbinvf_fetch),
		VZT(test_guest_asid_change_load),
		VZT(test_guest_asid_change_store),
		VZT(test_guest_tlbr_asid_change_load),
		VZT(test_guest_asid_change_fetch),
		VZT(test_root_mtgc0_guest_asid),
		VZT(test_guestid_change),
		VZT(test_guestid_change_kseg0),
		VZT(test_root_tlbwi_second_stage_load),
		VZT(test_root_tlbwi_second_stage_store),
		VZT(test_root_tlbwi_second_stage_fetch),
		VZT(test_root_tlbwi_second_stage_evicted),
		VZT(test_root_tlbinvf_second_stage_fetch),
		VZT(test_root_pagegrain_second_stage),
		VZT(test_guest_pagegrain_rie_tlbri),
		VZT(test_guest_pagegrain_rie_tlbl),
		VZT(test_guest_pagegrain_no_iec),
		VZT(test_guest_pagegrain_xie_fetch),
		VZT(test_root_tlbwi_remap_load),
		VZT(test_root_tlbwi_remap_store),
		VZT(test_root_tlbwi_remap_fetch),
		VZT(test_root_tlbwi_evicts_load),
		VZT(test_root_asid_change_load),
		VZT(test_root_asid_change_fetch),
		VZT(test_root_tlbinv),
		VZT(test_root_pagegrain_rie),
		VZT(test_hooked_guest_tlbwi_remap_load),
		VZT(test_hooked_guest_tlbinvf),
		VZT(test_hooked_root_tlbinv),
#undef VZT
		cmocka_unit_test_setup_teardown(test_debug_mode_forgets_kseg3, ejtag_setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
