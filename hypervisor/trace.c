/*
 * trace.c: the PDtrace capture hooks.
 *
 * With trace=on the hypervisor takes the trace unit over from the debugger
 * side (TraceControl.TS = 1) and traces every mode (E, K, S, U), every
 * ASID (G), root and guests.  trace-guests= narrows the guests: while a
 * guest outside the mask runs, TraceControl.On is clear; root is always
 * traced.  At every guest entry and exit the hypervisor writes a user
 * trace message (include/vzsoak/utm.h) to UserTraceData1, so a decoder
 * can follow world switches and see the guest's TLB state at each one.
 */
#include "hv.h"

#define TC_TS	0x80000000u
#define TC_E	0x01000000u
#define TC_K	0x00800000u
#define TC_S	0x00400000u
#define TC_U	0x00200000u
#define TC_G	0x00000010u
#define TC_ON	0x00000001u
#define TC_ALL	(TC_TS | TC_E | TC_K | TC_S | TC_U | TC_G)

/* TraceControl2.SyP: a SYNC every 2^(5+5) = 1024 instructions.  Taking
 * the unit over (TS = 1) makes TraceControl2's own SyP count, whose reset
 * value 0 means a SYNC every 32 instructions: a quarter of the trace. */
#define TC2_SYP_1024	5u

void trace_init(void)
{
	if (hv_args.trace) {
		write_c0(CP0_TRACECONTROL2, TC2_SYP_1024);
		write_c0_tracecontrol(TC_ALL | TC_ON);
	}
}

void trace_msg(unsigned kind, unsigned gid, const uint32_t *payload, unsigned n)
{
	uint32_t w[1 + UTM_MAX_PAYLOAD];

	if (!hv_args.trace)
		return;
	size_t len = utm_encode(w, 1 + UTM_MAX_PAYLOAD, kind, gid, payload, n);
	for (size_t i = 0; i < len; i++)
		write_c0_usertracedata1(w[i]);
}

static void vmexit_msg(const struct vcpu *v, unsigned kind, uint32_t code)
{
	struct utm_vmexit e = {
		.code = code, .pc = v->pc, .epc = read_gc0(CP0_EPC),
		.status = read_gc0(CP0_STATUS), .cause = read_gc0(CP0_CAUSE),
		.badvaddr = read_gc0(CP0_BADVADDR), .entryhi = read_gc0(CP0_ENTRYHI),
		.pagemask = read_gc0(CP0_PAGEMASK), .index = read_gc0(CP0_INDEX),
	};
	uint32_t w[UTM_VMEXIT_WORDS];

	utm_vmexit_words(&e, w);
	trace_msg(kind, v->id, w, UTM_VMEXIT_WORDS);
}

/* Called with the guest's CP0 in place, just before it runs. */
void trace_vcpu_entry(const struct vcpu *v)
{
	if (!hv_args.trace)
		return;
	vmexit_msg(v, UTM_ENTRY, 0);
	if (!(hv_args.trace_guests & (1u << v->id)))
		write_c0_tracecontrol(TC_ALL); /* On clear while it runs */
}

/* Called first thing after an exit, before anything changes guest CP0. */
void trace_vcpu_exit(const struct vcpu *v, uint32_t code)
{
	if (!hv_args.trace)
		return;
	write_c0_tracecontrol(TC_ALL | TC_ON);
	vmexit_msg(v, UTM_EXIT, code);
}
