/*
 * Offsets into struct vcpu that the world-switch assembly (start.S) uses:
 * the guest's general registers, HI/LO, the PC it resumes at, and the
 * root Count at its entry and exit (exit cost and guest time).  hv.h
 * checks them against the C layout with static assertions.
 */
#ifndef HV_VCPU_REGS_H
#define HV_VCPU_REGS_H

#define VCPU_GPR(n)	((n) * 4)
#define VCPU_HI		128
#define VCPU_LO		132
#define VCPU_PC		136
#define VCPU_LOAD_COUNT	140
#define VCPU_EXIT_COUNT	144

#endif
