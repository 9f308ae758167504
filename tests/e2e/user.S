/*
 * user.S: user mode as a kernel sets it up.  Enter with eret (EXL = 1,
 * KSU = 2, EPC = the user entry), come back with syscall; the user faults
 * a kernel must see: kseg0/kseg1/kseg2 accesses (AdEL/AdES with BadVAddr),
 * a jump into kseg0, CP0 use without Status.CU0 (CpU, CE = 0) and with it,
 * eret from user mode, a TLB miss and a write to a clean page in kuseg,
 * rdhwr with and without HWREna (CPUNum, SYNCI_Step, CC, CCRes, UserLocal),
 * a syscall in a delay slot, and a timer interrupt taken in user mode.
 *
 * The user code is the page user_page, mapped at 0x00400000 (ASID 1) with
 * a data page at 0x00401000 and a clean (D = 0) page at 0x00402000.
 */
#include "e2e.h"

#define UVA(sym)	((sym) - user_page + 0x00400000)
#define UDATA		0x00401000
#define UCLEAN		0x00402000
#define PA_UDATA	0x01002000
#define PA_UCLEAN	0x01003000
#define USER_ASID	1

/* User code first: UVA() needs its labels defined before use. */
	.section .text.user, "ax"
	.balign	4096
user_page:
u_syscall:
	li	$v0, 0x1234
u_syscall_insn:
	syscall
u_syscall_ds:
	beq	$zero, $zero, 1f
	syscall
1:	b	.			/* not reached */
	nop

u_kseg0_load:
	lui	$t0, 0x8010
	lw	$t1, 0($t0)
	syscall
u_kseg1_store:
	lui	$t0, 0xa000
	sw	$t1, 16($t0)
	syscall
u_kseg2_load:
	lui	$t0, 0xc000
	lw	$t1, 0($t0)
	syscall
u_kseg3_load:
	lui	$t0, 0xe000
	lw	$t1, 0($t0)
	syscall
u_kseg0_jump:
	lui	$t0, 0x8010
	jr	$t0
	nop
u_kseg0_jump_back:
	syscall

u_mfc0:
	mfc0	$v0, C0_STATUS
	syscall
u_eret:
	eret
	syscall

u_data:
	lui	$t0, UDATA >> 16
	ori	$t0, $t0, UDATA & 0xffff
	li	$t1, 0x5eed0001
	sw	$t1, 0($t0)
	lw	$t2, 0($t0)
	syscall
u_clean:
	lui	$t0, UCLEAN >> 16
	ori	$t0, $t0, UCLEAN & 0xffff
	sw	$t1, 4($t0)
	syscall
u_miss:
	lui	$t0, 0x0080
	lw	$t1, 0($t0)
	syscall
u_code_store:
	lui	$t0, 0x0040
	sw	$zero, 0($t0)
	syscall
u_spin:
	li	$t0, 100000
1:	addiu	$t0, $t0, -1
	bnez	$t0, 1b
	nop
	syscall

u_rdhwr0:
	rdhwr	$t0, $0
	syscall
u_rdhwr29:
	rdhwr	$t0, $29
	syscall
u_rdhwr_all:
	lui	$t9, UDATA >> 16
	ori	$t9, $t9, UDATA & 0xffff
	rdhwr	$t0, $0
	sw	$t0, 0($t9)
	rdhwr	$t0, $1
	sw	$t0, 4($t9)
	rdhwr	$t0, $2
	sw	$t0, 8($t9)
	rdhwr	$t0, $3
	sw	$t0, 12($t9)
	rdhwr	$t0, $29
	sw	$t0, 16($t9)
	li	$t1, 200		/* let Count move */
2:	addiu	$t1, $t1, -1
	bnez	$t1, 2b
	nop
	rdhwr	$t1, $2
	lw	$t0, 8($t9)
	xor	$t1, $t1, $t0		/* nonzero if CC moved */
	sw	$t1, 20($t9)
	syscall

	.text
	.globl	main
main:
	addiu	$sp, $sp, -16
	sw	$ra, 0($sp)
	sw	$s0, 4($sp)
	sw	$s1, 8($sp)
	sw	$s2, 12($sp)

	/* Map the user pages (ASID 1, not global). */
	la	$t0, user_page
	li	$t1, 0x1fffffff
	and	$t0, $t0, $t1
	srl	$t0, $t0, 12
	sll	$t0, $t0, 6
	ori	$t0, $t0, LO_C | LO_V	/* code: read-only */
	mtc0	$t0, C0_ENTRYLO0
	li	$t0, LO_PFN(PA_UDATA) | LO_C | LO_D | LO_V
	mtc0	$t0, C0_ENTRYLO1
	li	$t0, 0x00400000 | USER_ASID
	mtc0	$t0, C0_ENTRYHI
	mtc0	$zero, C0_PAGEMASK
	li	$t0, 1
	mtc0	$t0, C0_INDEX
	ehb
	tlbwi
	li	$t0, LO_PFN(PA_UCLEAN) | LO_C | LO_V	/* D = 0 */
	mtc0	$t0, C0_ENTRYLO0
	mtc0	$zero, C0_ENTRYLO1
	li	$t0, 0x00402000 | USER_ASID
	mtc0	$t0, C0_ENTRYHI
	li	$t0, 2
	mtc0	$t0, C0_INDEX
	ehb
	tlbwi
	ehb
	HOOK	GEN, user_trap

	/* ---------------------------------------------- syscall */
	li	$v0, 0
	li	$a0, UVA(u_syscall)
	jal	run_user
	nop
	lui	$t0, %hi(user_sys_status)
	lw	$s0, %lo(user_sys_status)($t0)
	lui	$t0, %hi(user_sys_epc)
	lw	$s1, %lo(user_sys_epc)($t0)
	PUTS	"user syscall: Status.KSU="
	srl	$t0, $s0, 3
	andi	$t0, $t0, 3
	PUTHEX	$t0, 1
	PUTS	" EXL="
	srl	$t0, $s0, 1
	andi	$t0, $t0, 1
	PUTHEX	$t0, 1
	PUTS	" ERL="
	srl	$t0, $s0, 2
	andi	$t0, $t0, 1
	PUTHEX	$t0, 1
	PUTSN	""
	li	$t0, UVA(u_syscall_insn)
	CHECKR($s1, $t0)
	CHECK($v0, 0x1234)		/* registers cross the boundary */
	mfc0	$t0, C0_STATUS
	andi	$t0, $t0, ST_KSU | ST_EXL | ST_ERL
	CHECK($t0, 0)			/* back in kernel mode */
	/* In the delay slot of a taken branch: BD, EPC = the branch. */
	li	$a0, UVA(u_syscall_ds)
	jal	run_user
	nop
	lui	$t0, %hi(user_sys_cause)
	lw	$s0, %lo(user_sys_cause)($t0)
	lui	$t0, %hi(user_sys_epc)
	lw	$s1, %lo(user_sys_epc)($t0)
	PUTS	"user syscall in a delay slot: BD="
	srl	$t0, $s0, 31
	PUTHEX	$t0, 1
	NEWLINE
	li	$t0, UVA(u_syscall_ds)
	CHECKR($s1, $t0)

	/* ------------------------------------- segments from user mode */
	li	$a0, UVA(u_kseg0_load)
	jal	run_user
	nop
	REPORT	"user load from kseg0", UVA(u_kseg0_load) + 4, 0x80100000
	li	$a0, UVA(u_kseg1_store)
	jal	run_user
	nop
	REPORT	"user store to kseg1", UVA(u_kseg1_store) + 4, 0xa0000010
	li	$a0, UVA(u_kseg2_load)
	jal	run_user
	nop
	REPORT	"user load from kseg2", UVA(u_kseg2_load) + 4, 0xc0000000
	li	$a0, UVA(u_kseg3_load)
	jal	run_user
	nop
	REPORT	"user load from kseg3", UVA(u_kseg3_load) + 4, 0xe0000000
	RESUME_AT UVA(u_kseg0_jump_back)
	li	$a0, UVA(u_kseg0_jump)
	jal	run_user
	nop
	REPORT	"user jump to kseg0", 0x80100000, 0x80100000

	/* ------------------------------------------------ CP0 */
	li	$a0, UVA(u_mfc0)
	jal	run_user
	nop
	REPORT	"user mfc0, CU0=0", UVA(u_mfc0)
	jal	print_ce
	nop
	li	$a0, UVA(u_eret)
	jal	run_user
	nop
	REPORT	"user eret, CU0=0", UVA(u_eret)
	jal	print_ce
	nop
	li	$a1, ST_CU0
	li	$a0, UVA(u_mfc0)
	jal	run_user_with
	nop
	REPORT	"user mfc0, CU0=1"
	PUTS	"  read Status.KSU="
	srl	$t0, $v0, 3
	andi	$t0, $t0, 3
	PUTHEX	$t0, 1
	PUTS	" CU0="
	srl	$t0, $v0, 28
	andi	$t0, $t0, 1
	PUTHEX	$t0, 1
	NEWLINE

	/* ------------------------------------------------ kuseg */
	li	$a0, UVA(u_data)
	jal	run_user
	nop
	REPORT	"user data page"
	li	$t0, 0x80000000 + PA_UDATA
	lw	$t0, 0($t0)
	CHECK($t0, 0x5eed0001)
	li	$a0, UVA(u_clean)
	jal	run_user
	nop
	REPORT	"user store to a clean page", UVA(u_clean) + 8, UCLEAN + 4
	li	$a0, UVA(u_miss)
	jal	run_user
	nop
	REPORT	"user load, no TLB entry", UVA(u_miss) + 4, 0x00800000
	lui	$t0, %hi(e2e_exc + EXC_ENTRYHI)
	lw	$t0, %lo(e2e_exc + EXC_ENTRYHI)($t0)
	CHECK($t0, 0x00800000 | USER_ASID)
	li	$a0, UVA(u_code_store)
	jal	run_user
	nop
	REPORT	"user store to its code page", UVA(u_code_store) + 4, 0x00400000
	/* A timer interrupt while user code runs: taken from user mode. */
	mfc0	$t0, C0_COUNT
	addiu	$t0, $t0, 2000
	mtc0	$t0, C0_COMPARE
	li	$a1, ST_IM(7) | ST_IE
	li	$a0, UVA(u_spin)
	jal	run_user_with
	nop
	mfc0	$t0, C0_COUNT
	li	$t1, 0x7fffffff
	addu	$t0, $t0, $t1
	mtc0	$t0, C0_COMPARE	/* acknowledge, push far away */
	REPORT	"timer interrupt in user mode"
	lui	$t0, %hi(e2e_exc + EXC_STATUS)
	lw	$t0, %lo(e2e_exc + EXC_STATUS)($t0)
	PUTS	"  Status.KSU="
	srl	$t1, $t0, 3
	andi	$t1, $t1, 3
	PUTHEX	$t1, 1
	PUTS	" EXL="
	srl	$t1, $t0, 1
	andi	$t1, $t1, 1
	PUTHEX	$t1, 1
	NEWLINE
	lui	$t0, %hi(e2e_exc + EXC_EPC)
	lw	$t0, %lo(e2e_exc + EXC_EPC)($t0)
	srl	$t0, $t0, 12
	CHECK($t0, 0x00400)		/* EPC in the user page */

	/* ------------------------------------------------ rdhwr */
	mtc0	$zero, C0_HWRENA
	ehb
	li	$a0, UVA(u_rdhwr0)
	jal	run_user
	nop
	REPORT	"user rdhwr $0, HWREna=0", UVA(u_rdhwr0)
	li	$a0, UVA(u_rdhwr29)
	jal	run_user
	nop
	REPORT	"user rdhwr $29, HWREna=0", UVA(u_rdhwr29)
	li	$t0, 0x2000000f		/* CPUNum, SYNCI_Step, CC, CCRes, ULR */
	mtc0	$t0, C0_HWRENA
	li	$t0, 0x7e57c0de
	mtc0	$t0, C0_USERLOCAL
	ehb
	li	$a0, UVA(u_rdhwr_all)
	jal	run_user
	nop
	REPORT	"user rdhwr, HWREna=0x2000000f"
	li	$s0, 0x80000000 + PA_UDATA
	lw	$t0, 0($s0)
	PUTS	"  CPUNum="
	PUTHEX	$t0
	rdhwr	$t1, $1
	lw	$t0, 4($s0)
	PUTS	" SYNCI_Step as in kernel: "
	xor	$t2, $t0, $t1
	jal	e2e_yesno
	sltiu	$a0, $t2, 1
	rdhwr	$t1, $3
	lw	$t0, 12($s0)
	PUTS	"  CCRes as in kernel: "
	xor	$t2, $t0, $t1
	jal	e2e_yesno
	sltiu	$a0, $t2, 1
	lw	$t1, 20($s0)		/* CC now xor CC before */
	PUTS	"  CC moves: "
	jal	e2e_yesno
	move	$a0, $t1
	lw	$t0, 16($s0)
	PUTS	"  UserLocal="
	PUTHEX	$t0
	NEWLINE
	mtc0	$zero, C0_HWRENA

	HOOK	GEN, 0
	mtc0	$zero, C0_ENTRYHI
	jal	e2e_tlb_clear
	nop
	lw	$ra, 0($sp)
	lw	$s0, 4($sp)
	lw	$s1, 8($sp)
	lw	$s2, 12($sp)
	jr	$ra
	addiu	$sp, $sp, 16

/*
 * Runs user code at a0 until it makes a syscall; run_user_with also sets
 * the Status bits in a1 (e.g. CU0).  User code keeps the kernel's sp.
 */
run_user:
	li	$a1, 0
run_user_with:
	la	$t0, 1f
	lui	$t1, %hi(user_return)
	sw	$t0, %lo(user_return)($t1)
	li	$t0, USER_ASID
	mtc0	$t0, C0_ENTRYHI
	ori	$t0, $a1, ST_KSU_USER | ST_EXL
	mtc0	$t0, C0_STATUS
	mtc0	$a0, C0_EPC
	ehb
	eret
1:	mtc0	$zero, C0_ENTRYHI
	jr.hb	$ra
	nop

/*
 * General-vector hook while user code runs: a syscall goes back to the
 * kernel (after run_user's eret) with its Status, Cause and EPC saved;
 * anything else is recorded by e2e_record, which resumes the user code.
 */
user_trap:
	mfc0	$k0, C0_CAUSE
	andi	$k1, $k0, CA_EXC_MASK
	xori	$k1, $k1, EXC_SYS << 2
	bnez	$k1, 1f
	lui	$k1, %hi(user_sys_cause)
	sw	$k0, %lo(user_sys_cause)($k1)
	mfc0	$k0, C0_STATUS
	lui	$k1, %hi(user_sys_status)
	sw	$k0, %lo(user_sys_status)($k1)
	mfc0	$k0, C0_EPC
	lui	$k1, %hi(user_sys_epc)
	sw	$k0, %lo(user_sys_epc)($k1)
	mfc0	$k0, C0_STATUS
	li	$k1, ~(ST_KSU | ST_CU0)
	and	$k0, $k0, $k1
	mtc0	$k0, C0_STATUS		/* kernel mode after the eret */
	lui	$k1, %hi(user_return)
	lw	$k0, %lo(user_return)($k1)
	mtc0	$k0, C0_EPC
	ehb
	eret
1:	la	$k0, e2e_record
	jr	$k0
	li	$k1, VEC_GENERAL

/* Prints "  ce=<Cause.CE of the last exception>". */
print_ce:
	lui	$t0, %hi(e2e_exc + EXC_CAUSE)
	lw	$t0, %lo(e2e_exc + EXC_CAUSE)($t0)
	srl	$t0, $t0, CA_CE_SHIFT
	andi	$t0, $t0, 3
	PUTS	"  ce="
	PUTHEX	$t0, 1
	NEWLINE
	jr	$ra
	nop

	.bss
	.balign	4
user_return:	.space	4
user_sys_status: .space	4
user_sys_cause:	.space	4
user_sys_epc:	.space	4
