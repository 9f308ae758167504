/*
 * kernel.h: what the parts of the stress guest kernel share (main.c,
 * entry.S, tlbex.S, the crashme process in stress/kernel/crashme.c).
 *
 * The kernel runs at guest EXL = 1 from the moment it has a user process:
 * kernel code touches only kseg0, so it takes no exception of its own,
 * and a user process is a coroutine: enter_user() erets into it and
 * "returns" the guest Cause when an exception from user mode ends up in
 * the kernel (entry.S user_exit).  The TLB refill and TLBL/TLBS/Mod
 * handlers (tlbex.S) serve user faults themselves, as Linux's do, and
 * come back here only for a fault with no page behind it.
 */
#ifndef STRESS_KERNEL_H
#define STRESS_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include <mips/cp0.h>
#include <mips/exc.h>
#include <vzsoak/kstats.h>

#include "guest.h"

#define PAGE_SHIFT	14
#define PAGE_SIZE	(1u << PAGE_SHIFT)
#define PTRS_PER_PTE	4096u		/* a 16K table of 32-bit PTEs: 64 MiB */
#define PTRS_PER_PGD	64u		/* PGDIR_SHIFT 26: 4 GiB */

/* PTE bits, MIPS32 RI/XI layout (Linux's pgtable-bits.h). */
#define _PAGE_PRESENT	0x001u
#define _PAGE_WRITE	0x002u
#define _PAGE_ACCESSED	0x004u
#define _PAGE_MODIFIED	0x008u
#define _PAGE_NO_EXEC	0x010u		/* -> EntryLo.XI */
#define _PAGE_VALID	0x080u
#define _PAGE_DIRTY	0x100u
#define _PAGE_CCA_WB	(3u << 9)	/* cacheable noncoherent */

/* Guest physical memory (the 16 MiB window): the kernel below 4 MiB. */
#define WORK_FRAME_PA	0x00400000u	/* the memory worker's frames, <= 512 */
#define CRASHME_FRAME_PA 0x00c00000u	/* crashme: code page, then scratch */
#define KSEG0(pa)	((volatile uint32_t *)(0x80000000u | (pa)))

/* A user process's registers while it is not running (entry.S offsets). */
struct uctx {
	uint32_t gpr[32];
	uint32_t hi, lo;
	uint32_t epc;
	uint32_t cause, badvaddr; /* of the exception that left user mode */
};
_Static_assert(__builtin_offsetof(struct uctx, hi) == 128, "entry.S layout");
_Static_assert(__builtin_offsetof(struct uctx, badvaddr) == 144, "entry.S layout");

/*
 * An address space: a pgd, the PTE table for VA 0..64M, an ASID.  The PTE
 * table is 8-byte aligned, as Linux's (a whole page) is: the TLB handlers'
 * tail finds the even PTE of a pair by clearing bit 2 of a PTE's address
 * (tlbex.S, "ori 4; xori 4"), so a table at an odd word would pair each
 * PTE with its neighbour below and map the wrong pages.
 */
struct mm {
	uint32_t pgd[PTRS_PER_PGD];
	volatile uint32_t pte[PTRS_PER_PTE] __attribute__((aligned(8)));
	uint32_t asid;
};

/* entry.S */
uint32_t enter_user(struct uctx *u);

/* main.c */
extern volatile uint32_t ks[KS_WORDS];
void mm_init(struct mm *mm);
void switch_mm(struct mm *mm);
void new_asid(struct mm *mm);
void ks_add(unsigned word, uint32_t n);
void ks_new_context(void);
void kputs_fields(const char *text, const char *const *names,
		  const uint32_t *vals, unsigned n);

/* stress/kernel/crashme.c: crashme's process; a slice runs blocks until the
 * guest Count passes `until`. */
void crashme_init(uint32_t seed, uint32_t guest, uint32_t words);
void crashme_slice(uint32_t until);
void crashme_report(void);

static inline uint32_t read_count(void) { return read_c0(CP0_COUNT); }
/* stress/kernel/checks.c */
void set_timer(uint32_t when);
/* After an exception from user mode: a deadline Count passed shows in TI. */
void checks_timer(void);
void checks_init(uint32_t guestid, uint32_t seed, bool selfcheck);
/* At the start of each round (1, 2, ...). */
void checks_round(uint32_t round);

#endif
