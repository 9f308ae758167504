/*
 * The reference hypervisor's shared definitions: CP0 access, the vcpu
 * (one per guest), and the functions each file provides.  Vocabulary
 * follows Linux KVM/MIPS VZ (arch/mips/kvm/vz.c): vcpu_load/vcpu_put
 * around a guest's time on the CPU, exit dispatch on Cause.ExcCode and
 * GuestCtl0.GExcCode, guest TLB save/restore.
 */
#ifndef HV_HV_H
#define HV_HV_H

#include <stddef.h>
#include <stdint.h>

#include <mips/cp0.h>
#include <mips/exc.h>
#include <vzsoak/utm.h>

#include <vzsoak/bootargs_parse.h>
#include <vzsoak/uart16550.h>
#include "vcpu_regs.h"

/* ---------------------------------------------------------- CP0 access */
/* Root CP0: read_c0/write_c0.  Guest CP0 (the context the running guest
 * sees): read_gc0/write_gc0 (<mips/cp0.h>, with the registers and bits). */

/* Root registers by name. */
#define read_c0_index()        read_c0(CP0_INDEX)
#define write_c0_index(v)      write_c0(CP0_INDEX, v)
#define write_c0_entrylo0(v)   write_c0(CP0_ENTRYLO0, v)
#define write_c0_entrylo1(v)   write_c0(CP0_ENTRYLO1, v)
#define write_c0_pagemask(v)   write_c0(CP0_PAGEMASK, v)
#define read_c0_badvaddr()     read_c0(CP0_BADVADDR)
#define read_c0_badinstr()     read_c0(CP0_BADINSTR)
#define read_c0_badinstrp()    read_c0(CP0_BADINSTRP)
#define read_c0_count()        read_c0(CP0_COUNT)
#define read_c0_entryhi()      read_c0(CP0_ENTRYHI)
#define write_c0_entryhi(v)    write_c0(CP0_ENTRYHI, v)
#define read_c0_guestctl1()    read_c0(CP0_GUESTCTL1)
#define write_c0_guestctl1(v)  write_c0(CP0_GUESTCTL1, v)
#define read_c0_guestctl2()    read_c0(CP0_GUESTCTL2)
/* GuestCtl2.VIP (bits 15:10): the virtual interrupt lines guest IP2..IP7,
 * bit 10 for IP2: the doorbell's (irq.c) and a Linux guest's UART's
 * (vuart.c). */
#define GC2_VIP_SHIFT          10
#define GC2_VIP(ip)            (1u << (GC2_VIP_SHIFT + (ip) - 2))
/* The guest interrupt line of a Linux guest's UART; its tree says so. */
#define VUART_IP               2
#define write_c0_guestctl2(v)  write_c0(CP0_GUESTCTL2, v)
#define write_c0_guestctl0ext(v) write_c0(CP0_GUESTCTL0EXT, v)
#define write_c0_compare(v)    write_c0(CP0_COMPARE, v)
#define read_c0_status()       read_c0(CP0_STATUS)
#define write_c0_status(v)     write_c0(CP0_STATUS, v)
#define read_c0_guestctl0()    read_c0(CP0_GUESTCTL0)
#define write_c0_guestctl0(v)  write_c0(CP0_GUESTCTL0, v)
#define read_c0_gtoffset()     read_c0(CP0_GTOFFSET)
#define write_c0_gtoffset(v)   write_c0(CP0_GTOFFSET, v)
#define read_c0_cause()        read_c0(CP0_CAUSE)
#define read_c0_config1()      read_c0(CP0_CONFIG1)
#define write_c0_tracecontrol(v) write_c0(CP0_TRACECONTROL, v)
#define write_c0_usertracedata1(v) write_c0(CP0_USERTRACEDATA1, v)

#define GC1_RID(id)	((uint32_t)(id) << GC1_RID_SHIFT)

static inline void tlbp(void)   { __asm__ volatile("tlbp\n\tehb" ::: "memory"); }
static inline void tlbwi(void)  { __asm__ volatile("tlbwi\n\tehb" ::: "memory"); }
static inline void tlbgp(void)  { __asm__ volatile("tlbgp\n\tehb" ::: "memory"); }
static inline void tlbgr(void)  { __asm__ volatile("tlbgr\n\tehb" ::: "memory"); }
static inline void tlbgwi(void) { __asm__ volatile("tlbgwi\n\tehb" ::: "memory"); }

/* ---------------------------------------------------------- memory */
/* Each guest owns a window of physical memory (vcpu win_pa, win_size),
 * its guest-physical addresses 0..win_size: 16 MiB for the built-in
 * images, linux-mem for Linux guests, one after the other from 16 MiB up
 * (main.c), so that without Linux guest g's is at g x 16 MiB. */
#define HV_WINDOW_SIZE	0x01000000u
/* The board's RAM, which the windows must fit in (vzsim's most). */
#define HV_RAM_END	0x10000000u
/* Root reaches physical memory below 512 MiB through kseg0. */
#define PA_TO_KSEG0(pa)	((void *)(uintptr_t)(0x80000000u | (pa)))
#define KSEG0_TO_PA(p)	((uint32_t)(uintptr_t)(p) & 0x1fffffffu)
/* Where guest images start running: guest kseg0, past their vectors. */
#define GUEST_ENTRY	0x80000400u

/* ---------------------------------------------------------- the vcpu */
/* The guest CP0 registers a world switch carries (vcpu.c). */
struct guest_cp0 {
	uint32_t index, entrylo0, entrylo1, context, contextconfig, userlocal;
	uint32_t pagemask, pagegrain, wired, hwrena, badvaddr, entryhi;
	uint32_t compare, status, intctl, cause, epc, ebase, config0;
	uint32_t errorepc, kscratch[6];
};

/* Exits by kind, for the statistics table. */
enum hv_exit_kind {
	HV_EXIT_GPSI, HV_EXIT_GSFC, HV_EXIT_HC, HV_EXIT_GRR, HV_EXIT_GPA,
	HV_EXIT_TIMER, HV_EXIT_OTHER, HV_EXIT_KINDS
};

struct vcpu_stats {
	uint32_t ticks;                 /* root Count ticks spent in the guest */
	uint32_t exits[HV_EXIT_KINDS];
	uint32_t preemptions;           /* timer slices that ended */
	uint32_t tlb_handler;           /* switched out inside a TLB handler */
	uint32_t aim_extended;          /* sched=aim: slices continued, not a handler */
	uint32_t preserved;             /* critical-section entries saved */
	uint32_t restored;              /* ... and put back (evicted meanwhile) */
	uint32_t heartbeats;
	uint32_t delay_slot;             /* emulated exits in a branch delay slot */
	uint32_t wired_restored;        /* wired entries written back at load */
	uint32_t doorbells;             /* doorbells rung (irq.c) */
	uint32_t moves;                 /* moves of its moving page (gpa.c) */
};

/* A guest TLB entry saved by the critical-section fix (preserve.c). */
struct saved_tlb {
	int valid;
	uint32_t index, entryhi, entrylo0, entrylo1, pagemask;
};

/* A guest's wired TLB entry, kept while it is switched out (vcpu.c). */
struct wired_tlb {
	int valid;                      /* read back with this guest's ID */
	uint32_t entryhi, entrylo0, entrylo1, pagemask;
};
/* Wired entries saved per guest: the first HV_MAX_WIRED of guest Wired. */
#define HV_MAX_WIRED	8

enum vcpu_state { VCPU_RUNNABLE, VCPU_STOPPED };



struct guest_image;

struct vcpu {
	/* Read and written by start.S: keep first (vcpu_regs.h). */
	uint32_t gpr[32];
	uint32_t hi, lo;
	uint32_t pc;
	uint32_t load_count;            /* root Count just before its eret */
	uint32_t exit_count;            /* root Count at its last exit vector */
	uint32_t switched_in;           /* root Count when the scheduler chose it */

	unsigned id;                    /* GuestID, 1..8 */
	uint32_t win_pa, win_size;      /* its window of physical memory */
	int is_linux;                   /* runs the staged Linux kernel */
	struct uart16550 uart;           /* its console UART's registers (vuart.c) */
	enum vcpu_state state;
	const struct guest_image *image;
	struct guest_cp0 cp0;
	uint32_t guest_count;           /* guest Count when it was put */
	uint32_t guestctl2;             /* pending virtual interrupts */
	struct saved_tlb saved_tlb;
	struct wired_tlb wired[HV_MAX_WIRED];
	unsigned nwired;                /* entries of wired[] in use */
	/* The doorbell (hypercall 9, irq.c): raise guest IP2 at root Count
	 * doorbell_at, once armed; raised: IP2 is up until the guest acks. */
	int doorbell_armed;
	uint32_t doorbell_at;
	/* The moving page (gpa.c): which of its two frames holds it, and the
	 * loads until it moves again. */
	unsigned move_frame;
	unsigned move_countdown;
	struct vcpu_stats stats;
	char line[240];                 /* console line being assembled (a kernel's are long) */
	unsigned line_len;
};

_Static_assert(offsetof(struct vcpu, gpr) == VCPU_GPR(0), "vcpu layout");
_Static_assert(offsetof(struct vcpu, hi) == VCPU_HI, "vcpu layout");
_Static_assert(offsetof(struct vcpu, lo) == VCPU_LO, "vcpu layout");
_Static_assert(offsetof(struct vcpu, pc) == VCPU_PC, "vcpu layout");
_Static_assert(offsetof(struct vcpu, load_count) == VCPU_LOAD_COUNT, "vcpu layout");
_Static_assert(offsetof(struct vcpu, exit_count) == VCPU_EXIT_COUNT, "vcpu layout");

/* Guest images embedded at build time (guests.S). */
struct guest_image {
	const char *name;
	const uint8_t *start, *end;
};
extern const struct guest_image hv_images[];
extern const unsigned hv_nimages;

/* ---------------------------------------------------------- globals */
extern struct hv_args hv_args;
extern struct vcpu hv_vcpus[HV_MAX_GUESTS];
extern unsigned hv_nvcpus;
extern struct vcpu *hv_current;   /* the vcpu start.S saves into */

/* The GuestID that tags a guest's TLB entries (GuestCtl1.ID and, for
 * root's TLB operations on them, RID): its number, except with
 * inject=guestid-reuse, where guest 2 is given guest 1's, as a
 * hypervisor that recycles a GuestID still in use would. */
static inline unsigned vcpu_guestid(const struct vcpu *v)
{
	if (HV_INJECTED(&hv_args, HV_INJECT_GUESTID_REUSE) && v->id == 2)
		return 1;
	return v->id;
}

/* GuestCtl1 while guest v runs: ID its GuestID, RID 0 (root's own). */
static inline void guestctl1_run(const struct vcpu *v)
{
	write_c0_guestctl1(vcpu_guestid(v));
}

/* GuestCtl1 for root's TLB operations on v's entries: RID its GuestID
 * too (tlbgp/tlbgwi match and write, tlbp/tlbwi tag root entries). */
static inline void guestctl1_tlb_ops(const struct vcpu *v)
{
	unsigned g = vcpu_guestid(v);
	write_c0_guestctl1(GC1_RID(g) | g);
}

/* ---------------------------------------------------------- functions */
/* start.S */
void __attribute__((noreturn)) hv_enter_guest(struct vcpu *v);

/* console.c */
void hv_putc(char c);
void hv_puts(const char *s);
void hv_put_hex(uint32_t v);
void hv_put_dec(uint32_t v);
void hv_put_dec_w(uint32_t v, unsigned width);
void hv_put_str_w(const char *s, unsigned width);
void hv_printf(const char *fmt, ...);
void guest_console_write(struct vcpu *v, const char *buf, unsigned len);
void guest_console_flush(struct vcpu *v);

/* vcpu.c */
void vcpu_init(struct vcpu *v, unsigned id, const struct guest_image *img);
void vcpu_load(struct vcpu *v);
void vcpu_put(struct vcpu *v);
void vcpu_stop(struct vcpu *v, const char *why);
void vcpu_dump(const struct vcpu *v);

/* irq.c */
void irq_doorbell(struct vcpu *v, uint32_t ticks);
void irq_ack(struct vcpu *v);
void irq_tick(struct vcpu *v);
uint32_t irq_pending_at_put(uint32_t guestctl2);

/* linux_guest.c */
int linux_guest_setup(struct vcpu *v);

/* vuart.c */
uint8_t vuart_read(struct vcpu *v, unsigned reg);
void vuart_write(struct vcpu *v, unsigned reg, uint8_t val);

/* gpa.c */
void gpa_init(void);
int gpa_handle_fault(struct vcpu *v, uint32_t gpa);
void *gpa_to_root(const struct vcpu *v, uint32_t gva, uint32_t len);
void gpa_move_page(struct vcpu *v);

/* exit.c */
struct vcpu *hv_handle_exit(struct vcpu *v);
void hv_root_fault(void);

/* sched.c */
void sched_init(void);
void sched_start_slice(void);
struct vcpu *sched_next(struct vcpu *prev);
int sched_should_preempt(struct vcpu *v);
uint32_t sched_rand(void);
void sched_check_runtime(void);
uint32_t sched_elapsed(void);

/* hypercall.c */
enum hc_result { HCR_CONTINUE, HCR_YIELD, HCR_STOPPED };
enum hc_result hypercall(struct vcpu *v, unsigned code);

/* preserve.c */
void preserve_on_put(struct vcpu *v);
void preserve_on_load(struct vcpu *v);

/* trace.c */
void trace_init(void);
void trace_vcpu_entry(const struct vcpu *v);
void trace_vcpu_exit(const struct vcpu *v, uint32_t code);
void trace_msg(unsigned kind, unsigned gid, const uint32_t *payload, unsigned n);

/* stats.c */
void stats_print(void);
void stats_exit_cost(enum hv_exit_kind kind, uint32_t ticks);
extern uint32_t hv_guest_switches;

/* status.c (include/vzsoak/status.h) */
#include <vzsoak/status.h>
void status_init(void);
void status_set_state(enum status_state s);
void status_guest_init(const struct vcpu *v);
void status_heartbeat(const struct vcpu *v, uint32_t value);
void status_anomaly(const struct vcpu *v, uint32_t code, uint32_t detail);
void status_stopped(const struct vcpu *v, uint32_t exit_status, int killed);
void status_kstats(const struct vcpu *v, uint32_t gpa, uint32_t words);
void status_sync(const struct vcpu *v);
void status_switched_in(const struct vcpu *v);

/* main.c */
void __attribute__((noreturn)) hv_finish(void);

/* lib.c (the compiler may call memcpy/memset itself) */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int hv_streq(const char *a, const char *b);
uint32_t hv_div64(uint64_t n, uint32_t d);

#endif
