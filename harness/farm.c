/*
 * `vzsoak soak SCENARIO... [--seeds A-B | --hours H] [options]`: many runs
 * of `vzsoak run`, each a child process of its own (this executable,
 * exec'ed with `run ... --out RUN_DIR`), so that a crash, a hang or a
 * runaway allocation of one run is a finding, not the end of the soak.
 * The record (journal, crash folders, index) is crashdb.c's.
 *
 * Crash safety: a run counts as done when its journal line is fsync'ed;
 * every other file is derived from the journal and rewritten whole after
 * each run, so `--resume` after a kill at any moment (SIGKILL included)
 * redoes exactly the runs without a line.  Children die with the harness
 * (PR_SET_PDEATHSIG): a killed soak leaves no run writing into its folder.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <util/outfile.h>

#include "cli.h"
#include "crashdb.h"
#include "rundir.h"
#include "scenario.h"
#include "target_ocd.h"
#include "target.h"

/* The options that make the soak what it is: soak.conf holds them, as
 * "KEY = VALUE" lines whose keys are the options' names, and --resume
 * compares them.  -j, --out and --quiet change how, not what. */
struct soak_opts {
	char **scn;             /* scenario files, as given */
	size_t nscn;
	char **sets;            /* --set KEY=VALUE, in order */
	size_t nsets;
	bool seeds_given;
	uint32_t lo, hi;
	double hours;           /* 0: --seeds */
	unsigned shard_k, shard_n;
	char *hv;               /* NULL: the one beside the executable */
	double timeout;         /* 0: from the scenario's duration */
	unsigned long mem_mb;   /* 0: none */
	bool mem_given;
	unsigned keep;
	char *trace_window;     /* --trace-window as given; NULL: no trace */
	char *board;            /* --board as given; NULL: direct */
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		die(EXIT_INTERNAL, "out of memory");
	return p;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		die(EXIT_INTERNAL, "out of memory");
	return p;
}

static bool parse_u32(const char *s, uint32_t *v)
{
	char *end;
	errno = 0;
	if (!*s || *s == '-' || *s == '+')
		return false;
	unsigned long long n = strtoull(s, &end, 10);
	if (*end || errno || n > UINT32_MAX)
		return false;
	*v = (uint32_t)n;
	return true;
}

static bool parse_pos(const char *s, double *v)
{
	char *end;
	errno = 0;
	double d = strtod(s, &end);
	if (!*s || *end || errno || !(d > 0) || !isfinite(d))
		return false;
	*v = d;
	return true;
}

/* One option, from the command line (what: "--KEY") or soak.conf (what:
 * "FILE:LINE: KEY"); exits on a bad value. */
static void apply_opt(struct soak_opts *o, const char *key, const char *value,
		      const char *what)
{
	uint32_t a, b;
	if (!strcmp(key, "scenario")) {
		o->scn = xrealloc(o->scn, (o->nscn + 1) * sizeof *o->scn);
		o->scn[o->nscn++] = xstrdup(value);
	} else if (!strcmp(key, "set")) {
		o->sets = xrealloc(o->sets, (o->nsets + 1) * sizeof *o->sets);
		o->sets[o->nsets++] = xstrdup(value);
	} else if (!strcmp(key, "seeds")) {
		char *v = xstrdup(value), *dash = strchr(v, '-');
		if (dash)
			*dash = 0;
		bool ok = dash && parse_u32(v, &a) && parse_u32(dash + 1, &b) && a <= b;
		free(v);
		if (!ok)
			die(EXIT_BAD_INPUT, "%s '%s': want A-B, seeds A <= B", what, value);
		o->lo = a;
		o->hi = b;
		o->seeds_given = true;
	} else if (!strcmp(key, "hours")) {
		if (!parse_pos(value, &o->hours))
			die(EXIT_BAD_INPUT, "%s '%s': want a number of hours above 0", what,
				value);
	} else if (!strcmp(key, "shard")) {
		char *v = xstrdup(value), *slash = strchr(v, '/');
		if (slash)
			*slash = 0;
		bool ok = slash && parse_u32(v, &a) && parse_u32(slash + 1, &b) &&
			  a >= 1 && a <= b;
		free(v);
		if (!ok)
			die(EXIT_BAD_INPUT, "%s '%s': want K/N, 1 <= K <= N", what, value);
		o->shard_k = a;
		o->shard_n = b;
	} else if (!strcmp(key, "hv")) {
		free(o->hv);
		o->hv = xstrdup(value);
	} else if (!strcmp(key, "timeout")) {
		if (!parse_pos(value, &o->timeout))
			die(EXIT_BAD_INPUT, "%s '%s': want seconds above 0", what, value);
	} else if (!strcmp(key, "mem-limit")) {
		if (!parse_u32(value, &a))
			die(EXIT_BAD_INPUT, "%s '%s': want megabytes (0: no limit)", what,
				value);
		o->mem_mb = a;
		o->mem_given = true;
	} else if (!strcmp(key, "keep")) {
		if (!parse_u32(value, &a) || a < 1)
			die(EXIT_BAD_INPUT, "%s '%s': want a count of at least 1", what, value);
		o->keep = a;
	} else if (!strcmp(key, "board")) {
		/* Checked here, not by every run's exit 2. */
		struct board_spec b;
		char err[256];
		if (board_spec_parse(value, &b, err, sizeof err) != 0)
			die(EXIT_BAD_INPUT, "%s '%s': %s", what, value, err);
		free(o->board);
		o->board = xstrdup(value);
	} else if (!strcmp(key, "trace-window")) {
		/* Checked here, not by every run's exit 2. */
		uint64_t bytes;
		char err[256];
		if (vzsim_trace_window_parse(value, &bytes, err, sizeof err) != 0)
			die(EXIT_BAD_INPUT, "%s '%s': %s", what, value, err);
		free(o->trace_window);
		o->trace_window = xstrdup(value);
	} else {
		die(EXIT_BAD_INPUT, "%s: unknown key '%s'", what, key);
	}
}

static void opts_free(struct soak_opts *o)
{
	for (size_t i = 0; i < o->nscn; i++)
		free(o->scn[i]);
	for (size_t i = 0; i < o->nsets; i++)
		free(o->sets[i]);
	free(o->scn);
	free(o->sets);
	free(o->hv);
	free(o->trace_window);
	free(o->board);
}

/* soak.conf's text: the same options give the same text. */
static char *conf_text(const struct soak_opts *o)
{
	char *text;
	size_t len;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		die(EXIT_INTERNAL, "out of memory");
	fputs("# vzsoak soak: the options of this soak (--resume continues it with "
	      "them)\n", f);
	for (size_t i = 0; i < o->nscn; i++)
		fprintf(f, "scenario = %s\n", o->scn[i]);
	for (size_t i = 0; i < o->nsets; i++)
		fprintf(f, "set = %s\n", o->sets[i]);
	if (o->seeds_given)
		fprintf(f, "seeds = %" PRIu32 "-%" PRIu32 "\n", o->lo, o->hi);
	if (o->hours > 0)
		fprintf(f, "hours = %.17g\n", o->hours);
	fprintf(f, "shard = %u/%u\n", o->shard_k, o->shard_n);
	if (o->hv)
		fprintf(f, "hv = %s\n", o->hv);
	if (o->timeout > 0)
		fprintf(f, "timeout = %.17g\n", o->timeout);
	if (o->mem_given)
		fprintf(f, "mem-limit = %lu\n", o->mem_mb);
	fprintf(f, "keep = %u\n", o->keep);
	if (o->trace_window)
		fprintf(f, "trace-window = %s\n", o->trace_window);
	if (o->board)
		fprintf(f, "board = %s\n", o->board);
	bool bad = ferror(f);
	if (fclose(f) != 0 || bad)
		die(EXIT_INTERNAL, "out of memory");
	return text;
}

/* Reads soak.conf into o; exits on a line that is not an option. */
static void conf_read(struct soak_opts *o, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		die(EXIT_BAD_INPUT, "--resume: %s: cannot open: %s", path, strerror(errno));
	char *line = NULL;
	size_t cap = 0;
	unsigned n = 0;
	while (getline(&line, &cap, f) > 0) {
		n++;
		line[strcspn(line, "\n")] = 0;
		if (!line[0] || line[0] == '#')
			continue;
		char *eq = strstr(line, " = "), what[PATH_MAX + 32];
		if (!eq)
			die(EXIT_BAD_INPUT, "%s:%u: want KEY = VALUE", path, n);
		*eq = 0;
		snprintf(what, sizeof what, "%s:%u: %s", path, n, line);
		apply_opt(o, line, eq + 3, what);
	}
	free(line);
	fclose(f);
}

/* -------------------------------------------------------------- the runs */

struct scn_info {
	struct scenario s;
	double timeout; /* the watchdog's seconds */
};

struct slot {
	pid_t pid;       /* 0: free */
	unsigned scn;
	uint32_t seed;
	double start, deadline;
	bool hung;       /* the watchdog stopped it */
	bool dropped;    /* stopped by the soak's end: redone by --resume */
	double kill_at;  /* SIGKILL after SIGTERM if still there; 0 none */
	char *dir;       /* its run folder */
	char *log;       /* its stderr */
};

struct soak {
	struct soak_opts o;
	struct scn_info *scn;
	const char *prog, *exe, *out;
	unsigned jobs;
	bool quiet, tty;
	bool check;            /* --check: only find bad input, run nothing */
	struct journal j;
	struct slot *slots;
	/* The next run to start (seed order, then scenario order). */
	uint64_t next_seed;
	unsigned next_scn;
	bool exhausted;
	double t0, end_at, last_line;
	uint64_t total;        /* runs of --seeds in this shard; 0 --hours */
	unsigned done_now;     /* finished in this process */
	uint64_t insns_now;
	int width;
};

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	if (!got_signal)
		got_signal = sig;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool in_shard(const struct soak_opts *o, uint64_t seed)
{
	return seed % o->shard_n == o->shard_k % o->shard_n;
}

/* The runs of --seeds in this shard; 0 with --hours. */
static uint64_t shard_runs(const struct soak_opts *o)
{
	uint64_t n = 0;
	if (o->seeds_given)
		for (uint64_t s = o->lo; s <= o->hi; s++)
			n += in_shard(o, s) ? o->nscn : 0;
	return n;
}

/* The next run to start that the journal does not hold; false when none. */
static bool next_run(struct soak *k, unsigned *scn, uint32_t *seed)
{
	uint64_t last = k->o.hours > 0 ? UINT32_MAX : k->o.hi;
	while (!k->exhausted) {
		if (k->next_seed > last) {
			k->exhausted = true;
			break;
		}
		uint64_t s = k->next_seed;
		unsigned i = k->next_scn;
		if (++k->next_scn == k->o.nscn) {
			k->next_scn = 0;
			k->next_seed++;
		}
		if (in_shard(&k->o, s) &&
		    !journal_has(&k->j, k->scn[i].s.name, (uint32_t)s)) {
			*scn = i;
			*seed = (uint32_t)s;
			return true;
		}
	}
	return false;
}

/* The child's arguments (NULL-terminated, malloc) and, into repro, the
 * command that replays the run (malloc). */
static char **run_argv(const struct soak *k, const struct slot *sl, char **repro)
{
	size_t n = 0;
	char **av = xrealloc(NULL, (20 + 2 * k->o.nsets) * sizeof *av);
	char seed[16];
	snprintf(seed, sizeof seed, "%" PRIu32, sl->seed);
	av[n++] = xstrdup(k->prog);
	av[n++] = xstrdup("run");
	av[n++] = xstrdup(k->o.scn[sl->scn]);
	for (size_t i = 0; i < k->o.nsets; i++) {
		av[n++] = xstrdup("--set");
		av[n++] = xstrdup(k->o.sets[i]);
	}
	if (k->o.hv) {
		av[n++] = xstrdup("--hv");
		av[n++] = xstrdup(k->o.hv);
	}
	if (k->o.board) {
		av[n++] = xstrdup("--board");
		av[n++] = xstrdup(k->o.board);
	}
	av[n++] = xstrdup("--seed");
	av[n++] = xstrdup(seed);
	size_t nrepro = n;
	av[n++] = xstrdup("--out");
	av[n++] = xstrdup(sl->dir);
	av[n++] = xstrdup("--quiet");
	/* The last SIZE of trace, in the run folder: it goes with the run
	 * to its crash folder, or with the folder of a clean run.  Not in
	 * the replay command (a replay with "$@" can ask for a trace). */
	if (k->o.trace_window) {
		av[n++] = xstrdup("--trace");
		if (asprintf(&av[n++], "%s/trace.vzt", sl->dir) < 0)
			die(EXIT_INTERNAL, "out of memory");
		/* Through OpenOCD the trace is the TCB's on-chip memory. */
		struct board_spec b = {0};
		char err[256];
		if (k->o.board)
			board_spec_parse(k->o.board, &b, err, sizeof err); /* checked at start */
		if (!b.openocd) {
			av[n++] = xstrdup("--trace-window");
			av[n++] = xstrdup(k->o.trace_window);
		}
	}
	av[n] = NULL;
	size_t len;
	FILE *f = open_memstream(repro, &len);
	if (!f)
		die(EXIT_INTERNAL, "out of memory");
	/* From the folder the soak ran in: the paths are as given. */
	char cwd[PATH_MAX];
	if (getcwd(cwd, sizeof cwd)) {
		fputs("cd", f);
		shell_word(f, cwd);
		fputs(" && exec ", f);
	}
	fputs(k->prog, f);
	for (size_t i = 1; i < nrepro; i++)
		shell_word(f, av[i]);
	bool bad = ferror(f);
	if (fclose(f) != 0 || bad)
		die(EXIT_INTERNAL, "out of memory");
	return av;
}

static void free_argv(char **av)
{
	for (char **p = av; *p; p++)
		free(*p);
	free(av);
}

/* The child, between fork and exec: its own process group (a Ctrl-C at
 * the terminal is the soak's to handle), death with the soak, the memory
 * limit, stdout to /dev/null (summary.txt has it), stderr to its log. */
static __attribute__((noreturn)) void child(const struct soak *k, const struct slot *sl,
					    char **av, pid_t parent)
{
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(EXIT_INTERNAL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	if (k->o.mem_mb) {
		struct rlimit rl = {.rlim_cur = (rlim_t)k->o.mem_mb << 20,
				    .rlim_max = (rlim_t)k->o.mem_mb << 20};
		setrlimit(RLIMIT_AS, &rl);
	}
	int null = open("/dev/null", O_RDWR);
	int log = open(sl->log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (null < 0 || log < 0)
		_exit(EXIT_INTERNAL);
	dup2(null, 0);
	dup2(null, 1);
	dup2(log, 2);
	execv(k->exe, av);
	_exit(EXIT_INTERNAL);
}

static int start_run(struct soak *k, struct slot *sl, unsigned scn, uint32_t seed)
{
	char name[128], err[512];
	run_name(k->scn[scn].s.name, seed, name, sizeof name);
	sl->scn = scn;
	sl->seed = seed;
	sl->hung = sl->dropped = false;
	sl->kill_at = 0;
	if (asprintf(&sl->dir, "%s/runs/%s", k->out, name) < 0 ||
	    asprintf(&sl->log, "%s/runs/%s.stderr", k->out, name) < 0)
		die(EXIT_INTERNAL, "out of memory");
	/* A folder even for a run that dies before it makes one: its
	 * reproducer needs somewhere to be. */
	remove_tree(sl->dir);
	if (make_dirs(sl->dir, err, sizeof err) != 0) {
		complain("--out %s: %s", k->out, err);
		return -1;
	}
	char *repro;
	char **av = run_argv(k, sl, &repro);
	free(repro);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		complain("cannot start a run: %s", strerror(errno));
		free_argv(av);
		return -1;
	}
	if (pid == 0)
		child(k, sl, av, parent);
	free_argv(av);
	sl->pid = pid;
	sl->start = now_s();
	sl->deadline = sl->start + k->scn[scn].timeout;
	return 0;
}

static void free_slot(struct slot *sl)
{
	free(sl->dir);
	free(sl->log);
	sl->dir = sl->log = NULL;
	sl->pid = 0;
}

/* The text of a file (malloc), NULL if it cannot be read. */
char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *text = NULL;
	size_t cap = 0;
	ssize_t n = getdelim(&text, &cap, 0, f);
	fclose(f);
	if (n < 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* A run that died left its files under their temporary names
 * (NAME.tmp.XXXXXX): kept as NAME.partial, what it wrote until then is
 * what to look at, and no name of the run folder looks half-written. */
static void keep_partial(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		char *tmp = strstr(de->d_name, ".tmp.");
		if (!tmp || strlen(tmp) != 11)
			continue;
		char *from, *to;
		if (asprintf(&from, "%s/%s", dir, de->d_name) < 0 ||
		    asprintf(&to, "%s/%.*s.partial", dir, (int)(tmp - de->d_name),
			     de->d_name) < 0)
			die(EXIT_INTERNAL, "out of memory");
		rename(from, to);
		free(from);
		free(to);
	}
	closedir(d);
}

/* A child has ended: its result into the record.  -1 if the record could
 * not be written (reported). */
/* Whether a run ended by a stop signal (SIGTERM, SIGINT, SIGHUP), killed
 * by it or interrupted by it (vzsoak run's exit status 128 + N), that
 * the soak did not send: one sent to the whole job (Slurm's scancel, a ^C
 * to the process group), which reaches the soak too, maybe a moment
 * later.  Waits up to a second for the soak's own. */
static bool stopped_with_the_soak(const struct slot *sl, int status)
{
	int sig = WIFSIGNALED(status) ? WTERMSIG(status) :
		  WIFEXITED(status) ? WEXITSTATUS(status) - EXIT_SIGNAL_BASE : 0;
	if (sl->hung || (sig != SIGTERM && sig != SIGINT && sig != SIGHUP))
		return false;
	for (int i = 0; i < 100 && !got_signal; i++)
		nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
	return got_signal != 0;
}

static int finish_run(struct soak *k, struct slot *sl, int status)
{
	char err[512], *path;
	/* Stopped with the soak: not a crash, only unfinished. */
	if (!sl->dropped && stopped_with_the_soak(sl, status))
		sl->dropped = true;
	if (sl->dropped) {
		/* Unfinished: --resume redoes it. */
		remove_tree(sl->dir);
		unlink(sl->log);
		free_slot(sl);
		return 0;
	}
	struct entry e = {.seed = sl->seed, .when = (long long)time(NULL)};
	snprintf(e.scn, sizeof e.scn, "%s", k->scn[sl->scn].s.name);
	if (asprintf(&path, "%s/summary.txt", sl->dir) < 0)
		die(EXIT_INTERNAL, "out of memory");
	char *summary = slurp(path);
	free(path);
	result_classify(summary, status, sl->hung, now_s() - sl->start, &e.r);
	free(summary);
	int rc = 0;
	if (e.r.outcome == OUT_CLEAN) {
		remove_tree(sl->dir);
	} else {
		/* What the run said on stderr (a sanitizer's report, a
		 * crash's last words) goes with it. */
		struct stat sb;
		if (stat(sl->log, &sb) == 0 && sb.st_size > 0) {
			if (asprintf(&path, "%s/stderr.txt", sl->dir) < 0)
				die(EXIT_INTERNAL, "out of memory");
			rename(sl->log, path);
			free(path);
		}
		keep_partial(sl->dir);
		char *repro;
		free_argv(run_argv(k, sl, &repro));
		rc = crashdb_keep(&k->j, k->out, sl->dir, &e, repro, k->o.keep, err,
				  sizeof err);
		free(repro);
	}
	unlink(sl->log);
	if (rc == 0)
		rc = journal_append(&k->j, &e, err, sizeof err);
	if (rc == 0) {
		k->done_now++;
		k->insns_now += e.r.insns;
		rc = crashdb_write(&k->j, k->out, err, sizeof err);
	}
	if (rc != 0)
		complain("%s", err);
	free_slot(sl);
	return rc;
}

/* ------------------------------------------------------------- progress */

static void dur_text(double s, char *buf, size_t len)
{
	long t = (long)(s + 0.5);
	if (t >= 3600)
		snprintf(buf, len, "%ldh%02ldm", t / 3600, t / 60 % 60);
	else if (t >= 60)
		snprintf(buf, len, "%ldm%02lds", t / 60, t % 60);
	else
		snprintf(buf, len, "%lds", t);
}

/* One line: runs done/total, the rate, what is left, instructions per
 * second over every job, the flags so far by title. */
static void progress(struct soak *k, bool force)
{
	double t = now_s();
	if (k->quiet || (!force && t - k->last_line < (k->tty ? 0.5 : 10)))
		return;
	k->last_line = t;
	double el = t - k->t0;
	double rate = el > 0 ? k->done_now / el * 60 : 0;
	char line[512], left[32] = "-";
	size_t n = 0;
	size_t flagged = 0, running = 0;
	for (size_t i = 0; i < k->j.n; i++)
		flagged += k->j.e[i].r.outcome != OUT_CLEAN;
	for (unsigned i = 0; i < k->jobs; i++)
		running += k->slots[i].pid != 0;
	if (k->o.hours > 0) {
		dur_text(k->end_at > t ? k->end_at - t : 0, left, sizeof left);
		n += (size_t)snprintf(line + n, sizeof line - n, "soak: %zu runs, %zu running, "
				      "%.1f/min, %s left", k->j.n, running, rate, left);
	} else {
		uint64_t rest = k->total > k->j.n ? k->total - k->j.n : 0;
		if (k->done_now)
			dur_text((double)rest * el / k->done_now, left, sizeof left);
		n += (size_t)snprintf(line + n, sizeof line - n, "soak: %zu/%" PRIu64 " runs, "
				      "%zu running, %.1f/min, ETA %s", k->j.n, k->total,
				      running, rate, left);
	}
	n += (size_t)snprintf(line + n, sizeof line - n, ", %.2fM insn/s, %zu flagged",
			      el > 0 ? (double)k->insns_now / el / 1e6 : 0, flagged);
	/* The titles, in the order first seen: one pass over the journal,
	 * each run's title looked up among the few distinct ones (the line
	 * only shows the first 32). */
	struct title_count {
		const char *title;
		unsigned count;
	} seen[32];
	size_t nseen = 0;
	for (size_t i = 0; i < k->j.n; i++) {
		const char *title = k->j.e[i].r.title;
		if (!title[0])
			continue;
		size_t m;
		for (m = 0; m < nseen && strcmp(seen[m].title, title); m++)
			;
		if (m < nseen)
			seen[m].count++;
		else if (nseen < sizeof seen / sizeof seen[0])
			seen[nseen++] = (struct title_count){title, 1};
	}
	for (size_t m = 0; m < nseen && n + 40 < sizeof line; m++)
		n += (size_t)snprintf(line + n, sizeof line - n, "%s %ux %s",
				      m ? ";" : ":", seen[m].count, seen[m].title);
	if (n >= sizeof line)
		n = sizeof line - 1;
	if (k->tty) {
		if (n > 150)
			n = 150; /* one terminal line */
		fprintf(stderr, "\r%.*s%*s", (int)n, line, k->width > (int)n ?
			k->width - (int)n : 0, "");
		k->width = (int)n;
	} else {
		fprintf(stderr, "%.*s\n", (int)n, line);
	}
	fflush(stderr);
}

/* ------------------------------------------------------- the command */

static void usage(FILE *f)
{
	fputs("usage: vzsoak soak SCENARIO... [--seeds A-B | --hours H] [options]\n"
	      "Runs the scenarios over many seeds, each run a `vzsoak run` of its "
	      "own, and\nkeeps a journal, a folder per distinct failure and an "
	      "index in the soak folder.\n\noptions:\n"
	      "  --seeds A-B      the seeds A to B (each with every scenario)\n"
	      "  --hours H        new seeds from 1 until H hours have passed\n"
	      "  -j N             N runs at once (default: the number of cores)\n"
	      "  --out DIR        the soak folder (default vzsoak-soaks/NAME)\n"
	      "  --resume         continue the soak in --out (its soak.conf's "
	      "options)\n"
	      "  --shard K/N      only the seeds s with s mod N = K mod N\n"
	      "  --set KEY=VALUE  override a scenario key in every run\n"
	      "  --hv FILE        the hypervisor image\n"
	      "  --timeout S      a run still going after S seconds is hung "
	      "(default: from\n                   the duration: 60 + 1 s per 200k "
	      "instructions)\n"
	      "  --mem-limit MB   address-space limit of each run (0: none; "
	      "default 4096,\n                   none in a sanitizer build)\n"
	      "  --keep K         reproducers kept per failure (default 5)\n"
	      "  --trace-window SIZE  each run traces its last SIZE (64K, 1M) "
	      "into trace.vzt,\n                   kept with its reproducer\n"
	      "  --board B        each run's board: direct (default), openocd or "
	      "openocd:HOST:PORT\n                   (as vzsoak run --board; "
	      "docs/boards.md)\n"
	      "  --quiet          no progress line on stderr\n"
	      "  --check          check the options, scenarios, image and --out as the soak\n"
	      "                   would, say what it would run, and stop (nothing written)\n\n"
	      "exit status: 0 every run clean, 1 some run flagged, 2 bad input, "
	      "70 internal\nerror, 128+N signal N (the finished runs and the "
	      "index are kept).\nDetails: docs/soak.md\n", f);
}

static char *default_hv_path(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return xstrdup("build/target/hypervisor.elf");
	exe[n] = 0;
	for (int up = 0; up < 2; up++) {
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = 0;
	}
	char *p;
	if (asprintf(&p, "%s/target/hypervisor.elf", exe) < 0)
		die(EXIT_INTERNAL, "out of memory");
	return p;
}

/* The scenarios as `vzsoak run` would read them (the same reader, the
 * same board checks), and the hypervisor image: bad input is found before
 * anything starts. */
static struct scn_info *resolve(const struct soak_opts *o)
{
	struct scn_info *info = xrealloc(NULL, o->nscn * sizeof *info);
	vzsim *checker = target_checker_new();
	if (!checker)
		die(EXIT_INTERNAL, "cannot create a board");
	char err[512];
	for (size_t i = 0; i < o->nscn; i++) {
		struct scenario *s = &info[i].s;
		if (scenario_load(s, o->scn[i], target_check_opt, checker, err, sizeof err) != 0)
			die(EXIT_BAD_INPUT, "%s", err);
		for (size_t m = 0; m < o->nsets; m++) {
			char *kv = xstrdup(o->sets[m]), *eq = strchr(kv, '=');
			if (!eq || eq == kv)
				die(EXIT_BAD_INPUT, "--set '%s': want KEY=VALUE", o->sets[m]);
			*eq = 0;
			if (scenario_set(s, kv, eq + 1, target_check_opt, checker, err,
					 sizeof err) != 0)
				die(EXIT_BAD_INPUT, "--set: %s", err);
			free(kv);
		}
		for (size_t m = 0; m < i; m++)
			if (!strcmp(info[m].s.name, s->name))
				die(EXIT_BAD_INPUT, "%s: a second scenario named '%s' (the "
					"journal tells runs apart by name)", o->scn[i], s->name);
		/* Generous: a healthy run is many times faster than 200k
		 * instructions a second even in the sanitizer build. */
		info[i].timeout = o->timeout > 0 ? o->timeout :
				  60 + (double)s->duration / 200000;
	}
	vzsim_free(checker);
	char *hv = o->hv ? o->hv : default_hv_path();
	vzsim *sim = target_open(&info[0].s, hv, err, sizeof err);
	if (!sim)
		die(EXIT_BAD_INPUT, "%s%s", o->hv ? "--hv: " : "hypervisor image: ", err);
	vzsim_free(sim);
	if (hv != o->hv)
		free(hv);
	return info;
}

/* The first line where two soak.conf texts differ, for the message. */
static void first_diff(const char *a, const char *b, char *buf, size_t len)
{
	while (*a && *b) {
		size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
		if (la != lb || strncmp(a, b, la)) {
			snprintf(buf, len, "it has '%.*s', this command '%.*s'", (int)la, a,
				 (int)lb, b);
			return;
		}
		a += la + (a[la] == '\n');
		b += lb + (b[lb] == '\n');
	}
	size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
	snprintf(buf, len, "it has '%.*s', this command '%.*s'", (int)la, *a ? a : "",
		 (int)lb, *b ? b : "");
	if (!*a)
		snprintf(buf, len, "this command adds '%.*s'", (int)lb, b);
	else if (!*b)
		snprintf(buf, len, "this command lacks '%.*s'", (int)la, a);
}

static int parse_args(int argc, char **argv, struct soak_opts *o, struct soak *k,
		      bool *resume)
{
	enum { O_SEEDS = 256, O_HOURS, O_OUT, O_RESUME, O_SHARD, O_SET, O_HV,
	       O_TIMEOUT, O_MEM, O_KEEP, O_TWIN, O_BOARD, O_QUIET, O_CHECK, O_HELP };
	static const struct option longopts[] = {
		{"seeds", required_argument, NULL, O_SEEDS},
		{"hours", required_argument, NULL, O_HOURS},
		{"out", required_argument, NULL, O_OUT},
		{"resume", no_argument, NULL, O_RESUME},
		{"shard", required_argument, NULL, O_SHARD},
		{"set", required_argument, NULL, O_SET},
		{"hv", required_argument, NULL, O_HV},
		{"timeout", required_argument, NULL, O_TIMEOUT},
		{"mem-limit", required_argument, NULL, O_MEM},
		{"keep", required_argument, NULL, O_KEEP},
		{"trace-window", required_argument, NULL, O_TWIN},
		{"board", required_argument, NULL, O_BOARD},
		{"quiet", no_argument, NULL, O_QUIET},
		{"check", no_argument, NULL, O_CHECK},
		{"help", no_argument, NULL, O_HELP},
		{NULL, 0, NULL, 0},
	};
	static const char *const keys[] = {
		[O_SEEDS - O_SEEDS] = "seeds", [O_HOURS - O_SEEDS] = "hours",
		[O_SHARD - O_SEEDS] = "shard", [O_SET - O_SEEDS] = "set",
		[O_HV - O_SEEDS] = "hv", [O_TIMEOUT - O_SEEDS] = "timeout",
		[O_MEM - O_SEEDS] = "mem-limit", [O_KEEP - O_SEEDS] = "keep",
		[O_TWIN - O_SEEDS] = "trace-window",
		[O_BOARD - O_SEEDS] = "board",
	};
	bool any = false;
	opterr = 0;
	for (;;) {
		int c = getopt_long(argc, argv, ":hj:", longopts, NULL);
		if (c == -1)
			break;
		switch (c) {
		case 'j': {
			uint32_t n;
			if (!parse_u32(optarg, &n) || n < 1 || n > 1024)
				die(EXIT_BAD_INPUT, "-j '%s': want 1 to 1024 runs at once", optarg);
			k->jobs = n;
			break;
		}
		case O_OUT:
			k->out = optarg;
			break;
		case O_RESUME:
			*resume = true;
			break;
		case O_QUIET:
			k->quiet = true;
			break;
		case O_CHECK:
			k->check = true;
			break;
		case 'h':
		case O_HELP:
			usage(stdout);
			return 1;
		case ':':
			die(EXIT_BAD_INPUT, "soak: option '%s' needs a value (try vzsoak "
				"soak --help)", argv[optind - 1]);
		case '?':
			die(EXIT_BAD_INPUT, "soak: unknown option '%s' (try vzsoak soak "
				"--help)", argv[optind - 1]);
		default: {
			char what[32];
			snprintf(what, sizeof what, "--%s", keys[c - O_SEEDS]);
			apply_opt(o, keys[c - O_SEEDS], optarg, what);
			any = true;
		}
		}
	}
	for (int i = optind; i < argc; i++) {
		apply_opt(o, "scenario", argv[i], "scenario");
		any = true;
	}
	return any ? 0 : 2; /* 2: no soak options (a bare --resume) */
}

static void check_opts(const struct soak_opts *o)
{
	if (!o->nscn)
		die(EXIT_BAD_INPUT, "soak: no scenario given (try vzsoak soak --help)");
	if (o->seeds_given && o->hours > 0)
		die(EXIT_BAD_INPUT, "soak: --seeds and --hours: give one");
	if (!o->seeds_given && !(o->hours > 0))
		die(EXIT_BAD_INPUT, "soak: give --seeds A-B or --hours H");
}

/* Stops the running children: SIGTERM (each completes its run folder),
 * then SIGKILL for one that is still there after 10 s; their runs are
 * dropped (not journaled: --resume redoes them). */
static void stop_all(struct soak *k)
{
	double t = now_s();
	for (unsigned i = 0; i < k->jobs; i++) {
		struct slot *sl = &k->slots[i];
		if (!sl->pid)
			continue;
		sl->dropped = true;
		kill(sl->pid, SIGTERM);
		sl->kill_at = t + 10;
	}
}

/* Reaps ended children into the record; -1 if the record failed. */
static int reap(struct soak *k)
{
	int rc = 0, status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		for (unsigned i = 0; i < k->jobs; i++)
			if (k->slots[i].pid == pid && finish_run(k, &k->slots[i], status) != 0)
				rc = -1;
	return rc;
}

static void watchdog(struct soak *k)
{
	double t = now_s();
	for (unsigned i = 0; i < k->jobs; i++) {
		struct slot *sl = &k->slots[i];
		if (!sl->pid)
			continue;
		if (!sl->hung && !sl->dropped && t > sl->deadline) {
			/* SIGTERM first: a run stuck between checks still
			 * completes its folder if it can. */
			sl->hung = true;
			kill(sl->pid, SIGTERM);
			sl->kill_at = t + 5;
		} else if (sl->kill_at && t > sl->kill_at) {
			kill(sl->pid, SIGKILL);
			sl->kill_at = 0;
		}
	}
}

static unsigned running(const struct soak *k)
{
	unsigned n = 0;
	for (unsigned i = 0; i < k->jobs; i++)
		n += k->slots[i].pid != 0;
	return n;
}

/* --check: what the soak would run, on stdout, one line (a batch script
 * that submits shards checks them with it before it queues anything). */
static void check_report(const struct soak *k, bool resume)
{
	printf("vzsoak soak: ok: %s%s, ", resume ? "resumes " : "", k->out);
	for (size_t i = 0; i < k->o.nscn; i++)
		printf("%s%s", i ? " " : "", k->scn[i].s.name);
	if (k->o.seeds_given) {
		printf(", seeds %" PRIu32 "-%" PRIu32, k->o.lo, k->o.hi);
		if (k->o.shard_n > 1)
			printf(" shard %u/%u", k->o.shard_k, k->o.shard_n);
		printf(": %" PRIu64 " runs\n", shard_runs(&k->o));
	} else {
		printf(", %g hours", k->o.hours);
		if (k->o.shard_n > 1)
			printf(" shard %u/%u", k->o.shard_k, k->o.shard_n);
		putchar('\n');
	}
}

int cmd_soak(const char *prog, int argc, char **argv)
{
	struct soak k = {.prog = prog};
	struct soak_opts o = {.shard_k = 1, .shard_n = 1, .keep = 5};
	bool resume = false;
	int pa = parse_args(argc, argv, &o, &k, &resume);
	if (pa == 1)
		return EXIT_CLEAN;
	if (!k.out) {
		if (resume)
			die(EXIT_BAD_INPUT, "--resume: which soak? (give its --out DIR)");
		if (!o.nscn)
			check_opts(&o);
	}
	char *conf_path = NULL, *out = NULL;
	if (!k.out) {
		char *base = xstrdup(o.scn[0]), *slash = strrchr(base, '/');
		char *name = slash ? slash + 1 : base, *dot = strrchr(name, '.');
		if (dot && dot != name)
			*dot = 0;
		if (asprintf(&out, "vzsoak-soaks/%s", name) < 0)
			die(EXIT_INTERNAL, "out of memory");
		free(base);
		k.out = out;
	}
	if (asprintf(&conf_path, "%s/soak.conf", k.out) < 0)
		die(EXIT_INTERNAL, "out of memory");
	struct stat sb;
	bool have_conf = stat(conf_path, &sb) == 0;
	char *text = NULL;
	if (resume) {
		if (!have_conf)
			die(EXIT_BAD_INPUT, "--resume: %s: no soak there (no soak.conf)", k.out);
		char *old = slurp(conf_path);
		if (!old)
			die(EXIT_BAD_INPUT, "--resume: %s: cannot read", conf_path);
		if (pa == 0) {
			/* Options given: they must be the soak's own. */
			check_opts(&o);
			text = conf_text(&o);
			if (strcmp(text, old)) {
				char why[512];
				first_diff(old, text, why, sizeof why);
				die(EXIT_BAD_INPUT, "--resume: %s was made by another soak: "
					"soak.conf: %s", k.out, why);
			}
		} else {
			conf_read(&o, conf_path);
			check_opts(&o);
			text = conf_text(&o);
		}
		free(old);
	} else {
		check_opts(&o);
		if (have_conf)
			die(EXIT_BAD_INPUT, "--out %s: holds a soak already (--resume "
				"continues it)", k.out);
		text = conf_text(&o);
	}
	if (!o.mem_given) {
#if defined(__SANITIZE_ADDRESS__)
		/* The sanitizer reserves terabytes of address space for its
		 * shadow memory: any RLIMIT_AS would stop every run. */
		o.mem_mb = 0;
#else
		o.mem_mb = 4096;
#endif
	}
	k.o = o;
	k.scn = resolve(&k.o);

	/* The folder: checked, then made. */
	char err[512];
	struct rundir rd = {0};
	if (rundir_check(&rd, k.out, NULL, err, sizeof err) != 0)
		die(EXIT_BAD_INPUT, "%s", err);
	if (k.check) {
		check_report(&k, resume);
		rundir_free(&rd);
		free(k.scn);
		free(conf_path);
		free(out);
		free(text);
		opts_free(&k.o);
		return EXIT_CLEAN;
	}
	if (rundir_make(&rd, err, sizeof err) != 0)
		die(EXIT_BAD_INPUT, "--out: %s", err);
	rundir_free(&rd);
	char *lock;
	if (asprintf(&lock, "%s/lock", k.out) < 0)
		die(EXIT_INTERNAL, "out of memory");
	int lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (lockfd < 0)
		die(EXIT_BAD_INPUT, "--out: %s: cannot create: %s", lock, strerror(errno));
	if (flock(lockfd, LOCK_EX | LOCK_NB) != 0)
		die(EXIT_BAD_INPUT, "--out %s: another soak is running there", k.out);
	free(lock);
	if (!resume) {
		outfile_sweep(k.out, "soak.conf", NULL, 0);
		struct outfile cf;
		if (outfile_open(&cf, conf_path, err, sizeof err) != 0)
			die(EXIT_BAD_INPUT, "--out: %s", err);
		outfile_write(&cf, text, 1, strlen(text));
		if (outfile_commit(&cf, err, sizeof err) != 0)
			die(EXIT_INTERNAL, "%s", err);
	}
	free(text);

	/* What a killed soak left: a torn journal line, the folders of runs
	 * that never finished, reproducers of runs the journal lacks. */
	if (journal_load(&k.j, k.out, err, sizeof err) != 0)
		die(EXIT_BAD_INPUT, "%s", err);
	char *runs;
	if (asprintf(&runs, "%s/runs", k.out) < 0)
		die(EXIT_INTERNAL, "out of memory");
	remove_tree(runs);
	if (make_dirs(runs, err, sizeof err) != 0)
		die(EXIT_INTERNAL, "--out: %s", err);
	free(runs);
	if (crashdb_write(&k.j, k.out, err, sizeof err) != 0)
		die(EXIT_INTERNAL, "%s", err);

	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		die(EXIT_INTERNAL, "cannot find the vzsoak executable: %s", strerror(errno));
	exe[n] = 0;
	k.exe = exe;
	if (!k.jobs) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		k.jobs = cores > 0 ? (unsigned)cores : 1;
	}
	k.slots = xrealloc(NULL, k.jobs * sizeof *k.slots);
	memset(k.slots, 0, k.jobs * sizeof *k.slots);
	k.next_seed = k.o.hours > 0 ? 1 : k.o.lo;
	k.total = shard_runs(&k.o);
	k.tty = isatty(2);
	k.t0 = now_s();
	k.end_at = k.t0 + k.o.hours * 3600;

	catch_stop_signals(on_signal);

	int status = EXIT_CLEAN;
	bool stopping = false;
	for (;;) {
		if (reap(&k) != 0 && !stopping) {
			status = EXIT_INTERNAL;
			stopping = true;
			stop_all(&k);
		}
		if (!stopping && (got_signal || (k.o.hours > 0 && now_s() >= k.end_at))) {
			stopping = true;
			stop_all(&k);
		}
		watchdog(&k);
		for (unsigned i = 0; i < k.jobs && !stopping; i++) {
			unsigned scn;
			uint32_t seed;
			if (k.slots[i].pid || !next_run(&k, &scn, &seed))
				continue;
			if (start_run(&k, &k.slots[i], scn, seed) != 0) {
				free_slot(&k.slots[i]);
				status = EXIT_INTERNAL;
				stopping = true;
				stop_all(&k);
			}
		}
		if (!running(&k) && (stopping || k.exhausted))
			break;
		progress(&k, false);
		struct timespec nap = {0, 50 * 1000 * 1000};
		nanosleep(&nap, NULL);
	}
	progress(&k, true);
	if (k.tty && !k.quiet)
		fputc('\n', stderr);
	/* The index once more: the dropped runs' folders are gone. */
	if (crashdb_write(&k.j, k.out, err, sizeof err) != 0) {
		complain("%s", err);
		status = EXIT_INTERNAL;
	}
	bool flagged = false;
	for (size_t i = 0; i < k.j.n; i++)
		flagged |= k.j.e[i].r.outcome != OUT_CLEAN;
	journal_free(&k.j);
	opts_free(&k.o);
	free(k.slots);
	free(k.scn);
	free(conf_path);
	free(out);
	close(lockfd);
	if (status == EXIT_INTERNAL)
		return status;
	if (got_signal)
		return EXIT_SIGNAL_BASE + got_signal;
	return flagged ? EXIT_FINDING : EXIT_CLEAN;
}
