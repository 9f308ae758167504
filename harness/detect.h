/*
 * The soak's detectors: what `vzsoak run` flags, decided from the views
 * of successive status checks (view.h) alone, so that they are
 * deterministic (checks land on fixed instruction counts) and testable
 * without a board (tests/vzsoak/test_detect.c).
 *
 * Each guest is flagged at most once per kind, at the first check that
 * shows it; the flag keeps that check's instruction count, simulated and
 * wall time: the time to failure.
 */
#ifndef HARNESS_DETECT_H
#define HARNESS_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "view.h"

enum flag_kind {
	/* A guest's. */
	FLAG_ANOMALY,   /* it reported an anomaly (hypercall 4) */
	FLAG_LOCKUP,    /* the same TLB fault recurs (KS_REPEATS >= repeat-limit) */
	FLAG_HEARTBEAT, /* running, but no heartbeat for heartbeat-timeout */
	FLAG_EXIT,      /* it stopped with a non-zero exit status */
	FLAG_KILLED,    /* the hypervisor stopped it */
	FLAG_CONFIG,    /* its kernel runs another tlbp-check than the scenario's */
	FLAG_TRACE,     /* the trace detectors proved it (tracecheck.c), after the run */
	FLAG_CONSOLE,   /* its Linux kernel printed a failure, or stopped early (console_watch.h) */
	/* The hypervisor's or the board's (guest 0). */
	FLAG_HV_FAILED, /* bad boot arguments or a missing image */
	FLAG_NO_STATUS, /* no status block by the end of the run */
	FLAG_DEADLOCK,  /* WAIT with nothing able to wake the CPU */
	FLAG_RESET,     /* the board was reset with guests still running */
	FLAG_HALTED,    /* the core entered EJTAG debug mode (sdbbp, a breakpoint) */
	FLAG_KINDS
};

struct flag {
	unsigned guest;  /* 1..8; 0: the hypervisor or the board */
	enum flag_kind kind;
	uint64_t insns;  /* when first seen */
	uint64_t sim_ns;
	double wall;
	char title[96];  /* the failure in words, the same in every run (title.h) */
	char msg[240];   /* one line: this run's details (addresses, counts) */
};

#define DETECT_MAX_FLAGS (FLAG_KINDS * (STATUS_GUESTS + 1))

struct detector {
	uint64_t heartbeat_timeout; /* 0: not checked */
	uint32_t repeat_limit;      /* 0: not checked */
	uint32_t tlbp_check;        /* GCONF_TLBP_* the scenario asks for */
	bool guest_reports;         /* the guests report anomalies (selfcheck=on) */
	bool seen_status;           /* some check found the status block */
	struct {
		bool running_seen;  /* heartbeat tracking started */
		uint32_t heartbeats; /* the count at the last change ... */
		uint64_t since;     /* ... and the instruction count then */
	} hb[STATUS_GUESTS];
	uint32_t flagged[STATUS_GUESTS + 1]; /* 1 << kind, per guest (0: hv) */
	struct flag flags[DETECT_MAX_FLAGS];
	unsigned nflags;
	/* The trace detectors (tracecheck.c), when they read the capture. */
	bool traced;
	unsigned trace_findings, trace_bugs;
};

/* How the run ended, for detect_end. */
enum run_end {
	END_DURATION,    /* ran for the scenario's duration */
	END_FLAGGED,     /* stop-on-anomaly */
	END_RESET,       /* the board was reset (the hypervisor finished) */
	END_DEADLOCK,
	END_HALTED,      /* the core stopped in EJTAG debug mode */
	END_BOARD_LOST,  /* the board driver lost the board (OpenOCD gone, a timeout) */
	END_INTERRUPTED, /* a signal */
};

/*
 * tlbp_check is the scenario's GCONF_TLBP_* (vzsoak/hypercall.h): a guest
 * whose statistics block says its kernel runs another flavour (an image
 * built from older sources, a hypervisor that does not pass the boot
 * argument) does not test what the run claims, and is flagged "config".
 */
void detect_init(struct detector *d, uint64_t heartbeat_timeout,
		 uint32_t repeat_limit, uint32_t tlbp_check);

/*
 * For guests that check nothing themselves (selfcheck=off, as a Linux
 * guest): they send no heartbeats, count no repeated faults (KS_REPEATS
 * stays 0) and report no anomalies, so the detectors that read those
 * (heartbeat, lockup, anomaly) are off: silence is no failure, and what
 * finds the bug must be what the hypervisor and the trace see.  The
 * detectors of the hypervisor's status block (exit, killed, hv-failed,
 * no-status, deadlock, reset) stay, and so does config: the kernel still
 * writes its flavour into its statistics block, and a guest without a
 * block is not checked.  Call after detect_init.
 */
void detect_without_guest_reports(struct detector *d);

/* Runs every detector on one check; returns how many new flags it raised. */
unsigned detect_check(struct detector *d, const struct soak_view *v);

/*
 * The end of the run, with the last view: flags what only the end can
 * tell (no status block ever, a deadlock, a reset with guests running).
 * hint (may be NULL) is appended to the no-status message: the console's
 * last line from the hypervisor says why.
 */
unsigned detect_end(struct detector *d, const struct soak_view *v,
		    enum run_end end, const char *hint);

/*
 * A flag from outside the status checks: the trace detectors read the
 * run's capture after it ended (tracecheck.c).  It keeps the instruction
 * count the trace proves it at, and the simulated and wall time there.
 * Returns 1, or 0 if that guest has that kind already.
 */
unsigned detect_add(struct detector *d, unsigned guest, enum flag_kind kind,
		    uint64_t insns, uint64_t sim_ns, double wall, const char *title,
		    const char *msg);

const char *flag_kind_name(enum flag_kind kind);

/* The flag's title (title.h): the failure in words, which its kind and,
 * for an anomaly, its code (and the detail where it tells the failure
 * apart: the page size, the exception) decide. */
const char *flag_title(const struct flag *f);

/* The title of a kind other than FLAG_ANOMALY ("heartbeat lost"); NULL
 * for FLAG_ANOMALY, whose title is anomaly_title's. */
const char *flag_kind_title(enum flag_kind kind);

/* What anomaly `code` (vzsoak/kstats.h, vzsoak/hypercall.h) is, in words;
 * NULL for a code no list has (a newer guest's). */
const char *anomaly_name(uint32_t code);

/* The title of a guest's anomaly report: its name, and what the detail
 * adds that tells one failure from another ("shrinking page: PageMask
 * 16K -> 4K after a TLB handler"; "stress kernel: unexpected kernel-mode
 * exception (AdEL)"); "unknown anomaly 0xNN" for an unknown code. */
const char *anomaly_title(uint32_t code, uint32_t detail, char *buf, size_t len);

/* Instructions since guest g's (1..8) last heartbeat when it is running
 * and tracked, else 0 (and 0 for guests that send none:
 * detect_without_guest_reports): the progress line marks stalled guests. */
uint64_t detect_silence(const struct detector *d, const struct soak_view *v,
			unsigned g);

/* The hypervisor's status.state in words ("running"). */
const char *status_state_name(uint32_t state);

/* The page size a PageMask gives, in KiB (each half of a TLB entry). */
unsigned pagemask_kib(uint32_t pagemask);
/* "4K", "16K", "1M": the page size a PageMask value gives. */
const char *pagemask_size(uint32_t pagemask, char *buf, unsigned len);

#endif
