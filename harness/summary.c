/*
 * The run summary (summary.h).  Tables are plain text with a header line
 * and one row per guest, so that they read in a terminal and split with
 * awk; every row starts with the guest ("g1").
 */
#include "summary.h"

#include <inttypes.h>
#include <string.h>

#include <vzsim/vzsim.h>

static const char *state_name(uint32_t state, uint32_t exit_status, char *buf,
			      size_t len)
{
	switch (state) {
	case GSTATE_ABSENT: return "absent";
	case GSTATE_RUNNING: return "running";
	case GSTATE_KILLED: return "killed";
	case GSTATE_STOPPED:
		snprintf(buf, len, "exit %" PRIu32, exit_status);
		return buf;
	default:
		snprintf(buf, len, "state %" PRIu32, state);
		return buf;
	}
}

static const char *end_text(enum run_end end)
{
	switch (end) {
	case END_DURATION: return "ran its duration";
	case END_FLAGGED: return "stopped at the first flag (stop-on-anomaly = yes)";
	case END_RESET: return "the hypervisor reset the board";
	case END_DEADLOCK: return "deadlock";
	case END_HALTED: return "halted in debug mode";
	case END_BOARD_LOST: return "the board was lost";
	case END_INTERRUPTED: return "interrupted";
	}
	return "?";
}

static void scenario_line(FILE *f, const struct scenario *s)
{
	char sched[8], preserve[8], tlbp[8];
	scenario_value(s, "sched", sched, sizeof sched);
	scenario_value(s, "preserve", preserve, sizeof preserve);
	scenario_value(s, "tlbp-check", tlbp, sizeof tlbp);
	fprintf(f, "scenario: %s, seed %" PRIu32 ": %" PRIu32 " x %s, sched=%s "
		"quantum=%" PRIu32 " jitter=%" PRIu32 ", preserve=%s, ",
		s->name, s->seed, s->guests, s->image, sched, s->quantum, s->jitter,
		preserve);
	/* The keys the guests' image reads: Linux's, or the stress kernel's. */
	if (scenario_runs_linux(s)) {
		char run[16];
		scenario_value(s, "linux-run", run, sizeof run);
		fprintf(f, "linux-mem=%" PRIu32 ", linux-time=%" PRIu32 ", linux-run=%s, "
			"board:", s->linux_mem, s->linux_time, run);
	} else {
		fprintf(f, "tlbp-check=%s, crashme=%" PRIu32 ", worker-pages=%" PRIu32
			", board:", tlbp, s->crashme, s->worker_pages);
	}
	for (unsigned i = 0; i < s->nboard; i++)
		fprintf(f, " %s=%s", s->board[i].name, s->board[i].value);
	fprintf(f, "%s\n", s->nboard ? "" : " defaults");
}

static void flags_of(const struct detector *d, unsigned guest, char *buf,
		     size_t len)
{
	size_t n = 0;
	buf[0] = 0;
	for (unsigned k = 0; k < FLAG_KINDS && n < len; k++)
		if (d->flagged[guest] & 1u << k)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "," : "",
					      flag_kind_name(k));
	if (!n)
		snprintf(buf, len, "-");
}

static void guest_table(FILE *f, const struct soak_view *v, const struct detector *d)
{
	fprintf(f, "%-5s %-12s %-9s %10s %9s %8s %6s %9s %9s %9s %9s %8s %-10s %s\n",
		"guest", "image", "state", "heartbeats", "scheduled", "blocks", "pages",
		"refill", "tlbl", "tlbs", "mod", "restored", "PageMask", "flags");
	for (unsigned i = 0; i < view_guests(v); i++) {
		const struct status_guest *g = &v->st.g[i];
		const uint32_t *ks = v->ks[i];
		char state[24], flags[96], pm[32], size[16];
		flags_of(d, i + 1, flags, sizeof flags);
		fprintf(f, "g%-4u %-12s %-9s %10" PRIu32 " %9" PRIu32, i + 1,
			g->image[0] ? g->image : "-",
			state_name(g->state, g->exit_status, state, sizeof state),
			g->heartbeats, g->switched_in);
		if (v->ks_ok[i]) {
			/* A kernel without self-checks does not look at
			 * PageMask: no value here would be a finding. */
			if (!d->guest_reports)
				snprintf(pm, sizeof pm, "unchecked");
			else if (ks[KS_PM_BAD_COUNT])
				snprintf(pm, sizeof pm, "%s x%" PRIu32,
					 pagemask_size(ks[KS_PM_BAD], size, sizeof size),
					 ks[KS_PM_BAD_COUNT]);
			else
				snprintf(pm, sizeof pm, "16K");
			fprintf(f, " %8" PRIu32 " %6" PRIu32 " %9" PRIu32 " %9" PRIu32
				" %9" PRIu32 " %9" PRIu32, ks[KS_BLOCKS], ks[KS_PAGES_MAPPED],
				ks[KS_REFILL], ks[KS_TLBL], ks[KS_TLBS], ks[KS_MOD]);
		} else {
			snprintf(pm, sizeof pm, "-");
			fprintf(f, " %8s %6s %9s %9s %9s %9s", "-", "-", "-", "-", "-", "-");
		}
		fprintf(f, " %8" PRIu32 " %-10s %s\n", g->restored, pm, flags);
	}
}

/* Whether any guest has statistics to show. */
static bool any_kstats(const struct soak_view *v)
{
	for (unsigned i = 0; i < view_guests(v); i++)
		if (v->ks_ok[i])
			return true;
	return false;
}

/* Whether a table of the guests' statistics has anything to show; if not,
 * one line says why. */
static bool table_shown(FILE *f, const char *title, const char *key,
			uint32_t setting, const struct soak_view *v)
{
	if (!setting) {
		fprintf(f, "%s: off (%s = 0)\n", title, key);
		return false;
	}
	if (!any_kstats(v)) {
		fprintf(f, "%s: no statistics from the guests\n", title);
		return false;
	}
	return true;
}

/* crashme's outcome table: how the blocks ended, one column per
 * exception kind that ended a block in some guest. */
static void crashme_table(FILE *f, const struct scenario *s, const struct soak_view *v)
{
	if (!table_shown(f, "crashme", "crashme", s->crashme, v))
		return;
	bool col[32] = {false};
	for (unsigned i = 0; i < view_guests(v); i++)
		for (unsigned c = 0; c < 32; c++)
			col[c] |= v->ks_ok[i] && v->ks[i][KS_OUTCOME(c)] != 0;
	fprintf(f, "%-7s %8s %9s %8s", "crashme", "blocks", "completed", "timeout");
	for (unsigned c = 0; c < 32; c++)
		if (col[c]) {
			const char *name = vzsim_exc_name(c);
			char other[8];
			if (strcmp(name, "?") == 0) {
				snprintf(other, sizeof other, "exc%u", c);
				name = other;
			}
			fprintf(f, " %7s", name);
		}
	fputc('\n', f);
	for (unsigned i = 0; i < view_guests(v); i++) {
		if (!v->ks_ok[i])
			continue;
		const uint32_t *ks = v->ks[i];
		fprintf(f, "g%-6u %8" PRIu32 " %9" PRIu32 " %8" PRIu32, i + 1,
			ks[KS_BLOCKS], ks[KS_COMPLETED], ks[KS_TIMEOUTS]);
		for (unsigned c = 0; c < 32; c++)
			if (col[c])
				fprintf(f, " %7" PRIu32, ks[KS_OUTCOME(c)]);
		fputc('\n', f);
	}
}

static void worker_table(FILE *f, const struct scenario *s, const struct soak_view *v,
			 const struct detector *d)
{
	if (!table_shown(f, "worker", "worker-pages", s->worker_pages, v))
		return;
	fprintf(f, "%-7s %8s %13s %9s\n", "worker", "passes", "pages touched",
		"bad words");
	char bad[16];
	for (unsigned i = 0; i < view_guests(v); i++)
		if (v->ks_ok[i]) {
			/* Without self-checks the kernel does not count them. */
			if (d->guest_reports)
				snprintf(bad, sizeof bad, "%" PRIu32, v->ks[i][KS_BAD_WORDS]);
			else
				snprintf(bad, sizeof bad, "unchecked");
			fprintf(f, "g%-6u %8" PRIu32 " %13" PRIu32 " %9s\n", i + 1,
				v->ks[i][KS_PASSES], v->ks[i][KS_PAGES_TOUCHED], bad);
		}
}

static void who(FILE *f, unsigned guest)
{
	if (guest)
		fprintf(f, "g%u", guest);
	else
		fputs("hv", f);
}

static void flag_list(FILE *f, const struct detector *d)
{
	if (!d->nflags) {
		fprintf(f, "flags: none\n");
		return;
	}
	/* The title on a line of its own, so that one failure reads the
	 * same in every run; under it, this run's details. */
	fprintf(f, "flags (title; time to failure):\n");
	for (unsigned i = 0; i < d->nflags; i++) {
		const struct flag *fl = &d->flags[i];
		fprintf(f, "  %s\n    ", flag_title(fl));
		who(f, fl->guest);
		fprintf(f, " %s at %" PRIu64 " instructions (%.6f s simulated, %.3f s "
			"wall): %s\n", flag_kind_name(fl->kind), fl->insns,
			fl->sim_ns / 1e9, fl->wall, fl->msg);
	}
}

static void summary_result(FILE *f, const struct soak_view *v, const struct detector *d,
		    enum run_end end)
{
	const struct flag *first = NULL;
	/* A config flag says the run did not test what it claims: like the
	 * hypervisor's own flags, it leaves the run unjudged. */
	for (unsigned i = 0; i < d->nflags && !first; i++)
		if (d->flags[i].guest && d->flags[i].kind != FLAG_CONFIG)
			first = &d->flags[i];
	if (d->nflags) {
		/* A guest's flag is an anomaly of the system under test; the
		 * hypervisor's (or a config mismatch) alone mean the run could
		 * not be judged. */
		const char *word = first ? "ANOMALY" : "FAILED";
		if (!first)
			first = &d->flags[0];
		fprintf(f, "result: %s ", word);
		who(f, first->guest);
		fprintf(f, " %s at %" PRIu64 " instructions (%.6f s simulated, %.3f s "
			"wall)", flag_kind_name(first->kind), first->insns,
			first->sim_ns / 1e9, first->wall);
		if (d->nflags > 1)
			fprintf(f, ", %u flags in all", d->nflags);
		fprintf(f, ": %s: %s", flag_title(first), first->msg);
		return;
	}
	fprintf(f, "result: %s (%" PRIu64 " instructions, %.6f s simulated, %.1f s wall)",
		end == END_INTERRUPTED ? "interrupted" : "clean", v->insns,
		v->sim_ns / 1e9, v->wall);
}

void summary_write(FILE *f, const struct scenario *s, const struct soak_view *v,
		   const struct detector *d, enum run_end end, const char *repro)
{
	char duration[24];
	scenario_line(f, s);
	fprintf(f, "run: %" PRIu64 " instructions (%.1f%% of %s), %.6f s simulated, "
		"%.1f s wall; %s\n", v->insns,
		100.0 * (double)v->insns / (double)s->duration,
		scenario_value(s, "duration", duration, sizeof duration),
		v->sim_ns / 1e9, v->wall, end_text(end));
	if (v->present)
		fprintf(f, "hypervisor: %s, %" PRIu32 " guests, %" PRIu32
			" guest switches\n", status_state_name(v->st.state), v->st.guests,
			v->st.switches);
	else
		fprintf(f, "hypervisor: no status block (magic 0x%08" PRIx32 " at "
			"physical 0x%08x)\n", v->st.magic, STATUS_PA);
	if (!s->selfcheck)
		fprintf(f, "guest self-checks: off (selfcheck = off): no heartbeat, "
			"lockup or anomaly flags; the hypervisor's status is checked\n");
	if (scenario_runs_linux(s))
		fprintf(f, "Linux guests: their consoles are read for the kernel's "
			"failures (console flags; console.log)\n");
	fputc('\n', f);
	if (view_guests(v)) {
		guest_table(f, v, d);
		fputc('\n', f);
		/* The stress kernel's tables; Debian's crashme in a Linux guest
		 * keeps its own account, on the guest's console. */
		if (!scenario_runs_linux(s)) {
			crashme_table(f, s, v);
			fputc('\n', f);
			worker_table(f, s, v, d);
			fputc('\n', f);
		}
	}
	flag_list(f, d);
	if (d->traced)
		fprintf(f, "trace detectors: %u finding%s, %u bug%s (detect.txt)\n",
			d->trace_findings, d->trace_findings == 1 ? "" : "s", d->trace_bugs,
			d->trace_bugs == 1 ? "" : "s");
	fprintf(f, "reproduce: %s\n", repro);
	summary_result(f, v, d, end);
	fputc('\n', f);
}
