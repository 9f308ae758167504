/*
 * The interpreter loop, stamped twice by exec.c: once with SINK 0 (the
 * fast path) and once with SINK 1 (every instruction reported to the
 * sink).  RUN_LOOP names the function.  Not a standalone header.
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
	BEGIN_INSN(pc, cpu->npc);
#if THREADED
	goto *dispatch[d->op];
	{
#else
	switch ((enum isa_op)d->op) {
#endif
		/* ---- no-ops and hints */
		OP(NOP) OP(SSNOP) OP(EHB)
		OP(PAUSE) OP(SYNC) OP(PREF)
		OP(SYNCI)
			END_OP;

		/* ---- shifts */
		OP(SLL) R[rd] = R[rt] << d->sa; END_OP;
		OP(SRL) R[rd] = R[rt] >> d->sa; END_OP;
		OP(SRA) R[rd] = (uint32_t)((int32_t)R[rt] >> d->sa); END_OP;
		OP(ROTR)
			t = R[rt];
			R[rd] = d->sa ? (t >> d->sa) | (t << (32 - d->sa)) : t;
			END_OP;
		OP(SLLV) R[rd] = R[rt] << (R[rs] & 31); END_OP;
		OP(SRLV) R[rd] = R[rt] >> (R[rs] & 31); END_OP;
		OP(SRAV) R[rd] = (uint32_t)((int32_t)R[rt] >> (R[rs] & 31)); END_OP;
		OP(ROTRV) {
			unsigned s = R[rs] & 31;
			t = R[rt];
			R[rd] = s ? (t >> s) | (t << (32 - s)) : t;
			END_OP;
		}

		/* ---- ALU */
		OP(ADD) {
			int32_t r;
			if (__builtin_add_overflow((int32_t)R[rs], (int32_t)R[rt], &r)) {
				cpu_exception(cpu, EXC_OV, false);
				goto fault;
			}
			R[rd] = (uint32_t)r;
			END_OP;
		}
		OP(ADDU) R[rd] = R[rs] + R[rt]; END_OP;
		OP(SUB) {
			int32_t r;
			if (__builtin_sub_overflow((int32_t)R[rs], (int32_t)R[rt], &r)) {
				cpu_exception(cpu, EXC_OV, false);
				goto fault;
			}
			R[rd] = (uint32_t)r;
			END_OP;
		}
		OP(SUBU) R[rd] = R[rs] - R[rt]; END_OP;
		OP(AND) R[rd] = R[rs] & R[rt]; END_OP;
		OP(OR) R[rd] = R[rs] | R[rt]; END_OP;
		OP(XOR) R[rd] = R[rs] ^ R[rt]; END_OP;
		OP(NOR) R[rd] = ~(R[rs] | R[rt]); END_OP;
		OP(SLT) R[rd] = (int32_t)R[rs] < (int32_t)R[rt]; END_OP;
		OP(SLTU) R[rd] = R[rs] < R[rt]; END_OP;
		OP(MOVZ) if (R[rt] == 0) R[rd] = R[rs]; END_OP;
		OP(MOVN) if (R[rt] != 0) R[rd] = R[rs]; END_OP;
		OP(ADDI) {
			int32_t r;
			if (__builtin_add_overflow((int32_t)R[rs], (int32_t)d->imm, &r)) {
				cpu_exception(cpu, EXC_OV, false);
				goto fault;
			}
			R[rt] = (uint32_t)r;
			END_OP;
		}
		OP(ADDIU) R[rt] = R[rs] + d->imm; END_OP;
		OP(SLTI) R[rt] = (int32_t)R[rs] < (int32_t)d->imm; END_OP;
		OP(SLTIU) R[rt] = R[rs] < d->imm; END_OP;
		OP(ANDI) R[rt] = R[rs] & d->imm; END_OP;
		OP(ORI) R[rt] = R[rs] | d->imm; END_OP;
		OP(XORI) R[rt] = R[rs] ^ d->imm; END_OP;
		OP(LUI) R[rt] = d->imm; END_OP;
		OP(CLZ) R[rd] = clz32(R[rs]); END_OP;
		OP(CLO) R[rd] = clz32(~R[rs]); END_OP;
		OP(SEB) R[rd] = (uint32_t)(int32_t)(int8_t)R[rt]; END_OP;
		OP(SEH) R[rd] = (uint32_t)(int32_t)(int16_t)R[rt]; END_OP;
		OP(WSBH)
			t = R[rt];
			R[rd] = ((t & 0x00ff00ffu) << 8) | ((t >> 8) & 0x00ff00ffu);
			END_OP;
		OP(EXT)
			R[rt] = (R[rs] >> d->sa) & d->imm;
			END_OP;
		OP(INS)
			R[rt] = (R[rt] & ~d->imm) | ((R[rs] << d->sa) & d->imm);
			END_OP;

		/* ---- multiply and divide */
		OP(MULT) {
			int64_t p = (int64_t)(int32_t)R[rs] * (int32_t)R[rt];
			cpu->lo = (uint32_t)p;
			cpu->hi = (uint32_t)((uint64_t)p >> 32);
			END_OP;
		}
		OP(MULTU) {
			uint64_t p = (uint64_t)R[rs] * R[rt];
			cpu->lo = (uint32_t)p;
			cpu->hi = (uint32_t)(p >> 32);
			END_OP;
		}
		OP(MUL)
			R[rd] = (uint32_t)((int64_t)(int32_t)R[rs] * (int32_t)R[rt]);
			END_OP;
		OP(MADD) OP(MSUB) {
			int64_t acc = (int64_t)(((uint64_t)cpu->hi << 32) | cpu->lo);
			int64_t p = (int64_t)(int32_t)R[rs] * (int32_t)R[rt];
			uint64_t r = (d->op == ISA_OP_MADD) ? (uint64_t)acc + (uint64_t)p
							     : (uint64_t)acc - (uint64_t)p;
			cpu->lo = (uint32_t)r;
			cpu->hi = (uint32_t)(r >> 32);
			END_OP;
		}
		OP(MADDU) OP(MSUBU) {
			uint64_t acc = ((uint64_t)cpu->hi << 32) | cpu->lo;
			uint64_t p = (uint64_t)R[rs] * R[rt];
			uint64_t r = (d->op == ISA_OP_MADDU) ? acc + p : acc - p;
			cpu->lo = (uint32_t)r;
			cpu->hi = (uint32_t)(r >> 32);
			END_OP;
		}
		OP(DIV) {
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
			END_OP;
		}
		OP(DIVU)
			if (R[rt] != 0) {
				cpu->lo = R[rs] / R[rt];
				cpu->hi = R[rs] % R[rt];
			}
			END_OP;
		OP(MFHI) R[rd] = cpu->hi; END_OP;
		OP(MFLO) R[rd] = cpu->lo; END_OP;
		OP(MTHI) cpu->hi = R[rs]; END_OP;
		OP(MTLO) cpu->lo = R[rs]; END_OP;

		/* ---- branches and jumps */
#define BRANCH(cond)                                                          \
	do {                                                                  \
		bool taken_ = (cond);                                         \
		if (taken_)                                                   \
			after = pc + 4 + d->imm;                              \
		next_ds = true;                                               \
		if (PDT)                                                      \
			trace_branch(cpu, taken_);                            \
	} while (0)
#define BRANCH_LIKELY(cond)                                                   \
	do {                                                                  \
		bool taken_ = (cond);                                         \
		if (PDT)                                                      \
			trace_branch(cpu, taken_);                            \
		if (taken_) {                                                   \
			after = pc + 4 + d->imm;                              \
			next_ds = true;                                       \
		} else {                                                      \
			next += 4; /* the delay slot is nullified */          \
			after = next + 4;                                     \
		}                                                             \
	} while (0)
		OP(BEQ) BRANCH(R[rs] == R[rt]); END_OP;
		OP(BNE) BRANCH(R[rs] != R[rt]); END_OP;
		OP(BLEZ) BRANCH((int32_t)R[rs] <= 0); END_OP;
		OP(BGTZ) BRANCH((int32_t)R[rs] > 0); END_OP;
		OP(BLTZ) BRANCH((int32_t)R[rs] < 0); END_OP;
		OP(BGEZ) BRANCH((int32_t)R[rs] >= 0); END_OP;
		OP(BLTZAL)
			t = (int32_t)R[rs] < 0;
			R[31] = pc + 8;
			BRANCH(t);
			END_OP;
		OP(BGEZAL)
			t = (int32_t)R[rs] >= 0;
			R[31] = pc + 8;
			BRANCH(t);
			END_OP;
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
		OP(J)
			after = ((pc + 4) & 0xf0000000u) | d->imm;
			next_ds = true;
			END_OP;
		OP(JAL)
			after = ((pc + 4) & 0xf0000000u) | d->imm;
			R[31] = pc + 8;
			next_ds = true;
			END_OP;
		OP(JR) OP(JR_HB)
			after = R[rs];
			next_ds = true;
			if (PDT)
				trace_target(cpu, after);
			END_OP;
		OP(JALR) OP(JALR_HB)
			after = R[rs]; /* read before rd is written: rd may equal rs */
			R[rd] = pc + 8;
			next_ds = true;
			if (PDT)
				trace_target(cpu, after);
			END_OP;

		/* ---- loads and stores */
		OP(LB) {
			uint32_t va = R[rs] + d->imm;
			if (!ld_s8(cpu, va, &v)) goto fault;
			R[rt] = v;
			MEMTRACE(false, 1, va, v);
			END_OP;
		}
		OP(LBU) {
			uint32_t va = R[rs] + d->imm;
			if (!ld_u8(cpu, va, &v)) goto fault;
			R[rt] = v;
			MEMTRACE(false, 1, va, v);
			END_OP;
		}
		OP(LH) {
			uint32_t va = R[rs] + d->imm;
			if (!ld_s16(cpu, va, &v)) goto fault;
			R[rt] = v;
			MEMTRACE(false, 2, va, v);
			END_OP;
		}
		OP(LHU) {
			uint32_t va = R[rs] + d->imm;
			if (!ld_u16(cpu, va, &v)) goto fault;
			R[rt] = v;
			MEMTRACE(false, 2, va, v);
			END_OP;
		}
		OP(LW) {
			uint32_t va = R[rs] + d->imm;
			if (!ld_32(cpu, va, &v)) goto fault;
			R[rt] = v;
			MEMTRACE(false, 4, va, v);
			END_OP;
		}
		OP(SB) {
			uint32_t va = R[rs] + d->imm;
			if (!st_8(cpu, va, R[rt])) goto fault;
			MEMTRACE(true, 1, va, R[rt]);
			END_OP;
		}
		OP(SH) {
			uint32_t va = R[rs] + d->imm;
			if (!st_16(cpu, va, R[rt])) goto fault;
			MEMTRACE(true, 2, va, R[rt]);
			END_OP;
		}
		OP(SW) {
			uint32_t va = R[rs] + d->imm;
			if (!st_32(cpu, va, R[rt])) goto fault;
			MEMTRACE(true, 4, va, R[rt]);
			END_OP;
		}
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
		OP(MFC0)
			if (!cp0_gate(cpu)) goto fault;
			if (cpu->guest) {
				if (!gcp0_done(cpu, gcp0_read(cpu, rd, d->word & 7, &v, false)))
					goto fault;
			} else {
				cp0_read(cpu, rd, d->word & 7, &v);
			}
			R[rt] = v;
			END_OP;
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
		OP(MFGC0)
			if (!root_vz_gate(cpu)) goto fault;
			gcp0_read(cpu, rd, d->word & 7, &v, true);
			R[rt] = v;
			END_OP;
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

