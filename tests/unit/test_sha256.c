/*
 * SHA-256 (util/sha256.h) on the test vectors of FIPS 180-4's examples,
 * fed whole and in uneven pieces, and a file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <util/sha256.h>

static void digest_of(const void *data, size_t len, size_t piece, char hex[65])
{
	struct sha256 s;
	sha256_init(&s);
	const uint8_t *p = data;
	while (len) {
		size_t n = piece && piece < len ? piece : len;
		sha256_update(&s, p, n);
		p += n;
		len -= n;
	}
	sha256_hex(&s, hex);
}

static void check(const char *msg, const char *want)
{
	char hex[65];
	size_t pieces[] = {0, 1, 3, 55, 56, 63, 64, 65};
	for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++) {
		digest_of(msg, strlen(msg), pieces[i], hex);
		assert_string_equal(hex, want);
	}
}

static void test_vectors(void **state)
{
	(void)state;
	check("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_million_a(void **state)
{
	(void)state;
	char *a = malloc(1000000);
	assert_non_null(a);
	memset(a, 'a', 1000000);
	char hex[65];
	digest_of(a, 1000000, 4096, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(a);
}

static void test_file(void **state)
{
	(void)state;
	char path[] = "/tmp/vzsoak-sha256-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "abc", 3), 3);
	close(fd);
	char hex[65];
	assert_int_equal(sha256_file(path, hex), 0);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	unlink(path);
	assert_int_equal(sha256_file(path, hex), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_million_a),
		cmocka_unit_test(test_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
