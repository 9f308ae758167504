/*
 * entry.S: into and out of user mode (kernel.h explains the model).
 *
 * enter_user(u) keeps the kernel's callee-saved registers in kctx, loads
 * the user registers from *u, sets EPC and Status (user mode, IE, IM7
 * for the guest timer, EXL until the eret) and erets.  user_exit is
 * where the exception handlers send an exception from user mode that the
 * kernel must see: with k0/k1 free and every other register the user's,
 * it stores them into the current uctx with EPC, Cause and BadVAddr, puts
 * the kernel's registers back and returns from enter_user with v0 =
 * Cause.  k0/k1 are the kernel's, as on any MIPS kernel.
 */
#include <mips/cp0.h>

#define ST_USER_RUN	(ST_IM7 | ST_UM | ST_EXL | ST_IE)
#define ST_MODE_BITS	(ST_KSU_MASK | ST_ERL | ST_EXL | ST_IE)

/* uctx offsets (kernel.h) */
#define U_GPR(n)	((n) * 4)
#define U_HI		128
#define U_LO		132
#define U_EPC		136
#define U_CAUSE		140
#define U_BADVADDR	144

	.set	noreorder
	.set	noat

	.macro	UREGS op, base
	\op	$1, U_GPR(1)(\base)
	\op	$2, U_GPR(2)(\base)
	\op	$3, U_GPR(3)(\base)
	\op	$4, U_GPR(4)(\base)
	\op	$5, U_GPR(5)(\base)
	\op	$6, U_GPR(6)(\base)
	\op	$7, U_GPR(7)(\base)
	\op	$8, U_GPR(8)(\base)
	\op	$9, U_GPR(9)(\base)
	\op	$10, U_GPR(10)(\base)
	\op	$11, U_GPR(11)(\base)
	\op	$12, U_GPR(12)(\base)
	\op	$13, U_GPR(13)(\base)
	\op	$14, U_GPR(14)(\base)
	\op	$15, U_GPR(15)(\base)
	\op	$16, U_GPR(16)(\base)
	\op	$17, U_GPR(17)(\base)
	\op	$18, U_GPR(18)(\base)
	\op	$19, U_GPR(19)(\base)
	\op	$20, U_GPR(20)(\base)
	\op	$21, U_GPR(21)(\base)
	\op	$22, U_GPR(22)(\base)
	\op	$23, U_GPR(23)(\base)
	\op	$24, U_GPR(24)(\base)
	\op	$25, U_GPR(25)(\base)
	\op	$28, U_GPR(28)(\base)
	\op	$29, U_GPR(29)(\base)
	\op	$30, U_GPR(30)(\base)
	\op	$31, U_GPR(31)(\base)
	.endm

	/* The kernel's callee-saved registers, sp and ra. */
	.macro	KREGS op, base
	\op	$16, 0(\base)
	\op	$17, 4(\base)
	\op	$18, 8(\base)
	\op	$19, 12(\base)
	\op	$20, 16(\base)
	\op	$21, 20(\base)
	\op	$22, 24(\base)
	\op	$23, 28(\base)
	\op	$28, 32(\base)
	\op	$29, 36(\base)
	\op	$30, 40(\base)
	\op	$31, 44(\base)
	.endm

	.text
	.globl	enter_user
	.type	enter_user, @function
enter_user:
	lui	$t0, %hi(kctx)
	addiu	$t0, $t0, %lo(kctx)
	KREGS	sw, $t0
	lui	$t0, %hi(cur_uctx)
	sw	$a0, %lo(cur_uctx)($t0)
	lw	$t0, U_HI($a0)
	mthi	$t0
	lw	$t0, U_LO($a0)
	mtlo	$t0
	lw	$t0, U_EPC($a0)
	mtc0	$t0, CP0_EPC
	mfc0	$t0, CP0_STATUS
	li	$t1, ~ST_MODE_BITS
	and	$t0, $t0, $t1
	ori	$t0, $t0, ST_USER_RUN
	mtc0	$t0, CP0_STATUS
	ehb
	move	$k0, $a0
	UREGS	lw, $k0
	eret
	.size	enter_user, . - enter_user

	.globl	user_exit
	.type	user_exit, @function
user_exit:
	lui	$k1, %hi(cur_uctx)
	lw	$k1, %lo(cur_uctx)($k1)
	UREGS	sw, $k1
	mfhi	$k0
	sw	$k0, U_HI($k1)
	mflo	$k0
	sw	$k0, U_LO($k1)
	mfc0	$k0, CP0_EPC
	sw	$k0, U_EPC($k1)
	mfc0	$k0, CP0_CAUSE
	sw	$k0, U_CAUSE($k1)
	mfc0	$k0, CP0_BADVADDR
	sw	$k0, U_BADVADDR($k1)
	lui	$k1, %hi(kctx)
	addiu	$k1, $k1, %lo(kctx)
	KREGS	lw, $k1
	mfc0	$v0, CP0_CAUSE
	jr	$ra
	nop
	.size	user_exit, . - user_exit

	.section .bss.entry, "aw", @nobits
	.balign	4
cur_uctx:	.space	4
kctx:		.space	48
