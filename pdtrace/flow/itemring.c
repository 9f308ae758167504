/*
 * A growing ring of flow items (itemring.h); its size is a power of two,
 * so positions wrap with a mask.
 */
#include <stdlib.h>
#include <string.h>

#include "itemring.h"

/* Doubles the buffer, the items moved to its start. */
static int grow(struct item_ring *r)
{
	size_t cap = r->cap ? r->cap * 2 : 16;
	struct pdt_flow_item *b = malloc(cap * sizeof *b);
	if (!b)
		return PDT_E_NOMEM;
	for (size_t k = 0; k < r->n; k++)
		b[k] = *ring_at(r, k);
	free(r->buf);
	r->buf = b;
	r->cap = cap;
	r->head = 0;
	return 0;
}

int ring_push(struct item_ring *r, const struct pdt_flow_item *it)
{
	if (r->n == r->cap && grow(r) != 0)
		return PDT_E_NOMEM;
	r->buf[(r->head + r->n) & (r->cap - 1)] = *it;
	r->n++;
	return 0;
}

int ring_push_keep(struct item_ring *r, const struct pdt_flow_item *it, size_t max)
{
	if (r->n >= max)
		ring_drop(r, r->n - max + 1);
	return ring_push(r, it);
}

struct pdt_flow_item *ring_at(const struct item_ring *r, size_t k)
{
	return &r->buf[(r->head + k) & (r->cap - 1)];
}

void ring_drop(struct item_ring *r, size_t k)
{
	if (!k)
		return;
	r->head = (r->head + k) & (r->cap - 1);
	r->n -= k;
	r->popped += k;
}

void ring_clear(struct item_ring *r)
{
	ring_drop(r, r->n);
}

void ring_free(struct item_ring *r)
{
	free(r->buf);
	memset(r, 0, sizeof *r);
}
