/*
 * The soak's target, the board under test: vzsim through libvzsim (named
 * target_* apart from libvzsim's internal board_*).  Everything `vzsoak run`
 * asks of the board goes through here, so a second board driver (OpenOCD
 * on a real board) has one interface to provide: set up a run, read the
 * status (memory reads only), and board-option checks.
 */
#ifndef HARNESS_TARGET_H
#define HARNESS_TARGET_H

#include <stddef.h>

#include <vzsim/vzsim.h>

#include "scenario.h"
#include "view.h"

/*
 * A vzsim with the scenario's board options, the hypervisor image loaded,
 * the boot arguments filled and the CPU at the image's entry point.  NULL
 * with a one-line reason in err (bad input, all of it: the options were
 * checked while reading the scenario, so what fails here is the image).
 */
vzsim *target_open(const struct scenario *s, const char *hv_path, char *err,
		  size_t errlen);

/*
 * scn_board_check for scenario_load/scenario_set: checks one board option
 * against libvzsim's own parser on ctx, a scratch board from
 * target_checker_new (its RAM is tiny: it never runs).
 */
int target_check_opt(void *ctx, const char *name, const char *value, char *err,
		    size_t errlen);
vzsim *target_checker_new(void);

/* Reads the status block and the guests' statistics blocks; wall is the
 * caller's clock. */
void target_read_view(vzsim *sim, double wall, struct soak_view *v);

#endif
