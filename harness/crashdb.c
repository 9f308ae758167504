/*
 * The soak's record (crashdb.h).  Every file here is written under a
 * temporary name and renamed into place (<util/outfile.h>), but for the
 * journal, which is appended to: one write(2) per line, then fsync, so a
 * kill leaves at most a last line without its newline, which the next
 * load cuts off.
 */
#include "crashdb.h"
#include "title.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <util/die.h>
#include <util/json.h>
#include <util/outfile.h>

const char *outcome_name(enum run_outcome o)
{
	switch (o) {
	case OUT_CLEAN: return "clean";
	case OUT_FLAGGED: return "flagged";
	case OUT_CRASHED: return "crashed";
	case OUT_HUNG: return "hung";
	case OUT_FAILED: return "failed";
	}
	return "?";
}

static int outcome_of(const char *s)
{
	for (int o = OUT_CLEAN; o <= OUT_FAILED; o++)
		if (!strcmp(s, outcome_name((enum run_outcome)o)))
			return o;
	return -1;
}

/* --------------------------------------------------------------- titles */

/* A flag as summary.txt lists it (summary.c, flag_list): its title on a
 * line of its own ("  TITLE"), then this run's details ("    WHO KIND at
 * N instructions (...): MSG").  The title is the detectors' own
 * (detect.c, flag_title), so the soak never makes one up. */
struct listed_flag {
	char who[16], kind[32];
	unsigned long long at;
	char title[TITLE_MAX];
};
#define LISTED_MAX 64

/* "WHO KIND at N instructions": the words that name a flag in both its
 * details line and the result line. */
static bool flag_words(const char *s, char *who, char *kind, unsigned long long *at)
{
	return sscanf(s, "%15s %31s at %llu instructions", who, kind, at) == 3;
}

static void add_title(struct run_result *r, const char *title)
{
	if (!r->title[0])
		snprintf(r->title, sizeof r->title, "%s", title);
	/* Distinct titles only. */
	for (const char *p = r->titles; *p; ) {
		const char *end = strstr(p, " | ");
		size_t l = end ? (size_t)(end - p) : strlen(p);
		if (l == strlen(title) && !strncmp(p, title, l))
			return;
		p = end ? end + 3 : p + l;
	}
	size_t n = strlen(r->titles);
	snprintf(r->titles + n, sizeof r->titles - n, "%s%s", n ? " | " : "", title);
}

void result_classify(const char *summary, int status, bool hung, double wall,
		     struct run_result *r)
{
	memset(r, 0, sizeof *r);
	r->ttf = NO_TTF;
	r->wall = wall;
	bool in_flags = false, result = false, named = false;
	struct listed_flag listed[LISTED_MAX], first;
	unsigned nlisted = 0;
	char pending[TITLE_MAX] = "";
	for (const char *line = summary; line && *line; ) {
		const char *nl = strchr(line, '\n');
		size_t l = nl ? (size_t)(nl - line) : strlen(line);
		char buf[2048];
		snprintf(buf, sizeof buf, "%.*s", (int)(l < sizeof buf ? l : sizeof buf - 1), line);
		unsigned long long n;
		if (sscanf(buf, "run: %llu instructions", &n) == 1) {
			r->insns = n;
		} else if (!strncmp(buf, "result: ", 8)) {
			char word[16];
			result = true;
			named = sscanf(buf + 8, "%15s", word) == 1 &&
				(!strcmp(word, "ANOMALY") || !strcmp(word, "FAILED")) &&
				flag_words(buf + 8 + strlen(word), first.who, first.kind, &first.at);
		} else if (!strncmp(buf, "flags (", 7)) {
			in_flags = true;
		} else if (in_flags && !strncmp(buf, "    ", 4)) {
			struct listed_flag *f = &listed[nlisted];
			if (pending[0] && nlisted < LISTED_MAX &&
			    flag_words(buf + 4, f->who, f->kind, &f->at)) {
				snprintf(f->title, sizeof f->title, "%s", pending);
				nlisted++;
			}
			pending[0] = 0;
		} else if (in_flags && !strncmp(buf, "  ", 2) && buf[2] != ' ') {
			snprintf(pending, sizeof pending, "%.*s", (int)sizeof pending - 1, buf + 2);
		} else {
			in_flags = false;
		}
		line = nl ? nl + 1 : NULL;
	}
	/* The run's title is its result line's flag (summary.c picks a
	 * guest's over the hypervisor's), then every other title listed. */
	for (unsigned i = 0; named && i < nlisted; i++)
		if (!strcmp(listed[i].who, first.who) && !strcmp(listed[i].kind, first.kind) &&
		    listed[i].at == first.at) {
			add_title(r, listed[i].title);
			r->ttf = listed[i].at;
			break;
		}
	for (unsigned i = 0; i < nlisted; i++) {
		add_title(r, listed[i].title);
		if (r->ttf == NO_TTF)
			r->ttf = listed[i].at;
	}
	/* The harness's own titles first: a run that died or hung may have
	 * flagged on its way, but what ended it is what to look at. */
	const char *own = NULL;
	char failed[64];
	if (hung) {
		r->outcome = OUT_HUNG;
		own = TITLE_RUN_HUNG;
	} else if (WIFEXITED(status) && WEXITSTATUS(status) > 1) {
		r->outcome = OUT_FAILED;
		snprintf(failed, sizeof failed, "harness: run failed (exit %d)",
			 WEXITSTATUS(status));
		own = failed;
	} else if (WIFSIGNALED(status) || !result) {
		/* No summary: the run died before it could write one, by a
		 * signal or by a sanitizer's report (which exits with 1). */
		r->outcome = OUT_CRASHED;
		own = TITLE_RUN_CRASHED;
	} else if (r->title[0] || (WIFEXITED(status) && WEXITSTATUS(status) == 1)) {
		r->outcome = OUT_FLAGGED;
		if (!r->title[0])
			add_title(r, "harness: flagged run without a flag in its summary");
		return;
	} else {
		r->outcome = OUT_CLEAN;
		return;
	}
	struct run_result flagged = *r;
	r->title[0] = r->titles[0] = 0;
	add_title(r, own);
	r->ttf = NO_TTF;
	if (flagged.titles[0]) {
		size_t n = strlen(r->titles);
		snprintf(r->titles + n, sizeof r->titles - n, " | %s", flagged.titles);
	}
}

/* --------------------------------------------------------------- journal */

#define JOURNAL_HEADER "# vzsoak soak journal, one finished run a line, tab-" \
	"separated: seed scenario outcome instructions wall-seconds " \
	"ttf-instructions finished-at titles (\" | \" between)\n"

void run_name(const char *scn, uint32_t seed, char *buf, size_t len)
{
	snprintf(buf, len, "%s-s%" PRIu32, scn, seed);
}

static int parse_entry(char *line, struct entry *e)
{
	char *f[8];
	int n = 0;
	for (char *p = line; n < 8; n++) {
		f[n] = p;
		char *tab = strchr(p, '\t');
		if (!tab) {
			n++;
			break;
		}
		*tab = 0;
		p = tab + 1;
	}
	if (n != 8)
		return -1;
	memset(e, 0, sizeof *e);
	char *end;
	errno = 0;
	unsigned long seed = strtoul(f[0], &end, 10);
	if (*end || end == f[0] || seed > UINT32_MAX || errno)
		return -1;
	e->seed = (uint32_t)seed;
	snprintf(e->scn, sizeof e->scn, "%s", f[1]);
	int o = outcome_of(f[2]);
	if (o < 0)
		return -1;
	e->r.outcome = (enum run_outcome)o;
	e->r.insns = strtoull(f[3], &end, 10);
	if (*end || end == f[3])
		return -1;
	e->r.wall = strtod(f[4], &end);
	if (*end || end == f[4])
		return -1;
	if (!strcmp(f[5], "-"))
		e->r.ttf = NO_TTF;
	else if ((e->r.ttf = strtoull(f[5], &end, 10)), *end || end == f[5])
		return -1;
	e->when = strtoll(f[6], &end, 10);
	if (*end || end == f[6])
		return -1;
	if (strcmp(f[7], "-")) {
		snprintf(e->r.titles, sizeof e->r.titles, "%s", f[7]);
		char *bar = strstr(f[7], " | ");
		if (bar)
			*bar = 0;
		snprintf(e->r.title, sizeof e->r.title, "%s", f[7]);
	}
	if ((e->r.outcome == OUT_CLEAN) != !e->r.title[0])
		return -1;
	return 0;
}

static void push(struct journal *j, const struct entry *e)
{
	if (j->n == j->cap) {
		j->cap = j->cap ? 2 * j->cap : 64;
		j->e = realloc(j->e, j->cap * sizeof *j->e);
		if (!j->e)
			die(EXIT_INTERNAL, "out of memory");
	}
	j->e[j->n++] = *e;
}

int journal_load(struct journal *j, const char *dir, char *err, size_t errlen)
{
	memset(j, 0, sizeof *j);
	if (asprintf(&j->path, "%s/journal", dir) < 0)
		die(EXIT_INTERNAL, "out of memory");
	FILE *f = fopen(j->path, "r");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: cannot open: %s", j->path, strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	off_t good = 0;
	unsigned lineno = 0;
	int rc = 0;
	while ((len = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (line[len - 1] != '\n')
			break; /* torn: cut below */
		good += len;
		line[len - 1] = 0;
		if (line[0] == '#')
			continue;
		struct entry e;
		if (parse_entry(line, &e) != 0) {
			snprintf(err, errlen, "%s:%u: not a journal line", j->path, lineno);
			rc = -1;
			break;
		}
		push(j, &e);
	}
	free(line);
	fclose(f);
	struct stat sb;
	if (rc == 0 && stat(j->path, &sb) == 0 && sb.st_size > good &&
	    truncate(j->path, good) != 0) {
		snprintf(err, errlen, "%s: cannot cut its torn last line: %s", j->path,
			 strerror(errno));
		rc = -1;
	}
	return rc;
}

bool journal_has(const struct journal *j, const char *scn, uint32_t seed)
{
	for (size_t i = 0; i < j->n; i++)
		if (j->e[i].seed == seed && !strcmp(j->e[i].scn, scn))
			return true;
	return false;
}

int journal_append(struct journal *j, const struct entry *e, char *err, size_t errlen)
{
	char line[TITLES_MAX + 256], ttf[24];
	if (e->r.ttf == NO_TTF)
		snprintf(ttf, sizeof ttf, "-");
	else
		snprintf(ttf, sizeof ttf, "%" PRIu64, e->r.ttf);
	int n = snprintf(line, sizeof line, "%" PRIu32 "\t%s\t%s\t%" PRIu64 "\t%.3f\t%s\t%lld\t%s\n",
			 e->seed, e->scn, outcome_name(e->r.outcome), e->r.insns,
			 e->r.wall, ttf, e->when, e->r.titles[0] ? e->r.titles : "-");
	if (n < 0 || (size_t)n >= sizeof line)
		n = (int)strlen(line); /* cannot be: titles are bounded */
	int fd = open(j->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", j->path, strerror(errno));
		return -1;
	}
	struct stat sb;
	int rc = 0;
	/* The header on a new journal, in the same write as the first line:
	 * a torn write is still only a last line without its newline. */
	char *text = NULL;
	if (fstat(fd, &sb) == 0 && sb.st_size == 0) {
		if (asprintf(&text, "%s%s", JOURNAL_HEADER, line) < 0)
			die(EXIT_INTERNAL, "out of memory");
	} else if (!(text = strdup(line))) {
		die(EXIT_INTERNAL, "out of memory");
	}
	size_t len = strlen(text);
	if (write(fd, text, len) != (ssize_t)len || fsync(fd) != 0) {
		snprintf(err, errlen, "%s: write error: %s", j->path, strerror(errno));
		rc = -1;
	}
	free(text);
	close(fd);
	if (rc == 0)
		push(j, e);
	return rc;
}

void journal_free(struct journal *j)
{
	free(j->path);
	free(j->e);
	memset(j, 0, sizeof *j);
}

/* ------------------------------------------------------------ the folders */

void remove_tree(const char *path)
{
	DIR *d = opendir(path);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			char *p;
			if (asprintf(&p, "%s/%s", path, de->d_name) < 0)
				die(EXIT_INTERNAL, "out of memory");
			struct stat sb;
			if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
				remove_tree(p);
			else
				unlink(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(path);
}

/* path's content, written whole and renamed into place. */
static int write_file(const char *path, const char *text, char *err, size_t errlen)
{
	struct outfile o;
	if (outfile_open(&o, path, err, errlen) != 0)
		return -1;
	outfile_write(&o, text, 1, strlen(text));
	return outfile_commit(&o, err, errlen);
}

/* A title's runs, from the journal. */
struct title_stat {
	const char *title;
	char id[TITLE_ID_SIZE];
	unsigned count;
	const struct entry *first, *last, *shortest;
};

static int by_count(const void *a, const void *b)
{
	const struct title_stat *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->title, y->title);
}

/* The titles of the journal's flagged runs (their first titles), most
 * often seen first; *nclean the clean runs. */
static struct title_stat *titles_of(const struct journal *j, size_t *nt, size_t *nclean)
{
	struct title_stat *t = calloc(j->n + 1, sizeof *t);
	if (!t)
		die(EXIT_INTERNAL, "out of memory");
	*nt = *nclean = 0;
	for (size_t i = 0; i < j->n; i++) {
		const struct entry *e = &j->e[i];
		if (e->r.outcome == OUT_CLEAN) {
			++*nclean;
			continue;
		}
		size_t k;
		for (k = 0; k < *nt && strcmp(t[k].title, e->r.title); k++)
			;
		if (k == *nt) {
			t[k].title = e->r.title;
			title_id(e->r.title, t[k].id);
			t[k].first = e;
			++*nt;
		}
		t[k].count++;
		t[k].last = e;
		if (e->r.ttf != NO_TTF &&
		    (!t[k].shortest || e->r.ttf < t[k].shortest->r.ttf))
			t[k].shortest = e;
	}
	qsort(t, *nt, sizeof *t, by_count);
	return t;
}

static void when_text(long long when, char *buf, size_t len)
{
	time_t t = (time_t)when;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void seen_text(const struct entry *e, char *buf, size_t len)
{
	char when[32];
	when_text(e->when, when, sizeof when);
	snprintf(buf, len, "%s %s seed %" PRIu32, when, e->scn, e->seed);
}

void md_cell(FILE *f, const char *s)
{
	for (; *s; s++)
		if (*s == '|')
			fputs("\\|", f);
		else
			fputc(*s, f);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The reproducer folders of a title that the journal holds, in name order
 * (the index reads the same whatever order the folder lists them in), ' '
 * between; with prune, the others (runs that never finished) are
 * removed. */
static void list_kept(const struct journal *j, const char *cdir, const char *title,
		      char *buf, size_t len, bool prune)
{
	char **names = NULL;
	size_t nn = 0;
	buf[0] = 0;
	DIR *d = opendir(cdir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		char *p;
		/* vzsoak report's folder (docs/report.md) is no reproducer. */
		if (!strcmp(de->d_name, REPORT_DIR_NAME))
			continue;
		if (de->d_name[0] == '.' ||
		    asprintf(&p, "%s/%s", cdir, de->d_name) < 0)
			continue;
		struct stat sb;
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			bool known = false;
			for (size_t i = 0; i < j->n && !known; i++) {
				char name[128];
				run_name(j->e[i].scn, j->e[i].seed, name, sizeof name);
				known = !strcmp(name, de->d_name) &&
					!strcmp(j->e[i].r.title, title);
			}
			if (!known && prune) {
				remove_tree(p); /* a run that never finished */
			} else if (known) {
				names = realloc(names, (nn + 1) * sizeof *names);
				if (!names || !(names[nn++] = strdup(de->d_name)))
					die(EXIT_INTERNAL, "out of memory");
			}
		}
		free(p);
	}
	closedir(d);
	if (nn)
		qsort(names, nn, sizeof *names, by_name);
	size_t n = 0;
	for (size_t i = 0; i < nn; i++) {
		if (n + strlen(names[i]) + 2 < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? " " : "", names[i]);
		free(names[i]);
	}
	free(names);
}

int crashdb_write(const struct journal *j, const char *dir, char *err, size_t errlen)
{
	size_t nt, nclean;
	struct title_stat *t = titles_of(j, &nt, &nclean);
	char *crashes;
	if (asprintf(&crashes, "%s/crashes", dir) < 0)
		die(EXIT_INTERNAL, "out of memory");
	int rc = 0;

	/* Folders of titles no finished run has (their runs never finished)
	 * go; in the others, reproducers of unfinished runs. */
	DIR *d = opendir(crashes);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			size_t k;
			for (k = 0; k < nt && strcmp(t[k].id, de->d_name); k++)
				;
			if (k == nt) {
				char *p;
				if (asprintf(&p, "%s/%s", crashes, de->d_name) < 0)
					die(EXIT_INTERNAL, "out of memory");
				remove_tree(p);
				free(p);
			}
		}
		closedir(d);
	}

	char *md = NULL, *js = NULL, *kt = NULL;
	size_t mdl, jsl, ktl;
	FILE *fm = open_memstream(&md, &mdl), *fj = open_memstream(&js, &jsl),
	     *fk = open_memstream(&kt, &ktl);
	if (!fm || !fj || !fk)
		die(EXIT_INTERNAL, "out of memory");
	uint64_t insns = 0;
	for (size_t i = 0; i < j->n; i++)
		insns += j->e[i].r.insns;
	fprintf(fm, "# vzsoak soak\n\n%zu runs, %zu clean, %zu flagged, %" PRIu64
		" instructions simulated.\n\n", j->n, nclean, j->n - nclean, insns);
	fprintf(fj, "{\n  \"runs\": %zu,\n  \"clean\": %zu,\n  \"flagged\": %zu,\n"
		"  \"instructions\": %" PRIu64 ",\n  \"titles\": [", j->n, nclean,
		j->n - nclean, insns);
	fprintf(fk, "KTAP version 1\n1..%zu\n", nt + 1);
	if (nt)
		fprintf(fm, "| title | count | first seen | shortest time to failure "
			"| folder |\n|---|---:|---|---|---|\n");
	else
		fprintf(fm, "No run flagged.\n");
	for (size_t k = 0; k < nt && rc == 0; k++) {
		const struct title_stat *s = &t[k];
		char *cdir, first[128], last[128], ttf[160], kept[1024], text[512];
		if (asprintf(&cdir, "%s/%s", crashes, s->id) < 0)
			die(EXIT_INTERNAL, "out of memory");
		seen_text(s->first, first, sizeof first);
		seen_text(s->last, last, sizeof last);
		if (s->shortest)
			snprintf(ttf, sizeof ttf, "%" PRIu64 " instructions (%s seed %" PRIu32 ")",
				 s->shortest->r.ttf, s->shortest->scn, s->shortest->seed);
		else
			snprintf(ttf, sizeof ttf, "-");
		if (make_dirs(cdir, err, errlen) != 0) {
			rc = -1;
		} else {
			char *p;
			const char *names[] = {"title", "count", "first-seen", "last-seen"};
			for (int f = 0; f < 4 && rc == 0; f++) {
				if (f == 0)
					snprintf(text, sizeof text, "%s\n", s->title);
				else if (f == 1)
					snprintf(text, sizeof text, "%u\n", s->count);
				else
					snprintf(text, sizeof text, "%s\n", f == 2 ? first : last);
				if (asprintf(&p, "%s/%s", cdir, names[f]) < 0)
					die(EXIT_INTERNAL, "out of memory");
				outfile_sweep(cdir, names[f], NULL, 0);
				rc = write_file(p, text, err, errlen);
				free(p);
			}
		}
		list_kept(j, cdir, s->title, kept, sizeof kept, true);
		fputs("| ", fm);
		md_cell(fm, s->title);
		fprintf(fm, " | %u | %s | %s | [crashes/%s](crashes/%s/) |\n", s->count,
			first, ttf, s->id, s->id);
		fprintf(fj, "%s\n    {\"title\": ", k ? "," : "");
		json_string(fj, s->title);
		fprintf(fj, ", \"id\": \"%s\", \"count\": %u, \"first_seen\": ", s->id, s->count);
		json_string(fj, first);
		fputs(", \"last_seen\": ", fj);
		json_string(fj, last);
		fputs(", \"shortest_ttf\": ", fj);
		if (s->shortest)
			fprintf(fj, "%" PRIu64, s->shortest->r.ttf);
		else
			fputs("null", fj);
		fprintf(fj, ", \"folder\": \"crashes/%s\", \"reproducers\": [", s->id);
		size_t r = 0;
		for (char *w = strtok(kept, " "); w; w = strtok(NULL, " "), r++) {
			fprintf(fj, "%s", r ? ", " : "");
			json_string(fj, w);
		}
		fputs("]}", fj);
		/* KTAP names: no '#' (it starts a directive). */
		char name[TITLE_MAX];
		snprintf(name, sizeof name, "%s", s->title);
		for (char *c = name; *c; c++)
			if (*c == '#')
				*c = '_';
		fprintf(fk, "not ok %zu %s\n# %u runs, first seen %s, folder crashes/%s\n",
			k + 1, name, s->count, first, s->id);
		free(cdir);
	}
	if (nt)
		fprintf(fm, "\nThe time to failure over the seeds: `vzsoak report` of this folder; a "
			    "failure's story: `vzsoak report crashes/ID` (docs/report.md).\n");
	fprintf(fj, "%s]\n}\n", nt ? "\n  " : "");
	fprintf(fk, "ok %zu clean runs\n# %zu of %zu runs clean\n", nt + 1, nclean, j->n);
	bool bad = ferror(fm) || ferror(fj) || ferror(fk);
	if (fclose(fm) || fclose(fj) || fclose(fk) || bad)
		die(EXIT_INTERNAL, "out of memory");
	const char *names[] = {"index.md", "soak.json", "results.ktap"};
	const char *texts[] = {md, js, kt};
	for (int f = 0; f < 3 && rc == 0; f++) {
		char *p;
		if (asprintf(&p, "%s/%s", dir, names[f]) < 0)
			die(EXIT_INTERNAL, "out of memory");
		outfile_sweep(dir, names[f], NULL, 0);
		rc = write_file(p, texts[f], err, errlen);
		free(p);
	}
	free(md);
	free(js);
	free(kt);
	free(crashes);
	free(t);
	return rc;
}

int crashdb_keep(const struct journal *j, const char *dir, const char *run_dir,
		 const struct entry *e, const char *repro, unsigned keep, char *err,
		 size_t errlen)
{
	char id[TITLE_ID_SIZE], name[128], kept[1024], *cdir, *dest, *p;
	title_id(e->r.title, id);
	run_name(e->scn, e->seed, name, sizeof name);
	if (asprintf(&cdir, "%s/crashes/%s", dir, id) < 0 ||
	    asprintf(&dest, "%s/%s", cdir, name) < 0 ||
	    asprintf(&p, "%s/repro.sh", run_dir) < 0)
		die(EXIT_INTERNAL, "out of memory");
	int rc = -1;
	char *sh;
	if (asprintf(&sh, "#!/bin/sh\n# Replays %s seed %" PRIu32 " of this soak "
		     "(%s).\n%s \"$@\"\n", e->scn, e->seed, e->r.title, repro) < 0)
		die(EXIT_INTERNAL, "out of memory");
	if (write_file(p, sh, err, errlen) != 0)
		goto out;
	chmod(p, 0755);
	if (make_dirs(cdir, err, errlen) != 0)
		goto out;
	/* The kept ones and their times to failure. */
	list_kept(j, cdir, e->r.title, kept, sizeof kept, false);
	unsigned n = 0;
	uint64_t min = NO_TTF, max = 0;
	char worst[128] = "";
	for (char *w = strtok(kept, " "); w; w = strtok(NULL, " ")) {
		n++;
		for (size_t i = 0; i < j->n; i++) {
			char nm[128];
			run_name(j->e[i].scn, j->e[i].seed, nm, sizeof nm);
			if (strcmp(nm, w))
				continue;
			uint64_t ttf = j->e[i].r.ttf;
			if (ttf < min)
				min = ttf;
			if (ttf >= max) {
				max = ttf;
				snprintf(worst, sizeof worst, "%s", w);
			}
		}
	}
	bool take = n < keep || (e->r.ttf != NO_TTF && e->r.ttf < min);
	if (!take) {
		remove_tree(run_dir);
		rc = 0;
		goto out;
	}
	if (n >= keep && worst[0]) {
		char *w;
		if (asprintf(&w, "%s/%s", cdir, worst) < 0)
			die(EXIT_INTERNAL, "out of memory");
		remove_tree(w);
		free(w);
	}
	remove_tree(dest); /* an earlier try of the same run */
	if (rename(run_dir, dest) != 0) {
		snprintf(err, errlen, "%s: cannot move to %s: %s", run_dir, dest,
			 strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(sh);
	free(p);
	free(dest);
	free(cdir);
	return rc;
}
