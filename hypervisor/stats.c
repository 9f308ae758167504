/*
 * stats.c: the table printed when the run ends.  Every line starts with
 * "stats:" so scripts can find it (and tests can leave it out of
 * transcripts, since the counts move with code changes).
 *
 * ticks: root Count ticks the guest ran (Count advances once every
 * count-div instructions on vzsim, 2 by default; on hardware at half the
 * pipeline clock); exits by kind; preempt: timer slices that ended; tlbh:
 * times the guest was switched out inside a TLB handler; saved/restored:
 * critical-section entries the fix kept / had to write back.
 */
#include "hv.h"

static const char *state_name(const struct vcpu *v)
{
	return v->state == VCPU_STOPPED ? "stopped" : "running";
}

void stats_print(void)
{
	uint32_t total[HV_EXIT_KINDS] = { 0 };

	hv_puts("stats: guest image       ticks      gpsi  gsfc    hc   grr   gpa timer other preempt  tlbh saved restored\n");
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
		hv_printf("  %s\n", state_name(v));
	}
	uint32_t all = 0;
	for (unsigned k = 0; k < HV_EXIT_KINDS; k++)
		all += total[k];
	hv_printf("stats: total exits %u, preserve=%s, seed %u\n", all,
		  hv_args.preserve ? "on" : "off", hv_args.seed);
}
