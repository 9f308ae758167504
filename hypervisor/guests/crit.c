/*
 * crit: the directed test of the TLB critical-section fix (with flood as
 * guest 2).  It writes an invalid 16K-page entry for VA 0x00400000 and
 * touches it; its TLB Invalid handler yields to the hypervisor first
 * thing (a switch inside the critical section, on demand), then does
 * what a Linux-like handler does: tlbp, and tlbr without checking
 * Index.P.  While it is out, flood overwrites every guest TLB entry.
 * preserve=on: the hypervisor put the entry back, tlbp finds it and tlbr
 * reads PageMask 16K.  preserve=off: tlbp misses and tlbr reads another
 * guest's entry: PageMask 4K, the shrinking page.
 */
#include "guest.h"

#define VA		0x00400000u

volatile uint32_t seen_index, seen_pagemask;

/* The handler: k0/k1 only, v0 kept across the hypercall. */
__asm__(
	".set push\n.set noreorder\n"
	".globl guest_general\n"
	"guest_general:\n"
	"	move	$k1, $v0\n"
	"	hypcall	6\n"		/* yield: switched out right here */
	"	move	$v0, $k1\n"
	"	tlbp\n"
	"	ehb\n"
	"	mfc0	$k0, $0\n"
	"	la	$k1, seen_index\n"
	"	sw	$k0, 0($k1)\n"
	"	tlbr\n"			/* Index.P not checked: the bug */
	"	ehb\n"
	"	mfc0	$k0, $5\n"
	"	la	$k1, seen_pagemask\n"
	"	sw	$k0, 0($k1)\n"
	"	mfc0	$k0, $14\n"	/* skip the faulting load */
	"	addiu	$k0, $k0, 4\n"
	"	mtc0	$k0, $14\n"
	"	ehb\n"
	"	eret\n"
	".set pop\n");

int main(void)
{
	uint32_t v;

	write_c0(CP0_PAGEMASK, PM_16K);
	write_c0(CP0_ENTRYHI, VA);
	write_c0(CP0_ENTRYLO0, ((VA >> 12) << 6) | 0x1c); /* C=3, D, V clear: invalid */
	write_c0(CP0_ENTRYLO1, (((VA + 0x4000) >> 12) << 6) | 0x1c);
	write_c0(CP0_INDEX, 5);
	__asm__ volatile("tlbwi\n\tehb" ::: "memory");
	write_c0(CP0_PAGEMASK, 0);

	g_puts("crit: touching an invalid 16K entry\n");
	__asm__ volatile(".set push\n\t.set noreorder\n\tnop\n\t"
			 "lw %0, 0(%1)\n\tnop\n\t.set pop"
			 : "=r"(v) : "r"(VA) : "memory");
	(void)v;
	g_put_hex_line("crit: index after tlbp: ", seen_index);
	g_put_hex_line("crit: pagemask after tlbr: ", seen_pagemask);
	g_puts(seen_index & 0x80000000u ? "crit: entry lost, page shrank\n"
					: "crit: entry kept\n");
	return 0;
}
