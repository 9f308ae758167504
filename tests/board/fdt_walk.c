/* The device tree reader of the board's tests (fdt_walk.h). */
#include "fdt_walk.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <vzsoak/fdt.h>

uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

bool fdt_lookup(const uint8_t *b, const char *path, const char *name, struct found *f)
{
	const uint8_t *p = b + be32(b + 8);
	const char *strings = (const char *)b + be32(b + 12);
	char cur[128] = "";
	for (;;) {
		uint32_t tok = be32(p);
		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *n = (const char *)p;
			size_t l = strlen(cur);
			if (*n)
				snprintf(cur + l, sizeof cur - l, "/%s", n);
			p += (strlen(n) + 4) & ~(size_t)3;
		} else if (tok == FDT_END_NODE) {
			char *slash = strrchr(cur, '/');
			if (slash)
				*slash = 0;
		} else if (tok == FDT_PROP) {
			uint32_t len = be32(p), off = be32(p + 4);
			const uint8_t *v = p + 8;
			p += 8 + ((len + 3) & ~3u);
			const char *want = *path ? path : "";
			if (strcmp(cur, strcmp(want, "/") == 0 ? "" : want) == 0 &&
			    strcmp(strings + off, name) == 0) {
				*f = (struct found){.value = v, .len = len};
				snprintf(f->path, sizeof f->path, "%s", cur);
				return true;
			}
		} else {
			assert_int_equal(tok, FDT_END);
			return false;
		}
	}
}

struct found find(const uint8_t *b, const char *path, const char *name)
{
	struct found f;
	if (!fdt_lookup(b, path, name, &f))
		fail_msg("no property %s in %s", name, path);
	return f;
}
