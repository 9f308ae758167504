/*
 * Snapshots of Linux guests' kernel memory beside a capture
 * (harness/memimage.c): one per Linux guest, named after the capture, its
 * guest-physical memory from 0 at kseg0 addresses, cut at the next
 * guest's window, read back by the ELF reader every tool shares.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <mips/elf.h>

#include "harness/memimage.h"

#define WIN1 0x01000000u /* guest 1's window (Linux) */
#define WIN2 0x01800000u /* guest 2's (the stress kernel), 8 MiB above */
#define WIN3 0x02000000u /* guest 3's (Linux), the last */

static void guest(struct soak_view *v, unsigned i, const char *image, uint32_t pa)
{
	v->st.g[i].state = GSTATE_RUNNING;
	v->st.g[i].window_pa = pa;
	snprintf(v->st.g[i].image, sizeof v->st.g[i].image, "%s", image);
}

static void expect_snapshot(const char *path, uint32_t bytes, uint32_t pa)
{
	struct mips_elf e = {.fd = -1};
	char err[256] = "";
	if (mips_elf_open(&e, path, 0, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(e.nseg, 1);
	assert_int_equal(e.seg[0].vaddr, 0x80000000u);
	assert_int_equal(e.seg[0].filesz, bytes);
	/* Each guest's words say where in physical memory they were. */
	for (uint32_t off = 0; off < bytes; off += 0x100000u) {
		uint32_t w;
		memcpy(&w, e.seg[0].data + off, 4);
		assert_int_equal(w, pa + off);
	}
	mips_elf_close(&e);
}

static void test_linux_guests_only(void **state)
{
	(void)state;
	struct vzsim_config cfg;
	vzsim_config_init(&cfg);
	char err[256] = "";
	vzsim *sim = vzsim_new(&cfg, err, sizeof err);
	assert_non_null(sim);
	for (uint32_t pa = WIN1; pa < WIN3 + MEMIMAGE_BYTES; pa += 0x100000u)
		assert_int_equal(vzsim_mem_write(sim, pa, &pa, 4), 0);

	struct soak_view v;
	memset(&v, 0, sizeof v);
	v.present = true;
	v.st.guests = 3;
	guest(&v, 0, "linux", WIN1);
	guest(&v, 1, "stress", WIN2);
	guest(&v, 2, "linux", WIN3);
	char dir[] = "/tmp/vzsoak-memimage-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char trace[64], path[96];
	snprintf(trace, sizeof trace, "%s/trace.vzt", dir);
	assert_int_equal(memimage_write(sim, &v, trace, err, sizeof err), 2);

	snprintf(path, sizeof path, "%s.g1-kernel.elf", trace);
	expect_snapshot(path, WIN2 - WIN1, WIN1);
	unlink(path);
	snprintf(path, sizeof path, "%s.g2-kernel.elf", trace);
	assert_int_not_equal(access(path, F_OK), 0);
	snprintf(path, sizeof path, "%s.g3-kernel.elf", trace);
	expect_snapshot(path, MEMIMAGE_BYTES, WIN3);
	unlink(path);

	/* A window outside RAM: refused, naming the file. */
	v.st.g[0].window_pa = 0xf0000000u;
	assert_int_equal(memimage_write(sim, &v, trace, err, sizeof err), -1);
	assert_non_null(strstr(err, "g1-kernel.elf"));
	snprintf(path, sizeof path, "%s.g1-kernel.elf", trace);
	assert_int_not_equal(access(path, F_OK), 0);
	/* A folder that is not there. */
	v.st.g[0].window_pa = WIN1;
	assert_int_equal(memimage_write(sim, &v, "/nonexistent/trace.vzt", err, sizeof err),
			 -1);
	assert_non_null(strstr(err, "/nonexistent/trace.vzt.g1-kernel.elf"));
	rmdir(dir);
	vzsim_free(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linux_guests_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
