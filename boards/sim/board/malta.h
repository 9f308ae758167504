/*
 * The Malta FPGA register block (system controller): the software reset
 * register that ends a run, and the LED bar / ASCII display registers that
 * boot code likes to write.  Everything else in the block reads as zero and
 * ignores writes.
 */
#ifndef VZSIM_MALTA_H
#define VZSIM_MALTA_H

#include <stdint.h>

#include "bus.h"

struct cpu;

#define MALTA_LEDBAR    0x408u
#define MALTA_ASCIIWORD 0x410u
#define MALTA_ASCIIPOS0 0x418u /* 8 registers, 8 bytes apart */
#define MALTA_SOFTRES   0x500u
#define MALTA_GORESET   0x42u  /* the value that resets the board */

struct malta_fpga {
	struct cpu *cpu; /* stopped by a write of GORESET to SOFTRES */
	uint32_t ledbar, asciiword, asciipos[8];
	struct bus_device dev;
};

void malta_fpga_init(struct malta_fpga *f, struct cpu *cpu);

#endif
