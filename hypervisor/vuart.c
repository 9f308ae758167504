/*
 * vuart.c: a Linux guest's console UART, emulated on its accesses (exit.c
 * decodes them): the 16550's registers (<vzsoak/uart16550.h>, vzsim's UART
 * too), and its "transmitter empty"
 * interrupt on the guest's IP2 through GuestCtl2.VIP, as the doorbell's
 * (irq.c; its device tree says so).  What the guest sends goes to its console
 * lines, "gN: " first, like a stress guest's hypercall output; it never
 * receives anything.
 */
#include "hv.h"


/* The line follows the interrupt: up while one is pending (the guest has
 * no input: only "transmitter empty").  v is loaded (this runs in its
 * exit), so GuestCtl2 is live. */
static void vuart_line(struct vcpu *v)
{
	uint32_t gc2 = read_c0_guestctl2();
	if (uart16550_pending(&v->uart, 0) != UART_IIR_NO_INT)
		gc2 |= GC2_VIP(VUART_IP);
	else
		gc2 &= ~GC2_VIP(VUART_IP);
	write_c0_guestctl2(gc2);
}

uint8_t vuart_read(struct vcpu *v, unsigned reg)
{
	int took;
	uint8_t val = uart16550_read(&v->uart, reg, 0, 0, &took);
	vuart_line(v);
	return val;
}

void vuart_write(struct vcpu *v, unsigned reg, uint8_t val)
{
	/* "\r\n" ends a line on a terminal; the console's lines end at
	 * the newline alone. */
	char c = (char)val;
	if (uart16550_write(&v->uart, reg, val) && c != '\r')
		guest_console_write(v, &c, 1);
	vuart_line(v);
}
