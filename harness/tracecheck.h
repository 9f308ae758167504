/*
 * The trace detectors over a run's capture (docs/soak.md, "Trace
 * detectors"): after the run, libpdtrace's detectors (pdtrace/detect.h)
 * read the trace file the run wrote, with the code its header names.
 * Every finding goes to detect.txt in the run folder, as `pdtrace detect`
 * prints it; each guest's first bug becomes a flag of its own
 * (FLAG_TRACE) with the finding's title, so a guest that reports nothing
 * (selfcheck = off, Linux) is still flagged.
 */
#ifndef HARNESS_TRACECHECK_H
#define HARNESS_TRACECHECK_H

#include <stddef.h>
#include <stdint.h>

#include "detect.h"
#include "view.h"

/*
 * trace: the run's capture; dir: its run folder; repeat_limit: the
 * scenario's (0: the detectors' own); v: the run's last view, whose
 * instruction count and times place the flags.  0, or -1 with a one-line
 * reason in err (a capture that cannot be read, detect.txt that cannot be
 * written, out of memory).
 */
int tracecheck_run(struct detector *d, const struct soak_view *v, const char *trace,
		   const char *dir, uint32_t repeat_limit, char *err, size_t errlen);

#endif
