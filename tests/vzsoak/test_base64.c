/*
 * report.html's base64 encoder (harness/report/base64.c): RFC 4648's test
 * vectors, every padding case, and all byte values (each 6-bit group maps
 * to its own letter, decoded here by a table of the test's own).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness/report/base64.h"

/* The encoding of p[0..n) as a string (freed by the caller). */
static char *encode(const void *p, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	base64_write(f, p, n);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void rfc4648_vectors(void **state)
{
	(void)state;
	static const char *const want[][2] = {
		{"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
		{"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		char *got = encode(want[i][0], strlen(want[i][0]));
		assert_string_equal(got, want[i][1]);
		free(got);
	}
}

static int value_of(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Every byte value, through every position of a 3-byte group, comes back. */
static void all_bytes_round_trip(void **state)
{
	(void)state;
	uint8_t in[258];
	for (size_t i = 0; i < sizeof in; i++)
		in[i] = (uint8_t)(i * 7 + 3);
	for (size_t n = sizeof in - 2; n <= sizeof in; n++) {
		char *got = encode(in, n);
		size_t len = strlen(got);
		assert_int_equal(len, (n + 2) / 3 * 4);
		uint8_t out[sizeof in];
		size_t k = 0;
		uint32_t acc = 0;
		unsigned bits = 0;
		for (size_t i = 0; i < len && got[i] != '='; i++) {
			int v = value_of(got[i]);
			assert_true(v >= 0);
			acc = acc << 6 | (uint32_t)v;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				out[k++] = (uint8_t)(acc >> bits);
			}
		}
		assert_int_equal(k, n);
		assert_memory_equal(out, in, n);
		free(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc4648_vectors),
		cmocka_unit_test(all_bytes_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
