/* The Trace Control Block: on-chip trace memory and the off-chip stream. */
#include "tcb.h"

#include <stdlib.h>
#include <string.h>

#include <pdtrace/pdtrace.h>

int tcb_init(struct tcb *t, uint32_t size_bytes)
{
	memset(t, 0, sizeof *t);
	if (size_bytes < 256 || size_bytes > (8u << 20) ||
	    (size_bytes & (size_bytes - 1)))
		return -1;
	t->nwords = size_bytes / 8;
	t->enabled = true; /* ready out of reset: vzsim has no probe to wait for */
	t->mem = calloc(t->nwords, sizeof *t->mem);
	return t->mem ? 0 : -1;
}

void tcb_free(struct tcb *t)
{
	free(t->mem);
	t->mem = NULL;
}

void tcb_reset(struct tcb *t)
{
	t->wrp = 0;
	t->wrapped = false;
	t->stopped = false;
}

void tcb_word(void *ctx, uint64_t word)
{
	struct tcb *t = ctx;
	if (!t->enabled)
		return;
	t->words++;
	if (t->win) {
		t->win[t->win_next] = word;
		if (++t->win_next == t->win_n)
			t->win_next = 0;
		t->win_total++;
	} else if (t->stream) {
		/* A failed write stops the stream; pdt_file_finish reports it. */
		pdt_file_write_words(t->stream, &word, 1);
	}
	if (t->stopped)
		return;
	t->mem[t->wrp++] = word;
	if (t->wrp == t->nwords) {
		t->wrp = 0;
		t->wrapped = true;
		t->stopped = t->trace_from;
	}
}

uint32_t tcb_count(const struct tcb *t)
{
	return t->wrapped ? t->nwords : t->wrp;
}

void tcb_read(const struct tcb *t, uint64_t *out)
{
	if (!t->wrapped) {
		memcpy(out, t->mem, t->wrp * sizeof *out);
		return;
	}
	/* Oldest first: from the write pointer round to just before it. */
	uint32_t tail = t->nwords - t->wrp;
	memcpy(out, t->mem + t->wrp, tail * sizeof *out);
	memcpy(out + tail, t->mem, t->wrp * sizeof *out);
}

unsigned tcb_sz(const struct tcb *t)
{
	unsigned sz = 0;
	while ((256u << sz) < t->nwords * 8u)
		sz++;
	return sz;
}
