/*
 * Code images for the flow decoder (flow.h, "code images"): the bytes of
 * an ELF's PT_LOAD segments, looked up by virtual address, and its
 * function/object symbols, looked up by the address they contain.
 *
 * Everything is copied out of the file at load time and the file is
 * closed: an image is then plain read-only memory, which several decoders
 * may share.  The segments are keyed by p_vaddr, not p_paddr: the flow
 * decoder follows the PCs the core ran, and an image may be linked to run
 * at addresses other than where it is loaded (the stress kernel's user
 * code runs at 0x4000 but is loaded in kseg0).
 */
#include <pdtrace/flow.h>

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

int pdt_code_word(const struct pdt_code *c, uint32_t va, uint32_t *word)
{
	if (va & 3)
		return -1;
	uint32_t i = atomic_load_explicit(&c->last, memory_order_relaxed);
	const struct code_seg *s = &c->seg[i];
	if (va - s->va >= s->lim) {
		for (i = 0; i < c->nseg; i++)
			if (va - c->seg[i].va < c->seg[i].lim)
				break;
		if (i == c->nseg)
			return -1;
		/* The image is not const in memory (pdt_code_load allocated
		 * it): only the hint changes. */
		atomic_store_explicit(&((struct pdt_code *)c)->last, i, memory_order_relaxed);
		s = &c->seg[i];
	}
	const uint8_t *p = s->data + (va - s->va);
	*word = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		(uint32_t)p[3] << 24;
	return 0;
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
	free(c->sec);
	free(c->sym);
	free(c->names);
	free(c);
}

/* ------------------------------------------------------------ loading */

struct loader {
	const char *path;
	char *err;
	size_t errlen;
	int fd;
	Elf *elf;
	struct pdt_code *c;
	size_t names_len, names_cap;
};

static int fail(struct loader *L, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct loader *L, int code, const char *fmt, ...)
{
	if (L->err && L->errlen) {
		int n = snprintf(L->err, L->errlen, "%s: ", L->path);
		if (n >= 0 && (size_t)n < L->errlen) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(L->err + n, L->errlen - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	return code;
}

static int not_ours(struct loader *L, const char *why)
{
	return fail(L, PDT_E_FORMAT, "not a 32-bit little-endian MIPS ELF (%s)", why);
}

static int cmp_seg(const void *a, const void *b)
{
	const struct code_seg *x = a, *y = b;
	return (x->va > y->va) - (x->va < y->va);
}

static int load_segments(struct loader *L)
{
	struct pdt_code *c = L->c;
	size_t nph = 0, rawsize = 0;
	if (elf_getphdrnum(L->elf, &nph) != 0)
		return fail(L, PDT_E_FORMAT, "bad program headers: %s", elf_errmsg(-1));
	const uint8_t *raw = (const uint8_t *)elf_rawfile(L->elf, &rawsize);
	if (!raw)
		return fail(L, PDT_E_FORMAT, "cannot read: %s", elf_errmsg(-1));
	c->seg = calloc(nph ? nph : 1, sizeof *c->seg);
	if (!c->seg)
		return fail(L, PDT_E_NOMEM, "out of memory");

	/* First the checks and the sizes; the bytes are copied below. */
	size_t total = 0;
	uint64_t *offsets = calloc(nph ? nph : 1, sizeof *offsets);
	if (!offsets)
		return fail(L, PDT_E_NOMEM, "out of memory");
	for (size_t i = 0; i < nph; i++) {
		/* gelf_getphdr copies the header out: e_phoff need not be
		 * aligned, so the table cannot be read in place. */
		GElf_Phdr p;
		if (!gelf_getphdr(L->elf, (int)i, &p)) {
			free(offsets);
			return fail(L, PDT_E_FORMAT, "bad program header %zu: %s", i,
				    elf_errmsg(-1));
		}
		if (p.p_type != PT_LOAD || p.p_memsz == 0)
			continue;
		const char *bad = NULL;
		if (p.p_filesz > p.p_memsz)
			bad = "p_filesz > p_memsz";
		else if (p.p_vaddr + p.p_memsz > UINT64_C(0x100000000))
			bad = "runs past the end of the address space";
		else if (p.p_offset + p.p_filesz > rawsize)
			bad = "runs past the end of the file (truncated?)";
		if (bad) {
			free(offsets);
			return fail(L, PDT_E_FORMAT, "segment %zu at vaddr 0x%08x: %s", i,
				    (unsigned)p.p_vaddr, bad);
		}
		offsets[c->nseg] = p.p_offset;
		c->seg[c->nseg++] = (struct code_seg){
			.va = (uint32_t)p.p_vaddr, .filesz = (uint32_t)p.p_filesz,
			.memsz = (uint32_t)p.p_memsz,
			.lim = p.p_filesz >= 4 ? (uint32_t)p.p_filesz - 3 : 0,
		};
		total += p.p_filesz;
	}
	if (c->nseg == 0) {
		free(offsets);
		return fail(L, PDT_E_FORMAT, "no loadable (PT_LOAD) segment");
	}
	c->bytes = malloc(total ? total : 1);
	if (!c->bytes) {
		free(offsets);
		return fail(L, PDT_E_NOMEM, "out of memory");
	}
	size_t at = 0;
	for (uint32_t i = 0; i < c->nseg; i++) {
		memcpy(c->bytes + at, raw + offsets[i], c->seg[i].filesz);
		c->seg[i].data = c->bytes + at;
		at += c->seg[i].filesz;
	}
	free(offsets);

	/* One address, one segment: with overlaps the decoder could not
	 * know which code ran. */
	qsort(c->seg, c->nseg, sizeof *c->seg, cmp_seg);
	for (uint32_t i = 1; i < c->nseg; i++)
		if ((uint64_t)c->seg[i - 1].va + c->seg[i - 1].memsz > c->seg[i].va)
			return fail(L, PDT_E_FORMAT,
				    "segments at vaddr 0x%08x and 0x%08x overlap",
				    (unsigned)c->seg[i - 1].va, (unsigned)c->seg[i].va);
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

static int add_name(struct loader *L, const char *name, uint32_t *at)
{
	size_t n = strlen(name) + 1;
	if (L->names_len + n > L->names_cap) {
		size_t cap = L->names_cap ? L->names_cap * 2 : 4096;
		while (cap < L->names_len + n)
			cap *= 2;
		char *p = realloc(L->c->names, cap);
		if (!p)
			return fail(L, PDT_E_NOMEM, "out of memory");
		L->c->names = p;
		L->names_cap = cap;
	}
	if (L->names_len + n > UINT32_MAX)
		return fail(L, PDT_E_FORMAT, "symbol names too long");
	memcpy(L->c->names + L->names_len, name, n);
	*at = (uint32_t)L->names_len;
	L->names_len += n;
	return PDT_OK;
}

static int load_symbols(struct loader *L)
{
	struct pdt_code *c = L->c;
	size_t shnum = 0;
	if (elf_getshdrnum(L->elf, &shnum) != 0)
		return fail(L, PDT_E_FORMAT, "bad section headers: %s", elf_errmsg(-1));

	/* The allocated sections: a symbol names addresses of its own
	 * section only, never of the next one (or of another segment that
	 * happens to lie above it). */
	c->sec = calloc(shnum ? shnum : 1, sizeof *c->sec);
	uint32_t *slot = malloc((shnum ? shnum : 1) * sizeof *slot);
	if (!c->sec || !slot) {
		free(slot);
		return fail(L, PDT_E_NOMEM, "out of memory");
	}
	Elf_Scn *symtab = NULL;
	GElf_Shdr symhdr = { 0 };
	for (Elf_Scn *scn = NULL; (scn = elf_nextscn(L->elf, scn));) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh)) {
			free(slot);
			return fail(L, PDT_E_FORMAT, "bad section header: %s", elf_errmsg(-1));
		}
		if (sh.sh_type == SHT_SYMTAB && !symtab) {
			symtab = scn;
			symhdr = sh;
		}
		/* TLS sections hold templates, not addresses. */
		if (!(sh.sh_flags & SHF_ALLOC) || (sh.sh_flags & SHF_TLS) || !sh.sh_size ||
		    sh.sh_addr + sh.sh_size > UINT64_C(0x100000000))
			continue;
		c->sec[c->nsec++] = (struct code_sec){
			.lo = (uint32_t)sh.sh_addr, .hi = (uint32_t)(sh.sh_addr + sh.sh_size),
			.first = (uint32_t)elf_ndxscn(scn),
		};
	}
	qsort(c->sec, c->nsec, sizeof *c->sec, cmp_sec);
	for (size_t i = 0; i < shnum; i++)
		slot[i] = NONE;
	for (uint32_t i = 0; i < c->nsec; i++) {
		if (c->sec[i].first < shnum)
			slot[c->sec[i].first] = i;
		c->sec[i].first = c->sec[i].n = 0;
		/* Overlapping sections (not in sane images): the later one
		 * owns the overlap, so that every address has one section. */
		if (i + 1 < c->nsec && c->sec[i].hi > c->sec[i + 1].lo)
			c->sec[i].hi = c->sec[i + 1].lo;
	}
	if (!symtab) { /* stripped: code without names */
		free(slot);
		return PDT_OK;
	}

	Elf_Data *d = elf_getdata(symtab, NULL);
	size_t ent = gelf_fsize(L->elf, ELF_T_SYM, 1, EV_CURRENT);
	if (!d || !ent) {
		free(slot);
		return fail(L, PDT_E_FORMAT, "bad symbol table: %s", elf_errmsg(-1));
	}
	size_t nsyms = d->d_size / ent;
	c->sym = calloc(nsyms ? nsyms : 1, sizeof *c->sym);
	if (!c->sym) {
		free(slot);
		return fail(L, PDT_E_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < nsyms; i++) {
		GElf_Sym s;
		if (!gelf_getsym(d, (int)i, &s))
			break;
		unsigned type = GELF_ST_TYPE(s.st_info);
		if (type != STT_FUNC && type != STT_OBJECT && type != STT_NOTYPE)
			continue;
		/* Undefined, absolute and common symbols (and the extended
		 * indices of huge files) are no address in a section. */
		if (s.st_shndx == SHN_UNDEF || s.st_shndx >= SHN_LORESERVE ||
		    s.st_shndx >= shnum || slot[s.st_shndx] == NONE)
			continue;
		const struct code_sec *sec = &c->sec[slot[s.st_shndx]];
		if (s.st_value < sec->lo || s.st_value >= sec->hi)
			continue;
		const char *name = elf_strptr(L->elf, symhdr.sh_link, s.st_name);
		/* .L labels are the assembler's own, kept only by -L. */
		if (!name || !name[0] || !strncmp(name, ".L", 2))
			continue;
		struct code_sym *y = &c->sym[c->nsym];
		*y = (struct code_sym){
			.addr = (uint32_t)s.st_value,
			.size = s.st_size > UINT32_MAX ? UINT32_MAX : (uint32_t)s.st_size,
			.sec = slot[s.st_shndx], .type = (uint8_t)type,
			.bind = (uint8_t)GELF_ST_BIND(s.st_info),
		};
		int err = add_name(L, name, &y->name);
		if (err) {
			free(slot);
			return err;
		}
		c->nsym++;
	}
	free(slot);

	/* Sorted once; the first of each address is the one that names it. */
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
		uint32_t prev = i > sec->first ? c->sym[i - 1].encl : NONE;
		y->encl = prev;
		if (y->size && (uint64_t)y->addr + y->size >= reach) {
			reach = (uint64_t)y->addr + y->size;
			y->encl = i;
		}
	}
	return PDT_OK;
}

static int load(struct loader *L)
{
	if (elf_version(EV_CURRENT) == EV_NONE)
		return fail(L, PDT_E_INVAL, "libelf is out of date");
	L->fd = open(L->path, O_RDONLY | O_CLOEXEC);
	if (L->fd < 0) {
		int e = errno;
		fail(L, PDT_E_IO, "%s", strerror(e));
		errno = e;
		return PDT_E_IO;
	}
	struct stat st;
	if (fstat(L->fd, &st) != 0) {
		int e = errno;
		fail(L, PDT_E_IO, "%s", strerror(e));
		errno = e;
		return PDT_E_IO;
	}
	if (!S_ISREG(st.st_mode)) {
		bool dir = S_ISDIR(st.st_mode);
		fail(L, PDT_E_IO, "%s", dir ? strerror(EISDIR) : "not a regular file");
		errno = dir ? EISDIR : ENODEV;
		return PDT_E_IO;
	}
	/* The identification by hand first: libelf's messages for a file
	 * that is no ELF, or a cut one, do not say which. */
	unsigned char id[sizeof(Elf32_Ehdr)];
	ssize_t n = pread(L->fd, id, sizeof id, 0);
	if (n < 0) {
		int e = errno;
		fail(L, PDT_E_IO, "%s", strerror(e));
		errno = e;
		return PDT_E_IO;
	}
	if (n < SELFMAG || memcmp(id, ELFMAG, SELFMAG) != 0)
		return not_ours(L, "not an ELF file");
	if (n < EI_NIDENT)
		return not_ours(L, "truncated ELF header");
	if (id[EI_CLASS] != ELFCLASS32)
		return not_ours(L, id[EI_CLASS] == ELFCLASS64 ? "64-bit" : "bad EI_CLASS");
	if (id[EI_DATA] != ELFDATA2LSB)
		return not_ours(L, id[EI_DATA] == ELFDATA2MSB ? "big-endian" : "bad EI_DATA");
	if ((size_t)n < sizeof id)
		return not_ours(L, "truncated ELF header");

	L->elf = elf_begin(L->fd, ELF_C_READ_MMAP, NULL);
	if (!L->elf)
		return fail(L, PDT_E_FORMAT, "cannot read: %s", elf_errmsg(-1));
	Elf32_Ehdr *eh = elf_kind(L->elf) == ELF_K_ELF ? elf32_getehdr(L->elf) : NULL;
	if (!eh)
		return fail(L, PDT_E_FORMAT, "bad ELF header: %s", elf_errmsg(-1));
	if (eh->e_machine != EM_MIPS) {
		char why[32];
		snprintf(why, sizeof why, "e_machine %u", (unsigned)eh->e_machine);
		return not_ours(L, why);
	}
	int err = load_segments(L);
	return err ? err : load_symbols(L);
}

int pdt_code_load(struct pdt_code **out, const char *path, char *err, size_t errlen)
{
	*out = NULL;
	if (err && errlen)
		err[0] = 0;
	struct loader L = { .path = path, .err = err, .errlen = errlen, .fd = -1 };
	L.c = calloc(1, sizeof *L.c);
	if (!L.c || !(L.c->path = strdup(path))) {
		free(L.c);
		return fail(&L, PDT_E_NOMEM, "out of memory");
	}
	atomic_init(&L.c->last, 0);
	int rc = load(&L);
	int e = errno;
	if (L.elf)
		elf_end(L.elf);
	if (L.fd >= 0)
		close(L.fd);
	if (rc) {
		pdt_code_free(L.c);
		errno = e;
		return rc;
	}
	*out = L.c;
	return PDT_OK;
}
