/*
 * libFuzzer target: the shared ELF reader (boards/mips/elf.c, mips/elf.h),
 * which reads every image a user hands to vzsim, mipsdis or the flow
 * decoder.  Each input is written to a file (the reader takes paths) and
 * opened twice, as the loader opens it (segments, physical addresses) and
 * as the code images and mipsdis do (sections and symbols too).  It must
 * either be refused with one line naming the file, or come back as
 * elf.h promises: segments inside the file and the address space, sorted
 * and disjoint (and inside kuseg/kseg0/kseg1 for the loader), sections'
 * bytes inside the file, every name a string.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mips/elf.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads every byte a pointer claims, so ASan sees a bad one. */
static void touch(const uint8_t *p, size_t n)
{
	volatile uint8_t sum = 0;
	for (size_t k = 0; k < n; k++)
		sum ^= p[k];
	(void)sum;
}

static void check(const char *path, size_t size, unsigned what)
{
	struct mips_elf e;
	char err[512];
	int rc = mips_elf_open(&e, path, what, err, sizeof err);
	if (rc != 0) {
		if (rc != MIPS_ELF_EIO && rc != MIPS_ELF_EFORMAT && rc != MIPS_ELF_ENOMEM)
			abort();
		if (strncmp(err, path, strlen(path)) != 0 || strncmp(err + strlen(path), ": ", 2))
			abort(); /* the message must name the file */
		if (strchr(err, '\n'))
			abort(); /* and be one line */
		return;
	}
	if (e.nseg == 0)
		abort();
	for (size_t i = 0; i < e.nseg; i++) {
		const struct mips_elf_seg *s = &e.seg[i];
		if (s->filesz > s->memsz || s->filesz > size || (s->filesz && !s->data))
			abort();
		if ((uint64_t)s->vaddr + s->memsz > UINT64_C(0x100000000))
			abort();
		if (i && (uint64_t)e.seg[i - 1].vaddr + e.seg[i - 1].memsz > s->vaddr)
			abort(); /* sorted, disjoint */
		if ((what & MIPS_ELF_PHYS) && (uint64_t)s->vaddr + s->memsz > 0xc0000000ull)
			abort(); /* kseg2/3 must have been refused */
		touch(s->data, s->filesz);
	}
	for (size_t i = 0; i < e.nsec; i++) {
		const struct mips_elf_sec *s = &e.sec[i];
		if (!s->name)
			abort();
		touch((const uint8_t *)s->name, strlen(s->name));
		if (s->data)
			touch(s->data, s->size);
	}
	for (size_t i = 0; i < e.nsym; i++)
		touch((const uint8_t *)e.sym[i].name, strlen(e.sym[i].name));
	mips_elf_close(&e);
}

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

	check(path, size, MIPS_ELF_PHYS);
	check(path, size, MIPS_ELF_SYMBOLS);
	return 0;
}
