/*
 * Snapshots of Linux guests' kernel memory beside a capture
 * (harness/memimage.c): one per Linux guest, named after the capture, its
 * guest-physical memory from 0 at kseg0 addresses, cut at the next
 * guest's window, blank pages left out, read back by the ELF reader every
 * tool shares.
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

/* The snapshot of a window at pa of `bytes`, into which each MiB's first
 * page got its own address as a word: one page-long segment each, blank
 * pages left out. */
static void expect_snapshot(const char *path, uint32_t bytes, uint32_t pa)
{
	struct mips_elf e = {.fd = -1};
	char err[256] = "";
	if (mips_elf_open(&e, path, MIPS_ELF_PHYS, err, sizeof err) != 0)
		fail_msg("%s", err);
	size_t k = 0;
	for (uint32_t off = 0; off < bytes; off += 0x100000u) {
		assert_true(k < e.nseg);
		const struct mips_elf_seg *s = &e.seg[k++];
		assert_int_equal(s->vaddr, 0x80000000u + off);
		assert_int_equal(s->pa, off);
		uint32_t w;
		memcpy(&w, s->data, 4);
		assert_int_equal(w, pa + off);
		/* Window 1's first MiB: the poisoned page after the first is
		 * left out, the one after it (one byte not poison) is in. */
		if (off == 0 && pa == WIN1) {
			assert_int_equal(s->filesz, 0x1000u);
			assert_true(k < e.nseg);
			s = &e.seg[k++];
			assert_int_equal(s->vaddr, 0x80002000u);
			assert_int_equal(s->filesz, 0x1000u);
			assert_int_equal(s->data[5], 0x5a);
		} else {
			assert_int_equal(s->filesz, 0x1000u);
		}
	}
	assert_int_equal(k, e.nseg);
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
	/* Freed and poisoned, as Linux leaves its init code; and a page of
	 * poison but one byte. */
	uint8_t page[4096];
	memset(page, 0xcc, sizeof page);
	assert_int_equal(vzsim_mem_write(sim, WIN1 + 0x1000u, page, sizeof page), 0);
	page[5] = 0x5a;
	assert_int_equal(vzsim_mem_write(sim, WIN1 + 0x2000u, page, sizeof page), 0);

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

	/* A guest with nothing but blank pages gets no snapshot. */
	v.st.g[2].window_pa = 0x08000000u;
	assert_int_equal(memimage_write(sim, &v, trace, err, sizeof err), 1);
	snprintf(path, sizeof path, "%s.g1-kernel.elf", trace);
	unlink(path);
	snprintf(path, sizeof path, "%s.g3-kernel.elf", trace);
	assert_int_not_equal(access(path, F_OK), 0);
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
