/*
 * The mnemonics of Cause.ExcCode (MIPS32r5 with VZ), as one initializer
 * for a `const char *const [32]`: shared by host code (libpdtrace, and
 * through it libvzsim) and target code (the stress kernel's crashme
 * report), which cannot link the same library.  NULL: a code with no
 * name.
 */
#ifndef VZSOAK_ISA_EXC_NAMES_H
#define VZSOAK_ISA_EXC_NAMES_H

#define ISA_EXC_NAMES {                                                     \
	"Int", "Mod", "TLBL", "TLBS", "AdEL", "AdES", "IBE", "DBE",         \
	"Sys", "Bp", "RI", "CpU", "Ov", "Tr", "MSAFPE", "FPE",              \
	0, 0, "C2E", "TLBRI", "TLBXI", "MSADis", "MDMX", "WATCH",           \
	"MCheck", "Thread", "DSPDis", "GE", 0, 0, "CacheErr", 0,            \
}

#endif
