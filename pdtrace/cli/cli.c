/*
 * Output helpers every pdtrace subcommand shares (cli.h).
 */
#include "cli.h"

#include <inttypes.h>

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
