/*
 * The trace file (docs/trace-format.md, "The trace file"): the header
 * with its TLV properties, written by the capture side and checked field
 * by field by the reader, then the trace words, read straight from a
 * read-only mapping.
 */
#include <pdtrace/pdtrace.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <util/outfile.h>

/* Fixed part of the header, and the offsets a bad-header error names. */
#define H_MAGIC     0
#define H_VERSION   8
#define H_SIZE      10
#define H_ORDER     12
#define H_CODEC     13
#define H_FLAGS     14
#define H_TC        16
#define H_TC2       20
#define H_PRID      24
#define H_CONFIG3   28
#define H_PROPS     32
#define ORDER_LE    1

/*
 * The header ends where its properties end (the end property included),
 * rounded up to H_ALIGN with zero bytes: at most H_ALIGN - 1 of them.  The
 * writer pads that way and the reader accepts nothing else, so a header
 * size field enlarged by damage cannot swallow trace words as padding.
 */
#define H_ALIGN     8

static size_t header_end(size_t props_end)
{
	return (props_end + H_ALIGN - 1) & ~(size_t)(H_ALIGN - 1);
}

enum { P_END = 0, P_BOARD = 1, P_IMAGE = 2, P_COMMAND = 3, P_SEED = 4, P_BOOTARGS = 5,
       P_WINDOW = 6 };
#define P_WINDOW_LEN 24 /* size, dropped, first index: 8 bytes each */

/* The largest header the writer can produce: every property full (it
 * must stay below 64 KiB: the header size is a 16-bit field). */
#define H_MAX (H_PROPS + 4 + 64 + PDT_MAX_IMAGES * (4 + 8 + 256) + 4 + 512 + \
	       4 + PDT_BOOTARGS_MAX + 4 + 8 + 4 + P_WINDOW_LEN + 4 + 8)
_Static_assert(H_MAX <= UINT16_MAX, "the header size field is 16 bits");

#define FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME  UINT64_C(0x100000001b3)

uint64_t pdt_hash_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	uint64_t h = FNV_OFFSET;
	unsigned char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		for (size_t i = 0; i < n; i++)
			h = (h ^ buf[i]) * FNV_PRIME;
	int bad = ferror(f);
	fclose(f);
	return bad ? 0 : h;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* Appends one property at *at, padded to 4 bytes. */
static void put_prop(uint8_t *h, size_t *at, uint16_t type, const void *a, size_t alen,
		     const void *b, size_t blen)
{
	put16(h + *at, type);
	put16(h + *at + 2, (uint16_t)(alen + blen));
	if (alen)
		memcpy(h + *at + 4, a, alen);
	if (blen)
		memcpy(h + *at + 4 + alen, b, blen);
	*at += (4 + alen + blen + 3) & ~(size_t)3;
}

int pdt_file_write_header(FILE *f, struct pdt_file_info *info)
{
	/* 0 asks for this build's version and codec; it writes no other. */
	if (!info->version)
		info->version = PDT_FILE_VERSION;
	if (!info->codec)
		info->codec = PDT_CODEC_VZT1;
	if (info->version != PDT_FILE_VERSION || info->codec != PDT_CODEC_VZT1 ||
	    info->nimages > PDT_MAX_IMAGES)
		return PDT_E_INVAL;
	/* Strings must end inside their fields, so that a reader gets them
	   back whole. */
	size_t board = strnlen(info->board, sizeof info->board);
	size_t command = strnlen(info->command, sizeof info->command);
	size_t bootargs = strnlen(info->bootargs, sizeof info->bootargs);
	if (board == sizeof info->board || command == sizeof info->command ||
	    bootargs == sizeof info->bootargs)
		return PDT_E_INVAL;
	for (unsigned i = 0; i < info->nimages; i++)
		if (strnlen(info->images[i].path, sizeof info->images[i].path) ==
		    sizeof info->images[i].path)
			return PDT_E_INVAL;

	uint8_t h[H_MAX] = { 0 };
	memcpy(h + H_MAGIC, PDT_FILE_MAGIC, sizeof PDT_FILE_MAGIC);
	put16(h + H_VERSION, info->version);
	h[H_ORDER] = ORDER_LE;
	h[H_CODEC] = (uint8_t)info->codec;
	put16(h + H_FLAGS, info->flags);
	put32(h + H_TC, info->tracecontrol);
	put32(h + H_TC2, info->tracecontrol2);
	put32(h + H_PRID, info->prid);
	put32(h + H_CONFIG3, info->config3);

	size_t at = H_PROPS;
	if (board)
		put_prop(h, &at, P_BOARD, info->board, board, NULL, 0);
	for (unsigned i = 0; i < info->nimages; i++) {
		uint8_t hash[8];
		put64(hash, info->images[i].hash);
		put_prop(h, &at, P_IMAGE, hash, 8, info->images[i].path,
			 strlen(info->images[i].path));
	}
	if (command)
		put_prop(h, &at, P_COMMAND, info->command, command, NULL, 0);
	if (bootargs)
		put_prop(h, &at, P_BOOTARGS, info->bootargs, bootargs, NULL, 0);
	if (info->has_seed) {
		uint8_t seed[8];
		put64(seed, info->seed);
		put_prop(h, &at, P_SEED, seed, 8, NULL, 0);
	}
	if (info->has_window) {
		uint8_t win[P_WINDOW_LEN];
		put64(win, info->window_size);
		put64(win + 8, info->window_dropped);
		put64(win + 16, info->window_index);
		put_prop(h, &at, P_WINDOW, win, sizeof win, NULL, 0);
	}
	put_prop(h, &at, P_END, NULL, 0, NULL, 0);
	at = header_end(at);
	put16(h + H_SIZE, (uint16_t)at);
	info->header_size = (uint32_t)at;

	if (fwrite(h, 1, at, f) != at)
		return PDT_E_IO;
	return PDT_OK;
}

/* ------------------------------------------------------------ writing */

struct pdt_file_writer {
	struct outfile out;
	char *path; /* for messages */
};

struct pdt_file_writer *pdt_file_reserve(const char *path, char *err, size_t errlen)
{
	struct pdt_file_writer *w = calloc(1, sizeof *w);
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!(w->path = strdup(path))) {
		snprintf(err, errlen, "out of memory");
		free(w);
		return NULL;
	}
	if (outfile_open(&w->out, path, err, errlen) != 0) {
		free(w->path);
		free(w);
		return NULL;
	}
	return w;
}

int pdt_file_begin(struct pdt_file_writer *w, struct pdt_file_info *info, char *err,
		   size_t errlen)
{
	int rc = pdt_file_write_header(w->out.f, info);
	if (rc == PDT_OK)
		return 0;
	if (rc == PDT_E_IO)
		snprintf(err, errlen, "%s: write error: %s", w->path, strerror(errno));
	else
		snprintf(err, errlen, "%s: %s", w->path, pdt_errstr(rc));
	return -1;
}

struct pdt_file_writer *pdt_file_create(const char *path, struct pdt_file_info *info,
					char *err, size_t errlen)
{
	struct pdt_file_writer *w = pdt_file_reserve(path, err, errlen);
	if (w && pdt_file_begin(w, info, err, errlen) != 0) {
		pdt_file_discard(w);
		return NULL;
	}
	return w;
}

int pdt_file_write_words(struct pdt_file_writer *w, const uint64_t *words, size_t n)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return outfile_write(&w->out, words, sizeof *words, n);
#else
	for (size_t i = 0; i < n; i++) {
		uint8_t b[8];
		put64(b, words[i]);
		if (outfile_write(&w->out, b, 1, sizeof b) != 0)
			return -1;
	}
	return 0;
#endif
}

int pdt_file_finish(struct pdt_file_writer *w, char *err, size_t errlen)
{
	int rc = outfile_commit(&w->out, err, errlen);
	free(w->path);
	free(w);
	return rc;
}

void pdt_file_discard(struct pdt_file_writer *w)
{
	if (!w)
		return;
	outfile_discard(&w->out);
	free(w->path);
	free(w);
}

int pdt_file_complete(struct pdt_file_writer *w, struct pdt_file_info *info,
		      const uint64_t *words, size_t n, char *err, size_t errlen)
{
	if (pdt_file_begin(w, info, err, errlen) != 0) {
		pdt_file_discard(w);
		return -1;
	}
	pdt_file_write_words(w, words, n);
	return pdt_file_finish(w, err, errlen);
}

/* ------------------------------------------------------------ reading */

static int bad(uint64_t *err_offset, uint64_t at, int err)
{
	if (err_offset)
		*err_offset = at;
	return err;
}

/* A string property into a field of cap bytes (NUL included). */
static bool get_str(char *dst, size_t cap, const uint8_t *v, size_t len)
{
	if (len >= cap)
		return false;
	memcpy(dst, v, len);
	dst[len] = 0;
	return true;
}

int pdt_file_parse_header(struct pdt_file_info *info, const uint8_t *buf, uint64_t len,
			  uint64_t *err_offset)
{
	memset(info, 0, sizeof *info);
	if (len < sizeof PDT_FILE_MAGIC ||
	    memcmp(buf + H_MAGIC, PDT_FILE_MAGIC, sizeof PDT_FILE_MAGIC) != 0)
		return bad(err_offset, H_MAGIC, PDT_E_FORMAT);
	if (len < H_PROPS)
		return bad(err_offset, len, PDT_E_FORMAT);
	info->version = get16(buf + H_VERSION);
	if (info->version != PDT_FILE_VERSION)
		return bad(err_offset, H_VERSION, PDT_E_VERSION);
	uint16_t size = get16(buf + H_SIZE);
	if (size < H_PROPS || size % H_ALIGN || size > len)
		return bad(err_offset, H_SIZE, PDT_E_FORMAT);
	if (buf[H_ORDER] != ORDER_LE)
		return bad(err_offset, H_ORDER, PDT_E_FORMAT);
	info->codec = buf[H_CODEC];
	if (info->codec != PDT_CODEC_VZT1)
		return bad(err_offset, H_CODEC, PDT_E_VERSION);
	info->flags = get16(buf + H_FLAGS);
	info->tracecontrol = get32(buf + H_TC);
	info->tracecontrol2 = get32(buf + H_TC2);
	info->prid = get32(buf + H_PRID);
	info->config3 = get32(buf + H_CONFIG3);
	info->header_size = size;

	/* Properties up to the end marker or the end of the header. */
	size_t end = size; /* where they end */
	for (size_t at = H_PROPS; at < size;) {
		if (at + 4 > size)
			return bad(err_offset, at, PDT_E_FORMAT);
		uint16_t type = get16(buf + at), plen = get16(buf + at + 2);
		const uint8_t *v = buf + at + 4;
		if (type == P_END) {
			if (plen != 0)
				return bad(err_offset, at, PDT_E_FORMAT);
			end = at + 4;
			break;
		}
		if (at + 4 + plen > size)
			return bad(err_offset, at, PDT_E_FORMAT);
		bool ok = true;
		switch (type) {
		case P_BOARD:
			ok = get_str(info->board, sizeof info->board, v, plen);
			break;
		case P_IMAGE: {
			if (plen < 8 || info->nimages == PDT_MAX_IMAGES) {
				ok = false;
				break;
			}
			struct pdt_image *im = &info->images[info->nimages];
			im->hash = get64(v);
			ok = get_str(im->path, sizeof im->path, v + 8, plen - 8u);
			info->nimages += ok;
			break;
		}
		case P_COMMAND:
			ok = get_str(info->command, sizeof info->command, v, plen);
			break;
		case P_BOOTARGS:
			ok = get_str(info->bootargs, sizeof info->bootargs, v, plen);
			break;
		case P_SEED:
			ok = plen == 8;
			if (ok) {
				info->seed = get64(v);
				info->has_seed = true;
			}
			break;
		case P_WINDOW:
			ok = plen == P_WINDOW_LEN;
			if (ok) {
				info->window_size = get64(v);
				info->window_dropped = get64(v + 8);
				info->window_index = get64(v + 16);
				info->has_window = true;
			}
			break;
		default: /* a property this reader does not know: skipped */
			break;
		}
		if (!ok)
			return bad(err_offset, at, PDT_E_FORMAT);
		at += (4u + plen + 3u) & ~3u;
	}
	/* Then the padding (header_end): a size past it is the size field's
	 * fault; a byte that is not zero, that byte's. */
	if (size > header_end(end))
		return bad(err_offset, H_SIZE, PDT_E_FORMAT);
	for (size_t at = end; at < size; at++)
		if (buf[at])
			return bad(err_offset, at, PDT_E_FORMAT);
	return PDT_OK;
}

int pdt_file_open(struct pdt_file *f, const char *path, uint64_t *err_offset)
{
	memset(f, 0, sizeof *f);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return PDT_E_IO;
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return PDT_E_IO;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		errno = S_ISDIR(st.st_mode) ? EISDIR : ENODEV;
		return PDT_E_IO;
	}
	if ((uint64_t)st.st_size < H_PROPS) {
		/* Too short to map usefully: check what there is from a copy. */
		uint8_t small[H_PROPS];
		ssize_t n = pread(fd, small, sizeof small, 0);
		int e = errno;
		close(fd);
		if (n < 0) {
			errno = e;
			return PDT_E_IO;
		}
		return pdt_file_parse_header(&f->info, small, (uint64_t)n, err_offset);
	}
	if ((uint64_t)st.st_size > SIZE_MAX) {
		close(fd);
		errno = EFBIG;
		return PDT_E_IO;
	}
	size_t maplen = (size_t)st.st_size;
	void *map = mmap(NULL, maplen, PROT_READ, MAP_PRIVATE, fd, 0);
	int e = errno;
	close(fd);
	if (map == MAP_FAILED) {
		errno = e;
		return PDT_E_IO;
	}
	/* Decoders read the words once, front to back. */
	(void)madvise(map, maplen, MADV_SEQUENTIAL);
	int err = pdt_file_parse_header(&f->info, map, maplen, err_offset);
	if (err) {
		munmap(map, maplen);
		return err;
	}
	f->map = map;
	f->maplen = maplen;
	f->words = (const uint8_t *)map + f->info.header_size;
	f->len = maplen - f->info.header_size;
	return PDT_OK;
}

void pdt_file_close(struct pdt_file *f)
{
	if (f->map)
		munmap(f->map, f->maplen);
	memset(f, 0, sizeof *f);
}
