/*
 * A deadline on the monotonic clock: what bounds every wait of the OpenOCD
 * client (the RPC's reads and writes, OpenOCD's start and stop), so that a
 * wall-clock step never stretches or cuts one.
 */
#ifndef HARNESS_OPENOCD_DEADLINE_H
#define HARNESS_OPENOCD_DEADLINE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct deadline {
	int64_t at_ms;
};

static inline int64_t deadline_now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static inline void deadline_start(struct deadline *d, int ms)
{
	d->at_ms = deadline_now_ms() + (ms > 0 ? ms : 0);
}

/* Milliseconds left, 0 once passed: a poll() timeout. */
static inline int deadline_left_ms(const struct deadline *d)
{
	int64_t left = d->at_ms - deadline_now_ms();
	return left > 0 ? (int)left : 0;
}

static inline bool deadline_passed(const struct deadline *d)
{
	return deadline_left_ms(d) == 0;
}

#endif
