/*
 * branch.c: the guest's next PC after an exit that root handled itself.
 *
 * An instruction that exits (a GPSI, a GSFC, a hypercall) is emulated by
 * root and the guest resumes after it.  Normally that is EPC + 4.  But
 * when the instruction sits in a branch delay slot, root EPC points at
 * the branch (Cause.BD = 1) and "after it" is wherever the branch goes:
 * its target if taken, EPC + 8 (past the slot) if not.  Resuming at EPC
 * would run the emulated instruction again; resuming at EPC + 4 would
 * forget the branch.  So the branch is emulated here, as Linux's
 * update_pc / __compute_return_epc_for_insn do.
 *
 * Order matters: the hardware decides a branch before its delay slot
 * runs, so the condition and the jr/jalr target are taken from the
 * registers as they were at the exit, before the emulated instruction
 * writes its result (`jr t0` with `mfc0 t0, ...` in the slot must still
 * go where t0 pointed).  The caller therefore computes the resume PC
 * first and emulates second.
 *
 * The link register: jal, jalr and the -al branches write it when they
 * run, which they did before the slot exited; writing it again here is
 * what completes the branch in software, and gives the same value
 * (jalr with rs == rd and bltzal/bgezal with rs == ra are the
 * architecture's "unpredictable" cases precisely because they cannot be
 * restarted).
 *
 * Branch-likely forms run their delay slot only when taken, so an exit
 * in one means the branch was taken; evaluating the condition again gives
 * that, and the not-taken case (EPC + 8) is right as well.
 */
#include "branch.h"

#define OP(w)		((w) >> 26)
#define RS(w)		(((w) >> 21) & 0x1fu)
#define RT(w)		(((w) >> 16) & 0x1fu)
#define RD(w)		(((w) >> 11) & 0x1fu)
#define FUNCT(w)	((w) & 0x3fu)

/* Major opcodes. */
enum {
	OP_SPECIAL = 0x00, OP_REGIMM = 0x01, OP_J = 0x02, OP_JAL = 0x03,
	OP_BEQ = 0x04, OP_BNE = 0x05, OP_BLEZ = 0x06, OP_BGTZ = 0x07,
	OP_BEQL = 0x14, OP_BNEL = 0x15, OP_BLEZL = 0x16, OP_BGTZL = 0x17,
};
/* SPECIAL functions. */
enum { FN_JR = 0x08, FN_JALR = 0x09 };
/* REGIMM rt values. */
enum {
	RI_BLTZ = 0x00, RI_BGEZ = 0x01, RI_BLTZL = 0x02, RI_BGEZL = 0x03,
	RI_BLTZAL = 0x10, RI_BGEZAL = 0x11, RI_BLTZALL = 0x12, RI_BGEZALL = 0x13,
};

#define REG_RA	31

/* PC-relative target: the 16-bit offset counts words from the slot. */
static uint32_t branch_target(uint32_t pc, uint32_t w)
{
	int32_t off = (int16_t)(w & 0xffffu);
	return pc + 4 + ((uint32_t)off << 2);
}

int hv_resume_pc(uint32_t epc, int bd, uint32_t w, uint32_t gpr[32],
		 uint32_t *next)
{
	if (!bd) {
		*next = epc + 4;
		return 0;
	}

	/* Registers as signed values for the compare-with-zero forms;
	 * register 0 reads 0 whatever the array holds. */
	uint32_t rs = RS(w) ? gpr[RS(w)] : 0;
	uint32_t rt = RT(w) ? gpr[RT(w)] : 0;
	int32_t srs = (int32_t)rs;
	uint32_t fall = epc + 8;        /* past the delay slot */
	int taken;
	int link = 0;                   /* register written with epc + 8 */

	switch (OP(w)) {
	case OP_SPECIAL:
		if (FUNCT(w) == FN_JR && RT(w) == 0 && RD(w) == 0) {
			*next = rs;
			return 0;
		}
		if (FUNCT(w) == FN_JALR && RT(w) == 0) {
			/* jalr rs (rd = ra) or jalr rd, rs; .hb hints allowed. */
			if (RD(w))
				gpr[RD(w)] = fall;
			*next = rs;
			return 0;
		}
		return -1;
	case OP_J:
	case OP_JAL:
		if (OP(w) == OP_JAL)
			gpr[REG_RA] = fall;
		/* 256 MiB region of the delay slot, instr_index words in. */
		*next = ((epc + 4) & 0xf0000000u) | ((w & 0x03ffffffu) << 2);
		return 0;
	case OP_BEQ:
	case OP_BEQL:
		taken = rs == rt;
		break;
	case OP_BNE:
	case OP_BNEL:
		taken = rs != rt;
		break;
	case OP_BLEZ:
	case OP_BLEZL:
		if (RT(w))
			return -1;
		taken = srs <= 0;
		break;
	case OP_BGTZ:
	case OP_BGTZL:
		if (RT(w))
			return -1;
		taken = srs > 0;
		break;
	case OP_REGIMM:
		switch (RT(w)) {
		case RI_BLTZ:
		case RI_BLTZL:
			taken = srs < 0;
			break;
		case RI_BGEZ:
		case RI_BGEZL:
			taken = srs >= 0;
			break;
		case RI_BLTZAL:
		case RI_BLTZALL:
			taken = srs < 0;
			link = REG_RA;
			break;
		case RI_BGEZAL:
		case RI_BGEZALL:
			taken = srs >= 0;
			link = REG_RA;
			break;
		default:
			return -1;
		}
		break;
	default:
		/* COP1/COP2 branches (no FPU here), jalx (no microMIPS): not
		 * something a guest of this core can have run. */
		return -1;
	}
	/* The -al forms link whether or not they branch. */
	if (link)
		gpr[link] = fall;
	*next = taken ? branch_target(epc, w) : fall;
	return 0;
}
