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
 * The loop body is stamped twice from run_loop(): with and without the
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

static inline __attribute__((always_inline)) enum vzsim_stop
run_loop(struct cpu *cpu, const bool traced)
{
	struct vzsim_insn_event ev;
	for (;;) {
		if (unlikely(cpu->icount >= cpu->next_event)) {
			int r = handle_events(cpu);
			if (r >= 0)
				return (enum vzsim_stop)r;
		}
		uint32_t pc = cpu->pc;
		uint32_t off = pc - cpu->fetch_vbase;
		cpu->cur_exc = -1;
		if (unlikely(off & 0xfffff003u)) {
			if (traced) {
				ev.index = cpu->icount - cpu->wait_cycles;
				ev.pc = pc;
				ev.word = 0;
				ev.mode = cpu_mode(cpu);
				ev.exl = cpu->cp0.status & ST_EXL;
				ev.erl = cpu->cp0.status & ST_ERL;
				ev.asid = (uint8_t)cpu->cp0.entryhi;
			}
			if (!mmu_fetch_page(cpu, pc)) {
				cpu->icount++;
				if (traced) {
					ev.exc = cpu->cur_exc;
					cpu->sink(cpu->sink_ctx, &ev);
				}
				continue;
			}
			off = pc - cpu->fetch_vbase;
		}
		struct pd_insn *d = &cpu->fetch_page[off >> 2];
		if (unlikely(d->op == PD_UNDECODED)) {
			uint32_t w;
			memcpy(&w, cpu->fetch_host + off, 4);
			predecode(d, w);
			cpu->stats.decoded++;
		}
		if (traced) {
			ev.index = cpu->icount - cpu->wait_cycles;
			ev.pc = pc;
			ev.word = d->word;
			ev.mode = cpu_mode(cpu);
			ev.exl = cpu->cp0.status & ST_EXL;
			ev.erl = cpu->cp0.status & ST_ERL;
			ev.asid = (uint8_t)cpu->cp0.entryhi;
		}
		cpu->icount++;
		cpu->cur_word = d->word;
		cpu->cur_word_valid = true;

		const unsigned rs = d->rs, rt = d->rt, rd = d->rd;
		uint32_t next = cpu->npc;
		uint32_t after = next + 4;
		bool next_ds = false;
		uint32_t v, t;

		switch ((enum isa_op)d->op) {
		/* ---- no-ops and hints */
		case ISA_OP_NOP: case ISA_OP_SSNOP: case ISA_OP_EHB:
		case ISA_OP_PAUSE: case ISA_OP_SYNC: case ISA_OP_PREF:
		case ISA_OP_SYNCI:
			break;

		/* ---- shifts */
		case ISA_OP_SLL: R[rd] = R[rt] << d->sa; break;
		case ISA_OP_SRL: R[rd] = R[rt] >> d->sa; break;
		case ISA_OP_SRA: R[rd] = (uint32_t)((int32_t)R[rt] >> d->sa); break;
		case ISA_OP_ROTR:
			t = R[rt];
			R[rd] = d->sa ? (t >> d->sa) | (t << (32 - d->sa)) : t;
			break;
		case ISA_OP_SLLV: R[rd] = R[rt] << (R[rs] & 31); break;
		case ISA_OP_SRLV: R[rd] = R[rt] >> (R[rs] & 31); break;
		case ISA_OP_SRAV: R[rd] = (uint32_t)((int32_t)R[rt] >> (R[rs] & 31)); break;
		case ISA_OP_ROTRV: {
			unsigned s = R[rs] & 31;
			t = R[rt];
			R[rd] = s ? (t >> s) | (t << (32 - s)) : t;
			break;
		}

		/* ---- ALU */
		case ISA_OP_ADD: {
			int32_t r;
			if (__builtin_add_overflow((int32_t)R[rs], (int32_t)R[rt], &r)) {
				cpu_exception(cpu, EXC_OV, false);
				goto fault;
			}
			R[rd] = (uint32_t)r;
			break;
		}
		case ISA_OP_ADDU: R[rd] = R[rs] + R[rt]; break;
		case ISA_OP_SUB: {
			int32_t r;
			if (__builtin_sub_overflow((int32_t)R[rs], (int32_t)R[rt], &r)) {
				cpu_exception(cpu, EXC_OV, false);
				goto fault;
			}
			R[rd] = (uint32_t)r;
			break;
		}
		case ISA_OP_SUBU: R[rd] = R[rs] - R[rt]; break;
		case ISA_OP_AND: R[rd] = R[rs] & R[rt]; break;
		case ISA_OP_OR: R[rd] = R[rs] | R[rt]; break;
		case ISA_OP_XOR: R[rd] = R[rs] ^ R[rt]; break;
		case ISA_OP_NOR: R[rd] = ~(R[rs] | R[rt]); break;
		case ISA_OP_SLT: R[rd] = (int32_t)R[rs] < (int32_t)R[rt]; break;
		case ISA_OP_SLTU: R[rd] = R[rs] < R[rt]; break;
		case ISA_OP_MOVZ: if (R[rt] == 0) R[rd] = R[rs]; break;
		case ISA_OP_MOVN: if (R[rt] != 0) R[rd] = R[rs]; break;
		case ISA_OP_ADDI: {
			int32_t r;
			if (__builtin_add_overflow((int32_t)R[rs], (int32_t)d->imm, &r)) {
				cpu_exception(cpu, EXC_OV, false);
				goto fault;
			}
			R[rt] = (uint32_t)r;
			break;
		}
		case ISA_OP_ADDIU: R[rt] = R[rs] + d->imm; break;
		case ISA_OP_SLTI: R[rt] = (int32_t)R[rs] < (int32_t)d->imm; break;
		case ISA_OP_SLTIU: R[rt] = R[rs] < d->imm; break;
		case ISA_OP_ANDI: R[rt] = R[rs] & d->imm; break;
		case ISA_OP_ORI: R[rt] = R[rs] | d->imm; break;
		case ISA_OP_XORI: R[rt] = R[rs] ^ d->imm; break;
		case ISA_OP_LUI: R[rt] = d->imm; break;
		case ISA_OP_CLZ: R[rd] = clz32(R[rs]); break;
		case ISA_OP_CLO: R[rd] = clz32(~R[rs]); break;
		case ISA_OP_SEB: R[rd] = (uint32_t)(int32_t)(int8_t)R[rt]; break;
		case ISA_OP_SEH: R[rd] = (uint32_t)(int32_t)(int16_t)R[rt]; break;
		case ISA_OP_WSBH:
			t = R[rt];
			R[rd] = ((t & 0x00ff00ffu) << 8) | ((t >> 8) & 0x00ff00ffu);
			break;
		case ISA_OP_EXT:
			R[rt] = (R[rs] >> d->sa) & d->imm;
			break;
		case ISA_OP_INS:
			R[rt] = (R[rt] & ~d->imm) | ((R[rs] << d->sa) & d->imm);
			break;

		/* ---- multiply and divide */
		case ISA_OP_MULT: {
			int64_t p = (int64_t)(int32_t)R[rs] * (int32_t)R[rt];
			cpu->lo = (uint32_t)p;
			cpu->hi = (uint32_t)((uint64_t)p >> 32);
			break;
		}
		case ISA_OP_MULTU: {
			uint64_t p = (uint64_t)R[rs] * R[rt];
			cpu->lo = (uint32_t)p;
			cpu->hi = (uint32_t)(p >> 32);
			break;
		}
		case ISA_OP_MUL:
			R[rd] = (uint32_t)((int64_t)(int32_t)R[rs] * (int32_t)R[rt]);
			break;
		case ISA_OP_MADD: case ISA_OP_MSUB: {
			int64_t acc = (int64_t)(((uint64_t)cpu->hi << 32) | cpu->lo);
			int64_t p = (int64_t)(int32_t)R[rs] * (int32_t)R[rt];
			uint64_t r = (d->op == ISA_OP_MADD) ? (uint64_t)acc + (uint64_t)p
							     : (uint64_t)acc - (uint64_t)p;
			cpu->lo = (uint32_t)r;
			cpu->hi = (uint32_t)(r >> 32);
			break;
		}
		case ISA_OP_MADDU: case ISA_OP_MSUBU: {
			uint64_t acc = ((uint64_t)cpu->hi << 32) | cpu->lo;
			uint64_t p = (uint64_t)R[rs] * R[rt];
			uint64_t r = (d->op == ISA_OP_MADDU) ? acc + p : acc - p;
			cpu->lo = (uint32_t)r;
			cpu->hi = (uint32_t)(r >> 32);
			break;
		}
		case ISA_OP_DIV: {
			int32_t a = (int32_t)R[rs], b = (int32_t)R[rt];
			if (b == 0) {
				/* UNPREDICTABLE: leave HI/LO as they are */
			} else if (a == INT32_MIN && b == -1) {
				cpu->lo = (uint32_t)INT32_MIN;
				cpu->hi = 0;
			} else {
				cpu->lo = (uint32_t)(a / b);
				cpu->hi = (uint32_t)(a % b);
			}
			break;
		}
		case ISA_OP_DIVU:
			if (R[rt] != 0) {
				cpu->lo = R[rs] / R[rt];
				cpu->hi = R[rs] % R[rt];
			}
			break;
		case ISA_OP_MFHI: R[rd] = cpu->hi; break;
		case ISA_OP_MFLO: R[rd] = cpu->lo; break;
		case ISA_OP_MTHI: cpu->hi = R[rs]; break;
		case ISA_OP_MTLO: cpu->lo = R[rs]; break;

		/* ---- branches and jumps */
#define BRANCH(cond)                                                          \
	do {                                                                  \
		if (cond)                                                     \
			after = pc + 4 + d->imm;                              \
		next_ds = true;                                               \
	} while (0)
#define BRANCH_LIKELY(cond)                                                   \
	do {                                                                  \
		if (cond) {                                                   \
			after = pc + 4 + d->imm;                              \
			next_ds = true;                                       \
		} else {                                                      \
			next += 4; /* the delay slot is nullified */          \
			after = next + 4;                                     \
		}                                                             \
	} while (0)
		case ISA_OP_BEQ: BRANCH(R[rs] == R[rt]); break;
		case ISA_OP_BNE: BRANCH(R[rs] != R[rt]); break;
		case ISA_OP_BLEZ: BRANCH((int32_t)R[rs] <= 0); break;
		case ISA_OP_BGTZ: BRANCH((int32_t)R[rs] > 0); break;
		case ISA_OP_BLTZ: BRANCH((int32_t)R[rs] < 0); break;
		case ISA_OP_BGEZ: BRANCH((int32_t)R[rs] >= 0); break;
		case ISA_OP_BLTZAL:
			t = (int32_t)R[rs] < 0;
			R[31] = pc + 8;
			BRANCH(t);
			break;
		case ISA_OP_BGEZAL:
			t = (int32_t)R[rs] >= 0;
			R[31] = pc + 8;
			BRANCH(t);
			break;
		case ISA_OP_BEQL: BRANCH_LIKELY(R[rs] == R[rt]); break;
		case ISA_OP_BNEL: BRANCH_LIKELY(R[rs] != R[rt]); break;
		case ISA_OP_BLEZL: BRANCH_LIKELY((int32_t)R[rs] <= 0); break;
		case ISA_OP_BGTZL: BRANCH_LIKELY((int32_t)R[rs] > 0); break;
		case ISA_OP_BLTZL: BRANCH_LIKELY((int32_t)R[rs] < 0); break;
		case ISA_OP_BGEZL: BRANCH_LIKELY((int32_t)R[rs] >= 0); break;
		case ISA_OP_BLTZALL:
			t = (int32_t)R[rs] < 0;
			R[31] = pc + 8;
			BRANCH_LIKELY(t);
			break;
		case ISA_OP_BGEZALL:
			t = (int32_t)R[rs] >= 0;
			R[31] = pc + 8;
			BRANCH_LIKELY(t);
			break;
		case ISA_OP_J:
			after = ((pc + 4) & 0xf0000000u) | d->imm;
			next_ds = true;
			break;
		case ISA_OP_JAL:
			after = ((pc + 4) & 0xf0000000u) | d->imm;
			R[31] = pc + 8;
			next_ds = true;
			break;
		case ISA_OP_JR: case ISA_OP_JR_HB:
			after = R[rs];
			next_ds = true;
			break;
		case ISA_OP_JALR: case ISA_OP_JALR_HB:
			after = R[rs]; /* read before rd is written: rd may equal rs */
			R[rd] = pc + 8;
			next_ds = true;
			break;

		/* ---- loads and stores */
		case ISA_OP_LB:
			if (!ld_s8(cpu, R[rs] + d->imm, &v)) goto fault;
			R[rt] = v;
			break;
		case ISA_OP_LBU:
			if (!ld_u8(cpu, R[rs] + d->imm, &v)) goto fault;
			R[rt] = v;
			break;
		case ISA_OP_LH:
			if (!ld_s16(cpu, R[rs] + d->imm, &v)) goto fault;
			R[rt] = v;
			break;
		case ISA_OP_LHU:
			if (!ld_u16(cpu, R[rs] + d->imm, &v)) goto fault;
			R[rt] = v;
			break;
		case ISA_OP_LW:
			if (!ld_32(cpu, R[rs] + d->imm, &v)) goto fault;
			R[rt] = v;
			break;
		case ISA_OP_SB:
			if (!st_8(cpu, R[rs] + d->imm, R[rt])) goto fault;
			break;
		case ISA_OP_SH:
			if (!st_16(cpu, R[rs] + d->imm, R[rt])) goto fault;
			break;
		case ISA_OP_SW:
			if (!st_32(cpu, R[rs] + d->imm, R[rt])) goto fault;
			break;
		case ISA_OP_LWL: case ISA_OP_LWR: {
			uint32_t va = R[rs] + d->imm, pa, w;
			unsigned k = va & 3;
			if (!unaligned_word(cpu, va, ACC_LOAD, &pa, &w)) goto fault;
			if (d->op == ISA_OP_LWL)
				R[rt] = (R[rt] & (0x00ffffffu >> (8 * k))) | (w << (8 * (3 - k)));
			else
				R[rt] = (R[rt] & (0xffffff00u << (8 * (3 - k)))) | (w >> (8 * k));
			break;
		}
		case ISA_OP_SWL: case ISA_OP_SWR: {
			uint32_t va = R[rs] + d->imm, pa, w;
			unsigned k = va & 3;
			if (!unaligned_word(cpu, va, ACC_STORE, &pa, &w)) goto fault;
			if (d->op == ISA_OP_SWL)
				w = (w & (0xffffff00u << (8 * k))) | (R[rt] >> (8 * (3 - k)));
			else
				w = (w & (0x00ffffffu >> (8 * (3 - k)))) | (R[rt] << (8 * k));
			if (!store_word_pa(cpu, pa, w)) goto fault;
			break;
		}
		case ISA_OP_LL: {
			uint32_t pa;
			if (!mmu_load_pa(cpu, R[rs] + d->imm, &v, &pa)) goto fault;
			R[rt] = v;
			cpu->llbit = true;
			cpu->cp0.lladdr = pa >> 4;
			break;
		}
		case ISA_OP_SC: {
			uint32_t va = R[rs] + d->imm, pa;
			if (va & 3) {
				cpu_address_error(cpu, EXC_ADES, va);
				goto fault;
			}
			if (!mmu_translate(cpu, va, ACC_STORE, &pa)) goto fault;
			if (cpu->llbit) {
				if (!store_word_pa(cpu, pa, R[rt])) goto fault;
				R[rt] = 1;
			} else {
				R[rt] = 0;
			}
			cpu->llbit = false;
			break;
		}
		case ISA_OP_CACHE:
			if (!can_use_cp0(cpu)) {
				cpu_exception_cpu(cpu, 0);
				goto fault;
			}
			/* Caches are not modelled: every operation is a no-op.
			 * Stores already keep predecoded code coherent. */
			break;

		/* ---- exceptions and traps */
		case ISA_OP_SYSCALL: cpu_exception(cpu, EXC_SYS, false); goto fault;
		case ISA_OP_BREAK: cpu_exception(cpu, EXC_BP, false); goto fault;
#define TRAP(cond)                                                            \
	do {                                                                  \
		if (cond) {                                                   \
			cpu_exception(cpu, EXC_TR, false);                    \
			goto fault;                                           \
		}                                                             \
	} while (0)
		case ISA_OP_TGE: TRAP((int32_t)R[rs] >= (int32_t)R[rt]); break;
		case ISA_OP_TGEU: TRAP(R[rs] >= R[rt]); break;
		case ISA_OP_TLT: TRAP((int32_t)R[rs] < (int32_t)R[rt]); break;
		case ISA_OP_TLTU: TRAP(R[rs] < R[rt]); break;
		case ISA_OP_TEQ: TRAP(R[rs] == R[rt]); break;
		case ISA_OP_TNE: TRAP(R[rs] != R[rt]); break;
		case ISA_OP_TGEI: TRAP((int32_t)R[rs] >= (int32_t)d->imm); break;
		case ISA_OP_TGEIU: TRAP(R[rs] >= d->imm); break;
		case ISA_OP_TLTI: TRAP((int32_t)R[rs] < (int32_t)d->imm); break;
		case ISA_OP_TLTIU: TRAP(R[rs] < d->imm); break;
		case ISA_OP_TEQI: TRAP(R[rs] == d->imm); break;
		case ISA_OP_TNEI: TRAP(R[rs] != d->imm); break;

		case ISA_OP_RDHWR:
			if (!rdhwr(cpu, rd, &v)) {
				cpu_exception(cpu, EXC_RI, false);
				goto fault;
			}
			R[rt] = v;
			break;

		/* ---- coprocessor 0 */
		case ISA_OP_MFC0:
			if (!can_use_cp0(cpu)) goto cpu0;
			cp0_read(cpu, rd, d->word & 7, &v);
			R[rt] = v;
			break;
		case ISA_OP_MTC0:
			if (!can_use_cp0(cpu)) goto cpu0;
			cp0_write(cpu, rd, d->word & 7, R[rt]);
			break;
		case ISA_OP_RDPGPR: /* one shadow set: the current registers */
			if (!can_use_cp0(cpu)) goto cpu0;
			R[rd] = R[rt];
			break;
		case ISA_OP_WRPGPR:
			if (!can_use_cp0(cpu)) goto cpu0;
			R[rd] = R[rt];
			break;
		case ISA_OP_DI: case ISA_OP_EI:
			if (!can_use_cp0(cpu)) goto cpu0;
			R[rt] = cpu->cp0.status;
			if (d->op == ISA_OP_EI)
				cpu->cp0.status |= ST_IE;
			else
				cpu->cp0.status &= ~ST_IE;
			cpu->next_event = cpu->icount;
			break;
		case ISA_OP_TLBR:
			if (!can_use_cp0(cpu)) goto cpu0;
			tlb_tlbr(cpu);
			break;
		case ISA_OP_TLBWI:
			if (!can_use_cp0(cpu)) goto cpu0;
			if (!tlb_tlbwi(cpu)) goto fault;
			break;
		case ISA_OP_TLBWR:
			if (!can_use_cp0(cpu)) goto cpu0;
			if (!tlb_tlbwr(cpu)) goto fault;
			break;
		case ISA_OP_TLBP:
			if (!can_use_cp0(cpu)) goto cpu0;
			tlb_tlbp(cpu);
			break;
		case ISA_OP_TLBINV:
			if (!can_use_cp0(cpu)) goto cpu0;
			tlb_tlbinv(cpu);
			break;
		case ISA_OP_TLBINVF:
			if (!can_use_cp0(cpu)) goto cpu0;
			tlb_tlbinvf(cpu);
			break;
		case ISA_OP_ERET: case ISA_OP_ERETNC:
			if (!can_use_cp0(cpu)) goto cpu0;
			cpu_eret(cpu, d->op == ISA_OP_ERET);
			goto redirected;
		case ISA_OP_WAIT:
			if (!can_use_cp0(cpu)) goto cpu0;
			cpu->waiting = true;
			cpu->next_event = cpu->icount;
			break;

		/* ---- coprocessors this core does not have */
		case ISA_OP_COP1: case ISA_OP_COP1X: case ISA_OP_MOVF: case ISA_OP_MOVT:
		case ISA_OP_LWC1: case ISA_OP_LDC1: case ISA_OP_SWC1: case ISA_OP_SDC1:
			cpu_exception_cpu(cpu, 1);
			goto fault;
		case ISA_OP_COP2: case ISA_OP_LWC2: case ISA_OP_LDC2: case ISA_OP_SWC2:
		case ISA_OP_SDC2:
			cpu_exception_cpu(cpu, 2);
			goto fault;

		/* ---- reserved here: no EJTAG (SDBBP, DERET), no VZ yet */
		case ISA_OP_SDBBP: case ISA_OP_DERET:
		default:
			cpu_exception(cpu, EXC_RI, false);
			goto fault;
		}
		R[0] = 0;
		if (next_ds)
			cpu->branch_word = d->word;
		cpu->pc = next;
		cpu->npc = after;
		cpu->in_ds = next_ds;
		if (traced) {
			ev.exc = -1;
			cpu->sink(cpu->sink_ctx, &ev);
		}
		continue;

	cpu0:
		cpu_exception_cpu(cpu, 0);
	fault:
	redirected:
		R[0] = 0;
		if (traced) {
			ev.exc = cpu->cur_exc;
			cpu->sink(cpu->sink_ctx, &ev);
		}
	}
}

enum vzsim_stop cpu_run(struct cpu *cpu, uint64_t max_insns)
{
	cpu->run_limit = max_insns > UINT64_MAX - cpu->icount ? UINT64_MAX
							     : cpu->icount + max_insns;
	cpu->next_event = cpu->icount; /* look around before the first one */
	enum vzsim_stop r = cpu->sink ? run_loop(cpu, true) : run_loop(cpu, false);
	if (r == VZSIM_STOP_REQUESTED || r == VZSIM_STOP_RESET)
		cpu->stop_requested = false;
	cpu->run_limit = UINT64_MAX;
	cpu_update_next_event(cpu);
	return r;
}
