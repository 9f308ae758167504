/*
 * Two captures side by side (pdtrace/flow/diff.c): where a guest's flow
 * in one run (BAD, side 0) first parts from the same guest's flow in
 * another (GOOD, side 1), as `pdtrace diff` shows it in a bug report.
 *
 * Each guest's own instruction stream is compared, instruction by
 * instruction (PC, word, kernel or user, the exception it raised), in
 * its own order: how the hypervisor interleaved the guests does not
 * matter, since the two runs may run different hypervisor code (root's
 * flow and the slice boundaries differ; root is not compared).
 *
 * Where a guest's comparison starts: at an anchor both captures hold,
 * the first common one: the same crashme block (PDT_EV_BLOCK) or the same
 * kernel marker (PDT_EV_MARKER) of that guest; two whole captures (not a
 * --trace-window) also align at their start.  A gap in a guest's flow
 * (damage, code no image holds) stops its comparison until the next
 * common anchor.  Anchors are taken to be unique in a guest's stream
 * (block numbers and the stress kernel's markers count up).
 *
 * Both captures are walked once each, concurrently: the side that is
 * behind goes next, "behind" by instruction index corrected by the
 * difference of the indexes of the last pair compared, so the runs' drift
 * (one hypervisor doing more work) does not pile up in the queues.
 *
 * Memory is bounded whatever the traces' length: a guest's items (its
 * instructions and its events) that one side ran ahead of the other wait
 * in a queue of at most `queue` items; a guest whose queue would exceed
 * it is reported as not aligned within that many (PDT_DIFF_NOT_ALIGNED).
 * A guest still looking for its first common anchor keeps at most
 * `queue` items and PDT_DIFF_ANCHORS anchors on each side, dropping the
 * oldest.  Besides: per guest and side, the last `before` instructions
 * and `events` events, and after a divergence `after` instructions and
 * `events` events.  So at most 2 x 8 x (queue + before + after + 2 x events)
 * items of sizeof(struct pdt_flow_item) bytes, allocated as they are used.
 */
#ifndef PDTRACE_DIFF_H
#define PDTRACE_DIFF_H

#include <stdio.h>

#include <pdtrace/flow.h>

#define PDT_DIFF_BAD 0
#define PDT_DIFF_GOOD 1

#define PDT_DIFF_QUEUE 65536u   /* default queue cap, items */
#define PDT_DIFF_BEFORE 16u     /* default instructions shown before a divergence */
#define PDT_DIFF_AFTER 4u       /* default instructions kept from the divergence on */
#define PDT_DIFF_EVENTS 8u      /* default events kept before it and after it, per side */
#define PDT_DIFF_ANCHORS 64u    /* anchors remembered while looking for a common one */

struct pdt_diff_opts {
	unsigned guests;     /* bit g: compare guest g (1..8); 0: all */
	bool whole[2];       /* the capture starts at the run's start (no window) */
	size_t queue;        /* 0: PDT_DIFF_QUEUE */
	size_t before;       /* instructions kept before a divergence */
	size_t after;        /* from it on, per side (>= 1: the differing one) */
	size_t events;       /* the guest's last events before it, and as many at most
				in the `before` (or `after`) instructions after it */
};
/* The defaults above, every guest, neither capture whole. */
void pdt_diff_opts_default(struct pdt_diff_opts *o);

enum pdt_diff_status {
	PDT_DIFF_ABSENT,      /* the guest ran in neither capture */
	PDT_DIFF_NO_ANCHOR,   /* no common anchor: nothing compared */
	PDT_DIFF_SAME,        /* no difference to the end of the shorter stream */
	PDT_DIFF_DIVERGED,    /* the first difference: at[] */
	PDT_DIFF_NOT_ALIGNED, /* one side ran more than `queue` items ahead */
};

enum pdt_diff_anchor {
	PDT_DIFF_AT_START = 1, /* both captures whole: their start */
	PDT_DIFF_AT_BLOCK,     /* crashme block `value` */
	PDT_DIFF_AT_MARKER,    /* kernel marker `value` */
};

/* What differs between the two instructions at a divergence (bits). */
enum {
	PDT_DIFF_PC = 1,
	PDT_DIFF_WORD = 2,
	PDT_DIFF_MODE = 4,      /* kernel / user */
	PDT_DIFF_EXC = 8,       /* the exception it raised (or not) */
};

/* One guest's comparison. Items are copies held by the diff. */
struct pdt_diff_guest {
	unsigned guest;
	enum pdt_diff_status status;
	/* Where the comparison (last) started: 0 if it never did. */
	enum pdt_diff_anchor anchor;
	uint32_t anchor_value;
	uint64_t anchor_index[2];  /* the anchor's index in each */
	unsigned anchors;          /* comparisons started (more than 1: after gaps) */
	uint64_t compared;         /* instructions found equal, over all starts */
	uint64_t local;            /* equal since the last start (DIVERGED: the
				      differing one is the next, 0-based) */
	uint64_t insns[2];         /* the guest's instructions in each capture */
	int ended;                 /* SAME: the side whose stream ended first, -1 both */
	size_t queue_max;          /* the deepest its queue got, items */
	/* DIVERGED: the differing instructions' indexes; NOT_ALIGNED: the
	 * index on the side that ran ahead (lead) when its queue was full. */
	uint64_t at[2];
	unsigned differs;          /* PDT_DIFF_PC | ... */
	int lead;                  /* NOT_ALIGNED: the side that ran ahead */
	/* DIVERGED: the last instructions found equal (before[0][k] and
	 * before[1][k] are a pair), then from the differing one on, and the
	 * guest's events around it (opts.events), in trace order. */
	const struct pdt_flow_item *before[2];
	size_t nbefore;
	const struct pdt_flow_item *after[2];
	size_t nafter[2];
	const struct pdt_flow_item *events[2];
	size_t nevents[2];
};

struct pdt_diff;

int pdt_diff_new(struct pdt_diff **out, const struct pdt_diff_opts *o);
void pdt_diff_free(struct pdt_diff *d);

/*
 * The items of two captures, in each one's order, asked for side by side:
 * next(priv, side, &item) gives 0, PDT_E_EOS at the end, or an error,
 * which ends the walk (returned, with the side in *side_failed).
 * A diff walks once.  0 or the error.
 */
int pdt_diff_walk(struct pdt_diff *d,
		  int (*next)(void *priv, int side, struct pdt_flow_item *it), void *priv,
		  int *side_failed);

/* The same over two captures' flow decoders (cfg, words, len per side). */
int pdt_diff_flows(struct pdt_diff *d, const struct pdt_flow_config *const cfg[2],
		   const uint8_t *const words[2], const uint64_t len[2], int *side_failed);

/* After the walk: guest g's comparison (1..8). */
const struct pdt_diff_guest *pdt_diff_guest(const struct pdt_diff *d, unsigned g);
/* The instructions side `side` took (for speed figures). */
uint64_t pdt_diff_insns(const struct pdt_diff *d, int side);

const char *pdt_diff_status_name(enum pdt_diff_status s);  /* "same", "diverged"... */
const char *pdt_diff_anchor_name(enum pdt_diff_anchor a);  /* "start", "block", "marker" */

/* A guest's result as pdtrace diff prints it (diff_text.c): one line,
 * and for a divergence the two sides' instructions side by side (the
 * differing one marked) and the events of the guest around it in each.
 * queue: the cap the walk ran with, for a guest not aligned within it. */
void pdt_diff_print(FILE *out, const struct pdt_diff_guest *r,
		    const struct pdt_flow_config *const cfg[2], size_t queue);
/* What differs at a divergence (pdt_diff_guest.differs): "pc, word". */
void pdt_diff_differs_text(unsigned mask, char *buf, size_t len);

#endif
