/*
 * The report's replays (report.h).  vzsim is deterministic: the same
 * scenario, seed and board options run the same instructions at the same
 * counts, whatever the slices, so the run can be traced after the fact
 * and stopped exactly after any instruction to read what a trace cannot
 * carry (the guest's registers, the TLB).  Both replays trace the same way
 * (the second into /dev/null), so that nothing differs between them but
 * where they stop.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../cli.h"
#include "../console_watch.h"
#include "../memimage.h"
#include "../run.h"
#include "../target.h"
#include "report.h"

static const char *const reg_names[SR_COUNT] = {
	[SR_BADVADDR] = "BadVAddr", [SR_ENTRYHI] = "EntryHi", [SR_INDEX] = "Index",
	[SR_PAGEMASK] = "PageMask", [SR_ENTRYLO0] = "EntryLo0", [SR_ENTRYLO1] = "EntryLo1",
	[SR_STATUS] = "Status",     [SR_CAUSE] = "Cause",     [SR_EPC] = "EPC",
};

/* Their CP0 numbers (register, select). */
static const unsigned char reg_num[SR_COUNT][2] = {
	[SR_BADVADDR] = {8, 0}, [SR_ENTRYHI] = {10, 0}, [SR_INDEX] = {0, 0},
	[SR_PAGEMASK] = {5, 0}, [SR_ENTRYLO0] = {2, 0}, [SR_ENTRYLO1] = {3, 0},
	[SR_STATUS] = {12, 0},  [SR_CAUSE] = {13, 0},   [SR_EPC] = {14, 0},
};

#define CP0_GUESTCTL1 10, 4

const char *story_reg_name(enum story_reg r)
{
	return r < SR_COUNT ? reg_names[r] : "?";
}

static vzsim *open_traced(const struct report_input *in, const char *trace, char *err,
			  size_t errlen)
{
	vzsim *sim = target_open(&in->scn, in->hv, err, errlen);
	if (!sim)
		return NULL;
	/* The replay's console is the run's: console.log has it. */
	vzsim_uart_output(sim, NULL);
	struct vzsim_trace_opts topts = {.syp = 5, .command = in->repro};
	char why[512];
	if (vzsim_trace_start(sim, trace, &topts, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s: %s", trace, why);
		vzsim_free(sim);
		return NULL;
	}
	return sim;
}

int replay_trace(const struct report_input *in, const char *trace, uint64_t until,
		 struct detector *d, struct soak_view *v, char *err, size_t errlen)
{
	vzsim *sim = open_traced(in, trace, err, errlen);
	if (!sim)
		return -1;
	/* The console goes nowhere (console.log has the run's), but what a
	 * Linux guest's says flags the replay as it flagged the run. */
	struct console_watch cw;
	console_watch_init(&cw);
	FILE *console = tmpfile();
	if (!console || console_watch_stream(&cw, console) != 0) {
		snprintf(err, errlen, "a temporary file for the console: %s", strerror(errno));
		if (console)
			fclose(console);
		vzsim_free(sim);
		return -1;
	}
	vzsim_uart_output(sim, console);
	static const volatile sig_atomic_t never;
	struct progress p;
	const struct scenario *s = &in->scn;
	detect_init(d, s->heartbeat_timeout, s->repeat_limit, s->tlbp_check);
	/* As the run judged it: guests that report nothing are not silent. */
	if (!s->selfcheck)
		detect_without_guest_reports(d);
	progress_init(&p, stderr, true, s->duration, s->heartbeat_timeout);
	struct target_vzsim tv;
	target_vzsim_init(&tv, sim);
	enum run_end end = soak_checks(&tv.t, s, until ? until : s->duration, d, &cw, &p, v, &never);
	console_watch_end(&cw, d, v, s->duration);
	detect_end(d, v, end, NULL);
	vzsim_uart_output(sim, NULL);
	console_watch_free(&cw);
	fclose(console);
	char why[512];
	int rc = vzsim_trace_finish(sim, why, sizeof why);
	/* Its Linux guests' kernels as they ran, beside it (memimage.h). */
	if (!rc && memimage_write(sim, v, trace, why, sizeof why) < 0)
		rc = -1;
	vzsim_free(sim);
	if (rc) {
		snprintf(err, errlen, "%s: %s", trace, why);
		return -1;
	}
	return 0;
}

/* Whether TLB entry e maps va (its VPN2 under its PageMask). */
static bool maps(const struct vzsim_tlb_entry *e, uint32_t va)
{
	uint32_t mask = ~(e->pagemask | 0x1fffu);
	return (e->entryhi & mask) == (va & mask);
}

/* The second replay's record of TLB writes (vzsim_set_tlb_hook). */
struct tlb_record {
	struct tlb_writer last[256]; /* by entry */
	struct replay_watch *watch;
};

static const char *const how_names[] = {
	[VZSIM_TLB_TLBWI] = "tlbwi",     [VZSIM_TLB_TLBWR] = "tlbwr",
	[VZSIM_TLB_TLBINV] = "tlbinv",   [VZSIM_TLB_TLBINVF] = "tlbinvf",
	[VZSIM_TLB_TLBGWI] = "tlbgwi",   [VZSIM_TLB_TLBGWR] = "tlbgwr",
	[VZSIM_TLB_TLBGINV] = "tlbginv", [VZSIM_TLB_TLBGINVF] = "tlbginvf",
	[VZSIM_TLB_API] = "a write through the API",
};

const char *tlb_how_name(enum vzsim_tlb_how how)
{
	return how < sizeof how_names / sizeof how_names[0] && how_names[how] ? how_names[how]
									   : "?";
}

static void on_tlb_write(void *ctx, const struct vzsim_tlb_write_event *e)
{
	struct tlb_record *rec = ctx;
	if (e->entry < 256)
		rec->last[e->entry] = (struct tlb_writer){true, e->index, e->guest, e->guestid,
							  e->how};
	struct replay_watch *w = rec->watch;
	if (!w || e->index < w->from || e->index > w->to || w->nev == REPLAY_MAX_EVICTIONS)
		return;
	/* The guest's own writes are its handler's business. */
	if (e->guest && e->guestid == w->guest)
		return;
	const struct vzsim_tlb_entry *b = &e->before, *a = &e->after;
	if (!b->guest || b->invalid || b->guestid != w->guest || !maps(b, w->va))
		return;
	if (!a->invalid && a->guest && a->guestid == w->guest && maps(a, w->va))
		return; /* still its entry for the address */
	w->ev[w->nev++].ev = *e;
}

static void read_state(vzsim *sim, unsigned guest, uint32_t va, const struct tlb_record *rec,
		       struct replay_state *st)
{
	memset(st, 0, sizeof *st);
	st->valid = true;
	st->in_guest = vzsim_in_guest(sim);
	uint32_t gc1 = 0;
	vzsim_cp0_read(sim, CP0_GUESTCTL1, &gc1);
	st->guestid = gc1 & 0xffu;
	for (unsigned r = 0; r < SR_COUNT; r++)
		vzsim_guest_cp0_read(sim, reg_num[r][0], reg_num[r][1], &st->cp0[r]);
	for (unsigned r = 0; r < 32; r++)
		st->gpr[r] = vzsim_gpr(sim, r);
	/* The guest's entries: those that map va first, then the others. */
	unsigned guest_entries = 0;
	unsigned n = vzsim_tlb_size(sim, &guest_entries);
	st->guest_base = n - guest_entries;
	for (int pass = 0; pass < 2; pass++)
		for (unsigned i = 0; i < n && st->ntlb < STORY_TLB_ROWS; i++) {
			struct vzsim_tlb_entry e;
			if (vzsim_tlb_read(sim, i, &e) != 0 || !e.guest || e.invalid ||
			    e.guestid != guest || maps(&e, va) != (pass == 0))
				continue;
			st->tlb[st->ntlb].entry = i;
			st->tlb[st->ntlb].e = e;
			st->tlb[st->ntlb].by = i < 256 ? rec->last[i] : (struct tlb_writer){0};
			st->ntlb++;
			st->nmaps += pass == 0;
		}
}

int replay_states(const struct report_input *in, const uint64_t *at, size_t n,
		  const unsigned *guest, const uint32_t *va, struct replay_state *out,
		  struct replay_watch *watch, char *err, size_t errlen)
{
	vzsim *sim = open_traced(in, "/dev/null", err, errlen);
	if (!sim)
		return -1;
	static struct tlb_record rec;
	memset(&rec, 0, sizeof rec);
	rec.watch = watch;
	if (watch)
		watch->nev = 0;
	vzsim_set_tlb_hook(sim, on_tlb_write, &rec);
	struct vzsim_stats stats;
	for (size_t i = 0; i < n; i++) {
		vzsim_get_stats(sim, &stats);
		uint64_t want = at[i] + 1; /* the state after instruction at[i] */
		if (want > stats.insns) {
			enum vzsim_stop why = vzsim_run(sim, want - stats.insns);
			vzsim_get_stats(sim, &stats);
			if (why != VZSIM_STOP_BUDGET && stats.insns < want) {
				memset(&out[i], 0, sizeof out[i]);
				continue; /* the run ended before it: no state */
			}
		}
		read_state(sim, guest[i], va[i], &rec, &out[i]);
	}
	char why[512];
	vzsim_trace_finish(sim, why, sizeof why);
	vzsim_free(sim);
	return 0;
}
