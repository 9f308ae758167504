/*
 * The block path (exec.c, "Blocks"), included once by exec.c: a function
 * of its own, so that the few values it keeps between instructions stay
 * in host registers.  Not a standalone header.
 *
 * RUN_BLOCKS (run_blocks, and run_blocks_pdt with the PDtrace unit's
 * hooks: PDT) runs the n block-safe instructions at d, the fetch page's
 * instruction at cpu->pc (not in a delay slot, n of them before the next
 * event), then, while the next pc starts another block in the same page
 * that also ends before the next event, that one (block chaining); it
 * returns with the state as the one-at-a-time path would have it after
 * the last instruction it ran, or after an exception's redirection.
 */
#include "exec_undef.h"

THREADED_CODE static void RUN_BLOCKS(struct cpu *cpu, struct pd_insn *d, unsigned n)
{
	/* Every op that is not block-safe, PD_PAGE_END and PD_UNDECODED
	 * stop the block before them (stop); delay slots have handlers of
	 * their own (D_), which end the block after them. */
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Winitializer-overrides"
#else
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
#endif
	static void *const bdispatch[256] = {
		[0 ... 255] = &&stop,
#define BLOCK_LABEL(x) [ISA_OP_##x] = &&B_##x,
		BLOCK_OPS(BLOCK_LABEL)
#undef BLOCK_LABEL
	};
	static void *const ddispatch[256] = {
		[0 ... 255] = &&stop,
#define BLOCK_LABEL(x) [ISA_OP_##x] = &&D_##x,
		BLOCK_OPS(BLOCK_LABEL)
#undef BLOCK_LABEL
	};
#if defined(__clang__)
#pragma clang diagnostic pop
#else
#pragma GCC diagnostic pop
#endif
	/* The translation class cannot change inside a block: only an
	 * exception, a CP0 write or eret change it, and each ends one. */
	struct stlb_entry *const stlb = cpu->stlb[cpu->mclass];
	const uint32_t key = cpu->stlb_key;
	const struct pd_insn *first, *last; /* the block's */
	uint32_t pc = cpu->pc;              /* first's address */
	uint32_t after = 0, v, t;
	bool next_ds;

start:
	cpu->icount += n;
	first = d;
	last = d + n - 1;
	next_ds = false;
	/* A hot block runs compiled (jit.h), which hands over to the
	 * handlers below at the instruction it stops before, if any; in the
	 * traced loop it calls its branch's hook as they do.  Data tracing
	 * is the handlers'. */
	if (!PDT || !(trace_wants_mem(&cpu->trace, false) || trace_wants_mem(&cpu->trace, true))) {
		struct pd_jit *j = JIT_OF(d);
		if (j->code || (unlikely(++j->hits == cpu->jit.hot) && jit_compile(cpu, d, n))) {
			cpu->jit.hooks = PDT;
			uint64_t r = ((jit_block_fn)j->code)(cpu, pc, stlb, key);
			/* It may have chained to others: the one it ended in. */
			first = cpu->jit.first;
			pc = cpu->jit.pc;
			n = JIT_RESULT_N(r);
			last = first + n - 1;
			unsigned k = JIT_RESULT_K(r);
			next_ds = JIT_RESULT_DS(r);
			after = JIT_RESULT_AFTER(r);
			if (k == n) {
				d = (struct pd_insn *)last;
				goto done;
			}
			d = (struct pd_insn *)first + k;
			if (next_ds)
				goto *ddispatch[d->op];
		}
	}
	goto *bdispatch[d->op];

/* Handlers chain straight to the next instruction of the block, and read
 * the fields they use from it; a branch or jump to its delay slot's
 * handler, which ends the block.  next_ds says the instruction is the
 * delay slot of the block's branch, which can only be its last. */
#define OP(x) B_##x:
#define END_OP                                                                \
	do {                                                                  \
		d++;                                                          \
		goto *bdispatch[d->op];                                       \
	} while (0)
#define END_BRANCH                                                            \
	do {                                                                  \
		d++;                                                          \
		goto *ddispatch[d->op];                                       \
	} while (0)
/* A branch whose slot cannot be run here ends the block before it. */
#define BRANCH_GUARD()                                                        \
	do {                                                                  \
		if (unlikely(d->flags & PD_NOBLOCK))                          \
			goto stop;                                            \
	} while (0)
#define RS (d->rs)
#define RT (d->rt)
#define RD (d->rd)
#define CUR_PC (pc + 4u * (uint32_t)(d - first))
/* The slot's byte offset straight from va (entries are 16 bytes). */
#define STLB_OF(va)                                                           \
	((struct stlb_entry *)((char *)stlb + (((va) >> 8) & ((STLB_SIZE - 1) << 4))))
#define STLB_KEY key
#define BRANCH(cond)                                                          \
	do {                                                                  \
		bool taken_ = (cond);                                         \
		after = taken_ ? CUR_PC + 4 + d->imm : CUR_PC + 8;            \
		next_ds = true;                                               \
		TRACED(trace_branch(cpu, taken_));                            \
	} while (0)
/* A trace hook reads the count: at this instruction for it, then ahead
 * again. */
#define TRACE_AT() (cpu->icount -= (uint64_t)(last - d))
#define TRACE_DONE() (cpu->icount += (uint64_t)(last - d))
/* Before the slow path of a load or store, which may raise an exception
 * or read the state: the count stops at this instruction, and pc, npc,
 * the delay-slot state are those the one-at-a-time path would have. */
#define SLOW_BEGIN()                                                          \
	do {                                                                  \
		cpu->icount -= (uint64_t)(last - d);                          \
		cpu->pc = CUR_PC;                                             \
		cpu->in_ds = next_ds;                                         \
		cpu->npc = next_ds ? after : CUR_PC + 4;                      \
		if (next_ds)                                                  \
			cpu->branch_word = d[-1].word;                        \
	} while (0)
/* The slow access may have changed what the loop looks at (a store to
 * code, a device's stop request): the block ends after it, and the next
 * one starts only if it still can. */
#define SLOW_END() goto done_slow
/* After a CP0 read: the rest of the block counted again. */
#define SLOW_RESUME() (cpu->icount += (uint64_t)(last - d))
	{
#include "exec_ops.h"
	}
	/* The same handlers for a delay slot, which ends the block. */
#undef OP
#undef END_OP
#define OP(x) D_##x:
#define END_OP goto done
	{
#include "exec_ops.h"
	}

done:
	/* A loop that is one block (it ends in a branch back to its first
	 * instruction) goes round again without looking it up. */
	if (next_ds && after == pc && cpu->icount + n <= cpu->next_event) {
		d = (struct pd_insn *)first;
		goto start;
	}
done_slow:
	pc = next_ds ? after : CUR_PC + 4;
chain:
	{
		/* Chain: the next block, if it can start now; in another page
		 * if the fetch TLB has it. */
		uint32_t off = pc - cpu->fetch_vbase;
		if ((off & 0xfffff000u) && mmu_fetch_tlb_hit(cpu, pc))
			off = pc & 0xfffu;
		if (!(off & 0xfffff003u)) {
			d = &cpu->fetch_page[off >> 2];
			n = d->run;
			/* A known run is of decoded, block-safe instructions. */
			if (n != PD_RUN_UNKNOWN && n && cpu->icount + n <= cpu->next_event)
				goto start;
		}
	}
leave: /* at pc, not in a delay slot */
	cpu->pc = pc;
	cpu->npc = pc + 4;
	cpu->in_ds = false;
	return;
stop:
	/* The block ends before d, which it did not count (block_run): not
	 * block-safe, the page's end, or a branch with an unfit slot. */
	cpu->icount -= (uint64_t)(last + 1 - d);
	pc = CUR_PC;
	next_ds = false;
	if (d == first) {
		/* Cannot happen (a run never starts where its block would
		 * stop), but if it did, not again. */
		d->run = 0;
		goto leave;
	}
	goto chain;
fault:
	/* The exception has redirected pc; the count stopped at the
	 * instruction that raised it. */
	return;
}
#include "exec_undef.h"
