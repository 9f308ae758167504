/*
 * lcg.S: the `make bench` workload.  A linear congruential generator
 * drives loads and stores into a 64-word array, ITERATIONS times round a
 * loop of fixed length, then the checksum goes to the UART and the run ends
 * through the Malta reset register.  MIPS32 Release 2 only, so the same
 * image runs on vzsim and on QEMU's 24Kc.
 *
 * scripts/bench.sh counts the loop's instructions (between lcg_loop and
 * lcg_loop_end, delay slot included) in the disassembly and multiplies by
 * ITERATIONS (override with -DITERATIONS=N): about 10^9 instructions.
 */
#ifndef ITERATIONS
#define ITERATIONS	83333333
#endif
#include <mips/cp0.h>

#include "lcg_loop.h"

	.set	noreorder
	.section .text.start, "ax"
	.globl	_start
_start:
	la	$sp, __stack
	mtc0	$zero, CP0_STATUS	/* kernel, ERL/EXL/IE off */
	ehb
	LCG_SETUP(array, ITERATIONS)
	LCG_LOOP

	b	report_and_reset
	nop

#include "report.S"

	/* A page of its own: stores next to code would measure each simulator's
	 * self-modifying-code path instead of its ordinary loads and stores. */
	.bss
	.balign	4096
array:	.space	256
