/*
 * The record of `vzsoak soak` (docs/soak.md, "vzsoak soak"): what one run
 * came to (read from its summary.txt and exit status), the journal of
 * finished runs, the crash folders (one per distinct failure title) and
 * the index files.  Everything but the reproducer folders is derived from
 * the journal, so a soak killed at any moment resumes with counts equal to
 * those of an uninterrupted one.  Free of libvzsim (the unit tests link it
 * alone).
 */
#ifndef HARNESS_CRASHDB_H
#define HARNESS_CRASHDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TITLE_MAX 256
#define TITLES_MAX 1024
#define NO_TTF UINT64_MAX
/* The folder `vzsoak report` writes into a run or crash folder: a crash
 * folder's sub-folders are its reproducers, but for this one. */
#define REPORT_DIR_NAME "report"

enum run_outcome { OUT_CLEAN, OUT_FLAGGED, OUT_CRASHED, OUT_HUNG, OUT_FAILED };

/* What one run came to. */
struct run_result {
	enum run_outcome outcome;
	char title[TITLE_MAX];   /* of the first flag (the result line); "" clean */
	char titles[TITLES_MAX]; /* every distinct title, " | " between; "" clean */
	uint64_t insns;          /* simulated instructions run */
	uint64_t ttf;            /* instructions to the first flag; NO_TTF */
	double wall;             /* seconds */
};

const char *outcome_name(enum run_outcome o);

/*
 * The one reading of a finished run: summary is summary.txt's text (NULL
 * if the run left none), status the child's wait status, hung whether the
 * watchdog stopped it.  A run killed by a signal (not ours) is "harness:
 * run crashed", and so is one that ended with 0 or 1 but left no summary
 * (a sanitizer's report exits with 1); one the watchdog stopped is
 * "harness: run hung", one that ended with another status than 0 or 1
 * "harness: run failed (exit N)" (70: out of memory, --mem-limit).
 */
void result_classify(const char *summary, int status, bool hung, double wall,
		     struct run_result *r);

/* One journal line. */
struct entry {
	uint32_t seed;
	char scn[64];
	long long when; /* time(2) when it finished */
	struct run_result r;
};

struct journal {
	char *path;
	struct entry *e;
	size_t n, cap;
};

/*
 * Reads DIR/journal (none: empty).  A last line without its newline (the
 * harness was killed while appending it) is cut off the file: that run is
 * redone.  -1 with a reason in err for a line that is not a journal line.
 */
int journal_load(struct journal *j, const char *dir, char *err, size_t errlen);

/* Whether scn's seed is in the journal. */
bool journal_has(const struct journal *j, const char *scn, uint32_t seed);

/* Appends a line and fsyncs it; -1 with a reason in err. */
int journal_append(struct journal *j, const struct entry *e, char *err, size_t errlen);

void journal_free(struct journal *j);

/* The run folder name of a scenario's seed: NAME-sSEED. */
void run_name(const char *scn, uint32_t seed, char *buf, size_t len);

/*
 * The crash folders and the index, rewritten from the journal: DIR/crashes/
 * ID/{title,count,first-seen,last-seen}; reproducer folders of runs the
 * journal does not hold (a run that never finished) are removed.
 * scenarios: the names, for the summary; clean: the journal's clean runs.
 * -1 with a reason in err.
 */
int crashdb_write(const struct journal *j, const char *dir, char *err, size_t errlen);

/*
 * A flagged run's folder (at run_dir) becomes one of its title's
 * reproducers, or is removed: at most keep per title, the one with the
 * shortest time to failure always among them.  repro is the command that
 * replays it (written as repro.sh first).  Before the journal line: a
 * folder whose run is not in the journal is removed by crashdb_write.
 */
int crashdb_keep(const struct journal *j, const char *dir, const char *run_dir,
		 const struct entry *e, const char *repro, unsigned keep, char *err,
		 size_t errlen);

/* Text in a Markdown table cell: a '|' would end it (index.md, the
 * reports). */
void md_cell(FILE *f, const char *s);

/* Removes a folder and what it holds (the run folders: no sub-folders
 * deeper than one level). */
void remove_tree(const char *path);

#endif
