/* The physical bus: region lookup and the slow-path accesses. */
#include "bus.h"

#include <string.h>

static int add_region(struct bus *bus, uint32_t base, uint32_t size,
		      uint8_t *mem, const struct bus_device *dev)
{
	if (size == 0 || bus->nregions == BUS_MAX_REGIONS ||
	    (uint64_t)base + size > 0x100000000ull)
		return -1;
	for (unsigned i = 0; i < bus->nregions; i++) {
		const struct bus_region *r = &bus->regions[i];
		if (base < r->base + (uint64_t)r->size &&
		    r->base < base + (uint64_t)size)
			return -1;
	}
	bus->regions[bus->nregions++] =
		(struct bus_region){.base = base, .size = size, .mem = mem, .dev = dev};
	return 0;
}

int bus_add_ram(struct bus *bus, uint32_t base, uint32_t size, uint8_t *mem)
{
	return add_region(bus, base, size, mem, NULL);
}

int bus_add_device(struct bus *bus, uint32_t base, uint32_t size,
		   const struct bus_device *dev)
{
	return add_region(bus, base, size, NULL, dev);
}

const struct bus_region *bus_find(const struct bus *bus, uint32_t pa)
{
	for (unsigned i = 0; i < bus->nregions; i++) {
		const struct bus_region *r = &bus->regions[i];
		if (pa - r->base < r->size)
			return r;
	}
	return NULL;
}

/* The target is little-endian and so is every host vzsim supports. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "vzsim needs a little-endian host");

bool bus_read(const struct bus *bus, uint32_t pa, unsigned size, uint32_t *val)
{
	const struct bus_region *r = bus_find(bus, pa);
	if (!r || pa - r->base + (uint64_t)size > r->size)
		return false;
	if (r->mem) {
		uint32_t v = 0;
		memcpy(&v, r->mem + (pa - r->base), size);
		*val = v;
		return true;
	}
	return r->dev->read && r->dev->read(r->dev->ctx, pa - r->base, size, val);
}

bool bus_write(const struct bus *bus, uint32_t pa, unsigned size, uint32_t val)
{
	const struct bus_region *r = bus_find(bus, pa);
	if (!r || pa - r->base + (uint64_t)size > r->size)
		return false;
	if (r->mem) {
		memcpy(r->mem + (pa - r->base), &val, size);
		return true;
	}
	return r->dev->write && r->dev->write(r->dev->ctx, pa - r->base, size, val);
}
