/*
 * The TLB write hook (vzsim_set_tlb_hook): one event per TLB entry written,
 * with the writing instruction's index, pc and word as the instruction
 * sink reports them, the mode and GuestID it ran as, the entry, its
 * contents before and after, and how it was written (tlbwi, tlbwr with
 * the Random value it used, tlbinvf entry by entry, root's tlbgwi, the
 * API).  The hook runs after the write and before the next instruction,
 * stops when detached, and changes nothing the run does.
 *
 * The contract is vzsim.h and docs/vzsim.md ("libvzsim", "The TLB write
 * hook").
 */
#include "vz_harness.h"

#include <stdlib.h>

#define MAX_EVENTS 256u
#define MAX_INSNS  4096u

/* What the hook and the sink saw. */
struct rec {
	vzsim *sim;
	unsigned n;
	struct vzsim_tlb_write_event ev[MAX_EVENTS];
	uint64_t insns_at[MAX_EVENTS];       /* vzsim_get_stats().insns in the hook */
	unsigned sink_n_at[MAX_EVENTS];      /* sink events delivered by then */
	struct vzsim_tlb_entry now[MAX_EVENTS]; /* vzsim_tlb_read(entry) in the hook */
	unsigned ninsn;
	struct vzsim_insn_event insn[MAX_INSNS];
};

static void hook(void *ctx, const struct vzsim_tlb_write_event *ev)
{
	struct rec *r = ctx;
	if (r->n >= MAX_EVENTS)
		fail_msg("more than %u TLB write events", MAX_EVENTS);
	r->ev[r->n] = *ev;
	r->insns_at[r->n] = h_insns(r->sim);
	r->sink_n_at[r->n] = r->ninsn;
	memset(&r->now[r->n], 0, sizeof r->now[r->n]);
	if (vzsim_tlb_read(r->sim, ev->entry, &r->now[r->n]) != 0)
		fail_msg("vzsim_tlb_read(%u) failed in the hook", ev->entry);
	r->n++;
}

static void sink(void *ctx, const struct vzsim_insn_event *ev)
{
	struct rec *r = ctx;
	if (r->ninsn < MAX_INSNS)
		r->insn[r->ninsn++] = *ev;
}

static struct rec *attach(vzsim *sim)
{
	struct rec *r = calloc(1, sizeof *r);
	assert_non_null(r);
	r->sim = sim;
	vzsim_set_tlb_hook(sim, hook, r);
	vzsim_set_insn_sink(sim, sink, r);
	return r;
}

static void detach(vzsim *sim, struct rec *r)
{
	vzsim_set_tlb_hook(sim, NULL, NULL);
	vzsim_set_insn_sink(sim, NULL, NULL);
	free(r);
}

static struct vzsim_tlb_entry entry_of(vzsim *sim, unsigned idx)
{
	return vz_tlb_get(sim, idx);
}

static void expect_same_entry(const char *what, const struct vzsim_tlb_entry *got,
			      const struct vzsim_tlb_entry *want)
{
	if (got->invalid != want->invalid || got->guest != want->guest ||
	    got->guestid != want->guestid || got->entryhi != want->entryhi ||
	    got->pagemask != want->pagemask || got->entrylo0 != want->entrylo0 ||
	    got->entrylo1 != want->entrylo1)
		fail_msg("%s: invalid %d guest %d id %u hi 0x%08x mask 0x%08x lo0 0x%08x "
			 "lo1 0x%08x; expected invalid %d guest %d id %u hi 0x%08x mask "
			 "0x%08x lo0 0x%08x lo1 0x%08x", what, got->invalid, got->guest,
			 got->guestid, got->entryhi, got->pagemask, got->entrylo0,
			 got->entrylo1, want->invalid, want->guest, want->guestid,
			 want->entryhi, want->pagemask, want->entrylo0, want->entrylo1);
}

/*
 * Event k of an instruction: its index is the one the sink gave the
 * instruction at pc with that word (same mode and GuestID), the hook ran
 * after the write (the entry reads back as ev.after; the instruction is
 * counted) and before the next instruction (its own sink event not yet
 * delivered).
 */
static void expect_insn_event(const struct rec *r, unsigned k, enum vzsim_tlb_how how,
			      uint32_t pc, uint32_t word, bool guest, unsigned guestid,
			      unsigned entry)
{
	assert_true(k < r->n);
	const struct vzsim_tlb_write_event *ev = &r->ev[k];
	assert_int_equal(ev->how, how);
	assert_int_equal(ev->pc, pc);
	assert_int_equal(ev->word, word);
	assert_int_equal(ev->guest, guest);
	assert_int_equal(ev->guestid, guestid);
	assert_int_equal(ev->entry, entry);
	const struct vzsim_insn_event *in = NULL;
	for (unsigned i = 0; i < r->ninsn; i++)
		if (r->insn[i].index == ev->index)
			in = &r->insn[i];
	if (!in)
		fail_msg("event %u: no instruction %llu in the sink", k,
			 (unsigned long long)ev->index);
	assert_int_equal(in->pc, pc);
	assert_int_equal(in->word, word);
	assert_int_equal(in->guest, guest);
	assert_int_equal(in->guestid, guestid);
	assert_int_equal(in->exc, -1);
	assert_int_equal(r->insns_at[k], ev->index + 1);
	if (r->sink_n_at[k] > 0) /* the sink has had the ones before it only */
		assert_int_equal(r->insn[r->sink_n_at[k] - 1].index, ev->index - 1);
	else
		assert_int_equal(r->insn[0].index, ev->index);
	expect_same_entry("entry in the hook", &r->now[k], &ev->after);
}

#define RUN(sim, ...) h_run_to_end((sim), h_prog((sim), PROG(__VA_ARGS__)))
#define GRUN_ID(sim, gid, ...) \
	vz_run_to_end((sim), vz_gprog_gid((sim), (gid), PROG(__VA_ARGS__)))

#define VA1  0x00600000u
#define VA2  0x00700000u
#define LO_A (LO_RAM(0x00100000u))
#define LO_B (LO_RAM(0x00104000u))

/* ------------------------------------------------------------ root */

static void test_root_tlbwi_and_tlbwr(void **state)
{
	vzsim *sim = *state;
	vz_tlb_put(sim, 5, false, 0, 0x00400000u | 0x21, PM_4K, LO_A, LO_B);
	struct vzsim_tlb_entry old5 = entry_of(sim, 5);
	unsigned random = h_cp0(sim, C0_RANDOM, 0);
	assert_int_not_equal(random, 5);
	struct vzsim_tlb_entry oldr = entry_of(sim, random);
	assert_true(oldr.invalid);

	struct rec *r = attach(sim);
	h_set_gpr(sim, T0, 5);
	h_set_gpr(sim, T1, VA1 | 0x21);
	h_set_gpr(sim, T2, LO_A);
	h_set_gpr(sim, T3, LO_B);
	h_set_gpr(sim, T4, PM_16K);
	h_set_gpr(sim, T5, VA2 | 0x21);
	RUN(sim, enc_mtc0(T0, C0_INDEX, 0), enc_mtc0(T1, C0_ENTRYHI, 0),
	    enc_mtc0(T2, C0_ENTRYLO0, 0), enc_mtc0(T3, C0_ENTRYLO1, 0),
	    enc_mtc0(T4, C0_PAGEMASK, 0), enc_ehb(),
	    enc_tlbwi(),                                   /* 6 */
	    enc_mtc0(T5, C0_ENTRYHI, 0), enc_ehb(),
	    enc_tlbwr(),                                   /* 9 */
	    enc_nop());
	assert_int_equal(r->n, 2);

	expect_insn_event(r, 0, VZSIM_TLB_TLBWI, H_CODE + 4 * 6, enc_tlbwi(), false, 0, 5);
	expect_same_entry("tlbwi before", &r->ev[0].before, &old5);
	struct vzsim_tlb_entry want = {.entryhi = VA1 | 0x21, .pagemask = PM_16K,
				       .entrylo0 = LO_A, .entrylo1 = LO_B};
	expect_same_entry("tlbwi after", &r->ev[0].after, &want);
	struct vzsim_tlb_entry now = entry_of(sim, 5);
	expect_same_entry("entry 5 now", &now, &want);
	assert_int_equal(r->ev[0].random, 0);

	expect_insn_event(r, 1, VZSIM_TLB_TLBWR, H_CODE + 4 * 9, enc_tlbwr(), false, 0,
			  random);
	assert_int_equal(r->ev[1].random, random);
	expect_same_entry("tlbwr before", &r->ev[1].before, &oldr);
	want.entryhi = VA2 | 0x21;
	expect_same_entry("tlbwr after", &r->ev[1].after, &want);
	assert_int_equal(r->ev[1].index, r->ev[0].index + 3);
	detach(sim, r);
}

static void test_root_tlbinvf_one_event_per_entry_changed(void **state)
{
	vzsim *sim = *state;
	vz_tlb_put(sim, 3, false, 0, VA1 | 0x21, PM_4K, LO_A, LO_B);
	vz_tlb_put(sim, 7, false, 0, VA2 | 0x05, PM_16K, LO_A | LO_G, LO_B | LO_G);
	vz_tlb_put(sim, 9, false, 1, VA1, PM_4K, LO_A | LO_G, LO_B | LO_G); /* RID 1's */
	struct vzsim_tlb_entry old3 = entry_of(sim, 3), old7 = entry_of(sim, 7);
	struct vzsim_tlb_entry old9 = entry_of(sim, 9);

	struct rec *r = attach(sim);
	RUN(sim, enc_nop(), enc_tlbinvf());
	assert_int_equal(r->n, 2);
	unsigned at[2] = {3, 7};
	const struct vzsim_tlb_entry *old[2] = {&old3, &old7};
	for (unsigned k = 0; k < 2; k++) {
		expect_insn_event(r, k, VZSIM_TLB_TLBINVF, H_CODE + 4, enc_tlbinvf(), false, 0,
				  at[k]);
		expect_same_entry("tlbinvf before", &r->ev[k].before, old[k]);
		assert_true(r->ev[k].after.invalid);
		struct vzsim_tlb_entry now = entry_of(sim, at[k]);
		expect_same_entry("tlbinvf after", &r->ev[k].after, &now);
	}
	assert_int_equal(r->ev[0].index, r->ev[1].index);
	struct vzsim_tlb_entry now9 = entry_of(sim, 9);
	expect_same_entry("RID 1's entry", &now9, &old9);

	/* Nothing left to invalidate: no event. */
	RUN(sim, enc_tlbinvf());
	assert_int_equal(r->n, 2);
	detach(sim, r);
}

/* ------------------------------------------------------------ guests */

/* The shrinking page: guest 2's tlbwr replaces guest 1's 16K entry. */
static void test_guest_tlbwr_records_guestid_and_the_victim(void **state)
{
	vzsim *sim = *state;
	vz_setup(sim);
	unsigned random = g_cp0(sim, C0_RANDOM, 0);
	unsigned entry = vz_gidx(sim, random);
	vz_tlb_put(sim, entry, true, 1, VA1 | 0x21, PM_16K, LO_A, LO_B);
	struct vzsim_tlb_entry victim = entry_of(sim, entry);
	unsigned root_random = h_cp0(sim, C0_RANDOM, 0);

	struct rec *r = attach(sim);
	h_set_gpr(sim, T1, VA2 | 0x05);
	h_set_gpr(sim, T2, LO_A);
	h_set_gpr(sim, T3, LO_B);
	GRUN_ID(sim, 2, enc_mtc0(T1, C0_ENTRYHI, 0), enc_mtc0(T2, C0_ENTRYLO0, 0),
		enc_mtc0(T3, C0_ENTRYLO1, 0), enc_mtc0(ZERO, C0_PAGEMASK, 0), enc_ehb(),
		enc_tlbwr()); /* 5 */
	assert_int_equal(r->n, 1);
	expect_insn_event(r, 0, VZSIM_TLB_TLBWR, G_CODE + 4 * 5, enc_tlbwr(), true, 2, entry);
	assert_int_equal(r->ev[0].random, random);
	expect_same_entry("guest 1's entry before", &r->ev[0].before, &victim);
	assert_int_equal(r->ev[0].before.guestid, 1);
	struct vzsim_tlb_entry want = {.entryhi = VA2 | 0x05, .pagemask = PM_4K,
				       .entrylo0 = LO_A, .entrylo1 = LO_B,
				       .guest = true, .guestid = 2};
	expect_same_entry("guest 2's entry after", &r->ev[0].after, &want);
	/* Guest Random moved on, root's did not. */
	assert_int_equal(h_cp0(sim, C0_RANDOM, 0), root_random);
	detach(sim, r);
}

static void test_root_tlbgwi_writes_the_guest_part(void **state)
{
	vzsim *sim = *state;
	vz_setup(sim);
	vz_wr(sim, R_GUESTCTL1, GC1(1, 3));
	g_set_cp0(sim, C0_INDEX, 0, 2);
	g_set_cp0(sim, C0_ENTRYHI, 0, VA1 | 0x07);
	g_set_cp0(sim, C0_ENTRYLO0, 0, LO_A);
	g_set_cp0(sim, C0_ENTRYLO1, 0, LO_B);
	g_set_cp0(sim, C0_PAGEMASK, 0, PM_4K);
	struct rec *r = attach(sim);
	RUN(sim, enc_tlbgwi());
	assert_int_equal(r->n, 1);
	expect_insn_event(r, 0, VZSIM_TLB_TLBGWI, H_CODE, enc_tlbgwi(), false, 0,
			  vz_gidx(sim, 2));
	assert_true(r->ev[0].before.invalid);
	struct vzsim_tlb_entry want = {.entryhi = VA1 | 0x07, .pagemask = PM_4K,
				       .entrylo0 = LO_A, .entrylo1 = LO_B,
				       .guest = true, .guestid = 3};
	expect_same_entry("tlbgwi after", &r->ev[0].after, &want);
	detach(sim, r);
}

/* ------------------------------------------------------------ API, detach */

static void test_api_write_reports_how_api(void **state)
{
	vzsim *sim = *state;
	RUN(sim, enc_nop(), enc_nop());
	struct rec *r = attach(sim);
	uint64_t insns = h_insns(sim);
	uint32_t pc = vzsim_pc(sim);
	vz_tlb_put(sim, 12, true, 4, VA2 | 0x09, PM_16K, LO_A, LO_B);
	assert_int_equal(r->n, 1);
	const struct vzsim_tlb_write_event *ev = &r->ev[0];
	assert_int_equal(ev->how, VZSIM_TLB_API);
	assert_int_equal(ev->word, 0);
	assert_int_equal(ev->index, insns);
	assert_int_equal(ev->pc, pc);
	assert_false(ev->guest);
	assert_int_equal(ev->guestid, 0);
	assert_int_equal(ev->entry, 12);
	assert_true(ev->before.invalid);
	struct vzsim_tlb_entry want = {.entryhi = VA2 | 0x09, .pagemask = PM_16K,
				       .entrylo0 = LO_A, .entrylo1 = LO_B,
				       .guest = true, .guestid = 4};
	expect_same_entry("API after", &ev->after, &want);
	expect_same_entry("API in the hook", &r->now[0], &want);
	/* A bad index writes nothing and reports nothing. */
	struct vzsim_tlb_entry e = want;
	assert_int_equal(vzsim_tlb_write(sim, 64, &e), -1);
	assert_int_equal(r->n, 1);
	detach(sim, r);
}

static void test_detach_stops_the_calls(void **state)
{
	vzsim *sim = *state;
	struct rec *r = attach(sim);
	h_set_cp0(sim, C0_ENTRYHI, 0, VA1);
	h_set_cp0(sim, C0_ENTRYLO0, 0, LO_A);
	h_set_cp0(sim, C0_INDEX, 0, 4);
	RUN(sim, enc_tlbwi());
	assert_int_equal(r->n, 1);
	vzsim_set_tlb_hook(sim, NULL, NULL);
	h_set_cp0(sim, C0_ENTRYHI, 0, VA2);
	RUN(sim, enc_tlbwr(), enc_tlbinvf(), enc_tlbwi());
	vz_tlb_put(sim, 8, false, 0, 0x00800000u, PM_4K, LO_A, LO_B);
	assert_int_equal(r->n, 1);
	detach(sim, r);
}

/* A hook on a board that a board option rebuilds stays attached. */
static void test_hook_survives_a_rebuild(void **state)
{
	vzsim *sim = *state;
	struct rec *r = attach(sim);
	h_opt(sim, "tlb-entries", "16");
	h_setup(sim);
	vz_tlb_put(sim, 15, false, 0, VA1, PM_4K, LO_A, LO_B);
	assert_int_equal(r->n, 1);
	assert_int_equal(r->ev[0].entry, 15);
	detach(sim, r);
}

/* ------------------------------------------------------------ determinism */

#define ITERS 200u

/* A loop of tlbwr over fresh pages; returns the number of hook events. */
static unsigned run_tlbwr_loop(vzsim *sim, bool hooked)
{
	struct rec *r = NULL;
	if (hooked) {
		r = calloc(1, sizeof *r);
		assert_non_null(r);
		r->sim = sim;
		vzsim_set_tlb_hook(sim, hook, r);
	}
	h_set_cp0(sim, C0_ENTRYLO0, 0, LO_A);
	h_set_cp0(sim, C0_ENTRYLO1, 0, LO_B);
	h_set_gpr(sim, T0, ITERS);
	h_set_gpr(sim, T1, 0x00400000u);
	RUN(sim, enc_mtc0(T1, C0_ENTRYHI, 0),   /* 0: loop */
	    enc_ehb(), enc_tlbwr(),
	    enc_addiu(T1, T1, 0x2000),
	    enc_addiu(T0, T0, -1),
	    enc_bne(T0, ZERO, -6),             /* 5: to 0 */
	    enc_nop());
	unsigned n = r ? r->n : 0;
	if (r) {
		for (unsigned k = 0; k < r->n; k++) {
			assert_int_equal(r->ev[k].how, VZSIM_TLB_TLBWR);
			assert_int_equal(r->ev[k].entry, r->ev[k].random);
		}
		vzsim_set_tlb_hook(sim, NULL, NULL);
		free(r);
	}
	return n;
}

static void test_hook_changes_nothing(void **state)
{
	vzsim *plain = *state;
	vzsim *hooked = h_new();
	h_setup(hooked);
	assert_int_equal(run_tlbwr_loop(plain, false), 0);
	assert_int_equal(run_tlbwr_loop(hooked, true), ITERS);
	assert_int_equal(h_insns(plain), h_insns(hooked));
	assert_int_equal(h_cp0(plain, C0_RANDOM, 0), h_cp0(hooked, C0_RANDOM, 0));
	for (unsigned i = 0; i < vzsim_tlb_size(plain, NULL); i++) {
		struct vzsim_tlb_entry a = entry_of(plain, i), b = entry_of(hooked, i);
		expect_same_entry("same TLB", &b, &a);
	}
	h_free(hooked);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_root_tlbwi_and_tlbwr),
		T(test_root_tlbinvf_one_event_per_entry_changed),
		T(test_guest_tlbwr_records_guestid_and_the_victim),
		T(test_root_tlbgwi_writes_the_guest_part),
		T(test_api_write_reports_how_api),
		T(test_detach_stops_the_calls),
		T(test_hook_survives_a_rebuild),
		T(test_hook_changes_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
