/*
 * Test harness for the CPU unit tests: builds a small board through the
 * public libvzsim API (vzsim/vzsim.h) only, puts programs in kseg0, runs
 * them, and reads the state back.
 *
 * Layout every test shares (kseg0 addresses; physical = address - 0x80000000):
 *   H_EBASE      0x80000000  exception base after h_setup (the reset EBase)
 *                            +0x000 refill, +0x180 general, +0x200 interrupt
 *   H_SCRATCH    0x80008000  small helper programs (h_tlbwi)
 *   H_CODE       0x80010000  the test program
 *   H_DATA       0x80100000  data
 *   H_USER_PA    0x00400000  where tests map user code/data
 * With Status.BEV the vectors are 0xBFC00200 (refill) and 0xBFC00380
 * (general), 0xBFC00400 (interrupt, Cause.IV) in the boot flash.
 *
 * Every vector gets a stub that stops the run: `wait` with interrupts
 * unable to wake the CPU makes vzsim_run return VZSIM_STOP_DEADLOCK with
 * pc = stub + 4.  Programs loaded with h_prog end with the same `wait`,
 * so a program that ran to its end stops at H_CODE + 4 * (n + 1) and one
 * that took an exception stops in a stub: the stop pc says which.
 * The stub is `wait; b stub; nop` so that, when an interrupt keeps the
 * CPU awake (tests that leave IM bits set), it spins in place instead of
 * running into whatever follows; such tests step with h_step_to().
 */
#ifndef VZSOAK_TEST_SIM_HARNESS_H
#define VZSOAK_TEST_SIM_HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <vzsim/vzsim.h>
#include "mips_enc.h"

#define H_RAM_SIZE   (16u << 20)
#define H_EBASE      0x80000000u
#define H_VEC_REFILL (H_EBASE + 0x000u)
#define H_VEC_GEN    (H_EBASE + 0x180u)
#define H_VEC_INT    (H_EBASE + 0x200u)
#define H_BEV_REFILL 0xbfc00200u
#define H_BEV_GEN    0xbfc00380u
#define H_BEV_INT    0xbfc00400u
#define H_SCRATCH    0x80008000u
#define H_CODE       0x80010000u
#define H_DATA       0x80100000u
#define H_DATA_PA    0x00100000u
#define H_USER_PA    0x00400000u

/* Status bits. */
#define SR_IE   (1u << 0)
#define SR_EXL  (1u << 1)
#define SR_ERL  (1u << 2)
#define SR_KSU_USER (2u << 3)
#define SR_KSU_SUPER (1u << 3)
#define SR_IM(n) (1u << (8 + (n)))
#define SR_NMI  (1u << 19)
#define SR_SR   (1u << 20)
#define SR_TS   (1u << 21)
#define SR_BEV  (1u << 22)
#define SR_CU0  (1u << 28)
#define SR_CU1  (1u << 29)

/* Cause bits. */
#define CR_BD   (1u << 31)
#define CR_TI   (1u << 30)
#define CR_CE(c) ((uint32_t)(c) << 28)
#define CR_DC   (1u << 27)
#define CR_IV   (1u << 23)
#define CR_IP(n) (1u << (8 + (n)))
#define CR_EXC(cause) (((cause) >> 2) & 31u)

/* ExcCode values (MIPS32 PRA, Cause register). */
enum {
	EXC_INT = 0, EXC_MOD = 1, EXC_TLBL = 2, EXC_TLBS = 3, EXC_ADEL = 4,
	EXC_ADES = 5, EXC_IBE = 6, EXC_DBE = 7, EXC_SYS = 8, EXC_BP = 9,
	EXC_RI = 10, EXC_CPU = 11, EXC_OV = 12, EXC_TR = 13, EXC_TLBRI = 19,
	EXC_TLBXI = 20, EXC_MCHECK = 24,
};

/* EntryLo fields. */
#define LO_G    (1u << 0)
#define LO_V    (1u << 1)
#define LO_D    (1u << 2)
#define LO_C(c) ((uint32_t)(c) << 3)
#define LO_XI   (1u << 30)
#define LO_RI   (1u << 31)
#define LO_PFN(pa) ((((uint32_t)(pa)) >> 12) << 6)
/* A cacheable (C=3) valid dirty mapping of physical address pa. */
#define LO_RAM(pa) (LO_PFN(pa) | LO_C(3) | LO_D | LO_V)

#define EHINV   (1u << 10)
#define INDEX_P (1u << 31)

/* PageMask values. */
#define PM_4K   0x00000000u
#define PM_16K  0x00006000u
#define PM_64K  0x0001e000u
#define PM_256K 0x0007e000u
#define PM_1M   0x001fe000u
#define PM_4M   0x007fe000u
#define PM_16M  0x01ffe000u
#define PM_64M  0x07ffe000u
#define PM_256M 0x1fffe000u

/* A program literal: PROG(w1, w2, ...) expands to `words, count`. */
#define PROG(...) ((const uint32_t[]){__VA_ARGS__}), \
	(sizeof((const uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t))

/* Creates a board with the given RAM size (default H_RAM_SIZE) and seed. */
vzsim *h_new_cfg(uint64_t ram_size, uint64_t seed);
static inline vzsim *h_new_seed(uint64_t seed) { return h_new_cfg(H_RAM_SIZE, seed); }
static inline vzsim *h_new(void) { return h_new_seed(1); }
void h_free(vzsim *sim);
/* vzsim_board_opt that must succeed. */
void h_opt(vzsim *sim, const char *name, const char *value);

/*
 * vzsim_reset(H_CODE), then Status = 0 (kernel mode, BEV/ERL/EXL/IE clear,
 * IM all masked) and stop stubs at every vector.  Tests change Status
 * afterwards as they need.
 */
void h_setup(vzsim *sim);
/* vzsim_new + h_setup in one: the usual start of a test. */
vzsim *h_board(void);

/* cmocka fixtures: a fresh h_board() per test in *state, freed after it. */
int h_fixture_setup(void **state);
int h_fixture_teardown(void **state);
#define T(fn) cmocka_unit_test_setup_teardown(fn, h_fixture_setup, h_fixture_teardown)

/* Physical address of a kseg0/kseg1 address (others are returned as is). */
uint32_t h_pa(uint32_t va);
/* Writes words at a kseg0/kseg1 (or physical, for kuseg) address. */
void h_load(vzsim *sim, uint32_t va, const uint32_t *words, size_t n);
/* A stop stub (`wait; b .-4; nop`) at va. */
void h_stub(vzsim *sim, uint32_t va);
/*
 * Loads a program at va followed by the terminating `wait`, and points pc at
 * it.  Returns the address the run stops at (just after that `wait`).
 */
uint32_t h_prog_at(vzsim *sim, uint32_t va, const uint32_t *words, size_t n);
static inline uint32_t h_prog(vzsim *sim, const uint32_t *words, size_t n)
{
	return h_prog_at(sim, H_CODE, words, n);
}

/* vzsim_run with a budget. */
enum vzsim_stop h_run(vzsim *sim, uint64_t max);
/* Runs (budget 100000) and asserts the program stopped at its end. */
void h_run_to_end(vzsim *sim, uint32_t end);
/* Runs (budget 100000) and asserts it stopped in the stub at vector. */
void h_run_to_stub(vzsim *sim, uint32_t vector);
/*
 * Runs one instruction at a time (vzsim_run(sim, 1)) until pc == target or
 * the instruction at target has run (an interrupt taken at the start of a
 * step runs the vector's first instruction in the same step); fails after
 * max steps.  Returns the number of steps.  Uses the instruction sink.
 */
uint64_t h_step_to(vzsim *sim, uint32_t target, uint64_t max);

/* Registers. */
uint32_t h_gpr(vzsim *sim, unsigned reg);
void h_set_gpr(vzsim *sim, unsigned reg, uint32_t v);
uint32_t h_cp0(vzsim *sim, unsigned reg, unsigned sel);
void h_set_cp0(vzsim *sim, unsigned reg, unsigned sel, uint32_t v);
uint32_t h_status(vzsim *sim);
void h_set_status(vzsim *sim, uint32_t v);
uint32_t h_cause(vzsim *sim);
/* Cause.ExcCode. */
unsigned h_exc(vzsim *sim);
uint64_t h_insns(vzsim *sim);

/* Memory by kseg0/kseg1 address (or physical for kuseg). */
uint32_t h_read32(vzsim *sim, uint32_t va);
void h_write32(vzsim *sim, uint32_t va, uint32_t v);
uint8_t h_read8(vzsim *sim, uint32_t va);

/*
 * Writes TLB entry idx = (hi, lo0, lo1, mask) by running `tlbwi` at
 * H_SCRATCH, then restores EntryHi and leaves pc at H_CODE.  RI/XI bits of
 * lo0/lo1 only stick when PageGrain.RIE/XIE are set (the test sets them).
 */
void h_tlbwi(vzsim *sim, unsigned idx, uint32_t hi, uint32_t lo0, uint32_t lo1,
	     uint32_t mask);
/*
 * Reads TLB entry idx by running `tlbr` at H_SCRATCH; EntryHi, EntryLo0/1
 * and PageMask keep what tlbr left in them (the caller reads them).
 */
void h_tlbr(vzsim *sim, unsigned idx);

/* Cause.ExcCode must be `code`. */
#define assert_exc(sim, code) assert_int_equal(h_exc(sim), (code))

/* ------------------------------------------------------------ user/supervisor programs */

/*
 * Programs that run outside kernel mode live in kuseg: H_USER_VA (code,
 * even page) and H_USER_VA + 0x1000 (data, odd page), mapped by TLB entry
 * H_USER_TLB_INDEX to H_USER_PA with ASID 0, not global.
 */
#define H_USER_VA        0x00400000u
#define H_USER_DATA      (H_USER_VA + 0x1000u)
#define H_USER_TLB_INDEX 0u

/*
 * Maps the user pages, loads the program at H_USER_VA followed by a
 * `syscall` (the way back: wait would be privileged), writes Status = status
 * (e.g. SR_KSU_USER) and points pc at the program.  Returns the address of
 * the final syscall.
 */
uint32_t h_user_prog(vzsim *sim, uint32_t status, const uint32_t *words, size_t n);
/* Runs and asserts the program ended at its final syscall at `at`. */
void h_run_to_syscall(vzsim *sim, uint32_t at);
#endif
