/*
 * mkcpio: writes the initramfs of Linux on vzsim (docs/linux.md) from a
 * list of its members, as a newc cpio archive (cpio.h).
 *
 *   mkcpio -o OUT [-s NAME=DIR]... LIST
 *
 * LIST has one member a line ('#' starts a comment):
 *   dir  PATH MODE
 *   file PATH MODE SOURCE      SOURCE is ROOT:PATH, ROOT named by -s
 *   link PATH TARGET
 *   node PATH MODE c|b MAJOR MINOR
 * MODE is octal.  Bad input: one line naming LIST:LINE, exit status 2.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <initramfs/cpio.h>
#include <util/die.h>
#include <util/outfile.h>

#define MAX_ROOTS 8
#define MAX_FIELDS 8

struct root {
	const char *name;
	size_t namelen;
	const char *dir;
};

static struct root roots[MAX_ROOTS];
static int nroots;
static struct outfile out;

static void usage(FILE *f)
{
	fputs("usage: mkcpio -o OUT [-s NAME=DIR]... LIST\n"
	      "Writes a newc cpio archive (a Linux initramfs) of the members "
	      "LIST names:\n"
	      "  dir  PATH MODE\n"
	      "  file PATH MODE ROOT:SOURCE   (ROOT given by -s ROOT=DIR)\n"
	      "  link PATH TARGET\n"
	      "  node PATH MODE c|b MAJOR MINOR\n"
	      "MODE in octal; '#' starts a comment.  docs/linux.md\n", f);
}

static __attribute__((noreturn, format(printf, 3, 4)))
void bad_line(const char *list, unsigned line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	outfile_discard(&out);
	die(EXIT_BAD_INPUT, "%s:%u: %s", list, line, msg);
}

static unsigned parse_num(const char *list, unsigned line, const char *s, int base,
			  unsigned max, const char *what)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, base);
	if (!*s || *end || errno || v > max || *s == '-')
		bad_line(list, line, "%s '%s' is not %s", what, s,
			 base == 8 ? "an octal mode (e.g. 0755)" : "a number");
	return (unsigned)v;
}

/* The host path of ROOT:PATH, malloc'd. */
static char *source_path(const char *list, unsigned line, const char *src)
{
	const char *colon = strchr(src, ':');
	if (colon) {
		for (int i = 0; i < nroots; i++) {
			if ((size_t)(colon - src) == roots[i].namelen &&
			    strncmp(src, roots[i].name, roots[i].namelen) == 0) {
				size_t n = strlen(roots[i].dir) + strlen(colon) + 1;
				char *p = malloc(n);
				if (!p)
					die(EXIT_INTERNAL, "out of memory");
				snprintf(p, n, "%s/%s", roots[i].dir, colon + 1);
				return p;
			}
		}
	}
	bad_line(list, line, "source '%s' does not start with a root given by -s "
		 "(NAME:PATH)", src);
}

static void add_file(struct cpio_writer *w, const char *list, unsigned line,
		     const char *name, unsigned mode, const char *src)
{
	char *path = source_path(list, line, src);
	FILE *f = fopen(path, "rb");
	if (!f)
		bad_line(list, line, "%s: cannot open: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))
		bad_line(list, line, "%s: not a regular file", path);
	if (st.st_size > UINT32_MAX)
		bad_line(list, line, "%s: larger than 4 GiB", path);
	size_t size = (size_t)st.st_size;
	void *data = malloc(size ? size : 1);
	if (!data)
		die(EXIT_INTERNAL, "out of memory");
	if (fread(data, 1, size, f) != size)
		bad_line(list, line, "%s: read error", path);
	fclose(f);
	cpio_file(w, name, mode, data, (uint32_t)size);
	free(data);
	free(path);
}

/* Splits s at blanks into at most MAX_FIELDS fields; their count. */
static int split(char *s, char **field)
{
	int n = 0;
	for (char *t = strtok(s, " \t\r\n"); t; t = strtok(NULL, " \t\r\n")) {
		if (n == MAX_FIELDS)
			return MAX_FIELDS + 1;
		field[n++] = t;
	}
	return n;
}

static void add_line(struct cpio_writer *w, const char *list, unsigned line, char *text)
{
	char *hash = strchr(text, '#');
	if (hash)
		*hash = '\0';
	char *f[MAX_FIELDS];
	int n = split(text, f);
	if (n == 0)
		return;
	const char *kind = f[0];
	int want = strcmp(kind, "dir") == 0    ? 3
		   : strcmp(kind, "file") == 0 ? 4
		   : strcmp(kind, "link") == 0 ? 3
		   : strcmp(kind, "node") == 0 ? 6
					       : 0;
	if (!want)
		bad_line(list, line, "'%s' is not dir, file, link or node", kind);
	if (n != want)
		bad_line(list, line, "%s takes %d fields, got %d", kind, want - 1, n - 1);
	const char *name = f[1];
	while (*name == '/')
		name++;
	if (!*name)
		bad_line(list, line, "empty path");
	if (strcmp(kind, "link") == 0) {
		cpio_symlink(w, name, f[2]);
		return;
	}
	unsigned mode = parse_num(list, line, f[2], 8, 07777, "mode");
	if (strcmp(kind, "dir") == 0) {
		cpio_dir(w, name, mode);
	} else if (strcmp(kind, "file") == 0) {
		add_file(w, list, line, name, mode, f[3]);
	} else {
		if (strcmp(f[3], "c") != 0 && strcmp(f[3], "b") != 0)
			bad_line(list, line, "node type '%s' is not c or b", f[3]);
		cpio_node(w, name, mode, f[3][0],
			  parse_num(list, line, f[4], 10, 4095, "major"),
			  parse_num(list, line, f[5], 10, 1048575, "minor"));
	}
}

int main(int argc, char **argv)
{
	const char *outpath = NULL;
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if ((strcmp(a, "-o") != 0 && strcmp(a, "-s") != 0) || i + 1 == argc)
			die(EXIT_BAD_INPUT, "%s: unknown option or no value (try --help)", a);
		const char *v = argv[++i];
		if (a[1] == 'o') {
			outpath = v;
			continue;
		}
		const char *eq = strchr(v, '=');
		if (!eq || eq == v || !eq[1])
			die(EXIT_BAD_INPUT, "-s '%s': want NAME=DIR", v);
		if (nroots == MAX_ROOTS)
			die(EXIT_BAD_INPUT, "-s: more than %d roots", MAX_ROOTS);
		roots[nroots++] = (struct root){v, (size_t)(eq - v), eq + 1};
	}
	if (!outpath || i + 1 != argc)
		die(EXIT_BAD_INPUT, "want -o OUT and one LIST (try --help)");
	const char *list = argv[i];
	FILE *lf = fopen(list, "r");
	if (!lf)
		die(EXIT_BAD_INPUT, "%s: cannot open: %s", list, strerror(errno));

	char err[512];
	if (outfile_open(&out, outpath, err, sizeof err) != 0)
		die(EXIT_INTERNAL, "%s", err);
	struct cpio_writer w;
	cpio_init(&w, out.f);
	char text[4096];
	unsigned line = 0;
	while (fgets(text, sizeof text, lf)) {
		line++;
		if (!strchr(text, '\n') && !feof(lf))
			bad_line(list, line, "line longer than %zu bytes", sizeof text - 1);
		add_line(&w, list, line, text);
	}
	if (ferror(lf))
		bad_line(list, line, "read error");
	fclose(lf);
	cpio_finish(&w);
	if (outfile_commit(&out, err, sizeof err) != 0)
		die(EXIT_INTERNAL, "%s", err);
	return 0;
}
