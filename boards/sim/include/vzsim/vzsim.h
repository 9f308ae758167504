/*
 * libvzsim: the simulated VZ board as a library.  Create a board, load ELF
 * images, run it for a number of instructions or until it stops, look at and
 * change its registers and memory, and attach an instruction sink.  The vzsim
 * CLI, the harness and the tests are all thin users of this interface.
 *
 * Errors: functions that can fail return 0 on success and -1 on failure with
 * a one-line message (no trailing newline) in the caller's err buffer.
 */
#ifndef VZSIM_H
#define VZSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct vzsim vzsim;

/* Why vzsim_run returned. */
enum vzsim_stop {
	VZSIM_STOP_BUDGET = 0, /* ran the number of instructions asked for    */
	VZSIM_STOP_RESET,      /* the program wrote 0x42 to the reset register */
	VZSIM_STOP_DEADLOCK,   /* WAIT with no interrupt able to wake the CPU  */
	VZSIM_STOP_REQUESTED,  /* vzsim_request_stop() (from a sink, a signal) */
	VZSIM_STOP_DEBUG,      /* the core is in EJTAG debug mode, waiting on the
				* probe (board option ejtag; vzsim_rbb_feed) */
};

struct vzsim_config {
	uint64_t ram_size; /* bytes at physical 0; default 256 MiB, max 256 MiB */
	uint64_t seed;     /* seeds Random and anything else not fixed       */
};

/* Fills in the defaults. */
void vzsim_config_init(struct vzsim_config *cfg);

vzsim *vzsim_new(const struct vzsim_config *cfg, char *err, size_t errlen);
void vzsim_free(vzsim *sim);

/*
 * Board options: the implementation-defined choices (docs/vzsim.md).  Set
 * them before running.  vzsim_board_opt_list() enumerates them for --help.
 */
struct vzsim_board_opt_info {
	const char *name;
	const char *values;   /* e.g. "wrap|invalid|unchanged" or "1..64"  */
	const char *fallback; /* the default value                          */
	const char *help;
};
int vzsim_board_opt(vzsim *sim, const char *name, const char *value, char *err,
		    size_t errlen);
const struct vzsim_board_opt_info *vzsim_board_opt_list(size_t *count);

/*
 * Loads the PT_LOAD segments of a little-endian MIPS32 ELF into physical
 * memory (kseg0/kseg1 addresses map to their physical address, kuseg
 * addresses are physical).  *entry receives the ELF entry point.
 */
int vzsim_load_elf(vzsim *sim, const char *path, uint32_t *entry, char *err,
		   size_t errlen);

/* Copies a file's bytes as they are into RAM at physical pa (a guest's
 * kernel for the hypervisor, say); -1 with a message if it does not fit. */
int vzsim_load_raw(vzsim *sim, const char *path, uint32_t pa, char *err, size_t errlen);


/*
 * Puts the CPU in its reset state (TLB entries invalid, Random at its top)
 * with PC = pc, Status.BEV set and, as QEMU's Malta does for a -kernel
 * image, ERL clear, and the GPRs as QEMU's Malta boot loader leaves them
 * (a0..a3, sp, t9...), so bare-metal programs written for QEMU Malta start
 * the same way.
 */
void vzsim_reset(vzsim *sim, uint32_t pc);

/* Runs at most max_insns more instructions. */
enum vzsim_stop vzsim_run(vzsim *sim, uint64_t max_insns);

/* Makes the current vzsim_run return VZSIM_STOP_REQUESTED soon. */
void vzsim_request_stop(vzsim *sim);

/* Registers. */
uint32_t vzsim_gpr(const vzsim *sim, unsigned reg);
void vzsim_set_gpr(vzsim *sim, unsigned reg, uint32_t value);
uint32_t vzsim_pc(const vzsim *sim);
void vzsim_set_pc(vzsim *sim, uint32_t pc);
uint32_t vzsim_hi(const vzsim *sim);
uint32_t vzsim_lo(const vzsim *sim);
/* CP0 as MFC0/MTC0 would see it; -1 if the register does not exist. */
int vzsim_cp0_read(vzsim *sim, unsigned reg, unsigned sel, uint32_t *value);
int vzsim_cp0_write(vzsim *sim, unsigned reg, unsigned sel, uint32_t value);

/* Guest CP0 (VZ) as MFGC0/MTGC0 would see it; -1 if it does not exist. */
int vzsim_guest_cp0_read(vzsim *sim, unsigned reg, unsigned sel, uint32_t *value);
int vzsim_guest_cp0_write(vzsim *sim, unsigned reg, unsigned sel, uint32_t value);
/* Whether the CPU is in guest mode (GuestCtl0.GM and root EXL = ERL = 0). */
bool vzsim_in_guest(const vzsim *sim);

/* One TLB entry with its tags, in EntryHi/PageMask/EntryLo form. */
struct vzsim_tlb_entry {
	uint32_t entryhi;  /* VPN2 | ASID (EHINV when invalid) */
	uint32_t pagemask;
	uint32_t entrylo0, entrylo1; /* G set in both when global */
	bool invalid;      /* invalidated (EHINV) or never written */
	bool guest;        /* a guest entry (stage one), not root's */
	uint8_t guestid;   /* 0 for root's own entries */
};
/* Number of entries, and how many of the top ones are the guest part. */
unsigned vzsim_tlb_size(const vzsim *sim, unsigned *guest_entries);
int vzsim_tlb_read(const vzsim *sim, unsigned index, struct vzsim_tlb_entry *e);
int vzsim_tlb_write(vzsim *sim, unsigned index, const struct vzsim_tlb_entry *e);

/* Physical memory (RAM and boot flash only; no device side effects). */
int vzsim_mem_read(vzsim *sim, uint32_t pa, void *buf, size_t len);
int vzsim_mem_write(vzsim *sim, uint32_t pa, const void *buf, size_t len);

/*
 * A snapshot of memory as an ELF core file (ET_CORE, EM_MIPS): one PT_LOAD
 * segment for each of seg[0, n), its bytes from physical pa, at vaddr (in
 * vaddr order, not overlapping).  pdtrace reads it as code (vzsoak writes
 * one of each Linux guest's kernel beside a capture).  Written under a
 * temporary name and renamed.  0, or -1 with a reason (a range not in RAM,
 * a file that cannot be written).
 */
struct vzsim_mem_segment {
	uint32_t vaddr, pa, len;
};
int vzsim_mem_save_elf(vzsim *sim, const char *path, const struct vzsim_mem_segment *seg,
		       size_t n, char *err, size_t errlen);

/* The UART's output (default stdout) and input (default none). */
void vzsim_uart_output(vzsim *sim, FILE *out);
void vzsim_uart_input(vzsim *sim, FILE *in);

/*
 * PDtrace capture (docs/pdtrace.md).  vzsim_trace_start programs the trace
 * unit as a debugger would through the TCB (TraceControl.TS = 0: trace
 * every mode, every ASID, root and guests) and, when path is not NULL,
 * streams the trace words off chip into a trace file (docs/trace-format.md)
 * written under a temporary name; vzsim_trace_finish flushes and renames
 * it.  A program may take over with TraceControl.TS = 1.  The on-chip TCB
 * memory (board option tcb-size) holds the last words either way;
 * vzsim_tcb_save writes it, oldest word first, as a trace file: into path,
 * or, path NULL, into the file vzsim_tcb_open created before the run (so
 * that a file that cannot be created is found before it, not after).
 * vzsim_free removes a file opened and never saved.
 *
 * A window (opts.window bytes, not 0) bounds the capture's memory and its
 * file whatever the run's length: the words go round a ring of that size
 * and vzsim_trace_finish writes the last of them, from the first SYNC in
 * the ring on (all of them if none was dropped), with a header that says
 * how many bytes of the run's trace are not there (docs/pdtrace.md, "The
 * trace window").  The file is created at vzsim_trace_start all the same.
 */
struct vzsim_trace_opts {
	bool data;           /* load/store addresses and data too */
	unsigned syp;        /* a SYNC every 2^(syp+5) instructions, 0..7 */
	const char *command; /* recorded in the file header, may be NULL */
	uint64_t window;     /* 0: the whole trace; else VZSIM_TRACE_WINDOW_MIN
				..MAX bytes, a multiple of 8: the last ones */
};
#define VZSIM_TRACE_WINDOW_MIN 1024u
#define VZSIM_TRACE_WINDOW_MAX (UINT64_C(1) << 40)
/* A window as the tools' options give it (vzsim --trace-window, vzsoak
 * run --trace-window): megabytes (MiB), or a size with a K, M or G suffix
 * (64K); 0 and *bytes set, or -1 with a one-line reason in err. */
int vzsim_trace_window_parse(const char *text, uint64_t *bytes, char *err, size_t errlen);
int vzsim_trace_start(vzsim *sim, const char *path,
		      const struct vzsim_trace_opts *opts, char *err, size_t errlen);
int vzsim_trace_finish(vzsim *sim, char *err, size_t errlen);
int vzsim_tcb_open(vzsim *sim, const char *path, char *err, size_t errlen);
int vzsim_tcb_save(vzsim *sim, const char *path, char *err, size_t errlen);
/*
 * The TCB's registers as a debugger sees them through the EJTAG TAP
 * (IR 0x10-0x16 and the registers behind TCBDATA; docs/pdtrace.md, "The
 * TCB"): what the OpenOCD path will use.  TCBControlA/C hold the
 * debugger's trace controls, TCBControlB the buffer (EN, TM, BF, TR, RM),
 * TCBConfig the memory size; TW reads the word at RDP and advances RDP.
 */
enum vzsim_tcb_reg {
	VZSIM_TCB_CONTROLA, VZSIM_TCB_CONTROLB, VZSIM_TCB_CONTROLC,
	VZSIM_TCB_CONTROLE, VZSIM_TCB_CONFIG, VZSIM_TCB_TW, VZSIM_TCB_RDP,
	VZSIM_TCB_WRP, VZSIM_TCB_STP,
};
int vzsim_tcb_read(vzsim *sim, enum vzsim_tcb_reg reg, uint64_t *value);
int vzsim_tcb_write(vzsim *sim, enum vzsim_tcb_reg reg, uint64_t value);

/* Trace words produced so far, and how many the on-chip memory holds. */
uint64_t vzsim_trace_words(const vzsim *sim, uint32_t *onchip);

/*
 * Fills the boot-arguments block (hypervisor/include/vzsoak/bootargs.h) with
 * text ("key=value ...") for the program to read; load images first, as an
 * image may cover the block.  The text also goes into the headers of trace
 * files written after this call (vzsim_trace_start, vzsim_tcb_save), so
 * call it before vzsim_trace_start.
 */
int vzsim_set_bootargs(vzsim *sim, const char *text, char *err, size_t errlen);

/*
 * Booting Linux (docs/linux.md): after the kernel's ELF is loaded and the
 * core reset at its entry, writes a device tree of this board and the
 * initramfs at the top of RAM (above 64 MiB, clear of the relocated
 * kernel) and sets the UHI registers (a0 = -2, a1 = the tree).  The kernel
 * must be a generic device-tree one (CONFIG_MIPS_GENERIC).
 */
struct vzsim_linux_boot {
	const char *initrd;  /* a gzip'd or plain newc cpio archive, or NULL */
	const char *cmdline; /* NULL: VZSIM_LINUX_CMDLINE */
};
#define VZSIM_LINUX_CMDLINE "console=ttyS0 panic=-1"
int vzsim_boot_linux(vzsim *sim, const struct vzsim_linux_boot *b, char *err,
		     size_t errlen);

/* Modes for events. */
enum vzsim_mode { VZSIM_MODE_KERNEL = 0, VZSIM_MODE_SUPERVISOR, VZSIM_MODE_USER };

/*
 * One executed instruction.  exc is -1 when it completed, else the
 * Cause.ExcCode of the exception it raised (it did not complete); in guest
 * mode root_exc says whether that exception went to root (a guest exit,
 * ExcCode 27, or a second-stage TLB fault) or to the guest.  mode, exl, erl
 * and asid are the guest's own when guest is set.
 */
struct vzsim_insn_event {
	uint64_t index; /* 0-based count of executed instructions */
	uint32_t pc;
	uint32_t word;
	enum vzsim_mode mode;
	bool exl, erl;
	uint8_t asid;
	bool guest;      /* executed in guest mode (VZ)          */
	uint8_t guestid; /* GuestCtl1.ID when guest              */
	int exc;
	bool root_exc;
};
typedef void (*vzsim_insn_sink)(void *ctx, const struct vzsim_insn_event *ev);

/* Calls sink for every instruction (the slow path); NULL detaches. */
void vzsim_set_insn_sink(vzsim *sim, vzsim_insn_sink sink, void *ctx);

/*
 * The block compiler: a straight run of simple instructions that has
 * started hot times is compiled to host code, which runs it exactly as the
 * interpreter would (the same instructions, count, exceptions, trace).
 * 0 turns it off, and what was compiled runs no more; the default is
 * VZSIM_JIT_HOT.  Hosts without a compiler (all but x86-64) ignore it;
 * vzsim_jit_available says which.  With data tracing on, blocks are
 * interpreted.
 */
#define VZSIM_JIT_HOT 64u
void vzsim_set_jit(vzsim *sim, unsigned hot);
bool vzsim_jit_available(void);

/* What wrote a TLB entry (struct vzsim_tlb_write_event). */
enum vzsim_tlb_how {
	VZSIM_TLB_TLBWI = 0, /* tlbwi: root's, or a guest's in guest mode   */
	VZSIM_TLB_TLBWR,     /* tlbwr: root's, or a guest's (random says where) */
	VZSIM_TLB_TLBINV,    /* tlbinv: root's, or a guest's                */
	VZSIM_TLB_TLBINVF,   /* tlbinvf: root's, or a guest's               */
	VZSIM_TLB_TLBGWI,    /* root's tlbgwi: the guest part, tagged RID    */
	VZSIM_TLB_TLBGWR,    /* root's tlbgwr: the guest part at guest Random */
	VZSIM_TLB_TLBGINV,   /* root's tlbginv                               */
	VZSIM_TLB_TLBGINVF,  /* root's tlbginvf                              */
	VZSIM_TLB_API,       /* vzsim_tlb_write                              */
};

/*
 * One TLB entry written: by an instruction (root's or a guest's) or through
 * vzsim_tlb_write.  An invalidation (tlbinv, tlbinvf and their tlbg forms)
 * gives one event per entry it changed, lowest entry first; one that found
 * nothing to invalidate gives none.  A tlbwi/tlbwr that raised Machine
 * Check wrote nothing and gives none; nor do vzsim_reset and a board
 * option that rebuilds the CPU.
 */
struct vzsim_tlb_write_event {
	uint64_t index;  /* the writing instruction's index (0-based count of
			    executed instructions, as in vzsim_insn_event);
			    API: the index the next instruction will have */
	uint32_t pc;     /* its PC; API: the PC of the next instruction     */
	uint32_t word;   /* its instruction word; 0 for VZSIM_TLB_API       */
	bool guest;      /* the instruction ran in guest mode (VZ)          */
	uint8_t guestid; /* GuestCtl1.ID it ran as when guest, else 0 (the
			    entry's own tag is in before/after.guestid)     */
	unsigned entry;  /* the entry written, 0..size-1 as vzsim_tlb_read
			    numbers them (guest index i is size-guest+i)     */
	unsigned random; /* tlbwr/tlbgwr: the Random value it used (an index
			    into its view: root's whole TLB, or the guest
			    part for a guest's tlbwr and tlbgwr); else 0     */
	enum vzsim_tlb_how how;
	struct vzsim_tlb_entry before, after; /* as vzsim_tlb_read reads them */
};
typedef void (*vzsim_tlb_hook)(void *ctx, const struct vzsim_tlb_write_event *ev);

/*
 * Calls hook for every TLB entry written (the record of who wrote which
 * entry and when, for a replayed run); NULL detaches.  The hook runs after
 * the write (and after tlbwr's Random step), before the next instruction
 * and before the writing instruction's own event reaches the insn sink.
 * It changes nothing the simulation does: the same run with and without a
 * hook executes the same instructions with the same Random values.  The
 * hook may read the board (vzsim_tlb_read, the CP0 accessors...) and call
 * vzsim_request_stop; it must not run the board.
 */
void vzsim_set_tlb_hook(vzsim *sim, vzsim_tlb_hook hook, void *ctx);

/* ------------------------------------------------------------ JTAG */

/*
 * The board's EJTAG TAP, as a probe drives it: one TCK cycle (rising edge
 * with TMS and TDI, then falling edge); returns TDO as the probe sampled it
 * before the cycle (TCK low).  Instructions: IDCODE (0x01, selected by
 * Test-Logic-Reset; vzsim's is 0x0000a5a1), IMPCODE (0x03), BYPASS (0x1f,
 * and every other code for now).  docs/vzsim.md, "JTAG".
 */
bool vzsim_jtag_clock(vzsim *sim, bool tms, bool tdi);
/* TRST: Test-Logic-Reset. */
void vzsim_jtag_reset(vzsim *sim);
/*
 * OpenOCD's remote_bitbang requests, n bytes of them: '0'..'7' set TCK,
 * TMS and TDI (the TAP moves on TCK's rising edge), 'R' answers TDO as
 * '0' or '1' in out (at most n bytes; *nout says how many), 'r'..'u' set
 * the reset lines (TRST resets the TAP), 'B'/'b' are the probe's LED, 'Q'
 * ends the session (*quit; the bytes after it are not read).  Returns the
 * bytes read, or -(i+1) for a byte i that is not the protocol's.
 */
int vzsim_rbb_feed(vzsim *sim, const char *in, size_t n, char *out, size_t *nout, bool *quit);

/*
 * EJTAG (board option ejtag=on): the core takes a debug interrupt where it
 * is (an instruction boundary), with the probe serving dmseg (ECR ProbEn
 * and ProbTrap set), as a probe's EjtagBrk or an EJTAG boot would: vzsim
 * --jtag halts there before the first instruction and at --max-insns.
 * Nothing without the option.
 */
void vzsim_jtag_break(vzsim *sim);
/* The core waits on the probe: in debug mode, or held in reset by it. */
bool vzsim_debug_mode(const vzsim *sim);

/* Counters since the board was created. */
struct vzsim_stats {
	uint64_t insns;          /* instructions executed (incl. faulting ones) */
	uint64_t idle_cycles;    /* cycles spent idle in WAIT (simulated time) */
	uint64_t exceptions[32]; /* taken, by Cause.ExcCode                     */
	uint64_t tlb_refills;    /* TLB refill exceptions (subset of TLBL/TLBS) */
	uint64_t interrupts;     /* interrupt exceptions taken                  */
	uint64_t decoded;        /* instructions predecoded                     */
	uint64_t smc_invalidations; /* predecoded words dropped by stores       */
	uint64_t guest_insns[256];     /* instructions in guest mode, by GuestID   */
	uint64_t guest_exits[32];      /* guest exits (ExcCode 27) by GExcCode      */
	uint64_t guest_exceptions[32]; /* exceptions taken by guests, by ExcCode   */
	uint64_t guest_root_tlb[32];   /* second-stage (GPA) faults, by ExcCode     */
	uint64_t compiled_blocks;       /* blocks compiled to host code (vzsim_set_jit) */
};
void vzsim_get_stats(const vzsim *sim, struct vzsim_stats *st);

/* Simulated time in nanoseconds (instructions at the board's clock). */
uint64_t vzsim_sim_time_ns(const vzsim *sim);

/* Name of a Cause.ExcCode ("Int", "TLBL", ...), "?" if unknown. */
const char *vzsim_exc_name(unsigned code);

#endif
