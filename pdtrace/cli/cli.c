/*
 * Output helpers every pdtrace subcommand shares (cli.h).
 */
#include "cli.h"

#include <inttypes.h>

/* JSON (RFC 8259): quote and backslash escaped, control characters as
 * \uXXXX; other bytes, UTF-8 included, pass through. */
void json_string(FILE *out, const char *s)
{
	putc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(out, "\\u%04x", *p);
		else
			putc(*p, out);
	}
	putc('"', out);
}

void window_note(const char *path, const struct pdt_file_info *h)
{
	if (!h->has_window || !h->window_dropped)
		return;
	fprintf(stderr, "pdtrace: note: %s: window: the first %" PRIu64
		" bytes of the run's trace are not here", path, h->window_dropped);
	if (h->window_index != PDT_WINDOW_NO_SYNC)
		fprintf(stderr, " (it starts at instruction %" PRIu64 ")\n", h->window_index);
	else
		fprintf(stderr, " (and it holds no SYNC)\n");
}
