/*
 * vzsoak report SOAK_DIR (report.h, report_soak): the morning's view of a
 * whole soak, from its journal: each title's runs and its time to failure
 * (least, median, most), and a plot of the time to failure over the seeds,
 * one series per title, by gnuplot (plot_run_gnuplot).  A crash folder's
 * report tells one failure; this one says how often and how soon.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <util/outfile.h>

#include "../cli.h"
#include "../crashdb.h"
#include "plot.h"
#include "report.h"

#define MAX_TITLES 16 /* series in the plot; more are counted, not drawn */

struct title_runs {
	const char *title;
	uint64_t *ttf;
	size_t n, cap;
};

static int by_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void add_ttf(struct title_runs *t, uint64_t ttf)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->ttf = realloc(t->ttf, t->cap * sizeof *t->ttf);
		if (!t->ttf)
			die(EXIT_INTERNAL, "out of memory");
	}
	t->ttf[t->n++] = ttf;
}

/* A title inside a gnuplot string: its double quotes become single. */
static void gp_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		fputc(*s == '"' ? '\'' : *s == '\\' ? '/' : *s, f);
	fputc('"', f);
}

/* The data (one gnuplot index per title: seed, instructions to the first
 * flag) and the script; then gnuplot.  0, or -1 with why. */
static int plot(const struct journal *j, const struct title_runs *t, size_t nt,
		const char *out, char *why, size_t whylen)
{
	char *dat = report_path(out, "ttf.dat"), *gp = report_path(out, "ttf.gp");
	char *png = report_path(out, "ttf.png");
	struct outfile o;
	int rc = -1;
	if (outfile_open(&o, dat, why, whylen) != 0)
		goto out;
	fprintf(o.f, "# seed, instructions to the first flag; one block per title (vzsoak report)\n");
	for (size_t k = 0; k < nt && k < MAX_TITLES; k++) {
		fprintf(o.f, "%s# %s\n", k ? "\n\n" : "", t[k].title);
		for (size_t i = 0; i < j->n; i++)
			if (j->e[i].r.outcome != OUT_CLEAN && j->e[i].r.ttf != NO_TTF &&
			    !strcmp(j->e[i].r.title, t[k].title))
				fprintf(o.f, "%" PRIu32 " %" PRIu64 "\n", j->e[i].seed, j->e[i].r.ttf);
	}
	if (outfile_commit(&o, why, whylen) != 0)
		goto out;
	if (outfile_open(&o, gp, why, whylen) != 0)
		goto out;
	fprintf(o.f, "# time to failure over seeds (vzsoak report): gnuplot ttf.gp > ttf.png\n"
		     "set terminal pngcairo size %u,%u font \"sans,10\"\n"
		     "set title \"instructions to the first flag, by seed\"\n"
		     "set xlabel \"seed\"\nset ylabel \"instructions\"\nset logscale y\n"
		     "set format y \"%%.0s%%c\"\nset grid\nset key below\nplot ",
		REPORT_PLOT_WIDTH, REPORT_PLOT_HEIGHT / 2 + 100);
	for (size_t k = 0; k < nt && k < MAX_TITLES; k++) {
		fprintf(o.f, "%s\"ttf.dat\" index %zu using 1:2 with points pt 7 ps 0.8 title ",
			k ? ", \\\n     " : "", k);
		gp_string(o.f, t[k].title);
	}
	fputc('\n', o.f);
	if (outfile_commit(&o, why, whylen) != 0)
		goto out;
	rc = plot_run_gnuplot(out, "ttf.gp", png, why, whylen);
out:
	free(dat);
	free(gp);
	free(png);
	return rc;
}

static void write_md(FILE *f, const char *dir, const struct journal *j,
		     const struct title_runs *t, size_t nt, size_t clean, const char *plot_why)
{
	fprintf(f, "# Soak: %s\n\n%zu runs, %zu clean, %zu flagged, %zu distinct title%s.\n\n",
		dir, j->n, clean, j->n - clean, nt, nt == 1 ? "" : "s");
	if (nt) {
		fprintf(f, "| title | runs | least | median | most instructions to the first flag |\n"
			   "|---|---:|---:|---:|---:|\n");
		for (size_t k = 0; k < nt; k++) {
			const struct title_runs *x = &t[k];
			fputs("| ", f);
			md_cell(f, x->title);
			if (x->n)
				fprintf(f, " | %zu | %" PRIu64 " | %" PRIu64 " | %" PRIu64 " |\n", x->n,
					x->ttf[0], x->ttf[x->n / 2], x->ttf[x->n - 1]);
			else
				fprintf(f, " | 0 | | | |\n");
		}
		fputc('\n', f);
	}
	if (plot_why[0])
		fprintf(f, "The plot is missing: %s.\n", plot_why);
	else
		fprintf(f, "![time to failure over seeds](ttf.png)\n");
	fprintf(f, "\nEach title's folder in `crashes/` holds its reproducers; `vzsoak report "
		   "%s/crashes/ID` tells the story of one.\n", dir);
}

int report_soak(const char *dir, const char *out, bool quiet)
{
	struct journal j;
	char err[1024];
	if (journal_load(&j, dir, err, sizeof err) != 0)
		die(EXIT_BAD_INPUT, "report: %s", err);
	struct title_runs t[TITLES_MAX / 4] = {{0}};
	size_t nt = 0, clean = 0;
	for (size_t i = 0; i < j.n; i++) {
		const struct run_result *r = &j.e[i].r;
		if (r->outcome == OUT_CLEAN) {
			clean++;
			continue;
		}
		size_t k = 0;
		while (k < nt && strcmp(t[k].title, r->title))
			k++;
		if (k == nt) {
			if (nt == sizeof t / sizeof t[0])
				continue;
			t[nt++].title = r->title;
		}
		if (r->ttf != NO_TTF)
			add_ttf(&t[k], r->ttf);
	}
	for (size_t k = 0; k < nt; k++)
		qsort(t[k].ttf, t[k].n, sizeof *t[k].ttf, by_u64);
	if (mkdir(out, 0777) != 0 && errno != EEXIST)
		die(EXIT_BAD_INPUT, "report: --out %s: cannot create: %s", out, strerror(errno));
	char why[512] = "";
	if (!nt)
		snprintf(why, sizeof why, "no run was flagged");
	else if (plot(&j, t, nt, out, why, sizeof why) != 0 && !why[0])
		snprintf(why, sizeof why, "gnuplot failed");
	char *md = report_path(out, "report.md");
	struct outfile o;
	if (outfile_open(&o, md, err, sizeof err) != 0)
		die(EXIT_BAD_INPUT, "report: %s", err);
	write_md(o.f, dir, &j, t, nt, clean, why);
	if (outfile_commit(&o, err, sizeof err) != 0)
		die(EXIT_INTERNAL, "report: %s", err);
	if (!quiet)
		fprintf(stderr, "vzsoak: report: %s%s%s%s\n", md, why[0] ? " (no plot: " : "", why,
			why[0] ? ")" : "");
	free(md);
	for (size_t k = 0; k < nt; k++)
		free(t[k].ttf);
	journal_free(&j);
	return EXIT_CLEAN;
}
