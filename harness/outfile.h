/*
 * Files of the run folder.  Each is written under a temporary name next to
 * its final one and renamed only when complete, so a crash or a kill never
 * leaves a half-written file under the real name.
 */
#ifndef HARNESS_OUTFILE_H
#define HARNESS_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct outfile {
	char *path; /* final name */
	char *tmp;  /* NAME.tmp.XXXXXX while open */
	FILE *f;
};

/* dir/name under a temporary name; -1 with a reason in err. */
int outfile_open(struct outfile *o, const char *dir, const char *name, char *err,
		 size_t errlen);

/* Closes and renames into place; -1 (the temporary removed) with a
 * reason in err if writing failed.  Does nothing if it is not open. */
int outfile_commit(struct outfile *o, char *err, size_t errlen);

/* Closes and removes the temporary. */
void outfile_discard(struct outfile *o);

/* mkdir -p. */
int make_dirs(const char *path, char *err, size_t errlen);

#endif
