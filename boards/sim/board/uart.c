/* The 16550-compatible console UART (see uart.h for what it leaves out). */
#include "uart.h"

#include <unistd.h>

#define LCR_DLAB 0x80u

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

static void update_irq(struct uart *u)
{
	/* Only input already read ahead counts: looking for more here would
	 * make the line depend on when the host's input arrives. */
	bool level = uart16550_pending(&u->regs, u->rx >= 0) != UART_IIR_NO_INT;
	if (level != u->irq_level && u->irq) {
		u->irq_level = level;
		u->irq(u->irq_ctx, level);
	}
}

static uint8_t reg_read(struct uart *u, unsigned reg)
{
	reg &= 7;
	/* Input is looked for where a driver asks for it: RBR and LSR. */
	bool look = (reg == UART_RBR_THR && !(u->regs.lcr & LCR_DLAB)) || reg == UART_LSR;
	int rx = look ? rx_ready(u) : u->rx >= 0, took;
	uint8_t v = uart16550_read(&u->regs, reg, rx, (uint8_t)u->rx, &took);
	if (took)
		u->rx = RX_NONE;
	update_irq(u);
	return v;
}

static void reg_write(struct uart *u, unsigned reg, uint8_t val)
{
	if (uart16550_write(&u->regs, reg & 7, val) && u->out) {
		putc(val, u->out);
		if (val == '\n' && u->out_interactive)
			fflush(u->out);
	}
	update_irq(u);
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
