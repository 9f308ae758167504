/*
 * The board's memory, run control, registers and images through OpenOCD
 * 0.12's commands (ops.h).  Replies are parsed by reply.c; what OpenOCD
 * says on an error comes back through ocd_eval.
 */
#include "ops.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deadline.h"
#include "reply.h"

/* Runs cmd and keeps its reply in *reply (NULL: dropped): 0 or -1. */
static int run(struct ocd *o, const char *cmd, int timeout_ms, char **reply, char *err,
	       size_t errlen)
{
	char *r = ocd_eval(o, cmd, timeout_ms, err, errlen);
	if (!r)
		return -1;
	if (reply)
		*reply = r;
	else
		free(r);
	return 0;
}

/* "PEER: `CMD`: REASON" for a reply the parser refused. */
static int bad_reply(struct ocd *o, const char *cmd, const char *why, char *err,
		     size_t errlen)
{
	snprintf(err, errlen, "%s: `%s`: %s", ocd_peer(o), cmd, why);
	return -1;
}

/* An access of n words at addr: aligned, and not past the 32-bit space. */
static int check_span(struct ocd *o, const char *what, uint32_t addr, size_t n, char *err,
		      size_t errlen)
{
	if (addr % 4 || n > (UINT32_MAX - addr) / 4 + 1) {
		snprintf(err, errlen, "%s: %s of %zu words at 0x%08" PRIx32
			 ": not word-aligned or past 0xffffffff", ocd_peer(o), what, n, addr);
		return -1;
	}
	return 0;
}

int ocd_mem_read(struct ocd *o, uint32_t addr, size_t n, uint32_t *words, char *err,
		 size_t errlen)
{
	if (check_span(o, "a read", addr, n, err, errlen) < 0)
		return -1;
	for (size_t done = 0; done < n;) {
		size_t k = n - done < OPS_READ_CHUNK ? n - done : OPS_READ_CHUNK;
		uint32_t a = addr + 4 * (uint32_t)done;
		char cmd[64], why[256], *r;
		snprintf(cmd, sizeof cmd, "mdw 0x%08" PRIx32 " %zu", a, k);
		if (run(o, cmd, 0, &r, err, errlen) < 0)
			return -1;
		int rc = reply_mdw(r, a, k, words + done, why, sizeof why);
		free(r);
		if (rc < 0)
			return bad_reply(o, cmd, why, err, errlen);
		done += k;
	}
	return 0;
}

int ocd_mem_write(struct ocd *o, uint32_t addr, size_t n, const uint32_t *words, char *err,
		  size_t errlen)
{
	if (check_span(o, "a write", addr, n, err, errlen) < 0)
		return -1;
	/* "mww 0x%08x 0x%08x; " is 27 bytes. */
	char *cmd = malloc(OPS_WRITE_CHUNK * 28 + 1);
	if (!cmd) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = 0;
	for (size_t done = 0; done < n && !rc;) {
		size_t k = n - done < OPS_WRITE_CHUNK ? n - done : OPS_WRITE_CHUNK, len = 0;
		for (size_t i = 0; i < k; i++)
			len += (size_t)sprintf(cmd + len, "%smww 0x%08" PRIx32 " 0x%08" PRIx32,
					       i ? "; " : "", addr + 4 * (uint32_t)(done + i),
					       words[done + i]);
		rc = run(o, cmd, 0, NULL, err, errlen);
		done += k;
	}
	free(cmd);
	return rc;
}

int ocd_state(struct ocd *o, char *state, size_t statelen, char *err, size_t errlen)
{
	char *r;
	if (run(o, OCD_TARGET " curstate", 0, &r, err, errlen) < 0)
		return -1;
	size_t i = 0;
	while (islower((unsigned char)r[i]) || r[i] == '-')
		i++;
	if (!i || r[i]) {
		snprintf(err, errlen, "%s: `" OCD_TARGET " curstate`: not a state: '%.40s'",
			 ocd_peer(o), r);
		free(r);
		return -1;
	}
	snprintf(state, statelen, "%s", r);
	free(r);
	return 0;
}

int ocd_wait_halted(struct ocd *o, int timeout_ms, char *err, size_t errlen)
{
	struct deadline d;
	deadline_start(&d, timeout_ms);
	char state[32];
	for (;;) {
		/* curstate is what OpenOCD's own poll saw last, every 100 ms:
		 * poll now, so a halt is seen as soon as it happens. */
		char *r = ocd_eval(o, OCD_TARGET " arp_poll; " OCD_TARGET " curstate", 0, err,
				   errlen);
		if (!r)
			return -1;
		snprintf(state, sizeof state, "%s", r);
		free(r);
		if (!strcmp(state, "halted"))
			return 0;
		if (deadline_passed(&d))
			break;
		struct timespec t = { 0, OPS_POLL_MS * 1000000L };
		nanosleep(&t, NULL);
	}
	snprintf(err, errlen, "%s: " OCD_TARGET " not halted within %d ms (it is %s)",
		 ocd_peer(o), timeout_ms, state);
	return -1;
}

int ocd_halt(struct ocd *o, char *err, size_t errlen)
{
	/* OpenOCD's halt itself waits up to 5 s for the target. */
	if (run(o, "halt", 0, NULL, err, errlen) < 0)
		return -1;
	return ocd_wait_halted(o, OPS_POLL_MS, err, errlen);
}

int ocd_resume(struct ocd *o, const uint32_t *pc, char *err, size_t errlen)
{
	char cmd[32] = "resume";
	if (pc)
		snprintf(cmd, sizeof cmd, "resume 0x%08" PRIx32, *pc);
	return run(o, cmd, 0, NULL, err, errlen);
}

int ocd_reg_set(struct ocd *o, const char *name, uint32_t value, char *err, size_t errlen)
{
	size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_");
	if (!n || name[n] || n > 32) {
		snprintf(err, errlen, "%s: '%.40s' is not a register name", ocd_peer(o), name);
		return -1;
	}
	char cmd[64];
	snprintf(cmd, sizeof cmd, "reg %s 0x%08" PRIx32, name, value);
	return run(o, cmd, 0, NULL, err, errlen);
}

int ocd_cp0_read(struct ocd *o, unsigned reg, unsigned sel, uint32_t *value, char *err,
		 size_t errlen)
{
	if (reg > 31 || sel > 7) {
		snprintf(err, errlen, "%s: CP0 register %u select %u does not exist", ocd_peer(o),
			 reg, sel);
		return -1;
	}
	char cmd[32], why[256], *r;
	snprintf(cmd, sizeof cmd, "mips32 cp0 %u %u", reg, sel);
	if (run(o, cmd, 0, &r, err, errlen) < 0)
		return -1;
	int rc = reply_cp0(r, reg, sel, value, why, sizeof why);
	free(r);
	return rc < 0 ? bad_reply(o, cmd, why, err, errlen) : 0;
}

int ocd_load_image(struct ocd *o, const char *path, uint32_t offset, int timeout_ms,
		   char *err, size_t errlen)
{
	/* The path goes in braces: nothing in it may end them early. */
	if (strpbrk(path, "{}\\\r\n")) {
		snprintf(err, errlen, "%s: load_image: %s: braces, backslashes or newlines in the"
			 " path", ocd_peer(o), path);
		return -1;
	}
	size_t n = strlen(path) + 48;
	char *cmd = malloc(n);
	if (!cmd) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(cmd, n, "load_image {%s} 0x%08" PRIx32 " elf", path, offset);
	char *r;
	int rc = run(o, cmd, timeout_ms, &r, err, errlen);
	if (!rc) {
		/* 0.12 answers a line per segment ("N bytes written at
		 * address A") then "downloaded N bytes in Ts (R KiB/s)"; an
		 * image it could not read is an error already. */
		if (strncmp(r, "downloaded ", 11) && !strstr(r, "\ndownloaded "))
			rc = bad_reply(o, cmd, "no 'downloaded N bytes' in the reply", err, errlen);
		free(r);
	}
	free(cmd);
	return rc;
}
