/*
 * irq.c: the doorbell, the one virtual interrupt the hypervisor raises.
 *
 * A guest asks with hypercall 9 for its IP2 to be raised after some root
 * Count ticks, as a device model or another vCPU's IPI would raise it,
 * and lowers it with hypercall 10 once it has seen it.  The line is
 * GuestCtl2.VIP: while the guest runs it shows in the guest's Cause.IP2;
 * while the guest is switched out it lives in vcpu->guestctl2 (vcpu.c),
 * as KVM keeps a vCPU's pending interrupts.  It rings at the first root
 * timer tick after its time, or at the switch-in that finds it due.
 */
#include <vzsoak/hypercall.h>

#include "hv.h"

#define GC2_DOORBELL	GC2_VIP(HC_DOORBELL_IP)

void irq_doorbell(struct vcpu *v, uint32_t ticks)
{
	v->doorbell_at = read_c0_count() + ticks;
	v->doorbell_armed = 1;
}

/* The guest saw it: lower the line (v is loaded). */
void irq_ack(struct vcpu *v)
{
	v->doorbell_armed = 0;
	write_c0_guestctl2(read_c0_guestctl2() & ~GC2_DOORBELL);
}

/* Rings v's doorbell if it is due; v is loaded (its GuestCtl2 in place). */
void irq_tick(struct vcpu *v)
{
	if (!v->doorbell_armed || (int32_t)(read_c0_count() - v->doorbell_at) < 0)
		return;
	v->doorbell_armed = 0;
	uint32_t gc2 = read_c0_guestctl2() | GC2_DOORBELL;
	write_c0_guestctl2(gc2);
	v->stats.doorbells++;
	/* Into the trace: the lines now pending, as the Cause IP bits they
	 * show in (VIP 15:10 is IP7..IP2, Cause 15:10), so that a reader can
	 * check the guest's next entry still has them. */
	uint32_t lines = gc2 & (0x3fu << GC2_VIP_SHIFT);
	trace_msg(UTM_VIRQ, v->id, &lines, 1);
}

/* What vcpu_put keeps of the line: all of it.  inject=vip-lost keeps
 * none, as a hypervisor that saves only what it queued itself and not
 * what the hardware still holds pending would. */
uint32_t irq_pending_at_put(uint32_t guestctl2)
{
	if (HV_INJECTED(&hv_args, HV_INJECT_VIP_LOST))
		return guestctl2 & ~GC2_DOORBELL;
	return guestctl2;
}
