/*
 * lcg.S: the `make bench` workload.  A linear congruential generator
 * drives loads and stores into a 64-word array, ITERATIONS times round a
 * loop of fixed length, then the checksum goes to the UART and the run ends
 * through the Malta reset register.  MIPS32 Release 2 only, so the same
 * image runs on vzsim and on QEMU's 24Kc.
 *
 * scripts/bench.sh counts the loop's instructions (between lcg_loop and
 * lcg_loop_end, delay slot included) in the disassembly and multiplies by
 * ITERATIONS (override with -DITERATIONS=N): about 10^9 instructions.
 */
#ifndef ITERATIONS
#define ITERATIONS	83333333
#endif
#define UART_THR	0xb80003f8
#define UART_LSR	0xb80003fd
#define RESET_REG	0xbf000500

	.set	noreorder
	.section .text.start, "ax"
	.globl	_start
_start:
	la	$sp, __stack
	mtc0	$zero, $12		/* Status: kernel, ERL/EXL/IE off */
	ehb
	la	$s1, array
	li	$t0, 64			/* clear it: no loader promises zeros */
	move	$t1, $s1
3:	sw	$zero, 0($t1)
	addiu	$t0, $t0, -1
	bnez	$t0, 3b
	addiu	$t1, $t1, 4
	li	$s0, 12345		/* LCG state */
	li	$s2, ITERATIONS
	li	$s3, 0			/* checksum */
	li	$s4, 1664525		/* multiplier, increment: Numerical */
	li	$s5, 1013904223		/* Recipes' 32-bit LCG */

	.globl	lcg_loop
lcg_loop:
	mul	$t0, $s0, $s4
	addu	$s0, $t0, $s5
	srl	$t1, $s0, 22		/* top bits choose the word */
	andi	$t1, $t1, 0xfc
	addu	$t1, $t1, $s1
	lw	$t2, 0($t1)
	addu	$t2, $t2, $s0
	sw	$t2, 0($t1)
	xor	$s3, $s3, $t2
	addiu	$s2, $s2, -1
	bnez	$s2, lcg_loop
	rotr	$s3, $s3, 1		/* delay slot: runs every time */
	.globl	lcg_loop_end
lcg_loop_end:

	/* "lcg checksum XXXXXXXX\n" */
	la	$a0, msg
	jal	puts
	nop
	li	$s4, 28
1:	srlv	$a0, $s3, $s4
	andi	$a0, $a0, 0xf
	la	$t0, hexdigits
	addu	$t0, $t0, $a0
	jal	putc
	lbu	$a0, 0($t0)
	bnez	$s4, 1b
	addiu	$s4, $s4, -4
	jal	putc
	li	$a0, 10
	li	$t0, 0x42
	li	$t1, RESET_REG
	sw	$t0, 0($t1)
2:	b	2b
	nop

/* putc(a0); clobbers t8, t9. */
putc:
	li	$t8, UART_LSR
1:	lbu	$t9, 0($t8)
	andi	$t9, $t9, 0x20
	beqz	$t9, 1b
	nop
	jr	$ra
	sb	$a0, -5($t8)

/* puts(a0); clobbers a0, t7..t9. */
puts:
	move	$t7, $ra
	move	$t6, $a0
1:	lbu	$a0, 0($t6)
	beqz	$a0, 2f
	nop
	jal	putc
	addiu	$t6, $t6, 1
	b	1b
	nop
2:	jr	$t7
	nop

	.section .rodata
msg:	.asciz	"lcg checksum "
hexdigits: .ascii "0123456789abcdef"

	/* A page of its own: stores next to code would measure each simulator's
	 * self-modifying-code path instead of its ordinary loads and stores. */
	.bss
	.balign	4096
array:	.space	256
