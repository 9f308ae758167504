/*
 * The soak's target, the board under test, behind one interface (struct
 * target) that soak_checks drives: run a slice, read the status (memory
 * reads only).  Two drivers: vzsim through libvzsim (this file's
 * target_open, target_vzsim), and a board through OpenOCD (target_ocd.h).
 * Named target_* apart from libvzsim's internal board_*.
 */
#ifndef HARNESS_TARGET_H
#define HARNESS_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/*
 * What a soak's checks drive (soak_checks, run.h): run a slice of up to n
 * instructions and stop for a look (VZSIM_STOP_BUDGET when the slice ran
 * out; the program's reset or deadlock; VZSIM_STOP_DEBUG when the core
 * halted on its own), and read the view.  A driver that loses its board
 * (OpenOCD gone, a timeout) sets failed and a one-line reason in why.
 */
struct target {
	enum vzsim_stop (*run)(struct target *t, uint64_t n);
	void (*read_view)(struct target *t, double wall, struct soak_view *v);
	bool failed;
	char why[512];
};

/* The direct driver: libvzsim's board, in this process. */
struct target_vzsim {
	struct target t;
	vzsim *sim;
};
void target_vzsim_init(struct target_vzsim *tv, vzsim *sim);

/*
 * The status block and the guests' statistics blocks into v (present,
 * st, ks_ok, ks; not the counts or the clocks), through a reader of
 * physical memory (0, or -1 for memory it cannot read): shared by both
 * drivers, so both read the same words the same way.
 */
typedef int (*target_mem_reader)(void *ctx, uint32_t pa, void *buf, size_t len);
void target_view_read(target_mem_reader rd, void *ctx, struct soak_view *v);

#endif
