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
 * Images come from the capture's header unless given: the first image it
 * names is the hypervisor (root); each guest runs the image its boot
 * arguments name (image=, gN=), found as guests/NAME.elf next to the
 * hypervisor's ELF; crashme's seed and block size come from the same boot
 * arguments (seed=, crashme=).  They are read by the hypervisor's own
 * parser (libbootargs), whose defaults stand for a key left out.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <crashme/block.h>
#include <mips/exc.h>
#include <mips/isa.h>
#include <pdtrace/flow.h>
#include <vzsoak/bootargs_parse.h>

_Static_assert(PDT_FLOW_GUESTS <= HV_MAX_GUESTS, "a guest's image from hv_args.image[]");

struct flow_opts {
	const char *trace;
	const char *image[PDT_FLOW_GUESTS + 1]; /* [0] root */
	bool crashme_given;
	uint32_t crashme_seed, crashme_words;
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

static void parse_image(struct flow_opts *o, const char *s)
{
	const char *eq = strchr(s, '=');
	if (!eq || !eq[1])
		die(EXIT_BAD_INPUT, "--image: '%s': want CTX=ELF (CTX: root or g1..g8)", s);
	size_t n = (size_t)(eq - s);
	if (n == 4 && !strncmp(s, "root", 4))
		o->image[0] = eq + 1;
	else if (n == 2 && s[0] == 'g' && s[1] >= '1' && s[1] <= '8')
		o->image[s[1] - '0'] = eq + 1;
	else
		die(EXIT_BAD_INPUT, "--image: '%.*s' is not root or g1..g8", (int)n, s);
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
	enum { O_JSON = 1, O_NOEV, O_IMAGE, O_CONTEXT, O_FROM, O_TO, O_CRASHME, O_AROUND,
	       O_BEFORE, O_AFTER };
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, O_JSON },
		{ "no-events", no_argument, NULL, O_NOEV },
		{ "image", required_argument, NULL, O_IMAGE },
		{ "context", required_argument, NULL, O_CONTEXT },
		{ "from", required_argument, NULL, O_FROM },
		{ "to", required_argument, NULL, O_TO },
		{ "crashme", required_argument, NULL, O_CRASHME },
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
		switch (c) {
		case 'h':
			cli_usage();
			exit(0);
		case O_JSON:
			o->json = true;
			break;
		case O_NOEV:
			o->events = false;
			break;
		case O_IMAGE:
			parse_image(o, v);
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
		case O_CRASHME: {
			unsigned long long s, w;
			char tail;
			if (sscanf(v, "%llu,%llu%c", &s, &w, &tail) != 2 || s > UINT32_MAX ||
			    w > 4096)
				die(EXIT_BAD_INPUT, "--crashme: '%s': want SEED,WORDS (WORDS <= 4096)", v);
			o->crashme_given = true;
			o->crashme_seed = (uint32_t)s;
			o->crashme_words = (uint32_t)w;
			break;
		}
		case ':':
			die(EXIT_BAD_INPUT, "%s: needs a value", a);
		default:
			/* A short option ("-x", maybe among others in one
			 * word) by its letter; a long one as written. */
			die(EXIT_BAD_INPUT, "flow: unknown option '%s' (pdtrace --help)",
				optopt > ' ' && optopt < 127 ? (char[]){ '-', (char)optopt, 0 } : a);
		}
	}
	/* argv[0] is "flow"; getopt moved the operands to the end. */
	for (int i = optind; i < argc; i++) {
		if (!o->trace)
			o->trace = argv[i];
		else
			die(EXIT_BAD_INPUT, "flow: one trace file only ('%s')", argv[i]);
	}
	if (!o->trace)
		die(EXIT_BAD_INPUT, "flow: no trace file (pdtrace --help)");
	/* They size --around's window; alone they would be ignored. */
	if (window_opt && !o->around)
		die(EXIT_BAD_INPUT, "%s: only with --around (it sizes the window around the failure)",
		    window_opt);
	if (o->around && (o->from || o->to != UINT64_MAX))
		die(EXIT_BAD_INPUT, "--around: not with --from/--to (it chooses the window)");
	if (o->from > o->to)
		die(EXIT_BAD_INPUT, "--from %" PRIu64 " is past --to %" PRIu64, o->from, o->to);
}

/* ------------------------------------------------------------ metadata */

static struct pdt_code *load(const char *what, const char *path)
{
	struct pdt_code *c;
	char err[256];
	if (pdt_code_load(&c, path, err, sizeof err) != 0)
		die(EXIT_BAD_INPUT, "%s image: %s", what, err);
	return c;
}

/*
 * The images and crashme parameters: options first, then the capture's
 * header (its first image, its boot arguments).  A guest image the header
 * implies but that is not there is left out with a note: its code shows
 * as gaps, the rest still decodes.
 */
static void setup(const struct flow_opts *o, const struct pdt_file_info *info,
		  struct pdt_flow_config *cfg, struct pdt_code **codes,
		  struct pdt_crashme **crashme)
{
	memset(cfg, 0, sizeof *cfg);
	const char *root = o->image[0];
	if (!root && info->nimages)
		root = info->images[0].path;
	if (root) {
		if (!o->image[0] && access(root, R_OK) != 0)
			fprintf(stderr, "pdtrace: note: the capture's image %s is not here "
				"(--image root=ELF): root code shows as gaps\n", root);
		else
			codes[0] = load("root", root);
	}
	cfg->root = codes[0];

	/* The capture's boot arguments, read by the hypervisor's own parser
	 * over its defaults (<vzsoak/bootargs.def>): a key the capture leaves
	 * out means here what it meant to the hypervisor. */
	struct hv_args hv;
	char why[96];
	hv_args_defaults(&hv);
	if (hv_args_parse(&hv, info->bootargs, sizeof info->bootargs, why,
			  sizeof why) != 0) {
		fprintf(stderr, "pdtrace: note: the capture's boot arguments: %s "
			"(the hypervisor stops on them): decoding with its defaults\n",
			why);
		hv_args_defaults(&hv);
	}
	char dir[4096] = ".";
	if (root) {
		char copy[4096];
		snprintf(copy, sizeof copy, "%s", root);
		snprintf(dir, sizeof dir, "%s", dirname(copy));
	}
	for (unsigned g = 1; g <= PDT_FLOW_GUESTS; g++) {
		if (o->image[g]) {
			codes[g] = load("guest", o->image[g]);
		} else if (root) {
			char path[4200];
			snprintf(path, sizeof path, "%s/guests/%s.elf", dir, hv.image[g - 1]);
			if (access(path, R_OK) == 0)
				codes[g] = load("guest", path);
		}
		cfg->guest[g] = codes[g];
	}
	/* crashme's blocks are code no image holds: they come from a code
	 * provider, with the capture's seed and block length unless the
	 * options give them. */
	uint32_t seed = o->crashme_given ? o->crashme_seed : hv.seed;
	uint32_t words = o->crashme_given ? o->crashme_words : hv.crashme;
	*crashme = NULL;
	if (words) {
		if (pdt_crashme_new(crashme, seed, words) != 0)
			die(EXIT_INTERNAL, "out of memory");
		cfg->code = pdt_crashme_provider(*crashme);
	}
}

/* ------------------------------------------------------------ printing */

/* The mode the context runs in: EXL or ERL make it kernel mode whatever
 * KSU says (an exception handler entered from user mode is kernel code). */
static int effective_ksu(const struct pdt_ctx *c)
{
	return c->exl || c->erl ? PDT_KERNEL : c->ksu;
}

static void context_name(const struct pdt_ctx *c, char *buf, size_t len)
{
	int k = effective_ksu(c);
	if (!c->guest)
		snprintf(buf, len, "root");
	else
		snprintf(buf, len, "g%u %c", c->guestid,
			 k == PDT_USER ? 'u' : k == PDT_SUPERVISOR ? 's' : 'k');
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
			return it->ev.msg.gid == (unsigned)o->only_guest;
		default:
			return false;
		}
	}
	int k = effective_ksu(&it->ctx);
	return o->only_ksu < 0 || k == o->only_ksu ||
	       (o->only_ksu == PDT_KERNEL && k != PDT_USER);
}

static const char *exc_or_num(unsigned code, char *buf, size_t len)
{
	const char *n = pdt_exc_name(code);
	if (n)
		return n;
	snprintf(buf, len, "exc%u", code);
	return buf;
}

/* A PageMask as the page size each half maps ("16K"), or hex. */
static void page_size(uint32_t pm, char *buf, size_t len)
{
	uint32_t mask = (pm >> 13) & 0xffffu;
	if ((mask & (mask + 1)) != 0) {
		snprintf(buf, len, "0x%08" PRIx32, pm);
		return;
	}
	uint64_t bytes = (uint64_t)(mask + 1) * 4096;
	if (bytes >= (1u << 20))
		snprintf(buf, len, "%" PRIu64 "M", bytes >> 20);
	else
		snprintf(buf, len, "%" PRIu64 "K", bytes >> 10);
}

/* "guest exit HC 1 (console)", "timer", ...: an exit code word. */
static void exit_text(uint32_t code, char *buf, size_t len)
{
	unsigned exc = code & 0x1fu, g = (code >> 8) & 0x1fu, hc = (code >> 16) & 0x3ffu;
	char tmp[16];
	const char *gname = mips_gexc_name(g);
	if (exc == EXC_GE && g == GEXC_HC)
		snprintf(buf, len, "HC %u", hc);
	else if (exc == EXC_GE)
		snprintf(buf, len, "%s", gname ? gname : "GE");
	else if (exc == EXC_INT)
		snprintf(buf, len, "timer");
	else
		snprintf(buf, len, "%s", exc_or_num(exc, tmp, sizeof tmp));
}

/* The event's words, after "-- ". */
static void event_text(const struct pdt_flow_item *it, char *buf, size_t len)
{
	char a[24], b[24];
	switch (it->ev.kind) {
	case PDT_EV_EXCEPTION:
		snprintf(buf, len, "exception %s%s at %08" PRIx32 " -> %08" PRIx32,
			 exc_or_num(it->ev.exc.code, a, sizeof a),
			 it->ctx.guest ? (it->ev.exc.root ? " (to root)" : " (to the guest)") : "",
			 it->ev.exc.pc, it->ev.exc.vector);
		break;
	case PDT_EV_ERET:
		snprintf(buf, len, "eret %08" PRIx32 " -> %08" PRIx32, it->ev.eret.from,
			 it->ev.eret.to);
		break;
	case PDT_EV_MODE:
		snprintf(buf, len, "mode %s%s%s asid=%02x", it->ctx.ksu == PDT_USER ? "user"
			 : it->ctx.ksu == PDT_SUPERVISOR ? "supervisor" : "kernel",
			 it->ctx.exl ? " exl" : "", it->ctx.erl ? " erl" : "", it->ctx.asid);
		break;
	case PDT_EV_SYNC:
		snprintf(buf, len, "sync at %08" PRIx32, it->ev.sync.pc);
		break;
	case PDT_EV_GUEST_EXIT:
	case PDT_EV_GUEST_ENTRY:
		exit_text(it->ev.guest.st.code, a, sizeof a);
		page_size(it->ev.guest.st.pagemask, b, sizeof b);
		snprintf(buf, len, "g%u %s%s%s at %08" PRIx32 ": epc=%08" PRIx32 " status=%08" PRIx32
			 " cause=%08" PRIx32 " badvaddr=%08" PRIx32 " entryhi=%08" PRIx32
			 " pagemask=%s index=%08" PRIx32, it->ev.guest.gid,
			 it->ev.kind == PDT_EV_GUEST_EXIT ? "guest exit " : "guest entry",
			 it->ev.kind == PDT_EV_GUEST_EXIT ? a : "",
			 "", it->ev.guest.st.pc, it->ev.guest.st.epc, it->ev.guest.st.status,
			 it->ev.guest.st.cause, it->ev.guest.st.badvaddr, it->ev.guest.st.entryhi,
			 b, it->ev.guest.st.index);
		break;
	case PDT_EV_SWITCH:
		exit_text(it->ev.sw.code, a, sizeof a);
		snprintf(buf, len, "%s g%u -> g%u (%s)",
			 (it->ev.sw.code & 0x1f) == 0 ? "preempt" : "switch", it->ev.sw.from,
			 it->ev.sw.to, a);
		break;
	case PDT_EV_PAGEMASK:
		page_size(it->ev.pagemask.from, a, sizeof a);
		page_size(it->ev.pagemask.to, b, sizeof b);
		snprintf(buf, len, "g%u PageMask %s -> %s (0x%" PRIx32 " -> 0x%" PRIx32 ")",
			 it->ev.pagemask.gid, a, b, it->ev.pagemask.from, it->ev.pagemask.to);
		break;
	case PDT_EV_MARKER:
		snprintf(buf, len, "g%u marker 0x%08" PRIx32, it->ev.msg.gid, it->ev.msg.value);
		break;
	case PDT_EV_ANOMALY:
		snprintf(buf, len, "g%u anomaly 0x%" PRIx32 " detail 0x%08" PRIx32,
			 it->ev.msg.gid, it->ev.msg.value, it->ev.msg.detail);
		break;
	case PDT_EV_HEARTBEAT:
		snprintf(buf, len, "g%u heartbeat %" PRIu32, it->ev.msg.gid, it->ev.msg.value);
		break;
	case PDT_EV_BLOCK:
		snprintf(buf, len, "g%u crashme block %" PRIu32, it->ev.block.gid,
			 it->ev.block.block);
		break;
	case PDT_EV_UTM:
		snprintf(buf, len, "utm chan=%u value=0x%08" PRIx32, it->ev.utm.chan,
			 it->ev.utm.value);
		break;
	case PDT_EV_GAP:
		snprintf(buf, len, "gap: %s at %08" PRIx32 ", %" PRIu64 " instructions not shown"
			 ", %" PRIu64 " trace bytes skipped (trace offset 0x%" PRIx64 ")",
			 pdt_flow_gap_name(it->ev.gap.why), it->ev.gap.pc, it->ev.gap.insns,
			 it->ev.gap.bytes, it->offset);
		break;
	default:
		snprintf(buf, len, "%s", pdt_flow_event_name(it->ev.kind));
		break;
	}
}

/* "name+0x10", "crashme#12+0x8", or "" for the instruction's pc. */
static void symbol_of(const struct pdt_flow_config *cfg, const struct pdt_flow_item *it,
		      char *buf, size_t len)
{
	buf[0] = 0;
	if (it->insn.block >= 0) {
		snprintf(buf, len, "crashme#%d+0x%" PRIx32, it->insn.block,
			 it->insn.pc - CRASHME_CODE_VA);
		return;
	}
	const struct pdt_code *c = !it->ctx.guest ? cfg->root
				   : it->ctx.guestid <= PDT_FLOW_GUESTS ? cfg->guest[it->ctx.guestid]
									: NULL;
	uint32_t off;
	const char *s = c ? pdt_code_symbol(c, it->insn.pc, &off) : NULL;
	if (s)
		snprintf(buf, len, "%s+0x%" PRIx32, s, off);
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
	symbol_of(cfg, it, sym, sizeof sym);
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
	context_name(&it->ctx, ctx, sizeof ctx);
	if (it->is_insn && !o->json && it->insn.have_word) {
		const char *exc = it->insn.exc >= 0
			? exc_or_num((unsigned)it->insn.exc, tmp, sizeof tmp) : NULL;
		fprintf(out, "%10" PRIu64 "  %-5s %s%s%s\n", it->index, ctx, insn_tail(cfg, it),
			exc ? "    !" : "", exc ? exc : "");
		return;
	}
	if (it->is_insn) {
		symbol_of(cfg, it, sym, sizeof sym);
		if (it->insn.have_word)
			isa_disasm(it->insn.pc, it->insn.word, dis, sizeof dis);
		else
			snprintf(dis, sizeof dis, "?");
		const char *exc = it->insn.exc >= 0 ? exc_or_num((unsigned)it->insn.exc, tmp, sizeof tmp)
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
	event_text(it, ev, sizeof ev);
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
/* The walk stopped on an error: out of memory is ours, anything else the
 * trace's. */
static __attribute__((noreturn)) void flow_failed(const char *trace, int rc)
{
	die(rc == PDT_E_NOMEM ? EXIT_INTERNAL : EXIT_BAD_INPUT, "%s: %s", trace,
	    pdt_errstr(rc));
}

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
		flow_failed(o->trace, rc);
	if (o->only_guest < 0)
		o->only_guest = guest;
	fprintf(stdout, "%10s  %-5s -- around instruction %" PRIu64 ": %s of %s\n", "",
		guest ? "" : "root", at, n[2],
		guest ? (char[]){ 'g', (char)('0' + guest), 0 } : "root");
	struct around_print p = { o, cfg };
	rc = pdt_flow_window(cfg, f->words, f->len, at, o->before, o->after, around_keep,
			     around_show, &p);
	if (rc)
		flow_failed(o->trace, rc);
}

int cmd_flow(int argc, char **argv)
{
	struct flow_opts o;
	parse_args(&o, argc, argv);

	struct pdt_file f;
	uint64_t eoff = 0;
	int err = pdt_file_open(&f, o.trace, &eoff);
	if (err == PDT_E_IO)
		die(EXIT_BAD_INPUT, "%s: %s", o.trace, strerror(errno));
	if (err)
		die(EXIT_BAD_INPUT, "%s: file offset 0x%" PRIx64 ": %s", o.trace, eoff, pdt_errstr(err));

	window_note(o.trace, &f.info);
	struct pdt_flow_config cfg;
	struct pdt_code *codes[PDT_FLOW_GUESTS + 1] = {0};
	struct pdt_crashme *crashme;
	setup(&o, &f.info, &cfg, codes, &crashme);

	tails = calloc(TAIL_CACHE, sizeof *tails); /* none: format every line */
	static char obuf[1 << 16];
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	uint64_t gaps = 0; /* counted in the full listing only */
	if (o.around) {
		print_around(&o, &cfg, &f);
	} else {
		struct pdt_flow *flow;
		if (pdt_flow_new(&flow, &cfg, f.words, f.len) != 0)
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
				print_item(&o, &cfg, &it, stdout);
		}
		if (rc < 0 && rc != PDT_E_EOS)
			flow_failed(o.trace, rc);
		pdt_flow_free(flow);
	}
	free(tails);
	pdt_crashme_free(crashme);
	for (unsigned g = 0; g <= PDT_FLOW_GUESTS; g++)
		pdt_code_free(codes[g]);
	pdt_file_close(&f);
	if (fflush(stdout) != 0 || ferror(stdout))
		die(EXIT_INTERNAL, "writing the output: %s", strerror(errno));
	if (gaps)
		fprintf(stderr, "pdtrace: flow: %" PRIu64 " gap%s (see the gap lines)\n", gaps,
			gaps == 1 ? "" : "s");
	return 0;
}
