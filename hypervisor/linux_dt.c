/* The device tree of Linux's board (<vzsoak/linux_dt.h>), both sides. */
#include <vzsoak/fdt.h>
#include <vzsoak/linux_dt.h>

/* Phandles of the nodes others point at. */
enum { PH_CPU_CLOCK = 1, PH_CPU_INTC, PH_SYSCON };

static void cells2(struct fdt_writer *w, const char *name, uint32_t a, uint32_t b)
{
	const uint32_t c[2] = {a, b};
	fdt_prop_cells(w, name, c, 2);
}

/* Node names carry the addresses above; _Static_assert-checked by the
 * board (boards/sim/board/linux_boot.c). */
#define UART_NODE   "serial@180003f8"
#define SYSCON_NODE "system-controller@1f000000"

size_t linux_dt_build(void *buf, size_t cap, const struct linux_dt *p)
{
	struct fdt_writer w;
	fdt_init(&w, buf, cap);
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
	 * (arch/mips/generic/init.c). */
	fdt_begin_node(&w, "cpu-clock");
	fdt_prop_string(&w, "compatible", "fixed-clock");
	fdt_prop_u32(&w, "#clock-cells", 0);
	fdt_prop_u32(&w, "clock-frequency", p->cpu_clock_hz);
	fdt_prop_u32(&w, "phandle", PH_CPU_CLOCK);
	fdt_end_node(&w);

	fdt_begin_node(&w, "memory@0");
	fdt_prop_string(&w, "device_type", "memory");
	cells2(&w, "reg", 0, p->ram_size);
	fdt_end_node(&w);

	fdt_begin_node(&w, "interrupt-controller");
	fdt_prop_string(&w, "compatible", "mti,cpu-interrupt-controller");
	fdt_prop_empty(&w, "interrupt-controller");
	fdt_prop_u32(&w, "#address-cells", 0);
	fdt_prop_u32(&w, "#interrupt-cells", 1);
	fdt_prop_u32(&w, "phandle", PH_CPU_INTC);
	fdt_end_node(&w);

	/* The reset register: the syscon-reboot driver reads the word and
	 * writes the value when they differ. */
	fdt_begin_node(&w, SYSCON_NODE);
	fdt_prop(&w, "compatible", "syscon\0simple-mfd", sizeof "syscon\0simple-mfd");
	cells2(&w, "reg", LINUX_DT_SYSCON_PA, LINUX_DT_SYSCON_SIZE);
	fdt_prop_empty(&w, "native-endian");
	fdt_prop_u32(&w, "phandle", PH_SYSCON);
	fdt_begin_node(&w, "reboot");
	fdt_prop_string(&w, "compatible", "syscon-reboot");
	fdt_prop_u32(&w, "regmap", PH_SYSCON);
	fdt_prop_u32(&w, "offset", LINUX_DT_RESET_OFF);
	fdt_prop_u32(&w, "mask", LINUX_DT_RESET_VALUE);
	fdt_end_node(&w);
	fdt_end_node(&w);

	/* The console: byte registers; with no line the 8250 driver polls
	 * its IIR. */
	fdt_begin_node(&w, UART_NODE);
	fdt_prop_string(&w, "compatible", "ns16550a");
	cells2(&w, "reg", LINUX_DT_UART_PA, LINUX_DT_UART_SIZE);
	fdt_prop_u32(&w, "reg-shift", 0);
	fdt_prop_u32(&w, "reg-io-width", 1);
	fdt_prop_u32(&w, "clock-frequency", 1843200);
	if (p->uart_irq >= 0) {
		fdt_prop_u32(&w, "interrupt-parent", PH_CPU_INTC);
		fdt_prop_u32(&w, "interrupts", (uint32_t)p->uart_irq);
	}
	fdt_prop_empty(&w, "no-loopback-test");
	fdt_end_node(&w);

	fdt_begin_node(&w, "aliases");
	fdt_prop_string(&w, "serial0", "/" UART_NODE);
	fdt_end_node(&w);

	fdt_begin_node(&w, "chosen");
	fdt_prop_string(&w, "stdout-path", "serial0:115200n8");
	fdt_prop_string(&w, "bootargs", p->cmdline);
	if (p->initrd_end > p->initrd_start) {
		fdt_prop_u32(&w, "linux,initrd-start", p->initrd_start);
		fdt_prop_u32(&w, "linux,initrd-end", p->initrd_end);
	}
	fdt_end_node(&w);

	fdt_end_node(&w);
	return fdt_finish(&w);
}
