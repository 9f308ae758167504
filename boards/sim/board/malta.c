/* The Malta FPGA register block: software reset, LED bar, ASCII display. */
#include "malta.h"

#include "../cpu/cpu.h"

/* The kept display register holding byte offset off, or NULL. */
static uint32_t *display_reg(struct malta_fpga *f, uint32_t off)
{
	uint32_t word = off & ~3u;
	if (word == MALTA_LEDBAR)
		return &f->ledbar;
	if (word == MALTA_ASCIIWORD)
		return &f->asciiword;
	if (word >= MALTA_ASCIIPOS0 && word < MALTA_ASCIIPOS0 + 8 * 8 &&
	    (word - MALTA_ASCIIPOS0) % 8 == 0)
		return &f->asciipos[(word - MALTA_ASCIIPOS0) / 8];
	return NULL;
}

static uint32_t size_mask(unsigned size)
{
	return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

/* Display registers read back what was written; the rest reads as 0. */
static bool fpga_read(void *ctx, uint32_t off, unsigned size, uint32_t *val)
{
	uint32_t *r = display_reg(ctx, off);
	*val = r ? (*r >> (8 * (off & 3))) & size_mask(size) : 0;
	return true;
}

static bool fpga_write(void *ctx, uint32_t off, unsigned size, uint32_t val)
{
	struct malta_fpga *f = ctx;
	if (off == MALTA_SOFTRES) {
		if ((val & size_mask(size)) == MALTA_GORESET) {
			/* The run ends after this store; next_event makes the
			 * interpreter loop look at stop_requested now. */
			f->cpu->stop_requested = true;
			f->cpu->stop_reason = VZSIM_STOP_RESET;
			f->cpu->next_event = f->cpu->icount;
		}
		return true;
	}
	uint32_t *r = display_reg(f, off);
	if (r) {
		unsigned shift = 8 * (off & 3);
		uint32_t m = size_mask(size) << shift;
		*r = (*r & ~m) | ((val << shift) & m);
	}
	return true;
}

void malta_fpga_init(struct malta_fpga *f, struct cpu *cpu)
{
	*f = (struct malta_fpga){
		.cpu = cpu,
		.dev = {.name = "malta-fpga", .ctx = f, .read = fpga_read,
			.write = fpga_write},
	};
}
