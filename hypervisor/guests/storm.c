/*
 * storm: a guest that lives in its TLB exception handler, to show what
 * sched=aim is for.  It touches a page whose entry is invalid, over and
 * over, with a delay loop between; each time its TLB Invalid handler
 * spends a little while (a shorter delay loop
 * standing in for a handler's page-table walk) before stepping over the
 * load.  A round-robin tick lands in the handler only by chance, in
 * proportion to the time spent there; sched=aim switches the guest out at
 * every tick that finds it there (the statistics' tlbh column).
 */
#include "guest.h"

#define VA		0x00400000u
#define ROUNDS		400u

volatile uint32_t storms;

/* The handler: k0/k1 only; the spin keeps the guest inside it (EXL set). */
__asm__(
	".set push\n.set noreorder\n"
	".globl guest_general\n"
	"guest_general:\n"
	"	li	$k0, 30\n"
	"1:	bnez	$k0, 1b\n"
	"	addiu	$k0, $k0, -1\n"
	"	la	$k1, storms\n"
	"	lw	$k0, 0($k1)\n"
	"	addiu	$k0, $k0, 1\n"
	"	sw	$k0, 0($k1)\n"
	"	mfc0	$k0, $14\n"	/* step over the faulting load */
	"	addiu	$k0, $k0, 4\n"
	"	mtc0	$k0, $14\n"
	"	ehb\n"
	"	eret\n"
	".set pop\n");

int main(void)
{
	uint32_t v;

	write_c0(CP0_PAGEMASK, 0);
	write_c0(CP0_ENTRYHI, VA);
	write_c0(CP0_ENTRYLO0, ((VA >> 12) << 6) | 0x1c); /* C=3, D, V clear: invalid */
	write_c0(CP0_ENTRYLO1, (((VA + 0x1000) >> 12) << 6) | 0x1c);
	write_c0(CP0_INDEX, 3);
	__asm__ volatile("tlbwi\n\tehb" ::: "memory");

	for (uint32_t i = 0; i < ROUNDS; i++) {
		/* Ten times as long outside the handler as inside it. */
		for (volatile uint32_t d = 0; d < 100; d++)
			;
		__asm__ volatile(".set push\n\t.set noreorder\n\tnop\n\t"
				 "lw %0, 0(%1)\n\tnop\n\t.set pop"
				 : "=r"(v) : "r"(VA) : "memory");
	}
	(void)v;
	g_put_hex_line("storm: TLB exceptions handled: ", storms);
	return 0;
}
