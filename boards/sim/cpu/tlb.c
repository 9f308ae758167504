/*
 * The joint TLB (JTLB/VTLB) and its instructions: tlbp, tlbr, tlbwi, tlbwr,
 * tlbinv, tlbinvf, and the Random register.
 *
 * Implementation choices (docs/vzsim.md, "CPU configuration"):
 * - Entries store VPN2 already masked by their PageMask, as TLBWI's
 *   pseudo-code writes them, so tlbr reads back the masked VPN2.
 * - tlbr with Index.P set or an index past the last entry follows the board
 *   option tlbr-bad-index; tlbwi with such an index wraps (index modulo the
 *   entry count), as QEMU does; the architecture leaves both undefined.
 * - A missed tlbp sets Index.P and leaves the index bits as they were.
 * - Random is a seeded PRNG over [Wired, entries-1], advanced by each tlbwr;
 *   writing Wired sets it to the top entry, as the architecture says.
 * - Writing an entry that would match an address together with another valid
 *   entry raises Machine Check (Status.TS set, entry not written) when the
 *   board option tlb-mcheck is on, as on P5600.
 */
#include "cpu.h"

static inline uint32_t entry_span_mask(uint32_t mask)
{
	return mask | 0x1fffu; /* address bits below VPN2 for this page size */
}

static uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static void random_advance(struct cpu *cpu)
{
	unsigned n = cpu->tlb_entries, w = cpu->cp0.wired;
	if (w >= n) {
		cpu->random_next = n - 1;
		return;
	}
	cpu->random_next = w + (unsigned)(xorshift64(&cpu->random_state) % (n - w));
}

uint32_t tlb_random(struct cpu *cpu)
{
	return cpu->random_next;
}

void tlb_reset(struct cpu *cpu)
{
	for (unsigned i = 0; i < TLB_MAX_ENTRIES; i++) {
		struct tlb_entry *e = &cpu->tlb[i];
		*e = (struct tlb_entry){0};
		e->ehinv = true;
	}
	cpu->random_next = cpu->tlb_entries - 1;
	mmu_flush(cpu);
}

static bool entry_matches(const struct tlb_entry *e, uint32_t vaddr, uint8_t asid)
{
	if (e->ehinv)
		return false;
	if ((vaddr & ~entry_span_mask(e->mask)) != e->vpn2)
		return false;
	return e->g || e->asid == asid;
}

int tlb_lookup(const struct cpu *cpu, uint32_t vaddr, uint8_t asid)
{
	for (unsigned i = 0; i < cpu->tlb_entries; i++)
		if (entry_matches(&cpu->tlb[i], vaddr, asid))
			return (int)i;
	return -1;
}

void tlb_tlbp(struct cpu *cpu)
{
	uint32_t hi = cpu->cp0.entryhi;
	int idx = tlb_lookup(cpu, hi & 0xffffe000u, (uint8_t)hi);
	if (idx >= 0)
		cpu->cp0.index = (uint32_t)idx;
	else
		cpu->cp0.index |= INDEX_P;
}

static void read_invalid_values(struct cpu *cpu)
{
	cpu->cp0.entryhi = ENTRYHI_EHINV;
	cpu->cp0.entrylo0 = 0;
	cpu->cp0.entrylo1 = 0;
	cpu->cp0.pagemask = 0;
}

static void tlbr_entry(struct cpu *cpu);

/* tlbr loads EntryHi.ASID too: the soft TLB holds one ASID's view. */
void tlb_tlbr(struct cpu *cpu)
{
	uint32_t old_asid = cpu->cp0.entryhi & 0xffu;
	tlbr_entry(cpu);
	if ((cpu->cp0.entryhi & 0xffu) != old_asid)
		mmu_flush(cpu);
}

static void tlbr_entry(struct cpu *cpu)
{
	uint32_t idx = cpu->cp0.index & ~INDEX_P;
	if ((cpu->cp0.index & INDEX_P) || idx >= cpu->tlb_entries) {
		switch (cpu->tlbr_bad_index) {
		case TLBR_BAD_UNCHANGED:
			return;
		case TLBR_BAD_INVALID:
			read_invalid_values(cpu);
			return;
		case TLBR_BAD_WRAP:
			idx %= cpu->tlb_entries;
			break;
		}
	}
	const struct tlb_entry *e = &cpu->tlb[idx];
	if (e->ehinv) {
		read_invalid_values(cpu);
		return;
	}
	uint32_t g = e->g ? 1u : 0u;
	cpu->cp0.entryhi = e->vpn2 | e->asid;
	cpu->cp0.pagemask = e->mask;
	cpu->cp0.entrylo0 = (e->lo[0] & ~1u) | g;
	cpu->cp0.entrylo1 = (e->lo[1] & ~1u) | g;
}

/* Another valid entry that would match some address the new one maps. */
static bool overlaps(const struct cpu *cpu, unsigned skip,
		     const struct tlb_entry *n)
{
	for (unsigned i = 0; i < cpu->tlb_entries; i++) {
		const struct tlb_entry *e = &cpu->tlb[i];
		if (i == skip || e->ehinv)
			continue;
		uint32_t span = entry_span_mask(e->mask) | entry_span_mask(n->mask);
		if ((e->vpn2 & ~span) != (n->vpn2 & ~span))
			continue;
		if (e->g || n->g || e->asid == n->asid)
			return true;
	}
	return false;
}

static bool write_entry(struct cpu *cpu, unsigned idx)
{
	const struct cp0 *c = &cpu->cp0;
	struct tlb_entry n = {0};
	n.mask = c->pagemask & 0x1fffe000u;
	n.vpn2 = c->entryhi & ~entry_span_mask(n.mask);
	n.asid = (uint8_t)c->entryhi;
	n.g = (c->entrylo0 & 1) && (c->entrylo1 & 1);
	n.ehinv = (c->entryhi & ENTRYHI_EHINV) != 0;
	n.lo[0] = c->entrylo0;
	n.lo[1] = c->entrylo1;
	if (cpu->tlb_mcheck && !n.ehinv && overlaps(cpu, idx, &n)) {
		cpu->cp0.status |= ST_TS;
		cpu_exception(cpu, EXC_MCHECK, false);
		return false;
	}
	cpu->tlb[idx] = n;
	mmu_flush(cpu);
	return true;
}

bool tlb_tlbwi(struct cpu *cpu)
{
	return write_entry(cpu, (cpu->cp0.index & ~INDEX_P) % cpu->tlb_entries);
}

bool tlb_tlbwr(struct cpu *cpu)
{
	unsigned idx = cpu->random_next;
	if (!write_entry(cpu, idx))
		return false;
	random_advance(cpu);
	return true;
}

void tlb_tlbinv(struct cpu *cpu)
{
	uint8_t asid = (uint8_t)cpu->cp0.entryhi;
	for (unsigned i = 0; i < cpu->tlb_entries; i++) {
		struct tlb_entry *e = &cpu->tlb[i];
		if (!e->g && e->asid == asid)
			e->ehinv = true;
	}
	mmu_flush(cpu);
}

void tlb_tlbinvf(struct cpu *cpu)
{
	for (unsigned i = 0; i < cpu->tlb_entries; i++)
		cpu->tlb[i].ehinv = true;
	mmu_flush(cpu);
}

void tlb_wired_written(struct cpu *cpu)
{
	cpu->random_next = cpu->tlb_entries - 1;
}
