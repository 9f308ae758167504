/*
 * The board's TCB (on-chip PDtrace memory) through the procedures of
 * boards/openocd/tcb.tcl, which OpenOCD must have loaded (-f after the
 * board's configuration; docs/boards.md).  The words come oldest first,
 * in batches of one RPC each.  0, or -1 with one line in err.
 */
#ifndef HARNESS_OPENOCD_TCB_H
#define HARNESS_OPENOCD_TCB_H

#include <stddef.h>
#include <stdint.h>

#include "ocd.h"

/* Words per vz_tcb_words call when the caller gives no batch size. */
#define TCB_BATCH 1024

/* A TCB register by tcb.tcl's name: controla, controlb, controlc,
 * controle, config, rdp, wrp, stp. */
int ocd_tcb_reg(struct ocd *o, const char *name, uint32_t *value, char *err, size_t errlen);

/* count words from byte address start (wrapping at the memory's end). */
int ocd_tcb_words(struct ocd *o, uint32_t start, size_t count, uint64_t *words, char *err,
		  size_t errlen);

/* Every word the memory holds, oldest first (vz_tcb_span, then batches of
 * `batch` words, 0: TCB_BATCH), malloc'd into *words (NULL when none). */
int ocd_tcb_read(struct ocd *o, size_t batch, uint64_t **words, size_t *n, char *err,
		 size_t errlen);

#endif
