/*
 * CP0 register files: reset values and MFC0/MTC0 with each register's
 * writable fields.  The same code serves root's context and the guest's
 * (VZ): ctx_read/ctx_write take the context; the root wrappers here add
 * root's VZ registers, vz.c wraps the guest's with the exits guest accesses
 * can cause.  Count and Compare live in timer.c.
 *
 * The configuration values (PRId, Config0-5) describe vzsim's P5600-like
 * core; docs/vzsim.md ("CPU configuration") lists them field by field.
 * Registers the core does not implement read as zero and ignore writes.
 */
#include "cp0_ctx.h"

#include <stddef.h>
#include <string.h>

/* Writable bits. */
#define STATUS_WMASK   0x1078ff1fu /* CU0 BEV TS SR NMI IM KSU ERL EXL IE */
#define CAUSE_WMASK    (CAUSE_DC | CAUSE_IV | (3u << CAUSE_IP_SHIFT))
#define ENTRYHI_WMASK  (0xffffe000u | ENTRYHI_EHINV | 0xffu)
#define PAGEGRAIN_WMASK (PG_RIE | PG_XIE | PG_IEC)
#define HWRENA_WMASK   0x2000000fu /* CPUNum SYNCI_Step CC CCRes, UL */
#define INTCTL_VS_MASK (0x1fu << 5)
#define INTCTL_IPTI    (7u << 29) /* timer interrupt on IP7 */

static uint32_t config0(void)
{
	/* M=1, AR=1 (release 2 or later), MT=1 (standard TLB), K0=2 (uncached) */
	return (1u << 31) | (1u << 10) | (1u << 7) | 2u;
}

static uint32_t config1(unsigned tlb_entries)
{
	unsigned mmu = (tlb_entries - 1) & 63; /* Config4.MMUSizeExt has the rest */
	/* 64 KB 4-way 32-byte-line I- and D-caches; no FPU, no watch, no
	 * performance counters, no MIPS16; EJTAG (EP) with the board option
	 * ejtag, set by cp0_reset. */
	return (1u << 31) | (mmu << 25) | (3u << 22) | (4u << 19) | (3u << 16) |
	       (3u << 13) | (4u << 10) | (3u << 7);
}

static uint32_t config3(bool vz)
{
	/* M, BP (BadInstrP), BI (BadInstr), VZ (root only), ULRI, RXI, CTXTC,
	 * VInt; TL (PDtrace, root only). */
	return (1u << 31) | (1u << 27) | (1u << 26) | (vz ? 1u << 23 : 0) |
	       (1u << 13) | (1u << 12) | (1u << 9) | (1u << 5) | (vz ? 1u : 0);
}

static uint32_t config4(unsigned tlb_entries)
{
	/* M; IE=2 (TLBINV/TLBINVF, EHINV); KScrExist: KScratch sel 2..7;
	 * MMUExtDef=1: MMUSizeExt holds the entry count's bits above 6. */
	unsigned ext = (tlb_entries - 1) >> 6;
	return (1u << 31) | (2u << 29) | (0xfcu << 16) | (1u << 14) | ext;
}

static void ctx_reset(struct cp0 *c, unsigned entries, bool root, uint32_t prid)
{
	*c = (struct cp0){0};
	c->status = ST_BEV | ST_ERL;
	c->intctl = INTCTL_IPTI;
	c->contextconfig = 0x007ffff0u; /* Context[22:4] = VA[31:13] */
	c->prid = prid;
	c->ebase = 0x80000000u;
	c->config[0] = config0();
	c->config[1] = config1(entries);
	c->config[2] = 1u << 31;
	c->config[3] = config3(root);
	c->config[4] = config4(entries);
	c->config[5] = 0;
	c->random_next = entries - 1;
}

void cp0_reset(struct cpu *cpu)
{
	ctx_reset(&cpu->cp0, cpu->tlb_entries, true, cpu->prid);
	ctx_reset(&cpu->gcp0, cpu->guest_entries, false, cpu->prid);
	if (cpu->ejtag.present)
		cpu->cp0.config[1] |= CONFIG1_EP;
	cpu->cp0.count_base = 0;
	cpu->cp0.count_icount = cpu->icount;
	vz_reset(cpu);
}

static uint32_t read_cause(const struct cpu *cpu)
{
	/* Hardware lines IP2..IP6 and the timer on IP7 appear in Cause.IP. */
	uint32_t ip = (uint32_t)(cpu->hw_irq & 0x7c) << CAUSE_IP_SHIFT;
	if (cpu->cp0.cause & CAUSE_TI)
		ip |= 1u << (CAUSE_IP_SHIFT + 7);
	return cpu->cp0.cause | ip;
}

uint32_t cpu_cause(const struct cpu *cpu)
{
	return read_cause(cpu);
}

uint32_t gcpu_cause(const struct cpu *cpu)
{
	uint32_t ip = ((cpu->guestctl2 >> 10) & 0x3fu) << (CAUSE_IP_SHIFT + 2);
	if (cpu->gcp0.cause & CAUSE_TI)
		ip |= 1u << (CAUSE_IP_SHIFT + 7);
	return cpu->gcp0.cause | ip;
}

/* The registers that read as a field of struct cp0, as it is, by
 * reg << 3 | sel: the field's offset + 1 (0: computed, or absent). */
#define PLAIN(reg, sel, field) [(reg) << 3 | (sel)] = offsetof(struct cp0, field) + 1
static const uint16_t plain_regs[256] = {
	PLAIN(0, 0, index), PLAIN(1, 0, random_next), PLAIN(2, 0, entrylo0),
	PLAIN(3, 0, entrylo1), PLAIN(4, 0, context), PLAIN(4, 1, contextconfig),
	PLAIN(4, 2, userlocal), PLAIN(5, 0, pagemask), PLAIN(5, 1, pagegrain),
	PLAIN(6, 0, wired), PLAIN(7, 0, hwrena), PLAIN(8, 0, badvaddr),
	PLAIN(8, 1, badinstr), PLAIN(8, 2, badinstrp), PLAIN(10, 0, entryhi),
	PLAIN(11, 0, compare), PLAIN(12, 0, status), PLAIN(12, 1, intctl),
	PLAIN(12, 2, srsctl), PLAIN(14, 0, epc), PLAIN(15, 0, prid),
	PLAIN(15, 1, ebase), PLAIN(16, 0, config[0]), PLAIN(16, 1, config[1]),
	PLAIN(16, 2, config[2]), PLAIN(16, 3, config[3]), PLAIN(16, 4, config[4]),
	PLAIN(16, 5, config[5]), PLAIN(17, 0, lladdr), PLAIN(28, 0, taglo),
	PLAIN(28, 1, datalo), PLAIN(29, 0, taghi), PLAIN(29, 1, datahi),
	PLAIN(30, 0, errorepc), PLAIN(31, 2, kscratch[2]), PLAIN(31, 3, kscratch[3]),
	PLAIN(31, 4, kscratch[4]), PLAIN(31, 5, kscratch[5]), PLAIN(31, 6, kscratch[6]),
	PLAIN(31, 7, kscratch[7]),
};
#undef PLAIN

int cp0_plain_offset(unsigned reg, unsigned sel)
{
	return (int)plain_regs[(reg << 3 | sel) & 0xffu] - 1;
}

enum gcp0_result ctx_read(struct cpu *cpu, struct cp0 *c, bool guest,
			  unsigned reg, unsigned sel, uint32_t *val)
{
	uint32_t v;
	int off = cp0_plain_offset(reg, sel);
	if (off >= 0) {
		memcpy(&v, (const char *)c + off, 4);
	} else if (reg == 9 && sel == 0) {
		v = guest ? gcp0_count(cpu) : cp0_count(cpu);
	} else if (reg == 13 && sel == 0) {
		v = guest ? gcpu_cause(cpu) : read_cause(cpu);
	} else {
		*val = 0;
		return GCP0_ABSENT;
	}
	*val = v;
	return GCP0_OK;
}

/* PageMask: keep the longest run of pairs of ones from bit 13 (4K, 16K, 64K,
 * ... 256M); anything else in the Mask field is dropped. */
static uint32_t legal_pagemask(uint32_t v)
{
	uint32_t m = (v >> 13) & 0xffffu, ones = 0;
	while (ones < 16 && (m >> ones) & 1)
		ones++;
	ones &= ~1u;
	return ((1u << ones) - 1) << 13;
}

enum gcp0_result ctx_write(struct cpu *cpu, struct cp0 *c, bool guest,
			   unsigned reg, unsigned sel, uint32_t v)
{
	unsigned entries = guest ? cpu->guest_entries : cpu->tlb_entries;
	switch (reg << 3 | sel) {
	case 0 << 3 | 0:
		c->index = (c->index & INDEX_P) | (v & index_mask(entries));
		break;
	case 1 << 3 | 0: break; /* Random is read-only */
	case 2 << 3 | 0: case 3 << 3 | 0: {
		uint32_t m = 0x3fffffffu;
		if (c->pagegrain & PG_RIE)
			m |= 1u << 31;
		if (c->pagegrain & PG_XIE)
			m |= 1u << 30;
		if (reg == 2)
			c->entrylo0 = v & m;
		else
			c->entrylo1 = v & m;
		break;
	}
	case 4 << 3 | 0: {
		/* PTEBase is above the field ContextConfig selects; bits below it
		 * read zero. */
		uint32_t cfg = c->contextconfig;
		uint32_t below = cfg ? (cfg & -cfg) - 1 : 0;
		c->context = (v & ~(cfg | below)) | (c->context & cfg);
		break;
	}
	case 4 << 3 | 1: c->contextconfig = v & 0x007ffffcu; break;
	case 4 << 3 | 2: c->userlocal = v; break;
	case 5 << 3 | 0: c->pagemask = legal_pagemask(v); break;
	case 5 << 3 | 1:
	{
		uint32_t old = c->pagegrain;
		c->pagegrain = v & (cpu->rixi_exc ? PAGEGRAIN_WMASK : PAGEGRAIN_WMASK & ~PG_IEC);
		/* RI/XI enforcement is cached with the pages; root's PageGrain
		 * also rules the guests' second stage.  A hypervisor restores
		 * the guest's at every switch, mostly unchanged. */
		if (c->pagegrain != old)
			mmu_flush_scope(cpu, guest ? MMU_SCOPE_GUEST : MMU_SCOPE_ALL);
		break;
	}
	case 6 << 3 | 0:
		c->wired = v % entries;
		tlb_wired_written(cpu, c, entries);
		break;
	case 7 << 3 | 0: c->hwrena = v & HWRENA_WMASK; break;
	case 8 << 3 | 0: case 8 << 3 | 1: case 8 << 3 | 2: break; /* read-only */
	case 9 << 3 | 0:
		if (guest)
			break; /* guest Count follows root Count + GTOffset */
		timer_write_count(cpu, v);
		break;
	case 10 << 3 | 0: {
		uint32_t old = c->entryhi;
		c->entryhi = v & ENTRYHI_WMASK;
		if ((old ^ c->entryhi) & 0xffu) {
			/* The soft TLB holds one ASID's view: the guest's
			 * under a key of its own, root's alone (a second-stage
			 * lookup matches any ASID). */
			if (guest)
				softtlb_guest_context(cpu);
			else
				mmu_flush_scope(cpu, MMU_SCOPE_ROOT);
			if (trace_on(&cpu->trace))
				trace_refilter(cpu);
		}
		break;
	}
	case 11 << 3 | 0:
		c->compare = v;
		c->cause &= ~CAUSE_TI;
		timer_reschedule_which(cpu, !guest, guest);
		break;
	case 12 << 3 | 0:
		c->status = (c->status & ~STATUS_WMASK) | (v & STATUS_WMASK);
		cpu_status_changed(cpu);
		break;
	case 12 << 3 | 1:
		c->intctl = (c->intctl & ~INTCTL_VS_MASK) | (v & INTCTL_VS_MASK);
		break;
	case 12 << 3 | 2: break; /* SRSCtl: one register set, all fields fixed */
	case 13 << 3 | 0: {
		uint32_t old = c->cause;
		c->cause = (c->cause & ~CAUSE_WMASK) | (v & CAUSE_WMASK);
		if (!guest && ((old ^ c->cause) & CAUSE_DC))
			timer_dc_changed(cpu, old);
		cpu->next_event = cpu->icount; /* software interrupts */
		break;
	}
	case 14 << 3 | 0: c->epc = v; break;
	case 15 << 3 | 0: break;
	case 15 << 3 | 1:
		/* EBase[29:12] always writable; [31:30] only with WG already set. */
		if ((c->ebase & EBASE_WG) && (v & EBASE_WG))
			c->ebase = v & 0xfffff800u;
		else
			c->ebase = (c->ebase & 0xc0000000u) | (v & 0x3ffff800u);
		break;
	case 16 << 3 | 0:
		c->config[0] = (c->config[0] & ~7u) | (v & 7u); /* K0 */
		break;
	case 16 << 3 | 1: case 16 << 3 | 2: case 16 << 3 | 3:
	case 16 << 3 | 4: case 16 << 3 | 5:
		break;
	case 17 << 3 | 0: break; /* LLAddr is read-only */
	case 28 << 3 | 0: c->taglo = v; break;
	case 28 << 3 | 1: c->datalo = v; break;
	case 29 << 3 | 0: c->taghi = v; break;
	case 29 << 3 | 1: c->datahi = v; break;
	case 30 << 3 | 0: c->errorepc = v; break;
	case 31 << 3 | 2: case 31 << 3 | 3: case 31 << 3 | 4:
	case 31 << 3 | 5: case 31 << 3 | 6: case 31 << 3 | 7:
		c->kscratch[sel] = v;
		break;
	default:
		return GCP0_ABSENT;
	}
	return GCP0_OK;
}

bool cp0_read(struct cpu *cpu, unsigned reg, unsigned sel, uint32_t *val)
{
	if (cpu->ejtag.dm && ejtag_cp0_read(cpu, reg, sel, val))
		return true;
	if (trace_cp0_read(cpu, reg, sel, val))
		return true;
	if (vz_root_read(cpu, reg, sel, val))
		return true;
	return ctx_read(cpu, &cpu->cp0, false, reg, sel, val) == GCP0_OK;
}

bool cp0_write(struct cpu *cpu, unsigned reg, unsigned sel, uint32_t val)
{
	if (cpu->ejtag.dm && ejtag_cp0_write(cpu, reg, sel, val))
		return true;
	if (trace_cp0_write(cpu, reg, sel, val))
		return true;
	if (vz_root_write(cpu, reg, sel, val))
		return true;
	return ctx_write(cpu, &cpu->cp0, false, reg, sel, val) == GCP0_OK;
}
