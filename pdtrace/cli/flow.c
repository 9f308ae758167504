/*
 * pdtrace flow: the instructions a capture ran, per context, with events
 * decoded by meaning; a thin layer over libpdtrace's flow decoder
 * (pdtrace/flow.h), like ptxed over libipt.
 *
 *   pdtrace flow TRACE [--image CTX=ELF]... [--crashme SEED,WORDS]
 *                [--context CTX] [--from N] [--to M] [--json] [--no-events]
 *                [--around pagemask|anomaly|INDEX [--before N] [--after M]]
 *
 * --around finds the failure first (a guest's PageMask shrinking, seen in
 * the hypervisor's messages; a guest's anomaly report; or an instruction
 * index), then shows that guest's last N instructions before it and M
 * after it, with the events between: the excerpt a bug report wants.
 *
 * The code a capture is decoded with: capture.c (the capture's header,
 * unless options give it).
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mips/exc.h>
#include <mips/isa.h>
#include <pdtrace/flow.h>

struct flow_opts {
	const char *trace;
	struct capture_opts cap;
	int only_guest;      /* -1: every context; 0 root; 1..8 a guest */
	int only_ksu;        /* -1: kernel and user; else PDT_KERNEL/PDT_USER */
	uint64_t from, to;
	bool json, events;
	enum pdt_around around; /* 0: none */
	uint64_t around_index;
	uint64_t before, after;
};

/* "root", "g1", "g1k", "g1u" (also "g1 k"). */
static void parse_context(struct flow_opts *o, const char *s)
{
	if (!strcmp(s, "root")) {
		o->only_guest = 0;
		return;
	}
	if (s[0] == 'g' && s[1] >= '1' && s[1] <= '8') {
		const char *k = s + 2;
		if (*k == ' ')
			k++;
		o->only_guest = s[1] - '0';
		if (!*k)
			return;
		if (!strcmp(k, "k")) {
			o->only_ksu = PDT_KERNEL;
			return;
		}
		if (!strcmp(k, "u")) {
			o->only_ksu = PDT_USER;
			return;
		}
	}
	die(EXIT_BAD_INPUT, "--context: '%s' is not root, gN, gNk or gNu (N = 1..8)", s);
}

static uint64_t parse_index(const char *opt, const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-')
		die(EXIT_BAD_INPUT, "%s: '%s' is not an instruction index", opt, s);
	return v;
}

static void parse_args(struct flow_opts *o, int argc, char **argv)
{
	memset(o, 0, sizeof *o);
	o->only_guest = -1;
	o->only_ksu = -1;
	o->to = UINT64_MAX;
	o->events = true;
	o->before = 200;
	o->after = 20;
	enum { O_NOEV = CLI_O_OWN, O_CONTEXT, O_FROM, O_TO, O_AROUND, O_BEFORE, O_AFTER };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "no-events", no_argument, NULL, O_NOEV },
		{ "context", required_argument, NULL, O_CONTEXT },
		{ "from", required_argument, NULL, O_FROM },
		{ "to", required_argument, NULL, O_TO },
		{ "around", required_argument, NULL, O_AROUND },
		{ "before", required_argument, NULL, O_BEFORE },
		{ "after", required_argument, NULL, O_AFTER },
		{ 0 },
	};
	/* The messages are ours (opterr off); ':' first: a missing value is
	 * told from an unknown option. */
	opterr = 0;
	optind = 0;
	const char *window_opt = NULL; /* --before or --after, as given */
	int c;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		const char *a = argv[optind - 1], *v = optarg;
		if (cli_common_opt(c, v, &o->cap, &o->json))
			continue;
		switch (c) {
		case O_NOEV:
			o->events = false;
			break;
		case O_CONTEXT:
			parse_context(o, v);
			break;
		case O_FROM:
			o->from = parse_index("--from", v);
			break;
		case O_TO:
			o->to = parse_index("--to", v);
			break;
		case O_AROUND:
			if (!strcmp(v, "pagemask")) {
				o->around = PDT_AROUND_PAGEMASK;
			} else if (!strcmp(v, "anomaly")) {
				o->around = PDT_AROUND_ANOMALY;
			} else {
				o->around = PDT_AROUND_INDEX;
				o->around_index = parse_index("--around", v);
			}
			break;
		case O_BEFORE:
			window_opt = "--before";
			o->before = parse_index("--before", v);
			break;
		case O_AFTER:
			window_opt = "--after";
			o->after = parse_index("--after", v);
			break;
		default:
			cli_option_error("flow", c, a);
		}
	}
	/* argv[0] is "flow"; getopt moved the operands to the end. */
	cli_traces("flow", argc, argv, optind, &o->trace, 1);
	/* They size --around's window; alone they would be ignored. */
	if (window_opt && !o->around)
		die(EXIT_BAD_INPUT, "%s: only with --around (it sizes the window around the failure)",
		    window_opt);
	if (o->around && (o->from || o->to != UINT64_MAX))
		die(EXIT_BAD_INPUT, "--around: not with --from/--to (it chooses the window)");
	if (o->from > o->to)
		die(EXIT_BAD_INPUT, "--from %" PRIu64 " is past --to %" PRIu64, o->from, o->to);
}


static bool wanted(const struct flow_opts *o, const struct pdt_flow_item *it)
{
	if (it->index < o->from || it->index > o->to)
		return false;
	if (o->only_guest < 0)
		return true;
	if (o->only_guest == 0)
		return !it->ctx.guest;
	if (!it->ctx.guest || it->ctx.guestid != o->only_guest) {
		/* Events about the guest, seen from root, belong to it too. */
		if (it->is_insn)
			return false;
		switch (it->ev.kind) {
		case PDT_EV_GUEST_EXIT: case PDT_EV_GUEST_ENTRY:
			return it->ev.guest.gid == (unsigned)o->only_guest;
		case PDT_EV_SWITCH:
			return it->ev.sw.from == (unsigned)o->only_guest ||
			       it->ev.sw.to == (unsigned)o->only_guest;
		case PDT_EV_PAGEMASK:
			return it->ev.pagemask.gid == (unsigned)o->only_guest;
		case PDT_EV_MARKER: case PDT_EV_ANOMALY: case PDT_EV_HEARTBEAT:
		case PDT_EV_VIRQ:
			return it->ev.msg.gid == (unsigned)o->only_guest;
		default:
			return false;
		}
	}
	int k = pdt_flow_effective_ksu(&it->ctx);
	return o->only_ksu < 0 || k == o->only_ksu ||
	       (o->only_ksu == PDT_KERNEL && k != PDT_USER);
}

/*
 * The text of an instruction line after its index and context (PC,
 * symbol, disassembly) depends on the code only: cached by PC, so a loop
 * that runs a million times is formatted once.  Disassembly and symbol
 * lookup were nine tenths of the text output's time.
 */
#define TAIL_CACHE 65536u
struct tail {
	bool used;
	uint32_t pc, word;
	int block;
	uint8_t space; /* 0 root, 1..8 a guest */
	char text[232]; /* 8 + 2 + 96 + 1 + 96 and spare */
};
static struct tail *tails;

static const char *insn_tail(const struct pdt_flow_config *cfg, const struct pdt_flow_item *it)
{
	uint8_t space = it->ctx.guest ? it->ctx.guestid : 0;
	struct tail *t = tails ? &tails[(it->insn.pc >> 2) & (TAIL_CACHE - 1)] : NULL;
	if (t && t->used && t->pc == it->insn.pc && t->word == it->insn.word &&
	    t->block == it->insn.block && t->space == space)
		return t->text;
	static struct tail scratch;
	if (!t)
		t = &scratch;
	char sym[96], dis[96];
	pdt_flow_symbol(cfg, it, sym, sizeof sym);
	isa_disasm(it->insn.pc, it->insn.word, dis, sizeof dis);
	snprintf(t->text, sizeof t->text, "%08" PRIx32 "  %-28s %s", it->insn.pc, sym, dis);
	t->used = true;
	t->pc = it->insn.pc;
	t->word = it->insn.word;
	t->block = it->insn.block;
	t->space = space;
	return t->text;
}

static void print_item(const struct flow_opts *o, const struct pdt_flow_config *cfg,
		       const struct pdt_flow_item *it, FILE *out)
{
	char ctx[16], sym[96], dis[96], ev[400], tmp[16];
	pdt_flow_context_name(&it->ctx, ctx, sizeof ctx);
	if (it->is_insn && !o->json && it->insn.have_word) {
		const char *exc = it->insn.exc >= 0
			? pdt_exc_text((unsigned)it->insn.exc, tmp, sizeof tmp) : NULL;
		fprintf(out, "%10" PRIu64 "  %-5s %s%s%s\n", it->index, ctx, insn_tail(cfg, it),
			exc ? "    !" : "", exc ? exc : "");
		return;
	}
	if (it->is_insn) {
		pdt_flow_symbol(cfg, it, sym, sizeof sym);
		if (it->insn.have_word)
			isa_disasm(it->insn.pc, it->insn.word, dis, sizeof dis);
		else
			snprintf(dis, sizeof dis, "?");
		const char *exc = it->insn.exc >= 0 ? pdt_exc_text((unsigned)it->insn.exc, tmp, sizeof tmp)
						    : NULL;
		if (o->json) {
			fprintf(out, "{\"index\":%" PRIu64 ",\"context\":", it->index);
			json_string(out, ctx);
			fprintf(out, ",\"pc\":\"%08" PRIx32 "\"", it->insn.pc);
			if (it->insn.have_word)
				fprintf(out, ",\"word\":\"%08" PRIx32 "\"", it->insn.word);
			if (sym[0]) {
				fputs(",\"symbol\":", out);
				json_string(out, sym);
			}
			fputs(",\"insn\":", out);
			json_string(out, dis);
			if (exc) {
				fputs(",\"exception\":", out);
				json_string(out, exc);
			}
			fputs("}\n", out);
		} else {
			fprintf(out, "%10" PRIu64 "  %-5s %08" PRIx32 "  %-28s %s%s%s\n", it->index, ctx,
				it->insn.pc, sym, dis, exc ? "    !" : "", exc ? exc : "");
		}
		return;
	}
	pdt_flow_event_text(it, ev, sizeof ev);
	if (o->json) {
		fputs("{\"event\":", out);
		json_string(out, pdt_flow_event_name(it->ev.kind));
		fprintf(out, ",\"index\":%" PRIu64 ",\"context\":", it->index);
		json_string(out, ctx);
		fputs(",\"text\":", out);
		json_string(out, ev);
		fprintf(out, ",\"offset\":%" PRIu64 "}\n", it->offset);
	} else {
		fprintf(out, "%10s  %-5s -- %s\n", "", ctx, ev);
	}
}

/* ------------------------------------------------------------ --around */

/* What pdt_flow_window needs to print the CLI's way. */
struct around_print {
	const struct flow_opts *o;
	const struct pdt_flow_config *cfg;
};

static bool around_keep(void *priv, const struct pdt_flow_item *it)
{
	const struct around_print *p = priv;
	return (it->is_insn || p->o->events) && wanted(p->o, it);
}

static void around_show(void *priv, const struct pdt_flow_item *it)
{
	const struct around_print *p = priv;
	print_item(p->o, p->cfg, it, stdout);
}

/* The failure (the library finds it), a title line, then the chosen
 * context's window around it. */
static void print_around(struct flow_opts *o, const struct pdt_flow_config *cfg,
			 const struct pdt_file *f)
{
	/* Per o->around: the option's word, what is missing, the title. */
	static const char *const names[][3] = {
		[PDT_AROUND_PAGEMASK] = { "pagemask", "PageMask shrink", "the first PageMask shrink" },
		[PDT_AROUND_ANOMALY] = { "anomaly", "anomaly report", "the first anomaly" },
		[PDT_AROUND_INDEX] = { "index", "instruction", "the instruction" },
	};
	const char *const *n = names[o->around];
	uint64_t at = 0;
	int guest = 0;
	int rc = pdt_flow_find_failure(cfg, f->words, f->len, o->around, o->around_index, &at,
				       &guest);
	if (rc == PDT_E_EOS)
		die(EXIT_BAD_INPUT, "%s: --around %s: no such %s in the trace", o->trace, n[0], n[1]);
	if (rc)
		capture_failed(o->trace, rc);
	if (o->only_guest < 0)
		o->only_guest = guest;
	fprintf(stdout, "%10s  %-5s -- around instruction %" PRIu64 ": %s of %s\n", "",
		guest ? "" : "root", at, n[2],
		guest ? (char[]){ 'g', (char)('0' + guest), 0 } : "root");
	struct around_print p = { o, cfg };
	rc = pdt_flow_window(cfg, f->words, f->len, at, o->before, o->after, around_keep,
			     around_show, &p);
	if (rc)
		capture_failed(o->trace, rc);
}

int cmd_flow(int argc, char **argv)
{
	struct flow_opts o;
	parse_args(&o, argc, argv);

	struct capture cap;
	capture_open(&cap, o.trace, &o.cap);
	const struct pdt_flow_config *cfg = &cap.cfg;

	tails = calloc(TAIL_CACHE, sizeof *tails); /* none: format every line */
	static char obuf[1 << 16];
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	uint64_t gaps = 0; /* counted in the full listing only */
	if (o.around) {
		print_around(&o, cfg, &cap.f);
	} else {
		struct pdt_flow *flow;
		if (pdt_flow_new(&flow, cfg, cap.f.words, cap.f.len) != 0)
			die(EXIT_INTERNAL, "out of memory");
		struct pdt_flow_item it;
		int rc;
		while ((rc = pdt_flow_next(flow, &it)) == 0) {
			if (!it.is_insn && it.ev.kind == PDT_EV_GAP &&
			    it.ev.gap.why != PDT_FGAP_UNSYNCED)
				gaps++;
			if (it.index > o.to)
				break;
			if ((it.is_insn || o.events) && wanted(&o, &it))
				print_item(&o, cfg, &it, stdout);
		}
		if (rc < 0 && rc != PDT_E_EOS)
			capture_failed(o.trace, rc);
		pdt_flow_free(flow);
	}
	free(tails);
	capture_close(&cap);
	if (fflush(stdout) != 0 || ferror(stdout))
		die(EXIT_INTERNAL, "writing the output: %s", strerror(errno));
	if (gaps)
		fprintf(stderr, "pdtrace: flow: %" PRIu64 " gap%s (see the gap lines)\n", gaps,
			gaps == 1 ? "" : "s");
	return 0;
}
