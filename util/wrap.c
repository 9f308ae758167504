/*
 * Word-wrapped help text (wrap.h).
 */
#include <util/wrap.h>

#include <string.h>

#define WRAP_COLUMNS 78

void print_wrapped(FILE *f, const char *text, int indent)
{
	int col = 0;
	while (*text) {
		int len = (int)strcspn(text, " ");
		if (col > indent && col + 1 + len > WRAP_COLUMNS) {
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
