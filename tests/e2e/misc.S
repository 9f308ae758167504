/*
 * misc.S: what a kernel checks once the core runs: identification (PRId,
 * Config0..4), rdhwr in kernel mode (CPUNum, SYNCI_Step against the cache
 * geometry, CC against Count, CCRes, UserLocal), KScratch, ll/sc (an eret
 * in between makes sc fail), lwl/lwr/swl/swr at every byte offset, and
 * self-modifying code made visible with synci and with cache operations,
 * through kseg0, kseg1 and a TLB mapping.
 */
#include "e2e.h"

#define PA_SMC		0x01004000	/* a frame for code written at run time */
#define VA_SMC_X	0x00400000	/* that frame, executed through the TLB */
#define VA_SMC_W	0x00402000	/* the same frame, a second mapping */

	.text
	.globl	main
main:
	addiu	$sp, $sp, -16
	sw	$ra, 0($sp)
	sw	$s0, 4($sp)
	sw	$s1, 8($sp)
	sw	$s2, 12($sp)

	/* ------------------------------------------- identification */
	mfc0	$s0, C0_PRID
	PUTS	"PRId company="
	srl	$t0, $s0, 16
	andi	$t0, $t0, 0xff
	PUTHEX	$t0, 2
	PUTS	" processor="
	srl	$t0, $s0, 8
	andi	$t0, $t0, 0xff
	PUTHEX	$t0, 2
	NEWLINE
	mfc0	$s0, C0_CONFIG
	PUTS	"Config: M="
	srl	$t0, $s0, 31
	PUTHEX	$t0, 1
	PUTS	" BE="
	srl	$t0, $s0, 15
	andi	$t0, $t0, 1
	PUTHEX	$t0, 1
	PUTS	" AT="
	srl	$t0, $s0, 13
	andi	$t0, $t0, 3
	PUTHEX	$t0, 1
	PUTS	" AR="
	srl	$t0, $s0, 10
	andi	$t0, $t0, 7
	PUTHEX	$t0, 1
	PUTS	" MT="
	srl	$t0, $s0, 7
	andi	$t0, $t0, 7
	PUTHEX	$t0, 1
	NEWLINE
	mfc0	$s0, C0_CONFIG1
	PUTS	"Config1: M="
	srl	$t0, $s0, 31
	PUTHEX	$t0, 1
	PUTS	" MMUSize+1="
	jal	e2e_tlb_entries
	nop
	PUTDEC	$v0
	PUTS	" C2="
	srl	$t0, $s0, 6
	andi	$t0, $t0, 1
	PUTHEX	$t0, 1
	NEWLINE
	mfc0	$s0, C0_CONFIG3
	PUTS	"Config3: M="
	srl	$t0, $s0, 31
	PUTHEX	$t0, 1
	PUTS	" ULRI="
	srl	$t0, $s0, 13
	andi	$t0, $t0, 1
	PUTHEX	$t0, 1
	PUTS	" RXI="
	srl	$t0, $s0, 12
	andi	$t0, $t0, 1
	PUTHEX	$t0, 1
	PUTS	" VInt="
	srl	$t0, $s0, 5
	andi	$t0, $t0, 1
	PUTHEX	$t0, 1
	PUTS	" VEIC="
	srl	$t0, $s0, 6
	andi	$t0, $t0, 1
	PUTHEX	$t0, 1
	NEWLINE
	mfc0	$s0, C0_CONFIG4
	PUTS	"Config4: IE="
	srl	$t0, $s0, 29
	andi	$t0, $t0, 3
	PUTHEX	$t0, 1
	NEWLINE

	/* --------------------------------------------- rdhwr, kernel */
	rdhwr	$t0, $0
	mfc0	$t1, C0_EBASE
	andi	$t1, $t1, 0x3ff
	CHECKR($t0, $t1)
	rdhwr	$s0, $1			/* SYNCI_Step */
	mfc0	$t0, C0_CONFIG1
	srl	$t1, $t0, 19		/* IL */
	andi	$t1, $t1, 7
	srl	$t2, $t0, 10		/* DL */
	andi	$t2, $t2, 7
	li	$t3, 2
	sllv	$t1, $t3, $t1		/* line sizes (2 << L) */
	sllv	$t2, $t3, $t2
	sltu	$t3, $t2, $t1
	movn	$t1, $t2, $t3		/* t1 = the smaller one */
	mfc0	$t0, C0_CONFIG1
	li	$t3, (7 << 19) | (7 << 10)
	and	$t0, $t0, $t3
	movz	$t1, $zero, $t0		/* no caches: 0 */
	PUTS	"rdhwr SYNCI_Step is the smaller cache line: "
	xor	$t2, $s0, $t1
	jal	e2e_yesno
	sltiu	$a0, $t2, 1
	mfc0	$t0, C0_COUNT
	rdhwr	$t1, $2
	mfc0	$t2, C0_COUNT
	subu	$t3, $t1, $t0		/* Count before <= CC <= Count after */
	subu	$t4, $t2, $t1
	or	$t3, $t3, $t4
	PUTS	"rdhwr CC between two Count reads: "
	srl	$t3, $t3, 31
	jal	e2e_yesno
	xori	$a0, $t3, 1
	rdhwr	$t0, $3
	PUTS	"rdhwr CCRes nonzero: "
	jal	e2e_yesno
	move	$a0, $t0
	li	$t0, 0x1ee71ee7
	mtc0	$t0, C0_USERLOCAL
	ehb
	rdhwr	$t1, $29
	CHECKR($t1, $t0)
	mfc0	$t1, C0_USERLOCAL
	CHECKR($t1, $t0)
	REPORT	"rdhwr in kernel mode"

	/* ------------------------------------------- KScratch, Count */
	li	$t0, 0xa5a55a5a
	mtc0	$t0, C0_KSCRATCH1
	ehb
	mfc0	$t1, C0_KSCRATCH1
	CHECKR($t1, $t0)
	li	$t0, 0x100000
	mtc0	$t0, C0_COUNT
	ehb
	mfc0	$t1, C0_COUNT
	subu	$t1, $t1, $t0
	sltiu	$t1, $t1, 10000
	PUTS	"Count written 0x100000 reads just above it: "
	jal	e2e_yesno
	move	$a0, $t1

	/* ------------------------------------------------- ll, sc */
	la	$s0, ll_word
	li	$t0, 41
	sw	$t0, 0($s0)
	ll	$t1, 0($s0)
	addiu	$t1, $t1, 1
	sc	$t1, 0($s0)
	lw	$t2, 0($s0)
	PUTS	"ll/sc: sc returned "
	PUTHEX	$t1, 1
	PUTS	", word "
	PUTDEC	$t2
	NEWLINE
	ll	$t1, 0($s0)
	addiu	$t1, $t1, 1
	syscall				/* an eret between ll and sc */
	sc	$t1, 0($s0)
	lw	$t2, 0($s0)
	REPORT	"ll, syscall and eret, sc"
	PUTS	"  sc returned "
	PUTHEX	$t1, 1
	PUTS	", word "
	PUTDEC	$t2
	NEWLINE
	/* An atomic increment loop, as spinlocks and atomics do it. */
	li	$t3, 100
1:	ll	$t1, 0($s0)
	addiu	$t1, $t1, 1
	sc	$t1, 0($s0)
	beqz	$t1, 1b
	nop
	addiu	$t3, $t3, -1
	bnez	$t3, 1b
	nop
	lw	$t2, 0($s0)
	PUTS	"ll/sc loop, 100 increments: word "
	PUTDEC	$t2
	NEWLINE

	/* ------------------------------------- lwl, lwr, swl, swr */
	/* Bytes 00 11 22 .. 77 at unal; rt starts as aabbccdd. */
	la	$s0, unal
	li	$s1, 0
2:	jal	unal_reset
	nop
	li	$t0, 0xaabbccdd
	addu	$t1, $s0, $s1
	lwl	$t0, 0($t1)
	li	$t2, 0xaabbccdd
	lwr	$t2, 0($t1)
	PUTS	"offset "
	PUTHEX	$s1, 1
	PUTS	": lwl "
	PUTHEX	$t0
	PUTS	" lwr "
	PUTHEX	$t2
	li	$t0, 0xaabbccdd
	swl	$t0, 0($t1)
	lw	$t2, 0($s0)
	PUTS	" swl "
	PUTHEX	$t2
	jal	unal_reset
	nop
	li	$t0, 0xaabbccdd
	swr	$t0, 0($t1)
	lw	$t2, 0($s0)
	PUTS	" swr "
	PUTHEX	$t2
	NEWLINE
	addiu	$s1, $s1, 1
	sltiu	$t0, $s1, 4
	bnez	$t0, 2b
	nop
	/* The unaligned word idiom: lwr at the address, lwl at +3. */
	jal	unal_reset
	nop
	lwr	$t0, 1($s0)
	lwl	$t0, 4($s0)
	lwr	$t1, 3($s0)
	lwl	$t1, 6($s0)
	li	$t2, 0xdeadbeef
	swr	$t2, 2($s0)
	swl	$t2, 5($s0)
	lw	$t3, 0($s0)
	lw	$t4, 4($s0)
	PUTS	"unaligned word at +1 "
	PUTHEX	$t0
	PUTS	", at +3 "
	PUTHEX	$t1
	PUTS	", stored at +2: "
	PUTHEX	$t3
	PUTC	' '
	PUTHEX	$t4
	NEWLINE
	REPORT	"lwl/lwr/swl/swr"

	/* --------------------------------------- self-modifying code */
	/* A routine that has run many times (hot in any decode cache). */
	li	$s1, 1000
3:	jal	smc_func
	nop
	addiu	$s1, $s1, -1
	bnez	$s1, 3b
	nop
	move	$s2, $v0
	la	$s0, smc_func
	li	$t0, 0x24020002		/* li v0, 2 */
	sw	$t0, 4($s0)
	move	$a0, $s0
	jal	e2e_sync_icache
	li	$a1, 8
	jal	smc_func
	nop
	PUTS	"smc via kseg0 + synci: "
	PUTDEC	$s2
	PUTS	" then "
	PUTDEC	$v0
	NEWLINE
	/* The same with cache operations: write back D, invalidate I. */
	li	$t0, 0x24020003		/* li v0, 3 */
	sw	$t0, 4($s0)
	cache	0x15, 4($s0)		/* Hit_Writeback_Inv_D */
	sync
	cache	0x10, 4($s0)		/* Hit_Invalidate_I */
	sync
	jal	smc_func
	nop
	PUTS	"smc via kseg0 + cache ops: "
	PUTDEC	$v0
	NEWLINE
	/* Through the uncached kseg1 alias. */
	li	$t0, 0x24020004		/* li v0, 4 */
	li	$t1, 0x20000000		/* kseg0 -> kseg1 */
	or	$t1, $s0, $t1
	sw	$t0, 4($t1)
	move	$a0, $s0
	jal	e2e_sync_icache
	li	$a1, 8
	jal	smc_func
	nop
	PUTS	"smc via kseg1 + synci: "
	PUTDEC	$v0
	NEWLINE
	/* A frame mapped twice: executed at VA_SMC_X, written at VA_SMC_W. */
	li	$a0, 0x80000000 + PA_SMC
	li	$a1, 0x24020005		/* li v0, 5 */
	jal	smc_write_frame
	nop
	mtc0	$zero, C0_PAGEMASK
	li	$t0, LO_PFN(PA_SMC) | LO_C | LO_V
	mtc0	$t0, C0_ENTRYLO0
	mtc0	$zero, C0_ENTRYLO1
	li	$t0, VA_SMC_X
	mtc0	$t0, C0_ENTRYHI
	li	$t0, 1
	mtc0	$t0, C0_INDEX
	ehb
	tlbwi
	li	$t0, LO_PFN(PA_SMC) | LO_C | LO_D | LO_V
	mtc0	$t0, C0_ENTRYLO0
	li	$t0, VA_SMC_W
	mtc0	$t0, C0_ENTRYHI
	li	$t0, 2
	mtc0	$t0, C0_INDEX
	ehb
	tlbwi
	mtc0	$zero, C0_ENTRYHI
	ehb
	li	$s1, 100
4:	li	$t0, VA_SMC_X
	jalr	$t0
	nop
	addiu	$s1, $s1, -1
	bnez	$s1, 4b
	nop
	move	$s2, $v0
	li	$t0, 0x24020006		/* li v0, 6, through the other mapping */
	li	$t1, VA_SMC_W
	sw	$t0, 4($t1)
	li	$a0, VA_SMC_X
	jal	e2e_sync_icache
	li	$a1, 8
	li	$t0, VA_SMC_X
	jalr	$t0
	nop
	PUTS	"smc in a mapped page, written via an alias: "
	PUTDEC	$s2
	PUTS	" then "
	PUTDEC	$v0
	NEWLINE
	REPORT	"self-modifying code"
	mtc0	$zero, C0_ENTRYHI
	jal	e2e_tlb_clear
	nop

	lw	$ra, 0($sp)
	lw	$s0, 4($sp)
	lw	$s1, 8($sp)
	lw	$s2, 12($sp)
	jr	$ra
	addiu	$sp, $sp, 16

/* Returns 1 until rewritten (the li in its delay slot). */
	.balign	16
smc_func:
	jr	$ra
	li	$v0, 1

/* Writes "jr ra; <a1>" at a0 and syncs it. */
smc_write_frame:
	li	$t0, 0x03e00008		/* jr ra */
	sw	$t0, 0($a0)
	sw	$a1, 4($a0)
	j	e2e_sync_icache
	li	$a1, 8

/* unal = 00 11 22 33 44 55 66 77. */
unal_reset:
	la	$t8, unal
	li	$t9, 0x33221100
	sw	$t9, 0($t8)
	li	$t9, 0x77665544
	jr	$ra
	sw	$t9, 4($t8)

	.data
	.balign	8
unal:	.word	0, 0
ll_word: .word	0
