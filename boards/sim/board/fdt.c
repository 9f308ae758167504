/* The flattened device tree writer (fdt.h). */
#include "fdt.h"

#include <stdlib.h>
#include <string.h>

void fdt_init(struct fdt_writer *w)
{
	*w = (struct fdt_writer){0};
}

/* Room for n more bytes in *buf (of *len used, *cap allocated). */
static bool grow(struct fdt_writer *w, void **buf, size_t *len, size_t *cap, size_t n)
{
	if (w->bad)
		return false;
	if (*len + n <= *cap)
		return true;
	size_t c = *cap ? *cap : 256;
	while (c < *len + n)
		c *= 2;
	void *p = realloc(*buf, c);
	if (!p) {
		w->bad = true;
		return false;
	}
	*buf = p;
	*cap = c;
	return true;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void dt_u32(struct fdt_writer *w, uint32_t v)
{
	if (grow(w, (void **)&w->dt, &w->dt_len, &w->dt_cap, 4)) {
		put_be32(w->dt + w->dt_len, v);
		w->dt_len += 4;
	}
}

/* n bytes, then zeros up to the next multiple of 4. */
static void dt_bytes(struct fdt_writer *w, const void *p, size_t n)
{
	size_t padded = (n + 3) & ~(size_t)3;
	if (grow(w, (void **)&w->dt, &w->dt_len, &w->dt_cap, padded)) {
		if (n)
			memcpy(w->dt + w->dt_len, p, n);
		memset(w->dt + w->dt_len + n, 0, padded - n);
		w->dt_len += padded;
	}
}

/* The offset of name in the strings block, added if it is not there. */
static uint32_t string_off(struct fdt_writer *w, const char *name)
{
	size_t n = strlen(name) + 1;
	for (size_t off = 0; off < w->str_len; off += strlen(w->str + off) + 1)
		if (strcmp(w->str + off, name) == 0)
			return (uint32_t)off;
	if (!grow(w, (void **)&w->str, &w->str_len, &w->str_cap, n))
		return 0;
	memcpy(w->str + w->str_len, name, n);
	w->str_len += n;
	return (uint32_t)(w->str_len - n);
}

void fdt_begin_node(struct fdt_writer *w, const char *name)
{
	if (w->depth == 0 && w->dt_len != 0)
		w->bad = true; /* a second root */
	dt_u32(w, FDT_BEGIN_NODE);
	dt_bytes(w, name, strlen(name) + 1);
	w->depth++;
}

void fdt_end_node(struct fdt_writer *w)
{
	if (w->depth == 0) {
		w->bad = true;
		return;
	}
	dt_u32(w, FDT_END_NODE);
	w->depth--;
}

void fdt_prop(struct fdt_writer *w, const char *name, const void *value, size_t len)
{
	if (w->depth == 0 || len > UINT32_MAX) {
		w->bad = true;
		return;
	}
	uint32_t off = string_off(w, name);
	dt_u32(w, FDT_PROP);
	dt_u32(w, (uint32_t)len);
	dt_u32(w, off);
	dt_bytes(w, value, len);
}

void fdt_prop_cells(struct fdt_writer *w, const char *name, const uint32_t *cells, size_t n)
{
	uint8_t *be = malloc(n * 4 + 1);
	if (!be) {
		w->bad = true;
		return;
	}
	for (size_t i = 0; i < n; i++)
		put_be32(be + 4 * i, cells[i]);
	fdt_prop(w, name, be, n * 4);
	free(be);
}

void fdt_prop_u32(struct fdt_writer *w, const char *name, uint32_t v)
{
	fdt_prop_cells(w, name, &v, 1);
}

void fdt_prop_string(struct fdt_writer *w, const char *name, const char *s)
{
	fdt_prop(w, name, s, strlen(s) + 1);
}

void fdt_prop_empty(struct fdt_writer *w, const char *name)
{
	fdt_prop(w, name, NULL, 0);
}

uint8_t *fdt_finish(struct fdt_writer *w, size_t *len)
{
	uint8_t *blob = NULL;
	if (w->depth == 0 && w->dt_len != 0)
		dt_u32(w, FDT_END);
	if (!w->bad && w->depth == 0 && w->dt_len != 0) {
		/* Header, the memory reservation map (its terminating entry
		 * alone, 8-aligned), the structure block, the strings. */
		size_t rsv = FDT_HEADER_SIZE, dt = rsv + 16, str = dt + w->dt_len;
		size_t total = str + w->str_len;
		blob = calloc(1, total);
		if (blob) {
			uint32_t h[10] = {FDT_MAGIC, (uint32_t)total, (uint32_t)dt, (uint32_t)str,
					  (uint32_t)rsv, 17, 16, 0, (uint32_t)w->str_len,
					  (uint32_t)w->dt_len};
			for (unsigned i = 0; i < 10; i++)
				put_be32(blob + 4 * i, h[i]);
			memcpy(blob + dt, w->dt, w->dt_len);
			if (w->str_len)
				memcpy(blob + str, w->str, w->str_len);
			*len = total;
		}
	}
	free(w->dt);
	free(w->str);
	*w = (struct fdt_writer){0};
	return blob;
}
