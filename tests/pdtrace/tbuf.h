/*
 * A word sink for the libpdtrace tests and the decoder fuzzer: collects
 * the encoder's output as trace bytes (little-endian words), growing as
 * needed.  Apart from pdt_test.h so that a test can have it without
 * vectors.h's names; free of cmocka so that the fuzzer, which does not
 * link it, shares it too (out of memory aborts, which either reports).
 */
#ifndef VZSOAK_PDT_TBUF_H
#define VZSOAK_PDT_TBUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

struct tbuf {
	uint8_t *b;
	size_t len, cap;
};

static inline void tbuf_sink(void *ctx, uint64_t w)
{
	struct tbuf *t = ctx;
	if (t->len + 8 > t->cap) {
		t->cap = t->cap ? 2 * t->cap : 256;
		t->b = realloc(t->b, t->cap);
		if (!t->b)
			abort();
	}
	for (unsigned i = 0; i < 8; i++)
		t->b[t->len++] = (uint8_t)(w >> (8 * i));
}

static inline void tbuf_free(struct tbuf *t)
{
	free(t->b);
	*t = (struct tbuf){ 0 };
}

#endif
