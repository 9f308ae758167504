/* The unit-test harness (sim_harness.h): the public API and nothing else. */
#include "sim_harness.h"

#include <string.h>

/* Every run helper uses this budget: far more than any test program needs,
 * small enough that a runaway program fails fast. */
#define H_BUDGET 100000u

vzsim *h_new_cfg(uint64_t ram_size, uint64_t seed)
{
	struct vzsim_config cfg;
	char err[256] = "";
	vzsim_config_init(&cfg);
	cfg.ram_size = ram_size;
	cfg.seed = seed;
	vzsim *sim = vzsim_new(&cfg, err, sizeof err);
	if (!sim)
		fail_msg("vzsim_new: %s", err);
	/* The UART is not used, but keep stray output away from cmocka's. */
	vzsim_uart_output(sim, stderr);
	return sim;
}

void h_free(vzsim *sim)
{
	vzsim_free(sim);
}

void h_opt(vzsim *sim, const char *name, const char *value)
{
	char err[256] = "";
	if (vzsim_board_opt(sim, name, value, err, sizeof err) != 0)
		fail_msg("vzsim_board_opt(%s, %s): %s", name, value, err);
}

uint32_t h_pa(uint32_t va)
{
	if (va >= 0x80000000u && va < 0xc0000000u)
		return va & 0x1fffffffu;
	return va;
}

void h_load(vzsim *sim, uint32_t va, const uint32_t *words, size_t n)
{
	/* Host order is little-endian like the target, but spell the bytes
	 * out so the harness does not depend on it. */
	for (size_t i = 0; i < n; i++) {
		uint8_t b[4] = {(uint8_t)words[i], (uint8_t)(words[i] >> 8),
				(uint8_t)(words[i] >> 16), (uint8_t)(words[i] >> 24)};
		if (vzsim_mem_write(sim, h_pa(va) + 4 * (uint32_t)i, b, 4) != 0)
			fail_msg("vzsim_mem_write at 0x%08x failed", h_pa(va) + 4 * (unsigned)i);
	}
}

void h_stub(vzsim *sim, uint32_t va)
{
	const uint32_t stub[] = {enc_wait(), enc_b(-2), enc_nop()};
	h_load(sim, va, stub, 3);
}

static void install_stubs(vzsim *sim)
{
	h_stub(sim, H_VEC_REFILL);
	h_stub(sim, H_VEC_GEN);
	h_stub(sim, H_VEC_INT);
	h_stub(sim, H_BEV_REFILL);
	h_stub(sim, H_BEV_GEN);
	h_stub(sim, H_BEV_INT);
}

void h_setup(vzsim *sim)
{
	vzsim_reset(sim, H_CODE);
	install_stubs(sim);
	h_set_status(sim, 0);
}

vzsim *h_board(void)
{
	vzsim *sim = h_new();
	h_setup(sim);
	return sim;
}

int h_fixture_setup(void **state)
{
	*state = h_board();
	return 0;
}

int h_fixture_teardown(void **state)
{
	h_free(*state);
	return 0;
}

uint32_t h_prog_at(vzsim *sim, uint32_t va, const uint32_t *words, size_t n)
{
	h_load(sim, va, words, n);
	uint32_t end = va + 4 * (uint32_t)n;
	const uint32_t tail[] = {enc_wait(), enc_b(-2), enc_nop()};
	h_load(sim, end, tail, 3);
	vzsim_set_pc(sim, va);
	return end + 4;
}

enum vzsim_stop h_run(vzsim *sim, uint64_t max)
{
	return vzsim_run(sim, max);
}

static const char *stop_name(enum vzsim_stop s)
{
	switch (s) {
	case VZSIM_STOP_BUDGET: return "BUDGET";
	case VZSIM_STOP_RESET: return "RESET";
	case VZSIM_STOP_DEADLOCK: return "DEADLOCK";
	case VZSIM_STOP_REQUESTED: return "REQUESTED";
	case VZSIM_STOP_DEBUG: return "DEBUG";
	}
	return "?";
}

void h_run_to_end(vzsim *sim, uint32_t end)
{
	enum vzsim_stop s = vzsim_run(sim, H_BUDGET);
	uint32_t pc = vzsim_pc(sim);
	if (s != VZSIM_STOP_DEADLOCK || pc != end) {
		uint32_t cause = h_cause(sim);
		fail_msg("program did not run to its end 0x%08x: stop %s at pc 0x%08x "
			 "(Cause 0x%08x ExcCode %u %s, EPC 0x%08x, BadVAddr 0x%08x)",
			 end, stop_name(s), pc, cause, CR_EXC(cause),
			 vzsim_exc_name(CR_EXC(cause)), h_cp0(sim, C0_EPC, 0),
			 h_cp0(sim, C0_BADVADDR, 0));
	}
}

void h_run_to_stub(vzsim *sim, uint32_t vector)
{
	enum vzsim_stop s = vzsim_run(sim, H_BUDGET);
	uint32_t pc = vzsim_pc(sim);
	if (s != VZSIM_STOP_DEADLOCK || pc != vector + 4) {
		uint32_t cause = h_cause(sim);
		fail_msg("expected a stop in the stub at 0x%08x: stop %s at pc 0x%08x "
			 "(Cause 0x%08x ExcCode %u %s, EPC 0x%08x)",
			 vector, stop_name(s), pc, cause, CR_EXC(cause),
			 vzsim_exc_name(CR_EXC(cause)), h_cp0(sim, C0_EPC, 0));
	}
}

/* Sink for h_step_to: notes that an instruction at the target ran. */
struct step_watch {
	uint32_t target;
	bool hit;
};

static void step_sink(void *ctx, const struct vzsim_insn_event *ev)
{
	struct step_watch *w = ctx;
	if (ev->pc == w->target)
		w->hit = true;
}

uint64_t h_step_to(vzsim *sim, uint32_t target, uint64_t max)
{
	struct step_watch w = {target, false};
	uint64_t n = 0;
	vzsim_set_insn_sink(sim, step_sink, &w);
	while (vzsim_pc(sim) != target && !w.hit && n < max) {
		vzsim_run(sim, 1);
		n++;
	}
	vzsim_set_insn_sink(sim, NULL, NULL);
	if (vzsim_pc(sim) != target && !w.hit)
		fail_msg("pc never reached 0x%08x in %llu steps (pc 0x%08x, Cause 0x%08x)",
			 target, (unsigned long long)max, vzsim_pc(sim), h_cause(sim));
	return n;
}

uint32_t h_gpr(vzsim *sim, unsigned reg)
{
	return vzsim_gpr(sim, reg);
}

void h_set_gpr(vzsim *sim, unsigned reg, uint32_t v)
{
	vzsim_set_gpr(sim, reg, v);
}

uint32_t h_cp0(vzsim *sim, unsigned reg, unsigned sel)
{
	uint32_t v = 0;
	if (vzsim_cp0_read(sim, reg, sel, &v) != 0)
		fail_msg("vzsim_cp0_read(%u, %u) failed", reg, sel);
	return v;
}

void h_set_cp0(vzsim *sim, unsigned reg, unsigned sel, uint32_t v)
{
	if (vzsim_cp0_write(sim, reg, sel, v) != 0)
		fail_msg("vzsim_cp0_write(%u, %u) failed", reg, sel);
}

uint32_t h_status(vzsim *sim) { return h_cp0(sim, C0_STATUS, 0); }
void h_set_status(vzsim *sim, uint32_t v) { h_set_cp0(sim, C0_STATUS, 0, v); }
uint32_t h_cause(vzsim *sim) { return h_cp0(sim, C0_CAUSE, 0); }
unsigned h_exc(vzsim *sim) { return CR_EXC(h_cause(sim)); }

uint64_t h_insns(vzsim *sim)
{
	struct vzsim_stats st;
	vzsim_get_stats(sim, &st);
	return st.insns;
}

uint32_t h_read32(vzsim *sim, uint32_t va)
{
	uint8_t b[4];
	if (vzsim_mem_read(sim, h_pa(va), b, 4) != 0)
		fail_msg("vzsim_mem_read at 0x%08x failed", h_pa(va));
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

void h_write32(vzsim *sim, uint32_t va, uint32_t v)
{
	h_load(sim, va, &v, 1);
}

uint8_t h_read8(vzsim *sim, uint32_t va)
{
	uint8_t b;
	if (vzsim_mem_read(sim, h_pa(va), &b, 1) != 0)
		fail_msg("vzsim_mem_read at 0x%08x failed", h_pa(va));
	return b;
}

void h_tlbwi(vzsim *sim, unsigned idx, uint32_t hi, uint32_t lo0, uint32_t lo1,
	     uint32_t mask)
{
	uint32_t old_hi = h_cp0(sim, C0_ENTRYHI, 0);
	h_set_cp0(sim, C0_INDEX, 0, idx);
	h_set_cp0(sim, C0_ENTRYHI, 0, hi);
	h_set_cp0(sim, C0_ENTRYLO0, 0, lo0);
	h_set_cp0(sim, C0_ENTRYLO1, 0, lo1);
	h_set_cp0(sim, C0_PAGEMASK, 0, mask);
	uint32_t end = h_prog_at(sim, H_SCRATCH, PROG(enc_tlbwi()));
	h_run_to_end(sim, end);
	h_set_cp0(sim, C0_ENTRYHI, 0, old_hi);
	vzsim_set_pc(sim, H_CODE);
}

void h_tlbr(vzsim *sim, unsigned idx)
{
	h_set_cp0(sim, C0_INDEX, 0, idx);
	uint32_t end = h_prog_at(sim, H_SCRATCH, PROG(enc_tlbr()));
	h_run_to_end(sim, end);
	vzsim_set_pc(sim, H_CODE);
}

uint32_t h_user_prog(vzsim *sim, uint32_t status, const uint32_t *words, size_t n)
{
	h_tlbwi(sim, H_USER_TLB_INDEX, H_USER_VA, LO_RAM(H_USER_PA),
		LO_RAM(H_USER_PA + 0x1000u), PM_4K);
	h_load(sim, 0x80000000u | H_USER_PA, words, n);
	uint32_t sys = H_USER_VA + 4 * (uint32_t)n;
	const uint32_t tail[] = {enc_syscall(0), enc_nop()};
	h_load(sim, 0x80000000u | (H_USER_PA + 4 * (uint32_t)n), tail, 2);
	h_set_status(sim, status);
	vzsim_set_pc(sim, H_USER_VA);
	return sys;
}

void h_run_to_syscall(vzsim *sim, uint32_t at)
{
	h_run_to_stub(sim, H_VEC_GEN);
	uint32_t cause = h_cause(sim);
	if (CR_EXC(cause) != EXC_SYS || h_cp0(sim, C0_EPC, 0) != at)
		fail_msg("expected the final syscall at 0x%08x: ExcCode %u (%s), EPC "
			 "0x%08x, BadVAddr 0x%08x",
			 at, CR_EXC(cause), vzsim_exc_name(CR_EXC(cause)),
			 h_cp0(sim, C0_EPC, 0), h_cp0(sim, C0_BADVADDR, 0));
}
