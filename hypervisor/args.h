/*
 * The hypervisor's run-time parameters and their parser.  The text comes
 * from the boot-arguments block (include/vzsoak/bootargs.h), "key=value"
 * pairs separated by spaces.  Plain C with no library calls, so the same
 * file builds into the hypervisor and into the host unit tests.
 *
 *   guests=N        1..8 guests (default 4)
 *   seed=N          seed of the scheduling jitter (default 1)
 *   quantum=N       root Count ticks per time slice (default 20000)
 *   jitter=N        up to N ticks added to each slice, seeded (default 0)
 *   sched=rr|aim    round robin; aim: short random slices that keep
 *                   preempting guests until one is caught inside its TLB
 *                   exception handler (the race the soak looks for)
 *   preserve=on|off the TLB critical-section fix (default on)
 *   trace=on|off    program the trace unit and write UTMs (default on)
 *   trace-guests=M  bit mask of GuestIDs (bit g for GuestID g) to trace;
 *                   root is always traced (default: all)
 *   ri-exit=on|off  guest reserved instructions exit to root (GRR) instead
 *                   of going to the guest's own handler (default off)
 *   runtime=N       stop every guest still running after N root Count
 *                   ticks (0, the default: no limit)
 *   tlbp-check=off|index|on
 *                   the stress kernel's guest-side fix (default on):
 *                   off, Index.P checked after tlbp, or that and PageMask
 *                   and EntryHi put back after tlbr (docs/stress.md)
 *   crashme=N       words per crashme block in the stress kernel, 0..4096
 *                   (default 64; 0: no crashme)
 *   worker-pages=N  16K pages per pass of its memory worker, 0..512, even
 *                   (default 64; 0: no worker)
 *   rounds=N        rounds of worker + crashme the stress kernel runs before
 *                   it reports and stops (default 0: for ever)
 *   image=NAME      the guest image every guest runs (default "demo")
 *   gN=NAME         the image of GuestID N (1..8), overriding image=
 * Numbers are decimal or 0x-hex.
 */
#ifndef HV_ARGS_H
#define HV_ARGS_H

#include <stdint.h>

#define HV_MAX_GUESTS 8
#define HV_NAME_MAX   16

enum hv_sched { HV_SCHED_RR, HV_SCHED_AIM };

struct hv_args {
	unsigned guests;
	uint32_t seed;
	uint32_t quantum;
	uint32_t jitter;
	enum hv_sched sched;
	int preserve;
	int trace;
	uint32_t trace_guests;
	int ri_exit;
	uint32_t runtime;
	uint32_t tlbp_check;   /* GCONF_TLBP_* (include/vzsoak/hypercall.h) */
	uint32_t crashme;
	uint32_t worker_pages;
	uint32_t rounds;
	char image[HV_MAX_GUESTS][HV_NAME_MAX]; /* per guest, index GuestID-1 */
};

void hv_args_defaults(struct hv_args *a);

/* Parses text (NUL-terminated, at most max bytes read) over the current
 * values of a.  Returns 0, or -1 with a one-line reason in err (errlen
 * bytes, always NUL-terminated). */
int hv_args_parse(struct hv_args *a, const char *text, unsigned max,
		  char *err, unsigned errlen);

#endif
