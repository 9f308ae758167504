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
 * The loop body (exec_loop.h) is stamped three times, by two parameters:
 * PDT (the PDtrace unit's hooks: branches, exceptions, CP0 and memory
 * accesses) and SINK (every instruction reported to the --log-insns
 * sink): run_fast (neither), run_pdt (PDT) and run_sink (both), so a run
 * pays only for the observers it has.  run_fast and run_pdt also run
 * straight runs of simple instructions as blocks ("Blocks" below,
 * exec_block.h), with the same handlers (exec_ops.h).
 */
#include "cpu.h"

#include <string.h>

#include "exec_ops.h" /* BLOCK_OPS, BLOCK_BRANCHES */

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* ------------------------------------------------------------ predecode */

/* Instructions whose only effect is to write one GPR (no exception, no
 * HI/LO, no memory). */
static bool writes_only_gpr(enum isa_op op)
{
	switch (op) {
	case ISA_OP_SLL: case ISA_OP_SRL: case ISA_OP_SRA: case ISA_OP_ROTR:
	case ISA_OP_SLLV: case ISA_OP_SRLV: case ISA_OP_SRAV: case ISA_OP_ROTRV:
	case ISA_OP_ADDU: case ISA_OP_SUBU: case ISA_OP_AND: case ISA_OP_OR:
	case ISA_OP_XOR: case ISA_OP_NOR: case ISA_OP_SLT: case ISA_OP_SLTU:
	case ISA_OP_MOVZ: case ISA_OP_MOVN: case ISA_OP_ADDIU: case ISA_OP_SLTI:
	case ISA_OP_SLTIU: case ISA_OP_ANDI: case ISA_OP_ORI: case ISA_OP_XORI:
	case ISA_OP_LUI: case ISA_OP_CLZ: case ISA_OP_CLO: case ISA_OP_SEB:
	case ISA_OP_SEH: case ISA_OP_WSBH: case ISA_OP_EXT: case ISA_OP_INS:
	case ISA_OP_MUL: case ISA_OP_MFHI: case ISA_OP_MFLO:
		return true;
	default:
		return false;
	}
}

/* The GPR one of those writes: rt for the immediate forms, EXT and INS,
 * rd otherwise. */
static unsigned gpr_written(enum isa_op op, const struct pd_insn *d)
{
	switch (op) {
	case ISA_OP_ADDIU: case ISA_OP_SLTI: case ISA_OP_SLTIU: case ISA_OP_ANDI:
	case ISA_OP_ORI: case ISA_OP_XORI: case ISA_OP_LUI: case ISA_OP_EXT:
	case ISA_OP_INS:
		return d->rt;
	default:
		return d->rd;
	}
}

static void predecode(struct pd_insn *d, uint32_t word)
{
	enum isa_op op = isa_decode(word);
	const struct isa_desc *desc = isa_describe(op);
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
	/* A write to $zero and nothing else is a no-op: decoded as one, so
	 * that the block path, which does not clear $zero after every
	 * instruction, never sees $zero written. */
	if (writes_only_gpr(op) && gpr_written(op, d) == 0)
		op = ISA_OP_NOP;
	/* The same for what an instruction with other effects writes to
	 * $zero: it goes to gpr[32], which nothing reads. */
	switch (op) {
	case ISA_OP_LB: case ISA_OP_LBU: case ISA_OP_LH: case ISA_OP_LHU:
	case ISA_OP_LW: case ISA_OP_MFC0: case ISA_OP_MFGC0:
		if (d->rt == 0)
			d->rt = 32;
		break;
	case ISA_OP_JALR: case ISA_OP_JALR_HB:
		if (d->rd == 0)
			d->rd = 32;
		break;
	default:
		break;
	}
	d->flags = 0;
	d->op = (uint8_t)op;
}

/* ------------------------------------------------------------ blocks */

/*
 * Blocks.  run_fast (and run_pdt, whose blocks call the trace unit's hooks
 * with the count put back at the instruction) runs a straight run of
 * block-safe instructions (exec_ops.h) as one block (exec_block.h): it
 * counts the whole run at its start, when the run ends before the next
 * event (interrupt, timer, budget, trace sync, stop), and chains the
 * instructions' handlers without storing pc or looking around between
 * them: each handler jumps to the next one's, with no test, and the run
 * ends where the handlers stop by themselves (block_run).  A load or store that misses the soft
 * TLB, and a CP0 read, stop the count at themselves and put the state
 * back as the one-at-a-time path has it, so an exception (or the timer
 * a read sees) is exact; after a slow load or store the block ends, after
 * a CP0 read it goes on.  d->run caches the length of the run from each
 * instruction, and a known run is known all through (every instruction
 * in it has its own known run, to the same end) but for a delay slot that
 * ends it, whose run as a block's own start (a jump into it) is longer; a
 * store to code forgets
 * the word's run and the known ones back from it (mmu_code_written),
 * which are all the runs that may hold it or end just before it (a run
 * ends before an instruction that is not block-safe: the new word may
 * carry it on).
 */
static bool block_safe(const struct pd_insn *d)
{
	switch (d->op) {
#define BLOCK_CASE(x) case ISA_OP_##x:
	BLOCK_OPS(BLOCK_CASE)
#undef BLOCK_CASE
		return true;
	default:
		return false;
	}
}

static void decode_at(struct cpu *cpu, struct pd_insn *page, unsigned i)
{
	if (page[i].op == PD_UNDECODED) {
		uint32_t w;
		memcpy(&w, cpu->fetch_host + 4 * i, 4);
		predecode(&page[i], w);
		cpu->stats.decoded++;
	}
}

/* The run from instruction i of the fetch page (decoded), which is
 * cached in it and in every instruction after it in the run but a
 * branch's delay slot at its end.  It ends
 * where the block path's handlers stop by themselves: before an
 * instruction that is not block-safe (its handler there is the block's
 * end), before the page's end (PD_PAGE_END), after a branch's delay slot,
 * or before a branch marked PD_NOBLOCK, whose slot is not in the page,
 * not block-safe or a branch. */
static unsigned block_run(struct cpu *cpu, struct pd_insn *page, unsigned i)
{
	unsigned n = 0;
	bool ends_in_slot = false;
	while (i + n < 1024) {
		unsigned j = i + n;
		decode_at(cpu, page, j);
		if (!block_safe(&page[j]))
			break;
		if (block_branch(&page[j])) {
			bool slot_ok = false;
			if (j + 1 < 1024) {
				decode_at(cpu, page, j + 1);
				slot_ok = block_safe(&page[j + 1]) && !block_branch(&page[j + 1]);
			}
			if (slot_ok) {
				page[j].flags &= (uint8_t)~PD_NOBLOCK;
				n += 2;
				ends_in_slot = true;
			} else {
				page[j].flags |= PD_NOBLOCK;
			}
			break;
		}
		n++;
	}
	/* Not the delay slot's: a block that starts there (a jump to it) is
	 * not this one's end, and may run on past it. */
	for (unsigned k = 0; k < n - ends_in_slot; k++)
		page[i + k].run = (uint16_t)(n - k);
	if (n == 0)
		page[i].run = 0;
	return n;
}

/* ------------------------------------------------------------ memory */

static inline struct stlb_entry *stlb_of(struct cpu *cpu, uint32_t va)
{
	return &cpu->stlb[cpu->mclass][(va >> 12) & (STLB_SIZE - 1)];
}

/*
 * An aligned load or store of the current instruction: through the soft
 * TLB straight to host memory, else the slow path between SLOW_BEGIN()
 * and SLOW_END() (the loop section's: exec_loop.h, exec_block.h).  v gets
 * the loaded value.
 */
#define LOAD_INSN(type, size)                                                 \
	do {                                                                  \
		uint32_t va_ = R[RS] + d->imm;                                \
		struct stlb_entry *e_ = STLB_OF(va_);                         \
		if (likely(e_->rtag == ((va_ & (0xfffff000u | (size - 1))) | STLB_KEY))) { \
			type t_;                                              \
			memcpy(&t_, (void *)(e_->addend + va_), size);        \
			v = (uint32_t)t_;                                     \
			R[RT] = v;                                            \
			MEMTRACE(false, size, va_, v);                        \
		} else {                                                      \
			SLOW_BEGIN();                                         \
			if (!mmu_load(cpu, va_, size, &v))                    \
				goto fault;                                   \
			v = (uint32_t)(type)v;                                \
			R[RT] = v;                                            \
			MEMTRACE_EXACT(false, size, va_, v);                  \
			SLOW_END();                                           \
		}                                                             \
	} while (0)
#define STORE_INSN(type, size)                                                \
	do {                                                                  \
		uint32_t va_ = R[RS] + d->imm;                                \
		struct stlb_entry *e_ = STLB_OF(va_);                         \
		if (likely(e_->wtag == ((va_ & (0xfffff000u | (size - 1))) | STLB_KEY))) { \
			type t_ = (type)R[RT];                                \
			memcpy((void *)(e_->addend + va_), &t_, size);        \
			MEMTRACE(true, size, va_, R[RT]);                     \
		} else {                                                      \
			SLOW_BEGIN();                                         \
			if (!mmu_store(cpu, va_, size, R[RT]))                \
				goto fault;                                   \
			MEMTRACE_EXACT(true, size, va_, R[RT]);               \
			SLOW_END();                                           \
		}                                                             \
	} while (0)

/* lwl/lwr/swl/swr: the aligned word around va, translated for acc. */
static bool unaligned_word(struct cpu *cpu, uint32_t va, enum access acc,
			   uint32_t *pa, uint32_t *w)
{
	if (!mmu_translate(cpu, va, acc, pa))
		return false;
	*pa &= ~3u;
	return mmu_read_pa(cpu, *pa, 4, w);
}

/* ------------------------------------------------------------ helpers */

/* Kernel mode or CU0 in the current context, else CpU (CE=0). */
static bool cp0_usable(struct cpu *cpu)
{
	const struct cp0 *c = cpu_ctx(cpu);
	if (ctx_kernel_mode(c) || (c->status & ST_CU0))
		return true;
	cpu_exception_cpu(cpu, 0);
	return false;
}

/*
 * The gate of CP0 instructions: usable in this context, and in guest mode
 * delegated to the guest by GuestCtl0.CP0 (else a GPSI exit).  Returns
 * false after raising the exception.
 */
static bool cp0_gate(struct cpu *cpu)
{
	if (!cp0_usable(cpu))
		return false;
	if (cpu->guest && !(cpu->guestctl0 & GC0_CP0)) {
		cpu_guest_exit(cpu, GEXC_GPSI);
		return false;
	}
	return true;
}

/* Root-only VZ instructions (mfgc0, mtgc0, tlbg*): reserved without VZ or
 * in guest mode. */
static void reserved(struct cpu *cpu);
static bool root_vz_gate(struct cpu *cpu)
{
	if (!cpu->vz_enabled || cpu->guest) {
		reserved(cpu);
		return false;
	}
	return cp0_usable(cpu);
}

/* A reserved instruction: RI, or in guest mode a GRR exit when root asked
 * for them (GuestCtl0.RI). */
static void reserved(struct cpu *cpu)
{
	if (cpu->guest && (cpu->guestctl0 & GC0_RI))
		cpu_guest_exit(cpu, GEXC_GRR);
	else
		cpu_exception(cpu, EXC_RI, false);
}

/* The exits of guest MFC0/MTC0; false if the access exited. */
static bool gcp0_done(struct cpu *cpu, enum gcp0_result r)
{
	if (r == GCP0_GPSI || r == GCP0_ABSENT) {
		cpu_guest_exit(cpu, GEXC_GPSI);
		return false;
	}
	if (r == GCP0_GSFC) {
		cpu_guest_exit(cpu, GEXC_GSFC);
		return false;
	}
	return true;
}

/* cache: no caches are modelled, but a guest may have to exit (any when
 * GuestCtl0.CP0 is clear; Index-type operations, 0..3, need
 * GuestCtl0Ext.CGI, Hit-type ones, 4..7, GuestCtl0.CG). */
static bool cache_op(struct cpu *cpu, unsigned op)
{
	if (!cp0_usable(cpu))
		return false;
	if (cpu->guest) {
		bool index_type = (op >> 2) < 4;
		bool allowed = (cpu->guestctl0 & GC0_CP0) &&
			       (index_type ? (cpu->guestctl0ext & GC0EXT_CGI)
					   : (cpu->guestctl0 & GC0_CG));
		if (!allowed) {
			cpu_guest_exit(cpu, GEXC_GPSI);
			return false;
		}
	}
	return true;
}

/* rdhwr: false after raising the exception (RI, or GPSI for a guest's CC
 * when root keeps the timer). */
static bool rdhwr(struct cpu *cpu, unsigned hwr, uint32_t *v)
{
	const struct cp0 *c = cpu_ctx(cpu);
	if (!ctx_kernel_mode(c) && !((c->hwrena >> hwr) & 1)) {
		reserved(cpu);
		return false;
	}
	switch (hwr) {
	case 0: *v = c->ebase & 0x3ffu; return true; /* CPUNum */
	case 1: *v = 32; return true;                 /* SYNCI_Step */
	case 2:                                       /* CC */
		if (cpu->guest && !(cpu->guestctl0 & GC0_GT)) {
			cpu_guest_exit(cpu, GEXC_GPSI);
			return false;
		}
		*v = cpu->guest ? gcp0_count(cpu) : cp0_count(cpu);
		return true;
	case 3: *v = cpu->count_div; return true;     /* CCRes */
	case 29: *v = c->userlocal; return true;      /* UserLocal */
	default:
		reserved(cpu);
		return false;
	}
}

/* hypcall: a guest exit from guest kernel mode (root kernel mode too). */
static void hypcall(struct cpu *cpu)
{
	if (!cpu->vz_enabled) {
		reserved(cpu);
		return;
	}
	if (!ctx_kernel_mode(cpu_ctx(cpu))) {
		cpu_exception_cpu(cpu, 0);
		return;
	}
	cpu_guest_exit(cpu, GEXC_HC);
}

/* The TLB instructions' view: the guest's part in guest mode. */
static inline void tlb_view(struct cpu *cpu, struct tlb_view *v)
{
	if (cpu->guest)
		tlb_view_guest(cpu, v);
	else
		tlb_view_root(cpu, v);
}

/* Rotate right by s mod 32, in a form compilers turn into one rotate. */
static inline uint32_t rotr32(uint32_t v, uint32_t s)
{
	return (v >> (s & 31)) | (v << ((32 - s) & 31));
}

static inline uint32_t clz32(uint32_t v)
{
	return v ? (uint32_t)__builtin_clz(v) : 32;
}

/* handle_events: the loop variant must change (trace switched on/off). */
#define STOP_RESELECT 100
/* handle_events: the core is in debug mode (cpu_run_debug runs it). */
#define STOP_DEBUG_ENTERED 101

/* Events: timer, interrupts, WAIT, stop requests, the budget, debug
 * exceptions at instruction boundaries.  Returns a stop reason, or -1 to
 * go on executing. */
static int handle_events(struct cpu *cpu)
{
	if (cpu->ejtag.stepping) {
		/* One debug-mode instruction: time stands still, nothing else
		 * happens. */
		if (cpu->icount >= cpu->run_limit)
			return VZSIM_STOP_BUDGET;
		cpu_update_next_event(cpu);
		return -1;
	}
	for (;;) {
		if (cpu->ejtag.dm)
			return STOP_DEBUG_ENTERED;
		if (cpu->stop_requested)
			return cpu->stop_reason;
		if (cpu->icount >= cpu->timer_icount)
			cp0_timer_fired(cpu);
		if (cpu->icount >= cpu->gtimer_icount)
			gcp0_timer_fired(cpu);
		if (cpu->loop_reselect)
			return STOP_RESELECT;
		if (cpu->icount >= cpu->trace.next_sync)
			trace_sync_due(cpu);
		/* A single step ends before anything else can happen. */
		if (cpu->ejtag.watch && ejtag_step_due(cpu))
			return STOP_DEBUG_ENTERED;
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
		/* The instruction about to run, after any interrupt. */
		if (cpu->ejtag.watch && ejtag_ibreak(cpu))
			return STOP_DEBUG_ENTERED;
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
/* GCC would merge the handlers' identical dispatch tails into one
 * indirect jump (cross-jumping), which the host predicts as badly as a
 * switch: keep one per handler. */
#if defined(__clang__)
#define THREADED_CODE
#else
#define THREADED_CODE __attribute__((optimize("no-crossjumping", "no-gcse")))
#endif
#define GENERAL_OP(x) L_##x:
#define OP_DEFAULT
#define GENERAL_END_OP                                                        \
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
		if (BLOCKS && d->run != 0 && !next_ds) {                      \
			pc = next; /* perhaps a block starts here */          \
			goto block_try;                                       \
		}                                                             \
		BEGIN_INSN(next, after);                                      \
		goto *dispatch[d->op];                                        \
	} while (0)
#else
#define THREADED 0
#define THREADED_CODE
#define GENERAL_OP(x) case ISA_OP_##x:
#define OP_DEFAULT default:
#define GENERAL_END_OP break
#endif

/* A branch: the instruction after next is its target if taken, and the
 * next one its delay slot. */
#define GENERAL_BRANCH(cond)                                                  \
	do {                                                                  \
		bool taken_ = (cond);                                         \
		if (taken_)                                                   \
			after = pc + 4 + d->imm;                              \
		next_ds = true;                                               \
		if (PDT)                                                      \
			trace_branch(cpu, taken_);                            \
	} while (0)
/* Branch likely: the delay slot runs only if the branch is taken. */
#define BRANCH_LIKELY(cond)                                                   \
	do {                                                                  \
		bool taken_ = (cond);                                         \
		if (PDT)                                                      \
			trace_branch(cpu, taken_);                            \
		if (taken_) {                                                 \
			after = pc + 4 + d->imm;                              \
			next_ds = true;                                       \
		} else {                                                      \
			next += 4; /* the delay slot is nullified */          \
			after = next + 4;                                     \
		}                                                             \
	} while (0)

/* A trace unit's hook, which reads the count: with the count put at the
 * current instruction for it (TRACE_AT, TRACE_DONE: the block path's
 * count runs ahead). */
#define TRACED(call)                                                          \
	do {                                                                  \
		if (PDT) {                                                    \
			TRACE_AT();                                           \
			call;                                                 \
			TRACE_DONE();                                         \
		}                                                             \
	} while (0)
/* A load or store for the trace unit, when it traces data: TRACED, or
 * with the count already there (_EXACT: after SLOW_BEGIN). */
#define MEMTRACE_EXACT(store, size, va, data)                                 \
	do {                                                                  \
		if (PDT && trace_wants_mem(&cpu->trace, (store)))             \
			trace_mem(cpu, (store), (size), (va), (data));        \
	} while (0)
#define MEMTRACE(store, size, va, data)                                       \
	do {                                                                  \
		if (PDT && trace_wants_mem(&cpu->trace, (store)))             \
			TRACED(trace_mem(cpu, (store), (size), (va), (data))); \
	} while (0)

/* Retire the instruction: the next pc, the delay-slot state, the sink. */
#define COMMIT()                                                              \
	do {                                                                  \
		R[0] = 0;                                                     \
		if (next_ds)                                                  \
			cpu->branch_word = d->word;                           \
		cpu->pc = next;                                               \
		cpu->npc = after;                                             \
		cpu->in_ds = next_ds;                                         \
		if (SINK) {                                                 \
			ev.exc = -1;                                          \
			cpu->sink(cpu->sink_ctx, &ev);                        \
		}                                                             \
	} while (0)

/* Start the instruction d at pc: count it, set up operands. */
#define BEGIN_INSN(pcv, npcv)                                                     \
	do {                                                                  \
		if (SINK)                                                   \
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
	const struct cp0 *c = cpu_ctx_const(cpu);
	ev->mode = cpu_mode(cpu);
	ev->exl = (c->status & ST_EXL) != 0;
	ev->erl = (c->status & ST_ERL) != 0;
	ev->asid = (uint8_t)c->entryhi;
	ev->guest = cpu->guest;
	ev->guestid = cpu->guest ? cpu_guestid(cpu) : 0;
	ev->root_exc = false;
	cpu->cur_exc_root = false;
	ev->exc = -1;
	cpu->cur_exc = -1;
}

/* Three variants: no hooks; PDtrace hooks; PDtrace hooks and the sink
 * (the sink implies the hooks: --log-insns runs are rare and traced). */
#if THREADED
/* The block path, with the same handlers under names of its own
 * (exec_block.h): untraced and traced. */
#define PDT 0
#define RUN_BLOCKS run_blocks
#include "exec_block.h"
#undef RUN_BLOCKS
#undef PDT
#define PDT 1
#define RUN_BLOCKS run_blocks_pdt
#include "exec_block.h"
#undef RUN_BLOCKS
#undef PDT
#endif
#include "exec_names.h"

#define SINK 0
#define PDT 0
#define BLOCKS THREADED
#define BLOCK_RUNNER run_blocks
#define RUN_LOOP run_fast
#include "exec_loop.h"
#undef RUN_LOOP
#undef BLOCK_RUNNER
#undef BLOCKS
#undef PDT
#define PDT 1
#define BLOCKS THREADED
#define BLOCK_RUNNER run_blocks_pdt
#define RUN_LOOP run_pdt
#include "exec_loop.h"
#undef RUN_LOOP
#undef BLOCK_RUNNER
#undef BLOCKS
#undef PDT
#undef SINK

#define SINK 1
#define PDT 1
#define BLOCKS 0
#define RUN_LOOP run_sink
#include "exec_loop.h"
#undef RUN_LOOP
#undef BLOCKS
#undef PDT
#undef SINK

/* Debug-mode instructions one cpu_run may execute before it returns
 * VZSIM_STOP_DEBUG anyway: a debug program that never waits on the probe
 * (a loop in RAM) must not hold the caller forever. */
#define DEBUG_STEPS_PER_RUN 100000u

bool cpu_run_debug(struct cpu *cpu, unsigned max_steps)
{
	struct ejtag *e = &cpu->ejtag;
	uint64_t limit = cpu->run_limit;
	for (unsigned i = 0; i < max_steps && e->dm; i++) {
		/* Waiting on the probe: nothing runs until it finishes the
		 * access (running the instruction again would post a new one
		 * over it, a fetch of the load or store's own address). */
		if (e->pa.pending)
			break;
		uint64_t ic = cpu->icount, idle = cpu->wait_cycles;
		/* dmseg words change from one fetch to the next: fetch afresh,
		 * unless this is the instruction that waited on a load or
		 * store, which runs again with the word it was fetched with. */
		if (!(e->pa.done && e->pa.kind != PRACC_FETCH))
			mmu_flush_fetch(cpu);
		e->stalled = false;
		e->stepping = true;
		cpu->run_limit = ic + 1;
		cpu->next_event = ic;
		run_fast(cpu);
		e->stepping = false;
		/* It does not count: back to the program's own time. */
		cpu->icount = ic;
		cpu->wait_cycles = idle;
		cpu->waiting = false;
		if (!e->dm) { /* deret: whatever restarts, restarts now */
			if (e->redo_branch && ic) {
				/* A DINT's branch, counted, runs again (ejtag_enter) */
				cpu->icount = --ic;
			}
			e->redo_branch = false;
			e->step_from = ic;
			if (cpu->guest)
				cpu->guest_since = ic;
		}
		if (e->stalled)
			break;
	}
	cpu->run_limit = limit;
	cpu_update_next_event(cpu);
	return e->dm;
}

enum vzsim_stop cpu_run(struct cpu *cpu, uint64_t max_insns)
{
	cpu->run_limit = max_insns > UINT64_MAX - cpu->icount ? UINT64_MAX
							     : cpu->icount + max_insns;
	cpu->next_event = cpu->icount; /* look around before the first one */
	enum vzsim_stop r;
	for (;;) {
		if (cpu->ejtag.dm && cpu_run_debug(cpu, DEBUG_STEPS_PER_RUN)) {
			r = VZSIM_STOP_DEBUG; /* waiting on the probe */
			break;
		}
		cpu->loop_reselect = false;
		if (cpu->sink)
			r = run_sink(cpu);
		else if (trace_control(&cpu->trace) & TRC_ON)
			r = run_pdt(cpu);
		else
			r = run_fast(cpu);
		if ((int)r != STOP_RESELECT && (int)r != STOP_DEBUG_ENTERED)
			break;
	}
	if (r == VZSIM_STOP_REQUESTED || r == VZSIM_STOP_RESET)
		cpu->stop_requested = false;
	cpu->run_limit = UINT64_MAX;
	cpu_update_next_event(cpu);
	return r;
}
