/*
 * e2e.h: the shared part of every end-to-end program (tests/e2e/NAME.S).
 *
 * A program includes this header once and defines `main` (called with jal,
 * returns with jr ra).  The header provides:
 *   - CP0 register names ($reg, sel pairs) and bit names;
 *   - macros that print over the UART, CHECK macros that print
 *     "FAIL <line> got G want W" on a mismatch, and EXIT;
 *   - the runtime: _start (stack, .bss, a clean TLB, EBase, then main and
 *     the reset-register exit), exception vectors at EBase and at the boot
 *     vectors, and a recording exception handler.
 *
 * The transcript on the UART is the test's result: run-e2e.sh compares it
 * with <name>.expected, so programs print only values the architecture
 * fixes (no addresses that move when the code changes, no TLB sizes).
 *
 * Exceptions: every vector stub loads a hook (e2e_exc + EXC_HOOK_*); when it
 * is zero the stub jumps to e2e_record, which stores Cause, EPC, BadVAddr,
 * Status, EntryHi and Context in e2e_exc, counts the exception and returns:
 * to EXC_RESUME if a test set it (one shot), else to EPC + 4 (EPC itself for
 * an interrupt, after clearing Status.IE so the program can go on).  A hook
 * is entered with k0 = its own address and k1 = the vector id: the offset
 * from EBase (0x000 refill, 0x180 general, 0x200 + n * 0x20 interrupt n
 * with IntCtl.VS = 1), or 0x8000 + the offset from 0xBFC00000 for the boot
 * vectors.  The REPORT macro prints what was recorded and clears the count.
 *
 * Programs are assembled with .set noreorder: every branch has its delay
 * slot written out, as the exception tests need.  Macros keep all registers
 * but $at (they save what they use on the stack); labels given to them must
 * be defined symbols or constants known where the macro is used.
 *
 * Cross-check on QEMU (7.2 has a P5600 model):
 *   qemu-system-mipsel -M malta -cpu P5600 -m 256 -display none -no-reboot
 *     -monitor none -serial stdio -icount shift=0 -kernel NAME.elf
 * -icount makes Count follow the instructions; without it QEMU's timer
 * interrupt arrives late or never while the program spins.  The tests'
 * comments name the places where QEMU and the architecture disagree.
 */
#ifndef E2E_H
#define E2E_H

/* ------------------------------------------------------------ CP0 names */
#define C0_INDEX	$0, 0
#define C0_RANDOM	$1, 0
#define C0_ENTRYLO0	$2, 0
#define C0_ENTRYLO1	$3, 0
#define C0_CONTEXT	$4, 0
#define C0_USERLOCAL	$4, 2
#define C0_PAGEMASK	$5, 0
#define C0_PAGEGRAIN	$5, 1
#define C0_WIRED	$6, 0
#define C0_HWRENA	$7, 0
#define C0_BADVADDR	$8, 0
#define C0_COUNT	$9, 0
#define C0_ENTRYHI	$10, 0
#define C0_COMPARE	$11, 0
#define C0_STATUS	$12, 0
#define C0_INTCTL	$12, 1
#define C0_SRSCTL	$12, 2
#define C0_CAUSE	$13, 0
#define C0_EPC		$14, 0
#define C0_PRID		$15, 0
#define C0_EBASE	$15, 1
#define C0_CONFIG	$16, 0
#define C0_CONFIG1	$16, 1
#define C0_CONFIG2	$16, 2
#define C0_CONFIG3	$16, 3
#define C0_CONFIG4	$16, 4
#define C0_CONFIG5	$16, 5
#define C0_LLADDR	$17, 0
#define C0_ERROREPC	$30, 0
#define C0_KSCRATCH1	$31, 2

/* Status */
#define ST_CU1		0x20000000
#define ST_CU0		0x10000000
#define ST_BEV		0x00400000
#define ST_IM(n)	(0x100 << (n))
#define ST_KSU_USER	0x00000010
#define ST_KSU		0x00000018
#define ST_ERL		0x00000004
#define ST_EXL		0x00000002
#define ST_IE		0x00000001
/* Cause */
#define CA_BD		0x80000000
#define CA_TI		0x40000000
#define CA_CE_SHIFT	28
#define CA_DC		0x08000000
#define CA_IV		0x00800000
#define CA_IP(n)	(0x100 << (n))
#define CA_EXC_MASK	0x7c
/* ExcCode values */
#define EXC_INT		0
#define EXC_MOD		1
#define EXC_TLBL	2
#define EXC_TLBS	3
#define EXC_ADEL	4
#define EXC_ADES	5
#define EXC_SYS		8
#define EXC_BP		9
#define EXC_RI		10
#define EXC_CPU		11
#define EXC_OV		12
#define EXC_TR		13
#define EXC_TLBRI	19
#define EXC_TLBXI	20
/* EntryLo: C = 3 (cacheable noncoherent), D, V, G */
#define LO_C		(3 << 3)
#define LO_D		0x4
#define LO_V		0x2
#define LO_G		0x1
#define LO_RI		0x80000000
#define LO_XI		0x40000000
#define LO_PFN(pa)	((((pa) & 0x1fffffff) >> 12) << 6)
/* Index, EntryHi, PageGrain */
#define INDEX_P		0x80000000
#define HI_EHINV	0x00000400
#define PG_RIE		0x80000000
#define PG_XIE		0x40000000
#define PG_IEC		0x08000000
/* PageMask per page size */
#define PM_4K		0x00000000
#define PM_16K		0x00006000
#define PM_64K		0x0001e000
#define PM_1M		0x001fe000
#define PM_16M		0x01ffe000

/* Malta devices through kseg1. */
#define UART_THR	0xb80003f8
#define UART_LSR	0xb80003fd
#define RESET_REG	0xbf000500

/* e2e_exc layout (words). */
#define EXC_COUNT	0
#define EXC_VEC		4
#define EXC_CAUSE	8
#define EXC_EPC		12
#define EXC_BADVADDR	16
#define EXC_STATUS	20
#define EXC_ENTRYHI	24
#define EXC_CONTEXT	28
#define EXC_RESUME	32
#define EXC_HOOK_REFILL	36
#define EXC_HOOK_GEN	40
#define EXC_HOOK_INT	44
#define EXC_FAILS	48
#define EXC_SIZE	64

/* Vector ids (see above). */
#define VEC_REFILL	0x000
#define VEC_GENERAL	0x180
#define VEC_INT		0x200
#define VEC_BEV		0x8000

/* Checks: CHECK(reg, value), CHECKR(reg, reg), CHECKW(symbol, value). */
#define CHECK(r, v)	e2e_check r, v, __LINE__
#define CHECKR(r, s)	e2e_checkr r, s, __LINE__
#define CHECKW(m, v)	e2e_checkw m, v, __LINE__
/* Checks the last recorded exception: code, EPC (a symbol) and vector. */
#define CHECK_EXC(code)	e2e_check_exc code, __LINE__

	.set	noreorder

/* --------------------------------------------------------------- macros */

	/* Pushes ra, a0..a3 (the registers runtime calls may use). */
	.macro	e2e_push
	addiu	$sp, $sp, -24
	sw	$ra, 0($sp)
	sw	$a0, 4($sp)
	sw	$a1, 8($sp)
	sw	$a2, 12($sp)
	sw	$a3, 16($sp)
	.endm

	.macro	e2e_pop
	lw	$ra, 0($sp)
	lw	$a0, 4($sp)
	lw	$a1, 8($sp)
	lw	$a2, 12($sp)
	lw	$a3, 16($sp)
	addiu	$sp, $sp, 24
	.endm

	/* Prints a string literal. */
	.macro	PUTS str
	.pushsection .rodata.e2e_str, "a"
.Lstr\@:
	.asciz	"\str"
	.popsection
	e2e_push
	la	$a0, .Lstr\@
	jal	e2e_puts
	nop
	e2e_pop
	.endm

	/* Prints a string literal and a newline. */
	.macro	PUTSN str
	PUTS	"\str"
	NEWLINE
	.endm

	.macro	NEWLINE
	PUTC	10
	.endm

	/* Prints one character (an immediate). */
	.macro	PUTC ch
	e2e_push
	li	$a0, \ch
	jal	e2e_putc
	nop
	e2e_pop
	.endm

	/* Prints a register in hex, ndig digits (default 8). */
	.macro	PUTHEX reg, ndig=8
	e2e_push
	move	$a0, \reg
	li	$a1, \ndig
	jal	e2e_puthex
	nop
	e2e_pop
	.endm

	/* Prints a register in decimal. */
	.macro	PUTDEC reg
	e2e_push
	move	$a0, \reg
	jal	e2e_putdec
	nop
	e2e_pop
	.endm

	/* Prints "label: " and the last exception (see e2e_report). */
	.macro	REPORT label, epc=0, badvaddr=none
	.pushsection .rodata.e2e_str, "a"
.Lrep\@:
	.asciz	"\label"
	.popsection
	e2e_push
	la	$a0, .Lrep\@
	la	$a1, \epc
	.ifc	\badvaddr, none
	li	$a3, 0
	.else
	la	$a2, \badvaddr
	li	$a3, 1
	.endif
	jal	e2e_report
	nop
	e2e_pop
	.endm

	.macro	e2e_check r, v, line
	.set	push
	.set	noat
	li	$at, \v
	beq	\r, $at, .Lck\@
	nop
	e2e_push
	move	$a1, \r
	move	$a2, $at
	li	$a0, \line
	jal	e2e_fail
	nop
	e2e_pop
.Lck\@:
	.set	pop
	.endm

	.macro	e2e_checkr r, s, line
	beq	\r, \s, .Lck\@
	nop
	e2e_push
	move	$a1, \r
	move	$a2, \s
	li	$a0, \line
	jal	e2e_fail
	nop
	e2e_pop
.Lck\@:
	.endm

	.macro	e2e_checkw m, v, line
	.set	push
	.set	noat
	lui	$at, %hi(\m)
	lw	$at, %lo(\m)($at)
	e2e_check $at, \v, \line
	.set	pop
	.endm

	.macro	e2e_check_exc code, line
	.set	push
	.set	noat
	lui	$at, %hi(e2e_exc + EXC_CAUSE)
	lw	$at, %lo(e2e_exc + EXC_CAUSE)($at)
	andi	$at, $at, CA_EXC_MASK
	srl	$at, $at, 2
	e2e_check $at, \code, \line
	.set	pop
	.endm

	/* Next exception returns to label (instead of EPC + 4). */
	.macro	RESUME_AT label
	e2e_setw EXC_RESUME, \label
	.endm

	/* Installs (or with 0 removes) a hook: which = REFILL, GEN or INT. */
	.macro	HOOK which, label
	.ifc	\which, REFILL
	e2e_setw EXC_HOOK_REFILL, \label
	.endif
	.ifc	\which, GEN
	e2e_setw EXC_HOOK_GEN, \label
	.endif
	.ifc	\which, INT
	e2e_setw EXC_HOOK_INT, \label
	.endif
	.endm

	/* e2e_exc + off = address of label (keeps every register but $at). */
	.macro	e2e_setw off, label
	.set	push
	.set	noat
	addiu	$sp, $sp, -8
	sw	$t0, 0($sp)
	la	$t0, \label
	lui	$at, %hi(e2e_exc + \off)
	sw	$t0, %lo(e2e_exc + \off)($at)
	lw	$t0, 0($sp)
	addiu	$sp, $sp, 8
	.set	pop
	.endm

	/* Ends the run: the Malta reset register, 0x42. */
	.macro	EXIT
	li	$t0, 0x42
	li	$t1, RESET_REG
	sw	$t0, 0($t1)
.Lhang\@:
	b	.Lhang\@
	nop
	.endm

	/* A vector stub: 8 instructions (the VS = 1 spacing), position
	 * independent so that it works from any copy of the vector page. */
	.macro	e2e_vstub hook, id
	lui	$k0, %hi(e2e_exc + \hook)
	lw	$k0, %lo(e2e_exc + \hook)($k0)
	bnez	$k0, .Lvs\@
	ori	$k1, $zero, \id
	lui	$k0, %hi(e2e_record)
	addiu	$k0, $k0, %lo(e2e_record)
.Lvs\@:	jr	$k0
	nop
	.endm

#ifndef E2E_NO_RUNTIME
/* -------------------------------------------------------------- runtime */
	/* The runtime uses $at as a scratch register. */
	.set	push
	.set	noat

	.section .text.start, "ax"
	.globl	_start
	.type	_start, @function
_start:
	/* Status at entry (the reset state), for tests to look at. */
	mfc0	$t0, C0_STATUS
	la	$t1, e2e_boot_status
	sw	$t0, 0($t1)
	la	$sp, __stack
	la	$t0, __bss_start
	la	$t1, __bss_end
1:	beq	$t0, $t1, 2f
	addiu	$t0, $t0, 4
	b	1b
	sw	$zero, -4($t0)
2:	/* EBase may only change while BEV = 1 (it is 1 out of reset). */
	li	$t0, ST_BEV | ST_ERL
	mtc0	$t0, C0_STATUS
	ehb
	la	$t0, e2e_vectors
	mtc0	$t0, C0_EBASE
	mtc0	$zero, C0_CAUSE
	mtc0	$zero, C0_INTCTL
	mtc0	$zero, C0_WIRED
	mtc0	$zero, C0_PAGEMASK
	mtc0	$zero, C0_ENTRYHI
	ehb
	jal	e2e_tlb_clear
	nop
	/* Kernel mode, BEV = ERL = EXL = IE = 0: vectors at EBase. */
	mtc0	$zero, C0_STATUS
	ehb
	jal	main
	nop
	/* An exception no REPORT looked at is a finding too. */
	lui	$t0, %hi(e2e_exc + EXC_COUNT)
	lw	$t0, %lo(e2e_exc + EXC_COUNT)($t0)
	beqz	$t0, 4f
	nop
	PUTS	"unreported exceptions: "
	PUTDEC	$t0
	NEWLINE
4:
	lui	$t0, %hi(e2e_exc + EXC_FAILS)
	lw	$t0, %lo(e2e_exc + EXC_FAILS)($t0)
	beqz	$t0, 3f
	nop
	PUTS	"failures: "
	PUTDEC	$t0
	NEWLINE
3:	EXIT
	.size	_start, . - _start

	.text
	/* v0 = number of TLB entries (Config1.MMUSize, Config4.MMUSizeExt). */
	.globl	e2e_tlb_entries
e2e_tlb_entries:
	mfc0	$v0, C0_CONFIG1
	srl	$v0, $v0, 25
	andi	$v0, $v0, 0x3f
	mfc0	$t8, C0_CONFIG3
	bgez	$t8, 1f			/* Config3.M: Config4 exists */
	nop
	mfc0	$t8, C0_CONFIG4
	srl	$t9, $t8, 14
	andi	$t9, $t9, 3
	li	$t7, 1
	bne	$t9, $t7, 1f		/* MMUExtDef = 1: MMUSizeExt */
	andi	$t8, $t8, 0xff
	sll	$t8, $t8, 6
	addu	$v0, $v0, $t8
1:	jr	$ra
	addiu	$v0, $v0, 1

	/*
	 * Makes every TLB entry unmatchable the way Linux does: a distinct
	 * kseg0 VPN2 each (kseg0 is never translated), invalid, 4K.
	 */
	.globl	e2e_tlb_clear
e2e_tlb_clear:
	move	$t6, $ra
	jal	e2e_tlb_entries
	nop
	move	$ra, $t6
	mtc0	$zero, C0_ENTRYLO0
	mtc0	$zero, C0_ENTRYLO1
	mtc0	$zero, C0_PAGEMASK
	li	$t0, 0
	li	$t1, 0x80000000
1:	mtc0	$t0, C0_INDEX
	mtc0	$t1, C0_ENTRYHI
	ehb
	tlbwi
	addiu	$t0, $t0, 1
	bne	$t0, $v0, 1b
	addiu	$t1, $t1, 0x2000
	mtc0	$zero, C0_ENTRYHI
	ehb
	jr	$ra
	nop

	/* Prints a0 (a character). */
	.globl	e2e_putc
e2e_putc:
	addiu	$sp, $sp, -8
	sw	$t0, 0($sp)
	sw	$t1, 4($sp)
	li	$t0, UART_LSR
1:	lbu	$t1, 0($t0)		/* wait for THRE */
	andi	$t1, $t1, 0x20
	beqz	$t1, 1b
	nop
	sb	$a0, -5($t0)		/* THR */
	lw	$t0, 0($sp)
	lw	$t1, 4($sp)
	jr	$ra
	addiu	$sp, $sp, 8

	/* Prints the NUL-terminated string at a0. */
	.globl	e2e_puts
e2e_puts:
	addiu	$sp, $sp, -12
	sw	$ra, 0($sp)
	sw	$a0, 4($sp)
	sw	$s0, 8($sp)
	move	$s0, $a0
1:	lbu	$a0, 0($s0)
	beqz	$a0, 2f
	nop
	jal	e2e_putc
	addiu	$s0, $s0, 1
	b	1b
	nop
2:	lw	$ra, 0($sp)
	lw	$a0, 4($sp)
	lw	$s0, 8($sp)
	jr	$ra
	addiu	$sp, $sp, 12

	/* Prints a0 in hex, a1 digits (lower ones). */
	.globl	e2e_puthex
e2e_puthex:
	addiu	$sp, $sp, -20
	sw	$ra, 0($sp)
	sw	$a0, 4($sp)
	sw	$s0, 8($sp)
	sw	$s1, 12($sp)
	move	$s0, $a0
	sll	$s1, $a1, 2		/* bit position above the top digit */
1:	addiu	$s1, $s1, -4
	srlv	$a0, $s0, $s1
	andi	$a0, $a0, 0xf
	sltiu	$at, $a0, 10
	bnez	$at, 2f
	addiu	$a0, $a0, '0'
	addiu	$a0, $a0, 'a' - '0' - 10
2:	jal	e2e_putc
	nop
	bnez	$s1, 1b
	nop
	lw	$ra, 0($sp)
	lw	$a0, 4($sp)
	lw	$s0, 8($sp)
	lw	$s1, 12($sp)
	jr	$ra
	addiu	$sp, $sp, 20

	/* Prints a0 in decimal (unsigned). */
	.globl	e2e_putdec
e2e_putdec:
	addiu	$sp, $sp, -32
	sw	$ra, 0($sp)
	sw	$a0, 4($sp)
	sw	$s0, 8($sp)
	sw	$s1, 12($sp)
	move	$s0, $a0
	addiu	$s1, $sp, 31		/* digits go backwards from here */
	sb	$zero, 0($s1)
1:	li	$a0, 10
	divu	$zero, $s0, $a0
	mfhi	$a0
	mflo	$s0
	addiu	$a0, $a0, '0'
	addiu	$s1, $s1, -1
	bnez	$s0, 1b
	sb	$a0, 0($s1)
	jal	e2e_puts
	move	$a0, $s1
	lw	$ra, 0($sp)
	lw	$a0, 4($sp)
	lw	$s0, 8($sp)
	lw	$s1, 12($sp)
	jr	$ra
	addiu	$sp, $sp, 32

	/* Prints "yes" if a0 != 0, else "no", and a newline. */
	.globl	e2e_yesno
e2e_yesno:
	addiu	$sp, $sp, -8
	bnez	$a0, 1f
	sw	$ra, 0($sp)
	PUTSN	"no"
	b	2f
	nop
1:	PUTSN	"yes"
2:	lw	$ra, 0($sp)
	jr	$ra
	addiu	$sp, $sp, 8

	/* CHECK failed: a0 = line, a1 = got, a2 = want. */
	.globl	e2e_fail
e2e_fail:
	addiu	$sp, $sp, -8
	sw	$ra, 0($sp)
	sw	$t0, 4($sp)
	la	$t0, e2e_exc
	lw	$ra, EXC_FAILS($t0)
	addiu	$ra, $ra, 1
	sw	$ra, EXC_FAILS($t0)
	move	$t0, $a0
	PUTS	"FAIL "
	PUTDEC	$t0
	PUTS	" got "
	PUTHEX	$a1
	PUTS	" want "
	PUTHEX	$a2
	NEWLINE
	lw	$ra, 0($sp)
	lw	$t0, 4($sp)
	jr	$ra
	addiu	$sp, $sp, 8

	/* Prints the name of ExcCode a0. */
e2e_put_exc_name:
	addiu	$sp, $sp, -8
	sw	$ra, 0($sp)
	sw	$a0, 4($sp)
	sll	$a0, $a0, 3
	la	$ra, e2e_exc_names
	addu	$a0, $a0, $ra
	jal	e2e_puts
	nop
	lw	$ra, 0($sp)
	lw	$a0, 4($sp)
	jr	$ra
	addiu	$sp, $sp, 8

	/*
	 * Prints "<a0>: <ExcCode name> vec=<id> bd=<BD> epc=<ok or value>
	 * [badvaddr=<ok or value>]" for the last exception (no bd for an
	 * interrupt: it may land anywhere), "<a0>: none" if none was
	 * recorded, with "(N exceptions)" if several; a1 = expected EPC (0:
	 * print nothing about it), a2 = expected BadVAddr if a3 != 0.
	 * Clears the count.
	 */
	.globl	e2e_report
e2e_report:
	addiu	$sp, $sp, -16
	sw	$ra, 0($sp)
	sw	$s0, 4($sp)
	sw	$s1, 8($sp)
	jal	e2e_puts
	nop
	PUTS	": "
	la	$s0, e2e_exc
	lw	$s1, EXC_COUNT($s0)
	bnez	$s1, 1f
	nop
	PUTS	"none"
	b	9f
	nop
1:	lw	$a0, EXC_CAUSE($s0)
	andi	$a0, $a0, CA_EXC_MASK
	jal	e2e_put_exc_name
	srl	$a0, $a0, 2
	PUTS	" vec="
	lw	$s1, EXC_VEC($s0)
	andi	$at, $s1, VEC_BEV
	beqz	$at, 2f
	nop
	PUTS	"bev"
	xori	$s1, $s1, VEC_BEV
2:	srl	$at, $s1, 12		/* a tagged copy of the vector page */
	bnez	$at, 7f
	nop
	PUTHEX	$s1, 3
	b	8f
	nop
7:	PUTHEX	$s1, 4
8:	/* An interrupt may land in any slot: its BD says nothing. */
	lw	$s1, EXC_CAUSE($s0)
	andi	$at, $s1, CA_EXC_MASK
	beqz	$at, 10f
	nop
	PUTS	" bd="
	srl	$s1, $s1, 31
	PUTHEX	$s1, 1
10:
	beqz	$a1, 4f
	nop
	PUTS	" epc="
	lw	$s1, EXC_EPC($s0)
	bne	$s1, $a1, 3f
	nop
	PUTS	"ok"
	b	4f
	nop
3:	PUTHEX	$s1
	PUTS	"!="
	PUTHEX	$a1
4:	beqz	$a3, 6f
	nop
	PUTS	" badvaddr="
	lw	$s1, EXC_BADVADDR($s0)
	bne	$s1, $a2, 5f
	nop
	PUTS	"ok"
	b	6f
	nop
5:	PUTHEX	$s1
	PUTS	"!="
	PUTHEX	$a2
6:	lw	$s1, EXC_COUNT($s0)
	li	$at, 1
	beq	$s1, $at, 9f
	nop
	PUTS	" ("
	PUTDEC	$s1
	PUTS	" exceptions)"
9:	NEWLINE
	sw	$zero, EXC_COUNT($s0)
	lw	$ra, 0($sp)
	lw	$s0, 4($sp)
	lw	$s1, 8($sp)
	jr	$ra
	addiu	$sp, $sp, 16

	/*
	 * Makes instructions written to [a0, a0 + a1) visible to fetch:
	 * synci on every line (SYNCI_Step apart), then sync and a jr.hb
	 * return, as the architecture prescribes for code written as data.
	 */
	.globl	e2e_sync_icache
e2e_sync_icache:
	rdhwr	$t8, $1			/* SYNCI_Step; 0: no caches to sync */
	beqz	$t8, 2f
	addu	$t9, $a0, $a1
	move	$t7, $a0
1:	synci	0($t7)
	addu	$t7, $t7, $t8
	sltu	$at, $t7, $t9
	bnez	$at, 1b
	nop
2:	sync
	jr.hb	$ra
	nop

	/*
	 * Copies the vector page (0x300 bytes) to a0 and tags the copy: the
	 * id every stub records gets a1 (a multiple of 0x1000) or'ed in.
	 */
	.globl	e2e_copy_vectors
e2e_copy_vectors:
	addiu	$sp, $sp, -8
	sw	$ra, 0($sp)
	la	$t7, e2e_vectors
	move	$t8, $a0
	addiu	$t9, $t7, 0x300
1:	lw	$t6, 0($t7)
	addiu	$t7, $t7, 4
	sw	$t6, 0($t8)
	bne	$t7, $t9, 1b
	addiu	$t8, $t8, 4
	/* The fourth word of each 32-byte stub is "ori k1, zero, id". */
	li	$t7, 0
2:	sltiu	$at, $t7, 0x300
	beqz	$at, 3f
	addu	$t8, $a0, $t7
	lw	$t6, 12($t8)
	srl	$t9, $t6, 16
	xori	$t9, $t9, 0x341b	/* ori $27, $0, imm */
	bnez	$t9, 4f
	nop
	or	$t6, $t6, $a1
	sw	$t6, 12($t8)
4:	b	2b
	addiu	$t7, $t7, 0x20
3:	jal	e2e_sync_icache
	li	$a1, 0x300
	lw	$ra, 0($sp)
	jr	$ra
	addiu	$sp, $sp, 8

/*
 * The body of a recording exception handler (e2e_record here, g_record in
 * vz_e2e.h for guests): k1 holds the vector's id on entry.  It counts the
 * exception and stores the vector, Cause, EPC, BadVAddr, Status, EntryHi,
 * Context (and BadInstr when given) into the record at `rec` (field
 * offsets given), then resumes at the record's RESUME address if
 * one is set, else returns past the faulting instruction, or, for an
 * interrupt nobody handles, to it with interrupts disabled.
 */
	.macro	e2e_record_body rec, vec, count, cause, epc, badvaddr, status, entryhi, context, resume, badinstr=-1
	lui	$k0, %hi(\rec)
	addiu	$k0, $k0, %lo(\rec)
	sw	$k1, \vec($k0)
	lw	$k1, \count($k0)
	addiu	$k1, $k1, 1
	sw	$k1, \count($k0)
	mfc0	$k1, C0_CAUSE
	sw	$k1, \cause($k0)
	mfc0	$k1, C0_EPC
	sw	$k1, \epc($k0)
	mfc0	$k1, C0_BADVADDR
	sw	$k1, \badvaddr($k0)
	mfc0	$k1, C0_STATUS
	sw	$k1, \status($k0)
	mfc0	$k1, C0_ENTRYHI
	sw	$k1, \entryhi($k0)
	mfc0	$k1, C0_CONTEXT
	sw	$k1, \context($k0)
	.if \badinstr >= 0
	mfc0	$k1, $8, 1		/* BadInstr */
	sw	$k1, \badinstr($k0)
	.endif
	lw	$k1, \resume($k0)
	beqz	$k1, 1f
	nop
	sw	$zero, \resume($k0)
	b	3f
	mtc0	$k1, C0_EPC
1:	lw	$k1, \cause($k0)
	andi	$k1, $k1, CA_EXC_MASK
	bnez	$k1, 2f
	nop
	mfc0	$k1, C0_STATUS
	ori	$k1, $k1, ST_IE
	xori	$k1, $k1, ST_IE
	b	3f
	mtc0	$k1, C0_STATUS
2:	mfc0	$k1, C0_EPC
	addiu	$k1, $k1, 4
	mtc0	$k1, C0_EPC
3:	ehb
	eret
	.endm

	/* The default handler (see the top of this file). */
	.globl	e2e_record
e2e_record:
	e2e_record_body e2e_exc, EXC_VEC, EXC_COUNT, EXC_CAUSE, EXC_EPC, EXC_BADVADDR, \
		EXC_STATUS, EXC_ENTRYHI, EXC_CONTEXT, EXC_RESUME

	/* The vector page EBase points to. */
	.section .text.e2e_vectors, "ax"
	.balign	4096
	.globl	e2e_vectors
e2e_vectors:
	e2e_vstub EXC_HOOK_REFILL, VEC_REFILL
	.org	0x180
	e2e_vstub EXC_HOOK_GEN, VEC_GENERAL
	.org	0x200
	e2e_vstub EXC_HOOK_INT, VEC_INT + 0x00
	e2e_vstub EXC_HOOK_INT, VEC_INT + 0x20
	e2e_vstub EXC_HOOK_INT, VEC_INT + 0x40
	e2e_vstub EXC_HOOK_INT, VEC_INT + 0x60
	e2e_vstub EXC_HOOK_INT, VEC_INT + 0x80
	e2e_vstub EXC_HOOK_INT, VEC_INT + 0xa0
	e2e_vstub EXC_HOOK_INT, VEC_INT + 0xc0
	e2e_vstub EXC_HOOK_INT, VEC_INT + 0xe0
	.org	0x300

	/* The boot-exception vectors, in the boot flash (see link.ld). */
	.section .bev.refill, "ax"
	e2e_vstub EXC_HOOK_REFILL, VEC_BEV + 0x200
	.section .bev.general, "ax"
	e2e_vstub EXC_HOOK_GEN, VEC_BEV + 0x380
	.section .bev.int, "ax"
	e2e_vstub EXC_HOOK_INT, VEC_BEV + 0x400

	.section .rodata.e2e, "a"
	.balign	8
	/* ExcCode names, 8 bytes each. */
e2e_exc_names:
	.ascii	"Int\0\0\0\0\0Mod\0\0\0\0\0TLBL\0\0\0\0TLBS\0\0\0\0"
	.ascii	"AdEL\0\0\0\0AdES\0\0\0\0IBE\0\0\0\0\0DBE\0\0\0\0\0"
	.ascii	"Sys\0\0\0\0\0Bp\0\0\0\0\0\0RI\0\0\0\0\0\0CpU\0\0\0\0\0"
	.ascii	"Ov\0\0\0\0\0\0Tr\0\0\0\0\0\0MSAFPE\0\0FPE\0\0\0\0\0"
	.ascii	"16\0\0\0\0\0\0" "17\0\0\0\0\0\0" "C2E\0\0\0\0\0TLBRI\0\0\0"
	.ascii	"TLBXI\0\0\0MSADis\0\0MDMX\0\0\0\0WATCH\0\0\0"
	.ascii	"MCheck\0\0Thread\0\0DSPDis\0\0GE\0\0\0\0\0\0"
	.ascii	"28\0\0\0\0\0\0" "29\0\0\0\0\0\0" "CachErr\0" "31\0\0\0\0\0\0"

	.bss
	.balign	16
	.globl	e2e_exc
e2e_exc:
	.space	EXC_SIZE
	.globl	e2e_boot_status
e2e_boot_status:
	.space	4

	.text
	.set	pop
#endif /* E2E_NO_RUNTIME */
#endif /* E2E_H */
