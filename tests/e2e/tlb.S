/*
 * tlb.S: the joint TLB as a kernel's memory manager drives it: tlbwi/tlbr
 * read-back, tlbp hit and miss, Wired and Random with tlbwr, tlbinv,
 * tlbinvf and EHINV, page sizes 4K to 16M in kuseg and kseg2, a Linux-style
 * refill handler fed by Context, refill with EXL set, TLB invalid and
 * modified, ASID matching and the G bit, RI/XI with PageGrain.IEC.
 *
 * Every section starts from a clean TLB (e2e_tlb_clear) so that no write
 * ever duplicates a matching entry (a Machine Check on the P5600).
 */
#include "e2e.h"

/* Physical frames the tests map (RAM is 256 MiB; the image is at 1 MiB). */
#define PA_A		0x01000000	/* small pages */
#define PA_B		0x01001000
#define PA_EVEN		0x04000000	/* page-size tests: 16M aligned */
#define PA_ODD		0x06000000
#define PTE_BASE	0x80800000	/* Context.PTEBase: the page table */
#define KSEG0(pa)	(0x80000000 + (pa))

	.text
	.globl	main
main:
	addiu	$sp, $sp, -40
	sw	$ra, 0($sp)
	sw	$s0, 4($sp)
	sw	$s1, 8($sp)
	sw	$s2, 12($sp)
	sw	$s3, 16($sp)
	sw	$s4, 20($sp)
	sw	$s5, 24($sp)
	sw	$s6, 28($sp)
	sw	$s7, 32($sp)
	jal	e2e_tlb_entries
	nop
	move	$s7, $v0		/* s7 = number of entries */

	/* ------------------------------------------- tlbwi / tlbr */
	mtc0	$zero, C0_PAGEMASK
	li	$a0, 1
	li	$a1, 0x00400005
	li	$a2, LO_PFN(PA_A) | LO_C | LO_D | LO_V
	li	$a3, LO_PFN(PA_B) | LO_C | LO_V
	jal	tlb_write
	nop
	mtc0	$zero, C0_ENTRYHI
	mtc0	$zero, C0_ENTRYLO0
	mtc0	$zero, C0_ENTRYLO1
	li	$t0, PM_16K
	mtc0	$t0, C0_PAGEMASK
	jal	tlb_read
	li	$a0, 1
	PUTS	"tlbr 1:"
	jal	print_regs
	nop
	/* G is the AND of both EntryLo.G: read back in both. */
	li	$a0, 2
	li	$a1, 0x00600009
	li	$a2, LO_PFN(PA_A) | LO_C | LO_V | LO_G
	li	$a3, LO_PFN(PA_B) | LO_C | LO_V
	jal	tlb_write
	nop
	li	$a0, 3
	li	$a1, 0x00800009
	li	$a2, LO_PFN(PA_A) | LO_C | LO_V | LO_G
	li	$a3, LO_PFN(PA_B) | LO_C | LO_V | LO_G
	jal	tlb_write
	nop
	jal	tlb_read
	li	$a0, 2
	PUTS	"tlbr 2 (G in Lo0 only):"
	jal	print_regs
	nop
	jal	tlb_read
	li	$a0, 3
	PUTS	"tlbr 3 (G in both):"
	jal	print_regs
	nop
	/* EntryHi keeps VPN2, EHINV and ASID; bits 12:11 and 9:8 read 0. */
	li	$t0, 0x00401bff
	mtc0	$t0, C0_ENTRYHI
	ehb
	mfc0	$t0, C0_ENTRYHI
	PUTS	"EntryHi written 00401bff reads "
	PUTHEX	$t0
	NEWLINE

	/* --------------------------------------------------- tlbp */
	li	$a0, 0x00400005
	jal	probe
	nop
	move	$s0, $v0
	li	$a0, 0x00401005		/* the odd page of the same pair */
	jal	probe
	nop
	move	$s1, $v0
	li	$a0, 0x00402005		/* the next pair */
	jal	probe
	nop
	srl	$s2, $v0, 31
	li	$a0, 0x00400006		/* another ASID, G clear */
	jal	probe
	nop
	srl	$s3, $v0, 31
	li	$a0, 0x00600005		/* another ASID, G set in Lo0 only */
	jal	probe
	nop
	srl	$s4, $v0, 31
	li	$a0, 0x00800005		/* another ASID, G set */
	jal	probe
	nop
	move	$s5, $v0
	PUTS	"tlbp: even "
	PUTHEX	$s0
	PUTS	" odd "
	PUTHEX	$s1
	PUTS	" next-pair P="
	PUTHEX	$s2, 1
	PUTS	" other-ASID P="
	PUTHEX	$s3, 1
	PUTS	" half-G P="
	PUTHEX	$s4, 1
	PUTS	" global "
	PUTHEX	$s5
	NEWLINE
	mtc0	$zero, C0_ENTRYHI
	jal	e2e_tlb_clear
	nop

	/* ------------------------------------------- Wired, Random */
	li	$t0, 4
	mtc0	$t0, C0_WIRED
	ehb
	/*
	 * The architecture also sets Random to its upper bound when Wired is
	 * written, but Random moves every cycle, so a later read cannot tell.
	 */
	mfc0	$t0, C0_WIRED
	CHECK($t0, 4)
	/* Random reads stay in [Wired, entries - 1]. */
	li	$s0, 0			/* reads out of range */
	li	$s1, 200
3:	mfc0	$t0, C0_RANDOM
	sltiu	$t1, $t0, 4
	sltu	$t2, $t0, $s7
	xori	$t2, $t2, 1
	or	$t1, $t1, $t2
	addu	$s0, $s0, $t1
	addiu	$s1, $s1, -1
	bnez	$s1, 3b
	nop
	PUTS	"Random reads out of [Wired, entries-1]: "
	PUTDEC	$s0
	NEWLINE
	/* Four wired entries, then 40 tlbwr: none may land below Wired. */
	li	$s0, 0
4:	move	$a0, $s0
	sll	$a1, $s0, 13
	li	$t0, 0x20000000
	or	$a1, $a1, $t0
	li	$a2, LO_PFN(PA_A) | LO_C | LO_V
	li	$a3, 0
	jal	tlb_write
	nop
	addiu	$s0, $s0, 1
	sltiu	$t0, $s0, 4
	bnez	$t0, 4b
	nop
	li	$s0, 0
5:	sll	$t0, $s0, 13
	li	$t1, 0x30000000
	or	$t0, $t0, $t1
	mtc0	$t0, C0_ENTRYHI
	li	$t0, LO_PFN(PA_A) | LO_C | LO_V
	mtc0	$t0, C0_ENTRYLO0
	mtc0	$zero, C0_ENTRYLO1
	ehb
	tlbwr
	ehb
	addiu	$s0, $s0, 1
	sltiu	$t0, $s0, 40
	bnez	$t0, 5b
	nop
	/* Where did they go?  Count hits outside the random range. */
	li	$s0, 0
	li	$s1, 0			/* hits out of range */
	li	$s2, 0			/* hits */
6:	sll	$a0, $s0, 13
	li	$t1, 0x30000000
	jal	probe
	or	$a0, $a0, $t1
	bltz	$v0, 7f
	nop
	addiu	$s2, $s2, 1
	sltiu	$t1, $v0, 4
	sltu	$t2, $v0, $s7
	xori	$t2, $t2, 1
	or	$t1, $t1, $t2
	addu	$s1, $s1, $t1
7:	addiu	$s0, $s0, 1
	sltiu	$t0, $s0, 40
	bnez	$t0, 6b
	nop
	sltu	$s2, $zero, $s2
	PUTS	"tlbwr: some found "
	PUTHEX	$s2, 1
	PUTS	", out of range "
	PUTDEC	$s1
	/* The wired entries are where tlbwi put them. */
	li	$s0, 0
	li	$s1, 0			/* wired entries moved or lost */
8:	sll	$a0, $s0, 13
	li	$t1, 0x20000000
	jal	probe
	or	$a0, $a0, $t1
	xor	$t0, $v0, $s0
	sltu	$t0, $zero, $t0
	addu	$s1, $s1, $t0
	addiu	$s0, $s0, 1
	sltiu	$t0, $s0, 4
	bnez	$t0, 8b
	nop
	PUTS	", wired entries lost "
	PUTDEC	$s1
	NEWLINE
	mtc0	$zero, C0_WIRED
	mtc0	$zero, C0_ENTRYHI
	jal	e2e_tlb_clear
	nop

	/* ---------------------------------- tlbinv, tlbinvf, EHINV */
	li	$t0, PM_16K
	mtc0	$t0, C0_PAGEMASK
	li	$a0, 2
	li	$a1, 0x00600007		/* ASID 7 */
	li	$a2, LO_PFN(PA_EVEN) | LO_C | LO_D | LO_V
	li	$a3, LO_PFN(PA_ODD) | LO_C | LO_D | LO_V
	jal	tlb_write
	nop
	li	$a0, 3
	li	$a1, 0x00800007		/* ASID 7, global */
	li	$a2, LO_PFN(PA_EVEN) | LO_C | LO_D | LO_V | LO_G
	li	$a3, LO_PFN(PA_ODD) | LO_C | LO_D | LO_V | LO_G
	jal	tlb_write
	nop
	li	$a0, 4
	li	$a1, 0x00a00008		/* ASID 8 */
	li	$a2, LO_PFN(PA_EVEN) | LO_C | LO_D | LO_V
	li	$a3, LO_PFN(PA_ODD) | LO_C | LO_D | LO_V
	jal	tlb_write
	nop
	/* Map works before, refills after the invalidation. */
	li	$t0, 7
	mtc0	$t0, C0_ENTRYHI
	ehb
	li	$t1, 0x00600000
	lw	$t2, 0($t1)
	REPORT	"ASID 7 page before tlbinv"
	li	$t0, 7
	mtc0	$t0, C0_ENTRYHI
	ehb
	tlbinv
	ehb
	li	$t1, 0x00600000
inv_load:
	lw	$t2, 0($t1)
	REPORT	"ASID 7 page after tlbinv", inv_load, 0x00600000
	jal	tlb_read
	li	$a0, 2
	PUTS	"tlbinv: tlbr 2 (ASID 7):"
	jal	print_regs
	nop
	jal	tlb_read
	li	$a0, 3
	PUTS	"tlbinv: tlbr 3 (global):"
	jal	print_regs
	nop
	jal	tlb_read
	li	$a0, 4
	PUTS	"tlbinv: tlbr 4 (ASID 8):"
	jal	print_regs
	nop
	li	$a0, 0x00600007
	jal	probe
	nop
	srl	$s0, $v0, 31
	PUTS	"tlbinv: tlbp for the invalidated entry P="
	PUTHEX	$s0, 1
	NEWLINE
	/* tlbinvf: every entry. */
	tlbinvf
	ehb
	jal	tlb_read
	li	$a0, 3
	PUTS	"tlbinvf: tlbr 3:"
	jal	print_regs
	nop
	jal	tlb_read
	li	$a0, 4
	PUTS	"tlbinvf: tlbr 4:"
	jal	print_regs
	nop
	/* tlbwi with EntryHi.EHINV set writes an invalid entry. */
	li	$a0, 5
	li	$a1, 0x00a00008 | HI_EHINV
	li	$a2, LO_PFN(PA_EVEN) | LO_C | LO_D | LO_V
	li	$a3, LO_PFN(PA_ODD) | LO_C | LO_D | LO_V
	jal	tlb_write
	nop
	jal	tlb_read
	li	$a0, 5
	PUTS	"tlbwi with EHINV: tlbr 5:"
	jal	print_regs
	nop
	li	$a0, 0x00a00008
	jal	probe
	nop
	srl	$s0, $v0, 31
	PUTS	"tlbwi with EHINV: tlbp P="
	PUTHEX	$s0, 1
	NEWLINE
	mtc0	$zero, C0_ENTRYHI
	jal	e2e_tlb_clear
	nop

	/* ------------------------------------------------ page sizes */
	la	$s0, page_sizes
9:	lw	$s1, 0($s0)		/* size */
	beqz	$s1, 19f
	nop
	lw	$s2, 4($s0)		/* PageMask */
	lw	$a0, 8($s0)		/* name */
	jal	e2e_puts
	nop
	li	$a0, 0x10000000		/* kuseg */
	move	$a1, $s1
	jal	page_test
	move	$a2, $s2
	PUTS	" kuseg "
	PUTHEX	$v0, 1
	li	$a0, 0xc0000000		/* kseg2 */
	move	$a1, $s1
	jal	page_test
	move	$a2, $s2
	PUTS	" kseg2 "
	PUTHEX	$v0, 1
	PUTS	" PageMask "
	PUTHEX	$v1
	NEWLINE
	b	9b
	addiu	$s0, $s0, 12
19:	mtc0	$zero, C0_PAGEMASK
	mtc0	$zero, C0_ENTRYHI
	jal	e2e_tlb_clear
	nop

	/* ------------------------------------ refill handler, Context */
	li	$t0, PTE_BASE
	mtc0	$t0, C0_CONTEXT
	/* One PTE pair for VA 0x00410000 (Context format: 16 bytes each). */
	li	$t0, PTE_BASE + ((0x00410000 >> 13) << 4)
	li	$t1, LO_PFN(PA_A) | LO_C | LO_D | LO_V
	sw	$t1, 0($t0)
	li	$t1, LO_PFN(PA_B) | LO_C | LO_D | LO_V
	sw	$t1, 4($t0)
	li	$t0, KSEG0(PA_A) + 0x10
	li	$t1, 0x600dcafe
	sw	$t1, 0($t0)
	HOOK	REFILL, refill_handler
	li	$t0, 0x00410010
	lw	$s0, 0($t0)		/* refill, tlbwr, again: hit */
	li	$t0, 0x00411020
	li	$t1, 0x0dd0f00d
	sw	$t1, 0($t0)		/* odd page: already in the TLB */
	HOOK	REFILL, 0
	CHECK($s0, 0x600dcafe)
	li	$t0, KSEG0(PA_B) + 0x20
	lw	$t1, 0($t0)
	CHECK($t1, 0x0dd0f00d)
	lui	$t0, %hi(refill_count)
	lw	$s1, %lo(refill_count)($t0)
	lui	$t0, %hi(refill_context)
	lw	$s2, %lo(refill_context)($t0)
	PUTS	"refill handler: loaded "
	PUTHEX	$s0
	PUTS	", refills "
	PUTDEC	$s1
	PUTS	", Context "
	li	$t0, PTE_BASE + ((0x00410000 >> 13) << 4)
	xor	$t0, $t0, $s2
	bnez	$t0, 20f
	nop
	PUTSN	"ok"
	b	21f
	nop
20:	PUTHEX	$s2
	NEWLINE
21:	/* A TLB miss with EXL set goes to the general vector. */
	HOOK	GEN, exl_refill_outer
exl_sys:
	syscall
	REPORT	"TLB miss with EXL=1", exl_sys, 0x00430000
	mtc0	$zero, C0_ENTRYHI
	jal	e2e_tlb_clear
	nop

	/* ----------------------------------------- invalid, modified */
	li	$a0, 7
	li	$a1, 0x00500000
	li	$a2, LO_PFN(PA_A) | LO_C | LO_D		/* V = 0 */
	li	$a3, LO_PFN(PA_B) | LO_C | LO_V		/* D = 0 */
	jal	tlb_write
	nop
	li	$t1, 0x00500008
inv_l:
	lw	$t2, 0($t1)
	REPORT	"load, V=0", inv_l, 0x00500008
	lui	$t0, %hi(e2e_exc + EXC_ENTRYHI)
	lw	$t0, %lo(e2e_exc + EXC_ENTRYHI)($t0)
	CHECK($t0, 0x00500000)
inv_s:
	sw	$t2, 0($t1)
	REPORT	"store, V=0", inv_s, 0x00500008
	li	$t1, 0x0050100c
	lw	$t2, 0($t1)
	REPORT	"load, V=1 D=0"
mod_s:
	sw	$t2, 0($t1)
	REPORT	"store, V=1 D=0", mod_s, 0x0050100c
	lui	$t0, %hi(e2e_exc + EXC_ENTRYHI)
	lw	$t0, %lo(e2e_exc + EXC_ENTRYHI)($t0)
	CHECK($t0, 0x00500000)
	mtc0	$zero, C0_ENTRYHI
	jal	e2e_tlb_clear
	nop

	/* ------------------------------------------------ ASID, G */
	li	$a0, 8
	li	$a1, 0x00700021		/* ASID 0x21 */
	li	$a2, LO_PFN(PA_A) | LO_C | LO_D | LO_V
	li	$a3, LO_PFN(PA_B) | LO_C | LO_D | LO_V
	jal	tlb_write
	nop
	li	$a0, 9
	li	$a1, 0x00900021		/* ASID 0x21, global */
	li	$a2, LO_PFN(PA_A) | LO_C | LO_D | LO_V | LO_G
	li	$a3, LO_PFN(PA_B) | LO_C | LO_D | LO_V | LO_G
	jal	tlb_write
	nop
	li	$t0, 0x21
	mtc0	$t0, C0_ENTRYHI
	ehb
	li	$t1, 0x00700000
	lw	$t2, 0($t1)
	li	$t1, 0x00900000
	lw	$t2, 0($t1)
	REPORT	"ASID 0x21: own and global pages"
	li	$t0, 0x22
	mtc0	$t0, C0_ENTRYHI
	ehb
	li	$t1, 0x00700000
asid_miss:
	lw	$t2, 0($t1)
	REPORT	"ASID 0x22: the ASID 0x21 page", asid_miss, 0x00700000
	lui	$t0, %hi(e2e_exc + EXC_ENTRYHI)
	lw	$t0, %lo(e2e_exc + EXC_ENTRYHI)($t0)
	CHECK($t0, 0x00700022)	/* VPN2 of BadVAddr, current ASID */
	li	$t0, 0x22
	mtc0	$t0, C0_ENTRYHI
	ehb
	li	$t1, 0x00900000
	lw	$t2, 0($t1)
	REPORT	"ASID 0x22: the global page"
	mtc0	$zero, C0_ENTRYHI
	jal	e2e_tlb_clear
	nop

	/* --------------------------------------------------- RI, XI */
	/* Without PageGrain.RIE/XIE the bits are not writable. */
	mtc0	$zero, C0_PAGEGRAIN
	li	$t0, LO_RI | LO_XI | LO_PFN(PA_A) | LO_C | LO_V
	mtc0	$t0, C0_ENTRYLO0
	ehb
	mfc0	$t0, C0_ENTRYLO0
	PUTS	"EntryLo0 with RIE=XIE=0: "
	PUTHEX	$t0
	NEWLINE
	/* Code for the pages: "jr ra; li v0, 0x77". */
	li	$t0, KSEG0(PA_A)
	li	$t1, KSEG0(PA_B)
	li	$t2, 0x03e00008
	sw	$t2, 0($t0)
	sw	$t2, 0($t1)
	li	$t2, 0x24020077
	sw	$t2, 4($t0)
	sw	$t2, 4($t1)
	li	$a0, KSEG0(PA_A)
	jal	e2e_sync_icache
	li	$a1, 8
	li	$a0, KSEG0(PA_B)
	jal	e2e_sync_icache
	li	$a1, 8
	li	$s0, PG_RIE | PG_XIE	/* then with IEC */
22:	mtc0	$s0, C0_PAGEGRAIN
	ehb
	mfc0	$t0, C0_PAGEGRAIN
	li	$t1, PG_RIE | PG_XIE | PG_IEC
	and	$t0, $t0, $t1
	CHECKR($t0, $s0)
	li	$a0, 10
	li	$a1, 0x00c00000
	li	$a2, LO_RI | LO_PFN(PA_A) | LO_C | LO_D | LO_V
	li	$a3, LO_XI | LO_PFN(PA_B) | LO_C | LO_D | LO_V
	jal	tlb_write
	nop
	PUTS	"PageGrain.IEC="
	srl	$t0, $s0, 27
	andi	$t0, $t0, 1
	PUTHEX	$t0, 1
	NEWLINE
	jal	tlb_read
	li	$a0, 10
	PUTS	"  tlbr 10:"
	jal	print_regs
	nop
	li	$t1, 0x00c00004
ri_load:
	lw	$t2, 0($t1)
	REPORT	"  load from RI page", ri_load, 0x00c00004
	sw	$t2, 8($t1)
	REPORT	"  store to RI page"
	li	$t1, 0x00c00000
	jalr	$t1
	li	$v0, 0
	CHECK($v0, 0x77)
	REPORT	"  run code in RI page"
	li	$t1, 0x00c01004
	lw	$t2, 0($t1)
	REPORT	"  load from XI page"
	li	$t1, 0x00c01000
	RESUME_AT xi_back
	jalr	$t1
	nop
xi_back:
	REPORT	"  run code in XI page", 0x00c01000, 0x00c01000
	li	$t0, PG_RIE | PG_XIE | PG_IEC
	bne	$s0, $t0, 22b
	move	$s0, $t0
	mtc0	$zero, C0_PAGEGRAIN
	mtc0	$zero, C0_ENTRYHI
	jal	e2e_tlb_clear
	nop

	/* ------------------------------- fetch misses, delay slots */
	li	$t1, 0x00600000
	RESUME_AT fetch_back
	jalr	$t1
	nop
fetch_back:
	REPORT	"jump to an unmapped page", 0x00600000, 0x00600000
	li	$t1, 0x00610004
	RESUME_AT ds_back
ds_branch:
	beq	$zero, $zero, ds_back
	lw	$t2, 0($t1)
ds_back:
	REPORT	"TLB miss in a delay slot", ds_branch, 0x00610004

	lw	$ra, 0($sp)
	lw	$s0, 4($sp)
	lw	$s1, 8($sp)
	lw	$s2, 12($sp)
	lw	$s3, 16($sp)
	lw	$s4, 20($sp)
	lw	$s5, 24($sp)
	lw	$s6, 28($sp)
	lw	$s7, 32($sp)
	jr	$ra
	addiu	$sp, $sp, 40

/* tlbwi: Index a0, EntryHi a1, EntryLo0 a2, EntryLo1 a3 (PageMask as is). */
tlb_write:
	mtc0	$a0, C0_INDEX
	mtc0	$a1, C0_ENTRYHI
	mtc0	$a2, C0_ENTRYLO0
	mtc0	$a3, C0_ENTRYLO1
	ehb
	tlbwi
	jr.hb	$ra
	nop

/* tlbr of entry a0. */
tlb_read:
	mtc0	$a0, C0_INDEX
	ehb
	tlbr
	jr.hb	$ra
	nop

/* v0 = Index after tlbp for EntryHi = a0 (EntryHi is left at a0). */
probe:
	mtc0	$a0, C0_ENTRYHI
	ehb
	tlbp
	ehb
	mfc0	$v0, C0_INDEX
	jr	$ra
	nop

/* Prints " EntryHi=.. Lo0=.. Lo1=.. PageMask=..\n" from the registers. */
print_regs:
	addiu	$sp, $sp, -8
	sw	$ra, 0($sp)
	PUTS	" EntryHi="
	mfc0	$t0, C0_ENTRYHI
	PUTHEX	$t0
	PUTS	" Lo0="
	mfc0	$t0, C0_ENTRYLO0
	PUTHEX	$t0
	PUTS	" Lo1="
	mfc0	$t0, C0_ENTRYLO1
	PUTHEX	$t0
	PUTS	" PageMask="
	mfc0	$t0, C0_PAGEMASK
	PUTHEX	$t0
	NEWLINE
	lw	$ra, 0($sp)
	jr	$ra
	addiu	$sp, $sp, 8

/*
 * Maps the pair at VA a0 (size a1 per page, PageMask a2) to PA_EVEN and
 * PA_ODD in entry 6, then checks loads and stores through it against the
 * kseg0 view of the frames, tlbp inside the odd page, and that the
 * address just past the pair misses.  v0 = 1 if all
 * went well, v1 = PageMask as tlbr reads it back.
 */
page_test:
	addiu	$sp, $sp, -24
	sw	$ra, 0($sp)
	sw	$s0, 4($sp)
	sw	$s1, 8($sp)
	sw	$s2, 12($sp)
	move	$s0, $a0
	move	$s1, $a1
	li	$s2, 1
	/* Markers at the last word of each frame, by the kseg0 view. */
	li	$t0, KSEG0(PA_EVEN) - 4
	addu	$t0, $t0, $s1
	xor	$t3, $s0, $s1		/* a value per size and segment */
	sw	$t3, 0($t0)
	li	$t0, KSEG0(PA_ODD) - 4
	addu	$t0, $t0, $s1
	not	$t4, $t3
	sw	$t4, 0($t0)
	mtc0	$a2, C0_PAGEMASK
	li	$a0, 6
	move	$a1, $s0
	li	$a2, LO_PFN(PA_EVEN) | LO_C | LO_D | LO_V
	li	$a3, LO_PFN(PA_ODD) | LO_C | LO_D | LO_V
	jal	tlb_write
	nop
	/* Loads through the mapping see the markers. */
	addu	$t0, $s0, $s1
	lw	$t1, -4($t0)
	beq	$t1, $t3, 1f
	nop
	li	$s2, 0
1:	addu	$t0, $t0, $s1
	lw	$t1, -4($t0)
	beq	$t1, $t4, 2f
	nop
	li	$s2, 0
2:	/* Stores at the first word of each page reach the frames. */
	li	$t1, 0x11111111
	sw	$t1, 0($s0)
	addu	$t0, $s0, $s1
	li	$t2, 0x22222222
	sw	$t2, 0($t0)
	li	$t0, KSEG0(PA_EVEN)
	lw	$t0, 0($t0)
	beq	$t0, $t1, 3f
	nop
	li	$s2, 0
3:	li	$t0, KSEG0(PA_ODD)
	lw	$t0, 0($t0)
	beq	$t0, $t2, 4f
	nop
	li	$s2, 0
4:	/* tlbp with an address in the middle of the odd page. */
	addu	$t0, $s0, $s1
	srl	$t1, $s1, 1
	addu	$t0, $t0, $t1
	li	$t1, ~0x1fff
	and	$a0, $t0, $t1
	jal	probe
	nop
	li	$t0, 6
	beq	$v0, $t0, 5f
	nop
	li	$s2, 0
5:	/* Just past the pair: a TLB miss. */
	lui	$t5, %hi(e2e_exc)
	addiu	$t5, $t5, %lo(e2e_exc)
	sw	$zero, EXC_COUNT($t5)
	addu	$t0, $s0, $s1
	addu	$t0, $t0, $s1
	lw	$t1, 0($t0)
	lw	$t1, EXC_COUNT($t5)
	li	$t2, 1
	beq	$t1, $t2, 7f
	nop
	li	$s2, 0
7:	sw	$zero, EXC_COUNT($t5)
	mtc0	$zero, C0_PAGEMASK
	jal	tlb_read
	li	$a0, 6
	mfc0	$v1, C0_PAGEMASK
	mfc0	$t0, C0_ENTRYHI
	beq	$t0, $s0, 6f
	nop
	li	$s2, 0
6:	/* Leave entry 6 unmatchable (and 4K: a large page at kseg0 would
	 * overlap the other unmatchable entries, a Machine Check). */
	mtc0	$zero, C0_PAGEMASK
	li	$a0, 6
	li	$a1, 0x80000000 + (6 << 13)
	li	$a2, 0
	li	$a3, 0
	jal	tlb_write
	nop
	mtc0	$zero, C0_ENTRYHI
	move	$v0, $s2
	lw	$ra, 0($sp)
	lw	$s0, 4($sp)
	lw	$s1, 8($sp)
	lw	$s2, 12($sp)
	jr	$ra
	addiu	$sp, $sp, 24

/* The TLB refill handler of a 32-bit Linux kernel, counting refills. */
refill_handler:
	mfc0	$k0, C0_CONTEXT
	lui	$k1, %hi(refill_context)
	sw	$k0, %lo(refill_context)($k1)
	lw	$k1, 0($k0)
	lw	$k0, 4($k0)
	mtc0	$k1, C0_ENTRYLO0
	mtc0	$k0, C0_ENTRYLO1
	ehb
	tlbwr
	lui	$k0, %hi(refill_count)
	lw	$k1, %lo(refill_count)($k0)
	addiu	$k1, $k1, 1
	sw	$k1, %lo(refill_count)($k0)
	eret

/*
 * Syscall handler that touches an unmapped kuseg page with EXL set; the
 * miss is recorded by e2e_record, which comes back to exl_refill_cont.
 */
exl_refill_outer:
	mfc0	$k0, C0_EPC
	lui	$k1, %hi(outer_epc)
	sw	$k0, %lo(outer_epc)($k1)
	lui	$k1, %hi(e2e_exc + EXC_HOOK_GEN)
	sw	$zero, %lo(e2e_exc + EXC_HOOK_GEN)($k1)
	la	$k0, exl_refill_cont
	lui	$k1, %hi(e2e_exc + EXC_RESUME)
	sw	$k0, %lo(e2e_exc + EXC_RESUME)($k1)
	li	$k1, 0x00430000
	lw	$k1, 0($k1)
exl_refill_cont:
	lui	$k1, %hi(outer_epc)
	lw	$k0, %lo(outer_epc)($k1)
	addiu	$k0, $k0, 4
	mtc0	$k0, C0_EPC
	mfc0	$k0, C0_STATUS
	ori	$k0, $k0, ST_EXL
	mtc0	$k0, C0_STATUS
	ehb
	eret

	.section .rodata
	.balign	4
page_sizes:
	.word	0x1000, PM_4K, name_4k
	.word	0x4000, PM_16K, name_16k
	.word	0x10000, PM_64K, name_64k
	.word	0x100000, PM_1M, name_1m
	.word	0x1000000, PM_16M, name_16m
	.word	0
name_4k:	.asciz	"page 4K:"
name_16k:	.asciz	"page 16K:"
name_64k:	.asciz	"page 64K:"
name_1m:	.asciz	"page 1M:"
name_16m:	.asciz	"page 16M:"

	.bss
	.balign	4
refill_count:	.space	4
refill_context:	.space	4
outer_epc:	.space	4
