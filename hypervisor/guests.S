/*
 * guests.S: the guest images embedded in the hypervisor, so that a board
 * needs one ELF.  The Makefile builds each guest (hypervisor/guests/) to a
 * flat binary linked at guest kseg0 0x80000000 and assembles this file
 * with their directory on the include path.  hv_images is the table the
 * image= / gN= boot arguments choose from.
 */
	.macro	GUEST name
	.section .rodata.guest_\name, "a"
	.balign	16
guest_\name\()_start:
	.incbin	"\name\().bin"
guest_\name\()_end:
	.section .rodata.guest_names, "a"
guest_\name\()_name:
	.asciz	"\name"
	.section .data.hv_images, "aw"
	.word	guest_\name\()_name, guest_\name\()_start, guest_\name\()_end
	.endm

	.section .data.hv_images, "aw"
	.balign	4
	.globl	hv_images
hv_images:
	GUEST	demo
	GUEST	loop
	GUEST	wild
	GUEST	exits
	GUEST	crit
	GUEST	flood
	GUEST	dslot
	GUEST	wired
	GUEST	storm
	GUEST	stress
hv_images_end:

	.section .rodata, "a"
	.balign	4
	.globl	hv_nimages
hv_nimages:
	.word	(hv_images_end - hv_images) / 12
