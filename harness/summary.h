/*
 * The summary of one `vzsoak run`: printed on stdout and kept in the run
 * folder as summary.txt (docs/soak.md shows one).  Built from the
 * scenario, the last status check and the detectors' flags only.
 */
#ifndef HARNESS_SUMMARY_H
#define HARNESS_SUMMARY_H

#include <stdio.h>

#include "detect.h"
#include "scenario.h"
#include "view.h"

void summary_write(FILE *f, const struct scenario *s, const struct soak_view *v,
		   const struct detector *d, enum run_end end, const char *repro);

#endif
