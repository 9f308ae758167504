/*
 * `vzsoak run SCENARIO [options]`: the command line.  Reads the scenario,
 * applies --set and --seed in command-line order, finds the hypervisor
 * image and the run folder, builds the command that reproduces the run,
 * then hands over to soak.c.
 */
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "target.h"
#include "cli.h"
#include "run.h"

static void usage(FILE *f)
{
	fputs("usage: vzsoak run SCENARIO [options]\n"
	      "Runs one soak scenario (a stress/scenarios/*.scn file) on vzsim, "
	      "the simulated\nboard: the reference hypervisor with its guests, "
	      "checked every check-every\ninstructions; prints a summary and "
	      "keeps the run in a folder.\n\n"
	      "options:\n"
	      "  --seed N         the run's seed (same as --set seed=N)\n"
	      "  --set KEY=VALUE  override a scenario key (repeatable; later wins)\n"
	      "  --hv FILE        the hypervisor image (default: ../target/"
	      "hypervisor.elf\n"
	      "                   beside the vzsoak executable)\n"
	      "  --out DIR        the run folder (default vzsoak-runs/NAME-sSEED)\n"
	      "  --trace FILE     capture PDtrace into FILE (sets trace = on)\n"
	      "  --trace-window MB  with --trace: keep only the last MB megabytes "
	      "of trace\n                   (or 64K...): what led up to the end\n"
	      "  --board B        the board: direct (libvzsim here, the default), "
	      "openocd\n                   (vzsim --jtag behind Debian's OpenOCD, "
	      "started here) or\n                   openocd:HOST:PORT (an OpenOCD "
	      "already running on a board,\n                   its Tcl port): "
	      "docs/boards.md\n"
	      "  --quiet          no progress line on stderr\n"
	      "  --help           this text\n\n"
	      "scenario keys (\"key = value\" lines, '#' comments):\n", f);
	scenario_help(f);
	fputs("\nThe run folder gets console.log (the board's UART), summary.txt "
	      "(the summary\nprinted on stdout) and scenario.txt (the resolved "
	      "keys and the command that\nreproduces the run).\n\n"
	      "exit status: 0 clean, 1 something flagged, 2 bad input, 70 "
	      "internal error\n(out of memory, a write error, stdout's too), "
	      "128+N signal N (130 SIGINT,\n143 SIGTERM, 129 SIGHUP: the run "
	      "folder is still completed), 141\nstdout's reader gone before "
	      "the summary.\nDetails: docs/soak.md, docs/cli.md\n", f);
}

/* The image the build puts beside the executable: BUILD/bin/vzsoak ->
 * BUILD/target/hypervisor.elf. */
static char *default_hv(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *path;
	if (n <= 0)
		return strdup("build/target/hypervisor.elf");
	exe[n] = 0;
	for (int up = 0; up < 2; up++) {
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = 0;
	}
	if (asprintf(&path, "%s/target/hypervisor.elf", exe) < 0)
		return NULL;
	return path;
}

/* The stop signals of vzsoak run and soak (cli.h). */
void catch_stop_signals(void (*on)(int))
{
	struct sigaction sa = {.sa_handler = on};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Appends s to the command f is building, quoted for the shell if it
 * needs to be. */
void shell_word(FILE *f, const char *s)
{
	fputc(' ', f);
	if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789_-+=./,:@%") == strlen(s)) {
		fputs(s, f);
		return;
	}
	fputc('\'', f);
	for (; *s; s++)
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	fputc('\'', f);
}

struct setting {
	const char *opt; /* "--set" or "--seed" */
	const char *arg;
};

/* The command line, parsed. */
struct run_args {
	struct setting *settings; /* --set and --seed, in command-line order */
	size_t nsettings;
	const char *scn_path;
};

/* Applies one --set or --seed; exits on a bad one. */
static void apply(struct scenario *s, const struct setting *st, vzsim *checker)
{
	char err[512];
	char *kv = strdup(st->arg);
	if (!kv)
		die(EXIT_INTERNAL, "out of memory");
	const char *key = "seed", *value = kv;
	if (!strcmp(st->opt, "--set")) {
		char *eq = strchr(kv, '=');
		if (!eq || eq == kv)
			die(EXIT_BAD_INPUT, "--set '%s': want KEY=VALUE", st->arg);
		*eq = 0;
		key = kv;
		value = eq + 1;
	}
	if (scenario_set(s, key, value, target_check_opt, checker, err, sizeof err) != 0)
		die(EXIT_BAD_INPUT, "%s: %s", st->opt, err);
	free(kv);
}

/* The options into c and a; false if --help was asked for (and printed). */
static bool parse_options(int argc, char **argv, struct run_config *c, struct run_args *a)
{
	enum { O_SEED = 256, O_SET, O_HV, O_OUT, O_TRACE, O_TWIN, O_QUIET, O_HELP, O_BOARD };
	static const struct option longopts[] = {
		{"seed", required_argument, NULL, O_SEED},
		{"set", required_argument, NULL, O_SET},
		{"hv", required_argument, NULL, O_HV},
		{"out", required_argument, NULL, O_OUT},
		{"trace", required_argument, NULL, O_TRACE},
		{"trace-window", required_argument, NULL, O_TWIN},
		{"quiet", no_argument, NULL, O_QUIET},
		{"board", required_argument, NULL, O_BOARD},
		{"help", no_argument, NULL, O_HELP},
		{NULL, 0, NULL, 0},
	};
	a->settings = calloc((size_t)argc, sizeof *a->settings);
	a->nsettings = 0;
	if (!a->settings)
		die(EXIT_INTERNAL, "out of memory");

	opterr = 0; /* our own one-line messages */
	for (;;) {
		int o = getopt_long(argc, argv, ":h", longopts, NULL);
		if (o == -1)
			break;
		switch (o) {
		case O_SEED:
			a->settings[a->nsettings++] = (struct setting){"--seed", optarg};
			break;
		case O_SET:
			a->settings[a->nsettings++] = (struct setting){"--set", optarg};
			break;
		case O_HV:
			c->hv = optarg;
			c->hv_given = true;
			break;
		case O_OUT:
			c->out = optarg;
			break;
		case O_TRACE:
			c->trace = optarg;
			break;
		case O_TWIN: {
			char err[256];
			if (vzsim_trace_window_parse(optarg, &c->trace_window, err,
						     sizeof err) != 0)
				die(EXIT_BAD_INPUT, "run: --trace-window: %s", err);
			c->trace_window_arg = optarg;
			break;
		}
		case O_QUIET:
			c->quiet = true;
			break;
		case O_BOARD: {
			char err[256];
			if (board_spec_parse(optarg, &c->board, err, sizeof err) != 0)
				die(EXIT_BAD_INPUT, "run: %s", err);
			c->board_arg = optarg;
			break;
		}
		case 'h':
		case O_HELP:
			usage(stdout);
			return false;
		case ':':
			die(EXIT_BAD_INPUT, "run: option '%s' needs a value (try "
				"vzsoak run --help)", argv[optind - 1]);
		default:
			die(EXIT_BAD_INPUT, "run: unknown option '%s' (try vzsoak "
				"run --help)", argv[optind - 1]);
		}
	}
	if (optind == argc)
		die(EXIT_BAD_INPUT, "run: no scenario given (try vzsoak run --help)");
	if (argc - optind > 1)
		die(EXIT_BAD_INPUT, "run: one scenario at a time ('%s' and '%s')",
			argv[optind], argv[optind + 1]);
	a->scn_path = argv[optind];
	if (c->trace_window && c->board.openocd)
		die(EXIT_BAD_INPUT, "run: --trace-window: not with --board openocd (its "
			"trace is the TCB's on-chip memory)");
	if (c->trace_window && !c->trace)
		die(EXIT_BAD_INPUT, "run: --trace-window: only with --trace");
	return true;
}

/* The scenario file with the settings applied, into c->scn. */
static void resolve_scenario(struct run_config *c, const struct run_args *a)
{
	/* Board options are checked by libvzsim itself, on a scratch board. */
	vzsim *checker = target_checker_new();
	if (!checker)
		die(EXIT_INTERNAL, "cannot create a board");
	char err[512];
	if (scenario_load(&c->scn, a->scn_path, target_check_opt, checker, err, sizeof err) != 0)
		die(EXIT_BAD_INPUT, "%s", err);
	for (size_t i = 0; i < a->nsettings; i++)
		apply(&c->scn, &a->settings[i], checker);
	vzsim_free(checker);
	if (c->trace)
		c->scn.trace = 1; /* the hypervisor's messages belong in the capture */
}

/* The command that reproduces the run (malloc): the settings as given,
 * then the seed, explicit even when it is the scenario's. */
static char *build_repro(const char *prog, const struct run_config *c,
			 const struct run_args *a)
{
	char *repro = NULL;
	size_t len;
	FILE *f = open_memstream(&repro, &len);
	if (!f)
		die(EXIT_INTERNAL, "out of memory");
	fputs(prog, f);
	fputs(" run", f);
	shell_word(f, a->scn_path);
	for (size_t i = 0; i < a->nsettings; i++)
		if (!strcmp(a->settings[i].opt, "--set")) {
			shell_word(f, "--set");
			shell_word(f, a->settings[i].arg);
		}
	if (c->hv_given) {
		shell_word(f, "--hv");
		shell_word(f, c->hv);
	}
	if (c->trace && !c->trace_auto) {
		shell_word(f, "--trace");
		shell_word(f, c->trace);
	}
	if (c->trace_window_arg) {
		shell_word(f, "--trace-window");
		shell_word(f, c->trace_window_arg);
	}
	if (c->board_arg) {
		shell_word(f, "--board");
		shell_word(f, c->board_arg);
	}
	fprintf(f, " --seed %u", (unsigned)c->scn.seed);
	bool bad = ferror(f);
	if (fclose(f) != 0 || bad)
		die(EXIT_INTERNAL, "out of memory");
	return repro;
}

int cmd_run(const char *prog, int argc, char **argv)
{
	struct run_config c = {0};
	struct run_args a;
	if (!parse_options(argc, argv, &c, &a)) {
		free(a.settings);
		return EXIT_CLEAN;
	}
	resolve_scenario(&c, &a);

	char *hv = NULL, *out = NULL;
	if (!c.hv && !(c.hv = hv = default_hv()))
		die(EXIT_INTERNAL, "out of memory");
	if (!c.out) {
		if (asprintf(&out, "vzsoak-runs/%s-s%u", c.scn.name, (unsigned)c.scn.seed) < 0)
			die(EXIT_INTERNAL, "out of memory");
		c.out = out;
	}
	/* detect = trace: the detectors need a capture; without --trace the run
	 * keeps one in its folder. */
	char *auto_trace = NULL;
	if (c.scn.detect == SCN_DETECT_TRACE && !c.trace) {
		if (asprintf(&auto_trace, "%s/trace.vzt", c.out) < 0)
			die(EXIT_INTERNAL, "out of memory");
		c.trace = auto_trace;
		c.trace_auto = true;
		c.scn.trace = 1;
	}
	char *repro = build_repro(prog, &c, &a);
	c.repro = repro;

	int status = soak_run(&c);
	free(a.settings);
	free(hv);
	free(out);
	free(auto_trace);
	free(repro);
	return status;
}
