/* The few C library pieces a freestanding image needs. */
#include "hv.h"

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

int hv_streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* n / d, saturated to 32 bits.  The image links without libgcc, so a
 * 64-bit division (the statistics' rates) is done here by long division,
 * one quotient bit per step; it runs once per run, speed does not matter. */
uint32_t hv_div64(uint64_t n, uint32_t d)
{
	uint64_t q = 0, r = 0;

	if (!d)
		return 0xffffffffu;
	for (int i = 63; i >= 0; i--) {
		r = r << 1 | ((n >> i) & 1u);
		if (r >= d) {
			r -= d;
			q |= (uint64_t)1 << i;
		}
	}
	return q > 0xffffffffu ? 0xffffffffu : (uint32_t)q;
}
