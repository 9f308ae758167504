/* The hypervisor's messages as flow events (hvmsg.h). */
#include "hvmsg.h"

static void vmexit_view(struct pdt_flow_item *it, const struct utm_msg *m)
{
	struct utm_vmexit e;
	utm_vmexit_from_words(m->payload, &e);
	it->ev.guest.gid = m->gid;
	it->ev.guest.st = (struct pdt_flow_vmexit){e.code, e.pc, e.epc, e.status, e.cause,
						   e.badvaddr, e.entryhi, e.pagemask, e.index};
}

/* A PageMask change is news only between two messages of one guest. */
static void pagemask_seen(struct hvmsg *h, unsigned gid, uint32_t pm, hvmsg_emit emit,
			  void *to)
{
	if (gid == 0 || gid > PDT_FLOW_GUESTS)
		return;
	if (h->have_pagemask[gid] && h->pagemask[gid] != pm) {
		struct pdt_flow_item *it = emit(to, PDT_EV_PAGEMASK, h->offset);
		it->ev.pagemask.gid = gid;
		it->ev.pagemask.from = h->pagemask[gid];
		it->ev.pagemask.to = pm;
	}
	h->have_pagemask[gid] = true;
	h->pagemask[gid] = pm;
}

static void message(struct hvmsg *h, const struct utm_msg *m, hvmsg_emit emit, void *to)
{
	struct pdt_flow_item *it;
	switch (m->kind) {
	case UTM_EXIT:
		it = emit(to, PDT_EV_GUEST_EXIT, h->offset);
		vmexit_view(it, m);
		pagemask_seen(h, m->gid, it->ev.guest.st.pagemask, emit, to);
		h->have_exit = true;
		h->exit_gid = m->gid;
		h->exit_code = it->ev.guest.st.code;
		break;
	case UTM_ENTRY:
		if (h->have_exit && h->exit_gid != m->gid) {
			it = emit(to, PDT_EV_SWITCH, h->offset);
			it->ev.sw.from = h->exit_gid;
			it->ev.sw.to = m->gid;
			it->ev.sw.code = h->exit_code;
		}
		h->have_exit = false;
		it = emit(to, PDT_EV_GUEST_ENTRY, h->offset);
		vmexit_view(it, m);
		pagemask_seen(h, m->gid, it->ev.guest.st.pagemask, emit, to);
		break;
	case UTM_MARKER:
		it = emit(to, PDT_EV_MARKER, h->offset);
		it->ev.msg.gid = m->gid;
		it->ev.msg.value = m->payload[0];
		break;
	case UTM_ANOMALY:
		it = emit(to, PDT_EV_ANOMALY, h->offset);
		it->ev.msg.gid = m->gid;
		it->ev.msg.value = m->payload[0];
		it->ev.msg.detail = m->payload[1];
		break;
	case UTM_HEARTBEAT:
		it = emit(to, PDT_EV_HEARTBEAT, h->offset);
		it->ev.msg.gid = m->gid;
		it->ev.msg.value = m->payload[0];
		break;
	case UTM_VIRQ:
		it = emit(to, PDT_EV_VIRQ, h->offset);
		it->ev.msg.gid = m->gid;
		it->ev.msg.value = m->payload[0];
		break;
	default:
		break;
	}
}

static void raw(uint8_t chan, uint32_t value, uint64_t offset, hvmsg_emit emit, void *to)
{
	struct pdt_flow_item *it = emit(to, PDT_EV_UTM, offset);
	it->ev.utm.chan = chan;
	it->ev.utm.value = value;
}

void hvmsg_word(struct hvmsg *h, uint8_t chan, uint32_t value, uint64_t offset,
		hvmsg_emit emit, void *to)
{
	if (chan != 1) {
		raw(chan, value, offset, emit, to);
		return;
	}
	if (h->n == 0) {
		unsigned want = (value & 0xffu) + 1;
		if ((value >> 24) != UTM_MAGIC || want > 1 + UTM_MAX_PAYLOAD) {
			raw(1, value, offset, emit, to);
			return;
		}
		h->want = want;
		h->offset = offset;
	}
	h->w[h->n++] = value;
	if (h->n < h->want)
		return;
	struct utm_msg m;
	if (utm_decode(h->w, h->n, &m) > 0)
		message(h, &m, emit, to);
	else
		for (unsigned i = 0; i < h->n; i++)
			raw(1, h->w[i], h->offset, emit, to);
	h->n = 0;
}

void hvmsg_drop(struct hvmsg *h)
{
	h->n = 0;
}
