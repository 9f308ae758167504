/*
 * exit.c: everything that brings a guest back to root, dispatched the way
 * Linux's kvm_mips_handle_exit does: first on root Cause.ExcCode, then,
 * for a guest exit (27), on GuestCtl0.GExcCode.
 *
 *   Int (0)         the root timer: the guest's slice is over
 *   GE (27)         GPSI  emulate what a guest kernel may do: cache ops,
 *                         wait (a yield), CP0 accesses that trap
 *                   GSFC  complete the guest's mtc0 of Status/Cause
 *                   HC    hypercall.c
 *                   GRR   a reserved instruction (GuestCtl0.RI): stop
 *   TLBL/TLBS/Mod   with GExcCode GPA: second-stage fault, gpa.c
 *   anything else   stop the guest with a report; the others go on
 *
 * An emulated instruction is stepped over; in a branch delay slot the
 * branch is emulated too (branch.c).  Each exit's root cost is measured
 * for the statistics (exit_cost_close below).
 *
 * The handler runs in root mode with Status.EXL set (interrupts masked)
 * and returns the vcpu to enter next.
 */
#include <vzsoak/linux_dt.h>

#include "branch.h"
#include "hv.h"

/* Instruction fields. */
#define OP(w)		((w) >> 26)
#define RS(w)		(((w) >> 21) & 0x1f)
#define RT(w)		(((w) >> 16) & 0x1f)
#define RD(w)		(((w) >> 11) & 0x1f)
#define SEL(w)		((w) & 0x7)
#define FUNCT(w)	((w) & 0x3f)
#define OP_COP0		0x10
#define OP_CACHE	0x2f
#define COP0_MF		0x00
#define COP0_MT		0x04
#define COP0_CO		0x10 /* rs with bit 4: CO instructions */
#define FUNCT_WAIT	0x20

struct exit_info {
	uint32_t cause, gctl0, badvaddr, badinstr, badinstrp;
	unsigned exc, gexc;
};

/* Names for the reports (boards/mips exc.def); "?" for a code without. */
static const char *const exc_names[32] = {
#define EXC(code, sym, name) [code] = name,
#include <mips/exc.def>
};
static const char *const gexc_names[32] = {
#define GEXC(code, sym, name) [code] = name,
#include <mips/exc.def>
};

/* Stops the guest with the reason and the state of the exit. */
static void stop_with_report(struct vcpu *v, const struct exit_info *e,
			     const char *why)
{
	const char *en = exc_names[e->exc] ? exc_names[e->exc] : "?";
	const char *gn = gexc_names[e->gexc] ? gexc_names[e->gexc] : "?";

	guest_console_flush(v);
	hv_printf("hv: g%u stopped: %s (exit %s", v->id, why, en);
	if (e->exc == EXC_GE || (e->exc >= EXC_MOD && e->exc <= EXC_TLBS))
		hv_printf("/%s", gn);
	hv_printf(")\n");
	hv_printf("hv:   g%u root cause=%x badvaddr=%x badinstr=%x badinstrp=%x guestctl0=%x\n",
		  v->id, e->cause, e->badvaddr, e->badinstr, e->badinstrp, e->gctl0);
	vcpu_dump(v);
	v->state = VCPU_STOPPED;
	status_stopped(v, 0, 1);
}

/* Decides where the guest resumes once the instruction that exited has
 * been emulated: EPC + 4, or, in a branch delay slot (Cause.BD), the
 * branch's target or fall-through (branch.c, Linux's update_pc).  Done
 * before the emulation, like update_pc in Linux, because the branch was
 * decided on the registers before its delay slot ran.  The handlers move
 * the PC to *next only once the emulation succeeded, so a guest stopped
 * for an instruction root cannot emulate is reported at the branch or
 * instruction it stopped on. */
static int resume_pc(struct vcpu *v, const struct exit_info *e, uint32_t *next)
{
	if (hv_resume_pc(v->pc, (e->cause & CAUSE_BD) != 0, e->badinstrp,
			 v->gpr, next)) {
		stop_with_report(v, e, "delay slot of an instruction that is not a branch");
		return -1;
	}
	if (e->cause & CAUSE_BD)
		v->stats.delay_slot++;
	/* inject=dslot-resume: Cause.BD ignored, the guest resumed after the
	 * exiting instruction's address, EPC + 4: at the delay slot, as if
	 * it had not been one, and then on past the branch, which is lost. */
	if (HV_INJECTED(&hv_args, HV_INJECT_DSLOT_RESUME))
		*next = v->pc + 4;
	return 0;
}

/* GPSI: the guest kernel did something privileged the root kept. */
static enum hc_result handle_gpsi(struct vcpu *v, const struct exit_info *e)
{
	uint32_t w = e->badinstr;
	enum hc_result r = HCR_CONTINUE;
	uint32_t next;

	if (resume_pc(v, e, &next))
		return HCR_STOPPED;
	if (OP(w) == OP_CACHE) {
		/* vzsim models no caches; on hardware the guest's own window
		 * is what it may clean, and Index ops are harmless to let
		 * through as no-ops for a soak guest. */
	} else if (OP(w) == OP_COP0 && (RS(w) & COP0_CO) && FUNCT(w) == FUNCT_WAIT) {
		/* A guest waiting for an interrupt gives its slice away. */
		r = HCR_YIELD;
	} else if (OP(w) == OP_COP0 && RS(w) == COP0_MF) {
		/* A CP0 register the guest context lacks, or Count with
		 * GT = 0: Count is emulated, everything else reads 0. */
		uint32_t val = 0;
		if (RD(w) == 9 && SEL(w) == 0)
			val = read_c0_count() + read_c0_gtoffset();
		if (RT(w))
			v->gpr[RT(w)] = val;
	} else if (OP(w) == OP_COP0 && RS(w) == COP0_MT) {
		/* mtc0 Count moves the guest's time base: GTOffset.  Writes
		 * to registers the guest does not have are dropped. */
		if (RD(w) == 9 && SEL(w) == 0)
			write_c0_gtoffset(v->gpr[RT(w)] - read_c0_count());
	} else {
		stop_with_report(v, e, "privileged instruction not emulated");
		return HCR_STOPPED;
	}
	v->pc = next;
	return r;
}

/*
 * A Linux guest's access to its devices (linux_guest.c): the console UART
 * and the reset register, outside its RAM, so the access takes a
 * second-stage fault with the GPA in BadVAddr, and root emulates the load
 * or store that BadInstr holds, as KVM does for MMIO
 * (kvm_mips_emulate_load/store).  -1: not a device access.
 */
#define OP_LB	0x20
#define OP_LH	0x21
#define OP_LW	0x23
#define OP_LBU	0x24
#define OP_LHU	0x25
#define OP_SB	0x28
#define OP_SH	0x29
#define OP_SW	0x2b

static int device_read(struct vcpu *v, uint32_t gpa, unsigned size, uint32_t *val)
{
	*val = 0;
	if (gpa - LINUX_DT_UART_PA < LINUX_DT_UART_SIZE) {
		/* Wider accesses: consecutive registers, low byte first. */
		for (unsigned i = 0; i < size; i++)
			*val |= (uint32_t)vuart_read(v, gpa - LINUX_DT_UART_PA + i) << (8 * i);
		return 0;
	}
	if (gpa - LINUX_DT_SYSCON_PA < LINUX_DT_SYSCON_SIZE)
		return 0; /* the reset register and the rest read 0 */
	return -1;
}

/* 1: the guest reset its board (it is done). */
static int device_write(struct vcpu *v, uint32_t gpa, unsigned size, uint32_t val)
{
	if (gpa - LINUX_DT_UART_PA < LINUX_DT_UART_SIZE) {
		for (unsigned i = 0; i < size; i++)
			vuart_write(v, gpa - LINUX_DT_UART_PA + i, (uint8_t)(val >> (8 * i)));
		return 0;
	}
	if (gpa - LINUX_DT_SYSCON_PA < LINUX_DT_SYSCON_SIZE)
		return gpa - LINUX_DT_SYSCON_PA == LINUX_DT_RESET_OFF &&
		       val == LINUX_DT_RESET_VALUE;
	return -1;
}

static int handle_mmio(struct vcpu *v, const struct exit_info *e, enum hc_result *r)
{
	uint32_t w = e->badinstr, gpa = e->badvaddr, next, val;
	unsigned op = OP(w), size = op == OP_LW || op == OP_SW ? 4
				   : op == OP_LH || op == OP_LHU || op == OP_SH ? 2 : 1;
	int load = op == OP_LB || op == OP_LBU || op == OP_LH || op == OP_LHU || op == OP_LW;
	int store = op == OP_SB || op == OP_SH || op == OP_SW;
	if (!v->is_linux || (!load && !store) || gpa & (size - 1))
		return -1;
	if (load && device_read(v, gpa, size, &val))
		return -1;
	if (resume_pc(v, e, &next)) {
		*r = HCR_STOPPED;
		return 0;
	}
	if (load) {
		if (op == OP_LB)
			val = (uint32_t)(int32_t)(int8_t)val;
		else if (op == OP_LH)
			val = (uint32_t)(int32_t)(int16_t)val;
		if (RT(w))
			v->gpr[RT(w)] = val;
	} else {
		int reset = device_write(v, gpa, size, v->gpr[RT(w)]);
		if (reset < 0)
			return -1;
		if (reset) {
			guest_console_flush(v);
			hv_printf("hv: g%u reset its board: done\n", v->id);
			v->state = VCPU_STOPPED;
			status_stopped(v, 0, 0);
			*r = HCR_STOPPED;
			return 0;
		}
	}
	v->pc = next;
	*r = HCR_CONTINUE;
	return 0;
}

/* GSFC: the guest's mtc0 changes a field the root must agree to.  There
 * is no FPU or MSA to hand over here, so root completes the write as the
 * guest asked; the hardware keeps what it does not implement. */
static enum hc_result handle_gsfc(struct vcpu *v, const struct exit_info *e)
{
	uint32_t w = e->badinstr;
	uint32_t next;

	if (resume_pc(v, e, &next))
		return HCR_STOPPED;
	uint32_t val = v->gpr[RT(w)];
	if (OP(w) != OP_COP0 || RS(w) != COP0_MT || SEL(w) != 0) {
		stop_with_report(v, e, "unexpected GSFC instruction");
		return HCR_STOPPED;
	}
	if (RD(w) == 12)
		write_gc0(CP0_STATUS, val);
	else if (RD(w) == 13)
		write_gc0(CP0_CAUSE, val);
	else {
		stop_with_report(v, e, "GSFC on a register not emulated");
		return HCR_STOPPED;
	}
	v->pc = next;
	return HCR_CONTINUE;
}

static enum hc_result handle_guest_exit(struct vcpu *v, const struct exit_info *e)
{
	switch (e->gexc) {
	case GEXC_GPSI:
		return handle_gpsi(v, e);
	case GEXC_GSFC:
		return handle_gsfc(v, e);
	case GEXC_HC: {
		uint32_t next;
		if (resume_pc(v, e, &next))
			return HCR_STOPPED;
		enum hc_result r = hypercall(v, (e->badinstr >> 11) & 0x3ff);
		if (r != HCR_STOPPED)
			v->pc = next;
		return r;
	}
	case GEXC_GRR:
		stop_with_report(v, e, "reserved instruction");
		return HCR_STOPPED;
	default:
		stop_with_report(v, e, "unexpected guest exit");
		return HCR_STOPPED;
	}
}

/* The statistics' kind of an exit. */
static enum hv_exit_kind exit_kind(const struct exit_info *e)
{
	switch (e->exc) {
	case EXC_INT:
		/* Nothing but the timer is enabled in root Status.IM. */
		return (e->cause & CAUSE_IP7) ? HV_EXIT_TIMER : HV_EXIT_OTHER;
	case EXC_GE:
		switch (e->gexc) {
		case GEXC_GPSI: return HV_EXIT_GPSI;
		case GEXC_GSFC: return HV_EXIT_GSFC;
		case GEXC_HC:   return HV_EXIT_HC;
		case GEXC_GRR:  return HV_EXIT_GRR;
		default:        return HV_EXIT_OTHER;
		}
	case EXC_MOD:
	case EXC_TLBL:
	case EXC_TLBS:
		return HV_EXIT_GPA;
	default:
		return HV_EXIT_OTHER;
	}
}

/*
 * What an exit costs in root: root Count from the exit vector (start.S
 * notes it in vcpu->exit_count) to just before the eret that enters the
 * next guest (vcpu->load_count, also start.S).  That eret comes after
 * this function returns, so the cost of one exit is known only at the
 * next one: `measuring` holds the exit whose cost is still open.  The
 * last exit of the run (the one that finds no guest left) is never
 * closed, and is not counted.
 */
static struct {
	int open;
	enum hv_exit_kind kind;
	uint32_t start;                 /* root Count at its exit vector */
} measuring;

static void exit_cost_close(const struct vcpu *entered)
{
	if (measuring.open)
		stats_exit_cost(measuring.kind, entered->load_count - measuring.start);
}

struct vcpu *hv_handle_exit(struct vcpu *v)
{
	struct exit_info e;
	enum hc_result r = HCR_CONTINUE;
	int preempt = 0;

	/* v was entered by the previous exit: that one's cost is known. */
	exit_cost_close(v);
	/* Guest time ends here; the handling is the hypervisor's. */
	v->stats.ticks += v->exit_count - v->load_count;
	e.cause = read_c0_cause();
	e.gctl0 = read_c0_guestctl0();
	e.badvaddr = read_c0_badvaddr();
	e.badinstr = read_c0_badinstr();
	e.badinstrp = read_c0_badinstrp();
	e.exc = CAUSE_EXC(e.cause);
	e.gexc = GC0_GEXC(e.gctl0);

	enum hv_exit_kind kind = exit_kind(&e);
	v->stats.exits[kind]++;
	measuring.open = 1;
	measuring.kind = kind;
	measuring.start = v->exit_count;

	trace_vcpu_exit(v, UTM_CODE(e.exc, e.exc == EXC_GE ? e.gexc : 0,
				    e.exc == EXC_GE && e.gexc == GEXC_HC ?
				    (e.badinstr >> 11) & 0x3ff : 0));

	switch (e.exc) {
	case EXC_INT:
		if (kind == HV_EXIT_TIMER)
			irq_tick(v);
		preempt = kind == HV_EXIT_TIMER && sched_should_preempt(v);
		break;
	case EXC_GE:
		r = handle_guest_exit(v, &e);
		break;
	case EXC_MOD:
	case EXC_TLBL:
	case EXC_TLBS:
		if (e.gexc != GEXC_GPA) {
			stop_with_report(v, &e, "root TLB fault without a guest physical address");
			r = HCR_STOPPED;
		} else if (e.badvaddr >= v->win_size && handle_mmio(v, &e, &r) == 0) {
			/* a Linux guest's device, emulated */
		} else if (gpa_handle_fault(v, e.badvaddr)) {
			stop_with_report(v, &e, "access outside its guest-physical memory");
			r = HCR_STOPPED;
		}
		break;
	default:
		stop_with_report(v, &e, "unexpected exception");
		r = HCR_STOPPED;
		break;
	}

	if (preempt)
		v->stats.preemptions++;
	struct vcpu *next = v;
	if (preempt || r == HCR_YIELD || v->state != VCPU_RUNNABLE)
		next = sched_next(v);
	else
		trace_vcpu_entry(v);
	/* start.S notes next->load_count just before its eret. */
	return next;
}

/* The hypervisor itself took an exception: a bug.  Say where, stop. */
void hv_root_fault(void)
{
	uint32_t cause = read_c0_cause();
	hv_printf("hv: PANIC: root exception %s cause=%x epc=%x badvaddr=%x\n",
		  exc_names[CAUSE_EXC(cause)] ? exc_names[CAUSE_EXC(cause)] : "?",
		  cause, read_c0(CP0_EPC), read_c0_badvaddr());
	hv_finish();
}
