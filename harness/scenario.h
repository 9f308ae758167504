/*
 * Soak scenarios: the settings of one `vzsoak run` (docs/soak.md), read
 * from a scenario file (stress/scenarios/NAME.scn: "key = value" lines)
 * and overridden from the command line (--set key=value, --seed N).
 *
 * Free of libvzsim so that the host unit tests (tests/vzsoak/
 * test_scenario.c) exercise it alone: board options are only stored here
 * and checked through a callback the caller provides (vzsoak checks them
 * against libvzsim's own parser, so the two can never disagree).
 */
#ifndef HARNESS_SCENARIO_H
#define HARNESS_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SCN_NAME_MAX   64 /* scenario name, with its NUL */
#define SCN_VALUE_MAX 256 /* a key's value as text (a set of names), with its NUL */
#define SCN_IMAGE_MAX  16 /* guest image name, with its NUL (the hypervisor's limit) */
#define SCN_BOARD_MAX  16 /* board options in one scenario */
#define SCN_OPT_MAX    64 /* board option name or value, with its NUL */
#define SCN_LINE_MAX   512

enum scn_sched { SCN_SCHED_RR, SCN_SCHED_AIM };

/* When the trace detectors (pdtrace/detect.h) read the run's capture. */
enum scn_detect {
	SCN_DETECT_OFF,     /* never */
	SCN_DETECT_FLAGGED, /* a flagged run's, when it has one (--trace) */
	SCN_DETECT_TRACE,   /* every run's: traced into its folder if not asked to */
};

struct scn_board_opt {
	char name[SCN_OPT_MAX];  /* without "board." */
	char value[SCN_OPT_MAX];
	unsigned line;           /* where the file set it; 0 from the command line */
};

struct scenario {
	char name[SCN_NAME_MAX];
	/* Boot arguments of the hypervisor (<vzsoak/bootargs.def>). */
	uint32_t guests, seed, quantum, jitter;
	uint32_t sched;      /* enum scn_sched */
	uint32_t preserve;   /* 1: the hypervisor's TLB critical-section fix */
	uint32_t tlbp_check; /* GCONF_TLBP_* (vzsoak/hypercall.h) */
	char image[SCN_IMAGE_MAX];
	uint32_t crashme, worker_pages;
	uint32_t selfcheck;  /* 1: the guest kernel checks itself and reports */
	uint32_t inject;     /* bit i: the hypervisor bug enum hv_inject i injected */
	uint32_t trace;
	/* Linux guests (image linux, docs/linux.md): given to the hypervisor
	 * only when they run. */
	uint32_t linux_mem, linux_time, linux_run;
	/* The harness's own. */
	uint64_t duration, check_every, heartbeat_timeout;
	uint32_t repeat_limit;
	uint32_t stop_on_anomaly;
	uint32_t detect;     /* enum scn_detect */
	struct scn_board_opt board[SCN_BOARD_MAX];
	unsigned nboard;
	/* Line of the file that set each key (index: the key table), for
	 * duplicate-key errors; 0: not set by the file. */
	unsigned set_on_line[32];
};

/*
 * Checks one board option (name without "board.").  Returns 0, or -1 with
 * a one-line reason in err.
 */
typedef int (*scn_board_check)(void *ctx, const char *name, const char *value,
			       char *err, size_t errlen);

/* The defaults; the name is path's base name without ".scn" (path may be
 * NULL: name "scenario"). */
void scenario_defaults(struct scenario *s, const char *path);

/*
 * Sets one key as `--set key=value` does (later settings win).  Returns 0,
 * or -1 with a one-line reason that names the key and value in err.
 * check may be NULL: board options are then stored unchecked.
 */
int scenario_set(struct scenario *s, const char *key, const char *value,
		 scn_board_check check, void *ctx, char *err, size_t errlen);

/*
 * Reads a scenario file's lines from f over s (call scenario_defaults
 * first).  fname names it in errors: "FNAME:LINE: reason".  A key set twice
 * in the file is an error.  Returns 0 or -1.
 */
int scenario_read(struct scenario *s, FILE *f, const char *fname,
		  scn_board_check check, void *ctx, char *err, size_t errlen);

/* scenario_defaults + scenario_read of the file at path ("PATH: cannot
 * open: ..." when it cannot be read). */
int scenario_load(struct scenario *s, const char *path, scn_board_check check,
		  void *ctx, char *err, size_t errlen);

/* Whether its guests run the staged Linux kernel (image linux). */
bool scenario_runs_linux(const struct scenario *s);

/*
 * The hypervisor's boot arguments: "guests=G seed=S quantum=Q jitter=J
 * sched=X preserve=P tlbp-check=T image=I crashme=C worker-pages=W
 * selfcheck=on|off trace=on|off".  Returns the length, or -1 if it did not fit.
 */
int scenario_bootargs(const struct scenario *s, char *buf, size_t len);

/* Every key with its resolved value, one "key = value" line each (the
 * scenario-file syntax, so the output reads back as a scenario). */
void scenario_write(const struct scenario *s, FILE *f);

/* One key's value as scenario_write prints it; "" for an unknown key. */
const char *scenario_value(const struct scenario *s, const char *key, char *buf,
			   size_t len);

/* The keys, with their values and defaults, for `vzsoak run --help`. */
void scenario_help(FILE *f);

#endif
