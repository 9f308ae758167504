/*
 * Records as words: type, gap and error names, the VZT1 mode byte, and
 * the exact text and JSON forms `pdtrace dump` prints, including how they
 * behave in a buffer that is too small.
 */
#include "pdt_test.h"

#include <stdio.h>

static void test_names(void **state)
{
	(void)state;
	const char *want[PDT_NTYPES] = {
		"PAD", "ICNT", "BRANCH", "TARGET", "EXCEPTION", "MODE", "UTM", "MEM",
		"OVERFLOW", "SYNC", "GAP",
	};
	for (int t = 0; t < PDT_NTYPES; t++)
		assert_string_equal(pdt_type_name((enum pdt_type)t), want[t]);
	assert_string_equal(pdt_type_name(PDT_NTYPES), "?");
	assert_string_equal(pdt_type_name((enum pdt_type)-1), "?");
	assert_string_equal(pdt_gap_name(PDT_GAP_UNSYNCED), "unsynced");
	assert_string_equal(pdt_gap_name(PDT_GAP_CORRUPT), "corrupt");
	assert_string_equal(pdt_gap_name(PDT_GAP_TRUNCATED), "truncated");
	assert_string_equal(pdt_gap_name((enum pdt_gap_reason)0), "?");
}

static void test_errstr(void **state)
{
	(void)state;
	/* Every error has its own name; unknown ones say so. */
	const int errs[] = { PDT_OK, PDT_E_EOS, PDT_E_IO, PDT_E_FORMAT, PDT_E_VERSION,
			     PDT_E_NOMEM, PDT_E_INVAL };
	for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
		assert_string_not_equal(pdt_errstr(errs[i]), "unknown error");
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(pdt_errstr(errs[i]), pdt_errstr(errs[j]));
	}
	assert_string_equal(pdt_errstr(-99), "unknown error");
	assert_string_equal(pdt_errstr(1), "unknown error");
}

static void test_ctx_pack(void **state)
{
	(void)state;
	/* Every valid context survives pack/unpack; the bits are the doc's. */
	for (unsigned m = 0; m < 256; m++) {
		struct pdt_ctx c = pdt_ctx_unpack((uint8_t)m, 0x5a, 7);
		assert_int_equal(c.ksu, m & 3);
		assert_int_equal(c.exl, (m >> 2) & 1);
		assert_int_equal(c.erl, (m >> 3) & 1);
		assert_int_equal(c.guest, (m >> 4) & 1);
		assert_int_equal(c.asid, 0x5a);
		assert_int_equal(c.guestid, 7);
		assert_int_equal(pdt_ctx_pack(&c), m & 0x1f);
	}
	struct pdt_ctx c = { .ksu = PDT_USER, .exl = true, .guest = true };
	assert_int_equal(pdt_ctx_pack(&c), 0x16);
	c = (struct pdt_ctx){ .ksu = PDT_SUPERVISOR, .erl = true };
	assert_int_equal(pdt_ctx_pack(&c), 0x09);
}

struct form {
	struct pdt_record r;
	const char *text, *json;
};

static const struct form forms[] = {
	{ R_ICNT(16, 12), "0000000000000010  ICNT      n=12",
	  "{\"offset\":16,\"type\":\"ICNT\",\"n\":12}" },
	{ R_ICNT(0xffffffffffffffffull, UINT64_MAX),
	  "ffffffffffffffff  ICNT      n=18446744073709551615",
	  "{\"offset\":18446744073709551615,\"type\":\"ICNT\",\"n\":18446744073709551615}" },
	{ R_BRANCH(2, 3, 5), "0000000000000002  BRANCH    n=3 bits=0x05 TNT",
	  "{\"offset\":2,\"type\":\"BRANCH\",\"n\":3,\"bits\":5}" },
	{ R_BRANCH(2, 8, 0x80), "0000000000000002  BRANCH    n=8 bits=0x80 NNNNNNNT",
	  "{\"offset\":2,\"type\":\"BRANCH\",\"n\":8,\"bits\":128}" },
	{ R_TARGET(0x1c, 0x80001000u), "000000000000001c  TARGET    pc=0x80001000",
	  "{\"offset\":28,\"type\":\"TARGET\",\"pc\":\"0x80001000\"}" },
	{ R_EXC(0x2a, 8, 1, 0x80000180u),
	  "000000000000002a  EXCEPTION code=8 Sys by=root vector=0x80000180",
	  "{\"offset\":42,\"type\":\"EXCEPTION\",\"code\":8,\"name\":\"Sys\",\"root\":true,"
	  "\"vector\":\"0x80000180\"}" },
	{ R_EXC(0, 29, 0, 0x180u), "0000000000000000  EXCEPTION code=29 by=guest vector=0x00000180",
	  "{\"offset\":0,\"type\":\"EXCEPTION\",\"code\":29,\"root\":false,"
	  "\"vector\":\"0x00000180\"}" },
	{ R_MODE(0x21, USER, 0, 0, 1, 5, 3), "0000000000000021  MODE      user asid=0x05 guest=3",
	  "{\"offset\":33,\"type\":\"MODE\",\"ksu\":\"user\",\"exl\":false,\"erl\":false,"
	  "\"guest\":true,\"asid\":5,\"guestid\":3}" },
	{ R_MODE(0, KERNEL, 1, 1, 0, 0xff, 0),
	  "0000000000000000  MODE      kernel,exl,erl asid=0xff root",
	  "{\"offset\":0,\"type\":\"MODE\",\"ksu\":\"kernel\",\"exl\":true,\"erl\":true,"
	  "\"guest\":false,\"asid\":255,\"guestid\":0}" },
	{ R_UTM(0x25, 2, 0x12345678u), "0000000000000025  UTM       chan=2 value=0x12345678",
	  "{\"offset\":37,\"type\":\"UTM\",\"chan\":2,\"value\":305419896}" },
	{ R_MEM(0x30, 1, 4, 0x80100000u, 1, 0xdeadbeefu),
	  "0000000000000030  MEM       store size=4 addr=0x80100000 data=0xdeadbeef",
	  "{\"offset\":48,\"type\":\"MEM\",\"store\":true,\"size\":4,\"addr\":\"0x80100000\","
	  "\"data\":3735928559}" },
	{ R_MEM(0x39, 0, 1, 0x80100003u, 0, 0),
	  "0000000000000039  MEM       load size=1 addr=0x80100003",
	  "{\"offset\":57,\"type\":\"MEM\",\"store\":false,\"size\":1,\"addr\":\"0x80100003\"}" },
	{ R_OVERFLOW(0x3e, 7), "000000000000003e  OVERFLOW  lost=7",
	  "{\"offset\":62,\"type\":\"OVERFLOW\",\"lost\":7}" },
	{ R_SYNC(0x50, 0xc0000000u, PDT_SUPERVISOR, 1, 0, 1, 0x7f, 1, 1000),
	  "0000000000000050  SYNC      pc=0xc0000000 supervisor,exl asid=0x7f guest=1 index=1000",
	  "{\"offset\":80,\"type\":\"SYNC\",\"pc\":\"0xc0000000\",\"ksu\":\"supervisor\","
	  "\"exl\":true,\"erl\":false,\"guest\":true,\"asid\":127,\"guestid\":1,\"index\":1000}" },
	{ R_GAP(0, UNSYNCED, 24), "0000000000000000  GAP       unsynced skipped=24",
	  "{\"offset\":0,\"type\":\"GAP\",\"reason\":\"unsynced\",\"skipped\":24}" },
	{ R_GAP(0x1a, CORRUPT, 14), "000000000000001a  GAP       corrupt skipped=14",
	  "{\"offset\":26,\"type\":\"GAP\",\"reason\":\"corrupt\",\"skipped\":14}" },
	{ R_GAP(0x1e, TRUNCATED, 2), "000000000000001e  GAP       truncated skipped=2",
	  "{\"offset\":30,\"type\":\"GAP\",\"reason\":\"truncated\",\"skipped\":2}" },
	{ { .type = PDT_PAD, .offset = 3 }, "0000000000000003  PAD",
	  "{\"offset\":3,\"type\":\"PAD\"}" },
};

static void test_text_and_json(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		char buf[256];
		size_t n = pdt_record_text(&forms[i].r, buf, sizeof buf);
		assert_string_equal(buf, forms[i].text);
		assert_int_equal(n, strlen(forms[i].text));
		n = pdt_record_json(&forms[i].r, buf, sizeof buf);
		assert_string_equal(buf, forms[i].json);
		assert_int_equal(n, strlen(forms[i].json));
	}
}

/* A short buffer gets a NUL-terminated prefix; the return value is the
   whole length, like snprintf; len 0 writes nothing. */
static void test_small_buffers(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		const char *want[2] = { forms[i].text, forms[i].json };
		for (int j = 0; j < 2; j++) {
			size_t full = strlen(want[j]);
			for (size_t len = 0; len <= full + 1; len++) {
				char *buf = malloc(len ? len : 1);
				assert_non_null(buf);
				if (!len)
					buf[0] = 'x';
				size_t n = j ? pdt_record_json(&forms[i].r, buf, len)
					     : pdt_record_text(&forms[i].r, buf, len);
				assert_int_equal(n, full);
				if (len) {
					assert_int_equal(strlen(buf), len - 1 < full ? len - 1 : full);
					assert_memory_equal(buf, want[j], strlen(buf));
				} else {
					assert_int_equal(buf[0], 'x');
				}
				free(buf);
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_errstr),
		cmocka_unit_test(test_ctx_pack),
		cmocka_unit_test(test_text_and_json),
		cmocka_unit_test(test_small_buffers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
