/*
 * Files that must never be left half-written: vzsim's outputs, vzsoak's
 * run folder, the trace files libpdtrace writes.  Each is created under a
 * temporary name beside its final one (NAME.tmp.XXXXXX, O_EXCL, the mode a
 * plain fopen would give) and renamed into place only when complete, so a
 * crash, a kill or a full disk never leaves a half-written file under the
 * real name.  "-" is stdout; a device or FIFO (/dev/null) is written in
 * place, not replaced; a folder is refused.  A symbolic link is followed
 * (link by link, a dangling one to the file it names): the file it leads
 * to is replaced, the temporary beside it, and the link stays a link; a
 * link in a sticky world-writable folder (/tmp) that is neither ours nor
 * the folder owner's is refused.  Only a regular file or nothing is ever
 * renamed over (docs/cli.md, "Output files").
 *
 * The messages have one format, naming the final file:
 *   "PATH: cannot create: REASON", "PATH: write error[: REASON]" (stdout:
 *   "stdout: write error..."), "out of memory".
 */
#ifndef UTIL_OUTFILE_H
#define UTIL_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct outfile {
	FILE *f;    /* where to write; NULL when not open */
	/* Private: the name given (for messages), the file it replaces (a
	 * link's target), the temporary name (NULL when written in place),
	 * and the first write error outfile_write saw. */
	char *path;
	char *target;
	char *tmp;
	int err;
};

/* path (or "-") under a temporary name; -1 with a reason in err. */
int outfile_open(struct outfile *o, const char *path, char *err, size_t errlen);

/* fwrite that keeps the first failure's errno for outfile_commit's
 * message; -1 on a failure (this or an earlier one). */
int outfile_write(struct outfile *o, const void *p, size_t size, size_t n);

/* Closes and renames into place (stdout: flushes); -1 (the temporary
 * removed) with a reason in err if any write failed.  Does nothing if it
 * is not open. */
int outfile_commit(struct outfile *o, char *err, size_t errlen);

/* Closes and removes the temporary (stdout: leaves it open). */
void outfile_discard(struct outfile *o);

/* The last bytes written so far (at most len - 1, NUL-terminated; "" for
 * stdout or on an error): a reader of the file's tail before it is
 * complete needs no name for it (only files under a temporary name). */
size_t outfile_tail(struct outfile *o, char *buf, size_t len);

/* Whether outputs at a and b would replace the same file (the same
 * device and inode, or the same name in the same real folder; through
 * links as outfile_open follows them): two outputs of one run must not.
 * false for "-", devices and FIFOs, which may be shared. */
bool outfile_same(const char *a, const char *b);

/* mkdir -p; -1 with a reason in err. */
int make_dirs(const char *path, char *err, size_t errlen);

/*
 * What a writer killed before its commit (SIGKILL, a power cut) left in
 * dir for name: the regular files named exactly NAME.tmp.XXXXXX, XXXXXX
 * six of mkstemp's letters and digits, are removed; nothing else is
 * touched (NAME.tmp.keep-me, links, folders).  For a folder one writer
 * at a time writes into.  Returns how many were removed, -1 with a reason
 * in err if dir cannot be read.
 */
int outfile_sweep(const char *dir, const char *name, char *err, size_t errlen);

#endif
