/*
 * libFuzzer target for libpdtrace's reading side.  Each input is taken
 * both as raw trace words and as a whole trace file (header checks, then
 * the words after the header).  Beyond "no crash, no hang, no read past
 * the input" (ASan, UBSan, libFuzzer's timeout), it checks:
 * - every record lies inside the input, starts after the previous one,
 *   and gaps are non-empty: so the decoder always moves forward;
 * - the records it returns are valid: re-encoding them (gaps left out)
 *   and decoding again gives the very same sequence;
 * - text and JSON forms fit the length they report, in any buffer.
 *
 * The same words then go through the flow decoder (flow.h) to the end,
 * against code loaded once at start-up: flow_fixture.elf (real control
 * flow: branches, jumps, jr, eret, an exception vector) for root and
 * guest 1, code_fixture.elf for guest 2, crashme on (seed 1, 64 words)
 * for guest user code.  The images are looked for in PDT_FUZZ_IMAGES, or
 * else ../target/pdtrace from the fuzzer's own directory (where make
 * builds them); without them every context has no code, which still
 * walks the event paths.  It checks that the flow decoder ends (items
 * bounded by what the records can account for, below), that consecutive
 * instructions have consecutive indexes, that every instruction word
 * shown is the image's (or the crashme block's) word at its PC, and that
 * user trace messages that are not the hypervisor's come out in the order
 * of their channel.  Two more decoders walk the same words in step with
 * it: the reference walk (pdt_flow_config.per_insn: one instruction at a
 * time, no block cache) and pdt_flow_next_run's runs, taken apart,
 * through a cache of two blocks (nearly every block replaced before it is
 * used again): every item of the three must be the same, field for field.
 *
 *   make fuzz                 (FUZZ_SECONDS, default 300)
 *   build/fuzz/fuzz_decoder build/fuzz/corpus   (by hand)
 */
#include <pdtrace/flow.h>
#include <pdtrace/pdtrace.h>

#include <crashme/block.h>

#include "tests/pdtrace/tbuf.h"
#include "tests/pdtrace/same_item.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz_decoder: %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

static bool same(const struct pdt_record *a, const struct pdt_record *b)
{
	return a->type != PDT_GAP && pdt_record_equal(a, b);
}

static void check_forms(const struct pdt_record *r)
{
	char big[512], small[20];
	size_t n = pdt_record_text(r, big, sizeof big);
	CHECK(n < sizeof big && strlen(big) == n);
	CHECK(pdt_record_text(r, small, sizeof small) == n);
	CHECK(strlen(small) == (n < sizeof small ? n : sizeof small - 1));
	n = pdt_record_json(r, big, sizeof big);
	CHECK(n < sizeof big && strlen(big) == n && big[0] == '{' && big[n - 1] == '}');
	CHECK(pdt_record_json(r, small, sizeof small) == n);
}

/* Decodes len bytes; returns the non-gap records (caller frees). */
static struct pdt_record *decode(const uint8_t *b, size_t len, size_t *count, bool forms)
{
	struct pdt_record *out = malloc((len + 1) * sizeof *out);
	CHECK(out);
	struct pdt_decoder d;
	struct pdt_record r;
	size_t n = 0, all = 0;
	uint64_t next = 0;
	int err;
	pdt_dec_init(&d, b, len);
	while ((err = pdt_dec_next(&d, &r)) == PDT_OK) {
		CHECK(r.offset >= next && r.offset < len);
		CHECK((unsigned)r.type < PDT_NTYPES && r.type != PDT_PAD);
		CHECK(++all <= len + 1);
		if (forms)
			check_forms(&r);
		if (r.type == PDT_GAP) {
			CHECK(r.gap.skipped > 0 && r.offset + r.gap.skipped <= len);
			CHECK(r.gap.why >= PDT_GAP_UNSYNCED && r.gap.why <= PDT_GAP_TRUNCATED);
			next = r.offset + r.gap.skipped;
			continue;
		}
		next = r.offset + 1;
		out[n++] = r;
	}
	CHECK(err == PDT_E_EOS);
	CHECK(pdt_dec_next(&d, &r) == PDT_E_EOS);
	*count = n;
	return out;
}

static void check_words(const uint8_t *b, size_t len)
{
	size_t n, m;
	struct pdt_record *recs = decode(b, len, &n, true);
	/* Valid records re-encode, and decode back unchanged. */
	struct tbuf t = { 0 };
	struct pdt_encoder e;
	pdt_enc_init(&e, tbuf_sink, &t);
	for (size_t i = 0; i < n; i++)
		CHECK(pdt_enc_record(&e, &recs[i]) == PDT_OK);
	pdt_enc_flush(&e);
	CHECK(t.len == e.words * 8);
	struct pdt_record *again = decode(t.b, t.len, &m, false);
	CHECK(m == n);
	for (size_t i = 0; i < n; i++)
		CHECK(same(&again[i], &recs[i]));
	free(again);
	free(recs);
	tbuf_free(&t);
}

/* ------------------------------------------------------------ flow */

/*
 * Per segment (the counts and bits between two other records), flow.c
 * walks at most MAX_SEG_INSNS counts and MAX_SEG_BITS bits and takes a
 * longer segment for damage: without such a cap a corrupt ICNT of 2^60
 * over a loop with no conditional branch would make it emit 2^60
 * instructions (flow.h).
 */
#define FLOW_SEG_INSNS PDT_FLOW_MAX_SEG_INSNS
#define FLOW_SEG_BITS PDT_FLOW_MAX_SEG_BITS
#define CRASHME_SEED 1u
#define CRASHME_WORDS 64u

/* The decoder checked, the reference walk, and the runs' decoder: each
 * its own crashme provider (a provider serves one decoder at a time). */
enum { WALK_BLOCKS, WALK_REF, WALK_RUNS, WALKS };
static struct pdt_flow_config flow_cfg, walk_cfg[WALKS];

static struct pdt_code *load_image(const char *dir, const char *name)
{
	char path[PATH_MAX + 64], err[256];
	struct pdt_code *c;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (pdt_code_load(&c, path, err, sizeof err) != 0) {
		fprintf(stderr, "fuzz_decoder: %s: no code for it in the flow decoder\n", err);
		return NULL;
	}
	return c;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char dir[PATH_MAX + 32] = "";
	const char *env = getenv("PDT_FUZZ_IMAGES");
	if (env && *env) {
		snprintf(dir, sizeof dir, "%s", env);
	} else {
		char exe[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		if (n > 0) {
			exe[n] = 0;
			snprintf(dir, sizeof dir, "%s/../target/pdtrace", dirname(exe));
		}
	}
	/* Loaded once and never freed: they live as long as the fuzzer. */
	struct pdt_code *flow = dir[0] ? load_image(dir, "flow_fixture.elf") : NULL;
	struct pdt_code *data = dir[0] ? load_image(dir, "code_fixture.elf") : NULL;
	flow_cfg.root = flow;
	flow_cfg.guest[1] = flow;
	flow_cfg.guest[2] = data;
	/* crashme's blocks come from their code provider, as in pdtrace. */
	for (unsigned w = 0; w < WALKS; w++) {
		struct pdt_crashme *crashme;
		if (pdt_crashme_new(&crashme, CRASHME_SEED, CRASHME_WORDS) != PDT_OK)
			abort();
		walk_cfg[w] = flow_cfg;
		walk_cfg[w].code = pdt_crashme_provider(crashme);
	}
	walk_cfg[WALK_REF].per_insn = true;
	walk_cfg[WALK_RUNS].block_cache_log2 = 1;
	/* The fixtures hold far fewer than 2^8 blocks: the default 2^13
	 * would only make each input pay for clearing 256 KiB. */
	walk_cfg[WALK_BLOCKS].block_cache_log2 = 8;
	flow_cfg = walk_cfg[WALK_BLOCKS];
	return 0;
}

/* What the records can account for: the bound on the items. */
struct flow_budget {
	uint64_t records;    /* every record, gaps included */
	uint64_t walk;       /* instructions segments can make, capped */
	uint64_t exceptions; /* each may show its faulting instruction */
	uint64_t nutm;       /* the UTM records, in order */
	struct { uint8_t chan; uint32_t value; } *utm;
};

static void flow_budget(const uint8_t *b, size_t len, struct flow_budget *fb)
{
	struct pdt_decoder d;
	struct pdt_record r;
	uint64_t icnt = 0, bits = 0;
	memset(fb, 0, sizeof *fb);
	fb->utm = malloc((len + 1) * sizeof *fb->utm);
	CHECK(fb->utm);
	pdt_dec_init(&d, b, len);
	for (;;) {
		bool end = pdt_dec_next(&d, &r) != PDT_OK;
		if (!end)
			fb->records++;
		if (!end && r.type == PDT_ICNT) {
			/* Saturating: 2^64 - 1 counts add up to overflow. */
			icnt = icnt + r.icnt.n < icnt ? UINT64_MAX : icnt + r.icnt.n;
			continue;
		}
		if (!end && r.type == PDT_BRANCH) {
			bits += r.branch.n;
			continue;
		}
		fb->walk += (icnt < FLOW_SEG_INSNS ? icnt : FLOW_SEG_INSNS) +
			    (bits < FLOW_SEG_BITS ? bits : FLOW_SEG_BITS);
		icnt = bits = 0;
		if (end)
			break;
		if (r.type == PDT_EXCEPTION)
			fb->exceptions++;
		if (r.type == PDT_UTM) {
			fb->utm[fb->nutm].chan = r.utm.chan;
			fb->utm[fb->nutm++].value = r.utm.value;
		}
	}
}

/* The word the decoder should have shown for an instruction item. */
static void check_insn_word(const struct pdt_flow_item *it)
{
	static uint32_t words[CRASHME_WORDS];
	static int have_gid = -1;
	static int have_block = -1;
	if (it->insn.block >= 0) {
		/* A crashme block: guest user code at the block's address. */
		unsigned gid = it->ctx.guestid;
		CHECK(it->ctx.guest && gid >= 1 && gid <= PDT_FLOW_GUESTS);
		CHECK(it->ctx.ksu == PDT_USER);
		/* The block's words, then the zeros of the rest of its page. */
		CHECK(it->insn.pc >= CRASHME_CODE_VA &&
		      it->insn.pc - CRASHME_CODE_VA < CRASHME_PAGE_SIZE);
		if (have_gid != (int)gid || have_block != it->insn.block) {
			crashme_block(CRASHME_SEED, gid, (uint32_t)it->insn.block, words,
				      CRASHME_WORDS);
			have_gid = (int)gid;
			have_block = it->insn.block;
		}
		uint32_t i = (it->insn.pc - CRASHME_CODE_VA) / 4;
		CHECK(it->insn.have_word);
		CHECK(it->insn.word == (i < CRASHME_WORDS ? words[i] : 0));
		return;
	}
	if (!it->insn.have_word)
		return;
	const struct pdt_code *c = !it->ctx.guest ? flow_cfg.root
				   : it->ctx.guestid >= 1 && it->ctx.guestid <= PDT_FLOW_GUESTS
					   ? flow_cfg.guest[it->ctx.guestid] : NULL;
	uint32_t w;
	CHECK(c && pdt_code_word(c, it->insn.pc, &w) == 0 && w == it->insn.word);
}

/* pdt_flow_next_run's items taken apart, one an instruction. */
struct run_walk {
	struct pdt_flow *f;
	struct pdt_flow_item first;
	uint32_t n, k;
};

static int run_walk_next(struct run_walk *w, struct pdt_flow_item *it)
{
	if (w->k >= w->n) {
		int rc = pdt_flow_next_run(w->f, &w->first, &w->n);
		if (rc)
			return rc;
		CHECK(w->first.is_insn ? w->n >= 1 : w->n == 0);
		CHECK(!w->n || pdt_flow_run_word(w->f, 0) == w->first.insn.word);
		w->k = 0;
		if (!w->n) {
			*it = w->first;
			return 0;
		}
	}
	*it = w->first;
	it->index += w->k;
	it->insn.pc += 4 * w->k;
	it->insn.word = pdt_flow_run_word(w->f, w->k);
	w->k++;
	return 0;
}

static void check_flow(const uint8_t *b, size_t len)
{
	struct flow_budget fb;
	flow_budget(b, len, &fb);
	struct pdt_flow *f, *ref;
	struct run_walk runs = { 0 };
	CHECK(pdt_flow_new(&f, &walk_cfg[WALK_BLOCKS], b, len) == PDT_OK);
	CHECK(pdt_flow_new(&ref, &walk_cfg[WALK_REF], b, len) == PDT_OK);
	CHECK(pdt_flow_new(&runs.f, &walk_cfg[WALK_RUNS], b, len) == PDT_OK);
	/* Events: at most 3 for a record (an EXCEPTION: the gap it ends,
	 * the crashme block its faulting instruction starts, itself), one
	 * more per record for a block start (a new block needs a new
	 * context: a MODE or SYNC), and the gap at the end. */
	const uint64_t max_events = 4 * (fb.records + 1);
	const uint64_t max_insns = fb.walk + fb.exceptions;
	uint64_t insns = 0, events = 0, utm_at[2] = { 0, 0 };
	struct pdt_flow_item it, prev = { .is_insn = false }, other;
	int err;
	while ((err = pdt_flow_next(f, &it)) == PDT_OK) {
		CHECK(pdt_flow_next(ref, &other) == PDT_OK && same_item(&it, &other));
		CHECK(run_walk_next(&runs, &other) == PDT_OK && same_item(&it, &other));
		CHECK(it.offset <= len);
		CHECK(it.ctx.ksu <= PDT_USER);
		if (it.is_insn) {
			CHECK(++insns <= max_insns);
			/* One after another, nothing between: consecutive. */
			if (prev.is_insn)
				CHECK(it.index == prev.index + 1);
			CHECK(it.insn.exc >= -1 && it.insn.exc <= 0xff); /* an 8-bit field */
			check_insn_word(&it);
		} else {
			CHECK(++events <= max_events);
			CHECK((unsigned)it.ev.kind < PDT_EV_NKINDS);
			if (it.ev.kind == PDT_EV_GAP)
				CHECK(it.ev.gap.why >= PDT_FGAP_TRACE &&
				      it.ev.gap.why <= PDT_FGAP_UNSYNCED);
			if (it.ev.kind == PDT_EV_BLOCK)
				CHECK(it.ev.block.gid >= 1 && it.ev.block.gid <= PDT_FLOW_GUESTS);
			if (it.ev.kind == PDT_EV_UTM) {
				/* A raw message is a UTM record, passed on in the
				 * order of its channel (channel-1 words wait until
				 * they are known not to be a hypervisor message, so
				 * channel 2 may overtake them). */
				unsigned ch = it.ev.utm.chan == 1 ? 0 : 1;
				uint64_t *at = &utm_at[ch];
				while (*at < fb.nutm &&
				       (fb.utm[*at].chan != it.ev.utm.chan ||
					fb.utm[*at].value != it.ev.utm.value))
					(*at)++;
				CHECK(*at < fb.nutm);
				(*at)++;
			}
		}
		prev = it;
	}
	CHECK(err == PDT_E_EOS);
	CHECK(pdt_flow_next(f, &it) == PDT_E_EOS);
	CHECK(pdt_flow_next(ref, &other) == PDT_E_EOS);
	CHECK(run_walk_next(&runs, &other) == PDT_E_EOS);
	CHECK(pdt_flow_insns(f) == insns);
	CHECK(pdt_flow_insns(ref) == insns);
	CHECK(pdt_flow_insns(runs.f) == insns);
	pdt_flow_free(f);
	pdt_flow_free(ref);
	pdt_flow_free(runs.f);
	free(fb.utm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy: ASan then catches a read one byte past it. */
	uint8_t *b = malloc(size ? size : 1);
	CHECK(b);
	if (size)
		memcpy(b, data, size);
	check_words(b, size);
	check_flow(b, size);

	struct pdt_file_info info;
	uint64_t off = UINT64_MAX;
	int err = pdt_file_parse_header(&info, b, size, &off);
	if (err == PDT_OK) {
		CHECK(info.header_size >= 32 && info.header_size % 8 == 0 &&
		      info.header_size <= size);
		CHECK(info.nimages <= PDT_MAX_IMAGES);
		CHECK(memchr(info.board, 0, sizeof info.board));
		CHECK(memchr(info.command, 0, sizeof info.command));
		CHECK(memchr(info.bootargs, 0, sizeof info.bootargs));
		check_words(b + info.header_size, size - info.header_size);
		check_flow(b + info.header_size, size - info.header_size);
	} else {
		CHECK(err == PDT_E_FORMAT || err == PDT_E_VERSION);
		CHECK(off <= size);
	}
	free(b);
	return 0;
}
