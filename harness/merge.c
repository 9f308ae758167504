/*
 * vzsoak merge --out DIR SHARD_DIR...: the shards of one soak (vzsoak soak
 * --shard K/N, run on several machines) become one soak folder.  Merging
 * is replaying: every shard's journal line is taken in the order the runs
 * finished, each flagged run's reproducer (if its shard kept it) offered to
 * crashdb_keep as the soak offers a finished run, the line appended, and
 * the crash folders and the index rewritten by crashdb_write.  So the
 * merged folder is what one soak of the same runs would have made, by the
 * same code (docs/soak.md, "vzsoak merge").
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <util/outfile.h>

#include "cli.h"
#include "crashdb.h"
#include "title.h"

struct shard {
	const char *dir;
	char *conf;     /* soak.conf's text */
	char *same;     /* ... without its shard line: equal in every shard */
	struct journal j;
};

/* One journal line to replay, with where it came from. */
struct item {
	const struct entry *e;
	size_t shard, index;
};

static void usage(FILE *f)
{
	fputs("usage: vzsoak merge --out DIR SHARD_DIR...\n"
	      "Merges the folders of one soak's shards (vzsoak soak --shard K/N) "
	      "into one soak\nfolder: journals, crash folders with their counts "
	      "and reproducers, index.\n\noptions:\n"
	      "  --out DIR   the merged soak folder (new, or without a journal)\n\n"
	      "exit status: 0 every run clean, 1 some run flagged, 2 bad input "
	      "(shards of\ndifferent soaks, a seed in two shards), 70 internal "
	      "error.\nDetails: docs/soak.md\n", f);
}

/* The text of a file (malloc), NULL if it cannot be read. */
/* soak.conf without its "shard = K/N" line: what must be equal for two
 * folders to be shards of one soak. */
static char *without_shard(const char *conf)
{
	char *out = malloc(strlen(conf) + 1), *o = out;
	if (!out)
		die(EXIT_INTERNAL, "out of memory");
	for (const char *p = conf; *p; ) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) + 1 : strlen(p);
		if (strncmp(p, "shard = ", 8)) {
			memcpy(o, p, l);
			o += l;
		}
		p += l;
	}
	*o = 0;
	return out;
}

/* The first line where two texts differ, for the message. */
static void first_diff(const char *a, const char *b, char *buf, size_t len)
{
	while (*a || *b) {
		size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
		if (la != lb || strncmp(a, b, la)) {
			snprintf(buf, len, "'%.*s' against '%.*s'", (int)la, a, (int)lb, b);
			return;
		}
		a += la + (a[la] != 0);
		b += lb + (b[lb] != 0);
	}
	snprintf(buf, len, "?");
}

/* A reproducer folder copied whole (files and one level of folders as the
 * run makes them): the shard is left as it was, the copy is the merge's
 * to move into its crash folder. */
static int copy_tree(const char *from, const char *to, char *err, size_t errlen)
{
	if (make_dirs(to, err, errlen) != 0)
		return -1;
	DIR *d = opendir(from);
	if (!d) {
		snprintf(err, errlen, "%s: cannot open: %s", from, strerror(errno));
		return -1;
	}
	int rc = 0;
	struct dirent *de;
	while (rc == 0 && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char *a, *b;
		if (asprintf(&a, "%s/%s", from, de->d_name) < 0 ||
		    asprintf(&b, "%s/%s", to, de->d_name) < 0)
			die(EXIT_INTERNAL, "out of memory");
		struct stat sb;
		if (lstat(a, &sb) != 0) {
			snprintf(err, errlen, "%s: %s", a, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(sb.st_mode)) {
			rc = copy_tree(a, b, err, errlen);
		} else if (S_ISREG(sb.st_mode)) {
			int in = open(a, O_RDONLY | O_CLOEXEC);
			int out = open(b, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
				       sb.st_mode & 0777);
			char buf[65536];
			ssize_t n = 0;
			while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0)
				if (write(out, buf, (size_t)n) != n) {
					n = -1;
					break;
				}
			if (in < 0 || out < 0 || n < 0) {
				snprintf(err, errlen, "cannot copy %s to %s: %s", a, b,
					 strerror(errno));
				rc = -1;
			}
			if (in >= 0)
				close(in);
			if (out >= 0 && close(out) != 0 && rc == 0) {
				snprintf(err, errlen, "%s: write error: %s", b, strerror(errno));
				rc = -1;
			}
		}
		free(a);
		free(b);
	}
	closedir(d);
	return rc;
}

/* The replay command of a kept reproducer: repro.sh's line that ends in
 * "$@" (crashdb_keep writes it so), without it.  NULL if there is none. */
static char *repro_of(const char *run_dir)
{
	char *path;
	if (asprintf(&path, "%s/repro.sh", run_dir) < 0)
		die(EXIT_INTERNAL, "out of memory");
	char *text = slurp(path), *cmd = NULL;
	free(path);
	for (char *line = text; line && *line; ) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		size_t l = strlen(line);
		if (line[0] != '#' && l > 5 && !strcmp(line + l - 5, " \"$@\"")) {
			cmd = strndup(line, l - 5);
			break;
		}
		line = nl ? nl + 1 : NULL;
	}
	free(text);
	return cmd;
}

static int by_when(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	if (x->e->when != y->e->when)
		return x->e->when < y->e->when ? -1 : 1;
	if (x->shard != y->shard)
		return x->shard < y->shard ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int by_seed_only(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	if (x->e->seed != y->e->seed)
		return x->e->seed < y->e->seed ? -1 : 1;
	return strcmp(x->e->scn, y->e->scn);
}

static int by_seed(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int c = by_seed_only(a, b);
	if (c)
		return c;
	return x->shard < y->shard ? -1 : x->shard > y->shard;
}

int cmd_merge(const char *prog, int argc, char **argv)
{
	(void)prog;
	static const struct option longopts[] = {
		{"out", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *out = NULL;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == 'o') {
			out = optarg;
		} else if (c == 'h') {
			usage(stdout);
			return EXIT_CLEAN;
		} else if (c == ':') {
			die(EXIT_BAD_INPUT, "%s needs a value (try vzsoak merge --help)",
			    argv[optind - 1]);
		} else {
			die(EXIT_BAD_INPUT, "unknown option '%s' (try vzsoak merge --help)",
			    argv[optind - 1]);
		}
	}
	if (!out)
		die(EXIT_BAD_INPUT, "where to? (give --out DIR)");
	size_t ns = (size_t)(argc - optind);
	if (!ns)
		die(EXIT_BAD_INPUT, "no shard folders to merge (try vzsoak merge --help)");
	struct shard *s = calloc(ns, sizeof *s);
	if (!s)
		die(EXIT_INTERNAL, "out of memory");
	char err[PATH_MAX + 256], *p;
	unsigned keep = 5;
	size_t total = 0;
	for (size_t i = 0; i < ns; i++) {
		s[i].dir = argv[optind + i];
		if (asprintf(&p, "%s/soak.conf", s[i].dir) < 0)
			die(EXIT_INTERNAL, "out of memory");
		s[i].conf = slurp(p);
		free(p);
		if (!s[i].conf)
			die(EXIT_BAD_INPUT, "%s: not a soak folder (no soak.conf)", s[i].dir);
		s[i].same = without_shard(s[i].conf);
		if (i && strcmp(s[i].same, s[0].same)) {
			char why[512];
			first_diff(s[0].same, s[i].same, why, sizeof why);
			die(EXIT_BAD_INPUT, "%s and %s are not shards of one soak: %s",
			    s[0].dir, s[i].dir, why);
		}
		for (size_t k = 0; k < i; k++)
			if (outfile_same(s[k].dir, s[i].dir))
				die(EXIT_BAD_INPUT, "%s is given twice", s[i].dir);
		if (journal_load(&s[i].j, s[i].dir, err, sizeof err) != 0)
			die(EXIT_BAD_INPUT, "%s", err);
		total += s[i].j.n;
	}
	for (const char *q = s[0].same; q && *q; q = strchr(q, '\n') ? strchr(q, '\n') + 1 : NULL)
		if (sscanf(q, "keep = %u", &keep) == 1)
			break;

	/* Each seed once: a seed in two shards means shards of different
	 * N, or a folder given under two names. */
	struct item *it = calloc(total + 1, sizeof *it);
	if (!it)
		die(EXIT_INTERNAL, "out of memory");
	size_t n = 0;
	for (size_t i = 0; i < ns; i++)
		for (size_t x = 0; x < s[i].j.n; x++)
			it[n++] = (struct item){&s[i].j.e[x], i, x};
	/* In seed order, so that the seed named is the first of the
	 * overlap whatever order the runs finished in. */
	qsort(it, n, sizeof *it, by_seed);
	for (size_t x = 1; x < n; x++)
		if (!by_seed_only(&it[x - 1], &it[x]))
			die(EXIT_BAD_INPUT, "%s seed %" PRIu32 " is in both %s and %s",
			    it[x].e->scn, it[x].e->seed, s[it[x - 1].shard].dir,
			    s[it[x].shard].dir);
	qsort(it, n, sizeof *it, by_when);

	/* A folder that already holds a soak is not overwritten. */
	struct journal j;
	if (asprintf(&p, "%s/journal", out) < 0)
		die(EXIT_INTERNAL, "out of memory");
	struct stat sb;
	if (stat(p, &sb) == 0)
		die(EXIT_BAD_INPUT, "--out %s: already a soak folder (it has a journal)", out);
	free(p);
	for (size_t i = 0; i < ns; i++)
		if (outfile_same(s[i].dir, out))
			die(EXIT_BAD_INPUT, "--out %s is one of the shards", out);
	char *runs;
	if (asprintf(&runs, "%s/runs", out) < 0)
		die(EXIT_INTERNAL, "out of memory");
	/* A folder that cannot be made is the --out given, as in the soak. */
	if (make_dirs(runs, err, sizeof err) != 0)
		die(EXIT_BAD_INPUT, "--out %s: %s", out, err);
	if (journal_load(&j, out, err, sizeof err) != 0)
		die(EXIT_INTERNAL, "--out %s: %s", out, err);

	bool flagged = false;
	for (size_t x = 0; x < n; x++) {
		const struct entry *e = it[x].e;
		if (e->r.outcome != OUT_CLEAN) {
			flagged = true;
			char id[TITLE_ID_SIZE], name[128], *from, *to;
			title_id(e->r.title, id);
			run_name(e->scn, e->seed, name, sizeof name);
			if (asprintf(&from, "%s/crashes/%s/%s", s[it[x].shard].dir, id, name) < 0 ||
			    asprintf(&to, "%s/%s", runs, name) < 0)
				die(EXIT_INTERNAL, "out of memory");
			char *repro = stat(from, &sb) == 0 && S_ISDIR(sb.st_mode) ?
				repro_of(from) : NULL;
			/* Only the reproducers the shard kept can be kept:
			 * a shard's K are the best of its own runs, and the
			 * merged K are chosen from them as the soak would. */
			if (repro) {
				remove_tree(to);
				if (copy_tree(from, to, err, sizeof err) != 0 ||
				    crashdb_keep(&j, out, to, e, repro, keep, err, sizeof err) != 0)
					die(EXIT_INTERNAL, "%s", err);
			}
			free(repro);
			free(from);
			free(to);
		}
		if (journal_append(&j, e, err, sizeof err) != 0)
			die(EXIT_INTERNAL, "%s", err);
	}
	rmdir(runs);
	if (crashdb_write(&j, out, err, sizeof err) != 0)
		die(EXIT_INTERNAL, "%s", err);

	/* The merged folder is the whole soak's: shard 1/1, so --resume
	 * runs the seeds of any shard not merged. */
	char *conf;
	size_t clen;
	FILE *f = open_memstream(&conf, &clen);
	if (!f)
		die(EXIT_INTERNAL, "out of memory");
	for (const char *q = s[0].conf; *q; ) {
		size_t l = strcspn(q, "\n");
		if (!strncmp(q, "shard = ", 8))
			fputs("shard = 1/1\n", f);
		else
			fprintf(f, "%.*s\n", (int)l, q);
		q += l + (q[l] != 0);
	}
	if (fclose(f) != 0)
		die(EXIT_INTERNAL, "out of memory");
	struct outfile o;
	if (asprintf(&p, "%s/soak.conf", out) < 0)
		die(EXIT_INTERNAL, "out of memory");
	outfile_sweep(out, "soak.conf", NULL, 0);
	if (outfile_open(&o, p, err, sizeof err) != 0)
		die(EXIT_INTERNAL, "%s", err);
	outfile_write(&o, conf, 1, strlen(conf));
	if (outfile_commit(&o, err, sizeof err) != 0)
		die(EXIT_INTERNAL, "%s", err);
	printf("%zu runs of %zu shards merged into %s\n", j.n, ns, out);
	free(p);
	free(conf);
	free(runs);
	journal_free(&j);
	for (size_t i = 0; i < ns; i++) {
		free(s[i].conf);
		free(s[i].same);
		journal_free(&s[i].j);
	}
	free(s);
	free(it);
	return flagged ? EXIT_FINDING : EXIT_CLEAN;
}
