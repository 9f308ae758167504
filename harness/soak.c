/*
 * The soak (run.h): the board runs in slices of check-every instructions;
 * after each, the status check, the detectors and the progress line.  The
 * slices fall on the same instruction counts in every run of a scenario and
 * seed, so the checks, and the instruction counts of the flags, repeat
 * exactly.  Whatever ends the run (its duration, a flag, the hypervisor's
 * reset, a deadlock, a signal), the run folder is completed and the summary
 * printed.
 *
 * Signals: SIGINT, SIGTERM and SIGHUP (a closed terminal must not lose a
 * night's results) end the run at the next slice, and it is completed as
 * any other; SIGPIPE is ignored, so that a closed stdout (vzsoak run ... |
 * head -1) is seen as EPIPE when the summary is written, after the run
 * folder is complete, not the end of the process before it: the run then
 * ends with 141, as vzsim does (docs/cli.md).
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <util/outfile.h>

#include "target.h"
#include "target_ocd.h"
#include "cli.h"
#include "console_watch.h"
#include "detect.h"
#include "memimage.h"
#include "progress.h"
#include "run.h"
#include "rundir.h"
#include "summary.h"
#include "tracecheck.h"

static volatile sig_atomic_t got_signal;
static vzsim *running;
static struct target_ocd *running_ocd;

static void on_signal(int sig)
{
	if (!got_signal) /* the first one ends the run and names its status */
		got_signal = sig;
	if (running)
		vzsim_request_stop(running);
	if (running_ocd)
		target_ocd_interrupt(running_ocd);
}

/* Before anything is created: from then on a signal only ends the run,
 * which completes its files. */
static void catch_signals(void)
{
	catch_stop_signals(on_signal);
}

/* The summary on stdout.  Any failure (a full disk, a hung-up terminal)
 * is reported naming stdout: -1 then; 1 when stdout's reader has gone
 * (EPIPE: nothing the caller asked for is lost but what it chose not to
 * read). */
static int write_stdout(const char *text, size_t len)
{
	errno = 0;
	size_t n = fwrite(text, 1, len, stdout);
	int e = n == len ? 0 : errno;
	if (fflush(stdout) != 0 && !e)
		e = errno;
	if (n == len && !ferror(stdout))
		return 0;
	if (e == EPIPE) {
		complain("stdout's reader has gone: the summary is in summary.txt");
		return 1;
	}
	if (e)
		complain("stdout: write error: %s", strerror(e));
	else
		complain("stdout: write error");
	return -1;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The last line of text that starts with prefix, without its newline: the
 * hypervisor's own account of a run that never set up its status block
 * ("hv: bad boot arguments: ...").  Only a file's tail is read: consoles
 * of long runs are large.
 */
static const char *line_with(char *tail, const char *prefix, char *buf, size_t len)
{
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
	snprintf(buf, len, "%s", found);
	return buf;
}

/* In the console this process writes. */
static const char *last_line(struct outfile *console, const char *prefix, char *buf,
			     size_t len)
{
	char tail[4096];
	outfile_tail(console, tail, sizeof tail);
	return line_with(tail, prefix, buf, len);
}

/* In a file another process wrote (a started vzsim's console). */
static const char *file_last_line(const char *path, const char *prefix, char *buf,
				  size_t len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char tail[4096];
	if (fseek(f, -(long)(sizeof tail - 1), SEEK_END) != 0)
		rewind(f);
	size_t n = fread(tail, 1, sizeof tail - 1, f);
	fclose(f);
	tail[n] = 0;
	return line_with(tail, prefix, buf, len);
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

static void write_scenario(struct outfile *o, const struct run_config *c,
			   const char *bootargs)
{
	fprintf(o->f, "# vzsoak run: the resolved scenario (it reads back as a "
		"scenario file)\n# reproduce: %s\n# hypervisor: %s\n"
		"# boot arguments: %s\n", c->repro, c->hv, bootargs);
	scenario_write(&c->scn, o->f);
}

/*
 * A run that is refused once files exist takes them back: the
 * temporaries, the capture (vzsim_free discards it), the folders it made.
 * Then the one line and the status.
 */
static __attribute__((noreturn, format(printf, 6, 7))) void
refuse(struct outfile *scn, struct outfile *console, vzsim *sim, struct rundir *rd,
       int status, const char *fmt, ...)
{
	outfile_discard(scn);
	outfile_discard(console);
	vzsim_free(sim);
	rundir_undo(rd);
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	die(status, "%s", msg);
}

enum run_end soak_checks(struct target *t, const struct scenario *s, uint64_t until,
			 struct detector *d, struct console_watch *cw, struct progress *p,
			 struct soak_view *v, const volatile sig_atomic_t *stop)
{
	double t0 = now_s();
	if (until > s->duration)
		until = s->duration;
	t->read_view(t, 0, v);
	while (!*stop && v->insns < until) {
		uint64_t n = until - v->insns;
		enum vzsim_stop why = t->run(t, n < s->check_every ? n : s->check_every);
		if (t->failed)
			return END_BOARD_LOST;
		t->read_view(t, now_s() - t0, v);
		if (t->failed)
			return END_BOARD_LOST;
		unsigned raised = detect_check(d, v);
		if (cw)
			raised += console_watch_poll(cw, d, v);
		progress_update(p, v, d);
		switch (why) {
		case VZSIM_STOP_RESET: return END_RESET;
		case VZSIM_STOP_DEADLOCK: return END_DEADLOCK;
		case VZSIM_STOP_DEBUG: return END_HALTED;
		case VZSIM_STOP_REQUESTED: return END_INTERRUPTED;
		case VZSIM_STOP_BUDGET: break;
		}
		if (raised && s->stop_on_anomaly)
			return END_FLAGGED;
	}
	return *stop ? END_INTERRUPTED : END_DURATION;
}

int soak_run(const struct run_config *c)
{
	const struct scenario *s = &c->scn;
	char err[512], bootargs[1024];
	catch_signals();
	if (scenario_bootargs(s, bootargs, sizeof bootargs) < 0)
		die(EXIT_BAD_INPUT, "boot arguments longer than %zu bytes",
			sizeof bootargs - 1);
	/* The direct board is set up first (a bad image is bad input before
	 * anything exists); a board through OpenOCD once its folder is there
	 * (its logs go in it). */
	bool ocd = c->board.openocd;
	vzsim *sim = NULL;
	if (!ocd && !(sim = target_open(s, c->hv, err, sizeof err)))
		die(EXIT_BAD_INPUT, "%s%s", c->hv_given ? "--hv: " : "hypervisor image: ",
			err);

	/* Every output is checked before the first is created; what fails
	 * after that (rarely: the checks cannot foresee everything) is
	 * taken back by refuse(). */
	struct rundir rd = {0};
	struct outfile scn = {0}, console = {0};
	if (rundir_check(&rd, c->out, c->trace, err, sizeof err) != 0)
		refuse(&scn, &console, sim, &rd, EXIT_BAD_INPUT, "%s", err);
	if (rundir_make(&rd, err, sizeof err) != 0)
		refuse(&scn, &console, sim, &rd, EXIT_BAD_INPUT, "--out: %s", err);
	/* What a killed run left; before this run's own temporaries exist. */
	rundir_sweep(&rd, c->trace);
	if (open_in(&scn, c->out, "scenario.txt", err, sizeof err) != 0 ||
	    (!ocd && open_in(&console, c->out, "console.log", err, sizeof err) != 0))
		refuse(&scn, &console, sim, &rd, EXIT_BAD_INPUT, "--out %s: %s", c->out, err);
	struct target_ocd *board = NULL;
	char *console_path = NULL;
	if (ocd) {
		if (asprintf(&console_path, "%s/console.log", c->out) < 0)
			die(EXIT_INTERNAL, "out of memory");
		struct target_ocd_config oc = {.board = &c->board, .s = s, .hv = c->hv,
					       .bootargs = bootargs, .dir = c->out,
					       .console = console_path, .trace = c->trace,
					       .command = c->repro};
		board = target_ocd_open(&oc, err, sizeof err);
		if (!board)
			refuse(&scn, &console, sim, &rd, EXIT_BAD_INPUT, "--board %s: %s",
			       c->board_arg, err);
		running_ocd = board;
	} else {
		vzsim_uart_output(sim, console.f);
	}
	if (c->trace && !ocd) {
		struct vzsim_trace_opts topts = {.syp = 5, .command = c->repro,
						  .window = c->trace_window};
		if (vzsim_trace_start(sim, c->trace, &topts, err, sizeof err) != 0)
			refuse(&scn, &console, sim, &rd, EXIT_BAD_INPUT, "--trace: %s", err);
	}
	write_scenario(&scn, c, bootargs);
	if (outfile_commit(&scn, err, sizeof err) != 0)
		refuse(&scn, &console, sim, &rd, EXIT_INTERNAL, "--out %s: %s", c->out, err);
	rundir_free(&rd);

	/* From here on a signal ends the run at the next slice
	 * (catch_signals), and the files are completed below. */
	running = sim;

	struct detector d;
	struct progress p;
	struct soak_view v;
	detect_init(&d, s->heartbeat_timeout, s->repeat_limit, s->tlbp_check);
	if (!s->selfcheck)
		detect_without_guest_reports(&d);
	/* A guest that sends no heartbeats is never marked silent. */
	progress_init(&p, stderr, c->quiet, s->duration, d.heartbeat_timeout);
	/* What Linux guests' consoles say: this process's console.log being
	 * written, or the one a started vzsim writes. */
	struct console_watch cw;
	console_watch_init(&cw);
	if ((ocd ? console_watch_file(&cw, console_path) : console_watch_stream(&cw, console.f)) != 0)
		die(EXIT_INTERNAL, "console.log: %s", strerror(errno));
	struct target_vzsim tv;
	struct target *t;
	if (ocd) {
		t = target_ocd_target(board);
	} else {
		target_vzsim_init(&tv, sim);
		t = &tv.t;
	}
	enum run_end end = soak_checks(t, s, s->duration, &d, &cw, &p, &v, &got_signal);
	if (end != END_BOARD_LOST && end != END_INTERRUPTED)
		console_watch_end(&cw, &d, &v, s->duration);
	console_watch_free(&cw);
	progress_finish(&p, &v, &d);
	running = NULL;
	running_ocd = NULL;

	/* A file the run could not complete is reported, named, and the run
	 * ends with the internal-error status, whatever was found. */
	int status = EXIT_CLEAN;
	bool traced = false;
	char hint[160];
	const char *hv_line = NULL;
	if (ocd) {
		/* The board lost: its reason, and status 2 once the folder is
		 * complete. */
		char lost[sizeof t->why];
		snprintf(lost, sizeof lost, "%s", t->why);
		bool failed = t->failed;
		unsigned skipped = target_ocd_sdbbp_skipped(board);
		if (target_ocd_close(board, err, sizeof err) != 0) {
			complain("--trace: %s", err);
			status = EXIT_INTERNAL;
		} else if (c->trace) {
			traced = true;
		}
		if (skipped)
			complain("board: stepped over %u guest sdbbp instructions (debug "
				 "breakpoints on a core with EJTAG)", skipped);
		if (failed) {
			complain("%s", lost);
			status = EXIT_BAD_INPUT;
		}
		hv_line = d.seen_status ? NULL : file_last_line(console_path, "hv: ", hint,
								 sizeof hint);
		free(console_path);
	} else {
		hv_line = d.seen_status ? NULL : last_line(&console, "hv: ", hint, sizeof hint);
		vzsim_uart_output(sim, NULL);
		if (outfile_commit(&console, err, sizeof err) != 0) {
			complain("--out %s: %s", c->out, err);
			status = EXIT_INTERNAL;
		}
		if (c->trace && vzsim_trace_finish(sim, err, sizeof err) != 0) {
			complain("--trace: %s", err);
			status = EXIT_INTERNAL;
		} else if (c->trace) {
			traced = true;
			/* Its Linux guests' kernels as they ran, for the decoder. */
			if (memimage_write(sim, &v, c->trace, err, sizeof err) < 0) {
				complain("--trace: %s", err);
				status = EXIT_INTERNAL;
			}
		}
		vzsim_free(sim);
	}
	if (end != END_BOARD_LOST)
		detect_end(&d, &v, end, hv_line);

	/* The trace detectors: on a flagged run's capture, or on every run's
	 * (detect = trace); not on a run a signal cut short. */
	if (traced && s->detect != SCN_DETECT_OFF && end != END_INTERRUPTED &&
	    (d.nflags || s->detect == SCN_DETECT_TRACE) &&
	    tracecheck_run(&d, &v, c->trace, c->out, s->repeat_limit, err, sizeof err) != 0) {
		complain("trace detectors: %s", err);
		status = EXIT_INTERNAL;
	}

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
	int out_rc = write_stdout(text, len);
	if (out_rc < 0)
		status = EXIT_INTERNAL;
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

	/* The one order of docs/cli.md: a lost output first (a file the
	 * caller expects is not there, whatever else happened), then a
	 * signal's status (the run was cut short), then stdout's reader gone
	 * (128+SIGPIPE), then what the run found; a board lost is status 2
	 * (its parts failed: no finding). */
	if (status == EXIT_INTERNAL || status == EXIT_BAD_INPUT)
		return status;
	if (end == END_INTERRUPTED && got_signal)
		return EXIT_SIGNAL_BASE + got_signal;
	if (out_rc > 0)
		return EXIT_SIGNAL_BASE + SIGPIPE;
	if (status == EXIT_CLEAN && d.nflags)
		status = EXIT_FINDING;
	return status;
}
