/*
 * EJTAG debug mode (cpu.h, struct ejtag), as a probe sees it through the
 * board's TAP (board/ejtag_port.c).  Layouts after the EJTAG specification
 * (MD00047), version 5 as IMPCODE reports; docs/vzsim.md "EJTAG".
 *
 * Causes of a debug exception: DINT (the probe's EjtagBrk), DBp (SDBBP),
 * DIB (an instruction breakpoint), DDBL/DDBS (a data breakpoint, on the
 * address), DSS (a single step).  Entry saves the pc in DEPC (the branch,
 * with Debug.DBD, for a delay slot), sets Debug.DM and jumps to the probe's
 * vector in dmseg (ECR.ProbTrap) or to the boot ROM's.
 *
 * In debug mode dseg (0xFF200000..0xFF3FFFFF) is not kseg3: dmseg accesses
 * are processor accesses the core waits on until the probe finishes them,
 * and drseg holds the debug registers.  A waiting instruction does not
 * complete: it runs again once the access is done, and takes the data then,
 * so a stall needs no state but the access itself.
 *
 * Nothing executed in debug mode counts (cpu_run_debug), so a halt, a
 * register read or a memory dump leaves the program's run exactly as it
 * would have been: the same instruction count, Count and timer matches.
 */
#include "cpu.h"

#include <string.h>

/* drseg offsets. */
#define DRSEG_DCR   0x0000u
#define DRSEG_IBS   0x1000u
#define DRSEG_IB0   0x1100u
#define DRSEG_DBS   0x2000u
#define DRSEG_DB0   0x2100u
#define DRSEG_STEP  0x100u  /* between one breakpoint's registers and the next */

/* DCR bits. */
#define DCR_PROBEN  (1u << 0)
#define DCR_SRSTE   (1u << 1)
#define DCR_NMIE    (1u << 3)
#define DCR_INSTBRK (1u << 16)
#define DCR_DATABRK (1u << 17)
#define DCR_WMASK   (DCR_INTE | DCR_NMIE | DCR_SRSTE)

/* IBS/DBS: ASIDsup, BCN; DBS also says values are not compared. */
#define BS_ASIDSUP  (1u << 30)
#define BS_BCN_SHIFT 24
#define DBS_NOVMATCH ((1u << 29) | (1u << 28))

/* IBC/DBC bits. */
#define BC_BE       (1u << 0)
#define BC_ASIDUSE  (1u << 23)
#define DBC_NOLB    (1u << 12)
#define DBC_NOSB    (1u << 13)

#define DEBUG_WMASK (DEBUG_SST | DEBUG_LSNM | DEBUG_IEXI)

static uint32_t debug_vector(const struct cpu *cpu)
{
	return cpu->ejtag.prob_trap ? EJTAG_PROBE_VECTOR : EJTAG_ROM_VECTOR;
}

void ejtag_reset(struct cpu *cpu)
{
	struct ejtag *e = &cpu->ejtag;
	e->dm = false;
	e->debug = 0;
	e->depc = e->desave = 0;
	e->dcr = DCR_INTE | DCR_NMIE | DCR_SRSTE;
	e->ibs = e->dbs = 0;
	memset(e->ib, 0, sizeof e->ib);
	memset(e->db, 0, sizeof e->db);
	e->redo_branch = false;
	e->step = false;
	e->stalled = false;
	memset(&e->pa, 0, sizeof e->pa);
	for (unsigned i = 0; i < 1024; i++)
		e->dm_insn[i].op = PD_UNDECODED;
	ejtag_rearm(cpu);
}

void ejtag_rearm(struct cpu *cpu)
{
	struct ejtag *e = &cpu->ejtag;
	bool ib = false, db = false;
	for (unsigned n = 0; n < EJTAG_IBRK; n++)
		ib |= (e->ib[n].ctl & BC_BE) != 0;
	for (unsigned n = 0; n < EJTAG_DBRK; n++)
		db |= (e->db[n].ctl & BC_BE) != 0;
	e->watch = ib || e->step;
	if (db && !e->db_on)
		mmu_flush(cpu); /* every load and store to the slow path */
	e->db_on = db;
	cpu->next_event = cpu->icount;
}

/* ------------------------------------------------------------ entry, exit */

void ejtag_enter(struct cpu *cpu, uint32_t cause)
{
	struct ejtag *e = &cpu->ejtag;
	if (cpu->in_ds) {
		e->depc = cpu->pc - 4;
		e->debug |= DEBUG_DBD;
	} else {
		e->depc = cpu->pc;
		e->debug &= ~DEBUG_DBD;
	}
	/* The probe's interrupt lands wherever the probe stopped the core: in
	 * a delay slot, DERET will run the branch, already counted, again.  So
	 * that debug mode stays invisible to the run (its instruction count,
	 * its timers), that second run is not counted (ejtag_deret).  The
	 * synchronous causes are the program's own, the same in every run. */
	e->redo_branch = cause == DEBUG_DINT && cpu->in_ds;
	e->redo_branch_at = e->depc;
	e->debug = (e->debug & ~DEBUG_CAUSES) | cause;
	e->dm = true;
	e->step = false;
	ejtag_rearm(cpu);
	cpu->waiting = false;
	cpu->pc = debug_vector(cpu);
	cpu->npc = cpu->pc + 4;
	cpu->in_ds = false;
	/* Root kernel mode from now on: guest mode and the soft TLB of the
	 * class we came from no longer apply. */
	cpu_status_changed(cpu);
	mmu_flush(cpu);
	cpu->next_event = cpu->icount; /* the loop hands over to cpu_run_debug */
}

void ejtag_dm_exception(struct cpu *cpu, unsigned code)
{
	struct ejtag *e = &cpu->ejtag;
	e->debug = (e->debug & ~DEBUG_DEXC) | ((code & 31u) << DEBUG_DEXC_SHIFT);
	cpu->pc = debug_vector(cpu);
	cpu->npc = cpu->pc + 4;
	cpu->in_ds = false;
	cpu->cur_exc = (int)code;
}

void ejtag_sdbbp(struct cpu *cpu)
{
	if (cpu->ejtag.dm)
		ejtag_dm_exception(cpu, EXC_BP);
	else
		ejtag_enter(cpu, DEBUG_DBP);
}

void ejtag_deret(struct cpu *cpu)
{
	struct ejtag *e = &cpu->ejtag;
	/* The branch runs again, unless the probe moved DEPC: cpu_run_debug
	 * takes its count back once the DERET is done. */
	e->redo_branch = e->redo_branch && e->depc == e->redo_branch_at;
	cpu->pc = e->depc;
	cpu->npc = cpu->pc + 4;
	cpu->in_ds = false;
	e->dm = false;
	e->stalled = false;
	memset(&e->pa, 0, sizeof e->pa);
	if (e->debug & DEBUG_SST) {
		e->step = true;
		e->step_from = cpu->icount;
	}
	ejtag_rearm(cpu);
	mmu_flush(cpu);
	cpu_status_changed(cpu);
}

/* ------------------------------------------------------------ breakpoints */

bool ejtag_step_due(struct cpu *cpu)
{
	struct ejtag *e = &cpu->ejtag;
	/* A branch and its delay slot are one step. */
	if (!e->step || cpu->icount == e->step_from || cpu->in_ds)
		return false;
	ejtag_enter(cpu, DEBUG_DSS);
	return true;
}

static uint8_t current_asid(const struct cpu *cpu)
{
	return (uint8_t)cpu_ctx_const(cpu)->entryhi;
}

bool ejtag_ibreak(struct cpu *cpu)
{
	struct ejtag *e = &cpu->ejtag;
	bool hit = false;
	for (unsigned n = 0; n < EJTAG_IBRK; n++) {
		uint32_t c = e->ib[n].ctl;
		if (!(c & BC_BE) || ((cpu->pc ^ e->ib[n].addr) & ~e->ib[n].mask))
			continue;
		if ((c & BC_ASIDUSE) && (uint8_t)e->ib[n].asid != current_asid(cpu))
			continue;
		e->ibs |= 1u << n;
		hit = true;
	}
	if (hit)
		ejtag_enter(cpu, DEBUG_DIB);
	return hit;
}

bool ejtag_dbreak(struct cpu *cpu, uint32_t vaddr, bool store)
{
	struct ejtag *e = &cpu->ejtag;
	bool hit = false;
	for (unsigned n = 0; n < EJTAG_DBRK; n++) {
		uint32_t c = e->db[n].ctl;
		if (!(c & BC_BE) || (c & (store ? DBC_NOSB : DBC_NOLB)))
			continue;
		/* Words match: the byte lanes (BAI) are not compared. */
		if (((vaddr ^ e->db[n].addr) & ~e->db[n].mask & ~3u) != 0)
			continue;
		if ((c & BC_ASIDUSE) && (uint8_t)e->db[n].asid != current_asid(cpu))
			continue;
		e->dbs |= 1u << n;
		hit = true;
	}
	if (hit)
		ejtag_enter(cpu, store ? DEBUG_DDBS : DEBUG_DDBL);
	return hit;
}

/* ------------------------------------------------------------ dmseg */

/*
 * One processor access: taken if the probe finished exactly this one, else
 * posted (replacing nothing: the core waits on one access at a time) and
 * the core stalls.
 */
static bool pracc(struct cpu *cpu, enum access_kind kind, uint32_t addr,
		  unsigned size, uint32_t *data)
{
	struct ejtag_pracc *p = &cpu->ejtag.pa;
	if (p->done && p->kind == kind && p->addr == addr && p->size == size) {
		if (kind != PRACC_STORE)
			*data = p->data;
		memset(p, 0, sizeof *p);
		return true;
	}
	p->pending = true;
	p->done = false;
	p->kind = kind;
	p->addr = addr;
	p->size = size;
	p->data = kind == PRACC_STORE ? *data : 0;
	cpu->ejtag.stalled = true;
	cpu->cur_exc = -1;
	return false;
}

void ejtag_pracc_finish(struct cpu *cpu, uint32_t data)
{
	struct ejtag_pracc *p = &cpu->ejtag.pa;
	if (!p->pending)
		return;
	p->pending = false;
	p->done = true;
	if (p->kind != PRACC_STORE) {
		/* The probe's word as the bus would deliver it: the bytes the
		 * access reads, from the lanes its address selects (little
		 * endian). */
		unsigned sh = 8 * (p->addr & 3u);
		p->data = p->size == 4 ? data
			  : p->size == 2 ? (data >> sh) & 0xffffu
					 : (data >> sh) & 0xffu;
	}
}

bool ejtag_fetch(struct cpu *cpu, uint32_t pc)
{
	struct ejtag *e = &cpu->ejtag;
	if (pc < EJTAG_DMSEG || pc >= EJTAG_DRSEG || !e->prob_en || (pc & 3)) {
		/* No probe behind dmseg, or not a place to run code. */
		cpu_exception(cpu, EXC_IBE, false);
		return false;
	}
	uint32_t w;
	if (!pracc(cpu, PRACC_FETCH, pc, 4, &w))
		return false;
	uint32_t off = pc & 0xfffu;
	memcpy(e->dm_page + off, &w, 4);
	e->dm_insn[off >> 2].op = PD_UNDECODED; /* decoded afresh from dm_page */
	cpu->fetch_vbase = pc & ~0xfffu;
	cpu->fetch_page = e->dm_insn;
	cpu->fetch_host = e->dm_page;
	return true;
}

/* ------------------------------------------------------------ drseg */

static uint32_t *drseg_reg(struct ejtag *e, uint32_t off)
{
	if (off >= DRSEG_IB0 && off < DRSEG_IB0 + EJTAG_IBRK * DRSEG_STEP) {
		unsigned n = (off - DRSEG_IB0) / DRSEG_STEP;
		switch ((off - DRSEG_IB0) % DRSEG_STEP) {
		case 0x00: return &e->ib[n].addr;
		case 0x08: return &e->ib[n].mask;
		case 0x10: return &e->ib[n].asid;
		case 0x18: return &e->ib[n].ctl;
		}
	}
	if (off >= DRSEG_DB0 && off < DRSEG_DB0 + EJTAG_DBRK * DRSEG_STEP) {
		unsigned n = (off - DRSEG_DB0) / DRSEG_STEP;
		switch ((off - DRSEG_DB0) % DRSEG_STEP) {
		case 0x00: return &e->db[n].addr;
		case 0x08: return &e->db[n].mask;
		case 0x10: return &e->db[n].asid;
		case 0x18: return &e->db[n].ctl;
		case 0x20: return &e->db[n].value;
		}
	}
	return NULL;
}

static uint32_t drseg_read(struct ejtag *e, uint32_t off)
{
	switch (off) {
	case DRSEG_DCR:
		/* ENM = 0: little endian. */
		return e->dcr | DCR_INSTBRK | DCR_DATABRK | (e->prob_en ? DCR_PROBEN : 0);
	case DRSEG_IBS:
		return BS_ASIDSUP | (EJTAG_IBRK << BS_BCN_SHIFT) | e->ibs;
	case DRSEG_DBS:
		return BS_ASIDSUP | DBS_NOVMATCH | (EJTAG_DBRK << BS_BCN_SHIFT) | e->dbs;
	}
	uint32_t *r = drseg_reg(e, off);
	return r ? *r : 0;
}

static void drseg_write(struct cpu *cpu, uint32_t off, uint32_t v)
{
	struct ejtag *e = &cpu->ejtag;
	switch (off) {
	case DRSEG_DCR:
		e->dcr = v & DCR_WMASK;
		return;
	case DRSEG_IBS: /* BS bits are cleared by writing 0 */
		e->ibs &= v;
		return;
	case DRSEG_DBS:
		e->dbs &= v;
		return;
	}
	uint32_t *r = drseg_reg(e, off);
	if (!r)
		return; /* nothing there: writes are ignored */
	*r = v;
	ejtag_rearm(cpu);
}

/* ------------------------------------------------------------ loads, stores */

bool ejtag_load(struct cpu *cpu, uint32_t vaddr, unsigned size, uint32_t *val)
{
	struct ejtag *e = &cpu->ejtag;
	if (vaddr & (size - 1)) {
		cpu_address_error(cpu, EXC_ADEL, vaddr);
		return false;
	}
	if (vaddr >= EJTAG_DRSEG) {
		uint32_t w = drseg_read(e, (vaddr - EJTAG_DRSEG) & ~3u);
		unsigned sh = 8 * (vaddr & 3u);
		*val = size == 4 ? w : size == 2 ? (w >> sh) & 0xffffu : (w >> sh) & 0xffu;
		return true;
	}
	if (!e->prob_en) {
		cpu_exception(cpu, EXC_DBE, false);
		return false;
	}
	return pracc(cpu, PRACC_LOAD, vaddr, size, val);
}

bool ejtag_store(struct cpu *cpu, uint32_t vaddr, unsigned size, uint32_t val)
{
	struct ejtag *e = &cpu->ejtag;
	if (vaddr & (size - 1)) {
		cpu_address_error(cpu, EXC_ADES, vaddr);
		return false;
	}
	if (vaddr >= EJTAG_DRSEG) {
		/* Word registers: narrower stores are taken as words. */
		drseg_write(cpu, (vaddr - EJTAG_DRSEG) & ~3u, val);
		return true;
	}
	if (!e->prob_en) {
		cpu_exception(cpu, EXC_DBE, false);
		return false;
	}
	/* The store's bytes on their lanes, as the probe reads DATA. */
	uint32_t lanes = val << (8 * (vaddr & 3u));
	return pracc(cpu, PRACC_STORE, vaddr, size, &lanes);
}

/* ------------------------------------------------------------ CP0 */

bool ejtag_cp0_read(struct cpu *cpu, unsigned reg, unsigned sel, uint32_t *val)
{
	struct ejtag *e = &cpu->ejtag;
	if (!e->dm || sel != 0)
		return false;
	switch (reg) {
	case 23:
		*val = e->debug | DEBUG_DM | (5u << DEBUG_VER_SHIFT);
		return true;
	case 24:
		*val = e->depc;
		return true;
	case 31:
		*val = e->desave;
		return true;
	}
	return false;
}

bool ejtag_cp0_write(struct cpu *cpu, unsigned reg, unsigned sel, uint32_t val)
{
	struct ejtag *e = &cpu->ejtag;
	if (!e->dm || sel != 0)
		return false;
	switch (reg) {
	case 23: /* only SSt, LSNM and IEXI are software's */
		e->debug = (e->debug & ~DEBUG_WMASK) | (val & DEBUG_WMASK);
		return true;
	case 24:
		e->depc = val;
		return true;
	case 31:
		e->desave = val;
		return true;
	}
	return false;
}
