/*
 * The good run and the trace diff against it (report.h): on vzsim the
 * same seed is replayed with the fix on (the hypervisor's, or else the
 * guest kernel's), traced, and the story's guest's flow is aligned with
 * the failing run's (libpdtrace's pdt_diff): vzsim is deterministic, so
 * where the two part is exactly where the fix made a difference.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pdtrace/diff.h>
#include <vzsoak/hypercall.h>

#include "../cli.h"
#include "../crashdb.h"
#include "report.h"

/* The scenario with a fix on; false (and why in note) if there is none. */
static bool fixed(struct scenario *s, char *note, size_t len)
{
	if (!s->preserve) {
		s->preserve = 1;
		snprintf(note, len, "the same seed with the hypervisor's fix on (preserve = on)");
		return true;
	}
	if (s->tlbp_check != GCONF_TLBP_ON) {
		s->tlbp_check = GCONF_TLBP_ON;
		snprintf(note, len, "the same seed with the guest kernel's fix on (tlbp-check = on)");
		return true;
	}
	snprintf(note, len, "no good run: both fixes are on in this run already");
	return false;
}

static void diff_guest(struct report *r, const struct pdt_flow_config *bad_cfg,
		       const struct pdt_file *bad, char *err, size_t errlen)
{
	struct pdt_capture cap;
	if (pdt_capture_open(&cap, r->good, NULL, NULL, NULL, err, errlen) != 0) {
		snprintf(r->good_note, sizeof r->good_note, "no diff: %s", err);
		return;
	}
	const struct pdt_file good = cap.f;
	const struct pdt_capture_code code = cap.code;
	int rc;
	struct pdt_diff_opts o;
	pdt_diff_opts_default(&o);
	o.guests = 1u << r->story.guest;
	o.whole[0] = !(bad->info.has_window && bad->info.window_dropped);
	o.whole[1] = !(good.info.has_window && good.info.window_dropped);
	struct pdt_diff *d;
	if (pdt_diff_new(&d, &o) != 0)
		die(EXIT_INTERNAL, "out of memory");
	const struct pdt_flow_config *const cfg[2] = {bad_cfg, &code.cfg};
	const uint8_t *const words[2] = {bad->words, good.words};
	const uint64_t len[2] = {bad->len, good.len};
	int failed;
	rc = pdt_diff_flows(d, cfg, words, len, &failed);
	if (rc == PDT_E_NOMEM)
		die(EXIT_INTERNAL, "out of memory");
	if (rc) {
		snprintf(r->good_note + strlen(r->good_note),
			 sizeof r->good_note - strlen(r->good_note), "; no diff: %s: %s",
			 failed == 1 ? r->good : r->trace, pdt_errstr(rc));
	} else {
		const struct pdt_diff_guest *g = pdt_diff_guest(d, r->story.guest);
		size_t n = 0;
		FILE *m = open_memstream(&r->diff_text, &n);
		if (!m)
			die(EXIT_INTERNAL, "out of memory");
		pdt_diff_print(m, g, cfg, o.queue ? o.queue : PDT_DIFF_QUEUE);
		if (fclose(m) != 0)
			die(EXIT_INTERNAL, "out of memory");
		r->diverged = g->status == PDT_DIFF_DIVERGED;
	}
	pdt_diff_free(d);
	pdt_capture_close(&cap);
}

int report_good(struct report *r, const char *good, const struct pdt_flow_config *bad_cfg,
		const struct pdt_file *bad, char *err, size_t errlen)
{
	if (!strcmp(good, "none")) {
		snprintf(r->good_note, sizeof r->good_note, "not asked for (--good none)");
		return 0;
	}
	if (!r->have_story) {
		snprintf(r->good_note, sizeof r->good_note, "no diff: no story to compare");
		return 0;
	}
	if (!strcmp(good, "auto")) {
		if (r->no_replay) {
			snprintf(r->good_note, sizeof r->good_note, "no good run: a capture alone "
				 "cannot be replayed (--good FILE names one)");
			return 0;
		}
		struct report_input in = r->in;
		if (!fixed(&in.scn, r->good_note, sizeof r->good_note))
			return 0;
		snprintf(r->good, sizeof r->good, "%s/good.vzt", r->out_dir);
		static struct detector d;
		struct soak_view v;
		if (replay_trace(&in, r->good, r->in.insns, &d, &v, err, errlen) != 0)
			return -1;
		size_t n = strlen(r->good_note);
		snprintf(r->good_note + n, sizeof r->good_note - n, ", %s (%s)",
			 d.nflags ? "which the runner flagged too" : "clean", r->good);
	} else {
		/* A run folder: its own capture (detect = trace), or its
		 * report's replay; else the file named. */
		struct stat st;
		snprintf(r->good, sizeof r->good, "%s", good);
		if (stat(good, &st) == 0 && S_ISDIR(st.st_mode)) {
			snprintf(r->good, sizeof r->good, "%s/trace.vzt", good);
			if (stat(r->good, &st) != 0)
				snprintf(r->good, sizeof r->good, "%s/" REPORT_DIR_NAME "/trace.vzt",
					 good);
		}
		snprintf(r->good_note, sizeof r->good_note, "the capture %s", r->good);
	}
	diff_guest(r, bad_cfg, bad, err, errlen);
	return 0;
}
