/*
 * libFuzzer target: vzsim's ELF loader (boards/sim/board/elf.c), the
 * decoder of the images users hand to vzsim.  Each input is written to a
 * file (the loader takes paths) and opened; it must either be refused with
 * a message naming the file or come back with segments that lie inside the
 * file and inside kuseg/kseg0/kseg1, as elf.h promises.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board/elf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	if (!path[0])
		snprintf(path, sizeof path, "/tmp/vzsoak-fuzz-elf-%ld", (long)getpid());
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);

	struct elf_image img;
	char err[512];
	if (elf_image_open(&img, path, err, sizeof err) != 0) {
		if (strncmp(err, path, strlen(path)) != 0)
			abort(); /* the message must name the file */
		return 0;
	}
	for (size_t i = 0; i < img.nsegs; i++) {
		const struct elf_segment *s = &img.segs[i];
		if (s->filesz > s->memsz || s->filesz > size)
			abort();
		if (s->filesz && s->data == NULL)
			abort();
		/* Touch every byte the loader would copy. */
		volatile uint8_t sum = 0;
		for (uint32_t k = 0; k < s->filesz; k++)
			sum ^= s->data[k];
		(void)sum;
		if ((uint64_t)s->vaddr + s->memsz > 0xc0000000ull)
			abort(); /* kseg2/3 must have been refused */
	}
	elf_image_close(&img);
	return 0;
}
