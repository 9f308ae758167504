/*
 * mipsdis: objdump-style listing of MIPS32r5 little-endian code with the
 * vzsoak disassembler (isa_disasm), so tests and reports can show
 * instructions without binutils.
 *
 *   mipsdis [--base ADDR] FILE   raw words, the first at ADDR (default 0)
 *   mipsdis --elf FILE...        the executable sections of ELF32 LE MIPS
 *                                images (their executable segments when
 *                                they have no section headers)
 *
 * One line per word: "ADDR:\tWORD\tTEXT".  Bad input: one line on stderr
 * naming the file, offset or option, exit status 2 (docs/cli.md).
 */
#include <mips/elf.h>
#include <mips/isa.h>
#include <util/die.h>

#include <elf.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: mipsdis [--base ADDR] FILE\n"
	"       mipsdis --elf FILE...\n"
	"Disassembles MIPS32r5 little-endian code the way objdump -d prints it.\n"
	"  --base ADDR  address of the first word of a raw FILE (default 0;\n"
	"               C syntax: 0x80000000, a multiple of 4)\n"
	"  --elf        each FILE is an ELF32 little-endian MIPS image: list\n"
	"               every executable section, with its symbols as labels\n"
	"               (an image without section headers: its executable\n"
	"               segments); several FILEs: each under its name\n"
	"  --help       this text\n"
	"Output: one line per word, ADDR:<TAB>WORD<TAB>INSTRUCTION.\n";

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void print_word(uint32_t addr, uint32_t word)
{
	char text[128];
	isa_disasm(addr, word, text, sizeof text);
	printf("%08x:\t%08x\t%s\n", (unsigned)addr, (unsigned)word, text);
}

/* ------------------------------------------------------------ raw files */

static unsigned char *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die(EXIT_BAD_INPUT, "%s: %s", path, strerror(errno));
	size_t cap = 1 << 16, n = 0;
	unsigned char *buf = malloc(cap);
	if (!buf)
		die(EXIT_INTERNAL, "%s: out of memory", path);
	for (;;) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
		if (n == cap) {
			if (cap > SIZE_MAX / 2)
				die(EXIT_BAD_INPUT, "%s: file too large", path);
			unsigned char *bigger = realloc(buf, cap *= 2);
			if (!bigger)
				die(EXIT_INTERNAL, "%s: out of memory", path);
			buf = bigger;
		}
	}
	if (ferror(f))
		die(EXIT_BAD_INPUT, "%s: read error at offset %zu: %s", path, n, strerror(errno));
	fclose(f);
	*size = n;
	return buf;
}

static void dis_raw(const char *path, uint32_t base)
{
	size_t size;
	unsigned char *buf = read_file(path, &size);
	if (size % 4)
		die(EXIT_BAD_INPUT, "%s: size %zu is not a multiple of 4 (partial word at offset %zu)",
		    path, size, size - size % 4);
	if (size && (uint64_t)base + size - 1 > UINT32_MAX)
		die(EXIT_BAD_INPUT, "%s: %zu bytes at base 0x%08x run past 0xffffffff", path, size,
		    (unsigned)base);
	for (size_t off = 0; off < size; off += 4)
		print_word(base + (uint32_t)off, le32(buf + off));
	free(buf);
}

/* ------------------------------------------------------------ ELF files */

struct label {
	uint32_t addr;
	int rank; /* lower is preferred when several symbols share an address */
	const char *name;
};

/* Functions before other symbols, then global, weak, local; then by name. */
static int symbol_rank(const struct mips_elf_sym *sym)
{
	int rank = sym->type == STT_FUNC ? 0 : 3;
	return rank + (sym->bind == STB_GLOBAL ? 0 : sym->bind == STB_WEAK ? 1 : 2);
}

static int label_cmp(const void *a, const void *b)
{
	const struct label *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	return strcmp(x->name, y->name);
}

/* The symbols that label [lo, lo + size): those defined in section
 * `shndx`, or (shndx 0, a segment) any defined at an address inside it;
 * sorted by address, best name first. */
static struct label *labels_of(const struct mips_elf *e, size_t shndx, uint32_t lo,
			       uint32_t size, size_t *count)
{
	struct label *labels = malloc((e->nsym ? e->nsym : 1) * sizeof *labels);
	if (!labels)
		die(EXIT_INTERNAL, "%s: out of memory", e->path);
	size_t n = 0;
	for (size_t i = 0; i < e->nsym; i++) {
		const struct mips_elf_sym *sym = &e->sym[i];
		if (shndx ? sym->shndx != shndx
			  : sym->shndx == SHN_UNDEF || sym->value - lo >= size)
			continue;
		if (sym->type != STT_FUNC && sym->type != STT_NOTYPE && sym->type != STT_OBJECT)
			continue;
		if (!sym->name[0] || sym->name[0] == '$')
			continue;
		labels[n++] = (struct label){sym->value, symbol_rank(sym), sym->name};
	}
	if (n)
		qsort(labels, n, sizeof *labels, label_cmp);
	*count = n;
	return labels;
}

/* One listing: "Disassembly of section NAME:" (or of a segment), then
 * the words, each symbol as a label before the word it names. */
static void dis_range(const struct mips_elf *e, const char *title, const char *what,
		      uint32_t addr, uint32_t size, const uint8_t *bytes,
		      const struct label *labels, size_t nlabels)
{
	if (size % 4)
		die(EXIT_BAD_INPUT, "%s: %s: size 0x%x is not a multiple of 4", e->path, what, (unsigned)size);
	if (addr % 4)
		die(EXIT_BAD_INPUT, "%s: %s: address 0x%x is not word aligned", e->path, what, (unsigned)addr);
	if ((uint64_t)addr + size > UINT64_C(0x100000000))
		die(EXIT_BAD_INPUT, "%s: %s: runs past the end of the address space", e->path, what);
	size_t next = 0;
	printf("\nDisassembly of %s:\n", title);
	for (uint32_t off = 0; off < size; off += 4) {
		uint32_t at = addr + off;
		while (next < nlabels && labels[next].addr < at)
			next++;
		if (next < nlabels && labels[next].addr == at)
			printf("\n%08x <%s>:\n", (unsigned)at, labels[next].name);
		print_word(at, le32(bytes + off));
	}
}

/*
 * Every executable section with its symbols as labels; an image without
 * section headers (stripped of them) by its executable segments instead,
 * as the loader sees it.
 */
static void dis_elf(const char *path, bool title)
{
	struct mips_elf e;
	char err[512];
	if (mips_elf_open(&e, path, MIPS_ELF_SYMBOLS, err, sizeof err) != 0)
		die(EXIT_BAD_INPUT, "%s", err);
	if (title)
		printf("\n%s:\n", path);
	unsigned listed = 0;
	char head[160], what[160];
	for (size_t i = 1; i < e.nsec; i++) {
		const struct mips_elf_sec *sh = &e.sec[i];
		if (sh->type != SHT_PROGBITS || !(sh->flags & SHF_EXECINSTR))
			continue;
		const char *name = sh->name[0] ? sh->name : "?";
		snprintf(head, sizeof head, "section %s", name);
		snprintf(what, sizeof what, "section %s", name);
		size_t nlabels;
		struct label *labels = labels_of(&e, i, sh->addr, sh->size, &nlabels);
		dis_range(&e, head, what, sh->addr, sh->size, sh->data, labels, nlabels);
		free(labels);
		listed++;
	}
	bool by_segments = !listed;
	for (size_t i = 0; by_segments && i < e.nseg; i++) {
		const struct mips_elf_seg *sg = &e.seg[i];
		if (!(sg->flags & PF_X))
			continue;
		snprintf(head, sizeof head, "segment %u (0x%08x..0x%08x)", sg->index,
			 (unsigned)sg->vaddr, (unsigned)(sg->vaddr + sg->filesz));
		snprintf(what, sizeof what, "segment %u at vaddr 0x%08x", sg->index,
			 (unsigned)sg->vaddr);
		size_t nlabels;
		struct label *labels = labels_of(&e, 0, sg->vaddr, sg->filesz, &nlabels);
		/* The file's bytes only: the rest of memsz is zeros, no code. */
		dis_range(&e, head, what, sg->vaddr, sg->filesz & ~3u, sg->data, labels,
			  nlabels);
		free(labels);
		listed++;
	}
	if (!listed)
		die(EXIT_BAD_INPUT, "%s: no executable section or segment", path);
	mips_elf_close(&e);
}

/* ------------------------------------------------------------ main */

static uint32_t parse_base(const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (!*s || *end || errno || s[0] == '-' || v > UINT32_MAX)
		die(EXIT_BAD_INPUT, "--base %s: not an address (want e.g. 0x80000000)", s);
	if (v % 4)
		die(EXIT_BAD_INPUT, "--base %s: not a multiple of 4", s);
	return (uint32_t)v;
}

int main(int argc, char **argv)
{
	enum { O_BASE = 256, O_ELF, O_HELP };
	static const struct option longopts[] = {
		{"base", required_argument, NULL, O_BASE},
		{"elf", no_argument, NULL, O_ELF},
		{"help", no_argument, NULL, O_HELP},
		{NULL, 0, NULL, 0},
	};
	bool elf = false, have_base = false;
	uint32_t base = 0;

	opterr = 0; /* our own one-line messages */
	for (;;) {
		int c = getopt_long(argc, argv, ":h", longopts, NULL);
		if (c == -1)
			break;
		switch (c) {
		case 'h':
		case O_HELP:
			fputs(usage, stdout);
			return EXIT_CLEAN;
		case O_ELF:
			elf = true;
			break;
		case O_BASE:
			base = parse_base(optarg);
			have_base = true;
			break;
		case ':':
			die(EXIT_BAD_INPUT, "--base: missing ADDR");
		default:
			if (optopt > 0 && optopt < 256)
				die(EXIT_BAD_INPUT, "-%c: unknown option (try --help)", optopt);
			die(EXIT_BAD_INPUT, "%s: unknown option (try --help)", argv[optind - 1]);
		}
	}
	/* getopt moved the FILEs to the end. */
	char **files = argv + optind;
	int nfiles = argc - optind;
	if (nfiles == 0)
		die(EXIT_BAD_INPUT, "no FILE given (try --help)");
	if (elf && have_base)
		die(EXIT_BAD_INPUT, "--base: not allowed with --elf (sections carry their addresses)");
	if (!elf && nfiles > 1)
		die(EXIT_BAD_INPUT, "%s: only one raw FILE, already have %s", files[1], files[0]);

	if (elf)
		for (int i = 0; i < nfiles; i++)
			dis_elf(files[i], nfiles > 1);
	else
		dis_raw(files[0], base);
	if (fflush(stdout) != 0)
		die(EXIT_INTERNAL, "writing output: %s", strerror(errno));
	return EXIT_CLEAN;
}
