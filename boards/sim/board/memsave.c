/*
 * Snapshots of physical memory as ELF core files (vzsim.h,
 * vzsim_mem_save_elf), through the one MIPS ELF writer
 * (mips_elf_write_core), so that every tool's reader takes them back.
 */
#include "board.h"

#include <stdio.h>
#include <stdlib.h>

#include <mips/elf.h>
#include <util/outfile.h>

int vzsim_mem_save_elf(vzsim *sim, const char *path, const struct vzsim_mem_segment *seg,
		       size_t n, char *err, size_t errlen)
{
	struct mips_elf_seg *out = calloc(n ? n : 1, sizeof *out);
	if (!out) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const uint8_t *p = bus_host_ptr(&sim->bus, seg[i].pa, seg[i].len);
		if (!p || !seg[i].len) {
			snprintf(err, errlen, "%s: physical 0x%08x..+0x%x is not RAM", path,
				 seg[i].pa, seg[i].len);
			free(out);
			return -1;
		}
		out[i] = (struct mips_elf_seg){.vaddr = seg[i].vaddr, .pa = seg[i].pa,
					       .filesz = seg[i].len, .memsz = seg[i].len,
					       .data = p};
	}
	struct outfile o;
	char why[512];
	if (outfile_open(&o, path, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s", why);
		free(out);
		return -1;
	}
	/* A failed write leaves the stream's error flag, which the commit
	 * reports with the file's name. */
	(void)mips_elf_write_core(o.f, out, n);
	free(out);
	if (outfile_commit(&o, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	return 0;
}
