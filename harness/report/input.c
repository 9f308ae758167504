/*
 * Which run a report is about (report.h): a run folder as `vzsoak run`
 * writes it, or a crash folder of `vzsoak soak`, whose reproducer with the
 * shortest time to failure is read.  The run's scenario comes back from
 * its scenario.txt (which reads back as a scenario file), its hypervisor
 * image and reproduce command from that file's comments, its title and
 * time to failure from summary.txt through the soak's one reader of
 * summaries (result_classify).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <util/sha256.h>
#include <vzsoak/linux_files.h>

#include "../cli.h"
#include "../crashdb.h"
#include "../target.h"
#include "report.h"

char *report_path(const char *a, const char *b)
{
	char *p;
	if (asprintf(&p, "%s/%s", a, b) < 0)
		die(EXIT_INTERNAL, "out of memory");
	return p;
}

static bool exists(const char *dir, const char *name)
{
	char *p = report_path(dir, name);
	struct stat st;
	bool ok = stat(p, &st) == 0;
	free(p);
	return ok;
}

/* summary.txt's first flag and time to failure. */
static int read_summary(const char *run_dir, struct run_result *r, char *err, size_t errlen)
{
	char *p = report_path(run_dir, "summary.txt");
	char *text = slurp(p);
	if (!text) {
		snprintf(err, errlen, "%s: cannot read (not a run folder?)", p);
		free(p);
		return -1;
	}
	free(p);
	/* As wait(2) gives the run's exit status: 1 flagged, 0 clean. */
	int status = strstr(text, "\nresult: clean") ? 0 : 1 << 8;
	result_classify(text, status, false, 0, r);
	free(text);
	return 0;
}

/* Of a crash folder's reproducers, the one with the shortest time to
 * failure (of equal ones, the first by name: reproducible). */
static char *best_reproducer(const char *crash_dir, char *err, size_t errlen)
{
	DIR *d = opendir(crash_dir);
	if (!d) {
		snprintf(err, errlen, "%s: cannot read the crash folder", crash_dir);
		return NULL;
	}
	char *best = NULL, *best_name = NULL;
	uint64_t best_ttf = NO_TTF;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char *dir = report_path(crash_dir, de->d_name);
		struct run_result r;
		char why[256];
		if (!exists(dir, "scenario.txt") || read_summary(dir, &r, why, sizeof why) != 0 ||
		    r.ttf == NO_TTF) {
			free(dir);
			continue;
		}
		if (!best || r.ttf < best_ttf ||
		    (r.ttf == best_ttf && strcmp(de->d_name, best_name) < 0)) {
			free(best);
			free(best_name);
			best = dir;
			best_name = strdup(de->d_name);
			best_ttf = r.ttf;
		} else {
			free(dir);
		}
	}
	closedir(d);
	free(best_name);
	if (!best)
		snprintf(err, errlen, "%s: no reproducer with a summary in this crash folder",
			 crash_dir);
	return best;
}

/* "# KEY: value" of scenario.txt's comments; NULL if absent. */
static char *comment(const char *text, const char *key)
{
	size_t kl = strlen(key);
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t l = nl ? (size_t)(nl - line) : strlen(line);
		if (l > kl + 4 && !strncmp(line, "# ", 2) && !strncmp(line + 2, key, kl) &&
		    !strncmp(line + 2 + kl, ": ", 2)) {
			char *v = strndup(line + 4 + kl, l - 4 - kl);
			if (!v)
				die(EXIT_INTERNAL, "out of memory");
			return v;
		}
		line = nl ? nl + 1 : NULL;
	}
	return NULL;
}

int report_input_read(struct report_input *in, const char *dir, char *err, size_t errlen)
{
	memset(in, 0, sizeof *in);
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: not a folder", dir);
		return -1;
	}
	if (exists(dir, "scenario.txt")) {
		in->run_dir = strdup(dir);
	} else if (exists(dir, "title") && exists(dir, "count")) {
		in->crash_dir = strdup(dir);
		if (!(in->run_dir = best_reproducer(dir, err, errlen)))
			return -1;
	} else {
		snprintf(err, errlen, "%s: neither a run folder (scenario.txt) nor a crash folder "
			 "(title, count)", dir);
		return -1;
	}
	if (!in->run_dir)
		die(EXIT_INTERNAL, "out of memory");

	char *path = report_path(in->run_dir, "scenario.txt");
	char *text = slurp(path);
	if (!text) {
		snprintf(err, errlen, "%s: cannot read", path);
		free(path);
		return -1;
	}
	in->hv = comment(text, "hypervisor");
	in->repro = comment(text, "reproduce");
	free(text);
	if (!in->hv) {
		snprintf(err, errlen, "%s: no '# hypervisor:' line (not written by vzsoak run?)",
			 path);
		free(path);
		return -1;
	}
	vzsim *checker = target_checker_new();
	if (!checker)
		die(EXIT_INTERNAL, "cannot create a board");
	int rc = scenario_load(&in->scn, path, target_check_opt, checker, err, errlen);
	vzsim_free(checker);
	free(path);
	if (rc)
		return -1;

	struct run_result r;
	if (read_summary(in->run_dir, &r, err, errlen) != 0)
		return -1;
	in->title = strdup(r.title);
	in->ttf = r.ttf == NO_TTF ? 0 : r.ttf;
	in->insns = r.insns;
	/* Which images exactly: a report read later must say what it was made
	 * of (a rebuilt hypervisor replays another run). */
	if (sha256_file(in->hv, in->hv_sha256) != 0)
		in->hv_sha256[0] = 0;
	char *slash = strrchr(in->hv, '/');
	/* A Linux guest ran the kernel make linux left beside the hypervisor's
	 * folder; the others their image in guests/. */
	int hv_dir = slash ? (int)(slash - in->hv + 1) : 0;
	int made = scenario_runs_linux(&in->scn)
		 ? asprintf(&in->guest_image, "%.*s" LINUX_FILES_DIR "/" LINUX_FILE_KERNEL, hv_dir,
			    in->hv)
		 : asprintf(&in->guest_image, "%.*sguests/%s.elf", hv_dir, in->hv, in->scn.image);
	if (made < 0)
		die(EXIT_INTERNAL, "out of memory");
	if (sha256_file(in->guest_image, in->guest_sha256) != 0)
		in->guest_sha256[0] = 0;
	if (!in->title)
		die(EXIT_INTERNAL, "out of memory");
	return 0;
}

void report_input_free(struct report_input *in)
{
	free(in->run_dir);
	free(in->crash_dir);
	free(in->hv);
	free(in->repro);
	free(in->title);
	free(in->guest_image);
	memset(in, 0, sizeof *in);
}
