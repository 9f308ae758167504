/*
 * pdtrace diff: where a guest's flow in a bad run first parts from the
 * same guest's flow in a good one; a thin layer over libpdtrace's
 * capture diff (pdtrace/diff.h), which aligns the two guest by guest.
 *
 *   pdtrace diff BAD GOOD [--image CTX=ELF]... [--crashme SEED,WORDS]
 *                [--context gN] [--before N] [--after M] [--queue K] [--json]
 *
 * Both captures are opened the way every flow command opens them
 * (capture.c), with the same --image and --crashme options.  Exit status
 * as diff(1)'s: 0 every guest the same, 1 a guest diverged (or could not
 * be aligned), 2 bad input, 70 out of memory or a write error.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mips/isa.h>
#include <pdtrace/diff.h>


static const char *const side_key[2] = { "bad", "good" };

struct diff_opts {
	const char *trace[2];
	struct capture_opts cap;
	struct pdt_diff_opts d;
	bool json;
};

static size_t parse_count(const char *opt, const char *s, unsigned long long max)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v > max)
		die(EXIT_BAD_INPUT, "%s: '%s' is not a count (0..%llu)", opt, s, max);
	return (size_t)v;
}

static void parse_args(struct diff_opts *o, int argc, char **argv)
{
	memset(o, 0, sizeof *o);
	pdt_diff_opts_default(&o->d);
	enum { O_CONTEXT = CLI_O_OWN, O_BEFORE, O_AFTER, O_QUEUE };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "context", required_argument, NULL, O_CONTEXT },
		{ "before", required_argument, NULL, O_BEFORE },
		{ "after", required_argument, NULL, O_AFTER },
		{ "queue", required_argument, NULL, O_QUEUE },
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
		case O_CONTEXT:
			if (v[0] != 'g' || v[1] < '1' || v[1] > '8' || v[2])
				die(EXIT_BAD_INPUT, "--context: '%s' is not a guest g1..g8 "
				    "(diff compares guests)", v);
			o->d.guests = 1u << (v[1] - '0');
			break;
		case O_BEFORE:
			o->d.before = parse_count("--before", v, 100000);
			break;
		case O_AFTER:
			o->d.after = parse_count("--after", v, 100000);
			if (!o->d.after)
				die(EXIT_BAD_INPUT, "--after: '%s': at least 1 (the differing one)", v);
			break;
		case O_QUEUE:
			o->d.queue = parse_count("--queue", v, 1ull << 26);
			if (!o->d.queue)
				die(EXIT_BAD_INPUT, "--queue: '%s': at least 1", v);
			break;
		default:
			cli_option_error("diff", c, a);
		}
	}
	cli_traces("diff", argc, argv, optind, o->trace, 2);
}

/* ------------------------------------------------------------ JSON */

static void json_insn(FILE *out, const struct pdt_flow_config *cfg, const struct pdt_flow_item *it)
{
	char ctx[16], sym[96], dis[96], tmp[16];
	pdt_flow_context_name(&it->ctx, ctx, sizeof ctx);
	pdt_flow_symbol(cfg, it, sym, sizeof sym);
	fprintf(out, "{\"index\":%" PRIu64 ",\"context\":", it->index);
	json_string(out, ctx);
	fprintf(out, ",\"pc\":\"%08" PRIx32 "\"", it->insn.pc);
	if (it->insn.have_word) {
		isa_disasm(it->insn.pc, it->insn.word, dis, sizeof dis);
		fprintf(out, ",\"word\":\"%08" PRIx32 "\",\"insn\":", it->insn.word);
		json_string(out, dis);
	}
	if (sym[0]) {
		fputs(",\"symbol\":", out);
		json_string(out, sym);
	}
	if (it->insn.exc >= 0) {
		fputs(",\"exception\":", out);
		json_string(out, pdt_exc_text((unsigned)it->insn.exc, tmp, sizeof tmp));
	}
	putc('}', out);
}

static void json_insns(FILE *out, const struct pdt_flow_config *cfg,
		       const struct pdt_flow_item *its, size_t n)
{
	putc('[', out);
	for (size_t k = 0; k < n; k++) {
		if (k)
			putc(',', out);
		json_insn(out, cfg, &its[k]);
	}
	putc(']', out);
}

static void json_events(FILE *out, const struct pdt_flow_item *its, size_t n)
{
	char ctx[16], ev[400];
	putc('[', out);
	for (size_t k = 0; k < n; k++) {
		pdt_flow_context_name(&its[k].ctx, ctx, sizeof ctx);
		pdt_flow_event_text(&its[k], ev, sizeof ev);
		fprintf(out, "%s{\"event\":", k ? "," : "");
		json_string(out, pdt_flow_event_name(its[k].ev.kind));
		fprintf(out, ",\"index\":%" PRIu64 ",\"context\":", its[k].index);
		json_string(out, ctx);
		fputs(",\"text\":", out);
		json_string(out, ev);
		putc('}', out);
	}
	putc(']', out);
}

static void print_json(FILE *out, const struct pdt_diff_guest *r,
		       const struct pdt_flow_config *const cfg[2], size_t queue)
{
	fprintf(out, "{\"guest\":%u,\"status\":\"%s\"", r->guest, pdt_diff_status_name(r->status));
	fprintf(out, ",\"insns_bad\":%" PRIu64 ",\"insns_good\":%" PRIu64, r->insns[0], r->insns[1]);
	if (r->anchors)
		fprintf(out, ",\"anchor\":{\"kind\":\"%s\",\"value\":%" PRIu32 ",\"bad\":%" PRIu64
			",\"good\":%" PRIu64 "},\"starts\":%u", pdt_diff_anchor_name(r->anchor),
			r->anchor_value, r->anchor_index[0], r->anchor_index[1], r->anchors);
	fprintf(out, ",\"compared\":%" PRIu64 ",\"queue_max\":%zu", r->compared, r->queue_max);
	switch (r->status) {
	case PDT_DIFF_SAME:
		fputs(",\"ended\":", out);
		fputs(r->ended < 0 ? "null" : r->ended ? "\"good\"" : "\"bad\"", out);
		break;
	case PDT_DIFF_NOT_ALIGNED:
		fprintf(out, ",\"queue\":%zu,\"lead\":\"%s\",\"bad\":%" PRIu64 ",\"good\":%" PRIu64,
			queue, side_key[r->lead], r->at[0], r->at[1]);
		break;
	case PDT_DIFF_DIVERGED: {
		char what[64];
		pdt_diff_differs_text(r->differs, what, sizeof what);
		fprintf(out, ",\"bad\":%" PRIu64 ",\"good\":%" PRIu64 ",\"local\":%" PRIu64
			",\"differs\":", r->at[0], r->at[1], r->local);
		json_string(out, what);
		fputs(",\"before\":[", out);
		for (size_t k = 0; k < r->nbefore; k++) {
			fputs(k ? ",{\"bad\":" : "{\"bad\":", out);
			json_insn(out, cfg[0], &r->before[0][k]);
			fputs(",\"good\":", out);
			json_insn(out, cfg[1], &r->before[1][k]);
			putc('}', out);
		}
		fputs("],\"after\":{", out);
		for (int s = 0; s < 2; s++) {
			fprintf(out, "%s\"%s\":", s ? "," : "", side_key[s]);
			json_insns(out, cfg[s], r->after[s], r->nafter[s]);
		}
		fputs("},\"events\":{", out);
		for (int s = 0; s < 2; s++) {
			fprintf(out, "%s\"%s\":", s ? "," : "", side_key[s]);
			json_events(out, r->events[s], r->nevents[s]);
		}
		putc('}', out);
		break;
	}
	default:
		break;
	}
	fputs("}\n", out);
}

/* ------------------------------------------------------------ command */

int cmd_diff(int argc, char **argv)
{
	struct diff_opts o;
	parse_args(&o, argc, argv);

	/* Both files first: a bad second one is the one line on stderr, not
	 * after the first one's notes. */
	for (int s = 0; s < 2; s++) {
		struct pdt_file f;
		capture_file_open(&f, o.trace[s]);
		pdt_file_close(&f);
	}
	struct capture cap[2];
	for (int s = 0; s < 2; s++) {
		capture_open(&cap[s], o.trace[s], &o.cap);
		const struct pdt_file_info *h = &cap[s].f.info;
		o.d.whole[s] = !(h->has_window && h->window_dropped);
	}
	struct pdt_diff *d;
	if (pdt_diff_new(&d, &o.d) != 0)
		die(EXIT_INTERNAL, "out of memory");
	const struct pdt_flow_config *const cfg[2] = { &cap[0].cfg, &cap[1].cfg };
	const uint8_t *const words[2] = { cap[0].f.words, cap[1].f.words };
	const uint64_t len[2] = { cap[0].f.len, cap[1].f.len };
	int failed;
	int rc = pdt_diff_flows(d, cfg, words, len, &failed);
	if (rc == PDT_E_NOMEM || failed < 0) {
		if (rc)
			die(EXIT_INTERNAL, "out of memory");
	} else if (rc) {
		capture_failed(o.trace[failed], rc);
	}

	static char obuf[1 << 16];
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	int status = EXIT_CLEAN;
	for (unsigned g = 1; g <= PDT_FLOW_GUESTS; g++) {
		const struct pdt_diff_guest *r = pdt_diff_guest(d, g);
		bool asked = o.d.guests & (1u << g);
		if (o.d.guests && !asked)
			continue;
		if (r->status == PDT_DIFF_ABSENT && !asked)
			continue;
		if (r->status == PDT_DIFF_DIVERGED || r->status == PDT_DIFF_NOT_ALIGNED ||
		    r->status == PDT_DIFF_NO_ANCHOR)
			status = EXIT_FINDING;
		if (o.json)
			print_json(stdout, r, cfg, o.d.queue);
		else
			pdt_diff_print(stdout, r, cfg, o.d.queue);
	}
	pdt_diff_free(d);
	capture_close(&cap[0]);
	capture_close(&cap[1]);
	if (fflush(stdout) != 0 || ferror(stdout))
		die(EXIT_INTERNAL, "writing the output: %s", strerror(errno));
	return status;
}
