/*
 * `vzsoak report` (docs/report.md): the bug report of a flagged run,
 * written from the run alone.  The run is replayed on vzsim from its
 * scenario.txt (deterministic: the same instructions at the same counts),
 * traced; the trace detectors find what went wrong; the story is the
 * failing guest's steps from its last good state to the failure, each with
 * its instructions, the guest's registers and the TLB entries that matter,
 * read from a second replay stopped exactly there.
 *
 * The pieces, one file each: input.c (which run, its scenario), replay.c
 * (the two replays), story.c (the steps), facts.c (what both reports say),
 * markdown.c and html.c (the reports; base64.c for html.c's images),
 * plotdata.c, plot.c and gnuplot.c (the plots: their data from the trace,
 * their files, gnuplot run; plot.h), cmd.c (the command).
 */
#ifndef HARNESS_REPORT_H
#define HARNESS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <pdtrace/detect.h>
#include <vzsim/vzsim.h>

#include "../detect.h"
#include "../scenario.h"
#include "../view.h"

/* ------------------------------------------------------------ the run */

struct report_input {
	char *run_dir;     /* the run folder read (a crash folder's best reproducer) */
	char *crash_dir;   /* the crash folder given, or NULL */
	char *hv;          /* the hypervisor image (scenario.txt) */
	char *repro;       /* the command that reproduces it (scenario.txt) */
	struct scenario scn;
	char *title;       /* the run's first flag's title (summary.txt) */
	uint64_t ttf;      /* its instruction count (0: a clean run) */
	uint64_t insns;    /* instructions the run ran */
	char hv_sha256[65];    /* of the hypervisor image; "" if unreadable */
	char *guest_image;     /* guests/IMAGE.elf beside it */
	char guest_sha256[65];
};

/* Reads DIR: a run folder (scenario.txt, summary.txt) or a soak's crash
 * folder (title, count, reproducers: the shortest time to failure is
 * read).  0, or -1 with a one-line reason. */
int report_input_read(struct report_input *in, const char *dir, char *err, size_t errlen);
/* "DIR/NAME", malloc'd (out of memory ends the process, status 70). */
char *report_path(const char *dir, const char *name);
void report_input_free(struct report_input *in);

/* ------------------------------------------------------------ replay */

/* The guest CP0 registers a story shows, in this order. */
enum story_reg {
	SR_BADVADDR, SR_ENTRYHI, SR_INDEX, SR_PAGEMASK, SR_ENTRYLO0, SR_ENTRYLO1,
	SR_STATUS, SR_CAUSE, SR_EPC, SR_COUNT
};
const char *story_reg_name(enum story_reg r);

#define STORY_TLB_ROWS 8

/* Who last wrote a TLB entry, from the replay's TLB write hook. */
struct tlb_writer {
	bool known;
	uint64_t index;       /* the writing instruction */
	bool guest;           /* a guest's instruction (guestid), else the hypervisor's */
	uint8_t guestid;
	enum vzsim_tlb_how how;
};
const char *tlb_how_name(enum vzsim_tlb_how how);

/* A write that took a guest's entry for an address away. */
struct tlb_eviction {
	struct vzsim_tlb_write_event ev;
};
#define REPLAY_MAX_EVICTIONS 8

/* What the second replay watches for, between two instructions: writes by
 * anyone but `guest` itself that replace its entry mapping `va`. */
struct replay_watch {
	uint64_t from, to;
	unsigned guest;
	uint32_t va;
	struct tlb_eviction ev[REPLAY_MAX_EVICTIONS];
	unsigned nev;
};

/* The state after one instruction, from the second replay. */
struct replay_state {
	bool valid;
	bool in_guest;        /* the CPU was in guest mode: the guest CP0 is the running guest's */
	unsigned guestid;     /* that guest */
	uint32_t cp0[SR_COUNT];
	uint32_t gpr[32];
	unsigned ntlb;        /* the guest's TLB entries (and the one a step names) */
	unsigned nmaps;       /* of them, those that map the story's address (first) */
	unsigned guest_base;  /* the first entry of the guest part (a guest's Index 0) */
	struct {
		unsigned entry;
		struct vzsim_tlb_entry e;
		struct tlb_writer by;
	} tlb[STORY_TLB_ROWS];
};

/*
 * The first replay: the run again, on vzsim, traced into `trace` with the
 * run's own boot arguments, up to `until` instructions (the run's end),
 * with the run's detectors.  The runner's flags land in d, the last view
 * in v.  0, or -1 with a one-line reason.
 */
int replay_trace(const struct report_input *in, const char *trace, uint64_t until,
		 struct detector *d, struct soak_view *v, char *err, size_t errlen);

/*
 * The second replay: the state after each instruction index in `at`
 * (ascending), the guest's TLB entries chosen by `guest` (its GuestID)
 * and `va` (the entries mapping it first), each with who last wrote it;
 * and, if watch is not NULL, the writes it asks for.  0, or -1.
 */
int replay_states(const struct report_input *in, const uint64_t *at, size_t n,
		  const unsigned *guest, const uint32_t *va, struct replay_state *out,
		  struct replay_watch *watch, char *err, size_t errlen);

/* ------------------------------------------------------------ the story */

#define STORY_MAX_STEPS 16
#define STORY_EXCERPT 6

struct story_insn {
	uint64_t index;
	uint32_t pc, word;
	char text[208]; /* "80000734  handle_tlbl_0+0x60  tlbr" */
};

struct story_step {
	uint64_t index;     /* the instruction (or the next one, for an event) */
	unsigned guest;     /* whose step: the failing guest, or the one that ran */
	char what[320];     /* the step in words */
	struct story_insn insn[STORY_EXCERPT];
	unsigned ninsn;
	struct replay_state st; /* after the step's instruction */
};

struct story {
	const struct pdt_finding *finding; /* the failure it tells */
	unsigned guest;
	uint32_t va;        /* the address the failing handler was about (BadVAddr) */
	struct story_step step[STORY_MAX_STEPS];
	unsigned nsteps;
	bool truncated;     /* more steps than shown */
};

/* The steps of guest f->guest's failing TLB handler invocation, from its
 * exception to a little past f->index, from the capture (cfg, words). */
int story_build(struct story *s, const struct pdt_finding *f, const struct pdt_flow_config *cfg,
		const uint8_t *words, uint64_t len, char *err, size_t errlen);
/* Puts step st among the steps in instruction order (the latest kept when
 * they are too many). */
void story_insert(struct story *s, const struct story_step *st);

/* ------------------------------------------------------------ the plots */

/* Per guest, one PNG of four panels over the trace (plot.c). */
#define REPORT_PLOT_BINS 200
/* Each plot's size in pixels (the tests check it). */
#define REPORT_PLOT_WIDTH 1000
#define REPORT_PLOT_HEIGHT 800
struct report_plots {
	unsigned n;
	struct {
		unsigned guest;
		char file[32];  /* "plot-g1.png", beside report.md */
	} plot[PDT_FLOW_GUESTS];
	char missing[256];      /* why there are none, one line; "" when made */
};

/* ------------------------------------------------------------ the report */

struct report {
	struct report_input in;
	const char *out_dir;
	struct detector flags;          /* the replay's runner flags */
	struct soak_view view;
	const struct pdt_finding *findings;
	size_t nfindings;
	unsigned bugs;
	struct story story;             /* when a bug was found */
	bool have_story;
	char trace[4096];               /* the replay's capture */
	bool replay_matches;            /* the replay flagged what the run did, where it did */
	bool no_replay;                 /* --trace: a capture alone, no state */
	char replay_note[256];
	char notes[1024];               /* what decoding the capture noted (missing images) */
	struct report_plots plots;      /* made before the writers run */
	/* The trace diff against a good run (--good): the story's guest. */
	char good[4096];                /* the good capture; "" none */
	char good_note[8800];           /* how it was made, or why there is none */
	char *diff_text;                /* pdt_diff_print's text (malloc), or NULL */
	bool diverged;                  /* the guest's flow parts from the good run */
	/* A Linux guest's console flag: what that guest printed up to it. */
	char *console;                  /* malloc, or NULL */
	unsigned console_guest;
};

/* vzsoak report SOAK_DIR (soak_report.c): a whole soak from its journal:
 * each title's runs and time to failure, and a plot of it over the seeds.
 * Writes OUT/report.md (and ttf.png); returns the exit status. */
int report_soak(const char *dir, const char *out, bool quiet);

/* The good run and the diff of the story's guest against it (good.c):
 * good is "auto" (on vzsim: the same seed with the fix on), "none", or a
 * capture.  0 (r->good_note says what came of it), or -1 with a reason
 * (the good run's replay failed). */
int report_good(struct report *r, const char *good, const struct pdt_flow_config *bad_cfg,
		const struct pdt_file *bad, char *err, size_t errlen);

/* report.md: Markdown, short at the top, evidence below. */
void report_markdown(FILE *f, const struct report *r);

/* report.html: the same content in the same order, one file (CSS inline,
 * the plots embedded as data: URIs). */
void report_html(FILE *f, const struct report *r);

/*
 * The plots of r->trace into r->out_dir (data files, gnuplot scripts,
 * plot-gN.png) and r->plots.  Never fatal: without gnuplot, or when it
 * fails, r->plots.missing says why and the report goes on without them.
 */
void report_plots(struct report *r);

/* ------------------------------------------------------------ shared by the writers (facts.c) */

const char *report_title(const struct report *r);
/* The verdict in one sentence, without markup. */
void report_verdict(const struct report *r, char *buf, size_t len);
/* The run table's scenario and board cells. */
void report_scenario_text(const struct scenario *scn, char *buf, size_t len);
void report_board_text(const struct scenario *scn, char *buf, size_t len);
/* "g1 anomaly at instruction N: TITLE (MESSAGE)". */
void report_flag_text(const struct flag *fl, char *buf, size_t len);
/* The instruction the failure is at (the story's finding, else the first
 * bug, else the run's first flag); false for a clean run. */
bool report_failure_index(const struct report *r, uint64_t *at);
/* The step that shows the failure (highlighted), or -1. */
int report_failing_step(const struct report *r);
/* What a register's value says, where it says something at a glance. */
void report_reg_note(enum story_reg r, const struct replay_state *st, char *buf, size_t len);
/* The GPRs a step's excerpt names (rs, rt, rd), as a mask; none when the
 * CPU was in root mode (the registers read are the hypervisor's). */
uint32_t report_gprs_used(const struct story_step *st);
const char *report_gpr_name(unsigned r);
/* The TLB table: its columns and one entry's cells. */
#define REPORT_TLB_COLS 10
#define REPORT_CELL 40
extern const char *const report_tlb_header[REPORT_TLB_COLS];
void report_tlb_cells(unsigned entry, const struct vzsim_tlb_entry *e,
		      const struct tlb_writer *by, char cell[REPORT_TLB_COLS][REPORT_CELL]);
/* Why a step has no registers or TLB table. */
const char *report_no_state(bool no_replay);
/* The images the report was made with: the hypervisor's and the guest's
 * paths and SHA-256. */
void report_images_text(const struct report_input *in, char *hv, size_t hvlen, char *guest,
			size_t guestlen);

#endif
