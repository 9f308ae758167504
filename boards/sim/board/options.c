/*
 * Board options: the table --help prints and the parser behind
 * vzsim_board_opt().  Each option is an implementation-defined choice that
 * real cores make differently (docs/vzsim.md, "Board options").
 */
#include "board.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(TLBR_BAD_WRAP == 0 && TLBR_BAD_INVALID == 1 &&
		       TLBR_BAD_UNCHANGED == 2,
	       "tlbr-bad-index choices follow enum tlbr_bad_index");

static const struct vzsim_board_opt_info opt_table[] = {
	{"tlbr-bad-index", "wrap|invalid|unchanged", "wrap",
	 "what tlbr does when Index.P is set or Index >= entries: use Index "
	 "modulo entries (QEMU), read back the invalid-entry values, or leave "
	 "EntryHi/EntryLo/PageMask unchanged"},
	{"tlb-entries", "1..256", "64", "number of TLB entries (Config1.MMUSize+1)"},
	{"count-div", "1..256", "2", "instructions per Count increment"},
	{"tlb-mcheck", "on|off", "on",
	 "tlbwi/tlbwr writing an entry that duplicates a matching one raises "
	 "Machine Check (as the P5600 does)"},
	{"cpu-mhz", "1..10000", "1000",
	 "simulated clock (one instruction per cycle), for simulated time"},
	{"vz", "on|off", "on",
	 "the Virtualization ASE (Config3.VZ): guest mode, guest CP0, GuestID-tagged TLB"},
	{"tcb-size", "256..8388608 (a power of two)", "32768",
	 "bytes of on-chip trace memory in the TCB (TCBConfig.SZ)"},
	{"ejtag", "on|off", "off",
	 "EJTAG debug mode (Config1.EP): sdbbp, deret, hardware breakpoints, single "
	 "step and the probe's registers behind the TAP (vzsim --jtag turns it on); "
	 "off, sdbbp and deret are reserved instructions"},
	{"guest-tlb-entries", "1..256", "32",
	 "entries of the shared TLB that form the guest part (the top ones; at most "
	 "tlb-entries): guest Config1.MMUSize+1"},
	{"prid", "p5600|proaptiv", "p5600",
	 "what PRId reads (root and guest): the P5600 vzsim models, or a proAptiv's "
	 "(processor 0xA2), nothing else changed, for kernels built without MIPS32r5 "
	 "support, such as Debian's generic mips32r2el Linux (docs/linux.md)"},
	{"rixi-exc", "on|off", "on",
	 "PageGrain.IEC: RI/XI violations may raise their own exception codes "
	 "(TLBRI, TLBXI); off, IEC reads 0 and they raise TLBL/TLBS, as on cores "
	 "without it, and Linux then reads the entry back (tlbr) in its TLBL "
	 "handler, the path of the shrinking page (docs/linux.md)"},
};

const struct vzsim_board_opt_info *vzsim_board_opt_list(size_t *count)
{
	*count = sizeof opt_table / sizeof opt_table[0];
	return opt_table;
}

void board_opts_default(struct board_opts *o)
{
	o->tlbr_bad_index = TLBR_BAD_WRAP;
	o->tlb_entries = 64;
	o->count_div = 2;
	o->tlb_mcheck = true;
	o->cpu_mhz = 1000;
	o->vz = true;
	o->guest_tlb_entries = 32;
	o->tcb_size = 32768;
	o->ejtag = false;
	o->prid = PRID_P5600;
	o->rixi_exc = true;
}

/* A decimal number in lo..hi, nothing else around it. */
static bool parse_range(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
	char *end;
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = (unsigned)v;
	return true;
}

/* Index of value in a '|'-separated list of choices, or -1. */
static int parse_choice(const char *value, const char *choices)
{
	size_t vlen = strlen(value);
	int i = 0;
	for (const char *p = choices; *p; i++) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == vlen && memcmp(p, value, len) == 0)
			return i;
		p += len + (bar != NULL);
	}
	return -1;
}

int board_opts_set(struct board_opts *o, const char *name, const char *value,
		   char *err, size_t errlen)
{
	size_t n;
	const struct vzsim_board_opt_info *t = vzsim_board_opt_list(&n);
	const struct vzsim_board_opt_info *opt = NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			opt = &t[i];
	if (!opt) {
		snprintf(err, errlen, "unknown board option '%s' (see --help)",
			 name);
		return -1;
	}

	bool ok;
	unsigned v = 0;
	int c;
	if (strcmp(name, "tlbr-bad-index") == 0) {
		c = parse_choice(value, opt->values);
		ok = c >= 0;
		/* The choices are listed in enum tlbr_bad_index order. */
		if (ok)
			o->tlbr_bad_index = (enum tlbr_bad_index)c;
	} else if (strcmp(name, "tlb-mcheck") == 0) {
		c = parse_choice(value, opt->values);
		ok = c >= 0;
		if (ok)
			o->tlb_mcheck = c == 0;
	} else if (strcmp(name, "tlb-entries") == 0) {
		ok = parse_range(value, 1, TLB_MAX_ENTRIES, &v);
		if (ok)
			o->tlb_entries = v;
	} else if (strcmp(name, "vz") == 0) {
		c = parse_choice(value, opt->values);
		ok = c >= 0;
		if (ok)
			o->vz = c == 0;
	} else if (strcmp(name, "ejtag") == 0) {
		c = parse_choice(value, opt->values);
		ok = c >= 0;
		if (ok)
			o->ejtag = c == 0;
	} else if (strcmp(name, "tcb-size") == 0) {
		ok = parse_range(value, 256, 8u << 20, &v) && !(v & (v - 1));
		if (ok)
			o->tcb_size = v;
	} else if (strcmp(name, "guest-tlb-entries") == 0) {
		ok = parse_range(value, 1, TLB_MAX_ENTRIES, &v);
		if (ok)
			o->guest_tlb_entries = v;
	} else if (strcmp(name, "prid") == 0) {
		c = parse_choice(value, opt->values);
		ok = c >= 0;
		if (ok)
			o->prid = c == 0 ? PRID_P5600 : PRID_PROAPTIV;
	} else if (strcmp(name, "rixi-exc") == 0) {
		c = parse_choice(value, opt->values);
		ok = c >= 0;
		if (ok)
			o->rixi_exc = c == 0;
	} else if (strcmp(name, "count-div") == 0) {
		ok = parse_range(value, 1, 256, &v);
		if (ok)
			o->count_div = v;
	} else {
		ok = parse_range(value, 1, 10000, &v);
		if (ok)
			o->cpu_mhz = v;
	}
	if (!ok) {
		snprintf(err, errlen, "board option %s: bad value '%s' (want %s)",
			 name, value, opt->values);
		return -1;
	}
	return 0;
}
