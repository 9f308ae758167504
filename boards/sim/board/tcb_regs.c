/*
 * The TCB's registers, as a debugger reaches them through the EJTAG TAP
 * (vzsim.h, vzsim_tcb_read/write).  Layouts: docs/pdtrace.md ("The TCB"),
 * after the EJTAG specification (MD00047) and the PDtrace specification
 * (MD00439); the trace controls themselves live in the trace unit (the
 * debugger side of cpu/trace.h) in TraceControl layout, so TCBControlA and C
 * are converted on the way in and out.
 */
#include "board.h"

/* TCBControlA bits that differ in place from TraceControl's. */
#define A_LOW   0x1fffu          /* On TIM TLSM TFCR G ASID: same places */
#define A_U     (1u << 13)
#define A_K     (1u << 14)
#define A_S     (1u << 15)
#define A_E     (1u << 16)
#define A_D     (1u << 17)
#define A_IO    (1u << 18)
#define A_TB    (1u << 19)
#define A_SYP_SHIFT 20
#define A_VMODES (2u << 24)      /* PC, addresses and data */

#define B_EN    (1u << 0)
#define B_TM_SHIFT 12
#define B_BF    (1u << 14)
#define B_TR    (1u << 15)
#define B_RM    (1u << 16)
#define B_REG_SHIFT 21
#define B_REG   (0x1fu << B_REG_SHIFT)
#define B_WE    (1u << 31)

#define C_MODE_SHIFT 23
#define E_TRIDLE (1u << 8)

/* Pairs of (TCBControlA bit, TraceControl bit). */
static const uint32_t a_bits[][2] = {
	{A_U, TRC_U}, {A_K, TRC_K}, {A_S, TRC_S}, {A_E, TRC_E},
	{A_D, TRC_D}, {A_IO, TRC_IO}, {A_TB, TRC_TB},
};

static uint32_t control_a(const struct trace_unit *t)
{
	uint32_t a = (t->tcb_control & A_LOW) | A_VMODES |
		     ((t->tcb_control2 & 7u) << A_SYP_SHIFT);
	for (size_t i = 0; i < sizeof a_bits / sizeof a_bits[0]; i++)
		if (t->tcb_control & a_bits[i][1])
			a |= a_bits[i][0];
	return a;
}

static void set_control_a(struct cpu *cpu, uint32_t a)
{
	uint32_t c = a & A_LOW;
	for (size_t i = 0; i < sizeof a_bits / sizeof a_bits[0]; i++)
		if (a & a_bits[i][0])
			c |= a_bits[i][1];
	uint32_t c2 = (cpu->trace.tcb_control2 & ~7u) | ((a >> A_SYP_SHIFT) & 7u);
	trace_set_debugger_controls(cpu, c, c2);
}

int vzsim_tcb_read(vzsim *sim, enum vzsim_tcb_reg reg, uint64_t *value)
{
	struct tcb *t = &sim->tcb;
	const struct trace_unit *tu = &sim->cpu->trace;
	switch (reg) {
	case VZSIM_TCB_CONTROLA:
		*value = control_a(tu);
		return 0;
	case VZSIM_TCB_CONTROLB:
		*value = (t->enabled ? B_EN : 0) |
			 ((uint32_t)t->trace_from << B_TM_SHIFT) |
			 (t->wrapped ? B_BF : 0) | (t->read_mode ? B_RM : 0) |
			 (t->reg_sel << B_REG_SHIFT);
		return 0;
	case VZSIM_TCB_CONTROLC:
		*value = ((tu->tcb_control2 >> 7) & 0x1fu) << C_MODE_SHIFT;
		return 0;
	case VZSIM_TCB_CONTROLE:
		*value = t->control_e | E_TRIDLE; /* words are stored at once */
		return 0;
	case VZSIM_TCB_CONFIG:
		/* SZ, on-chip (OnT) and off-chip (OfT) trace, REV 7. */
		*value = ((uint32_t)tcb_sz(t) << 17) | (1u << 5) | (1u << 4) | 7u;
		return 0;
	case VZSIM_TCB_TW:
		*value = t->mem[(t->rdp / 8) % t->nwords];
		t->rdp = (t->rdp + 8) % (t->nwords * 8u);
		return 0;
	case VZSIM_TCB_RDP:
		*value = t->rdp;
		return 0;
	case VZSIM_TCB_WRP:
		/* A halted core's trace unit drains into the memory before a
		 * debugger learns how far it goes: what the core ran up to the
		 * halt is all there, in whole words (the rest of the last one
		 * padding, which decoders skip). */
		if (sim->cpu->ejtag.dm)
			trace_flush(sim->cpu);
		*value = t->wrp * 8u;
		return 0;
	case VZSIM_TCB_STP:
		*value = 0;
		return 0;
	}
	return -1;
}

int vzsim_tcb_write(vzsim *sim, enum vzsim_tcb_reg reg, uint64_t value)
{
	struct tcb *t = &sim->tcb;
	uint32_t v = (uint32_t)value;
	switch (reg) {
	case VZSIM_TCB_CONTROLA:
		set_control_a(sim->cpu, v);
		return 0;
	case VZSIM_TCB_CONTROLB:
		if (!(v & B_WE))
			return 0; /* WE gates every update */
		if (v & B_TR)
			tcb_reset(t);
		t->enabled = v & B_EN;
		t->trace_from = ((v >> B_TM_SHIFT) & 3u) == 1;
		t->read_mode = v & B_RM;
		t->reg_sel = (v & B_REG) >> B_REG_SHIFT;
		return 0;
	case VZSIM_TCB_CONTROLC: {
		struct trace_unit *tu = &sim->cpu->trace;
		uint32_t c2 = (tu->tcb_control2 & ~(0x1fu << 7)) |
			      (((v >> C_MODE_SHIFT) & 0x1fu) << 7);
		trace_set_debugger_controls(sim->cpu, tu->tcb_control, c2);
		return 0;
	}
	case VZSIM_TCB_CONTROLE:
		t->control_e = v & ~E_TRIDLE;
		return 0;
	case VZSIM_TCB_RDP:
		t->rdp = (uint32_t)(value % (t->nwords * 8u)) & ~7u;
		return 0;
	case VZSIM_TCB_WRP:
		t->wrp = (uint32_t)(value / 8 % t->nwords);
		return 0;
	case VZSIM_TCB_CONFIG:
	case VZSIM_TCB_TW:
	case VZSIM_TCB_STP:
		return -1; /* read-only */
	}
	return -1;
}
