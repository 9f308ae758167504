/*
 * sched.c: round-robin time slicing on the root timer.
 *
 * Each slice is the quantum plus a seeded jitter, programmed in root
 * Compare; the root timer interrupt (IP7) ends it while the guest runs,
 * because root Status.IE and IM7 are set whenever a guest is entered.
 * The jitter comes from a xorshift generator seeded by the boot
 * arguments, so a run is reproducible and different seeds move the
 * preemption points around.
 *
 * sched=aim ticks often (short random slices, a few hundred to quantum/8
 * ticks) and switches a guest out only when a tick finds it inside a TLB
 * exception handler (the race the critical-section fix is about), or when
 * it has had its quantum: sched_should_preempt.  The statistics count how
 * often a guest was switched out inside a handler.
 */
#include "hv.h"

static uint32_t rng;
static uint32_t start_count;

uint32_t sched_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

void sched_init(void)
{
	rng = hv_args.seed ? hv_args.seed : 0x9e3779b9u;
	for (int i = 0; i < 4; i++) /* spread small seeds */
		sched_rand();
	start_count = read_c0_count();
}

void sched_start_slice(void)
{
	uint32_t slice;

	if (hv_args.sched == HV_SCHED_AIM)
		slice = 200 + sched_rand() % (hv_args.quantum / 8 + 1);
	else
		slice = hv_args.quantum +
			(hv_args.jitter ? sched_rand() % (hv_args.jitter + 1) : 0);
	/* Writing Compare also acknowledges a pending timer interrupt. */
	write_c0_compare(read_c0_count() + slice);
}

/* Stops every guest once the run-time limit (runtime=) has passed. */
void sched_check_runtime(void)
{
	if (!hv_args.runtime || read_c0_count() - start_count < hv_args.runtime)
		return;
	for (unsigned i = 0; i < hv_nvcpus; i++)
		if (hv_vcpus[i].state == VCPU_RUNNABLE)
		{
			vcpu_stop(&hv_vcpus[i], "run time limit reached");
			status_stopped(&hv_vcpus[i], 0, 0); /* not a fault */
		}
}

/* Root Count ticks since the scheduler started (the run's length). */
uint32_t sched_elapsed(void)
{
	return read_c0_count() - start_count;
}

/*
 * The slice ended: switch?  Round robin always does.  sched=aim aims the
 * switch at the moments the race needs: it switches a guest out when it is
 * inside a TLB exception handler (guest EXL with a TLB cause, read live
 * from the guest context), and otherwise lets it run another short slice,
 * until it has had a whole quantum so that the other guests still run.
 */
int sched_should_preempt(struct vcpu *v)
{
	if (hv_args.sched != HV_SCHED_AIM)
		return 1;
	uint32_t status = read_gc0(CP0_STATUS), cause = read_gc0(CP0_CAUSE);
	int in_tlb_handler = (status & ST_EXL) && CAUSE_EXC(cause) >= EXC_MOD &&
			     CAUSE_EXC(cause) <= EXC_TLBS;
	if (in_tlb_handler || read_c0_count() - v->switched_in >= hv_args.quantum)
		return 1;
	v->stats.aim_extended++;
	sched_start_slice();
	return 0;
}

/* Switches from prev (the loaded vcpu) to the next runnable one in
 * GuestID order; ends the run when none is left. */
struct vcpu *sched_next(struct vcpu *prev)
{
	vcpu_put(prev);
	hv_guest_switches++;
	status_sync(prev);
	/* Checked at every switch, not only on the timer: a guest that
	 * yields all the time never lets a slice run out. */
	sched_check_runtime();
	unsigned start = (unsigned)(prev - hv_vcpus);
	for (unsigned k = 1; k <= hv_nvcpus; k++) {
		struct vcpu *n = &hv_vcpus[(start + k) % hv_nvcpus];
		if (n->state != VCPU_RUNNABLE)
			continue;
		vcpu_load(n);
		n->switched_in = read_c0_count();
		status_switched_in(n);
		trace_vcpu_entry(n);
		sched_start_slice();
		return n;
	}
	hv_finish();
}
