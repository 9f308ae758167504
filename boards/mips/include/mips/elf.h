/*
 * The one reader of MIPS32 ELF images (little-endian, ELFCLASS32,
 * EM_MIPS) that every tool shares: vzsim's loader (segments), the flow
 * decoder's code images (segments, sections and symbols) and mipsdis
 * (sections and symbols).  It checks what it returns and says what is
 * wrong in one style: one line, "PATH: what", so that a bad image reads
 * the same whichever tool refused it.
 *
 * What to do with the image (which symbols name an address, which
 * sections to list, where a segment goes in memory) is the caller's: the
 * reader hands out the file's segments, sections and symbols as they are,
 * checked to lie inside the file and the 32-bit address space.
 */
#ifndef MIPS_ELF_H
#define MIPS_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Results: 0, or one of these (negative). */
enum {
	MIPS_ELF_EIO = -1,     /* open/read failed; errno says why */
	MIPS_ELF_EFORMAT = -2, /* not an image of ours, or a damaged one */
	MIPS_ELF_ENOMEM = -3,
};

/* What mips_elf_open reads besides the header (the segments always). */
enum {
	MIPS_ELF_SECTIONS = 1u << 0, /* the section headers and their names */
	MIPS_ELF_SYMBOLS = 1u << 1,  /* the first SHT_SYMTAB (implies SECTIONS) */
	/* Every segment must lie in kuseg, kseg0 or kseg1 without leaving
	 * it: seg.pa is then where it is loaded (kseg0/1 drop their top
	 * three bits, kuseg is taken as physical).  For loaders. */
	MIPS_ELF_PHYS = 1u << 2,
};

struct mips_elf_seg {
	unsigned index;         /* in the program header table */
	uint32_t vaddr, pa;     /* pa: with MIPS_ELF_PHYS only */
	uint32_t filesz, memsz;
	uint32_t flags;         /* PF_X | PF_W | PF_R */
	const uint8_t *data;    /* filesz bytes of the file */
};

struct mips_elf_sec {
	const char *name;       /* "" if it has none */
	uint32_t type, flags;   /* SHT_*, SHF_* */
	uint32_t addr, size;
	/* The section's bytes in the file (size of them), or NULL for
	 * SHT_NOBITS and SHT_NULL. */
	const uint8_t *data;
};

struct mips_elf_sym {
	const char *name;       /* never NULL; "" if it has none */
	uint32_t value, size;
	uint32_t shndx;         /* the section it is defined in, or SHN_* */
	uint8_t type, bind;     /* STT_*, STB_* */
};

struct mips_elf {
	const char *path;       /* as given to mips_elf_open */
	uint32_t entry;
	/* The PT_LOAD segments with memsz > 0, in file order; at least one,
	 * none running past the file or the address space, none overlapping
	 * another (by vaddr: one address, one byte of code). */
	struct mips_elf_seg *seg;
	size_t nseg;
	/* Every section header by ELF section index ([0] is SHN_UNDEF's). */
	struct mips_elf_sec *sec;
	size_t nsec;
	/* The symbols of the first symbol table, by symbol index (none in a
	 * stripped image). */
	struct mips_elf_sym *sym;
	size_t nsym;
	/* Private: the open file and libelf's handle behind the pointers. */
	int fd;
	void *elf;
};

/*
 * Opens and checks path, reading what `what` asks for.  On failure a
 * MIPS_ELF_E* code and, in err (if errlen), one line: "PATH: what is
 * wrong"; nothing to close.  The image's pointers stay valid until
 * mips_elf_close.
 */
int mips_elf_open(struct mips_elf *e, const char *path, unsigned what, char *err,
		  size_t errlen);
void mips_elf_close(struct mips_elf *e);

/*
 * The physical address of va..va+len-1 in an unmapped segment (kuseg
 * taken as physical); false if it is in a mapped one or would leave its
 * segment (the physical range would not be contiguous).
 */
bool mips_unmapped_pa(uint32_t va, uint32_t len, uint32_t *pa);

/*
 * Writes a snapshot of memory as an ELF core file (ET_CORE, EM_MIPS,
 * little-endian ELFCLASS32): one PT_LOAD segment for each of seg[0, n)
 * (vaddr, pa as p_paddr, filesz bytes of data; flags R and X), with no
 * sections.  mips_elf_open reads it back like any image, so the flow
 * decoder takes it as code (pdt_code_overlay): vzsoak's snapshot of a
 * Linux guest's kernel, whose code the kernel rewrote as it booted.  The
 * segments must be in vaddr order and not overlap.  0, or -1 with errno
 * when the stream fails (the caller writes under a temporary name).
 */
int mips_elf_write_core(FILE *f, const struct mips_elf_seg *seg, size_t n);

#endif
