/*
 * pdt-mkvectors DIR: writes the hand-made vectors of vectors.h out as
 * files, for the CLI tests (tests/pdtrace/cli.sh) and the fuzzer's seed
 * corpus:
 *
 *   DIR/small.vzt        a clean capture: header + v_all
 *   DIR/damaged.vzt      header + v_marker_mid (corrupt records)
 *   DIR/truncated.vzt    header + v_cut_word (a partial last word)
 *   DIR/unsynced.vzt     header + v_unsynced (garbage before the sync:
 *                        not damage)
 *   DIR/bad-NAME.vzt     one broken header field each
 *   DIR/corpus/NAME[.vzt] every vector as raw words and as a .vzt file
 *
 * The trace bytes are the hand-written ones; only the header goes through
 * libpdtrace's writer (the header's own bytes are tested by hand in
 * test_pdt_file.c).
 */
#include "pdtrace/pdtrace.h"
#include "vectors.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *dir;

static void die(const char *what)
{
	fprintf(stderr, "pdt-mkvectors: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void info_for(struct pdt_file_info *info)
{
	*info = (struct pdt_file_info){
		.flags = PDT_FLAG_OFFCHIP, .tracecontrol = 0x83e00011u,
		.tracecontrol2 = 0x00000087u, .prid = 0x0001a800u, .config3 = 0x00800000u,
		.seed = 7, .has_seed = true, .nimages = 2,
	};
	strcpy(info->board, "vzsim");
	strcpy(info->command, "vzsim --trace small.vzt hv.elf guest.elf");
	strcpy(info->bootargs, "guests=2 image=stress seed=7");
	info->images[0].hash = 0x0123456789abcdefull;
	strcpy(info->images[0].path, "hv.elf");
	info->images[1].hash = 0xfedcba9876543210ull;
	strcpy(info->images[1].path, "guest \"1\".elf");
}

/* name in dir: a header (unless raw), the bytes, then a patch. */
static void put(const char *name, bool raw, const uint8_t *bytes, size_t len,
		size_t patch_at, const uint8_t *patch, size_t npatch, long cut)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	char *buf = NULL;
	size_t size = 0;
	FILE *m = open_memstream(&buf, &size);
	if (!m)
		die("open_memstream");
	if (!raw) {
		struct pdt_file_info info;
		info_for(&info);
		if (pdt_file_write_header(m, &info) != PDT_OK)
			die("header");
	}
	if (len && fwrite(bytes, 1, len, m) != len)
		die("memstream");
	if (fclose(m) != 0)
		die("memstream");
	if (npatch) {
		if (patch_at + npatch > size) {
			fprintf(stderr, "pdt-mkvectors: %s: patch outside the file\n", name);
			exit(2);
		}
		memcpy(buf + patch_at, patch, npatch);
	}
	if (cut >= 0 && (size_t)cut < size)
		size = (size_t)cut;
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, size, f) != size || fclose(f) != 0)
		die(path);
	free(buf);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: pdt-mkvectors DIR\n", stderr);
		return 2;
	}
	dir = argv[1];
	char sub[4096];
	snprintf(sub, sizeof sub, "%s/corpus", dir);
	if ((mkdir(dir, 0777) != 0 && errno != EEXIST) || (mkdir(sub, 0777) != 0 && errno != EEXIST))
		die(dir);

	put("small.vzt", false, v_all, sizeof v_all, 0, NULL, 0, -1);
	put("damaged.vzt", false, v_marker_mid, sizeof v_marker_mid, 0, NULL, 0, -1);
	put("truncated.vzt", false, v_cut_word, sizeof v_cut_word, 0, NULL, 0, -1);
	put("unsynced.vzt", false, v_unsynced, sizeof v_unsynced, 0, NULL, 0, -1);

	/* Broken headers: the field's offset, as the CLI must name it. */
	put("bad-magic.vzt", false, v_all, sizeof v_all, 0, (const uint8_t *)"VZTRACF", 7, -1);
	put("bad-version.vzt", false, v_all, sizeof v_all, 8, (const uint8_t[]){ 9, 0 }, 2, -1);
	put("bad-hsize.vzt", false, v_all, sizeof v_all, 10, (const uint8_t[]){ 12, 0 }, 2, -1);
	put("bad-order.vzt", false, v_all, sizeof v_all, 12, (const uint8_t[]){ 2 }, 1, -1);
	put("bad-codec.vzt", false, v_all, sizeof v_all, 13, (const uint8_t[]){ 7 }, 1, -1);
	put("bad-prop.vzt", false, v_all, sizeof v_all, 34, (const uint8_t[]){ 0xff, 0x7f }, 2, -1);
	put("bad-short.vzt", false, v_all, sizeof v_all, 0, NULL, 0, 20);
	put("bad-empty.vzt", true, NULL, 0, 0, NULL, 0, -1);

	for (size_t i = 0; i < NVECTORS; i++) {
		char name[128];
		snprintf(name, sizeof name, "corpus/%s", vectors[i].name);
		put(name, true, vectors[i].bytes, vectors[i].len, 0, NULL, 0, -1);
		snprintf(name, sizeof name, "corpus/%s.vzt", vectors[i].name);
		put(name, false, vectors[i].bytes, vectors[i].len, 0, NULL, 0, -1);
	}
	return 0;
}
