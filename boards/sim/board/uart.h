/*
 * The console: a 16550-compatible UART (8 byte-wide registers) whose
 * transmitter writes to a FILE* and whose receiver reads from one.  No
 * interrupts, no modem lines, no loopback: enough for bare-metal consoles
 * that poll LSR, and fully deterministic.
 */
#ifndef VZSIM_UART_H
#define VZSIM_UART_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bus.h"

struct uart {
	FILE *out;          /* NULL discards output */
	FILE *in;           /* NULL: no input ever arrives */
	bool out_interactive; /* flush at every newline (a terminal) */
	int rx;             /* next input byte, or RX_NONE / RX_EOF */
	uint8_t ier, fcr, lcr, mcr, scr, dll, dlm;
	struct bus_device dev;
};

void uart_init(struct uart *u);
void uart_set_output(struct uart *u, FILE *out);
void uart_set_input(struct uart *u, FILE *in);
void uart_flush(struct uart *u);

#endif
