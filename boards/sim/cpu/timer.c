/*
 * Count/Compare, driven by the instruction count so simulated time is
 * exact: Count = count_base + (icount - count_icount) / count_div, frozen
 * while Cause.DC is set.  The guest's Count (VZ) is root Count + GTOffset
 * and compares with the guest's Compare.  Both matches are scheduled as
 * icounts; the interpreter looks around when it reaches the earlier one.
 */
#include "cp0_ctx.h"

uint32_t cp0_count(const struct cpu *cpu)
{
	const struct cp0 *c = &cpu->cp0;
	if (c->cause & CAUSE_DC)
		return c->count_base;
	return c->count_base +
	       (uint32_t)((cpu->icount - c->count_icount) / cpu->count_div);
}

uint32_t gcp0_count(const struct cpu *cpu)
{
	return cp0_count(cpu) + cpu->gtoffset;
}

/* icount at which a Count that reads `now` at icount reaches `compare`. */
static uint64_t match_icount(const struct cpu *cpu, uint32_t now,
			     uint32_t compare)
{
	const struct cp0 *c = &cpu->cp0;
	uint64_t ticks = (cpu->icount - c->count_icount) / cpu->count_div;
	uint64_t d = (uint32_t)(compare - now);
	if (d == 0)
		d = 1ull << 32;
	return c->count_icount + (ticks + d) * cpu->count_div;
}

/*
 * Reschedules the root match, the guest match or both.  Only what a write
 * changed is recomputed: a match due at this very instruction would
 * otherwise be pushed 2^32 ticks on (a Compare equal to Count matches
 * only when Count next becomes equal) and lost, e.g. the guest's when
 * the root writes its own Compare on the tick the guest timer reaches
 * its Compare (found by the stress kernel, whose slices stopped ending).
 */
void timer_reschedule_which(struct cpu *cpu, bool root, bool guest)
{
	if (cpu->cp0.cause & CAUSE_DC) {
		cpu->timer_icount = UINT64_MAX;
		cpu->gtimer_icount = UINT64_MAX;
	} else {
		uint32_t now = cp0_count(cpu);
		if (root)
			cpu->timer_icount = match_icount(cpu, now, cpu->cp0.compare);
		if (guest)
			cpu->gtimer_icount = cpu->vz_enabled
				? match_icount(cpu, now + cpu->gtoffset, cpu->gcp0.compare)
				: UINT64_MAX;
	}
	cpu_update_next_event(cpu);
}

void timer_reschedule(struct cpu *cpu)
{
	timer_reschedule_which(cpu, true, true);
}

void cpu_update_next_event(struct cpu *cpu)
{
	uint64_t n = cpu->run_limit;
	if (cpu->timer_icount < n)
		n = cpu->timer_icount;
	if (cpu->gtimer_icount < n)
		n = cpu->gtimer_icount;
	if (cpu->trace.next_sync < n)
		n = cpu->trace.next_sync;
	if (cpu->stop_requested || cpu->ejtag.watch)
		n = cpu->icount; /* ejtag.watch: every instruction boundary */
	cpu->next_event = n;
}

/* The timer reached Compare: raise TI and schedule the next match. */
void cp0_timer_fired(struct cpu *cpu)
{
	cpu->cp0.cause |= CAUSE_TI;
	cpu->timer_icount += (1ull << 32) * cpu->count_div;
	cpu_update_next_event(cpu);
}

void gcp0_timer_fired(struct cpu *cpu)
{
	cpu->gcp0.cause |= CAUSE_TI;
	cpu->gtimer_icount += (1ull << 32) * cpu->count_div;
	cpu_update_next_event(cpu);
}

void cpu_timer_start(struct cpu *cpu)
{
	timer_reschedule(cpu);
}

void timer_write_count(struct cpu *cpu, uint32_t v)
{
	cpu->cp0.count_base = v;
	cpu->cp0.count_icount = cpu->icount;
	timer_reschedule(cpu);
}

/* Cause.DC changed: freeze or restart Count where it stands. */
void timer_dc_changed(struct cpu *cpu, uint32_t old_cause)
{
	struct cp0 *c = &cpu->cp0;
	if (c->cause & CAUSE_DC) {
		uint32_t cause = c->cause;
		c->cause = old_cause; /* read Count as it ran until now */
		c->count_base = cp0_count(cpu);
		c->cause = cause;
	} else {
		c->count_icount = cpu->icount;
	}
	timer_reschedule(cpu);
}
