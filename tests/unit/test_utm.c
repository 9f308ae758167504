/*
 * The hypervisor's user trace messages (hypervisor/include/vzsoak/utm.h):
 * header layout, round trips of every kind, and what the decoder rejects.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <vzsoak/utm.h>

static void test_header_layout(void **state)
{
	(void)state;
	/* magic 31:24, kind 23:20, version 19:16, GuestID 15:8, count 7:0 */
	assert_int_equal(utm_header(UTM_EXIT, 3, 9), 0xd7210309u);
	assert_int_equal(utm_header(UTM_MARKER, 0, 1), 0xd7310001u);
	assert_int_equal(utm_header(UTM_HEARTBEAT, 255, 1), 0xd751ff01u);
	assert_int_equal(utm_header(UTM_VIRQ, 2, 1), 0xd7610201u);
}

static void test_code_fields(void **state)
{
	(void)state;
	uint32_t c = UTM_CODE(27, 2, 0x3ff);
	assert_int_equal(c, 0x03ff021bu);
	assert_int_equal(UTM_CODE_EXC(c), 27);
	assert_int_equal(UTM_CODE_GEXC(c), 2);
	assert_int_equal(UTM_CODE_HC(c), 0x3ff);
	assert_int_equal(UTM_CODE(0, 0, 0), 0);
}

static void test_vmexit_round_trip(void **state)
{
	(void)state;
	struct utm_vmexit e = {
		.code = UTM_CODE(27, 0, 0), .pc = 0x80000420, .epc = 0x80001234,
		.status = 0x3, .cause = 0x8, .badvaddr = 0x00400000,
		.entryhi = 0x00400012, .pagemask = 0x6000, .index = 0x80000000,
	};
	uint32_t p[UTM_VMEXIT_WORDS], w[16];
	utm_vmexit_words(&e, p);
	size_t n = utm_encode(w, 16, UTM_EXIT, 5, p, UTM_VMEXIT_WORDS);
	assert_int_equal(n, 10);
	assert_int_equal(w[0], 0xd7210509u);
	assert_int_equal(w[1], e.code);
	assert_int_equal(w[9], e.index);

	struct utm_msg m;
	assert_int_equal(utm_decode(w, n, &m), 10);
	assert_int_equal(m.kind, UTM_EXIT);
	assert_int_equal(m.gid, 5);
	assert_int_equal(m.nwords, 9);
	struct utm_vmexit d;
	utm_vmexit_from_words(m.payload, &d);
	assert_memory_equal(&d, &e, sizeof e);
}

static void test_small_kinds_round_trip(void **state)
{
	(void)state;
	static const struct { unsigned kind, n; } k[] = {
		{ UTM_MARKER, 1 }, { UTM_HEARTBEAT, 1 }, { UTM_ANOMALY, 2 },
		{ UTM_ENTRY, 9 }, { UTM_VIRQ, 1 },
	};
	for (unsigned i = 0; i < sizeof k / sizeof k[0]; i++) {
		uint32_t p[9] = { 0xdeadbeef, 0x12345678, 3, 4, 5, 6, 7, 8, 9 };
		uint32_t w[16];
		struct utm_msg m;
		size_t n = utm_encode(w, 16, k[i].kind, 1, p, k[i].n);
		assert_int_equal(n, k[i].n + 1);
		assert_int_equal(utm_decode(w, n, &m), (int)n);
		assert_int_equal(m.kind, k[i].kind);
		assert_memory_equal(m.payload, p, k[i].n * 4);
	}
	assert_int_equal(utm_payload_words(0), 0);
	assert_int_equal(utm_payload_words(7), 0);
	assert_string_equal(utm_kind_name(UTM_ANOMALY), "anomaly");
	assert_string_equal(utm_kind_name(UTM_VIRQ), "virq");
	assert_string_equal(utm_kind_name(9), "?");
}

static void test_encode_rejects(void **state)
{
	(void)state;
	uint32_t p[9] = { 0 }, w[16];
	assert_int_equal(utm_encode(w, 16, UTM_MARKER, 1, p, 2), 0);  /* length */
	assert_int_equal(utm_encode(w, 16, 0, 1, p, 1), 0);           /* kind */
	assert_int_equal(utm_encode(w, 9, UTM_EXIT, 1, p, 9), 0);     /* room */
	assert_int_equal(utm_encode(w, 2, UTM_MARKER, 1, p, 1), 2);
}

static void test_decode_rejects(void **state)
{
	(void)state;
	struct utm_msg m;
	uint32_t w[4] = { 0, 0, 0, 0 };
	assert_int_equal(utm_decode(w, 0, &m), UTM_ERR_MAGIC);
	w[0] = 0x12345678;
	assert_int_equal(utm_decode(w, 4, &m), UTM_ERR_MAGIC);
	w[0] = utm_header(UTM_MARKER, 1, 1) ^ (1u << 17); /* version 3 */
	assert_int_equal(utm_decode(w, 4, &m), UTM_ERR_VERSION);
	w[0] = utm_header(7, 1, 1);
	assert_int_equal(utm_decode(w, 4, &m), UTM_ERR_KIND);
	w[0] = utm_header(UTM_MARKER, 1, 3);
	assert_int_equal(utm_decode(w, 4, &m), UTM_ERR_KIND);
	w[0] = utm_header(UTM_ANOMALY, 1, 2);
	assert_int_equal(utm_decode(w, 2, &m), UTM_ERR_SHORT);
	assert_int_equal(utm_decode(w, 3, &m), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_layout),
		cmocka_unit_test(test_code_fields),
		cmocka_unit_test(test_vmexit_round_trip),
		cmocka_unit_test(test_small_kinds_round_trip),
		cmocka_unit_test(test_encode_rejects),
		cmocka_unit_test(test_decode_rejects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
