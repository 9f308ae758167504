/*
 * The block compiler (jit_x86_64.c): host code for hot blocks of the
 * block path (exec_block.h), traced or not (not with data tracing).  A compiled block does what the
 * block path's handlers would do for the same run of instructions, and
 * may hand over to them at any instruction boundary (a soft-TLB miss, an
 * instruction it does not compile), so precise exceptions, the count and
 * every slow path stay the handlers' own.
 *
 * A block is compiled for its first instruction's run (pd_insn.run), once
 * it has started jit.hot times; the code is independent of the virtual
 * address it runs at (the block's pc is an argument) and of the
 * translation (the soft-TLB slots and key are arguments).  Whatever
 * forgets the run (mmu_code_written) forgets the code.
 */
#ifndef VZSIM_JIT_H
#define VZSIM_JIT_H

#include <stdbool.h>
#include <stdint.h>

#include <vzsim/vzsim.h> /* VZSIM_JIT_HOT */

struct cpu;
struct pd_insn;
struct stlb_entry;

/* Per predecoded instruction, beside it in its page (JIT_OF). */
struct pd_jit {
	void *code;    /* compiled block starting here, or NULL */
	uint32_t hits; /* block starts here while not compiled */
	uint32_t pad;
};

/*
 * A compiled block: runs from instruction 0 of the block at pc, then,
 * as the block path does, the next block while it starts in the same
 * page, is compiled and ends before the next event (round again itself
 * first, for a loop onto its own start).  It returns with the block it
 * ended in, of n instructions, in jit.first and jit.pc, and the result
 * (k, ds, n, after): k == n when that block ran all n (ds: it ended in a
 * branch's delay slot and after is the branch's target or fall-through),
 * else the block path goes on at its instruction k (ds: k is the delay
 * slot of a branch to after).
 */
typedef uint64_t (*jit_block_fn)(struct cpu *cpu, uint32_t pc,
				 struct stlb_entry *stlb, uint32_t key);
#define JIT_DS 0x10000u
#define JIT_RESULT_K(r) ((unsigned)((r) & 0xffffu))
#define JIT_RESULT_DS(r) (((r) & JIT_DS) != 0)
#define JIT_RESULT_AFTER(r) ((uint32_t)((r) >> 32))
#define JIT_N_SHIFT 20
#define JIT_RESULT_N(r) ((unsigned)((r) >> JIT_N_SHIFT) & 0xfffu)

/* Block starts before a block is compiled, unless set otherwise. */
#define JIT_HOT_DEFAULT VZSIM_JIT_HOT

/* The compiler's state in the CPU. */
struct jit {
	uint8_t *mem;      /* executable arena, NULL until first needed */
	size_t size, used;
	uint32_t hot;      /* block starts before compiling; 0: never   */
	bool broken;       /* no executable memory: do not ask again    */
	uint64_t compiled; /* blocks compiled                           */
	/* Where a compiled block returned from (jit_block_fn). */
	const struct pd_insn *first;
	uint32_t pc;
	/* Set by the caller: whether a block calls the trace unit's hook at
	 * its branch (the traced loop), as the handlers do; set by the
	 * block: whether its conditional branch was taken, for the hook. */
	bool hooks;
	uint8_t taken;
};

/* Whether this host has a block compiler. */
bool jit_available(void);
/* Compiles the n-instruction block at d (a predecoded page's) into its
 * JIT_OF(d)->code; false if it cannot (no first instruction it compiles,
 * no memory). */
bool jit_compile(struct cpu *cpu, struct pd_insn *d, unsigned n);
/* Forgets every compiled block (a full arena, a reset of the pages). */
void jit_flush(struct cpu *cpu);
void jit_destroy(struct cpu *cpu);

#endif
