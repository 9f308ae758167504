/*
 * pngcheck FILE [--size WxH] [--min-ink PERCENT]: whether a PNG shows
 * something, for the report step (scripts/run-report-tests.sh): a
 * screenshot of report.html and the report's plots.  It decodes the file
 * (libpng), and fails if the picture is not the size asked for, or is
 * blank: fewer than PERCENT (default 2) of its pixels differ from its most
 * common colour (the background).
 *
 * Exit status: 0 it shows something, 1 blank or the wrong size, 2 bad
 * usage or a file that is no PNG; one line on stderr when not 0, and
 * "FILE: WxH, N% ink" on stdout when it is.
 */
#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *prog = "pngcheck";

static int usage(void)
{
	fprintf(stderr, "usage: %s FILE [--size WxH] [--min-ink PERCENT]\n", prog);
	return 2;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* How many pixels have the most common colour (sorts px). */
static size_t most_common(uint32_t *px, size_t n)
{
	qsort(px, n, sizeof *px, cmp_u32);
	size_t best = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && px[j] == px[i])
			j++;
		if (j - i > best)
			best = j - i;
		i = j;
	}
	return best;
}

int main(int argc, char **argv)
{
	const char *file = NULL;
	unsigned want_w = 0, want_h = 0;
	double min_ink = 2.0;
	for (int i = 1; i < argc; i++) {
		char end;
		if (!strcmp(argv[i], "--size") && i + 1 < argc) {
			if (sscanf(argv[++i], "%ux%u%c", &want_w, &want_h, &end) != 2 || !want_w ||
			    !want_h) {
				fprintf(stderr, "%s: --size '%s': not WxH\n", prog, argv[i]);
				return 2;
			}
		} else if (!strcmp(argv[i], "--min-ink") && i + 1 < argc) {
			if (sscanf(argv[++i], "%lf%c", &min_ink, &end) != 1 || min_ink < 0 ||
			    min_ink > 100) {
				fprintf(stderr, "%s: --min-ink '%s': not a percentage\n", prog, argv[i]);
				return 2;
			}
		} else if (argv[i][0] == '-' || file) {
			return usage();
		} else {
			file = argv[i];
		}
	}
	if (!file)
		return usage();

	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&img, file)) {
		fprintf(stderr, "%s: %s: %s\n", prog, file, img.message);
		return 2;
	}
	img.format = PNG_FORMAT_RGBA;
	size_t n = (size_t)img.width * img.height;
	uint32_t *px = malloc(n ? n * sizeof *px : 1);
	if (!px) {
		fprintf(stderr, "%s: %s: %ux%u: out of memory\n", prog, file, img.width, img.height);
		png_image_free(&img);
		return 2;
	}
	if (!png_image_finish_read(&img, NULL, px, 0, NULL)) {
		fprintf(stderr, "%s: %s: %s\n", prog, file, img.message);
		free(px);
		return 2;
	}
	int rc = 0;
	double ink = n ? 100.0 * (double)(n - most_common(px, n)) / (double)n : 0;
	if (want_w && (img.width != want_w || img.height != want_h)) {
		fprintf(stderr, "%s: %s: %ux%u, not %ux%u\n", prog, file, img.width, img.height,
			want_w, want_h);
		rc = 1;
	} else if (ink < min_ink) {
		fprintf(stderr, "%s: %s: blank: %.2f%% of its pixels differ from the background "
			"(under %g%%)\n", prog, file, ink, min_ink);
		rc = 1;
	} else {
		printf("%s: %ux%u, %.1f%% ink\n", file, img.width, img.height, ink);
	}
	free(px);
	return rc;
}
