/*
 * The block-safe instructions, stamped twice by exec_loop.h: once among
 * the one-at-a-time handlers and once for the block path (exec.c,
 * "Blocks").  Block-safe: an instruction that reads and writes only GPRs,
 * HI/LO and memory, raises no exception but a load's or store's, and
 * changes no state the loop looks at (mode, next_event, the fetch page),
 * so a run of them needs no look around between them.  BLOCK_OPS lists
 * them for exec.c; every label below must be in it and the other way
 * round (the block path's dispatch table is built from it).
 *
 * The includer defines OP(x) and END_OP (END_BRANCH after a branch or
 * jump, whose delay slot comes next; BRANCH_GUARD() before one, which
 * may have to leave its block first); RS, RT, RD and CUR_PC (the
 * instruction's fields and address); BRANCH(cond); and for the slow path
 * of a load or store STLB_OF(va) (the soft-TLB slot of va), TRACE_AT()
 * and TRACE_DONE() around a trace unit's hook (TRACED, exec.c: the count
 * at the instruction, and back),
 * SLOW_BEGIN() (before the call: the state an exception needs) and
 * SLOW_END() (after it succeeded).  A CP0 read, which changes nothing
 * (outside debug mode, where no block runs), goes on after SLOW_RESUME()
 * instead.  Not a standalone header.
 *
 * Also block-safe: CP0 reads (mfc0, and root's mfgc0 of the guest's).
 */
#ifndef BLOCK_OPS
#define BLOCK_OPS(X)                                                          \
	X(NOP) X(SSNOP) X(EHB) X(PAUSE) X(SYNC) X(PREF) X(SYNCI)              \
	X(SLL) X(SRL) X(SRA) X(ROTR) X(SLLV) X(SRLV) X(SRAV) X(ROTRV)         \
	X(ADDU) X(SUBU) X(AND) X(OR) X(XOR) X(NOR) X(SLT) X(SLTU) X(MOVZ)     \
	X(MOVN) X(ADDIU) X(SLTI) X(SLTIU) X(ANDI) X(ORI) X(XORI) X(LUI)       \
	X(CLZ) X(CLO) X(SEB) X(SEH) X(WSBH) X(EXT) X(INS)                     \
	X(MULT) X(MULTU) X(MUL) X(MADD) X(MSUB) X(MADDU) X(MSUBU) X(DIV)     \
	X(DIVU) X(MFHI) X(MFLO) X(MTHI) X(MTLO)                               \
	X(BEQ) X(BNE) X(BLEZ) X(BGTZ) X(BLTZ) X(BGEZ) X(BLTZAL) X(BGEZAL)     \
	X(J) X(JAL) X(JR) X(JR_HB) X(JALR) X(JALR_HB)                         \
	X(LB) X(LBU) X(LH) X(LHU) X(LW) X(SB) X(SH) X(SW)                     \
	X(MFC0) X(MFGC0)
/* The ones that end a block after their delay slot. */
#define BLOCK_BRANCHES(X)                                                     \
	X(BEQ) X(BNE) X(BLEZ) X(BGTZ) X(BLTZ) X(BGEZ) X(BLTZAL) X(BGEZAL)     \
	X(J) X(JAL) X(JR) X(JR_HB) X(JALR) X(JALR_HB)

/* Whether d is one of them (exec.c, jit_x86_64.c). */
static inline bool block_branch(const struct pd_insn *d)
{
	switch (d->op) {
#define BLOCK_CASE(x) case ISA_OP_##x:
	BLOCK_BRANCHES(BLOCK_CASE)
#undef BLOCK_CASE
		return true;
	default:
		return false;
	}
}
#endif

#ifdef OP
		/* ---- no-ops and hints */
		OP(NOP) OP(SSNOP) OP(EHB)
		OP(PAUSE) OP(SYNC) OP(PREF)
		OP(SYNCI)
			END_OP;

		/* ---- shifts */
		OP(SLL) R[RD] = R[RT] << d->sa; END_OP;
		OP(SRL) R[RD] = R[RT] >> d->sa; END_OP;
		OP(SRA) R[RD] = (uint32_t)((int32_t)R[RT] >> d->sa); END_OP;
		OP(ROTR)
			t = R[RT];
			R[RD] = rotr32(t, d->sa);
			END_OP;
		OP(SLLV) R[RD] = R[RT] << (R[RS] & 31); END_OP;
		OP(SRLV) R[RD] = R[RT] >> (R[RS] & 31); END_OP;
		OP(SRAV) R[RD] = (uint32_t)((int32_t)R[RT] >> (R[RS] & 31)); END_OP;
		OP(ROTRV) {
			t = R[RT];
			R[RD] = rotr32(t, R[RS]);
			END_OP;
		}

		/* ---- ALU (those that cannot raise an exception) */
		OP(ADDU) R[RD] = R[RS] + R[RT]; END_OP;
		OP(SUBU) R[RD] = R[RS] - R[RT]; END_OP;
		OP(AND) R[RD] = R[RS] & R[RT]; END_OP;
		OP(OR) R[RD] = R[RS] | R[RT]; END_OP;
		OP(XOR) R[RD] = R[RS] ^ R[RT]; END_OP;
		OP(NOR) R[RD] = ~(R[RS] | R[RT]); END_OP;
		OP(SLT) R[RD] = (int32_t)R[RS] < (int32_t)R[RT]; END_OP;
		OP(SLTU) R[RD] = R[RS] < R[RT]; END_OP;
		OP(MOVZ) if (R[RT] == 0) R[RD] = R[RS]; END_OP;
		OP(MOVN) if (R[RT] != 0) R[RD] = R[RS]; END_OP;
		OP(ADDIU) R[RT] = R[RS] + d->imm; END_OP;
		OP(SLTI) R[RT] = (int32_t)R[RS] < (int32_t)d->imm; END_OP;
		OP(SLTIU) R[RT] = R[RS] < d->imm; END_OP;
		OP(ANDI) R[RT] = R[RS] & d->imm; END_OP;
		OP(ORI) R[RT] = R[RS] | d->imm; END_OP;
		OP(XORI) R[RT] = R[RS] ^ d->imm; END_OP;
		OP(LUI) R[RT] = d->imm; END_OP;
		OP(CLZ) R[RD] = clz32(R[RS]); END_OP;
		OP(CLO) R[RD] = clz32(~R[RS]); END_OP;
		OP(SEB) R[RD] = (uint32_t)(int32_t)(int8_t)R[RT]; END_OP;
		OP(SEH) R[RD] = (uint32_t)(int32_t)(int16_t)R[RT]; END_OP;
		OP(WSBH)
			t = R[RT];
			R[RD] = ((t & 0x00ff00ffu) << 8) | ((t >> 8) & 0x00ff00ffu);
			END_OP;
		OP(EXT)
			R[RT] = (R[RS] >> d->sa) & d->imm;
			END_OP;
		OP(INS)
			R[RT] = (R[RT] & ~d->imm) | ((R[RS] << d->sa) & d->imm);
			END_OP;

		/* ---- multiply and divide */
		OP(MULT) {
			int64_t p = (int64_t)(int32_t)R[RS] * (int32_t)R[RT];
			cpu->lo = (uint32_t)p;
			cpu->hi = (uint32_t)((uint64_t)p >> 32);
			END_OP;
		}
		OP(MULTU) {
			uint64_t p = (uint64_t)R[RS] * R[RT];
			cpu->lo = (uint32_t)p;
			cpu->hi = (uint32_t)(p >> 32);
			END_OP;
		}
		OP(MUL)
			R[RD] = R[RS] * R[RT]; /* the low word, signed or not */
			END_OP;
		OP(MADD) OP(MSUB) {
			int64_t acc = (int64_t)(((uint64_t)cpu->hi << 32) | cpu->lo);
			int64_t p = (int64_t)(int32_t)R[RS] * (int32_t)R[RT];
			uint64_t r = (d->op == ISA_OP_MADD) ? (uint64_t)acc + (uint64_t)p
							     : (uint64_t)acc - (uint64_t)p;
			cpu->lo = (uint32_t)r;
			cpu->hi = (uint32_t)(r >> 32);
			END_OP;
		}
		OP(MADDU) OP(MSUBU) {
			uint64_t acc = ((uint64_t)cpu->hi << 32) | cpu->lo;
			uint64_t p = (uint64_t)R[RS] * R[RT];
			uint64_t r = (d->op == ISA_OP_MADDU) ? acc + p : acc - p;
			cpu->lo = (uint32_t)r;
			cpu->hi = (uint32_t)(r >> 32);
			END_OP;
		}
		OP(DIV) {
			int32_t a = (int32_t)R[RS], b = (int32_t)R[RT];
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
			if (R[RT] != 0) {
				cpu->lo = R[RS] / R[RT];
				cpu->hi = R[RS] % R[RT];
			}
			END_OP;
		OP(MFHI) R[RD] = cpu->hi; END_OP;
		OP(MFLO) R[RD] = cpu->lo; END_OP;
		OP(MTHI) cpu->hi = R[RS]; END_OP;
		OP(MTLO) cpu->lo = R[RS]; END_OP;

		/* ---- branches (not the likely ones) and jumps */
		OP(BEQ) BRANCH_GUARD(); BRANCH(R[RS] == R[RT]); END_BRANCH;
		OP(BNE) BRANCH_GUARD(); BRANCH(R[RS] != R[RT]); END_BRANCH;
		OP(BLEZ) BRANCH_GUARD(); BRANCH((int32_t)R[RS] <= 0); END_BRANCH;
		OP(BGTZ) BRANCH_GUARD(); BRANCH((int32_t)R[RS] > 0); END_BRANCH;
		OP(BLTZ) BRANCH_GUARD(); BRANCH((int32_t)R[RS] < 0); END_BRANCH;
		OP(BGEZ) BRANCH_GUARD(); BRANCH((int32_t)R[RS] >= 0); END_BRANCH;
		OP(BLTZAL)
			BRANCH_GUARD();
			t = (int32_t)R[RS] < 0;
			R[31] = CUR_PC + 8;
			BRANCH(t);
			END_BRANCH;
		OP(BGEZAL)
			BRANCH_GUARD();
			t = (int32_t)R[RS] >= 0;
			R[31] = CUR_PC + 8;
			BRANCH(t);
			END_BRANCH;
		OP(J)
			BRANCH_GUARD();
			after = ((CUR_PC + 4) & 0xf0000000u) | d->imm;
			next_ds = true;
			END_BRANCH;
		OP(JAL)
			BRANCH_GUARD();
			after = ((CUR_PC + 4) & 0xf0000000u) | d->imm;
			R[31] = CUR_PC + 8;
			next_ds = true;
			END_BRANCH;
		OP(JR) OP(JR_HB)
			BRANCH_GUARD();
			after = R[RS];
			next_ds = true;
			TRACED(trace_target(cpu, after));
			END_BRANCH;
		OP(JALR) OP(JALR_HB)
			BRANCH_GUARD();
			after = R[RS]; /* read before RD is written: RD may equal RS */
			R[RD] = CUR_PC + 8;
			next_ds = true;
			TRACED(trace_target(cpu, after));
			END_BRANCH;

		/* ---- loads and stores, aligned: the soft TLB, else the slow path */
		OP(LB) LOAD_INSN(int8_t, 1); END_OP;
		OP(LBU) LOAD_INSN(uint8_t, 1); END_OP;
		OP(LH) LOAD_INSN(int16_t, 2); END_OP;
		OP(LHU) LOAD_INSN(uint16_t, 2); END_OP;
		OP(LW) LOAD_INSN(uint32_t, 4); END_OP;
		OP(SB) STORE_INSN(uint8_t, 1); END_OP;
		OP(SH) STORE_INSN(uint16_t, 2); END_OP;
		OP(SW) STORE_INSN(uint32_t, 4); END_OP;

		/* ---- CP0 reads (a GPSI exit or CpU is their only effect) */
		OP(MFC0)
			SLOW_BEGIN();
			if (!cp0_gate(cpu)) goto fault;
			if (cpu->guest) {
				if (!gcp0_done(cpu, gcp0_read(cpu, RD, d->word & 7, &v, false)))
					goto fault;
			} else {
				cp0_read(cpu, RD, d->word & 7, &v);
			}
			SLOW_RESUME();
			R[RT] = v;
			END_OP;
		OP(MFGC0)
			SLOW_BEGIN();
			if (!root_vz_gate(cpu)) goto fault;
			gcp0_read(cpu, RD, d->word & 7, &v, true);
			SLOW_RESUME();
			R[RT] = v;
			END_OP;
#endif
