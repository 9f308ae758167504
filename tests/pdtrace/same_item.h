/*
 * Whether two flow items are the same, field for field (an event's fields
 * zeroed first by whoever made it): for the libpdtrace tests and the
 * decoder fuzzer, which check that every way of walking a trace gives the
 * same items.  The context is compared field by field, not as bytes, so
 * that its padding never counts.
 */
#ifndef VZSOAK_PDT_SAME_ITEM_H
#define VZSOAK_PDT_SAME_ITEM_H

#include <stdbool.h>
#include <string.h>

#include <pdtrace/flow.h>

static inline bool same_item(const struct pdt_flow_item *a, const struct pdt_flow_item *b)
{
	if (a->is_insn != b->is_insn || a->index != b->index || a->offset != b->offset ||
	    a->ctx.ksu != b->ctx.ksu || a->ctx.exl != b->ctx.exl || a->ctx.erl != b->ctx.erl ||
	    a->ctx.guest != b->ctx.guest || a->ctx.asid != b->ctx.asid ||
	    a->ctx.guestid != b->ctx.guestid)
		return false;
	if (!a->is_insn)
		return !memcmp(&a->ev, &b->ev, sizeof a->ev);
	return a->insn.pc == b->insn.pc && a->insn.word == b->insn.word &&
	       a->insn.have_word == b->insn.have_word && a->insn.exc == b->insn.exc &&
	       a->insn.exc_root == b->insn.exc_root && a->insn.block == b->insn.block;
}

#endif
