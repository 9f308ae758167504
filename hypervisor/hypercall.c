/*
 * hypercall.c: the services a guest asks for with `hypcall CODE`.
 * Arguments in a0..a3, result in v0, as a guest C function call would
 * have them (guests/guest.h has the guest side):
 *
 *   1 console write  a0 = buffer (guest kseg0/kseg1), a1 = length (<= 4096)
 *   2 heartbeat      a0 = the guest's counter      -> UTM heartbeat
 *   3 trace marker   a0 = any value                -> UTM marker
 *   4 anomaly        a0 = code, a1 = detail        -> console + UTM anomaly
 *   5 stop           a0 = exit status              the guest is done
 *   6 yield          give the rest of the slice to the next guest
 *
 * Any other code stops the guest: a guest cannot make the hypervisor do
 * something it did not define.
 */
#include "hv.h"

enum {
	HC_CONSOLE = 1, HC_HEARTBEAT = 2, HC_MARKER = 3, HC_ANOMALY = 4,
	HC_STOP = 5, HC_YIELD_CODE = 6,
};

#define HC_CONSOLE_MAX 4096u

enum hc_result hypercall(struct vcpu *v, unsigned code)
{
	uint32_t a0 = v->gpr[4], a1 = v->gpr[5];

	switch (code) {
	case HC_CONSOLE: {
		const char *buf = gpa_to_root(v, a0, a1);
		if (a1 > HC_CONSOLE_MAX || (a1 && !buf)) {
			v->gpr[2] = (uint32_t)-1;
			return HC_CONTINUE;
		}
		guest_console_write(v, buf, a1);
		v->gpr[2] = a1;
		return HC_CONTINUE;
	}
	case HC_HEARTBEAT:
		v->stats.heartbeats++;
		trace_msg(UTM_HEARTBEAT, v->id, &a0, 1);
		v->gpr[2] = 0;
		return HC_CONTINUE;
	case HC_MARKER:
		trace_msg(UTM_MARKER, v->id, &a0, 1);
		v->gpr[2] = 0;
		return HC_CONTINUE;
	case HC_ANOMALY: {
		uint32_t w[2] = { a0, a1 };
		guest_console_flush(v);
		hv_printf("hv: g%u reports anomaly %x detail %x\n", v->id, a0, a1);
		trace_msg(UTM_ANOMALY, v->id, w, 2);
		v->gpr[2] = 0;
		return HC_CONTINUE;
	}
	case HC_STOP:
		guest_console_flush(v);
		hv_printf("hv: g%u stopped: exit status %u\n", v->id, a0);
		v->state = VCPU_STOPPED;
		return HC_STOPPED;
	case HC_YIELD_CODE:
		v->gpr[2] = 0;
		return HC_YIELD;
	default:
		guest_console_flush(v);
		hv_printf("hv: g%u stopped: unknown hypercall %u\n", v->id, code);
		vcpu_dump(v);
		v->state = VCPU_STOPPED;
		return HC_STOPPED;
	}
}
