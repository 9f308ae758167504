/*
 * The live progress line of `vzsoak run` on stderr: when stderr is a file
 * or a pipe (a log to read later), a line at the first check, at each
 * tenth of the duration and at least every 10 s of wall time; on a
 * terminal one line rewritten in place about twice a second.
 */
#ifndef HARNESS_PROGRESS_H
#define HARNESS_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "detect.h"
#include "view.h"

struct progress {
	FILE *f;         /* NULL: quiet */
	bool tty;
	double last;     /* wall time of the last line written, -1 before */
	int last_tenth;  /* tenth of the duration it was written in (log) */
	int width;       /* of that line, to blank what a shorter one leaves */
	uint64_t duration;
	uint64_t stall;  /* silence that marks a guest stalled ("!") */
};

void progress_init(struct progress *p, FILE *f, bool quiet, uint64_t duration,
		   uint64_t heartbeat_timeout);

/* After each check. */
void progress_update(struct progress *p, const struct soak_view *v,
		     const struct detector *d);

/* After the last check: on a terminal, its line (the throttle may have
 * skipped it) and the end of the line, so what follows starts afresh. */
void progress_finish(struct progress *p, const struct soak_view *v,
		     const struct detector *d);

#endif
