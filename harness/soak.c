/*
 * The soak (run.h): the board runs in slices of check-every instructions;
 * after each, the status check, the detectors and the progress line.  The
 * slices fall on the same instruction counts in every run of a scenario and
 * seed, so the checks, and the instruction counts of the flags, repeat
 * exactly.  Whatever ends the run (its duration, a flag, the hypervisor's
 * reset, a deadlock, a signal), the run folder is completed and the summary
 * printed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <util/outfile.h>

#include "target.h"
#include "cli.h"
#include "detect.h"
#include "progress.h"
#include "run.h"
#include "summary.h"

static volatile sig_atomic_t got_signal;
static vzsim *running;

static void on_signal(int sig)
{
	got_signal = sig;
	if (running)
		vzsim_request_stop(running);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The last line of the console that starts with prefix, without its
 * newline: the hypervisor's own account of a run that never set up its
 * status block ("hv: bad boot arguments: ...").  Reads the file's tail
 * only: consoles of long runs are large.
 */
static const char *last_line(struct outfile *console, const char *prefix, char *buf,
			     size_t len)
{
	char tail[4096];
	outfile_tail(console, tail, sizeof tail);
	const char *found = NULL;
	for (char *line = tail; line; ) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		if (!strncmp(line, prefix, strlen(prefix)) && line[strlen(prefix)])
			found = line;
		line = nl ? nl + 1 : NULL;
	}
	if (!found)
		return NULL;
	size_t cut = strnlen(found, len - 1);
	memcpy(buf, found, cut);
	buf[cut] = 0;
	return buf;
}

/* dir/name under a temporary name (<util/outfile.h>); -1 with a reason. */
static int open_in(struct outfile *o, const char *dir, const char *name, char *err,
		   size_t errlen)
{
	char *path;
	if (asprintf(&path, "%s/%s", dir, name) < 0)
		die(EXIT_INTERNAL, "out of memory");
	int rc = outfile_open(o, path, err, errlen);
	free(path);
	return rc;
}

static void write_scenario(const struct run_config *c, const char *bootargs)
{
	struct outfile o;
	char err[512];
	if (open_in(&o, c->out, "scenario.txt", err, sizeof err) != 0)
		die(EXIT_BAD_INPUT, "--out %s: %s", c->out, err);
	fprintf(o.f, "# vzsoak run: the resolved scenario (it reads back as a "
		"scenario file)\n# reproduce: %s\n# hypervisor: %s\n"
		"# boot arguments: %s\n", c->repro, c->hv, bootargs);
	scenario_write(&c->scn, o.f);
	if (outfile_commit(&o, err, sizeof err) != 0)
		die(EXIT_INTERNAL, "--out %s: %s", c->out, err);
}

/* Runs until the end of the soak; returns how it ended. */
static enum run_end soak_loop(vzsim *sim, const struct scenario *s,
			      struct detector *d, struct progress *p,
			      struct soak_view *v)
{
	double t0 = now_s();
	target_read_view(sim, 0, v);
	while (!got_signal && v->insns < s->duration) {
		uint64_t n = s->duration - v->insns;
		enum vzsim_stop why = vzsim_run(sim, n < s->check_every ? n : s->check_every);
		target_read_view(sim, now_s() - t0, v);
		unsigned raised = detect_check(d, v);
		progress_update(p, v, d);
		switch (why) {
		case VZSIM_STOP_RESET: return END_RESET;
		case VZSIM_STOP_DEADLOCK: return END_DEADLOCK;
		case VZSIM_STOP_REQUESTED: return END_INTERRUPTED;
		case VZSIM_STOP_BUDGET: break;
		}
		if (raised && s->stop_on_anomaly)
			return END_FLAGGED;
	}
	return got_signal ? END_INTERRUPTED : END_DURATION;
}

int soak_run(const struct run_config *c)
{
	const struct scenario *s = &c->scn;
	char err[512], bootargs[1024];
	if (scenario_bootargs(s, bootargs, sizeof bootargs) < 0)
		die(EXIT_BAD_INPUT, "boot arguments longer than %zu bytes",
			sizeof bootargs - 1);
	vzsim *sim = target_open(s, c->hv, err, sizeof err);
	if (!sim)
		die(EXIT_BAD_INPUT, "%s%s", c->hv_given ? "--hv: " : "hypervisor image: ",
			err);
	if (make_dirs(c->out, err, sizeof err) != 0)
		die(EXIT_BAD_INPUT, "--out: %s", err);
	write_scenario(c, bootargs);

	struct outfile console;
	if (open_in(&console, c->out, "console.log", err, sizeof err) != 0)
		die(EXIT_BAD_INPUT, "--out %s: %s", c->out, err);
	vzsim_uart_output(sim, console.f);
	if (c->trace) {
		struct vzsim_trace_opts topts = {.syp = 5, .command = c->repro};
		if (vzsim_trace_start(sim, c->trace, &topts, err, sizeof err) != 0) {
			outfile_discard(&console);
			die(EXIT_BAD_INPUT, "--trace: %s", err);
		}
	}

	/* From here on files exist under temporary names: a signal only
	 * ends the run, and the files are completed below. */
	running = sim;
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	struct detector d;
	struct progress p;
	struct soak_view v;
	detect_init(&d, s->heartbeat_timeout, s->repeat_limit, s->tlbp_check);
	progress_init(&p, stderr, c->quiet, s->duration, s->heartbeat_timeout);
	enum run_end end = soak_loop(sim, s, &d, &p, &v);
	progress_finish(&p, &v, &d);
	running = NULL;

	char hint[160];
	detect_end(&d, &v, end,
		   d.seen_status ? NULL : last_line(&console, "hv: ", hint, sizeof hint));

	/* A file the run could not complete is reported, named, and the run
	 * ends with the internal-error status, whatever was found. */
	int status = EXIT_CLEAN;
	vzsim_uart_output(sim, NULL);
	if (outfile_commit(&console, err, sizeof err) != 0) {
		complain("--out %s: %s", c->out, err);
		status = EXIT_INTERNAL;
	}
	if (c->trace && vzsim_trace_finish(sim, err, sizeof err) != 0) {
		complain("--trace: %s", err);
		status = EXIT_INTERNAL;
	}
	vzsim_free(sim);

	/* One text for stdout and summary.txt. */
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem)
		die(EXIT_INTERNAL, "out of memory");
	summary_write(mem, s, &v, &d, end, c->repro);
	bool nomem = ferror(mem);
	if (fclose(mem) != 0 || nomem)
		die(EXIT_INTERNAL, "out of memory");
	fwrite(text, 1, len, stdout);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		complain("stdout: write error: %s", strerror(errno));
		status = EXIT_INTERNAL;
	}
	/* The folder took two files already: failing now is no bad input. */
	struct outfile sum;
	int rc = open_in(&sum, c->out, "summary.txt", err, sizeof err);
	if (rc == 0) {
		outfile_write(&sum, text, 1, len);
		rc = outfile_commit(&sum, err, sizeof err);
	}
	if (rc != 0) {
		complain("--out %s: %s", c->out, err);
		status = EXIT_INTERNAL;
	}
	free(text);

	if (end == END_INTERRUPTED && got_signal)
		return EXIT_SIGNAL_BASE + got_signal;
	if (status == EXIT_CLEAN && d.nflags)
		status = EXIT_FINDING;
	return status;
}
