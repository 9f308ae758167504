/*
 * stress: the minimal guest kernel with Linux-shaped TLB handlers
 * (tlbex.S), 16K pages and demand paging, that runs two user processes,
 * so that several copies of it, one per guest, fight over the guest part
 * of the shared TLB the way the "shrinking page" bug needs
 * (docs/stress.md):
 *
 *  - the memory worker (worker.c): passes over many fresh 16K pages,
 *    through the refill, TLBL (including the RI/XI tlbr path), TLBS and
 *    Mod handlers, reading every word back;
 *  - crashme (stress/kernel/crashme.c): random instruction blocks, each in a
 *    fresh mapping, every exception caught and counted by kind.
 *
 * A round is a worker slice then a crashme slice on the guest timer,
 * then a heartbeat (hypercall 2).  Everything the harness wants to know
 * is in ks[] (include/vzsoak/kstats.h), registered with hypercall 7 and
 * kept current, so it can be read even from a guest that locked up.
 *
 * Boot (r4k_tlb_configure, paging_init, build_tlb_refill_handler): the
 * run's parameters by hypercall 8, the TLB handler flavour, PageMask 16K
 * once and never again, Wired 0, the TLB flushed.
 *
 * With selfcheck=off the kernel checks and reports nothing, as a Linux
 * guest does: no anomaly reports, no repeated-fault counting, no
 * heartbeats (tlbex.S's unchecked handlers, and `selfcheck` here); the
 * workload and the plain counters are the same.
 */
#include <stdbool.h>

#include "kernel.h"
#include "worker.h"

#include <crashme/block.h>

#define WORKER_SLICE	20000u	/* guest Count ticks per worker slice */
#define CRASHME_SLICE	20000u	/* ... per crashme slice */

volatile uint32_t ks[KS_WORDS] __attribute__((aligned(16)));

/* The page table the handlers walk: the current process's pgd. */
uint32_t *pgd_current;
uint32_t invalid_pte_table[PTRS_PER_PTE] __attribute__((aligned(16)));

/* tlbex.S */
extern uint32_t exception_handlers[32];
/* [0: with the kernel's own checks, 1: without][flavour][Mod, TLBL, TLBS] */
extern const uint32_t tlbex_handlers[2][3][3];
extern const uint32_t handle_other_unchecked[];
/* stress.ld: the user-mode code, mapped at VA == guest PA. */
extern char __utext_start[], __utext_end[];

static struct mm worker_mm;
static struct uctx worker_ctx;
static uint32_t worker_pages;
/* Linux's asid_cache: ASID in the low 8 bits, a generation above. */
static uint32_t asid_cache = 0x100;
/* GCONF_SELFCHECK: 1 the kernel checks itself and reports (the default,
 * and what a hypervisor that does not know the key gets: -1), 0 not. */
static bool selfcheck;

void ks_add(unsigned word, uint32_t n)
{
	ks[word] += n;
}

/* A new block or pass: its first fault is no repeat of the last one's. */
void ks_new_context(void)
{
	ks[KS_LAST_EPC] = 0;
	ks[KS_LAST_BADVADDR] = 0;
	ks[KS_REPEATS] = 0;
}

/* "text name=N name=N ...\n" in one console write, decimal. */
void kputs_fields(const char *text, const char *const *names,
		  const uint32_t *vals, unsigned n)
{
	char buf[400];
	unsigned len = 0;

	while (*text && len < 80)
		buf[len++] = *text++;
	for (unsigned i = 0; i < n && len < sizeof buf - 40; i++) {
		char digits[10];
		unsigned d = 0;
		uint32_t v = vals[i];

		buf[len++] = ' ';
		for (const char *s = names[i]; *s && len < sizeof buf - 16; s++)
			buf[len++] = *s;
		buf[len++] = '=';
		do {
			digits[d++] = (char)('0' + v % 10);
			v /= 10;
		} while (v);
		while (d)
			buf[len++] = digits[--d];
	}
	buf[len++] = '\n';
	g_write(buf, len);
}

/* local_flush_tlb_all: every entry of the guest's TLB but the wired to a unique,
 * unmatchable EntryHi (UNIQUE_ENTRYHI: kseg0, which is never mapped). */
static void flush_tlb_all(void)
{
	uint32_t entries = ((read_c0(CP0_CONFIG1) >> 25) & 0x3f) + 1;
	uint32_t old = read_c0(CP0_ENTRYHI);

	write_c0(CP0_ENTRYLO0, 0);
	write_c0(CP0_ENTRYLO1, 0);
	write_c0(CP0_PAGEMASK, PM_16K);
	/* From Wired up, as Linux does: the wired entries stay. */
	for (uint32_t i = read_c0(CP0_WIRED); i < entries; i++) {
		write_c0(CP0_INDEX, i);
		write_c0(CP0_ENTRYHI, 0x80000000u + (i << (PAGE_SHIFT + 1)));
		__asm__ volatile("tlbwi\n\tehb" ::: "memory");
	}
	write_c0(CP0_ENTRYHI, old);
}

/* get_new_mmu_context: the next ASID; when they run out, a new
 * generation starts with the TLB flushed. */
void new_asid(struct mm *mm)
{
	uint32_t a = asid_cache + 1;

	if ((a & 0xff) == 0) {
		flush_tlb_all();
		ks_add(KS_ASID_WRAPS, 1);
		a++;			/* ASID 0 stays unused */
	}
	asid_cache = a;
	mm->asid = a;
}

/* switch_mm: a process whose ASID is of an old generation gets a new one
 * (its entries may have been flushed, and its number given away). */
void switch_mm(struct mm *mm)
{
	if ((mm->asid ^ asid_cache) & ~0xffu)
		new_asid(mm);
	pgd_current = mm->pgd;
	write_c0(CP0_ENTRYHI, mm->asid & 0xff);
}

void mm_init(struct mm *mm)
{
	for (uint32_t i = 0; i < PTRS_PER_PGD; i++)
		mm->pgd[i] = (uint32_t)invalid_pte_table;
	mm->pgd[0] = (uint32_t)mm->pte;	/* VA 0..64M */
	mm->asid = 0;			/* generation 0: new at first switch */
}

/* ---------------------------------------------------------- worker */
static uint32_t worker_pte(uint32_t va)
{
	return (va - WORKER_VA) / PAGE_SIZE;
}

static void worker_init(void)
{
	mm_init(&worker_mm);
	/* Its code, read-only, demand-paged like the rest. */
	for (uint32_t va = (uint32_t)__utext_start; va < (uint32_t)__utext_end; va += PAGE_SIZE)
		worker_mm.pte[va >> PAGE_SHIFT] = va | _PAGE_CCA_WB | _PAGE_PRESENT;
	/* Its stack: one page just below its region, at the same guest PA. */
	worker_mm.pte[WORKER_STACK_VA >> PAGE_SHIFT] = WORKER_STACK_VA | _PAGE_CCA_WB |
		_PAGE_NO_EXEC | _PAGE_WRITE | _PAGE_PRESENT;
	worker_ctx.epc = (uint32_t)worker_main;
	worker_ctx.gpr[4] = worker_pages;
	worker_ctx.gpr[29] = WORKER_STACK_VA + PAGE_SIZE - 16;
}

static uint32_t worker_syscall(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2)
{
	volatile uint32_t *pte = &worker_mm.pte[WORKER_VA >> PAGE_SHIFT];

	switch (nr) {
	case SYS_PASS_BEGIN:
		/* munmap + mmap: the region's pages present but not valid
		 * (demand paging), and a new ASID for the stale entries. */
		for (uint32_t j = 0; j < worker_pages; j++)
			pte[j] = (WORK_FRAME_PA + j * PAGE_SIZE) | _PAGE_CCA_WB |
				 _PAGE_NO_EXEC | _PAGE_WRITE | _PAGE_PRESENT;
		new_asid(&worker_mm);
		switch_mm(&worker_mm);
		ks_new_context();
		return WORKER_VA;
	case SYS_SIBLING:
		if (a0 >= WORKER_VA && worker_pte(a0) < worker_pages)
			pte[worker_pte(a0)] |= _PAGE_VALID | _PAGE_ACCESSED;
		return 0;
	case SYS_PASS_END:
		ks_add(KS_PASSES, 1);
		ks_add(KS_PAGES_TOUCHED, worker_pages);
		/* Words read back wrong are the worker's check; a kernel
		 * without self-checks does not look at the result. */
		if (a0 && selfcheck) {
			if (ks[KS_BAD_WORDS] == 0) {
				ks[KS_FIRST_BAD_VA] = a1;
				ks[KS_FIRST_BAD_GOT] = a2;
				g_anomaly(ANOM_BADDATA, a1);
			}
			ks_add(KS_BAD_WORDS, a0);
		}
		return 0;
	default:
		return (uint32_t)-1;
	}
}

/* Runs the worker until the guest Count passes `until`; 0 if it can go
 * on, -1 if it took an exception of its own (it is not run again). */
static int worker_slice(uint32_t until)
{
	switch_mm(&worker_mm);
	set_timer(until);
	for (;;) {
		uint32_t cause = enter_user(&worker_ctx);
		uint32_t exc = CAUSE_EXC(cause);

		if (exc == EXC_INT) {
			ks_add(KS_TICKS, 1);
		} else if (exc == EXC_SYS && !(cause & CAUSE_BD)) {
			checks_timer();
			ks_add(KS_SYSCALLS, 1);
			worker_ctx.gpr[2] = worker_syscall(worker_ctx.gpr[2], worker_ctx.gpr[4],
							   worker_ctx.gpr[5], worker_ctx.gpr[6]);
			worker_ctx.epc += 4;
		} else {
			if (selfcheck)
				g_anomaly(ANOM_WORKER, cause);
			return -1;
		}
		/* Checked after a system call too: a deadline that passed
		 * before Compare was written brings no interrupt. */
		if ((int32_t)(read_count() - until) >= 0)
			return 0;
		if (exc == EXC_INT)
			set_timer(until);
	}
}

/* ---------------------------------------------------------- kernel */
/* flavour: GCONF_TLBP_*, checked by main; without self-checks, every
 * handler is its unchecked twin (tlbex.S). */
static void tlbex_select(uint32_t flavour)
{
	const uint32_t *h = tlbex_handlers[!selfcheck][flavour];

	exception_handlers[1] = h[0];	/* Mod */
	exception_handlers[2] = h[1];	/* TLBL */
	exception_handlers[3] = h[2];	/* TLBS */
	if (!selfcheck)
		for (unsigned exc = 0; exc < 32; exc++)
			if (exc < 1 || exc > 3)
				exception_handlers[exc] = (uint32_t)handle_other_unchecked;
}

static void count_mapped(void)
{
	uint32_t n = 0;
	const volatile uint32_t *pte = &worker_mm.pte[WORKER_VA >> PAGE_SHIFT];

	for (uint32_t j = 0; j < worker_pages; j++)
		n += (pte[j] & _PAGE_VALID) != 0;
	ks[KS_PAGES_MAPPED] = n;
}

static const char *const flavour_names[] = { "off", "index", "on" };

static void report(void)
{
	static const char *const tlb_names[] = {
		"refill", "tlbl", "tlbs", "mod", "spurious", "nopage", "asid-wraps",
	};
	uint32_t tlb[] = {
		ks[KS_REFILL], ks[KS_TLBL], ks[KS_TLBS], ks[KS_MOD],
		ks[KS_SPURIOUS], ks[KS_NOPAGE], ks[KS_ASID_WRAPS],
	};
	kputs_fields("stress: tlb", tlb_names, tlb, 7);
	if (worker_pages) {
		static const char *const names[] = { "passes", "pages", "mapped", "bad-words" };
		uint32_t vals[] = { ks[KS_PASSES], ks[KS_PAGES_TOUCHED],
				    ks[KS_PAGES_MAPPED], ks[KS_BAD_WORDS] };
		kputs_fields("stress: worker", names, vals, 4);
	}
	if (ks[KS_BLOCK_WORDS])
		crashme_report();
	{
		static const char *const names[] = { "switch", "doorbells", "max-count-step",
						     "wired", "moving", "probe-misses" };
		uint32_t vals[] = { ks[KS_SWITCH_CHECKS], ks[KS_DOORBELLS], ks[KS_MAX_COUNT_STEP],
				    ks[KS_WIRED], ks[KS_MOVING], ks[KS_PROBE_MISSES] };
		kputs_fields("stress: checks", names, vals, 6);
	}
	if (ks[KS_PM_BAD_COUNT])
		g_put_hex_line("stress: PageMask changed to ", ks[KS_PM_BAD]);
	if (ks[KS_BAD_WORDS])
		g_put_hex_line("stress: first word read back wrong at ", ks[KS_FIRST_BAD_VA]);
}

int main(void)
{
	uint32_t gid = g_config(GCONF_GUESTID), seed = g_config(GCONF_SEED);
	uint32_t flavour = g_config(GCONF_TLBP_CHECK), words = g_config(GCONF_CRASHME);
	uint32_t rounds = g_config(GCONF_ROUNDS);
	int worker_ok;

	worker_pages = g_config(GCONF_WORKER_PAGES);
	selfcheck = g_config(GCONF_SELFCHECK) != 0;
	if (flavour > GCONF_TLBP_ON)
		flavour = GCONF_TLBP_ON;
	if (worker_pages > 512)
		worker_pages = 512;
	if (words > CRASHME_MAX_WORDS)
		words = CRASHME_MAX_WORDS;
	worker_ok = worker_pages != 0;

	ks[KS_VERSION] = KSTATS_VERSION;
	ks[KS_TLBP_CHECK] = flavour;
	ks[KS_SEED] = seed;
	ks[KS_MAGIC] = KSTATS_MAGIC;
	g_kstats(ks, KS_WORDS);

	tlbex_select(flavour);
	/* Execute-inhibit on, with its own exception code (TLBXI), as on cores
	 * with RI/XI exceptions (Linux's cpu_has_rixiex): data pages carry
	 * _PAGE_NO_EXEC, so a jump into data ends in TLBXI instead of running
	 * words no trace decoder can know. */
	write_c0(CP0_PAGEGRAIN, PG_XIE | PG_IEC);
	write_c0(CP0_PAGEMASK, PM_16K);	/* r4k_tlb_configure: once */
	write_c0(CP0_WIRED, 0);
	flush_tlb_all();

	checks_init(gid, seed, selfcheck);
	for (uint32_t i = 0; i < PTRS_PER_PTE; i++)
		invalid_pte_table[i] = 0;
	worker_init();
	crashme_init(seed, gid, words);
	{
		static const char *const names[] = { "seed", "crashme-words", "worker-pages", "rounds" };
		uint32_t vals[] = { seed, words, worker_pages, rounds };
		char text[40] = "stress: tlbp-check ";
		unsigned n = 19;
		for (const char *s = flavour_names[flavour]; *s; s++)
			text[n++] = *s;
		text[n] = 0;
		kputs_fields(text, names, vals, 4);
	}
	if (!selfcheck)
		g_puts("stress: self-checks off: no anomaly reports, no repeat counting, "
		       "no heartbeats\n");

	for (uint32_t round = 1; rounds == 0 || round <= rounds; round++) {
		checks_round(round);
		if (worker_ok && worker_slice(read_count() + WORKER_SLICE))
			worker_ok = 0;
		if (words)
			crashme_slice(read_count() + CRASHME_SLICE);
		if (!worker_ok && !words)
			g_yield();
		ks_add(KS_SWITCHES, 1);
		count_mapped();
		if (selfcheck) {
			ks[KS_HEARTBEAT] = round;
			g_heartbeat(round);
		}
	}
	report();
	if (!selfcheck) {
		/* No verdict: it checked nothing to give one on. */
		g_puts("stress: done, self-checks off\n");
		return 0;
	}
	uint32_t bad = ks[KS_PM_BAD_COUNT] || ks[KS_BAD_WORDS] || (worker_pages && !worker_ok);
	g_puts(bad ? "stress: anomaly\n" : "stress: clean\n");
	return (int)bad;
}
