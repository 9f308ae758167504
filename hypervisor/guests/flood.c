/* flood: overwrites every entry of the guest TLB with its own (4K pages
 * at unique addresses), evicting whatever other guests had there. */
#include "guest.h"

int main(void)
{
	uint32_t n = ((mfc0(16, 1) >> 25) & 0x3f) + 1;

	mtc0(5, 0, 0);
	for (uint32_t i = 0; i < n; i++) {
		mtc0(10, 0, 0x10000000u + i * 0x2000u);
		mtc0(2, 0, ((0x00800000u >> 12) << 6) | 0x1e); /* C=3 D V */
		mtc0(3, 0, 0);
		mtc0(0, 0, i);
		__asm__ volatile("tlbwi\n\tehb" ::: "memory");
	}
	g_put_hex_line("flood: guest TLB entries written: ", n);
	return 0;
}
