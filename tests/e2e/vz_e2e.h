/*
 * vz_e2e.h: what the VZ end-to-end programs (vz_*.S) share, on top of
 * e2e.h: the root VZ register names, a tiny hypervisor core that runs a
 * guest until its next exit, a guest-side exception recorder, and printers
 * for both.  Include it after e2e.h.
 *
 * Memory: one image, used by root and by the guests.  vz_init maps the
 * guests' physical address space with two root TLB entries (pairs of 16M
 * pages, written with tlbwi and GuestCtl1.RID = the GuestID, so G is
 * forced): GPA 0-16M is physical 0-16M for both guests (the image, so a
 * guest runs the image's code at the same kseg0 addresses root does), and
 * GPA 16M-32M is physical 16M-32M for guest 1 and 32M-48M for guest 2.
 * Root can therefore read what a guest left in memory at the same address,
 * and G_ODD is the one address where the two guests see different memory.
 *
 * Running a guest: VZ_RUN label, gid[, root Status bits] saves root's
 * callee-saved registers, sets GuestCtl1.ID, GuestCtl0.GM and EPC, and
 * erets with root Status.EXL set.  The guest runs until anything reaches
 * root (a guest exit, a second-stage TLB fault, a root interrupt): vz_exit,
 * the root hook for the refill and general vectors while a guest runs,
 * records root Cause, EPC, BadVAddr, BadInstr(P), GuestCtl0, EntryHi,
 * Status in vz_last, clears GM and returns from VZ_RUN.  Guest values in
 * t0-t9, a0-a3, v0, v1 survive for root to look at; k0/k1 do not.  A guest
 * program ends with `hypcall 0`.  VZ_REPORT prints what vz_last holds.
 *
 * Guest exceptions: the guest's EBase is vz_gvectors, whose stubs jump to
 * a guest hook (g_exc + G_HOOK_*) or to g_record, the guest-mode twin of
 * e2e_record: it records guest Cause, EPC, BadVAddr, Status, EntryHi,
 * Context, BadInstr in g_exc and returns (to G_RESUME if set, else EPC + 4,
 * or EPC with guest Status.IE cleared for an interrupt).  It needs
 * GuestCtl0.CP0 = 1.  G_REPORT prints it the way REPORT prints root's.
 */
#ifndef VZ_E2E_H
#define VZ_E2E_H

/* Root CP0 registers added by VZ, and the BadInstr pair. */
#define C0_BADINSTR	$8, 1
#define C0_BADINSTRP	$8, 2
#define C0_GUESTCTL1	$10, 4
#define C0_GUESTCTL2	$10, 5
#define C0_GUESTCTL0EXT	$11, 4
#define C0_GUESTCTL0	$12, 6
#define C0_GTOFFSET	$12, 7

/* GuestCtl0 */
#define GC0_GM		0x80000000
#define GC0_RI		0x40000000
#define GC0_CP0		0x10000000
#define GC0_GT		0x02000000
#define GC0_CG		0x01000000
/* GuestCtl0Ext */
#define GC0E_CGI	0x10
#define GC0E_FCD	0x08
/* GuestCtl1: ID 7:0, RID 23:16 */
#define GC1_RID(r)	((r) << 16)
/* GuestCtl2.VIP: guest Cause.IPn for n = 2..7 */
#define GC2_VIP(n)	(0x100 << (n))

#define EXC_GE		27
#define GEXC_GPSI	0
#define GEXC_GSFC	1
#define GEXC_HC		2
#define GEXC_GRR	3
#define GEXC_GPA	10

/* Guest physical layout (see above). */
#define G_ODD		0x81000000	/* kseg0 of GPA 16M */
#define G1_ODD_PA	0x81000000	/* root kseg0 of guest 1's GPA 16M */
#define G2_ODD_PA	0x82000000	/* root kseg0 of guest 2's GPA 16M */

/* vz_last layout (words). */
#define VZ_COUNT	0
#define VZ_VEC		4
#define VZ_CAUSE	8
#define VZ_EPC		12
#define VZ_BADVADDR	16
#define VZ_BADINSTR	20
#define VZ_BADINSTRP	24
#define VZ_GCTL0	28
#define VZ_ENTRYHI	32
#define VZ_STATUS	36
#define VZ_SIZE		48

/* vz_ctx layout: root's registers across a guest run. */
#define CTX_S0		0
#define CTX_GP		32
#define CTX_SP		36
#define CTX_FP		40
#define CTX_RA		44
#define CTX_STATUS	48
#define CTX_SIZE	64

/* g_exc layout (words): the first eight as e2e_exc's. */
#define G_COUNT		0
#define G_VEC		4
#define G_CAUSE		8
#define G_EPC		12
#define G_BADVADDR	16
#define G_STATUS	20
#define G_ENTRYHI	24
#define G_CONTEXT	28
#define G_RESUME	32
#define G_HOOK_REFILL	36
#define G_HOOK_GEN	40
#define G_BADINSTR	44
#define G_SIZE		64

/* VZ_REPORT flags: what to print besides the exception and EPC. */
#define VZF_BI		1	/* BadInstr = the word at EPC (+4 with BD) */
#define VZF_BIP		2	/* BadInstrP = the word at EPC */
#define VZF_BV		4	/* BadVAddr, in hex */
#define VZF_HI		8	/* EntryHi, in hex */

	/* Runs guest code at label as GuestID gid until it reaches root. */
	.macro	VZ_RUN label, gid=1, rootbits=0
	e2e_push
	la	$a0, \label
	li	$a1, \gid
	li	$a2, \rootbits
	jal	vz_run
	nop
	e2e_pop
	.endm

	/* Prints "label: <what vz_last holds>" (see vz_report). */
	.macro	VZ_REPORT label, epc=0, flags=0
	.pushsection .rodata.e2e_str, "a"
.Lvzr\@:
	.asciz	"\label"
	.popsection
	e2e_push
	la	$a0, .Lvzr\@
	la	$a1, \epc
	li	$a2, \flags
	jal	vz_report
	nop
	e2e_pop
	.endm

	/* REPORT for the guest's last recorded exception. */
	.macro	G_REPORT label, epc=0, badvaddr=none
	e2e_push
	jal	g_to_e2e
	nop
	e2e_pop
	REPORT	"\label", \epc, \badvaddr
	.endm

	/* Sets a word of g_exc (keeps every register but $at). */
	.macro	g_setw off, label
	.set	push
	.set	noat
	addiu	$sp, $sp, -8
	sw	$t0, 0($sp)
	la	$t0, \label
	lui	$at, %hi(g_exc + \off)
	sw	$t0, %lo(g_exc + \off)($at)
	lw	$t0, 0($sp)
	addiu	$sp, $sp, 8
	.set	pop
	.endm

	/* Root: GuestCtl0 = value (GM clear), GuestCtl0Ext = ext. */
	.macro	VZ_CTL0 value, ext=0
	.set	push
	.set	noat
	li	$at, \value
	mtc0	$at, C0_GUESTCTL0
	li	$at, \ext
	mtc0	$at, C0_GUESTCTL0EXT
	ehb
	.set	pop
	.endm

	/* A guest vector stub: hook or g_record, k1 = the vector offset. */
	.macro	vz_gstub hook, id
	lui	$k0, %hi(g_exc + \hook)
	lw	$k0, %lo(g_exc + \hook)($k0)
	bnez	$k0, .Lgs\@
	ori	$k1, $zero, \id
	lui	$k0, %hi(g_record)
	addiu	$k0, $k0, %lo(g_record)
.Lgs\@:	jr	$k0
	nop
	.endm

	.set	push
	.set	noat
	.text

	/*
	 * Hooks vz_exit on root's vectors, maps the guests (entries 0 and 1,
	 * wired), points the guest's EBase at vz_gvectors, guest Status = 0,
	 * GuestCtl0 = CP0, GuestCtl0Ext = 0, GuestCtl1 = 0.
	 */
	.globl	vz_init
vz_init:
	HOOK	GEN, vz_exit
	HOOK	REFILL, vz_exit
	li	$t0, 2
	mtc0	$t0, C0_WIRED
	mtc0	$zero, C0_ENTRYHI
	li	$t0, PM_16M
	mtc0	$t0, C0_PAGEMASK
	li	$t0, LO_PFN(0) | LO_C | LO_D | LO_V
	mtc0	$t0, C0_ENTRYLO0
	li	$t0, LO_PFN(0x01000000) | LO_C | LO_D | LO_V
	mtc0	$t0, C0_ENTRYLO1
	li	$t0, GC1_RID(1)
	mtc0	$t0, C0_GUESTCTL1
	mtc0	$zero, C0_INDEX
	ehb
	tlbwi
	li	$t0, LO_PFN(0x02000000) | LO_C | LO_D | LO_V
	mtc0	$t0, C0_ENTRYLO1
	li	$t0, GC1_RID(2)
	mtc0	$t0, C0_GUESTCTL1
	li	$t0, 1
	mtc0	$t0, C0_INDEX
	ehb
	tlbwi
	mtc0	$zero, C0_GUESTCTL1
	mtc0	$zero, C0_PAGEMASK
	mtgc0	$zero, C0_STATUS
	mtgc0	$zero, C0_CAUSE
	la	$t0, vz_gvectors
	mtgc0	$t0, C0_EBASE
	li	$t0, GC0_CP0
	mtc0	$t0, C0_GUESTCTL0
	mtc0	$zero, C0_GUESTCTL0EXT
	ehb
	jr	$ra
	nop

	/* Runs the guest at a0 as GuestID a1, root Status |= a2 meanwhile. */
	.globl	vz_run
vz_run:
	lui	$t9, %hi(vz_ctx)
	addiu	$t9, $t9, %lo(vz_ctx)
	sw	$s0, CTX_S0 + 0($t9)
	sw	$s1, CTX_S0 + 4($t9)
	sw	$s2, CTX_S0 + 8($t9)
	sw	$s3, CTX_S0 + 12($t9)
	sw	$s4, CTX_S0 + 16($t9)
	sw	$s5, CTX_S0 + 20($t9)
	sw	$s6, CTX_S0 + 24($t9)
	sw	$s7, CTX_S0 + 28($t9)
	sw	$gp, CTX_GP($t9)
	sw	$sp, CTX_SP($t9)
	sw	$fp, CTX_FP($t9)
	sw	$ra, CTX_RA($t9)
	mfc0	$t8, C0_STATUS
	sw	$t8, CTX_STATUS($t9)
	li	$t7, 1
	lui	$t9, %hi(vz_active)
	sw	$t7, %lo(vz_active)($t9)
	mfc0	$t7, C0_GUESTCTL1
	ins	$t7, $a1, 0, 8
	mtc0	$t7, C0_GUESTCTL1
	/* EXL before GM: with GM and EXL clear the CPU would be the guest
	 * already, running root's code. */
	or	$t8, $t8, $a2
	ori	$t8, $t8, ST_EXL
	mtc0	$t8, C0_STATUS
	ehb
	mfc0	$t7, C0_GUESTCTL0
	lui	$t8, 0x8000
	or	$t7, $t7, $t8
	mtc0	$t7, C0_GUESTCTL0
	mtc0	$a0, C0_EPC
	ehb
	eret

	/*
	 * Root hook for the refill and general vectors (k1 = vector id): not
	 * in a guest run, the default e2e_record; else record, leave guest
	 * mode and return from vz_run in root kernel mode.
	 */
	.globl	vz_exit
vz_exit:
	lui	$k0, %hi(vz_active)
	lw	$k0, %lo(vz_active)($k0)
	bnez	$k0, 1f
	nop
	lui	$k0, %hi(e2e_record)
	addiu	$k0, $k0, %lo(e2e_record)
	jr	$k0
	nop
1:	lui	$k0, %hi(vz_last)
	addiu	$k0, $k0, %lo(vz_last)
	sw	$k1, VZ_VEC($k0)
	lw	$k1, VZ_COUNT($k0)
	addiu	$k1, $k1, 1
	sw	$k1, VZ_COUNT($k0)
	mfc0	$k1, C0_CAUSE
	sw	$k1, VZ_CAUSE($k0)
	mfc0	$k1, C0_EPC
	sw	$k1, VZ_EPC($k0)
	mfc0	$k1, C0_BADVADDR
	sw	$k1, VZ_BADVADDR($k0)
	mfc0	$k1, C0_BADINSTR
	sw	$k1, VZ_BADINSTR($k0)
	mfc0	$k1, C0_BADINSTRP
	sw	$k1, VZ_BADINSTRP($k0)
	mfc0	$k1, C0_GUESTCTL0
	sw	$k1, VZ_GCTL0($k0)
	mfc0	$k1, C0_ENTRYHI
	sw	$k1, VZ_ENTRYHI($k0)
	mfc0	$k1, C0_STATUS
	sw	$k1, VZ_STATUS($k0)
	/* GM off before EXL goes: back to root for good. */
	mfc0	$k1, C0_GUESTCTL0
	sll	$k1, $k1, 1
	srl	$k1, $k1, 1
	mtc0	$k1, C0_GUESTCTL0
	lui	$k1, %hi(vz_active)
	sw	$zero, %lo(vz_active)($k1)
	lui	$k0, %hi(vz_ctx)
	addiu	$k0, $k0, %lo(vz_ctx)
	lw	$s0, CTX_S0 + 0($k0)
	lw	$s1, CTX_S0 + 4($k0)
	lw	$s2, CTX_S0 + 8($k0)
	lw	$s3, CTX_S0 + 12($k0)
	lw	$s4, CTX_S0 + 16($k0)
	lw	$s5, CTX_S0 + 20($k0)
	lw	$s6, CTX_S0 + 24($k0)
	lw	$s7, CTX_S0 + 28($k0)
	lw	$gp, CTX_GP($k0)
	lw	$sp, CTX_SP($k0)
	lw	$fp, CTX_FP($k0)
	lw	$ra, CTX_RA($k0)
	lw	$k1, CTX_STATUS($k0)
	ori	$k1, $k1, ST_EXL
	mtc0	$k1, C0_STATUS
	mtc0	$ra, C0_EPC
	ehb
	eret

	/* Prints the name of GExcCode a0. */
vz_put_gexc_name:
	addiu	$sp, $sp, -8
	sw	$ra, 0($sp)
	sw	$a0, 4($sp)
	sltiu	$at, $a0, 11
	bnez	$at, 1f
	nop
	li	$a0, 4			/* "?" */
1:	sll	$a0, $a0, 3
	la	$ra, vz_gexc_names
	addu	$a0, $a0, $ra
	jal	e2e_puts
	nop
	lw	$ra, 0($sp)
	lw	$a0, 4($sp)
	jr	$ra
	addiu	$sp, $sp, 8

	/*
	 * Prints "<a0>: <ExcCode name>[ <GExcCode name>[ code=<HC code>]]
	 * vec=<id>[ bd=<BD>][ epc=<ok or value>][ badinstr=..][ badinstrp=..]
	 * [ badvaddr=<hex>][ entryhi=<hex>]" for vz_last; the GExcCode name
	 * follows a GE (27), and "GPA" follows TLBL/TLBS/Mod when GExcCode
	 * says the address is a guest physical one.  a1 = expected EPC (0:
	 * nothing), a2 = VZF_* flags.
	 */
	.globl	vz_report
vz_report:
	addiu	$sp, $sp, -24
	sw	$ra, 0($sp)
	sw	$s0, 4($sp)
	sw	$s1, 8($sp)
	sw	$s2, 12($sp)
	sw	$s3, 16($sp)
	jal	e2e_puts
	nop
	PUTS	": "
	la	$s0, vz_last
	lw	$s1, VZ_CAUSE($s0)
	andi	$s1, $s1, CA_EXC_MASK
	srl	$s1, $s1, 2		/* s1 = ExcCode */
	lw	$s2, VZ_GCTL0($s0)
	srl	$s2, $s2, 2
	andi	$s2, $s2, 0x1f		/* s2 = GExcCode */
	e2e_push
	jal	e2e_put_exc_name
	move	$a0, $s1
	e2e_pop
	li	$at, EXC_GE
	bne	$s1, $at, 2f
	nop
	PUTC	' '
	e2e_push
	jal	vz_put_gexc_name
	move	$a0, $s2
	e2e_pop
	li	$at, GEXC_HC
	bne	$s2, $at, 4f
	nop
	PUTS	" code="
	lw	$s3, VZ_BADINSTR($s0)
	srl	$s3, $s3, 11
	andi	$s3, $s3, 0x3ff
	PUTHEX	$s3, 3
	b	4f
	nop
2:	/* TLB exceptions: GPA when GExcCode says so. */
	addiu	$at, $s1, -1
	sltiu	$at, $at, 3		/* Mod, TLBL, TLBS */
	beqz	$at, 4f
	nop
	li	$at, GEXC_GPA
	bne	$s2, $at, 4f
	nop
	PUTS	" GPA"
4:	PUTS	" vec="
	lw	$s3, VZ_VEC($s0)
	PUTHEX	$s3, 3
	beqz	$s1, 5f			/* an interrupt: BD says nothing */
	nop
	PUTS	" bd="
	lw	$s3, VZ_CAUSE($s0)
	srl	$s3, $s3, 31
	PUTHEX	$s3, 1
5:	beqz	$a1, 7f
	nop
	PUTS	" epc="
	lw	$s3, VZ_EPC($s0)
	bne	$s3, $a1, 6f
	nop
	PUTS	"ok"
	b	7f
	nop
6:	PUTHEX	$s3
	PUTS	"!="
	PUTHEX	$a1
7:	andi	$at, $a2, VZF_BI
	beqz	$at, 9f
	nop
	PUTS	" badinstr="
	lw	$s3, VZ_EPC($s0)
	lw	$at, VZ_CAUSE($s0)
	bgez	$at, 8f			/* BD: the slot after the branch */
	nop
	addiu	$s3, $s3, 4
8:	lw	$s3, 0($s3)
	lw	$at, VZ_BADINSTR($s0)
	bne	$s3, $at, 81f
	nop
	PUTS	"ok"
	b	9f
	nop
81:	lw	$s3, VZ_BADINSTR($s0)
	PUTHEX	$s3
9:	andi	$at, $a2, VZF_BIP
	beqz	$at, 11f
	nop
	PUTS	" badinstrp="
	lw	$s3, VZ_EPC($s0)
	lw	$s3, 0($s3)
	lw	$at, VZ_BADINSTRP($s0)
	bne	$s3, $at, 10f
	nop
	PUTS	"ok"
	b	11f
	nop
10:	lw	$s3, VZ_BADINSTRP($s0)
	PUTHEX	$s3
11:	andi	$at, $a2, VZF_BV
	beqz	$at, 12f
	nop
	PUTS	" badvaddr="
	lw	$s3, VZ_BADVADDR($s0)
	PUTHEX	$s3
12:	andi	$at, $a2, VZF_HI
	beqz	$at, 13f
	nop
	PUTS	" entryhi="
	lw	$s3, VZ_ENTRYHI($s0)
	PUTHEX	$s3
13:	NEWLINE
	lw	$ra, 0($sp)
	lw	$s0, 4($sp)
	lw	$s1, 8($sp)
	lw	$s2, 12($sp)
	lw	$s3, 16($sp)
	jr	$ra
	addiu	$sp, $sp, 24

	/* Copies the guest's record to e2e_exc for REPORT; clears its count. */
	.globl	g_to_e2e
g_to_e2e:
	lui	$k0, %hi(g_exc)
	addiu	$k0, $k0, %lo(g_exc)
	lui	$k1, %hi(e2e_exc)
	addiu	$k1, $k1, %lo(e2e_exc)
	lw	$at, G_COUNT($k0)
	sw	$at, EXC_COUNT($k1)
	lw	$at, G_VEC($k0)
	sw	$at, EXC_VEC($k1)
	lw	$at, G_CAUSE($k0)
	sw	$at, EXC_CAUSE($k1)
	lw	$at, G_EPC($k0)
	sw	$at, EXC_EPC($k1)
	lw	$at, G_BADVADDR($k0)
	sw	$at, EXC_BADVADDR($k1)
	lw	$at, G_STATUS($k0)
	sw	$at, EXC_STATUS($k1)
	lw	$at, G_ENTRYHI($k0)
	sw	$at, EXC_ENTRYHI($k1)
	lw	$at, G_CONTEXT($k0)
	sw	$at, EXC_CONTEXT($k1)
	jr	$ra
	sw	$zero, G_COUNT($k0)

	/* The guest's default exception handler (runs in guest mode). */
	.globl	g_record
g_record:
	e2e_record_body g_exc, G_VEC, G_COUNT, G_CAUSE, G_EPC, G_BADVADDR, \
		G_STATUS, G_ENTRYHI, G_CONTEXT, G_RESUME, G_BADINSTR

	/* The guest's vector page (guest EBase). */
	.section .text.vz_gvectors, "ax"
	.balign	4096
	.globl	vz_gvectors
vz_gvectors:
	vz_gstub G_HOOK_REFILL, 0x000
	.org	0x180
	vz_gstub G_HOOK_GEN, 0x180
	.org	0x200
	vz_gstub G_HOOK_GEN, 0x200
	.org	0x300

	.section .rodata.vz, "a"
	.balign	8
vz_gexc_names:
	.ascii	"GPSI\0\0\0\0GSFC\0\0\0\0HC\0\0\0\0\0\0GRR\0\0\0\0\0"
	.ascii	"?\0\0\0\0\0\0\0?\0\0\0\0\0\0\0?\0\0\0\0\0\0\0?\0\0\0\0\0\0\0"
	.ascii	"GVA\0\0\0\0\0GHFC\0\0\0\0GPA\0\0\0\0\0"

	.bss
	.balign	16
	.globl	vz_last, vz_ctx, vz_active, g_exc
vz_last:	.space	VZ_SIZE
vz_ctx:		.space	CTX_SIZE
vz_active:	.space	4
	.balign	16
g_exc:		.space	G_SIZE

	.text
	.set	pop
#endif /* VZ_E2E_H */
