/*
 * The exception-code table (boards/mips/include/mips/exc.def) against the
 * architecture: every Cause.ExcCode and GuestCtl0.GExcCode number and name
 * is written again here, from the MIPS32r5 and VZ specifications, not from
 * the table, so a swapped or renumbered line fails.  Then the printers
 * built from the table: mips_exc_name/mips_gexc_name (which vzsim's --stats
 * and `pdtrace flow`'s guest-exit lines print), libpdtrace's pdt_exc_name
 * and vzsim_exc_name.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <mips/exc.h>
#include <pdtrace/pdtrace.h>
#include <vzsim/vzsim.h>

struct code_name {
	unsigned code;
	const char *name;
};

/* Cause.ExcCode, MIPS32 Release 5 with VZ; 16, 17, 28, 29, 31 reserved. */
static const struct code_name arch_exc[] = {
	{0, "Int"}, {1, "Mod"}, {2, "TLBL"}, {3, "TLBS"}, {4, "AdEL"},
	{5, "AdES"}, {6, "IBE"}, {7, "DBE"}, {8, "Sys"}, {9, "Bp"},
	{10, "RI"}, {11, "CpU"}, {12, "Ov"}, {13, "Tr"}, {14, "MSAFPE"},
	{15, "FPE"}, {18, "C2E"}, {19, "TLBRI"}, {20, "TLBXI"}, {21, "MSADis"},
	{22, "MDMX"}, {23, "WATCH"}, {24, "MCheck"}, {25, "Thread"},
	{26, "DSPDis"}, {27, "GE"}, {30, "CacheErr"},
};

/* GuestCtl0.GExcCode, VZ ASE; 4..7 and 11..31 reserved. */
static const struct code_name arch_gexc[] = {
	{0, "GPSI"}, {1, "GSFC"}, {2, "HC"}, {3, "GRR"},
	{8, "GVA"}, {9, "GHFC"}, {10, "GPA"},
};

#define N(a) (sizeof (a) / sizeof (a)[0])

/* The architecture's name of `code` in `t`, NULL if it has none. */
static const char *arch_name(const struct code_name *t, size_t n, unsigned code)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].code == code)
			return t[i].name;
	return NULL;
}

static void check_name(const char *got, const char *want, unsigned code)
{
	if (!want) {
		if (got)
			fail_msg("code %u is reserved, named \"%s\"", code, got);
		return;
	}
	if (!got)
		fail_msg("code %u (%s) has no name", code, want);
	if (strcmp(got, want))
		fail_msg("code %u: \"%s\", want \"%s\"", code, got, want);
}

static void test_gexc_names(void **state)
{
	(void)state;
	for (unsigned c = 0; c < 40; c++)
		check_name(mips_gexc_name(c), arch_name(arch_gexc, N(arch_gexc), c), c);
}

static void test_gexc_numbers(void **state)
{
	(void)state;
	assert_int_equal(GEXC_GPSI, 0);
	assert_int_equal(GEXC_GSFC, 1);
	assert_int_equal(GEXC_HC, 2);
	assert_int_equal(GEXC_GRR, 3);
	assert_int_equal(GEXC_GVA, 8);
	assert_int_equal(GEXC_GHFC, 9);
	assert_int_equal(GEXC_GPA, 10);
	/* The two a swapped table once printed the other way round. */
	assert_string_equal(mips_gexc_name(GEXC_GVA), "GVA");
	assert_string_equal(mips_gexc_name(GEXC_GHFC), "GHFC");
}

static void test_exc_names(void **state)
{
	(void)state;
	for (unsigned c = 0; c < 40; c++)
		check_name(mips_exc_name(c), arch_name(arch_exc, N(arch_exc), c), c);
}

static void test_exc_numbers(void **state)
{
	(void)state;
	const struct { int sym; unsigned code; } e[] = {
		{EXC_INT, 0}, {EXC_MOD, 1}, {EXC_TLBL, 2}, {EXC_TLBS, 3},
		{EXC_ADEL, 4}, {EXC_ADES, 5}, {EXC_IBE, 6}, {EXC_DBE, 7},
		{EXC_SYS, 8}, {EXC_BP, 9}, {EXC_RI, 10}, {EXC_CPU, 11},
		{EXC_OV, 12}, {EXC_TR, 13}, {EXC_MSAFPE, 14}, {EXC_FPE, 15},
		{EXC_C2E, 18}, {EXC_TLBRI, 19}, {EXC_TLBXI, 20},
		{EXC_MSADIS, 21}, {EXC_MDMX, 22}, {EXC_WATCH, 23},
		{EXC_MCHECK, 24}, {EXC_THREAD, 25}, {EXC_DSPDIS, 26},
		{EXC_GE, 27}, {EXC_CACHEERR, 30},
	};
	assert_int_equal(N(e), N(arch_exc));
	for (size_t i = 0; i < N(e); i++)
		assert_int_equal(e[i].sym, e[i].code);
}

/* libpdtrace (the dumps' names) and vzsim ("?" for a code with none)
 * print the same table. */
static void test_printers_agree(void **state)
{
	(void)state;
	for (unsigned c = 0; c < 40; c++) {
		const char *want = arch_name(arch_exc, N(arch_exc), c);
		check_name(pdt_exc_name(c), want, c);
		assert_string_equal(vzsim_exc_name(c), want ? want : "?");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gexc_names),
		cmocka_unit_test(test_gexc_numbers),
		cmocka_unit_test(test_exc_names),
		cmocka_unit_test(test_exc_numbers),
		cmocka_unit_test(test_printers_agree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
