/*
 * vz_tlb.S: the VZ TLB from a hypervisor's side: two guests (GuestIDs 1
 * and 2) whose physical memory root maps with GuestID-tagged entries;
 * second-stage refill, invalid and modified faults (root BadVAddr = the
 * GPA, GExcCode = GPA); root tlbr/tlbp and GuestCtl1.RID; guest TLB
 * entries written by the guest, used through both stages, refilled by the
 * guest's own handler; one guest's entries invisible to the other for
 * translation, tlbp and tlbr (the invalid-entry read-back); tlbgp, tlbgr,
 * tlbgwi, tlbgwr, tlbginv, tlbginvf; a guest's tlbwr evicting the other
 * guest's entry; and the shrinking page that follows when the first guest
 * reads its lost entry back.
 *
 * Facts: docs/vzsim.md, "The shared TLB".  vzsim only.
 */
#include "e2e.h"
#include "vz_e2e.h"

#define LO_RAM(pa)	(LO_PFN(pa) | LO_C | LO_D | LO_V)
#define HI_GVA		0x00400021	/* guest 1's 16K pair, ASID 0x21 */
/* g_rf: what the guest's refill handler saw, and the EntryLo it writes. */
#define RF_COUNT	0
#define RF_CAUSE	4
#define RF_EPC		8
#define RF_BADVADDR	12
#define RF_ENTRYHI	16
#define RF_CONTEXT	20
#define RF_LO		24

	.text
	.globl	main
main:
	addiu	$sp, $sp, -24
	sw	$ra, 0($sp)
	sw	$s0, 4($sp)
	sw	$s1, 8($sp)
	sw	$s2, 12($sp)
	sw	$s3, 16($sp)
	jal	vz_init
	nop

	/* ------------------------------------------- stage 2 by GuestID */
	li	$t0, 0x11111111
	li	$t1, G1_ODD_PA
	sw	$t0, 0($t1)
	li	$t0, 0x22222222
	li	$t1, G2_ODD_PA
	sw	$t0, 0($t1)
	VZ_RUN	g_read_odd, 1
	move	$s0, $t0
	VZ_RUN	g_read_odd, 2
	move	$s1, $t0
	PUTS	"stage 2 by GuestID: guest 1 reads "
	PUTHEX	$s0
	PUTS	", guest 2 reads "
	PUTHEX	$s1
	NEWLINE
	VZ_RUN	g_read_odd, 3
	VZ_REPORT "GuestID 3, no stage-2 entry", g_read_odd
	la	$t0, g_read_odd
	ext	$t0, $t0, 0, 29		/* its GPA */
	lui	$t1, %hi(vz_last + VZ_BADVADDR)
	lw	$t1, %lo(vz_last + VZ_BADVADDR)($t1)
	CHECKR($t1, $t0)

	/* ---------------------------------------- second-stage faults */
	VZ_RUN	g_s2_load
	VZ_REPORT "stage-2 refill, load", g_s2_load_lw, VZF_BI | VZF_BV | VZF_HI
	VZ_RUN	g_s2_store
	VZ_REPORT "stage-2 refill, store", g_s2_store_sw, VZF_BI | VZF_BV | VZF_HI
	VZ_RUN	g_s2_fetch
	VZ_REPORT "stage-2 refill, fetch", 0x84000100, VZF_BV
	/* GPA 0x06000000: even page V = 0, odd page V = 1 D = 0. */
	li	$a0, 2
	li	$a1, 1
	li	$t0, 0x06000000
	li	$t1, LO_PFN(0x06000000) | LO_C | LO_D
	li	$t2, LO_PFN(0x06001000) | LO_C | LO_V
	jal	root_write
	mtc0	$zero, C0_PAGEMASK
	li	$t0, 0x0ddba11
	li	$t1, 0x86001000
	sw	$t0, 0($t1)
	VZ_RUN	g_s2_inv
	VZ_REPORT "stage-2 invalid, load", g_s2_inv_lw, VZF_BI | VZF_BV
	VZ_RUN	g_s2_inv_st
	VZ_REPORT "stage-2 invalid, store", g_s2_inv_sw, VZF_BI | VZF_BV
	VZ_RUN	g_s2_clean
	VZ_REPORT "stage-2 clean page, load", g_s2_clean_hc
	PUTS	"  loaded "
	PUTHEX	$t0
	NEWLINE
	VZ_RUN	g_s2_mod
	VZ_REPORT "stage-2 clean page, store", g_s2_mod_sw, VZF_BI | VZF_BV

	/* ------------------------------------------- root tlbr, tlbp */
	li	$s0, 0
1:	mtc0	$s0, C0_INDEX
	ehb
	tlbr
	ehb
	mfc0	$t0, C0_GUESTCTL1
	ext	$t0, $t0, 16, 8
	mfc0	$t1, C0_ENTRYLO0
	mfc0	$t2, C0_ENTRYLO1
	PUTS	"root tlbr entry "
	PUTDEC	$s0
	PUTS	": RID="
	PUTHEX	$t0, 2
	PUTS	" Lo0="
	PUTHEX	$t1
	PUTS	" Lo1="
	PUTHEX	$t2
	NEWLINE
	addiu	$s0, $s0, 1
	sltiu	$t0, $s0, 2
	bnez	$t0, 1b
	nop
	li	$t0, 5			/* root's own (e2e_tlb_clear's) */
	mtc0	$t0, C0_INDEX
	ehb
	tlbr
	ehb
	mfc0	$t0, C0_GUESTCTL1
	ext	$t0, $t0, 16, 8
	PUTS	"root tlbr entry 5: RID="
	PUTHEX	$t0, 2
	NEWLINE
	mtc0	$zero, C0_PAGEMASK
	PUTS	"root tlbp of VPN2 0:"
	li	$s0, 0
2:	PUTS	" RID="
	PUTDEC	$s0
	mtc0	$zero, C0_ENTRYHI
	sll	$t0, $s0, 16
	mtc0	$t0, C0_GUESTCTL1
	ehb
	tlbp
	ehb
	mfc0	$a0, C0_INDEX
	PUTC	' '
	jal	put_index
	nop
	addiu	$s0, $s0, 1
	sltiu	$t0, $s0, 4
	bnez	$t0, 2b
	nop
	NEWLINE
	mtc0	$zero, C0_GUESTCTL1
	mtc0	$zero, C0_ENTRYHI
	ehb

	/* ----------------------------------------- guest TLB, guest 1 */
	li	$t2, 3
	li	$t3, HI_GVA
	li	$t4, LO_RAM(0x01004000)
	li	$t5, LO_RAM(0x01008000)
	li	$t6, PM_16K
	VZ_RUN	g_tlb_write, 1
	VZ_REPORT "guest 1 tlbwi", g_tlb_write_hc
	li	$t2, 3
	li	$t3, 0
	li	$t4, 0
	li	$t5, 0
	li	$t6, 0
	VZ_RUN	g_tlb_read, 1
	PUTS	"guest 1 tlbr of it:"
	jal	print_t
	nop
	li	$t0, 0x5a5a5a5a
	li	$t1, 0x81008010		/* guest 1's GPA 0x01008010 */
	sw	$t0, 0($t1)
	VZ_RUN	g_map_load, 1
	VZ_REPORT "guest 1 load through 16K guest page, 16M stage 2", g_map_load_hc
	PUTS	"  loaded "
	PUTHEX	$t0
	NEWLINE

	/* guest refill handler; guest Wired 8 keeps its tlbwr off entries 3, 4 */
	li	$t0, 8
	mtgc0	$t0, C0_WIRED
	g_setw	G_HOOK_REFILL, g_refill
	la	$t0, g_rf
	li	$t1, LO_RAM(0x01010000)
	sw	$t1, RF_LO($t0)
	li	$t0, 0x600dcafe
	li	$t1, 0x81010008
	sw	$t0, 0($t1)
	VZ_RUN	g_refill_test, 1
	g_setw	G_HOOK_REFILL, 0
	mtgc0	$zero, C0_WIRED
	VZ_REPORT "guest refill handled by the guest, root saw", g_refill_hc
	la	$s0, g_rf
	PUTS	"  guest refill: ExcCode="
	lw	$t1, RF_CAUSE($s0)
	ext	$t1, $t1, 2, 5
	PUTDEC	$t1
	lw	$t1, RF_EPC($s0)
	la	$t2, g_refill_lw
	beq	$t1, $t2, 7f
	nop
	PUTS	" epc="
	PUTHEX	$t1
	b	8f
	nop
7:	PUTS	" epc=ok"
8:
	PUTS	" badvaddr="
	lw	$t1, RF_BADVADDR($s0)
	PUTHEX	$t1
	PUTS	" entryhi="
	lw	$t1, RF_ENTRYHI($s0)
	PUTHEX	$t1
	PUTS	" context="
	lw	$t1, RF_CONTEXT($s0)
	PUTHEX	$t1
	PUTS	" refills="
	lw	$t1, RF_COUNT($s0)
	PUTDEC	$t1
	PUTS	" loaded "
	PUTHEX	$t0
	NEWLINE

	/* guest invalid and modified: guest index 4 */
	li	$t2, 4
	li	$t3, 0x00500021
	li	$t4, LO_PFN(0x01020000) | LO_C | LO_D
	li	$t5, LO_PFN(0x01021000) | LO_C | LO_V
	li	$t6, PM_4K
	VZ_RUN	g_tlb_write, 1
	VZ_RUN	g_inv, 1
	VZ_REPORT "guest TLB invalid, root saw", g_inv_hc
	G_REPORT "  guest saw", g_inv_lw, 0x00500010
	VZ_RUN	g_mod, 1
	VZ_REPORT "guest TLB modified, root saw", g_mod_hc
	G_REPORT "  guest saw", g_mod_sw, 0x00501010

	/* ------------------------------------------ guest 2 vs guest 1 */
	VZ_RUN	g_map_load, 2
	VZ_REPORT "guest 2 loads guest 1's page, root saw", g_map_load_hc
	G_REPORT "  guest 2 saw", g_map_load_lw, 0x00404010
	li	$t3, HI_GVA
	VZ_RUN	g_tlb_probe, 1
	move	$s0, $t2
	li	$t3, HI_GVA
	VZ_RUN	g_tlb_probe, 2
	PUTS	"tlbp of guest 1's entry: guest 1 "
	jal	put_index
	move	$a0, $s0
	PUTS	", guest 2 "
	jal	put_index
	move	$a0, $t2
	NEWLINE
	li	$t0, PM_16K
	mtgc0	$t0, C0_PAGEMASK
	li	$t2, 3
	VZ_RUN	g_tlb_read_keep, 2
	PUTS	"guest 2 tlbr of guest 1's entry, PageMask was 16K:"
	jal	print_t
	nop

	/* -------------------------------------------------- tlbg* */
	li	$t0, HI_GVA
	mtgc0	$t0, C0_ENTRYHI
	li	$t0, GC1_RID(1)
	mtc0	$t0, C0_GUESTCTL1
	ehb
	tlbgp
	ehb
	mfgc0	$s0, C0_INDEX
	li	$t0, GC1_RID(2)
	mtc0	$t0, C0_GUESTCTL1
	ehb
	tlbgp
	ehb
	mfgc0	$s1, C0_INDEX
	PUTS	"tlbgp of guest 1's entry: RID=1 "
	jal	put_index
	move	$a0, $s0
	PUTS	", RID=2 "
	jal	put_index
	move	$a0, $s1
	NEWLINE
	mtc0	$zero, C0_GUESTCTL1
	li	$t0, 3
	mtgc0	$t0, C0_INDEX
	mtgc0	$zero, C0_PAGEMASK
	ehb
	tlbgr
	ehb
	mfc0	$t0, C0_GUESTCTL1
	ext	$t0, $t0, 16, 8
	PUTS	"tlbgr guest index 3: RID="
	PUTHEX	$t0, 2
	mfgc0	$t3, C0_ENTRYHI
	mfgc0	$t4, C0_ENTRYLO0
	mfgc0	$t5, C0_ENTRYLO1
	mfgc0	$t6, C0_PAGEMASK
	jal	print_t
	nop
	/* tlbgwi: guest 2 gets the same GVA and ASID, at guest index 6. */
	li	$t0, GC1_RID(2)
	mtc0	$t0, C0_GUESTCTL1
	li	$t0, 6
	mtgc0	$t0, C0_INDEX
	li	$t0, HI_GVA
	mtgc0	$t0, C0_ENTRYHI
	li	$t0, LO_RAM(0x01004000)
	mtgc0	$t0, C0_ENTRYLO0
	li	$t0, LO_RAM(0x01008000)
	mtgc0	$t0, C0_ENTRYLO1
	li	$t0, PM_16K
	mtgc0	$t0, C0_PAGEMASK
	ehb
	tlbgwi
	ehb
	mtc0	$zero, C0_GUESTCTL1
	ehb
	li	$t0, 0x22225a5a
	li	$t1, 0x82008010		/* guest 2's GPA 0x01008010 */
	sw	$t0, 0($t1)
	VZ_RUN	g_map_load, 2
	move	$s0, $t0
	VZ_RUN	g_map_load, 1
	move	$s1, $t0
	PUTS	"tlbgwi for guest 2, same GVA and ASID: guest 2 loads "
	PUTHEX	$s0
	PUTS	", guest 1 loads "
	PUTHEX	$s1
	NEWLINE
	/* tlbgwr with guest Wired at the top entry: lands there. */
	mfgc0	$s2, C0_CONFIG1
	ext	$s2, $s2, 25, 6		/* guest entries - 1 */
	mtgc0	$s2, C0_WIRED
	li	$t0, GC1_RID(1)
	mtc0	$t0, C0_GUESTCTL1
	li	$t0, 0x00a00021
	mtgc0	$t0, C0_ENTRYHI
	mtgc0	$zero, C0_PAGEMASK
	ehb
	tlbgwr
	ehb
	tlbgp
	ehb
	mfgc0	$t0, C0_INDEX
	mtgc0	$zero, C0_WIRED
	mtc0	$zero, C0_GUESTCTL1
	PUTS	"tlbgwr with guest Wired at the top: tlbgp finds it there: "
	xor	$t0, $t0, $s2
	jal	e2e_yesno
	sltiu	$a0, $t0, 1

	/* tlbginv: guest 1's ASID 0x21 entries go, guest 2's stays. */
	li	$t0, GC1_RID(1)
	mtc0	$t0, C0_GUESTCTL1
	li	$t0, 0x21
	mtgc0	$t0, C0_ENTRYHI
	ehb
	tlbginv
	ehb
	mtc0	$zero, C0_GUESTCTL1
	ehb
	li	$t3, HI_GVA
	VZ_RUN	g_tlb_probe, 1
	move	$s0, $t2
	li	$t3, HI_GVA
	VZ_RUN	g_tlb_probe, 2
	PUTS	"tlbginv RID=1 ASID=21: guest 1 tlbp "
	jal	put_index
	move	$a0, $s0
	PUTS	", guest 2 tlbp "
	jal	put_index
	move	$a0, $t2
	NEWLINE
	li	$t0, GC1_RID(2)
	mtc0	$t0, C0_GUESTCTL1
	ehb
	tlbginvf
	ehb
	mtc0	$zero, C0_GUESTCTL1
	ehb
	li	$t3, HI_GVA
	VZ_RUN	g_tlb_probe, 2
	move	$s0, $t2
	VZ_RUN	g_read_odd, 2
	PUTS	"tlbginvf RID=2: guest 2 tlbp "
	jal	put_index
	move	$a0, $s0
	PUTS	", its stage 2 still reads "
	PUTHEX	$t0
	NEWLINE

	/* ------------------------- guest 2's tlbwr in a full guest TLB */
	mfgc0	$s2, C0_CONFIG1
	ext	$s2, $s2, 25, 6
	addiu	$s2, $s2, 1		/* guest entries */
	li	$t0, GC1_RID(1)
	mtc0	$t0, C0_GUESTCTL1
	li	$t0, LO_RAM(0x01004000)
	mtgc0	$t0, C0_ENTRYLO0
	mtgc0	$t0, C0_ENTRYLO1
	mtgc0	$zero, C0_PAGEMASK
	li	$t0, 0
	li	$t1, 0x10000021
3:	mtgc0	$t0, C0_INDEX
	mtgc0	$t1, C0_ENTRYHI
	ehb
	tlbgwi
	addiu	$t0, $t0, 1
	bne	$t0, $s2, 3b
	addiu	$t1, $t1, 0x2000
	mtc0	$zero, C0_GUESTCTL1
	mtgc0	$zero, C0_WIRED
	ehb
	li	$t3, 0x20000021
	li	$t4, LO_RAM(0x01004000)
	li	$t5, LO_RAM(0x01004000)
	li	$t6, PM_4K
	VZ_RUN	g_tlbwr, 2
	/* Who owns what now: tlbgr every guest index, count RIDs. */
	li	$s0, 0			/* guest 2's */
	li	$s1, 0			/* guest 1's */
	li	$s3, 0			/* the evicted VPN2 */
	li	$t0, 0
4:	mtgc0	$t0, C0_INDEX
	ehb
	tlbgr
	ehb
	mfc0	$t1, C0_GUESTCTL1
	ext	$t1, $t1, 16, 8
	li	$t2, 2
	bne	$t1, $t2, 5f
	li	$t2, 1
	addiu	$s0, $s0, 1
	sll	$s3, $t0, 13		/* guest 1 had 0x10000000 + i * 0x2000 */
	li	$t3, 0x10000021
	addu	$s3, $s3, $t3
5:	bne	$t1, $t2, 6f
	nop
	addiu	$s1, $s1, 1
6:	addiu	$t0, $t0, 1
	bne	$t0, $s2, 4b
	nop
	mtc0	$zero, C0_GUESTCTL1
	ehb
	PUTS	"guest 2 tlbwr in a guest TLB full of guest 1's: guest 2 entries "
	PUTDEC	$s0
	PUTS	", guest 1 entries lost "
	subu	$t0, $s2, $s1
	PUTDEC	$t0
	NEWLINE
	move	$t3, $s3
	VZ_RUN	g_tlb_probe, 1
	PUTS	"  guest 1 tlbp of the evicted entry: P="
	srl	$t2, $t2, 31
	PUTHEX	$t2, 1
	NEWLINE

	/* ---------------------------------------------- shrinking page */
	li	$t0, GC1_RID(1)
	mtc0	$t0, C0_GUESTCTL1
	ehb
	tlbginvf
	li	$t0, GC1_RID(2)
	mtc0	$t0, C0_GUESTCTL1
	ehb
	tlbginvf
	mtc0	$zero, C0_GUESTCTL1
	ehb
	li	$t2, 5			/* guest 1: a 16K pair at guest index 5 */
	li	$t3, HI_GVA
	li	$t4, LO_RAM(0x01004000)
	li	$t5, LO_RAM(0x01008000)
	li	$t6, PM_16K
	VZ_RUN	g_tlb_write, 1
	li	$t2, 5			/* guest 2 takes index 5 */
	li	$t3, 0x00c00021
	li	$t4, LO_RAM(0x01004000)
	li	$t5, LO_RAM(0x01004000)
	li	$t6, PM_4K
	VZ_RUN	g_tlb_write, 2
	/* Root restores guest 1's context (PageMask 16K, Index 5). */
	li	$t0, PM_16K
	mtgc0	$t0, C0_PAGEMASK
	li	$t0, 5
	mtgc0	$t0, C0_INDEX
	li	$t3, HI_GVA
	VZ_RUN	g_shrink, 1
	PUTS	"shrinking page: guest 1 tlbp Index="
	PUTHEX	$t2
	PUTS	", then tlbr: PageMask 00006000 -> "
	PUTHEX	$t6
	PUTS	" EntryHi="
	PUTHEX	$t3
	NEWLINE

	lw	$ra, 0($sp)
	lw	$s0, 4($sp)
	lw	$s1, 8($sp)
	lw	$s2, 12($sp)
	lw	$s3, 16($sp)
	jr	$ra
	addiu	$sp, $sp, 24

/* Root tlbwi: index a0, RID a1, EntryHi t0, EntryLo0 t1, EntryLo1 t2. */
root_write:
	mtc0	$a0, C0_INDEX
	sll	$a1, $a1, 16
	mtc0	$a1, C0_GUESTCTL1
	mtc0	$t0, C0_ENTRYHI
	mtc0	$t1, C0_ENTRYLO0
	mtc0	$t2, C0_ENTRYLO1
	ehb
	tlbwi
	mtc0	$zero, C0_GUESTCTL1
	mtc0	$zero, C0_ENTRYHI
	jr.hb	$ra
	nop

/* Prints "P=1" if a0 (an Index) has P, else "index=<decimal>". */
put_index:
	addiu	$sp, $sp, -8
	sw	$ra, 0($sp)
	bgez	$a0, 1f
	nop
	PUTS	"P=1"
	b	2f
	nop
1:	PUTS	"index="
	PUTDEC	$a0
2:	lw	$ra, 0($sp)
	jr	$ra
	addiu	$sp, $sp, 8

/* Prints " EntryHi=t3 Lo0=t4 Lo1=t5 PageMask=t6" and a newline. */
print_t:
	addiu	$sp, $sp, -8
	sw	$ra, 0($sp)
	PUTS	" EntryHi="
	PUTHEX	$t3
	PUTS	" Lo0="
	PUTHEX	$t4
	PUTS	" Lo1="
	PUTHEX	$t5
	PUTS	" PageMask="
	PUTHEX	$t6
	NEWLINE
	lw	$ra, 0($sp)
	jr	$ra
	addiu	$sp, $sp, 8

/* ------------------------------------------------------------ guests */

g_read_odd:
	li	$t1, G_ODD
	lw	$t0, 0($t1)
	hypcall	0

g_s2_load:
	li	$t1, 0x84000000		/* GPA 0x04000000: not mapped */
g_s2_load_lw:
	lw	$t0, 8($t1)
	hypcall	0
g_s2_store:
	li	$t1, 0x84000000
g_s2_store_sw:
	sw	$t0, 12($t1)
	hypcall	0
g_s2_fetch:
	li	$t1, 0x84000100
	jr	$t1
	nop

g_s2_inv:
	li	$t1, 0x86000000
g_s2_inv_lw:
	lw	$t0, 0x10($t1)
	hypcall	0
g_s2_inv_st:
	li	$t1, 0x86000000
g_s2_inv_sw:
	sw	$t0, 0x14($t1)
	hypcall	0
g_s2_clean:
	li	$t1, 0x86001000
	lw	$t0, 0($t1)
g_s2_clean_hc:
	hypcall	0
g_s2_mod:
	li	$t1, 0x86001000
g_s2_mod_sw:
	sw	$t0, 0($t1)
	hypcall	0

/* tlbwi: Index t2, EntryHi t3, EntryLo0 t4, EntryLo1 t5, PageMask t6. */
g_tlb_write:
	mtc0	$t2, C0_INDEX
	mtc0	$t3, C0_ENTRYHI
	mtc0	$t4, C0_ENTRYLO0
	mtc0	$t5, C0_ENTRYLO1
	mtc0	$t6, C0_PAGEMASK
	ehb
	tlbwi
	ehb
g_tlb_write_hc:
	hypcall	0
/* tlbr of Index t2 (PageMask t6 first); t3..t6 = what it read. */
g_tlb_read:
	mtc0	$t6, C0_PAGEMASK
g_tlb_read_keep:			/* the same, PageMask as root left it */
	mtc0	$t2, C0_INDEX
	ehb
	tlbr
	ehb
	mfc0	$t3, C0_ENTRYHI
	mfc0	$t4, C0_ENTRYLO0
	mfc0	$t5, C0_ENTRYLO1
	mfc0	$t6, C0_PAGEMASK
	hypcall	0
/* tlbp of EntryHi t3; t2 = Index. */
g_tlb_probe:
	mtc0	$t3, C0_ENTRYHI
	ehb
	tlbp
	ehb
	mfc0	$t2, C0_INDEX
	hypcall	0
/* tlbwr of EntryHi t3, EntryLo0/1 t4/t5, PageMask t6. */
g_tlbwr:
	mtc0	$t3, C0_ENTRYHI
	mtc0	$t4, C0_ENTRYLO0
	mtc0	$t5, C0_ENTRYLO1
	mtc0	$t6, C0_PAGEMASK
	ehb
	tlbwr
	ehb
	hypcall	0

g_map_load:
	li	$t1, 0x00404010		/* odd 16K page of HI_GVA */
g_map_load_lw:
	lw	$t0, 0($t1)
g_map_load_hc:
	hypcall	0

g_refill_test:
	li	$t1, 0x21
	mtc0	$t1, C0_ENTRYHI
	li	$t1, 0xc0000000
	mtc0	$t1, C0_CONTEXT
	li	$t1, 0x00700008
	ehb
g_refill_lw:
	lw	$t0, 0($t1)
g_refill_hc:
	hypcall	0

g_inv:	li	$t1, 0x00500010
g_inv_lw:
	lw	$t0, 0($t1)
g_inv_hc:
	hypcall	0
g_mod:	li	$t1, 0x00501010
g_mod_sw:
	sw	$zero, 0($t1)
g_mod_hc:
	hypcall	0

/* The missed tlbp and the tlbr that follows anyway (EntryHi t3). */
g_shrink:
	mtc0	$t3, C0_ENTRYHI
	ehb
	tlbp
	ehb
	mfc0	$t2, C0_INDEX
	tlbr
	ehb
	mfc0	$t6, C0_PAGEMASK
	mfc0	$t3, C0_ENTRYHI
	hypcall	0

/* The guest's TLB refill handler: records in g_rf, maps the page, returns. */
g_refill:
	lui	$k0, %hi(g_rf)
	addiu	$k0, $k0, %lo(g_rf)
	lw	$k1, RF_COUNT($k0)
	addiu	$k1, $k1, 1
	sw	$k1, RF_COUNT($k0)
	mfc0	$k1, C0_CAUSE
	sw	$k1, RF_CAUSE($k0)
	mfc0	$k1, C0_EPC
	sw	$k1, RF_EPC($k0)
	mfc0	$k1, C0_BADVADDR
	sw	$k1, RF_BADVADDR($k0)
	mfc0	$k1, C0_ENTRYHI
	sw	$k1, RF_ENTRYHI($k0)
	mfc0	$k1, C0_CONTEXT
	sw	$k1, RF_CONTEXT($k0)
	lw	$k1, RF_LO($k0)
	mtc0	$k1, C0_ENTRYLO0
	mtc0	$k1, C0_ENTRYLO1
	mtc0	$zero, C0_PAGEMASK
	ehb
	tlbwr
	eret

	.bss
	.balign	4
g_rf:	.space	32
