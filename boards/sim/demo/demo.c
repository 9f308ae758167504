/*
 * The `make run` demo: a tour of the simulated board in a few lines of
 * freestanding C.  It identifies the CPU from PRId and Config*, maps a page
 * through the TLB and uses it, lets the Count/Compare timer wake it from
 * `wait` a few times, prints what it saw and ends the run through the Malta
 * reset register.  demo.S provides start-up and exception entry.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include <mips/cp0.h>

/* Malta devices, through uncached kseg1. */
#define UART_THR  ((volatile uint8_t *)0xb80003f8)
#define UART_LSR  ((volatile uint8_t *)0xb80003fd)
#define LSR_THRE  0x20
#define RESET_REG ((volatile uint32_t *)0xbf000500)
#define GORESET   0x42


/* ------------------------------------------------------------- console */
static void putc_(char c)
{
	while (!(*UART_LSR & LSR_THRE))
		;
	*UART_THR = (uint8_t)c;
}

static void puts_(const char *s)
{
	while (*s)
		putc_(*s++);
}

/* Unsigned v in base 10 or 16, at least width wide, padded with pad. */
static void put_num(uint32_t v, unsigned base, int width, char pad)
{
	char buf[12];
	int n = 0;
	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (width-- > n)
		putc_(pad);
	while (n)
		putc_(buf[--n]);
}

/* Enough printf for this file: %s %c %u %x with width and 0 flag. */
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			putc_(*fmt);
			continue;
		}
		char pad = ' ';
		int width = 0;
		if (*++fmt == '0')
			pad = '0', fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			int len = 0;
			while (s[len])
				len++;
			puts_(s);
			while (width-- > len)
				putc_(' ');
			break;
		}
		case 'c': putc_((char)va_arg(ap, int)); break;
		case 'u': put_num(va_arg(ap, uint32_t), 10, width, pad); break;
		case 'x': put_num(va_arg(ap, uint32_t), 16, width, pad); break;
		default: putc_(*fmt); break;
		}
	}
	va_end(ap);
}

static void __attribute__((noreturn)) board_reset(void)
{
	*RESET_REG = GORESET;
	for (;;)
		;
}

/* ------------------------------------------------------------ the CPU */
static uint32_t field(uint32_t v, unsigned lo, unsigned bits)
{
	return (v >> lo) & ((1u << bits) - 1);
}

/* "64 KiB, 4-way, 32-byte lines" from a Config1 cache field triple. */
static void say_cache(const char *name, uint32_t sets_f, uint32_t line_f,
		      uint32_t assoc_f)
{
	if (line_f == 0) {
		say("  %s none\n", name);
		return;
	}
	uint32_t sets = sets_f == 7 ? 32 : 64u << sets_f;
	uint32_t line = 2u << line_f, ways = assoc_f + 1;
	say("  %s %u KiB, %u-way, %u-byte lines\n", name,
	    sets * line * ways / 1024, ways, line);
}

static unsigned tlb_entries;

static void identify(void)
{
	uint32_t prid = read_c0(CP0_PRID), c0 = read_c0(CP0_CONFIG), c1 = read_c0(CP0_CONFIG1);
	uint32_t c3 = read_c0(CP0_CONFIG3);
	uint32_t comp = field(prid, 16, 8), imp = field(prid, 8, 8);

	say("PRId    %08x  %s, %s, revision %u.%u.%u\n", prid,
	    comp == 1 ? "MIPS Technologies" : "other company",
	    imp == 0xa8 ? "P5600" : "other core", field(prid, 5, 3),
	    field(prid, 2, 3), field(prid, 0, 2));
	static const char *const arch[] = {"Release 1", "Release 2..5",
					   "Release 6", "?"};
	say("Config  %08x  %s-endian MIPS%s %s, %s MMU, kseg0 %s\n", c0,
	    field(c0, 15, 1) ? "big" : "little",
	    field(c0, 13, 2) ? "64" : "32", arch[field(c0, 10, 3) & 3],
	    field(c0, 7, 3) == 1 ? "TLB" : "non-TLB",
	    field(c0, 0, 3) == 2 ? "uncached" : "cacheable");
	tlb_entries = field(c1, 25, 6) + 1;
	say("Config1 %08x  %u TLB entries, %s, %s\n", c1, tlb_entries,
	    field(c1, 0, 1) ? "FPU" : "no FPU",
	    field(c1, 1, 1) ? "EJTAG" : "no EJTAG");
	say_cache("I-cache", field(c1, 22, 3), field(c1, 19, 3),
		  field(c1, 16, 3));
	say_cache("D-cache", field(c1, 13, 3), field(c1, 10, 3),
		  field(c1, 7, 3));
	say("Config3 %08x ", c3);
	static const struct { unsigned bit; const char *name; } feat[] = {
		{23, "VZ"}, {5, "VInt"}, {6, "VEIC"}, {12, "RXI"},
		{13, "ULRI"}, {25, "SC"}, {28, "MSA"}, {29, "CMGCR"},
	};
	for (unsigned i = 0; i < sizeof feat / sizeof feat[0]; i++)
		if (field(c3, feat[i].bit, 1))
			say(" %s", feat[i].name);
	say("\n");
}

/* ------------------------------------------------------------- the TLB */
#define MAP_VA 0x00400000u  /* kuseg, so translated even in kernel mode */
#define MAP_PA 0x01000000u  /* 16 MiB into RAM, far from this program */
#define ASID   1u

static void tlb_write_index(unsigned index, uint32_t hi, uint32_t lo0,
			    uint32_t lo1)
{
	write_c0(CP0_INDEX, index);
	write_c0(CP0_ENTRYHI, hi);
	write_c0(CP0_ENTRYLO0, lo0);
	write_c0(CP0_ENTRYLO1, lo1);
	write_c0(CP0_PAGEMASK, 0); /* 4 KiB pages */
	__asm__ volatile("tlbwi\n\tehb" ::: "memory");
}

static void tlb_demo(void)
{
	/* Make every entry unmatchable first: a distinct kseg0 VPN each. */
	for (unsigned i = 0; i < tlb_entries; i++)
		tlb_write_index(i, 0x80000000u + (i << 13), 0, 0);

	/* Entry 0: the even page MAP_VA -> MAP_PA, cacheable, dirty, valid. */
	uint32_t lo0 = (MAP_PA >> 12) << 6 | 3u << 3 | 1u << 2 | 1u << 1;
	tlb_write_index(0, MAP_VA | ASID, lo0, 0);
	write_c0(CP0_ENTRYHI, ASID);

	static const char msg[] = "hello through the TLB";
	volatile char *va = (volatile char *)MAP_VA + 0x100;
	for (unsigned i = 0; i < sizeof msg; i++)
		va[i] = msg[i];

	/* The same bytes through kseg0, which maps physical memory directly. */
	const volatile char *pa = (const volatile char *)(0x80000000u + MAP_PA + 0x100);
	char back[sizeof msg];
	for (unsigned i = 0; i < sizeof msg; i++)
		back[i] = pa[i];

	write_c0(CP0_ENTRYHI, MAP_VA | ASID);
	__asm__ volatile("tlbp\n\tehb" ::: "memory");
	uint32_t index = read_c0(CP0_INDEX);
	write_c0(CP0_ENTRYHI, 0);
	say("TLB     entry %u maps %08x (ASID %u) -> physical %08x;\n"
	    "        wrote \"%s\" there, read \"%s\" through kseg0\n",
	    index, MAP_VA, ASID, MAP_PA, msg, back);
}

/* ----------------------------------------------------------- the timer */
#define TICKS  4
#define PERIOD 50000u  /* Count ticks between interrupts */

static volatile unsigned ticks;
static uint32_t tick_count[TICKS];

static const char *exc_name(unsigned code)
{
	static const char *const names[32] = {
#define EXC(code, sym, name) [code] = name,
#include <mips/exc.def>
	};
	return code < 32 && names[code] ? names[code] : "?";
}

/* Called by demo.S for every exception and interrupt. */
void demo_exception(uint32_t cause, uint32_t epc, uint32_t badvaddr);
void demo_exception(uint32_t cause, uint32_t epc, uint32_t badvaddr)
{
	unsigned code = field(cause, 2, 5);
	if (code == 0 && (cause & CAUSE_TI)) {
		uint32_t now = read_c0(CP0_COUNT);
		if (ticks < TICKS)
			tick_count[ticks++] = now;
		/* Periodic, as a kernel's tick: the next one is always set
		 * up, so a `wait` can never miss its wake-up. */
		write_c0(CP0_COMPARE, read_c0(CP0_COMPARE) + PERIOD);
		return;
	}
	say("\nunexpected exception %u (%s) at %08x, BadVAddr %08x: reset\n",
	    code, exc_name(code), epc, badvaddr);
	board_reset();
}

static void timer_demo(void)
{
	uint32_t start = read_c0(CP0_COUNT);
	write_c0(CP0_COMPARE, start + PERIOD);
	write_c0(CP0_STATUS, ST_IM7 | ST_IE);
	while (ticks < TICKS)
		__asm__ volatile("wait" ::: "memory");
	write_c0(CP0_STATUS, 0);

	say("Timer   %u interrupts on IP7, woken from wait, Compare step %u:\n",
	    TICKS, PERIOD);
	say("        tick  Count at interrupt  since the previous one\n");
	uint32_t prev = start;
	for (unsigned i = 0; i < TICKS; i++) {
		say("        %4u  %08x            %u\n", i + 1, tick_count[i],
		    tick_count[i] - prev);
		prev = tick_count[i];
	}
}

int main(void);
int main(void)
{
	say("vzsim demo: MIPS32r5 on a simulated Malta board\n\n");
	identify();
	tlb_demo();
	timer_demo();
	say("\nbye: writing 0x%x to the reset register\n", GORESET);
	board_reset();
}
