/*
 * Snapshots of Linux guests' kernel memory (memimage.h).
 */
#include "memimage.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mips/elf.h>
#include <util/outfile.h>
#include <vzsoak/linux_files.h>

/* A Linux guest's kernel runs in kseg0: guest-physical p at 0x80000000 + p. */
#define KSEG0 0x80000000u

static int write_one(vzsim *sim, const struct status_guest *g, unsigned id,
		     uint32_t bytes, const char *trace, uint8_t *buf, char *err,
		     size_t errlen)
{
	char path[4200];
	snprintf(path, sizeof path, LINUX_MEMORY_IMAGE, trace, id);
	if (vzsim_mem_read(sim, g->window_pa, buf, bytes) != 0) {
		snprintf(err, errlen, "%s: guest %u's memory at physical 0x%08x is not RAM",
			 path, id, g->window_pa);
		return -1;
	}
	struct mips_elf_seg seg = {.vaddr = KSEG0, .pa = 0, .filesz = bytes, .memsz = bytes,
				   .data = buf};
	struct outfile o;
	char why[512];
	if (outfile_open(&o, path, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	/* A failed write leaves the stream's error flag, which the commit
	 * reports with the file's name. */
	(void)mips_elf_write_core(o.f, &seg, 1);
	if (outfile_commit(&o, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	return 0;
}

int memimage_write(vzsim *sim, const struct soak_view *v, const char *trace, char *err,
		   size_t errlen)
{
	uint8_t *buf = NULL;
	int n = 0;
	for (unsigned i = 0; i < view_guests(v); i++) {
		const struct status_guest *g = &v->st.g[i];
		if (strcmp(g->image, LINUX_IMAGE_NAME) != 0)
			continue;
		if (!buf && !(buf = malloc(MEMIMAGE_BYTES))) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		/* The guest's RAM, when smaller: the windows are laid out one
		 * after another, so the next guest's begins above it. */
		uint32_t bytes = MEMIMAGE_BYTES;
		for (unsigned k = 0; k < view_guests(v); k++) {
			uint32_t pa = v->st.g[k].window_pa;
			if (pa > g->window_pa && pa - g->window_pa < bytes)
				bytes = pa - g->window_pa;
		}
		if (write_one(sim, g, i + 1, bytes, trace, buf, err, errlen) != 0) {
			free(buf);
			return -1;
		}
		n++;
	}
	free(buf);
	return n;
}
