/*
 * The flow decoder (flow.h, pdt_flow_*): traces written record by record
 * with the encoder, walked over a program whose every instruction is
 * known (tests/pdtrace/flow_fixture.S, built by the Makefile into
 * CODE_FIXTURE_DIR), and the instructions and events that come out
 * checked one by one: PCs, indexes, words, and the events' fields.
 *
 * The PCs below are the fixture's (its comments give each offset); the
 * image's words are checked against a few known encodings first, so a
 * fixture that drifted fails there and not in a confusing walk.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <crashme/block.h>
#include <mips/isa.h>
#include <pdtrace/flow.h>
#include <vzsoak/utm.h>

#include "same_item.h"
#include "tbuf.h"

#ifndef CODE_FIXTURE_DIR
#define CODE_FIXTURE_DIR "build/target/pdtrace"
#endif
#define FIXTURE CODE_FIXTURE_DIR "/flow_fixture.elf"

/* flow_fixture.S */
#define VEC 0x80000180u  /* mfc0, addiu, mtc0, eret */
#define VEC_ERET 0x8000018cu
#define T(off) (0x80001000u + (off))
#define START T(0x00)
#define FUNC T(0x58)     /* addiu, jr ra, slot */
#define NO_CODE_PC 0x90000000u

#define SEED 1u
#define WORDS 64u

static struct pdt_code *img;

static int setup(void **state)
{
	(void)state;
	char err[256];
	if (pdt_code_load(&img, FIXTURE, err, sizeof err) != 0) {
		fprintf(stderr, "test_flow: %s (built by make)\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pdt_code_free(img);
	return 0;
}

static const struct pdt_ctx KERNEL = { .ksu = PDT_KERNEL };
static const struct pdt_ctx KERNEL_EXL = { .ksu = PDT_KERNEL, .exl = true };

static struct pdt_ctx guest_ctx(unsigned gid, uint8_t ksu, bool exl, uint8_t asid)
{
	return (struct pdt_ctx){ .ksu = ksu, .exl = exl, .guest = true, .asid = asid,
				 .guestid = (uint8_t)gid };
}

/* ------------------------------------------------------------ writing */

struct trace {
	struct tbuf t;
	struct pdt_encoder e;
};

static void tr_init(struct trace *tr)
{
	memset(tr, 0, sizeof *tr);
	pdt_enc_init(&tr->e, tbuf_sink, &tr->t);
}

static void put(struct trace *tr, struct pdt_record r)
{
	assert_int_equal(pdt_enc_record(&tr->e, &r), PDT_OK);
}

static void sync_at(struct trace *tr, uint32_t pc, struct pdt_ctx c, uint64_t index)
{
	put(tr, (struct pdt_record){ .type = PDT_SYNC, .sync = { pc, c, index } });
}

static void icnt(struct trace *tr, uint64_t n)
{
	put(tr, (struct pdt_record){ .type = PDT_ICNT, .icnt = { n } });
}

/* bits: "TNN", oldest first, as pdtrace dump prints them. */
static void branch(struct trace *tr, const char *bits)
{
	struct pdt_record r = { .type = PDT_BRANCH };
	for (unsigned i = 0; bits[i]; i++)
		r.branch.bits |= (uint8_t)((bits[i] == 'T') << i);
	r.branch.n = (uint8_t)strlen(bits);
	put(tr, r);
}

static void target(struct trace *tr, uint32_t pc)
{
	put(tr, (struct pdt_record){ .type = PDT_TARGET, .target = { pc } });
}

static void exception(struct trace *tr, uint8_t code, bool root, uint32_t vector)
{
	put(tr, (struct pdt_record){ .type = PDT_EXCEPTION, .exc = { code, root, vector } });
}

static void mode(struct trace *tr, struct pdt_ctx c)
{
	put(tr, (struct pdt_record){ .type = PDT_MODE, .mode = c });
}

static void utm(struct trace *tr, uint8_t chan, uint32_t value)
{
	put(tr, (struct pdt_record){ .type = PDT_UTM, .utm = { chan, value } });
}

/* A hypervisor message, one UTM record a word, as the hypervisor writes it. */
static void message(struct trace *tr, unsigned kind, unsigned gid, const uint32_t *payload,
		    unsigned n)
{
	uint32_t w[1 + UTM_MAX_PAYLOAD];
	size_t nw = utm_encode(w, 1 + UTM_MAX_PAYLOAD, kind, gid, payload, n);
	assert_int_equal(nw, 1 + n);
	for (size_t i = 0; i < nw; i++)
		utm(tr, 1, w[i]);
}

static void vmexit(struct trace *tr, unsigned kind, unsigned gid, const struct utm_vmexit *v)
{
	uint32_t w[UTM_VMEXIT_WORDS];
	utm_vmexit_words(v, w);
	message(tr, kind, gid, w, UTM_VMEXIT_WORDS);
}

static void tr_end(struct trace *tr)
{
	pdt_enc_flush(&tr->e);
}

/* ------------------------------------------------------------ reading */

#define MAX_ITEMS 256

struct flow_out {
	struct pdt_flow_item it[MAX_ITEMS];
	size_t n;
	size_t at; /* the next item the checks look at */
	uint64_t shown;
	/* What pdt_flow_next_run returned: its items' n (0: an event). */
	uint32_t run[MAX_ITEMS];
	size_t nruns;
};

/*
 * The walks every trace here is decoded with, which must agree item for
 * item: the block walk (what pdt_flow_next does by default), the
 * reference walk (per_insn: one instruction at a time), the block walk's
 * runs (pdt_flow_next_run) taken apart, and the block walk through a
 * cache of two blocks, where nearly every block is replaced before it is
 * used again.
 */
enum walk { WALK_BLOCKS, WALK_PER_INSN, WALK_RUNS, WALK_TINY_CACHE, WALKS };

static struct pdt_flow_config config(void)
{
	/* crashme's blocks through their code provider: one for the whole
	 * run (each decoder restarts it), reachable until the end. */
	static struct pdt_crashme *crashme;
	if (!crashme)
		assert_int_equal(pdt_crashme_new(&crashme, SEED, WORDS), PDT_OK);
	struct pdt_flow_config c = { .root = img, .code = pdt_crashme_provider(crashme) };
	c.guest[1] = img;
	c.guest[2] = img;
	return c;
}

static void add_item(struct flow_out *o, const struct pdt_flow_item *it)
{
	if (o->n == MAX_ITEMS)
		fail_msg("more than %d items", MAX_ITEMS);
	o->it[o->n++] = *it;
}

/* Every item to the end (failing past MAX_ITEMS: the decoder must end),
 * in one walk. */
static void walk_flow(const uint8_t *b, size_t len, enum walk w, struct flow_out *o)
{
	struct pdt_flow_config cfg = config();
	cfg.per_insn = w == WALK_PER_INSN;
	cfg.block_cache_log2 = w == WALK_TINY_CACHE ? 1 : 0;
	struct pdt_flow *f;
	memset(o, 0, sizeof *o);
	assert_int_equal(pdt_flow_new(&f, &cfg, b, len), PDT_OK);
	struct pdt_flow_item it;
	uint32_t n;
	int err;
	if (w == WALK_RUNS) {
		while ((err = pdt_flow_next_run(f, &it, &n)) == PDT_OK) {
			assert_true(it.is_insn ? n >= 1 : n == 0);
			if (o->nruns == MAX_ITEMS)
				fail_msg("more than %d runs", MAX_ITEMS);
			o->run[o->nruns++] = n;
			if (!n) {
				add_item(o, &it);
				continue;
			}
			/* Its k-th instruction: pc + 4k, index + k, its word. */
			struct pdt_flow_item k_th = it;
			for (uint32_t k = 0; k < n; k++) {
				k_th.index = it.index + k;
				k_th.insn.pc = it.insn.pc + 4 * k;
				k_th.insn.word = pdt_flow_run_word(f, k);
				add_item(o, &k_th);
			}
		}
		assert_int_equal(pdt_flow_next_run(f, &it, &n), PDT_E_EOS);
	} else {
		while ((err = pdt_flow_next(f, &it)) == PDT_OK)
			add_item(o, &it);
		assert_int_equal(pdt_flow_next(f, &it), PDT_E_EOS); /* the end stays the end */
	}
	assert_int_equal(err, PDT_E_EOS);
	o->shown = pdt_flow_insns(f);
	pdt_flow_free(f);
}

/* Every item to the end, in every walk: o gets the block walk's (and the
 * runs of pdt_flow_next_run), after checking that every other walk gave
 * the same items. */
static void run_flow(const uint8_t *b, size_t len, struct flow_out *o)
{
	static struct flow_out other;
	static const char *const names[WALKS] = {
		[WALK_BLOCKS] = "blocks", [WALK_PER_INSN] = "per-insn", [WALK_RUNS] = "runs",
		[WALK_TINY_CACHE] = "2-block cache",
	};
	walk_flow(b, len, WALK_BLOCKS, o);
	for (enum walk w = WALK_BLOCKS + 1; w < WALKS; w++) {
		walk_flow(b, len, w, &other);
		for (size_t i = 0; i < o->n && i < other.n; i++)
			if (!same_item(&o->it[i], &other.it[i]))
				fail_msg("item %zu: the %s walk differs from the block walk", i,
					 names[w]);
		if (other.n != o->n)
			fail_msg("the %s walk: %zu items, the block walk %zu", names[w], other.n,
				 o->n);
		assert_int_equal(other.shown, o->shown);
		if (w == WALK_RUNS) {
			memcpy(o->run, other.run, sizeof o->run);
			o->nruns = other.nruns;
		}
	}
}

static void decode(struct trace *tr, struct flow_out *o)
{
	tr_end(tr);
	run_flow(tr->t.b, tr->t.len, o);
	tbuf_free(&tr->t);
}

static const char *item_text(const struct pdt_flow_item *it, char *buf, size_t len)
{
	if (it->is_insn)
		snprintf(buf, len, "insn pc=%08x index=%llu exc=%d block=%d", it->insn.pc,
			 (unsigned long long)it->index, it->insn.exc, it->insn.block);
	else
		snprintf(buf, len, "event %s index=%llu", pdt_flow_event_name(it->ev.kind),
			 (unsigned long long)it->index);
	return buf;
}

static const struct pdt_flow_item *next_item(struct flow_out *o)
{
	if (o->at >= o->n)
		fail_msg("item %zu: the flow ended (%zu items)", o->at, o->n);
	return &o->it[o->at++];
}

/* The next item is the instruction at pc with that index, its word the
 * image's (or the given crashme block's). */
static const struct pdt_flow_item *expect_insn_in(struct flow_out *o, uint32_t pc,
						  uint64_t index, const struct pdt_code *code)
{
	char buf[128];
	const struct pdt_flow_item *it = next_item(o);
	if (!it->is_insn || it->insn.pc != pc || it->index != index)
		fail_msg("item %zu: %s, want insn pc=%08x index=%llu", o->at - 1,
			 item_text(it, buf, sizeof buf), pc, (unsigned long long)index);
	if (code) {
		uint32_t w;
		assert_int_equal(pdt_code_word(code, pc, &w), 0);
		assert_true(it->insn.have_word);
		assert_int_equal(it->insn.word, w);
		assert_int_equal(it->insn.block, -1);
	}
	return it;
}

static const struct pdt_flow_item *expect_insn(struct flow_out *o, uint32_t pc, uint64_t index)
{
	const struct pdt_flow_item *it = expect_insn_in(o, pc, index, img);
	assert_int_equal(it->insn.exc, -1);
	return it;
}

/* Instructions at consecutive indexes from first. */
static void expect_insns(struct flow_out *o, const uint32_t *pcs, size_t n, uint64_t first)
{
	for (size_t i = 0; i < n; i++)
		expect_insn(o, pcs[i], first + i);
}

static const struct pdt_flow_item *expect_event(struct flow_out *o, enum pdt_flow_event k,
						uint64_t index)
{
	char buf[128];
	const struct pdt_flow_item *it = next_item(o);
	if (it->is_insn || it->ev.kind != k || it->index != index)
		fail_msg("item %zu: %s, want event %s index=%llu", o->at - 1,
			 item_text(it, buf, sizeof buf), pdt_flow_event_name(k),
			 (unsigned long long)index);
	return it;
}

static void expect_end(struct flow_out *o)
{
	char buf[128];
	if (o->at != o->n)
		fail_msg("item %zu: %s, want the end", o->at, item_text(&o->it[o->at], buf, sizeof buf));
}

static void expect_sync(struct flow_out *o, uint32_t pc, uint64_t index)
{
	assert_int_equal(expect_event(o, PDT_EV_SYNC, index)->ev.sync.pc, pc);
}

static void expect_gap(struct flow_out *o, enum pdt_flow_gap why, uint32_t pc, uint64_t insns,
		       uint64_t index)
{
	const struct pdt_flow_item *it = expect_event(o, PDT_EV_GAP, index);
	assert_int_equal(it->ev.gap.why, why);
	assert_int_equal(it->ev.gap.pc, pc);
	assert_int_equal(it->ev.gap.insns, insns);
}

static void expect_mode(struct flow_out *o, struct pdt_ctx c, uint64_t index)
{
	const struct pdt_flow_item *it = expect_event(o, PDT_EV_MODE, index);
	assert_memory_equal(&it->ctx, &c, sizeof c);
}

/* ------------------------------------------------------------ the fixture */

static void test_fixture(void **state)
{
	(void)state;
	/* Known encodings at known offsets: the walks below depend on them. */
	static const struct { uint32_t pc, word; } known[] = {
		{ VEC, 0x401a7000 },      /* mfc0 k0, EPC */
		{ VEC_ERET, 0x42000018 }, /* eret */
		{ T(0x0c), 0x11080002 },  /* beq t0, t0, +0x18 */
		{ T(0x20), 0x5109000b },  /* beql t0, t1, +0x50 */
		{ T(0x2c), 0x0800040e },  /* j +0x38 */
		{ T(0x38), 0x0c000416 },  /* jal func */
		{ T(0x48), 0x02400008 },  /* jr s2 */
		{ T(0x5c), 0x03e00008 },  /* jr ra */
	};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		uint32_t w;
		assert_int_equal(pdt_code_word(img, known[i].pc, &w), 0);
		assert_int_equal(w, known[i].word);
	}
	uint32_t w;
	assert_int_equal(pdt_code_word(img, NO_CODE_PC, &w), -1);
}

/* ------------------------------------------------------------ (a), (b) */

/* From start: beq taken (slot, then its target), bne not taken (slot
 * runs), beql not taken (slot nullified), j, jal, into func. */
static const uint32_t walk_pcs[] = {
	T(0x00), T(0x04), T(0x08), T(0x0c), T(0x10), T(0x18), T(0x1c), T(0x20),
	T(0x28), T(0x2c), T(0x30), T(0x38), T(0x3c), T(0x58),
};
#define NWALK (sizeof walk_pcs / sizeof walk_pcs[0])

static void expect_walk(struct flow_out *o)
{
	expect_sync(o, START, 100);
	expect_insns(o, walk_pcs, NWALK, 100);
	for (size_t i = 0; i < NWALK; i++)
		assert_memory_equal(&o->it[1 + i].ctx, &KERNEL, sizeof KERNEL);
	expect_end(o);
	assert_int_equal(o->shown, NWALK);
}

static void test_basic_walk(void **state)
{
	(void)state;
	struct trace tr;
	struct flow_out o;
	tr_init(&tr);
	sync_at(&tr, START, KERNEL, 100);
	/* Execution as the trace unit reports it, batched by the encoder. */
	pdt_enc_insns(&tr.e, 3);      /* +00 +04 +08 */
	pdt_enc_branch(&tr.e, true);  /* +0c beq */
	pdt_enc_insns(&tr.e, 1);      /* +10 its slot */
	pdt_enc_branch(&tr.e, false); /* +18 bne */
	pdt_enc_insns(&tr.e, 1);      /* +1c its slot */
	pdt_enc_branch(&tr.e, false); /* +20 beql: +24 not run */
	pdt_enc_insns(&tr.e, 5);      /* +28, j +2c, +30, jal +38, +3c */
	pdt_enc_insns(&tr.e, 1);      /* func +58 */
	decode(&tr, &o);
	expect_walk(&o);
}

/* The same execution with the counts and bits in other orders: the two
 * queues are independent within a segment. */
static void test_bits_after_counts(void **state)
{
	(void)state;
	struct trace tr;
	struct flow_out o;

	/* All counts first, the bits of earlier branches after them. */
	tr_init(&tr);
	sync_at(&tr, START, KERNEL, 100);
	icnt(&tr, 11);
	branch(&tr, "TNN");
	decode(&tr, &o);
	expect_walk(&o);

	/* The bits first. */
	tr_init(&tr);
	sync_at(&tr, START, KERNEL, 100);
	branch(&tr, "TNN");
	icnt(&tr, 11);
	decode(&tr, &o);
	expect_walk(&o);

	/* Interleaved, in records of any size. */
	tr_init(&tr);
	sync_at(&tr, START, KERNEL, 100);
	icnt(&tr, 2);
	branch(&tr, "T");
	icnt(&tr, 7);
	branch(&tr, "N");
	icnt(&tr, 2);
	branch(&tr, "N");
	decode(&tr, &o);
	expect_walk(&o);
}

/* ------------------------------------------------------------ (c), (d) */

static void test_jr(void **state)
{
	(void)state;
	struct trace tr;
	struct flow_out o;
	tr_init(&tr);
	sync_at(&tr, FUNC, KERNEL, 200);
	icnt(&tr, 2);          /* +58, jr ra +5c */
	target(&tr, T(0x40));  /* written when the jr runs, before its slot */
	icnt(&tr, 3);          /* the slot +60, then +40, +44 */
	decode(&tr, &o);
	expect_sync(&o, FUNC, 200);
	expect_insn(&o, T(0x58), 200);
	expect_insn(&o, T(0x5c), 201);
	expect_insn(&o, T(0x60), 202);
	expect_insn(&o, T(0x40), 203);
	expect_insn(&o, T(0x44), 204);
	expect_end(&o);
}

static void test_eret(void **state)
{
	(void)state;
	struct trace tr;
	struct flow_out o;
	tr_init(&tr);
	sync_at(&tr, VEC, KERNEL_EXL, 300);
	icnt(&tr, 4);          /* mfc0, addiu, mtc0, eret */
	target(&tr, T(0x40));
	mode(&tr, KERNEL);     /* EXL cleared */
	icnt(&tr, 1);          /* +40: no slot after an eret */
	decode(&tr, &o);
	expect_sync(&o, VEC, 300);
	for (unsigned i = 0; i < 4; i++)
		assert_memory_equal(&expect_insn(&o, VEC + 4 * i, 300 + i)->ctx, &KERNEL_EXL,
				    sizeof KERNEL_EXL);
	const struct pdt_flow_item *it = expect_event(&o, PDT_EV_ERET, 304);
	assert_int_equal(it->ev.eret.from, VEC_ERET);
	assert_int_equal(it->ev.eret.to, T(0x40));
	expect_mode(&o, KERNEL, 304);
	assert_memory_equal(&expect_insn(&o, T(0x40), 304)->ctx, &KERNEL, sizeof KERNEL);
	expect_end(&o);
}

/* ------------------------------------------------------------ (e) */

static void test_exception(void **state)
{
	(void)state;
	struct trace tr;
	struct flow_out o;
	tr_init(&tr);
	sync_at(&tr, T(0x40), KERNEL, 400);
	icnt(&tr, 1);                 /* +40 */
	exception(&tr, 2, false, VEC); /* the lw at +44: TLBL, not counted */
	mode(&tr, KERNEL_EXL);
	icnt(&tr, 4);                 /* the handler, its eret */
	target(&tr, T(0x48));
	mode(&tr, KERNEL);
	exception(&tr, 0, false, VEC); /* an interrupt before +48 runs */
	mode(&tr, KERNEL_EXL);
	icnt(&tr, 2);
	decode(&tr, &o);

	expect_sync(&o, T(0x40), 400);
	expect_insn(&o, T(0x40), 400);
	/* The faulting instruction: shown, with its exception and index. */
	const struct pdt_flow_item *it = expect_insn_in(&o, T(0x44), 401, img);
	assert_int_equal(it->insn.exc, 2);
	assert_false(it->insn.exc_root);
	it = expect_event(&o, PDT_EV_EXCEPTION, 402);
	assert_int_equal(it->ev.exc.code, 2);
	assert_int_equal(it->ev.exc.pc, T(0x44));
	assert_int_equal(it->ev.exc.vector, VEC);
	expect_mode(&o, KERNEL_EXL, 402);
	for (unsigned i = 0; i < 4; i++)
		expect_insn(&o, VEC + 4 * i, 402 + i);
	it = expect_event(&o, PDT_EV_ERET, 406);
	assert_int_equal(it->ev.eret.to, T(0x48));
	expect_mode(&o, KERNEL, 406);
	/* An interrupt: no instruction, the next one's index. */
	it = expect_event(&o, PDT_EV_EXCEPTION, 406);
	assert_int_equal(it->ev.exc.code, 0);
	assert_int_equal(it->ev.exc.pc, T(0x48));
	expect_mode(&o, KERNEL_EXL, 406);
	expect_insn(&o, VEC, 406);
	expect_insn(&o, VEC + 4, 407);
	expect_end(&o);
	assert_int_equal(o.shown, 1 + 1 + 4 + 2);
}

/* ------------------------------------------------------------ (f), (g) */

static void test_no_code(void **state)
{
	(void)state;
	struct trace tr;
	struct flow_out o;
	tr_init(&tr);
	sync_at(&tr, T(0x48), KERNEL, 500);
	icnt(&tr, 1);                  /* jr s2 */
	target(&tr, NO_CODE_PC);
	icnt(&tr, 6);                  /* its slot, then 5 where no image has code */
	exception(&tr, 10, false, VEC); /* the 6th there faults */
	icnt(&tr, 1);
	decode(&tr, &o);
	expect_sync(&o, T(0x48), 500);
	expect_insn(&o, T(0x48), 500);
	expect_insn(&o, T(0x4c), 501);
	/* Found again at the vector: 5 counted and the faulting one. */
	expect_gap(&o, PDT_FGAP_NO_CODE, NO_CODE_PC, 6, 508);
	const struct pdt_flow_item *it = expect_event(&o, PDT_EV_EXCEPTION, 508);
	assert_int_equal(it->ev.exc.code, 10);
	expect_insn(&o, VEC, 508);
	expect_end(&o);
}

static void test_mismatch(void **state)
{
	(void)state;
	struct trace tr;
	struct flow_out o;

	/* Counts running past a jr with no TARGET. */
	tr_init(&tr);
	sync_at(&tr, FUNC, KERNEL, 600);
	icnt(&tr, 5);
	sync_at(&tr, START, KERNEL, 700);
	icnt(&tr, 2);
	decode(&tr, &o);
	expect_sync(&o, FUNC, 600);
	expect_insn(&o, T(0x58), 600);
	expect_insn(&o, T(0x5c), 601);
	expect_gap(&o, PDT_FGAP_MISMATCH, T(0x60), 3, 605);
	expect_sync(&o, START, 700);
	expect_insn(&o, START, 700);
	expect_insn(&o, START + 4, 701);
	expect_end(&o);

	/* A branch bit where the code has no branch. */
	tr_init(&tr);
	sync_at(&tr, START, KERNEL, 800);
	branch(&tr, "T");
	sync_at(&tr, T(0x40), KERNEL, 900);
	icnt(&tr, 1);
	decode(&tr, &o);
	expect_sync(&o, START, 800);
	expect_gap(&o, PDT_FGAP_MISMATCH, START, 1, 801);
	expect_sync(&o, T(0x40), 900);
	expect_insn(&o, T(0x40), 900);
	expect_end(&o);

	/* A TARGET where the code has no jump-register or eret; then a SYNC
	 * that does not fit where the walk had got to. */
	tr_init(&tr);
	sync_at(&tr, START, KERNEL, 1000);
	icnt(&tr, 1);
	target(&tr, FUNC);
	icnt(&tr, 2);
	sync_at(&tr, START, KERNEL, 2000);
	icnt(&tr, 1);
	sync_at(&tr, T(0x08), KERNEL, 3000); /* the walk is at +04, index 2001 */
	decode(&tr, &o);
	expect_sync(&o, START, 1000);
	expect_insn(&o, START, 1000);
	expect_gap(&o, PDT_FGAP_MISMATCH, START + 4, 2, 1003);
	expect_sync(&o, START, 2000);
	expect_insn(&o, START, 2000);
	expect_gap(&o, PDT_FGAP_MISMATCH, START + 4, 0, 2001);
	expect_sync(&o, T(0x08), 3000);
	expect_end(&o);
}

/* ------------------------------------------------------------ (h) */

/* The offset of the first record of type t in the bytes. */
static uint64_t find_record(const struct tbuf *t, enum pdt_type type, struct pdt_record *out)
{
	struct pdt_decoder d;
	pdt_dec_init(&d, t->b, t->len);
	while (pdt_dec_next(&d, out) == PDT_OK)
		if (out->type == type)
			return out->offset;
	fail_msg("no %s record", pdt_type_name(type));
	return 0;
}

static void test_damage(void **state)
{
	(void)state;
	struct trace tr;
	struct flow_out o;
	struct pdt_record r;
	tr_init(&tr);
	sync_at(&tr, START, KERNEL, 800);
	icnt(&tr, 2);
	utm(&tr, 2, 0x11111111); /* its header is overwritten below */
	icnt(&tr, 1);
	sync_at(&tr, T(0x40), KERNEL, 900);
	icnt(&tr, 2);
	tr_end(&tr);
	uint64_t bad = find_record(&tr.t, PDT_UTM, &r);
	tr.t.b[bad] = 0xb0; /* a reserved header */
	/* What the packet layer skips. */
	uint64_t skipped = 0;
	struct pdt_decoder d;
	pdt_dec_init(&d, tr.t.b, tr.t.len);
	while (pdt_dec_next(&d, &r) == PDT_OK)
		if (r.type == PDT_GAP) {
			assert_int_equal(r.offset, bad);
			skipped = r.gap.skipped;
		}
	assert_true(skipped > 0);
	run_flow(tr.t.b, tr.t.len, &o);
	tbuf_free(&tr.t);

	expect_sync(&o, START, 800);
	/* The segment the damage ends is not shown (its last records may be
	 * the damaged ones): the gap counts its 2 instructions. */
	const struct pdt_flow_item *it = expect_event(&o, PDT_EV_GAP, 800);
	assert_int_equal(it->ev.gap.why, PDT_FGAP_TRACE);
	assert_int_equal(it->ev.gap.insns, 2);
	assert_int_equal(it->ev.gap.bytes, skipped);
	assert_int_equal(it->offset, bad);
	expect_sync(&o, T(0x40), 900);
	expect_insn(&o, T(0x40), 900);
	expect_insn(&o, T(0x44), 901);
	expect_end(&o);
}

static void test_overflow(void **state)
{
	(void)state;
	struct trace tr;
	struct flow_out o;
	tr_init(&tr);
	sync_at(&tr, START, KERNEL, 10);
	icnt(&tr, 1);
	put(&tr, (struct pdt_record){ .type = PDT_OVERFLOW, .overflow = { 7 } });
	icnt(&tr, 3); /* nothing to follow them from */
	sync_at(&tr, FUNC, KERNEL, 50);
	icnt(&tr, 1);
	decode(&tr, &o);
	expect_sync(&o, START, 10);
	expect_insn(&o, START, 10);
	expect_event(&o, PDT_EV_GAP, 11);
	assert_int_equal(o.it[o.at - 1].ev.gap.why, PDT_FGAP_OVERFLOW);
	expect_sync(&o, FUNC, 50);
	expect_insn(&o, FUNC, 50);
	expect_end(&o);
}

/* ------------------------------------------------------------ (i) */

/*
 * Records for a crashme block run from its start, as the trace unit
 * would write them, up to `max` instructions or the first that leaves
 * the straight line (a jump, a jump-register, an exception): conditional
 * branches not taken (a branch-likely's slot skipped).  pcs[] gets the
 * PCs walked; returns their number, and in *stop the next PC.
 */
static unsigned block_walk(struct trace *tr, const uint32_t *words, unsigned max,
			   uint32_t *pcs, uint32_t *stop)
{
	unsigned n = 0, i = 0;
	while (n < max && i < WORDS) {
		uint32_t flags = isa_describe(isa_decode(words[i]))->flags;
		if (flags & (ISA_F_JUMP | ISA_F_JREG | ISA_F_ERET | ISA_F_EXC))
			break;
		pcs[n++] = CRASHME_CODE_VA + 4 * i;
		if (flags & ISA_F_BRANCH) {
			pdt_enc_branch(&tr->e, false);
			i += flags & ISA_F_LIKELY ? 2 : 1;
		} else {
			pdt_enc_insns(&tr->e, 1);
			i++;
		}
	}
	*stop = CRASHME_CODE_VA + 4 * i;
	return n;
}

static void expect_block_insns(struct flow_out *o, const uint32_t *pcs, unsigned n,
			       uint64_t first, const uint32_t *words, uint32_t block,
			       struct pdt_ctx c)
{
	for (unsigned i = 0; i < n; i++) {
		const struct pdt_flow_item *it = expect_insn_in(o, pcs[i], first + i, NULL);
		assert_true(it->insn.have_word);
		assert_int_equal(it->insn.word, words[(pcs[i] - CRASHME_CODE_VA) / 4]);
		assert_int_equal(it->insn.block, (int)block);
		assert_int_equal(it->insn.exc, -1);
		assert_memory_equal(&it->ctx, &c, sizeof c);
	}
}

static void expect_guest(struct flow_out *o, enum pdt_flow_event k, unsigned gid,
			 const struct utm_vmexit *v, uint64_t index)
{
	const struct pdt_flow_item *it = expect_event(o, k, index);
	assert_int_equal(it->ev.guest.gid, gid);
	const struct pdt_flow_vmexit *s = &it->ev.guest.st;
	assert_int_equal(s->code, v->code);
	assert_int_equal(s->pc, v->pc);
	assert_int_equal(s->epc, v->epc);
	assert_int_equal(s->status, v->status);
	assert_int_equal(s->cause, v->cause);
	assert_int_equal(s->badvaddr, v->badvaddr);
	assert_int_equal(s->entryhi, v->entryhi);
	assert_int_equal(s->pagemask, v->pagemask);
	assert_int_equal(s->index, v->index);
}

static void test_hypervisor_messages(void **state)
{
	(void)state;
	struct trace tr;
	struct flow_out o;
	const struct utm_vmexit exit1 = { UTM_CODE(27, 2, 1), 0x80000400, 0x80000404, 0x13,
					  0x20, 0x1000, 0x2001, 0x6000, 3 };
	const struct utm_vmexit entry2 = { 0, 0x80000500, 0x80000504, 0x10, 0, 0, 0x4002, 0, 1 };
	const struct utm_vmexit exit2 = { UTM_CODE(0, 0, 0), 0x80000600, 0, 0, 0, 0, 0, 0, 0 };
	const struct utm_vmexit entry1 = { 0, 0x80000404, 0x80000404, 0x13, 0x20, 0x1000,
					   0x2001, 0, 3 };
	tr_init(&tr);
	sync_at(&tr, START, KERNEL, 40);
	vmexit(&tr, UTM_EXIT, 1, &exit1);
	vmexit(&tr, UTM_ENTRY, 2, &entry2);
	vmexit(&tr, UTM_EXIT, 2, &exit2);
	/* g1's doorbell rings as it is loaded, before its entry. */
	message(&tr, UTM_VIRQ, 1, (const uint32_t[]){ 0x400 }, 1);
	vmexit(&tr, UTM_ENTRY, 1, &entry1);
	message(&tr, UTM_ANOMALY, 1, (const uint32_t[]){ 7, 0xdead }, 2);
	message(&tr, UTM_HEARTBEAT, 2, (const uint32_t[]){ 42 }, 1);
	message(&tr, UTM_MARKER, 1, (const uint32_t[]){ 0x1234 }, 1);
	utm(&tr, 2, 0x12345678);  /* channel 2: not the hypervisor's */
	utm(&tr, 1, 0x00abcdef);  /* channel 1 without the magic */
	icnt(&tr, 1);
	decode(&tr, &o);

	expect_sync(&o, START, 40);
	expect_guest(&o, PDT_EV_GUEST_EXIT, 1, &exit1, 40);
	/* The exit of g1 then the entry of g2: a switch, with g1's exit code. */
	const struct pdt_flow_item *it = expect_event(&o, PDT_EV_SWITCH, 40);
	assert_int_equal(it->ev.sw.from, 1);
	assert_int_equal(it->ev.sw.to, 2);
	assert_int_equal(it->ev.sw.code, exit1.code);
	expect_guest(&o, PDT_EV_GUEST_ENTRY, 2, &entry2, 40);
	expect_guest(&o, PDT_EV_GUEST_EXIT, 2, &exit2, 40);
	it = expect_event(&o, PDT_EV_VIRQ, 40);
	assert_int_equal(it->ev.msg.gid, 1);
	assert_int_equal(it->ev.msg.value, 0x400);
	char text[96];
	pdt_flow_event_text(it, text, sizeof text);
	assert_string_equal(text, "g1 virtual interrupt raised: IP2 pending (cause bits 0x00000400)");
	/* Between the exit and the entry: still a switch. */
	it = expect_event(&o, PDT_EV_SWITCH, 40);
	assert_int_equal(it->ev.sw.from, 2);
	assert_int_equal(it->ev.sw.to, 1);
	expect_guest(&o, PDT_EV_GUEST_ENTRY, 1, &entry1, 40);
	/* g1's PageMask was 0x6000 at its exit and is 0 at its entry. */
	it = expect_event(&o, PDT_EV_PAGEMASK, 40);
	assert_int_equal(it->ev.pagemask.gid, 1);
	assert_int_equal(it->ev.pagemask.from, 0x6000);
	assert_int_equal(it->ev.pagemask.to, 0);
	it = expect_event(&o, PDT_EV_ANOMALY, 40);
	assert_int_equal(it->ev.msg.gid, 1);
	assert_int_equal(it->ev.msg.value, 7);
	assert_int_equal(it->ev.msg.detail, 0xdead);
	it = expect_event(&o, PDT_EV_HEARTBEAT, 40);
	assert_int_equal(it->ev.msg.gid, 2);
	assert_int_equal(it->ev.msg.value, 42);
	it = expect_event(&o, PDT_EV_MARKER, 40);
	assert_int_equal(it->ev.msg.gid, 1);
	assert_int_equal(it->ev.msg.value, 0x1234);
	it = expect_event(&o, PDT_EV_UTM, 40);
	assert_int_equal(it->ev.utm.chan, 2);
	assert_int_equal(it->ev.utm.value, 0x12345678);
	it = expect_event(&o, PDT_EV_UTM, 40);
	assert_int_equal(it->ev.utm.chan, 1);
	assert_int_equal(it->ev.utm.value, 0x00abcdef);
	expect_insn(&o, START, 40);
	expect_end(&o);
}

/*
 * Channel-1 words that start like a hypervisor message (the magic, a
 * word count) but that utm_decode refuses (kind 0 here; a newer
 * hypervisor's kind or version would do the same) are passed on as
 * they are: every word, in order, after the last one arrives.
 */
static void test_refused_message(void **state)
{
	(void)state;
	for (unsigned n = 1; n <= UTM_MAX_PAYLOAD; n++) {
		struct trace tr;
		struct flow_out o;
		const uint32_t header = UTM_MAGIC << 24 | UTM_VERSION << 16 | 1u << 8 | n;
		tr_init(&tr);
		sync_at(&tr, START, KERNEL, 10);
		utm(&tr, 1, header);
		for (unsigned i = 1; i <= n; i++)
			utm(&tr, 1, 0x100 + i);
		icnt(&tr, 1);
		decode(&tr, &o);
		expect_sync(&o, START, 10);
		for (unsigned i = 0; i <= n; i++) {
			const struct pdt_flow_item *it = expect_event(&o, PDT_EV_UTM, 10);
			assert_int_equal(it->ev.utm.chan, 1);
			assert_int_equal(it->ev.utm.value, i ? 0x100 + i : header);
		}
		expect_insn(&o, START, 10);
		expect_end(&o);
	}
}

/*
 * A crashme marker ("blocks from N follow"), then guest 1's kernel
 * erets to the block's address in user mode under a fresh ASID: block N,
 * its words regenerated; it faults, the guest kernel's handler erets to
 * the next block (a new ASID): block N + 1.
 */
static void test_crashme_blocks(void **state)
{
	(void)state;
	const uint32_t n = 5;
	uint32_t w5[WORDS], w6[WORDS], pcs5[8], pcs6[8], stop5, stop6;
	crashme_block(SEED, 1, n, w5, WORDS);
	crashme_block(SEED, 1, n + 1, w6, WORDS);
	const struct pdt_ctx gk = guest_ctx(1, PDT_KERNEL, true, 9);
	const struct pdt_ctx gu9 = guest_ctx(1, PDT_USER, false, 9);
	const struct pdt_ctx gu10 = guest_ctx(1, PDT_USER, false, 10);

	struct trace tr;
	struct flow_out o;
	tr_init(&tr);
	sync_at(&tr, VEC_ERET, gk, 70);
	message(&tr, UTM_MARKER, 1, (const uint32_t[]){ CRASHME_MARKER(n) }, 1);
	icnt(&tr, 1);                  /* the eret */
	target(&tr, CRASHME_CODE_VA);
	mode(&tr, gu9);
	unsigned n5 = block_walk(&tr, w5, 6, pcs5, &stop5);
	exception(&tr, 8, false, VEC); /* whatever stops it faults */
	mode(&tr, gk);
	icnt(&tr, 4);                  /* the handler and its eret */
	target(&tr, CRASHME_CODE_VA);
	mode(&tr, gu10);
	unsigned n6 = block_walk(&tr, w6, 6, pcs6, &stop6);
	decode(&tr, &o);
	/* The blocks must have something to walk for the test to mean much. */
	assert_true(n5 >= 1 && n6 >= 1);

	expect_sync(&o, VEC_ERET, 70);
	const struct pdt_flow_item *it = expect_event(&o, PDT_EV_MARKER, 70);
	assert_int_equal(it->ev.msg.value, CRASHME_MARKER(n));
	expect_insn(&o, VEC_ERET, 70);
	expect_event(&o, PDT_EV_ERET, 71);
	expect_mode(&o, gu9, 71);
	it = expect_event(&o, PDT_EV_BLOCK, 71);
	assert_int_equal(it->ev.block.gid, 1);
	assert_int_equal(it->ev.block.block, n);
	expect_block_insns(&o, pcs5, n5, 71, w5, n, gu9);
	uint64_t at = 71 + n5;
	it = expect_insn_in(&o, stop5, at, NULL);
	assert_int_equal(it->insn.exc, 8);
	assert_int_equal(it->insn.word, w5[(stop5 - CRASHME_CODE_VA) / 4]);
	assert_int_equal(it->insn.block, (int)n);
	at++;
	expect_event(&o, PDT_EV_EXCEPTION, at);
	expect_mode(&o, gk, at);
	for (unsigned i = 0; i < 4; i++)
		expect_insn(&o, VEC + 4 * i, at + i);
	at += 4;
	expect_event(&o, PDT_EV_ERET, at);
	expect_mode(&o, gu10, at);
	it = expect_event(&o, PDT_EV_BLOCK, at);
	assert_int_equal(it->ev.block.gid, 1);
	assert_int_equal(it->ev.block.block, n + 1);
	expect_block_insns(&o, pcs6, n6, at, w6, n + 1, gu10);
	expect_end(&o);
}

/* Without a marker no block number is known: the block's code is not. */
static void test_crashme_without_marker(void **state)
{
	(void)state;
	const struct pdt_ctx gu = guest_ctx(1, PDT_USER, false, 9);
	struct trace tr;
	struct flow_out o;
	tr_init(&tr);
	sync_at(&tr, CRASHME_CODE_VA, gu, 5);
	icnt(&tr, 2);
	exception(&tr, 8, false, VEC);
	decode(&tr, &o);
	expect_sync(&o, CRASHME_CODE_VA, 5);
	expect_gap(&o, PDT_FGAP_NO_CODE, CRASHME_CODE_VA, 3, 8);
	expect_event(&o, PDT_EV_EXCEPTION, 8);
	expect_end(&o);
}

/* ------------------------------------------------------------ (j) blocks */

/*
 * What pdt_flow_next_run returned, item by item: n for a run of n
 * instructions, 0 for an event.  (run_flow has already checked that its
 * runs, taken apart, are pdt_flow_next's items.)
 */
static void expect_runs(const struct flow_out *o, const uint32_t *want, size_t n)
{
	char got[256] = "";
	for (size_t i = 0; i < o->nruns; i++)
		snprintf(got + strlen(got), sizeof got - strlen(got), " %u", o->run[i]);
	if (o->nruns != n)
		fail_msg("runs:%s; want %zu of them", got, n);
	for (size_t i = 0; i < n; i++)
		if (o->run[i] != want[i])
			fail_msg("runs:%s; run %zu should be %u", got, i, want[i]);
}

/* The basic walk in runs: a block and its taken branch's slot; a branch
 * not taken, its slot and the branch-likely after it (straight code, one
 * run); j and its slot; jal and its slot; the counts end in func. */
static void test_runs(void **state)
{
	(void)state;
	struct trace tr;
	struct flow_out o;
	tr_init(&tr);
	sync_at(&tr, START, KERNEL, 100);
	icnt(&tr, 11);
	branch(&tr, "TNN");
	decode(&tr, &o);
	expect_walk(&o);
	static const uint32_t runs[] = { 0, 5, 3, 3, 2, 1 };
	expect_runs(&o, runs, sizeof runs / sizeof runs[0]);
}

/* A record in the middle of a block: the walk stops there, the event
 * comes between the instructions, and the block goes on after it. */
static void test_record_mid_block(void **state)
{
	(void)state;
	const struct pdt_ctx k5 = { .ksu = PDT_KERNEL, .asid = 5 };
	struct trace tr;
	struct flow_out o;
	tr_init(&tr);
	sync_at(&tr, START, KERNEL, 100);
	icnt(&tr, 2);          /* +00 +04 */
	mode(&tr, k5);
	icnt(&tr, 2);          /* +08, beq, its slot +10 */
	branch(&tr, "T");
	decode(&tr, &o);
	expect_sync(&o, START, 100);
	expect_insn(&o, T(0x00), 100);
	expect_insn(&o, T(0x04), 101);
	expect_mode(&o, k5, 102);
	assert_memory_equal(&expect_insn(&o, T(0x08), 102)->ctx, &k5, sizeof k5);
	expect_insn(&o, T(0x0c), 103);
	expect_insn(&o, T(0x10), 104);
	expect_end(&o);
	static const uint32_t runs[] = { 0, 2, 0, 3 };
	expect_runs(&o, runs, sizeof runs / sizeof runs[0]);
}

/* A record between a taken branch and its slot: the slot runs after it,
 * then the branch's target. */
static void test_record_before_slot(void **state)
{
	(void)state;
	const struct pdt_ctx k5 = { .ksu = PDT_KERNEL, .asid = 5 };
	struct trace tr;
	struct flow_out o;
	tr_init(&tr);
	sync_at(&tr, START, KERNEL, 100);
	icnt(&tr, 3);          /* +00 +04 +08 */
	branch(&tr, "T");      /* beq +0c */
	mode(&tr, k5);
	icnt(&tr, 2);          /* its slot +10; bne +18 (not taken), its slot +1c */
	branch(&tr, "N");
	decode(&tr, &o);
	expect_sync(&o, START, 100);
	for (unsigned i = 0; i < 4; i++)
		expect_insn(&o, START + 4 * i, 100 + i);
	expect_mode(&o, k5, 104);
	expect_insn(&o, T(0x10), 104);
	expect_insn(&o, T(0x18), 105);
	expect_insn(&o, T(0x1c), 106);
	expect_end(&o);
	static const uint32_t runs[] = { 0, 4, 0, 1, 2 };
	expect_runs(&o, runs, sizeof runs / sizeof runs[0]);
}

/* An exception in a taken branch's slot: the block's run stops at the
 * branch, the slot is the faulting instruction, the flow goes to the
 * vector and not to the branch's target. */
static void test_exception_in_slot(void **state)
{
	(void)state;
	struct trace tr;
	struct flow_out o;
	tr_init(&tr);
	sync_at(&tr, START, KERNEL, 100);
	icnt(&tr, 3);
	branch(&tr, "T");
	exception(&tr, 4, false, VEC); /* AdEL in the slot +10 */
	mode(&tr, KERNEL_EXL);
	icnt(&tr, 1);
	decode(&tr, &o);
	expect_sync(&o, START, 100);
	for (unsigned i = 0; i < 4; i++)
		expect_insn(&o, START + 4 * i, 100 + i);
	const struct pdt_flow_item *it = expect_insn_in(&o, T(0x10), 104, img);
	assert_int_equal(it->insn.exc, 4);
	it = expect_event(&o, PDT_EV_EXCEPTION, 105);
	assert_int_equal(it->ev.exc.pc, T(0x10));
	expect_mode(&o, KERNEL_EXL, 105);
	expect_insn(&o, VEC, 105);
	expect_end(&o);
	static const uint32_t runs[] = { 0, 4, 1, 0, 0, 1 };
	expect_runs(&o, runs, sizeof runs / sizeof runs[0]);
}

/* Straight code to the end of its segment: a block with no control
 * instruction, then no code. */
static void test_block_at_image_end(void **state)
{
	(void)state;
	struct trace tr;
	struct flow_out o;
	tr_init(&tr);
	sync_at(&tr, T(0x64), KERNEL, 10);
	icnt(&tr, 4);          /* +64 +68 +6c, then past .text's end */
	decode(&tr, &o);
	expect_sync(&o, T(0x64), 10);
	expect_insn(&o, T(0x64), 10);
	expect_insn(&o, T(0x68), 11);
	expect_insn(&o, T(0x6c), 12);
	expect_gap(&o, PDT_FGAP_NO_CODE, T(0x70), 1, 14);
	expect_end(&o);
	static const uint32_t runs[] = { 0, 3, 0 };
	expect_runs(&o, runs, sizeof runs / sizeof runs[0]);
}

/* pdt_flow_find_failure looks for an index in runs: the instruction at
 * it inside a run, the first after it before the flow starts, none past
 * the end. */
static void test_find_index(void **state)
{
	(void)state;
	struct trace tr;
	tr_init(&tr);
	sync_at(&tr, START, KERNEL, 100);
	icnt(&tr, 11);
	branch(&tr, "TNN");
	tr_end(&tr);
	struct pdt_flow_config cfg = config();
	static const struct { uint64_t want, at; int rc; } cases[] = {
		{ 102, 102, 0 },          /* inside the first run, +08 */
		{ 100, 100, 0 },
		{ 5, 100, 0 },            /* before the first instruction */
		{ 113, 113, 0 },          /* the last one, func +58 */
		{ 114, 0, PDT_E_EOS },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint64_t at = 0;
		int guest = -1;
		assert_int_equal(pdt_flow_find_failure(&cfg, tr.t.b, tr.t.len, PDT_AROUND_INDEX,
						       cases[i].want, &at, &guest),
				 cases[i].rc);
		if (cases[i].rc == 0) {
			assert_int_equal(at, cases[i].at);
			assert_int_equal(guest, 0);
		}
	}
	tbuf_free(&tr.t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_basic_walk),
		cmocka_unit_test(test_bits_after_counts),
		cmocka_unit_test(test_jr),
		cmocka_unit_test(test_eret),
		cmocka_unit_test(test_exception),
		cmocka_unit_test(test_no_code),
		cmocka_unit_test(test_mismatch),
		cmocka_unit_test(test_damage),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_hypervisor_messages),
		cmocka_unit_test(test_refused_message),
		cmocka_unit_test(test_crashme_blocks),
		cmocka_unit_test(test_crashme_without_marker),
		cmocka_unit_test(test_runs),
		cmocka_unit_test(test_record_mid_block),
		cmocka_unit_test(test_record_before_slot),
		cmocka_unit_test(test_exception_in_slot),
		cmocka_unit_test(test_block_at_image_end),
		cmocka_unit_test(test_find_index),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
