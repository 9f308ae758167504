/*
 * The soak's detectors (detect.h).
 */
#include "detect.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <vzsim/vzsim.h>
#include <vzsoak/hypercall.h>

static const char *const kind_names[FLAG_KINDS] = {
	[FLAG_ANOMALY] = "anomaly",     [FLAG_LOCKUP] = "lockup",
	[FLAG_HEARTBEAT] = "heartbeat", [FLAG_EXIT] = "exit",
	[FLAG_KILLED] = "killed",       [FLAG_CONFIG] = "config",
	[FLAG_TRACE] = "trace",
	[FLAG_CONSOLE] = "console",
	[FLAG_HV_FAILED] = "hv-failed",
	[FLAG_NO_STATUS] = "no-status", [FLAG_DEADLOCK] = "deadlock",
	[FLAG_RESET] = "reset",         [FLAG_HALTED] = "halted",
};

const char *flag_kind_name(enum flag_kind kind)
{
	return kind < FLAG_KINDS ? kind_names[kind] : "?";
}

/* The titles of the kinds whose failure the kind alone tells (docs/
 * soak.md "Titles"); an anomaly's comes from its code (anomaly_title). */
static const char *const kind_titles[FLAG_KINDS] = {
	[FLAG_LOCKUP] = "lockup: the same TLB fault repeats",
	[FLAG_HEARTBEAT] = "heartbeat lost",
	[FLAG_EXIT] = "guest stopped with an error status",
	[FLAG_KILLED] = "guest killed by the hypervisor",
	[FLAG_CONFIG] = "config: the guest kernel runs another tlbp-check than the scenario",
	[FLAG_TRACE] = "trace detector",
	[FLAG_CONSOLE] = "Linux: the console tells of a failure",
	[FLAG_HV_FAILED] = "hypervisor: boot arguments or a guest image refused",
	[FLAG_NO_STATUS] = "hypervisor: no status block",
	[FLAG_DEADLOCK] = "deadlock: WAIT with nothing to wake the CPU",
	[FLAG_RESET] = "board reset with guests still running",
	[FLAG_HALTED] = "halted: the core entered debug mode",
};

const char *flag_kind_title(enum flag_kind kind)
{
	return kind < FLAG_KINDS ? kind_titles[kind] : NULL;
}

const char *status_state_name(uint32_t state)
{
	switch (state) {
	case STATUS_BOOTING: return "booting";
	case STATUS_RUNNING: return "running";
	case STATUS_FINISHED: return "finished";
	case STATUS_FAILED: return "failed";
	default: return "in an unknown state";
	}
}

const char *flag_title(const struct flag *f)
{
	return f->title;
}

/* Every code the guests can report (the lists in the ABI headers), with
 * what its detail word holds. */
enum detail_kind { DETAIL_PAGEMASK, DETAIL_VA, DETAIL_BADVADDR, DETAIL_CAUSE,
		   DETAIL_VALUE };

static const char *const detail_names[] = {
	[DETAIL_PAGEMASK] = "PageMask", [DETAIL_VA] = "VA",
	[DETAIL_BADVADDR] = "BadVAddr", [DETAIL_CAUSE] = "Cause",
	[DETAIL_VALUE] = "detail",
};

static const struct anomaly {
	uint32_t code;
	enum detail_kind detail;
	const char *name;
} anomalies[] = {
#define ANOMALY(code, sym, detail, name) {code, DETAIL_##detail, name},
	KS_ANOMALIES(ANOMALY)
	HC_ANOMALIES(ANOMALY)
#undef ANOMALY
};

static const struct anomaly *anomaly_of(uint32_t code)
{
	for (size_t i = 0; i < sizeof anomalies / sizeof anomalies[0]; i++)
		if (anomalies[i].code == code)
			return &anomalies[i];
	return NULL;
}

const char *anomaly_name(uint32_t code)
{
	const struct anomaly *a = anomaly_of(code);
	return a ? a->name : NULL;
}

unsigned pagemask_kib(uint32_t pagemask)
{
	/* Each mask bit pair from bit 13 up quadruples the 4K page. */
	return 4u << __builtin_popcount(pagemask & 0x1fffe000u);
}

const char *anomaly_title(uint32_t code, uint32_t detail, char *buf, size_t len)
{
	const struct anomaly *a = anomaly_of(code);
	char size[16];
	if (!a) {
		/* A newer guest's: the code is all there is, and it is stable. */
		snprintf(buf, len, "unknown anomaly 0x%02" PRIx32, code);
		return buf;
	}
	switch (a->detail) {
	case DETAIL_PAGEMASK:
		/* The size, not the mask: a page shrinking to 4K is one
		 * failure whatever else the handler left in the register. */
		snprintf(buf, len, "%s: PageMask 16K -> %s after a TLB handler",
			 pagemask_kib(detail) < 16 ? "shrinking page" : "page size changed",
			 pagemask_size(detail, size, sizeof size));
		break;
	case DETAIL_CAUSE: {
		/* The exception tells one bug from another; a reserved
		 * ExcCode is named as such, not by its number. */
		const char *exc = vzsim_exc_name((detail >> 2) & 31);
		snprintf(buf, len, "%s (%s)", a->name,
			 strcmp(exc, "?") ? exc : "reserved ExcCode");
		break;
	}
	default:
		snprintf(buf, len, "%s", a->name);
		break;
	}
	return buf;
}

void detect_init(struct detector *d, uint64_t heartbeat_timeout,
		 uint32_t repeat_limit, uint32_t tlbp_check)
{
	memset(d, 0, sizeof *d);
	d->heartbeat_timeout = heartbeat_timeout;
	d->repeat_limit = repeat_limit;
	d->tlbp_check = tlbp_check;
	d->guest_reports = true;
}

void detect_without_guest_reports(struct detector *d)
{
	d->guest_reports = false;
	d->heartbeat_timeout = 0;
	d->repeat_limit = 0;
}

/* A tlbp-check flavour as the scenario spells it; a number for a value
 * no flavour has (a kernel whose block means something else there). */
static const char *tlbp_name(uint32_t flavour, char *buf, size_t len)
{
	static const char *const names[] = {
		[GCONF_TLBP_OFF] = "off", [GCONF_TLBP_INDEX] = "index",
		[GCONF_TLBP_ON] = "on",
	};
	if (flavour < sizeof names / sizeof names[0])
		return names[flavour];
	snprintf(buf, len, "%" PRIu32, flavour);
	return buf;
}

/* Raises (guest, kind) once, titled `title` (NULL: the kind's title);
 * returns 1 if it is new. */
static unsigned raise_flag(struct detector *d, const struct soak_view *v,
			   unsigned guest, enum flag_kind kind, const char *title,
			   const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static unsigned raise_flag(struct detector *d, const struct soak_view *v,
			   unsigned guest, enum flag_kind kind, const char *title,
			   const char *fmt, ...)
{
	char msg[sizeof d->flags[0].msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return detect_add(d, guest, kind, v->insns, v->sim_ns, v->wall, title, msg);
}

const char *pagemask_size(uint32_t pagemask, char *buf, unsigned len)
{
	unsigned kib = pagemask_kib(pagemask);
	if (kib >= 1024)
		snprintf(buf, len, "%uM", kib / 1024);
	else
		snprintf(buf, len, "%uK", kib);
	return buf;
}

/* This run's details of the first anomaly a guest reported (its title
 * says what it is; it is the cause, later ones are usually its
 * consequences, so they are only counted, and the latest named). */
static void anomaly_text(char *buf, size_t len, const struct status_guest *g,
			 bool ks_ok, const uint32_t *ks)
{
	const struct anomaly *a = anomaly_of(g->first_anomaly);
	enum detail_kind kind = a ? a->detail : DETAIL_VALUE;
	uint32_t detail = g->first_detail;
	size_t n = (size_t)snprintf(buf, len, "%s 0x%08" PRIx32, detail_names[kind],
				    detail);

	if (kind == DETAIL_PAGEMASK && ks_ok && ks[KS_PM_BAD_COUNT])
		n += (size_t)snprintf(buf + n, len > n ? len - n : 0,
				      ", left by a TLB handler at EPC 0x%08" PRIx32
				      " BadVAddr 0x%08" PRIx32 " (%" PRIu32 " time%s)",
				      ks[KS_PM_BAD_EPC], ks[KS_PM_BAD_BADVADDR],
				      ks[KS_PM_BAD_COUNT], ks[KS_PM_BAD_COUNT] == 1 ? "" : "s");
	if (g->first_anomaly == ANOM_BADDATA && ks_ok && ks[KS_BAD_WORDS])
		n += (size_t)snprintf(buf + n, len > n ? len - n : 0,
				      " (read 0x%08" PRIx32 "; %" PRIu32 " bad words)",
				      ks[KS_FIRST_BAD_GOT], ks[KS_BAD_WORDS]);
	if (g->anomalies > 1 && n < len) {
		const struct anomaly *l = anomaly_of(g->last_anomaly);
		char title[96];
		snprintf(buf + n, len - n, "; %" PRIu32 " reports, the latest: %s "
			 "(%s 0x%08" PRIx32 ")", g->anomalies,
			 anomaly_title(g->last_anomaly, g->last_detail, title, sizeof title),
			 detail_names[l ? l->detail : DETAIL_VALUE], g->last_detail);
	}
}

static unsigned check_guest(struct detector *d, const struct soak_view *v,
			    unsigned i)
{
	const struct status_guest *g = &v->st.g[i];
	const uint32_t *ks = v->ks[i];
	unsigned id = i + 1, raised = 0;

	if (d->guest_reports && g->anomalies && !(d->flagged[id] & 1u << FLAG_ANOMALY)) {
		char text[200], title[96];
		anomaly_text(text, sizeof text, g, v->ks_ok[i], ks);
		anomaly_title(g->first_anomaly, g->first_detail, title, sizeof title);
		raised += raise_flag(d, v, id, FLAG_ANOMALY, title, "%s", text);
	}
	if (v->ks_ok[i] && d->repeat_limit && ks[KS_REPEATS] >= d->repeat_limit)
		raised += raise_flag(d, v, id, FLAG_LOCKUP, NULL,
				     "repeats the same TLB fault %" PRIu32 " times: "
				     "EPC 0x%08" PRIx32 " BadVAddr 0x%08" PRIx32,
				     ks[KS_REPEATS], ks[KS_LAST_EPC],
				     ks[KS_LAST_BADVADDR]);
	/* Checked as soon as the block is trusted: the kernel writes the
	 * flavour before its magic, and runs that one from then on. */
	if (v->ks_ok[i] && ks[KS_TLBP_CHECK] != d->tlbp_check &&
	    !(d->flagged[id] & 1u << FLAG_CONFIG)) {
		char runs[16], asks[16];
		raised += raise_flag(d, v, id, FLAG_CONFIG, NULL,
				     "runs tlbp-check=%s, the scenario asks for %s",
				     tlbp_name(ks[KS_TLBP_CHECK], runs, sizeof runs),
				     tlbp_name(d->tlbp_check, asks, sizeof asks));
	}
	if (g->state == GSTATE_RUNNING) {
		if (!d->hb[i].running_seen || g->heartbeats != d->hb[i].heartbeats) {
			d->hb[i].running_seen = true;
			d->hb[i].heartbeats = g->heartbeats;
			d->hb[i].since = v->insns;
		} else if (d->heartbeat_timeout &&
			   v->insns - d->hb[i].since >= d->heartbeat_timeout) {
			raised += raise_flag(d, v, id, FLAG_HEARTBEAT, NULL,
					     "no heartbeat for %" PRIu64 " instructions: "
					     "the count stays at %" PRIu32 " since the "
					     "check at instruction %" PRIu64,
					     v->insns - d->hb[i].since, g->heartbeats,
					     d->hb[i].since);
		}
	}
	if (g->state == GSTATE_STOPPED && g->exit_status != 0)
		raised += raise_flag(d, v, id, FLAG_EXIT, NULL, "stopped with exit status %" PRIu32,
				     g->exit_status);
	if (g->state == GSTATE_KILLED)
		raised += raise_flag(d, v, id, FLAG_KILLED, NULL,
				     "killed by the hypervisor (a fault or a bad "
				     "hypercall: see console.log)");
	return raised;
}

unsigned detect_check(struct detector *d, const struct soak_view *v)
{
	if (!v->present)
		return 0;
	d->seen_status = true;
	unsigned raised = 0;
	if (v->st.state == STATUS_FAILED)
		raised += raise_flag(d, v, 0, FLAG_HV_FAILED, NULL, "the hypervisor "
				     "refused its boot arguments or a guest image "
				     "(see console.log)");
	for (unsigned i = 0; i < view_guests(v); i++)
		raised += check_guest(d, v, i);
	return raised;
}

unsigned detect_end(struct detector *d, const struct soak_view *v,
		    enum run_end end, const char *hint)
{
	unsigned raised = 0;
	if (!d->seen_status && end != END_INTERRUPTED)
		raised += raise_flag(d, v, 0, FLAG_NO_STATUS, NULL,
				     "no status block at physical 0x%08x after %" PRIu64
				     " instructions (magic 0x%08" PRIx32 ")%s%s%s",
				     STATUS_PA, v->insns, v->st.magic,
				     hint ? ": console: \"" : "", hint ? hint : "",
				     hint ? "\"" : "");
	if (end == END_DEADLOCK)
		raised += raise_flag(d, v, 0, FLAG_DEADLOCK, NULL, "the CPU waits (WAIT) "
				     "with no interrupt able to wake it");
	if (end == END_HALTED)
		raised += raise_flag(d, v, 0, FLAG_HALTED, NULL, "the core entered EJTAG "
				     "debug mode (sdbbp or a breakpoint) and waits for a probe");
	if (end == END_RESET && v->present && v->st.state != STATUS_FINISHED &&
	    v->st.state != STATUS_FAILED)
		raised += raise_flag(d, v, 0, FLAG_RESET, NULL, "the board was reset "
				     "before every guest stopped (the hypervisor was %s)",
				     status_state_name(v->st.state));
	return raised;
}

uint64_t detect_silence(const struct detector *d, const struct soak_view *v,
			unsigned g)
{
	if (!d->guest_reports || g < 1 || g > view_guests(v) ||
	    v->st.g[g - 1].state != GSTATE_RUNNING || !d->hb[g - 1].running_seen)
		return 0;
	return v->insns - d->hb[g - 1].since;
}

unsigned detect_add(struct detector *d, unsigned guest, enum flag_kind kind,
		    uint64_t insns, uint64_t sim_ns, double wall, const char *title,
		    const char *msg)
{
	if (guest > STATUS_GUESTS || d->flagged[guest] & (1u << kind) ||
	    d->nflags == DETECT_MAX_FLAGS)
		return 0;
	d->flagged[guest] |= 1u << kind;
	struct flag *f = &d->flags[d->nflags++];
	f->guest = guest;
	f->kind = kind;
	f->insns = insns;
	f->sim_ns = sim_ns;
	f->wall = wall;
	snprintf(f->title, sizeof f->title, "%s", title ? title : flag_kind_title(kind));
	snprintf(f->msg, sizeof f->msg, "%s", msg);
	return 1;
}
