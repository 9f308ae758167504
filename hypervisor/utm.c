/*
 * Encoder and decoder of the hypervisor's user trace messages
 * (include/vzsoak/utm.h).  Built for the target (the hypervisor encodes)
 * and the host (the decoder and the unit tests): no library calls.
 */
#include <vzsoak/utm.h>

unsigned utm_payload_words(unsigned kind)
{
	switch (kind) {
	case UTM_ENTRY:
	case UTM_EXIT:
		return UTM_VMEXIT_WORDS;
	case UTM_MARKER:
	case UTM_HEARTBEAT:
		return 1;
	case UTM_ANOMALY:
		return 2;
	default:
		return 0;
	}
}

size_t utm_encode(uint32_t *out, size_t cap, unsigned kind, unsigned gid,
		  const uint32_t *payload, unsigned nwords)
{
	unsigned want = utm_payload_words(kind);

	if (want == 0 || nwords != want || cap < (size_t)nwords + 1)
		return 0;
	out[0] = utm_header(kind, gid, nwords);
	for (unsigned i = 0; i < nwords; i++)
		out[1 + i] = payload[i];
	return (size_t)nwords + 1;
}

void utm_vmexit_words(const struct utm_vmexit *e, uint32_t *w)
{
	w[0] = e->code;
	w[1] = e->pc;
	w[2] = e->epc;
	w[3] = e->status;
	w[4] = e->cause;
	w[5] = e->badvaddr;
	w[6] = e->entryhi;
	w[7] = e->pagemask;
	w[8] = e->index;
}

void utm_vmexit_from_words(const uint32_t *w, struct utm_vmexit *e)
{
	e->code = w[0];
	e->pc = w[1];
	e->epc = w[2];
	e->status = w[3];
	e->cause = w[4];
	e->badvaddr = w[5];
	e->entryhi = w[6];
	e->pagemask = w[7];
	e->index = w[8];
}

int utm_decode(const uint32_t *words, size_t n, struct utm_msg *msg)
{
	if (n < 1 || words[0] >> 24 != UTM_MAGIC)
		return UTM_ERR_MAGIC;
	uint32_t h = words[0];
	if (((h >> 16) & 0xfu) != UTM_VERSION)
		return UTM_ERR_VERSION;
	unsigned kind = (h >> 20) & 0xfu;
	unsigned nwords = h & 0xffu;
	unsigned want = utm_payload_words(kind);
	if (want == 0 || nwords != want)
		return UTM_ERR_KIND;
	if (n < (size_t)nwords + 1)
		return UTM_ERR_SHORT;
	msg->kind = kind;
	msg->gid = (h >> 8) & 0xffu;
	msg->nwords = nwords;
	for (unsigned i = 0; i < nwords; i++)
		msg->payload[i] = words[1 + i];
	return (int)nwords + 1;
}

const char *utm_kind_name(unsigned kind)
{
	switch (kind) {
	case UTM_ENTRY: return "entry";
	case UTM_EXIT: return "exit";
	case UTM_MARKER: return "marker";
	case UTM_ANOMALY: return "anomaly";
	case UTM_HEARTBEAT: return "heartbeat";
	default: return "?";
	}
}
