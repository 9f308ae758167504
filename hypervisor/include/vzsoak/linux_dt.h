/*
 * The device tree of the small board Linux runs on, as root on vzsim and as
 * a guest of the reference hypervisor (docs/linux.md): RAM at 0, the CPU's
 * interrupt controller and timer clock, the 16550 console UART and the
 * reset register (syscon-reboot).  A file of both sides: vzsim describes
 * its board with it (vzsim --linux), the hypervisor each Linux guest's
 * virtual board, so that the two are one description.
 */
#ifndef VZSOAK_LINUX_DT_H
#define VZSOAK_LINUX_DT_H

#include <stddef.h>
#include <stdint.h>

/* The devices' physical (guest-physical) addresses: Malta's. */
#define LINUX_DT_UART_PA     0x180003f8u
#define LINUX_DT_UART_SIZE   8u
#define LINUX_DT_SYSCON_PA   0x1f000000u
#define LINUX_DT_SYSCON_SIZE 0x1000u
#define LINUX_DT_RESET_OFF   0x500u  /* the reset register in the syscon */
#define LINUX_DT_RESET_VALUE 0x42u   /* what resets the board */

struct linux_dt {
	uint32_t ram_size;      /* RAM at 0 */
	uint32_t cpu_clock_hz;  /* twice the rate Count counts at */
	const char *cmdline;
	uint32_t initrd_start, initrd_end; /* physical; equal: no initramfs */
	int uart_irq;           /* the UART's CPU interrupt line (2..6), or -1: polled */
};

/* Writes the tree into buf; its length, or 0 if cap is too small. */
size_t linux_dt_build(void *buf, size_t cap, const struct linux_dt *p);

#endif
