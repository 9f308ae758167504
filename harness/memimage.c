/*
 * Snapshots of Linux guests' kernel memory (memimage.h).
 */
#include "memimage.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vzsoak/linux_files.h>

/* A Linux guest's kernel runs in kseg0: guest-physical p at 0x80000000 + p. */
#define KSEG0 0x80000000u

/* Whether a page holds nothing to decode: all zero (never written), or
 * all 0xcc, Linux's poison for memory it freed (POISON_FREE_INITMEM: its
 * init code once booted, which the vmlinux still holds as it ran). */
static bool blank_page(const uint8_t *p)
{
	if (p[0] != 0 && p[0] != 0xcc)
		return false;
	for (size_t i = 1; i < MEMIMAGE_PAGE; i++)
		if (p[i] != p[0])
			return false;
	return true;
}

/* The runs of pages of buf[0, bytes) (the window at pa) that are not
 * blank, as segments at kseg0 (at most bytes / MEMIMAGE_PAGE / 2 + 1). */
static size_t segments(const uint8_t *buf, uint32_t bytes, uint32_t pa,
		       struct vzsim_mem_segment *seg)
{
	size_t n = 0;
	for (uint32_t at = 0; at < bytes; at += MEMIMAGE_PAGE) {
		if (blank_page(buf + at))
			continue;
		if (n && seg[n - 1].vaddr + seg[n - 1].len == KSEG0 + at) {
			seg[n - 1].len += MEMIMAGE_PAGE;
			continue;
		}
		seg[n++] = (struct vzsim_mem_segment){.vaddr = KSEG0 + at, .pa = pa + at,
						      .len = MEMIMAGE_PAGE};
	}
	return n;
}

/* 1: written; 0: nothing to write (blank pages only); -1: failed. */
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
	struct vzsim_mem_segment *seg = malloc((bytes / MEMIMAGE_PAGE / 2 + 1) * sizeof *seg);
	if (!seg) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	size_t nseg = segments(buf, bytes, g->window_pa, seg);
	if (!nseg) {
		free(seg);
		return 0; /* nothing but blank pages: nothing to decode */
	}
	int rc = vzsim_mem_save_elf(sim, path, seg, nseg, err, errlen);
	free(seg);
	return rc ? -1 : 1;
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
		bytes &= ~(MEMIMAGE_PAGE - 1);
		int wrote = write_one(sim, g, i + 1, bytes, trace, buf, err, errlen);
		if (wrote < 0) {
			free(buf);
			return -1;
		}
		n += wrote;
	}
	free(buf);
	return n;
}
