/*
 * hypercall.c: the services a guest asks for with `hypcall CODE`.
 * Arguments in a0..a3, result in v0, as a guest C function call would
 * have them (the codes: include/vzsoak/hypercall.h; guests/guest.h has
 * the guest side):
 *
 *   1 console write  a0 = buffer (guest kseg0/kseg1), a1 = length (<= 4096)
 *   2 heartbeat      a0 = the guest's counter      -> UTM heartbeat, status
 *   3 trace marker   a0 = any value                -> UTM marker
 *   4 anomaly        a0 = code, a1 = detail        -> console, UTM, status
 *   5 stop           a0 = exit status              the guest is done
 *   6 yield          give the rest of the slice to the next guest
 *   7 kstats         a0 = the guest's statistics block (guest kseg0),
 *                    a1 = its size in words (<= 1024): published in the
 *                    status block for the harness to read live
 *   8 config         a0 = GCONF_ key -> v0 = value (-1: no such key)
 *   9 doorbell       a0 = root Count ticks: raise the guest's IP2 at the
 *                    first timer tick or switch-in after them (irq.c)
 *  10 doorbell ack   lower it
 *
 * Any other code stops the guest: a guest cannot make the hypervisor do
 * something it did not define.
 */
#include <vzsoak/hypercall.h>

#include "hv.h"

#define HC_CONSOLE_MAX 4096u
#define HC_KSTATS_MAX  1024u

static uint32_t config(const struct vcpu *v, uint32_t key)
{
	switch (key) {
	case GCONF_GUESTID:      return v->id;
	case GCONF_SEED:         return hv_args.seed;
	case GCONF_TLBP_CHECK:   return hv_args.tlbp_check;
	case GCONF_CRASHME:      return hv_args.crashme;
	case GCONF_WORKER_PAGES: return hv_args.worker_pages;
	case GCONF_GUESTS:       return hv_args.guests;
	case GCONF_ROUNDS:       return hv_args.rounds;
	case GCONF_SELFCHECK:    return hv_args.selfcheck;
	case GCONF_PRESERVE:     return hv_args.preserve;
	case GCONF_SLICE: /* saturated */
		return hv_args.quantum + hv_args.jitter < hv_args.quantum ? 0xffffffffu :
		       hv_args.quantum + hv_args.jitter;
	default:                 return (uint32_t)-1;
	}
}

enum hc_result hypercall(struct vcpu *v, unsigned code)
{
	uint32_t a0 = v->gpr[4], a1 = v->gpr[5];

	switch (code) {
	case HC_CONSOLE: {
		const char *buf = gpa_to_root(v, a0, a1);
		if (a1 > HC_CONSOLE_MAX || (a1 && !buf)) {
			v->gpr[2] = (uint32_t)-1;
			return HCR_CONTINUE;
		}
		guest_console_write(v, buf, a1);
		v->gpr[2] = a1;
		return HCR_CONTINUE;
	}
	case HC_HEARTBEAT:
		v->stats.heartbeats++;
		status_heartbeat(v, a0);
		trace_msg(UTM_HEARTBEAT, v->id, &a0, 1);
		v->gpr[2] = 0;
		return HCR_CONTINUE;
	case HC_MARKER:
		trace_msg(UTM_MARKER, v->id, &a0, 1);
		v->gpr[2] = 0;
		return HCR_CONTINUE;
	case HC_ANOMALY: {
		uint32_t w[2] = { a0, a1 };
		guest_console_flush(v);
		hv_printf("hv: g%u reports anomaly %x detail %x\n", v->id, a0, a1);
		status_anomaly(v, a0, a1);
		trace_msg(UTM_ANOMALY, v->id, w, 2);
		v->gpr[2] = 0;
		return HCR_CONTINUE;
	}
	case HC_STOP:
		guest_console_flush(v);
		hv_printf("hv: g%u stopped: exit status %u\n", v->id, a0);
		v->state = VCPU_STOPPED;
		status_stopped(v, a0, 0);
		return HCR_STOPPED;
	case HC_YIELD:
		v->gpr[2] = 0;
		return HCR_YIELD;
	case HC_KSTATS:
		/* Checked once here, so that a reader may trust the range. */
		if (a1 == 0 || a1 > HC_KSTATS_MAX || (a0 & 3) || !gpa_to_root(v, a0, a1 * 4)) {
			v->gpr[2] = (uint32_t)-1;
			return HCR_CONTINUE;
		}
		status_kstats(v, a0 & 0x1fffffffu, a1);
		v->gpr[2] = 0;
		return HCR_CONTINUE;
	case HC_CONFIG:
		v->gpr[2] = config(v, a0);
		return HCR_CONTINUE;
	case HC_DOORBELL:
		irq_doorbell(v, a0);
		v->gpr[2] = 0;
		return HCR_CONTINUE;
	case HC_DOORBELL_ACK:
		irq_ack(v);
		v->gpr[2] = 0;
		return HCR_CONTINUE;
	default:
		guest_console_flush(v);
		hv_printf("hv: g%u stopped: unknown hypercall %u\n", v->id, code);
		vcpu_dump(v);
		v->state = VCPU_STOPPED;
		status_stopped(v, 0, 1);
		return HCR_STOPPED;
	}
}
