/*
 * The block compiler (boards/sim/cpu/jit_x86_64.c) against the
 * interpreter: the same program with vzsim_set_jit 0 (the block path's
 * handlers run everything) and with the compiler on must end in the same
 * state: every GPR, HI, LO, pc, the instruction count, the exception
 * registers (EPC, BadVAddr, Cause, Status, Count) and the bytes of every
 * page the program may write.  A compiled block may hand over to the
 * handlers at any instruction, so the programs mix in what it does not
 * compile and what makes it hand over (a soft-TLB miss, a misaligned
 * access, a store to a code page).
 *
 * - Random programs (test_jit_random, 1000 fixed seeds): a loop, run 300
 *   times, of 5..40 random block-safe instructions of every kind the
 *   compiler handles, with random destinations ($zero and $ra among
 *   them), edge values in the registers, loads and stores into a data
 *   page and, in the "rough" programs, into a second one in the same
 *   soft-TLB slot (they keep evicting each other) and into the code page,
 *   with instructions the compiler does not compile (div, divu, wsbh,
 *   mfc0) and misaligned accesses (the handler at the general vector
 *   skips them, and the branch with them when they sit in a delay slot);
 *   forward branches of every kind on random data, forward jumps (j, and
 *   jr/jalr through a register, linking $zero or any register), calls to
 *   a subroutine (jal, bal, jalr through t9 or through the link itself,
 *   with $ra or another link), and a loop-closing branch of every
 *   conditional kind on the counter with a random delay slot.  Some
 *   programs straddle a page boundary, so blocks end at the page's end
 *   and a branch may have its delay slot in the next page; some take
 *   timer interrupts, which must come at the same instruction.  A board
 *   per configuration runs program after program, each loaded over the
 *   last (which the board must forget, compiled code included); a
 *   difference is checked again on fresh boards.
 * - Edge sweeps (test_jit_edge_sweep): each compiled ALU, shift, bit-field
 *   and multiply op on every pair of 16 edge values, results written to
 *   memory, so one wrong corner shows as a wrong word.
 * - Self-modifying code (test_jit_smc_*): a hot loop that rewrites an
 *   instruction of its own compiled block, ahead of the store or behind
 *   it, once or over and over, one that rewrites another compiled block,
 *   and one that writes a function into a fresh page and calls it: a
 *   compiled block that outlived the store would run the old
 *   instruction.  Each also reads the code page, so that its soft-TLB
 *   slot is filled for loads (stores must still see it as code).
 *
 * Compiled runs: compile at the first start (jit 1), after a few starts
 * (jit 5), and in slices of random budgets (jit 2), which stop blocks
 * short of their end and make a compiled loop leave at the budget.  The
 * one-at-a-time path (an instruction sink) is run too, to check the
 * reference itself.  On a host with a compiler every jit 1 run must have
 * compiled something, so the test cannot pass by interpreting.
 *
 * On a mismatch the random test shrinks the program (units of it replaced
 * by nops while the runs still disagree) and prints it, disassembled,
 * with the differences, to stderr.
 */
#include "sim_harness.h"

#include <stdio.h>
#include <string.h>

#include <mips/isa.h>

/* ------------------------------------------------------------ layout */

/* The programs use the first 4 MiB; less RAM makes fresh boards cheaper. */
#define RAM_SIZE   (4u << 20)
/* The code page: programs start between CODE_MIN and its end and may run
 * on into the next page; the words below CODE_MIN are scratch for stores
 * to a code page. */
#define CODE_PAGE  0x80010000u
#define CODE_MIN   (CODE_PAGE + 0x800u)
#define SCRATCH    (CODE_PAGE + 0x400u) /* +-0x400: still below CODE_MIN */
/* Two data pages in the same soft-TLB slot (STLB_SIZE 256 pages apart). */
#define DATA_A     0x80100000u
#define DATA_B     0x80200000u
/* A page the self-modifying tests write code into. */
#define GEN_PAGE   0x80300000u

/* Every page a run may write, compared byte for byte. */
static const uint32_t pages[] = {
	CODE_PAGE, CODE_PAGE + 0x1000u, DATA_A, DATA_A + 0x1000u, DATA_A + 0x2000u,
	DATA_B, GEN_PAGE,
};
#define NPAGES (sizeof pages / sizeof pages[0])

/*
 * The general exception vector's handler.  A timer interrupt (programs
 * with a timer) is acknowledged by moving Compare timer ticks on, counted
 * as 0x1000 in k1, and the interrupted instruction runs on return.  The
 * rest are the programs' misaligned loads and stores: counted as 1 in
 * k1, the return is past the instruction that raised it, or past the
 * branch and its delay slot when it was in one (Cause.BD: EPC is the
 * branch); programs put an end after every branch whose slot may be
 * skipped into nothing (a return).
 */
#define INTERRUPT 0x1000u
static void put_handler(vzsim *sim, uint32_t timer)
{
	const uint32_t h[] = {
		enc_mfc0(K0, C0_CAUSE, 0),
		enc_andi(K0, K0, 0x7c),       /* ExcCode */
		enc_bne(K0, ZERO, 5),         /* not an interrupt */
		enc_mfc0(K0, C0_COUNT, 0),
		enc_addiu(K0, K0, (int32_t)timer),
		enc_mtc0(K0, C0_COMPARE, 0),
		enc_addiu(K1, K1, INTERRUPT),
		enc_eret(),
		enc_mfc0(K0, C0_CAUSE, 0),
		enc_bgez(K0, 4),              /* not BD: EPC + 4 */
		enc_addiu(K1, K1, 1),
		enc_mfc0(K0, C0_EPC, 0),      /* BD: EPC + 8 */
		enc_addiu(K0, K0, 4),
		enc_mtc0(K0, C0_EPC, 0),
		enc_mfc0(K0, C0_EPC, 0),
		enc_addiu(K0, K0, 4),
		enc_mtc0(K0, C0_EPC, 0),
		enc_ehb(),
		enc_eret(),
	};
	h_load(sim, H_VEC_GEN, h, sizeof h / sizeof h[0]);
}

/* ------------------------------------------------------------ programs */

#define MAX_WORDS 400
#define MAX_PIECES 96
#define BUDGET 5000000u

struct prog {
	uint32_t base;            /* address of w[0], where the run starts */
	uint32_t w[MAX_WORDS];
	unsigned n;
	uint32_t end[2];          /* pcs after a final wait */
	unsigned nend;
	uint32_t gpr[32];         /* at the start */
	uint32_t timer;           /* timer interrupts every so many ticks; 0: none */
	uint8_t mem[NPAGES][4096];
	/* Word ranges the shrinker may replace by nops: whole units, so
	 * that no branch target or call sequence is cut in two. */
	struct piece {
		uint16_t at, len;
	} piece[MAX_PIECES];
	unsigned npieces;
};

static void emit(struct prog *p, uint32_t w)
{
	if (p->n >= MAX_WORDS)
		fail_msg("program longer than %u words", MAX_WORDS);
	p->w[p->n++] = w;
}

static void piece(struct prog *p, unsigned at)
{
	if (p->npieces < MAX_PIECES && p->n > at)
		p->piece[p->npieces++] = (struct piece){(uint16_t)at, (uint16_t)(p->n - at)};
}

/* A wait the run ends at, and its address; interrupts off before it, so
 * that nothing wakes it. */
static void emit_end(struct prog *p)
{
	emit(p, enc_mtc0(ZERO, C0_STATUS, 0));
	emit(p, enc_ehb());
	if (p->nend < 2)
		p->end[p->nend++] = p->base + 4u * p->n + 4u;
	emit(p, enc_wait());
	emit(p, enc_b(-2));
	emit(p, enc_nop());
}

static uint32_t addr_of(const struct prog *p, unsigned i)
{
	return p->base + 4u * i;
}

/* ------------------------------------------------------------ running */

struct state {
	enum vzsim_stop stop;
	uint32_t gpr[32], hi, lo, pc;
	uint32_t epc, badvaddr, cause, status, count;
	uint64_t insns, compiled, smc;
	uint8_t mem[NPAGES][4096];
};

struct config {
	const char *name;
	unsigned hot;   /* vzsim_set_jit */
	unsigned slice; /* 0: one run; else runs of 1..slice instructions */
	bool step;      /* with an instruction sink: one at a time */
};

static const struct config reference = {"interpreter (jit 0)", 0, 0, false};
static const struct config checks[] = {
	{"jit 1", 1, 0, false},
	{"jit 5", 5, 0, false},
	{"jit 2 in slices of 1..150", 2, 150, false},
	{"one at a time (insn sink, jit 0)", 0, 0, true},
};
#define NCHECKS (sizeof checks / sizeof checks[0])

static void count_sink(void *ctx, const struct vzsim_insn_event *ev)
{
	(void)ev;
	++*(uint64_t *)ctx;
}

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/*
 * Runs p under c on sim, a board that may have run other programs
 * before (the counts are this run's), or on a fresh one when sim is NULL.
 * Loading p over the last program must make the board forget its code,
 * compiled or not.
 */
static void run(vzsim *sim, const struct prog *p, const struct config *c, struct state *s)
{
	bool fresh = !sim;
	if (fresh)
		sim = h_new_cfg(RAM_SIZE, 1);
	struct vzsim_stats before;
	vzsim_get_stats(sim, &before);
	h_setup(sim);
	vzsim_set_jit(sim, c->hot);
	put_handler(sim, p->timer);
	for (unsigned i = 0; i < NPAGES; i++)
		if (vzsim_mem_write(sim, h_pa(pages[i]), p->mem[i], 4096) != 0)
			fail_msg("vzsim_mem_write at 0x%08x failed", pages[i]);
	h_load(sim, p->base, p->w, p->n);
	for (unsigned r = 1; r < 32; r++)
		h_set_gpr(sim, r, p->gpr[r]);
	vzsim_set_pc(sim, p->base);
	if (p->timer) {
		h_set_cp0(sim, C0_COMPARE, 0, h_cp0(sim, C0_COUNT, 0) + p->timer);
		h_set_status(sim, SR_IE | SR_IM(7));
	}

	uint64_t seen = 0;
	if (c->step)
		vzsim_set_insn_sink(sim, count_sink, &seen);
	if (c->slice) {
		/* The slices' lengths are the same for every program: fixed. */
		uint64_t rs = 0x511ce5u, total = 0;
		do {
			uint64_t b = 1 + splitmix(&rs) % c->slice;
			s->stop = vzsim_run(sim, b);
			total += b;
		} while (s->stop == VZSIM_STOP_BUDGET && total < BUDGET);
	} else {
		s->stop = vzsim_run(sim, BUDGET);
	}

	for (unsigned r = 0; r < 32; r++)
		s->gpr[r] = h_gpr(sim, r);
	s->hi = vzsim_hi(sim);
	s->lo = vzsim_lo(sim);
	s->pc = vzsim_pc(sim);
	s->epc = h_cp0(sim, C0_EPC, 0);
	s->badvaddr = h_cp0(sim, C0_BADVADDR, 0);
	s->cause = h_cause(sim);
	s->status = h_status(sim);
	s->count = h_cp0(sim, C0_COUNT, 0);
	struct vzsim_stats st;
	vzsim_get_stats(sim, &st);
	s->insns = st.insns - before.insns;
	s->compiled = st.compiled_blocks - before.compiled_blocks;
	s->smc = st.smc_invalidations - before.smc_invalidations;
	for (unsigned i = 0; i < NPAGES; i++)
		if (vzsim_mem_read(sim, h_pa(pages[i]), s->mem[i], 4096) != 0)
			fail_msg("vzsim_mem_read at 0x%08x failed", pages[i]);
	if (c->step) {
		vzsim_set_insn_sink(sim, NULL, NULL);
		if (seen + 1 < s->insns)
			fail_msg("the sink saw %llu instructions of %llu: not one at a time",
				 (unsigned long long)seen, (unsigned long long)s->insns);
	}
	if (fresh)
		h_free(sim);
}

/* Appends a difference to why (at most a few). */
static void differ(char *why, size_t len, unsigned *n, const char *what, uint64_t got,
		   uint64_t want)
{
	if ((*n)++ >= 6)
		return;
	size_t used = strlen(why);
	snprintf(why + used, len - used, "%s%s 0x%llx (interpreter 0x%llx)", used ? "; " : "",
		 what, (unsigned long long)got, (unsigned long long)want);
}

/* The differences of s from the reference ref in why; their number. */
static unsigned compare(const struct state *s, const struct state *ref, char *why, size_t len)
{
	unsigned n = 0;
	why[0] = 0;
	if (s->stop != ref->stop)
		differ(why, len, &n, "stop", s->stop, ref->stop);
	if (s->pc != ref->pc)
		differ(why, len, &n, "pc", s->pc, ref->pc);
	if (s->insns != ref->insns)
		differ(why, len, &n, "insns", s->insns, ref->insns);
	for (unsigned r = 0; r < 32; r++)
		if (s->gpr[r] != ref->gpr[r])
			differ(why, len, &n, isa_gpr_names[r], s->gpr[r], ref->gpr[r]);
	if (s->hi != ref->hi)
		differ(why, len, &n, "hi", s->hi, ref->hi);
	if (s->lo != ref->lo)
		differ(why, len, &n, "lo", s->lo, ref->lo);
	if (s->epc != ref->epc)
		differ(why, len, &n, "EPC", s->epc, ref->epc);
	if (s->badvaddr != ref->badvaddr)
		differ(why, len, &n, "BadVAddr", s->badvaddr, ref->badvaddr);
	if (s->cause != ref->cause)
		differ(why, len, &n, "Cause", s->cause, ref->cause);
	if (s->status != ref->status)
		differ(why, len, &n, "Status", s->status, ref->status);
	if (s->count != ref->count)
		differ(why, len, &n, "Count", s->count, ref->count);
	for (unsigned i = 0; i < NPAGES; i++)
		for (unsigned b = 0; b < 4096; b += 4) {
			uint32_t x, y;
			memcpy(&x, &s->mem[i][b], 4);
			memcpy(&y, &ref->mem[i][b], 4);
			if (x != y) {
				char what[32];
				snprintf(what, sizeof what, "word at 0x%08x", pages[i] + b);
				differ(why, len, &n, what, x, y);
			}
		}
	return n;
}

static void list_prog(const struct prog *p, const char *title)
{
	fprintf(stderr, "# %s: %u words at 0x%08x, registers:\n", title, p->n, p->base);
	for (unsigned r = 0; r < 32; r += 4)
		fprintf(stderr, "#   %-4s %08x  %-4s %08x  %-4s %08x  %-4s %08x\n",
			isa_gpr_names[r], p->gpr[r], isa_gpr_names[r + 1], p->gpr[r + 1],
			isa_gpr_names[r + 2], p->gpr[r + 2], isa_gpr_names[r + 3], p->gpr[r + 3]);
	for (unsigned i = 0; i < p->n; i++) {
		char text[96];
		isa_disasm(addr_of(p, i), p->w[i], text, sizeof text);
		fprintf(stderr, "#   %08x: %08x  %s\n", addr_of(p, i), p->w[i], text);
	}
}

/* Whether the run under c differs from the reference's on fresh boards;
 * why if so. */
static bool differs(const struct prog *p, const struct config *c, char *why, size_t len)
{
	static struct state ref, got;
	run(NULL, p, &reference, &ref);
	run(NULL, p, c, &got);
	return compare(&got, &ref, why, len) != 0;
}

/* Replaces pieces by nops while the runs still differ under c. */
static void shrink(struct prog *p, const struct config *c)
{
	static struct prog q;
	char why[512];
	for (unsigned i = 0; i < p->npieces; i++) {
		q = *p;
		for (unsigned k = 0; k < p->piece[i].len; k++)
			q.w[p->piece[i].at + k] = enc_nop();
		bool same = true;
		for (unsigned k = 0; k < p->piece[i].len; k++)
			same &= p->w[p->piece[i].at + k] == enc_nop();
		if (!same && differs(&q, c, why, sizeof why))
			*p = q;
	}
}

/* A board per configuration, the reference's first: a fixture, so that
 * a failing test frees them too. */
struct boards {
	vzsim *sim[1 + NCHECKS];
};

static int boards_setup(void **state)
{
	static struct boards b;
	for (unsigned i = 0; i < 1 + NCHECKS; i++)
		b.sim[i] = h_new_cfg(RAM_SIZE, 1);
	*state = &b;
	return 0;
}

static int boards_teardown(void **state)
{
	struct boards *b = *state;
	for (unsigned i = 0; i < 1 + NCHECKS; i++)
		h_free(b->sim[i]);
	return 0;
}

/* Says on stderr what a difference means for a kind of program. */
typedef void explain_fn(const struct state *got, const struct state *ref);

/*
 * Runs p under the reference and every check, on b's boards (fresh ones
 * when b is NULL); fails on a difference, after shrinking p (on fresh
 * boards) to what still shows it when shrink_it, or after explain's word.
 */
static void check_prog(struct boards *b, struct prog *p, const char *name, bool shrink_it,
		       explain_fn *explain, uint64_t *compiled1, struct state *ref_out)
{
	static struct state ref, got;
	char why[512];
	run(b ? b->sim[0] : NULL, p, &reference, &ref);
	if (ref.stop != VZSIM_STOP_DEADLOCK ||
	    (ref.pc != p->end[0] && (p->nend < 2 || ref.pc != p->end[1])))
		fail_msg("%s: the interpreter's run did not end (stop %d at pc 0x%08x): a "
			 "broken program", name, (int)ref.stop, ref.pc);
	if (ref.compiled != 0)
		fail_msg("%s: the interpreter compiled %llu blocks with jit 0", name,
			 (unsigned long long)ref.compiled);
	for (unsigned c = 0; c < NCHECKS; c++) {
		run(b ? b->sim[1 + c] : NULL, p, &checks[c], &got);
		if (compare(&got, &ref, why, sizeof why) == 0) {
			if (checks[c].hot == 1) {
				*compiled1 += got.compiled;
				/* The compiler must have done something here. */
				if (vzsim_jit_available() && got.compiled == 0)
					fail_msg("%s: %s compiled no block", name, checks[c].name);
			}
			continue;
		}
		list_prog(p, name);
		fprintf(stderr, "# %s: %s\n", checks[c].name, why);
		if (explain)
			explain(&got, &ref);
		char again[512];
		if (b && !differs(p, &checks[c], again, sizeof again)) {
			fprintf(stderr, "# not on fresh boards: it depends on the programs "
				"run before\n");
			shrink_it = false;
		}
		if (shrink_it) {
			shrink(p, &checks[c]);
			differs(p, &checks[c], why, sizeof why);
			list_prog(p, "shrunk to");
			fprintf(stderr, "# %s: %s\n", checks[c].name, why);
		}
		fail_msg("%s: %s differs from the interpreter: %s (the program%s is on stderr)",
			 name, checks[c].name, why, shrink_it ? ", shrunk," : "");
	}
	if (ref_out)
		*ref_out = ref;
}

/* ------------------------------------------------------------ random programs */

/*
 * Registers the generator keeps for itself: the loop counter, the three
 * base registers of loads and stores, the second link register, and the
 * handler's k0/k1.  Everything else, $zero and $ra included, may be
 * written by random instructions.
 */
#define CNT    S7
#define BASE_A S6  /* DATA_A + 0x800 */
#define BASE_B S4  /* DATA_B + 0x800 */
#define BASE_C S3  /* SCRATCH, in the code page */
#define LINK2  S5
#define RESERVED ((1u << CNT) | (1u << BASE_A) | (1u << BASE_B) | (1u << BASE_C) | \
		  (1u << LINK2) | (1u << K0) | (1u << K1))
#define ITERATIONS 300u
#define PROGRAMS 1000u

struct gen {
	uint64_t rng;
	unsigned hot[6];  /* registers this program mostly uses */
	/* Whether it has what makes a compiled block hand over besides a
	 * soft-TLB miss at its first access: instructions not compiled,
	 * page B evicting page A, stores to the code page.  Programs
	 * without them run (nearly) all of their loop compiled. */
	bool rough;
	bool misalign;    /* some of its loads and stores misaligned */
};

static unsigned below(struct gen *g, unsigned n) { return (unsigned)(splitmix(&g->rng) % n); }
static bool chance(struct gen *g, unsigned percent) { return below(g, 100) < percent; }

/* Values where instructions have their corners. */
static const uint32_t edges[16] = {
	0, 1, 2, 31, 32, 0x7fff, 0x8000, 0xffff, 0x7fffffffu, 0x80000000u, 0x80000001u,
	0xfffffffeu, 0xffffffffu, 0xffff8000u, 0x00010000u, 0x12345678u,
};

static uint32_t value(struct gen *g)
{
	switch (below(g, 4)) {
	case 0: return (uint32_t)splitmix(&g->rng);
	case 1: return below(g, 64) - 32;
	default: return edges[below(g, 16)];
	}
}

static unsigned src(struct gen *g)
{
	unsigned r = below(g, 10);
	if (r < 5)
		return g->hot[below(g, 6)];
	if (r == 5)
		return ZERO;
	return below(g, 32);
}

/* A destination not in RESERVED | no: $zero and $ra often. */
static unsigned dst(struct gen *g, uint32_t no)
{
	for (;;) {
		unsigned r = below(g, 10), d;
		if (r == 0)
			d = ZERO;
		else if (r == 1)
			d = RA;
		else if (r < 7)
			d = g->hot[below(g, 6)];
		else
			d = below(g, 32);
		if (!((RESERVED | no) >> d & 1))
			return d;
	}
}

static int32_t simm(struct gen *g)
{
	static const int32_t e[] = {0, 1, -1, 0x7fff, -0x8000, 31, 32, -32};
	return chance(g, 50) ? e[below(g, 8)] : (int32_t)below(g, 0x10000) - 0x8000;
}

static uint32_t uimm(struct gen *g)
{
	static const uint32_t e[] = {0, 1, 0xffff, 0x8000, 0x7fff, 0xff00, 31};
	return chance(g, 50) ? e[below(g, 7)] : below(g, 0x10000);
}

static unsigned sa(struct gen *g)
{
	static const unsigned e[] = {0, 1, 31, 16, 8};
	return chance(g, 40) ? e[below(g, 5)] : below(g, 32);
}

/* A load or store: mostly page A, then B (same soft-TLB slot), then the
 * code page's scratch words; misaligned now and then in some programs. */
static uint32_t mem_insn(struct gen *g, bool store, uint32_t no)
{
	unsigned op = below(g, store ? 3 : 5);
	static const unsigned lsize[] = {1, 1, 2, 2, 4}, ssize[] = {1, 2, 4};
	unsigned size = store ? ssize[op] : lsize[op];
	unsigned b = g->rough ? below(g, 10) : 0;
	unsigned base = b < 7 ? BASE_A : b < 9 ? BASE_B : BASE_C;
	int32_t off = base == BASE_C ? (int32_t)below(g, 0x800) - 0x400
				     : (int32_t)below(g, 0x1000) - 0x800;
	off &= ~(int32_t)(size - 1);
	if (g->misalign && size > 1 && chance(g, 30))
		off += 1 + (int32_t)below(g, size - 1);
	if (store) {
		unsigned rt = src(g);
		switch (op) {
		case 0: return enc_sb(rt, off, base);
		case 1: return enc_sh(rt, off, base);
		default: return enc_sw(rt, off, base);
		}
	}
	unsigned rt = dst(g, no);
	switch (op) {
	case 0: return enc_lb(rt, off, base);
	case 1: return enc_lbu(rt, off, base);
	case 2: return enc_lh(rt, off, base);
	case 3: return enc_lhu(rt, off, base);
	default: return enc_lw(rt, off, base);
	}
}

/* One random block-safe instruction that is not a branch, writing no
 * register of no. */
static uint32_t insn(struct gen *g, uint32_t no)
{
	unsigned k = below(g, g->rough ? 100 : 94);
	if (k < 10) { /* shifts by sa */
		unsigned d = dst(g, no), t = src(g), s = sa(g);
		switch (below(g, 4)) {
		case 0: return enc_sll(d, t, s);
		case 1: return enc_srl(d, t, s);
		case 2: return enc_sra(d, t, s);
		default: return enc_rotr(d, t, s);
		}
	}
	if (k < 18) { /* shifts by a register */
		unsigned d = dst(g, no), t = src(g), s = src(g);
		switch (below(g, 4)) {
		case 0: return enc_sllv(d, t, s);
		case 1: return enc_srlv(d, t, s);
		case 2: return enc_srav(d, t, s);
		default: return enc_rotrv(d, t, s);
		}
	}
	if (k < 38) { /* three-register ALU */
		unsigned d = dst(g, no), s = src(g), t = src(g);
		if (chance(g, 15))
			s = d; /* rd == rs */
		if (chance(g, 15))
			t = d;
		switch (below(g, 10)) {
		case 0: return enc_addu(d, s, t);
		case 1: return enc_subu(d, s, t);
		case 2: return enc_and(d, s, t);
		case 3: return enc_or(d, s, t);
		case 4: return enc_xor(d, s, t);
		case 5: return enc_nor(d, s, t);
		case 6: return enc_slt(d, s, t);
		case 7: return enc_sltu(d, s, t);
		case 8: return enc_movz(d, s, t);
		default: return enc_movn(d, s, t);
		}
	}
	if (k < 52) { /* immediates */
		unsigned d = dst(g, no), s = chance(g, 15) ? d : src(g);
		switch (below(g, 7)) {
		case 0: return enc_addiu(d, s, simm(g));
		case 1: return enc_slti(d, s, simm(g));
		case 2: return enc_sltiu(d, s, simm(g));
		case 3: return enc_andi(d, s, uimm(g));
		case 4: return enc_ori(d, s, uimm(g));
		case 5: return enc_xori(d, s, uimm(g));
		default: return enc_lui(d, uimm(g));
		}
	}
	if (k < 62) { /* bit fields and counts */
		unsigned d = dst(g, no), s = src(g);
		unsigned pos = below(g, 32), size = 1 + below(g, 32 - pos);
		if (chance(g, 10))
			pos = 0, size = 32;
		switch (below(g, 6)) {
		case 0: return enc_clz(d, s);
		case 1: return enc_clo(d, s);
		case 2: return enc_seb(d, s);
		case 3: return enc_seh(d, s);
		case 4: return enc_ext(d, s, pos, size);
		default: return enc_ins(d, s, pos, size);
		}
	}
	if (k < 78) { /* multiplies and HI/LO */
		unsigned s = src(g), t = src(g);
		switch (below(g, 11)) {
		case 0: return enc_mul(dst(g, no), s, t);
		case 1: return enc_mult(s, t);
		case 2: return enc_multu(s, t);
		case 3: return enc_madd(s, t);
		case 4: return enc_msub(s, t);
		case 5: return enc_maddu(s, t);
		case 6: return enc_msubu(s, t);
		case 7: return enc_mfhi(dst(g, no));
		case 8: return enc_mflo(dst(g, no));
		case 9: return enc_mthi(s);
		default: return enc_mtlo(s);
		}
	}
	if (k < 87)
		return mem_insn(g, false, no);
	if (k < 94)
		return mem_insn(g, true, no);
	if (k < 98) { /* block-safe, not compiled: the block hands over */
		static const unsigned cp0[][2] = {
			{C0_COUNT, 0}, {C0_EPC, 0}, {C0_BADVADDR, 0}, {C0_STATUS, 0},
			{C0_CAUSE, 0}, {C0_PRID, 0},
		};
		unsigned c = below(g, 6);
		switch (below(g, 4)) {
		case 0: return enc_div(src(g), src(g));
		case 1: return enc_divu(src(g), src(g));
		case 2: return enc_wsbh(dst(g, no), src(g));
		default: return enc_mfc0(dst(g, no), cp0[c][0], cp0[c][1]);
		}
	}
	switch (below(g, 4)) { /* hints, compiled to nothing */
	case 0: return enc_nop();
	case 1: return enc_sync(0);
	case 2: return enc_ehb();
	default: return enc_pref(0, (int32_t)below(g, 64), BASE_A);
	}
}

/* Branches and calls whose targets are known only at the end. */
struct fix {
	unsigned at;     /* the word */
	unsigned target; /* a unit (forward branch), a register (FIX_CALL_LI) */
	enum { FIX_BRANCH, FIX_J, FIX_JUMP_LI, FIX_CALL_BAL, FIX_CALL_JAL, FIX_CALL_LI } how;
};

/* A forward conditional branch (or j) on random registers. */
static uint32_t fwd_branch(struct gen *g, bool *is_j)
{
	unsigned s = src(g), t = src(g);
	*is_j = false;
	switch (below(g, 9)) {
	case 0: return enc_beq(s, t, 0);
	case 1: return enc_bne(s, t, 0);
	case 2: return enc_blez(s, 0);
	case 3: return enc_bgtz(s, 0);
	case 4: return enc_bltz(s, 0);
	case 5: return enc_bgez(s, 0);
	case 6: return enc_bltzal(s, 0);
	case 7: return enc_bgezal(s, 0);
	default: *is_j = true; return enc_j(0);
	}
}

static void gen_prog(struct prog *p, uint64_t seed)
{
	struct gen g = {.rng = seed};
	memset(p, 0, sizeof *p);
	for (unsigned i = 0; i < 6; i++)
		g.hot[i] = dst(&g, 0);
	g.rough = chance(&g, 65);
	g.misalign = g.rough && chance(&g, 50);
	/* Interrupts land anywhere in the loop, compiled or not. */
	p->timer = chance(&g, 30) ? 20 + below(&g, 400) : 0;
	bool sub = chance(&g, 50);
	unsigned link = chance(&g, 50) ? RA : LINK2;
	/* A third of the programs straddle the code page's end. */
	p->base = chance(&g, 33) ? CODE_PAGE + 0x1000u - 4u * (1 + below(&g, 80))
				 : CODE_MIN + 4u * below(&g, 64);

	for (unsigned r = 1; r < 32; r++)
		p->gpr[r] = value(&g);
	p->gpr[K0] = 0;
	p->gpr[K1] = 0;
	p->gpr[CNT] = ITERATIONS;
	p->gpr[BASE_A] = DATA_A + 0x800u;
	p->gpr[BASE_B] = DATA_B + 0x800u;
	p->gpr[BASE_C] = SCRATCH;
	/* Every page random, the code pages too: run() loads the program
	 * over them. */
	for (unsigned i = 0; i < NPAGES; i++)
		for (unsigned b = 0; b < 4096; b += 4) {
			uint32_t v = value(&g);
			memcpy(&p->mem[i][b], &v, 4);
		}

	/* HI and LO from the registers. */
	emit(p, enc_mthi(src(&g)));
	emit(p, enc_mtlo(src(&g)));

	struct fix fix[MAX_PIECES];
	unsigned nfix = 0;
	unsigned top = p->n, nbody = 5 + below(&g, 36);
	unsigned unit[48];
	for (unsigned u = 0; u < nbody; u++) {
		unit[u] = p->n;
		unsigned at = p->n;
		unsigned kind = below(&g, 100);
		if (sub && kind < 7) {
			/* A call: jal, bal, or jalr through t9; its delay slot
			 * must keep the link. */
			unsigned how = link == RA ? below(&g, 3) : 2;
			if (how == 0) {
				fix[nfix++] = (struct fix){p->n, 0, FIX_CALL_JAL};
				emit(p, 0);
			} else if (how == 1) {
				fix[nfix++] = (struct fix){p->n, 0, FIX_CALL_BAL};
				emit(p, 0);
			} else {
				/* through t9, or through the link itself (jalr
				 * reads rs before it writes rd) */
				unsigned via = chance(&g, 50) ? link : T9;
				fix[nfix++] = (struct fix){p->n, via, FIX_CALL_LI};
				emit(p, 0);
				emit(p, 0);
				emit(p, chance(&g, 20) ? enc_jalr_hb(link, via) : enc_jalr(link, via));
			}
			emit(p, chance(&g, 30) ? mem_insn(&g, chance(&g, 50), 1u << link)
					       : insn(&g, 1u << link));
		} else if (kind < 16 && u + 1 < nbody) {
			unsigned to = u + 1 + below(&g, 4);
			if (chance(&g, 25)) {
				/* through t9: jr, or jalr linking $zero (the
				 * link goes nowhere) or any register */
				fix[nfix++] = (struct fix){p->n, to, FIX_JUMP_LI};
				emit(p, 0);
				emit(p, 0);
				unsigned how = below(&g, 3);
				emit(p, how == 0 ? enc_jr(T9) : enc_jalr(how == 1 ? ZERO : dst(&g, 0), T9));
			} else {
				bool is_j;
				uint32_t w = fwd_branch(&g, &is_j);
				fix[nfix++] = (struct fix){p->n, to, is_j ? FIX_J : FIX_BRANCH};
				emit(p, w);
			}
			emit(p, insn(&g, 0));
		} else {
			emit(p, insn(&g, 0));
		}
		piece(p, at);
	}
	unsigned tail = p->n;

	/* The loop's end: the counter, and a branch of each kind on it or
	 * on a register computed from it just before. */
	emit(p, enc_addiu(CNT, CNT, -1));
	unsigned f = dst(&g, 1u << ZERO);
	uint32_t br;
	switch (below(&g, 8)) {
	case 0:
		br = enc_bne(CNT, ZERO, 0);
		break;
	case 1:
		br = enc_bgtz(CNT, 0);
		break;
	case 2: /* f = (cnt == 0) */
		emit(p, enc_sltiu(f, CNT, 1));
		br = enc_beq(f, ZERO, 0);
		break;
	case 3: /* f = -cnt < 0 while cnt > 0 */
		emit(p, enc_subu(f, ZERO, CNT));
		br = enc_bltz(f, 0);
		break;
	case 4: /* f = 1 - cnt <= 0 */
		emit(p, enc_subu(f, ZERO, CNT));
		emit(p, enc_addiu(f, f, 1));
		br = enc_blez(f, 0);
		break;
	case 5: /* f = cnt - 1 >= 0 */
		emit(p, enc_addiu(f, CNT, -1));
		br = enc_bgez(f, 0);
		break;
	case 6:
		emit(p, enc_subu(f, ZERO, CNT));
		br = enc_bltzal(f, 0);
		break;
	default:
		emit(p, enc_addiu(f, CNT, -1));
		br = enc_bgezal(f, 0);
		break;
	}
	emit(p, (br & 0xffff0000u) | ((uint32_t)(top - (p->n + 1)) & 0xffffu));
	unsigned at = p->n;
	emit(p, chance(&g, 40) ? mem_insn(&g, chance(&g, 50), 0) : insn(&g, 0));
	piece(p, at);
	emit_end(p);

	/* The subroutine: a few instructions that keep the link, and the
	 * return, whose delay slot may write anything. */
	unsigned entry = p->n;
	if (sub) {
		unsigned len = below(&g, 7);
		for (unsigned i = 0; i < len; i++) {
			at = p->n;
			emit(p, insn(&g, 1u << link));
			piece(p, at);
		}
		emit(p, chance(&g, 20) ? enc_jr_hb(link) : enc_jr(link));
		at = p->n;
		emit(p, insn(&g, 0));
		piece(p, at);
		emit_end(p); /* after a return skipped with its slot */
	}

	uint32_t sub_va = addr_of(p, entry);
	for (unsigned i = 0; i < nfix; i++) {
		unsigned w = fix[i].at;
		/* forward branches skip 0..3 units, to the tail at most */
		unsigned to = fix[i].target < nbody ? unit[fix[i].target] : tail;
		switch (fix[i].how) {
		case FIX_BRANCH:
			p->w[w] |= (uint32_t)(to - (w + 1)) & 0xffffu;
			break;
		case FIX_J:
			p->w[w] = enc_j(addr_of(p, to));
			break;
		case FIX_JUMP_LI:
			p->w[w] = enc_lui(T9, addr_of(p, to) >> 16);
			p->w[w + 1] = enc_ori(T9, T9, addr_of(p, to) & 0xffffu);
			break;
		case FIX_CALL_JAL:
			p->w[w] = enc_jal(sub_va);
			break;
		case FIX_CALL_BAL:
			p->w[w] = enc_bgezal(ZERO, (int32_t)(entry - (w + 1)));
			break;
		case FIX_CALL_LI:
			p->w[w] = enc_lui(fix[i].target, sub_va >> 16);
			p->w[w + 1] = enc_ori(fix[i].target, fix[i].target, sub_va & 0xffffu);
			break;
		}
	}
}

/* Programs from fixed seeds, each under every configuration. */
static void test_jit_random(void **state)
{
	struct boards *b = *state;
	static struct prog p;
	static struct state ref;
	uint64_t compiled = 0, insns = 0, exceptions = 0, interrupts = 0;
	unsigned faulting = 0;
	for (unsigned i = 0; i < PROGRAMS; i++) {
		char name[64];
		uint64_t seed = 0x6a17000000u + i;
		snprintf(name, sizeof name, "random program %u (seed 0x%llx)", i,
			 (unsigned long long)seed);
		gen_prog(&p, seed);
		check_prog(b, &p, name, true, NULL, &compiled, &ref);
		insns += ref.insns;
		exceptions += ref.gpr[K1] % INTERRUPT;
		interrupts += ref.gpr[K1] / INTERRUPT;
		faulting += ref.gpr[K1] % INTERRUPT != 0;
	}
	print_message("# %u random programs: %llu instructions each way, %llu address errors "
		      "in %u of them, %llu timer interrupts, %llu blocks compiled with jit 1\n",
		      PROGRAMS, (unsigned long long)insns, (unsigned long long)exceptions,
		      faulting, (unsigned long long)interrupts, (unsigned long long)compiled);
}

/* ------------------------------------------------------------ edge sweeps */

/*
 * One op on every ordered pair of the 16 edge values: each iteration
 * loads a pair (a0, a1) from DATA_A, runs the op's instances into v0, v1,
 * t1, t2, t3 (and HI/LO), and stores those seven words at DATA_A +
 * 0x1000 on; 256 iterations.  The instances cover the operand orders and
 * rd == rs, the immediates' and shift amounts' corners.
 */
#define SWEEP_IN  (DATA_A)
#define SWEEP_OUT (DATA_A + 0x1000u)
enum sweep_kind { SW_R3, SW_SHIFT, SW_IMM, SW_UNARY, SW_EXT, SW_INS, SW_HILO };
struct sweep {
	const char *name;
	enum sweep_kind kind;
	uint32_t (*r3)(unsigned, unsigned, unsigned);   /* rd, rs, rt (shifts: rd, rt, rs) */
	uint32_t (*sh)(unsigned, unsigned, unsigned);   /* rd, rt, sa */
	uint32_t (*imm)(unsigned, unsigned, int32_t);   /* rt, rs, imm */
	uint32_t (*uimm)(unsigned, unsigned, uint32_t); /* rt, rs, imm */
	uint32_t (*un)(unsigned, unsigned);             /* rd, rs/rt; hi/lo: rs, rt */
	uint32_t (*ins)(unsigned, unsigned, unsigned, unsigned);
};

static uint32_t lui_as_imm(unsigned rt, unsigned rs, uint32_t imm)
{
	(void)rs;
	return enc_lui(rt, imm);
}

static const struct sweep sweeps[] = {
	{"addu", SW_R3, .r3 = enc_addu}, {"subu", SW_R3, .r3 = enc_subu},
	{"and", SW_R3, .r3 = enc_and}, {"or", SW_R3, .r3 = enc_or},
	{"xor", SW_R3, .r3 = enc_xor}, {"nor", SW_R3, .r3 = enc_nor},
	{"slt", SW_R3, .r3 = enc_slt}, {"sltu", SW_R3, .r3 = enc_sltu},
	{"movz", SW_R3, .r3 = enc_movz}, {"movn", SW_R3, .r3 = enc_movn},
	{"mul", SW_R3, .r3 = enc_mul},
	{"sllv", SW_R3, .r3 = enc_sllv}, {"srlv", SW_R3, .r3 = enc_srlv},
	{"srav", SW_R3, .r3 = enc_srav}, {"rotrv", SW_R3, .r3 = enc_rotrv},
	{"sll", SW_SHIFT, .sh = enc_sll}, {"srl", SW_SHIFT, .sh = enc_srl},
	{"sra", SW_SHIFT, .sh = enc_sra}, {"rotr", SW_SHIFT, .sh = enc_rotr},
	{"addiu", SW_IMM, .imm = enc_addiu}, {"slti", SW_IMM, .imm = enc_slti},
	{"sltiu", SW_IMM, .imm = enc_sltiu},
	{"andi", SW_IMM, .uimm = enc_andi}, {"ori", SW_IMM, .uimm = enc_ori},
	{"xori", SW_IMM, .uimm = enc_xori}, {"lui", SW_IMM, .uimm = lui_as_imm},
	{"clz", SW_UNARY, .un = enc_clz}, {"clo", SW_UNARY, .un = enc_clo},
	{"seb", SW_UNARY, .un = enc_seb}, {"seh", SW_UNARY, .un = enc_seh},
	{"ext", SW_EXT, .ins = enc_ext}, {"ins", SW_INS, .ins = enc_ins},
	{"mult", SW_HILO, .un = enc_mult}, {"multu", SW_HILO, .un = enc_multu},
	{"madd", SW_HILO, .un = enc_madd}, {"maddu", SW_HILO, .un = enc_maddu},
	{"msub", SW_HILO, .un = enc_msub}, {"msubu", SW_HILO, .un = enc_msubu},
};

/* The instances of one op on a0, a1 into v0, v1, t1, t2, t3. */
static void sweep_body(struct prog *p, const struct sweep *s)
{
	static const unsigned out[] = {V0, V1, T1, T2, T3};
	static const unsigned sas[] = {0, 1, 15, 16, 31};
	static const int32_t simms[] = {0, 1, -1, 0x7fff, -0x8000};
	static const uint32_t uimms[] = {0, 1, 0x8000, 0x7fff, 0xffff};
	static const unsigned fields[][2] = {{0, 32}, {0, 1}, {31, 1}, {4, 8}, {16, 16}};
	switch (s->kind) {
	case SW_R3:
		/* movz/movn keep rd: it starts as something else */
		for (unsigned i = 0; i < 5; i++)
			emit(p, enc_nor(out[i], A0, A1));
		emit(p, s->r3(V0, A0, A1));
		emit(p, s->r3(V1, A1, A0));
		emit(p, s->r3(T1, A0, A0));
		emit(p, enc_addu(T2, A0, ZERO));
		emit(p, s->r3(T2, T2, A1));   /* rd == rs */
		emit(p, enc_addu(T3, A1, ZERO));
		emit(p, s->r3(T3, A0, T3));   /* rd == rt */
		break;
	case SW_SHIFT:
		for (unsigned i = 0; i < 5; i++)
			emit(p, s->sh(out[i], i & 1 ? A1 : A0, sas[i]));
		break;
	case SW_IMM:
		for (unsigned i = 0; i < 5; i++)
			emit(p, s->imm ? s->imm(out[i], A0, simms[i]) : s->uimm(out[i], A0, uimms[i]));
		emit(p, enc_addu(T3, A1, ZERO));
		emit(p, s->imm ? s->imm(T3, T3, simms[4]) : s->uimm(T3, T3, uimms[4])); /* rt == rs */
		break;
	case SW_UNARY:
		emit(p, s->un(V0, A0));
		emit(p, s->un(V1, A1));
		emit(p, enc_addu(T1, A0, ZERO));
		emit(p, s->un(T1, T1));
		emit(p, enc_xor(T2, A0, A1));
		emit(p, s->un(T2, T2));
		emit(p, enc_subu(T3, A0, A1));
		emit(p, s->un(T3, T3));
		break;
	case SW_EXT:
		for (unsigned i = 0; i < 5; i++)
			emit(p, s->ins(out[i], i & 1 ? A1 : A0, fields[i][0], fields[i][1]));
		break;
	case SW_INS:
		for (unsigned i = 0; i < 5; i++) {
			emit(p, enc_addu(out[i], i & 1 ? A0 : A1, ZERO));
			emit(p, s->ins(out[i], i & 1 ? A1 : A0, fields[i][0], fields[i][1]));
		}
		break;
	case SW_HILO:
		/* HI:LO start as the pair (the accumulating ones add to it) */
		emit(p, enc_mthi(A1));
		emit(p, enc_mtlo(A0));
		emit(p, s->un(A0, A1));
		emit(p, enc_mfhi(V0));
		emit(p, enc_mflo(V1));
		emit(p, s->un(A1, A1));
		emit(p, enc_mfhi(T1));
		emit(p, enc_mflo(T2));
		emit(p, s->un(A0, ZERO));
		emit(p, enc_mflo(T3));
		break;
	}
}

/* The output words that differ, by operand pair and result. */
static void sweep_explain(const struct state *got, const struct state *ref)
{
	static const char *const names[] = {"v0", "v1", "t1", "t2", "t3", "hi", "lo"};
	unsigned shown = 0;
	for (unsigned i = 0; i < 256; i++)
		for (unsigned k = 0; k < 7; k++) {
			uint32_t off = SWEEP_OUT - DATA_A + 28 * i + 4 * k, x, y;
			memcpy(&x, &got->mem[2 + off / 4096][off % 4096], 4);
			memcpy(&y, &ref->mem[2 + off / 4096][off % 4096], 4);
			if (x != y && shown++ < 16)
				fprintf(stderr, "# a0 0x%08x a1 0x%08x: %s 0x%08x, interpreter "
					"0x%08x\n", edges[i / 16], edges[i % 16], names[k], x, y);
		}
}

static void test_jit_edge_sweep(void **state)
{
	struct boards *b = *state;
	static struct prog p;
	uint64_t compiled = 0;
	for (unsigned i = 0; i < sizeof sweeps / sizeof sweeps[0]; i++) {
		memset(&p, 0, sizeof p);
		p.base = CODE_MIN;
		for (unsigned x = 0; x < 16; x++)
			for (unsigned y = 0; y < 16; y++) {
				memcpy(&p.mem[2][8 * (16 * x + y)], &edges[x], 4);
				memcpy(&p.mem[2][8 * (16 * x + y) + 4], &edges[y], 4);
			}
		p.gpr[CNT] = 256;
		p.gpr[S0] = SWEEP_IN;
		p.gpr[S1] = SWEEP_OUT;
		unsigned top = p.n;
		emit(&p, enc_lw(A0, 0, S0));
		emit(&p, enc_lw(A1, 4, S0));
		sweep_body(&p, &sweeps[i]);
		static const unsigned out[] = {V0, V1, T1, T2, T3};
		for (unsigned k = 0; k < 5; k++)
			emit(&p, enc_sw(out[k], 4 * (int32_t)k, S1));
		emit(&p, enc_mfhi(T4));
		emit(&p, enc_sw(T4, 20, S1));
		emit(&p, enc_mflo(T4));
		emit(&p, enc_sw(T4, 24, S1));
		emit(&p, enc_addiu(S0, S0, 8));
		emit(&p, enc_addiu(CNT, CNT, -1));
		emit(&p, enc_bne(CNT, ZERO, (int32_t)top - (int32_t)(p.n + 1)));
		emit(&p, enc_addiu(S1, S1, 28));
		emit_end(&p);
		char name[64];
		snprintf(name, sizeof name, "edge sweep of %s", sweeps[i].name);
		check_prog(b, &p, name, false, sweep_explain, &compiled, NULL);
	}
}

/* ------------------------------------------------------------ self-modifying code */

/* The loop at CODE_MIN with the registers set; the data pages zero. */
static void smc_prog(struct prog *p, const uint32_t *w, size_t n)
{
	memset(p, 0, sizeof *p);
	p->base = CODE_MIN;
	for (size_t i = 0; i < n; i++)
		emit(p, w[i]);
	emit_end(p);
}

/* Runs the self-modifying p under every configuration; the jit 1 run
 * must have dropped code (smc) and compiled again. */
static void check_smc(struct prog *p, const char *name, struct state *ref)
{
	uint64_t compiled = 0;
	check_prog(NULL, p, name, false, NULL, &compiled, ref);
	if (ref->smc == 0)
		fail_msg("%s: no predecoded word was dropped: the program does not "
			 "modify its code", name);
	if (vzsim_jit_available() && compiled < 2)
		fail_msg("%s: %llu blocks compiled with jit 1: the modified block was "
			 "not compiled again", name, (unsigned long long)compiled);
}

/*
 * The store rewrites an instruction after it in the same block, in the
 * 100th of 200 iterations: from then on s0 grows by 1000, not 1.
 */
static void test_jit_smc_ahead(void **state)
{
	(void)state;
	static struct prog p;
	static struct state ref;
	smc_prog(&p, PROG(
		enc_addiu(CNT, CNT, -1),
		enc_xori(T0, CNT, 100),
		enc_addu(T1, T2, ZERO),        /* scratch */
		enc_movz(T1, T3, T0),          /* the target when cnt == 100 */
		enc_lw(T7, 0, T3),             /* the code page read too */
		enc_sw(T4, 0, T1),
		enc_addiu(S0, S0, 1),          /* the target */
		enc_addu(S1, S1, S0),
		enc_bne(CNT, ZERO, -9),
		enc_addu(S2, S2, T7)));
	p.gpr[CNT] = 200;
	p.gpr[T2] = DATA_A;
	p.gpr[T3] = CODE_MIN + 6 * 4;
	p.gpr[T4] = enc_addiu(S0, S0, 1000);
	check_smc(&p, "store ahead in the block", &ref);
	assert_int_equal(ref.gpr[S0], 99u * 1 + 101u * 1000);
	assert_int_equal(ref.mem[0][0x800 + 6 * 4] | ref.mem[0][0x800 + 6 * 4 + 1] << 8, 1000);
}

/*
 * A loop that jumps into the delay slot of the branch before it: the slot
 * is the last instruction of that branch's block and the first of the
 * loop's own, which runs on to the loop's branch.  A slot that kept the
 * length of the first as its own would run five and count one.
 */
static void test_jit_branch_into_delay_slot(void **state)
{
	(void)state;
	static struct prog p;
	static struct state ref;
	uint64_t compiled = 0;
	smc_prog(&p, PROG(
		enc_beq(ZERO, ZERO, 1),        /* over the slot, to the loop */
		enc_addiu(S1, S1, 1),          /* the slot, and the loop's start */
		enc_addiu(S0, S0, 1),
		enc_addiu(CNT, CNT, -1),
		enc_bne(CNT, ZERO, -4),        /* to the slot */
		enc_addu(S2, S2, S0)));
	p.gpr[CNT] = 50;
	check_prog(NULL, &p, "a branch into another branch's delay slot", false, NULL,
		   &compiled, &ref);
	assert_int_equal(ref.gpr[S0], 50);
	assert_int_equal(ref.gpr[S1], 50);
	assert_int_equal(ref.gpr[S2], 50u * 51 / 2);
}

/*
 * The store rewrites the instruction just after a run's end: an add (not
 * block-safe: it traps on overflow) becomes an addu, in the 100th of 200
 * iterations.  The run before it (the addiu) was one instruction long
 * because of the add; with the addu it goes on to the loop's branch, and a
 * run still cached as one instruction would run five and count one.
 */
static void test_jit_smc_run_end(void **state)
{
	(void)state;
	static struct prog p;
	static struct state ref;
	smc_prog(&p, PROG(
		enc_addiu(CNT, CNT, -1),
		enc_xori(T0, CNT, 100),
		enc_addu(T1, T2, ZERO),        /* scratch */
		enc_movz(T1, T3, T0),          /* the target when cnt == 100 */
		enc_lw(T7, 0, T3),             /* the code page read too */
		enc_sw(T4, 0, T1),
		enc_addiu(S0, S0, 1),          /* a run of one, until ... */
		enc_add(S1, S1, S0),           /* the target */
		enc_addiu(S3, S3, 2),
		enc_bne(CNT, ZERO, -10),
		enc_addu(S2, S2, T7)));
	p.gpr[CNT] = 200;
	p.gpr[T2] = DATA_A;
	p.gpr[T3] = CODE_MIN + 7 * 4;
	p.gpr[T4] = enc_addu(S1, S1, S0);
	check_smc(&p, "store just after a run's end", &ref);
	assert_int_equal(ref.gpr[S1], 200u * 201 / 2);
	assert_int_equal(ref.gpr[S3], 400);
}

/*
 * The store rewrites the block's first instruction, behind it: the next
 * iteration runs the new one.  Every 16 iterations it puts the next of
 * four there: an add, one the compiler does not compile (divu), a load, a
 * subtract.
 */
static void test_jit_smc_behind_toggling(void **state)
{
	(void)state;
	static struct prog p;
	static struct state ref;
	smc_prog(&p, PROG(
		enc_addu(S0, S0, CNT),         /* the target */
		enc_addiu(CNT, CNT, -1),
		enc_andi(T0, CNT, 15),
		enc_addu(T1, T2, ZERO),        /* scratch */
		enc_movz(T1, T3, T0),          /* the target when cnt % 16 == 0 */
		enc_srl(T5, CNT, 4),
		enc_andi(T5, T5, 3),
		enc_sll(T5, T5, 2),
		enc_addu(T5, T5, T6),
		enc_lw(T4, 0, T5),             /* words[(cnt >> 4) & 3] */
		enc_lw(T7, 0, T3),             /* the code page read too */
		enc_sw(T4, 0, T1),
		enc_addu(S1, S1, S0),
		enc_bgtz(CNT, -14),
		enc_xor(S2, S2, T7)));
	p.gpr[CNT] = 300;
	p.gpr[T2] = DATA_A;
	p.gpr[T3] = CODE_MIN;
	p.gpr[T6] = DATA_B + 0x100;
	p.gpr[S3] = 7;
	const uint32_t words[4] = {
		enc_addu(S0, S0, CNT), enc_divu(S1, S3), enc_lw(S0, 0x200, T6),
		enc_subu(S0, S0, CNT),
	};
	memcpy(&p.mem[5][0x100], words, sizeof words);
	memcpy(&p.mem[5][0x300], &(uint32_t){0x1234567}, 4);
	check_smc(&p, "store behind in the block, toggling", &ref);
	assert_true(ref.smc >= 300 / 16);
}

/*
 * The loop writes a function into GEN_PAGE (jr ra; addiu v0, v0, K with
 * K the counter's low byte) and calls it: every call must run this
 * iteration's K.  The page is data before the first call, code after.
 */
static void test_jit_smc_generated_function(void **state)
{
	(void)state;
	static struct prog p;
	static struct state ref;
	smc_prog(&p, PROG(
		enc_addiu(CNT, CNT, -1),
		enc_andi(T0, CNT, 0xff),
		enc_or(T0, T0, T8),            /* addiu v0, v0, K */
		enc_lw(T7, 4, T3),             /* last iteration's K */
		enc_sw(T9, 0, T3),             /* jr ra */
		enc_sw(T0, 4, T3),
		enc_jalr_hb(RA, T3),
		enc_addiu(S0, S0, 1),
		enc_bne(CNT, ZERO, -9),
		enc_xor(S1, S1, T7)));
	p.gpr[CNT] = 300;
	p.gpr[T3] = GEN_PAGE + 0x40;
	p.gpr[T8] = enc_addiu(V0, V0, 0);
	p.gpr[T9] = enc_jr(RA);
	check_smc(&p, "generated function", &ref);
	uint32_t want = 0;
	for (uint32_t c = 300; c-- > 0;)
		want += c & 0xff;
	assert_int_equal(ref.gpr[V0], want);
	assert_int_equal(ref.gpr[S0], 300);
}

/*
 * A block the jit 1 run compiled and ran is rewritten from another block
 * before it runs again: the loop has two halves, the second rewrites the
 * first's middle instruction with one of four words each iteration.
 */
static void test_jit_smc_other_block(void **state)
{
	(void)state;
	static struct prog p;
	static struct state ref;
	smc_prog(&p, PROG(
		/* first half: one block, ended by the j */
		enc_addiu(CNT, CNT, -1),
		enc_sll(S0, S0, 1),
		enc_addiu(S0, S0, 1),          /* the target */
		enc_j(CODE_MIN + 6 * 4),
		enc_xor(S1, S1, S0),
		enc_nop(),
		/* second half: picks the word, stores it */
		enc_andi(T0, CNT, 3),
		enc_sll(T0, T0, 2),
		enc_addu(T0, T0, T6),
		enc_lw(T4, 0, T0),
		enc_lw(T7, 2 * 4, T3),         /* the code page read too */
		enc_sw(T4, 2 * 4, T3),
		enc_bne(CNT, ZERO, -13),
		enc_addu(S2, S2, T7)));
	p.gpr[CNT] = 200;
	p.gpr[T3] = CODE_MIN;
	p.gpr[T6] = DATA_B;
	const uint32_t words[4] = {
		enc_addiu(S0, S0, 1), enc_xori(S0, S0, 0x55), enc_mult(S0, S1),
		enc_addiu(S0, S0, 3),
	};
	memcpy(&p.mem[5][0], words, sizeof words);
	check_smc(&p, "a block rewritten by another", &ref);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_jit_random, boards_setup, boards_teardown),
		cmocka_unit_test_setup_teardown(test_jit_edge_sweep, boards_setup, boards_teardown),
		cmocka_unit_test(test_jit_smc_ahead),
		cmocka_unit_test(test_jit_smc_run_end),
		cmocka_unit_test(test_jit_branch_into_delay_slot),
		cmocka_unit_test(test_jit_smc_behind_toggling),
		cmocka_unit_test(test_jit_smc_generated_function),
		cmocka_unit_test(test_jit_smc_other_block),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
