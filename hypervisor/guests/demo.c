/*
 * demo: the guest `make run` boots four of.  It computes, prints a line
 * per round, sends heartbeats and a trace marker, runs a cache op and a
 * wait (both exit to the hypervisor as GPSI), then stops.
 */
#include "guest.h"

int main(void)
{
	uint32_t x = 1;

	g_puts("hello from a guest kernel\n");
	for (uint32_t round = 1; round <= 4; round++) {
		for (int i = 0; i < 20000; i++)
			x = x * 1103515245u + 12345u;
		g_heartbeat(round);
		g_put_hex_line("round done, x=", x);
	}
	g_marker(0x600d);
	/* Hit Writeback Invalidate D on our own stack: a GPSI exit. */
	__asm__ volatile("nop\n\tcache 0x15, 0($sp)\n\tnop" ::: "memory");
	/* Nothing to wait for: the hypervisor takes it as a yield. */
	__asm__ volatile("nop\n\twait\n\tnop" ::: "memory");
	g_puts("done\n");
	return 0;
}
