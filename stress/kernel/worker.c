/*
 * worker.c: the memory worker, a user process of the stress kernel (it
 * runs from .utext, mapped read-only at its own guest physical address;
 * it has no data of its own but its stack and its pages).
 *
 * Each pass asks the kernel for a fresh region (SYS_PASS_BEGIN: the
 * pages unmapped, a new ASID) and walks it in even/odd pairs of 16K
 * pages: load the even page (refill, then TLBL: the entry is written with
 * the odd half invalid), have the odd PTE made valid in memory without
 * touching the TLB (SYS_SIBLING, what an SMP sibling's fault would do),
 * load the odd page (TLBL on a valid PTE: Linux's RI/XI tlbr path), then
 * store a word every 4K into both (Mod).  Then it reads the whole pass
 * back and reports what was wrong (SYS_PASS_END).  A page that shrank to
 * 4K maps its upper 12K through the wrong EntryLo: the words read back
 * wrong, or the same fault repeats for ever.
 */
#include "worker.h"

#define UTEXT __attribute__((section(".utext")))

static inline __attribute__((always_inline)) uint32_t
sys3(uint32_t nr, uint32_t x, uint32_t y, uint32_t z)
{
	register uint32_t v0 __asm__("$2") = nr;
	register uint32_t a0 __asm__("$4") = x;
	register uint32_t a1 __asm__("$5") = y;
	register uint32_t a2 __asm__("$6") = z;
	__asm__ volatile("syscall" : "+r"(v0) : "r"(a0), "r"(a1), "r"(a2) : "memory");
	return v0;
}

static inline __attribute__((always_inline)) uint32_t
tag(uint32_t va, uint32_t pass)
{
	return va ^ (pass << 24) ^ 0x5a;
}

void UTEXT __attribute__((noreturn)) worker_main(uint32_t npages)
{
	for (uint32_t pass = 0;; pass++) {
		uint32_t base = sys3(SYS_PASS_BEGIN, pass, 0, 0);
		uint32_t bad = 0, bad_va = 0, bad_got = 0;

		for (uint32_t j = 0; j < npages; j += 2) {
			uint32_t even = base + j * WORKER_PAGE, odd = even + WORKER_PAGE;

			(void)*(volatile uint32_t *)even;
			sys3(SYS_SIBLING, odd, 0, 0);
			(void)*(volatile uint32_t *)odd;
			for (uint32_t k = 0; k < WORKER_PAGE; k += 0x1000) {
				*(volatile uint32_t *)(even + k) = tag(even + k, pass);
				*(volatile uint32_t *)(odd + k) = tag(odd + k, pass);
			}
		}
		for (uint32_t j = 0; j < npages; j++)
			for (uint32_t k = 0; k < WORKER_PAGE; k += 0x1000) {
				uint32_t va = base + j * WORKER_PAGE + k;
				uint32_t got = *(volatile uint32_t *)va;
				if (got != tag(va, pass) && bad++ == 0) {
					bad_va = va;
					bad_got = got;
				}
			}
		sys3(SYS_PASS_END, bad, bad_va, bad_got);
	}
}
