/*
 * The PDtrace trace unit (trace.h): registers, filtering, and the records
 * each hook reports.  docs/pdtrace.md ("The trace unit in vzsim") lists
 * the choices; docs/trace-format.md the records.
 */
#include "trace.h"

#include "cpu.h"

#define TRC_WMASK  0xcfffffffu /* all but bits 29..28 */
#define TRC2_WMASK ((0x1fu << 7) | 7u)
#define TRC2_FIXED ((2u << 5) | (1u << 4)) /* ValidModes: PC+addr+data; TBI */

/* Instructions executed so far, idle WAIT cycles excluded. */
static inline uint64_t insn_index(const struct cpu *cpu)
{
	return cpu->icount - cpu->wait_cycles;
}

static void port_word(void *ctx, uint64_t w)
{
	struct trace_unit *t = ctx;
	if (t->port.word)
		t->port.word(t->port.ctx, w);
}

void trace_reset(struct cpu *cpu)
{
	struct trace_unit *t = &cpu->trace;
	struct trace_port port = t->port;
	*t = (struct trace_unit){0};
	t->port = port;
	t->control2 = TRC2_FIXED;
	t->next_sync = UINT64_MAX;
	pdt_enc_init(&t->enc, port_word, t);
}

static struct pdt_ctx current_ctx(const struct cpu *cpu)
{
	const struct cp0 *c = cpu_ctx_const(cpu);
	return (struct pdt_ctx){
		/* KSU 3 is reserved; the core runs it as user mode (cpu_mode). */
		.ksu = ((c->status >> 3) & 3) == 3 ? PDT_USER : (uint8_t)((c->status >> 3) & 3),
		.exl = (c->status & ST_EXL) != 0,
		.erl = (c->status & ST_ERL) != 0,
		.guest = cpu->guest,
		.asid = (uint8_t)c->entryhi,
		.guestid = cpu->guest ? cpu_guestid(cpu) : 0,
	};
}

static bool ctx_equal(const struct pdt_ctx *a, const struct pdt_ctx *b)
{
	return a->ksu == b->ksu && a->exl == b->exl && a->erl == b->erl &&
	       a->guest == b->guest && a->asid == b->asid && a->guestid == b->guestid;
}

/* TraceControl's filter: master enable, the mode's enable bit, ASID. */
static bool ctx_traced(const struct trace_unit *t, const struct pdt_ctx *c)
{
	uint32_t k = trace_control(t);
	if (!(k & TRC_ON))
		return false;
	uint32_t bit = (c->exl || c->erl) ? TRC_E
		       : c->ksu == 0      ? TRC_K
		       : c->ksu == 1      ? TRC_S
					  : TRC_U;
	if (!(k & bit))
		return false;
	if (k & TRC_G)
		return true;
	uint32_t asid = (k >> 5) & 0xffu, mask = (k >> 13) & 0xffu;
	return ((c->asid ^ asid) & ~mask & 0xffu) == 0;
}

static void put(struct trace_unit *t, const struct pdt_record *r)
{
	/* Every record built here is valid; a refusal would be a bug. */
	if (pdt_enc_record(&t->enc, r) == 0)
		t->records++;
}

/* Reports the completed instructions before index `upto`. */
static void report_insns(struct cpu *cpu, uint64_t upto)
{
	struct trace_unit *t = &cpu->trace;
	if (upto > t->mark) {
		pdt_enc_insns(&t->enc, upto - t->mark);
		t->mark = upto;
	}
}

/* An event at the end of the current instruction: everything before it,
 * the current one included, is reported first. */
static void event_point(struct cpu *cpu)
{
	report_insns(cpu, insn_index(cpu));
	pdt_enc_flush_pending(&cpu->trace.enc);
}

static void schedule_sync(struct cpu *cpu, uint64_t at)
{
	cpu->trace.next_sync = at;
	cpu_update_next_event(cpu);
}

void trace_refilter(struct cpu *cpu)
{
	struct trace_unit *t = &cpu->trace;
	struct pdt_ctx c = current_ctx(cpu);
	if (!ctx_traced(t, &c)) {
		if (t->active && t->have_ctx) /* leaving traced code: flush */
			event_point(cpu);
		t->active = false;
		t->have_ctx = false;
		t->next_sync = UINT64_MAX;
		return;
	}
	if (!t->active) {
		/* Tracing (re)starts: a SYNC between instructions. */
		t->active = true;
		t->have_ctx = false;
		schedule_sync(cpu, cpu->icount);
		return;
	}
	if (t->have_ctx && !ctx_equal(&c, &t->ctx)) {
		event_point(cpu);
		put(t, &(struct pdt_record){.type = PDT_MODE, .mode = c});
		t->ctx = c;
	}
}

void trace_sync_due(struct cpu *cpu)
{
	struct trace_unit *t = &cpu->trace;
	if (!t->active) {
		t->next_sync = UINT64_MAX;
		return;
	}
	if (cpu->in_ds) {
		/* A flow decoder cannot start in a delay slot: one more step. */
		schedule_sync(cpu, cpu->icount + 1);
		return;
	}
	if (t->have_ctx)
		report_insns(cpu, insn_index(cpu));
	pdt_enc_flush_pending(&t->enc);
	struct pdt_ctx c = current_ctx(cpu);
	put(t, &(struct pdt_record){.type = PDT_SYNC,
				    .sync = {.pc = cpu->pc, .ctx = c,
					     .index = insn_index(cpu)}});
	t->ctx = c;
	t->have_ctx = true;
	t->mark = insn_index(cpu);
	unsigned syp = trace_control2(t) & 7u;
	schedule_sync(cpu, cpu->icount + (1ull << (syp + 5)));
}

void trace_branch(struct cpu *cpu, bool taken)
{
	struct trace_unit *t = &cpu->trace;
	if (!t->have_ctx)
		return;
	/* The branch itself is the current instruction: not in the count. */
	report_insns(cpu, insn_index(cpu) - 1);
	pdt_enc_branch(&t->enc, taken);
	t->mark = insn_index(cpu);
}

void trace_target(struct cpu *cpu, uint32_t target)
{
	struct trace_unit *t = &cpu->trace;
	if (!t->have_ctx)
		return;
	event_point(cpu);
	put(t, &(struct pdt_record){.type = PDT_TARGET, .target = {.pc = target}});
}

void trace_exception(struct cpu *cpu, unsigned code, bool root, uint32_t vector)
{
	struct trace_unit *t = &cpu->trace;
	if (!t->have_ctx)
		return;
	/* Completed: everything before the faulting instruction.  A fetch
	 * fault is counted after it is raised; an interrupt comes between
	 * instructions. */
	uint64_t i = insn_index(cpu);
	uint64_t upto = (cpu->fetching || code == EXC_INT) ? i : i - 1;
	report_insns(cpu, upto);
	pdt_enc_flush_pending(&t->enc);
	put(t, &(struct pdt_record){.type = PDT_EXCEPTION,
				    .exc = {.code = (uint8_t)code,
					    .root = root && cpu->guest,
					    .vector = vector}});
	t->mark = cpu->fetching ? i + 1 : i;
}

void trace_mem(struct cpu *cpu, bool store, unsigned size, uint32_t addr,
	       uint32_t data)
{
	struct trace_unit *t = &cpu->trace;
	if (!t->have_ctx)
		return;
	uint32_t c2 = trace_control2(t);
	bool with_data = store ? (c2 & TRC2_MODE_SD) : (c2 & TRC2_MODE_LD);
	event_point(cpu);
	put(t, &(struct pdt_record){.type = PDT_MEM,
				    .mem = {.store = store, .has_data = with_data,
					    .size = (uint8_t)size, .addr = addr,
					    .data = with_data ? data : 0}});
}

void trace_flush(struct cpu *cpu)
{
	struct trace_unit *t = &cpu->trace;
	if (t->have_ctx)
		report_insns(cpu, insn_index(cpu));
	pdt_enc_flush_pending(&t->enc);
	pdt_enc_flush(&t->enc);
}

static void utm(struct cpu *cpu, unsigned chan, uint32_t v)
{
	struct trace_unit *t = &cpu->trace;
	if (!t->have_ctx)
		return;
	event_point(cpu);
	put(t, &(struct pdt_record){.type = PDT_UTM,
				    .utm = {.chan = (uint8_t)chan, .value = v}});
}

bool trace_cp0_read(struct cpu *cpu, unsigned reg, unsigned sel, uint32_t *v)
{
	const struct trace_unit *t = &cpu->trace;
	switch (reg << 3 | sel) {
	case 23 << 3 | 1: *v = t->control; return true;
	case 23 << 3 | 2: *v = t->control2 | (t->port.word ? (1u << 3) : 0); return true;
	case 23 << 3 | 3: *v = t->utd1; return true;
	case 23 << 3 | 4: *v = t->ibpc; return true;
	case 23 << 3 | 5: *v = t->dbpc; return true;
	case 24 << 3 | 2: *v = t->control3; return true;
	case 24 << 3 | 3: *v = t->utd2; return true;
	default: return false;
	}
}

/* Changing what is traced may switch the interpreter loop (trace hooks or
 * none): make it look around before the next instruction. */
static void controls_changed(struct cpu *cpu)
{
	cpu->loop_reselect = true;
	cpu->next_event = cpu->icount;
	trace_refilter(cpu);
}

bool trace_cp0_write(struct cpu *cpu, unsigned reg, unsigned sel, uint32_t v)
{
	struct trace_unit *t = &cpu->trace;
	switch (reg << 3 | sel) {
	case 23 << 3 | 1:
		t->control = v & TRC_WMASK;
		controls_changed(cpu);
		return true;
	case 23 << 3 | 2:
		t->control2 = (v & TRC2_WMASK) | TRC2_FIXED;
		return true;
	case 23 << 3 | 3:
		t->utd1 = v;
		utm(cpu, 1, v);
		return true;
	case 23 << 3 | 4: t->ibpc = v; return true; /* triggers: stored only */
	case 23 << 3 | 5: t->dbpc = v; return true;
	case 24 << 3 | 2: return true; /* TraceControl3: nothing implemented */
	case 24 << 3 | 3:
		t->utd2 = v;
		utm(cpu, 2, v);
		return true;
	default:
		return false;
	}
}

void trace_set_debugger_controls(struct cpu *cpu, uint32_t control,
				 uint32_t control2)
{
	cpu->trace.tcb_control = control;
	cpu->trace.tcb_control2 = (control2 & TRC2_WMASK) | TRC2_FIXED;
	controls_changed(cpu);
}
