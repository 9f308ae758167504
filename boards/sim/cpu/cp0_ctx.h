/*
 * Internal interface between the CP0 files: cp0.c (register files),
 * timer.c (Count/Compare, root and guest) and vz.c (root VZ registers,
 * guest access rules).  Not used outside boards/sim/cpu.
 */
#ifndef VZSIM_CP0_CTX_H
#define VZSIM_CP0_CTX_H

#include "cpu.h"

/* MFC0/MTC0 on a context (guest selects the guest's Count and Cause). */
enum gcp0_result ctx_read(struct cpu *cpu, struct cp0 *c, bool guest,
			  unsigned reg, unsigned sel, uint32_t *val);
enum gcp0_result ctx_write(struct cpu *cpu, struct cp0 *c, bool guest,
			   unsigned reg, unsigned sel, uint32_t val);

/* The bits of Index that address `entries` entries (a power of two less 1). */
static inline uint32_t index_mask(unsigned entries)
{
	uint32_t m = 1;
	while (m < entries)
		m <<= 1;
	return m - 1;
}

/* timer.c */
void timer_write_count(struct cpu *cpu, uint32_t v);
void timer_dc_changed(struct cpu *cpu, uint32_t old_cause);
void timer_reschedule(struct cpu *cpu);
void timer_reschedule_which(struct cpu *cpu, bool root, bool guest);

/* vz.c: root's VZ registers; true if (reg, sel) is one of them. */
void vz_reset(struct cpu *cpu);
bool vz_root_read(struct cpu *cpu, unsigned reg, unsigned sel, uint32_t *val);
bool vz_root_write(struct cpu *cpu, unsigned reg, unsigned sel, uint32_t val);

#endif
