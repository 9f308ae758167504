/*
 * What the harness asks of a board through OpenOCD (docs/boards.md): the
 * target's memory, run control, registers and images, one typed call
 * each over ocd_eval.  The target is OCD_TARGET (vz.cpu) on every board.
 * Each returns 0, or -1 with one line in err naming the command and what
 * was wrong (OpenOCD's error, a reply of the wrong form, the deadline).
 */
#ifndef HARNESS_OPENOCD_OPS_H
#define HARNESS_OPENOCD_OPS_H

#include <stddef.h>
#include <stdint.h>

#include "ocd.h"

/* Words per `mdw` and per RPC of `mww`s: replies stay small. */
#define OPS_READ_CHUNK 1024
#define OPS_WRITE_CHUNK 256
/* Between two looks at the target's state while waiting for a halt. */
#define OPS_POLL_MS 5

/* n 32-bit words at addr (virtual: kseg0/kseg1 on a MIPS32 board; word
 * aligned), by `mdw`. */
int ocd_mem_read(struct ocd *o, uint32_t addr, size_t n, uint32_t *words, char *err,
		 size_t errlen);

/* n 32-bit words to addr, by `mww`. */
int ocd_mem_write(struct ocd *o, uint32_t addr, size_t n, const uint32_t *words, char *err,
		  size_t errlen);

/* `halt`, then the target must say it is halted. */
int ocd_halt(struct ocd *o, char *err, size_t errlen);

/* `resume`, at *pc if pc is not NULL. */
int ocd_resume(struct ocd *o, const uint32_t *pc, char *err, size_t errlen);

/* The target's state (`vz.cpu curstate`: "halted", "running", "reset",
 * ...) into state. */
int ocd_state(struct ocd *o, char *state, size_t statelen, char *err, size_t errlen);

/* Until the target says it is halted, or timeout_ms passes (an error that
 * says the state it was in). */
int ocd_wait_halted(struct ocd *o, int timeout_ms, char *err, size_t errlen);

/* `reg NAME VALUE` (pc, r4, status, ...; the target must be halted). */
int ocd_reg_set(struct ocd *o, const char *name, uint32_t value, char *err, size_t errlen);

/* `mips32 cp0 REG SEL` (the target must be halted). */
int ocd_cp0_read(struct ocd *o, unsigned reg, unsigned sel, uint32_t *value, char *err,
		 size_t errlen);

/* `load_image PATH OFFSET elf`: an ELF image, its segments at their own
 * addresses plus offset, within timeout_ms (0: OCD_TIMEOUT_MS). */
int ocd_load_image(struct ocd *o, const char *path, uint32_t offset, int timeout_ms,
		   char *err, size_t errlen);

#endif
