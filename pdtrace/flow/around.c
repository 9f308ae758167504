/*
 * Around a failure (flow.h, "around a failure"): where a trace's failure
 * is, and the window of instructions and events around it, in two passes
 * over the trace (the failure is found first; the window before it is
 * then kept in a ring).  pdtrace flow --around prints it; trace detectors
 * and reports want the same excerpt.
 */
#include <stdlib.h>

#include <pdtrace/flow.h>

/* Whether item it (a run of n instructions, or an event) holds the
 * failure `what` asks for: its index in *at, its guest in *guest. */
static bool is_failure(const struct pdt_flow_item *it, uint32_t n, enum pdt_around what,
		       uint64_t index, uint64_t *at, int *guest)
{
	*at = it->index;
	switch (what) {
	case PDT_AROUND_INDEX:
		/* The run's instruction at index, or its first if past it. */
		if (it->is_insn && it->index + (n - 1) >= index) {
			*at = it->index >= index ? it->index : index;
			*guest = it->ctx.guest ? it->ctx.guestid : 0;
			return true;
		}
		return false;
	case PDT_AROUND_PAGEMASK:
		/* A smaller page: the shrink, not the boot-time 4K -> 16K. */
		if (!it->is_insn && it->ev.kind == PDT_EV_PAGEMASK &&
		    it->ev.pagemask.to < it->ev.pagemask.from) {
			*guest = (int)it->ev.pagemask.gid;
			return true;
		}
		return false;
	case PDT_AROUND_ANOMALY:
		if (!it->is_insn && it->ev.kind == PDT_EV_ANOMALY) {
			*guest = (int)it->ev.msg.gid;
			return true;
		}
		return false;
	}
	return false;
}

int pdt_flow_find_failure(const struct pdt_flow_config *cfg, const uint8_t *words,
			  uint64_t len, enum pdt_around what, uint64_t index, uint64_t *at,
			  int *guest)
{
	struct pdt_flow *flow;
	int rc = pdt_flow_new(&flow, cfg, words, len);
	if (rc)
		return rc;
	/* Only events and indexes matter: runs of instructions go whole. */
	struct pdt_flow_item it;
	uint32_t n;
	uint64_t found;
	while ((rc = pdt_flow_next_run(flow, &it, &n)) == 0) {
		if (is_failure(&it, n, what, index, &found, guest)) {
			*at = found;
			break;
		}
	}
	pdt_flow_free(flow);
	return rc;
}

int pdt_flow_window(const struct pdt_flow_config *cfg, const uint8_t *words, uint64_t len,
		    uint64_t at, uint64_t before, uint64_t after,
		    bool (*keep)(void *priv, const struct pdt_flow_item *it),
		    void (*show)(void *priv, const struct pdt_flow_item *it), void *priv)
{
	/* Room for `before` instructions and the events among them. */
	size_t cap = (size_t)(before + 1) * 4 + 64;
	struct pdt_flow_item *ring = calloc(cap, sizeof *ring);
	if (!ring)
		return PDT_E_NOMEM;
	struct pdt_flow *flow;
	int rc = pdt_flow_new(&flow, cfg, words, len);
	if (rc) {
		free(ring);
		return rc;
	}
	size_t head = 0, n = 0;
	uint64_t insns_kept = 0, shown_after = 0;
	bool past = false;
	struct pdt_flow_item it;
	while ((rc = pdt_flow_next(flow, &it)) == 0) {
		if (keep && !keep(priv, &it))
			continue;
		if (!past && it.index >= at && (it.is_insn || it.index > at)) {
			past = true;
			for (size_t k = 0; k < n; k++)
				show(priv, &ring[(head + k) % cap]);
			n = 0;
		}
		if (past) {
			show(priv, &it);
			if (it.is_insn && shown_after++ >= after)
				break;
			continue;
		}
		/* Keep at most `before` instructions (and what came with them). */
		ring[(head + n) % cap] = it;
		if (n < cap)
			n++;
		else
			head = (head + 1) % cap;
		if (it.is_insn && ++insns_kept > before) {
			while (n && !ring[head].is_insn) {
				head = (head + 1) % cap;
				n--;
			}
			if (n) {
				head = (head + 1) % cap;
				n--;
				insns_kept--;
			}
		}
	}
	if (!past)
		for (size_t k = 0; k < n; k++)
			show(priv, &ring[(head + k) % cap]);
	pdt_flow_free(flow);
	free(ring);
	return rc == PDT_E_EOS ? 0 : rc;
}
