/*
 * One `vzsoak run`: the resolved settings (run.c reads them from the
 * command line and the scenario file) and the soak itself (soak.c).
 */
#ifndef HARNESS_RUN_H
#define HARNESS_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "scenario.h"

struct run_config {
	struct scenario scn; /* the file, then --set and --seed in order */
	const char *hv;      /* the hypervisor image */
	bool hv_given;       /* --hv (else the one beside the executable) */
	const char *out;     /* the run folder */
	const char *trace;   /* --trace: PDtrace capture file, or NULL */
	bool trace_auto;     /* the trace is the run folder's trace.vzt (detect = trace) */
	const char *trace_window_arg; /* --trace-window as given, or NULL */
	uint64_t trace_window; /* in bytes: keep only the last ones; 0 all */
	bool quiet;
	const char *repro;   /* the one command that reproduces the run */
};

/* Runs the soak; returns vzsoak's exit status (docs/cli.md).  Bad input
 * (the image, the run folder) ends the process with status 2, out of
 * memory with 70; a write error is reported and the status is 70. */
int soak_run(const struct run_config *c);

#endif
