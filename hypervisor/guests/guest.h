/*
 * guest.h: what a test guest can ask the hypervisor (hypervisor/
 * hypercall.c has the other side).  Arguments in a0/a1, result in v0.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdint.h>

#include <mips/cp0.h>
#include <vzsoak/hypercall.h>

/* code: an HC_ name (include/vzsoak/hypercall.h), expanded, then made
 * the immediate of the hypcall instruction. */
#define HC_STR_(x) #x
#define HC_STR(x) HC_STR_(x)
#define HYPERCALL2(code, x, y) ({                                          \
	register uint32_t a0__ __asm__("$4") = (uint32_t)(x);                 \
	register uint32_t a1__ __asm__("$5") = (uint32_t)(y);                 \
	register uint32_t v0__ __asm__("$2");                                 \
	__asm__ volatile("hypcall " HC_STR(code)                              \
			 : "=r"(v0__) : "r"(a0__), "r"(a1__) : "memory");     \
	v0__; })

static inline void g_write(const char *s, unsigned n) { HYPERCALL2(HC_CONSOLE, s, n); }
static inline void g_heartbeat(uint32_t n) { HYPERCALL2(HC_HEARTBEAT, n, 0); }
static inline void g_marker(uint32_t v) { HYPERCALL2(HC_MARKER, v, 0); }
static inline void g_anomaly(uint32_t code, uint32_t detail) { HYPERCALL2(HC_ANOMALY, code, detail); }
static inline void __attribute__((noreturn)) g_stop(uint32_t status)
{
	HYPERCALL2(HC_STOP, status, 0);
	for (;;)
		;
}
static inline void g_yield(void) { HYPERCALL2(HC_YIELD, 0, 0); }
static inline uint32_t g_kstats(const volatile uint32_t *ks, uint32_t words)
{
	return HYPERCALL2(HC_KSTATS, ks, words);
}
static inline uint32_t g_config(uint32_t key) { return HYPERCALL2(HC_CONFIG, key, 0); }

static inline void g_puts(const char *s)
{
	unsigned n = 0;
	while (s[n])
		n++;
	g_write(s, n);
}

/* "text<hex>\n" in one write, so the line is never split. */
static inline void g_put_hex_line(const char *text, uint32_t v)
{
	char buf[80];
	unsigned n = 0;
	while (*text && n < 60)
		buf[n++] = *text++;
	for (int i = 28; i >= 0; i -= 4)
		buf[n++] = "0123456789abcdef"[(v >> i) & 0xf];
	buf[n++] = '\n';
	g_write(buf, n);
}

#endif
