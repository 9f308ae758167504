/*
 * What the flow decoder alone asks of a code image (code.c), beyond
 * flow.h's word-by-word lookups: the bytes themselves, so that a decoded
 * block (blocks.c) can point at its words instead of copying them.
 */
#ifndef PDTRACE_CODE_H
#define PDTRACE_CODE_H

#include <stdint.h>

#include <pdtrace/flow.h>

/*
 * The image's bytes at va (a word's, little-endian) and in *nwords how
 * many whole words follow in its segment, va's included (at least one);
 * NULL if no segment holds a whole word at va.  The bytes live as long as
 * the image.
 */
const uint8_t *code_span(const struct pdt_code *c, uint32_t va, uint32_t *nwords);

/* The little-endian word at p. */
static inline uint32_t code_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

#endif
