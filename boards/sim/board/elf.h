/*
 * Reading the loadable segments of a little-endian MIPS32 ELF image, with
 * each segment's virtual address already mapped to a physical one (kseg0 and
 * kseg1 drop their top three bits, kuseg is taken as physical).  Whether the
 * physical range exists on the board is for the board to decide.
 */
#ifndef VZSIM_ELF_H
#define VZSIM_ELF_H

#include <stddef.h>
#include <stdint.h>

struct elf_segment {
	uint32_t vaddr, pa;
	uint32_t filesz, memsz;
	uint32_t flags;         /* PF_X | PF_W | PF_R */
	const uint8_t *data;    /* filesz bytes from the file */
};

struct elf_image {
	uint32_t entry;
	size_t nsegs;
	struct elf_segment *segs; /* the PT_LOAD segments with memsz > 0 */
	/* Private: the open file and libelf handle behind data. */
	int fd;
	void *elf;
};

/*
 * Opens path and checks it: an ELF, ELFCLASS32, little-endian, EM_MIPS, at
 * least one PT_LOAD segment, every segment within the file and in kuseg,
 * kseg0 or kseg1 without crossing out of it.  On failure: -1 and a one-line
 * message starting with path.
 */
int elf_image_open(struct elf_image *img, const char *path, char *err,
		   size_t errlen);
void elf_image_close(struct elf_image *img);

#endif
