/*
 * pdtrace detect: the trace detectors' findings over a capture
 * (pdtrace/detect.h), a thin layer like flow.c.
 *
 *   pdtrace detect TRACE [--json] [--image CTX=ELF]... [--crashme SEED,WORDS]
 *                  [--repeat-limit N] [--bugs]
 *
 * Text: one block per finding, most severe first: its severity, guest,
 * instruction index and title, then its evidence, and how often it was
 * seen.  Exit status 1 when a finding is a bug (the trace proves state
 * went wrong), 0 otherwise: warnings and notes are there for the reader.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <pdtrace/detect.h>

struct detect_opts {
	const char *trace;
	struct capture_opts cap;
	struct pdt_detect_config dc;
	bool json, bugs_only;
};

static void parse_args(struct detect_opts *o, int argc, char **argv)
{
	memset(o, 0, sizeof *o);
	enum { O_REPEAT = CLI_O_OWN, O_BUGS };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "repeat-limit", required_argument, NULL, O_REPEAT },
		{ "bugs", no_argument, NULL, O_BUGS },
		{ 0 },
	};
	opterr = 0;
	optind = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		const char *a = argv[optind - 1], *v = optarg;
		if (cli_common_opt(c, v, &o->cap, &o->json))
			continue;
		switch (c) {
		case O_REPEAT: {
			char *end;
			errno = 0;
			unsigned long n = strtoul(v, &end, 10);
			if (errno || end == v || *end || v[0] == '-' || n < 2 || n > 1000000)
				die(EXIT_BAD_INPUT, "--repeat-limit: '%s': want 2 to 1000000 repeats", v);
			o->dc.repeat_limit = (unsigned)n;
			break;
		}
		case O_BUGS:
			o->bugs_only = true;
			break;
		default:
			cli_option_error("detect", c, a);
		}
	}
	cli_traces("detect", argc, argv, optind, &o->trace, 1);
}

int cmd_detect(int argc, char **argv)
{
	struct detect_opts o;
	parse_args(&o, argc, argv);
	struct capture cap;
	capture_open(&cap, o.trace, &o.cap);
	pdt_detect_config_header(&o.dc, &cap.f.info);
	struct pdt_detect *d;
	int rc = pdt_detect_capture(&cap.cfg, cap.f.words, cap.f.len, &o.dc, &d);
	if (rc)
		capture_failed(o.trace, rc);
	const struct pdt_finding *list;
	size_t n = pdt_detect_findings(d, &list);
	size_t bugs = 0, shown = 0;
	for (size_t i = 0; i < n; i++) {
		bugs += list[i].sev == PDT_SEV_BUG;
		if (o.bugs_only && list[i].sev != PDT_SEV_BUG)
			continue;
		shown++;
		pdt_finding_print(stdout, &list[i], o.json);
	}
	if (!o.json)
		printf("%zu finding%s, %zu bug%s (%s)\n", shown, shown == 1 ? "" : "s", bugs,
		       bugs == 1 ? "" : "s", o.trace);
	uint64_t gaps = pdt_detect_gaps(d);
	pdt_detect_free(d);
	capture_close(&cap);
	if (fflush(stdout) != 0 || ferror(stdout))
		die(EXIT_INTERNAL, "writing the output: %s", strerror(errno));
	if (gaps)
		fprintf(stderr, "pdtrace: detect: %" PRIu64 " gap%s in the flow (pdtrace flow shows "
			"them): nothing is claimed about what ran there\n", gaps, gaps == 1 ? "" : "s");
	return bugs ? EXIT_FINDING : EXIT_CLEAN;
}
