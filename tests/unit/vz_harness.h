/*
 * VZ additions to the unit-test harness (sim_harness.h): a board with one
 * or two guests, programs that run in guest mode, and the checks every VZ
 * test repeats.
 *
 * Header-only on purpose: every tests/unit file that is not a test_ file is
 * linked into every test binary, and these helpers call the VZ accessors of
 * libvzsim, so an object file here would tie all the other tests to them.
 *
 * Layout (guest addresses are guest kseg0; the guest runs in GuestID mode,
 * GuestCtl0.AT = 3, so a guest kseg0 address A has GPA A - 0x80000000, and
 * the GPA goes through a root entry tagged with the guest's GuestID):
 *
 *   guest 1: GPA 0x000000-0x1fffff -> PA 0x00800000 (root entry VZ_S2_IDX1)
 *   guest 2: GPA 0x000000-0x1fffff -> PA 0x00a00000 (root entry VZ_S2_IDX2)
 *   (one entry each: a pair of 1M pages, G set, as root tlbwi with RID != 0
 *   writes them)
 *
 *   G_EBASE  0x80000000  the guest's EBase (the reset value): guest vectors
 *   G_CODE   0x80010000  guest programs
 *   G_DATA   0x80100000  guest data (the odd 1M page)
 *
 * Every guest vector holds `hypcall G_HC_REFILL/G_HC_GEN/G_HC_INT`: a guest
 * exception ends in a guest exit whose code says which guest vector ran,
 * with the guest's own CP0 (EPC, Cause, BadVAddr...) left for the test to
 * read.  `wait` cannot be used as in the root stubs: in a guest it is
 * always a guest exit (GPSI).  Guest programs end with `hypcall G_HC_END`.
 * Root keeps the stop stubs of h_setup at its vectors, so every guest exit
 * stops the run at H_VEC_GEN + 4 (H_VEC_REFILL + 4 for a second-stage
 * refill).  The guest is entered the way a hypervisor does it: root
 * Status.EXL = 1, GuestCtl0.GM = 1, EPC = guest pc, `eret` (at VZ_ENTRY).
 */
#ifndef VZSOAK_TEST_VZ_HARNESS_H
#define VZSOAK_TEST_VZ_HARNESS_H

#include <string.h>

#include "sim_harness.h"

/* Root CP0 registers added by VZ, (reg, sel). */
#define R_GUESTCTL0    12, 6
#define R_GTOFFSET     12, 7
#define R_GUESTCTL0EXT 11, 4
#define R_GUESTCTL1    10, 4
#define R_GUESTCTL2    10, 5
#define R_BADINSTR     8, 1
#define R_BADINSTRP    8, 2

/* GuestCtl0 fields. */
#define GC0_GM   (1u << 31)
#define GC0_RI   (1u << 30)
#define GC0_MC   (1u << 29)
#define GC0_CP0  (1u << 28)
#define GC0_AT3  (3u << 26)
#define GC0_GT   (1u << 25)
#define GC0_CG   (1u << 24)
#define GC0_CF   (1u << 23)
#define GC0_G1   (1u << 22)
#define GC0_G0E  (1u << 19)
#define GC0_G2   (1u << 7)
#define GC0_GEXC(v) (((v) >> 2) & 31u)
#define GC0_RESET 0x0c480080u
/* GuestCtl0Ext fields. */
#define GC0E_CGI (1u << 4)
#define GC0E_FCD (1u << 3)
/* GuestCtl1: ID 7:0, RID 23:16, EID 31:24. */
#define GC1(id, rid) ((uint32_t)(id) | (uint32_t)(rid) << 16)
#define GC1_RID(v) (((v) >> 16) & 0xffu)
/* GuestCtl2.VIP: bit 10 + n raises guest Cause.IP(2 + n). */
#define GC2_VIP(ip) (1u << (8 + (ip)))

#define CONFIG3_VZ (1u << 23)
/* Config3.TL (PDtrace): the trace unit is root's only, so guests do not see it. */
#define CONFIG3_TL (1u << 0)
/* What guest Config3 is expected to be, given root's. */
#define GUEST_CONFIG3(root) ((root) & ~(CONFIG3_VZ | CONFIG3_TL))
#define EXC_GE 27

/* GExcCode values. */
enum { GEXC_GPSI = 0, GEXC_GSFC = 1, GEXC_HC = 2, GEXC_GRR = 3, GEXC_GPA = 10 };

#define G1_PA      0x00800000u
#define G2_PA      0x00a00000u
#define G_EBASE    0x80000000u
#define G_VEC_REFILL (G_EBASE + 0x000u)
#define G_VEC_GEN    (G_EBASE + 0x180u)
#define G_VEC_INT    (G_EBASE + 0x200u)
#define G_CODE     0x80010000u
#define G_DATA     0x80100000u
#define VZ_ENTRY   (H_SCRATCH + 0x100u) /* root's `eret` into the guest */
#define VZ_S2_IDX1 0u
#define VZ_S2_IDX2 1u

/* Hypercall codes of the guest stubs and of the end of a guest program. */
#define G_HC_REFILL 0x3c0u
#define G_HC_GEN    0x3c1u
#define G_HC_INT    0x3c2u
#define G_HC_END    0x3ffu

static inline uint32_t vz_rd(vzsim *sim, unsigned reg, unsigned sel)
{
	return h_cp0(sim, reg, sel);
}

static inline void vz_wr(vzsim *sim, unsigned reg, unsigned sel, uint32_t v)
{
	h_set_cp0(sim, reg, sel, v);
}

/* Guest CP0 as MFGC0 reads it; the test fails if it does not exist. */
static inline uint32_t g_cp0(vzsim *sim, unsigned reg, unsigned sel)
{
	uint32_t v = 0;
	if (vzsim_guest_cp0_read(sim, reg, sel, &v) != 0)
		fail_msg("vzsim_guest_cp0_read(%u, %u) failed", reg, sel);
	return v;
}

static inline void g_set_cp0(vzsim *sim, unsigned reg, unsigned sel, uint32_t v)
{
	if (vzsim_guest_cp0_write(sim, reg, sel, v) != 0)
		fail_msg("vzsim_guest_cp0_write(%u, %u) failed", reg, sel);
}

static inline uint32_t vz_gexc(vzsim *sim)
{
	return GC0_GEXC(vz_rd(sim, R_GUESTCTL0));
}

/* PA behind a guest kseg0/kseg1 address of guest gid (the layout above). */
static inline uint32_t g_pa(unsigned gid, uint32_t gva)
{
	return (gid == 2 ? G2_PA : G1_PA) + (gva & 0x1fffffffu);
}

static inline void g_load(vzsim *sim, unsigned gid, uint32_t gva,
			  const uint32_t *words, size_t n)
{
	h_load(sim, 0x80000000u | g_pa(gid, gva), words, n);
}

static inline void g_write32(vzsim *sim, unsigned gid, uint32_t gva, uint32_t v)
{
	h_write32(sim, 0x80000000u | g_pa(gid, gva), v);
}

static inline uint32_t g_read32(vzsim *sim, unsigned gid, uint32_t gva)
{
	return h_read32(sim, 0x80000000u | g_pa(gid, gva));
}

/* Writes TLB entry idx through the host interface (no tlbwi involved). */
static inline void vz_tlb_put(vzsim *sim, unsigned idx, bool guest, unsigned gid,
			      uint32_t hi, uint32_t mask, uint32_t lo0, uint32_t lo1)
{
	struct vzsim_tlb_entry e = {
		.entryhi = hi, .pagemask = mask, .entrylo0 = lo0, .entrylo1 = lo1,
		.invalid = false, .guest = guest, .guestid = (uint8_t)gid,
	};
	if (vzsim_tlb_write(sim, idx, &e) != 0)
		fail_msg("vzsim_tlb_write(%u) failed", idx);
}

static inline struct vzsim_tlb_entry vz_tlb_get(vzsim *sim, unsigned idx)
{
	struct vzsim_tlb_entry e;
	memset(&e, 0, sizeof e);
	if (vzsim_tlb_read(sim, idx, &e) != 0)
		fail_msg("vzsim_tlb_read(%u) failed", idx);
	return e;
}

/* Index in the whole TLB of guest index gi (the guest part is on top). */
static inline unsigned vz_gidx(vzsim *sim, unsigned gi)
{
	unsigned gn = 0;
	unsigned n = vzsim_tlb_size(sim, &gn);
	return n - gn + gi;
}

/* The second-stage entry of guest gid: GPA 0-2M to its memory. */
static inline void vz_map_guest(vzsim *sim, unsigned gid, unsigned idx)
{
	uint32_t pa = gid == 2 ? G2_PA : G1_PA;
	vz_tlb_put(sim, idx, false, gid, 0x00000000u, PM_1M,
		   LO_RAM(pa) | LO_G, LO_RAM(pa + 0x100000u) | LO_G);
}

/*
 * A second-stage mapping of one 4K page: GPA gpa of guest gid to PA pa, by
 * root entry idx (a 4K pair; the other page of the pair invalid).
 */
static inline void vz_map_gpa_page(vzsim *sim, unsigned gid, unsigned idx, uint32_t gpa,
				   uint32_t pa)
{
	uint32_t page = LO_RAM(pa) | LO_G;
	bool odd = (gpa & 0x1000u) != 0;
	vz_tlb_put(sim, idx, false, gid, gpa & ~0x1fffu, PM_4K, odd ? LO_G : page,
		   odd ? page : LO_G);
}

static inline void vz_guest_stubs(vzsim *sim, unsigned gid)
{
	const uint32_t r[] = {enc_hypcall(G_HC_REFILL), enc_nop()};
	const uint32_t g[] = {enc_hypcall(G_HC_GEN), enc_nop()};
	const uint32_t i[] = {enc_hypcall(G_HC_INT), enc_nop()};
	g_load(sim, gid, G_VEC_REFILL, r, 2);
	g_load(sim, gid, G_VEC_GEN, g, 2);
	g_load(sim, gid, G_VEC_INT, i, 2);
}

/*
 * h_setup plus: guests 1 and 2 mapped and stubbed, GuestCtl0 = CP0 (the
 * guest may use its CP0; GT, CG, RI clear), GuestCtl1.ID = 1, guest Status
 * = 0 (kernel mode, BEV and ERL clear: vectors at guest EBase) and guest
 * Compare far away.
 */
/* vz_setup's registers: guest mode possible, GuestID 1, guest kernel
 * mode, timers far away (also after a vzsim reset). */
static inline void vz_setup_regs(vzsim *sim)
{
	vz_wr(sim, R_GUESTCTL0, GC0_CP0);
	vz_wr(sim, R_GUESTCTL1, GC1(1, 0));
	g_set_cp0(sim, C0_STATUS, 0, 0);
	g_set_cp0(sim, C0_COMPARE, 0, 0x7fffffffu);
	g_set_cp0(sim, C0_CAUSE, 0, 0);
	vz_wr(sim, C0_COMPARE, 0, 0x7fffffffu);
}

static inline void vz_setup(vzsim *sim)
{
	h_setup(sim);
	vz_map_guest(sim, 1, VZ_S2_IDX1);
	vz_map_guest(sim, 2, VZ_S2_IDX2);
	vz_guest_stubs(sim, 1);
	vz_guest_stubs(sim, 2);
	vz_setup_regs(sim);
}

static inline vzsim *vz_board(void)
{
	vzsim *sim = h_new();
	vz_setup(sim);
	return sim;
}

/*
 * Points the CPU at root's `eret` into the guest at gva: root Status =
 * root_status | EXL, GuestCtl0.GM = 1, EPC = gva.  The guest starts with
 * the next vzsim_run.
 */
static inline void vz_enter_status(vzsim *sim, uint32_t gva, uint32_t root_status)
{
	const uint32_t w[] = {enc_eret(), enc_nop()};
	h_load(sim, VZ_ENTRY, w, 2);
	h_set_status(sim, root_status | SR_EXL);
	vz_wr(sim, R_GUESTCTL0, vz_rd(sim, R_GUESTCTL0) | GC0_GM);
	vz_wr(sim, C0_EPC, 0, gva);
	vzsim_set_pc(sim, VZ_ENTRY);
}

static inline void vz_enter(vzsim *sim, uint32_t gva)
{
	vz_enter_status(sim, gva, 0);
}

/*
 * Loads a guest program for guest gid at G_CODE followed by `hypcall
 * G_HC_END`, sets GuestCtl1.ID = gid and enters it.  Returns the address of
 * that final hypcall.
 */
static inline uint32_t vz_gprog_gid(vzsim *sim, unsigned gid, const uint32_t *words,
				    size_t n)
{
	g_load(sim, gid, G_CODE, words, n);
	const uint32_t tail[] = {enc_hypcall(G_HC_END), enc_nop()};
	uint32_t end = G_CODE + 4 * (uint32_t)n;
	g_load(sim, gid, end, tail, 2);
	uint32_t c1 = vz_rd(sim, R_GUESTCTL1);
	vz_wr(sim, R_GUESTCTL1, (c1 & ~0xffu) | gid);
	vz_enter(sim, G_CODE);
	return end;
}

static inline uint32_t vz_gprog(vzsim *sim, const uint32_t *words, size_t n)
{
	return vz_gprog_gid(sim, 1, words, n);
}

static inline void vz_fail_state(vzsim *sim, const char *what)
{
	uint32_t cause = h_cause(sim);
	fail_msg("%s: pc 0x%08x in_guest %d; root Cause 0x%08x (ExcCode %u %s) "
		 "GExcCode %u EPC 0x%08x BadVAddr 0x%08x BadInstr 0x%08x; guest "
		 "Cause 0x%08x EPC 0x%08x BadVAddr 0x%08x Status 0x%08x",
		 what, vzsim_pc(sim), vzsim_in_guest(sim), cause, CR_EXC(cause),
		 vzsim_exc_name(CR_EXC(cause)), vz_gexc(sim), h_cp0(sim, C0_EPC, 0),
		 h_cp0(sim, C0_BADVADDR, 0), vz_rd(sim, R_BADINSTR),
		 g_cp0(sim, C0_CAUSE, 0), g_cp0(sim, C0_EPC, 0),
		 g_cp0(sim, C0_BADVADDR, 0), g_cp0(sim, C0_STATUS, 0));
}

/*
 * Runs and expects a guest exit: root vector +0x180, root ExcCode 27,
 * GuestCtl0.GExcCode gexc, root EPC epc, root in control (EXL = 1, GM kept).
 */
static inline void vz_run_to_exit_word(vzsim *sim, unsigned gexc, uint32_t epc,
				       uint32_t word)
{
	enum vzsim_stop s = h_run(sim, 100000);
	char what[128];
	snprintf(what, sizeof what, "expected guest exit %u at 0x%08x (insn 0x%08x)", gexc,
		 epc, word);
	if (s != VZSIM_STOP_DEADLOCK || vzsim_pc(sim) != H_VEC_GEN + 4 ||
	    h_exc(sim) != EXC_GE || vz_gexc(sim) != gexc || h_cp0(sim, C0_EPC, 0) != epc)
		vz_fail_state(sim, what);
	assert_false(vzsim_in_guest(sim));
	assert_true(h_status(sim) & SR_EXL);
	assert_true(vz_rd(sim, R_GUESTCTL0) & GC0_GM);
}

static inline void vz_run_to_exit(vzsim *sim, unsigned gexc, uint32_t epc)
{
	vz_run_to_exit_word(sim, gexc, epc, 0);
}

/* Runs and expects the hypcall that ends the guest program at end. */
static inline void vz_run_to_end(vzsim *sim, uint32_t end)
{
	vz_run_to_exit(sim, GEXC_HC, end);
	assert_int_equal(vz_rd(sim, R_BADINSTR), enc_hypcall(G_HC_END));
}

/* Runs and expects the guest to have taken an exception to its vector
 * (G_VEC_REFILL, G_VEC_GEN or G_VEC_INT), ended there by the stub. */
static inline void vz_run_to_guest_vec(vzsim *sim, uint32_t gvec)
{
	uint32_t code = gvec == G_VEC_REFILL ? G_HC_REFILL
		      : gvec == G_VEC_GEN ? G_HC_GEN : G_HC_INT;
	vz_run_to_exit(sim, GEXC_HC, gvec);
	assert_int_equal(vz_rd(sim, R_BADINSTR), enc_hypcall(code));
}

/*
 * Runs and expects a second-stage fault: root ExcCode code (TLBL, TLBS,
 * Mod) at root vector (H_VEC_REFILL for a miss, H_VEC_GEN otherwise), root
 * EPC epc, root BadVAddr = the GPA, GExcCode = GPA.
 */
static inline void vz_run_to_stage2(vzsim *sim, uint32_t vector, unsigned code,
				    uint32_t epc, uint32_t gpa)
{
	enum vzsim_stop s = h_run(sim, 100000);
	char what[128];
	snprintf(what, sizeof what, "expected a stage-2 %s at root 0x%08x for GPA 0x%08x",
		 vzsim_exc_name(code), vector, gpa);
	if (s != VZSIM_STOP_DEADLOCK || vzsim_pc(sim) != vector + 4 || h_exc(sim) != code ||
	    h_cp0(sim, C0_EPC, 0) != epc || h_cp0(sim, C0_BADVADDR, 0) != gpa ||
	    vz_gexc(sim) != GEXC_GPA)
		vz_fail_state(sim, what);
	assert_false(vzsim_in_guest(sim));
	assert_true(h_status(sim) & SR_EXL);
	assert_true(vz_rd(sim, R_GUESTCTL0) & GC0_GM);
}

/* Guest Cause.ExcCode. */
static inline unsigned g_exc(vzsim *sim)
{
	return CR_EXC(g_cp0(sim, C0_CAUSE, 0));
}

#endif
