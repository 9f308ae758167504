/*
 * A reader of flattened device tree blobs for the board's tests, written
 * from the Devicetree Specification and independent of the writer
 * (boards/sim/board/fdt.c): the tests read back what it wrote.
 */
#ifndef TESTS_FDT_WALK_H
#define TESTS_FDT_WALK_H

#include <stdbool.h>
#include <stdint.h>

struct found {
	char path[128];
	const uint8_t *value;
	uint32_t len;
};

uint32_t be32(const uint8_t *p);
/* The property at path/name ("/cpus/cpu@0", "reg"): false if absent. */
bool fdt_lookup(const uint8_t *b, const char *path, const char *name, struct found *f);
/* The same, failing the test if absent. */
struct found find(const uint8_t *b, const char *path, const char *name);

#endif
