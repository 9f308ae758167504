/*
 * Scenario files and --set (scenario.h).  One table lists every key with
 * its type, range, default and whether it is a boot argument, so parsing,
 * the resolved listing (scenario.txt), the boot-argument string and the
 * --help text cannot drift apart.
 */
#include "scenario.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <util/wrap.h>
#include <vzsoak/hypercall.h>

_Static_assert(GCONF_TLBP_OFF == 0 && GCONF_TLBP_INDEX == 1 && GCONF_TLBP_ON == 2,
	       "tlbp-check choices are listed in GCONF_TLBP_* order");

enum key_type {
	T_NAME,   /* scenario name: char[SCN_NAME_MAX] */
	T_IMAGE,  /* guest image name: char[SCN_IMAGE_MAX] */
	T_U32,    /* decimal or 0x-hex in lo..hi */
	T_COUNT,  /* instructions: decimal with k/M/G (10^3/6/9), lo..hi */
	T_CHOICE, /* one of choices ("a|b|c"), stored as its index */
};

struct key {
	const char *key;
	enum key_type type;
	size_t off;          /* the field in struct scenario */
	uint64_t lo, hi;     /* T_U32, T_COUNT */
	const char *choices; /* T_CHOICE */
	bool bootarg;        /* passed to the hypervisor as key=value */
	const char *help;
};

#define F(field) offsetof(struct scenario, field)

/* Boot arguments first, in the order scenario_bootargs writes them. */
static const struct key keys[] = {
	{"name", T_NAME, F(name), 0, 0, NULL, false,
	 "names the run and its folder (default: the file name less .scn)"},
	{"guests", T_U32, F(guests), 1, 8, NULL, true, "guests running `image`"},
	{"seed", T_U32, F(seed), 0, UINT32_MAX, NULL, true,
	 "seed of the scheduler's jitter and of crashme's blocks"},
	{"quantum", T_U32, F(quantum), 100, UINT32_MAX, NULL, true,
	 "root Count ticks per time slice"},
	{"jitter", T_U32, F(jitter), 0, UINT32_MAX, NULL, true,
	 "up to this many ticks added to each slice, seeded"},
	{"sched", T_CHOICE, F(sched), 0, 0, "rr|aim", true,
	 "round robin, or preemptions aimed at guests inside TLB handlers"},
	{"preserve", T_CHOICE, F(preserve), 0, 0, "off|on", true,
	 "the hypervisor's TLB critical-section fix"},
	{"tlbp-check", T_CHOICE, F(tlbp_check), 0, 0, "off|index|on", true,
	 "the guest kernel's fix: none, Index.P checked after tlbp, or that and "
	 "PageMask/EntryHi put back after tlbr"},
	{"image", T_IMAGE, F(image), 0, 0, NULL, true, "the guest image every guest runs"},
	{"crashme", T_U32, F(crashme), 0, 4096, NULL, true,
	 "words per crashme block (0: no crashme)"},
	{"worker-pages", T_U32, F(worker_pages), 0, 512, NULL, true,
	 "16K pages per memory-worker pass, even (0: no worker)"},
	{"trace", T_CHOICE, F(trace), 0, 0, "off|on", true,
	 "the hypervisor's trace messages (on with --trace)"},
	{"duration", T_COUNT, F(duration), 1, UINT64_C(1) << 50, NULL, false,
	 "instructions to run"},
	{"check-every", T_COUNT, F(check_every), 1, UINT64_C(1) << 50, NULL, false,
	 "instructions between status checks"},
	{"heartbeat-timeout", T_COUNT, F(heartbeat_timeout), 0, UINT64_C(1) << 50,
	 NULL, false,
	 "instructions a running guest may go without a heartbeat (0: not checked)"},
	{"repeat-limit", T_U32, F(repeat_limit), 0, UINT32_MAX, NULL, false,
	 "times the same TLB fault may recur in a row (0: not checked)"},
	{"stop-on-anomaly", T_CHOICE, F(stop_on_anomaly), 0, 0, "no|yes", false,
	 "end the run at the first check that flags something"},
};
#define NKEYS (sizeof keys / sizeof keys[0])
_Static_assert(NKEYS <= sizeof ((struct scenario *)0)->set_on_line /
			       sizeof(unsigned),
	       "set_on_line has a slot per key");

#define BOARD_PREFIX "board."

static const char *basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

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
	s->guests = 4;
	s->seed = 1;
	s->quantum = 20000;
	s->jitter = 0;
	s->sched = SCN_SCHED_RR;
	s->preserve = 1;
	s->tlbp_check = GCONF_TLBP_ON;
	strcpy(s->image, "stress");
	s->crashme = 64;
	s->worker_pages = 64;
	s->trace = 0;
	s->duration = 200000000;
	s->check_every = 1000000;
	s->heartbeat_timeout = 20000000;
	s->repeat_limit = 100;
	s->stop_on_anomaly = 1;
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

/* Letters, digits and '-', '_' (and '.' in scenario names): what can go
 * into a file name (the run folder) or an assembler symbol (an image). */
static bool valid_name(const char *v, size_t max, bool dots)
{
	size_t len = strlen(v);
	if (len == 0 || len >= max)
		return false;
	for (const char *p = v; *p; p++) {
		char c = *p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			  c == '-' || c == '_' ||
			  (dots && ((c >= 'A' && c <= 'Z') || c == '.'));
		if (!ok)
			return false;
	}
	return !(dots && v[0] == '.');
}

static const struct key *find_key(const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].key, name) == 0)
			return &keys[i];
	return NULL;
}

static int set_value(struct scenario *s, const struct key *k, const char *v,
		     char *err, size_t errlen)
{
	char *field = (char *)s + k->off;
	uint64_t n;
	char text[96];

	switch (k->type) {
	case T_NAME:
		if (!valid_name(v, SCN_NAME_MAX, true))
			return fail(err, errlen, "%s: '%s' is not a name "
				    "(A-Z a-z 0-9 . - _, up to %d)", k->key, v,
				    SCN_NAME_MAX - 1);
		strcpy(field, v);
		return 0;
	case T_IMAGE:
		if (!valid_name(v, SCN_IMAGE_MAX, false))
			return fail(err, errlen, "%s: '%s' is not an image name "
				    "(a-z 0-9 - _, up to %d)", k->key, v,
				    SCN_IMAGE_MAX - 1);
		strcpy(field, v);
		return 0;
	case T_U32:
		if (!parse_u32(v, &n) || n < k->lo || n > k->hi)
			return fail(err, errlen, "%s: '%s' is not %" PRIu64 "..%" PRIu64,
				    k->key, v, k->lo, k->hi);
		/* The worker walks its pages in even/odd pairs (one TLB entry). */
		if (k->off == F(worker_pages) && (n & 1))
			return fail(err, errlen, "%s: '%s' is not even", k->key, v);
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

int scenario_read(struct scenario *s, FILE *f, const char *fname,
		  scn_board_check check, void *ctx, char *err, size_t errlen)
{
	char line[SCN_LINE_MAX + 2];
	char why[256];
	unsigned n = 0;

	while (fgets(line, sizeof line, f)) {
		n++;
		if (!strchr(line, '\n') && !feof(f))
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
	case T_IMAGE:
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

int scenario_bootargs(const struct scenario *s, char *buf, size_t len)
{
	size_t n = 0;
	char v[SCN_NAME_MAX];
	if (len)
		buf[0] = 0;
	for (size_t i = 0; i < NKEYS; i++) {
		if (!keys[i].bootarg)
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
	char v[SCN_NAME_MAX];
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
	char v[SCN_NAME_MAX], range[64];
	for (size_t i = 0; i < NKEYS; i++) {
		const struct key *k = &keys[i];
		switch (k->type) {
		case T_NAME: snprintf(range, sizeof range, "NAME"); break;
		case T_IMAGE: snprintf(range, sizeof range, "IMAGE"); break;
		case T_U32:
			snprintf(range, sizeof range, "%" PRIu64 "..%" PRIu64, k->lo, k->hi);
			break;
		case T_COUNT: snprintf(range, sizeof range, "N[k|M|G]"); break;
		case T_CHOICE: snprintf(range, sizeof range, "%s", k->choices); break;
		}
		if (k->type == T_NAME)
			fprintf(f, "  %s = %s\n", k->key, range);
		else
			fprintf(f, "  %s = %s (default %s)\n", k->key, range,
				key_value(&d, k, v, sizeof v));
		print_help(f, k->help);
	}
	fprintf(f, "  board.NAME = VALUE\n");
	print_help(f, "a vzsim board option (vzsim --help lists them)");
}
