/* The EJTAG TAP (tap.h) and its API (vzsim_jtag_*, vzsim.h). */
#include "tap.h"

#include "board.h"

enum tap_state tap_next(enum tap_state s, bool tms)
{
	/* IEEE 1149.1's diagram: [state][tms]. */
	static const enum tap_state next[16][2] = {
		[TAP_RESET] = {TAP_IDLE, TAP_RESET},
		[TAP_IDLE] = {TAP_IDLE, TAP_DR_SELECT},
		[TAP_DR_SELECT] = {TAP_DR_CAPTURE, TAP_IR_SELECT},
		[TAP_DR_CAPTURE] = {TAP_DR_SHIFT, TAP_DR_EXIT1},
		[TAP_DR_SHIFT] = {TAP_DR_SHIFT, TAP_DR_EXIT1},
		[TAP_DR_EXIT1] = {TAP_DR_PAUSE, TAP_DR_UPDATE},
		[TAP_DR_PAUSE] = {TAP_DR_PAUSE, TAP_DR_EXIT2},
		[TAP_DR_EXIT2] = {TAP_DR_SHIFT, TAP_DR_UPDATE},
		[TAP_DR_UPDATE] = {TAP_IDLE, TAP_DR_SELECT},
		[TAP_IR_SELECT] = {TAP_IR_CAPTURE, TAP_RESET},
		[TAP_IR_CAPTURE] = {TAP_IR_SHIFT, TAP_IR_EXIT1},
		[TAP_IR_SHIFT] = {TAP_IR_SHIFT, TAP_IR_EXIT1},
		[TAP_IR_EXIT1] = {TAP_IR_PAUSE, TAP_IR_UPDATE},
		[TAP_IR_PAUSE] = {TAP_IR_PAUSE, TAP_IR_EXIT2},
		[TAP_IR_EXIT2] = {TAP_IR_SHIFT, TAP_IR_UPDATE},
		[TAP_IR_UPDATE] = {TAP_IDLE, TAP_DR_SELECT},
	};
	return next[s][tms];
}

void tap_reset(struct tap *t)
{
	t->state = TAP_RESET;
	t->ir = EJTAG_IDCODE;
	t->ir_shift = 0;
	t->dr = 0;
	t->dr_len = 1;
	t->tdo = false;
}

/* Capture-DR: the selected register's value and length. */
static void capture_dr(struct tap *t)
{
	switch (t->ir) {
	case EJTAG_IDCODE:
		t->dr = t->idcode;
		t->dr_len = 32;
		break;
	case EJTAG_IMPCODE:
		t->dr = t->impcode;
		t->dr_len = 32;
		break;
	default: /* BYPASS, and every code the TAP does not implement */
		t->dr = 0;
		t->dr_len = 1;
		break;
	}
}

void tap_clock(struct tap *t, bool tms, bool tdi)
{
	/* Rising edge: the state's action, then the move. */
	switch (t->state) {
	case TAP_DR_CAPTURE:
		capture_dr(t);
		break;
	case TAP_DR_SHIFT:
		t->dr = (t->dr >> 1) | ((uint64_t)tdi << (t->dr_len - 1));
		break;
	case TAP_IR_CAPTURE:
		t->ir_shift = EJTAG_IR_CAPTURE;
		break;
	case TAP_IR_SHIFT:
		t->ir_shift = (t->ir_shift >> 1) | ((uint32_t)tdi << (EJTAG_IR_LEN - 1));
		break;
	default:
		break;
	}
	t->state = tap_next(t->state, tms);
	/* Falling edge: updates, and TDO for the probe to sample. */
	switch (t->state) {
	case TAP_RESET:
		t->ir = EJTAG_IDCODE;
		break;
	case TAP_IR_UPDATE:
		t->ir = t->ir_shift & ((1u << EJTAG_IR_LEN) - 1);
		break;
	default: /* the registers TAP implements now have no Update-DR action */
		break;
	}
	t->tdo = t->state == TAP_DR_SHIFT ? (t->dr & 1)
		 : t->state == TAP_IR_SHIFT ? (t->ir_shift & 1) : false;
}

bool vzsim_jtag_clock(vzsim *sim, bool tms, bool tdi)
{
	bool tdo = sim->tap.tdo;
	tap_clock(&sim->tap, tms, tdi);
	return tdo;
}

void vzsim_jtag_reset(vzsim *sim)
{
	tap_reset(&sim->tap);
}

int vzsim_rbb_feed(vzsim *sim, const char *in, size_t n, char *out, size_t *nout, bool *quit)
{
	struct tap *t = &sim->tap;
	*nout = 0;
	*quit = false;
	for (size_t i = 0; i < n; i++) {
		char c = in[i];
		if (c >= '0' && c <= '7') {
			unsigned v = (unsigned)(c - '0');
			bool tck = v & 4, tms = v & 2, tdi = v & 1;
			/* The TAP moves on TCK's rising edge. */
			if (tck && !t->tck)
				tap_clock(t, tms, tdi);
			t->tck = tck;
		} else if (c == 'R') {
			out[(*nout)++] = t->tdo ? '1' : '0';
		} else if (c >= 'r' && c <= 'u') {
			/* TRST (bit 1) asserted resets the TAP; SRST is the
			 * board's, which debug mode will take. */
			if ((c - 'r') & 2)
				tap_reset(t);
		} else if (c == 'B' || c == 'b') {
			/* the probe's LED */
		} else if (c == 'Q') {
			*quit = true;
			return (int)i + 1;
		} else {
			return -(int)i - 1;
		}
	}
	return (int)n;
}
