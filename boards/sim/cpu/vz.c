/*
 * The Virtualization ASE's CP0 side: root's VZ registers (GuestCtl0,
 * GuestCtl0Ext, GuestCtl1, GuestCtl2, GTOffset), the guest-mode predicate,
 * and the rules for guest CP0 accesses: which ones the guest may make
 * itself and which exit to root (GPSI, GSFC).  docs/vzsim.md ("VZ") lists
 * the choices.
 */
#include "cp0_ctx.h"

/* GuestCtl0: AT = 3 (guest MMU under guest control); G1, G0E, G2 present;
 * RAD = 0 (GuestID mode); no DRG, no PIP. */
#define GC0_FIXED   ((3u << 26) | (1u << 22) | (1u << 19) | (1u << 7))
#define GC0_WMASK   (GC0_GM | GC0_RI | GC0_MC | GC0_CP0 | GC0_GT | GC0_CG | GC0_CF)
#define GC0EXT_WMASK (GC0EXT_CGI | GC0EXT_FCD)
#define GC1_WMASK   0xffff00ffu /* EID, RID, ID */
#define GC2_WMASK   ((0x3fu << 24) | (0x3fu << 10)) /* HC, VIP */

/* Guest Status/Cause fields root controls: changing them is a GSFC exit. */
#define SFC_STATUS  ((1u << 29) | (1u << 30) | (1u << 26) | (1u << 24) | (1u << 25))
#define SFC_CAUSE   CAUSE_DC

void vz_reset(struct cpu *cpu)
{
	cpu->guestctl0 = cpu->vz_enabled ? GC0_FIXED : 0;
	cpu->guestctl0ext = 0;
	cpu->guestctl1 = 0;
	cpu->guestctl2 = 0;
	cpu->gtoffset = 0;
	cpu->guest = false;
	cpu->gcp0.config[3] &= ~(1u << 23); /* the guest sees no VZ */
	if (!cpu->vz_enabled)
		cpu->cp0.config[3] &= ~(1u << 23);
}

bool vz_root_read(struct cpu *cpu, unsigned reg, unsigned sel, uint32_t *val)
{
	if (!cpu->vz_enabled)
		return false;
	switch (reg << 3 | sel) {
	case 12 << 3 | 6: *val = cpu->guestctl0; return true;
	case 11 << 3 | 4: *val = cpu->guestctl0ext; return true;
	case 10 << 3 | 4: *val = cpu->guestctl1; return true;
	case 10 << 3 | 5: *val = cpu->guestctl2; return true;
	case 12 << 3 | 7: *val = cpu->gtoffset; return true;
	default: return false;
	}
}

bool vz_root_write(struct cpu *cpu, unsigned reg, unsigned sel, uint32_t v)
{
	if (!cpu->vz_enabled)
		return false;
	switch (reg << 3 | sel) {
	case 12 << 3 | 6:
		cpu->guestctl0 = (cpu->guestctl0 & ~GC0_WMASK) | (v & GC0_WMASK);
		cpu_status_changed(cpu);
		return true;
	case 11 << 3 | 4:
		cpu->guestctl0ext = v & GC0EXT_WMASK;
		return true;
	case 10 << 3 | 4: {
		uint32_t old = cpu->guestctl1;
		cpu->guestctl1 = v & GC1_WMASK;
		if ((old ^ cpu->guestctl1) & 0xffu) {
			/* guest translations belong to one GuestID */
			softtlb_guest_context(cpu);
			if (trace_on(&cpu->trace))
				trace_refilter(cpu);
		}
		return true;
	}
	case 10 << 3 | 5:
		cpu->guestctl2 = v & GC2_WMASK;
		cpu->next_event = cpu->icount; /* virtual interrupts may be due */
		return true;
	case 12 << 3 | 7:
		cpu->gtoffset = v;
		timer_reschedule_which(cpu, false, true);
		return true;
	default:
		return false;
	}
}

/* ------------------------------------------------------------ guest mode */

void cpu_status_changed(struct cpu *cpu)
{
	bool guest = (cpu->guestctl0 & GC0_GM) &&
		     !(cpu->cp0.status & (ST_EXL | ST_ERL)) && !cpu->ejtag.dm;
	if (guest != cpu->guest) {
		if (guest) {
			cpu->guest_since = cpu->icount;
		} else {
			cpu->stats.guest_insns[cpu_guestid(cpu)] +=
				cpu->icount - cpu->guest_since;
		}
		cpu->guest = guest;
	}
	uint32_t s = cpu_ctx(cpu)->status;
	enum mmu_class cls;
	if (s & ST_ERL)
		cls = MMU_KERNEL_ERL;
	else if ((s & ST_EXL) || (s & ST_KSU) == 0 || cpu->ejtag.dm)
		cls = MMU_KERNEL;
	else if ((s & ST_KSU) == (1u << 3))
		cls = MMU_SUPERVISOR;
	else
		cls = MMU_USER;
	if (guest)
		cls += MMU_GUEST;
	if (cls != cpu->mclass) {
		cpu->mclass = cls;
		mmu_flush_fetch(cpu);
	}
	cpu->stlb_key = guest ? cpu->guest_key : 0;
	/* Interrupt enables may have changed: look at pending interrupts. */
	cpu->next_event = cpu->icount;
	if (trace_on(&cpu->trace))
		trace_refilter(cpu);
}

/* ------------------------------------------------------------ guest CP0 */

/* Registers a guest context has; others are emulated by root (GPSI).  A
 * table: guest kernels read CP0 every few dozen instructions. */
static const bool guest_regs[32 << 3] = {
	[0 << 3 | 0] = true, [1 << 3 | 0] = true, [2 << 3 | 0] = true,
	[3 << 3 | 0] = true, [4 << 3 | 0] = true, [4 << 3 | 1] = true,
	[4 << 3 | 2] = true, [5 << 3 | 0] = true, [5 << 3 | 1] = true,
	[6 << 3 | 0] = true, [7 << 3 | 0] = true, [8 << 3 | 0] = true,
	[8 << 3 | 1] = true, [8 << 3 | 2] = true, [9 << 3 | 0] = true,
	[10 << 3 | 0] = true, [11 << 3 | 0] = true, [12 << 3 | 0] = true,
	[12 << 3 | 1] = true, [12 << 3 | 2] = true, [13 << 3 | 0] = true,
	[14 << 3 | 0] = true, [15 << 3 | 0] = true, [15 << 3 | 1] = true,
	[16 << 3 | 0] = true, [16 << 3 | 1] = true, [16 << 3 | 2] = true,
	[16 << 3 | 3] = true, [16 << 3 | 4] = true, [16 << 3 | 5] = true,
	[17 << 3 | 0] = true, [28 << 3 | 0] = true, [28 << 3 | 1] = true,
	[29 << 3 | 0] = true, [29 << 3 | 1] = true, [30 << 3 | 0] = true,
	[31 << 3 | 2] = true, [31 << 3 | 3] = true, [31 << 3 | 4] = true,
	[31 << 3 | 5] = true, [31 << 3 | 6] = true, [31 << 3 | 7] = true,
};

static inline bool guest_has(unsigned reg, unsigned sel)
{
	return guest_regs[(reg << 3 | sel) & 0xffu];
}

/* Count and Compare: a guest's own only under GuestCtl0.GT. */
static inline bool timer_reg(unsigned reg, unsigned sel)
{
	return (reg == 9 || reg == 11) && sel == 0;
}

int gcp0_plain_offset(unsigned reg, unsigned sel)
{
	if (!guest_has(reg, sel) || timer_reg(reg, sel))
		return -1;
	return cp0_plain_offset(reg, sel);
}

enum gcp0_result gcp0_read(struct cpu *cpu, unsigned reg, unsigned sel,
			   uint32_t *val, bool from_root)
{
	*val = 0;
	if (!guest_has(reg, sel))
		return from_root ? GCP0_ABSENT : GCP0_GPSI;
	if (!from_root && timer_reg(reg, sel) && !(cpu->guestctl0 & GC0_GT))
		return GCP0_GPSI; /* the timer is root's unless GT */
	return ctx_read(cpu, &cpu->gcp0, true, reg, sel, val);
}

/*
 * Root restores a guest context it saved (vcpu_load): fields the guest
 * cannot write itself but hardware sets on guest exceptions must be
 * writable through MTGC0, or one guest would read another's BadVAddr and
 * Cause on the shared guest context (Linux KVM restores them the same way).
 */
static bool root_restore(struct cpu *cpu, struct cp0 *g, unsigned reg,
			 unsigned sel, uint32_t v)
{
	switch (reg << 3 | sel) {
	case 8 << 3 | 0: g->badvaddr = v; return true;
	case 8 << 3 | 1: g->badinstr = v; return true;
	case 8 << 3 | 2: g->badinstrp = v; return true;
	case 17 << 3 | 0: g->lladdr = v; return true;
	case 4 << 3 | 0:
		/* Context whole, BadVPN2 included: a guest's TLB refill
		 * handler indexes its page table with it (Linux's
		 * build_get_ptep), so after a switch it must not see the
		 * last guest's (found by the stress guest under sched=aim). */
		g->context = v;
		return true;
	case 0 << 3 | 0:
		g->index = v & (INDEX_P | index_mask(cpu->guest_entries));
		return true;
	case 13 << 3 | 0:
		/* BD, TI, CE, DC, IV, IP1..0, ExcCode: the whole guest-visible
		 * state but the interrupt lines, which come from GuestCtl2. */
		g->cause = v & (CAUSE_BD | CAUSE_TI | (3u << CAUSE_CE_SHIFT) |
				CAUSE_DC | CAUSE_IV | (3u << CAUSE_IP_SHIFT) |
				(0x1fu << CAUSE_EXC_SHIFT));
		cpu->next_event = cpu->icount;
		return true;
	default:
		return false;
	}
}

enum gcp0_result gcp0_write(struct cpu *cpu, unsigned reg, unsigned sel,
			    uint32_t val, bool from_root)
{
	struct cp0 *g = &cpu->gcp0;
	if (!guest_has(reg, sel))
		return from_root ? GCP0_ABSENT : GCP0_GPSI;
	if (from_root && root_restore(cpu, g, reg, sel, val))
		return GCP0_OK;
	if (!from_root) {
		if (reg == 9 && sel == 0)
			return GCP0_GPSI; /* Count: root emulates every write */
		if (reg == 11 && sel == 0 && !(cpu->guestctl0 & GC0_GT))
			return GCP0_GPSI;
		if (reg == 17 && sel == 0)
			return GCP0_GPSI; /* LLAddr */
		uint32_t sfc = 0;
		if (reg == 12 && sel == 0)
			sfc = (val ^ g->status) & SFC_STATUS;
		else if (reg == 13 && sel == 0)
			sfc = (val ^ g->cause) & SFC_CAUSE;
		if (sfc) {
			if (!(cpu->guestctl0ext & GC0EXT_FCD))
				return GCP0_GSFC;
			val ^= sfc; /* FCD: drop the change, do the rest */
		}
	}
	return ctx_write(cpu, g, true, reg, sel, val);
}
