/*
 * vzsim's PDtrace trace unit: the CP0 trace registers, the filter that
 * decides whether the running context is traced, and the hooks the CPU
 * calls at the points a PDtrace core reports (conditional branches,
 * jump-register and eret targets, exceptions, context changes, user trace
 * messages, loads and stores, periodic syncs).  Records go through
 * libpdtrace's encoder to the TCB (boards/sim/board/tcb.c), which keeps
 * them in on-chip memory and streams them off chip.
 *
 * Instruction accounting: `mark` is the instruction index (icount less
 * idle WAIT cycles) up to which completed instructions have been reported.
 */
#ifndef VZSIM_TRACE_H
#define VZSIM_TRACE_H

#include <stdbool.h>
#include <stdint.h>

#include <pdtrace/pdtrace.h>

struct cpu;

/* TraceControl (23,1) bits. */
#define TRC_TS   (1u << 31)
#define TRC_UT   (1u << 30)
#define TRC_TB   (1u << 27)
#define TRC_IO   (1u << 26)
#define TRC_D    (1u << 25)
#define TRC_E    (1u << 24)
#define TRC_K    (1u << 23)
#define TRC_S    (1u << 22)
#define TRC_U    (1u << 21)
#define TRC_G    (1u << 4)
#define TRC_ON   (1u << 0)
/* TraceControl2 (23,2): Mode bits 11..7 (PC, load addr, store addr, load
 * data, store data), ValidModes 6..5, TBI 4, TBU 3, SyP 2..0. */
#define TRC2_MODE_PC (1u << 7)
#define TRC2_MODE_LA (1u << 8)
#define TRC2_MODE_SA (1u << 9)
#define TRC2_MODE_LD (1u << 10)
#define TRC2_MODE_SD (1u << 11)

/* Where finished trace words go (the TCB). */
struct trace_port {
	void (*word)(void *ctx, uint64_t word);
	void *ctx;
};

struct trace_unit {
	/* CP0 registers (root only). */
	uint32_t control, control2, control3, utd1, utd2, ibpc, dbpc;
	/* The debugger's controls (TCBControlA/C): used while TraceControl.TS
	 * is 0, the state out of reset; same layout as TraceControl/2. */
	uint32_t tcb_control, tcb_control2;

	struct trace_port port;
	struct pdt_encoder enc;
	bool active;          /* the running context is being traced now */
	bool have_ctx;
	struct pdt_ctx ctx;   /* the last context reported */
	uint64_t mark;        /* instructions reported up to this index */
	uint64_t next_sync;   /* icount of the next periodic sync */
	uint64_t records;     /* records written (statistics) */
};

void trace_reset(struct cpu *cpu);
/* CP0 (23,1..5) and (24,2..3); false if (reg, sel) is not a trace register. */
bool trace_cp0_read(struct cpu *cpu, unsigned reg, unsigned sel, uint32_t *v);
bool trace_cp0_write(struct cpu *cpu, unsigned reg, unsigned sel, uint32_t v);
/* The debugger side (vzsim --trace, later the TAP): TCBControlA-style
 * controls in TraceControl/TraceControl2 layout. */
void trace_set_debugger_controls(struct cpu *cpu, uint32_t control,
				 uint32_t control2);
/* Writes out everything pending (end of run, before reading the TCB). */
void trace_flush(struct cpu *cpu);

/* Hooks. */
void trace_refilter(struct cpu *cpu);   /* context or controls changed */
void trace_branch(struct cpu *cpu, bool taken);
void trace_target(struct cpu *cpu, uint32_t target);
void trace_exception(struct cpu *cpu, unsigned code, bool root, uint32_t vector);
void trace_mem(struct cpu *cpu, bool store, unsigned size, uint32_t addr,
	       uint32_t data);
void trace_sync_due(struct cpu *cpu);

/* The controls in force: the program's (TraceControl.TS set) or the
 * debugger's. */
static inline uint32_t trace_control(const struct trace_unit *t)
{
	return (t->control & TRC_TS) ? t->control : t->tcb_control;
}

static inline uint32_t trace_control2(const struct trace_unit *t)
{
	return (t->control & TRC_TS) ? t->control2 : t->tcb_control2;
}

/* Tracing is switched on (or still winding down): hooks worth calling. */
static inline bool trace_on(const struct trace_unit *t)
{
	return t->active || (trace_control(t) & TRC_ON);
}

/* Whether data (loads/stores) are traced: the interpreter's hook test. */
static inline bool trace_wants_mem(const struct trace_unit *t, bool store)
{
	uint32_t c2 = trace_control2(t);
	return t->active && (c2 & (store ? (TRC2_MODE_SA | TRC2_MODE_SD)
					 : (TRC2_MODE_LA | TRC2_MODE_LD)));
}

#endif
