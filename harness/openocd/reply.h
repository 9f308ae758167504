/*
 * The replies of OpenOCD 0.12's commands that the harness reads, parsed
 * strictly: anything but the exact form expected (a missing or extra
 * word, an address out of sequence, a stray character) is an error, so
 * a reply from another OpenOCD version, a wrong command or a broken
 * board is never taken for data.  Free of sockets and processes (the
 * host unit tests exercise them alone); the reason in err says what was
 * wrong and where, and the caller adds which command it was.
 */
#ifndef HARNESS_OPENOCD_REPLY_H
#define HARNESS_OPENOCD_REPLY_H

#include <stddef.h>
#include <stdint.h>

/*
 * `mdw ADDR N`: lines "0xADDR: w0 w1 ... " (up to 8 words a line, each 8
 * hex digits), each line's address the next word's.  Exactly n words
 * from addr into words; 0, or -1 with a reason in err.
 */
int reply_mdw(const char *reply, uint32_t addr, size_t n, uint32_t *words, char *err,
	      size_t errlen);

/* `mips32 cp0 REG SEL`: "cp0 reg REG, select SEL: HEX" of that register. */
int reply_cp0(const char *reply, unsigned reg, unsigned sel, uint32_t *value, char *err,
	      size_t errlen);

/* Exactly n words of 16 hex digits separated by single spaces (tcb.tcl's
 * vz_tcb_words): the TCB's 64-bit trace words. */
int reply_words64(const char *reply, size_t n, uint64_t *words, char *err, size_t errlen);

/* Exactly n unsigned numbers separated by spaces, each "0x" and hex
 * digits or decimal digits (tcb.tcl's vz_tcb_reg and vz_tcb_span). */
int reply_numbers(const char *reply, size_t n, uint64_t *out, char *err, size_t errlen);

#endif
