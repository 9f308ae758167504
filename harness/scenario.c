/*
 * Scenario files and --set (scenario.h).  One table lists every key with
 * its type, range, default and help, so parsing, the resolved listing
 * (scenario.txt), the boot-argument string and the --help text cannot
 * drift apart.  The harness's own keys are described here in full; a
 * boot argument only names its row of the hypervisor's table
 * (<vzsoak/bootargs.def>), whose range, default and help it takes, and
 * its values are checked by the hypervisor's own parser (libbootargs.a),
 * so a scenario holds nothing the hypervisor would refuse.
 */
#include "scenario.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <util/wrap.h>
#include <vzsoak/bootargs_parse.h>
#include <vzsoak/linux_files.h>

_Static_assert((int)SCN_SCHED_RR == (int)HV_SCHED_RR &&
	       (int)SCN_SCHED_AIM == (int)HV_SCHED_AIM,
	       "sched is stored as the hypervisor stores it");
_Static_assert(SCN_IMAGE_MAX == HV_NAME_MAX, "the hypervisor's image names");

enum key_type {
	T_NAME,    /* scenario name: char[SCN_NAME_MAX] */
	T_U32,     /* decimal or 0x-hex in lo..hi */
	T_COUNT,   /* instructions: decimal with k/M/G (10^3/6/9), lo..hi */
	T_CHOICE,  /* one of choices ("a|b|c"), stored as its index */
	T_BOOTARG, /* the boot argument of the same key: an image name in
		    * char[SCN_IMAGE_MAX], anything else in a uint32_t */
};

struct key {
	const char *key;
	enum key_type type;
	size_t off;          /* the field in struct scenario */
	uint64_t lo, hi;     /* T_U32, T_COUNT */
	const char *choices; /* T_CHOICE */
	const char *def;     /* the default, as a value; T_BOOTARG: NULL for
			      * the hypervisor's */
	const char *help;    /* T_BOOTARG: NULL, or a note after its help */
};

#define F(field) offsetof(struct scenario, field)

/* Boot arguments first, in the order scenario_bootargs writes them. */
static const struct key keys[] = {
	{"name", T_NAME, F(name), 0, 0, NULL, NULL,
	 "names the run and its folder (default: the file name less .scn)"},
	{"guests", T_BOOTARG, F(guests), 0, 0, NULL, NULL, NULL},
	{"seed", T_BOOTARG, F(seed), 0, 0, NULL, NULL, NULL},
	{"quantum", T_BOOTARG, F(quantum), 0, 0, NULL, NULL, NULL},
	{"jitter", T_BOOTARG, F(jitter), 0, 0, NULL, NULL, NULL},
	{"sched", T_BOOTARG, F(sched), 0, 0, NULL, NULL, NULL},
	{"preserve", T_BOOTARG, F(preserve), 0, 0, NULL, NULL, NULL},
	{"tlbp-check", T_BOOTARG, F(tlbp_check), 0, 0, NULL, NULL, NULL},
	/* A soak runs the stress kernel, whose checks the harness reads. */
	{"image", T_BOOTARG, F(image), 0, 0, NULL, "stress", NULL},
	{"crashme", T_BOOTARG, F(crashme), 0, 0, NULL, NULL, NULL},
	{"worker-pages", T_BOOTARG, F(worker_pages), 0, 0, NULL, NULL, NULL},
	/* Off: a guest like Linux, which tells the harness nothing itself. */
	{"selfcheck", T_BOOTARG, F(selfcheck), 0, 0, NULL, NULL,
	 "(with off, vzsoak skips its heartbeat, lockup and anomaly detectors)"},
	/* Trace messages cost time and only matter in a capture. */
	/* A known hypervisor bug turned on, to measure what vzsoak catches. */
	{"inject", T_BOOTARG, F(inject), 0, 0, NULL, NULL,
	 "(make detect-power runs each over the soak scenario)"},
	{"trace", T_BOOTARG, F(trace), 0, 0, NULL, "off", "(on with --trace)"},
	/* Linux guests: vzsoak stages the kernel and initramfs of make linux
	 * (build/linux, beside the hypervisor's build/target) for them. */
	{"linux-mem", T_BOOTARG, F(linux_mem), 0, 0, NULL, NULL, "(with image = linux)"},
	{"linux-time", T_BOOTARG, F(linux_time), 0, 0, NULL, NULL, "(with image = linux)"},
	{"linux-run", T_BOOTARG, F(linux_run), 0, 0, NULL, NULL, "(with image = linux)"},
	{"duration", T_COUNT, F(duration), 1, UINT64_C(1) << 50, NULL, "200M",
	 "instructions to run"},
	{"check-every", T_COUNT, F(check_every), 1, UINT64_C(1) << 50, NULL, "1M",
	 "instructions between status checks"},
	{"heartbeat-timeout", T_COUNT, F(heartbeat_timeout), 0, UINT64_C(1) << 50,
	 NULL, "20M",
	 "instructions a running guest may go without a heartbeat (0: not checked)"},
	{"repeat-limit", T_U32, F(repeat_limit), 0, UINT32_MAX, NULL, "100",
	 "times the same TLB fault may recur in a row (0: not checked)"},
	{"stop-on-anomaly", T_CHOICE, F(stop_on_anomaly), 0, 0, "no|yes", "yes",
	 "end the run at the first check that flags something"},
	{"detect", T_CHOICE, F(detect), 0, 0, "off|flagged|trace", "flagged",
	 "the trace detectors: off; on a flagged run's capture (--trace); trace: every "
	 "run, traced into its folder (trace.vzt) unless --trace names a file"},
};
#define NKEYS (sizeof keys / sizeof keys[0])
_Static_assert(NKEYS <= sizeof ((struct scenario *)0)->set_on_line /
			       sizeof(unsigned),
	       "set_on_line has a slot per key");

#define BOARD_PREFIX "board."

/* The hypervisor's row of a T_BOOTARG key; test_scenario checks that each
 * has one. */
static const struct bootarg *bootarg_of(const struct key *k)
{
	return bootarg_find(k->key, (unsigned)strlen(k->key));
}

static const char *basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static int set_value(struct scenario *s, const struct key *k, const char *v,
		     char *err, size_t errlen);

void scenario_defaults(struct scenario *s, const char *path)
{
	memset(s, 0, sizeof *s);
	const char *base = path ? basename_of(path) : "scenario";
	size_t len = strlen(base);
	if (len > 4 && strcmp(base + len - 4, ".scn") == 0)
		len -= 4;
	if (len >= SCN_NAME_MAX)
		len = SCN_NAME_MAX - 1;
	memcpy(s->name, base, len);
	/* Every other key from its default, through the parser of its values
	 * (test_scenario checks that each default is taken). */
	char err[160];
	for (size_t i = 0; i < NKEYS; i++) {
		const struct key *k = &keys[i];
		const struct bootarg *b = k->type == T_BOOTARG ? bootarg_of(k) : NULL;
		const char *def = k->def ? k->def : b ? b->def : NULL;
		if (def && set_value(s, k, def, err, sizeof err) != 0)
			abort();
	}
}

/* ------------------------------------------------------------ values */

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (errlen)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static bool parse_u32(const char *v, uint64_t *out)
{
	if (*v < '0' || *v > '9')
		return false;
	char *end;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 0);
	if (errno || *end || n > UINT32_MAX)
		return false;
	*out = n;
	return true;
}

/* Decimal digits and an optional k, M or G: decimal multiples, since a
 * duration is a count of instructions, not of bytes. */
static bool parse_count(const char *v, uint64_t *out)
{
	uint64_t n = 0;
	const char *p = v;
	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (n > (UINT64_MAX - 9) / 10)
			return false;
		n = n * 10 + (uint64_t)(*p - '0');
	}
	uint64_t mul = 1;
	switch (*p) {
	case 'k': case 'K': mul = 1000; p++; break;
	case 'M': mul = 1000000; p++; break;
	case 'G': mul = 1000000000; p++; break;
	default: break;
	}
	if (*p || (n && mul > UINT64_MAX / n))
		return false;
	*out = n * mul;
	return true;
}

static void format_count(uint64_t n, char *buf, size_t len)
{
	static const struct { uint64_t mul; char suffix; } units[] = {
		{1000000000, 'G'}, {1000000, 'M'}, {1000, 'k'},
	};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (n && n % units[i].mul == 0) {
			snprintf(buf, len, "%" PRIu64 "%c", n / units[i].mul,
				 units[i].suffix);
			return;
		}
	snprintf(buf, len, "%" PRIu64, n);
}

/* Index of v among "a|b|c", or -1. */
static int choice_index(const char *choices, const char *v)
{
	size_t vlen = strlen(v);
	int i = 0;
	for (const char *p = choices; *p; i++) {
		size_t len = strcspn(p, "|");
		if (len == vlen && memcmp(p, v, len) == 0)
			return i;
		p += len + (p[len] == '|');
	}
	return -1;
}

/* Choice i of "a|b|c" into buf. */
static const char *choice_name(const char *choices, unsigned i, char *buf,
			       size_t len)
{
	const char *p = choices;
	for (; i && *p; i--)
		p += strcspn(p, "|") + (p[strcspn(p, "|")] == '|');
	snprintf(buf, len, "%.*s", (int)strcspn(p, "|"), p);
	return buf;
}

/* A set (bit i: the i-th of "none|a|b|c") as "a,b", as it is written;
 * the empty set as the first name. */
static const char *set_names(const char *choices, uint32_t set, char *buf, size_t len)
{
	size_t n = 0;
	char one[32];
	choice_name(choices, 0, buf, len);
	for (unsigned i = 1; i < 32 && set >> i; i++)
		if ((set >> i) & 1u)
			n += (size_t)snprintf(buf + n, len > n ? len - n : 0, "%s%s",
					      n ? "," : "",
					      choice_name(choices, i, one, sizeof one));
	return buf;
}

/* "a|b|c" as "a, b or c", for messages. */
static void choices_text(const char *choices, char *buf, size_t len)
{
	size_t n = 0, count = 1;
	for (const char *p = choices; *p; p++)
		count += *p == '|';
	buf[0] = 0;
	for (size_t i = 0; i < count && n < len; i++) {
		char one[32];
		n += (size_t)snprintf(buf + n, len - n, "%s%s",
				      i == 0 ? "" : i + 1 == count ? " or " : ", ",
				      choice_name(choices, (unsigned)i, one, sizeof one));
	}
}

/* Letters, digits, '.', '-' and '_', not starting with '.': what can go
 * into a file name (the run folder). */
static bool valid_name(const char *v, size_t max)
{
	size_t len = strlen(v);
	if (len == 0 || len >= max)
		return false;
	for (const char *p = v; *p; p++) {
		char c = *p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
		if (!ok)
			return false;
	}
	return v[0] != '.';
}

static const struct key *find_key(const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].key, name) == 0)
			return &keys[i];
	return NULL;
}

/* A boot argument: checked and converted by the hypervisor's parser; the
 * message in the scenario's words, from the hypervisor's table. */
static int set_bootarg(char *field, const struct key *k, const char *v,
		       char *err, size_t errlen)
{
	const struct bootarg *b = bootarg_of(k);
	uint32_t n;
	char text[256];
	if (!b)
		return fail(err, errlen, "%s: not a boot argument", k->key);
	int rc = bootarg_value(b, v, (unsigned)strlen(v), &n);
	if (rc == BOOTARG_ODD)
		return fail(err, errlen, "%s: '%s' is not even", k->key, v);
	if (rc == 0 && b->type == BA_IMAGE) {
		strcpy(field, v);
		return 0;
	}
	if (rc == 0) {
		memcpy(field, &n, sizeof n);
		return 0;
	}
	switch (b->type) {
	case BA_NUMBER:
		if (b->flags & BA_MASK)
			return fail(err, errlen, "%s: '%s' is not a mask of bits in "
				    "0x%" PRIx32, k->key, v, b->hi);
		return fail(err, errlen, "%s: '%s' is not %" PRIu32 "..%" PRIu32,
			    k->key, v, b->lo, b->hi);
	case BA_ONOFF:
	case BA_CHOICE:
		choices_text(b->choices, text, sizeof text);
		return fail(err, errlen, "%s: '%s' is not %s", k->key, v, text);
	case BA_SET:
		choices_text(b->choices, text, sizeof text);
		return fail(err, errlen, "%s: '%s' is not names of %s, joined by commas",
			    k->key, v, text);
	case BA_IMAGE:
	case BA_GUEST_IMAGE:
		break;
	}
	return fail(err, errlen, "%s: '%s' is not an image name "
		    "(a-z 0-9 - _, up to %d)", k->key, v, SCN_IMAGE_MAX - 1);
}

static int set_value(struct scenario *s, const struct key *k, const char *v,
		     char *err, size_t errlen)
{
	char *field = (char *)s + k->off;
	uint64_t n;
	char text[256];

	switch (k->type) {
	case T_NAME:
		if (!valid_name(v, SCN_NAME_MAX))
			return fail(err, errlen, "%s: '%s' is not a name "
				    "(A-Z a-z 0-9 . - _, up to %d)", k->key, v,
				    SCN_NAME_MAX - 1);
		strcpy(field, v);
		return 0;
	case T_U32:
		if (!parse_u32(v, &n) || n < k->lo || n > k->hi)
			return fail(err, errlen, "%s: '%s' is not %" PRIu64 "..%" PRIu64,
				    k->key, v, k->lo, k->hi);
		memcpy(field, &(uint32_t){(uint32_t)n}, sizeof(uint32_t));
		return 0;
	case T_COUNT:
		if (!parse_count(v, &n) || n < k->lo || n > k->hi)
			return fail(err, errlen, "%s: '%s' is not a count of "
				    "instructions >= %" PRIu64 " (e.g. 200M; k, M, G: "
				    "10^3, 10^6, 10^9)", k->key, v, k->lo);
		memcpy(field, &n, sizeof n);
		return 0;
	case T_CHOICE: {
		int i = choice_index(k->choices, v);
		if (i < 0) {
			choices_text(k->choices, text, sizeof text);
			return fail(err, errlen, "%s: '%s' is not %s", k->key, v, text);
		}
		memcpy(field, &(uint32_t){(uint32_t)i}, sizeof(uint32_t));
		return 0;
	}
	case T_BOOTARG:
		return set_bootarg(field, k, v, err, errlen);
	}
	return fail(err, errlen, "%s: internal error", k->key);
}

/* A board option; line 0: from the command line, which may override. */
static int set_board(struct scenario *s, const char *name, const char *v,
		     unsigned line, scn_board_check check, void *ctx, char *err,
		     size_t errlen)
{
	if (strlen(name) >= SCN_OPT_MAX || strlen(v) >= SCN_OPT_MAX)
		return fail(err, errlen, "board.%.32s: name or value too long", name);
	if (check && check(ctx, name, v, err, errlen) != 0)
		return -1;
	struct scn_board_opt *o = NULL;
	for (unsigned i = 0; i < s->nboard; i++)
		if (strcmp(s->board[i].name, name) == 0)
			o = &s->board[i];
	if (o && line && o->line)
		return fail(err, errlen, "duplicate key '" BOARD_PREFIX "%s' "
			    "(first on line %u)", name, o->line);
	if (!o) {
		if (s->nboard == SCN_BOARD_MAX)
			return fail(err, errlen, "more than %d board options",
				    SCN_BOARD_MAX);
		o = &s->board[s->nboard++];
		strcpy(o->name, name);
	}
	strcpy(o->value, v);
	if (line)
		o->line = line;
	return 0;
}

static int set_key(struct scenario *s, const char *key, const char *v,
		   unsigned line, scn_board_check check, void *ctx, char *err,
		   size_t errlen)
{
	if (strncmp(key, BOARD_PREFIX, strlen(BOARD_PREFIX)) == 0)
		return set_board(s, key + strlen(BOARD_PREFIX), v, line, check,
				 ctx, err, errlen);
	const struct key *k = find_key(key);
	if (!k)
		return fail(err, errlen, "unknown key '%s' (see vzsoak run --help)",
			    key);
	unsigned *first = &s->set_on_line[k - keys];
	if (line && *first)
		return fail(err, errlen, "duplicate key '%s' (first on line %u)",
			    key, *first);
	if (set_value(s, k, v, err, errlen) != 0)
		return -1;
	if (line)
		*first = line;
	return 0;
}

int scenario_set(struct scenario *s, const char *key, const char *value,
		 scn_board_check check, void *ctx, char *err, size_t errlen)
{
	return set_key(s, key, value, 0, check, ctx, err, errlen);
}

/* ------------------------------------------------------------ files */

static char *trim(char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	char *end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\r' || end[-1] == '\n'))
		*--end = 0;
	return p;
}

/* What get_line found. */
enum line_got { LINE_OK, LINE_EOF, LINE_LONG, LINE_NUL };

/*
 * One line, without its newline, into line (SCN_LINE_MAX + 1 bytes).  By
 * the byte rather than with fgets: fgets cannot tell a NUL byte in the
 * file from the end of the line it read, so the text after a NUL would
 * vanish, or a line with one be called too long.  A NUL anywhere on the
 * line wins over its length.
 */
static enum line_got get_line(FILE *f, char *line)
{
	size_t len = 0;
	bool nul = false, any = false;
	int c;
	while ((c = getc(f)) != EOF && c != '\n') {
		any = true;
		if (c == 0)
			nul = true;
		if (len <= SCN_LINE_MAX)
			line[len++] = (char)c;
	}
	if (c == EOF && !any)
		return LINE_EOF;
	if (nul)
		return LINE_NUL;
	if (len > SCN_LINE_MAX)
		return LINE_LONG;
	line[len] = 0;
	return LINE_OK;
}

int scenario_read(struct scenario *s, FILE *f, const char *fname,
		  scn_board_check check, void *ctx, char *err, size_t errlen)
{
	char line[SCN_LINE_MAX + 1];
	char why[256];
	unsigned n = 0;
	enum line_got got;

	while ((got = get_line(f, line)) != LINE_EOF) {
		n++;
		if (got == LINE_NUL)
			return fail(err, errlen, "%s:%u: NUL byte (a scenario is text)",
				    fname, n);
		if (got == LINE_LONG)
			return fail(err, errlen, "%s:%u: line longer than %d bytes",
				    fname, n, SCN_LINE_MAX);
		line[strcspn(line, "#")] = 0; /* values never hold a '#' */
		char *text = trim(line);
		if (!*text)
			continue;
		char *eq = strchr(text, '=');
		if (!eq)
			return fail(err, errlen, "%s:%u: '%s' is not key = value",
				    fname, n, text);
		*eq = 0;
		char *key = trim(text), *value = trim(eq + 1);
		if (!*key || !*value)
			return fail(err, errlen, "%s:%u: '%s = %s' is not key = value",
				    fname, n, key, value);
		if (set_key(s, key, value, n, check, ctx, why, sizeof why) != 0)
			return fail(err, errlen, "%s:%u: %s", fname, n, why);
	}
	if (ferror(f))
		return fail(err, errlen, "%s: read error", fname);
	return 0;
}

int scenario_load(struct scenario *s, const char *path, scn_board_check check,
		  void *ctx, char *err, size_t errlen)
{
	scenario_defaults(s, path);
	FILE *f = fopen(path, "r");
	if (!f)
		return fail(err, errlen, "%s: cannot open: %s", path, strerror(errno));
	int rc = scenario_read(s, f, path, check, ctx, err, errlen);
	fclose(f);
	return rc;
}

/* ------------------------------------------------------------ output */

static const char *key_value(const struct scenario *s, const struct key *k,
			     char *buf, size_t len)
{
	const char *field = (const char *)s + k->off;
	uint32_t u;
	uint64_t n;
	switch (k->type) {
	case T_NAME:
		snprintf(buf, len, "%s", field);
		break;
	case T_U32:
		memcpy(&u, field, sizeof u);
		snprintf(buf, len, "%" PRIu32, u);
		break;
	case T_COUNT:
		memcpy(&n, field, sizeof n);
		format_count(n, buf, len);
		break;
	case T_CHOICE:
		memcpy(&u, field, sizeof u);
		choice_name(k->choices, u, buf, len);
		break;
	case T_BOOTARG: {
		const struct bootarg *b = bootarg_of(k);
		if (!b || b->type == BA_IMAGE) {
			snprintf(buf, len, "%s", b ? field : "");
			break;
		}
		memcpy(&u, field, sizeof u);
		if (b->type == BA_NUMBER)
			snprintf(buf, len, "%" PRIu32, u);
		else if (b->type == BA_SET)
			set_names(b->choices, u, buf, len);
		else
			choice_name(b->choices, u, buf, len);
		break;
	}
	}
	return buf;
}

const char *scenario_value(const struct scenario *s, const char *key, char *buf,
			   size_t len)
{
	const struct key *k = find_key(key);
	if (!k) {
		if (len)
			buf[0] = 0;
		return buf;
	}
	return key_value(s, k, buf, len);
}

bool scenario_runs_linux(const struct scenario *s)
{
	return strcmp(s->image, LINUX_IMAGE_NAME) == 0;
}

int scenario_bootargs(const struct scenario *s, char *buf, size_t len)
{
	size_t n = 0;
	char v[SCN_VALUE_MAX];
	if (len)
		buf[0] = 0;
	for (size_t i = 0; i < NKEYS; i++) {
		if (keys[i].type != T_BOOTARG)
			continue;
		/* The Linux guests' keys only for them: other runs' boot
		 * arguments stay as they were. */
		if (strncmp(keys[i].key, "linux-", 6) == 0 && !scenario_runs_linux(s))
			continue;
		int w = snprintf(buf + n, len > n ? len - n : 0, "%s%s=%s",
				 n ? " " : "", keys[i].key,
				 key_value(s, &keys[i], v, sizeof v));
		n += (size_t)w;
		if (n >= len)
			return -1;
	}
	return (int)n;
}

void scenario_write(const struct scenario *s, FILE *f)
{
	char v[SCN_VALUE_MAX];
	for (size_t i = 0; i < NKEYS; i++)
		fprintf(f, "%s = %s\n", keys[i].key, key_value(s, &keys[i], v, sizeof v));
	for (unsigned i = 0; i < s->nboard; i++)
		fprintf(f, BOARD_PREFIX "%s = %s\n", s->board[i].name,
			s->board[i].value);
}

/* A key's help, indented 6 and wrapped at 78 columns, as vzsim --help
 * prints board options. */
static void print_help(FILE *f, const char *text)
{
	print_wrapped(f, text, 6);
}

void scenario_help(FILE *f)
{
	struct scenario d;
	scenario_defaults(&d, NULL);
	char v[SCN_VALUE_MAX], range[256], text[512];
	for (size_t i = 0; i < NKEYS; i++) {
		const struct key *k = &keys[i];
		const struct bootarg *b = k->type == T_BOOTARG ? bootarg_of(k) : NULL;
		const char *help = k->help;
		switch (k->type) {
		case T_NAME: snprintf(range, sizeof range, "NAME"); break;
		case T_U32:
			snprintf(range, sizeof range, "%" PRIu64 "..%" PRIu64, k->lo, k->hi);
			break;
		case T_COUNT: snprintf(range, sizeof range, "N[k|M|G]"); break;
		case T_CHOICE: snprintf(range, sizeof range, "%s", k->choices); break;
		case T_BOOTARG:
			if (!b)
				continue;
			if (b->type == BA_NUMBER)
				snprintf(range, sizeof range, "%" PRIu32 "..%" PRIu32,
					 b->lo, b->hi);
			else if (b->type == BA_IMAGE)
				snprintf(range, sizeof range, "IMAGE");
			else
				snprintf(range, sizeof range, "%s", b->choices);
			/* the hypervisor's help, and the harness's note */
			snprintf(text, sizeof text, "%s%s%s", b->help,
				 help ? " " : "", help ? help : "");
			help = text;
			break;
		}
		if (k->type == T_NAME)
			fprintf(f, "  %s = %s\n", k->key, range);
		else
			fprintf(f, "  %s = %s (default %s)\n", k->key, range,
				key_value(&d, k, v, sizeof v));
		print_help(f, help);
	}
	fprintf(f, "  board.NAME = VALUE\n");
	print_help(f, "a vzsim board option (vzsim --help lists them)");
}
