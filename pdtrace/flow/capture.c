/*
 * The code a capture is decoded with (flow.h, "A capture's code"): the
 * images and crashme's parameters, from the caller's options over the
 * capture's own header.  pdtrace's commands and vzsoak's reports find a
 * capture's code here, so they all find the same code the same way.
 *
 * The header names the hypervisor image first (root); each guest runs the
 * image its boot arguments name (image=, gN=), found as guests/NAME.elf
 * next to the hypervisor's ELF (a Linux guest's kernel: the vmlinux of
 * make linux-symbols, <vzsoak/linux_files.h>); crashme's seed and block size come from the
 * same boot arguments (seed=, crashme=).  They are read by the
 * hypervisor's own parser (libbootargs), whose defaults stand for a key
 * left out.
 */
#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <pdtrace/flow.h>
#include <vzsoak/bootargs_parse.h>
#include <vzsoak/linux_files.h>

_Static_assert(PDT_FLOW_GUESTS <= HV_MAX_GUESTS, "a guest's image from hv_args.image[]");

static void note(pdt_note_fn *fn, void *priv, const char *msg)
{
	if (fn)
		fn(priv, msg);
}

/* The image at path into *c, or (*c already loaded) laid over it. */
static int take(struct pdt_code **c, const char *what, const char *path, char *err,
		size_t errlen)
{
	char why[512];
	int rc = *c ? pdt_code_overlay(*c, path, why, sizeof why)
		    : pdt_code_load(c, path, why, sizeof why);
	if (rc)
		snprintf(err, errlen, "%s image: %s", what, why);
	return rc;
}

/* Guest g's memory image (the options', or a run's beside the capture)
 * over its code, or as its code when it has none. */
static int load_memory(struct pdt_capture_code *cc, const struct pdt_code_opts *o,
		       const struct hv_args *hv, unsigned g, char *err, size_t errlen)
{
	const char *mem = o->memory[g];
	char path[4200];
	if (!mem && o->capture && g <= hv->guests) {
		snprintf(path, sizeof path, LINUX_MEMORY_IMAGE, o->capture, g);
		if (access(path, R_OK) == 0)
			mem = path;
	}
	if (!mem)
		return 0;
	return take(&cc->codes[g], "guest memory", mem, err, errlen);
}

int pdt_capture_code_load(struct pdt_capture_code *cc, const struct pdt_file_info *info,
			  const struct pdt_code_opts *o, pdt_note_fn *note_fn, void *priv,
			  char *err, size_t errlen)
{
	static const struct pdt_code_opts none;
	if (!o)
		o = &none;
	memset(cc, 0, sizeof *cc);
	char msg[4400];
	int rc;
	const char *root = o->image[0];
	if (!root && info->nimages)
		root = info->images[0].path;
	if (root) {
		if (!o->image[0] && access(root, R_OK) != 0) {
			snprintf(msg, sizeof msg, "the capture's image %s is not here "
				 "(--image root=ELF): root code shows as gaps", root);
			note(note_fn, priv, msg);
		} else if ((rc = take(&cc->codes[0], "root", root, err, errlen)) != 0) {
			return rc;
		}
	}
	cc->cfg.root = cc->codes[0];

	/* The capture's boot arguments over the hypervisor's defaults
	 * (<vzsoak/bootargs.def>): a key the capture leaves out means here
	 * what it meant to the hypervisor. */
	struct hv_args hv;
	char why[96];
	hv_args_defaults(&hv);
	if (hv_args_parse(&hv, info->bootargs, sizeof info->bootargs, why, sizeof why) != 0) {
		snprintf(msg, sizeof msg, "the capture's boot arguments: %s (the hypervisor "
			 "stops on them): decoding with its defaults", why);
		note(note_fn, priv, msg);
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
			rc = take(&cc->codes[g], "guest", o->image[g], err, errlen);
		} else if (root) {
			/* A Linux guest's kernel: make linux-symbols' vmlinux. */
			bool is_linux = !strcmp(hv.image[g - 1], LINUX_IMAGE_NAME);
			char path[4200];
			if (is_linux)
				snprintf(path, sizeof path, "%s/" LINUX_FILES_DIR "/" LINUX_FILE_SYMBOLS,
					 dir);
			else
				snprintf(path, sizeof path, "%s/guests/%s.elf", dir, hv.image[g - 1]);
			/* The kernel as it was booted (the decompressor that
			 * runs first is in it only), under the vmlinux. */
			char kernel[4200];
			snprintf(kernel, sizeof kernel, "%s/" LINUX_FILES_DIR "/" LINUX_FILE_KERNEL,
				 dir);
			bool have_kernel = is_linux && access(kernel, R_OK) == 0;
			bool have_image = access(path, R_OK) == 0;
			rc = have_image ? take(&cc->codes[g], "guest", path, err, errlen) : 0;
			/* Under the vmlinux's names, or alone: code without names. */
			if (!rc && have_kernel)
				rc = take(&cc->codes[g], "guest", kernel, err, errlen);
			if (!have_image) {
				/* Once for all the guests of one image, and only for
				 * guests the run had. */
				bool told = false;
				for (unsigned p = 1; p < g && !told; p++)
					told = !o->image[p] && !strcmp(hv.image[p - 1], hv.image[g - 1]);
				/* A capture without boot arguments ran no hypervisor:
				 * no guest image is missing. */
				if (info->bootargs[0] && g <= hv.guests && !told) {
					if (have_kernel)
						snprintf(msg, sizeof msg, "the Linux kernel's symbols %s "
							 "are not here (make linux-symbols): its code "
							 "shows without names", path);
					else
						snprintf(msg, sizeof msg, "the capture's guest image %s "
							 "is not here (--image gN=ELF%s): that code "
							 "shows as gaps", path,
							 is_linux ? "; make linux" : "");
					note(note_fn, priv, msg);
				}
			}
		} else {
			rc = 0;
		}
		if (!rc)
			rc = load_memory(cc, o, &hv, g, err, errlen);
		if (rc) {
			pdt_capture_code_free(cc);
			return rc;
		}
		cc->cfg.guest[g] = cc->codes[g];
	}
	/* crashme's blocks are code no image holds: a code provider makes
	 * them, with the capture's seed and block length unless the options
	 * give them. */
	uint32_t seed = o->crashme_given ? o->crashme_seed : hv.seed;
	uint32_t words = o->crashme_given ? o->crashme_words : hv.crashme;
	if (words) {
		if (pdt_crashme_new(&cc->crashme, seed, words) != 0) {
			pdt_capture_code_free(cc);
			snprintf(err, errlen, "out of memory");
			return PDT_E_NOMEM;
		}
		cc->cfg.code = pdt_crashme_provider(cc->crashme);
	}
	return 0;
}

void pdt_capture_code_free(struct pdt_capture_code *cc)
{
	pdt_crashme_free(cc->crashme);
	for (unsigned g = 0; g <= PDT_FLOW_GUESTS; g++)
		pdt_code_free(cc->codes[g]);
	memset(cc, 0, sizeof *cc);
}

int pdt_capture_open(struct pdt_capture *c, const char *path, const struct pdt_code_opts *o,
		     pdt_note_fn *note_fn, void *priv, char *err, size_t errlen)
{
	memset(c, 0, sizeof *c);
	uint64_t off = 0;
	int rc = pdt_file_open(&c->f, path, &off);
	if (rc == PDT_E_IO) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	if (rc) {
		snprintf(err, errlen, "%s: offset 0x%" PRIx64 ": %s", path, off, pdt_errstr(rc));
		return rc;
	}
	/* The capture's folder may hold its guests' memory images. */
	struct pdt_code_opts with = {0};
	if (o)
		with = *o;
	if (!with.capture)
		with.capture = path;
	char why[512];
	rc = pdt_capture_code_load(&c->code, &c->f.info, &with, note_fn, priv, why, sizeof why);
	if (rc) {
		snprintf(err, errlen, "%s: %s", path, why);
		pdt_file_close(&c->f);
		return rc;
	}
	return 0;
}

void pdt_capture_close(struct pdt_capture *c)
{
	pdt_capture_code_free(&c->code);
	pdt_file_close(&c->f);
	memset(c, 0, sizeof *c);
}
