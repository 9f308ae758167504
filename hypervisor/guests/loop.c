/* loop: prints one line and spins forever; only the timer gets the CPU
 * back from it. */
#include "guest.h"

int main(void)
{
	g_puts("spinning forever\n");
	for (;;)
		__asm__ volatile("");
}
