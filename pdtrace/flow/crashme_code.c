/*
 * crashme's blocks as a code provider for the flow decoder (flow.h,
 * "crashme code"): the code the stress kernel writes at run time, which
 * no ELF holds, regenerated with crashme/block.c.  It knows crashme's
 * page and markers; the decoder knows only that a provider answers for
 * code its images lack.
 */
#include <stdlib.h>

#include <pdtrace/flow.h>

#include <crashme/block.h>

struct block_state {
	bool have_next;          /* a marker told the next block's number */
	uint32_t next_block;
	bool have_block;
	uint32_t block;
	uint8_t block_asid;
	uint32_t *words;         /* the current block's code */
};

struct pdt_crashme {
	uint32_t seed, words;
	struct block_state g[PDT_FLOW_GUESTS + 1];
};

int pdt_crashme_new(struct pdt_crashme **out, uint32_t seed, uint32_t words)
{
	struct pdt_crashme *cm = calloc(1, sizeof *cm);
	*out = cm;
	if (!cm)
		return PDT_E_NOMEM;
	cm->seed = seed;
	cm->words = words > CRASHME_MAX_WORDS ? CRASHME_MAX_WORDS : words;
	return PDT_OK;
}

void pdt_crashme_free(struct pdt_crashme *cm)
{
	if (!cm)
		return;
	for (unsigned i = 0; i <= PDT_FLOW_GUESTS; i++)
		free(cm->g[i].words);
	free(cm);
}

/* Block numbers are unknown until the guest's next marker. */
static void forget(struct block_state *g)
{
	g->have_next = g->have_block = false;
}

static void start(void *priv)
{
	struct pdt_crashme *cm = priv;
	for (unsigned i = 0; i <= PDT_FLOW_GUESTS; i++) {
		uint32_t *w = cm->g[i].words;
		cm->g[i] = (struct block_state){ .words = w };
	}
}

/*
 * The crashme code page: the block's words, then zeros (nop) to the end
 * of the page, which the stress kernel never writes (every block has the
 * same length) and a block may branch into.  A new block each time user
 * code starts at the block's address under an ASID the last block did not
 * have (the stress kernel gives every block a fresh ASID).
 */
static int read_code(void *priv, const struct pdt_ctx *c, uint32_t pc, uint32_t *word,
		     int *unit)
{
	struct pdt_crashme *cm = priv;
	if (!cm->words || !c->guest || c->guestid == 0 || c->guestid > PDT_FLOW_GUESTS ||
	    c->ksu != PDT_USER || pc < CRASHME_CODE_VA ||
	    pc - CRASHME_CODE_VA >= CRASHME_PAGE_SIZE)
		return PDT_FLOW_NO_CODE;
	struct block_state *g = &cm->g[c->guestid];
	int rc = PDT_OK;
	if (pc == CRASHME_CODE_VA && (!g->have_block || g->block_asid != c->asid)) {
		if (!g->have_next)
			return PDT_FLOW_NO_CODE;
		if (!g->words) {
			g->words = malloc(4 * CRASHME_MAX_WORDS);
			if (!g->words)
				return PDT_E_NOMEM;
		}
		g->block = g->next_block++;
		g->block_asid = c->asid;
		g->have_block = true;
		crashme_block(cm->seed, c->guestid, g->block, g->words, cm->words);
		rc = PDT_FLOW_CODE_NEW;
	}
	if (!g->have_block)
		return PDT_FLOW_NO_CODE;
	uint32_t i = (pc - CRASHME_CODE_VA) / 4;
	*word = i < cm->words ? g->words[i] : 0;
	*unit = (int)g->block;
	return rc;
}

static void on_event(void *priv, const struct pdt_flow_item *ev, bool lost)
{
	struct pdt_crashme *cm = priv;
	switch (ev->ev.kind) {
	case PDT_EV_MARKER: {
		unsigned gid = ev->ev.msg.gid;
		if (CRASHME_IS_MARKER(ev->ev.msg.value) && gid && gid <= PDT_FLOW_GUESTS) {
			cm->g[gid].have_next = true;
			cm->g[gid].next_block = CRASHME_MARKER_BLOCK(ev->ev.msg.value);
		}
		break;
	}
	case PDT_EV_MODE: {
		/* User code under a new ASID while the flow was lost: a
		 * block may have started unseen. */
		const struct pdt_ctx *c = &ev->ctx;
		if (lost && c->guest && c->ksu == PDT_USER && c->guestid &&
		    c->guestid <= PDT_FLOW_GUESTS && c->asid != cm->g[c->guestid].block_asid)
			forget(&cm->g[c->guestid]);
		break;
	}
	case PDT_EV_GAP:
		/* Records were dropped: any number of blocks may have run. */
		if (ev->ev.gap.why == PDT_FGAP_TRACE || ev->ev.gap.why == PDT_FGAP_OVERFLOW ||
		    ev->ev.gap.why == PDT_FGAP_UNSYNCED)
			for (unsigned g = 1; g <= PDT_FLOW_GUESTS; g++)
				forget(&cm->g[g]);
		break;
	default:
		break;
	}
}

struct pdt_flow_code_provider pdt_crashme_provider(struct pdt_crashme *cm)
{
	return (struct pdt_flow_code_provider){
		.priv = cm, .read = read_code, .event = on_event, .start = start,
	};
}
