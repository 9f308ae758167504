/*
 * vzsim's EJTAG debug mode (board option ejtag=on), driven the way a probe
 * drives it: through the TAP alone (vzsim_jtag_clock), with OpenOCD's
 * processor-access protocol feeding debug programs from dmseg.  The ECR and
 * its write rules, IMPCODE/IDCODE/BYPASS, every debug exception cause (DINT,
 * SDBBP, instruction and data breakpoints, single step) with Debug, DEPC and
 * the vector, DERET, the invisibility of debug mode to the program, dmseg
 * and drseg accesses, FASTDATA, the ALL register, the reset paths (PrRst,
 * EJTAGBOOT, SRST over remote_bitbang) and the TCB registers over JTAG.
 * Public API only (vzsim/vzsim.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <vzsim/vzsim.h>
#include "mips_enc.h"

/* TAP instructions. */
#define IR_IDCODE     0x01u
#define IR_IMPCODE    0x03u
#define IR_ADDRESS    0x08u
#define IR_DATA       0x09u
#define IR_CONTROL    0x0au
#define IR_ALL        0x0bu
#define IR_EJTAGBOOT  0x0cu
#define IR_NORMALBOOT 0x0du
#define IR_FASTDATA   0x0eu
#define IR_TCBCONTROLA 0x10u
#define IR_TCBCONTROLB 0x11u
#define IR_TCBDATA    0x12u
#define IR_TCBCONTROLC 0x13u
#define IR_TCBCONTROLE 0x16u
#define IR_BYPASS     0x1fu

/* ECR bits. */
#define ECR_ROCC     (1u << 31)
#define ECR_PSZ(v)   (((v) >> 29) & 3u)
#define ECR_PSZ_W    (2u << 29)
#define ECR_PSZ_H    (1u << 29)
#define ECR_PRNW     (1u << 19)
#define ECR_PRACC    (1u << 18)
#define ECR_PRRST    (1u << 16)
#define ECR_PROBEN   (1u << 15)
#define ECR_PROBTRAP (1u << 14)
#define ECR_EJTAGBRK (1u << 12)
#define ECR_DM       (1u << 3)
/* OpenOCD's values. */
#define ECR_POLL     0x8004c000u /* Rocc PrAcc ProbEn ProbTrap: a read */
#define ECR_ACK      0x0004c000u /* the same with Rocc 0: acknowledges it */
#define ECR_HALT     0x8004d000u /* + EjtagBrk */
#define ECR_FINISH   0x8000c000u /* PrAcc 0: the access is done */
/* A pending word fetch or load in debug mode, as ECR reads. */
#define ECR_DM_FETCH (ECR_PSZ_W | ECR_PRACC | ECR_PROBEN | ECR_PROBTRAP | ECR_DM)

/* Debug (CP0 23). */
#define DBG_DSS  (1u << 0)
#define DBG_DBP  (1u << 1)
#define DBG_DDBL (1u << 2)
#define DBG_DDBS (1u << 3)
#define DBG_DIB  (1u << 4)
#define DBG_DINT (1u << 5)
#define DBG_SST  (1u << 8)
#define DBG_VER5 (5u << 15)
#define DBG_DM   (1u << 30)
#define DBG_DBD  (1u << 31)
#define C0_DEBUG  23
#define C0_DEPC   24
#define C0_DESAVE 31

/* dmseg and drseg. */
#define FASTDATA 0xff200000u
#define TEXT     0xff200200u
#define PARAM    0xff202000u
#define DCR      0xff300000u
#define IBS      0xff301000u
#define IBA0     0xff301100u
#define IBM0     0xff301108u
#define IBC0     0xff301118u
#define DBS      0xff302000u
#define DBA0     0xff302100u
#define DBM0     0xff302108u
#define DBC0     0xff302118u
#define DCR_PROBEN  (1u << 0)
#define DCR_SRSTE   (1u << 1)
#define DCR_NMIE    (1u << 3)
#define DCR_INTE    (1u << 4)
#define DCR_INSTBRK (1u << 16)
#define DCR_DATABRK (1u << 17)
#define DCR_RESET   (DCR_INTE | DCR_NMIE | DCR_SRSTE | DCR_INSTBRK | DCR_DATABRK)

#define RESET_VECTOR 0xbfc00000u
#define CODE         0x80001000u /* physical 0x1000 */

/* ------------------------------------------------------------ the board */

/* The boards a test made, freed by the teardown even when it fails. */
static vzsim *boards[4];
static unsigned nboards;

static int teardown(void **state)
{
	(void)state;
	while (nboards > 0)
		vzsim_free(boards[--nboards]);
	return 0;
}

static vzsim *board(bool ejtag)
{
	struct vzsim_config cfg;
	vzsim_config_init(&cfg);
	cfg.ram_size = 1u << 20;
	char err[128] = "";
	vzsim *sim = vzsim_new(&cfg, err, sizeof err);
	if (!sim)
		fail_msg("vzsim_new: %s", err);
	assert_true(nboards < sizeof boards / sizeof boards[0]);
	boards[nboards++] = sim;
	vzsim_uart_output(sim, stderr);
	if (ejtag && vzsim_board_opt(sim, "ejtag", "on", err, sizeof err) != 0)
		fail_msg("ejtag=on: %s", err);
	return sim;
}

/* Words at a kseg0/kseg1 address (through its physical address). */
static void load(vzsim *sim, uint32_t va, const uint32_t *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t b[4] = {(uint8_t)w[i], (uint8_t)(w[i] >> 8),
				(uint8_t)(w[i] >> 16), (uint8_t)(w[i] >> 24)};
		assert_int_equal(vzsim_mem_write(sim, (va & 0x1fffffffu) + 4 * (uint32_t)i, b, 4), 0);
	}
}

static uint32_t peek(vzsim *sim, uint32_t va)
{
	uint8_t b[4];
	assert_int_equal(vzsim_mem_read(sim, va & 0x1fffffffu, b, 4), 0);
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

#define LOAD(sim, va, ...) load((sim), (va), (const uint32_t[]){__VA_ARGS__}, \
	sizeof((const uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t))

/* A program at CODE, the core reset to it with the interrupts masked. */
static void program(vzsim *sim, const uint32_t *w, size_t n)
{
	load(sim, CODE, w, n);
	vzsim_reset(sim, CODE);
	assert_int_equal(vzsim_cp0_write(sim, C0_STATUS, 0, 1u << 22), 0); /* BEV only */
}
#define PROGRAM(sim, ...) program((sim), (const uint32_t[]){__VA_ARGS__}, \
	sizeof((const uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t))

static uint64_t insns(vzsim *sim)
{
	struct vzsim_stats st;
	vzsim_get_stats(sim, &st);
	return st.insns;
}

static uint32_t cp0(vzsim *sim, unsigned reg, unsigned sel)
{
	uint32_t v = 0;
	assert_int_equal(vzsim_cp0_read(sim, reg, sel, &v), 0);
	return v;
}

/* ------------------------------------------------------------ the TAP */

/* TMS high five times: Test-Logic-Reset; then Run-Test/Idle. */
static void to_idle(vzsim *sim)
{
	for (int i = 0; i < 5; i++)
		vzsim_jtag_clock(sim, true, false);
	vzsim_jtag_clock(sim, false, false);
}

/* From Run-Test/Idle: n (<= 128) bits of in[] LSB first through the IR or
 * the selected DR, back to Run-Test/Idle; out[] gets what came out. */
static void scan(vzsim *sim, bool ir, const uint64_t in[2], unsigned n, uint64_t out[2])
{
	out[0] = out[1] = 0;
	vzsim_jtag_clock(sim, true, false); /* Select-DR */
	if (ir)
		vzsim_jtag_clock(sim, true, false); /* Select-IR */
	vzsim_jtag_clock(sim, false, false); /* Capture */
	vzsim_jtag_clock(sim, false, false); /* Shift */
	for (unsigned i = 0; i < n; i++) {
		bool tdi = (in[i / 64] >> (i % 64)) & 1;
		bool tdo = vzsim_jtag_clock(sim, i == n - 1, tdi); /* last: Exit1 */
		out[i / 64] |= (uint64_t)tdo << (i % 64);
	}
	vzsim_jtag_clock(sim, true, false);  /* Update */
	vzsim_jtag_clock(sim, false, false); /* Run-Test/Idle */
}

static void ir(vzsim *sim, uint32_t code)
{
	uint64_t in[2] = {code, 0}, out[2];
	scan(sim, true, in, 5, out);
	assert_int_equal(out[0], 0x01); /* Capture-IR: 0b00001 */
}

/* A DR of up to 64 bits: in, and what it held. */
static uint64_t dr(vzsim *sim, uint64_t v, unsigned n)
{
	uint64_t in[2] = {v, 0}, out[2];
	scan(sim, false, in, n, out);
	return out[0];
}

/* The register `code` selected, one 32-bit scan. */
static uint32_t reg32(vzsim *sim, uint32_t code, uint32_t v)
{
	ir(sim, code);
	return (uint32_t)dr(sim, v, 32);
}

/* Writes v to the ECR; returns what it read before. */
static uint32_t ecr_rw(vzsim *sim, uint32_t v)
{
	return reg32(sim, IR_CONTROL, v);
}

/* OpenOCD's poll: a read (a write that keeps ProbEn/ProbTrap, PrAcc 1). */
static uint32_t ecr(vzsim *sim)
{
	return ecr_rw(sim, ECR_POLL);
}

/* The probe's start: TAP reset, Rocc acknowledged, ProbEn and ProbTrap. */
static void probe_init(vzsim *sim)
{
	to_idle(sim);
	assert_int_equal(ecr_rw(sim, ECR_ACK), ECR_ROCC);
	assert_int_equal(ecr(sim), ECR_PROBEN | ECR_PROBTRAP);
}

/* ------------------------------------------------------------ processor accesses */

struct access {
	uint32_t ecr, addr, data; /* data: a store's */
};

/* Waits on a processor access: ECR (PrAcc must be set), ADDRESS, and for a
 * store DATA. */
static struct access pracc_wait(vzsim *sim)
{
	struct access a;
	a.ecr = ecr(sim);
	if (!(a.ecr & ECR_PRACC))
		fail_msg("no processor access pending: ECR 0x%08x", a.ecr);
	a.addr = reg32(sim, IR_ADDRESS, 0);
	a.data = (a.ecr & ECR_PRNW) ? reg32(sim, IR_DATA, 0) : 0;
	return a;
}

/* Finishes it: a fetch's or load's data into DATA, then PrAcc 0. */
static void pracc_finish(vzsim *sim, const struct access *a, uint32_t data)
{
	if (!(a->ecr & ECR_PRNW))
		reg32(sim, IR_DATA, data);
	ecr_rw(sim, ECR_FINISH);
}

/* Serves one fetch, which must be at addr, with the word w. */
static void serve_fetch(vzsim *sim, uint32_t addr, uint32_t w)
{
	struct access a = pracc_wait(sim);
	assert_int_equal(a.ecr & ~ECR_ROCC, ECR_DM_FETCH);
	assert_int_equal(a.addr, addr);
	pracc_finish(sim, &a, w);
}

/* The probe's scratch memory at PARAM (stores land there, loads read it). */
struct dmem {
	uint32_t w[256];
	unsigned fetches, loads, stores;
};

/*
 * Feeds a debug program as OpenOCD does: fetches at TEXT + 4k in order
 * (NOPs past its end), loads and stores in PARAM's 1 KiB served from and
 * into m, until the core fetches TEXT again, which is left pending.  The
 * core must stay in debug mode.
 */
static void feed(vzsim *sim, const uint32_t *prog, size_t n, struct dmem *m)
{
	memset(m, 0, sizeof *m);
	size_t fed = 0;
	for (int guard = 0; guard < 4096; guard++) {
		struct access a = pracc_wait(sim);
		if (!(a.ecr & ECR_DM))
			fail_msg("left debug mode in a program: ECR 0x%08x", a.ecr);
		unsigned size = 1u << ECR_PSZ(a.ecr);
		uint32_t data = 0;
		if (a.ecr & ECR_PRNW) {
			if (a.addr - PARAM >= sizeof m->w)
				fail_msg("store to 0x%08x", a.addr);
			uint32_t lanes = (size == 4 ? 0xffffffffu : ((1u << (8 * size)) - 1)) << (8 * (a.addr & 3));
			uint32_t *w = &m->w[(a.addr - PARAM) / 4];
			*w = (*w & ~lanes) | (a.data & lanes);
			m->stores++;
		} else if (a.addr >= TEXT && a.addr < PARAM) {
			assert_int_equal(size, 4);
			if (a.addr == TEXT && fed > 0)
				return; /* done: the fetch stays pending */
			if (a.addr != TEXT + 4 * fed)
				fail_msg("fetch at 0x%08x, expected 0x%08x", a.addr, TEXT + 4 * (unsigned)fed);
			data = fed < n ? prog[fed] : enc_nop();
			fed++;
			m->fetches++;
		} else if (a.addr - PARAM < sizeof m->w) {
			data = m->w[(a.addr - PARAM) / 4];
			m->loads++;
		} else {
			fail_msg("load from 0x%08x", a.addr);
		}
		pracc_finish(sim, &a, data);
	}
	fail_msg("the debug program never ended");
}

/*
 * A program body wrapped so that it changes no GPR: $15 goes to DeSave, $8
 * and $9 to the probe's memory (0xFF2023F8/FC); the body has $15 =
 * 0xFF200000 and $8, $9 free, and stores its results at 0x2000 + 4i($15).
 */
static void dbg(vzsim *sim, const uint32_t *body, size_t nb, struct dmem *m)
{
	uint32_t p[96];
	size_t n = 0;
	assert_true(nb + 8 <= sizeof p / sizeof p[0]);
	p[n++] = enc_mtc0(15, C0_DESAVE, 0);
	p[n++] = enc_lui(15, 0xff20);
	p[n++] = enc_sw(8, 0x23f8, 15);
	p[n++] = enc_sw(9, 0x23fc, 15);
	for (size_t i = 0; i < nb; i++)
		p[n++] = body[i];
	p[n++] = enc_lw(8, 0x23f8, 15);
	p[n++] = enc_lw(9, 0x23fc, 15);
	p[n] = enc_b(-(int32_t)n - 1); /* to TEXT */
	n++;
	p[n++] = enc_mfc0(15, C0_DESAVE, 0);
	feed(sim, p, n, m);
}
#define DBG(sim, m, ...) dbg((sim), (const uint32_t[]){__VA_ARGS__}, \
	sizeof((const uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t), (m))

/* CP0 (reg, sel) read by a debug program (checked against the API). */
static uint32_t dbg_cp0(vzsim *sim, unsigned reg, unsigned sel)
{
	struct dmem m;
	DBG(sim, &m, enc_mfc0(8, reg, sel), enc_sw(8, 0x2000, 15));
	assert_int_equal(m.stores, 3);
	assert_int_equal(m.w[0], cp0(sim, reg, sel));
	return m.w[0];
}

static void dbg_mtc0(vzsim *sim, unsigned reg, unsigned sel, uint32_t v)
{
	struct dmem m;
	DBG(sim, &m, ENC_LI(8, v), enc_mtc0(8, reg, sel));
}

/* A word read and written by a debug program (drseg, memory). */
static uint32_t dbg_rd(vzsim *sim, uint32_t addr)
{
	struct dmem m;
	DBG(sim, &m, ENC_LI(9, addr), enc_lw(8, 0, 9), enc_sw(8, 0x2000, 15));
	return m.w[0];
}

static void dbg_wr(vzsim *sim, uint32_t addr, uint32_t v)
{
	struct dmem m;
	DBG(sim, &m, ENC_LI(9, addr), ENC_LI(8, v), enc_sw(8, 0, 9));
}

/* DERET fed as OpenOCD feeds it: one fetch, then nothing. */
static void dbg_deret(vzsim *sim)
{
	serve_fetch(sim, TEXT, enc_deret());
}

/* The core halted with a debug exception: Debug's cause, DEPC, and the
 * probe's vector fetch pending. */
static void assert_halted(vzsim *sim, uint32_t debug, uint32_t depc)
{
	assert_true(vzsim_debug_mode(sim));
	assert_int_equal(vzsim_pc(sim), TEXT);
	uint32_t e = ecr(sim);
	assert_int_equal(e & ~ECR_ROCC, ECR_DM_FETCH);
	assert_int_equal(reg32(sim, IR_ADDRESS, 0), TEXT);
	assert_int_equal(dbg_cp0(sim, C0_DEBUG, 0), debug);
	assert_int_equal(dbg_cp0(sim, C0_DEPC, 0), depc);
}

/* The loop most tests run:
 *   CODE+0x00 addiu $9,$9,1
 *   CODE+0x04 addiu $10,$10,2
 *   CODE+0x08 b CODE
 *   CODE+0x0c addiu $11,$11,3   (delay slot)
 */
static void loop_program(vzsim *sim)
{
	PROGRAM(sim, enc_addiu(9, 9, 1), enc_addiu(10, 10, 2), enc_b(-3), enc_addiu(11, 11, 3));
}

/* ------------------------------------------------------------ ECR */

static void test_ecr_rocc_and_bits(void **state)
{
	(void)state;
	vzsim *sim = board(true);
	loop_program(sim);
	to_idle(sim);
	/* Power-up: Rocc alone. */
	assert_int_equal(ecr(sim), ECR_ROCC);
	/* While Rocc is set, a write with Rocc 1 changes nothing: not ProbEn,
	 * not EjtagBrk. */
	ecr_rw(sim, ECR_HALT);
	assert_false(vzsim_debug_mode(sim));
	assert_int_equal(ecr_rw(sim, ECR_ROCC | ECR_PROBEN), ECR_ROCC);
	assert_int_equal(ecr_rw(sim, ECR_ROCC | ECR_PROBTRAP), ECR_ROCC);
	/* Rocc 0 acknowledges; then the writable bits read back. */
	assert_int_equal(ecr_rw(sim, ECR_PROBEN), ECR_ROCC);
	assert_int_equal(ecr_rw(sim, ECR_PROBTRAP), ECR_PROBEN);
	assert_int_equal(ecr_rw(sim, 0), ECR_PROBTRAP);
	assert_int_equal(ecr_rw(sim, 0), 0);
	/* Writing Rocc 1 does not set it; PrAcc 1 with nothing pending reads 0. */
	assert_int_equal(ecr_rw(sim, ECR_POLL), 0);
	assert_int_equal(ecr(sim), ECR_PROBEN | ECR_PROBTRAP);
	/* The core runs: DM clear. */
	assert_int_equal(vzsim_run(sim, 10), VZSIM_STOP_BUDGET);
	assert_int_equal(ecr(sim) & ECR_DM, 0);
	/* EjtagBrk: DM, a word fetch pending at the vector; EjtagBrk reads 0
	 * again (the exception was taken). */
	ecr_rw(sim, ECR_HALT & ~ECR_ROCC);
	assert_true(vzsim_debug_mode(sim));
	assert_int_equal(ecr(sim), ECR_DM_FETCH);
	/* PrAcc written 1 (a poll) leaves the access pending. */
	assert_int_equal(ecr(sim), ECR_DM_FETCH);
	assert_int_equal(reg32(sim, IR_ADDRESS, 0), TEXT);
	/* Leave debug mode: DM clear, nothing pending. */
	dbg_deret(sim);
	assert_false(vzsim_debug_mode(sim));
	assert_int_equal(ecr(sim), ECR_PROBEN | ECR_PROBTRAP);
}

/* PrAcc, PRnW and Psz of fetches, loads and stores of every size; DATA of
 * a store on its byte lanes; a load's data taken from the lanes its
 * address selects; PrAcc 0 moves the core on to the next access. */
static void test_ecr_pracc_fetch_load_store(void **state)
{
	(void)state;
	vzsim *sim = board(true);
	loop_program(sim);
	probe_init(sim);
	vzsim_jtag_break(sim);
	const uint32_t prog[] = {
		enc_lui(15, 0xff20),        /* TEXT+0x00 */
		enc_lw(8, 0x2010, 15),      /* TEXT+0x04: load word  */
		enc_lh(9, 0x2012, 15),      /* TEXT+0x08: load half, upper lanes */
		enc_lbu(10, 0x2011, 15),    /* TEXT+0x0c: load byte, lane 1 */
		enc_sw(8, 0x2020, 15),      /* TEXT+0x10: store word */
		enc_sh(8, 0x2026, 15),      /* TEXT+0x14: store half, upper lanes */
		enc_sb(8, 0x2029, 15),      /* TEXT+0x18: store byte, lane 1 */
	};
	serve_fetch(sim, TEXT, prog[0]);
	/* The next fetch was posted at once. */
	assert_int_equal(reg32(sim, IR_ADDRESS, 0), TEXT + 4);
	serve_fetch(sim, TEXT + 4, prog[1]);
	struct access a = pracc_wait(sim);
	assert_int_equal(a.ecr, ECR_PSZ_W | ECR_PRACC | ECR_PROBEN | ECR_PROBTRAP | ECR_DM);
	assert_int_equal(a.addr, PARAM + 0x10);
	pracc_finish(sim, &a, 0xbeef8281u);
	assert_int_equal(vzsim_gpr(sim, 8), 0xbeef8281u);
	serve_fetch(sim, TEXT + 8, prog[2]);
	a = pracc_wait(sim);
	assert_int_equal(a.ecr, ECR_PSZ_H | ECR_PRACC | ECR_PROBEN | ECR_PROBTRAP | ECR_DM);
	assert_int_equal(a.addr, PARAM + 0x12);
	pracc_finish(sim, &a, 0x9abc1234u);
	assert_int_equal(vzsim_gpr(sim, 9), 0xffff9abcu);
	serve_fetch(sim, TEXT + 12, prog[3]);
	a = pracc_wait(sim);
	assert_int_equal(a.ecr, ECR_PRACC | ECR_PROBEN | ECR_PROBTRAP | ECR_DM); /* Psz 0 */
	assert_int_equal(a.addr, PARAM + 0x11);
	pracc_finish(sim, &a, 0x0000a500u);
	assert_int_equal(vzsim_gpr(sim, 10), 0xa5u);
	serve_fetch(sim, TEXT + 16, prog[4]);
	a = pracc_wait(sim);
	assert_int_equal(a.ecr, ECR_PSZ_W | ECR_PRNW | ECR_PRACC | ECR_PROBEN | ECR_PROBTRAP | ECR_DM);
	assert_int_equal(a.addr, PARAM + 0x20);
	assert_int_equal(a.data, 0xbeef8281u);
	pracc_finish(sim, &a, 0);
	serve_fetch(sim, TEXT + 20, prog[5]);
	a = pracc_wait(sim);
	assert_int_equal(a.ecr, ECR_PSZ_H | ECR_PRNW | ECR_PRACC | ECR_PROBEN | ECR_PROBTRAP | ECR_DM);
	assert_int_equal(a.addr, PARAM + 0x26);
	assert_int_equal(a.data & 0xffff0000u, 0x82810000u);
	pracc_finish(sim, &a, 0);
	serve_fetch(sim, TEXT + 24, prog[6]);
	a = pracc_wait(sim);
	assert_int_equal(a.ecr, ECR_PRNW | ECR_PRACC | ECR_PROBEN | ECR_PROBTRAP | ECR_DM);
	assert_int_equal(a.addr, PARAM + 0x29);
	assert_int_equal(a.data & 0x0000ff00u, 0x8100u);
	pracc_finish(sim, &a, 0);
	/* On to the next fetch. */
	assert_int_equal(reg32(sim, IR_ADDRESS, 0), TEXT + 28);
	assert_int_equal(ecr(sim), ECR_DM_FETCH);
}

/* ------------------------------------------------------------ IMPCODE, IDCODE, BYPASS */

static void test_impcode_idcode(void **state)
{
	(void)state;
	vzsim *sim = board(true);
	to_idle(sim);
	assert_int_equal(dr(sim, 0, 32), 0x0000a5a1u); /* IDCODE after reset */
	assert_int_equal(reg32(sim, IR_IMPCODE, 0), 0xa1404000u);
	assert_int_equal(reg32(sim, IR_IDCODE, 0), 0x0000a5a1u);
	/* BYPASS still one bit. */
	ir(sim, IR_BYPASS);
	assert_int_equal(dr(sim, 0xb5, 8), (0xb5u << 1) & 0xffu);
	/* EJTAGBOOT and NORMALBOOT select BYPASS too. */
	ir(sim, IR_EJTAGBOOT);
	assert_int_equal(dr(sim, 0xb5, 8), (0xb5u << 1) & 0xffu);
	ir(sim, IR_NORMALBOOT);
	assert_int_equal(dr(sim, 0xb5, 8), (0xb5u << 1) & 0xffu);

	sim = board(false);
	loop_program(sim);
	to_idle(sim);
	assert_int_equal(reg32(sim, IR_IMPCODE, 0), 0);
	assert_int_equal(reg32(sim, IR_IDCODE, 0), 0x0000a5a1u);
	/* The EJTAG registers are BYPASS: one bit, captured 0. */
	const uint32_t codes[] = {IR_ADDRESS, IR_DATA, IR_CONTROL, IR_ALL,
				  IR_EJTAGBOOT, IR_NORMALBOOT, IR_FASTDATA};
	for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++) {
		ir(sim, codes[k]);
		assert_int_equal(dr(sim, 0xb5, 8), (0xb5u << 1) & 0xffu);
		assert_int_equal(dr(sim, 0xffffffffu, 32), 0xfffffffeu);
	}
	/* And they do nothing: no halt, by the ECR or the API. */
	ecr_rw(sim, ECR_ACK | ECR_EJTAGBRK);
	vzsim_jtag_break(sim);
	assert_false(vzsim_debug_mode(sim));
	assert_int_equal(vzsim_run(sim, 10), VZSIM_STOP_BUDGET);
	assert_int_equal(vzsim_gpr(sim, 9), 3);
}

/* The ALL register: ECR bits 0-31, DATA 32-63, ADDRESS 64-95; a scan with
 * ECR PrAcc 0 delivers DATA and finishes the access in one go. */
static void test_all_register(void **state)
{
	(void)state;
	vzsim *sim = board(true);
	loop_program(sim);
	probe_init(sim);
	vzsim_jtag_break(sim);
	reg32(sim, IR_DATA, 0x12345678u);
	ir(sim, IR_ALL);
	uint64_t in[2] = {ECR_FINISH | (uint64_t)enc_lui(15, 0xff20) << 32, 0}, out[2];
	scan(sim, false, in, 96, out);
	assert_int_equal((uint32_t)out[0], ECR_DM_FETCH);
	assert_int_equal((uint32_t)(out[0] >> 32), 0x12345678u);
	assert_int_equal((uint32_t)out[1], TEXT);
	assert_int_equal(vzsim_gpr(sim, 15), 0xff200000u);
	vzsim_set_gpr(sim, 9, 0xcafef00du);
	in[0] = ECR_FINISH | (uint64_t)enc_sw(9, 0x2004, 15) << 32;
	scan(sim, false, in, 96, out);
	assert_int_equal((uint32_t)out[0], ECR_DM_FETCH);
	assert_int_equal((uint32_t)(out[0] >> 32), enc_lui(15, 0xff20));
	assert_int_equal((uint32_t)out[1], TEXT + 4);
	/* The store: PRnW, its data in DATA. */
	in[0] = ECR_POLL; /* PrAcc 1: a look only */
	scan(sim, false, in, 96, out);
	assert_int_equal((uint32_t)out[0], ECR_DM_FETCH | ECR_PRNW);
	assert_int_equal((uint32_t)(out[0] >> 32), 0xcafef00du);
	assert_int_equal((uint32_t)out[1], PARAM + 4);
}

/* ------------------------------------------------------------ DINT */

static void test_dint_ejtagbrk(void **state)
{
	(void)state;
	vzsim *sim = board(true);
	loop_program(sim);
	probe_init(sim);
	assert_int_equal(vzsim_run(sim, 9), VZSIM_STOP_BUDGET);
	assert_int_equal(vzsim_pc(sim), CODE + 4);
	/* Taken at the Update-DR: the very next capture shows DM. */
	assert_int_equal(ecr_rw(sim, ECR_HALT & ~ECR_ROCC), ECR_PROBEN | ECR_PROBTRAP);
	assert_int_equal(ecr(sim), ECR_DM_FETCH);
	assert_halted(sim, DBG_DM | DBG_VER5 | DBG_DINT, CODE + 4);
	/* Waiting on the probe: vzsim_run runs nothing. */
	assert_int_equal(insns(sim), 9);
	assert_int_equal(vzsim_run(sim, 100), VZSIM_STOP_DEBUG);
	assert_int_equal(insns(sim), 9);
	assert_int_equal(ecr(sim), ECR_DM_FETCH);
	assert_int_equal(reg32(sim, IR_ADDRESS, 0), TEXT);
	/* DERET: back at DEPC; the loop goes on. */
	dbg_deret(sim);
	assert_false(vzsim_debug_mode(sim));
	assert_int_equal(vzsim_pc(sim), CODE + 4);
	assert_int_equal(vzsim_run(sim, 2), VZSIM_STOP_BUDGET);
	assert_int_equal(vzsim_pc(sim), CODE + 12);
	assert_int_equal(vzsim_gpr(sim, 10), 3 * 2);
	/* Now in the delay slot: DEPC is the branch, with Debug.DBD; DERET
	 * runs the branch again. */
	ecr_rw(sim, ECR_HALT & ~ECR_ROCC);
	assert_halted(sim, DBG_DBD | DBG_DM | DBG_VER5 | DBG_DINT, CODE + 8);
	dbg_deret(sim);
	assert_int_equal(vzsim_pc(sim), CODE + 8);
	assert_int_equal(vzsim_run(sim, 3), VZSIM_STOP_BUDGET);
	assert_int_equal(vzsim_pc(sim), CODE + 4);
	assert_int_equal(vzsim_gpr(sim, 9), 4);
	assert_int_equal(vzsim_gpr(sim, 11), 3 * 3);
	/* The branch ran twice but counts once: the state and the count of
	 * 13 instructions of a loop never stopped. */
	assert_int_equal(vzsim_gpr(sim, 10), 3 * 2);
	assert_int_equal(insns(sim), 13);
}

/* A debug interrupt wakes a core in WAIT; DEPC is the instruction after
 * the WAIT, where the program goes on after DERET. */
static void test_dint_in_wait(void **state)
{
	(void)state;
	vzsim *sim = board(true);
	PROGRAM(sim, enc_addiu(9, 0, 7), enc_wait(), enc_addiu(10, 0, 3), enc_b(-1), enc_nop());
	probe_init(sim);
	assert_int_equal(vzsim_run(sim, 100), VZSIM_STOP_DEADLOCK);
	assert_int_equal(vzsim_pc(sim), CODE + 8);
	ecr_rw(sim, ECR_HALT & ~ECR_ROCC);
	assert_halted(sim, DBG_DM | DBG_VER5 | DBG_DINT, CODE + 8);
	dbg_deret(sim);
	assert_false(vzsim_debug_mode(sim));
	assert_int_equal(vzsim_run(sim, 1), VZSIM_STOP_BUDGET);
	assert_int_equal(vzsim_gpr(sim, 10), 3);
	assert_int_equal(vzsim_pc(sim), CODE + 12);
}

/* vzsim_jtag_break: the probe's halt without the TAP, ProbEn and ProbTrap
 * set for it. */
static void test_jtag_break_api(void **state)
{
	(void)state;
	vzsim *sim = board(true);
	loop_program(sim);
	to_idle(sim);
	assert_int_equal(ecr_rw(sim, 0), ECR_ROCC); /* Rocc acked; ProbEn, ProbTrap 0 */
	assert_int_equal(vzsim_run(sim, 5), VZSIM_STOP_BUDGET);
	vzsim_jtag_break(sim);
	assert_true(vzsim_debug_mode(sim));
	assert_int_equal(vzsim_run(sim, 4), VZSIM_STOP_DEBUG);
	assert_halted(sim, DBG_DM | DBG_VER5 | DBG_DINT, CODE + 4);
	/* Again while halted: nothing changes. */
	vzsim_jtag_break(sim);
	assert_int_equal(ecr(sim), ECR_DM_FETCH);
	assert_int_equal(dbg_cp0(sim, C0_DEPC, 0), CODE + 4);
}

/* ------------------------------------------------------------ SDBBP */

static void test_sdbbp(void **state)
{
	(void)state;
	vzsim *sim = board(true);
	PROGRAM(sim, enc_addiu(9, 0, 1), enc_sdbbp(0), enc_addiu(9, 9, 2), enc_b(-1), enc_nop());
	probe_init(sim);
	assert_int_equal(vzsim_run(sim, 100), VZSIM_STOP_DEBUG);
	assert_halted(sim, DBG_DM | DBG_VER5 | DBG_DBP, CODE + 4);
	assert_int_equal(vzsim_gpr(sim, 9), 1);
	/* DEPC past it, as a debugger does, and on. */
	dbg_mtc0(sim, C0_DEPC, 0, CODE + 8);
	assert_int_equal(cp0(sim, C0_DEPC, 0), CODE + 8);
	dbg_deret(sim);
	assert_false(vzsim_debug_mode(sim));
	assert_int_equal(vzsim_run(sim, 1), VZSIM_STOP_BUDGET);
	assert_int_equal(vzsim_gpr(sim, 9), 3);
}

/* SDBBP in a delay slot: DEPC is the branch, Debug.DBD; with the SDBBP
 * replaced (a software breakpoint removed), DERET runs the branch and the
 * slot again. */
static void test_sdbbp_delay_slot(void **state)
{
	(void)state;
	vzsim *sim = board(true);
	PROGRAM(sim,
		enc_addiu(9, 0, 1),     /* +0x00 */
		enc_b(2),               /* +0x04: to +0x10 */
		enc_sdbbp(0),           /* +0x08: delay slot */
		enc_addiu(9, 9, 10),    /* +0x0c: skipped */
		enc_addiu(9, 9, 100),   /* +0x10 */
		enc_b(-1), enc_nop());
	probe_init(sim);
	assert_int_equal(vzsim_run(sim, 100), VZSIM_STOP_DEBUG);
	assert_halted(sim, DBG_DBD | DBG_DM | DBG_VER5 | DBG_DBP, CODE + 4);
	LOAD(sim, CODE + 8, enc_addiu(9, 9, 1000));
	dbg_deret(sim);
	assert_false(vzsim_debug_mode(sim));
	assert_int_equal(vzsim_pc(sim), CODE + 4);
	assert_int_equal(vzsim_run(sim, 3), VZSIM_STOP_BUDGET);
	assert_int_equal(vzsim_gpr(sim, 9), 1101);
	assert_int_equal(vzsim_pc(sim), CODE + 0x14);
}

/* ------------------------------------------------------------ breakpoints */

static void test_instruction_breakpoint(void **state)
{
	(void)state;
	vzsim *sim = board(true);
	loop_program(sim);
	probe_init(sim);
	vzsim_jtag_break(sim);
	assert_halted(sim, DBG_DM | DBG_VER5 | DBG_DINT, CODE);
	/* DCR: InstBrk, DataBrk, IntE/NMIE/SRstE out of reset, ProbEn. */
	assert_int_equal(dbg_rd(sim, DCR), DCR_RESET | DCR_PROBEN);
	/* IBS: ASIDsup, BCN 4, no BS bits. */
	assert_int_equal(dbg_rd(sim, IBS), (1u << 30) | (4u << 24));
	dbg_wr(sim, IBA0, CODE + 4);
	dbg_wr(sim, IBM0, 0);
	dbg_wr(sim, IBC0, 1);
	assert_int_equal(dbg_rd(sim, IBA0), CODE + 4);
	assert_int_equal(dbg_rd(sim, IBC0), 1);
	dbg_deret(sim);
	/* Before the instruction runs. */
	assert_int_equal(vzsim_run(sim, 100), VZSIM_STOP_DEBUG);
	assert_int_equal(insns(sim), 1);
	assert_int_equal(vzsim_gpr(sim, 9), 1);
	assert_int_equal(vzsim_gpr(sim, 10), 0);
	assert_halted(sim, DBG_DM | DBG_VER5 | DBG_DIB, CODE + 4);
	assert_int_equal(dbg_rd(sim, IBS), (1u << 30) | (4u << 24) | 1u);
	assert_int_equal(dbg_rd(sim, DCR) & DCR_INSTBRK, DCR_INSTBRK);
	/* BS cleared by writing 0; the breakpoint off; on. */
	dbg_wr(sim, IBS, 0);
	assert_int_equal(dbg_rd(sim, IBS), (1u << 30) | (4u << 24));
	dbg_wr(sim, IBC0, 0);
	dbg_deret(sim);
	assert_int_equal(vzsim_run(sim, 7), VZSIM_STOP_BUDGET);
	assert_int_equal(vzsim_gpr(sim, 10), 2 * 2);
	assert_int_equal(vzsim_gpr(sim, 9), 2);
}

/* The data-breakpoint program:
 *   +0x00 lui $10,0x8000
 *   +0x04 addiu $9,$0,5
 *   +0x08 sw $9,0x200($10)
 *   +0x0c lw $11,0x200($10)
 *   +0x10 addiu $11,$11,1
 *   +0x14 b . ; nop
 */
static void data_program(vzsim *sim)
{
	PROGRAM(sim, enc_lui(10, 0x8000), enc_addiu(9, 0, 5), enc_sw(9, 0x200, 10),
		enc_lw(11, 0x200, 10), enc_addiu(11, 11, 1), enc_b(-1), enc_nop());
	probe_init(sim);
	vzsim_jtag_break(sim);
	assert_halted(sim, DBG_DM | DBG_VER5 | DBG_DINT, CODE);
	assert_int_equal(dbg_rd(sim, DBS), (1u << 30) | (3u << 28) | (2u << 24));
	dbg_wr(sim, DBA0, 0x80000200u);
	dbg_wr(sim, DBM0, 0);
}

static void test_data_breakpoint_load(void **state)
{
	(void)state;
	vzsim *sim = board(true);
	data_program(sim);
	/* OpenOCD's read watchpoint: NoSB, BLM all lanes, BE. */
	dbg_wr(sim, DBC0, (1u << 13) | (0xffu << 4) | 1u);
	dbg_deret(sim);
	assert_int_equal(vzsim_run(sim, 100), VZSIM_STOP_DEBUG);
	assert_halted(sim, DBG_DM | DBG_VER5 | DBG_DDBL, CODE + 0x0c);
	assert_int_equal(dbg_rd(sim, DBS), (1u << 30) | (3u << 28) | (2u << 24) | 1u);
	assert_int_equal(peek(sim, 0x80000200u), 5); /* the store went through */
	assert_int_equal(vzsim_gpr(sim, 11), 0);      /* the load did not */
	dbg_wr(sim, DBC0, 0);
	dbg_deret(sim);
	assert_int_equal(vzsim_run(sim, 2), VZSIM_STOP_BUDGET);
	assert_int_equal(vzsim_gpr(sim, 11), 6);
}

static void test_data_breakpoint_store(void **state)
{
	(void)state;
	vzsim *sim = board(true);
	data_program(sim);
	/* A write watchpoint: NoLB, BE. */
	dbg_wr(sim, DBC0, (1u << 12) | (0xffu << 4) | 1u);
	dbg_deret(sim);
	assert_int_equal(vzsim_run(sim, 100), VZSIM_STOP_DEBUG);
	assert_halted(sim, DBG_DM | DBG_VER5 | DBG_DDBS, CODE + 0x08);
	assert_int_equal(dbg_rd(sim, DBS), (1u << 30) | (3u << 28) | (2u << 24) | 1u);
	assert_int_equal(peek(sim, 0x80000200u), 0); /* not stored */
	dbg_wr(sim, DBS, 0);
	assert_int_equal(dbg_rd(sim, DBS), (1u << 30) | (3u << 28) | (2u << 24));
	dbg_wr(sim, DBC0, 0);
	dbg_deret(sim);
	assert_int_equal(vzsim_run(sim, 3), VZSIM_STOP_BUDGET);
	assert_int_equal(peek(sim, 0x80000200u), 5);
	assert_int_equal(vzsim_gpr(sim, 11), 6);
}

/* ------------------------------------------------------------ single step */

static void step(vzsim *sim, uint32_t depc, uint32_t r9, uint64_t n)
{
	dbg_deret(sim);
	/* Back in debug mode before the probe looks again. */
	assert_true(vzsim_debug_mode(sim));
	assert_halted(sim, DBG_DM | DBG_VER5 | DBG_SST | DBG_DSS, depc);
	assert_int_equal(vzsim_gpr(sim, 9), r9);
	assert_int_equal(insns(sim), n);
}

static void test_single_step(void **state)
{
	(void)state;
	vzsim *sim = board(true);
	PROGRAM(sim,
		enc_addiu(9, 0, 1),     /* +0x00 */
		enc_addiu(9, 9, 2),     /* +0x04 */
		enc_beq(0, 0, 2),       /* +0x08: to +0x14 */
		enc_addiu(9, 9, 4),     /* +0x0c: delay slot */
		enc_addiu(9, 9, 8),     /* +0x10: skipped */
		enc_addiu(9, 9, 16),    /* +0x14 */
		enc_b(-1), enc_nop());
	probe_init(sim);
	vzsim_jtag_break(sim);
	assert_halted(sim, DBG_DM | DBG_VER5 | DBG_DINT, CODE);
	/* SSt by mtc0, as OpenOCD's config_step does it. */
	struct dmem m;
	DBG(sim, &m, enc_mfc0(8, C0_DEBUG, 0), enc_ori(8, 8, 0x100), enc_mtc0(8, C0_DEBUG, 0));
	assert_int_equal(cp0(sim, C0_DEBUG, 0), DBG_DM | DBG_VER5 | DBG_SST | DBG_DINT);
	step(sim, CODE + 0x04, 1, 1);
	step(sim, CODE + 0x08, 3, 2);
	/* The branch and its delay slot are one step; DBD never set. */
	step(sim, CODE + 0x14, 7, 4);
	step(sim, CODE + 0x18, 23, 5);
	/* SSt off: DERET lets it run. */
	DBG(sim, &m, enc_mfc0(8, C0_DEBUG, 0), enc_ori(8, 8, 0x100), enc_xori(8, 8, 0x100),
	    enc_mtc0(8, C0_DEBUG, 0));
	assert_int_equal(cp0(sim, C0_DEBUG, 0), DBG_DM | DBG_VER5 | DBG_DSS);
	dbg_deret(sim);
	assert_false(vzsim_debug_mode(sim));
	assert_int_equal(vzsim_run(sim, 10), VZSIM_STOP_BUDGET);
	assert_int_equal(insns(sim), 15);
	assert_int_equal(vzsim_gpr(sim, 9), 23);
}

/* ------------------------------------------------------------ invisibility */

/* A loop whose results depend on Count (so on the instruction count):
 *   +0x00 addiu $9,$9,1
 *   +0x04 addu  $10,$10,$9
 *   +0x08 mfc0  $13,Count
 *   +0x0c xor   $11,$11,$13
 *   +0x10 b +0x00
 *   +0x14 sll   $12,$11,3
 */
static void count_program(vzsim *sim)
{
	PROGRAM(sim, enc_addiu(9, 9, 1), enc_addu(10, 10, 9), enc_mfc0(13, C0_COUNT, 0),
		enc_xor(11, 11, 13), enc_b(-5), enc_sll(12, 11, 3));
}

static void test_halt_is_invisible(void **state)
{
	(void)state;
	/* Unhalted: 1000 instructions. */
	vzsim *ref = board(true);
	count_program(ref);
	assert_int_equal(vzsim_run(ref, 1000), VZSIM_STOP_BUDGET);

	vzsim *sim = board(true);
	count_program(sim);
	probe_init(sim);
	assert_int_equal(vzsim_run(sim, 400), VZSIM_STOP_BUDGET);
	uint64_t before = insns(sim);
	uint32_t count = cp0(sim, C0_COUNT, 0);
	assert_int_equal(before, 400);
	ecr_rw(sim, ECR_HALT & ~ECR_ROCC);
	assert_true(vzsim_debug_mode(sim));
	/* OpenOCD's register read, more or less, and some CP0 reads. */
	struct dmem m;
	uint32_t body[40];
	size_t n = 0;
	for (unsigned r = 1; r < 32; r++)
		if (r != 8 && r != 15)
			body[n++] = enc_sw(r, (int32_t)(0x2000 + 4 * r), 15);
	body[n++] = enc_mfc0(8, C0_COUNT, 0);
	body[n++] = enc_sw(8, 0x2080, 15);
	body[n++] = enc_mfc0(8, C0_DEBUG, 0);
	body[n++] = enc_sw(8, 0x2084, 15);
	dbg(sim, body, n, &m);
	for (unsigned r = 1; r < 32; r++)
		if (r != 8 && r != 15)
			assert_int_equal(m.w[r], vzsim_gpr(sim, r));
	assert_int_equal(m.w[0x80 / 4], count); /* Count stood still */
	assert_int_equal(m.w[0x84 / 4], DBG_DM | DBG_VER5 | DBG_DINT);
	assert_int_equal(insns(sim), before);
	dbg_deret(sim);
	assert_int_equal(insns(sim), before);
	assert_int_equal(cp0(sim, C0_COUNT, 0), count);
	assert_int_equal(vzsim_run(sim, 600), VZSIM_STOP_BUDGET);

	assert_int_equal(insns(sim), insns(ref));
	assert_int_equal(vzsim_pc(sim), vzsim_pc(ref));
	for (unsigned r = 0; r < 32; r++)
		assert_int_equal(vzsim_gpr(sim, r), vzsim_gpr(ref, r));
	assert_int_equal(cp0(sim, C0_COUNT, 0), cp0(ref, C0_COUNT, 0));
	assert_int_not_equal(vzsim_gpr(sim, 11), 0);
}

/* vzsim_run while the core waits on a load or a store leaves the access
 * as it was: the probe still finds it. */
static void test_run_keeps_pending_access(void **state)
{
	(void)state;
	vzsim *sim = board(true);
	loop_program(sim);
	probe_init(sim);
	vzsim_jtag_break(sim);
	serve_fetch(sim, TEXT, enc_lui(15, 0xff20));
	serve_fetch(sim, TEXT + 4, enc_lw(8, 0x2010, 15));
	assert_int_equal(vzsim_run(sim, 100), VZSIM_STOP_DEBUG);
	struct access a = pracc_wait(sim);
	assert_int_equal(a.ecr, ECR_DM_FETCH);
	assert_int_equal(a.addr, PARAM + 0x10);
	pracc_finish(sim, &a, 0x600dd00du);
	assert_int_equal(vzsim_gpr(sim, 8), 0x600dd00du);
	serve_fetch(sim, TEXT + 8, enc_sw(8, 0x2014, 15));
	assert_int_equal(vzsim_run(sim, 100), VZSIM_STOP_DEBUG);
	a = pracc_wait(sim);
	assert_int_equal(a.ecr, ECR_DM_FETCH | ECR_PRNW);
	assert_int_equal(a.addr, PARAM + 0x14);
	assert_int_equal(a.data, 0x600dd00du);
	pracc_finish(sim, &a, 0);
	assert_int_equal(reg32(sim, IR_ADDRESS, 0), TEXT + 12);
}

/* ------------------------------------------------------------ drseg, ROM vector */

/* ProbTrap 0: the debug vector is the boot ROM's 0xBFC00480, the handler
 * there runs without the probe; DCR reads ProbEn 0. */
static void test_rom_vector_dcr(void **state)
{
	(void)state;
	vzsim *sim = board(true);
	loop_program(sim);
	LOAD(sim, 0xbfc00480u,
	     enc_lui(15, 0xff30), enc_lw(8, 0, 15),        /* DCR */
	     enc_lui(15, 0x8000), enc_sw(8, 0x100, 15),
	     enc_mfc0(8, C0_DEBUG, 0), enc_sw(8, 0x104, 15),
	     enc_mfc0(8, C0_DEPC, 0), enc_sw(8, 0x108, 15),
	     enc_lw(8, 0x1000, 15), enc_sw(8, 0x10c, 15),  /* a RAM load works */
	     enc_deret(), enc_nop());
	to_idle(sim);
	assert_int_equal(ecr_rw(sim, 0), ECR_ROCC);
	assert_int_equal(vzsim_run(sim, 2), VZSIM_STOP_BUDGET);
	ecr_rw(sim, ECR_EJTAGBRK);
	/* The handler ran to its DERET at once, and counted nothing. */
	assert_false(vzsim_debug_mode(sim));
	assert_int_equal(ecr_rw(sim, 0), 0);
	assert_int_equal(peek(sim, 0x80000100u), DCR_RESET);
	assert_int_equal(peek(sim, 0x80000104u), DBG_DM | DBG_VER5 | DBG_DINT);
	assert_int_equal(peek(sim, 0x80000108u), CODE + 0x08);
	assert_int_equal(peek(sim, 0x8000010cu), enc_addiu(9, 9, 1));
	assert_int_equal(insns(sim), 2);
	assert_int_equal(vzsim_run(sim, 2), VZSIM_STOP_BUDGET);
	assert_int_equal(vzsim_gpr(sim, 11), 3);
}

/* ------------------------------------------------------------ FASTDATA */

static uint64_t fastdata(vzsim *sim, uint32_t data, bool sp)
{
	ir(sim, IR_FASTDATA);
	return dr(sim, (uint64_t)data << 1 | sp, 33);
}

static void test_fastdata(void **state)
{
	(void)state;
	vzsim *sim = board(true);
	loop_program(sim);
	probe_init(sim);
	vzsim_jtag_break(sim);
	reg32(sim, IR_DATA, 0x0badf00du);
	/* A fetch is pending, not in the fastdata area: SPrAcc 0, and the
	 * scan finishes nothing. */
	assert_int_equal(fastdata(sim, enc_lui(15, 0xff20), false), (uint64_t)0x0badf00du << 1);
	assert_int_equal(reg32(sim, IR_ADDRESS, 0), TEXT);
	assert_int_equal(ecr(sim), ECR_DM_FETCH);
	serve_fetch(sim, TEXT, enc_lui(15, 0xff20));
	serve_fetch(sim, TEXT + 4, enc_lw(8, 0, 15));
	/* The load from 0xFF200000: SPrAcc 1; shifting 0 in finishes it. */
	assert_int_equal(fastdata(sim, 0x11223344u, false) & 1, 1);
	assert_int_equal(vzsim_gpr(sim, 8), 0x11223344u);
	assert_int_equal(reg32(sim, IR_ADDRESS, 0), TEXT + 8);
	serve_fetch(sim, TEXT + 8, enc_lw(9, 4, 15));
	/* SPrAcc 1 shifted in: not finished. */
	assert_int_equal(fastdata(sim, 0x55667788u, true) & 1, 1);
	assert_int_equal(reg32(sim, IR_ADDRESS, 0), FASTDATA + 4);
	assert_int_equal(ecr(sim), ECR_DM_FETCH);
	assert_int_equal(fastdata(sim, 0x55667788u, false) & 1, 1);
	assert_int_equal(vzsim_gpr(sim, 9), 0x55667788u);
	/* A store to the area: its data comes out, SPrAcc 1. */
	serve_fetch(sim, TEXT + 12, enc_sw(8, 8, 15));
	assert_int_equal(fastdata(sim, 0, false), (uint64_t)0x11223344u << 1 | 1);
	assert_int_equal(reg32(sim, IR_ADDRESS, 0), TEXT + 16);
	/* Outside the area (0xFF200010): an ordinary access. */
	serve_fetch(sim, TEXT + 16, enc_lw(10, 0x10, 15));
	assert_int_equal(fastdata(sim, 0x99u, false) & 1, 0);
	assert_int_equal(reg32(sim, IR_ADDRESS, 0), FASTDATA + 0x10);
	struct access a = pracc_wait(sim);
	assert_int_equal(a.ecr, ECR_DM_FETCH);
	pracc_finish(sim, &a, 0x77u);
	assert_int_equal(vzsim_gpr(sim, 10), 0x77u);
	/* Not in debug mode: SPrAcc 0. */
	serve_fetch(sim, TEXT + 20, enc_deret());
	assert_false(vzsim_debug_mode(sim));
	assert_int_equal(fastdata(sim, 0, false) & 1, 0);
}

/* ------------------------------------------------------------ reset */

static void test_prrst(void **state)
{
	(void)state;
	vzsim *sim = board(true);
	loop_program(sim);
	probe_init(sim);
	assert_int_equal(vzsim_run(sim, 5), VZSIM_STOP_BUDGET);
	/* OpenOCD's reset: PrRst|PerRst; the core is held, Rocc set. */
	ecr_rw(sim, ECR_ACK | ECR_PRRST | (1u << 20));
	assert_true(vzsim_debug_mode(sim));
	assert_int_equal(vzsim_run(sim, 10), VZSIM_STOP_DEBUG);
	assert_int_equal(insns(sim), 5);
	assert_int_equal(ecr(sim), ECR_ROCC | (1u << 20) | ECR_PRRST | ECR_PROBEN | ECR_PROBTRAP);
	/* Rocc set: a write with Rocc 1 (and PrRst 0) changes nothing. */
	assert_true(vzsim_debug_mode(sim));
	assert_int_equal(ecr(sim), ECR_ROCC | (1u << 20) | ECR_PRRST | ECR_PROBEN | ECR_PROBTRAP);
	/* The acknowledge releases it: reset vector, Rocc set again, ProbEn
	 * and ProbTrap at their reset value 0 (normal boot). */
	ecr_rw(sim, ECR_ACK);
	assert_false(vzsim_debug_mode(sim));
	assert_int_equal(vzsim_pc(sim), RESET_VECTOR);
	assert_int_equal(ecr_rw(sim, ECR_POLL), ECR_ROCC);
}

/* EjtagBrk written while PrRst holds the core reads 1 until the reset
 * ends, which sets it to its reset value, the EJTAGBOOT indication (0):
 * the core runs and the ECR does not keep a stale request. */
static void test_ejtagbrk_during_reset(void **state)
{
	(void)state;
	vzsim *sim = board(true);
	loop_program(sim);
	probe_init(sim);
	assert_int_equal(vzsim_run(sim, 5), VZSIM_STOP_BUDGET);
	ecr_rw(sim, ECR_ACK | ECR_PRRST);
	ecr_rw(sim, ECR_ACK | ECR_PRRST); /* Rocc acknowledged, still held */
	ecr_rw(sim, ECR_ACK | ECR_PRRST | ECR_EJTAGBRK);
	assert_true(vzsim_debug_mode(sim));
	assert_int_equal(ecr_rw(sim, ECR_ACK | ECR_PRRST),
			 ECR_PRRST | ECR_PROBEN | ECR_PROBTRAP | ECR_EJTAGBRK);
	ecr_rw(sim, ECR_ACK);
	assert_false(vzsim_debug_mode(sim));
	assert_int_equal(vzsim_pc(sim), RESET_VECTOR);
	assert_int_equal(ecr(sim), ECR_ROCC);
	assert_int_equal(ecr_rw(sim, 0), ECR_ROCC);
	assert_int_equal(ecr_rw(sim, 0), 0);
	assert_int_equal(vzsim_run(sim, 3), VZSIM_STOP_BUDGET);
	assert_false(vzsim_debug_mode(sim));
}

static void test_ejtagboot(void **state)
{
	(void)state;
	vzsim *sim = board(true);
	loop_program(sim);
	probe_init(sim);
	assert_int_equal(vzsim_run(sim, 5), VZSIM_STOP_BUDGET);
	ir(sim, IR_EJTAGBOOT);
	ecr_rw(sim, ECR_ACK | ECR_PRRST);
	assert_true(vzsim_debug_mode(sim));
	ecr_rw(sim, ECR_ACK);
	/* Out of reset in debug mode: DINT at the reset vector, Rocc set. */
	assert_true(vzsim_debug_mode(sim));
	assert_int_equal(vzsim_pc(sim), TEXT);
	assert_int_equal(ecr(sim), ECR_ROCC | ECR_DM_FETCH);
	/* Until Rocc is acknowledged, PrAcc 0 with Rocc 1 finishes nothing. */
	ecr_rw(sim, ECR_FINISH);
	assert_int_equal(ecr(sim), ECR_ROCC | ECR_DM_FETCH);
	assert_int_equal(reg32(sim, IR_ADDRESS, 0), TEXT);
	assert_int_equal(ecr_rw(sim, ECR_ACK), ECR_ROCC | ECR_DM_FETCH);
	assert_halted(sim, DBG_DM | DBG_VER5 | DBG_DINT, RESET_VECTOR);
	/* NORMALBOOT: the next reset runs. */
	ir(sim, IR_NORMALBOOT);
	ecr_rw(sim, ECR_ACK | ECR_PRRST);
	ecr_rw(sim, ECR_ACK);
	assert_false(vzsim_debug_mode(sim));
	assert_int_equal(vzsim_pc(sim), RESET_VECTOR);
	assert_int_equal(ecr(sim), ECR_ROCC);
}

static void rbb(vzsim *sim, const char *req)
{
	char out[8];
	size_t nout;
	bool quit;
	assert_int_equal(vzsim_rbb_feed(sim, req, strlen(req), out, &nout, &quit), (int)strlen(req));
	assert_false(quit);
}

static void test_srst(void **state)
{
	(void)state;
	vzsim *sim = board(true);
	loop_program(sim);
	probe_init(sim);
	assert_int_equal(vzsim_run(sim, 5), VZSIM_STOP_BUDGET);
	rbb(sim, "s"); /* SRST asserted */
	assert_true(vzsim_debug_mode(sim));
	assert_int_equal(vzsim_run(sim, 10), VZSIM_STOP_DEBUG);
	assert_int_equal(insns(sim), 5);
	assert_int_equal(ecr(sim) & ECR_ROCC, ECR_ROCC);
	rbb(sim, "r");
	assert_false(vzsim_debug_mode(sim));
	assert_int_equal(vzsim_pc(sim), RESET_VECTOR);
	assert_int_equal(ecr(sim), ECR_ROCC);
	/* With EJTAGBOOT: debug mode at the reset vector. */
	assert_int_equal(ecr_rw(sim, ECR_ACK), ECR_ROCC);
	ir(sim, IR_EJTAGBOOT);
	rbb(sim, "s");
	rbb(sim, "r");
	assert_true(vzsim_debug_mode(sim));
	assert_int_equal(ecr_rw(sim, ECR_ACK), ECR_ROCC | ECR_DM_FETCH);
	assert_halted(sim, DBG_DM | DBG_VER5 | DBG_DINT, RESET_VECTOR);
	/* TRST alone ('t') resets the TAP, not the core. */
	rbb(sim, "tr");
	assert_true(vzsim_debug_mode(sim));
	vzsim_jtag_clock(sim, false, false);
	assert_int_equal(dr(sim, 0, 32), 0x0000a5a1u);
	assert_int_equal(ecr(sim), ECR_DM_FETCH);
}

/* ------------------------------------------------------------ TCB */

static void test_tcb_over_jtag(void **state)
{
	(void)state;
	vzsim *sim = board(true);
	to_idle(sim);
	uint64_t config, wrp, b;
	assert_int_equal(vzsim_tcb_read(sim, VZSIM_TCB_CONFIG, &config), 0);
	assert_int_not_equal(config, 0);
	/* TCBControlB: WE, REG 0 → TCBDATA reads TCBConfig. */
	reg32(sim, IR_TCBCONTROLB, 1u << 31);
	assert_int_equal(vzsim_tcb_read(sim, VZSIM_TCB_CONTROLB, &b), 0);
	assert_int_equal((b >> 21) & 0x1f, 0);
	assert_int_equal(reg32(sim, IR_TCBDATA, 0), (uint32_t)config);
	/* REG 6: WRP (shifting its own value back in). */
	assert_int_equal(vzsim_tcb_write(sim, VZSIM_TCB_WRP, 0x40), 0);
	assert_int_equal(vzsim_tcb_read(sim, VZSIM_TCB_WRP, &wrp), 0);
	assert_int_equal(wrp, 0x40);
	reg32(sim, IR_TCBCONTROLB, (1u << 31) | (6u << 21));
	assert_int_equal((reg32(sim, IR_TCBCONTROLB, (1u << 31) | (6u << 21)) >> 21) & 0x1fu, 6);
	assert_int_equal(reg32(sim, IR_TCBDATA, 0x40), 0x40);
	assert_int_equal(vzsim_tcb_read(sim, VZSIM_TCB_WRP, &wrp), 0);
	assert_int_equal(wrp, 0x40);
	/* A write to B without WE changes nothing: REG stays 6. */
	assert_int_equal(vzsim_tcb_read(sim, VZSIM_TCB_CONTROLB, &b), 0);
	reg32(sim, IR_TCBCONTROLB, 0);
	uint64_t b2;
	assert_int_equal(vzsim_tcb_read(sim, VZSIM_TCB_CONTROLB, &b2), 0);
	assert_int_equal(b2, b);
	assert_int_equal(reg32(sim, IR_TCBDATA, 0x40), 0x40);
	/* And B reads back what the API reads. */
	assert_int_equal(reg32(sim, IR_TCBCONTROLB, 0), (uint32_t)b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_ecr_rocc_and_bits, teardown),
		cmocka_unit_test_teardown(test_ecr_pracc_fetch_load_store, teardown),
		cmocka_unit_test_teardown(test_impcode_idcode, teardown),
		cmocka_unit_test_teardown(test_all_register, teardown),
		cmocka_unit_test_teardown(test_dint_ejtagbrk, teardown),
		cmocka_unit_test_teardown(test_dint_in_wait, teardown),
		cmocka_unit_test_teardown(test_jtag_break_api, teardown),
		cmocka_unit_test_teardown(test_sdbbp, teardown),
		cmocka_unit_test_teardown(test_sdbbp_delay_slot, teardown),
		cmocka_unit_test_teardown(test_instruction_breakpoint, teardown),
		cmocka_unit_test_teardown(test_data_breakpoint_load, teardown),
		cmocka_unit_test_teardown(test_data_breakpoint_store, teardown),
		cmocka_unit_test_teardown(test_single_step, teardown),
		cmocka_unit_test_teardown(test_halt_is_invisible, teardown),
		cmocka_unit_test_teardown(test_run_keeps_pending_access, teardown),
		cmocka_unit_test_teardown(test_rom_vector_dcr, teardown),
		cmocka_unit_test_teardown(test_fastdata, teardown),
		cmocka_unit_test_teardown(test_prrst, teardown),
		cmocka_unit_test_teardown(test_ejtagbrk_during_reset, teardown),
		cmocka_unit_test_teardown(test_ejtagboot, teardown),
		cmocka_unit_test_teardown(test_srst, teardown),
		cmocka_unit_test_teardown(test_tcb_over_jtag, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
