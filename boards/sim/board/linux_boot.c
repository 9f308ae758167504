/*
 * Booting Linux by UHI (docs/linux.md): the device tree that describes this
 * board to a generic (CONFIG_MIPS_GENERIC) kernel, the initramfs in RAM, and
 * the registers the kernel's entry expects.  Only hardware the board has is
 * described: RAM, the CPU's interrupt lines and timer, the console UART and
 * the reset register.
 */
#include "board.h"
#include "fdt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Phandles of the nodes others point at. */
enum { PH_CPU_CLOCK = 1, PH_CPU_INTC, PH_SYSCON, PH_UART };

/* The kernel relocates itself up to 16 MiB past its link address
 * (CONFIG_RANDOMIZE_BASE) and unpacks to 1 MiB: the tree and the initramfs
 * go at the top of RAM, and must not come below this. */
#define LINUX_LOW_LIMIT (64u << 20)
#define PAGE 4096u

static void cells2(struct fdt_writer *w, const char *name, uint32_t a, uint32_t b)
{
	const uint32_t c[2] = {a, b};
	fdt_prop_cells(w, name, c, 2);
}

/* Two strings in one property (a compatible list). */
static void strings2(struct fdt_writer *w, const char *name, const char *a,
		     const char *b)
{
	size_t la = strlen(a) + 1, lb = strlen(b) + 1;
	char buf[128];
	if (la + lb > sizeof buf)
		return;
	memcpy(buf, a, la);
	memcpy(buf + la, b, lb);
	fdt_prop(w, name, buf, la + lb);
}

uint8_t *board_linux_dtb(const vzsim *sim, const char *cmdline,
			 uint32_t initrd_start, uint32_t initrd_end, size_t *len)
{
	struct fdt_writer w;
	fdt_init(&w);
	fdt_begin_node(&w, "");
	fdt_prop_u32(&w, "#address-cells", 1);
	fdt_prop_u32(&w, "#size-cells", 1);
	fdt_prop_string(&w, "compatible", "vzsoak,vzsim");
	fdt_prop_string(&w, "model", "vzsim");

	fdt_begin_node(&w, "cpus");
	fdt_prop_u32(&w, "#address-cells", 1);
	fdt_prop_u32(&w, "#size-cells", 0);
	fdt_begin_node(&w, "cpu@0");
	fdt_prop_string(&w, "device_type", "cpu");
	fdt_prop_string(&w, "compatible", "mti,p5600");
	fdt_prop_u32(&w, "reg", 0);
	fdt_prop_u32(&w, "clocks", PH_CPU_CLOCK);
	fdt_end_node(&w);
	fdt_end_node(&w);

	/* Linux's generic platform runs the CP0 timer at half this clock
	 * (arch/mips/generic/init.c): twice the rate Count counts at. */
	uint64_t count_hz = (uint64_t)sim->opts.cpu_mhz * 1000000u / sim->opts.count_div;
	fdt_begin_node(&w, "cpu-clock");
	fdt_prop_string(&w, "compatible", "fixed-clock");
	fdt_prop_u32(&w, "#clock-cells", 0);
	fdt_prop_u32(&w, "clock-frequency", (uint32_t)(2 * count_hz));
	fdt_prop_u32(&w, "phandle", PH_CPU_CLOCK);
	fdt_end_node(&w);

	char name[64];
	snprintf(name, sizeof name, "memory@%x", BOARD_RAM_BASE);
	fdt_begin_node(&w, name);
	fdt_prop_string(&w, "device_type", "memory");
	cells2(&w, "reg", BOARD_RAM_BASE, sim->ram_size);
	fdt_end_node(&w);

	fdt_begin_node(&w, "interrupt-controller");
	fdt_prop_string(&w, "compatible", "mti,cpu-interrupt-controller");
	fdt_prop_empty(&w, "interrupt-controller");
	fdt_prop_u32(&w, "#address-cells", 0);
	fdt_prop_u32(&w, "#interrupt-cells", 1);
	fdt_prop_u32(&w, "phandle", PH_CPU_INTC);
	fdt_end_node(&w);

	/* The reset register: the syscon-reboot driver reads the word and
	 * writes the mask's value when they differ. */
	snprintf(name, sizeof name, "system-controller@%x", BOARD_FPGA_BASE);
	fdt_begin_node(&w, name);
	strings2(&w, "compatible", "syscon", "simple-mfd");
	cells2(&w, "reg", BOARD_FPGA_BASE, BOARD_FPGA_SIZE);
	fdt_prop_empty(&w, "native-endian");
	fdt_prop_u32(&w, "phandle", PH_SYSCON);
	fdt_begin_node(&w, "reboot");
	fdt_prop_string(&w, "compatible", "syscon-reboot");
	fdt_prop_u32(&w, "regmap", PH_SYSCON);
	fdt_prop_u32(&w, "offset", MALTA_SOFTRES);
	fdt_prop_u32(&w, "mask", MALTA_GORESET);
	fdt_end_node(&w);
	fdt_end_node(&w);

	/* The console: byte registers, its line on the CPU's IP2. */
	snprintf(name, sizeof name, "serial@%x", BOARD_UART_BASE);
	fdt_begin_node(&w, name);
	fdt_prop_string(&w, "compatible", "ns16550a");
	cells2(&w, "reg", BOARD_UART_BASE, BOARD_UART_SIZE);
	fdt_prop_u32(&w, "reg-shift", 0);
	fdt_prop_u32(&w, "reg-io-width", 1);
	fdt_prop_u32(&w, "clock-frequency", 1843200);
	fdt_prop_u32(&w, "interrupt-parent", PH_CPU_INTC);
	fdt_prop_u32(&w, "interrupts", BOARD_UART_IP);
	fdt_prop_empty(&w, "no-loopback-test");
	fdt_prop_u32(&w, "phandle", PH_UART);
	fdt_end_node(&w);

	fdt_begin_node(&w, "aliases");
	snprintf(name, sizeof name, "/serial@%x", BOARD_UART_BASE);
	fdt_prop_string(&w, "serial0", name);
	fdt_end_node(&w);

	fdt_begin_node(&w, "chosen");
	fdt_prop_string(&w, "stdout-path", "serial0:115200n8");
	fdt_prop_string(&w, "bootargs", cmdline);
	if (initrd_end > initrd_start) {
		fdt_prop_u32(&w, "linux,initrd-start", initrd_start);
		fdt_prop_u32(&w, "linux,initrd-end", initrd_end);
	}
	fdt_end_node(&w);

	fdt_end_node(&w);
	return fdt_finish(&w, len);
}

/* The whole of a regular file, malloc'd; NULL with a message. */
static uint8_t *read_file(const char *path, size_t max, size_t *len, char *err,
			  size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		board_set_err(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	uint8_t *buf = NULL;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))
		board_set_err(err, errlen, "%s: not a regular file", path);
	else if (st.st_size == 0)
		board_set_err(err, errlen, "%s: empty file", path);
	else if ((uint64_t)st.st_size > max)
		board_set_err(err, errlen, "%s: %lld bytes, more than the %zu that "
			      "fit in RAM above the kernel (--ram)", path,
			      (long long)st.st_size, max);
	else if (!(buf = malloc((size_t)st.st_size)))
		board_set_err(err, errlen, "%s: out of memory", path);
	else if (fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		board_set_err(err, errlen, "%s: read error: %s", path,
			      ferror(f) ? strerror(errno) : "file shrank");
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = buf ? (size_t)st.st_size : 0;
	return buf;
}

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
		uint8_t *data = read_file(b->initrd, top - LINUX_LOW_LIMIT - PAGE, &len,
					  err, errlen);
		if (!data)
			return -1;
		/* The kernel frees the initramfs by whole pages: start on one. */
		initrd_start = (top - (uint32_t)len) & ~(PAGE - 1);
		initrd_end = initrd_start + (uint32_t)len;
		vzsim_mem_write(sim, initrd_start, data, len);
		free(data);
	}
	size_t dtb_len;
	uint8_t *dtb = board_linux_dtb(sim, cmdline, initrd_start, initrd_end, &dtb_len);
	if (!dtb) {
		board_set_err(err, errlen, "device tree: out of memory");
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
