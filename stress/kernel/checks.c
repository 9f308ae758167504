/*
 * checks.c: the stress kernel's checks of what a hypervisor owes every
 * guest across a world switch, each one a known way hypervisors go wrong
 * (docs/hypervisor.md, "Injected bugs", has the bugs; docs/stress.md
 * "Switch checks" the checks):
 *
 *  - a switch check, every SWITCH_CHECK_EVERY rounds: the kernel writes
 *    seeded values into the CP0 registers it owns (Index, EntryLo0/1,
 *    Context, EntryHi), notes BadVAddr, asks for a doorbell (hypercall 9:
 *    a virtual interrupt at the hypervisor's next timer tick, which on a
 *    busy board is a switch) and spins until the doorbell shows in Cause.IP2.
 *    Then every register must read back as written, the doorbell must
 *    have come, a timer deadline passed in the spin must show in
 *    Cause.TI, and guest Count must have moved on by no more than the
 *    spin's own steps: it runs only while the guest does;
 *  - its wired TLB entries (a few per guest, as Linux keeps its own fixed
 *    mappings) still at their indexes;
 *  - after every user-mode exception, a timer deadline Count has passed
 *    shows in Cause.TI;
 *  - each round: its GuestID word unchanged in its memory (nobody else
 *    writes there), the moving page holding the last counter written into
 *    it, a hypercall in a branch delay slot returning to the branch's
 *    target, and, when the hypervisor keeps TLB handlers' entries
 *    (preserve=on), no tlbp in a TLB handler that missed.
 *
 * With selfcheck=off the same work is done and nothing is checked or
 * reported, as a Linux guest does.
 */
#include <stdbool.h>

#include "kernel.h"

#define SWITCH_CHECK_EVERY 4u	/* rounds */
/* The most a guest's Count may step between two reads a few instructions
 * apart: a switch stops its time (GTOffset), so only the hypervisor's
 * work from the exit to vcpu_put shows, a few hundred ticks. */
#define COUNT_STEP_LIMIT 8192u
/* Wired entries: guest g keeps (g - 1) % 4 of them, so that some guests
 * have none and their tlbwr reaches the others' (Random counts from the
 * running guest's Wired).  Each maps a pair of 16K pages of kseg2 onto
 * WIRED_PA, global. */
#define WIRED_MAX	3u
#define WIRED_VA	0xc0000000u
#define WIRED_PA	0x00f00000u
#define PFN(pa)		(((pa) >> 12) << ENTRYLO_PFN_SHIFT)
#define CAUSE_IP2	0x00000400u	/* Cause.IP2, the doorbell (HC_DOORBELL_IP) */

uint32_t timer_until;
bool timer_ahead;

static bool selfcheck, preserve;
static uint32_t gid, rng, nwired, slice;
static volatile uint32_t gid_word;
static uint32_t reported; /* anomaly codes reported: bit code - 0x60 */

static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* One report per kind and run: the first tells what went wrong. */
static void report_once(uint32_t code, uint32_t detail)
{
	uint32_t bit = 1u << (code - 0x60u);
	if (!selfcheck || (reported & bit))
		return;
	reported |= bit;
	g_anomaly(code, detail);
}

void set_timer(uint32_t when)
{
	write_c0(CP0_COMPARE, when);
	timer_until = when;
	/* Written after its time, Compare matches only 2^32 ticks later:
	 * no interrupt is owed for it. */
	timer_ahead = (int32_t)(read_count() - when) < 0;
}

void checks_timer(void)
{
	if (timer_ahead && (int32_t)(read_count() - timer_until) >= 0 &&
	    !(read_c0(CP0_CAUSE) & CAUSE_TI))
		report_once(ANOM_TIMER_LOST, read_count() - timer_until);
}

/* add_wired_entry: the next wired index, Wired one more. */
static void add_wired(uint32_t i)
{
	uint32_t hi = read_c0(CP0_ENTRYHI);
	uint32_t pa = WIRED_PA + i * 2 * PAGE_SIZE;
	write_c0(CP0_WIRED, i + 1);
	write_c0(CP0_INDEX, i);
	write_c0(CP0_ENTRYHI, WIRED_VA + i * 2 * PAGE_SIZE);
	write_c0(CP0_ENTRYLO0, PFN(pa) | (3u << ENTRYLO_C_SHIFT) | ENTRYLO_D | ENTRYLO_V | ENTRYLO_G);
	write_c0(CP0_ENTRYLO1, PFN(pa + PAGE_SIZE) | (3u << ENTRYLO_C_SHIFT) | ENTRYLO_D |
		 ENTRYLO_V | ENTRYLO_G);
	__asm__ volatile("tlbwi\n\tehb" ::: "memory");
	write_c0(CP0_ENTRYHI, hi);
}

void checks_init(uint32_t guestid, uint32_t seed, bool check)
{
	selfcheck = check;
	gid = guestid;
	gid_word = guestid;
	rng = seed * 2654435761u + guestid;
	if (!rng)
		rng = 1;
	preserve = g_config(GCONF_PRESERVE) == 1;
	slice = g_config(GCONF_SLICE);
	if (slice > 0x08000000u)
		slice = 0x08000000u;
	nwired = (guestid - 1) % (WIRED_MAX + 1);
	for (uint32_t i = 0; i < nwired; i++)
		add_wired(i);
	ks[KS_WIRED] = nwired;
}

/* Each wired entry where the kernel put it, mapping what it mapped: a
 * word written through kseg2 reads back through kseg0. */
static void check_wired(void)
{
	uint32_t hi = read_c0(CP0_ENTRYHI);
	for (uint32_t i = 0; i < nwired; i++) {
		uint32_t va = WIRED_VA + i * 2 * PAGE_SIZE;
		/* Without self-checks the kernel uses the mapping as Linux uses
		 * its fixed ones, unchecked: if it is gone, the kernel-mode
		 * fault stops the guest (status 3), as an oops would. */
		if (selfcheck) {
			write_c0(CP0_ENTRYHI, va | (hi & 0xffu));
			__asm__ volatile("tlbp\n\tehb" ::: "memory");
			if (read_c0(CP0_INDEX) != i) {
				/* Not there: touching it would fault in the kernel. */
				report_once(ANOM_WIRED_LOST, va);
				continue;
			}
		}
		volatile uint32_t *through = (volatile uint32_t *)va;
		uint32_t v = next_rand();
		*through = v;
		if (*KSEG0(WIRED_PA + i * 2 * PAGE_SIZE) != v)
			report_once(ANOM_WIRED_LOST, va);
	}
	write_c0(CP0_ENTRYHI, hi);
}

static void switch_check(void)
{
	uint32_t entries = ((read_c0(CP0_CONFIG1) >> 25) & 0x3f) + 1;
	uint32_t hi = read_c0(CP0_ENTRYHI), ctx = read_c0(CP0_CONTEXT);
	/* Seeded values, each read back as the hardware keeps it. */
	write_c0(CP0_INDEX, next_rand() % entries);
	uint32_t index = read_c0(CP0_INDEX);
	write_c0(CP0_ENTRYLO0, next_rand() & 0x03ffffffu);
	uint32_t lo0 = read_c0(CP0_ENTRYLO0);
	write_c0(CP0_ENTRYLO1, next_rand() & 0x03ffffffu);
	uint32_t lo1 = read_c0(CP0_ENTRYLO1);
	write_c0(CP0_CONTEXT, next_rand() & 0xff800000u);
	uint32_t context = read_c0(CP0_CONTEXT);
	/* A kuseg VPN2 (nothing is probed with it), the current ASID. */
	write_c0(CP0_ENTRYHI, (next_rand() & 0x7fffe000u) | (hi & 0xffu));
	uint32_t entryhi = read_c0(CP0_ENTRYHI);
	uint32_t badvaddr = read_c0(CP0_BADVADDR);

	/* A timer deadline inside the spin: its TI is pending, unserved (the
	 * kernel runs with EXL set), when the switch comes. */
	set_timer(read_count() + 1000u);
	HYPERCALL2(HC_DOORBELL, 1, 0);
	uint32_t start = read_count(), last = start, max_step = 0;
	bool rung = false;
	for (;;) {
		uint32_t now = read_count();
		if (now - last > max_step)
			max_step = now - last;
		last = now;
		if (read_c0(CP0_CAUSE) & CAUSE_IP2) {
			rung = true;
			break;
		}
		if (now - start > 4 * slice + 100000u)
			break;
	}
	if (rung) {
		HYPERCALL2(HC_DOORBELL_ACK, 0, 0);
		ks_add(KS_DOORBELLS, 1);
	}
	ks_add(KS_SWITCH_CHECKS, 1);
	if (max_step > ks[KS_MAX_COUNT_STEP])
		ks[KS_MAX_COUNT_STEP] = max_step;

	uint32_t got;
	if ((got = read_c0(CP0_INDEX)) != index)
		report_once(ANOM_STALE_INDEX, got);
	if ((got = read_c0(CP0_ENTRYHI)) != entryhi)
		report_once(ANOM_STALE_ENTRYHI, got);
	if ((got = read_c0(CP0_BADVADDR)) != badvaddr)
		report_once(ANOM_STALE_BADVADDR, got);
	if ((got = read_c0(CP0_ENTRYLO0)) != lo0 || (got = read_c0(CP0_ENTRYLO1)) != lo1)
		report_once(ANOM_STALE_ENTRYLO, got);
	if ((got = read_c0(CP0_CONTEXT)) != context)
		report_once(ANOM_STALE_CONTEXT, got);
	if (max_step > COUNT_STEP_LIMIT)
		report_once(ANOM_TIME_JUMP, max_step);
	if (!rung)
		report_once(ANOM_VIRQ_LOST, read_count() - start);
	checks_timer();
	write_c0(CP0_CONTEXT, ctx);
	write_c0(CP0_ENTRYHI, hi);
	check_wired();
}

/* A hypercall in the delay slot of a taken branch: 0 if the guest went on
 * at the branch's target, 1 if at its fall-through. */
static uint32_t dslot_hypercall(void)
{
	register uint32_t a0 __asm__("$4") = GCONF_GUESTID;
	register uint32_t v0 __asm__("$2");
	uint32_t fell;
	__asm__ volatile(".set push\n\t.set noreorder\n\t"
			 "b 1f\n\t"
			 "hypcall " HC_STR(HC_CONFIG) "\n\t"
			 "b 2f\n\t"
			 "li %0, 1\n"
			 "1:\tli %0, 0\n"
			 "2:\n\t.set pop"
			 : "=&r"(fell), "=r"(v0) : "r"(a0) : "memory");
	return fell;
}

void checks_round(uint32_t round)
{
	if (gid_word != g_config(GCONF_GUESTID))
		report_once(ANOM_ISOLATION, gid_word);
	volatile uint32_t *moving = KSEG0(HV_MOVING_GPA);
	uint32_t was = *moving;
	if (was != ks[KS_MOVING])
		report_once(ANOM_STALE_PAGE, was);
	*moving = ++ks[KS_MOVING];
	if (dslot_hypercall())
		report_once(ANOM_DSLOT_RESUME, 0);
	if (preserve && ks[KS_PROBE_MISSES])
		report_once(ANOM_PROBE_MISS, ks[KS_PROBE_MISSES]);
	if (round % SWITCH_CHECK_EVERY == 1)
		switch_check();
}
