/*
 * The initramfs writer (linux/cpio.c): archives read back by a newc reader
 * of the test's own, field by field, with the padding the format asks for;
 * the same members give the same bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <initramfs/cpio.h>

struct entry {
	unsigned long f[13]; /* ino mode uid gid nlink mtime size devmaj devmin rmaj rmin namesize check */
	char name[64];
	const uint8_t *data;
};

static unsigned long hex8(const char *p)
{
	char buf[9];
	memcpy(buf, p, 8);
	buf[8] = 0;
	for (int i = 0; i < 8; i++)
		assert_non_null(strchr("0123456789ABCDEF", buf[i]));
	return strtoul(buf, NULL, 16);
}

/* The member at *off; moves *off past it. */
static struct entry next(const uint8_t *b, size_t len, size_t *off)
{
	struct entry e;
	assert_true(*off + CPIO_HEADER_SIZE <= len);
	assert_int_equal(*off % 4, 0);
	assert_memory_equal(b + *off, "070701", 6);
	for (int i = 0; i < 13; i++)
		e.f[i] = hex8((const char *)b + *off + 6 + 8 * i);
	size_t namesize = e.f[11];
	assert_true(namesize > 0 && namesize < sizeof e.name);
	memcpy(e.name, b + *off + CPIO_HEADER_SIZE, namesize);
	assert_int_equal(e.name[namesize - 1], 0);
	size_t data = (*off + CPIO_HEADER_SIZE + namesize + 3) & ~(size_t)3;
	for (size_t i = *off + CPIO_HEADER_SIZE + namesize; i < data; i++)
		assert_int_equal(b[i], 0);
	e.data = b + data;
	*off = (data + e.f[6] + 3) & ~(size_t)3;
	assert_true(*off <= len);
	return e;
}

static uint8_t *archive(size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	assert_non_null(f);
	struct cpio_writer w;
	cpio_init(&w, f);
	assert_int_equal(cpio_dir(&w, "bin", 0755), 0);
	assert_int_equal(cpio_file(&w, "bin/hello", 04755, "hello", 5), 0);
	assert_int_equal(cpio_symlink(&w, "bin/sh", "hello"), 0);
	assert_int_equal(cpio_node(&w, "console", 0600, 'c', 5, 1), 0);
	assert_int_equal(cpio_node(&w, "sda", 0660, 'b', 8, 0), 0);
	assert_int_equal(cpio_file(&w, "empty", 0644, "", 0), 0);
	assert_int_equal(cpio_finish(&w), 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(w.written, *len);
	return (uint8_t *)buf;
}

static void test_members_read_back(void **state)
{
	(void)state;
	size_t len;
	uint8_t *b = archive(&len);
	assert_int_equal(len % 4, 0);
	size_t off = 0;
	struct entry e = next(b, len, &off);
	assert_string_equal(e.name, "bin");
	assert_int_equal(e.f[1], 040755);
	assert_int_equal(e.f[0], 1);
	assert_int_equal(e.f[4], 2);
	e = next(b, len, &off);
	assert_string_equal(e.name, "bin/hello");
	assert_int_equal(e.f[1], 0104755);
	assert_int_equal(e.f[6], 5);
	assert_memory_equal(e.data, "hello", 5);
	assert_int_equal(e.f[0], 2);
	e = next(b, len, &off);
	assert_string_equal(e.name, "bin/sh");
	assert_int_equal(e.f[1], 0120777);
	assert_int_equal(e.f[6], 5);
	assert_memory_equal(e.data, "hello", 5);
	e = next(b, len, &off);
	assert_string_equal(e.name, "console");
	assert_int_equal(e.f[1], 020600);
	assert_int_equal(e.f[9], 5);
	assert_int_equal(e.f[10], 1);
	e = next(b, len, &off);
	assert_string_equal(e.name, "sda");
	assert_int_equal(e.f[1], 060660);
	assert_int_equal(e.f[9], 8);
	e = next(b, len, &off);
	assert_string_equal(e.name, "empty");
	assert_int_equal(e.f[6], 0);
	/* Owner root, mtime 0, no checksum, everywhere. */
	e = next(b, len, &off);
	assert_string_equal(e.name, CPIO_TRAILER);
	assert_int_equal(e.f[0], 0);
	assert_int_equal(e.f[1], 0);
	assert_int_equal(off, len);
	for (size_t o = 0; o < len;) {
		struct entry x = next(b, len, &o);
		assert_int_equal(x.f[2], 0);
		assert_int_equal(x.f[3], 0);
		assert_int_equal(x.f[5], 0);
		assert_int_equal(x.f[12], 0);
	}
	free(b);
}

static void test_same_members_same_bytes(void **state)
{
	(void)state;
	size_t l1, l2;
	uint8_t *a = archive(&l1), *b = archive(&l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(a, b, l1);
	free(a);
	free(b);
}

static void test_write_failure_reported(void **state)
{
	(void)state;
	FILE *f = fopen("/dev/full", "w");
	assert_non_null(f);
	setvbuf(f, NULL, _IONBF, 0);
	struct cpio_writer w;
	cpio_init(&w, f);
	assert_int_equal(cpio_dir(&w, "bin", 0755), -1);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_members_read_back),
		cmocka_unit_test(test_same_members_same_bytes),
		cmocka_unit_test(test_write_failure_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
