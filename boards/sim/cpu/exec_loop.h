/*
 * The interpreter loop, stamped three times by exec.c: RUN_LOOP names the
 * function, PDT and SINK say which observers it reports to, BLOCKS whether
 * it has the block path (exec.c, "Blocks").  Not a standalone header.
 */
static enum vzsim_stop RUN_LOOP(struct cpu *cpu)
{
	struct vzsim_insn_event ev;
	struct pd_insn *d;
	uint32_t pc, next, after, off, v, t;
	unsigned rs, rt, rd;
	bool next_ds;
#if THREADED
	static void *const dispatch[ISA_OP_COUNT] = {
		[ISA_OP_INVALID] = &&L_INVALID,
#define INSN(id, mn, match, mask, ops, flags) [ISA_OP_##id] = &&L_##id,
#include <mips/mips32.def>
#undef INSN
	};
#endif

top:
	if (unlikely(cpu->icount >= cpu->next_event)) {
		int r = handle_events(cpu);
		if (r >= 0)
			return (enum vzsim_stop)r;
	}
	pc = cpu->pc;
	off = pc - cpu->fetch_vbase;
	if (unlikely(off & 0xfffff003u)) {
refetch:
		if (SINK)
			fill_event(cpu, &ev, pc, 0);
		if (!mmu_fetch_page(cpu, pc)) {
			cpu->icount++;
			if (SINK) {
				ev.exc = cpu->cur_exc;
				ev.root_exc = cpu->cur_exc_root;
				cpu->sink(cpu->sink_ctx, &ev);
			}
			goto top;
		}
		off = pc - cpu->fetch_vbase;
	}
	d = &cpu->fetch_page[off >> 2];
	if (unlikely(d->op == PD_UNDECODED)) {
		uint32_t w;
		if (unlikely(!cpu->fetch_host))
			goto refetch; /* no fetch page: fetch_none */
		memcpy(&w, cpu->fetch_host + off, 4);
		predecode(d, w);
		cpu->stats.decoded++;
	}
block_try: /* d at pc, the state in cpu */
#if BLOCKS
	/* A run of block-safe instructions that ends before the next event:
	 * count it all now and run it without looking around. */
	if (likely(!cpu->in_ds) && likely(!cpu->ejtag.dm)) {
		unsigned n = d->run;
		if (unlikely(n == PD_RUN_UNKNOWN))
			n = block_run(cpu, cpu->fetch_page, off >> 2);
		if (n && cpu->icount + n <= cpu->next_event) {
			BLOCK_RUNNER(cpu, d, n);
			goto top;
		}
	}
#endif
	BEGIN_INSN(pc, cpu->npc);
#if THREADED
	goto *dispatch[d->op];
	{
#else
	switch ((enum isa_op)d->op) {
#endif
#include "exec_ops.h"

		/* ---- ALU that traps on overflow */
		OP(ADD) {
			int32_t r;
			if (__builtin_add_overflow((int32_t)R[rs], (int32_t)R[rt], &r)) {
				cpu_exception(cpu, EXC_OV, false);
				goto fault;
			}
			R[rd] = (uint32_t)r;
			END_OP;
		}
		OP(SUB) {
			int32_t r;
			if (__builtin_sub_overflow((int32_t)R[rs], (int32_t)R[rt], &r)) {
				cpu_exception(cpu, EXC_OV, false);
				goto fault;
			}
			R[rd] = (uint32_t)r;
			END_OP;
		}
		OP(ADDI) {
			int32_t r;
			if (__builtin_add_overflow((int32_t)R[rs], (int32_t)d->imm, &r)) {
				cpu_exception(cpu, EXC_OV, false);
				goto fault;
			}
			R[rt] = (uint32_t)r;
			END_OP;
		}

		/* ---- branch likely: the slot runs only if taken */
		OP(BEQL) BRANCH_LIKELY(R[rs] == R[rt]); END_OP;
		OP(BNEL) BRANCH_LIKELY(R[rs] != R[rt]); END_OP;
		OP(BLEZL) BRANCH_LIKELY((int32_t)R[rs] <= 0); END_OP;
		OP(BGTZL) BRANCH_LIKELY((int32_t)R[rs] > 0); END_OP;
		OP(BLTZL) BRANCH_LIKELY((int32_t)R[rs] < 0); END_OP;
		OP(BGEZL) BRANCH_LIKELY((int32_t)R[rs] >= 0); END_OP;
		OP(BLTZALL)
			t = (int32_t)R[rs] < 0;
			R[31] = pc + 8;
			BRANCH_LIKELY(t);
			END_OP;
		OP(BGEZALL)
			t = (int32_t)R[rs] >= 0;
			R[31] = pc + 8;
			BRANCH_LIKELY(t);
			END_OP;
		/* ---- loads and stores: the unaligned and atomic ones */
		OP(LWL) OP(LWR) {
			uint32_t va = R[rs] + d->imm, pa, w;
			unsigned k = va & 3;
			if (!unaligned_word(cpu, va, ACC_LOAD, &pa, &w)) goto fault;
			if (d->op == ISA_OP_LWL)
				R[rt] = (R[rt] & (0x00ffffffu >> (8 * k))) | (w << (8 * (3 - k)));
			else
				R[rt] = (R[rt] & (0xffffff00u << (8 * (3 - k)))) | (w >> (8 * k));
			MEMTRACE(false, 4, va, w);
			END_OP;
		}
		OP(SWL) OP(SWR) {
			uint32_t va = R[rs] + d->imm, pa, w;
			unsigned k = va & 3;
			if (!unaligned_word(cpu, va, ACC_STORE, &pa, &w)) goto fault;
			if (d->op == ISA_OP_SWL)
				w = (w & (0xffffff00u << (8 * k))) | (R[rt] >> (8 * (3 - k)));
			else
				w = (w & (0x00ffffffu >> (8 * (3 - k)))) | (R[rt] << (8 * k));
			if (!mmu_write_pa(cpu, pa, 4, w)) goto fault;
			MEMTRACE(true, 4, va, w);
			END_OP;
		}
		OP(LL) {
			uint32_t va = R[rs] + d->imm, pa;
			if (!mmu_load_pa(cpu, va, 4, &v, &pa)) goto fault;
			R[rt] = v;
			cpu->llbit = true;
			cpu_ctx(cpu)->lladdr = pa >> 4;
			MEMTRACE(false, 4, va, v);
			END_OP;
		}
		OP(SC) {
			uint32_t va = R[rs] + d->imm, pa;
			if (va & 3) {
				cpu_address_error(cpu, EXC_ADES, va);
				goto fault;
			}
			if (!mmu_translate(cpu, va, ACC_STORE, &pa)) goto fault;
			if (cpu->llbit) {
				if (!mmu_write_pa(cpu, pa, 4, R[rt])) goto fault;
				MEMTRACE(true, 4, va, R[rt]);
				R[rt] = 1;
			} else {
				R[rt] = 0;
			}
			cpu->llbit = false;
			END_OP;
		}
		OP(CACHE)
			/* Caches are not modelled: every operation is a no-op
			 * (stores keep predecoded code coherent), but a guest
			 * may have to exit. */
			if (!cache_op(cpu, rt)) goto fault;
			END_OP;

		/* ---- exceptions and traps */
		OP(SYSCALL) cpu_exception(cpu, EXC_SYS, false); goto fault;
		OP(BREAK) cpu_exception(cpu, EXC_BP, false); goto fault;
#define TRAP(cond)                                                            \
	do {                                                                  \
		if (cond) {                                                   \
			cpu_exception(cpu, EXC_TR, false);                    \
			goto fault;                                           \
		}                                                             \
	} while (0)
		OP(TGE) TRAP((int32_t)R[rs] >= (int32_t)R[rt]); END_OP;
		OP(TGEU) TRAP(R[rs] >= R[rt]); END_OP;
		OP(TLT) TRAP((int32_t)R[rs] < (int32_t)R[rt]); END_OP;
		OP(TLTU) TRAP(R[rs] < R[rt]); END_OP;
		OP(TEQ) TRAP(R[rs] == R[rt]); END_OP;
		OP(TNE) TRAP(R[rs] != R[rt]); END_OP;
		OP(TGEI) TRAP((int32_t)R[rs] >= (int32_t)d->imm); END_OP;
		OP(TGEIU) TRAP(R[rs] >= d->imm); END_OP;
		OP(TLTI) TRAP((int32_t)R[rs] < (int32_t)d->imm); END_OP;
		OP(TLTIU) TRAP(R[rs] < d->imm); END_OP;
		OP(TEQI) TRAP(R[rs] == d->imm); END_OP;
		OP(TNEI) TRAP(R[rs] != d->imm); END_OP;

		OP(RDHWR)
			if (!rdhwr(cpu, rd, &v)) goto fault;
			R[rt] = v;
			END_OP;

		/* ---- coprocessor 0 (the guest's own in guest mode) */
		OP(MTC0)
			if (!cp0_gate(cpu)) goto fault;
			if (cpu->guest) {
				if (!gcp0_done(cpu, gcp0_write(cpu, rd, d->word & 7, R[rt], false)))
					goto fault;
			} else {
				cp0_write(cpu, rd, d->word & 7, R[rt]);
			}
			END_OP;
		OP(RDPGPR) /* one shadow set: the current registers */
			if (!cp0_gate(cpu)) goto fault;
			R[rd] = R[rt];
			END_OP;
		OP(WRPGPR)
			if (!cp0_gate(cpu)) goto fault;
			R[rd] = R[rt];
			END_OP;
		OP(DI) OP(EI) {
			if (!cp0_gate(cpu)) goto fault;
			struct cp0 *c = cpu_ctx(cpu);
			R[rt] = c->status;
			if (d->op == ISA_OP_EI)
				c->status |= ST_IE;
			else
				c->status &= ~ST_IE;
			cpu->next_event = cpu->icount;
			END_OP;
		}
		OP(TLBR) {
			if (!cp0_gate(cpu)) goto fault;
			struct tlb_view tv;
			tlb_view(cpu, &tv);
			tlb_tlbr(cpu, &tv);
			END_OP;
		}
		OP(TLBWI) {
			if (!cp0_gate(cpu)) goto fault;
			struct tlb_view tv;
			tlb_view(cpu, &tv);
			if (!tlb_tlbwi(cpu, &tv)) goto fault;
			END_OP;
		}
		OP(TLBWR) {
			if (!cp0_gate(cpu)) goto fault;
			struct tlb_view tv;
			tlb_view(cpu, &tv);
			if (!tlb_tlbwr(cpu, &tv)) goto fault;
			END_OP;
		}
		OP(TLBP) {
			if (!cp0_gate(cpu)) goto fault;
			struct tlb_view tv;
			tlb_view(cpu, &tv);
			tlb_tlbp(cpu, &tv);
			END_OP;
		}
		OP(TLBINV) {
			if (!cp0_gate(cpu)) goto fault;
			struct tlb_view tv;
			tlb_view(cpu, &tv);
			tlb_tlbinv(cpu, &tv);
			END_OP;
		}
		OP(TLBINVF) {
			if (!cp0_gate(cpu)) goto fault;
			struct tlb_view tv;
			tlb_view(cpu, &tv);
			tlb_tlbinvf(cpu, &tv);
			END_OP;
		}
		OP(ERET) OP(ERETNC)
			if (!cp0_gate(cpu)) goto fault;
			if (PDT) {
				const struct cp0 *c = cpu_ctx(cpu);
				trace_target(cpu, (c->status & ST_ERL) ? c->errorepc : c->epc);
			}
			cpu_eret(cpu, d->op == ISA_OP_ERET);
			goto redirected;
		OP(WAIT)
			if (!cp0_gate(cpu)) goto fault;
			if (cpu->guest) {
				/* A guest's wait always exits: root decides when it
				 * runs again. */
				cpu_guest_exit(cpu, GEXC_GPSI);
				goto fault;
			}
			cpu->waiting = true;
			cpu->next_event = cpu->icount;
			END_OP;

		/* ---- Virtualization ASE: root's view of the guest context */
		OP(MTGC0)
			if (!root_vz_gate(cpu)) goto fault;
			gcp0_write(cpu, rd, d->word & 7, R[rt], true);
			END_OP;
		OP(TLBGP) {
			if (!root_vz_gate(cpu)) goto fault;
			struct tlb_view tv;
			tlb_view_tlbg(cpu, &tv);
			tlb_tlbp(cpu, &tv);
			END_OP;
		}
		OP(TLBGR) {
			if (!root_vz_gate(cpu)) goto fault;
			struct tlb_view tv;
			tlb_view_tlbg(cpu, &tv);
			tlb_tlbr(cpu, &tv);
			END_OP;
		}
		OP(TLBGWI) {
			if (!root_vz_gate(cpu)) goto fault;
			struct tlb_view tv;
			tlb_view_tlbg(cpu, &tv);
			if (!tlb_tlbwi(cpu, &tv)) goto fault;
			END_OP;
		}
		OP(TLBGWR) {
			if (!root_vz_gate(cpu)) goto fault;
			struct tlb_view tv;
			tlb_view_tlbg(cpu, &tv);
			if (!tlb_tlbwr(cpu, &tv)) goto fault;
			END_OP;
		}
		OP(TLBGINV) {
			if (!root_vz_gate(cpu)) goto fault;
			struct tlb_view tv;
			tlb_view_tlbg(cpu, &tv);
			tlb_tlbinv(cpu, &tv);
			END_OP;
		}
		OP(TLBGINVF) {
			if (!root_vz_gate(cpu)) goto fault;
			struct tlb_view tv;
			tlb_view_tlbg(cpu, &tv);
			tlb_tlbinvf(cpu, &tv);
			END_OP;
		}
		OP(HYPCALL)
			hypcall(cpu);
			goto fault;

		/* ---- coprocessors this core does not have */
		OP(COP1) OP(COP1X) OP(MOVF) OP(MOVT)
		OP(LWC1) OP(LDC1) OP(SWC1) OP(SDC1)
			cpu_exception_cpu(cpu, 1);
			goto fault;
		OP(COP2) OP(LWC2) OP(LDC2) OP(SWC2)
		OP(SDC2)
			cpu_exception_cpu(cpu, 2);
			goto fault;

		/* ---- EJTAG (reserved on a board without it: Config1.EP) */
		OP(SDBBP)
			if (!cpu->ejtag.present) {
				reserved(cpu);
				goto fault;
			}
			ejtag_sdbbp(cpu);
			goto fault;
		OP(DERET)
			if (!cpu->ejtag.present || !cpu->ejtag.dm) {
				reserved(cpu);
				goto fault;
			}
			ejtag_deret(cpu);
			goto redirected;

		OP(INVALID) OP_DEFAULT
			reserved(cpu);
			goto fault;
	}
	COMMIT();
	goto top;

fault:
redirected:
	R[0] = 0;
	if (SINK) {
		ev.exc = cpu->cur_exc;
		ev.root_exc = cpu->cur_exc_root;
		cpu->sink(cpu->sink_ctx, &ev);
	}
	goto top;
}

