/*
 * tlbex.S: the TLB exception handlers of the stress guest kernel, shaped
 * like the ones Linux generates for a MIPS32 R2 core with RI/XI and 16K
 * pages (arch/mips/mm/tlbex.c, 3.x/4.x; docs/stress.md, "TLB
 * handlers").  Each block names the tlbex.c
 * step it mirrors.  The few instructions that are not Linux's (counters,
 * the PageMask / repeated-fault bookkeeping, the way back to user_exit)
 * are marked "vzsoak:" and sit outside the race window (exception ->
 * tlbp -> tlbr/tlbwi), except the counter at each handler's entry, which
 * only widens it a little.
 *
 * Linux builds its handlers at boot for the CPU it finds; so does this
 * kernel, from three flavours assembled here (tlbex_handlers[], chosen by
 * the tlbp-check boot argument):
 *   0 off:   the unchecked tlbp of Linux <= 3.17, and of the RI/XI tlbr
 *            path still today: a missed tlbp goes on to tlbr/tlbwi.
 *   1 index: "ehb; mfc0 AT, Index; bltz AT, leave" right after tlbp, as
 *            Linux emits it on HTW / shared-FTLB cores (070e76cb3ffe,
 *            f39878cc5b09).  A switch between tlbp and tlbr still lets
 *            another guest take the slot.
 *   2 on:    that, and around the RI/XI tlbr EntryHi is kept in KScratch2
 *            and put back with PageMask 16K (as Linux's huge-page path
 *            restores PageMask), so a tlbr that lands on a slot another
 *            guest took cannot shrink the page.
 *
 * Page table (main.c): pgd_current -> pgd[64] (one word per 64 MiB,
 * PGDIR_SHIFT 26) -> PTE tables of 4096 32-bit PTEs (16 KiB), PTE layout
 * RIXI: PRESENT 0x1, WRITE 0x2, ACCESSED 0x4, MODIFIED 0x8, NO_EXEC 0x10,
 * NO_READ 0x20, GLOBAL 0x40, VALID 0x80, DIRTY 0x100, CCA 11:9, PA 31:12.
 * Statistics go to ks[] (include/vzsoak/kstats.h), which the harness
 * reads live.
 */
#include <mips/cp0.h>
#include <vzsoak/hypercall.h>
#include <vzsoak/kstats.h>

	.set	noreorder
	.set	noat

/* vzsoak: ks[word]++ (k0, k1 only) */
	.macro	COUNT word
	lui	$k0, %hi(ks + KS_OFF(\word))
	lw	$k1, %lo(ks + KS_OFF(\word))($k0)
	addiu	$k1, $k1, 1
	sw	$k1, %lo(ks + KS_OFF(\word))($k0)
	.endm

/* vzsoak: reg = ks[word] / ks[word] = reg (scratch: tmp) */
	.macro	KS_LOAD reg, word, tmp
	lui	\tmp, %hi(ks + KS_OFF(\word))
	lw	\reg, %lo(ks + KS_OFF(\word))(\tmp)
	.endm
	.macro	KS_STORE reg, word, tmp
	lui	\tmp, %hi(ks + KS_OFF(\word))
	sw	\reg, %lo(ks + KS_OFF(\word))(\tmp)
	.endm

/*
 * build_convert_pte_to_entrylo (RIXI in use): drop the software bits
 * with "srl 4", then "rotr 2" brings NO_EXEC/NO_READ to EntryLo XI/RI
 * (30/31) and GLOBAL, VALID, DIRTY, CCA, PFN to EntryLo 0..29.
 */
	.macro	PTE_TO_ENTRYLO reg
	srl	\reg, \reg, 4
	rotr	\reg, \reg, 2
	.endm

/*
 * build_get_pgde32 + build_get_ptep, as in the tlbchange handler head:
 * k1 = &PTE of the faulting page (k0 scratch).
 */
	.macro	GET_PTEP
	mfc0	$k0, CP0_BADVADDR		/* build_get_pgde32: pgd index */
	lui	$k1, %hi(pgd_current)		/* pgd_current (no SMP, no pgd_reg) */
	lw	$k1, %lo(pgd_current)($k1)
	srl	$k0, $k0, 26			/* PGDIR_SHIFT, 16K pages */
	sll	$k0, $k0, 2
	addu	$k1, $k1, $k0			/* &pgd entry */
	mfc0	$k0, CP0_BADVADDR		/* build_get_ptep */
	lw	$k1, 0($k1)			/* PTE table */
	srl	$k0, $k0, 12			/* PAGE_SHIFT - 2 */
	andi	$k0, $k0, 0x3ffc		/* (PTRS_PER_PTE - 1) << 2 */
	addu	$k1, $k1, $k0			/* &pte */
	.endm

	.text

/*
 * TLB refill, EBase + 0x000 (start.S jumps here):
 * build_r4000_tlb_refill_handler, 32-bit, small pages, k0/k1 only.
 */
	.globl	guest_tlb_refill
	.type	guest_tlb_refill, @function
guest_tlb_refill:
	/* 1. build_get_pgde32: pgd_current + (BadVAddr >> PGDIR_SHIFT) << 2 */
	mfc0	$k0, CP0_BADVADDR
	lui	$k1, %hi(pgd_current)
	lw	$k1, %lo(pgd_current)($k1)
	srl	$k0, $k0, 26
	sll	$k0, $k0, 2
	addu	$k1, $k1, $k0
	/* 2. build_get_ptep / build_adjust_context: Context.BadVPN2 -> pair offset */
	mfc0	$k0, CP0_CONTEXT
	lw	$k1, 0($k1)
	srl	$k0, $k0, 3			/* 16K pages: srl 3; andi 0x3ff8 */
	andi	$k0, $k0, 0x3ff8
	addu	$k1, $k1, $k0
	/* 3. build_update_entries: even PTE -> EntryLo0, odd -> EntryLo1 */
	lw	$k0, 0($k1)
	lw	$k1, 4($k1)
	PTE_TO_ENTRYLO $k0
	mtc0	$k0, CP0_ENTRYLO0
	PTE_TO_ENTRYLO $k1
	mtc0	$k1, CP0_ENTRYLO1
	/* 4. build_tlb_write_entry(tlb_random): ehb; tlbwr.  PageMask never written. */
	ehb
	tlbwr
	COUNT	KS_REFILL			/* vzsoak: after the write */
	eret
	.size	guest_tlb_refill, . - guest_tlb_refill

/*
 * General exception vector, EBase + 0x180 (start.S jumps here):
 * except_vec3_generic: index exception_handlers[] by Cause.ExcCode.
 */
	.globl	guest_general
	.type	guest_general, @function
guest_general:
	mfc0	$k1, CP0_CAUSE
	andi	$k1, $k1, 0x7c			/* ExcCode << 2 */
	lui	$k0, %hi(exception_handlers)
	addu	$k0, $k0, $k1
	lw	$k0, %lo(exception_handlers)($k0)
	jr	$k0
	nop
	.size	guest_general, . - guest_general

/*
 * The tlbp and what follows it, by flavour (see the top of the file):
 * TLBP_AND_CHECK after the PTE load, SAVE_ENTRYHI / PUT_BACK around the
 * RI/XI tlbr.
 */
	.macro	TLBP_AND_CHECK fl, leave
	tlbp					/* EntryHi from the exception */
	.if	\fl >= 1
	ehb					/* cpu_has_tlbex_tlbp_race() */
	mfc0	$1, CP0_INDEX
	bgez	$1, 8f
	nop
	COUNT	KS_PROBE_MISSES			/* vzsoak: counted (checks.c) */
	b	\leave				/* missed: eret and retry */
	nop
8:
	.endif
	.endm

/*
 * The three handlers of one flavour: handle_tlbm_FL, handle_tlbl_FL,
 * handle_tlbs_FL (with selfcheck=off, handle_tlbm_FL_unchecked...: the
 * same instructions, leaving through other labels; see the end of the
 * file).
 */
	.macro	TLBCHANGE_HANDLERS fl, sfx=, leave=leave, tail=tlbchange_tail, spurious=spurious, nopage=nopage

/* handle_tlbl (ExcCode 2): build_r4000_tlb_load_handler. */
	.type	handle_tlbl_\fl\sfx, @function
handle_tlbl_\fl\sfx:
	COUNT	KS_TLBL				/* vzsoak: counter */
	/* build_r4000_tlbchange_handler_head */
	mtc0	$1, CP0_KSCRATCH1		/* build_get_work_registers: AT */
	GET_PTEP
	lw	$k0, 0($k1)			/* the PTE (lw: no SMP) */
	TLBP_AND_CHECK \fl, \leave
	/* build_pte_present (RIXI): PRESENT only */
	andi	$1, $k0, 0x1
	beqz	$1, \nopage
	nop
	/*
	 * cpu_has_rixi && !cpu_has_rixiex: a TLBL with a valid PTE may be an
	 * RI/XI violation; read the entry back to tell.  Index is whatever
	 * tlbp left: unchecked, a miss reads a foreign/invalid slot and
	 * loads its PageMask (the shrinking page).
	 */
	andi	$1, $k0, 0x80			/* _PAGE_VALID */
	beqz	$1, 2f				/* tlbl_goaround */
	nop
	.if	\fl == 2
	mfc0	$1, CP0_ENTRYHI			/* vzsoak fix: keep EntryHi */
	mtc0	$1, CP0_KSCRATCH2
	.endif
	tlbr
	ehb
	.if	\fl == 2
	mfc0	$1, CP0_KSCRATCH2		/* vzsoak fix: put back EntryHi */
	mtc0	$1, CP0_ENTRYHI
	li	$1, PM_16K			/* ... and PageMask */
	mtc0	$1, CP0_PAGEMASK
	ehb
	.endif
	andi	$1, $k1, 4			/* odd PTE? pick EntryLo1 */
	beqz	$1, 1f
	mfc0	$1, CP0_ENTRYLO0			/* delay slot */
	mfc0	$1, CP0_ENTRYLO1
1:	andi	$1, $1, 2			/* ENTRYLO_V */
	beqz	$1, 2f
	nop
	b	\spurious			/* V set: RI/XI -> tlb_do_page_fault_0 */
	nop
2:	/* tlbl_goaround, build_make_valid: VALID | ACCESSED */
	ori	$k0, $k0, 0x84
	sw	$k0, 0($k1)
	b	\tail
	nop
	.size	handle_tlbl_\fl\sfx, . - handle_tlbl_\fl\sfx

/* handle_tlbs (ExcCode 3): build_r4000_tlb_store_handler. */
	.type	handle_tlbs_\fl\sfx, @function
handle_tlbs_\fl\sfx:
	COUNT	KS_TLBS				/* vzsoak: counter */
	mtc0	$1, CP0_KSCRATCH1		/* handler head, as in handle_tlbl */
	GET_PTEP
	lw	$k0, 0($k1)
	TLBP_AND_CHECK \fl, \leave
	/* build_pte_writable: PRESENT | WRITE */
	andi	$1, $k0, 0x3
	xori	$1, $1, 0x3
	bnez	$1, \nopage
	nop
	/* build_make_write: ACCESSED | MODIFIED | VALID | DIRTY */
	ori	$k0, $k0, 0x18c
	sw	$k0, 0($k1)
	b	\tail
	nop
	.size	handle_tlbs_\fl\sfx, . - handle_tlbs_\fl\sfx

/* handle_tlbm (ExcCode 1, Mod): build_r4000_tlb_modify_handler. */
	.type	handle_tlbm_\fl\sfx, @function
handle_tlbm_\fl\sfx:
	COUNT	KS_MOD				/* vzsoak: counter */
	mtc0	$1, CP0_KSCRATCH1
	GET_PTEP
	lw	$k0, 0($k1)
	TLBP_AND_CHECK \fl, \leave
	/* build_pte_modifiable: WRITE */
	andi	$1, $k0, 0x2
	beqz	$1, \nopage
	nop
	/* build_make_write */
	ori	$k0, $k0, 0x18c
	sw	$k0, 0($k1)
	b	\tail
	nop
	.size	handle_tlbm_\fl\sfx, . - handle_tlbm_\fl\sfx
	.endm

	TLBCHANGE_HANDLERS 0
	TLBCHANGE_HANDLERS 1
	TLBCHANGE_HANDLERS 2

/*
 * build_r4000_tlbchange_handler_tail: align the PTE pointer to the even
 * PTE, reload the pair, EntryLo0/1, tlbwi at the Index tlbp left.
 */
	.macro	TLBCHANGE_TAIL
	ori	$k1, $k1, 4
	xori	$k1, $k1, 4
	lw	$k0, 0($k1)
	lw	$k1, 4($k1)
	PTE_TO_ENTRYLO $k0
	mtc0	$k0, CP0_ENTRYLO0
	PTE_TO_ENTRYLO $k1
	mtc0	$k1, CP0_ENTRYLO1
	ehb
	tlbwi
	.endm

/* leave: restore AT (build_get_work_registers' save), eret */
	.macro	RESTORE_AT_AND_ERET
	mfc0	$1, CP0_KSCRATCH1
	eret
	.endm

tlbchange_tail:
	TLBCHANGE_TAIL
leave:
	/*
	 * vzsoak: BadVAddr and Context.BadVPN2 (VA[31:13] in bits 22:4) come
	 * from the same exception and no handler writes either: if they
	 * differ, one was not given back across a switch in the handler.
	 */
	mfc0	$k0, CP0_BADVADDR
	mfc0	$k1, CP0_CONTEXT
	srl	$k0, $k0, 13
	srl	$k1, $k1, 4
	xor	$k0, $k0, $k1
	sll	$k0, $k0, 13			/* the 19 bits of VA[31:13] */
	bnez	$k0, badvaddr_bad
	nop
leave_pagemask:
	/*
	 * vzsoak: after every TLBL/TLBS/Mod handler (k0, k1, AT free):
	 * PageMask must still be 16K; and the same EPC/BadVAddr faulting
	 * over and over is counted (ks[KS_REPEATS], which the harness
	 * watches: the livelock of the shrinking page).
	 */
	mfc0	$k0, CP0_PAGEMASK
	li	$k1, PM_16K
	bne	$k0, $k1, pagemask_bad
	nop
check_repeat:
	mfc0	$k0, CP0_EPC
	KS_LOAD	$1, KS_LAST_EPC, $k1
	bne	$k0, $1, new_fault
	sw	$k0, %lo(ks + KS_OFF(KS_LAST_EPC))($k1)	/* delay slot: remember EPC */
	mfc0	$k0, CP0_BADVADDR
	KS_LOAD	$1, KS_LAST_BADVADDR, $k1
	bne	$k0, $1, new_fault
	nop
	KS_LOAD	$k0, KS_REPEATS, $k1
	addiu	$k0, $k0, 1
	KS_STORE $k0, KS_REPEATS, $k1
	KS_LOAD	$1, KS_MAX_REPEATS, $k1
	sltu	$1, $1, $k0
	beqz	$1, restore			/* not a new longest run */
	nop
	KS_STORE $k0, KS_MAX_REPEATS, $k1
	mfc0	$k0, CP0_EPC
	KS_STORE $k0, KS_MAX_EPC, $k1
	mfc0	$k0, CP0_BADVADDR
	KS_STORE $k0, KS_MAX_BADVADDR, $k1
	b	restore
	nop
new_fault:
	mfc0	$k0, CP0_BADVADDR
	KS_STORE $k0, KS_LAST_BADVADDR, $k1
	KS_STORE $zero, KS_REPEATS, $k1
restore:
	RESTORE_AT_AND_ERET

/*
 * vzsoak: a handler reports anomaly CODE with detail DETAIL (k0 or AT),
 * then goes on at BACK; a0/a1/v0 are saved around the hypercall.
 */
	.macro	HANDLER_ANOMALY code, detail, back
	la	$k1, saved_regs
	sw	$a0, 0($k1)
	sw	$a1, 4($k1)
	sw	$v0, 8($k1)
	li	$a0, \code
	move	$a1, \detail
	hypcall	HC_ANOMALY
	la	$k1, saved_regs
	lw	$a0, 0($k1)
	lw	$a1, 4($k1)
	b	\back
	lw	$v0, 8($k1)
	.endm

/*
 * vzsoak: BadVAddr disagrees with Context: report it once (anomaly
 * ANOM_STALE_BADVADDR, detail BadVAddr), then go on with the other checks.
 */
badvaddr_bad:
	lui	$k1, %hi(badvaddr_reported)
	lw	$k0, %lo(badvaddr_reported)($k1)
	bnez	$k0, leave_pagemask
	li	$k0, 1
	sw	$k0, %lo(badvaddr_reported)($k1)
	mfc0	$k0, CP0_BADVADDR
	HANDLER_ANOMALY ANOM_STALE_BADVADDR, $k0, leave_pagemask

/*
 * vzsoak: PageMask is no longer 16K.  Count it; the first time, record
 * it with EPC and BadVAddr and report anomaly ANOM_PAGEMASK.  The
 * PageMask is left as it is: that is the bug being watched.
 */
pagemask_bad:
	KS_LOAD	$1, KS_PM_BAD_COUNT, $k1
	addiu	$1, $1, 1
	KS_STORE $1, KS_PM_BAD_COUNT, $k1
	li	$k1, 1
	bne	$1, $k1, check_repeat		/* reported already */
	nop
	KS_STORE $k0, KS_PM_BAD, $k1
	mfc0	$1, CP0_EPC
	KS_STORE $1, KS_PM_BAD_EPC, $k1
	mfc0	$1, CP0_BADVADDR
	KS_STORE $1, KS_PM_BAD_BADVADDR, $k1
	HANDLER_ANOMALY ANOM_PAGEMASK, $k0, check_repeat

/*
 * tlb_do_page_fault_0/1 (C do_page_fault in Linux).  A PTE that is
 * present means a spurious fault (RI/XI as seen by the tlbr check, or a
 * race): count it and retry.  No page (or a read-only one): from user
 * mode the process gets the fault (user_exit: a crashme block ends, like
 * SIGSEGV); from the kernel it is a kernel bug: report and stop.
 */
/* No page from user mode: the process gets the fault (user_exit); from
 * the kernel, fall through to the "1:" after it. */
	.macro	NOPAGE_FROM_USER
	COUNT	KS_NOPAGE
	mfc0	$k0, CP0_STATUS
	andi	$k0, $k0, ST_UM
	beqz	$k0, 1f
	nop
	j	user_exit
	mfc0	$1, CP0_KSCRATCH1		/* delay slot: the user's AT */
	.endm

spurious:
	COUNT	KS_SPURIOUS
	b	leave
	nop
nopage:
	NOPAGE_FROM_USER
1:	li	$a0, ANOM_NOPAGE
	mfc0	$a1, CP0_BADVADDR
	hypcall	HC_ANOMALY
	li	$a0, 3
	hypcall	HC_STOP				/* stop, status 3 */
1:	b	1b
	nop

/* Any other exception: the process's business from user mode (a system
 * call, the timer, a crashme block's fault); in the kernel, a bug. */
	.type	handle_other, @function
handle_other:
	mfc0	$k0, CP0_STATUS
	andi	$k0, $k0, ST_UM
	beqz	$k0, 1f
	nop
	j	user_exit
	nop
1:	li	$a0, ANOM_KFAULT
	mfc0	$a1, CP0_CAUSE
	hypcall	HC_ANOMALY
	li	$a0, 4
	hypcall	HC_STOP				/* stop, status 4 */
1:	b	1b
	nop
	.size	handle_other, . - handle_other

/*
 * selfcheck=off (main.c, tlbex_select): the kernel checks nothing and
 * reports nothing, as Linux does, so that a bug must be found from what
 * the hypervisor and the trace see.  The same three flavours, the same
 * Linux instructions and the same plain counters, but every way out
 * skips vzsoak's checks at `leave` (no PageMask check, no anomaly 0x51,
 * no repeated-fault counting: ks[KS_REPEATS] stays 0), and the kernel-
 * mode faults stop the guest without an anomaly report, as a panic would.
 * Assembled after everything else of this file, so that the selfcheck=on
 * handlers keep their addresses and instructions.
 */
	TLBCHANGE_HANDLERS 0, _unchecked, leave_unchecked, tlbchange_tail_unchecked, spurious_unchecked, nopage_unchecked
	TLBCHANGE_HANDLERS 1, _unchecked, leave_unchecked, tlbchange_tail_unchecked, spurious_unchecked, nopage_unchecked
	TLBCHANGE_HANDLERS 2, _unchecked, leave_unchecked, tlbchange_tail_unchecked, spurious_unchecked, nopage_unchecked

tlbchange_tail_unchecked:
	TLBCHANGE_TAIL
leave_unchecked:
	RESTORE_AT_AND_ERET

spurious_unchecked:
	COUNT	KS_SPURIOUS
	RESTORE_AT_AND_ERET

nopage_unchecked:
	NOPAGE_FROM_USER
1:	li	$a0, 3
	hypcall	HC_STOP				/* stop, status 3, unreported */
1:	b	1b
	nop

	.globl	handle_other_unchecked
	.type	handle_other_unchecked, @function
handle_other_unchecked:
	mfc0	$k0, CP0_STATUS
	andi	$k0, $k0, ST_UM
	beqz	$k0, 1f
	nop
	j	user_exit
	nop
1:	li	$a0, 4
	hypcall	HC_STOP				/* stop, status 4, unreported */
1:	b	1b
	nop
	.size	handle_other_unchecked, . - handle_other_unchecked

/* exception_handlers[ExcCode] (trap_init's set_except_vector); entries
 * 1..3 are set at boot from tlbex_handlers (main.c, tlbex_select). */
	.section .data.exception_handlers, "aw"
	.balign	4
	.globl	exception_handlers
exception_handlers:
	.rept	32
	.word	handle_other
	.endr

/* The flavours' Mod, TLBL, TLBS handlers, three words each: with the
 * kernel's own checks (selfcheck=on), then without them (off). */
	.section .rodata.tlbex_handlers, "a"
	.balign	4
	.globl	tlbex_handlers
tlbex_handlers:
	.word	handle_tlbm_0, handle_tlbl_0, handle_tlbs_0
	.word	handle_tlbm_1, handle_tlbl_1, handle_tlbs_1
	.word	handle_tlbm_2, handle_tlbl_2, handle_tlbs_2
	.word	handle_tlbm_0_unchecked, handle_tlbl_0_unchecked, handle_tlbs_0_unchecked
	.word	handle_tlbm_1_unchecked, handle_tlbl_1_unchecked, handle_tlbs_1_unchecked
	.word	handle_tlbm_2_unchecked, handle_tlbl_2_unchecked, handle_tlbs_2_unchecked

	.section .bss.tlbex, "aw", @nobits
	.balign	4
saved_regs:	.space	12
badvaddr_reported:	.space	4
