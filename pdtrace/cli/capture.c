/*
 * A capture opened for decoding (cli.h): the trace file, and the code it
 * is decoded with, from the options over the capture's own header.  Every
 * pdtrace command that walks the flow (flow, detect, diff) opens its
 * captures here, so they all find the same images the same way.
 *
 * Images come from the capture's header unless given: the first image it
 * names is the hypervisor (root); each guest runs the image its boot
 * arguments name (image=, gN=), found as guests/NAME.elf next to the
 * hypervisor's ELF; crashme's seed and block size come from the same boot
 * arguments (seed=, crashme=).  They are read by the hypervisor's own
 * parser (libbootargs), whose defaults stand for a key left out.
 */
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vzsoak/bootargs_parse.h>

_Static_assert(PDT_FLOW_GUESTS <= HV_MAX_GUESTS, "a guest's image from hv_args.image[]");

void capture_image_opt(struct capture_opts *o, const char *s)
{
	const char *eq = strchr(s, '=');
	if (!eq || !eq[1])
		die(EXIT_BAD_INPUT, "--image: '%s': want CTX=ELF (CTX: root or g1..g8)", s);
	size_t n = (size_t)(eq - s);
	if (n == 4 && !strncmp(s, "root", 4))
		o->image[0] = eq + 1;
	else if (n == 2 && s[0] == 'g' && s[1] >= '1' && s[1] <= '8')
		o->image[s[1] - '0'] = eq + 1;
	else
		die(EXIT_BAD_INPUT, "--image: '%.*s' is not root or g1..g8", (int)n, s);
}

void capture_crashme_opt(struct capture_opts *o, const char *v)
{
	unsigned long long s, w;
	char tail;
	if (sscanf(v, "%llu,%llu%c", &s, &w, &tail) != 2 || s > UINT32_MAX || w > 4096)
		die(EXIT_BAD_INPUT, "--crashme: '%s': want SEED,WORDS (WORDS <= 4096)", v);
	o->crashme_given = true;
	o->crashme_seed = (uint32_t)s;
	o->crashme_words = (uint32_t)w;
}

static struct pdt_code *load(const char *what, const char *path)
{
	struct pdt_code *c;
	char err[256];
	if (pdt_code_load(&c, path, err, sizeof err) != 0)
		die(EXIT_BAD_INPUT, "%s image: %s", what, err);
	return c;
}

/*
 * The images and crashme parameters: options first, then the capture's
 * header (its first image, its boot arguments).  A guest image the header
 * implies but that is not there is left out with a note: its code shows
 * as gaps, the rest still decodes.
 */
static void setup(const struct capture_opts *o, const struct pdt_file_info *info,
		  struct pdt_flow_config *cfg, struct pdt_code **codes,
		  struct pdt_crashme **crashme)
{
	memset(cfg, 0, sizeof *cfg);
	const char *root = o->image[0];
	if (!root && info->nimages)
		root = info->images[0].path;
	if (root) {
		if (!o->image[0] && access(root, R_OK) != 0)
			fprintf(stderr, "pdtrace: note: the capture's image %s is not here "
				"(--image root=ELF): root code shows as gaps\n", root);
		else
			codes[0] = load("root", root);
	}
	cfg->root = codes[0];

	/* The capture's boot arguments, read by the hypervisor's own parser
	 * over its defaults (<vzsoak/bootargs.def>): a key the capture leaves
	 * out means here what it meant to the hypervisor. */
	struct hv_args hv;
	char why[96];
	hv_args_defaults(&hv);
	if (hv_args_parse(&hv, info->bootargs, sizeof info->bootargs, why,
			  sizeof why) != 0) {
		fprintf(stderr, "pdtrace: note: the capture's boot arguments: %s "
			"(the hypervisor stops on them): decoding with its defaults\n",
			why);
		hv_args_defaults(&hv);
	}
	char dir[4096] = ".";
	if (root) {
		char copy[4096];
		snprintf(copy, sizeof copy, "%s", root);
		snprintf(dir, sizeof dir, "%s", dirname(copy));
	}
	for (unsigned g = 1; g <= PDT_FLOW_GUESTS; g++) {
		if (o->image[g]) {
			codes[g] = load("guest", o->image[g]);
		} else if (root) {
			char path[4200];
			snprintf(path, sizeof path, "%s/guests/%s.elf", dir, hv.image[g - 1]);
			if (access(path, R_OK) == 0)
				codes[g] = load("guest", path);
		}
		cfg->guest[g] = codes[g];
	}
	/* crashme's blocks are code no image holds: they come from a code
	 * provider, with the capture's seed and block length unless the
	 * options give them. */
	uint32_t seed = o->crashme_given ? o->crashme_seed : hv.seed;
	uint32_t words = o->crashme_given ? o->crashme_words : hv.crashme;
	*crashme = NULL;
	if (words) {
		if (pdt_crashme_new(crashme, seed, words) != 0)
			die(EXIT_INTERNAL, "out of memory");
		cfg->code = pdt_crashme_provider(*crashme);
	}
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
	c->path = path;
	capture_file_open(&c->f, path);
	window_note(path, &c->f.info);
	setup(o, &c->f.info, &c->cfg, c->codes, &c->crashme);
}

void capture_close(struct capture *c)
{
	pdt_crashme_free(c->crashme);
	for (unsigned g = 0; g <= PDT_FLOW_GUESTS; g++)
		pdt_code_free(c->codes[g]);
	pdt_file_close(&c->f);
	memset(c, 0, sizeof *c);
}

void capture_failed(const char *path, int rc)
{
	die(rc == PDT_E_NOMEM ? EXIT_INTERNAL : EXIT_BAD_INPUT, "%s: %s", path, pdt_errstr(rc));
}
