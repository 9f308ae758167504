/*
 * The vzsoak hypervisor's user trace messages (<vzsoak/utm.h>) as flow
 * events: a layer of its own under the flow decoder, which hands it every
 * UserTraceData write and gets events back.  The walker knows records and
 * code; what the hypervisor's words mean is known here only.
 */
#ifndef PDTRACE_FLOW_HVMSG_H
#define PDTRACE_FLOW_HVMSG_H

#include <pdtrace/flow.h>

#include <vzsoak/utm.h>

/* The most events one write makes: a refused message's words, raw. */
#define HVMSG_MAX_EVENTS (1u + UTM_MAX_PAYLOAD)

/* Where the events go: a new item of kind k at trace offset `offset`,
 * its index and context filled in, the rest for the caller to fill. */
typedef struct pdt_flow_item *(*hvmsg_emit)(void *to, enum pdt_flow_event k,
					    uint64_t offset);

struct hvmsg {
	/* The message being assembled (UserTraceData1 words). */
	uint32_t w[1 + UTM_MAX_PAYLOAD];
	unsigned n, want;
	uint64_t offset;
	/* The last guest exit, for the switch it may start. */
	bool have_exit;
	unsigned exit_gid;
	uint32_t exit_code;
	/* Each guest's PageMask as the last message showed it. */
	bool have_pagemask[PDT_FLOW_GUESTS + 1];
	uint32_t pagemask[PDT_FLOW_GUESTS + 1];
};

/* One UserTraceData write (channel 1 or 2) at trace offset `offset`. */
void hvmsg_word(struct hvmsg *h, uint8_t chan, uint32_t value, uint64_t offset,
		hvmsg_emit emit, void *to);
/* Records were dropped: a message half assembled is lost with them. */
void hvmsg_drop(struct hvmsg *h);

#endif
