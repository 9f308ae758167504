/*
 * A flattened device tree writer (the DTB format of the Devicetree
 * Specification, version 17): the board's description that a Linux kernel
 * booted by UHI reads (docs/linux.md).  Nodes are opened and closed in
 * order, properties written into the open node; fdt_finish lays out the
 * header, the empty memory reservation map, the structure block and the
 * strings block (each property name once), all big-endian.
 */
#ifndef VZSIM_FDT_H
#define VZSIM_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fdt_writer {
	uint8_t *dt;       /* the structure block so far */
	size_t dt_len, dt_cap;
	char *str;         /* the strings block so far */
	size_t str_len, str_cap;
	unsigned depth;    /* nodes open */
	bool bad;          /* out of memory, or a call out of order */
};

void fdt_init(struct fdt_writer *w);
/* The root is the first node, named "". */
void fdt_begin_node(struct fdt_writer *w, const char *name);
void fdt_end_node(struct fdt_writer *w);
void fdt_prop(struct fdt_writer *w, const char *name, const void *value, size_t len);
void fdt_prop_cells(struct fdt_writer *w, const char *name, const uint32_t *cells, size_t n);
void fdt_prop_u32(struct fdt_writer *w, const char *name, uint32_t v);
void fdt_prop_string(struct fdt_writer *w, const char *name, const char *s);
/* An empty property (a flag such as "interrupt-controller"). */
void fdt_prop_empty(struct fdt_writer *w, const char *name);
/* The blob (malloc'd, *len bytes), or NULL if a node is still open, none
 * was written, or memory ran out.  The writer is freed either way. */
uint8_t *fdt_finish(struct fdt_writer *w, size_t *len);

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_END 9u
#define FDT_HEADER_SIZE 40u

#endif
