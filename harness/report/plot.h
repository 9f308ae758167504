/*
 * The plots' pieces (report.h, report_plots): the series from one pass of
 * the flow decoder over the replay's trace (plotdata.c), and gnuplot run
 * on a script with its PNG read from its stdout (gnuplot.c).  plot.c
 * writes the data files and scripts between them.
 */
#ifndef HARNESS_REPORT_PLOT_H
#define HARNESS_REPORT_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report.h"

/* One guest's counts per bin of instructions. */
struct plot_guest {
	bool seen;                               /* it ran or was named in the trace */
	uint32_t tlb[REPORT_PLOT_BINS];          /* TLB exceptions it took */
	uint32_t entries[REPORT_PLOT_BINS];      /* the hypervisor entered it */
	uint32_t heartbeats[REPORT_PLOT_BINS];   /* hypercall 2 */
	uint32_t page_kib[REPORT_PLOT_BINS];     /* page size at its last exit so far; 0: none yet */
};

struct plot_series {
	uint64_t bin_insns;  /* instructions per bin */
	unsigned nbins;
	struct plot_guest g[PDT_FLOW_GUESTS + 1]; /* by GuestID, [0] unused */
};

/* The series of the trace at path, whose instructions count up to about
 * insns (the bins' span; later ones fall in the last bin).  0, or -1 with
 * a one-line reason. */
int plot_series_read(struct plot_series *ps, const char *path, uint64_t insns, char *err,
		     size_t errlen);

/*
 * Runs gnuplot on `script` in folder `dir` (the script names its data
 * files relative to it), its stdout written to `png` (through util's
 * outfile).  0, or -1 with why in one line ("gnuplot is not installed",
 * gnuplot's last error line).
 */
int plot_run_gnuplot(const char *dir, const char *script, const char *png, char *why,
		     size_t whylen);

#endif
