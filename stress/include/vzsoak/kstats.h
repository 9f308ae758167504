/*
 * The stress kernel's statistics block: an array of KS_WORDS 32-bit words
 * in guest memory that the kernel and its TLB handlers keep current, and
 * whose address the kernel registers with the hypervisor (hypercall 7), so
 * that the harness reads it live (hypervisor/include/vzsoak/status.h tells
 * where) even while the guest is locked up.  One definition for the writer
 * (stress/kernel/, in C and in assembly: word indexes, not a struct) and
 * the reader (harness/).  KS_OFF(i) is word i's byte offset.
 *
 * Also here: the anomaly codes the stress kernel reports with hypercall 4,
 * which the harness names in its summary.
 */
#ifndef VZSOAK_KSTATS_H
#define VZSOAK_KSTATS_H

#define KSTATS_MAGIC   0x534b5a56 /* "VZKS" */
#define KSTATS_VERSION 1

#define KS_OFF(i) ((i) * 4)

/* Header. */
#define KS_MAGIC       0
#define KS_VERSION     1
#define KS_TLBP_CHECK  2  /* GCONF_TLBP_* the kernel runs with */
#define KS_SEED        3

/* TLB handlers (stress/kernel/tlbex.S). */
#define KS_REFILL      4  /* TLB refills */
#define KS_TLBL        5  /* TLBL handler runs */
#define KS_TLBS        6  /* TLBS handler runs */
#define KS_MOD         7  /* Mod handler runs */
#define KS_SPURIOUS    8  /* TLBL on an entry already valid ("RI/XI") */
#define KS_NOPAGE      9  /* faults on no PTE / a read-only page (user: the block ends) */
#define KS_PM_BAD      10 /* the first PageMask a handler left != 16K */
#define KS_PM_BAD_COUNT 11 /* handler exits with PageMask != 16K */
#define KS_PM_BAD_EPC  12 /* EPC and BadVAddr of the first such exit */
#define KS_PM_BAD_BADVADDR 13
#define KS_LAST_EPC    14 /* the latest fault handled ...            */
#define KS_LAST_BADVADDR 15
#define KS_REPEATS     16 /* ... and how many times in a row it recurred */
#define KS_MAX_REPEATS 17 /* the longest such run, with its EPC/BadVAddr */
#define KS_MAX_EPC     18
#define KS_MAX_BADVADDR 19

/* Kernel. */
#define KS_PAGES_MAPPED 20 /* PTEs with VALID set */
#define KS_ASID_WRAPS  21 /* ASID generations used up (guest TLB flushed) */
#define KS_TICKS       22 /* guest timer interrupts */
#define KS_SYSCALLS    23 /* system calls served */
#define KS_SWITCHES    24 /* switches between the worker and crashme */
#define KS_HEARTBEAT   25 /* the counter of the latest heartbeat */

/* Memory worker (user mode). */
#define KS_PASSES      26 /* passes over its pages completed */
#define KS_PAGES_TOUCHED 27
#define KS_BAD_WORDS   28 /* words read back wrong */
#define KS_FIRST_BAD_VA 29
#define KS_FIRST_BAD_GOT 30

/* crashme (user mode). */
#define KS_BLOCKS      31 /* blocks started; the next block's number */
#define KS_BLOCK_WORDS 32 /* words per block */
#define KS_COMPLETED   33 /* blocks that ran to their final syscall */
#define KS_TIMEOUTS    34 /* blocks stopped by the guest timer */
#define KS_OUTCOME0    40 /* KS_OUTCOME0 + ExcCode: blocks ended by that exception */
#define KS_OUTCOME(exc) (KS_OUTCOME0 + (exc))

/* The kernel's checks of what the hypervisor owes it (stress/kernel/checks.c). */
#define KS_PROBE_MISSES 72 /* a TLB handler's tlbp missed the faulting entry */
#define KS_SWITCH_CHECKS 73 /* switch checks run (state held across a doorbell) */
#define KS_DOORBELLS   74 /* doorbells (virtual interrupts) seen */
#define KS_MAX_COUNT_STEP 75 /* the largest guest Count step a switch check saw */
#define KS_WIRED       76 /* wired TLB entries the kernel keeps */
#define KS_MOVING      77 /* the counter the kernel keeps in the moving page */

#define KS_WORDS       80

/*
 * The anomalies the stress kernel reports (hypercall 4: code, detail), one
 * line each: the one place a code is defined, so it cannot be added
 * without its name.  C gets an enum, assembly the same constants (.equ,
 * as mips/exc.h), the harness the names for its flag titles (harness/
 * detect.c; docs/soak.md "Titles").
 *
 *   X(code, SYM, DETAIL, "name")   ANOM_SYM = code
 *
 * DETAIL says what the detail word holds: PAGEMASK (the PageMask a handler
 * left), VA, BADVADDR, CAUSE (the Cause register: its ExcCode names the
 * exception) or VALUE (anything else).  The name says what went wrong in
 * words and holds no number: it titles a failure across runs.
 */
#define KS_ANOMALIES(X) \
	X(0x51, PAGEMASK, PAGEMASK, "a TLB handler changed PageMask") \
	X(0x53, BADDATA, VA, "memory worker: word read back wrong") \
	X(0x54, NOPAGE, BADVADDR, "stress kernel: kernel-mode fault with no PTE") \
	X(0x55, WORKER, CAUSE, "memory worker: unexpected exception") \
	X(0x60, STALE_INDEX, VALUE, "guest Index changed across a switch") \
	X(0x61, STALE_ENTRYHI, VALUE, "guest EntryHi changed across a switch") \
	X(0x62, STALE_BADVADDR, VALUE, "guest BadVAddr changed across a switch") \
	X(0x63, STALE_ENTRYLO, VALUE, "guest EntryLo changed across a switch") \
	X(0x64, STALE_CONTEXT, VALUE, "guest Context changed across a switch") \
	X(0x65, TIME_JUMP, VALUE, "guest Count jumped across a switch: guest time not continued") \
	X(0x66, VIRQ_LOST, VALUE, "virtual interrupt lost: the doorbell never reached the guest") \
	X(0x67, TIMER_LOST, VALUE, "guest timer interrupt lost: Count passed Compare, no TI") \
	X(0x68, WIRED_LOST, VA, "wired TLB entry lost: evicted and not put back") \
	X(0x69, STALE_PAGE, VALUE, "moved page lost guest writes: stale second-stage mapping") \
	X(0x6a, ISOLATION, VALUE, "guest memory written by another guest") \
	X(0x6b, DSLOT_RESUME, VALUE, "exit in a branch delay slot resumed past the branch") \
	X(0x6c, PROBE_MISS, VALUE, "TLB handler's entry evicted mid-handler despite preserve") \
	X(0xe1, KFAULT, CAUSE, "stress kernel: unexpected kernel-mode exception")
/* 0x51: every handler exit is counted, the first reported (goes on)
 * 0x53: the worker's first word read back wrong (goes on)
 * 0x54: a kernel-mode fault with no PTE (stop, status 3)
 * 0x55: the worker took an exception that is neither the timer nor a
 *       system call (it is not run again)
 * 0x60..0x64: a CP0 register the kernel held across a switch (a switch
 *       check: a doorbell rung at the hypervisor's next timer tick and
 *       waited for) read back other than it was written (detail: the
 *       value read; the first of a run reported)
 *       0x62 also when a TLB handler finds BadVAddr and Context.BadVPN2,
 *       both from its exception, disagreeing (tlbex.S, at its exit)
 * 0x65: guest Count stepped by more than a switch costs within a switch
 *       check (detail: the step in ticks)
 * 0x66: the doorbell asked for in a switch check never rang (detail: the
 *       ticks waited)
 * 0x67: guest Count passed the armed Compare with Cause.TI clear (detail:
 *       ticks past the deadline)
 * 0x68: a wired entry the kernel wrote at boot is not at its index
 *       (detail: its VA)
 * 0x69: the moving page's counter read back older than last written
 *       (detail: the value read)
 * 0x6a: the kernel's own GuestID word in its memory changed (detail: the
 *       value read)
 * 0x6b: a hypercall in a branch delay slot returned to the fall-through
 *       of a taken branch
 * 0x6c: with preserve=on, a TLB handler's tlbp missed the entry it was
 *       called for (detail: the misses so far, KS_PROBE_MISSES)
 * 0xe1: any other exception in kernel mode (stop, status 4) */

#ifdef __ASSEMBLER__
#define KS_ANOM_EQU(code, sym, detail, name) .equ ANOM_##sym, code;
KS_ANOMALIES(KS_ANOM_EQU)
#undef KS_ANOM_EQU
#else
enum ks_anomaly {
#define KS_ANOM_ENUM(code, sym, detail, name) ANOM_##sym = code,
	KS_ANOMALIES(KS_ANOM_ENUM)
#undef KS_ANOM_ENUM
};
#endif

#endif
