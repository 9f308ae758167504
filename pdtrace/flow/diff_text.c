/*
 * A guest's result of pdtrace diff as text (diff.h, pdt_diff_print): the
 * line that says what happened, and for a divergence the two captures'
 * instructions side by side with the events around it.  pdtrace diff and
 * vzsoak report print it the same way.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <mips/isa.h>
#include <pdtrace/diff.h>

static const char *const side_name[2] = { "BAD", "GOOD" };

/* One side's column of an instruction row: index, context, PC, symbol,
 * disassembly, and the exception it raised. */
static void insn_column(const struct pdt_flow_config *cfg, const struct pdt_flow_item *it,
			char *buf, size_t len)
{
	char ctx[16], sym[96], dis[96], tmp[16];
	pdt_flow_context_name(&it->ctx, ctx, sizeof ctx);
	pdt_flow_symbol(cfg, it, sym, sizeof sym);
	if (it->insn.have_word)
		isa_disasm(it->insn.pc, it->insn.word, dis, sizeof dis);
	else
		snprintf(dis, sizeof dis, "?");
	/* Columns: the mnemonic padded instead of a tab. */
	char *tab = strchr(dis, '\t');
	char op[112];
	if (tab) {
		*tab = 0;
		snprintf(op, sizeof op, "%-7s %s", dis, tab + 1);
	} else {
		snprintf(op, sizeof op, "%s", dis);
	}
	const char *exc = it->insn.exc >= 0 ? pdt_exc_text((unsigned)it->insn.exc, tmp, sizeof tmp)
					    : NULL;
	snprintf(buf, len, "%10" PRIu64 "  %-4s %08" PRIx32 "  %-24.24s %s%s%s", it->index, ctx,
		 it->insn.pc, sym, op, exc ? " !" : "", exc ? exc : "");
}

#define COLUMN 78

static void row(FILE *out, char mark, const struct pdt_flow_config *const cfg[2],
		const struct pdt_flow_item *a, const struct pdt_flow_item *b)
{
	char col[2][256] = { "", "" };
	if (a)
		insn_column(cfg[0], a, col[0], sizeof col[0]);
	if (b)
		insn_column(cfg[1], b, col[1], sizeof col[1]);
	fprintf(out, "  %c %-*.*s | %s\n", mark, COLUMN, COLUMN, col[0], col[1]);
}

void pdt_diff_differs_text(unsigned m, char *buf, size_t len)
{
	static const char *const names[] = { "pc", "word", "kernel/user", "exception" };
	size_t n = 0;
	buf[0] = 0;
	for (unsigned i = 0; i < 4; i++)
		if (m & (1u << i))
			n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? ", " : "",
					      names[i]);
}

static void anchor_text(const struct pdt_diff_guest *r, char *buf, size_t len)
{
	switch (r->anchor) {
	case PDT_DIFF_AT_START:
		snprintf(buf, len, "the start of both captures");
		return;
	case PDT_DIFF_AT_BLOCK:
		snprintf(buf, len, "crashme block %" PRIu32 " (BAD %" PRIu64 ", GOOD %" PRIu64 ")",
			 r->anchor_value, r->anchor_index[0], r->anchor_index[1]);
		return;
	case PDT_DIFF_AT_MARKER:
		snprintf(buf, len, "marker 0x%08" PRIx32 " (BAD %" PRIu64 ", GOOD %" PRIu64 ")",
			 r->anchor_value, r->anchor_index[0], r->anchor_index[1]);
		return;
	}
	snprintf(buf, len, "nowhere");
}

static void print_events(FILE *out, const struct pdt_diff_guest *r, int s)
{
	char ctx[16], ev[400];
	fprintf(out, "  events of g%u in %s:%s\n", r->guest, side_name[s],
		r->nevents[s] ? "" : " none");
	for (size_t k = 0; k < r->nevents[s]; k++) {
		const struct pdt_flow_item *it = &r->events[s][k];
		pdt_flow_context_name(&it->ctx, ctx, sizeof ctx);
		pdt_flow_event_text(it, ev, sizeof ev);
		fprintf(out, "    %10" PRIu64 "  %-5s -- %s%s\n", it->index, ctx, ev,
			it->index > r->at[s] ? "   (after it)" : "");
	}
}

void pdt_diff_print(FILE *out, const struct pdt_diff_guest *r,
		       const struct pdt_flow_config *const cfg[2], size_t queue)
{
	char where[160], what[64];
	anchor_text(r, where, sizeof where);
	switch (r->status) {
	case PDT_DIFF_ABSENT:
		fprintf(out, "g%u: not in either capture\n", r->guest);
		return;
	case PDT_DIFF_NO_ANCHOR:
		fprintf(out, "g%u: no common anchor (BAD ran %" PRIu64 " of its instructions, GOOD %"
			PRIu64 "): not compared\n", r->guest, r->insns[0], r->insns[1]);
		return;
	case PDT_DIFF_SAME:
		fprintf(out, "g%u: same for %" PRIu64 " instructions, from %s, to the end of %s\n",
			r->guest, r->compared, where,
			r->ended < 0 ? "both streams" : r->ended == 0 ? "BAD's stream" : "GOOD's stream");
		return;
	case PDT_DIFF_NOT_ALIGNED:
		fprintf(out, "g%u: not aligned within %zu items: %s ran ahead (BAD %" PRIu64
			", GOOD %" PRIu64 ") after %" PRIu64 " equal instructions from %s\n",
			r->guest, queue, side_name[r->lead], r->at[0], r->at[1], r->compared, where);
		return;
	case PDT_DIFF_DIVERGED:
		break;
	}
	pdt_diff_differs_text(r->differs, what, sizeof what);
	fprintf(out, "g%u: diverged at BAD %" PRIu64 " / GOOD %" PRIu64 ", its instruction %" PRIu64
		" from %s: %s differ%s\n", r->guest, r->at[0], r->at[1], r->local, where, what,
		strchr(what, ',') ? "" : "s");
	if (r->anchors > 1)
		fprintf(out, "    (compared again after a gap: %" PRIu64 " equal instructions in all)\n",
			r->compared);
	fprintf(out, "    %-*s | %s\n", COLUMN, side_name[0], side_name[1]);
	for (size_t k = 0; k < r->nbefore; k++)
		row(out, ' ', cfg, &r->before[0][k], &r->before[1][k]);
	size_t n = r->nafter[0] > r->nafter[1] ? r->nafter[0] : r->nafter[1];
	for (size_t k = 0; k < n; k++)
		row(out, k ? ' ' : '>', cfg, k < r->nafter[0] ? &r->after[0][k] : NULL,
		    k < r->nafter[1] ? &r->after[1][k] : NULL);
	print_events(out, r, 0);
	print_events(out, r, 1);
}
