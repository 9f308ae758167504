/*
 * The trace detectors (pdtrace/detect.h) on hand-made item streams: each
 * detector fires on the pattern it proves and stays quiet on the near
 * misses (one repeat short, a guest mtc0 to PageMask, a gap, a probe that
 * still matches, a register root may change, root's own instructions),
 * titles are the same across episodes, and episodes of one title in one
 * guest are one finding with a count.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <mips/exc.h>
#include <pdtrace/detect.h>
#include <vzsoak/hypercall.h>
#include <vzsoak/utm.h>

#define W_NOP 0x00000000u
#define W_TLBP 0x42000008u
#define W_TLBR 0x42000001u
#define W_TLBWI 0x42000002u
#define W_MTC0_PAGEMASK 0x409a2800u /* mtc0 k0, c0_pagemask */
#define W_MTC0_ENTRYHI 0x409a5000u  /* mtc0 k0, c0_entryhi */
#define W_MTC0_INDEX 0x409a0000u    /* mtc0 k0, c0_index */

#define PM_16K 0x6000u
#define PM_4K 0x0u

struct stream {
	struct pdt_detect *d;
	uint64_t index;
};

static void start(struct stream *s)
{
	memset(s, 0, sizeof *s);
	assert_int_equal(pdt_detect_new(&s->d, NULL), 0);
	s->index = 1000;
}

static struct pdt_ctx guest_ctx(unsigned gid, bool exl, uint8_t asid)
{
	return (struct pdt_ctx){ .ksu = exl ? PDT_KERNEL : PDT_USER, .exl = exl, .guest = true,
				 .asid = asid, .guestid = (uint8_t)gid };
}

/* One instruction of guest gid; exc: the ExcCode it raised, or -1. */
static void insn(struct stream *s, unsigned gid, bool exl, uint8_t asid, uint32_t pc,
		 uint32_t word, int exc)
{
	struct pdt_flow_item it = { .is_insn = true, .index = s->index++,
				    .ctx = guest_ctx(gid, exl, asid) };
	it.insn.pc = pc;
	it.insn.word = word;
	it.insn.have_word = true;
	it.insn.exc = exc;
	it.insn.block = -1;
	pdt_detect_feed(s->d, &it);
}

static void event(struct stream *s, struct pdt_flow_item *it)
{
	it->is_insn = false;
	it->index = s->index;
	pdt_detect_feed(s->d, it);
}

static void tlb_exception(struct stream *s, unsigned gid, uint8_t asid, unsigned code,
			  uint32_t pc)
{
	struct pdt_flow_item it = { .ctx = guest_ctx(gid, true, asid) };
	it.ev.kind = PDT_EV_EXCEPTION;
	it.ev.exc.code = (uint8_t)code;
	it.ev.exc.pc = pc;
	it.ev.exc.vector = 0x80000180;
	event(s, &it);
}

static void eret(struct stream *s, unsigned gid, uint8_t asid, uint32_t to)
{
	struct pdt_flow_item it = { .ctx = guest_ctx(gid, false, asid) };
	it.ev.kind = PDT_EV_ERET;
	it.ev.eret.to = to;
	event(s, &it);
}

/* A hypervisor message: guest gid's exit or entry with its PageMask. */
static void message(struct stream *s, enum pdt_flow_event kind, unsigned gid, uint32_t pm)
{
	struct pdt_flow_item it = { .ctx = { .ksu = PDT_KERNEL } };
	it.ev.kind = kind;
	it.ev.guest.gid = gid;
	it.ev.guest.st.pagemask = pm;
	event(s, &it);
}

/* The same with the guest's whole CP0 state as the message carries it. */
static void message_st(struct stream *s, enum pdt_flow_event kind, unsigned gid,
		       const struct pdt_flow_vmexit *st)
{
	struct pdt_flow_item it = { .ctx = { .ksu = PDT_KERNEL } };
	it.ev.kind = kind;
	it.ev.guest.gid = gid;
	it.ev.guest.st = *st;
	event(s, &it);
}

/* One instruction of root (the hypervisor). */
static void root_insn(struct stream *s, uint32_t pc)
{
	struct pdt_flow_item it = { .is_insn = true, .index = s->index++,
				    .ctx = { .ksu = PDT_KERNEL, .exl = true } };
	it.insn.pc = pc;
	it.insn.word = W_NOP;
	it.insn.have_word = true;
	it.insn.exc = -1;
	it.insn.block = -1;
	pdt_detect_feed(s->d, &it);
}

/* One instruction in guest mode with this GuestID (the hardware's,
 * whatever guest the hypervisor meant to run). */
static void insn_guestid(struct stream *s, unsigned guestid, uint32_t pc)
{
	struct pdt_flow_item it = { .is_insn = true, .index = s->index++,
				    .ctx = guest_ctx(guestid, false, 2) };
	it.insn.pc = pc;
	it.insn.word = W_NOP;
	it.insn.have_word = true;
	it.insn.exc = -1;
	it.insn.block = -1;
	pdt_detect_feed(s->d, &it);
}

static void gap(struct stream *s, unsigned gid, enum pdt_flow_gap why)
{
	struct pdt_flow_item it = { .ctx = guest_ctx(gid, true, 2) };
	it.ev.kind = PDT_EV_GAP;
	it.ev.gap.why = why;
	event(s, &it);
}

/* The findings of one detector. */
static size_t of(struct stream *s, enum pdt_detector det, const struct pdt_finding **first)
{
	const struct pdt_finding *list;
	size_t n = pdt_detect_findings(s->d, &list), k = 0;
	*first = NULL;
	for (size_t i = 0; i < n; i++) {
		if (list[i].det != det)
			continue;
		if (!k++)
			*first = &list[i];
	}
	return k;
}

static void finish(struct stream *s)
{
	pdt_detect_free(s->d);
}

/* ------------------------------------------------------------ livelock */

/* A user load at 0x4000 that takes TLBL n times, its handler doing
 * nothing useful in between. */
static void repeat_fault(struct stream *s, unsigned n, bool progress_between)
{
	for (unsigned i = 0; i < n; i++) {
		insn(s, 1, false, 2, 0x4000, W_NOP, EXC_TLBL);
		tlb_exception(s, 1, 2, EXC_TLBL, 0x4000);
		insn(s, 1, true, 2, 0x80000180, W_NOP, -1);
		insn(s, 1, true, 2, 0x80000184, W_NOP, -1);
		eret(s, 1, 2, 0x4000);
		if (progress_between)
			insn(s, 1, false, 2, 0x3ffc, W_NOP, -1);
	}
}

static void test_livelock(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	repeat_fault(&s, 100, false);
	const struct pdt_finding *f;
	assert_int_equal(of(&s, PDT_DET_LIVELOCK, &f), 1);
	assert_int_equal(f->sev, PDT_SEV_BUG);
	assert_int_equal(f->guest, 1);
	assert_int_equal(f->pc, 0x4000);
	assert_string_equal(f->title, "livelock: the same TLB exception repeats with no progress");
	assert_non_null(strstr(f->evidence, "TLBL at pc 00004000 100 times"));
	assert_false(pdt_detector_needs_messages(f->det));
	finish(&s);
}

static void test_livelock_one_short(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	repeat_fault(&s, 99, false);
	const struct pdt_finding *f;
	assert_int_equal(of(&s, PDT_DET_LIVELOCK, &f), 0);
	finish(&s);
}

static void test_livelock_progress(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	repeat_fault(&s, 300, true);
	const struct pdt_finding *f;
	assert_int_equal(of(&s, PDT_DET_LIVELOCK, &f), 0);
	finish(&s);
}

static void test_livelock_limit(void **state)
{
	(void)state;
	struct stream s;
	memset(&s, 0, sizeof s);
	struct pdt_detect_config cfg = { .repeat_limit = 5 };
	assert_int_equal(pdt_detect_new(&s.d, &cfg), 0);
	repeat_fault(&s, 5, false);
	const struct pdt_finding *f;
	assert_int_equal(of(&s, PDT_DET_LIVELOCK, &f), 1);
	finish(&s);
}

/* ------------------------------------------------------------ the shrinking page */

/*
 * Guest 1 is entered with 16K pages, takes TLBL, is preempted (guest 2
 * runs), resumes, probes (the entry is gone), reads Index's entry back
 * (EntryHi's ASID becomes 0), writes it, erets and exits with 4K, unless
 * put_back: then it writes PageMask back first.
 */
static void shrinking_page(struct stream *s, bool put_back, uint32_t pc)
{
	message(s, PDT_EV_GUEST_ENTRY, 1, PM_16K);
	insn(s, 1, false, 2, pc, W_NOP, EXC_TLBL);
	tlb_exception(s, 1, 2, EXC_TLBL, pc);
	insn(s, 1, true, 2, 0x80000180, W_NOP, -1);
	message(s, PDT_EV_GUEST_EXIT, 1, PM_16K);
	message(s, PDT_EV_GUEST_ENTRY, 2, PM_16K);
	insn(s, 2, false, 7, 0x5000, W_NOP, -1);
	message(s, PDT_EV_GUEST_EXIT, 2, PM_16K);
	message(s, PDT_EV_GUEST_ENTRY, 1, PM_16K);
	insn(s, 1, true, 2, 0x80000184, W_TLBP, -1);
	insn(s, 1, true, 2, 0x80000188, W_TLBR, -1);
	insn(s, 1, true, 0, 0x8000018c, W_TLBWI, -1);
	if (put_back)
		insn(s, 1, true, 0, 0x80000190, W_MTC0_PAGEMASK, -1);
	eret(s, 1, 0, pc);
	insn(s, 1, false, 0, pc, W_NOP, EXC_TLBL);
	message(s, PDT_EV_GUEST_EXIT, 1, put_back ? PM_16K : PM_4K);
}

static void test_shrinking_page(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	shrinking_page(&s, false, 0x4000);
	const struct pdt_finding *f;
	assert_int_equal(of(&s, PDT_DET_PAGEMASK_RUN, &f), 1);
	assert_int_equal(f->sev, PDT_SEV_BUG);
	assert_string_equal(f->title, "shrinking page: PageMask 16K -> 4K after a tlbr in a "
				      "preempted TLB handler");
	assert_int_equal(f->pc, 0x80000188);
	assert_true(pdt_detector_needs_messages(f->det));
	assert_int_equal(of(&s, PDT_DET_TLBR_FOREIGN, &f), 1);
	assert_int_equal(f->sev, PDT_SEV_BUG);
	assert_string_equal(f->title,
			    "TLB handler: tlbr after a tlbp that missed, in a preempted handler");
	assert_non_null(strstr(f->evidence, "ASID 02 -> 00"));
	assert_int_equal(of(&s, PDT_DET_PREEMPTED_TLB, &f), 1);
	assert_int_equal(f->sev, PDT_SEV_NOTE);
	assert_non_null(strstr(f->evidence, "then ran: tlbp tlbr tlbwi"));
	/* The probe came after the preemption: no split. */
	assert_int_equal(of(&s, PDT_DET_TLBP_SPLIT, &f), 0);
	/* Bugs first. */
	const struct pdt_finding *list;
	size_t n = pdt_detect_findings(s.d, &list);
	assert_true(n >= 3);
	assert_int_equal(list[0].sev, PDT_SEV_BUG);
	assert_int_equal(list[n - 1].sev, PDT_SEV_NOTE);
	finish(&s);
}

static void test_shrinking_page_put_back(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	shrinking_page(&s, true, 0x4000);
	const struct pdt_finding *f;
	assert_int_equal(of(&s, PDT_DET_PAGEMASK_RUN, &f), 0);
	assert_int_equal(of(&s, PDT_DET_PAGEMASK_OUT, &f), 0);
	finish(&s);
}

/* Two episodes at other PCs and indices: one finding, counted twice, the
 * same title. */
static void test_one_title_counted(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	shrinking_page(&s, false, 0x4000);
	shrinking_page(&s, false, 0x7008);
	const struct pdt_finding *f;
	assert_int_equal(of(&s, PDT_DET_PAGEMASK_RUN, &f), 1);
	assert_int_equal(f->count, 2);
	assert_true(f->last_index > f->index);
	assert_int_equal(of(&s, PDT_DET_TLBR_FOREIGN, &f), 1);
	assert_int_equal(f->count, 2);
	finish(&s);
}

/* ------------------------------------------------------------ PageMask */

static void test_pagemask_while_out(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	message(&s, PDT_EV_GUEST_ENTRY, 1, PM_16K);
	insn(&s, 1, false, 2, 0x4000, W_NOP, -1);
	message(&s, PDT_EV_GUEST_EXIT, 1, PM_16K);
	message(&s, PDT_EV_GUEST_ENTRY, 1, PM_4K);
	const struct pdt_finding *f;
	assert_int_equal(of(&s, PDT_DET_PAGEMASK_OUT, &f), 1);
	assert_int_equal(f->sev, PDT_SEV_BUG);
	assert_string_equal(f->title, "PageMask 16K -> 4K while the guest was switched out");
	/* PageMask is that detector's alone. */
	assert_int_equal(of(&s, PDT_DET_CP0_OUT, &f), 0);
	finish(&s);
}

static void test_pagemask_no_write(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	message(&s, PDT_EV_GUEST_ENTRY, 1, PM_16K);
	insn(&s, 1, false, 2, 0x4000, W_NOP, -1);
	insn(&s, 1, true, 2, 0x80000180, W_MTC0_ENTRYHI, -1); /* not PageMask */
	message(&s, PDT_EV_GUEST_EXIT, 1, PM_4K);
	const struct pdt_finding *f;
	assert_int_equal(of(&s, PDT_DET_PAGEMASK_RUN, &f), 1);
	assert_string_equal(f->title, "PageMask 16K -> 4K with no guest write");
	finish(&s);
}

/* What the guest ran in a gap is unknown: no claim about it. */
static void test_gap_forgets(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	message(&s, PDT_EV_GUEST_ENTRY, 1, PM_16K);
	insn(&s, 1, false, 2, 0x4000, W_NOP, -1);
	gap(&s, 1, PDT_FGAP_NO_CODE);
	message(&s, PDT_EV_GUEST_EXIT, 1, PM_4K);
	repeat_fault(&s, 60, false);
	gap(&s, 1, PDT_FGAP_OVERFLOW);
	repeat_fault(&s, 60, false);
	const struct pdt_finding *f;
	assert_int_equal(of(&s, PDT_DET_PAGEMASK_RUN, &f), 0);
	assert_int_equal(of(&s, PDT_DET_LIVELOCK, &f), 0);
	assert_int_equal(pdt_detect_gaps(s.d), 2);
	finish(&s);
}

/* ------------------------------------------------------------ tlbp split */

/* tlbp, another guest runs, then tlbr: a warning; EntryHi unchanged, so
 * the entry read back is the one probed: no foreign-entry finding. */
static void test_split(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	tlb_exception(&s, 1, 2, EXC_TLBL, 0x4000);
	insn(&s, 1, true, 2, 0x80000180, W_TLBP, -1);
	insn(&s, 2, false, 7, 0x5000, W_NOP, -1);
	insn(&s, 1, true, 2, 0x80000184, W_TLBR, -1);
	insn(&s, 1, true, 2, 0x80000188, W_TLBWI, -1);
	eret(&s, 1, 2, 0x4000);
	const struct pdt_finding *list;
	size_t n = pdt_detect_findings(s.d, &list);
	unsigned tlbr = 0, tlbwi = 0;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(list[i].title, "TLB handler: tlbp and tlbr split by a world switch"))
			tlbr++;
		if (!strcmp(list[i].title, "TLB handler: tlbp and tlbwi split by a world switch"))
			tlbwi++;
		if (list[i].det == PDT_DET_TLBP_SPLIT)
			assert_int_equal(list[i].sev, PDT_SEV_WARNING);
	}
	assert_int_equal(tlbr, 1);
	assert_int_equal(tlbwi, 1);
	const struct pdt_finding *f;
	assert_int_equal(of(&s, PDT_DET_TLBR_FOREIGN, &f), 0);
	finish(&s);
}

/* tlbp, another guest runs, then the handler writes Index itself (Linux's
 * slow path, kmap_coherent's wired entry) before its tlbwi: that tlbwi
 * does not use the probe's Index, and nothing was split. */
static void test_split_index_rewritten(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	tlb_exception(&s, 1, 2, EXC_TLBS, 0x4000);
	insn(&s, 1, true, 2, 0x80000180, W_TLBP, -1);
	insn(&s, 2, false, 7, 0x5000, W_NOP, -1);
	insn(&s, 1, true, 2, 0x80000184, W_MTC0_INDEX, -1);
	insn(&s, 1, true, 2, 0x80000188, W_TLBWI, -1);
	eret(&s, 1, 2, 0x4000);
	const struct pdt_finding *f;
	assert_int_equal(of(&s, PDT_DET_TLBP_SPLIT, &f), 0);
	finish(&s);
}

/* tlbp, another guest runs, tlbr loads another ASID: the found entry was
 * replaced. */
static void test_split_replaced(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	tlb_exception(&s, 1, 2, EXC_TLBL, 0x4000);
	insn(&s, 1, true, 2, 0x80000180, W_TLBP, -1);
	insn(&s, 3, false, 7, 0x5000, W_NOP, -1);
	insn(&s, 1, true, 2, 0x80000184, W_TLBR, -1);
	insn(&s, 1, true, 9, 0x80000188, W_NOP, -1);
	const struct pdt_finding *f;
	assert_int_equal(of(&s, PDT_DET_TLBR_FOREIGN, &f), 1);
	assert_int_equal(f->sev, PDT_SEV_WARNING);
	assert_string_equal(f->title, "TLB handler: tlbr read a replaced entry after a world switch");
	assert_non_null(strstr(f->evidence, "g3 ran"));
	finish(&s);
}

/* No other guest ran: a missed probe read back is a warning only. */
static void test_missed_unpreempted(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	tlb_exception(&s, 1, 2, EXC_TLBL, 0x4000);
	insn(&s, 1, true, 2, 0x80000180, W_TLBP, -1);
	insn(&s, 1, true, 2, 0x80000184, W_TLBR, -1);
	insn(&s, 1, true, 0, 0x80000188, W_NOP, -1);
	const struct pdt_finding *f;
	assert_int_equal(of(&s, PDT_DET_TLBR_FOREIGN, &f), 1);
	assert_int_equal(f->sev, PDT_SEV_WARNING);
	assert_string_equal(f->title, "TLB handler: tlbr after a tlbp that missed");
	finish(&s);
}

/* ------------------------------------------------------------ CP0 across an exit */

/* A guest's state at an exit: in its TLB handler, Index from a tlbp that
 * found its entry. */
static const struct pdt_flow_vmexit g1_out = {
	.code = 0, .pc = 0x80000188, .epc = 0x0000404c, .status = 0x00008013,
	.cause = 0x00000008, .badvaddr = 0x00424000, .entryhi = 0x00424002,
	.pagemask = PM_16K, .index = 5,
};

/* Guest 1 exits with g1_out, guest 2 runs (a switch) unless alone, and
 * guest 1 is entered again with `in`. */
static void out_and_back(struct stream *s, const struct pdt_flow_vmexit *in, bool alone)
{
	struct pdt_flow_vmexit g2 = { .pc = 0x5000, .epc = 0x5000, .pagemask = PM_16K };
	message_st(s, PDT_EV_GUEST_ENTRY, 1, &g1_out);
	insn(s, 1, true, 2, 0x80000188, W_NOP, -1);
	message_st(s, PDT_EV_GUEST_EXIT, 1, &g1_out);
	if (!alone) {
		message_st(s, PDT_EV_GUEST_ENTRY, 2, &g2);
		insn(s, 2, false, 7, 0x5000, W_NOP, -1);
		message_st(s, PDT_EV_GUEST_EXIT, 2, &g2);
	}
	message_st(s, PDT_EV_GUEST_ENTRY, 1, in);
}

static void test_cp0_out_each_register(void **state)
{
	(void)state;
	static const struct {
		const char *title;
		size_t off;
		const char *evidence;
	} regs[] = {
		{ "guest EPC not restored across an exit", offsetof(struct pdt_flow_vmexit, epc),
		  "EPC 0x0000404c and is entered" },
		{ "guest BadVAddr not restored across an exit",
		  offsetof(struct pdt_flow_vmexit, badvaddr), "BadVAddr 0x00424000 and is entered" },
		{ "guest EntryHi not restored across an exit",
		  offsetof(struct pdt_flow_vmexit, entryhi), "EntryHi 0x00424002 and is entered" },
		{ "guest Index not restored across an exit", offsetof(struct pdt_flow_vmexit, index),
		  "Index 0x00000005 and is entered" },
	};
	for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++) {
		struct stream s;
		start(&s);
		struct pdt_flow_vmexit in = g1_out;
		uint32_t v;
		memcpy(&v, (char *)&in + regs[i].off, sizeof v);
		v ^= 0x00010000u; /* another page, another index */
		memcpy((char *)&in + regs[i].off, &v, sizeof v);
		out_and_back(&s, &in, false);
		const struct pdt_finding *f;
		assert_int_equal(of(&s, PDT_DET_CP0_OUT, &f), 1);
		assert_int_equal(f->sev, PDT_SEV_BUG);
		assert_int_equal(f->guest, 1);
		assert_string_equal(f->title, regs[i].title);
		assert_non_null(strstr(f->evidence, regs[i].evidence));
		char want[32];
		snprintf(want, sizeof want, "with 0x%08x (", (unsigned)v);
		assert_non_null(strstr(f->evidence, want));
		assert_non_null(strstr(f->evidence, "g2 was entered in between"));
		assert_true(pdt_detector_needs_messages(f->det));
		assert_string_equal(pdt_detector_name(f->det), "cp0-not-restored");
		/* PageMask was given back: its detector says nothing. */
		assert_int_equal(of(&s, PDT_DET_PAGEMASK_OUT, &f), 0);
		finish(&s);
	}
}

/* All given back; Status and Cause changed (root completes a guest's
 * mtc0 to them, injects interrupts), and Index.P, which no mtc0 can put
 * back: nothing. */
static void test_cp0_out_restored(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	struct pdt_flow_vmexit in = g1_out;
	in.status ^= 0x1;
	in.cause |= 0x400; /* IP2 */
	in.index |= 0x80000000u;
	in.pc += 4;        /* the exit's instruction emulated */
	out_and_back(&s, &in, false);
	out_and_back(&s, &g1_out, true);
	const struct pdt_finding *list;
	assert_int_equal(pdt_detect_findings(s.d, &list), 0);
	finish(&s);
}

/* A timer interrupt pending at the exit is gone at the entry: lost; one
 * that came while the guest was out, or stayed, is not. */
static void test_cp0_out_timer(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	struct pdt_flow_vmexit pending = g1_out;
	pending.cause |= 0x40000000u;
	message_st(&s, PDT_EV_GUEST_ENTRY, 1, &g1_out);
	insn(&s, 1, true, 2, 0x80000188, W_NOP, -1);
	message_st(&s, PDT_EV_GUEST_EXIT, 1, &pending);
	message_st(&s, PDT_EV_GUEST_ENTRY, 1, &pending);   /* kept */
	message_st(&s, PDT_EV_GUEST_EXIT, 1, &g1_out);
	message_st(&s, PDT_EV_GUEST_ENTRY, 1, &pending);   /* came while out */
	const struct pdt_finding *f;
	assert_int_equal(of(&s, PDT_DET_CP0_OUT, &f), 0);
	message_st(&s, PDT_EV_GUEST_EXIT, 1, &pending);
	message_st(&s, PDT_EV_GUEST_ENTRY, 1, &g1_out);    /* dropped */
	assert_int_equal(of(&s, PDT_DET_CP0_OUT, &f), 1);
	assert_int_equal(f->sev, PDT_SEV_BUG);
	assert_string_equal(f->title, "guest timer interrupt (Cause.TI) dropped across an exit");
	assert_non_null(strstr(f->evidence, "Cause 0x40000008, its timer interrupt pending"));
	finish(&s);
}

/* No other guest ran between the exit and the entry: the evidence says
 * so (the exit's handling changed it, or a put/load of the guest alone);
 * the title is the same. */
static void test_cp0_out_alone(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	struct pdt_flow_vmexit in = g1_out;
	in.epc = 0x00004050;
	out_and_back(&s, &in, true);
	const struct pdt_finding *f;
	assert_int_equal(of(&s, PDT_DET_CP0_OUT, &f), 1);
	assert_string_equal(f->title, "guest EPC not restored across an exit");
	assert_non_null(strstr(f->evidence, "no other guest was entered in between"));
	finish(&s);
}

/* Each register is a title of its own; episodes of one are counted. */
static void test_cp0_out_counted(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	struct pdt_flow_vmexit in = g1_out;
	in.entryhi = 0x00410002;
	in.badvaddr = 0x00410000;
	out_and_back(&s, &in, false);
	in = g1_out;
	in.entryhi = 0x00400002;
	out_and_back(&s, &in, false);
	const struct pdt_finding *list;
	size_t n = pdt_detect_findings(s.d, &list);
	assert_int_equal(n, 2);
	unsigned entryhi = 0, badvaddr = 0;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(list[i].det, PDT_DET_CP0_OUT);
		if (!strcmp(list[i].title, "guest EntryHi not restored across an exit")) {
			entryhi++;
			assert_int_equal(list[i].count, 2);
		} else if (!strcmp(list[i].title, "guest BadVAddr not restored across an exit")) {
			badvaddr++;
			assert_int_equal(list[i].count, 1);
		}
	}
	assert_int_equal(entryhi, 1);
	assert_int_equal(badvaddr, 1);
	finish(&s);
}

/* Records lost between the exit and the entry (damage, overflow): an exit
 * and entry may be among them, so the saved exit is not the last one: no
 * claim, for any register or PageMask. */
static void test_cp0_out_gap(void **state)
{
	(void)state;
	static const enum pdt_flow_gap lost[] = { PDT_FGAP_OVERFLOW, PDT_FGAP_TRACE };
	for (size_t i = 0; i < sizeof lost / sizeof lost[0]; i++) {
		struct stream s;
		start(&s);
		struct pdt_flow_vmexit in = g1_out;
		in.epc = 0x00004050;
		in.badvaddr = 0;
		in.entryhi = 0x00410002;
		in.index = 7;
		in.pagemask = PM_4K;
		message_st(&s, PDT_EV_GUEST_ENTRY, 1, &g1_out);
		message_st(&s, PDT_EV_GUEST_EXIT, 1, &g1_out);
		root_insn(&s, 0x80001000);
		gap(&s, 1, lost[i]);
		root_insn(&s, 0x80001000);
		message_st(&s, PDT_EV_GUEST_ENTRY, 1, &in);
		const struct pdt_finding *list;
		assert_int_equal(pdt_detect_findings(s.d, &list), 0);
		finish(&s);
	}
}

/* ------------------------------------------------------------ GuestID */

/* Guest 2 is entered (root runs on to its eret), then the first guest
 * instruction runs with GuestID `seen`. */
static void enter_g2(struct stream *s, unsigned seen)
{
	struct pdt_flow_vmexit st = { .pc = 0x80000400, .pagemask = PM_16K };
	message_st(s, PDT_EV_GUEST_ENTRY, 2, &st);
	root_insn(s, 0x80001230);
	root_insn(s, 0x80001234);
	insn_guestid(s, seen, 0x80000400);
	insn_guestid(s, seen, 0x80000404);
	message_st(s, PDT_EV_GUEST_EXIT, 2, &st);
}

static void test_guestid_shared(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	enter_g2(&s, 1);
	const struct pdt_finding *f;
	assert_int_equal(of(&s, PDT_DET_GUESTID, &f), 1);
	assert_int_equal(f->sev, PDT_SEV_BUG);
	assert_int_equal(f->guest, 2);
	assert_int_equal(f->pc, 0x80000400);
	assert_string_equal(f->title,
			    "two guests share a GuestID: a guest ran with another guest's GuestID");
	assert_non_null(strstr(f->evidence, "ran with GuestID 1"));
	assert_true(pdt_detector_needs_messages(f->det));
	assert_string_equal(pdt_detector_name(f->det), "guestid-mismatch");
	/* Every entry does it: one finding, counted. */
	enter_g2(&s, 1);
	assert_int_equal(of(&s, PDT_DET_GUESTID, &f), 1);
	assert_int_equal(f->count, 2);
	finish(&s);
}

static void test_guestid_root(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	enter_g2(&s, 0);
	const struct pdt_finding *f;
	assert_int_equal(of(&s, PDT_DET_GUESTID, &f), 1);
	assert_string_equal(f->title, "a guest ran with GuestID 0, root's");
	finish(&s);
}

/* Its own GuestID; root's instructions (GuestID 0, not guest mode) after
 * the entry; no entry seen at all; the first instruction only. */
static void test_guestid_own(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	insn_guestid(&s, 1, 0x80000400); /* before any entry: no claim */
	enter_g2(&s, 2);
	struct pdt_flow_vmexit st = { .pc = 0x80000400, .pagemask = PM_16K };
	message_st(&s, PDT_EV_GUEST_ENTRY, 2, &st);
	for (int i = 0; i < 10; i++)
		root_insn(&s, 0x80001230 + 4 * i);
	insn_guestid(&s, 2, 0x80000400);
	insn_guestid(&s, 3, 0x80000404); /* not the entry's first: not checked */
	const struct pdt_finding *f;
	assert_int_equal(of(&s, PDT_DET_GUESTID, &f), 0);
	finish(&s);
}

/* Records lost after the entry: the guest instruction may follow an entry
 * that was lost with them.  An exit before any guest instruction: the
 * guest ran untraced (trace-guests=), the next one is another run's. */
static void test_guestid_gap(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	struct pdt_flow_vmexit st = { .pc = 0x80000400, .pagemask = PM_16K };
	message_st(&s, PDT_EV_GUEST_ENTRY, 2, &st);
	root_insn(&s, 0x80001230);
	gap(&s, 0, PDT_FGAP_OVERFLOW);
	insn_guestid(&s, 1, 0x80000400);
	message_st(&s, PDT_EV_GUEST_ENTRY, 2, &st);
	gap(&s, 0, PDT_FGAP_TRACE);
	insn_guestid(&s, 1, 0x80000400);
	message_st(&s, PDT_EV_GUEST_ENTRY, 2, &st);
	message_st(&s, PDT_EV_GUEST_EXIT, 2, &st);
	insn_guestid(&s, 1, 0x80000400);
	const struct pdt_finding *f;
	assert_int_equal(of(&s, PDT_DET_GUESTID, &f), 0);
	finish(&s);
}

/* ------------------------------------------------------------ delay slots */

#define W_B_TARGET 0x10000003u  /* b .+16 (beq zero,zero): its target is pc + 16 */
#define W_B_SLOT 0x10000000u    /* b .+4: a branch to its own delay slot */
#define W_JR_RA 0x03e00008u     /* jr ra */
#define W_HC8 0x42004028u       /* hypcall 8 */
#define DS_PC 0x800026b0u
#define HC8_EXIT UTM_CODE(EXC_GE, GEXC_HC, 8)

/* Guest 1 runs `branch` at DS_PC and a hypercall in its delay slot, which
 * exits (root EPC: the branch), guest 2 runs, and guest 1 is entered
 * again at `resume`; gap_between: records lost before that entry. */
static void dslot_exit(struct stream *s, uint32_t branch, uint32_t resume,
		       enum pdt_flow_gap gap_between)
{
	struct pdt_flow_vmexit st = { .pc = 0x80002600, .pagemask = PM_16K };
	message_st(s, PDT_EV_GUEST_ENTRY, 1, &st);
	insn(s, 1, false, 2, DS_PC - 4, W_NOP, -1);
	insn(s, 1, false, 2, DS_PC, branch, -1);
	insn(s, 1, false, 2, DS_PC + 4, W_HC8, EXC_GE);
	root_insn(s, 0x80101180);
	st.code = HC8_EXIT;
	st.pc = DS_PC;
	message_st(s, PDT_EV_GUEST_EXIT, 1, &st);
	struct pdt_flow_vmexit g2 = { .pc = 0x5000, .pagemask = PM_16K };
	message_st(s, PDT_EV_GUEST_ENTRY, 2, &g2);
	insn(s, 2, false, 7, 0x5000, W_NOP, -1);
	message_st(s, PDT_EV_GUEST_EXIT, 2, &g2);
	if (gap_between)
		gap(s, 0, gap_between);
	st.code = 0;
	st.pc = resume;
	message_st(s, PDT_EV_GUEST_ENTRY, 1, &st);
	insn(s, 1, false, 2, resume, W_NOP, -1);
}

static void test_dslot_resumed_in_slot(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	dslot_exit(&s, W_B_TARGET, DS_PC + 4, 0);
	const struct pdt_finding *f;
	assert_int_equal(of(&s, PDT_DET_DSLOT_RESUME, &f), 1);
	assert_int_equal(f->sev, PDT_SEV_BUG);
	assert_int_equal(f->guest, 1);
	assert_int_equal(f->pc, DS_PC + 4);
	assert_string_equal(f->title,
			    "exit in a branch delay slot resumed in the slot: the branch was lost");
	assert_non_null(strstr(f->evidence, "(HC 8) with its PC at 800026b0, \"b 0x800026c0\""));
	assert_non_null(strstr(f->evidence, "its target 800026c0 or 800026b8"));
	assert_true(pdt_detector_needs_messages(f->det));
	/* The same again: one finding, counted. */
	dslot_exit(&s, W_B_TARGET, DS_PC + 4, 0);
	assert_int_equal(of(&s, PDT_DET_DSLOT_RESUME, &f), 1);
	assert_int_equal(f->count, 2);
	finish(&s);
}

/* Resumed at the branch's target, after its slot (a not-taken branch),
 * or at the branch itself (an interrupt in the slot): right. */
static void test_dslot_resumed_right(void **state)
{
	(void)state;
	static const uint32_t right[] = { DS_PC + 16, DS_PC + 8, DS_PC };
	for (size_t i = 0; i < sizeof right / sizeof right[0]; i++) {
		struct stream s;
		start(&s);
		dslot_exit(&s, W_B_TARGET, right[i], 0);
		const struct pdt_finding *f;
		assert_int_equal(of(&s, PDT_DET_DSLOT_RESUME, &f), 0);
		finish(&s);
	}
}

/* An interrupt between a branch and its slot: EPC is the branch, the
 * branch the guest's last instruction; resumed in the slot it is lost. */
static void test_dslot_interrupted(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	struct pdt_flow_vmexit st = { .pc = 0x80002600, .pagemask = PM_16K };
	message_st(&s, PDT_EV_GUEST_ENTRY, 1, &st);
	insn(&s, 1, false, 2, DS_PC, W_B_TARGET, -1);
	st.pc = DS_PC;
	message_st(&s, PDT_EV_GUEST_EXIT, 1, &st); /* code 0: the timer */
	st.pc = DS_PC + 4;
	message_st(&s, PDT_EV_GUEST_ENTRY, 1, &st);
	const struct pdt_finding *f;
	assert_int_equal(of(&s, PDT_DET_DSLOT_RESUME, &f), 1);
	assert_non_null(strstr(f->evidence, "(timer)"));
	finish(&s);
}

/* Not claimed: a jr (its target was in a register), a branch to its own
 * slot, an exit whose PC is no branch the guest just ran, and records
 * lost between the exit and the entry. */
static void test_dslot_quiet(void **state)
{
	(void)state;
	struct stream s;
	const struct pdt_finding *f;
	start(&s);
	dslot_exit(&s, W_JR_RA, DS_PC + 4, 0);
	assert_int_equal(of(&s, PDT_DET_DSLOT_RESUME, &f), 0);
	finish(&s);
	start(&s);
	dslot_exit(&s, W_B_SLOT, DS_PC + 4, 0);
	assert_int_equal(of(&s, PDT_DET_DSLOT_RESUME, &f), 0);
	finish(&s);
	start(&s);
	dslot_exit(&s, W_NOP, DS_PC + 4, 0); /* a hypercall after a nop */
	assert_int_equal(of(&s, PDT_DET_DSLOT_RESUME, &f), 0);
	finish(&s);
	static const enum pdt_flow_gap lost[] = { PDT_FGAP_OVERFLOW, PDT_FGAP_TRACE };
	for (size_t i = 0; i < sizeof lost / sizeof lost[0]; i++) {
		start(&s);
		dslot_exit(&s, W_B_TARGET, DS_PC + 4, lost[i]);
		assert_int_equal(of(&s, PDT_DET_DSLOT_RESUME, &f), 0);
		finish(&s);
	}
	/* The hypercall after the slot was resumed in: not in a slot now. */
	start(&s);
	struct pdt_flow_vmexit st = { .pc = DS_PC + 4, .pagemask = PM_16K };
	message_st(&s, PDT_EV_GUEST_ENTRY, 1, &st);
	insn(&s, 1, false, 2, DS_PC + 4, W_HC8, EXC_GE);
	st.code = HC8_EXIT;
	message_st(&s, PDT_EV_GUEST_EXIT, 1, &st);
	st.code = 0;
	st.pc = DS_PC + 8;
	message_st(&s, PDT_EV_GUEST_ENTRY, 1, &st);
	assert_int_equal(of(&s, PDT_DET_DSLOT_RESUME, &f), 0);
	finish(&s);
}

/* ------------------------------------------------------------ virtual interrupts */

#define IP2 0x00000400u
#define HC10_EXIT UTM_CODE(EXC_GE, GEXC_HC, HC_DOORBELL_ACK)

static void virq(struct stream *s, unsigned gid, uint32_t lines)
{
	struct pdt_flow_item it = { .ctx = { .ksu = PDT_KERNEL, .exl = true } };
	it.ev.kind = PDT_EV_VIRQ;
	it.ev.msg.gid = gid;
	it.ev.msg.value = lines;
	event(s, &it);
}

/* Guest gid's exit (code, Cause), guest 2 in between, its entry (Cause). */
static void exit_and_entry(struct stream *s, unsigned gid, uint32_t code, uint32_t cause_out,
			   bool rung, uint32_t cause_in)
{
	struct pdt_flow_vmexit st = { .pc = 0x80001000, .pagemask = PM_16K, .code = code,
				      .cause = cause_out };
	message_st(s, PDT_EV_GUEST_EXIT, gid, &st);
	if (rung)
		virq(s, gid, IP2);
	struct pdt_flow_vmexit g2 = { .pc = 0x5000, .pagemask = PM_16K };
	message_st(s, PDT_EV_GUEST_ENTRY, 2, &g2);
	insn(s, 2, false, 7, 0x5000, W_NOP, -1);
	message_st(s, PDT_EV_GUEST_EXIT, 2, &g2);
	st.code = 0;
	st.pc = code ? 0x80001004 : 0x80001000;
	st.cause = cause_in;
	message_st(s, PDT_EV_GUEST_ENTRY, gid, &st);
	insn(s, gid, false, 2, st.pc, W_NOP, -1);
}

/* Rung at a timer exit, gone when the guest is entered again. */
static void test_virq_rung_dropped(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	exit_and_entry(&s, 1, 0, 0x00008000, true, 0x00008000);
	const struct pdt_finding *f;
	assert_int_equal(of(&s, PDT_DET_VIRQ_LOST, &f), 1);
	assert_int_equal(f->sev, PDT_SEV_BUG);
	assert_int_equal(f->guest, 1);
	assert_string_equal(f->title, "virtual interrupt (GuestCtl2.VIP) dropped across an exit");
	assert_non_null(strstr(f->evidence, "lines 0x00000400"));
	assert_non_null(strstr(f->evidence, "the hypervisor raised it for g1"));
	assert_non_null(strstr(f->evidence, "g2 was entered in between"));
	assert_true(pdt_detector_needs_messages(f->det));
	finish(&s);
}

/* Kept: the entry shows it.  Rung as the guest is loaded (the message
 * just before its entry): the entry shows it too. */
static void test_virq_kept(void **state)
{
	(void)state;
	struct stream s;
	start(&s);
	exit_and_entry(&s, 1, 0, 0x00008000, true, 0x00008000 | IP2);
	struct pdt_flow_vmexit st = { .pc = 0x80001000, .pagemask = PM_16K };
	message_st(&s, PDT_EV_GUEST_EXIT, 3, &st);
	virq(&s, 3, IP2);
	st.cause = IP2;
	message_st(&s, PDT_EV_GUEST_ENTRY, 3, &st);
	const struct pdt_finding *f;
	assert_int_equal(of(&s, PDT_DET_VIRQ_LOST, &f), 0);
	finish(&s);
}

/* Pending at an exit (a line the hypervisor raised for the guest before),
 * gone at the entry: lost, unless that exit acknowledged it. */
static void test_virq_pending_at_exit(void **state)
{
	(void)state;
	struct stream s;
	const struct pdt_finding *f;
	start(&s);
	exit_and_entry(&s, 1, 0, 0, true, IP2);
	exit_and_entry(&s, 1, HC10_EXIT, IP2, false, 0); /* acknowledged */
	assert_int_equal(of(&s, PDT_DET_VIRQ_LOST, &f), 0);
	exit_and_entry(&s, 1, 0, 0, true, IP2);
	exit_and_entry(&s, 1, 0, IP2, false, 0);        /* dropped */
	assert_int_equal(of(&s, PDT_DET_VIRQ_LOST, &f), 1);
	assert_non_null(strstr(f->evidence, "it was pending when g1 left"));
	finish(&s);
}

/* Not claimed: a line pending at an exit that the hypervisor never raised
 * for the guest (not its doorbell), and records lost in between. */
static void test_virq_quiet(void **state)
{
	(void)state;
	struct stream s;
	const struct pdt_finding *f;
	start(&s);
	exit_and_entry(&s, 1, 0, IP2, false, 0);
	exit_and_entry(&s, 3, 0, 0, true, IP2);
	exit_and_entry(&s, 1, 0, IP2, false, 0); /* g3's doorbell, not g1's */
	assert_int_equal(of(&s, PDT_DET_VIRQ_LOST, &f), 0);
	finish(&s);
	static const enum pdt_flow_gap lost[] = { PDT_FGAP_OVERFLOW, PDT_FGAP_TRACE };
	for (size_t i = 0; i < sizeof lost / sizeof lost[0]; i++) {
		start(&s);
		struct pdt_flow_vmexit st = { .pc = 0x80001000, .pagemask = PM_16K };
		message_st(&s, PDT_EV_GUEST_EXIT, 1, &st);
		virq(&s, 1, IP2);
		gap(&s, 0, lost[i]);
		message_st(&s, PDT_EV_GUEST_ENTRY, 1, &st);
		assert_int_equal(of(&s, PDT_DET_VIRQ_LOST, &f), 0);
		finish(&s);
	}
}

/* ------------------------------------------------------------ preserve=on */

#define W_EHB 0x000000c0u        /* ehb (sll zero,zero,3) */
#define W_MFC0_INDEX 0x40010000u /* mfc0 at, c0_index */
#define W_BGEZ_HIT 0x04210007u   /* bgez at, .+32: the probe hit */
#define W_BLTZ_MISS 0x04200007u  /* bltz at, .+32: the probe missed */
#define H_TLBP 0x80001200u

static void start_cfg(struct stream *s, bool preserves)
{
	memset(s, 0, sizeof *s);
	struct pdt_detect_config c = { .hv_preserves = preserves };
	assert_int_equal(pdt_detect_new(&s->d, &c), 0);
	s->index = 1000;
}

struct probe_case {
	uint32_t branch;   /* W_BGEZ_HIT or W_BLTZ_MISS */
	bool taken;        /* the way the branch went */
	bool preempted;    /* another guest ran before the tlbp */
	bool split;        /* another guest ran between the tlbp and its check */
	uint32_t vector;   /* of the TLB exception */
	bool nested;       /* taken at EXL 1 */
	enum pdt_flow_gap gap; /* records lost while it was out */
};

/* Guest 1's TLBL handler, switched out (or not) before its tlbp; then
 * "tlbp; ehb; mfc0 at, Index; b?? at, 1f; nop", going one way or the
 * other, then its eret. */
static void probe_handler(struct stream *s, const struct probe_case *c)
{
	struct pdt_flow_item ex = { .ctx = guest_ctx(1, c->nested, 2) };
	ex.ctx.ksu = PDT_USER;
	ex.ev.kind = PDT_EV_EXCEPTION;
	ex.ev.exc.code = EXC_TLBL;
	ex.ev.exc.pc = 0x4038;
	ex.ev.exc.vector = c->vector;
	insn(s, 1, c->nested, 2, 0x4038, W_NOP, EXC_TLBL);
	event(s, &ex);
	insn(s, 1, true, 2, c->vector, W_NOP, -1);
	if (c->preempted) {
		insn(s, 2, false, 7, 0x5000, W_NOP, -1);
		if (c->gap)
			gap(s, 2, c->gap);
	}
	insn(s, 1, true, 2, H_TLBP, W_TLBP, -1);
	if (c->split)
		insn(s, 2, false, 7, 0x5004, W_NOP, -1);
	insn(s, 1, true, 2, H_TLBP + 4, W_EHB, -1);
	insn(s, 1, true, 2, H_TLBP + 8, W_MFC0_INDEX, -1);
	insn(s, 1, true, 2, H_TLBP + 12, c->branch, -1);
	insn(s, 1, true, 2, H_TLBP + 16, W_NOP, -1);
	uint32_t next = c->taken ? H_TLBP + 12 + 4 + 28 : H_TLBP + 20;
	insn(s, 1, true, 2, next, W_NOP, -1);
	eret(s, 1, 2, 0x4038);
}

static size_t preserve_findings(const struct probe_case *c, bool preserves,
				const struct pdt_finding **out, struct stream *s)
{
	start_cfg(s, preserves);
	probe_handler(s, c);
	return of(s, PDT_DET_PRESERVE_MISS, out);
}

static void test_preserve_miss(void **state)
{
	(void)state;
	/* The stress kernel's check (bgez at, hit: not taken is a miss) and
	 * Linux's (bltz at, leave: taken is a miss). */
	static const struct probe_case miss[] = {
		{ .branch = W_BGEZ_HIT, .taken = false, .preempted = true, .vector = 0x80000180 },
		{ .branch = W_BLTZ_MISS, .taken = true, .preempted = true, .vector = 0x80000180 },
	};
	for (size_t i = 0; i < sizeof miss / sizeof miss[0]; i++) {
		struct stream s;
		const struct pdt_finding *f;
		assert_int_equal(preserve_findings(&miss[i], true, &f, &s), 1);
		assert_int_equal(f->sev, PDT_SEV_BUG);
		assert_int_equal(f->guest, 1);
		assert_int_equal(f->pc, H_TLBP);
		assert_string_equal(f->title, "TLB handler's entry evicted while the guest was "
					      "switched out, despite preserve=on");
		assert_non_null(strstr(f->evidence, "g1 took TLBL at epc 00004038"));
		assert_non_null(strstr(f->evidence, "went the way of a miss"));
		assert_false(pdt_detector_needs_messages(f->det));
		finish(&s);
	}
}

/* Quiet: the probe hit; no promise (preserve off); not switched out, or
 * only after the tlbp; a refill (no entry to keep) or a nested exception;
 * records lost while it was out. */
static void test_preserve_quiet(void **state)
{
	(void)state;
	static const struct probe_case quiet[] = {
		{ .branch = W_BGEZ_HIT, .taken = true, .preempted = true, .vector = 0x80000180 },
		{ .branch = W_BLTZ_MISS, .taken = false, .preempted = true, .vector = 0x80000180 },
		{ .branch = W_BGEZ_HIT, .taken = false, .preempted = false, .vector = 0x80000180 },
		{ .branch = W_BGEZ_HIT, .taken = false, .preempted = false, .split = true,
		  .vector = 0x80000180 },
		{ .branch = W_BGEZ_HIT, .taken = false, .preempted = true, .split = true,
		  .vector = 0x80000180 },
		{ .branch = W_BGEZ_HIT, .taken = false, .preempted = true, .vector = 0x80000000 },
		{ .branch = W_BGEZ_HIT, .taken = false, .preempted = true, .vector = 0x80000180,
		  .nested = true },
		{ .branch = W_BGEZ_HIT, .taken = false, .preempted = true, .vector = 0x80000180,
		  .gap = PDT_FGAP_OVERFLOW },
		{ .branch = W_BGEZ_HIT, .taken = false, .preempted = true, .vector = 0x80000180,
		  .gap = PDT_FGAP_TRACE },
	};
	for (size_t i = 0; i < sizeof quiet / sizeof quiet[0]; i++) {
		struct stream s;
		const struct pdt_finding *f;
		assert_int_equal(preserve_findings(&quiet[i], true, &f, &s), 0);
		finish(&s);
	}
	struct stream s;
	const struct pdt_finding *f;
	static const struct probe_case miss = { .branch = W_BGEZ_HIT, .taken = false,
						.preempted = true, .vector = 0x80000180 };
	assert_int_equal(preserve_findings(&miss, false, &f, &s), 0);
	finish(&s);
}

/* The header's boot arguments: preserve= as the hypervisor reads it (on
 * by default); no boot arguments, no hypervisor, no promise. */
static void test_preserve_header(void **state)
{
	(void)state;
	struct pdt_file_info info;
	struct pdt_detect_config c = { .repeat_limit = 7 };
	memset(&info, 0, sizeof info);
	pdt_detect_config_header(&c, &info);
	assert_false(c.hv_preserves);
	snprintf(info.bootargs, sizeof info.bootargs, "guests=4 seed=5");
	pdt_detect_config_header(&c, &info);
	assert_true(c.hv_preserves);
	snprintf(info.bootargs, sizeof info.bootargs, "guests=4 preserve=off");
	pdt_detect_config_header(&c, &info);
	assert_false(c.hv_preserves);
	snprintf(info.bootargs, sizeof info.bootargs, "preserve=on inject=no-preserve");
	pdt_detect_config_header(&c, &info);
	assert_true(c.hv_preserves);
	assert_int_equal(c.repeat_limit, 7);
}

static void test_names(void **state)
{
	(void)state;
	for (int d = 0; d < PDT_DET_COUNT; d++) {
		assert_string_not_equal(pdt_detector_name((enum pdt_detector)d), "?");
		assert_null(strchr(pdt_detector_name((enum pdt_detector)d), ' '));
	}
	assert_string_equal(pdt_severity_name(PDT_SEV_BUG), "bug");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_livelock),
		cmocka_unit_test(test_livelock_one_short),
		cmocka_unit_test(test_livelock_progress),
		cmocka_unit_test(test_livelock_limit),
		cmocka_unit_test(test_shrinking_page),
		cmocka_unit_test(test_shrinking_page_put_back),
		cmocka_unit_test(test_one_title_counted),
		cmocka_unit_test(test_pagemask_while_out),
		cmocka_unit_test(test_pagemask_no_write),
		cmocka_unit_test(test_gap_forgets),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_split_index_rewritten),
		cmocka_unit_test(test_split_replaced),
		cmocka_unit_test(test_missed_unpreempted),
		cmocka_unit_test(test_cp0_out_each_register),
		cmocka_unit_test(test_cp0_out_restored),
		cmocka_unit_test(test_cp0_out_timer),
		cmocka_unit_test(test_cp0_out_alone),
		cmocka_unit_test(test_cp0_out_counted),
		cmocka_unit_test(test_cp0_out_gap),
		cmocka_unit_test(test_guestid_shared),
		cmocka_unit_test(test_guestid_root),
		cmocka_unit_test(test_guestid_own),
		cmocka_unit_test(test_guestid_gap),
		cmocka_unit_test(test_dslot_resumed_in_slot),
		cmocka_unit_test(test_dslot_resumed_right),
		cmocka_unit_test(test_dslot_interrupted),
		cmocka_unit_test(test_dslot_quiet),
		cmocka_unit_test(test_virq_rung_dropped),
		cmocka_unit_test(test_virq_kept),
		cmocka_unit_test(test_virq_pending_at_exit),
		cmocka_unit_test(test_virq_quiet),
		cmocka_unit_test(test_preserve_miss),
		cmocka_unit_test(test_preserve_quiet),
		cmocka_unit_test(test_preserve_header),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
