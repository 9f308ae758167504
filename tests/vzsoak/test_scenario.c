/*
 * Soak scenarios (harness/scenario.c): defaults, every key, counts with
 * k/M/G, board options through the caller's check, --set overrides, the
 * boot-argument string, the resolved listing reading back, and the
 * one-line "FILE:LINE: ..." errors; and the boot arguments against the
 * hypervisor's table and parser (<vzsoak/bootargs_parse.h>).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness/scenario.h"
#include <inttypes.h>
#include <stdbool.h>
#include <vzsoak/bootargs_parse.h>

static char err[512];

/* Board options as a fake board knows them: tlbr-bad-index only. */
static int check_board(void *ctx, const char *name, const char *value,
		       char *e, size_t len)
{
	(*(int *)ctx)++;
	if (strcmp(name, "tlbr-bad-index") != 0) {
		snprintf(e, len, "unknown board option '%s'", name);
		return -1;
	}
	if (strcmp(value, "wrap") && strcmp(value, "invalid")) {
		snprintf(e, len, "board option %s: bad value '%s'", name, value);
		return -1;
	}
	return 0;
}

static int checks;

/* len bytes of text, which may hold NUL bytes. */
static int read_bytes(struct scenario *s, const char *text, size_t len)
{
	scenario_defaults(s, "dir/test.scn");
	FILE *f = fmemopen((void *)text, len, "r");
	assert_non_null(f);
	err[0] = 0;
	int rc = scenario_read(s, f, "test.scn", check_board, &checks, err, sizeof err);
	fclose(f);
	return rc;
}

static int read_text(struct scenario *s, const char *text)
{
	scenario_defaults(s, "dir/test.scn");
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(f);
	err[0] = 0;
	int rc = scenario_read(s, f, "test.scn", check_board, &checks, err, sizeof err);
	fclose(f);
	return rc;
}

static void test_defaults(void **state)
{
	(void)state;
	struct scenario s;
	assert_int_equal(read_text(&s, ""), 0);
	assert_string_equal(s.name, "test");
	assert_int_equal(s.guests, 4);
	assert_int_equal(s.seed, 1);
	assert_int_equal(s.quantum, 20000);
	assert_int_equal(s.jitter, 0);
	assert_int_equal(s.sched, SCN_SCHED_RR);
	assert_int_equal(s.preserve, 1);
	assert_int_equal(s.tlbp_check, 2);
	assert_string_equal(s.image, "stress");
	assert_int_equal(s.crashme, 64);
	assert_int_equal(s.worker_pages, 64);
	assert_int_equal(s.selfcheck, 1);
	assert_int_equal(s.trace, 0);
	assert_int_equal(s.duration, 200000000);
	assert_int_equal(s.check_every, 1000000);
	assert_int_equal(s.heartbeat_timeout, 20000000);
	assert_int_equal(s.repeat_limit, 100);
	assert_int_equal(s.stop_on_anomaly, 1);
	assert_int_equal(s.nboard, 0);

	scenario_defaults(&s, NULL);
	assert_string_equal(s.name, "scenario");
	scenario_defaults(&s, "plain");
	assert_string_equal(s.name, "plain");
}

static void test_every_key(void **state)
{
	(void)state;
	struct scenario s;
	checks = 0;
	assert_int_equal(read_text(&s,
		"# a comment\n"
		"\n"
		"name = repro.1\n"
		"  guests=8   # trailing comment\n"
		"seed = 0x10\n"
		"quantum = 8000\r\n"
		"jitter = 300\n"
		"sched = aim\n"
		"preserve = off\n"
		"tlbp-check = index\n"
		"image = stress_chk\n"
		"crashme = 4096\n"
		"worker-pages = 0\n"
		"selfcheck = off\n"
		"trace = on\n"
		"duration = 1G\n"
		"check-every = 500k\n"
		"heartbeat-timeout = 0\n"
		"repeat-limit = 7\n"
		"stop-on-anomaly = no\n"
		"board.tlbr-bad-index = invalid\n"), 0);
	assert_string_equal(err, "");
	assert_string_equal(s.name, "repro.1");
	assert_int_equal(s.guests, 8);
	assert_int_equal(s.seed, 16);
	assert_int_equal(s.quantum, 8000);
	assert_int_equal(s.jitter, 300);
	assert_int_equal(s.sched, SCN_SCHED_AIM);
	assert_int_equal(s.preserve, 0);
	assert_int_equal(s.tlbp_check, 1);
	assert_string_equal(s.image, "stress_chk");
	assert_int_equal(s.crashme, 4096);
	assert_int_equal(s.worker_pages, 0);
	assert_int_equal(s.selfcheck, 0);
	assert_int_equal(s.trace, 1);
	assert_int_equal(s.duration, 1000000000);
	assert_int_equal(s.check_every, 500000);
	assert_int_equal(s.heartbeat_timeout, 0);
	assert_int_equal(s.repeat_limit, 7);
	assert_int_equal(s.stop_on_anomaly, 0);
	assert_int_equal(s.nboard, 1);
	assert_string_equal(s.board[0].name, "tlbr-bad-index");
	assert_string_equal(s.board[0].value, "invalid");
	assert_int_equal(checks, 1); /* the board option went through the check */
}

static void test_counts(void **state)
{
	(void)state;
	struct scenario s;
	static const struct { const char *text; uint64_t value; } good[] = {
		{"1", 1}, {"1k", 1000}, {"1K", 1000}, {"20M", 20000000},
		{"3G", 3000000000ull}, {"1500", 1500}, {"1000000G", 1000000000000000ull},
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		scenario_defaults(&s, NULL);
		assert_int_equal(scenario_set(&s, "duration", good[i].text, NULL, NULL,
					      err, sizeof err), 0);
		assert_int_equal(s.duration, good[i].value);
	}
	static const char *const bad[] = {"", "M", "1.5M", "5x", "1m", "-1", "0",
					  "0x10", "1MM", "99999999999999999999"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		scenario_defaults(&s, NULL);
		assert_int_equal(scenario_set(&s, "duration", bad[i], NULL, NULL, err,
					      sizeof err), -1);
		assert_int_equal(s.duration, 200000000);
	}
	/* 0 turns a detector off */
	assert_int_equal(scenario_set(&s, "heartbeat-timeout", "0", NULL, NULL, err,
				      sizeof err), 0);
	assert_int_equal(s.heartbeat_timeout, 0);
}

static void test_errors(void **state)
{
	(void)state;
	struct scenario s;
	static const struct { const char *text, *msg; } bad[] = {
		{"guests = 4\ncolour = red\n",
		 "test.scn:2: unknown key 'colour' (see vzsoak run --help)"},
		{"\n\nguests = 9\n", "test.scn:3: guests: '9' is not 1..8"},
		{"guests = 0\n", "test.scn:1: guests: '0' is not 1..8"},
		{"guests = four\n", "test.scn:1: guests: 'four' is not 1..8"},
		{"seed = 4294967296\n", "test.scn:1: seed: '4294967296' is not 0..4294967295"},
		{"quantum = 99\n", "test.scn:1: quantum: '99' is not 100..4294967295"},
		{"crashme = 4097\n", "test.scn:1: crashme: '4097' is not 0..4096"},
		{"worker-pages = 513\n", "test.scn:1: worker-pages: '513' is not 0..512"},
		{"worker-pages = 63\n", "test.scn:1: worker-pages: '63' is not even"},
		{"sched = fifo\n", "test.scn:1: sched: 'fifo' is not rr or aim"},
		{"preserve = yes\n", "test.scn:1: preserve: 'yes' is not off or on"},
		{"tlbp-check = maybe\n",
		 "test.scn:1: tlbp-check: 'maybe' is not off, index or on"},
		{"stop-on-anomaly = on\n", "test.scn:1: stop-on-anomaly: 'on' is not no or yes"},
		{"image = Stress\n",
		 "test.scn:1: image: 'Stress' is not an image name (a-z 0-9 - _, up to 15)"},
		{"image = averyveryverylongname\n",
		 "test.scn:1: image: 'averyveryverylongname' is not an image name "
		 "(a-z 0-9 - _, up to 15)"},
		{"name = a/b\n",
		 "test.scn:1: name: 'a/b' is not a name (A-Z a-z 0-9 . - _, up to 63)"},
		{"duration = 5x\n",
		 "test.scn:1: duration: '5x' is not a count of instructions >= 1 "
		 "(e.g. 200M; k, M, G: 10^3, 10^6, 10^9)"},
		{"guests = 2\nseed = 3\nguests = 2\n",
		 "test.scn:3: duplicate key 'guests' (first on line 1)"},
		{"hello\n", "test.scn:1: 'hello' is not key = value"},
		{"guests =\n", "test.scn:1: 'guests = ' is not key = value"},
		{"= 4\n", "test.scn:1: ' = 4' is not key = value"},
		{"board.tlbr-bad-index = maybe\n",
		 "test.scn:1: board option tlbr-bad-index: bad value 'maybe'"},
		{"board.colour = red\n", "test.scn:1: unknown board option 'colour'"},
		{"board.tlbr-bad-index = wrap\nboard.tlbr-bad-index = invalid\n",
		 "test.scn:2: duplicate key 'board.tlbr-bad-index' (first on line 1)"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(read_text(&s, bad[i].text), -1);
		assert_string_equal(err, bad[i].msg);
	}

	char line[600];
	memset(line, 'x', sizeof line);
	memcpy(line, "name = ", 7);
	line[sizeof line - 1] = 0;
	assert_int_equal(read_text(&s, line), -1);
	assert_string_equal(err, "test.scn:1: line longer than 512 bytes");

	assert_int_equal(scenario_load(&s, "/nonexistent/x.scn", NULL, NULL, err,
				       sizeof err), -1);
	assert_string_equal(err, "/nonexistent/x.scn: cannot open: No such file or directory");
}

/* A NUL byte anywhere is its own error, on its own line: not "line too
   long", and the text after it is not dropped. */
static void test_nul_byte(void **state)
{
	(void)state;
	struct scenario s;
	static const struct { const char *text; size_t len; const char *msg; } bad[] = {
#define T(lit) lit, sizeof lit - 1
		{T("guests = 4\0\nseed = 1\n"), "test.scn:1: NUL byte (a scenario is text)"},
		{T("seed = 7\0junk = 9"), "test.scn:1: NUL byte (a scenario is text)"},
		{T("seed = 7\n\0"), "test.scn:2: NUL byte (a scenario is text)"},
		{T("# a comment\0\n"), "test.scn:1: NUL byte (a scenario is text)"},
		{T("\n\nguests = 2\n\0\0\0\n"), "test.scn:4: NUL byte (a scenario is text)"},
#undef T
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(read_bytes(&s, bad[i].text, bad[i].len), -1);
		assert_string_equal(err, bad[i].msg);
	}
	/* On a line too long to keep, the NUL still wins. */
	char line[700];
	memset(line, 'x', sizeof line);
	memcpy(line, "name = ", 7);
	line[600] = 0;
	assert_int_equal(read_bytes(&s, line, sizeof line), -1);
	assert_string_equal(err, "test.scn:1: NUL byte (a scenario is text)");
	/* 512 bytes is a line; the last line needs no newline. */
	memset(line, ' ', 512);
	memcpy(line, "seed = 3", 8);
	assert_int_equal(read_bytes(&s, line, 512), 0);
	assert_int_equal(s.seed, 3);
}

static void test_set_overrides(void **state)
{
	(void)state;
	struct scenario s;
	assert_int_equal(read_text(&s, "guests = 2\nboard.tlbr-bad-index = invalid\n"), 0);
	/* the command line wins, with no duplicate-key error */
	assert_int_equal(scenario_set(&s, "guests", "3", check_board, &checks, err,
				      sizeof err), 0);
	assert_int_equal(scenario_set(&s, "guests", "5", check_board, &checks, err,
				      sizeof err), 0);
	assert_int_equal(s.guests, 5);
	assert_int_equal(scenario_set(&s, "board.tlbr-bad-index", "wrap", check_board,
				      &checks, err, sizeof err), 0);
	assert_int_equal(s.nboard, 1);
	assert_string_equal(s.board[0].value, "wrap");
	/* errors name the key and value; the caller adds the option */
	assert_int_equal(scenario_set(&s, "guests", "9", NULL, NULL, err, sizeof err), -1);
	assert_string_equal(err, "guests: '9' is not 1..8");
	assert_int_equal(s.guests, 5);
	assert_int_equal(scenario_set(&s, "board.colour", "red", check_board, &checks,
				      err, sizeof err), -1);
	assert_string_equal(err, "unknown board option 'colour'");
	assert_int_equal(s.nboard, 1);
}

static void test_bootargs(void **state)
{
	(void)state;
	struct scenario s;
	char args[512];
	scenario_defaults(&s, "x.scn");
	int n = scenario_bootargs(&s, args, sizeof args);
	assert_int_equal(n, (int)strlen(args));
	assert_string_equal(args, "guests=4 seed=1 quantum=20000 jitter=0 sched=rr "
			    "preserve=on tlbp-check=on image=stress crashme=64 "
			    "worker-pages=64 selfcheck=on inject=none trace=off");
	assert_int_equal(read_text(&s, "guests = 2\nsched = aim\npreserve = off\n"
				       "tlbp-check = index\ntrace = on\nseed = 99\n"
				       "inject = ti-lost,stale-index\n"), 0);
	n = scenario_bootargs(&s, args, sizeof args);
	assert_int_equal(n, (int)strlen(args));
	assert_string_equal(args, "guests=2 seed=99 quantum=20000 jitter=0 sched=aim "
			    "preserve=off tlbp-check=index image=stress crashme=64 "
			    "worker-pages=64 selfcheck=on inject=stale-index,ti-lost trace=on");
	/* too small: -1, still terminated */
	assert_int_equal(scenario_bootargs(&s, args, 20), -1);
	assert_true(strlen(args) < 20);
}

static void test_write_reads_back(void **state)
{
	(void)state;
	struct scenario a, b;
	assert_int_equal(read_text(&a, "name = rt\nguests = 3\nseed = 7\nsched = aim\n"
				       "duration = 1500\ncheck-every = 2M\n"
				       "board.tlbr-bad-index = invalid\n"), 0);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	scenario_write(&a, f);
	fclose(f);
	assert_non_null(strstr(text, "duration = 1500\n"));
	assert_non_null(strstr(text, "check-every = 2M\n"));
	assert_non_null(strstr(text, "tlbp-check = on\n"));
	assert_non_null(strstr(text, "board.tlbr-bad-index = invalid\n"));
	assert_int_equal(read_text(&b, text), 0);
	memset(a.set_on_line, 0, sizeof a.set_on_line);
	memset(b.set_on_line, 0, sizeof b.set_on_line);
	a.board[0].line = b.board[0].line = 0;
	assert_memory_equal(&a, &b, sizeof a);
	free(text);

	char v[32];
	assert_string_equal(scenario_value(&a, "sched", v, sizeof v), "aim");
	assert_string_equal(scenario_value(&a, "duration", v, sizeof v), "1500");
	assert_string_equal(scenario_value(&a, "nonsense", v, sizeof v), "");
}

/* The boot arguments a scenario leaves to the hypervisor's defaults, not
 * keys of a soak (its checks assume them). */
static bool hv_only(const char *key)
{
	static const char *const keys[] = {"trace-guests", "ri-exit", "runtime", "rounds",
		"linux-kernel", "linux-initrd"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}

/* Every boot argument of the hypervisor's table (bootargs.def) is either a
 * scenario key with the table's range, choices and help, or one the
 * scenario leaves alone; the scenario's values are refused where the
 * hypervisor refuses them. */
static void test_bootarg_table(void **state)
{
	(void)state;
	struct scenario s;
	char v[64], want[160], *help = NULL;
	size_t hlen = 0;
	FILE *f = open_memstream(&help, &hlen);
	scenario_help(f);
	fclose(f);
	for (unsigned i = 0; i < bootarg_count; i++) {
		const struct bootarg *b = &bootarg_table[i];
		if (b->type == BA_GUEST_IMAGE) {
			scenario_defaults(&s, NULL);
			assert_int_equal(scenario_set(&s, "g1", "demo", NULL, NULL, err,
						      sizeof err), -1);
			continue;
		}
		scenario_defaults(&s, NULL);
		if (scenario_set(&s, b->key, b->def, NULL, NULL, err, sizeof err) != 0) {
			snprintf(want, sizeof want, "unknown key '%s' (see vzsoak run --help)",
				 b->key);
			assert_string_equal(err, want);
			assert_true(hv_only(b->key));
			continue;
		}
		assert_false(hv_only(b->key));
		switch (b->type) {
		case BA_NUMBER: {
			snprintf(want, sizeof want, "\n  %s = %" PRIu32 "..%" PRIu32 " (default ",
				 b->key, b->lo, b->hi);
			assert_non_null(strstr(help, want));
			const uint64_t bad[] = {(uint64_t)b->lo - 1, (uint64_t)b->hi + 1};
			const uint32_t good[] = {b->lo, b->hi};
			for (int j = 0; j < 2; j++) {
				snprintf(v, sizeof v, "%" PRIu32, good[j]);
				assert_int_equal(scenario_set(&s, b->key, v, NULL, NULL, err,
							      sizeof err), 0);
				assert_string_equal(scenario_value(&s, b->key, want, sizeof want), v);
				if (j == 0 && b->lo == 0)
					continue;
				snprintf(v, sizeof v, "%" PRIu64, bad[j]);
				assert_int_equal(scenario_set(&s, b->key, v, NULL, NULL, err,
							      sizeof err), -1);
				snprintf(want, sizeof want, "%s: '%s' is not %" PRIu32 "..%" PRIu32,
					 b->key, v, b->lo, b->hi);
				assert_string_equal(err, want);
			}
			if ((b->flags & BA_EVEN) && b->lo < b->hi) {
				snprintf(v, sizeof v, "%" PRIu32, b->lo + 1);
				assert_int_equal(scenario_set(&s, b->key, v, NULL, NULL, err,
							      sizeof err), -1);
				snprintf(want, sizeof want, "%s: '%s' is not even", b->key, v);
				assert_string_equal(err, want);
			}
			break;
		}
		case BA_ONOFF:
		case BA_CHOICE:
			snprintf(want, sizeof want, "\n  %s = %s (default ", b->key, b->choices);
			assert_non_null(strstr(help, want));
			for (const char *p = b->choices; *p;) {
				size_t n = strcspn(p, "|");
				snprintf(v, sizeof v, "%.*s", (int)n, p);
				assert_int_equal(scenario_set(&s, b->key, v, NULL, NULL, err,
							      sizeof err), 0);
				assert_string_equal(scenario_value(&s, b->key, want, sizeof want), v);
				p += n + (p[n] == '|');
			}
			break;
		case BA_IMAGE:
			snprintf(want, sizeof want, "\n  %s = IMAGE (default ", b->key);
			assert_non_null(strstr(help, want));
			assert_int_equal(scenario_set(&s, b->key, "abcdefghijklmnop", NULL, NULL,
						      err, sizeof err), -1);
			break;
		case BA_SET: {
			/* two names joined (in either order), "none"; an unknown name
			 * and an empty one refused */
			assert_memory_equal(b->choices, "none|", 5);
			char first[32], second[32], both[80];
			snprintf(first, sizeof first, "%.*s", (int)strcspn(b->choices + 5, "|"),
				 b->choices + 5);
			const char *p = b->choices + 5 + strlen(first) + 1;
			snprintf(second, sizeof second, "%.*s", (int)strcspn(p, "|"), p);
			snprintf(both, sizeof both, "%s,%s", second, first);
			assert_int_equal(scenario_set(&s, b->key, both, NULL, NULL, err,
						      sizeof err), 0);
			/* written back in the table's order */
			snprintf(want, sizeof want, "%s,%s", first, second);
			assert_string_equal(scenario_value(&s, b->key, v, sizeof v), want);
			assert_int_equal(scenario_set(&s, b->key, "none", NULL, NULL, err,
						      sizeof err), 0);
			assert_string_equal(scenario_value(&s, b->key, v, sizeof v), "none");
			assert_int_equal(scenario_set(&s, b->key, "nonesuch", NULL, NULL, err,
						      sizeof err), -1);
			assert_non_null(strstr(err, "joined by commas"));
			assert_int_equal(scenario_set(&s, b->key, "", NULL, NULL, err,
						      sizeof err), -1);
			break;
		}
		case BA_GUEST_IMAGE:
			break;
		}
		/* the help is the table's (its first words, before any wrap) */
		snprintf(want, sizeof want, "%.20s", b->help);
		assert_non_null(strstr(help, want));
	}
	free(help);
}

/* The hypervisor reads a scenario's boot-argument string back as the
 * scenario's values: its defaults but for the two the harness chooses
 * (image=stress, trace=off), and whatever a scenario sets. */
static void test_bootargs_read_by_hv(void **state)
{
	(void)state;
	struct scenario s;
	struct hv_args want, got;
	char args[512], herr[96];

	scenario_defaults(&s, NULL);
	assert_true(scenario_bootargs(&s, args, sizeof args) > 0);
	hv_args_defaults(&want);
	hv_args_defaults(&got);
	assert_int_equal(hv_args_parse(&got, args, sizeof args, herr, sizeof herr), 0);
	assert_int_equal(got.trace, 0);
	for (int g = 0; g < HV_MAX_GUESTS; g++)
		assert_string_equal(got.image[g], "stress");
	got.trace = want.trace;
	memcpy(got.image, want.image, sizeof got.image);
	assert_memory_equal(&got, &want, sizeof got);

	assert_int_equal(read_text(&s, "guests = 7\nseed = 0x12345678\nquantum = 100\n"
				       "jitter = 9\nsched = aim\npreserve = off\n"
				       "tlbp-check = index\nimage = crit\ncrashme = 0\n"
				       "worker-pages = 512\nselfcheck = off\ntrace = on\n"), 0);
	assert_true(scenario_bootargs(&s, args, sizeof args) > 0);
	hv_args_defaults(&got);
	assert_int_equal(hv_args_parse(&got, args, sizeof args, herr, sizeof herr), 0);
	assert_int_equal(got.guests, s.guests);
	assert_int_equal(got.seed, s.seed);
	assert_int_equal(got.quantum, s.quantum);
	assert_int_equal(got.jitter, s.jitter);
	assert_int_equal(got.sched, s.sched);
	assert_int_equal(got.preserve, s.preserve);
	assert_int_equal(got.tlbp_check, s.tlbp_check);
	assert_string_equal(got.image[0], s.image);
	assert_int_equal(got.crashme, s.crashme);
	assert_int_equal(got.worker_pages, s.worker_pages);
	assert_int_equal(got.selfcheck, s.selfcheck);
	assert_int_equal(got.trace, s.trace);
}

/* selfcheck: on by default (the stress kernel checks itself); off from a
 * file or --set, written back as such, and passed to the hypervisor, which
 * reads it as its own boot argument; a value the hypervisor would refuse
 * is refused with its choices named. */
static void test_selfcheck(void **state)
{
	(void)state;
	struct scenario s;
	struct hv_args got;
	char args[512], v[16], herr[96];

	scenario_defaults(&s, NULL);
	assert_int_equal(s.selfcheck, 1);
	assert_string_equal(scenario_value(&s, "selfcheck", v, sizeof v), "on");
	assert_int_equal(read_text(&s, "selfcheck = off\n"), 0);
	assert_int_equal(s.selfcheck, 0);
	assert_string_equal(scenario_value(&s, "selfcheck", v, sizeof v), "off");
	assert_true(scenario_bootargs(&s, args, sizeof args) > 0);
	assert_non_null(strstr(args, " selfcheck=off "));
	hv_args_defaults(&got);
	assert_int_equal(got.selfcheck, 1);
	assert_int_equal(hv_args_parse(&got, args, sizeof args, herr, sizeof herr), 0);
	assert_int_equal(got.selfcheck, 0);

	assert_int_equal(scenario_set(&s, "selfcheck", "on", NULL, NULL, err,
				      sizeof err), 0);
	assert_int_equal(s.selfcheck, 1);
	assert_int_equal(scenario_set(&s, "selfcheck", "maybe", NULL, NULL, err,
				      sizeof err), -1);
	assert_string_equal(err, "selfcheck: 'maybe' is not off or on");
	assert_int_equal(s.selfcheck, 1);
	assert_int_equal(read_text(&s, "selfcheck = off\nselfcheck = on\n"), -1);
	assert_string_equal(err, "test.scn:2: duplicate key 'selfcheck' (first on line 1)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_set_overrides),
		cmocka_unit_test(test_bootargs),
		cmocka_unit_test(test_write_reads_back),
		cmocka_unit_test(test_bootarg_table),
		cmocka_unit_test(test_bootargs_read_by_hv),
		cmocka_unit_test(test_selfcheck),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
