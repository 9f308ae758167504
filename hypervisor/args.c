/*
 * Boot-argument parsing (<vzsoak/bootargs_parse.h>), built from the one
 * table of boot arguments (<vzsoak/bootargs.def>).
 *
 * A file of both sides, like crashme/block.c: it builds into the
 * hypervisor and, for the host, into libbootargs.a (hypervisor/
 * hypervisor.mk), which vzsoak's scenario reader, pdtrace flow and the
 * unit tests link, so the host reads boot arguments with the code the
 * hypervisor runs.  Hence plain C with no library calls, every helper
 * local, errors returned as text, and the ABI headers its only includes.
 */
#include <stddef.h>

#include <vzsoak/bootargs_parse.h>
#include <vzsoak/hypercall.h>

/* Choices are stored as their index: the orders the readers rely on. */
_Static_assert(HV_SCHED_RR == 0 && HV_SCHED_AIM == 1, "sched=rr|aim");
_Static_assert(GCONF_TLBP_OFF == 0 && GCONF_TLBP_INDEX == 1 && GCONF_TLBP_ON == 2,
	       "tlbp-check=off|index|on");

const struct bootarg bootarg_table[] = {
#define BOOTARG(key, field, type, lo, hi, def, flags, choices, unit, help) \
	{ key, type, lo, hi, def, flags, choices, unit, help, \
	  offsetof(struct hv_args, field) },
#include <vzsoak/bootargs.def>
#undef BOOTARG
};
const unsigned bootarg_count = sizeof bootarg_table / sizeof bootarg_table[0];

/* A number, on/off or choice is stored as one uint32_t field. */
#define BOOTARG(key, field, type, ...) \
	_Static_assert(type == BA_IMAGE || type == BA_GUEST_IMAGE || \
		       sizeof ((struct hv_args *)0)->field == sizeof(uint32_t), \
		       key " is a uint32_t");
#include <vzsoak/bootargs.def>
#undef BOOTARG

static void copy_str(char *dst, unsigned cap, const char *src, unsigned len)
{
	unsigned i = 0;
	for (; i < len && i + 1 < cap; i++)
		dst[i] = src[i];
	dst[i] = 0;
}

static int word_is(const char *s, unsigned len, const char *lit)
{
	unsigned i = 0;
	for (; i < len; i++)
		if (lit[i] != s[i] || lit[i] == 0)
			return 0;
	return lit[i] == 0;
}

static unsigned str_len(const char *s)
{
	unsigned n = 0;
	while (s[n])
		n++;
	return n;
}

/* ------------------------------------------------------------ messages */

/* An error message being written into err (cut at errlen, terminated). */
struct msg {
	char *buf;
	unsigned cap, n;
};

static void put(struct msg *m, const char *s, unsigned len)
{
	for (unsigned i = 0; i < len && m->n + 1 < m->cap; i++)
		m->buf[m->n++] = s[i];
	if (m->cap)
		m->buf[m->n] = 0;
}

static void put_str(struct msg *m, const char *s)
{
	put(m, s, str_len(s));
}

static void put_u32(struct msg *m, uint32_t v)
{
	char digits[10];
	unsigned n = 0;
	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n)
		put(m, &digits[--n], 1);
}

/* err = a + b + c (each may be cut at errlen). */
static int fail(char *err, unsigned errlen, const char *a, const char *b,
		unsigned blen, const char *c)
{
	struct msg m = { err, errlen, 0 };
	put_str(&m, a);
	put(&m, b, blen);
	put_str(&m, c);
	return -1;
}

/* "want a, b or c" from "a|b|c". */
static void put_choices(struct msg *m, const char *choices)
{
	unsigned left = 1;
	for (const char *p = choices; *p; p++)
		left += *p == '|';
	for (const char *p = choices; left; left--) {
		unsigned len = 0;
		while (p[len] && p[len] != '|')
			len++;
		put(m, p, len);
		put_str(m, left == 1 ? "" : left == 2 ? " or " : ", ");
		p += len + (p[len] == '|');
	}
}

static unsigned lowest_bit(uint32_t v)
{
	unsigned b = 0;
	while (b < 31 && !(v >> b & 1))
		b++;
	return b;
}

static unsigned highest_bit(uint32_t v)
{
	unsigned b = 31;
	while (b && !(v >> b & 1))
		b--;
	return b;
}

/* "KEY=VALUE: want ..." (a guest's image: "g-image VALUE: ..."), what the
 * row says its values are. */
static int bad_value(const struct bootarg *b, const char *v, unsigned vlen,
		     char *err, unsigned errlen)
{
	struct msg m = { err, errlen, 0 };
	if (b->type == BA_GUEST_IMAGE) {
		put_str(&m, "g-image ");
	} else {
		put_str(&m, b->key);
		put_str(&m, "=");
	}
	put(&m, v, vlen);
	put_str(&m, ": ");
	switch (b->type) {
	case BA_NUMBER:
		if (b->flags & BA_MASK) {
			unsigned lo = lowest_bit(b->hi), hi = highest_bit(b->hi);
			put_str(&m, "want a mask of ");
			put_str(&m, b->unit);
			put_str(&m, " ");
			put_u32(&m, lo);
			put_str(&m, "..");
			put_u32(&m, hi);
			put_str(&m, " (bits ");
			put_u32(&m, lo);
			put_str(&m, "..");
			put_u32(&m, hi);
			put_str(&m, ")");
		} else if (b->hi == 0xffffffffu && b->lo == 0) {
			put_str(&m, "not a number");
		} else if (b->hi == 0xffffffffu) {
			put_str(&m, "want a number >= ");
			put_u32(&m, b->lo);
		} else {
			put_str(&m, b->flags & BA_EVEN ? "want an even " : "want ");
			put_u32(&m, b->lo);
			put_str(&m, "..");
			put_u32(&m, b->hi);
			if (b->unit[0]) {
				put_str(&m, " ");
				put_str(&m, b->unit);
			}
		}
		break;
	case BA_ONOFF:
		put_str(&m, "want on or off");
		break;
	case BA_CHOICE:
		put_str(&m, "want ");
		put_choices(&m, b->choices);
		break;
	case BA_SET:
		put_str(&m, "want names of ");
		put_choices(&m, b->choices);
		put_str(&m, ", joined by commas");
		break;
	case BA_IMAGE:
	case BA_GUEST_IMAGE:
		put_str(&m, "not an image name");
		break;
	}
	return -1;
}

/* ------------------------------------------------------------ values */

/* A decimal or 0x-hex number that fills the whole value and fits 32 bits. */
static int parse_u32(const char *s, unsigned len, uint32_t *out)
{
	uint64_t v = 0;
	unsigned i = 0, base = 10;

	if (len >= 3 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len)
		return -1;
	for (; i < len; i++) {
		unsigned d;
		char c = s[i];
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return -1;
		v = v * base + d;
		if (v > 0xffffffffu)
			return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

/* Index of s among "a|b|c", or -1. */
static int choice_index(const char *choices, const char *s, unsigned len)
{
	int i = 0;
	for (const char *p = choices; *p; i++) {
		unsigned n = 0;
		while (p[n] && p[n] != '|')
			n++;
		if (n == len) {
			unsigned j = 0;
			while (j < n && p[j] == s[j])
				j++;
			if (j == n)
				return i;
		}
		p += n + (p[n] == '|');
	}
	return -1;
}

/* Lower-case letters, digits, '-' and '_': what an assembler symbol of the
 * embedded image (hypervisor/guests.S) and a file name can hold. */
static int valid_name(const char *s, unsigned len)
{
	if (len == 0 || len >= HV_NAME_MAX)
		return 0;
	for (unsigned i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

const struct bootarg *bootarg_find(const char *key, unsigned len)
{
	for (unsigned i = 0; i < bootarg_count; i++) {
		const struct bootarg *b = &bootarg_table[i];
		if (b->type == BA_GUEST_IMAGE) {
			/* KEY then one digit, lo..hi */
			unsigned kl = str_len(b->key);
			if (len == kl + 1 && word_is(key, kl, b->key) &&
			    key[kl] >= (char)('0' + b->lo) && key[kl] <= (char)('0' + b->hi))
				return b;
		} else if (word_is(key, len, b->key)) {
			return b;
		}
	}
	return 0;
}

int bootarg_value(const struct bootarg *b, const char *v, unsigned len,
		  uint32_t *out)
{
	uint32_t n;
	int i;

	switch (b->type) {
	case BA_NUMBER:
		if (parse_u32(v, len, &n) || n < b->lo ||
		    (b->flags & BA_MASK ? (n & ~b->hi) != 0 : n > b->hi))
			return BOOTARG_BAD;
		if ((b->flags & BA_EVEN) && (n & 1))
			return BOOTARG_ODD;
		*out = n;
		return 0;
	case BA_ONOFF:
		/* "off|on", and 1 and 0 too */
		if (word_is(v, len, "1") || word_is(v, len, "0")) {
			*out = v[0] == '1';
			return 0;
		}
		/* fall through */
	case BA_CHOICE:
		i = choice_index(b->choices, v, len);
		if (i < 0)
			return BOOTARG_BAD;
		*out = (uint32_t)i;
		return 0;
	case BA_SET:
		/* "a,b": each a name; "none" (index 0) adds nothing. */
		n = 0;
		for (unsigned at = 0; at <= len;) {
			unsigned w = 0;
			while (at + w < len && v[at + w] != ',')
				w++;
			i = choice_index(b->choices, v + at, w);
			if (i < 0 || i > 31)
				return BOOTARG_BAD;
			if (i > 0)
				n |= 1u << i;
			at += w + 1;
		}
		*out = n;
		return 0;
	case BA_IMAGE:
	case BA_GUEST_IMAGE:
		if (!valid_name(v, len))
			return BOOTARG_BAD;
		*out = len;
		return 0;
	}
	return BOOTARG_BAD;
}

/* ------------------------------------------------------------ parsing */

/* One key=value pair; k/klen and v/vlen point into the text. */
static int set_one(struct hv_args *a, const char *k, unsigned klen,
		   const char *v, unsigned vlen, char *err, unsigned errlen)
{
	const struct bootarg *b = bootarg_find(k, klen);
	uint32_t n;

	if (!b)
		return fail(err, errlen, "unknown key '", k, klen, "'");
	if (bootarg_value(b, v, vlen, &n))
		return bad_value(b, v, vlen, err, errlen);
	switch (b->type) {
	case BA_IMAGE:
		for (unsigned g = 0; g < HV_MAX_GUESTS; g++)
			copy_str(a->image[g], HV_NAME_MAX, v, vlen);
		break;
	case BA_GUEST_IMAGE:
		copy_str(a->image[k[klen - 1] - '1'], HV_NAME_MAX, v, vlen);
		break;
	default:
		*(uint32_t *)((char *)a + b->offset) = n;
		break;
	}
	return 0;
}

void hv_args_defaults(struct hv_args *a)
{
	char err[1];
	/* Every row but the gN keys has a default, so every field gets one;
	 * test_hv_args checks that each parses. */
	for (unsigned i = 0; i < bootarg_count; i++) {
		const struct bootarg *b = &bootarg_table[i];
		if (b->def[0])
			set_one(a, b->key, str_len(b->key), b->def, str_len(b->def),
				err, sizeof err);
	}
}

int hv_args_parse(struct hv_args *a, const char *text, unsigned max,
		  char *err, unsigned errlen)
{
	unsigned i = 0;

	if (errlen)
		err[0] = 0;
	while (i < max && text[i]) {
		if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n') {
			i++;
			continue;
		}
		unsigned start = i, eq = 0;
		while (i < max && text[i] && text[i] != ' ' && text[i] != '\t' && text[i] != '\n') {
			if (text[i] == '=' && !eq)
				eq = i;
			i++;
		}
		if (!eq || eq == start)
			return fail(err, errlen, "'", text + start, i - start,
				    "': want key=value");
		if (set_one(a, text + start, eq - start, text + eq + 1, i - eq - 1,
			    err, errlen))
			return -1;
	}
	return 0;
}
