/*
 * pdt-bench-dec FILE [REPEAT]: libpdtrace's decoder alone, no output:
 * decodes the mapped trace REPEAT times (default 5) and prints the best
 * run as bytes/s and records/s, for scripts/bench-pdtrace.sh.
 */
#include <pdtrace/pdtrace.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fputs("usage: pdt-bench-dec FILE [REPEAT]\n", stderr);
		return 2;
	}
	int repeat = argc == 3 ? atoi(argv[2]) : 5;
	struct pdt_file f;
	uint64_t off = 0;
	int err = pdt_file_open(&f, argv[1], &off);
	if (err) {
		fprintf(stderr, "pdt-bench-dec: %s: %s (offset %" PRIu64 ")\n", argv[1],
			err == PDT_E_IO ? strerror(errno) : pdt_errstr(err), off);
		return 2;
	}
	double best = 0;
	uint64_t records = 0, insns = 0, gaps = 0;
	for (int i = 0; i < (repeat > 0 ? repeat : 1); i++) {
		struct pdt_decoder d;
		struct pdt_record r;
		records = insns = gaps = 0;
		double t0 = now();
		pdt_dec_init(&d, f.words, f.len);
		while (pdt_dec_next(&d, &r) == PDT_OK) {
			records++;
			/* Touch the fields a flow decoder needs, so nothing is
			   optimised away. */
			if (r.type == PDT_ICNT)
				insns += r.icnt.n;
			else if (r.type == PDT_BRANCH)
				insns += r.branch.n;
			else if (r.type == PDT_GAP)
				gaps++;
		}
		double secs = now() - t0;
		if (i == 0 || secs < best)
			best = secs;
	}
	printf("decode: %" PRIu64 " bytes, %" PRIu64 " records, %" PRIu64 " instructions, "
	       "%" PRIu64 " gaps; best of %d: %.4f s, %.1f MB/s, %.1f M records/s\n",
	       f.len, records, insns, gaps, repeat, best, f.len / best / 1e6, records / best / 1e6);
	pdt_file_close(&f);
	return 0;
}
