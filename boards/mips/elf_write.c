/*
 * The one writer of MIPS32 ELF files (mips/elf.h): memory snapshots, as
 * core files that the shared reader (elf.c) takes back as images.
 */
#include <mips/elf.h>

#include <elf.h>
#include <endian.h>
#include <errno.h>
#include <string.h>

int mips_elf_write_core(FILE *f, const struct mips_elf_seg *seg, size_t n)
{
	if (n > PN_XNUM - 1) {
		errno = EINVAL;
		return -1;
	}
	Elf32_Ehdr eh;
	memset(&eh, 0, sizeof eh);
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS32;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = htole16(ET_CORE);
	eh.e_machine = htole16(EM_MIPS);
	eh.e_version = htole32(EV_CURRENT);
	eh.e_phoff = htole32(sizeof eh);
	eh.e_ehsize = htole16(sizeof eh);
	eh.e_phentsize = htole16(sizeof(Elf32_Phdr));
	eh.e_phnum = htole16((uint16_t)n);
	if (fwrite(&eh, sizeof eh, 1, f) != 1)
		return -1;
	/* The data follows the program headers, each segment word-aligned. */
	uint32_t off = (uint32_t)(sizeof eh + n * sizeof(Elf32_Phdr));
	for (size_t i = 0; i < n; i++) {
		Elf32_Phdr ph = {
			.p_type = htole32(PT_LOAD),
			.p_offset = htole32(off),
			.p_vaddr = htole32(seg[i].vaddr),
			.p_paddr = htole32(seg[i].pa),
			.p_filesz = htole32(seg[i].filesz),
			.p_memsz = htole32(seg[i].filesz),
			.p_flags = htole32(PF_R | PF_X),
			.p_align = htole32(4),
		};
		if (fwrite(&ph, sizeof ph, 1, f) != 1)
			return -1;
		off += (seg[i].filesz + 3) & ~3u;
	}
	static const uint8_t pad[3];
	for (size_t i = 0; i < n; i++) {
		if (seg[i].filesz && fwrite(seg[i].data, seg[i].filesz, 1, f) != 1)
			return -1;
		size_t tail = (4 - seg[i].filesz % 4) % 4;
		if (tail && fwrite(pad, tail, 1, f) != 1)
			return -1;
	}
	return fflush(f) == 0 ? 0 : -1;
}
