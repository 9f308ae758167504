/*
 * The reference hypervisor's run-time parameters and their parser.  The
 * text comes from the boot-arguments block (<vzsoak/bootargs.h>),
 * "key=value" pairs separated by spaces; the keys, their ranges, defaults
 * and help are in <vzsoak/bootargs.def>, and docs/hypervisor.md lists them.
 *
 * hypervisor/args.c implements it in plain C with no library calls, so the
 * same file builds into the hypervisor and, for the host, into
 * libbootargs.a: vzsoak checks a scenario's boot arguments and pdtrace flow
 * reads a capture's with exactly the code the hypervisor runs.
 * Numbers are decimal or 0x-hex.
 */
#ifndef VZSOAK_BOOTARGS_PARSE_H
#define VZSOAK_BOOTARGS_PARSE_H

#include <stdint.h>

#define HV_MAX_GUESTS 8
#define HV_NAME_MAX   16 /* an image name, with its NUL */

enum hv_sched { HV_SCHED_RR, HV_SCHED_AIM }; /* sched=, in CHOICES order */

enum bootarg_type { BA_NUMBER, BA_ONOFF, BA_CHOICE, BA_SET, BA_IMAGE, BA_GUEST_IMAGE };

/* inject=, in CHOICES order: bit i of the value is the i-th name (none,
 * bit 0, is never set: "none" is the empty set).  docs/hypervisor.md,
 * "Injected bugs". */
enum hv_inject {
	HV_INJECT_NONE, HV_INJECT_NO_PRESERVE, HV_INJECT_STALE_BADVADDR,
	HV_INJECT_STALE_ENTRYHI, HV_INJECT_GTOFFSET_LOST, HV_INJECT_STALE_INDEX,
	HV_INJECT_GUESTID_REUSE, HV_INJECT_WIRED_LOST, HV_INJECT_ROOT_FLUSH_MISSED,
	HV_INJECT_VIP_LOST, HV_INJECT_DSLOT_RESUME, HV_INJECT_TI_LOST,
};
#define HV_INJECTED(a, bug) (((a)->inject >> (bug)) & 1u)

#define BA_EVEN 1u
#define BA_MASK 2u

/* The parameters: one field per row of bootargs.def, numbers, on/off and
 * choices as uint32_t; image[] per guest, index GuestID-1 (image= sets
 * them all, gN= one). */
struct hv_args {
#define BA_FIELD_BA_NUMBER(f)      uint32_t f;
#define BA_FIELD_BA_ONOFF(f)       uint32_t f;
#define BA_FIELD_BA_CHOICE(f)      uint32_t f;
#define BA_FIELD_BA_SET(f)         uint32_t f;
#define BA_FIELD_BA_IMAGE(f)       char f[HV_MAX_GUESTS][HV_NAME_MAX];
#define BA_FIELD_BA_GUEST_IMAGE(f)
#define BOOTARG(key, field, type, ...) BA_FIELD_##type(field)
#include <vzsoak/bootargs.def>
#undef BOOTARG
#undef BA_FIELD_BA_NUMBER
#undef BA_FIELD_BA_ONOFF
#undef BA_FIELD_BA_CHOICE
#undef BA_FIELD_BA_SET
#undef BA_FIELD_BA_IMAGE
#undef BA_FIELD_BA_GUEST_IMAGE
};

/* One row of bootargs.def. */
struct bootarg {
	const char *key;
	enum bootarg_type type;
	uint32_t lo, hi;
	const char *def;     /* "": no default */
	unsigned flags;      /* BA_EVEN, BA_MASK */
	const char *choices; /* "a|b|c" (BA_ONOFF: "off|on") */
	const char *unit;
	const char *help;
	unsigned offset;     /* of its field in struct hv_args */
};

extern const struct bootarg bootarg_table[];
extern const unsigned bootarg_count;

/* The row of key (len bytes; "g3" finds the BA_GUEST_IMAGE row), or 0. */
const struct bootarg *bootarg_find(const char *key, unsigned len);

/* bootarg_value's results besides 0. */
#define BOOTARG_BAD (-1) /* not a value of the type, or out of range */
#define BOOTARG_ODD (-2) /* in range, but BA_EVEN and odd */

/*
 * One value (len bytes) of b: 0 with the number, on/off or choice index in
 * *out (an image name: its length), or BOOTARG_BAD or BOOTARG_ODD.
 */
int bootarg_value(const struct bootarg *b, const char *v, unsigned len,
		  uint32_t *out);

/* Every field to its default (bootargs.def's DEFAULT column). */
void hv_args_defaults(struct hv_args *a);

/* Parses text (NUL-terminated, at most max bytes read) over the current
 * values of a; a key given twice: the last one wins.  Returns 0, or -1
 * with a one-line reason in err (errlen bytes, always NUL-terminated). */
int hv_args_parse(struct hv_args *a, const char *text, unsigned max,
		  char *err, unsigned errlen);

#endif
