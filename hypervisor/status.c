/*
 * status.c: keeps the status block (include/vzsoak/status.h) current, so
 * that a harness watching the board sees heartbeats, anomalies and guest
 * states without the console or the trace.  Fields change at the events
 * that change them (a heartbeat, an anomaly, a stop); the per-guest
 * counters are copied when the guest is switched out.
 */
#include <vzsoak/status.h>

#include "hv.h"

static volatile struct status_block *const status =
	(volatile struct status_block *)STATUS_KSEG0;

static volatile struct status_guest *slot(const struct vcpu *v)
{
	return &status->g[v->id - 1];
}

void status_init(void)
{
	memset((void *)status, 0, sizeof *status);
	status->version = STATUS_VERSION;
	status->state = STATUS_BOOTING;
	status->magic = STATUS_MAGIC;
}

void status_set_state(enum status_state s)
{
	/* A failed boot stays failed when hv_finish marks the end. */
	if (status->state != STATUS_FAILED)
		status->state = s;
}

void status_guest_init(const struct vcpu *v)
{
	volatile struct status_guest *g = slot(v);
	unsigned i = 0;

	g->state = GSTATE_RUNNING;
	g->window_pa = v->win_pa;
	for (; i + 1 < STATUS_NAME_MAX && v->image->name[i]; i++)
		g->image[i] = v->image->name[i];
	g->image[i] = 0;
	status->guests = v->id > status->guests ? v->id : status->guests;
}

void status_heartbeat(const struct vcpu *v, uint32_t value)
{
	slot(v)->last_heartbeat = value;
	slot(v)->heartbeats = v->stats.heartbeats;
}

void status_anomaly(const struct vcpu *v, uint32_t code, uint32_t detail)
{
	volatile struct status_guest *g = slot(v);

	if (g->anomalies++ == 0) {
		g->first_anomaly = code;
		g->first_detail = detail;
	}
	g->last_anomaly = code;
	g->last_detail = detail;
}

void status_stopped(const struct vcpu *v, uint32_t exit_status, int killed)
{
	slot(v)->exit_status = exit_status;
	slot(v)->state = killed ? GSTATE_KILLED : GSTATE_STOPPED;
	status_sync(v);
}

void status_kstats(const struct vcpu *v, uint32_t gpa, uint32_t words)
{
	slot(v)->kstats_gpa = gpa;
	slot(v)->kstats_words = words;
}

void status_sync(const struct vcpu *v)
{
	volatile struct status_guest *g = slot(v);
	uint32_t exits = 0;

	for (unsigned k = 0; k < HV_EXIT_KINDS; k++)
		exits += v->stats.exits[k];
	g->exits = exits;
	g->preserved = v->stats.preserved;
	g->restored = v->stats.restored;
	g->heartbeats = v->stats.heartbeats;
	status->switches = hv_guest_switches;
}

void status_switched_in(const struct vcpu *v)
{
	slot(v)->switched_in++;
}
