/* ELF images: checks and the list of loadable segments (see elf.h). */
#include "elf.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KSEG0 0x80000000u
#define KSEG2 0xc0000000u
#define KSEG_SPAN 0x20000000u /* kseg0 and kseg1 each map 512 MiB */

static int fail(struct elf_image *img, char *err, size_t errlen,
		const char *path, const char *fmt, ...)
{
	int n = snprintf(err, errlen, "%s: ", path);
	if (n >= 0 && (size_t)n < errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - n, fmt, ap);
		va_end(ap);
	}
	elf_image_close(img);
	return -1;
}

/*
 * Physical address of a segment at vaddr..vaddr+memsz-1, or false if it is
 * in the mapped segments or runs off the end of its unmapped one (the
 * physical range would not be contiguous).
 */
static bool seg_phys(uint32_t vaddr, uint32_t memsz, uint32_t *pa)
{
	uint64_t end = (uint64_t)vaddr + memsz;
	if (vaddr < KSEG0) {
		*pa = vaddr;
		return end <= KSEG0;
	}
	if (vaddr < KSEG2) {
		uint32_t base = vaddr & ~(KSEG_SPAN - 1);
		*pa = vaddr - base;
		return end <= (uint64_t)base + KSEG_SPAN;
	}
	return false;
}

int elf_image_open(struct elf_image *img, const char *path, char *err,
		   size_t errlen)
{
	*img = (struct elf_image){.fd = -1};

	if (elf_version(EV_CURRENT) == EV_NONE)
		return fail(img, err, errlen, path, "libelf is out of date");
	img->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (img->fd < 0)
		return fail(img, err, errlen, path, "cannot open: %s",
			    strerror(errno));
	struct stat st;
	if (fstat(img->fd, &st) != 0 || !S_ISREG(st.st_mode))
		return fail(img, err, errlen, path, "not a regular file");

	Elf *elf = elf_begin(img->fd, ELF_C_READ_MMAP, NULL);
	img->elf = elf;
	if (!elf)
		return fail(img, err, errlen, path, "cannot read: %s",
			    elf_errmsg(-1));
	if (elf_kind(elf) != ELF_K_ELF)
		return fail(img, err, errlen, path, "not an ELF file");

	size_t idlen = 0;
	const char *ident = elf_getident(elf, &idlen);
	if (!ident || idlen < EI_NIDENT)
		return fail(img, err, errlen, path, "truncated ELF header");
	if (ident[EI_CLASS] != ELFCLASS32)
		return fail(img, err, errlen, path,
			    "not a 32-bit ELF (EI_CLASS %u); vzsim runs MIPS32 images",
			    (unsigned)(unsigned char)ident[EI_CLASS]);
	if (ident[EI_DATA] != ELFDATA2LSB)
		return fail(img, err, errlen, path,
			    "not a little-endian ELF (EI_DATA %u); vzsim is little-endian",
			    (unsigned)(unsigned char)ident[EI_DATA]);

	Elf32_Ehdr *eh = elf32_getehdr(elf);
	if (!eh)
		return fail(img, err, errlen, path, "bad ELF header: %s",
			    elf_errmsg(-1));
	if (eh->e_machine != EM_MIPS)
		return fail(img, err, errlen, path,
			    "e_machine is %u, not MIPS (%u)",
			    (unsigned)eh->e_machine, (unsigned)EM_MIPS);
	img->entry = eh->e_entry;

	size_t nph = 0;
	if (elf_getphdrnum(elf, &nph) != 0)
		return fail(img, err, errlen, path, "bad program headers: %s",
			    elf_errmsg(-1));
	/* gelf_getphdr copies each header out: e_phoff need not be aligned in
	 * the file, so the table cannot be read in place. */
	size_t rawsize = 0;
	const uint8_t *raw = (const uint8_t *)elf_rawfile(elf, &rawsize);
	if (!raw)
		return fail(img, err, errlen, path, "cannot read: %s",
			    elf_errmsg(-1));

	img->segs = calloc(nph ? nph : 1, sizeof *img->segs);
	if (!img->segs)
		return fail(img, err, errlen, path, "out of memory");
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr phdr;
		if (!gelf_getphdr(elf, (int)i, &phdr))
			return fail(img, err, errlen, path, "bad program header %zu: %s",
				    i, elf_errmsg(-1));
		const GElf_Phdr *p = &phdr;
		if (p->p_type != PT_LOAD || p->p_memsz == 0)
			continue;
		if (p->p_filesz > p->p_memsz)
			return fail(img, err, errlen, path,
				    "segment %zu: p_filesz 0x%x > p_memsz 0x%x",
				    i, (unsigned)p->p_filesz, (unsigned)p->p_memsz);
		if ((uint64_t)p->p_offset + p->p_filesz > rawsize)
			return fail(img, err, errlen, path,
				    "segment %zu: file offset 0x%x + 0x%x is past "
				    "the end of the file (truncated?)",
				    i, (unsigned)p->p_offset, (unsigned)p->p_filesz);
		uint32_t pa;
		if (!seg_phys(p->p_vaddr, p->p_memsz, &pa))
			return fail(img, err, errlen, path,
				    "segment at vaddr 0x%08x (0x%x bytes) is not "
				    "inside kuseg, kseg0 or kseg1 (no fixed "
				    "physical address to load it at)",
				    (unsigned)p->p_vaddr, (unsigned)p->p_memsz);
		img->segs[img->nsegs++] = (struct elf_segment){
			.vaddr = p->p_vaddr, .pa = pa,
			.filesz = p->p_filesz, .memsz = p->p_memsz,
			.flags = p->p_flags, .data = raw + p->p_offset,
		};
	}
	if (img->nsegs == 0)
		return fail(img, err, errlen, path, "no loadable (PT_LOAD) segment");
	return 0;
}

void elf_image_close(struct elf_image *img)
{
	if (img->elf)
		elf_end(img->elf);
	if (img->fd >= 0)
		close(img->fd);
	free(img->segs);
	*img = (struct elf_image){.fd = -1};
}
