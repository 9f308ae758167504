/*
 * Flag titles (harness/detect.c) and their IDs (harness/title.c): every
 * anomaly code has a name and a title; a failure's title is the same in
 * two runs that differ in everything else (seed, guest, addresses,
 * counts, instruction counts); titles hold no number but in fixed words;
 * IDs are safe file names, stable and distinct.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "harness/console_watch.h"
#include "harness/detect.h"
#include "harness/title.h"
#include "views.h"
#include <vzsoak/hypercall.h>

#define M 1000000ull

/* Every code of both lists, as the headers give them. */
static const uint32_t codes[] = {
#define CODE(code, sym, detail, name) code,
	KS_ANOMALIES(CODE)
	HC_ANOMALIES(CODE)
#undef CODE
};
#define NCODES (sizeof codes / sizeof codes[0])

/* A view of run `r` (0 or 1): the runs differ in the seed, the guest that
 * fails, its addresses, counts and when it fails. */
static unsigned run_view(struct soak_view *v, unsigned r, uint64_t insns)
{
	unsigned n = r ? 6 : 3, i = r ? 4 : 1;
	view_running(v, n, insns + r * 123457);
	for (unsigned g = 0; g < n; g++) {
		v->st.g[g].heartbeats = 1;
		v->ks_ok[g] = true;
		v->ks[g][KS_MAGIC] = KSTATS_MAGIC;
		v->ks[g][KS_VERSION] = KSTATS_VERSION;
		v->ks[g][KS_TLBP_CHECK] = GCONF_TLBP_ON;
		v->ks[g][KS_SEED] = r ? 77 : 1;
	}
	return i;
}

/* The first flag of `kind` (for an anomaly: with code) in run r. */
static void flag_of(struct flag *out, enum flag_kind kind, uint32_t code, unsigned r)
{
	struct detector d;
	struct soak_view v;
	detect_init(&d, 5 * M, 100, GCONF_TLBP_ON);
	unsigned i = run_view(&v, r, M);
	struct status_guest *g = &v.st.g[i];
	uint32_t *ks = v.ks[i];
	enum run_end end = END_DURATION;
	switch (kind) {
	case FLAG_ANOMALY:
		g->anomalies = r ? 3 : 1;
		g->first_anomaly = code;
		/* the same exception (TLBS), PageMask size (4K) in both, with
		 * other bits around them */
		g->first_detail = code == ANOM_PAGEMASK ? (r ? 0x1000u : 0) :
				  (r ? 0x8000000cu : 0x0000040cu) ^ (r * 0x00400000u);
		g->last_anomaly = r ? ANOM_BADDATA : code;
		g->last_detail = r ? 0x00601004 : g->first_detail;
		ks[KS_PM_BAD_COUNT] = r ? 9 : 1;
		ks[KS_PM_BAD_EPC] = r ? 0x00404050 : 0x0040404c;
		ks[KS_PM_BAD_BADVADDR] = r ? 0x00485000 : 0x00481000;
		ks[KS_BAD_WORDS] = r ? 17 : 1;
		ks[KS_FIRST_BAD_GOT] = r ? 0xdeadbeef : 0x12345678;
		break;
	case FLAG_LOCKUP:
		ks[KS_REPEATS] = r ? 250 : 100;
		ks[KS_LAST_EPC] = r ? 0x00404050 : 0x0040404c;
		ks[KS_LAST_BADVADDR] = r ? 0x00485000 : 0x00481000;
		break;
	case FLAG_HEARTBEAT:
		/* only this guest goes silent: the others have stopped */
		for (unsigned o = 0; o < v.st.guests; o++)
			if (o != i)
				v.st.g[o].state = GSTATE_STOPPED;
		detect_check(&d, &v);
		v.insns += r ? 9 * M : 5 * M;
		break;
	case FLAG_EXIT:
		g->state = GSTATE_STOPPED;
		g->exit_status = r ? 4 : 3;
		break;
	case FLAG_KILLED:
		g->state = GSTATE_KILLED;
		break;
	case FLAG_CONFIG:
		ks[KS_TLBP_CHECK] = r ? GCONF_TLBP_OFF : GCONF_TLBP_INDEX;
		break;
	case FLAG_TRACE:
		/* as tracecheck.c adds it after the run: the finding's title,
		 * this run's evidence */
		detect_add(&d, i + 1, FLAG_TRACE, v.insns, v.sim_ns, v.wall,
			   "shrinking page: a guest's entry replaced in its TLB handler",
			   r ? "entry 40 replaced at insn 9" : "entry 33 replaced at insn 5");
		break;
	case FLAG_CONSOLE: {
		/* a Linux guest's panic, as its console prints it: other numbers,
		 * another time in each run */
		snprintf(g->image, sizeof g->image, "linux");
		char line[160];
		snprintf(line, sizeof line, "g%u: [ %u.%06u] Kernel panic - not syncing: Attempted "
			 "to kill init! exitcode=0x%08x\n", i + 1, r ? 9 : 1, r ? 123456 : 42,
			 r ? 0xbu : 0x4u);
		struct console_watch w;
		console_watch_init(&w);
		console_watch_feed(&w, line, strlen(line), &d, &v);
		console_watch_free(&w);
		break;
	}
	case FLAG_HV_FAILED:
		v.st.state = STATUS_FAILED;
		break;
	case FLAG_NO_STATUS:
		memset(&v.st, 0, sizeof v.st);
		v.st.magic = r ? 0xffffffff : 0;
		v.present = false;
		end = END_RESET;
		break;
	case FLAG_DEADLOCK:
		end = END_DEADLOCK;
		break;
	case FLAG_HALTED:
		end = END_HALTED;
		break;
	case FLAG_RESET:
		v.st.state = r ? STATUS_BOOTING : STATUS_RUNNING;
		end = END_RESET;
		break;
	case FLAG_KINDS:
		break;
	}
	detect_check(&d, &v);
	detect_end(&d, &v, end, r ? "hv: something" : NULL);
	for (unsigned k = 0; k < d.nflags; k++)
		if (d.flags[k].kind == kind) {
			*out = d.flags[k];
			return;
		}
	fail_msg("no %s flag", flag_kind_name(kind));
}

/* A title holds no digit but in the page sizes of the PageMask titles
 * ("16K -> 4K") and an unknown code's number. */
static void assert_wordy(const char *title)
{
	char t[128];
	snprintf(t, sizeof t, "%s", title);
	char *pm = strstr(t, "PageMask 16K -> ");
	if (pm)
		memset(pm, 'x', strlen("PageMask 16K -> 4K"));
	if (strncmp(t, "unknown anomaly 0x", 18) == 0)
		return;
	for (const char *p = t; *p; p++)
		if (*p >= '0' && *p <= '9')
			fail_msg("a number in the title \"%s\"", title);
}

static void test_every_code_named(void **state)
{
	(void)state;
	char t[96];
	for (size_t i = 0; i < NCODES; i++) {
		const char *name = anomaly_name(codes[i]);
		assert_non_null(name);
		assert_true(strlen(name) > 8);
		assert_wordy(name);
		anomaly_title(codes[i], 0, t, sizeof t);
		assert_null(strstr(t, "unknown"));
		assert_wordy(t);
		for (size_t j = 0; j < i; j++)
			assert_int_not_equal(codes[i], codes[j]); /* one space of codes */
	}
	for (unsigned k = 0; k < FLAG_KINDS; k++) {
		if (k == FLAG_ANOMALY) {
			assert_null(flag_kind_title(k));
			continue;
		}
		assert_non_null(flag_kind_title(k));
		assert_wordy(flag_kind_title(k));
	}
}

static void test_titles_stable_across_runs(void **state)
{
	(void)state;
	struct flag a, b;
	for (unsigned k = 0; k < FLAG_KINDS; k++) {
		size_t n = k == FLAG_ANOMALY ? NCODES + 1 : 1;
		for (size_t c = 0; c < n; c++) {
			uint32_t code = c < NCODES ? codes[c] : 0x52; /* and an unknown one */
			flag_of(&a, k, code, 0);
			flag_of(&b, k, code, 1);
			assert_string_equal(flag_title(&a), flag_title(&b));
			assert_wordy(flag_title(&a));
			assert_int_not_equal(a.guest == 0 ? 1 : a.guest, b.guest == 0 ? 2 : b.guest);
			assert_true(a.insns != b.insns || k == FLAG_NO_STATUS);
			/* the details are this run's */
			if (k != FLAG_KILLED && k != FLAG_HV_FAILED && k != FLAG_DEADLOCK &&
			    k != FLAG_HALTED)
				assert_string_not_equal(a.msg, b.msg);
		}
	}
	/* what the title tells apart */
	flag_of(&a, FLAG_ANOMALY, ANOM_PAGEMASK, 0);
	assert_string_equal(flag_title(&a), "shrinking page: PageMask 16K -> 4K after a TLB handler");
	flag_of(&a, FLAG_ANOMALY, ANOM_WORKER, 1);
	assert_string_equal(flag_title(&a), "memory worker: unexpected exception (TLBS)");
	flag_of(&a, FLAG_ANOMALY, 0x52, 1);
	assert_string_equal(flag_title(&a), "unknown anomaly 0x52");
	/* an unknown code's detail is only a value; the latest report is
	 * named by its title */
	assert_string_equal(a.msg, "detail 0x8040000c; 3 reports, the latest: "
			    "memory worker: word read back wrong (VA 0x00601004)");
}

static void test_title_tells_failures_apart(void **state)
{
	(void)state;
	char a[96], b[96];
	anomaly_title(ANOM_PAGEMASK, 0x00000000, a, sizeof a);
	anomaly_title(ANOM_PAGEMASK, 0x0001e000, b, sizeof b);
	assert_string_equal(b, "page size changed: PageMask 16K -> 64K after a TLB handler");
	assert_string_not_equal(a, b);
	anomaly_title(ANOM_KFAULT, 0x00000010, a, sizeof a); /* AdEL */
	anomaly_title(ANOM_KFAULT, 0x00000028, b, sizeof b); /* RI */
	assert_string_equal(a, "stress kernel: unexpected kernel-mode exception (AdEL)");
	assert_string_equal(b, "stress kernel: unexpected kernel-mode exception (RI)");
	anomaly_title(ANOM_KFAULT, 0x00000040, a, sizeof a); /* ExcCode 16: reserved */
	assert_string_equal(a, "stress kernel: unexpected kernel-mode exception (reserved ExcCode)");
	anomaly_title(0xff, 0x1234, a, sizeof a);
	assert_string_equal(a, "unknown anomaly 0xff");
	assert_null(anomaly_name(0xff));
}

static void assert_safe_id(const char *id)
{
	assert_true(strlen(id) > 0 && strlen(id) <= TITLE_ID_MAX);
	assert_true(id[0] != '-' && id[strlen(id) - 1] != '-');
	assert_null(strstr(id, "--"));
	for (const char *p = id; *p; p++)
		assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-');
}

static void test_ids(void **state)
{
	(void)state;
	char id[TITLE_ID_SIZE];
	assert_string_equal(title_id("shrinking page: PageMask 16K -> 4K after a TLB handler", id),
			    "shrinking-page-pagemask-16k-4k-after-a-tlb-handler");
	assert_string_equal(title_id("harness: run hung", id), "harness-run-hung");
	assert_string_equal(title_id("unknown anomaly 0x52", id), "unknown-anomaly-0x52");
	assert_string_equal(title_id("  --: ", id), "untitled");
	assert_string_equal(title_id("", id), "untitled");

	/* every title there is: safe, stable, distinct */
	static char titles[64][96];
	char ids[64][TITLE_ID_SIZE];
	size_t n = 0;
	for (unsigned k = 0; k < FLAG_KINDS; k++)
		if (flag_kind_title(k))
			snprintf(titles[n++], 96, "%s", flag_kind_title(k));
	static const uint32_t details[] = {0, 0x1e000, 0x8, 0x10, 0x28, 0x40};
	for (size_t c = 0; c <= NCODES; c++)
		for (size_t j = 0; j < sizeof details / sizeof details[0]; j++) {
			char t[96];
			anomaly_title(c < NCODES ? codes[c] : 0x52, details[j], t, sizeof t);
			bool seen = false;
			for (size_t i = 0; i < n; i++)
				seen |= strcmp(titles[i], t) == 0;
			if (!seen)
				snprintf(titles[n++], 96, "%s", t);
		}
	snprintf(titles[n++], 96, "%s", TITLE_RUN_HUNG);
	snprintf(titles[n++], 96, "%s", TITLE_RUN_CRASHED);
	assert_true(n < 64);
	for (size_t i = 0; i < n; i++) {
		title_id(titles[i], ids[i]);
		assert_safe_id(ids[i]);
		char again[TITLE_ID_SIZE];
		assert_string_equal(title_id(titles[i], again), ids[i]);
		for (size_t j = 0; j < i; j++)
			if (strcmp(ids[i], ids[j]) == 0)
				fail_msg("\"%s\" and \"%s\" share the ID %s", titles[i],
					 titles[j], ids[i]);
	}

	/* long titles: cut at a word, kept apart by the hash of the whole */
	const char *l1 = "config: the guest kernel runs another tlbp-check than the scenario";
	const char *l2 = "config: the guest kernel runs another tlbp-check than the scenario asks";
	char id2[TITLE_ID_SIZE];
	title_id(l1, id);
	title_id(l2, id2);
	assert_safe_id(id);
	assert_safe_id(id2);
	assert_string_not_equal(id, id2);
	assert_int_equal(strncmp(id, "config-the-guest-kernel-runs-another-tlbp-check-than-the-",
				 57), 0);
	assert_int_equal(strlen(id), strlen("config-the-guest-kernel-runs-another-tlbp-check-than-the") + 9);
	char huge[400];
	memset(huge, 'a', sizeof huge - 1);
	huge[sizeof huge - 1] = 0;
	assert_safe_id(title_id(huge, id));
	assert_safe_id(title_id("\x01\xff\t/../..\\etc", id));
	assert_string_equal(id, "etc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_code_named),
		cmocka_unit_test(test_titles_stable_across_runs),
		cmocka_unit_test(test_title_tells_failures_apart),
		cmocka_unit_test(test_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
