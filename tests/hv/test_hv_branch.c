/*
 * The hypervisor's delay-slot resume PC (hypervisor/branch.c): every
 * MIPS32 branch and jump, taken and not taken, likely forms, link
 * registers, and words that are not branches.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hypervisor/branch.h"

#define PC	0x80001000u
#define FALL	(PC + 8)
#define T0	8
#define T1	9
#define RA	31

/* Encoders for the forms under test. */
static uint32_t itype(uint32_t op, uint32_t rs, uint32_t rt, int16_t off)
{
	return op << 26 | rs << 21 | rt << 16 | (uint16_t)off;
}
static uint32_t regimm(uint32_t rt, uint32_t rs, int16_t off)
{
	return itype(0x01, rs, rt, off);
}

static uint32_t gpr[32];

static void reset_regs(void)
{
	memset(gpr, 0, sizeof gpr);
	gpr[RA] = 0xdeadbeefu;
}

/* Runs one branch word; returns the next PC (fails the test on -1). */
static uint32_t next_of(uint32_t w)
{
	uint32_t next = 0;
	assert_int_equal(hv_resume_pc(PC, 1, w, gpr, &next), 0);
	return next;
}

static void test_not_in_delay_slot(void **state)
{
	(void)state;
	uint32_t next = 0;
	reset_regs();
	/* bd = 0: the branch word is ignored, even a garbage one. */
	assert_int_equal(hv_resume_pc(PC, 0, 0xffffffffu, gpr, &next), 0);
	assert_int_equal(next, PC + 4);
	assert_int_equal(gpr[RA], 0xdeadbeefu);
}

/* beq/bne and their likely forms, forward and backward offsets. */
static void test_beq_bne(void **state)
{
	(void)state;
	static const struct { uint32_t op; int eq_taken; } ops[] = {
		{ 0x04, 1 }, { 0x14, 1 }, /* beq, beql */
		{ 0x05, 0 }, { 0x15, 0 }, /* bne, bnel */
	};
	for (unsigned i = 0; i < 4; i++) {
		reset_regs();
		gpr[T0] = 5;
		gpr[T1] = 5;
		uint32_t eq = next_of(itype(ops[i].op, T0, T1, 0x10));
		assert_int_equal(eq, ops[i].eq_taken ? PC + 4 + 0x40 : FALL);
		gpr[T1] = 6;
		uint32_t ne = next_of(itype(ops[i].op, T0, T1, -3));
		assert_int_equal(ne, ops[i].eq_taken ? FALL : PC + 4 - 12);
		assert_int_equal(gpr[RA], 0xdeadbeefu); /* no link */
	}
	/* b (beq zero, zero): register 0 is 0 whatever the array says. */
	reset_regs();
	gpr[0] = 7;
	assert_int_equal(next_of(itype(0x04, 0, 0, 2)), PC + 12);
	assert_int_equal(next_of(itype(0x05, 0, 0, 2)), FALL);
}

/* blez/bgtz (+likely) on negative, zero and positive. */
static void test_blez_bgtz(void **state)
{
	(void)state;
	static const uint32_t vals[3] = { 0x80000000u, 0, 1 };
	static const struct { uint32_t op; int taken[3]; } ops[] = {
		{ 0x06, { 1, 1, 0 } }, { 0x16, { 1, 1, 0 } }, /* blez, blezl */
		{ 0x07, { 0, 0, 1 } }, { 0x17, { 0, 0, 1 } }, /* bgtz, bgtzl */
	};
	for (unsigned i = 0; i < 4; i++)
		for (unsigned k = 0; k < 3; k++) {
			reset_regs();
			gpr[T0] = vals[k];
			assert_int_equal(next_of(itype(ops[i].op, T0, 0, 4)),
					 ops[i].taken[k] ? PC + 20 : FALL);
		}
}

/* REGIMM: bltz/bgez, likely, and-link, and-link likely. */
static void test_regimm(void **state)
{
	(void)state;
	static const uint32_t vals[3] = { 0xffffffffu, 0, 0x7fffffffu };
	static const struct { uint32_t rt; int ge; int link; } ops[] = {
		{ 0x00, 0, 0 }, { 0x01, 1, 0 }, { 0x02, 0, 0 }, { 0x03, 1, 0 },
		{ 0x10, 0, 1 }, { 0x11, 1, 1 }, { 0x12, 0, 1 }, { 0x13, 1, 1 },
	};
	for (unsigned i = 0; i < 8; i++)
		for (unsigned k = 0; k < 3; k++) {
			reset_regs();
			gpr[T0] = vals[k];
			int neg = (int32_t)vals[k] < 0;
			int taken = ops[i].ge ? !neg : neg;
			assert_int_equal(next_of(regimm(ops[i].rt, T0, -1)),
					 taken ? PC : FALL);
			/* The -al forms link even when not taken. */
			assert_int_equal(gpr[RA], ops[i].link ? FALL : 0xdeadbeefu);
		}
	/* bal (bgezal zero): always taken. */
	reset_regs();
	assert_int_equal(next_of(regimm(0x11, 0, 8)), PC + 36);
	assert_int_equal(gpr[RA], FALL);
}

static void test_j_jal(void **state)
{
	(void)state;
	reset_regs();
	/* Target in the 256 MiB region of the delay slot. */
	assert_int_equal(next_of(0x08000000u | (0x0123456u >> 2)), 0x80123454u & 0xfffffffcu);
	assert_int_equal(gpr[RA], 0xdeadbeefu);
	assert_int_equal(next_of(0x0c000000u | 0x40u), 0x80000100u);
	assert_int_equal(gpr[RA], FALL);
	/* A jump in the last slot of a region: the slot's region counts. */
	uint32_t next = 0;
	assert_int_equal(hv_resume_pc(0x8ffffffcu, 1, 0x08000010u, gpr, &next), 0);
	assert_int_equal(next, 0x90000040u);
}

static void test_jr_jalr(void **state)
{
	(void)state;
	reset_regs();
	gpr[T0] = 0x80004000u;
	/* jr t0 */
	assert_int_equal(next_of(T0 << 21 | 0x08), 0x80004000u);
	assert_int_equal(gpr[RA], 0xdeadbeefu);
	/* jr.hb t0 (hint bit 10) */
	assert_int_equal(next_of(T0 << 21 | 1u << 10 | 0x08), 0x80004000u);
	/* jalr t0 (rd = ra) */
	assert_int_equal(next_of(T0 << 21 | RA << 11 | 0x09), 0x80004000u);
	assert_int_equal(gpr[RA], FALL);
	/* jalr t1, t0 */
	reset_regs();
	gpr[T0] = 0x80004000u;
	assert_int_equal(next_of(T0 << 21 | T1 << 11 | 0x09), 0x80004000u);
	assert_int_equal(gpr[T1], FALL);
	assert_int_equal(gpr[RA], 0xdeadbeefu);
	/* jalr.hb ra, t0 */
	assert_int_equal(next_of(T0 << 21 | RA << 11 | 1u << 10 | 0x09), 0x80004000u);
	assert_int_equal(gpr[RA], FALL);
}

/* Words that are not branches are refused, registers untouched. */
static void test_not_a_branch(void **state)
{
	(void)state;
	static const uint32_t words[] = {
		0x00000000u,            /* nop (sll) */
		0x2402002au,            /* addiu v0, zero, 42 */
		0x00000021u | T0 << 21, /* addu: SPECIAL, not jr/jalr */
		0x04080000u,            /* REGIMM tgei */
		0x45000004u,            /* bc1f: COP1 branch */
		0x74000000u,            /* jalx */
		0x18010004u,            /* blez with rt != 0: reserved */
		0x1c010004u,            /* bgtz with rt != 0: reserved */
		0x01000808u | T1 << 16, /* jr with rt != 0 */
	};
	for (unsigned i = 0; i < sizeof words / sizeof words[0]; i++) {
		uint32_t next = 0x1234u;
		reset_regs();
		assert_int_equal(hv_resume_pc(PC, 1, words[i], gpr, &next), -1);
		assert_int_equal(next, 0x1234u);
		assert_int_equal(gpr[RA], 0xdeadbeefu);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_in_delay_slot),
		cmocka_unit_test(test_beq_bne),
		cmocka_unit_test(test_blez_bgtz),
		cmocka_unit_test(test_regimm),
		cmocka_unit_test(test_j_jal),
		cmocka_unit_test(test_jr_jalr),
		cmocka_unit_test(test_not_a_branch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
