/*
 * pdtrace: the command-line face of libpdtrace, a thin layer over the
 * library like ptdump over libipt.  One subcommand per job, dispatched
 * from one table.
 *
 *   pdtrace dump FILE [--json] [--header] [--stats] [--records]
 *   pdtrace flow FILE [--image CTX=ELF]... [--context CTX] [--from N] [--to M]
 *                [--json] [--no-events] [--crashme SEED,WORDS]   (flow.c)
 *   pdtrace detect FILE [--json] [--bugs] ...                    (detect.c)
 *   pdtrace diff BAD GOOD [--image CTX=ELF]... [--context gN] [--before N]
 *                [--after M] [--queue K] [--json]                (diff.c)
 *
 * Bad usage or input: one line on stderr naming the option, or the file
 * and the offset, and exit status 2 (docs/cli.md).
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
	"usage: pdtrace COMMAND [options] FILE\n"
	"Reads vzsoak trace files (.vzt, docs/trace-format.md).\n"
	"\n"
	"commands:\n"
	"  dump FILE [--json] [--header] [--stats] [--records]\n"
	"      the trace records, one a line: OFFSET TYPE fields...\n"
	"      --json     one JSON object a line instead of text\n"
	"      --header   the file header (board, images, command, boot\n"
	"                 arguments, seed, TraceControl values)\n"
	"      --stats    a table of records per type, gap bytes, instructions\n"
	"      --records  the records too (the default unless --header or\n"
	"                 --stats is given)\n"
	"  flow FILE [--image CTX=ELF]... [--context CTX] [--from N] [--to M]\n"
	"            [--json] [--no-events] [--crashme SEED,WORDS] [--around ...]\n"
	"      the instructions the capture ran, one a line: INDEX CONTEXT PC\n"
	"      SYMBOL+OFFSET DISASSEMBLY, with events (exceptions, erets, guest\n"
	"      exits and entries, switches, PageMask changes, hypervisor\n"
	"      messages, crashme blocks, gaps) on lines of their own\n"
	"      --image CTX=ELF  code for root or g1..g8 (default: the capture's\n"
	"                 hypervisor image, its guests from the boot arguments)\n"
	"      --memory gN=ELF  a snapshot of guest N's memory over its image\n"
	"                 (default: TRACE.gN-kernel.elf beside the capture, which\n"
	"                 vzsoak writes for a traced Linux guest)\n"	"      --context CTX    only root, gN, gNk (kernel) or gNu (user)\n"
	"      --from N --to M  only instruction indexes N..M\n"
	"      --json     one JSON object a line (pc, context, insn; event)\n"
	"      --no-events      instructions only\n"
	"      --crashme SEED,WORDS  regenerate crashme blocks with these\n"
	"      --around pagemask|anomaly|INDEX [--before N] [--after M]\n"
	"                 the failing guest's last N (200) instructions before\n"
	"                 its first PageMask shrink, anomaly, or an index, and\n"
	"                 M (20) after\n"
	"      --per-insn walk one instruction at a time, without the cache of\n"
	"                 decoded blocks: the same output, slower (a debugging\n"
	"                 aid; detect and diff take it too)\n"
	"  diff BAD GOOD [--image CTX=ELF]... [--crashme SEED,WORDS] [--context gN]\n"
	"            [--before N] [--after M] [--queue K] [--json]\n"
	"      where each guest's flow in BAD first parts from GOOD, guest by\n"
	"      guest (root is not compared), from the first common anchor (a\n"
	"      crashme block, a kernel marker; two whole captures: their start):\n"
	"      the index in both, the last N (16) equal instructions side by\n"
	"      side, M (4) from the differing one on, and the guest's events\n"
	"      around it; or \"same for N instructions\".  --image and --crashme\n"
	"      apply to both captures\n"
	"      --context gN     only that guest\n"
	"      --queue K  items a guest may run ahead in one capture (65536);\n"
	"                 beyond: \"not aligned within K\"\n"
	"      --json     one JSON object per guest\n"
	"  help       this text (also --help, -h)\n"
	"\n"
	"Offsets are byte offsets in the trace words (0 = the first byte after\n"
	"the file header).  Exit status (docs/cli.md): 0 on success; 1 (dump)\n"
	"for a trace with damage (corrupt or truncated records: they are dumped\n"
	"as GAP records, and the first one is named on stderr); 2 on bad usage\n"
	"or a file that cannot be read or has a bad header; 70 on a write error\n"
	"or out of memory.  flow shows damage as gap lines, counts them on\n"
	"stderr and exits 0.  diff exits as diff(1): 0 every guest the same, 1 a\n"
	"guest diverged, could not be aligned or has no common anchor.\n";

/* For subcommands' --help. */
void cli_usage(void)
{
	fputs(usage, stdout);
}

/* ------------------------------------------------------------ output */

static const char *codec_name(unsigned codec)
{
	return codec == PDT_CODEC_VZT1 ? "VZT1" : "?";
}

static void print_header(const char *path, const struct pdt_file *f, bool json)
{
	const struct pdt_file_info *h = &f->info;
	if (json) {
		printf("{\"header\":{\"file\":");
		json_string(stdout, path);
		printf(",\"version\":%u,\"codec\":\"%s\",\"header_size\":%" PRIu32
		       ",\"flags\":%u,\"tracecontrol\":\"0x%08" PRIx32
		       "\",\"tracecontrol2\":\"0x%08" PRIx32 "\",\"prid\":\"0x%08" PRIx32
		       "\",\"config3\":\"0x%08" PRIx32 "\",\"board\":",
		       h->version, codec_name(h->codec), h->header_size, h->flags,
		       h->tracecontrol, h->tracecontrol2, h->prid, h->config3);
		json_string(stdout, h->board);
		printf(",\"images\":[");
		for (unsigned i = 0; i < h->nimages; i++) {
			printf("%s{\"hash\":\"0x%016" PRIx64 "\",\"path\":", i ? "," : "",
			       h->images[i].hash);
			json_string(stdout, h->images[i].path);
			putchar('}');
		}
		printf("],\"command\":");
		json_string(stdout, h->command);
		printf(",\"bootargs\":");
		json_string(stdout, h->bootargs);
		if (h->has_seed)
			printf(",\"seed\":%" PRIu64, h->seed);
		if (h->has_window) {
			printf(",\"window\":{\"size\":%" PRIu64 ",\"dropped\":%" PRIu64,
			       h->window_size, h->window_dropped);
			if (h->window_index != PDT_WINDOW_NO_SYNC)
				printf(",\"index\":%" PRIu64, h->window_index);
			putchar('}');
		}
		printf(",\"trace_bytes\":%" PRIu64 "}}\n", f->len);
		return;
	}
	printf("file           %s\n", path);
	printf("format         version %u, codec %s, header %" PRIu32 " bytes\n", h->version,
	       codec_name(h->codec), h->header_size);
	printf("flags          0x%04x%s%s\n", h->flags,
	       h->flags & PDT_FLAG_ONCHIP ? " on-chip" : "",
	       h->flags & PDT_FLAG_OFFCHIP ? " off-chip" : "");
	printf("TraceControl   0x%08" PRIx32 "\n", h->tracecontrol);
	printf("TraceControl2  0x%08" PRIx32 "\n", h->tracecontrol2);
	printf("PRId           0x%08" PRIx32 "\n", h->prid);
	printf("Config3        0x%08" PRIx32 "\n", h->config3);
	printf("board          %s\n", h->board[0] ? h->board : "-");
	for (unsigned i = 0; i < h->nimages; i++)
		printf("image          %016" PRIx64 "  %s\n", h->images[i].hash,
		       h->images[i].path);
	printf("command        %s\n", h->command[0] ? h->command : "-");
	printf("bootargs       %s\n", h->bootargs[0] ? h->bootargs : "-");
	if (h->has_seed)
		printf("seed           %" PRIu64 "\n", h->seed);
	else
		printf("seed           -\n");
	if (h->has_window && h->window_index != PDT_WINDOW_NO_SYNC)
		printf("window         %" PRIu64 " bytes; %" PRIu64
		       " bytes of the run before it; from instruction %" PRIu64 "\n",
		       h->window_size, h->window_dropped, h->window_index);
	else if (h->has_window)
		printf("window         %" PRIu64 " bytes; %" PRIu64
		       " bytes of the run before it; no SYNC\n",
		       h->window_size, h->window_dropped);
	printf("trace          %" PRIu64 " bytes (%" PRIu64 " words%s)\n", f->len, f->len / 8,
	       f->len % 8 ? " and a partial one" : "");
}

struct stats {
	uint64_t count[PDT_NTYPES];
	uint64_t gap_bytes[PDT_GAP_TRUNCATED + 1];
	uint64_t records, insns;
	uint64_t damage, damage_bytes; /* corrupt and truncated gaps */
	bool have_damage;
	struct pdt_record first_damage;
};

/* Counts that cannot wrap: a damaged trace may hold absurd ICNTs. */
static void add_sat(uint64_t *sum, uint64_t n)
{
	*sum = n > UINT64_MAX - *sum ? UINT64_MAX : *sum + n;
}

static const enum pdt_gap_reason gap_reasons[] = {
	PDT_GAP_UNSYNCED, PDT_GAP_CORRUPT, PDT_GAP_TRUNCATED
};

static void print_stats(const struct stats *s, uint64_t bytes, bool json)
{
	if (json) {
		printf("{\"stats\":{\"records\":{");
		for (int t = PDT_PAD + 1; t < PDT_NTYPES; t++)
			printf("%s\"%s\":%" PRIu64, t > PDT_PAD + 1 ? "," : "",
			       pdt_type_name((enum pdt_type)t), s->count[t]);
		printf("},\"gap_bytes\":{");
		for (unsigned i = 0; i < 3; i++)
			printf("%s\"%s\":%" PRIu64, i ? "," : "", pdt_gap_name(gap_reasons[i]),
			       s->gap_bytes[gap_reasons[i]]);
		printf("},\"total\":%" PRIu64 ",\"instructions\":%" PRIu64
		       ",\"trace_bytes\":%" PRIu64 "}}\n",
		       s->records, s->insns, bytes);
		return;
	}
	printf("%-16s %20s\n", "record", "count");
	/* PAD never comes out of the decoder: it is not a row. */
	for (int t = PDT_PAD + 1; t < PDT_NTYPES; t++)
		printf("%-16s %20" PRIu64 "\n", pdt_type_name((enum pdt_type)t), s->count[t]);
	printf("%-16s %20" PRIu64 "\n", "total", s->records);
	for (unsigned i = 0; i < 3; i++) {
		char name[32];
		snprintf(name, sizeof name, "%s bytes", pdt_gap_name(gap_reasons[i]));
		printf("%-16s %20" PRIu64 "\n", name, s->gap_bytes[gap_reasons[i]]);
	}
	printf("%-16s %20" PRIu64 "\n", "instructions", s->insns);
	printf("%-16s %20" PRIu64 "\n", "trace bytes", bytes);
}

/* ------------------------------------------------------------ errors */

/* Which header field a bad-header offset points at, for the message. */
static const char *header_field(uint64_t off, int err)
{
	switch (off) {
	case 0: return "not a trace file (no VZTRACE magic)";
	case 8: return "unsupported format version";
	case 10: return "bad header size";
	case 12: return "unsupported byte order";
	case 13: return "unsupported codec";
	}
	if (off >= 32)
		return "bad header property or padding";
	return err == PDT_E_VERSION ? "unsupported header" : "bad header";
}

static void open_or_die(struct pdt_file *f, const char *path)
{
	uint64_t off = 0;
	int err = pdt_file_open(f, path, &off);
	if (err == PDT_OK)
		return;
	if (err == PDT_E_IO)
		die(EXIT_BAD_INPUT, "%s: %s", path, strerror(errno));
	if (err == PDT_E_FORMAT || err == PDT_E_VERSION) {
		struct stat st;
		if (stat(path, &st) == 0 && (uint64_t)st.st_size <= off)
			die(EXIT_BAD_INPUT, "%s: offset %" PRIu64 ": file ends inside the header", path, off);
		die(EXIT_BAD_INPUT, "%s: offset %" PRIu64 ": %s", path, off, header_field(off, err));
	}
	die(EXIT_BAD_INPUT, "%s: %s", path, pdt_errstr(err));
}

/* ------------------------------------------------------------ dump */

struct dump_opts {
	bool json, header, stats, records;
	const char *path;
};

/* The options; false if --help was asked for (and printed). */
static bool parse_dump_args(int argc, char **argv, struct dump_opts *o)
{
	enum { O_JSON = 256, O_HEADER, O_STATS, O_RECORDS, O_HELP };
	static const struct option longopts[] = {
		{"json", no_argument, NULL, O_JSON},
		{"header", no_argument, NULL, O_HEADER},
		{"stats", no_argument, NULL, O_STATS},
		{"records", no_argument, NULL, O_RECORDS},
		{"help", no_argument, NULL, O_HELP},
		{NULL, 0, NULL, 0},
	};
	memset(o, 0, sizeof *o);
	opterr = 0; /* our own one-line messages */
	optind = 1;
	for (;;) {
		int c = getopt_long(argc, argv, "h", longopts, NULL);
		if (c == -1)
			break;
		switch (c) {
		case O_JSON: o->json = true; break;
		case O_HEADER: o->header = true; break;
		case O_STATS: o->stats = true; break;
		case O_RECORDS: o->records = true; break;
		case 'h':
		case O_HELP:
			fputs(usage, stdout);
			return false;
		default:
			if (optopt > 0 && optopt < 256)
				die(EXIT_BAD_INPUT, "dump: unknown option '-%c' (pdtrace --help)",
				    optopt);
			die(EXIT_BAD_INPUT, "dump: unknown option '%s' (pdtrace --help)",
			    argv[optind - 1]);
		}
	}
	if (optind == argc)
		die(EXIT_BAD_INPUT, "dump: no FILE given (pdtrace --help)");
	if (argc - optind > 1)
		die(EXIT_BAD_INPUT, "dump: one FILE only: '%s' (pdtrace --help)",
		    argv[optind + 1]);
	o->path = argv[optind];
	if (!o->header && !o->stats)
		o->records = true;
	return true;
}

/* Counts one record into s. */
static void stats_add(struct stats *s, const struct pdt_record *r)
{
	s->records++;
	s->count[r->type < PDT_NTYPES ? r->type : PDT_PAD]++;
	switch (r->type) {
	case PDT_ICNT:
		add_sat(&s->insns, r->icnt.n);
		break;
	case PDT_BRANCH:
		add_sat(&s->insns, r->branch.n);
		break;
	case PDT_GAP:
		s->gap_bytes[r->gap.why] += r->gap.skipped;
		if (r->gap.why != PDT_GAP_UNSYNCED) {
			if (!s->have_damage)
				s->first_damage = *r;
			s->have_damage = true;
			s->damage++;
			s->damage_bytes += r->gap.skipped;
		}
		break;
	default:
		break;
	}
}

/* Decodes every record, counting each into s and printing it if asked;
 * returns the decoder's last status (PDT_E_EOS at a clean end). */
static int dump_records(const struct pdt_file *f, const struct dump_opts *o,
			struct stats *s)
{
	struct pdt_decoder d;
	struct pdt_record r;
	char line[512];
	int err;
	pdt_dec_init(&d, f->words, f->len);
	while ((err = pdt_dec_next(&d, &r)) == PDT_OK) {
		stats_add(s, &r);
		if (o->records) {
			size_t n = o->json ? pdt_record_json(&r, line, sizeof line)
					   : pdt_record_text(&r, line, sizeof line);
			if (n >= sizeof line)
				n = sizeof line - 1;
			line[n] = '\n';
			fwrite(line, 1, n + 1, stdout);
		}
	}
	return err;
}

static int cmd_dump(int argc, char **argv)
{
	struct dump_opts o;
	if (!parse_dump_args(argc, argv, &o))
		return EXIT_CLEAN;

	struct pdt_file f;
	open_or_die(&f, o.path);
	static char obuf[1 << 20];
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	if (o.header) {
		print_header(o.path, &f, o.json);
		if (!o.json && o.records)
			putchar('\n');
	}
	window_note(o.path, &f.info);
	struct stats s = { 0 };
	int err = dump_records(&f, &o, &s);
	if (o.stats) {
		/* Text sections apart; JSON lines need no separator. */
		if (!o.json && (o.header || o.records))
			putchar('\n');
		print_stats(&s, f.len, o.json);
	}
	uint32_t hsize = f.info.header_size;
	pdt_file_close(&f);
	if (fflush(stdout) != 0 || ferror(stdout))
		die(EXIT_INTERNAL, "writing the output: %s", strerror(errno));
	if (err != PDT_E_EOS)
		die(EXIT_BAD_INPUT, "%s: %s", o.path, pdt_errstr(err));
	/* Damage is a finding about the trace, not bad input: the dump is
	 * whole, the first damage named (docs/cli.md). */
	if (s.have_damage) {
		const struct pdt_record *g = &s.first_damage;
		die(EXIT_FINDING, "%s: trace offset 0x%" PRIx64 " (file offset 0x%" PRIx64
		    "): %s trace: %" PRIu64 " gap%s, %" PRIu64 " bytes skipped",
		    o.path, g->offset, g->offset + hsize, pdt_gap_name(g->gap.why), s.damage,
		    s.damage == 1 ? "" : "s", s.damage_bytes);
	}
	return EXIT_CLEAN;
}

/* ------------------------------------------------------------ main */

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_usage();
	return 0;
}

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the command name */
} commands[] = {
	{ "dump", cmd_dump },
	{ "flow", cmd_flow },
	{ "detect", cmd_detect },
	{ "diff", cmd_diff },
	{ "help", cmd_help },
	{ "--help", cmd_help },
	{ "-h", cmd_help },
};

int main(int argc, char **argv)
{
	if (argc < 2)
		die(EXIT_BAD_INPUT, "no command (pdtrace --help)");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	die(EXIT_BAD_INPUT, "unknown command '%s' (pdtrace --help)", argv[1]);
}
