/*
 * vzsim: run MIPS32 ELF images on the simulated board.
 *
 *   vzsim [options] image.elf...
 *   vzsim --jtag PORT [options] [image.elf...]   (rbb_server.c)
 *
 * A thin user of libvzsim: parse options, load the images, reset to the
 * first entry point, run in chunks (so a signal can stop the run cleanly),
 * and report why it stopped through the exit status (docs/vzsim.md).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <mips/exc.h>
#include <util/die.h>
#include <util/outfile.h>
#include <util/wrap.h>
#include <vzsim/vzsim.h>

#include "rbb_server.h"

/* vzsim's own statuses in the shared table (<util/die.h>, docs/cli.md). */
enum vzsim_exit {
	EXIT_RESET = EXIT_CLEAN, /* the program wrote 0x42 to the reset register */
	EXIT_MAX_INSNS = 3,      /* --max-insns reached */
	EXIT_DEADLOCK = 4,       /* WAIT that nothing can end */
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
	uint64_t trace_window; /* --trace-window in bytes, 0 if not given */
	uint32_t entry;
	bool entry_set;
	bool jtag;              /* --jtag: serve the probe, images optional */
	unsigned jtag_port;
	const char *jtag_ready;
	uint64_t jtag_halt_every;
	unsigned jit_hot;       /* --jit */
	const char *linux_kernel; /* --linux: boot it by UHI */
	const char *initrd, *cmdline;
	struct raw_load { const char *path; uint32_t pa; } loads[MAX_IMAGES];
	int nloads;            /* --load */
};

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
		die(EXIT_BAD_INPUT, "%s: '%s' is not a number", opt, s);
	return v;
}

/* A size in bytes with an optional binary suffix: 65536, 64K, 256M, 1G. */
static uint64_t opt_size(const char *opt, const char *s)
{
	uint64_t v;
	char *end;
	if (!parse_u64(s, &v, &end))
		die(EXIT_BAD_INPUT, "%s: '%s' is not a size (e.g. 256M)", opt, s);
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
		die(EXIT_BAD_INPUT, "%s: '%s' is not a size (e.g. 256M)", opt, s);
	return v << shift;
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
	      "  --max-insns N       stop after N instructions (exit status 3; "
	      "with --jtag\n                      the core halts there for the "
	      "probe)\n"
	      "  --jtag PORT         serve the EJTAG TAP to a probe (OpenOCD's "
	      "remote_bitbang)\n                      on 127.0.0.1:PORT (0: any "
	      "free port), halted before the\n                      first "
	      "instruction; images optional; ends when the probe\n"
	      "                      disconnects (board option ejtag=on)\n"
	      "  --jtag-ready FILE   write the port number to FILE once listening\n"
	      "  --jtag-halt-every N with --jtag: the core halts at every multiple "
	      "of N\n                      instructions, for the probe to look and "
	      "resume it\n"
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
	      "  --trace-window MB   with --trace: keep only the last MB megabytes "
	      "of trace\n                      (or 64K, 1M...), from a SYNC on\n"
	      "  --tcb-out FILE      at the end, the on-chip TCB memory as a "
	      "trace file\n"
	      "  --jit N             compile a block to host code once it has "
	      "started N times\n                      (default 64; 0: never; "
	      "x86-64 hosts, untraced runs)\n"
	      "  --linux KERNEL      boot a generic device-tree Linux kernel (ELF "
	      "vmlinuz) by UHI,\n                      with a device tree of this "
	      "board (board option prid\n                      defaults to "
	      "proaptiv; docs/linux.md)\n"
	      "  --initrd FILE       with --linux: the initramfs (cpio, gzip'd or "
	      "not)\n"
	      "  --cmdline TEXT      with --linux: the kernel command line (default "
	      "\"" VZSIM_LINUX_CMDLINE "\")\n"
	      "  --load FILE@ADDR    copy FILE's bytes into RAM at physical ADDR, "
	      "after the images\n                      (repeatable)\n"
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
	fputs("\nexit status: 0 reset register written, 2 bad input, 3 "
	      "--max-insns reached,\n4 deadlock (WAIT that nothing can end), "
	      "70 internal error (an output lost,\nwhatever ended the run), "
	      "128+N signal N (130: interrupted; 141: stdout's\nreader went "
	      "away).  Details: docs/vzsim.md, docs/cli.md\n", f);
}

static void parse_args(int argc, char **argv, struct options *o)
{
	enum { O_RAM = 256, O_MAX, O_SEED, O_UOUT, O_UIN, O_BOPT, O_STATS,
	       O_LOG, O_ENTRY, O_HELP, O_TRACE, O_TDATA, O_TSYP,
	       O_TCBOUT, O_BOOTARGS, O_TWIN, O_JTAG, O_JREADY, O_JHALT, O_JIT,
	       O_LINUX, O_INITRD, O_CMDLINE, O_LOAD };
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
		{"trace-window", required_argument, NULL, O_TWIN},
		{"tcb-out", required_argument, NULL, O_TCBOUT},
		{"bootargs", required_argument, NULL, O_BOOTARGS},
		{"jtag", required_argument, NULL, O_JTAG},
		{"jtag-ready", required_argument, NULL, O_JREADY},
		{"jtag-halt-every", required_argument, NULL, O_JHALT},
		{"jit", required_argument, NULL, O_JIT},
		{"linux", required_argument, NULL, O_LINUX},
		{"initrd", required_argument, NULL, O_INITRD},
		{"cmdline", required_argument, NULL, O_CMDLINE},
		{"load", required_argument, NULL, O_LOAD},
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
				die(EXIT_BAD_INPUT, "--board-opt: more than %d given",
				    MAX_BOARD_OPTS);
			if (!strchr(optarg, '='))
				die(EXIT_BAD_INPUT, "--board-opt '%s': want NAME=VALUE",
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
				die(EXIT_BAD_INPUT, "--trace-syp: '%s' is not 0..7", optarg);
			o->trace_syp = (unsigned)v;
			break;
		case O_TWIN: {
			char err[256];
			if (vzsim_trace_window_parse(optarg, &o->trace_window, err,
						     sizeof err) != 0)
				die(EXIT_BAD_INPUT, "--trace-window: %s", err);
			break;
		}
		case O_BOOTARGS:
			o->bootargs = optarg;
			break;
		case O_JTAG:
			v = opt_u64("--jtag", optarg);
			if (v > 65535)
				die(EXIT_BAD_INPUT, "--jtag: '%s' is not a TCP port (0..65535)",
				    optarg);
			o->jtag = true;
			o->jtag_port = (unsigned)v;
			break;
		case O_JREADY:
			o->jtag_ready = optarg;
			break;
		case O_JHALT:
			o->jtag_halt_every = opt_u64("--jtag-halt-every", optarg);
			if (o->jtag_halt_every == 0)
				die(EXIT_BAD_INPUT, "--jtag-halt-every: '%s' is not a count "
				    "of instructions above 0", optarg);
			break;
		case O_JIT:
			v = opt_u64("--jit", optarg);
			if (v > UINT32_MAX)
				die(EXIT_BAD_INPUT, "--jit: '%s' is not a count of block starts", optarg);
			o->jit_hot = (unsigned)v;
			break;
		case O_TCBOUT:
			o->tcb_out = optarg;
			break;
		case O_LINUX:
			o->linux_kernel = optarg;
			break;
		case O_INITRD:
			o->initrd = optarg;
			break;
		case O_CMDLINE:
			o->cmdline = optarg;
			break;
		case O_LOAD: {
			char *at = strrchr(optarg, '@');
			if (!at || at == optarg)
				die(EXIT_BAD_INPUT, "--load '%s': want FILE@ADDRESS", optarg);
			if (o->nloads == MAX_IMAGES)
				die(EXIT_BAD_INPUT, "--load: more than %d given", MAX_IMAGES);
			if (!parse_u64(at + 1, &v, NULL) || v > UINT32_MAX)
				die(EXIT_BAD_INPUT, "--load '%s': '%s' is not a physical address",
				    optarg, at + 1);
			*at = '\0';
			o->loads[o->nloads++] = (struct raw_load){optarg, (uint32_t)v};
			break;
		}
		case O_ENTRY:
			v = opt_u64("--entry", optarg);
			if (v > UINT32_MAX)
				die(EXIT_BAD_INPUT, "--entry: '%s' is not a 32-bit address",
				    optarg);
			o->entry = (uint32_t)v;
			o->entry_set = true;
			break;
		case 'h':
		case O_HELP:
			usage(stdout);
			exit(0);
		case ':':
			die(EXIT_BAD_INPUT, "option '%s' needs a value (try --help)",
			    argv[optind - 1]);
		default:
			if (optopt > 0 && optopt < 256)
				die(EXIT_BAD_INPUT, "unknown option '-%c' (try --help)",
				    optopt);
			die(EXIT_BAD_INPUT, "unknown option '%s' (try --help)",
			    argv[optind - 1]);
		}
	}
	for (int i = optind; i < argc; i++) {
		if (o->nimages == MAX_IMAGES)
			die(EXIT_BAD_INPUT, "more than %d images", MAX_IMAGES);
		o->images[o->nimages++] = argv[i];
	}
	if (o->linux_kernel) {
		if (o->nimages)
			die(EXIT_BAD_INPUT, "--linux: the kernel is the only image "
			    "(got '%s' too)", o->images[0]);
		o->images[o->nimages++] = o->linux_kernel;
	} else if (o->initrd || o->cmdline) {
		die(EXIT_BAD_INPUT, "%s: only with --linux",
		    o->initrd ? "--initrd" : "--cmdline");
	}
	if (o->nimages == 0 && !o->jtag)
		die(EXIT_BAD_INPUT, "no image given (try --help)");
	if (o->jtag_ready && !o->jtag)
		die(EXIT_BAD_INPUT, "--jtag-ready: only with --jtag");
	if (o->jtag_halt_every && !o->jtag)
		die(EXIT_BAD_INPUT, "--jtag-halt-every: only with --jtag");
	if (o->jtag && o->log_insns)
		die(EXIT_BAD_INPUT, "--log-insns: not with --jtag");
	if (o->trace_window && !o->trace)
		die(EXIT_BAD_INPUT, "--trace-window: only with --trace");
}

/* ------------------------------------------------------------ output files */

/* Two outputs that would replace the same file (the same name, another
 * spelling, a link to it) are refused before anything runs: one rename
 * would silently undo the other.  stdout and devices may be shared. */
static void check_distinct(const struct options *o)
{
	const struct {
		const char *opt, *path;
	} outs[] = {
		{"--uart-out", o->uart_out},
		{"--log-insns", o->log_insns},
		{"--trace", o->trace},
		{"--tcb-out", o->tcb_out},
	};
	size_t n = sizeof outs / sizeof outs[0];
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (outs[i].path && outs[j].path &&
			    outfile_same(outs[i].path, outs[j].path))
				die(EXIT_BAD_INPUT, "%s %s and %s %s: the same file",
				    outs[i].opt, outs[i].path, outs[j].opt, outs[j].path);
}

/* Whether stdout is a pipe or socket whose reader has gone (what SIGPIPE,
 * ignored, would have said): poll reports POLLERR on a pipe without
 * readers. */
static bool reader_gone(void)
{
	struct stat st;
	if (fstat(STDOUT_FILENO, &st) != 0 ||
	    !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
		return false;
	struct pollfd p = {.fd = STDOUT_FILENO, .events = POLLOUT};
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

/* How the outputs ended: all complete, stdout's reader gone (a pipe
 * closed early: `vzsim ... | head`), or an output lost. */
enum out_end { OUT_OK, OUT_READER_GONE, OUT_LOST };

static enum out_end worse(enum out_end a, enum out_end b)
{
	return a > b ? a : b;
}

/* Completes an output file (<util/outfile.h>: written under a temporary
 * name, renamed now; "-" is stdout) or reports, naming the option (if
 * given) and the file, why it could not be completed. */
static enum out_end commit_output(struct outfile *o, const char *opt)
{
	bool to_stdout = o->f == stdout;
	char err[512];
	if (outfile_commit(o, err, sizeof err) == 0)
		return OUT_OK;
	if (opt)
		complain("%s: %s", opt, err);
	else
		complain("%s", err);
	return to_stdout && reader_gone() ? OUT_READER_GONE : OUT_LOST;
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
	/* A failure is kept for the commit's message. */
	outfile_write(ctx, line, 1, (size_t)(p - line));
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
	fprintf(f, "  %-24s %20" PRIu64 "\n", "compiled blocks", st.compiled_blocks);
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

/* The signals that end a run cleanly: outputs completed, 128+N. */
static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};

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

/* The board with the options applied, before any image is loaded. */
static vzsim *setup_board(const struct options *o)
{
	struct vzsim_config cfg;
	vzsim_config_init(&cfg);
	if (o->ram_set)
		cfg.ram_size = o->ram;
	if (o->seed_set)
		cfg.seed = o->seed;
	char err[512];
	vzsim *sim = vzsim_new(&cfg, err, sizeof err);
	if (!sim)
		die(o->ram_set ? EXIT_BAD_INPUT : EXIT_INTERNAL, "%s%s",
		    o->ram_set ? "--ram: " : "", err);

	/* Debian's generic kernel is built without MIPS32r5 and stops at a
	 * P5600's PRId (docs/linux.md); a prid given below overrides this. */
	if (o->linux_kernel && vzsim_board_opt(sim, "prid", "proaptiv", err, sizeof err) != 0)
		die(EXIT_INTERNAL, "%s", err);
	for (int i = 0; i < o->nboard_opts; i++) {
		char *kv = strdup(o->board_opts[i]);
		if (!kv)
			die(EXIT_INTERNAL, "out of memory");
		char *eq = strchr(kv, '=');
		*eq = '\0';
		if (vzsim_board_opt(sim, kv, eq + 1, err, sizeof err) != 0)
			die(EXIT_BAD_INPUT, "%s", err);
		free(kv);
	}
	/* A probe port is EJTAG's. */
	if (o->jtag && vzsim_board_opt(sim, "ejtag", "on", err, sizeof err) != 0)
		die(EXIT_INTERNAL, "%s", err);
	return sim;
}

/* What the run reads and writes besides the board. */
struct outputs {
	FILE *uart_in;
	struct outfile uart_out, log; /* uart_out: stdout without --uart-out */
	bool capture; /* --trace or --tcb-out */
};

/* Every temporary removed (the board's too: a trace stream, a TCB file),
 * then the status with "OPT: ERR"; 128+N if a signal cut an open short. */
static _Noreturn void drop_outputs(vzsim *sim, struct outputs *out, const char *opt,
				   const char *err)
{
	vzsim_set_insn_sink(sim, NULL, NULL);
	vzsim_uart_output(sim, NULL);
	outfile_discard(&out->uart_out);
	outfile_discard(&out->log);
	vzsim_free(sim);
	if (got_signal)
		die(EXIT_SIGNAL_BASE + got_signal, "interrupted: %s: %s", opt, err);
	die(EXIT_BAD_INPUT, "%s: %s", opt, err);
}

/* --uart-in and every output, before the first instruction: an output
 * that cannot be created stops vzsim now, not after the run.  From here on
 * output files exist under temporary names, so signals only end the run:
 * the files are renamed or removed on every path. */
static void open_outputs(const struct options *o, vzsim *sim, struct outputs *out)
{
	memset(out, 0, sizeof *out);
	if (o->uart_in) {
		out->uart_in = strcmp(o->uart_in, "-") == 0 ? stdin
							    : fopen(o->uart_in, "rb");
		if (!out->uart_in)
			die(EXIT_BAD_INPUT, "--uart-in %s: cannot open: %s",
			    o->uart_in, strerror(errno));
		/* fopen opens a folder; reading it would fail at the first
		 * byte the program asks for. */
		struct stat st;
		if (fstat(fileno(out->uart_in), &st) == 0 && S_ISDIR(st.st_mode))
			die(EXIT_BAD_INPUT, "--uart-in %s: cannot open: %s",
			    o->uart_in, strerror(EISDIR));
		vzsim_uart_input(sim, out->uart_in);
	}

	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof stop_signals / sizeof stop_signals[0]; i++)
		sigaction(stop_signals[i], &sa, NULL);

	/* The console on stdout is an output like the others: a write error
	 * there is reported too. */
	char err[512];
	if (outfile_open(&out->uart_out, o->uart_out ? o->uart_out : "-", err,
			 sizeof err) != 0)
		drop_outputs(sim, out, "--uart-out", err);
	vzsim_uart_output(sim, out->uart_out.f);
	if (o->log_insns) {
		if (outfile_open(&out->log, o->log_insns, err, sizeof err) != 0)
			drop_outputs(sim, out, "--log-insns", err);
		static char logbuf[1 << 20];
		setvbuf(out->log.f, logbuf, _IOFBF, sizeof logbuf);
	}
	if (o->tcb_out && vzsim_tcb_open(sim, o->tcb_out, err, sizeof err) != 0)
		drop_outputs(sim, out, "--tcb-out", err);
}

/* --trace, --tcb-out: the capture starts, from the reset state;
 * --log-insns' sink is wired. */
static void start_capture(const struct options *o, vzsim *sim, struct outputs *out,
			  int argc, char **argv)
{
	out->capture = o->trace || o->tcb_out;
	if (out->capture) {
		/* The command line goes into the trace file header. */
		static char command[512];
		size_t used = 0;
		for (int i = 0; i < argc && used < sizeof command; i++)
			used += (size_t)snprintf(command + used, sizeof command - used,
						 "%s%s", i ? " " : "", argv[i]);
		struct vzsim_trace_opts topts = {.data = o->trace_data,
						  .syp = o->trace_syp,
						  .window = o->trace_window,
						  .command = command};
		char err[512];
		if (vzsim_trace_start(sim, o->trace, &topts, err, sizeof err) != 0)
			drop_outputs(sim, out, "--trace", err);
	}
	if (out->log.f)
		vzsim_set_insn_sink(sim, log_sink, &out->log);
}

/* How the run ended. */
struct run_end {
	enum vzsim_stop why;
	bool hit_max, interrupted, reader_gone;
	uint64_t ran;
	double wall;
};

/* Runs in chunks until the program, --max-insns or a signal stops it. */
static struct run_end run_chunks(vzsim *sim, const struct options *o, bool traced)
{
	struct run_end r = {.why = VZSIM_STOP_BUDGET};
	double t0 = now_s();
	uint64_t start = icount(sim);
	for (;;) {
		/* Checked between chunks: a signal that arrives after the run
		 * ended on its own does not change the outcome. */
		if (got_signal) {
			r.interrupted = true;
			break;
		}
		/* Nobody reads stdout any more: the run stops as SIGPIPE
		 * would have stopped it, with the other outputs completed. */
		if (ferror(stdout) && reader_gone()) {
			r.reader_gone = true;
			break;
		}
		uint64_t n = traced ? RUN_CHUNK_TRACED : RUN_CHUNK;
		if (o->max_set) {
			uint64_t done = icount(sim) - start;
			if (done >= o->max_insns) {
				r.hit_max = true;
				break;
			}
			if (o->max_insns - done < n)
				n = o->max_insns - done;
		}
		r.why = vzsim_run(sim, n);
		if (r.why != VZSIM_STOP_BUDGET)
			break;
	}
	r.wall = now_s() - t0;
	r.ran = icount(sim) - start;
	return r;
}

static enum out_end finish_outputs(const struct options *o, vzsim *sim,
				   struct outputs *out);

/* --jtag: halted before the first instruction, then the probe's. */
static struct run_end serve_probe(vzsim *sim, const struct options *o,
				  struct outputs *out)
{
	struct rbb_opts ro = {.port = o->jtag_port, .ready_file = o->jtag_ready,
			      .max_insns = o->max_insns, .max_set = o->max_set,
			      .halt_every = o->jtag_halt_every,
			      .stop = &got_signal};
	struct rbb_end re;
	char err[512];
	double t0 = now_s();
	uint64_t start = icount(sim);
	vzsim_jtag_break(sim);
	if (rbb_serve(sim, &ro, &re, err, sizeof err) != 0) {
		finish_outputs(o, sim, out);
		vzsim_free(sim);
		die(EXIT_BAD_INPUT, "--jtag: %s", err);
	}
	/* The probe ended the session: a clean end, unless the program did
	 * (reset, deadlock) or a signal came. */
	struct run_end r = {.why = re.why == VZSIM_STOP_BUDGET ? VZSIM_STOP_RESET : re.why,
			    .interrupted = re.interrupted};
	r.wall = now_s() - t0;
	r.ran = icount(sim) - start;
	return r;
}

/* A trace file's failure: lost, unless it went to stdout ("-") and
 * stdout's reader is gone. */
static enum out_end trace_failed(const char *opt, const char *path, const char *err)
{
	complain("%s: %s", opt, err);
	return strcmp(path, "-") == 0 && reader_gone() ? OUT_READER_GONE : OUT_LOST;
}

/* Renames the outputs into place, each failure named on stderr. */
static enum out_end finish_outputs(const struct options *o, vzsim *sim,
				   struct outputs *out)
{
	vzsim_set_insn_sink(sim, NULL, NULL);
	vzsim_uart_output(sim, NULL);
	enum out_end end = commit_output(&out->uart_out, o->uart_out ? "--uart-out" : NULL);
	end = worse(end, commit_output(&out->log, "--log-insns"));
	if (out->capture) {
		char err[512];
		if (vzsim_trace_finish(sim, err, sizeof err) != 0)
			end = worse(end, trace_failed("--trace", o->trace, err));
		if (o->tcb_out && vzsim_tcb_save(sim, NULL, err, sizeof err) != 0)
			end = worse(end, trace_failed("--tcb-out", o->tcb_out, err));
	}
	if (out->uart_in && out->uart_in != stdin)
		fclose(out->uart_in);
	return end;
}

/* The exit status for how the run ended, with a line on stderr unless
 * the program reset the board. */
static int stop_status(const vzsim *sim, const struct run_end *r)
{
	if (r->interrupted) {
		complain("interrupted (%s) after %" PRIu64 " instructions, pc 0x%08" PRIx32,
			 strsignal(got_signal), r->ran, vzsim_pc(sim));
		return EXIT_SIGNAL_BASE + got_signal;
	}
	if (r->reader_gone) {
		complain("stopped after %" PRIu64 " instructions, pc 0x%08" PRIx32
			 ": stdout's reader has gone", r->ran, vzsim_pc(sim));
		return EXIT_SIGNAL_BASE + SIGPIPE;
	}
	if (r->hit_max) {
		complain("stopped after %" PRIu64 " instructions (--max-insns), pc 0x%08"
			 PRIx32, r->ran, vzsim_pc(sim));
		return EXIT_MAX_INSNS;
	}
	switch (r->why) {
	case VZSIM_STOP_RESET:
		return EXIT_RESET;
	case VZSIM_STOP_DEADLOCK:
		complain("deadlock: WAIT with no interrupt able to end it, pc 0x%08"
			 PRIx32 " after %" PRIu64 " instructions", vzsim_pc(sim), r->ran);
		return EXIT_DEADLOCK;
	default:
		complain("internal error: the run stopped unexpectedly (reason %d)",
			 (int)r->why);
		return EXIT_INTERNAL;
	}
}

int main(int argc, char **argv)
{
	struct options o = {.trace_syp = 5, .jit_hot = VZSIM_JIT_HOT};
	parse_args(argc, argv, &o);
	check_distinct(&o);
	/* A closed pipe is a write error of stdout (EPIPE), seen and reported
	 * like any other, not a death that leaves temporaries behind. */
	signal(SIGPIPE, SIG_IGN);
	char err[512];
	vzsim *sim = setup_board(&o);

	uint32_t entry = 0xbfc00000u; /* no image: the reset vector */
	for (int i = 0; i < o.nimages; i++) {
		uint32_t e;
		if (vzsim_load_elf(sim, o.images[i], &e, err, sizeof err) != 0)
			die(EXIT_BAD_INPUT, "%s", err);
		if (i == 0)
			entry = e;
	}
	for (int i = 0; i < o.nloads; i++)
		if (vzsim_load_raw(sim, o.loads[i].path, o.loads[i].pa, err, sizeof err) != 0)
			die(EXIT_BAD_INPUT, "--load: %s", err);
	if (o.entry_set)
		entry = o.entry;
	if (o.bootargs && vzsim_set_bootargs(sim, o.bootargs, err, sizeof err) != 0)
		die(EXIT_BAD_INPUT, "--bootargs: %s", err);
	vzsim_set_jit(sim, o.jit_hot);
	vzsim_reset(sim, entry);
	if (o.linux_kernel) {
		struct vzsim_linux_boot lb = {.initrd = o.initrd, .cmdline = o.cmdline};
		if (vzsim_boot_linux(sim, &lb, err, sizeof err) != 0)
			die(EXIT_BAD_INPUT, "--linux: %s", err);
	}

	struct outputs out;
	open_outputs(&o, sim, &out);
	start_capture(&o, sim, &out, argc, argv);
	struct run_end r;
	if (o.jtag)
		r = serve_probe(sim, &o, &out);
	else
		r = run_chunks(sim, &o, out.log.f != NULL);
	enum out_end end = finish_outputs(&o, sim, &out);
	int status = stop_status(sim, &r);
	if (o.stats)
		print_stats(sim, r.wall);
	vzsim_free(sim);
	/* A lost output outranks every other end (docs/cli.md): 3, 4 or
	 * 128+N would hide that a file the caller expects is not there.
	 * stdout's reader gone outranks an end of the run's own (as the
	 * SIGPIPE it stands for would), not a signal that stopped it. */
	if (end == OUT_LOST)
		status = EXIT_INTERNAL;
	else if (end == OUT_READER_GONE && !r.interrupted)
		status = EXIT_SIGNAL_BASE + SIGPIPE;
	return status;
}
