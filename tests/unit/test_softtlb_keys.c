/*
 * vzsim's soft TLB and fetch TLB (boards/sim/cpu/softtlb.c) across guest
 * contexts.  In guest mode the translations vzsim remembers are tagged with
 * a key of the guest context, its GuestID (GuestCtl1.ID) and its ASID
 * (guest EntryHi.ASID): a context switch only changes the key, and when the
 * old context comes back its remembered pages match again.  Keys are
 * fewer than contexts (255 keys, 256 ASIDs in each of 256 GuestIDs), so a
 * context that needs a key standing for another one forgets the guest
 * classes; TLB writes forget the pages they change under every key.
 *
 * What the tests check is what software sees (values read, where stores
 * land, which code runs, which exception is taken): a context must never
 * be answered from another context's translation, whatever the order of
 * switches, and whatever changed a context's translation while it was
 * switched away.  The switches are the ones software makes: guest mtc0
 * EntryHi, guest tlbr, root mtgc0 EntryHi, root mtc0 GuestCtl1, and reset.
 *
 * The soft TLB has one slot per page and class, so a context's remembered
 * page is only met by another context if that one does not fill the slot
 * first: the sequences below touch pages in an order that leaves a
 * context's page in its slot for the next context to find (the even and
 * the odd page of a pair are two slots).
 *
 * Layout (vz_harness.h): guest 1's GPA 0-2M is PA 0x800000, guest 2's
 * 0xa00000.  Guest kuseg pair GVA maps to guest-physical pairs GPA_X
 * (ASID 1) and GPA_Y (ASID 2), GPA_Z is a third; root kuseg VA_R to PA_A.
 */
#include "softtlb_harness.h"

#define GVA   0x00600000u /* a guest kuseg page pair: slots 0 and 1 */
#define GVB   0x00700000u /* another pair (slot 0 too: only ever written) */
#define GPA_X 0x00140000u /* guest-physical pairs (in guest RAM, GPA 0-2M) */
#define GPA_Y 0x00150000u
#define GPA_Z 0x00160000u
#define GI    3u          /* guest TLB index of ASID 1's entry; GI + 1: ASID 2's */

#define VA_R  0x00600000u /* a root kuseg page pair (the same address as GVA) */
#define PA_A  0x00300000u

/* A guest-physical pair outside guest RAM, mapped per GuestID by root
 * entries RIDX (GuestID 1) and RIDX + 1 (GuestID 2) to frames F(n). */
#define GPA_S 0x00400000u
#define RIDX  4u
#define PA_F(n) (0x00c00000u + 0x10000u * ((n) - 1u))


/*
 * Registers the programs keep: t0 = GVA, t3 = GVA + 0x1000 (the pair's
 * pages), a0 = 1 and a1 = 2 (EntryHi of ASID 1 and 2), v0 = GI and v1 =
 * GI + 1 (the Index of their entries).
 */
static void set_regs(vzsim *sim)
{
	h_set_gpr(sim, T0, GVA);
	h_set_gpr(sim, T3, GVA + 0x1000u);
	h_set_gpr(sim, A0, 1);
	h_set_gpr(sim, A1, 2);
	h_set_gpr(sim, V0, GI);
	h_set_gpr(sim, V1, GI + 1);
}

static int setup(void **state)
{
	vzsim *sim = vz_board();
	g_set_cp0(sim, C0_ENTRYHI, 0, 0);
	h_set_cp0(sim, C0_ENTRYHI, 0, 0);
	set_regs(sim);
	*state = sim;
	return 0;
}

/* ------------------------------------------------------------ helpers */

/* Guest 1's entries for GVA: GI for ASID 1 (to the X pair), GI + 1 for
 * ASID 2 (to the Y pair), not global; the guest in ASID 1. */
static void map_two_asids(vzsim *sim)
{
	put_guest(sim, GI, 1, GVA | 1, PM_4K, LO_RAM(GPA_X), LO_RAM(GPA_X + 0x1000u));
	put_guest(sim, GI + 1, 1, GVA | 2, PM_4K, LO_RAM(GPA_Y), LO_RAM(GPA_Y + 0x1000u));
	g_set_cp0(sim, C0_ENTRYHI, 0, 1);
}

/* Distinct words in both pages of the pairs X, Y and Z of guest 1. */
#define VX0 0x11110000u
#define VX1 0x11111000u
#define VY0 0x22220000u
#define VY1 0x22221000u
#define VZ0 0x33330000u
#define VZ1 0x33331000u
static void mark_xyz(vzsim *sim)
{
	gmark(sim, 1, GPA_X, VX0);
	gmark(sim, 1, GPA_X + 0x1000u, VX1);
	gmark(sim, 1, GPA_Y, VY0);
	gmark(sim, 1, GPA_Y + 0x1000u, VY1);
	gmark(sim, 1, GPA_Z, VZ0);
	gmark(sim, 1, GPA_Z + 0x1000u, VZ1);
}

/* ------------------------------------------------------------ ASID round trips */

/* How the guest context switches, and what each step does at GVA. */
enum how { BY_MTC0, BY_TLBR, BY_MTGC0 };
enum what { DO_LOAD, DO_STORE, DO_FETCH };

struct step {
	unsigned asid;
	uint32_t off; /* 0: the even page, 0x1000: the odd one */
};

/*
 * ASID 1 remembers both pages; ASID 2 takes the even page's slot; back in
 * ASID 1, the odd page is the one it remembered and the even one is
 * translated again; ASID 2 then finds ASID 1's pages in both slots, and
 * ASID 1 finds ASID 2's even page in its slot.
 */
static const struct step round_trip[] = {
	{1, 0}, {1, 0x1000}, {2, 0}, {1, 0x1000}, {1, 0}, {2, 0x1000}, {2, 0}, {1, 0},
};
#define NSTEPS (sizeof round_trip / sizeof round_trip[0])
/* Where step i leaves its result (s0 is the leaf functions'). */
static const unsigned res_reg[NSTEPS] = {S1, S2, S3, S4, S5, S6, S7, T9};

static uint32_t step_gpa(const struct step *s)
{
	return (s->asid == 1 ? GPA_X : GPA_Y) + s->off;
}

static uint32_t step_data(const struct step *s)
{
	return s->asid == 1 ? (s->off ? VX1 : VX0) : (s->off ? VY1 : VY0);
}

/* The value the leaf function in step s's page sets. */
static uint32_t step_code(const struct step *s)
{
	return (s->asid == 1 ? 0x10u : 0x20u) | (s->off ? 1u : 0u);
}

static uint32_t step_store_value(unsigned i, const struct step *s)
{
	return 0x5e000000u | i << 8 | s->asid;
}

static uint32_t step_store_off(unsigned i)
{
	return 0x40u + 4u * i;
}

static size_t emit_access(uint32_t *p, enum what what, unsigned i, const struct step *s)
{
	unsigned r = res_reg[i];
	switch (what) {
	case DO_LOAD:
		p[0] = enc_lw(r, (int32_t)s->off, T0);
		return 1;
	case DO_STORE:
		p[0] = enc_sw(r, (int32_t)(s->off + step_store_off(i)), T0);
		return 1;
	default:
		p[0] = enc_jalr_hb(RA, s->off ? T3 : T0);
		p[1] = enc_nop();
		p[2] = enc_move(r, S0);
		return 3;
	}
}

/* The guest's own switch to asid: EntryHi written, or an entry read back. */
static size_t emit_switch(uint32_t *p, enum how how, unsigned asid)
{
	if (how == BY_TLBR) {
		p[0] = enc_mtc0(asid == 1 ? V0 : V1, C0_INDEX, 0);
		p[1] = enc_ehb();
		p[2] = enc_tlbr();
		p[3] = enc_ehb();
		return 4;
	}
	p[0] = enc_mtc0(asid == 1 ? A0 : A1, C0_ENTRYHI, 0);
	p[1] = enc_ehb();
	return 2;
}

/*
 * Runs the steps: in one guest program that switches itself (BY_MTC0,
 * BY_TLBR), or one guest run per context with root's mtgc0 EntryHi in
 * between (BY_MTGC0, the way a hypervisor switches a guest's process).
 */
static void run_steps(vzsim *sim, enum how how, enum what what)
{
	uint32_t prog[64];
	size_t k = 0;
	unsigned cur = round_trip[0].asid;
	g_set_cp0(sim, C0_ENTRYHI, 0, cur);
	for (unsigned i = 0; i < NSTEPS; i++) {
		const struct step *s = &round_trip[i];
		if (s->asid != cur) {
			if (how == BY_MTGC0) {
				vz_run_to_end(sim, vz_gprog(sim, prog, k));
				k = 0;
				RUN(sim, enc_mtgc0(s->asid == 1 ? A0 : A1, C0_ENTRYHI, 0), enc_ehb());
			} else {
				k += emit_switch(prog + k, how, s->asid);
			}
			cur = s->asid;
		}
		k += emit_access(prog + k, what, i, s);
	}
	vz_run_to_end(sim, vz_gprog(sim, prog, k));
	assert_int_equal(g_cp0(sim, C0_ENTRYHI, 0) & 0xffu, cur);
}

static void round_trip_case(vzsim *sim, enum how how, enum what what)
{
	map_two_asids(sim);
	mark_xyz(sim);
	if (what == DO_FETCH) {
		for (unsigned i = 0; i < NSTEPS; i++)
			gput_code(sim, 1, step_gpa(&round_trip[i]) & ~0xfffu,
				  step_code(&round_trip[i]));
		h_set_gpr(sim, S0, 0);
	}
	if (what == DO_STORE)
		for (unsigned i = 0; i < NSTEPS; i++)
			h_set_gpr(sim, res_reg[i], step_store_value(i, &round_trip[i]));
	run_steps(sim, how, what);
	for (unsigned i = 0; i < NSTEPS; i++) {
		const struct step *s = &round_trip[i];
		char what_s[96];
		snprintf(what_s, sizeof what_s, "step %u: ASID %u, %s page", i, s->asid,
			 s->off ? "odd" : "even");
		if (what == DO_LOAD) {
			expect_gpr(sim, res_reg[i], step_data(s), what_s);
		} else if (what == DO_FETCH) {
			expect_gpr(sim, res_reg[i], step_code(s), what_s);
		} else {
			/* Landed in its own context's frame, not the other's. */
			struct step other = {s->asid == 1 ? 2 : 1, s->off};
			uint32_t mine = gpeek(sim, 1, step_gpa(s) + step_store_off(i));
			uint32_t theirs = gpeek(sim, 1, step_gpa(&other) + step_store_off(i));
			if (mine != step_store_value(i, s) || theirs != 0)
				fail_msg("%s: the store's word is 0x%08x in its frame and 0x%08x "
					 "in ASID %u's, expected 0x%08x and 0", what_s, mine,
					 theirs, other.asid, step_store_value(i, s));
		}
	}
}

static void test_asid_round_trip_load_mtc0(void **state)
{
	round_trip_case(*state, BY_MTC0, DO_LOAD);
}

static void test_asid_round_trip_load_tlbr(void **state)
{
	round_trip_case(*state, BY_TLBR, DO_LOAD);
}

static void test_asid_round_trip_load_mtgc0(void **state)
{
	round_trip_case(*state, BY_MTGC0, DO_LOAD);
}

static void test_asid_round_trip_store_mtc0(void **state)
{
	round_trip_case(*state, BY_MTC0, DO_STORE);
}

static void test_asid_round_trip_store_tlbr(void **state)
{
	round_trip_case(*state, BY_TLBR, DO_STORE);
}

static void test_asid_round_trip_store_mtgc0(void **state)
{
	round_trip_case(*state, BY_MTGC0, DO_STORE);
}

static void test_asid_round_trip_fetch_mtc0(void **state)
{
	round_trip_case(*state, BY_MTC0, DO_FETCH);
}

static void test_asid_round_trip_fetch_tlbr(void **state)
{
	round_trip_case(*state, BY_TLBR, DO_FETCH);
}

static void test_asid_round_trip_fetch_mtgc0(void **state)
{
	round_trip_case(*state, BY_MTGC0, DO_FETCH);
}

/*
 * The guest runs from GVA, whose code is ASID 1's X in ASID 1 and ASID 2's
 * Y in ASID 2, and switches its own ASID there: 1 -> 2 -> 1 -> 2, each
 * switch followed by a jr.hb to the next block of the page.  The blocks
 * are the same words in X and Y but for their first, which says whose it
 * is: each must come from the context it runs in.
 */
static void test_asid_round_trip_own_code_page(void **state)
{
	vzsim *sim = *state;
	map_two_asids(sim);
	for (unsigned f = 0; f < 2; f++) {
		uint32_t gpa = f ? GPA_Y : GPA_X;
		int32_t who = f ? 2 : 1;
		const uint32_t b0[] = {enc_mtc0(A1, C0_ENTRYHI, 0), enc_ehb(), enc_jr_hb(T1),
				       enc_nop()};
		const uint32_t b1[] = {enc_addiu(S1, ZERO, who), enc_mtc0(A0, C0_ENTRYHI, 0),
				       enc_ehb(), enc_jr_hb(T2), enc_nop()};
		const uint32_t b2[] = {enc_addiu(S2, ZERO, who), enc_mtc0(A1, C0_ENTRYHI, 0),
				       enc_ehb(), enc_jr_hb(T4), enc_nop()};
		const uint32_t b3[] = {enc_addiu(S3, ZERO, who), enc_hypcall(G_HC_END), enc_nop()};
		g_load(sim, 1, 0x80000000u | gpa, b0, 4);
		g_load(sim, 1, 0x80000040u | gpa, b1, 5);
		g_load(sim, 1, 0x80000080u | gpa, b2, 5);
		g_load(sim, 1, 0x800000c0u | gpa, b3, 3);
	}
	h_set_gpr(sim, T1, GVA + 0x40u);
	h_set_gpr(sim, T2, GVA + 0x80u);
	h_set_gpr(sim, T4, GVA + 0xc0u);
	vz_enter(sim, GVA);
	vz_run_to_end(sim, GVA + 0xc4u);
	expect_gpr(sim, S1, 2, "the block after the switch to ASID 2");
	expect_gpr(sim, S2, 1, "the block after the switch back to ASID 1");
	expect_gpr(sim, S3, 2, "the block after the switch to ASID 2 again");
}

/* ------------------------------------------------------------ changed while away */

/*
 * In each test ASID 1 remembers GVA's even page, the guest switches to
 * ASID 2 (which reads only the odd page, so the even page's slot keeps
 * ASID 1's), ASID 1's translation is changed there, and back in ASID 1 the
 * even page must show the change.
 */

/* The guest, in ASID 2, writes an entry of its own over ASID 1's: GVA is
 * not mapped for ASID 1 any more. */
static void test_asid_away_guest_tlbwi_evicts(void **state)
{
	vzsim *sim = *state;
	map_two_asids(sim);
	mark_xyz(sim);
	h_set_gpr(sim, S2, 0x5a5a5a5au);
	tlb_regs(sim, GI, GVB | 2, LO_RAM(GPA_Z), LO_RAM(GPA_Z + 0x1000u), PM_4K);
	GSTART(sim, enc_lw(S0, 0, T0), enc_mtc0(T5, C0_ENTRYHI, 0), enc_ehb(),
	       enc_lw(S1, 0x1000, T0), TLBWI_SEQ, enc_mtc0(A0, C0_ENTRYHI, 0), enc_ehb(),
	       enc_lw(S2, 0, T0));
	expect_guest_exc(sim, G_VEC_REFILL, EXC_TLBL, G_CODE + 4 * (6 + TLBWI_SEQ_WORDS), GVA);
	expect_gpr(sim, S0, VX0, "ASID 1 before");
	expect_gpr(sim, S1, VY1, "ASID 2");
	expect_gpr(sim, S2, 0x5a5a5a5au, "the faulting load's target");
}

/* The same with code: ASID 1 ran GVA's code; back in ASID 1, the jump
 * there refills. */
static void test_asid_away_guest_tlbwi_evicts_fetch(void **state)
{
	vzsim *sim = *state;
	map_two_asids(sim);
	gput_code(sim, 1, GPA_X, 0x10);
	gmark(sim, 1, GPA_Y + 0x1000u, VY1);
	h_set_gpr(sim, S0, 0);
	tlb_regs(sim, GI, GVB | 2, LO_RAM(GPA_Z), LO_RAM(GPA_Z + 0x1000u), PM_4K);
	GSTART(sim, enc_jalr_hb(RA, T0), enc_nop(), enc_move(S1, S0), enc_move(S0, ZERO),
	       enc_mtc0(T5, C0_ENTRYHI, 0), enc_ehb(), enc_lw(S2, 0x1000, T0), TLBWI_SEQ,
	       enc_mtc0(A0, C0_ENTRYHI, 0), enc_ehb(), enc_jalr_hb(RA, T0), enc_nop());
	expect_guest_exc(sim, G_VEC_REFILL, EXC_TLBL, GVA, GVA);
	expect_gpr(sim, S1, 0x10, "ASID 1's code before");
	expect_gpr(sim, S2, VY1, "ASID 2");
	expect_gpr(sim, S0, 0, "nothing ran at GVA");
}

/* The guest, from ASID 2, rewrites ASID 1's entry to Z (a write for ASID
 * 1 has EntryHi.ASID = 1: the write's own mtc0 switches back), returns to
 * ASID 2, then to ASID 1. */
static void test_asid_away_guest_tlbwi_rewrites(void **state)
{
	vzsim *sim = *state;
	map_two_asids(sim);
	mark_xyz(sim);
	tlb_regs(sim, GI, GVA | 1, LO_RAM(GPA_Z), LO_RAM(GPA_Z + 0x1000u), PM_4K);
	GRUN(sim, enc_lw(S0, 0, T0), enc_mtc0(A1, C0_ENTRYHI, 0), enc_ehb(),
	     enc_lw(S1, 0x1000, T0), TLBWI_SEQ, enc_mtc0(A1, C0_ENTRYHI, 0), enc_ehb(),
	     enc_lw(S2, 0x1000, T0), enc_mtc0(A0, C0_ENTRYHI, 0), enc_ehb(), enc_lw(S3, 0, T0),
	     enc_lw(S4, 0x1000, T0), enc_mtc0(A1, C0_ENTRYHI, 0), enc_ehb(), enc_lw(S5, 0, T0));
	expect_gpr(sim, S0, VX0, "ASID 1 before");
	expect_gpr(sim, S1, VY1, "ASID 2 before the write");
	expect_gpr(sim, S2, VY1, "ASID 2 after the write");
	expect_gpr(sim, S3, VZ0, "ASID 1's even page after the write");
	expect_gpr(sim, S4, VZ1, "ASID 1's odd page after the write");
	expect_gpr(sim, S5, VY0, "ASID 2's even page");
}

/* The guest, in ASID 2, invalidates every entry (tlbinvf). */
static void test_asid_away_guest_tlbinvf(void **state)
{
	vzsim *sim = *state;
	map_two_asids(sim);
	mark_xyz(sim);
	GSTART(sim, enc_lw(S0, 0, T0), enc_mtc0(A1, C0_ENTRYHI, 0), enc_ehb(),
	       enc_lw(S1, 0x1000, T0), enc_tlbinvf(), enc_ehb(), enc_mtc0(A0, C0_ENTRYHI, 0),
	       enc_ehb(), enc_lw(S2, 0, T0));
	expect_guest_exc(sim, G_VEC_REFILL, EXC_TLBL, G_CODE + 32, GVA);
	expect_gpr(sim, S0, VX0, "ASID 1 before");
	expect_gpr(sim, S1, VY1, "ASID 2");
}

/* The guest, in ASID 2, invalidates ASID 2's entries (tlbinv): ASID 1
 * still reads its page, ASID 2's remembered odd page refills. */
static void test_asid_away_guest_tlbinv(void **state)
{
	vzsim *sim = *state;
	map_two_asids(sim);
	mark_xyz(sim);
	GSTART(sim, enc_lw(S0, 0, T0), enc_mtc0(A1, C0_ENTRYHI, 0), enc_ehb(),
	       enc_lw(S1, 0x1000, T0), enc_tlbinv(), enc_ehb(), enc_mtc0(A0, C0_ENTRYHI, 0),
	       enc_ehb(), enc_lw(S2, 0, T0), enc_mtc0(A1, C0_ENTRYHI, 0), enc_ehb(),
	       enc_lw(S3, 0x1000, T0));
	expect_guest_exc(sim, G_VEC_REFILL, EXC_TLBL, G_CODE + 44, GVA + 0x1000u);
	expect_gpr(sim, S0, VX0, "ASID 1 before");
	expect_gpr(sim, S1, VY1, "ASID 2 before the tlbinv");
	expect_gpr(sim, S2, VX0, "ASID 1 after ASID 2's tlbinv");
}

/* ASID 1 loads, the guest switches to ASID 2 and reads its odd page, the
 * guest exits: the guest context is ASID 2's. */
static void leave_in_asid_2(vzsim *sim)
{
	map_two_asids(sim);
	mark_xyz(sim);
	GRUN(sim, enc_lw(S0, 0, T0), enc_mtc0(A1, C0_ENTRYHI, 0), enc_ehb(),
	     enc_lw(S1, 0x1000, T0));
	expect_gpr(sim, S0, VX0, "ASID 1 before");
	expect_gpr(sim, S1, VY1, "ASID 2");
	vz_wr(sim, R_GUESTCTL1, GC1(1, 1)); /* root's tlbg* work on guest 1's entries */
}

/* Root, with the guest's EntryHi saying ASID 2 (only its VPN changed),
 * writes an ASID-2 entry for GVB over ASID 1's entry; root's mtgc0 puts
 * the guest back in ASID 1, whose load refills. */
static void test_asid_away_root_tlbgwi_evicts(void **state)
{
	vzsim *sim = *state;
	leave_in_asid_2(sim);
	tlb_regs(sim, GI, GVB | 2, LO_RAM(GPA_Z), LO_RAM(GPA_Z + 0x1000u), PM_4K);
	RUN(sim, TLBGWI_SEQ);
	assert_int_equal(g_cp0(sim, C0_ENTRYHI, 0), GVB | 2);
	RUN(sim, enc_mtgc0(A0, C0_ENTRYHI, 0), enc_ehb());
	GSTART(sim, enc_lw(S2, 0, T0));
	expect_guest_exc(sim, G_VEC_REFILL, EXC_TLBL, G_CODE, GVA);
}

/* Root rewrites ASID 1's entry to Z (its mtgc0 EntryHi says ASID 1 for the
 * tlbgwi, then ASID 2 again); the guest runs in ASID 2, then in ASID 1. */
static void test_asid_away_root_tlbgwi_rewrites(void **state)
{
	vzsim *sim = *state;
	leave_in_asid_2(sim);
	tlb_regs(sim, GI, GVA | 1, LO_RAM(GPA_Z), LO_RAM(GPA_Z + 0x1000u), PM_4K);
	RUN(sim, TLBGWI_SEQ, enc_mtgc0(A1, C0_ENTRYHI, 0), enc_ehb());
	GRUN(sim, enc_lw(S2, 0x1000, T0));
	expect_gpr(sim, S2, VY1, "ASID 2 after root's write");
	RUN(sim, enc_mtgc0(A0, C0_ENTRYHI, 0), enc_ehb());
	GRUN(sim, enc_lw(S3, 0, T0), enc_lw(S4, 0x1000, T0));
	expect_gpr(sim, S3, VZ0, "ASID 1's even page after root's write");
	expect_gpr(sim, S4, VZ1, "ASID 1's odd page after root's write");
}

/* Root's tlbginvf while the guest is in ASID 2. */
static void test_asid_away_root_tlbginvf(void **state)
{
	vzsim *sim = *state;
	leave_in_asid_2(sim);
	RUN(sim, enc_tlbginvf(), enc_ehb());
	RUN(sim, enc_mtgc0(A0, C0_ENTRYHI, 0), enc_ehb());
	GSTART(sim, enc_lw(S2, 0, T0));
	expect_guest_exc(sim, G_VEC_REFILL, EXC_TLBL, G_CODE, GVA);
}

/* ------------------------------------------------------------ GuestID round trips */

/*
 * Guests 1 and 2 map GVA (ASID 0) to guest-physical pair GPA_S, which root
 * maps for GuestID 1 to frame F(1) and for GuestID 2 to F(2): distinct
 * words in each page and a leaf function at +0x100 of each even page.
 */
#define F_EVEN(n) (0xf0000000u | (n) << 16)
#define F_ODD(n)  (0xf0001000u | (n) << 16)
#define F_CODE(n) (0x30u + (n))
static void map_gpa_s(vzsim *sim, unsigned gid, unsigned n)
{
	vz_tlb_put(sim, RIDX + gid - 1, false, gid, GPA_S, PM_4K, LO_RAM(PA_F(n)) | LO_G,
		   LO_RAM(PA_F(n) + 0x1000u) | LO_G);
}

static void setup_guestids(vzsim *sim)
{
	put_guest(sim, GI, 1, GVA, PM_4K, LO_RAM(GPA_S), LO_RAM(GPA_S + 0x1000u));
	put_guest(sim, GI + 1, 2, GVA, PM_4K, LO_RAM(GPA_S), LO_RAM(GPA_S + 0x1000u));
	map_gpa_s(sim, 1, 1);
	map_gpa_s(sim, 2, 2);
	for (unsigned n = 1; n <= 3; n++) {
		mark(sim, PA_F(n), F_EVEN(n));
		mark(sim, PA_F(n) + 0x1000u, F_ODD(n));
		put_code(sim, PA_F(n) + 0x100u, F_CODE(n));
	}
	h_set_gpr(sim, T2, GVA + 0x100u);
}

/* Root's mtc0 GuestCtl1: ID gid, RID rid. */
static void root_guestctl1(vzsim *sim, unsigned gid, unsigned rid)
{
	h_set_gpr(sim, T1, GC1(gid, rid));
	RUN(sim, enc_mtc0(T1, C0_GUESTCTL1), enc_ehb());
	assert_int_equal(vz_rd(sim, R_GUESTCTL1), GC1(gid, rid));
}

/*
 * Guest gid runs the accesses of acc, in order: 'e' loads GVA's even
 * page, 'o' the odd one, 'c' calls the code at GVA + 0x100; each must
 * find frame F(n).
 */
static void gid_visit(vzsim *sim, unsigned gid, unsigned n, const char *acc)
{
	uint32_t prog[32];
	size_t k = 0;
	unsigned r[8];
	for (unsigned i = 0; acc[i]; i++) {
		r[i] = res_reg[i];
		if (acc[i] == 'c') {
			prog[k++] = enc_jalr_hb(RA, T2);
			prog[k++] = enc_nop();
			prog[k++] = enc_move(r[i], S0);
		} else {
			prog[k++] = enc_lw(r[i], acc[i] == 'o' ? 0x1000 : 0, T0);
		}
	}
	h_set_gpr(sim, S0, 0);
	vz_run_to_end(sim, vz_gprog_gid(sim, gid, prog, k));
	for (unsigned i = 0; acc[i]; i++) {
		char what[64];
		snprintf(what, sizeof what, "GuestID %u, access %u ('%c')", gid, i, acc[i]);
		expect_gpr(sim, r[i], acc[i] == 'c' ? F_CODE(n) : acc[i] == 'o' ? F_ODD(n)
				      : F_EVEN(n), what);
	}
}

/* GuestID 1, 2, 1, 2, 1, switched by root's mtc0 GuestCtl1; GuestID 2
 * first reads only the even page, so that GuestID 1's odd page and code
 * stay remembered for its return, then meets them in their slots. */
static void test_guestid_round_trip(void **state)
{
	vzsim *sim = *state;
	setup_guestids(sim);
	gid_visit(sim, 1, 1, "eoc");
	root_guestctl1(sim, 2, 0);
	gid_visit(sim, 2, 2, "e");
	root_guestctl1(sim, 1, 0);
	gid_visit(sim, 1, 1, "oce");
	root_guestctl1(sim, 2, 0);
	gid_visit(sim, 2, 2, "oce");
	root_guestctl1(sim, 1, 0);
	gid_visit(sim, 1, 1, "eoc");
}

/* While GuestID 2 is current, root rewrites GuestID 1's second-stage entry
 * (tlbwi with RID 1) to frame F(3): back in GuestID 1, F(3). */
static void test_guestid_away_second_stage_rewritten(void **state)
{
	vzsim *sim = *state;
	setup_guestids(sim);
	gid_visit(sim, 1, 1, "eoc");
	root_guestctl1(sim, 2, 1);
	gid_visit(sim, 2, 2, "o");
	tlb_regs(sim, RIDX, GPA_S, LO_RAM(PA_F(3)), LO_RAM(PA_F(3) + 0x1000u), PM_4K);
	RUN(sim, TLBWI_SEQ);
	gid_visit(sim, 2, 2, "oce");
	root_guestctl1(sim, 1, 0);
	gid_visit(sim, 1, 3, "eoc");
	root_guestctl1(sim, 2, 0);
	gid_visit(sim, 2, 2, "eoc");
}

/* ------------------------------------------------------------ key collisions */

/*
 * 300 guest contexts: every ASID of GuestID 1, then ASIDs 0-21 of GuestIDs
 * 2 and 3, more than there are keys.  Context i maps GVA (even page and
 * odd page alike) to a frame of its own, at GPA ctx_gpa(i), holding
 * ctx_value(i).  The second stages of GuestIDs 2 and 3 are guest 1's, so
 * that every context's frames and the guest programs are in one memory.
 */
#define NCTX 300u
static void ctx_of(unsigned i, unsigned *gid, unsigned *asid)
{
	*gid = i < 256 ? 1 : i < 278 ? 2 : 3;
	*asid = i < 256 ? i : i < 278 ? i - 256 : i - 278;
}

static uint32_t ctx_gpa(unsigned i)
{
	return 0x00040000u + 0x1000u * i;
}

static uint32_t ctx_value(unsigned i)
{
	return 0x4b000000u | i;
}

static void keys_board(vzsim *sim)
{
	vz_setup(sim);
	vz_tlb_put(sim, VZ_S2_IDX2, false, 2, 0x00000000u, PM_1M, LO_RAM(G1_PA) | LO_G,
		   LO_RAM(G1_PA + 0x100000u) | LO_G);
	vz_tlb_put(sim, 2, false, 3, 0x00000000u, PM_1M, LO_RAM(G1_PA) | LO_G,
		   LO_RAM(G1_PA + 0x100000u) | LO_G);
	g_set_cp0(sim, C0_ENTRYHI, 0, 0);
	h_set_cp0(sim, C0_ENTRYHI, 0, 0);
	for (unsigned i = 0; i < NCTX; i++)
		gmark(sim, 1, ctx_gpa(i), ctx_value(i));
	h_set_gpr(sim, T0, GVA);
}

static int keys_setup(void **state)
{
	vzsim *sim = h_new();
	keys_board(sim);
	*state = sim;
	return 0;
}

/* The same with a guest TLB part of 248 entries (root keeps 8). */
static int keys_big_setup(void **state)
{
	vzsim *sim = h_new();
	h_opt(sim, "tlb-entries", "256");
	h_opt(sim, "guest-tlb-entries", "248");
	keys_board(sim);
	*state = sim;
	return 0;
}

static void set_guestid(vzsim *sim, unsigned gid)
{
	uint32_t c1 = vz_rd(sim, R_GUESTCTL1);
	if ((c1 & 0xffu) != gid)
		vz_wr(sim, R_GUESTCTL1, (c1 & ~0xffu) | gid);
}

/*
 * Every pair of contexts a < b, in turn: both mapped (guest entries 0 and
 * 1), a loads GVA, the guest switches to b, b loads GVA; b's GuestID set
 * by root between two runs if it is not a's.  Whatever the hash, some
 * pairs share a key (300 contexts, 255 keys): b must find b's word, not
 * the page a left under their key.  ~45000 pairs.
 */
#define PAIR_PROG  G_CODE
#define ONE_PROG   (G_CODE + 0x100u)
static void test_key_collisions_every_pair(void **state)
{
	vzsim *sim = *state;
	const uint32_t pair[] = {enc_mtc0(A0, C0_ENTRYHI, 0), enc_ehb(), enc_lw(S1, 0, T0),
				 enc_mtc0(A1, C0_ENTRYHI, 0), enc_ehb(), enc_lw(S2, 0, T0),
				 enc_hypcall(G_HC_END), enc_nop()};
	const uint32_t one[] = {enc_mtc0(A0, C0_ENTRYHI, 0), enc_ehb(), enc_lw(S1, 0, T0),
				enc_hypcall(G_HC_END), enc_nop()};
	g_load(sim, 1, PAIR_PROG, pair, 8);
	g_load(sim, 1, ONE_PROG, one, 5);
	unsigned pairs = 0;
	for (unsigned a = 0; a < NCTX; a++) {
		for (unsigned b = a + 1; b < NCTX; b++) {
			unsigned ga, aa, gb, ab;
			uint32_t got_a, got_b;
			ctx_of(a, &ga, &aa);
			ctx_of(b, &gb, &ab);
			put_guest(sim, 0, ga, GVA | aa, PM_4K, LO_RAM(ctx_gpa(a)), 0);
			put_guest(sim, 1, gb, GVA | ab, PM_4K, LO_RAM(ctx_gpa(b)), 0);
			set_guestid(sim, ga);
			h_set_gpr(sim, A0, aa);
			h_set_gpr(sim, S1, 0);
			h_set_gpr(sim, S2, 0);
			if (ga == gb) {
				h_set_gpr(sim, A1, ab);
				vz_enter(sim, PAIR_PROG);
				vz_run_to_end(sim, PAIR_PROG + 24);
				got_a = h_gpr(sim, S1);
				got_b = h_gpr(sim, S2);
			} else {
				vz_enter(sim, ONE_PROG);
				vz_run_to_end(sim, ONE_PROG + 12);
				got_a = h_gpr(sim, S1);
				set_guestid(sim, gb);
				h_set_gpr(sim, A0, ab);
				vz_enter(sim, ONE_PROG);
				vz_run_to_end(sim, ONE_PROG + 12);
				got_b = h_gpr(sim, S1);
			}
			if (got_a != ctx_value(a) || got_b != ctx_value(b))
				fail_msg("context %u (GuestID %u ASID %u) read 0x%08x, then "
					 "context %u (GuestID %u ASID %u) read 0x%08x; expected "
					 "0x%08x and 0x%08x", a, ga, aa, got_a, b, gb, ab, got_b,
					 ctx_value(a), ctx_value(b));
			pairs++;
		}
	}
	assert_int_equal(pairs, NCTX * (NCTX - 1) / 2);
}

/*
 * The 300 contexts one after the other, as a guest OS and a hypervisor
 * switch them: root's mtc0 GuestCtl1 when the GuestID changes, the
 * guest's own mtc0 EntryHi for the ASID.  Context i's entry lives at guest
 * index i % 248, written by the guest (tlbwi) when another context's is
 * there, so most contexts are still mapped when they come back.  Every
 * visit loads both pages of GVA.  Visited forward, then backward, then
 * with strides 7 and 137 (each a permutation of the 300; ASIDs 137 apart
 * happen to share a key in today's hash, which the pair test above does
 * not rely on).
 */
#define BIG_GUEST_ENTRIES 248u
#define WRITE_PROG G_CODE
#define READ_PROG  (G_CODE + 0x100u)
static void test_key_collisions_many_contexts(void **state)
{
	vzsim *sim = *state;
	unsigned gn = 0;
	vzsim_tlb_size(sim, &gn);
	assert_int_equal(gn, BIG_GUEST_ENTRIES);
	const uint32_t wr[] = {TLBWI_SEQ, enc_lw(S1, 0, T0), enc_lw(S2, 0x1000, T0),
			       enc_hypcall(G_HC_END), enc_nop()};
	const uint32_t rd[] = {enc_mtc0(T5, C0_ENTRYHI, 0), enc_ehb(), enc_lw(S1, 0, T0),
			       enc_lw(S2, 0x1000, T0), enc_hypcall(G_HC_END), enc_nop()};
	g_load(sim, 1, WRITE_PROG, wr, TLBWI_SEQ_WORDS + 4);
	g_load(sim, 1, READ_PROG, rd, 6);
	int resident[BIG_GUEST_ENTRIES];
	for (unsigned j = 0; j < BIG_GUEST_ENTRIES; j++)
		resident[j] = -1;
	static const unsigned strides[] = {1, NCTX - 1, 7, 137};
	unsigned cur_gid = 1, rewrites = 0, visits = 0;
	for (unsigned s = 0; s < sizeof strides / sizeof strides[0]; s++) {
		for (unsigned k = 0; k < NCTX; k++) {
			unsigned i = (k * strides[s] + (s == 1 ? NCTX - 1 : 0)) % NCTX;
			unsigned gid, asid, idx = i % BIG_GUEST_ENTRIES;
			ctx_of(i, &gid, &asid);
			if (gid != cur_gid) {
				root_guestctl1(sim, gid, 0);
				cur_gid = gid;
			}
			h_set_gpr(sim, T5, GVA | asid);
			h_set_gpr(sim, S1, 0);
			h_set_gpr(sim, S2, 0);
			uint32_t end;
			if (resident[idx] != (int)i) {
				tlb_regs(sim, idx, GVA | asid, LO_RAM(ctx_gpa(i)), LO_RAM(ctx_gpa(i)),
					 PM_4K);
				end = WRITE_PROG + 4 * (TLBWI_SEQ_WORDS + 2);
				vz_enter(sim, WRITE_PROG);
				resident[idx] = (int)i;
				rewrites++;
			} else {
				end = READ_PROG + 16;
				vz_enter(sim, READ_PROG);
			}
			vz_run_to_end(sim, end);
			if (h_gpr(sim, S1) != ctx_value(i) || h_gpr(sim, S2) != ctx_value(i))
				fail_msg("pass %u, visit %u: context %u (GuestID %u ASID %u) read "
					 "0x%08x and 0x%08x, expected 0x%08x", s, k, i, gid, asid,
					 h_gpr(sim, S1), h_gpr(sim, S2), ctx_value(i));
			visits++;
		}
	}
	assert_int_equal(visits, 4 * NCTX);
	/* Most visits found their context's entry still there. */
	assert_true(rewrites < 2 * NCTX);
}

/* ------------------------------------------------------------ reset */

/*
 * Guest context (GuestID 1, ASID 1) runs its program at G_CODE and loads
 * GVA; vzsim_reset (h_setup); the same context is set up again without
 * any TLB write (which would forget on its own): the TLB is empty, so
 * entering G_CODE is a second-stage refill; with the second stage back,
 * the load is a guest refill.
 */
static void test_reset_guest_context(void **state)
{
	vzsim *sim = *state;
	map_two_asids(sim);
	mark_xyz(sim);
	GRUN(sim, enc_lw(S1, 0, T0), enc_lw(S2, 0x1000, T0));
	expect_gpr(sim, S1, VX0, "before reset");
	expect_gpr(sim, S2, VX1, "before reset");
	h_setup(sim);
	for (unsigned i = 0; i < vzsim_tlb_size(sim, NULL); i++)
		assert_true(vz_tlb_get(sim, i).invalid);
	vz_setup_regs(sim);
	g_set_cp0(sim, C0_ENTRYHI, 0, 1);
	set_regs(sim);
	vz_enter(sim, G_CODE);
	vz_run_to_stage2(sim, H_VEC_REFILL, EXC_TLBL, G_CODE, G_CODE & 0x1fffffffu);
	vz_map_guest(sim, 1, VZ_S2_IDX1);
	h_set_gpr(sim, S1, 0x5a5a5a5au);
	GSTART(sim, enc_lw(S1, 0, T0));
	expect_guest_exc(sim, G_VEC_REFILL, EXC_TLBL, G_CODE, GVA);
	expect_gpr(sim, S1, 0x5a5a5a5au, "the faulting load's target");
}

/* Root's remembered kuseg page (data and code) across vzsim_reset: the
 * TLB is empty, so the jump and the load refill. */
static void test_reset_root_pages(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 2, VA_R, LO_RAM(PA_A), LO_RAM(PA_A + 0x1000u), PM_4K);
	mark(sim, PA_A, 0xaaaa0000u);
	put_code(sim, PA_A + 0x100u, 0x77);
	h_set_gpr(sim, T0, VA_R);
	h_set_gpr(sim, T2, VA_R + 0x100u);
	RUN(sim, enc_lw(S1, 0, T0), enc_jalr_hb(RA, T2), enc_nop());
	expect_gpr(sim, S1, 0xaaaa0000u, "before reset");
	expect_gpr(sim, S0, 0x77, "before reset");
	h_setup(sim);
	h_set_gpr(sim, T0, VA_R);
	h_set_gpr(sim, T2, VA_R + 0x100u);
	h_set_gpr(sim, S0, 0);
	h_prog(sim, PROG(enc_jalr_hb(RA, T2), enc_nop()));
	expect_root_exc(sim, H_VEC_REFILL, EXC_TLBL, VA_R + 0x100u, VA_R + 0x100u);
	expect_gpr(sim, S0, 0, "nothing ran at VA_R");
	h_set_status(sim, 0);
	h_set_gpr(sim, S1, 0x5a5a5a5au);
	h_prog(sim, PROG(enc_lw(S1, 0, T0)));
	expect_root_exc(sim, H_VEC_REFILL, EXC_TLBL, H_CODE, VA_R);
	expect_gpr(sim, S1, 0x5a5a5a5au, "the faulting load's target");
}

/* ------------------------------------------------------------ root between guest contexts */

/*
 * Root and guests use the same addresses: VA_R (= GVA, root's entry to
 * PA_A, the guests' to their frames) and 0x80100000 (root kseg0: PA
 * 0x100000; guest kseg0: G_DATA, in each guest's memory); each has a leaf
 * function at +0x100 of VA_R.  The same program (s1: VA_R's word, s2:
 * kseg0's, s3: the function's value) runs in root between guest contexts
 * and after root changed the guest context (mtgc0 EntryHi, mtc0
 * GuestCtl1), 300 times over: root always sees root's.
 */
#define K_DATA 0x80100000u
#define ROOT_VA_WORD 0xaaaa0000u
#define ROOT_K_WORD  0x5eed0000u
#define ROOT_CODE    0x77u
static size_t emit_probe(uint32_t *p)
{
	p[0] = enc_lw(S1, 0, T0);
	p[1] = enc_lw(S2, 0, T1);
	p[2] = enc_jalr_hb(RA, T2);
	p[3] = enc_nop();
	p[4] = enc_move(S3, S0);
	return 5;
}

static void expect_probe(vzsim *sim, uint32_t va, uint32_t k, uint32_t code, const char *who)
{
	char what[96];
	snprintf(what, sizeof what, "%s: VA_R", who);
	expect_gpr(sim, S1, va, what);
	snprintf(what, sizeof what, "%s: kseg0", who);
	expect_gpr(sim, S2, k, what);
	snprintf(what, sizeof what, "%s: VA_R's code", who);
	expect_gpr(sim, S3, code, what);
}

/* Root's probe, after root's mtc0 GuestCtl1 (gid) and mtgc0 EntryHi (asid). */
static void root_probe(vzsim *sim, unsigned gid, unsigned asid, const char *who)
{
	uint32_t prog[16];
	size_t k = 0;
	h_set_gpr(sim, T4, GC1(gid, 0));
	h_set_gpr(sim, T5, asid);
	prog[k++] = enc_mtc0(T4, C0_GUESTCTL1);
	prog[k++] = enc_mtgc0(T5, C0_ENTRYHI, 0);
	prog[k++] = enc_ehb();
	k += emit_probe(prog + k);
	h_set_gpr(sim, S0, 0);
	h_run_to_end(sim, h_prog(sim, prog, k));
	assert_int_equal(vz_rd(sim, R_GUESTCTL1) & 0xffu, gid);
	assert_int_equal(g_cp0(sim, C0_ENTRYHI, 0) & 0xffu, asid);
	expect_probe(sim, ROOT_VA_WORD, ROOT_K_WORD, ROOT_CODE, who);
}

static void guest_probe(vzsim *sim, unsigned gid, uint32_t va, uint32_t k, uint32_t code,
			const char *who)
{
	uint32_t prog[8];
	size_t n = emit_probe(prog);
	h_set_gpr(sim, S0, 0);
	vz_run_to_end(sim, vz_gprog_gid(sim, gid, prog, n));
	expect_probe(sim, va, k, code, who);
}

static void test_root_between_guest_contexts(void **state)
{
	vzsim *sim = *state;
	h_tlbwi(sim, 2, VA_R, LO_RAM(PA_A), LO_RAM(PA_A + 0x1000u), PM_4K);
	mark(sim, PA_A, ROOT_VA_WORD);
	put_code(sim, PA_A + 0x100u, ROOT_CODE);
	mark(sim, K_DATA & 0x1fffffffu, ROOT_K_WORD);
	/* Guest 1: ASID 1 -> X, ASID 2 -> Y; guest 2: ASID 2 -> its own X. */
	map_two_asids(sim);
	put_guest(sim, GI + 2, 2, GVA | 2, PM_4K, LO_RAM(GPA_X), LO_RAM(GPA_X + 0x1000u));
	mark_xyz(sim);
	gmark(sim, 2, GPA_X, 0x2222aaaau);
	gput_code(sim, 1, GPA_X + 0x100u, 0x11);
	gput_code(sim, 1, GPA_Y + 0x100u, 0x12);
	gput_code(sim, 2, GPA_X + 0x100u, 0x21);
	g_write32(sim, 1, K_DATA, 0x11dd0000u);
	g_write32(sim, 2, K_DATA, 0x22dd0000u);
	h_set_gpr(sim, T0, VA_R);
	h_set_gpr(sim, T1, K_DATA);
	h_set_gpr(sim, T2, VA_R + 0x100u);

	root_probe(sim, 1, 1, "root, guest context (1, 1)");
	guest_probe(sim, 1, VX0, 0x11dd0000u, 0x11, "guest (1, 1)");
	root_probe(sim, 1, 1, "root after guest (1, 1)");
	root_probe(sim, 1, 2, "root, guest context (1, 2)");
	guest_probe(sim, 1, VY0, 0x11dd0000u, 0x12, "guest (1, 2)");
	root_probe(sim, 2, 2, "root, guest context (2, 2)");
	guest_probe(sim, 2, 0x2222aaaau, 0x22dd0000u, 0x21, "guest (2, 2)");
	for (unsigned i = 0; i < NCTX; i++) {
		unsigned gid, asid;
		char who[64];
		ctx_of(i, &gid, &asid);
		snprintf(who, sizeof who, "root, guest context (%u, %u)", gid, asid);
		root_probe(sim, gid, asid, who);
	}
	root_probe(sim, 1, 1, "root, guest context (1, 1) again");
	guest_probe(sim, 1, VX0, 0x11dd0000u, 0x11, "guest (1, 1) again");
	root_probe(sim, 1, 1, "root after guest (1, 1) again");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define VZT(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		VZT(test_asid_round_trip_load_mtc0),
		VZT(test_asid_round_trip_load_tlbr),
		VZT(test_asid_round_trip_load_mtgc0),
		VZT(test_asid_round_trip_store_mtc0),
		VZT(test_asid_round_trip_store_tlbr),
		VZT(test_asid_round_trip_store_mtgc0),
		VZT(test_asid_round_trip_fetch_mtc0),
		VZT(test_asid_round_trip_fetch_tlbr),
		VZT(test_asid_round_trip_fetch_mtgc0),
		VZT(test_asid_round_trip_own_code_page),
		VZT(test_asid_away_guest_tlbwi_evicts),
		VZT(test_asid_away_guest_tlbwi_evicts_fetch),
		VZT(test_asid_away_guest_tlbwi_rewrites),
		VZT(test_asid_away_guest_tlbinvf),
		VZT(test_asid_away_guest_tlbinv),
		VZT(test_asid_away_root_tlbgwi_evicts),
		VZT(test_asid_away_root_tlbgwi_rewrites),
		VZT(test_asid_away_root_tlbginvf),
		VZT(test_guestid_round_trip),
		VZT(test_guestid_away_second_stage_rewritten),
		cmocka_unit_test_setup_teardown(test_key_collisions_every_pair, keys_setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_key_collisions_many_contexts,
						keys_big_setup, teardown),
		VZT(test_reset_guest_context),
		VZT(test_reset_root_pages),
		VZT(test_root_between_guest_contexts),
#undef VZT
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
