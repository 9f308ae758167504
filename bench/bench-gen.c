/*
 * pdt-bench-gen FILE INSNS [SEED]: writes a trace file of about INSNS
 * instructions' worth of records through libpdtrace's encoder, for
 * scripts/bench-pdtrace.sh.  The mix imitates what the trace unit sees on
 * ordinary code: basic blocks of 1..20 instructions ending mostly in
 * conditional branches (60% taken) or direct jumps, some jump-registers
 * (TARGET), now and then an exception with its MODE and the eret back,
 * a user trace message or a context switch, and a SYNC every 4096
 * instructions.  Prints what it wrote and how fast the encoder ran.
 */
#include <pdtrace/pdtrace.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SYNC_PERIOD 4096

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * UINT64_C(2685821657736338717);
}

struct out {
	FILE *f;
	uint64_t w[8192];
	size_t n;
};

static void sink(void *ctx, uint64_t word)
{
	struct out *o = ctx;
	o->w[o->n++] = word; /* the host is little-endian, as the file is */
	if (o->n == sizeof o->w / sizeof o->w[0]) {
		if (fwrite(o->w, 8, o->n, o->f) != o->n) {
			perror("pdt-bench-gen: write");
			exit(1);
		}
		o->n = 0;
	}
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void put(struct pdt_encoder *e, const struct pdt_record *r, uint64_t *records)
{
	if (pdt_enc_record(e, r) != PDT_OK) {
		fputs("pdt-bench-gen: record refused\n", stderr);
		exit(1);
	}
	(*records)++;
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fputs("usage: pdt-bench-gen FILE INSNS [SEED]\n", stderr);
		return 2;
	}
	uint64_t target = strtoull(argv[2], NULL, 0);
	if (argc == 4)
		rng = strtoull(argv[3], NULL, 0) | 1;
	static struct out o;
	o.f = fopen(argv[1], "wb");
	if (!o.f) {
		perror(argv[1]);
		return 2;
	}
	struct pdt_file_info info = { .flags = PDT_FLAG_OFFCHIP, .tracecontrol = 0x83e00011u,
				      .tracecontrol2 = 0x87, .seed = rng, .has_seed = true };
	snprintf(info.board, sizeof info.board, "vzsim");
	snprintf(info.command, sizeof info.command, "pdt-bench-gen %s %s", argv[1], argv[2]);
	if (pdt_file_write_header(o.f, &info) != PDT_OK) {
		perror(argv[1]);
		return 1;
	}

	struct pdt_encoder e;
	pdt_enc_init(&e, sink, &o);
	uint64_t index = 0, next_sync = SYNC_PERIOD, records = 0, branches = 0;
	uint32_t pc = 0x80010000u, epc = 0;
	struct pdt_ctx ctx = { .ksu = PDT_USER, .asid = 1 }, saved = ctx;
	bool in_handler = false;
	double t0 = now();
	put(&e, &(struct pdt_record){ .type = PDT_SYNC, .sync = { pc, ctx, index } }, &records);
	while (index < target) {
		uint64_t block = 1 + rnd() % 20;
		pdt_enc_insns(&e, block);
		index += block;
		pc += 4 * (uint32_t)block;
		unsigned r = (unsigned)(rnd() % 1000);
		if (r < 650) { /* conditional branch + delay slot */
			bool taken = rnd() % 100 < 60;
			pdt_enc_branch(&e, taken);
			pdt_enc_insns(&e, 1);
			branches++;
			index += 2;
			pc = taken ? pc - 4 * (uint32_t)(rnd() % 64) : pc + 8;
		} else if (r < 850) { /* j/jal + delay slot */
			pdt_enc_insns(&e, 2);
			index += 2;
			pc = 0x80010000u + 4 * (uint32_t)(rnd() % 65536);
		} else if (r < 990) { /* jr/jalr (or eret from a handler) */
			pdt_enc_insns(&e, 2);
			index += 2;
			if (in_handler && r >= 985) {
				pc = epc;
				ctx = saved;
				in_handler = false;
				put(&e, &(struct pdt_record){ .type = PDT_TARGET, .target = { pc } }, &records);
				put(&e, &(struct pdt_record){ .type = PDT_MODE, .mode = ctx }, &records);
			} else {
				pc = 0x80010000u + 4 * (uint32_t)(rnd() % 65536);
				put(&e, &(struct pdt_record){ .type = PDT_TARGET, .target = { pc } }, &records);
			}
		} else if (r < 995 && !in_handler) { /* exception: vector, kernel+EXL */
			epc = pc;
			saved = ctx;
			in_handler = true;
			pc = 0x80000180u;
			put(&e, &(struct pdt_record){ .type = PDT_EXCEPTION,
				.exc = { .code = (uint8_t)(rnd() % 2 ? 0 : 8), .root = true,
					 .vector = pc } }, &records);
			ctx = (struct pdt_ctx){ .ksu = PDT_KERNEL, .exl = true, .asid = ctx.asid };
			put(&e, &(struct pdt_record){ .type = PDT_MODE, .mode = ctx }, &records);
		} else if (r < 998) { /* user trace message */
			put(&e, &(struct pdt_record){ .type = PDT_UTM,
				.utm = { .chan = 1, .value = (uint32_t)rnd() } }, &records);
		} else if (!in_handler) { /* context switch: another ASID or guest */
			ctx.asid = (uint8_t)(1 + rnd() % 8);
			ctx.guest = rnd() % 2;
			ctx.guestid = ctx.guest ? (uint8_t)(1 + rnd() % 3) : 0;
			put(&e, &(struct pdt_record){ .type = PDT_MODE, .mode = ctx }, &records);
		}
		if (index >= next_sync) {
			put(&e, &(struct pdt_record){ .type = PDT_SYNC, .sync = { pc, ctx, index } },
			    &records);
			next_sync = index + SYNC_PERIOD;
		}
	}
	pdt_enc_flush(&e);
	double secs = now() - t0;
	if ((o.n && fwrite(o.w, 8, o.n, o.f) != o.n) || fclose(o.f) != 0) {
		perror(argv[1]);
		return 1;
	}
	uint64_t bytes = e.words * 8;
	printf("generated %" PRIu64 " instructions (%" PRIu64 " conditional branches), "
	       "%" PRIu64 " event records, %" PRIu64 " bytes of trace words "
	       "(%.3f bits/instruction)\n",
	       index, branches, records, bytes, 64.0 * (double)e.words / (double)index);
	printf("encoder: %.3f s, %.1f M instructions/s, %.1f MB/s\n", secs, index / secs / 1e6,
	       bytes / secs / 1e6);
	return 0;
}
