/*
 * What vzsim_boot_linux gives a kernel (boards/sim/board/linux_boot.c): the
 * UHI registers, the device tree read back from RAM by a reader of the
 * tests' own, the initramfs where the tree says, and the one-line errors
 * for what cannot boot.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <vzsim/vzsim.h>

#include <vzsoak/fdt.h>
#include "fdt_walk.h"

#define MiB (1u << 20)

static vzsim *new_sim(uint32_t ram)
{
	struct vzsim_config cfg;
	vzsim_config_init(&cfg);
	cfg.ram_size = ram;
	char err[256];
	vzsim *sim = vzsim_new(&cfg, err, sizeof err);
	assert_non_null(sim);
	vzsim_uart_output(sim, NULL);
	vzsim_reset(sim, 0x80100000u);
	return sim;
}

/* A file of n bytes of a pattern; its name (static buffer). */
static const char *temp_file(size_t n)
{
	static char name[] = "/tmp/vzsim-initrd-XXXXXX";
	strcpy(name, "/tmp/vzsim-initrd-XXXXXX");
	int fd = mkstemp(name);
	assert_true(fd >= 0);
	for (size_t i = 0; i < n; i++) {
		uint8_t b = (uint8_t)(i * 7 + 3);
		assert_int_equal(write(fd, &b, 1), 1);
	}
	close(fd);
	return name;
}

/* The tree a1 points at, copied out of RAM (malloc'd). */
static uint8_t *tree_of(vzsim *sim, uint32_t *pa)
{
	uint32_t a1 = vzsim_gpr(sim, 5);
	assert_int_equal(a1 >> 29, 4); /* kseg0 */
	*pa = a1 & 0x1fffffffu;
	uint8_t head[8];
	assert_int_equal(vzsim_mem_read(sim, *pa, head, sizeof head), 0);
	assert_int_equal(be32(head), FDT_MAGIC);
	uint32_t len = be32(head + 4);
	uint8_t *b = malloc(len);
	assert_non_null(b);
	assert_int_equal(vzsim_mem_read(sim, *pa, b, len), 0);
	return b;
}

static void test_registers_tree_and_initramfs(void **state)
{
	(void)state;
	vzsim *sim = new_sim(256 * MiB);
	char err[256];
	assert_int_equal(vzsim_board_opt(sim, "count-div", "4", err, sizeof err), 0);
	const size_t n = 100003;
	const char *path = temp_file(n);
	struct vzsim_linux_boot lb = {.initrd = path, .cmdline = "console=ttyS0 run=none"};
	assert_int_equal(vzsim_boot_linux(sim, &lb, err, sizeof err), 0);
	unlink(path);

	/* UHI: a0 = -2, a1 = the tree in kseg0, a2 = a3 = 0. */
	assert_int_equal(vzsim_gpr(sim, 4), 0xfffffffeu);
	assert_int_equal(vzsim_gpr(sim, 6), 0);
	assert_int_equal(vzsim_gpr(sim, 7), 0);
	assert_int_equal(vzsim_pc(sim), 0x80100000u);
	uint32_t pa;
	uint8_t *b = tree_of(sim, &pa);

	struct found f = find(b, "/memory@0", "reg");
	assert_int_equal(f.len, 8);
	assert_int_equal(be32(f.value), 0);
	assert_int_equal(be32(f.value + 4), 256 * MiB);
	f = find(b, "/chosen", "bootargs");
	assert_string_equal((const char *)f.value, "console=ttyS0 run=none");
	/* The CP0 timer runs at half the CPU clock: Count, 1000 MHz / 4. */
	f = find(b, "/cpu-clock", "clock-frequency");
	assert_int_equal(be32(f.value), 2 * 250000000u);
	uint32_t clk = be32(find(b, "/cpu-clock", "phandle").value);
	assert_int_equal(be32(find(b, "/cpus/cpu@0", "clocks").value), clk);
	/* The console UART, its line on IP2 of the CPU's controller. */
	f = find(b, "/serial@180003f8", "reg");
	assert_int_equal(be32(f.value), 0x180003f8u);
	assert_int_equal(be32(find(b, "/serial@180003f8", "interrupts").value), 2);
	uint32_t intc = be32(find(b, "/interrupt-controller", "phandle").value);
	assert_int_equal(be32(find(b, "/serial@180003f8", "interrupt-parent").value), intc);
	assert_string_equal((const char *)find(b, "/aliases", "serial0").value,
			    "/serial@180003f8");
	/* Reboot: the reset register's value at its offset. */
	f = find(b, "/system-controller@1f000000/reboot", "offset");
	assert_int_equal(be32(f.value), 0x500);
	assert_int_equal(be32(find(b, "/system-controller@1f000000/reboot", "mask").value), 0x42);

	/* The initramfs: page-aligned, whole, above the kernel's reach,
	 * inside RAM, and the tree below it. */
	uint32_t start = be32(find(b, "/chosen", "linux,initrd-start").value);
	uint32_t end = be32(find(b, "/chosen", "linux,initrd-end").value);
	assert_int_equal(start % 4096, 0);
	assert_int_equal(end - start, n);
	assert_true(end <= 256 * MiB);
	assert_true(pa >= 64 * MiB);
	assert_true(pa + be32(b + 4) <= start);
	uint8_t *got = malloc(n);
	assert_non_null(got);
	assert_int_equal(vzsim_mem_read(sim, start, got, n), 0);
	for (size_t i = 0; i < n; i++)
		if (got[i] != (uint8_t)(i * 7 + 3))
			fail_msg("initramfs byte %zu: 0x%02x", i, got[i]);
	free(got);
	free(b);
	vzsim_free(sim);
}

/* No initramfs: no initrd properties; the default command line. */
static void test_no_initramfs(void **state)
{
	(void)state;
	vzsim *sim = new_sim(128 * MiB);
	char err[256];
	struct vzsim_linux_boot lb = {0};
	assert_int_equal(vzsim_boot_linux(sim, &lb, err, sizeof err), 0);
	uint32_t pa;
	uint8_t *b = tree_of(sim, &pa);
	struct found f;
	assert_false(fdt_lookup(b, "/chosen", "linux,initrd-start", &f));
	assert_string_equal((const char *)find(b, "/chosen", "bootargs").value,
			    VZSIM_LINUX_CMDLINE);
	assert_int_equal(be32(find(b, "/memory@0", "reg").value + 4), 128 * MiB);
	free(b);
	vzsim_free(sim);
}

static void expect_error(uint32_t ram, const char *initrd, const char *want)
{
	vzsim *sim = new_sim(ram);
	char err[256] = "";
	uint32_t a1 = vzsim_gpr(sim, 5);
	struct vzsim_linux_boot lb = {.initrd = initrd};
	assert_int_equal(vzsim_boot_linux(sim, &lb, err, sizeof err), -1);
	if (!strstr(err, want))
		fail_msg("error '%s' does not say '%s'", err, want);
	assert_null(strchr(err, '\n'));
	assert_int_equal(vzsim_gpr(sim, 5), a1); /* registers untouched */
	vzsim_free(sim);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error(32 * MiB, NULL, "more than 64 MiB");
	expect_error(128 * MiB, "/nonexistent/initrd", "/nonexistent/initrd: cannot open");
	expect_error(128 * MiB, "/tmp", "/tmp: not a regular file");
	const char *path = temp_file(0);
	expect_error(128 * MiB, path, "empty file");
	unlink(path);
	path = temp_file(8 * MiB);
	expect_error(72 * MiB, path, "more than");
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registers_tree_and_initramfs),
		cmocka_unit_test(test_no_initramfs),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
