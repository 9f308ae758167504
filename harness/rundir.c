/*
 * The run's outputs before the run (rundir.h).  The checks use stat and
 * access, so what they allow can still fail later (a disk that fills, a
 * folder removed meanwhile); the later failure is then reported as the
 * writer reports it, and the run still cleans up after itself.
 */
#include "rundir.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <util/die.h>
#include <util/outfile.h>

const char *const rundir_files[] = {"scenario.txt", "console.log", "summary.txt", NULL};

/* The folder a file at path goes in (malloc); *name, if not NULL, its
 * name in it. */
static char *parent_of(const char *path, const char **name)
{
	size_t len = strlen(path);
	char *dir = malloc(len + 2); /* room for "." */
	if (!dir)
		die(EXIT_INTERNAL, "out of memory");
	memcpy(dir, path, len + 1);
	char *slash = strrchr(dir, '/');
	if (name)
		*name = slash ? path + (slash - dir) + 1 : path;
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = 0;
	else
		*slash = 0;
	return dir;
}

/* p's parent, in place, as mkdir -p walks it the other way: "a/b/" ->
 * "a", "a" -> ".", "/a" -> "/". */
static void up(char *p)
{
	size_t n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		p[--n] = 0;
	char *slash = strrchr(p, '/');
	if (!slash)
		strcpy(p, ".");   /* p has room: "." is shorter than any name */
	else if (slash == p)
		p[1] = 0;
	else
		*slash = 0;
	if (!*p)
		strcpy(p, ".");
}

/* dir itself if it exists, else its nearest existing ancestor (malloc);
 * NULL with a reason in err if a stat fails for another reason than a
 * missing name. */
static char *nearest_existing(const char *dir, char *err, size_t errlen)
{
	/* Room for "." whatever dir is ("" included). */
	size_t len = strlen(dir);
	char *p = malloc(len + 2);
	if (!p)
		die(EXIT_INTERNAL, "out of memory");
	memcpy(p, dir, len + 1);
	if (!*p)
		strcpy(p, ".");
	for (;;) {
		struct stat st;
		if (stat(p, &st) == 0)
			return p;
		if (errno != ENOENT) {
			snprintf(err, errlen, "%s: cannot create: %s", p, strerror(errno));
			free(p);
			return NULL;
		}
		up(p);
	}
}

/* 0 if p is a folder files can be created in, else why not (an errno:
 * ENOTDIR for another kind of file). */
static int writable_dir(const char *p)
{
	struct stat st;
	if (stat(p, &st) != 0)
		return errno;
	if (!S_ISDIR(st.st_mode))
		return ENOTDIR;
	if (access(p, W_OK | X_OK) != 0)
		return errno;
	return 0;
}

/* Whether folder a is b or one of b's ancestors, as mkdir -p b would
 * create it: by name. */
static bool made_with(const char *a, const char *b)
{
	size_t n = strlen(a);
	while (n > 1 && a[n - 1] == '/')
		n--;
	return !strncmp(a, b, n) && (b[n] == 0 || b[n] == '/');
}

static int check_trace(const char *trace, const char *out, char *err, size_t errlen)
{
	struct stat st;
	if (stat(trace, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "--trace: %s: cannot create: %s", trace, strerror(EISDIR));
		return -1;
	}
	char *dir = parent_of(trace, NULL);
	/* A folder made with the run folder (--out runs/x --trace
	 * runs/x/t.vzt) will be there. */
	int e = writable_dir(dir);
	if (e == ENOENT && made_with(dir, out))
		e = 0;
	free(dir);
	if (e) {
		snprintf(err, errlen, "--trace: %s: cannot create: %s", trace, strerror(e));
		return -1;
	}
	return 0;
}

int rundir_check(struct rundir *r, const char *dir, const char *trace, char *err,
		 size_t errlen)
{
	char why[512];
	r->path = dir;
	r->existing = nearest_existing(dir, why, sizeof why);
	if (!r->existing) {
		snprintf(err, errlen, "--out: %s", why);
		return -1;
	}
	/* As make_dirs and the writer would say it. */
	int e = writable_dir(r->existing);
	if (e == ENOTDIR) {
		snprintf(err, errlen, "--out: %s: not a directory", r->existing);
		return -1;
	}
	if (e) {
		snprintf(err, errlen, "--out: %s: cannot create%s: %s", dir,
			 strcmp(r->existing, dir) ? "" : " files in it", strerror(e));
		return -1;
	}
	/* In an existing run folder, a file that could never be renamed
	 * into place would be lost at the end of the run, not at its start. */
	for (const char *const *f = rundir_files; *f; f++) {
		char *path;
		struct stat st;
		if (asprintf(&path, "%s/%s", dir, *f) < 0)
			die(EXIT_INTERNAL, "out of memory");
		bool isdir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
		if (isdir)
			snprintf(err, errlen, "--out %s: %s: cannot create: %s", dir, path,
				 strerror(EISDIR));
		free(path);
		if (isdir)
			return -1;
	}
	if (trace && check_trace(trace, dir, err, errlen) != 0)
		return -1;
	return 0;
}

int rundir_make(struct rundir *r, char *err, size_t errlen)
{
	return make_dirs(r->path, err, errlen);
}

void rundir_undo(struct rundir *r)
{
	if (!r->existing)
		return;
	size_t len = strlen(r->path);
	char *p = malloc(len + 2);
	if (!p)
		return;
	memcpy(p, r->path, len + 1);
	if (!*p)
		strcpy(p, ".");
	/* The same walk as nearest_existing's: it ends at that folder. */
	while (strcmp(p, r->existing) != 0 && rmdir(p) == 0)
		up(p);
	free(p);
}

void rundir_sweep(const struct rundir *r, const char *trace)
{
	char err[512];
	for (const char *const *f = rundir_files; *f; f++)
		if (outfile_sweep(r->path, *f, err, sizeof err) < 0)
			break; /* the folder cannot be read: its files' opens will say */
	if (!trace)
		return;
	const char *name;
	char *dir = parent_of(trace, &name);
	if (*name)
		outfile_sweep(dir, name, err, sizeof err);
	free(dir);
}

void rundir_free(struct rundir *r)
{
	free(r->existing);
	r->existing = NULL;
}
