/* The trace detectors over a run's capture (tracecheck.h). */
#include "tracecheck.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pdtrace/detect.h>
#include <util/outfile.h>

/* A point of the run by its instruction count, in the run's simulated and
 * wall time (the status checks give both only at the checks). */
static void times_at(const struct soak_view *v, uint64_t insns, uint64_t *sim_ns,
		     double *wall)
{
	double share = v->insns ? (double)insns / (double)v->insns : 0;
	if (share > 1)
		share = 1;
	*sim_ns = (uint64_t)((double)v->sim_ns * share);
	*wall = v->wall * share;
}

static int write_findings(const char *dir, const char *trace, const struct pdt_finding *list,
			  size_t n, unsigned bugs, char *err, size_t errlen)
{
	char *path;
	if (asprintf(&path, "%s/detect.txt", dir) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	struct outfile o;
	int rc = outfile_open(&o, path, err, errlen);
	free(path);
	if (rc)
		return -1;
	fprintf(o.f, "# the trace detectors over %s (pdtrace detect; docs/pdtrace.md)\n", trace);
	for (size_t i = 0; i < n; i++)
		pdt_finding_print(o.f, &list[i], false);
	fprintf(o.f, "%zu finding%s, %u bug%s\n", n, n == 1 ? "" : "s", bugs,
		bugs == 1 ? "" : "s");
	return outfile_commit(&o, err, errlen);
}

int tracecheck_run(struct detector *d, const struct soak_view *v, const char *trace,
		   const char *dir, uint32_t repeat_limit, char *err, size_t errlen)
{
	struct pdt_capture cap;
	if (pdt_capture_open(&cap, trace, NULL, NULL, NULL, err, errlen) != 0)
		return -1;
	struct pdt_detect_config dc = {.repeat_limit = repeat_limit};
	pdt_detect_config_header(&dc, &cap.f.info);
	struct pdt_detect *det;
	int rc = pdt_detect_capture(&cap.code.cfg, cap.f.words, cap.f.len, &dc, &det);
	pdt_capture_close(&cap);
	if (rc) {
		snprintf(err, errlen, "%s: %s", trace, pdt_errstr(rc));
		return -1;
	}
	const struct pdt_finding *list;
	size_t n = pdt_detect_findings(det, &list);
	unsigned bugs = 0;
	for (size_t i = 0; i < n; i++) {
		if (list[i].sev != PDT_SEV_BUG)
			continue;
		bugs++;
		/* Most severe first, then by index: a guest's first bug. */
		uint64_t sim_ns;
		double wall;
		times_at(v, list[i].index, &sim_ns, &wall);
		detect_add(d, list[i].guest, FLAG_TRACE, list[i].index, sim_ns, wall,
			   list[i].title, list[i].evidence);
	}
	d->traced = true;
	d->trace_findings = (unsigned)n;
	d->trace_bugs = bugs;
	rc = write_findings(dir, trace, list, n, bugs, err, errlen);
	pdt_detect_free(det);
	return rc;
}
