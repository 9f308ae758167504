/*
 * Start-up of the stand-in hypervisor (fakehv.c): a stack, .bss cleared,
 * main() in kernel mode with interrupts off, then the Malta reset that
 * ends the run.  No exception vectors: it takes no exceptions.
 */
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
2:	mtc0	$zero, $12, 0	/* Status: BEV, ERL, EXL, IE, IM all clear */
	ehb
	jal	main
	nop
	li	$t0, 0x42
	li	$t1, RESET_REG
	sw	$t0, 0($t1)
3:	b	3b
	nop
	.size	_start, . - _start

	/* wait with nothing able to wake the CPU: vzsim's deadlock */
	.text
	.globl	fake_deadlock
	.type	fake_deadlock, @function
fake_deadlock:
	wait
	jr	$ra
	nop
	.size	fake_deadlock, . - fake_deadlock
