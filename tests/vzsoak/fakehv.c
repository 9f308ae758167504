/*
 * A stand-in for the reference hypervisor in the runner's own tests
 * (scripts/run-vzsoak-tests.sh).  It keeps the status block and one
 * statistics block per guest where and as the real hypervisor and the
 * stress kernel do (vzsoak/status.h, vzsoak/kstats.h), with made-up
 * counts, and misbehaves on demand, so that `vzsoak run` is tested against
 * every kind of flag, exactly and quickly, whatever state the real guest
 * kernel is in.  No guests really run: one round of a delay loop stands
 * for a round of every guest.
 *
 * It reads four of the boot arguments vzsoak passes: guests=, quantum=
 * (turns of the delay loop per round), tlbp-check= (the flavour each
 * guest's block reports running, as the stress kernel's does) and image=,
 * which picks what happens (the problems start at round TROUBLE, in one
 * guest):
 *   clean     heartbeats every round; after ROUNDS rounds every guest
 *             stops with status 0, the run is FINISHED, the board reset
 *   forever   as clean, but it never finishes
 *   pagemask  g2 reports ANOM_PAGEMASK, PageMask 0 (4K)
 *   lockup    g2's KS_REPEATS grows by 10 a round
 *   silent    g3 sends no more heartbeats
 *   exit      g1 stops with exit status 3
 *   killed    g4 is killed
 *   oldkernel g3's block says tlbp-check=off from the start, whatever
 *             was asked: a kernel that ignores the boot argument
 *   deadlock  wait with nothing able to wake the CPU
 *   reset     the board is reset with every guest running
 *   failed    the status block says FAILED at once; the board is reset
 *   nostatus  no status block: one console line and the reset, as the
 *             real hypervisor does when it refuses its boot arguments
 *   linuxpanic  its guests are named linux (Linux guests, whose consoles
 *             vzsoak reads): g2 prints a kernel panic and stops, g3
 *             stops without its init's last line, the others print it
 *             and stop at the end
 *   byseed    by the seed= argument, for the soak's tests (several seeds,
 *             some flagged): seed mod 4 = 1 pagemask, 3 lockup, else clean
 */
#include <stdint.h>

#include <vzsoak/bootargs.h>
#include <vzsoak/hypercall.h>
#include <vzsoak/kstats.h>
#include <vzsoak/status.h>

#define ROUNDS  60
#define TROUBLE 20
#define KSTATS_GPA 0x1000u
#define KSEG0 0x80000000u
#define UART_THR ((volatile uint8_t *)0xb80003f8)
#define RESET_REG ((volatile uint32_t *)0xbf000500)

static volatile struct status_block *const st =
	(volatile struct status_block *)STATUS_KSEG0;

static void puts_uart(const char *s)
{
	for (; *s; s++)
		*UART_THR = (uint8_t)*s;
}

/*
 * The start-up and exception entry are the demo's (boards/sim/demo/demo.S:
 * stack, .bss, EBase, main); the fake takes no exceptions, so one is a bug
 * in it: end the run.
 */
void demo_exception(uint32_t cause, uint32_t epc, uint32_t badvaddr);
void demo_exception(uint32_t cause, uint32_t epc, uint32_t badvaddr)
{
	(void)cause;
	(void)epc;
	(void)badvaddr;
	puts_uart("hv: fake: unexpected exception\n");
	*RESET_REG = 0x42;
	for (;;)
		;
}

static int same(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* The value of key= in the boot arguments, copied into buf ("" if none). */
static const char *arg(const char *key, char *buf, unsigned len)
{
	const volatile uint32_t *hdr = (const volatile uint32_t *)BOOTARGS_KSEG0;
	const char *text = (const char *)(BOOTARGS_KSEG0 + BOOTARGS_HEADER);
	buf[0] = 0;
	if (hdr[0] != BOOTARGS_MAGIC)
		return buf;
	for (const char *p = text; *p; ) {
		while (*p == ' ')
			p++;
		const char *k = key;
		while (*k && *p == *k) {
			p++;
			k++;
		}
		if (!*k && *p == '=') {
			unsigned n = 0;
			for (p++; *p && *p != ' ' && n + 1 < len; p++)
				buf[n++] = *p;
			buf[n] = 0;
			return buf;
		}
		while (*p && *p != ' ')
			p++;
	}
	return buf;
}

static uint32_t number(const char *s)
{
	uint32_t n = 0;
	for (; *s >= '0' && *s <= '9'; s++)
		n = n * 10 + (uint32_t)(*s - '0');
	return n;
}

static volatile uint32_t *kstats(unsigned i)
{
	return (volatile uint32_t *)(KSEG0 | (st->g[i].window_pa + KSTATS_GPA));
}

/* tlbp-check='s value as GCONF_TLBP_*: vzsoak passes off|index|on. */
static uint32_t flavour(const char *s)
{
	if (same(s, "off"))
		return GCONF_TLBP_OFF;
	if (same(s, "index"))
		return GCONF_TLBP_INDEX;
	return GCONF_TLBP_ON;
}

static void set_up(unsigned guests, const char *image, uint32_t tlbp)
{
	/* Linux guests (what vzsoak reads their consoles for) by name. */
	const char *name = same(image, "linuxpanic") ? "linux" : image;
	st->version = STATUS_VERSION;
	st->state = STATUS_RUNNING;
	st->guests = guests;
	for (unsigned i = 0; i < guests; i++) {
		volatile struct status_guest *g = &st->g[i];
		g->state = GSTATE_RUNNING;
		g->window_pa = 0x01000000u * (i + 1);
		g->kstats_gpa = KSTATS_GPA;
		g->kstats_words = KS_WORDS;
		for (unsigned c = 0; c + 1 < STATUS_NAME_MAX && name[c]; c++)
			g->image[c] = name[c];
		volatile uint32_t *ks = kstats(i);
		ks[KS_MAGIC] = KSTATS_MAGIC;
		ks[KS_VERSION] = KSTATS_VERSION;
		ks[KS_TLBP_CHECK] = i == 2 && same(image, "oldkernel") ?
			GCONF_TLBP_OFF : tlbp;
		ks[KS_BLOCK_WORDS] = 64;
	}
	/* The magic last: a reader trusts the block from then on. */
	st->magic = STATUS_MAGIC;
}

/* One round of guest i: the counts a healthy stress kernel would move. */
static void guest_round(unsigned i, uint32_t round, int heartbeat)
{
	volatile struct status_guest *g = &st->g[i];
	volatile uint32_t *ks = kstats(i);
	if (g->state != GSTATE_RUNNING)
		return;
	g->switched_in++;
	st->switches++;
	if (heartbeat) {
		g->heartbeats++;
		g->last_heartbeat = round;
		ks[KS_HEARTBEAT] = round;
	}
	ks[KS_REFILL] += 3;
	ks[KS_TLBL] += 2;
	ks[KS_MOD] += 1;
	ks[KS_PAGES_MAPPED] = round < 64 ? round : 64;
	ks[KS_BLOCKS]++;
	if (round % 5 == 0)
		ks[KS_TIMEOUTS]++;
	else if (round % 5 == 1)
		ks[KS_OUTCOME(4)]++;  /* AdEL */
	else if (round % 5 == 2)
		ks[KS_OUTCOME(10)]++; /* RI */
	else
		ks[KS_COMPLETED]++;
	ks[KS_PASSES] = round / 4;
	ks[KS_PAGES_TOUCHED] = round / 4 * 16;
}

int main(void)
{
	char image[STATUS_NAME_MAX], text[16];
	unsigned guests = number(arg("guests", text, sizeof text));
	uint32_t quantum = number(arg("quantum", text, sizeof text));
	uint32_t tlbp = flavour(arg("tlbp-check", text, sizeof text));
	arg("image", image, sizeof image);
	if (same(image, "byseed")) {
		static const char *const by[4] = {"clean", "pagemask", "clean", "lockup"};
		const char *pick = by[number(arg("seed", text, sizeof text)) % 4];
		unsigned c = 0;
		for (; pick[c]; c++)
			image[c] = pick[c];
		image[c] = 0;
	}
	if (guests < 1 || guests > STATUS_GUESTS)
		guests = 4;

	puts_uart("hv: fake hypervisor for vzsoak's tests\n");
	if (same(image, "nostatus")) {
		puts_uart("hv: bad boot arguments: nostatus asked for\n");
		return 0;
	}
	set_up(guests, image, tlbp);
	if (same(image, "failed")) {
		st->state = STATUS_FAILED;
		return 0;
	}
	int forever = same(image, "forever");
	for (uint32_t round = 1; forever || round <= ROUNDS; round++) {
		for (volatile uint32_t k = 0; k < quantum; k++)
			;
		int trouble = round >= TROUBLE;
		for (unsigned i = 0; i < guests; i++)
			guest_round(i, round, !(trouble && i == 2 && same(image, "silent")));
		if (!trouble)
			continue;
		if (same(image, "pagemask") && !st->g[1].anomalies) {
			volatile uint32_t *ks = kstats(1);
			ks[KS_PM_BAD] = 0;
			ks[KS_PM_BAD_COUNT] = 1;
			ks[KS_PM_BAD_EPC] = 0x0040404c;
			ks[KS_PM_BAD_BADVADDR] = 0x00481000;
			st->g[1].first_anomaly = st->g[1].last_anomaly = ANOM_PAGEMASK;
			st->g[1].first_detail = st->g[1].last_detail = 0;
			st->g[1].anomalies = 1;
		} else if (same(image, "lockup")) {
			volatile uint32_t *ks = kstats(1);
			ks[KS_REPEATS] += 10;
			ks[KS_LAST_EPC] = 0x0040404c;
			ks[KS_LAST_BADVADDR] = 0x00481000;
		} else if (same(image, "exit") && st->g[0].state == GSTATE_RUNNING) {
			st->g[0].exit_status = 3;
			st->g[0].state = GSTATE_STOPPED;
		} else if (same(image, "killed")) {
			st->g[3].state = GSTATE_KILLED;
		} else if (same(image, "deadlock")) {
			/* Status.IM is 0: nothing can end this wait. */
			__asm__ volatile("wait");
		} else if (same(image, "linuxpanic") && st->g[1].state == GSTATE_RUNNING) {
			puts_uart("g2: [    1.234567] Kernel panic - not syncing: Attempted to "
				  "kill init! exitcode=0x0000000b\n");
			st->g[1].state = GSTATE_STOPPED;
			st->g[2].state = GSTATE_STOPPED;
		} else if (same(image, "reset")) {
			return 0;
		}
	}
	for (unsigned i = 0; i < guests; i++)
		if (st->g[i].state == GSTATE_RUNNING)
		{
			if (same(image, "linuxpanic")) {
				char line[] = "gN: vzsoak-linux: done, 2.00 s after boot; resetting\n";
				line[1] = (char)('1' + i);
				puts_uart(line);
			}
			st->g[i].state = GSTATE_STOPPED;
		}
	st->state = STATUS_FINISHED;
	puts_uart("hv: all guests stopped\n");
	return 0;
}
