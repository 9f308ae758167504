/*
 * kvmprobe: a Linux user program for the KVM initramfs (make linux-kvm,
 * docs/linux-kvm.md).  It asks /dev/kvm what it has, creates a VZ virtual
 * machine and one vCPU (KVM then enables VZ on the CPU: GuestCtl0, the
 * GuestID, the guest TLB's size; and sets up the vCPU's guest CP0), prints
 * the guest registers KVM presents, and runs a small guest to its end.
 *
 * The guest (guest_code below, at the guest's reset vector 0xbfc00000,
 * guest physical 0x1fc00000) writes a line to the UART's transmit register
 * (guest physical 0x180003f8), reports some of its own CP0 registers by
 * writing them to the FPGA's ASCIIWORD register (0x1f000410), maps a page
 * with its own TLB and reads it through the mapping, makes a hypercall,
 * waits for its timer's interrupt, and writes 0x42 to the reset register
 * (0x1f000500).  No memory slot covers those device addresses, so each
 * access leaves KVM_RUN as an MMIO exit that this program answers.  An
 * exception other than the timer's interrupt reports its Cause, EPC and
 * BadVAddr to ASCIIPOS0 (0x1f000418) and writes 0xee instead.
 *
 * Freestanding (the cross compiler has no mipsel C library): o32 system
 * calls, the kernel's own UAPI headers (<linux/kvm.h>).  Exit status 0
 * when every step worked and the guest ended with 0x42.
 */
#include <linux/kvm.h>

#define NR_exit_group 4246
#define NR_read 4003
#define NR_write 4004
#define NR_open 4005
#define NR_close 4006
#define NR_ioctl 4054
#define NR_mmap2 4210

/* An o32 system call: number in v0, arguments in a0..a3 and the stack's
 * fifth and sixth words; a3 != 0 on return means v0 is an errno. */
static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	register long v0 __asm__("$2") = n;
	register long a0 __asm__("$4") = a;
	register long a1 __asm__("$5") = b;
	register long a2 __asm__("$6") = c;
	register long a3 __asm__("$7") = d;
	__asm__ volatile("addiu $sp, $sp, -32\n\t"
			 "sw %5, 16($sp)\n\t"
			 "sw %6, 20($sp)\n\t"
			 "syscall\n\t"
			 "addiu $sp, $sp, 32"
			 : "+r"(v0), "+r"(a3), "+r"(a0), "+r"(a1), "+r"(a2)
			 : "r"(e), "r"(f)
			 : "$1", "$3", "$8", "$9", "$10", "$11", "$12", "$13",
			   "$14", "$15", "$24", "$25", "hi", "lo", "memory");
	return a3 ? -v0 : v0;
}

static long sys3(long n, long a, long b, long c)
{
	return sys6(n, a, b, c, 0, 0, 0);
}

/* What the compiler may call even in a freestanding program. */
void *memset(void *d, int c, unsigned long n);
void *memcpy(void *d, const void *s, unsigned long n);
void *memset(void *d, int c, unsigned long n)
{
	unsigned char *p = d;
	while (n--)
		*p++ = (unsigned char)c;
	return d;
}
void *memcpy(void *d, const void *s, unsigned long n)
{
	unsigned char *p = d;
	const unsigned char *q = s;
	while (n--)
		*p++ = *q++;
	return d;
}

static unsigned long slen(const char *s)
{
	unsigned long n = 0;
	while (s[n])
		n++;
	return n;
}

static void out(const char *s)
{
	sys3(NR_write, 1, (long)s, (long)slen(s));
}

static void out_hex(unsigned long v)
{
	char b[11] = "0x";
	for (int i = 0; i < 8; i++)
		b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
	b[10] = 0;
	out(b);
}

static void out_dec(long v)
{
	char b[12];
	int i = 11;
	unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;
	b[i] = 0;
	do {
		b[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		b[--i] = '-';
	out(b + i);
}

static int failed;

/* One line "kvmprobe: WHAT = R", R an errno when negative. */
static long check(const char *what, long r)
{
	out("kvmprobe: ");
	out(what);
	out(" = ");
	out_dec(r);
	out(r < 0 ? " (failed)\n" : "\n");
	if (r < 0)
		failed = 1;
	return r;
}

static __attribute__((noreturn)) void leave(int status)
{
	sys3(NR_exit_group, status, 0, 0);
	for (;;)
		;
}

/* The guest, copied to the start of its memory (guest physical
 * 0x1fc00000, kseg1 0xbfc00000, where a vCPU starts).  It runs in guest
 * kernel mode with Status.BEV and ERL set, so its exception vectors are in
 * this same page (0x200 refill, 0x380 general, 0x400 interrupt). */
extern const char guest_code[], guest_code_end[];
__asm__(
	".pushsection .rodata.kvmguest, \"a\"\n"
	".balign 16\n"
	".globl guest_code, guest_code_end\n"
	".set push\n"
	".set noreorder\n"
	".set mips32r2\n"
	".set virt\n"
	"guest_code:\n"
	"	lui	$8, 0xb800\n"		/* t0: the UART (0x180003f8) */
	"	lui	$9, 0xbf00\n"		/* t1: the FPGA (0x1f000000) */
	"	bal	1f\n"
	"	 nop\n"
	"1:	addiu	$10, $31, 9f - 1b\n"	/* t2: the message */
	"2:	lbu	$11, 0($10)\n"
	"	beqz	$11, 3f\n"
	"	 addiu	$10, $10, 1\n"
	"	b	2b\n"
	"	 sb	$11, 0x3f8($8)\n"
	"3:	mfc0	$11, $15, 0\n"		/* PRId */
	"	sw	$11, 0x410($9)\n"
	"	mfc0	$11, $16, 1\n"		/* Config1 */
	"	sw	$11, 0x410($9)\n"
	"	mfc0	$11, $16, 3\n"		/* Config3 */
	"	sw	$11, 0x410($9)\n"
	"	mfc0	$11, $12, 0\n"		/* Status */
	"	sw	$11, 0x410($9)\n"
	/* Its own TLB: virtual 0x00400000 (even page) -> guest physical
	 * 0x1fc00000, this page, cached, valid; then a load through it must
	 * read this code's first word. */
	"	mtc0	$0, $0, 0\n"		/* Index 0 */
	"	lui	$11, 0x0040\n"
	"	mtc0	$11, $10, 0\n"		/* EntryHi: VPN2 0x00400000, ASID 0 */
	"	li	$11, (0x1fc00000 >> 12 << 6) | (3 << 3) | 2\n"
	"	mtc0	$11, $2, 0\n"		/* EntryLo0: PFN, C=3, V */
	"	mtc0	$0, $3, 0\n"		/* EntryLo1: invalid */
	"	mtc0	$0, $5, 0\n"		/* PageMask: 4K */
	"	ehb\n"
	"	tlbwi\n"
	"	ehb\n"
	"	lui	$11, 0x0040\n"
	"	mtc0	$11, $12, 0\n"		/* Status: BEV only; ERL off, kuseg mapped */
	"	ehb\n"
	"	lui	$10, 0x0040\n"
	"	lw	$11, 0($10)\n"
	"	sw	$11, 0x410($9)\n"	/* the first word of guest_code */
	/* A hypercall (a guest exit to KVM): number 6 is not one 6.1
	 * implements, so v0 comes back as -KVM_ENOSYS (-1000). */
	"	li	$2, 6\n"
	"	hypcall\n"
	"	sw	$2, 0x410($9)\n"
	/* The guest timer: Compare 20000 counts ahead, IM7 and IE on, wait
	 * (a guest exit: KVM blocks the vCPU until the timer is due and
	 * injects its interrupt); the handler at 0x380 reports Cause, acks
	 * the timer and returns after the wait. */
	"	mfc0	$11, $9, 0\n"		/* Count */
	"	li	$12, 20000\n"
	"	addu	$11, $11, $12\n"
	"	mtc0	$11, $11, 0\n"		/* Compare */
	"	li	$11, 0x00408001\n"	/* BEV, IM7, IE */
	"	mtc0	$11, $12, 0\n"
	"	ehb\n"
	"	wait\n"
	"	mfc0	$11, $12, 0\n"		/* Status after the handler's eret */
	"	sw	$11, 0x410($9)\n"
	"	li	$11, 0x42\n"
	"	sw	$11, 0x500($9)\n"	/* done */
	"4:	b	4b\n"
	"	 nop\n"
	"9:	.asciz	\"hello from a guest of KVM on vzsim\\n\"\n"
	"	.org	guest_code + 0x200\n"	/* TLB refill */
	"	b	5f\n"
	"	 nop\n"
	"	.org	guest_code + 0x380\n"	/* general */
	"5:	lui	$9, 0xbf00\n"
	"	mfc0	$11, $13, 0\n"		/* Cause */
	"	andi	$12, $11, 0x7c\n"
	"	bnez	$12, 6f\n"		/* not an interrupt */
	"	 nop\n"
	"	sw	$11, 0x410($9)\n"	/* Cause: TI, IP7 */
	"	mfc0	$12, $11, 0\n"
	"	mtc0	$12, $11, 0\n"		/* ack: write Compare */
	"	li	$12, 0x00400002\n"	/* BEV, EXL: IE off after eret */
	"	mtc0	$12, $12, 0\n"
	"	ehb\n"
	"	eret\n"
	"6:	sw	$11, 0x418($9)\n"	/* anything else: Cause */
	"	mfc0	$11, $14, 0\n"		/* EPC */
	"	sw	$11, 0x418($9)\n"
	"	mfc0	$11, $8, 0\n"		/* BadVAddr */
	"	sw	$11, 0x418($9)\n"
	"	li	$11, 0xee\n"
	"	sw	$11, 0x500($9)\n"
	"7:	b	7b\n"
	"	 nop\n"
	"	.org	guest_code + 0x400\n"	/* interrupt */
	"	b	5b\n"
	"	 nop\n"
	"guest_code_end:\n"
	".set pop\n"
	".popsection\n");

#define GUEST_BASE 0x1fc00000u
#define GUEST_SIZE 0x10000u
static unsigned char guest_mem[GUEST_SIZE] __attribute__((aligned(4096)));

static unsigned long get_reg(int vcpu, const char *name, __u64 id)
{
	/* A 64-bit register (KVM_REG_SIZE_U64) holds the 32-bit value sign
	 * extended; the low word comes first (little endian). */
	__u32 v[2] = { 0, 0 };
	struct kvm_one_reg r = { .id = id, .addr = (unsigned long)v };
	long rc = sys3(NR_ioctl, vcpu, KVM_GET_ONE_REG, (long)&r);
	out("kvmprobe: guest ");
	out(name);
	out(" = ");
	if (rc < 0) {
		out_dec(rc);
		out(" (failed)\n");
		failed = 1;
	} else {
		out_hex(v[0]);
		out("\n");
	}
	return v[0];
}

#define CP0(r, s) (KVM_REG_MIPS_CP0 | KVM_REG_SIZE_U32 | (8 * (r) + (s)))
#define CP0_64(r, s) (KVM_REG_MIPS_CP0 | KVM_REG_SIZE_U64 | (8 * (r) + (s)))

/* KVM's exit counters (debugfs, summed over the virtual machines that
 * exist: read while ours does); those that are not 0. */
static void kvm_stats(void)
{
	static const char *const names[] = {
		"wait_exits", "cache_exits", "signal_exits", "int_exits",
		"cop_unusable_exits", "tlbmod_exits", "tlbmiss_ld_exits",
		"tlbmiss_st_exits", "addrerr_st_exits", "addrerr_ld_exits",
		"syscall_exits", "resvd_inst_exits", "break_inst_exits",
		"trap_inst_exits", "fpe_exits", "flush_dcache_exits",
		"vz_gpsi_exits", "vz_gsfc_exits", "vz_hc_exits", "vz_grr_exits",
		"vz_gva_exits", "vz_ghfc_exits", "vz_gpa_exits", "vz_resvd_exits",
	};
	for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
		char path[64] = "/sys/kernel/debug/kvm/", buf[24];
		unsigned n = slen(path);
		for (const char *q = names[i]; *q && n < sizeof path - 1; q++)
			path[n++] = *q;
		path[n] = 0;
		long fd = sys3(NR_open, (long)path, 0 /* O_RDONLY */, 0);
		if (fd < 0) {
			check(path, fd);
			return;
		}
		long r = sys3(NR_read, fd, (long)buf, sizeof buf - 1);
		sys3(NR_close, fd, 0, 0);
		if (r <= 0 || (r >= 1 && buf[0] == '0'))
			continue;
		buf[r] = 0;
		out("kvmprobe: KVM stat ");
		out(names[i]);
		out(" = ");
		out(buf); /* ends with a newline */
	}
}

static void run_guest(int vcpu, struct kvm_run *run)
{
	char line[128];
	unsigned n = 0;
	for (int exits = 1; exits <= 1000; exits++) {
		long rc = sys3(NR_ioctl, vcpu, KVM_RUN, 0);
		if (rc < 0) {
			check("KVM_RUN", rc);
			return;
		}
		if (run->exit_reason == KVM_EXIT_INTR)
			continue;
		if (run->exit_reason != KVM_EXIT_MMIO) {
			out("kvmprobe: KVM_RUN exit reason ");
			out_dec(run->exit_reason);
			out(" (failed)\n");
			failed = 1;
			return;
		}
		__u64 pa = run->mmio.phys_addr;
		__u32 v = 0;
		for (unsigned i = 0; i < run->mmio.len && i < 4; i++)
			v |= (__u32)run->mmio.data[i] << (8 * i);
		if (!run->mmio.is_write) {
			for (unsigned i = 0; i < 8; i++)
				run->mmio.data[i] = 0;
			continue; /* reads see 0 */
		}
		if (pa == 0x180003f8u) {
			/* The guest's console, a line at a time. */
			if (v != '\n' && n < sizeof line - 1) {
				line[n++] = (char)v;
				continue;
			}
			line[n] = 0;
			n = 0;
			out("kvmprobe: guest console: ");
			out(line);
			out("\n");
		} else if (pa == 0x1f000410u || pa == 0x1f000418u) {
			/* What the guest reports, in its order. */
			static const char *const what[] = {
				"its PRId", "its Config1", "its Config3", "its Status",
				"the word its TLB mapping reads", "v0 after its hypercall",
				"Cause in its timer's interrupt", "Status after that eret",
			};
			static const char *const exc[] = { "Cause", "EPC", "BadVAddr" };
			static unsigned nwhat, nexc;
			out("kvmprobe: guest reports ");
			if (pa == 0x1f000418u) {
				out("an exception: ");
				out(nexc < 3 ? exc[nexc++] : "?");
				failed = 1;
			} else {
				out(nwhat < sizeof what / sizeof what[0] ? what[nwhat++] : "?");
			}
			out(" = ");
			out_hex(v);
			out("\n");
		} else if (pa == 0x1f000500u) {
			out("kvmprobe: guest wrote ");
			out_hex(v);
			out(" to the reset register after ");
			out_dec(exits);
			out(" exits to user space\n");
			if (v != 0x42)
				failed = 1;
			return;
		} else {
			out("kvmprobe: guest wrote ");
			out_hex(v);
			out(" to ");
			out_hex((unsigned long)pa);
			out(" (failed)\n");
			failed = 1;
			return;
		}
	}
	out("kvmprobe: guest still running after 1000 exits (failed)\n");
	failed = 1;
}

static __attribute__((noreturn, used)) void kvmprobe_main(void)
{
	long kvm = check("open /dev/kvm", sys3(NR_open, (long)"/dev/kvm", 2 /* O_RDWR */, 0));
	if (kvm < 0)
		leave(1);
	check("KVM_GET_API_VERSION", sys3(NR_ioctl, kvm, KVM_GET_API_VERSION, 0));
	check("KVM_CHECK_EXTENSION(KVM_CAP_MIPS_VZ)",
	      sys3(NR_ioctl, kvm, KVM_CHECK_EXTENSION, KVM_CAP_MIPS_VZ));
	long size = check("KVM_GET_VCPU_MMAP_SIZE", sys3(NR_ioctl, kvm, KVM_GET_VCPU_MMAP_SIZE, 0));
	long vm = check("KVM_CREATE_VM(KVM_VM_MIPS_VZ)",
			sys3(NR_ioctl, kvm, KVM_CREATE_VM, KVM_VM_MIPS_VZ));
	if (vm < 0 || size < 0)
		leave(1);
	long vcpu = check("KVM_CREATE_VCPU(0)", sys3(NR_ioctl, vm, KVM_CREATE_VCPU, 0));
	if (vcpu < 0)
		leave(1);
	get_reg(vcpu, "PRId", CP0(15, 0));
	get_reg(vcpu, "EBase", CP0_64(15, 1));
	get_reg(vcpu, "Config", CP0(16, 0));
	unsigned long c1 = get_reg(vcpu, "Config1", CP0(16, 1));
	get_reg(vcpu, "Config2", CP0(16, 2));
	get_reg(vcpu, "Config3", CP0(16, 3));
	unsigned long c4 = get_reg(vcpu, "Config4", CP0(16, 4));
	get_reg(vcpu, "Config5", CP0(16, 5));
	get_reg(vcpu, "Status", CP0(12, 0));
	get_reg(vcpu, "IntCtl", CP0(12, 1));
	/* Entries - 1: Config1.MMUSize, and Config4.MMUSizeExt above it when
	 * Config4.MMUExtDef is 1. */
	unsigned long tlb = (c1 >> 25) & 63;
	if (((c4 >> 14) & 3) == 1)
		tlb |= (c4 & 0xff) << 6;
	out("kvmprobe: guest TLB: ");
	out_dec((long)tlb + 1);
	out(" entries\n");

	for (const char *p = guest_code; p < guest_code_end; p++)
		guest_mem[p - guest_code] = (unsigned char)*p;
	struct kvm_userspace_memory_region mem = {
		.slot = 0,
		.guest_phys_addr = GUEST_BASE,
		.memory_size = GUEST_SIZE,
		.userspace_addr = (unsigned long)guest_mem,
	};
	check("KVM_SET_USER_MEMORY_REGION(0x1fc00000, 64 KiB)",
	      sys3(NR_ioctl, vm, KVM_SET_USER_MEMORY_REGION, (long)&mem));
	long p = sys6(NR_mmap2, 0, size, 3 /* PROT_READ|PROT_WRITE */, 1 /* MAP_SHARED */,
		      vcpu, 0);
	if (p < 0 && p > -4096) {
		check("mmap(vCPU)", p);
		leave(1);
	}
	run_guest((int)vcpu, (struct kvm_run *)p);
	kvm_stats();
	out(failed ? "kvmprobe: FAILED\n" : "kvmprobe: ok\n");
	leave(failed);
}

/* The entry point: the kernel leaves sp at argc; nothing else is needed. */
__asm__(".text\n"
	".globl __start\n"
	".set push\n"
	".set noreorder\n"
	"__start:\n"
	"	addiu	$sp, $sp, -32\n"
	"	jal	kvmprobe_main\n"
	"	 nop\n"
	".set pop\n");
