/*
 * exits: one guest exit of each kind the hypervisor handles, in order:
 * GPSI (cache op, wait, mtc0 Count, mfc0 of a root-only register), GSFC
 * (mtc0 Status changing CU1), HC (heartbeat, marker, anomaly), and last
 * GRR (a reserved instruction; with ri-exit=on it stops this guest).
 * The GPA exit kind happens on the first access of every guest.
 */
#include "guest.h"

int main(void)
{
	__asm__ volatile("nop\n\tcache 0x15, 0($sp)\n\tnop" ::: "memory");
	g_puts("gpsi cache: ok\n");
	__asm__ volatile("nop\n\twait\n\tnop" ::: "memory");
	g_puts("gpsi wait: ok\n");

	write_c0(CP0_COUNT, 0x10000000u);
	uint32_t c = read_c0(CP0_COUNT);
	g_puts(c - 0x10000000u < 0x1000u ? "gpsi mtc0 count: ok\n" : "gpsi mtc0 count: BAD\n");
	g_put_hex_line("gpsi mfc0 tracecontrol: ", read_c0(CP0_TRACECONTROL));

	uint32_t st = read_c0(CP0_STATUS);
	write_c0(CP0_STATUS, st | 0x20000000u); /* CU1: a sensitive field */
	g_put_hex_line("gsfc status: ", read_c0(CP0_STATUS));

	g_heartbeat(1);
	g_marker(0xabc);
	g_anomaly(ANOM_GUEST_TEST, 0x88);
	g_puts("hc: ok\n");

	g_puts("grr: next\n");
	__asm__ volatile("nop\n\t.word 0x00000005\n\tnop"); /* SPECIAL funct 5 */
	g_puts("grr: not reached\n");
	return 0;
}
