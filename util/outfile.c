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
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Links followed before giving up (the kernel's own limit, ELOOP). */
#define MAX_LINKS 40

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
	free(o->target);
	free(o->tmp);
	memset(o, 0, sizeof *o);
}

/* The folder part of path ("." when it has none, "/" for "/x"). */
static char *folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/*
 * Whether the link at path (lst its lstat) may be followed: not one in a
 * sticky world-writable folder (/tmp) that belongs neither to us nor to
 * the folder's owner, the rule of Linux's fs.protected_symlinks, kept
 * here whatever the system's setting, since the links are read by hand.
 * Otherwise anyone who may write to /tmp could make us replace any file
 * we may write.
 */
static bool may_follow(const char *path, const struct stat *lst)
{
	char *dir = folder_of(path);
	struct stat dst;
	bool ok = !dir || stat(dir, &dst) != 0 ||
		  !(dst.st_mode & S_ISVTX) || !(dst.st_mode & S_IWOTH) ||
		  lst->st_uid == geteuid() || lst->st_uid == dst.st_uid;
	free(dir);
	return ok;
}

/*
 * The file an output at path replaces: path itself, or, if it is a
 * symbolic link, what the link leads to (followed link by link, each
 * relative link from its own folder), existing or not, so that the link
 * stays a link and a dangling one creates its target.  NULL with errno
 * set (ENOMEM, ELOOP, readlink's), *refused when may_follow said no.
 */
static char *resolve(const char *path, bool *refused)
{
	*refused = false;
	char *p = strdup(path);
	for (int links = 0; p; links++) {
		struct stat st;
		if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode))
			return p; /* whatever is wrong, creating it will say */
		int e = 0;
		char to[PATH_MAX];
		ssize_t n = 0;
		if (links == MAX_LINKS)
			e = ELOOP;
		else if (!may_follow(p, &st)) {
			e = EACCES;
			*refused = true;
		} else if ((n = readlink(p, to, sizeof to)) < 0)
			e = errno;
		else if ((size_t)n == sizeof to)
			e = ENAMETOOLONG;
		if (e) {
			free(p);
			errno = e;
			return NULL;
		}
		to[n] = 0;
		char *next = NULL;
		const char *slash = strrchr(p, '/');
		if (to[0] == '/' || !slash)
			next = strdup(to);
		else if (asprintf(&next, "%.*s/%s", (int)(slash - p + 1), p, to) < 0)
			next = NULL;
		free(p);
		p = next;
	}
	errno = ENOMEM;
	return NULL;
}

/* Opens an existing device or FIFO for writing in place; -1 (errno set)
 * on a failure, 1 if target is now a regular file after all (it changed
 * since it was looked at: it gets a temporary like any file). */
static int open_in_place(struct outfile *o)
{
	int fd = open(o->target, O_WRONLY | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	int rc = 0;
	if (fstat(fd, &st) != 0)
		rc = -1;
	else if (S_ISREG(st.st_mode))
		rc = 1;
	else if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		rc = -1;
	}
	if (rc != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return rc;
	}
	if (!(o->f = fdopen(fd, "w"))) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return 0;
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
	bool refused;
	if (!(o->target = resolve(path, &refused))) {
		snprintf(err, errlen, "%s: cannot create: %s", path,
			 refused ? "a symbolic link in a sticky folder, not ours "
				   "nor the folder owner's" : strerror(errno));
		clear(o);
		return -1;
	}
	/* A folder is refused now, not by the rename at the end of a run. */
	struct stat st;
	bool exists = lstat(o->target, &st) == 0;
	if (exists && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: cannot create: %s", path, strerror(EISDIR));
		clear(o);
		return -1;
	}
	if (exists && !S_ISREG(st.st_mode)) {
		int rc = open_in_place(o);
		if (rc < 0) {
			snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
			clear(o);
			return -1;
		}
		if (rc == 0)
			return 0;
	}
	/* Beside the file it replaces (the link's target), created with
	 * O_EXCL: nothing already there, a planted link included, is
	 * followed or reused. */
	if (asprintf(&o->tmp, "%s.tmp.XXXXXX", o->target) < 0) {
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
	enum { UNKNOWN = -1, NOT_REGULAR = -2 };
	int e = o->err;
	errno = 0;
	if (fflush(o->f) != 0 && !e)
		e = errno ? errno : UNKNOWN;
	if (ferror(o->f) && !e)
		e = UNKNOWN;
	if (!is_stdout(o) && fclose(o->f) != 0 && !e)
		e = errno ? errno : UNKNOWN;
	if (!in_place(o)) {
		/* Only a regular file or nothing is replaced: what became
		 * something else while the file was written stays. */
		struct stat st;
		if (!e && lstat(o->target, &st) == 0 && !S_ISREG(st.st_mode))
			e = NOT_REGULAR;
		if (!e && rename(o->tmp, o->target) != 0)
			e = errno;
		if (e)
			unlink(o->tmp);
	}
	if (e == UNKNOWN)
		snprintf(err, errlen, "%s: write error", shown(o));
	else if (e == NOT_REGULAR)
		snprintf(err, errlen, "%s: not replaced: no longer a regular file",
			 shown(o));
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

/* Who a file output is: its device and inode if it exists, else the real
 * path of its folder and its name.  false when it is no file that a
 * rename replaces (stdout, a device, a FIFO) or cannot be told. */
struct identity {
	dev_t dev;
	ino_t ino;
	char *where; /* NULL when dev and ino are set */
};

static bool identify(const char *path, struct identity *id)
{
	memset(id, 0, sizeof *id);
	if (strcmp(path, "-") == 0)
		return false;
	bool refused;
	char *target = resolve(path, &refused);
	if (!target)
		return false;
	struct stat st;
	bool ok = false;
	if (lstat(target, &st) == 0) {
		ok = S_ISREG(st.st_mode);
		id->dev = st.st_dev;
		id->ino = st.st_ino;
	} else {
		char *dir = folder_of(target);
		char *real = dir ? realpath(dir, NULL) : NULL;
		const char *slash = strrchr(target, '/');
		const char *name = slash ? slash + 1 : target;
		ok = real && asprintf(&id->where, "%s/%s", real, name) >= 0;
		if (!ok)
			id->where = NULL;
		free(real);
		free(dir);
	}
	free(target);
	return ok;
}

bool outfile_same(const char *a, const char *b)
{
	struct identity x, y;
	bool same = false;
	if (identify(a, &x) && identify(b, &y)) {
		if (x.where && y.where)
			same = strcmp(x.where, y.where) == 0;
		else if (!x.where && !y.where)
			same = x.dev == y.dev && x.ino == y.ino;
		free(y.where);
	}
	free(x.where);
	return same;
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
