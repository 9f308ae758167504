/*
 * A flattened device tree writer (the DTB format of the Devicetree
 * Specification, version 17), into a buffer the caller owns: the board's
 * description that a Linux kernel booted by UHI reads (docs/linux.md).  A
 * file of both sides: vzsim writes the tree of the board it simulates, the
 * reference hypervisor the tree of each Linux guest's virtual board
 * (linux_dt.h).
 *
 * Nodes are opened and closed in order, properties written into the open
 * node; fdt_finish lays out the header, the empty memory reservation map,
 * the structure block and the strings block (each property name once),
 * all big-endian.
 */
#ifndef VZSOAK_FDT_H
#define VZSOAK_FDT_H

#include <stddef.h>
#include <stdint.h>

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_END 9u
#define FDT_HEADER_SIZE 40u
/* The property names of one tree, together (the strings block). */
#define FDT_STRINGS_MAX 1024u

struct fdt_writer {
	uint8_t *buf;      /* the blob; the structure block is built in place */
	size_t cap;
	size_t dt_len;     /* the structure block so far */
	char str[FDT_STRINGS_MAX]; /* the strings block so far */
	size_t str_len;
	unsigned depth;    /* nodes open */
	int bad;           /* out of room, or a call out of order */
};

void fdt_init(struct fdt_writer *w, void *buf, size_t cap);
/* The root is the first node, named "". */
void fdt_begin_node(struct fdt_writer *w, const char *name);
void fdt_end_node(struct fdt_writer *w);
void fdt_prop(struct fdt_writer *w, const char *name, const void *value, size_t len);
void fdt_prop_cells(struct fdt_writer *w, const char *name, const uint32_t *cells, size_t n);
void fdt_prop_u32(struct fdt_writer *w, const char *name, uint32_t v);
void fdt_prop_string(struct fdt_writer *w, const char *name, const char *s);
/* An empty property (a flag such as "interrupt-controller"). */
void fdt_prop_empty(struct fdt_writer *w, const char *name);
/* The blob's length in the buffer, or 0 if a node is still open, none
 * was written, a call came out of order or the buffer was too small. */
size_t fdt_finish(struct fdt_writer *w);

#endif
