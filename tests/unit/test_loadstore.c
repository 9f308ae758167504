/*
 * Loads and stores: every width with sign/zero extension, the unaligned
 * lwl/lwr/swl/swr at all four byte offsets (little-endian), address errors
 * with BadVAddr, ll/sc, and stores into code that then runs.
 *
 * The lwl/lwr/swl/swr expectations come from a byte-by-byte model of the
 * MIPS32 definition for a little-endian CPU (Vol. II, LWL/LWR/SWL/SWR):
 * at address a with k = a & 3, LWL fills the k+1 most significant bytes of
 * rt from memory a, a-1, ..., and LWR fills the 4-k least significant bytes
 * from a, a+1, ...; SWL/SWR store the same bytes the other way.  The model
 * is written independently of vzsim's shift formulas.
 */
#include "sim_harness.h"

#include <string.h>

#define RUN(sim, ...) h_run_to_end((sim), h_prog((sim), PROG(__VA_ARGS__)))

static void put_bytes(vzsim *sim, uint32_t va, const uint8_t *b, size_t n)
{
	assert_int_equal(vzsim_mem_write(sim, h_pa(va), b, n), 0);
}

static void get_bytes(vzsim *sim, uint32_t va, uint8_t *b, size_t n)
{
	assert_int_equal(vzsim_mem_read(sim, h_pa(va), b, n), 0);
}

/* ------------------------------------------------------------ plain loads */

static void test_load_widths_and_extension(void **state)
{
	vzsim *sim = *state;
	const uint8_t data[8] = {0x80, 0x7f, 0xff, 0x01, 0x34, 0x82, 0xcd, 0x7a};
	put_bytes(sim, H_DATA, data, 8);
	h_set_gpr(sim, T9, H_DATA);
	RUN(sim, enc_lb(S0, 0, T9), enc_lbu(S1, 0, T9), enc_lb(S2, 1, T9),
	    enc_lbu(S3, 2, T9), enc_lh(S4, 4, T9), enc_lhu(S5, 4, T9),
	    enc_lh(S6, 6, T9), enc_lw(S7, 0, T9), enc_lb(T0, 3, T9),
	    enc_lh(T1, 2, T9), enc_lhu(T2, 6, T9), enc_lw(T3, 4, T9));
	assert_int_equal(h_gpr(sim, S0), 0xffffff80u);
	assert_int_equal(h_gpr(sim, S1), 0x00000080u);
	assert_int_equal(h_gpr(sim, S2), 0x0000007fu);
	assert_int_equal(h_gpr(sim, S3), 0x000000ffu);
	assert_int_equal(h_gpr(sim, S4), 0xffff8234u);
	assert_int_equal(h_gpr(sim, S5), 0x00008234u);
	assert_int_equal(h_gpr(sim, S6), 0x00007acdu);
	assert_int_equal(h_gpr(sim, S7), 0x01ff7f80u);
	assert_int_equal(h_gpr(sim, T0), 0x00000001u);
	assert_int_equal(h_gpr(sim, T1), 0x000001ffu);
	assert_int_equal(h_gpr(sim, T2), 0x00007acdu);
	assert_int_equal(h_gpr(sim, T3), 0x7acd8234u);
}

static void test_negative_and_large_offsets(void **state)
{
	vzsim *sim = *state;
	h_write32(sim, H_DATA, 0x11111111u);
	h_write32(sim, H_DATA + 0x7ffc, 0x22222222u);
	h_write32(sim, H_DATA - 0x8000, 0x33333333u);
	h_set_gpr(sim, T9, H_DATA + 4);
	h_set_gpr(sim, T8, H_DATA);
	RUN(sim, enc_lw(S0, -4, T9), enc_lw(S1, 0x7ffc, T8), enc_lw(S2, -0x8000, T8));
	assert_int_equal(h_gpr(sim, S0), 0x11111111u);
	assert_int_equal(h_gpr(sim, S1), 0x22222222u);
	assert_int_equal(h_gpr(sim, S2), 0x33333333u);
}

static void test_load_to_zero_is_discarded(void **state)
{
	vzsim *sim = *state;
	h_write32(sim, H_DATA, 0xffffffffu);
	h_set_gpr(sim, T9, H_DATA);
	RUN(sim, enc_lw(ZERO, 0, T9), enc_addu(S0, ZERO, ZERO));
	assert_int_equal(h_gpr(sim, ZERO), 0);
	assert_int_equal(h_gpr(sim, S0), 0);
}

static void test_kseg0_and_kseg1_alias(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T8, H_DATA);
	h_set_gpr(sim, T9, H_DATA + 0x20000000u); /* kseg1 view */
	h_set_gpr(sim, T0, 0xa5a5f00du);
	RUN(sim, enc_sw(T0, 0, T8), enc_lw(S0, 0, T9),
	    enc_sb(ZERO, 0, T9), enc_lw(S1, 0, T8));
	assert_int_equal(h_gpr(sim, S0), 0xa5a5f00du);
	assert_int_equal(h_gpr(sim, S1), 0xa5a5f000u);
}

/* ------------------------------------------------------------ plain stores */

static void test_store_widths_touch_only_their_bytes(void **state)
{
	vzsim *sim = *state;
	const uint8_t init[8] = {0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee};
	put_bytes(sim, H_DATA, init, 8);
	h_set_gpr(sim, T9, H_DATA);
	h_set_gpr(sim, T0, 0x12345678u);
	RUN(sim, enc_sb(T0, 1, T9), enc_sh(T0, 2, T9), enc_sw(T0, 4, T9), enc_sb(T0, 4, T9));
	uint8_t got[8];
	get_bytes(sim, H_DATA, got, 8);
	const uint8_t want[8] = {0xee, 0x78, 0x78, 0x56, 0x78, 0x56, 0x34, 0x12};
	assert_memory_equal(got, want, 8);
}

static void test_store_then_load_same_word(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T9, H_DATA);
	h_set_gpr(sim, T0, 0xcafebabeu);
	RUN(sim, enc_lw(S0, 0, T9), enc_sw(T0, 0, T9), enc_lw(S1, 0, T9),
	    enc_sh(ZERO, 2, T9), enc_lw(S2, 0, T9), enc_lbu(S3, 1, T9));
	assert_int_equal(h_gpr(sim, S0), 0);
	assert_int_equal(h_gpr(sim, S1), 0xcafebabeu);
	assert_int_equal(h_gpr(sim, S2), 0x0000babeu);
	assert_int_equal(h_gpr(sim, S3), 0xbau);
}

/* ------------------------------------------------------------ address errors */

struct ae_case {
	uint32_t word; /* uses base T9 = H_DATA, rt S0 */
	uint32_t bad;  /* expected BadVAddr */
	unsigned code;
};

static void run_ae(vzsim *sim, const struct ae_case *c)
{
	h_setup(sim);
	h_write32(sim, H_DATA, 0x01020304u);
	h_write32(sim, H_DATA + 4, 0x05060708u);
	h_set_gpr(sim, T9, H_DATA);
	h_set_gpr(sim, S0, 0x5a5a5a5au);
	h_prog(sim, PROG(enc_nop(), c->word));
	h_run_to_stub(sim, H_VEC_GEN);
	if (h_exc(sim) != c->code)
		fail_msg("word 0x%08x: ExcCode %u, expected %u", c->word, h_exc(sim), c->code);
	assert_int_equal(h_cp0(sim, C0_BADVADDR, 0), c->bad);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 4);
	assert_int_equal(h_cp0(sim, 8, 1), c->word);
	assert_int_equal(h_gpr(sim, S0), 0x5a5a5a5au); /* load target untouched */
	assert_int_equal(h_read32(sim, H_DATA), 0x01020304u); /* memory untouched */
	assert_int_equal(h_read32(sim, H_DATA + 4), 0x05060708u);
}

static void test_misaligned_accesses_raise_address_errors(void **state)
{
	vzsim *sim = *state;
	const struct ae_case cases[] = {
		{enc_lh(S0, 1, T9), H_DATA + 1, EXC_ADEL},
		{enc_lh(S0, 3, T9), H_DATA + 3, EXC_ADEL},
		{enc_lhu(S0, 5, T9), H_DATA + 5, EXC_ADEL},
		{enc_lw(S0, 1, T9), H_DATA + 1, EXC_ADEL},
		{enc_lw(S0, 2, T9), H_DATA + 2, EXC_ADEL},
		{enc_lw(S0, 3, T9), H_DATA + 3, EXC_ADEL},
		{enc_ll(S0, 2, T9), H_DATA + 2, EXC_ADEL},
		{enc_sh(S0, 1, T9), H_DATA + 1, EXC_ADES},
		{enc_sw(S0, 2, T9), H_DATA + 2, EXC_ADES},
		{enc_sw(S0, 7, T9), H_DATA + 7, EXC_ADES},
		{enc_sc(S0, 1, T9), H_DATA + 1, EXC_ADES},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		run_ae(sim, &cases[i]);
}

static void test_misaligned_fetch_raises_adel(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, H_CODE + 0x102);
	h_prog(sim, PROG(enc_jr(T0), enc_nop()));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_ADEL);
	assert_int_equal(h_cp0(sim, C0_BADVADDR, 0), H_CODE + 0x102);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 0x102);
	assert_int_equal(h_cause(sim) & CR_BD, 0);
}

/* ------------------------------------------------------------ lwl/lwr/swl/swr */

/* The byte model of the MIPS32 definition, little-endian. */
static uint32_t model_lwl(const uint8_t *mem, uint32_t a, uint32_t rt)
{
	unsigned k = a & 3;
	for (unsigned j = 0; j <= k; j++) {
		unsigned byte = 3 - j;
		rt = (rt & ~(0xffu << (8 * byte))) | (uint32_t)mem[a - j] << (8 * byte);
	}
	return rt;
}

static uint32_t model_lwr(const uint8_t *mem, uint32_t a, uint32_t rt)
{
	unsigned k = a & 3;
	for (unsigned j = 0; j <= 3 - k; j++)
		rt = (rt & ~(0xffu << (8 * j))) | (uint32_t)mem[a + j] << (8 * j);
	return rt;
}

static void model_swl(uint8_t *mem, uint32_t a, uint32_t rt)
{
	unsigned k = a & 3;
	for (unsigned j = 0; j <= k; j++)
		mem[a - j] = (uint8_t)(rt >> (8 * (3 - j)));
}

static void model_swr(uint8_t *mem, uint32_t a, uint32_t rt)
{
	unsigned k = a & 3;
	for (unsigned j = 0; j <= 3 - k; j++)
		mem[a + j] = (uint8_t)(rt >> (8 * j));
}

static const uint8_t pattern[12] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66,
				    0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc};

static void test_lwl_all_offsets(void **state)
{
	vzsim *sim = *state;
	put_bytes(sim, H_DATA, pattern, 12);
	h_set_gpr(sim, T9, H_DATA);
	for (unsigned k = 0; k < 4; k++)
		h_set_gpr(sim, S0 + k, 0xaabbccddu);
	RUN(sim, enc_lwl(S0, 4, T9), enc_lwl(S1, 5, T9), enc_lwl(S2, 6, T9), enc_lwl(S3, 7, T9));
	const uint32_t want[4] = {0x55bbccddu, 0x6655ccddu, 0x776655ddu, 0x88776655u};
	for (unsigned k = 0; k < 4; k++) {
		/* The model and the hand-computed table must agree too. */
		assert_int_equal(model_lwl(pattern, 4 + k, 0xaabbccddu), want[k]);
		assert_int_equal(h_gpr(sim, S0 + k), want[k]);
	}
}

static void test_lwr_all_offsets(void **state)
{
	vzsim *sim = *state;
	put_bytes(sim, H_DATA, pattern, 12);
	h_set_gpr(sim, T9, H_DATA);
	for (unsigned k = 0; k < 4; k++)
		h_set_gpr(sim, S0 + k, 0xaabbccddu);
	RUN(sim, enc_lwr(S0, 4, T9), enc_lwr(S1, 5, T9), enc_lwr(S2, 6, T9), enc_lwr(S3, 7, T9));
	const uint32_t want[4] = {0x88776655u, 0xaa887766u, 0xaabb8877u, 0xaabbcc88u};
	for (unsigned k = 0; k < 4; k++) {
		assert_int_equal(model_lwr(pattern, 4 + k, 0xaabbccddu), want[k]);
		assert_int_equal(h_gpr(sim, S0 + k), want[k]);
	}
}

static void test_lwr_lwl_pair_loads_unaligned_word(void **state)
{
	vzsim *sim = *state;
	put_bytes(sim, H_DATA, pattern, 12);
	h_set_gpr(sim, T9, H_DATA);
	/* The little-endian idiom: lwr rt, a; lwl rt, a+3. */
	RUN(sim, enc_lwr(S0, 1, T9), enc_lwl(S0, 4, T9),
	    enc_lwr(S1, 6, T9), enc_lwl(S1, 9, T9),
	    enc_lwr(S2, 3, T9), enc_lwl(S2, 6, T9),
	    enc_lwr(S3, 4, T9), enc_lwl(S3, 7, T9));
	assert_int_equal(h_gpr(sim, S0), 0x55443322u);
	assert_int_equal(h_gpr(sim, S1), 0xaa998877u);
	assert_int_equal(h_gpr(sim, S2), 0x77665544u);
	assert_int_equal(h_gpr(sim, S3), 0x88776655u);
}

static void test_swl_all_offsets(void **state)
{
	vzsim *sim = *state;
	for (unsigned k = 0; k < 4; k++) {
		h_setup(sim);
		put_bytes(sim, H_DATA, pattern, 12);
		h_set_gpr(sim, T9, H_DATA);
		h_set_gpr(sim, T0, 0xa1b2c3d4u);
		RUN(sim, enc_swl(T0, (int32_t)(4 + k), T9));
		uint8_t want[12], got[12];
		memcpy(want, pattern, 12);
		model_swl(want, 4 + k, 0xa1b2c3d4u);
		get_bytes(sim, H_DATA, got, 12);
		assert_memory_equal(got, want, 12);
	}
	/* One spelled out: swl at a = 5 (k = 1) stores the two most
	 * significant bytes, a1 at a and b2 at a - 1. */
	uint8_t spot[12];
	memcpy(spot, pattern, 12);
	model_swl(spot, 5, 0xa1b2c3d4u);
	const uint8_t want5[12] = {0x11, 0x22, 0x33, 0x44, 0xb2, 0xa1, 0x77, 0x88,
				   0x99, 0xaa, 0xbb, 0xcc};
	assert_memory_equal(spot, want5, 12);
}

static void test_swr_all_offsets(void **state)
{
	vzsim *sim = *state;
	for (unsigned k = 0; k < 4; k++) {
		h_setup(sim);
		put_bytes(sim, H_DATA, pattern, 12);
		h_set_gpr(sim, T9, H_DATA);
		h_set_gpr(sim, T0, 0xa1b2c3d4u);
		RUN(sim, enc_swr(T0, (int32_t)(4 + k), T9));
		uint8_t want[12], got[12];
		memcpy(want, pattern, 12);
		model_swr(want, 4 + k, 0xa1b2c3d4u);
		get_bytes(sim, H_DATA, got, 12);
		assert_memory_equal(got, want, 12);
	}
	uint8_t spot[12];
	memcpy(spot, pattern, 12);
	model_swr(spot, 6, 0xa1b2c3d4u);
	const uint8_t want6[12] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0xd4, 0xc3,
				   0x99, 0xaa, 0xbb, 0xcc};
	assert_memory_equal(spot, want6, 12);
}

static void test_swr_swl_pair_stores_unaligned_word(void **state)
{
	vzsim *sim = *state;
	put_bytes(sim, H_DATA, pattern, 12);
	h_set_gpr(sim, T9, H_DATA);
	h_set_gpr(sim, T0, 0xa1b2c3d4u);
	RUN(sim, enc_swr(T0, 3, T9), enc_swl(T0, 6, T9));
	uint8_t got[12];
	get_bytes(sim, H_DATA, got, 12);
	const uint8_t want[12] = {0x11, 0x22, 0x33, 0xd4, 0xc3, 0xb2, 0xa1, 0x88,
				  0x99, 0xaa, 0xbb, 0xcc};
	assert_memory_equal(got, want, 12);
}

static void test_lwl_lwr_never_raise_address_error(void **state)
{
	vzsim *sim = *state;
	put_bytes(sim, H_DATA, pattern, 12);
	h_set_gpr(sim, T9, H_DATA + 1); /* misaligned base */
	RUN(sim, enc_lwl(S0, 2, T9), enc_lwr(S1, 0, T9), enc_swl(ZERO, 6, T9),
	    enc_swr(ZERO, 4, T9));
	assert_int_equal(h_gpr(sim, S0), model_lwl(pattern, 3, 0));
	assert_int_equal(h_gpr(sim, S1), model_lwr(pattern, 1, 0));
}

/* ------------------------------------------------------------ ll/sc */

static void test_ll_sc_success(void **state)
{
	vzsim *sim = *state;
	h_write32(sim, H_DATA + 0x40, 41);
	h_set_gpr(sim, T9, H_DATA + 0x40);
	RUN(sim, enc_ll(T0, 0, T9), enc_addiu(T0, T0, 1), enc_sc(T0, 0, T9));
	assert_int_equal(h_gpr(sim, T0), 1);
	assert_int_equal(h_read32(sim, H_DATA + 0x40), 42);
	/* LLAddr holds the physical address of the ll, bits 35:4. */
	assert_int_equal(h_cp0(sim, C0_LLADDR, 0), (H_DATA_PA + 0x40) >> 4);
}

static void test_sc_without_ll_fails(void **state)
{
	vzsim *sim = *state;
	h_write32(sim, H_DATA, 7);
	h_set_gpr(sim, T9, H_DATA);
	h_set_gpr(sim, T0, 99);
	RUN(sim, enc_sc(T0, 0, T9));
	assert_int_equal(h_gpr(sim, T0), 0);
	assert_int_equal(h_read32(sim, H_DATA), 7);
}

static void test_second_sc_fails(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T9, H_DATA);
	h_set_gpr(sim, T1, 5);
	h_set_gpr(sim, T2, 6);
	RUN(sim, enc_ll(T0, 0, T9), enc_sc(T1, 0, T9), enc_sc(T2, 0, T9));
	assert_int_equal(h_gpr(sim, T1), 1);
	assert_int_equal(h_gpr(sim, T2), 0);
	assert_int_equal(h_read32(sim, H_DATA), 5);
}

/* A general-vector handler that skips the faulting instruction and returns
 * with `ret` (eret or eretnc). */
static void install_skip_handler(vzsim *sim, uint32_t ret)
{
	const uint32_t handler[] = {
		enc_mfc0(K0, C0_EPC, 0), enc_addiu(K0, K0, 4),
		enc_mtc0(K0, C0_EPC, 0), enc_ehb(), ret, enc_nop(),
	};
	h_load(sim, H_VEC_GEN, handler, 6);
}

static void test_sc_fails_after_eret(void **state)
{
	vzsim *sim = *state;
	install_skip_handler(sim, enc_eret());
	h_write32(sim, H_DATA, 3);
	h_set_gpr(sim, T9, H_DATA);
	h_set_gpr(sim, T1, 77);
	RUN(sim, enc_ll(T0, 0, T9), enc_syscall(0), enc_sc(T1, 0, T9));
	assert_int_equal(h_gpr(sim, T0), 3);
	assert_int_equal(h_gpr(sim, T1), 0);
	assert_int_equal(h_read32(sim, H_DATA), 3);
	assert_int_equal(h_exc(sim), EXC_SYS); /* the handler really ran */
}

static void test_sc_succeeds_after_eretnc(void **state)
{
	vzsim *sim = *state;
	/* ERETNC (Release 5) returns without clearing LLbit. */
	install_skip_handler(sim, enc_eretnc());
	h_write32(sim, H_DATA, 3);
	h_set_gpr(sim, T9, H_DATA);
	h_set_gpr(sim, T1, 77);
	RUN(sim, enc_ll(T0, 0, T9), enc_syscall(0), enc_sc(T1, 0, T9));
	assert_int_equal(h_gpr(sim, T1), 1);
	assert_int_equal(h_read32(sim, H_DATA), 77);
}

/* ------------------------------------------------------------ self-modifying code */

static void test_store_into_code_then_execute(void **state)
{
	vzsim *sim = *state;
	/*
	 * Word 8 is `addiu s0, zero, 1`; the program overwrites it with
	 * `addiu s0, zero, 42` first, with the synci/sync/jr.hb sequence the
	 * architecture asks for, so the new word must run.
	 */
	uint32_t newword = enc_addiu(S0, ZERO, 42);
	h_set_gpr(sim, T9, H_CODE + 32);
	h_set_gpr(sim, T8, H_CODE + 28);
	RUN(sim, ENC_LI(T0, newword),         /* 0,1 */
	    enc_sw(T0, 0, T9),                 /* 2 */
	    enc_synci(0, T9),                  /* 3 */
	    enc_sync(0),                       /* 4 */
	    enc_jr_hb(T8),                     /* 5 -> 7 */
	    enc_nop(),                         /* 6 */
	    enc_nop(),                         /* 7 */
	    enc_addiu(S0, ZERO, 1));           /* 8 */
	assert_int_equal(h_gpr(sim, S0), 42);
	assert_int_equal(h_read32(sim, H_CODE + 32), newword);
}

static void test_rewrite_code_already_executed(void **state)
{
	vzsim *sim = *state;
	/*
	 * Word 1 (`addiu s0, s0, 1`) runs once, is replaced by
	 * `addiu s0, s0, 100`, and runs again: s0 = 101.  s1 counts passes.
	 *  0: addiu s1, s1, 1
	 *  1: addiu s0, s0, 1        <- rewritten
	 *  2: bne s1, t7, 6 (to 9)   second pass leaves
	 *  3: nop
	 *  4: sw t0, 0(t9)
	 *  5: synci 0(t9)
	 *  6: sync
	 *  7: jr.hb t8               (to 0)
	 *  8: nop
	 *  9: end
	 */
	h_set_gpr(sim, T0, enc_addiu(S0, S0, 100));
	h_set_gpr(sim, T9, H_CODE + 4);
	h_set_gpr(sim, T8, H_CODE);
	h_set_gpr(sim, T7, 1);
	h_set_gpr(sim, S0, 0);
	h_set_gpr(sim, S1, 0);
	RUN(sim, enc_addiu(S1, S1, 1), enc_addiu(S0, S0, 1), enc_bne(S1, T7, 6),
	    enc_nop(), enc_sw(T0, 0, T9), enc_synci(0, T9), enc_sync(0),
	    enc_jr_hb(T8), enc_nop());
	assert_int_equal(h_gpr(sim, S1), 2);
	assert_int_equal(h_gpr(sim, S0), 101);
}

static void test_rewrite_code_with_byte_store(void **state)
{
	vzsim *sim = *state;
	/* sb into the immediate of an executed addiu: 1 -> 0x7f. */
	h_set_gpr(sim, T0, 0x7f);
	h_set_gpr(sim, T9, H_CODE + 4);
	h_set_gpr(sim, T8, H_CODE);
	h_set_gpr(sim, T7, 1);
	h_set_gpr(sim, S0, 0);
	h_set_gpr(sim, S1, 0);
	RUN(sim, enc_addiu(S1, S1, 1), enc_addiu(S0, S0, 1), enc_bne(S1, T7, 6),
	    enc_nop(), enc_sb(T0, 0, T9), enc_synci(0, T9), enc_sync(0),
	    enc_jr_hb(T8), enc_nop());
	assert_int_equal(h_gpr(sim, S0), 1 + 0x7f);
}

static void test_rewrite_code_with_swl_swr(void **state)
{
	vzsim *sim = *state;
	/*
	 * The same rewrite done as two half-word partial stores into the
	 * code word: swl at +1 (k = 1) stores t0's two high bytes into bytes
	 * 0..1, swr at +2 (k = 2) stores t1's two low bytes into bytes 2..3.
	 * With t0 = w << 16 and t1 = w >> 16 the word becomes w.
	 */
	uint32_t w = enc_addiu(S0, S0, 100);
	h_set_gpr(sim, T0, w << 16);
	h_set_gpr(sim, T1, w >> 16);
	h_set_gpr(sim, T9, H_CODE + 4);
	h_set_gpr(sim, T8, H_CODE);
	h_set_gpr(sim, T7, 1);
	h_set_gpr(sim, S0, 0);
	h_set_gpr(sim, S1, 0);
	RUN(sim, enc_addiu(S1, S1, 1), enc_addiu(S0, S0, 1), enc_bne(S1, T7, 7),
	    enc_nop(), enc_swl(T0, 1, T9), enc_swr(T1, 2, T9), enc_synci(0, T9),
	    enc_sync(0), enc_jr_hb(T8), enc_nop());
	assert_int_equal(h_read32(sim, H_CODE + 4), w);
	assert_int_equal(h_gpr(sim, S1), 2);
	assert_int_equal(h_gpr(sim, S0), 101);
}

static void test_host_write_replaces_executed_code(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, S0, 0);
	uint32_t end = h_prog(sim, PROG(enc_addiu(S0, S0, 1)));
	h_run_to_end(sim, end);
	assert_int_equal(h_gpr(sim, S0), 1);
	/* vzsim_mem_write over predecoded code: the next run sees it. */
	h_write32(sim, H_CODE, enc_addiu(S0, S0, 10));
	vzsim_set_pc(sim, H_CODE);
	h_run_to_end(sim, end);
	assert_int_equal(h_gpr(sim, S0), 11);
}

static void test_jit_write_execute_rewrite_execute(void **state)
{
	vzsim *sim = *state;
	/*
	 * A JIT's pattern on a data page: write code there with ordinary
	 * stores, call it, overwrite it, call it again.  The second call
	 * must run the new code.
	 */
	const uint32_t page = H_DATA + 0x2000;
	h_set_gpr(sim, T9, page);
	h_set_gpr(sim, T0, enc_addiu(S0, S0, 1));
	h_set_gpr(sim, T1, enc_jr(RA));
	h_set_gpr(sim, T2, enc_addiu(S0, S0, 10));
	h_set_gpr(sim, S0, 0);
	RUN(sim, enc_sw(T1, 4, T9), enc_sw(T0, 0, T9), enc_sw(ZERO, 8, T9),
	    enc_synci(0, T9), enc_sync(0), enc_jalr_hb(RA, T9), enc_nop(),
	    enc_sw(T2, 0, T9), enc_synci(0, T9), enc_sync(0),
	    enc_jalr_hb(RA, T9), enc_nop());
	assert_int_equal(h_gpr(sim, S0), 11);
}

static void test_rewrite_code_through_kseg1_alias(void **state)
{
	vzsim *sim = *state;
	/* The store goes through the uncached alias of the code page. */
	h_set_gpr(sim, T0, enc_addiu(S0, S0, 100));
	h_set_gpr(sim, T9, (H_CODE + 4) | 0x20000000u);
	h_set_gpr(sim, T8, H_CODE);
	h_set_gpr(sim, T7, 1);
	h_set_gpr(sim, S0, 0);
	h_set_gpr(sim, S1, 0);
	RUN(sim, enc_addiu(S1, S1, 1), enc_addiu(S0, S0, 1), enc_bne(S1, T7, 6),
	    enc_nop(), enc_sw(T0, 0, T9), enc_synci(0, T9), enc_sync(0),
	    enc_jr_hb(T8), enc_nop());
	assert_int_equal(h_gpr(sim, S0), 101);
}

static void test_unmapped_physical_load_store_is_dbe(void **state)
{
	vzsim *sim = *state;
	/* 0xa2000000 is physical 0x02000000: past the 16 MiB of RAM, no
	 * device.  vzsim documents DBE (7) for unmapped physical addresses. */
	h_set_gpr(sim, T0, 0xa2000000u);
	h_set_gpr(sim, T1, 0x77u);
	h_prog(sim, PROG(enc_nop(), enc_lw(T1, 0, T0)));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_DBE);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE + 4);
	assert_int_equal(h_gpr(sim, T1), 0x77u);

	h_setup(sim);
	h_set_gpr(sim, T0, 0xa2000000u);
	h_prog(sim, PROG(enc_sb(T0, 3, T0)));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_DBE);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE);
}

static void test_unmapped_physical_fetch_is_ibe(void **state)
{
	vzsim *sim = *state;
	h_set_gpr(sim, T0, 0xa2000000u);
	h_prog(sim, PROG(enc_jr(T0), enc_nop()));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_IBE);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), 0xa2000000u);
	assert_int_equal(h_cause(sim) & CR_BD, 0);
}

static void test_pfn_above_4g_is_dbe(void **state)
{
	vzsim *sim = *state;
	/* EntryLo PFN bit 29 is physical address bit 35: beyond the 32-bit
	 * bus, a bus error (docs/vzsim.md). */
	h_tlbwi(sim, 2, 0x00200000u, (1u << 29) | LO_C(3) | LO_D | LO_V, 0, PM_4K);
	h_set_gpr(sim, T0, 0x00200010u);
	h_prog(sim, PROG(enc_lw(T1, 0, T0)));
	h_run_to_stub(sim, H_VEC_GEN);
	assert_exc(sim, EXC_DBE);
	assert_int_equal(h_cp0(sim, C0_EPC, 0), H_CODE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_load_widths_and_extension),
		T(test_negative_and_large_offsets),
		T(test_load_to_zero_is_discarded),
		T(test_kseg0_and_kseg1_alias),
		T(test_store_widths_touch_only_their_bytes),
		T(test_store_then_load_same_word),
		T(test_misaligned_accesses_raise_address_errors),
		T(test_misaligned_fetch_raises_adel),
		T(test_lwl_all_offsets),
		T(test_lwr_all_offsets),
		T(test_lwr_lwl_pair_loads_unaligned_word),
		T(test_swl_all_offsets),
		T(test_swr_all_offsets),
		T(test_swr_swl_pair_stores_unaligned_word),
		T(test_lwl_lwr_never_raise_address_error),
		T(test_ll_sc_success),
		T(test_sc_without_ll_fails),
		T(test_second_sc_fails),
		T(test_sc_fails_after_eret),
		T(test_sc_succeeds_after_eretnc),
		T(test_store_into_code_then_execute),
		T(test_rewrite_code_already_executed),
		T(test_rewrite_code_with_byte_store),
		T(test_rewrite_code_with_swl_swr),
		T(test_host_write_replaces_executed_code),
		T(test_jit_write_execute_rewrite_execute),
		T(test_rewrite_code_through_kseg1_alias),
		T(test_unmapped_physical_load_store_is_dbe),
		T(test_unmapped_physical_fetch_is_ibe),
		T(test_pfn_above_4g_is_dbe),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
