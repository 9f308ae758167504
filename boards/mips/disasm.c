/*
 * Disassembler for the mips32.def table, in GNU objdump's style.
 *
 * The reference is `mipsel-linux-gnu-objdump -D -b binary -m mips:isa32r5
 * -EL` (binutils 2.40): every word that decodes to a table row prints
 * exactly as objdump prints it.  (objdump -d of an ELF built with
 * -march=p5600 -mvirt agrees except for eretnc, which it shows as
 * "c0 0x58" because it takes the ISA from e_flags, where r5 reads as r2.)
 *
 * The table supplies mnemonic and operand letters; the alias layer below
 * swaps in objdump's preferred spellings (move, li, b, beqz, ror...), which
 * are presentation only and so do not belong in the semantic table.
 *
 * Reserved words print ".word 0x..." (or "c0 0x..." for the coprocessor-0
 * function space, as objdump does); words objdump knows from ASEs this core
 * lacks (DSP, MT, MSA, XPA...) are reserved here and print .word too (MCU's
 * iret, in the COP0 function space, stays "c0 0x38").
 */
#include <mips/isa.h>
#include "disasm_priv.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const char *const isa_gpr_names[32] = {
	"zero", "at", "v0", "v1", "a0", "a1", "a2", "a3",
	"t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7",
	"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7",
	"t8", "t9", "k0", "k1", "gp", "sp", "s8", "ra",
};

void dis_puts(struct dis_out *o, const char *s)
{
	dis_printf(o, "%s", s);
}

void dis_printf(struct dis_out *o, const char *fmt, ...)
{
	size_t room = o->n < o->len ? o->len - o->n : 0;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(room ? o->buf + o->n : NULL, room, fmt, ap);
	va_end(ap);
	if (k > 0)
		o->n += (size_t)k;
}

/*
 * CP0 register names objdump uses for MIPS32r2..r5 (register, select).
 * Unnamed pairs print as "$reg" or "$reg,sel".
 */
static const char *const cp0_names[32][8] = {
	[0] = {"c0_index", "c0_mvpcontrol", "c0_mvpconf0", "c0_mvpconf1"},
	[1] = {"c0_random", "c0_vpecontrol", "c0_vpeconf0", "c0_vpeconf1",
	       "c0_yqmask", "c0_vpeschedule", "c0_vpeschefback"},
	[2] = {"c0_entrylo0", "c0_tcstatus", "c0_tcbind", "c0_tcrestart",
	       "c0_tchalt", "c0_tccontext", "c0_tcschedule", "c0_tcschefback"},
	[3] = {"c0_entrylo1"},
	[4] = {"c0_context", "c0_contextconfig"},
	[5] = {"c0_pagemask", "c0_pagegrain"},
	[6] = {"c0_wired", "c0_srsconf0", "c0_srsconf1", "c0_srsconf2",
	       "c0_srsconf3", "c0_srsconf4"},
	[7] = {"c0_hwrena"},
	[8] = {"c0_badvaddr"},
	[9] = {"c0_count"},
	[10] = {"c0_entryhi"},
	[11] = {"c0_compare"},
	[12] = {"c0_status", "c0_intctl", "c0_srsctl", "c0_srsmap"},
	[13] = {"c0_cause"},
	[14] = {"c0_epc"},
	[15] = {"c0_prid", "c0_ebase"},
	[16] = {"c0_config", "c0_config1", "c0_config2", "c0_config3"},
	[17] = {"c0_lladdr"},
	[18] = {"c0_watchlo"},
	[19] = {"c0_watchhi"},
	[20] = {"c0_xcontext"},
	[23] = {"c0_debug", "c0_tracecontrol", "c0_tracecontrol2",
		"c0_usertracedata", "c0_tracebpc"},
	[24] = {"c0_depc"},
	[25] = {"c0_perfcnt"},
	[26] = {"c0_errctl"},
	[27] = {"c0_cacheerr"},
	[28] = {"c0_taglo", "c0_datalo", "c0_taglo1", "c0_datalo1",
		"c0_taglo2", "c0_datalo2", "c0_taglo3", "c0_datalo3"},
	[29] = {"c0_taghi", "c0_datahi", "c0_taghi1", "c0_datahi1",
		"c0_taghi2", "c0_datahi2", "c0_taghi3", "c0_datahi3"},
	[30] = {"c0_errorepc"},
	[31] = {"c0_desave"},
};

/*
 * Registers whose select-0 name objdump reuses for other selects, printed
 * "name,sel" (the watch and performance-counter banks, CacheErr 0-3).
 */
static unsigned cp0_shared_name_last_sel(unsigned reg)
{
	switch (reg) {
	case 18: case 19: case 25: return 7;
	case 27: return 3;
	default: return 0;
	}
}

static void put_cp0(struct dis_out *o, unsigned reg, unsigned sel)
{
	const char *name = cp0_names[reg][sel];
	if (name)
		dis_puts(o, name);
	else if (sel && sel <= cp0_shared_name_last_sel(reg))
		dis_printf(o, "%s,%u", cp0_names[reg][0], sel);
	else if (sel)
		dis_printf(o, "$%u,%u", reg, sel);
	else
		dis_printf(o, "$%u", reg);
}

/* Hardware registers objdump names for rdhwr; the rest print as "$n". */
static const char *const hwr_names[4] = {
	"hwr_cpunum", "hwr_synci_step", "hwr_cc", "hwr_ccres",
};

/*
 * The alias layer: when a word of row `op` matches (w & mask) == match,
 * objdump prints mnemonic/operands instead of the row's own.  First match
 * wins, so narrower entries come first.  Operand letters are the table's,
 * plus 'U' (clz/clo destination, see render_operand).
 */
struct alias {
	enum isa_op op;
	uint32_t mask, match;
	const char *mnemonic, *operands;
};

#define RS_F (31u << 21)
#define RT_F (31u << 16)
#define RD_F (31u << 11)
#define SA_F (31u << 6)

static const struct alias aliases[] = {
	{ISA_OP_ADDU,    RT_F,        0,          "move",    "d,s"},
	{ISA_OP_OR,      RT_F,        0,          "move",    "d,s"},
	{ISA_OP_ADDIU,   RS_F,        0,          "li",      "t,i"},
	{ISA_OP_ORI,     RS_F,        0,          "li",      "t,x"},
	{ISA_OP_SUBU,    RS_F,        0,          "negu",    "d,t"},
	{ISA_OP_SUB,     RS_F,        0,          "neg",     "d,t"},
	{ISA_OP_BEQ,     RS_F | RT_F, 0,          "b",       "p"},
	{ISA_OP_BEQ,     RT_F,        0,          "beqz",    "s,p"},
	{ISA_OP_BNE,     RT_F,        0,          "bnez",    "s,p"},
	{ISA_OP_BEQL,    RT_F,        0,          "beqzl",   "s,p"},
	{ISA_OP_BNEL,    RT_F,        0,          "bnezl",   "s,p"},
	{ISA_OP_BGEZ,    RS_F,        0,          "b",       "p"},
	{ISA_OP_BGEZAL,  RS_F,        0,          "bal",     "p"},
	{ISA_OP_JALR,    RD_F,        31u << 11,  "jalr",    "s"},
	{ISA_OP_JALR_HB, RD_F,        31u << 11,  "jalr.hb", "s"},
	{ISA_OP_ROTR,    0,           0,          "ror",     "d,t,<"},
	{ISA_OP_ROTRV,   0,           0,          "rorv",    "d,t,s"},
	{ISA_OP_CLZ,     0,           0,          "clz",     "U,s"},
	{ISA_OP_CLO,     0,           0,          "clo",     "U,s"},
	{ISA_OP_DI,      RT_F,        0,          "di",      ""},
	{ISA_OP_EI,      RT_F,        0,          "ei",      ""},
	/* sync stypes with names (SYNC's sa field). */
	{ISA_OP_SYNC,    SA_F,        0x00u << 6, "sync",         ""},
	{ISA_OP_SYNC,    SA_F,        0x04u << 6, "sync_wmb",     ""},
	{ISA_OP_SYNC,    SA_F,        0x10u << 6, "sync_mb",      ""},
	{ISA_OP_SYNC,    SA_F,        0x11u << 6, "sync_acquire", ""},
	{ISA_OP_SYNC,    SA_F,        0x12u << 6, "sync_release", ""},
	{ISA_OP_SYNC,    SA_F,        0x13u << 6, "sync_rmb",     ""},
};

static const struct alias *find_alias(enum isa_op op, uint32_t w)
{
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (aliases[i].op == op && (w & aliases[i].mask) == aliases[i].match)
			return &aliases[i];
	return NULL;
}

/*
 * Renders one operand (letter at *spec, one or two characters) into o;
 * returns the number of spec characters consumed.  Code operands that are
 * zero render as nothing: objdump omits them (and their comma).
 */
static size_t render_operand(struct dis_out *o, const char *spec,
			     uint32_t pc, uint32_t w)
{
	const char *const *gpr = isa_gpr_names;
	switch (spec[0]) {
	case 'd': dis_puts(o, gpr[isa_rd(w)]); return 1;
	case 's': dis_puts(o, gpr[isa_rs(w)]); return 1;
	case 't': dis_puts(o, gpr[isa_rt(w)]); return 1;
	case 'z': dis_puts(o, gpr[0]); return 1;
	case 'U': /* clz/clo write rd (rt must match); objdump shows both when
		   they differ and neither is $zero, else the nonzero one */
		if (isa_rd(w) == isa_rt(w) || isa_rt(w) == 0)
			dis_puts(o, gpr[isa_rd(w)]);
		else if (isa_rd(w) == 0)
			dis_puts(o, gpr[isa_rt(w)]);
		else
			dis_printf(o, "%s or %s", gpr[isa_rd(w)], gpr[isa_rt(w)]);
		return 1;
	case '<': dis_printf(o, "0x%x", isa_sa(w)); return 1;
	case 'i': dis_printf(o, "%d", (int)isa_simm(w)); return 1;
	case 'u': dis_printf(o, "%u", (unsigned)isa_uimm(w)); return 1;
	case 'x': dis_printf(o, "0x%x", (unsigned)isa_uimm(w)); return 1;
	case 'p': dis_printf(o, "0x%x", (unsigned)isa_branch_target(pc, w)); return 1;
	case 'a': dis_printf(o, "0x%x", (unsigned)isa_jump_target(pc, w)); return 1;
	case 'o':
		dis_printf(o, "%d(%s)", (int)isa_simm(w), gpr[isa_rs(w)]);
		return 1;
	case 'c': { /* break: 10-bit code, then an optional second 10 bits */
		unsigned hi = (w >> 16) & 0x3ff, lo = (w >> 6) & 0x3ff;
		if (lo)
			dis_printf(o, "0x%x,0x%x", hi, lo);
		else if (hi)
			dis_printf(o, "0x%x", hi);
		return 1;
	}
	case 'B': /* syscall/sdbbp: 20-bit code */
		if ((w >> 6) & 0xfffff)
			dis_printf(o, "0x%x", (unsigned)((w >> 6) & 0xfffff));
		return 1;
	case 'V': /* wait: 19-bit implementation-defined code */
		if ((w >> 6) & 0x7ffff)
			dis_printf(o, "0x%x", (unsigned)((w >> 6) & 0x7ffff));
		return 1;
	case 'q': /* trap: 10-bit code */
		if ((w >> 6) & 0x3ff)
			dis_printf(o, "0x%x", (unsigned)((w >> 6) & 0x3ff));
		return 1;
	case 'J': /* hypcall: 10-bit code */
		if ((w >> 11) & 0x3ff)
			dis_printf(o, "0x%x", (unsigned)((w >> 11) & 0x3ff));
		return 1;
	case 'G': put_cp0(o, isa_rd(w), isa_sel(w)); return 1;
	case 'H':
		if (isa_rd(w) < 4)
			dis_puts(o, hwr_names[isa_rd(w)]);
		else
			dis_printf(o, "$%u", isa_rd(w));
		return 1;
	case 'k': /* cache op */
	case 'h': /* prefetch hint */
		dis_printf(o, "0x%x", isa_rt(w));
		return 1;
	case 'r': dis_printf(o, "$%u", isa_rd(w)); return 1;
	case 'w': dis_printf(o, "%u", isa_sel(w)); return 1;
	case 'N': dis_printf(o, "$fcc%u", (unsigned)((w >> 18) & 7)); return 1;
	case 'T': dis_printf(o, "$f%u", isa_rt(w)); return 1;
	case 'E': dis_printf(o, "$%u", isa_rt(w)); return 1;
	case '+':
		switch (spec[1]) {
		case 'A': /* ext/ins lsb */
			dis_printf(o, "0x%x", isa_sa(w));
			return 2;
		case 'B': /* ins size = msb - lsb + 1, shown modulo 2^32 */
			dis_printf(o, "0x%x", (unsigned)(isa_rd(w) - isa_sa(w) + 1u));
			return 2;
		case 'C': /* ext size = msbd + 1 */
			dis_printf(o, "0x%x", isa_rd(w) + 1);
			return 2;
		}
		break;
	}
	/* A letter this file does not know: a table/disassembler mismatch. */
	dis_printf(o, "?%c", spec[0]);
	return 1;
}

void dis_operands(struct dis_out *o, const char *ops, dis_operand_fn *one,
		  uint32_t pc, uint32_t w)
{
	bool first = true;
	while (*ops) {
		if (*ops == ',') {
			ops++;
			continue;
		}
		char tmp[64];
		struct dis_out part = {tmp, sizeof tmp, 0};
		tmp[0] = 0;
		ops += one(&part, ops, pc, w);
		if (part.n == 0)
			continue;
		dis_puts(o, first ? "\t" : ",");
		dis_puts(o, tmp);
		first = false;
	}
}

/*
 * Reserved words: objdump shows the coprocessor-0 function space (CO bit
 * set) as "c0 <function>", everything else as a data word.
 */
static void render_reserved(struct dis_out *o, uint32_t w)
{
	if ((w >> 25) == (0x10u << 1 | 1u))
		dis_printf(o, "c0\t0x%x", (unsigned)(w & 0x1ffffff));
	else
		dis_printf(o, ".word\t0x%x", (unsigned)w);
}

size_t isa_disasm(uint32_t pc, uint32_t word, char *buf, size_t len)
{
	struct dis_out o = {buf, buf ? len : 0, 0};
	if (o.len)
		buf[0] = 0;

	enum isa_op op = isa_decode(word);
	if (op == ISA_OP_INVALID) {
		render_reserved(&o, word);
		return o.n;
	}
	const struct isa_desc *d = isa_describe(op);
	if (d->operands[0] == 'W') {
		dis_cop(&o, pc, word);
		return o.n;
	}
	const char *mnemonic = d->mnemonic, *operands = d->operands;
	const struct alias *a = find_alias(op, word);
	if (a) {
		mnemonic = a->mnemonic;
		operands = a->operands;
	}
	dis_puts(&o, mnemonic);
	dis_operands(&o, operands, render_operand, pc, word);
	return o.n;
}
