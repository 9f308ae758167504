/*
 * The words of the flow decoder's items (flow.h, "Text"): what every
 * listing of a capture prints, shared by pdtrace's commands and vzsoak's
 * reports so that one event reads the same everywhere.
 */
#include <inttypes.h>
#include <stdio.h>

#include <crashme/block.h>
#include <mips/exc.h>
#include <pdtrace/flow.h>

/* The mode the context runs in: EXL or ERL make it kernel mode whatever
 * KSU says (an exception handler entered from user mode is kernel code). */
int pdt_flow_effective_ksu(const struct pdt_ctx *c)
{
	return c->exl || c->erl ? PDT_KERNEL : c->ksu;
}

void pdt_flow_context_name(const struct pdt_ctx *c, char *buf, size_t len)
{
	int k = pdt_flow_effective_ksu(c);
	if (!c->guest)
		snprintf(buf, len, "root");
	else
		snprintf(buf, len, "g%u %c", c->guestid,
			 k == PDT_USER ? 'u' : k == PDT_SUPERVISOR ? 's' : 'k');
}

const char *pdt_exc_text(unsigned code, char *buf, size_t len)
{
	const char *n = pdt_exc_name(code);
	if (n)
		return n;
	snprintf(buf, len, "exc%u", code);
	return buf;
}

/* A PageMask as the page size each half maps ("16K"), or hex. */
void pdt_page_size_text(uint32_t pm, char *buf, size_t len)
{
	uint32_t mask = (pm >> 13) & 0xffffu;
	if ((mask & (mask + 1)) != 0) {
		snprintf(buf, len, "0x%08" PRIx32, pm);
		return;
	}
	uint64_t bytes = (uint64_t)(mask + 1) * 4096;
	if (bytes >= (1u << 20))
		snprintf(buf, len, "%" PRIu64 "M", bytes >> 20);
	else
		snprintf(buf, len, "%" PRIu64 "K", bytes >> 10);
}

/* "guest exit HC 1 (console)", "timer", ...: an exit code word. */
void pdt_exit_text(uint32_t code, char *buf, size_t len)
{
	unsigned exc = code & 0x1fu, g = (code >> 8) & 0x1fu, hc = (code >> 16) & 0x3ffu;
	char tmp[16];
	const char *gname = mips_gexc_name(g);
	if (exc == EXC_GE && g == GEXC_HC)
		snprintf(buf, len, "HC %u", hc);
	else if (exc == EXC_GE)
		snprintf(buf, len, "%s", gname ? gname : "GE");
	else if (exc == EXC_INT)
		snprintf(buf, len, "timer");
	else
		snprintf(buf, len, "%s", pdt_exc_text(exc, tmp, sizeof tmp));
}

/* The event's words, after "-- ". */
void pdt_flow_event_text(const struct pdt_flow_item *it, char *buf, size_t len)
{
	char a[24], b[24];
	switch (it->ev.kind) {
	case PDT_EV_EXCEPTION:
		snprintf(buf, len, "exception %s%s at %08" PRIx32 " -> %08" PRIx32,
			 pdt_exc_text(it->ev.exc.code, a, sizeof a),
			 it->ctx.guest ? (it->ev.exc.root ? " (to root)" : " (to the guest)") : "",
			 it->ev.exc.pc, it->ev.exc.vector);
		break;
	case PDT_EV_ERET:
		snprintf(buf, len, "eret %08" PRIx32 " -> %08" PRIx32, it->ev.eret.from,
			 it->ev.eret.to);
		break;
	case PDT_EV_MODE:
		snprintf(buf, len, "mode %s%s%s asid=%02x", it->ctx.ksu == PDT_USER ? "user"
			 : it->ctx.ksu == PDT_SUPERVISOR ? "supervisor" : "kernel",
			 it->ctx.exl ? " exl" : "", it->ctx.erl ? " erl" : "", it->ctx.asid);
		break;
	case PDT_EV_SYNC:
		snprintf(buf, len, "sync at %08" PRIx32, it->ev.sync.pc);
		break;
	case PDT_EV_GUEST_EXIT:
	case PDT_EV_GUEST_ENTRY:
		pdt_exit_text(it->ev.guest.st.code, a, sizeof a);
		pdt_page_size_text(it->ev.guest.st.pagemask, b, sizeof b);
		snprintf(buf, len, "g%u %s%s%s at %08" PRIx32 ": epc=%08" PRIx32 " status=%08" PRIx32
			 " cause=%08" PRIx32 " badvaddr=%08" PRIx32 " entryhi=%08" PRIx32
			 " pagemask=%s index=%08" PRIx32, it->ev.guest.gid,
			 it->ev.kind == PDT_EV_GUEST_EXIT ? "guest exit " : "guest entry",
			 it->ev.kind == PDT_EV_GUEST_EXIT ? a : "",
			 "", it->ev.guest.st.pc, it->ev.guest.st.epc, it->ev.guest.st.status,
			 it->ev.guest.st.cause, it->ev.guest.st.badvaddr, it->ev.guest.st.entryhi,
			 b, it->ev.guest.st.index);
		break;
	case PDT_EV_SWITCH:
		pdt_exit_text(it->ev.sw.code, a, sizeof a);
		snprintf(buf, len, "%s g%u -> g%u (%s)",
			 (it->ev.sw.code & 0x1f) == 0 ? "preempt" : "switch", it->ev.sw.from,
			 it->ev.sw.to, a);
		break;
	case PDT_EV_PAGEMASK:
		pdt_page_size_text(it->ev.pagemask.from, a, sizeof a);
		pdt_page_size_text(it->ev.pagemask.to, b, sizeof b);
		snprintf(buf, len, "g%u PageMask %s -> %s (0x%" PRIx32 " -> 0x%" PRIx32 ")",
			 it->ev.pagemask.gid, a, b, it->ev.pagemask.from, it->ev.pagemask.to);
		break;
	case PDT_EV_MARKER:
		snprintf(buf, len, "g%u marker 0x%08" PRIx32, it->ev.msg.gid, it->ev.msg.value);
		break;
	case PDT_EV_ANOMALY:
		snprintf(buf, len, "g%u anomaly 0x%" PRIx32 " detail 0x%08" PRIx32,
			 it->ev.msg.gid, it->ev.msg.value, it->ev.msg.detail);
		break;
	case PDT_EV_HEARTBEAT:
		snprintf(buf, len, "g%u heartbeat %" PRIu32, it->ev.msg.gid, it->ev.msg.value);
		break;
	case PDT_EV_VIRQ: {
		/* "IP2", "IP2 IP4": the lines pending, Cause.IP2..IP7 */
		char lines[32] = "";
		size_t n = 0;
		for (unsigned ip = 2; ip <= 7; ip++)
			if (it->ev.msg.value & (1u << (8 + ip)))
				n += (size_t)snprintf(lines + n, sizeof lines - n, "%sIP%u",
						      n ? " " : "", ip);
		snprintf(buf, len, "g%u virtual interrupt raised: %s pending (cause bits 0x%08"
			 PRIx32 ")", it->ev.msg.gid, n ? lines : "none", it->ev.msg.value);
		break;
	}
	case PDT_EV_BLOCK:
		snprintf(buf, len, "g%u crashme block %" PRIu32, it->ev.block.gid,
			 it->ev.block.block);
		break;
	case PDT_EV_UTM:
		snprintf(buf, len, "utm chan=%u value=0x%08" PRIx32, it->ev.utm.chan,
			 it->ev.utm.value);
		break;
	case PDT_EV_GAP:
		snprintf(buf, len, "gap: %s at %08" PRIx32 ", %" PRIu64 " instructions not shown"
			 ", %" PRIu64 " trace bytes skipped (trace offset 0x%" PRIx64 ")",
			 pdt_flow_gap_name(it->ev.gap.why), it->ev.gap.pc, it->ev.gap.insns,
			 it->ev.gap.bytes, it->offset);
		break;
	default:
		snprintf(buf, len, "%s", pdt_flow_event_name(it->ev.kind));
		break;
	}
}

/* "name+0x10", "crashme#12+0x8", or "" for the instruction's pc. */
void pdt_flow_symbol(const struct pdt_flow_config *cfg, const struct pdt_flow_item *it,
		      char *buf, size_t len)
{
	buf[0] = 0;
	if (it->insn.block >= 0) {
		snprintf(buf, len, "crashme#%d+0x%" PRIx32, it->insn.block,
			 it->insn.pc - CRASHME_CODE_VA);
		return;
	}
	const struct pdt_code *c = !it->ctx.guest ? cfg->root
				   : it->ctx.guestid <= PDT_FLOW_GUESTS ? cfg->guest[it->ctx.guestid]
									: NULL;
	uint32_t off;
	const char *s = c ? pdt_code_symbol(c, it->insn.pc, &off) : NULL;
	if (s)
		snprintf(buf, len, "%s+0x%" PRIx32, s, off);
}
