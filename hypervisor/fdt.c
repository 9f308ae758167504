/* The flattened device tree writer (<vzsoak/fdt.h>), for both sides: no
 * C library beyond what the hypervisor has. */
#include <vzsoak/fdt.h>

/* Where the structure block starts: after the header and the memory
 * reservation map (its terminating entry alone, 8-aligned). */
#define DT_OFF (FDT_HEADER_SIZE + 16u)

static size_t slen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

static int same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

void fdt_init(struct fdt_writer *w, void *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->dt_len = 0;
	w->str_len = 0;
	w->depth = 0;
	w->bad = cap < DT_OFF;
}

/* Room for n more bytes of the structure block. */
static uint8_t *dt_room(struct fdt_writer *w, size_t n)
{
	if (w->bad || w->cap - DT_OFF - w->dt_len < n) {
		w->bad = 1;
		return 0;
	}
	uint8_t *p = w->buf + DT_OFF + w->dt_len;
	w->dt_len += n;
	return p;
}

static void dt_u32(struct fdt_writer *w, uint32_t v)
{
	uint8_t *p = dt_room(w, 4);
	if (p)
		put_be32(p, v);
}

/* n bytes, then zeros up to the next multiple of 4. */
static void dt_bytes(struct fdt_writer *w, const void *src, size_t n)
{
	size_t padded = (n + 3) & ~(size_t)3;
	uint8_t *p = dt_room(w, padded);
	if (!p)
		return;
	for (size_t i = 0; i < padded; i++)
		p[i] = i < n ? ((const uint8_t *)src)[i] : 0;
}

/* The offset of name in the strings block, added if it is not there. */
static uint32_t string_off(struct fdt_writer *w, const char *name)
{
	size_t n = slen(name) + 1;
	for (size_t off = 0; off < w->str_len; off += slen(w->str + off) + 1)
		if (same(w->str + off, name))
			return (uint32_t)off;
	if (sizeof w->str - w->str_len < n) {
		w->bad = 1;
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		w->str[w->str_len + i] = name[i];
	w->str_len += n;
	return (uint32_t)(w->str_len - n);
}

void fdt_begin_node(struct fdt_writer *w, const char *name)
{
	if (w->depth == 0 && w->dt_len != 0)
		w->bad = 1; /* a second root */
	dt_u32(w, FDT_BEGIN_NODE);
	dt_bytes(w, name, slen(name) + 1);
	w->depth++;
}

void fdt_end_node(struct fdt_writer *w)
{
	if (w->depth == 0) {
		w->bad = 1;
		return;
	}
	dt_u32(w, FDT_END_NODE);
	w->depth--;
}

void fdt_prop(struct fdt_writer *w, const char *name, const void *value, size_t len)
{
	if (w->depth == 0 || len > 0xffffffffu) {
		w->bad = 1;
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
	if (w->depth == 0) {
		w->bad = 1;
		return;
	}
	uint32_t off = string_off(w, name);
	dt_u32(w, FDT_PROP);
	dt_u32(w, (uint32_t)(4 * n));
	dt_u32(w, off);
	for (size_t i = 0; i < n; i++)
		dt_u32(w, cells[i]);
}

void fdt_prop_u32(struct fdt_writer *w, const char *name, uint32_t v)
{
	fdt_prop_cells(w, name, &v, 1);
}

void fdt_prop_string(struct fdt_writer *w, const char *name, const char *s)
{
	fdt_prop(w, name, s, slen(s) + 1);
}

void fdt_prop_empty(struct fdt_writer *w, const char *name)
{
	fdt_prop(w, name, 0, 0);
}

size_t fdt_finish(struct fdt_writer *w)
{
	if (w->depth == 0 && w->dt_len != 0)
		dt_u32(w, FDT_END);
	if (w->bad || w->depth != 0 || w->dt_len == 0 ||
	    w->cap - DT_OFF - w->dt_len < w->str_len)
		return 0;
	size_t str = DT_OFF + w->dt_len, total = str + w->str_len;
	const uint32_t h[10] = {FDT_MAGIC, (uint32_t)total, DT_OFF, (uint32_t)str,
				FDT_HEADER_SIZE, 17, 16, 0, (uint32_t)w->str_len,
				(uint32_t)w->dt_len};
	for (unsigned i = 0; i < 10; i++)
		put_be32(w->buf + 4 * i, h[i]);
	for (unsigned i = 0; i < 16; i++)
		w->buf[FDT_HEADER_SIZE + i] = 0;
	for (size_t i = 0; i < w->str_len; i++)
		w->buf[str + i] = (uint8_t)w->str[i];
	return total;
}
