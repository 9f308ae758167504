/*
 * Private to the disassembler (disasm.c, disasm_cop.c): the bounded output
 * buffer both halves append to, and the coprocessor decoder.  Not part of
 * libmipsisa's interface; users call isa_disasm() from isa.h.
 */
#ifndef VZSOAK_DISASM_PRIV_H
#define VZSOAK_DISASM_PRIV_H

#include <stddef.h>
#include <stdint.h>

/*
 * snprintf-style sink: appends while there is room, always keeps buf
 * NUL-terminated, and counts what it would have needed (n) so isa_disasm
 * can report the full length like snprintf does.
 */
struct dis_out {
	char *buf;
	size_t len;
	size_t n;
};

void dis_puts(struct dis_out *o, const char *s);
void dis_printf(struct dis_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * COP1, COP1X and COP2 words (whole opcodes 17, 19 and 18, which
 * mips32.def decodes as one row each because the core raises CpU for all
 * of them).  Prints mnemonic and operands the way objdump does for
 * mips:isa32r5, which includes the FPU, paired-single, MIPS-3D and the MSA
 * branches; words objdump does not know print as .word.
 */
void dis_cop(struct dis_out *o, uint32_t pc, uint32_t word);

/*
 * Operand lists: each operand is rendered by `one`, which consumes one or two
 * letters of the spec and may render nothing (an omitted optional operand,
 * whose comma objdump drops too).  TAB before the first, commas between.
 */
typedef size_t dis_operand_fn(struct dis_out *o, const char *spec,
			      uint32_t pc, uint32_t w);
void dis_operands(struct dis_out *o, const char *ops, dis_operand_fn *one,
		  uint32_t pc, uint32_t w);

#endif
