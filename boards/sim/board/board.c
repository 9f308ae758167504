/*
 * libvzsim: the board around the CPU.  Builds the Malta-compatible memory
 * map, owns the CPU, loads images, and implements the public API of
 * vzsim/vzsim.h on top of the CPU's internal interface (cpu/cpu.h).
 */
#include "board.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <mips/elf.h>
#include <mips/exc.h>
#include <vzsoak/bootargs.h>

void board_set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------ options */

/*
 * Pushes the options the CPU reads on every instruction into it.  A fresh
 * CPU has no Count history to preserve.
 */
static void apply_cpu_opts(vzsim *sim, bool fresh)
{
	struct cpu *cpu = sim->cpu;
	cpu->tlbr_bad_index = sim->opts.tlbr_bad_index;
	cpu->tlb_mcheck = sim->opts.tlb_mcheck;
	cpu->rixi_exc = sim->opts.rixi_exc;
	/* PRId is read-only: the board's choice, now and at every reset. */
	cpu->prid = sim->opts.prid;
	cpu->cp0.prid = cpu->gcp0.prid = sim->opts.prid;
	if (cpu->ejtag.present != sim->opts.ejtag) {
		cpu->ejtag.present = sim->opts.ejtag;
		if (sim->opts.ejtag)
			cpu->cp0.config[1] |= CONFIG1_EP;
		else
			cpu->cp0.config[1] &= ~CONFIG1_EP;
		ejtag_port_init(sim);
	}
	if (fresh) {
		cpu->count_div = sim->opts.count_div;
		cpu->vz_enabled = sim->opts.vz;
		cpu->guest_entries = sim->opts.guest_tlb_entries < sim->opts.tlb_entries
					     ? sim->opts.guest_tlb_entries
					     : sim->opts.tlb_entries;
	} else if (cpu->count_div != sim->opts.count_div) {
		/* Rebase Count so changing the rate does not make it jump. */
		uint32_t now = cp0_count(cpu);
		cpu->count_div = sim->opts.count_div;
		cpu->cp0.count_base = now;
		cpu->cp0.count_icount = cpu->icount;
		cpu_timer_start(cpu); /* Compare is now reached at a new icount */
	}
}

/*
 * (Re)initialises the CPU in place: the TLB size is fixed by cpu_init, so a
 * tlb-entries change rebuilds it.  The CPU is left at the hardware reset
 * vector; vzsim_reset sets up a real start.
 */
static int setup_cpu(vzsim *sim, bool reinit, char *err, size_t errlen)
{
	struct cpu *cpu = sim->cpu;
	vzsim_insn_sink sink = cpu->sink;
	void *sink_ctx = cpu->sink_ctx;
	vzsim_tlb_hook tlb_hook = cpu->tlb_hook;
	void *tlb_hook_ctx = cpu->tlb_hook_ctx;
	if (reinit)
		cpu_destroy(cpu);
	memset(cpu, 0, sizeof *cpu);
	if (cpu_init(cpu, &sim->bus, sim->ram, sim->ram_size,
		     sim->opts.tlb_entries, sim->cfg.seed) != 0) {
		cpu_destroy(cpu);
		board_set_err(err, errlen, "cannot initialise the CPU (out of memory?)");
		return -1;
	}
	/* The trace unit writes into this board's TCB. */
	cpu->trace.port = (struct trace_port){.word = tcb_word, .ctx = &sim->tcb};
	apply_cpu_opts(sim, true);
	cpu_reset(cpu, BOARD_RESET_VECTOR);
	cpu->sink = sink;
	cpu->sink_ctx = sink_ctx;
	cpu->tlb_hook = tlb_hook;
	cpu->tlb_hook_ctx = tlb_hook_ctx;
	return 0;
}

int vzsim_board_opt(vzsim *sim, const char *name, const char *value, char *err,
		    size_t errlen)
{
	struct board_opts o = sim->opts;
	char msg[256];
	if (board_opts_set(&o, name, value, msg, sizeof msg) != 0) {
		board_set_err(err, errlen, "%s", msg);
		return -1;
	}
	bool rebuild = o.tlb_entries != sim->opts.tlb_entries || o.vz != sim->opts.vz ||
		       o.guest_tlb_entries != sim->opts.guest_tlb_entries;
	if (o.tcb_size != sim->opts.tcb_size) {
		struct tcb fresh;
		if (tcb_init(&fresh, o.tcb_size) != 0) {
			board_set_err(err, errlen, "out of memory");
			return -1;
		}
		fresh.stream = sim->tcb.stream; /* a running capture goes on */
		fresh.words = sim->tcb.words;
		fresh.win = sim->tcb.win; /* and its window */
		fresh.win_n = sim->tcb.win_n;
		fresh.win_next = sim->tcb.win_next;
		fresh.win_total = sim->tcb.win_total;
		tcb_free(&sim->tcb);
		sim->tcb = fresh;
	}
	sim->opts = o;
	if (rebuild)
		return setup_cpu(sim, true, err, errlen);
	apply_cpu_opts(sim, false);
	return 0;
}

/* ------------------------------------------------------------ life cycle */

void vzsim_config_init(struct vzsim_config *cfg)
{
	cfg->ram_size = BOARD_RAM_DEFAULT;
	cfg->seed = 1;
}

/* The console UART's interrupt line, wired to IP2 (Linux's CPU interrupt
 * 2; the device tree says so).  The CPU looks at its lines before the
 * next instruction. */
static void uart_irq(void *ctx, bool level)
{
	vzsim *sim = ctx;
	struct cpu *cpu = sim->cpu;
	if (level)
		cpu->hw_irq |= 1u << BOARD_UART_IP;
	else
		cpu->hw_irq &= (uint8_t)~(1u << BOARD_UART_IP);
	cpu->next_event = cpu->icount;
}

vzsim *vzsim_new(const struct vzsim_config *cfg, char *err, size_t errlen)
{
	if (cfg->ram_size == 0 || cfg->ram_size > BOARD_RAM_MAX ||
	    cfg->ram_size % BOARD_RAM_ALIGN) {
		board_set_err(err, errlen,
			"RAM size %llu bytes: must be 4 KiB..256 MiB in whole 4 KiB pages",
			(unsigned long long)cfg->ram_size);
		return NULL;
	}
	vzsim *sim = calloc(1, sizeof *sim);
	if (!sim) {
		board_set_err(err, errlen, "out of memory");
		return NULL;
	}
	sim->cfg = *cfg;
	board_opts_default(&sim->opts);
	sim->ram_size = (uint32_t)cfg->ram_size;
	/* calloc of this size maps fresh zero pages: untouched RAM is free. */
	sim->ram = calloc(1, sim->ram_size);
	sim->flash = calloc(1, BOARD_FLASH_SIZE);
	sim->cpu = calloc(1, sizeof *sim->cpu);
	if (!sim->ram || !sim->flash || !sim->cpu) {
		board_set_err(err, errlen, "out of memory for %u bytes of RAM",
			sim->ram_size);
		free(sim->ram);
		free(sim->flash);
		free(sim->cpu);
		free(sim);
		return NULL;
	}
	uart_init(&sim->uart);
	sim->uart.irq = uart_irq;
	sim->uart.irq_ctx = sim;
	malta_fpga_init(&sim->fpga, sim->cpu);
	/* These regions are disjoint by construction (board.h). */
	bus_add_ram(&sim->bus, BOARD_RAM_BASE, sim->ram_size, sim->ram);
	bus_add_ram(&sim->bus, BOARD_FLASH_BASE, BOARD_FLASH_SIZE, sim->flash);
	bus_add_device(&sim->bus, BOARD_UART_BASE, BOARD_UART_SIZE,
		       &sim->uart.dev);
	bus_add_device(&sim->bus, BOARD_FPGA_BASE, BOARD_FPGA_SIZE,
		       &sim->fpga.dev);
	if (tcb_init(&sim->tcb, sim->opts.tcb_size) != 0) {
		board_set_err(err, errlen, "out of memory");
		free(sim->ram);
		free(sim->flash);
		free(sim->cpu);
		free(sim);
		return NULL;
	}
	ejtag_port_init(sim);
	if (setup_cpu(sim, false, err, errlen) != 0) {
		tcb_free(&sim->tcb);
		free(sim->ram);
		free(sim->flash);
		free(sim->cpu);
		free(sim);
		return NULL;
	}
	return sim;
}

void vzsim_free(vzsim *sim)
{
	if (!sim)
		return;
	uart_flush(&sim->uart);
	pdt_file_discard(sim->tcb.stream); /* a capture never finished */
	pdt_file_discard(sim->tcb_file);   /* a TCB never saved */
	free(sim->tcb.win);
	free(sim->win_info);
	tcb_free(&sim->tcb);
	for (unsigned i = 0; i < sim->nimages; i++)
		free(sim->images[i]);
	free(sim->bootargs);
	cpu_destroy(sim->cpu);
	free(sim->cpu);
	free(sim->ram);
	free(sim->flash);
	free(sim);
}

/* ------------------------------------------------------------ memory */

int vzsim_mem_read(vzsim *sim, uint32_t pa, void *buf, size_t len)
{
	if (len == 0)
		return 0;
	if (len > UINT32_MAX)
		return -1;
	const uint8_t *p = bus_host_ptr(&sim->bus, pa, (uint32_t)len);
	if (!p)
		return -1;
	memcpy(buf, p, len);
	return 0;
}

/* Drops predecoded instructions a host write covered, page by page. */
static void code_written(vzsim *sim, uint32_t pa, size_t len)
{
	struct cpu *cpu = sim->cpu;
	while (len) {
		uint32_t chunk = 4096 - (pa & 0xfff);
		if (chunk > len)
			chunk = (uint32_t)len;
		/* RAM pages never fetched have nothing to drop: skip them
		 * cheaply, which matters when loading a large .bss. */
		bool skip = pa < cpu->ram_size &&
			    (!cpu->pd_pages || !cpu->pd_pages[pa >> 12]);
		if (!skip)
			mmu_code_written(cpu, pa, chunk);
		pa += chunk;
		len -= chunk;
	}
}

int vzsim_mem_write(vzsim *sim, uint32_t pa, const void *buf, size_t len)
{
	if (len == 0)
		return 0;
	if (len > UINT32_MAX)
		return -1;
	uint8_t *p = bus_host_ptr(&sim->bus, pa, (uint32_t)len);
	if (!p)
		return -1;
	memcpy(p, buf, len);
	code_written(sim, pa, len);
	return 0;
}

/* Zero-fills physical memory (the .bss part of a segment). */
static int mem_zero(vzsim *sim, uint32_t pa, uint32_t len)
{
	if (len == 0)
		return 0;
	uint8_t *p = bus_host_ptr(&sim->bus, pa, len);
	if (!p)
		return -1;
	memset(p, 0, len);
	code_written(sim, pa, len);
	return 0;
}

/* ------------------------------------------------------------ loading */

/* Whether pa..pa+len-1 lies in RAM or in the boot flash. */
static bool loadable(const vzsim *sim, uint32_t pa, uint32_t len)
{
	uint64_t end = (uint64_t)pa + len;
	return end <= sim->ram_size ||
	       (pa >= BOARD_FLASH_BASE &&
		end <= (uint64_t)BOARD_FLASH_BASE + BOARD_FLASH_SIZE);
}

/* The whole of a regular file, malloc'd; NULL with a message. */
uint8_t *board_read_file(const char *path, size_t max, size_t *len, char *err,
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
		board_set_err(err, errlen, "%s: %lld bytes, more than the %zu of RAM "
			      "there are for it (--ram)", path,
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

int vzsim_load_raw(vzsim *sim, const char *path, uint32_t pa, char *err, size_t errlen)
{
	size_t len;
	uint32_t room = pa < sim->ram_size ? sim->ram_size - pa : 0;
	if (!room) {
		board_set_err(err, errlen, "%s: physical 0x%08x is outside RAM (0x0-0x%x)",
			      path, pa, sim->ram_size - 1);
		return -1;
	}
	uint8_t *data = board_read_file(path, room, &len, err, errlen);
	if (!data)
		return -1;
	vzsim_mem_write(sim, pa, data, len);
	free(data);
	return 0;
}

int vzsim_load_elf(vzsim *sim, const char *path, uint32_t *entry, char *err,
		   size_t errlen)
{
	struct mips_elf img;
	if (mips_elf_open(&img, path, MIPS_ELF_PHYS, err, errlen) != 0)
		return -1;
	/* Check every segment before writing any, so a bad image leaves
	 * memory untouched. */
	for (size_t i = 0; i < img.nseg; i++) {
		const struct mips_elf_seg *s = &img.seg[i];
		if (!loadable(sim, s->pa, s->memsz)) {
			board_set_err(err, errlen,
				"%s: segment %u at vaddr 0x%08x: physical 0x%08x "
				"(0x%x bytes) is outside RAM (0x0-0x%x) and boot "
				"flash (0x%08x-0x%08x)",
				path, s->index, s->vaddr, s->pa, s->memsz,
				sim->ram_size - 1, BOARD_FLASH_BASE,
				BOARD_FLASH_BASE + BOARD_FLASH_SIZE - 1);
			mips_elf_close(&img);
			return -1;
		}
	}
	for (size_t i = 0; i < img.nseg; i++) {
		const struct mips_elf_seg *s = &img.seg[i];
		/* Cannot fail: the range was checked above. */
		vzsim_mem_write(sim, s->pa, s->data, s->filesz);
		mem_zero(sim, s->pa + s->filesz, s->memsz - s->filesz);
	}
	if (sim->nimages < sizeof sim->images / sizeof sim->images[0])
		sim->images[sim->nimages++] = strdup(path);
	if (entry)
		*entry = img.entry;
	mips_elf_close(&img);
	return 0;
}

/* ------------------------------------------------------------ running */

/*
 * What QEMU 7.2's Malta boot loader leaves in the GPRs when it jumps to a
 * -kernel image (measured on qemu-system-mipsel 7.2 -M malta; see
 * docs/vzsim.md): argc/argv/envp/memsize in a0..a3, a stack below the
 * argument table, the entry in t9 (it jumps with jalr t9), and the last GT-64120
 * register write it made in k0/k1.  Everything else is zero.
 */
#define BOOT_ENVP     0x80002000u
#define BOOT_SP       (BOOT_ENVP - 64)
#define BOOT_K0       0x0000005eu /* byte-swapped PCI0M1HD value   */
#define BOOT_K1       0xbbe00088u /* kseg1 address of GT PCI0M1HD */
#define BOOT_RA       0xbfc00644u /* after the loader's jalr t9    */

enum { R_K0 = 26, R_K1 = 27, R_A0 = 4, R_A1, R_A2, R_A3, R_T9 = 25, R_SP = 29,
       R_RA = 31 };

void vzsim_reset(vzsim *sim, uint32_t pc)
{
	struct cpu *cpu = sim->cpu;
	cpu_reset(cpu, pc);
	/* The devices keep their lines up across a reset of the core. */
	cpu->hw_irq = sim->uart.irq_level ? 1u << BOARD_UART_IP : 0;
	memset(cpu->gpr, 0, sizeof cpu->gpr);
	cpu->gpr[R_A0] = 2;
	cpu->gpr[R_A1] = BOOT_ENVP;
	cpu->gpr[R_A2] = BOOT_ENVP + 8;
	/* RAM below the I/O hole at 256 MiB: all of ours. */
	cpu->gpr[R_A3] = sim->ram_size;
	cpu->gpr[R_SP] = BOOT_SP;
	cpu->gpr[R_T9] = pc;
	cpu->gpr[R_K0] = BOOT_K0;
	cpu->gpr[R_K1] = BOOT_K1;
	cpu->gpr[R_RA] = BOOT_RA;
	/* QEMU's Malta clears Status.ERL at reset when a kernel is given, so
	 * images start with kuseg mapped and eret using EPC. */
	uint32_t status;
	if (cp0_read(cpu, 12, 0, &status))
		cp0_write(cpu, 12, 0, status & ~ST_ERL);
	cpu->stop_requested = false;
	cpu->next_event = cpu->icount;
}

enum vzsim_stop vzsim_run(vzsim *sim, uint64_t max_insns)
{
	if (ejtag_port_held(sim))
		return VZSIM_STOP_DEBUG; /* the probe holds the core in reset */
	enum vzsim_stop r = cpu_run(sim->cpu, max_insns);
	/* A chunk of output per run keeps pipes and files current. */
	uart_flush(&sim->uart);
	return r;
}

void vzsim_request_stop(vzsim *sim)
{
	struct cpu *cpu = sim->cpu;
	cpu->stop_reason = VZSIM_STOP_REQUESTED;
	cpu->stop_requested = true;
	cpu->next_event = cpu->icount;
}

/* ------------------------------------------------------------ registers */

uint32_t vzsim_gpr(const vzsim *sim, unsigned reg)
{
	return reg < 32 ? sim->cpu->gpr[reg] : 0;
}

void vzsim_set_gpr(vzsim *sim, unsigned reg, uint32_t value)
{
	if (reg > 0 && reg < 32)
		sim->cpu->gpr[reg] = value;
}

uint32_t vzsim_pc(const vzsim *sim)
{
	return sim->cpu->pc;
}

void vzsim_set_pc(vzsim *sim, uint32_t pc)
{
	struct cpu *cpu = sim->cpu;
	cpu->pc = pc;
	cpu->npc = pc + 4;
	cpu->in_ds = false;
	cpu->waiting = false;
	cpu->next_event = cpu->icount;
}

uint32_t vzsim_hi(const vzsim *sim)
{
	return sim->cpu->hi;
}

uint32_t vzsim_lo(const vzsim *sim)
{
	return sim->cpu->lo;
}

int vzsim_cp0_read(vzsim *sim, unsigned reg, unsigned sel, uint32_t *value)
{
	if (reg >= 32 || sel >= 8)
		return -1;
	return cp0_read(sim->cpu, reg, sel, value) ? 0 : -1;
}

int vzsim_cp0_write(vzsim *sim, unsigned reg, unsigned sel, uint32_t value)
{
	if (reg >= 32 || sel >= 8)
		return -1;
	if (!cp0_write(sim->cpu, reg, sel, value))
		return -1;
	sim->cpu->next_event = sim->cpu->icount;
	return 0;
}

/* ------------------------------------------------------------ VZ */

int vzsim_guest_cp0_read(vzsim *sim, unsigned reg, unsigned sel, uint32_t *value)
{
	if (reg >= 32 || sel >= 8 || !sim->cpu->vz_enabled)
		return -1;
	return gcp0_read(sim->cpu, reg, sel, value, true) == GCP0_OK ? 0 : -1;
}

int vzsim_guest_cp0_write(vzsim *sim, unsigned reg, unsigned sel, uint32_t value)
{
	if (reg >= 32 || sel >= 8 || !sim->cpu->vz_enabled)
		return -1;
	if (gcp0_write(sim->cpu, reg, sel, value, true) != GCP0_OK)
		return -1;
	sim->cpu->next_event = sim->cpu->icount;
	return 0;
}

bool vzsim_in_guest(const vzsim *sim)
{
	return sim->cpu->guest;
}

unsigned vzsim_tlb_size(const vzsim *sim, unsigned *guest_entries)
{
	if (guest_entries)
		*guest_entries = sim->cpu->vz_enabled ? sim->cpu->guest_entries : 0;
	return sim->cpu->tlb_entries;
}

int vzsim_tlb_read(const vzsim *sim, unsigned index, struct vzsim_tlb_entry *e)
{
	if (index >= sim->cpu->tlb_entries)
		return -1;
	tlb_entry_public(&sim->cpu->tlb[index], e);
	return 0;
}

int vzsim_tlb_write(vzsim *sim, unsigned index, const struct vzsim_tlb_entry *e)
{
	if (index >= sim->cpu->tlb_entries)
		return -1;
	struct tlb_entry *t = &sim->cpu->tlb[index];
	const struct tlb_entry before = *t;
	*t = tlb_entry_make(e->entryhi, e->pagemask, e->entrylo0, e->entrylo1);
	t->ehinv = t->ehinv || e->invalid;
	t->guest = e->guest;
	t->guestid = e->guestid;
	tlb_entry_seal(t);
	sim->cpu->tlb_unchecked = true; /* no duplicate check here */
	mmu_flush(sim->cpu);
	if (sim->cpu->tlb_hook)
		tlb_report_api(sim->cpu, index, &before);
	return 0;
}

/* ------------------------------------------------------------ devices */

void vzsim_uart_output(vzsim *sim, FILE *out)
{
	uart_set_output(&sim->uart, out);
}

void vzsim_uart_input(vzsim *sim, FILE *in)
{
	uart_set_input(&sim->uart, in);
}

/* ------------------------------------------------------------ observing */

void vzsim_set_insn_sink(vzsim *sim, vzsim_insn_sink sink, void *ctx)
{
	struct cpu *cpu = sim->cpu;
	cpu->sink = sink;
	cpu->sink_ctx = ctx;
	/* The loop picks its fast or slow path at an event. */
	cpu->next_event = cpu->icount;
}

void vzsim_set_tlb_hook(vzsim *sim, vzsim_tlb_hook hook, void *ctx)
{
	/* tlb.c tests it on every TLB write: no loop variant to pick. */
	sim->cpu->tlb_hook = hook;
	sim->cpu->tlb_hook_ctx = ctx;
}

void vzsim_get_stats(const vzsim *sim, struct vzsim_stats *st)
{
	*st = sim->cpu->stats;
	st->insns = sim->cpu->icount - sim->cpu->wait_cycles;
	st->idle_cycles = sim->cpu->wait_cycles;
	st->compiled_blocks = sim->cpu->jit.compiled;
	if (sim->cpu->guest) /* the current stay in guest mode so far */
		st->guest_insns[cpu_guestid(sim->cpu)] +=
			sim->cpu->icount - sim->cpu->guest_since;
}

uint64_t vzsim_sim_time_ns(const vzsim *sim)
{
	/* icount * 1000 / MHz, split so it cannot overflow. */
	uint64_t n = sim->cpu->icount, mhz = sim->opts.cpu_mhz;
	return n / mhz * 1000 + n % mhz * 1000 / mhz;
}

const char *vzsim_exc_name(unsigned code)
{
	const char *n = mips_exc_name(code);
	return n ? n : "?";
}

/* ------------------------------------------------------------ boot args */

int vzsim_set_bootargs(vzsim *sim, const char *text, char *err, size_t errlen)
{
	size_t len = strlen(text);
	if (len >= BOOTARGS_TEXT_MAX) {
		board_set_err(err, errlen, "boot arguments: %zu bytes, at most %u", len,
			BOOTARGS_TEXT_MAX - 1);
		return -1;
	}
	const uint32_t head[4] = {BOOTARGS_MAGIC, BOOTARGS_VERSION, (uint32_t)len, 0};
	if (vzsim_mem_write(sim, BOOTARGS_PA, head, sizeof head) != 0 ||
	    vzsim_mem_write(sim, BOOTARGS_PA + BOOTARGS_HEADER, text, len + 1) != 0) {
		board_set_err(err, errlen, "boot arguments: no RAM at physical 0x%08x",
			BOOTARGS_PA);
		return -1;
	}
	/* Kept for the trace header: a capture must say how the hypervisor
	 * was started (which guest images, crashme's seed) to be decoded. */
	char *copy = strdup(text);
	if (!copy) {
		board_set_err(err, errlen, "boot arguments: out of memory");
		return -1;
	}
	free(sim->bootargs);
	sim->bootargs = copy;
	return 0;
}

void vzsim_set_jit(vzsim *sim, unsigned hot)
{
	sim->cpu->jit.hot = jit_available() ? hot : 0;
	if (!hot)
		jit_flush(sim->cpu); /* off: what was compiled runs no more */
}

bool vzsim_jit_available(void)
{
	return jit_available();
}
