/* The 16550's registers (<vzsoak/uart16550.h>), both sides. */
#include <vzsoak/uart16550.h>

#define LCR_DLAB	0x80u
#define IER_RDI		0x01u
#define IER_THRI	0x02u
#define FCR_FIFO_EN	0x01u
#define IIR_FIFOS	0xc0u
#define LSR_IDLE	0x60u /* THRE, TEMT: the transmitter is always idle */
/* No modem attached: the lines a null-modem cable would hold up (CTS,
 * DSR, DCD), so drivers that wait for them do not hang. */
#define MSR_LINES_UP	0xb0u

uint8_t uart16550_pending(const struct uart16550 *u, int rx)
{
	if ((u->ier & IER_RDI) && rx)
		return UART_IIR_RDI;
	if ((u->ier & IER_THRI) && u->thre_pending)
		return UART_IIR_THRI;
	return UART_IIR_NO_INT;
}

uint8_t uart16550_read(struct uart16550 *u, unsigned reg, int rx, uint8_t byte, int *took)
{
	int dlab = u->lcr & LCR_DLAB;
	*took = 0;
	switch (reg & 7) {
	case UART_RBR_THR:
		if (dlab)
			return u->dll;
		*took = rx;
		return rx ? byte : 0;
	case UART_IER:
		return dlab ? u->dlm : u->ier;
	case UART_IIR_FCR: {
		uint8_t id = uart16550_pending(u, rx);
		if (id == UART_IIR_THRI)
			u->thre_pending = 0; /* shown: cleared */
		return id | ((u->fcr & FCR_FIFO_EN) ? IIR_FIFOS : 0);
	}
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		return LSR_IDLE | (rx ? UART_LSR_DR : 0);
	case UART_MSR:
		return MSR_LINES_UP;
	default:
		return u->scr;
	}
}

int uart16550_write(struct uart16550 *u, unsigned reg, uint8_t val)
{
	int dlab = u->lcr & LCR_DLAB;
	switch (reg & 7) {
	case UART_RBR_THR:
		if (dlab) {
			u->dll = val;
			return 0;
		}
		u->thre_pending = 1; /* sent at once: THR empty again */
		return 1;
	case UART_IER:
		if (dlab) {
			u->dlm = val;
		} else {
			/* Enabling the interrupt with THR empty raises it. */
			if ((val & IER_THRI) && !(u->ier & IER_THRI))
				u->thre_pending = 1;
			u->ier = val & 0x0f;
		}
		return 0;
	case UART_IIR_FCR:
		/* FIFO resets (bits 1, 2) have nothing to clear. */
		u->fcr = val & 0xc9;
		return 0;
	case UART_LCR:
		u->lcr = val;
		return 0;
	case UART_MCR:
		u->mcr = val & 0x1f;
		return 0;
	case UART_SCR:
		u->scr = val;
		return 0;
	default: /* LSR and MSR are read-only */
		return 0;
	}
}
