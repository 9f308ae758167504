/*
 * Titles' IDs (title.h).
 */
#include "title.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define ID_CUT 60

/* FNV-1a: short, and the same on every host, so an ID never changes. */
static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

const char *title_id(const char *title, char buf[TITLE_ID_SIZE])
{
	size_t n = 0;
	bool truncated = false;
	for (const char *p = title; *p; p++) {
		char c = *p;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (!word) {
			if (n && buf[n - 1] != '-')
				buf[n++] = '-';
		} else if (n < ID_CUT) {
			buf[n++] = c;
		} else {
			truncated = true;
			break;
		}
	}
	/* Cut inside a word: back to the last whole one (if there is one). */
	if (truncated) {
		size_t w = n;
		while (w && buf[w - 1] != '-')
			w--;
		if (w)
			n = w;
	}
	while (n && buf[n - 1] == '-')
		n--;
	if (!n) {
		strcpy(buf, "untitled");
		n = 8;
	}
	if (truncated)
		snprintf(buf + n, TITLE_ID_SIZE - n, "-%08x", (unsigned)fnv1a(title));
	else
		buf[n] = 0;
	return buf;
}
