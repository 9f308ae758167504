/*
 * The board's JTAG TAP controller (tap.c): the IEEE 1149.1 state machine,
 * its 16 states moved by TMS on TCK's rising edge, a 5-bit instruction
 * register that captures 0b00001 and holds IDCODE after Test-Logic-Reset,
 * and a data-register shift stage of up to 128 bits.  Capture and shift
 * happen on the rising edge, Update-IR/DR and the new TDO on the falling
 * one, as a probe (OpenOCD's remote_bitbang) samples TDO while TCK is low.
 * What the registers are is the port's business (ejtag_port.c): the TAP
 * asks it at Capture-DR and tells it at Update-DR and Update-IR.
 */
#ifndef BOARD_TAP_H
#define BOARD_TAP_H

#include <stdbool.h>
#include <stdint.h>

enum tap_state {
	TAP_RESET, TAP_IDLE,
	TAP_DR_SELECT, TAP_DR_CAPTURE, TAP_DR_SHIFT, TAP_DR_EXIT1, TAP_DR_PAUSE,
	TAP_DR_EXIT2, TAP_DR_UPDATE,
	TAP_IR_SELECT, TAP_IR_CAPTURE, TAP_IR_SHIFT, TAP_IR_EXIT1, TAP_IR_PAUSE,
	TAP_IR_EXIT2, TAP_IR_UPDATE,
};

#define EJTAG_IR_LEN  5u
#define EJTAG_IR_CAPTURE 0x01u
#define EJTAG_IDCODE  0x01u /* selected by Test-Logic-Reset */
#define TAP_DR_MAX    128u

/* The registers behind the TAP. */
struct tap_port {
	/* Capture-DR: the selected register's value (dr[0] bits 0..63, dr[1]
	 * the rest) and length in bits (1..TAP_DR_MAX). */
	void (*capture)(void *ctx, uint32_t ir, uint64_t dr[2], unsigned *len);
	/* Update-DR: the bits shifted in. */
	void (*update)(void *ctx, uint32_t ir, const uint64_t dr[2], unsigned len);
	/* Update-IR: the new instruction. */
	void (*update_ir)(void *ctx, uint32_t ir);
	/* Test-Logic-Reset entered (TMS or TRST). */
	void (*tlr)(void *ctx);
	void *ctx;
};

struct tap {
	enum tap_state state;
	uint32_t ir;      /* the instruction in force */
	uint32_t ir_shift;
	uint64_t dr[2];   /* the selected data register's shift stage */
	unsigned dr_len;
	bool tck, tdo;
	struct tap_port port;
};

/* Test-Logic-Reset, IDCODE selected (TRST, or power-up). */
void tap_reset(struct tap *t);
/* TCK's rising edge with TMS and TDI, then its falling edge. */
void tap_clock(struct tap *t, bool tms, bool tdi);
/* The state after TMS in state s. */
enum tap_state tap_next(enum tap_state s, bool tms);

#endif
