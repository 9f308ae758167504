/*
 * The progress line (progress.h):
 *
 *   [ 12.5%] 0.025000 s sim  25.0M insns  g1 123 g2 120! g3 99s g4 7k  3.2 s wall
 *
 * After each guest's heartbeat count: "!" it is running but silent for
 * half its heartbeat-timeout or more, "s" it stopped, "k" it was killed.
 */
#include "progress.h"

#include <unistd.h>

/* A terminal line at most this often: the eye cannot follow faster.  A
 * log (not a terminal) gets a line at most every LOG_PERIOD_S, or at each
 * tenth of the duration, so an overnight soak's log stays readable. */
#define TTY_PERIOD_S 0.5
#define LOG_PERIOD_S 10.0

void progress_init(struct progress *p, FILE *f, bool quiet, uint64_t duration,
		   uint64_t heartbeat_timeout)
{
	p->f = quiet ? NULL : f;
	p->tty = f && isatty(fileno(f));
	p->last = -1;
	p->last_tenth = -1;
	p->width = 0;
	p->duration = duration;
	p->stall = heartbeat_timeout / 2;
}

static char state_mark(const struct progress *p, const struct soak_view *v,
		       const struct detector *d, unsigned g)
{
	switch (v->st.g[g - 1].state) {
	case GSTATE_STOPPED: return 's';
	case GSTATE_KILLED: return 'k';
	default: break;
	}
	return p->stall && detect_silence(d, v, g) >= p->stall ? '!' : 0;
}

static void write_line(struct progress *p, const struct soak_view *v,
		       const struct detector *d)
{
	p->last = v->wall;
	p->last_tenth = (int)(10 * v->insns / (p->duration ? p->duration : 1));
	char line[256];
	int n = snprintf(line, sizeof line, "[%5.1f%%] %.6f s sim  %.1fM insns ",
			 100.0 * (double)v->insns / (double)p->duration,
			 v->sim_ns / 1e9, v->insns / 1e6);
	if (!v->present)
		n += snprintf(line + n, sizeof line - (size_t)n, " no status block yet");
	for (unsigned g = 1; g <= view_guests(v) && n < (int)sizeof line; g++) {
		char mark = state_mark(p, v, d, g);
		n += snprintf(line + n, sizeof line - (size_t)n, " g%u %u%.*s", g,
			      (unsigned)v->st.g[g - 1].heartbeats, mark ? 1 : 0, &mark);
	}
	if (n < (int)sizeof line)
		n += snprintf(line + n, sizeof line - (size_t)n, "  %.1f s wall", v->wall);
	if (n >= (int)sizeof line)
		n = (int)sizeof line - 1;
	if (p->tty) {
		fprintf(p->f, "\r%s%*s", line, p->width > n ? p->width - n : 0, "");
		p->width = n;
	} else {
		fprintf(p->f, "%s\n", line);
	}
	fflush(p->f);
}

void progress_update(struct progress *p, const struct soak_view *v,
		     const struct detector *d)
{
	if (!p->f)
		return;
	if (p->last < 0) {
		write_line(p, v, d);
	} else if (p->tty) {
		if (v->wall - p->last >= TTY_PERIOD_S)
			write_line(p, v, d);
	} else if (v->wall - p->last >= LOG_PERIOD_S ||
		   (int)(10 * v->insns / (p->duration ? p->duration : 1)) != p->last_tenth) {
		write_line(p, v, d);
	}
}

void progress_finish(struct progress *p, const struct soak_view *v,
		     const struct detector *d)
{
	if (p->f && p->tty) {
		write_line(p, v, d);
		fputc('\n', p->f);
		fflush(p->f);
		p->width = 0;
	}
}
