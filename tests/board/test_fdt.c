/*
 * The flattened device tree writer (boards/sim/board/fdt.c): a small tree
 * byte for byte against the Devicetree Specification's layout, a board's
 * tree read back by a walker of its own, and the calls out of order that
 * must give no blob.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vzsoak/fdt.h>
#include "fdt_walk.h"

/* The whole blob of: / { a = <0x12345678>; n@1 { s = "xy"; a = <1>; }; }; */
static void test_small_tree_bytes(void **state)
{
	(void)state;
	struct fdt_writer w;
	static uint8_t buf[4096];
	fdt_init(&w, buf, sizeof buf);
	fdt_begin_node(&w, "");
	fdt_prop_u32(&w, "a", 0x12345678u);
	fdt_begin_node(&w, "n@1");
	fdt_prop_string(&w, "s", "xy");
	fdt_prop_u32(&w, "a", 1);
	fdt_end_node(&w);
	fdt_end_node(&w);
	size_t len = fdt_finish(&w);
	const uint8_t *b = buf;
	assert_true(len > 0);
	static const uint32_t dt[] = {
		FDT_BEGIN_NODE, 0,                      /* "" padded to 4 */
		FDT_PROP, 4, 0, 0x12345678u,            /* a: name at 0 */
		FDT_BEGIN_NODE, 0x6e403100u,            /* "n@1\0" */
		FDT_PROP, 3, 2, 0x78790000u,            /* s: name at 2, "xy\0" padded */
		FDT_PROP, 4, 0, 1,                      /* a again: the same name */
		FDT_END_NODE, FDT_END_NODE, FDT_END,
	};
	size_t dt_len = sizeof dt, str_len = 4; /* "a\0s\0" */
	assert_int_equal(len, FDT_HEADER_SIZE + 16 + dt_len + str_len);
	assert_int_equal(be32(b + 0), FDT_MAGIC);
	assert_int_equal(be32(b + 4), len);                      /* totalsize */
	assert_int_equal(be32(b + 8), FDT_HEADER_SIZE + 16);     /* off_dt_struct */
	assert_int_equal(be32(b + 12), FDT_HEADER_SIZE + 16 + dt_len); /* off_dt_strings */
	assert_int_equal(be32(b + 16), FDT_HEADER_SIZE);         /* off_mem_rsvmap */
	assert_int_equal(be32(b + 20), 17);                      /* version */
	assert_int_equal(be32(b + 24), 16);                      /* last_comp_version */
	assert_int_equal(be32(b + 28), 0);                       /* boot_cpuid_phys */
	assert_int_equal(be32(b + 32), str_len);
	assert_int_equal(be32(b + 36), dt_len);
	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(b[FDT_HEADER_SIZE + i], 0); /* the map's end */
	for (size_t i = 0; i < sizeof dt / 4; i++)
		assert_int_equal(be32(b + FDT_HEADER_SIZE + 16 + 4 * i), dt[i]);
	assert_memory_equal(b + FDT_HEADER_SIZE + 16 + dt_len, "a\0s\0", 4);
}

/* A tree of the shape vzsim gives Linux (test_linux_boot.c reads the real one). */
static void test_board_tree_reads_back(void **state)
{
	(void)state;
	struct fdt_writer w;
	static uint8_t buf[4096];
	fdt_init(&w, buf, sizeof buf);
	fdt_begin_node(&w, "");
	fdt_prop_u32(&w, "#address-cells", 1);
	fdt_prop_u32(&w, "#size-cells", 1);
	fdt_prop_string(&w, "compatible", "vzsim,board");
	fdt_begin_node(&w, "cpus");
	fdt_prop_u32(&w, "#address-cells", 1);
	fdt_prop_u32(&w, "#size-cells", 0);
	fdt_begin_node(&w, "cpu@0");
	fdt_prop_string(&w, "device_type", "cpu");
	fdt_prop_u32(&w, "reg", 0);
	fdt_end_node(&w);
	fdt_end_node(&w);
	fdt_begin_node(&w, "memory@0");
	fdt_prop_string(&w, "device_type", "memory");
	fdt_prop_cells(&w, "reg", (const uint32_t[]){0, 0x08000000u}, 2);
	fdt_end_node(&w);
	fdt_begin_node(&w, "interrupt-controller");
	fdt_prop_string(&w, "compatible", "mti,cpu-interrupt-controller");
	fdt_prop_empty(&w, "interrupt-controller");
	fdt_prop_u32(&w, "#interrupt-cells", 1);
	fdt_end_node(&w);
	fdt_begin_node(&w, "chosen");
	fdt_prop_string(&w, "bootargs", "console=ttyS0,115200 nokaslr");
	fdt_end_node(&w);
	fdt_end_node(&w);
	size_t len = fdt_finish(&w);
	const uint8_t *b = buf;
	assert_true(len > 0);
	assert_int_equal(be32(b + 4), len);
	assert_int_equal(be32(b + 8) % 4, 0);
	assert_int_equal(be32(b + 12), be32(b + 8) + be32(b + 36));

	struct found f = find(b, "/memory@0", "reg");
	assert_int_equal(f.len, 8);
	assert_int_equal(be32(f.value + 4), 0x08000000u);
	f = find(b, "/cpus/cpu@0", "reg");
	assert_int_equal(f.len, 4);
	assert_int_equal(be32(f.value), 0);
	f = find(b, "/cpus", "#size-cells");
	assert_int_equal(be32(f.value), 0);
	f = find(b, "/", "#size-cells");
	assert_int_equal(be32(f.value), 1);
	f = find(b, "/interrupt-controller", "interrupt-controller");
	assert_int_equal(f.len, 0);
	f = find(b, "/chosen", "bootargs");
	assert_string_equal((const char *)f.value, "console=ttyS0,115200 nokaslr");
	assert_int_equal(f.len, strlen("console=ttyS0,115200 nokaslr") + 1);
	/* Each name once in the strings block. */
	const char *s = (const char *)b + be32(b + 12);
	size_t n = be32(b + 32), names = 0;
	for (size_t off = 0; off < n; off += strlen(s + off) + 1) {
		for (size_t o2 = 0; o2 < off; o2 += strlen(s + o2) + 1)
			assert_string_not_equal(s + off, s + o2);
		names++;
	}
	assert_int_equal(names, 8); /* #address-cells ... bootargs */
}

/* Calls out of order: no blob, and nothing leaks (the sanitizers). */
static void test_misuse_gives_no_blob(void **state)
{
	(void)state;
	struct fdt_writer w;
	static uint8_t buf[4096];
	fdt_init(&w, buf, sizeof buf);
	assert_int_equal(fdt_finish(&w), 0); /* nothing written */
	fdt_init(&w, buf, sizeof buf);
	fdt_begin_node(&w, "");
	fdt_begin_node(&w, "open");
	fdt_end_node(&w);
	assert_int_equal(fdt_finish(&w), 0); /* the root still open */
	fdt_init(&w, buf, sizeof buf);
	fdt_prop_u32(&w, "a", 1); /* outside any node */
	fdt_begin_node(&w, "");
	fdt_end_node(&w);
	assert_int_equal(fdt_finish(&w), 0);
	fdt_init(&w, buf, sizeof buf);
	fdt_begin_node(&w, "");
	fdt_end_node(&w);
	fdt_begin_node(&w, ""); /* a second root */
	fdt_end_node(&w);
	assert_int_equal(fdt_finish(&w), 0);
	fdt_init(&w, buf, sizeof buf);
	fdt_end_node(&w); /* closes nothing */
	assert_int_equal(fdt_finish(&w), 0);
	/* A buffer too small: no blob, and nothing written past its end. */
	uint8_t small[96];
	memset(small, 0xa5, sizeof small);
	fdt_init(&w, small, 80);
	fdt_begin_node(&w, "");
	fdt_prop_string(&w, "bootargs", "console=ttyS0 a long command line");
	fdt_end_node(&w);
	assert_int_equal(fdt_finish(&w), 0);
	for (unsigned i = 80; i < sizeof small; i++)
		assert_int_equal(small[i], 0xa5);
	/* Too many property names for the strings block. */
	fdt_init(&w, buf, sizeof buf);
	fdt_begin_node(&w, "");
	for (unsigned i = 0; i < FDT_STRINGS_MAX / 8 + 1; i++) {
		char name[16];
		snprintf(name, sizeof name, "p%06u", i);
		fdt_prop_empty(&w, name);
	}
	fdt_end_node(&w);
	assert_int_equal(fdt_finish(&w), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_tree_bytes),
		cmocka_unit_test(test_board_tree_reads_back),
		cmocka_unit_test(test_misuse_gives_no_blob),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
