/*
 * interrupts.S: Count/Compare and the timer interrupt on IP7 (Cause.TI),
 * Cause.DC, software interrupts IP0/IP1 through Cause, Status.IM/IE,
 * ei/di, wait woken by the timer (EPC = the instruction after wait), and
 * vectored interrupts (IntCtl.VS = 1 with Cause.IV).
 *
 * Interrupts are taken by e2e_record, which records them and returns with
 * Status.IE cleared; the program acknowledges the source afterwards.  Times
 * are in Count ticks and every wait for an event is bounded, so the program
 * behaves the same whatever Count's rate (QEMU: host time; vzsim: counted
 * instructions).
 */
#include "e2e.h"

#define POLL_MAX	1000000		/* loop iterations before "timeout" */

	.text
	.globl	main
main:
	addiu	$sp, $sp, -16
	sw	$ra, 0($sp)
	sw	$s0, 4($sp)
	sw	$s1, 8($sp)
	sw	$s2, 12($sp)
	jal	ack_timer
	nop

	/* ------------------------------------------------ Count, DC */
	mfc0	$s0, C0_COUNT
	jal	spin
	li	$a0, 1000
	mfc0	$s1, C0_COUNT
	PUTS	"Count advances: "
	jal	e2e_yesno
	xor	$a0, $s0, $s1
	li	$t0, CA_DC
	mtc0	$t0, C0_CAUSE
	ehb
	mfc0	$s0, C0_COUNT
	jal	spin
	li	$a0, 1000
	mfc0	$s1, C0_COUNT
	PUTS	"Cause.DC=1 stops Count: "
	xor	$t0, $s0, $s1
	jal	e2e_yesno
	sltiu	$a0, $t0, 1
	mtc0	$zero, C0_CAUSE
	ehb
	mfc0	$s0, C0_COUNT
	jal	spin
	li	$a0, 1000
	mfc0	$s1, C0_COUNT
	PUTS	"Cause.DC=0 restarts it: "
	jal	e2e_yesno
	xor	$a0, $s0, $s1

	/* ----------------------------------------- the timer, masked */
	mtc0	$zero, C0_STATUS
	ehb
	jal	arm_timer
	li	$a0, 2000
	li	$s0, POLL_MAX
1:	mfc0	$t0, C0_CAUSE
	sll	$t1, $t0, 1		/* TI to bit 31 */
	bltz	$t1, 3f
	addiu	$s0, $s0, -1
	bnez	$s0, 1b
	nop
2:	PUTSN	"timer masked: timeout"
	b	4f
	nop
3:	PUTS	"timer masked: Cause.TI="
	srl	$t1, $t0, 30
	andi	$t1, $t1, 1
	PUTHEX	$t1, 1
	PUTS	" IP7="
	srl	$t1, $t0, 15
	andi	$t1, $t1, 1
	PUTHEX	$t1, 1
	NEWLINE
4:	REPORT	"timer masked"
	mtc0	$zero, C0_COMPARE	/* writing Compare acknowledges */
	ehb
	mfc0	$t0, C0_CAUSE
	srl	$t1, $t0, 30
	andi	$t1, $t1, 1
	PUTS	"after writing Compare: Cause.TI="
	PUTHEX	$t1, 1
	NEWLINE
	jal	ack_timer
	nop
	/* The hardware IP bits (IP2..IP7) are read-only. */
	li	$t0, CA_IP(3) | CA_IP(6)
	mtc0	$t0, C0_CAUSE
	ehb
	mfc0	$t0, C0_CAUSE
	andi	$t0, $t0, CA_IP(3) | CA_IP(6)
	mtc0	$zero, C0_CAUSE
	PUTS	"Cause.IP3, IP6 written 1 read "
	PUTHEX	$t0, 4
	NEWLINE

	/* ----------------------------------------- timer interrupt */
	li	$t0, ST_IM(7) | ST_IE
	mtc0	$t0, C0_STATUS
	jal	arm_timer
	li	$a0, 2000
	jal	wait_exc
	nop
	REPORT	"timer interrupt"
	jal	print_exc_state
	nop
	jal	ack_timer
	nop

	/* --------------------------------------- software interrupts */
	li	$t0, ST_IM(0) | ST_IM(1) | ST_IE
	mtc0	$t0, C0_STATUS
	li	$t0, CA_IP(0)
	mtc0	$t0, C0_CAUSE
	jal	wait_exc
	nop
	mtc0	$zero, C0_CAUSE
	REPORT	"Cause.IP0 set"
	jal	print_exc_state
	nop
	li	$t0, ST_IM(0) | ST_IM(1) | ST_IE
	mtc0	$t0, C0_STATUS
	li	$t0, CA_IP(1)
	mtc0	$t0, C0_CAUSE
	jal	wait_exc
	nop
	mtc0	$zero, C0_CAUSE
	REPORT	"Cause.IP1 set"
	jal	print_exc_state
	nop
	/* Masked by IM: pending, not taken, until IM0 is set. */
	li	$t0, ST_IM(1) | ST_IE
	mtc0	$t0, C0_STATUS
	li	$t0, CA_IP(0)
	mtc0	$t0, C0_CAUSE
	jal	spin
	li	$a0, 100
	REPORT	"Cause.IP0 set, IM0=0"
	mfc0	$t0, C0_CAUSE
	andi	$t0, $t0, 0x8300
	PUTS	"  Cause.IP7,1,0="
	PUTHEX	$t0, 4
	NEWLINE
	li	$t0, ST_IM(0) | ST_IM(1) | ST_IE
	mtc0	$t0, C0_STATUS
	jal	wait_exc
	nop
	mtc0	$zero, C0_CAUSE
	REPORT	"then IM0 set"

	/* ------------------------------------------------- di, ei */
	li	$t0, ST_IM(0) | ST_IE
	mtc0	$t0, C0_STATUS
	ehb
	di	$s0			/* s0 = Status before */
	ehb
	mfc0	$s1, C0_STATUS
	li	$t0, CA_IP(0)
	mtc0	$t0, C0_CAUSE
	jal	spin
	li	$a0, 100
	REPORT	"di, then IP0 set"
	PUTS	"  di returned IE="
	andi	$t0, $s0, ST_IE
	PUTHEX	$t0, 1
	PUTS	", Status.IE now "
	andi	$t0, $s1, ST_IE
	PUTHEX	$t0, 1
	NEWLINE
	ei	$s0			/* taken right after */
	ehb
	nop
	mtc0	$zero, C0_CAUSE
	REPORT	"ei with IP0 pending"
	PUTS	"  ei returned IE="
	andi	$t0, $s0, ST_IE
	PUTHEX	$t0, 1
	NEWLINE

	/* ------------------------------------------- wait, timer */
	li	$t0, ST_IM(7) | ST_IE
	mtc0	$t0, C0_STATUS
	li	$a0, 100000		/* far enough to reach the wait */
	jal	arm_timer
	nop
wait_insn:
	wait
	nop
	REPORT	"wait woken by the timer", wait_insn + 4
	jal	ack_timer
	nop

	/* -------------------------------------- vectored interrupts */
	mfc0	$t0, C0_CONFIG3
	srl	$t0, $t0, 5		/* VInt */
	andi	$t0, $t0, 1
	PUTS	"Config3.VInt="
	PUTHEX	$t0, 1
	mfc0	$t0, C0_INTCTL
	srl	$t0, $t0, 29
	PUTS	" IntCtl.IPTI="
	PUTHEX	$t0, 1
	NEWLINE
	li	$t0, 0x20		/* VS = 1: 32 bytes apart */
	mtc0	$t0, C0_INTCTL
	ehb
	mfc0	$t0, C0_INTCTL
	andi	$t0, $t0, 0x3e0
	CHECK($t0, 0x20)
	li	$t0, ST_IM(7) | ST_IE
	mtc0	$t0, C0_STATUS
	li	$t0, CA_IV
	mtc0	$t0, C0_CAUSE
	jal	arm_timer
	li	$a0, 2000
	jal	wait_exc
	nop
	REPORT	"VS=1 timer (IP7)"
	jal	ack_timer
	nop
	li	$t0, ST_IM(0) | ST_IM(1) | ST_IE
	mtc0	$t0, C0_STATUS
	li	$t0, CA_IV | CA_IP(0)
	mtc0	$t0, C0_CAUSE
	jal	wait_exc
	nop
	REPORT	"VS=1 IP0"
	li	$t0, CA_IV | CA_IP(0) | CA_IP(1)
	mtc0	$t0, C0_CAUSE
	li	$t0, ST_IM(0) | ST_IM(1) | ST_IE
	mtc0	$t0, C0_STATUS
	jal	wait_exc
	nop
	REPORT	"VS=1 IP0+IP1 (IP1 first)"
	li	$t0, ST_IM(0) | ST_IE	/* IP1 still pending, masked */
	mtc0	$t0, C0_STATUS
	jal	wait_exc
	nop
	REPORT	"VS=1 IP0+IP1, IM1=0"
	mtc0	$zero, C0_CAUSE
	mtc0	$zero, C0_INTCTL
	mtc0	$zero, C0_STATUS
	ehb

	/* ------------------------------- EXL and ERL mask interrupts */
	li	$t0, CA_IP(0)
	mtc0	$t0, C0_CAUSE
	li	$t0, ST_IM(0) | ST_IE | ST_EXL
	mtc0	$t0, C0_STATUS
	jal	spin
	li	$a0, 100
	REPORT	"IP0 pending, IE=1, EXL=1"
	li	$t0, ST_IM(0) | ST_IE | ST_ERL
	mtc0	$t0, C0_STATUS
	jal	spin
	li	$a0, 100
	REPORT	"IP0 pending, IE=1, ERL=1"
	li	$t0, ST_IM(0) | ST_IE
	mtc0	$t0, C0_STATUS
	jal	wait_exc
	nop
	mtc0	$zero, C0_CAUSE
	REPORT	"IP0 pending, IE=1, EXL=ERL=0"
	mtc0	$zero, C0_STATUS
	ehb

	lw	$ra, 0($sp)
	lw	$s0, 4($sp)
	lw	$s1, 8($sp)
	lw	$s2, 12($sp)
	jr	$ra
	addiu	$sp, $sp, 16

/* Compare = Count + a0. */
arm_timer:
	mfc0	$t0, C0_COUNT
	addu	$t0, $t0, $a0
	mtc0	$t0, C0_COMPARE
	jr.hb	$ra
	nop

/* Acknowledges the timer and pushes the next match far away. */
ack_timer:
	mfc0	$t0, C0_COUNT
	li	$t1, 0x7fffffff
	addu	$t0, $t0, $t1
	mtc0	$t0, C0_COMPARE
	jr.hb	$ra
	nop

/* Burns a0 loop iterations. */
spin:
	addiu	$a0, $a0, -1
	bnez	$a0, spin
	nop
	jr	$ra
	nop

/* Spins until an exception was recorded (bounded). */
wait_exc:
	li	$t1, POLL_MAX
	lui	$t2, %hi(e2e_exc + EXC_COUNT)
1:	lw	$t0, %lo(e2e_exc + EXC_COUNT)($t2)
	bnez	$t0, 2f
	addiu	$t1, $t1, -1
	bnez	$t1, 1b
	nop
2:	jr	$ra
	nop

/* Prints the recorded Cause.TI and IP, and Status.EXL/IE at the time. */
print_exc_state:
	la	$t2, e2e_exc
	lw	$t0, EXC_CAUSE($t2)
	PUTS	"  Cause.TI="
	srl	$t1, $t0, 30
	andi	$t1, $t1, 1
	PUTHEX	$t1, 1
	PUTS	" IP7,1,0="
	andi	$t1, $t0, 0x8300	/* IP2..6 are board lines */
	PUTHEX	$t1, 4
	lw	$t0, EXC_STATUS($t2)
	PUTS	" Status.EXL="
	srl	$t1, $t0, 1
	andi	$t1, $t1, 1
	PUTHEX	$t1, 1
	PUTS	" IE="
	andi	$t1, $t0, 1
	PUTHEX	$t1, 1
	NEWLINE
	jr	$ra
	nop
