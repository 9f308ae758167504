/*
 * The vzsim board: what struct vzsim (the libvzsim handle) owns — RAM, boot
 * flash, the bus, the devices, the CPU and the board options — and the
 * Malta-compatible memory map they sit on.
 */
#ifndef VZSIM_BOARD_H
#define VZSIM_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../cpu/cpu.h"
#include "bus.h"
#include "ejtag_port.h"
#include "malta.h"
#include "tap.h"
#include "tcb.h"
#include "uart.h"
#include <vzsim/vzsim.h>

/* Physical memory map (QEMU Malta's addresses, see docs/vzsim.md). */
#define BOARD_RAM_BASE     0x00000000u
#define BOARD_RAM_DEFAULT  (256u << 20)
#define BOARD_RAM_MAX      (256u << 20)
#define BOARD_RAM_ALIGN    4096u          /* whole pages: the CPU's caches */
#define BOARD_UART_BASE    0x180003f8u
#define BOARD_UART_SIZE    8u
#define BOARD_UART_IP      2u             /* its interrupt: Cause.IP2 */
#define BOARD_FPGA_BASE    0x1f000000u
#define BOARD_FPGA_SIZE    0x1000u
#define BOARD_FLASH_BASE   0x1fc00000u
#define BOARD_FLASH_SIZE   (4u << 20)

/* Where the CPU goes on a hardware reset (kseg1 view of the boot flash). */
#define BOARD_RESET_VECTOR 0xbfc00000u

/* A one-line error message into the caller's buffer (libvzsim's errors). */
void board_set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Board option values (options.c); defaults in board_opts_default. */
struct board_opts {
	enum tlbr_bad_index tlbr_bad_index;
	unsigned tlb_entries;
	unsigned count_div;
	bool tlb_mcheck;
	unsigned cpu_mhz;
	bool vz;
	unsigned guest_tlb_entries; /* clamped to tlb_entries */
	uint32_t tcb_size;  /* on-chip trace memory, bytes */
	bool ejtag;         /* EJTAG debug mode and the probe's registers */
	uint32_t prid;      /* PRId, root and guest: PRID_P5600 or PRID_PROAPTIV */
	bool rixi_exc;      /* PageGrain.IEC implemented, root and guest */
};

void board_opts_default(struct board_opts *o);
/* Parses name=value into o; -1 with a one-line message on a bad one. */
int board_opts_set(struct board_opts *o, const char *name, const char *value,
		   char *err, size_t errlen);

/* The whole of a regular file of 1..max bytes, malloc'd, *len bytes;
 * NULL with a one-line message naming it. */
uint8_t *board_read_file(const char *path, size_t max, size_t *len, char *err,
			 size_t errlen);

struct vzsim {
	struct vzsim_config cfg;
	struct board_opts opts;
	uint8_t *ram;
	uint32_t ram_size;
	uint8_t *flash;
	struct bus bus;
	struct uart uart;
	struct malta_fpga fpga;
	struct tcb tcb;
	/* The EJTAG TAP a probe drives (tap.c) and what it reaches
	 * (ejtag_port.c). */
	struct tap tap;
	struct ejtag_port port;
	/* The file vzsim_tcb_open created for vzsim_tcb_save, or NULL. */
	struct pdt_file_writer *tcb_file;
	/* A windowed capture's header, taken as it starts (the header of a
	 * streamed one is written then) and completed at its finish. */
	struct pdt_file_info *win_info;
	/* Images loaded, for trace file headers. */
	unsigned nimages;
	char *images[16];
	/* The boot arguments last given (vzsim_set_bootargs), for trace
	 * file headers; NULL if none. */
	char *bootargs;
	/* Allocated once and re-initialised in place, so the devices may keep
	 * a pointer to it. */
	struct cpu *cpu;
};

#endif
