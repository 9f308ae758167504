/*
 * vcpu.c: a guest's context and how it goes on and off the CPU.
 *
 * The core has one guest CP0 context, shared by every guest, so a world
 * switch saves the outgoing guest's guest-CP0 registers (MFGC0) and
 * writes the incoming guest's (MTGC0), as Linux's kvm_vz_vcpu_put and
 * kvm_vz_vcpu_load do.  Besides CP0 a guest owns:
 *   - its time: guest Count = root Count + GTOffset.  A guest's Count
 *     runs only while it runs: at put we note its Count, at load we pick
 *     the GTOffset that makes it continue from there, so a guest never
 *     sees time jump by the slices of the others;
 *   - its pending virtual interrupts (GuestCtl2.VIP), written after the
 *     guest Cause they show in;
 *   - its GuestID (GuestCtl1.ID), which tags its TLB entries.  The TLB is
 *     shared and tagged, so nothing is flushed on a switch: the other
 *     guests' entries simply do not match.  What may happen is that a
 *     guest's entries get evicted by another's tlbwr; a guest refills
 *     them itself, except inside a TLB critical section (preserve.c),
 *     and except its wired entries, below.
 *
 * Wired entries (guest indexes 0..Wired-1) are the ones a guest kernel
 * writes once and never refills: it relies on them staying.  Its own
 * tlbwr keeps off them, but another guest's does not (guest Random
 * counts from the running guest's Wired), nor does another guest's
 * tlbwi.  So, as Linux does (kvm_vz_save_guesttlb /
 * kvm_vz_load_guesttlb around vcpu_put / vcpu_load), vcpu_put reads them
 * (tlbgr) and vcpu_load writes back any that were evicted (tlbgwi).
 */
#include "hv.h"

void vcpu_init(struct vcpu *v, unsigned id, const struct guest_image *img)
{
	memset(v, 0, sizeof *v);
	v->id = id;
	v->image = img;
	v->state = VCPU_RUNNABLE;
	v->pc = GUEST_ENTRY;
	/* The guest kernel starts as after its own reset, but with ERL and
	 * BEV clear (kernel mode, its vectors at its EBase, 0x80000000) and
	 * a 4K PageMask. */
	v->cp0.status = 0;
	v->cp0.ebase = 0x80000000u;
	v->cp0.config0 = 3; /* K0 cacheable */
	v->cp0.intctl = 0xe0000000u;
	v->cp0.contextconfig = 0x007ffff0u;
	v->cp0.compare = 0xffffffffu;
	v->guest_count = 0;
}

/* Reads the guest's wired entries; guest Index, EntryHi, EntryLo0/1 and
 * PageMask are scratch here (vcpu_put saved them first). */
static void wired_save(struct vcpu *v)
{
	unsigned n = v->cp0.wired < HV_MAX_WIRED ? v->cp0.wired : HV_MAX_WIRED;

	v->nwired = n;
	for (unsigned i = 0; i < n; i++) {
		struct wired_tlb *t = &v->wired[i];
		write_gc0(CP0_INDEX, i);
		tlbgr();
		/* tlbgr sets GuestCtl1.RID to the entry's GuestID: an entry
		 * that is not this guest's (it wrote none there) is not kept. */
		t->valid = ((read_c0_guestctl1() >> 16) & 0xffu) == vcpu_guestid(v);
		t->entryhi = read_gc0(CP0_ENTRYHI);
		t->entrylo0 = read_gc0(CP0_ENTRYLO0);
		t->entrylo1 = read_gc0(CP0_ENTRYLO1);
		t->pagemask = read_gc0(CP0_PAGEMASK);
	}
	guestctl1_run(v);
}

/* Writes back the wired entries another guest evicted meanwhile.  An
 * evicted one cannot have a copy elsewhere in the TLB (which would make
 * tlbgwi a duplicate entry, a Machine Check): the guest never ran
 * without it, since this runs before it does. */
static void wired_load(struct vcpu *v)
{
	/* inject=wired-lost: nothing written back, as a hypervisor that
	 * assumes a guest's wired entries survive in a shared TLB would. */
	if (HV_INJECTED(&hv_args, HV_INJECT_WIRED_LOST))
		return;
	guestctl1_tlb_ops(v);
	for (unsigned i = 0; i < v->nwired; i++) {
		const struct wired_tlb *t = &v->wired[i];
		if (!t->valid)
			continue;
		write_gc0(CP0_ENTRYHI, t->entryhi);
		tlbgp();
		if (read_gc0(CP0_INDEX) == i)
			continue; /* still in place */
		write_gc0(CP0_INDEX, i);
		write_gc0(CP0_ENTRYLO0, t->entrylo0);
		write_gc0(CP0_ENTRYLO1, t->entrylo1);
		write_gc0(CP0_PAGEMASK, t->pagemask);
		tlbgwi();
		v->stats.wired_restored++;
	}
	guestctl1_run(v);
}

void vcpu_load(struct vcpu *v)
{
	struct guest_cp0 *c = &v->cp0;

	/* GuestID first: every guest TLB operation below is for this guest.
	 * The TLB entries go back before the guest's TLB registers, which
	 * they use as scratch. */
	guestctl1_run(v);
	wired_load(v);
	preserve_on_load(v);
	gpa_move_page(v);

	/* Config before what depends on it, then the TLB registers, then
	 * Status/Cause and what may raise interrupts last. */
	write_gc0(CP0_CONFIG, c->config0);
	/* inject=stale-index: left as the TLB restore above or the last
	 * guest left it. */
	if (!HV_INJECTED(&hv_args, HV_INJECT_STALE_INDEX))
		write_gc0(CP0_INDEX, c->index);
	write_gc0(CP0_ENTRYLO0, c->entrylo0);
	write_gc0(CP0_ENTRYLO1, c->entrylo1);
	write_gc0(CP0_CONTEXTCONFIG, c->contextconfig);
	write_gc0(CP0_CONTEXT, c->context);
	write_gc0(CP0_USERLOCAL, c->userlocal);
	write_gc0(CP0_PAGEMASK, c->pagemask);
	write_gc0(CP0_PAGEGRAIN, c->pagegrain);
	write_gc0(CP0_WIRED, c->wired);
	write_gc0(CP0_HWRENA, c->hwrena);
	/* BadVAddr, as Linux KVM restores it: a guest handler that runs
	 * after the switch reads its own fault address, not the last guest's. */
	/* inject=stale-*: the register left as the last guest or the TLB
	 * restore above (which uses it as scratch) left it, as a hypervisor
	 * that forgot it in its vcpu_load would. */
	if (!HV_INJECTED(&hv_args, HV_INJECT_STALE_BADVADDR))
		write_gc0(CP0_BADVADDR, c->badvaddr);
	if (!HV_INJECTED(&hv_args, HV_INJECT_STALE_ENTRYHI))
		write_gc0(CP0_ENTRYHI, c->entryhi);
	write_gc0(CP0_INTCTL, c->intctl);
	write_gc0(CP0_EPC, c->epc);
	write_gc0(CP0_EBASE, c->ebase);
	write_gc0(CP0_ERROREPC, c->errorepc);
	write_gc0(CP0_KSCRATCH1, c->kscratch[0]);
	write_gc0(CP0_KSCRATCH2, c->kscratch[1]);
	write_gc0(CP0_KSCRATCH3, c->kscratch[2]);
	write_gc0(CP0_KSCRATCH4, c->kscratch[3]);
	write_gc0(CP0_KSCRATCH5, c->kscratch[4]);
	write_gc0(CP0_KSCRATCH6, c->kscratch[5]);

	/* Time: continue the guest's Count where it stopped, then Compare
	 * (which also clears a stale guest Cause.TI).  Count moves on while
	 * this runs: a deadline it passed before Compare was written would
	 * only match 2^32 ticks later, so raise TI for it by hand, as KVM's
	 * kvm_vz_restore_timer does (found by the stress kernel, whose
	 * timer slices then never ended).  A match after the write raises TI
	 * itself; keep it when Cause is written back. */
	uint32_t now = read_c0_count();
	/* inject=gtoffset-lost: the guest's time not continued, its Count
	 * root's own (GTOffset 0): it jumps by the time the guest was out. */
	if (HV_INJECTED(&hv_args, HV_INJECT_GTOFFSET_LOST))
		v->guest_count = now;
	write_c0_gtoffset(v->guest_count - now);
	if (HV_INJECTED(&hv_args, HV_INJECT_TI_LOST)) {
		/* inject=ti-lost: restored in register order, Cause before
		 * Compare, whose write clears the TI just put back; and no
		 * TI for a deadline passed meanwhile. */
		write_gc0(CP0_STATUS, c->status);
		write_gc0(CP0_CAUSE, c->cause);
		write_gc0(CP0_COMPARE, c->compare);
	} else {
		write_gc0(CP0_COMPARE, c->compare);
		uint32_t ran = read_c0_count() - now;
		uint32_t due = c->compare - v->guest_count;
		uint32_t cause = c->cause | (read_gc0(CP0_CAUSE) & CAUSE_TI);
		if (due != 0 && due <= ran)
			cause |= CAUSE_TI;
		write_gc0(CP0_STATUS, c->status);
		write_gc0(CP0_CAUSE, cause);
	}
	write_c0_guestctl2(v->guestctl2);
	/* A doorbell that came due while the guest was out rings now. */
	irq_tick(v);
}

void vcpu_put(struct vcpu *v)
{
	struct guest_cp0 *c = &v->cp0;
	v->guest_count = read_c0_count() + read_c0_gtoffset();
	v->guestctl2 = irq_pending_at_put(read_c0_guestctl2());

	c->config0 = read_gc0(CP0_CONFIG);
	c->index = read_gc0(CP0_INDEX);
	c->entrylo0 = read_gc0(CP0_ENTRYLO0);
	c->entrylo1 = read_gc0(CP0_ENTRYLO1);
	c->context = read_gc0(CP0_CONTEXT);
	c->contextconfig = read_gc0(CP0_CONTEXTCONFIG);
	c->userlocal = read_gc0(CP0_USERLOCAL);
	c->pagemask = read_gc0(CP0_PAGEMASK);
	c->pagegrain = read_gc0(CP0_PAGEGRAIN);
	c->wired = read_gc0(CP0_WIRED);
	c->hwrena = read_gc0(CP0_HWRENA);
	c->badvaddr = read_gc0(CP0_BADVADDR);
	c->entryhi = read_gc0(CP0_ENTRYHI);
	c->compare = read_gc0(CP0_COMPARE);
	c->status = read_gc0(CP0_STATUS);
	c->intctl = read_gc0(CP0_INTCTL);
	c->cause = read_gc0(CP0_CAUSE);
	c->epc = read_gc0(CP0_EPC);
	c->ebase = read_gc0(CP0_EBASE);
	c->errorepc = read_gc0(CP0_ERROREPC);
	c->kscratch[0] = read_gc0(CP0_KSCRATCH1);
	c->kscratch[1] = read_gc0(CP0_KSCRATCH2);
	c->kscratch[2] = read_gc0(CP0_KSCRATCH3);
	c->kscratch[3] = read_gc0(CP0_KSCRATCH4);
	c->kscratch[4] = read_gc0(CP0_KSCRATCH5);
	c->kscratch[5] = read_gc0(CP0_KSCRATCH6);

	/* With the registers saved, the TLB ones are scratch. */
	wired_save(v);
	preserve_on_put(v);
}

static const char *const gpr_names[32] = {
	"zero", "at", "v0", "v1", "a0", "a1", "a2", "a3",
	"t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7",
	"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7",
	"t8", "t9", "k0", "k1", "gp", "sp", "fp", "ra",
};

/* The register report of a stopped guest: lines start with "hv:   " so
 * tests can tell them from the one-line reason. */
void vcpu_dump(const struct vcpu *v)
{
	hv_printf("hv:   g%u pc=%x status=%x cause=%x epc=%x badvaddr=%x\n",
		  v->id, v->pc, read_gc0(CP0_STATUS), read_gc0(CP0_CAUSE),
		  read_gc0(CP0_EPC), read_gc0(CP0_BADVADDR));
	for (unsigned r = 0; r < 32; r += 4)
		hv_printf("hv:   %s=%x %s=%x %s=%x %s=%x\n",
			  gpr_names[r], v->gpr[r], gpr_names[r + 1], v->gpr[r + 1],
			  gpr_names[r + 2], v->gpr[r + 2], gpr_names[r + 3], v->gpr[r + 3]);
}

/* Stops a guest for good (called while it is the loaded vcpu). */
void vcpu_stop(struct vcpu *v, const char *why)
{
	guest_console_flush(v);
	hv_printf("hv: g%u stopped: %s\n", v->id, why);
	v->state = VCPU_STOPPED;
	status_stopped(v, 0, 1);
}
