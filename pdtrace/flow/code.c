/*
 * Code images for the flow decoder (flow.h, "code images"): the bytes of
 * an ELF's PT_LOAD segments, looked up by virtual address, and its
 * function/object symbols, looked up by the address they contain.
 *
 * The file is read by the shared ELF reader (boards/mips, mips/elf.h),
 * which checks it; everything is copied out at load time and the file is
 * closed: an image is then plain read-only memory, which several decoders
 * may share.  The segments are keyed by p_vaddr, not p_paddr: the flow
 * decoder follows the PCs the core ran, and an image may be linked to run
 * at addresses other than where it is loaded (the stress kernel's user
 * code runs at 0x4000 but is loaded in kseg0).
 */
#include <pdtrace/flow.h>

#include <elf.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mips/elf.h>

#include "code.h"

#define NONE UINT32_MAX

struct code_seg {
	uint32_t va;
	uint32_t filesz;
	uint32_t memsz;
	/* Offsets below lim hold a whole word: filesz - 3, or 0 when the
	 * segment holds less than one word.  One compare per lookup. */
	uint32_t lim;
	const uint8_t *data;
};

/* An allocated section and its symbols (a slice of pdt_code.sym). */
struct code_sec {
	uint32_t lo, hi; /* [lo, hi) */
	uint32_t first, n;
};

struct code_sym {
	uint32_t addr, size;
	uint32_t name;  /* offset in pdt_code.names */
	uint32_t sec;   /* its section's index in pdt_code.sec */
	/* Of this symbol and those before it in its section, the sized one
	 * that reaches furthest (NONE if none is sized): if any sized
	 * symbol at or below an address contains it, this one does. */
	uint32_t encl;
	uint8_t type, bind;
};

struct pdt_code {
	char *path;
	struct code_seg *seg;   /* sorted by va, disjoint */
	uint32_t nseg;
	uint8_t *bytes;         /* every segment's file bytes */
	/* Each overlay's bytes the image had no segment for (pdt_code_overlay). */
	uint8_t **overlay;
	uint32_t noverlay;
	struct code_sec *sec;   /* sorted by lo, disjoint */
	uint32_t nsec;
	struct code_sym *sym;   /* by section, then address; one per address */
	uint32_t nsym;
	char *names;
	/* The segment of the last word read: instructions come in runs, so
	 * this hits nearly always.  Relaxed atomic so that decoders in
	 * several threads may share one image; it is only a hint. */
	_Atomic uint32_t last;
};

/* ------------------------------------------------------------ lookups */

/* The segment that holds a whole word at va, or NULL. */
static const struct code_seg *word_seg(const struct pdt_code *c, uint32_t va)
{
	uint32_t i = atomic_load_explicit(&c->last, memory_order_relaxed);
	const struct code_seg *s = &c->seg[i];
	if (va - s->va < s->lim)
		return s;
	for (i = 0; i < c->nseg; i++)
		if (va - c->seg[i].va < c->seg[i].lim)
			break;
	if (i == c->nseg)
		return NULL;
	/* The image is not const in memory (pdt_code_load allocated it):
	 * only the hint changes. */
	atomic_store_explicit(&((struct pdt_code *)c)->last, i, memory_order_relaxed);
	return &c->seg[i];
}

int pdt_code_word(const struct pdt_code *c, uint32_t va, uint32_t *word)
{
	if (va & 3)
		return -1;
	const struct code_seg *s = word_seg(c, va);
	if (!s)
		return -1;
	const uint8_t *p = s->data + (va - s->va);
	*word = code_le32(p);
	return 0;
}

const uint8_t *code_span(const struct pdt_code *c, uint32_t va, uint32_t *nwords)
{
	if (va & 3)
		return NULL;
	const struct code_seg *s = word_seg(c, va);
	if (!s)
		return NULL;
	uint32_t at = va - s->va;
	*nwords = (s->lim - 1 - at) / 4 + 1;
	return s->data + at;
}

const char *pdt_code_symbol(const struct pdt_code *c, uint32_t va, uint32_t *off)
{
	/* The section holding va: the last one starting at or below it. */
	uint32_t lo = 0, hi = c->nsec;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (c->sec[mid].lo <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || va >= c->sec[lo - 1].hi)
		return NULL;
	const struct code_sec *sec = &c->sec[lo - 1];

	/* Its last symbol at or below va. */
	const struct code_sym *s = c->sym + sec->first;
	lo = 0;
	hi = sec->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (s[mid].addr <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const struct code_sym *best = &s[lo - 1];
	/* A sized symbol that contains va beats a nearer label that does
	 * not (a NOTYPE label inside a function names a point, the function
	 * the code). */
	if (!(best->size && va - best->addr < best->size) && best->encl != NONE) {
		const struct code_sym *e = &c->sym[best->encl];
		if (va - e->addr < e->size)
			best = e;
	}
	if (off)
		*off = va - best->addr;
	return c->names + best->name;
}

const char *pdt_code_path(const struct pdt_code *c)
{
	return c->path;
}

void pdt_code_free(struct pdt_code *c)
{
	if (!c)
		return;
	free(c->path);
	free(c->seg);
	free(c->bytes);
	for (uint32_t i = 0; i < c->noverlay; i++)
		free(c->overlay[i]);
	free(c->overlay);
	free(c->sec);
	free(c->sym);
	free(c->names);
	free(c);
}

/* ------------------------------------------------------------ loading */

/* One load: the image being built and what only the load needs. */
struct loader {
	struct mips_elf elf;
	struct pdt_code *c;
	char *err;
	size_t errlen;
	uint32_t *slot;  /* ELF section index -> index in c->sec, or NONE */
	size_t names_len, names_cap;
};

static int nomem(struct loader *L)
{
	if (L->err && L->errlen)
		snprintf(L->err, L->errlen, "%s: out of memory", L->c->path);
	return PDT_E_NOMEM;
}

static int cmp_seg(const void *a, const void *b)
{
	const struct code_seg *x = a, *y = b;
	return (x->va > y->va) - (x->va < y->va);
}

/* The segments' file bytes, copied: the image outlives the file. */
static int load_segments(struct loader *L)
{
	struct pdt_code *c = L->c;
	const struct mips_elf *e = &L->elf;
	size_t total = 0;
	for (size_t i = 0; i < e->nseg; i++)
		total += e->seg[i].filesz;
	c->seg = calloc(e->nseg, sizeof *c->seg);
	c->bytes = malloc(total ? total : 1);
	if (!c->seg || !c->bytes)
		return nomem(L);
	size_t at = 0;
	for (size_t i = 0; i < e->nseg; i++) {
		const struct mips_elf_seg *s = &e->seg[i];
		memcpy(c->bytes + at, s->data, s->filesz);
		c->seg[c->nseg++] = (struct code_seg){
			.va = s->vaddr, .filesz = s->filesz, .memsz = s->memsz,
			.lim = s->filesz >= 4 ? s->filesz - 3 : 0, .data = c->bytes + at,
		};
		at += s->filesz;
	}
	/* The reader checked that they do not overlap; sorted for lookups. */
	qsort(c->seg, c->nseg, sizeof *c->seg, cmp_seg);
	return PDT_OK;
}

static int cmp_sec(const void *a, const void *b)
{
	const struct code_sec *x = a, *y = b;
	/* first holds the ELF section index until the symbols are sorted */
	if (x->lo != y->lo)
		return (x->lo > y->lo) - (x->lo < y->lo);
	return (x->first > y->first) - (x->first < y->first);
}

/*
 * The allocated sections, sorted: a symbol names addresses of its own
 * section only, never of the next one (or of another segment that
 * happens to lie above it).  L->slot maps ELF section indices to them.
 */
static int load_sections(struct loader *L)
{
	struct pdt_code *c = L->c;
	const struct mips_elf *e = &L->elf;
	c->sec = calloc(e->nsec ? e->nsec : 1, sizeof *c->sec);
	L->slot = malloc((e->nsec ? e->nsec : 1) * sizeof *L->slot);
	if (!c->sec || !L->slot)
		return nomem(L);
	for (size_t i = 1; i < e->nsec; i++) {
		const struct mips_elf_sec *s = &e->sec[i];
		/* TLS sections hold templates, not addresses. */
		if (!(s->flags & SHF_ALLOC) || (s->flags & SHF_TLS) || !s->size ||
		    (uint64_t)s->addr + s->size > UINT64_C(0x100000000))
			continue;
		c->sec[c->nsec++] = (struct code_sec){
			.lo = s->addr, .hi = (uint32_t)((uint64_t)s->addr + s->size),
			.first = (uint32_t)i,
		};
	}
	qsort(c->sec, c->nsec, sizeof *c->sec, cmp_sec);
	for (size_t i = 0; i < e->nsec; i++)
		L->slot[i] = NONE;
	for (uint32_t i = 0; i < c->nsec; i++) {
		L->slot[c->sec[i].first] = i;
		c->sec[i].first = c->sec[i].n = 0;
		/* Overlapping sections (not in sane images): the later one
		 * owns the overlap, so that every address has one section. */
		if (i + 1 < c->nsec && c->sec[i].hi > c->sec[i + 1].lo)
			c->sec[i].hi = c->sec[i + 1].lo;
	}
	return PDT_OK;
}

static int add_name(struct loader *L, const char *name, uint32_t *at)
{
	size_t n = strlen(name) + 1;
	if (L->names_len + n > UINT32_MAX) {
		if (L->err && L->errlen)
			snprintf(L->err, L->errlen, "%s: symbol names too long", L->c->path);
		return PDT_E_FORMAT;
	}
	if (L->names_len + n > L->names_cap) {
		size_t cap = L->names_cap ? L->names_cap * 2 : 4096;
		while (cap < L->names_len + n)
			cap *= 2;
		char *p = realloc(L->c->names, cap);
		if (!p)
			return nomem(L);
		L->c->names = p;
		L->names_cap = cap;
	}
	memcpy(L->c->names + L->names_len, name, n);
	*at = (uint32_t)L->names_len;
	L->names_len += n;
	return PDT_OK;
}

/* The symbols that name code or data: functions, objects and plain
 * labels defined at an address of an allocated section. */
static int load_symtab(struct loader *L)
{
	struct pdt_code *c = L->c;
	const struct mips_elf *e = &L->elf;
	c->sym = calloc(e->nsym ? e->nsym : 1, sizeof *c->sym);
	if (!c->sym)
		return nomem(L);
	for (size_t i = 0; i < e->nsym; i++) {
		const struct mips_elf_sym *s = &e->sym[i];
		if (s->type != STT_FUNC && s->type != STT_OBJECT && s->type != STT_NOTYPE)
			continue;
		/* Undefined, absolute and common symbols (and the extended
		 * indices of huge files) are no address in a section. */
		if (s->shndx == SHN_UNDEF || s->shndx >= SHN_LORESERVE ||
		    s->shndx >= e->nsec || L->slot[s->shndx] == NONE)
			continue;
		const struct code_sec *sec = &c->sec[L->slot[s->shndx]];
		if (s->value < sec->lo || s->value >= sec->hi)
			continue;
		/* .L labels are the assembler's own, kept only by -L. */
		if (!s->name[0] || !strncmp(s->name, ".L", 2))
			continue;
		struct code_sym *y = &c->sym[c->nsym];
		*y = (struct code_sym){
			.addr = s->value, .size = s->size, .sec = L->slot[s->shndx],
			.type = s->type, .bind = s->bind,
		};
		int err = add_name(L, s->name, &y->name);
		if (err)
			return err;
		c->nsym++;
	}
	return PDT_OK;
}

/* Which of two symbols at one address names it: a function, then a
 * global (or weak) one, then the larger, then the first in the file (for
 * the same answer on every run: qsort is not stable). */
static int cmp_sym(const void *a, const void *b)
{
	const struct code_sym *x = a, *y = b;
	if (x->sec != y->sec)
		return (x->sec > y->sec) - (x->sec < y->sec);
	if (x->addr != y->addr)
		return (x->addr > y->addr) - (x->addr < y->addr);
	bool xf = x->type == STT_FUNC, yf = y->type == STT_FUNC;
	if (xf != yf)
		return yf - xf;
	bool xg = x->bind != STB_LOCAL, yg = y->bind != STB_LOCAL;
	if (xg != yg)
		return yg - xg;
	if (x->size != y->size)
		return (y->size > x->size) - (y->size < x->size);
	return (x->name > y->name) - (x->name < y->name);
}

/* One symbol per address (the first after sorting names it), each
 * section's slice, and each symbol's enclosing one. */
static void index_symbols(struct pdt_code *c)
{
	qsort(c->sym, c->nsym, sizeof *c->sym, cmp_sym);
	uint32_t n = 0;
	for (uint32_t i = 0; i < c->nsym; i++)
		if (n == 0 || c->sym[i].sec != c->sym[n - 1].sec ||
		    c->sym[i].addr != c->sym[n - 1].addr)
			c->sym[n++] = c->sym[i];
	c->nsym = n;

	uint64_t reach = 0;
	for (uint32_t i = 0; i < c->nsym; i++) {
		struct code_sym *y = &c->sym[i];
		struct code_sec *sec = &c->sec[y->sec];
		if (sec->n == 0) {
			sec->first = i;
			reach = 0;
		}
		sec->n++;
		y->encl = i > sec->first ? c->sym[i - 1].encl : NONE;
		if (y->size && (uint64_t)y->addr + y->size >= reach) {
			reach = (uint64_t)y->addr + y->size;
			y->encl = i;
		}
	}
}

static int load(struct loader *L, const char *path)
{
	int rc = mips_elf_open(&L->elf, path, MIPS_ELF_SYMBOLS, L->err, L->errlen);
	if (rc)
		return rc == MIPS_ELF_EIO ? PDT_E_IO
		       : rc == MIPS_ELF_ENOMEM ? PDT_E_NOMEM : PDT_E_FORMAT;
	if ((rc = load_segments(L)) || (rc = load_sections(L)) || (rc = load_symtab(L)))
		return rc;
	index_symbols(L->c);
	return PDT_OK;
}

int pdt_code_load(struct pdt_code **out, const char *path, char *err, size_t errlen)
{
	*out = NULL;
	if (err && errlen)
		err[0] = 0;
	struct loader L = { .err = err, .errlen = errlen, .elf.fd = -1 };
	L.c = calloc(1, sizeof *L.c);
	if (!L.c || !(L.c->path = strdup(path))) {
		free(L.c);
		if (err && errlen)
			snprintf(err, errlen, "%s: out of memory", path);
		return PDT_E_NOMEM;
	}
	atomic_init(&L.c->last, 0);
	int rc = load(&L, path);
	/* The one way out: the file and the load's scratch go either way. */
	int e = errno;
	mips_elf_close(&L.elf);
	free(L.slot);
	if (rc) {
		pdt_code_free(L.c);
		L.c = NULL;
	}
	errno = e;
	*out = L.c;
	return rc;
}

/* ------------------------------------------------------------ overlays */

/* The pieces of [lo, hi) no segment of c holds, in order (at most
 * nseg + 1); for each, *out gets lo and hi. */
static size_t uncovered(const struct pdt_code *c, uint64_t lo, uint64_t hi,
			uint64_t (*out)[2])
{
	size_t n = 0;
	uint64_t at = lo;
	for (uint32_t i = 0; i < c->nseg && at < hi; i++) {
		uint64_t slo = c->seg[i].va, shi = slo + c->seg[i].filesz;
		if (shi <= at || slo >= hi)
			continue;
		if (slo > at) {
			out[n][0] = at;
			out[n++][1] = slo;
		}
		at = shi;
	}
	if (at < hi) {
		out[n][0] = at;
		out[n++][1] = hi;
	}
	return n;
}

/* Takes [lo, hi) out of the sections that name addresses (their symbols
 * then name none of it): a section is cut at the range's start, or starts
 * again at its end when it began inside it. */
static void unname(struct pdt_code *c, uint64_t lo, uint64_t hi)
{
	for (uint32_t i = 0; i < c->nsec; i++) {
		struct code_sec *s = &c->sec[i];
		if (s->hi <= lo || s->lo >= hi)
			continue;
		if (s->lo < lo)
			s->hi = (uint32_t)lo;
		else
			s->lo = hi < s->hi ? (uint32_t)hi : s->hi;
	}
}

int pdt_code_overlay(struct pdt_code *c, const char *path, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = 0;
	struct mips_elf e = {.fd = -1};
	int rc = mips_elf_open(&e, path, 0, err, errlen);
	if (rc)
		return rc == MIPS_ELF_EIO ? PDT_E_IO : rc == MIPS_ELF_ENOMEM ? PDT_E_NOMEM
									  : PDT_E_FORMAT;
	/* Its bytes over the image's where both have them; the rest of it
	 * as segments of their own. */
	/* Each of its segments leaves at most one piece more than the image
	 * has segments uncovered. */
	size_t cap = e.nseg * (c->nseg + 1), extra = 0;
	uint64_t (*piece)[2] = malloc((cap ? cap : 1) * sizeof *piece);
	size_t *of = malloc((cap ? cap : 1) * sizeof *of); /* piece -> snapshot seg */
	size_t npiece = 0;
	if (!piece || !of) {
		rc = PDT_E_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < e.nseg; i++) {
		const struct mips_elf_seg *s = &e.seg[i];
		uint64_t lo = s->vaddr, hi = lo + s->filesz;
		for (uint32_t k = 0; k < c->nseg; k++) {
			struct code_seg *t = &c->seg[k];
			uint64_t a = lo > t->va ? lo : t->va;
			uint64_t b = hi < (uint64_t)t->va + t->filesz ? hi : (uint64_t)t->va + t->filesz;
			if (a < b)
				memcpy((uint8_t *)t->data + (a - t->va), s->data + (a - lo), b - a);
		}
		size_t n = uncovered(c, lo, hi, piece + npiece);
		for (size_t k = 0; k < n; k++) {
			of[npiece + k] = i;
			extra += piece[npiece + k][1] - piece[npiece + k][0];
		}
		npiece += n;
	}
	struct code_seg *seg = realloc(c->seg, (c->nseg + npiece) * sizeof *seg);
	if (seg)
		c->seg = seg;
	uint8_t **list = realloc(c->overlay, (c->noverlay + 1) * sizeof *list);
	if (list)
		c->overlay = list;
	uint8_t *bytes = malloc(extra ? extra : 1);
	if (!seg || !list || !bytes) {
		free(bytes);
		rc = PDT_E_NOMEM;
		goto out;
	}
	size_t at = 0;
	uint32_t nseg = c->nseg;
	for (size_t k = 0; k < npiece; k++) {
		const struct mips_elf_seg *s = &e.seg[of[k]];
		uint32_t len = (uint32_t)(piece[k][1] - piece[k][0]);
		memcpy(bytes + at, s->data + (piece[k][0] - s->vaddr), len);
		c->seg[nseg++] = (struct code_seg){
			.va = (uint32_t)piece[k][0], .filesz = len, .memsz = len,
			.lim = len >= 4 ? len - 3 : 0, .data = bytes + at,
		};
		at += len;
	}
	/* The image's names stop where an overlay brought code the image had
	 * no bytes for: its .bss does not name the code laid there. */
	for (size_t k = 0; k < npiece; k++)
		unname(c, piece[k][0], piece[k][1]);
	c->overlay[c->noverlay++] = bytes;
	c->nseg = nseg;
	qsort(c->seg, c->nseg, sizeof *c->seg, cmp_seg);
	atomic_store_explicit(&c->last, 0, memory_order_relaxed);
	rc = PDT_OK;
out:
	if (rc == PDT_E_NOMEM && err && errlen)
		snprintf(err, errlen, "%s: out of memory", path);
	free(piece);
	free(of);
	mips_elf_close(&e);
	return rc;
}
