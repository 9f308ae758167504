/*
 * vuart.c: a Linux guest's console UART, emulated on its accesses (exit.c
 * decodes them): the 16550's registers, and its "transmitter empty"
 * interrupt on the guest's IP2 through GuestCtl2.VIP, as the doorbell's
 * (irq.c; its device tree says so).  What the guest sends goes to its console
 * lines, "gN: " first, like a stress guest's hypercall output; it never
 * receives anything.
 */
#include "hv.h"

enum {
	REG_RBR_THR, REG_IER, REG_IIR_FCR, REG_LCR, REG_MCR, REG_LSR, REG_MSR, REG_SCR,
};
#define LCR_DLAB	0x80u
#define IER_THRI	0x02u
#define IIR_NO_INT	0x01u
#define IIR_THRI	0x02u
#define IIR_FIFOS	0xc0u
#define LSR_IDLE	0x60u /* THRE, TEMT: it sends at once */
#define MSR_LINES_UP	0xb0u /* CTS, DSR, DCD */
#define GC2_VIP_IP2	(1u << 10) /* GuestCtl2.VIP: bit 10 is guest IP2 */

/* The line follows the interrupt: up while it is enabled and pending.  v
 * is loaded (this runs in its exit), so GuestCtl2 is live. */
static void vuart_line(struct vcpu *v)
{
	const struct vuart *u = &v->uart;
	uint32_t gc2 = read_c0_guestctl2();
	if ((u->ier & IER_THRI) && u->thre_pending)
		gc2 |= GC2_VIP_IP2;
	else
		gc2 &= ~GC2_VIP_IP2;
	write_c0_guestctl2(gc2);
}

uint8_t vuart_read(struct vcpu *v, unsigned reg)
{
	struct vuart *u = &v->uart;
	int dlab = u->lcr & LCR_DLAB;
	switch (reg & 7) {
	case REG_RBR_THR: return dlab ? u->dll : 0;
	case REG_IER:     return dlab ? u->dlm : u->ier;
	case REG_IIR_FCR: {
		uint8_t fifo = (u->fcr & 1) ? IIR_FIFOS : 0;
		if ((u->ier & IER_THRI) && u->thre_pending) {
			u->thre_pending = 0; /* shown: cleared */
			vuart_line(v);
			return IIR_THRI | fifo;
		}
		return IIR_NO_INT | fifo;
	}
	case REG_LCR:     return u->lcr;
	case REG_MCR:     return u->mcr;
	case REG_LSR:     return LSR_IDLE;
	case REG_MSR:     return MSR_LINES_UP;
	default:          return u->scr;
	}
}

void vuart_write(struct vcpu *v, unsigned reg, uint8_t val)
{
	struct vuart *u = &v->uart;
	int dlab = u->lcr & LCR_DLAB;
	switch (reg & 7) {
	case REG_RBR_THR:
		if (dlab) {
			u->dll = val;
		} else {
			/* "\r\n" ends a line on a terminal; the console's
			 * lines end at the newline alone. */
			char c = (char)val;
			if (c != '\r')
				guest_console_write(v, &c, 1);
			u->thre_pending = 1; /* sent: THR empty again */
		}
		break;
	case REG_IER:
		if (dlab) {
			u->dlm = val;
		} else {
			if ((val & IER_THRI) && !(u->ier & IER_THRI))
				u->thre_pending = 1;
			u->ier = val & 0x0f;
		}
		break;
	case REG_IIR_FCR: u->fcr = val & 0xc9; break;
	case REG_LCR:     u->lcr = val; break;
	case REG_MCR:     u->mcr = val & 0x1f; break;
	case REG_SCR:     u->scr = val; break;
	default:          break; /* LSR, MSR: read-only */
	}
	vuart_line(v);
}
