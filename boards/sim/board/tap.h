/*
 * The board's EJTAG TAP (tap.c): the IEEE 1149.1 controller, its 16 states
 * moved by TMS on TCK's rising edge, a 5-bit instruction register that
 * captures 0b00001 and holds IDCODE after Test-Logic-Reset, and the data
 * registers its instructions select.  Capture and shift happen on the
 * rising edge, Update-IR/DR and the new TDO on the falling one, as a probe
 * (OpenOCD's remote_bitbang) samples TDO while TCK is low.
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

/* EJTAG instruction codes (5 bits); any other selects BYPASS. */
#define EJTAG_IDCODE  0x01u
#define EJTAG_IMPCODE 0x03u
#define EJTAG_BYPASS  0x1fu
#define EJTAG_IR_LEN  5u
#define EJTAG_IR_CAPTURE 0x01u

struct tap {
	enum tap_state state;
	uint32_t ir;      /* the instruction in force */
	uint32_t ir_shift;
	uint64_t dr;      /* the selected data register's shift stage */
	unsigned dr_len;
	bool tck, tdo;
	uint32_t idcode, impcode;
};

/* Test-Logic-Reset, IDCODE selected (TRST, or power-up). */
void tap_reset(struct tap *t);
/* TCK's rising edge with TMS and TDI, then its falling edge. */
void tap_clock(struct tap *t, bool tms, bool tdi);
/* The state after TMS in state s. */
enum tap_state tap_next(enum tap_state s, bool tms);

#endif
