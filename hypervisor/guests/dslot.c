/*
 * dslot: exits in branch delay slots.  Each case below is a small
 * assembly function with a branch or jump whose delay slot holds an
 * instruction that exits to root and is emulated there: a hypercall
 * (console write, marker), a GPSI (cache op, mfc0 of a root-only
 * register, wait) or a GSFC (mtc0 Status changing CU1).  Root must resume
 * at the branch's target or fall-through, write the link register of the
 * linking forms, and decide the branch on the registers as they were
 * before the slot's instruction ran.  A wrong resume PC shows as a wrong
 * return value, or a console line printed twice (the slot run again).
 *
 * Every function returns in v0 what C compares with the expected value;
 * a0/a1 are the message and length of the console-write cases.
 */
#include "guest.h"

#define BAD	0xbad

extern uint32_t hc_beq_taken(const char *msg, unsigned len);
extern uint32_t hc_bne_not_taken(const char *msg, unsigned len);
extern uint32_t hc_beql_taken(const char *msg, unsigned len);
extern uint32_t hc_bltzal_taken(const char *msg, unsigned len);
extern uint32_t hc_bgezal_not_taken(const char *msg, unsigned len);
extern uint32_t hc_j(void);
extern uint32_t gpsi_jr_reads_before_slot(void);
extern uint32_t gpsi_jal_cache(void);
extern uint32_t gpsi_jalr_wait(void);
extern uint32_t gsfc_bgez(void);
extern char gpsi_jal_fall[], gpsi_jalr_fall[];   /* the links jal and jalr must write */

__asm__(
	".set push\n.set noreorder\n"

	/* beq taken, console write in the slot: v0 = the length written. */
	".globl hc_beq_taken\n"
	"hc_beq_taken:\n"
	"	beq	$zero, $zero, 1f\n"
	"	hypcall	1\n"
	"	li	$v0, 0xbad\n"		/* fall-through: wrong */
	"1:	jr	$ra\n"
	"	nop\n"

	/* bne not taken: fall-through adds 0x100 to the length. */
	".globl hc_bne_not_taken\n"
	"hc_bne_not_taken:\n"
	"	bne	$zero, $zero, 1f\n"
	"	hypcall	1\n"
	"	jr	$ra\n"
	"	addiu	$v0, $v0, 0x100\n"
	"1:	jr	$ra\n"
	"	li	$v0, 0xbad\n"

	/* beql taken (the slot runs only when taken). */
	".globl hc_beql_taken\n"
	"hc_beql_taken:\n"
	"	beql	$a1, $a1, 1f\n"
	"	hypcall	1\n"
	"	li	$v0, 0xbad\n"
	"1:	jr	$ra\n"
	"	nop\n"

	/* bltzal taken: ra = the fall-through address; v0 = length. */
	".globl hc_bltzal_taken\n"
	"hc_bltzal_taken:\n"
	"	move	$t3, $ra\n"
	"	li	$t0, -1\n"
	"	bltzal	$t0, 1f\n"
	"	hypcall	1\n"
	".globl hc_bltzal_fall\n"
	"hc_bltzal_fall:\n"
	"	jr	$t3\n"
	"	li	$v0, 0xbad\n"
	"1:	la	$t1, hc_bltzal_fall\n"
	"	beq	$ra, $t1, 2f\n"
	"	nop\n"
	"	li	$v0, 0xbad\n"
	"2:	jr	$t3\n"
	"	nop\n"

	/* bgezal not taken: links anyway, falls through (+0x200). */
	".globl hc_bgezal_not_taken\n"
	"hc_bgezal_not_taken:\n"
	"	move	$t3, $ra\n"
	"	li	$t0, -5\n"
	"	bgezal	$t0, 1f\n"
	"	hypcall	1\n"
	".globl hc_bgezal_fall\n"
	"hc_bgezal_fall:\n"
	"	la	$t1, hc_bgezal_fall\n"
	"	bne	$ra, $t1, 1f\n"
	"	nop\n"
	"	jr	$t3\n"
	"	addiu	$v0, $v0, 0x200\n"
	"1:	jr	$t3\n"
	"	li	$v0, 0xbad\n"

	/* j with a marker hypercall (v0 := 0) in the slot. */
	".globl hc_j\n"
	"hc_j:\n"
	"	li	$a0, 0x51\n"
	"	j	1f\n"
	"	hypcall	3\n"
	"	jr	$ra\n"
	"	li	$v0, 0xbad\n"
	"1:	jr	$ra\n"
	"	addiu	$v0, $v0, 0x51\n"

	/* jr t0 whose slot overwrites t0 (mfc0 TraceControl reads 0 for
	 * a guest): the jump must go where t0 pointed before the slot. */
	".globl gpsi_jr_reads_before_slot\n"
	"gpsi_jr_reads_before_slot:\n"
	"	la	$t0, 1f\n"
	"	jr	$t0\n"
	"	mfc0	$t0, $23, 1\n"
	"	jr	$ra\n"
	"	li	$v0, 0xbad\n"
	"1:	jr	$ra\n"
	"	move	$v0, $t0\n"		/* 0: the slot's result */

	/* jal with a cache op in the slot: v0 = ra at the target. */
	".globl gpsi_jal_cache\n"
	"gpsi_jal_cache:\n"
	"	move	$t3, $ra\n"
	"	jal	1f\n"
	"	cache	0x15, 0($sp)\n"
	".globl gpsi_jal_fall\n"
	"gpsi_jal_fall:\n"
	"	jr	$t3\n"
	"	li	$v0, 0xbad\n"
	"1:	jr	$t3\n"
	"	move	$v0, $ra\n"

	/* jalr with wait (a yield) in the slot: v0 = ra at the target. */
	".globl gpsi_jalr_wait\n"
	"gpsi_jalr_wait:\n"
	"	move	$t3, $ra\n"
	"	la	$t9, 1f\n"
	"	jalr	$t9\n"
	"	wait\n"
	".globl gpsi_jalr_fall\n"
	"gpsi_jalr_fall:\n"
	"	jr	$t3\n"
	"	li	$v0, 0xbad\n"
	"1:	jr	$t3\n"
	"	move	$v0, $ra\n"

	/* bgez taken with a GSFC (mtc0 Status, CU1 changed) in the slot. */
	".globl gsfc_bgez\n"
	"gsfc_bgez:\n"
	"	mfc0	$t0, $12\n"
	"	lui	$t1, 0x2000\n"
	"	xor	$t0, $t0, $t1\n"
	"	li	$v0, 0x1\n"
	"	bgez	$zero, 1f\n"
	"	mtc0	$t0, $12\n"
	"	li	$v0, 0xbad\n"
	"1:	jr	$ra\n"
	"	ehb\n"

	".set pop\n");

static unsigned n_ok, n_bad;

static void check(const char *name, uint32_t got, uint32_t want)
{
	char line[80];
	unsigned n = 0;

	while (*name && n < 50)
		line[n++] = *name++;
	if (got == want) {
		n_ok++;
		g_write(line, n);
		g_puts(": ok\n");
		return;
	}
	n_bad++;
	line[n] = 0;
	g_put_hex_line(line, got);
}

static unsigned len_of(const char *s)
{
	unsigned n = 0;
	while (s[n])
		n++;
	return n;
}

int main(void)
{
	static const char m1[] = "dslot: write in beq slot\n";
	static const char m2[] = "dslot: write in bne slot\n";
	static const char m3[] = "dslot: write in beql slot\n";
	static const char m4[] = "dslot: write in bltzal slot\n";
	static const char m5[] = "dslot: write in bgezal slot\n";

	check("dslot: beq taken, hypercall", hc_beq_taken(m1, len_of(m1)), len_of(m1));
	check("dslot: bne not taken, hypercall", hc_bne_not_taken(m2, len_of(m2)),
	      len_of(m2) + 0x100);
	check("dslot: beql taken, hypercall", hc_beql_taken(m3, len_of(m3)), len_of(m3));
	check("dslot: bltzal taken, hypercall", hc_bltzal_taken(m4, len_of(m4)), len_of(m4));
	check("dslot: bgezal not taken, hypercall",
	      hc_bgezal_not_taken(m5, len_of(m5)), len_of(m5) + 0x200);
	check("dslot: j, hypercall", hc_j(), 0x51);
	check("dslot: jr, mfc0 of its register", gpsi_jr_reads_before_slot(), 0);
	check("dslot: jal, cache", gpsi_jal_cache(), (uint32_t)gpsi_jal_fall);
	check("dslot: jalr, wait", gpsi_jalr_wait(), (uint32_t)gpsi_jalr_fall);
	check("dslot: bgez, gsfc", gsfc_bgez(), 1);
	g_put_hex_line("dslot: cases failed: ", n_bad);
	return n_bad ? 1 : 0;
}
