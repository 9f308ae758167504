/*
 * Where a guest resumes after root has emulated the instruction that made
 * it exit (branch.c).  Plain C with no library calls, so the same file
 * builds into the hypervisor and into the host unit tests
 * (tests/hv/test_hv_branch.c).
 */
#ifndef HV_BRANCH_H
#define HV_BRANCH_H

#include <stdint.h>

/*
 * hv_resume_pc: the PC after an emulated instruction.
 *
 *   epc     root EPC of the exit: the instruction itself, or, when root
 *           Cause.BD is set, the branch whose delay slot it sits in
 *   bd      root Cause.BD: the instruction was in a delay slot
 *   branch  the branch word at epc (root BadInstrP); ignored unless bd
 *   gpr     the guest's registers as they were at the exit, before the
 *           emulation changes any: the branch is decided on these.  The
 *           link register of the -al forms, jal and jalr is written here.
 *
 * Returns 0 with *next set, or -1 when `branch` is not a MIPS32 branch
 * or jump this emulates (the caller stops the guest).
 */
int hv_resume_pc(uint32_t epc, int bd, uint32_t branch, uint32_t gpr[32],
		 uint32_t *next);

#endif
