/*
 * libvzsim's trace capture (vzsim.h, "PDtrace capture"): programs the trace
 * unit's debugger-side controls, wires the TCB to it, and writes trace
 * files through libpdtrace's writer (pdt_file_create: a temporary name
 * renamed when complete).
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
	struct pdt_file_info info;
	fill_info(sim, &info, PDT_FLAG_OFFCHIP, opts->command);
	struct pdt_file_writer *w = pdt_file_create(path, &info, err, errlen);
	if (!w)
		return -1;
	sim->tcb.stream = w;
	return 0;
}

int vzsim_trace_finish(vzsim *sim, char *err, size_t errlen)
{
	trace_flush(sim->cpu);
	struct pdt_file_writer *w = sim->tcb.stream;
	if (!w)
		return 0;
	sim->tcb.stream = NULL;
	return pdt_file_finish(w, err, errlen);
}

int vzsim_tcb_open(vzsim *sim, const char *path, char *err, size_t errlen)
{
	if (sim->tcb_file) {
		board_set_err(err, errlen, "a TCB file is already open");
		return -1;
	}
	sim->tcb_file = pdt_file_reserve(path, err, errlen);
	return sim->tcb_file ? 0 : -1;
}

int vzsim_tcb_save(vzsim *sim, const char *path, char *err, size_t errlen)
{
	struct pdt_file_writer *w = sim->tcb_file;
	sim->tcb_file = NULL;
	if (path) {
		pdt_file_discard(w);
		w = pdt_file_reserve(path, err, errlen);
	} else if (!w) {
		board_set_err(err, errlen, "no TCB file open (vzsim_tcb_open)");
		return -1;
	}
	if (!w)
		return -1;
	trace_flush(sim->cpu);
	uint32_t n = tcb_count(&sim->tcb);
	uint64_t *words = malloc((n ? n : 1) * sizeof *words);
	if (!words) {
		board_set_err(err, errlen, "out of memory");
		pdt_file_discard(w);
		return -1;
	}
	tcb_read(&sim->tcb, words);
	/* The header as the capture ends: a program may have changed the
	 * controls since the file was opened. */
	struct pdt_file_info info;
	fill_info(sim, &info, PDT_FLAG_ONCHIP, NULL);
	int rc = -1;
	if (pdt_file_begin(w, &info, err, errlen) == 0) {
		pdt_file_write_words(w, words, n);
		rc = pdt_file_finish(w, err, errlen);
	} else {
		pdt_file_discard(w);
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
