/*
 * crashme.c: crashme as a user process of the stress guest kernel
 * (stress/kernel/kernel.h).  Each block is generated from (seed, guest,
 * block number) by block.c, written into the code page, given the
 * starting registers of crashme_block_regs, and run in user mode in a
 * fresh mapping: the code page read-only and the scratch pages present
 * but not yet valid (demand paging) and not executable, under a new ASID, so no TLB entry
 * of an earlier block can serve it.  The block ends at its first
 * exception the kernel sees (its final syscall, a fault, a trap...) or
 * when its time is up; TLB faults on mapped pages are served by the TLB
 * handlers and the block goes on.  Outcomes are counted by kind in ks[]
 * (include/vzsoak/kstats.h).
 */
#include "kernel.h"

#include <crashme/block.h>

#define BLOCK_BUDGET	4096u	/* guest Count ticks a block may run */

static struct mm cm_mm;
static struct uctx cm_ctx;
static uint32_t cm_seed, cm_guest, cm_words;

void crashme_init(uint32_t seed, uint32_t guest, uint32_t words)
{
	cm_seed = seed;
	cm_guest = guest;
	cm_words = words;
	ks[KS_BLOCK_WORDS] = words;
	mm_init(&cm_mm);
}

static void fresh_mapping(void)
{
	volatile uint32_t *pte = cm_mm.pte;

	pte[CRASHME_CODE_VA >> PAGE_SHIFT] = CRASHME_FRAME_PA | _PAGE_CCA_WB | _PAGE_PRESENT;
	for (uint32_t i = 0; i < CRASHME_SCRATCH_PAGES; i++)
		pte[(CRASHME_SCRATCH_VA >> PAGE_SHIFT) + i] =
			(CRASHME_FRAME_PA + (1 + i) * PAGE_SIZE) | _PAGE_CCA_WB |
			_PAGE_NO_EXEC | _PAGE_WRITE | _PAGE_PRESENT;
	new_asid(&cm_mm);
	switch_mm(&cm_mm);
}

/* One block, start to outcome. */
static void run_block(void)
{
	uint32_t block = ks[KS_BLOCKS];
	uint32_t end_pc = CRASHME_CODE_VA + 4 * (cm_words - 1);

	ks[KS_BLOCKS] = block + 1;
	crashme_block(cm_seed, cm_guest, block,
		      (uint32_t *)KSEG0(CRASHME_FRAME_PA), cm_words);
	crashme_block_regs(cm_seed, cm_guest, block, cm_ctx.gpr);
	cm_ctx.hi = cm_ctx.lo = 0;
	cm_ctx.epc = CRASHME_CODE_VA;
	fresh_mapping();
	ks_new_context();

	uint32_t deadline = read_count() + BLOCK_BUDGET;
	set_timer(deadline);
	uint32_t cause = enter_user(&cm_ctx);
	uint32_t exc = CAUSE_EXC(cause);

	if (exc != EXC_INT)
		checks_timer();
	if (exc == EXC_INT) {
		ks_add(KS_TICKS, 1);
		ks_add(KS_TIMEOUTS, 1);
	} else if (exc == EXC_SYS && cm_ctx.epc == end_pc && !(cause & CAUSE_BD)) {
		ks_add(KS_COMPLETED, 1);
	} else {
		ks_add(KS_OUTCOME(exc), 1);
	}
}

void crashme_slice(uint32_t until)
{
	g_marker(CRASHME_MARKER(ks[KS_BLOCKS]));
	do
		run_block();
	while ((int32_t)(read_count() - until) < 0);
}

/* The outcome line, as crashme prints its summary. */
void crashme_report(void)
{
	static const char *const exc_names[32] = {
#define EXC(code, sym, name) [code] = name,
#include <mips/exc.def>
	};
	const char *names[3 + 32];
	uint32_t vals[3 + 32];
	unsigned n = 3;

	names[0] = "blocks";
	vals[0] = ks[KS_BLOCKS];
	names[1] = "completed";
	vals[1] = ks[KS_COMPLETED];
	names[2] = "timeout";
	vals[2] = ks[KS_TIMEOUTS];
	for (unsigned e = 0; e < 32; e++)
		if (ks[KS_OUTCOME(e)]) {
			names[n] = exc_names[e] ? exc_names[e] : "?";
			vals[n++] = ks[KS_OUTCOME(e)];
		}
	kputs_fields("crashme:", names, vals, n);
}
