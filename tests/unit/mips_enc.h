/*
 * MIPS32r5 instruction encoders for the unit tests, so a test program reads
 * like the assembly it stands for:
 *
 *     enc_addiu(T0, ZERO, 5), enc_beq(T0, T1, 3), enc_nop(), ...
 *
 * Field layouts are the ones of the MIPS32 instruction set manual (Vol. II);
 * tests/unit/mips_enc.h deliberately does not use boards/mips so that a
 * wrong row in mips32.def cannot hide behind a matching wrong encoder.
 *
 * Branch offsets are in instructions, relative to the delay slot, as the
 * hardware counts them: enc_beq(a, b, 2) at pc branches to pc + 4 + 2*4.
 * Memory offsets are in bytes.
 */
#ifndef VZSOAK_TEST_MIPS_ENC_H
#define VZSOAK_TEST_MIPS_ENC_H

#include <stdint.h>

enum {
	ZERO, AT, V0, V1, A0, A1, A2, A3,
	T0, T1, T2, T3, T4, T5, T6, T7,
	S0, S1, S2, S3, S4, S5, S6, S7,
	T8, T9, K0, K1, GP, SP, FP, RA,
};

/* CP0 register numbers (select 0 unless noted at the use). */
enum {
	C0_INDEX = 0, C0_RANDOM = 1, C0_ENTRYLO0 = 2, C0_ENTRYLO1 = 3,
	C0_CONTEXT = 4, C0_PAGEMASK = 5, C0_WIRED = 6, C0_HWRENA = 7,
	C0_BADVADDR = 8, C0_COUNT = 9, C0_ENTRYHI = 10, C0_COMPARE = 11,
	C0_STATUS = 12, C0_CAUSE = 13, C0_EPC = 14, C0_PRID = 15,
	C0_CONFIG = 16, C0_LLADDR = 17, C0_ERROREPC = 30, C0_KSCRATCH = 31,
};

/* ------------------------------------------------------------ formats */

static inline uint32_t enc_r(unsigned op, unsigned rs, unsigned rt, unsigned rd,
			     unsigned sa, unsigned fn)
{
	return (uint32_t)op << 26 | (uint32_t)(rs & 31) << 21 |
	       (uint32_t)(rt & 31) << 16 | (uint32_t)(rd & 31) << 11 |
	       (uint32_t)(sa & 31) << 6 | (fn & 63);
}

static inline uint32_t enc_i(unsigned op, unsigned rs, unsigned rt, int32_t imm)
{
	return (uint32_t)op << 26 | (uint32_t)(rs & 31) << 21 |
	       (uint32_t)(rt & 31) << 16 | ((uint32_t)imm & 0xffffu);
}

static inline uint32_t enc_special(unsigned rs, unsigned rt, unsigned rd,
				   unsigned sa, unsigned fn)
{
	return enc_r(0, rs, rt, rd, sa, fn);
}

/* ------------------------------------------------------------ SPECIAL */

static inline uint32_t enc_nop(void) { return 0; }
static inline uint32_t enc_ehb(void) { return enc_special(0, 0, 0, 3, 0); }
static inline uint32_t enc_sll(unsigned rd, unsigned rt, unsigned sa) { return enc_special(0, rt, rd, sa, 0x00); }
static inline uint32_t enc_srl(unsigned rd, unsigned rt, unsigned sa) { return enc_special(0, rt, rd, sa, 0x02); }
static inline uint32_t enc_rotr(unsigned rd, unsigned rt, unsigned sa) { return enc_special(1, rt, rd, sa, 0x02); }
static inline uint32_t enc_sra(unsigned rd, unsigned rt, unsigned sa) { return enc_special(0, rt, rd, sa, 0x03); }
static inline uint32_t enc_sllv(unsigned rd, unsigned rt, unsigned rs) { return enc_special(rs, rt, rd, 0, 0x04); }
static inline uint32_t enc_srlv(unsigned rd, unsigned rt, unsigned rs) { return enc_special(rs, rt, rd, 0, 0x06); }
static inline uint32_t enc_rotrv(unsigned rd, unsigned rt, unsigned rs) { return enc_special(rs, rt, rd, 1, 0x06); }
static inline uint32_t enc_srav(unsigned rd, unsigned rt, unsigned rs) { return enc_special(rs, rt, rd, 0, 0x07); }
static inline uint32_t enc_jr(unsigned rs) { return enc_special(rs, 0, 0, 0, 0x08); }
static inline uint32_t enc_jr_hb(unsigned rs) { return enc_special(rs, 0, 0, 16, 0x08); }
static inline uint32_t enc_jalr(unsigned rd, unsigned rs) { return enc_special(rs, 0, rd, 0, 0x09); }
static inline uint32_t enc_jalr_hb(unsigned rd, unsigned rs) { return enc_special(rs, 0, rd, 16, 0x09); }
static inline uint32_t enc_movz(unsigned rd, unsigned rs, unsigned rt) { return enc_special(rs, rt, rd, 0, 0x0a); }
static inline uint32_t enc_movn(unsigned rd, unsigned rs, unsigned rt) { return enc_special(rs, rt, rd, 0, 0x0b); }
static inline uint32_t enc_syscall(uint32_t code) { return (code & 0xfffffu) << 6 | 0x0c; }
static inline uint32_t enc_break(uint32_t code) { return (code & 0xfffffu) << 6 | 0x0d; }
static inline uint32_t enc_sync(unsigned stype) { return enc_special(0, 0, 0, stype, 0x0f); }
static inline uint32_t enc_mfhi(unsigned rd) { return enc_special(0, 0, rd, 0, 0x10); }
static inline uint32_t enc_mthi(unsigned rs) { return enc_special(rs, 0, 0, 0, 0x11); }
static inline uint32_t enc_mflo(unsigned rd) { return enc_special(0, 0, rd, 0, 0x12); }
static inline uint32_t enc_mtlo(unsigned rs) { return enc_special(rs, 0, 0, 0, 0x13); }
static inline uint32_t enc_mult(unsigned rs, unsigned rt) { return enc_special(rs, rt, 0, 0, 0x18); }
static inline uint32_t enc_multu(unsigned rs, unsigned rt) { return enc_special(rs, rt, 0, 0, 0x19); }
static inline uint32_t enc_div(unsigned rs, unsigned rt) { return enc_special(rs, rt, 0, 0, 0x1a); }
static inline uint32_t enc_divu(unsigned rs, unsigned rt) { return enc_special(rs, rt, 0, 0, 0x1b); }
static inline uint32_t enc_add(unsigned rd, unsigned rs, unsigned rt) { return enc_special(rs, rt, rd, 0, 0x20); }
static inline uint32_t enc_addu(unsigned rd, unsigned rs, unsigned rt) { return enc_special(rs, rt, rd, 0, 0x21); }
static inline uint32_t enc_sub(unsigned rd, unsigned rs, unsigned rt) { return enc_special(rs, rt, rd, 0, 0x22); }
static inline uint32_t enc_subu(unsigned rd, unsigned rs, unsigned rt) { return enc_special(rs, rt, rd, 0, 0x23); }
static inline uint32_t enc_and(unsigned rd, unsigned rs, unsigned rt) { return enc_special(rs, rt, rd, 0, 0x24); }
static inline uint32_t enc_or(unsigned rd, unsigned rs, unsigned rt) { return enc_special(rs, rt, rd, 0, 0x25); }
static inline uint32_t enc_xor(unsigned rd, unsigned rs, unsigned rt) { return enc_special(rs, rt, rd, 0, 0x26); }
static inline uint32_t enc_nor(unsigned rd, unsigned rs, unsigned rt) { return enc_special(rs, rt, rd, 0, 0x27); }
static inline uint32_t enc_slt(unsigned rd, unsigned rs, unsigned rt) { return enc_special(rs, rt, rd, 0, 0x2a); }
static inline uint32_t enc_sltu(unsigned rd, unsigned rs, unsigned rt) { return enc_special(rs, rt, rd, 0, 0x2b); }
static inline uint32_t enc_move(unsigned rd, unsigned rs) { return enc_addu(rd, rs, ZERO); }

/* Traps: the 10-bit code field sits in bits 15:6. */
static inline uint32_t enc_trap_r(unsigned rs, unsigned rt, unsigned code, unsigned fn)
{
	return (uint32_t)(rs & 31) << 21 | (uint32_t)(rt & 31) << 16 |
	       (uint32_t)(code & 0x3ffu) << 6 | fn;
}
static inline uint32_t enc_tge(unsigned rs, unsigned rt) { return enc_trap_r(rs, rt, 0, 0x30); }
static inline uint32_t enc_tgeu(unsigned rs, unsigned rt) { return enc_trap_r(rs, rt, 0, 0x31); }
static inline uint32_t enc_tlt(unsigned rs, unsigned rt) { return enc_trap_r(rs, rt, 0, 0x32); }
static inline uint32_t enc_tltu(unsigned rs, unsigned rt) { return enc_trap_r(rs, rt, 0, 0x33); }
static inline uint32_t enc_teq(unsigned rs, unsigned rt) { return enc_trap_r(rs, rt, 0, 0x34); }
static inline uint32_t enc_tne(unsigned rs, unsigned rt) { return enc_trap_r(rs, rt, 0, 0x36); }

/* ------------------------------------------------------------ REGIMM */

static inline uint32_t enc_regimm(unsigned rs, unsigned rt, int32_t imm) { return enc_i(1, rs, rt, imm); }
static inline uint32_t enc_bltz(unsigned rs, int32_t off) { return enc_regimm(rs, 0x00, off); }
static inline uint32_t enc_bgez(unsigned rs, int32_t off) { return enc_regimm(rs, 0x01, off); }
static inline uint32_t enc_bltzl(unsigned rs, int32_t off) { return enc_regimm(rs, 0x02, off); }
static inline uint32_t enc_bgezl(unsigned rs, int32_t off) { return enc_regimm(rs, 0x03, off); }
static inline uint32_t enc_tgei(unsigned rs, int32_t imm) { return enc_regimm(rs, 0x08, imm); }
static inline uint32_t enc_tgeiu(unsigned rs, int32_t imm) { return enc_regimm(rs, 0x09, imm); }
static inline uint32_t enc_tlti(unsigned rs, int32_t imm) { return enc_regimm(rs, 0x0a, imm); }
static inline uint32_t enc_tltiu(unsigned rs, int32_t imm) { return enc_regimm(rs, 0x0b, imm); }
static inline uint32_t enc_teqi(unsigned rs, int32_t imm) { return enc_regimm(rs, 0x0c, imm); }
static inline uint32_t enc_tnei(unsigned rs, int32_t imm) { return enc_regimm(rs, 0x0e, imm); }
static inline uint32_t enc_bltzal(unsigned rs, int32_t off) { return enc_regimm(rs, 0x10, off); }
static inline uint32_t enc_bgezal(unsigned rs, int32_t off) { return enc_regimm(rs, 0x11, off); }
static inline uint32_t enc_bltzall(unsigned rs, int32_t off) { return enc_regimm(rs, 0x12, off); }
static inline uint32_t enc_bgezall(unsigned rs, int32_t off) { return enc_regimm(rs, 0x13, off); }
static inline uint32_t enc_synci(int32_t off, unsigned base) { return enc_regimm(base, 0x1f, off); }

/* ------------------------------------------------------------ jumps, branches, immediates */

/* j/jal take the full target address; only bits 27:2 are encoded. */
static inline uint32_t enc_j(uint32_t target) { return 0x08000000u | ((target >> 2) & 0x03ffffffu); }
static inline uint32_t enc_jal(uint32_t target) { return 0x0c000000u | ((target >> 2) & 0x03ffffffu); }
static inline uint32_t enc_beq(unsigned rs, unsigned rt, int32_t off) { return enc_i(0x04, rs, rt, off); }
static inline uint32_t enc_bne(unsigned rs, unsigned rt, int32_t off) { return enc_i(0x05, rs, rt, off); }
static inline uint32_t enc_blez(unsigned rs, int32_t off) { return enc_i(0x06, rs, 0, off); }
static inline uint32_t enc_bgtz(unsigned rs, int32_t off) { return enc_i(0x07, rs, 0, off); }
static inline uint32_t enc_b(int32_t off) { return enc_beq(ZERO, ZERO, off); }
static inline uint32_t enc_addi(unsigned rt, unsigned rs, int32_t imm) { return enc_i(0x08, rs, rt, imm); }
static inline uint32_t enc_addiu(unsigned rt, unsigned rs, int32_t imm) { return enc_i(0x09, rs, rt, imm); }
static inline uint32_t enc_slti(unsigned rt, unsigned rs, int32_t imm) { return enc_i(0x0a, rs, rt, imm); }
static inline uint32_t enc_sltiu(unsigned rt, unsigned rs, int32_t imm) { return enc_i(0x0b, rs, rt, imm); }
static inline uint32_t enc_andi(unsigned rt, unsigned rs, uint32_t imm) { return enc_i(0x0c, rs, rt, (int32_t)imm); }
static inline uint32_t enc_ori(unsigned rt, unsigned rs, uint32_t imm) { return enc_i(0x0d, rs, rt, (int32_t)imm); }
static inline uint32_t enc_xori(unsigned rt, unsigned rs, uint32_t imm) { return enc_i(0x0e, rs, rt, (int32_t)imm); }
static inline uint32_t enc_lui(unsigned rt, uint32_t imm) { return enc_i(0x0f, 0, rt, (int32_t)imm); }
static inline uint32_t enc_beql(unsigned rs, unsigned rt, int32_t off) { return enc_i(0x14, rs, rt, off); }
static inline uint32_t enc_bnel(unsigned rs, unsigned rt, int32_t off) { return enc_i(0x15, rs, rt, off); }
static inline uint32_t enc_blezl(unsigned rs, int32_t off) { return enc_i(0x16, rs, 0, off); }
static inline uint32_t enc_bgtzl(unsigned rs, int32_t off) { return enc_i(0x17, rs, 0, off); }

/* ------------------------------------------------------------ COP0 */

static inline uint32_t enc_mfc0(unsigned rt, unsigned rd, unsigned sel) { return 0x40000000u | (uint32_t)(rt & 31) << 16 | (uint32_t)(rd & 31) << 11 | (sel & 7); }
static inline uint32_t enc_mtc0(unsigned rt, unsigned rd, unsigned sel) { return 0x40800000u | (uint32_t)(rt & 31) << 16 | (uint32_t)(rd & 31) << 11 | (sel & 7); }
static inline uint32_t enc_di(unsigned rt) { return 0x41606000u | (uint32_t)(rt & 31) << 16; }
static inline uint32_t enc_ei(unsigned rt) { return 0x41606020u | (uint32_t)(rt & 31) << 16; }
static inline uint32_t enc_tlbr(void) { return 0x42000001u; }
static inline uint32_t enc_tlbwi(void) { return 0x42000002u; }
static inline uint32_t enc_tlbinv(void) { return 0x42000003u; }
static inline uint32_t enc_tlbinvf(void) { return 0x42000004u; }
static inline uint32_t enc_tlbwr(void) { return 0x42000006u; }
static inline uint32_t enc_tlbp(void) { return 0x42000008u; }
static inline uint32_t enc_eret(void) { return 0x42000018u; }
static inline uint32_t enc_eretnc(void) { return 0x42000058u; }
static inline uint32_t enc_deret(void) { return 0x4200001fu; }
static inline uint32_t enc_wait(void) { return 0x42000020u; }

/* ------------------------------------------------------------ COP1 (absent here) */

static inline uint32_t enc_mfc1(unsigned rt, unsigned fs) { return 0x44000000u | (uint32_t)(rt & 31) << 16 | (uint32_t)(fs & 31) << 11; }
static inline uint32_t enc_add_s(unsigned fd, unsigned fs, unsigned ft) { return 0x46000000u | (uint32_t)(ft & 31) << 16 | (uint32_t)(fs & 31) << 11 | (uint32_t)(fd & 31) << 6; }
static inline uint32_t enc_lwc1(unsigned ft, int32_t off, unsigned base) { return enc_i(0x31, base, ft, off); }
static inline uint32_t enc_mfc2(unsigned rt, unsigned rd) { return 0x48000000u | (uint32_t)(rt & 31) << 16 | (uint32_t)(rd & 31) << 11; }

/* ------------------------------------------------------------ SPECIAL2 */

static inline uint32_t enc_special2(unsigned rs, unsigned rt, unsigned rd, unsigned fn) { return enc_r(0x1c, rs, rt, rd, 0, fn); }
static inline uint32_t enc_madd(unsigned rs, unsigned rt) { return enc_special2(rs, rt, 0, 0x00); }
static inline uint32_t enc_maddu(unsigned rs, unsigned rt) { return enc_special2(rs, rt, 0, 0x01); }
static inline uint32_t enc_mul(unsigned rd, unsigned rs, unsigned rt) { return enc_special2(rs, rt, rd, 0x02); }
static inline uint32_t enc_msub(unsigned rs, unsigned rt) { return enc_special2(rs, rt, 0, 0x04); }
static inline uint32_t enc_msubu(unsigned rs, unsigned rt) { return enc_special2(rs, rt, 0, 0x05); }
/* clz/clo: the architecture wants rt == rd. */
static inline uint32_t enc_clz(unsigned rd, unsigned rs) { return enc_special2(rs, rd, rd, 0x20); }
static inline uint32_t enc_clo(unsigned rd, unsigned rs) { return enc_special2(rs, rd, rd, 0x21); }
static inline uint32_t enc_sdbbp(uint32_t code) { return 0x7000003fu | (code & 0xfffffu) << 6; }

/* ------------------------------------------------------------ SPECIAL3 */

/* ext rt, rs, pos, size: msbd = size-1 in rd, lsb = pos in sa. */
static inline uint32_t enc_ext(unsigned rt, unsigned rs, unsigned pos, unsigned size) { return enc_r(0x1f, rs, rt, size - 1, pos, 0x00); }
/* ins rt, rs, pos, size: msb = pos+size-1 in rd, lsb = pos in sa. */
static inline uint32_t enc_ins(unsigned rt, unsigned rs, unsigned pos, unsigned size) { return enc_r(0x1f, rs, rt, pos + size - 1, pos, 0x04); }
static inline uint32_t enc_wsbh(unsigned rd, unsigned rt) { return enc_r(0x1f, 0, rt, rd, 0x02, 0x20); }
static inline uint32_t enc_seb(unsigned rd, unsigned rt) { return enc_r(0x1f, 0, rt, rd, 0x10, 0x20); }
static inline uint32_t enc_seh(unsigned rd, unsigned rt) { return enc_r(0x1f, 0, rt, rd, 0x18, 0x20); }
static inline uint32_t enc_rdhwr(unsigned rt, unsigned hwr) { return enc_r(0x1f, 0, rt, hwr, 0, 0x3b); }

/* ------------------------------------------------------------ loads and stores */

static inline uint32_t enc_lb(unsigned rt, int32_t off, unsigned base) { return enc_i(0x20, base, rt, off); }
static inline uint32_t enc_lh(unsigned rt, int32_t off, unsigned base) { return enc_i(0x21, base, rt, off); }
static inline uint32_t enc_lwl(unsigned rt, int32_t off, unsigned base) { return enc_i(0x22, base, rt, off); }
static inline uint32_t enc_lw(unsigned rt, int32_t off, unsigned base) { return enc_i(0x23, base, rt, off); }
static inline uint32_t enc_lbu(unsigned rt, int32_t off, unsigned base) { return enc_i(0x24, base, rt, off); }
static inline uint32_t enc_lhu(unsigned rt, int32_t off, unsigned base) { return enc_i(0x25, base, rt, off); }
static inline uint32_t enc_lwr(unsigned rt, int32_t off, unsigned base) { return enc_i(0x26, base, rt, off); }
static inline uint32_t enc_sb(unsigned rt, int32_t off, unsigned base) { return enc_i(0x28, base, rt, off); }
static inline uint32_t enc_sh(unsigned rt, int32_t off, unsigned base) { return enc_i(0x29, base, rt, off); }
static inline uint32_t enc_swl(unsigned rt, int32_t off, unsigned base) { return enc_i(0x2a, base, rt, off); }
static inline uint32_t enc_sw(unsigned rt, int32_t off, unsigned base) { return enc_i(0x2b, base, rt, off); }
static inline uint32_t enc_swr(unsigned rt, int32_t off, unsigned base) { return enc_i(0x2e, base, rt, off); }
static inline uint32_t enc_cache(unsigned op, int32_t off, unsigned base) { return enc_i(0x2f, base, op, off); }
static inline uint32_t enc_ll(unsigned rt, int32_t off, unsigned base) { return enc_i(0x30, base, rt, off); }
static inline uint32_t enc_pref(unsigned hint, int32_t off, unsigned base) { return enc_i(0x33, base, hint, off); }
static inline uint32_t enc_sc(unsigned rt, int32_t off, unsigned base) { return enc_i(0x38, base, rt, off); }

/* li for any 32-bit value: always two words (lui; ori) so programs keep a
 * fixed layout whatever the value. */
#define ENC_LI(rt, v) enc_lui((rt), ((uint32_t)(v)) >> 16), enc_ori((rt), (rt), ((uint32_t)(v)) & 0xffffu)

/* ------------------------------------------------------------ VZ (Virtualization ASE) */

/*
 * Root-only instructions of the VZ module (COP0 major opcode).  MFGC0/MTGC0
 * sit in the MFC0/MTC0 space with rs = 3 and bits 10:8 telling them apart;
 * the guest TLB operations are CO functions; HYPCALL carries a 10-bit code
 * in bits 20:11.
 */
static inline uint32_t enc_mfgc0(unsigned rt, unsigned rd, unsigned sel) { return 0x40600000u | (uint32_t)(rt & 31) << 16 | (uint32_t)(rd & 31) << 11 | (sel & 7); }
static inline uint32_t enc_mtgc0(unsigned rt, unsigned rd, unsigned sel) { return 0x40600200u | (uint32_t)(rt & 31) << 16 | (uint32_t)(rd & 31) << 11 | (sel & 7); }
static inline uint32_t enc_tlbgr(void) { return 0x42000009u; }
static inline uint32_t enc_tlbgwi(void) { return 0x4200000au; }
static inline uint32_t enc_tlbginv(void) { return 0x4200000bu; }
static inline uint32_t enc_tlbginvf(void) { return 0x4200000cu; }
static inline uint32_t enc_tlbgwr(void) { return 0x4200000eu; }
static inline uint32_t enc_tlbgp(void) { return 0x42000010u; }
static inline uint32_t enc_hypcall(uint32_t code) { return 0x42000028u | (code & 0x3ffu) << 11; }
/* Previous-shadow-set moves (COP0 rs = 10 and 14); CP0 instructions for VZ. */
static inline uint32_t enc_rdpgpr(unsigned rd, unsigned rt) { return 0x41400000u | (uint32_t)(rt & 31) << 16 | (uint32_t)(rd & 31) << 11; }
static inline uint32_t enc_wrpgpr(unsigned rd, unsigned rt) { return 0x41c00000u | (uint32_t)(rt & 31) << 16 | (uint32_t)(rd & 31) << 11; }

#endif
