/*
 * The board's EJTAG port (ejtag_port.h): what the TAP's instructions reach.
 *
 * Timing: everything a probe's scan causes happens at its Update-DR, before
 * the next Capture-DR: a debug interrupt (EjtagBrk) is taken at once, and
 * once the probe finishes a processor access (PrAcc written 0, or a
 * FASTDATA scan) the core runs its debug-mode code until it waits on the
 * next access or leaves debug mode.  So the probe always finds the core
 * where the last scan left it, however fast it polls, and a sequence of
 * scans always has the same effect.
 */
#include "board.h"

#include <string.h>

/* IMPCODE: EJTAG 5.x (EJTAGver 5), DINT supported, 8-bit ASIDs, no DMA
 * access (NoDMA), MIPS32, no MIPS16. */
#define IMPCODE_EJTAG5 ((5u << 29) | (1u << 24) | (2u << 21) | (1u << 14))

/* TCBControlB.REG values (what TCBDATA reaches). */
#define TCB_REG_CONFIG 0u
#define TCB_REG_TW     4u
#define TCB_REG_RDP    5u
#define TCB_REG_WRP    6u
#define TCB_REG_STP    7u

/* FASTDATA's area of dmseg. */
#define FASTDATA_BASE 0xff200000u
#define FASTDATA_SIZE 16u

/* Debug-mode instructions one probe action may run: a debug program
 * stalls on its next fetch long before this. */
#define PORT_DEBUG_STEPS 100000u

bool ejtag_port_held(const struct vzsim *sim)
{
	return sim->port.srst || sim->port.prrst;
}

/* The core runs its debug-mode code up to the next processor access; a
 * single step armed by deret runs its instruction (and a delay slot) and
 * is back in debug mode before the probe looks again. */
static void run_debug(struct vzsim *sim)
{
	struct cpu *cpu = sim->cpu;
	if (ejtag_port_held(sim))
		return;
	if (cpu->ejtag.dm)
		cpu_run_debug(cpu, PORT_DEBUG_STEPS);
	if (!cpu->ejtag.dm && cpu->ejtag.step) {
		cpu_run(cpu, 2);
		if (cpu->ejtag.dm)
			cpu_run_debug(cpu, PORT_DEBUG_STEPS);
	}
}

/* A debug interrupt at the instruction boundary the core is at. */
static void debug_interrupt(struct vzsim *sim)
{
	struct cpu *cpu = sim->cpu;
	sim->port.brk = false;
	if (!cpu->ejtag.dm)
		ejtag_enter(cpu, DEBUG_DINT);
	run_debug(sim);
}

/* The core out of reset: at the reset vector, and in debug mode at once
 * when the probe asked for an EJTAG boot (ProbEn, ProbTrap and EjtagBrk
 * take the EJTAGBOOT indication at reset). */
static void core_reset(struct vzsim *sim)
{
	struct ejtag_port *p = &sim->port;
	struct cpu *cpu = sim->cpu;
	cpu_reset(cpu, BOARD_RESET_VECTOR);
	p->rocc = true;
	/* EjtagBrk too: a request made during the reset does not outlive it. */
	p->brk = false;
	cpu->ejtag.prob_en = cpu->ejtag.prob_trap = p->boot;
	if (p->boot)
		debug_interrupt(sim);
}

static void set_held(struct vzsim *sim, bool prrst, bool srst)
{
	struct ejtag_port *p = &sim->port;
	bool was = ejtag_port_held(sim);
	p->prrst = prrst;
	p->srst = srst;
	if (was && !ejtag_port_held(sim))
		core_reset(sim);
	else if (!was && ejtag_port_held(sim))
		p->rocc = true;
}

void ejtag_port_reset_lines(struct vzsim *sim, bool trst, bool srst)
{
	if (trst)
		tap_reset(&sim->tap);
	set_held(sim, sim->port.prrst, srst);
}

/* ------------------------------------------------------------ ECR */

static uint32_t ecr_read(struct vzsim *sim)
{
	const struct ejtag_port *p = &sim->port;
	const struct ejtag *e = &sim->cpu->ejtag;
	uint32_t v = (p->rocc ? ECR_ROCC : 0) | (p->perrst ? ECR_PERRST : 0) |
		     (p->prrst ? ECR_PRRST : 0) | (e->prob_en ? ECR_PROBEN : 0) |
		     (e->prob_trap ? ECR_PROBTRAP : 0) | (p->brk ? ECR_EJTAGBRK : 0) |
		     (e->dm ? ECR_DM : 0);
	if (e->pa.pending) {
		unsigned psz = e->pa.size == 1 ? 0 : e->pa.size == 2 ? 1 : 2;
		v |= ECR_PRACC | ((uint32_t)psz << ECR_PSZ_SHIFT) |
		     (e->pa.kind == PRACC_STORE ? ECR_PRNW : 0);
	}
	return v;
}

/* The probe finishes the pending access with DATA (a fetch's or load's). */
static void finish_access(struct vzsim *sim)
{
	struct cpu *cpu = sim->cpu;
	if (!cpu->ejtag.pa.pending)
		return;
	ejtag_pracc_finish(cpu, sim->port.data);
	run_debug(sim);
}

static void ecr_write(struct vzsim *sim, uint32_t v)
{
	struct ejtag_port *p = &sim->port;
	struct cpu *cpu = sim->cpu;
	/* Until the probe has seen the reset (written Rocc 0), a write that
	 * keeps Rocc set changes nothing at all. */
	if (p->rocc && (v & ECR_ROCC))
		return;
	if (!(v & ECR_ROCC))
		p->rocc = false;
	cpu->ejtag.prob_en = v & ECR_PROBEN;
	cpu->ejtag.prob_trap = v & ECR_PROBTRAP;
	p->perrst = v & ECR_PERRST;
	set_held(sim, v & ECR_PRRST, p->srst);
	if (!(v & ECR_PRACC))
		finish_access(sim);
	if (v & ECR_EJTAGBRK) {
		if (ejtag_port_held(sim))
			p->brk = true; /* read until the reset ends */
		else
			debug_interrupt(sim);
	}
}

/* ------------------------------------------------------------ TCB */

static bool tcb_reg_of(uint32_t ir, enum vzsim_tcb_reg *r)
{
	switch (ir) {
	case EJTAG_TCBCONTROLA: *r = VZSIM_TCB_CONTROLA; return true;
	case EJTAG_TCBCONTROLB: *r = VZSIM_TCB_CONTROLB; return true;
	case EJTAG_TCBCONTROLC: *r = VZSIM_TCB_CONTROLC; return true;
	case EJTAG_TCBCONTROLE: *r = VZSIM_TCB_CONTROLE; return true;
	}
	return false;
}

/* TCBDATA's register by TCBControlB.REG, and its width (TCBTW: 64). */
static bool tcbdata_reg(const struct vzsim *sim, enum vzsim_tcb_reg *r, unsigned *len)
{
	*len = 32;
	switch (sim->tcb.reg_sel) {
	case TCB_REG_CONFIG: *r = VZSIM_TCB_CONFIG; return true;
	case TCB_REG_TW: *r = VZSIM_TCB_TW; *len = 64; return true;
	case TCB_REG_RDP: *r = VZSIM_TCB_RDP; return true;
	case TCB_REG_WRP: *r = VZSIM_TCB_WRP; return true;
	case TCB_REG_STP: *r = VZSIM_TCB_STP; return true;
	}
	return false; /* triggers and the rest: read as 0 */
}

/* ------------------------------------------------------------ the TAP's port */

static void port_capture(void *ctx, uint32_t ir, uint64_t dr[2], unsigned *len)
{
	struct vzsim *sim = ctx;
	struct ejtag_port *p = &sim->port;
	const struct ejtag_pracc *pa = &sim->cpu->ejtag.pa;
	/* DATA as the probe reads it: a pending store's data, else its own. */
	uint32_t data = pa->pending && pa->kind == PRACC_STORE ? pa->data : p->data;
	enum vzsim_tcb_reg r;
	uint64_t v;
	/* Without EJTAG (board option ejtag=off) the TAP has IDCODE, IMPCODE
	 * (0: no debug features) and the TCB. */
	if (!sim->opts.ejtag && ir != EJTAG_IDCODE && ir != EJTAG_IMPCODE &&
	    ir != EJTAG_TCBDATA && !tcb_reg_of(ir, &r))
		return;
	switch (ir) {
	case EJTAG_IDCODE:
		dr[0] = p->idcode;
		*len = 32;
		return;
	case EJTAG_IMPCODE:
		dr[0] = p->impcode;
		*len = 32;
		return;
	case EJTAG_ADDRESS:
		dr[0] = pa->addr;
		*len = 32;
		return;
	case EJTAG_DATA:
		dr[0] = data;
		*len = 32;
		return;
	case EJTAG_CONTROL:
		dr[0] = ecr_read(sim);
		*len = 32;
		return;
	case EJTAG_ALL: /* ECR first out, then DATA, then ADDRESS */
		dr[0] = ecr_read(sim) | (uint64_t)data << 32;
		dr[1] = pa->addr;
		*len = 96;
		return;
	case EJTAG_FASTDATA:
		p->fast_ok = pa->pending && pa->addr - FASTDATA_BASE < FASTDATA_SIZE;
		dr[0] = (uint64_t)p->fast_ok | (uint64_t)data << 1;
		*len = 33;
		return;
	case EJTAG_TCBDATA:
		if (tcbdata_reg(sim, &r, len) && vzsim_tcb_read(sim, r, &v) == 0)
			dr[0] = *len == 64 ? v : (uint32_t)v;
		return;
	}
	if (tcb_reg_of(ir, &r) && vzsim_tcb_read(sim, r, &v) == 0) {
		dr[0] = (uint32_t)v;
		*len = 32;
	}
	/* else BYPASS: one bit, captured 0 */
}

static void port_update(void *ctx, uint32_t ir, const uint64_t dr[2], unsigned len)
{
	struct vzsim *sim = ctx;
	struct ejtag_port *p = &sim->port;
	enum vzsim_tcb_reg r;
	unsigned w;
	(void)len;
	if (!sim->opts.ejtag && ir != EJTAG_TCBDATA && !tcb_reg_of(ir, &r))
		return;
	switch (ir) {
	case EJTAG_DATA:
		p->data = (uint32_t)dr[0];
		return;
	case EJTAG_CONTROL:
		ecr_write(sim, (uint32_t)dr[0]);
		return;
	case EJTAG_ALL:
		p->data = (uint32_t)(dr[0] >> 32);
		ecr_write(sim, (uint32_t)dr[0]);
		return;
	case EJTAG_FASTDATA:
		/* The probe shifts SPrAcc 0 in to finish an access it may. */
		if (p->fast_ok && !(dr[0] & 1)) {
			p->data = (uint32_t)(dr[0] >> 1);
			finish_access(sim);
		}
		p->fast_ok = false;
		return;
	case EJTAG_TCBDATA:
		/* Only the pointers are written; the rest is read-only. */
		if (tcbdata_reg(sim, &r, &w) && (r == VZSIM_TCB_RDP || r == VZSIM_TCB_WRP))
			vzsim_tcb_write(sim, r, (uint32_t)dr[0]);
		return;
	}
	if (tcb_reg_of(ir, &r))
		vzsim_tcb_write(sim, r, (uint32_t)dr[0]);
}

static void port_update_ir(void *ctx, uint32_t ir)
{
	struct vzsim *sim = ctx;
	if (!sim->opts.ejtag)
		return;
	if (ir == EJTAG_EJTAGBOOT)
		sim->port.boot = true;
	else if (ir == EJTAG_NORMALBOOT)
		sim->port.boot = false;
}

static void port_tlr(void *ctx)
{
	struct vzsim *sim = ctx;
	sim->port.boot = false;
}

void ejtag_port_init(struct vzsim *sim)
{
	struct ejtag_port *p = &sim->port;
	memset(p, 0, sizeof *p);
	/* vzsim's own IDCODE (version 0, part 0x000a, manufacturer 0x2d0: no
	 * JEDEC maker's). */
	p->idcode = 0x0000a5a1u;
	p->impcode = sim->opts.ejtag ? IMPCODE_EJTAG5 : 0;
	p->rocc = true; /* power-up is a reset */
	sim->tap.port = (struct tap_port){
		.capture = port_capture, .update = port_update,
		.update_ir = port_update_ir, .tlr = port_tlr, .ctx = sim,
	};
	tap_reset(&sim->tap);
}

/* ------------------------------------------------------------ API */

void vzsim_jtag_break(vzsim *sim)
{
	struct cpu *cpu = sim->cpu;
	if (!cpu->ejtag.present)
		return;
	cpu->ejtag.prob_en = cpu->ejtag.prob_trap = true;
	debug_interrupt(sim);
}

bool vzsim_debug_mode(const vzsim *sim)
{
	return sim->cpu->ejtag.dm || ejtag_port_held(sim);
}
