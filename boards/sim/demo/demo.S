/*
 * demo.S: start-up and exception entry for the `make run` demo (demo.c).
 *
 * _start sets up the stack, clears .bss, points EBase at the vector page
 * below (EBase may only change while Status.BEV = 1, which it is out of
 * reset) and calls main() in kernel mode with interrupts off.  Every vector
 * saves the registers C code may clobber and calls demo_exception(cause,
 * epc, badvaddr), which handles the timer and resets the board on anything
 * else; if it returns, so does the exception (eret).
 */
#include <mips/cp0.h>

#define RESET_REG	0xbf000500

	.set	noreorder

	.section .text.start, "ax"
	.globl	_start
	.type	_start, @function
_start:
	la	$sp, __stack
	la	$t0, __bss_start
	la	$t1, __bss_end
1:	beq	$t0, $t1, 2f
	addiu	$t0, $t0, 4
	b	1b
	sw	$zero, -4($t0)
2:	li	$t0, ST_BEV
	mtc0	$t0, CP0_STATUS
	ehb
	la	$t0, vectors
	mtc0	$t0, CP0_EBASE
	ehb
	mtc0	$zero, CP0_STATUS	/* BEV, ERL, EXL, IE all clear */
	mtc0	$zero, CP0_CAUSE
	ehb
	jal	main
	nop
	/* main returned: end the run the Malta way. */
	li	$t0, 0x42
	li	$t1, RESET_REG
	sw	$t0, 0($t1)
3:	b	3b
	nop
	.size	_start, . - _start

	/* TLB refill at +0x000, everything else at +0x180 (IV is 0). */
	.section .text.vectors, "ax"
	.balign	4096
vectors:
	j	exc_entry
	nop
	.org	0x180
	j	exc_entry
	nop
	.org	0x200
	j	exc_entry
	nop

	.text
exc_entry:
	.set	push
	.set	noat
	addiu	$sp, $sp, -96
	sw	$at, 16($sp)
	sw	$v0, 20($sp)
	sw	$v1, 24($sp)
	sw	$a0, 28($sp)
	sw	$a1, 32($sp)
	sw	$a2, 36($sp)
	sw	$a3, 40($sp)
	sw	$t0, 44($sp)
	sw	$t1, 48($sp)
	sw	$t2, 52($sp)
	sw	$t3, 56($sp)
	sw	$t4, 60($sp)
	sw	$t5, 64($sp)
	sw	$t6, 68($sp)
	sw	$t7, 72($sp)
	sw	$t8, 76($sp)
	sw	$t9, 80($sp)
	sw	$ra, 84($sp)
	mfhi	$t0
	sw	$t0, 88($sp)
	mflo	$t0
	sw	$t0, 92($sp)
	mfc0	$a0, CP0_CAUSE
	mfc0	$a1, CP0_EPC
	jal	demo_exception
	mfc0	$a2, CP0_BADVADDR
	lw	$t0, 88($sp)
	mthi	$t0
	lw	$t0, 92($sp)
	mtlo	$t0
	lw	$at, 16($sp)
	lw	$v0, 20($sp)
	lw	$v1, 24($sp)
	lw	$a0, 28($sp)
	lw	$a1, 32($sp)
	lw	$a2, 36($sp)
	lw	$a3, 40($sp)
	lw	$t0, 44($sp)
	lw	$t1, 48($sp)
	lw	$t2, 52($sp)
	lw	$t3, 56($sp)
	lw	$t4, 60($sp)
	lw	$t5, 64($sp)
	lw	$t6, 68($sp)
	lw	$t7, 72($sp)
	lw	$t8, 76($sp)
	lw	$t9, 80($sp)
	lw	$ra, 84($sp)
	addiu	$sp, $sp, 96
	eret
	.set	pop

	/*
	 * GCC may turn loops into calls to these even in freestanding code;
	 * byte loops are plenty for a demo.
	 */
	.globl	memset
	.type	memset, @function
memset:
	move	$v0, $a0
	beqz	$a2, 2f
	addu	$a2, $a0, $a2
1:	addiu	$a0, $a0, 1
	bne	$a0, $a2, 1b
	sb	$a1, -1($a0)
2:	jr	$ra
	nop
	.size	memset, . - memset

	.globl	memcpy
	.type	memcpy, @function
memcpy:
	move	$v0, $a0
	beqz	$a2, 2f
	addu	$a2, $a0, $a2
1:	lbu	$t0, 0($a1)
	addiu	$a0, $a0, 1
	addiu	$a1, $a1, 1
	bne	$a0, $a2, 1b
	sb	$t0, -1($a0)
2:	jr	$ra
	nop
	.size	memcpy, . - memcpy
