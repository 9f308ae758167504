/*
 * vz_timer.S: time and interrupts under VZ: guest Count = root Count +
 * GTOffset (with 32-bit wrap), the guest reading Count itself with
 * GuestCtl0.GT, the guest timer (guest Compare -> guest Cause.TI -> a guest
 * interrupt on IP7 through the guest's vectors) and its mask, virtual
 * interrupts from GuestCtl2.VIP in guest Cause.IP7..IP2 and taken by the
 * guest, and root's timer interrupting a running guest (taken in root,
 * governed by root Status.IE/IM only).
 *
 * Times are in Count ticks with bounded waits, so the transcript does not
 * depend on Count's rate.  Facts: docs/vzsim.md, "Virtualization (VZ)".
 * vzsim only.
 */
#include "e2e.h"
#include "vz_e2e.h"

#define POLL_MAX	100000

	.text
	.globl	main
main:
	addiu	$sp, $sp, -16
	sw	$ra, 0($sp)
	sw	$s0, 4($sp)
	sw	$s1, 8($sp)
	jal	ack_root_timer
	nop
	jal	vz_init
	nop

	/* ------------------------------------ guest Count = root + GTOffset */
	li	$t0, 0x10000000
	mtc0	$t0, C0_GTOFFSET
	ehb
	mfc0	$t1, C0_COUNT
	mfgc0	$t2, C0_COUNT
	mfc0	$t3, C0_COUNT
	subu	$t2, $t2, $t0
	PUTS	"MFGC0 Count between two root Counts, plus GTOffset: "
	jal	between
	nop
	/* Wrapping: GTOffset = -(root Count) - 16. */
	mfc0	$t1, C0_COUNT
	li	$t0, -16
	subu	$t0, $t0, $t1
	mtc0	$t0, C0_GTOFFSET
	ehb
	mfgc0	$t2, C0_COUNT
	addiu	$t2, $t2, 16		/* just past the wrap */
	PUTS	"guest Count wraps at 32 bits: "
	jal	e2e_yesno
	sltiu	$a0, $t2, 8
	li	$s0, 0x40000000
	mtc0	$s0, C0_GTOFFSET
	VZ_CTL0	GC0_CP0 | GC0_GT
	mfc0	$t1, C0_COUNT
	addu	$t1, $t1, $s0
	VZ_RUN	g_count
	mfc0	$t3, C0_COUNT
	addu	$t3, $t3, $s0
	move	$t2, $t0
	PUTS	"guest mfc0 Count (GT=1) between root's, plus GTOffset: "
	jal	between
	nop
	VZ_CTL0	GC0_CP0
	VZ_RUN	g_compare
	VZ_REPORT "guest mfc0 Compare (GT=0)", g_compare, VZF_BI

	/* ------------------------------------------------ guest timer */
	VZ_CTL0	GC0_CP0 | GC0_GT
	VZ_RUN	g_timer
	VZ_REPORT "guest timer, root saw", g_timer_hc
	G_REPORT "  guest saw"
	lui	$t0, %hi(g_exc + G_CAUSE)
	lw	$t0, %lo(g_exc + G_CAUSE)($t0)
	PUTS	"  guest Cause at it: TI="
	ext	$t1, $t0, 30, 1
	PUTHEX	$t1, 1
	PUTS	" IP7="
	ext	$t1, $t0, 15, 1
	PUTHEX	$t1, 1
	mfc0	$t0, C0_CAUSE
	PUTS	", root Cause.TI="
	ext	$t1, $t0, 30, 1
	PUTHEX	$t1, 1
	NEWLINE
	VZ_RUN	g_timer_masked
	VZ_REPORT "guest timer masked by guest IM7, root saw", g_timer_masked_hc
	G_REPORT "  guest saw"
	PUTS	"  guest Cause after it: TI="
	ext	$t1, $t4, 30, 1
	PUTHEX	$t1, 1
	PUTS	" IP7="
	ext	$t1, $t4, 15, 1
	PUTHEX	$t1, 1
	NEWLINE
	/* Root moves the guest's Compare away: guest TI goes. */
	mfgc0	$t0, C0_COUNT
	addiu	$t0, $t0, -1
	mtgc0	$t0, C0_COMPARE
	ehb
	mfgc0	$t0, C0_CAUSE
	PUTS	"MTGC0 Compare clears guest Cause.TI: "
	ext	$t0, $t0, 30, 1
	jal	e2e_yesno
	sltiu	$a0, $t0, 1

	/* ---------------------------------------------------- VIP */
	PUTS	"GuestCtl2.VIP -> guest Cause.IP7..0:"
	li	$s0, 2
1:	li	$t0, 0x100
	sllv	$t0, $t0, $s0
	mtc0	$t0, C0_GUESTCTL2
	ehb
	mfgc0	$t1, C0_CAUSE
	ext	$t1, $t1, 8, 8
	PUTC	' '
	PUTHEX	$t1, 2
	addiu	$s0, $s0, 1
	sltiu	$t0, $s0, 8
	bnez	$t0, 1b
	nop
	mtc0	$zero, C0_GUESTCTL2
	ehb
	mfgc0	$t1, C0_CAUSE
	ext	$t1, $t1, 8, 8
	PUTS	", VIP=0: "
	PUTHEX	$t1, 2
	mfc0	$t1, C0_CAUSE
	ext	$t1, $t1, 8, 8
	PUTS	", root Cause.IP: "
	PUTHEX	$t1, 2
	NEWLINE
	li	$t0, GC2_VIP(3)
	mtc0	$t0, C0_GUESTCTL2
	ehb
	VZ_RUN	g_vip
	mtc0	$zero, C0_GUESTCTL2
	ehb
	VZ_REPORT "VIP IP3, root saw", g_vip_hc
	G_REPORT "  guest saw"
	lui	$t0, %hi(g_exc + G_CAUSE)
	lw	$t0, %lo(g_exc + G_CAUSE)($t0)
	PUTS	"  guest Cause.IP at it: "
	ext	$t0, $t0, 8, 8
	PUTHEX	$t0, 2
	NEWLINE
	li	$t0, GC2_VIP(3)
	mtc0	$t0, C0_GUESTCTL2
	ehb
	VZ_RUN	g_vip_masked
	mtc0	$zero, C0_GUESTCTL2
	ehb
	VZ_REPORT "VIP IP3 masked by guest IM3, root saw", g_vip_masked_hc
	G_REPORT "  guest saw"

	/* --------------------------------------- root timer, guest running */
	mfc0	$t0, C0_COUNT
	addiu	$t0, $t0, 200
	mtc0	$t0, C0_COMPARE
	ehb
	VZ_RUN	g_spin, 1, ST_IE | ST_IM(7)
	VZ_REPORT "root timer while the guest spins"
	la	$s0, vz_last
	lw	$t0, VZ_EPC($s0)
	la	$t1, g_spin
	subu	$t0, $t0, $t1
	PUTS	"  root EPC in the guest's loop: "
	jal	e2e_yesno
	sltiu	$a0, $t0, 8
	lw	$t0, VZ_GCTL0($s0)
	PUTS	"  GM=1 in root's handler: "
	jal	e2e_yesno
	srl	$a0, $t0, 31
	G_REPORT "  guest saw"
	jal	ack_root_timer
	nop
	/* Root IE clear: root's timer waits, the guest runs to its end. */
	mfc0	$t0, C0_COUNT
	addiu	$t0, $t0, 50
	mtc0	$t0, C0_COMPARE
	ehb
	VZ_RUN	g_spin_some, 1, ST_IM(7)
	VZ_REPORT "root timer with root IE=0 while the guest runs", g_spin_some_hc
	mfc0	$t0, C0_CAUSE
	PUTS	"  root Cause.TI="
	ext	$t0, $t0, 30, 1
	PUTHEX	$t0, 1
	NEWLINE
	G_REPORT "  guest saw"
	jal	ack_root_timer
	nop

	lw	$ra, 0($sp)
	lw	$s0, 4($sp)
	lw	$s1, 8($sp)
	jr	$ra
	addiu	$sp, $sp, 16

/* Prints yes if t1 <= t2 <= t3 (unsigned). */
between:
	addiu	$sp, $sp, -8
	sw	$ra, 0($sp)
	sltu	$a0, $t2, $t1
	sltu	$v1, $t3, $t2
	or	$a0, $a0, $v1
	jal	e2e_yesno
	xori	$a0, $a0, 1
	lw	$ra, 0($sp)
	jr	$ra
	addiu	$sp, $sp, 8

/* Root Compare far behind Count: TI clear, no match for 2^32 ticks. */
ack_root_timer:
	mfc0	$t0, C0_COUNT
	addiu	$t0, $t0, -1
	mtc0	$t0, C0_COMPARE
	jr.hb	$ra
	nop

/* ------------------------------------------------------------ guests */

g_count:
	mfc0	$t0, C0_COUNT
	hypcall	0
g_compare:
	mfc0	$t0, C0_COMPARE
	hypcall	0

/* Arms the guest timer 50 ticks ahead, enables IP7, waits for the
 * interrupt (g_record counts it and clears IE). */
g_timer:
	mfc0	$t0, C0_COUNT
	addiu	$t0, $t0, 50
	mtc0	$t0, C0_COMPARE
	li	$t1, ST_IE | ST_IM(7)
	mtc0	$t1, C0_STATUS
	ehb
	li	$t2, POLL_MAX
1:	lui	$t3, %hi(g_exc + G_COUNT)
	lw	$t3, %lo(g_exc + G_COUNT)($t3)
	bnez	$t3, 2f
	addiu	$t2, $t2, -1
	bnez	$t2, 1b
	nop
2:	mtc0	$zero, C0_STATUS
	mfc0	$t0, C0_COUNT		/* Compare behind Count: TI off */
	addiu	$t0, $t0, -1
	mtc0	$t0, C0_COMPARE
	ehb
g_timer_hc:
	hypcall	0

/* The same with IM7 clear: no interrupt; t4 = Cause after the match. */
g_timer_masked:
	mfc0	$t0, C0_COUNT
	addiu	$t0, $t0, 20
	mtc0	$t0, C0_COMPARE
	li	$t1, ST_IE | ST_IM(2)
	mtc0	$t1, C0_STATUS
	ehb
	li	$t2, 1000
1:	mfc0	$t4, C0_CAUSE
	sll	$t3, $t4, 1		/* TI to bit 31 */
	bltz	$t3, 2f
	addiu	$t2, $t2, -1
	bnez	$t2, 1b
	nop
2:	mtc0	$zero, C0_STATUS
	ehb
g_timer_masked_hc:
	hypcall	0

/* IE and IM3 with VIP IP3 pending: interrupted at once. */
g_vip:	li	$t1, ST_IE | ST_IM(3)
	mtc0	$t1, C0_STATUS
	ehb
	nop
	nop
	mtc0	$zero, C0_STATUS
	ehb
g_vip_hc:
	hypcall	0
g_vip_masked:
	li	$t1, ST_IE | ST_IM(2) | ST_IM(4)
	mtc0	$t1, C0_STATUS
	ehb
	nop
	nop
	mtc0	$zero, C0_STATUS
	ehb
g_vip_masked_hc:
	hypcall	0

g_spin:	b	g_spin
	nop

/* Spins a while with the guest's own IE and IM7 set, then ends. */
g_spin_some:
	li	$t1, ST_IE | ST_IM(7)
	mtc0	$t1, C0_STATUS
	ehb
	li	$t2, 1000
1:	bnez	$t2, 1b
	addiu	$t2, $t2, -1
	mtc0	$zero, C0_STATUS
	ehb
g_spin_some_hc:
	hypcall	0
