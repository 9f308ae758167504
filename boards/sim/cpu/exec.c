/*
 * The interpreter loop.
 *
 * Fast path: the instruction at pc comes from the predecoded page of the
 * current fetch page (no translation, no decode); loads and stores go
 * through the soft TLB straight to host memory.  The loop looks around
 * (interrupts, timer, stop requests, the run budget) only when icount
 * reaches next_event, which anything that may change the answer pulls in.
 *
 * Control flow: pc is the instruction being executed, npc the next one.  A
 * branch sets the instruction after next to its target and marks the next
 * one as a delay slot (in_ds), so an exception in the slot reports the
 * branch with Cause.BD.  Instruction handlers that raise an exception have
 * already redirected pc to the vector and leave through `fault`.
 *
 * The loop body (exec_loop.h) is stamped twice: with and without the
 * instruction sink, so the untraced loop pays nothing for tracing.
 */
#include "cpu.h"

#include <string.h>

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* ------------------------------------------------------------ predecode */

static void predecode(struct pd_insn *d, uint32_t word)
{
	enum isa_op op = isa_decode(word);
	const struct isa_desc *desc = isa_describe(op);
	if (desc->flags & ISA_F_VZ)
		op = ISA_OP_INVALID; /* Config3.VZ = 0 on this core */
	d->word = word;
	d->rs = (uint8_t)isa_rs(word);
	d->rt = (uint8_t)isa_rt(word);
	d->rd = (uint8_t)isa_rd(word);
	d->sa = (uint8_t)isa_sa(word);
	switch (op) {
	case ISA_OP_ANDI: case ISA_OP_ORI: case ISA_OP_XORI:
		d->imm = isa_uimm(word);
		break;
	case ISA_OP_LUI:
		d->imm = isa_uimm(word) << 16;
		break;
	case ISA_OP_J: case ISA_OP_JAL:
		d->imm = (word & 0x03ffffffu) << 2;
		break;
	case ISA_OP_EXT: /* imm = mask of size bits */
		d->imm = (d->rd == 31) ? 0xffffffffu : ((1u << (d->rd + 1)) - 1);
		break;
	case ISA_OP_INS: /* rd = msb, sa = lsb: imm = field mask in place */
		if (d->rd >= d->sa) {
			unsigned size = d->rd - d->sa + 1;
			uint32_t m = size == 32 ? 0xffffffffu : ((1u << size) - 1);
			d->imm = m << d->sa;
		} else {
			op = ISA_OP_INVALID; /* msb < lsb: UNPREDICTABLE, treat as RI */
		}
		break;
	default:
		if (desc->flags & ISA_F_BRANCH)
			d->imm = (uint32_t)isa_simm(word) << 2;
		else
			d->imm = (uint32_t)isa_simm(word);
		break;
	}
	d->op = (uint8_t)op;
}

/* ------------------------------------------------------------ memory */

static inline struct stlb_entry *stlb_of(struct cpu *cpu, uint32_t va)
{
	return &cpu->stlb[cpu->mclass][(va >> 12) & (STLB_SIZE - 1)];
}

#define LOAD_FN(name, type, size)                                         \
	static inline bool name(struct cpu *cpu, uint32_t va, uint32_t *v)    \
	{                                                                     \
		struct stlb_entry *e = stlb_of(cpu, va);                          \
		if (likely(e->rtag == (va & (0xfffff000u | (size - 1))))) {       \
			type t;                                                       \
			memcpy(&t, (void *)(e->addend + va), size);                   \
			*v = (uint32_t)t;                                             \
			return true;                                                  \
		}                                                                 \
		uint32_t raw;                                                     \
		if (!mmu_load(cpu, va, size, &raw))                               \
			return false;                                                 \
		*v = (uint32_t)(type)raw;                                         \
		return true;                                                      \
	}
LOAD_FN(ld_u8, uint8_t, 1)
LOAD_FN(ld_s8, int8_t, 1)
LOAD_FN(ld_u16, uint16_t, 2)
LOAD_FN(ld_s16, int16_t, 2)
LOAD_FN(ld_32, uint32_t, 4)

#define STORE_FN(name, type, size)                                        \
	static inline bool name(struct cpu *cpu, uint32_t va, uint32_t v)     \
	{                                                                     \
		struct stlb_entry *e = stlb_of(cpu, va);                          \
		if (likely(e->wtag == (va & (0xfffff000u | (size - 1))))) {       \
			type t = (type)v;                                             \
			memcpy((void *)(e->addend + va), &t, size);                   \
			return true;                                                  \
		}                                                                 \
		return mmu_store(cpu, va, size, v);                               \
	}
STORE_FN(st_8, uint8_t, 1)
STORE_FN(st_16, uint16_t, 2)
STORE_FN(st_32, uint32_t, 4)

/* lwl/lwr/swl/swr: the aligned word around va, translated for acc. */
static bool unaligned_word(struct cpu *cpu, uint32_t va, enum access acc,
			   uint32_t *pa, uint32_t *w)
{
	if (!mmu_translate(cpu, va, acc, pa))
		return false;
	*pa &= ~3u;
	if (!bus_read(cpu->bus, *pa, 4, w)) {
		cpu_exception(cpu, EXC_DBE, false);
		return false;
	}
	return true;
}

static bool store_word_pa(struct cpu *cpu, uint32_t pa, uint32_t w)
{
	if (!bus_write(cpu->bus, pa, 4, w)) {
		cpu_exception(cpu, EXC_DBE, false);
		return false;
	}
	mmu_code_written(cpu, pa, 4);
	return true;
}

/* ------------------------------------------------------------ helpers */

static inline bool can_use_cp0(const struct cpu *cpu)
{
	return cpu_kernel_mode(cpu) || (cpu->cp0.status & ST_CU0);
}

static bool rdhwr(struct cpu *cpu, unsigned hwr, uint32_t *v)
{
	if (!cpu_kernel_mode(cpu) && !((cpu->cp0.hwrena >> hwr) & 1))
		return false;
	switch (hwr) {
	case 0: *v = cpu->cp0.ebase & 0x3ffu; return true; /* CPUNum */
	case 1: *v = 32; return true;                       /* SYNCI_Step */
	case 2: *v = cp0_count(cpu); return true;            /* CC */
	case 3: *v = cpu->count_div; return true;            /* CCRes */
	case 29: *v = cpu->cp0.userlocal; return true;       /* UserLocal */
	default: return false;
	}
}

static inline uint32_t clz32(uint32_t v)
{
	return v ? (uint32_t)__builtin_clz(v) : 32;
}

/* Events: timer, interrupts, WAIT, stop requests, the budget.  Returns a
 * stop reason, or -1 to go on executing. */
static int handle_events(struct cpu *cpu)
{
	for (;;) {
		if (cpu->stop_requested)
			return cpu->stop_reason;
		if (cpu->icount >= cpu->timer_icount)
			cp0_timer_fired(cpu);
		cpu_check_interrupts(cpu);
		if (cpu->waiting) {
			if (cpu_interrupt_pending(cpu)) {
				cpu->waiting = false; /* masked by IE: go on after wait */
			} else {
				bool timer_wakes = (cpu->cp0.status & (1u << 15)) &&
						   !(cpu->cp0.cause & CAUSE_DC);
				if (!timer_wakes)
					return VZSIM_STOP_DEADLOCK;
				uint64_t to = cpu->timer_icount < cpu->run_limit
						      ? cpu->timer_icount
						      : cpu->run_limit;
				if (to > cpu->icount) {
					cpu->wait_cycles += to - cpu->icount;
					cpu->icount = to;
				}
				if (cpu->icount >= cpu->run_limit)
					return VZSIM_STOP_BUDGET;
				continue;
			}
		}
		if (cpu->icount >= cpu->run_limit)
			return VZSIM_STOP_BUDGET;
		cpu_update_next_event(cpu);
		return -1;
	}
}

/* ------------------------------------------------------------ the loop */

#define R cpu->gpr

/*
 * Dispatch.  With GCC or Clang each handler ends with its own copy of the
 * fetch-and-dispatch sequence and an indirect jump through a label table
 * (threaded code), which the host's branch predictor follows far better
 * than the single jump of a switch; elsewhere the same handlers form a
 * switch.  OP() starts a handler, END_OP finishes one.
 */
#if defined(__GNUC__) && !defined(VZSIM_SWITCH_DISPATCH)
#define THREADED 1
#define OP(x) L_##x:
#define OP_DEFAULT
#define END_OP                                                                \
	do {                                                                  \
		COMMIT();                                                     \
		if (unlikely(cpu->icount >= cpu->next_event))                 \
			goto top;                                             \
		off = next - cpu->fetch_vbase;                                \
		if (unlikely(off & 0xfffff003u))                              \
			goto top;                                             \
		d = &cpu->fetch_page[off >> 2];                               \
		if (unlikely(d->op == PD_UNDECODED))                          \
			goto top;                                             \
		BEGIN_INSN(next, after);                                      \
		goto *dispatch[d->op];                                        \
	} while (0)
#else
#define THREADED 0
#define OP(x) case ISA_OP_##x:
#define OP_DEFAULT default:
#define END_OP break
#endif

/* Retire the instruction: the next pc, the delay-slot state, the sink. */
#define COMMIT()                                                              \
	do {                                                                  \
		R[0] = 0;                                                     \
		if (next_ds)                                                  \
			cpu->branch_word = d->word;                           \
		cpu->pc = next;                                               \
		cpu->npc = after;                                             \
		cpu->in_ds = next_ds;                                         \
		if (TRACED) {                                                 \
			ev.exc = -1;                                          \
			cpu->sink(cpu->sink_ctx, &ev);                        \
		}                                                             \
	} while (0)

/* Start the instruction d at pc: count it, set up operands. */
#define BEGIN_INSN(pcv, npcv)                                                     \
	do {                                                                  \
		if (TRACED)                                                   \
			fill_event(cpu, &ev, (pcv), d->word);                 \
		cpu->icount++;                                                \
		rs = d->rs;                                                   \
		rt = d->rt;                                                   \
		rd = d->rd;                                                   \
		pc = (pcv);                                                   \
		next = (npcv);                                                \
		after = next + 4;                                             \
		next_ds = false;                                              \
	} while (0)

static void fill_event(struct cpu *cpu, struct vzsim_insn_event *ev,
		       uint32_t pc, uint32_t word)
{
	ev->index = cpu->icount - cpu->wait_cycles;
	ev->pc = pc;
	ev->word = word;
	ev->mode = cpu_mode(cpu);
	ev->exl = (cpu->cp0.status & ST_EXL) != 0;
	ev->erl = (cpu->cp0.status & ST_ERL) != 0;
	ev->asid = (uint8_t)cpu->cp0.entryhi;
	ev->exc = -1;
	cpu->cur_exc = -1;
}

#define TRACED 0
#define RUN_LOOP run_fast
#include "exec_loop.h"
#undef RUN_LOOP
#undef TRACED

#define TRACED 1
#define RUN_LOOP run_traced
#include "exec_loop.h"
#undef RUN_LOOP
#undef TRACED

enum vzsim_stop cpu_run(struct cpu *cpu, uint64_t max_insns)
{
	cpu->run_limit = max_insns > UINT64_MAX - cpu->icount ? UINT64_MAX
							     : cpu->icount + max_insns;
	cpu->next_event = cpu->icount; /* look around before the first one */
	enum vzsim_stop r = cpu->sink ? run_traced(cpu) : run_fast(cpu);
	if (r == VZSIM_STOP_REQUESTED || r == VZSIM_STOP_RESET)
		cpu->stop_requested = false;
	cpu->run_limit = UINT64_MAX;
	cpu_update_next_event(cpu);
	return r;
}
