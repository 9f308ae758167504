/*
 * stress_tlb.S: the TLB exception handlers of the stress guest kernel,
 * shaped like the ones Linux generates for a MIPS32 R2 core with RI/XI
 * and 16K pages (arch/mips/mm/tlbex.c, 3.x/4.x; see
 * ../shared/docs/linux-tlb-handlers.md).  Each block names the tlbex.c
 * step it mirrors.  The few instructions that are not Linux's (counters,
 * the PageMask / livelock checks) are marked "vzsoak:" and sit outside
 * the race window (exception -> tlbp -> tlbr/tlbwi), except the counter
 * at each handler's entry, which only widens it a little.
 *
 * TLBP_CHECK=0 (image stress): the unchecked tlbp of Linux <= 3.17, and of
 *   the RIXI tlbr path still today: a missed tlbp goes on to tlbr/tlbwi.
 * TLBP_CHECK=1 (image stress_chk): "ehb; mfc0 AT, Index; bltz AT, leave"
 *   right after tlbp, as Linux emits it on HTW / shared-FTLB cores
 *   (070e76cb3ffe, f39878cc5b09).
 *
 * Page table (stress.c): pgd_current -> pgd[64] (one word per 64 MiB,
 * PGDIR_SHIFT 26) -> PTE tables of 4096 32-bit PTEs (16 KiB), PTE layout
 * RIXI: PRESENT 0x1, WRITE 0x2, ACCESSED 0x4, MODIFIED 0x8, NO_EXEC 0x10,
 * NO_READ 0x20, GLOBAL 0x40, VALID 0x80, DIRTY 0x100, CCA 11:9, PA 31:12.
 */
#ifndef TLBP_CHECK
#define TLBP_CHECK 0
#endif

#define C0_INDEX	$0
#define C0_ENTRYLO0	$2
#define C0_ENTRYLO1	$3
#define C0_CONTEXT	$4
#define C0_PAGEMASK	$5
#define C0_BADVADDR	$8
#define C0_CAUSE	$13
#define C0_EPC		$14
#define C0_KSCRATCH1	$31, 2

#define PM_16K		0x6000
#define LIVELOCK_MAX	200	/* same EPC and BadVAddr this many times: livelock */

/* vzsoak: anomaly codes (hypercall 4), also in stress.c */
#define ANOM_PAGEMASK	0x51	/* detail: the PageMask a handler left */
#define ANOM_LIVELOCK	0x52	/* detail: BadVAddr */
#define ANOM_NOPAGE	0x54	/* detail: BadVAddr (PTE not present) */
#define ANOM_EXC	0xe1	/* detail: Cause (not a TLB exception) */

	.set	noreorder
	.set	noat

/* vzsoak: count++ (k0, k1 only) */
	.macro	COUNT var
	lui	$k0, %hi(\var)
	lw	$k1, %lo(\var)($k0)
	addiu	$k1, $k1, 1
	sw	$k1, %lo(\var)($k0)
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
	mfc0	$k0, C0_BADVADDR		/* build_get_pgde32: pgd index */
	lui	$k1, %hi(pgd_current)		/* pgd_current (no SMP, no pgd_reg) */
	lw	$k1, %lo(pgd_current)($k1)
	srl	$k0, $k0, 26			/* PGDIR_SHIFT, 16K pages */
	sll	$k0, $k0, 2
	addu	$k1, $k1, $k0			/* &pgd entry */
	mfc0	$k0, C0_BADVADDR		/* build_get_ptep */
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
	mfc0	$k0, C0_BADVADDR
	lui	$k1, %hi(pgd_current)
	lw	$k1, %lo(pgd_current)($k1)
	srl	$k0, $k0, 26
	sll	$k0, $k0, 2
	addu	$k1, $k1, $k0
	/* 2. build_get_ptep / build_adjust_context: Context.BadVPN2 -> pair offset */
	mfc0	$k0, C0_CONTEXT
	lw	$k1, 0($k1)
	srl	$k0, $k0, 3			/* 16K pages: srl 3; andi 0x3ff8 */
	andi	$k0, $k0, 0x3ff8
	addu	$k1, $k1, $k0
	/* 3. build_update_entries: even PTE -> EntryLo0, odd -> EntryLo1 */
	lw	$k0, 0($k1)
	lw	$k1, 4($k1)
	PTE_TO_ENTRYLO $k0
	mtc0	$k0, C0_ENTRYLO0
	PTE_TO_ENTRYLO $k1
	mtc0	$k1, C0_ENTRYLO1
	/* 4. build_tlb_write_entry(tlb_random): ehb; tlbwr.  PageMask never written. */
	ehb
	tlbwr
	COUNT	n_refill			/* vzsoak: after the write */
	eret
	.size	guest_tlb_refill, . - guest_tlb_refill

/*
 * General exception vector, EBase + 0x180 (start.S jumps here):
 * except_vec3_generic: index exception_handlers[] by Cause.ExcCode.
 */
	.globl	guest_general
	.type	guest_general, @function
guest_general:
	mfc0	$k1, C0_CAUSE
	andi	$k1, $k1, 0x7c			/* ExcCode << 2 */
	lui	$k0, %hi(exception_handlers)
	addu	$k0, $k0, $k1
	lw	$k0, %lo(exception_handlers)($k0)
	jr	$k0
	nop
	.size	guest_general, . - guest_general

/*
 * handle_tlbl (ExcCode 2): build_r4000_tlb_load_handler.
 */
	.type	handle_tlbl, @function
handle_tlbl:
	COUNT	n_tlbl				/* vzsoak: counter */
	/* build_r4000_tlbchange_handler_head */
	mtc0	$1, C0_KSCRATCH1		/* build_get_work_registers: AT */
	GET_PTEP
	lw	$k0, 0($k1)			/* the PTE (lw: no SMP) */
	tlbp					/* EntryHi from the exception */
#if TLBP_CHECK
	ehb					/* cpu_has_tlbex_tlbp_race() */
	mfc0	$1, C0_INDEX
	bltz	$1, leave			/* missed: eret and retry */
	nop
#endif
	/* build_pte_present (RIXI): PRESENT only */
	andi	$1, $k0, 0x1
	beqz	$1, nopage
	nop
	/*
	 * cpu_has_rixi && !cpu_has_rixiex: a TLBL with a valid PTE may be an
	 * RI/XI violation; read the entry back to tell.  Index is whatever
	 * tlbp left: unchecked, a miss reads a foreign/invalid slot and
	 * loads its PageMask (the shrinking page).
	 */
	andi	$1, $k0, 0x80			/* _PAGE_VALID */
	beqz	$1, tlbl_goaround
	nop
	tlbr
	ehb
	andi	$1, $k1, 4			/* odd PTE? pick EntryLo1 */
	beqz	$1, 1f
	mfc0	$1, C0_ENTRYLO0			/* delay slot */
	mfc0	$1, C0_ENTRYLO1
1:	andi	$1, $1, 2			/* ENTRYLO_V */
	beqz	$1, tlbl_goaround
	nop
	b	spurious			/* V set: RI/XI -> tlb_do_page_fault_0 */
	nop
tlbl_goaround:
	/* build_make_valid: VALID | ACCESSED */
	ori	$k0, $k0, 0x84
	sw	$k0, 0($k1)
	b	tlbchange_tail
	nop
	.size	handle_tlbl, . - handle_tlbl

/*
 * handle_tlbs (ExcCode 3): build_r4000_tlb_store_handler.
 */
	.type	handle_tlbs, @function
handle_tlbs:
	COUNT	n_tlbs				/* vzsoak: counter */
	mtc0	$1, C0_KSCRATCH1		/* handler head, as in handle_tlbl */
	GET_PTEP
	lw	$k0, 0($k1)
	tlbp
#if TLBP_CHECK
	ehb
	mfc0	$1, C0_INDEX
	bltz	$1, leave
	nop
#endif
	/* build_pte_writable: PRESENT | WRITE */
	andi	$1, $k0, 0x3
	xori	$1, $1, 0x3
	bnez	$1, nopage
	nop
	/* build_make_write: ACCESSED | MODIFIED | VALID | DIRTY */
	ori	$k0, $k0, 0x18c
	sw	$k0, 0($k1)
	b	tlbchange_tail
	nop
	.size	handle_tlbs, . - handle_tlbs

/*
 * handle_tlbm (ExcCode 1, Mod): build_r4000_tlb_modify_handler.
 */
	.type	handle_tlbm, @function
handle_tlbm:
	COUNT	n_tlbm				/* vzsoak: counter */
	mtc0	$1, C0_KSCRATCH1
	GET_PTEP
	lw	$k0, 0($k1)
	tlbp
#if TLBP_CHECK
	ehb
	mfc0	$1, C0_INDEX
	bltz	$1, leave
	nop
#endif
	/* build_pte_modifiable: WRITE */
	andi	$1, $k0, 0x2
	beqz	$1, nopage
	nop
	/* build_make_write */
	ori	$k0, $k0, 0x18c
	sw	$k0, 0($k1)
	/* fall through */
	.size	handle_tlbm, . - handle_tlbm

/*
 * build_r4000_tlbchange_handler_tail: align the PTE pointer to the even
 * PTE, reload the pair, EntryLo0/1, tlbwi at the Index tlbp left.
 */
tlbchange_tail:
	ori	$k1, $k1, 4
	xori	$k1, $k1, 4
	lw	$k0, 0($k1)
	lw	$k1, 4($k1)
	PTE_TO_ENTRYLO $k0
	mtc0	$k0, C0_ENTRYLO0
	PTE_TO_ENTRYLO $k1
	mtc0	$k1, C0_ENTRYLO1
	ehb
	tlbwi
leave:
	/*
	 * vzsoak: after every TLBL/TLBS/Mod handler (k0, k1, AT free):
	 * PageMask must still be 16K, and the same EPC/BadVAddr must not
	 * fault over and over.
	 */
	mfc0	$k0, C0_PAGEMASK
	li	$k1, PM_16K
	bne	$k0, $k1, pagemask_bad
	nop
check_repeat:
	mfc0	$k0, C0_EPC
	lui	$k1, %hi(last_epc)
	lw	$1, %lo(last_epc)($k1)
	bne	$k0, $1, new_fault
	sw	$k0, %lo(last_epc)($k1)		/* delay slot: remember EPC */
	mfc0	$k0, C0_BADVADDR
	lui	$k1, %hi(last_badvaddr)
	lw	$1, %lo(last_badvaddr)($k1)
	bne	$k0, $1, new_fault
	nop
	lui	$k1, %hi(repeats)
	lw	$k0, %lo(repeats)($k1)
	addiu	$k0, $k0, 1
	sw	$k0, %lo(repeats)($k1)
	sltiu	$k0, $k0, LIVELOCK_MAX
	beqz	$k0, livelock
	nop
	b	restore
	nop
new_fault:
	mfc0	$k0, C0_BADVADDR
	lui	$k1, %hi(last_badvaddr)
	sw	$k0, %lo(last_badvaddr)($k1)
	lui	$k1, %hi(repeats)
	sw	$zero, %lo(repeats)($k1)
restore:
	/* leave: restore AT (build_get_work_registers' save), eret */
	mfc0	$1, C0_KSCRATCH1
	eret

/*
 * vzsoak: PageMask is no longer 16K.  Record it (pm_bad, pm_bad_epc,
 * pm_bad_badvaddr) and report anomaly ANOM_PAGEMASK once; a0/a1/v0 are
 * saved around the hypercall.
 */
pagemask_bad:
	lui	$k1, %hi(pm_bad_count)
	lw	$1, %lo(pm_bad_count)($k1)
	addiu	$1, $1, 1
	sw	$1, %lo(pm_bad_count)($k1)
	li	$k1, 1
	bne	$1, $k1, check_repeat		/* reported already */
	nop
	lui	$k1, %hi(pm_bad)
	sw	$k0, %lo(pm_bad)($k1)
	mfc0	$1, C0_EPC
	lui	$k1, %hi(pm_bad_epc)
	sw	$1, %lo(pm_bad_epc)($k1)
	mfc0	$1, C0_BADVADDR
	lui	$k1, %hi(pm_bad_badvaddr)
	sw	$1, %lo(pm_bad_badvaddr)($k1)
	la	$k1, saved_regs
	sw	$a0, 0($k1)
	sw	$a1, 4($k1)
	sw	$v0, 8($k1)
	li	$a0, ANOM_PAGEMASK
	move	$a1, $k0
	hypcall	4
	la	$k1, saved_regs
	lw	$a0, 0($k1)
	lw	$a1, 4($k1)
	b	check_repeat
	lw	$v0, 8($k1)

/* vzsoak: the same fault LIVELOCK_MAX times in a row: report and stop. */
livelock:
	li	$a0, ANOM_LIVELOCK
	mfc0	$a1, C0_BADVADDR
	hypcall	4
	li	$a0, 2
	hypcall	5				/* stop, status 2 */
1:	b	1b
	nop

/*
 * tlb_do_page_fault_0/1 (C do_page_fault in Linux).  The guest maps its
 * whole region up front, so: a PTE that is present means a spurious
 * fault (RI/XI as seen by the tlbr check, or a race): count it and
 * retry; not present is a bug: report and stop.
 */
spurious:
	COUNT	n_spurious
	b	leave
	nop
nopage:
	li	$a0, ANOM_NOPAGE
	mfc0	$a1, C0_BADVADDR
	hypcall	4
	li	$a0, 3
	hypcall	5				/* stop, status 3 */
1:	b	1b
	nop

/* Any other exception: report Cause and stop. */
	.type	handle_other, @function
handle_other:
	li	$a0, ANOM_EXC
	mfc0	$a1, C0_CAUSE
	hypcall	4
	li	$a0, 4
	hypcall	5				/* stop, status 4 */
1:	b	1b
	nop
	.size	handle_other, . - handle_other

/* exception_handlers[ExcCode] (trap_init's set_except_vector). */
	.section .data.exception_handlers, "aw"
	.balign	4
exception_handlers:
	.word	handle_other, handle_tlbm, handle_tlbl, handle_tlbs
	.rept	28
	.word	handle_other
	.endr

	.section .bss.stress_tlb, "aw", @nobits
	.balign	4
	.globl	n_refill, n_tlbl, n_tlbs, n_tlbm, n_spurious
	.globl	pm_bad, pm_bad_count, pm_bad_epc, pm_bad_badvaddr
n_refill:	.space	4
n_tlbl:		.space	4
n_tlbs:		.space	4
n_tlbm:		.space	4
n_spurious:	.space	4
pm_bad:		.space	4
pm_bad_count:	.space	4
pm_bad_epc:	.space	4
pm_bad_badvaddr: .space	4
last_epc:	.space	4
last_badvaddr:	.space	4
repeats:	.space	4
saved_regs:	.space	12
