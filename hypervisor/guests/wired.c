/*
 * wired: a guest that relies on a wired TLB entry (with flood as guest 2).
 * It sets Wired = 1, writes guest TLB entry 0 mapping VA 0x00600000 to
 * guest physical 0x00200000, and reads words through it, yielding between
 * reads.  While it is out, flood overwrites every guest TLB entry, entry
 * 0 included.  A wired entry is never refilled (this guest has no refill
 * handler: a refill would report anomaly 0xe0 and stop it), so the reads
 * work only if the hypervisor wrote the entry back when it switched this
 * guest in again (vcpu.c, wired_save / wired_load).
 */
#include "guest.h"

#define VA		0x00600000u
#define GPA		0x00200000u
#define ROUNDS		20u

int main(void)
{
	volatile uint32_t *direct = (volatile uint32_t *)(0x80000000u | GPA);
	volatile uint32_t *mapped = (volatile uint32_t *)VA;
	unsigned bad = 0;

	for (uint32_t i = 0; i < ROUNDS; i++)
		direct[i] = 0x5a5a0000u | i;

	write_c0(CP0_WIRED, 1);                          /* Wired = 1 */
	write_c0(CP0_PAGEMASK, 0);                          /* 4K pages */
	write_c0(CP0_ENTRYHI, VA);
	write_c0(CP0_ENTRYLO0, ((GPA >> 12) << 6) | 0x1f);  /* C=3 D V G */
	write_c0(CP0_ENTRYLO1, 0x1);                        /* odd page: invalid, G */
	write_c0(CP0_INDEX, 0);
	__asm__ volatile("tlbwi\n\tehb" ::: "memory");

	g_puts("wired: entry 0 written, Wired = 1\n");
	for (uint32_t i = 0; i < ROUNDS; i++) {
		if (mapped[i] != (0x5a5a0000u | i))
			bad++;
		g_yield();
	}
	g_put_hex_line("wired: reads through the wired entry: ", ROUNDS);
	g_put_hex_line("wired: wrong values: ", bad);
	g_put_hex_line("wired: Wired now: ", read_c0(CP0_WIRED));
	return bad ? 1 : 0;
}
