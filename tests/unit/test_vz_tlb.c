/*
 * The VZ TLB: one TLB shared by root and guests, every entry tagged guest
 * or root and with a GuestID; the guest part is the top guest-tlb-entries
 * entries.  Guest tlbp/tlbr/tlbwi/tlbwr, what a guest may see of other
 * guests' entries, stage-one faults delivered to the guest, root
 * tlbp/tlbr/tlbwi with GuestCtl1.RID, the root guest-TLB instructions
 * (tlbgp, tlbgr, tlbgwi, tlbgwr, tlbginv, tlbginvf), tlbinv/tlbinvf by
 * RID, and the board options guest-tlb-entries and tlbr-bad-index in a
 * guest.
 *
 * The contract is docs/vzsim.md ("Virtualization (VZ)", "The shared TLB");
 * from the VZ TLB instruction pages: a guest-mode TLB write tags the entry
 * with GuestCtl1.ID and a root one with GuestCtl1.RID (root writes with RID
 * != 0 force G); guest tlbp matches only its GuestID; a guest tlbr of an
 * entry that is not its own reads the invalid-entry values (EntryLo0/1 = 0,
 * EntryHi = EHINV, PageMask = 0); root tlbr and tlbgr set RID to the
 * entry's GuestID.  That read-back is how a guest's PageMask falls from 16K
 * to 4K when another guest took its entry (the "shrinking page" bug vzsoak
 * exists to find).
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

#define GRUN(sim, ...) vz_run_to_end((sim), vz_gprog((sim), PROG(__VA_ARGS__)))
#define GRUN_ID(sim, gid, ...) \
	vz_run_to_end((sim), vz_gprog_gid((sim), (gid), PROG(__VA_ARGS__)))
#define RUN(sim, ...) h_run_to_end((sim), h_prog((sim), PROG(__VA_ARGS__)))

#define GVA  0x00600000u /* a guest kuseg pair the tests map */
#define LO_A (LO_RAM(0x00100000u))
#define LO_B (LO_RAM(0x00104000u))

static void put_guest(vzsim *sim, unsigned gi, unsigned gid, uint32_t hi, uint32_t mask,
		      uint32_t lo0, uint32_t lo1)
{
	vz_tlb_put(sim, vz_gidx(sim, gi), true, gid, hi, mask, lo0, lo1);
}

static void put_invalid(vzsim *sim, unsigned idx)
{
	struct vzsim_tlb_entry e;
	memset(&e, 0, sizeof e);
	e.entryhi = EHINV;
	e.invalid = true;
	if (vzsim_tlb_write(sim, idx, &e) != 0)
		fail_msg("vzsim_tlb_write(%u) failed", idx);
}

static void expect_entry(vzsim *sim, unsigned idx, bool guest, unsigned gid, uint32_t hi,
			 uint32_t mask, uint32_t lo0, uint32_t lo1)
{
	struct vzsim_tlb_entry e = vz_tlb_get(sim, idx);
	if (e.invalid || e.guest != guest || e.guestid != gid || e.entryhi != hi ||
	    e.pagemask != mask || e.entrylo0 != lo0 || e.entrylo1 != lo1)
		fail_msg("entry %u: invalid %d guest %d id %u hi 0x%08x mask 0x%08x lo0 0x%08x "
			 "lo1 0x%08x; expected guest %d id %u hi 0x%08x mask 0x%08x lo0 0x%08x "
			 "lo1 0x%08x", idx, e.invalid, e.guest, e.guestid, e.entryhi, e.pagemask,
			 e.entrylo0, e.entrylo1, guest, gid, hi, mask, lo0, lo1);
}

static void expect_invalid(vzsim *sim, unsigned idx)
{
	struct vzsim_tlb_entry e = vz_tlb_get(sim, idx);
	if (!e.invalid)
		fail_msg("entry %u valid (guest %d id %u hi 0x%08x), expected invalid", idx,
			 e.guest, e.guestid, e.entryhi);
}

/* ------------------------------------------------------------ guest TLB ops */

static void test_guest_part_is_the_top_of_the_tlb(void **state)
{
	vzsim *sim = *state;
	unsigned gn = 0;
	assert_int_equal(vzsim_tlb_size(sim, &gn), 64);
	assert_int_equal(gn, 32);
	assert_int_equal(vz_gidx(sim, 0), 32);
}

static void test_guest_tlbwi_writes_guest_part_tagged_with_id(void **state)
{
	vzsim *sim = *state;
	for (unsigned gid = 1; gid <= 2; gid++) {
		vz_setup(sim);
		vz_wr(sim, C0_INDEX, 0, 9);
		h_set_gpr(sim, T0, 5);
		h_set_gpr(sim, T1, GVA | 0x21);
		h_set_gpr(sim, T2, LO_A);
		h_set_gpr(sim, T3, LO_B);
		h_set_gpr(sim, T4, PM_16K);
		GRUN_ID(sim, gid, enc_mtc0(T0, C0_INDEX, 0), enc_mtc0(T1, C0_ENTRYHI, 0),
			enc_mtc0(T2, C0_ENTRYLO0, 0), enc_mtc0(T3, C0_ENTRYLO1, 0),
			enc_mtc0(T4, C0_PAGEMASK, 0), enc_ehb(), enc_tlbwi());
		expect_entry(sim, vz_gidx(sim, 5), true, gid, GVA | 0x21, PM_16K, LO_A, LO_B);
		/* Root's entry 5 and root's Index are not the guest's. */
		expect_invalid(sim, 5);
		assert_int_equal(h_cp0(sim, C0_INDEX, 0), 9);
		assert_int_equal(g_cp0(sim, C0_INDEX, 0), 5);
	}
}

/* Guest tlbr of guest index gi; s0..s3 = EntryHi, Lo0, Lo1, PageMask. */
static void guest_tlbr(vzsim *sim, unsigned gid, unsigned gi)
{
	g_set_cp0(sim, C0_ENTRYHI, 0, 0x12344000u | 0x33);
	g_set_cp0(sim, C0_ENTRYLO0, 0, 0x55u);
	g_set_cp0(sim, C0_ENTRYLO1, 0, 0x66u);
	g_set_cp0(sim, C0_PAGEMASK, 0, PM_16K);
	h_set_gpr(sim, T0, gi);
	GRUN_ID(sim, gid, enc_mtc0(T0, C0_INDEX, 0), enc_ehb(), enc_tlbr(), enc_ehb(),
		enc_mfc0(S0, C0_ENTRYHI, 0), enc_mfc0(S1, C0_ENTRYLO0, 0),
		enc_mfc0(S2, C0_ENTRYLO1, 0), enc_mfc0(S3, C0_PAGEMASK, 0));
}

static void expect_regs(vzsim *sim, const char *what, uint32_t hi, uint32_t lo0, uint32_t lo1,
			uint32_t mask)
{
	if (h_gpr(sim, S0) != hi || h_gpr(sim, S1) != lo0 || h_gpr(sim, S2) != lo1 ||
	    h_gpr(sim, S3) != mask)
		fail_msg("%s: EntryHi 0x%08x Lo0 0x%08x Lo1 0x%08x PageMask 0x%08x, expected "
			 "0x%08x 0x%08x 0x%08x 0x%08x", what, h_gpr(sim, S0), h_gpr(sim, S1),
			 h_gpr(sim, S2), h_gpr(sim, S3), hi, lo0, lo1, mask);
}

static void test_guest_tlbr_own_entry(void **state)
{
	vzsim *sim = *state;
	put_guest(sim, 3, 1, GVA | 0x21, PM_16K, LO_A, LO_B);
	guest_tlbr(sim, 1, 3);
	expect_regs(sim, "own entry", GVA | 0x21, LO_A, LO_B, PM_16K);
}

static void test_guest_tlbr_of_anything_else_reads_invalid_values(void **state)
{
	vzsim *sim = *state;
	put_guest(sim, 4, 2, GVA | 0x21, PM_16K, LO_A, LO_B);           /* guest 2's */
	vz_tlb_put(sim, vz_gidx(sim, 5), false, 0, GVA, PM_16K, LO_A, LO_B); /* root's */
	vz_tlb_put(sim, vz_gidx(sim, 6), false, 1, GVA, PM_16K, LO_A, LO_B); /* stage 2 */
	put_invalid(sim, vz_gidx(sim, 7));
	const char *what[] = {"other guest's entry", "root entry", "guest 1's stage-2 entry",
			      "invalid entry"};
	for (unsigned i = 0; i < 4; i++) {
		guest_tlbr(sim, 1, 4 + i);
		expect_regs(sim, what[i], EHINV, 0, 0, PM_4K);
	}
}

/* Guest tlbp of EntryHi hi; returns the guest's Index after it. */
static uint32_t guest_tlbp(vzsim *sim, unsigned gid, uint32_t hi)
{
	h_set_gpr(sim, T0, hi);
	GRUN_ID(sim, gid, enc_mtc0(T0, C0_ENTRYHI, 0), enc_ehb(), enc_tlbp(), enc_ehb(),
		enc_mfc0(S0, C0_INDEX, 0));
	assert_int_equal(h_gpr(sim, S0), g_cp0(sim, C0_INDEX, 0));
	return h_gpr(sim, S0);
}

static void test_guest_tlbp_sees_only_its_own_entries(void **state)
{
	vzsim *sim = *state;
	put_guest(sim, 3, 1, GVA | 0x21, PM_4K, LO_A, LO_B);
	put_guest(sim, 4, 2, 0x00800000u | 0x21, PM_4K, LO_A, LO_B);
	vz_tlb_put(sim, vz_gidx(sim, 5), false, 1, 0x00a00000u, PM_4K, LO_A | LO_G, LO_B | LO_G);
	assert_int_equal(guest_tlbp(sim, 1, GVA | 0x21), 3);
	assert_true(guest_tlbp(sim, 1, 0x00800000u | 0x21) & INDEX_P);
	/* Root entries, even tagged with its GuestID, are not the guest's. */
	assert_true(guest_tlbp(sim, 1, 0x00a00000u | 0x21) & INDEX_P);
	assert_true(guest_tlbp(sim, 1, 0x00000000u | 0x21) & INDEX_P);
	assert_true(guest_tlbp(sim, 2, GVA | 0x21) & INDEX_P);
	assert_int_equal(guest_tlbp(sim, 2, 0x00800000u | 0x21), 4);
	/* The guest's ASID matters for a non-global entry. */
	assert_true(guest_tlbp(sim, 1, GVA | 0x22) & INDEX_P);
}

static void test_guest_translation_sees_only_its_own_entries(void **state)
{
	vzsim *sim = *state;
	/* GVA 0x600000 -> GPA 0x100000 (G_DATA's). */
	put_guest(sim, 3, 1, GVA, PM_4K, LO_A, LO_B);
	g_write32(sim, 1, G_DATA + 0x10, 0x1111aaaau);
	g_write32(sim, 2, G_DATA + 0x10, 0x2222bbbbu);
	h_set_gpr(sim, T0, GVA + 0x10);
	GRUN_ID(sim, 1, enc_lw(S0, 0, T0));
	assert_int_equal(h_gpr(sim, S0), 0x1111aaaau);
	/* Guest 2: a refill of its own, at its own vector. */
	h_set_gpr(sim, T0, GVA + 0x10);
	vz_gprog_gid(sim, 2, PROG(enc_lw(S0, 0, T0)));
	vz_run_to_guest_vec(sim, G_VEC_REFILL);
	assert_int_equal(g_exc(sim), EXC_TLBL);
	assert_int_equal(g_cp0(sim, C0_BADVADDR, 0), GVA + 0x10);
	assert_int_equal(vz_rd(sim, R_GUESTCTL1) & 0xffu, 2);
}

static void test_guest_refill_registers(void **state)
{
	vzsim *sim = *state;
	uint32_t rbv = h_cp0(sim, C0_BADVADDR, 0), rhi = 0x00000007u;
	vz_wr(sim, C0_ENTRYHI, 0, rhi);
	vz_wr(sim, C0_CONTEXT, 0, 0);
	g_set_cp0(sim, C0_ENTRYHI, 0, 0x21);
	g_set_cp0(sim, C0_CONTEXT, 0, 0xc0000000u);
	h_set_gpr(sim, T0, 0x00612008u);
	vz_gprog(sim, PROG(enc_nop(), enc_lw(S0, 0, T0)));
	vz_run_to_guest_vec(sim, G_VEC_REFILL);
	assert_int_equal(g_exc(sim), EXC_TLBL);
	assert_int_equal(g_cp0(sim, C0_EPC, 0), G_CODE + 4);
	assert_int_equal(g_cp0(sim, C0_BADVADDR, 0), 0x00612008u);
	assert_int_equal(g_cp0(sim, C0_ENTRYHI, 0), 0x00612000u | 0x21);
	assert_int_equal(g_cp0(sim, C0_CONTEXT, 0), 0xc0000000u | (0x00612008u >> 13) << 4);
	assert_int_equal(g_cp0(sim, C0_STATUS, 0) & SR_EXL, SR_EXL);
	/* Root's registers keep their values (the exit is the stub's hypcall). */
	assert_int_equal(h_cp0(sim, C0_BADVADDR, 0), rbv);
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), rhi);
	assert_int_equal(h_cp0(sim, C0_CONTEXT, 0), 0);
	/* With guest EXL set, a miss goes to the guest's general vector and
	 * guest EPC stays. */
	vz_setup(sim);
	g_set_cp0(sim, C0_STATUS, 0, SR_EXL);
	g_set_cp0(sim, C0_EPC, 0, 0x80abc000u);
	h_set_gpr(sim, T0, 0x00612008u);
	vz_gprog(sim, PROG(enc_lw(S0, 0, T0)));
	vz_run_to_guest_vec(sim, G_VEC_GEN);
	assert_int_equal(g_exc(sim), EXC_TLBL);
	assert_int_equal(g_cp0(sim, C0_EPC, 0), 0x80abc000u);
	assert_int_equal(g_cp0(sim, C0_BADVADDR, 0), 0x00612008u);
	/* A store miss: TLBS. */
	vz_setup(sim);
	h_set_gpr(sim, T0, 0x00612008u);
	vz_gprog(sim, PROG(enc_sw(S0, 0, T0)));
	vz_run_to_guest_vec(sim, G_VEC_REFILL);
	assert_int_equal(g_exc(sim), EXC_TLBS);
}

static void test_guest_invalid_and_modified(void **state)
{
	vzsim *sim = *state;
	/* Even page V = 0; odd page V = 1, D = 0. */
	put_guest(sim, 2, 1, GVA, PM_4K, LO_PFN(0x00100000u) | LO_C(3) | LO_D,
		  LO_PFN(0x00101000u) | LO_C(3) | LO_V);
	g_write32(sim, 1, 0x80101004u, 0x31415926u);
	h_set_gpr(sim, T0, GVA);
	vz_gprog(sim, PROG(enc_lw(S0, 8, T0)));
	vz_run_to_guest_vec(sim, G_VEC_GEN);
	assert_int_equal(g_exc(sim), EXC_TLBL);
	assert_int_equal(g_cp0(sim, C0_BADVADDR, 0), GVA + 8);
	assert_int_equal(g_cp0(sim, C0_EPC, 0), G_CODE);
	g_set_cp0(sim, C0_STATUS, 0, 0);
	vz_gprog(sim, PROG(enc_sw(S0, 12, T0)));
	vz_run_to_guest_vec(sim, G_VEC_GEN);
	assert_int_equal(g_exc(sim), EXC_TLBS);
	g_set_cp0(sim, C0_STATUS, 0, 0);
	GRUN(sim, enc_lw(S1, 0x1004, T0));
	assert_int_equal(h_gpr(sim, S1), 0x31415926u);
	vz_gprog(sim, PROG(enc_nop(), enc_sw(S0, 0x1004, T0)));
	vz_run_to_guest_vec(sim, G_VEC_GEN);
	assert_int_equal(g_exc(sim), EXC_MOD);
	assert_int_equal(g_cp0(sim, C0_BADVADDR, 0), GVA + 0x1004);
	assert_int_equal(g_cp0(sim, C0_EPC, 0), G_CODE + 4);
	assert_int_equal(g_read32(sim, 1, 0x80101004u), 0x31415926u);
}

static void test_guest_asid_and_global(void **state)
{
	vzsim *sim = *state;
	put_guest(sim, 1, 1, GVA | 0x05, PM_4K, LO_A, LO_A);
	put_guest(sim, 2, 1, 0x00800000u | 0x05, PM_4K, LO_A | LO_G, LO_A | LO_G);
	g_write32(sim, 1, G_DATA, 0x0000abcdu);
	g_set_cp0(sim, C0_ENTRYHI, 0, 0x06);
	h_set_gpr(sim, T0, 0x00800000u);
	GRUN(sim, enc_lw(S0, 0, T0));
	assert_int_equal(h_gpr(sim, S0), 0x0000abcdu);
	h_set_gpr(sim, T0, GVA);
	vz_gprog(sim, PROG(enc_lw(S0, 0, T0)));
	vz_run_to_guest_vec(sim, G_VEC_REFILL);
	assert_int_equal(g_cp0(sim, C0_ENTRYHI, 0), GVA | 0x06);
}

static void test_guest_tlbwr_evicts_another_guests_entry(void **state)
{
	vzsim *sim = *state;
	unsigned gn = 0;
	vzsim_tlb_size(sim, &gn);
	/* Root fills the whole guest part with guest 1's entries: tlbgwi with
	 * RID = 1 at every guest Index. */
	vz_wr(sim, R_GUESTCTL1, GC1(1, 1));
	g_set_cp0(sim, C0_WIRED, 0, 0);
	h_set_gpr(sim, T1, gn);
	RUN(sim, enc_addiu(T0, ZERO, 0), ENC_LI(T2, 0x10000000u), ENC_LI(T3, LO_A),
	    enc_mtgc0(T3, C0_ENTRYLO0, 0), enc_mtgc0(T3, C0_ENTRYLO1, 0),
	    enc_mtgc0(ZERO, C0_PAGEMASK, 0),
	    /* loop: */
	    enc_mtgc0(T0, C0_INDEX, 0), enc_mtgc0(T2, C0_ENTRYHI, 0), enc_ehb(), enc_tlbgwi(),
	    enc_addiu(T0, T0, 1), enc_bne(T0, T1, -6), enc_addiu(T2, T2, 0x2000));
	for (unsigned i = 0; i < gn; i++)
		expect_entry(sim, vz_gidx(sim, i), true, 1, 0x10000000u + 0x2000u * i, PM_4K,
			     LO_A, LO_A);
	/* Guest 2's tlbwr: Random covers every guest entry, whoever owns it. */
	vz_wr(sim, R_GUESTCTL1, GC1(2, 0));
	h_set_gpr(sim, T0, 0x20000000u);
	h_set_gpr(sim, T1, LO_B);
	GRUN_ID(sim, 2, enc_mtc0(T0, C0_ENTRYHI, 0), enc_mtc0(T1, C0_ENTRYLO0, 0),
		enc_mtc0(T1, C0_ENTRYLO1, 0), enc_mtc0(ZERO, C0_PAGEMASK, 0), enc_ehb(),
		enc_tlbwr());
	unsigned g1 = 0, g2 = 0;
	for (unsigned i = 0; i < gn; i++) {
		struct vzsim_tlb_entry e = vz_tlb_get(sim, vz_gidx(sim, i));
		assert_false(e.invalid);
		assert_true(e.guest);
		if (e.guestid == 1) {
			assert_int_equal(e.entryhi, 0x10000000u + 0x2000u * i);
			g1++;
		} else {
			assert_int_equal(e.guestid, 2);
			assert_int_equal(e.entryhi, 0x20000000u);
			assert_int_equal(e.entrylo0, LO_B);
			g2++;
		}
	}
	assert_int_equal(g1, gn - 1);
	assert_int_equal(g2, 1);
	/* The evicted entry is gone for guest 1: its tlbp misses. */
	unsigned lost = 0;
	for (unsigned i = 0; i < gn; i++)
		if (vz_tlb_get(sim, vz_gidx(sim, i)).guestid == 2)
			lost = i;
	assert_true(guest_tlbp(sim, 1, 0x10000000u + 0x2000u * lost) & INDEX_P);
}

static void test_guest_random_stays_above_guest_wired(void **state)
{
	vzsim *sim = *state;
	/* Guest Wired = 31: Random can only be 31, and tlbwr writes there. */
	h_set_gpr(sim, T0, 31);
	h_set_gpr(sim, T1, GVA);
	h_set_gpr(sim, T2, LO_A);
	GRUN(sim, enc_mtc0(T0, C0_WIRED, 0), enc_ehb(), enc_mfc0(S0, C0_RANDOM, 0),
	     enc_mtc0(T1, C0_ENTRYHI, 0), enc_mtc0(T2, C0_ENTRYLO0, 0),
	     enc_mtc0(T2, C0_ENTRYLO1, 0), enc_mtc0(ZERO, C0_PAGEMASK, 0), enc_ehb(),
	     enc_tlbwr());
	assert_int_equal(h_gpr(sim, S0), 31);
	expect_entry(sim, vz_gidx(sim, 31), true, 1, GVA, PM_4K, LO_A, LO_A);
	/* Guest Wired = 0: forty reads all below 32 (OR of them < 32). */
	h_set_gpr(sim, T1, 40);
	h_set_gpr(sim, S1, 0);
	GRUN(sim, enc_mtc0(ZERO, C0_WIRED, 0), enc_ehb(),
	     enc_mfc0(T2, C0_RANDOM, 0), enc_or(S1, S1, T2), enc_addiu(T1, T1, -1),
	     enc_bne(T1, ZERO, -4), enc_nop());
	assert_true(h_gpr(sim, S1) < 32);
}

/* ------------------------------------------------------------ the shrinking page */

/*
 * Guest 1 owned guest entry 5 (16K pages); guest 2 now owns it.  Guest 1's
 * handler: tlbp (misses: Index.P, index bits still 5), then tlbr anyway.
 * s0..s3 = EntryHi, Lo0, Lo1, PageMask after the tlbr, s4 = Index after
 * the tlbp.
 */
static void shrinking_page_handler(vzsim *sim)
{
	put_guest(sim, 5, 2, 0x00900000u, PM_4K, LO_B, LO_B);
	g_set_cp0(sim, C0_PAGEMASK, 0, PM_16K);
	g_set_cp0(sim, C0_ENTRYLO0, 0, LO_A);
	g_set_cp0(sim, C0_ENTRYLO1, 0, LO_A);
	h_set_gpr(sim, T0, 5);
	h_set_gpr(sim, T1, GVA | 0x21);
	GRUN_ID(sim, 1, enc_mtc0(T0, C0_INDEX, 0), enc_mtc0(T1, C0_ENTRYHI, 0), enc_ehb(),
		enc_tlbp(), enc_ehb(), enc_mfc0(S4, C0_INDEX, 0), enc_tlbr(), enc_ehb(),
		enc_mfc0(S0, C0_ENTRYHI, 0), enc_mfc0(S1, C0_ENTRYLO0, 0),
		enc_mfc0(S2, C0_ENTRYLO1, 0), enc_mfc0(S3, C0_PAGEMASK, 0));
	assert_int_equal(h_gpr(sim, S4), INDEX_P | 5);
}

static void test_shrinking_page_with_wrap(void **state)
{
	vzsim *sim = *state;
	/* Default tlbr-bad-index=wrap: reads guest entry 5, guest 2's. */
	shrinking_page_handler(sim);
	expect_regs(sim, "tlbr after a missed tlbp", EHINV, 0, 0, PM_4K);
	assert_int_equal(g_cp0(sim, C0_PAGEMASK, 0), PM_4K);
}

static void test_shrinking_page_with_invalid(void **state)
{
	vzsim *sim = *state;
	h_opt(sim, "tlbr-bad-index", "invalid");
	vz_setup(sim);
	shrinking_page_handler(sim);
	expect_regs(sim, "tlbr after a missed tlbp", EHINV, 0, 0, PM_4K);
}

static void test_shrinking_page_with_unchanged(void **state)
{
	vzsim *sim = *state;
	h_opt(sim, "tlbr-bad-index", "unchanged");
	vz_setup(sim);
	shrinking_page_handler(sim);
	expect_regs(sim, "tlbr after a missed tlbp", GVA | 0x21, LO_A, LO_A, PM_16K);
}

static void test_guest_tlbr_bad_index_wraps_within_guest_part(void **state)
{
	vzsim *sim = *state;
	/* Index.P set, index bits 3, guest entry 3 is the guest's own:
	 * wrap reads it (not root's entry 3). */
	put_guest(sim, 3, 1, GVA | 0x21, PM_16K, LO_A, LO_B);
	vz_tlb_put(sim, 3, false, 0, 0x00a00000u, PM_4K, LO_B, LO_B);
	h_set_gpr(sim, T0, 3);
	h_set_gpr(sim, T1, 0x00b00000u | 0x21); /* no entry: tlbp misses */
	GRUN(sim, enc_mtc0(T0, C0_INDEX, 0), enc_mtc0(T1, C0_ENTRYHI, 0), enc_ehb(),
	     enc_tlbp(), enc_ehb(), enc_tlbr(), enc_ehb(), enc_mfc0(S0, C0_ENTRYHI, 0),
	     enc_mfc0(S1, C0_ENTRYLO0, 0), enc_mfc0(S2, C0_ENTRYLO1, 0),
	     enc_mfc0(S3, C0_PAGEMASK, 0));
	expect_regs(sim, "wrap to own guest entry 3", GVA | 0x21, LO_A, LO_B, PM_16K);
}

/* ------------------------------------------------------------ root TLB ops and RID */

static void test_root_tlbr_sets_rid(void **state)
{
	vzsim *sim = *state;
	vz_tlb_put(sim, 10, false, 3, 0x00400000u, PM_4K, LO_A | LO_G, LO_B | LO_G);
	put_guest(sim, 2, 5, GVA | 0x21, PM_16K, LO_A, LO_B);
	vz_wr(sim, R_GUESTCTL1, GC1(7, 0));
	h_tlbr(sim, 10);
	assert_int_equal(vz_rd(sim, R_GUESTCTL1), GC1(7, 3));
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), 0x00400000u);
	assert_int_equal(h_cp0(sim, C0_ENTRYLO0, 0), LO_A | LO_G);
	/* Any entry, guest ones included. */
	h_tlbr(sim, vz_gidx(sim, 2));
	assert_int_equal(vz_rd(sim, R_GUESTCTL1), GC1(7, 5));
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), GVA | 0x21);
	assert_int_equal(h_cp0(sim, C0_PAGEMASK, 0), PM_16K);
	/* An invalid entry: RID 0. */
	put_invalid(sim, 11);
	h_tlbr(sim, 11);
	assert_int_equal(vz_rd(sim, R_GUESTCTL1), GC1(7, 0));
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), EHINV);
}

static void test_root_tlbwi_tags_with_rid_and_forces_g(void **state)
{
	vzsim *sim = *state;
	vz_wr(sim, R_GUESTCTL1, GC1(1, 4));
	h_tlbwi(sim, 7, 0x00400000u | 0x12, LO_A, LO_B, PM_4K);
	struct vzsim_tlb_entry e = vz_tlb_get(sim, 7);
	assert_false(e.invalid);
	assert_false(e.guest);
	assert_int_equal(e.guestid, 4);
	assert_int_equal(e.entrylo0, LO_A | LO_G);
	assert_int_equal(e.entrylo1, LO_B | LO_G);
	/* RID = 0: root's own, G as written. */
	vz_wr(sim, R_GUESTCTL1, GC1(1, 0));
	h_tlbwi(sim, 8, 0x00800000u | 0x12, LO_A, LO_B, PM_4K);
	expect_entry(sim, 8, false, 0, 0x00800000u | 0x12, PM_4K, LO_A, LO_B);
	/* Root writes in the guest part are still root entries. */
	h_tlbwi(sim, vz_gidx(sim, 0), 0x00c00000u, LO_A, LO_B, PM_4K);
	expect_entry(sim, vz_gidx(sim, 0), false, 0, 0x00c00000u, PM_4K, LO_A, LO_B);
}

static void test_root_tlbwr_tags_with_rid(void **state)
{
	vzsim *sim = *state;
	/* Root's Random covers the guest part too: entry 63 is a guest's. */
	put_guest(sim, 31, 1, GVA, PM_4K, LO_A, LO_B);
	vz_wr(sim, R_GUESTCTL1, GC1(0, 6));
	vz_wr(sim, C0_WIRED, 0, 63); /* Random = 63 */
	vz_wr(sim, C0_ENTRYHI, 0, 0x00400000u);
	vz_wr(sim, C0_ENTRYLO0, 0, LO_A);
	vz_wr(sim, C0_ENTRYLO1, 0, LO_B);
	vz_wr(sim, C0_PAGEMASK, 0, PM_4K);
	RUN(sim, enc_tlbwr());
	expect_entry(sim, 63, false, 6, 0x00400000u, PM_4K, LO_A | LO_G, LO_B | LO_G);
}

static void test_same_vpn_in_other_guestids_is_no_duplicate(void **state)
{
	vzsim *sim = *state;
	/* Entries 0 and 1 map GPA 0 for GuestIDs 1 and 2 (vz_setup); GuestID 3
	 * and root (0) may map the same VPN2 without a Machine Check. */
	vz_wr(sim, R_GUESTCTL1, GC1(0, 3));
	h_tlbwi(sim, 5, 0x00000000u, LO_A, LO_B, PM_1M);
	vz_wr(sim, R_GUESTCTL1, GC1(0, 0));
	h_tlbwi(sim, 6, 0x00000000u, LO_A, LO_B, PM_4K);
	expect_entry(sim, 5, false, 3, 0, PM_1M, LO_A | LO_G, LO_B | LO_G);
	expect_entry(sim, 6, false, 0, 0, PM_4K, LO_A, LO_B);
	assert_int_equal(h_status(sim) & SR_TS, 0);
	/* Guests 1 and 2 may map the same GVA; the guest's entry does not
	 * collide with root entries either. */
	put_guest(sim, 1, 2, GVA, PM_4K, LO_A, LO_B);
	vz_tlb_put(sim, 9, false, 0, GVA, PM_4K, LO_A, LO_B);
	h_set_gpr(sim, T0, 4);
	h_set_gpr(sim, T1, GVA);
	h_set_gpr(sim, T2, LO_A);
	GRUN(sim, enc_mtc0(T0, C0_INDEX, 0), enc_mtc0(T1, C0_ENTRYHI, 0),
	     enc_mtc0(T2, C0_ENTRYLO0, 0), enc_mtc0(T2, C0_ENTRYLO1, 0),
	     enc_mtc0(ZERO, C0_PAGEMASK, 0), enc_ehb(), enc_tlbwi());
	expect_entry(sim, vz_gidx(sim, 4), true, 1, GVA, PM_4K, LO_A, LO_A);
}

/* Root tlbp of hi with RID = rid; returns root Index. */
static uint32_t root_tlbp(vzsim *sim, unsigned rid, uint32_t hi)
{
	vz_wr(sim, R_GUESTCTL1, GC1(0, rid));
	vz_wr(sim, C0_ENTRYHI, 0, hi);
	RUN(sim, enc_tlbp(), enc_ehb(), enc_mfc0(S0, C0_INDEX, 0));
	return h_gpr(sim, S0);
}

static void test_root_tlbp_matches_rid_only(void **state)
{
	vzsim *sim = *state;
	put_guest(sim, 3, 1, GVA, PM_4K, LO_A, LO_B);
	assert_int_equal(root_tlbp(sim, 1, 0), VZ_S2_IDX1);
	assert_int_equal(root_tlbp(sim, 2, 0), VZ_S2_IDX2);
	assert_true(root_tlbp(sim, 0, 0) & INDEX_P);
	assert_true(root_tlbp(sim, 3, 0) & INDEX_P);
	/* Guest entries are not root's, whatever RID. */
	assert_true(root_tlbp(sim, 1, GVA) & INDEX_P);
}

static void test_root_translation_uses_root_guestid_0_only(void **state)
{
	vzsim *sim = *state;
	/* VPN 0 is mapped for GuestIDs 1 and 2 only; GVA for guest 1 only. */
	put_guest(sim, 3, 1, GVA, PM_4K, LO_A, LO_B);
	h_set_gpr(sim, T0, 0x00000010u);
	h_prog(sim, PROG(enc_lw(S0, 0, T0)));
	h_run_to_stub(sim, H_VEC_REFILL);
	assert_int_equal(h_exc(sim), EXC_TLBL);
	assert_int_equal(h_cp0(sim, C0_BADVADDR, 0), 0x00000010u);
	h_set_status(sim, 0);
	h_set_gpr(sim, T0, GVA);
	h_prog(sim, PROG(enc_lw(S0, 0, T0)));
	h_run_to_stub(sim, H_VEC_REFILL);
	assert_int_equal(h_cp0(sim, C0_BADVADDR, 0), GVA);
	/* With a root entry of its own (GuestID 0, same VPN2) it translates. */
	h_set_status(sim, 0);
	h_write32(sim, 0x80100010u, 0x76543210u);
	vz_tlb_put(sim, 12, false, 0, 0, PM_4K, LO_A, LO_B);
	h_set_gpr(sim, T0, 0x00000010u);
	RUN(sim, enc_lw(S0, 0, T0));
	assert_int_equal(h_gpr(sim, S0), 0x76543210u);
}

/* ------------------------------------------------------------ tlbg* */

static void test_tlbgp(void **state)
{
	vzsim *sim = *state;
	put_guest(sim, 3, 1, GVA | 0x21, PM_4K, LO_A, LO_B);
	put_guest(sim, 4, 2, 0x00800000u | 0x21, PM_4K, LO_A, LO_B);
	vz_wr(sim, C0_INDEX, 0, 9);
	vz_wr(sim, C0_ENTRYHI, 0, 0x00a00000u);
	vz_wr(sim, R_GUESTCTL1, GC1(0, 1));
	g_set_cp0(sim, C0_ENTRYHI, 0, GVA | 0x21);
	RUN(sim, enc_tlbgp(), enc_ehb(), enc_mfgc0(S0, C0_INDEX, 0));
	assert_int_equal(h_gpr(sim, S0), 3);
	assert_int_equal(h_cp0(sim, C0_INDEX, 0), 9); /* root's Index untouched */
	/* Another RID, another ASID, another guest's entry: misses. */
	vz_wr(sim, R_GUESTCTL1, GC1(0, 2));
	RUN(sim, enc_tlbgp());
	assert_true(g_cp0(sim, C0_INDEX, 0) & INDEX_P);
	vz_wr(sim, R_GUESTCTL1, GC1(0, 1));
	g_set_cp0(sim, C0_ENTRYHI, 0, GVA | 0x22);
	RUN(sim, enc_tlbgp());
	assert_true(g_cp0(sim, C0_INDEX, 0) & INDEX_P);
	g_set_cp0(sim, C0_ENTRYHI, 0, 0x00800000u | 0x21);
	RUN(sim, enc_tlbgp());
	assert_true(g_cp0(sim, C0_INDEX, 0) & INDEX_P);
	vz_wr(sim, R_GUESTCTL1, GC1(0, 2));
	RUN(sim, enc_tlbgp());
	assert_int_equal(g_cp0(sim, C0_INDEX, 0), 4);
	/* Root entries with that GuestID are not guest entries. */
	vz_wr(sim, R_GUESTCTL1, GC1(0, 1));
	g_set_cp0(sim, C0_ENTRYHI, 0, 0);
	RUN(sim, enc_tlbgp());
	assert_true(g_cp0(sim, C0_INDEX, 0) & INDEX_P);
}

static void test_tlbgr(void **state)
{
	vzsim *sim = *state;
	put_guest(sim, 3, 1, GVA | 0x21, PM_16K, LO_A, LO_B);
	put_guest(sim, 4, 2, 0x00800000u | 0x22, PM_4K, LO_B, LO_A);
	vz_wr(sim, C0_ENTRYHI, 0, 0x00a00007u);
	vz_wr(sim, C0_PAGEMASK, 0, PM_1M);
	vz_wr(sim, R_GUESTCTL1, GC1(9, 0));
	g_set_cp0(sim, C0_INDEX, 0, 3);
	RUN(sim, enc_tlbgr(), enc_ehb(), enc_mfgc0(S0, C0_ENTRYHI, 0),
	    enc_mfgc0(S1, C0_ENTRYLO0, 0), enc_mfgc0(S2, C0_ENTRYLO1, 0),
	    enc_mfgc0(S3, C0_PAGEMASK, 0));
	expect_regs(sim, "tlbgr 3", GVA | 0x21, LO_A, LO_B, PM_16K);
	assert_int_equal(vz_rd(sim, R_GUESTCTL1), GC1(9, 1));
	/* Root's own registers untouched. */
	assert_int_equal(h_cp0(sim, C0_ENTRYHI, 0), 0x00a00007u);
	assert_int_equal(h_cp0(sim, C0_PAGEMASK, 0), PM_1M);
	/* Whatever the RID, it reads the entry and takes its GuestID. */
	g_set_cp0(sim, C0_INDEX, 0, 4);
	RUN(sim, enc_tlbgr());
	assert_int_equal(g_cp0(sim, C0_ENTRYHI, 0), 0x00800000u | 0x22);
	assert_int_equal(g_cp0(sim, C0_ENTRYLO0, 0), LO_B);
	assert_int_equal(vz_rd(sim, R_GUESTCTL1), GC1(9, 2));
}

static void test_tlbgwi(void **state)
{
	vzsim *sim = *state;
	vz_wr(sim, R_GUESTCTL1, GC1(0, 2));
	vz_wr(sim, C0_INDEX, 0, 1);
	vz_wr(sim, C0_ENTRYHI, 0, 0x00a00007u);
	g_set_cp0(sim, C0_INDEX, 0, 6);
	g_set_cp0(sim, C0_ENTRYHI, 0, GVA | 0x21);
	g_set_cp0(sim, C0_ENTRYLO0, 0, LO_A);
	g_set_cp0(sim, C0_ENTRYLO1, 0, LO_B);
	g_set_cp0(sim, C0_PAGEMASK, 0, PM_16K);
	RUN(sim, enc_tlbgwi());
	expect_entry(sim, vz_gidx(sim, 6), true, 2, GVA | 0x21, PM_16K, LO_A, LO_B);
	/* Root entry 1 (guest 2's stage 2) untouched. */
	expect_entry(sim, VZ_S2_IDX2, false, 2, 0, PM_1M, LO_RAM(G2_PA) | LO_G,
		     LO_RAM(G2_PA + 0x100000u) | LO_G);
	/* Guest 2 uses it: GVA+0x4010 -> GPA 0x104010 of guest 2. */
	g_write32(sim, 2, 0x80104010u, 0x22220000u);
	h_set_gpr(sim, T0, GVA + 0x4010u);
	GRUN_ID(sim, 2, enc_lw(S0, 0, T0));
	assert_int_equal(h_gpr(sim, S0), 0x22220000u);
}

static void test_tlbgwr_uses_guest_random(void **state)
{
	vzsim *sim = *state;
	vz_wr(sim, R_GUESTCTL1, GC1(0, 1));
	g_set_cp0(sim, C0_WIRED, 0, 31);
	vz_wr(sim, C0_WIRED, 0, 0);
	g_set_cp0(sim, C0_ENTRYHI, 0, GVA);
	g_set_cp0(sim, C0_ENTRYLO0, 0, LO_A);
	g_set_cp0(sim, C0_ENTRYLO1, 0, LO_B);
	g_set_cp0(sim, C0_PAGEMASK, 0, PM_4K);
	RUN(sim, enc_tlbgwr());
	expect_entry(sim, vz_gidx(sim, 31), true, 1, GVA, PM_4K, LO_A, LO_B);
	/* Wired 0: somewhere in the guest part, never in root's. */
	vz_setup(sim);
	vz_wr(sim, R_GUESTCTL1, GC1(0, 1));
	g_set_cp0(sim, C0_ENTRYHI, 0, GVA);
	g_set_cp0(sim, C0_ENTRYLO0, 0, LO_A);
	g_set_cp0(sim, C0_ENTRYLO1, 0, LO_B);
	RUN(sim, enc_tlbgwr());
	unsigned found = 0;
	for (unsigned i = 0; i < 64; i++) {
		struct vzsim_tlb_entry e = vz_tlb_get(sim, i);
		if (!e.invalid && e.guest) {
			assert_true(i >= vz_gidx(sim, 0));
			assert_int_equal(e.guestid, 1);
			found++;
		}
	}
	assert_int_equal(found, 1);
}

static void put_inv_set(vzsim *sim)
{
	put_guest(sim, 0, 1, 0x00400005u, PM_4K, LO_A, LO_B);                 /* ASID 5 */
	put_guest(sim, 1, 1, 0x00500005u, PM_4K, LO_A | LO_G, LO_B | LO_G);   /* global */
	put_guest(sim, 2, 1, 0x00600006u, PM_4K, LO_A, LO_B);                 /* ASID 6 */
	put_guest(sim, 3, 2, 0x00700005u, PM_4K, LO_A, LO_B);                 /* guest 2 */
}

static void test_tlbginv(void **state)
{
	vzsim *sim = *state;
	put_inv_set(sim);
	vz_wr(sim, R_GUESTCTL1, GC1(0, 1));
	vz_wr(sim, C0_ENTRYHI, 0, 0x06); /* root's ASID is not the one used */
	g_set_cp0(sim, C0_ENTRYHI, 0, 0x05);
	RUN(sim, enc_tlbginv());
	expect_invalid(sim, vz_gidx(sim, 0));
	assert_false(vz_tlb_get(sim, vz_gidx(sim, 1)).invalid);
	assert_false(vz_tlb_get(sim, vz_gidx(sim, 2)).invalid);
	assert_false(vz_tlb_get(sim, vz_gidx(sim, 3)).invalid);
	assert_false(vz_tlb_get(sim, VZ_S2_IDX1).invalid);
}

static void test_tlbginvf(void **state)
{
	vzsim *sim = *state;
	put_inv_set(sim);
	vz_wr(sim, R_GUESTCTL1, GC1(0, 1));
	RUN(sim, enc_tlbginvf());
	expect_invalid(sim, vz_gidx(sim, 0));
	expect_invalid(sim, vz_gidx(sim, 1));
	expect_invalid(sim, vz_gidx(sim, 2));
	assert_int_equal(vz_tlb_get(sim, vz_gidx(sim, 3)).guestid, 2);
	assert_false(vz_tlb_get(sim, vz_gidx(sim, 3)).invalid);
	assert_false(vz_tlb_get(sim, VZ_S2_IDX1).invalid);
	assert_false(vz_tlb_get(sim, VZ_S2_IDX2).invalid);
}

static void test_root_tlbinv_tlbinvf_by_rid(void **state)
{
	vzsim *sim = *state;
	put_inv_set(sim);
	vz_tlb_put(sim, 4, false, 0, 0x00400007u, PM_4K, LO_A, LO_B);
	vz_tlb_put(sim, 5, false, 0, 0x00500008u, PM_4K, LO_A, LO_B);
	vz_tlb_put(sim, 6, false, 1, 0x00600007u, PM_4K, LO_A, LO_B); /* non-global */
	/* tlbinv, RID 0, ASID 7: root's own ASID-7 entry only. */
	vz_wr(sim, R_GUESTCTL1, GC1(1, 0));
	vz_wr(sim, C0_ENTRYHI, 0, 0x07);
	RUN(sim, enc_tlbinv());
	expect_invalid(sim, 4);
	assert_false(vz_tlb_get(sim, 5).invalid);
	assert_false(vz_tlb_get(sim, 6).invalid);
	/* tlbinvf, RID 1: root entries of GuestID 1 only. */
	vz_wr(sim, R_GUESTCTL1, GC1(0, 1));
	RUN(sim, enc_tlbinvf());
	expect_invalid(sim, VZ_S2_IDX1);
	expect_invalid(sim, 6);
	assert_false(vz_tlb_get(sim, VZ_S2_IDX2).invalid);
	assert_false(vz_tlb_get(sim, 5).invalid);
	for (unsigned i = 0; i < 4; i++)
		assert_false(vz_tlb_get(sim, vz_gidx(sim, i)).invalid);
}

/* ------------------------------------------------------------ board options */

static void test_guest_tlb_entries_option(void **state)
{
	(void)state;
	vzsim *sim = h_new();
	size_t n = 0;
	const struct vzsim_board_opt_info *opts = vzsim_board_opt_list(&n);
	bool listed = false;
	for (size_t i = 0; i < n; i++)
		listed |= strcmp(opts[i].name, "guest-tlb-entries") == 0;
	assert_true(listed);
	h_opt(sim, "tlb-entries", "16");
	h_opt(sim, "guest-tlb-entries", "4");
	vz_setup(sim);
	unsigned gn = 0;
	assert_int_equal(vzsim_tlb_size(sim, &gn), 16);
	assert_int_equal(gn, 4);
	assert_int_equal((g_cp0(sim, C0_CONFIG, 1) >> 25) & 63u, 3);
	assert_int_equal((h_cp0(sim, C0_CONFIG, 1) >> 25) & 63u, 15);
	/* Guest index 1 is entry 12 + 1. */
	h_set_gpr(sim, T0, 1);
	h_set_gpr(sim, T1, GVA);
	h_set_gpr(sim, T2, LO_A);
	GRUN(sim, enc_mtc0(T0, C0_INDEX, 0), enc_mtc0(T1, C0_ENTRYHI, 0),
	     enc_mtc0(T2, C0_ENTRYLO0, 0), enc_mtc0(T2, C0_ENTRYLO1, 0),
	     enc_mtc0(ZERO, C0_PAGEMASK, 0), enc_ehb(), enc_tlbwi());
	expect_entry(sim, 13, true, 1, GVA, PM_4K, LO_A, LO_A);
	/* Guest tlbwr stays in 12..15, and guest Random reads in 0..3. */
	h_set_gpr(sim, T1, 0x00800000u);
	GRUN(sim, enc_mtc0(ZERO, C0_WIRED, 0), enc_mtc0(T1, C0_ENTRYHI, 0), enc_ehb(),
	     enc_mfc0(S0, C0_RANDOM, 0), enc_tlbwr());
	assert_true(h_gpr(sim, S0) < 4);
	unsigned found = 0;
	for (unsigned i = 0; i < 16; i++) {
		struct vzsim_tlb_entry e = vz_tlb_get(sim, i);
		if (!e.invalid && e.guest && e.entryhi == 0x00800000u) {
			assert_true(i >= 12);
			found++;
		}
	}
	assert_int_equal(found, 1);
	h_free(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define VZT(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		VZT(test_guest_part_is_the_top_of_the_tlb),
		VZT(test_guest_tlbwi_writes_guest_part_tagged_with_id),
		VZT(test_guest_tlbr_own_entry),
		VZT(test_guest_tlbr_of_anything_else_reads_invalid_values),
		VZT(test_guest_tlbp_sees_only_its_own_entries),
		VZT(test_guest_translation_sees_only_its_own_entries),
		VZT(test_guest_refill_registers),
		VZT(test_guest_invalid_and_modified),
		VZT(test_guest_asid_and_global),
		VZT(test_guest_tlbwr_evicts_another_guests_entry),
		VZT(test_guest_random_stays_above_guest_wired),
		VZT(test_shrinking_page_with_wrap),
		VZT(test_shrinking_page_with_invalid),
		VZT(test_shrinking_page_with_unchanged),
		VZT(test_guest_tlbr_bad_index_wraps_within_guest_part),
		VZT(test_root_tlbr_sets_rid),
		VZT(test_root_tlbwi_tags_with_rid_and_forces_g),
		VZT(test_root_tlbwr_tags_with_rid),
		VZT(test_same_vpn_in_other_guestids_is_no_duplicate),
		VZT(test_root_tlbp_matches_rid_only),
		VZT(test_root_translation_uses_root_guestid_0_only),
		VZT(test_tlbgp),
		VZT(test_tlbgr),
		VZT(test_tlbgwi),
		VZT(test_tlbgwr_uses_guest_random),
		VZT(test_tlbginv),
		VZT(test_tlbginvf),
		VZT(test_root_tlbinv_tlbinvf_by_rid),
		VZT(test_guest_tlb_entries_option),
#undef VZT
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
