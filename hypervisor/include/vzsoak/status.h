/*
 * The status block: what the reference hypervisor tells whoever watches the
 * board, kept current while it runs.  The harness (vzsoak run) reads it
 * between slices of simulated time through libvzsim, or through OpenOCD
 * memory reads on a real board; nothing in it needs the console or the
 * trace.  One definition, shared by the writer (hypervisor/status.c) and
 * every reader: plain C, little-endian 32-bit words, no padding.
 *
 * Per guest it carries the hypervisor's view (state, heartbeats, the
 * anomalies the guest reported) and where the guest's own statistics
 * block lives (kstats_gpa: a guest-physical address inside the guest's
 * window, registered with hypercall 7; the stress kernel's layout is
 * stress/include/vzsoak/kstats.h).  A reader finds that block at physical
 * window_pa + kstats_gpa.
 */
#ifndef VZSOAK_STATUS_H
#define VZSOAK_STATUS_H

#include <stdint.h>

#define STATUS_PA       0x00002000u
#define STATUS_KSEG0    0x80002000u
#define STATUS_MAGIC    0x54535a56u /* "VZST" */
#define STATUS_VERSION  1u
#define STATUS_GUESTS   8u
#define STATUS_NAME_MAX 16u

/* The hypervisor's state, status.state. */
enum status_state {
	STATUS_BOOTING = 0,  /* reading boot arguments, loading guests */
	STATUS_RUNNING = 1,  /* guests are running */
	STATUS_FINISHED = 2, /* every guest stopped; the board is reset next */
	STATUS_FAILED = 3,   /* bad boot arguments or a missing image */
};

/* A guest's state, status.g[i].state. */
enum status_guest_state {
	GSTATE_ABSENT = 0,  /* no such guest in this run */
	GSTATE_RUNNING = 1,
	GSTATE_STOPPED = 2, /* the guest stopped itself (hypercall 5) */
	GSTATE_KILLED = 3,  /* the hypervisor stopped it (fault, bad hypercall) */
};

struct status_guest {
	uint32_t state;          /* enum status_guest_state */
	uint32_t exit_status;    /* the guest's stop status, when STOPPED */
	uint32_t window_pa;      /* physical base of its memory window */
	uint32_t heartbeats;     /* heartbeat hypercalls so far */
	uint32_t last_heartbeat; /* the value the last one carried */
	uint32_t anomalies;      /* anomaly hypercalls so far */
	uint32_t first_anomaly, first_detail; /* code and detail of the first */
	uint32_t last_anomaly, last_detail;   /* ... and of the latest */
	uint32_t kstats_gpa;     /* the guest's statistics block, 0 if none */
	uint32_t kstats_words;   /* its size in words */
	uint32_t exits;          /* guest exits of every kind */
	uint32_t switched_in;    /* times the scheduler chose it */
	uint32_t preserved;      /* critical-section entries saved (preserve=on) */
	uint32_t restored;       /* ... and put back */
	char image[STATUS_NAME_MAX]; /* the guest image's name, NUL-terminated */
};

struct status_block {
	uint32_t magic;   /* STATUS_MAGIC once the hypervisor has set it up */
	uint32_t version; /* STATUS_VERSION */
	uint32_t state;   /* enum status_state */
	uint32_t guests;  /* guests in this run, 1..8 */
	uint32_t switches; /* guest switches so far */
	uint32_t reserved[3];
	struct status_guest g[STATUS_GUESTS]; /* g[i] is GuestID i + 1 */
};

_Static_assert(sizeof(struct status_guest) == 80, "status layout");
_Static_assert(sizeof(struct status_block) == 32 + 8 * 80, "status layout");

#endif
