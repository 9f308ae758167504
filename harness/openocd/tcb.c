/*
 * The TCB through tcb.tcl's procedures (tcb.h): the Tcl side does the
 * scans, safe against OpenOCD's polling; this side asks for the span and
 * the words and checks every reply.
 */
#include "tcb.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reply.h"

/* Runs a tcb.tcl call; a missing procedure is said as such. */
static char *tcb_eval(struct ocd *o, const char *cmd, char *err, size_t errlen)
{
	char *r = ocd_eval(o, cmd, 0, err, errlen);
	if (!r && strstr(err, "invalid command name \"vz_tcb_"))
		snprintf(err, errlen, "%s: `%s`: OpenOCD has not loaded boards/openocd/tcb.tcl"
			 " (-f it after the board's configuration)", ocd_peer(o), cmd);
	return r;
}

/* Parses r (freed) as n numbers: 0, or -1 with "PEER: `CMD`: REASON". */
static int numbers(struct ocd *o, const char *cmd, char *r, size_t n, uint64_t *out,
		   char *err, size_t errlen)
{
	char why[256];
	int rc = reply_numbers(r, n, out, why, sizeof why);
	free(r);
	if (rc < 0)
		snprintf(err, errlen, "%s: `%s`: %s", ocd_peer(o), cmd, why);
	return rc;
}

int ocd_tcb_reg(struct ocd *o, const char *name, uint32_t *value, char *err, size_t errlen)
{
	if (strspn(name, "abcdefghijklmnopqrstuvwxyz") != strlen(name) || strlen(name) > 16) {
		snprintf(err, errlen, "%s: '%.20s' is not a TCB register name", ocd_peer(o), name);
		return -1;
	}
	char cmd[48], *r;
	uint64_t v;
	snprintf(cmd, sizeof cmd, "vz_tcb_reg %s", name);
	if (!(r = tcb_eval(o, cmd, err, errlen)) || numbers(o, cmd, r, 1, &v, err, errlen) < 0)
		return -1;
	if (v > UINT32_MAX) {
		snprintf(err, errlen, "%s: `%s`: 0x%" PRIx64 " is not 32 bits", ocd_peer(o), cmd, v);
		return -1;
	}
	*value = (uint32_t)v;
	return 0;
}

int ocd_tcb_words(struct ocd *o, uint32_t start, size_t count, uint64_t *words, char *err,
		  size_t errlen)
{
	char cmd[64], why[256], *r;
	snprintf(cmd, sizeof cmd, "vz_tcb_words 0x%08" PRIx32 " %zu", start, count);
	if (!(r = tcb_eval(o, cmd, err, errlen)))
		return -1;
	int rc = reply_words64(r, count, words, why, sizeof why);
	free(r);
	if (rc < 0)
		snprintf(err, errlen, "%s: `%s`: %s", ocd_peer(o), cmd, why);
	return rc;
}

int ocd_tcb_read(struct ocd *o, size_t batch, uint64_t **words, size_t *n, char *err,
		 size_t errlen)
{
	char *r;
	uint64_t span[3]; /* oldest, count, bytes */
	*words = NULL;
	*n = 0;
	if (!(r = tcb_eval(o, "vz_tcb_span", err, errlen)) ||
	    numbers(o, "vz_tcb_span", r, 3, span, err, errlen) < 0)
		return -1;
	uint64_t oldest = span[0], count = span[1], bytes = span[2];
	/* tcb.tcl checked these on the board's registers; a reply that
	 * breaks them is not to be read from. */
	if (bytes < 8 || bytes > ((uint64_t)1 << 31) || bytes & (bytes - 1) || oldest % 8 ||
	    oldest >= bytes || count > bytes / 8) {
		snprintf(err, errlen, "%s: `vz_tcb_span`: %" PRIu64 " words from 0x%" PRIx64
			 " do not fit a %" PRIu64 "-byte memory", ocd_peer(o), count, oldest, bytes);
		return -1;
	}
	if (!count)
		return 0;
	uint64_t *w = malloc(count * sizeof *w);
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (!batch)
		batch = TCB_BATCH;
	for (uint64_t done = 0; done < count;) {
		size_t k = count - done < batch ? (size_t)(count - done) : batch;
		uint32_t at = (uint32_t)((oldest + 8 * done) % bytes);
		if (ocd_tcb_words(o, at, k, w + done, err, errlen) < 0) {
			free(w);
			return -1;
		}
		done += k;
	}
	*words = w;
	*n = (size_t)count;
	return 0;
}
