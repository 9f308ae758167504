/*
 * start.S: reset entry, the root exception vectors, and the two halves of
 * the world switch that must be assembly: saving a guest's general
 * registers when it exits to root, and loading them to enter it.
 *
 * Register discipline: k0/k1 belong to whoever runs in the current mode.
 * A guest kernel uses them in its own exception handlers, and a root
 * exception can arrive in the middle of one, so the vector parks the
 * guest's k0/k1 in root KScratch1/2 (CP0 31, 2 and 3) before using them.
 */
#include <mips/cp0.h>

#include "vcpu_regs.h"

	.set	noreorder
	.set	noat

/* ------------------------------------------------------------ reset */
	.section .text.start, "ax"
	.globl	_start
_start:
	/* Root kernel mode, interrupts off, BEV clear: our own vectors. */
	mtc0	$zero, CP0_STATUS
	la	$t0, hv_vectors
	mtc0	$t0, CP0_EBASE
	mtc0	$zero, CP0_CAUSE	/* IV = 0: one general vector */
	ehb
	/* Clear .bss, set the stack, run C. */
	la	$t0, __bss_start
	la	$t1, __bss_end
1:	beq	$t0, $t1, 2f
	nop
	sw	$zero, 0($t0)
	b	1b
	addiu	$t0, $t0, 4
2:	la	$sp, __stack
	jal	hv_main
	nop
3:	b	3b
	nop

/* ------------------------------------------------------------ vectors */
	/* EBase: refill at +0x000 (a second-stage TLB miss while a guest
	 * runs), everything else at +0x180 (guest exits, second-stage
	 * invalid/modified, the root timer).  Both take the same path: the
	 * C side tells them apart from Cause and GuestCtl0. */
	.section .text.vectors, "ax"
	.balign	4096
	.globl	hv_vectors
hv_vectors:
	mtc0	$k0, CP0_KSCRATCH1
	j	hv_exit_entry
	mtc0	$k1, CP0_KSCRATCH2
	.org	0x180
	mtc0	$k0, CP0_KSCRATCH1
	j	hv_exit_entry
	mtc0	$k1, CP0_KSCRATCH2
	.org	0x200

	.text
/*
 * A root exception.  If GuestCtl0.GM is set we came from a guest: save its
 * registers into hv_current and call hv_handle_exit(vcpu), which returns
 * the vcpu to run next.  With GM clear the hypervisor itself faulted: that
 * is a bug, reported by hv_root_fault.
 */
hv_exit_entry:
	mfc0	$k0, CP0_GUESTCTL0
	bgez	$k0, hv_fault		/* GM is bit 31 */
	nop
	lui	$k0, %hi(hv_current)
	lw	$k0, %lo(hv_current)($k0)
	/* Root Count as early as the exit path can note it: the end of
	 * the guest's time and the start of the exit's cost (stats.c). */
	mfc0	$k1, CP0_COUNT
	sw	$k1, VCPU_EXIT_COUNT($k0)
	sw	$1, VCPU_GPR(1)($k0)
	sw	$2, VCPU_GPR(2)($k0)
	sw	$3, VCPU_GPR(3)($k0)
	sw	$4, VCPU_GPR(4)($k0)
	sw	$5, VCPU_GPR(5)($k0)
	sw	$6, VCPU_GPR(6)($k0)
	sw	$7, VCPU_GPR(7)($k0)
	sw	$8, VCPU_GPR(8)($k0)
	sw	$9, VCPU_GPR(9)($k0)
	sw	$10, VCPU_GPR(10)($k0)
	sw	$11, VCPU_GPR(11)($k0)
	sw	$12, VCPU_GPR(12)($k0)
	sw	$13, VCPU_GPR(13)($k0)
	sw	$14, VCPU_GPR(14)($k0)
	sw	$15, VCPU_GPR(15)($k0)
	sw	$16, VCPU_GPR(16)($k0)
	sw	$17, VCPU_GPR(17)($k0)
	sw	$18, VCPU_GPR(18)($k0)
	sw	$19, VCPU_GPR(19)($k0)
	sw	$20, VCPU_GPR(20)($k0)
	sw	$21, VCPU_GPR(21)($k0)
	sw	$22, VCPU_GPR(22)($k0)
	sw	$23, VCPU_GPR(23)($k0)
	sw	$24, VCPU_GPR(24)($k0)
	sw	$25, VCPU_GPR(25)($k0)
	sw	$28, VCPU_GPR(28)($k0)
	sw	$29, VCPU_GPR(29)($k0)
	sw	$30, VCPU_GPR(30)($k0)
	sw	$31, VCPU_GPR(31)($k0)
	mfc0	$k1, CP0_KSCRATCH1	/* the guest's own k0 and k1 */
	sw	$k1, VCPU_GPR(26)($k0)
	mfc0	$k1, CP0_KSCRATCH2
	sw	$k1, VCPU_GPR(27)($k0)
	mfhi	$k1
	sw	$k1, VCPU_HI($k0)
	mflo	$k1
	sw	$k1, VCPU_LO($k0)
	mfc0	$k1, CP0_EPC		/* where the guest stopped */
	sw	$k1, VCPU_PC($k0)
	/* Clear GM while EXL is still set: root code must never drop EXL
	 * with GM on, or it would find itself running as the guest. */
	mfc0	$k1, CP0_GUESTCTL0
	sll	$k1, $k1, 1
	srl	$k1, $k1, 1
	mtc0	$k1, CP0_GUESTCTL0
	ehb
	la	$sp, __stack
	la	$gp, _gp
	jal	hv_handle_exit
	move	$a0, $k0
	/* fall into hv_enter_guest with the vcpu it chose */
	move	$a0, $v0

/*
 * hv_enter_guest(vcpu): run the guest whose CP0 context vcpu_load has
 * put in place.  Root Status.EXL is set first, then GuestCtl0.GM, then
 * eret: EXL clears and the CPU is in guest mode at root EPC.
 */
	.globl	hv_enter_guest
hv_enter_guest:
	move	$k0, $a0
	lui	$k1, %hi(hv_current)
	sw	$k0, %lo(hv_current)($k1)
	lw	$k1, VCPU_PC($k0)
	mtc0	$k1, CP0_EPC
	/* Root Status while the guest runs: kernel, IE and IM7 (the root
	 * timer preempts the guest), EXL for the eret. */
	li	$k1, ST_IM7 | ST_EXL | ST_IE
	mtc0	$k1, CP0_STATUS
	ehb
	mfc0	$k1, CP0_GUESTCTL0
	lui	$at, GC0_GM >> 16
	or	$k1, $k1, $at
	mtc0	$k1, CP0_GUESTCTL0
	lw	$k1, VCPU_HI($k0)
	mthi	$k1
	lw	$k1, VCPU_LO($k0)
	mtlo	$k1
	lw	$1, VCPU_GPR(1)($k0)
	lw	$2, VCPU_GPR(2)($k0)
	lw	$3, VCPU_GPR(3)($k0)
	lw	$4, VCPU_GPR(4)($k0)
	lw	$5, VCPU_GPR(5)($k0)
	lw	$6, VCPU_GPR(6)($k0)
	lw	$7, VCPU_GPR(7)($k0)
	lw	$8, VCPU_GPR(8)($k0)
	lw	$9, VCPU_GPR(9)($k0)
	lw	$10, VCPU_GPR(10)($k0)
	lw	$11, VCPU_GPR(11)($k0)
	lw	$12, VCPU_GPR(12)($k0)
	lw	$13, VCPU_GPR(13)($k0)
	lw	$14, VCPU_GPR(14)($k0)
	lw	$15, VCPU_GPR(15)($k0)
	lw	$16, VCPU_GPR(16)($k0)
	lw	$17, VCPU_GPR(17)($k0)
	lw	$18, VCPU_GPR(18)($k0)
	lw	$19, VCPU_GPR(19)($k0)
	lw	$20, VCPU_GPR(20)($k0)
	lw	$21, VCPU_GPR(21)($k0)
	lw	$22, VCPU_GPR(22)($k0)
	lw	$23, VCPU_GPR(23)($k0)
	lw	$24, VCPU_GPR(24)($k0)
	lw	$25, VCPU_GPR(25)($k0)
	lw	$28, VCPU_GPR(28)($k0)
	lw	$29, VCPU_GPR(29)($k0)
	lw	$30, VCPU_GPR(30)($k0)
	lw	$31, VCPU_GPR(31)($k0)
	/* Root Count as late as possible before the eret: the guest's
	 * time starts here, and the exit that led here ends (stats.c). */
	mfc0	$k1, CP0_COUNT
	sw	$k1, VCPU_LOAD_COUNT($k0)
	lw	$27, VCPU_GPR(27)($k0)
	lw	$k0, VCPU_GPR(26)($k0)	/* last: k0 was the base */
	ehb
	eret

/* The hypervisor itself took an exception: report it and stop the board. */
hv_fault:
	la	$sp, __stack
	la	$gp, _gp
	jal	hv_root_fault
	nop
1:	b	1b
	nop
