/*
 * A capture opened for decoding (cli.h): the trace file, and the code it
 * is decoded with (libpdtrace's pdt_capture_code_load: the capture's header
 * unless options give it).  Every pdtrace command that walks the flow
 * opens its captures here: one way to name a bad file, one way to note a
 * missing image.
 */
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void capture_image_opt(struct capture_opts *o, const char *s)
{
	const char *eq = strchr(s, '=');
	if (!eq || !eq[1])
		die(EXIT_BAD_INPUT, "--image: '%s': want CTX=ELF (CTX: root or g1..g8)", s);
	size_t n = (size_t)(eq - s);
	if (n == 4 && !strncmp(s, "root", 4))
		o->code.image[0] = eq + 1;
	else if (n == 2 && s[0] == 'g' && s[1] >= '1' && s[1] <= '8')
		o->code.image[s[1] - '0'] = eq + 1;
	else
		die(EXIT_BAD_INPUT, "--image: '%.*s' is not root or g1..g8", (int)n, s);
}

void capture_memory_opt(struct capture_opts *o, const char *s)
{
	const char *eq = strchr(s, '=');
	if (!eq || !eq[1] || eq - s != 2 || s[0] != 'g' || s[1] < '1' || s[1] > '8')
		die(EXIT_BAD_INPUT, "--memory: '%s': want gN=ELF (N: 1..8)", s);
	o->code.memory[s[1] - '0'] = eq + 1;
}

void capture_crashme_opt(struct capture_opts *o, const char *v)
{
	unsigned long long s, w;
	char tail;
	if (sscanf(v, "%llu,%llu%c", &s, &w, &tail) != 2 || s > UINT32_MAX || w > 4096)
		die(EXIT_BAD_INPUT, "--crashme: '%s': want SEED,WORDS (WORDS <= 4096)", v);
	o->code.crashme_given = true;
	o->code.crashme_seed = (uint32_t)s;
	o->code.crashme_words = (uint32_t)w;
}

static void note(void *priv, const char *msg)
{
	(void)priv;
	fprintf(stderr, "pdtrace: note: %s\n", msg);
}

void capture_file_open(struct pdt_file *f, const char *path)
{
	uint64_t eoff = 0;
	int err = pdt_file_open(f, path, &eoff);
	if (err == PDT_E_IO)
		die(EXIT_BAD_INPUT, "%s: %s", path, strerror(errno));
	if (err)
		die(EXIT_BAD_INPUT, "%s: file offset 0x%" PRIx64 ": %s", path, eoff, pdt_errstr(err));
}

void capture_open(struct capture *c, const char *path, const struct capture_opts *o)
{
	memset(c, 0, sizeof *c);
	/* The capture's folder may hold its guests' memory images. */
	struct pdt_code_opts code = o->code;
	if (!code.capture)
		code.capture = path;
	c->path = path;
	capture_file_open(&c->f, path);
	window_note(path, &c->f.info);
	char why[512];
	int rc = pdt_capture_code_load(&c->code, &c->f.info, &code, note, NULL, why, sizeof why);
	if (rc)
		die(rc == PDT_E_NOMEM ? EXIT_INTERNAL : EXIT_BAD_INPUT, "%s", why);
	c->cfg = c->code.cfg;
	c->cfg.per_insn = o->per_insn;
}

void capture_close(struct capture *c)
{
	pdt_capture_code_free(&c->code);
	pdt_file_close(&c->f);
	memset(c, 0, sizeof *c);
}

void capture_failed(const char *path, int rc)
{
	die(rc == PDT_E_NOMEM ? EXIT_INTERNAL : EXIT_BAD_INPUT, "%s: %s", path, pdt_errstr(rc));
}
