/*
 * Taking exceptions and interrupts, and returning from them (eret).
 *
 * Vectors: with Status.BEV the base is 0xBFC00200, else EBase[31:12].  A TLB
 * refill taken with EXL clear goes to base+0x000, an interrupt with Cause.IV
 * set to base+0x200 (plus the vector spacing times the interrupt number when
 * IntCtl.VS is non-zero), everything else to base+0x180.  EPC and Cause.BD
 * are written only when EXL was clear, so a nested exception keeps the
 * first EPC.
 */
#include "cpu.h"

static void enter_vector(struct cpu *cpu, unsigned code, uint32_t offset)
{
	struct cp0 *c = &cpu->cp0;
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
	cpu->npc = cpu->pc + 4;
	cpu->in_ds = false;
	cpu->cur_exc = (int)code;
	cpu->stats.exceptions[code & 31]++;
	cpu_status_changed(cpu);
}

/* BadInstr/BadInstrP: the faulting instruction and, in a delay slot, the
 * branch before it (not for faults of the fetch itself). */
static void record_instruction(struct cpu *cpu)
{
	if (cpu->fetching || !cpu->fetch_page)
		return;
	/* The fetch page is still the faulting instruction's: nothing flushes
	 * it between an instruction's start and the exception it raises. */
	uint32_t off = cpu->pc - cpu->fetch_vbase;
	if (off >= 4096)
		return;
	cpu->cp0.badinstr = cpu->fetch_page[off >> 2].word;
	if (cpu->in_ds) {
		cpu->cp0.badinstrp = cpu->branch_word;
	}
}

void cpu_exception(struct cpu *cpu, unsigned code, bool refill)
{
	if (code != EXC_INT && code != EXC_IBE)
		record_instruction(cpu);
	if (code != EXC_CPU)
		cpu->cp0.cause &= ~(3u << CAUSE_CE_SHIFT);
	enter_vector(cpu, code, refill ? 0x000 : 0x180);
}

void cpu_exception_cpu(struct cpu *cpu, unsigned ce)
{
	cpu->cp0.cause = (cpu->cp0.cause & ~(3u << CAUSE_CE_SHIFT)) |
			 ((ce & 3u) << CAUSE_CE_SHIFT);
	record_instruction(cpu);
	enter_vector(cpu, EXC_CPU, 0x180);
}

void cpu_address_error(struct cpu *cpu, unsigned code, uint32_t vaddr)
{
	cpu->cp0.badvaddr = vaddr;
	cpu_exception(cpu, code, false);
}

/* Cause.IP lines that are pending and unmasked by Status.IM. */
static uint32_t pending_lines(const struct cpu *cpu)
{
	uint32_t ip = (cpu_cause(cpu) >> CAUSE_IP_SHIFT) & 0xffu;
	return ip & ((cpu->cp0.status & ST_IM) >> 8);
}

bool cpu_interrupt_pending(const struct cpu *cpu)
{
	return pending_lines(cpu) != 0;
}

bool cpu_check_interrupts(struct cpu *cpu)
{
	uint32_t s = cpu->cp0.status;
	if (!(s & ST_IE) || (s & (ST_EXL | ST_ERL)))
		return false;
	uint32_t lines = pending_lines(cpu);
	if (!lines)
		return false;
	uint32_t offset = 0x180;
	if (cpu->cp0.cause & CAUSE_IV) {
		offset = 0x200;
		uint32_t vs = (cpu->cp0.intctl >> 5) & 0x1fu;
		if (vs && !(s & ST_BEV)) {
			unsigned n = 31 - (unsigned)__builtin_clz(lines); /* IP7 first */
			offset += n * (vs << 5);
		}
	}
	cpu->cp0.cause &= ~(3u << CAUSE_CE_SHIFT);
	cpu->stats.interrupts++;
	cpu->waiting = false;
	enter_vector(cpu, EXC_INT, offset);
	return true;
}

void cpu_eret(struct cpu *cpu, bool clear_ll)
{
	struct cp0 *c = &cpu->cp0;
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
