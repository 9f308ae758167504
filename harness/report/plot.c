/*
 * The report's plots (report.h): per guest, one PNG of four panels over
 * the trace, binned (REPORT_PLOT_BINS bins): the TLB exceptions the guest
 * took, the hypervisor's entries into it, its heartbeats, and its
 * PageMask at its exits as a page size; a red line at the failure.  Each
 * guest's data file (plot-gN.dat) and gnuplot script (plot-gN.gp) stay
 * beside the PNG (plot-gN.png), so a reader can redraw or change a plot.
 * The scripts hold only our own numbers and names relative to the folder:
 * nothing from the run is quoted into them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <util/outfile.h>

#include "plot.h"

static const char *const panel_colour[3] = {"#3060a0", "#308040", "#a07020"};

static void size_text(uint32_t kib, char *buf, size_t len)
{
	if (kib >= 1024 && kib % 1024 == 0)
		snprintf(buf, len, "%" PRIu32 "M", kib / 1024);
	else
		snprintf(buf, len, "%" PRIu32 "K", kib);
}

static void write_data(FILE *f, const struct plot_series *ps, const struct plot_guest *g,
		       unsigned gid)
{
	fprintf(f, "# g%u per bin of %" PRIu64 " instructions (vzsoak report): bin start, bin "
		"centre, TLB exceptions taken, entries, heartbeats, page size (KiB) at its last "
		"exit so far (? before its first)\n", gid, ps->bin_insns);
	for (unsigned b = 0; b < ps->nbins; b++) {
		uint64_t start = b * ps->bin_insns;
		fprintf(f, "%" PRIu64 " %" PRIu64 " %" PRIu32 " %" PRIu32 " %" PRIu32 " ", start,
			start + ps->bin_insns / 2, g->tlb[b], g->entries[b], g->heartbeats[b]);
		if (g->page_kib[b])
			fprintf(f, "%" PRIu32 "\n", g->page_kib[b]);
		else
			fputs("?\n", f);
	}
}

static uint32_t max_of(const uint32_t *v, unsigned n)
{
	uint32_t m = 0;
	for (unsigned i = 0; i < n; i++)
		if (v[i] > m)
			m = v[i];
	return m;
}

/* One counts panel: column col of the data, as boxes. */
static void count_panel(FILE *f, unsigned gid, const char *title, unsigned col, uint32_t max,
			const char *colour)
{
	fprintf(f, "set title \"%s\"\n", title);
	fprintf(f, "set yrange [0:%" PRIu32 "]\n", max ? max + (max + 9) / 10 : 1);
	/* Counts are whole: no tics at halves on a panel of few. */
	if (max < 5)
		fprintf(f, "set ytics 1\n");
	else
		fprintf(f, "set ytics autofreq\n");
	fprintf(f, "plot \"plot-g%u.dat\" using 2:%u with boxes lc rgb \"%s\"\n", gid, col, colour);
}

static void page_panel(FILE *f, const struct plot_series *ps, const struct plot_guest *g,
		       unsigned gid)
{
	uint32_t lo = UINT32_MAX, hi = 0;
	for (unsigned b = 0; b < ps->nbins; b++) {
		if (!g->page_kib[b])
			continue;
		lo = g->page_kib[b] < lo ? g->page_kib[b] : lo;
		hi = g->page_kib[b] > hi ? g->page_kib[b] : hi;
	}
	fprintf(f, "set title \"g%u's PageMask at its exits, as a page size\"\n", gid);
	fprintf(f, "set xlabel \"instruction\"\n");
	if (!hi) {
		/* Nothing to draw: gnuplot refuses a plot of no points. */
		fprintf(f, "set yrange [0:1]\nunset ytics\n"
			"set label 1 \"no exit of g%u in the trace\" at graph 0.5, graph 0.5 center\n"
			"plot 1/0 notitle\n", gid);
		return;
	}
	/* A log scale: page sizes go by factors of four. */
	fprintf(f, "set logscale y 2\nset yrange [%g:%g]\nset ytics (", lo / 2.0, hi * 2.0);
	const char *sep = "";
	for (uint64_t kib = 4; kib <= (uint64_t)hi * 2; kib *= 4) {
		char t[16];
		size_text((uint32_t)kib, t, sizeof t);
		fprintf(f, "%s\"%s\" %" PRIu64, sep, t, kib);
		sep = ", ";
	}
	fprintf(f, ")\nplot \"plot-g%u.dat\" using 1:6 with steps lw 2 lc rgb \"#7030a0\"\n", gid);
}

static void write_script(FILE *f, const struct plot_series *ps, const struct plot_guest *g,
			 unsigned gid, bool have_fail, uint64_t fail)
{
	char tmp[160];
	fprintf(f, "# g%u over the replay's trace (vzsoak report): gnuplot plot-g%u.gp > "
		"plot-g%u.png\n", gid, gid, gid);
	fprintf(f, "set terminal pngcairo size %u,%u font \"sans,10\"\n", REPORT_PLOT_WIDTH,
		REPORT_PLOT_HEIGHT);
	fprintf(f, "set datafile missing \"?\"\n");
	if (have_fail)
		snprintf(tmp, sizeof tmp, "; red line: the failure, instruction %" PRIu64, fail);
	else
		tmp[0] = 0;
	fprintf(f, "set multiplot layout 4,1 title \"g%u, bins of %" PRIu64 " instructions%s\"\n",
		gid, ps->bin_insns, tmp);
	fprintf(f, "set xrange [0:%" PRIu64 "]\nset format x \"%%.1s%%c\"\nset grid ytics\n"
		"set lmargin 10\nset key off\nset style fill solid 0.7 noborder\n"
		"set boxwidth %" PRIu64 " absolute\n", ps->bin_insns * ps->nbins, ps->bin_insns);
	if (have_fail)
		fprintf(f, "set arrow 1 from %" PRIu64 ", graph 0 to %" PRIu64 ", graph 1 nohead "
			"lw 2 lc rgb \"#d00000\" front\n", fail, fail);
	snprintf(tmp, sizeof tmp, "TLB exceptions taken by g%u", gid);
	count_panel(f, gid, tmp, 3, max_of(g->tlb, ps->nbins), panel_colour[0]);
	snprintf(tmp, sizeof tmp, "world switches into g%u (guest entries)", gid);
	count_panel(f, gid, tmp, 4, max_of(g->entries, ps->nbins), panel_colour[1]);
	snprintf(tmp, sizeof tmp, "heartbeats of g%u", gid);
	count_panel(f, gid, tmp, 5, max_of(g->heartbeats, ps->nbins), panel_colour[2]);
	page_panel(f, ps, g, gid);
	fprintf(f, "unset multiplot\n");
}

/* One guest's plot: what its data file and script are written from. */
struct plot_job {
	const struct plot_series *ps;
	unsigned gid;
	bool have_fail;
	uint64_t fail;
};

static void job_data(FILE *f, const struct plot_job *j)
{
	write_data(f, j->ps, &j->ps->g[j->gid], j->gid);
}

static void job_script(FILE *f, const struct plot_job *j)
{
	write_script(f, j->ps, &j->ps->g[j->gid], j->gid, j->have_fail, j->fail);
}

/* dir/name, written by write() under a temporary name; -1 with why. */
static int write_file(const char *dir, const char *name, void (*write)(FILE *, const struct plot_job *),
		      const struct plot_job *j, char *why, size_t whylen)
{
	char *p = report_path(dir, name);
	struct outfile o;
	int rc = outfile_open(&o, p, why, whylen);
	if (rc == 0) {
		write(o.f, j);
		rc = outfile_commit(&o, why, whylen);
	}
	free(p);
	return rc;
}

static int plot_guest(const struct report *r, const struct plot_job *j, char *file,
		      size_t filelen, char *why, size_t whylen)
{
	char name[32];
	snprintf(name, sizeof name, "plot-g%u.dat", j->gid);
	if (write_file(r->out_dir, name, job_data, j, why, whylen) != 0)
		return -1;
	snprintf(name, sizeof name, "plot-g%u.gp", j->gid);
	if (write_file(r->out_dir, name, job_script, j, why, whylen) != 0)
		return -1;
	snprintf(file, filelen, "plot-g%u.png", j->gid);
	char *png = report_path(r->out_dir, file);
	int rc = plot_run_gnuplot(r->out_dir, name, png, why, whylen);
	free(png);
	return rc;
}

void report_plots(struct report *r)
{
	struct report_plots *p = &r->plots;
	memset(p, 0, sizeof *p);
	static struct plot_series ps;
	/* Long reasons (a path, gnuplot's line) are cut to fit the one line. */
	char why[200];
	if (plot_series_read(&ps, r->trace, r->in.insns, why, sizeof why) != 0) {
		snprintf(p->missing, sizeof p->missing, "the trace could not be read: %.200s", why);
		return;
	}
	struct plot_job j = {.ps = &ps};
	j.have_fail = report_failure_index(r, &j.fail);
	for (j.gid = 1; j.gid <= PDT_FLOW_GUESTS; j.gid++) {
		if (!ps.g[j.gid].seen)
			continue;
		if (plot_guest(r, &j, p->plot[p->n].file, sizeof p->plot[p->n].file, why,
			       sizeof why) != 0) {
			/* The same cause would fail the next guests too. */
			snprintf(p->missing, sizeof p->missing, "%s%.200s", p->n ? "some of them: " : "",
				 why);
			return;
		}
		p->plot[p->n++].guest = j.gid;
	}
	if (!p->n)
		snprintf(p->missing, sizeof p->missing, "the trace shows no guest");
}
