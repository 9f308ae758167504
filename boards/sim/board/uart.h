/*
 * The console: a 16550-compatible UART (8 byte-wide registers, the model
 * of <vzsoak/uart16550.h>, which the hypervisor's emulated UART shares)
 * whose transmitter writes to a FILE* and whose receiver reads from one.
 * The interrupt identification (IIR) and the interrupt line follow the
 * 16550 for "transmitter empty" and "data ready" (an 8250 driver without a
 * line polls IIR); no modem lines, no loopback, no line-status interrupt.
 * The transmitter empties at once, so everything is deterministic.
 */
#ifndef VZSIM_UART_H
#define VZSIM_UART_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <vzsoak/uart16550.h>

#include "bus.h"

struct uart {
	FILE *out;          /* NULL discards output */
	FILE *in;           /* NULL: no input ever arrives */
	bool out_interactive; /* flush at every newline (a terminal) */
	int rx;             /* next input byte, or RX_NONE / RX_EOF */
	struct uart16550 regs; /* the registers (<vzsoak/uart16550.h>) */
	bool irq_level;     /* the line as last driven */
	/* Drives the interrupt line; NULL: not wired. */
	void (*irq)(void *ctx, bool level);
	void *irq_ctx;
	struct bus_device dev;
};

void uart_init(struct uart *u);
void uart_set_output(struct uart *u, FILE *out);
void uart_set_input(struct uart *u, FILE *in);
void uart_flush(struct uart *u);

#endif
