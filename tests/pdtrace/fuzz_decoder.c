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
 *   make fuzz                 (FUZZ_SECONDS, default 300)
 *   build/fuzz/fuzz_decoder build/fuzz/corpus   (by hand)
 */
#include "pdtrace/pdtrace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz_decoder: %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

struct buf {
	uint8_t *b;
	size_t len, cap;
};

static void sink(void *ctx, uint64_t w)
{
	struct buf *t = ctx;
	if (t->len + 8 > t->cap) {
		t->cap = t->cap ? 2 * t->cap : 1024;
		t->b = realloc(t->b, t->cap);
		CHECK(t->b);
	}
	for (unsigned i = 0; i < 8; i++)
		t->b[t->len++] = (uint8_t)(w >> (8 * i));
}

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
	struct buf t = { 0 };
	struct pdt_encoder e;
	pdt_enc_init(&e, sink, &t);
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
	free(t.b);
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
	} else {
		CHECK(err == PDT_E_FORMAT || err == PDT_E_VERSION);
		CHECK(off <= size);
	}
	free(b);
	return 0;
}
