/*
 * The capture diff's alignment core (diff.h) on hand-made item
 * sequences: guests interleaved differently in the two captures, a
 * divergence at the first instruction and later (the excerpt), anchors
 * (a window against a whole capture, crashme blocks, markers, none in
 * common), one side ending early, the queue cap, and a gap that makes a
 * guest look for a common anchor again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <mips/exc.h>
#include <pdtrace/diff.h>

#define MAXITEMS 4096

/* One capture's items, made by the helpers below in trace order. */
struct stream {
	struct pdt_flow_item it[MAXITEMS];
	size_t n, pos;
	uint64_t index; /* the next instruction's */
};

static struct stream sides[2];

static struct pdt_flow_item *add(struct stream *s)
{
	assert_true(s->n < MAXITEMS);
	struct pdt_flow_item *it = &s->it[s->n++];
	memset(it, 0, sizeof *it);
	it->index = s->index;
	it->offset = s->n;
	return it;
}

/* An instruction of guest g (0: root) in kernel mode at pc. */
static struct pdt_flow_item *insn(struct stream *s, unsigned g, uint32_t pc)
{
	struct pdt_flow_item *it = add(s);
	it->is_insn = true;
	it->ctx.guest = g != 0;
	it->ctx.guestid = (uint8_t)g;
	it->ctx.ksu = PDT_KERNEL;
	it->insn.pc = pc;
	it->insn.word = pc ^ 0x24000000u;
	it->insn.have_word = true;
	it->insn.exc = -1;
	it->insn.block = -1;
	s->index++;
	return it;
}

/* n instructions of guest g at pc, pc + 4, ... */
static void run(struct stream *s, unsigned g, uint32_t pc, unsigned n)
{
	for (unsigned k = 0; k < n; k++)
		insn(s, g, pc + 4 * k);
}

static struct pdt_flow_item *event(struct stream *s, unsigned g, enum pdt_flow_event kind)
{
	struct pdt_flow_item *it = add(s);
	it->ctx.guest = g != 0;
	it->ctx.guestid = (uint8_t)g;
	it->ev.kind = kind;
	return it;
}

static void block(struct stream *s, unsigned g, uint32_t n)
{
	struct pdt_flow_item *it = event(s, g, PDT_EV_BLOCK);
	it->ev.block.gid = g;
	it->ev.block.block = n;
}

static void marker(struct stream *s, unsigned g, uint32_t v)
{
	struct pdt_flow_item *it = event(s, 0, PDT_EV_MARKER);
	it->ev.msg.gid = g;
	it->ev.msg.value = v;
}

static void gap(struct stream *s, unsigned g)
{
	struct pdt_flow_item *it = event(s, g, PDT_EV_GAP);
	it->ev.gap.why = PDT_FGAP_NO_CODE;
}

static int next(void *priv, int side, struct pdt_flow_item *it)
{
	struct stream *s = &((struct stream *)priv)[side];
	if (s->pos == s->n)
		return PDT_E_EOS;
	*it = s->it[s->pos++];
	return 0;
}

static int setup(void **state)
{
	(void)state;
	memset(sides, 0, sizeof sides);
	return 0;
}

/* Walks the two streams with opts o (NULL: defaults, both whole). */
static struct pdt_diff *walk(const struct pdt_diff_opts *o)
{
	struct pdt_diff_opts def;
	if (!o) {
		pdt_diff_opts_default(&def);
		def.whole[0] = def.whole[1] = true;
		o = &def;
	}
	struct pdt_diff *d;
	assert_int_equal(pdt_diff_new(&d, o), 0);
	int failed = 7;
	assert_int_equal(pdt_diff_walk(d, next, sides, &failed), 0);
	assert_int_equal(failed, -1);
	return d;
}

/* The same guest work, sliced differently and with other root code. */
static void test_same_interleaved(void **state)
{
	(void)state;
	struct stream *a = &sides[0], *b = &sides[1];
	run(a, 0, 0x80100000, 50);
	run(a, 1, 0x80000000, 300);
	run(a, 0, 0x80100000, 20);
	run(a, 2, 0x80001000, 300);
	run(b, 0, 0x80200000, 90); /* GOOD's hypervisor does more */
	run(b, 1, 0x80000000, 120);
	run(b, 2, 0x80001000, 100);
	run(b, 0, 0x80200000, 7);
	run(b, 1, 0x80000000 + 4 * 120, 180);
	run(b, 2, 0x80001000 + 4 * 100, 200);
	struct pdt_diff *d = walk(NULL);
	for (unsigned g = 1; g <= 2; g++) {
		const struct pdt_diff_guest *r = pdt_diff_guest(d, g);
		assert_int_equal(r->status, PDT_DIFF_SAME);
		assert_int_equal(r->anchor, PDT_DIFF_AT_START);
		assert_int_equal(r->compared, 300);
		assert_int_equal(r->ended, -1);
		assert_true(r->queue_max <= 300);
	}
	assert_int_equal(pdt_diff_guest(d, 3)->status, PDT_DIFF_ABSENT);
	assert_int_equal(pdt_diff_insns(d, 0), 670);
	pdt_diff_free(d);
}

static void test_diverge_first(void **state)
{
	(void)state;
	run(&sides[0], 0, 0x80100000, 5);
	run(&sides[0], 1, 0x80000000, 10);
	run(&sides[1], 1, 0x80000100, 10);
	struct pdt_diff *d = walk(NULL);
	const struct pdt_diff_guest *r = pdt_diff_guest(d, 1);
	assert_int_equal(r->status, PDT_DIFF_DIVERGED);
	assert_int_equal(r->at[0], 5);
	assert_int_equal(r->at[1], 0);
	assert_int_equal(r->local, 0);
	assert_int_equal(r->nbefore, 0);
	assert_true(r->differs & PDT_DIFF_PC);
	assert_true(r->differs & PDT_DIFF_WORD);
	assert_int_equal(r->nafter[0], PDT_DIFF_AFTER);
	assert_int_equal(r->after[0][0].insn.pc, 0x80000000);
	assert_int_equal(r->after[1][0].insn.pc, 0x80000100);
	pdt_diff_free(d);
}

/* The excerpt: the last `before` equal pairs, then from the differing
 * one on, and the guest's events (an exception) around it. */
static void test_diverge_excerpt(void **state)
{
	(void)state;
	for (int s = 0; s < 2; s++) {
		run(&sides[s], 1, 0x80000000, 20);
		struct pdt_flow_item *ev = event(&sides[s], 1, PDT_EV_EXCEPTION);
		ev->ev.exc.code = 2;
		run(&sides[s], 0, 0x80100000, 3 + 40 * s);
		run(&sides[s], 1, 0x80000180, 5);
	}
	/* BAD's sixth handler instruction raises an exception. */
	insn(&sides[0], 1, 0x80000180 + 20)->insn.exc = 3;
	insn(&sides[1], 1, 0x80000180 + 20);
	run(&sides[0], 1, 0x80000180 + 24, 10);
	run(&sides[1], 1, 0x80000180 + 24, 10);
	struct pdt_diff_opts o;
	pdt_diff_opts_default(&o);
	o.whole[0] = o.whole[1] = true;
	o.before = 4;
	o.after = 2;
	struct pdt_diff *d = walk(&o);
	const struct pdt_diff_guest *r = pdt_diff_guest(d, 1);
	assert_int_equal(r->status, PDT_DIFF_DIVERGED);
	assert_int_equal(r->differs, PDT_DIFF_EXC);
	assert_int_equal(r->local, 25);
	assert_int_equal(r->at[0], 28);
	assert_int_equal(r->at[1], 68);
	assert_int_equal(r->nbefore, 4);
	for (size_t k = 0; k < 4; k++) {
		assert_int_equal(r->before[0][k].insn.pc, r->before[1][k].insn.pc);
		assert_int_equal(r->before[1][k].index, r->before[0][k].index + 40);
	}
	assert_int_equal(r->before[0][3].insn.pc, 0x80000180 + 16);
	assert_int_equal(r->nafter[0], 2);
	assert_int_equal(r->nafter[1], 2);
	assert_int_equal(r->after[0][0].insn.exc, 3);
	assert_int_equal(r->nevents[0], 1);
	assert_int_equal(r->events[1][0].ev.kind, PDT_EV_EXCEPTION);
	pdt_diff_free(d);
}

/* A window (BAD) starts mid-run: compared from the first crashme block
 * both hold, whatever came before it in the whole capture. */
static void test_anchor_window(void **state)
{
	(void)state;
	struct stream *a = &sides[0], *b = &sides[1];
	b->index = 0;
	for (uint32_t n = 0; n < 6; n++) {
		block(b, 1, n);
		run(b, 1, 0x00100000, 30);
		run(b, 0, 0x80100000, 10);
	}
	a->index = 4 * 40 + 10; /* the window's first SYNC */
	run(a, 1, 0x00100000 + 4 * 10, 20); /* the rest of block 3: no anchor */
	run(a, 0, 0x80100000, 10);
	for (uint32_t n = 4; n < 6; n++) {
		block(a, 1, n);
		run(a, 1, 0x00100000, 30);
		run(a, 0, 0x80100000, 10);
	}
	struct pdt_diff_opts o;
	pdt_diff_opts_default(&o);
	o.whole[1] = true;
	struct pdt_diff *d = walk(&o);
	const struct pdt_diff_guest *r = pdt_diff_guest(d, 1);
	assert_int_equal(r->status, PDT_DIFF_SAME);
	assert_int_equal(r->anchor, PDT_DIFF_AT_BLOCK);
	assert_int_equal(r->anchor_value, 4);
	assert_int_equal(r->anchor_index[0], 200);
	assert_int_equal(r->anchor_index[1], 160);
	assert_int_equal(r->compared, 60);
	assert_int_equal(r->insns[0], 80);
	pdt_diff_free(d);
}

/* Markers anchor too; a guest with no anchor in common is not compared. */
static void test_anchor_marker_and_none(void **state)
{
	(void)state;
	for (int s = 0; s < 2; s++) {
		run(&sides[s], 1, 0x80000000 + 0x100 * (unsigned)s, 7); /* differs: before the anchor */
		marker(&sides[s], 1, 0xc0000010);
		run(&sides[s], 1, 0x80000400, 25);
		run(&sides[s], 2, 0x80000800, 25);
		marker(&sides[s], 2, 0xc0000020 + (unsigned)s);
		run(&sides[s], 2, 0x80000800, 25);
	}
	struct pdt_diff_opts o;
	pdt_diff_opts_default(&o);
	struct pdt_diff *d = walk(&o);
	const struct pdt_diff_guest *r = pdt_diff_guest(d, 1);
	assert_int_equal(r->status, PDT_DIFF_SAME);
	assert_int_equal(r->anchor, PDT_DIFF_AT_MARKER);
	assert_int_equal(r->anchor_value, 0xc0000010);
	assert_int_equal(r->compared, 25);
	assert_int_equal(pdt_diff_guest(d, 2)->status, PDT_DIFF_NO_ANCHOR);
	assert_int_equal(pdt_diff_guest(d, 2)->insns[1], 50);
	pdt_diff_free(d);
}

/* GOOD's capture stops early: the same up to its end. */
static void test_one_side_ends(void **state)
{
	(void)state;
	run(&sides[0], 1, 0x80000000, 100);
	run(&sides[0], 2, 0x80001000, 100);
	run(&sides[1], 1, 0x80000000, 40);
	struct pdt_diff *d = walk(NULL);
	const struct pdt_diff_guest *r = pdt_diff_guest(d, 1);
	assert_int_equal(r->status, PDT_DIFF_SAME);
	assert_int_equal(r->compared, 40);
	assert_int_equal(r->ended, PDT_DIFF_GOOD);
	/* The walk stopped once nothing could change: BAD's g2, which
	 * GOOD never ran, was not read. */
	assert_int_equal(pdt_diff_guest(d, 2)->status, PDT_DIFF_ABSENT);
	assert_true(pdt_diff_insns(d, 0) < 200);
	pdt_diff_free(d);
}

/* BAD runs g1 while GOOD runs g2: past the cap, g1 is not aligned. */
static void test_queue_cap(void **state)
{
	(void)state;
	run(&sides[0], 1, 0x80000000, 100);
	run(&sides[0], 2, 0x80001000, 100);
	run(&sides[1], 2, 0x80001000, 100);
	run(&sides[1], 1, 0x80000000, 100);
	struct pdt_diff_opts o;
	pdt_diff_opts_default(&o);
	o.whole[0] = o.whole[1] = true;
	o.queue = 10;
	struct pdt_diff *d = walk(&o);
	for (unsigned g = 1; g <= 2; g++) {
		const struct pdt_diff_guest *r = pdt_diff_guest(d, g);
		assert_int_equal(r->status, PDT_DIFF_NOT_ALIGNED);
		assert_int_equal(r->lead, g == 1 ? PDT_DIFF_BAD : PDT_DIFF_GOOD);
		assert_int_equal(r->queue_max, 10);
		assert_int_equal(r->at[r->lead], 10);
	}
	pdt_diff_free(d);
	/* With room enough, the same streams are the same. */
	sides[0].pos = sides[1].pos = 0;
	o.queue = 200;
	d = walk(&o);
	assert_int_equal(pdt_diff_guest(d, 1)->status, PDT_DIFF_SAME);
	assert_int_equal(pdt_diff_guest(d, 1)->compared, 100);
	assert_int_equal(pdt_diff_guest(d, 1)->queue_max, 100);
	pdt_diff_free(d);
}

/* A gap in GOOD's g1: compared again from the next common block, and
 * the divergence after it counted from there. */
static void test_gap_then_anchor(void **state)
{
	(void)state;
	for (int s = 0; s < 2; s++) {
		run(&sides[s], 1, 0x80000000, 30);
		if (s == 1)
			gap(&sides[s], 1);
		run(&sides[s], 1, 0x80000000 + 4 * 30, 10);
		block(&sides[s], 1, 9);
		run(&sides[s], 1, 0x00100000, 12);
		run(&sides[s], 1, s ? 0x00200000 : 0x00300000, 3);
	}
	struct pdt_diff *d = walk(NULL);
	const struct pdt_diff_guest *r = pdt_diff_guest(d, 1);
	assert_int_equal(r->status, PDT_DIFF_DIVERGED);
	assert_int_equal(r->anchors, 2);
	assert_int_equal(r->anchor, PDT_DIFF_AT_BLOCK);
	assert_int_equal(r->anchor_value, 9);
	assert_int_equal(r->local, 12);
	assert_int_equal(r->compared, 42);
	assert_int_equal(r->at[0], 52);
	pdt_diff_free(d);
}

/* Only the guests asked for. */
static void test_one_guest(void **state)
{
	(void)state;
	run(&sides[0], 1, 0x80000000, 10);
	run(&sides[0], 2, 0x80000000, 10);
	run(&sides[1], 1, 0x80000000, 10);
	run(&sides[1], 2, 0x80000040, 10);
	struct pdt_diff_opts o;
	pdt_diff_opts_default(&o);
	o.whole[0] = o.whole[1] = true;
	o.guests = 1u << 1;
	struct pdt_diff *d = walk(&o);
	assert_int_equal(pdt_diff_guest(d, 1)->status, PDT_DIFF_SAME);
	assert_int_equal(pdt_diff_guest(d, 2)->status, PDT_DIFF_ABSENT);
	assert_null(pdt_diff_guest(d, 9));
	pdt_diff_free(d);
}


/*
 * An interrupt taken to root in a branch's delay slot: the branch runs
 * again when the guest resumes.  It is one instruction of the guest's, not
 * two: BAD (interrupted there) and GOOD (not) are the same.
 */
static void test_delay_slot_interrupt(void **state)
{
	(void)state;
	struct stream *a = &sides[0], *b = &sides[1];
	run(a, 1, 0x80000000, 4);
	insn(a, 1, 0x80000010)->insn.word = 0x14000003; /* bne zero,zero: a delay slot */
	struct pdt_flow_item *e = event(a, 1, PDT_EV_EXCEPTION);
	e->ev.exc.code = EXC_INT;
	e->ev.exc.root = true;
	e->ev.exc.pc = 0x80000014;
	run(a, 0, 0x80100000, 30); /* the hypervisor */
	insn(a, 1, 0x80000010)->insn.word = 0x14000003; /* again */
	run(a, 1, 0x80000014, 10);
	run(b, 1, 0x80000000, 4);
	insn(b, 1, 0x80000010)->insn.word = 0x14000003;
	run(b, 1, 0x80000014, 10);
	struct pdt_diff *d = walk(NULL);
	const struct pdt_diff_guest *r = pdt_diff_guest(d, 1);
	assert_int_equal(r->status, PDT_DIFF_SAME);
	assert_int_equal(r->compared, 15);
	pdt_diff_free(d);
}
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_same_interleaved, setup),
		cmocka_unit_test_setup(test_delay_slot_interrupt, setup),
		cmocka_unit_test_setup(test_diverge_first, setup),
		cmocka_unit_test_setup(test_diverge_excerpt, setup),
		cmocka_unit_test_setup(test_anchor_window, setup),
		cmocka_unit_test_setup(test_anchor_marker_and_none, setup),
		cmocka_unit_test_setup(test_one_side_ends, setup),
		cmocka_unit_test_setup(test_queue_cap, setup),
		cmocka_unit_test_setup(test_gap_then_anchor, setup),
		cmocka_unit_test_setup(test_one_guest, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
