/*
 * The reference hypervisor's boot-argument parser (hypervisor/args.c):
 * defaults, every key, numbers, the one-line errors for bad input, and
 * its table (bootargs.def) read back through it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <vzsoak/bootargs_parse.h>
#include <vzsoak/hypercall.h>

static char err[320];

static int parse(struct hv_args *a, const char *text)
{
	hv_args_defaults(a);
	return hv_args_parse(a, text, 4096, err, sizeof err);
}

static void test_defaults(void **state)
{
	(void)state;
	struct hv_args a;
	assert_int_equal(parse(&a, ""), 0);
	assert_int_equal(a.guests, 4);
	assert_int_equal(a.seed, 1);
	assert_int_equal(a.quantum, 20000);
	assert_int_equal(a.jitter, 0);
	assert_int_equal(a.sched, HV_SCHED_RR);
	assert_int_equal(a.preserve, 1);
	assert_int_equal(a.trace, 1);
	assert_int_equal(a.ri_exit, 0);
	assert_int_equal(a.runtime, 0);
	assert_int_equal(a.tlbp_check, GCONF_TLBP_ON);
	assert_int_equal(a.crashme, 64);
	assert_int_equal(a.worker_pages, 64);
	assert_int_equal(a.rounds, 0);
	assert_int_equal(a.selfcheck, 1);
	assert_int_equal(a.inject, 0);
	for (int g = 0; g < HV_MAX_GUESTS; g++)
		assert_string_equal(a.image[g], "demo");
	assert_string_equal(err, "");
}

static void test_every_key(void **state)
{
	(void)state;
	struct hv_args a;
	assert_int_equal(parse(&a, "  guests=8 seed=0x10 quantum=5000 jitter=300\n"
				   "sched=aim preserve=off trace=off trace-guests=0x6 "
				   "ri-exit=on runtime=1000000 image=loop g3=wild "
				   "tlbp-check=index crashme=4096 worker-pages=512 rounds=7 "
				   "selfcheck=off"), 0);
	assert_int_equal(a.guests, 8);
	assert_int_equal(a.seed, 16);
	assert_int_equal(a.quantum, 5000);
	assert_int_equal(a.jitter, 300);
	assert_int_equal(a.sched, HV_SCHED_AIM);
	assert_int_equal(a.preserve, 0);
	assert_int_equal(a.trace, 0);
	assert_int_equal(a.trace_guests, 6);
	assert_int_equal(a.ri_exit, 1);
	assert_int_equal(a.runtime, 1000000);
	assert_int_equal(a.tlbp_check, GCONF_TLBP_INDEX);
	assert_int_equal(a.crashme, 4096);
	assert_int_equal(a.worker_pages, 512);
	assert_int_equal(a.rounds, 7);
	assert_int_equal(a.selfcheck, 0);
	assert_string_equal(a.image[0], "loop");
	assert_string_equal(a.image[2], "wild");
	assert_string_equal(a.image[7], "loop");
	assert_int_equal(parse(&a, "tlbp-check=off crashme=0 worker-pages=0"), 0);
	assert_int_equal(a.tlbp_check, GCONF_TLBP_OFF);
	assert_int_equal(a.crashme, 0);
	assert_int_equal(a.worker_pages, 0);
}

/* inject=: a set of names, a bit each; none is the empty set. */
static void test_inject(void **state)
{
	(void)state;
	struct hv_args a;
	assert_int_equal(parse(&a, ""), 0);
	assert_int_equal(a.inject, 0);
	assert_int_equal(parse(&a, "inject=none"), 0);
	assert_int_equal(a.inject, 0);
	assert_int_equal(parse(&a, "inject=stale-entryhi"), 0);
	assert_int_equal(a.inject, 1u << HV_INJECT_STALE_ENTRYHI);
	assert_int_equal(parse(&a, "inject=gtoffset-lost,no-preserve,stale-badvaddr"), 0);
	assert_int_equal(a.inject, (1u << HV_INJECT_GTOFFSET_LOST) |
				   (1u << HV_INJECT_NO_PRESERVE) |
				   (1u << HV_INJECT_STALE_BADVADDR));
	assert_true(HV_INJECTED(&a, HV_INJECT_NO_PRESERVE));
	assert_false(HV_INJECTED(&a, HV_INJECT_STALE_ENTRYHI));
	/* a name twice is the same set; none among others adds nothing */
	assert_int_equal(parse(&a, "inject=no-preserve,none,no-preserve"), 0);
	assert_int_equal(a.inject, 1u << HV_INJECT_NO_PRESERVE);
	/* the later key wins, as for every key */
	assert_int_equal(parse(&a, "inject=no-preserve inject=none"), 0);
	assert_int_equal(a.inject, 0);
}

static void test_later_wins_and_max(void **state)
{
	(void)state;
	struct hv_args a;
	assert_int_equal(parse(&a, "guests=2 guests=3"), 0);
	assert_int_equal(a.guests, 3);
	/* max cuts the text: "guests=1" only */
	hv_args_defaults(&a);
	assert_int_equal(hv_args_parse(&a, "guests=1 seed=x", 8, err, sizeof err), 0);
	assert_int_equal(a.guests, 1);
	assert_int_equal(parse(&a, "seed=4294967295"), 0);
	assert_int_equal(a.seed, 0xffffffffu);
}

static void test_errors(void **state)
{
	(void)state;
	struct hv_args a;
	static const struct { const char *text, *msg; } bad[] = {
		{ "guests=0", "guests=0: want 1..8" },
		{ "guests=9", "guests=9: want 1..8" },
		{ "guests=", "guests=: want 1..8" },
		{ "seed=12a", "seed=12a: not a number" },
		{ "seed=4294967296", "seed=4294967296: not a number" },
		{ "quantum=99", "quantum=99: want a number >= 100" },
		{ "sched=fifo", "sched=fifo: want rr or aim" },
		{ "preserve=maybe", "preserve=maybe: want on or off" },
		{ "trace-guests=1", "trace-guests=1: want a mask of GuestIDs 1..8 (bits 1..8)" },
		{ "tlbp-check=yes", "tlbp-check=yes: want off, index or on" },
		{ "crashme=4097", "crashme=4097: want 0..4096 words" },
		{ "worker-pages=514", "worker-pages=514: want an even 0..512" },
		{ "worker-pages=3", "worker-pages=3: want an even 0..512" },
		{ "rounds=-1", "rounds=-1: not a number" },
		{ "selfcheck=maybe", "selfcheck=maybe: want on or off" },
		{ "inject=stale", "inject=stale: want names of none, no-preserve, stale-badvaddr, "
				  "stale-entryhi, gtoffset-lost, stale-index, guestid-reuse, "
				  "wired-lost, root-flush-missed, vip-lost, dslot-resume or "
				  "ti-lost, joined by commas" },
		{ "inject=no-preserve,", "inject=no-preserve,: want names of none, no-preserve, "
					 "stale-badvaddr, stale-entryhi, gtoffset-lost, stale-index, "
					 "guestid-reuse, wired-lost, root-flush-missed, vip-lost, "
					 "dslot-resume or ti-lost, joined by commas" },
		{ "inject=", "inject=: want names of none, no-preserve, stale-badvaddr, "
			     "stale-entryhi, gtoffset-lost, stale-index, guestid-reuse, "
			     "wired-lost, root-flush-missed, vip-lost, dslot-resume or "
			     "ti-lost, joined by commas" },
		{ "colour=red", "unknown key 'colour'" },
		{ "g9=demo", "unknown key 'g9'" },
		{ "image=Demo", "image=Demo: not an image name" },
		{ "guests", "'guests': want key=value" },
		{ "=4", "'=4': want key=value" },
	};
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(parse(&a, bad[i].text), -1);
		assert_string_equal(err, bad[i].msg);
	}
	/* a short error buffer is cut, still terminated */
	char small[8];
	hv_args_defaults(&a);
	assert_int_equal(hv_args_parse(&a, "colour=red", 64, small, sizeof small), -1);
	assert_string_equal(small, "unknown");
}

/* The table (bootargs.def): every default is a value its own parser takes,
 * and hv_args_defaults is exactly those values. */
static void test_table_defaults(void **state)
{
	(void)state;
	struct hv_args a;
	hv_args_defaults(&a);
	for (unsigned i = 0; i < bootarg_count; i++) {
		const struct bootarg *b = &bootarg_table[i];
		uint32_t v = 0xdeadbeef;
		if (b->type == BA_GUEST_IMAGE) {
			assert_string_equal(b->def, "");
			continue;
		}
		assert_int_equal(bootarg_value(b, b->def, (unsigned)strlen(b->def), &v), 0);
		if (b->type == BA_IMAGE) {
			for (int g = 0; g < HV_MAX_GUESTS; g++)
				assert_string_equal(a.image[g], b->def);
		} else {
			uint32_t field;
			memcpy(&field, (char *)&a + b->offset, sizeof field);
			assert_int_equal(field, v);
		}
	}
}

/* Every key of the table is found, the gN keys only for N in 1..8, and
 * each number row takes its lo and hi and refuses what lies beyond. */
static void test_table_keys(void **state)
{
	(void)state;
	char text[64];
	struct hv_args a;
	for (unsigned i = 0; i < bootarg_count; i++) {
		const struct bootarg *b = &bootarg_table[i];
		if (b->type == BA_GUEST_IMAGE) {
			for (char n = '0'; n <= '9'; n++) {
				snprintf(text, sizeof text, "%s%c", b->key, n);
				assert_true((bootarg_find(text, 2) == b) == (n >= '1' && n <= '8'));
			}
			continue;
		}
		assert_ptr_equal(bootarg_find(b->key, (unsigned)strlen(b->key)), b);
		if (b->type != BA_NUMBER || (b->flags & BA_MASK))
			continue;
		snprintf(text, sizeof text, "%s=%u %s=%u", b->key, b->lo, b->key, b->hi);
		assert_int_equal(parse(&a, text), 0);
		if (b->lo > 0) {
			snprintf(text, sizeof text, "%s=%u", b->key, b->lo - 1);
			assert_int_equal(parse(&a, text), -1);
		}
		snprintf(text, sizeof text, "%s=%llu", b->key, b->hi + 1ull);
		assert_int_equal(parse(&a, text), -1);
	}
	assert_null(bootarg_find("gues", 4));
	assert_null(bootarg_find("g", 1));
}
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_inject),
		cmocka_unit_test(test_later_wins_and_max),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_table_defaults),
		cmocka_unit_test(test_table_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
