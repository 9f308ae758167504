/*
 * cp0.h: the CP0 registers of MIPS32 Release 5 with the VZ ASE, and the
 * bits of them the project's target code (the hypervisor, its guests, the
 * stress kernel, the demo, the bench programs, the stand-in hypervisor)
 * and vzsim use: one header for C and assembly, so every program agrees
 * with the simulator on each number.  Values are the specification's.
 *
 * Naming, one rule for every register:
 *
 *   CP0_<REG>            the register as an operand of mfc0/mtc0 and
 *                        mfgc0/mtgc0: "$number, select".  Assembly writes
 *                        `mfc0 $t0, CP0_STATUS`; C goes through the
 *                        accessors at the end (read_c0(CP0_STATUS)).
 *   <R>_<FIELD>          a one-bit field: its mask in place (ST_EXL).
 *   <R>_<FIELD>_SHIFT    a wider field: its lowest bit number ...
 *   <R>_<FIELD>_MASK     ... and its mask in place;
 *   <R>_<FIELD>(v)       C only: the field's value in register value v.
 *   <R>_<VALUE>          a whole-register value (PM_16K).
 *
 * <R> is the register's short name, as Linux's mipsregs.h has most of
 * them: ST (Status), CAUSE, INDEX, ENTRYHI, ENTRYLO (EntryLo0/1), PM
 * (PageMask), PG (PageGrain), GC0 (GuestCtl0), GC0EXT (GuestCtl0Ext), GC1 (GuestCtl1).
 *
 * The bit values are plain numbers in assembly and unsigned in C (CP0_U),
 * so a mask keeps the type C code has always given it.  Exception codes
 * are in exc.def (exc.h for C).
 */
#ifndef MIPS_CP0_H
#define MIPS_CP0_H

#ifdef __ASSEMBLER__
#define CP0_U(x)	x
#else
#define CP0_U_(x)	x##u
#define CP0_U(x)	CP0_U_(x)
#endif

/* ------------------------------------------------------ registers */
#define CP0_INDEX		$0, 0
#define CP0_ENTRYLO0		$2, 0
#define CP0_ENTRYLO1		$3, 0
#define CP0_CONTEXT		$4, 0
#define CP0_CONTEXTCONFIG	$4, 1
#define CP0_USERLOCAL		$4, 2
#define CP0_PAGEMASK		$5, 0
#define CP0_PAGEGRAIN		$5, 1
#define CP0_WIRED		$6, 0
#define CP0_HWRENA		$7, 0
#define CP0_BADVADDR		$8, 0
#define CP0_BADINSTR		$8, 1
#define CP0_BADINSTRP		$8, 2
#define CP0_COUNT		$9, 0
#define CP0_ENTRYHI		$10, 0
#define CP0_GUESTCTL1		$10, 4	/* VZ, root only */
#define CP0_GUESTCTL2		$10, 5	/* VZ, root only */
#define CP0_COMPARE		$11, 0
#define CP0_GUESTCTL0EXT	$11, 4	/* VZ, root only */
#define CP0_STATUS		$12, 0
#define CP0_INTCTL		$12, 1
#define CP0_GUESTCTL0		$12, 6	/* VZ, root only */
#define CP0_GTOFFSET		$12, 7	/* VZ, root only */
#define CP0_CAUSE		$13, 0
#define CP0_EPC			$14, 0
#define CP0_PRID		$15, 0
#define CP0_EBASE		$15, 1
#define CP0_CONFIG		$16, 0
#define CP0_CONFIG1		$16, 1
#define CP0_CONFIG3		$16, 3
#define CP0_TRACECONTROL	$23, 1	/* PDtrace */
#define CP0_TRACECONTROL2	$23, 2
#define CP0_USERTRACEDATA1	$23, 3
#define CP0_ERROREPC		$30, 0
#define CP0_KSCRATCH1		$31, 2
#define CP0_KSCRATCH2		$31, 3
#define CP0_KSCRATCH3		$31, 4
#define CP0_KSCRATCH4		$31, 5
#define CP0_KSCRATCH5		$31, 6
#define CP0_KSCRATCH6		$31, 7

/* ------------------------------------------------------ Status */
#define ST_IE		CP0_U(0x00000001)
#define ST_EXL		CP0_U(0x00000002)
#define ST_ERL		CP0_U(0x00000004)
#define ST_UM		CP0_U(0x00000010)	/* KSU = user */
#define ST_KSU_MASK	CP0_U(0x00000018)
#define ST_IM_SHIFT	8
#define ST_IM_MASK	CP0_U(0x0000ff00)
#define ST_IM7		CP0_U(0x00008000)	/* the CP0 timer on these boards */
#define ST_BEV		CP0_U(0x00400000)

/* ------------------------------------------------------ Cause */
#define CAUSE_EXC_SHIFT	2
#define CAUSE_EXC_MASK	CP0_U(0x0000007c)
#define CAUSE_IP7	CP0_U(0x00008000)
#define CAUSE_TI	CP0_U(0x40000000)
#define CAUSE_BD	CP0_U(0x80000000)

/* ------------------------------------------------------ TLB */
#define INDEX_P		CP0_U(0x80000000)	/* tlbp found no match */
#define ENTRYLO_G	CP0_U(0x00000001)
#define ENTRYLO_V	CP0_U(0x00000002)
#define ENTRYLO_D	CP0_U(0x00000004)
#define ENTRYLO_C_SHIFT	3			/* cacheability: 3 cacheable */
#define ENTRYLO_C_MASK	CP0_U(0x00000038)
#define ENTRYLO_PFN_SHIFT 6
#define ENTRYHI_EHINV	CP0_U(0x00000400)
#define PM_4K		CP0_U(0x00000000)
#define PM_16K		CP0_U(0x00006000)
#define PM_16M		CP0_U(0x01ffe000)
#define PG_IEC		CP0_U(0x08000000)
#define PG_XIE		CP0_U(0x40000000)
#define PG_RIE		CP0_U(0x80000000)

/* ------------------------------------------------------ VZ */
#define GC0_GEXC_SHIFT	2
#define GC0_GEXC_MASK	CP0_U(0x0000007c)
#define GC0_CF		CP0_U(0x00800000)
#define GC0_CG		CP0_U(0x01000000)
#define GC0_GT		CP0_U(0x02000000)
#define GC0_CP0		CP0_U(0x10000000)
#define GC0_RI		CP0_U(0x40000000)
#define GC0_GM		CP0_U(0x80000000)
#define GC1_RID_SHIFT	16

#ifndef __ASSEMBLER__
#include <stdint.h>

#define CAUSE_EXC(c)	(((c) >> CAUSE_EXC_SHIFT) & 0x1fu)
#define GC0_GEXC(g)	(((g) >> GC0_GEXC_SHIFT) & 0x1fu)

/* ------------------------------------------------------ accessors */
/* Target C code only.  reg is a CP0_<REG> name; every write is followed
 * by ehb so the next instruction sees it (the execution hazard barrier
 * MIPS32r2 and later require).  read_gc0/write_gc0: the guest context's
 * register, from root (VZ). */
#define CP0_STR_(...)	#__VA_ARGS__
#define CP0_STR(...)	CP0_STR_(__VA_ARGS__)
#define read_c0(reg) ({ uint32_t v__; \
	__asm__ volatile("mfc0 %0, " CP0_STR(reg) : "=r"(v__)); v__; })
#define write_c0(reg, val) \
	__asm__ volatile("mtc0 %z0, " CP0_STR(reg) "\n\tehb" \
			 :: "Jr"((uint32_t)(val)) : "memory")
#define read_gc0(reg) ({ uint32_t v__; \
	__asm__ volatile("mfgc0 %0, " CP0_STR(reg) : "=r"(v__)); v__; })
#define write_gc0(reg, val) \
	__asm__ volatile("mtgc0 %z0, " CP0_STR(reg) "\n\tehb" \
			 :: "Jr"((uint32_t)(val)) : "memory")
#endif

#endif
