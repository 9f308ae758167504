/*
 * The code-image test fixture (test_code.c checks every value here): the
 * words are data, so that their values say where they are; the symbols
 * cover the cases of pdt_code_symbol.  Built with -Wa,-L so that the
 * assembler keeps a .L label, which the loader must skip.
 */
	.set noreorder

	.text
	/* 0x80001000: in .text but below its first symbol */
	.word 0xa0001000, 0xa0001004

	/* 0x80001008: a sized function and a local alias (the function wins) */
	.globl start
	.type start, @function
start:
start_alias:
	.word 0xa0001008, 0xa000100c, 0xa0001010, 0xa0001014
	.size start, . - start

	/* 0x80001018: a local function and a global label (the function wins) */
	.type helper, @function
	.globl helper_label
helper:
helper_label:
	.word 0xa0001018, 0xa000101c
	.size helper, . - helper

	/* 0x80001020: two labels, local and global (the global one wins) */
	.globl pair_global
pair_local:
pair_global:
	.word 0xa0001020, 0xa0001024, 0xa0001028, 0xa000102c

	/* 0x80001030: a sized function with a label inside it (the function
	   names the addresses it contains) */
	.globl outer
	.type outer, @function
outer:
	.word 0xa0001030, 0xa0001034, 0xa0001038, 0xa000103c
inner_label:
	.word 0xa0001040, 0xa0001044, 0xa0001048, 0xa000104c
	.size outer, . - outer

	/* 0x80001050: past outer's end: inner_label is the nearest below */
	.word 0xa0001050
.Lassembler_local:
	.word 0xa0001054
	/* 0x80001058: .text's padding to its alignment (16) */

	/* an absolute symbol: not an address in a section */
	.globl abs_sym
	.set abs_sym, 0x80001050

	.section .rodata, "a"
	/* 0x80001080 (after .text's padding to 0x80001060, a gap): a sized
	   object */
	.globl table
	.type table, @object
table:
	.word 0xb0001080, 0xb0001084
	.size table, . - table

	.section .utext, "ax", @progbits
	/* 0x4000 (loaded at 0x80004000) */
	.globl user_main
	.type user_main, @function
user_main:
	.word 0xc0004000, 0xc0004004, 0xc0004008, 0xc000400c
	.size user_main, . - user_main

	.section .udata, "aw", @progbits
	/* 0x4010 */
	.type udata_word, @object
udata_word:
	.word 0xd0004010
	.size udata_word, . - udata_word

	.section .ubss, "aw", @nobits
	/* 0x4014: bss, not code */
	.globl ubss_obj
	.type ubss_obj, @object
ubss_obj:
	.space 0x100
	.size ubss_obj, . - ubss_obj
