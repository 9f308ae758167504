/*
 * Code images (flow.h, pdt_code_*): words by virtual address across two
 * segments (one whose p_vaddr is not its p_paddr) and their bss, symbol
 * lookups with every preference rule, and the files that must be refused
 * with a one-line reason.  The fixture is tests/pdtrace/code_fixture.S,
 * built by the Makefile into CODE_FIXTURE_DIR with big-endian, 64-bit and
 * stripped copies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mips/elf.h>
#include <pdtrace/flow.h>
#include "tmpfiles.h"

#ifndef CODE_FIXTURE_DIR
#define CODE_FIXTURE_DIR "build/target/pdtrace"
#endif
#define FIXTURE CODE_FIXTURE_DIR "/code_fixture.elf"

static struct pdt_code *load_ok(const char *path)
{
	struct pdt_code *c = (struct pdt_code *)1;
	char err[256] = "";
	int rc = pdt_code_load(&c, path, err, sizeof err);
	if (rc != 0)
		fail_msg("pdt_code_load(%s): %d: %s", path, rc, err);
	assert_non_null(c);
	return c;
}

/* Loading must fail with rc and exactly "path: why". */
static void load_bad(const char *path, int rc, const char *why)
{
	struct pdt_code *c = (struct pdt_code *)1;
	char err[256], want[512];
	assert_int_equal(pdt_code_load(&c, path, err, sizeof err), rc);
	assert_null(c);
	snprintf(want, sizeof want, "%s: %s", path, why);
	assert_string_equal(err, want);
	assert_null(strchr(err, '\n'));
}

/* The fixture's bytes. */
static uint8_t *read_fixture(size_t *len)
{
	FILE *f = fopen(FIXTURE, "rb");
	if (!f)
		fail_msg("%s: %s (built by make)", FIXTURE, strerror(errno));
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	uint8_t *b = malloc((size_t)n);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

static void put32le(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* ------------------------------------------------------------ words */

static void expect_word(const struct pdt_code *c, uint32_t va, uint32_t want)
{
	uint32_t w = 0xdeadbeef;
	if (pdt_code_word(c, va, &w) != 0)
		fail_msg("no word at 0x%08x", va);
	if (w != want)
		fail_msg("word at 0x%08x is 0x%08x, want 0x%08x", va, w, want);
}

static void expect_no_word(const struct pdt_code *c, uint32_t va)
{
	uint32_t w = 0xdeadbeef;
	if (pdt_code_word(c, va, &w) != -1)
		fail_msg("a word (0x%08x) at 0x%08x, want none", w, va);
	assert_int_equal(w, 0xdeadbeef);
}

static void test_words(void **state)
{
	(void)state;
	struct pdt_code *c = load_ok(FIXTURE);
	assert_string_equal(pdt_code_path(c), FIXTURE);

	/* The kseg0 segment: .text (padded), a gap, .rodata. */
	for (uint32_t va = 0x80001000; va < 0x80001058; va += 4)
		expect_word(c, va, va - 0x80001000 + 0xa0001000);
	for (uint32_t va = 0x80001058; va < 0x80001080; va += 4)
		expect_word(c, va, 0);
	expect_word(c, 0x80001080, 0xb0001080);
	expect_word(c, 0x80001084, 0xb0001084);
	expect_no_word(c, 0x80001088); /* past its p_filesz */
	expect_no_word(c, 0x80000ffc);

	/* The segment that runs at 0x4000 but is loaded at 0x80004000:
	   found by p_vaddr only. */
	for (uint32_t va = 0x4000; va < 0x4010; va += 4)
		expect_word(c, va, va + 0xc0000000);
	expect_word(c, 0x4010, 0xd0004010);
	expect_no_word(c, 0x80004000);
	expect_no_word(c, 0x3ffc);
	/* Its bss is in the segment (p_memsz) but holds no code. */
	expect_no_word(c, 0x4014);
	expect_no_word(c, 0x4110);
	expect_no_word(c, 0x4114);

	/* Unaligned addresses, the ends of the address space. */
	expect_no_word(c, 0x80001002);
	expect_no_word(c, 0x80001009);
	expect_no_word(c, 0x4001);
	expect_no_word(c, 0);
	expect_no_word(c, 0xfffffffc);

	/* Back and forth between the segments: the cached segment must
	   never answer for an address it does not hold. */
	for (int i = 0; i < 4; i++) {
		expect_word(c, 0x4004, 0xc0004004);
		expect_no_word(c, 0x4014);
		expect_word(c, 0x80001084, 0xb0001084);
		expect_no_word(c, 0x80001088);
		expect_word(c, 0x4010, 0xd0004010);
		expect_word(c, 0x80001000, 0xa0001000);
	}
	pdt_code_free(c);
	pdt_code_free(NULL);
}

/* ------------------------------------------------------------ symbols */

static void expect_sym(const struct pdt_code *c, uint32_t va, const char *name, uint32_t off)
{
	uint32_t got = 0xdeadbeef;
	const char *s = pdt_code_symbol(c, va, &got);
	if (!name) {
		if (s)
			fail_msg("0x%08x is %s+0x%x, want no symbol", va, s, got);
		return;
	}
	if (!s)
		fail_msg("0x%08x: no symbol, want %s+0x%x", va, name, off);
	if (strcmp(s, name) != 0 || got != off)
		fail_msg("0x%08x is %s+0x%x, want %s+0x%x", va, s, got, name, off);
	/* off may be left out. */
	assert_ptr_equal(pdt_code_symbol(c, va, NULL), s);
}

static void test_symbols(void **state)
{
	(void)state;
	struct pdt_code *c = load_ok(FIXTURE);
	/* In .text below its first symbol: the nearest symbols below are
	   in another segment (0x4000...), and must not be used. */
	expect_sym(c, 0x80001000, NULL, 0);
	expect_sym(c, 0x80001004, NULL, 0);
	/* A function beats a local label at its address... */
	expect_sym(c, 0x80001008, "start", 0);
	expect_sym(c, 0x80001014, "start", 0xc);
	/* ...and a global label; */
	expect_sym(c, 0x80001018, "helper", 0);
	expect_sym(c, 0x8000101f, "helper", 7);
	/* between two labels the global one wins; */
	expect_sym(c, 0x80001020, "pair_global", 0);
	expect_sym(c, 0x8000102c, "pair_global", 0xc);
	/* a sized function beats a nearer label inside it; */
	expect_sym(c, 0x80001030, "outer", 0);
	expect_sym(c, 0x80001040, "outer", 0x10);
	expect_sym(c, 0x8000104c, "outer", 0x1c);
	/* past its end the label is the nearest (abs_sym, an absolute
	   symbol at 0x80001050, and the .L label at 0x80001054 are not
	   symbols of the image). */
	expect_sym(c, 0x80001050, "inner_label", 0x10);
	expect_sym(c, 0x80001054, "inner_label", 0x14);
	/* .text's padding is .text's; the gap after it is no section's. */
	expect_sym(c, 0x8000105c, "inner_label", 0x1c);
	expect_sym(c, 0x80001060, NULL, 0);
	expect_sym(c, 0x8000107f, NULL, 0);
	/* Objects, at any byte. */
	expect_sym(c, 0x80001080, "table", 0);
	expect_sym(c, 0x80001087, "table", 7);
	expect_sym(c, 0x80001088, NULL, 0);

	/* The segment at 0x4000, bss included. */
	expect_sym(c, 0x3fff, NULL, 0);
	expect_sym(c, 0x4000, "user_main", 0);
	expect_sym(c, 0x400c, "user_main", 0xc);
	expect_sym(c, 0x4010, "udata_word", 0);
	expect_sym(c, 0x4014, "ubss_obj", 0);
	expect_sym(c, 0x4113, "ubss_obj", 0xff);
	expect_sym(c, 0x4114, NULL, 0);
	/* Its load address is not its address. */
	expect_sym(c, 0x80004000, NULL, 0);
	expect_sym(c, 0, NULL, 0);
	expect_sym(c, 0xffffffff, NULL, 0);
	pdt_code_free(c);
}

static void test_stripped(void **state)
{
	(void)state;
	/* No .symtab: the code is still there, without names. */
	struct pdt_code *c = load_ok(CODE_FIXTURE_DIR "/code_fixture-stripped.elf");
	expect_word(c, 0x80001008, 0xa0001008);
	expect_word(c, 0x4000, 0xc0004000);
	expect_no_word(c, 0x4014);
	expect_sym(c, 0x80001008, NULL, 0);
	expect_sym(c, 0x4000, NULL, 0);
	pdt_code_free(c);
}

/* ------------------------------------------------------------ bad files */

static void test_bad_files(void **state)
{
	(void)state;
	struct pdt_code *c = (struct pdt_code *)1;

	errno = 0;
	load_bad("/nonexistent/pdt-code.elf", PDT_E_IO, strerror(ENOENT));
	assert_int_equal(errno, ENOENT);
	load_bad("/tmp", PDT_E_IO, strerror(EISDIR));
	static const char text[] = "key=value\nnot an image\n";
	const char *p = put_file(text, sizeof text - 1);
	load_bad(p, PDT_E_FORMAT, "not a 32-bit little-endian MIPS ELF (not an ELF file)");
	p = put_file("", 0);
	load_bad(p, PDT_E_FORMAT, "not a 32-bit little-endian MIPS ELF (not an ELF file)");
	load_bad(CODE_FIXTURE_DIR "/code_fixture-be.elf", PDT_E_FORMAT,
		 "not a 32-bit little-endian MIPS ELF (big-endian)");
	load_bad(CODE_FIXTURE_DIR "/code_fixture-64.elf", PDT_E_FORMAT,
		 "not a 32-bit little-endian MIPS ELF (64-bit)");

	/* Broken copies of the fixture.  Its program headers: at e_phoff,
	   32 bytes each: p_type, p_offset, p_vaddr, p_paddr, p_filesz,
	   p_memsz, ... */
	size_t len;
	uint8_t *b = read_fixture(&len);
	uint8_t *m = malloc(len);
	assert_non_null(m);
	uint32_t phoff = b[28] | b[29] << 8 | b[30] << 16 | (uint32_t)b[31] << 24;
	uint8_t *ph0 = m + phoff, *ph1 = m + phoff + 32;

	memcpy(m, b, len);
	m[18] = 3; /* e_machine: i386 */
	m[19] = 0;
	load_bad(put_file(m, len), PDT_E_FORMAT,
		 "not a 32-bit little-endian MIPS ELF (e_machine 3)");

	memcpy(m, b, len);
	put32le(ph0, 0); /* PT_NULL */
	put32le(ph1, 0);
	load_bad(put_file(m, len), PDT_E_FORMAT, "no loadable (PT_LOAD) segment");

	memcpy(m, b, len);
	put32le(ph1 + 8, 0x80001080); /* the user segment onto .rodata */
	load_bad(put_file(m, len), PDT_E_FORMAT,
		 "segments at vaddr 0x80001000 and 0x80001080 overlap");

	memcpy(m, b, len);
	put32le(ph1 + 16, 0x200); /* p_filesz > p_memsz (0x114) */
	load_bad(put_file(m, len), PDT_E_FORMAT,
		 "segment 1 at vaddr 0x00004000: p_filesz > p_memsz");

	memcpy(m, b, len);
	put32le(ph1 + 8, 0xffffff00); /* 0x114 bytes from there wrap */
	load_bad(put_file(m, len), PDT_E_FORMAT,
		 "segment 1 at vaddr 0xffffff00: runs past the end of the address space");

	/* Cut inside the first segment's bytes. */
	uint32_t off0 = ph0[4] | ph0[5] << 8 | ph0[6] << 16 | (uint32_t)ph0[7] << 24;
	load_bad(put_file(b, off0 + 0x20), PDT_E_FORMAT,
		 "segment 0 at vaddr 0x80001000: runs past the end of the file (truncated?)");
	/* Cut inside the ELF header. */
	load_bad(put_file(b, 20), PDT_E_FORMAT,
		 "not a 32-bit little-endian MIPS ELF (truncated ELF header)");

	/* A short error buffer still gets a terminated start of the
	   message; none at all is allowed. */
	char small[8];
	assert_int_equal(pdt_code_load(&c, "/nonexistent/x", small, sizeof small), PDT_E_IO);
	assert_string_equal(small, "/nonexi");
	assert_int_equal(pdt_code_load(&c, "/nonexistent/x", NULL, 0), PDT_E_IO);
	assert_null(c);
	free(m);
	free(b);
}

/* A memory snapshot (mips_elf_write_core) in the test's directory. */
static const char *put_snapshot(const struct mips_elf_seg *seg, size_t n)
{
	char *bytes = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&bytes, &len);
	assert_non_null(f);
	assert_int_equal(mips_elf_write_core(f, seg, n), 0);
	assert_int_equal(fclose(f), 0);
	const char *path = put_file(bytes, len);
	free(bytes);
	return path;
}

/* A memory image over the fixture: its bytes win where both have some,
 * the rest of it becomes code of its own, and the fixture's symbols stay.
 * The snapshot is read back by the reader every tool shares. */
static void test_overlay(void **state)
{
	(void)state;
	uint8_t a[0x80], b[0x10];
	for (uint32_t i = 0; i < sizeof a; i += 4)
		put32le(a + i, 0xee000000u | (0x1040u + i));
	for (uint32_t i = 0; i < sizeof b; i += 4)
		put32le(b + i, 0xdd000000u | i);
	/* a overlaps the end of the kseg0 segment (0x80001000..0x80001088)
	 * and runs past it; b lies below everything. */
	const struct mips_elf_seg seg[] = {
		{.vaddr = 0x80000000u, .pa = 0, .filesz = sizeof b, .memsz = sizeof b, .data = b},
		{.vaddr = 0x80001040u, .pa = 0x1040, .filesz = sizeof a, .memsz = sizeof a,
		 .data = a},
	};
	char snap[64]; /* put_file's path is overwritten by the next call */
	snprintf(snap, sizeof snap, "%s", put_snapshot(seg, 2));

	struct mips_elf e = {.fd = -1};
	char err[256] = "";
	assert_int_equal(mips_elf_open(&e, snap, MIPS_ELF_PHYS, err, sizeof err), 0);
	assert_int_equal(e.nseg, 2);
	assert_int_equal(e.seg[1].vaddr, 0x80001040u);
	assert_int_equal(e.seg[1].pa, 0x1040u);
	assert_int_equal(e.seg[1].filesz, sizeof a);
	assert_memory_equal(e.seg[1].data, a, sizeof a);
	mips_elf_close(&e);

	struct pdt_code *c = load_ok(FIXTURE);
	assert_int_equal(pdt_code_overlay(c, snap, err, sizeof err), 0);
	for (uint32_t va = 0x80001000; va < 0x80001040; va += 4)
		expect_word(c, va, va < 0x80001058 ? va - 0x80001000 + 0xa0001000 : 0);
	for (uint32_t va = 0x80001040; va < 0x800010c0; va += 4)
		expect_word(c, va, 0xee000000u | (va - 0x80000000u));
	expect_no_word(c, 0x800010c0);
	for (uint32_t va = 0x80000000; va < 0x80000010; va += 4)
		expect_word(c, va, 0xdd000000u | (va - 0x80000000u));
	expect_no_word(c, 0x80000010);
	/* The other segment is the fixture's still. */
	expect_word(c, 0x4000, 0xc0004000);
	/* The fixture names the code it names. */
	expect_sym(c, 0x80001014, "start", 0xc);
	/* Another over it: the last wins, the rest stays. */
	put32le(a, 0x77777777u);
	const struct mips_elf_seg again = {.vaddr = 0x800010bcu, .filesz = 4, .memsz = 4,
					   .data = a};
	assert_int_equal(pdt_code_overlay(c, put_snapshot(&again, 1), err, sizeof err), 0);
	expect_word(c, 0x800010bc, 0x77777777u);
	expect_word(c, 0x800010b8, 0xee0010b8u);
	expect_word(c, 0x80001080, 0xee001080u);

	/* Code laid where the image had only .bss is not named by it. */
	expect_sym(c, 0x4020, "ubss_obj", 0xc);
	const struct mips_elf_seg over_bss = {.vaddr = 0x4018u, .filesz = 8, .memsz = 8,
					      .data = b};
	assert_int_equal(pdt_code_overlay(c, put_snapshot(&over_bss, 1), err, sizeof err), 0);
	expect_word(c, 0x401c, 0xdd000004u);
	expect_sym(c, 0x4018, NULL, 0);
	expect_sym(c, 0x401c, NULL, 0);
	expect_sym(c, 0x4014, "ubss_obj", 0);
	expect_sym(c, 0x4020, NULL, 0);
	pdt_code_free(c);

	/* A snapshot alone is an image without symbols. */
	c = load_ok(snap);
	expect_word(c, 0x80001044, 0xee001044);
	expect_sym(c, 0x80001044, NULL, 0);
	pdt_code_free(c);

	/* A file that is not there, or not an image. */
	c = load_ok(FIXTURE);
	assert_int_equal(pdt_code_overlay(c, "/nonexistent/snap.elf", err, sizeof err),
			 PDT_E_IO);
	assert_non_null(strstr(err, "/nonexistent/snap.elf"));
	const char *junk = put_file("junk", 4);
	assert_int_equal(pdt_code_overlay(c, junk, err, sizeof err), PDT_E_FORMAT);
	/* A failed overlay leaves the image as it was. */
	expect_word(c, 0x80001080, 0xb0001080);
	pdt_code_free(c);
}

/* A capture's Linux guest: without --memory, the snapshot vzsoak left
 * beside the capture (TRACE.g1-kernel.elf) is its code; without it, none;
 * --memory names another. */
static void note_count(void *priv, const char *msg)
{
	(void)msg;
	++*(unsigned *)priv;
}

static void test_capture_memory_image(void **state)
{
	(void)state;
	uint8_t w[8];
	put32le(w, 0x11112222u);
	put32le(w + 4, 0x33334444u);
	const struct mips_elf_seg seg = {.vaddr = 0x80100000u, .filesz = 8, .memsz = 8,
					 .data = w};
	const char *snap = put_snapshot(&seg, 1);
	char trace[128], beside[160];
	snprintf(trace, sizeof trace, "%s/run.vzt", tmpdir);
	snprintf(beside, sizeof beside, "%s.g1-kernel.elf", trace);
	assert_int_equal(link(snap, beside), 0);

	struct pdt_file_info info;
	memset(&info, 0, sizeof info);
	snprintf(info.bootargs, sizeof info.bootargs, "guests=2 image=linux");
	struct pdt_code_opts o = {.capture = trace};
	struct pdt_capture_code cc;
	char err[256] = "";
	unsigned notes = 0;
	assert_int_equal(pdt_capture_code_load(&cc, &info, &o, note_count, &notes, err,
					       sizeof err), 0);
	assert_non_null(cc.cfg.guest[1]);
	expect_word(cc.cfg.guest[1], 0x80100004u, 0x33334444u);
	/* Guest 2 has no snapshot: no code. */
	assert_null(cc.cfg.guest[2]);
	pdt_capture_code_free(&cc);

	/* Named: over whatever is beside the capture. */
	put32le(w + 4, 0x55556666u);
	o.memory[2] = put_snapshot(&seg, 1);
	assert_int_equal(pdt_capture_code_load(&cc, &info, &o, NULL, NULL, err, sizeof err), 0);
	expect_word(cc.cfg.guest[2], 0x80100004u, 0x55556666u);
	pdt_capture_code_free(&cc);

	/* A named one that is no image: the load fails, naming it. */
	o.memory[2] = put_file("junk", 4);
	assert_int_not_equal(pdt_capture_code_load(&cc, &info, &o, NULL, NULL, err, sizeof err),
			     0);
	assert_non_null(strstr(err, o.memory[2]));
	unlink(beside);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_symbols),
		cmocka_unit_test(test_stripped),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_overlay),
		cmocka_unit_test(test_capture_memory_image),
	};
	return cmocka_run_group_tests(tests, tmpfiles_setup, tmpfiles_teardown);
}
