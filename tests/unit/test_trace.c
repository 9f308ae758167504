/*
 * The trace unit of vzsim, end to end through libpdtrace: a program runs
 * with trace on, the trace file is decoded, and the records must be the
 * ones docs/trace-format.md says the program's execution produces, record
 * for record; the on-chip TCB memory must hold the same words as the
 * off-chip stream.
 */
#include "sim_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pdtrace/pdtrace.h>

#define MAX_RECS 4096

struct trace {
	struct pdt_record r[MAX_RECS];
	size_t n;
};

static void tmp_path(char *buf, size_t len, const char *what)
{
	snprintf(buf, len, "/tmp/vzsoak-test-trace-%ld-%s.vzt", (long)getpid(), what);
}

/* Decodes a whole trace file into t (fails the test on a bad file). */
static void decode_file(const char *path, struct trace *t)
{
	struct pdt_file f;
	uint64_t off = 0;
	int rc = pdt_file_open(&f, path, &off);
	if (rc != 0)
		fail_msg("%s: %s at offset %llu", path, pdt_errstr(rc),
			 (unsigned long long)off);
	struct pdt_decoder d;
	pdt_dec_init(&d, f.words, f.len);
	t->n = 0;
	while (t->n < MAX_RECS && pdt_dec_next(&d, &t->r[t->n]) == 0)
		t->n++;
	pdt_file_close(&f);
}

static void start_trace(vzsim *sim, const char *path, bool data, unsigned syp)
{
	char err[256];
	struct vzsim_trace_opts o = {.data = data, .syp = syp, .command = "test"};
	if (vzsim_trace_start(sim, path, &o, err, sizeof err) != 0)
		fail_msg("vzsim_trace_start: %s", err);
}

static void finish_trace(vzsim *sim)
{
	char err[256];
	if (vzsim_trace_finish(sim, err, sizeof err) != 0)
		fail_msg("vzsim_trace_finish: %s", err);
}

/* The records of a short program: loop, UTM, jr, syscall. */
static void test_records_follow_execution(void **state)
{
	vzsim *sim = *state;
	char path[128];
	tmp_path(path, sizeof path, "records");
	uint32_t target = H_CODE + 11 * 4;
	h_prog(sim, PROG(enc_addiu(T0, ZERO, 3),           /* 0 */
			 enc_addiu(T1, ZERO, 0x55),        /* 1 */
			 enc_addiu(T0, T0, -1),            /* 2 */
			 enc_bne(T0, ZERO, -2),            /* 3: T, T, N */
			 enc_nop(),                        /* 4 */
			 enc_mtc0(T1, 23, 3),              /* 5: UserTraceData1 */
			 enc_lui(T2, target >> 16),        /* 6 */
			 enc_ori(T2, T2, target & 0xffff), /* 7 */
			 enc_jr(T2),                       /* 8 */
			 enc_nop(),                        /* 9 */
			 enc_nop(),                        /* 10: jumped over */
			 enc_syscall(0)));                 /* 11 */
	start_trace(sim, path, false, 7);
	assert_int_equal(h_run(sim, 1000), VZSIM_STOP_DEADLOCK);
	finish_trace(sim);

	static struct trace t;
	decode_file(path, &t);
	remove(path);
	/* Executed: 3 + 3 loop passes (addiu, bne, nop) = 11 before the mtc0;
	 * the bne outcomes T T N; the mtc0 (index 11); lui, ori, jr; the jr's
	 * slot; the syscall faults; the vector's wait completes. */
	size_t i = 0;
	assert_true(t.n >= 9);
	assert_int_equal(t.r[i].type, PDT_SYNC);
	assert_int_equal(t.r[i].sync.pc, H_CODE);
	assert_int_equal(t.r[i].sync.ctx.ksu, PDT_KERNEL);
	assert_false(t.r[i].sync.ctx.guest);
	uint64_t base = t.r[i].sync.index;
	i++;
	/* ICNT and BRANCH of the stretch before the UTM, in either order. */
	uint64_t icnt = 0, nbr = 0;
	uint8_t bits = 0;
	while (t.r[i].type == PDT_ICNT || t.r[i].type == PDT_BRANCH) {
		if (t.r[i].type == PDT_ICNT) {
			icnt += t.r[i].icnt.n;
		} else {
			bits |= (uint8_t)(t.r[i].branch.bits << nbr);
			nbr += t.r[i].branch.n;
		}
		i++;
	}
	assert_int_equal(icnt, 9); /* 12 instructions less the 3 branches */
	assert_int_equal(nbr, 3);
	assert_int_equal(bits, 0x3); /* taken, taken, not taken */
	assert_int_equal(t.r[i].type, PDT_UTM);
	assert_int_equal(t.r[i].utm.chan, 1);
	assert_int_equal(t.r[i].utm.value, 0x55);
	i++;
	assert_int_equal(t.r[i].type, PDT_ICNT);
	assert_int_equal(t.r[i].icnt.n, 3); /* lui, ori, jr */
	i++;
	assert_int_equal(t.r[i].type, PDT_TARGET);
	assert_int_equal(t.r[i].target.pc, target);
	i++;
	assert_int_equal(t.r[i].type, PDT_ICNT);
	assert_int_equal(t.r[i].icnt.n, 1); /* the slot; the syscall faults */
	i++;
	assert_int_equal(t.r[i].type, PDT_EXCEPTION);
	assert_int_equal(t.r[i].exc.code, EXC_SYS);
	assert_int_equal(t.r[i].exc.vector, H_VEC_GEN);
	i++;
	assert_int_equal(t.r[i].type, PDT_MODE);
	assert_true(t.r[i].mode.exl);
	i++;
	assert_int_equal(t.r[i].type, PDT_ICNT); /* the vector's wait */
	assert_int_equal(t.r[i].icnt.n, 1);
	assert_int_equal(h_insns(sim) - base, 12 + 4 + 1 + 1);
}

/* Every executed instruction is accounted for: completed ones in ICNT and
 * BRANCH, faulting ones by EXCEPTION (interrupts take none). */
static void test_accounting_matches_instruction_count(void **state)
{
	vzsim *sim = *state;
	char path[128];
	tmp_path(path, sizeof path, "count");
	/* A loop of 200 passes with a load, a store and a taken branch. */
	h_prog(sim, PROG(enc_addiu(T0, ZERO, 200),
			 enc_lui(T3, H_DATA >> 16),
			 enc_lw(T1, 0, T3),
			 enc_addiu(T1, T1, 1),
			 enc_sw(T1, 0, T3),
			 enc_addiu(T0, T0, -1),
			 enc_bne(T0, ZERO, -5),
			 enc_nop()));
	start_trace(sim, path, true, 0); /* data trace, a SYNC every 32 */
	uint64_t before = h_insns(sim);
	assert_int_equal(h_run(sim, 100000), VZSIM_STOP_DEADLOCK);
	finish_trace(sim);
	static struct trace t;
	decode_file(path, &t);
	remove(path);
	uint64_t done = 0, syncs = 0, loads = 0, stores = 0;
	for (size_t i = 0; i < t.n; i++) {
		const struct pdt_record *r = &t.r[i];
		if (r->type == PDT_ICNT)
			done += r->icnt.n;
		else if (r->type == PDT_BRANCH)
			done += r->branch.n;
		else if (r->type == PDT_SYNC) {
			/* A sync accounts for everything before its index. */
			assert_true(r->sync.index - before >= done);
			done = r->sync.index - before;
			syncs++;
		} else if (r->type == PDT_MEM) {
			if (r->mem.store)
				stores++;
			else
				loads++;
			assert_int_equal(r->mem.addr, H_DATA);
			assert_true(r->mem.has_data);
		} else if (r->type == PDT_GAP) {
			fail_msg("gap at %llu", (unsigned long long)r->offset);
		}
	}
	assert_int_equal(done, h_insns(sim) - before);
	assert_int_equal(loads, 200);
	assert_int_equal(stores, 200);
	assert_true(syncs >= (h_insns(sim) - before) / 32 - 1);
}

/* The on-chip memory holds the off-chip stream's words: all of them while
 * it has not wrapped, its newest ones once it has. */
static void check_onchip(vzsim *sim, const char *stream, const char *onchip)
{
	struct pdt_file a, b;
	uint64_t off;
	assert_int_equal(pdt_file_open(&a, stream, &off), 0);
	assert_int_equal(pdt_file_open(&b, onchip, &off), 0);
	assert_true(b.info.flags & PDT_FLAG_ONCHIP);
	assert_true(a.info.flags & PDT_FLAG_OFFCHIP);
	assert_true(b.len <= a.len);
	assert_true(b.len > 0);
	assert_memory_equal(b.words, a.words + (a.len - b.len), b.len);
	uint32_t in_mem;
	assert_int_equal(vzsim_trace_words(sim, &in_mem) * 8, a.len);
	assert_int_equal((uint64_t)in_mem * 8, b.len);
	pdt_file_close(&a);
	pdt_file_close(&b);
}

static void run_for_tcb(vzsim *sim, const char *size, bool expect_wrap)
{
	char stream[128], onchip[128], err[256];
	tmp_path(stream, sizeof stream, "stream");
	tmp_path(onchip, sizeof onchip, "onchip");
	h_opt(sim, "tcb-size", size);
	h_prog(sim, PROG(enc_addiu(T0, ZERO, 300),
			 enc_addiu(T0, T0, -1),
			 enc_mtc0(T0, 24, 3), /* a UTM every pass */
			 enc_bne(T0, ZERO, -3),
			 enc_nop()));
	start_trace(sim, stream, false, 5);
	assert_int_equal(h_run(sim, 100000), VZSIM_STOP_DEADLOCK);
	finish_trace(sim);
	if (vzsim_tcb_save(sim, onchip, err, sizeof err) != 0)
		fail_msg("vzsim_tcb_save: %s", err);
	uint32_t in_mem;
	uint64_t words = vzsim_trace_words(sim, &in_mem);
	assert_true(expect_wrap ? words > in_mem : words == in_mem);
	check_onchip(sim, stream, onchip);
	remove(stream);
	remove(onchip);
}

static void test_onchip_equals_stream(void **state)
{
	run_for_tcb(*state, "1048576", false);
}

static void test_onchip_wraps_to_newest_words(void **state)
{
	run_for_tcb(*state, "256", true);
}

/* The header says how the program was started: the boot arguments last
 * given before the capture (none: ""), in the stream and the on-chip
 * memory's file alike. */
static void check_bootargs(const char *path, const char *want)
{
	struct pdt_file f;
	uint64_t off;
	assert_int_equal(pdt_file_open(&f, path, &off), 0);
	assert_string_equal(f.info.bootargs, want);
	pdt_file_close(&f);
}

static void test_header_has_bootargs(void **state)
{
	vzsim *sim = *state;
	char stream[128], onchip[128], err[256];
	tmp_path(stream, sizeof stream, "args-stream");
	tmp_path(onchip, sizeof onchip, "args-onchip");
	h_prog(sim, PROG(enc_addiu(T0, ZERO, 7), enc_mtc0(T0, 23, 3)));
	start_trace(sim, stream, false, 5);
	finish_trace(sim);
	check_bootargs(stream, "");

	assert_int_equal(vzsim_set_bootargs(sim, "guests=1", err, sizeof err), 0);
	assert_int_equal(vzsim_set_bootargs(sim, "guests=2 image=stress seed=9", err,
					    sizeof err), 0);
	start_trace(sim, stream, false, 5);
	assert_int_equal(h_run(sim, 1000), VZSIM_STOP_DEADLOCK);
	finish_trace(sim);
	if (vzsim_tcb_save(sim, onchip, err, sizeof err) != 0)
		fail_msg("vzsim_tcb_save: %s", err);
	check_bootargs(stream, "guests=2 image=stress seed=9");
	check_bootargs(onchip, "guests=2 image=stress seed=9");
	remove(stream);
	remove(onchip);
}

/* No trace requested: no words at all, and the CP0 trace registers exist. */
static void test_trace_off_writes_nothing(void **state)
{
	vzsim *sim = *state;
	h_prog(sim, PROG(enc_addiu(T0, ZERO, 7), enc_mtc0(T0, 23, 3)));
	assert_int_equal(h_run(sim, 1000), VZSIM_STOP_DEADLOCK);
	assert_int_equal(vzsim_trace_words(sim, NULL), 0);
	assert_int_equal(h_cp0(sim, 23, 3), 7);         /* UserTraceData1 */
	assert_int_equal(h_cp0(sim, 16, 3) & 1u, 1u);   /* Config3.TL */
}

/* A program that takes over with TraceControl.TS = 1 traces only what its
 * own filter selects: here user mode only, so the kernel's UTM is not
 * traced. */
static void test_program_controls_trace(void **state)
{
	vzsim *sim = *state;
	char path[128];
	tmp_path(path, sizeof path, "ts");
	/* TS | U | G | On: trace user mode, any ASID. */
	uint32_t ctl = (1u << 31) | (1u << 21) | (1u << 4) | 1u;
	h_prog(sim, PROG(enc_lui(T0, ctl >> 16), enc_ori(T0, T0, ctl & 0xffff),
			 enc_mtc0(T0, 23, 1), enc_addiu(T1, ZERO, 9),
			 enc_mtc0(T1, 23, 3)));
	start_trace(sim, path, false, 7);
	assert_int_equal(h_run(sim, 1000), VZSIM_STOP_DEADLOCK);
	finish_trace(sim);
	static struct trace t;
	decode_file(path, &t);
	remove(path);
	for (size_t i = 0; i < t.n; i++)
		assert_int_not_equal(t.r[i].type, PDT_UTM);
	assert_int_equal(h_cp0(sim, 23, 1), ctl);
}

/* The read-out sequence a debugger uses over the TAP gives the same words
 * as the on-chip dump: stop, size the buffer, point RDP at the oldest word,
 * read TW word by word. */
static void test_tcb_readout_through_registers(void **state)
{
	vzsim *sim = *state;
	char onchip[128], err[256];
	tmp_path(onchip, sizeof onchip, "regs");
	h_opt(sim, "tcb-size", "512");
	h_prog(sim, PROG(enc_addiu(T0, ZERO, 200), enc_addiu(T0, T0, -1),
			 enc_mtc0(T0, 24, 3), enc_bne(T0, ZERO, -3), enc_nop()));
	start_trace(sim, NULL, false, 5);
	assert_int_equal(h_run(sim, 100000), VZSIM_STOP_DEADLOCK);
	if (vzsim_tcb_save(sim, onchip, err, sizeof err) != 0)
		fail_msg("vzsim_tcb_save: %s", err);

	uint64_t b, cfg, wrp;
	assert_int_equal(vzsim_tcb_write(sim, VZSIM_TCB_CONTROLB, 1ull << 31), 0); /* WE, EN=0 */
	assert_int_equal(vzsim_tcb_read(sim, VZSIM_TCB_CONFIG, &cfg), 0);
	assert_int_equal(vzsim_tcb_read(sim, VZSIM_TCB_WRP, &wrp), 0);
	assert_int_equal(vzsim_tcb_read(sim, VZSIM_TCB_CONTROLB, &b), 0);
	assert_int_equal((cfg >> 17) & 15, 1); /* SZ: 2^(1+8) = 512 bytes */
	assert_true(b & (1u << 14));          /* BF: it wrapped */
	uint64_t bytes = (b & (1u << 14)) ? 512u : wrp;
	assert_int_equal(vzsim_tcb_write(sim, VZSIM_TCB_RDP, (b & (1u << 14)) ? wrp : 0), 0);
	struct pdt_file f;
	uint64_t off;
	assert_int_equal(pdt_file_open(&f, onchip, &off), 0);
	assert_int_equal(f.len, bytes);
	for (uint64_t i = 0; i < bytes / 8; i++) {
		uint64_t w, want;
		assert_int_equal(vzsim_tcb_read(sim, VZSIM_TCB_TW, &w), 0);
		memcpy(&want, f.words + i * 8, 8);
		assert_int_equal(w, want);
	}
	pdt_file_close(&f);
	remove(onchip);
	/* TCBControlA reads back the debugger's controls: On, E K S U, G. */
	uint64_t a;
	assert_int_equal(vzsim_tcb_read(sim, VZSIM_TCB_CONTROLA, &a), 0);
	assert_int_equal(a & 0x1f011u, 0x1e011u);
}

/* ------------------------------------------------------------ the window */

enum win_case { WIN_WHOLE, WIN_CUT, WIN_NO_SYNC };

/* A loop with a UTM every pass (5-byte records, so records straddle words
 * and a cut falls inside one), passes times, traced with a SYNC every
 * 2^(syp+5) instructions. */
static void run_window_prog(vzsim *sim, const char *path, uint64_t window, unsigned syp,
			    uint32_t passes)
{
	h_prog(sim, PROG(enc_lui(T0, passes >> 16), enc_ori(T0, T0, passes & 0xffff),
			 enc_addiu(T0, T0, -1),
			 enc_mtc0(T0, 23, 3),
			 enc_bne(T0, ZERO, -3),
			 enc_nop()));
	char err[256];
	struct vzsim_trace_opts o = {.syp = syp, .command = "test", .window = window};
	if (vzsim_trace_start(sim, path, &o, err, sizeof err) != 0)
		fail_msg("vzsim_trace_start: %s", err);
	assert_int_equal(h_run(sim, 10000000), VZSIM_STOP_DEADLOCK);
	finish_trace(sim);
}

/*
 * The same program traced whole and through a window of `window` bytes: the window's words are the
 * whole trace's from where the header says the window starts, and it
 * starts at a SYNC whose index the header holds (or, no SYNC in it, is
 * the ring as it was).  Returns the whole trace's length.
 */
static uint64_t check_window(vzsim *sim, uint64_t window, unsigned syp, uint32_t passes,
			     enum win_case want)
{
	char whole[128], win[128];
	tmp_path(whole, sizeof whole, "whole");
	tmp_path(win, sizeof win, "window");
	/* Fresh boards, so that both runs are the same instruction for
	 * instruction, indexes included. */
	(void)sim;
	vzsim *fa = h_new(), *fb = h_new();
	h_setup(fa);
	h_setup(fb);
	run_window_prog(fa, whole, 0, syp, passes);
	run_window_prog(fb, win, window, syp, passes);
	assert_int_equal(vzsim_trace_words(fb, NULL), vzsim_trace_words(fa, NULL));
	h_free(fa);
	h_free(fb);

	struct pdt_file a, w;
	uint64_t off;
	assert_int_equal(pdt_file_open(&a, whole, &off), 0);
	assert_int_equal(pdt_file_open(&w, win, &off), 0);
	assert_false(a.info.has_window);
	assert_true(w.info.has_window);
	assert_true(w.info.flags & PDT_FLAG_OFFCHIP);
	assert_int_equal(w.info.window_size, window);
	assert_string_equal(w.info.command, "test");
	assert_true(w.len <= window);
	assert_int_equal(w.info.window_dropped + w.len, a.len);
	assert_memory_equal(w.words, a.words + w.info.window_dropped, w.len);
	uint64_t cut = a.len > window ? a.len - window : 0; /* the ring's own */

	struct pdt_decoder d;
	struct pdt_record r;
	pdt_dec_init(&d, w.words, w.len);
	assert_int_equal(pdt_dec_next(&d, &r), 0);
	switch (want) {
	case WIN_WHOLE:
		assert_int_equal(w.info.window_dropped, 0);
		assert_int_equal(w.len, a.len);
		break;
	case WIN_CUT:
		/* Moved on from the ring's cut to a SYNC: the record the cut
		 * fell in, and the rest of its stretch, are not there. */
		assert_true(w.info.window_dropped > cut);
		assert_int_equal(r.type, PDT_SYNC);
		assert_int_equal(r.offset, 0);
		assert_int_equal(r.sync.index, w.info.window_index);
		/* And no gap after it. */
		while (pdt_dec_next(&d, &r) == 0)
			assert_int_not_equal(r.type, PDT_GAP);
		break;
	case WIN_NO_SYNC:
		assert_int_equal(w.info.window_index, PDT_WINDOW_NO_SYNC);
		assert_int_equal(w.info.window_dropped, cut);
		assert_int_equal(w.len, window);
		assert_int_equal(r.type, PDT_GAP);
		assert_int_equal(r.gap.why, PDT_GAP_UNSYNCED);
		assert_int_equal(r.gap.skipped, window);
		break;
	}
	uint64_t len = a.len;
	pdt_file_close(&a);
	pdt_file_close(&w);
	remove(whole);
	remove(win);
	return len;
}

/* A window larger than the whole trace is the whole trace. */
static void test_window_larger_than_trace(void **state)
{
	check_window(*state, 1u << 20, 0, 300, WIN_WHOLE);
}

/* Exactly full: the ring holds every word, nothing dropped; one word
 * more and the window starts at a later SYNC. */
static void test_window_exactly_full(void **state)
{
	uint64_t len = check_window(*state, 1u << 20, 0, 300, WIN_WHOLE);
	assert_true(len >= VZSIM_TRACE_WINDOW_MIN + 8);
	check_window(*state, len, 0, 300, WIN_WHOLE);
	check_window(*state, len - 8, 0, 300, WIN_CUT);
}

/* Wrapped many times: the last words, from a SYNC, with no gap. */
static void test_window_wraps_many_times(void **state)
{
	uint64_t len = check_window(*state, 1024, 0, 5000, WIN_CUT);
	assert_true(len > 10 * 1024);
}

/* SYNCs further apart than the window: the ring kept whole, which the
 * decoder reads as unsynced, and the header says there is no SYNC. */
static void test_window_without_sync(void **state)
{
	check_window(*state, 1024, 7, 5000, WIN_NO_SYNC);
}

/* Bad windows are refused before anything is created. */
static void test_window_bad_size(void **state)
{
	vzsim *sim = *state;
	char path[128], err[256];
	tmp_path(path, sizeof path, "badwin");
	const uint64_t bad[] = {8, VZSIM_TRACE_WINDOW_MIN - 8, VZSIM_TRACE_WINDOW_MIN + 4,
				VZSIM_TRACE_WINDOW_MAX + 8};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct vzsim_trace_opts o = {.window = bad[i]};
		assert_int_equal(vzsim_trace_start(sim, path, &o, err, sizeof err), -1);
		assert_int_equal(access(path, F_OK), -1);
	}
	uint64_t v = 0;
	assert_int_equal(vzsim_trace_window_parse("1", &v, err, sizeof err), 0);
	assert_int_equal(v, 1u << 20);
	assert_int_equal(vzsim_trace_window_parse("64K", &v, err, sizeof err), 0);
	assert_int_equal(v, 64u << 10);
	const char *text[] = {"0", "", "1Q", "-1", "0K", "1048577", "x", "4G5"};
	for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
		assert_int_equal(vzsim_trace_window_parse(text[i], &v, err, sizeof err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_records_follow_execution),
		T(test_accounting_matches_instruction_count),
		T(test_onchip_equals_stream),
		T(test_onchip_wraps_to_newest_words),
		T(test_header_has_bootargs),
		T(test_trace_off_writes_nothing),
		T(test_program_controls_trace),
		T(test_tcb_readout_through_registers),
		T(test_window_larger_than_trace),
		T(test_window_exactly_full),
		T(test_window_wraps_many_times),
		T(test_window_without_sync),
		T(test_window_bad_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
