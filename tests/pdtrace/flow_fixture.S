/*
 * The flow decoder's test program (test_flow.c): never run, only walked.
 * test_flow.c writes trace records for paths through it by hand and
 * checks the instructions the decoder shows, so every instruction's
 * offset below is part of the test (they are listed as comments, and
 * test_flow.c checks a few words against the image to catch a drift).
 *
 * Kinds of instruction the decoder treats differently: ordinary ones
 * (one ICNT unit), conditional branches taken and not taken (one BRANCH
 * bit; a taken one runs its slot, then its target), a branch-likely not
 * taken (its slot is nullified: not run, not counted), j/jal (slot, then
 * target), jr (a TARGET record, then its slot), eret (a TARGET, no slot),
 * a load that faults, and a jr to where no code is.
 */
	.set	noreorder
	.set	nomacro

	/* 0x80000180: the exception vector (tests (d), (e), (i)). */
	.section .vector, "ax", @progbits
	.globl	vector
vector:
	mfc0	$k0, $14		/* +0x180 EPC */
	addiu	$k0, $k0, 4		/* +0x184 */
	mtc0	$k0, $14		/* +0x188 */
	eret				/* +0x18c */

	/* 0x80001000 */
	.text
	.globl	start
start:
	addiu	$t0, $zero, 1		/* +0x00 */
	addiu	$t1, $zero, 2		/* +0x04 */
	addu	$t2, $t0, $t1		/* +0x08 */
	beq	$t0, $t0, taken		/* +0x0c taken */
	 addiu	$t3, $zero, 3		/* +0x10 its slot */
	addiu	$t3, $t3, 1		/* +0x14 jumped over */
taken:
	bne	$t0, $t0, far		/* +0x18 not taken */
	 addiu	$t4, $zero, 4		/* +0x1c its slot runs */
	beql	$t0, $t1, far		/* +0x20 branch-likely, not taken */
	 addiu	$t5, $zero, 5		/* +0x24 nullified */
	addiu	$t6, $zero, 6		/* +0x28 */
	j	jumped			/* +0x2c */
	 addiu	$t7, $zero, 7		/* +0x30 its slot */
	addiu	$t7, $t7, 1		/* +0x34 jumped over */
jumped:
	jal	func			/* +0x38 */
	 nop				/* +0x3c its slot */
	addiu	$s0, $zero, 8		/* +0x40 func returns here */
	lw	$s1, 0($zero)		/* +0x44 faults (test (e)) */
	jr	$s2			/* +0x48 to 0x90000000: no code (test (f)) */
	 nop				/* +0x4c */
far:
	nop				/* +0x50 */
	nop				/* +0x54 */
	.globl	func
	.type	func, @function
func:
	addiu	$v0, $zero, 9		/* +0x58 */
	jr	$ra			/* +0x5c */
	 addiu	$v1, $zero, 10		/* +0x60 its slot */
	.size	func, . - func
	nop				/* +0x64 */
