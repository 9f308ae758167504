/*
 * The soak's board: vzsim through libvzsim.  Everything `vzsoak run`
 * asks of the board goes through here, so a second board driver (OpenOCD
 * on a real board) has one interface to provide: set up a run, read the
 * status (memory reads only), and board-option checks.
 */
#ifndef HARNESS_BOARD_H
#define HARNESS_BOARD_H

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
vzsim *board_open(const struct scenario *s, const char *hv_path, char *err,
		  size_t errlen);

/*
 * scn_board_check for scenario_load/scenario_set: checks one board option
 * against libvzsim's own parser on ctx, a scratch board from
 * board_checker_new (its RAM is tiny: it never runs).
 */
int board_check_opt(void *ctx, const char *name, const char *value, char *err,
		    size_t errlen);
vzsim *board_checker_new(void);

/* Reads the status block and the guests' statistics blocks; wall is the
 * caller's clock. */
void board_read_view(vzsim *sim, double wall, struct soak_view *v);

#endif
