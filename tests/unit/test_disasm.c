/*
 * Unit tests of isa_disasm: hand-picked words whose expected text is what
 * mipsel-linux-gnu-objdump -D -b binary -m mips:isa32r5 -EL printed for the
 * same word at the same address (binutils 2.40), except where noted: words
 * this core treats as reserved (DSP, MSA) print as .word here, and MCU's
 * iret keeps the generic "c0" form.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <mips/isa.h>

struct vec {
	uint32_t pc, word;
	const char *text;
};

static void check(const struct vec *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char buf[96];
		size_t len = isa_disasm(v[i].pc, v[i].word, buf, sizeof buf);
		if (strcmp(buf, v[i].text) != 0)
			print_error("word %08x at %08x: got \"%s\", want \"%s\"\n",
				    (unsigned)v[i].word, (unsigned)v[i].pc, buf, v[i].text);
		assert_string_equal(buf, v[i].text);
		assert_int_equal(len, strlen(v[i].text));
	}
}

#define CHECK(table) check(table, sizeof table / sizeof table[0])

/* move, li, negu, neg, nop family; nor stays nor (objdump has no "not"). */
static const struct vec aliases[] = {
	{0x80000000, 0x00000000, "nop"},
	{0x80000004, 0x00000040, "ssnop"},
	{0x80000008, 0x000000c0, "ehb"},
	{0x8000000c, 0x00000140, "pause"},
	{0x80000010, 0x00801021, "move\tv0,a0"},
	{0x80000014, 0x00801025, "move\tv0,a0"},
	{0x80000018, 0x00041021, "addu\tv0,zero,a0"},
	{0x8000001c, 0x2402fffb, "li\tv0,-5"},
	{0x80000020, 0x24027fff, "li\tv0,32767"},
	{0x80000024, 0x3402ffff, "li\tv0,0xffff"},
	{0x80000028, 0x00041023, "negu\tv0,a0"},
	{0x8000002c, 0x00041022, "neg\tv0,a0"},
	{0x80000030, 0x00801027, "nor\tv0,a0,zero"},
};

/* b, bal, beqz..., negative offsets, jalr with and without rd, jumps. */
static const struct vec branches[] = {
	{0x80000034, 0x10000004, "b\t0x80000048"},
	{0x80000038, 0x04010004, "b\t0x8000004c"},
	{0x8000003c, 0x04110004, "bal\t0x80000050"},
	{0x80000040, 0x10800004, "beqz\ta0,0x80000054"},
	{0x80000044, 0x14800004, "bnez\ta0,0x80000058"},
	{0x80000048, 0x50800004, "beqzl\ta0,0x8000005c"},
	{0x8000004c, 0x54800004, "bnezl\ta0,0x80000060"},
	{0x80000050, 0x14000004, "bnez\tzero,0x80000064"},
	{0x80000054, 0x1000ffff, "b\t0x80000054"},
	{0x80000058, 0x1485fffc, "bne\ta0,a1,0x8000004c"},
	{0x8000005c, 0x0480ffff, "bltz\ta0,0x8000005c"},
	{0x80000060, 0x0411fc18, "bal\t0x7ffff0c4"},
	{0x80000064, 0x1c80ff00, "bgtz\ta0,0x7ffffc68"},
	{0x80000068, 0x0080f809, "jalr\ta0"},
	{0x8000006c, 0x00801009, "jalr\tv0,a0"},
	{0x80000070, 0x0080fc09, "jalr.hb\ta0"},
	{0x80000074, 0x00801409, "jalr.hb\tv0,a0"},
	{0x80000078, 0x03e00008, "jr\tra"},
	{0x8000007c, 0x00800408, "jr.hb\ta0"},
	{0x80000080, 0x0c000010, "jal\t0x80000040"},
	{0x80000084, 0x08000000, "j\t0x80000000"},
	{0x80000088, 0x0bffffff, "j\t0x8ffffffc"},
	/* j/jal take the 256 MB region of the delay slot, not of the jump. */
	{0x8ffffffc, 0x08000001, "j\t0x90000004"},
	{0x8ffffff8, 0x0c000001, "jal\t0x80000004"},
	/* branch target wrapping below address 0 */
	{0x00000000, 0x1000fffe, "b\t0xfffffffc"},
};

/* ror/rorv, sync stypes, di/ei, ext/ins sizes. */
static const struct vec shifts_ext_ins[] = {
	{0x8000008c, 0x00221042, "ror\tv0,v0,0x1"},
	{0x80000090, 0x00221046, "rorv\tv0,v0,at"},
	{0x80000094, 0x000217c0, "sll\tv0,v0,0x1f"},
	{0x80000098, 0x0000000f, "sync"},
	{0x8000009c, 0x0000010f, "sync_wmb"},
	{0x800000a0, 0x0000040f, "sync_mb"},
	{0x800000a4, 0x0000044f, "sync_acquire"},
	{0x800000a8, 0x0000048f, "sync_release"},
	{0x800000ac, 0x000004cf, "sync_rmb"},
	{0x800000b0, 0x0000068f, "sync\t0x1a"},
	{0x800000b4, 0x41606000, "di"},
	{0x800000b8, 0x41656000, "di\ta1"},
	{0x800000bc, 0x41606020, "ei"},
	{0x800000c0, 0x7c8207c0, "ext\tv0,a0,0x1f,0x1"},
	{0x800000c4, 0x7c82f800, "ext\tv0,a0,0x0,0x20"},
	{0x800000c8, 0x7c8200c4, "ins\tv0,a0,0x3,0xfffffffe"},
	{0x800000cc, 0x7c8207c4, "ins\tv0,a0,0x1f,0xffffffe2"},
	{0x800000d0, 0x7c82f7c4, "ins\tv0,a0,0x1f,0x0"},
	{0x800000d4, 0x7c820004, "ins\tv0,a0,0x0,0x1"},
};

/* CP0 names with sel (named, "name,sel", numeric), guest CP0, rdhwr. */
static const struct vec cp0[] = {
	{0x800000d8, 0x40086000, "mfc0\tt0,c0_status"},
	{0x800000dc, 0x40886001, "mtc0\tt0,c0_intctl"},
	{0x800000e0, 0x4008b003, "mfc0\tt0,$22,3"},
	{0x800000e4, 0x40089001, "mfc0\tt0,c0_watchlo,1"},
	{0x800000e8, 0x4008d803, "mfc0\tt0,c0_cacheerr,3"},
	{0x800000ec, 0x4008d804, "mfc0\tt0,$27,4"},
	{0x800000f0, 0x4008f807, "mfc0\tt0,$31,7"},
	{0x800000f4, 0x40686000, "mfgc0\tt0,c0_status"},
	{0x800000f8, 0x40e86000, ".word\t0x40e86000"},
	{0x800000fc, 0x40686201, "mtgc0\tt0,c0_intctl"},
	{0x80000100, 0x7c02003b, "rdhwr\tv0,hwr_cpunum"},
	{0x80000104, 0x7c02e83b, "rdhwr\tv0,$29"},
};

/* Memory operands, cache ops, prefetch hints. */
static const struct vec memory[] = {
	{0x80000108, 0xbc9f0010, "cache\t0x1f,16(a0)"},
	{0x8000010c, 0xbc80fff0, "cache\t0x0,-16(a0)"},
	{0x80000110, 0xcc850010, "pref\t0x5,16(a0)"},
	{0x80000114, 0x8c82fffc, "lw\tv0,-4(a0)"},
	{0x80000118, 0xa3a4ffff, "sb\ta0,-1(sp)"},
	{0x8000011c, 0x041f0010, "synci\t16(zero)"},
	{0x80000120, 0x3c021234, "lui\tv0,0x1234"},
};

/* syscall/break/sdbbp/trap/wait/hypcall codes, omitted when zero. */
static const struct vec codes[] = {
	{0x80000124, 0x0000000c, "syscall"},
	{0x80000128, 0x0000004c, "syscall\t0x1"},
	{0x8000012c, 0x03ffffcc, "syscall\t0xfffff"},
	{0x80000130, 0x0000000d, "break"},
	{0x80000134, 0x0001000d, "break\t0x1"},
	{0x80000138, 0x0000004d, "break\t0x0,0x1"},
	{0x8000013c, 0x03ffffcd, "break\t0x3ff,0x3ff"},
	{0x80000140, 0x7000003f, "sdbbp"},
	{0x80000144, 0x73ffffff, "sdbbp\t0xfffff"},
	{0x80000148, 0x00850034, "teq\ta0,a1"},
	{0x8000014c, 0x00851234, "teq\ta0,a1,0x48"},
	{0x80000150, 0x04c8fff0, "tgei\ta2,-16"},
	{0x80000154, 0x42000020, "wait"},
	{0x80000158, 0x43ffffe0, "wait\t0x7ffff"},
	{0x8000015c, 0x42000028, "hypcall"},
	{0x80000160, 0x4213f828, "hypcall\t0x27f"},
};

/* Reserved: ".word", the COP0 function space as "c0". */
static const struct vec reserved[] = {
	{0x80000164, 0xfc000000, ".word\t0xfc000000"},
	{0x80000168, 0x00000014, ".word\t0x14"},
	{0x8000016c, 0x42000000, "c0\t0x0"},
	{0x80000170, 0x43ffffff, "c0\t0x1ffffff"},
	{0x80000174, 0x7c000010, ".word\t0x7c000010"}, /* objdump: DSP addu.qb */
	{0x80000178, 0x3c820000, ".word\t0x3c820000"},
	{0x8000017c, 0x00000005, ".word\t0x5"}, /* objdump: MSA lsa */
	{0x80000180, 0x42000038, "c0\t0x38"}, /* objdump: MCU iret */
};

/* clz "rd or rt", div's $zero, movf/movt condition codes, rdpgpr. */
static const struct vec misc[] = {
	{0x80000180, 0x0000f801, "movf\tra,zero,$fcc0"},
	{0x80000184, 0x70851020, "clz\tv0 or a1,a0"},
	{0x80000188, 0x70850020, "clz\ta1,a0"},
	{0x8000018c, 0x70853020, "clz\ta2 or a1,a0"},
	{0x80000190, 0x70800020, "clz\tzero,a0"},
	{0x80000194, 0x0085001a, "div\tzero,a0,a1"},
	{0x80000198, 0x00850018, "mult\ta0,a1"},
	{0x8000019c, 0x70851002, "mul\tv0,a0,a1"},
	{0x800001a0, 0x00a00001, "movf\tzero,a1,$fcc0"},
	{0x800001a4, 0x00850801, "movt\tat,a0,$fcc1"},
	{0x800001a8, 0x41441800, "rdpgpr\tv1,a0"},
};

/* COP1 (FPU, MIPS-3D, MSA branches), COP1X, COP2 and their loads/stores. */
static const struct vec coprocessors[] = {
	{0x800001ac, 0x46020800, "add.s\t$f0,$f1,$f2"},
	{0x800001b0, 0x46a02420, "cvt.s.l\t$f16,$f4"},
	{0x800001b4, 0x462aac3d, "c.nge.d\t$fcc4,$f21,$f10"},
	{0x800001b8, 0x46000732, "c.eq.s\t$fcc7,$f0,$f0"},
	{0x800001bc, 0x46074b7e, "cabs.le.s\t$fcc3,$f9,$f7"},
	{0x800001c0, 0x45010000, "bc1t\t0x800001c4"},
	{0x800001c4, 0x451ee100, "bc1fl\t$fcc7,0x7fff85c8"},
	{0x800001c8, 0x45200000, "bc1any2f\t$fcc0,0x800001cc"},
	{0x800001cc, 0xc4820010, "lwc1\t$f2,16(a0)"},
	{0x800001d0, 0xf8820010, "sdc2\t$2,16(a0)"},
	{0x800001d4, 0x44820800, "mtc1\tv0,$f1"},
	{0x800001d8, 0x44c2f800, "ctc1\tv0,c1_fcsr"},
	{0x800001dc, 0x4c1eb00f, "prefx\t0x16,s8(zero)"},
	{0x800001e0, 0x4c17b460, "madd.s\t$f17,$f0,$f22,$f23"},
	{0x800001e4, 0x4c140340, "lwxc1\t$f13,s4(zero)"},
	{0x800001e8, 0x461f3b04, "c1\t0x1f3b04"},
	{0x800001ec, 0x44200000, ".word\t0x44200000"},
	{0x800001f0, 0x47ffffff, "bnz.d\t$w31,0x800001f0"},
	{0x800001f4, 0x48020807, "mfc2\tv0,$1,7"},
	{0x800001f8, 0x48600100, "mfhc2\tzero,0x100"},
	{0x800001fc, 0x49140e00, "bc2f\t$cc5,0x80003a00"},
	{0x80000200, 0x4a000001, "c2\t0x1"},
	{0x80000204, 0x48a00000, ".word\t0x48a00000"},
};

/* The exact-match COP0 operations, VZ guest TLB ones included. */
static const struct vec tlb_eret[] = {
	{0x80000208, 0x42000018, "eret"},
	{0x8000020c, 0x42000058, "eretnc"},
	{0x80000210, 0x4200001f, "deret"},
	{0x80000214, 0x42000001, "tlbr"},
	{0x80000218, 0x42000002, "tlbwi"},
	{0x8000021c, 0x42000003, "tlbinv"},
	{0x80000220, 0x42000004, "tlbinvf"},
	{0x80000224, 0x42000006, "tlbwr"},
	{0x80000228, 0x42000008, "tlbp"},
	{0x8000022c, 0x42000009, "tlbgr"},
	{0x80000230, 0x4200000a, "tlbgwi"},
	{0x80000234, 0x4200000b, "tlbginv"},
	{0x80000238, 0x4200000c, "tlbginvf"},
	{0x8000023c, 0x4200000e, "tlbgwr"},
	{0x80000240, 0x42000010, "tlbgp"},
};

static void test_aliases(void **state) { (void)state; CHECK(aliases); }
static void test_branches_jumps(void **state) { (void)state; CHECK(branches); }
static void test_shifts_ext_ins(void **state) { (void)state; CHECK(shifts_ext_ins); }
static void test_cp0_registers(void **state) { (void)state; CHECK(cp0); }
static void test_memory_cache_pref(void **state) { (void)state; CHECK(memory); }
static void test_exception_codes(void **state) { (void)state; CHECK(codes); }
static void test_reserved(void **state) { (void)state; CHECK(reserved); }
static void test_misc(void **state) { (void)state; CHECK(misc); }
static void test_coprocessors(void **state) { (void)state; CHECK(coprocessors); }
static void test_tlb_eret(void **state) { (void)state; CHECK(tlb_eret); }

/* snprintf contract: truncated output stays terminated, length is the full one. */
static void test_truncation(void **state)
{
	(void)state;
	char buf[8];
	memset(buf, 'x', sizeof buf);
	size_t need = isa_disasm(0, 0x00801021, buf, 5); /* "move\tv0,a0" */
	assert_int_equal(need, 10);
	assert_string_equal(buf, "move");
	assert_int_equal(buf[5], 'x');
	assert_int_equal(isa_disasm(0, 0x00801021, NULL, 0), 10);
	memset(buf, 'x', sizeof buf);
	assert_int_equal(isa_disasm(0, 0xfc000000, buf, 1), strlen(".word\t0xfc000000"));
	assert_int_equal(buf[0], '\0');
}

static void test_gpr_names(void **state)
{
	(void)state;
	assert_string_equal(isa_gpr_names[0], "zero");
	assert_string_equal(isa_gpr_names[29], "sp");
	assert_string_equal(isa_gpr_names[30], "s8");
	assert_string_equal(isa_gpr_names[31], "ra");
}

/* Every table row disassembles its match word without an unknown letter. */
static void test_every_row_renders(void **state)
{
	(void)state;
	for (unsigned op = 1; op < ISA_OP_COUNT; op++) {
		const struct isa_desc *d = isa_describe((enum isa_op)op);
		char buf[96];
		isa_disasm(0x80000000, d->match, buf, sizeof buf);
		if (strchr(buf, '?'))
			print_error("row %s: \"%s\"\n", d->mnemonic, buf);
		assert_null(strchr(buf, '?'));
		assert_true(buf[0] != '\0');
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_branches_jumps),
		cmocka_unit_test(test_shifts_ext_ins),
		cmocka_unit_test(test_cp0_registers),
		cmocka_unit_test(test_memory_cache_pref),
		cmocka_unit_test(test_exception_codes),
		cmocka_unit_test(test_reserved),
		cmocka_unit_test(test_misc),
		cmocka_unit_test(test_coprocessors),
		cmocka_unit_test(test_tlb_eret),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_gpr_names),
		cmocka_unit_test(test_every_row_renders),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
