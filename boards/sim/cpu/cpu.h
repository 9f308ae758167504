/*
 * The vzsim CPU: a MIPS32 Release 5 root-mode core (P5600-like, little
 * endian, no FPU).  State and the functions the parts of the CPU share:
 *   exec.c       the interpreter loop (predecoded pages, soft TLB fast path)
 *   cp0.c        CP0 registers: reads, writes, reset values, Count/Compare
 *   tlb.c        the TLB and its instructions
 *   mmu.c        address translation, soft TLB, predecoded page cache
 *   exception.c  taking exceptions and interrupts, eret
 *
 * Instruction counting contract: every instruction dispatched counts as one,
 * whether it completes or raises an exception (the exception takes its
 * place).  Count advances from that count, so simulated time is exact and
 * deterministic.
 */
#ifndef VZSIM_CPU_H
#define VZSIM_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "../board/bus.h"
#include "../isa/isa.h"
#include "vzsim/vzsim.h"

/* Cause.ExcCode values a MIPS32r5 core without FPU raises. */
enum exc_code {
	EXC_INT = 0, EXC_MOD = 1, EXC_TLBL = 2, EXC_TLBS = 3, EXC_ADEL = 4,
	EXC_ADES = 5, EXC_IBE = 6, EXC_DBE = 7, EXC_SYS = 8, EXC_BP = 9,
	EXC_RI = 10, EXC_CPU = 11, EXC_OV = 12, EXC_TR = 13, EXC_TLBRI = 19,
	EXC_TLBXI = 20, EXC_MCHECK = 24, EXC_GE = 27,
};

/* CP0 register bits. */
#define ST_CU0   (1u << 28)
#define ST_BEV   (1u << 22)
#define ST_TS    (1u << 21)
#define ST_SR    (1u << 20)
#define ST_NMI   (1u << 19)
#define ST_IM    (0xffu << 8)
#define ST_KSU   (3u << 3)
#define ST_ERL   (1u << 2)
#define ST_EXL   (1u << 1)
#define ST_IE    (1u << 0)

#define CAUSE_BD (1u << 31)
#define CAUSE_TI (1u << 30)
#define CAUSE_CE_SHIFT 28
#define CAUSE_DC (1u << 27)
#define CAUSE_IV (1u << 23)
#define CAUSE_IP_SHIFT 8
#define CAUSE_EXC_SHIFT 2

#define ENTRYHI_EHINV (1u << 10)
#define INDEX_P (1u << 31)

#define PG_RIE (1u << 31)
#define PG_XIE (1u << 30)
#define PG_IEC (1u << 27)

#define EBASE_WG (1u << 11)

/* Implementation-defined behaviours, set by board options. */
enum tlbr_bad_index {
	TLBR_BAD_WRAP,      /* index modulo entries, as QEMU does       */
	TLBR_BAD_INVALID,   /* read back the invalid-entry values        */
	TLBR_BAD_UNCHANGED, /* leave EntryHi/EntryLo/PageMask untouched  */
};

#define TLB_MAX_ENTRIES 256

struct tlb_entry {
	uint32_t vpn2;    /* EntryHi[31:13] as an address, already masked   */
	uint32_t mask;    /* PageMask[28:13] as an address mask (0 for 4K)  */
	uint8_t asid;
	bool g;
	bool ehinv;       /* invalidated (tlbinv/tlbinvf/EHINV write)      */
	uint8_t guestid;  /* 0 = root (VZ tags, issue 4)                   */
	uint32_t lo[2];   /* EntryLo0/1 as written (RI XI PFN C D V G)    */
};

/* Translation classes: the soft TLB and fetch cache are per class. */
enum mmu_class {
	MMU_KERNEL = 0, /* kernel mode, ERL clear                         */
	MMU_KERNEL_ERL, /* kernel mode with ERL: kuseg is unmapped        */
	MMU_SUPERVISOR,
	MMU_USER,
	MMU_NCLASSES
};

enum access { ACC_LOAD = 0, ACC_STORE = 1, ACC_FETCH = 2 };

/*
 * Soft TLB: 4K granules of RAM pages the CPU may read or write directly.
 * Tags are page addresses (low bits 0); the compare keeps an access's
 * misalignment bits, so a misaligned access never hits.  TAG_NONE has
 * bits 4..11 set and never matches anything.
 */
#define STLB_SIZE 256
#define STLB_TAG_NONE 0xffffffffu
struct stlb_entry {
	uint32_t rtag, wtag;
	uintptr_t addend; /* host address of the page minus its virtual address */
};

/* A predecoded instruction; op == PD_UNDECODED means decode on fetch. */
#define PD_UNDECODED 0xff
struct pd_insn {
	uint8_t op, rs, rt, rd;
	uint8_t sa;
	uint8_t pad[3];
	uint32_t imm;  /* simm16 sign-extended, uimm16, or jump index   */
	uint32_t word;
};

struct pd_page {
	struct pd_insn insn[1024];
	uint8_t *host; /* the RAM page it decodes */
};

struct cp0 {
	uint32_t index, entrylo0, entrylo1, context, contextconfig, userlocal;
	uint32_t pagemask, pagegrain, wired, hwrena;
	uint32_t badvaddr, badinstr, badinstrp;
	uint32_t entryhi, compare, status, intctl, srsctl, cause, epc;
	uint32_t prid, ebase, config[6], lladdr;
	uint32_t taglo, datalo, taghi, datahi, errorepc;
	uint32_t kscratch[8];
	/* Count = count_base + (icount - count_icount) / count_div, unless DC. */
	uint32_t count_base;
	uint64_t count_icount;
};

struct cpu {
	/* Architectural state. */
	uint32_t gpr[32];
	uint32_t hi, lo;
	uint32_t pc;       /* instruction being executed / to execute next  */
	uint32_t npc;      /* the one after it (a branch target after a DS) */
	bool in_ds;        /* pc is a delay slot                             */
	bool llbit;
	struct cp0 cp0;
	struct tlb_entry tlb[TLB_MAX_ENTRIES];
	unsigned tlb_entries;
	uint64_t seed;
	uint64_t random_state; /* PRNG for Random, from the seed */
	uint32_t random_next;  /* what Random reads and tlbwr uses next */

	/* Board wiring. */
	struct bus *bus;
	uint32_t ram_size;
	uint8_t *ram;
	uint8_t hw_irq;        /* external interrupt lines IP2..IP6 as bits 2..6 */

	/* Options. */
	enum tlbr_bad_index tlbr_bad_index;
	unsigned count_div;    /* instructions per Count increment */
	bool tlb_mcheck;       /* duplicate TLB entries raise Machine Check */

	/* Execution bookkeeping. */
	uint64_t icount;
	uint64_t next_event;   /* icount at which the loop must look around  */
	uint64_t run_limit;    /* icount at which vzsim_run's budget ends    */
	bool stop_requested;
	int stop_reason;       /* enum vzsim_stop when stopping              */
	bool waiting;          /* in WAIT                                    */
	int cur_exc;           /* exception the current instruction raised   */
	uint32_t branch_word;  /* the branch before a delay slot, for BadInstrP */
	bool fetching;         /* in mmu_fetch_page: no instruction word yet */
	uint64_t timer_icount; /* icount at which Count reaches Compare       */
	uint64_t wait_cycles;  /* idle cycles spent in WAIT                   */

	/* Fast path caches. */
	enum mmu_class mclass;
	struct stlb_entry stlb[MMU_NCLASSES][STLB_SIZE];
	uint32_t fetch_vbase;  /* virtual page of fetch_page, or 1 if none    */
	struct pd_insn *fetch_page;
	struct pd_page **pd_pages; /* per 4K RAM page, NULL if never fetched */
	struct pd_page **pd_region[BUS_MAX_REGIONS]; /* the same for other memory */
	uint8_t *fetch_host;   /* host address of the fetch page */

	/* Sinks and statistics. */
	vzsim_insn_sink sink;
	void *sink_ctx;
	struct vzsim_stats stats;
};

/* cpu.c (life cycle) */
int cpu_init(struct cpu *cpu, struct bus *bus, uint8_t *ram, uint32_t ram_size,
	     unsigned tlb_entries, uint64_t seed);
void cpu_destroy(struct cpu *cpu);
void cpu_reset(struct cpu *cpu, uint32_t pc);

/* exec.c */
enum vzsim_stop cpu_run(struct cpu *cpu, uint64_t max_insns);

/* cp0.c */
void cp0_reset(struct cpu *cpu);
/* MFC0/MTC0 semantics; false if (reg, sel) is not implemented. */
bool cp0_read(struct cpu *cpu, unsigned reg, unsigned sel, uint32_t *val);
bool cp0_write(struct cpu *cpu, unsigned reg, unsigned sel, uint32_t val);
uint32_t cp0_count(const struct cpu *cpu);
/* Cause as MFC0 reads it: with the timer and hardware lines in IP. */
uint32_t cpu_cause(const struct cpu *cpu);
void cp0_timer_fired(struct cpu *cpu);
/* Schedules the first Count == Compare match (after reset or a restore). */
void cpu_timer_start(struct cpu *cpu);
/* Recomputes next_event from Compare and the run budget. */
void cpu_update_next_event(struct cpu *cpu);
/* The Status-derived translation class, and cache flushes on its change. */
void cpu_status_changed(struct cpu *cpu);

/* tlb.c */
void tlb_reset(struct cpu *cpu);
void tlb_tlbp(struct cpu *cpu);
void tlb_tlbr(struct cpu *cpu);
/* Returns false if a Machine Check was raised. */
bool tlb_tlbwi(struct cpu *cpu);
bool tlb_tlbwr(struct cpu *cpu);
void tlb_tlbinv(struct cpu *cpu);
void tlb_tlbinvf(struct cpu *cpu);
void tlb_wired_written(struct cpu *cpu);
uint32_t tlb_random(struct cpu *cpu);
/* Matching entry for vaddr under asid, or -1. */
int tlb_lookup(const struct cpu *cpu, uint32_t vaddr, uint8_t asid);

/* mmu.c */
/*
 * Translates vaddr for an access; on failure raises the exception (TLB
 * refill/invalid/modified, RI/XI, address error) and returns false.
 */
bool mmu_translate(struct cpu *cpu, uint32_t vaddr, enum access acc,
		   uint32_t *pa);
void mmu_flush(struct cpu *cpu);     /* soft TLB + fetch cache */
void mmu_flush_fetch(struct cpu *cpu);
/* Slow-path data accesses through translation and the bus. */
bool mmu_load(struct cpu *cpu, uint32_t vaddr, unsigned size, uint32_t *val);
bool mmu_store(struct cpu *cpu, uint32_t vaddr, unsigned size, uint32_t val);
bool mmu_load_pa(struct cpu *cpu, uint32_t vaddr, uint32_t *val, uint32_t *pa);
/* Sets up fetch_page/fetch_vbase for pc; false if an exception was raised. */
bool mmu_fetch_page(struct cpu *cpu, uint32_t pc);
/* A store reached physical RAM at pa: drop predecoded words it covers. */
void mmu_code_written(struct cpu *cpu, uint32_t pa, unsigned size);

/* exception.c */
/*
 * Takes exception `code` for the instruction at cpu->pc (cpu->in_ds says if
 * it is a delay slot).  refill selects the TLB refill vector.  BadVAddr is
 * written by the caller where the exception defines it.
 */
void cpu_exception(struct cpu *cpu, unsigned code, bool refill);
void cpu_exception_cpu(struct cpu *cpu, unsigned ce);
void cpu_address_error(struct cpu *cpu, unsigned code, uint32_t vaddr);
/* Pending and enabled interrupt: take it; returns true if taken. */
bool cpu_check_interrupts(struct cpu *cpu);
bool cpu_interrupt_pending(const struct cpu *cpu);
void cpu_eret(struct cpu *cpu, bool clear_ll);

static inline bool cpu_kernel_mode(const struct cpu *cpu)
{
	uint32_t s = cpu->cp0.status;
	return (s & (ST_EXL | ST_ERL)) || (s & ST_KSU) == 0;
}

static inline enum vzsim_mode cpu_mode(const struct cpu *cpu)
{
	if (cpu_kernel_mode(cpu))
		return VZSIM_MODE_KERNEL;
	return (cpu->cp0.status & ST_KSU) == (1u << 3) ? VZSIM_MODE_SUPERVISOR
						      : VZSIM_MODE_USER;
}

#endif
