/*
 * Encoder/decoder round trips (every record type, every field at its
 * extremes, long random traces, the batched execution API) and the
 * decoder on damage: random garbage, bytes flipped in a real trace,
 * resynchronisation at the next SYNC, tiny inputs.
 */
#include "pdt_test.h"

/* xorshift64*: a fixed, seedable sequence for reproducible random tests. */
static uint64_t rng_state;
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

static struct pdt_ctx random_ctx(void)
{
	struct pdt_ctx c = {
		.ksu = (uint8_t)(rnd() % 3), .exl = rnd() & 1, .erl = rnd() & 1,
		.guest = rnd() & 1, .asid = (uint8_t)rnd(),
	};
	c.guestid = c.guest ? (uint8_t)rnd() : 0;
	return c;
}

/* A random valid record of any type (never PAD or GAP). */
static struct pdt_record random_record(void)
{
	struct pdt_record r = { 0 };
	switch (rnd() % 9) {
	case 0: {
		unsigned bits = 1 + rnd() % 64;
		r.type = PDT_ICNT;
		r.icnt.n = (rnd() >> (64 - bits)) | 1;
		break;
	}
	case 1:
		r.type = PDT_BRANCH;
		r.branch.n = (uint8_t)(1 + rnd() % 8);
		r.branch.bits = (uint8_t)(rnd() & ((1u << r.branch.n) - 1));
		break;
	case 2:
		r.type = PDT_TARGET;
		r.target.pc = (uint32_t)rnd();
		break;
	case 3:
		r.type = PDT_EXCEPTION;
		r.exc.code = (uint8_t)rnd();
		r.exc.root = rnd() & 1;
		r.exc.vector = (uint32_t)rnd();
		break;
	case 4:
		r.type = PDT_MODE;
		r.mode = random_ctx();
		break;
	case 5:
		r.type = PDT_UTM;
		r.utm.chan = (uint8_t)(1 + rnd() % 2);
		r.utm.value = (uint32_t)rnd();
		break;
	case 6:
		r.type = PDT_MEM;
		r.mem.store = rnd() & 1;
		r.mem.has_data = rnd() & 1;
		r.mem.size = (uint8_t)(1u << (rnd() % 3));
		r.mem.addr = (uint32_t)rnd();
		r.mem.data = r.mem.has_data ? (uint32_t)rnd() : 0;
		break;
	case 7:
		r.type = PDT_OVERFLOW;
		r.overflow.lost = (uint32_t)rnd();
		break;
	default:
		r.type = PDT_SYNC;
		r.sync.pc = (uint32_t)rnd();
		r.sync.ctx = random_ctx();
		r.sync.index = rnd();
		break;
	}
	return r;
}

/* Encodes recs, decodes, and checks the very same records come back. */
static void round_trip(const struct pdt_record *recs, size_t n)
{
	struct tbuf t = { 0 };
	encode_all(&t, recs, n);
	struct pdt_record *got = calloc(n + 2, sizeof *got);
	assert_non_null(got);
	size_t m = decode_all(t.b, t.len, got, n + 2);
	assert_int_equal(m, n);
	for (size_t i = 0; i < n; i++)
		assert_rec_eq(&got[i], &recs[i], false);
	free(got);
	tbuf_free(&t);
}

static void test_round_trip_extremes(void **state)
{
	(void)state;
	struct pdt_record recs[2048];
	size_t n = 0;
	recs[n++] = (struct pdt_record)R_SYNC(0, 0, KERNEL, 0, 0, 0, 0, 0, 0);
	for (unsigned b = 0; b < 64; b++) {
		recs[n++] = (struct pdt_record)R_ICNT(0, UINT64_C(1) << b);
		recs[n++] = (struct pdt_record)R_ICNT(0, (UINT64_C(1) << b) | ((UINT64_C(1) << b) - 1));
	}
	for (unsigned nb = 1; nb <= 8; nb++)
		for (unsigned bits = 0; bits < (1u << nb); bits += nb < 5 ? 1 : 37)
			recs[n++] = (struct pdt_record)R_BRANCH(0, nb, bits);
	recs[n++] = (struct pdt_record)R_BRANCH(0, 8, 0xff);
	const uint32_t u32[] = { 0, 1, 0x7fffffff, 0x80000000u, 0xfffffffeu, 0xffffffffu };
	for (size_t i = 0; i < 6; i++) {
		recs[n++] = (struct pdt_record)R_TARGET(0, u32[i]);
		recs[n++] = (struct pdt_record)R_UTM(0, 1 + i % 2, u32[i]);
		recs[n++] = (struct pdt_record)R_OVERFLOW(0, u32[i]);
		recs[n++] = (struct pdt_record)R_EXC(0, 0, i & 1, u32[i]);
	}
	for (unsigned code = 0; code < 256; code += 17)
		recs[n++] = (struct pdt_record)R_EXC(0, code, code & 1, 0x80000180u);
	recs[n++] = (struct pdt_record)R_EXC(0, 255, 1, 0);
	for (unsigned m = 0; m < 0x20; m++) {
		if ((m & 3) == 3)
			continue;
		struct pdt_ctx c = pdt_ctx_unpack((uint8_t)m, (uint8_t)(m * 9), 0);
		for (unsigned g = 0; g < 2; g++) {
			c.guestid = c.guest ? (uint8_t)(g ? 0xff : 0) : 0;
			c.asid = g ? 0xff : 0;
			recs[n] = (struct pdt_record){ .type = PDT_MODE, .mode = c };
			n++;
			recs[n] = (struct pdt_record){ .type = PDT_SYNC,
				.sync = { .pc = g ? 0xffffffffu : 0, .ctx = c,
					  .index = g ? UINT64_MAX : 0 } };
			n++;
		}
	}
	for (unsigned f = 0; f < 16; f++) {
		if ((f & 3) == 3)
			continue;
		recs[n++] = (struct pdt_record)R_MEM(0, (f >> 3) & 1, 1u << (f & 3), u32[f % 6],
						     (f >> 2) & 1, (f >> 2) & 1 ? u32[5 - f % 6] : 0);
	}
	assert_true(n <= sizeof recs / sizeof recs[0]);
	round_trip(recs, n);
}

static void test_round_trip_random(void **state)
{
	(void)state;
	enum { N = 20000 };
	struct pdt_record *recs = calloc(N, sizeof *recs);
	assert_non_null(recs);
	for (uint64_t seed = 1; seed <= 8; seed++) {
		rng_state = seed * 0x9e3779b97f4a7c15ull;
		size_t n = 1 + rnd() % N;
		recs[0] = (struct pdt_record)R_SYNC(0, 0x80000000u, KERNEL, 0, 0, 0, 0, 0, 0);
		for (size_t i = 1; i < n; i++)
			recs[i] = random_record();
		round_trip(recs, n);
	}
	free(recs);
}

/*
 * The batched API: random runs of instructions and branch outcomes between
 * event records.  Decoded, the ICNT counts between two events add up to
 * the instructions, and the BRANCH bits are the outcomes, in order.
 */
static void test_batched_execution(void **state)
{
	(void)state;
	enum { EVENTS = 3000, MAXB = 64 };
	struct {
		uint64_t insns;
		uint8_t bits[MAXB];
		unsigned nbits;
		struct pdt_record ev;
	} *seg = calloc(EVENTS, sizeof *seg);
	assert_non_null(seg);
	rng_state = 42;
	struct tbuf t = { 0 };
	struct pdt_encoder e;
	pdt_enc_init(&e, tbuf_sink, &t);
	const struct pdt_record s0 = R_SYNC(0, 0x80000000u, KERNEL, 0, 0, 0, 0, 0, 0);
	assert_int_equal(pdt_enc_record(&e, &s0), PDT_OK);
	for (size_t i = 0; i < EVENTS; i++) {
		unsigned steps = (unsigned)(rnd() % 40);
		for (unsigned k = 0; k < steps; k++) {
			if (rnd() % 3 == 0 && seg[i].nbits < MAXB) {
				bool taken = rnd() & 1;
				seg[i].bits[seg[i].nbits++] = taken;
				pdt_enc_branch(&e, taken);
			} else {
				uint64_t n = rnd() % 4 == 0 ? rnd() % 100000 : 1 + rnd() % 20;
				seg[i].insns += n;
				pdt_enc_insns(&e, n);
			}
		}
		do
			seg[i].ev = random_record();
		while (seg[i].ev.type == PDT_ICNT || seg[i].ev.type == PDT_BRANCH);
		assert_int_equal(pdt_enc_record(&e, &seg[i].ev), PDT_OK);
	}
	pdt_enc_flush(&e);

	struct pdt_decoder d;
	struct pdt_record r;
	pdt_dec_init(&d, t.b, t.len);
	assert_int_equal(pdt_dec_next(&d, &r), PDT_OK);
	assert_rec_eq(&r, &s0, false);
	for (size_t i = 0; i < EVENTS; i++) {
		uint64_t insns = 0;
		unsigned nbits = 0;
		for (;;) {
			assert_int_equal(pdt_dec_next(&d, &r), PDT_OK);
			if (r.type == PDT_ICNT) {
				insns += r.icnt.n;
			} else if (r.type == PDT_BRANCH) {
				for (unsigned k = 0; k < r.branch.n; k++, nbits++) {
					assert_true(nbits < seg[i].nbits);
					assert_int_equal((r.branch.bits >> k) & 1, seg[i].bits[nbits]);
				}
			} else {
				break;
			}
		}
		assert_true(insns == seg[i].insns);
		assert_int_equal(nbits, seg[i].nbits);
		assert_rec_eq(&r, &seg[i].ev, false);
	}
	assert_int_equal(pdt_dec_next(&d, &r), PDT_E_EOS);
	tbuf_free(&t);
	free(seg);
}

/* Tiny inputs: nothing, less than a word, one word, no marker. */
static void test_tiny_inputs(void **state)
{
	(void)state;
	struct pdt_decoder d;
	struct pdt_record r;
	pdt_dec_init(&d, NULL, 0);
	assert_int_equal(pdt_dec_next(&d, &r), PDT_E_EOS);
	assert_int_equal(pdt_dec_next(&d, &r), PDT_E_EOS);

	const uint8_t marker[] = { MARKER };
	for (size_t len = 1; len <= 8; len++) {
		struct pdt_record got[4];
		size_t n = decode_all(marker, len, got, 4);
		assert_int_equal(n, 1);
		/* Under a word: a partial word; a lone marker: a cut SYNC. */
		struct pdt_record want = R_GAP(0, TRUNCATED, len);
		assert_rec_eq(&got[0], &want, true);
	}
	const uint8_t zeros[16] = { 0 };
	struct pdt_record got[4];
	assert_int_equal(decode_all(zeros, 16, got, 4), 1);
	struct pdt_record want = R_GAP(0, UNSYNCED, 16);
	assert_rec_eq(&got[0], &want, true);
}

/* Pure noise never crashes, hangs or reads outside the input. */
static void test_random_garbage(void **state)
{
	(void)state;
	rng_state = 7;
	for (int iter = 0; iter < 2000; iter++) {
		size_t len = rnd() % 300;
		uint8_t *b = malloc(len ? len : 1);
		assert_non_null(b);
		for (size_t i = 0; i < len; i++)
			b[i] = (uint8_t)rnd();
		/* Plant markers at random word boundaries, so some syncs happen. */
		for (size_t w = 0; w + 8 <= len; w += 8)
			if (rnd() % 4 == 0) {
				const uint8_t m[] = { MARKER };
				memcpy(b + w, m, 8);
				if (w + 16 <= len && rnd() % 2)
					b[w + 15] = 0xa0;
			}
		struct pdt_record got[400];
		decode_all(b, len, got, 400);
		free(b);
	}
}

/*
 * Damage in a real trace: flip random bytes.  Whatever the decoder makes
 * of it, the records it returns are valid ones, so re-encoding them and
 * decoding again gives the same sequence (without the gaps).
 */
static void test_flipped_bytes(void **state)
{
	(void)state;
	enum { N = 400 };
	struct pdt_record recs[N];
	rng_state = 99;
	recs[0] = (struct pdt_record)R_SYNC(0, 0x80000000u, KERNEL, 0, 0, 0, 0, 0, 0);
	for (size_t i = 1; i < N; i++)
		recs[i] = i % 50 == 0 ? (struct pdt_record)R_SYNC(0, (uint32_t)i, USER, 0, 0, 0, 1, 0, i)
				      : random_record();
	struct tbuf t = { 0 };
	encode_all(&t, recs, N);
	uint8_t *b = malloc(t.len);
	assert_non_null(b);
	for (int iter = 0; iter < 300; iter++) {
		memcpy(b, t.b, t.len);
		int flips = 1 + (int)(rnd() % 4);
		for (int k = 0; k < flips; k++)
			b[rnd() % t.len] ^= (uint8_t)(1u << (rnd() % 8));
		static struct pdt_record got[2 * N + 8], again[2 * N + 8];
		size_t n = decode_all(b, t.len, got, 2 * N + 8);
		size_t kept = 0;
		for (size_t i = 0; i < n; i++)
			if (got[i].type != PDT_GAP)
				got[kept++] = got[i];
		struct tbuf t2 = { 0 };
		encode_all(&t2, got, kept);
		size_t m = decode_all(t2.b, t2.len, again, 2 * N + 8);
		assert_int_equal(m, kept);
		for (size_t i = 0; i < m; i++)
			assert_rec_eq(&again[i], &got[i], false);
		tbuf_free(&t2);
	}
	free(b);
	tbuf_free(&t);
}

/* A damaged record costs only the stretch up to the next SYNC: the
   records from that SYNC on come out unchanged, at their offsets. */
static void test_resync_after_damage(void **state)
{
	(void)state;
	const struct pdt_record recs[] = {
		R_SYNC(0, 0x80000000u, KERNEL, 0, 0, 0, 0, 0, 0),
		R_ICNT(0, 10), R_TARGET(0, 0x80000100u), R_ICNT(0, 5),
		R_BRANCH(0, 2, 1), R_ICNT(0, 7),
		R_SYNC(0, 0x80000200u, KERNEL, 0, 0, 0, 0, 0, 30),
		R_ICNT(0, 3), R_UTM(0, 1, 0xabcd),
	};
	const size_t n = sizeof recs / sizeof recs[0];
	struct tbuf t = { 0 };
	encode_all(&t, recs, n);
	struct pdt_record clean[16];
	assert_int_equal(decode_all(t.b, t.len, clean, 16), n);
	/* Damage the TARGET's header (offset 26 = 24 + ICNT's 2 bytes). */
	assert_int_equal(clean[2].offset, 26);
	t.b[26] = 0xf3;
	struct pdt_record got[16];
	size_t m = decode_all(t.b, t.len, got, 16);
	assert_int_equal(m, 6);
	assert_rec_eq(&got[0], &clean[0], true);
	assert_rec_eq(&got[1], &clean[1], true);
	struct pdt_record g = R_GAP(26, CORRUPT, clean[6].offset - 26);
	assert_rec_eq(&got[2], &g, true);
	assert_rec_eq(&got[3], &clean[6], true);
	assert_rec_eq(&got[4], &clean[7], true);
	assert_rec_eq(&got[5], &clean[8], true);
	tbuf_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_extremes),
		cmocka_unit_test(test_round_trip_random),
		cmocka_unit_test(test_batched_execution),
		cmocka_unit_test(test_tiny_inputs),
		cmocka_unit_test(test_random_garbage),
		cmocka_unit_test(test_flipped_bytes),
		cmocka_unit_test(test_resync_after_damage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
