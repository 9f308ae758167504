/*
 * lcg_guest.S: the `make bench` LCG loop (lcg_loop.h) run in guest user
 * mode on vzsim's VZ, through both translation stages: the guest kernel
 * maps its user space with its own TLB entry (GuestID 1), root maps the
 * guest's physical memory with a root entry tagged GuestID 1.  Root prints
 * the checksum when the guest reports it with a hypercall.
 *
 * With -DPINGS=N the guest kernel first makes N `hypcall 2` round trips
 * that root answers by stepping over them; scripts/bench.sh builds two
 * counts and divides the difference in instructions by the difference in
 * round trips: the simulated cost of one hypercall round trip.
 */
#ifndef ITERATIONS
#define ITERATIONS	83333333
#endif
#ifndef PINGS
#define PINGS		0
#endif
#include <mips/cp0.h>
#include <mips/exc.h>

#include "lcg_loop.h"

/* Cacheable (C = 3), dirty (writable), valid, global. */
#define LO_FLAGS	((3 << ENTRYLO_C_SHIFT) | ENTRYLO_D | ENTRYLO_V | ENTRYLO_G)

/* TLB entry 0 (of whoever runs it: root or the guest) maps 0..32M to
 * 0..32M with two 16M pages, global, cacheable, writable. */
#define MAP_FIRST_32M								\
	mtc0	$zero, CP0_ENTRYHI;	/* VPN2 0 */				\
	li	$t0, PM_16M;						\
	mtc0	$t0, CP0_PAGEMASK;					\
	li	$t0, LO_FLAGS;						\
	mtc0	$t0, CP0_ENTRYLO0;					\
	li	$t0, ((16 << 20) >> 6) | LO_FLAGS;			\
	mtc0	$t0, CP0_ENTRYLO1;					\
	mtc0	$zero, CP0_INDEX;					\
	ehb;								\
	tlbwi

	.set	noreorder

/* ------------------------------------------------------------ root */
	.section .text.start, "ax"
	.globl	_start
_start:
	mtc0	$zero, CP0_STATUS	/* root kernel, BEV/ERL off */
	ehb
	/* One root entry, tagged GuestID 1 (RID), maps guest physical
	 * 0..32M to physical 0..32M: two 16M pages. */
	li	$t0, (1 << GC1_RID_SHIFT) | 1	/* GuestCtl1: RID = ID = 1 */
	mtc0	$t0, CP0_GUESTCTL1
	MAP_FIRST_32M
	/* The guest's CP0: kernel mode, its vectors at 0x80200000. */
	mtgc0	$zero, CP0_STATUS
	li	$t0, 0x80200000
	mtgc0	$t0, CP0_EBASE
	/* Enter the guest kernel: GM, the guest owns its CP0; eret. */
	mfc0	$t0, CP0_GUESTCTL0
	li	$t1, GC0_GM | GC0_CP0
	or	$t0, $t0, $t1
	mtc0	$t0, CP0_GUESTCTL0
	la	$t0, guest_kernel
	mtc0	$t0, CP0_EPC
	li	$t0, ST_EXL
	mtc0	$t0, CP0_STATUS
	ehb
	eret

	.section .root_vector, "ax"
root_vector:
	mfc0	$k0, CP0_CAUSE
	srl	$k0, $k0, CAUSE_EXC_SHIFT
	andi	$k0, $k0, CAUSE_EXC_MASK >> CAUSE_EXC_SHIFT
	li	$k1, EXC_GE
	bne	$k0, $k1, root_fail
	mfc0	$k0, CP0_GUESTCTL0	/* GExcCode */
	srl	$k0, $k0, GC0_GEXC_SHIFT
	andi	$k0, $k0, GC0_GEXC_MASK >> GC0_GEXC_SHIFT
	li	$k1, GEXC_HC
	bne	$k0, $k1, root_fail
	mfc0	$k0, CP0_BADINSTR	/* the hypercall code */
	srl	$k0, $k0, 11
	andi	$k0, $k0, 0x3ff
	li	$k1, 1
	beq	$k0, $k1, root_done
	mfc0	$k1, CP0_EPC		/* code 2: step over, back to the guest */
	addiu	$k1, $k1, 4
	mtc0	$k1, CP0_EPC
	ehb
	eret
root_done:				/* code 1: checksum in s3 */
	mfc0	$t0, CP0_GUESTCTL0	/* leave guest mode for good */
	li	$t1, ~GC0_GM
	and	$t0, $t0, $t1
	mtc0	$t0, CP0_GUESTCTL0
	mtc0	$zero, CP0_STATUS
	la	$t0, report_and_reset
	jr	$t0
	nop
root_fail:				/* anything else: say so and stop */
	li	$s3, 0xdeadbeef
	la	$t0, report_and_reset
	jr	$t0
	nop

	.text
#include "report.S"

/* ------------------------------------------------------------ guest kernel */
	.section .guest_kernel, "ax"
guest_kernel:
	/* Its own TLB entry: user 0..32M -> guest physical 0..32M. */
	MAP_FIRST_32M
	li	$t0, PINGS
1:	beqz	$t0, 2f
	nop
	hypcall	2			/* not in a delay slot: root steps EPC by 4 */
	b	1b
	addiu	$t0, $t0, -1
2:	/* Drop to user mode at the user program: EPC, KSU=user, EXL. */
	la	$t0, guest_user
	mtc0	$t0, CP0_EPC
	li	$t0, ST_UM | ST_EXL
	mtc0	$t0, CP0_STATUS
	ehb
	eret

	.org	0x180			/* the guest's general vector */
guest_vector:
	hypcall	1			/* the user's syscall: report s3 */
1:	b	1b
	nop

/* ------------------------------------------------------------ guest user */
	.section .guest_user, "ax"
guest_user:
	LCG_SETUP(guest_array, ITERATIONS)
	LCG_LOOP
	syscall
1:	b	1b
	nop

	.section .guest_data, "aw", @nobits
	.balign	4096
guest_array:
	.space	256
