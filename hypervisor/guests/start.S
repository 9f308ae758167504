/*
 * start.S of the test guests: their exception vectors (guest EBase
 * 0x80000000) and reset entry.  A guest runs in guest kernel mode at
 * guest kseg0; it talks to the world only through hypercalls
 * (guest.h).  Unless a guest defines its own guest_tlb_refill /
 * guest_general, an exception reports anomaly ANOM_GUEST_EXC (detail =
 * guest Cause) and stops the guest.
 */
#include <mips/cp0.h>
#include <vzsoak/hypercall.h>

	.set	noreorder

	.section .text.vectors, "ax"
	.globl	_vectors
_vectors:
	j	guest_tlb_refill	/* +0x000: TLB refill */
	nop
	.org	0x180
	j	guest_general		/* +0x180: everything else */
	nop

	.section .text.start, "ax"
	.globl	_start
_start:
	la	$t0, __bss_start
	la	$t1, __bss_end
1:	beq	$t0, $t1, 2f
	nop
	sw	$zero, 0($t0)
	b	1b
	addiu	$t0, $t0, 4
2:	la	$sp, __stack
	jal	main
	nop
	move	$a0, $v0
	hypcall	HC_STOP			/* stop, status = main's result */
3:	b	3b
	nop

	.text
	.weak	guest_tlb_refill
	.weak	guest_general
guest_tlb_refill:
guest_general:
	li	$a0, ANOM_GUEST_EXC
	mfc0	$a1, CP0_CAUSE
	hypcall	HC_ANOMALY			/* anomaly */
	li	$a0, 1
	hypcall	HC_STOP			/* stop */
1:	b	1b
	nop
