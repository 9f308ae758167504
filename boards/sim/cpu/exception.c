/*
 * Taking exceptions and interrupts, and returning from them (eret), for
 * root and, in guest mode (VZ), for the guest's own context.
 *
 * Vectors: with Status.BEV the base is 0xBFC00200, else EBase[31:12].  A TLB
 * refill taken with EXL clear goes to base+0x000, an interrupt with Cause.IV
 * set to base+0x200 (plus the vector spacing times the interrupt number when
 * IntCtl.VS is non-zero), everything else to base+0x180.  EPC and Cause.BD
 * are written only when EXL was clear, so a nested exception keeps the
 * first EPC.
 *
 * In guest mode an exception goes to the guest (guest CP0, guest vectors,
 * the CPU stays in guest mode) unless it is root's: guest exits, faults of
 * the second translation stage, bus errors and root interrupts set root's
 * EXL, which leaves guest mode.
 */
#include "cpu.h"

static void enter_vector(struct cpu *cpu, struct cp0 *c, unsigned code,
			 uint32_t offset)
{
	if (cpu->ejtag.dm) {
		ejtag_dm_exception(cpu, code);
		return;
	}
	if (!(c->status & ST_EXL)) {
		if (cpu->in_ds) {
			c->epc = cpu->pc - 4;
			c->cause |= CAUSE_BD;
		} else {
			c->epc = cpu->pc;
			c->cause &= ~CAUSE_BD;
		}
	} else if (offset == 0x000) {
		offset = 0x180; /* refill with EXL set: general vector */
	}
	c->cause = (c->cause & ~(0x1fu << CAUSE_EXC_SHIFT)) | (code << CAUSE_EXC_SHIFT);
	c->status |= ST_EXL;
	uint32_t base = (c->status & ST_BEV) ? 0xbfc00200u : (c->ebase & 0xfffff000u);
	cpu->pc = base + offset;
	if (cpu->trace.have_ctx)
		trace_exception(cpu, code, c == &cpu->cp0, cpu->pc);
	cpu->npc = cpu->pc + 4;
	cpu->in_ds = false;
	cpu->cur_exc = (int)code;
	if (c == &cpu->gcp0) {
		cpu->stats.guest_exceptions[code & 31]++;
	} else {
		cpu->cur_exc_root = cpu->guest;
		cpu->stats.exceptions[code & 31]++;
	}
	cpu_status_changed(cpu);
}

/* BadInstr/BadInstrP: the faulting instruction and, in a delay slot, the
 * branch before it (not for faults of the fetch itself). */
static void record_instruction(struct cpu *cpu, struct cp0 *c)
{
	if (cpu->fetching || !cpu->fetch_page)
		return;
	/* The fetch page is still the faulting instruction's: nothing flushes
	 * it between an instruction's start and the exception it raises. */
	uint32_t off = cpu->pc - cpu->fetch_vbase;
	if (off >= 4096)
		return;
	c->badinstr = cpu->fetch_page[off >> 2].word;
	if (cpu->in_ds)
		c->badinstrp = cpu->branch_word;
}

static void deliver(struct cpu *cpu, struct cp0 *c, unsigned code, bool refill)
{
	if (code != EXC_INT && code != EXC_IBE)
		record_instruction(cpu, c);
	if (code != EXC_CPU)
		c->cause &= ~(3u << CAUSE_CE_SHIFT);
	enter_vector(cpu, c, code, refill ? 0x000 : 0x180);
}

void cpu_exception(struct cpu *cpu, unsigned code, bool refill)
{
	bool to_root = !cpu->guest || code == EXC_IBE || code == EXC_DBE;
	deliver(cpu, to_root ? &cpu->cp0 : &cpu->gcp0, code, refill);
}

void cpu_root_exception(struct cpu *cpu, unsigned code, bool refill)
{
	deliver(cpu, &cpu->cp0, code, refill);
}

void cpu_guest_exit(struct cpu *cpu, enum mips_gexc gexc)
{
	cpu->guestctl0 = (cpu->guestctl0 & ~(0x1fu << GC0_GEXC_SHIFT)) |
			 ((uint32_t)gexc << GC0_GEXC_SHIFT);
	cpu->stats.guest_exits[gexc & 31]++;
	deliver(cpu, &cpu->cp0, EXC_GE, false);
}

void cpu_exception_cpu(struct cpu *cpu, unsigned ce)
{
	struct cp0 *c = cpu_ctx(cpu);
	c->cause = (c->cause & ~(3u << CAUSE_CE_SHIFT)) | ((ce & 3u) << CAUSE_CE_SHIFT);
	record_instruction(cpu, c);
	enter_vector(cpu, c, EXC_CPU, 0x180);
}

void cpu_address_error(struct cpu *cpu, unsigned code, uint32_t vaddr)
{
	cpu_ctx(cpu)->badvaddr = vaddr;
	cpu_exception(cpu, code, false);
}

/* ------------------------------------------------------------ interrupts */

/* Cause.IP lines that are pending and unmasked by Status.IM. */
static uint32_t pending_lines(const struct cp0 *c, uint32_t cause)
{
	return (cause >> CAUSE_IP_SHIFT) & 0xffu & ((c->status & ST_IM) >> 8);
}

bool cpu_interrupt_pending(const struct cpu *cpu)
{
	return pending_lines(&cpu->cp0, cpu_cause(cpu)) != 0;
}

static bool take_interrupt(struct cpu *cpu, struct cp0 *c, uint32_t lines)
{
	uint32_t s = c->status;
	if (!(s & ST_IE) || (s & (ST_EXL | ST_ERL)) || !lines)
		return false;
	uint32_t offset = 0x180;
	if (c->cause & CAUSE_IV) {
		offset = 0x200;
		uint32_t vs = (c->intctl >> 5) & 0x1fu;
		if (vs && !(s & ST_BEV)) {
			unsigned n = 31 - (unsigned)__builtin_clz(lines); /* IP7 first */
			offset += n * (vs << 5);
		}
	}
	c->cause &= ~(3u << CAUSE_CE_SHIFT);
	if (c == &cpu->cp0)
		cpu->stats.interrupts++;
	cpu->waiting = false;
	enter_vector(cpu, c, EXC_INT, offset);
	return true;
}

bool cpu_check_interrupts(struct cpu *cpu)
{
	/* None in debug mode, nor while the debugger masks them (DCR.IntE,
	 * cleared while it single-steps). */
	if (cpu->ejtag.dm || !(cpu->ejtag.dcr & DCR_INTE))
		return false;
	/* Root's interrupts come first, and are taken even in guest mode. */
	if (take_interrupt(cpu, &cpu->cp0, pending_lines(&cpu->cp0, cpu_cause(cpu))))
		return true;
	if (cpu->guest)
		return take_interrupt(cpu, &cpu->gcp0,
				      pending_lines(&cpu->gcp0, gcpu_cause(cpu)));
	return false;
}

void cpu_eret(struct cpu *cpu, bool clear_ll)
{
	struct cp0 *c = cpu_ctx(cpu);
	if (c->status & ST_ERL) {
		cpu->pc = c->errorepc;
		c->status &= ~ST_ERL;
	} else {
		cpu->pc = c->epc;
		c->status &= ~ST_EXL;
	}
	cpu->npc = cpu->pc + 4;
	cpu->in_ds = false;
	if (clear_ll)
		cpu->llbit = false;
	cpu_status_changed(cpu);
}
