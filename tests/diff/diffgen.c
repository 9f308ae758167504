/*
 * diffgen: writes a random, self-checking MIPS32r2 integer program (GNU as
 * syntax, little-endian) for differential testing of vzsim against QEMU's
 * Malta board with a 24Kc CPU.
 *
 *   diffgen SEED [--len N] > prog.S
 *
 * The program sets up a general exception vector that logs and skips every
 * exception, seeds the GPRs, HI/LO and a 256-byte data buffer, runs N random
 * "units" (one instruction, or a short sequence that must run as a whole),
 * then prints the architectural state over the Malta UART and writes 0x42 to
 * the reset register.  Two correct simulators must print the same text.
 *
 * Only behaviour that the architecture defines is exercised, because any
 * UNPREDICTABLE result would be a false mismatch:
 *  - a fault in a delay slot resumes after the slot (EPC + 8 when Cause.BD
 *    is set), a fixed choice of the handler that both boards must follow;
 *  - HI/LO are never read after MUL (UNPREDICTABLE before release 6) until
 *    something writes them again; this is tracked along every forward path;
 *  - divisors are forced non-zero at run time;
 *  - SC only ever follows its LL with no memory access between them, and
 *    either nothing or an exception (whose ERET clears LLbit) in between:
 *    an SC without its LL, or after a store, may succeed or fail, and QEMU
 *    (which compares values) and hardware differ there;
 *  - EXT/INS fields are in range; JALR never links into its target register;
 *    the *AL branches never test r31; no SLL with rd = 0 (SSNOP/EHB/PAUSE).
 * Control flow only ever goes forward, so every program terminates.
 *
 * Registers: k0/k1 belong to the exception handler and sp ($29) is the
 * buffer base (buffer + 128); random code reads sp but never writes it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF_SIZE 256
#define BUF_HALF 128
#define LOG_CAP 128
#define DEFAULT_LEN 300
#define MAX_LEN 1000000
#define MAX_BRANCH_SKIP 6

/* ------------------------------------------------------------------ rng */

/*
 * splitmix64: tiny, and fully specified here, so a seed means the same
 * program on every host and compiler.
 */
static uint64_t rng_state;

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n); the modulo bias is irrelevant at these sizes. */
static uint32_t rnd(uint32_t n)
{
	return n ? (uint32_t)(rng_next() % n) : 0;
}

static bool chance(unsigned percent)
{
	return rnd(100) < percent;
}

static uint32_t rnd32(void)
{
	return (uint32_t)(rng_next() >> 32);
}

/* Values that sit on the edges of the arithmetic: signs, overflow, 16-bit
 * immediates, shift counts. */
static uint32_t interesting(void)
{
	static const uint32_t pool[] = {
		0x00000000, 0x00000001, 0x00000002, 0xffffffff, 0x7fffffff,
		0x80000000, 0x80000001, 0xfffffffe, 0x0000ffff, 0xffff0000,
		0x00008000, 0xffff8000, 0x00007fff, 0x55555555, 0xaaaaaaaa,
		0x0000001f, 0x00000020, 0x00000021, 0x000000ff, 0x00000080,
		0x40000000, 0xc0000000, 0x7fff8000, 0x80007fff,
	};
	switch (rnd(4)) {
	case 0:
		return pool[rnd(sizeof pool / sizeof pool[0])];
	case 1:
		return (uint32_t)((int32_t)rnd(33) - 16);
	default:
		return rnd32();
	}
}

/* ------------------------------------------------------------ registers */

/* What random code may write: not $0, k0, k1 (handler) or sp (base). */
static const unsigned wregs[] = {
	1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15,
	16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 28, 30, 31,
};
#define N_WREGS (sizeof wregs / sizeof wregs[0])

static unsigned wreg(void)
{
	return wregs[rnd(N_WREGS)];
}

/* What random code may read: also $0 and sp, but not k0/k1, whose values
 * depend on the handler's internals rather than on the instruction set. */
static unsigned rreg(void)
{
	if (chance(8))
		return 0;
	if (chance(3))
		return 29;
	return wreg();
}

/* ---------------------------------------------------------------- output */

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

/* One instruction, tab-indented. */
static void ins(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void ins(const char *fmt, ...)
{
	va_list ap;
	putchar('\t');
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* 32-bit constant without the assembler's li macro (".set nomacro"). */
static void load_const(unsigned r, uint32_t v)
{
	ins("lui $%u, 0x%04x", r, v >> 16);
	ins("ori $%u, $%u, 0x%04x", r, r, v & 0xffff);
}

static int simm16(void)
{
	switch (rnd(3)) {
	case 0:
		return (int)rnd(33) - 16;
	case 1:
		return chance(50) ? 32767 - (int)rnd(4) : -32768 + (int)rnd(4);
	default:
		return (int)rnd(65536) - 32768;
	}
}

static unsigned uimm16(void)
{
	return chance(30) ? rnd(32) : rnd(65536);
}

/* ---------------------------------------------------------------- state */

static unsigned n_units;
static unsigned unit_ix; /* unit being generated */
static unsigned aux_label;

/*
 * HI/LO definedness at the current point, and what must hold at each later
 * unit given the branches already generated towards it (ANDed in on
 * arrival).  Conservative: fall-through after an unconditional jump is
 * treated as reachable.
 */
static bool hi_ok, lo_ok;
static bool *pend_hi, *pend_lo;

static void branch_to(unsigned target)
{
	pend_hi[target] = pend_hi[target] && hi_ok;
	pend_lo[target] = pend_lo[target] && lo_ok;
}

/* A forward target at least one unit past the current one. */
static unsigned pick_target(void)
{
	unsigned t = unit_ix + 1 + rnd(MAX_BRANCH_SKIP);
	return t > n_units ? n_units : t;
}

/* ------------------------------------------------ single non-faulting ops */

static void gen_alu3(void)
{
	static const char *const ops[] = {
		"addu", "subu", "and", "or", "xor", "nor", "slt", "sltu",
		"sllv", "srlv", "srav", "rotrv", "movz", "movn",
	};
	ins("%s $%u, $%u, $%u", ops[rnd(sizeof ops / sizeof ops[0])], wreg(),
	    rreg(), rreg());
}

static void gen_alui(void)
{
	unsigned rt = wreg(), rs = rreg();
	switch (rnd(7)) {
	case 0: ins("addiu $%u, $%u, %d", rt, rs, simm16()); break;
	case 1: ins("slti $%u, $%u, %d", rt, rs, simm16()); break;
	case 2: ins("sltiu $%u, $%u, %d", rt, rs, simm16()); break;
	case 3: ins("andi $%u, $%u, 0x%x", rt, rs, uimm16()); break;
	case 4: ins("ori $%u, $%u, 0x%x", rt, rs, uimm16()); break;
	case 5: ins("xori $%u, $%u, 0x%x", rt, rs, uimm16()); break;
	default: ins("lui $%u, 0x%x", rt, uimm16()); break;
	}
}

static void gen_shift(void)
{
	static const char *const ops[] = { "sll", "srl", "sra", "rotr" };
	/* rd is never $0: SLL $0,$0,1/3/5 are SSNOP, EHB and PAUSE. */
	ins("%s $%u, $%u, %u", ops[rnd(4)], wreg(), rreg(),
	    chance(20) ? (chance(50) ? 0 : 31) : rnd(32));
}

static void gen_bits(void)
{
	unsigned pos, size;
	switch (rnd(7)) {
	case 0:
	case 1:
		/* pos + size <= 32, else UNPREDICTABLE. */
		pos = rnd(32);
		size = 1 + rnd(32 - pos);
		ins("%s $%u, $%u, %u, %u", rnd(2) ? "ext" : "ins", wreg(),
		    rreg(), pos, size);
		break;
	case 2: ins("seb $%u, $%u", wreg(), rreg()); break;
	case 3: ins("seh $%u, $%u", wreg(), rreg()); break;
	case 4: ins("wsbh $%u, $%u", wreg(), rreg()); break;
	case 5: ins("clz $%u, $%u", wreg(), rreg()); break;
	default: ins("clo $%u, $%u", wreg(), rreg()); break;
	}
}

/* Offsets from sp (buffer + 128) that keep an access of `size` bytes,
 * aligned to `align`, inside the buffer. */
static int buf_off(unsigned size, unsigned align)
{
	return (int)(rnd((BUF_SIZE - size) / align + 1) * align) - BUF_HALF;
}

static const char *const load_ops[] = { "lb", "lbu", "lh", "lhu", "lw", "lwl", "lwr" };
static const unsigned load_size[] = { 1, 1, 2, 2, 4, 1, 1 };
static const char *const store_ops[] = { "sb", "sh", "sw", "swl", "swr" };
static const unsigned store_size[] = { 1, 2, 4, 1, 1 };

/* An aligned load or store through sp (cannot fault). */
static void gen_mem_sp(bool store)
{
	unsigned k;
	if (store) {
		k = rnd(5);
		ins("%s $%u, %d($29)", store_ops[k], rreg(),
		    buf_off(store_size[k], store_size[k]));
	} else {
		k = rnd(7);
		ins("%s $%u, %d($29)", load_ops[k], wreg(),
		    buf_off(load_size[k], load_size[k]));
	}
}

static void gen_mfhilo(void)
{
	if (hi_ok && (!lo_ok || rnd(2)))
		ins("mfhi $%u", wreg());
	else if (lo_ok)
		ins("mflo $%u", wreg());
	else
		gen_alu3();
}

static void gen_fault1(void);
static void gen_sys(void);
static void gen_trap(void);
static void gen_ri(void);
static void gen_ov(void);

/* sync and pref are no-ops for a single uncached-looking core, but must
 * decode; only the load/store hints, which every implementation accepts. */
static void gen_hint(void)
{
	static const unsigned hints[] = { 0, 1, 4, 5, 6, 7 };
	if (rnd(2))
		ins("sync");
	else
		ins("pref %u, %d($29)", hints[rnd(6)], buf_off(1, 1));
}

/* Delay-slot filler: one instruction that cannot branch or write HI/LO.
 * Now and then (if may_fault) it faults: the handler sees Cause.BD and EPC
 * at the branch and resumes after the slot, which both boards must agree
 * on. */
static void gen_slot(bool may_fault)
{
	switch (rnd(12)) {
	case 0: ins("nop"); break;
	case 1: case 2: gen_alu3(); break;
	case 3: case 4: gen_alui(); break;
	case 5: gen_shift(); break;
	case 6: gen_bits(); break;
	case 7: gen_mfhilo(); break;
	case 8: gen_mem_sp(false); break;
	case 9: gen_mem_sp(true); break;
	case 10: gen_hint(); break;
	default:
		if (may_fault && chance(50))
			gen_fault1();
		else
			gen_alu3();
		break;
	}
}

/* --------------------------------------------------------------- units */

/* add/addi/sub: Integer Overflow leaves the destination unchanged. */
static void gen_ov(void)
{
	switch (rnd(3)) {
	case 0: ins("add $%u, $%u, $%u", wreg(), rreg(), rreg()); break;
	case 1: ins("sub $%u, $%u, $%u", wreg(), rreg(), rreg()); break;
	default: ins("addi $%u, $%u, %d", wreg(), rreg(), simm16()); break;
	}
}

/* As gen_ov, but often with an operand placed next to INT_MAX or INT_MIN
 * first, since values drift away from the limits as the body runs. */
static void gen_ov_unit(void)
{
	if (chance(50)) {
		unsigned r = wreg();
		uint32_t v = (chance(50) ? 0x7fff0000u : 0x80000000u) | rnd(65536);
		load_const(r, v);
		switch (rnd(3)) {
		case 0: ins("add $%u, $%u, $%u", wreg(), r, rreg()); break;
		case 1: ins("sub $%u, $%u, $%u", wreg(), r, rreg()); break;
		default: ins("addi $%u, $%u, %d", wreg(), r, simm16()); break;
		}
		return;
	}
	gen_ov();
}

static void gen_muldiv(void)
{
	unsigned rs = rreg(), rt = rreg(), k = rnd(10);
	/* madd/msub accumulate into HI/LO, so they need both defined. */
	if (k >= 2 && k <= 5 && !(hi_ok && lo_ok))
		k = 0;
	switch (k) {
	case 0: ins("mult $%u, $%u", rs, rt); break;
	case 1: ins("multu $%u, $%u", rs, rt); break;
	case 2: ins("madd $%u, $%u", rs, rt); break;
	case 3: ins("maddu $%u, $%u", rs, rt); break;
	case 4: ins("msub $%u, $%u", rs, rt); break;
	case 5: ins("msubu $%u, $%u", rs, rt); break;
	case 6:
		ins("mul $%u, $%u, $%u", wreg(), rs, rt);
		hi_ok = lo_ok = false; /* HI/LO UNPREDICTABLE after MUL */
		return;
	default: {
		/* Division: force the divisor non-zero at run time (division
		 * by zero leaves HI/LO UNPREDICTABLE); sometimes set up
		 * INT_MIN / -1, which must not trap and gives LO = INT_MIN. */
		unsigned d = wreg(), n = rreg(), l = aux_label++;
		if (chance(15)) {
			n = wreg();
			while (n == d)
				n = wreg();
			load_const(n, 0x80000000);
			ins("addiu $%u, $0, -1", d);
		}
		ins("bne $%u, $0, A%u", d, l);
		ins("nop");
		ins("addiu $%u, $0, %d", d, chance(50) ? -1 : 1 + (int)rnd(100));
		out("A%u:\n", l);
		/* The three-operand form is the bare instruction; the
		 * two-operand one is a macro with its own zero check. */
		ins("%s $0, $%u, $%u", rnd(2) ? "div" : "divu", n, d);
		break;
	}
	}
	hi_ok = lo_ok = true;
}

static void gen_hilo(void)
{
	switch (rnd(4)) {
	case 0:
	case 1:
		gen_mfhilo();
		break;
	case 2:
		ins("mthi $%u", rreg());
		hi_ok = true;
		break;
	default:
		ins("mtlo $%u", rreg());
		lo_ok = true;
		break;
	}
}

/* A base register other than sp: computed as sp + d, any alignment, and
 * the offset chosen so that base + offset lands where it should. */
static void mem_access(const char *op, unsigned rt, int total, bool single)
{
	if (single || chance(65)) {
		ins("%s $%u, %d($29)", op, rt, total);
		return;
	}
	unsigned b = wreg();
	int d = (int)rnd(129) - 64;
	ins("addiu $%u, $29, %d", b, d);
	ins("%s $%u, %d($%u)", op, rt, total - d, b);
}

static void gen_load(void)
{
	unsigned k = rnd(7);
	mem_access(load_ops[k], wreg(), buf_off(load_size[k], load_size[k]), false);
}

static void gen_store(void)
{
	unsigned k = rnd(5);
	mem_access(store_ops[k], rreg(), buf_off(store_size[k], store_size[k]), false);
}

/* Misaligned halfword/word accesses: Address Error with BadVAddr.  single:
 * one instruction (through sp), for delay slots. */
static void gen_misaligned(bool single)
{
	static const char *const ops[] = { "lh", "lhu", "lw", "sh", "sw", "ll" };
	static const unsigned size[] = { 2, 2, 4, 2, 4, 4 };
	static const bool store[] = { false, false, false, true, true, false };
	unsigned k = rnd(6);
	int off = buf_off(size[k], size[k]) + 1 + (int)rnd(size[k] - 1);
	if (off > BUF_HALF - (int)size[k])
		off -= (int)size[k];
	mem_access(ops[k], store[k] ? rreg() : wreg(), off, single);
}

/* LL ... SC to the same word with only register-only work between them,
 * so the SC must succeed; or with an exception between them, whose ERET
 * clears LLbit, so the SC must fail (a trap between them may or may not
 * fire, but both boards see the same operands). */
static void gen_llsc(void)
{
	int off = buf_off(4, 4);
	unsigned n = rnd(4), fault_at = chance(30) ? rnd(n + 1) : n + 1;
	ins("ll $%u, %d($29)", wreg(), off);
	for (unsigned i = 0; i <= n; i++) {
		if (i == fault_at) {
			switch (rnd(4)) {
			case 0: gen_sys(); break;
			case 1: gen_trap(); break;
			case 2: gen_ri(); break;
			default: gen_ov(); break;
			}
		}
		if (i == n)
			break;
		switch (rnd(4)) {
		case 0: gen_alu3(); break;
		case 1: gen_alui(); break;
		case 2: gen_shift(); break;
		default: gen_bits(); break;
		}
	}
	ins("sc $%u, %d($29)", wreg(), off);
}

static void label_of(unsigned t, char *buf, size_t len)
{
	snprintf(buf, len, "U%u", t);
}

static void gen_branch(void)
{
	char lbl[32];
	unsigned t = pick_target(), rs = rreg(), rt = rreg();
	label_of(t, lbl, sizeof lbl);
	/* Equal operands make beq/bne/bgez-style tests decisive. */
	if (chance(20))
		rt = rs;
	unsigned k = rnd(17);
	/* The and-link forms must not test r31 (not restartable). */
	if ((k == 6 || k == 7 || k == 14 || k == 15) && rs == 31)
		rs = 0;
	switch (k) {
	case 0: ins("beq $%u, $%u, %s", rs, rt, lbl); break;
	case 1: ins("bne $%u, $%u, %s", rs, rt, lbl); break;
	case 2: ins("blez $%u, %s", rs, lbl); break;
	case 3: ins("bgtz $%u, %s", rs, lbl); break;
	case 4: ins("bltz $%u, %s", rs, lbl); break;
	case 5: ins("bgez $%u, %s", rs, lbl); break;
	case 6: ins("bltzal $%u, %s", rs, lbl); break;
	case 7: ins("bgezal $%u, %s", rs, lbl); break;
	case 8: ins("beql $%u, $%u, %s", rs, rt, lbl); break;
	case 9: ins("bnel $%u, $%u, %s", rs, rt, lbl); break;
	case 10: ins("blezl $%u, %s", rs, lbl); break;
	case 11: ins("bgtzl $%u, %s", rs, lbl); break;
	case 12: ins("bltzl $%u, %s", rs, lbl); break;
	case 13: ins("bgezl $%u, %s", rs, lbl); break;
	case 14: ins("bltzall $%u, %s", rs, lbl); break;
	case 15: ins("bgezall $%u, %s", rs, lbl); break;
	default: ins("b %s", lbl); break;
	}
	/*
	 * QEMU 7.2 translates a branch that can never be taken (bne r,r;
	 * bgtz/bltz $0) as a NOP, so its delay-slot instruction faults with
	 * BD = 0 and EPC at the slot instead of BD = 1 and EPC at the
	 * branch.  That is QEMU's deviation, not a vzsim bug: no faulting
	 * slot after those.
	 */
	bool never = (k == 1 && rs == rt) || ((k == 3 || k == 4) && rs == 0);
	gen_slot(!never);
	branch_to(t);
}

static void gen_jump(void)
{
	char lbl[32];
	unsigned t = pick_target();
	label_of(t, lbl, sizeof lbl);
	switch (rnd(4)) {
	case 0:
		ins("j %s", lbl);
		break;
	case 1:
		ins("jal %s", lbl);
		break;
	default: {
		unsigned r = wreg(), rd = wreg();
		ins("lui $%u, %%hi(%s)", r, lbl);
		ins("addiu $%u, $%u, %%lo(%s)", r, r, lbl);
		if (rnd(2)) {
			ins("jr $%u", r);
		} else {
			/* rd == rs is UNPREDICTABLE for JALR. */
			while (rd == r)
				rd = wreg();
			ins("jalr $%u, $%u", rd, r);
		}
		break;
	}
	}
	gen_slot(true);
	branch_to(t);
}

static void gen_trap(void)
{
	static const char *const rops[] = { "teq", "tne", "tge", "tgeu", "tlt", "tltu" };
	static const char *const iops[] = { "teqi", "tnei", "tgei", "tgeiu", "tlti", "tltiu" };
	unsigned rs = rreg(), rt = rreg();
	if (rnd(2)) {
		if (chance(25))
			rt = rs;
		ins("%s $%u, $%u, %u", rops[rnd(6)], rs, rt, rnd(1024));
	} else {
		ins("%s $%u, %d", iops[rnd(6)], rs,
		    chance(40) ? (int)rnd(3) - 1 : simm16());
	}
}

static void gen_sys(void)
{
	if (rnd(2))
		ins("syscall %u", rnd(1u << 20));
	else
		ins("break %u", rnd(1024));
}

/*
 * Words that are reserved both on QEMU's 24Kc and on a MIPS32r5 P5600
 * without FPU, DSP or MSA: the MIPS64-only major opcodes and SPECIAL
 * functions.  Avoided on purpose: JALX (24Kc has MIPS16), COP1/COP1X and
 * MOVCI (Coprocessor Unusable, not RI), SPECIAL 0x05 (LSA with MSA),
 * major 0x1e (MSA) and SPECIAL3/SPECIAL2 holes (DSP and vendor space).
 */
static void gen_ri(void)
{
	static const uint32_t majors[] = { 0x18, 0x19, 0x1a, 0x1b, 0x27, 0x2c, 0x2d, 0x34, 0x37, 0x3c, 0x3f };
	static const uint32_t functs[] = {
		0x14, 0x16, 0x17, 0x1c, 0x1d, 0x1e, 0x1f, 0x28, 0x29,
		0x2c, 0x2d, 0x2e, 0x2f, 0x38, 0x3a, 0x3b, 0x3c, 0x3e, 0x3f,
	};
	uint32_t w;
	if (rnd(2))
		w = majors[rnd(sizeof majors / sizeof majors[0])] << 26 | (rnd32() & 0x03ffffff);
	else
		w = (rnd32() & 0x03ffffc0) | functs[rnd(sizeof functs / sizeof functs[0])];
	ins(".word 0x%08" PRIx32, w);
}

/* One instruction that may raise an exception. */
static void gen_fault1(void)
{
	switch (rnd(5)) {
	case 0: gen_ov(); break;
	case 1: gen_trap(); break;
	case 2: gen_sys(); break;
	case 3: gen_ri(); break;
	default: gen_misaligned(true); break;
	}
}

static void gen_li(void)
{
	load_const(wreg(), interesting());
}

enum kind {
	K_ALU3, K_ALUI, K_SHIFT, K_BITS, K_OV, K_MULDIV, K_HILO, K_LOAD,
	K_STORE, K_MISAL, K_LLSC, K_BRANCH, K_JUMP, K_TRAP, K_SYS, K_RI,
	K_LI, K_COUNT
};

static const unsigned weight[K_COUNT] = {
	[K_ALU3] = 18, [K_ALUI] = 12, [K_SHIFT] = 6, [K_BITS] = 8,
	[K_OV] = 5, [K_MULDIV] = 9, [K_HILO] = 5, [K_LOAD] = 10,
	[K_STORE] = 8, [K_MISAL] = 3, [K_LLSC] = 2, [K_BRANCH] = 10,
	[K_JUMP] = 3, [K_TRAP] = 4, [K_SYS] = 1, [K_RI] = 1, [K_LI] = 3,
};

static void gen_unit(void)
{
	unsigned total = 0, r;
	for (unsigned k = 0; k < K_COUNT; k++)
		total += weight[k];
	r = rnd(total);
	unsigned k = 0;
	while (r >= weight[k])
		r -= weight[k++];
	switch ((enum kind)k) {
	case K_ALU3: gen_alu3(); break;
	case K_ALUI: gen_alui(); break;
	case K_SHIFT: gen_shift(); break;
	case K_BITS: gen_bits(); break;
	case K_OV: gen_ov_unit(); break;
	case K_MULDIV: gen_muldiv(); break;
	case K_HILO: gen_hilo(); break;
	case K_LOAD: gen_load(); break;
	case K_STORE: gen_store(); break;
	case K_MISAL: gen_misaligned(false); break;
	case K_LLSC: gen_llsc(); break;
	case K_BRANCH: gen_branch(); break;
	case K_JUMP: gen_jump(); break;
	case K_TRAP: gen_trap(); break;
	case K_SYS: gen_sys(); break;
	case K_RI: gen_ri(); break;
	case K_LI: gen_li(); break;
	case K_COUNT: break;
	}
}

/* -------------------------------------------------------------- harness */

/*
 * The exception handler.  Only k0/k1 are free here, so it stores raw
 * Cause/EPC/BadVAddr and the dump masks them: Cause keeps BD and ExcCode
 * (IP bits follow the timer, which the boards need not agree on), EPC
 * becomes an offset from the body, BadVAddr is kept for AdEL/AdES only.
 * Log entry i (1-based) lives at exc_count + 16 * i.
 * A fault with Cause.BD set resumes after the delay slot (EPC + 8), not at
 * the branch: the program goes on with the next unit whichever way the
 * branch would have gone.
 */
static const char handler_text[] =
	"\t.section .vectors, \"ax\", @progbits\n"
	"\t.globl exc_vector\n"
	"exc_vector:\n"
	"\tlui $k1, %hi(exc_count)\n"
	"\taddiu $k1, $k1, %lo(exc_count)\n"
	"\tlw $k0, 0($k1)\n"
	"\taddiu $k0, $k0, 1\n"
	"\tsw $k0, 0($k1)\n"
	"\tsltiu $k0, $k0, LOG_CAP + 1\n"
	"\tbeq $k0, $0, 1f\n"
	"\tnop\n"
	"\tlw $k0, 0($k1)\n"
	"\tsll $k0, $k0, 4\n"
	"\taddu $k1, $k1, $k0\n"
	"\tmfc0 $k0, $13\n"
	"\tsw $k0, 0($k1)\n"
	"\tmfc0 $k0, $14\n"
	"\tsw $k0, 4($k1)\n"
	"\tmfc0 $k0, $8\n"
	"\tsw $k0, 8($k1)\n"
	"1:\tmfc0 $k1, $13\n"
	"\tmfc0 $k0, $14\n"
	"\tbgez $k1, 2f\n"
	"\taddiu $k0, $k0, 4\n"
	"\taddiu $k0, $k0, 4\n"
	"2:\tmtc0 $k0, $14\n"
	"\tehb\n"
	"\teret\n"
	"\tnop\n";

/* Start-up: vectors at EBase 0x80000000 + 0x180 (Cause.IV = 0), then leave
 * the boot state (BEV = ERL = 1) for plain kernel mode with interrupts off. */
static const char start_text[] =
	"\t.section .text.start, \"ax\", @progbits\n"
	"\t.globl _start\n"
	"_start:\n"
	"\tlui $k0, 0x8000\n"
	"\tmtc0 $k0, $15, 1\n"
	"\tehb\n"
	"\tmtc0 $0, $13\n"
	"\tmtc0 $0, $12\n"
	"\tehb\n"
	"\tlui $k1, %hi(exc_count)\n"
	"\tsw $0, %lo(exc_count)($k1)\n"
	"\tlui $29, %hi(buffer + 128)\n"
	"\taddiu $29, $29, %lo(buffer + 128)\n";

/*
 * The dump, reached when the body falls off its end.  Output (all hex):
 *   diffgen seed S len N
 *   rNN value          GPRs 1..31 except k0/k1
 *   hi value / lo value
 *   mOO w0 w1 w2 w3    the buffer as little-endian words, 16 bytes a line
 *   exc count
 *   eII cause epc-off badvaddr   the first LOG_CAP exceptions
 *   end
 * then 0x42 to the Malta reset register (kseg1) and a spin, in case the
 * board does not stop.
 */
static const char dump_text[] =
	"dump:\n"
	"\tlui $k0, %hi(save_area)\n"
	"\taddiu $k0, $k0, %lo(save_area)\n"
	"@SAVE@"
	"\tmfhi $k1\n"
	"\tsw $k1, 128($k0)\n"
	"\tmflo $k1\n"
	"\tsw $k1, 132($k0)\n"
	"\tmove $s1, $k0\n"
	"\tlui $a0, %hi(str_head)\n"
	"\tjal puts\n"
	"\taddiu $a0, $a0, %lo(str_head)\n"
	/* GPRs */
	"\taddiu $s0, $0, 1\n"
	"Dreg:\taddiu $t0, $s0, -26\n"
	"\tsltiu $t0, $t0, 2\n"
	"\tbne $t0, $0, Dregnext\n"
	"\tnop\n"
	"\tjal putc\n"
	"\taddiu $a0, $0, 0x72\n"
	"\tmove $a0, $s0\n"
	"\tjal puthex\n"
	"\taddiu $a1, $0, 2\n"
	"\tsll $t0, $s0, 2\n"
	"\taddu $t0, $t0, $s1\n"
	"\tjal pword\n"
	"\tlw $a0, 0($t0)\n"
	"\tjal putc\n"
	"\taddiu $a0, $0, 10\n"
	"Dregnext:\taddiu $s0, $s0, 1\n"
	"\tsltiu $t0, $s0, 32\n"
	"\tbne $t0, $0, Dreg\n"
	"\tnop\n"
	/* HI, LO */
	"\tlui $a0, %hi(str_hi)\n"
	"\tjal puts\n"
	"\taddiu $a0, $a0, %lo(str_hi)\n"
	"\tjal pword\n"
	"\tlw $a0, 128($s1)\n"
	"\tjal putc\n"
	"\taddiu $a0, $0, 10\n"
	"\tlui $a0, %hi(str_lo)\n"
	"\tjal puts\n"
	"\taddiu $a0, $a0, %lo(str_lo)\n"
	"\tjal pword\n"
	"\tlw $a0, 132($s1)\n"
	"\tjal putc\n"
	"\taddiu $a0, $0, 10\n"
	/* buffer */
	"\tlui $s2, %hi(buffer)\n"
	"\taddiu $s2, $s2, %lo(buffer)\n"
	"\tmove $s0, $0\n"
	"Dmem:\tjal putc\n"
	"\taddiu $a0, $0, 0x6d\n"
	"\tmove $a0, $s0\n"
	"\tjal puthex\n"
	"\taddiu $a1, $0, 2\n"
	"\taddu $s3, $s2, $s0\n"
	"\tjal pword\n"
	"\tlw $a0, 0($s3)\n"
	"\tjal pword\n"
	"\tlw $a0, 4($s3)\n"
	"\tjal pword\n"
	"\tlw $a0, 8($s3)\n"
	"\tjal pword\n"
	"\tlw $a0, 12($s3)\n"
	"\tjal putc\n"
	"\taddiu $a0, $0, 10\n"
	"\taddiu $s0, $s0, 16\n"
	"\tsltiu $t0, $s0, BUF_SIZE\n"
	"\tbne $t0, $0, Dmem\n"
	"\tnop\n"
	/* exception log */
	"\tlui $s2, %hi(exc_count)\n"
	"\taddiu $s2, $s2, %lo(exc_count)\n"
	"\tlui $a0, %hi(str_exc)\n"
	"\tjal puts\n"
	"\taddiu $a0, $a0, %lo(str_exc)\n"
	"\tlw $s4, 0($s2)\n"
	"\tjal pword\n"
	"\tmove $a0, $s4\n"
	"\tjal putc\n"
	"\taddiu $a0, $0, 10\n"
	"\tsltiu $t0, $s4, LOG_CAP + 1\n"
	"\tbeq $t0, $0, 1f\n"
	"\tnop\n"
	"\tb 2f\n"
	"\tnop\n"
	"1:\taddiu $s4, $0, LOG_CAP\n"
	"2:\tmove $s0, $0\n"
	"Dexc:\tbeq $s0, $s4, Ddone\n"
	"\tnop\n"
	"\tjal putc\n"
	"\taddiu $a0, $0, 0x65\n"
	"\tmove $a0, $s0\n"
	"\tjal puthex\n"
	"\taddiu $a1, $0, 2\n"
	"\taddiu $s0, $s0, 1\n"
	"\tsll $s3, $s0, 4\n"
	"\taddu $s3, $s3, $s2\n"
	"\tlw $s5, 0($s3)\n"
	"\tlui $t0, 0x8000\n"
	"\tori $t0, $t0, 0x7c\n"
	"\tjal pword\n"
	"\tand $a0, $s5, $t0\n"
	"\tlw $a0, 4($s3)\n"
	"\tlui $t0, %hi(U0)\n"
	"\taddiu $t0, $t0, %lo(U0)\n"
	"\tjal pword\n"
	"\tsubu $a0, $a0, $t0\n"
	/* BadVAddr only for AdEL (4) and AdES (5). */
	"\tsrl $t0, $s5, 2\n"
	"\tandi $t0, $t0, 0x1f\n"
	"\taddiu $t0, $t0, -4\n"
	"\tsltiu $t0, $t0, 2\n"
	"\tlw $a0, 8($s3)\n"
	"\tmovz $a0, $0, $t0\n"
	"\tjal pword\n"
	"\tnop\n"
	"\tjal putc\n"
	"\taddiu $a0, $0, 10\n"
	"\tb Dexc\n"
	"\tnop\n"
	"Ddone:\tlui $a0, %hi(str_end)\n"
	"\tjal puts\n"
	"\taddiu $a0, $a0, %lo(str_end)\n"
	"\tlui $t0, 0xbf00\n"
	"\taddiu $t1, $0, 0x42\n"
	"\tsw $t1, 0x500($t0)\n"
	"Dspin:\tb Dspin\n"
	"\tnop\n"
	"\n"
	/* putc: a0 = byte.  Waits for THRE (LSR bit 5).  Clobbers t7, t8. */
	"putc:\tlui $t7, 0xb800\n"
	"1:\tlbu $t8, 0x3fd($t7)\n"
	"\tandi $t8, $t8, 0x20\n"
	"\tbeq $t8, $0, 1b\n"
	"\tnop\n"
	"\tjr $ra\n"
	"\tsb $a0, 0x3f8($t7)\n"
	"\n"
	/* puts: a0 = NUL-terminated string.  Clobbers t4, t6, t7, t8, a0. */
	"puts:\tmove $t6, $ra\n"
	"\tmove $t4, $a0\n"
	"1:\tlbu $a0, 0($t4)\n"
	"\tbeq $a0, $0, 2f\n"
	"\taddiu $t4, $t4, 1\n"
	"\tjal putc\n"
	"\tnop\n"
	"\tb 1b\n"
	"\tnop\n"
	"2:\tjr $t6\n"
	"\tnop\n"
	"\n"
	/* puthex: a0 = value, a1 = digits.  Clobbers t0-t3, t7-t9, a0. */
	"puthex:\tmove $t9, $ra\n"
	"\tmove $t1, $a0\n"
	"\tsll $t2, $a1, 2\n"
	"1:\taddiu $t2, $t2, -4\n"
	"\tsrlv $t3, $t1, $t2\n"
	"\tandi $t3, $t3, 0xf\n"
	"\tsltiu $t0, $t3, 10\n"
	"\tbne $t0, $0, 2f\n"
	"\taddiu $a0, $t3, 0x30\n"
	"\taddiu $a0, $t3, 0x57\n"
	"2:\tjal putc\n"
	"\tnop\n"
	"\tbne $t2, $0, 1b\n"
	"\tnop\n"
	"\tjr $t9\n"
	"\tnop\n"
	"\n"
	/* pword: a0 = value, printed as a space and 8 hex digits.
	 * Clobbers t0-t3, t5, t7-t9, v1, a0, a1. */
	"pword:\tmove $t5, $ra\n"
	"\tmove $v1, $a0\n"
	"\tjal putc\n"
	"\taddiu $a0, $0, 0x20\n"
	"\tmove $a0, $v1\n"
	"\tjal puthex\n"
	"\taddiu $a1, $0, 8\n"
	"\tjr $t5\n"
	"\tnop\n";

/* Writes the dump text with the GPR save sequence spliced in. */
static void emit_dump(void)
{
	const char *at = strstr(dump_text, "@SAVE@");
	fwrite(dump_text, 1, (size_t)(at - dump_text), stdout);
	for (unsigned r = 1; r < 32; r++)
		if (r != 26 && r != 27)
			ins("sw $%u, %u($k0)", r, 4 * r);
	fputs(at + strlen("@SAVE@"), stdout);
}

/* ------------------------------------------------------------------ main */

static void usage(FILE *f)
{
	fprintf(f, "usage: diffgen SEED [--len N] > prog.S\n"
		   "  writes a random MIPS32r2 integer test program for QEMU Malta 24Kc and vzsim\n"
		   "  --len N   number of random units in the body (default %u, 1..%u)\n",
		DEFAULT_LEN, MAX_LEN);
}

static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;
	if (!*s || *s == '-')
		return false;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 0);
	if (errno || *end)
		return false;
	*v = x;
	return true;
}

int main(int argc, char **argv)
{
	uint64_t seed = 0, len = DEFAULT_LEN;
	bool have_seed = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--len")) {
			if (i + 1 >= argc || !parse_u64(argv[i + 1], &len) ||
			    len < 1 || len > MAX_LEN) {
				fprintf(stderr, "diffgen: --len needs a number in 1..%u\n", MAX_LEN);
				return 2;
			}
			i++;
		} else if (!have_seed && parse_u64(argv[i], &seed)) {
			have_seed = true;
		} else {
			fprintf(stderr, "diffgen: bad argument '%s' (try --help)\n", argv[i]);
			return 2;
		}
	}
	if (!have_seed) {
		usage(stderr);
		return 2;
	}

	rng_state = seed;
	n_units = (unsigned)len;
	pend_hi = malloc((n_units + 1) * sizeof *pend_hi);
	pend_lo = malloc((n_units + 1) * sizeof *pend_lo);
	if (!pend_hi || !pend_lo) {
		fprintf(stderr, "diffgen: out of memory\n");
		return 1;
	}
	for (unsigned i = 0; i <= n_units; i++)
		pend_hi[i] = pend_lo[i] = true;

	out("/* diffgen seed %" PRIu64 " len %u: random MIPS32r2 integer test\n"
	    " * for QEMU Malta 24Kc vs vzsim (see docs/testing-diff.md). */\n",
	    seed, n_units);
	out("\t.set noreorder\n\t.set noat\n\t.set nomacro\n");
	out("\t.equ LOG_CAP, %d\n\t.equ BUF_SIZE, %d\n\n", LOG_CAP, BUF_SIZE);
	fputs(handler_text, stdout);
	out("\n");
	fputs(start_text, stdout);

	/* Initial HI/LO and GPRs (sp is the buffer base, k0/k1 are left to
	 * the handler). */
	load_const(8, interesting());
	ins("mthi $8");
	load_const(8, interesting());
	ins("mtlo $8");
	for (unsigned r = 1; r < 32; r++)
		if (r != 26 && r != 27 && r != 29)
			load_const(r, interesting());
	hi_ok = lo_ok = true;

	out("\n/* body */\n");
	for (unit_ix = 0; unit_ix < n_units; unit_ix++) {
		hi_ok = hi_ok && pend_hi[unit_ix];
		lo_ok = lo_ok && pend_lo[unit_ix];
		out("U%u:\n", unit_ix);
		gen_unit();
	}
	out("U%u:\n", n_units);
	hi_ok = hi_ok && pend_hi[n_units];
	lo_ok = lo_ok && pend_lo[n_units];
	/* Make HI/LO defined for the dump if a MUL may have clobbered them. */
	if (!hi_ok)
		ins("mthi $%u", rreg());
	if (!lo_ok)
		ins("mtlo $%u", rreg());
	out("\n");
	emit_dump();

	out("\n\t.section .rodata\n");
	out("str_head:\t.asciz \"diffgen seed %" PRIu64 " len %u\\n\"\n", seed, n_units);
	out("str_hi:\t.asciz \"hi\"\nstr_lo:\t.asciz \"lo\"\n");
	out("str_exc:\t.asciz \"exc\"\nstr_end:\t.asciz \"end\\n\"\n");

	out("\n\t.data\n\t.align 4\nbuffer:\n");
	for (unsigned i = 0; i < BUF_SIZE; i += 16) {
		out("\t.byte ");
		for (unsigned j = 0; j < 16; j++)
			out("%s0x%02x", j ? ", " : "", (unsigned)rnd(256));
		out("\n");
	}
	out("\t.align 4\nsave_area:\t.space 144\n");
	out("\t.align 4\nexc_count:\t.space %d\n", 16 * (LOG_CAP + 1));
	out("\n\t.section .note.GNU-stack, \"\", @progbits\n");

	free(pend_hi);
	free(pend_lo);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "diffgen: write error: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
