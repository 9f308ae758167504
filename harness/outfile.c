/*
 * Run-folder files written under a temporary name (outfile.h).
 */
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int outfile_open(struct outfile *o, const char *dir, const char *name, char *err,
		 size_t errlen)
{
	memset(o, 0, sizeof *o);
	if (asprintf(&o->path, "%s/%s", dir, name) < 0 ||
	    asprintf(&o->tmp, "%s.tmp.XXXXXX", o->path) < 0) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", o->path, strerror(errno));
		goto fail;
	}
	/* mkstemp makes it private; give it the mode a plain fopen would. */
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0 || !(o->f = fdopen(fd, "w"))) {
		snprintf(err, errlen, "%s: %s", o->tmp, strerror(errno));
		close(fd);
		unlink(o->tmp);
		goto fail;
	}
	return 0;
fail:
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof *o);
	return -1;
}

int outfile_commit(struct outfile *o, char *err, size_t errlen)
{
	if (!o->f)
		return 0;
	bool ok = fflush(o->f) == 0 && !ferror(o->f);
	int e = errno;
	if (fclose(o->f) != 0 && ok) {
		e = errno;
		ok = false;
	}
	if (ok && rename(o->tmp, o->path) != 0) {
		e = errno;
		ok = false;
	}
	if (!ok) {
		snprintf(err, errlen, "%s: write error: %s", o->path, strerror(e));
		unlink(o->tmp);
	}
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof *o);
	return ok ? 0 : -1;
}

void outfile_discard(struct outfile *o)
{
	if (o->f) {
		fclose(o->f);
		unlink(o->tmp);
	}
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof *o);
}

int make_dirs(const char *path, char *err, size_t errlen)
{
	if (!*path) {
		snprintf(err, errlen, "empty folder name");
		return -1;
	}
	char *p = strdup(path);
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = 0;
	/* Each prefix ending at a '/', then the whole path. */
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s != 0)
			continue;
		char c = *s;
		*s = 0;
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "%s: cannot create: %s", p, strerror(errno));
			rc = -1;
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	if (rc == 0) {
		struct stat st;
		if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "%s: not a directory", path);
			rc = -1;
		}
	}
	free(p);
	return rc;
}
