/*
 * The physical memory bus of the vzsim board: RAM-backed regions the CPU can
 * reach through host pointers, and device regions with read/write callbacks.
 * A physical address that falls in no region is a bus error.
 */
#ifndef VZSIM_BUS_H
#define VZSIM_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bus_device {
	const char *name;
	void *ctx;
	/* size is 1, 2 or 4; off is relative to the region base.
	 * Return false for a bus error. */
	bool (*read)(void *ctx, uint32_t off, unsigned size, uint32_t *val);
	bool (*write)(void *ctx, uint32_t off, unsigned size, uint32_t val);
};

struct bus_region {
	uint32_t base, size;
	uint8_t *mem;                 /* host memory, or NULL for a device */
	const struct bus_device *dev; /* when mem is NULL                 */
};

#define BUS_MAX_REGIONS 16

struct bus {
	struct bus_region regions[BUS_MAX_REGIONS];
	unsigned nregions;
};

/* Adds a region; returns -1 if it overlaps another or the table is full. */
int bus_add_ram(struct bus *bus, uint32_t base, uint32_t size, uint8_t *mem);
int bus_add_device(struct bus *bus, uint32_t base, uint32_t size,
		   const struct bus_device *dev);

const struct bus_region *bus_find(const struct bus *bus, uint32_t pa);

/* Host pointer to pa if pa..pa+len-1 lies in one memory region, else NULL. */
static inline uint8_t *bus_host_ptr(const struct bus *bus, uint32_t pa,
				    uint32_t len)
{
	const struct bus_region *r = bus_find(bus, pa);
	if (!r || !r->mem || pa - r->base + (uint64_t)len > r->size)
		return NULL;
	return r->mem + (pa - r->base);
}

/* Naturally aligned accesses of 1, 2 or 4 bytes; false on a bus error. */
bool bus_read(const struct bus *bus, uint32_t pa, unsigned size, uint32_t *val);
bool bus_write(const struct bus *bus, uint32_t pa, unsigned size, uint32_t val);

#endif
