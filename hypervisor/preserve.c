/*
 * preserve.c: the TLB critical-section fix (boot argument preserve=).
 *
 * The race: a guest takes a TLB exception (refill, invalid, modified) for
 * an entry its handler is about to look up with tlbp and read with tlbr.
 * If the hypervisor switches it out there, another guest's tlbwr can
 * evict that entry from the shared TLB; the first guest resumes, its tlbp
 * misses, and a handler that reads anyway gets the invalid-entry values
 * (PageMask 4K): the "shrinking page" of the KVM Forum 2014 talk.
 *
 * Detection, at vcpu_put: the guest is in a critical section when guest
 * Status.EXL is set and guest Cause.ExcCode is Mod (1), TLBL (2) or TLBS
 * (3): it is inside the handler of a TLB exception, before its eret.
 * That covers the handler's tlbp..tlbr window.  Its limits: a tlbp/tlbr
 * pair outside an exception handler (a kernel's own flush or lookup with
 * interrupts off) leaves no trace in CP0 and is not detected; a handler
 * that has already cleared EXL is not either; and a guest that took a
 * nested non-TLB exception in its handler shows that cause instead.
 *
 * Fix: while switching such a guest out, find the guest TLB entry that
 * matches its BadVAddr (tlbgp with the guest's EntryHi VPN2 := BadVAddr,
 * GuestCtl1.RID := its GuestID), read it (tlbgr) and keep it; before the
 * guest runs again, probe for it and, if it was evicted meanwhile, write
 * it back at its old index (tlbgwi).  The guest's TLB registers are
 * restored by vcpu_load after this, so the guest sees none of it.
 */
#include "hv.h"

#define EXC_IS_TLB(c)	(CAUSE_EXC(c) >= EXC_MOD && CAUSE_EXC(c) <= EXC_TLBS)

void preserve_on_put(struct vcpu *v)
{
	const struct guest_cp0 *c = &v->cp0;

	v->saved_tlb.valid = 0;
	if (v->state != VCPU_RUNNABLE || !(c->status & ST_EXL) || !EXC_IS_TLB(c->cause))
		return;
	v->stats.tlb_handler++;
	/* inject=no-preserve: the fix off whatever preserve= says. */
	if (!hv_args.preserve || HV_INJECTED(&hv_args, HV_INJECT_NO_PRESERVE))
		return;

	/* vcpu_put has saved the guest's TLB registers: use them freely. */
	guestctl1_tlb_ops(v);
	write_gc0(CP0_ENTRYHI, (c->badvaddr & 0xffffe000u) | (c->entryhi & 0xffu));
	tlbgp();
	uint32_t idx = read_gc0(CP0_INDEX);
	if (!(idx & INDEX_P)) {
		tlbgr();
		v->saved_tlb.index = idx;
		v->saved_tlb.entryhi = read_gc0(CP0_ENTRYHI);
		v->saved_tlb.entrylo0 = read_gc0(CP0_ENTRYLO0);
		v->saved_tlb.entrylo1 = read_gc0(CP0_ENTRYLO1);
		v->saved_tlb.pagemask = read_gc0(CP0_PAGEMASK);
		v->saved_tlb.valid = 1;
		v->stats.preserved++;
	}
	/* tlbgr set RID to the entry's GuestID: back to root's own. */
	guestctl1_run(v);
}

void preserve_on_load(struct vcpu *v)
{
	struct saved_tlb *s = &v->saved_tlb;

	if (!s->valid)
		return;
	s->valid = 0;
	guestctl1_tlb_ops(v);
	write_gc0(CP0_ENTRYHI, s->entryhi);
	tlbgp();
	if (read_gc0(CP0_INDEX) & INDEX_P) {
		/* Evicted while the guest was out: put it back.  Whatever
		 * now sits at that index belongs to some guest that will
		 * refill it, outside a critical section. */
		write_gc0(CP0_INDEX, s->index);
		write_gc0(CP0_ENTRYLO0, s->entrylo0);
		write_gc0(CP0_ENTRYLO1, s->entrylo1);
		write_gc0(CP0_PAGEMASK, s->pagemask);
		tlbgwi();
		v->stats.restored++;
	}
	guestctl1_run(v);
}
