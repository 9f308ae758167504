/*
 * Boot-argument parsing (args.h).  Host-testable: no library calls, every
 * helper is local, errors are returned as text.
 */
#include "args.h"

#include <vzsoak/hypercall.h>

static const char default_image[] = "demo";

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

/* err = a + b + c (each may be cut at errlen). */
static int fail(char *err, unsigned errlen, const char *a, const char *b,
		unsigned blen, const char *c)
{
	unsigned n = 0;
	if (errlen == 0)
		return -1;
	for (; *a && n + 1 < errlen; a++)
		err[n++] = *a;
	for (unsigned i = 0; i < blen && n + 1 < errlen; i++)
		err[n++] = b[i];
	for (; *c && n + 1 < errlen; c++)
		err[n++] = *c;
	err[n] = 0;
	return -1;
}

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

static int parse_onoff(const char *s, unsigned len, int *out)
{
	if (word_is(s, len, "on") || word_is(s, len, "1")) {
		*out = 1;
		return 0;
	}
	if (word_is(s, len, "off") || word_is(s, len, "0")) {
		*out = 0;
		return 0;
	}
	return -1;
}

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

void hv_args_defaults(struct hv_args *a)
{
	a->guests = 4;
	a->seed = 1;
	a->quantum = 20000;
	a->jitter = 0;
	a->sched = HV_SCHED_RR;
	a->preserve = 1;
	a->trace = 1;
	a->trace_guests = 0x1fe;
	a->ri_exit = 0;
	a->runtime = 0;
	a->tlbp_check = GCONF_TLBP_ON;
	a->crashme = 64;
	a->worker_pages = 64;
	a->rounds = 0;
	for (unsigned g = 0; g < HV_MAX_GUESTS; g++)
		copy_str(a->image[g], HV_NAME_MAX, default_image, sizeof default_image - 1);
}

/* One key=value pair; k/klen and v/vlen point into the text. */
static int set_one(struct hv_args *a, const char *k, unsigned klen,
		   const char *v, unsigned vlen, char *err, unsigned errlen)
{
	uint32_t n;

	if (word_is(k, klen, "guests")) {
		if (parse_u32(v, vlen, &n) || n < 1 || n > HV_MAX_GUESTS)
			return fail(err, errlen, "guests=", v, vlen, ": want 1..8");
		a->guests = n;
	} else if (word_is(k, klen, "seed")) {
		if (parse_u32(v, vlen, &a->seed))
			return fail(err, errlen, "seed=", v, vlen, ": not a number");
	} else if (word_is(k, klen, "quantum")) {
		if (parse_u32(v, vlen, &n) || n < 100)
			return fail(err, errlen, "quantum=", v, vlen, ": want a number >= 100");
		a->quantum = n;
	} else if (word_is(k, klen, "jitter")) {
		if (parse_u32(v, vlen, &a->jitter))
			return fail(err, errlen, "jitter=", v, vlen, ": not a number");
	} else if (word_is(k, klen, "runtime")) {
		if (parse_u32(v, vlen, &a->runtime))
			return fail(err, errlen, "runtime=", v, vlen, ": not a number");
	} else if (word_is(k, klen, "trace-guests")) {
		if (parse_u32(v, vlen, &n) || (n & ~0x1feu))
			return fail(err, errlen, "trace-guests=", v, vlen,
				    ": want a mask of GuestIDs 1..8 (bits 1..8)");
		a->trace_guests = n;
	} else if (word_is(k, klen, "sched")) {
		if (word_is(v, vlen, "rr"))
			a->sched = HV_SCHED_RR;
		else if (word_is(v, vlen, "aim"))
			a->sched = HV_SCHED_AIM;
		else
			return fail(err, errlen, "sched=", v, vlen, ": want rr or aim");
	} else if (word_is(k, klen, "preserve")) {
		if (parse_onoff(v, vlen, &a->preserve))
			return fail(err, errlen, "preserve=", v, vlen, ": want on or off");
	} else if (word_is(k, klen, "trace")) {
		if (parse_onoff(v, vlen, &a->trace))
			return fail(err, errlen, "trace=", v, vlen, ": want on or off");
	} else if (word_is(k, klen, "ri-exit")) {
		if (parse_onoff(v, vlen, &a->ri_exit))
			return fail(err, errlen, "ri-exit=", v, vlen, ": want on or off");
	} else if (word_is(k, klen, "tlbp-check")) {
		if (word_is(v, vlen, "off"))
			a->tlbp_check = GCONF_TLBP_OFF;
		else if (word_is(v, vlen, "index"))
			a->tlbp_check = GCONF_TLBP_INDEX;
		else if (word_is(v, vlen, "on"))
			a->tlbp_check = GCONF_TLBP_ON;
		else
			return fail(err, errlen, "tlbp-check=", v, vlen, ": want off, index or on");
	} else if (word_is(k, klen, "crashme")) {
		if (parse_u32(v, vlen, &n) || n > 4096)
			return fail(err, errlen, "crashme=", v, vlen, ": want 0..4096 words");
		a->crashme = n;
	} else if (word_is(k, klen, "worker-pages")) {
		if (parse_u32(v, vlen, &n) || n > 512 || (n & 1))
			return fail(err, errlen, "worker-pages=", v, vlen, ": want an even 0..512");
		a->worker_pages = n;
	} else if (word_is(k, klen, "rounds")) {
		if (parse_u32(v, vlen, &a->rounds))
			return fail(err, errlen, "rounds=", v, vlen, ": not a number");
	} else if (word_is(k, klen, "image")) {
		if (!valid_name(v, vlen))
			return fail(err, errlen, "image=", v, vlen, ": not an image name");
		for (unsigned g = 0; g < HV_MAX_GUESTS; g++)
			copy_str(a->image[g], HV_NAME_MAX, v, vlen);
	} else if (klen == 2 && k[0] == 'g' && k[1] >= '1' && k[1] <= '8') {
		if (!valid_name(v, vlen))
			return fail(err, errlen, "g-image ", v, vlen, ": not an image name");
		copy_str(a->image[k[1] - '1'], HV_NAME_MAX, v, vlen);
	} else {
		return fail(err, errlen, "unknown key '", k, klen, "'");
	}
	return 0;
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
