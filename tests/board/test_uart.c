/*
 * The console UART's interrupts (boards/sim/board/uart.c), register by
 * register as a 16550 driver sees them: IIR's identification and priority,
 * the "transmitter empty" interrupt raised by enabling it and by each byte
 * sent and cleared by reading IIR, "data ready" for input read ahead, and
 * the line driven only when it changes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "board/uart.h"

enum { THR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, LSR = 5 };

struct line {
	bool level;
	unsigned changes;
};

static void on_irq(void *ctx, bool level)
{
	struct line *l = ctx;
	assert_true(level != l->level); /* only changes are driven */
	l->level = level;
	l->changes++;
}

static uint8_t rd(struct uart *u, unsigned reg)
{
	uint32_t v;
	assert_true(u->dev.read(u->dev.ctx, reg, 1, &v));
	return (uint8_t)v;
}

static void wr(struct uart *u, unsigned reg, uint8_t v)
{
	assert_true(u->dev.write(u->dev.ctx, reg, 1, v));
}

static void setup(struct uart *u, struct line *l)
{
	uart_init(u);
	uart_set_output(u, NULL);
	*l = (struct line){0};
	u->irq = on_irq;
	u->irq_ctx = l;
}

static void test_no_interrupts_enabled(void **state)
{
	(void)state;
	struct uart u;
	struct line l;
	setup(&u, &l);
	wr(&u, THR, 'x');
	assert_int_equal(rd(&u, IIR), 0x01); /* none pending */
	assert_int_equal(l.changes, 0);
	wr(&u, FCR, 0x01); /* FIFOs on: IIR's top bits say so */
	assert_int_equal(rd(&u, IIR), 0xc1);
	assert_int_equal(rd(&u, LSR) & 0x60, 0x60);
}

static void test_transmitter_empty(void **state)
{
	(void)state;
	struct uart u;
	struct line l;
	setup(&u, &l);
	/* Enabling it with THR empty raises it at once. */
	wr(&u, IER, 0x02);
	assert_true(l.level);
	assert_int_equal(rd(&u, IIR), 0x02);
	/* Reading IIR while it is shown clears it. */
	assert_false(l.level);
	assert_int_equal(rd(&u, IIR), 0x01);
	/* Each byte sent empties THR again. */
	wr(&u, THR, 'a');
	assert_true(l.level);
	wr(&u, THR, 'b'); /* still up: not driven again */
	assert_int_equal(l.changes, 3);
	/* Disabling it drops the line; the condition stays for later. */
	wr(&u, IER, 0x00);
	assert_false(l.level);
	assert_int_equal(rd(&u, IIR), 0x01);
	wr(&u, IER, 0x02);
	assert_true(l.level);
	assert_int_equal(rd(&u, IIR), 0x02);
	assert_false(l.level);
	/* Writing the divisor latch (DLAB) sends nothing. */
	wr(&u, LCR, 0x80);
	wr(&u, THR, 1);
	wr(&u, LCR, 0x03);
	assert_false(l.level);
	assert_int_equal(rd(&u, IIR), 0x01);
}

static void test_data_ready_first(void **state)
{
	(void)state;
	struct uart u;
	struct line l;
	setup(&u, &l);
	char text[] = "hi";
	FILE *in = fmemopen(text, 2, "r");
	assert_non_null(in);
	uart_set_input(&u, in);
	wr(&u, IER, 0x03);
	assert_true(l.level); /* transmitter empty */
	/* Input is looked for when LSR is read, not behind the driver's back. */
	assert_int_equal(rd(&u, LSR) & 0x01, 0x01);
	/* Data ready outranks transmitter empty. */
	assert_int_equal(rd(&u, IIR), 0x04);
	assert_int_equal(rd(&u, THR), 'h');
	assert_int_equal(rd(&u, IIR), 0x02);
	assert_false(l.level);
	assert_int_equal(rd(&u, LSR) & 0x01, 0x01);
	assert_true(l.level);
	assert_int_equal(rd(&u, THR), 'i');
	assert_false(l.level);
	assert_int_equal(rd(&u, LSR) & 0x01, 0); /* the end of the input */
	assert_int_equal(rd(&u, IIR), 0x01);
	fclose(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_interrupts_enabled),
		cmocka_unit_test(test_transmitter_empty),
		cmocka_unit_test(test_data_ready_first),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
