/*
 * The soak's detectors (harness/detect.c) on views built by hand: each
 * kind of flag, when it is raised (the check and its instruction count),
 * that it is raised once, and what the end of a run adds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "harness/detect.h"
#include "views.h"
#include <vzsoak/hypercall.h>

#define M 1000000ull

/* A running hypervisor with n running guests, kstats for each, whose
 * kernels run the flavour the detectors below are given (tlbp-check=on). */
static void view_init(struct soak_view *v, unsigned n, uint64_t insns)
{
	view_running(v, n, insns);
	for (unsigned i = 0; i < n; i++) {
		strcpy(v->st.g[i].image, "stress");
		v->ks_ok[i] = true;
		v->ks[i][KS_MAGIC] = KSTATS_MAGIC;
		v->ks[i][KS_VERSION] = KSTATS_VERSION;
		v->ks[i][KS_TLBP_CHECK] = GCONF_TLBP_ON;
	}
}

static void test_nothing_while_booting(void **state)
{
	(void)state;
	struct detector d;
	struct soak_view v;
	detect_init(&d, 20 * M, 100, GCONF_TLBP_ON);
	memset(&v, 0, sizeof v);
	v.insns = 5 * M;
	assert_int_equal(detect_check(&d, &v), 0);
	view_init(&v, 4, 6 * M);
	v.st.state = STATUS_BOOTING;
	assert_int_equal(detect_check(&d, &v), 0);
	assert_int_equal(d.nflags, 0);
	assert_true(d.seen_status);
}

static void test_pagemask_anomaly(void **state)
{
	(void)state;
	struct detector d;
	struct soak_view v;
	detect_init(&d, 20 * M, 100, GCONF_TLBP_ON);
	view_init(&v, 4, 3 * M);
	v.st.g[1].anomalies = 1;
	v.st.g[1].first_anomaly = v.st.g[1].last_anomaly = ANOM_PAGEMASK;
	v.st.g[1].first_detail = v.st.g[1].last_detail = 0;
	v.ks[1][KS_PM_BAD] = 0;
	v.ks[1][KS_PM_BAD_COUNT] = 3;
	v.ks[1][KS_PM_BAD_EPC] = 0x80001234;
	v.ks[1][KS_PM_BAD_BADVADDR] = 0x00481000;
	assert_int_equal(detect_check(&d, &v), 1);
	const struct flag *f = &d.flags[0];
	assert_int_equal(f->guest, 2);
	assert_int_equal(f->kind, FLAG_ANOMALY);
	assert_int_equal(f->insns, 3 * M);
	assert_int_equal(f->sim_ns, 3 * M);
	assert_string_equal(flag_title(f), "shrinking page: PageMask 16K -> 4K "
			    "after a TLB handler");
	assert_string_equal(f->msg, "PageMask 0x00000000, left by a TLB handler at "
			    "EPC 0x80001234 BadVAddr 0x00481000 (3 times)");
	assert_string_equal(flag_kind_name(f->kind), "anomaly");

	/* more reports: still one flag, with the time it was first seen */
	v.insns = 4 * M;
	v.st.g[1].anomalies = 2;
	v.st.g[1].last_anomaly = ANOM_BADDATA;
	assert_int_equal(detect_check(&d, &v), 0);
	assert_int_equal(d.nflags, 1);
	assert_int_equal(d.flags[0].insns, 3 * M);

	/* the latest report is named, never a bare code */
	detect_init(&d, 20 * M, 100, GCONF_TLBP_ON);
	assert_int_equal(detect_check(&d, &v), 1);
	assert_string_equal(d.flags[0].msg, "PageMask 0x00000000, left by a TLB "
			    "handler at EPC 0x80001234 BadVAddr 0x00481000 (3 times); "
			    "2 reports, the latest: memory worker: word read back "
			    "wrong (VA 0x00000000)");
}

static void test_other_anomalies(void **state)
{
	(void)state;
	static const struct {
		uint32_t code, detail;
		const char *title, *msg;
	} cases[] = {
		{ANOM_BADDATA, 0x00601000, "memory worker: word read back wrong",
		 "VA 0x00601000 (read 0xdeadbeef; 5 bad words)"},
		{ANOM_NOPAGE, 0x7ff00000, "stress kernel: kernel-mode fault with no PTE",
		 "BadVAddr 0x7ff00000"},
		{ANOM_KFAULT, 0x00000060, "stress kernel: unexpected kernel-mode "
		 "exception (MCheck)", "Cause 0x00000060"},
		{ANOM_WORKER, 0x00000008, "memory worker: unexpected exception (TLBL)",
		 "Cause 0x00000008"},
		{ANOM_GUEST_EXC, 0x00000014, "test guest: unexpected exception (AdES)",
		 "Cause 0x00000014"},
		{ANOM_GUEST_TEST, 0x88, "test guest: the exits test's own report",
		 "detail 0x00000088"},
		{0x52, 0x00481000, "unknown anomaly 0x52", "detail 0x00481000"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct detector d;
		struct soak_view v;
		detect_init(&d, 0, 0, GCONF_TLBP_ON);
		view_init(&v, 1, M);
		v.st.g[0].anomalies = 1;
		v.st.g[0].first_anomaly = cases[i].code;
		v.st.g[0].first_detail = cases[i].detail;
		v.ks[0][KS_BAD_WORDS] = 5;
		v.ks[0][KS_FIRST_BAD_GOT] = 0xdeadbeef;
		assert_int_equal(detect_check(&d, &v), 1);
		assert_string_equal(flag_title(&d.flags[0]), cases[i].title);
		assert_string_equal(d.flags[0].msg, cases[i].msg);
	}
}

static void test_pagemask_sizes(void **state)
{
	(void)state;
	char b[16];
	assert_string_equal(pagemask_size(0, b, sizeof b), "4K");
	assert_string_equal(pagemask_size(0x6000, b, sizeof b), "16K");
	assert_string_equal(pagemask_size(0x1e000, b, sizeof b), "64K");
	assert_string_equal(pagemask_size(0x1fe000, b, sizeof b), "1M");
	assert_string_equal(pagemask_size(0x1fffe000, b, sizeof b), "256M");
}

static void test_lockup(void **state)
{
	(void)state;
	struct detector d;
	struct soak_view v;
	detect_init(&d, 0, 100, GCONF_TLBP_ON);
	view_init(&v, 2, M);
	v.ks[0][KS_REPEATS] = 99;
	v.ks[0][KS_LAST_EPC] = 0x0040404c;
	v.ks[0][KS_LAST_BADVADDR] = 0x00481000;
	assert_int_equal(detect_check(&d, &v), 0);
	v.insns = 2 * M;
	v.ks[0][KS_REPEATS] = 100;
	assert_int_equal(detect_check(&d, &v), 1);
	assert_int_equal(d.flags[0].guest, 1);
	assert_int_equal(d.flags[0].kind, FLAG_LOCKUP);
	assert_int_equal(d.flags[0].insns, 2 * M);
	assert_string_equal(d.flags[0].msg, "repeats the same TLB fault 100 times: "
			    "EPC 0x0040404c BadVAddr 0x00481000");
	/* without a trusted statistics block there is nothing to go on */
	detect_init(&d, 0, 100, GCONF_TLBP_ON);
	v.ks_ok[0] = false;
	assert_int_equal(detect_check(&d, &v), 0);
	/* repeat-limit 0: off */
	detect_init(&d, 0, 0, GCONF_TLBP_ON);
	v.ks_ok[0] = true;
	assert_int_equal(detect_check(&d, &v), 0);
}

static void test_heartbeat(void **state)
{
	(void)state;
	struct detector d;
	struct soak_view v;
	detect_init(&d, 5 * M, 0, GCONF_TLBP_ON);
	view_init(&v, 2, M);
	for (uint64_t at = 1; at <= 20; at++) {
		v.insns = at * M;
		v.st.g[0].heartbeats = (uint32_t)at;       /* steady */
		v.st.g[1].heartbeats = at < 4 ? (uint32_t)at : 3; /* stops after 3M */
		unsigned raised = detect_check(&d, &v);
		/* the last change seen at 3M; 5M of silence at 8M */
		assert_int_equal(raised, at == 8 ? 1 : 0);
		if (at == 6)
			assert_int_equal(detect_silence(&d, &v, 2), 3 * M);
	}
	assert_int_equal(d.nflags, 1);
	assert_int_equal(d.flags[0].guest, 2);
	assert_int_equal(d.flags[0].kind, FLAG_HEARTBEAT);
	assert_int_equal(d.flags[0].insns, 8 * M);
	assert_string_equal(d.flags[0].msg, "no heartbeat for 5000000 instructions: "
			    "the count stays at 3 since the check at instruction 3000000");
	assert_int_equal(detect_silence(&d, &v, 1), 0);

	/* a stopped guest is not silent, and timeout 0 is off */
	detect_init(&d, 5 * M, 0, GCONF_TLBP_ON);
	view_init(&v, 1, M);
	v.st.g[0].state = GSTATE_STOPPED;
	for (uint64_t at = 1; at <= 20; at++) {
		v.insns = at * M;
		assert_int_equal(detect_check(&d, &v), 0);
	}
	detect_init(&d, 0, 0, GCONF_TLBP_ON);
	view_init(&v, 1, M);
	for (uint64_t at = 1; at <= 20; at++) {
		v.insns = at * M;
		assert_int_equal(detect_check(&d, &v), 0);
	}
}

static void test_exit_and_killed(void **state)
{
	(void)state;
	struct detector d;
	struct soak_view v;
	detect_init(&d, 0, 0, GCONF_TLBP_ON);
	view_init(&v, 4, M);
	v.st.g[0].state = GSTATE_STOPPED; /* status 0: fine */
	v.st.g[2].state = GSTATE_STOPPED;
	v.st.g[2].exit_status = 2;
	v.st.g[3].state = GSTATE_KILLED;
	assert_int_equal(detect_check(&d, &v), 2);
	assert_int_equal(d.flags[0].guest, 3);
	assert_int_equal(d.flags[0].kind, FLAG_EXIT);
	assert_string_equal(d.flags[0].msg, "stopped with exit status 2");
	assert_int_equal(d.flags[1].guest, 4);
	assert_int_equal(d.flags[1].kind, FLAG_KILLED);
	assert_int_equal(detect_check(&d, &v), 0);
	assert_int_equal(d.flagged[3], 1u << FLAG_EXIT);
}

static void test_hypervisor(void **state)
{
	(void)state;
	struct detector d;
	struct soak_view v;

	/* never a status block: flagged at the end, with the console's hint */
	detect_init(&d, 0, 0, GCONF_TLBP_ON);
	memset(&v, 0, sizeof v);
	v.insns = 12345;
	assert_int_equal(detect_check(&d, &v), 0);
	assert_int_equal(detect_end(&d, &v, END_RESET, "hv: bad boot arguments: x"), 1);
	assert_int_equal(d.flags[0].guest, 0);
	assert_int_equal(d.flags[0].kind, FLAG_NO_STATUS);
	assert_string_equal(d.flags[0].msg, "no status block at physical 0x00002000 "
			    "after 12345 instructions (magic 0x00000000): console: "
			    "\"hv: bad boot arguments: x\"");
	/* ... but not when the user stopped the run first */
	detect_init(&d, 0, 0, GCONF_TLBP_ON);
	assert_int_equal(detect_end(&d, &v, END_INTERRUPTED, NULL), 0);

	/* the hypervisor refused its arguments */
	detect_init(&d, 0, 0, GCONF_TLBP_ON);
	view_init(&v, 4, M);
	v.st.state = STATUS_FAILED;
	assert_int_equal(detect_check(&d, &v), 1);
	assert_int_equal(d.flags[0].kind, FLAG_HV_FAILED);
	assert_int_equal(detect_end(&d, &v, END_RESET, NULL), 0);

	/* reset with guests running; a finished one is fine */
	detect_init(&d, 0, 0, GCONF_TLBP_ON);
	view_init(&v, 2, M);
	assert_int_equal(detect_check(&d, &v), 0);
	assert_int_equal(detect_end(&d, &v, END_RESET, NULL), 1);
	assert_int_equal(d.flags[0].kind, FLAG_RESET);
	assert_string_equal(d.flags[0].msg, "the board was reset before every guest "
			    "stopped (the hypervisor was running)");
	assert_string_equal(flag_title(&d.flags[0]), "board reset with guests still running");
	detect_init(&d, 0, 0, GCONF_TLBP_ON);
	v.st.state = STATUS_FINISHED;
	assert_int_equal(detect_check(&d, &v), 0);
	assert_int_equal(detect_end(&d, &v, END_RESET, NULL), 0);
	assert_int_equal(detect_end(&d, &v, END_DEADLOCK, NULL), 1);
	assert_int_equal(d.flags[0].kind, FLAG_DEADLOCK);
	assert_string_equal(flag_kind_name(FLAG_DEADLOCK), "deadlock");
}

static void test_config(void **state)
{
	(void)state;
	struct detector d;
	struct soak_view v;

	/* g2 runs another flavour: flagged at the first check, and once */
	detect_init(&d, 0, 0, GCONF_TLBP_ON);
	view_init(&v, 3, M);
	v.ks[1][KS_TLBP_CHECK] = GCONF_TLBP_INDEX;
	assert_int_equal(detect_check(&d, &v), 1);
	assert_int_equal(d.flags[0].guest, 2);
	assert_int_equal(d.flags[0].kind, FLAG_CONFIG);
	assert_int_equal(d.flags[0].insns, M);
	assert_string_equal(d.flags[0].msg, "runs tlbp-check=index, the scenario asks for on");
	assert_string_equal(flag_kind_name(FLAG_CONFIG), "config");
	v.insns = 2 * M;
	assert_int_equal(detect_check(&d, &v), 0);
	assert_int_equal(d.nflags, 1);
	assert_int_equal(d.flags[0].insns, M);

	/* the other way round, and a value no flavour has */
	detect_init(&d, 0, 0, GCONF_TLBP_OFF);
	view_init(&v, 2, M);
	v.ks[1][KS_TLBP_CHECK] = GCONF_TLBP_OFF;
	v.ks[0][KS_TLBP_CHECK] = 7;
	assert_int_equal(detect_check(&d, &v), 1);
	assert_int_equal(d.flags[0].guest, 1);
	assert_string_equal(d.flags[0].msg, "runs tlbp-check=7, the scenario asks for off");

	/* every guest runs what the scenario asks for: nothing */
	for (uint32_t f = GCONF_TLBP_OFF; f <= GCONF_TLBP_ON; f++) {
		detect_init(&d, 0, 0, f);
		view_init(&v, 4, M);
		for (unsigned i = 0; i < 4; i++)
			v.ks[i][KS_TLBP_CHECK] = f;
		assert_int_equal(detect_check(&d, &v), 0);
	}

	/* no trusted statistics block (another image, or the kernel has
	 * not registered it yet): nothing to check, until it is there */
	detect_init(&d, 0, 0, GCONF_TLBP_ON);
	view_init(&v, 1, M);
	v.ks_ok[0] = false;
	v.ks[0][KS_MAGIC] = 0;
	v.ks[0][KS_TLBP_CHECK] = GCONF_TLBP_OFF;
	assert_int_equal(detect_check(&d, &v), 0);
	v.insns = 2 * M;
	v.ks_ok[0] = true;
	v.ks[0][KS_MAGIC] = KSTATS_MAGIC;
	assert_int_equal(detect_check(&d, &v), 1);
	assert_int_equal(d.flags[0].insns, 2 * M);
	assert_string_equal(d.flags[0].msg, "runs tlbp-check=off, the scenario asks for on");
}

/* selfcheck=off: the guests send no heartbeats, keep no repeat count and
 * report nothing, so silence, KS_REPEATS and the status block's anomaly
 * count flag nothing (and no guest is marked silent); what the
 * hypervisor's status block says (a bad exit status, a killed guest) and
 * a kernel of another flavour are still flagged. */
static void test_without_guest_reports(void **state)
{
	(void)state;
	struct detector d;
	struct soak_view v;
	detect_init(&d, 5 * M, 100, GCONF_TLBP_ON);
	detect_without_guest_reports(&d);
	view_init(&v, 4, M);
	v.st.g[0].anomalies = 1;
	v.st.g[0].first_anomaly = ANOM_PAGEMASK;
	v.ks[1][KS_REPEATS] = 1000;
	for (uint64_t at = 1; at <= 20; at++) {
		v.insns = at * M;
		assert_int_equal(detect_check(&d, &v), 0);
		assert_int_equal(detect_silence(&d, &v, 3), 0);
	}
	v.st.g[2].state = GSTATE_STOPPED;
	v.st.g[2].exit_status = 3;
	v.st.g[3].state = GSTATE_KILLED;
	v.ks[0][KS_TLBP_CHECK] = GCONF_TLBP_OFF;
	assert_int_equal(detect_check(&d, &v), 3);
	assert_int_equal(d.flags[0].kind, FLAG_CONFIG);
	assert_int_equal(d.flags[1].kind, FLAG_EXIT);
	assert_int_equal(d.flags[2].kind, FLAG_KILLED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing_while_booting),
		cmocka_unit_test(test_pagemask_anomaly),
		cmocka_unit_test(test_other_anomalies),
		cmocka_unit_test(test_pagemask_sizes),
		cmocka_unit_test(test_lockup),
		cmocka_unit_test(test_heartbeat),
		cmocka_unit_test(test_exit_and_killed),
		cmocka_unit_test(test_hypervisor),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_without_guest_reports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
