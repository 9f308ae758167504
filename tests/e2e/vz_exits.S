/*
 * vz_exits.S: a root-mode program that runs small guest programs and
 * prints, for each, what reached root: the VZ registers' reset values and
 * writable fields, entering a guest by eret, every kind of guest exit
 * (GPSI for CP0 instructions without GuestCtl0.CP0, wait, Count/Compare
 * without GT, mtc0 Count and LLAddr, cache without CG/CGI, rdhwr CC, in a
 * delay slot; GSFC and GuestCtl0Ext.FCD; HC with its code; GRR) with root
 * EPC/BD/BadInstr(P), and the exceptions a guest handles itself (RI,
 * syscall, break in a delay slot, address error) at the guest's vectors,
 * plus MTGC0/MFGC0 round trips.
 *
 * Facts (docs/vzsim.md, "Virtualization (VZ)"): a guest exit is root
 * ExcCode 27 (GE) at root EBase + 0x180 with GuestCtl0.GExcCode; the HC
 * code is BadInstr[20:11]; guest-handled exceptions never reach root.
 * vzsim only (QEMU's P5600 has no VZ).
 */
#include "e2e.h"
#include "vz_e2e.h"

#define G_ADEL_ADDR	0x80100002	/* unaligned: a guest AdEL */

	.text
	.globl	main
main:
	addiu	$sp, $sp, -16
	sw	$ra, 0($sp)
	sw	$s0, 4($sp)
	sw	$s1, 8($sp)

	/* ------------------------------------------ configuration, reset */
	mfc0	$t0, C0_CONFIG3
	PUTS	"Config3.VZ="
	ext	$t0, $t0, 23, 1
	PUTHEX	$t0, 1
	mfgc0	$t0, C0_CONFIG3
	PUTS	" guest Config3.VZ="
	ext	$t0, $t0, 23, 1
	PUTHEX	$t0, 1
	NEWLINE
	PUTS	"reset: GuestCtl0="
	mfc0	$t0, C0_GUESTCTL0
	PUTHEX	$t0
	PUTS	" GuestCtl0Ext="
	mfc0	$t0, C0_GUESTCTL0EXT
	PUTHEX	$t0
	PUTS	" GuestCtl1="
	mfc0	$t0, C0_GUESTCTL1
	PUTHEX	$t0
	PUTS	" GuestCtl2="
	mfc0	$t0, C0_GUESTCTL2
	PUTHEX	$t0
	PUTS	" GTOffset="
	mfc0	$t0, C0_GTOFFSET
	PUTHEX	$t0
	NEWLINE
	PUTS	"guest Status at reset="
	mfgc0	$t0, C0_STATUS
	PUTHEX	$t0
	NEWLINE
	/* All ones (but GM: that would enter the guest right here). */
	li	$t1, 0x7fffffff
	mtc0	$t1, C0_GUESTCTL0
	li	$t1, -1
	mtc0	$t1, C0_GUESTCTL0EXT
	mtc0	$t1, C0_GUESTCTL1
	mtc0	$t1, C0_GUESTCTL2
	mtc0	$t1, C0_GTOFFSET
	ehb
	PUTS	"writable: GuestCtl0="
	mfc0	$t0, C0_GUESTCTL0
	PUTHEX	$t0
	PUTS	" GuestCtl0Ext="
	mfc0	$t0, C0_GUESTCTL0EXT
	PUTHEX	$t0
	PUTS	" GuestCtl1="
	mfc0	$t0, C0_GUESTCTL1
	PUTHEX	$t0
	PUTS	" GuestCtl2="
	mfc0	$t0, C0_GUESTCTL2
	PUTHEX	$t0
	PUTS	" GTOffset="
	mfc0	$t0, C0_GTOFFSET
	PUTHEX	$t0
	NEWLINE
	mtc0	$zero, C0_GUESTCTL0
	mtc0	$zero, C0_GUESTCTL0EXT
	mtc0	$zero, C0_GUESTCTL1
	mtc0	$zero, C0_GUESTCTL2
	mtc0	$zero, C0_GTOFFSET
	ehb
	jal	vz_init
	nop

	/* ------------------------------------------------ entering */
	li	$t0, 0
	VZ_RUN	g_enter, 1
	VZ_REPORT "enter by eret, hypcall 0", g_enter_hc, VZF_BI
	PUTS	"guest ran at EPC: t0="
	PUTHEX	$t0
	PUTS	", root after the exit: EXL="
	la	$t1, vz_last
	lw	$t2, VZ_STATUS($t1)
	andi	$t2, $t2, ST_EXL
	srl	$t2, $t2, 1
	PUTHEX	$t2, 1
	PUTS	" GM="
	lw	$t2, VZ_GCTL0($t1)
	srl	$t2, $t2, 31
	PUTHEX	$t2, 1
	NEWLINE

	/* ------------------------------------------------------ GPSI */
	VZ_CTL0	GC0_GT | GC0_CG, GC0E_CGI
	VZ_RUN	g_mfc0
	VZ_REPORT "GPSI mfc0 (CP0=0)", g_mfc0, VZF_BI
	VZ_RUN	g_mtc0
	VZ_REPORT "GPSI mtc0 (CP0=0)", g_mtc0, VZF_BI
	VZ_RUN	g_tlbwi
	VZ_REPORT "GPSI tlbwi (CP0=0)", g_tlbwi, VZF_BI
	VZ_RUN	g_eret
	VZ_REPORT "GPSI eret (CP0=0)", g_eret, VZF_BI
	VZ_RUN	g_di
	VZ_REPORT "GPSI di (CP0=0)", g_di, VZF_BI
	VZ_RUN	g_cache_hit
	VZ_REPORT "GPSI cache (CP0=0, CG=1)", g_cache_hit, VZF_BI
	VZ_CTL0	GC0_CP0 | GC0_GT | GC0_CG, GC0E_CGI
	VZ_RUN	g_wait
	VZ_REPORT "GPSI wait (CP0=1)", g_wait, VZF_BI
	VZ_CTL0	GC0_CP0
	VZ_RUN	g_count
	VZ_REPORT "GPSI mfc0 Count (GT=0)", g_count, VZF_BI
	VZ_RUN	g_compare
	VZ_REPORT "GPSI mtc0 Compare (GT=0)", g_compare, VZF_BI
	VZ_RUN	g_rdhwr_cc
	VZ_REPORT "GPSI rdhwr CC (GT=0)", g_rdhwr_cc, VZF_BI
	VZ_CTL0	GC0_CP0 | GC0_GT
	VZ_RUN	g_count
	VZ_REPORT "mfc0 Count (GT=1)", g_count_hc
	VZ_RUN	g_mtcount
	VZ_REPORT "GPSI mtc0 Count (GT=1)", g_mtcount, VZF_BI
	VZ_RUN	g_lladdr
	VZ_REPORT "GPSI mtc0 LLAddr", g_lladdr, VZF_BI
	VZ_CTL0	GC0_CP0
	VZ_RUN	g_cache_hit
	VZ_REPORT "GPSI cache Hit (CG=0)", g_cache_hit, VZF_BI
	VZ_RUN	g_cache_index
	VZ_REPORT "GPSI cache Index (CGI=0)", g_cache_index, VZF_BI
	VZ_CTL0	GC0_CP0 | GC0_CG, GC0E_CGI
	VZ_RUN	g_cache_hit
	VZ_REPORT "cache Hit (CG=1)", g_cache_hit_hc
	VZ_RUN	g_cache_index
	VZ_REPORT "cache Index (CGI=1)", g_cache_index_hc
	VZ_CTL0	GC0_CP0
	VZ_RUN	g_rootreg
	VZ_REPORT "GPSI mfc0 GuestCtl0", g_rootreg, VZF_BI
	VZ_CTL0	0
	VZ_RUN	g_slot
	VZ_REPORT "GPSI in a delay slot", g_slot, VZF_BI | VZF_BIP

	/* ------------------------------------------------------ GSFC */
	VZ_CTL0	GC0_CP0
	mtgc0	$zero, C0_STATUS
	VZ_RUN	g_cu1
	VZ_REPORT "GSFC Status.CU1", g_cu1_mt, VZF_BI
	mfgc0	$t0, C0_STATUS
	PUTS	"  guest Status after it="
	PUTHEX	$t0
	NEWLINE
	VZ_RUN	g_dc
	VZ_REPORT "GSFC Cause.DC", g_dc_mt, VZF_BI
	VZ_CTL0	GC0_CP0, GC0E_FCD
	VZ_RUN	g_cu1
	VZ_REPORT "Status.CU1 with FCD=1", g_cu1_hc
	mfgc0	$t0, C0_STATUS
	PUTS	"  guest Status after it="
	PUTHEX	$t0
	NEWLINE
	mtgc0	$zero, C0_STATUS
	VZ_CTL0	GC0_CP0

	/* ------------------------------------------------------- HC */
	VZ_CTL0	0
	VZ_RUN	g_hc
	VZ_REPORT "hypcall 0x2a", g_hc, VZF_BI
	VZ_RUN	g_hc_slot
	VZ_REPORT "hypcall 0x3ff in a delay slot", g_hc_slot, VZF_BI | VZF_BIP
root_hc:
	hypcall	0x155
	REPORT	"hypcall in root kernel mode", root_hc
	mfc0	$t0, C0_GUESTCTL0
	ext	$t0, $t0, 2, 5
	PUTS	"  GExcCode="
	PUTHEX	$t0, 2
	mfc0	$t0, C0_BADINSTR
	ext	$t0, $t0, 11, 10
	PUTS	" code="
	PUTHEX	$t0, 3
	NEWLINE

	/* ------------------------------------------------------- RI */
	VZ_CTL0	GC0_CP0 | GC0_RI
	VZ_RUN	g_ri
	VZ_REPORT "GRR (GuestCtl0.RI=1)", g_ri, VZF_BI
	VZ_CTL0	GC0_CP0
	VZ_RUN	g_ri
	VZ_REPORT "RI with GuestCtl0.RI=0, root saw", g_ri_hc
	G_REPORT "  guest saw", g_ri

	/* -------------------------------------- guest exceptions */
	mtgc0	$zero, C0_STATUS
	VZ_RUN	g_sys
	VZ_REPORT "guest syscall, root saw", g_sys_hc
	G_REPORT "  guest saw", g_sys
	lui	$t0, %hi(g_exc + G_STATUS)
	lw	$t0, %lo(g_exc + G_STATUS)($t0)
	PUTS	"  guest Status.EXL in its handler="
	ext	$t0, $t0, 1, 1
	PUTHEX	$t0, 1
	mfgc0	$t0, C0_STATUS
	PUTS	", after its eret="
	ext	$t0, $t0, 1, 1
	PUTHEX	$t0, 1
	NEWLINE
	g_setw	G_RESUME, g_bp_back
	VZ_RUN	g_bp_branch
	VZ_REPORT "guest break in a delay slot, root saw", g_bp_hc
	G_REPORT "  guest saw", g_bp_branch
	VZ_RUN	g_adel_pre
	VZ_REPORT "guest AdEL, root saw", g_adel_hc
	G_REPORT "  guest saw", g_adel, G_ADEL_ADDR

	/* ------------------------------------------- MTGC0 / MFGC0 */
	li	$t0, 0x80012344
	mtc0	$zero, C0_EPC
	mtgc0	$t0, C0_EPC
	li	$t1, 0xcafe0001
	mtgc0	$t1, C0_KSCRATCH1
	ehb
	mfgc0	$s0, C0_EPC
	mfgc0	$s1, C0_KSCRATCH1
	PUTS	"MTGC0/MFGC0: guest EPC="
	PUTHEX	$s0
	PUTS	" guest KScratch1="
	PUTHEX	$s1
	PUTS	" root EPC="
	mfc0	$t0, C0_EPC
	PUTHEX	$t0
	NEWLINE
	VZ_RUN	g_readback
	PUTS	"the guest reads them: "
	PUTHEX	$t0
	PUTC	' '
	PUTHEX	$t1
	PUTS	", root reads its KScratch2: "
	mfgc0	$t2, $31, 3
	PUTHEX	$t2
	NEWLINE

	lw	$ra, 0($sp)
	lw	$s0, 4($sp)
	lw	$s1, 8($sp)
	jr	$ra
	addiu	$sp, $sp, 16

/* ------------------------------------------------------------ guests */
/* Each runs in guest kernel mode and ends with `hypcall 0`. */

g_enter:
	li	$t0, 0x1234
g_enter_hc:
	hypcall	0

g_mfc0:	mfc0	$t0, C0_STATUS
	hypcall	0
g_mtc0:	mtc0	$zero, C0_EPC
	hypcall	0
g_tlbwi:
	tlbwi
	hypcall	0
g_eret:	eret
	hypcall	0
g_di:	di	$t0
	hypcall	0
g_wait:	wait
	hypcall	0
g_count:
	mfc0	$t0, C0_COUNT
g_count_hc:
	hypcall	0
g_compare:
	mtc0	$zero, C0_COMPARE
	hypcall	0
g_rdhwr_cc:
	rdhwr	$t0, $2
	hypcall	0
g_mtcount:
	mtc0	$zero, C0_COUNT
	hypcall	0
g_lladdr:
	mtc0	$zero, C0_LLADDR
	hypcall	0
g_cache_hit:
	cache	0x15, 0($sp)		/* Hit Writeback Invalidate D */
g_cache_hit_hc:
	hypcall	0
g_cache_index:
	cache	0x01, 0($sp)		/* Index Writeback Invalidate D */
g_cache_index_hc:
	hypcall	0
g_rootreg:
	mfc0	$t0, C0_GUESTCTL0
	hypcall	0
g_slot:	beq	$zero, $zero, 1f
	mfc0	$t0, C0_CAUSE
1:	hypcall	0

g_cu1:	li	$t0, ST_CU1 | ST_IM(2)
g_cu1_mt:
	mtc0	$t0, C0_STATUS
g_cu1_hc:
	hypcall	0
g_dc:	li	$t0, CA_DC
g_dc_mt:
	mtc0	$t0, C0_CAUSE
	hypcall	0

g_hc:	hypcall	0x2a
	hypcall	0
g_hc_slot:
	bne	$zero, $sp, 1f
	hypcall	0x3ff
1:	hypcall	0

g_ri:	.word	0x00000005		/* SPECIAL funct 5: reserved */
g_ri_hc:
	hypcall	0

g_sys:	syscall
g_sys_hc:
	hypcall	0
g_bp_branch:
	beq	$zero, $zero, g_bp_back
	break	7
g_bp_back:
g_bp_hc:
	hypcall	0
g_adel_pre:
	li	$t1, G_ADEL_ADDR
g_adel:	lw	$t0, 0($t1)
g_adel_hc:
	hypcall	0

g_readback:
	mfc0	$t0, C0_EPC
	mfc0	$t1, C0_KSCRATCH1
	li	$t2, 0x0f0f0f0f
	mtc0	$t2, $31, 3
	hypcall	0
