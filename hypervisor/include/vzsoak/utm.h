/*
 * Hypervisor user trace messages (UTMs): what the reference hypervisor
 * writes to UserTraceData1 (CP0 23, 3) at every guest entry and exit, for
 * the guests' markers, anomalies and heartbeats, and when it raises a
 * virtual interrupt.  Each write becomes
 * one UTM record (channel 1) in the PDtrace stream, so the decoder sees a
 * message as a run of UTM values in program order.  This header is the one
 * definition, shared by the target (hypervisor) and the host (decoder):
 * plain C, fixed-width integers, no library.  docs/trace-format.md,
 * "Hypervisor user trace messages", documents the same layout.
 *
 * A message is a header word followed by its payload words:
 *
 *   header  31:24 magic UTM_MAGIC      (tells messages from other UTM users)
 *           23:20 kind  (enum utm_kind)
 *           19:16 version UTM_VERSION
 *           15:8  GuestID (0: the hypervisor itself)
 *            7:0  payload word count
 *
 * Payloads, by kind:
 *   UTM_ENTRY, UTM_EXIT (UTM_VMEXIT_WORDS words, struct utm_vmexit order):
 *     code      exit code: Cause.ExcCode 4:0, GExcCode 12:8 (valid when
 *               ExcCode is 27), hypercall code 25:16 (GExcCode HC);
 *               0 for an entry
 *     pc        where the guest stops / resumes (root EPC)
 *     epc       guest EPC (CP0 14 of the guest context)
 *     status    guest Status
 *     cause     guest Cause
 *     badvaddr  guest BadVAddr
 *     entryhi   guest EntryHi
 *     pagemask  guest PageMask
 *     index     guest Index
 *   UTM_MARKER:    1 word, the value the guest passed
 *   UTM_ANOMALY:   2 words, the anomaly code and a detail word
 *   UTM_HEARTBEAT: 1 word, the guest's heartbeat counter
 *   UTM_VIRQ:      1 word, the guest's virtual interrupt lines pending
 *                  after the hypervisor raised one (GuestCtl2.VIP), as
 *                  the Cause IP bits they show in (bit 10: IP2)
 */
#ifndef VZSOAK_UTM_H
#define VZSOAK_UTM_H

#include <stddef.h>
#include <stdint.h>

#define UTM_MAGIC        0xd7u
#define UTM_VERSION      1u
#define UTM_MAX_PAYLOAD  16u

enum utm_kind {
	UTM_ENTRY = 1,     /* the hypervisor is about to run the guest */
	UTM_EXIT = 2,      /* the guest just left guest mode */
	UTM_MARKER = 3,    /* hypercall: user trace marker */
	UTM_ANOMALY = 4,   /* hypercall: the guest reports an anomaly */
	UTM_HEARTBEAT = 5, /* hypercall: the guest is alive */
	UTM_VIRQ = 6,      /* the hypervisor raised a virtual interrupt */
};

/* Exit code word of UTM_ENTRY/UTM_EXIT. */
#define UTM_CODE(exc, gexc, hc) \
	(((uint32_t)(exc) & 0x1fu) | ((uint32_t)(gexc) & 0x1fu) << 8 | \
	 ((uint32_t)(hc) & 0x3ffu) << 16)
#define UTM_CODE_EXC(c)  ((c) & 0x1fu)
#define UTM_CODE_GEXC(c) (((c) >> 8) & 0x1fu)
#define UTM_CODE_HC(c)   (((c) >> 16) & 0x3ffu)

struct utm_vmexit {
	uint32_t code, pc, epc, status, cause, badvaddr, entryhi, pagemask, index;
};
#define UTM_VMEXIT_WORDS 9u

static inline uint32_t utm_header(unsigned kind, unsigned gid, unsigned nwords)
{
	return UTM_MAGIC << 24 | (kind & 0xfu) << 20 | UTM_VERSION << 16 |
	       (gid & 0xffu) << 8 | (nwords & 0xffu);
}

/* A decoded message. */
struct utm_msg {
	unsigned kind;
	unsigned gid;
	unsigned nwords;
	uint32_t payload[UTM_MAX_PAYLOAD];
};

/* Payload words each kind must carry (0: unknown kind). */
static inline unsigned utm_payload_words(unsigned kind)
{
	switch (kind) {
	case UTM_ENTRY:
	case UTM_EXIT:
		return UTM_VMEXIT_WORDS;
	case UTM_MARKER:
	case UTM_HEARTBEAT:
	case UTM_VIRQ:
		return 1;
	case UTM_ANOMALY:
		return 2;
	default:
		return 0;
	}
}

/* Encodes a message (header + payload) into out[], which has room for
 * cap words; returns the words written, 0 if cap is too small or the
 * kind/length do not match. */
static inline size_t utm_encode(uint32_t *out, size_t cap, unsigned kind, unsigned gid,
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

/* The payload of an entry/exit as words, in struct order. */
static inline void utm_vmexit_words(const struct utm_vmexit *e, uint32_t *w)
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
static inline void utm_vmexit_from_words(const uint32_t *w, struct utm_vmexit *e)
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

enum utm_status {
	UTM_OK = 0,
	UTM_ERR_MAGIC = -1,   /* words[0] is not a message header */
	UTM_ERR_VERSION = -2, /* a version this decoder does not know */
	UTM_ERR_KIND = -3,    /* unknown kind, or a length that does not fit it */
	UTM_ERR_SHORT = -4,   /* fewer words than the header announces */
};

/* Decodes one message from words[0..n); on success returns the words it
 * took (header included) and fills msg; else a negative utm_status. */
static inline int utm_decode(const uint32_t *words, size_t n, struct utm_msg *msg)
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

/* A short name for a kind ("entry", "exit", ...), "?" if unknown. */
static inline const char *utm_kind_name(unsigned kind)
{
	switch (kind) {
	case UTM_ENTRY: return "entry";
	case UTM_EXIT: return "exit";
	case UTM_MARKER: return "marker";
	case UTM_ANOMALY: return "anomaly";
	case UTM_HEARTBEAT: return "heartbeat";
	case UTM_VIRQ: return "virq";
	default: return "?";
	}
}

#endif
