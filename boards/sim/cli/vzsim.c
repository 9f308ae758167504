/*
 * vzsim: run MIPS32 ELF images on the simulated board.
 *
 *   vzsim [options] image.elf...
 *
 * A thin user of libvzsim: parse options, load the images, reset to the
 * first entry point, run in chunks (so a signal can stop the run cleanly),
 * and report why it stopped through the exit status (docs/vzsim.md).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <mips/exc.h>
#include <vzsim/vzsim.h>

enum exit_status {
	EXIT_RESET = 0,     /* the program wrote 0x42 to the reset register */
	EXIT_INTERNAL = 1,
	EXIT_USAGE = 2,     /* bad input or usage                           */
	EXIT_MAX_INSNS = 3,
	EXIT_DEADLOCK = 4,
	EXIT_SIGNAL_BASE = 128, /* + signal number: interrupted */
};

/* Instructions per vzsim_run call: small enough that a signal is noticed
 * within milliseconds, large enough that the call overhead vanishes. */
#define RUN_CHUNK (UINT64_C(1) << 22)
#define RUN_CHUNK_TRACED (UINT64_C(1) << 18) /* with a sink: ~20x slower */

#define MAX_IMAGES 16
#define MAX_BOARD_OPTS 32

struct options {
	const char *images[MAX_IMAGES];
	int nimages;
	uint64_t ram;
	bool ram_set;
	uint64_t max_insns;
	bool max_set;
	uint64_t seed;
	bool seed_set;
	const char *uart_out, *uart_in, *log_insns;
	const char *board_opts[MAX_BOARD_OPTS];
	int nboard_opts;
	bool stats;
	const char *trace, *tcb_out;
	const char *bootargs;
	bool trace_data;
	unsigned trace_syp;
	uint32_t entry;
	bool entry_set;
};

static void die(int status, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));

static void die(int status, const char *fmt, ...)
{
	va_list ap;
	fputs("vzsim: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

/* ------------------------------------------------------------ parsing */

/* An unsigned integer in C syntax (decimal, 0x hex), nothing after it. */
static bool parse_u64(const char *s, uint64_t *out, char **rest)
{
	if (*s < '0' || *s > '9')
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno)
		return false;
	if (!rest && *end)
		return false;
	if (rest)
		*rest = end;
	*out = v;
	return true;
}

static uint64_t opt_u64(const char *opt, const char *s)
{
	uint64_t v;
	if (!parse_u64(s, &v, NULL))
		die(EXIT_USAGE, "%s: '%s' is not a number", opt, s);
	return v;
}

/* A size in bytes with an optional binary suffix: 65536, 64K, 256M, 1G. */
static uint64_t opt_size(const char *opt, const char *s)
{
	uint64_t v;
	char *end;
	if (!parse_u64(s, &v, &end))
		die(EXIT_USAGE, "%s: '%s' is not a size (e.g. 256M)", opt, s);
	unsigned shift = 0;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default: break;
	}
	if (shift && (strcmp(end, "iB") == 0 || strcmp(end, "B") == 0))
		end += strlen(end);
	if (*end || (shift && v > (UINT64_MAX >> shift)))
		die(EXIT_USAGE, "%s: '%s' is not a size (e.g. 256M)", opt, s);
	return v << shift;
}

/* Prints text word-wrapped to 78 columns, each line indented. */
static void print_wrapped(FILE *f, const char *text, int indent)
{
	int col = 0;
	while (*text) {
		int len = (int)strcspn(text, " ");
		if (col > indent && col + 1 + len > 78) {
			fputc('\n', f);
			col = 0;
		}
		if (col == 0)
			col = fprintf(f, "%*s", indent, "");
		else
			col += fprintf(f, " ");
		col += fprintf(f, "%.*s", len, text);
		text += len;
		while (*text == ' ')
			text++;
	}
	fputc('\n', f);
}

static void usage(FILE *f)
{
	fputs("usage: vzsim [options] image.elf...\n"
	      "Runs little-endian MIPS32 ELF images on vzsim, a simulated "
	      "P5600-like board\nwith QEMU Malta's console UART and reset "
	      "register.  Execution starts at the\nfirst image's entry point "
	      "and ends when the program writes 0x42 to the reset\nregister "
	      "(physical 0x1f000500).\n\n"
	      "options:\n"
	      "  --ram SIZE          RAM at physical 0: 4K..256M (default 256M)\n"
	      "  --max-insns N       stop after N instructions (exit status 3)\n"
	      "  --seed N            seed for Random and other unfixed state "
	      "(default 1)\n"
	      "  --entry ADDR        start here instead of the first image's "
	      "entry point\n"
	      "  --uart-out FILE     console output to FILE ('-': stdout, the "
	      "default)\n"
	      "  --uart-in FILE      console input from FILE ('-': stdin; "
	      "default none)\n"
	      "  --board-opt K=V     set a board option (repeatable; see "
	      "below)\n"
	      "  --log-insns FILE    one line per executed instruction to FILE\n"
	      "  --bootargs TEXT     fill the boot-arguments block (\"k=v ...\", read "
	      "by the\n                      reference hypervisor) at physical "
	      "0x1000\n"
	      "  --trace FILE        capture PDtrace (every mode, root and guests) "
	      "into FILE\n"
	      "  --trace-data        with --trace: load/store addresses and data "
	      "too\n"
	      "  --trace-syp N       sync every 2^(N+5) instructions, N 0..7 "
	      "(default 5)\n"
	      "  --tcb-out FILE      at the end, the on-chip TCB memory as a "
	      "trace file\n"
	      "  --stats             counters to stderr at the end\n"
	      "  --help              this text\n\n"
	      "board options:\n", f);
	size_t n;
	const struct vzsim_board_opt_info *t = vzsim_board_opt_list(&n);
	for (size_t i = 0; i < n; i++)
	{
		fprintf(f, "  %s=%s (default %s)\n", t[i].name, t[i].values,
			t[i].fallback);
		print_wrapped(f, t[i].help, 6);
	}
	fputs("\nexit status: 0 reset register written, 1 internal error, "
	      "2 bad input,\n3 --max-insns reached, 4 deadlock (WAIT that "
	      "nothing can end), 130 interrupted.\n"
	      "Details: docs/vzsim.md\n", f);
}

static void parse_args(int argc, char **argv, struct options *o)
{
	enum { O_RAM = 256, O_MAX, O_SEED, O_UOUT, O_UIN, O_BOPT, O_STATS,
	       O_LOG, O_ENTRY, O_HELP, O_TRACE, O_TDATA, O_TSYP,
	       O_TCBOUT, O_BOOTARGS };
	static const struct option longopts[] = {
		{"ram", required_argument, NULL, O_RAM},
		{"max-insns", required_argument, NULL, O_MAX},
		{"seed", required_argument, NULL, O_SEED},
		{"uart-out", required_argument, NULL, O_UOUT},
		{"uart-in", required_argument, NULL, O_UIN},
		{"board-opt", required_argument, NULL, O_BOPT},
		{"stats", no_argument, NULL, O_STATS},
		{"log-insns", required_argument, NULL, O_LOG},
		{"entry", required_argument, NULL, O_ENTRY},
		{"help", no_argument, NULL, O_HELP},
		{"trace", required_argument, NULL, O_TRACE},
		{"trace-data", no_argument, NULL, O_TDATA},
		{"trace-syp", required_argument, NULL, O_TSYP},
		{"tcb-out", required_argument, NULL, O_TCBOUT},
		{"bootargs", required_argument, NULL, O_BOOTARGS},
		{NULL, 0, NULL, 0},
	};
	opterr = 0; /* our own one-line messages */
	for (;;) {
		int c = getopt_long(argc, argv, ":h", longopts, NULL);
		if (c == -1)
			break;
		uint64_t v;
		switch (c) {
		case O_RAM:
			o->ram = opt_size("--ram", optarg);
			o->ram_set = true;
			break;
		case O_MAX:
			o->max_insns = opt_u64("--max-insns", optarg);
			o->max_set = true;
			break;
		case O_SEED:
			o->seed = opt_u64("--seed", optarg);
			o->seed_set = true;
			break;
		case O_UOUT:
			o->uart_out = optarg;
			break;
		case O_UIN:
			o->uart_in = optarg;
			break;
		case O_BOPT:
			if (o->nboard_opts == MAX_BOARD_OPTS)
				die(EXIT_USAGE, "--board-opt: more than %d given",
				    MAX_BOARD_OPTS);
			if (!strchr(optarg, '='))
				die(EXIT_USAGE, "--board-opt '%s': want NAME=VALUE",
				    optarg);
			o->board_opts[o->nboard_opts++] = optarg;
			break;
		case O_STATS:
			o->stats = true;
			break;
		case O_LOG:
			o->log_insns = optarg;
			break;
		case O_TRACE:
			o->trace = optarg;
			break;
		case O_TDATA:
			o->trace_data = true;
			break;
		case O_TSYP:
			v = opt_u64("--trace-syp", optarg);
			if (v > 7)
				die(EXIT_USAGE, "--trace-syp: '%s' is not 0..7", optarg);
			o->trace_syp = (unsigned)v;
			break;
		case O_BOOTARGS:
			o->bootargs = optarg;
			break;
		case O_TCBOUT:
			o->tcb_out = optarg;
			break;
		case O_ENTRY:
			v = opt_u64("--entry", optarg);
			if (v > UINT32_MAX)
				die(EXIT_USAGE, "--entry: '%s' is not a 32-bit address",
				    optarg);
			o->entry = (uint32_t)v;
			o->entry_set = true;
			break;
		case 'h':
		case O_HELP:
			usage(stdout);
			exit(0);
		case ':':
			die(EXIT_USAGE, "option '%s' needs a value (try --help)",
			    argv[optind - 1]);
		default:
			if (optopt > 0 && optopt < 256)
				die(EXIT_USAGE, "unknown option '-%c' (try --help)",
				    optopt);
			die(EXIT_USAGE, "unknown option '%s' (try --help)",
			    argv[optind - 1]);
		}
	}
	for (int i = optind; i < argc; i++) {
		if (o->nimages == MAX_IMAGES)
			die(EXIT_USAGE, "more than %d images", MAX_IMAGES);
		o->images[o->nimages++] = argv[i];
	}
	if (o->nimages == 0)
		die(EXIT_USAGE, "no image given (try --help)");
}

/* ------------------------------------------------------------ output files */

/*
 * A file the run writes: created under a temporary name next to its final
 * one and renamed into place only when complete, so a crash or a kill never
 * leaves a half-written file under the real name.  "-" means stdout.
 */
struct outfile {
	const char *path;
	char *tmp;
	FILE *f;
};

/* False (with a message) if it cannot be created. */
static bool outfile_open(struct outfile *o, const char *opt, const char *path)
{
	o->path = path;
	o->tmp = NULL;
	if (strcmp(path, "-") == 0) {
		o->f = stdout;
		return true;
	}
	if (asprintf(&o->tmp, "%s.tmp.XXXXXX", path) < 0)
		die(EXIT_INTERNAL, "out of memory");
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		fprintf(stderr, "vzsim: %s %s: cannot create: %s\n", opt, path,
			strerror(errno));
		free(o->tmp);
		return false;
	}
	/* mkstemp makes it private; give it the mode a plain fopen would. */
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0 || !(o->f = fdopen(fd, "w"))) {
		int e = errno;
		close(fd);
		unlink(o->tmp);
		free(o->tmp);
		fprintf(stderr, "vzsim: %s %s: %s\n", opt, path, strerror(e));
		return false;
	}
	return true;
}

/* Closes and renames into place; false (with a message) on a write error. */
static bool outfile_commit(struct outfile *o)
{
	if (!o->f)
		return true;
	bool ok = fflush(o->f) == 0 && !ferror(o->f);
	int e = errno;
	if (o->f != stdout) {
		if (fclose(o->f) != 0 && ok) {
			e = errno;
			ok = false;
		}
		if (ok && rename(o->tmp, o->path) != 0) {
			e = errno;
			ok = false;
		}
		if (!ok)
			unlink(o->tmp);
		free(o->tmp);
	}
	o->f = NULL;
	if (!ok)
		fprintf(stderr, "vzsim: %s: write error: %s\n", o->path,
			strerror(e));
	return ok;
}

static void outfile_discard(struct outfile *o)
{
	if (o->f && o->f != stdout) {
		fclose(o->f);
		unlink(o->tmp);
		free(o->tmp);
	}
	o->f = NULL;
}

/* ------------------------------------------------------------ --log-insns */

static char *put_hex(char *p, uint32_t v, int digits)
{
	static const char hex[] = "0123456789abcdef";
	for (int i = digits - 1; i >= 0; i--)
		*p++ = hex[(v >> (4 * i)) & 15];
	return p;
}

/*
 * One line per instruction:
 *   "INDEX PC WORD MODE[ exl][ erl] asid=AA[ guest=ID][ exc=NAME[ root]]"
 * (docs/vzsim.md).  Formatted by hand: logs run to millions of lines.
 */
static void log_sink(void *ctx, const struct vzsim_insn_event *ev)
{
	char line[128];
	char *p = line + snprintf(line, 24, "%" PRIu64 " ", ev->index);
	p = put_hex(p, ev->pc, 8);
	*p++ = ' ';
	p = put_hex(p, ev->word, 8);
	*p++ = ' ';
	*p++ = "ksu"[ev->mode <= VZSIM_MODE_USER ? ev->mode : 0];
	if (ev->exl) {
		memcpy(p, " exl", 4);
		p += 4;
	}
	if (ev->erl) {
		memcpy(p, " erl", 4);
		p += 4;
	}
	memcpy(p, " asid=", 6);
	p = put_hex(p + 6, ev->asid, 2);
	if (ev->guest)
		p += sprintf(p, " guest=%u", (unsigned)ev->guestid);
	if (ev->exc >= 0) {
		const char *name = vzsim_exc_name((unsigned)ev->exc);
		if (strcmp(name, "?") == 0)
			p += sprintf(p, " exc=%d", ev->exc);
		else
			p += sprintf(p, " exc=%s", name);
		if (ev->root_exc) {
			memcpy(p, " root", 5);
			p += 5;
		}
	}
	*p++ = '\n';
	fwrite(line, 1, (size_t)(p - line), ctx);
}

/* ------------------------------------------------------------ --stats */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Names of GuestCtl0.GExcCode values. */
static const char *gexc_name(unsigned c)
{
	const char *n = mips_gexc_name(c);
	return n ? n : "?";
}

/* The VZ part of --stats: only when a guest ran. */
static void print_guest_stats(FILE *f, const struct vzsim_stats *st)
{
	uint64_t total = 0;
	for (unsigned g = 0; g < 256; g++)
		total += st->guest_insns[g];
	if (!total)
		return;
	fprintf(f, "  %-24s %20" PRIu64 "\n", "guest instructions", total);
	for (unsigned g = 0; g < 256; g++)
		if (st->guest_insns[g]) {
			char label[32];
			snprintf(label, sizeof label, "GuestID %u", g);
			fprintf(f, "    %-22s %20" PRIu64 "\n", label, st->guest_insns[g]);
		}
	static const struct {
		const char *title;
		size_t off;
		bool gexc;
	} groups[] = {
		{"guest exits", offsetof(struct vzsim_stats, guest_exits), true},
		{"guest exceptions", offsetof(struct vzsim_stats, guest_exceptions), false},
		{"second-stage faults", offsetof(struct vzsim_stats, guest_root_tlb), false},
	};
	for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
		const uint64_t *v = (const uint64_t *)((const char *)st + groups[i].off);
		uint64_t sum = 0;
		for (unsigned c = 0; c < 32; c++)
			sum += v[c];
		fprintf(f, "  %-24s %20" PRIu64 "\n", groups[i].title, sum);
		for (unsigned c = 0; c < 32; c++)
			if (v[c]) {
				char label[32];
				snprintf(label, sizeof label, "%s (%u)",
					 groups[i].gexc ? gexc_name(c) : vzsim_exc_name(c), c);
				fprintf(f, "    %-22s %20" PRIu64 "\n", label, v[c]);
			}
	}
}

static void print_stats(const vzsim *sim, double wall)
{
	struct vzsim_stats st;
	vzsim_get_stats(sim, &st);
	uint64_t ns = vzsim_sim_time_ns(sim);
	FILE *f = stderr;
	fprintf(f, "vzsim statistics\n");
	fprintf(f, "  %-24s %20" PRIu64 "\n", "instructions", st.insns);
	fprintf(f, "  %-24s %20.9f s\n", "simulated time", ns / 1e9);
	if (st.idle_cycles)
		fprintf(f, "  %-24s %20" PRIu64 "\n", "idle cycles (wait)",
			st.idle_cycles);
	fprintf(f, "  %-24s %20.3f s\n", "wall time", wall);
	fprintf(f, "  %-24s %20.1f\n", "MIPS (wall)",
		wall > 0 ? st.insns / wall / 1e6 : 0.0);
	uint64_t total = 0;
	for (unsigned c = 0; c < 32; c++)
		total += st.exceptions[c];
	fprintf(f, "  %-24s %20" PRIu64 "\n", "exceptions", total);
	for (unsigned c = 0; c < 32; c++)
		if (st.exceptions[c]) {
			char label[32];
			snprintf(label, sizeof label, "%s (%u)",
				 vzsim_exc_name(c), c);
			fprintf(f, "    %-22s %20" PRIu64 "\n", label,
				st.exceptions[c]);
		}
	fprintf(f, "  %-24s %20" PRIu64 "\n", "TLB refills", st.tlb_refills);
	fprintf(f, "  %-24s %20" PRIu64 "\n", "interrupts", st.interrupts);
	fprintf(f, "  %-24s %20" PRIu64 "\n", "predecoded instructions",
		st.decoded);
	fprintf(f, "  %-24s %20" PRIu64 "\n", "SMC invalidations",
		st.smc_invalidations);
	print_guest_stats(f, &st);
	uint32_t onchip;
	uint64_t words = vzsim_trace_words(sim, &onchip);
	if (words) {
		fprintf(f, "  %-24s %20" PRIu64 "\n", "trace words", words);
		fprintf(f, "    %-22s %20" PRIu32 "\n", "in on-chip memory", onchip);
	}
}

/* ------------------------------------------------------------ main */

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

static uint64_t icount(const vzsim *sim)
{
	struct vzsim_stats st;
	vzsim_get_stats(sim, &st);
	return st.insns;
}

int main(int argc, char **argv)
{
	struct options o = {.trace_syp = 5};
	parse_args(argc, argv, &o);

	struct vzsim_config cfg;
	vzsim_config_init(&cfg);
	if (o.ram_set)
		cfg.ram_size = o.ram;
	if (o.seed_set)
		cfg.seed = o.seed;
	char err[512];
	vzsim *sim = vzsim_new(&cfg, err, sizeof err);
	if (!sim)
		die(o.ram_set ? EXIT_USAGE : EXIT_INTERNAL, "%s%s",
		    o.ram_set ? "--ram: " : "", err);

	for (int i = 0; i < o.nboard_opts; i++) {
		char *kv = strdup(o.board_opts[i]);
		if (!kv)
			die(EXIT_INTERNAL, "out of memory");
		char *eq = strchr(kv, '=');
		*eq = '\0';
		if (vzsim_board_opt(sim, kv, eq + 1, err, sizeof err) != 0)
			die(EXIT_USAGE, "%s", err);
		free(kv);
	}

	uint32_t entry = 0;
	for (int i = 0; i < o.nimages; i++) {
		uint32_t e;
		if (vzsim_load_elf(sim, o.images[i], &e, err, sizeof err) != 0)
			die(EXIT_USAGE, "%s", err);
		if (i == 0)
			entry = e;
	}
	if (o.entry_set)
		entry = o.entry;
	if (o.bootargs && vzsim_set_bootargs(sim, o.bootargs, err, sizeof err) != 0)
		die(EXIT_USAGE, "--bootargs: %s", err);

	FILE *uart_in = NULL;
	if (o.uart_in) {
		uart_in = strcmp(o.uart_in, "-") == 0 ? stdin
						      : fopen(o.uart_in, "rb");
		if (!uart_in)
			die(EXIT_USAGE, "--uart-in %s: cannot open: %s",
			    o.uart_in, strerror(errno));
		vzsim_uart_input(sim, uart_in);
	}

	/* From here on output files exist under temporary names: signals
	 * only end the run, so they are renamed or removed on every path. */
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	struct outfile uart_out = {0}, log = {0};
	if (o.uart_out) {
		if (!outfile_open(&uart_out, "--uart-out", o.uart_out))
			exit(EXIT_USAGE);
		vzsim_uart_output(sim, uart_out.f);
	}
	if (o.log_insns) {
		if (!outfile_open(&log, "--log-insns", o.log_insns)) {
			outfile_discard(&uart_out);
			exit(EXIT_USAGE);
		}
		static char logbuf[1 << 20];
		setvbuf(log.f, logbuf, _IOFBF, sizeof logbuf);
	}

	vzsim_reset(sim, entry);
	if (o.trace || o.tcb_out) {
		/* The command line goes into the trace file header. */
		static char command[512];
		size_t used = 0;
		for (int i = 0; i < argc && used < sizeof command; i++)
			used += (size_t)snprintf(command + used, sizeof command - used,
						 "%s%s", i ? " " : "", argv[i]);
		struct vzsim_trace_opts topts = {.data = o.trace_data,
						  .syp = o.trace_syp,
						  .command = command};
		if (vzsim_trace_start(sim, o.trace, &topts, err, sizeof err) != 0) {
			outfile_discard(&uart_out);
			outfile_discard(&log);
			die(EXIT_USAGE, "--trace: %s", err);
		}
	}
	if (log.f)
		vzsim_set_insn_sink(sim, log_sink, log.f);

	double t0 = now_s();
	uint64_t start = icount(sim);
	enum vzsim_stop why = VZSIM_STOP_BUDGET;
	bool hit_max = false, interrupted = false;
	for (;;) {
		/* Checked between chunks: a signal that arrives after the run
		 * ended on its own does not change the outcome. */
		if (got_signal) {
			interrupted = true;
			break;
		}
		uint64_t n = log.f ? RUN_CHUNK_TRACED : RUN_CHUNK;
		if (o.max_set) {
			uint64_t done = icount(sim) - start;
			if (done >= o.max_insns) {
				hit_max = true;
				break;
			}
			if (o.max_insns - done < n)
				n = o.max_insns - done;
		}
		why = vzsim_run(sim, n);
		if (why != VZSIM_STOP_BUDGET)
			break;
	}
	double wall = now_s() - t0;

	vzsim_set_insn_sink(sim, NULL, NULL);
	vzsim_uart_output(sim, NULL);
	bool ok = outfile_commit(&uart_out);
	ok = outfile_commit(&log) && ok;
	if (o.trace || o.tcb_out) {
		if (vzsim_trace_finish(sim, err, sizeof err) != 0) {
			fprintf(stderr, "vzsim: --trace: %s\n", err);
			ok = false;
		}
		if (o.tcb_out && vzsim_tcb_save(sim, o.tcb_out, err, sizeof err) != 0) {
			fprintf(stderr, "vzsim: --tcb-out: %s\n", err);
			ok = false;
		}
	}
	if (uart_in && uart_in != stdin)
		fclose(uart_in);

	uint64_t ran = icount(sim) - start;
	int status;
	if (interrupted) {
		fprintf(stderr, "vzsim: interrupted after %" PRIu64
			" instructions, pc 0x%08" PRIx32 "\n", ran, vzsim_pc(sim));
		status = EXIT_SIGNAL_BASE + got_signal;
	} else if (hit_max) {
		fprintf(stderr, "vzsim: stopped after %" PRIu64
			" instructions (--max-insns), pc 0x%08" PRIx32 "\n",
			ran, vzsim_pc(sim));
		status = EXIT_MAX_INSNS;
	} else if (why == VZSIM_STOP_RESET) {
		status = EXIT_RESET;
	} else if (why == VZSIM_STOP_DEADLOCK) {
		fprintf(stderr, "vzsim: deadlock: WAIT with no interrupt able "
			"to end it, pc 0x%08" PRIx32 " after %" PRIu64
			" instructions\n", vzsim_pc(sim), ran);
		status = EXIT_DEADLOCK;
	} else {
		fprintf(stderr, "vzsim: internal error: the run stopped "
			"unexpectedly (reason %d)\n", (int)why);
		status = EXIT_INTERNAL;
	}
	if (o.stats)
		print_stats(sim, wall);
	vzsim_free(sim);
	if (!ok && status == EXIT_RESET)
		status = EXIT_INTERNAL;
	return status;
}
