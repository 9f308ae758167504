/*
 * The board's EJTAG TAP (vzsim_jtag_*, vzsim_rbb_feed): the IEEE 1149.1
 * state machine, the instruction register's capture and update, IDCODE
 * after Test-Logic-Reset, IMPCODE, BYPASS for the other codes, TRST, and
 * OpenOCD's remote_bitbang requests: TDO sampled with TCK low, 'R' answered
 * in order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <vzsim/vzsim.h>

static vzsim *board(void)
{
	struct vzsim_config cfg;
	vzsim_config_init(&cfg);
	cfg.ram_size = 1u << 20;
	char err[128];
	vzsim *sim = vzsim_new(&cfg, err, sizeof err);
	assert_non_null(sim);
	return sim;
}

/* TMS high five times: Test-Logic-Reset from anywhere; then Run-Test/Idle. */
static void to_idle(vzsim *sim)
{
	for (int i = 0; i < 5; i++)
		vzsim_jtag_clock(sim, true, false);
	vzsim_jtag_clock(sim, false, false);
}

/* From Run-Test/Idle: shift n bits of `in` (LSB first) through the IR
 * (ir) or the selected DR, back to Run-Test/Idle; returns what came out. */
static uint64_t scan(vzsim *sim, bool ir, uint64_t in, unsigned n)
{
	vzsim_jtag_clock(sim, true, false); /* Select-DR */
	if (ir)
		vzsim_jtag_clock(sim, true, false); /* Select-IR */
	vzsim_jtag_clock(sim, false, false); /* Capture */
	vzsim_jtag_clock(sim, false, false); /* Shift (captured) */
	uint64_t out = 0;
	for (unsigned i = 0; i < n; i++) {
		bool last = i == n - 1;
		bool tdo = vzsim_jtag_clock(sim, last, (in >> i) & 1); /* last: Exit1 */
		out |= (uint64_t)tdo << i;
	}
	vzsim_jtag_clock(sim, true, false);  /* Update */
	vzsim_jtag_clock(sim, false, false); /* Run-Test/Idle */
	return out;
}

static void test_idcode_after_reset(void **state)
{
	(void)state;
	vzsim *sim = board();
	to_idle(sim);
	assert_int_equal(scan(sim, false, 0, 32), 0x0000a5a1);
	/* Twice: Capture-DR loads it again. */
	assert_int_equal(scan(sim, false, 0xffffffffu, 32), 0x0000a5a1);
	vzsim_free(sim);
}

static void test_ir_capture_and_instructions(void **state)
{
	(void)state;
	vzsim *sim = board();
	to_idle(sim);
	/* Capture-IR loads 0b00001 whatever was there. */
	assert_int_equal(scan(sim, true, 0x03, 5), 0x01);
	assert_int_equal(scan(sim, false, 0, 32), 0); /* IMPCODE: no debug features yet */
	assert_int_equal(scan(sim, true, 0x01, 5), 0x01);
	assert_int_equal(scan(sim, false, 0, 32), 0x0000a5a1);
	vzsim_free(sim);
}

/* BYPASS, and a code the TAP does not implement: a one-bit register that
 * captures 0, so a pattern comes back one bit late. */
static void test_bypass(void **state)
{
	(void)state;
	vzsim *sim = board();
	to_idle(sim);
	uint32_t codes[] = {0x1f, 0x02, 0x17};
	for (size_t k = 0; k < 3; k++) {
		scan(sim, true, codes[k], 5);
		assert_int_equal(scan(sim, false, 0xb5, 8), (0xb5u << 1) & 0xff);
	}
	vzsim_free(sim);
}

static void test_reset_paths(void **state)
{
	(void)state;
	vzsim *sim = board();
	to_idle(sim);
	scan(sim, true, 0x1f, 5);
	to_idle(sim); /* TMS: Test-Logic-Reset selects IDCODE again */
	assert_int_equal(scan(sim, false, 0, 32), 0x0000a5a1);
	scan(sim, true, 0x1f, 5);
	vzsim_jtag_reset(sim); /* TRST */
	vzsim_jtag_clock(sim, false, false);
	assert_int_equal(scan(sim, false, 0, 32), 0x0000a5a1);
	vzsim_free(sim);
}

/* The IDCODE read as OpenOCD's remote_bitbang sends it: per bit a write
 * with TCK low, 'R', a write with TCK high. */
static void test_remote_bitbang(void **state)
{
	(void)state;
	vzsim *sim = board();
	char req[4096];
	size_t n = 0;
	req[n++] = 'B';
	req[n++] = 't'; /* TRST asserted */
	req[n++] = 'r'; /* released */
	/* tms sequence: 1 1 1 1 1 0 (idle) 1 (select-DR) 0 (capture) 0 (shift) */
	const char moves[] = {1, 1, 1, 1, 1, 0, 1, 0, 0};
	for (size_t i = 0; i < sizeof moves; i++) {
		req[n++] = (char)('0' + (moves[i] << 1));
		req[n++] = (char)('4' + (moves[i] << 1));
	}
	for (int i = 0; i < 32; i++) {
		int tms = i == 31;
		req[n++] = (char)('0' + (tms << 1));
		req[n++] = 'R';
		req[n++] = (char)('4' + (tms << 1));
	}
	req[n++] = '0';
	req[n++] = 'b';
	char out[64];
	size_t nout;
	bool quit;
	assert_int_equal(vzsim_rbb_feed(sim, req, n, out, &nout, &quit), (int)n);
	assert_false(quit);
	assert_int_equal(nout, 32);
	uint32_t id = 0;
	for (int i = 0; i < 32; i++) {
		assert_true(out[i] == '0' || out[i] == '1');
		id |= (uint32_t)(out[i] == '1') << i;
	}
	assert_int_equal(id, 0x0000a5a1);
	/* 'Q' ends the session; what follows is not read. */
	assert_int_equal(vzsim_rbb_feed(sim, "RQR", 3, out, &nout, &quit), 2);
	assert_true(quit);
	assert_int_equal(nout, 1);
	/* A byte that is not the protocol's: its place. */
	assert_int_equal(vzsim_rbb_feed(sim, "0R#", 3, out, &nout, &quit), -3);
	vzsim_free(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idcode_after_reset),
		cmocka_unit_test(test_ir_capture_and_instructions),
		cmocka_unit_test(test_bypass),
		cmocka_unit_test(test_reset_paths),
		cmocka_unit_test(test_remote_bitbang),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
