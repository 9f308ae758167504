/* The CPU's life cycle: wiring to the board, reset, teardown. */
#include "cpu.h"

#include <stdlib.h>
#include <string.h>

int cpu_init(struct cpu *cpu, struct bus *bus, uint8_t *ram, uint32_t ram_size,
	     unsigned tlb_entries, uint64_t seed)
{
	if (tlb_entries == 0 || tlb_entries > TLB_MAX_ENTRIES)
		return -1;
	memset(cpu, 0, sizeof(*cpu));
	cpu->bus = bus;
	cpu->ram = ram;
	cpu->ram_size = ram_size;
	cpu->tlb_entries = tlb_entries;
	cpu->count_div = 2;
	cpu->tlb_mcheck = true;
	cpu->prid = PRID_P5600;
	cpu->rixi_exc = true;
	cpu->tlbr_bad_index = TLBR_BAD_WRAP;
	cpu->vz_enabled = true;
	cpu->guest_entries = tlb_entries / 2 ? tlb_entries / 2 : 1;
	cpu->seed = seed;
	cpu->pd_pages = calloc((ram_size + 4095) / 4096, sizeof(*cpu->pd_pages));
	if (!cpu->pd_pages)
		return -1;
	for (unsigned i = 0; i < bus->nregions; i++) {
		const struct bus_region *r = &bus->regions[i];
		if (!r->mem || r->mem == ram)
			continue;
		cpu->pd_region[i] = calloc((r->size + 4095) / 4096, sizeof(struct pd_page *));
		if (!cpu->pd_region[i])
			return -1;
	}
	for (unsigned i = 0; i < 1024; i++)
		cpu->fetch_none[i].op = PD_UNDECODED;
	softtlb_reset(cpu); /* the zeroed tags would match page 0 */
	cpu->run_limit = UINT64_MAX;
	cpu->jit.hot = jit_available() ? JIT_HOT_DEFAULT : 0;
	cpu_reset(cpu, 0xbfc00000u);
	return 0;
}

static void free_pd(struct pd_page **pages, size_t n)
{
	if (!pages)
		return;
	for (size_t i = 0; i < n; i++)
		free(pages[i]);
	free(pages);
}

void cpu_destroy(struct cpu *cpu)
{
	jit_destroy(cpu);
	free_pd(cpu->pd_pages, (cpu->ram_size + 4095) / 4096);
	cpu->pd_pages = NULL;
	for (unsigned i = 0; i < BUS_MAX_REGIONS; i++) {
		if (cpu->pd_region[i])
			free_pd(cpu->pd_region[i], (cpu->bus->regions[i].size + 4095) / 4096);
		cpu->pd_region[i] = NULL;
	}
}

void cpu_reset(struct cpu *cpu, uint32_t pc)
{
	memset(cpu->gpr, 0, sizeof(cpu->gpr));
	cpu->hi = cpu->lo = 0;
	cpu->pc = pc;
	cpu->npc = pc + 4;
	cpu->in_ds = false;
	cpu->llbit = false;
	cpu->waiting = false;
	cpu->stop_requested = false;
	/* Reset replays: the Random sequence starts again from the seed. */
	cpu->random_state = cpu->seed * 0x9e3779b97f4a7c15ull + 0x2545f4914f6cdd1dull;
	if (!cpu->random_state)
		cpu->random_state = 1; /* xorshift must not start at zero */
	trace_reset(cpu);
	cp0_reset(cpu);
	tlb_reset(cpu);
	ejtag_reset(cpu);
	softtlb_reset(cpu); /* no context keys either: GuestID and ASID reset */
	cpu->mclass = MMU_NCLASSES; /* force a recompute */
	cpu_status_changed(cpu);
	cpu_timer_start(cpu);
}
