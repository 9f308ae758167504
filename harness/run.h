/*
 * One `vzsoak run`: the resolved settings (run.c reads them from the
 * command line and the scenario file) and the soak itself (soak.c).
 */
#ifndef HARNESS_RUN_H
#define HARNESS_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include <signal.h>

#include <vzsim/vzsim.h>

#include "detect.h"
#include "progress.h"
#include "scenario.h"
#include "target_ocd.h"
#include "view.h"

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
	struct board_spec board; /* --board: direct, or through OpenOCD */
	const char *board_arg;   /* --board as given, or NULL */
};

/* Runs the soak; returns vzsoak's exit status (docs/cli.md).  Bad input
 * (the image, the run folder) ends the process with status 2, out of
 * memory with 70; a write error is reported and the status is 70. */
int soak_run(const struct run_config *c);

/*
 * The run itself, shared with the report's replay: slices of check-every
 * instructions up to `until` (at most the duration), the detectors at each
 * check (and cw, when not NULL: what Linux guests' consoles say), the
 * progress line (p), until a flag with stop-on-anomaly, the
 * board's reset or deadlock, or *stop.  Deterministic: the slices end at
 * the same counts in every run.  Returns how it ended; v is the last view.
 */
struct target;
struct console_watch;
enum run_end soak_checks(struct target *t, const struct scenario *s, uint64_t until,
			 struct detector *d, struct console_watch *cw, struct progress *p,
			 struct soak_view *v, const volatile sig_atomic_t *stop);

#endif
