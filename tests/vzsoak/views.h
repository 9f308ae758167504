/*
 * Views of status checks built by hand (harness/view.h), for the tests of
 * what reads them: a running hypervisor with n running guests, as a check
 * at instruction insns of a 1 GHz board sees it.  Each test adds what its
 * guests have (an image's name, statistics blocks).
 */
#ifndef TESTS_VZSOAK_VIEWS_H
#define TESTS_VZSOAK_VIEWS_H

#include <string.h>

#include "harness/view.h"

static inline void view_running(struct soak_view *v, unsigned n, uint64_t insns)
{
	memset(v, 0, sizeof *v);
	v->present = true;
	v->st.magic = STATUS_MAGIC;
	v->st.version = STATUS_VERSION;
	v->st.state = STATUS_RUNNING;
	v->st.guests = n;
	for (unsigned i = 0; i < n; i++)
		v->st.g[i].state = GSTATE_RUNNING;
	v->insns = insns;
	v->sim_ns = insns;
	v->wall = insns / 1e8;
}

#endif
