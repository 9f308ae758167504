/*
 * libvzsim's trace capture (vzsim.h, "PDtrace capture"): programs the trace
 * unit's debugger-side controls, wires the TCB to it, and writes trace
 * files (header from libpdtrace, then the words) under a temporary name
 * that is renamed when complete.
 */
#include "board.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vzsoak/bootargs.h>

/* Any text vzsim_set_bootargs accepts fits the header whole. */
_Static_assert(sizeof(((struct pdt_file_info *)0)->bootargs) >= BOOTARGS_TEXT_MAX,
	       "trace header bootargs too small");

/* The header that describes this board's capture. */
static void fill_info(vzsim *sim, struct pdt_file_info *info, uint16_t flags,
		      const char *command)
{
	memset(info, 0, sizeof *info);
	const struct trace_unit *t = &sim->cpu->trace;
	info->version = PDT_FILE_VERSION;
	info->codec = PDT_CODEC_VZT1;
	info->flags = flags;
	info->tracecontrol = trace_control(t);
	info->tracecontrol2 = trace_control2(t);
	info->prid = sim->cpu->cp0.prid;
	info->config3 = sim->cpu->cp0.config[3];
	snprintf(info->board, sizeof info->board, "vzsim");
	if (command)
		snprintf(info->command, sizeof info->command, "%s", command);
	if (sim->bootargs)
		snprintf(info->bootargs, sizeof info->bootargs, "%s", sim->bootargs);
	info->seed = sim->cfg.seed;
	info->has_seed = true;
	for (unsigned i = 0; i < sim->nimages && i < PDT_MAX_IMAGES; i++) {
		info->images[i].hash = pdt_hash_file(sim->images[i]);
		snprintf(info->images[i].path, sizeof info->images[i].path, "%s",
			 sim->images[i]);
		info->nimages = i + 1;
	}
}

/* Opens "PATH.tmpPID" for writing; *tmp gets its name (malloc). */
static FILE *open_tmp(const char *path, char **tmp, char *err, size_t errlen)
{
	size_t n = strlen(path) + 32;
	*tmp = malloc(n);
	if (!*tmp) {
		board_set_err(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(*tmp, n, "%s.tmp%ld", path, (long)getpid());
	FILE *f = fopen(*tmp, "wb");
	if (!f) {
		board_set_err(err, errlen, "%s: %s", *tmp, strerror(errno));
		free(*tmp);
		*tmp = NULL;
	}
	return f;
}

/* Closes f and renames tmp to path; if writing failed (ok false, or the
 * close), removes tmp instead, so no half-written file is left.  Frees
 * tmp. */
static int commit_tmp(FILE *f, bool ok, char *tmp, const char *path, char *err,
		      size_t errlen)
{
	int rc = 0;
	if (fclose(f) != 0 || !ok) {
		board_set_err(err, errlen, "%s: write error", tmp);
		remove(tmp);
		rc = -1;
	} else if (rename(tmp, path) != 0) {
		board_set_err(err, errlen, "%s: %s", path, strerror(errno));
		remove(tmp);
		rc = -1;
	}
	free(tmp);
	return rc;
}

int vzsim_trace_start(vzsim *sim, const char *path,
		      const struct vzsim_trace_opts *opts, char *err, size_t errlen)
{
	if (opts->syp > 7) {
		board_set_err(err, errlen, "trace sync period %u: want 0..7", opts->syp);
		return -1;
	}
	if (sim->tcb.stream) {
		board_set_err(err, errlen, "a trace capture is already running");
		return -1;
	}
	/* The debugger's controls: every mode, every ASID, PC trace (+ data). */
	uint32_t control = TRC_ON | TRC_E | TRC_K | TRC_S | TRC_U | TRC_G;
	uint32_t control2 = TRC2_MODE_PC | opts->syp;
	if (opts->data)
		control2 |= TRC2_MODE_LA | TRC2_MODE_SA | TRC2_MODE_LD | TRC2_MODE_SD;
	/* The header carries the controls as the capture starts. */
	trace_set_debugger_controls(sim->cpu, control, control2);
	if (!path)
		return 0;
	sim->trace_path = strdup(path);
	if (!sim->trace_path) {
		board_set_err(err, errlen, "out of memory");
		return -1;
	}
	FILE *f = open_tmp(path, &sim->trace_tmp, err, errlen);
	if (!f)
		return -1;
	struct pdt_file_info info;
	fill_info(sim, &info, PDT_FLAG_OFFCHIP, opts->command);
	if (pdt_file_write_header(f, &info) != 0) {
		commit_tmp(f, false, sim->trace_tmp, path, err, errlen);
		sim->trace_tmp = NULL;
		return -1;
	}
	sim->tcb.stream = f;
	sim->tcb.stream_error = false;
	return 0;
}

int vzsim_trace_finish(vzsim *sim, char *err, size_t errlen)
{
	trace_flush(sim->cpu);
	FILE *f = sim->tcb.stream;
	if (!f)
		return 0;
	sim->tcb.stream = NULL;
	int rc = commit_tmp(f, !sim->tcb.stream_error, sim->trace_tmp,
			    sim->trace_path, err, errlen);
	free(sim->trace_path);
	sim->trace_tmp = sim->trace_path = NULL;
	return rc;
}

int vzsim_tcb_save(vzsim *sim, const char *path, char *err, size_t errlen)
{
	trace_flush(sim->cpu);
	uint32_t n = tcb_count(&sim->tcb);
	uint64_t *words = malloc((n ? n : 1) * sizeof *words);
	if (!words) {
		board_set_err(err, errlen, "out of memory");
		return -1;
	}
	tcb_read(&sim->tcb, words);
	char *tmp;
	FILE *f = open_tmp(path, &tmp, err, errlen);
	int rc = -1;
	if (f) {
		struct pdt_file_info info;
		fill_info(sim, &info, PDT_FLAG_ONCHIP, NULL);
		bool ok = pdt_file_write_header(f, &info) == 0 &&
			  fwrite(words, sizeof *words, n, f) == n;
		rc = commit_tmp(f, ok, tmp, path, err, errlen);
	}
	free(words);
	return rc;
}

uint64_t vzsim_trace_words(const vzsim *sim, uint32_t *onchip)
{
	if (onchip)
		*onchip = tcb_count(&sim->tcb);
	return sim->tcb.words;
}
