/*
 * Output helpers every pdtrace subcommand shares (cli.h).
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
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

void cli_option_error(const char *cmd, int c, const char *arg)
{
	if (c == ':')
		die(EXIT_BAD_INPUT, "%s: needs a value", arg);
	/* A short option ("-x", maybe among others in one word) by its
	 * letter; a long one as written. */
	die(EXIT_BAD_INPUT, "%s: unknown option '%s' (pdtrace --help)", cmd,
	    optopt > ' ' && optopt < 127 ? (char[]){ '-', (char)optopt, 0 } : arg);
}

void cli_traces(const char *cmd, int argc, char **argv, int first, const char **out, int n)
{
	int got = argc - first;
	if (got > n)
		die(EXIT_BAD_INPUT, "%s: %s ('%s')", cmd,
		    n == 1 ? "one trace file only" : "two trace files only, BAD and GOOD",
		    argv[first + n]);
	if (got < n)
		die(EXIT_BAD_INPUT, "%s: %s (pdtrace --help)", cmd,
		    n == 1 ? "no trace file" : "want two trace files, BAD and GOOD");
	for (int i = 0; i < n; i++)
		out[i] = argv[first + i];
}

bool cli_common_opt(int c, const char *value, struct capture_opts *cap, bool *json)
{
	switch (c) {
	case 'h':
		cli_usage();
		exit(0);
	case CLI_O_JSON:
		*json = true;
		return true;
	case CLI_O_IMAGE:
		capture_image_opt(cap, value);
		return true;
	case CLI_O_MEMORY:
		capture_memory_opt(cap, value);
		return true;
	case CLI_O_CRASHME:
		capture_crashme_opt(cap, value);
		return true;
	case CLI_O_PER_INSN:
		cap->per_insn = true;
		return true;
	default:
		return false;
	}
}
