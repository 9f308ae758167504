/*
 * The OpenOCD board driver (docs/boards.md): a board behind a JTAG probe,
 * driven through OpenOCD's Tcl RPC port (harness/openocd/), as `vzsoak run
 * --board openocd[:HOST:PORT]` asks.
 *
 * Without HOST:PORT the driver starts the board itself: vzsim --jtag (the
 * simulated board, halting at every check point and at the duration), then
 * OpenOCD on it with boards/openocd/vzsim.cfg and tcb.tcl.  With HOST:PORT
 * it joins an OpenOCD already running on a real board and halts the core
 * itself, by the clock, at each check.
 *
 * Either way, as on any board: reset and halt, load the hypervisor image,
 * write the boot arguments, start it at its entry; at each check, read the
 * status and statistics blocks with memory reads while the core is halted
 * (debug mode: the program does not see it); at the end read the TCB's
 * on-chip trace over JTAG into the trace file `pdtrace` reads.  Failures
 * of the real parts (OpenOCD dying, a core that does not halt, a JTAG read
 * that times out) end the run with a one-line reason, in bounded time.
 */
#ifndef HARNESS_TARGET_OCD_H
#define HARNESS_TARGET_OCD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario.h"
#include "target.h"

/* --board's value: "direct" (libvzsim in this process, the default) or
 * "openocd[:HOST:PORT]". */
struct board_spec {
	bool openocd;
	char host[128];  /* "" : start vzsim and OpenOCD */
	unsigned port;   /* OpenOCD's Tcl port when joining */
};
int board_spec_parse(const char *text, struct board_spec *b, char *err, size_t errlen);

struct target_ocd_config {
	const struct board_spec *board;
	const struct scenario *s;
	const char *hv;        /* the hypervisor image (ELF) */
	const char *bootargs;  /* the boot-arguments text */
	const char *dir;       /* the run folder: openocd.log, vzsim.log */
	const char *console;   /* where a started vzsim writes the console */
	const char *trace;     /* the trace file to write at the end, or NULL */
	const char *command;   /* the command that reproduces the run (trace header) */
};

struct target_ocd;

/* The board set up and started at the image's entry point (halted until
 * the first slice); NULL with a one-line reason. */
struct target_ocd *target_ocd_open(const struct target_ocd_config *c, char *err,
				   size_t errlen);
struct target *target_ocd_target(struct target_ocd *b);
/* Guest sdbbp instructions stepped over so far (they halt the core on a
 * board with EJTAG: docs/boards.md). */
unsigned target_ocd_sdbbp_skipped(const struct target_ocd *b);
/*
 * The end of the run: the core halted (if it is not), the TCB's words
 * into the trace file (when one was asked for), OpenOCD and a started
 * vzsim stopped; then b is freed.  -1 with a reason if the trace could not
 * be read or written (the rest is done all the same).
 */
int target_ocd_close(struct target_ocd *b, char *err, size_t errlen);
/* From a signal handler: makes the slice being waited for end soon. */
void target_ocd_interrupt(struct target_ocd *b);

#endif
