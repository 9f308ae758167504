/*
 * A run's outputs before the run: the run folder (--out) and the trace
 * (--trace).  A run that is refused leaves nothing behind, so every output
 * is checked before anything is created (docs/soak.md, "Bad input"); and
 * what a killed run left (temporaries under the writer's pattern,
 * <util/outfile.h>) is cleared when the next run opens the same folder.
 */
#ifndef HARNESS_RUNDIR_H
#define HARNESS_RUNDIR_H

#include <stddef.h>

/* The files of a run folder (docs/soak.md), NULL-terminated. */
extern const char *const rundir_files[];

struct rundir {
	const char *path;
	char *existing; /* its nearest folder that existed before (malloc) */
};

/*
 * Creates nothing: whether dir can be the run folder (an existing folder
 * this process may write, or one mkdir -p can make: its nearest existing
 * ancestor a folder it may write), whether its files can be renamed into
 * place (none is a folder), and whether trace, if not NULL, can be
 * created (its folder exists and may be written, or is made with the run
 * folder; it is not a folder).  -1 with "--out: ..." or "--trace: ..."
 * in err.
 */
int rundir_check(struct rundir *r, const char *dir, const char *trace, char *err,
		 size_t errlen);

/* mkdir -p (after rundir_check); -1 with a reason in err. */
int rundir_make(struct rundir *r, char *err, size_t errlen);

/* Removes the folders rundir_make created, if empty: a run refused after
 * it leaves no folder behind. */
void rundir_undo(struct rundir *r);

/* The temporaries a killed run left: of the folder's files, and of the
 * trace beside it (outfile_sweep). */
void rundir_sweep(const struct rundir *r, const char *trace);

void rundir_free(struct rundir *r);

#endif
