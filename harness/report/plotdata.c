/*
 * The plots' data (plot.h): one pass of the flow decoder over the replay's
 * trace, counting per guest and per bin of instructions what the plots
 * show.  Memory stays fixed whatever the trace's length: the decoder
 * streams and the bins are counted in place.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <mips/exc.h>

#include "plot.h"

static bool is_tlb_exception(unsigned code)
{
	return code == EXC_MOD || code == EXC_TLBL || code == EXC_TLBS ||
	       code == EXC_TLBRI || code == EXC_TLBXI;
}

static unsigned bin_of(const struct plot_series *ps, uint64_t index)
{
	uint64_t b = index / ps->bin_insns;
	return b < ps->nbins ? (unsigned)b : ps->nbins - 1;
}

static struct plot_guest *guest(struct plot_series *ps, unsigned gid)
{
	if (!gid || gid > PDT_FLOW_GUESTS)
		return NULL;
	ps->g[gid].seen = true;
	return &ps->g[gid];
}

static void count(struct plot_series *ps, const struct pdt_flow_item *it)
{
	if (it->is_insn) {
		if (it->ctx.guest)
			guest(ps, it->ctx.guestid);
		return;
	}
	unsigned b = bin_of(ps, it->index);
	struct plot_guest *g;
	switch (it->ev.kind) {
	case PDT_EV_EXCEPTION:
		/* Taken by the guest itself: its own handler runs. */
		if (it->ctx.guest && !it->ev.exc.root && is_tlb_exception(it->ev.exc.code) &&
		    (g = guest(ps, it->ctx.guestid)))
			g->tlb[b]++;
		break;
	case PDT_EV_GUEST_ENTRY:
		if ((g = guest(ps, it->ev.guest.gid)))
			g->entries[b]++;
		break;
	case PDT_EV_GUEST_EXIT:
		/* The last exit of a bin wins: the value the guest goes on with. */
		if ((g = guest(ps, it->ev.guest.gid)))
			g->page_kib[b] = pagemask_kib(it->ev.guest.st.pagemask);
		break;
	case PDT_EV_HEARTBEAT:
		if ((g = guest(ps, it->ev.msg.gid)))
			g->heartbeats[b]++;
		break;
	default:
		break;
	}
}

/* A bin without an exit keeps the page size of the one before it. */
static void carry_page_sizes(struct plot_series *ps)
{
	for (unsigned gid = 1; gid <= PDT_FLOW_GUESTS; gid++)
		for (unsigned b = 1; b < ps->nbins; b++)
			if (!ps->g[gid].page_kib[b])
				ps->g[gid].page_kib[b] = ps->g[gid].page_kib[b - 1];
}

int plot_series_read(struct plot_series *ps, const char *path, uint64_t insns, char *err,
		     size_t errlen)
{
	memset(ps, 0, sizeof *ps);
	ps->nbins = REPORT_PLOT_BINS;
	ps->bin_insns = insns / REPORT_PLOT_BINS + (insns % REPORT_PLOT_BINS != 0);
	if (!ps->bin_insns)
		ps->bin_insns = 1;
	/* cmd.c already said what the code misses: no notes twice. */
	struct pdt_capture cap;
	if (pdt_capture_open(&cap, path, NULL, NULL, NULL, err, errlen) != 0)
		return -1;
	struct pdt_flow *flow;
	int rc = pdt_flow_new(&flow, &cap.code.cfg, cap.f.words, cap.f.len);
	if (!rc) {
		struct pdt_flow_item it;
		while ((rc = pdt_flow_next(flow, &it)) == 0)
			count(ps, &it);
		if (rc == PDT_E_EOS)
			rc = 0;
		pdt_flow_free(flow);
	}
	pdt_capture_close(&cap);
	if (rc) {
		snprintf(err, errlen, "%s: %s", path, pdt_errstr(rc));
		return -1;
	}
	carry_page_sizes(ps);
	return 0;
}
