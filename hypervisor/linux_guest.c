/*
 * linux_guest.c: a Linux guest's boot (image `linux`, docs/linux.md).
 *
 * The kernel (an ELF such as Debian's vmlinuz) and its initramfs are
 * staged in RAM before the hypervisor starts (linux-kernel, linux-initrd:
 * a newc cpio archive, whose end is its trailer); each Linux guest gets
 * its own copy in its window:
 * the kernel's segments at their kseg0 addresses, the initramfs at the top
 * of its RAM, below it the device tree of its virtual board
 * (<vzsoak/linux_dt.h>, the board vzsim --linux describes too), and the
 * registers of a UHI boot: a0 = -2, a1 = the tree, a2 = a3 = 0.
 *
 * The board is the guest's window as RAM at GPA 0, the CPU's interrupt
 * controller, the guest timer (its Count, at the root Count's rate), the
 * console UART (its interrupt on guest IP2) and the reset register, both
 * emulated by exit.c on the guest's accesses (vuart.c).
 */
#include <vzsoak/linux_dt.h>

#include "hv.h"

#define PAGE		4096u
#define DTB_MAX		(8u << 10)

/* ELF32, little-endian, as much of it as a loader needs. */
struct elf32_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elf32_phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};
#define PT_LOAD		1u
#define EM_MIPS		8u
/* What the staged kernel may span (bootargs.def: 6 MiB). */
#define KERNEL_MAX	(6u << 20)

/* Copies and clears by words where both ends allow (megabytes here). */
static void copy(uint8_t *dst, const uint8_t *src, uint32_t n)
{
	if (!(((uintptr_t)dst | (uintptr_t)src | n) & 3)) {
		uint32_t *d = (uint32_t *)dst;
		const uint32_t *s = (const uint32_t *)src;
		for (uint32_t i = 0; i < n / 4; i++)
			d[i] = s[i];
	} else {
		memcpy(dst, src, n);
	}
}

static void clear(uint8_t *dst, uint32_t n)
{
	while (n && ((uintptr_t)dst & 3)) {
		*dst++ = 0;
		n--;
	}
	for (uint32_t i = 0; i < n / 4; i++)
		((uint32_t *)dst)[i] = 0;
	for (uint32_t i = n & ~3u; i < n; i++)
		dst[i] = 0;
}

/* Appends s at *p (within end); the command line is built here. */
static void put_str(char **p, char *end, const char *s)
{
	while (*s && *p < end - 1)
		*(*p)++ = *s++;
	**p = 0;
}

static void put_num(char **p, char *end, uint32_t v, unsigned width)
{
	char d[10];
	unsigned n = 0;
	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width)
		d[n++] = '0';
	while (n && *p < end - 1)
		*(*p)++ = d[--n];
	**p = 0;
}

/* Loads the staged kernel into v's window; its entry, or 0 if it is not
 * an ELF the guest can run (said why). */
static uint32_t load_kernel(struct vcpu *v, uint32_t limit)
{
	const uint8_t *img = PA_TO_KSEG0(hv_args.linux_kernel);
	const struct elf32_ehdr *eh = (const void *)img;
	if (!hv_args.linux_kernel || eh->ident[0] != 0x7f || eh->ident[1] != 'E' ||
	    eh->ident[2] != 'L' || eh->ident[3] != 'F' || eh->ident[4] != 1 ||
	    eh->ident[5] != 1 || eh->machine != EM_MIPS || eh->phentsize != sizeof(struct elf32_phdr) ||
	    eh->phoff > KERNEL_MAX || eh->phnum > 16) {
		hv_printf("hv: g%u: no little-endian MIPS32 ELF kernel at physical %x "
			  "(linux-kernel)\n", v->id, hv_args.linux_kernel);
		return 0;
	}
	const struct elf32_phdr *ph = (const void *)(img + eh->phoff);
	for (unsigned i = 0; i < eh->phnum; i++) {
		if (ph[i].type != PT_LOAD || !ph[i].memsz)
			continue;
		uint32_t gpa = ph[i].vaddr & 0x1fffffffu;
		if (ph[i].vaddr < 0x80000000u || ph[i].vaddr >= 0xa0000000u ||
		    ph[i].filesz > ph[i].memsz || ph[i].memsz > limit || gpa > limit - ph[i].memsz ||
		    ph[i].offset > KERNEL_MAX || ph[i].filesz > KERNEL_MAX - ph[i].offset) {
			hv_printf("hv: g%u: kernel segment %u (%x, %x bytes) does not fit "
				  "below GPA %x\n", v->id, i, ph[i].vaddr, ph[i].memsz, limit);
			return 0;
		}
		uint8_t *dst = PA_TO_KSEG0(v->win_pa + gpa);
		copy(dst, img + ph[i].offset, ph[i].filesz);
		clear(dst + ph[i].filesz, ph[i].memsz - ph[i].filesz);
	}
	return eh->entry;
}

/* The length of the newc cpio archive at p (up to its trailer, with its
 * padding), 0 if there is none: the kernel unpacks no more. */
#define CPIO_HEADER	110u
#define CPIO_MAX	(6u << 20)

static uint32_t hex8(const uint8_t *p, int *bad)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < 8; i++) {
		uint8_t c = p[i];
		unsigned d = c >= '0' && c <= '9' ? c - '0'
			   : c >= 'A' && c <= 'F' ? c - 'A' + 10
			   : c >= 'a' && c <= 'f' ? c - 'a' + 10 : 16;
		if (d == 16)
			*bad = 1;
		v = v << 4 | (d & 15);
	}
	return v;
}

static uint32_t cpio_length(const uint8_t *p)
{
	static const char magic[] = "070701", trailer[] = "TRAILER!!!";
	uint32_t off = 0;
	while (off <= CPIO_MAX - CPIO_HEADER) {
		int bad = 0;
		for (unsigned i = 0; i < 6; i++)
			bad |= p[off + i] != (uint8_t)magic[i];
		uint32_t filesize = hex8(p + off + 6 + 6 * 8, &bad);
		uint32_t namesize = hex8(p + off + 6 + 11 * 8, &bad);
		if (bad || namesize > 4096 || filesize > CPIO_MAX)
			return 0;
		const uint8_t *name = p + off + CPIO_HEADER;
		uint32_t data = (off + CPIO_HEADER + namesize + 3) & ~3u;
		uint32_t next = (data + filesize + 3) & ~3u;
		if (next > CPIO_MAX)
			return 0;
		int last = namesize == sizeof trailer;
		for (unsigned i = 0; last && i < sizeof trailer; i++)
			last = name[i] == (uint8_t)trailer[i];
		if (last)
			return next;
		off = next;
	}
	return 0;
}

int linux_guest_setup(struct vcpu *v)
{
	v->is_linux = 1;
	/* The initramfs at the top of the guest's RAM, page-aligned; the
	 * tree below it. */
	uint32_t isize = hv_args.linux_initrd ? cpio_length(PA_TO_KSEG0(hv_args.linux_initrd)) : 0;
	uint32_t initrd = (v->win_size - isize) & ~(PAGE - 1);
	uint32_t dtb = initrd - DTB_MAX;
	if (!isize)
		hv_printf("hv: g%u: no newc cpio archive at physical %x (linux-initrd): "
			  "no initramfs\n", v->id, hv_args.linux_initrd);
	else
		copy(PA_TO_KSEG0(v->win_pa + initrd), PA_TO_KSEG0(hv_args.linux_initrd), isize);

	uint32_t entry = load_kernel(v, dtb);
	if (!entry)
		return -1;

	/* Each guest's crashme gets its own seed, its time budget as
	 * crashme's hh:mm:ss; nokaslr: the kernel stays where it was put. */
	static char cmdline[160];
	char *p = cmdline, *end = cmdline + sizeof cmdline;
	put_str(&p, end, "console=ttyS0 panic=-1 nokaslr run=");
	put_str(&p, end, hv_args.linux_run ? "none" : "crashme");
	put_str(&p, end, " crashme_seed=");
	put_num(&p, end, hv_args.seed + v->id, 1);
	put_str(&p, end, " crashme_time=");
	put_num(&p, end, hv_args.linux_time / 3600, 2);
	put_str(&p, end, ":");
	put_num(&p, end, hv_args.linux_time / 60 % 60, 2);
	put_str(&p, end, ":");
	put_num(&p, end, hv_args.linux_time % 60, 2);

	/* Guest Count runs at root Count's rate: one tick per CCRes
	 * cycles of the 1000 MHz clock (stats.c); Linux's generic platform
	 * takes the CP0 timer as half the CPU clock it is told. */
	uint32_t ccres;
	__asm__ volatile("rdhwr %0, $3" : "=r"(ccres));
	const struct linux_dt dt = {
		.ram_size = v->win_size,
		.cpu_clock_hz = 2u * (1000000000u / (ccres ? ccres : 1)),
		.cmdline = cmdline,
		.initrd_start = isize ? initrd : 0,
		.initrd_end = isize ? initrd + isize : 0,
		.uart_irq = VUART_IP,
	};
	if (!linux_dt_build(PA_TO_KSEG0(v->win_pa + dtb), DTB_MAX, &dt)) {
		hv_printf("hv: g%u: the device tree does not fit %u bytes\n", v->id, DTB_MAX);
		return -1;
	}
	v->pc = entry;
	v->gpr[4] = 0xfffffffeu;        /* a0: UHI */
	v->gpr[5] = 0x80000000u | dtb;  /* a1: the tree, guest kseg0 */
	v->gpr[6] = 0;
	v->gpr[7] = 0;
	hv_printf("hv: g%u: Linux, entry %x, %u MiB, initramfs %u bytes, \"%s\"\n",
		  v->id, entry, v->win_size >> 20, isize, cmdline);
	return 0;
}
