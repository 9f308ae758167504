/* The 16550-compatible console UART (see uart.h for what it leaves out). */
#include "uart.h"

#include <unistd.h>

enum {
	REG_RBR_THR = 0, /* DLL when LCR.DLAB */
	REG_IER = 1,     /* DLM when LCR.DLAB */
	REG_IIR_FCR = 2,
	REG_LCR = 3,
	REG_MCR = 4,
	REG_LSR = 5,
	REG_MSR = 6,
	REG_SCR = 7,
};

#define LCR_DLAB 0x80u
#define LSR_DR   0x01u
#define LSR_THRE 0x20u
#define LSR_TEMT 0x40u
#define FCR_FIFO_EN 0x01u
#define IIR_NO_INT  0x01u
#define IIR_THRI    0x02u
#define IIR_RDI     0x04u
#define IER_RDI     0x01u
#define IER_THRI    0x02u
#define IIR_FIFOS   0xc0u
/* No modem attached: report the lines a null-modem cable would hold up
 * (CTS, DSR, DCD), so drivers that wait for them do not hang. */
#define MSR_LINES_UP 0xb0u

#define RX_NONE (-1) /* nothing read ahead yet */
#define RX_EOF  (-2) /* the input has ended: DR stays clear */

/* Reads ahead one input byte so LSR.DR can tell whether one is there. */
static bool rx_ready(struct uart *u)
{
	if (u->rx == RX_NONE && u->in) {
		int c = getc(u->in);
		if (c != EOF)
			u->rx = c;
		else if (feof(u->in))
			u->rx = RX_EOF;
		else
			clearerr(u->in); /* e.g. EINTR: try again next poll */
	}
	return u->rx >= 0;
}

/* The interrupt shown in IIR, by the 16550's priority (data ready
 * before transmitter empty); IIR_NO_INT if none. */
static uint8_t pending_int(struct uart *u)
{
	/* Only input already read ahead counts: looking for more here would
	 * make the line depend on when the host's input arrives. */
	if ((u->ier & IER_RDI) && u->rx >= 0)
		return IIR_RDI;
	if ((u->ier & IER_THRI) && u->thre_pending)
		return IIR_THRI;
	return IIR_NO_INT;
}

static void update_irq(struct uart *u)
{
	bool level = pending_int(u) != IIR_NO_INT;
	if (level != u->irq_level && u->irq) {
		u->irq_level = level;
		u->irq(u->irq_ctx, level);
	}
}

static uint8_t reg_read(struct uart *u, unsigned reg)
{
	bool dlab = u->lcr & LCR_DLAB;
	switch (reg) {
	case REG_RBR_THR:
		if (dlab)
			return u->dll;
		if (rx_ready(u)) {
			uint8_t c = (uint8_t)u->rx;
			u->rx = RX_NONE;
			update_irq(u);
			return c;
		}
		return 0;
	case REG_IER:
		return dlab ? u->dlm : u->ier;
	case REG_IIR_FCR: {
		uint8_t id = pending_int(u);
		if (id == IIR_THRI) {
			u->thre_pending = false;
			update_irq(u);
		}
		return id | ((u->fcr & FCR_FIFO_EN) ? IIR_FIFOS : 0);
	}
	case REG_LCR:
		return u->lcr;
	case REG_MCR:
		return u->mcr;
	case REG_LSR:
		/* The transmitter is always idle: output is written at once. */
		if (rx_ready(u)) {
			update_irq(u);
			return LSR_THRE | LSR_TEMT | LSR_DR;
		}
		return LSR_THRE | LSR_TEMT;
	case REG_MSR:
		return MSR_LINES_UP;
	default:
		return u->scr;
	}
}

static void reg_write(struct uart *u, unsigned reg, uint8_t val)
{
	bool dlab = u->lcr & LCR_DLAB;
	switch (reg) {
	case REG_RBR_THR:
		if (dlab) {
			u->dll = val;
		} else if (u->out) {
			putc(val, u->out);
			if (val == '\n' && u->out_interactive)
				fflush(u->out);
		}
		if (!dlab) {
			u->thre_pending = true; /* sent, THR empty again */
			update_irq(u);
		}
		break;
	case REG_IER:
		if (dlab) {
			u->dlm = val;
		} else {
			/* Enabling the interrupt with THR empty raises it. */
			if ((val & IER_THRI) && !(u->ier & IER_THRI))
				u->thre_pending = true;
			u->ier = val & 0x0f;
			update_irq(u);
		}
		break;
	case REG_IIR_FCR:
		/* FIFO resets (bits 1, 2) are accepted and have nothing to
		 * clear: input is read ahead one byte at a time. */
		u->fcr = val & 0xc9;
		break;
	case REG_LCR:
		u->lcr = val;
		break;
	case REG_MCR:
		u->mcr = val & 0x1f;
		break;
	case REG_SCR:
		u->scr = val;
		break;
	default: /* LSR and MSR are read-only */
		break;
	}
}

/* Wider accesses act as byte accesses to consecutive registers, low byte
 * first, the way a byte-wide device behind a wider bus sees them. */
static bool uart_bus_read(void *ctx, uint32_t off, unsigned size, uint32_t *val)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)reg_read(ctx, (off + i) & 7) << (8 * i);
	*val = v;
	return true;
}

static bool uart_bus_write(void *ctx, uint32_t off, unsigned size, uint32_t val)
{
	for (unsigned i = 0; i < size; i++)
		reg_write(ctx, (off + i) & 7, (uint8_t)(val >> (8 * i)));
	return true;
}

void uart_init(struct uart *u)
{
	*u = (struct uart){
		.rx = RX_NONE,
		.dev = {.name = "uart", .ctx = u, .read = uart_bus_read,
			.write = uart_bus_write},
	};
	uart_set_output(u, stdout);
}

void uart_set_output(struct uart *u, FILE *out)
{
	uart_flush(u);
	u->out = out;
	u->out_interactive = out && isatty(fileno(out));
}

void uart_set_input(struct uart *u, FILE *in)
{
	u->in = in;
	u->rx = RX_NONE;
}

void uart_flush(struct uart *u)
{
	if (u->out)
		fflush(u->out);
}
