/*
 * The LCG loop of `make bench`, shared by lcg.S (root, and QEMU) and
 * lcg_guest.S (guest user mode on vzsim's VZ), so both measure the very
 * same instructions.  Registers: s0 LCG state, s1 the array, s2 iterations
 * left, s3 checksum, s4/s5 the LCG constants; t0-t2 scratch.  The loop is
 * lcg_loop .. lcg_loop_end (scripts/bench.sh counts it).
 */
#define LCG_SETUP(array, iterations)                                          \
	la	$s1, array;                                                   \
	li	$t0, 64;		/* clear it: no loader promises zeros */  \
	move	$t1, $s1;                                                     \
3:	sw	$zero, 0($t1);                                                \
	addiu	$t0, $t0, -1;                                                 \
	bnez	$t0, 3b;                                                      \
	addiu	$t1, $t1, 4;                                                  \
	li	$s0, 12345;		/* LCG state */                       \
	li	$s2, iterations;                                              \
	li	$s3, 0;			/* checksum */                        \
	li	$s4, 1664525;		/* multiplier, increment: Numerical */ \
	li	$s5, 1013904223		/* Recipes' 32-bit LCG */

#define LCG_LOOP                                                              \
	.globl	lcg_loop;                                                     \
lcg_loop:                                                                     \
	mul	$t0, $s0, $s4;                                                \
	addu	$s0, $t0, $s5;                                                \
	srl	$t1, $s0, 22;		/* top bits choose the word */        \
	andi	$t1, $t1, 0xfc;                                               \
	addu	$t1, $t1, $s1;                                                \
	lw	$t2, 0($t1);                                                  \
	addu	$t2, $t2, $s0;                                                \
	sw	$t2, 0($t1);                                                  \
	xor	$s3, $s3, $t2;                                                \
	addiu	$s2, $s2, -1;                                                 \
	bnez	$s2, lcg_loop;                                                \
	rotr	$s3, $s3, 1;		/* delay slot: runs every time */     \
	.globl	lcg_loop_end;                                                 \
lcg_loop_end:
