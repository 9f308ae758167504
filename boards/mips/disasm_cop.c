/*
 * Display decoding of the coprocessor opcodes COP1 (17), COP2 (18) and
 * COP1X (19).  mips32.def keeps each as one row because the core has no FPU
 * or COP2 and raises CpU for all of them; a disassembly still has to show
 * what the word is, the way objdump -m mips:isa32r5 does (FPU including
 * paired-single and MIPS-3D, and the MSA branches that live in COP1).
 *
 * Operand letters here (COP-specific, see cop_operand):
 *   D fd (10:6)  S fs (15:11)  T ft (20:16)  R fr (25:21)   $fN
 *   t rt  s rs (GPRs)          X index(base) = rt(rs)        h prefx hint (15:11)
 *   N $fccN from 20:18         n the same, omitted when 0
 *   M $fccN from 10:8          m the same, omitted when 0
 *   c $ccN from 20:18, omitted when 0 (COP2 branches)
 *   F FPU control register (15:11)  w MSA $wN (20:16)  p branch target
 *   E COP2 register rd[,sel]   e COP2 register rd      H mfhc2/mthc2 field
 */
#include <mips/isa.h>
#include "disasm_priv.h"

#include <stdbool.h>

#define FT_F (31u << 16)
#define FS_F (31u << 11)
#define FD_F (31u << 6)

/* FPU formats, indexed by rs - 16 (fmt field). */
enum { F_S = 1, F_D = 2, F_W = 4, F_L = 8, F_PS = 16 };
static const char *const fmt_names[8] = {"s", "d", NULL, NULL, "w", "l", "ps", NULL};
static const uint8_t fmt_bits[8] = {F_S, F_D, 0, 0, F_W, F_L, F_PS, 0};

/*
 * Arithmetic rows of COP1 (fmt = S, D, W, L or PS).  A word matches when its
 * func and fmt match and (w & mask) == match on bits 20:6.  A name ending in
 * '.' gets the format appended ("add." -> add.s); others are complete.
 */
struct fp_row {
	uint8_t func, fmts;
	uint32_t mask, match;
	const char *name, *operands;
};

static const struct fp_row fp_rows[] = {
	{0x00, F_S | F_D | F_PS, 0, 0, "add.", "D,S,T"},
	{0x01, F_S | F_D | F_PS, 0, 0, "sub.", "D,S,T"},
	{0x02, F_S | F_D | F_PS, 0, 0, "mul.", "D,S,T"},
	{0x03, F_S | F_D, 0, 0, "div.", "D,S,T"},
	{0x04, F_S | F_D, FT_F, 0, "sqrt.", "D,S"},
	{0x05, F_S | F_D | F_PS, FT_F, 0, "abs.", "D,S"},
	{0x06, F_S | F_D | F_PS, FT_F, 0, "mov.", "D,S"},
	{0x07, F_S | F_D | F_PS, FT_F, 0, "neg.", "D,S"},
	{0x08, F_S | F_D, FT_F, 0, "round.l.", "D,S"},
	{0x09, F_S | F_D, FT_F, 0, "trunc.l.", "D,S"},
	{0x0a, F_S | F_D, FT_F, 0, "ceil.l.", "D,S"},
	{0x0b, F_S | F_D, FT_F, 0, "floor.l.", "D,S"},
	{0x0c, F_S | F_D, FT_F, 0, "round.w.", "D,S"},
	{0x0d, F_S | F_D, FT_F, 0, "trunc.w.", "D,S"},
	{0x0e, F_S | F_D, FT_F, 0, "ceil.w.", "D,S"},
	{0x0f, F_S | F_D, FT_F, 0, "floor.w.", "D,S"},
	/* bit 16 is true/false, bit 17 must be zero */
	{0x11, F_S | F_D | F_PS, 3u << 16, 0, "movf.", "D,S,N"},
	{0x11, F_S | F_D | F_PS, 3u << 16, 1u << 16, "movt.", "D,S,N"},
	{0x12, F_S | F_D | F_PS, 0, 0, "movz.", "D,S,t"},
	{0x13, F_S | F_D | F_PS, 0, 0, "movn.", "D,S,t"},
	{0x15, F_S | F_D, FT_F, 0, "recip.", "D,S"},
	{0x16, F_S | F_D, FT_F, 0, "rsqrt.", "D,S"},
	/* MIPS-3D */
	{0x18, F_PS, 0, 0, "addr.", "D,S,T"},
	{0x1a, F_PS, 0, 0, "mulr.", "D,S,T"},
	{0x1c, F_S | F_D | F_PS, 0, 0, "recip2.", "D,S,T"},
	{0x1d, F_S | F_D | F_PS, FT_F, 0, "recip1.", "D,S"},
	{0x1e, F_S | F_D | F_PS, FT_F, 0, "rsqrt1.", "D,S"},
	{0x1f, F_S | F_D | F_PS, 0, 0, "rsqrt2.", "D,S,T"},
	/* conversions */
	{0x20, F_D | F_W | F_L, FT_F, 0, "cvt.s.", "D,S"},
	{0x20, F_PS, FT_F, 0, "cvt.s.pu", "D,S"},
	{0x21, F_S | F_W | F_L, FT_F, 0, "cvt.d.", "D,S"},
	{0x24, F_S | F_D, FT_F, 0, "cvt.w.", "D,S"},
	{0x24, F_PS, FT_F, 0, "cvt.pw.ps", "D,S"},
	{0x25, F_S | F_D, FT_F, 0, "cvt.l.", "D,S"},
	{0x26, F_S, 0, 0, "cvt.ps.s", "D,S,T"},
	{0x26, F_W, FT_F, 0, "cvt.ps.pw", "D,S"},
	{0x28, F_PS, FT_F, 0, "cvt.s.pl", "D,S"},
	/* paired-single lane shuffles */
	{0x2c, F_PS, 0, 0, "pll.", "D,S,T"},
	{0x2d, F_PS, 0, 0, "plu.", "D,S,T"},
	{0x2e, F_PS, 0, 0, "pul.", "D,S,T"},
	{0x2f, F_PS, 0, 0, "puu.", "D,S,T"},
};

/* c.cond.fmt / cabs.cond.fmt (func 0x30 + cond). */
static const char *const fp_conds[16] = {
	"f", "un", "eq", "ueq", "olt", "ult", "ole", "ule",
	"sf", "ngle", "seq", "ngl", "lt", "nge", "le", "ngt",
};

/* FPU control registers objdump names (cfc1/ctc1). */
static const char *fcr_name(unsigned r)
{
	switch (r) {
	case 0: return "c1_fir";
	case 1: return "c1_ufr";
	case 4: return "c1_unfr";
	case 25: return "c1_fccr";
	case 26: return "c1_fexr";
	case 28: return "c1_fenr";
	case 31: return "c1_fcsr";
	default: return NULL;
	}
}

static size_t cop_operand(struct dis_out *o, const char *spec,
			  uint32_t pc, uint32_t w)
{
	const char *const *gpr = isa_gpr_names;
	unsigned cc_hi = (w >> 18) & 7, cc_lo = (w >> 8) & 7;
	switch (spec[0]) {
	case 'D': dis_printf(o, "$f%u", (unsigned)((w >> 6) & 31)); break;
	case 'S': dis_printf(o, "$f%u", isa_rd(w)); break;
	case 'T': dis_printf(o, "$f%u", isa_rt(w)); break;
	case 'R': dis_printf(o, "$f%u", isa_rs(w)); break;
	case 't': dis_puts(o, gpr[isa_rt(w)]); break;
	case 's': dis_puts(o, gpr[isa_rs(w)]); break;
	case 'X': dis_printf(o, "%s(%s)", gpr[isa_rt(w)], gpr[isa_rs(w)]); break;
	case 'h': dis_printf(o, "0x%x", isa_rd(w)); break;
	case 'N': dis_printf(o, "$fcc%u", cc_hi); break;
	case 'n': if (cc_hi) dis_printf(o, "$fcc%u", cc_hi); break;
	case 'M': dis_printf(o, "$fcc%u", cc_lo); break;
	case 'm': if (cc_lo) dis_printf(o, "$fcc%u", cc_lo); break;
	case 'c': if (cc_hi) dis_printf(o, "$cc%u", cc_hi); break;
	case 'F': {
		const char *name = fcr_name(isa_rd(w));
		if (name)
			dis_puts(o, name);
		else
			dis_printf(o, "$%u", isa_rd(w));
		break;
	}
	case 'w': dis_printf(o, "$w%u", isa_rt(w)); break;
	case 'p': dis_printf(o, "0x%x", (unsigned)isa_branch_target(pc, w)); break;
	case 'e': dis_printf(o, "$%u", isa_rd(w)); break;
	case 'E':
		if (isa_sel(w))
			dis_printf(o, "$%u,%u", isa_rd(w), isa_sel(w));
		else
			dis_printf(o, "$%u", isa_rd(w));
		break;
	case 'H': /* an implementation field, shown as a register when it looks like one */
		if ((w & 0x7f8) == 0)
			return cop_operand(o, "E", pc, w);
		dis_printf(o, "0x%x", (unsigned)(w & 0xffff));
		break;
	default:
		dis_printf(o, "?%c", spec[0]);
		break;
	}
	return 1;
}

static void emit(struct dis_out *o, const char *mnemonic, const char *ops,
		 uint32_t pc, uint32_t w)
{
	dis_puts(o, mnemonic);
	dis_operands(o, ops, cop_operand, pc, w);
}

static void emit_word(struct dis_out *o, uint32_t w)
{
	dis_printf(o, ".word\t0x%x", (unsigned)w);
}

/* COP1 with rs >= 16: an FPU arithmetic format, or MSA branches. */
static void cop1_arith(struct dis_out *o, uint32_t pc, uint32_t w)
{
	unsigned rs = isa_rs(w), func = w & 0x3f;
	if (rs >= 24) {
		static const char *const msa_br[8] = {
			"bz.b", "bz.h", "bz.w", "bz.d", "bnz.b", "bnz.h", "bnz.w", "bnz.d",
		};
		emit(o, msa_br[rs - 24], "w,p", pc, w);
		return;
	}
	const char *fmt = fmt_names[rs - 16];
	unsigned fbit = fmt_bits[rs - 16];
	if (fmt && func >= 0x30) {
		unsigned kind = (w >> 6) & 3; /* 0: c.cond, 1: cabs.cond (MIPS-3D) */
		if ((fbit & (F_S | F_D | F_PS)) && kind < 2) {
			dis_printf(o, "%s.%s.%s", kind ? "cabs" : "c",
				   fp_conds[func - 0x30], fmt);
			dis_operands(o, kind ? "M,S,T" : "m,S,T", cop_operand, pc, w);
			return;
		}
	} else if (fmt) {
		for (size_t i = 0; i < sizeof fp_rows / sizeof fp_rows[0]; i++) {
			const struct fp_row *r = &fp_rows[i];
			if (r->func != func || !(r->fmts & fbit) ||
			    (w & r->mask) != r->match)
				continue;
			dis_puts(o, r->name);
			const char *end = r->name;
			while (end[1])
				end++;
			if (*end == '.')
				dis_puts(o, fmt);
			dis_operands(o, r->operands, cop_operand, pc, w);
			return;
		}
	}
	/* The rest of the CO space: objdump's generic coprocessor form. */
	dis_printf(o, "c1\t0x%x", (unsigned)(w & 0x1ffffff));
}

static void cop1(struct dis_out *o, uint32_t pc, uint32_t w)
{
	unsigned rs = isa_rs(w);
	if (rs >= 16) {
		cop1_arith(o, pc, w);
		return;
	}
	static const char *const moves[8] = {
		"mfc1", NULL, "cfc1", "mfhc1", "mtc1", NULL, "ctc1", "mthc1",
	};
	static const char *const bc1[4] = {"bc1f", "bc1t", "bc1fl", "bc1tl"};
	static const char *const any2[2] = {"bc1any2f", "bc1any2t"};
	static const char *const any4[2] = {"bc1any4f", "bc1any4t"};
	unsigned tfnd = (w >> 16) & 3;
	if (rs < 8 && moves[rs] && (w & 0x7ff) == 0)
		emit(o, moves[rs], (rs & 3) == 2 ? "t,F" : "t,S", pc, w);
	else if (rs == 8)
		emit(o, bc1[tfnd], "n,p", pc, w);
	else if (rs == 9 && tfnd < 2)
		emit(o, any2[tfnd], "N,p", pc, w);
	else if (rs == 10 && tfnd < 2)
		emit(o, any4[tfnd], "N,p", pc, w);
	else if (rs == 11)
		emit(o, "bz.v", "w,p", pc, w);
	else if (rs == 15)
		emit(o, "bnz.v", "w,p", pc, w);
	else
		emit_word(o, w);
}

static void cop2(struct dis_out *o, uint32_t pc, uint32_t w)
{
	unsigned rs = isa_rs(w);
	static const char *const bc2[4] = {"bc2f", "bc2t", "bc2fl", "bc2tl"};
	if (rs >= 16)
		dis_printf(o, "c2\t0x%x", (unsigned)(w & 0x1ffffff));
	else if ((rs == 0 || rs == 4) && (w & 0x7f8) == 0)
		emit(o, rs ? "mtc2" : "mfc2", "t,E", pc, w);
	else if ((rs == 2 || rs == 6) && (w & 0x7ff) == 0)
		emit(o, rs == 6 ? "ctc2" : "cfc2", "t,e", pc, w);
	else if (rs == 3 || rs == 7)
		emit(o, rs == 7 ? "mthc2" : "mfhc2", "t,H", pc, w);
	else if (rs == 8)
		emit(o, bc2[(w >> 16) & 3], "c,p", pc, w);
	else
		emit_word(o, w);
}

/* COP1X rows: func, bits of 25:6 that must be zero, name, operands. */
struct cop1x_row {
	uint8_t func;
	uint32_t zero;
	const char *name, *operands;
};

static const struct cop1x_row cop1x_rows[] = {
	{0x00, FS_F, "lwxc1", "D,X"},
	{0x01, FS_F, "ldxc1", "D,X"},
	{0x05, FS_F, "luxc1", "D,X"},
	{0x08, FD_F, "swxc1", "S,X"},
	{0x09, FD_F, "sdxc1", "S,X"},
	{0x0d, FD_F, "suxc1", "S,X"},
	{0x0f, FD_F, "prefx", "h,X"},
	{0x1e, 0, "alnv.ps", "D,S,T,s"},
	{0x20, 0, "madd.s", "D,R,S,T"},
	{0x21, 0, "madd.d", "D,R,S,T"},
	{0x26, 0, "madd.ps", "D,R,S,T"},
	{0x28, 0, "msub.s", "D,R,S,T"},
	{0x29, 0, "msub.d", "D,R,S,T"},
	{0x2e, 0, "msub.ps", "D,R,S,T"},
	{0x30, 0, "nmadd.s", "D,R,S,T"},
	{0x31, 0, "nmadd.d", "D,R,S,T"},
	{0x36, 0, "nmadd.ps", "D,R,S,T"},
	{0x38, 0, "nmsub.s", "D,R,S,T"},
	{0x39, 0, "nmsub.d", "D,R,S,T"},
	{0x3e, 0, "nmsub.ps", "D,R,S,T"},
};

static void cop1x(struct dis_out *o, uint32_t pc, uint32_t w)
{
	for (size_t i = 0; i < sizeof cop1x_rows / sizeof cop1x_rows[0]; i++) {
		const struct cop1x_row *r = &cop1x_rows[i];
		if ((w & 0x3f) == r->func && (w & r->zero) == 0) {
			emit(o, r->name, r->operands, pc, w);
			return;
		}
	}
	emit_word(o, w);
}

void dis_cop(struct dis_out *o, uint32_t pc, uint32_t word)
{
	switch (word >> 26) {
	case 0x11: cop1(o, pc, word); break;
	case 0x12: cop2(o, pc, word); break;
	case 0x13: cop1x(o, pc, word); break;
	default: emit_word(o, word); break;
	}
}
