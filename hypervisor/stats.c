/*
 * stats.c: the table printed when the run ends.  Every line starts with
 * "stats:" so scripts can find it (and tests can leave it out of
 * transcripts, since the counts move with code changes).
 *
 * ticks: root Count ticks the guest ran (Count advances once every
 * count-div instructions on vzsim, 2 by default; on hardware at half the
 * pipeline clock); exits by kind; preempt: timer slices that ended; tlbh:
 * times the guest was switched out inside a TLB handler; saved/restored:
 * critical-section entries the fix kept / had to write back; dslot:
 * emulated exits in a branch delay slot (the branch emulated too);
 * wired: wired guest TLB entries written back after another guest
 * evicted them; heartbeats: heartbeat hypercalls (none from a guest that
 * checks nothing itself, stress with selfcheck=off).
 *
 * A second table: per exit kind, how many exits were measured, and the
 * root cycles spent handling them (root Count from the exit vector to
 * the eret that enters the next guest, times CCRes), on average and in
 * all.  Then the run's simulated time and its exits and guest switches
 * per simulated second.
 */
#include "hv.h"

uint32_t hv_guest_switches;     /* vcpu_put + vcpu_load pairs (sched.c) */

static const char *const kind_names[HV_EXIT_KINDS] = {
	[HV_EXIT_GPSI] = "gpsi", [HV_EXIT_GSFC] = "gsfc", [HV_EXIT_HC] = "hc",
	[HV_EXIT_GRR] = "grr", [HV_EXIT_GPA] = "gpa", [HV_EXIT_TIMER] = "timer",
	[HV_EXIT_OTHER] = "other",
};

/* Root Count ticks spent handling exits, by kind (exit.c measures). */
static struct {
	uint32_t count, ticks;
} exit_cost[HV_EXIT_KINDS];

void stats_exit_cost(enum hv_exit_kind kind, uint32_t ticks)
{
	exit_cost[kind].count++;
	exit_cost[kind].ticks += ticks;
}

/* Cycles per root Count tick: CCRes (rdhwr $3), which the architecture
 * defines as exactly that; 2 on a P5600 and on vzsim by default (its
 * count-div).  Root kernel mode may always use rdhwr. */
static uint32_t cycles_per_tick(void)
{
	uint32_t r;
	__asm__ volatile("rdhwr %0, $3" : "=r"(r));
	return r ? r : 1;
}

/* What handling each kind of exit costs, and the run's rates. */
static void stats_print_costs(uint32_t exits)
{
	uint32_t ccres = cycles_per_tick();

	hv_puts("stats: exit kind   count  avg cycles  total cycles\n");
	for (unsigned k = 0; k < HV_EXIT_KINDS; k++) {
		if (!exit_cost[k].count)
			continue;
		uint64_t cycles = (uint64_t)exit_cost[k].ticks * ccres;
		hv_puts("stats: ");
		hv_put_str_w(kind_names[k], 10);
		hv_put_dec_w(exit_cost[k].count, 7);
		hv_put_dec_w(hv_div64(cycles, exit_cost[k].count), 12);
		hv_put_dec_w(hv_div64(cycles, 1), 14); /* saturated at 2^32 - 1 */
		hv_putc('\n');
	}

	/* Simulated time: root Count ticks since the scheduler started,
	 * times CCRes cycles per tick, at a 1000 MHz clock (vzsim's, one
	 * instruction per cycle): 1 cycle = 1 ns.  Rates are events x 10^9
	 * / ns. */
	uint32_t ticks = sched_elapsed();
	uint32_t ns = hv_div64((uint64_t)ticks * ccres, 1);
	if (!ns)
		ns = 1;
	hv_printf("stats: simulated time %u us (%u root Count ticks x %u cycles at 1000 MHz)\n",
		  ns / 1000, ticks, ccres);
	hv_printf("stats: per simulated second: %u exits, %u guest switches\n",
		  hv_div64((uint64_t)exits * 1000000000u, ns),
		  hv_div64((uint64_t)hv_guest_switches * 1000000000u, ns));
}

static const char *state_name(const struct vcpu *v)
{
	return v->state == VCPU_STOPPED ? "stopped" : "running";
}

void stats_print(void)
{
	uint32_t total[HV_EXIT_KINDS] = { 0 };

	hv_puts("stats: guest image       ticks      gpsi  gsfc    hc   grr   gpa timer other preempt  tlbh saved restored dslot wired bells moves heartbeats\n");
	for (unsigned i = 0; i < hv_nvcpus; i++) {
		const struct vcpu *v = &hv_vcpus[i];
		hv_printf("stats: g%u    ", v->id);
		hv_put_str_w(v->image->name, 8);
		hv_put_dec_w(v->stats.ticks, 10);
		for (unsigned k = 0; k < HV_EXIT_KINDS; k++) {
			hv_put_dec_w(v->stats.exits[k], k == 0 ? 10 : 6);
			total[k] += v->stats.exits[k];
		}
		hv_put_dec_w(v->stats.preemptions, 8);
		hv_put_dec_w(v->stats.tlb_handler, 6);
		hv_put_dec_w(v->stats.preserved, 6);
		hv_put_dec_w(v->stats.restored, 9);
		hv_put_dec_w(v->stats.delay_slot, 6);
		hv_put_dec_w(v->stats.wired_restored, 6);
		hv_put_dec_w(v->stats.doorbells, 6);
		hv_put_dec_w(v->stats.moves, 6);
		hv_put_dec_w(v->stats.heartbeats, 11);
		hv_printf("  %s\n", state_name(v));
	}
	uint32_t all = 0;
	for (unsigned k = 0; k < HV_EXIT_KINDS; k++)
		all += total[k];
	hv_printf("stats: total exits %u, guest switches %u, preserve=%s, seed %u\n",
		  all, hv_guest_switches, hv_args.preserve ? "on" : "off", hv_args.seed);
	stats_print_costs(all);
}
