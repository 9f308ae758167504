/*
 * Address translation (segments, TLB, RI/XI, address errors), the slow
 * path of loads, stores and fetches that fills the soft and fetch TLBs
 * (softtlb.c) with what translated, and the cache of predecoded pages
 * that lets the interpreter run without decoding.
 *
 * A write tag is given only to pages that are dirty and hold no predecoded
 * code, so every store to code takes the slow path and drops the
 * predecoded words it overwrites.
 */
#include "cpu.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ translation */

/* A TLB exception: BadVAddr, Context.BadVPN2 and EntryHi.VPN2 of the
 * context that takes it, then the exception (to the guest or to root). */
static void fill_tlb_regs(struct cp0 *c, uint32_t vaddr)
{
	c->badvaddr = vaddr;
	c->context = (c->context & ~c->contextconfig) |
		     ((vaddr >> 9) & c->contextconfig);
	c->entryhi = (vaddr & 0xffffe000u) | (c->entryhi & 0xffu);
}

static void tlb_exception(struct cpu *cpu, uint32_t vaddr, unsigned code,
			  bool refill)
{
	struct cp0 *c = cpu_ctx(cpu);
	fill_tlb_regs(c, vaddr);
	cpu_exception(cpu, code, refill && !(c->status & ST_EXL));
}

/* A fault of the second stage (guest physical -> physical): always root's,
 * with BadVAddr holding the guest physical address (GExcCode GPA). */
static void gpa_exception(struct cpu *cpu, uint32_t gpa, unsigned code,
			  bool refill)
{
	fill_tlb_regs(&cpu->cp0, gpa);
	cpu->guestctl0 = (cpu->guestctl0 & ~(0x1fu << GC0_GEXC_SHIFT)) |
			 (GEXC_GPA << GC0_GEXC_SHIFT);
	cpu->stats.guest_root_tlb[code & 31]++;
	cpu_root_exception(cpu, code, refill);
}

/* Page size in bytes of an entry with PageMask value mask. */
static inline uint32_t page_size(uint32_t mask)
{
	return ((mask | 0x1fffu) + 1) >> 1;
}

/*
 * Segments: whether vaddr is mapped for the current mode of context c; if
 * not mapped, *pa gets the unmapped address.  Returns false after raising
 * an address error.
 */
static bool segment(struct cpu *cpu, const struct cp0 *c, uint32_t vaddr,
		    enum access acc, bool *mapped, uint32_t *pa)
{
	unsigned ae_code = acc == ACC_STORE ? EXC_ADES : EXC_ADEL;
	bool kernel = ctx_kernel_mode(c);
	bool user = !kernel && (c->status & ST_KSU) == (2u << 3);
	*mapped = true;
	if (vaddr < 0x80000000u) {
		if (c->status & ST_ERL) {
			*mapped = false; /* kuseg is unmapped while ERL is set */
			*pa = vaddr;
		}
		return true;
	}
	if (vaddr < 0xc0000000u) {
		if (!kernel) {
			cpu_address_error(cpu, ae_code, vaddr);
			return false;
		}
		*mapped = false;
		*pa = vaddr & 0x1fffffffu;
		return true;
	}
	if ((vaddr < 0xe0000000u && user) || (vaddr >= 0xe0000000u && !kernel)) {
		cpu_address_error(cpu, ae_code, vaddr);
		return false;
	}
	return true;
}

enum stage { STAGE_ROOT, STAGE_GUEST, STAGE_GPA };

/*
 * One TLB stage: vaddr through the entries tagged (guest, guestid) under
 * context c's ASID and PageGrain.  Faults go to the guest (stage one in
 * guest mode) or to root (root mode, second stage).
 */
static bool tlb_stage(struct cpu *cpu, enum stage st, uint32_t vaddr,
		      enum access acc, uint32_t *pa)
{
	const struct cp0 *c = st == STAGE_GUEST ? &cpu->gcp0 : &cpu->cp0;
	bool guest = st == STAGE_GUEST;
	uint8_t tag = st == STAGE_ROOT ? 0 : cpu_guestid(cpu);
	unsigned tlb_code = acc == ACC_STORE ? EXC_TLBS : EXC_TLBL;
	unsigned code = 0;
	bool refill = false;

	int idx = tlb_lookup(cpu, vaddr, (uint8_t)c->entryhi, guest, tag,
			     st == STAGE_GPA);
	const struct tlb_entry *e = idx >= 0 ? &cpu->tlb[idx] : NULL;
	uint32_t size = e ? page_size(e->mask) : 0;
	uint32_t lo = e ? e->lo[(vaddr & size) ? 1 : 0] : 0;
	uint32_t pg = c->pagegrain;
	if (!e) {
		code = tlb_code;
		refill = true;
		cpu->stats.tlb_refills++;
	} else if (!(lo & 2)) { /* V */
		code = tlb_code;
	} else if (acc == ACC_FETCH && (lo & (1u << 30)) && (pg & PG_XIE)) {
		code = (pg & PG_IEC) ? EXC_TLBXI : EXC_TLBL;
	} else if (acc == ACC_LOAD && (lo & (1u << 31)) && (pg & PG_RIE)) {
		code = (pg & PG_IEC) ? EXC_TLBRI : EXC_TLBL;
	} else if (acc == ACC_STORE && !(lo & 4)) { /* D */
		code = EXC_MOD;
	}
	if (code || !e) {
		if (st == STAGE_GPA)
			gpa_exception(cpu, vaddr, code, refill);
		else
			tlb_exception(cpu, vaddr, code, refill);
		return false;
	}
	uint64_t frame = ((uint64_t)((lo >> 6) & 0xffffffu) << 12) & ~(uint64_t)(size - 1);
	uint64_t phys = frame | (vaddr & (size - 1));
	if (phys >> 32) {
		/* Beyond the 32-bit physical bus: a bus error on the access. */
		cpu_root_exception(cpu, acc == ACC_FETCH ? EXC_IBE : EXC_DBE, false);
		return false;
	}
	*pa = (uint32_t)phys;
	return true;
}

bool mmu_translate(struct cpu *cpu, uint32_t vaddr, enum access acc,
		   uint32_t *pa)
{
	bool mapped;
	if (cpu->ejtag.db_on && acc != ACC_FETCH && !cpu->ejtag.dm &&
	    ejtag_dbreak(cpu, vaddr, acc == ACC_STORE))
		return false;
	if (!cpu->guest) {
		if (!segment(cpu, &cpu->cp0, vaddr, acc, &mapped, pa))
			return false;
		return !mapped || tlb_stage(cpu, STAGE_ROOT, vaddr, acc, pa);
	}
	/* Guest: guest virtual -> guest physical -> physical. */
	uint32_t gpa;
	if (!segment(cpu, &cpu->gcp0, vaddr, acc, &mapped, &gpa))
		return false;
	if (mapped && !tlb_stage(cpu, STAGE_GUEST, vaddr, acc, &gpa))
		return false;
	return tlb_stage(cpu, STAGE_GPA, gpa, acc, pa);
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

/* Whether the host page of a RAM-backed page is the board's RAM, where a
 * code page's stores may go without translating (mmu_store). */
static inline bool in_ram(const struct cpu *cpu, const uint8_t *host)
{
	return host >= cpu->ram && host < cpu->ram + cpu->ram_size;
}

/* A page just became code: no soft-TLB entry may write it directly; in
 * RAM, its stores keep their translation (STLB_CODE_PAGE). */
static void drop_write_tags(struct cpu *cpu, uint32_t pa_page)
{
	uint8_t *host = bus_host_ptr(cpu->bus, pa_page, 4096);
	for (unsigned c = 0; c < MMU_NCLASSES; c++)
		for (unsigned i = 0; i < STLB_SIZE; i++) {
			struct stlb_entry *e = &cpu->stlb[c][i];
			if (e->wtag != STLB_TAG_NONE &&
			    (uint8_t *)(e->addend + (e->wtag & ~STLB_TAG_FLAGS)) == host)
				e->wtag = in_ram(cpu, host) ? e->wtag | STLB_CODE_PAGE
							    : STLB_TAG_NONE;
		}
}

static bool fetch_page_setup(struct cpu *cpu, uint32_t pc)
{
	if (cpu->ejtag.dm && pc >= EJTAG_DMSEG && pc < EJTAG_DSEG_END)
		return ejtag_fetch(cpu, pc);
	if (pc & 3) {
		cpu_address_error(cpu, EXC_ADEL, pc);
		return false;
	}
	if (mmu_fetch_tlb_hit(cpu, pc))
		return true;
	uint32_t pa;
	if (!mmu_translate(cpu, pc, ACC_FETCH, &pa))
		return false;
	struct pd_page **slotp = pd_slot(cpu, pa);
	if (!slotp) {
		cpu_exception(cpu, EXC_IBE, false);
		return false;
	}
	if (!*slotp) {
		*slotp = malloc(sizeof(struct pd_page));
		if (!*slotp)
			abort();
		for (unsigned i = 0; i < 1024; i++) {
			(*slotp)->insn[i].op = PD_UNDECODED;
			(*slotp)->insn[i].run = PD_RUN_UNKNOWN;
		}
		(*slotp)->insn[1024] = (struct pd_insn){.op = PD_PAGE_END};
		memset((*slotp)->jit, 0, sizeof((*slotp)->jit));
		(*slotp)->host = bus_host_ptr(cpu->bus, pa & ~0xfffu, 4096);
		drop_write_tags(cpu, pa & ~0xfffu);
	}
	uint32_t vpage = pc & ~0xfffu;
	unsigned slot = (pc >> 12) & (STLB_SIZE - 1);
	cpu->ftlb[cpu->mclass][slot] = (struct ftlb_entry){
		.vpage = vpage | cpu->stlb_key, .page = *slotp};
	softtlb_log(cpu, cpu->mclass, slot, true);
	mmu_set_fetch_page(cpu, vpage, *slotp);
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
			unsigned i = (a & 0xfff) >> 2;
			struct pd_insn *d = &(*slot)->insn[i];
			if (d->op != PD_UNDECODED) {
				d->op = PD_UNDECODED;
				cpu->stats.smc_invalidations++;
			}
			/* The block runs that hold the word (exec.c, "Blocks"):
			 * a known run is known all through, so they are the
			 * known ones back from it; and the blocks compiled
			 * from them (jit.h). */
			d->run = PD_RUN_UNKNOWN;
			*JIT_OF(d) = (struct pd_jit){0};
			for (unsigned k = i; k-- > 0;) {
				struct pd_insn *b = &(*slot)->insn[k];
				/* A run that ends before the word, not just
				 * before it, neither holds it nor depends on it,
				 * nor do those before it (data after code).  One
				 * that ends just before it may have ended there
				 * because of it (an instruction that is not
				 * block-safe): the new word may carry it on. */
				if (b->run == 0 || b->run == PD_RUN_UNKNOWN || b->run < i - k)
					break;
				b->run = PD_RUN_UNKNOWN;
				*JIT_OF(b) = (struct pd_jit){0};
			}
		}
	}
}

/* ------------------------------------------------------------ slow path */

static void fill_stlb(struct cpu *cpu, uint32_t vaddr, uint32_t pa, bool store)
{
	uint8_t *host = bus_host_ptr(cpu->bus, pa & ~0xfffu, 4096);
	if (!host || cpu->ejtag.db_on) /* data breakpoints see every access */
		return;
	unsigned slot = (vaddr >> 12) & (STLB_SIZE - 1);
	struct stlb_entry *e = &cpu->stlb[cpu->mclass][slot];
	uint32_t vpage = vaddr & ~0xfffu;
	softtlb_log(cpu, cpu->mclass, slot, false);
	uintptr_t addend = (uintptr_t)host - vpage;
	if (e->addend != addend) {
		e->rtag = e->wtag = STLB_TAG_NONE;
		e->addend = addend;
	}
	if (store) {
		if (!page_has_code(cpu, pa))
			e->wtag = vpage | cpu->stlb_key;
		else if (in_ram(cpu, host))
			e->wtag = vpage | cpu->stlb_key | STLB_CODE_PAGE;
	} else {
		/* The load translated, so RI did not forbid it; a PageGrain write
		 * that could change that flushes the soft TLB. */
		e->rtag = vpage | cpu->stlb_key;
	}
}

bool mmu_read_pa(struct cpu *cpu, uint32_t pa, unsigned size, uint32_t *val)
{
	if (!bus_read(cpu->bus, pa, size, val)) {
		cpu_exception(cpu, EXC_DBE, false);
		return false;
	}
	return true;
}

bool mmu_write_pa(struct cpu *cpu, uint32_t pa, unsigned size, uint32_t val)
{
	if (!bus_write(cpu->bus, pa, size, val)) {
		cpu_exception(cpu, EXC_DBE, false);
		return false;
	}
	if (cpu->stop_requested)
		cpu->next_event = cpu->icount; /* a device asked to stop */
	mmu_code_written(cpu, pa, size);
	return true;
}

/* Debug mode's dseg, which is not kseg3 then (ejtag.c). */
static inline bool in_dseg(const struct cpu *cpu, uint32_t vaddr)
{
	return cpu->ejtag.dm && vaddr >= EJTAG_DMSEG && vaddr < EJTAG_DSEG_END;
}

bool mmu_load_pa(struct cpu *cpu, uint32_t vaddr, unsigned size, uint32_t *val,
		 uint32_t *pa)
{
	if (vaddr & (size - 1)) {
		cpu_address_error(cpu, EXC_ADEL, vaddr);
		return false;
	}
	return mmu_translate(cpu, vaddr, ACC_LOAD, pa) &&
	       mmu_read_pa(cpu, *pa, size, val);
}

bool mmu_load(struct cpu *cpu, uint32_t vaddr, unsigned size, uint32_t *val)
{
	uint32_t pa;
	if (in_dseg(cpu, vaddr))
		return ejtag_load(cpu, vaddr, size, val);
	if (!mmu_load_pa(cpu, vaddr, size, val, &pa))
		return false;
	fill_stlb(cpu, vaddr, pa, false);
	return true;
}

bool mmu_store(struct cpu *cpu, uint32_t vaddr, unsigned size, uint32_t val)
{
	/* A RAM page with code that translated for stores before: write it,
	 * and drop the predecoded words, as mmu_write_pa would. */
	struct stlb_entry *e = &cpu->stlb[cpu->mclass][(vaddr >> 12) & (STLB_SIZE - 1)];
	if (e->wtag == ((vaddr & (0xfffff000u | (size - 1))) | cpu->stlb_key | STLB_CODE_PAGE)) {
		uint8_t *host = (uint8_t *)(e->addend + vaddr);
		memcpy(host, &val, size);
		mmu_code_written(cpu, (uint32_t)(host - cpu->ram), size);
		return true;
	}
	if (in_dseg(cpu, vaddr))
		return ejtag_store(cpu, vaddr, size, val);
	if (vaddr & (size - 1)) {
		cpu_address_error(cpu, EXC_ADES, vaddr);
		return false;
	}
	uint32_t pa;
	if (!mmu_translate(cpu, vaddr, ACC_STORE, &pa) ||
	    !mmu_write_pa(cpu, pa, size, val))
		return false;
	fill_stlb(cpu, vaddr, pa, true);
	return true;
}
