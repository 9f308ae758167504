/*
 * The EJTAG Trace Control Block of the vzsim board: receives the trace unit's
 * 64-bit trace words and keeps them in on-chip trace memory (2^(SZ+8)
 * bytes, wrapping in trace-to mode with the BF flag, stopping when full in
 * trace-from mode) while streaming the same words off chip (to a file,
 * standing in for the probe).  Both paths see the same word sequence.
 */
#ifndef VZSIM_TCB_H
#define VZSIM_TCB_H

#include <stdbool.h>
#include <stdint.h>

struct pdt_file_writer;

struct tcb {
	uint64_t *mem;     /* on-chip trace memory */
	uint32_t nwords;   /* its size in words */
	uint32_t wrp;      /* write pointer (word index): the next word */
	bool wrapped;      /* BF: the memory has been filled at least once */
	bool trace_from;   /* TM = 1: stop when full instead of wrapping */
	bool stopped;      /* trace-from memory is full */
	bool enabled;      /* TCBControlB.EN: accept words (set out of reset) */
	bool read_mode;    /* TCBControlB.RM */
	uint32_t reg_sel;  /* TCBControlB.REG: what TCBDATA reaches over JTAG */
	uint32_t rdp;      /* TCBRDP, a byte address */
	uint32_t control_e; /* TCBControlE, stored */
	uint64_t words;    /* words received */
	/* Off-chip stream (a trace file being written), or NULL. */
	struct pdt_file_writer *stream;
	/*
	 * A trace window (vzsim_trace_opts.window), or win NULL: the
	 * stream's words go round this ring instead of into the file, so
	 * that a run of any length holds only the last win_n words in
	 * memory; vzsim_trace_finish writes them.  win_next: the slot of the
	 * next word (the oldest once full); win_total: words of the capture.
	 */
	uint64_t *win;
	uint64_t win_n, win_next, win_total;
};

/* size_bytes: a power of two, 256 .. 8 MiB (TCBConfig.SZ 0..15). */
int tcb_init(struct tcb *t, uint32_t size_bytes);
void tcb_free(struct tcb *t);
/* Empties the on-chip memory (TCBControlB.TR). */
void tcb_reset(struct tcb *t);
/* The trace unit's word sink. */
void tcb_word(void *ctx, uint64_t word);
/* The on-chip words, oldest first, into out (tcb_count() words). */
uint32_t tcb_count(const struct tcb *t);
void tcb_read(const struct tcb *t, uint64_t *out);
/* TCBConfig.SZ for the memory size. */
unsigned tcb_sz(const struct tcb *t);

#endif
