/*
 * The encoder, byte for byte: packing into words (byte 0 = least
 * significant), ICNT/BRANCH batching as docs/trace-format.md describes,
 * SYNC at a word boundary after PAD, flushing, and the records it refuses
 * (without side effects).
 */
#include "pdt_test.h"

struct enc {
	struct pdt_encoder e;
	struct tbuf t;
};

static void enc_init(struct enc *x)
{
	x->t = (struct tbuf){ 0 };
	pdt_enc_init(&x->e, tbuf_sink, &x->t);
}

#define assert_bytes(x, ...) do { \
	const uint8_t want_[] = { __VA_ARGS__ }; \
	if ((x)->t.len != sizeof want_) \
		fail_msg("%zu bytes written, want %zu", (x)->t.len, sizeof want_); \
	for (size_t i_ = 0; i_ < sizeof want_; i_++) \
		if ((x)->t.b[i_] != want_[i_]) \
			fail_msg("byte %zu is 0x%02x, want 0x%02x", i_, (x)->t.b[i_], want_[i_]); \
} while (0)

static void test_word_packing(void **state)
{
	(void)state;
	struct enc x;
	uint64_t words[4];
	size_t nw = 0;
	enc_init(&x);
	const struct pdt_record t = R_TARGET(0, 0x44332211u);
	/* Two TARGETs: 10 bytes, one full word out, two bytes waiting. */
	assert_int_equal(pdt_enc_record(&x.e, &t), PDT_OK);
	assert_int_equal(x.e.fill, 5);
	assert_int_equal(x.e.words, 0);
	assert_int_equal(pdt_enc_record(&x.e, &t), PDT_OK);
	assert_int_equal(x.e.words, 1);
	assert_int_equal(x.e.fill, 2);
	/* The first word as a number: header in bits 7..0. */
	for (size_t i = 0; i < x.t.len / 8; i++) {
		words[nw] = 0;
		for (unsigned k = 0; k < 8; k++)
			words[nw] |= (uint64_t)x.t.b[8 * i + k] << (8 * k);
		nw++;
	}
	assert_int_equal(nw, 1);
	assert_true(words[0] == 0x2211304433221130ull);
	pdt_enc_flush(&x.e);
	assert_int_equal(x.e.words, 2);
	assert_int_equal(x.e.fill, 0);
	assert_bytes(&x, 0x30, 0x11, 0x22, 0x33, 0x44, 0x30, 0x11, 0x22,
		     0x33, 0x44, 0, 0, 0, 0, 0, 0);
	/* Flushing an empty word writes nothing. */
	pdt_enc_flush(&x.e);
	assert_int_equal(x.e.words, 2);
	tbuf_free(&x.t);
}

static void test_icnt_batching(void **state)
{
	(void)state;
	struct enc x;
	enc_init(&x);
	pdt_enc_insns(&x.e, 5);
	pdt_enc_insns(&x.e, 0);
	pdt_enc_insns(&x.e, 7);
	assert_int_equal(x.e.pend_icnt, 12);
	assert_int_equal(x.t.len, 0);
	assert_int_equal(x.e.fill, 0); /* nothing written while pending */
	pdt_enc_flush(&x.e);
	assert_bytes(&x, 0x11, 0x0c, 0, 0, 0, 0, 0, 0);
	tbuf_free(&x.t);

	/* The shortest count: 1..8 bytes at each boundary. */
	const uint64_t ns[] = { 0xff, 0x100, 0xffff, 0x10000, 0xffffffff, 0x100000000ull,
				0x00ffffffffffffffull, 0x0100000000000000ull };
	const uint8_t heads[] = { 0x11, 0x12, 0x12, 0x13, 0x14, 0x15, 0x17, 0x18 };
	for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
		enc_init(&x);
		pdt_enc_insns(&x.e, ns[i]);
		pdt_enc_flush_pending(&x.e);
		assert_int_equal(x.e.fill, (1 + (heads[i] & 15)) % 8);
		pdt_enc_flush(&x.e);
		assert_int_equal(x.t.b[0], heads[i]);
		uint64_t n = 0;
		for (unsigned k = 0; k < (heads[i] & 15u); k++)
			n |= (uint64_t)x.t.b[1 + k] << (8 * k);
		assert_true(n == ns[i]);
		tbuf_free(&x.t);
	}

	/* A pending count that would wrap is written out first. */
	enc_init(&x);
	pdt_enc_insns(&x.e, UINT64_MAX);
	pdt_enc_insns(&x.e, 2);
	assert_int_equal(x.e.pend_icnt, 2);
	pdt_enc_flush(&x.e);
	assert_bytes(&x, 0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		     0xff, 0x11, 0x02, 0, 0, 0, 0, 0);
	tbuf_free(&x.t);
}

static void test_branch_batching(void **state)
{
	(void)state;
	struct enc x;
	enc_init(&x);
	/* T N T: one BRANCH of 3 when flushed, oldest in bit 0. */
	pdt_enc_branch(&x.e, true);
	pdt_enc_branch(&x.e, false);
	pdt_enc_branch(&x.e, true);
	assert_int_equal(x.e.pend_nbits, 3);
	pdt_enc_flush(&x.e);
	assert_bytes(&x, 0x23, 0x05, 0, 0, 0, 0, 0, 0);
	tbuf_free(&x.t);

	/* The eighth bit writes a BRANCH at once; the ICNT stays pending
	   (separate queues) until the next other record. */
	enc_init(&x);
	pdt_enc_insns(&x.e, 3);
	for (int i = 0; i < 8; i++)
		pdt_enc_branch(&x.e, i & 1);
	assert_int_equal(x.e.pend_nbits, 0);
	assert_int_equal(x.e.fill, 2);
	assert_int_equal(x.e.pend_icnt, 3);
	pdt_enc_insns(&x.e, 2);
	pdt_enc_branch(&x.e, true);
	const struct pdt_record t = R_TARGET(0, 0x80000010u);
	assert_int_equal(pdt_enc_record(&x.e, &t), PDT_OK);
	assert_int_equal(x.e.pend_icnt, 0);
	assert_int_equal(x.e.pend_nbits, 0);
	pdt_enc_flush(&x.e);
	assert_bytes(&x, 0x28, 0xaa, 0x11, 0x05, 0x21, 0x01, 0x30, 0x10,
		     0x00, 0x00, 0x80, 0, 0, 0, 0, 0);
	tbuf_free(&x.t);

	/* Nine branches: a full BRANCH and one of 1. */
	enc_init(&x);
	for (int i = 0; i < 9; i++)
		pdt_enc_branch(&x.e, i == 0 || i == 8);
	pdt_enc_flush_pending(&x.e);
	assert_int_equal(x.t.len, 0);
	pdt_enc_flush(&x.e);
	assert_bytes(&x, 0x28, 0x01, 0x21, 0x01, 0, 0, 0, 0);
	tbuf_free(&x.t);
}

static void test_sync_alignment(void **state)
{
	(void)state;
	struct enc x;
	enc_init(&x);
	pdt_enc_insns(&x.e, 1);
	const struct pdt_record s = R_SYNC(0, 0x80001000u, KERNEL, 0, 0, 1, 0x12, 0x34, 0x99);
	assert_int_equal(pdt_enc_record(&x.e, &s), PDT_OK);
	/* The pending ICNT, PAD up to the boundary, three whole words. */
	assert_int_equal(x.e.words, 4);
	assert_int_equal(x.e.fill, 0);
	assert_bytes(&x, 0x11, 0x01, 0, 0, 0, 0, 0, 0,
		     MARKER,
		     0x00, 0x10, 0x00, 0x80, 0x10, 0x12, 0x34, 0xa0,
		     0x99, 0, 0, 0, 0, 0, 0, 0);
	/* A SYNC at a boundary needs no PAD. */
	assert_int_equal(pdt_enc_record(&x.e, &s), PDT_OK);
	assert_int_equal(x.e.words, 7);
	assert_int_equal(x.t.len, 56);
	tbuf_free(&x.t);
}

/*
 * A 9-byte record starting at byte 7 of a word whose last 8 bytes are the
 * sync marker would forge a SYNC; the encoder shifts it by one PAD.  (The
 * fuzzer found this: a store of 0xa55a5aa5 to 0xc33c3cc3, traced with its
 * data.)
 */
static void test_no_forged_marker(void **state)
{
	(void)state;
	/* SYNC 0..23, ICNT 24..29, BRANCH 30..31, ICNT 32..38: the next record
	   starts at byte 7 of the word at 32. */
	const struct pdt_record s = R_SYNC(0, 0x80000000u, KERNEL, 0, 0, 0, 0, 0, 0),
		pre = R_ICNT(0, 0x0102030405ull), br = R_BRANCH(0, 1, 0),
		pre7 = R_ICNT(0, 0x010203040506ull),
		mem = R_MEM(0, 1, 4, 0xc33c3cc3u, 1, 0xa55a5aa5u),
		icnt = R_ICNT(0, 0xa55a5aa5c33c3cc3ull), u = R_UTM(0, 1, 5);
	for (int which = 0; which < 2; which++) {
		const struct pdt_record recs[] = { s, pre, br, pre7, which ? icnt : mem, u };
		struct tbuf t = { 0 };
		encode_all(&t, recs, 6);
		/* A PAD at 39 moves it to 40. */
		assert_int_equal(t.b[39], 0x00);
		assert_int_equal(t.b[40], which ? 0x18 : 0x7e);
		struct pdt_record got[8];
		assert_int_equal(decode_all(t.b, t.len, got, 8), 6);
		for (int i = 0; i < 6; i++)
			assert_rec_eq(&got[i], &recs[i], false);
		tbuf_free(&t);
	}
	/* Anywhere else, or with other bytes, no PAD. */
	struct tbuf t = { 0 };
	const struct pdt_record recs[] = { s, pre, br, mem, u };
	encode_all(&t, recs, 5);
	assert_int_equal(t.b[32], 0x7e);
	tbuf_free(&t);
}

/* Records no writer may produce are refused, and nothing changes. */
static void test_refused(void **state)
{
	(void)state;
	const struct pdt_record bad[] = {
		{ .type = PDT_PAD },
		R_GAP(0, CORRUPT, 1),
		{ .type = PDT_NTYPES },
		{ .type = (enum pdt_type)99 },
		R_ICNT(0, 0),
		R_BRANCH(0, 0, 0),
		R_BRANCH(0, 9, 0),
		R_BRANCH(0, 2, 4),
		R_BRANCH(0, 7, 0x80),
		R_UTM(0, 0, 1),
		R_UTM(0, 3, 1),
		R_MEM(0, 0, 0, 0, 0, 0),
		R_MEM(0, 0, 3, 0, 0, 0),
		R_MEM(0, 1, 8, 0, 1, 0),
		R_MODE(0, 3, 0, 0, 0, 0, 0),
		R_MODE(0, KERNEL, 0, 0, 0, 0, 1),
		R_SYNC(0, 0, 3, 0, 0, 0, 0, 0, 0),
		R_SYNC(0, 0, USER, 0, 0, 0, 0, 9, 0),
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct enc x;
		enc_init(&x);
		pdt_enc_insns(&x.e, 4);
		pdt_enc_branch(&x.e, true);
		const struct pdt_record t = R_TARGET(0, 1);
		assert_int_equal(pdt_enc_record(&x.e, &t), PDT_OK);
		pdt_enc_insns(&x.e, 4);
		pdt_enc_branch(&x.e, true);
		struct pdt_encoder before = x.e;
		if (pdt_enc_record(&x.e, &bad[i]) != PDT_E_INVAL)
			fail_msg("bad record %zu accepted", i);
		assert_true(before.word == x.e.word && before.fill == x.e.fill &&
			    before.words == x.e.words && before.pend_icnt == x.e.pend_icnt &&
			    before.pend_bits == x.e.pend_bits &&
			    before.pend_nbits == x.e.pend_nbits);
		assert_int_equal(x.t.len, 8);
		tbuf_free(&x.t);
	}
	/* ...and their valid neighbours are accepted. */
	const struct pdt_record good[] = {
		R_BRANCH(0, 8, 0xff), R_BRANCH(0, 1, 1), R_UTM(0, 1, 0), R_UTM(0, 2, 0),
		R_MEM(0, 0, 1, 0, 0, 0), R_MEM(0, 1, 2, 0, 1, 0), R_MEM(0, 1, 4, 0, 1, 0),
		R_MODE(0, USER, 1, 1, 1, 0xff, 0xff), R_MODE(0, PDT_SUPERVISOR, 0, 0, 1, 0, 0),
		R_EXC(0, 255, 0, 0), R_OVERFLOW(0, 0), R_ICNT(0, 1),
	};
	struct enc x;
	enc_init(&x);
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		if (pdt_enc_record(&x.e, &good[i]) != PDT_OK)
			fail_msg("good record %zu refused", i);
	pdt_enc_flush(&x.e);
	tbuf_free(&x.t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_word_packing),
		cmocka_unit_test(test_icnt_batching),
		cmocka_unit_test(test_branch_batching),
		cmocka_unit_test(test_sync_alignment),
		cmocka_unit_test(test_no_forged_marker),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
