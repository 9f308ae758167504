/*
 * The board's EJTAG port (ejtag_port.c): the registers behind the TAP a
 * probe drives (IDCODE, IMPCODE, ADDRESS, DATA, CONTROL, ALL, FASTDATA,
 * EJTAGBOOT/NORMALBOOT and the TCB's), the EJTAG Control Register's write
 * rules, the processor accesses the core waits on in debug mode, and the
 * reset lines.  Layouts: docs/vzsim.md "EJTAG".
 */
#ifndef BOARD_EJTAG_PORT_H
#define BOARD_EJTAG_PORT_H

#include <stdbool.h>
#include <stdint.h>

/* Instruction codes; any other selects BYPASS. */
#define EJTAG_IMPCODE     0x03u
#define EJTAG_ADDRESS     0x08u
#define EJTAG_DATA        0x09u
#define EJTAG_CONTROL     0x0au
#define EJTAG_ALL         0x0bu
#define EJTAG_EJTAGBOOT   0x0cu
#define EJTAG_NORMALBOOT  0x0du
#define EJTAG_FASTDATA    0x0eu
#define EJTAG_TCBCONTROLA 0x10u
#define EJTAG_TCBCONTROLB 0x11u
#define EJTAG_TCBDATA     0x12u
#define EJTAG_TCBCONTROLC 0x13u
#define EJTAG_TCBCONTROLE 0x16u

/* EJTAG Control Register bits. */
#define ECR_ROCC     (1u << 31)
#define ECR_PSZ_SHIFT 29
#define ECR_PERRST   (1u << 20)
#define ECR_PRNW     (1u << 19)
#define ECR_PRACC    (1u << 18)
#define ECR_PRRST    (1u << 16)
#define ECR_PROBEN   (1u << 15)
#define ECR_PROBTRAP (1u << 14)
#define ECR_EJTAGBRK (1u << 12)
#define ECR_DM       (1u << 3)

struct ejtag_port {
	uint32_t idcode, impcode;
	bool rocc;         /* a reset happened the probe has not acknowledged */
	bool prrst, perrst;
	bool srst;         /* the probe's system reset line */
	bool brk;          /* EjtagBrk written while the core could not take it */
	bool boot;         /* EJTAGBOOT: the next reset enters debug mode */
	uint32_t data;     /* DATA as the probe last wrote it */
	bool fast_ok;      /* FASTDATA's captured SPrAcc */
};

struct vzsim;
void ejtag_port_init(struct vzsim *sim);
/* The reset lines from the probe (1 = asserted). */
void ejtag_port_reset_lines(struct vzsim *sim, bool trst, bool srst);
/* The core is held in reset (SRST or ECR.PrRst): it does not run. */
bool ejtag_port_held(const struct vzsim *sim);

#endif
