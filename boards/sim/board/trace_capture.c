/*
 * libvzsim's trace capture (vzsim.h, "PDtrace capture"): programs the trace
 * unit's debugger-side controls, wires the TCB to it, and writes trace
 * files through libpdtrace's writer (pdt_file_create: a temporary name
 * renamed when complete).
 */
#include "board.h"

#include <errno.h>
#include <inttypes.h>
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

/* ------------------------------------------------------------ the window */

int vzsim_trace_window_parse(const char *text, uint64_t *bytes, char *err, size_t errlen)
{
	char *end;
	errno = 0;
	unsigned long long v = text[0] >= '0' && text[0] <= '9' ? strtoull(text, &end, 10) : 0;
	unsigned shift = 20; /* a bare number is megabytes */
	if (v && !errno) {
		switch (*end) {
		case 'k': case 'K': shift = 10; end++; break;
		case 'm': case 'M': shift = 20; end++; break;
		case 'g': case 'G': shift = 30; end++; break;
		default: break;
		}
	}
	if (!v || errno || *end || v > (VZSIM_TRACE_WINDOW_MAX >> shift) ||
	    (v << shift) < VZSIM_TRACE_WINDOW_MIN) {
		board_set_err(err, errlen, "'%s' is not a trace window: want 1K..%" PRIu64
			      "M (megabytes, or with a suffix: 64K)", text,
			      VZSIM_TRACE_WINDOW_MAX >> 20);
		return -1;
	}
	*bytes = (uint64_t)v << shift;
	return 0;
}

/*
 * A windowed capture creates its file now (a file that cannot be created
 * is found before the run) but writes it only at the finish, when it
 * knows what the window dropped; the header's other fields are taken now,
 * as a streamed capture's are.
 */
static int window_start(vzsim *sim, const char *path, const struct vzsim_trace_opts *opts,
			char *err, size_t errlen)
{
	uint64_t bytes = opts->window;
	struct tcb *t = &sim->tcb;
	struct pdt_file_info *info = malloc(sizeof *info);
	uint64_t *ring = bytes / 8 <= SIZE_MAX / sizeof *ring ? malloc(bytes) : NULL;
	if (!info || !ring) {
		free(info);
		free(ring);
		board_set_err(err, errlen, "trace window %" PRIu64 " bytes: out of memory",
			      bytes);
		return -1;
	}
	struct pdt_file_writer *w = pdt_file_reserve(path, err, errlen);
	if (!w) {
		free(info);
		free(ring);
		return -1;
	}
	fill_info(sim, info, PDT_FLAG_OFFCHIP, opts->command);
	info->has_window = true;
	info->window_size = bytes;
	free(sim->win_info);
	sim->win_info = info;
	t->stream = w;
	t->win = ring;
	t->win_n = bytes / 8;
	t->win_next = 0;
	t->win_total = 0;
	return 0;
}

/* The ring's word i, 0 = the oldest it holds. */
static uint64_t ring_word(const struct tcb *t, uint64_t i)
{
	uint64_t first = t->win_total > t->win_n ? t->win_next : 0;
	uint64_t at = first + i;
	return t->win[at >= t->win_n ? at - t->win_n : at];
}

/*
 * Whether a SYNC starts at the ring's word i, and its instruction index:
 * asked of libpdtrace's decoder, which owns the record layout, on those
 * three words alone (a SYNC is three whole words).
 */
static bool sync_at(const struct tcb *t, uint64_t i, uint64_t held, uint64_t *index)
{
	uint8_t b[24];
	uint64_t n = held - i < 3 ? held - i : 3;
	for (uint64_t k = 0; k < n; k++) {
		uint64_t w = ring_word(t, i + k);
		for (unsigned j = 0; j < 8; j++)
			b[k * 8 + j] = (uint8_t)(w >> (8 * j));
	}
	struct pdt_decoder d;
	struct pdt_record r;
	pdt_dec_init(&d, b, n * 8);
	if (pdt_dec_next(&d, &r) != 0 || r.type != PDT_SYNC || r.offset != 0)
		return false;
	*index = r.sync.index;
	return true;
}

/*
 * The window into the file.  Once words were dropped the ring's oldest
 * words are the tail of a stretch whose SYNC is gone: records cut at the
 * front, counts that belong to instructions the reader cannot place.  So
 * the file starts at the first SYNC in the ring (SYNCs start at word
 * boundaries, and the trace unit emits one every 2^(SyP+5) instructions,
 * so at most one period of words is dropped this way), and a decoder
 * reads it from its first byte with no gap.  With no SYNC in the ring the
 * words are kept whole (the decoder reports them as unsynced).  A window
 * that dropped nothing is the whole trace, word for word.
 */
static int window_finish(vzsim *sim, struct pdt_file_writer *w, char *err, size_t errlen)
{
	struct tcb *t = &sim->tcb;
	struct pdt_file_info *info = sim->win_info;
	uint64_t held = t->win_total < t->win_n ? t->win_total : t->win_n;
	uint64_t skip = 0, index = PDT_WINDOW_NO_SYNC;
	while (skip < held && !sync_at(t, skip, held, &index))
		skip++;
	if (t->win_total <= t->win_n || skip == held)
		skip = 0;
	info->window_dropped = (t->win_total - held + skip) * 8;
	info->window_index = index;
	int rc = -1;
	if (pdt_file_begin(w, info, err, errlen) == 0) {
		/* At most two stretches: up to the ring's end, then from its start. */
		uint64_t first = t->win_total > t->win_n ? t->win_next : 0;
		uint64_t at = first + skip;
		if (at >= t->win_n)
			at -= t->win_n;
		uint64_t n = held - skip;
		uint64_t a = n < t->win_n - at ? n : t->win_n - at;
		pdt_file_write_words(w, t->win + at, a);
		pdt_file_write_words(w, t->win, n - a);
		rc = pdt_file_finish(w, err, errlen);
	} else {
		pdt_file_discard(w);
	}
	free(t->win);
	t->win = NULL;
	t->win_n = t->win_next = t->win_total = 0;
	free(info);
	sim->win_info = NULL;
	return rc;
}

int vzsim_trace_start(vzsim *sim, const char *path,
		      const struct vzsim_trace_opts *opts, char *err, size_t errlen)
{
	if (opts->syp > 7) {
		board_set_err(err, errlen, "trace sync period %u: want 0..7", opts->syp);
		return -1;
	}
	if (opts->window && (opts->window < VZSIM_TRACE_WINDOW_MIN ||
			     opts->window > VZSIM_TRACE_WINDOW_MAX || opts->window % 8)) {
		board_set_err(err, errlen,
			      "trace window %" PRIu64 " bytes: want %u..%" PRIu64
			      ", a multiple of 8",
			      opts->window, VZSIM_TRACE_WINDOW_MIN, VZSIM_TRACE_WINDOW_MAX);
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
	if (opts->window)
		return window_start(sim, path, opts, err, errlen);
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
	if (sim->tcb.win)
		return window_finish(sim, w, err, errlen);
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
	int rc = pdt_file_complete(w, &info, words, n, err, errlen);
	free(words);
	return rc;
}

uint64_t vzsim_trace_words(const vzsim *sim, uint32_t *onchip)
{
	if (onchip)
		*onchip = tcb_count(&sim->tcb);
	return sim->tcb.words;
}
