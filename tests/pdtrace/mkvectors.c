/*
 * pdt-mkvectors DIR: writes the hand-made vectors of vectors.h out as
 * files, for the CLI tests (scripts/run-pdtrace-tests.sh) and the fuzzer's seed
 * corpus:
 *
 *   DIR/small.vzt        a clean capture: header + v_all
 *   DIR/damaged.vzt      header + v_marker_mid (corrupt records)
 *   DIR/truncated.vzt    header + v_cut_word (a partial last word)
 *   DIR/unsynced.vzt     header + v_unsynced (garbage before the sync:
 *                        not damage)
 *   DIR/bad-NAME.vzt     one broken header field each (bad-hsize-big: a
 *                        header size of 0xfff8 over 64 KiB of words)
 *   DIR/corpus/NAME[.vzt] every vector as raw words and as a .vzt file
 *   DIR/corpus/flow-NAME[.vzt] traces for the flow decoder: paths through
 *                        tests/pdtrace/flow_fixture.S (the fuzzer's code
 *                        image) and hypervisor messages, so that fuzzing
 *                        starts from records that fit the code
 *
 * The trace bytes are the hand-written ones; only the header goes through
 * libpdtrace's writer (the header's own bytes are tested by hand in
 * test_pdt_file.c).
 */
#include <pdtrace/pdtrace.h>
#include "vectors.h"

#include <vzsoak/utm.h>

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

/* ------------------------------------------------------------ flow seeds */

struct seed {
	uint8_t b[4096];
	size_t len;
	struct pdt_encoder e;
};

static void seed_sink(void *ctx, uint64_t w)
{
	struct seed *s = ctx;
	if (s->len + 8 > sizeof s->b) {
		fputs("pdt-mkvectors: a flow seed outgrew its buffer\n", stderr);
		exit(2);
	}
	for (unsigned i = 0; i < 8; i++)
		s->b[s->len++] = (uint8_t)(w >> (8 * i));
}

static void rec(struct seed *s, struct pdt_record r)
{
	if (pdt_enc_record(&s->e, &r) != PDT_OK) {
		fprintf(stderr, "pdt-mkvectors: a flow seed's %s record refused\n",
			pdt_type_name(r.type));
		exit(2);
	}
}

static void seed_sync(struct seed *s, uint32_t pc, struct pdt_ctx c, uint64_t index)
{
	rec(s, (struct pdt_record){ .type = PDT_SYNC, .sync = { pc, c, index } });
}

static void seed_msg(struct seed *s, unsigned kind, unsigned gid, const uint32_t *p, unsigned n)
{
	uint32_t w[1 + UTM_MAX_PAYLOAD];
	size_t nw = utm_encode(w, 1 + UTM_MAX_PAYLOAD, kind, gid, p, n);
	for (size_t i = 0; i < nw; i++)
		rec(s, (struct pdt_record){ .type = PDT_UTM, .utm = { 1, w[i] } });
}

static void put_seed(const char *name, struct seed *s)
{
	char path[128];
	pdt_enc_flush(&s->e);
	snprintf(path, sizeof path, "corpus/flow-%s", name);
	put(path, true, s->b, s->len, 0, NULL, 0, -1);
	snprintf(path, sizeof path, "corpus/flow-%s.vzt", name);
	put(path, false, s->b, s->len, 0, NULL, 0, -1);
}

/* flow_fixture.S: the vector at 0x80000180 (its eret at +0xc), the code
 * from 0x80001000 (branches, j, jal, a faulting lw, jr, func at +0x58). */
static void flow_seeds(void)
{
	static struct seed s;
	const struct pdt_ctx k = { .ksu = PDT_KERNEL }, kx = { .ksu = PDT_KERNEL, .exl = true };

	/* Branches taken and not, j, jal, jr and its TARGET, an exception,
	 * the handler's eret. */
	memset(&s, 0, sizeof s);
	pdt_enc_init(&s.e, seed_sink, &s);
	seed_sync(&s, 0x80001000u, k, 100);
	pdt_enc_insns(&s.e, 3);
	pdt_enc_branch(&s.e, true);
	pdt_enc_insns(&s.e, 1);
	pdt_enc_branch(&s.e, false);
	pdt_enc_insns(&s.e, 1);
	pdt_enc_branch(&s.e, false);
	pdt_enc_insns(&s.e, 7);
	rec(&s, (struct pdt_record){ .type = PDT_TARGET, .target = { 0x80001040u } });
	pdt_enc_insns(&s.e, 2);
	rec(&s, (struct pdt_record){ .type = PDT_EXCEPTION, .exc = { 2, false, 0x80000180u } });
	rec(&s, (struct pdt_record){ .type = PDT_MODE, .mode = kx });
	pdt_enc_insns(&s.e, 4);
	rec(&s, (struct pdt_record){ .type = PDT_TARGET, .target = { 0x80001048u } });
	rec(&s, (struct pdt_record){ .type = PDT_MODE, .mode = k });
	pdt_enc_insns(&s.e, 1);
	rec(&s, (struct pdt_record){ .type = PDT_TARGET, .target = { 0x90000000u } });
	pdt_enc_insns(&s.e, 4); /* the slot, then where no code is */
	rec(&s, (struct pdt_record){ .type = PDT_EXCEPTION, .exc = { 0, false, 0x80000180u } });
	seed_sync(&s, 0x80001058u, k, 4200);
	pdt_enc_insns(&s.e, 1);
	put_seed("walk", &s);

	/* Hypervisor messages, a crashme marker, guest 1's kernel erets to a
	 * block in user mode (its instructions are counts and bits the
	 * fuzzer can reshape), and it faults back. */
	memset(&s, 0, sizeof s);
	pdt_enc_init(&s.e, seed_sink, &s);
	const struct pdt_ctx gk = { .ksu = PDT_KERNEL, .exl = true, .guest = true, .asid = 9,
				    .guestid = 1 };
	const struct pdt_ctx gu = { .ksu = PDT_USER, .guest = true, .asid = 9, .guestid = 1 };
	uint32_t v[UTM_VMEXIT_WORDS] = { 0x1b, 0x80000400u, 0x80000404u, 0x13, 0x20, 0x1000,
					 0x2001, 0x6000, 3 };
	seed_sync(&s, 0x8000018cu, gk, 7000);
	seed_msg(&s, UTM_EXIT, 1, v, UTM_VMEXIT_WORDS);
	v[0] = 0;
	v[7] = 0;
	seed_msg(&s, UTM_ENTRY, 2, v, UTM_VMEXIT_WORDS);
	seed_msg(&s, UTM_ANOMALY, 1, (const uint32_t[]){ 7, 0xdead }, 2);
	seed_msg(&s, UTM_HEARTBEAT, 2, (const uint32_t[]){ 42 }, 1);
	seed_msg(&s, UTM_MARKER, 1, (const uint32_t[]){ 0xc0000005u }, 1);
	rec(&s, (struct pdt_record){ .type = PDT_UTM, .utm = { 2, 0x12345678u } });
	pdt_enc_insns(&s.e, 1);
	rec(&s, (struct pdt_record){ .type = PDT_TARGET, .target = { 0x00100000u } });
	rec(&s, (struct pdt_record){ .type = PDT_MODE, .mode = gu });
	pdt_enc_branch(&s.e, false);
	pdt_enc_insns(&s.e, 5);
	rec(&s, (struct pdt_record){ .type = PDT_EXCEPTION, .exc = { 8, false, 0x80000180u } });
	rec(&s, (struct pdt_record){ .type = PDT_MODE, .mode = gk });
	pdt_enc_insns(&s.e, 4);
	rec(&s, (struct pdt_record){ .type = PDT_TARGET, .target = { 0x00100000u } });
	rec(&s, (struct pdt_record){ .type = PDT_MODE,
				     .mode = { .ksu = PDT_USER, .guest = true, .asid = 10,
					       .guestid = 1 } });
	pdt_enc_insns(&s.e, 6);
	rec(&s, (struct pdt_record){ .type = PDT_OVERFLOW, .overflow = { 3 } });
	seed_sync(&s, 0x80001000u, k, 9000);
	pdt_enc_insns(&s.e, 2);
	put_seed("guests", &s);
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
	/* A header size enlarged to 0xfff8 over more than 64 KiB of trace
	 * words: the reader must not take the words for header padding. */
	static uint8_t words64k[0x10000 + sizeof v_all];
	for (size_t at = 0; at < sizeof words64k; at += sizeof v_all)
		memcpy(words64k + at, v_all,
		       sizeof words64k - at < sizeof v_all ? sizeof words64k - at : sizeof v_all);
	put("bad-hsize-big.vzt", false, words64k, sizeof words64k, 10,
	    (const uint8_t[]){ 0xf8, 0xff }, 2, -1);

	for (size_t i = 0; i < NVECTORS; i++) {
		char name[128];
		snprintf(name, sizeof name, "corpus/%s", vectors[i].name);
		put(name, true, vectors[i].bytes, vectors[i].len, 0, NULL, 0, -1);
		snprintf(name, sizeof name, "corpus/%s.vzt", vectors[i].name);
		put(name, false, vectors[i].bytes, vectors[i].len, 0, NULL, 0, -1);
	}
	flow_seeds();
	return 0;
}
