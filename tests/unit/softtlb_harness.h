/*
 * Helpers of the soft-TLB tests (test_softtlb.c, test_softtlb_keys.c):
 * entries, memory and code put in place through vz_harness.h, and the
 * checks of what a run left.  Not a standalone header.
 */
#ifndef SOFTTLB_HARNESS_H
#define SOFTTLB_HARNESS_H

#include "vz_harness.h"

#define C0_GUESTCTL1 10, 4

#define GRUN(sim, ...) vz_run_to_end((sim), vz_gprog((sim), PROG(__VA_ARGS__)))
#define GRUN_ID(sim, gid, ...) \
	vz_run_to_end((sim), vz_gprog_gid((sim), (gid), PROG(__VA_ARGS__)))
/* A guest program expected to fault: started, the test waits for the fault. */
#define GSTART(sim, ...) ((void)vz_gprog((sim), PROG(__VA_ARGS__)))
#define RUN(sim, ...) h_run_to_end((sim), h_prog((sim), PROG(__VA_ARGS__)))

/*
 * A TLB write from t4 (Index), t5 (EntryHi), t6/t7 (EntryLo0/1), t8
 * (PageMask): the context's own registers (guest ones in a guest program,
 * root's in a root program), or the guest's from root (tlbg*).
 */
#define TLB_REGS_SEQ(mt) mt(T4, C0_INDEX, 0), mt(T5, C0_ENTRYHI, 0), \
	mt(T6, C0_ENTRYLO0, 0), mt(T7, C0_ENTRYLO1, 0), mt(T8, C0_PAGEMASK, 0), enc_ehb()
#define TLBWI_SEQ TLB_REGS_SEQ(enc_mtc0), enc_tlbwi(), enc_ehb()
#define TLBWR_SEQ TLB_REGS_SEQ(enc_mtc0), enc_tlbwr(), enc_ehb()
#define TLBGWI_SEQ TLB_REGS_SEQ(enc_mtgc0), enc_tlbgwi(), enc_ehb()
#define TLBWI_SEQ_WORDS 8u

static inline int teardown(void **state)
{
	h_free(*state);
	return 0;
}

static inline void put_guest(vzsim *sim, unsigned gi, unsigned gid, uint32_t hi, uint32_t mask,
		      uint32_t lo0, uint32_t lo1)
{
	vz_tlb_put(sim, vz_gidx(sim, gi), true, gid, hi, mask, lo0, lo1);
}

/* Guest gid's memory at guest-physical address gpa (in its RAM, 0-2M). */
static inline void gmark(vzsim *sim, unsigned gid, uint32_t gpa, uint32_t v)
{
	g_write32(sim, gid, 0x80000000u | gpa, v);
}

static inline uint32_t gpeek(vzsim *sim, unsigned gid, uint32_t gpa)
{
	return g_read32(sim, gid, 0x80000000u | gpa);
}

static inline void mark(vzsim *sim, uint32_t pa, uint32_t v)
{
	h_write32(sim, 0x80000000u | pa, v);
}

/* The registers TLBWI_SEQ and friends write from. */
static inline void tlb_regs(vzsim *sim, unsigned idx, uint32_t hi, uint32_t lo0, uint32_t lo1,
		     uint32_t mask)
{
	h_set_gpr(sim, T4, idx);
	h_set_gpr(sim, T5, hi);
	h_set_gpr(sim, T6, lo0);
	h_set_gpr(sim, T7, lo1);
	h_set_gpr(sim, T8, mask);
}

/* A leaf function at physical pa (through kseg0): s0 = value, return. */
static inline void put_code(vzsim *sim, uint32_t pa, uint32_t value)
{
	const uint32_t f[] = {enc_jr(RA), enc_addiu(S0, ZERO, (int32_t)value)};
	h_load(sim, 0x80000000u | pa, f, 2);
}

/* The same at guest-physical gpa of guest gid. */
static inline void gput_code(vzsim *sim, unsigned gid, uint32_t gpa, uint32_t value)
{
	put_code(sim, g_pa(gid, 0x80000000u | gpa), value);
}

static inline void expect_gpr(vzsim *sim, unsigned reg, uint32_t want, const char *what)
{
	uint32_t got = h_gpr(sim, reg);
	if (got != want)
		fail_msg("%s: register %u is 0x%08x, expected 0x%08x", what, reg, got, want);
}

/* The guest took exception `code` to its vector gvec at epc, for badvaddr. */
static inline void expect_guest_exc(vzsim *sim, uint32_t gvec, unsigned code, uint32_t epc,
			     uint32_t badvaddr)
{
	vz_run_to_guest_vec(sim, gvec);
	if (g_exc(sim) != code)
		fail_msg("guest ExcCode %u (%s), expected %u (%s); guest EPC 0x%08x BadVAddr "
			 "0x%08x", g_exc(sim), vzsim_exc_name(g_exc(sim)), code,
			 vzsim_exc_name(code), g_cp0(sim, C0_EPC, 0), g_cp0(sim, C0_BADVADDR, 0));
	assert_int_equal(g_cp0(sim, C0_EPC, 0), epc);
	assert_int_equal(g_cp0(sim, C0_BADVADDR, 0), badvaddr);
}

/* Root took exception `code` at vector (a stop stub) with EPC epc. */
static inline void expect_root_exc(vzsim *sim, uint32_t vector, unsigned code, uint32_t epc,
			    uint32_t badvaddr)
{
	h_run_to_stub(sim, vector);
	if (h_exc(sim) != code)
		fail_msg("ExcCode %u (%s), expected %u (%s)", h_exc(sim),
			 vzsim_exc_name(h_exc(sim)), code, vzsim_exc_name(code));
	assert_int_equal(h_cp0(sim, C0_EPC, 0), epc);
	assert_int_equal(h_cp0(sim, C0_BADVADDR, 0), badvaddr);
}

#endif
