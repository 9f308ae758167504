/*
 * exceptions.S: the privileged architecture's exception machinery as a
 * kernel meets it: eret with ERL (ErrorEPC), the boot vectors (BEV = 1),
 * the EBase vectors and moving EBase, the synchronous exceptions (Sys, Bp,
 * Tr, RI, CpU, Ov, AdEL/AdES with BadVAddr), exceptions in delay slots
 * (Cause.BD, EPC = the branch, restart of the branch), and a nested
 * exception taken with EXL set.
 */
#include "e2e.h"

	.text
	.globl	main
main:
	addiu	$sp, $sp, -16
	sw	$ra, 0($sp)
	sw	$s0, 4($sp)
	sw	$s1, 8($sp)

	/* ---------------------------------------------------- eret, ERL */
	/* ERL alone: eret goes to ErrorEPC and clears ERL. */
	li	$t0, ST_ERL
	mtc0	$t0, C0_STATUS
	la	$t0, erl_ok
	mtc0	$t0, C0_ERROREPC
	la	$t0, erl_bad
	mtc0	$t0, C0_EPC
	ehb
	eret
erl_bad:
	PUTSN	"eret with ERL: went to EPC"
	b	erl_next
	nop
erl_ok:
	mfc0	$t0, C0_STATUS
	andi	$t0, $t0, ST_ERL | ST_EXL
	CHECK($t0, 0)
	PUTSN	"eret with ERL: ErrorEPC, ERL cleared"
erl_next:
	/* ERL and EXL: ErrorEPC again, ERL cleared, EXL left set. */
	li	$t0, ST_ERL | ST_EXL
	mtc0	$t0, C0_STATUS
	la	$t0, erl2_ok
	mtc0	$t0, C0_ERROREPC
	la	$t0, erl_bad
	mtc0	$t0, C0_EPC
	ehb
	eret
erl2_ok:
	mfc0	$t0, C0_STATUS
	andi	$t0, $t0, ST_ERL | ST_EXL
	CHECK($t0, ST_EXL)
	mtc0	$zero, C0_STATUS
	ehb
	PUTSN	"eret with ERL+EXL: ErrorEPC, EXL kept"

	/* With ERL set kuseg is unmapped: 0x00100000 is the image's start. */
	li	$t0, ST_ERL
	mtc0	$t0, C0_STATUS
	ehb
	li	$t1, 0x00100000
	lw	$t2, 0($t1)
	mtc0	$zero, C0_STATUS
	ehb
	la	$t1, __image_start
	lw	$t3, 0($t1)
	CHECKR($t2, $t3)
	REPORT	"kuseg with ERL (unmapped)"

	/* ---------------------------------------------- boot vectors */
	li	$t0, ST_BEV
	mtc0	$t0, C0_STATUS
	ehb
bev_sys:
	syscall
	REPORT	"BEV=1 syscall", bev_sys
	li	$t1, 0x00400000
bev_refill:
	lw	$t2, 0($t1)
	REPORT	"BEV=1 kuseg load, empty TLB", bev_refill, 0x00400000
	/* Software interrupt 0: general vector, then +0x400 with IV. */
	li	$t0, ST_BEV | ST_IM(0) | ST_IE
	li	$t1, CA_IP(0)
	mtc0	$t1, C0_CAUSE
	mtc0	$t0, C0_STATUS		/* taken here (IE back to 0 after) */
	ehb
	mtc0	$zero, C0_CAUSE
	REPORT	"BEV=1 IV=0 interrupt"
	li	$t1, CA_IP(0) | CA_IV
	mtc0	$t1, C0_CAUSE
	mtc0	$t0, C0_STATUS
	ehb
	mtc0	$zero, C0_CAUSE
	REPORT	"BEV=1 IV=1 interrupt"
	mtc0	$zero, C0_STATUS
	ehb

	/* ---------------------------------------------- EBase vectors */
ebase_sys:
	syscall
	REPORT	"syscall", ebase_sys
	li	$t1, 0x00400000
ebase_refill:
	sw	$zero, 0($t1)
	REPORT	"kuseg store, empty TLB", ebase_refill, 0x00400000
	li	$t0, ST_IM(1) | ST_IE
	li	$t1, CA_IP(1)
	mtc0	$t1, C0_CAUSE
	mtc0	$t0, C0_STATUS
	ehb
	mtc0	$zero, C0_CAUSE
	REPORT	"IV=0 interrupt"
	li	$t1, CA_IP(1) | CA_IV
	mtc0	$t1, C0_CAUSE
	mtc0	$t0, C0_STATUS
	ehb
	mtc0	$zero, C0_CAUSE
	REPORT	"IV=1 VS=0 interrupt"
	mtc0	$zero, C0_STATUS
	ehb

	/*
	 * Moving EBase: tagged copies of the vector page at the reset value
	 * 0x80000000 (tag 1) and at 0x80040000 (tag 2).  EBase changes only
	 * with BEV = 1, as the architecture requires.
	 */
	li	$a0, 0x80000000
	jal	e2e_copy_vectors
	li	$a1, 0x1000
	li	$a0, 0x80040000
	jal	e2e_copy_vectors
	li	$a1, 0x2000
	li	$s0, 0x80040000
	jal	set_ebase
	move	$a0, $s0
	mfc0	$t0, C0_EBASE
	li	$t1, 0xfffff000
	and	$t0, $t0, $t1
	CHECKR($t0, $s0)
	mfc0	$t0, C0_EBASE
	andi	$t0, $t0, 0x3ff		/* CPUNum: one CPU, number 0 */
	CHECK($t0, 0)
reloc_sys1:
	syscall
	REPORT	"EBase=0x80040000 syscall", reloc_sys1
	li	$t1, 0x00400000
reloc_refill:
	lw	$t2, 0($t1)
	REPORT	"EBase=0x80040000 refill", reloc_refill, 0x00400000
	jal	set_ebase
	li	$a0, 0x80000000
reloc_sys2:
	break
	REPORT	"EBase=0x80000000 break", reloc_sys2
	la	$a0, e2e_vectors
	jal	set_ebase
	nop
reloc_sys3:
	syscall
	REPORT	"EBase restored syscall", reloc_sys3

	/* ---------------------------------------- synchronous exceptions */
x_break:
	break	7
	REPORT	"break", x_break
x_teq:
	teq	$zero, $zero
	REPORT	"teq taken", x_teq
	li	$t0, 5
	tne	$zero, $zero
	tgei	$t0, 6
	teqi	$t0, 4
	REPORT	"tne/tgei/teqi not taken"
x_tgei:
	tgei	$t0, 5
	REPORT	"tgei taken", x_tgei
x_tltu:
	li	$t1, -1
	tltu	$t0, $t1
	REPORT	"tltu taken", x_tltu + 4
x_ri:
	.word	0xec000000		/* major opcode 0x3b: reserved in r5 */
	REPORT	"reserved opcode", x_ri
x_ri2:
	.word	0x0000003f		/* dsra32: 64-bit only */
	REPORT	"dsra32 on MIPS32", x_ri2
x_cpu1:
	mfc1	$t0, $f0		/* Status.CU1 = 0 */
	REPORT	"mfc1 with CU1=0", x_cpu1
	jal	print_ce
	nop
x_cpu2:
	/* CpU with CE = 2 (the architecture; QEMU 7.2 raises RI). */
	.word	0x48000000		/* mfc2 zero, $0 with CU2 = 0 */
	REPORT	"mfc2 with CU2=0", x_cpu2
	jal	print_ce
	nop
	/* Overflow: the destination keeps its old value. */
	li	$t0, 0x7fffffff
	li	$t2, 0x1234
x_ov1:
	add	$t2, $t0, $t0
	REPORT	"add overflow", x_ov1
	CHECK($t2, 0x1234)
x_ov2:
	addi	$t2, $t0, 1
	REPORT	"addi overflow", x_ov2
	CHECK($t2, 0x1234)
	li	$t1, 0x80000000
x_ov3:
	sub	$t2, $t1, $t0
	REPORT	"sub overflow", x_ov3
	CHECK($t2, 0x1234)
	addu	$t2, $t0, $t0
	addiu	$t2, $t0, 1
	add	$t2, $t0, $zero
	REPORT	"addu/addiu/add no overflow"
	/* Address errors: BadVAddr is the faulting address. */
	la	$s0, scratch
x_adel1:
	lw	$t0, 1($s0)
	REPORT	"lw unaligned", x_adel1, scratch + 1
x_adel2:
	lh	$t0, 3($s0)
	REPORT	"lh unaligned", x_adel2, scratch + 3
x_ades1:
	sw	$t0, 2($s0)
	REPORT	"sw unaligned", x_ades1, scratch + 2
x_ades2:
	sh	$t0, 1($s0)
	REPORT	"sh unaligned", x_ades2, scratch + 1
	lb	$t0, 3($s0)
	lbu	$t0, 1($s0)
	sb	$t0, 2($s0)
	REPORT	"byte accesses any alignment"
	/* An unaligned jump target: AdEL on fetch, EPC = BadVAddr = target. */
	la	$t0, x_fetch_target + 2
	RESUME_AT x_fetch_back
	jr	$t0
	nop
x_fetch_target:
	nop
	nop
x_fetch_back:
	REPORT	"jr to unaligned target", x_fetch_target + 2, x_fetch_target + 2

	/* ------------------------------------------------- delay slots */
	RESUME_AT ds1_back
ds1_branch:
	beq	$zero, $zero, ds1_taken
	syscall
ds1_taken:
	PUTSN	"delay slot: branch taken after the exception?"
ds1_back:
	REPORT	"syscall in taken beq slot", ds1_branch
	li	$t0, 0
	RESUME_AT ds2_back
ds2_branch:
	bne	$t0, $zero, ds2_back
	break
ds2_back:
	REPORT	"break in not-taken bne slot", ds2_branch
	/*
	 * The same with a branch that can never be taken: its slot is still a
	 * delay slot.  (QEMU 7.2 translates bne zero, zero as a nop and
	 * reports bd=0, EPC = the break.)
	 */
	RESUME_AT ds2b_back
ds2b_branch:
	bne	$zero, $zero, ds2b_back
	break
ds2b_back:
	REPORT	"break in bne zero,zero slot", ds2b_branch
	la	$t9, ds3_back
	la	$s0, scratch
	RESUME_AT ds3_back
ds3_branch:
	jr	$t9
	lw	$t0, 1($s0)
ds3_back:
	REPORT	"lw AdEL in jr slot", ds3_branch, scratch + 1
	/* A nullified branch-likely slot raises nothing. */
	bnel	$zero, $zero, ds4_back
	syscall
ds4_back:
	REPORT	"syscall in nullified bnel slot"
	/*
	 * Restart: the handler fixes the address and returns to EPC, the jal
	 * itself, which runs again with its slot and gets to ds_func.
	 */
	la	$s0, scratch
	li	$t0, 0x5a5a1234
	sw	$t0, 0($s0)
	addiu	$s1, $s0, 1		/* unaligned until the handler fixes it */
	li	$t0, 0
	HOOK	GEN, fix_s1
ds5_branch:
	jal	ds_func
	lw	$t0, 0($s1)
	HOOK	GEN, 0
	CHECK($v0, 0x5a5a1235)
	REPORT	"jal slot restarted from EPC", ds5_branch, scratch + 1

	/* ------------------------------------------------- nested */
	HOOK	GEN, nested_outer
nested_sys:
	syscall
	REPORT	"nested break with EXL=1", nested_sys
	lui	$t0, %hi(e2e_exc + EXC_STATUS)
	lw	$t0, %lo(e2e_exc + EXC_STATUS)($t0)
	andi	$t0, $t0, ST_EXL
	CHECK($t0, ST_EXL)
	lui	$t0, %hi(nested_outer_ran)
	lw	$t0, %lo(nested_outer_ran)($t0)
	CHECK($t0, 1)

	lw	$ra, 0($sp)
	lw	$s0, 4($sp)
	lw	$s1, 8($sp)
	jr	$ra
	addiu	$sp, $sp, 16

/* EBase = a0, written with BEV = 1; leaves Status = 0. */
set_ebase:
	li	$t0, ST_BEV
	mtc0	$t0, C0_STATUS
	ehb
	mtc0	$a0, C0_EBASE
	ehb
	mtc0	$zero, C0_STATUS
	jr.hb	$ra
	nop

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

ds_func:
	jr	$ra
	addiu	$v0, $t0, 1

/* Records the AdEL, then aligns s1 and restarts at EPC. */
fix_s1:
	lui	$k0, %hi(e2e_exc)
	addiu	$k0, $k0, %lo(e2e_exc)
	lw	$k1, EXC_COUNT($k0)
	addiu	$k1, $k1, 1
	sw	$k1, EXC_COUNT($k0)
	li	$k1, VEC_GENERAL
	sw	$k1, EXC_VEC($k0)
	mfc0	$k1, C0_CAUSE
	sw	$k1, EXC_CAUSE($k0)
	mfc0	$k1, C0_EPC
	sw	$k1, EXC_EPC($k0)
	mfc0	$k1, C0_BADVADDR
	sw	$k1, EXC_BADVADDR($k0)
	li	$k1, ~3
	and	$s1, $s1, $k1
	eret

/*
 * Outer handler of the nested test: saves EPC, lets a break be taken with
 * EXL = 1 (recorded by e2e_record, which comes back to nested_cont with
 * EXL clear), then returns past the syscall with the saved EPC.
 */
nested_outer:
	mfc0	$k0, C0_EPC
	lui	$k1, %hi(nested_epc)
	sw	$k0, %lo(nested_epc)($k1)
	lui	$k1, %hi(e2e_exc + EXC_HOOK_GEN)
	sw	$zero, %lo(e2e_exc + EXC_HOOK_GEN)($k1)
	la	$k0, nested_cont
	lui	$k1, %hi(e2e_exc + EXC_RESUME)
	sw	$k0, %lo(e2e_exc + EXC_RESUME)($k1)
	break
nested_cont:
	li	$k0, 1
	lui	$k1, %hi(nested_outer_ran)
	sw	$k0, %lo(nested_outer_ran)($k1)
	lui	$k1, %hi(nested_epc)
	lw	$k0, %lo(nested_epc)($k1)
	addiu	$k0, $k0, 4
	mtc0	$k0, C0_EPC
	mfc0	$k0, C0_STATUS
	ori	$k0, $k0, ST_EXL
	mtc0	$k0, C0_STATUS
	ehb
	eret

	.data
	.balign	8
scratch:
	.word	0, 0
	.bss
nested_epc:
	.space	4
nested_outer_ran:
	.space	4
