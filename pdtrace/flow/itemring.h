/*
 * A ring of flow items (pdtrace/flow/itemring.c), growing as needed: the
 * queues and histories of the capture diff (diff.c).  `popped` counts the
 * items taken from the front, so popped + k names the k-th item for as
 * long as it is held.
 */
#ifndef PDTRACE_ITEMRING_H
#define PDTRACE_ITEMRING_H

#include <stddef.h>
#include <stdint.h>

#include <pdtrace/flow.h>

struct item_ring {
	struct pdt_flow_item *buf;
	size_t cap, head, n;
	uint64_t popped;
};

/* Appends a copy of it: 0, or PDT_E_NOMEM (the ring is unchanged). */
int ring_push(struct item_ring *r, const struct pdt_flow_item *it);
/* Appends, dropping the oldest first when max are held (max >= 1). */
int ring_push_keep(struct item_ring *r, const struct pdt_flow_item *it, size_t max);
/* The k-th item from the front (k < n). */
struct pdt_flow_item *ring_at(const struct item_ring *r, size_t k);
/* Drops the k oldest (k <= n). */
void ring_drop(struct item_ring *r, size_t k);
void ring_clear(struct item_ring *r);
void ring_free(struct item_ring *r);

#endif
