/*
 * Booting Linux by UHI (docs/linux.md): the device tree that describes this
 * board to a generic (CONFIG_MIPS_GENERIC) kernel, the initramfs in RAM, and
 * the registers the kernel's entry expects.  Only hardware the board has is
 * described: RAM, the CPU's interrupt lines and timer, the console UART and
 * the reset register.
 */
#include "board.h"

#include <vzsoak/linux_dt.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The kernel relocates itself up to 16 MiB past its link address
 * (CONFIG_RANDOMIZE_BASE) and unpacks to 1 MiB: the tree and the initramfs
 * go at the top of RAM, and must not come below this. */
#define LINUX_LOW_LIMIT (64u << 20)
#define PAGE 4096u
/* Room for the tree: a few hundred bytes and the command line. */
#define DTB_MAX (8u << 10)

/* The tree describes this board's devices where they are. */
_Static_assert(LINUX_DT_UART_PA == BOARD_UART_BASE && LINUX_DT_UART_SIZE == BOARD_UART_SIZE,
	       "the tree's UART is the board's");
_Static_assert(LINUX_DT_SYSCON_PA == BOARD_FPGA_BASE && LINUX_DT_SYSCON_SIZE == BOARD_FPGA_SIZE &&
		       LINUX_DT_RESET_OFF == MALTA_SOFTRES && LINUX_DT_RESET_VALUE == MALTA_GORESET,
	       "the tree's reset register is the board's");

int vzsim_boot_linux(vzsim *sim, const struct vzsim_linux_boot *b, char *err,
		     size_t errlen)
{
	const char *cmdline = b->cmdline ? b->cmdline : VZSIM_LINUX_CMDLINE;
	uint32_t top = sim->ram_size & ~(PAGE - 1);
	if (top < LINUX_LOW_LIMIT + PAGE) {
		board_set_err(err, errlen, "Linux needs more than %u MiB of RAM "
			      "(--ram)", LINUX_LOW_LIMIT >> 20);
		return -1;
	}
	uint32_t initrd_start = top, initrd_end = top;
	if (b->initrd) {
		size_t len = 0;
		uint8_t *data = board_read_file(b->initrd, top - LINUX_LOW_LIMIT - PAGE, &len,
					  err, errlen);
		if (!data)
			return -1;
		/* The kernel frees the initramfs by whole pages: start on one. */
		initrd_start = (top - (uint32_t)len) & ~(PAGE - 1);
		initrd_end = initrd_start + (uint32_t)len;
		vzsim_mem_write(sim, initrd_start, data, len);
		free(data);
	}
	/* Linux's generic platform runs the CP0 timer at half the CPU
	 * clock it is told: twice the rate Count counts at. */
	uint64_t count_hz = (uint64_t)sim->opts.cpu_mhz * 1000000u / sim->opts.count_div;
	const struct linux_dt dt = {
		.ram_size = sim->ram_size,
		.cpu_clock_hz = (uint32_t)(2 * count_hz),
		.cmdline = cmdline,
		.initrd_start = initrd_start,
		.initrd_end = initrd_end,
		.uart_irq = BOARD_UART_IP,
	};
	size_t cap = DTB_MAX + strlen(cmdline);
	uint8_t *dtb = malloc(cap);
	size_t dtb_len = dtb ? linux_dt_build(dtb, cap, &dt) : 0;
	if (!dtb_len) {
		board_set_err(err, errlen, "device tree: out of memory");
		free(dtb);
		return -1;
	}
	uint32_t dtb_pa = (initrd_start - (uint32_t)dtb_len) & ~(PAGE - 1);
	if (dtb_pa < LINUX_LOW_LIMIT) {
		board_set_err(err, errlen, "initramfs and device tree do not fit "
			      "above %u MiB of %u MiB of RAM (--ram)",
			      LINUX_LOW_LIMIT >> 20, sim->ram_size >> 20);
		free(dtb);
		return -1;
	}
	vzsim_mem_write(sim, dtb_pa, dtb, dtb_len);
	free(dtb);

	/* UHI: a0 = -2, a1 = the tree's kseg0 address, a2 = a3 = 0 (a2 at or
	 * above kseg0 would be taken for a firmware environment). */
	vzsim_set_gpr(sim, 4, 0xfffffffeu);
	vzsim_set_gpr(sim, 5, 0x80000000u | dtb_pa);
	vzsim_set_gpr(sim, 6, 0);
	vzsim_set_gpr(sim, 7, 0);
	return 0;
}
