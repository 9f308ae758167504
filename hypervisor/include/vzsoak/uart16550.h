/*
 * The registers of a 16550 UART as a driver sees them (eight byte-wide
 * registers, the divisor latch behind LCR.DLAB), with the interrupt
 * identification of two sources, "data ready" and "transmitter empty".
 * A file of both sides: vzsim's console UART (boards/sim/board/uart.c, with
 * its input, output and interrupt line) and the hypervisor's emulated UART
 * of a Linux guest (hypervisor/vuart.c) are this one model.
 *
 * The transmitter empties at once: a byte written to THR is sent (the
 * caller sends it) and "transmitter empty" is raised again; it is cleared by
 * reading IIR while it is the interrupt shown, as on the 16550.  Input is
 * the caller's: it says whether a byte is waiting.
 */
#ifndef VZSOAK_UART16550_H
#define VZSOAK_UART16550_H

#include <stdint.h>

enum uart16550_reg {
	UART_RBR_THR, UART_IER, UART_IIR_FCR, UART_LCR, UART_MCR, UART_LSR, UART_MSR, UART_SCR,
};
#define UART_IIR_NO_INT 0x01u
#define UART_IIR_THRI   0x02u
#define UART_IIR_RDI    0x04u
#define UART_LSR_DR     0x01u

struct uart16550 {
	uint8_t ier, fcr, lcr, mcr, scr, dll, dlm;
	int thre_pending;  /* "transmitter empty" until IIR shows it */
};

/* The interrupt IIR would show, by priority (data ready first), without
 * reading it; UART_IIR_NO_INT if none.  rx: a byte is waiting. */
uint8_t uart16550_pending(const struct uart16550 *u, int rx);
/* A read of register reg (0..7).  rx: a byte is waiting, and byte is it;
 * *took: the read took it (RBR). */
uint8_t uart16550_read(struct uart16550 *u, unsigned reg, int rx, uint8_t byte, int *took);
/* A write of register reg; 1 if val is a byte to send (THR). */
int uart16550_write(struct uart16550 *u, unsigned reg, uint8_t val);

#endif
