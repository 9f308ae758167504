/*
 * The names exec_ops.h's handlers use, as the one-at-a-time path
 * (exec_loop.h) has them: included by exec.c before the loops and again
 * after exec_block.h, which has names of its own (and leaves none of them
 * defined: exec_undef.h).  Not a standalone header.
 */
#define OP(x) GENERAL_OP(x)
#define END_OP GENERAL_END_OP
#define END_BRANCH END_OP
#define BRANCH_GUARD() do { } while (0)
#define BRANCH GENERAL_BRANCH
#define RS rs
#define RT rt
#define RD rd
#define CUR_PC pc
#define STLB_OF(va) stlb_of(cpu, (va))
#define STLB_KEY (cpu->stlb_key)
#define TRACE_AT() do { } while (0)
#define TRACE_DONE() do { } while (0)
/* One instruction at a time, the state is always the instruction's. */
#define SLOW_BEGIN() do { } while (0)
#define SLOW_END() do { } while (0)
#define SLOW_RESUME() do { } while (0)
