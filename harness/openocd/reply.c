/*
 * Strict parsers of OpenOCD 0.12's replies (reply.h).  The forms are
 * those of its command_print calls: `mdw` prints "0x%8.8" PRIx64 ": "
 * then "%8.8x " per word, 8 words a line; `mips32 cp0` prints
 * "cp0 reg %d, select %d: %8.8x".
 */
#include "reply.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Up to max hex digits at *p into v (at least one): the number of digits,
 * 0 if none or more than max. */
static unsigned hex_digits(const char **p, unsigned max, uint64_t *v)
{
	unsigned n = 0;
	*v = 0;
	while (isxdigit((unsigned char)**p)) {
		if (++n > max)
			return 0;
		int c = tolower((unsigned char)**p);
		*v = *v << 4 | (uint64_t)(c <= '9' ? c - '0' : c - 'a' + 10);
		(*p)++;
	}
	return n;
}

/* Decimal digits at *p into v (at least one, no overflow). */
static bool dec_number(const char **p, uint64_t *v)
{
	if (!isdigit((unsigned char)**p))
		return false;
	*v = 0;
	while (isdigit((unsigned char)**p)) {
		unsigned d = (unsigned)(**p - '0');
		if (*v > (UINT64_MAX - d) / 10)
			return false;
		*v = *v * 10 + d;
		(*p)++;
	}
	return true;
}

/* A short view of the text at p for messages: up to 24 bytes, no newline. */
static void near(const char *p, char *out, size_t outlen)
{
	size_t n = strcspn(p, "\r\n");
	if (n > 24)
		n = 24;
	snprintf(out, outlen, "'%.*s'", (int)n, p);
}

static int bad_at(const char *p, const char *what, unsigned line, char *err, size_t errlen)
{
	char at[32];
	near(p, at, sizeof at);
	if (!*p)
		snprintf(err, errlen, "line %u: %s, and the reply ends", line, what);
	else
		snprintf(err, errlen, "line %u: %s at %s", line, what, at);
	return -1;
}

int reply_mdw(const char *reply, uint32_t addr, size_t n, uint32_t *words, char *err,
	      size_t errlen)
{
	const char *p = reply;
	size_t got = 0;
	unsigned line = 0;
	while (*p) {
		if (*p == '\n' || *p == '\r' || *p == ' ') {
			p++;
			continue;
		}
		line++;
		uint64_t a;
		if (strncmp(p, "0x", 2))
			return bad_at(p, "no address", line, err, errlen);
		p += 2;
		if (!hex_digits(&p, 16, &a) || *p != ':')
			return bad_at(p, "a bad address", line, err, errlen);
		p++;
		uint64_t want = (uint64_t)addr + 4 * (uint64_t)got;
		if (a != want) {
			snprintf(err, errlen, "line %u: address 0x%08" PRIx64 ", expected 0x%08" PRIx64,
				 line, a, want);
			return -1;
		}
		unsigned inline_words = 0;
		while (*p == ' ') {
			while (*p == ' ')
				p++;
			if (!*p || *p == '\n' || *p == '\r')
				break;
			uint64_t w;
			const char *start = p;
			if (hex_digits(&p, 8, &w) != 8 || (*p && *p != ' ' && *p != '\n' && *p != '\r'))
				return bad_at(start, "not a word of 8 hex digits", line, err, errlen);
			if (got == n) {
				snprintf(err, errlen, "more than the %zu words asked for", n);
				return -1;
			}
			words[got++] = (uint32_t)w;
			inline_words++;
		}
		if (*p && *p != '\n' && *p != '\r')
			return bad_at(p, "a stray character", line, err, errlen);
		if (!inline_words)
			return bad_at(p, "an address without words", line, err, errlen);
	}
	if (got != n) {
		snprintf(err, errlen, "%zu words, not the %zu asked for", got, n);
		return -1;
	}
	return 0;
}

int reply_cp0(const char *reply, unsigned reg, unsigned sel, uint32_t *value, char *err,
	      size_t errlen)
{
	const char *p = reply;
	uint64_t r, s, v;
	if (strncmp(p, "cp0 reg ", 8))
		return bad_at(p, "not 'cp0 reg R, select S: VALUE'", 1, err, errlen);
	p += 8;
	if (!dec_number(&p, &r) || strncmp(p, ", select ", 9))
		return bad_at(p, "not 'cp0 reg R, select S: VALUE'", 1, err, errlen);
	p += 9;
	if (!dec_number(&p, &s) || strncmp(p, ": ", 2))
		return bad_at(p, "not 'cp0 reg R, select S: VALUE'", 1, err, errlen);
	p += 2;
	const char *at = p;
	if (!hex_digits(&p, 8, &v))
		return bad_at(at, "not a 32-bit hex value", 1, err, errlen);
	while (*p == ' ' || *p == '\n' || *p == '\r')
		p++;
	if (*p)
		return bad_at(p, "a stray character", 1, err, errlen);
	if (r != reg || s != sel) {
		snprintf(err, errlen, "register %" PRIu64 " select %" PRIu64 ", not %u select %u", r,
			 s, reg, sel);
		return -1;
	}
	*value = (uint32_t)v;
	return 0;
}

/* One item of a list at *p into v: true if it is one. */
typedef bool item_fn(const char **p, uint64_t *v);

static bool word64_item(const char **p, uint64_t *v)
{
	return hex_digits(p, 16, v) == 16;
}

static bool number_item(const char **p, uint64_t *v)
{
	if (strncmp(*p, "0x", 2))
		return dec_number(p, v);
	*p += 2;
	return hex_digits(p, 16, v) > 0;
}

/* Exactly n items separated by single spaces; what names them in
 * messages ("words"), not_one says what a bad one is not. */
static int list_of(const char *reply, size_t n, uint64_t *out, item_fn *item, const char *what,
		   const char *not_one, char *err, size_t errlen)
{
	const char *p = reply;
	for (size_t i = 0; i < n; i++) {
		if (i && *p++ != ' ') {
			snprintf(err, errlen, "%zu %s, not the %zu asked for", i, what, n);
			return -1;
		}
		const char *start = p;
		if (!item(&p, &out[i]) || (*p && *p != ' '))
			return bad_at(start, not_one, 1, err, errlen);
	}
	if (*p) {
		if (*p == ' ')
			snprintf(err, errlen, "more than the %zu %s asked for", n, what);
		else
			bad_at(p, "a stray character", 1, err, errlen);
		return -1;
	}
	return 0;
}

int reply_words64(const char *reply, size_t n, uint64_t *words, char *err, size_t errlen)
{
	return list_of(reply, n, words, word64_item, "words", "not a word of 16 hex digits", err,
		       errlen);
}

int reply_numbers(const char *reply, size_t n, uint64_t *out, char *err, size_t errlen)
{
	return list_of(reply, n, out, number_item, "numbers", "not a number", err, errlen);
}
