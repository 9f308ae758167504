/*
 * Address translation (segments, TLB, RI/XI, address errors), the soft TLB
 * that lets the interpreter reach RAM without translating, and the cache of
 * predecoded pages that lets it run without decoding.
 *
 * The soft TLB caches 4K granules per translation class (kernel, kernel with
 * ERL, supervisor, user); it is flushed whenever a translation could change:
 * TLB writes and invalidations, an EntryHi.ASID change.  A write tag is given
 * only to pages that are dirty and hold no predecoded code, so every store to
 * code takes the slow path and drops the predecoded words it overwrites.
 */
#include "cpu.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ flushing */

void mmu_flush_fetch(struct cpu *cpu)
{
	cpu->fetch_vbase = 1;
	cpu->fetch_page = NULL;
}

void mmu_flush(struct cpu *cpu)
{
	for (unsigned c = 0; c < MMU_NCLASSES; c++)
		for (unsigned i = 0; i < STLB_SIZE; i++) {
			cpu->stlb[c][i].rtag = STLB_TAG_NONE;
			cpu->stlb[c][i].wtag = STLB_TAG_NONE;
		}
	mmu_flush_fetch(cpu);
}

/* ------------------------------------------------------------ translation */

static void tlb_exception(struct cpu *cpu, uint32_t vaddr, unsigned code,
			  bool refill)
{
	struct cp0 *c = &cpu->cp0;
	c->badvaddr = vaddr;
	c->context = (c->context & ~c->contextconfig) |
		     ((vaddr >> 9) & c->contextconfig);
	c->entryhi = (vaddr & 0xffffe000u) | (c->entryhi & 0xffu);
	cpu_exception(cpu, code, refill && !(c->status & ST_EXL));
}

/* Page size in bytes of an entry with PageMask value mask. */
static inline uint32_t page_size(uint32_t mask)
{
	return ((mask | 0x1fffu) + 1) >> 1;
}

bool mmu_translate(struct cpu *cpu, uint32_t vaddr, enum access acc,
		   uint32_t *pa)
{
	uint32_t status = cpu->cp0.status;
	enum vzsim_mode mode = cpu_mode(cpu);
	unsigned ae_code = acc == ACC_STORE ? EXC_ADES : EXC_ADEL;

	if (vaddr < 0x80000000u) {
		if (status & ST_ERL) {
			*pa = vaddr; /* kuseg is unmapped while ERL is set */
			return true;
		}
	} else if (vaddr < 0xc0000000u) {
		if (mode != VZSIM_MODE_KERNEL) {
			cpu_address_error(cpu, ae_code, vaddr);
			return false;
		}
		*pa = vaddr & 0x1fffffffu;
		return true;
	} else if (vaddr < 0xe0000000u) {
		if (mode == VZSIM_MODE_USER) {
			cpu_address_error(cpu, ae_code, vaddr);
			return false;
		}
	} else if (mode != VZSIM_MODE_KERNEL) {
		cpu_address_error(cpu, ae_code, vaddr);
		return false;
	}

	unsigned tlb_code = acc == ACC_STORE ? EXC_TLBS : EXC_TLBL;
	int idx = tlb_lookup(cpu, vaddr, (uint8_t)cpu->cp0.entryhi);
	if (idx < 0) {
		cpu->stats.tlb_refills++;
		tlb_exception(cpu, vaddr, tlb_code, true);
		return false;
	}
	const struct tlb_entry *e = &cpu->tlb[idx];
	uint32_t size = page_size(e->mask);
	uint32_t lo = e->lo[(vaddr & size) ? 1 : 0];
	if (!(lo & 2)) { /* V */
		tlb_exception(cpu, vaddr, tlb_code, false);
		return false;
	}
	uint32_t pg = cpu->cp0.pagegrain;
	if (acc == ACC_FETCH && (lo & (1u << 30)) && (pg & PG_XIE)) {
		tlb_exception(cpu, vaddr, (pg & PG_IEC) ? EXC_TLBXI : EXC_TLBL, false);
		return false;
	}
	if (acc == ACC_LOAD && (lo & (1u << 31)) && (pg & PG_RIE)) {
		tlb_exception(cpu, vaddr, (pg & PG_IEC) ? EXC_TLBRI : EXC_TLBL, false);
		return false;
	}
	if (acc == ACC_STORE && !(lo & 4)) { /* D */
		tlb_exception(cpu, vaddr, EXC_MOD, false);
		return false;
	}
	uint64_t frame = ((uint64_t)((lo >> 6) & 0xffffffu) << 12) & ~(uint64_t)(size - 1);
	uint64_t phys = frame | (vaddr & (size - 1));
	if (phys >> 32) {
		/* Beyond the 32-bit physical bus: a bus error on the access. */
		cpu_exception(cpu, acc == ACC_FETCH ? EXC_IBE : EXC_DBE, false);
		return false;
	}
	*pa = (uint32_t)phys;
	return true;
}

/* Whether the page translated for this access may be cached in the soft
 * TLB for reads: RI pages must keep faulting, so they stay on the slow path. */
static bool page_readable_fast(struct cpu *cpu, uint32_t vaddr)
{
	if (vaddr >= 0x80000000u && vaddr < 0xc0000000u)
		return true;
	if (vaddr < 0x80000000u && (cpu->cp0.status & ST_ERL))
		return true;
	int idx = tlb_lookup(cpu, vaddr, (uint8_t)cpu->cp0.entryhi);
	if (idx < 0)
		return false;
	const struct tlb_entry *e = &cpu->tlb[idx];
	uint32_t lo = e->lo[(vaddr & page_size(e->mask)) ? 1 : 0];
	return !((lo & (1u << 31)) && (cpu->cp0.pagegrain & PG_RIE));
}

/* ------------------------------------------------------------ predecode */

/* Slot for the predecoded page of physical page pa, or NULL if pa is not
 * in RAM-backed memory. */
static struct pd_page **pd_slot(struct cpu *cpu, uint32_t pa)
{
	if (pa < cpu->ram_size)
		return &cpu->pd_pages[pa >> 12];
	const struct bus_region *r = bus_find(cpu->bus, pa);
	if (!r || !r->mem)
		return NULL;
	for (unsigned i = 0; i < cpu->bus->nregions; i++)
		if (&cpu->bus->regions[i] == r && cpu->pd_region[i])
			return &cpu->pd_region[i][(pa - r->base) >> 12];
	return NULL;
}

static bool page_has_code(struct cpu *cpu, uint32_t pa)
{
	struct pd_page **slot = pd_slot(cpu, pa);
	return slot && *slot;
}

/* A page just became code: no soft-TLB entry may write it directly. */
static void drop_write_tags(struct cpu *cpu, uint32_t pa_page)
{
	uint8_t *host = bus_host_ptr(cpu->bus, pa_page, 4096);
	for (unsigned c = 0; c < MMU_NCLASSES; c++)
		for (unsigned i = 0; i < STLB_SIZE; i++) {
			struct stlb_entry *e = &cpu->stlb[c][i];
			if (e->wtag != STLB_TAG_NONE &&
			    (uint8_t *)(e->addend + e->wtag) == host)
				e->wtag = STLB_TAG_NONE;
		}
}

static bool fetch_page_setup(struct cpu *cpu, uint32_t pc)
{
	if (pc & 3) {
		cpu_address_error(cpu, EXC_ADEL, pc);
		return false;
	}
	uint32_t pa;
	if (!mmu_translate(cpu, pc, ACC_FETCH, &pa))
		return false;
	struct pd_page **slot = pd_slot(cpu, pa);
	if (!slot) {
		cpu_exception(cpu, EXC_IBE, false);
		return false;
	}
	if (!*slot) {
		*slot = malloc(sizeof(struct pd_page));
		if (!*slot)
			abort();
		for (unsigned i = 0; i < 1024; i++)
			(*slot)->insn[i].op = PD_UNDECODED;
		(*slot)->host = bus_host_ptr(cpu->bus, pa & ~0xfffu, 4096);
		drop_write_tags(cpu, pa & ~0xfffu);
	}
	cpu->fetch_vbase = pc & ~0xfffu;
	cpu->fetch_page = (*slot)->insn;
	cpu->fetch_host = (*slot)->host;
	return true;
}

bool mmu_fetch_page(struct cpu *cpu, uint32_t pc)
{
	cpu->fetching = true; /* faults here have no instruction word */
	bool ok = fetch_page_setup(cpu, pc);
	cpu->fetching = false;
	return ok;
}

void mmu_code_written(struct cpu *cpu, uint32_t pa, unsigned size)
{
	uint32_t first = pa & ~3u, last = (pa + size - 1) & ~3u;
	for (uint32_t a = first; a <= last && a >= first; a += 4) {
		struct pd_page **slot = pd_slot(cpu, a);
		if (slot && *slot) {
			struct pd_insn *d = &(*slot)->insn[(a & 0xfff) >> 2];
			if (d->op != PD_UNDECODED) {
				d->op = PD_UNDECODED;
				cpu->stats.smc_invalidations++;
			}
		}
	}
}

/* ------------------------------------------------------------ slow path */

static void fill_stlb(struct cpu *cpu, uint32_t vaddr, uint32_t pa, bool store)
{
	uint8_t *host = bus_host_ptr(cpu->bus, pa & ~0xfffu, 4096);
	if (!host)
		return;
	struct stlb_entry *e =
		&cpu->stlb[cpu->mclass][(vaddr >> 12) & (STLB_SIZE - 1)];
	uint32_t vpage = vaddr & ~0xfffu;
	uintptr_t addend = (uintptr_t)host - vpage;
	if (e->addend != addend) {
		e->rtag = e->wtag = STLB_TAG_NONE;
		e->addend = addend;
	}
	if (store) {
		if (!page_has_code(cpu, pa))
			e->wtag = vpage;
	} else if (page_readable_fast(cpu, vaddr)) {
		e->rtag = vpage;
	}
}

bool mmu_load(struct cpu *cpu, uint32_t vaddr, unsigned size, uint32_t *val)
{
	if (vaddr & (size - 1)) {
		cpu_address_error(cpu, EXC_ADEL, vaddr);
		return false;
	}
	uint32_t pa;
	if (!mmu_translate(cpu, vaddr, ACC_LOAD, &pa))
		return false;
	if (!bus_read(cpu->bus, pa, size, val)) {
		cpu_exception(cpu, EXC_DBE, false);
		return false;
	}
	fill_stlb(cpu, vaddr, pa, false);
	return true;
}

bool mmu_store(struct cpu *cpu, uint32_t vaddr, unsigned size, uint32_t val)
{
	if (vaddr & (size - 1)) {
		cpu_address_error(cpu, EXC_ADES, vaddr);
		return false;
	}
	uint32_t pa;
	if (!mmu_translate(cpu, vaddr, ACC_STORE, &pa))
		return false;
	if (!bus_write(cpu->bus, pa, size, val)) {
		cpu_exception(cpu, EXC_DBE, false);
		return false;
	}
	if (cpu->stop_requested)
		cpu->next_event = cpu->icount; /* a device asked to stop */
	mmu_code_written(cpu, pa, size);
	fill_stlb(cpu, vaddr, pa, true);
	return true;
}

/* Translation for LL: the physical address goes to LLAddr. */
bool mmu_load_pa(struct cpu *cpu, uint32_t vaddr, uint32_t *val, uint32_t *pa)
{
	if (vaddr & 3) {
		cpu_address_error(cpu, EXC_ADEL, vaddr);
		return false;
	}
	if (!mmu_translate(cpu, vaddr, ACC_LOAD, pa))
		return false;
	if (!bus_read(cpu->bus, *pa, 4, val)) {
		cpu_exception(cpu, EXC_DBE, false);
		return false;
	}
	return true;
}
