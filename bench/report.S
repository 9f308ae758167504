/*
 * The end of a bench run, shared by lcg.S and lcg_guest.S: print
 * "lcg checksum XXXXXXXX" (the checksum in s3) on the UART and end the run
 * through the Malta reset register.  Included, not assembled alone.
 */
#define UART_LSR	0xb80003fd
#define RESET_REG	0xbf000500

report_and_reset:
	la	$a0, msg
	jal	puts
	nop
	li	$s4, 28
1:	srlv	$a0, $s3, $s4
	andi	$a0, $a0, 0xf
	la	$t0, hexdigits
	addu	$t0, $t0, $a0
	jal	putc
	lbu	$a0, 0($t0)
	bnez	$s4, 1b
	addiu	$s4, $s4, -4
	jal	putc
	li	$a0, 10
	li	$t0, 0x42
	li	$t1, RESET_REG
	sw	$t0, 0($t1)
2:	b	2b
	nop

/* putc(a0); clobbers t8, t9. */
putc:
	li	$t8, UART_LSR
1:	lbu	$t9, 0($t8)
	andi	$t9, $t9, 0x20
	beqz	$t9, 1b
	nop
	jr	$ra
	sb	$a0, -5($t8)

/* puts(a0); clobbers a0, t7..t9. */
puts:
	move	$t7, $ra
	move	$t6, $a0
1:	lbu	$a0, 0($t6)
	beqz	$a0, 2f
	nop
	jal	putc
	addiu	$t6, $t6, 1
	b	1b
	nop
2:	jr	$t7
	nop

	.section .rodata
msg:	.asciz	"lcg checksum "
hexdigits: .ascii "0123456789abcdef"
