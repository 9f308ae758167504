/* flood: overwrites every entry of the guest TLB with its own (4K pages
 * at unique addresses), evicting whatever other guests had there. */
#include "guest.h"

int main(void)
{
	uint32_t n = ((read_c0(CP0_CONFIG1) >> 25) & 0x3f) + 1;

	write_c0(CP0_PAGEMASK, 0);
	for (uint32_t i = 0; i < n; i++) {
		write_c0(CP0_ENTRYHI, 0x10000000u + i * 0x2000u);
		write_c0(CP0_ENTRYLO0, ((0x00800000u >> 12) << 6) | 0x1e); /* C=3 D V */
		write_c0(CP0_ENTRYLO1, 0);
		write_c0(CP0_INDEX, i);
		__asm__ volatile("tlbwi\n\tehb" ::: "memory");
	}
	g_put_hex_line("flood: guest TLB entries written: ", n);
	return 0;
}
