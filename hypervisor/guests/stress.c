/*
 * stress: the minimal guest kernel with Linux-shaped TLB handlers
 * (stress_tlb.S), 16K pages and demand paging, to reproduce the
 * "shrinking page" race under several guests (docs/stress.md).
 *
 * Boot (r4k_tlb_configure, paging_init): PageMask = 16K once, Wired = 0,
 * a two-level page table (pgd_current -> pgd[64] -> 4096 PTEs) whose PTEs
 * for the work region start present + writable but not valid, so each
 * page's first touch takes a TLB refill and then a TLB Invalid that the
 * handler makes valid.
 *
 * Workload (guest kernel mode, kuseg addresses, so mapped like user
 * memory): passes over 64 fresh 16K pages.  Per even/odd pair: load the
 * even page (refill + TLBL: the entry is written with the odd half still
 * invalid); set the odd PTE valid in memory without touching the TLB, as
 * an SMP sibling's fault would; load the odd page: TLBL on a valid PTE,
 * the RIXI path's tlbr; store to both (Mod).  Then read every page of the
 * pass back and check it.  Four stress guests share the 32-entry guest part
 * of the TLB, so their refills evict each other's entries.
 *
 * Anomalies (hypercall 4): 0x51 PageMask left != 16K by a handler (detail:
 * the PageMask; from stress_tlb.S, once), 0x52 livelock (the same
 * EPC/BadVAddr faulting LIVELOCK_MAX times; the guest stops), 0x53 a word
 * read back wrong (detail: VA; once), 0x54 no PTE, 0xe1 another exception.
 */
#include "guest.h"

#ifndef TLBP_CHECK
#define TLBP_CHECK 0
#endif

#define PM_16K		0x00006000u
#define PAGE_SHIFT	14
#define PAGE_SIZE	(1u << PAGE_SHIFT)
#define PTRS_PER_PTE	4096u			/* a 16K PTE table: 64 MiB */
#define PTRS_PER_PGD	64u

/* PTE bits, MIPS32 RIXI layout (pgtable-bits.h) */
#define _PAGE_PRESENT	0x001u
#define _PAGE_WRITE	0x002u
#define _PAGE_ACCESSED	0x004u
#define _PAGE_VALID	0x080u
#define _PAGE_CCA_WB	(3u << 9)		/* cacheable noncoherent */

#define FIRST_PAGE	256u			/* VA 0x00400000 */
#define PAGES_PER_PASS	64u
#define PASSES		16u
#define FRAME_BASE	0x00400000u		/* guest physical: 64 frames, 1 MiB */
#define NFRAMES		64u
#define WORDS_PER_PAGE	4u			/* one word every 4K */

#define ANOM_BADDATA	0x53

/* The page table the handlers walk. */
uint32_t pgd[PTRS_PER_PGD] __attribute__((aligned(256)));
uint32_t *pgd_current;
volatile uint32_t pte_table[PTRS_PER_PTE] __attribute__((aligned(16)));
uint32_t invalid_pte_table[PTRS_PER_PTE] __attribute__((aligned(16)));

/* stress_tlb.S */
extern volatile uint32_t n_refill, n_tlbl, n_tlbs, n_tlbm, n_spurious;
extern volatile uint32_t pm_bad, pm_bad_count, pm_bad_epc, pm_bad_badvaddr;

static volatile uint32_t *page_va(uint32_t page)
{
	return (volatile uint32_t *)(page << PAGE_SHIFT);
}

static uint32_t tag(uint32_t page, uint32_t k)
{
	return (page << PAGE_SHIFT) + (k << 12) + 0x5a;
}

/* "text name=hex name=hex ...\n" in one console write. */
static void put_fields(const char *text, const char *const *names,
		       const uint32_t *vals, unsigned n)
{
	char buf[200];
	unsigned len = 0;

	while (*text)
		buf[len++] = *text++;
	for (unsigned i = 0; i < n; i++) {
		buf[len++] = ' ';
		for (const char *s = names[i]; *s; s++)
			buf[len++] = *s;
		buf[len++] = '=';
		for (int b = 28; b >= 0; b -= 4)
			buf[len++] = "0123456789abcdef"[(vals[i] >> b) & 0xf];
	}
	buf[len++] = '\n';
	g_write(buf, len);
}

int main(void)
{
	uint32_t bad = 0, bad_va = 0, bad_got = 0, page, mapped = 0;

	/* r4k_tlb_configure: PageMask once, no wired entries. */
	mtc0(5, 0, PM_16K);
	mtc0(6, 0, 0);

	/* paging_init / pagetable_init: every pgd slot -> invalid_pte_table. */
	for (uint32_t i = 0; i < PTRS_PER_PGD; i++)
		pgd[i] = (uint32_t)invalid_pte_table;
	pgd[0] = (uint32_t)pte_table;		/* VA 0..64M */
	pgd_current = pgd;
	for (uint32_t i = 0; i < PASSES * PAGES_PER_PASS; i++)
		pte_table[FIRST_PAGE + i] = (FRAME_BASE + (i % NFRAMES) * PAGE_SIZE) |
					    _PAGE_CCA_WB | _PAGE_WRITE | _PAGE_PRESENT;

	g_puts(TLBP_CHECK ? "stress: 16K pages, tlbp-check on\n"
			  : "stress: 16K pages, tlbp-check off\n");

	for (uint32_t pass = 0; pass < PASSES; pass++) {
		uint32_t base = FIRST_PAGE + pass * PAGES_PER_PASS;

		for (uint32_t j = 0; j < PAGES_PER_PASS; j += 2) {
			uint32_t even = base + j, odd = base + j + 1;

			(void)*page_va(even);	/* refill, then TLBL: even made valid */
			pte_table[odd] |= _PAGE_VALID | _PAGE_ACCESSED; /* a "sibling" */
			(void)*page_va(odd);	/* TLBL on a valid PTE: the tlbr path */
			for (uint32_t k = 0; k < WORDS_PER_PAGE; k++) {
				page_va(even)[k << 10] = tag(even, k);	/* Mod */
				page_va(odd)[k << 10] = tag(odd, k);
			}
		}
		/* read the pass back: a 4K PageMask maps 4K..8K to the wrong frame */
		for (page = base; page < base + PAGES_PER_PASS; page++)
			for (uint32_t k = 0; k < WORDS_PER_PAGE; k++) {
				uint32_t got = page_va(page)[k << 10];

				if (got != tag(page, k) && !bad++) {
					bad_va = (page << PAGE_SHIFT) + (k << 12);
					bad_got = got;
					g_anomaly(ANOM_BADDATA, bad_va);
				}
			}
		g_heartbeat(pass);
	}

	for (uint32_t i = 0; i < PTRS_PER_PTE; i++)
		if (pte_table[i] & _PAGE_VALID)
			mapped++;
	g_put_hex_line("stress: pages mapped: ", mapped);
	{
		static const char *const names[] = { "refill", "tlbl", "tlbs", "mod", "spurious" };
		uint32_t vals[] = { n_refill, n_tlbl, n_tlbs, n_tlbm, n_spurious };
		put_fields("stress: counts", names, vals, 5);
	}
	if (pm_bad_count) {
		static const char *const names[] = { "pagemask", "epc", "badvaddr", "times" };
		uint32_t vals[] = { pm_bad, pm_bad_epc, pm_bad_badvaddr, pm_bad_count };
		put_fields("stress: PageMask changed:", names, vals, 4);
	}
	if (bad) {
		static const char *const names[] = { "count", "first", "read" };
		uint32_t vals[] = { bad, bad_va, bad_got };
		put_fields("stress: words read back wrong:", names, vals, 3);
	}
	g_puts(pm_bad_count || bad ? "stress: anomaly\n" : "stress: clean\n");
	return pm_bad_count || bad ? 1 : 0;
}
