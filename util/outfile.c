/*
 * Files written under a temporary name (outfile.h).
 *
 * This is the lowest host layer (util/, below libpdtrace's packet layer,
 * libvzsim and vzsoak) rather than the packet layer itself: vzsoak sees
 * only vzsim's API and the ABI headers, not libpdtrace's, and every user
 * already links this library.
 */
#include <util/outfile.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Written in place: stdout, or a device or FIFO (/dev/null), which a
 * rename would replace with a regular file. */
static bool in_place(const struct outfile *o)
{
	return !o->tmp;
}

static bool is_stdout(const struct outfile *o)
{
	return o->f == stdout && in_place(o);
}

static const char *shown(const struct outfile *o)
{
	return is_stdout(o) ? "stdout" : o->path;
}

static void clear(struct outfile *o)
{
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof *o);
}

int outfile_open(struct outfile *o, const char *path, char *err, size_t errlen)
{
	memset(o, 0, sizeof *o);
	if (!(o->path = strdup(path))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		if (!(o->f = fopen(path, "w"))) {
			snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
			clear(o);
			return -1;
		}
		return 0;
	}
	if (asprintf(&o->tmp, "%s.tmp.XXXXXX", path) < 0) {
		o->tmp = NULL;
		snprintf(err, errlen, "out of memory");
		clear(o);
		return -1;
	}
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
		clear(o);
		return -1;
	}
	/* mkstemp makes it private; give it the mode a plain fopen would. */
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0 || !(o->f = fdopen(fd, "w"))) {
		snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
		close(fd);
		unlink(o->tmp);
		clear(o);
		return -1;
	}
	return 0;
}

int outfile_write(struct outfile *o, const void *p, size_t size, size_t n)
{
	if (o->err)
		return -1;
	if (fwrite(p, size, n, o->f) == n)
		return 0;
	o->err = errno ? errno : EIO;
	return -1;
}

int outfile_commit(struct outfile *o, char *err, size_t errlen)
{
	if (!o->f)
		return 0;
	/* The first failure's reason; UNKNOWN when a buffer flush inside an
	 * fprintf long ago left only the error flag. */
	enum { UNKNOWN = -1 };
	int e = o->err;
	errno = 0;
	if (fflush(o->f) != 0 && !e)
		e = errno ? errno : UNKNOWN;
	if (ferror(o->f) && !e)
		e = UNKNOWN;
	if (!is_stdout(o) && fclose(o->f) != 0 && !e)
		e = errno ? errno : UNKNOWN;
	if (!in_place(o)) {
		if (!e && rename(o->tmp, o->path) != 0)
			e = errno;
		if (e)
			unlink(o->tmp);
	}
	if (e == UNKNOWN)
		snprintf(err, errlen, "%s: write error", shown(o));
	else if (e)
		snprintf(err, errlen, "%s: write error: %s", shown(o), strerror(e));
	clear(o);
	return e ? -1 : 0;
}

void outfile_discard(struct outfile *o)
{
	if (o->f && !is_stdout(o))
		fclose(o->f);
	if (o->f && !in_place(o))
		unlink(o->tmp);
	clear(o);
}

size_t outfile_tail(struct outfile *o, char *buf, size_t len)
{
	if (!len)
		return 0;
	buf[0] = 0;
	if (!o->f || in_place(o) || fflush(o->f) != 0)
		return 0;
	/* mkstemp's descriptor is read-write whatever fdopen's mode. */
	int fd = fileno(o->f);
	struct stat st;
	if (fstat(fd, &st) != 0)
		return 0;
	off_t from = st.st_size > (off_t)(len - 1) ? st.st_size - (off_t)(len - 1) : 0;
	ssize_t n = pread(fd, buf, (size_t)(st.st_size - from), from);
	if (n < 0)
		n = 0;
	buf[n] = 0;
	return (size_t)n;
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

/* ------------------------------------------------------------ sweeping */

/* mkstemp's six characters (glibc: letters and digits), and nothing of
 * a name someone chose by hand ("keep-me", "bak"). */
static bool tmp_suffix(const char *s)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz"
				       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	return strlen(s) == 6 && strspn(s, alphabet) == 6;
}

int outfile_sweep(const char *dir, const char *name, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "%s: cannot read: %s", dir, strerror(errno));
		return -1;
	}
	size_t nlen = strlen(name);
	int removed = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *s = e->d_name;
		if (strncmp(s, name, nlen) != 0 || strncmp(s + nlen, ".tmp.", 5) != 0 ||
		    !tmp_suffix(s + nlen + 5))
			continue;
		/* Only what the writer makes: a regular file, never a link
		 * (which would not be its own) or a folder. */
		struct stat st;
		if (fstatat(dirfd(d), s, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (unlinkat(dirfd(d), s, 0) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}
