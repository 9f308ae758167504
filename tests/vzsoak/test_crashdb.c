/*
 * crashdb.c's readings (harness/crashdb.h): what a run came to, from its
 * summary.txt and its wait status (the one place vzsoak soak reads a
 * summary), the titles, and the journal's torn last line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/crashdb.h"

/* Wait statuses as waitpid reports them. */
#define EXITED(n) ((n) << 8)
#define SIGNALED(s) (s)

static const char flagged[] =
	"scenario: fake, seed 3: ...\n"
	"run: 450000 instructions (2.2% of 20M), 0.000450 s simulated, 0.0 s wall; "
	"stopped at the first flag (stop-on-anomaly = yes)\n"
	"\nflags (title; time to failure):\n"
	"  lockup: the same TLB fault repeats\n"
	"    g2 lockup at 450000 instructions (0.000450 s simulated, 0.010 s wall): "
	"repeats the same TLB fault 120 times: EPC 0x0040404c BadVAddr 0x00481000\n"
	"  shrinking page: PageMask 16K -> 4K after a TLB handler\n"
	"    g3 anomaly at 500000 instructions (0.000500 s simulated, 0.010 s wall): "
	"PageMask 0x00000000, left by a TLB handler at EPC 0x0000404c\n"
	"reproduce: vzsoak run fake.scn --seed 3\n"
	"result: ANOMALY g2 lockup at 450000 instructions (0.000450 s simulated, "
	"0.010 s wall), 2 flags in all: lockup: the same TLB fault repeats: "
	"repeats the same TLB fault 120 times: EPC 0x0040404c BadVAddr 0x00481000\n";

static const char clean[] =
	"run: 859706 instructions (4.3% of 20M), 0.000860 s simulated, 0.1 s wall; "
	"the hypervisor reset the board\n"
	"flags: none\n"
	"reproduce: vzsoak run fake.scn --seed 2\n"
	"result: clean (859706 instructions, 0.000860 s simulated, 0.1 s wall)\n";

static void test_flagged(void **state)
{
	(void)state;
	struct run_result r;
	result_classify(flagged, EXITED(1), false, 1.5, &r);
	assert_int_equal(r.outcome, OUT_FLAGGED);
	assert_string_equal(r.title, "lockup: the same TLB fault repeats");
	assert_string_equal(r.titles, "lockup: the same TLB fault repeats | "
			    "shrinking page: PageMask 16K -> 4K after a TLB handler");
	assert_int_equal(r.insns, 450000);
	assert_int_equal(r.ttf, 450000);
}

/* The result line names the run's flag: a guest's before the
 * hypervisor's, whatever came first. */
static const char guest_first[] =
	"run: 900 instructions (...)\n"
	"flags (title; time to failure):\n"
	"  board reset with guests still running\n"
	"    hv reset at 800 instructions (0.1 s simulated, 0.1 s wall): the board was reset before\n"
	"  guest stopped with an error status\n"
	"    g3 exit at 900 instructions (0.1 s simulated, 0.1 s wall): stopped with exit status 3\n"
	"reproduce: x\n"
	"result: ANOMALY g3 exit at 900 instructions (0.1 s simulated, 0.1 s wall), "
	"2 flags in all: guest stopped with an error status: stopped with exit status 3\n";

static void test_result_flag(void **state)
{
	(void)state;
	struct run_result r;
	result_classify(guest_first, EXITED(1), false, 1, &r);
	assert_int_equal(r.outcome, OUT_FLAGGED);
	assert_string_equal(r.title, "guest stopped with an error status");
	assert_string_equal(r.titles, "guest stopped with an error status | "
			    "board reset with guests still running");
	assert_int_equal(r.ttf, 900);
}

static void test_clean(void **state)
{
	(void)state;
	struct run_result r;
	result_classify(clean, EXITED(0), false, 1.5, &r);
	assert_int_equal(r.outcome, OUT_CLEAN);
	assert_string_equal(r.title, "");
	assert_int_equal(r.insns, 859706);
	assert_true(r.ttf == NO_TTF);
}

/* A signal, a sanitizer's exit without a summary, the watchdog, another
 * status: the harness's own titles, whatever the summary says. */
static void test_harness_titles(void **state)
{
	(void)state;
	struct run_result r;
	result_classify(NULL, SIGNALED(SIGSEGV), false, 1, &r);
	assert_int_equal(r.outcome, OUT_CRASHED);
	assert_string_equal(r.title, "harness: run crashed");
	result_classify(NULL, EXITED(1), false, 1, &r);
	assert_int_equal(r.outcome, OUT_CRASHED);
	result_classify(clean, SIGNALED(SIGKILL), false, 1, &r);
	assert_int_equal(r.outcome, OUT_CRASHED);
	result_classify(flagged, EXITED(143), true, 1, &r);
	assert_int_equal(r.outcome, OUT_HUNG);
	assert_string_equal(r.title, "harness: run hung");
	assert_non_null(strstr(r.titles, " | lockup: the same TLB fault repeats"));
	assert_true(r.ttf == NO_TTF);
	result_classify(clean, EXITED(70), false, 1, &r);
	assert_int_equal(r.outcome, OUT_FAILED);
	assert_string_equal(r.title, "harness: run failed (exit 70)");
	result_classify(NULL, EXITED(70), false, 1, &r);
	assert_int_equal(r.outcome, OUT_FAILED);
}

/* A last line without its newline is cut off the file; a bad whole line
 * is an error. */
static void test_torn_journal(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_crashdb.XXXXXX", path[64], err[256];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/journal", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("# header\n1\tfake\tclean\t100\t0.5\t-\t0\t-\n"
	      "2\tfake\tflagged\t50\t0.5\t40\t0\tlockup: x | exit: y\n3\tfa", f);
	assert_int_equal(fclose(f), 0);
	struct journal j;
	assert_int_equal(journal_load(&j, dir, err, sizeof err), 0);
	assert_int_equal(j.n, 2);
	assert_true(journal_has(&j, "fake", 2));
	assert_false(journal_has(&j, "fake", 3));
	assert_string_equal(j.e[1].r.title, "lockup: x");
	assert_int_equal(j.e[1].r.ttf, 40);
	journal_free(&j);
	f = fopen(path, "r");
	char buf[256];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	assert_int_equal(buf[n - 1], '\n');

	f = fopen(path, "a");
	fputs("4\tfake\tbogus\t1\t1\t-\t0\t-\n", f);
	fclose(f);
	assert_int_equal(journal_load(&j, dir, err, sizeof err), -1);
	assert_non_null(strstr(err, "journal:4: not a journal line"));
	journal_free(&j);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flagged),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_result_flag),
		cmocka_unit_test(test_harness_titles),
		cmocka_unit_test(test_torn_journal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
