/*
 * What one status check of a soak sees: the hypervisor's status block
 * (vzsoak/status.h) and each guest's statistics block (vzsoak/kstats.h),
 * in host byte order, with when it was read.  board.c fills it from the
 * simulated board; the detectors, the progress line and the summary only
 * read it, so they need no board at all (and the unit tests build views
 * by hand).
 */
#ifndef HARNESS_VIEW_H
#define HARNESS_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include <vzsoak/kstats.h>
#include <vzsoak/status.h>

struct soak_view {
	bool present;          /* magic and version right: st is the hypervisor's */
	struct status_block st;
	bool ks_ok[STATUS_GUESTS]; /* guest i's block is there, with KSTATS_MAGIC */
	uint32_t ks[STATUS_GUESTS][KS_WORDS];
	uint64_t insns;  /* instructions so far, as vzsim_run counts them */
	uint64_t sim_ns; /* simulated time */
	double wall;     /* wall-clock seconds since the run started */
};

/* Guests the view describes (0 without a status block). */
static inline unsigned view_guests(const struct soak_view *v)
{
	if (!v->present)
		return 0;
	return v->st.guests > STATUS_GUESTS ? STATUS_GUESTS : v->st.guests;
}

#endif
