/*
 * libmipsisa: the MIPS32r5 instruction table (mips32.def) as an enum and a
 * descriptor array, the decoder from instruction word to table row, and the
 * field extractors.  Used by vzsim (interpreter, disassembler) and by the
 * PDtrace flow decoder; nothing here depends on the simulator.
 */
#ifndef VZSOAK_ISA_H
#define VZSOAK_ISA_H

#include <stddef.h>
#include <stdint.h>

/* Instruction properties (the flags column of mips32.def). */
enum {
	ISA_F_BRANCH = 1u << 0,  /* PC-relative conditional branch            */
	ISA_F_LIKELY = 1u << 1,  /* branch-likely: delay slot nullified if not taken */
	ISA_F_JUMP   = 1u << 2,  /* j/jal: target in the 26-bit field          */
	ISA_F_JREG   = 1u << 3,  /* jr/jalr: target in a register              */
	ISA_F_LINK   = 1u << 4,  /* writes the return address                  */
	ISA_F_DSLOT  = 1u << 5,  /* has a delay slot                           */
	ISA_F_LOAD   = 1u << 6,
	ISA_F_STORE  = 1u << 7,
	ISA_F_TRAP   = 1u << 8,  /* conditional trap                           */
	ISA_F_EXC    = 1u << 9,  /* always raises an exception (syscall...)    */
	ISA_F_PRIV   = 1u << 10, /* needs CP0 access (kernel mode or CU0)      */
	ISA_F_ERET   = 1u << 11, /* exception return                           */
	ISA_F_COP1   = 1u << 12, /* FPU instruction: CpU with CE=1 here        */
	ISA_F_COP2   = 1u << 13, /* COP2 instruction: CpU with CE=2            */
	ISA_F_VZ     = 1u << 14, /* Virtualization ASE instruction             */
};

enum isa_op {
	ISA_OP_INVALID = 0, /* reserved encoding: RI */
#define INSN(id, mn, match, mask, ops, flags) ISA_OP_##id,
#include "mips32.def"
#undef INSN
	ISA_OP_COUNT
};

struct isa_desc {
	const char *mnemonic;
	uint32_t match, mask;
	const char *operands; /* operand letters, see mips32.def */
	uint32_t flags;
};

/* Row i describes enum isa_op i; row 0 is the reserved encoding. */
extern const struct isa_desc isa_table[ISA_OP_COUNT];

/* The table row of an instruction word; ISA_OP_INVALID if reserved. */
enum isa_op isa_decode(uint32_t word);

static inline const struct isa_desc *isa_describe(enum isa_op op)
{
	return &isa_table[op < ISA_OP_COUNT ? op : 0];
}

/* Field extractors. */
static inline unsigned isa_rs(uint32_t w) { return (w >> 21) & 31; }
static inline unsigned isa_rt(uint32_t w) { return (w >> 16) & 31; }
static inline unsigned isa_rd(uint32_t w) { return (w >> 11) & 31; }
static inline unsigned isa_sa(uint32_t w) { return (w >> 6) & 31; }
static inline unsigned isa_sel(uint32_t w) { return w & 7; }
static inline int32_t isa_simm(uint32_t w) { return (int16_t)(w & 0xffff); }
static inline uint32_t isa_uimm(uint32_t w) { return w & 0xffff; }

/* Target of a PC-relative branch at pc (relative to its delay slot). */
static inline uint32_t isa_branch_target(uint32_t pc, uint32_t w)
{
	return pc + 4 + ((uint32_t)isa_simm(w) << 2);
}

/* Target of j/jal at pc: the 256 MB region of the delay slot. */
static inline uint32_t isa_jump_target(uint32_t pc, uint32_t w)
{
	return ((pc + 4) & 0xf0000000u) | ((w & 0x03ffffffu) << 2);
}

/*
 * Disassembly in GNU objdump's style (register names, aliases such as move,
 * li, b, beqz, nop).  pc is the address of the word, for branch targets.
 * Writes at most len bytes including the NUL; returns the length it needed.
 */
size_t isa_disasm(uint32_t pc, uint32_t word, char *buf, size_t len);

/* ABI names of the GPRs as objdump prints them ("zero", "at", "v0"...). */
extern const char *const isa_gpr_names[32];

#endif
