/*
 * The soak's detectors (detect.h).
 */
#include "detect.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <vzsoak/hypercall.h>

static const char *const kind_names[FLAG_KINDS] = {
	[FLAG_ANOMALY] = "anomaly",     [FLAG_LOCKUP] = "lockup",
	[FLAG_HEARTBEAT] = "heartbeat", [FLAG_EXIT] = "exit",
	[FLAG_KILLED] = "killed",       [FLAG_CONFIG] = "config",
	[FLAG_HV_FAILED] = "hv-failed",
	[FLAG_NO_STATUS] = "no-status", [FLAG_DEADLOCK] = "deadlock",
	[FLAG_RESET] = "reset",
};

const char *flag_kind_name(enum flag_kind kind)
{
	return kind < FLAG_KINDS ? kind_names[kind] : "?";
}

void detect_init(struct detector *d, uint64_t heartbeat_timeout,
		 uint32_t repeat_limit, uint32_t tlbp_check)
{
	memset(d, 0, sizeof *d);
	d->heartbeat_timeout = heartbeat_timeout;
	d->repeat_limit = repeat_limit;
	d->tlbp_check = tlbp_check;
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

/* Raises (guest, kind) once; returns 1 if it is new. */
static unsigned raise_flag(struct detector *d, const struct soak_view *v,
			   unsigned guest, enum flag_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static unsigned raise_flag(struct detector *d, const struct soak_view *v,
			   unsigned guest, enum flag_kind kind, const char *fmt, ...)
{
	if (d->flagged[guest] & (1u << kind) || d->nflags == DETECT_MAX_FLAGS)
		return 0;
	d->flagged[guest] |= 1u << kind;
	struct flag *f = &d->flags[d->nflags++];
	f->guest = guest;
	f->kind = kind;
	f->insns = v->insns;
	f->sim_ns = v->sim_ns;
	f->wall = v->wall;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof f->msg, fmt, ap);
	va_end(ap);
	return 1;
}

const char *pagemask_size(uint32_t pagemask, char *buf, unsigned len)
{
	/* Each mask bit pair from bit 13 up quadruples the 4K page. */
	unsigned bits = (unsigned)__builtin_popcount(pagemask & 0x1fffe000u);
	unsigned kib = 4u << bits;
	if (kib >= 1024)
		snprintf(buf, len, "%uM", kib / 1024);
	else
		snprintf(buf, len, "%uK", kib);
	return buf;
}

/* The first anomaly a guest reported, in words (it is the cause; later
 * ones are usually its consequences, so they are only counted). */
static void anomaly_text(char *buf, size_t len, const struct status_guest *g,
			 bool ks_ok, const uint32_t *ks)
{
	char size[16];
	size_t n = 0;
	uint32_t detail = g->first_detail;

	switch (g->first_anomaly) {
	case ANOM_PAGEMASK:
		pagemask_size(detail, size, sizeof size);
		n = (size_t)snprintf(buf, len, "PageMask 16K -> %s (%s): PageMask 0x%08" PRIx32,
				     size, detail & 0x1fffe000u & ~0x6000u ?
				     "page size changed" : "shrinking page", detail);
		if (ks_ok && ks[KS_PM_BAD_COUNT])
			n += (size_t)snprintf(buf + n, len > n ? len - n : 0,
					      ", left by a TLB handler at EPC 0x%08" PRIx32
					      " BadVAddr 0x%08" PRIx32 " (%" PRIu32 " time%s)",
					      ks[KS_PM_BAD_EPC], ks[KS_PM_BAD_BADVADDR],
					      ks[KS_PM_BAD_COUNT], ks[KS_PM_BAD_COUNT] == 1 ? "" : "s");
		break;
	case ANOM_BADDATA:
		n = (size_t)snprintf(buf, len, "word read back wrong at VA 0x%08" PRIx32,
				     detail);
		if (ks_ok && ks[KS_BAD_WORDS])
			n += (size_t)snprintf(buf + n, len > n ? len - n : 0,
					      " (read 0x%08" PRIx32 "; %" PRIu32 " bad words)",
					      ks[KS_FIRST_BAD_GOT], ks[KS_BAD_WORDS]);
		break;
	case ANOM_NOPAGE:
		n = (size_t)snprintf(buf, len, "kernel-mode fault with no PTE at "
				     "BadVAddr 0x%08" PRIx32, detail);
		break;
	case ANOM_KFAULT:
		n = (size_t)snprintf(buf, len, "unexpected kernel-mode exception: "
				     "Cause 0x%08" PRIx32 " (ExcCode %" PRIu32 ")",
				     detail, (detail >> 2) & 31);
		break;
	default:
		n = (size_t)snprintf(buf, len, "anomaly 0x%02" PRIx32 " detail 0x%08" PRIx32,
				     g->first_anomaly, detail);
		break;
	}
	if (g->anomalies > 1 && n < len)
		snprintf(buf + n, len - n, "; %" PRIu32 " reports, the latest "
			 "0x%02" PRIx32 " detail 0x%08" PRIx32, g->anomalies,
			 g->last_anomaly, g->last_detail);
}

static unsigned check_guest(struct detector *d, const struct soak_view *v,
			    unsigned i)
{
	const struct status_guest *g = &v->st.g[i];
	const uint32_t *ks = v->ks[i];
	unsigned id = i + 1, raised = 0;

	if (g->anomalies && !(d->flagged[id] & 1u << FLAG_ANOMALY)) {
		char text[200];
		anomaly_text(text, sizeof text, g, v->ks_ok[i], ks);
		raised += raise_flag(d, v, id, FLAG_ANOMALY, "%s", text);
	}
	if (v->ks_ok[i] && d->repeat_limit && ks[KS_REPEATS] >= d->repeat_limit)
		raised += raise_flag(d, v, id, FLAG_LOCKUP,
				     "repeats the same TLB fault %" PRIu32 " times: "
				     "EPC 0x%08" PRIx32 " BadVAddr 0x%08" PRIx32,
				     ks[KS_REPEATS], ks[KS_LAST_EPC],
				     ks[KS_LAST_BADVADDR]);
	/* Checked as soon as the block is trusted: the kernel writes the
	 * flavour before its magic, and runs that one from then on. */
	if (v->ks_ok[i] && ks[KS_TLBP_CHECK] != d->tlbp_check &&
	    !(d->flagged[id] & 1u << FLAG_CONFIG)) {
		char runs[16], asks[16];
		raised += raise_flag(d, v, id, FLAG_CONFIG,
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
			raised += raise_flag(d, v, id, FLAG_HEARTBEAT,
					     "no heartbeat for %" PRIu64 " instructions: "
					     "the count stays at %" PRIu32 " since the "
					     "check at instruction %" PRIu64,
					     v->insns - d->hb[i].since, g->heartbeats,
					     d->hb[i].since);
		}
	}
	if (g->state == GSTATE_STOPPED && g->exit_status != 0)
		raised += raise_flag(d, v, id, FLAG_EXIT, "stopped with exit status %" PRIu32,
				     g->exit_status);
	if (g->state == GSTATE_KILLED)
		raised += raise_flag(d, v, id, FLAG_KILLED,
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
		raised += raise_flag(d, v, 0, FLAG_HV_FAILED, "the hypervisor "
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
		raised += raise_flag(d, v, 0, FLAG_NO_STATUS,
				     "no status block at physical 0x%08x after %" PRIu64
				     " instructions (magic 0x%08" PRIx32 ")%s%s%s",
				     STATUS_PA, v->insns, v->st.magic,
				     hint ? ": console: \"" : "", hint ? hint : "",
				     hint ? "\"" : "");
	if (end == END_DEADLOCK)
		raised += raise_flag(d, v, 0, FLAG_DEADLOCK, "the CPU waits (WAIT) "
				     "with no interrupt able to wake it");
	if (end == END_RESET && v->present && v->st.state != STATUS_FINISHED &&
	    v->st.state != STATUS_FAILED)
		raised += raise_flag(d, v, 0, FLAG_RESET, "the board was reset "
				     "before every guest stopped (status state %" PRIu32 ")",
				     v->st.state);
	return raised;
}

uint64_t detect_silence(const struct detector *d, const struct soak_view *v,
			unsigned g)
{
	if (g < 1 || g > view_guests(v) || v->st.g[g - 1].state != GSTATE_RUNNING ||
	    !d->hb[g - 1].running_seen)
		return 0;
	return v->insns - d->hb[g - 1].since;
}
