/*
 * The block compiler for x86-64 hosts (jit.h): each instruction of a hot
 * block becomes a few host instructions on the GPRs in struct cpu, in the
 * order the block path's handlers (exec_ops.h) would run them.
 *
 * Host registers in a compiled block (System V calling convention):
 *   rdi  the cpu (the GPRs at offset 0, then HI and LO)
 *   esi  the block's pc
 *   rdx  the soft-TLB slots of the translation class
 *   r11d the soft-TLB key (moved from ecx, which shifts need)
 *   r10d a branch's target or fall-through, for its delay slot and after
 *   eax, ecx, r8, r9: scratch
 * Loads and stores check their soft-TLB slot as the handlers do; a miss
 * returns to the block path at that instruction, whose handler takes the
 * slow path.  Instructions not compiled here (divides, a root or user-mode
 * CP0 read, ...) do the same.
 */
#include "cpu.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "exec_ops.h" /* block_branch */

#if defined(__x86_64__) && !defined(VZSIM_NO_JIT)

#include <sys/mman.h>

/* The arena: big enough for every hot block of a soak many times over;
 * when it fills, every block is forgotten and compiled again as it gets
 * hot. */
#define JIT_ARENA (16u << 20)
/* The most bytes one instruction compiles to, with room to spare, and
 * the most the block's end and its hand-over stubs add. */
#define JIT_INSN_MAX 192u
#define JIT_STUB_MAX 48u
#define JIT_END_MAX 256u
/* Where a chained block enters its code: past the prologue. */
#define JIT_ENTRY 3u

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11 };
enum { CC_E = 0x4, CC_NE = 0x5, CC_A = 0x7, CC_L = 0xc, CC_GE = 0xd,
       CC_LE = 0xe, CC_G = 0xf, CC_B = 0x2, CC_AE = 0x3 };

struct emit {
	uint8_t *p;      /* next byte */
	/* Hand-overs to the block path: where each jump's rel32 is, and the
	 * instruction and delay-slot state it hands over at. */
	struct handover {
		uint8_t *rel;
		uint16_t k;
		bool ds;
	} *ho;
	unsigned nho;
	const struct pd_insn *first; /* the block's first instruction */
	unsigned n;                  /* and its length */
};

static void b1(struct emit *e, unsigned v) { *e->p++ = (uint8_t)v; }
static void b4(struct emit *e, uint32_t v) { memcpy(e->p, &v, 4); e->p += 4; }

static void rex(struct emit *e, bool w, unsigned reg, unsigned index, unsigned base, bool force)
{
	unsigned r = 0x40 | (w ? 8 : 0) | ((reg & 8) ? 4 : 0) | ((index & 8) ? 2 : 0) |
		     ((base & 8) ? 1 : 0);
	if (r != 0x40 || force)
		b1(e, r);
}

static void opcode(struct emit *e, const uint8_t *op, unsigned len)
{
	for (unsigned i = 0; i < len; i++)
		b1(e, op[i]);
}

/* op reg, [base + disp] (base neither rsp nor r12). */
static void mem(struct emit *e, bool w, const uint8_t *op, unsigned len, unsigned reg,
		unsigned base, int32_t disp)
{
	rex(e, w, reg, 0, base, false);
	opcode(e, op, len);
	if (disp >= -128 && disp <= 127) {
		b1(e, 0x40 | (reg & 7) << 3 | (base & 7));
		b1(e, (uint8_t)disp);
	} else {
		b1(e, 0x80 | (reg & 7) << 3 | (base & 7));
		b4(e, (uint32_t)disp);
	}
}

/* op reg, [base + index * scale] (scale 1, 2, 4 or 8; base not rbp or r13). */
static void mem_idx(struct emit *e, bool w, bool byte_reg, const uint8_t *op, unsigned len,
		    unsigned reg, unsigned base, unsigned index, unsigned scale)
{
	unsigned ss = scale == 8 ? 3 : scale == 4 ? 2 : scale == 2 ? 1 : 0;
	rex(e, w, reg, index, base, byte_reg && reg >= 4);
	opcode(e, op, len);
	b1(e, 0x04 | (reg & 7) << 3);
	b1(e, ss << 6 | (index & 7) << 3 | (base & 7));
}

/* op reg, rm (registers). */
static void rr(struct emit *e, bool w, const uint8_t *op, unsigned len, unsigned reg, unsigned rm)
{
	rex(e, w, reg, 0, rm, false);
	opcode(e, op, len);
	b1(e, 0xc0 | (reg & 7) << 3 | (rm & 7));
}

#define OP1(x) (const uint8_t[]){x}, 1
#define OP2(x, y) (const uint8_t[]){x, y}, 2

/* The GPRs, HI and LO: offsets in struct cpu. */
static int32_t gpr(unsigned r) { return (int32_t)(offsetof(struct cpu, gpr) + 4 * r); }
#define HI ((int32_t)offsetof(struct cpu, hi))
#define LO ((int32_t)offsetof(struct cpu, lo))

static void load32(struct emit *e, unsigned reg, int32_t off) { mem(e, false, OP1(0x8b), reg, RDI, off); }
static void store32(struct emit *e, unsigned reg, int32_t off) { mem(e, false, OP1(0x89), reg, RDI, off); }
/* ALU op reg, [rdi + off]: add 03, or 0b, and 23, sub 2b, xor 33, cmp 3b. */
static void alu_mem(struct emit *e, uint8_t op, unsigned reg, int32_t off) { mem(e, false, &op, 1, reg, RDI, off); }
/* ALU op reg, imm32 (81 /digit): add 0, or 1, and 4, sub 5, xor 6, cmp 7. */
static void alu_imm(struct emit *e, unsigned digit, unsigned reg, uint32_t imm)
{
	rr(e, false, OP1(0x81), digit, reg);
	b4(e, imm);
}
/* The same on a 64-bit register, imm32 sign-extended. */
static void alu_imm64(struct emit *e, unsigned digit, unsigned reg, uint32_t imm)
{
	rr(e, true, OP1(0x81), digit, reg);
	b4(e, imm);
}
/* Shift reg by imm8 (c1 /digit) or cl (d3 /digit): rol 0, ror 1, shl 4,
 * shr 5, sar 7. */
static void shift_imm(struct emit *e, unsigned digit, unsigned reg, unsigned n)
{
	rr(e, false, OP1(0xc1), digit, reg);
	b1(e, n & 31);
}
static void shift_cl(struct emit *e, unsigned digit, unsigned reg) { rr(e, false, OP1(0xd3), digit, reg); }
/* The same on a 64-bit register. */
static void shift_imm64(struct emit *e, unsigned digit, unsigned reg, unsigned n)
{
	rr(e, true, OP1(0xc1), digit, reg);
	b1(e, n & 63);
}
static void mov_imm(struct emit *e, unsigned reg, uint32_t imm)
{
	rex(e, false, 0, 0, reg, false);
	b1(e, 0xb8 + (reg & 7));
	b4(e, imm);
}
static void mov_imm64(struct emit *e, unsigned reg, uint64_t imm)
{
	rex(e, true, 0, 0, reg, false);
	b1(e, 0xb8 + (reg & 7));
	b4(e, (uint32_t)imm);
	b4(e, (uint32_t)(imm >> 32));
}
static void store_imm(struct emit *e, int32_t off, uint32_t imm)
{
	mem(e, false, OP1(0xc7), 0, RDI, off);
	b4(e, imm);
}
/* lea reg, [rsi + disp]: an address relative to the block's pc. */
static void pc_rel(struct emit *e, unsigned reg, int32_t disp)
{
	rex(e, false, reg, 0, RSI, false);
	b1(e, 0x8d);
	b1(e, 0x80 | (reg & 7) << 3 | (RSI & 7));
	b4(e, (uint32_t)disp);
}

/* A jump (jcc, or jmp with cc < 0) handed over to the block path at
 * instruction k. */
static void handover(struct emit *e, int cc, unsigned k, bool ds)
{
	if (cc < 0) {
		b1(e, 0xe9);
	} else {
		b1(e, 0x0f);
		b1(e, 0x80 + (unsigned)cc);
	}
	e->ho[e->nho++] = (struct handover){.rel = e->p, .k = (uint16_t)k, .ds = ds};
	b4(e, 0);
}

/* Returns from the block (jit_block_fn): jit.first and jit.pc, and the
 * result (k, ds, n, r10d). */
static void ret_result(struct emit *e, unsigned k, bool ds)
{
	mov_imm64(e, RAX, (uint64_t)(uintptr_t)e->first);
	mem(e, true, OP1(0x89), RAX, RDI, (int32_t)offsetof(struct cpu, jit.first));
	mem(e, false, OP1(0x89), RSI, RDI, (int32_t)offsetof(struct cpu, jit.pc));
	uint32_t low = k | (ds ? JIT_DS : 0) | e->n << JIT_N_SHIFT;
	if (ds) {
		rr(e, false, OP1(0x8b), RAX, R10);                    /* mov eax, r10d   */
		shift_imm64(e, 4, RAX, 32);
		alu_imm64(e, 1, RAX, low);                             /* or rax, low     */
	} else {
		mov_imm(e, RAX, low);
	}
	b1(e, 0xc3);
}

/* A jcc rel32 whose target patch() sets later; returns its end. */
static uint8_t *jcc_fwd(struct emit *e, unsigned cc)
{
	b1(e, 0x0f);
	b1(e, 0x80 + cc);
	b4(e, 0);
	return e->p;
}

static void patch(uint8_t *end, const uint8_t *to)
{
	int32_t rel = (int32_t)(to - end);
	memcpy(end - 4, &rel, 4);
}

/*
 * The block's end, with r10d the next pc: on to the next block in the
 * same page if it is compiled and ends before the next event, as the
 * block path's chain would (exec_block.h), else on to what follows (the
 * return).  page is the block's predecoded page (its insn[0]), idx0 the
 * block's first instruction's index in it.
 */
static void chain(struct emit *e, const struct pd_insn *page, unsigned idx0)
{
	uint8_t *out[4];
	rr(e, false, OP1(0x8b), RAX, R10);                     /* mov eax, r10d        */
	rr(e, false, OP1(0x2b), RAX, RSI);                     /* sub eax, esi         */
	alu_imm(e, 0, RAX, 4 * idx0);                          /* add eax, the offset  */
	b1(e, 0xa9); b4(e, 0xfffff003u);                       /* test eax, ~page | 3  */
	out[0] = jcc_fwd(e, CC_NE);
	mov_imm64(e, RCX, (uint64_t)(uintptr_t)page);
	_Static_assert(sizeof(struct pd_insn) == 16, "an entry is at 4 times its byte offset");
	mem_idx(e, true, false, OP1(0x8d), RCX, RCX, RAX, 4);  /* lea rcx, [rcx+rax*4] */
	mem(e, false, OP2(0x0f, 0xb7), R8, RCX, (int32_t)offsetof(struct pd_insn, run));
	mem(e, false, OP1(0x8d), R9, R8, -1);                  /* lea r9d, [r8 - 1]    */
	alu_imm(e, 7, R9, PD_RUN_UNKNOWN - 2);                 /* no run, or unknown   */
	out[1] = jcc_fwd(e, CC_A);
	mem(e, true, OP1(0x8b), R9, RCX,
	    (int32_t)(offsetof(struct pd_page, jit) - offsetof(struct pd_page, insn) +
		      offsetof(struct pd_jit, code)));         /* mov r9, its code     */
	rr(e, true, OP1(0x85), R9, R9);                        /* test r9, r9          */
	out[2] = jcc_fwd(e, CC_E);
	mem(e, true, OP1(0x8b), RAX, RDI, (int32_t)offsetof(struct cpu, icount));
	rr(e, true, OP1(0x03), RAX, R8);                       /* add rax, r8 (its n)  */
	mem(e, true, OP1(0x3b), RAX, RDI, (int32_t)offsetof(struct cpu, next_event));
	out[3] = jcc_fwd(e, CC_A);
	mem(e, true, OP1(0x89), RAX, RDI, (int32_t)offsetof(struct cpu, icount));
	rr(e, false, OP1(0x8b), RSI, R10);                     /* mov esi, r10d (pc)   */
	rr(e, true, OP1(0x83), 0, R9);                         /* add r9, JIT_ENTRY    */
	b1(e, JIT_ENTRY);
	b1(e, 0x41); b1(e, 0xff); b1(e, 0xe1);                 /* jmp r9               */
	for (unsigned i = 0; i < 4; i++)
		patch(out[i], e->p);
}

/*
 * A load's or store's address and soft-TLB check: eax = va, rcx = the
 * slot's host addend; a miss hands over at k.  The compare keeps the
 * access's misalignment bits, as the handlers' does.
 */
static void mem_check(struct emit *e, const struct pd_insn *d, unsigned size, bool store,
		      unsigned k, bool ds)
{
	load32(e, RAX, gpr(d->rs));
	if (d->imm) {
		b1(e, 0x05); /* add eax, imm32 */
		b4(e, d->imm);
	}
	rr(e, false, OP1(0x8b), RCX, RAX);                     /* mov ecx, eax        */
	shift_imm(e, 5, RCX, 8);                               /* shr ecx, 8          */
	alu_imm(e, 4, RCX, (STLB_SIZE - 1) << 4);              /* and ecx, slot mask  */
	rr(e, true, OP1(0x01), RDX, RCX);                      /* add rcx, rdx        */
	rr(e, false, OP1(0x8b), R8, RAX);                      /* mov r8d, eax        */
	alu_imm(e, 4, R8, 0xfffff000u | (size - 1));           /* and r8d, page|align */
	rr(e, false, OP1(0x0b), R8, R11);                      /* or r8d, r11d (key)  */
	mem(e, false, OP1(0x3b), R8, RCX,
	    store ? (int32_t)offsetof(struct stlb_entry, wtag)
		  : (int32_t)offsetof(struct stlb_entry, rtag)); /* cmp r8d, tag     */
	if (!store) {
		handover(e, CC_NE, k, ds);
		mem(e, true, OP1(0x8b), RCX, RCX, (int32_t)offsetof(struct stlb_entry, addend));
		return;
	}
	/*
	 * A store to a RAM page that holds code (its tag has STLB_CODE_PAGE)
	 * into a word never decoded: no block run and no compiled block
	 * holds it (block_run decodes every word of a run), so it is a plain
	 * store, as mmu_store's would be; a decoded word hands over.
	 */
	uint8_t *plain = jcc_fwd(e, CC_E);
	rr(e, false, OP1(0x83), 1, R8);                        /* or r8d, CODE_PAGE   */
	b1(e, STLB_CODE_PAGE);
	mem(e, false, OP1(0x3b), R8, RCX, (int32_t)offsetof(struct stlb_entry, wtag));
	handover(e, CC_NE, k, ds);
	mem(e, true, OP1(0x8b), RCX, RCX, (int32_t)offsetof(struct stlb_entry, addend));
	mem_idx(e, true, false, OP1(0x8d), R9, RCX, RAX, 1);   /* lea r9, [rcx+rax]   */
	mem(e, true, OP1(0x2b), R9, RDI, (int32_t)offsetof(struct cpu, ram)); /* pa  */
	rr(e, true, OP1(0x8b), R8, R9);                        /* mov r8, r9          */
	shift_imm64(e, 5, R8, 12);                             /* shr r8, 12 (page)   */
	shift_imm64(e, 4, R8, 3);                              /* shl r8, 3           */
	mem(e, true, OP1(0x03), R8, RDI, (int32_t)offsetof(struct cpu, pd_pages)); /* + base */
	mem(e, true, OP1(0x8b), R8, R8, 0);                    /* mov r8, [r8]: page  */
	alu_imm(e, 4, R9, 0xffcu);                             /* and r9d, the word   */
	_Static_assert(offsetof(struct pd_page, insn) == 0 && offsetof(struct pd_insn, op) == 0 &&
			       sizeof(struct pd_insn) == 16,
		       "a word's op is at 4 times its byte offset in the page");
	mem_idx(e, false, false, OP1(0x80), 7, R8, R9, 4);     /* cmp byte [r8+r9*4], */
	b1(e, PD_UNDECODED);                                   /*   PD_UNDECODED      */
	handover(e, CC_NE, k, ds);
	uint8_t *done = e->p + 2;
	b1(e, 0xeb); b1(e, 0);                                 /* jmp over            */
	patch(plain, e->p);
	mem(e, true, OP1(0x8b), RCX, RCX, (int32_t)offsetof(struct stlb_entry, addend));
	done[-1] = (uint8_t)(e->p - done);
}

static void load(struct emit *e, const struct pd_insn *d, unsigned k, bool ds)
{
	unsigned size = (d->op == ISA_OP_LW) ? 4 : (d->op == ISA_OP_LH || d->op == ISA_OP_LHU) ? 2 : 1;
	mem_check(e, d, size, false, k, ds);
	switch (d->op) {
	case ISA_OP_LB: mem_idx(e, false, false, OP2(0x0f, 0xbe), R8, RCX, RAX, 1); break;
	case ISA_OP_LBU: mem_idx(e, false, false, OP2(0x0f, 0xb6), R8, RCX, RAX, 1); break;
	case ISA_OP_LH: mem_idx(e, false, false, OP2(0x0f, 0xbf), R8, RCX, RAX, 1); break;
	case ISA_OP_LHU: mem_idx(e, false, false, OP2(0x0f, 0xb7), R8, RCX, RAX, 1); break;
	default: mem_idx(e, false, false, OP1(0x8b), R8, RCX, RAX, 1); break;
	}
	store32(e, R8, gpr(d->rt));
}

static void store(struct emit *e, const struct pd_insn *d, unsigned k, bool ds)
{
	unsigned size = (d->op == ISA_OP_SW) ? 4 : (d->op == ISA_OP_SH) ? 2 : 1;
	mem_check(e, d, size, true, k, ds);
	load32(e, R8, gpr(d->rt));
	if (size == 2)
		b1(e, 0x66);
	mem_idx(e, false, size == 1, OP1(size == 1 ? 0x88 : 0x89), R8, RCX, RAX, 1);
}

/* rd = rs op rt, for the ALU ops with a memory-operand form. */
static void alu3(struct emit *e, uint8_t op, const struct pd_insn *d)
{
	load32(e, RAX, gpr(d->rs));
	alu_mem(e, op, RAX, gpr(d->rt));
	store32(e, RAX, gpr(d->rd));
}

/* rt = rs op imm. */
static void alu_i(struct emit *e, unsigned digit, const struct pd_insn *d)
{
	load32(e, RAX, gpr(d->rs));
	alu_imm(e, digit, RAX, d->imm);
	store32(e, RAX, gpr(d->rt));
}

/* rd = rt shifted by sa (imm) or by rs (variable). */
static void shift(struct emit *e, unsigned digit, const struct pd_insn *d, bool variable)
{
	load32(e, RAX, gpr(d->rt));
	if (variable) {
		load32(e, RCX, gpr(d->rs));
		shift_cl(e, digit, RAX); /* the host masks the count to 5 bits too */
	} else {
		shift_imm(e, digit, RAX, d->sa);
	}
	store32(e, RAX, gpr(d->rd));
}

/* rd (or rt, imm forms) = the compare's result as 0 or 1. */
static void set_cc(struct emit *e, unsigned cc, unsigned dest)
{
	b1(e, 0x0f); b1(e, 0x90 + cc); b1(e, 0xc0);            /* setcc al          */
	b1(e, 0x0f); b1(e, 0xb6); b1(e, 0xc0);                 /* movzx eax, al     */
	store32(e, RAX, gpr(dest));
}

/* HI:LO from the 64-bit product or sum in rax. */
static void store_hilo(struct emit *e)
{
	store32(e, RAX, LO);
	shift_imm64(e, 5, RAX, 32);
	store32(e, RAX, HI);
}

/* rax = the 64-bit product of rs and rt, signed or not. */
static void product(struct emit *e, const struct pd_insn *d, bool sign)
{
	if (sign) {
		mem(e, true, OP1(0x63), RAX, RDI, gpr(d->rs)); /* movsxd rax, rs */
		mem(e, true, OP1(0x63), R8, RDI, gpr(d->rt));
	} else {
		load32(e, RAX, gpr(d->rs));
		load32(e, R8, gpr(d->rt));
	}
	rr(e, true, OP2(0x0f, 0xaf), RAX, R8);                 /* imul rax, r8 */
}

/* r8 = HI:LO as a 64-bit value. */
static void load_hilo(struct emit *e)
{
	load32(e, R8, HI);
	shift_imm64(e, 4, R8, 32);
	load32(e, R9, LO);
	rr(e, true, OP1(0x0b), R8, R9);                        /* or r8, r9   */
}

static void hook(struct emit *e, bool target);

/* A branch's condition into r10d: the target (pc-relative disp) if cc,
 * else the fall-through; flags are set by the caller. */
static void branch_to(struct emit *e, unsigned cc, unsigned k, const struct pd_insn *d)
{
	pc_rel(e, R10, (int32_t)(4 * k + 8));
	pc_rel(e, RAX, (int32_t)(4 * k + 4 + d->imm));
	rr(e, false, OP2(0x0f, (uint8_t)(0x40 + cc)), R10, RAX); /* cmovcc r10d, eax */
	/* setcc byte [jit.taken]: for the trace unit's hook */
	mem(e, false, OP2(0x0f, (uint8_t)(0x90 + cc)), 0, RDI, (int32_t)offsetof(struct cpu, jit.taken));
	hook(e, false);
}

/*
 * Calls into C from a block: every live register kept (rdi, rsi, rdx,
 * r10, r11).  At a block's entry the stack is 8 off the 16-byte
 * alignment a call needs (the return address); the five pushes align it.
 */
static void call_save(struct emit *e)
{
	b1(e, 0x57); b1(e, 0x56); b1(e, 0x52);                 /* push rdi, rsi, rdx */
	b1(e, 0x41); b1(e, 0x52); b1(e, 0x41); b1(e, 0x53);    /* push r10, r11      */
}

static void call_restore(struct emit *e)
{
	b1(e, 0x41); b1(e, 0x5b); b1(e, 0x41); b1(e, 0x5a);    /* pop r11, r10       */
	b1(e, 0x5a); b1(e, 0x5e); b1(e, 0x5f);                 /* pop rdx, rsi, rdi  */
}

static void call_fn(struct emit *e, uint64_t fn)
{
	mov_imm64(e, RAX, fn);
	b1(e, 0xff); b1(e, 0xd0);                              /* call rax           */
}

/* The trace unit's hooks for a block's branch, the last instruction but
 * one: the count put back at it, as the handlers' TRACED does. */
static void hook_branch(struct cpu *cpu, uint32_t taken)
{
	cpu->icount -= 1;
	trace_branch(cpu, taken != 0);
	cpu->icount += 1;
}

static void hook_target(struct cpu *cpu, uint32_t target)
{
	cpu->icount -= 1;
	trace_target(cpu, target);
	cpu->icount += 1;
}

/* When the caller asks for hooks (jit.hooks: the traced loop), a call to
 * hook_branch (with jit.taken) or hook_target (with r10d). */
static void hook(struct emit *e, bool target)
{
	mem(e, false, OP1(0x80), 7, RDI, (int32_t)offsetof(struct cpu, jit.hooks));
	b1(e, 0);                                              /* cmp byte [hooks], 0 */
	uint8_t *skip = jcc_fwd(e, CC_E);
	call_save(e);
	if (target)
		rr(e, false, OP1(0x8b), RSI, R10);             /* mov esi, r10d      */
	else
		mem(e, false, OP2(0x0f, 0xb6), RSI, RDI, (int32_t)offsetof(struct cpu, jit.taken));
	call_fn(e, (uint64_t)(uintptr_t)(target ? hook_target : hook_branch));
	call_restore(e);
	patch(skip, e->p);
}

/* A guest's MFC0 of (regsel >> 3, regsel & 7), back instructions before
 * the block's last, with the count there as the handler's SLOW_BEGIN
 * puts it: bit 32 set and the value, or 0 if the read exits (the
 * handler then does it again, and exits). */
static uint64_t guest_cp0_read(struct cpu *cpu, uint32_t regsel, uint32_t back)
{
	uint32_t v;
	cpu->icount -= back;
	enum gcp0_result r = gcp0_read(cpu, regsel >> 3, regsel & 7, &v, false);
	cpu->icount += back;
	return r == GCP0_OK ? (1ull << 32) | v : 0;
}

/* cmp dword [rs], 0 */
static void test_zero(struct emit *e, const struct pd_insn *d)
{
	mem(e, false, OP1(0x83), 7, RDI, gpr(d->rs));
	b1(e, 0);
}

static void link(struct emit *e, unsigned reg, unsigned k)
{
	pc_rel(e, RAX, (int32_t)(4 * k + 8));
	store32(e, RAX, gpr(reg));
}

/*
 * One instruction, the k-th of the block (ds: a branch's delay slot).
 * False if it is not compiled here: the block hands over before it.
 */
static bool insn(struct emit *e, const struct pd_insn *d, unsigned k, bool ds)
{
	switch ((enum isa_op)d->op) {
	case ISA_OP_NOP: case ISA_OP_SSNOP: case ISA_OP_EHB: case ISA_OP_PAUSE:
	case ISA_OP_SYNC: case ISA_OP_PREF: case ISA_OP_SYNCI:
		return true;
	case ISA_OP_SLL: shift(e, 4, d, false); return true;
	case ISA_OP_SRL: shift(e, 5, d, false); return true;
	case ISA_OP_SRA: shift(e, 7, d, false); return true;
	case ISA_OP_ROTR: shift(e, 1, d, false); return true;
	case ISA_OP_SLLV: shift(e, 4, d, true); return true;
	case ISA_OP_SRLV: shift(e, 5, d, true); return true;
	case ISA_OP_SRAV: shift(e, 7, d, true); return true;
	case ISA_OP_ROTRV: shift(e, 1, d, true); return true;
	case ISA_OP_ADDU: alu3(e, 0x03, d); return true;
	case ISA_OP_SUBU: alu3(e, 0x2b, d); return true;
	case ISA_OP_AND: alu3(e, 0x23, d); return true;
	case ISA_OP_OR: alu3(e, 0x0b, d); return true;
	case ISA_OP_XOR: alu3(e, 0x33, d); return true;
	case ISA_OP_NOR:
		load32(e, RAX, gpr(d->rs));
		alu_mem(e, 0x0b, RAX, gpr(d->rt));
		rr(e, false, OP1(0xf7), 2, RAX);                /* not eax */
		store32(e, RAX, gpr(d->rd));
		return true;
	case ISA_OP_SLT: case ISA_OP_SLTU:
		load32(e, R8, gpr(d->rs));
		rr(e, false, OP1(0x33), RAX, RAX);              /* xor eax, eax */
		alu_mem(e, 0x3b, R8, gpr(d->rt));
		set_cc(e, d->op == ISA_OP_SLT ? CC_L : CC_B, d->rd);
		return true;
	case ISA_OP_SLTI: case ISA_OP_SLTIU:
		load32(e, R8, gpr(d->rs));
		rr(e, false, OP1(0x33), RAX, RAX);
		alu_imm(e, 7, R8, d->imm);
		set_cc(e, d->op == ISA_OP_SLTI ? CC_L : CC_B, d->rt);
		return true;
	case ISA_OP_MOVZ: case ISA_OP_MOVN:
		/* rd = (rt == 0) == movz ? rs : rd */
		load32(e, RAX, gpr(d->rd));
		load32(e, R8, gpr(d->rs));
		mem(e, false, OP1(0x83), 7, RDI, gpr(d->rt));   /* cmp dword [rt], 0 */
		b1(e, 0);
		rr(e, false, OP2(0x0f, (uint8_t)(0x40 + (d->op == ISA_OP_MOVZ ? CC_E : CC_NE))),
		   RAX, R8);
		store32(e, RAX, gpr(d->rd));
		return true;
	case ISA_OP_ADDIU: alu_i(e, 0, d); return true;
	case ISA_OP_ANDI: alu_i(e, 4, d); return true;
	case ISA_OP_ORI: alu_i(e, 1, d); return true;
	case ISA_OP_XORI: alu_i(e, 6, d); return true;
	case ISA_OP_LUI: store_imm(e, gpr(d->rt), d->imm); return true;
	case ISA_OP_SEB: case ISA_OP_SEH:
		/* movsx eax, byte/word [rt]: the low bytes, little-endian */
		mem(e, false, OP2(0x0f, d->op == ISA_OP_SEB ? 0xbe : 0xbf), RAX, RDI, gpr(d->rt));
		store32(e, RAX, gpr(d->rd));
		return true;
	case ISA_OP_EXT:
		load32(e, RAX, gpr(d->rs));
		shift_imm(e, 5, RAX, d->sa);
		alu_imm(e, 4, RAX, d->imm);
		store32(e, RAX, gpr(d->rt));
		return true;
	case ISA_OP_INS:
		load32(e, RAX, gpr(d->rs));
		shift_imm(e, 4, RAX, d->sa);
		alu_imm(e, 4, RAX, d->imm);
		load32(e, R8, gpr(d->rt));
		alu_imm(e, 4, R8, ~d->imm);
		rr(e, false, OP1(0x0b), RAX, R8);
		store32(e, RAX, gpr(d->rt));
		return true;
	case ISA_OP_CLZ: case ISA_OP_CLO:
		/* 31 - bsr(x), 32 for x == 0 */
		load32(e, RAX, gpr(d->rs));
		if (d->op == ISA_OP_CLO)
			rr(e, false, OP1(0xf7), 2, RAX);        /* not eax */
		mov_imm(e, R9, 0xffffffffu);
		rr(e, false, OP2(0x0f, 0xbd), R8, RAX);         /* bsr r8d, eax */
		rr(e, false, OP2(0x0f, 0x44), R8, R9);          /* cmovz r8d, r9d */
		mov_imm(e, RAX, 31);
		rr(e, false, OP1(0x2b), RAX, R8);               /* sub eax, r8d */
		store32(e, RAX, gpr(d->rd));
		return true;
	case ISA_OP_MUL:
		load32(e, RAX, gpr(d->rs));
		mem(e, false, OP2(0x0f, 0xaf), RAX, RDI, gpr(d->rt));
		store32(e, RAX, gpr(d->rd));
		return true;
	case ISA_OP_MULT: case ISA_OP_MULTU:
		product(e, d, d->op == ISA_OP_MULT);
		store_hilo(e);
		return true;
	case ISA_OP_MADD: case ISA_OP_MSUB: case ISA_OP_MADDU: case ISA_OP_MSUBU: {
		bool sub = d->op == ISA_OP_MSUB || d->op == ISA_OP_MSUBU;
		product(e, d, d->op == ISA_OP_MADD || d->op == ISA_OP_MSUB);
		load_hilo(e);
		if (sub) {
			rr(e, true, OP1(0x2b), R8, RAX);        /* sub r8, rax */
			rr(e, true, OP1(0x8b), RAX, R8);
		} else {
			rr(e, true, OP1(0x03), RAX, R8);        /* add rax, r8 */
		}
		store_hilo(e);
		return true;
	}
	case ISA_OP_MFHI: load32(e, RAX, HI); store32(e, RAX, gpr(d->rd)); return true;
	case ISA_OP_MFLO: load32(e, RAX, LO); store32(e, RAX, gpr(d->rd)); return true;
	case ISA_OP_MTHI: load32(e, RAX, gpr(d->rs)); store32(e, RAX, HI); return true;
	case ISA_OP_MTLO: load32(e, RAX, gpr(d->rs)); store32(e, RAX, LO); return true;

	case ISA_OP_BEQ: case ISA_OP_BNE:
		load32(e, RAX, gpr(d->rs));
		alu_mem(e, 0x3b, RAX, gpr(d->rt));
		branch_to(e, d->op == ISA_OP_BEQ ? CC_E : CC_NE, k, d);
		return true;
	case ISA_OP_BLEZ: test_zero(e, d); branch_to(e, CC_LE, k, d); return true;
	case ISA_OP_BGTZ: test_zero(e, d); branch_to(e, CC_G, k, d); return true;
	case ISA_OP_BLTZ: test_zero(e, d); branch_to(e, CC_L, k, d); return true;
	case ISA_OP_BGEZ: test_zero(e, d); branch_to(e, CC_GE, k, d); return true;
	case ISA_OP_BLTZAL: case ISA_OP_BGEZAL:
		/* the condition reads rs before the link writes $31 */
		test_zero(e, d);
		branch_to(e, d->op == ISA_OP_BLTZAL ? CC_L : CC_GE, k, d);
		link(e, 31, k);
		return true;
	case ISA_OP_J: case ISA_OP_JAL:
		pc_rel(e, R10, (int32_t)(4 * k + 4));
		alu_imm(e, 4, R10, 0xf0000000u);
		alu_imm(e, 1, R10, d->imm);
		if (d->op == ISA_OP_JAL)
			link(e, 31, k);
		return true;
	case ISA_OP_JR: case ISA_OP_JR_HB:
		load32(e, R10, gpr(d->rs));
		hook(e, true);
		return true;
	case ISA_OP_JALR: case ISA_OP_JALR_HB:
		load32(e, R10, gpr(d->rs)); /* before rd is written: rd may be rs */
		link(e, d->rd, k);
		hook(e, true);
		return true;

	case ISA_OP_MFC0: {
		/* A guest kernel's read with GuestCtl0.CP0 set: of a register
		 * it has as a plain field (gcp0_plain_offset) straight, of
		 * another through gcp0_read with the count at the instruction
		 * (Count, Cause), handing over if that would exit.  Anything
		 * else (root, user mode) hands over. */
		unsigned reg = d->rd, sel = d->word & 7;
		int off = gcp0_plain_offset(reg, sel);
		_Static_assert(MMU_KERNEL == 0 && MMU_KERNEL_ERL == 1,
			       "the guest's kernel classes are the first two");
		rr(e, true, OP1(0x8b), RAX, RDX);               /* mov rax, rdx (class) */
		rr(e, true, OP1(0x2b), RAX, RDI);               /* sub rax, rdi         */
		/* sub rax, the guest kernel class; cmp rax, two classes */
		alu_imm64(e, 5, RAX, (uint32_t)offsetof(struct cpu, stlb[MMU_GUEST + MMU_KERNEL]));
		alu_imm64(e, 7, RAX, (uint32_t)(2 * sizeof(((struct cpu *)0)->stlb[0]) - 1));
		handover(e, CC_A, k, ds);
		mem(e, false, OP1(0xf7), 0, RDI, (int32_t)offsetof(struct cpu, guestctl0));
		b4(e, GC0_CP0);                                 /* test guestctl0, CP0  */
		handover(e, CC_E, k, ds);
		if (off >= 0) {
			load32(e, RAX, (int32_t)(offsetof(struct cpu, gcp0) + (size_t)off));
		} else {
			call_save(e);
			mov_imm(e, RSI, reg << 3 | sel);
			mov_imm(e, RDX, e->n - 1 - k);          /* back to this one */
			call_fn(e, (uint64_t)(uintptr_t)guest_cp0_read);
			call_restore(e);
			b1(e, 0x48); b1(e, 0x0f); b1(e, 0xba);  /* bt rax, 32: read  */
			b1(e, 0xe0); b1(e, 32);
			handover(e, CC_AE, k, ds);               /* jnc: it exits     */
		}
		store32(e, RAX, gpr(d->rt));
		return true;
	}
	case ISA_OP_LB: case ISA_OP_LBU: case ISA_OP_LH: case ISA_OP_LHU: case ISA_OP_LW:
		load(e, d, k, ds);
		return true;
	case ISA_OP_SB: case ISA_OP_SH: case ISA_OP_SW:
		store(e, d, k, ds);
		return true;
	default:
		return false;
	}
}

bool jit_available(void)
{
	return true;
}

static bool arena(struct cpu *cpu)
{
	struct jit *j = &cpu->jit;
	if (j->mem)
		return true;
	if (j->broken)
		return false;
	void *m = mmap(NULL, JIT_ARENA, PROT_READ | PROT_WRITE | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		j->broken = true; /* the block path runs everything */
		return false;
	}
	j->mem = m;
	j->size = JIT_ARENA;
	j->used = 0;
	return true;
}

bool jit_compile(struct cpu *cpu, struct pd_insn *d, unsigned n)
{
	struct jit *j = &cpu->jit;
	if (!j->hot || n == 0 || !arena(cpu))
		return false;
	size_t need = (size_t)n * (JIT_INSN_MAX + JIT_STUB_MAX) + JIT_END_MAX;
	if (j->used + need > j->size) {
		jit_flush(cpu);
		if (need > j->size)
			return false;
	}
	struct handover ho[1024 + 2];
	struct emit e = {.p = j->mem + j->used, .ho = ho, .first = d, .n = n};
	uint8_t *start = e.p;

	rr(&e, false, OP1(0x8b), R11, RCX);                    /* mov r11d, ecx (key) */
	uint8_t *top = e.p;
	if (top - start != JIT_ENTRY)
		abort(); /* chain() enters there */
	unsigned k;
	bool ds = false;
	for (k = 0; k < n; k++) {
		const struct pd_insn *x = &d[k];
		ds = k > 0 && block_branch(&x[-1]);
		if (block_branch(x) && k + 2 != n)
			break; /* a block's branch is its last but one: not this run */
		uint8_t *before = e.p;
		if (!insn(&e, x, k, ds))
			break;
		if ((size_t)(e.p - before) > JIT_INSN_MAX)
			abort(); /* the bound above is wrong */
	}
	if (k == 0) {
		return false; /* nothing to gain: the block path runs it */
	}
	if (k < n) {
		/* Hands over at k, before an instruction not compiled here. */
		handover(&e, -1, k, ds);
	} else {
		if (ds) {
			/* Ended in a branch's delay slot: round again if it
			 * is a loop onto the block's start that ends before
			 * the next event. */
			rr(&e, false, OP1(0x3b), R10, RSI);    /* cmp r10d, esi  */
			b1(&e, 0x75); b1(&e, 0);               /* jne on         */
			uint8_t *no1 = e.p;
			mem(&e, true, OP1(0x8b), RAX, RDI, (int32_t)offsetof(struct cpu, icount));
			alu_imm64(&e, 0, RAX, n);              /* add rax, n     */
			mem(&e, true, OP1(0x3b), RAX, RDI, (int32_t)offsetof(struct cpu, next_event));
			b1(&e, 0x77); b1(&e, 0);               /* ja on          */
			uint8_t *no2 = e.p;
			mem(&e, true, OP1(0x89), RAX, RDI, (int32_t)offsetof(struct cpu, icount));
			b1(&e, 0xe9); b4(&e, (uint32_t)(top - (e.p + 4))); /* jmp top */
			no1[-1] = (uint8_t)(e.p - no1);
			no2[-1] = (uint8_t)(e.p - no2);
		} else {
			pc_rel(&e, R10, (int32_t)(4 * n));     /* the fall-through */
		}
		/* On to the next block of the page, if it can. */
		ptrdiff_t idx0 = d - cpu->fetch_page;
		if (idx0 >= 0 && idx0 < 1024)
			chain(&e, cpu->fetch_page, (unsigned)idx0);
		ret_result(&e, n, ds);
	}
	/* The hand-over stubs: one per distinct (k, ds). */
	for (unsigned i = 0; i < e.nho; i++) {
		uint8_t *stub = NULL;
		for (unsigned h = 0; h < i; h++)
			if (ho[h].k == ho[i].k && ho[h].ds == ho[i].ds) {
				int32_t rel;
				memcpy(&rel, ho[h].rel, 4);
				stub = ho[h].rel + 4 + rel;
				break;
			}
		if (!stub) {
			stub = e.p;
			ret_result(&e, ho[i].k, ho[i].ds);
		}
		int32_t rel = (int32_t)(stub - (ho[i].rel + 4));
		memcpy(ho[i].rel, &rel, 4);
	}
	j->used += (size_t)(e.p - start);
	j->used = (j->used + 15) & ~(size_t)15;
	JIT_OF(d)->code = start;
	j->compiled++;
	return true;
}

static void flush_pages(struct pd_page **pages, size_t n)
{
	for (size_t i = 0; pages && i < n; i++)
		if (pages[i])
			memset(pages[i]->jit, 0, sizeof(pages[i]->jit));
}

void jit_flush(struct cpu *cpu)
{
	flush_pages(cpu->pd_pages, (cpu->ram_size + 4095) / 4096);
	for (unsigned i = 0; i < BUS_MAX_REGIONS; i++)
		if (cpu->pd_region[i])
			flush_pages(cpu->pd_region[i], (cpu->bus->regions[i].size + 4095) / 4096);
	cpu->jit.used = 0;
}

void jit_destroy(struct cpu *cpu)
{
	if (cpu->jit.mem)
		munmap(cpu->jit.mem, cpu->jit.size);
	cpu->jit.mem = NULL;
}

#else /* no block compiler for this host: the block path runs everything */

bool jit_available(void)
{
	return false;
}

bool jit_compile(struct cpu *cpu, struct pd_insn *d, unsigned n)
{
	(void)cpu, (void)d, (void)n;
	return false;
}

void jit_flush(struct cpu *cpu)
{
	(void)cpu;
}

void jit_destroy(struct cpu *cpu)
{
	(void)cpu;
}

#endif
