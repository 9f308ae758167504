/* The JTAG TAP controller (tap.h) and its API (vzsim_jtag_*, vzsim.h). */
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
	t->dr[0] = t->dr[1] = 0;
	t->dr_len = 1;
	t->tdo = false;
	if (t->port.tlr)
		t->port.tlr(t->port.ctx);
}

/* One bit in at the top of an n-bit shift stage, bit 0 out. */
static void shift_dr(struct tap *t, bool tdi)
{
	unsigned top = t->dr_len - 1;
	t->dr[0] = (t->dr[0] >> 1) | (t->dr[1] << 63);
	t->dr[1] >>= 1;
	if (top < 64) {
		t->dr[0] = (t->dr[0] & ~(1ull << top)) | ((uint64_t)tdi << top);
		t->dr[1] = 0;
	} else {
		t->dr[1] = (t->dr[1] & ~(1ull << (top - 64))) | ((uint64_t)tdi << (top - 64));
	}
}

void tap_clock(struct tap *t, bool tms, bool tdi)
{
	/* Rising edge: the state's action, then the move. */
	switch (t->state) {
	case TAP_DR_CAPTURE:
		t->dr[0] = t->dr[1] = 0;
		t->dr_len = 1;
		if (t->port.capture)
			t->port.capture(t->port.ctx, t->ir, t->dr, &t->dr_len);
		break;
	case TAP_DR_SHIFT:
		shift_dr(t, tdi);
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
	enum tap_state before = t->state;
	t->state = tap_next(t->state, tms);
	/* Falling edge: updates, and TDO for the probe to sample. */
	switch (t->state) {
	case TAP_RESET:
		if (before != TAP_RESET)
			tap_reset(t);
		break;
	case TAP_IR_UPDATE:
		t->ir = t->ir_shift & ((1u << EJTAG_IR_LEN) - 1);
		if (t->port.update_ir)
			t->port.update_ir(t->port.ctx, t->ir);
		break;
	case TAP_DR_UPDATE:
		if (t->port.update)
			t->port.update(t->port.ctx, t->ir, t->dr, t->dr_len);
		break;
	default:
		break;
	}
	t->tdo = t->state == TAP_DR_SHIFT ? (t->dr[0] & 1)
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
			/* TRST (bit 1) and SRST (bit 0), 1 = asserted. */
			unsigned v = (unsigned)(c - 'r');
			ejtag_port_reset_lines(sim, v & 2, v & 1);
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
