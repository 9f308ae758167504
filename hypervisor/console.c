/*
 * The console: the board's 16550 UART (Malta's, at physical 0x180003F8,
 * reached through kseg1 so it is never cached), the hypervisor's own
 * messages, and each guest's output, one line at a time behind a "gN: "
 * prefix so that interleaved guests stay readable.
 */
#include <stdarg.h>

#include <vzsoak/console.h>

#include "hv.h"

#define UART_BASE	0xb80003f8u
#define UART_THR	0
#define UART_LSR	5
#define LSR_THRE	0x20u

static volatile uint8_t *const uart = (volatile uint8_t *)UART_BASE;

void hv_putc(char c)
{
	/* A real 16550 takes a byte only when the holding register is
	 * empty; vzsim's always is, but the loop costs nothing there. */
	while (!(uart[UART_LSR] & LSR_THRE))
		;
	uart[UART_THR] = (uint8_t)c;
}

void hv_puts(const char *s)
{
	while (*s)
		hv_putc(*s++);
}

void hv_put_hex(uint32_t v)
{
	for (int i = 28; i >= 0; i -= 4)
		hv_putc("0123456789abcdef"[(v >> i) & 0xf]);
}

static unsigned dec_digits(uint32_t v, char *buf)
{
	unsigned n = 0;
	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return n;
}

void hv_put_dec_w(uint32_t v, unsigned width)
{
	char buf[10];
	unsigned n = dec_digits(v, buf);
	for (unsigned i = n; i < width; i++)
		hv_putc(' ');
	/* A number as wide as its column still stands apart from the one
	 * before it (a Linux guest's exits run to six and more digits). */
	if (width && n >= width)
		hv_putc(' ');
	while (n)
		hv_putc(buf[--n]);
}

void hv_put_dec(uint32_t v)
{
	hv_put_dec_w(v, 0);
}

void hv_put_str_w(const char *s, unsigned width)
{
	unsigned n = 0;
	for (; s[n]; n++)
		hv_putc(s[n]);
	for (; n < width; n++)
		hv_putc(' ');
}

/* A printf for the hypervisor's messages: %s %u %x (8 digits) %c %%. */
void hv_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			hv_putc(*fmt);
			continue;
		}
		switch (*++fmt) {
		case 's': hv_puts(va_arg(ap, const char *)); break;
		case 'u': hv_put_dec(va_arg(ap, uint32_t)); break;
		case 'x': hv_put_hex(va_arg(ap, uint32_t)); break;
		case 'c': hv_putc((char)va_arg(ap, int)); break;
		case '%': hv_putc('%'); break;
		default: hv_putc('?'); break;
		}
	}
	va_end(ap);
}

void guest_console_flush(struct vcpu *v)
{
	if (v->line_len == 0)
		return;
	hv_printf(CONSOLE_GUEST_PREFIX, v->id);
	for (unsigned i = 0; i < v->line_len; i++)
		hv_putc(v->line[i]);
	hv_putc('\n');
	v->line_len = 0;
}

/* Buffers a guest's bytes until a newline (or a full line), so the lines
 * of different guests never mix.  Control characters other than newline
 * and tab print as '.': a guest must not drive the terminal. */
void guest_console_write(struct vcpu *v, const char *buf, unsigned len)
{
	for (unsigned i = 0; i < len; i++) {
		char c = buf[i];
		if (c == '\n') {
			if (v->line_len == 0)
				hv_printf("g%u:\n", v->id);
			else
				guest_console_flush(v);
			continue;
		}
		if ((c < ' ' && c != '\t') || c > '~')
			c = '.';
		v->line[v->line_len++] = c;
		if (v->line_len == sizeof v->line)
			guest_console_flush(v);
	}
}
