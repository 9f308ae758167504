/*
 * Helpers the libpdtrace tests share: the word sink of tbuf.h, a
 * decode-everything loop that fails
 * the test instead of looping or running past the input, and a record
 * comparison that looks only at the fields a record's type defines.
 */
#ifndef VZSOAK_PDT_TEST_H
#define VZSOAK_PDT_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <pdtrace/pdtrace.h>
#include "tbuf.h"
#include "vectors.h"

/* ------------------------------------------------------------ records */

/* Same record (offsets compared only when with_offset). */
static inline bool rec_eq(const struct pdt_record *a, const struct pdt_record *b,
			  bool with_offset)
{
	return (!with_offset || a->offset == b->offset) && pdt_record_equal(a, b);
}

#define assert_rec_eq(a, b, with_offset) do { \
	const struct pdt_record *a_ = (a), *b_ = (b); \
	if (!rec_eq(a_, b_, with_offset)) { \
		char ta_[160], tb_[160]; \
		pdt_record_text(a_, ta_, sizeof ta_); \
		pdt_record_text(b_, tb_, sizeof tb_); \
		fail_msg("record\n  got:  %s\n  want: %s", ta_, tb_); \
	} \
} while (0)

/*
 * Decodes everything into out[0..max) and returns the count.  Fails the
 * test if a record does not move forward, lies outside the input, or the
 * decoder returns more records than the input has bytes (+1 for a gap).
 */
static inline size_t decode_all(const uint8_t *b, size_t len, struct pdt_record *out,
				size_t max)
{
	struct pdt_decoder d;
	struct pdt_record r;
	size_t n = 0;
	uint64_t next = 0; /* no record may start before the end of the last */
	int err;
	pdt_dec_init(&d, b, len);
	while ((err = pdt_dec_next(&d, &r)) == PDT_OK) {
		if (r.offset < next || r.offset >= len)
			fail_msg("record %zu at offset %llu: after %llu, len %zu", n,
				 (unsigned long long)r.offset, (unsigned long long)next, len);
		if (r.type == PDT_GAP) {
			if (r.gap.skipped == 0 || r.offset + r.gap.skipped > len)
				fail_msg("gap at %llu of %llu bytes, len %zu",
					 (unsigned long long)r.offset,
					 (unsigned long long)r.gap.skipped, len);
			next = r.offset + r.gap.skipped;
		} else {
			next = r.offset + 1;
		}
		if (n >= len + 1)
			fail_msg("more records (%zu) than bytes (%zu)", n + 1, len);
		if (n < max)
			out[n] = r;
		n++;
	}
	assert_int_equal(err, PDT_E_EOS);
	/* The end stays the end. */
	assert_int_equal(pdt_dec_next(&d, &r), PDT_E_EOS);
	return n;
}

/* Encodes records one by one (pdt_enc_record) and flushes. */
static inline void encode_all(struct tbuf *t, const struct pdt_record *recs, size_t n)
{
	struct pdt_encoder e;
	pdt_enc_init(&e, tbuf_sink, t);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(pdt_enc_record(&e, &recs[i]), PDT_OK);
	pdt_enc_flush(&e);
	assert_int_equal(e.words * 8, t->len);
}

#endif
