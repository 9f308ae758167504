/*
 * The hand-made vectors of vectors.h: each decodes to exactly its
 * records (offsets, reasons and skipped byte counts of every gap
 * included); the encoder writes the clean ones byte for byte; and a clean
 * trace cut at every byte offset decodes to the records that fit, then
 * one TRUNCATED gap.
 */
#include "pdt_test.h"

#include <stdio.h>

/* Bytes a record takes in VZT1 (minimal ICNT, as the encoder writes). */
static uint64_t vzt1_size(const struct pdt_record *r)
{
	switch (r->type) {
	case PDT_ICNT: {
		uint64_t bytes = 1;
		while (bytes < 8 && r->icnt.n >> (8 * bytes))
			bytes++;
		return 1 + bytes;
	}
	case PDT_BRANCH: return 2;
	case PDT_TARGET: return 5;
	case PDT_EXCEPTION: return 6;
	case PDT_MODE: return 4;
	case PDT_UTM: return 5;
	case PDT_MEM: return r->mem.has_data ? 9 : 5;
	case PDT_OVERFLOW: return 5;
	case PDT_SYNC: return 24;
	default: return 0;
	}
}

static void check_vector(const struct vector *v)
{
	struct pdt_record got[64];
	size_t n = decode_all(v->bytes, v->len, got, 64);
	for (size_t i = 0; i < n && i < v->nwant; i++) {
		char t[160];
		pdt_record_text(&got[i], t, sizeof t);
		if (!rec_eq(&got[i], &v->want[i], true)) {
			char w[160];
			pdt_record_text(&v->want[i], w, sizeof w);
			fail_msg("vector %s, record %zu\n  got:  %s\n  want: %s", v->name, i, t, w);
		}
	}
	if (n != v->nwant)
		fail_msg("vector %s: %zu records, want %zu", v->name, n, v->nwant);
}

static void test_vectors_decode(void **state)
{
	(void)state;
	for (size_t i = 0; i < NVECTORS; i++)
		check_vector(&vectors[i]);
}

static void test_vectors_encode(void **state)
{
	(void)state;
	for (size_t i = 0; i < NVECTORS; i++) {
		const struct vector *v = &vectors[i];
		if (!v->clean)
			continue;
		struct tbuf t = { 0 };
		encode_all(&t, v->want, v->nwant);
		if (t.len != v->len)
			fail_msg("vector %s: encoder wrote %zu bytes, want %zu", v->name, t.len,
				 v->len);
		for (size_t k = 0; k < v->len; k++)
			if (t.b[k] != v->bytes[k])
				fail_msg("vector %s: byte 0x%zx is 0x%02x, want 0x%02x", v->name, k,
					 t.b[k], v->bytes[k]);
		tbuf_free(&t);
	}
}

/*
 * A clean trace cut at len bytes: the records that end inside the whole
 * words, then a TRUNCATED gap from the first one that does not (or from
 * the end of the whole words) to len, if that leaves anything.
 */
static void check_cut(const char *name, const uint8_t *bytes, size_t len,
		      const struct pdt_record *full, size_t nfull)
{
	/* A copy of exactly len bytes, so ASan catches any read past it. */
	uint8_t *cut = malloc(len ? len : 1);
	assert_non_null(cut);
	memcpy(cut, bytes, len);
	struct pdt_record got[64];
	size_t n = decode_all(cut, len, got, 64);
	free(cut);

	uint64_t whole = len & ~(size_t)7, gap_at = whole;
	size_t k = 0;
	while (k < nfull && full[k].offset + vzt1_size(&full[k]) <= whole)
		k++;
	if (k < nfull && full[k].offset < gap_at)
		gap_at = full[k].offset;
	size_t want = k + (gap_at < len);
	if (n != want)
		fail_msg("%s cut at %zu: %zu records, want %zu", name, len, n, want);
	for (size_t i = 0; i < k; i++)
		assert_rec_eq(&got[i], &full[i], true);
	if (gap_at < len) {
		struct pdt_record g = R_GAP(gap_at, TRUNCATED, len - gap_at);
		assert_rec_eq(&got[k], &g, true);
	}
}

static void test_cut_everywhere(void **state)
{
	(void)state;
	for (size_t i = 0; i < NVECTORS; i++) {
		const struct vector *v = &vectors[i];
		if (!v->clean)
			continue;
		for (size_t len = 0; len <= v->len; len++)
			check_cut(v->name, v->bytes, len, v->want, v->nwant);
	}
}

/* The same on a longer encoder-made trace with every record type. */
static void test_cut_everywhere_encoded(void **state)
{
	(void)state;
	const struct pdt_record recs[] = {
		R_SYNC(0, 0x80000000u, KERNEL, 0, 0, 0, 1, 0, 7),
		R_ICNT(0, 1), R_BRANCH(0, 5, 0x11), R_TARGET(0, 0x80000400u),
		R_ICNT(0, 70000), R_EXC(0, 2, 1, 0x80000000u),
		R_MODE(0, KERNEL, 1, 0, 0, 1, 0), R_UTM(0, 1, 0xcafe),
		R_MEM(0, 0, 4, 0x1000, 1, 0x5555), R_MEM(0, 1, 2, 0x1002, 0, 0),
		R_OVERFLOW(0, 3),
		R_SYNC(0, 0x00400000u, USER, 0, 0, 1, 9, 4, 100),
		R_ICNT(0, 1ull << 40), R_BRANCH(0, 8, 0x80), R_TARGET(0, 0x00400010u),
	};
	const size_t nrecs = sizeof recs / sizeof recs[0];
	struct tbuf t = { 0 };
	encode_all(&t, recs, nrecs);
	struct pdt_record full[64];
	size_t nfull = decode_all(t.b, t.len, full, 64);
	assert_int_equal(nfull, nrecs);
	for (size_t i = 0; i < nrecs; i++)
		assert_rec_eq(&full[i], &recs[i], false);
	for (size_t len = 0; len <= t.len; len++)
		check_cut("encoded", t.b, len, full, nfull);
	tbuf_free(&t);
}

/* Damage vectors cut anywhere: never a crash, every record inside the
   input, and whatever is left of a partial word is a TRUNCATED gap. */
static void test_cut_damaged(void **state)
{
	(void)state;
	for (size_t i = 0; i < NVECTORS; i++) {
		const struct vector *v = &vectors[i];
		for (size_t len = 0; len <= v->len; len++) {
			uint8_t *cut = malloc(len ? len : 1);
			assert_non_null(cut);
			memcpy(cut, v->bytes, len);
			struct pdt_record got[64];
			size_t n = decode_all(cut, len, got, 64);
			free(cut);
			if (len % 8) {
				assert_true(n > 0);
				const struct pdt_record *g = &got[n - 1];
				assert_int_equal(g->type, PDT_GAP);
				assert_int_equal(g->gap.why, PDT_GAP_TRUNCATED);
				assert_int_equal(g->offset + g->gap.skipped, len);
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors_decode),
		cmocka_unit_test(test_vectors_encode),
		cmocka_unit_test(test_cut_everywhere),
		cmocka_unit_test(test_cut_everywhere_encoded),
		cmocka_unit_test(test_cut_damaged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
