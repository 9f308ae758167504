/*
 * The trace file: FNV-1a hashing, a header written byte for byte as the
 * table of docs/trace-format.md says, header round trips, every bad
 * header (the error and the offset it names), open errors, and a file cut
 * at every byte.
 */
#include "pdt_test.h"
#include "tmpfiles.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void test_hash(void **state)
{
	(void)state;
	/* FNV-1a 64 reference values. */
	assert_true(pdt_hash_file(put_file("", 0)) == 0xcbf29ce484222325ull);
	assert_true(pdt_hash_file(put_file("a", 1)) == 0xaf63dc4c8601ec8cull);
	assert_true(pdt_hash_file(put_file("foobar", 6)) == 0x85944171f73967e8ull);
	/* Longer than one read buffer: the same as hashing in one go. */
	size_t len = 200000;
	uint8_t *big = malloc(len);
	assert_non_null(big);
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < len; i++) {
		big[i] = (uint8_t)(i * 7 + (i >> 9));
		h = (h ^ big[i]) * 0x100000001b3ull;
	}
	assert_true(pdt_hash_file(put_file(big, len)) == h);
	free(big);
	assert_true(pdt_hash_file("/nonexistent/pdt-test") == 0);
}

/* The header of a small capture, by hand from the doc's tables. */
static const uint8_t hand_header[] = {
/*  0 */ 'V', 'Z', 'T', 'R', 'A', 'C', 'E', 0,    /* magic */
/*  8 */ 0x01, 0x00, 0x60, 0x00,                    /* version 1, header size 96 */
/* 12 */ 0x01, 0x01, 0x01, 0x00,                    /* little-endian, VZT1, on-chip */
/* 16 */ 0x01, 0x00, 0x00, 0x80,                    /* TraceControl 0x80000001 */
/* 20 */ 0x87, 0x00, 0x00, 0x00,                    /* TraceControl2 0x87 */
/* 24 */ 0x00, 0xa8, 0x01, 0x00,                    /* PRId 0x0001a800 */
/* 28 */ 0x00, 0x00, 0x80, 0x00,                    /* Config3 0x00800000 */
/* 32 */ 0x01, 0x00, 0x05, 0x00, 'v', 'z', 's', 'i', /* board "vzsim" */
/* 40 */ 'm', 0, 0, 0,                              /* (padding to 4) */
/* 44 */ 0x02, 0x00, 0x0d, 0x00,                    /* image, 13 bytes: */
/* 48 */ 0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01, /* hash */
/* 56 */ 'a', '.', 'e', 'l', 'f', 0, 0, 0,         /* path "a.elf" */
/* 64 */ 0x03, 0x00, 0x0b, 0x00, 'v', 'z', 's', 'i', /* command "vzsim a.elf" */
/* 72 */ 'm', ' ', 'a', '.', 'e', 'l', 'f', 0,
/* 80 */ 0x04, 0x00, 0x08, 0x00,                    /* seed: */
/* 84 */ 0x2a, 0, 0, 0, 0, 0, 0, 0,                /* 42 */
/* 92 */ 0x00, 0x00, 0x00, 0x00,                    /* end */
};

static void hand_info(struct pdt_file_info *info)
{
	*info = (struct pdt_file_info){
		.flags = PDT_FLAG_ONCHIP, .tracecontrol = 0x80000001u, .tracecontrol2 = 0x87,
		.prid = 0x0001a800u, .config3 = 0x00800000u, .seed = 42, .has_seed = true,
		.nimages = 1,
	};
	strcpy(info->board, "vzsim");
	strcpy(info->command, "vzsim a.elf");
	info->images[0].hash = 0x0123456789abcdefull;
	strcpy(info->images[0].path, "a.elf");
}

static void assert_info_eq(const struct pdt_file_info *a, const struct pdt_file_info *b)
{
	assert_int_equal(a->version, b->version);
	assert_int_equal(a->codec, b->codec);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->tracecontrol, b->tracecontrol);
	assert_int_equal(a->tracecontrol2, b->tracecontrol2);
	assert_int_equal(a->prid, b->prid);
	assert_int_equal(a->config3, b->config3);
	assert_string_equal(a->board, b->board);
	assert_string_equal(a->command, b->command);
	assert_string_equal(a->bootargs, b->bootargs);
	assert_int_equal(a->has_seed, b->has_seed);
	assert_true(a->seed == b->seed);
	assert_int_equal(a->has_window, b->has_window);
	assert_true(a->window_size == b->window_size);
	assert_true(a->window_dropped == b->window_dropped);
	assert_true(a->window_index == b->window_index);
	assert_int_equal(a->nimages, b->nimages);
	for (unsigned i = 0; i < a->nimages; i++) {
		assert_true(a->images[i].hash == b->images[i].hash);
		assert_string_equal(a->images[i].path, b->images[i].path);
	}
	assert_int_equal(a->header_size, b->header_size);
}

/* Header + trace words in memory, as a file would hold them. */
static size_t write_trace(uint8_t *out, size_t cap, struct pdt_file_info *info,
			  const uint8_t *words, size_t len)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	assert_non_null(f);
	assert_int_equal(pdt_file_write_header(f, info), PDT_OK);
	if (len)
		assert_int_equal(fwrite(words, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	assert_true(size <= cap);
	memcpy(out, buf, size);
	free(buf);
	return size;
}

static void test_header_by_hand(void **state)
{
	(void)state;
	struct pdt_file_info info;
	hand_info(&info);
	uint8_t file[512];
	size_t n = write_trace(file, sizeof file, &info, v_all, sizeof v_all);
	assert_int_equal(info.version, PDT_FILE_VERSION);
	assert_int_equal(info.codec, PDT_CODEC_VZT1);
	assert_int_equal(info.header_size, sizeof hand_header);
	assert_int_equal(n, sizeof hand_header + sizeof v_all);
	for (size_t i = 0; i < sizeof hand_header; i++)
		if (file[i] != hand_header[i])
			fail_msg("header byte %zu is 0x%02x, want 0x%02x", i, file[i], hand_header[i]);

	/* Read back through a file: the same info, the words after it. */
	struct pdt_file pf;
	uint64_t off = 99;
	assert_int_equal(pdt_file_open(&pf, put_file(file, n), &off), PDT_OK);
	assert_info_eq(&pf.info, &info);
	assert_int_equal(pf.len, sizeof v_all);
	assert_memory_equal(pf.words, v_all, sizeof v_all);
	struct pdt_record got[32];
	assert_int_equal(decode_all(pf.words, pf.len, got, 32), sizeof r_all / sizeof r_all[0]);
	pdt_file_close(&pf);
	assert_null(pf.map);
	assert_null(pf.words);
}

static void test_header_round_trip(void **state)
{
	(void)state;
	/* Every property at its largest. */
	struct pdt_file_info info = { .flags = 3, .tracecontrol = 0xffffffffu,
				      .tracecontrol2 = 1, .prid = 2, .config3 = 3,
				      .seed = UINT64_MAX, .has_seed = true,
				      .nimages = PDT_MAX_IMAGES, .has_window = true,
				      .window_size = UINT64_MAX - 1, .window_dropped = UINT64_MAX,
				      .window_index = PDT_WINDOW_NO_SYNC };
	memset(info.board, 'b', sizeof info.board - 1);
	memset(info.command, 'c', sizeof info.command - 1);
	memset(info.bootargs, 'g', sizeof info.bootargs - 1);
	for (unsigned i = 0; i < PDT_MAX_IMAGES; i++) {
		info.images[i].hash = 0x1111111111111111ull * i;
		memset(info.images[i].path, 'a' + (int)i, sizeof info.images[i].path - 1 - i);
	}
	static uint8_t file[16384];
	size_t n = write_trace(file, sizeof file, &info, v_edges, sizeof v_edges);
	assert_int_equal(info.header_size % 8, 0);
	struct pdt_file_info back;
	uint64_t off;
	assert_int_equal(pdt_file_parse_header(&back, file, n, &off), PDT_OK);
	assert_info_eq(&back, &info);

	/* Nothing at all: the fixed part and the end property. */
	info = (struct pdt_file_info){ 0 };
	n = write_trace(file, sizeof file, &info, NULL, 0);
	assert_int_equal(info.header_size, 40);
	assert_int_equal(n, 40);
	assert_int_equal(pdt_file_parse_header(&back, file, n, &off), PDT_OK);
	assert_info_eq(&back, &info);
	assert_false(back.has_seed);
	struct pdt_file pf;
	assert_int_equal(pdt_file_open(&pf, put_file(file, n), &off), PDT_OK);
	assert_int_equal(pf.len, 0);
	pdt_file_close(&pf);
}

/* The boot arguments (property 5), alone, byte for byte; and the longest
   that fits its field. */
static void test_bootargs(void **state)
{
	(void)state;
	static const uint8_t want[] = {
	/*  0 */ 'V', 'Z', 'T', 'R', 'A', 'C', 'E', 0,
	/*  8 */ 0x01, 0x00, 0x40, 0x00,                    /* version 1, header size 64 */
	/* 12 */ 0x01, 0x01, 0x00, 0x00,                    /* little-endian, VZT1 */
	/* 16 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 32 */ 0x05, 0x00, 0x15, 0x00,                    /* boot arguments, 21 bytes */
	/* 36 */ 'g', 'u', 'e', 's', 't', 's', '=', '2', ' ', 'i', 'm', 'a', 'g', 'e',
	/* 50 */ '=', 's', 't', 'r', 'e', 's', 's', 0, 0, 0, /* (padding to 4) */
	/* 60 */ 0x00, 0x00, 0x00, 0x00,                    /* end */
	};
	struct pdt_file_info info = { 0 }, back;
	strcpy(info.bootargs, "guests=2 image=stress");
	uint8_t file[128];
	size_t n = write_trace(file, sizeof file, &info, NULL, 0);
	assert_int_equal(n, sizeof want);
	assert_memory_equal(file, want, sizeof want);
	uint64_t off;
	assert_int_equal(pdt_file_parse_header(&back, file, n, &off), PDT_OK);
	assert_string_equal(back.bootargs, "guests=2 image=stress");
	assert_info_eq(&back, &info);

	/* PDT_BOOTARGS_MAX - 1 bytes fit; one more does not: a bad header at
	   the property. */
	static uint8_t big[32 + 4 + PDT_BOOTARGS_MAX + 4];
	memcpy(big, want, 32);
	size_t size = sizeof big;
	big[10] = (uint8_t)size;
	big[11] = (uint8_t)(size >> 8);
	big[32] = 5;
	big[34] = (uint8_t)(PDT_BOOTARGS_MAX - 1);
	big[35] = (uint8_t)((PDT_BOOTARGS_MAX - 1) >> 8);
	memset(big + 36, 'a', PDT_BOOTARGS_MAX);
	memset(big + 36 + PDT_BOOTARGS_MAX - 1, 0, 5); /* padding, end */
	assert_int_equal(pdt_file_parse_header(&back, big, size, &off), PDT_OK);
	assert_int_equal(strlen(back.bootargs), PDT_BOOTARGS_MAX - 1);
	big[34] = (uint8_t)PDT_BOOTARGS_MAX;
	big[35] = (uint8_t)(PDT_BOOTARGS_MAX >> 8);
	big[36 + PDT_BOOTARGS_MAX - 1] = 'a';
	assert_int_equal(pdt_file_parse_header(&back, big, size, &off), PDT_E_FORMAT);
	assert_int_equal(off, 32);
	/* Cut by the end of the header. */
	big[34] = 0xff;
	big[35] = 0x7f;
	assert_int_equal(pdt_file_parse_header(&back, big, size, &off), PDT_E_FORMAT);
	assert_int_equal(off, 32);
}

/* The window (property 6), alone, byte for byte; any other length is a
   bad header at the property. */
static void test_window_property(void **state)
{
	(void)state;
	static const uint8_t want[] = {
	/*  0 */ 'V', 'Z', 'T', 'R', 'A', 'C', 'E', 0,
	/*  8 */ 0x01, 0x00, 0x40, 0x00,                    /* version 1, header size 64 */
	/* 12 */ 0x01, 0x01, 0x02, 0x00,                    /* little-endian, VZT1, off-chip */
	/* 16 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 32 */ 0x06, 0x00, 0x18, 0x00,                    /* window, 24 bytes: */
	/* 36 */ 0x00, 0x00, 0x01, 0, 0, 0, 0, 0,          /* size 64 KiB */
	/* 44 */ 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, /* dropped */
	/* 52 */ 0x2a, 0x00, 0x00, 0, 0, 0, 0, 0,          /* first SYNC's index 42 */
	/* 60 */ 0x00, 0x00, 0x00, 0x00,                    /* end */
	};
	struct pdt_file_info info = { .flags = PDT_FLAG_OFFCHIP, .has_window = true,
				      .window_size = 65536,
				      .window_dropped = 0x0102030405060708ull,
				      .window_index = 42 }, back;
	uint8_t file[128];
	size_t n = write_trace(file, sizeof file, &info, NULL, 0);
	assert_int_equal(n, sizeof want);
	assert_memory_equal(file, want, sizeof want);
	uint64_t off;
	assert_int_equal(pdt_file_parse_header(&back, file, n, &off), PDT_OK);
	assert_info_eq(&back, &info);
	/* 16 bytes (with the end property moved up, so only the length is
	   wrong) */
	memcpy(file, want, sizeof want);
	file[34] = 16;
	memset(file + 52, 0, 12);
	assert_int_equal(pdt_file_parse_header(&back, file, n, &off), PDT_E_FORMAT);
	assert_int_equal(off, 32);
	/* No property: no window. */
	info = (struct pdt_file_info){ 0 };
	n = write_trace(file, sizeof file, &info, NULL, 0);
	assert_int_equal(pdt_file_parse_header(&back, file, n, &off), PDT_OK);
	assert_false(back.has_window);
}

static void test_writer_refuses(void **state)
{
	(void)state;
	struct pdt_file_info bad[7];
	for (int i = 0; i < 7; i++)
		hand_info(&bad[i]);
	bad[0].version = 2;
	bad[1].codec = 2;
	bad[2].nimages = PDT_MAX_IMAGES + 1;
	memset(bad[3].board, 'x', sizeof bad[3].board);
	memset(bad[4].command, 'x', sizeof bad[4].command);
	memset(bad[5].images[0].path, 'x', sizeof bad[5].images[0].path);
	memset(bad[6].bootargs, 'x', sizeof bad[6].bootargs);
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	assert_non_null(f);
	for (int i = 0; i < 7; i++)
		if (pdt_file_write_header(f, &bad[i]) != PDT_E_INVAL)
			fail_msg("bad info %d accepted", i);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(size, 0); /* nothing written */
	free(buf);
}

struct bad_header {
	const char *what;
	size_t at;          /* where to patch (hand_header + v_cut_word) */
	uint8_t patch[8];
	size_t npatch;
	long len;           /* the file's length: -1 = unchanged */
	int err;
	uint64_t offset;
};

/* Entries of the test's directory besides . and .. */
static unsigned dir_entries(void)
{
	DIR *d = opendir(tmpdir);
	assert_non_null(d);
	unsigned n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* The writer: a file read back whole by the reader, nothing under the
 * real name until finished, nothing at all when discarded, and a write
 * error reported with the file's name. */
static void test_file_writer(void **state)
{
	(void)state;
	struct pdt_file_info info;
	hand_info(&info);
	char err[256];
	const char *path = put_file("", 0);
	assert_int_equal(unlink(path), 0);
	struct pdt_file_writer *w = pdt_file_create(path, &info, err, sizeof err);
	assert_non_null(w);
	assert_int_equal(access(path, F_OK), -1);
	uint64_t words[sizeof v_all / 8];
	memcpy(words, v_all, sizeof words);
	assert_int_equal(pdt_file_write_words(w, words, 1), 0);
	assert_int_equal(pdt_file_write_words(w, words + 1, sizeof words / 8 - 1), 0);
	assert_int_equal(pdt_file_finish(w, err, sizeof err), 0);
	struct pdt_file pf;
	uint64_t off;
	assert_int_equal(pdt_file_open(&pf, path, &off), PDT_OK);
	assert_info_eq(&pf.info, &info);
	assert_int_equal(pf.len, sizeof words);
	assert_memory_equal(pf.words, v_all, sizeof words);
	pdt_file_close(&pf);
	assert_int_equal(dir_entries(), ntmp);

	/* Discarded: neither the file nor a temporary is left. */
	assert_int_equal(unlink(path), 0);
	w = pdt_file_create(path, &info, err, sizeof err);
	assert_non_null(w);
	pdt_file_write_words(w, words, 2);
	pdt_file_discard(w);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(dir_entries(), ntmp - 1);
	pdt_file_discard(NULL);

	/* Cannot create; a full device (written in place, not replaced). */
	assert_null(pdt_file_create("/nonexistent/t.vzt", &info, err, sizeof err));
	assert_non_null(strstr(err, "/nonexistent/t.vzt: cannot create: "));
	if (access("/dev/full", W_OK) == 0) {
		w = pdt_file_create("/dev/full", &info, err, sizeof err);
		assert_non_null(w);
		pdt_file_write_words(w, words, 1);
		assert_int_equal(pdt_file_finish(w, err, sizeof err), -1);
		assert_string_equal(err, "/dev/full: write error: No space left on device");
	}
}

static void test_bad_headers(void **state)
{
	(void)state;
	const struct bad_header cases[] = {
		{ "empty file", 0, { 0 }, 0, 0, PDT_E_FORMAT, 0 },
		{ "shorter than the magic", 0, { 0 }, 0, 5, PDT_E_FORMAT, 0 },
		{ "wrong magic", 3, { 'X' }, 1, -1, PDT_E_FORMAT, 0 },
		{ "magic without its NUL", 7, { '!' }, 1, -1, PDT_E_FORMAT, 0 },
		{ "cut in the fixed part", 0, { 0 }, 0, 20, PDT_E_FORMAT, 20 },
		{ "cut right after the magic", 0, { 0 }, 0, 8, PDT_E_FORMAT, 8 },
		{ "version 2", 8, { 2, 0 }, 2, -1, PDT_E_VERSION, 8 },
		{ "version 0", 8, { 0, 0 }, 2, -1, PDT_E_VERSION, 8 },
		{ "header size 0", 10, { 0, 0 }, 2, -1, PDT_E_FORMAT, 10 },
		{ "header size 24", 10, { 24, 0 }, 2, -1, PDT_E_FORMAT, 10 },
		{ "header size not a multiple of 8", 10, { 100, 0 }, 2, -1, PDT_E_FORMAT, 10 },
		{ "header size past the file", 10, { 0xf8, 0xff }, 2, -1, PDT_E_FORMAT, 10 },
		{ "header larger than a short file", 0, { 0 }, 0, 90, PDT_E_FORMAT, 10 },
		{ "byte order 0", 12, { 0 }, 1, -1, PDT_E_FORMAT, 12 },
		{ "byte order 2", 12, { 2 }, 1, -1, PDT_E_FORMAT, 12 },
		{ "codec 0", 13, { 0 }, 1, -1, PDT_E_VERSION, 13 },
		{ "codec 2", 13, { 2 }, 1, -1, PDT_E_VERSION, 13 },
		{ "board past the header", 34, { 0x80, 0 }, 2, -1, PDT_E_FORMAT, 32 },
		{ "board longer than the header", 32, { 1, 0, 64, 0 }, 4, -1, PDT_E_FORMAT, 32 },
		{ "image shorter than its hash", 46, { 7, 0 }, 2, -1, PDT_E_FORMAT, 44 },
		{ "seed of 4 bytes", 82, { 4, 0 }, 2, -1, PDT_E_FORMAT, 80 },
		{ "end property with a length", 94, { 4, 0 }, 2, -1, PDT_E_FORMAT, 92 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct bad_header *c = &cases[i];
		uint8_t file[sizeof hand_header + sizeof v_cut_word];
		memcpy(file, hand_header, sizeof hand_header);
		memcpy(file + sizeof hand_header, v_cut_word, sizeof v_cut_word);
		memcpy(file + c->at, c->patch, c->npatch);
		size_t len = c->len < 0 ? sizeof file : (size_t)c->len;
		/* From memory, and through a real file (mapped or not). */
		struct pdt_file_info info;
		uint64_t off = 12345;
		int err = pdt_file_parse_header(&info, file, len, &off);
		if (err != c->err || off != c->offset)
			fail_msg("%s: parse gave %d at %llu, want %d at %llu", c->what, err,
				 (unsigned long long)off, c->err, (unsigned long long)c->offset);
		struct pdt_file pf;
		off = 12345;
		err = pdt_file_open(&pf, put_file(file, len), &off);
		if (err != c->err || off != c->offset)
			fail_msg("%s: open gave %d at %llu, want %d at %llu", c->what, err,
				 (unsigned long long)off, c->err, (unsigned long long)c->offset);
		assert_null(pf.map);
	}
}

/* The padding after the end property: at most up to the next multiple of
   8, and zeros only.  A size field enlarged past it (0xfff8: damage, not
   a header) would make the first 64 KiB of trace words header. */
static void test_header_padding(void **state)
{
	(void)state;
	/* The fixed part, the end property at 32..35, zeros at 36..39. */
	struct pdt_file_info info = { 0 }, back;
	static uint8_t file[0x10000 + 64];
	size_t n = write_trace(file, sizeof file, &info, NULL, 0);
	assert_int_equal(n, 40);
	memset(file + 40, 0x5a, sizeof file - 40); /* trace words, not zeros */
	uint64_t off = 0;
	assert_int_equal(pdt_file_parse_header(&back, file, sizeof file, &off), PDT_OK);
	assert_int_equal(back.header_size, 40);

	/* A padding byte that is not zero: named by its offset, through a
	   real file too. */
	for (size_t at = 36; at < 40; at++) {
		file[at] = 1;
		off = 0;
		assert_int_equal(pdt_file_parse_header(&back, file, sizeof file, &off), PDT_E_FORMAT);
		assert_int_equal(off, at);
		struct pdt_file pf;
		off = 0;
		assert_int_equal(pdt_file_open(&pf, put_file(file, sizeof file), &off), PDT_E_FORMAT);
		assert_int_equal(off, at);
		file[at] = 0;
	}

	/* A size past the padding: the size field's fault (offset 10), with
	   zeros or trace words after the properties. */
	static const uint16_t sizes[] = { 48, 0x100, 0xfff8 };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		file[10] = (uint8_t)sizes[i];
		file[11] = (uint8_t)(sizes[i] >> 8);
		off = 0;
		assert_int_equal(pdt_file_parse_header(&back, file, sizeof file, &off), PDT_E_FORMAT);
		assert_int_equal(off, 10);
		memset(file + 40, 0, sizes[i] - 40u);
		off = 0;
		assert_int_equal(pdt_file_parse_header(&back, file, sizeof file, &off), PDT_E_FORMAT);
		assert_int_equal(off, 10);
		memset(file + 40, 0x5a, sizes[i] - 40u);
	}

	/* Without an end property the properties may fill the header to its
	   last byte, and nothing is padding. */
	uint8_t h[48] = { 'V', 'Z', 'T', 'R', 'A', 'C', 'E', 0, 1, 0, 48, 0, 1, 1 };
	const uint8_t board[] = { 1, 0, 10, 0, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j' };
	memcpy(h + 32, board, sizeof board);
	assert_int_equal(pdt_file_parse_header(&back, h, sizeof h, &off), PDT_OK);
	assert_string_equal(back.board, "abcdefghij");
	h[46] = 7; /* the property's own padding to 4 is not the header's */
	assert_int_equal(pdt_file_parse_header(&back, h, sizeof h, &off), PDT_OK);
}

/* What a reader must accept: unknown properties, no end property, a
   header with room to spare, 16 images. */
static void test_lenient_headers(void **state)
{
	(void)state;
	uint8_t h[80] = { 'V', 'Z', 'T', 'R', 'A', 'C', 'E', 0, 1, 0, 48, 0, 1, 1, 0, 0 };
	/* 32: unknown type 77 of 3 bytes, then board "ab", filling to 48. */
	const uint8_t props[] = { 77, 0, 3, 0, 1, 2, 3, 0, 1, 0, 2, 0, 'a', 'b', 0, 0 };
	memcpy(h + 32, props, sizeof props);
	struct pdt_file_info info;
	uint64_t off;
	assert_int_equal(pdt_file_parse_header(&info, h, 48, &off), PDT_OK);
	assert_string_equal(info.board, "ab");
	assert_int_equal(info.header_size, 48);
	/* Flags this reader does not know are kept, not refused. */
	h[14] = 0xff;
	h[15] = 0xff;
	assert_int_equal(pdt_file_parse_header(&info, h, 48, &off), PDT_OK);
	assert_int_equal(info.flags, 0xffff);

	/* A board name of 64 bytes does not fit its field (63 + NUL). */
	uint8_t lb[32 + 4 + 64 + 4] = { 'V', 'Z', 'T', 'R', 'A', 'C', 'E', 0, 1, 0, 104, 0, 1, 1 };
	lb[32] = 1;
	lb[34] = 64;
	memset(lb + 36, 'x', 64);
	assert_int_equal(pdt_file_parse_header(&info, lb, sizeof lb, &off), PDT_E_FORMAT);
	assert_int_equal(off, 32);
	lb[34] = 63; /* 63 does, and the end property follows at 100 */
	assert_int_equal(pdt_file_parse_header(&info, lb, sizeof lb, &off), PDT_OK);
	assert_int_equal(strlen(info.board), 63);

	/* A 17th image cannot be held: a bad header, at that property. */
	uint8_t big[32 + 17 * 12 + 4 + 8] = { 'V', 'Z', 'T', 'R', 'A', 'C', 'E', 0, 1, 0, 0, 0, 1, 1 };
	size_t at = 32;
	for (int i = 0; i < 17; i++, at += 12) {
		big[at] = 2;
		big[at + 2] = 8;
	}
	size_t size = (at + 4 + 7) & ~(size_t)7;
	big[10] = (uint8_t)size;
	big[11] = (uint8_t)(size >> 8);
	assert_int_equal(pdt_file_parse_header(&info, big, size, &off), PDT_E_FORMAT);
	assert_int_equal(off, 32 + 16 * 12);
}

static void test_open_errors(void **state)
{
	(void)state;
	struct pdt_file pf;
	uint64_t off;
	errno = 0;
	assert_int_equal(pdt_file_open(&pf, "/nonexistent/pdt-test.vzt", &off), PDT_E_IO);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(pdt_file_open(&pf, tmpdir, &off), PDT_E_IO);
	assert_int_equal(errno, EISDIR);
	assert_int_equal(pdt_file_open(&pf, "/dev/null", &off), PDT_E_IO);
	/* err_offset may be NULL. */
	assert_int_equal(pdt_file_open(&pf, put_file("VZTRACE", 8), NULL), PDT_E_FORMAT);
}

/* A whole trace file cut at every byte: a bad header while the header is
   cut, then every record that fits and a TRUNCATED gap. */
static void test_file_cut_everywhere(void **state)
{
	(void)state;
	uint8_t file[sizeof hand_header + sizeof v_all];
	memcpy(file, hand_header, sizeof hand_header);
	memcpy(file + sizeof hand_header, v_all, sizeof v_all);
	for (size_t len = 0; len <= sizeof file; len++) {
		struct pdt_file pf;
		uint64_t off;
		int err = pdt_file_open(&pf, put_file(file, len), &off);
		if (len < sizeof hand_header) {
			assert_int_equal(err, PDT_E_FORMAT);
			continue;
		}
		assert_int_equal(err, PDT_OK);
		assert_int_equal(pf.len, len - sizeof hand_header);
		struct pdt_record got[32];
		size_t n = decode_all(pf.words, pf.len, got, 32);
		if (pf.len % 8) {
			assert_true(n > 0);
			assert_int_equal(got[n - 1].type, PDT_GAP);
			assert_int_equal(got[n - 1].gap.why, PDT_GAP_TRUNCATED);
		}
		pdt_file_close(&pf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_header_by_hand),
		cmocka_unit_test(test_header_round_trip),
		cmocka_unit_test(test_bootargs),
		cmocka_unit_test(test_window_property),
		cmocka_unit_test(test_writer_refuses),
		cmocka_unit_test(test_file_writer),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_header_padding),
		cmocka_unit_test(test_lenient_headers),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_file_cut_everywhere),
	};
	return cmocka_run_group_tests(tests, tmpfiles_setup, tmpfiles_teardown);
}
