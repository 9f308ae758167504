/*
 * The vzsim CPU: a MIPS32 Release 5 root-mode core (P5600-like, little
 * endian, no FPU).  State and the functions the parts of the CPU share:
 *   cpu.c        the life cycle: wiring to the board, reset, teardown
 *   exec.c       the interpreter loop (predecoded pages, soft TLB fast path),
 *                stamped from exec_loop.h, and cpu_run
 *   cp0.c        CP0 register files, root's and the guest's: reset values,
 *                MFC0/MTC0 with each register's writable fields (cp0_ctx.h
 *                is the interface between cp0.c, timer.c and vz.c)
 *   timer.c      Count/Compare, root and guest, driven by the instruction count
 *   vz.c         the VZ ASE's CP0 side: root's VZ registers and which guest
 *                CP0 accesses exit to root
 *   tlb.c        the TLB and its instructions (root and guest entries)
 *   mmu.c        address translation, the slow path of loads, stores and
 *                fetches, predecoded page cache
 *   softtlb.c    the soft TLB and the fetch TLB: remembered translations,
 *                forgotten by scope and by range
 *   exception.c  taking exceptions and interrupts, eret
 *   trace.c      the PDtrace unit's hooks (trace.h), feeding the packet layer
 *   ejtag.c      EJTAG debug mode: the debug exception and its causes,
 *                Debug/DEPC/DESAVE, DERET, breakpoints, single step, and
 *                dseg (the probe's dmseg accesses and the drseg registers)
 *
 * Instruction counting contract: every instruction dispatched counts as one,
 * whether it completes or raises an exception (the exception takes its
 * place).  Count advances from that count, so simulated time is exact and
 * deterministic.
 */
#ifndef VZSIM_CPU_H
#define VZSIM_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../board/bus.h"
#include <mips/isa.h>
#include <vzsim/vzsim.h>
#include "trace.h"
#include "jit.h"

/* Cause.ExcCode (EXC_*) and GuestCtl0.GExcCode (GEXC_*) values. */
#include <mips/exc.h>

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

/* PRId: company 1 (MIPS), processor 0xA8 (P5600) or 0xA2 (proAptiv), rev 0x20. */
#define PRID_P5600 0x0001a820u
#define PRID_PROAPTIV 0x0001a220u
#define ENTRYLO_V (1u << 1)

#define PG_RIE (1u << 31)
#define PG_XIE (1u << 30)
#define PG_IEC (1u << 27)

#define EBASE_WG (1u << 11)
#define CONFIG1_EP (1u << 3) /* EJTAG present */

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
	bool guest;       /* a guest (stage-one) entry, not root's          */
	uint8_t guestid;  /* GuestID tag; 0 for root's own entries          */
	uint32_t lo[2];   /* EntryLo0/1 as written (RI XI PFN C D V G)    */
	/* Derived from the above by tlb_entry_seal, for lookups: */
	uint32_t key;     /* guest << 8 | guestid, TLB_KEY_NONE if ehinv     */
	uint32_t span;    /* mask | 0x1fff: the address bits below VPN2     */
};
#define TLB_KEY_NONE 0xffffffffu

/* Translation classes: the soft TLB and fetch cache are per class. */
enum mmu_class {
	MMU_KERNEL = 0, /* kernel mode, ERL clear                         */
	MMU_KERNEL_ERL, /* kernel mode with ERL: kuseg is unmapped        */
	MMU_SUPERVISOR,
	MMU_USER,
	MMU_GUEST,      /* + the above: the same in guest mode (VZ)      */
	MMU_NCLASSES = MMU_GUEST * 2
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
/* Tags carry a context key in bits 4..11 (softtlb.c): 0 in root mode, in
 * guest mode the key of the guest's GuestID and ASID. */
#define STLB_KEY_MASK 0xff0u
/* A write tag with this bit is a RAM page that holds predecoded code: no
 * access's compare has it, so stores to it take the slow path, which
 * writes it without translating and drops the words it overwrote. */
#define STLB_CODE_PAGE 0x4u
#define STLB_TAG_FLAGS (STLB_KEY_MASK | STLB_CODE_PAGE)
#define STLB_KEYS 256
#define STLB_LOG_MAX 64
struct stlb_entry {
	uint32_t rtag, wtag;
	uintptr_t addend; /* host address of the page minus its virtual address */
};
/* The block path finds a slot's byte offset from the address with one
 * shift and mask (exec_block.h, STLB_OF). */
_Static_assert(sizeof(struct stlb_entry) == 16, "soft-TLB entries are 16 bytes");
/* The fetch TLB: a virtual page's predecoded page (STLB_TAG_NONE: none). */
struct ftlb_entry {
	uint32_t vpage;
	struct pd_page *page;
};
/* What a change of translation can affect (softtlb.c): the root classes,
 * the guest classes, or both. */
enum mmu_scope { MMU_SCOPE_ROOT = 1, MMU_SCOPE_GUEST = 2, MMU_SCOPE_ALL = 3 };

/* A predecoded instruction; op == PD_UNDECODED means decode on fetch.
 * run: the length of the block the interpreter may run from here (exec.c,
 * "Blocks"), 0 if none, PD_RUN_UNKNOWN until worked out.  PD_PAGE_END is
 * the op of the word after a page's last, where a block stops.
 * PD_NOBLOCK: a branch whose delay slot cannot run in a block. */
#define PD_UNDECODED 0xff
#define PD_PAGE_END 0xfe
#define PD_RUN_UNKNOWN 0xffff
#define PD_NOBLOCK 0x01
struct pd_insn {
	uint8_t op, rs, rt, rd;
	uint8_t sa;
	uint8_t flags;
	uint16_t run;
	uint32_t imm;  /* simm16 sign-extended, uimm16, or jump index   */
	uint32_t word;
};

struct pd_page {
	struct pd_insn insn[1024 + 1]; /* and a PD_PAGE_END */
	uint8_t *host; /* the RAM page it decodes */
	struct pd_jit jit[1024]; /* the block compiler's, per instruction (JIT_OF) */
};
/* An instruction's pd_jit, at a fixed distance from it in its page. */
_Static_assert(sizeof(struct pd_jit) == sizeof(struct pd_insn), "JIT_OF: same strides");
#define JIT_OF(d)                                                              \
	((struct pd_jit *)((char *)(d) + (offsetof(struct pd_page, jit) -       \
					   offsetof(struct pd_page, insn))))

struct cp0 {
	uint32_t index, entrylo0, entrylo1, context, contextconfig, userlocal;
	uint32_t pagemask, pagegrain, wired, hwrena;
	uint32_t badvaddr, badinstr, badinstrp;
	uint32_t entryhi, compare, status, intctl, srsctl, cause, epc;
	uint32_t prid, ebase, config[6], lladdr;
	uint32_t taglo, datalo, taghi, datahi, errorepc;
	uint32_t kscratch[8];
	uint32_t random_next;  /* what Random reads and tlbwr uses next */
	/* Count = count_base + (icount - count_icount) / count_div, unless DC. */
	uint32_t count_base;
	uint64_t count_icount;
};

/*
 * EJTAG (ejtag.c).  Debug mode is invisible to the program: no instruction
 * executed in it counts (icount, Count and the timers stand still, as with
 * Debug.CountDM = 0), and the trace unit does not see it.
 */
#define EJTAG_IBRK 4       /* instruction breakpoints (IBS.BCN) */
#define EJTAG_DBRK 2       /* data breakpoints (DBS.BCN) */
#define EJTAG_DMSEG 0xff200000u /* dmseg: the probe's memory, 1 MiB */
#define EJTAG_DRSEG 0xff300000u /* drseg: the debug registers, 1 MiB */
#define EJTAG_DSEG_END 0xff400000u
#define EJTAG_PROBE_VECTOR 0xff200200u /* ECR.ProbTrap = 1 */
#define EJTAG_ROM_VECTOR   0xbfc00480u /* ECR.ProbTrap = 0 */

/* Debug (CP0 23, 0) bits. */
#define DEBUG_DSS    (1u << 0)
#define DEBUG_DBP    (1u << 1)
#define DEBUG_DDBL   (1u << 2)
#define DEBUG_DDBS   (1u << 3)
#define DEBUG_DIB    (1u << 4)
#define DEBUG_DINT   (1u << 5)
#define DEBUG_CAUSES 0x3fu
#define DEBUG_SST    (1u << 8)
#define DEBUG_DEXC_SHIFT 10
#define DEBUG_DEXC   (0x1fu << DEBUG_DEXC_SHIFT)
#define DEBUG_VER_SHIFT 15  /* EJTAGver: 5 (EJTAG 5.x), as IMPCODE says */
#define DEBUG_IEXI   (1u << 20)
#define DEBUG_LSNM   (1u << 28)
#define DEBUG_DM     (1u << 30)
#define DEBUG_DBD    (1u << 31)

/* DCR (drseg 0) bits the CPU acts on. */
#define DCR_INTE     (1u << 4)  /* 0: no interrupts outside debug mode */

/* A processor access to dmseg the core waits on (the probe serves it). */
struct ejtag_pracc {
	bool pending;      /* posted, the probe has not finished it */
	bool done;         /* finished: the instruction runs again and takes it */
	enum access_kind { PRACC_FETCH, PRACC_LOAD, PRACC_STORE } kind;
	unsigned size;     /* bytes: 1, 2 or 4 */
	uint32_t addr;
	uint32_t data;     /* a store's data; a fetch's or load's once done */
};

struct ejtag {
	bool present;      /* board option ejtag: Config1.EP, SDBBP, DERET */
	bool dm;           /* in debug mode */
	bool prob_en;      /* ECR.ProbEn: the probe serves dmseg */
	bool prob_trap;    /* ECR.ProbTrap: the debug vector is in dmseg */
	uint32_t debug;    /* Debug's stored bits (DM is dm) */
	uint32_t depc, desave;
	uint32_t dcr;      /* DCR's writable bits: IntE, NMIE, SRstE */
	uint32_t ibs, dbs; /* their BS bits */
	struct { uint32_t addr, mask, asid, ctl; } ib[EJTAG_IBRK];
	struct { uint32_t addr, mask, asid, ctl, value; } db[EJTAG_DBRK];
	/* Look at every instruction boundary (an instruction breakpoint or a
	 * single step is armed): handle_events runs before each. */
	bool watch;
	bool step;         /* single step: DSS after the next instruction */
	uint64_t step_from;
	bool db_on;        /* a data breakpoint is armed: no soft-TLB fills */
	bool stalled;      /* the last debug-mode step waits on the probe */
	bool stepping;     /* cpu_run_debug is running one instruction */
	/* A DINT taken in a delay slot: DEPC is the branch, which DERET runs
	 * again; it was counted once already (redo_branch_at: that DEPC). */
	bool redo_branch;
	uint32_t redo_branch_at;
	struct ejtag_pracc pa;
	/* dmseg fetches: one page the loop decodes from, refilled per fetch. */
	struct pd_insn dm_insn[1024];
	uint8_t dm_page[4096];
};

struct cpu {
	/* Architectural state. */
	/* gpr[32] takes what an instruction writes to $zero besides its
	 * other effects (a load's value: exec.c, predecode), so that $zero
	 * stays 0 without being cleared after every instruction. */
	uint32_t gpr[33];
	uint32_t hi, lo;
	uint32_t pc;       /* instruction being executed / to execute next  */
	uint32_t npc;      /* the one after it (a branch target after a DS) */
	bool in_ds;        /* pc is a delay slot                             */
	bool llbit;
	struct cp0 cp0;
	struct tlb_entry tlb[TLB_MAX_ENTRIES];
	unsigned tlb_entries;
	uint64_t seed;
	uint64_t random_state; /* PRNG for Random (root and guest), from the seed */

	/* Virtualization ASE. */
	struct cp0 gcp0;       /* the guest CP0 context */
	uint32_t guestctl0, guestctl0ext, guestctl1, guestctl2, gtoffset;
	bool vz_enabled;       /* Config3.VZ (board option vz) */
	bool guest;            /* in guest mode: GM and root EXL = ERL = 0 */
	unsigned guest_entries; /* the guest part: the top entries of the TLB */
	uint64_t gtimer_icount; /* icount at which guest Count reaches Compare */
	uint64_t guest_since;  /* icount when guest mode was entered */
	bool cur_exc_root;     /* cur_exc went to root (exit, stage-2 fault) */

	/* PDtrace (trace.c). */
	struct trace_unit trace;
	bool loop_reselect;    /* the interpreter variant must be chosen again */

	/* Board wiring. */
	struct bus *bus;
	uint32_t ram_size;
	uint8_t *ram;
	uint8_t hw_irq;        /* external interrupt lines IP2..IP6 as bits 2..6 */

	/* Options. */
	enum tlbr_bad_index tlbr_bad_index;
	uint32_t prid;         /* what PRId reads, root and guest (board option prid) */
	unsigned count_div;    /* instructions per Count increment */
	bool tlb_mcheck;       /* duplicate TLB entries raise Machine Check */
	/* PageGrain.IEC is implemented: RI/XI violations may raise TLBRI/TLBXI
	 * (board option rixi-exc); without it they raise TLBL/TLBS only. */
	bool rixi_exc;
	/* Entries were written without the duplicate check (vzsim_tlb_write):
	 * a lookup may no longer trust its hint (tlb.c). */
	bool tlb_unchecked;
	unsigned tlb_hint[3];  /* last index each kind of lookup found    */

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
	struct ftlb_entry ftlb[MMU_NCLASSES][STLB_SIZE];
	/* Entries filled since their half (root classes, guest classes) was
	 * last cleared, so that clearing it touches those instead of every
	 * slot: a guest kernel changes ASID every thousand instructions or
	 * so.  A count past STLB_LOG_MAX means "too many, clear all". */
	uint16_t stlb_log[2][STLB_LOG_MAX];
	unsigned stlb_log_n[2];
	unsigned stlb_used;    /* classes with entries filled (bit per class)  */
	uint32_t stlb_key;     /* ORed into tags: guest_key in guest mode, else 0 */
	uint32_t guest_key;    /* the guest context's key, in place (<< 4)    */
	uint32_t key_ctx[STLB_KEYS]; /* context + 1 a key stands for, 0: free */
	uint32_t fetch_vbase;  /* virtual page of fetch_page, or 1 if none    */
	struct pd_insn *fetch_page;
	struct pd_page **pd_pages; /* per 4K RAM page, NULL if never fetched */
	struct pd_page **pd_region[BUS_MAX_REGIONS]; /* the same for other memory */
	uint8_t *fetch_host;   /* host address of the fetch page, NULL if none */
	/* fetch_page while none is set up: every word undecoded, so that an
	 * unaligned pc that the vbase-1 check lets through (pc - 1 aligned)
	 * lands on the refetch path, not on a NULL page (found by crashme:
	 * jr to a small odd address). */
	struct pd_insn fetch_none[1024];
	/* The block compiler (jit.h). */
	struct jit jit;

	/* Sinks and statistics. */
	vzsim_insn_sink sink;
	void *sink_ctx;
	vzsim_tlb_hook tlb_hook; /* every TLB entry written (tlb.c), or NULL */
	void *tlb_hook_ctx;
	struct vzsim_stats stats;

	/* EJTAG (ejtag.c): last, its pages of dmseg words far from the
	 * fields the interpreter touches on every instruction. */
	struct ejtag ejtag;
};

/* cpu.c (life cycle) */
int cpu_init(struct cpu *cpu, struct bus *bus, uint8_t *ram, uint32_t ram_size,
	     unsigned tlb_entries, uint64_t seed);
void cpu_destroy(struct cpu *cpu);
void cpu_reset(struct cpu *cpu, uint32_t pc);

/* exec.c */
enum vzsim_stop cpu_run(struct cpu *cpu, uint64_t max_insns);
/*
 * Runs debug-mode code (up to max_steps instructions) until the core waits
 * on a processor access, leaves debug mode, or the steps run out; none of
 * it counts as instructions.  True if the core is still in debug mode.
 */
bool cpu_run_debug(struct cpu *cpu, unsigned max_steps);

/* ejtag.c */
void ejtag_reset(struct cpu *cpu);
/* Takes a debug exception with Debug cause bit `cause` (DEBUG_DINT ...)
 * for the instruction at pc (in a delay slot: DEPC the branch, DBD). */
void ejtag_enter(struct cpu *cpu, uint32_t cause);
/* An exception raised in debug mode: DExcCode, back to the debug vector. */
void ejtag_dm_exception(struct cpu *cpu, unsigned code);
void ejtag_sdbbp(struct cpu *cpu);
void ejtag_deret(struct cpu *cpu);
/* At an instruction boundary with ejtag.watch: a single step done or an
 * instruction breakpoint at pc; true if debug mode was entered. */
bool ejtag_step_due(struct cpu *cpu);
bool ejtag_ibreak(struct cpu *cpu);
/* A load or store at vaddr outside debug mode with db_on: true (debug mode
 * entered) if a data breakpoint matches. */
bool ejtag_dbreak(struct cpu *cpu, uint32_t vaddr, bool store);
/* Debug mode's view of dseg: false with no exception raised and
 * ejtag.stalled set when the core must wait for the probe. */
bool ejtag_fetch(struct cpu *cpu, uint32_t pc);
bool ejtag_load(struct cpu *cpu, uint32_t vaddr, unsigned size, uint32_t *val);
bool ejtag_store(struct cpu *cpu, uint32_t vaddr, unsigned size, uint32_t val);
/* MFC0/MTC0 of Debug, DEPC and DESAVE (debug mode only): false if
 * (reg, sel) is none of them or the core is not in debug mode. */
bool ejtag_cp0_read(struct cpu *cpu, unsigned reg, unsigned sel, uint32_t *val);
bool ejtag_cp0_write(struct cpu *cpu, unsigned reg, unsigned sel, uint32_t val);
/* The probe finished the pending access (for a fetch or load, with data). */
void ejtag_pracc_finish(struct cpu *cpu, uint32_t data);
/* Recomputes watch and db_on after a breakpoint register or SSt changed. */
void ejtag_rearm(struct cpu *cpu);

/* Root VZ register bits. */
#define GC0_GM   (1u << 31)
#define GC0_RI   (1u << 30)
#define GC0_MC   (1u << 29)
#define GC0_CP0  (1u << 28)
#define GC0_GT   (1u << 25)
#define GC0_CG   (1u << 24)
#define GC0_CF   (1u << 23)
#define GC0_GEXC_SHIFT 2
#define GC0EXT_CGI (1u << 4)
#define GC0EXT_FCD (1u << 3)

/* The CP0 context instructions see now: the guest's in guest mode. */
static inline struct cp0 *cpu_ctx(struct cpu *cpu)
{
	return cpu->guest ? &cpu->gcp0 : &cpu->cp0;
}

static inline const struct cp0 *cpu_ctx_const(const struct cpu *cpu)
{
	return cpu->guest ? &cpu->gcp0 : &cpu->cp0;
}

static inline uint8_t cpu_guestid(const struct cpu *cpu)
{
	return (uint8_t)cpu->guestctl1;
}

static inline uint8_t cpu_rid(const struct cpu *cpu)
{
	return (uint8_t)(cpu->guestctl1 >> 16);
}

/* cp0.c */
void cp0_reset(struct cpu *cpu);
/* Root MFC0/MTC0 semantics; false if (reg, sel) is not implemented. */
bool cp0_read(struct cpu *cpu, unsigned reg, unsigned sel, uint32_t *val);
bool cp0_write(struct cpu *cpu, unsigned reg, unsigned sel, uint32_t val);

/* Guest CP0 accesses: from the guest (MFC0/MTC0 in guest mode, which may
 * exit) or from root (MFGC0/MTGC0, which never do). */
enum gcp0_result { GCP0_OK, GCP0_ABSENT, GCP0_GPSI, GCP0_GSFC };
enum gcp0_result gcp0_read(struct cpu *cpu, unsigned reg, unsigned sel,
			   uint32_t *val, bool from_root);
enum gcp0_result gcp0_write(struct cpu *cpu, unsigned reg, unsigned sel,
			    uint32_t val, bool from_root);
/* The offset in struct cp0 of a register that reads as its field, as it
 * is (cp0.c), or -1 (Count and Cause are worked out; absent ones); and
 * of one a guest's MFC0 in guest mode reads so, with no exit but
 * GuestCtl0.CP0's (vz.c): one the guest has, not the timer's. */
int cp0_plain_offset(unsigned reg, unsigned sel);
int gcp0_plain_offset(unsigned reg, unsigned sel);

uint32_t cp0_count(const struct cpu *cpu);
uint32_t gcp0_count(const struct cpu *cpu); /* root Count + GTOffset */
/* Cause as MFC0 reads it: with the timer and hardware lines in IP. */
uint32_t cpu_cause(const struct cpu *cpu);
/* Guest Cause: guest TI on IP7, GuestCtl2.VIP on IP7..IP2. */
uint32_t gcpu_cause(const struct cpu *cpu);
void cp0_timer_fired(struct cpu *cpu);
void gcp0_timer_fired(struct cpu *cpu);
/* Schedules the next Count == Compare matches (after reset or a restore). */
void cpu_timer_start(struct cpu *cpu);
/* Recomputes next_event from the timers and the run budget. */
void cpu_update_next_event(struct cpu *cpu);
/* Recomputes guest mode and the translation class from Status (root and
 * guest) and GuestCtl0, flushing what depends on them. */
void cpu_status_changed(struct cpu *cpu);

/* tlb.c */
/*
 * Which entries a TLB instruction works on and with which registers: root
 * instructions see every entry through root CP0 with GuestID RID, guest
 * instructions the guest part through guest CP0 with GuestID ID, and root's
 * tlbg* the guest part through guest CP0 with GuestID RID.
 */
struct tlb_view {
	struct cp0 *c;
	unsigned base, n;     /* physical entries base .. base+n-1 */
	bool guest;           /* works on guest entries */
	uint8_t tag;          /* the GuestID written and matched */
	bool hide_foreign;    /* guest tlbr: other GuestIDs read as invalid */
	bool set_rid;         /* root tlbr/tlbgr: RID := the entry's GuestID */
};
void tlb_view_root(struct cpu *cpu, struct tlb_view *v);
void tlb_view_guest(struct cpu *cpu, struct tlb_view *v);
void tlb_view_tlbg(struct cpu *cpu, struct tlb_view *v);

void tlb_reset(struct cpu *cpu);
void tlb_tlbp(struct cpu *cpu, const struct tlb_view *v);
void tlb_tlbr(struct cpu *cpu, const struct tlb_view *v);
/* Return false if a Machine Check was raised. */
bool tlb_tlbwi(struct cpu *cpu, const struct tlb_view *v);
bool tlb_tlbwr(struct cpu *cpu, const struct tlb_view *v);
void tlb_tlbinv(struct cpu *cpu, const struct tlb_view *v);
void tlb_tlbinvf(struct cpu *cpu, const struct tlb_view *v);
/* An entry as TLBR reads it into EntryHi/PageMask/EntryLo0/1 (the
 * invalid-entry values when invalidated), and as TLBWI makes it from them
 * (tags left to the caller).  Shared with libvzsim's TLB accessors. */
void tlb_entry_regs(const struct tlb_entry *e, uint32_t *hi, uint32_t *pm,
		    uint32_t *lo0, uint32_t *lo1);
struct tlb_entry tlb_entry_make(uint32_t hi, uint32_t pm, uint32_t lo0,
				uint32_t lo1);
/* An entry as vzsim_tlb_read gives it. */
void tlb_entry_public(const struct tlb_entry *t, struct vzsim_tlb_entry *e);
/* vzsim_tlb_write wrote entry idx, which held *before: tell the hook
 * (cpu->tlb_hook, which the caller checked is set). */
void tlb_report_api(struct cpu *cpu, unsigned idx, const struct tlb_entry *before);
/* Wired was written: Random restarts at the top of the view. */
void tlb_wired_written(struct cpu *cpu, struct cp0 *c, unsigned n);
/*
 * The entry that maps vaddr among entries tagged (guest, guestid) with
 * ASID asid (ignored when any_asid), or -1.
 */
int tlb_lookup(struct cpu *cpu, uint32_t vaddr, uint8_t asid,
	       bool guest, uint8_t guestid, bool any_asid);
/* Sets an entry's derived fields after any change to it. */
void tlb_entry_seal(struct tlb_entry *e);

/* softtlb.c */
/* Forget remembered translations: all of them; those of a scope (enum
 * mmu_scope); those of the virtual pages a TLB entry at va with span mask
 * span (PageMask | 0x1fff) covers, in a scope.  Each also drops the fetch
 * page if it may be one of them. */
void mmu_flush(struct cpu *cpu);
void mmu_flush_scope(struct cpu *cpu, unsigned scope);
void mmu_flush_range(struct cpu *cpu, unsigned scope, uint32_t va, uint32_t span);
/* Only the current fetch page (debug mode's dmseg words change). */
void mmu_flush_fetch(struct cpu *cpu);
/* The guest's translation context (GuestID, guest ASID) changed: its
 * remembered translations stay, under their key, for when it comes back. */
void softtlb_guest_context(struct cpu *cpu);
/* A soft-TLB (fetch false) or fetch-TLB slot of class cls was filled. */
void softtlb_log(struct cpu *cpu, unsigned cls, unsigned slot, bool fetch);
/* Empty, whatever the logs say (a new cpu). */
void softtlb_reset(struct cpu *cpu);

/* mmu.c */
/*
 * Translates vaddr for an access in the current mode (two stages in guest
 * mode); on failure raises the exception (TLB refill/invalid/modified,
 * RI/XI, address error, to the guest or to root) and returns false.
 */
bool mmu_translate(struct cpu *cpu, uint32_t vaddr, enum access acc,
		   uint32_t *pa);
/* Slow-path data accesses through translation and the bus. */
bool mmu_load(struct cpu *cpu, uint32_t vaddr, unsigned size, uint32_t *val);
bool mmu_store(struct cpu *cpu, uint32_t vaddr, unsigned size, uint32_t val);
/* The load path that also returns the physical address (LL). */
bool mmu_load_pa(struct cpu *cpu, uint32_t vaddr, unsigned size, uint32_t *val,
		 uint32_t *pa);
/* Physical accesses of instructions that translated already (lwl/swl,
 * sc): bus errors raise DBE; a write drops predecoded words it covers. */
bool mmu_read_pa(struct cpu *cpu, uint32_t pa, unsigned size, uint32_t *val);
bool mmu_write_pa(struct cpu *cpu, uint32_t pa, unsigned size, uint32_t val);
/* Sets up fetch_page/fetch_vbase for pc; false if an exception was raised. */
bool mmu_fetch_page(struct cpu *cpu, uint32_t pc);

/* The fetch page: the predecoded page of virtual page vpage. */
static inline void mmu_set_fetch_page(struct cpu *cpu, uint32_t vpage,
				      struct pd_page *page)
{
	cpu->fetch_vbase = vpage;
	cpu->fetch_page = page->insn;
	cpu->fetch_host = page->host;
}

/* The fetch page for pc from the fetch TLB, if it holds pc's page for the
 * current class and context (translated before, and nothing since could
 * change it): set up, true.  mmu_fetch_page's first step, and a block's
 * chain into another page (exec_block.h). */
static inline bool mmu_fetch_tlb_hit(struct cpu *cpu, uint32_t pc)
{
	uint32_t vpage = pc & ~0xfffu;
	const struct ftlb_entry *f = &cpu->ftlb[cpu->mclass][(pc >> 12) & (STLB_SIZE - 1)];
	if (f->vpage != (vpage | cpu->stlb_key))
		return false;
	mmu_set_fetch_page(cpu, vpage, f->page);
	return true;
}
/* A store reached physical RAM at pa: drop predecoded words it covers. */
void mmu_code_written(struct cpu *cpu, uint32_t pa, unsigned size);

/* exception.c */
/*
 * Takes exception `code` for the instruction at cpu->pc (cpu->in_ds says if
 * it is a delay slot): in guest mode through the guest context and vectors
 * (bus errors excepted), else root's.  refill selects the TLB refill
 * vector.  BadVAddr is written by the caller where the exception has one.
 */
void cpu_exception(struct cpu *cpu, unsigned code, bool refill);
/* An exception that goes to root whatever the mode (second-stage faults). */
void cpu_root_exception(struct cpu *cpu, unsigned code, bool refill);
/* A guest exit: root ExcCode 27 with GuestCtl0.GExcCode = gexc. */
void cpu_guest_exit(struct cpu *cpu, enum mips_gexc gexc);
void cpu_exception_cpu(struct cpu *cpu, unsigned ce);
void cpu_address_error(struct cpu *cpu, unsigned code, uint32_t vaddr);
/* Pending and enabled interrupt (root's first): take it; true if taken. */
bool cpu_check_interrupts(struct cpu *cpu);
/* An interrupt is pending for root (what WAIT waits for). */
bool cpu_interrupt_pending(const struct cpu *cpu);
void cpu_eret(struct cpu *cpu, bool clear_ll);

static inline bool ctx_kernel_mode(const struct cp0 *c)
{
	uint32_t s = c->status;
	return (s & (ST_EXL | ST_ERL)) || (s & ST_KSU) == 0;
}

/* Kernel mode of the current context (the guest's own in guest mode). */
static inline bool cpu_kernel_mode(const struct cpu *cpu)
{
	return ctx_kernel_mode(cpu_ctx_const(cpu));
}

static inline enum vzsim_mode cpu_mode(const struct cpu *cpu)
{
	const struct cp0 *c = cpu_ctx_const(cpu);
	if (ctx_kernel_mode(c))
		return VZSIM_MODE_KERNEL;
	return (c->status & ST_KSU) == (1u << 3) ? VZSIM_MODE_SUPERVISOR
						 : VZSIM_MODE_USER;
}

#endif
