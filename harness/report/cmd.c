/*
 * vzsoak report DIR [--out DIR] [--quiet]: the bug report of a run
 * (report.h, docs/report.md).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <mips/isa.h>
#include <util/outfile.h>

#include "../cli.h"
#include "../console_watch.h"
#include "../crashdb.h"
#include "report.h"

static void usage(FILE *f)
{
	fputs("usage: vzsoak report DIR [--out DIR] [--trace FILE] [--quiet]\n"
	      "Writes the bug report of a run: DIR is a run folder (vzsoak run) or a\n"
	      "crash folder of a soak (its reproducer with the shortest time to failure);\n"
	      "or of a whole soak folder: its titles, runs and time to failure over seeds.\n"
	      "The run is replayed on vzsim and traced; the trace detectors say what went\n"
	      "wrong; the story is the failing guest's steps from its last good state to\n"
	      "the failure, with its instructions, registers and TLB entries.\n\n"
	      "options:\n"
	      "  --out DIR   where report.md, report.html, the plots and the replay's trace\n"
	      "              go (default DIR/report)\n"
	      "  --trace FILE  tell the story from this capture (a board's), without\n"
	      "              replaying: no registers or TLB entries\n"
	      "  --good auto|none|FILE|DIR  the good run the failing guest's trace is\n"
	      "              compared with: auto (the same seed with the fix on; the\n"
	      "              default), none, a capture, or a run folder with one\n"
	      "  --quiet     no line on stderr at the end\n\n"
	      "exit status: 0 the report is written, 2 bad input, 70 internal error.\n"
	      "Details: docs/report.md\n", f);
}

/* A note of the capture's decoding: on stderr, and in the report. */
static void note(void *priv, const char *msg)
{
	struct report *r = priv;
	fprintf(stderr, "vzsoak: report: note: %s\n", msg);
	size_t n = strlen(r->notes);
	snprintf(r->notes + n, sizeof r->notes - n, "%s%s", n ? "; " : "", msg);
}

/* The replay must flag what the run flagged, where it did: else the
 * report is of another run (an image rebuilt since, another vzsim). */
static void check_replay(struct report *r)
{
	const struct detector *d = &r->flags;
	const struct flag *first = NULL;
	for (unsigned i = 0; i < d->nflags && !first; i++)
		if (d->flags[i].guest && d->flags[i].kind != FLAG_CONFIG)
			first = &d->flags[i];
	if (!first && d->nflags)
		first = &d->flags[0];
	if (!r->in.title[0]) {
		r->replay_matches = !first;
		snprintf(r->replay_note, sizeof r->replay_note, "%s",
			 first ? "the replay flagged a run that was clean: not the same run"
			       : "the replay ran clean, as the run did");
	} else if (first && !strcmp(flag_title(first), r->in.title) && first->insns == r->in.ttf) {
		r->replay_matches = true;
		snprintf(r->replay_note, sizeof r->replay_note, "the replay flagged \"%s\" at "
			 "instruction %" PRIu64 ", as the run did", r->in.title, r->in.ttf);
	} else {
		r->replay_matches = false;
		snprintf(r->replay_note, sizeof r->replay_note, "NOT the same run: it flagged "
			 "\"%s\" at %" PRIu64 ", the replay %s%s%s at %" PRIu64, r->in.title,
			 r->in.ttf, first ? "\"" : "nothing", first ? flag_title(first) : "",
			 first ? "\"" : "", first ? first->insns : 0);
	}
}

/* The writes that took the failing guest's entry, as steps, with the TLB
 * right after each (a third replay, stopped there). */
static void add_evictions(struct report *r, const struct pdt_flow_config *cfg,
			  const struct replay_watch *w)
{
	struct story *s = &r->story;
	if (!w->nev)
		return;
	uint64_t at[REPLAY_MAX_EVICTIONS];
	unsigned guest[REPLAY_MAX_EVICTIONS];
	uint32_t va[REPLAY_MAX_EVICTIONS];
	static struct replay_state st[REPLAY_MAX_EVICTIONS];
	for (unsigned k = 0; k < w->nev; k++) {
		at[k] = w->ev[k].ev.index;
		guest[k] = s->guest;
		va[k] = s->va;
	}
	char err[512];
	if (replay_states(&r->in, at, w->nev, guest, va, st, NULL, err, sizeof err) != 0)
		die(EXIT_INTERNAL, "report: the second replay: %s", err);
	for (unsigned k = 0; k < w->nev; k++) {
		const struct vzsim_tlb_write_event *e = &w->ev[k].ev;
		struct story_step step = {.index = e->index, .guest = e->guest ? e->guestid : 0};
		char who[16], how[48];
		if (e->guest)
			snprintf(who, sizeof who, "g%u", e->guestid);
		else
			snprintf(who, sizeof who, "the hypervisor");
		if (e->how == VZSIM_TLB_TLBWR || e->how == VZSIM_TLB_TLBGWR)
			snprintf(how, sizeof how, "%s (Random %u)", tlb_how_name(e->how), e->random);
		else
			snprintf(how, sizeof how, "%s", tlb_how_name(e->how));
		snprintf(step.what, sizeof step.what, "%s: %s replaces g%u's entry %u for "
			 "0x%08" PRIx32 " with %s", who, how, s->guest, e->entry, s->va,
			 e->after.invalid ? "nothing (invalidated)" :
			 e->after.guest ? "another guest's mapping" : "a root mapping");
		/* Its one instruction, with the symbol its image gives. */
		const struct pdt_code *code = !e->guest ? cfg->root
					      : e->guestid <= PDT_FLOW_GUESTS ? cfg->guest[e->guestid]
										  : NULL;
		uint32_t off;
		const char *sym = code ? pdt_code_symbol(code, e->pc, &off) : NULL;
		char symtext[96] = "", dis[96];
		if (sym)
			snprintf(symtext, sizeof symtext, "%s+0x%" PRIx32, sym, off);
		isa_disasm(e->pc, e->word, dis, sizeof dis);
		step.insn[0].index = e->index;
		step.insn[0].pc = e->pc;
		step.insn[0].word = e->word;
		snprintf(step.insn[0].text, sizeof step.insn[0].text, "%08" PRIx32 "  %-24s %s",
			 e->pc, symtext, dis);
		step.ninsn = 1;
		step.st = st[k];
		story_insert(s, &step);
	}
}

static void build_story(struct report *r, const struct pdt_flow_config *cfg,
			const struct pdt_file *f)
{
	const struct pdt_finding *bug = NULL;
	for (size_t i = 0; i < r->nfindings && !bug; i++)
		if (r->findings[i].sev == PDT_SEV_BUG)
			bug = &r->findings[i];
	if (!bug)
		return;
	char err[512];
	struct story *s = &r->story;
	if (story_build(s, bug, cfg, f->words, f->len, err, sizeof err) != 0) {
		fprintf(stderr, "vzsoak: report: note: no story: %s\n", err);
		return;
	}
	if (r->no_replay) {
		/* A capture alone (a board): what the trace proves, no state. */
		r->have_story = true;
		return;
	}
	/* The address the handler was about: BadVAddr after the exception. */
	uint64_t at0 = s->step[0].index;
	unsigned g = s->guest;
	uint32_t va0 = 0;
	struct replay_state st0;
	if (replay_states(&r->in, &at0, 1, &g, &va0, &st0, NULL, err, sizeof err) != 0)
		die(EXIT_INTERNAL, "report: the second replay: %s", err);
	s->va = st0.cp0[SR_BADVADDR];
	uint64_t at[STORY_MAX_STEPS];
	unsigned guest[STORY_MAX_STEPS];
	uint32_t va[STORY_MAX_STEPS];
	struct replay_state out[STORY_MAX_STEPS];
	for (unsigned k = 0; k < s->nsteps; k++) {
		at[k] = s->step[k].index;
		guest[k] = s->guest;
		va[k] = s->va;
	}
	/* Who took the guest's entry for the address while its handler ran:
	 * the TLB write hook sees every write, the hypervisor's too. */
	static struct replay_watch watch;
	watch = (struct replay_watch){.from = s->step[0].index, .to = bug->index,
				      .guest = s->guest, .va = s->va};
	if (replay_states(&r->in, at, s->nsteps, guest, va, out, &watch, err, sizeof err) != 0)
		die(EXIT_INTERNAL, "report: the second replay: %s", err);
	for (unsigned k = 0; k < s->nsteps; k++)
		s->step[k].st = out[k];
	add_evictions(r, cfg, &watch);
	r->have_story = true;
}

/* path, written by write() under a temporary name and renamed into place. */
static void write_report(const char *path, void (*write)(FILE *, const struct report *),
			 const struct report *r)
{
	char err[1024];
	struct outfile o;
	if (outfile_open(&o, path, err, sizeof err) != 0)
		die(EXIT_BAD_INPUT, "report: %s", err);
	write(o.f, r);
	if (outfile_commit(&o, err, sizeof err) != 0)
		die(EXIT_INTERNAL, "report: %s", err);
}

/* The lines a Linux guest's kernel printed up to its console flag (the
 * replay's first), from the run's console.log: the Oops, the registers,
 * the call trace, the panic. */
#define CONSOLE_EXCERPT_LINES 40
static void console_of_flag(struct report *r)
{
	for (unsigned i = 0; i < r->flags.nflags; i++) {
		const struct flag *fl = &r->flags.flags[i];
		if (fl->kind != FLAG_CONSOLE)
			continue;
		/* Its line's start finds it again. */
		char key[64];
		char *path = report_path(r->in.run_dir, "console.log");
		r->console = console_excerpt(path, fl->guest,
					     console_flag_line(fl, key, sizeof key),
					     CONSOLE_EXCERPT_LINES);
		r->console_guest = fl->guest;
		free(path);
		return;
	}
}

int cmd_report(const char *prog, int argc, char **argv)
{
	(void)prog;
	enum { O_OUT = 256, O_TRACE, O_GOOD, O_QUIET, O_HELP };
	static const struct option longopts[] = {
		{"out", required_argument, NULL, O_OUT},
		{"trace", required_argument, NULL, O_TRACE},
		{"good", required_argument, NULL, O_GOOD},
		{"quiet", no_argument, NULL, O_QUIET},
		{"help", no_argument, NULL, O_HELP},
		{NULL, 0, NULL, 0},
	};
	const char *out = NULL;
	const char *trace = NULL; /* --trace: that capture, no replay */
	const char *good = "auto"; /* --good: auto, none, or a capture */
	bool quiet = false;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case O_OUT:
			out = optarg;
			break;
		case O_TRACE:
			trace = optarg;
			break;
		case O_GOOD:
			good = optarg;
			break;
		case O_QUIET:
			quiet = true;
			break;
		case 'h':
		case O_HELP:
			usage(stdout);
			return EXIT_CLEAN;
		case ':':
			die(EXIT_BAD_INPUT, "report: option '%s' needs a value (try vzsoak report "
				"--help)", argv[optind - 1]);
		default:
			die(EXIT_BAD_INPUT, "report: unknown option '%s' (try vzsoak report --help)",
				argv[optind - 1]);
		}
	}
	if (optind >= argc)
		die(EXIT_BAD_INPUT, "report: which run? (give a run or crash folder)");
	if (argc - optind > 1)
		die(EXIT_BAD_INPUT, "report: one folder at a time ('%s' and '%s')", argv[optind],
		    argv[optind + 1]);

	/* A whole soak (its journal): the morning's view. */
	char *conf = report_path(argv[optind], "soak.conf"), *jn = report_path(argv[optind], "journal");
	struct stat sst;
	bool is_soak = stat(conf, &sst) == 0 && stat(jn, &sst) == 0;
	free(conf);
	free(jn);
	if (is_soak) {
		if (trace)
			die(EXIT_BAD_INPUT, "report: --trace: %s is a soak folder (give one of its "
			    "runs or crash folders)", argv[optind]);
		char *own = out ? NULL : report_path(argv[optind], REPORT_DIR_NAME);
		int st = report_soak(argv[optind], out ? out : own, quiet);
		free(own);
		return st;
	}
	static struct report r;
	char err[1024];
	if (report_input_read(&r.in, argv[optind], err, sizeof err) != 0)
		die(EXIT_BAD_INPUT, "report: %s", err);
	char *out_own = NULL;
	if (!out)
		out = out_own = report_path(argv[optind], REPORT_DIR_NAME);
	if (mkdir(out, 0777) != 0 && errno != EEXIST)
		die(EXIT_BAD_INPUT, "report: --out %s: cannot create: %s", out, strerror(errno));
	r.out_dir = out;
	if (trace) {
		/* A board's capture (or one kept from the run): no replay. */
		r.no_replay = true;
		snprintf(r.trace, sizeof r.trace, "%s", trace);
		snprintf(r.replay_note, sizeof r.replay_note, "not replayed: the story is what "
			 "the capture and the hypervisor's messages prove; registers and TLB "
			 "entries need a replay on vzsim");
	} else {
		snprintf(r.trace, sizeof r.trace, "%s/trace.vzt", out);
		/* The replay, traced, to where the run ended. */
		if (replay_trace(&r.in, r.trace, r.in.insns, &r.flags, &r.view, err,
				 sizeof err) != 0)
			die(EXIT_BAD_INPUT, "report: the replay: %s", err);
		check_replay(&r);
		console_of_flag(&r);
	}

	/* The trace detectors over it, then the story of the first bug. */
	struct pdt_capture cap;
	int rc = pdt_capture_open(&cap, r.trace, NULL, note, &r, err, sizeof err);
	if (rc)
		die(rc == PDT_E_NOMEM ? EXIT_INTERNAL : EXIT_BAD_INPUT, "report: %s", err);
	const struct pdt_file f = cap.f;
	const struct pdt_capture_code code = cap.code;
	struct pdt_detect_config dc = {.repeat_limit = r.in.scn.repeat_limit};
	struct pdt_detect *det;
	if ((rc = pdt_detect_capture(&code.cfg, f.words, f.len, &dc, &det)) != 0)
		die(EXIT_INTERNAL, "report: %s: %s", r.trace, pdt_errstr(rc));
	r.nfindings = pdt_detect_findings(det, &r.findings);
	for (size_t i = 0; i < r.nfindings; i++)
		r.bugs += r.findings[i].sev == PDT_SEV_BUG;
	build_story(&r, &code.cfg, &f);
	if (report_good(&r, good, &code.cfg, &f, err, sizeof err) != 0)
		die(EXIT_BAD_INPUT, "report: the good run: %s", err);

	/* The plots first: both reports link them, or say why they are missing. */
	report_plots(&r);
	if (r.plots.missing[0])
		fprintf(stderr, "vzsoak: report: note: plots missing: %s\n", r.plots.missing);
	char *md = report_path(out, "report.md");
	write_report(md, report_markdown, &r);
	char *html = report_path(out, "report.html");
	write_report(html, report_html, &r);
	if (!quiet)
		fprintf(stderr, "vzsoak: report: %s, %s%s\n", md, html,
			r.replay_matches || r.no_replay ? "" : " (the replay is NOT the run: see its table)");
	pdt_detect_free(det);
	pdt_capture_close(&cap);
	free(md);
	free(html);
	free(r.diff_text);
	free(r.console);
	free(out_own);
	report_input_free(&r.in);
	return EXIT_CLEAN;
}
