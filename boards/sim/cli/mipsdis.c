/*
 * mipsdis: objdump-style listing of MIPS32r5 little-endian code with the
 * vzsoak disassembler (isa_disasm), so tests and reports can show
 * instructions without binutils.
 *
 *   mipsdis [--base ADDR] FILE   raw words, the first at ADDR (default 0)
 *   mipsdis --elf FILE           the executable sections of an ELF32 LE MIPS
 *
 * One line per word: "ADDR:\tWORD\tTEXT".  Bad input: one line on stderr
 * naming the file, offset or option, exit status 2 (docs/cli.md).
 */
#include <mips/isa.h>
#include <util/die.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
	"usage: mipsdis [--base ADDR] FILE\n"
	"       mipsdis --elf FILE\n"
	"Disassembles MIPS32r5 little-endian code the way objdump -d prints it.\n"
	"  --base ADDR  address of the first word of a raw FILE (default 0;\n"
	"               C syntax: 0x80000000, a multiple of 4)\n"
	"  --elf        FILE is an ELF32 little-endian MIPS image: list every\n"
	"               executable section, with its symbols as labels\n"
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
static int symbol_rank(const GElf_Sym *sym)
{
	int bind = GELF_ST_BIND(sym->st_info);
	int rank = GELF_ST_TYPE(sym->st_info) == STT_FUNC ? 0 : 3;
	return rank + (bind == STB_GLOBAL ? 0 : bind == STB_WEAK ? 1 : 2);
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

/* Symbols defined in section `shndx`, sorted by address, best name first. */
static struct label *section_labels(const char *path, Elf *e, size_t shndx, size_t *count)
{
	struct label *labels = NULL;
	size_t n = 0;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		size_t nsyms = sh.sh_size / sh.sh_entsize;
		for (size_t i = 0; i < nsyms; i++) {
			GElf_Sym sym;
			if (!gelf_getsym(data, (int)i, &sym) || sym.st_shndx != shndx)
				continue;
			int type = GELF_ST_TYPE(sym.st_info);
			if (type != STT_FUNC && type != STT_NOTYPE && type != STT_OBJECT)
				continue;
			const char *name = elf_strptr(e, sh.sh_link, sym.st_name);
			if (!name || !*name || name[0] == '$')
				continue;
			struct label *more = realloc(labels, (n + 1) * sizeof *labels);
			if (!more)
				die(EXIT_INTERNAL, "%s: out of memory", path);
			labels = more;
			labels[n++] = (struct label){(uint32_t)sym.st_value, symbol_rank(&sym), name};
		}
	}
	if (n)
		qsort(labels, n, sizeof *labels, label_cmp);
	*count = n;
	return labels;
}

static void dis_section(const char *path, Elf *e, Elf_Scn *scn, const GElf_Shdr *sh,
			const char *name, uint64_t file_size)
{
	if (sh->sh_offset > file_size || sh->sh_size > file_size - sh->sh_offset)
		die(EXIT_BAD_INPUT, "%s: section %s: bytes 0x%llx..0x%llx lie past the end of the file (size 0x%llx)",
		    path, name, (unsigned long long)sh->sh_offset,
		    (unsigned long long)(sh->sh_offset + sh->sh_size),
		    (unsigned long long)file_size);
	if (sh->sh_size % 4)
		die(EXIT_BAD_INPUT, "%s: section %s: size 0x%llx is not a multiple of 4", path, name,
		    (unsigned long long)sh->sh_size);
	if (sh->sh_addr % 4)
		die(EXIT_BAD_INPUT, "%s: section %s: address 0x%llx is not word aligned", path, name,
		    (unsigned long long)sh->sh_addr);
	size_t nlabels;
	struct label *labels = section_labels(path, e, elf_ndxscn(scn), &nlabels);
	size_t next = 0;

	printf("\nDisassembly of section %s:\n", name);
	Elf_Data *data = NULL;
	uint64_t done = 0;
	while ((data = elf_getdata(scn, data))) {
		if (data->d_size % 4 || !data->d_buf)
			die(EXIT_BAD_INPUT, "%s: section %s: unreadable data at offset 0x%llx", path, name,
			    (unsigned long long)(sh->sh_offset + done));
		for (size_t off = 0; off < data->d_size; off += 4) {
			uint32_t addr = (uint32_t)(sh->sh_addr + data->d_off + off);
			while (next < nlabels && labels[next].addr < addr)
				next++;
			if (next < nlabels && labels[next].addr == addr)
				printf("\n%08x <%s>:\n", (unsigned)addr, labels[next].name);
			print_word(addr, le32((const unsigned char *)data->d_buf + off));
		}
		done += data->d_size;
	}
	free(labels);
}

static void dis_elf(const char *path)
{
	if (elf_version(EV_CURRENT) == EV_NONE)
		die(EXIT_BAD_INPUT, "libelf: %s", elf_errmsg(-1));
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		die(EXIT_BAD_INPUT, "%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0)
		die(EXIT_BAD_INPUT, "%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		die(EXIT_BAD_INPUT, "%s: not a regular file", path);
	Elf *e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF)
		die(EXIT_BAD_INPUT, "%s: not an ELF file", path);
	GElf_Ehdr eh;
	if (!gelf_getehdr(e, &eh))
		die(EXIT_BAD_INPUT, "%s: bad ELF header: %s", path, elf_errmsg(-1));
	if (eh.e_ident[EI_CLASS] != ELFCLASS32 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_machine != EM_MIPS)
		die(EXIT_BAD_INPUT, "%s: not a 32-bit little-endian MIPS ELF", path);
	/* libelf quietly reports no sections when their headers are cut off. */
	uint64_t shnum = eh.e_shnum;
	if (shnum && (eh.e_shoff > (uint64_t)st.st_size ||
		     shnum * eh.e_shentsize > (uint64_t)st.st_size - eh.e_shoff))
		die(EXIT_BAD_INPUT, "%s: truncated: section headers at offset 0x%llx lie past the end (size 0x%llx)",
		    path, (unsigned long long)eh.e_shoff, (unsigned long long)st.st_size);
	size_t shstrndx;
	if (elf_getshdrstrndx(e, &shstrndx) != 0)
		die(EXIT_BAD_INPUT, "%s: no section name table: %s", path, elf_errmsg(-1));

	unsigned sections = 0;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			die(EXIT_BAD_INPUT, "%s: bad section header: %s", path, elf_errmsg(-1));
		if (sh.sh_type != SHT_PROGBITS || !(sh.sh_flags & SHF_EXECINSTR))
			continue;
		const char *name = elf_strptr(e, shstrndx, sh.sh_name);
		dis_section(path, e, scn, &sh, name ? name : "?", (uint64_t)st.st_size);
		sections++;
	}
	if (!sections)
		die(EXIT_BAD_INPUT, "%s: no executable sections", path);
	elf_end(e);
	close(fd);
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
	if (optind == argc)
		die(EXIT_BAD_INPUT, "no FILE given (try --help)");
	const char *file = argv[optind];
	if (argc - optind > 1)
		die(EXIT_BAD_INPUT, "%s: only one FILE, already have %s", argv[optind + 1], file);
	if (elf && have_base)
		die(EXIT_BAD_INPUT, "--base: not allowed with --elf (sections carry their addresses)");

	if (elf)
		dis_elf(file);
	else
		dis_raw(file, base);
	if (fflush(stdout) != 0)
		die(EXIT_INTERNAL, "writing output: %s", strerror(errno));
	return EXIT_CLEAN;
}
