/* wild: reads guest physical 0x01800000, past the end of its 16 MiB; the
 * hypervisor must stop it (and only it). */
#include "guest.h"

int main(void)
{
	uint32_t v;

	g_puts("reading outside my memory\n");
	__asm__ volatile(".set push\n\t.set noreorder\n\tnop\n\t"
			 "lw %0, 0(%1)\n\tnop\n\t.set pop"
			 : "=r"(v) : "r"(0x81800000u) : "memory");
	g_put_hex_line("not reached: ", v);
	return 0;
}
