/*
 * pdt-bench-flow [--items|--detect|--diff] TRACE ROOT.ELF [GUEST.ELF]:
 * libpdtrace's flow decoder alone, no output: runs pdt_flow_next_run over
 * the whole trace against the root image (and GUEST.ELF for every
 * GuestID, when given; crashme on with the hypervisor's defaults, seed 1
 * and 64 words) and prints one line for scripts/bench-pdtrace.sh:
 *
 *   flow: I insns shown, E events, G gaps, N items; S s, R M insn/s, max RSS K KiB
 *
 * N counts what the decoder returned: runs of instructions and events.
 * With --items it walks with pdt_flow_next instead, one item an
 * instruction (what a consumer that looks at each one pays).
 *
 * With --detect the trace detectors (pdtrace/detect.h) read every item too
 * (one an instruction: the time and memory above include them), and a
 * second line follows:
 *
 *   detect: F findings, B bugs
 *
 * With --diff it aligns the capture with itself (pdt_diff_flows, both
 * walks), the line then:
 *
 *   diff: I insns (both sides); S s, R M insn/s, max RSS K KiB; G of N guests the same
 *
 * Memory: the trace is a read-only file mapping, and the pages of it the
 * decoder has read count in the RSS in proportion to the trace, which
 * would hide what the decoder itself holds.  So pages well behind the
 * decoder (items carry the trace offset of their record) are handed back
 * with MADV_DONTNEED as it goes, as a streaming reader would; what is left
 * in max RSS is the decoder, the images and a window of the trace.
 */
#include <pdtrace/detect.h>
#include <pdtrace/diff.h>
#include <pdtrace/flow.h>
#include <pdtrace/pdtrace.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* How far behind the last item's record pages are dropped: the decoder
 * reads one segment (a few records) ahead of the items it returns. */
#define KEEP_BEHIND (1u << 20)
#define DROP_EVERY (1u << 20) /* instructions or events between two madvise calls */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct pdt_code *load(const char *path)
{
	struct pdt_code *c;
	char err[256];
	if (pdt_code_load(&c, path, err, sizeof err) != 0) {
		fprintf(stderr, "pdt-bench-flow: %s\n", err);
		exit(2);
	}
	return c;
}

int main(int argc, char **argv)
{
	/* --items: pdt_flow_next, one item an instruction; --detect: the
	 * trace detectors (pdtrace/detect.h) read every item too; --diff: the
	 * capture against itself (pdtrace/diff.h) instead. */
	bool items_only = argc > 1 && !strcmp(argv[1], "--items");
	bool detect = argc > 1 && !strcmp(argv[1], "--detect");
	bool diff = argc > 1 && !strcmp(argv[1], "--diff");
	bool by_item = items_only || detect;
	if (items_only || detect || diff) {
		argc--;
		argv++;
	}
	if (argc < 3 || argc > 4) {
		fputs("usage: pdt-bench-flow [--items|--detect|--diff] TRACE ROOT.ELF [GUEST.ELF]\n",
		      stderr);
		return 2;
	}
	struct pdt_detect *det = NULL;
	if (detect && pdt_detect_new(&det, NULL) != 0) {
		fputs("pdt-bench-flow: out of memory\n", stderr);
		return 2;
	}
	struct pdt_file f;
	uint64_t off = 0;
	int err = pdt_file_open(&f, argv[1], &off);
	if (err) {
		fprintf(stderr, "pdt-bench-flow: %s: %s (offset %" PRIu64 ")\n", argv[1],
			err == PDT_E_IO ? strerror(errno) : pdt_errstr(err), off);
		return 2;
	}
	struct pdt_code *root = load(argv[2]);
	struct pdt_crashme *crashme;
	if (pdt_crashme_new(&crashme, 1, 64) != PDT_OK) {
		fputs("pdt-bench-flow: out of memory\n", stderr);
		return 2;
	}
	struct pdt_flow_config cfg = {
		.root = root,
		.code = pdt_crashme_provider(crashme),
	};
	struct pdt_code *guest = argc == 4 ? load(argv[3]) : NULL;
	for (unsigned g = 1; g <= PDT_FLOW_GUESTS; g++)
		cfg.guest[g] = guest;

	if (diff) {
		/* Two walks of the capture, each with its own crashme provider
		 * (a provider serves one decoder at a time). */
		struct pdt_crashme *cm2;
		if (pdt_crashme_new(&cm2, 1, 64) != PDT_OK) {
			fputs("pdt-bench-flow: out of memory\n", stderr);
			return 2;
		}
		struct pdt_flow_config cfg2 = cfg;
		cfg2.code = pdt_crashme_provider(cm2);
		struct pdt_diff_opts o;
		pdt_diff_opts_default(&o);
		o.whole[0] = o.whole[1] = true;
		struct pdt_diff *d;
		if (pdt_diff_new(&d, &o) != 0) {
			fputs("pdt-bench-flow: out of memory\n", stderr);
			return 2;
		}
		const struct pdt_flow_config *const cfgs[2] = {&cfg, &cfg2};
		const uint8_t *const words[2] = {f.words, f.words};
		const uint64_t lens[2] = {f.len, f.len};
		int failed;
		double t0 = now();
		err = pdt_diff_flows(d, cfgs, words, lens, &failed);
		double secs = now() - t0;
		if (err) {
			fprintf(stderr, "pdt-bench-flow: pdt_diff_flows: %s\n", pdt_errstr(err));
			return 1;
		}
		unsigned same = 0, present = 0;
		for (unsigned g = 1; g <= PDT_FLOW_GUESTS; g++) {
			enum pdt_diff_status st = pdt_diff_guest(d, g)->status;
			present += st != PDT_DIFF_ABSENT;
			same += st == PDT_DIFF_SAME;
		}
		uint64_t both = pdt_diff_insns(d, 0) + pdt_diff_insns(d, 1);
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		printf("diff: %" PRIu64 " insns (both sides); %.3f s, %.1f M insn/s, max RSS %ld "
		       "KiB; %u of %u guests the same\n", both, secs,
		       secs > 0 ? both / secs / 1e6 : 0.0, ru.ru_maxrss, same, present);
		pdt_diff_free(d);
		pdt_crashme_free(cm2);
		return same == present ? 0 : 1;
	}
	struct pdt_flow *flow;
	if (pdt_flow_new(&flow, &cfg, f.words, f.len) != 0) {
		fputs("pdt-bench-flow: out of memory\n", stderr);
		return 2;
	}
	/* Offsets are in the trace words; the mapping starts at the file's
	 * first byte, header_size bytes before them. */
	const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	const uintptr_t base = (uintptr_t)f.map;
	uintptr_t dropped = base;
	uint64_t items = 0, insns = 0, events = 0, gaps = 0, since_drop = 0;
	struct pdt_flow_item it;
	uint32_t n = 1;
	double t0 = now();
	while ((err = by_item ? pdt_flow_next(flow, &it) : pdt_flow_next_run(flow, &it, &n)) == 0) {
		items++;
		if (det)
			pdt_detect_feed(det, &it);
		if (it.is_insn) {
			insns += n;
			since_drop += n;
		} else {
			events++;
			since_drop++;
			gaps += it.ev.kind == PDT_EV_GAP;
		}
		if (f.map && since_drop >= DROP_EVERY) {
			since_drop = 0;
			uintptr_t at = (uintptr_t)f.words + it.offset;
			if (at > base + KEEP_BEHIND) {
				uintptr_t upto = (at - KEEP_BEHIND) & ~(page - 1);
				if (upto > dropped) {
					madvise((void *)dropped, upto - dropped, MADV_DONTNEED);
					dropped = upto;
				}
			}
		}
	}
	double secs = now() - t0;
	if (err != PDT_E_EOS) {
		fprintf(stderr, "pdt-bench-flow: pdt_flow_next: %s\n", pdt_errstr(err));
		return 1;
	}
	if (insns != pdt_flow_insns(flow)) {
		fprintf(stderr, "pdt-bench-flow: %" PRIu64 " instruction items, but "
			"pdt_flow_insns says %" PRIu64 "\n", insns, pdt_flow_insns(flow));
		return 1;
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("flow: %" PRIu64 " insns shown, %" PRIu64 " events, %" PRIu64 " gaps, %" PRIu64
	       " items; %.3f s, %.1f M insn/s, max RSS %ld KiB\n",
	       insns, events, gaps, items, secs, secs > 0 ? insns / secs / 1e6 : 0.0,
	       ru.ru_maxrss);
	if (det) {
		const struct pdt_finding *list;
		size_t n = pdt_detect_findings(det, &list), bugs = 0;
		for (size_t i = 0; i < n; i++)
			bugs += list[i].sev == PDT_SEV_BUG;
		printf("detect: %zu findings, %zu bugs\n", n, bugs);
		pdt_detect_free(det);
	}
	pdt_flow_free(flow);
	pdt_code_free(root);
	pdt_code_free(guest);
	pdt_crashme_free(crashme);
	pdt_file_close(&f);
	return 0;
}
