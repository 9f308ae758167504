/*
 * exc.h: the exception codes of exc.def as EXC_* and GEXC_* constants and
 * their names, header-only, so a tool needs no library to print a code.
 * C gets enums and mips_exc_name/mips_gexc_name; assembly gets the same
 * constants as assembler symbols (.equ).  Code that wants a name table of
 * its own (a static array in a target image) includes exc.def directly.
 */
#ifndef MIPS_EXC_H
#define MIPS_EXC_H

#ifdef __ASSEMBLER__
#define EXC(code, sym, name)	.equ EXC_##sym, code;
#define GEXC(code, sym, name)	.equ GEXC_##sym, code;
#include <mips/exc.def>
#else

/* Cause.ExcCode. */
enum mips_exc {
#define EXC(code, sym, name) EXC_##sym = code,
#include <mips/exc.def>
};

/* GuestCtl0.GExcCode: why a guest exited (ExcCode EXC_GE). */
enum mips_gexc {
#define GEXC(code, sym, name) GEXC_##sym = code,
#include <mips/exc.def>
};

/* The mnemonic of Cause.ExcCode `code` ("TLBL"), NULL for a code with no
 * name (reserved, or 32 and up): each printer chooses its own stand-in. */
static inline const char *mips_exc_name(unsigned code)
{
	static const char *const names[32] = {
#define EXC(code, sym, name) [code] = name,
#include <mips/exc.def>
	};
	return code < 32 ? names[code] : 0;
}

/* The mnemonic of GuestCtl0.GExcCode `code` ("GPSI"), NULL as above. */
static inline const char *mips_gexc_name(unsigned code)
{
	static const char *const names[32] = {
#define GEXC(code, sym, name) [code] = name,
#include <mips/exc.def>
	};
	return code < 32 ? names[code] : 0;
}

#endif
#endif
