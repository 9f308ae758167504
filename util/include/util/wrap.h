/*
 * Word-wrapped help text, for the option tables of vzsim --help and
 * vzsoak run --help (board options, scenario keys).  Header-only, as
 * die.h: the parts of vzsoak its unit tests link alone (scenario.c) need
 * no library for it.
 */
#ifndef UTIL_WRAP_H
#define UTIL_WRAP_H

#include <stdio.h>
#include <string.h>

/* text on f, each line indented by indent, no line past 78 columns
 * unless a single word is longer; ends with a newline. */
static inline void print_wrapped(FILE *f, const char *text, int indent)
{
	int col = 0;
	while (*text) {
		int len = (int)strcspn(text, " ");
		if (col > indent && col + 1 + len > 78) {
			fputc('\n', f);
			col = 0;
		}
		if (col == 0)
			col = fprintf(f, "%*s", indent, "");
		else
			col += fprintf(f, " ");
		col += fprintf(f, "%.*s", len, text);
		text += len;
		text += strspn(text, " ");
	}
	fputc('\n', f);
}

#endif
