/* The shared ELF reader (mips/elf.h): checks, segments, sections, symbols. */
#include <mips/elf.h>

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KSEG0 0x80000000u
#define KSEG2 0xc0000000u
#define KSEG_SPAN 0x20000000u /* kseg0 and kseg1 each map 512 MiB */

bool mips_unmapped_pa(uint32_t va, uint32_t len, uint32_t *pa)
{
	uint64_t end = (uint64_t)va + len;
	if (va < KSEG0) {
		*pa = va;
		return end <= KSEG0;
	}
	if (va < KSEG2) {
		uint32_t base = va & ~(KSEG_SPAN - 1);
		*pa = va - base;
		return end <= (uint64_t)base + KSEG_SPAN;
	}
	return false;
}

/* What one open needs besides the image it fills. */
struct reader {
	struct mips_elf *e;
	Elf *elf;
	const uint8_t *raw;
	size_t rawsize;
	char *err;
	size_t errlen;
};

static int fail(struct reader *R, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct reader *R, int code, const char *fmt, ...)
{
	if (R->err && R->errlen) {
		int n = snprintf(R->err, R->errlen, "%s: ", R->e->path);
		if (n >= 0 && (size_t)n < R->errlen) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(R->err + n, R->errlen - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	return code;
}

/* errno is the caller's to read after an I/O failure: kept across the
 * message's formatting. */
static int fail_io(struct reader *R, int e, const char *why)
{
	fail(R, MIPS_ELF_EIO, "%s", why ? why : strerror(e));
	errno = e;
	return MIPS_ELF_EIO;
}

static int not_ours(struct reader *R, const char *why)
{
	return fail(R, MIPS_ELF_EFORMAT, "not a 32-bit little-endian MIPS ELF (%s)", why);
}

/* ------------------------------------------------------------ header */

static int open_file(struct reader *R, const char *path)
{
	struct mips_elf *e = R->e;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return fail(R, MIPS_ELF_EFORMAT, "libelf is out of date");
	e->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (e->fd < 0)
		return fail_io(R, errno, NULL);
	struct stat st;
	if (fstat(e->fd, &st) != 0)
		return fail_io(R, errno, NULL);
	if (!S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			return fail_io(R, EISDIR, NULL);
		return fail_io(R, ENODEV, "not a regular file");
	}
	/* The identification by hand first: libelf's messages for a file
	 * that is no ELF, or a cut one, do not say which. */
	unsigned char id[sizeof(Elf32_Ehdr)];
	ssize_t n = pread(e->fd, id, sizeof id, 0);
	if (n < 0)
		return fail_io(R, errno, NULL);
	if (n < SELFMAG || memcmp(id, ELFMAG, SELFMAG) != 0)
		return not_ours(R, "not an ELF file");
	if (n < EI_NIDENT)
		return not_ours(R, "truncated ELF header");
	if (id[EI_CLASS] != ELFCLASS32)
		return not_ours(R, id[EI_CLASS] == ELFCLASS64 ? "64-bit" : "bad EI_CLASS");
	if (id[EI_DATA] != ELFDATA2LSB)
		return not_ours(R, id[EI_DATA] == ELFDATA2MSB ? "big-endian" : "bad EI_DATA");
	if ((size_t)n < sizeof id)
		return not_ours(R, "truncated ELF header");

	R->elf = elf_begin(e->fd, ELF_C_READ_MMAP, NULL);
	e->elf = R->elf;
	if (!R->elf)
		return fail(R, MIPS_ELF_EFORMAT, "cannot read: %s", elf_errmsg(-1));
	Elf32_Ehdr *eh = elf_kind(R->elf) == ELF_K_ELF ? elf32_getehdr(R->elf) : NULL;
	if (!eh)
		return fail(R, MIPS_ELF_EFORMAT, "bad ELF header: %s", elf_errmsg(-1));
	if (eh->e_machine != EM_MIPS) {
		char why[32];
		snprintf(why, sizeof why, "e_machine %u", (unsigned)eh->e_machine);
		return not_ours(R, why);
	}
	e->entry = eh->e_entry;
	R->raw = (const uint8_t *)elf_rawfile(R->elf, &R->rawsize);
	if (!R->raw)
		return fail(R, MIPS_ELF_EFORMAT, "cannot read: %s", elf_errmsg(-1));
	return 0;
}

/* ------------------------------------------------------------ segments */

static int cmp_seg(const void *a, const void *b)
{
	const struct mips_elf_seg *x = a, *y = b;
	return (x->vaddr > y->vaddr) - (x->vaddr < y->vaddr);
}

static int read_segments(struct reader *R, unsigned what)
{
	struct mips_elf *e = R->e;
	size_t nph = 0;
	if (elf_getphdrnum(R->elf, &nph) != 0)
		return fail(R, MIPS_ELF_EFORMAT, "bad program headers: %s", elf_errmsg(-1));
	e->seg = calloc(nph ? nph : 1, sizeof *e->seg);
	if (!e->seg)
		return fail(R, MIPS_ELF_ENOMEM, "out of memory");
	for (size_t i = 0; i < nph; i++) {
		/* gelf_getphdr copies the header out: e_phoff need not be
		 * aligned, so the table cannot be read in place. */
		GElf_Phdr p;
		if (!gelf_getphdr(R->elf, (int)i, &p))
			return fail(R, MIPS_ELF_EFORMAT, "bad program header %zu: %s", i,
				    elf_errmsg(-1));
		if (p.p_type != PT_LOAD || p.p_memsz == 0)
			continue;
		const char *bad = NULL;
		uint32_t pa = 0;
		if (p.p_filesz > p.p_memsz)
			bad = "p_filesz > p_memsz";
		else if (p.p_vaddr + p.p_memsz > UINT64_C(0x100000000))
			bad = "runs past the end of the address space";
		else if (p.p_offset + p.p_filesz > R->rawsize)
			bad = "runs past the end of the file (truncated?)";
		else if ((what & MIPS_ELF_PHYS) &&
			 !mips_unmapped_pa((uint32_t)p.p_vaddr, (uint32_t)p.p_memsz, &pa))
			bad = "not inside kuseg, kseg0 or kseg1 (no fixed physical "
			      "address to load it at)";
		if (bad)
			return fail(R, MIPS_ELF_EFORMAT, "segment %zu at vaddr 0x%08x: %s", i,
				    (unsigned)p.p_vaddr, bad);
		e->seg[e->nseg++] = (struct mips_elf_seg){
			.index = (unsigned)i, .vaddr = (uint32_t)p.p_vaddr, .pa = pa,
			.filesz = (uint32_t)p.p_filesz, .memsz = (uint32_t)p.p_memsz,
			.flags = (uint32_t)p.p_flags, .data = R->raw + p.p_offset,
		};
	}
	if (e->nseg == 0)
		return fail(R, MIPS_ELF_EFORMAT, "no loadable (PT_LOAD) segment");

	/* One address, one segment: with overlaps a loader would write some
	 * bytes twice and a decoder could not know which code ran. */
	qsort(e->seg, e->nseg, sizeof *e->seg, cmp_seg);
	for (size_t i = 1; i < e->nseg; i++)
		if ((uint64_t)e->seg[i - 1].vaddr + e->seg[i - 1].memsz > e->seg[i].vaddr)
			return fail(R, MIPS_ELF_EFORMAT,
				    "segments at vaddr 0x%08x and 0x%08x overlap",
				    (unsigned)e->seg[i - 1].vaddr, (unsigned)e->seg[i].vaddr);
	return 0;
}

/* ------------------------------------------------------------ sections */

static int read_sections(struct reader *R)
{
	struct mips_elf *e = R->e;
	size_t shnum = 0, shstrndx = 0;
	if (elf_getshdrnum(R->elf, &shnum) != 0)
		return fail(R, MIPS_ELF_EFORMAT, "bad section headers: %s", elf_errmsg(-1));
	/* libelf quietly reports no sections when their table is cut off. */
	const Elf32_Ehdr *eh = elf32_getehdr(R->elf);
	if (shnum && (eh->e_shoff > R->rawsize ||
		      (uint64_t)shnum * sizeof(Elf32_Shdr) > R->rawsize - eh->e_shoff))
		return fail(R, MIPS_ELF_EFORMAT,
			    "section headers at offset 0x%x run past the end of the file "
			    "(truncated?)", (unsigned)eh->e_shoff);
	bool names = elf_getshdrstrndx(R->elf, &shstrndx) == 0;
	e->sec = calloc(shnum ? shnum : 1, sizeof *e->sec);
	if (!e->sec)
		return fail(R, MIPS_ELF_ENOMEM, "out of memory");
	e->nsec = shnum;
	for (size_t i = 1; i < shnum; i++) {
		Elf_Scn *scn = elf_getscn(R->elf, i);
		GElf_Shdr sh;
		if (!scn || !gelf_getshdr(scn, &sh))
			return fail(R, MIPS_ELF_EFORMAT, "bad section header %zu: %s", i,
				    elf_errmsg(-1));
		const char *name = names ? elf_strptr(R->elf, shstrndx, sh.sh_name) : NULL;
		struct mips_elf_sec *s = &e->sec[i];
		*s = (struct mips_elf_sec){
			.name = name ? name : "", .type = sh.sh_type,
			.flags = (uint32_t)sh.sh_flags, .addr = (uint32_t)sh.sh_addr,
			.size = (uint32_t)sh.sh_size,
		};
		if (sh.sh_type == SHT_NOBITS || sh.sh_type == SHT_NULL)
			continue;
		if (sh.sh_offset > R->rawsize || sh.sh_size > R->rawsize - sh.sh_offset)
			return fail(R, MIPS_ELF_EFORMAT,
				    "section %zu (%s) at offset 0x%x: runs past the end of "
				    "the file (truncated?)", i, s->name[0] ? s->name : "?",
				    (unsigned)sh.sh_offset);
		s->data = R->raw + sh.sh_offset;
	}
	e->sec[0].name = "";
	return 0;
}

/* ------------------------------------------------------------ symbols */

static int read_symbols(struct reader *R)
{
	struct mips_elf *e = R->e;
	size_t tab = 0;
	for (size_t i = 1; i < e->nsec && !tab; i++)
		if (e->sec[i].type == SHT_SYMTAB)
			tab = i;
	if (!tab)
		return 0; /* stripped: no names */
	Elf_Scn *scn = elf_getscn(R->elf, tab);
	GElf_Shdr sh;
	Elf_Data *d = scn && gelf_getshdr(scn, &sh) ? elf_getdata(scn, NULL) : NULL;
	size_t ent = gelf_fsize(R->elf, ELF_T_SYM, 1, EV_CURRENT);
	if (!d || !ent)
		return fail(R, MIPS_ELF_EFORMAT, "bad symbol table: %s", elf_errmsg(-1));
	size_t n = d->d_size / ent;
	e->sym = calloc(n ? n : 1, sizeof *e->sym);
	if (!e->sym)
		return fail(R, MIPS_ELF_ENOMEM, "out of memory");
	for (; e->nsym < n; e->nsym++) {
		GElf_Sym s;
		if (!gelf_getsym(d, (int)e->nsym, &s))
			break;
		const char *name = elf_strptr(R->elf, sh.sh_link, s.st_name);
		e->sym[e->nsym] = (struct mips_elf_sym){
			.name = name ? name : "", .value = (uint32_t)s.st_value,
			.size = (uint32_t)s.st_size, .shndx = s.st_shndx,
			.type = (uint8_t)GELF_ST_TYPE(s.st_info),
			.bind = (uint8_t)GELF_ST_BIND(s.st_info),
		};
	}
	return 0;
}

/* ------------------------------------------------------------ open/close */

int mips_elf_open(struct mips_elf *e, const char *path, unsigned what, char *err,
		  size_t errlen)
{
	*e = (struct mips_elf){ .path = path, .fd = -1 };
	if (err && errlen)
		err[0] = 0;
	struct reader R = { .e = e, .err = err, .errlen = errlen };
	int rc = open_file(&R, path);
	if (!rc)
		rc = read_segments(&R, what);
	if (!rc && (what & (MIPS_ELF_SECTIONS | MIPS_ELF_SYMBOLS)))
		rc = read_sections(&R);
	if (!rc && (what & MIPS_ELF_SYMBOLS))
		rc = read_symbols(&R);
	if (rc) {
		int saved = errno;
		mips_elf_close(e);
		errno = saved;
	}
	return rc;
}

void mips_elf_close(struct mips_elf *e)
{
	if (e->elf)
		elf_end(e->elf);
	if (e->fd >= 0)
		close(e->fd);
	free(e->seg);
	free(e->sec);
	free(e->sym);
	*e = (struct mips_elf){ .path = e->path, .fd = -1 };
}
